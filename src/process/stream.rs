//! One stream's process, what the engine keeps beside it, and its decision record.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use jiff::Timestamp;

use crate::community::{BodyFigures, Community, Member, MemberId};
use crate::decision::DecisionKind;
use crate::governance::Route;
use crate::journal::{Envelope, Hash, StreamId};
use crate::values::{
    Attestation, DecisionRecord, EscalatedFrom, Evidence, GateSummary, RouteSummary,
};

use super::{EngineEvent, Parts, ProcessKind, ProcessState, Projection};

/// One stream: its process, and what the engine keeps beside it (the decision's kind, the
/// route governance gave when it opened, the evidence recorded with its requests, the
/// summaries of the gates its decisions passed).
#[derive(Debug, Clone)]
pub struct Stream {
    version: u64,
    kind: DecisionKind,
    route: Option<Arc<Route>>,
    /// The hash of the map that gave `route`, as journalled with the start.
    routed_by: Option<Hash>,
    decides_for: Option<StreamId>,
    /// What a round held for an offer proposes for it, as journalled with its start.
    proposes: Option<crate::funding::RoundProposes>,
    /// The rounds opened to decide for this process, in the journal's other streams.
    rounds: BTreeSet<StreamId>,
    escalated_from: Option<EscalatedFrom>,
    evidence: Option<Evidence>,
    gates: Vec<(Timestamp, GateSummary)>,
    opened_at: Option<Timestamp>,
    last_at: Option<Timestamp>,
    decided_at: Option<Timestamp>,
    attested: Vec<Attestation>,
    parts: Parts,
    process: ProcessState,
}

impl Stream {
    /// A stream read from the journal before its first envelope is folded in: its start
    /// names its process and kind; one whose start is missing is read as a round of an
    /// operational decision, as the engine always has.
    pub(crate) fn from_journal() -> Self {
        Stream::new(ProcessKind::Consent, DecisionKind::Operational)
    }

    /// A stream about to start a process of `process`'s kind, on a decision of `kind`.
    pub(crate) fn new(process: ProcessKind, kind: DecisionKind) -> Self {
        Stream {
            version: 0,
            kind,
            route: None,
            routed_by: None,
            decides_for: None,
            proposes: None,
            rounds: BTreeSet::new(),
            escalated_from: None,
            evidence: None,
            gates: Vec::new(),
            opened_at: None,
            last_at: None,
            decided_at: None,
            attested: Vec::new(),
            parts: Parts::default(),
            process: ProcessState::new(process),
        }
    }

    /// The stream's last sequence number.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// What the decision is about.
    pub fn kind(&self) -> &DecisionKind {
        &self.kind
    }

    /// The route governance gave when the process opened.
    pub fn route(&self) -> Option<&Route> {
        self.route.as_deref()
    }

    /// The route governance gave, shared: what the engine hands to `decide` in the context.
    pub(crate) fn shared_route(&self) -> Option<Arc<Route>> {
        self.route.clone()
    }

    /// The route governance gave when the process opened, as the value-check records it
    /// (`None` for an automatic decline, which has no method).
    pub fn route_given(&self) -> Option<RouteSummary> {
        self.route().and_then(Route::summary)
    }

    /// The stream whose record this one's builds on: the process it
    /// [cites](crate::process::Process::cites), or, when it cites none, the process it
    /// decides for (a reassessment round builds on its proposal's evaluation).
    pub fn builds_on(&self) -> Option<StreamId> {
        self.process.cites().or_else(|| self.decides_for.clone())
    }

