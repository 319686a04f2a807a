//! What the examples print reads as words: no Rust debug output (`Some(..)`, a struct's
//! fields, an enum variant's name), a gate that passes on a warning says it was
//! acknowledged, and the walkthrough's counts and labels are right.
//!
//! The examples' programs are built by a whole `cargo test` run, beside the tests; where one
//! was not built (a run of this test alone), the test says so and skips it.

use std::path::PathBuf;
use std::process::Command;

/// The built example `name`, if `cargo test` built it.
fn example(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let debug = exe.parent()?.parent()?;
    let path = debug.join("examples").join(name);
    path.exists().then_some(path)
}

/// What `name` prints, run with `args`; `None` where it was not built.
fn output(name: &str, args: &[&std::ffi::OsStr]) -> Option<String> {
    let Some(path) = example(name) else {
        eprintln!("example {name} is not built (run the whole `cargo test`): skipped");
        return None;
    };
    let out = Command::new(path).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// The lines of `text` outside its Graphviz DOT, which is code, not prose.
fn prose(text: &str) -> Vec<&str> {
    let mut dot = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.starts_with("digraph") {
            dot = true;
        }
        if !dot && !line.trim_start().starts_with('{') && !line.trim_start().starts_with('"') {
            lines.push(line);
        }
        if dot && line == "}" {
            dot = false;
        }
    }
    lines
}

fn no_debug_output(name: &str, text: &str) {
    for line in prose(text) {
        for debug in [
            "Some(",
            "None)",
            " { ",
            "NotOverridable",
            "NeedsOverride",
            "Amount {",
        ] {
            assert!(!line.contains(debug), "{name} prints debug output: {line}");
        }
    }
}

#[test]
fn the_consent_round_example_says_why_a_warning_does_not_stop_the_gate() {
    let Some(text) = output("consent_round", &[]) else {
        return;
    };
    no_debug_output("consent_round", &text);
    assert!(text.contains(
        "Objection round 1 closed: 3 of 3 responded (3 with lived experience): 2 consented (1 of them with a concern), 1 objected.\n"
    ));
    let passes = text.find("The gate passes").unwrap();
    assert!(
        text[passes..]
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("  I9's warning is acknowledged by ")),
        "{text}"
    );
}

#[test]
fn the_funding_example_names_its_reasons_and_refusals_in_words() {
    let Some(text) = output("funding_decision", &[]) else {
        return;
    };
    no_debug_output("funding_decision", &text);
    assert!(
        text.contains(
            "Tier 2, because: £12000 calls for tier 1; a condition restricts publication\n"
        )
    );
    assert!(text.contains("The gate on an acceptance: C4 cannot be overridden"));
    assert!(text.contains("  I9's warning is acknowledged by "));
}

#[test]
fn the_working_model_example_pilots_from_march_2023_as_the_community_planned() {
    let Some(text) = output("working_model", &[]) else {
        return;
    };
    no_debug_output("working_model", &text);
    assert!(text.contains("- Decided: 2023-02-06\n"));
    assert!(text.contains("The pilot runs from 2023-03-01 to its review on 2023-09-01.\n"));
}

#[test]
fn the_walkthrough_counts_its_waves_and_labels_each_report() {
    let dir = tempfile::tempdir().unwrap();
    let Some(text) = output("collective", &[dir.path().as_os_str()]) else {
        return;
    };
    assert!(text.contains(
        "Co-producers recruited in 2 waves (October 2022 and October 2023), each after an open advert"
    ));
    // The round's report while the objection was open, then the adopted one, each labelled.
    let open = text
        .find("Co-producer 2 objects. While the objection is open: T3 violated")
        .unwrap();
    let adopted = text
        .find("The adopted round's report, as published on 2022-07-26:\n  Values: ")
        .unwrap();
    assert!(open < adopted);
}
