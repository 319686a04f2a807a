//! The typestate façade: `Funding<Phase>` offers only the steps its phase allows, so an
//! illegal step does not compile.
//!
//! It holds the runtime [`FundingState`] and runs every command through the `decide` and
//! `evolve` of [`FundingProcess`]: the rules live there alone. Where the next phase depends
//! on data (screening, reviewing), a method returns an enum of typed decisions. The decided
//! transitions that accept an offer take a [`GatePassed`] proof. A refused step gives the
//! decision back, unchanged, inside [`Refused`].

use jiff::Timestamp;

use crate::community::{BodyId, MemberId};
use crate::machine::{Context, typestate};
use crate::values::{FundingCondition, GatePassed};

use super::{
    AdviceId, Check, FundingCommand, FundingDecision, FundingError, FundingEvent, FundingOutcome,
    FundingPhase, FundingPolicy, FundingProcess, FundingState, Offer,
};

mod any;

pub use any::{Reviewed, Screened};

/// A phase an offer can still be withdrawn from.
pub trait OpenPhase: FundingPhaseMarker {}

/// A phase in which checks are completed and interests declared.
///
/// # Example
///
/// A step an app writes once for every such phase:
///
/// ```
/// use coproduction::funding::{Check, DiligencePhase, Funding, Refused};
/// use coproduction::machine::Context;
///
/// fn sanctions_checked<P: DiligencePhase>(
///     funding: Funding<P>,
///     ctx: Context<'_>,
/// ) -> Result<Funding<P>, Refused<Funding<P>>> {
///     funding.complete_check(ctx, Check::LegalAndSanctions, "Not on the sanctions lists")
/// }
/// ```
pub trait DiligencePhase: FundingPhaseMarker {}

typestate! {
    decider: FundingProcess,
    state: FundingState,
    event: FundingEvent,
    command: FundingCommand,
    error: FundingError,
    phase: FundingPhase,
    noun: "decision",
    not_started: NotIdentified,
    first: Identified,
    /// A compile-time phase of a [`Funding`] decision, naming its runtime twin.
    ///
    /// Sealed: the phases are the crate's.
    marker: FundingPhaseMarker,
    /// A funding decision in the phase `P`.
    wrapper: Funding,
    /// A refused step: the error, and the decision as it was.
    refused: Refused {
        /// The decision, unchanged.
        funding
    },
    /// A decision in whichever phase its state is in: the bridge from the runtime state (for
    /// example after a replay) back to the typed API.
    any: AnyFunding,
    phases: [
        /// Identified.
        Identified, OpenPhase;
        /// Screening.
        Screening, OpenPhase;
        /// Triaged.
        Triaged, OpenPhase;
        /// Due diligence.
        DueDiligence, OpenPhase, DiligencePhase;
        /// Consultation.
        Consultation, OpenPhase, DiligencePhase;
        /// Deciding.
        Deciding, OpenPhase;
        /// Accepted.
        Accepted;
        /// Accepted with conditions.
        AcceptedWithConditions;
        /// Declined.
        Declined;
        /// Deferred.
        Deferred;
        /// Escalated.
        Escalated;
        /// Published.
        Published;
        /// Monitoring.
        Monitoring;
        /// Under review.
        UnderReview;
        /// Renewed.
        Renewed;
        /// Ended.
        Ended;
        /// Withdrawn.
        Withdrawn;
    ],
}

impl<P> Funding<P> {
    /// The decision's data. Every typed decision has been identified, so this is always
    /// `Some`.
    pub fn decision(&self) -> Option<&FundingDecision> {
        self.state.decision()
    }

    /// A step whose next phase depends on data.
    fn branch(
        self,
        command: FundingCommand,
        ctx: Context<'_>,
    ) -> Result<AnyFunding, Refused<Self>> {
        let (state, events) = self.apply(command, ctx)?;
        Ok(AnyFunding::with_events(state, events))
    }
}

impl Funding<Identified> {
    /// Identifies an offer under `policy`.
    ///
    /// # Errors
    ///
    /// [`FundingError::InvalidPolicy`] or [`FundingError::InvalidOffer`] naming the field.
    pub fn identify(
        offer: Offer,
        policy: FundingPolicy,
        ctx: Context<'_>,
    ) -> Result<Self, FundingError> {
        let command = FundingCommand::Identify {
            offer: Box::new(offer),
            policy: Box::new(policy),
        };
        Self::start(command, ctx)
    }

