//! What the engine checks beyond each process's own rules: the route governance gives when
//! a process opens (or, for a process taking up an escalated matter, the route to the body
//! it was escalated to), that nobody copies by hand a result the engine records itself, and
//! what a later command states about the community (who gives a funding decision advice,
//! and each process's [`Claim`]s: who agreed a pilot's evaluation, whose words its evidence
//! quotes), and that a proposal's id is held by one stream only.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use crate::community::MemberId;
use crate::consent::{RoundCommand, RoundRoles};
use crate::decision::DecisionKind;
use crate::funding::{FundingCommand, FundingProcess};
use crate::governance::{Route, RouteFacts};
use crate::journal::{Journal, StreamId};
use crate::living::{LivingError, Version};
use crate::process::{Claim, Listed, PartError, ProcessState, Requested, Stream, Witness};
use crate::proposal::{ProposalCommand, ProposalProcess};
use crate::values::EscalatedFrom;

use super::{Engine, EngineError, EngineEvent, Held, ProcessCommand, Request};

/// Whether a command copies a round's result by hand (a proposal's `record_decision`, a
/// funding decision's `record_consent_round`), and the round, when its reference names a
/// stream: `Some(None)` for a record kept elsewhere.
fn copied_round(command: &ProcessCommand) -> Option<Option<StreamId>> {
    match command {
        ProcessCommand::Proposal {
            command: ProposalCommand::RecordDecision { round, .. },
        } => Some(Some(round.clone())),
        ProcessCommand::Funding {
            command: FundingCommand::RecordConsentRound { reference, .. },
        } => Some(StreamId::new(reference).ok()),
        _ => None,
    }
}

/// The first round recorded for the funding decision `process` (by hand, or by the engine
/// when a round it ran ended) that said what it proposed (a short prefix of its reference):
/// once one did, every round that follows says so too.
fn proposed_on(process: &ProcessState) -> Option<String> {
    FundingProcess::state_of(process)?
        .decision()?
        .consent_rounds()
        .iter()
        .find(|r| r.proposes.is_some())
        .map(|r| crate::limits::quote(&r.reference).into_owned())
}

/// Whether `command` opens a consent round: the one process that decides for another.
pub(super) fn opens_round(command: &ProcessCommand) -> bool {
    round_roles(command).is_some()
}

/// Who runs the consent round `command` opens.
pub(super) fn round_roles(command: &ProcessCommand) -> Option<RoundRoles> {
    match command {
        ProcessCommand::Consent {
            command: RoundCommand::Open { config },
        } => Some(config.roles),
        ProcessCommand::Consent {
            command: RoundCommand::OpenOnRoute { roles, .. },
        } => Some(*roles),
        _ => None,
    }
}

/// Refuses a round `request` opens deciding for the process on `target` (held in `guard`)
/// unless the member opening it and the proposer it names each run that process (those it
/// names as attesting for it) or sit on the body `route` gives the decision, as the
/// community stands now, and neither stepped out of it.
pub(super) fn brought(
    request: &Request,
    target: &StreamId,
    guard: &Stream,
    route: Option<&Route>,
    v: &Version,
) -> Result<(), EngineError> {
    let Some(roles) = round_roles(&request.command) else {
        return Ok(());
    };
    let outside = [
        (request.actor, "who opens it"),
        (roles.proposer, "named its proposer"),
    ]
    .into_iter()
    .find(|(m, _)| !may_propose(guard, route, v, *m));
    match outside {
        Some((member, role)) => Err(EngineError::RoundNotTheirs {
            stream: request.stream.clone(),
            target: target.clone(),
            member,
            role,
            brought_by: guard.process().brought_by(),
            body: route.map(|r| r.decider.clone()),
        }),
        None => Ok(()),
    }
}

