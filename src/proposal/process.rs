//! The proposal as one of the engine's processes.

use crate::community::{Community, MemberId};
use crate::consent::DeadlineStep;
use crate::evaluation::Datum;
use crate::governance::Route;
use crate::journal::StreamId;
use crate::living::Adoption;
use crate::machine::{Context, Events};
use crate::process::{
    Answerable, Claim, Opening, Process, ProcessKind, Projection, Reached, Requested, Witness,
};
use crate::values::DecisionRecord;

use super::machine::{record_round_result, take_up_review};
use super::{
    DecisionResult, ProposalCommand, ProposalError, ProposalEvent, ProposalPhase, ProposalProcess,
    ProposalRole, ProposalState,
};

impl Process for ProposalProcess {
    const KIND: ProcessKind = ProcessKind::Proposal;

    /// Who agreed a pilot's evaluation, and whose words its evidence quotes, are the
    /// community's to say: a body it has, a member it had when the words were gathered.
    fn claims(command: &ProposalCommand) -> Vec<Claim<'_>> {
        match command {
            ProposalCommand::AgreeEvaluation { plan } => vec![Claim::Body {
                what: "the body that agreed the evaluation",
                body: &plan.agreed_by,
            }],
            ProposalCommand::GatherEvidence { evidence } => evidence
                .iter()
                .filter_map(|gathered| match &gathered.observation {
                    Datum::Words {
                        from: Some(author), ..
                    } => Some(Claim::MemberAt {
                        what: "the author of words gathered",
                        member: *author,
                        at: gathered.gathered_at,
                    }),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whoever a proposal names to hold its roles (proposers, steward, members of its team)
    /// is a member of the community.
    fn witnessed(command: &ProposalCommand, witness: &Witness<'_>) -> Result<(), String> {
        let ProposalCommand::Create { config } = command else {
            return Ok(());
        };
        let roles = &config.roles;
        let named = (roles.proposers.iter().map(|m| ("proposer", *m)))
            .chain([("steward", roles.steward)])
            .chain(roles.members.iter().map(|m| ("team member", *m)));
        for (role, member) in named {
            if witness.community.member(member).is_none() {
                return Err(format!(
                    "the proposal's {role}, member {member}, is not in the community"
                ));
            }
        }
        Ok(())
    }

    /// An adoption decides; a decline or an escalation is recorded without the gate.
    fn decides(event: &ProposalEvent) -> bool {
        matches!(
            event,
            ProposalEvent::DecisionRecorded {
                result: DecisionResult::Adopted { .. },
                ..
            }
        )
    }

    /// A retirement, by the steward or by a reassessment round that declines to continue
    /// the agreement, ends what it adopted.
    fn revokes(event: &ProposalEvent) -> bool {
        matches!(
            event,
            ProposalEvent::Retired { .. }
                | ProposalEvent::Reassessed {
                    result: DecisionResult::Declined {},
                    ..
                }
        )
    }

    /// The changes to the community its set-up carries.
    fn adopts(state: &ProposalState) -> Adoption<'_> {
        state
            .proposal()
            .map_or_else(Adoption::default, |p| Adoption {
                changes: &p.config().changes,
                from: p.config().effective_from,
            })
    }

    /// A standing agreement (in force or piloted) waits on its review date; a scheduled
    /// pilot on its start.
    fn due(state: &ProposalState, now: jiff::Timestamp) -> Vec<crate::process::DueItem> {
        let Some(proposal) = state.proposal() else {
            return Vec::new();
        };
        if let (ProposalPhase::PilotScheduled, Some(starts), Some(review_date)) = (
            proposal.phase(),
            proposal.pilot_starts(),
            proposal.review_date(),
        ) {
            return vec![crate::process::DueItem::PilotStarting {
                starts,
                review_date,
                step: Self::lapse(state, now).map(|(step, _)| step),
            }];
        }
        match proposal.review_date() {
            Some(review_date) if ProposalPhase::REVIEWABLE.contains(&proposal.phase()) => {
                vec![crate::process::DueItem::ReviewDue {
                    review_date,
                    overdue: now >= review_date,
                }]
            }
            _ => Vec::new(),
        }
    }

    /// A pilot scheduled to start: on its start date (and not before the proposal's last
    /// event), it starts, as the steward chose when scheduling it, running for as long as
    /// it was scheduled to, counted from the start the tick journals (a tick on a later day
    /// starts it then, not in the past).
    fn lapse(
        state: &ProposalState,
        now: jiff::Timestamp,
    ) -> Option<(DeadlineStep, Events<ProposalEvent>)> {
        let proposal = state.proposal()?;
        let starts = proposal.pilot_starts()?;
        let ends = proposal.review_date()?;
        if proposal.phase() != ProposalPhase::PilotScheduled
            || now < starts
            || now < proposal.last_at()
        {
            return None;
        }
        // Started late (no tick ran on its day), it still runs for as long as it was
        // scheduled to: its end, and its review, are counted from the start the journal
        // holds.
        let ends = now
            .checked_add(ends.duration_since(starts))
            .unwrap_or(ends)
            .max(ends);
        Some((
            DeadlineStep::StartPilot,
            Events::one(ProposalEvent::PilotStarted {
                ends,
                by: crate::engine::ENGINE_ACTOR,
                at: now,
            }),
        ))
    }

    /// The body a deciding round escalated the proposal to.
    fn escalated_to(state: &ProposalState) -> Option<(crate::community::BodyId, jiff::Timestamp)> {
        match state.proposal()?.ending()? {
            crate::proposal::ProposalEnding::Decided {
                result: DecisionResult::Escalated { to },
                at,
                ..
            } => Some((to.clone(), *at)),
            _ => None,
        }
    }

    /// The round that adopted the proposal, or the one deciding it now, or the one whose
    /// result ended it (declined, withdrawn, escalated: its objections stay in the record).
    fn cites(state: &ProposalState) -> Option<StreamId> {
        let proposal = state.proposal()?;
        proposal
            .adopting_round()
            .map(|(round, _)| round.clone())
            .or_else(|| proposal.current_round().map(|r| r.round.clone()))
            .or_else(|| match proposal.ending()? {
                crate::proposal::ProposalEnding::Decided { round, .. } => Some(round.clone()),
                _ => None,
            })
    }

    /// The proposal's record builds on the record of the round it cites.
    fn record(
        state: &ProposalState,
        projection: &Projection<'_>,
        cited: Option<DecisionRecord>,
    ) -> Option<DecisionRecord> {
        Some(state.proposal()?.record(cited, projection.now))
    }

    const DECIDED_BY_ROUNDS: bool = true;

    const BROUGHT_BY: &'static str = "one of the proposal's proposers, its steward, or a member of the body its route gives the decision, who has not stepped out of it";

    /// Its steward and proposers record evidence; its steward overrides, when they sit on
    /// the body the route gives the decision (whoever creates a proposal names its steward,
    /// and naming oneself does not give standing to set the community's values aside);
    /// without a route, the steward.
    fn answerable(
        state: &ProposalState,
        route: Option<&Route>,
        community: &Community,
    ) -> Answerable {
        let Some(proposal) = state.proposal() else {
            return Answerable::default();
        };
        let roles = &proposal.config().roles;
        let mut attest = roles.proposers.clone();
        attest.insert(roles.steward);
        let seated = route.is_none_or(|route| {
            community
                .body(&route.decider)
                .is_some_and(|body| body.contains(roles.steward))
        });
        Answerable {
            attest,
            overrule: if seated {
                [roles.steward].into()
            } else {
                Default::default()
            },
        }
    }

    /// What its round reached, recorded as the proposal's decision: everything but consent,
    /// which waits for the round's adoption.
    /// A round decides for the proposal once its steward has started a decision (or a
    /// review's reassessment) naming that round, and while it runs: not before, so nobody's
    /// consent is counted for a text they were not given.
    fn takes_round(state: &ProposalState, round: &StreamId) -> Result<(), String> {
        let Some(proposal) = state.proposal() else {
            return Err("it has not been created".to_owned());
        };
        match proposal.current_round() {
            Some(running) if running.round == *round => Ok(()),
            Some(running) => Err(format!(
                "its steward started its decision in round `{}`",
                running.round
            )),
            None => Err(format!(
                "its steward has not started a decision in this round (it is in phase `{}`)",
                crate::machine::Phase::label(proposal.phase())
            )),
        }
    }

    /// A round withdrawn in the proposal's first decision withdraws the proposal: only its
    /// proposers withdraw it, while one of them is in the community (once they have all
    /// left, the round's own rules say who withdraws it). Under review, a withdrawn round
    /// leaves the review open.
    fn withdrawn_by(
        state: &ProposalState,
        actor: MemberId,
        community: &Community,
    ) -> Result<(), &'static str> {
        match state.proposal() {
            Some(p)
                if p.phase() == ProposalPhase::InDecision
                    && !p.holds(actor, ProposalRole::Proposer)
                    && p.config()
                        .roles
                        .proposers
                        .iter()
                        .any(|m| community.member(*m).is_some()) =>
            {
                Err("the proposal's proposers")
            }
            _ => Ok(()),
        }
    }

    fn take_reached(
        state: &ProposalState,
        from: &StreamId,
        reached: &Reached,
        _proposes: Option<crate::funding::RoundProposes>,
        ctx: &Context,
    ) -> Option<Result<Events<ProposalEvent>, ProposalError>> {
        let result = match reached {
            Reached::Consented => return None,
            Reached::Adopted { review_date } => DecisionResult::Adopted {
                review_date: *review_date,
            },
            Reached::Declined => DecisionResult::Declined {},
            Reached::Withdrawn => DecisionResult::Withdrawn {},
            Reached::Deferred => DecisionResult::Deferred {},
            Reached::Escalated { to } => DecisionResult::Escalated { to: to.clone() },
        };
        Some(record_round_result(state, from, result, ctx))
    }

    /// Under a review its reassessment round escalated, the round that takes the matter up
    /// in the body it went to reassesses the agreement here: it runs as the review's round,
    /// and what it reaches continues or retires the agreement.
    fn take_up(
        state: &ProposalState,
        round: &StreamId,
        ctx: &Context,
    ) -> Option<Result<Events<ProposalEvent>, ProposalError>> {
        state.proposal()?.open_review()?.escalated()?;
        Some(take_up_review(state, round, ctx))
    }

    /// A proposal names its own kind; governance routes it on the request's facts.
    fn opening(command: &ProposalCommand, requested: &Requested<'_>) -> Option<Option<Opening>> {
        match command {
            ProposalCommand::Create { config } => Some(Some(Opening {
                kind: config.kind.clone(),
                facts: requested.facts.cloned(),
            })),
            _ => None,
        }
    }
}
