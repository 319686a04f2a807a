//! The rules of the other methods a round can use, one rule a test in given/when/then form:
//! majority and supermajority votes (consent is in favour, an objection against, standing
//! aside abstains), consensus (an objection is a block), the advice process and the
//! delegated decision. See `consent_rules.rs` for the cast and the conventions.

mod common;

use common::consent::{
    CHILDCARE, COVER, FACILITATOR, PROPOSER, SECRETARY, accepted, after, at, by, config, consent,
    ctx, heard, history_to_objection_round, history_to_objection_round_with, m, object, opened,
    respond, round_of, stand_aside,
};
use coproduction::consent::{
    CloseResult, ConsentError, ConsentProcess, Ending, ObjectionId, Quorum, Response, RoundCommand,
    RoundConfig, RoundEvent, RoundPhase, Tally,
};
use coproduction::decision::Method;
use coproduction::machine::Decider;
use coproduction::machine::RefusalKind;
use coproduction::machine::testkit::given;

use RoundPhase as P;

const TWO_THIRDS: Method = Method::Supermajority {
    numerator: 2,
    denominator: 3,
};
const THREE_QUARTERS: Method = Method::Supermajority {
    numerator: 3,
    denominator: 4,
};
const RATIONALE: &str = "Most affected members can come on Saturdays";

fn close() -> RoundCommand {
    RoundCommand::CloseRound {}
}

fn advice(text: &str) -> Response {
    Response::Advice {
        advice: text.into(),
        affected: true,
        expertise: false,
    }
}

/// An advice process whose proposer decides; nobody votes, so no quorum (as a governance
/// route sets it up).
fn advice_config() -> RoundConfig {
    let mut c = config(Method::AdviceProcess);
    c.quorum = Quorum::NONE;
    c
}

/// A delegated decision: the proposer decides alone, with nobody eligible to respond.
fn delegated_config() -> RoundConfig {
    let mut c = config(Method::Delegated);
    c.eligible.clear();
    c.supporters.clear();
    c.quorum = Quorum::NONE;
    c
}

fn answer(member: u64, text: &str) -> RoundCommand {
    RoundCommand::AnswerAdvice {
        member: m(member),
        answer: text.into(),
    }
}

fn decide(adopt: bool, rationale: &str) -> RoundCommand {
    RoundCommand::Decide {
        adopt,
        rationale: rationale.into(),
    }
}

// ---------------------------------------------------------------------------------------
// Votes
// ---------------------------------------------------------------------------------------

#[test]
fn a_majority_vote_carries_with_more_for_than_against() {
    let h = heard(
        config(Method::Majority),
        &[(1, consent()), (2, consent()), (3, object(COVER))],
    );
    let state = given::<ConsentProcess>(h)
        .when(close(), by(FACILITATOR, 7))
        .then([RoundEvent::RoundClosed {
            round: 1,
            tally: Box::new(Tally {
                eligible: 4,
                responded: 3,
                lived_experience_responded: 2,
                consents: 2,
                objections: 1,
                ..Tally::default()
            }),
            result: CloseResult::Consented,
            // A vote against is counted, not integrated.
            objections: vec![],
            concerns: vec![],
            absent: vec![m(4)],
            at: at(7),
        }]);
    assert_eq!(state.phase(), P::Consented);
    // As many against as for is not a majority.
    let tied = heard(
        config(Method::Majority),
        &[(1, consent()), (2, object(CHILDCARE))],
    );
    assert_eq!(
        accepted(tied, close(), by(FACILITATOR, 6)).phase(),
        P::Declined
    );
}

