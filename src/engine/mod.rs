//! The embeddable decision engine: requests in, journalled events out.
//!
//! An [`Engine`] holds the community, its governance map, its value charter and a
//! [`Journal`]. Each [`Request`] names a stream (one decision process), the acting member,
//! the time, and a command. The engine
//!
//! 1. **authorises** the actor: they must be a member of the community (the process itself
//!    checks the role each command needs);
//! 2. **routes** a process when it opens: the decision's kind (and facts, such as the amount)
//!    go to governance, and a round whose deciding body or method differs from the route is
//!    refused (or, opened `open_on_route`, takes its body, method and eligible members from
//!    it); a funding decision is routed on its offer's own facts. The route is journalled
//!    with the process's start; every later command gets it in its
//!    [`Context`], so no command names a route, and the record is
//!    judged against it for as long as the process runs;
//! 3. runs the process's **`decide`**; when a round that decides for a proposal or a
//!    funding decision ends, the engine records what it reached there, in the same atomic
//!    batch, through that process's own rules;
//! 4. runs the **value gate** when the events would move the process to a decided state (a
//!    round's outcome, a proposal's adoption, a funding offer's acceptance):
//!    the process's own record, supplemented with the evidence the request carries, is checked
//!    against the charter; a refused gate writes nothing. The deciding event carries the
//!    gate's summary ([`GateSummary`]): the hash of the charter it passed under, the rules
//!    checked, the overrides and acknowledgements used; [`Engine::gates`] reads them back;
//! 5. **appends** the events to the journal with the stream's expected sequence number;
//! 6. **evolves** the process in place.
//!
//! Every process the engine runs is one of the list in [`process`](crate::process), which
//! generates the engine's command, event and state types and their dispatch.
//!
//! **Witnessed and attested.** The journal holds what the engine witnessed: who is seated in a
//! round (the route's body as the community records it, less those who stepped out of the
//! process it decides for), who holds its roles and a proposal's (members of the community;
//! a proposer who decides alone, in an advice process or a delegated decision, sits on the
//! deciding body; supporters who may respond for a member are other members, for members
//! who are seated), who responded, the outcome a process reached and when, the route;
//! and what members did beside the process, in their own name
//! ([`PartCommand`]): advice asked of the bodies the route
//! consults, given by those asked and answered; interests declared and recusals; payment
//! offered and accepted or declined; access needs met; for a pilot's evaluation, that the
//! body said to have agreed it is the community's and that words quoted as a member's are
//! from someone who was a member when they were gathered. What no step witnesses comes as
//! [`Evidence`](crate::values::Evidence), journalled with the member who attested it: only a
//! member who runs the process attests it, never dated before the process's last event, it
//! attests what has happened (a paper sent, a session held, a record published, a check
//! completed is not dated after the request; a record is published once there is a
//! decision, and not dated before it), and the type has no field for what the engine
//! records itself. An override is made in the actor's own name, by whom governance
//! names for the deciding body (or else the member who answers for the process: a round's
//! facilitator or a proposal's steward only when they sit on the deciding body, since
//! whoever opens a process names them), of a rule that takes one, with a reason. A
//! proposal's result copied in from a round kept elsewhere is the copier's word, and its
//! record says so ([`DecisionRecord::attested`]); a funding decision's deciders include the
//! member who records it; what a member declared in a funding decision (an interest, a
//! recusal) stands; once a process has ended nobody takes part in it any more (an answer to
//! advice or to an offer made while it ran may still come). A step that moves a
//! process on is taken by a member who runs it where the process leaves that to the engine
//! ([`Process::taken_by`](crate::process::Process::taken_by)): a funding decision's
//! screen, consultation, answers to advice and decision are its deciding body's, and the
//! deciders a decision names sit on that body
//! ([`Process::deciders`](crate::process::Process::deciders)). A record lists the facts
//! members attested, who and when ([`DecisionRecord::attested`]).
//!
//! **A round decides for a process on that process's terms.** A round opened to decide for
//! a proposal or a funding decision ([`Request::decides_for`]) is about the same kind of
//! decision ([`EngineError::LinkedKind`] otherwise), follows the route that process was
//! given, and is not dated before that process's last event.
//!
//! **Escalation carries the history.** A process escalated to a body (a round's
//! facilitator escalated it, or the round that decided for a proposal or an offer did, which
//! then ends escalated with it) is taken up by a
//! new process on a new stream that names it ([`Request::escalated_from`]): the engine checks
//! it was escalated, that no other process took it up (a round and the process it decides
//! for are one matter), that the request is not dated before
//! the escalation, and that it is about the same kind of decision, routes the new process to the
//! body it went to (the same method and consultation, escalating on from there), and
//! journals with its start what the escalated one hands on, as the engine saw it: its
//! stream, outcome and objections ([`EscalatedFrom`](crate::values::EscalatedFrom)), which
//! the new record cites.
//!
//! **Time from outside.** The engine never reads the clock. [`Engine::due`] says what every
//! process waits on at a given time ([`Due`]); [`Engine::tick`] takes the steps a process's
//! own configuration chose for that time (a round's
//! [`AtDeadline`](crate::consent::AtDeadline), a pilot scheduled to start), and nothing
//! else, journalled by [`ENGINE_ACTOR`] with the rule that made each step. A request's
//! time is its caller's word, within two bounds the engine keeps: never before its
//! process's last event, and never before the community's last change
//! ([`EngineError::BeforeLastChange`]), so nobody is judged by a community that no longer
//! stands (a member who has left cannot act by backdating).
//!
//! A refused request changes nothing: not the journal, not the engine's state. Opening an
//! engine on an existing journal replays it. The engine is `Send + Sync`: share it across
//! threads behind an `Arc`. Requests to one stream are applied one at a time; requests to
//! different streams run side by side, each holding only the streams it reads. Several
//! engines may share one journal (servers on one database): each appends only on the
//! journal as it has read it ([`Journal::append_batch_at`]),
//! so a request decided on a view another engine has moved on from (a member who left
//! there, a round opened there for the same matter) is not written; the engine reads what
//! it missed ([`Engine::catch_up`]) and decides it again.
//!
//! Requests and events have a stable JSON shape, so a tool in any language can drive the
//! engine (the `coproduction` command-line tool does, with the `cli` feature):
//!
//! ```json
//! {"stream": "working-model", "actor": 13, "now": "2022-09-01T10:32:00Z",
//!  "command": {"process": "consent", "command": {"type": "respond", "member": 13,
//!              "response": {"type": "consent"}}}}
//! ```
//!
//! # Example
//!
//! ```
//! use coproduction::{Body, BodyId, BodyKind, Community, ConsentProcess, DecisionKind, Engine};
//! use coproduction::{Member, MemberId, MemoryJournal, Request, Role, RoundCommand, RoundConfig};
//! use coproduction::{RoundPhase, RoundRoles, StreamId};
//!
//! let mut community = Community::new();
//! for n in 1..=3 {
//!     community.add_member(Member::new(MemberId::new(n), format!("Co-producer {n}")).with_role(Role::CoProducer))?;
//! }
//! let team = BodyId::new("project_team")?;
//! community.add_body(Body::new(team.clone(), "Project team", BodyKind::ProjectTeam).with_members((1..=3).map(MemberId::new)))?;
//!
//! let roles = RoundRoles { proposer: MemberId::new(1), facilitator: MemberId::new(2), secretary: MemberId::new(3) };
//! let config = RoundConfig::consent(&community, &team, "Meet monthly", "Meet on the first Monday.", roles)?;
//! let engine = Engine::builder(community).open(MemoryJournal::new())?;
//!
//! let stream = StreamId::new("meetings")?;
//! let open = Request::new(stream.clone(), MemberId::new(1), "2022-01-10T10:00:00Z".parse()?,
//!     RoundCommand::Open { config: Box::new(config) })
//!     .with_kind(DecisionKind::Operational);
//! let written = engine.handle(open)?;
//! assert_eq!(written.len(), 2); // the process started, the round opened
//! assert_eq!(engine.phase::<ConsentProcess>(&stream), Some(RoundPhase::Presented));
//!
//! // The same request again is refused, and nothing is written.
//! let again = engine.handle_json(r#"{"stream": "meetings", "actor": 2, "now": "2022-01-10T10:05:00Z",
//!     "command": {"process": "consent", "command": {"type": "close_round"}}}"#);
//! assert!(again.is_err());
//! assert_eq!(engine.phase::<ConsentProcess>(&stream), Some(RoundPhase::Presented));
//! # Ok::<(), coproduction::Error>(())
//! ```

mod builder;
mod checks;
mod error;
mod evidence;
pub(crate) mod living;
mod request;
mod time;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use jiff::Timestamp;

use crate::cocreation::CoCreation;
use crate::community::{Community, MemberId};
use crate::consent::{ConsentProcess, HandedRole, HandsOn, Response, RoundCommand, RoundState};
use crate::governance::Governance;
use crate::journal::{BatchPart, Envelope, Hash, Journal, NewEvent, StreamId};
use crate::living::Version;
use crate::machine::{Context, RefusalKind, need_clock};
use crate::metrics::Metrics;
use crate::process::{
    Answerable, Listed, PartCommand, PartContext, PartError, PartEvent, Refusal, Stream, Streams,
};
use crate::report::DecisionDocument;
use crate::values::{Charter, DecisionRecord, GateReview, GateSummary, ValueReport};

pub use builder::EngineBuilder;
pub use error::EngineError;
pub use living::ENGINE_ACTOR;
pub use request::Request;
pub use time::{StepRefused, StepTaken, Tick};

pub use crate::process::{
    Due, DueItem, EngineEvent, ProcessCommand, ProcessError, ProcessKind, ProcessState,
};

/// One stream, shared: requests to it are serial, requests to others run beside them.
type Shared = Arc<Mutex<Stream>>;

/// The streams a request holds, locked in id order.
type Held<'a> = BTreeMap<StreamId, MutexGuard<'a, Stream>>;

/// Where the body deciding a process met in a round the engine ran (on stream `round`,
/// held in `held`), that round, whose seats are the body as it stood when the round opened,
/// as its record and gate read it. Not a round whose proposer decides alone (an advice
/// process, a delegated decision): the members it seats are those whose advice it seeks,
/// not the body.
fn seating<'h>(held: &'h Held<'_>, round: &StreamId) -> Option<&'h crate::consent::Round> {
    held.get(round)
        .and_then(|round| ConsentProcess::state_of(round.process()))
        .and_then(RoundState::round)
        .filter(|round| round.config().accountable_decider().is_none())
}

