//! Helpers shared by the benchmarks: one child process timed alone (wall, CPU, peak memory),
//! and a hostile ADMX.
#![allow(dead_code)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct Run {
    pub wall: Duration,
    pub cpu: Duration,
    pub peak_kb: u64,
}

/// Runs a command to completion with its output discarded; wall, CPU and peak memory of that
/// process alone. `wait4` reaps the child (so std's `wait` is not called).
#[allow(clippy::zombie_processes)]
pub fn run(cmd: &mut Command) -> Run {
    let started = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; the pid is our own child's.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert!(pid > 0, "wait4 failed");
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_kb: usage.ru_maxrss as u64,
    }
}

/// An ADMX whose root carries `n` attributes the schema does not know: n findings in one line.
pub fn attributes_admx(n: usize) -> Vec<u8> {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><policyDefinitions xmlns=\"http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions\" revision=\"1.0\" schemaVersion=\"1.0\"",
    );
    for i in 0..n {
        s.push_str(&format!(" b{i}=\"x\""));
    }
    s.push_str("><policyNamespaces><target prefix=\"a\" namespace=\"A.B\"/></policyNamespaces><resources minRequiredRevision=\"1.0\"/></policyDefinitions>");
    s.into_bytes()
}
