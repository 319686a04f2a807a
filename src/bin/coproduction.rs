//! `coproduction`: the decision engine and the value-check over JSON, for tools in any
//! language.
//!
//! ```text
//! coproduction check   --charter charter.json --record record.json [--gate]
//! coproduction run     --journal journal.jsonl --community community.json
//!                      [--governance governance.json] [--charter charter.json]
//!                      [--founded-at TIME] [--clock-tolerance SECONDS]  < requests.jsonl
//! coproduction replay  --journal journal.jsonl
//! coproduction due     --journal journal.jsonl --now TIME
//! coproduction tick    --journal journal.jsonl --now TIME
//! coproduction community  --journal journal.jsonl --at TIME
//! coproduction governance --journal journal.jsonl --at TIME
//! coproduction graph   consent | proposal | funding | governance --governance governance.json
//! coproduction report  you-said-we-did --cocreation cocreation.json --session 1 [--community community.json]
//! coproduction report  record --journal journal.jsonl --community community.json --stream ID --now TIME [--json | --html]
//! coproduction metrics --journal journal.jsonl --community community.json [--charter charter.json]
//!                      [--cocreation cocreation.json] [--format json|table]
//! coproduction metrics community --journal journal.jsonl
//! ```
//!
//! Output is JSON (one line per result) or, for `graph` and `report`, DOT and Markdown (`report
//! record --html`: one HTML page);
//! `metrics` prints a plain-text table unless asked for JSON, and `metrics community` prints
//! JSON. `community` and `governance` read the community's own history in the journal (its
//! founding and every change since) and print what was in force at the time given. `due`
//! prints, as one JSON array, what every process of the journal waits on at the time given;
//! `tick` takes, in the same journal `run` writes, the steps the processes' own
//! configurations chose for that time (and no other), and prints what it did as one JSON
//! object (`taken`, `refused`). A refused request writes
//! nothing to the journal. Messages quote input only in short (see `coproduction::limits`),
//! JSON files and request lines are read strictly (an object written as a positional array
//! is refused), and `run` names the line of a request over the line limit or not in UTF-8.
//! `run` takes requests dated in the past (history imported) but none dated later than the
//! machine's clock by more than `--clock-tolerance` (five minutes): a request from the
//! future would date the community's history ahead of everyone's. Only `run` and `serve`
//! create a journal; the other commands refuse one that is missing or holds no events.
//!
//! # Exit codes
//!
//! A caller can tell input to mend from a store to look at, as the crate's error does
//! (`ErrorKind::Refused` and `ErrorKind::Failed`):
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | refused: a file given is missing or not what it should be, a request was refused (by the engine, its process, its governance route or the value gate), or `check --gate` found the gate would refuse; a message on stderr says which, and nothing of the refused request was written |
//! | 2 | the command line is not one the tool takes (clap's usage error) |
//! | 3 | failed: the journal is corrupt, locked by another writer, or could not be read or written, or the output could not be written; the requests before the failure stand |

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use coproduction::ErrorKind;
use coproduction::cocreation::{CoCreation, CoCreationError, SessionId};
use coproduction::community::Community;
use coproduction::consent::ConsentProcess;
use coproduction::engine::{Engine, EngineBuilder, EngineError, EngineEvent, Request};
use coproduction::funding::FundingProcess;
use coproduction::governance::{Governance, GovernanceMap};
use coproduction::journal::{FileJournal, JournalError, MemoryJournal, OpenReport, StreamId};
use coproduction::limits::{self, InputError, REQUEST_LINE_BYTES};
use coproduction::living::{History, Version};
use coproduction::machine::{Decider, GraphError};
use coproduction::metrics::{CommunityMetrics, Metrics};
use coproduction::proposal::ProposalProcess;
use coproduction::report::{DecisionDocument, DecisionRecordMarkdown};
use coproduction::values::{Charter, DecisionRecord};