/// Whether `member` may bring a round deciding for the process held in `guard` as its
/// proposer (or take its proposer's role up): they run that process (those it names as
/// attesting for it) or sit on the body `route` gives the decision, as the community stood
/// in `v` (now, for a round opening; when the round opened, for its role handed on), and
/// have not stepped out of it.
pub(super) fn may_propose(
    guard: &Stream,
    route: Option<&Route>,
    v: &Version,
    member: MemberId,
) -> bool {
    let runs = guard
        .process()
        .answerable(guard.route(), v.community())
        .attest
        .contains(&member)
        || route
            .and_then(|route| v.community().body(&route.decider))
            .is_some_and(|body| body.contains(member));
    runs && !guard.stepped_out(member)
}

/// Whether the process on `stream` is a proposal, still open, whose decision (or review's
/// reassessment) started in `round` and waits for it: a proposal that has ended (withdrawn,
/// say) claims no round any more.
fn claims_round(stream: &Stream, round: &StreamId) -> bool {
    !stream.process().is_final()
        && ProposalProcess::state_of(stream.process())
            .and_then(|state| state.proposal())
            .and_then(|p| p.current_round())
            .is_some_and(|r| r.round == *round)
}

/// The round a proposal's decision (or its review's reassessment) is to start in.
pub(super) fn started_round(command: &ProcessCommand) -> Option<&StreamId> {
    match command {
        ProcessCommand::Proposal {
            command: ProposalCommand::StartDecision { round },
        } => Some(round),
        _ => None,
    }
}

/// The other streams a command names, which the engine reads to check it.
pub(super) fn referenced(command: &ProcessCommand) -> BTreeSet<StreamId> {
    copied_round(command)
        .flatten()
        .into_iter()
        .chain(started_round(command).cloned())
        .collect()
}

/// An escalated matter a new process takes up, as the engine saw it: what it was about, the
/// route it takes now (its own, decided by the body it was escalated to), and what it hands
/// on.
pub(super) struct Escalation {
    kind: DecisionKind,
    route: Option<Route>,
    /// The hash of the map that routed the escalated process, whose route this follows.
    routed_by: Option<crate::hash::Hash>,
    /// Whether a change to the community has dissolved the body it went to since it was
    /// escalated: the map in force then routes it, in the case the escalated process was
    /// routed in (`case`), and the body it gives takes it up.
    gone: bool,
    case: Option<crate::governance::Case>,
    from: EscalatedFrom,
}

/// The route of the process a new round decides for, which the round follows: the route,
/// the hash of the map that gave it, and when it was given (when that process opened).
pub(super) struct Followed<'a> {
    pub(super) route: &'a Route,
    pub(super) map: Option<crate::hash::Hash>,
    pub(super) since: Timestamp,
}

