//! The rules of closing a consent round's objection round (absence, quorum, concerns) and
//! of integrating its objections, one rule a test in given/when/then form; and the round's
//! projection into a decision record for the value-check. See `consent_rules.rs` for the
//! cast and the conventions.

mod common;

use coproduction::machine::RefusalKind;
use std::collections::BTreeSet;

use common::consent::{
    BUDGET, CHILDCARE, COVER, FACILITATOR, PROPOSER, SECRETARY, accepted, advanced_to, after,
    amend_answering, at, by, concern, config, consent, ctx, heard, integrating, integrating_with,
    m, object, respond, round_of, test_objection,
};
use coproduction::community::{Community, Member, Role};
use coproduction::consent::{
    AbsencePolicy, CloseResult, Concern, ConcernId, ConcernSource, ConsentError, ConsentProcess,
    Ending, Fate, ObjectionId, ObjectionStatus, ObjectionTest, QuorumSize, RoundCommand,
    RoundConfig, RoundEvent, RoundPhase, Tally,
};
use coproduction::decision::{DecisionKind, Method};
use coproduction::machine::testkit::given;
use coproduction::machine::{Context, Decider};
use coproduction::values::{
    AbsenceCounted, Charter, Disposition as RecordDisposition, ObjectionEntry, Outcome,
    Participant, RaisedAs, RecordedResponse, RouteSummary, Status, TestResult,
};

use RoundPhase as P;

// ---------------------------------------------------------------------------------------
// Closing an objection round: absence and quorum
// ---------------------------------------------------------------------------------------

fn close_at(minute: i64) -> (RoundCommand, Context<'static>) {
    (RoundCommand::CloseRound {}, by(FACILITATOR, minute))
}

#[test]
fn only_the_facilitator_closes_an_objection_round() {
    let h = heard(config(Method::Consent), &[(1, consent()), (2, consent())]);
    given::<ConsentProcess>(h)
        .when(RoundCommand::CloseRound {}, by(PROPOSER, 6))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "close_round",
            actor: PROPOSER,
            role: "facilitator",
        }));
}

#[test]
fn a_round_nobody_objects_to_is_consented() {
    let h = heard(
        config(Method::Consent),
        &[(1, consent()), (2, consent()), (3, consent())],
    );
    let (close, who) = close_at(7);
    let state = given::<ConsentProcess>(h)
        .when(close, who)
        .then([RoundEvent::RoundClosed {
            round: 1,
            tally: Box::new(Tally {
                eligible: 4,
                responded: 3,
                lived_experience_responded: 2,
                consents: 3,
                ..Tally::default()
            }),
            result: CloseResult::Consented,
            objections: vec![],
            concerns: vec![],
            absent: vec![m(4)],
            at: at(7),
        }]);
    assert_eq!(state.phase(), P::Consented);
}

#[test]
fn absence_counted_as_no_objection_records_the_absent() {
    let mut c = config(Method::Consent);
    c.absence = AbsencePolicy::CountAsNoObjection;
    let (close, who) = close_at(6);
    let state = given::<ConsentProcess>(heard(c.clone(), &[(1, consent()), (2, consent())]))
        .when(close.clone(), who)
        .then([RoundEvent::RoundClosed {
            round: 1,
            tally: Box::new(Tally {
                eligible: 4,
                responded: 2,
                lived_experience_responded: 1,
                consents: 2,
                ..Tally::default()
            }),
            result: CloseResult::Consented,
            objections: vec![],
            concerns: vec![],
            absent: vec![m(3), m(4)],
            at: at(6),
        }]);
    assert_eq!(round_of(&state).absent(), [m(3), m(4)]);
    // The absent are taken as not objecting, but they do not make up the quorum.
    given::<ConsentProcess>(heard(c, &[(2, consent())]))
        .when(close, by(FACILITATOR, 6))
        .then_error(ConsentError::QuorumNotMet {
            responded: 1,
            required: 2,
            lived_experience_responded: 1,
            lived_experience_required: 1,
        });
}

