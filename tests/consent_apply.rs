//! `ConsentProcess::apply` (a response checked and written to the seat it found, in one
//! step) against `decide` then `evolve`, on rounds whose members' ids lie far apart, so the
//! round indexes its seats by hash, and close together, so it indexes them directly: random
//! responses from members, named supporters, members without a seat and outsiders, with every
//! kind of response and blank texts, at times that sometimes go back. The model-based
//! properties (`consent_machine`) run the same comparison on their small cast, whose ids are
//! close together; this covers the hashed table and larger rounds.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::consent::{FACILITATOR, at, config, history_to_objection_round_with};
use coproduction::community::MemberId;
use coproduction::consent::{
    ConsentProcess, EligibleMember, Response, RoundCommand, RoundConfig, RoundPhase, RoundState,
};
use coproduction::decision::Method;
use coproduction::machine::testkit::assert_applies_alike;
use coproduction::machine::{Context, Decider};
use proptest::prelude::*;

/// The `k`th member's id: far apart when `spread`, so the seats are hashed.
fn id(k: u64, spread: bool) -> MemberId {
    MemberId::new(if spread { 1 + k * 7_919 } else { 1 + k })
}

/// The shared test round (see `common::consent`) with `n` members instead of its cast,
/// moved to its first objection round (minute 3); member 1 may answer for member 0, and
/// every third member brings lived experience.
fn objection_round(n: u64, spread: bool, method: Method) -> RoundState {
    let config = RoundConfig {
        eligible: (0..n)
            .map(|k| EligibleMember {
                member: id(k, spread),
                lived_experience: k % 3 == 0,
            })
            .collect(),
        supporters: BTreeMap::from([(id(0, spread), BTreeSet::from([id(1, spread)]))]),
        ..config(method)
    };
    let state = ConsentProcess::replay(&history_to_objection_round_with(config));
    assert_eq!(state.phase(), RoundPhase::ObjectionRound);
    state
}

/// A response of each kind, with its text present or blank.
fn response(kind: u8, blank: bool) -> Response {
    let text = if blank {
        "  "
    } else {
        "It needs a review date"
    }
    .to_owned();
    match kind % 4 {
        0 => Response::consent(),
        1 => Response::ConsentWithConcern { concern: text },
        2 => Response::Object { reason: text },
        _ => Response::StandAside { reason: text },
    }
}

/// One response: who answers (an index into the round's members, past its end for someone
/// without a seat), for whom, what, and how many minutes on (or back).
#[derive(Debug, Clone)]
struct Answer {
    actor: u64,
    member: u64,
    kind: u8,
    blank: bool,
    minutes: i64,
}

fn answers(n: u64) -> impl Strategy<Value = Vec<Answer>> {
    let answer = (
        0..n + 2,
        0..n + 2,
        any::<u8>(),
        prop::bool::weighted(0.1),
        -2i64..6,
    );
    prop::collection::vec(
        answer.prop_map(|(actor, member, kind, blank, minutes)| Answer {
            actor,
            member,
            kind,
            blank,
            minutes,
        }),
        1..60,
    )
}

fn run(n: u64, spread: bool, method: Method, answers: &[Answer]) {
    let mut state = objection_round(n, spread, method);
    let mut minute = 10;
    for a in answers {
        minute += a.minutes;
        // Most answers are a member's own; some come from whoever is drawn.
        let member = id(a.member, spread);
        let actor = if a.kind % 3 == 0 {
            id(a.actor, spread)
        } else {
            member
        };
        let command = RoundCommand::Respond {
            member,
            response: response(a.kind / 3, a.blank),
        };
        let ctx = Context::new(actor, at(minute));
        let decided = ConsentProcess::decide(&state, &command, &ctx);
        assert_applies_alike::<ConsentProcess>(&state, &command, &ctx, &decided);
        ConsentProcess::apply(&mut state, &command, &ctx).ok();
    }
    // The round closes the same way on either path's seats.
    let close = RoundCommand::CloseRound {};
    let ctx = Context::new(FACILITATOR, at(minute.max(10) + 60));
    let decided = ConsentProcess::decide(&state, &close, &ctx);
    assert_applies_alike::<ConsentProcess>(&state, &close, &ctx, &decided);
}

proptest! {
    #[test]
    fn apply_answers_as_decide_and_evolve_on_hashed_seats(answers in answers(40)) {
        run(40, true, Method::Consent, &answers);
    }

    #[test]
    fn apply_answers_as_decide_and_evolve_on_direct_seats(answers in answers(40)) {
        run(40, false, Method::Consent, &answers);
    }

    #[test]
    fn apply_answers_as_decide_and_evolve_under_consensus(answers in answers(12)) {
        run(12, true, Method::Consensus, &answers);
    }
}

/// Every member of a larger round on hashed seats answers through `apply`, and the seats
/// hold what `decide` and `evolve` would have written.
#[test]
fn a_large_hashed_round_answered_through_apply_matches_the_two_steps() {
    let n = 5_000;
    let mut applied = objection_round(n, true, Method::Consent);
    let mut stepped = applied.clone();
    for k in 0..n {
        let member = id(k, true);
        let command = RoundCommand::Respond {
            member,
            response: response((k % 2) as u8, false),
        };
        let ctx = Context::new(member, at(10));
        let events = ConsentProcess::apply(&mut applied, &command, &ctx).unwrap();
        let decided = ConsentProcess::decide(&stepped, &command, &ctx).unwrap();
        assert_eq!(events, decided);
        stepped = decided.iter().fold(stepped, ConsentProcess::evolve);
    }
    assert_eq!(applied, stepped);
    let responses = applied.round().unwrap().responses();
    assert_eq!(responses.len(), n as usize);
}
