//! The typed façade, driven by the same commands as the machine.
//!
//! [`typed_step`] maps each runtime command onto the typed method of the decision's current
//! phase, if its phase type offers one. The gated steps (accepting, with or without
//! conditions) are first offered a proof for no decision, which must be refused with the
//! decision handed back unchanged, and then a proof for this decision as it stands.

use std::sync::OnceLock;

use coproduction::decision::DecisionKind;
use coproduction::funding::{
    AnyFunding, Deciding, Funding, FundingCommand, FundingError, FundingOutcome, OpenPhase,
    Refused, Reviewed, Screened,
};
use coproduction::machine::Context;
use coproduction::values::{Charter, DecisionRecord, GatePassed, ProofMismatch};

/// What the typed façade made of a command.
pub enum Typed {
    /// Taken: the decision in the phase the method's return type claims.
    Taken(AnyFunding),
    /// Refused: the decision handed back, and why.
    Refused(AnyFunding, FundingError),
    /// The decision's phase type offers no such step.
    NoStep(AnyFunding),
}

fn done<Q, T>(
    result: Result<T, Refused<Funding<Q>>>,
    taken: impl FnOnce(T) -> AnyFunding,
    back: impl FnOnce(Funding<Q>) -> AnyFunding,
) -> Typed {
    match result {
        Ok(t) => Typed::Taken(taken(t)),
        Err(Refused { funding, error }) => Typed::Refused(back(funding), error),
    }
}

fn screened(s: Screened) -> AnyFunding {
    match s {
        Screened::Triaged(f) => AnyFunding::Triaged(f),
        Screened::Declined(f) => AnyFunding::Declined(f),
        other => panic!("a screen the test does not know: {other:?}"),
    }
}

fn reviewed(r: Reviewed) -> AnyFunding {
    match r {
        Reviewed::Renewed(f) => AnyFunding::Renewed(f),
        Reviewed::Ended(f) => AnyFunding::Ended(f),
        other => panic!("a review the test does not know: {other:?}"),
    }
}