#[test]
fn absence_policy_defer_defers_when_someone_is_unheard() {
    let mut c = config(Method::Consent);
    c.absence = AbsencePolicy::Defer;
    let (close, who) = close_at(6);
    let state = given::<ConsentProcess>(heard(c.clone(), &[(1, consent()), (2, consent())]))
        .when(close.clone(), who)
        .then([RoundEvent::RoundClosed {
            round: 1,
            tally: Box::new(Tally {
                eligible: 4,
                responded: 2,
                lived_experience_responded: 1,
                consents: 2,
                ..Tally::default()
            }),
            result: CloseResult::DeferredByAbsence,
            objections: vec![],
            concerns: vec![],
            absent: vec![m(3), m(4)],
            at: at(6),
        }]);
    assert_eq!(state.phase(), P::Deferred);
    assert!(matches!(
        round_of(&state).ending(),
        Some(Ending::Deferred { .. })
    ));
    // With everyone heard, the same policy lets the round close as usual.
    let everyone = [
        (1, consent()),
        (2, consent()),
        (3, consent()),
        (4, consent()),
    ];
    let state = accepted(heard(c, &everyone), close, by(FACILITATOR, 8));
    assert_eq!(state.phase(), P::Consented);
}

#[test]
fn a_close_without_quorum_is_refused() {
    let (close, who) = close_at(5);
    given::<ConsentProcess>(heard(config(Method::Consent), &[(2, consent())]))
        .when(close, who)
        .then_error(ConsentError::QuorumNotMet {
            responded: 1,
            required: 2,
            lived_experience_responded: 1,
            lived_experience_required: 1,
        });
}

#[test]
fn a_quorum_share_is_rounded_up() {
    let mut c = config(Method::Consent);
    c.quorum.size = QuorumSize::Share {
        numerator: 2,
        denominator: 3,
    };
    let (close, who) = close_at(6);
    // Two thirds of four members is two and two thirds: three must respond.
    given::<ConsentProcess>(heard(c, &[(1, consent()), (2, consent())]))
        .when(close, who)
        .then_error(ConsentError::QuorumNotMet {
            responded: 2,
            required: 3,
            lived_experience_responded: 1,
            lived_experience_required: 1,
        });
}

#[test]
fn the_lived_experience_minimum_is_part_of_the_quorum() {
    let (close, who) = close_at(6);
    given::<ConsentProcess>(heard(
        config(Method::Consent),
        &[(1, consent()), (4, consent())],
    ))
    .when(close, who)
    .then_error(ConsentError::QuorumNotMet {
        responded: 2,
        required: 2,
        lived_experience_responded: 0,
        lived_experience_required: 1,
    });
}

#[test]
fn a_consent_with_a_concern_is_logged_as_a_concern_at_the_close() {
    let h = heard(
        config(Method::Consent),
        &[(1, consent()), (2, concern(BUDGET))],
    );
    let (close, who) = close_at(6);
    let state = given::<ConsentProcess>(h)
        .when(close, who)
        .then([RoundEvent::RoundClosed {
            round: 1,
            tally: Box::new(Tally {
                eligible: 4,
                responded: 2,
                lived_experience_responded: 1,
                consents: 2,
                concerns: 1,
                ..Tally::default()
            }),
            result: CloseResult::Consented,
            objections: vec![],
            concerns: vec![(ConcernId(1), m(2), BUDGET.into())],
            absent: vec![m(3), m(4)],
            at: at(6),
        }]);
    assert_eq!(
        round_of(&state).concerns(),
        [Concern {
            id: ConcernId(1),
            by: m(2),
            text: BUDGET.into(),
            source: ConcernSource::Response { round: 1 },
            amendments: vec![],
        }]
    );
}

// ---------------------------------------------------------------------------------------
// Objections
// ---------------------------------------------------------------------------------------