#[test]
fn a_supermajority_counts_votes_cast_not_abstentions() {
    // Two for, one against, one abstaining: two thirds of the votes cast, half of those
    // who responded.
    let votes = [
        (1, consent()),
        (2, consent()),
        (3, object(COVER)),
        (4, stand_aside("I run the weekday group")),
    ];
    given::<ConsentProcess>(heard(config(TWO_THIRDS), &votes))
        .when(close(), by(FACILITATOR, 8))
        .then([RoundEvent::RoundClosed {
            round: 1,
            tally: Box::new(Tally {
                eligible: 4,
                responded: 4,
                lived_experience_responded: 2,
                consents: 2,
                objections: 1,
                stand_asides: 1,
                ..Tally::default()
            }),
            result: CloseResult::Consented,
            objections: vec![],
            concerns: vec![],
            absent: vec![],
            at: at(8),
        }]);
    let state = accepted(
        heard(config(THREE_QUARTERS), &votes),
        close(),
        by(FACILITATOR, 8),
    );
    assert_eq!(state.phase(), P::Declined);
}

#[test]
fn a_vote_that_fails_is_declined() {
    let h = heard(
        config(Method::Majority),
        &[(1, consent()), (2, object(CHILDCARE)), (3, object(COVER))],
    );
    let state = given::<ConsentProcess>(h)
        .when(close(), by(FACILITATOR, 7))
        .then([RoundEvent::RoundClosed {
            round: 1,
            tally: Box::new(Tally {
                eligible: 4,
                responded: 3,
                lived_experience_responded: 2,
                consents: 1,
                objections: 2,
                ..Tally::default()
            }),
            result: CloseResult::Declined,
            objections: vec![],
            concerns: vec![],
            absent: vec![m(4)],
            at: at(7),
        }]);
    assert_eq!(state.phase(), P::Declined);
    assert_eq!(
        round_of(&state).ending(),
        Some(&Ending::Declined { at: at(7) })
    );
    assert!(round_of(&state).objections().is_empty());
}

#[test]
fn standing_aside_needs_a_reason() {
    given::<ConsentProcess>(history_to_objection_round(Method::Majority))
        .when(respond(2, stand_aside(" ")), ctx(2, 4))
        .then_error(ConsentError::from(RefusalKind::TextRequired {
            attempted: "respond",
            field: "stand_aside",
        }));
}

// ---------------------------------------------------------------------------------------
// Consensus
// ---------------------------------------------------------------------------------------

#[test]
fn consensus_allows_standing_aside_and_a_block_integrates() {
    let aside = heard(
        config(Method::Consensus),
        &[
            (1, consent()),
            (2, stand_aside("I cannot come on Saturdays")),
            (3, consent()),
        ],
    );
    assert_eq!(
        accepted(aside, close(), by(FACILITATOR, 7)).phase(),
        P::Consented
    );
    let blocked = heard(
        config(Method::Consensus),
        &[(1, consent()), (2, object(CHILDCARE)), (3, consent())],
    );
    let state = given::<ConsentProcess>(blocked)
        .when(close(), by(FACILITATOR, 7))
        .then([RoundEvent::RoundClosed {
            round: 1,
            tally: Box::new(Tally {
                eligible: 4,
                responded: 3,
                lived_experience_responded: 2,
                consents: 2,
                objections: 1,
                ..Tally::default()
            }),
            result: CloseResult::Objections,
            objections: vec![(ObjectionId(1), m(2), CHILDCARE.into())],
            concerns: vec![],
            absent: vec![m(4)],
            at: at(7),
        }]);
    assert_eq!(state.phase(), P::Integrating);
}

// ---------------------------------------------------------------------------------------
// Advice process
// ---------------------------------------------------------------------------------------

#[test]
fn advice_is_the_only_response_in_an_advice_process() {
    let h = history_to_objection_round_with(advice_config());
    given::<ConsentProcess>(h.clone())
        .when(respond(2, advice("Ask the families first")), ctx(2, 4))
        .then([RoundEvent::Responded {
            member: m(2),
            response: advice("Ask the families first"),
            proxy: None,
            round: 1,
            at: at(4),
        }]);
    for (response, label) in [(consent(), "consent"), (object(COVER), "object")] {
        given::<ConsentProcess>(h.clone())
            .when(respond(2, response), ctx(2, 4))
            .then_error(ConsentError::ResponseNotAllowed {
                response: label,
                method: Method::AdviceProcess,
            });
    }
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(respond(2, advice("Ask the families first")), ctx(2, 4))
        .then_error(ConsentError::ResponseNotAllowed {
            response: "advice",
            method: Method::Consent,
        });
}