    /// The hash of the governance map the process was routed by, if it opened on a route:
    /// as its start journalled it (for a round deciding for another process, the map that
    /// routed that one), or, for a start journalled before it was, the map in force in
    /// `history` when the process opened. The value gate of a
    /// decision names the same map; a process that never reached a gate (a decline, say)
    /// was routed by it all the same.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::process::Streams;
    ///
    /// // A stream the journal does not hold was routed by nothing.
    /// let streams = Streams::replay(&[]);
    /// assert!(streams.get(&"offer".parse()?).is_none());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn routed_by(&self, history: &crate::living::History) -> Option<Hash> {
        self.route.as_ref()?;
        match self.routed_by {
            Some(map) => Some(map),
            None => history.at(self.opened_at?).governance_hash(),
        }
    }

    /// The hash of the map that gave the route, as the process's start journalled it
    /// (`None` for a start journalled before it was, or without a route).
    pub(crate) fn journalled_map(&self) -> Option<Hash> {
        self.routed_by
    }

    /// The process this one decides for, which records what it reaches.
    pub fn decides_for(&self) -> Option<&StreamId> {
        self.decides_for.as_ref()
    }

    /// What this round, held for a funding or partnership decision, proposes for it, where
    /// its opening said.
    pub fn proposes(&self) -> Option<crate::funding::RoundProposes> {
        self.proposes
    }

    /// The rounds opened to decide for this process (each on its own stream, whose
    /// [`decides_for`](Stream::decides_for) names this one), in id order.
    pub fn rounds(&self) -> &BTreeSet<StreamId> {
        &self.rounds
    }

    /// Whether `member` stepped out of this process: by its own rule (a declared interest
    /// with a recusal) or beside it (a recusal the engine keeps with the stream).
    pub fn stepped_out(&self, member: MemberId) -> bool {
        self.process.recused().contains(&member) || self.parts.recused(member)
    }

    /// Every member who [stepped out](Stream::stepped_out) of this process, in member order.
    pub fn stepped_out_members(&self) -> BTreeSet<MemberId> {
        let mut out = self.process.recused();
        out.extend(self.parts.recusals());
        out
    }

    /// The matter this process, on stream `id`, is part of: itself, the process it decides
    /// for, and the rounds held for it. A round and its process escalate as one matter, and
    /// taking up either takes up both.
    pub fn matter(&self, id: &StreamId) -> Vec<StreamId> {
        let mut matter = vec![id.clone()];
        matter.extend(self.decides_for.iter().cloned());
        matter.extend(self.rounds.iter().cloned());
        matter
    }

    /// Notes that the round on stream `round` decides for this process.
    pub(crate) fn held_in(&mut self, round: StreamId) {
        self.rounds.insert(round);
    }

    /// The escalated process this one takes up, as the engine saw it when this one opened.
    pub fn escalated_from(&self) -> Option<&EscalatedFrom> {
        self.escalated_from.as_ref()
    }

    /// The escalated process this one holds as its take-up at `now`: the one it took up,
    /// once it has opened, unless it had ended deciding nothing by then (withdrawn,
    /// deferred: counted from the event that ended it, not a later answer to an offer),
    /// which leaves the matter to be taken up again. `community` is the one in force then.
    pub fn holds_escalated(&self, community: &Community, now: Timestamp) -> Option<&StreamId> {
        let from = self.escalated_from.as_ref()?;
        if self.opened_at.is_none_or(|opened| opened > now) {
            return None;
        }
        let ended_undecided = self.process.is_final()
            && self.decided_at.is_some_and(|ended| ended <= now)
            && matches!(
                self.record(community, now, None).and_then(|r| r.outcome),
                Some(crate::values::Outcome::Withdrawn | crate::values::Outcome::Deferred)
            );
        (!ended_undecided).then_some(&from.stream)
    }

    /// The evidence recorded with the stream's requests, merged (newer over older).
    pub fn evidence(&self) -> Option<&Evidence> {
        self.evidence.as_ref()
    }

    /// When the process last decided (an event that passes the value gate) or ended (a
    /// decline, an automatic one at screening included): what a publication publishes.
    /// `None` while nothing is decided.
    pub fn decided_at(&self) -> Option<Timestamp> {
        self.decided_at
    }

    /// The value gates the stream's journalled deciding events passed, oldest first, each
    /// with the time of the event that passed it.
    pub fn gates(&self) -> &[(Timestamp, GateSummary)] {
        &self.gates
    }

    /// When the process started: the version of the community in force then routes and
    /// judges it.
    pub fn opened_at(&self) -> Option<Timestamp> {
        self.opened_at
    }

    /// When the stream's last event was written.
    pub fn last_at(&self) -> Option<Timestamp> {
        self.last_at
    }

    /// What the engine witnessed of members taking part (advice, interests, payment,
    /// access).
    pub fn parts(&self) -> &Parts {
        &self.parts
    }

    /// The process.
    pub fn process(&self) -> &ProcessState {
        &self.process
    }

    /// Folds one journalled envelope into the stream.
    pub(crate) fn apply(&mut self, envelope: &Envelope<EngineEvent>) {
        let was_final = self.process.is_final();
        self.apply_event(&envelope.event);
        if envelope.event.decides() || (!was_final && self.process.is_final()) {
            self.decided_at = Some(envelope.time);
        }
        // A process decided or ended waits on no advice asked before.
        self.parts.settle(
            envelope.time,
            envelope.event.decides(),
            self.process.is_final(),
        );
        if let Some(gate) = envelope.event.gate() {
            self.gates.push((envelope.time, gate.clone()));
        }
        self.version = envelope.seq;
        if matches!(envelope.event, EngineEvent::Started { .. }) {
            self.opened_at = Some(envelope.time);
        }
        self.last_at = Some(envelope.time);
        if let EngineEvent::EvidenceRecorded { evidence } = &envelope.event {
            // Newer evidence answers for the facts it states; older attestations of the
            // same facts are kept, so the record shows who said what first, too.
            for fact in evidence.stated_facts() {
                self.attested.push(Attestation {
                    fact: fact.to_owned(),
                    by: envelope.actor,
                    at: envelope.time,
                });
            }
        }
    }

    /// Folds one event into the stream (a preview does so before the event is written).
    pub(crate) fn apply_event(&mut self, event: &EngineEvent) {
        match event {
            EngineEvent::Started {
                process,
                kind,
                route,
                routed_by,
                decides_for,
                proposes,
                escalated_from,
            } => {
                self.kind = kind.clone();
                self.proposes = *proposes;
                self.route = route.as_deref().cloned().map(Arc::new);
                self.routed_by = *routed_by;
                self.decides_for.clone_from(decides_for);
                self.escalated_from = escalated_from.as_deref().cloned();
                if self.process.kind() != *process {
                    self.process = ProcessState::new(*process);
                }
            }
            EngineEvent::EvidenceRecorded { evidence } => {
                merge_evidence(&mut self.evidence, evidence);
            }
            EngineEvent::Part { event } => self.parts.evolve(event),
            event => self.process.evolve(event),
        }
    }

    /// The decision record as of `now`: the process's projection (building on `cited`, the
    /// record of the process it [cites](ProcessState::cites)), the route governance gave,
    /// the evidence recorded with the stream's requests, and, of the bodies the route
    /// consults, those whose members' advice the record holds.
    pub fn record(
        &self,
        community: &Community,
        now: Timestamp,
        cited: Option<DecisionRecord>,
    ) -> Option<DecisionRecord> {
        let projection = Projection {
            kind: &self.kind,
            community,
            route: self.route(),
            now,
        };
        let mut record = self.process.record(&projection, cited)?;
        if record.route_given.is_none() {
            record.route_given = self.route_given();
        }
        // An escalated offer's funder, screen and checks, as its process witnessed them,
        // are what the body taking it up decides on: before any member's word.
        if let Some(from) = &self.escalated_from {
            if record.funder.is_none() {
                record.funder.clone_from(&from.funder);
            }
            if record.due_diligence.is_none() {
                record.due_diligence.clone_from(&from.due_diligence);
            }
        }
        if let Some(evidence) = &self.evidence {
            record.supplement(evidence.to_record(self.kind.clone()));
        }
        // Who is a public contributor is the community's to say, by their roles.
        for p in record.participants.iter_mut().flat_map(|p| p.edit()) {
            p.public_contributor = community
                .member(p.member)
                .is_some_and(Member::is_public_contributor);
        }
        self.parts.project(&mut record, community);
        consulted(&mut record, community);
        if record.advisers.is_none() {
            record.advisers = advisers(&record, community);
        }
        // What members attested as evidence, beside what the process itself marks as a
        // member's word (a result copied in from a round kept elsewhere), in time order.
        record.attested.extend(self.attested.iter().cloned());
        record.attested.sort_by_key(|a| a.at);
        record.escalated_from.clone_from(&self.escalated_from);
        Some(record)
    }
}