    /// Starts the red-line screen.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `StartScreening`.
    pub fn start_screening(self, ctx: Context<'_>) -> Result<Funding<Screening>, Refused<Self>> {
        self.step(FundingCommand::StartScreening {}, ctx)
    }
}

impl Funding<Screening> {
    /// Screens and triages the offer along the route in `ctx`
    /// ([`Context::with_route`](crate::machine::Context::with_route)), which governance gives
    /// for the offer's [`route_facts`](super::route_facts).
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `Screen`: no route, or a route for another kind,
    /// tier or red-line verdict.
    pub fn screen(self, ctx: Context<'_>) -> Result<Screened, Refused<Self>> {
        let any = self.branch(FundingCommand::Screen {}, ctx)?;
        Ok(match any {
            AnyFunding::Declined(f) => Screened::Declined(f),
            other => {
                let (state, events) = other.into_parts();
                Screened::Triaged(Funding::new(state, events))
            }
        })
    }
}

impl Funding<Triaged> {
    /// Starts due diligence with the tier's checklist.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `StartDueDiligence`.
    pub fn start_due_diligence(
        self,
        ctx: Context<'_>,
    ) -> Result<Funding<DueDiligence>, Refused<Self>> {
        self.step(FundingCommand::StartDueDiligence {}, ctx)
    }
}

impl<P: DiligencePhase> Funding<P> {
    /// The actor completes a check, with the evidence.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `CompleteCheck`.
    pub fn complete_check(
        self,
        ctx: Context<'_>,
        check: Check,
        evidence: impl Into<String>,
    ) -> Result<Self, Refused<Self>> {
        self.step(
            FundingCommand::CompleteCheck {
                check,
                evidence: evidence.into(),
            },
            ctx,
        )
    }

    /// The actor declares their interests (`None`: none), stepping out if `recused`.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `DeclareInterest`.
    pub fn declare_interest(
        self,
        ctx: Context<'_>,
        interest: Option<String>,
        recused: bool,
    ) -> Result<Self, Refused<Self>> {
        self.step(FundingCommand::DeclareInterest { interest, recused }, ctx)
    }
}

impl Funding<DueDiligence> {
    /// Starts consultation along the route.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `StartConsultation`.
    pub fn start_consultation(
        self,
        ctx: Context<'_>,
    ) -> Result<Funding<Consultation>, Refused<Self>> {
        self.step(FundingCommand::StartConsultation {}, ctx)
    }
}

impl Funding<Consultation> {
    /// Records advice from a body the route consults.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `RecordAdvice`.
    pub fn record_advice(
        self,
        ctx: Context<'_>,
        body: BodyId,
        from: MemberId,
        advice: impl Into<String>,
    ) -> Result<Self, Refused<Self>> {
        self.step(
            FundingCommand::RecordAdvice {
                body,
                from,
                advice: advice.into(),
            },
            ctx,
        )
    }

    /// Answers a piece of advice.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `AnswerAdvice`.
    pub fn answer_advice(
        self,
        ctx: Context<'_>,
        advice: AdviceId,
        answer: impl Into<String>,
    ) -> Result<Self, Refused<Self>> {
        self.step(
            FundingCommand::AnswerAdvice {
                advice,
                answer: answer.into(),
            },
            ctx,
        )
    }

    /// Opens a comment window for a body the route consults.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `OpenCommentWindow`.
    pub fn open_comment_window(
        self,
        ctx: Context<'_>,
        body: BodyId,
    ) -> Result<Self, Refused<Self>> {
        self.step(FundingCommand::OpenCommentWindow { body }, ctx)
    }

    /// The actor comments in a body's open window.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `Comment`.
    pub fn comment(
        self,
        ctx: Context<'_>,
        body: BodyId,
        text: impl Into<String>,
    ) -> Result<Self, Refused<Self>> {
        self.step(
            FundingCommand::Comment {
                body,
                text: text.into(),
            },
            ctx,
        )
    }