impl<J: Journal<Event = EngineEvent>> Engine<J> {
    /// The escalated matter on stream `from` that `request` takes up, read from the streams
    /// the engine holds (one locked at a time): refused unless a process there has been
    /// escalated.
    pub(super) fn escalation(
        &self,
        streams: &BTreeMap<StreamId, super::Shared>,
        request: &Request,
        from: &StreamId,
        v: &Version,
    ) -> Result<Escalation, EngineError> {
        let refuse = |reason| EngineError::NotEscalated {
            stream: request.stream.clone(),
            escalated: from.clone(),
            reason,
        };
        // Taken up, the matter is decided in the body it went to, by the process that
        // takes it up: that process decides for no other (whose route names another body).
        if request.decides_for.is_some() {
            return Err(refuse(
                "a process that takes up an escalated matter decides it itself, for no other process",
            ));
        }
        let shared = streams
            .get(from)
            .ok_or_else(|| refuse("no process runs there"))?;
        let (cites, decides_for, matter) = {
            let source = shared.lock().map_err(|_| EngineError::Poisoned)?;
            (
                source.process().cites().filter(|c| c != from),
                source.decides_for().cloned(),
                source.matter(from),
            )
        };
        // A round held for an offer hands on what the offer's process witnessed of the
        // funder and its checks: the body taking the round up decides on the offer.
        let offer = match decides_for.as_ref().and_then(|t| streams.get(t)) {
            Some(target) => {
                let target = target.lock().map_err(|_| EngineError::Poisoned)?;
                target
                    .record(v.community(), request.now, None)
                    .filter(|r| r.funder.is_some())
            }
            None => None,
        };
        // The record it cites (a proposal's round) holds the objections.
        let cited = match cites.and_then(|c| streams.get(&c)) {
            Some(cited) => {
                let cited = cited.lock().map_err(|_| EngineError::Poisoned)?;
                cited.record(v.community(), request.now, None)
            }
            None => None,
        };
        // One process takes up a matter: a second would decide it again. One that ended
        // deciding nothing (withdrawn, deferred) leaves it to be taken up again. A round
        // and the process it decides for are one matter (an offer escalates with its
        // round): taking up either takes up both.
        let mut taken = Vec::new();
        for (id, other) in streams {
            if id == from {
                continue;
            }
            let other = other.lock().map_err(|_| EngineError::Poisoned)?;
            if let Some(e) = other.holds_escalated(v.community(), request.now) {
                taken.push(e.clone());
            }
        }
        if taken.iter().any(|t| matter.contains(t)) {
            return Err(refuse("another process has taken it up"));
        }
        let source = shared.lock().map_err(|_| EngineError::Poisoned)?;
        let to = source
            .process()
            .escalated_to()
            .ok_or_else(|| refuse("its process has not been escalated"))?;
        // A funding decision taking up an escalated offer identifies that offer: another
        // would be decided in its name, and the escalated one never.
        if let ProcessCommand::Funding {
            command: FundingCommand::Identify { offer, .. },
        } = &request.command
        {
            let escalated = FundingProcess::state_of(source.process())
                .and_then(|s| s.decision())
                .map(|d| d.offer());
            match escalated {
                None => {
                    return Err(refuse(
                        "a funding decision takes up an escalated offer, named by its own stream, and this is no offer",
                    ));
                }
                Some(escalated) if escalated != &**offer => {
                    return Err(refuse("it identifies another offer than the one escalated"));
                }
                Some(_) => {}
            }
        }
        // Nor is it taken up before it was escalated (a later event of the escalated
        // process, an answer to a payment offer made while it ran, does not move that).
        let since = source
            .process()
            .escalation()
            .map_or(request.now, |(_, at)| at);
        if request.now < since {
            return Err(refuse("the request is dated before the escalation"));
        }
        // A body dissolved since it was escalated (and perhaps formed again under its id)
        // no longer holds it: the map in force routes it, and a member of the body it gives
        // takes it up.
        let gone = {
            let living = self.living.read().map_err(|_| EngineError::Poisoned)?;
            !living.history.body_stood(&to, since, request.now)
        };
        // It went to a body: a member of that body takes it up, not whoever is first.
        if !gone
            && v.community()
                .body(&to)
                .is_some_and(|body| !body.contains(request.actor))
        {
            return Err(refuse(
                "the member who takes it up does not sit on the body it went to",
            ));
        }
        let mut record = source
            .record(v.community(), request.now, cited)
            .ok_or_else(|| refuse("its process has not started"))?;
        if let Some(offer) = offer {
            record.funder.clone_from(&offer.funder);
            record.due_diligence.clone_from(&offer.due_diligence);
        }
        let override_by = v
            .governance()
            .and_then(|g| g.map().override_by(&to).cloned())
            .unwrap_or_default();
        Ok(Escalation {
            kind: source.kind().clone(),
            route: source
                .route()
                .filter(|_| !gone)
                .map(|r| r.escalated_to(&to, override_by)),
            routed_by: self.routed_by(&source)?.filter(|_| !gone),
            gone,
            case: source.route().map(|r| r.case),
            from: EscalatedFrom {
                // When it was escalated: the escalation's own time, as the engine saw it.
                at: Some(since),
                dissolved: gone,
                ..EscalatedFrom::of(from.clone(), to, &record)
            },
        })
    }

