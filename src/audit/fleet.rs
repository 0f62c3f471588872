//! The fleet view of many audits (`audit --format html|fleet-csv|fleet-json`): one row per host
//! (each audited source), one column per check (the baseline's STIG rules, or its settings for a
//! baseline without STIG references), a cell per host and check with its verdict and, for what
//! fails, the expected and found values. The HTML file is self-contained: its style and its
//! small filter script are inline, it names no resource elsewhere, and it works offline and from
//! a mail attachment. Every text in it comes from input (host names from file names, registry
//! values) and goes through HTML escaping.

use super::{Report, Status, Verdict};
use serde::Serialize;

/// One cell of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// `pass`, `fail` or `absent` (not configured / open because absent).
    pub state: &'static str,
    /// The verdict in the report's words: `NotAFinding`, `Open`, `compliant`, `differs`, …
    pub verdict: String,
    /// Expected and found, for a cell that does not pass.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// A column: a STIG rule or a setting.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// `O365-OU-000011`, or a setting's policy id.
    pub id: String,
    /// What it is: `V-223356 MS_Office_365_ProPlus_STIG V3R5, setting L_Minimumencryptionsettings`.
    pub about: String,
}

/// The host × check matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Fleet {
    pub baseline: String,
    /// `MS_Office_365_ProPlus_STIG V3R5`, … (the benchmarks the rules come from).
    pub benchmarks: Vec<String>,
    /// `rules` when the columns are STIG rules, `settings` otherwise.
    pub by: &'static str,
    pub columns: Vec<Column>,
    pub hosts: Vec<String>,
    /// `cells[host][column]`.
    pub cells: Vec<Vec<Cell>>,
}

fn host_of(r: &Report) -> String {
    r.sources
        .iter()
        .map(|s| {
            std::path::Path::new(s)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| s.clone())
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The matrix of reports of one baseline (each report a host).
pub fn fleet(reports: &[Report]) -> Fleet {
    let by_rules = reports.iter().any(|r| !r.rules.is_empty());
    let mut columns: Vec<Column> = Vec::new();
    let mut benchmarks: Vec<String> = Vec::new();
    for r in reports {
        if by_rules {
            for x in &r.rules {
                let b = format!("{} {}", x.benchmark, x.release);
                if !benchmarks.contains(&b) {
                    benchmarks.push(b);
                }
                if !columns.iter().any(|c| c.id == x.id) {
                    columns.push(Column {
                        id: x.id.clone(),
                        about: format!(
                            "{} {} {}, setting {}",
                            x.vuln, x.benchmark, x.release, x.setting
                        ),
                    });
                }
            }
        } else {
            for row in &r.rows {
                if !columns.iter().any(|c| c.id == row.id) {
                    columns.push(Column {
                        id: row.id.clone(),
                        about: row.name.clone(),
                    });
                }
            }
        }
    }
    let cells = reports
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| {
                    if by_rules {
                        match r.rules.iter().find(|x| x.id == c.id) {
                            Some(x) if x.verdict == Verdict::NotAFinding => Cell {
                                state: "pass",
                                verdict: x.verdict.as_str().into(),
                                evidence: Vec::new(),
                            },
                            Some(x) => Cell {
                                state: if x.why.as_deref() == Some("absent") {
                                    "absent"
                                } else {
                                    "fail"
                                },
                                verdict: x.verdict.as_str().into(),
                                evidence: vec![
                                    format!("expected {}", x.expected),
                                    format!("found {}", x.found),
                                ],
                            },
                            None => Cell {
                                state: "absent",
                                verdict: "not evaluated".into(),
                                evidence: Vec::new(),
                            },
                        }
                    } else {
                        match r.rows.iter().find(|x| x.id == c.id) {
                            Some(x) => Cell {
                                state: match x.status {
                                    Status::Compliant => "pass",
                                    Status::Differs => "fail",
                                    Status::NotConfigured => "absent",
                                },
                                verdict: x.status.as_str().into(),
                                evidence: if x.status == Status::Compliant {
                                    Vec::new()
                                } else {
                                    x.expected
                                        .iter()
                                        .zip(&x.actual)
                                        .flat_map(|(e, a)| {
                                            [format!("expected {e}"), format!("found {a}")]
                                        })
                                        .collect()
                                },
                            },
                            None => Cell {
                                state: "absent",
                                verdict: "not evaluated".into(),
                                evidence: Vec::new(),
                            },
                        }
                    }
                })
                .collect()
        })
        .collect();
    Fleet {
        baseline: reports
            .first()
            .map(|r| r.baseline.clone())
            .unwrap_or_default(),
        benchmarks,
        by: if by_rules { "rules" } else { "settings" },
        columns,
        hosts: reports.iter().map(host_of).collect(),
        cells,
    }
}