/// Whether `member` stepped out of the process on `stream`, or of any round held for it
/// (in `held`): either way they take no part in the matter from then.
fn out_of(stream: &Stream, held: &Held<'_>, member: MemberId) -> bool {
    stream.stepped_out(member)
        || stream
            .rounds()
            .iter()
            .any(|r| held.get(r).is_some_and(|r| r.parts().recused(member)))
}

/// The community whose deciding body takes the steps of the process on `stream` before a
/// round seats it: the one the process `opened` in, while a member of that body is still in
/// the community (`now`) and has not stepped out of the process or a round held for it
/// ([`out_of`]); once none is, the body as it stands, so that a process whose whole body
/// has gone is not left with nobody to move it. (Members added since cannot take it over
/// while one of those who stood remains.)
fn standing<'c>(
    stream: &Stream,
    held: &Held<'_>,
    route: &crate::governance::Route,
    (opened, now): (&'c Community, &'c Community),
) -> &'c Community {
    let Answerable { attest, .. } = stream.process().answerable(Some(route), opened);
    let remains = attest
        .iter()
        .any(|m| now.member(*m).is_some() && !out_of(stream, held, *m));
    if remains || attest.is_empty() {
        opened
    } else {
        now
    }
}

/// Whether `member` takes the steps of the process on `stream` that `route` gives its
/// deciding body, with the streams it reads held in `held`: once a round held for the
/// process has seated the body (the round still running for it, or else the one its record
/// cites), a member that round seated; before, a member of the body as it stood when the
/// process opened (`opened`), or as it stands (`now`) once none of those remain
/// ([`standing`]); either way, not one who stepped out of the process or of any round held
/// for it.
fn takes_steps(
    stream: &Stream,
    held: &Held<'_>,
    route: &crate::governance::Route,
    (opened, now): (&Community, &Community),
    member: MemberId,
) -> bool {
    let running = stream
        .rounds()
        .iter()
        .find(|r| held.get(*r).is_some_and(|r| !r.process().is_final()))
        .cloned()
        .or_else(|| stream.process().cites());
    let met = running
        .as_ref()
        .and_then(|r| Some((held.get(r)?, seating(held, r)?)));
    // Who stepped out of the process, or of any round held for it, takes no step of it.
    if out_of(stream, held, member) {
        return false;
    }
    match met {
        Some((held_round, round)) => {
            round.is_eligible(member) && !held_round.parts().recused(member)
        }
        None => {
            let body = standing(stream, held, route, (opened, now));
            let Answerable { attest, .. } = stream.process().answerable(Some(route), body);
            attest.contains(&member)
        }
    }
}

/// Attaches the gate's summary to the deciding events among `events`.
fn with_gate(events: Vec<EngineEvent>, summary: &GateSummary) -> Vec<EngineEvent> {
    events
        .into_iter()
        .map(|e| {
            if e.decides() {
                e.with_gate(summary.clone())
            } else {
                e
            }
        })
        .collect()
}

/// What the engine acts on in a stream.
enum Acting<'c> {
    /// A member's request, with the command as its process runs it.
    Command(&'c ProcessCommand),
    /// The step a process's own configuration chose (see [`Engine::tick`]): its events,
    /// journalled by [`ENGINE_ACTOR`].
    Configured(Vec<EngineEvent>),
}

/// Who acts on which stream, when, and the evidence they attest: what the journal will
/// say of a step.
struct Witnessed<'a> {
    stream: &'a StreamId,
    actor: MemberId,
    now: Timestamp,
    evidence: Option<&'a crate::values::Evidence>,
}

impl Request {
    /// The request as the engine witnesses it.
    fn witness(&self) -> Witnessed<'_> {
        Witnessed {
            stream: &self.stream,
            actor: self.actor,
            now: self.now,
            evidence: self.evidence.as_ref(),
        }
    }
}

/// The decision engine. See the [module guide](self).
pub struct Engine<J> {
    living: RwLock<living::Living>,
    journal: J,
    streams: RwLock<BTreeMap<StreamId, Shared>>,
    /// The journal's last position the engine has read: what [`Engine::catch_up`] reads
    /// after.
    seen: AtomicU64,
    /// The latest time of any event the engine has read or written, in microseconds since
    /// the Unix epoch (`i64::MIN` for none): no change to the community is dated before it.
    latest: AtomicI64,
    /// Held while the engine appends, so that its appends follow one another on the
    /// journal as it has read it ([`Engine::write`]).
    appending: Mutex<()>,
    /// Held while a proposal's decision starts in a named round, from the check that no
    /// other open proposal has named it to the write: two cannot name one round at once.
    /// Taken before any stream's lock.
    naming: Mutex<()>,
}

/// How many times a request lost to another writer of a shared journal is decided again,
/// each after catching up with what that writer wrote.
const CATCH_UP_TRIES: usize = 8;

impl<J> std::fmt::Debug for Engine<J> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut f = f.debug_struct("Engine");
        if let Ok(living) = self.living.read() {
            let current = living.history.current();
            f.field("members", &current.community().members().len())
                .field("governance", &current.governance().is_some())
                .field("charter", &current.charter_hash());
        }
        f.finish_non_exhaustive()
    }
}

impl Engine<()> {
    /// An engine for `community`, to be given its governance map, charter and journal.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::{Community, Engine, MemoryJournal};
    ///
    /// let engine = Engine::builder(Community::new()).open(MemoryJournal::new())?;
    /// assert!(engine.streams().is_empty());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn builder(community: Community) -> EngineBuilder {
        EngineBuilder::new(community)
    }
}

impl<J: Journal<Event = EngineEvent>> Engine<J> {
    /// Opens an engine on `journal`, replaying every event it holds.
    ///
    /// `governance` is optional: without it, processes are not routed and the value-check's
    /// route rule (T7) has no route to compare with. [`Engine::builder`] names each part.
    ///
    /// A new journal gets its founding first: the community, map and charter given, on the
    /// community's own stream, written by [`ENGINE_ACTOR`] at the Unix epoch (the builder's
    /// [`founded_at`](EngineBuilder::founded_at) names another time). A journal with a
    /// founding is checked against it, and then replays the changes since.
    ///
    /// # Errors
    ///
    /// [`EngineError::Journal`] if the journal cannot be read or written;
    /// [`EngineError::NotTheFounding`] if the journal was founded with another community,
    /// map or charter; [`EngineError::History`] if its history does not replay.
    pub fn open(
        community: Community,
        governance: Option<Governance>,
        charter: Charter,
        journal: J,
    ) -> Result<Self, EngineError> {
        let supplied = living::Supplied {
            community,
            governance,
            charter,
            funding_policy: None,
            founded_at: Timestamp::UNIX_EPOCH,
        };
        Self::open_with(Some(supplied), journal)
    }

    /// Opens an engine from `journal` alone: the community, governance map and charter are
    /// its founding's, changed by every change since.
    ///
    /// # Errors
    ///
    /// [`EngineError::NoFounding`] if the journal has no founding; otherwise as
    /// [`Engine::open`].
    pub fn from_journal(journal: J) -> Result<Self, EngineError> {
        Self::open_with(None, journal)
    }

    pub(super) fn open_with(
        supplied: Option<living::Supplied>,
        journal: J,
    ) -> Result<Self, EngineError> {
        if supplied
            .as_ref()
            .is_some_and(|s| s.community.member(ENGINE_ACTOR).is_some())
        {
            return Err(EngineError::EngineActorInCommunity);
        }
        let founded_at = supplied.as_ref().map(|s| s.founded_at);
        // Replayed from the envelopes the journal lends: opening copies none of them.
        let (replayed, streams, mut seen, latest) = journal.read_all_with(|envelopes| {
            (
                living::replay(envelopes, supplied),
                Streams::replay(envelopes),
                envelopes.last().map_or(0, |e| e.position),
                envelopes.iter().map(|e| micros(e.time)).max(),
            )
        })?;
        let (mut history, founding) = replayed?;
        let mut latest = latest;
        if let (Some(founding), Some(at)) = (founding, founded_at) {
            let event = EngineEvent::Community { event: founding };
            let written = journal.append(
                &crate::living::stream(),
                0,
                vec![NewEvent::new(ENGINE_ACTOR, at, event)],
            )?;
            history.version = written.last().map_or(0, |e| e.seq);
            latest = latest.max(written.last().map(|e| micros(e.time)));
            seen = seen.max(written.last().map_or(0, |e| e.position));
        }
        let streams = streams
            .into_inner()
            .into_iter()
            .map(|(id, stream)| (id, Arc::new(Mutex::new(stream))))
            .collect();
        Ok(Self {
            living: RwLock::new(history),
            journal,
            streams: RwLock::new(streams),
            seen: AtomicU64::new(seen),
            latest: AtomicI64::new(latest.unwrap_or(i64::MIN)),
            appending: Mutex::new(()),
            naming: Mutex::new(()),
        })
    }