/// Counts a body the route given consults as consulted on the route taken when the record
/// holds advice from one of its members. Only on the route given: a record that decided
/// elsewhere is T7's to find, not this to mend.
fn consulted(record: &mut DecisionRecord, community: &Community) {
    let (Some(given), Some(taken), Some(advice)) = (
        record.route_given.as_ref(),
        record.route_taken.as_mut(),
        record.advice.as_ref(),
    ) else {
        return;
    };
    if taken.deciding_body != given.deciding_body || taken.method != given.method {
        return;
    }
    for body in given.consulted.difference(&taken.consulted.clone()) {
        let heard = community
            .body(body)
            .is_some_and(|b| advice.iter().any(|a| b.contains(a.from)));
        if heard {
            taken.consulted.insert(body.clone());
        }
    }
}

/// The make-up of each body the route given consults from whose members the record holds
/// advice, as the community records it: the bodies whose advice the decision relied on.
/// `None` without a route given, or when the record does not say whether advice was given.
fn advisers(record: &DecisionRecord, community: &Community) -> Option<Vec<BodyFigures>> {
    let given = record.route_given.as_ref()?;
    let advice = record.advice.as_ref()?;
    Some(
        given
            .consulted
            .iter()
            .filter_map(|id| community.body(id))
            .filter(|body| advice.iter().any(|a| body.contains(a.from)))
            .filter_map(|body| community.figures(&body.id).ok())
            .collect(),
    )
}

/// Takes `newer` evidence into what a stream holds: the newer wins where both say something,
/// the older fills the gaps.
fn merge_evidence(held: &mut Option<Evidence>, newer: &Evidence) {
    let mut merged = newer.clone();
    if let Some(older) = held.take() {
        merged.supplement(older);
    }
    *held = Some(merged);
}