/// The matrix as CSV: a header (host, passed, then one column per check), a row per host.
pub fn csv(f: &Fleet) -> String {
    let cell = crate::backend::text::csv_cell;
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut head = vec!["host".to_string(), "passed".to_string()];
    head.extend(f.columns.iter().map(|c| cell(&c.id).into_owned()));
    let _ = w.write_record(&head);
    for (h, row) in f.hosts.iter().zip(&f.cells) {
        let passed = row.iter().filter(|c| c.state == "pass").count();
        let mut rec = vec![cell(h).into_owned(), format!("{passed}/{}", row.len())];
        rec.extend(row.iter().map(|c| cell(&c.verdict).into_owned()));
        let _ = w.write_record(&rec);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn h(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

const STYLE: &str = "body{font:14px system-ui,sans-serif;margin:1.5em;color:#1b1b1b}\
h1{font-size:1.4em}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top}\
th.rule{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;white-space:nowrap}\
td.pass{background:#d7f5dd}td.fail{background:#f8d0d0}td.absent{background:#fbecc4}\
details summary{cursor:pointer}details div{font:12px monospace;white-space:pre-wrap;max-width:40em}\
.bar{display:inline-block;height:.8em;background:#3a9a4f}.num{text-align:right}caption{text-align:left;padding:.5em 0}";

const SCRIPT: &str = "function gpforgeFilter(v){for(const r of document.querySelectorAll('#matrix tbody tr')){\
r.style.display=(v==='all'||r.dataset.status===v)?'':'none';}}";

/// The self-contained HTML report.
pub fn html(f: &Fleet) -> String {
    let n = f.hosts.len();
    let mut s =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str(&format!(
        "<title>gpforge fleet report: {}</title>\n<style>{STYLE}</style>\n<script>{SCRIPT}</script>\n</head>\n<body>\n",
        h(&f.baseline)
    ));
    s.push_str(&format!(
        "<h1>Baseline {} on {n} host(s)</h1>\n<p>Checked by {} ({}); benchmarks: {}. Generated by gpforge {}.</p>\n",
        h(&f.baseline),
        if f.by == "rules" {
            "STIG rule (each by DISA's check condition)"
        } else {
            "baseline setting"
        },
        f.columns.len(),
        if f.benchmarks.is_empty() {
            "none (the baseline names no STIG rule)".to_string()
        } else {
            h(&f.benchmarks.join(", "))
        },
        env!("CARGO_PKG_VERSION")
    ));
    // Per check: how many hosts pass.
    s.push_str("<table id=\"per-rule\">\n<caption>Compliance per check</caption>\n<thead><tr><th>Check</th><th>About</th><th>Hosts passing</th><th></th></tr></thead>\n<tbody>\n");
    for (i, c) in f.columns.iter().enumerate() {
        let pass = f.cells.iter().filter(|row| row[i].state == "pass").count();
        let pct = (pass * 100).checked_div(n).unwrap_or(0);
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{pass}/{n}</td><td><span class=\"bar\" style=\"width:{pct}px\"></span></td></tr>\n",
            h(&c.id),
            h(&c.about)
        ));
    }
    s.push_str("</tbody>\n</table>\n");
    s.push_str("<p><label>Show <select id=\"filter\" onchange=\"gpforgeFilter(this.value)\"><option value=\"all\">all hosts</option><option value=\"failing\">hosts with a failing check</option><option value=\"passing\">hosts passing every check</option></select></label></p>\n");
    s.push_str("<table id=\"matrix\">\n<caption>Hosts × checks (click a cell that fails for the values)</caption>\n<thead><tr><th>Host</th><th>Passing</th>");
    for c in &f.columns {
        s.push_str(&format!(
            "<th class=\"rule\" title=\"{}\">{}</th>",
            h(&c.about),
            h(&c.id)
        ));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for (host, row) in f.hosts.iter().zip(&f.cells) {
        let pass = row.iter().filter(|c| c.state == "pass").count();
        let status = if pass == row.len() {
            "passing"
        } else {
            "failing"
        };
        s.push_str(&format!(
            "<tr data-status=\"{status}\"><th scope=\"row\">{}</th><td class=\"num\">{pass}/{}</td>",
            h(host),
            row.len()
        ));
        for c in row {
            if c.evidence.is_empty() {
                s.push_str(&format!(
                    "<td class=\"{}\" title=\"{}\">{}</td>",
                    c.state,
                    h(&c.verdict),
                    if c.state == "pass" { "✓" } else { "–" }
                ));
            } else {
                s.push_str(&format!(
                    "<td class=\"{}\"><details><summary>{}</summary><div>{}</div></details></td>",
                    c.state,
                    h(&c.verdict),
                    h(&c.evidence.join("\n"))
                ));
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    s
}