#[derive(Parser)]
#[command(
    name = "coproduction",
    version,
    about = "Run and check a co-production community's decisions over JSON"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a decision record against a charter and print the value report as JSON.
    Check {
        /// The charter (JSON).
        #[arg(long)]
        charter: PathBuf,
        /// The decision record (JSON).
        #[arg(long)]
        record: PathBuf,
        /// Exit with 1 when the value gate would refuse the decision.
        #[arg(long)]
        gate: bool,
    },
    /// Handle requests, one JSON object per line on stdin, against a journal file; print the
    /// events written for each, one JSON line each. Stops at the first refused request. A
    /// request may be dated in the past (to import history), but not later than the
    /// machine's clock by more than `--clock-tolerance`: a request from the future would
    /// date the community's history ahead of everyone else's.
    Run {
        /// The journal file (JSON lines); created and founded if missing or empty (and
        /// emptied again should the first request be refused).
        #[arg(long)]
        journal: PathBuf,
        /// The community (JSON).
        #[arg(long)]
        community: PathBuf,
        #[command(flatten)]
        founding: Founding,
        /// How far, in seconds, a request may be dated after the machine's clock.
        #[arg(long, default_value_t = 300)]
        clock_tolerance: i64,
    },
    /// Serve the engine over HTTP on a journal (feature `server`): POST requests, GET
    /// records, reports, what is due, metrics and the event feed (the `serve` module's guide
    /// lists the endpoints). Prints `listening on ADDRESS` once it listens; stops on Ctrl-C
    /// or SIGTERM after finishing every request it began.
    #[cfg(feature = "server")]
    #[command(group(clap::ArgGroup::new("store").required(true).args(["file", "sqlite", "postgres"])))]
    Serve {
        #[command(flatten)]
        store: Store,
        /// The community (JSON) a new journal is founded with; a journal that has its
        /// founding opens from it alone.
        #[arg(long)]
        community: Option<PathBuf>,
        #[command(flatten)]
        founding: Founding,
        /// The address to listen on (port 0: any free port).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// The header the app's authentication sets to the acting member's number.
        #[arg(long, default_value = coproduction::serve::ACTOR_HEADER)]
        actor_header: String,
        /// Take each request's `actor` at its word, with no header: only on a network
        /// nobody untrusted can reach.
        #[arg(long, conflicts_with = "actor_header")]
        trust_body_actor: bool,
        /// Take each request's `now` at its word (to import history); otherwise a request
        /// dated further than `--clock-tolerance` seconds behind the server's clock, or more
        /// than five seconds ahead of it, is refused.
        #[arg(long)]
        trust_request_time: bool,
        /// How far, in seconds, a request's time may lie behind the server's clock (ahead of
        /// it, five seconds at most, or this if less).
        #[arg(long, default_value_t = 300)]
        clock_tolerance: i64,
    },
    /// Verify a journal's hash chain and print a summary of its streams as JSON.
    Replay {
        /// The journal file.
        #[arg(long)]
        journal: PathBuf,
    },
    /// Print what every process of a journal waits on at a time, as one JSON array: responses
    /// awaited, time boxes passed, advice unanswered, a facilitator, decider or deciding body
    /// awaited, roles to hand on, publications and reviews due.
    Due {
        /// The journal file.
        #[arg(long)]
        journal: PathBuf,
        /// The time (RFC 3339).
        #[arg(long)]
        now: String,
    },
    /// Take the steps the processes' own configurations chose for a time (a round deferred
    /// or closed with those heard at its deadline), journalled by the engine's actor, and
    /// print what was done as JSON. A second tick at the same time does nothing.
    #[command(group(clap::ArgGroup::new("store").required(true).args(["file", "sqlite", "postgres"])))]
    Tick {
        #[command(flatten)]
        store: Store,
        /// The time (RFC 3339); not later than the machine's clock by more than
        /// `--clock-tolerance`, as for `run`: steps dated ahead would freeze their streams.
        #[arg(long)]
        now: String,
        /// How far, in seconds, `--now` may lie after the machine's clock.
        #[arg(long, default_value_t = 300)]
        clock_tolerance: i64,
    },
    /// Print the community in force at a time, as the journal's history holds it: its
    /// members and bodies then, as JSON of the same shape as a community file.
    Community {
        /// The journal file.
        #[arg(long)]
        journal: PathBuf,
        /// The time (RFC 3339).
        #[arg(long)]
        at: String,
    },
    /// Print the governance map in force at a time, as the journal's history holds it, as
    /// JSON: `map` (null when the community routes no decisions), `hash` (BLAKE3 of the
    /// map's JSON, null with no map), `from` (when that map took effect: the founding, or
    /// the change that made it), `decided_by` (the decision that adopted that change, null
    /// for the founding) and `attested_by` (the member on whose word that decision was
    /// recorded from a round held elsewhere; null when the engine ran its round).
    Governance {
        /// The journal file.
        #[arg(long)]
        journal: PathBuf,
        /// The time (RFC 3339).
        #[arg(long)]
        at: String,
    },
    /// Print a diagram as Graphviz DOT.
    Graph {
        #[command(subcommand)]
        what: Graph,
    },
    /// Print a report as Markdown.
    Report {
        #[command(subcommand)]
        what: Report,
    },
    /// Print impact metrics computed from a journal: participation, lived experience,
    /// objections and concerns, time to decision, publication, feedback carried; or, with
    /// `community`, the community's own figures over time.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Metrics {
        #[command(subcommand)]
        of: Option<MetricsOf>,
        /// The journal file.
        #[arg(long, required = true)]
        journal: Option<PathBuf>,
        /// The community (JSON), for a journal that does not hold its founding. Where it
        /// does, each decision is judged by the community and charter in force when it
        /// opened, as the journal's history holds them.
        #[arg(long, required = true)]
        community: Option<PathBuf>,
        /// The charter (JSON), for the publication deadline of a journal that does not hold
        /// its founding; the default charter when absent.
        #[arg(long)]
        charter: Option<PathBuf>,
        /// The co-creation model (JSON), for feedback carried into themes.
        #[arg(long)]
        cocreation: Option<PathBuf>,
        /// The output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// Metrics other than the decisions'.
#[derive(Subcommand)]
enum MetricsOf {
    /// The community over time, as JSON: each body's size and lived-experience share at
    /// the end of every month, who joined and left, and each recruitment wave with the
    /// body before and after it.
    Community {
        /// The journal file.
        #[arg(long)]
        journal: PathBuf,
    },
}

/// How `metrics` prints.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One JSON object.
    Json,
    /// A plain-text table.
    Table,
}

#[derive(Subcommand)]
enum Graph {
    /// The consent round's phases and transitions.
    Consent,
    /// The proposal lifecycle's phases and transitions.
    Proposal,
    /// The funding or partnership decision's phases and transitions.
    Funding,
    /// A governance map.
    Governance {
        /// The governance map (JSON).
        #[arg(long)]
        governance: PathBuf,
    },
}