    /// Records a co-creation session held with a body.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `RecordSession`.
    pub fn record_session(
        self,
        ctx: Context<'_>,
        body: BodyId,
        reference: impl Into<String>,
    ) -> Result<Self, Refused<Self>> {
        self.step(
            FundingCommand::RecordSession {
                body,
                reference: reference.into(),
            },
            ctx,
        )
    }

    /// Records the consent round held in the deciding body.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `RecordConsentRound`.
    pub fn record_consent_round(
        self,
        ctx: Context<'_>,
        reference: impl Into<String>,
        consented: bool,
    ) -> Result<Self, Refused<Self>> {
        self.step(
            FundingCommand::RecordConsentRound {
                reference: reference.into(),
                consented,
            },
            ctx,
        )
    }

    /// Moves to deciding.
    ///
    /// # Errors
    ///
    /// [`FundingError::MissingChecks`] or [`FundingError::ConsultationIncomplete`].
    pub fn start_deciding(self, ctx: Context<'_>) -> Result<Funding<Deciding>, Refused<Self>> {
        self.step(FundingCommand::StartDeciding {}, ctx)
    }
}

impl Funding<Deciding> {
    fn decide_with<Q>(
        self,
        ctx: Context<'_>,
        outcome: FundingOutcome,
        deciders: Vec<MemberId>,
        rationale: String,
    ) -> Result<Funding<Q>, Refused<Self>> {
        self.step(
            FundingCommand::Decide {
                outcome,
                deciders,
                rationale,
            },
            ctx,
        )
    }

    /// Accepts the offer as made. Takes the proof that the decision passed the value gate:
    /// project it with [`FundingDecision::record_proposed`], name the record as this
    /// decision's ([`Funding::name_record`]) and pass it to
    /// [`Charter::gate`](crate::values::Charter::gate).
    ///
    /// # Errors
    ///
    /// [`FundingError::ProofNotForThis`] when the proof's record was not named as this
    /// decision's, as it stands; otherwise as
    /// [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for
    /// `Decide`: another route, a missing check or consultation, an undeclared or recused
    /// decider, no consent.
    pub fn accept(
        self,
        ctx: Context<'_>,
        deciders: Vec<MemberId>,
        rationale: impl Into<String>,
        gate: &GatePassed,
    ) -> Result<Funding<Accepted>, Refused<Self>> {
        self.proven(gate)?
            .decide_with(ctx, FundingOutcome::Accept {}, deciders, rationale.into())
    }

    /// Accepts the offer with the community's own conditions. Takes the gate's proof.
    ///
    /// # Errors
    ///
    /// As [`Funding::accept`], and [`FundingError::NoConditions`] or
    /// [`FundingError::RestrictiveConditionBelowTierTwo`].
    pub fn accept_with_conditions(
        self,
        ctx: Context<'_>,
        conditions: Vec<FundingCondition>,
        deciders: Vec<MemberId>,
        rationale: impl Into<String>,
        gate: &GatePassed,
    ) -> Result<Funding<AcceptedWithConditions>, Refused<Self>> {
        self.proven(gate)?.decide_with(
            ctx,
            FundingOutcome::AcceptWithConditions { conditions },
            deciders,
            rationale.into(),
        )
    }

    /// Declines the offer.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `Decide`.
    pub fn decline(
        self,
        ctx: Context<'_>,
        deciders: Vec<MemberId>,
        rationale: impl Into<String>,
    ) -> Result<Funding<Declined>, Refused<Self>> {
        self.decide_with(ctx, FundingOutcome::Decline {}, deciders, rationale.into())
    }

    /// Defers the decision.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `Decide`.
    pub fn defer(
        self,
        ctx: Context<'_>,
        deciders: Vec<MemberId>,
        rationale: impl Into<String>,
    ) -> Result<Funding<Deferred>, Refused<Self>> {
        self.decide_with(ctx, FundingOutcome::Defer {}, deciders, rationale.into())
    }

    /// Escalates the decision to `to` (an institution's committee).
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `Decide`.
    pub fn escalate(
        self,
        ctx: Context<'_>,
        to: BodyId,
        deciders: Vec<MemberId>,
        rationale: impl Into<String>,
    ) -> Result<Funding<Escalated>, Refused<Self>> {
        self.decide_with(
            ctx,
            FundingOutcome::Escalate { to },
            deciders,
            rationale.into(),
        )
    }
}