    /// Appends `parts` as one batch on the journal as the engine has read it: refused as
    /// [`JournalError::Moved`](crate::journal::JournalError::Moved) when another writer of
    /// a shared journal appended since, to any stream, so that what the engine checked on
    /// other streams than those it writes (who is in the community, whether another round
    /// runs for the same matter) is never written over what it did not see. The engine's
    /// own appends follow one another.
    pub(super) fn write(
        &self,
        parts: Vec<BatchPart<EngineEvent>>,
    ) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        let _one_at_a_time = self.appending.lock().map_err(|_| EngineError::Poisoned)?;
        let head = self.seen.load(Ordering::Acquire);
        let written = self.journal.append_batch_at(Some(head), parts)?;
        if let Some(last) = written.last() {
            self.seen.fetch_max(last.position, Ordering::AcqRel);
        }
        self.witnessed(&written);
        Ok(written)
    }

    /// Notes the times of `written`, which the engine has just read or written.
    fn witnessed(&self, written: &[Envelope<EngineEvent>]) {
        if let Some(latest) = written.iter().map(|e| micros(e.time)).max() {
            self.latest.fetch_max(latest, Ordering::AcqRel);
        }
    }

    /// The latest time of any event the engine has read or written, if any.
    pub(super) fn latest(&self) -> Option<Timestamp> {
        match self.latest.load(Ordering::Acquire) {
            i64::MIN => None,
            t => Timestamp::from_microsecond(t).ok(),
        }
    }

    /// Reads what other writers of a shared journal wrote since the engine last looked, and
    /// folds it in: their changes to the community, the processes they started, the steps
    /// they took. What this engine wrote itself it has already folded, and skips. Returns
    /// how many envelopes it folded in.
    ///
    /// An engine whose journal only it writes (a file journal, which one writer holds
    /// locked) never needs it. On a journal several engines write (in a database, one per
    /// server), [`Engine::handle`] calls it whenever its append loses a race and decides the
    /// request again on what the journal holds; an app (the HTTP server) calls it before
    /// answering a query, so that it answers with what every writer wrote.
    ///
    /// # Errors
    ///
    /// [`EngineError::Journal`] when the journal cannot be read; [`EngineError::History`]
    /// when a change to the community does not replay.
    pub fn catch_up(&self) -> Result<usize, EngineError> {
        let seen = self.seen.load(Ordering::Acquire);
        let newer = self.journal.read_after(seen)?;
        let community = crate::living::stream();
        let mut folded = 0;
        for envelope in &newer {
            if envelope.stream == community {
                let mut living = self.living.write().map_err(|_| EngineError::Poisoned)?;
                if envelope.seq > living.version {
                    living.apply(envelope)?;
                    folded += 1;
                }
            } else {
                // A round's result recorded on an offer by an older writer: read as today.
                let envelope = &*crate::process::upcast(envelope, |round| {
                    let round = self.shared(round).ok()??;
                    let round = round.lock().ok()?;
                    round
                        .decides_for()
                        .filter(|t| **t == envelope.stream)
                        .and(round.proposes())
                });
                let shared = {
                    let mut streams = self.streams.write().map_err(|_| EngineError::Poisoned)?;
                    Arc::clone(
                        streams
                            .entry(envelope.stream.clone())
                            .or_insert_with(|| Arc::new(Mutex::new(Stream::from_journal()))),
                    )
                };
                let mut stream = shared.lock().map_err(|_| EngineError::Poisoned)?;
                if envelope.seq > stream.version() {
                    stream.apply(envelope);
                    folded += 1;
                    // A round another writer opened for a process: the process knows it.
                    if let EngineEvent::Started {
                        decides_for: Some(target),
                        ..
                    } = &envelope.event
                    {
                        drop(stream);
                        if let Some(target) = self.shared(target)? {
                            let mut target = target.lock().map_err(|_| EngineError::Poisoned)?;
                            target.held_in(envelope.stream.clone());
                        }
                    }
                }
            }
            self.seen.fetch_max(envelope.position, Ordering::AcqRel);
        }
        self.witnessed(&newer);
        Ok(folded)
    }

    /// The shared stream `id`, if it has a process.
    fn shared(&self, id: &StreamId) -> Result<Option<Shared>, EngineError> {
        let streams = self.streams.read().map_err(|_| EngineError::Poisoned)?;
        Ok(streams.get(id).cloned())
    }

    /// Reads a request from JSON (unknown fields refused) and handles it.
    ///
    /// # Errors
    ///
    /// [`EngineError::Json`] if the request cannot be read; otherwise as [`Engine::handle`].
    pub fn handle_json(&self, json: &str) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        // `handle` checks the texts.
        self.handle(Request::from_json(json)?)
    }

    /// Handles one request: start the stream (routed by governance) or find it, decide by
    /// the process's own rules, check what the engine adds to them (the route governance
    /// gives, the round a decision cites), gate a decided state on the charter, append,
    /// evolve. Returns the envelopes written.
    ///
    /// A request costs what its command touches: the stream is evolved in place, and only
    /// a deciding command previews a copy of it for the gate. Requests to different streams
    /// run in parallel; requests to one stream are serial.
    ///
    /// # Errors
    ///
    /// Any [`EngineError`]; a refused request writes nothing and changes nothing, and
    /// [`EngineError::is_refusal`] tells such a refusal from a journal that failed.
    pub fn handle(&self, request: Request) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        let mut tries = 0;
        loop {
            match self.handle_once(&request) {
                // A refusal may rest on a view another writer of a shared journal has moved
                // on from (a stream it advanced or started, a member who joined): fold in
                // what it wrote, and decide the request again on that. With nothing new to
                // fold in, the refusal stands. Malformed input is refused whatever the
                // journal holds.
                Err(e)
                    if e.is_refusal()
                        && !matches!(e, EngineError::Json { .. } | EngineError::Input(_))
                        && tries < CATCH_UP_TRIES
                        && (self.catch_up()? > 0
                            || matches!(
                                e,
                                EngineError::Journal(crate::journal::JournalError::Moved { .. })
                            )) =>
                {
                    tries += 1;
                }
                other => return other,
            }
        }
    }

    /// [`Engine::handle`], once.
    fn handle_once(&self, request: &Request) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        // Free text over its limit, and evidence citing rules the charter does not have,
        // are refused before anything is read or locked.
        let v = self.version_at(request.now)?;
        request.check_input(v.charter())?;
        // Only a round opened for another process proposes an outcome for it (and only for
        // a funding or partnership decision, which the opening checks).
        if request.proposes.is_some()
            && (request.decides_for.is_none() || !checks::opens_round(&request.command))
        {
            return Err(EngineError::ProposesNothing {
                stream: request.stream.clone(),
            });
        }
        // Nothing is backdated across a change to the community: a request dated before the
        // last one would be judged by a community that no longer stands.
        let last_change = self.last_change()?;
        if request.now < last_change && !matches!(request.command, ProcessCommand::Change { .. }) {
            return Err(EngineError::BeforeLastChange {
                stream: request.stream.clone(),
                now: request.now,
                last_change,
            });
        }
        if v.community().member(request.actor).is_none() {
            return Err(EngineError::UnknownActor {
                actor: request.actor,
                stream: request.stream.clone(),
            });
        }
        // The community's own stream takes changes to the community, and nothing else.
        match &request.command {
            ProcessCommand::Change { change } => return self.change(request, change),
            _ if request.stream == crate::living::stream() => {
                return Err(EngineError::ReservedStream {
                    stream: request.stream.clone(),
                });
            }
            _ => {}
        }
        let Some(shared) = self.shared(&request.stream)? else {
            return self.open_stream(request, &v);
        };
        let _naming = match checks::started_round(&request.command) {
            Some(_) => Some(self.naming.lock().map_err(|_| EngineError::Poisoned)?),
            None => None,
        };
        self.round_name_free(request)?;
        let referenced = checks::referenced(&request.command);
        self.locked(&request.stream, &shared, referenced, |stream, held| {
            let acting = Acting::Command(&request.command);
            self.decide(&request.witness(), acting, stream, held, None, &v)
        })
    }

    /// Runs `f` on stream `id` (shared as `shared`), with the streams it reads or writes
    /// beside its own held: `referenced`, the process it cites, the one it decides for. All
    /// are locked in id order, so two requests never wait on each other.
    fn locked<R>(
        &self,
        id: &StreamId,
        shared: &Shared,
        referenced: BTreeSet<StreamId>,
        f: impl FnOnce(&mut Stream, &mut Held<'_>) -> Result<R, EngineError>,
    ) -> Result<R, EngineError> {
        loop {
            let (version, rounds, others) = {
                let stream = shared.lock().map_err(|_| EngineError::Poisoned)?;
                let mut others = referenced.clone();
                others.extend(stream.process().cites());
                others.extend(stream.decides_for().cloned());
                // The rounds deciding for it: one still open ends if the process does.
                others.extend(stream.rounds().iter().cloned());
                others.remove(id);
                if others.is_empty() {
                    let mut stream = stream;
                    let mut held = Held::new();
                    return f(&mut stream, &mut held);
                }
                (stream.version(), stream.rounds().len(), others)
            };
            let mut shares = vec![(id.clone(), Arc::clone(shared))];
            for other in others {
                if let Some(s) = self.shared(&other)? {
                    shares.push((other, s));
                }
            }
            shares.sort_by(|a, b| a.0.cmp(&b.0));
            let mut held = Held::new();
            for (id, share) in &shares {
                let guard = share.lock().map_err(|_| EngineError::Poisoned)?;
                held.insert(id.clone(), guard);
            }
            let Some(mut stream) = held.remove(id) else {
                return Err(EngineError::Poisoned);
            };
            // Another request moved the stream, or opened a round for it, while it was let
            // go: look again.
            if stream.version() != version || stream.rounds().len() != rounds {
                continue;
            }
            return f(&mut stream, &mut held);
        }
    }

    /// Handles the first request of a stream: a command that starts a process, routed by
    /// governance. The map of streams is held for it, so two requests cannot both start
    /// one stream.
    fn open_stream(
        &self,
        request: &Request,
        v: &Version,
    ) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        let mut streams = self.streams.write().map_err(|_| EngineError::Poisoned)?;
        if streams.contains_key(&request.stream) {
            drop(streams);
            return self.handle_once(request);
        }
        Self::names_free(&streams, request)?;
        // The escalated matter it takes up, read first, one stream at a time.
        let escalation = match &request.escalated_from {
            Some(from) => Some(self.escalation(&streams, request, from, v)?),
            None => None,
        };
        // A matter escalated by a round that decided for another process (a proposal's
        // review) is taken up for that process: the take-up decides it there.
        let taken_for = match (&escalation, &request.escalated_from) {
            (Some(_), Some(from)) => self.taken_for(&streams, from, request)?,
            _ => None,
        };
        // The process it decides for, held while the new one starts: who stepped out of it
        // is not seated in the new one.
        let target = request
            .decides_for
            .as_ref()
            .map(|target| (target.clone(), streams.get(target).cloned()));
        // Only a round decides for another process.
        if let Some((target, _)) = &target
            && !checks::opens_round(&request.command)
        {
            return Err(EngineError::RoundNotAwaited {
                stream: request.stream.clone(),
                target: target.clone(),
                reason: "only a consent round decides for another process".to_owned(),
            });
        }
        let mut held = Held::new();
        let mut recused = BTreeSet::new();
        let mut followed = None;
        if let Some((target, shared)) = &target {
            let guard = shared
                .as_ref()
                .map(|s| s.lock().map_err(|_| EngineError::Poisoned))
                .transpose()?
                .filter(|s| s.process().decided_by_rounds())
                .ok_or_else(|| EngineError::UnknownLink {
                    stream: request.stream.clone(),
                    target: target.clone(),
                })?;
            if request.proposes.is_some() && guard.process().kind() != ProcessKind::Funding {
                return Err(EngineError::ProposesNothing {
                    stream: request.stream.clone(),
                });
            }
            recused = guard.process().recused();
            recused.extend(guard.parts().recusals());
            // A round decides the kind of decision its process is about, on that
            // process's route: it cannot take the matter to a body of its own choosing.
            if let Some(kind) = request.kind.as_ref().filter(|k| *k != guard.kind()) {
                return Err(EngineError::LinkedKind {
                    stream: request.stream.clone(),
                    target: target.clone(),
                    kind: kind.clone(),
                    target_kind: guard.kind().clone(),
                });
            }
            // Nor can it be dated before what its process has recorded.
            not_before(target, &guard, request.now)?;
            // It decides for a process that waits for it: a round gathering consent
            // before the decision was started would count it for whatever stands then.
            guard
                .process()
                .takes_round(&request.stream)
                .map_err(|reason| EngineError::RoundNotAwaited {
                    stream: request.stream.clone(),
                    target: target.clone(),
                    reason,
                })?;
            // It is brought by one who runs the process, or sits on the body its route
            // gives the decision, as its proposer: a member outside both who opened the
            // round, or was named its proposer (who withdraws it), could hold the process's
            // decision for as long as they liked.
            checks::brought(request, target, &guard, guard.route(), v)?;
            // A round held for an offer says what it proposes for it: its consent binds the
            // decision to that, and the record says what was consented to.
            if request.proposes.is_none() && guard.process().kind() == ProcessKind::Funding {
                return Err(EngineError::ProposesMissing {
                    stream: request.stream.clone(),
                    target: target.clone(),
                });
            }
            // Nor on the name of a round held elsewhere and recorded for it: the two would be
            // told apart nowhere.
            if let Some(recorded) = crate::funding::FundingProcess::state_of(guard.process())
                .and_then(|s| s.decision())
                .and_then(|d| {
                    d.consent_rounds()
                        .iter()
                        .find(|r| r.reference == request.stream.as_str())
                })
            {
                return Err(EngineError::RoundNotAwaited {
                    stream: request.stream.clone(),
                    target: target.clone(),
                    reason: format!(
                        "a round held elsewhere was recorded for it as `{}`: a round the engine runs takes a name of its own",
                        crate::limits::quote(&recorded.reference)
                    ),
                });
            }
            // One round at a time decides for a process: with two open, the process would
            // take whichever ended first, and the other's objections would go unheard.
            for (other_id, other) in streams.iter() {
                if other_id == target || *other_id == request.stream {
                    continue;
                }
                let other = other.lock().map_err(|_| EngineError::Poisoned)?;
                // Who stepped out of an earlier round held for it stepped out of the matter:
                // the new round seats them no more.
                if other.decides_for() == Some(target) {
                    recused.extend(other.parts().recusals());
                }
                // Nor once a round escalated it: the body it went to decides it. (A review
                // escalated and decided where it went binds no later review.)
                if other.decides_for() == Some(target)
                    && let Some(to) = other.process().escalated_to()
                    && escalated_away(guard.process(), other_id)
                {
                    return Err(EngineError::EscalatedAway {
                        stream: request.stream.clone(),
                        round: other_id.clone(),
                        to,
                    });
                }
                if other.decides_for() == Some(target) && !other.process().is_final() {
                    return Err(EngineError::RoundNotAwaited {
                        stream: request.stream.clone(),
                        target: target.clone(),
                        reason: format!("round `{other_id}` decides for it and has not ended"),
                    });
                }
            }
            followed = guard
                .route()
                .cloned()
                .map(|route| {
                    let since = guard.opened_at().unwrap_or(request.now);
                    Ok::<_, EngineError>((route, self.routed_by(&guard)?, since))
                })
                .transpose()?;
            held.insert(target.clone(), guard);
        }
        if let Some((target, shared)) = &taken_for {
            let guard = shared.lock().map_err(|_| EngineError::Poisoned)?;
            not_before(target, &guard, request.now)?;
            held.insert(target.clone(), guard);
        }
        let followed = followed
            .as_ref()
            .map(|(route, map, since)| checks::Followed {
                route,
                map: *map,
                since: *since,
            });
        let decides_for = taken_for
            .as_ref()
            .map(|(target, _)| target)
            .or(request.decides_for.as_ref());
        let (mut stream, started, resolved) = self.start(
            request,
            &recused,
            escalation.as_ref(),
            followed,
            decides_for,
            v,
        )?;
        // A round taking up a review escalated decides for the proposal too: it is brought
        // by one who runs the proposal or sits on the body that takes it up.
        if let (Some((target, _)), EngineEvent::Started { route, .. }) = (&taken_for, &started)
            && let Some(guard) = held.get(target)
        {
            checks::brought(request, target, guard, route.as_deref(), v)?;
        }
        let command = resolved.as_ref().unwrap_or(&request.command);
        let acting = Acting::Command(command);
        let written = self.decide(
            &request.witness(),
            acting,
            &mut stream,
            &mut held,
            Some(started),
            v,
        )?;
        if let Some(target) = decides_for.and_then(|t| held.get_mut(t)) {
            target.held_in(request.stream.clone());
        }
        drop(held);
        streams.insert(request.stream.clone(), Arc::new(Mutex::new(stream)));
        Ok(written)
    }

    /// Decides what `acting` does on `stream` (with `held`, the other streams it reads or
    /// writes), as `witness` saw it: checks, records in the process it decides for what it
    /// reached, gates each decided state, appends in one atomic batch, and evolves the
    /// streams in place.
    fn decide(
        &self,
        witness: &Witnessed<'_>,
        acting: Acting<'_>,
        stream: &mut Stream,
        held: &mut Held<'_>,
        started: Option<EngineEvent>,
        v: &Version,
    ) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        let Witnessed {
            stream: id,
            actor,
            now,
            evidence,
        } = witness;
        let id: &StreamId = id;
        let mut batch = Vec::with_capacity(4);
        if let Some(started) = started {
            // A fresh stream takes its start first: the process it decides for, its route.
            stream.apply_event(&started);
            batch.push(started);
        }
        // The route governance gave when the process opened goes to `decide` with the actor
        // and the time; no command carries one.
        let command = match acting {
            Acting::Command(command) => command,
            // The step a process's configuration chose: its own events, taken by the engine
            // as the process's rules would take them (nothing a member asks is checked).
            Acting::Configured(events) => {
                return self.settle(id, stream, batch, events, held, (*actor, *now), v);
            }
        };
        // A round held for a process that took its consent when it closed records no outcome:
        // that process decides. Nor has it a secretary's role to hand on, nor, once it has
        // closed, any role.
        let idle = match command {
            ProcessCommand::Consent {
                command: RoundCommand::RecordOutcome { .. },
            } => true,
            ProcessCommand::Consent {
                command: RoundCommand::HandOnRole { role, .. },
            } => {
                *role == crate::consent::HandedRole::Secretary
                    || stream.process().is_final()
                    || ConsentProcess::state_of(stream.process())
                        .is_some_and(|s| s.phase() == crate::consent::RoundPhase::Consented)
            }
            _ => false,
        };
        if idle
            && let Some(target) = stream.decides_for()
            && held
                .get(target)
                .is_some_and(|t| t.process().takes_consent())
        {
            return Err(EngineError::OutcomeTakenBy {
                stream: id.clone(),
                target: target.clone(),
            });
        }
        // Who stepped out of this decision: of the round, or of the process it decides for.
        let out = |m: &MemberId| {
            stream.parts().recused(*m)
                || stream
                    .decides_for()
                    .and_then(|t| held.get(t))
                    .is_some_and(|t| t.stepped_out(*m))
        };
        // A proposer who decides alone and stepped out of the decision neither decides it nor
        // answers its advice: their role is to hand on, as one who left.
        if let ProcessCommand::Consent {
            command: RoundCommand::Decide { .. } | RoundCommand::AnswerAdvice { .. },
        } = command
            && let Some(round) =
                ConsentProcess::state_of(stream.process()).and_then(RoundState::round)
            && round.config().accountable_decider() == Some(*actor)
            && out(actor)
        {
            return Err(EngineError::Unwitnessed {
                stream: id.clone(),
                difference: format!(
                    "member {actor} stepped out of this decision: a proposer who did decides nothing alone, and their role is to hand on"
                ),
            });
        }
        // A role is handed on only from a member the engine sees has left the community (or,
        // the proposer's where they decide alone, stepped out of the decision), to one who
        // is in it.
        if let ProcessCommand::Consent {
            command: RoundCommand::HandOnRole { role, to, .. },
        } = command
            && let Some(round) =
                ConsentProcess::state_of(stream.process()).and_then(RoundState::round)
        {
            let roles = &round.config().roles;
            let holder = role.holder(roles);
            // The proposer's role where the proposer decides alone (an advice process, a
            // delegated decision).
            let deciders_role =
                *role == HandedRole::Proposer && round.config().accountable_decider().is_some();
            let stepped_out_decider = deciders_role && out(&holder);
            // The proposer's role goes to one who could have held it when the round
            // opened: as the community stood then.
            let opened = match role {
                HandedRole::Proposer => Some(self.opened_under(stream, v)?),
                _ => None,
            };
            let opened = opened.as_deref().unwrap_or(v);
            let difference = if v.community().member(holder).is_some() && !stepped_out_decider {
                Some(format!(
                    "the {}, member {holder}, is in the community at {now}: a role is handed on only from a member who has left",
                    role.label()
                ))
            } else if v.community().member(*to).is_none() {
                Some(format!(
                    "member {to}, named to take the {}'s role, is not in the community at {now}",
                    role.label()
                ))
            } else if out(to) {
                Some(format!(
                    "member {to}, named to take the {}'s role, stepped out of this decision",
                    role.label()
                ))
            } else if deciders_role
                && !opened
                    .community()
                    .body(&round.config().deciding_body)
                    .is_some_and(|body| body.contains(*to))
            {
                // A proposer who decides alone sits on the deciding body as it stood when
                // the round opened, as one named then does.
                Some(format!(
                    "member {to}, named to take the proposer's role, would decide alone but did not sit on `{}` when the round opened",
                    round.config().deciding_body
                ))
            } else if *role == HandedRole::Proposer
                && let Some((target, t)) =
                    stream.decides_for().and_then(|t| Some((t, held.get(t)?)))
                && !checks::may_propose(t, t.route(), opened, *to)
            {
                // Nor does one who could not have brought the round take it up.
                Some(format!(
                    "member {to}, named to take the proposer's role, neither ran `{target}` nor sat on the body that decides it when the round opened"
                ))
            } else if out(actor) && *role == HandedRole::Proposer {
                Some(format!(
                    "member {actor} stepped out of this decision: one who did chooses nobody to take the proposal up"
                ))
            } else if out(actor)
                && round.is_eligible(*actor)
                && !role
                    .handed_on_by()
                    .iter()
                    .any(|by| roles.holder(*by) == Some(*actor))
            {
                Some(format!(
                    "member {actor} stepped out of this decision: a member seated in the round hands the {}'s role on only if they have not",
                    role.label()
                ))
            } else if let HandsOn::Holder(first, member) =
                round.hands_on(*role, |m| v.community().member(*m).is_none(), out)
                && member != *actor
                && round.hand_on_check(*role, *actor).is_ok()
            {
                // Of those the role answers to, the first still in the community hands it on.
                Some(format!(
                    "the round's {}, member {member}, is in the community at {now}: the {}'s role is theirs to hand on",
                    first.label(),
                    role.label()
                ))
            } else {
                None
            };
            if let Some(difference) = difference {
                return Err(EngineError::Unwitnessed {
                    stream: id.clone(),
                    difference,
                });
            }
        }
        let route = stream.shared_route();
        let ctx = Context::new(*actor, *now).routed(route.as_deref());
        // A funding decision is decided once the round held for it has ended: its deciding
        // body deliberates there, and a decision taken meanwhile would leave the round's
        // objections unheard.
        if let ProcessCommand::Funding {
            command:
                crate::funding::FundingCommand::StartDeciding {}
                | crate::funding::FundingCommand::Decide { .. },
        } = command
            && let Some(round) = stream
                .rounds()
                .iter()
                .find(|r| held.get(*r).is_some_and(|r| deliberating(r)))
        {
            return Err(EngineError::RoundRunning {
                stream: id.clone(),
                round: round.clone(),
            });
        }
        // For a routed process, the community as it stood when the process opened: its
        // deciding body as its record and gate read it. A member appointed since does not
        // decide it, nor is one released since refused (a round's eligibility is likewise
        // fixed when it opens).
        let opened = stream
            .route()
            .map(|_| self.opened_under(stream, v))
            .transpose()?;
        // A step that moves the process on is taken by a member who runs it, where the
        // route says who does (a funding decision's deciding body, less who stepped out);
        // and those a decision names as its deciders sit on the deciding body: the engine
        // witnesses who decided (whether a decider stepped out is the process's own rule).
        if let Some((route, opened)) = stream.route().zip(opened.as_deref()) {
            // Where the body met in a round the engine ran, those the round seated.
            let in_round = stream
                .process()
                .cites()
                .and_then(|round| seating(held, &round));
            if let Some(role) = command.taken_by()
                && !takes_steps(
                    stream,
                    held,
                    route,
                    (opened.community(), v.community()),
                    *actor,
                )
            {
                let kind = RefusalKind::WrongRole {
                    attempted: command.label(),
                    actor: *actor,
                    role,
                };
                return Err(EngineError::Refused {
                    stream: id.clone(),
                    source: ProcessError::shared(Refusal {
                        process: stream.process().kind(),
                        kind,
                    }),
                });
            }
            let seated = |m: MemberId| match in_round {
                Some(round) => round.is_eligible(m),
                None => standing(stream, held, route, (opened.community(), v.community()))
                    .body(&route.decider)
                    .is_some_and(|b| b.contains(m)),
            };
            // Nor does a member who has left the community since decide it.
            let gone = |m: MemberId| v.community().member(m).is_none();
            if let Some(member) = command.deciders().iter().find(|m| gone(**m)) {
                return Err(EngineError::Unwitnessed {
                    stream: id.clone(),
                    difference: format!(
                        "member {member}, named a decider, is not in the community at {now}: one who has left decides nothing"
                    ),
                });
            }
            if let Some(member) = command.deciders().iter().find(|m| !seated(**m)) {
                let difference = match in_round {
                    Some(_) => format!(
                        "member {member}, named a decider, was not seated in `{}`, the round of `{}` it held",
                        stream.process().cites().unwrap_or_else(|| id.clone()),
                        route.decider
                    ),
                    None => format!(
                        "member {member}, named a decider, does not sit on `{}`, the deciding body",
                        route.decider
                    ),
                };
                return Err(EngineError::Unwitnessed {
                    stream: id.clone(),
                    difference,
                });
            }
            // Nor one who stepped out of a round held for it: they took no part in the
            // matter from then.
            if let Some((round, member)) = stream.rounds().iter().find_map(|r| {
                let round = held.get(r)?;
                let member = command
                    .deciders()
                    .iter()
                    .find(|m| round.parts().recused(**m))?;
                Some((r, *member))
            }) {
                return Err(EngineError::Unwitnessed {
                    stream: id.clone(),
                    difference: format!(
                        "member {member}, named a decider, stepped out of `{round}`, a round held for it"
                    ),
                });
            }
            // The member who records a decision is one of those who took it: the record
            // then never names deciders who did not act while leaving out who did.
            let deciders = command.deciders();
            if !deciders.is_empty() && !deciders.contains(actor) {
                return Err(EngineError::Unwitnessed {
                    stream: id.clone(),
                    difference: format!(
                        "member {actor} records the decision but is not among the deciders it names"
                    ),
                });
            }
            // A decision the body consented to in its round is taken by those whose consent
            // carried it, every one still in the community: not by one member alone, in the
            // body's name.
            let carried =
                |round: &&crate::consent::Round| round.decision().is_some_and(|d| d.adopt);
            if let Some(round) = in_round.filter(carried).filter(|_| !deciders.is_empty()) {
                // Those still in the community who have not stepped out since: one who left,
                // or stepped out of a round held for it, takes no part in it.
                let carried = round.responses().into_iter().find(|(m, r)| {
                    matches!(
                        r.response,
                        Response::Consent { .. } | Response::ConsentWithConcern { .. }
                    ) && !deciders.contains(m)
                        && !gone(*m)
                        && !out_of(stream, held, *m)
                });
                if let Some((member, _)) = carried {
                    return Err(EngineError::Unwitnessed {
                        stream: id.clone(),
                        difference: format!(
                            "member {member} consented in `{}`, the round that decided it, and is not among the deciders the decision names",
                            stream.process().cites().unwrap_or_else(|| id.clone())
                        ),
                    });
                }
            }
        }
        // Evidence is what the engine cannot witness, from a member who may attest it.
        let evidence = match *evidence {
            Some(evidence) => {
                let mut evidence = evidence.clone();
                let cited = stream.process().cites();
                // A round the engine runs for the process witnesses its objections while it
                // runs, and once its record cites it, unless it was withdrawn (it reached
                // nothing, and the decision is taken elsewhere).
                let rounds_witness = stream.rounds().iter().any(|r| {
                    held.get(r).is_some_and(|round| {
                        let withdrawn = ConsentProcess::state_of(round.process())
                            .is_some_and(|s| s.phase() == crate::consent::RoundPhase::Withdrawn);
                        !round.process().is_final() || (cited.as_ref() == Some(r) && !withdrawn)
                    })
                });
                // Who answers for the process, and also a member who takes its steps (the
                // body as it stood when it opened, or as a round held for it seated it):
                // whoever may take a step may attest what it needs.
                let mut answerable = stream.process().answerable(stream.route(), v.community());
                if let Some((route, opened)) = stream.route().zip(opened.as_deref())
                    && takes_steps(
                        stream,
                        held,
                        route,
                        (opened.community(), v.community()),
                        *actor,
                    )
                {
                    answerable.attest.insert(*actor);
                }
                evidence::admit(
                    id,
                    stream,
                    !matches!(command, ProcessCommand::Evidence {}),
                    &mut evidence,
                    *actor,
                    *now,
                    answerable,
                    v.charter(),
                    v.funding_policy(),
                    rounds_witness,
                )?;
                Some(evidence)
            }
            None => None,
        };
        let events = match command {
            ProcessCommand::Evidence {} => {
                let evidence =
                    evidence.ok_or_else(|| EngineError::EvidenceRequired { stream: id.clone() })?;
                let event = EngineEvent::EvidenceRecorded {
                    evidence: Box::new(evidence),
                };
                return self.append(id, stream, vec![event], None, held, (*actor, *now), None);
            }
            ProcessCommand::Part { command } => {
                let event = self.take_part(id, stream, command, *actor, *now, v)?;
                if let Some(evidence) = evidence {
                    batch.push(EngineEvent::EvidenceRecorded {
                        evidence: Box::new(evidence),
                    });
                }
                batch.push(EngineEvent::Part { event });
                return self.append(id, stream, batch, None, held, (*actor, *now), None);
            }
            // Who stepped out responds no more: out of the round, or out of the process it
            // decides for (an offer, where interests are declared), since it opened.
            ProcessCommand::Consent {
                command: RoundCommand::Respond { member, .. },
            } if stream.parts().recused(*member)
                || stream
                    .decides_for()
                    .and_then(|target| held.get(target))
                    .is_some_and(|t| t.stepped_out(*member)) =>
            {
                return Err(EngineError::Part {
                    stream: id.clone(),
                    source: PartError::SteppedOut { member: *member },
                });
            }
            // Nor does one who stepped out of a round held for the process take that back
            // with a declaration on the process itself: what a member declares stands.
            ProcessCommand::Funding {
                command: crate::funding::FundingCommand::DeclareInterest { recused: false, .. },
            } if stream.rounds().iter().any(|r| {
                held.get(r)
                    .is_some_and(|round| round.parts().recused(*actor))
            }) =>
            {
                return Err(EngineError::Part {
                    stream: id.clone(),
                    source: PartError::SteppedOut { member: *actor },
                });
            }
            command => match stream.process().decide(command, &ctx) {
                None => {
                    return Err(EngineError::WrongProcess {
                        stream: id.clone(),
                        process: stream.process().kind(),
                    });
                }
                Some(Err(source)) => {
                    return Err(EngineError::Refused {
                        stream: id.clone(),
                        source,
                    });
                }
                Some(Ok(events)) => events,
            },
        };
        // The machine's own rules first; what the engine checks beyond them (the route
        // governance gives, a round's result copied by hand) only of a command they take.
        self.check(id, stream, command, *actor, held, v)?;
        // A round whose withdrawal would withdraw the process it decides for is withdrawn
        // only by one who may withdraw that process: its proposer, brought in as the
        // round's, cannot end another's proposal with it.
        if let ProcessCommand::Consent {
            command: RoundCommand::Withdraw { .. },
        } = command
            && let Some((target, held_target)) =
                stream.decides_for().and_then(|t| Some((t, held.get(t)?)))
            && let Err(who) = held_target.process().withdrawn_by(*actor, v.community())
        {
            return Err(EngineError::RoundWithdrawsTarget {
                stream: id.clone(),
                target: target.clone(),
                member: *actor,
                who,
            });
        }
        if let Some(evidence) = evidence {
            batch.push(EngineEvent::EvidenceRecorded {
                evidence: Box::new(evidence),
            });
        }
        self.settle(id, stream, batch, events, held, (*actor, *now), v)
    }

    /// Settles `events` of the process on stream `id`, after `batch` (its start, the
    /// evidence recorded with them): records in the process it decides for what they
    /// reached, gates each decided state, appends in one atomic batch, and evolves the
    /// streams in place.
    #[allow(clippy::too_many_arguments)]
    fn settle(
        &self,
        id: &StreamId,
        stream: &mut Stream,
        mut batch: Vec<EngineEvent>,
        events: Vec<EngineEvent>,
        held: &mut Held<'_>,
        (actor, now): (MemberId, Timestamp),
        v: &Version,
    ) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        let (actor, now) = (&actor, &now);
        let route = stream.shared_route();
        let ctx = Context::new(*actor, *now).routed(route.as_deref());
        let linked = Self::follows(id, stream, &events, held, &ctx)?;
        let deciding = events.iter().any(EngineEvent::decides);
        let linked_deciding = linked
            .as_ref()
            .is_some_and(|(_, events)| events.iter().any(EngineEvent::decides));
        // The changes to the community a decision adopts, with the stream that adopts them.
        let mut adopts: Option<living::Adopting> = None;
        let (events, linked) = if deciding || linked_deciding {
            // The value gate, before a decided state, on the record as it will be after the
            // transition: a copy of the stream under decision takes the events first, and
            // so does the process it decides for, whose record builds on it.
            let mut after = stream.clone();
            for event in batch.iter().chain(&events) {
                after.apply_event(event);
            }
            let events = if deciding {
                let summary = self.gate(id, &after, |c| held.get(c).map(|g| &**g), *now, v)?;
                // The process's own deciding command records a decision taken in a
                // round held elsewhere: its changes would stand on the actor's word.
                adopts = living::Adopting::of(id, &after, Some(*actor));
                with_gate(events, &summary)
            } else {
                events
            };
            let linked = match linked {
                Some((target, linked)) if linked_deciding => {
                    let Some(other) = held.get(&target) else {
                        return Err(EngineError::UnknownLink {
                            stream: id.clone(),
                            target,
                        });
                    };
                    let mut other_after = (**other).clone();
                    for event in &linked {
                        other_after.apply_event(event);
                    }
                    let find = |c: &StreamId| {
                        if c == id {
                            Some(&after)
                        } else {
                            held.get(c).map(|g| &**g)
                        }
                    };
                    let summary = self.gate(&target, &other_after, find, *now, v)?;
                    adopts = living::Adopting::of(&target, &other_after, None).or(adopts);
                    Some((target, with_gate(linked, &summary)))
                }
                linked => linked,
            };
            (events, linked)
        } else {
            (events, linked)
        };
        // A retirement withdraws what the decision adopted that has not taken effect.
        if adopts.is_none() {
            let retired = if events.iter().any(EngineEvent::revokes) {
                Some((id, stream.kind()))
            } else {
                linked
                    .as_ref()
                    .filter(|(_, events)| events.iter().any(EngineEvent::revokes))
                    .and_then(|(target, _)| held.get(target).map(|t| (target, t.kind())))
            };
            adopts = retired.map(|(stream, kind)| living::Adopting::withdrawing(stream, kind));
        }
        batch.extend(events);
        if matches!(batch.first(), Some(EngineEvent::Started { .. })) {
            let raised = self.access_requested(stream, &batch, *now, v);
            batch.extend(raised);
        }
        self.append(id, stream, batch, linked, held, (*actor, *now), adopts)
    }

    /// The access requests a process raises as it opens (`opening`, the batch that opens
    /// it): the needs each member it seats has declared to the community, or, for a process
    /// that seats nobody yet, each member of the body the route gives to decide.
    fn access_requested(
        &self,
        stream: &Stream,
        opening: &[EngineEvent],
        now: Timestamp,
        v: &Version,
    ) -> Vec<EngineEvent> {
        let mut opened = stream.clone();
        for event in opening {
            opened.apply_event(event);
        }
        let seated: Vec<MemberId> = match opened
            .record(v.community(), now, None)
            .and_then(|r| r.participants)
        {
            Some(participants) => participants.iter().map(|p| p.member).collect(),
            None => opened
                .route()
                .and_then(|r| v.community().body(&r.decider))
                .map(|b| b.members().collect())
                .unwrap_or_default(),
        };
        seated
            .into_iter()
            .filter_map(|member| {
                let needs: Vec<_> = v
                    .community()
                    .member(member)?
                    .access_needs
                    .iter()
                    .map(|n| n.kind)
                    .collect();
                (!needs.is_empty()).then_some(EngineEvent::Part {
                    event: PartEvent::AccessRequested {
                        member,
                        needs,
                        at: now,
                    },
                })
            })
            .collect()
    }

    /// Decides what `actor` does beside the process on `stream` (advice, interests, payment,
    /// access): the event to journal, or why not.
    fn take_part(
        &self,
        id: &StreamId,
        stream: &Stream,
        command: &PartCommand,
        actor: MemberId,
        now: Timestamp,
        v: &Version,
    ) -> Result<PartEvent, EngineError> {
        let refuse = |source| EngineError::Part {
            stream: id.clone(),
            source,
        };
        // A process that takes declarations of interest itself takes them one way only.
        if let PartCommand::DeclareInterests { .. } | PartCommand::Recuse { .. } = command
            && let Some(own) = stream.process().declares_interests()
        {
            return Err(refuse(PartError::DeclaredByTheProcess {
                attempted: command.label(),
                process: stream.process().kind(),
                command: own,
            }));
        }
        // A member who has responded has taken part: stepping out comes first.
        if let PartCommand::Recuse { .. } = command {
            let responded = stream
                .record(v.community(), now, None)
                .and_then(|r| r.participants)
                .unwrap_or_default()
                .iter()
                .any(|p| p.member == actor && p.response.is_some());
            if responded {
                return Err(refuse(PartError::AlreadyResponded { member: actor }));
            }
        }
        let Answerable { attest, .. } = stream.process().answerable(stream.route(), v.community());
        let part = PartContext {
            actor,
            now,
            route: stream.route(),
            community: v.community(),
            runners: &attest,
            last: stream.last_at(),
            process: stream.process().kind(),
            phase: stream.process().phase_label(),
        };
        stream.parts().decide(command, &part).map_err(refuse)
    }

    /// What `events` on stream `id` write on another stream, in the same batch, with that
    /// stream: what the process reached, recorded by the process it decides for (a round's
    /// result, taken by its proposal or offer); or else, when `events` end a process that a
    /// round still decides for without it (an offer withdrawn while its round runs), that
    /// round's ending. `None` when they write nothing elsewhere. A round that consented for
    /// a process that takes its consent is done with it already.
    ///
    /// # Errors
    ///
    /// [`EngineError::UnknownLink`] when the process decided for is not held,
    /// [`EngineError::LinkRefused`] when it refuses what was reached, and the round's
    /// refusal when an ending is dated before the round's last event: the round's history
    /// does not go back in time.
    fn follows(
        id: &StreamId,
        stream: &Stream,
        events: &[EngineEvent],
        held: &Held<'_>,
        ctx: &Context<'_>,
    ) -> Result<Option<(StreamId, Vec<EngineEvent>)>, EngineError> {
        // What a round reached is recorded by the process it decides for; a round opening
        // to take up an escalated review registers with the proposal it now decides for.
        let taking_up = stream.version() == 0 && stream.escalated_from().is_some();
        if let Some(target) = stream.decides_for() {
            let reached = stream.process().reached(events);
            if taking_up || reached.is_some() {
                let Some(other) = held.get(target) else {
                    return Err(EngineError::UnknownLink {
                        stream: id.clone(),
                        target: target.clone(),
                    });
                };
                // The process decided for is judged by its own route, not the round's; a
                // round that took the matter up where it was escalated goes on along its own.
                let route = if stream.escalated_from().is_some() {
                    stream.shared_route()
                } else {
                    other.shared_route()
                };
                let ctx = Context::new(ctx.actor, ctx.now).routed(route.as_deref());
                let recorded = match &reached {
                    Some(reached) => {
                        other
                            .process()
                            .take_reached(id, reached, stream.proposes(), &ctx)
                    }
                    None => other.process().take_up(id, &ctx),
                };
                match recorded {
                    Some(Err(source)) => {
                        return Err(EngineError::LinkRefused {
                            stream: id.clone(),
                            target: target.clone(),
                            source,
                        });
                    }
                    Some(Ok(linked)) if !linked.is_empty() => {
                        return Ok(Some((target.clone(), linked)));
                    }
                    _ => {}
                }
            }
        }
        if stream.rounds().is_empty() || stream.process().is_final() {
            return Ok(None);
        }
        let done = |round: &Stream| {
            round.process().is_final()
                || (stream.process().takes_consent()
                    && ConsentProcess::state_of(round.process())
                        .is_some_and(|s| s.phase() == crate::consent::RoundPhase::Consented))
        };
        let Some((open, round)) = stream.rounds().iter().find_map(|r| {
            held.get(r)
                .filter(|round| !done(round))
                .map(|round| (r, round))
        }) else {
            return Ok(None);
        };
        let mut after = stream.process().clone();
        for event in events {
            after.evolve(event);
        }
        if !after.is_final() {
            return Ok(None);
        }
        not_before(open, round, ctx.now)?;
        let route = round.shared_route();
        let ctx = Context::new(ctx.actor, ctx.now).routed(route.as_deref());
        let ended = round.process().outlived(id, after.phase_label(), &ctx);
        Ok(ended.map(|ended| (open.clone(), ended)))
    }

    /// The value gate on `after`, the stream `id` as it will be, with the streams it cites
    /// found by `find`: the summary of what it passed, or why it refused.
    fn gate<'s>(
        &self,
        id: &StreamId,
        after: &Stream,
        find: impl FnOnce(&StreamId) -> Option<&'s Stream>,
        now: Timestamp,
        v: &Version,
    ) -> Result<GateSummary, EngineError> {
        // Judged by the community and charter in force when the process opened.
        let opened = self.opened_under(after, v)?;
        let cited = crate::process::cited_record(after, id, find, opened.community(), now);
        let mut record = after
            .record(opened.community(), now, cited)
            .ok_or_else(|| EngineError::UnknownStream { stream: id.clone() })?;
        // Who has left the community by now is asked nothing more.
        record.mark_left(v.community());
        let proof = opened
            .charter()
            .gate(&record)
            .map_err(|source| EngineError::Gate {
                stream: id.clone(),
                source,
            })?;
        let policy = after.process().funding_policy().map(Hash::of_json);
        // The map that gave the route, as the start journalled it (for a round, the map
        // that routed the process it decides for); for an older start, the map then.
        let routed_by = match after.journalled_map() {
            Some(map) => Some(map),
            None => opened.governance_hash(),
        };
        Ok(GateSummary::new(opened.charter_hash(), &proof)
            .routed_by(routed_by)
            .screened_by(policy))
    }

    /// Appends `events` to stream `id` after its last sequence number; with them, in the same
    /// atomic batch, `linked` to the stream it names, and the changes to the community a
    /// decision adopts (checked against the community as it stands, journalled on its own
    /// stream naming the decision, in force from `now` or the later time the decision
    /// states). Each stream is evolved with what was written to it.
    #[allow(clippy::too_many_arguments)]
    fn append(
        &self,
        id: &StreamId,
        stream: &mut Stream,
        events: Vec<EngineEvent>,
        linked: Option<(StreamId, Vec<EngineEvent>)>,
        held: &mut Held<'_>,
        (actor, now): (MemberId, Timestamp),
        adopting: Option<living::Adopting>,
    ) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        let stamped = |events: Vec<EngineEvent>| -> Vec<NewEvent<EngineEvent>> {
            events
                .into_iter()
                .map(|e| NewEvent::new(actor, now, e))
                .collect()
        };
        if linked.is_none() && adopting.is_none() {
            let written = self.write(vec![BatchPart::new(
                id.clone(),
                stream.version(),
                stamped(events),
            )])?;
            for envelope in &written {
                stream.apply(envelope);
            }
            return Ok(written);
        }
        let mut parts = vec![BatchPart::new(
            id.clone(),
            stream.version(),
            stamped(events),
        )];
        let target = match linked {
            Some((target, linked)) => {
                let other = held.get(&target).ok_or_else(|| EngineError::UnknownLink {
                    stream: id.clone(),
                    target: target.clone(),
                })?;
                parts.push(BatchPart::new(
                    target.clone(),
                    other.version(),
                    stamped(linked),
                ));
                Some(target)
            }
            None => None,
        };
        // The community's history stays locked from the check of what a decision adopts
        // until the changes are written.
        let mut living = match &adopting {
            Some(_) => Some(self.living.write().map_err(|_| EngineError::Poisoned)?),
            None => None,
        };
        let mut adopted = None;
        if let (Some(adopting), Some(living)) = (&adopting, &living) {
            let (history, events) = adopting.check(&living.history, now, self.latest())?;
            // A retirement with nothing left to take effect writes nothing there.
            if !events.is_empty() {
                parts.push(BatchPart::new(
                    crate::living::stream(),
                    living.version,
                    stamped(events),
                ));
                adopted = Some(history);
            }
        }
        let written = self.write(parts)?;
        let community = crate::living::stream();
        for envelope in &written {
            if envelope.stream == *id {
                stream.apply(envelope);
            } else if envelope.stream == community {
                if let Some(living) = living.as_mut() {
                    living.version = envelope.seq;
                }
            } else if let Some(other) = target.as_ref().and_then(|t| held.get_mut(t)) {
                other.apply(envelope);
            }
        }
        if let (Some(living), Some(history)) = (living.as_mut(), adopted) {
            living.history = history;
        }
        Ok(written)
    }

    /// Runs `f` on stream `id` and the stream it cites, both locked.
    fn with_stream<R>(
        &self,
        id: &StreamId,
        f: impl FnOnce(&Stream, Option<&Stream>) -> R,
    ) -> Option<R> {
        let shared = self.shared(id).ok()??;
        let cited = {
            let stream = shared.lock().ok()?;
            stream.builds_on().filter(|c| c != id)
        };
        let Some(cited) = cited.and_then(|c| Some((c.clone(), self.shared(&c).ok()??))) else {
            let stream = shared.lock().ok()?;
            return Some(f(&stream, None));
        };
        // In id order, as requests lock them.
        let (stream, other) = if *id < cited.0 {
            let stream = shared.lock().ok()?;
            (stream, cited.1.lock().ok()?)
        } else {
            let other = cited.1.lock().ok()?;
            (shared.lock().ok()?, other)
        };
        let other = (stream.builds_on().as_ref() == Some(&cited.0)).then_some(&*other);
        Some(f(&stream, other))
    }

    /// The streams the engine knows, in order.
    pub fn streams(&self) -> Vec<StreamId> {
        self.streams
            .read()
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// When the last event on `stream`'s process was journalled; `None` for a stream with
    /// no process.
    pub fn last_at(&self, stream: &StreamId) -> Option<Timestamp> {
        let shared = self.shared(stream).ok()??;
        let stream = shared.lock().ok()?;
        stream.last_at()
    }

    /// Refuses to read `stream` (or, given `None`, every stream, as [`Engine::due`] does) as
    /// of a time before its last event. The engine holds each process as it stands: a
    /// record or a list of what is due asked at an earlier time would state what had not
    /// happened yet, dated before it happened. The tool and the server ask this before
    /// they read.
    ///
    /// # Errors
    ///
    /// [`EngineError::ReadBeforeLastEvent`], naming the time asked and the last event's.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::{Community, Engine, MemoryJournal, StreamId};
    ///
    /// let engine = Engine::builder(Community::new()).open(MemoryJournal::new())?;
    /// let any_time = "2022-09-01T10:00:00Z".parse()?;
    /// engine.readable_at(None, any_time)?; // nothing journalled: any time will do
    /// engine.readable_at(Some(&StreamId::new("round")?), any_time)?;
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn readable_at(
        &self,
        stream: Option<&StreamId>,
        now: Timestamp,
    ) -> Result<(), EngineError> {
        let last = match stream {
            Some(id) => self.last_at(id),
            // The journal's: every process's last event, and the community's last change.
            None => {
                let changed = self.living.read().ok().and_then(|living| {
                    living
                        .history
                        .versions()
                        .filter_map(|v| v.entry().map(|e| e.made))
                        .max()
                });
                self.streams()
                    .iter()
                    .filter_map(|s| self.last_at(s))
                    .chain(changed)
                    .max()
            }
        };
        match last {
            Some(last) if now < last => Err(EngineError::ReadBeforeLastEvent {
                stream: stream.cloned(),
                now,
                last,
            }),
            _ => Ok(()),
        }
    }

    /// The state of a stream's process.
    pub fn state(&self, stream: &StreamId) -> Option<ProcessState> {
        let shared = self.shared(stream).ok()??;
        let stream = shared.lock().ok()?;
        Some(stream.process().clone())
    }

    /// The phase of a stream's process, when it is a process of kind `P`.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::{Community, ConsentProcess, Engine, MemoryJournal, ProposalProcess, StreamId};
    ///
    /// let engine = Engine::builder(Community::new()).open(MemoryJournal::new())?;
    /// let stream = StreamId::new("meetings")?;
    /// assert_eq!(engine.phase::<ConsentProcess>(&stream), None); // nothing there yet
    /// assert_eq!(engine.phase::<ProposalProcess>(&stream), None);
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn phase<P: Listed>(&self, stream: &StreamId) -> Option<P::Phase> {
        let shared = self.shared(stream).ok()??;
        let stream = shared.lock().ok()?;
        P::state_of(stream.process()).map(P::phase)
    }

    /// The decision record of a stream as of `now`: the process's projection (a proposal's
    /// builds on the record of the round that decided it), the route governance gave, and
    /// the evidence recorded with its requests.
    ///
    /// The community is the one in force when the process opened, as its gate saw it: a
    /// body's make-up changed since does not change the record of a decision it took.
    /// The record is of the process as it stands: asked at a time before the stream's last
    /// event it would state what had not happened yet ([`Engine::readable_at`] refuses such
    /// a time).
    pub fn record(&self, stream: &StreamId, now: Timestamp) -> Option<DecisionRecord> {
        let v = self.opened_version(stream, now)?;
        self.with_stream(stream, |s, cited| {
            let cited = cited.and_then(|c| c.record(v.community(), now, None));
            s.record(v.community(), now, cited)
        })?
        .map(|mut record| {
            // Who had left the community by the decision (or by now, before one) was asked
            // nothing more; one who left after it does not change what it was.
            let then = record.dates.decided_at.unwrap_or(now);
            if let Ok(version) = self.version_at(then) {
                record.mark_left(version.community());
            }
            if record.outcome == Some(crate::values::Outcome::Escalated) {
                record.taken_up_by = self.taken_up_by(stream, now);
            }
            // Which body held each round the engine ran: after an escalation, not the one
            // the review was first before.
            for r in record.reviews.iter_mut().flat_map(|r| &mut r.reached) {
                if r.attested_by.is_none() {
                    r.body = self.round_body(&r.round);
                }
            }
            // A review escalated to a body dissolved since went where the map routed it;
            // a body dissolved since a round it held is named by its id.
            if let Ok(living) = self.living.read() {
                for review in &mut record.reviews {
                    for e in &mut review.escalations {
                        e.dissolved = !living.history.body_stood(&e.to, e.at, now);
                    }
                    for r in &mut review.reached {
                        r.body_dissolved = r
                            .body
                            .as_ref()
                            .is_some_and(|b| !living.history.body_stood(b, r.at, now));
                    }
                }
            }
            record
        })
    }

    /// The body whose members decide in the consent round on `stream`, once it opened.
    fn round_body(&self, stream: &StreamId) -> Option<crate::community::BodyId> {
        let shared = self.shared(stream).ok()??;
        let s = shared.lock().ok()?;
        match s.process() {
            ProcessState::Consent(round) => Some(round.round()?.config().deciding_body.clone()),
            _ => None,
        }
    }

    /// The process that holds the matter escalated on `stream` as its take-up at `now`:
    /// one that took up that process, the process it decides for, or a round held for it
    /// (a round and its process are one matter).
    fn taken_up_by(&self, stream: &StreamId, now: Timestamp) -> Option<StreamId> {
        let matter = {
            let shared = self.shared(stream).ok()??;
            let s = shared.lock().ok()?;
            s.matter(stream)
        };
        let community = self.version_at(now).ok()?.community_shared();
        self.streams().into_iter().find(|id| {
            id != stream
                && self.shared(id).ok().flatten().is_some_and(|shared| {
                    shared.lock().is_ok_and(|s| {
                        s.holds_escalated(&community, now)
                            .is_some_and(|from| matter.contains(from))
                    })
                })
        })
    }

    /// The value report of a stream's decision as of `now`, by the charter in force when
    /// its process opened.
    pub fn report(&self, stream: &StreamId, now: Timestamp) -> Option<ValueReport> {
        let v = self.opened_version(stream, now)?;
        Some(v.charter().check(&self.record(stream, now)?))
    }

    /// The version of the community `stream`'s process opened under, its routing, gate and
    /// record read by; `v`, the version of the request starting it, for a process starting
    /// now.
    fn opened_under(&self, stream: &Stream, v: &Version) -> Result<Arc<Version>, EngineError> {
        match stream.opened_at() {
            Some(at) => self.version_at(at),
            None => Ok(Arc::new(v.clone())),
        }
    }

    /// Who may take the steps of the process on `id` (shared as `shared`) that its route
    /// gives the deciding body, as [`takes_steps`] reads it, of those in the community in
    /// `v`, in member order.
    pub(super) fn taking_steps(
        &self,
        id: &StreamId,
        shared: &Shared,
        v: &Version,
    ) -> Result<Vec<MemberId>, EngineError> {
        self.locked(id, shared, BTreeSet::new(), |stream, held| {
            let Some(route) = stream.route() else {
                return Ok(Vec::new());
            };
            let opened = self.opened_under(stream, v)?;
            let mut candidates: BTreeSet<MemberId> = [opened.community(), v.community()]
                .into_iter()
                .filter_map(|community| community.body(&route.decider))
                .flat_map(|body| body.members())
                .collect();
            for round in held.keys() {
                if let Some(round) = seating(held, round) {
                    candidates.extend(round.config().eligible.iter().map(|e| e.member));
                }
            }
            Ok(candidates
                .into_iter()
                .filter(|m| v.community().member(*m).is_some())
                .filter(|m| {
                    takes_steps(stream, held, route, (opened.community(), v.community()), *m)
                })
                .filter(|m| !stream.process().held_back(*m))
                .collect())
        })
    }

    /// The version of the community in force when the process on `stream` opened (at `now`
    /// for a stream whose start is not journalled).
    fn opened_version(&self, stream: &StreamId, now: Timestamp) -> Option<Arc<Version>> {
        let opened = {
            let shared = self.shared(stream).ok()??;
            let stream = shared.lock().ok()?;
            stream.opened_at()
        };
        self.version_at(opened.unwrap_or(now)).ok()
    }

    /// The summaries of the value gates a stream's decisions passed, oldest first: the
    /// charter each passed under, the rules checked, the overrides and acknowledgements
    /// used. Read from the journal, so a reopened engine gives the same.
    pub fn gates(&self, stream: &StreamId) -> Vec<GateSummary> {
        let Some(Ok(shared)) = self.shared(stream).transpose() else {
            return Vec::new();
        };
        shared
            .lock()
            .map(|s| s.gates().iter().map(|(_, gate)| gate.clone()).collect())
            .unwrap_or_default()
    }

    /// The last value gate a stream's decision passed, beside what the charter in force at
    /// `now` ([`Engine::charter_at`]: "today's", as a record read at `now` says) makes of
    /// its record as of that decision: the charter it passed under, and whether today's
    /// would judge it differently. A charter adopted to take effect after `now` is not
    /// today's. `None` when no decision of the stream has passed a gate.
    pub fn review(&self, stream: &StreamId, now: Timestamp) -> Option<GateReview> {
        // The charter and the funding policy in force at `now`, together.
        let today = self.version_at(now).ok()?;
        self.review_under(
            stream,
            today.charter(),
            today.funding_policy_hash(),
            Some(now),
        )
    }

    /// As [`Engine::review`], with `charter` in place of today's: what a charter the
    /// community considers adopting would make of a past decision (beside the latest
    /// funding policy).
    pub fn review_by(&self, stream: &StreamId, charter: &Charter) -> Option<GateReview> {
        self.review_under(stream, charter, self.current().funding_policy_hash(), None)
    }

    /// The last gate `stream`'s decision passed, beside `charter` and the funding policy
    /// of hash `policy`, with how each charter came into force (`charter`'s, as in force at
    /// `now`, when it is today's).
    fn review_under(
        &self,
        stream: &StreamId,
        charter: &Charter,
        policy: Option<Hash>,
        now: Option<Timestamp>,
    ) -> Option<GateReview> {
        let (passed, at) = {
            let shared = self.shared(stream).ok()??;
            let stream = shared.lock().ok()?;
            let (at, passed) = stream.gates().last()?;
            (passed.clone(), *at)
        };
        let record = self.record(stream, at)?;
        let (passed_adopted, today_adopted) = {
            let living = self.living.read().ok()?;
            let today = now.and_then(|now| living.history.charter_adoption(charter.hash(), now));
            (living.history.charter_adoption(passed.charter, at), today)
        };
        Some(
            GateReview::new(passed, charter, &record)
                .with_funding_policy(policy)
                .with_adoptions(passed_adopted, today_adopted),
        )
    }

    /// The hash of the governance map that routed the process on `stream`, as its start
    /// journalled it (or, for a start journalled before it was, the map in force when it
    /// opened): named in its record whether or not a decision of it passed a gate. `None`
    /// when no process runs on `stream` or it opened on no route.
    pub fn routing_map(&self, stream: &StreamId) -> Option<Hash> {
        let shared = self.shared(stream).ok()??;
        let stream = shared.lock().ok()?;
        self.routed_by(&stream).ok()?
    }

    /// The whole decision on `stream` as one JSON document, as of `now`: its record and
    /// value report ([`Engine::record`], [`Engine::report`]), the gate it passed beside
    /// the charter in force at `now` ([`Engine::review`]), each member it mentions named as
    /// they ask today, and every event of its stream. `None` when no process runs on `stream`.
    ///
    /// # Errors
    ///
    /// [`EngineError::Journal`] when the stream's events cannot be read;
    /// [`EngineError::ReadBeforeLastEvent`] when `now` is before the stream's last event.
    pub fn export(
        &self,
        stream: &StreamId,
        now: Timestamp,
    ) -> Result<Option<DecisionDocument>, EngineError> {
        self.readable_at(Some(stream), now)?;
        let (Some(record), Some(report)) = (self.record(stream, now), self.report(stream, now))
        else {
            return Ok(None);
        };
        let history = self.journal.read_stream(stream)?;
        Ok(Some(DecisionDocument::new(
            stream.clone(),
            record,
            report,
            self.review(stream, now).as_ref(),
            &self.community(),
            history,
        )))
    }

    /// The hash of the latest charter ([`Engine::charter`], [`Charter::hash`]).
    pub fn charter_hash(&self) -> Hash {
        self.living.read().map_or_else(
            |_| Charter::default().hash(),
            |l| l.history.current().charter_hash(),
        )
    }

    /// The impact metrics of every decision in the journal (see [`Metrics`]), with feedback
    /// figures from `cocreation` when given.
    ///
    /// # Errors
    ///
    /// [`EngineError::Journal`] if the journal cannot be read.
    pub fn metrics(&self, cocreation: Option<&CoCreation>) -> Result<Metrics, EngineError> {
        let envelopes = self.journal.read_all()?;
        Ok(Metrics::from_journal(
            &envelopes,
            &self.community(),
            &self.charter(),
            cocreation,
        ))
    }

    /// The journal.
    pub fn journal(&self) -> &J {
        &self.journal
    }

    /// The community as it stands: its founding, changed by every change since.
    pub fn community(&self) -> Arc<Community> {
        self.current().community_shared()
    }

    /// The latest charter: the one in force once every change adopted so far has taken
    /// effect, a change scheduled for later included. The one in force at a given time is
    /// [`Engine::charter_at`]'s.
    pub fn charter(&self) -> Arc<Charter> {
        self.current().charter_shared()
    }

    /// The governance map in force today, if the community routes its decisions.
    pub fn governance(&self) -> Option<Arc<Governance>> {
        self.current().governance_shared()
    }

    /// The latest version of the community, a change scheduled to take effect later
    /// included.
    fn current(&self) -> Arc<Version> {
        self.living
            .read()
            .map(|l| l.history.current_shared())
            .unwrap_or_else(|e| e.get_ref().history.current_shared())
    }
}