/// How a new journal is founded, beside its community.
#[derive(clap::Args)]
struct Founding {
    /// The governance map (JSON); without it, processes are not routed.
    #[arg(long)]
    governance: Option<PathBuf>,
    /// The charter (JSON); the default charter when absent.
    #[arg(long)]
    charter: Option<PathBuf>,
    /// When a new journal's founding is dated (the Unix epoch when absent); changes to the
    /// community take effect in time order from it. Ignored for a journal that has its
    /// founding.
    #[arg(long)]
    founded_at: Option<String>,
    /// The funding policy (JSON) a new journal is founded with: funding decisions then
    /// follow the policy in force and may leave it out of `identify`. Checked against the
    /// founding of a journal that has one.
    #[arg(long)]
    funding_policy: Option<PathBuf>,
}

impl Founding {
    /// The engine's builder for `community` (a file), founded as these options say.
    fn builder(&self, community: &Path) -> Result<EngineBuilder, Stop> {
        let founded_at = self
            .founded_at
            .as_ref()
            .map(|t| time("--founded-at", t))
            .transpose()?;
        let community: Community = json(community)?;
        let governance = match &self.governance {
            None => None,
            Some(path) => {
                let map: GovernanceMap = json(path)?;
                Some(
                    Governance::new(map, &community)
                        .map_err(|e| Stop::from(coproduction::Error::from(e)).at(name(path)))?,
                )
            }
        };
        let mut builder = Engine::builder(community).charter(charter(self.charter.as_ref())?);
        if let Some(governance) = governance {
            builder = builder.governance(governance);
        }
        if let Some(at) = founded_at {
            builder = builder.founded_at(at);
        }
        if let Some(path) = &self.funding_policy {
            builder = builder.funding_policy(json(path)?);
        }
        Ok(builder)
    }
}

#[derive(Subcommand)]
enum Report {
    /// "You said, we did" for one co-creation session.
    YouSaidWeDid {
        /// The co-creation model (JSON).
        #[arg(long)]
        cocreation: PathBuf,
        /// The session's number.
        #[arg(long)]
        session: u64,
        /// The community (JSON), to print authors' names; a model naming an author who is
        /// not a member of it is refused.
        #[arg(long)]
        community: Option<PathBuf>,
    },
    /// The decision record of one stream of a journal, with its value report by the charter
    /// given and, once a decision passed the value gate, the charter it passed under and
    /// whether the charter given would judge it differently; as Markdown, as an HTML page
    /// (`--html`), or, with `--json`, as the whole decision in one JSON document (`record`,
    /// `report`, `gate`, `names` and the stream's `history`).
    Record {
        /// The journal file.
        #[arg(long)]
        journal: PathBuf,
        /// The community (JSON).
        #[arg(long)]
        community: PathBuf,
        /// The charter (JSON) to judge the decision by, as a charter the community might
        /// adopt; when absent, the charter in force when the process opened, as its gate
        /// judged it (for a journal without a founding, the default charter).
        #[arg(long)]
        charter: Option<PathBuf>,
        /// The stream.
        #[arg(long)]
        stream: String,
        /// The time the record is taken at (RFC 3339).
        #[arg(long)]
        now: String,
        /// Print the whole decision as one JSON document instead of Markdown.
        #[arg(long, conflicts_with = "html")]
        json: bool,
        /// Print the record as one self-contained HTML page instead of Markdown, its path
        /// drawn where Graphviz's `dot` is installed.
        #[arg(long)]
        html: bool,
    },
}

/// Why the tool stopped short: the message for stderr, and the exit code it sets.
#[derive(Debug)]
struct Stop {
    exit: Exit,
    message: String,
}

/// What a [`Stop`] was: see the exit codes in the tool's guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    /// The input, or a request in it, was refused: 1.
    Refused,
    /// The tool could not do its work: 3.
    Failed,
}

impl Stop {
    fn refused(message: impl ToString) -> Self {
        Self {
            exit: Exit::Refused,
            message: message.to_string(),
        }
    }

    fn failed(message: impl ToString) -> Self {
        Self {
            exit: Exit::Failed,
            message: message.to_string(),
        }
    }

    /// The same stop, its message saying where: a file, a line of the input.
    fn at(self, place: impl std::fmt::Display) -> Self {
        Self {
            message: format!("{place}: {}", self.message),
            ..self
        }
    }

    fn code(&self) -> ExitCode {
        match self.exit {
            Exit::Refused => ExitCode::from(1),
            Exit::Failed => ExitCode::from(3),
        }
    }
}

impl From<coproduction::Error> for Stop {
    /// Refused, unless the kind is a failure of the store or of the crate's own graphs.
    fn from(error: coproduction::Error) -> Self {
        let failed = match error.kind() {
            ErrorKind::Failed(_)
            | ErrorKind::Graph(_)
            | ErrorKind::Corruption(_)
            | ErrorKind::Chain(_)
            | ErrorKind::Io { .. } => true,
            ErrorKind::Journal(journal) => !journal.is_refusal(),
            _ => false,
        };
        if failed {
            Stop::failed(error)
        } else {
            Stop::refused(error)
        }
    }
}

/// `From<$error> for Stop`, through the crate's error, which classifies it.
macro_rules! stop_from_crate_errors {
    ($($error:ty),+ $(,)?) => {
        $(
            impl From<$error> for Stop {
                fn from(error: $error) -> Self {
                    coproduction::Error::from(error).into()
                }
            }
        )+
    };
}

stop_from_crate_errors!(
    EngineError,
    JournalError,
    GraphError,
    CoCreationError,
    InputError,
    std::io::Error,
);