#[test]
fn objections_move_the_round_to_integration() {
    // Member 3 objects before member 2; objections are numbered in member order.
    let h = heard(
        config(Method::Consent),
        &[(3, object(COVER)), (2, object(CHILDCARE)), (1, consent())],
    );
    let (close, who) = close_at(7);
    let state = given::<ConsentProcess>(h)
        .when(close, who)
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
            result: CloseResult::Objections,
            objections: vec![
                (ObjectionId(1), m(2), CHILDCARE.into()),
                (ObjectionId(2), m(3), COVER.into()),
            ],
            concerns: vec![],
            absent: vec![m(4)],
            at: at(7),
        }]);
    assert_eq!(state.phase(), P::Integrating);
    let current = round_of(&state)
        .current_objection()
        .expect("an objection is open");
    assert_eq!(
        (current.id, current.status),
        (ObjectionId(1), ObjectionStatus::Raised)
    );
}

#[test]
fn objections_are_tested_one_at_a_time() {
    given::<ConsentProcess>(integrating())
        .when(test_objection(2, true), by(FACILITATOR, 8))
        .then_error(ConsentError::NotCurrentObjection {
            attempted: "test_objection",
            objection: ObjectionId(2),
            current: Some(ObjectionId(1)),
        });
    // Once the first is settled, the second is the one being integrated.
    let h = after(integrating(), test_objection(1, false), by(FACILITATOR, 8));
    accepted(h, test_objection(2, true), by(FACILITATOR, 9));
}

#[test]
fn only_the_facilitator_tests_an_objection_and_records_the_reasoning() {
    given::<ConsentProcess>(integrating())
        .when(test_objection(1, true), by(PROPOSER, 8))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "test_objection",
            actor: PROPOSER,
            role: "facilitator",
        }));
    given::<ConsentProcess>(integrating())
        .when(
            RoundCommand::TestObjection {
                objection: ObjectionId(1),
                criteria: vec![],
                reasoning: " ".into(),
                valid: true,
            },
            by(FACILITATOR, 8),
        )
        .then_error(ConsentError::from(RefusalKind::TextRequired {
            attempted: "test_objection",
            field: "reasoning",
        }));
}

#[test]
fn an_unknown_objection_is_named_in_the_refusal() {
    given::<ConsentProcess>(integrating())
        .when(test_objection(9, true), by(FACILITATOR, 8))
        .then_error(ConsentError::UnknownObjection {
            objection: ObjectionId(9),
        });
}

#[test]
fn an_objection_found_not_valid_is_kept_as_a_concern() {
    let state = given::<ConsentProcess>(integrating())
        .when(
            RoundCommand::TestObjection {
                objection: ObjectionId(1),
                criteria: vec![],
                reasoning: "A better time, not a harm".into(),
                valid: false,
            },
            by(FACILITATOR, 8),
        )
        .then([RoundEvent::ObjectionTested {
            objection: ObjectionId(1),
            test: ObjectionTest {
                criteria: BTreeSet::new(),
                reasoning: "A better time, not a harm".into(),
                valid: false,
                tested_by: FACILITATOR,
                at: at(8),
            },
            concern: Some(ConcernId(1)),
        }]);
    let round = round_of(&state);
    let objection = &round.objections()[0];
    assert_eq!(objection.status, ObjectionStatus::KeptAsConcern);
    assert_eq!(objection.disposition(), Fate::LoggedAsConcern);
    assert_eq!(
        round.concerns(),
        [Concern {
            id: ConcernId(1),
            by: m(2),
            text: CHILDCARE.into(),
            source: ConcernSource::Objection {
                objection: ObjectionId(1)
            },
            amendments: vec![],
        }]
    );
}

#[test]
fn an_objection_is_tested_once() {
    let h = after(integrating(), test_objection(1, true), by(FACILITATOR, 8));
    given::<ConsentProcess>(h)
        .when(test_objection(1, false), by(FACILITATOR, 9))
        .then_error(ConsentError::ObjectionStatus {
            attempted: "test_objection",
            objection: ObjectionId(1),
            status: ObjectionStatus::Valid,
        });
}