    /// Refuses a proposal created to bring someone in under a member number that is
    /// taken ([`LivingError::NumberTaken`]): refused now, not after the round has decided.
    fn numbers_free(&self, request: &Request) -> Result<(), EngineError> {
        let ProcessCommand::Proposal {
            command: ProposalCommand::Create { config },
        } = &request.command
        else {
            return Ok(());
        };
        let living = self.living.read().map_err(|_| EngineError::Poisoned)?;
        let mut given = BTreeSet::new();
        for change in &config.changes {
            if let crate::living::CommunityChange::Join { member } = change {
                let refuse = |source| EngineError::Change {
                    actor: request.actor,
                    source,
                };
                if member.id == super::ENGINE_ACTOR {
                    return Err(refuse(LivingError::EnginesOwn { change: "join" }));
                }
                // A member has it now, or had it, or another join of this proposal gives it.
                if !given.insert(member.id)
                    || living
                        .history
                        .at(request.now)
                        .community()
                        .member(member.id)
                        .is_some()
                {
                    return Err(refuse(LivingError::NumberTaken { member: member.id }));
                }
                living
                    .history
                    .number_free(member.id, request.now)
                    .map_err(refuse)?;
            }
        }
        Ok(())
    }

    /// The process a take-up of the matter `from` escalated decides for, with its stream:
    /// the one the escalating round decided for, when that process has something left to
    /// decide there ([`Process::take_up`](crate::process::Process::take_up): a proposal's
    /// review); `None` otherwise, and the take-up decides for no process. Such a matter is
    /// taken up by a round ([`EngineError::NotEscalated`] for another process).
    pub(super) fn taken_for(
        &self,
        streams: &BTreeMap<StreamId, super::Shared>,
        from: &StreamId,
        request: &Request,
    ) -> Result<Option<(StreamId, super::Shared)>, EngineError> {
        let target = match streams.get(from) {
            Some(source) => source
                .lock()
                .map_err(|_| EngineError::Poisoned)?
                .decides_for()
                .cloned(),
            None => None,
        };
        let Some((target, shared)) = target.and_then(|t| streams.get(&t).map(|s| (t, s.clone())))
        else {
            return Ok(None);
        };
        let takes = {
            let guard = shared.lock().map_err(|_| EngineError::Poisoned)?;
            let ctx = crate::machine::Context::new(request.actor, request.now);
            guard.process().take_up(&request.stream, &ctx).is_some()
        };
        // Only a round reaches a result the process it decides for records: another process
        // taking the matter up (a proposal) would hold it there and never end it.
        if takes && request.command.process() != Some(crate::process::ProcessKind::Consent) {
            return Err(EngineError::NotEscalated {
                stream: request.stream.clone(),
                escalated: from.clone(),
                reason: "the matter is decided for the process its round decided for, and only a round takes it up to decide it there",
            });
        }
        Ok(takes.then_some((target, shared)))
    }

    /// The hash of the governance map that routed the process on `stream`: as its start
    /// journalled it, or, for a start journalled before it was, the map in force when it
    /// opened. `None` when it opened on no route.
    pub(super) fn routed_by(
        &self,
        stream: &Stream,
    ) -> Result<Option<crate::hash::Hash>, EngineError> {
        let living = self.living.read().map_err(|_| EngineError::Poisoned)?;
        Ok(stream.routed_by(&living.history))
    }

    /// Refuses a request starting a process on a stream whose name another proposal holds
    /// (`streams`, the engine's, held for the new stream's start): a proposal created with
    /// the id the proposal on another stream has, or a process opening on the stream a
    /// proposal started its decision (or its review's reassessment) in without deciding for
    /// it. There it would leave that proposal waiting for good: its result would not reach
    /// the proposal, and a result copied in by hand is refused for a round the engine runs.
    pub(super) fn names_free(
        streams: &BTreeMap<StreamId, super::Shared>,
        request: &Request,
    ) -> Result<(), EngineError> {
        let created = match &request.command {
            ProcessCommand::Proposal {
                command: ProposalCommand::Create { config },
            } => Some(config.id),
            _ => None,
        };
        // Only a round decides for a process.
        let round_for = request
            .decides_for
            .as_ref()
            .filter(|_| opens_round(&request.command));
        for (id, other) in streams {
            let other = other.lock().map_err(|_| EngineError::Poisoned)?;
            let Some(proposal) =
                ProposalProcess::state_of(other.process()).and_then(|state| state.proposal())
            else {
                continue;
            };
            if let Some(created) = created.filter(|c| proposal.config().id == *c) {
                return Err(EngineError::ProposalIdTaken {
                    stream: request.stream.clone(),
                    id: created,
                    held_by: id.clone(),
                });
            }
            if round_for != Some(id) && claims_round(&other, &request.stream) {
                return Err(EngineError::RoundClaimed {
                    stream: request.stream.clone(),
                    by: id.clone(),
                });
            }
        }
        Ok(())
    }

