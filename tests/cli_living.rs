//! `coproduction community`, `governance` and `metrics community` run as a built binary on
//! journal files: the community and the governance map in force at a time, read from the
//! journal's own history, the community's figures over time, and typed refusals of a time
//! that cannot be read, a journal that is not there and one with no founding.

#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use coproduction::community::{Community, MemberId};
use coproduction::engine::{Engine, EngineEvent};
use coproduction::governance::{Governance, GovernanceMap};
use coproduction::journal::{FileJournal, Journal, NewEvent};
use coproduction::living::{self, CommunityChange, LivingEvent};
use coproduction::metrics::CommunityMetrics;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");

fn data(file: &str) -> PathBuf {
    Path::new(DATA).join(file)
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coproduction"))
        .args(args)
        .output()
        .unwrap()
}

/// The exit code of input refused (see the tool's guide).
const REFUSED: Option<i32> = Some(1);

/// The exit code of a command line the tool does not take.
const USAGE: Option<i32> = Some(2);

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts the tool stopped with `code`, its message saying `says`, printing nothing.
fn stops(out: &Output, code: Option<i32>, says: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), code, "{stderr}");
    assert!(stderr.contains(says), "{stderr}");
    assert!(out.stdout.is_empty());
}

/// The JSON the tool printed, on success.
fn printed(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn community() -> Community {
    serde_json::from_str(&std::fs::read_to_string(data("community.json")).unwrap()).unwrap()
}

fn map() -> GovernanceMap {
    serde_json::from_str(&std::fs::read_to_string(data("governance.json")).unwrap()).unwrap()
}

/// The seed map with recruitment decided by the decision circle, by consent.
fn recruitment_by_the_circle() -> GovernanceMap {
    let mut map = serde_json::to_value(map()).unwrap();
    for edge in map["edges"].as_array_mut().unwrap() {
        if edge["kind"] == "recruitment" && edge["type"] == "decides" {
            edge["body"] = "decision_circle".into();
            edge["method"] = serde_json::json!({"type": "consent"});
        }
    }
    serde_json::from_value(map).unwrap()
}

/// Runs `requests` (one per line) with the example community and governance map on a new
/// journal in `dir`; returns the journal's path.
fn run(dir: &Path, requests: &[&str]) -> String {
    let journal = dir.join("journal.jsonl");
    let journal = journal.to_str().unwrap().to_owned();
    let out = run_with(&journal, &[], &requests.join("\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    journal
}

/// `run` on `journal` with the example community and governance map, `extra` arguments,
/// and `requests` on stdin.
fn run_with(journal: &str, extra: &[&std::ffi::OsStr], requests: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_coproduction"))
        .args(["run", "--journal", journal, "--community"])
        .arg(data("community.json"))
        .arg("--governance")
        .arg(data("governance.json"))
        .args(extra)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::io::Write::write_all(&mut stdin, requests.as_bytes()).unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

const DECLARES: &str = r#"{"stream": "community", "actor": 21, "now": "2022-09-01T10:00:00Z",
    "command": {"process": "change", "change": {"type": "lived_experience", "member": 21, "declared": true}}}"#;

const JOINS: &str = r#"{"stream": "community", "actor": 1, "now": "2022-10-03T09:00:00Z",
    "command": {"process": "change", "change": {"type": "join", "member": {"id": 29, "name": "New member"}}}}"#;

/// A member recording someone else's joining, with a lived experience only the joiner may
/// declare.
const JOINS_DECLARED: &str = r#"{"stream": "community", "actor": 1, "now": "2022-10-03T09:00:00Z",
    "command": {"process": "change", "change": {"type": "join", "member": {"id": 29, "name": "New member", "lived_experience": true}}}}"#;

/// One line each: the tool reads a request a line.
fn line(request: &str) -> String {
    request.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn community_prints_the_community_in_force_at_the_time_given() {
    let dir = tempfile::tempdir().unwrap();
    let journal = run(dir.path(), &[&line(DECLARES), &line(JOINS)]);
    let at = |time: &str| -> Community {
        let out = cli(&["community", "--journal", &journal, "--at", time]);
        serde_json::from_value(printed(&out)).unwrap()
    };

    // Before any change: the community file the journal was founded with, in its shape.
    assert_eq!(at("2022-08-01T00:00:00Z"), community());
    let lived = |c: &Community| c.member(MemberId::new(21)).unwrap().lived_experience;
    assert!(!lived(&at("2022-09-01T09:59:59Z")));
    let september = at("2022-09-01T10:00:00Z");
    assert!(lived(&september));
    assert!(september.member(MemberId::new(29)).is_none());
    let october = at("2022-10-03T09:00:00Z");
    assert!(october.member(MemberId::new(29)).is_some());
    assert_eq!(october.members().len(), community().members().len() + 1);
}

#[test]
fn a_member_records_another_joining_but_not_what_only_the_joiner_declares() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let journal = journal.to_str().unwrap();
    let out = run_with(journal, &[], &line(JOINS_DECLARED));
    stops(
        &out,
        REFUSED,
        "member m1 may record that member m29 joins, but not their lived_experience",
    );
    // The joiner, once in, declares it.
    let declares = JOINS_DECLARED
        .replace(r#""actor": 1"#, r#""actor": 29"#)
        .replace("09:00:00Z", "09:05:00Z")
        .replace(
            r#"{"type": "join", "member": {"id": 29, "name": "New member", "lived_experience": true}}"#,
            r#"{"type": "lived_experience", "member": 29, "declared": true}"#,
        );
    let out = run_with(journal, &[], &[line(JOINS), line(&declares)].join("\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cli(&[
        "community",
        "--journal",
        journal,
        "--at",
        "2022-10-03T09:05:00Z",
    ]);
    let community: Community = serde_json::from_value(printed(&out)).unwrap();
    assert!(
        community
            .member(MemberId::new(29))
            .unwrap()
            .lived_experience
    );
}

#[test]
fn governance_prints_the_map_in_force_at_the_time_given_with_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let founded_at: jiff::Timestamp = "2021-01-04T09:00:00Z".parse().unwrap();
    let changed_at: jiff::Timestamp = "2021-06-10T12:00:00Z".parse().unwrap();
    {
        let (file, _) = FileJournal::open(&path).unwrap();
        let community = community();
        let governance = Governance::new(map(), &community).unwrap();
        let engine = Engine::builder(community)
            .governance(governance)
            .founded_at(founded_at)
            .open(file)
            .unwrap();
        // The change a governance decision adopts, written as the engine writes it. (One
        // writer throughout: a child process another test starts may briefly hold a copy
        // of a file's lock after it is dropped here.)
        let file = engine.journal();
        let event = EngineEvent::Community {
            event: LivingEvent::Changed {
                change: Box::new(CommunityChange::Governance {
                    map: recruitment_by_the_circle(),
                }),
                decided_by: Some("who-recruits".parse().unwrap()),
                from: None,
                attested_by: None,
            },
        };
        // And a member's own change later, which leaves the map as it is.
        let declared = EngineEvent::Community {
            event: LivingEvent::Changed {
                change: Box::new(CommunityChange::LivedExperience {
                    member: MemberId::new(21),
                    declared: true,
                }),
                decided_by: None,
                from: None,
                attested_by: None,
            },
        };
        file.append(
            &living::stream(),
            1,
            vec![NewEvent::new(MemberId::new(1), changed_at, event)],
        )
        .unwrap();
        let later = "2021-09-01T10:00:00Z".parse().unwrap();
        file.append(
            &living::stream(),
            2,
            vec![NewEvent::new(MemberId::new(21), later, declared)],
        )
        .unwrap();
    }
    let journal = path.to_str().unwrap();
    let at = |time: &str| printed(&cli(&["governance", "--journal", journal, "--at", time]));

    let founding = at("2021-06-10T11:59:59Z");
    assert_eq!(
        founding["map"],
        serde_json::to_value(map()).unwrap(),
        "the founding's map"
    );
    assert_eq!(
        founding["hash"],
        living::governance_hash(&map()).to_string()
    );
    assert_eq!(founding["from"], founded_at.to_string());
    let changed = at("2021-06-10T12:00:00Z");
    let new_map = recruitment_by_the_circle();
    assert_eq!(changed["map"], serde_json::to_value(&new_map).unwrap());
    assert_eq!(
        changed["hash"],
        living::governance_hash(&new_map).to_string()
    );
    assert_eq!(changed["from"], changed_at.to_string());
    assert_ne!(changed["hash"], founding["hash"]);
    // The map in force since the governance change, whatever changed after it.
    assert_eq!(at("2021-09-01T10:00:00Z"), changed);
    // A time before the founding reads the founding.
    assert_eq!(at("2000-01-01T00:00:00Z"), founding);
}

#[test]
fn governance_prints_no_map_for_a_community_that_routes_no_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let (file, _) = FileJournal::open(&path).unwrap();
    drop(Engine::open(community(), None, Default::default(), file).unwrap());
    let out = cli(&[
        "governance",
        "--journal",
        path.to_str().unwrap(),
        "--at",
        "2022-01-01T00:00:00Z",
    ]);
    let printed = printed(&out);
    assert!(
        printed["map"].is_null() && printed["hash"].is_null(),
        "{printed}"
    );
}