#[test]
fn a_valid_objection_is_resolved_only_when_objector_and_proposer_confirm() {
    let h = after(integrating(), test_objection(1, true), by(FACILITATOR, 8));
    let h = after(h, amend_answering(1), by(PROPOSER, 9));
    let confirm = RoundCommand::ConfirmResolved {
        objection: ObjectionId(1),
    };
    given::<ConsentProcess>(h.clone())
        .when(confirm.clone(), ctx(3, 10))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "confirm_resolved",
            actor: m(3),
            role: "objector",
        }));
    let state = given::<ConsentProcess>(h.clone())
        .when(confirm.clone(), ctx(2, 10))
        .then([RoundEvent::ResolutionConfirmed {
            objection: ObjectionId(1),
            by: m(2),
            as_objector: true,
            as_proposer: false,
            at: at(10),
        }]);
    assert_eq!(
        round_of(&state).objections()[0].status,
        ObjectionStatus::Valid
    );
    let h = after(h, confirm.clone(), ctx(2, 10));
    let state = given::<ConsentProcess>(h)
        .when(confirm, by(PROPOSER, 11))
        .then([RoundEvent::ResolutionConfirmed {
            objection: ObjectionId(1),
            by: PROPOSER,
            as_objector: false,
            as_proposer: true,
            at: at(11),
        }]);
    let round = round_of(&state);
    assert_eq!(round.objections()[0].status, ObjectionStatus::Resolved);
    assert_eq!(round.objections()[0].disposition(), Fate::Integrated);
    assert_eq!(
        round.current_objection().map(|o| o.id),
        Some(ObjectionId(2))
    );
}

#[test]
fn confirming_needs_an_amendment_that_answers_the_objection() {
    let confirm = RoundCommand::ConfirmResolved {
        objection: ObjectionId(1),
    };
    let tested = after(integrating(), test_objection(1, true), by(FACILITATOR, 8));
    given::<ConsentProcess>(tested.clone())
        .when(confirm.clone(), ctx(2, 9))
        .then_error(ConsentError::NotAmended {
            objection: ObjectionId(1),
        });
    // An amendment that answers nothing in particular does not resolve it either.
    let amended = after(
        tested,
        RoundCommand::Amend {
            text: "Tidy the wording".into(),
            answers: vec![],
        },
        by(PROPOSER, 9),
    );
    given::<ConsentProcess>(amended)
        .when(confirm, ctx(2, 10))
        .then_error(ConsentError::NotAmended {
            objection: ObjectionId(1),
        });
}

#[test]
fn only_a_valid_objection_is_confirmed_resolved() {
    given::<ConsentProcess>(integrating())
        .when(
            RoundCommand::ConfirmResolved {
                objection: ObjectionId(1),
            },
            ctx(2, 8),
        )
        .then_error(ConsentError::ObjectionStatus {
            attempted: "confirm_resolved",
            objection: ObjectionId(1),
            status: ObjectionStatus::Raised,
        });
}

#[test]
fn the_next_round_waits_for_every_objection_to_be_settled() {
    let advance = || RoundCommand::Advance {};
    given::<ConsentProcess>(integrating())
        .when(advance(), by(FACILITATOR, 8))
        .then_error(ConsentError::OpenObjections {
            attempted: "advance",
            objections: vec![ObjectionId(1), ObjectionId(2)],
        });
    let h = after(integrating(), test_objection(1, false), by(FACILITATOR, 8));
    given::<ConsentProcess>(h.clone())
        .when(advance(), by(FACILITATOR, 9))
        .then_error(ConsentError::OpenObjections {
            attempted: "advance",
            objections: vec![ObjectionId(2)],
        });
    let h = after(
        h,
        RoundCommand::WithdrawObjection {
            objection: ObjectionId(2),
        },
        ctx(3, 9),
    );
    let state = given::<ConsentProcess>(h)
        .when(advance(), by(FACILITATOR, 10))
        .then([advanced_to(P::ObjectionRound, Some(2), 10)]);
    // The new round hears everyone afresh.
    assert_eq!(round_of(&state).objection_round(), 2);
    assert!(round_of(&state).responses().is_empty());
}

