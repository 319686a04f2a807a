//! Hostile JSON through the tool, as a property: `coproduction run` takes the working-model
//! round's lines up to one, then that line damaged at random (see `wire_damage`). The tool
//! either takes it (exit 0) or refuses it (exit 1) with a short message on stderr naming the
//! line, and a refused line leaves the journal file as it was, byte for byte. It never
//! stops any other way.
//!
//! Each case runs the tool twice, so the cases are fewer: `COPRODUCTION_PROPTEST_CASES`
//! sets them (48 by default).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use proptest::prelude::*;

mod engine_support;
mod wire_damage;

use wire_damage::*;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");

/// Runs `coproduction run` on `journal` with the seed community and map, `stdin` as input.
fn run(journal: &Path, stdin: &str) -> Output {
    let data = |file: &str| Path::new(DATA).join(file);
    let mut child = Command::new(env!("CARGO_BIN_EXE_coproduction"))
        .args(["run", "--journal"])
        .arg(journal)
        .arg("--community")
        .arg(data("community.json"))
        .arg("--governance")
        .arg(data("governance.json"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn journal_in(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("journal.jsonl")
}

#[test]
fn the_tool_takes_every_line_of_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let lines = corpus();
    let out = run(&journal_in(&dir), &(lines.join("\n") + "\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(48), ..ProptestConfig::default() })]

    #[test]
    fn the_tool_takes_or_refuses_a_damaged_line_and_a_refused_one_writes_nothing(damaged in damaged_line()) {
        let DamagedLine { lines, n, line } = damaged;
        let dir = tempfile::tempdir().unwrap();
        let journal = journal_in(&dir);
        // The journal is founded when the tool first opens it, with the community and map
        // given (with no line at all, for the first): what the damaged line may not change
        // is what stands after that.
        let prefix: String = lines[..n].iter().map(|l| format!("{l}\n")).collect();
        let out = run(&journal, &prefix);
        prop_assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let before = std::fs::read(&journal).unwrap_or_default();
        let out = run(&journal, &(line.clone() + "\n"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => {}
            Some(1) => {
                prop_assert_eq!(
                    std::fs::read(&journal).unwrap_or_default(),
                    before,
                    "a refused line wrote: {}",
                    line
                );
                prop_assert!(stderr.contains("line 1"), "{}", stderr);
                said_in_short(&stderr, 2000)?;
            }
            other => prop_assert!(false, "stopped with {:?}: {}", other, stderr),
        }
    }
}