#[test]
fn metrics_community_prints_the_figures_over_time_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let journal = run(dir.path(), &[&line(DECLARES), &line(JOINS)]);
    let out = cli(&["metrics", "community", "--journal", &journal]);
    let metrics: CommunityMetrics = serde_json::from_value(printed(&out)).unwrap();
    let (file, _) = FileJournal::<EngineEvent>::snapshot(Path::new(&journal)).unwrap();
    let expected = CommunityMetrics::from_journal(&file.read_all().unwrap()).unwrap();
    assert_eq!(metrics, expected);
    let months: Vec<&str> = metrics.months.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(months, ["2022-09", "2022-10"]);
    assert_eq!(metrics.months[1].joined, [MemberId::new(29)].into());

    // The decisions' metrics are still there, with their own arguments.
    let out = cli(&[
        "metrics",
        "--journal",
        &journal,
        "--community",
        data("community.json").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Decisions: 0\n"));
}

#[test]
fn a_time_that_cannot_be_read_a_missing_journal_and_no_founding_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let journal = run(dir.path(), &[&line(DECLARES)]);
    for command in ["community", "governance"] {
        let out = cli(&[command, "--journal", &journal, "--at", "next tuesday"]);
        stops(&out, REFUSED, "--at `next tuesday`");
        let out = cli(&[
            command,
            "--journal",
            &journal,
            "--at",
            "2022-13-01T00:00:00Z",
        ]);
        stops(&out, REFUSED, "--at");
    }

    // Every reader of a journal, on the journal at `path`.
    let readers = |path: &str| -> [Vec<String>; 3] {
        let at = |command: &str| {
            [command, "--journal", path, "--at", "2022-01-01T00:00:00Z"].map(String::from)
        };
        [
            at("community").to_vec(),
            at("governance").to_vec(),
            ["metrics", "community", "--journal", path]
                .map(String::from)
                .to_vec(),
        ]
    };
    let run_with = |args: &[String]| cli(&args.iter().map(String::as_str).collect::<Vec<_>>());

    let missing = dir.path().join("nowhere.jsonl");
    let missing = missing.to_str().unwrap();
    for args in readers(missing) {
        stops(&run_with(&args), REFUSED, "cannot read");
        assert!(!Path::new(missing).exists());
    }

    // A journal with no founding: nothing in it says what the community was.
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    for args in readers(empty.to_str().unwrap()) {
        stops(&run_with(&args), REFUSED, "the journal has no founding");
    }

    // The time is required.
    let out = cli(&["community", "--journal", &journal]);
    assert_eq!(out.status.code(), USAGE);
    assert!(text(&out.stderr).contains("--at"));
}