#[test]
fn rounds_beyond_the_maximum_break_the_process_down() {
    let mut c = config(Method::Consent);
    c.max_objection_rounds = 1;
    let h = after(
        integrating_with(c),
        test_objection(1, false),
        by(FACILITATOR, 8),
    );
    let h = after(h, test_objection(2, false), by(FACILITATOR, 9));
    let state = given::<ConsentProcess>(h)
        .when(RoundCommand::Advance {}, by(FACILITATOR, 10))
        .then([RoundEvent::BrokenDown {
            rounds: 1,
            at: at(10),
        }]);
    assert_eq!(state.phase(), P::BrokenDown);
}

#[test]
fn only_the_objector_withdraws_an_objection() {
    let withdraw_2 = || RoundCommand::WithdrawObjection {
        objection: ObjectionId(2),
    };
    given::<ConsentProcess>(integrating())
        .when(withdraw_2(), by(PROPOSER, 8))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "withdraw_objection",
            actor: PROPOSER,
            role: "objector",
        }));
    // An objector may withdraw while another objection is being integrated.
    given::<ConsentProcess>(integrating())
        .when(withdraw_2(), ctx(3, 8))
        .then([RoundEvent::ObjectionWithdrawn {
            objection: ObjectionId(2),
            at: at(8),
        }]);
    let h = after(integrating(), withdraw_2(), ctx(3, 8));
    given::<ConsentProcess>(h)
        .when(withdraw_2(), ctx(3, 9))
        .then_error(ConsentError::ObjectionStatus {
            attempted: "withdraw_objection",
            objection: ObjectionId(2),
            status: ObjectionStatus::Withdrawn,
        });
}

#[test]
fn abandoning_an_objection_needs_a_reason() {
    let abandon = |why: &str| RoundCommand::AbandonObjection {
        objection: ObjectionId(1),
        reason: why.into(),
    };
    given::<ConsentProcess>(integrating())
        .when(abandon(" "), by(FACILITATOR, 8))
        .then_error(ConsentError::from(RefusalKind::TextRequired {
            attempted: "abandon_objection",
            field: "reason",
        }));
    given::<ConsentProcess>(integrating())
        .when(abandon("The objector left the group"), by(PROPOSER, 8))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "abandon_objection",
            actor: PROPOSER,
            role: "facilitator",
        }));
    let state = given::<ConsentProcess>(integrating())
        .when(abandon("The objector left the group"), by(FACILITATOR, 8))
        .then([RoundEvent::ObjectionAbandoned {
            objection: ObjectionId(1),
            reason: "The objector left the group".into(),
            at: at(8),
        }]);
    let objection = &round_of(&state).objections()[0];
    assert_eq!(objection.status, ObjectionStatus::Abandoned);
    assert_eq!(
        objection.abandoned_because.as_deref(),
        Some("The objector left the group")
    );
}

// ---------------------------------------------------------------------------------------
// The round as a decision record
// ---------------------------------------------------------------------------------------

/// The deciding body's members as the community knows them: 1 and 2 co-producers, 3 a
/// community member, 4 staff; 2 and 3 bring lived experience.
fn community() -> Community {
    let mut community = Community::new();
    let members = [
        Member::new(m(1), "Co-producer 1").with_role(Role::CoProducer),
        Member::new(m(2), "Co-producer 2")
            .with_role(Role::CoProducer)
            .with_lived_experience(),
        Member::new(m(3), "Community member 3")
            .with_role(Role::CommunityMember)
            .with_lived_experience(),
        Member::new(m(4), "Staff member 4").with_role(Role::Staff),
    ];
    for member in members {
        community.add_member(member).unwrap();
    }
    community
}

/// Round 1: 2 and 3 object, 1 and 4 consent; closed at 8. Objection 1 (member 2's) is found
/// not valid and kept as a concern; objection 2 (member 3's) is found valid, answered by an
/// amendment and confirmed by its objector and the proposer.
fn settled_after_round_one(config: RoundConfig) -> Vec<RoundEvent> {
    let h = heard(
        config,
        &[
            (1, consent()),
            (2, object(CHILDCARE)),
            (3, object(COVER)),
            (4, consent()),
        ],
    );
    let h = after(h, RoundCommand::CloseRound {}, by(FACILITATOR, 8));
    let h = after(h, test_objection(1, false), by(FACILITATOR, 9));
    let h = after(h, test_objection(2, true), by(FACILITATOR, 10));
    let h = after(h, amend_answering(2), by(PROPOSER, 11));
    let confirm = || RoundCommand::ConfirmResolved {
        objection: ObjectionId(2),
    };
    let h = after(h, confirm(), ctx(3, 12));
    after(h, confirm(), by(PROPOSER, 13))
}