#[test]
fn an_advice_process_decides_only_when_every_piece_of_advice_is_answered() {
    let h = heard(
        advice_config(),
        &[
            (2, advice("Ask the families first")),
            (3, advice("Check the lease")),
        ],
    );
    given::<ConsentProcess>(h.clone())
        .when(decide(true, RATIONALE), by(PROPOSER, 6))
        .then_error(ConsentError::AdviceUnanswered {
            members: vec![m(2), m(3)],
        });
    given::<ConsentProcess>(h.clone())
        .when(
            answer(2, "Asked them; most prefer Saturdays"),
            by(PROPOSER, 6),
        )
        .then([RoundEvent::AdviceAnswered {
            member: m(2),
            answer: "Asked them; most prefer Saturdays".into(),
            at: at(6),
        }]);
    let h = after(
        h,
        answer(2, "Asked them; most prefer Saturdays"),
        by(PROPOSER, 6),
    );
    given::<ConsentProcess>(h.clone())
        .when(decide(true, RATIONALE), by(PROPOSER, 7))
        .then_error(ConsentError::AdviceUnanswered {
            members: vec![m(3)],
        });
    let h = after(
        h,
        answer(3, "The lease allows weekend use"),
        by(PROPOSER, 7),
    );
    let state = given::<ConsentProcess>(h.clone())
        .when(decide(true, RATIONALE), by(PROPOSER, 8))
        .then([RoundEvent::Decided {
            adopt: true,
            rationale: RATIONALE.into(),
            by: PROPOSER,
            at: at(8),
        }]);
    assert_eq!(state.phase(), P::Consented);
    // The decision is published like any other: the secretary records it.
    let h = after(h, decide(true, RATIONALE), by(PROPOSER, 8));
    let record = RoundCommand::RecordOutcome {
        statement: "Adopted after advice".into(),
        review_date: at(60 * 24 * 90),
    };
    assert_eq!(accepted(h, record, by(SECRETARY, 9)).phase(), P::Adopted);
}

#[test]
fn an_advice_process_needs_advice_before_deciding() {
    given::<ConsentProcess>(history_to_objection_round_with(advice_config()))
        .when(decide(true, RATIONALE), by(PROPOSER, 4))
        .then_error(ConsentError::NoAdviceGiven);
    given::<ConsentProcess>([opened(advice_config())])
        .when(decide(true, RATIONALE), by(PROPOSER, 1))
        .then_error(ConsentError::from(RefusalKind::WrongPhase {
            attempted: "decide",
            phase: "presented",
        }));
}

#[test]
fn an_advice_process_decides_only_once_its_quorum_has_given_advice() {
    // config(..) asks two responses, one with lived experience; only member 1 advises.
    let h = heard(
        config(Method::AdviceProcess),
        &[(1, advice("Check the lease"))],
    );
    let h = after(
        h,
        answer(1, "The lease allows weekend use"),
        by(PROPOSER, 5),
    );
    given::<ConsentProcess>(h)
        .when(decide(true, RATIONALE), by(PROPOSER, 6))
        .then_error(ConsentError::QuorumNotMet {
            responded: 1,
            required: 2,
            lived_experience_responded: 0,
            lived_experience_required: 1,
        });
}

#[test]
fn a_new_response_unanswers_earlier_advice() {
    let h = heard(advice_config(), &[(2, advice("Ask the families first"))]);
    let h = after(h, answer(2, "Asked them"), by(PROPOSER, 5));
    let h = after(h, respond(2, advice("Ask the volunteers too")), ctx(2, 6));
    assert!(
        round_of(&ConsentProcess::replay(&h))
            .advice_answers()
            .is_empty()
    );
    given::<ConsentProcess>(h)
        .when(decide(true, RATIONALE), by(PROPOSER, 7))
        .then_error(ConsentError::AdviceUnanswered {
            members: vec![m(2)],
        });
}

