//! The funding or partnership decision as one of the engine's processes.

use std::collections::BTreeSet;

use crate::community::Community;
use crate::community::MemberId;
use crate::governance::Route;
use crate::hash::Hash;
use crate::journal::StreamId;
use crate::machine::{Context, Decider, Events};
use crate::process::{
    Answerable, Claim, Opening, Process, ProcessKind, Projection, Reached, Requested, Witness,
};
use crate::values::{DecisionRecord, Participants};

use super::machine::ready_to_decide;
use super::stage::FundingStage;
use super::{
    FundingCommand, FundingError, FundingEvent, FundingPolicy, FundingProcess, FundingState,
    RoundProposes, route_facts,
};

impl Process for FundingProcess {
    const KIND: ProcessKind = ProcessKind::Funding;

    /// An acceptance (with or without conditions) decides; a decline needs no gate.
    fn decides(event: &FundingEvent) -> bool {
        matches!(event, FundingEvent::Decided { outcome, .. } if outcome.accepts())
    }

    /// A monitored arrangement waits on its review date; a consultation that holds all its
    /// route asks for (the deciding body's consent round among it, where one decides), and
    /// a decision whose deciding has started, wait on the deciding body to decide.
    fn due(state: &FundingState, now: jiff::Timestamp) -> Vec<crate::process::DueItem> {
        let Some(d) = state.decision() else {
            return Vec::new();
        };
        match &d.stage {
            FundingStage::Monitoring(_) => d
                .review_date()
                .map(|review_date| crate::process::DueItem::ReviewDue {
                    review_date,
                    overdue: now >= review_date,
                })
                .into_iter()
                .collect(),
            FundingStage::Consultation(c) | FundingStage::Deciding(c)
                if ready_to_decide(c, "decide", now).is_ok() =>
            {
                vec![crate::process::DueItem::BodyDecisionAwaited {
                    body: c.diligence.tiered.route().decider.clone(),
                    phase: d.phase(),
                    members: None,
                }]
            }
            _ => Vec::new(),
        }
    }

    /// The body the decision escalated the offer to.
    fn escalated_to(state: &FundingState) -> Option<(crate::community::BodyId, jiff::Timestamp)> {
        let decided = state.decision()?.decided()?;
        match &decided.outcome {
            super::FundingOutcome::Escalate { to } => Some((to.clone(), decided.at)),
            _ => None,
        }
    }

    /// The consent round the deciding body held, when its reference names a stream.
    fn cites(state: &FundingState) -> Option<StreamId> {
        let round = state.decision()?.consent_round()?;
        StreamId::new(&round.reference).ok()
    }

    /// The decision's own record; the consent round it cites adds what it holds (the
    /// objections and their dispositions, the absence policy). What was decided, when, why
    /// and along which route is the funding decision's to say: a round that consented has
    /// not accepted the offer. Who deliberated is the round's to say: the deciding body as
    /// the round seated it, and who was heard there, each with what they declared on the
    /// offer; a member of the body who stepped out of the offer, and so was not seated, is
    /// listed too.
    fn record(
        state: &FundingState,
        projection: &Projection<'_>,
        cited: Option<DecisionRecord>,
    ) -> Option<DecisionRecord> {
        let decision = state.decision()?;
        let mut record = decision.record(projection.community, projection.now);
        if let Some(mut round) = cited {
            if let Some(body) = round.body.take() {
                record.body = Some(body);
            }
            if let Some(heard) = round.participants.take() {
                let own = record
                    .participants
                    .take()
                    .map(Participants::into_vec)
                    .unwrap_or_default();
                let mut merged = heard.into_vec();
                for p in &mut merged {
                    let declared = decision.conflict_of(p.member).or(p.conflict.take());
                    p.conflict = declared.map(|c| c.as_taken(p.has_responded()));
                    let interest = decision.declarations().get(&p.member);
                    p.interest = interest
                        .and_then(|d| d.interest.clone())
                        .or(p.interest.take());
                }
                // Those not seated: who stepped out of the offer, decided or not yet.
                let mut listed: BTreeSet<MemberId> = merged.iter().map(|p| p.member).collect();
                merged.extend(own.into_iter().filter(|o| listed.insert(o.member)));
                let community = projection.community;
                let declared: Vec<MemberId> = decision.declared_on_body(community).collect();
                for m in declared {
                    if listed.insert(m) {
                        merged.push(decision.participant(m, community));
                    }
                }
                merged.sort_by_key(|p| p.member);
                record.participants = Some(merged.into_iter().collect());
            }
            round.outcome = None;
            round.dates.decided_at = None;
            round.rationale = None;
            round.route_taken = None;
            record.supplement(round);
        }
        Some(record)
    }