impl From<serde_json::Error> for Stop {
    /// The tool's own output could not be encoded, which no input should cause.
    fn from(error: serde_json::Error) -> Self {
        Stop::failed(error)
    }
}

/// A path as a message names it: in short, as the user gave it.
fn name(path: &Path) -> String {
    limits::quote(&path.display().to_string()).into_owned()
}

/// A file the user gave, as text: one that cannot be read is refused input.
fn read(path: &Path) -> Result<String, Stop> {
    std::fs::read_to_string(path)
        .map_err(|e| Stop::refused(format!("cannot read {}: {e}", name(path))))
}

/// A wire type from the JSON file at `path`, read strictly (no positional arrays).
/// The file at `path`, read strictly as `T`, its texts held to the limits a request's are
/// (their lengths, and no character that hides or reorders what a reader sees).
fn json<T: serde::de::DeserializeOwned + serde::Serialize>(path: &Path) -> Result<T, Stop> {
    let value = limits::from_json(&read(path)?).map_err(|e| Stop::from(e).at(name(path)))?;
    limits::check_texts(&value).map_err(|e| Stop::from(e).at(name(path)))?;
    Ok(value)
}

fn charter(path: Option<&PathBuf>) -> Result<Charter, Stop> {
    match path {
        None => Ok(Charter::default()),
        Some(path) => Charter::from_json(&read(path)?)
            .map_err(|e| Stop::from(coproduction::Error::from(e)).at(name(path))),
    }
}

/// The journal at `path`, for writing: created if missing, locked while the tool runs.
fn journal(path: &Path) -> Result<FileJournal<EngineEvent>, Stop> {
    let (journal, report) = FileJournal::open(path).map_err(|e| Stop::from(e).at(name(path)))?;
    warn_torn(path, &report, "the next append removes it");
    Ok(journal)
}

/// The journal at `path`, for reading: verified, not locked, so a writer may hold it. A
/// journal that is not there is named plainly, as input refused (a reader creates none).
fn snapshot(path: &Path) -> Result<MemoryJournal<EngineEvent>, Stop> {
    existing(path)?;
    let (journal, report) =
        FileJournal::snapshot(path).map_err(|e| Stop::from(e).at(name(path)))?;
    warn_torn(path, &report, "a writer may still be finishing it");
    Ok(journal)
}

/// Handles the requests on stdin, one a line, on the journal at `path` (founded with
/// `community` and `founding` if it holds nothing), printing the events written for each
/// to `out`; stops at the first line refused. A journal this run founds is emptied again,
/// under its lock, should the run stop before it handles a request: a refused first
/// request founds no community.
fn handle_lines(
    path: &Path,
    community: &Path,
    founding: Founding,
    clock_tolerance: i64,
    out: &mut impl Write,
) -> Result<(), Stop> {
    let builder = founding.builder(community)?;
    // The file, held open from before the journal locks it: what is emptied is the file
    // the journal locked, never one renamed onto its path since.
    let mine = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .ok();
    let journal = journal(path)?;
    let mine = mine.filter(|file| same_file(file, path));
    // Read under the lock the journal holds from here until the engine is dropped: no
    // other writer comes between.
    let fresh = coproduction::journal::Journal::read_all(&journal)?.is_empty();
    let engine = builder.open(journal)?;
    let mut handled = 0;
    let ran = each_line(&engine, clock_tolerance, out, &mut handled);
    if ran.is_err()
        && handled == 0
        && fresh
        && let Some(mine) = mine
        && let Err(e) = mine.set_len(0)
    {
        eprintln!(
            "{}: the founding written could not be taken back: {e}",
            name(path)
        );
    }
    drop(engine);
    ran
}

/// Whether `file` is the file at `path` now (where that cannot be told, it is not).
#[cfg(unix)]
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether `file` is the file at `path` now: not told here, so never.
#[cfg(not(unix))]
fn same_file(_: &std::fs::File, _: &Path) -> bool {
    false
}

