//! The `coproduction` tool's `due` and `tick`, run as a built binary over the journal `run`
//! writes: what is due as JSON, the configured step taken once, and nothing on a second
//! tick.

#![cfg(feature = "cli")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use coproduction::community::{Community, MemberId};
use coproduction::consent::{AtDeadline, RoundCommand, RoundConfig, RoundRoles, TimeBox};
use coproduction::decision::DecisionKind;
use coproduction::engine::{ProcessCommand, Request};
use coproduction::journal::StreamId;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");

fn community_file() -> PathBuf {
    Path::new(DATA).join("community.json")
}

fn cli(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_coproduction"))
        .args(args)
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

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The requests that open a round in the associate-roles team that defers at its deadline,
/// 10:30, and bring it to its first objection round.
fn requests() -> String {
    let community: Community =
        serde_json::from_str(&std::fs::read_to_string(community_file()).unwrap()).unwrap();
    let roles = RoundRoles {
        proposer: MemberId::new(1),
        facilitator: MemberId::new(13),
        secretary: MemberId::new(2),
    };
    let mut config = RoundConfig::consent(
        &community,
        &"associate_roles_team".parse().unwrap(),
        "Pilot",
        "Six months",
        roles,
    )
    .unwrap();
    config.time_box = TimeBox {
        deadline: Some("2022-09-01T10:30:00Z".parse().unwrap()),
        at_deadline: AtDeadline::Defer,
        ..TimeBox::default()
    };
    let stream = StreamId::new("working-model").unwrap();
    let open = Request::new(
        stream,
        MemberId::new(1),
        "2022-09-01T10:00:00Z".parse().unwrap(),
        ProcessCommand::Consent {
            command: RoundCommand::Open {
                config: Box::new(config),
            },
        },
    )
    .with_kind(DecisionKind::WorkingModel);
    let mut lines = vec![serde_json::to_string(&open).unwrap()];
    for minute in 1..=3 {
        lines.push(format!(
            r#"{{"stream": "working-model", "actor": 13, "now": "2022-09-01T10:0{minute}:00Z", "command": {{"process": "consent", "command": {{"type": "advance"}}}}}}"#
        ));
    }
    lines.join("\n")
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).unwrap().lines().count()
}

#[test]
fn due_and_tick_read_and_move_the_journal_run_writes() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let path = journal.to_str().unwrap();
    let community = community_file();
    let out = cli(
        &[
            "run",
            "--journal",
            path,
            "--community",
            community.to_str().unwrap(),
        ],
        &requests(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    let due = |now: &str| -> serde_json::Value {
        let out = cli(&["due", "--journal", path, "--now", now], "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_str(text(&out.stdout).trim()).unwrap()
    };
    let before = due("2022-09-01T10:10:00Z");
    assert_eq!(before[0]["stream"], "working-model");
    assert_eq!(before[0]["item"]["type"], "responses_awaited");
    assert_eq!(before[0]["item"]["by"], "2022-09-01T10:30:00Z");
    let after = due("2022-09-01T10:31:00Z");
    assert_eq!(after[0]["item"]["type"], "time_box_passed");
    assert_eq!(after[0]["item"]["at_deadline"], "defer");
    assert_eq!(after[0]["item"]["step"], "defer");

    let written = lines(&journal);
    let tick = |now: &str| -> serde_json::Value {
        let out = cli(&["tick", "--journal", path, "--now", now], "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_str(text(&out.stdout).trim()).unwrap()
    };
    let done = tick("2022-09-01T10:31:00Z");
    assert_eq!(done["taken"][0]["step"], "defer");
    assert_eq!(done["taken"][0]["events"][0]["actor"], 0);
    assert_eq!(
        done["taken"][0]["events"][0]["event"]["event"]["type"],
        "time_box_lapsed"
    );
    assert_eq!(lines(&journal), written + 2);
    // Nothing is left to do: a second tick writes nothing.
    let again = tick("2022-09-01T10:31:00Z");
    assert_eq!(again, serde_json::json!({"taken": []}));
    assert_eq!(lines(&journal), written + 2);
    assert_eq!(due("2022-09-01T10:31:00Z"), serde_json::json!([]));

    // A time that cannot be read is refused.
    let out = cli(&["tick", "--journal", path, "--now", "yesterday"], "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(lines(&journal), written + 2);
}