#[test]
fn only_the_decider_answers_advice_and_only_advice_given() {
    let h = heard(advice_config(), &[(2, advice("Ask the families first"))]);
    given::<ConsentProcess>(h.clone())
        .when(answer(3, "Nothing to answer"), by(PROPOSER, 5))
        .then_error(ConsentError::NoAdvice { member: m(3) });
    given::<ConsentProcess>(h.clone())
        .when(answer(2, "Asked them"), by(FACILITATOR, 5))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "answer_advice",
            actor: FACILITATOR,
            role: "proposer",
        }));
    given::<ConsentProcess>(h)
        .when(answer(2, ""), by(PROPOSER, 5))
        .then_error(ConsentError::from(RefusalKind::TextRequired {
            attempted: "answer_advice",
            field: "answer",
        }));
}

#[test]
fn an_advice_process_is_not_closed_by_a_count() {
    let h = heard(advice_config(), &[(2, advice("Ask the families first"))]);
    given::<ConsentProcess>(h)
        .when(close(), by(FACILITATOR, 5))
        .then_error(ConsentError::MethodMismatch {
            attempted: "close_round",
            method: Method::AdviceProcess,
        });
}

#[test]
fn only_the_decider_decides() {
    let h = heard(advice_config(), &[(2, advice("Ask the families first"))]);
    let h = after(h, answer(2, "Asked them"), by(PROPOSER, 5));
    given::<ConsentProcess>(h)
        .when(decide(true, RATIONALE), by(FACILITATOR, 6))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "decide",
            actor: FACILITATOR,
            role: "proposer",
        }));
}

#[test]
fn a_consent_round_is_not_decided_by_one_person() {
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(decide(true, RATIONALE), by(PROPOSER, 4))
        .then_error(ConsentError::MethodMismatch {
            attempted: "decide",
            method: Method::Consent,
        });
}

// ---------------------------------------------------------------------------------------
// Delegated decision
// ---------------------------------------------------------------------------------------

#[test]
fn a_delegated_decision_opens_with_nobody_eligible() {
    given::<ConsentProcess>([])
        .when(
            RoundCommand::Open {
                config: Box::new(delegated_config()),
            },
            by(PROPOSER, 0),
        )
        .then([opened(delegated_config())]);
}

#[test]
fn a_delegated_decision_needs_a_rationale() {
    let presented = vec![opened(delegated_config())];
    given::<ConsentProcess>(presented.clone())
        .when(decide(true, " "), by(PROPOSER, 1))
        .then_error(ConsentError::from(RefusalKind::TextRequired {
            attempted: "decide",
            field: "rationale",
        }));
    let state = given::<ConsentProcess>(presented.clone())
        .when(decide(true, RATIONALE), by(PROPOSER, 1))
        .then([RoundEvent::Decided {
            adopt: true,
            rationale: RATIONALE.into(),
            by: PROPOSER,
            at: at(1),
        }]);
    assert_eq!(state.phase(), P::Consented);
    assert_eq!(
        round_of(&state)
            .decision()
            .and_then(|d| d.rationale.as_deref()),
        Some(RATIONALE)
    );
    let state = given::<ConsentProcess>(presented)
        .when(decide(false, "The budget is spent"), by(PROPOSER, 1))
        .then([RoundEvent::Decided {
            adopt: false,
            rationale: "The budget is spent".into(),
            by: PROPOSER,
            at: at(1),
        }]);
    assert_eq!(state.phase(), P::Declined);
}

#[test]
fn a_delegated_round_does_not_advance() {
    given::<ConsentProcess>([opened(delegated_config())])
        .when(RoundCommand::Advance {}, by(FACILITATOR, 1))
        .then_error(ConsentError::MethodMismatch {
            attempted: "advance",
            method: Method::Delegated,
        });
}