#[test]
fn the_record_of_a_consented_round_gives_every_objection_and_concern_its_disposition() {
    let mut c = config(Method::Consent);
    c.absence = AbsencePolicy::CountAsNoObjection;
    let h = settled_after_round_one(c);
    // Round 2: 1 and 3 consent, 4 consents with a concern, 2 is absent; adopted at 19.
    let h = after(h, RoundCommand::Advance {}, by(FACILITATOR, 14));
    let h = after(h, respond(1, consent()), ctx(1, 15));
    let h = after(h, respond(3, consent()), ctx(3, 16));
    let h = after(h, respond(4, concern(BUDGET)), ctx(4, 17));
    let h = after(h, RoundCommand::CloseRound {}, by(FACILITATOR, 18));
    let review = at(60 * 24 * 182);
    let h = after(
        h,
        RoundCommand::RecordOutcome {
            statement: "The drop-in opens on Saturdays for a trial".into(),
            review_date: review,
        },
        by(SECRETARY, 19),
    );
    let state = ConsentProcess::replay(&h);
    assert_eq!(state.phase(), P::Adopted);

    let record = round_of(&state).record(DecisionKind::Operational, &community(), at(20));

    let participant = |n, lived, public, response: Option<RecordedResponse>| {
        let mut p = Participant::new(m(n));
        p.lived_experience = lived;
        p.public_contributor = public;
        p.response = response;
        p
    };
    let absent = participant(2, true, true, None).absent(AbsenceCounted::Consent);
    assert_eq!(
        record.participants.clone().map(Vec::from),
        Some(vec![
            participant(1, false, true, Some(RecordedResponse::Consent)),
            absent,
            participant(3, true, true, Some(RecordedResponse::Consent)),
            participant(4, false, false, Some(RecordedResponse::ConsentWithConcern)),
        ])
    );
    assert_eq!(record.absence_policy, Some(AbsenceCounted::Consent));
    assert_eq!(
        record.objections,
        Some(vec![
            ObjectionEntry::new(m(2), RaisedAs::Objection)
                .saying("Saturday mornings clash with childcare for co-producers")
                .tested(TestResult::NotValid)
                .disposed(RecordDisposition::LoggedAsConcern),
            ObjectionEntry {
                amended_by: vec![
                    "Opening alternates between Saturday and a weekday evening".into()
                ],
                ..ObjectionEntry::new(m(3), RaisedAs::Objection)
                    .saying("There is no staff cover on Saturdays to open the building")
                    .tested(TestResult::Valid)
                    .disposed(RecordDisposition::Integrated)
            },
            ObjectionEntry::new(m(4), RaisedAs::Concern)
                .saying("The trial may overspend the room budget")
                .disposed(RecordDisposition::LoggedAsConcern),
        ])
    );
    assert_eq!(record.outcome, Some(Outcome::Adopted));
    assert_eq!(
        record.route_taken,
        Some(RouteSummary::new(
            "coproduction_group".parse().unwrap(),
            Method::Consent
        ))
    );
    assert_eq!(record.rationale, None);
    assert_eq!(record.dates.round_opened_at, Some(at(0)));
    assert_eq!(record.dates.round_closed_at, Some(at(18)));
    assert_eq!(record.dates.decided_at, Some(at(19)));
    assert_eq!(record.dates.review_at, Some(review));
    assert_eq!(record.dates.as_of, Some(at(20)));

    let report = Charter::default().check(&record);
    for rule in ["T3", "C6"] {
        let finding = report
            .finding(rule)
            .expect("the default charter has the rule");
        assert_eq!(
            finding.status,
            Status::Satisfied,
            "{rule}: {}",
            finding.message
        );
    }
}

