//! The response path of a round: the one command and event a large round takes once per
//! eligible member, kept apart from the general dispatch in `machine` so each step pays
//! only for the checks a response needs (the same checks, in the same order).

use jiff::Timestamp;

use crate::community::MemberId;
use crate::machine::{Context, Events};

use super::ConsentError;
use super::RoundPhase as P;
use super::event::RoundEvent;
use super::machine::admit;
use super::response::{Responded, Response};
use super::state::{Replaced, Round};
use crate::machine::{need_phase, need_text};
use crate::values::RaisedAs;

/// A response: an eligible member in an objection round, answering for themselves or through
/// a named supporter, with a response the method takes and the text it requires.
#[inline(always)]
pub(super) fn decide_respond(
    round: &Round,
    member: MemberId,
    response: &Response,
    ctx: &Context,
) -> Result<Events<RoundEvent>, ConsentError> {
    let (_, proxy) = check(round, member, response, ctx)?;
    Ok(Events::one(responded(
        round, member, response, proxy, ctx.now,
    )))
}

/// A response checked as [`decide_respond`] checks it and recorded as [`record_response`]
/// records its event, in one step: the member's seat is found once, by the check, and the
/// answer written to it. A refused response changes nothing.
#[inline(always)]
pub(super) fn apply_respond(
    round: &mut Round,
    member: MemberId,
    response: &Response,
    ctx: &Context,
) -> Result<Events<RoundEvent>, ConsentError> {
    let (seat, proxy) = check(round, member, response, ctx)?;
    take_seat(round, Some(seat), member, response, proxy, ctx.now);
    // Made in the value returned, not made first and moved there: a response's event is
    // written field by field, and a copy of it right after would read it back in wider
    // pieces than were written, which stalls on the stores.
    Ok(Events::one(responded(
        round, member, response, proxy, ctx.now,
    )))
}

/// The checks of a response, in this order: the round is open and the clock and time box
/// allow it, it is an objection round, the member has a seat, the actor is the member or one
/// of their supporters, the method takes the response and its text is there. Gives the
/// member's seat number and the supporter who answered, if one did.
#[inline(always)]
fn check(
    round: &Round,
    member: MemberId,
    response: &Response,
    ctx: &Context,
) -> Result<(u32, Option<MemberId>), ConsentError> {
    const ATTEMPTED: &str = "respond";
    let (actor, now) = (ctx.actor, ctx.now);
    admit(round, ATTEMPTED, false, now)?;
    need_phase(ATTEMPTED, round.phase(), &[P::ObjectionRound])?;
    let Some(seat) = round.seats.find(member) else {
        return Err(ConsentError::NotEligible {
            attempted: ATTEMPTED,
            member,
        });
    };
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
    Ok((seat, proxy))
}

/// The event of a response taken.
#[inline(always)]
fn responded(
    round: &Round,
    member: MemberId,
    response: &Response,
    proxy: Option<MemberId>,
    at: Timestamp,
) -> RoundEvent {
    RoundEvent::Responded {
        member,
        response: copy(response),
        proxy,
        round: round.objection_round,
        at,
    }
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
    let seat = round.seats.find(member);
    take_seat(round, seat, member, response, proxy, at);
}

/// Records a response in seat number `seat` (none: only the clock moves), as
/// [`record_response`] says.
#[inline(always)]
fn take_seat(
    round: &mut Round,
    seat: Option<u32>,
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
    if let Some(seat) = seat.and_then(|seat| round.seats.at_mut(seat)) {
        let earlier = seat.response.replace(Responded {
            response: copy(response),
            proxy,
        });
        // An objection or concern taken back by a later response was raised all the same.
        if let Some(earlier) = earlier.filter(|e| e.response != *response) {
            let raised = match earlier.response {
                Response::Object { reason } => Some((RaisedAs::Objection, reason)),
                Response::ConsentWithConcern { concern } => Some((RaisedAs::Concern, concern)),
                _ => None,
            };
            if let Some((raised, text)) = raised {
                round.replaced.push(Replaced {
                    member,
                    raised,
                    text,
                    round: round.objection_round,
                    proxy,
                });
            }
        }
    }
}
