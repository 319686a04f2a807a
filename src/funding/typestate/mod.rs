//! The typestate façade: `Funding<Phase>` offers only the steps its phase allows, so an
//! illegal step does not compile.
//!
//! It holds the runtime [`FundingDecision`] and runs every command through the `decide` and
//! `evolve` of [`FundingProcess`]: the rules live there alone. The façade is one step table
//! (below): each phase's steps, the command each sends, and where it lands. Where the next
//! phase depends on data (screening, reviewing), a step lands in an enum of typed decisions.
//! A step that lands anywhere its row does not name is refused with
//! [`FundingError::PhaseMismatch`]; a refused step gives the decision back, unchanged,
//! inside [`FundingRefused`]. The decided steps that accept an offer take a
//! [`GatePassed`](crate::values::GatePassed) proof by value and keep it with the accepted
//! decision ([`Funding::proof`]).

use jiff::Timestamp;

use crate::community::{BodyId, MemberId};
use crate::machine::{Context, previews, typestate};
use crate::values::{FundingCondition, SetAside};

use super::{
    AdviceId, Check, FundingCommand, FundingDecision, FundingError, FundingEvent, FundingOutcome,
    FundingPolicy, FundingProcess, FundingState, Offer, RoundProposes,
};

typestate! {
    decider: FundingProcess,
    state: FundingState,
    started: Identified,
    data: decision: FundingDecision,
    event: FundingEvent,
    command: FundingCommand,
    error: FundingError,
    /// The phases of a funding or partnership decision.
    phase: pub enum FundingPhase {
        /// Before the offer is identified.
        NotIdentified,
        /// The offer is identified.
        Identified,
        /// The red-line screen is running.
        Screening,
        /// Screened clear and given a tier and its governance route.
        Triaged,
        /// Due-diligence checks are being completed.
        DueDiligence,
        /// Consultation along the route.
        Consultation,
        /// The deciders are deciding.
        Deciding,
        /// Accepted.
        Accepted,
        /// Accepted with conditions.
        AcceptedWithConditions,
        /// Declined: by decision, or automatically at a red line (reason published).
        Declined,
        /// Deferred.
        Deferred,
        /// Escalated to another body (an institution's committee).
        Escalated,
        /// The register entry is published.
        Published,
        /// Conditions are monitored until the review date.
        Monitoring,
        /// Under review.
        UnderReview,
        /// Renewed after review.
        Renewed,
        /// Ended after review.
        Ended,
        /// Withdrawn before a decision.
        Withdrawn,
    },
    noun: "decision",
    /// A compile-time phase of a [`Funding`] decision, naming its runtime twin.
    ///
    /// Sealed: the phases are the crate's.
    marker: FundingPhaseMarker,
    /// A funding decision in the phase `P`.
    wrapper: Funding,
    /// A refused step: the error, and the decision as it was.
    refused: FundingRefused {
        /// The decision, unchanged.
        funding
    },
    /// A decision in whichever phase its state is in: the bridge from the runtime state (for
    /// example after a replay) back to the typed API.
    any: AnyFunding,
    branches: [
        /// What screening led to.
        Screened {
            /// The screen passed: triaged into a tier.
            Triaged,
            /// A red line: declined automatically, the reason published.
            Declined,
        },
        /// What a review concluded.
        Reviewed {
            /// Renewed.
            Renewed,
            /// Ended.
            Ended,
        },
    ],
    steps: [
        Identified {
            /// Starts the red-line screen.
            fn start_screening(ctx) -> Funding<Screening> = FundingCommand::StartScreening {};
        }
        Screening {
            /// Screens and triages the offer along the route in `ctx`
            /// ([`Context::with_route`](crate::machine::Context::with_route)), which
            /// governance gives for the offer's [`route_facts`](super::route_facts) (refused
            /// with no route, or a route for another kind, tier or red-line verdict).
            fn screen(ctx) -> Screened = FundingCommand::Screen {};
        }
        Triaged {
            /// Starts due diligence with the tier's checklist.
            fn start_due_diligence(ctx) -> Funding<DueDiligence> = FundingCommand::StartDueDiligence {};
        }
        DueDiligence {
            /// Starts consultation along the route.
            fn start_consultation(ctx) -> Funding<Consultation> = FundingCommand::StartConsultation {};
        }
        Consultation {
            /// Records advice from a body the route consults.
            fn record_advice(ctx, body: BodyId, from: MemberId, advice: impl Into<String> => advice.into())
                -> Funding<Consultation> = FundingCommand::RecordAdvice { body, from, advice };
            /// Answers a piece of advice.
            fn answer_advice(ctx, advice: AdviceId, answer: impl Into<String> => answer.into())
                -> Funding<Consultation> = FundingCommand::AnswerAdvice { advice, answer };
            /// Opens a comment window for a body the route consults.
            fn open_comment_window(ctx, body: BodyId)
                -> Funding<Consultation> = FundingCommand::OpenCommentWindow { body };
            /// The actor comments in a body's open window.
            fn comment(ctx, body: BodyId, text: impl Into<String> => text.into())
                -> Funding<Consultation> = FundingCommand::Comment { body, text };
            /// Records a co-creation session held with a body.
            fn record_session(ctx, body: BodyId, reference: impl Into<String> => reference.into())
                -> Funding<Consultation> = FundingCommand::RecordSession { body, reference };
            /// Records the consent round held in the deciding body.
            /// `proposes` says what it proposed for the offer, where it said: the decision then
            /// takes what it reached on that.
            fn record_consent_round(ctx, reference: impl Into<String> => reference.into(), consented: bool, proposes: Option<RoundProposes>)
                -> Funding<Consultation> = FundingCommand::RecordConsentRound { reference, consented, proposes };
            /// Moves to deciding (refused, notably, with [`FundingError::MissingChecks`] or
            /// [`FundingError::ConsultationIncomplete`]).
            fn start_deciding(ctx) -> Funding<Deciding> = FundingCommand::StartDeciding {};
        }
        Deciding {
            /// Accepts the offer as made: refused along another route, with a check or the
            /// consultation missing, an undeclared or recused decider, or no consent.
            ///
            /// Acceptance is a decided state, so it takes the proof that the value gate
            /// passed, by value: project the decision with
            /// [`FundingDecision::record_proposed`], name the record as this decision's
            /// ([`Funding::name_record`]) and pass it to
            /// [`Charter::gate`](crate::values::Charter::gate). The accepted decision keeps
            /// the proof ([`Funding::proof`]).
            fn accept(ctx, deciders: Vec<MemberId>, rationale: impl Into<String> => rationale.into(); proof)
                -> Funding<Accepted> = FundingCommand::Decide {
                    outcome: FundingOutcome::Accept {},
                    deciders,
                    rationale,
                };
            /// Accepts the offer with the community's own conditions, setting aside those of
            /// the offer's it does not accept (each named by its words, with why), as
            /// [`Funding::accept`] (refused too with [`FundingError::NoConditions`],
            /// [`FundingError::NotAnOfferCondition`] or
            /// [`FundingError::RestrictiveConditionBelowTierTwo`]).
            fn accept_with_conditions(
                ctx,
                conditions: Vec<FundingCondition>,
                set_aside: Vec<SetAside>,
                deciders: Vec<MemberId>,
                rationale: impl Into<String> => rationale.into();
                proof
            ) -> Funding<AcceptedWithConditions> = FundingCommand::Decide {
                outcome: FundingOutcome::AcceptWithConditions { conditions, set_aside },
                deciders,
                rationale,
            };
            /// Declines the offer.
            fn decline(ctx, deciders: Vec<MemberId>, rationale: impl Into<String> => rationale.into())
                -> Funding<Declined> = FundingCommand::Decide {
                    outcome: FundingOutcome::Decline {},
                    deciders,
                    rationale,
                };
            /// Defers the decision.
            fn defer(ctx, deciders: Vec<MemberId>, rationale: impl Into<String> => rationale.into())
                -> Funding<Deferred> = FundingCommand::Decide {
                    outcome: FundingOutcome::Defer {},
                    deciders,
                    rationale,
                };
            /// Escalates the decision to `to` (an institution's committee).
            fn escalate(ctx, to: BodyId, deciders: Vec<MemberId>, rationale: impl Into<String> => rationale.into())
                -> Funding<Escalated> = FundingCommand::Decide {
                    outcome: FundingOutcome::Escalate { to },
                    deciders,
                    rationale,
                };
        }
        Published {
            /// Starts monitoring the conditions until `review_date` (refused, notably, with
            /// [`RefusalKind::DateNotAhead`](crate::machine::RefusalKind::DateNotAhead)).
            fn start_monitoring(ctx, review_date: Timestamp)
                -> Funding<Monitoring> = FundingCommand::StartMonitoring { review_date };
        }
        Monitoring {
            /// Starts the review.
            fn start_review(ctx, reason: impl Into<String> => reason.into())
                -> Funding<UnderReview> = FundingCommand::StartReview { reason };
        }
        UnderReview {
            /// Concludes the review: renew, or end.
            fn review(ctx, renew: bool, rationale: impl Into<String> => rationale.into())
                -> Reviewed = FundingCommand::Review { renew, rationale };
        }
    ],
    groups: [
        /// A phase an offer can still be withdrawn from.
        OpenPhase as OPEN: [Identified, Screening, Triaged, DueDiligence, Consultation, Deciding] {
            /// Withdraws the offer before a decision.
            fn withdraw(ctx, reason: impl Into<String> => reason.into())
                -> Funding<Withdrawn> = FundingCommand::Withdraw { reason };
        }
        /// A phase in which checks are completed and interests declared.
        ///
        /// # Example
        ///
        /// A step an app writes once for every such phase:
        ///
        /// ```
        /// use coproduction::funding::{Check, DiligencePhase, Funding, FundingRefused};
        /// use coproduction::machine::Context;
        ///
        /// fn sanctions_checked<P: DiligencePhase>(
        ///     funding: Funding<P>,
        ///     ctx: Context<'_>,
        /// ) -> Result<Funding<P>, FundingRefused<Funding<P>>> {
        ///     funding.complete_check(ctx, Check::LegalAndSanctions, "Not on the sanctions lists")
        /// }
        /// # Ok::<(), coproduction::Error>(())
        /// ```
        DiligencePhase: [DueDiligence, Consultation] {
            /// The actor completes a check, with the evidence.
            fn complete_check(ctx, check: Check, evidence: impl Into<String> => evidence.into())
                -> Funding<P> = FundingCommand::CompleteCheck { check, evidence };
            /// The actor declares their interests (`None`: none), stepping out if `recused`.
            fn declare_interest(ctx, interest: Option<String>, recused: bool)
                -> Funding<P> = FundingCommand::DeclareInterest { interest, recused };
        }
        /// An accepted decision, awaiting its register entry.
        AcceptedPhase: [Accepted, AcceptedWithConditions] {
            /// Publishes the register entry (funder, amount band, conditions, route,
            /// rationale).
            fn publish(ctx, withheld_reason: Option<String>)
                -> Funding<Published> = FundingCommand::Publish { withheld_reason };
        }
        /// A decision not to accept the offer (declined, deferred, escalated): it stays so
        /// once its register entry is published.
        NotAcceptedPhase: [Declined, Deferred, Escalated] {
            /// Publishes the register entry of the decision not to accept (its outcome,
            /// route and rationale), once; a decline at the red-line screen was published
            /// with it.
            fn publish_outcome(ctx, withheld_reason: Option<String>)
                -> Funding<P> = FundingCommand::Publish { withheld_reason };
        }
    ],
}