    const DECIDED_BY_ROUNDS: bool = true;

    const BROUGHT_BY: &'static str =
        "a member of the body its route gives the decision, who has not stepped out of it";

    /// The round's consent is recorded in the offer when the round closes; the deciding
    /// body then decides the offer (`decide`).
    const TAKES_CONSENT: bool = true;

    /// Every step that moves the decision on is its deciders' (the body the route gives,
    /// less those who stepped out): starting and taking the screen, starting due diligence
    /// and consultation, answering advice, opening a comment window, recording a session or
    /// a round, deciding, publishing, monitoring, the review, a withdrawal. Open to any member, each recorded as theirs: bringing an offer, a
    /// due-diligence check (the staff who do them need not decide), declaring one's own
    /// interests, advice (from a member of a body consulted, in their own name) and a
    /// comment (from a member of the body whose window is open).
    fn taken_by(command: &FundingCommand) -> Option<&'static str> {
        match command {
            FundingCommand::Identify { .. }
            | FundingCommand::CompleteCheck { .. }
            | FundingCommand::DeclareInterest { .. }
            | FundingCommand::RecordAdvice { .. }
            | FundingCommand::Comment { .. } => None,
            _ => Some("decider"),
        }
    }

    /// A comment in a body's window is that body's view: its author is in the body.
    fn claims(command: &FundingCommand) -> Vec<Claim<'_>> {
        match command {
            FundingCommand::Comment { body, .. } => vec![Claim::ActorIn {
                what: "comments in the window of",
                body,
            }],
            _ => Vec::new(),
        }
    }

    /// The deciders a decision names: the engine takes them only from the deciding body.
    fn deciders(command: &FundingCommand) -> &[MemberId] {
        match command {
            FundingCommand::Decide { deciders, .. } => deciders,
            _ => &[],
        }
    }

    /// The members of the body the route gives the decision to record evidence and
    /// override, having not stepped out of it.
    fn answerable(
        state: &FundingState,
        route: Option<&Route>,
        community: &Community,
    ) -> Answerable {
        let recused = Self::recused(state);
        let members: BTreeSet<MemberId> = route
            .and_then(|r| community.body(&r.decider))
            .map(|b| b.members().filter(|m| !recused.contains(m)).collect())
            .unwrap_or_default();
        Answerable {
            attest: members.clone(),
            overrule: members,
        }
    }

    /// In consultation, a member who declared an interest and has not stepped out starts
    /// no deciding (the machine refuses them as conflicted); once deciding, they may still
    /// decide, and the record says they took part.
    fn held_back(state: &FundingState, member: MemberId) -> bool {
        FundingProcess::phase(state) == super::FundingPhase::Consultation
            && super::machine::conflicted(state, member)
    }

    /// An offer's interests are declared through its own `declare_interest`, which its
    /// rules read (who may start deciding, who may decide, who a round seats).
    fn declares_interests() -> Option<&'static str> {
        Some("declare_interest")
    }

    /// Those who declared an interest and stepped out: a round deciding the offer seats none
    /// of them.
    fn recused(state: &FundingState) -> BTreeSet<MemberId> {
        state.decision().map_or_else(BTreeSet::new, |d| {
            d.declarations()
                .iter()
                .filter(|(_, x)| x.recused)
                .map(|(m, _)| *m)
                .collect()
        })
    }

    /// A round decides for the offer while it is in consultation, where its result is
    /// recorded: once everyone's interests are declared, and before the decision is taken.
    fn takes_round(state: &FundingState, round: &StreamId) -> Result<(), String> {
        let _ = round;
        match FundingProcess::phase(state) {
            super::FundingPhase::Consultation => {}
            phase => {
                return Err(format!(
                    "it takes a round's result in consultation, and is in phase `{}`",
                    crate::machine::Phase::label(phase)
                ));
            }
        }
        // One round's consent decides it: a later round's objections would go unheard.
        match state.decision().and_then(|d| d.consent_round()) {
            Some(held) if held.consented => Err(format!(
                "round `{}` already consented to it",
                crate::limits::quote(&held.reference)
            )),
            _ => Ok(()),
        }
    }

    /// The deciding body's round, recorded in consultation: whether it consented to its
    /// proposal (which may be to decline), and what it proposed, where its opening said:
    /// the decision then takes what it reached on that.
    /// Its adoption adds nothing: the offer is decided by the funding decision itself. A
    /// round that escalated the matter escalates the offer's decision with it, to the same
    /// body: the offer ends escalated, and publishes that as any decision it took. A round
    /// withdrawn or deferred reached nothing, and holds no round for the offer: it waits
    /// for one that does.
    fn take_reached(
        state: &FundingState,
        from: &StreamId,
        reached: &Reached,
        proposes: Option<RoundProposes>,
        ctx: &Context,
    ) -> Option<Result<Events<FundingEvent>, FundingError>> {
        let consented = match reached {
            Reached::Consented => true,
            Reached::Adopted { .. } => return None,
            // An offer that has ended (withdrawn while its round ran) takes nothing more:
            // the round may still end without consent, and nothing is recorded here.
            _ if FundingProcess::TRANSITIONS
                .finals
                .contains(&FundingProcess::phase(state)) =>
            {
                return None;
            }
            Reached::Withdrawn | Reached::Deferred => return None,
            Reached::Escalated { to } => {
                return Some(super::machine::escalated_by_round(
                    state,
                    from.as_str(),
                    proposes,
                    to,
                    ctx,
                ));
            }
            _ => false,
        };
        let command = FundingCommand::RecordConsentRound {
            reference: from.to_string(),
            consented,
            proposes,
        };
        Some(FundingProcess::decide(state, &command, ctx))
    }

    /// The policy the offer was identified under.
    fn funding_policy(state: &FundingState) -> Option<&FundingPolicy> {
        state.decision().map(|d| d.policy())
    }

    /// An offer identified with no policy stated takes the funding policy in force.
    fn resolve(
        command: &FundingCommand,
        witness: &Witness<'_>,
    ) -> Result<Option<FundingCommand>, FundingError> {
        match command {
            FundingCommand::Identify {
                offer,
                policy: None,
            } => {
                let policy = witness.funding_policy.ok_or(FundingError::NoPolicy)?;
                Ok(Some(FundingCommand::Identify {
                    offer: offer.clone(),
                    policy: Some(Box::new(policy.clone())),
                }))
            }
            _ => Ok(None),
        }
    }

    /// The funding policy is the community's: where its journal keeps one, an offer is
    /// identified under the policy in force and no other.
    fn witnessed(command: &FundingCommand, witness: &Witness<'_>) -> Result<(), String> {
        match (command, witness.funding_policy) {
            (
                FundingCommand::Identify {
                    policy: Some(stated),
                    ..
                },
                Some(in_force),
            ) if **stated != *in_force => Err(format!(
                "the funding policy stated ({}) is not the one in force ({})",
                short(Hash::of_json(stated)),
                short(Hash::of_json(in_force)),
            )),
            _ => Ok(()),
        }
    }

    /// An offer is routed on its own facts, whatever the request says: the amount, the
    /// risks' tier, the red-line screen, by the policy it states or else the one in force.
    fn opening(command: &FundingCommand, requested: &Requested<'_>) -> Option<Option<Opening>> {
        match command {
            FundingCommand::Identify { offer, policy } => Some(Some(Opening {
                kind: offer.kind.clone(),
                facts: policy
                    .as_deref()
                    .or(requested.in_force.funding_policy())
                    .map(|policy| route_facts(offer, policy)),
            })),
            _ => None,
        }
    }
}

/// The first 12 hex digits of a hash, to name a document in a message.
fn short(hash: Hash) -> String {
    hash.to_string().chars().take(12).collect()
}