    /// Refuses a request starting a proposal's decision (or its review's reassessment) in a
    /// round another proposal, still open, has started its own in: the round would open
    /// for one of them only, and the other would wait for it for good. Each stream is
    /// locked in turn, none held: read before the request's own streams are locked, under
    /// the engine's naming lock, held until the request is written.
    pub(super) fn round_name_free(&self, request: &Request) -> Result<(), EngineError> {
        let Some(round) = started_round(&request.command) else {
            return Ok(());
        };
        for id in self.streams() {
            if id == request.stream {
                continue;
            }
            let Some(shared) = self.shared(&id)? else {
                continue;
            };
            let other = shared.lock().map_err(|_| EngineError::Poisoned)?;
            if claims_round(&other, round) {
                return Err(EngineError::RoundNameTaken {
                    stream: request.stream.clone(),
                    round: round.clone(),
                    by: id,
                });
            }
        }
        Ok(())
    }

    /// A fresh stream for a request whose command starts a process, and the event that
    /// starts it: the decision's kind and the route governance gives, which the process
    /// must follow. A process that takes up an escalated matter (`escalation`) is about
    /// the same kind of decision, and follows the escalated route to the body it went to
    /// (or, when a change has dissolved that body since, the route the map in force gives,
    /// taken up by a member of the body it names); a round held for a process that has a
    /// route (`followed`) follows that route, refused when a change has dissolved the body
    /// it names since it was given ([`EngineError::RouteGone`]).
    pub(super) fn start(
        &self,
        request: &Request,
        recused: &BTreeSet<MemberId>,
        escalation: Option<&Escalation>,
        followed: Option<Followed<'_>>,
        decides_for: Option<&StreamId>,
        v: &Version,
    ) -> Result<(Stream, EngineEvent, Option<ProcessCommand>), EngineError> {
        let id = &request.stream;
        let opening = request
            .command
            .opening(&Requested {
                kind: request.kind.as_ref(),
                facts: request.facts.as_ref(),
                in_force: v,
            })
            .ok_or_else(|| EngineError::UnknownStream { stream: id.clone() })?
            .ok_or_else(|| EngineError::KindRequired { stream: id.clone() })?;
        let Some(process) = request.command.process() else {
            return Err(EngineError::UnknownStream { stream: id.clone() });
        };
        // A process that states its own kind and facts (a funding decision, from its offer)
        // is routed on them: a request that says otherwise is refused, not ignored.
        if let Some(kind) = request.kind.as_ref().filter(|k| **k != opening.kind) {
            return Err(EngineError::Unwitnessed {
                stream: id.clone(),
                difference: format!(
                    "the request gives the kind `{kind}`; the process states `{}`",
                    opening.kind
                ),
            });
        }
        if request.facts.is_some() && request.facts != opening.facts {
            return Err(EngineError::Unwitnessed {
                stream: id.clone(),
                difference: "the request gives facts to route on that differ from those the process states of itself (a funding decision's, from its offer under the policy)".to_owned(),
            });
        }
        // The route, and the map that gave it: the escalated process's, the one this
        // decides for, or the map in force now.
        let (route, routed_by) = match escalation {
            Some(e) if e.kind != opening.kind => {
                return Err(EngineError::NotEscalated {
                    stream: id.clone(),
                    escalated: e.from.stream.clone(),
                    reason: "it is about another kind of decision",
                });
            }
            Some(e) if e.gone => {
                // In the case the escalated process was routed in, whatever facts the
                // request gives: facts that put it in another case are refused.
                let route = match (e.case, v.governance()) {
                    (Some(case), Some(governance)) => {
                        Some(governance.route_in(&opening.kind, case).map_err(|source| {
                            EngineError::Governance {
                                stream: id.clone(),
                                source,
                            }
                        })?)
                    }
                    _ => route(v, id, &opening.kind, opening.facts)?,
                };
                if let Some(route) = &route {
                    same_case(request, route, v, "the escalated process")?;
                }
                let body = route.as_ref().and_then(|r| v.community().body(&r.decider));
                if body.is_some_and(|body| !body.contains(request.actor)) {
                    return Err(EngineError::NotEscalated {
                        stream: id.clone(),
                        escalated: e.from.stream.clone(),
                        reason: "the body it went to has been dissolved since, and the member who takes it up does not sit on the body the map in force routes it to",
                    });
                }
                let map = route.as_ref().and(v.governance_hash());
                (route, map)
            }
            Some(e) => {
                if let Some(route) = &e.route {
                    same_case(request, route, v, "the escalated process")?;
                }
                (e.route.clone(), e.routed_by)
            }
            None => match &followed {
                Some(followed) => {
                    same_case(request, followed.route, v, "the process it decides for")?;
                    // A route given under an earlier map may name a body a change has
                    // dissolved since (and perhaps formed again under its id).
                    let living = self.living.read().map_err(|_| EngineError::Poisoned)?;
                    let decider = &followed.route.decider;
                    if !living
                        .history
                        .body_stood(decider, followed.since, request.now)
                    {
                        return Err(EngineError::RouteGone {
                            stream: id.clone(),
                            body: decider.clone(),
                            given: "the process it decides for",
                        });
                    }
                    (Some(followed.route.clone()), followed.map)
                }
                None => {
                    let route = route(v, id, &opening.kind, opening.facts)?;
                    let map = route.as_ref().and(v.governance_hash());
                    (route, map)
                }
            },
        };
        let witness = Witness {
            route: route.as_ref(),
            community: v.community(),
            recused,
            funding_policy: v.funding_policy(),
        };
        let resolved =
            request
                .command
                .resolve(&witness)
                .map_err(|source| EngineError::Refused {
                    stream: id.clone(),
                    source,
                })?;
        let command = resolved.as_ref().unwrap_or(&request.command);
        if let Some(route) = &route {
            command
                .follows(route)
                .map_err(|asked| EngineError::OffRoute {
                    stream: id.clone(),
                    kind: opening.kind.clone(),
                    asked,
                    given: format!("`{}` by {}", route.decider, route.procedure),
                })?;
        }
        command
            .witnessed(&witness)
            .map_err(|difference| EngineError::Unwitnessed {
                stream: id.clone(),
                difference,
            })?;
        changes_fit(request, &opening.kind, v)?;
        self.numbers_free(request)?;
        let stream = Stream::new(process, opening.kind.clone());
        let started = EngineEvent::Started {
            process,
            kind: opening.kind,
            routed_by: route.as_ref().and(routed_by),
            route: route.map(Box::new),
            decides_for: decides_for.cloned(),
            proposes: decides_for.and(request.proposes),
            escalated_from: escalation.map(|e| Box::new(e.from.clone())),
        };
        Ok((stream, started, resolved))
    }

