//! The typed proposal façade, driven by the same commands as the machine.
//!
//! [`typed_step`] maps each runtime command onto the typed method of the proposal's current
//! phase, if its phase type offers one. Adoption is the gated step: the engine's way, the
//! value gate checks the record first, and only its proof adopts. The proof for the same
//! evidence not named as this proposal's is offered first, and must be refused with the
//! proposal handed back unchanged; then the proof for the record named as this proposal's,
//! as it stands.

use coproduction::journal::StreamId;
use coproduction::machine::Context;
use coproduction::proposal::{
    AnyProposal, DecisionResult, InDecision, Lifecycle, ProposalCommand, ProposalError, Refused,
    Standing, Withdrawable,
};
use coproduction::values::{Charter, DecisionRecord, GateRefusal, ProofMismatch};
use jiff::Timestamp;

/// What the typed façade made of a command.
pub enum Typed {
    /// Taken: the proposal in the phase the method's return type claims.
    Taken(AnyProposal),
    /// Refused: the proposal handed back, and why.
    Refused(AnyProposal, ProposalError),
    /// The proposal's phase type offers no such step.
    NoStep(AnyProposal),
    /// The value gate refused the adoption's record: with no proof, no typed step.
    GateRefused(AnyProposal, GateRefusal),
}

/// The value gate an adoption passes first: the charter, and the record the engine checks
/// for an adoption to be reviewed on a date (not yet named as the proposal's).
pub struct ValueGate<'a> {
    pub charter: &'a Charter,
    pub record: &'a dyn Fn(Timestamp) -> DecisionRecord,
}

fn done<Q, T>(
    result: Result<T, Refused<Lifecycle<Q>>>,
    taken: impl FnOnce(T) -> AnyProposal,
    back: impl FnOnce(Lifecycle<Q>) -> AnyProposal,
) -> Typed {
    match result {
        Ok(t) => Typed::Taken(taken(t)),
        Err(Refused { proposal, error }) => Typed::Refused(back(proposal), error),
    }
}

/// The gated step: the gate's proof for the record named as this proposal's adopts; the
/// proof for the same record unnamed is refused first, the proposal handed back unchanged.
fn adopt(
    p: Lifecycle<InDecision>,
    ctx: Context,
    round: &StreamId,
    review_date: Timestamp,
    gate: &ValueGate<'_>,
) -> Typed {
    let record = p.name_record((gate.record)(review_date));
    assert!(
        record.subject.is_some(),
        "a proposal is named by its events"
    );
    let proof = match gate.charter.gate(&record) {
        Ok(proof) => proof,
        Err(refusal) => return Typed::GateRefused(AnyProposal::InDecision(p), refusal),
    };
    let unnamed = DecisionRecord {
        subject: None,
        ..record.clone()
    };
    let unnamed = gate
        .charter
        .gate(&unnamed)
        .expect("the gate does not look at the name");
    let (state, events) = (p.state().clone(), p.events().to_vec());
    let Err(Refused { proposal: p, error }) = p.adopt(ctx, round.clone(), review_date, &unnamed)
    else {
        panic!("a proof for no proposal adopted one");
    };
    assert_eq!(
        error,
        ProposalError::ProofNotForThis(ProofMismatch {
            step: record.subject,
            proof: None,
        })
    );
    assert_eq!(p.state(), &state, "a refused proof changed the proposal");
    assert_eq!(p.events(), events.as_slice());
    done(
        p.adopt(ctx, round.clone(), review_date, &proof),
        AnyProposal::Adopted,
        AnyProposal::InDecision,
    )
}

/// What the running round decided, through the typed method for that result.
fn record_decision(
    p: Lifecycle<InDecision>,
    ctx: Context,
    round: &StreamId,
    result: &DecisionResult,
    gate: &ValueGate<'_>,
) -> Typed {
    use AnyProposal as A;
    let round = round.clone();
    match result {
        DecisionResult::Adopted { review_date } => adopt(p, ctx, &round, *review_date, gate),
        DecisionResult::Declined {} => done(p.decline(ctx, round), A::Declined, A::InDecision),
        DecisionResult::Withdrawn {} => {
            done(p.round_withdrawn(ctx, round), A::Withdrawn, A::InDecision)
        }
        DecisionResult::Escalated { to } => done(
            p.escalate(ctx, round, to.clone()),
            A::Escalated,
            A::InDecision,
        ),
        DecisionResult::Deferred {} => done(p.defer(ctx, round), A::InDecision, A::InDecision),
        other => panic!("a decision result the test does not know: {other:?}"),
    }
}

/// The proposal in any phase before the decision, withdrawn.
fn withdraw<Q: Withdrawable>(
    p: Lifecycle<Q>,
    ctx: Context,
    reason: &str,
    back: fn(Lifecycle<Q>) -> AnyProposal,
) -> Typed {
    done(p.withdraw(ctx, reason), AnyProposal::Withdrawn, back)
}

