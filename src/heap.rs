//! Transparent huge pages for a worker thread's heap, where the system leaves them to the
//! program (`/sys/kernel/mm/transparent_hugepage/enabled` = `madvise`, as on the machines this
//! project is measured on).
//!
//! A worker reads every file of a store into fresh memory and keeps the texts and facts until
//! the store's rules have run: on Microsoft's stores that is about 10,000 page faults, each a
//! trap and a 4 KiB page cleared by the kernel (measured: 12–18% of the run's CPU). glibc's own switch
//! for this, the tunable `glibc.malloc.hugetlb=1`, is read from the environment before `main`
//! and so cannot be set by the program; this does what it does for the calling thread's arena:
//! `madvise(MADV_HUGEPAGE)` over the anonymous mapping that holds its heap (glibc reserves each
//! thread arena's heap as one mapping, committed as it grows). The advice changes only the page
//! size the kernel may use there, never the contents; where anything does not look as expected
//! (another allocator, a mapping with a name, `/proc` unreadable), nothing is advised.

/// Advises huge pages for the heap the calling thread allocates from (see the module).
/// Returns the advised range, `None` when nothing was advised.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn advise_thread_heap() -> Option<std::ops::Range<usize>> {
    // glibc serves this from the thread's arena, whose heap is the mapping sought.
    let probe = Box::new([0u64; 4]);
    let at = std::ptr::from_ref(&*probe) as usize;
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    let range = heap_mapping(&maps, at)?;
    // SAFETY: madvise with MADV_HUGEPAGE only sets the huge-page policy of the mappings in the
    // range (an existing anonymous private mapping of this process, as /proc/self/maps lists
    // it); it neither maps, unmaps nor changes memory contents or protection.
    let r = unsafe {
        libc::madvise(
            range.start as *mut libc::c_void,
            range.end - range.start,
            libc::MADV_HUGEPAGE,
        )
    };
    drop(probe);
    (r == 0).then_some(range)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn advise_thread_heap() -> Option<std::ops::Range<usize>> {
    None
}

/// The anonymous private mapping of `maps` (the text of `/proc/self/maps`) holding address
/// `at`, joined with the inaccessible reservation right after it (the heap's room to grow);
/// `None` when `at` lies in no mapping or in a named one (a file, `[heap]`, `[stack]`).
pub fn heap_mapping(maps: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let mut lines = maps.lines().filter_map(parse_map);
    let heap = lines.find(|m| m.range.contains(&at))?;
    if !heap.anonymous || !heap.perms.starts_with("rw") || !heap.perms.ends_with('p') {
        return None;
    }
    let mut range = heap.range;
    if let Some(next) = lines.next()
        && next.anonymous
        && next.perms == "---p"
        && next.range.start == range.end
    {
        range.end = next.range.end;
    }
    Some(range)
}

/// One line of `/proc/self/maps`.
struct Map<'a> {
    range: std::ops::Range<usize>,
    perms: &'a str,
    anonymous: bool,
}

fn parse_map(line: &str) -> Option<Map<'_>> {
    let mut fields = line.split_ascii_whitespace();
    let (start, end) = fields.next()?.split_once('-')?;
    let perms = fields.next()?;
    let (_offset, _device, inode) = (fields.next()?, fields.next()?, fields.next()?);
    let anonymous = inode == "0" && fields.next().is_none();
    let range = usize::from_str_radix(start, 16).ok()?..usize::from_str_radix(end, 16).ok()?;
    Some(Map {
        range,
        perms,
        anonymous,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPS: &str = "\
55d0c0a00000-55d0c0c00000 r--p 00000000 fe:01 1234   /usr/bin/gpforge
55d0c2000000-55d0c4000000 rw-p 00000000 00:00 0      [heap]
7f3a34000000-7f3a36400000 rw-p 00000000 00:00 0
7f3a36400000-7f3a38000000 ---p 00000000 00:00 0
7f3a38000000-7f3a38021000 rw-p 00000000 00:00 0
7f3a3c000000-7f3a3c200000 r-xp 00000000 fe:01 99     /usr/lib/x86_64-linux-gnu/libc.so.6
";

    /// The mapping holding the address, with the reservation after it; nothing for named
    /// mappings (the main heap, a file) or an address outside every mapping.
    #[test]
    fn the_anonymous_mapping_and_its_reservation() {
        assert_eq!(
            heap_mapping(MAPS, 0x7f3a_3400_1000),
            Some(0x7f3a_3400_0000..0x7f3a_3800_0000)
        );
        // No reservation follows this one (the next mapping is not `---p` and contiguous).
        assert_eq!(
            heap_mapping(MAPS, 0x7f3a_3800_0010),
            Some(0x7f3a_3800_0000..0x7f3a_3802_1000)
        );
        assert_eq!(heap_mapping(MAPS, 0x55d0_c200_0100), None);
        assert_eq!(heap_mapping(MAPS, 0x55d0_c0a0_0100), None);
        assert_eq!(heap_mapping(MAPS, 0x7f3a_3c10_0000), None);
        assert_eq!(heap_mapping(MAPS, 0x1000), None);
        assert_eq!(heap_mapping("garbage\n-\n", 0x1000), None);
    }

    /// On this platform a new thread's heap is found and advised: the kernel lists the advice
    /// (`hg` in the mapping's VmFlags) for the mapping where the range starts.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn a_new_threads_heap_is_advised_huge_pages() {
        let (range, smaps) = std::thread::spawn(|| {
            let range = advise_thread_heap().expect("the thread's heap was advised");
            (
                range,
                std::fs::read_to_string("/proc/self/smaps").expect("smaps"),
            )
        })
        .join()
        .expect("thread");
        let head = format!("{:x}-", range.start);
        let flags = smaps
            .lines()
            .skip_while(|l| !l.starts_with(&head))
            .find(|l| l.starts_with("VmFlags:"))
            .expect("the mapping and its VmFlags");
        assert!(flags.split_ascii_whitespace().any(|f| f == "hg"), "{flags}");
    }
}