#[test]
fn a_round_still_integrating_leaves_its_objections_without_a_disposition() {
    // The same round before its objections were settled: the value-check sees them open.
    let state = ConsentProcess::replay(&integrating());
    let record = round_of(&state).record(DecisionKind::Operational, &community(), at(8));
    assert_eq!(
        record.objections,
        Some(vec![
            ObjectionEntry::new(m(2), RaisedAs::Objection)
                .saying("Saturday mornings clash with childcare for co-producers"),
            ObjectionEntry::new(m(3), RaisedAs::Objection)
                .saying("There is no staff cover on Saturdays to open the building"),
        ])
    );
    assert_eq!(record.outcome, None);
    let report = Charter::default().check(&record);
    assert_eq!(
        report.finding("T3").map(|f| f.status),
        Some(Status::Violated)
    );
}

/// `history` with each of `members` consenting, a minute apart from `minute`.
fn heard_again(mut history: Vec<RoundEvent>, members: &[u64], minute: i64) -> Vec<RoundEvent> {
    for (at_minute, member) in (minute..).zip(members) {
        history = after(
            history,
            respond(*member, consent()),
            ctx(*member, at_minute),
        );
    }
    history
}

#[test]
fn abandoning_a_valid_objection_lets_the_round_go_on_but_the_charter_still_sees_it_open() {
    // The machine counts an abandoned objection as settled; rule C6 presumes a valid one
    // still stands, so adopting over it needs an override at the gate.
    let h = after(integrating(), test_objection(1, true), by(FACILITATOR, 8));
    let h = after(
        h,
        RoundCommand::AbandonObjection {
            objection: ObjectionId(1),
            reason: "The objector left the group".into(),
        },
        by(FACILITATOR, 9),
    );
    let h = after(
        h,
        RoundCommand::WithdrawObjection {
            objection: ObjectionId(2),
        },
        ctx(3, 10),
    );
    let h = after(h, RoundCommand::Advance {}, by(FACILITATOR, 11));
    let h = heard_again(h, &[1, 3, 4], 12);
    let h = after(h, RoundCommand::CloseRound {}, by(FACILITATOR, 15));
    let state = ConsentProcess::replay(&h);
    assert_eq!(state.phase(), P::Consented);
    // The record the adoption would project, as the gate sees it before adopting.
    let community = community();
    let projection = coproduction::process::Projection {
        kind: &DecisionKind::Operational,
        community: &community,
        route: None,
        now: at(16),
    };
    let adopt = RoundCommand::RecordOutcome {
        statement: "Adopted".into(),
        review_date: at(60 * 24 * 90),
    };
    let record = coproduction::process::preview::<ConsentProcess>(
        &state,
        &adopt,
        &by(SECRETARY, 16),
        &projection,
        None,
    )
    .unwrap()
    .unwrap();
    assert_eq!(record.outcome, Some(Outcome::Adopted));
    let mut abandoned = ObjectionEntry::new(m(2), RaisedAs::Objection)
        .saying("Saturday mornings clash with childcare for co-producers")
        .tested(TestResult::Valid)
        .disposed(RecordDisposition::NotIntegrated);
    abandoned.reason = Some("The objector left the group".into());
    assert_eq!(record.objections.as_ref().map(|o| &o[0]), Some(&abandoned));
    let report = Charter::default().check(&record);
    assert_eq!(
        report.finding("T3").map(|f| f.status),
        Some(Status::Satisfied)
    );
    assert_eq!(
        report.finding("C6").map(|f| f.status),
        Some(Status::Violated)
    );
}

