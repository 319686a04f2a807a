//! `coproduction metrics` run as a built binary on a journal file the engine wrote: the
//! table by default, JSON on request, and a clear error for a journal that is not there.

#![cfg(feature = "cli")]

mod metrics_support;

use std::path::Path;
use std::process::{Command, Output};

use coproduction::engine::Engine;
use coproduction::journal::FileJournal;
use coproduction::metrics::Metrics;

use metrics_support::{CHARTER, cocreation, community, drive};

const COMMUNITY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/community.json");

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coproduction"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes the journal, the charter and the co-creation model into `dir`.
fn files(dir: &Path) -> [String; 3] {
    let journal = dir.join("journal.jsonl");
    let (file, _) = FileJournal::open(&journal).unwrap();
    let engine = Engine::open(community(), None, metrics_support::charter(), file).unwrap();
    drive(&engine);
    let charter = dir.join("charter.json");
    std::fs::write(&charter, CHARTER).unwrap();
    let model = dir.join("cocreation.json");
    std::fs::write(&model, serde_json::to_string(&cocreation()).unwrap()).unwrap();
    [journal, charter, model].map(|p| p.to_str().unwrap().to_owned())
}

#[test]
fn metrics_print_as_a_table_by_default_and_as_json_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let [journal, charter, model] = files(dir.path());
    let common = [
        "metrics",
        "--journal",
        &journal,
        "--community",
        COMMUNITY,
        "--charter",
        &charter,
        "--cocreation",
        &model,
    ];

    let out = cli(&common);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.starts_with("Decisions: 3\n"), "{table}");
    assert!(
        table.contains("working-model  working_model  decision_circle  consent  6 of 8 (75%)"),
        "{table}"
    );
    assert!(
        table.contains("rationale and publication within 14 days  1 of 2 (50%)"),
        "{table}"
    );
    assert!(
        table.contains("carried into themes  3 of 4 (75%)"),
        "{table}"
    );

    let mut args = common.to_vec();
    args.extend(["--format", "json"]);
    let out = cli(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let metrics: Metrics = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(metrics.decisions.len(), 3);
    assert_eq!(metrics.totals.participation.to_string(), "11 of 20 (55%)");
    assert_eq!(metrics.publication.in_time.to_string(), "1 of 2 (50%)");
    // The table printed by the tool is the library's table of the same figures.
    assert_eq!(metrics.table().to_string(), table);

    // Without a charter, the default charter's 28 days apply; without a model, no feedback.
    let out = cli(&[
        "metrics",
        "--journal",
        &journal,
        "--community",
        COMMUNITY,
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let metrics: Metrics = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(metrics.publication.publish_days, 28);
    assert_eq!(metrics.feedback, None);
}

#[test]
fn a_missing_journal_is_an_error_and_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.jsonl");
    let missing = missing.to_str().unwrap();
    let out = cli(&["metrics", "--journal", missing, "--community", COMMUNITY]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("cannot read") && stderr.contains("nowhere.jsonl"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    assert!(!Path::new(missing).exists());

    let out = cli(&[
        "metrics",
        "--journal",
        missing,
        "--community",
        COMMUNITY,
        "--format",
        "csv",
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("csv"));
}
