//! `coproduction` models how a co-production community makes decisions, so that an app can
//! run those decisions, show that it followed the community's own rules, and publish an
//! honest record of them.
//!
//! # A first look
//!
//! The [`Engine`] is the crate's main path: requests in, each authorised, routed by the
//! community's governance, decided by the process's own rules, gated by the community's
//! values and journalled. Here the associate-roles team of the seed community decides a
//! working model by consent: the engine seats the team as the community records it, takes
//! each member's response in their own name, and will not record the adoption until the
//! decision meets the community's values.
//!
//! ```
//! use coproduction::{
//!     Community, ConsentProcess, DecisionKind, Engine, EngineError, Governance, MemberId,
//!     MemoryJournal, Request, Response, RoundCommand, RoundPhase, RoundRoles, StreamId,
//! };
//!
//! let community: Community = serde_json::from_str(include_str!("../examples/data/community.json"))?;
//! let governance = Governance::from_json(include_str!("../examples/data/governance.json"), &community)?;
//! let engine = Engine::builder(community).governance(governance).open(MemoryJournal::new())?;
//!
//! let round = StreamId::new("working-model")?;
//! let (proposer, secretary, facilitator) = (MemberId::new(1), MemberId::new(2), MemberId::new(13));
//! let at = |minute: i64| jiff::Timestamp::from_second(1_661_000_000 + minute * 60);
//! let open = RoundCommand::OpenOnRoute {
//!     title: "Pilot the working model".into(),
//!     proposal: "Paid, flexible roles without titles, for six months.".into(),
//!     roles: RoundRoles { proposer, facilitator, secretary },
//! };
//! engine.handle(Request::new(round.clone(), proposer, at(0)?, open).with_kind(DecisionKind::WorkingModel))?;
//! for minute in 1..=3 {
//!     engine.handle(Request::new(round.clone(), facilitator, at(minute)?, RoundCommand::Advance {}))?;
//! }
//! for (minute, member) in (10..).zip([1, 13, 14].map(MemberId::new)) {
//!     let respond = RoundCommand::Respond { member, response: Response::consent() };
//!     engine.handle(Request::new(round.clone(), member, at(minute)?, respond))?;
//! }
//! engine.handle(Request::new(round.clone(), facilitator, at(20)?, RoundCommand::CloseRound {}))?;
//! assert_eq!(engine.phase::<ConsentProcess>(&round), Some(RoundPhase::Consented));
//!
//! // Nobody declared their interests, nobody was offered payment, no alternatives are on
//! // record: the value gate refuses the adoption, and nothing is written.
//! let adopt = RoundCommand::RecordOutcome {
//!     statement: "Piloted from March".into(),
//!     review_date: at(60 * 24 * 180)?,
//! };
//! let refused = engine.handle(Request::new(round.clone(), secretary, at(30)?, adopt));
//! assert!(matches!(refused, Err(EngineError::Gate { .. })));
//! assert_eq!(engine.phase::<ConsentProcess>(&round), Some(RoundPhase::Consented));
//! # Ok::<(), coproduction::Error>(())
//! ```
//!
//! What members do beside the round (advice, declarations, payment, access) they record
//! themselves ([`process::PartCommand`]); what no step witnesses, a member who runs the round
//! attests ([`values::Evidence`]). The [`engine`] guide and the README go on from here.
//!
//! # Where to start
//!
//! 1. Run `cargo run --example collective`: the seed community's decisions of 2021 to 2023 on the
//!    engine (funding offers, a recruitment and the appointments it brings, a working model
//!    piloted and reviewed, a governance decision that changes who decides recruitment),
//!    with the value reports, metrics, Markdown records and diagrams it writes to a folder
//!    it names.
//! 2. Embed the [`engine`] in your app: its guide shows a round opened, refused and
//!    journalled; the README walks through it on the seed community.
//! 3. Embed only the value-check: [`values`] tests one [`values::DecisionRecord`] against a
//!    [`values::Charter`]. From another language, the `coproduction` tool (feature `cli`)
//!    does it over JSON (`coproduction check`); `examples/other_languages/value_check.py`
//!    shows it from Python, and [`wire`] lists every JSON message with an example.
//!
//! # Overview
//!
//! The crate is organised one concept to a module:
//!
//! - [`cocreation`]: sessions, feedback items (named or anonymous), themes, proposal
//!   versions and decisions as a provenance DAG: what informed a decision, which items no
//!   theme carries, and "you said, we did" for each session.
//! - [`community`]: members (roles, lived experience, access needs) and bodies (the staff
//!   team, the Allies Group, the whole community, project teams), with figures such as the
//!   share of a body with lived experience.
//! - [`consent`]: consent rounds (and consensus, votes, the advice process and delegated
//!   decisions) as a typed state machine: eligibility fixed at opening, an explicit absence
//!   policy, quorum with a lived-experience minimum, objections tested and integrated one at
//!   a time; a typestate façade [`consent::ConsentRound`] over the runtime
//!   [`consent::ConsentProcess`], and a projection into the value-check's record.
//! - [`decision`]: the shared vocabulary: the kind of a decision, the method it is taken by,
//!   and the tier of what is at stake.
//! - [`engine`]: the embeddable engine: requests in (Rust values or JSON), authorised,
//!   routed, decided, gated by the value-check and journalled; replayed on open.
//! - [`error`]: the crate's one error, [`Error`], whose [`kind`](Error::kind) is the
//!   module's own error; the engine's refusals of a request and its failures are kinds
//!   apart.
//! - [`evaluation`]: a pilot's benefits and impact evaluation: the questions and criteria
//!   agreed when it starts (for co-producers, projects and the community), the figures and
//!   people's words gathered during it, each with its provenance, and the evidence its
//!   reassessment decides on (rule C8).
//! - [`funding`]: funding and partnership decisions as a typed state machine: a red-line
//!   screen that declines automatically and publishes why, tiers from amount, risks and
//!   institutional policy, a due-diligence checklist per tier, consultation along the
//!   governance route, acceptance through the value gate, a public register entry,
//!   monitoring and review; a typestate façade [`funding::Funding`] over
//!   [`funding::FundingProcess`].
//! - [`governance`]: who decides, advises, is consulted and informed for each kind of
//!   decision, as a validated petgraph graph; [`governance::Governance::route`] gives the
//!   deciding body, method, consultees and escalation chain for a decision's facts.
//! - [`journal`]: the record of every event: envelopes chained by BLAKE3 hashes, appends
//!   with optimistic concurrency, and journals in memory, in a JSON-lines file that reports
//!   a torn tail and refuses corruption, (feature `sqlite`) in SQLite, and (feature
//!   `postgres`) in PostgreSQL, shared by writers on several machines; read whole, by
//!   stream, or from a feed's cursor.
//! - [`limits`]: input hygiene: the limits on free text and on a request line, in one
//!   table, and the strict JSON reading that refuses positional arrays and quotes refused
//!   input only in short.
//! - [`living`]: the community as journalled history: members join and leave, bodies
//!   change, and the governance map, charter and funding policy are versioned documents
//!   that the community's own decisions change, in force from a stated time; the
//!   community and its governance as of any time.
//! - [`machine`]: the pattern every decision process is written in. A [`machine::Decider`]
//!   decides (pure, fallible) and evolves (total); its phases and transitions are a checked
//!   petgraph graph that draws itself as Graphviz DOT; [`machine::testkit`] writes rules as
//!   given/when/then tests.
//! - [`metrics`]: impact figures from a journal: participation per body and per decision,
//!   lived-experience share over time, objections integrated, concerns logged, time to
//!   decision, decisions published with a rationale in time, feedback carried into
//!   themes, and each pilot's evaluation, as JSON or a plain-text table.
//! - [`process`]: the layer that joins the processes to the engine and the metrics: the
//!   [`process::Process`] trait (deciding events, the process a record builds on, the
//!   projection into a record, what the engine witnesses when a process opens) and the one
//!   list of processes that generates the engine's command, event and state types.
//! - [`proposal`]: the proposal lifecycle as a typed state machine: draft, co-creation with
//!   every version kept and linked to what it answers, a route, one or more deciding rounds,
//!   adoption through the value gate, publication, implementation or a pilot, and review
//!   (continued, amended or retired); a typestate façade [`proposal::Lifecycle`] over the
//!   runtime [`proposal::ProposalProcess`], and a projection into the value-check's record.
//! - [`report`]: human outputs as stable Markdown, such as "you said, we did".
//! - [`values`]: the value-check other apps embed: a [`values::Charter`] of the community's
//!   values and rules (32 built in), a [`values::DecisionRecord`] of evidence, a pure
//!   `check` that returns a [`values::ValueReport`] saying per value and per rule what held
//!   and why, and a gate whose [`values::GatePassed`] proof a decided transition takes.
//!
//! - [`wire`]: the JSON wire format, every message with an example.
//!
//! # Concepts
//!
//! **Commands, events, state.** A process never changes in place. A command (`"respond to
//! this round"`) is checked against the current state by `decide`, which returns events
//! (`"member m4 consented"`) or refuses with an error. Events are folded into the state by
//! `evolve`. Replaying the events rebuilds the state, so the events are the record.
//!
//! **Time and actors come in from outside.** The library never reads the clock and never
//! decides who is acting: every command carries a [`machine::Context`] with the acting member
//! and a [`jiff::Timestamp`]. That makes every run reproducible and testable.
//!
//! **Refusals are errors, outcomes are values.** An objection being raised, or a funding offer
//! being declined, is an event. An `Err` means the caller asked for something the process
//! does not allow at that point; it says what was attempted, where, and why, and changes
//! nothing. Every error converts into the crate's [`Error`], whose [`kind`](Error::kind)
//! tells such a refusal from a failure of the store the engine writes to. What every
//! process refuses alike (not started, wrong phase, wrong role, a blank text, a clock gone
//! back, a proof not for this decision) is one vocabulary,
//! [`RefusalKind`](machine::RefusalKind), that [`Error::refusal`] finds with the process
//! that refused, whichever process it was.
//!
//! **No ranks.** Roles say what a member does (co-producer, staff, ally); no role outranks
//! another. Who decides what is a matter of the community's governance, not of titles.
//!
//! # Crate features
//!
//! The default build depends only on serde, serde_json, thiserror, petgraph, jiff, blake3,
//! foldhash and hashbrown, with three small helpers of serde and derive (`serde_with`,
//! `serde_path_to_error`, `strum`), and two of Unicode's (`unicode-normalization`, which
//! folds text as the funding screen reads it, and `unicode-security`, whose confusable
//! skeleton tells lookalike texts apart).
//!
//! - `cli`: the `coproduction` command-line tool, which drives the engine and the value-check
//!   over JSON (adds clap).
//! - `sqlite`: the SQLite journal, `journal::SqliteJournal`, with SQLite compiled from
//!   source (rusqlite's bundled build), so no system library is needed.
//! - `postgres`: the PostgreSQL journal, `journal::PostgresJournal`, for several writers on
//!   one database (adds the synchronous `postgres` client, which runs tokio-postgres on a
//!   small tokio runtime of its own; no system library is needed). Its tests need a server:
//!   `.ci/postgres.sh start` starts a throwaway one and prints the `COPRODUCTION_PG_URL`
//!   they read. It connects without TLS, or through any TLS connector the `postgres`
//!   client takes (`PostgresJournal::open_with_tls`).
//! - `postgres-tls`: TLS to PostgreSQL for the `coproduction` tool (`serve --postgres` with
//!   `sslmode=require`, `--postgres-ca`), through the system's OpenSSL.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod cocreation;
pub mod community;
pub mod consent;
pub mod decision;
pub mod engine;
pub mod error;
pub mod evaluation;
pub mod funding;
pub mod governance;
pub mod hash;
pub mod journal;
pub mod limits;
pub mod living;
pub mod machine;
pub mod metrics;
mod names;
pub mod process;
pub mod proposal;
pub mod report;
#[cfg(feature = "server")]
pub mod serve;
mod slug;
pub mod values;
pub mod wire;

pub use community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
pub use consent::{ConsentProcess, Response, RoundCommand, RoundConfig, RoundPhase, RoundRoles};
pub use decision::DecisionKind;
pub use engine::{Engine, EngineError, EngineEvent, ProcessCommand, Request};
pub use error::{Error, ErrorKind};
pub use funding::{FundingCommand, FundingProcess};
pub use governance::Governance;
pub use journal::{FileJournal, MemoryJournal, StreamId};
pub use proposal::{ProposalCommand, ProposalProcess};
pub use values::{Charter, DecisionRecord, ValueReport};

/// The README's examples, compiled and run as doc tests so they cannot go stale.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