/// A member who objects and then, in the same objection round, consents took their
/// objection back: the record keeps it, withdrawn by them, so it never reads as though no
/// objection was raised. A concern replaced the same way stays too.
#[test]
fn an_objection_replaced_by_a_later_response_stays_in_the_record_as_taken_back() {
    let h = heard(
        config(Method::Consent),
        &[
            (1, consent()),
            (2, object(CHILDCARE)),
            (3, concern(BUDGET)),
            (4, consent()),
        ],
    );
    let h = after(h, respond(2, consent()), ctx(2, 9));
    let h = after(h, respond(3, consent()), ctx(3, 10));
    // Answering the same again replaces nothing.
    let h = after(h, respond(4, consent()), ctx(4, 11));
    let h = after(h, RoundCommand::CloseRound {}, by(FACILITATOR, 12));
    let state = ConsentProcess::replay(&h);
    assert_eq!(round_of(&state).phase(), P::Consented);
    let record = round_of(&state).record(DecisionKind::Operational, &community(), at(13));
    let taken_back = |by: u64, raised, text: &str| {
        let mut entry = ObjectionEntry::new(m(by), raised)
            .disposed(RecordDisposition::Withdrawn)
            .saying(text);
        entry.reason = Some("replaced by their later response in objection round 1".into());
        entry
    };
    assert_eq!(
        record.objections,
        Some(vec![
            taken_back(2, RaisedAs::Objection, CHILDCARE),
            taken_back(3, RaisedAs::Concern, BUDGET),
        ])
    );
    let report = Charter::default().check(&record);
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains("- What objections changed: nothing; 2 objections or concerns raised, none integrated (each is listed below).")
            && text.contains("replaced by their later response in objection round 1"),
        "{text}"
    );
}

/// An objection taken back by a later response a supporter recorded for the member says
/// so: the record names the supporter, not the member alone.
#[test]
fn an_objection_replaced_by_a_supporters_response_names_the_supporter() {
    // 6 may respond for 4.
    let h = heard(
        config(Method::Consent),
        &[
            (1, consent()),
            (2, consent()),
            (3, consent()),
            (4, object(CHILDCARE)),
        ],
    );
    let h = after(h, respond(4, consent()), ctx(6, 9));
    let state = ConsentProcess::replay(&h);
    let record = round_of(&state).record(DecisionKind::Operational, &community(), at(10));
    let entry = record
        .objections
        .as_ref()
        .and_then(|o| o.iter().find(|e| e.by == m(4)))
        .cloned()
        .unwrap();
    assert_eq!(entry.disposition, Some(RecordDisposition::Withdrawn));
    assert_eq!(
        entry.reason.as_deref(),
        Some("replaced by a later response their supporter recorded for them in objection round 1")
    );
    assert_eq!(entry.taken_back_by, Some(m(6)));
    // The record names the supporter as it names every member.
    let report = coproduction::values::Charter::default().check(&record);
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report)
        .with_names(&community())
        .to_string();
    let supporter = community()
        .member(m(6))
        .map_or_else(|| m(6).to_string(), |member| member.shown_as());
    assert!(
        text.contains(&format!(
            "withdrawn by their supporter {supporter} (replaced by a later response their supporter recorded for them in objection round 1)."
        )),
        "{text}"
    );
}

/// An objection is confirmed resolved by two people: a proposer who raised it confirms
/// nothing alone (they withdraw it instead).
#[test]
fn an_objector_who_is_the_proposer_confirms_nothing_alone() {
    let mut config = config(Method::Consent);
    config.roles.proposer = m(2);
    let h = integrating_with(config);
    let h = after(h, test_objection(1, true), by(FACILITATOR, 8));
    let h = after(h, amend_answering(1), ctx(2, 9));
    let confirm = RoundCommand::ConfirmResolved {
        objection: ObjectionId(1),
    };
    given::<ConsentProcess>(h.clone())
        .when(confirm, ctx(2, 10))
        .then_error(ConsentError::ConfirmedAlone {
            objection: ObjectionId(1),
            member: m(2),
        });
    let state = given::<ConsentProcess>(h)
        .when(
            RoundCommand::WithdrawObjection {
                objection: ObjectionId(1),
            },
            ctx(2, 10),
        )
        .then([RoundEvent::ObjectionWithdrawn {
            objection: ObjectionId(1),
            at: at(10),
        }]);
    assert_eq!(
        round_of(&state).objections()[0].status,
        ObjectionStatus::Withdrawn
    );
}