/// Every stream of a journal, replayed: what the engine holds, and what the metrics and
/// the `coproduction` tool read.
///
/// # Example
///
/// ```
/// use coproduction::process::Streams;
///
/// let streams = Streams::replay(&[]);
/// assert_eq!(streams.iter().count(), 0);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Streams {
    streams: BTreeMap<StreamId, Stream>,
}

/// `envelope` as the process reads it today. A round's result the engine recorded on an
/// offer (`consent_round_recorded`) carries what the round proposed; journals written
/// before it did (from when rounds first said what they proposed, with their start only)
/// lack it there, and the offer takes it from the round's start: `proposed` gives what the
/// round on a stream proposed, where it decides for the envelope's stream. The journal is
/// not rewritten: what it sealed stands, and is read the way it always meant.
pub(crate) fn upcast(
    envelope: &Envelope<EngineEvent>,
    proposed: impl FnOnce(&StreamId) -> Option<crate::funding::RoundProposes>,
) -> std::borrow::Cow<'_, Envelope<EngineEvent>> {
    use crate::funding::FundingEvent;
    if let EngineEvent::Funding {
        event:
            FundingEvent::ConsentRoundRecorded {
                reference,
                proposes: None,
                ..
            },
        ..
    } = &envelope.event
        && let Some(said) = StreamId::new(reference).ok().as_ref().and_then(proposed)
    {
        let mut read = envelope.clone();
        if let EngineEvent::Funding {
            event: FundingEvent::ConsentRoundRecorded { proposes, .. },
            ..
        } = &mut read.event
        {
            *proposes = Some(said);
        }
        return std::borrow::Cow::Owned(read);
    }
    std::borrow::Cow::Borrowed(envelope)
}

impl Streams {
    /// Replays `envelopes` (a journal's [`read_all`](crate::journal::Journal::read_all)):
    /// envelopes of different streams may interleave; within a stream they must be in
    /// order, as a journal returns them.
    pub fn replay<'a>(envelopes: impl IntoIterator<Item = &'a Envelope<EngineEvent>>) -> Self {
        let mut streams: BTreeMap<StreamId, Stream> = BTreeMap::new();
        let community = crate::living::stream();
        for envelope in envelopes {
            // The community's own history runs no process.
            if envelope.stream == community {
                continue;
            }
            let envelope = &*upcast(envelope, |round| {
                streams
                    .get(round)
                    .filter(|r| r.decides_for() == Some(&envelope.stream))
                    .and_then(Stream::proposes)
            });
            // The id is cloned once, for a stream's first envelope.
            match streams.get_mut(&envelope.stream) {
                Some(stream) => stream.apply(envelope),
                None => {
                    let mut stream = Stream::from_journal();
                    stream.apply(envelope);
                    streams.insert(envelope.stream.clone(), stream);
                }
            }
        }
        // Each process knows the rounds that decide for it.
        let links: Vec<(StreamId, StreamId)> = streams
            .iter()
            .filter_map(|(id, s)| Some((s.decides_for.clone()?, id.clone())))
            .collect();
        for (target, round) in links {
            if let Some(target) = streams.get_mut(&target) {
                target.held_in(round);
            }
        }
        Self { streams }
    }

    /// One stream.
    pub fn get(&self, id: &StreamId) -> Option<&Stream> {
        self.streams.get(id)
    }

    /// Every stream, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&StreamId, &Stream)> + '_ {
        self.streams.iter()
    }

    /// The decision record of stream `id` as of `now`, building on the record of the
    /// process it cites when that is in the journal too.
    pub fn record(
        &self,
        id: &StreamId,
        community: &Community,
        now: Timestamp,
    ) -> Option<DecisionRecord> {
        let stream = self.streams.get(id)?;
        let cited = cited_record(stream, id, |cited| self.streams.get(cited), community, now);
        stream.record(community, now, cited)
    }

    pub(crate) fn into_inner(self) -> BTreeMap<StreamId, Stream> {
        self.streams
    }
}

/// The record of the process `stream` (on `id`) cites, or, when it cites none, of the
/// process it decides for, found with `find`. One level deep:
/// a cited record is made without the record it would cite in turn, so no chain of
/// citations, however written, loops.
pub(crate) fn cited_record<'a>(
    stream: &Stream,
    id: &StreamId,
    find: impl FnOnce(&StreamId) -> Option<&'a Stream>,
    community: &Community,
    now: Timestamp,
) -> Option<DecisionRecord> {
    let cited = stream.builds_on().filter(|c| c != id)?;
    find(&cited)?.record(community, now, None)
}
