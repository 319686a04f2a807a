//! The response path of a round: the one command and event a large round takes once per
//! eligible member, kept apart from the general dispatch in `machine` so each step pays
//! only for the checks a response needs (the same checks, in the same order).

use jiff::Timestamp;

use crate::community::MemberId;
use crate::machine::{Context, Events};

use super::ConsentError;
use super::event::RoundEvent;
use super::machine::admit;
use super::phase::RoundPhase as P;
use super::response::{Responded, Response};
use super::state::Round;
use crate::machine::{need_phase, need_text};

/// A response: an eligible member in an objection round, answering for themselves or through
/// a named supporter, with a response the method takes and the text it requires.
#[inline(always)]
pub(super) fn decide_respond(
    round: &Round,
    member: MemberId,
    response: &Response,
    ctx: &Context,
) -> Result<Events<RoundEvent>, ConsentError> {
    const ATTEMPTED: &str = "respond";
    let (actor, now) = (ctx.actor, ctx.now);
    admit(round, ATTEMPTED, false, now)?;
    need_phase(ATTEMPTED, round.phase(), &[P::ObjectionRound])?;
    if !round.is_eligible(member) {
        return Err(ConsentError::NotEligible {
            attempted: ATTEMPTED,
            member,
        });
    }
    let proxy = if actor == member {
        None
    } else if round
        .config
        .supporters
        .get(&member)
        .is_some_and(|s| s.contains(&actor))
    {
        Some(actor)
    } else {
        return Err(ConsentError::NotASupporter { actor, member });
    };
    let method = round.config.method;
    if !response.allowed_by(method) {
        return Err(ConsentError::ResponseNotAllowed {
            response: response.label(),
            method,
        });
    }
    if let Some(text) = response.required_text() {
        need_text(ATTEMPTED, response.label(), text)?;
    }
    Ok(Events::one(RoundEvent::Responded {
        member,
        response: copy(response),
        proxy,
        round: round.objection_round,
        at: now,
    }))
}

/// A copy of `response`. A plain consent, most of a large round's answers, is written in
/// place; the general clone is a call whose result, written field by field, the caller reads
/// back in wider pieces, which stalls each response's event and seat on the store.
#[inline(always)]
fn copy(response: &Response) -> Response {
    match response {
        Response::Consent { comment: None } => Response::consent(),
        other => other.clone(),
    }
}

/// A response takes the member's seat (replacing an earlier one in the same round) and
/// clears any answer to their earlier advice. An event for a member without a seat changes
/// only the clock: evolve is total.
#[inline]
pub(super) fn record_response(
    round: &mut Round,
    member: MemberId,
    response: &Response,
    proxy: Option<MemberId>,
    at: Timestamp,
) {
    round.last_at = round.last_at.max(at);
    // Advice answers exist only in an advice process; skip the map otherwise.
    if !round.advice_answers.is_empty() {
        round.advice_answers.remove(&member);
    }
    if let Some(seat) = round.seats.get_mut(member) {
        seat.response = Some(Responded {
            response: copy(response),
            proxy,
        });
    }
}
