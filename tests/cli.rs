//! The `coproduction` command-line tool, run as a built binary on files: good input, malformed
//! JSON, unknown fields, illegal transitions and ineligible actors. A refused request leaves the
//! journal as it was.

#![cfg(feature = "cli")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use coproduction::community::{Community, MemberId};
use coproduction::consent::{RoundCommand, RoundConfig, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::engine::{ProcessCommand, Request};
use coproduction::journal::StreamId;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");

fn data(file: &str) -> PathBuf {
    Path::new(DATA).join(file)
}

fn cli(args: &[&str], stdin: &str) -> Output {
    cli_bytes(args, stdin.as_bytes())
}

fn cli_bytes(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_coproduction"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The tool may refuse before it reads its input (a locked journal), closing the pipe.
    let written = child.stdin.take().unwrap().write_all(stdin);
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

/// The exit code of input refused, or of a request in it (see the tool's guide).
const REFUSED: Option<i32> = Some(1);

/// The exit code of a tool that could not do its work: its journal unusable.
const FAILED: Option<i32> = Some(3);

/// Asserts the tool stopped with `code`, its message saying `says`.
fn stops(out: &Output, code: Option<i32>, says: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), code, "{stderr}");
    assert!(stderr.contains(says), "{stderr}");
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The request that opens a working-model round in the associate-roles team.
fn open_line() -> String {
    let community: Community =
        serde_json::from_str(&std::fs::read_to_string(data("community.json")).unwrap()).unwrap();
    let roles = RoundRoles {
        proposer: MemberId::new(1),
        facilitator: MemberId::new(13),
        secretary: MemberId::new(2),
    };
    let config = RoundConfig::consent(
        &community,
        &"associate_roles_team".parse().unwrap(),
        "Pilot",
        "Six months",
        roles,
    )
    .unwrap();
    let request = Request::new(
        StreamId::new("working-model").unwrap(),
        MemberId::new(1),
        "2022-09-01T10:00:00Z".parse().unwrap(),
        ProcessCommand::Consent {
            command: RoundCommand::Open {
                config: Box::new(config),
            },
        },
    )
    .with_kind(DecisionKind::WorkingModel);
    serde_json::to_string(&request).unwrap()
}

fn line(actor: u64, minute: u32, command: &str) -> String {
    format!(
        r#"{{"stream": "working-model", "actor": {actor}, "now": "2022-09-01T10:{minute:02}:00Z", "command": {{"process": "consent", "command": {command}}}}}"#
    )
}

struct Journal {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Journal {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        Self { _dir: dir, path }
    }

    /// How many lines the journal holds.
    fn lines(&self) -> usize {
        self.bytes().iter().filter(|&&b| b == b'\n').count()
    }

    fn run(&self, stdin: &str) -> Output {
        self.run_bytes(stdin.as_bytes())
    }

    fn run_bytes(&self, stdin: &[u8]) -> Output {
        let community = data("community.json");
        let governance = data("governance.json");
        cli_bytes(
            &[
                "run",
                "--journal",
                self.path.to_str().unwrap(),
                "--community",
                community.to_str().unwrap(),
                "--governance",
                governance.to_str().unwrap(),
            ],
            stdin,
        )
    }

    fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.path).unwrap_or_default()
    }
}