/// An accepted decision, awaiting its register entry.
pub trait AcceptedPhase: FundingPhaseMarker {}
impl AcceptedPhase for Accepted {}
impl AcceptedPhase for AcceptedWithConditions {}

impl<P: AcceptedPhase> Funding<P> {
    /// Publishes the register entry (funder, amount band, conditions, route, rationale).
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `Publish`.
    pub fn publish(
        self,
        ctx: Context<'_>,
        withheld_reason: Option<String>,
    ) -> Result<Funding<Published>, Refused<Self>> {
        self.step(FundingCommand::Publish { withheld_reason }, ctx)
    }
}

impl Funding<Published> {
    /// Starts monitoring the conditions until `review_date`.
    ///
    /// # Errors
    ///
    /// [`FundingError::ReviewDateNotAhead`].
    pub fn start_monitoring(
        self,
        ctx: Context<'_>,
        review_date: Timestamp,
    ) -> Result<Funding<Monitoring>, Refused<Self>> {
        self.step(FundingCommand::StartMonitoring { review_date }, ctx)
    }
}

impl Funding<Monitoring> {
    /// Starts the review.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `StartReview`.
    pub fn start_review(
        self,
        ctx: Context<'_>,
        reason: impl Into<String>,
    ) -> Result<Funding<UnderReview>, Refused<Self>> {
        self.step(
            FundingCommand::StartReview {
                reason: reason.into(),
            },
            ctx,
        )
    }
}

impl Funding<UnderReview> {
    /// Concludes the review: renew, or end.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `Review`.
    pub fn review(
        self,
        ctx: Context<'_>,
        renew: bool,
        rationale: impl Into<String>,
    ) -> Result<Reviewed, Refused<Self>> {
        let any = self.branch(
            FundingCommand::Review {
                renew,
                rationale: rationale.into(),
            },
            ctx,
        )?;
        Ok(match any {
            AnyFunding::Renewed(f) => Reviewed::Renewed(f),
            other => {
                let (state, events) = other.into_parts();
                Reviewed::Ended(Funding::new(state, events))
            }
        })
    }
}

