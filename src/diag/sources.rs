//! Every source file a run read (definitions, templates, state files), by [`FileId`], for the
//! snippets diagnostics show.

use super::FileId;

/// Every source file read, by [`FileId`]; names are paths as the user should see them. Line
/// starts are computed on first use (rendering), not when a file is added: a validated store adds
/// hundreds of files whose lines most reports never look at.
#[derive(Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

struct SourceFile {
    name: String,
    text: String,
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// (byte offset on a character boundary, characters before it) every [`MARK`] bytes, so a
    /// column costs O(MARK) on a one-line file, not O(line length).
    char_marks: std::sync::OnceLock<Vec<(usize, usize)>>,
}

const MARK: usize = 4096;

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            // codespan's line_starts, with one vectorised newline search over the file.
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    fn char_marks(&self) -> &[(usize, usize)] {
        self.char_marks.get_or_init(|| {
            let mut marks = vec![(0, 0)];
            let (mut at, mut chars) = (0, 0);
            while at + MARK < self.text.len() {
                let next = self.text.floor_char_boundary(at + MARK).max(at + 1);
                let next = self.text.ceil_char_boundary(next);
                chars += self.text[at..next].chars().count();
                at = next;
                marks.push((at, chars));
            }
            marks
        })
    }

    /// Characters before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let marks = self.char_marks();
        let i = marks
            .partition_point(|&(b, _)| b <= offset)
            .saturating_sub(1);
        let (b, c) = marks[i];
        c + self.text[b..offset].chars().count()
    }
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
            char_marks: std::sync::OnceLock::new(),
        });
        self.files.len() - 1
    }
    pub fn len(&self) -> usize {
        self.files.len()
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
    /// Takes every file out, in id order: (name, text).
    pub fn drain(&mut self) -> Vec<(String, String)> {
        std::mem::take(&mut self.files)
            .into_iter()
            .map(|f| (f.name, f.text))
            .collect()
    }
    /// The files in codespan's terms, for rendering.
    pub fn files(&self) -> &Self {
        self
    }
    pub fn name(&self, file: FileId) -> String {
        self.files
            .get(file)
            .map(|f| f.name.clone())
            .unwrap_or_default()
    }
    pub fn text(&self, file: FileId) -> &str {
        self.files.get(file).map(|f| f.text.as_str()).unwrap_or("")
    }
    /// 1-based line and column (in characters) of a byte offset (a binary search over the line
    /// starts).
    pub fn line_col(&self, file: FileId, offset: usize) -> (usize, usize) {
        use codespan_reporting::files::Files;
        let text = self.text(file);
        let offset = text.floor_char_boundary(offset.min(text.len()));
        let line = self.line_index(file, offset).unwrap_or(0);
        let start = self
            .line_range(file, line)
            .map(|r| r.start)
            .unwrap_or(0)
            .min(offset);
        (line + 1, self.chars_between(file, start, offset) + 1)
    }

    /// Characters between two byte offsets of a file (clamped to character boundaries).
    pub fn chars_between(&self, file: FileId, from: usize, to: usize) -> usize {
        let Some(f) = self.files.get(file) else {
            return 0;
        };
        let to = f.text.floor_char_boundary(to.min(f.text.len()));
        let from = f.text.floor_char_boundary(from.min(to));
        // A column within an ordinary line: count it directly. Only a distance longer than the
        // marks' spacing (a very long line) goes through the marks, so neither costs more than
        // O(MARK) and a file without long lines never builds them.
        if to - from <= MARK {
            return f.text[from..to].chars().count();
        }
        f.chars_before(to) - f.chars_before(from)
    }

    /// The name in codespan's terms.
    pub fn name_checked(&self, file: FileId) -> Result<String, codespan_reporting::files::Error> {
        self.files
            .get(file)
            .map(|f| f.name.clone())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }
}

impl<'a> codespan_reporting::files::Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files
            .get(id)
            .map(|f| f.name.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files
            .get(id)
            .map(|f| f.text.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let f = self
            .files
            .get(id)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        Ok(f.line_starts()
            .binary_search(&byte_index)
            .unwrap_or_else(|next| next - 1))
    }

    fn line_range(
        &'a self,
        id: FileId,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        let f = self
            .files
            .get(id)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        let starts = f.line_starts();
        let start =
            *starts
                .get(line_index)
                .ok_or(codespan_reporting::files::Error::LineTooLarge {
                    given: line_index,
                    max: starts.len() - 1,
                })?;
        let end = starts.get(line_index + 1).copied().unwrap_or(f.text.len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns count characters, whether the distance is short (counted directly) or longer than
    /// the marks' spacing (through the marks), across multi-byte characters.
    #[test]
    fn chars_between_counts_characters_near_and_far() {
        let line: String = "aé中😀".repeat(3000);
        let text = format!("x\n{line}\nend");
        let mut m = SourceMap::new();
        let id = m.add("f", text.clone());
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .step_by(97)
            .chain([text.len()])
            .collect();
        for &from in bounds.iter().step_by(7) {
            for &to in &bounds {
                let want = if from <= to {
                    text[from..to].chars().count()
                } else {
                    0
                };
                assert_eq!(m.chars_between(id, from, to), want, "{from}..{to}");
            }
        }
        let (line_no, col) = m.line_col(id, text.len() - 1);
        assert_eq!((line_no, col), (3, 3));
        let starts: Vec<usize> = codespan_reporting::files::line_starts(&text).collect();
        assert_eq!(m.files[id].line_starts(), starts.as_slice());
    }
}