#[test]
fn run_dates_a_new_journals_founding_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let journal = journal.to_str().unwrap();
    let founded = |extra: &[&str]| {
        let mut args = vec!["run", "--journal", journal, "--community"];
        let community = data("community.json");
        args.push(community.to_str().unwrap());
        args.extend_from_slice(extra);
        let out = Command::new(env!("CARGO_BIN_EXE_coproduction"))
            .args(&args)
            .output()
            .unwrap();
        (out.status.code(), text(&out.stderr))
    };
    let (code, stderr) = founded(&["--founded-at", "March"]);
    assert_eq!(code, REFUSED, "{stderr}");
    assert!(stderr.contains("--founded-at"), "{stderr}");
    let (code, stderr) = founded(&["--founded-at", "2021-01-04T09:00:00Z"]);
    assert_eq!(code, Some(0), "{stderr}");
    let first = std::fs::read_to_string(journal).unwrap();
    let founding: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    assert_eq!(founding["time"], "2021-01-04T09:00:00Z");
    assert_eq!(founding["event"]["event"]["type"], "founded");
}

#[test]
fn run_founds_a_journal_with_a_funding_policy_that_identify_then_follows() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let journal = journal.to_str().unwrap();
    let run = |policy: &Path, requests: &str| {
        run_with(
            journal,
            &["--funding-policy".as_ref(), policy.as_os_str()],
            requests,
        )
    };
    // No policy in the request: the community's, from the founding, screens the offer.
    let identify = line(
        r#"{"stream": "offer-trust", "actor": 1, "now": "2022-10-03T09:00:00Z",
        "command": {"process": "funding", "command": {"type": "identify",
            "offer": {"kind": "funding", "funder": "A local trust", "sector": "Charitable trust",
                      "description": "Room hire", "amount": 500}}}}"#,
    );
    let out = run(&data("funding_policy.json"), &identify);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(written[0]["event"]["type"], "started");
    let founding = std::fs::read_to_string(journal).unwrap();
    let founding: serde_json::Value =
        serde_json::from_str(founding.lines().next().unwrap()).unwrap();
    assert_eq!(
        founding["event"]["event"]["funding_policy"]["red_line_sectors"],
        serde_json::json!(["arms", "tobacco"])
    );

    // Another policy than the journal's founding: refused, naming the part.
    let mut stricter: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("funding_policy.json")).unwrap())
            .unwrap();
    stricter["red_line_sectors"] = serde_json::json!(["arms", "gambling", "tobacco"]);
    let other = dir.path().join("stricter.json");
    std::fs::write(&other, stricter.to_string()).unwrap();
    let before = std::fs::read(journal).unwrap();
    let out = run(&other, "");
    stops(&out, REFUSED, "funding policy");
    assert_eq!(std::fs::read(journal).unwrap(), before);

    // A policy that does not validate founds nothing.
    stricter["comment_window_days"] = 30.into();
    std::fs::write(&other, stricter.to_string()).unwrap();
    let fresh = dir.path().join("fresh.jsonl");
    let out = Command::new(env!("CARGO_BIN_EXE_coproduction"))
        .args(["run", "--journal", fresh.to_str().unwrap(), "--community"])
        .arg(data("community.json"))
        .arg("--funding-policy")
        .arg(&other)
        .output()
        .unwrap();
    stops(&out, REFUSED, "comment_window_days");
    assert!(
        std::fs::read_to_string(&fresh)
            .unwrap_or_default()
            .is_empty()
    );
}

