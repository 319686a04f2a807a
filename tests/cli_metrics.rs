//! `coproduction metrics` run as a built binary on a journal file the engine wrote: the
//! table by default, JSON on request, a decision judged by the community it was taken in,
//! and a clear error for a journal that is not there.

#![cfg(feature = "cli")]

mod engine_support;
mod metrics_support;

use std::path::Path;
use std::process::{Command, Output};

use coproduction::engine::Engine;
use coproduction::journal::FileJournal;
use coproduction::metrics::Metrics;

use metrics_support::{CHARTER, changed_mind, cocreation, community, drive};

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

/// The metrics of `journal` as the tool prints them in JSON, with the seed community and
/// no charter or model.
fn metrics_json(journal: &str) -> Metrics {
    let out = cli(&[
        "metrics",
        "--journal",
        journal,
        "--community",
        COMMUNITY,
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
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

    // Without a charter, the journal's own applies (its founding's, 14 days), not the
    // default's 28; without a model, no feedback.
    let metrics = metrics_json(&journal);
    assert_eq!(metrics.publication.publish_days, 14);
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

/// A member's declaration made before a decision counts in its figures, though the
/// community file given says otherwise: the journal's own history is what the decision was
/// taken in.
#[test]
fn a_decision_is_judged_by_the_community_the_journal_says_it_was_taken_in() {
    use coproduction::community::MemberId;
    use coproduction::engine::{ProcessCommand, Request};
    use coproduction::living::{self, CommunityChange};
    use engine_support::funding::{decide_with_evidence, ready_requests};

    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let (file, _) = FileJournal::open(&journal).unwrap();
    let community = engine_support::community();
    let engine = Engine::builder(community.clone())
        .governance(engine_support::governance(&community))
        .founded_at("2024-01-01T00:00:00Z".parse().unwrap())
        .open(file)
        .unwrap();
    // Staff member 2 declares lived experience before the offer comes in.
    let declared = CommunityChange::LivedExperience {
        member: MemberId::new(2),
        declared: true,
    };
    engine
        .handle(Request::new(
            living::stream(),
            MemberId::new(2),
            "2024-02-01T09:00:00Z".parse().unwrap(),
            ProcessCommand::Change {
                change: Box::new(declared),
            },
        ))
        .unwrap();
    for request in ready_requests() {
        engine.handle(request).unwrap();
    }
    engine.handle(decide_with_evidence()).unwrap();
    drop(engine);

    let metrics = metrics_json(journal.to_str().unwrap());
    let d = &metrics.decisions[0];
    assert_eq!(d.stream.as_str(), "room-hire");
    // Members 1, 2 and 4 brought lived experience when the staff team decided; the file
    // given, the founding's, names only 1 and 4.
    assert_eq!((d.participation.part, d.participation.whole), (4, 4));
    assert_eq!((d.lived_experience.part, d.lived_experience.whole), (3, 4));
}

/// An objection its member replaced with consent before the close is counted as raised
/// and withdrawn, through the tool as through the library.
#[test]
fn an_objection_taken_back_by_a_later_response_is_counted_by_the_tool() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let (file, _) = FileJournal::open(&journal).unwrap();
    let engine = Engine::open(community(), None, metrics_support::charter(), file).unwrap();
    changed_mind(&engine);
    let metrics = metrics_json(journal.to_str().unwrap());
    let d = metrics
        .decisions
        .iter()
        .find(|d| d.stream.as_str() == "meeting-rooms")
        .unwrap();
    assert_eq!((d.objections.raised, d.objections.withdrawn), (1, 1));
}