/// Whether the escalation by the round `round` still takes the matter from the process in
/// `target`: it ended escalated, or the review open on it is escalated by that round.
fn escalated_away(target: &ProcessState, round: &StreamId) -> bool {
    target.escalated_to().is_some()
        || crate::ProposalProcess::state_of(target)
            .and_then(crate::proposal::ProposalState::proposal)
            .and_then(crate::proposal::Proposal::open_review)
            .and_then(crate::proposal::Review::escalated)
            .is_some_and(|(by, _)| by == round)
}

/// `at` in microseconds since the Unix epoch, as the engine keeps the latest time it saw.
fn micros(at: Timestamp) -> i64 {
    at.as_microsecond()
}

/// Refuses `now` when it lies before the last event of `stream` (on stream `id`): the
/// process's history does not go back in time, whoever writes to it.
fn not_before(id: &StreamId, stream: &Stream, now: Timestamp) -> Result<(), EngineError> {
    match stream.last_at() {
        Some(last) => need_clock(now, last).map_err(|kind| EngineError::Refused {
            stream: id.clone(),
            source: ProcessError::shared(Refusal {
                process: stream.process().kind(),
                kind,
            }),
        }),
        None => Ok(()),
    }
}

/// Whether the process on `stream` is a round still deliberating
/// ([`RoundPhase::is_deliberating`](crate::consent::RoundPhase::is_deliberating)).
pub(crate) fn deliberating(stream: &Stream) -> bool {
    ConsentProcess::state_of(stream.process()).is_some_and(|s| s.phase().is_deliberating())
}