/// A community file is held to the limits a request is: a name that hides or reorders
/// what a reader sees, or is too long, is refused naming where, and no journal is founded
/// on it; and a joiner cannot go by a name that reads as another member's.
#[test]
fn a_community_file_and_a_join_are_held_to_what_a_reader_sees() {
    let dir = tempfile::tempdir().unwrap();
    for (name, says) in [
        ("Staff \u{202E}1 rebmem", "U+202E"),
        ("\u{1B}[31mStaff", "U+001B"),
        (&"n".repeat(301), "300"),
    ] {
        let mut file = serde_json::to_value(community()).unwrap();
        file["members"][0]["name"] = name.into();
        let path = dir.path().join("community.json");
        std::fs::write(&path, file.to_string()).unwrap();
        let journal = dir.path().join("journal.jsonl");
        let out = Command::new(env!("CARGO_BIN_EXE_coproduction"))
            .args(["run", "--journal", journal.to_str().unwrap(), "--community"])
            .arg(&path)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        stops(&out, REFUSED, says);
        assert!(
            text(&out.stderr).contains("members[0].name"),
            "{}",
            text(&out.stderr)
        );
        assert!(!journal.exists());
    }

    let journal = dir.path().join("journal.jsonl");
    let journal = journal.to_str().unwrap();
    let lookalike = JOINS.replace("New member", "staff MEMBER \u{200B}1");
    let out = run_with(journal, &[], &line(&lookalike));
    stops(&out, REFUSED, "goes by a name that reads the same");
}