/// Handles the requests on stdin on `engine`, as [`handle_lines`] says, counting those
/// handled in `handled`.
fn each_line(
    engine: &Engine<FileJournal<EngineEvent>>,
    clock_tolerance: i64,
    out: &mut impl Write,
    handled: &mut u64,
) -> Result<(), Stop> {
    let mut input = std::io::stdin().lock();
    let mut buf = Vec::new();
    for n in 1u64.. {
        let on_line = |stop: Stop| stop.at(format_args!("request on line {n}"));
        if !next_line(&mut input, &mut buf).map_err(on_line)? {
            break;
        }
        let line = std::str::from_utf8(&buf).map_err(|e| {
            on_line(Stop::refused(format_args!(
                "the line is not UTF-8: byte {} starts no valid character",
                e.valid_up_to() + 1
            )))
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let request = Request::from_json(line).map_err(|e| on_line(e.into()))?;
        not_ahead(request.now, clock_tolerance).map_err(on_line)?;
        let written = engine.handle(request).map_err(|e| on_line(e.into()))?;
        *handled += 1;
        writeln!(out, "{}", serde_json::to_string(&written)?)?;
    }
    Ok(())
}

/// Refuses a time later than the machine's clock by more than `tolerance` seconds: what
/// the tool writes records what happens now or happened before.
fn not_ahead(at: jiff::Timestamp, tolerance: i64) -> Result<(), Stop> {
    let tolerance = jiff::SignedDuration::from_secs(tolerance.max(0));
    let clock = jiff::Timestamp::now();
    if at.duration_since(clock) > tolerance {
        return Err(Stop::refused(format_args!(
            "dated {at}, after the machine's clock ({}) by more than {tolerance:#}",
            clock.round(jiff::Unit::Second).unwrap_or(clock)
        )));
    }
    Ok(())
}

/// Refuses a journal that is not there, naming it, before anything creates it: only `run`
/// and `serve` found a new one.
fn existing(path: &Path) -> Result<(), Stop> {
    std::fs::metadata(path)
        .map(drop)
        .map_err(|e| Stop::refused(format!("cannot read {}: {e}", name(path))))
}

/// Says on stderr that the journal ends in an unfinished write, and what becomes of it: a
/// writer removes it at its next append; a reader may be looking while a writer finishes.
fn warn_torn(path: &Path, report: &OpenReport, fate: &str) {
    if let Some(torn) = report.torn_tail {
        eprintln!(
            "{}: an unfinished last write of {} bytes at offset {} is ignored; {fate}",
            name(path),
            torn.bytes,
            torn.offset
        );
    }
}

/// An engine on a snapshot of the journal at `path`, read from the journal alone: its
/// founding and every change since. A journal written before foundings were journalled
/// opens with the community and charter `supplied` gives.
fn founded(
    path: &Path,
    supplied: impl FnOnce() -> Result<(Community, Charter), Stop>,
) -> Result<Engine<MemoryJournal<EngineEvent>>, Stop> {
    let journal = snapshot(path)?;
    // A journal with no founding opens on the community supplied only when it holds the
    // events of one written before foundings were journalled: an empty one holds nothing.
    if coproduction::journal::Journal::read_all(&journal)?.is_empty() {
        return Err(Stop::refused(format!(
            "{} holds no events: `run` or `serve` founds a journal",
            name(path)
        )));
    }
    match Engine::from_journal(journal) {
        Err(EngineError::NoFounding) => {
            let (community, charter) = supplied()?;
            Ok(Engine::open(community, None, charter, snapshot(path)?)?)
        }
        opened => Ok(opened?),
    }
}

/// The time an option gives, in RFC 3339; one that cannot be read is refused input (the
/// crate's [`ErrorKind::Time`]), naming the option and quoting the value in short.
fn time(option: &str, value: &str) -> Result<jiff::Timestamp, Stop> {
    value.parse().map_err(|e: jiff::Error| {
        Stop::from(coproduction::Error::from(e))
            .at(format_args!("{option} `{}`", limits::quote(value)))
    })
}

/// The community's history in the journal at `path` alone, and the time `at` names.
fn history_at(path: &Path, at: &str) -> Result<(History, jiff::Timestamp), Stop> {
    let at = time("--at", at)?;
    let engine = Engine::from_journal(snapshot(path)?).map_err(|e| Stop::from(e).at(name(path)))?;
    Ok((engine.history().ok_or(EngineError::Poisoned)?, at))
}

/// The version that made the governance map in force at `at`: the first of the versions up to
/// `at` since the map last changed. Every change makes a version, most of them with the
/// same map.
fn map_since(history: &History, at: jiff::Timestamp) -> &Version {
    let mut since = history.founding();
    for version in history.versions().take_while(|v| v.from() <= at) {
        if version.governance_hash() != since.governance_hash() {
            since = version;
        }
    }
    since
}

/// Reads the next line of `input` into `buf`, without its line ending: `false` at the end
/// of the input. A line over [`REQUEST_LINE_BYTES`] is refused once that much is read (the
/// rest is counted, for the message, but not kept), so an oversized line costs no memory.
fn next_line(input: &mut impl BufRead, buf: &mut Vec<u8>) -> Result<bool, Stop> {
    buf.clear();
    // The limit, a line ending of up to two bytes, and one byte more to tell a line over it.
    let most = REQUEST_LINE_BYTES as u64 + 3;
    if std::io::Read::take(&mut *input, most).read_until(b'\n', buf)? == 0 {
        return Ok(false);
    }
    let ended = buf.last() == Some(&b'\n');
    if ended {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
    if buf.len() <= REQUEST_LINE_BYTES {
        return Ok(true);
    }
    let mut bytes = buf.len();
    // The rest of the line, counted and dropped a buffer at a time.
    let mut done = ended;
    while !done {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let taken = match chunk.iter().position(|&b| b == b'\n') {
            Some(at) => {
                done = true;
                bytes += at;
                at + 1
            }
            None => {
                bytes += chunk.len();
                chunk.len()
            }
        };
        input.consume(taken);
    }
    Err(InputError::LineTooLong {
        bytes,
        limit: REQUEST_LINE_BYTES,
    }
    .into())
}

/// The PostgreSQL journal `url` names: over TLS when it says `sslmode=require`, trusting the
/// system's certificates and those in `ca` (and so refusing a server they do not vouch
/// for); otherwise in plain, as without the feature.
#[cfg(feature = "postgres-tls")]
fn postgres_journal(
    url: &str,
    ca: Option<&Path>,
) -> Result<coproduction::journal::PostgresJournal<EngineEvent>, Stop> {
    use openssl::ssl::{SslConnector, SslMethod};
    use postgres::config::SslMode;
    let required = std::str::FromStr::from_str(url)
        .is_ok_and(|c: postgres::Config| c.get_ssl_mode() == SslMode::Require);
    if !required {
        if ca.is_some() {
            return Err(Stop::refused(
                "--postgres-ca is for a connection over TLS: add `sslmode=require` to --postgres",
            ));
        }
        return Ok(coproduction::journal::PostgresJournal::open(url)?);
    }
    let mut ssl = SslConnector::builder(SslMethod::tls()).map_err(Stop::failed)?;
    if let Some(ca) = ca {
        // A file that cannot be read says so, before OpenSSL reads it as certificates.
        std::fs::metadata(ca).map_err(|e| Stop::refused(e).at(name(ca)))?;
        ssl.set_ca_file(ca).map_err(|e| {
            Stop::refused(format_args!("not certificates in PEM: {e}")).at(name(ca))
        })?;
    }
    let tls = postgres_openssl::MakeTlsConnector::new(ssl.build());
    Ok(coproduction::journal::PostgresJournal::open_with_tls(
        url, tls,
    )?)
}

/// The PostgreSQL journal `url` names, connecting without TLS.
#[cfg(all(feature = "postgres", not(feature = "postgres-tls")))]
fn postgres_journal(
    url: &str,
    ca: Option<&Path>,
) -> Result<coproduction::journal::PostgresJournal<EngineEvent>, Stop> {
    if ca.is_some() {
        return Err(Stop::refused(
            "--postgres-ca needs the tool built with the `postgres-tls` feature",
        ));
    }
    let required = std::str::FromStr::from_str(url)
        .is_ok_and(|c: postgres::Config| c.get_ssl_mode() == postgres::config::SslMode::Require);
    if required {
        return Err(Stop::refused(
            "--postgres asks for TLS (`sslmode=require`): that needs the tool built with the `postgres-tls` feature",
        ));
    }
    Ok(coproduction::journal::PostgresJournal::open(url)?)
}

fn run(cli: Cli) -> Result<(), Stop> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Check {
            charter: c,
            record,
            gate,
        } => {
            let charter = charter(Some(&c))?;
            let path = record;
            let record: DecisionRecord = json(&path)?;
            // A record is the evidence a request carries, so it keeps the same limits.
            limits::check_texts(&record).map_err(|e| Stop::from(e).at(name(&path)))?;
            let report = charter.check(&record);
            writeln!(out, "{}", serde_json::to_string(&report)?)?;
            if gate {
                report.gate().map_err(Stop::refused)?;
            }
        }
        Command::Run {
            journal: path,
            community,
            founding,
            clock_tolerance,
        } => {
            handle_lines(&path, &community, founding, clock_tolerance, &mut out)?;
        }
        Command::Replay { journal: path } => {
            let engine = founded(&path, || Ok((Community::new(), Charter::default())))?;
            let streams: Vec<serde_json::Value> = engine
                .streams()
                .iter()
                .map(|s| {
                    let phase = engine
                        .state(s)
                        .map(|p| p.phase_label())
                        .unwrap_or("unknown");
                    serde_json::json!({"stream": s.as_str(), "phase": phase})
                })
                .collect();
            let events = coproduction::journal::Journal::read_all(engine.journal())?.len();
            let summary =
                serde_json::json!({"events": events, "chain": "verified", "streams": streams});
            writeln!(out, "{summary}")?;
        }
        #[cfg(feature = "server")]
        Command::Serve {
            store,
            community,
            founding,
            listen,
            actor_header,
            trust_body_actor,
            trust_request_time,
            clock_tolerance,
        } => {
            use coproduction::serve::{ActorSource, Clock, ServerConfig};
            let actor = if trust_body_actor {
                ActorSource::Body
            } else {
                ActorSource::Header(
                    axum::http::HeaderName::try_from(actor_header.as_str()).map_err(|_| {
                        Stop::refused(format!(
                            "--actor-header `{}` is not a header name",
                            limits::quote(&actor_header)
                        ))
                    })?,
                )
            };
            let clock = if trust_request_time {
                Clock::Request
            } else {
                Clock::Server {
                    tolerance: jiff::SignedDuration::from_secs(clock_tolerance.max(0)),
                }
            };
            let config = ServerConfig {
                actor,
                clock,
                ..ServerConfig::default()
            };
            let serving = Serving {
                community: community.as_deref(),
                founding: &founding,
                config,
                listen: &listen,
            };
            store.open(serving, &mut out)?;
        }
        Command::Due { journal: path, now } => {
            let now = time("--now", &now)?;
            let engine = founded(&path, || Ok((Community::new(), Charter::default())))?;
            engine.readable_at(None, now)?;
            writeln!(out, "{}", serde_json::to_string(&engine.due(now))?)?;
        }
        Command::Tick {
            store,
            now,
            clock_tolerance,
        } => {
            let now = time("--now", &now)?;
            not_ahead(now, clock_tolerance).map_err(|stop| stop.at("--now"))?;
            if let Some(path) = &store.file {
                existing(path)?;
            }
            store.open(Ticking { now }, &mut out)?;
        }
        Command::Community { journal: path, at } => {
            let (history, at) = history_at(&path, &at)?;
            writeln!(
                out,
                "{}",
                serde_json::to_string(history.at(at).community())?
            )?;
        }
        Command::Governance { journal: path, at } => {
            let (history, at) = history_at(&path, &at)?;
            let version = history.at(at);
            let since = map_since(&history, at);
            let governance = serde_json::json!({
                "map": version.governance().map(Governance::map),
                "hash": version.governance_hash(),
                "from": since.from(),
                "decided_by": since.entry().and_then(|e| e.decided_by.as_ref()),
                "attested_by": since.entry().and_then(|e| e.attested_by),
            });
            writeln!(out, "{governance}")?;
        }
        Command::Graph {
            what: Graph::Consent,
        } => write!(out, "{}", ConsentProcess::graph()?.dot())?,
        Command::Graph {
            what: Graph::Proposal,
        } => write!(out, "{}", ProposalProcess::graph()?.dot())?,
        Command::Graph {
            what: Graph::Funding,
        } => write!(out, "{}", FundingProcess::graph()?.dot())?,
        Command::Graph {
            what: Graph::Governance { governance },
        } => {
            let map: GovernanceMap = json(&governance)?;
            write!(out, "{}", map.dot())?;
        }
        Command::Report {
            what:
                Report::YouSaidWeDid {
                    cocreation,
                    session,
                    community,
                },
        } => {
            let model: CoCreation = json(&cocreation)?;
            let account = model.you_said_we_did(SessionId::new(session))?;
            match community {
                None => write!(out, "{}", account.markdown())?,
                Some(path) => {
                    let community: Community = json(&path)?;
                    model
                        .check_authors(&community)
                        .map_err(|e| Stop::from(e).at(name(&cocreation)))?;
                    write!(out, "{}", account.markdown().with_names(&community))?;
                }
            }
        }
        Command::Report {
            what:
                Report::Record {
                    journal: path,
                    community,
                    charter: c,
                    stream,
                    now,
                    json: as_json,
                    html,
                },
        } => {
            let engine = founded(&path, || Ok((json(&community)?, charter(c.as_ref())?)))?;
            let stream = StreamId::new(&stream)?;
            let now = time("--now", &now)?;
            engine.readable_at(Some(&stream), now)?;
            let record = engine
                .record(&stream, now)
                .ok_or_else(|| Stop::refused(format!("no process on stream `{stream}`")))?;
            // Judged by the charter in force when the process opened, as its gate judged
            // it, beside the one in force at `--now`; or, given one, by that charter: what
            // it would make of the decision.
            let (report, review) = match &c {
                Some(path) => {
                    let judge = charter(Some(path))?;
                    (judge.check(&record), engine.review_by(&stream, &judge))
                }
                None => (
                    engine
                        .report(&stream, now)
                        .ok_or_else(|| Stop::refused(format!("no process on stream `{stream}`")))?,
                    engine.review(&stream, now),
                ),
            };
            if as_json {
                // The whole decision: record, report, gate, names and the stream's events.
                let history =
                    coproduction::journal::Journal::read_stream(engine.journal(), &stream)?;
                let document = DecisionDocument::new(
                    stream.clone(),
                    record,
                    report,
                    review.as_ref(),
                    &engine.community(),
                    history,
                );
                writeln!(out, "{}", serde_json::to_string(&document)?)?;
            } else {
                // Headed by what was proposed, or else by the stream; each member named as
                // they asked, by the community as it stands.
                let names = engine.community();
                let markdown = DecisionRecordMarkdown::new(&record, &report)
                    .with_names(&names)
                    .or_titled(stream.as_str())
                    .with_review(review.as_ref())
                    .routed_by(engine.routing_map(&stream));
                if html {
                    write!(out, "{}", markdown.html().drawn())?;
                } else {
                    write!(out, "{markdown}")?;
                }
            }
        }
        Command::Metrics {
            of: Some(MetricsOf::Community { journal: path }),
            ..
        } => {
            let envelopes = coproduction::journal::Journal::read_all(&snapshot(&path)?)?;
            let metrics = CommunityMetrics::from_journal(&envelopes)
                .map_err(|e| Stop::from(e).at(name(&path)))?;
            writeln!(out, "{}", serde_json::to_string(&metrics)?)?;
        }
        Command::Metrics {
            of: None,
            journal: Some(path),
            community: Some(community),
            charter: c,
            cocreation,
            format,
        } => {
            let community: Community = json(&community)?;
            let charter = charter(c.as_ref())?;
            let cocreation: Option<CoCreation> = match cocreation {
                None => None,
                Some(path) => Some(json(&path)?),
            };
            let envelopes = coproduction::journal::Journal::read_all(&snapshot(&path)?)?;
            let metrics =
                Metrics::from_journal(&envelopes, &community, &charter, cocreation.as_ref());
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string(&metrics)?)?,
                Format::Table => write!(out, "{}", metrics.table())?,
            }
        }
        // Clap requires both without a subcommand; this holds if that ever changes.
        Command::Metrics { .. } => {
            return Err(Stop::refused(
                "metrics needs --journal and --community, or `metrics community --journal`",
            ));
        }
    }
    Ok(())
}