    /// What the engine checks of a command beyond the process's own rules: that nobody
    /// copies by hand a round's result the engine records itself, nor any round's while one
    /// the engine runs for the process is running.
    pub(super) fn check(
        &self,
        id: &StreamId,
        stream: &Stream,
        command: &ProcessCommand,
        actor: MemberId,
        held: &Held<'_>,
        v: &Version,
    ) -> Result<(), EngineError> {
        // Advice a funding decision records is given by the adviser, in their own name, as
        // a member of the body consulted: the engine witnesses who gives it.
        if let ProcessCommand::Funding {
            command: FundingCommand::RecordAdvice { body, from, .. },
        } = command
        {
            let refuse = |source| EngineError::Part {
                stream: id.clone(),
                source,
            };
            if *from != actor {
                return Err(refuse(PartError::NotInOwnName {
                    actor,
                    member: *from,
                }));
            }
            if !v.community().body(body).is_some_and(|b| b.contains(*from)) {
                return Err(refuse(PartError::NotAsked { member: *from }));
            }
        }
        // What the command states about the community, witnessed against its history.
        for claim in command.claims() {
            self.witness_claim(claim, actor, v)
                .map_err(|difference| EngineError::Unwitnessed {
                    stream: id.clone(),
                    difference,
                })?;
        }
        // A decision starts in a round of its own: one the engine runs for it opens on its
        // stream after, one kept elsewhere names no stream here. A stream holding another
        // process would never bring its result here.
        if let Some(round) = started_round(command)
            && (round == id || held.get(round).is_some() || *round == crate::living::stream())
        {
            return Err(EngineError::RoundStreamTaken {
                stream: id.clone(),
                round: round.clone(),
            });
        }
        // Nor is a round's result copied in (from a round kept elsewhere, say) while a round
        // the engine runs for the process is running: the engine records that round's
        // result when it ends, and another would decide over it and its objections.
        let copied = copied_round(command);
        if copied.is_some()
            && let Some((round, _)) = held.iter().find(|(round, other)| {
                *round != id && other.decides_for() == Some(id) && !other.process().is_final()
            })
        {
            return Err(EngineError::RecordedByTheEngine {
                stream: id.clone(),
                round: round.clone(),
            });
        }
        // A round kept elsewhere is recorded by one who takes the offer's steps, and not by
        // one who declared an interest in it and has not stepped out: their word would
        // decide what binds the offer.
        if let ProcessCommand::Funding {
            command: FundingCommand::RecordConsentRound { .. },
        } = command
            && let Some(state) = FundingProcess::state_of(stream.process())
        {
            crate::funding::refuse_conflicted(state, command.label(), actor).map_err(|source| {
                EngineError::Refused {
                    stream: id.clone(),
                    source: source.into(),
                }
            })?;
        }
        // Nor once a round the engine ran for it reached a result there: what the engine
        // witnessed is not decided over on one member's word.
        if let ProcessCommand::Funding {
            command: FundingCommand::RecordConsentRound { .. },
        } = command
            && let Some(decision) =
                FundingProcess::state_of(stream.process()).and_then(|s| s.decision())
            && let Some((round, _)) = held.iter().find(|(round, other)| {
                other.decides_for() == Some(id)
                    && decision
                        .consent_rounds()
                        .iter()
                        .any(|r| r.reference == round.as_str())
            })
        {
            return Err(EngineError::HeldOnTheEngine {
                stream: id.clone(),
                round: round.clone(),
            });
        }
        // Nor, once a round for it said what it proposed (one the engine ran, or one
        // recorded on the offer), one that does not say so: every round that follows binds
        // the decision as that one did.
        let says = matches!(
            command,
            ProcessCommand::Funding {
                command: FundingCommand::RecordConsentRound {
                    proposes: Some(_),
                    ..
                },
            }
        );
        if copied.is_some()
            && !says
            && let Some(round) = held
                .iter()
                .find(|(round, other)| {
                    *round != id && other.decides_for() == Some(id) && other.proposes().is_some()
                })
                .map(|(round, _)| round.to_string())
                .or_else(|| proposed_on(stream.process()))
        {
            return Err(EngineError::ProposesRequired {
                stream: id.clone(),
                round,
            });
        }
        // A reference that names no stream is a record kept elsewhere.
        match copied.flatten() {
            Some(round) => by_hand(held, id, &round),
            None => Ok(()),
        }
    }
}