#[test]
fn run_writes_one_line_of_events_per_request_and_replay_verifies_them() {
    let journal = Journal::new();
    let input = [
        open_line(),
        line(13, 1, r#"{"type": "advance"}"#),
        line(13, 2, r#"{"type": "advance"}"#),
    ]
    .join("\n");
    let out = journal.run(&input);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0][0]["event"]["type"], "started");
    assert_eq!(lines[0][1]["event"]["event"]["type"], "opened");
    assert_eq!(lines[2][0]["event"]["event"]["to"], "reactions");

    let out = cli(&["replay", "--journal", journal.path.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    // The founding, then the three requests' events.
    assert_eq!(summary["events"], 5);
    assert_eq!(summary["chain"], "verified");
    assert_eq!(summary["streams"][0]["phase"], "reactions");
}

#[test]
fn bad_requests_stop_with_a_message_and_write_nothing() {
    let journal = Journal::new();
    assert!(journal.run(&open_line()).status.success());
    let before = journal.bytes();

    for (input, expected) in [
        (
            "{not json".to_owned(),
            "request on line 1: cannot read the request",
        ),
        (
            line(13, 1, r#"{"type": "advance", "force": true}"#),
            "unknown field `force`",
        ),
        (
            line(13, 1, r#"{"type": "advance"}"#)
                .replace(r#""actor""#, r#""priority": 1, "actor""#),
            "unknown field `priority`",
        ),
        // An illegal transition: closing a round that is only presented.
        (
            line(13, 1, r#"{"type": "close_round"}"#),
            "cannot close_round in phase `presented`",
        ),
        // A clarifying question before the clarifying phase.
        (
            line(5, 1, r#"{"type": "ask_question", "question": "Why?"}"#),
            "cannot ask_question in phase `presented`",
        ),
        // Somebody who is not in the community at all.
        (
            line(99, 1, r#"{"type": "advance"}"#),
            "member m99 is not in the community",
        ),
        // A request from the future, which would date the community's history ahead.
        (
            line(13, 1, r#"{"type": "advance"}"#)
                .replace("2022-09-01T10:01:00Z", "2999-01-01T00:00:00Z"),
            "dated 2999-01-01T00:00:00Z, after the machine's clock",
        ),
        // A terminal escape in a question.
        (
            line(
                5,
                1,
                r#"{"type": "ask_question", "question": "Why\u001b[31m?"}"#,
            ),
            "`command.command.question` holds the character U+001B at character 4",
        ),
    ] {
        let out = journal.run(&input);
        assert_eq!(out.status.code(), REFUSED, "{input}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{input}\n{stderr}");
        assert_eq!(journal.bytes(), before, "nothing is written for {input}");
    }
}

/// A refused first request on a journal the run would found founds nothing: the journal
/// is left empty; one request handled, and it is founded and kept.
#[test]
fn a_refused_first_request_founds_no_journal() {
    let journal = Journal::new();
    for input in [
        "{not json".to_owned(),
        line(99, 1, r#"{"type": "advance"}"#),
    ] {
        let out = journal.run(&input);
        assert_eq!(out.status.code(), REFUSED, "{input}");
        assert_eq!(
            journal.bytes(),
            b"",
            "a refused first request founded {input}"
        );
    }
    let out = journal.run(&format!("{}\n{{not json", open_line()));
    assert_eq!(out.status.code(), REFUSED);
    assert!(
        journal.lines() > 1,
        "the handled request and the founding are kept"
    );
}

/// What a refused first request takes back is the founding this run wrote, in the file it
/// locked: a journal renamed onto the path while the run waits for its input is left whole.
#[cfg(unix)]
#[test]
fn a_refused_first_request_empties_only_the_journal_it_founded() {
    let kept = Journal::new();
    assert!(kept.run(&open_line()).status.success());
    let before = kept.bytes();
    let journal = Journal::new();
    let (community, governance) = (data("community.json"), data("governance.json"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_coproduction"))
        .args(["run", "--journal", journal.path.to_str().unwrap()])
        .args(["--community", community.to_str().unwrap()])
        .args(["--governance", governance.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once the run has founded its journal and waits for input, another takes its path.
    let founded = (0..500).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(20));
        !journal.bytes().is_empty()
    });
    assert!(founded, "the run founded no journal");
    std::fs::rename(&kept.path, &journal.path).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{not json\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), REFUSED);
    assert_eq!(
        journal.bytes(),
        before,
        "the journal renamed onto the path is whole"
    );
}

#[test]
fn an_ineligible_member_cannot_respond() {
    let journal = Journal::new();
    let input = [
        open_line(),
        line(13, 1, r#"{"type": "advance"}"#),
        line(13, 2, r#"{"type": "advance"}"#),
        line(13, 3, r#"{"type": "advance"}"#),
    ]
    .join("\n");
    assert!(journal.run(&input).status.success());
    let before = journal.bytes();
    // Ally 1 (member 5) is in the community but not in the associate-roles team.
    let out = journal.run(&line(
        5,
        4,
        r#"{"type": "respond", "member": 5, "response": {"type": "consent"}}"#,
    ));
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("member m5 is not eligible in this round"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(journal.bytes(), before);
}

#[test]
fn check_prints_the_report_and_gate_sets_the_exit_code() {
    let charter = data("charter.json");
    let record = data("partnership_record.json");
    let args = [
        "check",
        "--charter",
        charter.to_str().unwrap(),
        "--record",
        record.to_str().unwrap(),
    ];
    let out = cli(&args, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    // The Allies Group advised the partnership with three of its eight members bringing
    // lived experience: I9's warning, the one finding unmet.
    let unmet: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "violated" || f["status"] == "not_evaluated")
        .collect();
    assert_eq!(unmet.len(), 1, "{unmet:?}");
    assert_eq!(unmet[0]["rule"], "I9");
    assert_eq!(unmet[0]["status"], "violated");
    assert_eq!(unmet[0]["severity"], "warning");

    // A warning unacknowledged is enough for the gate to refuse.
    let out = cli(&[&args[..], &["--gate"]].concat(), "");
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("I9 (inclusive, violated) needs an acknowledgement"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stdout).trim().is_empty());

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("record.json");
    std::fs::write(&bad, r#"{"kind": "funding", "colour": "red"}"#).unwrap();
    let out = cli(
        &[
            "check",
            "--charter",
            charter.to_str().unwrap(),
            "--record",
            bad.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("unknown field `colour`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn graph_prints_dot() {
    let out = cli(&["graph", "consent"], "");
    assert!(out.status.success());
    let dot = text(&out.stdout);
    assert!(dot.starts_with("digraph \"consent_round\" {"), "{dot}");
    assert!(dot.contains("\"integrating\" -> \"objection_round\";"));
    for (machine, name, edge) in [
        ("proposal", "proposal", "\"pilot\" -> \"under_review\";"),
        (
            "funding",
            "funding_decision",
            "\"screening\" -> \"declined\";",
        ),
    ] {
        let out = cli(&["graph", machine], "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        let dot = text(&out.stdout);
        assert!(dot.starts_with(&format!("digraph \"{name}\" {{")), "{dot}");
        assert!(dot.contains(edge), "{dot}");
    }

    let governance = data("governance.json");
    let out = cli(
        &[
            "graph",
            "governance",
            "--governance",
            governance.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("digraph"));
}

#[test]
fn report_record_prints_the_decision_record_as_markdown_or_json() {
    let journal = Journal::new();
    assert!(journal.run(&open_line()).status.success());
    let community = data("community.json");
    let args = [
        "report",
        "record",
        "--journal",
        journal.path.to_str().unwrap(),
        "--community",
        community.to_str().unwrap(),
        "--stream",
        "working-model",
        "--now",
        "2022-09-01T12:00:00Z",
    ];
    let out = cli(&args, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let markdown = text(&out.stdout);
    // Headed by what was proposed.
    assert!(
        markdown.starts_with("## Decision record: Pilot\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("Associate roles co-production team decides by consent"),
        "{markdown}"
    );

    // The same record as an HTML page.
    let out = cli(&[&args[..], &["--html"]].concat(), "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains("<h1>Decision record: Pilot</h1>"), "{page}");
    assert!(page.contains("<h2 id=\"in-short\">In short</h2>"), "{page}");
    let out = cli(&[&args[..], &["--html", "--json"]].concat(), "");
    assert!(
        !out.status.success(),
        "--html and --json exclude each other"
    );

    let out = cli(&[&args[..], &["--json"]].concat(), "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let both: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(both["record"]["kind"], "working_model");
    assert!(both["report"]["verdicts"].is_array());
    // The whole decision: its stream, the names of those it mentions, every event.
    assert_eq!(both["stream"], "working-model");
    let history = both["history"].as_array().unwrap();
    assert!(!history.is_empty());
    assert!(history.iter().all(|e| e["stream"] == "working-model"));
    let document: coproduction::report::DecisionDocument =
        serde_json::from_value(both.clone()).unwrap();
    assert_eq!(document.history.len(), history.len());

    let out = cli(
        &[
            &args[..6],
            &["--stream", "nothing-here", "--now", "2022-09-01T12:00:00Z"],
        ]
        .concat(),
        "",
    );
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("no process on stream `nothing-here`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_journal_held_by_a_writer_can_be_read_but_not_written() {
    let journal = Journal::new();
    let out = journal.run(&open_line());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = journal.bytes();

    // Another writer holds the file (as a running `coproduction run` would).
    let (writer, _) =
        coproduction::journal::FileJournal::<coproduction::engine::EngineEvent>::open(
            &journal.path,
        )
        .unwrap();
    let out = journal.run(&line(13, 1, r#"{"type": "advance"}"#));
    stops(&out, FAILED, "open elsewhere");
    assert_eq!(journal.bytes(), before);

    // Readers take a snapshot.
    let out = cli(&["replay", "--journal", journal.path.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(summary["events"], 3);
    drop(writer);

    // A reader never creates a journal.
    let missing = journal.path.with_file_name("missing.jsonl");
    let out = cli(&["replay", "--journal", missing.to_str().unwrap()], "");
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    assert!(!missing.exists());
}

#[test]
fn a_corrupt_journal_is_a_failure_not_a_refusal() {
    let journal = Journal::new();
    let out = journal.run(&open_line());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let tampered = text(&journal.bytes()).replacen("Pilot", "Pilot!", 1);
    std::fs::write(&journal.path, &tampered).unwrap();

    // Writing and reading alike stop with the failure's code, and nothing is written.
    let out = journal.run(&line(13, 1, r#"{"type": "advance"}"#));
    stops(&out, FAILED, "corrupt");
    assert_eq!(journal.bytes(), tampered.as_bytes());
    let out = cli(&["replay", "--journal", journal.path.to_str().unwrap()], "");
    assert_eq!(out.status.code(), FAILED, "{}", text(&out.stderr));
}

mod engine_support;

/// The requests as the tool reads them: one JSON object a line.
fn lines(requests: &[Request]) -> String {
    requests
        .iter()
        .map(|r| serde_json::to_string(r).unwrap() + "\n")
        .collect()
}

fn record_json(journal: &Journal, stream: &str, charter: Option<&Path>) -> serde_json::Value {
    let community = data("community.json");
    let mut args = vec![
        "report",
        "record",
        "--journal",
        journal.path.to_str().unwrap(),
        "--community",
        community.to_str().unwrap(),
        "--stream",
        stream,
        "--now",
        "2022-12-01T00:00:00Z",
        "--json",
    ];
    if let Some(charter) = charter {
        args.extend(["--charter", charter.to_str().unwrap()]);
    }
    let out = cli(&args, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_str(text(&out.stdout).trim()).unwrap()
}

fn finding<'a>(report: &'a serde_json::Value, rule: &str) -> &'a serde_json::Value {
    report["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap()
}

/// Through the tool: a round opened on its governance route, adopted with the evidence a
/// round does not hold and no route restated, passes T7; its record names the charter it
/// passed under, and another charter given to `report record` is said to judge it
/// differently.
#[test]
fn a_round_on_its_route_passes_t7_and_its_record_names_its_charter() {
    let journal = Journal::new();
    let community = engine_support::community();
    let mut requests = engine_support::to_consented_taking_part(&community);
    requests.push(engine_support::adopt().with_evidence(engine_support::evidence()));
    let out = journal.run(&lines(&requests));
    assert!(out.status.success(), "{}", text(&out.stderr));

    let both = record_json(&journal, "working-model", None);
    assert_eq!(both["record"]["outcome"], "adopted");
    assert_eq!(finding(&both, "T7")["status"], "satisfied");
    let seed = coproduction::values::Charter::default().hash().to_string();
    assert_eq!(both["gate"]["passed"]["charter"], seed.as_str());
    assert_eq!(both["gate"]["same_charter"], true);
    assert_eq!(both["gate"]["judged_differently"], false);
    // The facts the secretary attested with the adoption are marked as theirs.
    assert!(
        both["record"]["attested"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["fact"] == "alternatives" && a["by"] == 2),
        "{}",
        both["record"]
    );
    let community_file = data("community.json");
    let markdown = cli(
        &[
            "report",
            "record",
            "--journal",
            journal.path.to_str().unwrap(),
            "--community",
            community_file.to_str().unwrap(),
            "--stream",
            "working-model",
            "--now",
            "2022-12-01T00:00:00Z",
        ],
        "",
    );
    let markdown = text(&markdown.stdout);
    assert!(
        markdown.contains("### Value gate\n\nPassed under charter "),
        "{markdown}"
    );
    assert!(markdown.contains("### Attested\n"), "{markdown}");
    // Each member is named as they asked, by the community in force.
    assert!(
        markdown.contains("- By Staff member 2 on 2022-08-20: "),
        "{markdown}"
    );

    // Judged by a charter that asks for more, the record still names the seed charter.
    let dir = tempfile::tempdir().unwrap();
    let stricter = dir.path().join("charter.json");
    let mut spec = coproduction::values::Charter::default().to_spec();
    for rule in &mut spec.rules {
        // Expenses were paid within 14 days; this charter asks for 7.
        if rule.id.as_str() == "H2" {
            rule.set("max_reimburse_days", 7.into());
        }
    }
    std::fs::write(&stricter, serde_json::to_string(&spec).unwrap()).unwrap();
    let both = record_json(&journal, "working-model", Some(&stricter));
    assert_eq!(both["gate"]["passed"]["charter"], seed.as_str());
    assert_eq!(both["gate"]["same_charter"], false);
    assert_eq!(both["gate"]["judged_differently"], true);
    assert_eq!(both["gate"]["unmet_today"], serde_json::json!(["H2"]));
}

/// Through the tool: a funding round held on the tier-1 route (the staff team's advice
/// process) with a condition restricting publication is found against C5, at tier 1.
#[test]
fn a_restricting_condition_on_a_tier_one_route_is_found_against_c5() {
    let journal = Journal::new();
    let requests = engine_support::grant_requests(&engine_support::community());
    let out = journal.run(&lines(&requests));
    assert!(out.status.success(), "{}", text(&out.stderr));

    let both = record_json(&journal, "trust-grant", None);
    assert_eq!(both["record"]["route_taken"]["tier"], 1);
    let c5 = finding(&both, "C5");
    assert_eq!(c5["status"], "violated", "{c5}");
    assert!(c5["message"].as_str().unwrap().contains("tier 1"), "{c5}");
}

/// Stderr, checked to be short whatever the input's size.
fn short_stderr(out: &Output) -> String {
    bounded_stderr(out, 300)
}

/// Stderr, checked to be under `bound` bytes whatever the input's size: serde's messages
/// for an unknown field or variant list every expected name, which takes a few hundred.
fn bounded_stderr(out: &Output, bound: usize) -> String {
    let stderr = text(&out.stderr);
    assert!(
        stderr.len() < bound,
        "{} bytes: {}",
        stderr.len(),
        stderr.chars().take(300).collect::<String>()
    );
    stderr
}

#[test]
fn a_line_over_the_limit_is_refused_with_its_line_number_and_nothing_is_written() {
    let journal = Journal::new();
    assert!(journal.run(&open_line()).status.success());
    let before = journal.bytes();
    let comment = "x".repeat(10 << 20);
    let long = line(
        13,
        1,
        &format!(
            r#"{{"type": "respond", "member": 13, "response": {{"type": "consent", "comment": "{comment}"}}}}"#
        ),
    );
    let out = journal.run(&format!("\n{long}\n"));
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    let stderr = short_stderr(&out);
    assert!(
        stderr.contains(&format!(
            "request on line 2: the line is {} bytes long; a request line is at most {}",
            long.len(),
            coproduction::limits::REQUEST_LINE_BYTES
        )),
        "{stderr}"
    );
    assert_eq!(journal.bytes(), before);
}

#[test]
fn a_line_not_in_utf8_is_refused_with_its_line_number_and_nothing_is_written() {
    let journal = Journal::new();
    assert!(journal.run(&open_line()).status.success());
    let before = journal.bytes();
    let mut input = b"\n\n".to_vec();
    let advance = line(13, 1, r#"{"type": "advance"}"#);
    let (head, tail) = advance.split_at(20);
    input.extend_from_slice(head.as_bytes());
    input.push(0xff);
    input.extend_from_slice(tail.as_bytes());
    let out = journal.run_bytes(&input);
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    let stderr = short_stderr(&out);
    assert!(
        stderr.contains(
            "request on line 3: the line is not UTF-8: byte 21 starts no valid character"
        ),
        "{stderr}"
    );
    assert_eq!(journal.bytes(), before);
}

#[test]
fn texts_over_their_limit_and_positional_requests_are_refused_by_the_tool() {
    let journal = Journal::new();
    assert!(journal.run(&open_line()).status.success());
    let before = journal.bytes();
    let comment = "y".repeat(5_000);
    for (input, expected) in [
        (
            line(
                13,
                1,
                &format!(
                    r#"{{"type": "respond", "member": 13, "response": {{"type": "consent", "comment": "{comment}"}}}}"#
                ),
            ),
            "request on line 1: cannot take the request: `command.command.response.comment` is 5000 characters long; the limit for this field is 4000",
        ),
        (
            line(13, 1, r#"["respond", 13, {"type": "consent"}]"#),
            "`command.command` is written as an array; write it as an object",
        ),
        (
            r#"["working-model", 13, "2022-09-01T10:01:00Z", null, null, null, null, null, {"process": "consent", "command": {"type": "advance"}}, null]"#.to_owned(),
            "the whole input is written as an array",
        ),
        (
            line(13, 1, &format!(r#"{{"type": "{comment}"}}"#)),
            "cannot read the request: unknown variant `yyyy",
        ),
        (
            line(13, 1, r#"{"type": "advance"}"#).replacen(
                r#""command""#,
                r#""evidence": {"overrides": [{"rule": "T99", "by": 2, "reason": "T2?"}]}, "command""#,
                1,
            ),
            "`overrides[0]` names rule `T99`, which the charter does not have",
        ),
    ] {
        let out = journal.run(&input);
        assert_eq!(out.status.code(), REFUSED, "{expected}");
        let stderr = bounded_stderr(&out, if expected.contains("unknown variant") { 1_200 } else { 300 });
        assert!(stderr.contains(expected), "{stderr}");
        assert_eq!(journal.bytes(), before, "nothing is written for {expected}");
    }
}

#[test]
fn check_refuses_a_misspelt_kind_an_unknown_rule_and_a_positional_record() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, json: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, json).unwrap();
        path
    };
    let check = |charter: &Path, record: &Path, gate: bool| {
        let mut args = vec![
            "check",
            "--charter",
            charter.to_str().unwrap(),
            "--record",
            record.to_str().unwrap(),
        ];
        if gate {
            args.push("--gate");
        }
        cli(&args, "")
    };
    let charter = data("charter.json");
    let record = write("record.json", r#"{"kind": "strategy"}"#);

    let misspelt = write(
        "misspelt.json",
        r#"{"values": [{"id": "inclusive"}], "rules": [{"id": "I1", "blocking_kinds": ["fundng"]}]}"#,
    );
    let out = check(&misspelt, &record, false);
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    let stderr = short_stderr(&out);
    assert!(
        stderr.contains("rule `I1`: field `blocking_kinds` names the decision kind `fundng`")
            && stderr.contains("did you mean `funding`?"),
        "{stderr}"
    );

    let overriding = write(
        "overriding.json",
        r#"{"kind": "strategy", "overrides": [{"rule": "T99", "by": 2, "reason": "A typo"}]}"#,
    );
    let out = check(&charter, &overriding, false);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(
        report["unknown_rules"],
        serde_json::json!([{"rule": "T99", "cited_in": "overrides", "index": 0}])
    );
    let out = check(&charter, &overriding, true);
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr)
            .contains("`overrides[0]` names rule `T99`, which the charter does not have"),
        "{}",
        text(&out.stderr)
    );

    let positional = write(
        "positional.json",
        r#"{"kind": "strategy", "dates": [null, "2022-09-01T10:00:00Z"]}"#,
    );
    let out = check(&charter, &positional, false);
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    assert!(
        short_stderr(&out).contains("`dates` is written as an array"),
        "{}",
        text(&out.stderr)
    );

    let long = "z".repeat(10 << 20);
    let huge = write(
        "huge.json",
        &format!(r#"{{"kind": "strategy", "{long}": 1}}"#),
    );
    let out = check(&charter, &huge, false);
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    assert!(
        bounded_stderr(&out, 1_200).contains("unknown field `zzz"),
        "{}",
        text(&out.stderr)
    );

    let wordy = write(
        "wordy.json",
        &format!(
            r#"{{"kind": "strategy", "rationale": "{}"}}"#,
            "w".repeat(4_001)
        ),
    );
    let out = check(&charter, &wordy, false);
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    assert!(
        short_stderr(&out)
            .contains("`rationale` is 4001 characters long; the limit for this field is 4000"),
        "{}",
        text(&out.stderr)
    );
}

/// Through the tool: a record that lists one member with lived experience three times (so
/// that one voice would meet the quorum of two, I2) is refused, naming the member and the
/// entries; listed once, the same member is one voice and I2 is violated.
#[test]
fn check_refuses_a_record_that_lists_a_member_twice() {
    let dir = tempfile::tempdir().unwrap();
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data("partnership_record.json")).unwrap())
            .unwrap();
    let listed = |participants: Vec<serde_json::Value>| {
        let mut record = record.clone();
        record["participants"] = serde_json::Value::Array(participants);
        let path = dir.path().join(format!(
            "record-{}.json",
            record["participants"].as_array().unwrap().len()
        ));
        std::fs::write(&path, record.to_string()).unwrap();
        path
    };
    let member = |id: u64| {
        record["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["member"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(member(1)["lived_experience"], true);
    let check = |record: &Path| {
        cli(
            &[
                "check",
                "--charter",
                data("charter.json").to_str().unwrap(),
                "--record",
                record.to_str().unwrap(),
            ],
            "",
        )
    };

    let thrice = listed(vec![member(1), member(1), member(1), member(2)]);
    let out = check(&thrice);
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stdout));
    assert!(
        short_stderr(&out)
            .contains("member m1 is listed twice among the participants, at entries 0 and 1"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());

    let once = listed(vec![member(1), member(2)]);
    let out = check(&once);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    let i2 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "I2")
        .unwrap();
    assert_eq!(i2["status"], "violated", "{i2}");
}

/// Through the tool: a round that seats someone the deciding body does not have, or gives a
/// member lived experience the community does not record, is refused with the difference,
/// and so is an escalation off the map's chain; nothing is written.
#[test]
fn a_forged_seat_or_an_escalation_off_the_chain_is_refused_and_writes_nothing() {
    let community = engine_support::community();
    let forge = |forge: &dyn Fn(&mut Vec<coproduction::consent::EligibleMember>)| {
        let mut open = engine_support::open(&community);
        if let ProcessCommand::Consent {
            command: RoundCommand::Open { config },
        } = &mut open.command
        {
            forge(&mut config.eligible);
        }
        lines(&[open])
    };
    for (input, expected) in [
        (
            forge(&|e| {
                e.push(coproduction::consent::EligibleMember {
                    member: MemberId::new(6),
                    lived_experience: true,
                })
            }),
            "member m6 is not among those the route seats from `associate_roles_team`",
        ),
        (
            forge(&|e| e.iter_mut().for_each(|m| m.lived_experience = false)),
            "the community records lived experience for member m1",
        ),
    ] {
        let journal = Journal::new();
        let out = journal.run(&input);
        assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{stderr}");
        // Nothing is written: the refused first request founds no journal either.
        assert_eq!(journal.lines(), 0);
    }

    let journal = Journal::new();
    let requests = engine_support::to_consented_requests(&community);
    assert!(journal.run(&lines(&requests)).status.success());
    let before = journal.bytes();
    let escalate = line(
        13,
        30,
        r#"{"type": "escalate", "to": "allies_group", "reason": "No agreement on pay"}"#,
    )
    .replace("2022-09-01T10:30:00Z", "2022-08-20T14:00:00Z");
    let out = journal.run(&escalate);
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "the governance map escalates this decision to the next body on its chain, `decision_circle`"
        ),
        "{stderr}"
    );
    assert_eq!(journal.bytes(), before);
}

/// Through the tool: a member outside a proposal and the body that decides it cannot open
/// the round deciding for it, in their own name or naming its steward the proposer, nor can
/// a member of that body name them its proposer; nothing is written. The steward then opens
/// it.
#[test]
fn a_round_for_a_proposal_is_not_opened_by_an_outsider() {
    use engine_support::living::{proposal_requests, round_of};
    let stream = StreamId::new("allies").unwrap();
    let journal = Journal::new();
    let requests = proposal_requests(&stream, DecisionKind::WorkingModel, vec![], None, 0);
    let out = journal.run(&lines(&requests));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let opening = |actor: u64, proposer: u64, facilitator: u64| {
        let open = RoundCommand::OpenOnRoute {
            title: "Rebalance the Allies Group".into(),
            proposal: "Recruit allies with lived experience.".into(),
            roles: RoundRoles {
                proposer: MemberId::new(proposer),
                facilitator: MemberId::new(facilitator),
                secretary: MemberId::new(2),
            },
        };
        let request = Request::new(
            round_of(&stream),
            MemberId::new(actor),
            engine_support::at(10),
            open,
        )
        .with_kind(DecisionKind::WorkingModel)
        .deciding_for(stream.clone());
        lines(&[request])
    };
    let before = journal.bytes();
    for (actor, proposer, facilitator) in [(6, 6, 6), (6, 13, 6), (1, 6, 1)] {
        let out = journal.run(&opening(actor, proposer, facilitator));
        assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("cannot open round `allies-round` deciding for `allies`: member m6, "),
            "{stderr}"
        );
        assert_eq!(journal.bytes(), before);
    }
    let out = journal.run(&opening(13, 13, 6));
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Through the tool: the record of a round that consented, read a month later, claims no
/// outcome and no decision date.
#[test]
fn a_consented_round_is_not_recorded_as_adopted() {
    let journal = Journal::new();
    let requests = engine_support::to_consented_requests(&engine_support::community());
    assert!(journal.run(&lines(&requests)).status.success());
    let community = data("community.json");
    let out = cli(
        &[
            "report",
            "record",
            "--journal",
            journal.path.to_str().unwrap(),
            "--community",
            community.to_str().unwrap(),
            "--stream",
            "working-model",
            "--now",
            "2022-12-01T00:00:00Z",
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let markdown = text(&out.stdout);
    assert!(markdown.contains("Outcome: not decided yet."), "{markdown}");
    assert!(!markdown.contains("Decided"), "{markdown}");
}

/// Through the tool: evidence from a member with no part in the round, backdated evidence,
/// and an override of C4 are refused with their reason, and nothing is written.
#[test]
fn forged_evidence_and_overrides_are_refused_and_write_nothing() {
    let journal = Journal::new();
    let requests = engine_support::to_consented_requests(&engine_support::community());
    assert!(journal.run(&lines(&requests)).status.success());
    let before = journal.bytes();
    let evidence = |actor: u64, now: &str, evidence: &str| {
        format!(
            r#"{{"stream": "working-model", "actor": {actor}, "now": "{now}", "command": {{"process": "evidence"}}, "evidence": {evidence}}}"#
        )
    };
    for (input, expected) in [
        (
            evidence(6, "2022-08-20T14:00:00Z", r#"{"rationale": "Because"}"#),
            "only a member who runs the process attests evidence",
        ),
        (
            evidence(13, "2019-01-01T00:00:00Z", r#"{"rationale": "Because"}"#),
            "is before the process's last event",
        ),
        (
            evidence(
                13,
                "2022-08-20T14:00:00Z",
                r#"{"outcome": "adopted", "dates": {"decided_at": "2020-01-01T00:00:00Z"}}"#,
            ),
            "unknown field `outcome`",
        ),
        (
            evidence(
                13,
                "2022-08-20T14:00:00Z",
                r#"{"overrides": [{"rule": "C4", "by": 13, "reason": "We need it"}]}"#,
            ),
            "rule C4 takes no override",
        ),
    ] {
        let out = journal.run(&input);
        assert_eq!(out.status.code(), REFUSED, "{input}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{input}\n{stderr}");
        assert_eq!(journal.bytes(), before);
    }
}

/// Through the tool: members take part in their own name. Advice from a member who was not
/// asked, a payment offered by a member who does not run the round, and a recusal with no
/// interest declared are refused with their reason and write nothing; advice asked, given and
/// answered is in the Markdown record, with the bases the community records.
#[test]
fn members_take_part_in_their_own_name_through_the_tool() {
    let journal = Journal::new();
    let requests: Vec<_> = engine_support::to_consented_requests(&engine_support::community())
        .into_iter()
        .take(4)
        .collect();
    assert!(journal.run(&lines(&requests)).status.success());
    let part = |actor: u64, minute: u32, command: &str| {
        format!(
            r#"{{"stream": "working-model", "actor": {actor}, "now": "2022-08-20T14:{minute:02}:00Z", "command": {{"process": "part", "command": {command}}}}}"#
        )
    };
    let before = journal.bytes();
    for (input, expected) in [
        (
            part(6, 0, r#"{"type": "give_advice", "advice": "No titles"}"#),
            "member m6 was not asked for advice on this process",
        ),
        (
            part(
                14,
                0,
                r#"{"type": "offer_payment", "member": 14, "benefits_advice": true}"#,
            ),
            "`offer_payment` is for a member who runs the process; member m14 does not",
        ),
        (
            part(14, 0, r#"{"type": "recuse", "reason": "A tie"}"#),
            "member m14 declared no interest to step out for",
        ),
        (
            part(
                6,
                0,
                r#"{"type": "give_advice", "advice": "No titles", "on_behalf_of": 7}"#,
            ),
            "unknown field `on_behalf_of`",
        ),
    ] {
        let out = journal.run(&input);
        assert_eq!(out.status.code(), REFUSED, "{input}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(expected), "{input}\n{stderr}");
        assert_eq!(journal.bytes(), before);
    }
    let taking_part = [
        part(1, 0, r#"{"type": "ask_advice"}"#),
        part(6, 1, r#"{"type": "give_advice", "advice": "No titles", "bases": ["affected"]}"#),
        part(1, 2, r#"{"type": "answer_advice", "member": 6, "answer": "Roles are named by what people do"}"#),
    ]
    .join("\n");
    let out = journal.run(&taking_part);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json = record_json(&journal, "working-model", None);
    let advice = &json["record"]["advice"][0];
    assert_eq!(advice["from"], 6);
    assert_eq!(
        advice["bases"],
        serde_json::json!(["affected", "lived_experience", "critical_friend"])
    );
    assert_eq!(advice["answer"], "Roles are named by what people do");
}

/// `due` and `tick` over the journal `run` writes: what is due as JSON, the step the
/// round's configuration chose taken once, by the engine's actor, and nothing on a second
/// tick.
#[test]
fn due_and_tick_read_and_move_the_journal_run_writes() {
    let journal = Journal::new();
    // The working-model round, deferred at its deadline, 10:30, if nobody acts.
    let mut open: serde_json::Value = serde_json::from_str(&open_line()).unwrap();
    open["command"]["command"]["config"]["time_box"] =
        serde_json::json!({"deadline": "2022-09-01T10:30:00Z", "at_deadline": "defer"});
    let mut input = vec![open.to_string()];
    input.extend((1..=3).map(|minute| line(13, minute, r#"{"type": "advance"}"#)));
    let out = journal.run(&input.join("\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let path = journal.path.to_str().unwrap();

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

    let written = journal.lines();
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
    assert_eq!(journal.lines(), written + 2);
    // Nothing is left to do: a second tick writes nothing.
    assert_eq!(
        tick("2022-09-01T10:31:00Z"),
        serde_json::json!({"taken": []})
    );
    assert_eq!(journal.lines(), written + 2);
    assert_eq!(due("2022-09-01T10:31:00Z"), serde_json::json!([]));

    // A time that cannot be read is refused, and nothing is written.
    let out = cli(&["tick", "--journal", path, "--now", "yesterday"], "");
    stops(&out, REFUSED, "--now");
    assert_eq!(journal.lines(), written + 2);

    // What is due, or a record, as of a time before the last event would state what had
    // not happened yet: both are refused, naming the last event's time.
    let out = cli(
        &["due", "--journal", path, "--now", "2022-09-01T10:10:00Z"],
        "",
    );
    stops(&out, REFUSED, "read at 2022-09-01T10:31:00Z or later");
    let community = data("community.json");
    let record = |now: &str| {
        cli(
            &[
                "report",
                "record",
                "--journal",
                path,
                "--community",
                community.to_str().unwrap(),
                "--stream",
                "working-model",
                "--now",
                now,
            ],
            "",
        )
    };
    stops(
        &record("2022-09-01T10:10:00Z"),
        REFUSED,
        "cannot read stream `working-model` as of 2022-09-01T10:10:00Z",
    );
    let out = record("2022-09-01T10:31:00Z");
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// `tick` on a SQLite journal, as servers sharing one write it: the round chose to be
/// deferred at its deadline, and the tool takes that step there, once.
#[cfg(feature = "sqlite")]
#[test]
fn tick_takes_the_configured_step_on_a_sqlite_journal() {
    use coproduction::engine::Engine;
    use coproduction::journal::{Journal, SqliteJournal};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    let community: Community =
        serde_json::from_str(&std::fs::read_to_string(data("community.json")).unwrap()).unwrap();
    let engine = Engine::builder(community)
        .open(SqliteJournal::open(&path).unwrap())
        .unwrap();
    let mut open: serde_json::Value = serde_json::from_str(&open_line()).unwrap();
    open["command"]["command"]["config"]["time_box"] =
        serde_json::json!({"deadline": "2022-09-01T10:30:00Z", "at_deadline": "defer"});
    engine.handle_json(&open.to_string()).unwrap();
    for minute in 1..=3 {
        engine
            .handle_json(&line(13, minute, r#"{"type": "advance"}"#))
            .unwrap();
    }
    let written = engine.journal().read_all().unwrap().len();
    drop(engine);

    let db = path.to_str().unwrap();
    let tick = |now: &str| -> serde_json::Value {
        let out = cli(&["tick", "--sqlite", db, "--now", now], "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_str(text(&out.stdout).trim()).unwrap()
    };
    let done = tick("2022-09-01T10:31:00Z");
    assert_eq!(done["taken"][0]["stream"], "working-model");
    assert_eq!(done["taken"][0]["step"], "defer");
    assert_eq!(
        tick("2022-09-01T10:31:00Z"),
        serde_json::json!({"taken": []})
    );
    let journal = SqliteJournal::<coproduction::EngineEvent>::open(&path).unwrap();
    assert_eq!(journal.read_all().unwrap().len(), written + 2);

    // One journal at a time.
    let out = cli(
        &[
            "tick",
            "--sqlite",
            db,
            "--journal",
            db,
            "--now",
            "2022-09-01T10:31:00Z",
        ],
        "",
    );
    assert!(!out.status.success());
}

/// A pilot's reassessment, judged through the tool on a record carrying its evaluation: a
/// question without evidence is C8's warning, and the gate refuses until it is acknowledged;
/// an evaluation whose evidence names a field the wire format does not know is refused.
#[test]
fn check_judges_a_reassessment_on_its_evaluation() {
    let charter = data("charter.json");
    let dir = tempfile::tempdir().unwrap();
    let record = |evidence: &str| {
        let path = dir.path().join("reassessment.json");
        std::fs::write(
            &path,
            format!(
                r#"{{"kind": "working_model", "outcome": "adopted", "evaluation": {{
                    "plan": {{"agreed_by": "associate_roles_team", "questions": [
                        {{"id": 1, "benefit": "co_producers", "asks": "Do co-producers grow?"}},
                        {{"id": 2, "benefit": "projects", "asks": "Do projects gain?"}}]}},
                    "recorded_by": 13, "agreed_at": "2023-03-01T10:00:00Z",
                    "evidence": [{evidence}]}}}}"#
            ),
        )
        .unwrap();
        path
    };
    let words = r#"{"gathered": {"question": 1, "observation": {"type": "words", "said": "I grew.", "from": 14},
        "source": {"type": "interview"}, "gathered_at": "2023-04-28T16:00:00Z"}, "by": 14, "at": "2023-04-28T17:00:00Z"}"#;
    let check = |path: &Path, gate: bool| {
        let mut args = vec![
            "check",
            "--charter",
            charter.to_str().unwrap(),
            "--record",
            path.to_str().unwrap(),
        ];
        if gate {
            args.push("--gate");
        }
        cli(&args, "")
    };
    let c8 = |report: &serde_json::Value| -> serde_json::Value {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "C8")
            .unwrap()
            .clone()
    };
    let path = record(words);
    let out = check(&path, false);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    let found = c8(&report);
    assert_eq!(found["status"], "violated");
    assert!(found["message"].as_str().unwrap().contains("q2"), "{found}");
    let out = check(&path, true);
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("C8"), "{}", text(&out.stderr));

    let answered = format!(
        "{words}, {}",
        words.replace(r#""question": 1"#, r#""question": 2"#)
    );
    let report: serde_json::Value =
        serde_json::from_str(text(&check(&record(&answered), false).stdout).trim()).unwrap();
    assert_eq!(c8(&report)["status"], "satisfied");

    let unknown = words.replace(r#""by": 14,"#, r#""by": 14, "weight": 2,"#);
    let out = check(&record(&unknown), false);
    assert_eq!(out.status.code(), REFUSED, "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("unknown field `weight`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_journal_missing_or_empty_is_refused_by_the_readers_and_tick_and_none_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.jsonl");
    let missing = missing.to_str().unwrap();
    let now = "2022-09-01T10:00:00Z";
    for args in [
        vec!["tick", "--journal", missing, "--now", now],
        vec!["replay", "--journal", missing],
        vec!["due", "--journal", missing, "--now", now],
    ] {
        stops(&cli(&args, ""), REFUSED, "cannot read");
        assert!(!Path::new(missing).exists(), "{args:?} created the journal");
    }
    // An empty file has no founding and no events: nothing to replay, nothing due.
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let empty = empty.to_str().unwrap();
    for args in [
        vec!["replay", "--journal", empty],
        vec!["due", "--journal", empty, "--now", now],
    ] {
        stops(&cli(&args, ""), REFUSED, "holds no events");
        assert_eq!(std::fs::read(empty).unwrap(), b"");
    }
}

#[test]
fn tick_takes_no_step_dated_ahead_of_the_machines_clock() {
    let journal = Journal::new();
    assert!(journal.run(&open_line()).status.success());
    let before = journal.bytes();
    let out = cli(
        &[
            "tick",
            "--journal",
            journal.path.to_str().unwrap(),
            "--now",
            "9999-01-01T00:00:00Z",
        ],
        "",
    );
    stops(
        &out,
        REFUSED,
        "--now: dated 9999-01-01T00:00:00Z, after the machine's clock",
    );
    assert_eq!(journal.bytes(), before);
}