/// How `coproduction serve` runs, whichever journal it serves.
/// The journal a command names: a file (`--journal`), a SQLite database (`--sqlite`) or a
/// PostgreSQL one (`--postgres`, with `--postgres-ca`), one of them.
#[derive(Debug, clap::Args)]
#[group(skip)]
struct Store {
    /// The journal file (JSON lines), as `run` writes it; `serve` creates one founded with
    /// `--community` if missing. One writer holds it.
    #[arg(long = "journal", value_name = "JOURNAL")]
    file: Option<PathBuf>,
    /// A SQLite journal (feature `sqlite`) instead of a file: several servers on one
    /// machine may share it, each catching up with what the others wrote.
    #[arg(long)]
    sqlite: Option<PathBuf>,
    /// A PostgreSQL journal (feature `postgres`), by its connection string
    /// (`postgresql://user@host:port/db` or `key=value` pairs): servers on several
    /// machines may share it, each catching up with what the others wrote. Built with
    /// the `postgres-tls` feature, the tool connects over TLS when the string says
    /// `sslmode=require`, trusting the system's certificates; otherwise in plain.
    #[arg(long)]
    postgres: Option<String>,
    /// Certificates (PEM) to trust for the PostgreSQL server besides the system's, such
    /// as a private network's own authority (feature `postgres-tls`).
    #[arg(long, requires = "postgres")]
    postgres_ca: Option<PathBuf>,
}