impl<J: Journal<Event = EngineEvent>> Engine<J> {
    /// Whether `claim` holds: the body is the community's now (`v`), the member was one
    /// at the time named. `Err` says what does not.
    fn witness_claim(&self, claim: Claim<'_>, actor: MemberId, v: &Version) -> Result<(), String> {
        match claim {
            Claim::Body { what, body } if v.community().body(body).is_none() => {
                Err(format!("{what}, `{body}`, is not a body of the community"))
            }
            Claim::ActorIn { what, body }
                if !v.community().body(body).is_some_and(|b| b.contains(actor)) =>
            {
                Err(format!("member {actor} {what} `{body}` but is not in it"))
            }
            Claim::MemberAt { what, member, at } => {
                let then = self
                    .community_at(at)
                    .ok_or_else(|| "the community's history could not be read".to_owned())?;
                match then.member(member) {
                    Some(_) => Ok(()),
                    None => Err(format!(
                        "{what}, member {member}, was not a member of the community at {at}"
                    )),
                }
            }
            _ => Ok(()),
        }
    }
}

/// The route the governance map of version `v` gives, when there is a map.
/// Refuses a proposal created with a change to the community that a decision of its kind
/// cannot make, as the community stands when it opens
/// ([`CommunityChange::made_by_decision`](crate::living::CommunityChange::made_by_decision));
/// checked again when it is adopted, against the community then.
fn changes_fit(request: &Request, kind: &DecisionKind, v: &Version) -> Result<(), EngineError> {
    let ProcessCommand::Proposal {
        command: ProposalCommand::Create { config },
    } = &request.command
    else {
        return Ok(());
    };
    config
        .changes
        .iter()
        .try_for_each(|change| change.made_by_decision(v.community(), kind))
        .map_err(|source| EngineError::Change {
            actor: request.actor,
            source,
        })
}