impl<P: OpenPhase> Funding<P> {
    /// Withdraws the offer before a decision.
    ///
    /// # Errors
    ///
    /// As [`Decider::decide`](crate::machine::Decider::decide) of [`FundingProcess`] for `Withdraw`.
    pub fn withdraw(
        self,
        ctx: Context<'_>,
        reason: impl Into<String>,
    ) -> Result<Funding<Withdrawn>, Refused<Self>> {
        self.step(
            FundingCommand::Withdraw {
                reason: reason.into(),
            },
            ctx,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::Community;
    use crate::decision::DecisionKind;
    use crate::governance::{Governance, GovernanceMap};

    fn route_for(offer: &Offer) -> crate::governance::Route {
        let community: Community =
            serde_json::from_str(include_str!("../../../examples/data/community.json")).unwrap();
        let map: GovernanceMap =
            serde_json::from_str(include_str!("../../../examples/data/governance.json")).unwrap();
        Governance::new(map, &community)
            .unwrap()
            .route(
                &offer.kind,
                super::super::route_facts(offer, &FundingPolicy::seed()),
            )
            .unwrap()
    }

    fn ctx(minute: i64) -> Context<'static> {
        let t: Timestamp = "2024-05-01T09:00:00Z".parse().unwrap();
        Context::new(
            MemberId::new(1),
            t.checked_add(jiff::SignedDuration::from_mins(minute))
                .unwrap(),
        )
    }

    fn triaged() -> Funding<Triaged> {
        let offer =
            Offer::new(DecisionKind::Funding, "A local trust", "Trust", "Room hire").amount(500);
        let route = route_for(&offer);
        let screening = Funding::identify(offer, FundingPolicy::seed(), ctx(0))
            .unwrap()
            .start_screening(ctx(1))
            .unwrap();
        match screening.screen(ctx(2).with_route(&route)).unwrap() {
            Screened::Triaged(f) => f,
            Screened::Declined(_) => panic!("no red line"),
        }
    }

    #[test]
    fn a_refused_step_hands_the_decision_back_unchanged() {
        let dd = triaged().start_due_diligence(ctx(3)).unwrap();
        let before = dd.state().clone();
        let events = dd.events().len();
        let refused = dd
            .complete_check(ctx(4), Check::InvolvementPractice, "Not on tier 0's list")
            .unwrap_err();
        assert_eq!(
            refused.error,
            FundingError::CheckNotOnChecklist {
                check: Check::InvolvementPractice
            }
        );
        assert_eq!(refused.funding.state(), &before);
        assert_eq!(refused.funding.events().len(), events);
    }

    #[test]
    fn a_state_is_typed_only_as_its_own_phase() {
        let state: FundingState = triaged().into();
        assert!(Funding::<Triaged>::try_from(state.clone()).is_ok());
        assert_eq!(
            Funding::<Deciding>::try_from(state.clone()).unwrap_err(),
            FundingError::WrongPhase {
                attempted: "take the decision as typed",
                phase: FundingPhase::Triaged
            }
        );
        assert!(matches!(
            AnyFunding::try_from(state).unwrap(),
            AnyFunding::Triaged(_)
        ));
        assert!(AnyFunding::try_from(FundingState::NotIdentified).is_err());
    }

    /// A tier-0 offer, checked and consulted on, ready to decide.
    fn deciding() -> Funding<Deciding> {
        let mut dd = triaged().start_due_diligence(ctx(3)).unwrap();
        for (n, check) in [
            Check::LegalAndSanctions,
            Check::Reputation,
            Check::ConflictsOfInterest,
        ]
        .into_iter()
        .enumerate()
        {
            dd = dd
                .complete_check(ctx(4 + n as i64), check, "Checked")
                .unwrap();
        }
        dd.declare_interest(ctx(7), None, false)
            .unwrap()
            .start_consultation(ctx(8))
            .unwrap()
            .record_advice(
                ctx(9),
                "associate_roles_team".parse().unwrap(),
                MemberId::new(13),
                "Book the room for the evening sessions",
            )
            .unwrap()
            .answer_advice(ctx(10), AdviceId(1), "Booked for the evenings")
            .unwrap()
            .start_deciding(ctx(11))
            .unwrap()
    }

    /// A proof from a charter with no rules, for `subject`.
    fn proof(subject: Option<crate::values::Subject>) -> GatePassed {
        let charter =
            crate::values::Charter::from_json(r#"{"values":[{"id":"human"}],"rules":[]}"#).unwrap();
        let mut record = crate::values::DecisionRecord::new(DecisionKind::Funding);
        record.subject = subject;
        charter.gate(&record).unwrap()
    }

    #[test]
    fn acceptance_takes_only_a_proof_for_this_decision_as_it_stands() {
        let mut decision = deciding();
        let deciders = vec![MemberId::new(1)];
        let accept = |d: Funding<Deciding>, gate: &GatePassed| {
            d.accept(ctx(20), deciders.clone(), "Room hire for sessions", gate)
        };
        let subject = decision.subject().unwrap();
        let other = crate::values::Subject::named("another offer");
        for wrong in [None, Some(other)] {
            let before = decision.state().clone();
            let refused = accept(decision, &proof(wrong)).unwrap_err();
            assert_eq!(
                refused.error,
                FundingError::ProofNotForThis(crate::values::ProofMismatch {
                    step: Some(subject),
                    proof: wrong,
                })
            );
            assert_eq!(refused.funding.state(), &before);
            decision = refused.funding;
        }
        let accepted = accept(decision, &proof(Some(subject))).unwrap();
        assert_eq!(accepted.phase(), FundingPhase::Accepted);
    }

    #[test]
    fn a_withdrawal_from_an_open_phase_is_final() {
        let withdrawn = triaged().withdraw(ctx(3), "The trust closed").unwrap();
        assert_eq!(withdrawn.state().phase(), FundingPhase::Withdrawn);
        let replayed = AnyFunding::replay(withdrawn.events().to_vec()).unwrap();
        assert!(matches!(replayed, AnyFunding::Withdrawn(_)));
    }
}