/// What a command does on the journal it is given, whichever kind it is.
trait OnJournal {
    /// Does it on `journal`, named `label` in messages; `shared` when other writers may
    /// write the same journal (a database).
    fn on<J>(
        self,
        journal: J,
        label: &Path,
        shared: bool,
        out: &mut impl Write,
    ) -> Result<(), Stop>
    where
        J: coproduction::journal::Journal<Event = EngineEvent> + Send + Sync + 'static;
}

impl Store {
    /// Opens the journal named and does `task` on it; a database the tool was built without
    /// is refused, naming the feature.
    fn open(self, task: impl OnJournal, out: &mut impl Write) -> Result<(), Stop> {
        // Read only by the PostgreSQL journal.
        #[cfg(not(feature = "postgres"))]
        let _ = &self.postgres_ca;
        match (self.file, self.sqlite, self.postgres) {
            (Some(path), _, _) => task.on(journal(&path)?, &path, false, out),
            #[cfg(feature = "sqlite")]
            (None, Some(path), _) => {
                let journal = coproduction::journal::SqliteJournal::open(&path)
                    .map_err(|e| Stop::from(e).at(name(&path)))?;
                task.on(journal, &path, true, out)
            }
            #[cfg(feature = "postgres")]
            (None, None, Some(url)) => {
                let journal = postgres_journal(&url, self.postgres_ca.as_deref())?;
                task.on(journal, Path::new("the PostgreSQL journal"), true, out)
            }
            #[cfg(not(feature = "sqlite"))]
            (None, Some(_), _) => Err(Stop::refused(
                "--sqlite needs the tool built with the `sqlite` feature",
            )),
            #[cfg(not(feature = "postgres"))]
            (None, None, Some(_)) => Err(Stop::refused(
                "--postgres needs the tool built with the `postgres` feature",
            )),
            (None, None, None) => Err(Stop::refused("give --journal, --sqlite or --postgres")),
        }
    }
}