previews!(
    Funding,
    FundingProcess,
    FundingState::Identified,
    FundingCommand,
    FundingError
);

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
            policy: Some(Box::new(policy)),
        };
        start_typed(command, ctx)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::community::Community;
    use crate::decision::DecisionKind;
    use crate::governance::{Governance, GovernanceMap};
    use crate::machine::PhaseMismatch;
    use crate::values::GatePassed;

    /// The route the example governance map gives `offer` under the seed policy.
    pub(in crate::funding) fn route_for(offer: &Offer) -> crate::governance::Route {
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

    /// Member 1 acting `minute` minutes into the test's morning.
    pub(in crate::funding) fn ctx(minute: i64) -> Context<'static> {
        let t: Timestamp = "2024-05-01T09:00:00Z".parse().unwrap();
        Context::new(
            MemberId::new(1),
            t.checked_add(jiff::SignedDuration::from_mins(minute))
                .unwrap(),
        )
    }

    /// A tier-0 offer (room hire from a local trust), screened clear.
    pub(in crate::funding) fn triaged() -> Funding<Triaged> {
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
        let before = dd.decision().clone();
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
        assert_eq!(refused.funding.decision(), &before);
        assert_eq!(refused.funding.events().len(), events);
    }

    #[test]
    fn a_state_is_typed_only_as_its_own_phase() {
        let state: FundingState = triaged().into();
        assert!(Funding::<Triaged>::try_from(state.clone()).is_ok());
        assert_eq!(
            Funding::<Deciding>::try_from(state.clone()).unwrap_err(),
            FundingError::PhaseMismatch(PhaseMismatch {
                attempted: "take the decision as typed",
                expected: &[FundingPhase::Deciding],
                phase: FundingPhase::Triaged
            })
        );
        assert!(matches!(
            Screened::try_from(state.clone()),
            Ok(Screened::Triaged(_))
        ));
        assert!(Reviewed::try_from(state.clone()).is_err());
        assert!(matches!(
            AnyFunding::try_from(state).unwrap(),
            AnyFunding::Triaged(_)
        ));
        assert!(AnyFunding::try_from(FundingState::NotIdentified).is_err());
    }

    /// A tier-0 offer, checked and consulted on, ready to decide.
    pub(in crate::funding) fn deciding() -> Funding<Deciding> {
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
        let accept = |d: Funding<Deciding>, gate: GatePassed| {
            d.accept(ctx(20), deciders.clone(), "Room hire for sessions", gate)
        };
        let subject = decision.subject().unwrap();
        let other = crate::values::Subject::named("another offer");
        for wrong in [None, Some(other)] {
            let before = decision.decision().clone();
            let refused = accept(decision, proof(wrong)).unwrap_err();
            assert_eq!(
                refused.error,
                FundingError::from(crate::machine::RefusalKind::ProofNotForThis(Box::new(
                    crate::values::ProofMismatch {
                        step: Some(subject),
                        proof: wrong,
                    }
                )))
            );
            assert_eq!(refused.funding.decision(), &before);
            decision = refused.funding;
        }
        let accepted = accept(decision, proof(Some(subject))).unwrap();
        assert_eq!(accepted.phase(), FundingPhase::Accepted);
        // The proof moved into the accepted decision, and stays with it once published.
        assert_eq!(accepted.proof(), Some(&proof(Some(subject))));
        let published = accepted.publish(ctx(21), None).unwrap();
        assert_eq!(published.proof(), Some(&proof(Some(subject))));
        // A decision rebuilt from its events took no gated step here: it holds no proof.
        let replayed = AnyFunding::replay(published.events().to_vec()).unwrap();
        assert_eq!(replayed.proof(), None);
    }

    #[test]
    fn a_decision_not_to_accept_is_published_once_and_stays_what_it_was() {
        let declined = deciding()
            .decline(
                ctx(20),
                vec![MemberId::new(1)],
                "The rooms are free elsewhere",
            )
            .unwrap();
        let published = declined.publish_outcome(ctx(21), None).unwrap();
        assert_eq!(published.phase(), FundingPhase::Declined);
        let listing = published.decision().listing().unwrap();
        assert_eq!(listing.outcome, "declined");
        assert_eq!(listing.rationale, "The rooms are free elsewhere");
        // No condition stands on an offer that was not accepted.
        assert!(listing.conditions.is_empty());
        assert_eq!(published.decision().published_at(), Some(ctx(21).now));
        let replayed = AnyFunding::replay(published.events().to_vec()).unwrap();
        assert!(matches!(replayed, AnyFunding::Declined(_)));
        // Once only.
        let before = published.decision().clone();
        let again = published.publish_outcome(ctx(22), None).unwrap_err();
        assert!(
            again.error.to_string().contains("publish"),
            "{}",
            again.error
        );
        assert_eq!(again.funding.decision(), &before);
        let deferred = deciding()
            .defer(ctx(20), vec![MemberId::new(1)], "Ask again in spring")
            .unwrap()
            .publish_outcome(ctx(21), Some("The trust asked us not to name it".into()))
            .unwrap();
        assert_eq!(deferred.phase(), FundingPhase::Deferred);
        assert_eq!(
            deferred
                .decision()
                .listing()
                .unwrap()
                .withheld_reason
                .as_deref(),
            Some("The trust asked us not to name it")
        );
    }

    #[test]
    fn a_withdrawal_from_an_open_phase_is_final() {
        let withdrawn = triaged().withdraw(ctx(3), "The trust closed").unwrap();
        assert_eq!(withdrawn.phase(), FundingPhase::Withdrawn);
        let replayed = AnyFunding::replay(withdrawn.events().to_vec()).unwrap();
        assert!(matches!(replayed, AnyFunding::Withdrawn(_)));
    }
}