/// A standing agreement, reviewed on its date or on a member's objection.
fn review<Q: Standing>(
    p: Lifecycle<Q>,
    command: &ProposalCommand,
    ctx: Context,
    back: fn(Lifecycle<Q>) -> AnyProposal,
) -> Typed {
    match command {
        ProposalCommand::OpenReview {} => done(p.open_review(ctx), AnyProposal::UnderReview, back),
        ProposalCommand::ObjectToStanding { reason } => {
            done(p.object(ctx, reason), AnyProposal::UnderReview, back)
        }
        _ => Typed::NoStep(back(p)),
    }
}

/// Runs `command` through the typed method for the proposal's phase, if it has one; an
/// adoption passes `gate` first.
pub fn typed_step(
    proposal: AnyProposal,
    command: &ProposalCommand,
    ctx: Context,
    gate: &ValueGate<'_>,
) -> Typed {
    use AnyProposal as A;
    use ProposalCommand as C;
    match (proposal, command) {
        (A::Draft(p), C::Amend { text, answers }) => {
            done(p.amend(ctx, text, answers), A::Draft, A::Draft)
        }
        (A::Draft(p), C::StartCoCreation {}) => {
            done(p.start_co_creation(ctx), A::CoCreating, A::Draft)
        }
        (A::CoCreating(p), C::LinkFeedback { items, themes }) => done(
            p.link_feedback(ctx, items, themes),
            A::CoCreating,
            A::CoCreating,
        ),
        (A::CoCreating(p), C::Amend { text, answers }) => {
            done(p.amend(ctx, text, answers), A::CoCreating, A::CoCreating)
        }
        (A::CoCreating(p), C::MarkReady {}) => done(p.mark_ready(ctx), A::Ready, A::CoCreating),
        (A::Ready(p), C::StartDecision { round }) => done(
            p.start_decision(ctx, round.clone()),
            A::InDecision,
            A::Ready,
        ),
        (A::InDecision(p), C::StartDecision { round }) => done(
            p.start_decision(ctx, round.clone()),
            A::InDecision,
            A::InDecision,
        ),
        (A::InDecision(p), C::RecordDecision { round, result }) => {
            record_decision(p, ctx, round, result, gate)
        }
        (
            A::Adopted(p),
            C::Publish {
                rationale,
                alternatives,
            },
        ) => {
            let alternatives: Vec<&str> = alternatives.iter().map(String::as_str).collect();
            done(
                p.publish(ctx, rationale, &alternatives),
                A::Published,
                A::Adopted,
            )
        }
        (A::Published(p), C::StartImplementing {}) => {
            done(p.start_implementing(ctx), A::Implementing, A::Published)
        }
        (A::Published(p), C::StartPilot { ends }) => {
            done(p.start_pilot(ctx, *ends), A::Pilot, A::Published)
        }
        (A::Implementing(p), C::OpenReview {} | C::ObjectToStanding { .. }) => {
            review(p, command, ctx, A::Implementing)
        }
        (A::Pilot(p), C::OpenReview {} | C::ObjectToStanding { .. }) => {
            review(p, command, ctx, A::Pilot)
        }
        (A::UnderReview(p), C::Continue { review_date }) => done(
            p.continue_until(ctx, *review_date),
            A::Implementing,
            A::UnderReview,
        ),
        (A::UnderReview(p), C::Amend { text, answers }) => {
            done(p.amend(ctx, text, answers), A::CoCreating, A::UnderReview)
        }
        (A::UnderReview(p), C::Retire { reason }) => {
            done(p.retire(ctx, reason), A::Retired, A::UnderReview)
        }
        (proposal, C::Withdraw { reason }) => match proposal {
            A::Draft(p) => withdraw(p, ctx, reason, A::Draft),
            A::CoCreating(p) => withdraw(p, ctx, reason, A::CoCreating),
            A::Ready(p) => withdraw(p, ctx, reason, A::Ready),
            A::InDecision(p) => withdraw(p, ctx, reason, A::InDecision),
            other => Typed::NoStep(other),
        },
        (proposal, command) => match command {
            // Creating starts a proposal: no typed proposal offers it again.
            C::Create { .. }
            | C::StartCoCreation {}
            | C::LinkFeedback { .. }
            | C::Amend { .. }
            | C::MarkReady { .. }
            | C::StartDecision { .. }
            | C::RecordDecision { .. }
            | C::Publish { .. }
            | C::StartImplementing {}
            | C::StartPilot { .. }
            | C::OpenReview {}
            | C::ObjectToStanding { .. }
            | C::Continue { .. }
            | C::Retire { .. } => Typed::NoStep(proposal),
            other => panic!("a command the test does not know: {other:?}"),
        },
    }
}