/// `tick`: the steps the processes' own configurations chose for `now`, taken and printed.
struct Ticking {
    now: jiff::Timestamp,
}

impl OnJournal for Ticking {
    fn on<J>(self, journal: J, label: &Path, _: bool, out: &mut impl Write) -> Result<(), Stop>
    where
        J: coproduction::journal::Journal<Event = EngineEvent> + Send + Sync + 'static,
    {
        let engine = Engine::from_journal(journal).map_err(|e| Stop::from(e).at(name(label)))?;
        writeln!(out, "{}", serde_json::to_string(&engine.tick(self.now)?)?)?;
        Ok(())
    }
}

#[cfg(feature = "server")]
struct Serving<'a> {
    /// The community a new journal is founded with; none for a journal with its founding.
    community: Option<&'a Path>,
    founding: &'a Founding,
    config: coproduction::serve::ServerConfig,
    listen: &'a str,
}

/// Serves an engine on the journal (named `path` in messages): founded with the community
/// given, or from the journal's own founding; `shared` when other servers may write the
/// same journal, so that the engine catches up with them.
#[cfg(feature = "server")]
impl OnJournal for Serving<'_> {
    fn on<J>(self, journal: J, path: &Path, shared: bool, out: &mut impl Write) -> Result<(), Stop>
    where
        J: coproduction::journal::Journal<Event = EngineEvent> + Send + Sync + 'static,
    {
        let engine = match self.community {
            Some(community) => self.founding.builder(community)?.open(journal)?,
            None => Engine::from_journal(journal).map_err(|e| Stop::from(e).at(name(path)))?,
        };
        let config = coproduction::serve::ServerConfig {
            shared_journal: shared,
            ..self.config
        };
        serve(engine, config, self.listen, out)
    }
}

/// Serves `engine` on `listen` until Ctrl-C or SIGTERM, finishing every request begun.
#[cfg(feature = "server")]
fn serve<J>(
    engine: Engine<J>,
    config: coproduction::serve::ServerConfig,
    listen: &str,
    out: &mut impl Write,
) -> Result<(), Stop>
where
    J: coproduction::journal::Journal<Event = EngineEvent> + Send + Sync + 'static,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
            Stop::refused(format!("cannot listen on {}: {e}", limits::quote(listen)))
        })?;
        writeln!(out, "listening on {}", listener.local_addr()?)?;
        out.flush()?;
        let app = coproduction::serve::router(std::sync::Arc::new(engine), config);
        axum::serve(listener, app)
            .with_graceful_shutdown(stopping())
            .await?;
        Ok(())
    })
}

/// Resolves when the process is asked to stop: Ctrl-C, or SIGTERM on Unix.
#[cfg(feature = "server")]
async fn stopping() {
    let interrupt = async {
        // Without a handler there is no Ctrl-C to wait for; SIGTERM still stops.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(stop) => {
            // Every message is built to quote input in short; this holds whatever slipped by.
            eprintln!("coproduction: {}", limits::shorten_quotes(&stop.message));
            stop.code()
        }
    }
}
