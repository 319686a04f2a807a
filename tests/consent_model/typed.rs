//! The typed façade, driven by the same commands as the machine.

use coproduction::consent::{
    Advanced, AnyRound, Closed, ConsentError, ConsentRound, Decided, OpenPhase, Refused,
    RoundCommand,
};
use coproduction::machine::Context;

use super::*;

// ---------------------------------------------------------------------------------------
// The typed façade, driven by the same commands
// ---------------------------------------------------------------------------------------

/// What the typed façade made of a command.
pub enum Typed {
    /// Taken: the round in the phase the method's return type claims.
    Taken(AnyRound),
    /// Refused: the round handed back, and why.
    Refused(AnyRound, ConsentError),
    /// The round's phase type offers no such step.
    NoStep(AnyRound),
}

pub fn done<Q, T>(
    result: Result<T, Refused<ConsentRound<Q>>>,
    taken: impl FnOnce(T) -> AnyRound,
    back: impl FnOnce(ConsentRound<Q>) -> AnyRound,
) -> Typed {
    match result {
        Ok(t) => Typed::Taken(taken(t)),
        Err(Refused { round, error }) => Typed::Refused(back(round), error),
    }
}

pub fn closed(c: Closed) -> AnyRound {
    match c {
        Closed::Integrating(r) => AnyRound::Integrating(r),
        Closed::Consented(r) => AnyRound::Consented(r),
        Closed::Declined(r) => AnyRound::Declined(r),
        Closed::Deferred(r) => AnyRound::Deferred(r),
        other => panic!("a close the test does not know: {other:?}"),
    }
}

pub fn decided(d: Decided) -> AnyRound {
    match d {
        Decided::Consented(r) => AnyRound::Consented(r),
        Decided::Declined(r) => AnyRound::Declined(r),
        other => panic!("a decision the test does not know: {other:?}"),
    }
}

pub fn advanced(a: Advanced) -> AnyRound {
    match a {
        Advanced::ObjectionRound(r) => AnyRound::ObjectionRound(r),
        Advanced::BrokenDown(r) => AnyRound::BrokenDown(r),
        other => panic!("an advance the test does not know: {other:?}"),
    }
}

pub fn exit<Q: OpenPhase>(
    r: ConsentRound<Q>,
    command: &RoundCommand,
    ctx: Context,
    back: fn(ConsentRound<Q>) -> AnyRound,
) -> Typed {
    match command {
        RoundCommand::Withdraw { reason } => {
            done(r.withdraw(ctx, reason.clone()), AnyRound::Withdrawn, back)
        }
        RoundCommand::Defer { reason } => {
            done(r.defer(ctx, reason.clone()), AnyRound::Deferred, back)
        }
        RoundCommand::Escalate { to, reason } => done(
            r.escalate(ctx, to.clone(), reason.clone()),
            AnyRound::Escalated,
            back,
        ),
        _ => Typed::NoStep(back(r)),
    }
}

/// Runs `command` through the typed method for the round's phase, if it has one.
pub fn typed_step(round: AnyRound, command: &RoundCommand, ctx: Context) -> Typed {
    use AnyRound as A;
    use RoundCommand as C;
    match (round, command) {
        (A::Presented(r), C::Advance {}) => {
            done(r.start_clarifying(ctx), A::Clarifying, A::Presented)
        }
        (A::Presented(r), C::Decide { adopt, rationale }) => done(
            r.decide(ctx, *adopt, rationale.clone()),
            decided,
            A::Presented,
        ),
        (A::Clarifying(r), C::AskQuestion { question }) => {
            done(r.ask(ctx, question.clone()), A::Clarifying, A::Clarifying)
        }
        (A::Clarifying(r), C::Advance {}) => {
            done(r.start_reactions(ctx), A::Reactions, A::Clarifying)
        }
        (A::Reactions(r), C::React { reaction }) => {
            done(r.react(ctx, reaction.clone()), A::Reactions, A::Reactions)
        }
        (A::Reactions(r), C::Amend { text, answers }) if answers.is_empty() => {
            done(r.amend(ctx, text.clone()), A::Amending, A::Reactions)
        }
        (A::Reactions(r), C::Advance {}) => done(
            r.start_objection_round(ctx),
            A::ObjectionRound,
            A::Reactions,
        ),
        (A::Amending(r), C::Amend { text, answers }) if answers.is_empty() => {
            done(r.amend(ctx, text.clone()), A::Amending, A::Amending)
        }
        (A::Amending(r), C::Advance {}) => {
            done(r.start_objection_round(ctx), A::ObjectionRound, A::Amending)
        }
        (A::ObjectionRound(r), C::Respond { member, response }) => done(
            r.respond(ctx, *member, response.clone()),
            A::ObjectionRound,
            A::ObjectionRound,
        ),
        (A::ObjectionRound(r), C::CloseRound {}) => done(r.close(ctx), closed, A::ObjectionRound),
        (A::ObjectionRound(r), C::AnswerAdvice { member, answer }) => done(
            r.answer_advice(ctx, *member, answer.clone()),
            A::ObjectionRound,
            A::ObjectionRound,
        ),
        (A::ObjectionRound(r), C::Decide { adopt, rationale }) => done(
            r.decide(ctx, *adopt, rationale.clone()),
            decided,
            A::ObjectionRound,
        ),
        (
            A::Integrating(r),
            C::TestObjection {
                objection,
                criteria,
                reasoning,
                valid,
            },
        ) => done(
            r.test_objection(ctx, *objection, criteria, reasoning.clone(), *valid),
            A::Integrating,
            A::Integrating,
        ),
        (A::Integrating(r), C::Amend { text, answers }) => done(
            r.amend(ctx, text.clone(), answers),
            A::Integrating,
            A::Integrating,
        ),
        (A::Integrating(r), C::ConfirmResolved { objection }) => done(
            r.confirm_resolved(ctx, *objection),
            A::Integrating,
            A::Integrating,
        ),
        (A::Integrating(r), C::WithdrawObjection { objection }) => done(
            r.withdraw_objection(ctx, *objection),
            A::Integrating,
            A::Integrating,
        ),
        (A::Integrating(r), C::AbandonObjection { objection, reason }) => done(
            r.abandon_objection(ctx, *objection, reason.clone()),
            A::Integrating,
            A::Integrating,
        ),
        (A::Integrating(r), C::Advance {}) => done(r.next_round(ctx), advanced, A::Integrating),
        (
            A::Consented(r),
            C::RecordOutcome {
                statement,
                review_date,
            },
        ) => {
            let proof = common::consent::passed_gate(r.subject());
            done(
                r.record_outcome(ctx, statement.clone(), *review_date, &proof),
                A::Adopted,
                A::Consented,
            )
        }
        (round, C::Withdraw { .. } | C::Defer { .. } | C::Escalate { .. }) => match round {
            A::Presented(r) => exit(r, command, ctx, A::Presented),
            A::Clarifying(r) => exit(r, command, ctx, A::Clarifying),
            A::Reactions(r) => exit(r, command, ctx, A::Reactions),
            A::Amending(r) => exit(r, command, ctx, A::Amending),
            A::ObjectionRound(r) => exit(r, command, ctx, A::ObjectionRound),
            A::Integrating(r) => exit(r, command, ctx, A::Integrating),
            A::Consented(r) => exit(r, command, ctx, A::Consented),
            other => Typed::NoStep(other),
        },
        (round, _) => Typed::NoStep(round),
    }
}