/// The gate's proof for `record`, from a charter with no rules: every record passes.
pub fn passed(record: &DecisionRecord) -> GatePassed {
    static CHARTER: OnceLock<Charter> = OnceLock::new();
    CHARTER
        .get_or_init(|| Charter::from_json(r#"{"values":[{"id":"human"}],"rules":[]}"#).unwrap())
        .gate(record)
        .unwrap()
}

/// A gated step of a deciding decision: offered a proof for no decision first (refused,
/// the decision handed back unchanged), then the proof for this decision as it stands.
fn gated<Q>(
    f: Funding<Deciding>,
    step: impl Fn(Funding<Deciding>, &GatePassed) -> Result<Funding<Q>, Refused<Funding<Deciding>>>,
    taken: fn(Funding<Q>) -> AnyFunding,
) -> Typed {
    let subject = f.subject();
    assert!(
        subject.is_some(),
        "a started decision is named by its events"
    );
    let (state, events) = (f.state().clone(), f.events().to_vec());
    let unnamed = passed(&DecisionRecord::new(DecisionKind::Funding));
    let Err(Refused { funding, error }) = step(f, &unnamed) else {
        panic!("a proof for no decision was taken");
    };
    assert_eq!(
        error,
        FundingError::ProofNotForThis(ProofMismatch {
            step: subject,
            proof: None,
        })
    );
    assert_eq!(
        funding.state(),
        &state,
        "a refused proof changed the decision"
    );
    assert_eq!(funding.events(), events.as_slice());
    let proof = passed(&funding.name_record(DecisionRecord::new(DecisionKind::Funding)));
    done(step(funding, &proof), taken, AnyFunding::Deciding)
}

/// The decision in any open phase, withdrawn.
fn withdraw<Q: OpenPhase>(
    f: Funding<Q>,
    ctx: Context,
    reason: &str,
    back: fn(Funding<Q>) -> AnyFunding,
) -> Typed {
    done(f.withdraw(ctx, reason), AnyFunding::Withdrawn, back)
}

/// Runs `command` through the typed method for the decision's phase, if it has one.
pub fn typed_step(funding: AnyFunding, command: &FundingCommand, ctx: Context) -> Typed {
    use AnyFunding as A;
    use FundingCommand as C;
    match (funding, command) {
        (A::Identified(f), C::StartScreening {}) => {
            done(f.start_screening(ctx), A::Screening, A::Identified)
        }
        (A::Screening(f), C::Screen {}) => done(f.screen(ctx), screened, A::Screening),
        (A::Triaged(f), C::StartDueDiligence {}) => {
            done(f.start_due_diligence(ctx), A::DueDiligence, A::Triaged)
        }
        // The diligence steps are generic over a trait the crate does not export, so each
        // diligence phase has its own arms.
        (A::DueDiligence(f), C::CompleteCheck { check, evidence }) => done(
            f.complete_check(ctx, *check, evidence.clone()),
            A::DueDiligence,
            A::DueDiligence,
        ),
        (A::DueDiligence(f), C::DeclareInterest { interest, recused }) => done(
            f.declare_interest(ctx, interest.clone(), *recused),
            A::DueDiligence,
            A::DueDiligence,
        ),
        (A::Consultation(f), C::CompleteCheck { check, evidence }) => done(
            f.complete_check(ctx, *check, evidence.clone()),
            A::Consultation,
            A::Consultation,
        ),
        (A::Consultation(f), C::DeclareInterest { interest, recused }) => done(
            f.declare_interest(ctx, interest.clone(), *recused),
            A::Consultation,
            A::Consultation,
        ),
        (A::DueDiligence(f), C::StartConsultation {}) => {
            done(f.start_consultation(ctx), A::Consultation, A::DueDiligence)
        }
        (A::Consultation(f), C::RecordAdvice { body, from, advice }) => done(
            f.record_advice(ctx, body.clone(), *from, advice.clone()),
            A::Consultation,
            A::Consultation,
        ),
        (A::Consultation(f), C::AnswerAdvice { advice, answer }) => done(
            f.answer_advice(ctx, *advice, answer.clone()),
            A::Consultation,
            A::Consultation,
        ),
        (A::Consultation(f), C::OpenCommentWindow { body }) => done(
            f.open_comment_window(ctx, body.clone()),
            A::Consultation,
            A::Consultation,
        ),
        (A::Consultation(f), C::Comment { body, text }) => done(
            f.comment(ctx, body.clone(), text.clone()),
            A::Consultation,
            A::Consultation,
        ),
        (A::Consultation(f), C::RecordSession { body, reference }) => done(
            f.record_session(ctx, body.clone(), reference.clone()),
            A::Consultation,
            A::Consultation,
        ),
        (
            A::Consultation(f),
            C::RecordConsentRound {
                reference,
                consented,
            },
        ) => done(
            f.record_consent_round(ctx, reference.clone(), *consented),
            A::Consultation,
            A::Consultation,
        ),
        (A::Consultation(f), C::StartDeciding {}) => {
            done(f.start_deciding(ctx), A::Deciding, A::Consultation)
        }
        (
            A::Deciding(f),
            C::Decide {
                outcome,
                deciders,
                rationale,
            },
        ) => {
            let (deciders, rationale) = (deciders.clone(), rationale);
            match outcome {
                FundingOutcome::Accept {} => gated(
                    f,
                    |f, gate| f.accept(ctx, deciders.clone(), rationale, gate),
                    A::Accepted,
                ),
                FundingOutcome::AcceptWithConditions { conditions } => gated(
                    f,
                    |f, gate| {
                        f.accept_with_conditions(
                            ctx,
                            conditions.clone(),
                            deciders.clone(),
                            rationale,
                            gate,
                        )
                    },
                    A::AcceptedWithConditions,
                ),
                FundingOutcome::Decline {} => done(
                    f.decline(ctx, deciders, rationale),
                    A::Declined,
                    A::Deciding,
                ),
                FundingOutcome::Defer {} => {
                    done(f.defer(ctx, deciders, rationale), A::Deferred, A::Deciding)
                }
                FundingOutcome::Escalate { to } => done(
                    f.escalate(ctx, to.clone(), deciders, rationale),
                    A::Escalated,
                    A::Deciding,
                ),
                other => panic!("an outcome the test does not know: {other:?}"),
            }
        }
        (A::Accepted(f), C::Publish { withheld_reason }) => done(
            f.publish(ctx, withheld_reason.clone()),
            A::Published,
            A::Accepted,
        ),
        (A::AcceptedWithConditions(f), C::Publish { withheld_reason }) => done(
            f.publish(ctx, withheld_reason.clone()),
            A::Published,
            A::AcceptedWithConditions,
        ),
        (A::Published(f), C::StartMonitoring { review_date }) => done(
            f.start_monitoring(ctx, *review_date),
            A::Monitoring,
            A::Published,
        ),
        (A::Monitoring(f), C::StartReview { reason }) => done(
            f.start_review(ctx, reason.clone()),
            A::UnderReview,
            A::Monitoring,
        ),
        (A::UnderReview(f), C::Review { renew, rationale }) => done(
            f.review(ctx, *renew, rationale.clone()),
            reviewed,
            A::UnderReview,
        ),
        (funding, C::Withdraw { reason }) => match funding {
            A::Identified(f) => withdraw(f, ctx, reason, A::Identified),
            A::Screening(f) => withdraw(f, ctx, reason, A::Screening),
            A::Triaged(f) => withdraw(f, ctx, reason, A::Triaged),
            A::DueDiligence(f) => withdraw(f, ctx, reason, A::DueDiligence),
            A::Consultation(f) => withdraw(f, ctx, reason, A::Consultation),
            A::Deciding(f) => withdraw(f, ctx, reason, A::Deciding),
            other => Typed::NoStep(other),
        },
        (funding, command) => match command {
            // Identifying starts a decision: no typed decision offers it again.
            C::Identify { .. }
            | C::StartScreening {}
            | C::Screen { .. }
            | C::StartDueDiligence {}
            | C::CompleteCheck { .. }
            | C::DeclareInterest { .. }
            | C::StartConsultation {}
            | C::RecordAdvice { .. }
            | C::AnswerAdvice { .. }
            | C::OpenCommentWindow { .. }
            | C::Comment { .. }
            | C::RecordSession { .. }
            | C::RecordConsentRound { .. }
            | C::StartDeciding {}
            | C::Decide { .. }
            | C::Publish { .. }
            | C::StartMonitoring { .. }
            | C::StartReview { .. }
            | C::Review { .. } => Typed::NoStep(funding),
            other => panic!("a command the test does not know: {other:?}"),
        },
    }
}