/// Refuses the facts `request` gives when they would put the decision in another case than
/// `route`, the route of `whose` that the process it opens follows: they are refused, not
/// ignored.
fn same_case(
    request: &Request,
    route: &Route,
    v: &Version,
    whose: &str,
) -> Result<(), EngineError> {
    let (Some(facts), Some(governance)) = (&request.facts, v.governance()) else {
        return Ok(());
    };
    let case = facts.case(governance.map().amount_bands());
    if case == route.case {
        return Ok(());
    }
    Err(EngineError::Unwitnessed {
        stream: request.stream.clone(),
        difference: format!(
            "the request gives facts that put the decision in another case ({case}) than the one {whose} was routed in ({}), whose route it follows",
            route.case
        ),
    })
}

fn route(
    v: &Version,
    id: &StreamId,
    kind: &DecisionKind,
    facts: Option<RouteFacts>,
) -> Result<Option<Route>, EngineError> {
    let Some(governance) = v.governance() else {
        return Ok(None);
    };
    governance
        .route(kind, facts.unwrap_or_default())
        .map(Some)
        .map_err(|source| EngineError::Governance {
            stream: id.clone(),
            source,
        })
}

/// Refuses a round's result copied by hand into stream `id` when the round runs in this
/// engine for it, which records it itself, and when its name is a stream held here for
/// anything else (or `id` itself, or the community's); a round kept elsewhere is taken on
/// the caller's word.
fn by_hand(held: &Held<'_>, id: &StreamId, round: &StreamId) -> Result<(), EngineError> {
    let taken = || EngineError::RoundStreamTaken {
        stream: id.clone(),
        round: round.clone(),
    };
    match held.get(round) {
        Some(s)
            if matches!(s.process(), ProcessState::Consent(_)) && s.decides_for() == Some(id) =>
        {
            Err(EngineError::RecordedByTheEngine {
                stream: id.clone(),
                round: round.clone(),
            })
        }
        // A round kept elsewhere takes an id no stream here has: not another process's,
        // nor the process's own, nor the community's.
        Some(_) => Err(taken()),
        None if round == id || *round == crate::living::stream() => Err(taken()),
        None => Ok(()),
    }
}
