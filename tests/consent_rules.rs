//! The rules of a consent round, one rule a test, each read as one sentence: given these
//! events, when this member does this, then exactly these events (or exactly this refusal).
//! The rules are those of the `consent` module guide and of `ConsentProcess::decide`.
//!
//! Split by subject: opening, phases, responses, adoption, exits and time here, with the
//! transition graph; closing an objection round and integrating objections (and the round's
//! decision record) in `consent_rules_objections.rs`; the other methods a round can use
//! (votes, consensus, advice, delegation) in `consent_rules_methods.rs`.
//!
//! The cast is that of `common::consent`: members 1 to 4 decide (2 and 3 bring lived
//! experience), 1 proposes, 5 facilitates, 6 is secretary and 4's named supporter, 2 is 3's
//! named supporter, 7 has no part. Histories are dated in minutes from `at(0)`.

mod common;

use common::consent::{
    CHILDCARE, FACILITATOR, OUTSIDER, PROPOSER, SECRETARY, accepted, advanced_to, after,
    amend_answering, at, by, clarifying, concern, config, consent, consented, ctx,
    history_to_objection_round, history_to_objection_round_with, integrating, m, object, opened,
    reactions, respond, responded, round_of, stand_aside, steering_group,
};
use coproduction::community::{Body, BodyId, BodyKind, Community, Member, Role};
use coproduction::consent::{
    Amendment, AmendmentId, Answers, ConcernId, ConsentError, ConsentProcess, Ending, ObjectionId,
    QuorumSize, Responded, RoundCommand, RoundConfig, RoundEvent, RoundPhase, RoundRoles, TimeBox,
};
use coproduction::decision::Method;
use coproduction::machine::RefusalKind;
use coproduction::machine::testkit::given;
use coproduction::machine::{Context, Decider};
use coproduction::process::Refusal;
use jiff::SignedDuration;

use RoundPhase as P;

fn reason(text: &str) -> String {
    text.to_owned()
}

fn withdraw(reason: &str) -> RoundCommand {
    RoundCommand::Withdraw {
        reason: reason.into(),
    }
}

// ---------------------------------------------------------------------------------------
// Opening
// ---------------------------------------------------------------------------------------

#[test]
fn a_round_is_opened_once_and_only_by_proposer_or_facilitator() {
    let open = || RoundCommand::Open {
        config: Box::new(config(Method::Consent)),
    };
    let state = given::<ConsentProcess>([])
        .when(open(), by(PROPOSER, 0))
        .then([opened(config(Method::Consent))]);
    assert_eq!(state.phase(), P::Presented);
    given::<ConsentProcess>([])
        .when(open(), by(FACILITATOR, 0))
        .then([RoundEvent::Opened {
            config: Box::new(config(Method::Consent)),
            by: FACILITATOR,
            at: at(0),
        }]);
    given::<ConsentProcess>([])
        .when(open(), by(OUTSIDER, 0))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "open",
            actor: OUTSIDER,
            role: "facilitator",
        }));
    given::<ConsentProcess>([opened(config(Method::Consent))])
        .when(open(), by(PROPOSER, 1))
        .then_error(ConsentError::from(RefusalKind::AlreadyStarted {
            attempted: "open",
        }));
}

#[test]
fn an_invalid_config_names_its_field() {
    type Spoil = fn(&mut RoundConfig);
    let cases: [(Spoil, &str, &str); 12] = [
        (|c| c.title = " ".into(), "title", "the title is blank"),
        (
            |c| c.proposal = "\u{200B}\u{2060}".into(),
            "proposal",
            "the proposal is blank",
        ),
        (
            |c| c.eligible.clear(),
            "eligible",
            "nobody is eligible to respond",
        ),
        (
            |c| c.eligible.push(c.eligible[0]),
            "eligible",
            "a member is listed twice",
        ),
        (
            |c| c.max_objection_rounds = 0,
            "max_objection_rounds",
            "at least one objection round must be allowed",
        ),
        (
            |c| c.quorum.size = QuorumSize::Count { min: 0 },
            "quorum",
            "a round decided by its members must hear at least one of them",
        ),
        (
            |c| c.quorum.size = QuorumSize::Count { min: 5 },
            "quorum",
            "the quorum is larger than the eligible set",
        ),
        (
            |c| c.quorum.lived_experience_min = 3,
            "quorum.lived_experience_min",
            "more members with lived experience are required than are eligible",
        ),
        (
            |c| {
                c.quorum.size = QuorumSize::Share {
                    numerator: 1,
                    denominator: 0,
                }
            },
            "quorum.size",
            "the share must be a fraction between 0 and 1",
        ),
        (
            |c| {
                c.method = Method::Supermajority {
                    numerator: 0,
                    denominator: 3,
                }
            },
            "method",
            "the supermajority must be a fraction above 0 and at most 1",
        ),
        (
            |c| {
                c.method = Method::Supermajority {
                    numerator: 4,
                    denominator: 3,
                }
            },
            "method",
            "the supermajority must be a fraction above 0 and at most 1",
        ),
        (
            |c| c.time_box.per_phase = Some(SignedDuration::ZERO),
            "time_box.per_phase",
            "a phase time box must be positive",
        ),
    ];
    for (spoil, field, why) in cases {
        let mut c = config(Method::Consent);
        spoil(&mut c);
        given::<ConsentProcess>([])
            .when(
                RoundCommand::Open {
                    config: Box::new(c),
                },
                by(PROPOSER, 0),
            )
            .then_error(ConsentError::InvalidConfig { field, reason: why });
    }
}

#[test]
fn eligibility_is_the_snapshot_taken_when_the_round_opens() {
    let mut community = Community::new();
    for n in 1..=4 {
        community
            .add_member(Member::new(m(n), format!("Co-producer {n}")).with_role(Role::CoProducer))
            .unwrap();
    }
    let body: BodyId = "coproduction_group".parse().unwrap();
    community
        .add_body(
            Body::new(body.clone(), "Co-production group", BodyKind::Custom).with_members([
                m(1),
                m(2),
                m(3),
            ]),
        )
        .unwrap();
    let roles = RoundRoles {
        proposer: m(1),
        facilitator: m(1),
        secretary: m(1),
    };
    let config =
        RoundConfig::consent(&community, &body, "Saturdays", "Open on Saturdays", roles).unwrap();
    // Member 4 joins the body after the round opened: the round does not hear them.
    community.join(&body, m(4)).unwrap();
    given::<ConsentProcess>(history_to_objection_round_with(config))
        .when(respond(4, consent()), ctx(4, 4))
        .then_error(ConsentError::NotEligible {
            attempted: "respond",
            member: m(4),
        });
}

#[test]
fn a_round_must_name_its_absence_policy() {
    // Silence is never taken as consent by default: a set-up without a policy does not read.
    let mut json = serde_json::to_value(config(Method::Consent)).unwrap();
    json.as_object_mut().unwrap().remove("absence");
    let read = serde_json::from_value::<RoundConfig>(json);
    assert!(read.is_err_and(|e| e.to_string().contains("absence")));
}

#[test]
fn a_round_not_yet_opened_takes_only_its_opening() {
    given::<ConsentProcess>([])
        .when(RoundCommand::Advance {}, by(FACILITATOR, 0))
        .then_error(ConsentError::from(RefusalKind::NotStarted {
            attempted: "advance",
        }));
}

#[test]
fn a_round_that_ended_takes_no_more_commands() {
    let withdrawn = after(
        history_to_objection_round(Method::Consent),
        withdraw("The room is no longer available"),
        by(PROPOSER, 4),
    );
    let refused = |command: RoundCommand, who: Context| {
        given::<ConsentProcess>(withdrawn.clone())
            .when(command.clone(), who)
            .then_error(ConsentError::from(RefusalKind::WrongPhase {
                attempted: command.label(),
                phase: "withdrawn",
            }));
    };
    refused(RoundCommand::Advance {}, by(FACILITATOR, 5));
    refused(respond(2, consent()), ctx(2, 5));
    refused(withdraw("Again"), by(PROPOSER, 5));
    refused(
        RoundCommand::Escalate {
            to: steering_group(),
            reason: reason("Stuck"),
        },
        by(FACILITATOR, 5),
    );
}

// ---------------------------------------------------------------------------------------
// Phases and roles
// ---------------------------------------------------------------------------------------

#[test]
fn only_the_facilitator_moves_the_round_on() {
    let presented = vec![opened(config(Method::Consent))];
    given::<ConsentProcess>(presented.clone())
        .when(RoundCommand::Advance {}, by(PROPOSER, 1))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "advance",
            actor: PROPOSER,
            role: "facilitator",
        }));
    given::<ConsentProcess>(presented)
        .when(RoundCommand::Advance {}, by(FACILITATOR, 1))
        .then([advanced_to(P::Clarifying, None, 1)]);
}

#[test]
fn the_round_goes_through_questions_and_reactions_to_its_first_objection_round() {
    given::<ConsentProcess>(clarifying())
        .when(RoundCommand::Advance {}, by(FACILITATOR, 2))
        .then([advanced_to(P::Reactions, None, 2)]);
    let state = given::<ConsentProcess>(reactions())
        .when(RoundCommand::Advance {}, by(FACILITATOR, 3))
        .then([advanced_to(P::ObjectionRound, Some(1), 3)]);
    assert_eq!(round_of(&state).objection_round(), 1);
    // An objection round ends by being closed and counted, not by moving on.
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(RoundCommand::Advance {}, by(FACILITATOR, 4))
        .then_error(ConsentError::from(RefusalKind::WrongPhase {
            attempted: "advance",
            phase: "objection_round",
        }));
}

#[test]
fn clarifying_questions_come_from_the_eligible_while_clarifying() {
    let ask = |q: &str| RoundCommand::AskQuestion { question: q.into() };
    given::<ConsentProcess>(clarifying())
        .when(ask("Who opens the building?"), ctx(3, 2))
        .then([RoundEvent::QuestionAsked {
            by: m(3),
            question: "Who opens the building?".into(),
            at: at(2),
        }]);
    given::<ConsentProcess>(clarifying())
        .when(ask("Who opens the building?"), by(OUTSIDER, 2))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "ask_question",
            actor: OUTSIDER,
            role: "eligible member",
        }));
    given::<ConsentProcess>(clarifying())
        .when(ask("  "), ctx(3, 2))
        .then_error(ConsentError::from(RefusalKind::TextRequired {
            attempted: "ask_question",
            field: "question",
        }));
    given::<ConsentProcess>(reactions())
        .when(ask("Who opens the building?"), ctx(3, 3))
        .then_error(ConsentError::from(RefusalKind::WrongPhase {
            attempted: "ask_question",
            phase: "reactions",
        }));
}

#[test]
fn reactions_come_from_the_eligible_in_the_reaction_round() {
    let react = || RoundCommand::React {
        reaction: "Good for people who work in the week".into(),
    };
    given::<ConsentProcess>(reactions())
        .when(react(), ctx(2, 3))
        .then([RoundEvent::Reacted {
            by: m(2),
            reaction: "Good for people who work in the week".into(),
            at: at(3),
        }]);
    given::<ConsentProcess>(reactions())
        .when(react(), by(FACILITATOR, 3))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "react",
            actor: FACILITATOR,
            role: "eligible member",
        }));
    given::<ConsentProcess>(clarifying())
        .when(react(), ctx(2, 2))
        .then_error(ConsentError::from(RefusalKind::WrongPhase {
            attempted: "react",
            phase: "clarifying",
        }));
}

#[test]
fn only_the_proposer_amends_and_an_amendment_after_reactions_opens_the_amending_step() {
    let amend = || RoundCommand::Amend {
        text: "Start at ten, not nine".into(),
        answers: vec![],
    };
    let state = given::<ConsentProcess>(reactions())
        .when(amend(), by(PROPOSER, 3))
        .then([RoundEvent::Amended {
            amendment: Amendment {
                id: AmendmentId(1),
                text: "Start at ten, not nine".into(),
                answers: vec![],
                at: at(3),
            },
        }]);
    assert_eq!(state.phase(), P::Amending);
    given::<ConsentProcess>(reactions())
        .when(amend(), ctx(2, 3))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "amend",
            actor: m(2),
            role: "proposer",
        }));
    given::<ConsentProcess>(clarifying())
        .when(amend(), by(PROPOSER, 2))
        .then_error(ConsentError::from(RefusalKind::WrongPhase {
            attempted: "amend",
            phase: "clarifying",
        }));
    given::<ConsentProcess>(after(reactions(), amend(), by(PROPOSER, 3)))
        .when(RoundCommand::Advance {}, by(FACILITATOR, 4))
        .then([advanced_to(P::ObjectionRound, Some(1), 4)]);
}

#[test]
fn an_amendment_answers_only_objections_and_concerns_the_round_has() {
    given::<ConsentProcess>(integrating())
        .when(amend_answering(9), by(PROPOSER, 8))
        .then_error(ConsentError::UnknownObjection {
            objection: ObjectionId(9),
        });
    given::<ConsentProcess>(integrating())
        .when(
            RoundCommand::Amend {
                text: "Add a budget check".into(),
                answers: vec![Answers::Concern { id: ConcernId(4) }],
            },
            by(PROPOSER, 8),
        )
        .then_error(ConsentError::UnknownConcern {
            concern: ConcernId(4),
        });
}

// ---------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------

#[test]
fn responses_are_taken_only_in_an_objection_round() {
    given::<ConsentProcess>(reactions())
        .when(respond(2, consent()), ctx(2, 3))
        .then_error(ConsentError::from(RefusalKind::WrongPhase {
            attempted: "respond",
            phase: "reactions",
        }));
}

#[test]
fn a_response_from_outside_the_eligible_snapshot_is_refused() {
    for outside in [FACILITATOR, OUTSIDER] {
        given::<ConsentProcess>(history_to_objection_round(Method::Consent))
            .when(respond(outside.get(), consent()), by(outside, 4))
            .then_error(ConsentError::NotEligible {
                attempted: "respond",
                member: outside,
            });
    }
}

#[test]
fn an_objection_needs_a_reason() {
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(respond(2, object(" ")), ctx(2, 4))
        .then_error(ConsentError::from(RefusalKind::TextRequired {
            attempted: "respond",
            field: "object",
        }));
}

#[test]
fn a_consent_with_a_concern_needs_the_concern() {
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(respond(2, concern("")), ctx(2, 4))
        .then_error(ConsentError::from(RefusalKind::TextRequired {
            attempted: "respond",
            field: "consent_with_concern",
        }));
}

#[test]
fn stand_aside_is_refused_under_consent() {
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(respond(2, stand_aside("I will not be there")), ctx(2, 4))
        .then_error(ConsentError::ResponseNotAllowed {
            response: "stand_aside",
            method: Method::Consent,
        });
}

#[test]
fn a_later_response_in_the_same_round_replaces_the_earlier() {
    let mut h = history_to_objection_round(Method::Consent);
    h.push(responded(2, object(CHILDCARE), 1, 4));
    let state = given::<ConsentProcess>(h)
        .when(respond(2, consent()), ctx(2, 5))
        .then([responded(2, consent(), 1, 5)]);
    let round = round_of(&state);
    assert_eq!(
        round.response(m(2)),
        Some(&Responded {
            response: consent(),
            proxy: None
        })
    );
    assert_eq!((round.tally().responded, round.tally().objections), (1, 0));
}

#[test]
fn a_named_supporter_may_respond_for_a_member_and_the_event_says_so() {
    let state = given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(respond(4, consent()), by(SECRETARY, 4))
        .then([RoundEvent::Responded {
            member: m(4),
            response: consent(),
            proxy: Some(SECRETARY),
            round: 1,
            at: at(4),
        }]);
    assert_eq!(round_of(&state).tally().by_proxy, 1);
}

#[test]
fn a_supporter_of_someone_else_may_not() {
    // 6 supports 4 and 2 supports 3; neither may answer for the other's member.
    for (actor, member) in [(SECRETARY, 3), (m(2), 4)] {
        given::<ConsentProcess>(history_to_objection_round(Method::Consent))
            .when(respond(member, consent()), by(actor, 4))
            .then_error(ConsentError::NotASupporter {
                actor,
                member: m(member),
            });
    }
}

// ---------------------------------------------------------------------------------------
// Adoption and exits
// ---------------------------------------------------------------------------------------

#[test]
fn a_consented_round_is_adopted_only_by_the_secretary_with_a_review_date_ahead() {
    let review = at(60 * 24 * 182);
    let record = |statement: &str, review_date| RoundCommand::RecordOutcome {
        statement: statement.into(),
        review_date,
    };
    given::<ConsentProcess>(consented())
        .when(record("Adopted for a trial", review), by(FACILITATOR, 8))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "record_outcome",
            actor: FACILITATOR,
            role: "secretary",
        }));
    given::<ConsentProcess>(consented())
        .when(record("Adopted for a trial", at(8)), by(SECRETARY, 8))
        .then_error(ConsentError::from(RefusalKind::DateNotAhead {
            field: "review_date",
            date: at(8),
            now: at(8),
        }));
    given::<ConsentProcess>(consented())
        .when(record(" ", review), by(SECRETARY, 8))
        .then_error(ConsentError::from(RefusalKind::TextRequired {
            attempted: "record_outcome",
            field: "statement",
        }));
    let state = given::<ConsentProcess>(consented())
        .when(record("Adopted for a trial", review), by(SECRETARY, 8))
        .then([RoundEvent::OutcomeRecorded {
            statement: "Adopted for a trial".into(),
            review_date: review,
            by: SECRETARY,
            at: at(8),
        }]);
    assert_eq!(state.phase(), P::Adopted);
    // Nothing is adopted before consent.
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(record("Adopted for a trial", review), by(SECRETARY, 4))
        .then_error(ConsentError::from(RefusalKind::WrongPhase {
            attempted: "record_outcome",
            phase: "objection_round",
        }));
}

#[test]
fn the_proposer_may_withdraw_from_any_open_phase() {
    let amending = after(
        reactions(),
        RoundCommand::Amend {
            text: "Start at ten".into(),
            answers: vec![],
        },
        by(PROPOSER, 3),
    );
    let histories = [
        (P::Presented, vec![opened(config(Method::Consent))]),
        (P::Clarifying, clarifying()),
        (P::Reactions, reactions()),
        (P::Amending, amending),
        (
            P::ObjectionRound,
            history_to_objection_round(Method::Consent),
        ),
        (P::Integrating, integrating()),
        (P::Consented, consented()),
    ];
    assert_eq!(histories.each_ref().map(|(p, _)| *p), RoundPhase::OPEN);
    for (phase, h) in histories {
        let before = given::<ConsentProcess>(h.clone());
        assert_eq!(before.state().phase(), phase);
        let state = before
            .when(
                withdraw("The room is no longer available"),
                by(PROPOSER, 20),
            )
            .then([RoundEvent::Withdrawn {
                by: PROPOSER,
                reason: "The room is no longer available".into(),
                at: at(20),
            }]);
        assert_eq!(state.phase(), P::Withdrawn, "withdrawing from {phase:?}");
        given::<ConsentProcess>(h.clone())
            .when(withdraw("Not mine to withdraw"), by(FACILITATOR, 20))
            .then_error(ConsentError::from(RefusalKind::WrongRole {
                attempted: "withdraw",
                actor: FACILITATOR,
                role: "proposer",
            }));
        given::<ConsentProcess>(h)
            .when(withdraw(""), by(PROPOSER, 20))
            .then_error(ConsentError::from(RefusalKind::TextRequired {
                attempted: "withdraw",
                field: "reason",
            }));
    }
}

/// A round with `time_box`, brought to its first objection round (which began at minute 3).
fn boxed(time_box: TimeBox) -> Vec<RoundEvent> {
    let mut c = config(Method::Consent);
    c.time_box = time_box;
    history_to_objection_round_with(c)
}

fn defer() -> RoundCommand {
    RoundCommand::Defer {
        reason: reason("Too few could take part this week"),
    }
}

#[test]
fn deferral_waits_for_a_time_box_to_pass() {
    let h = boxed(TimeBox {
        deadline: Some(at(30)),
        per_phase: None,
        ..TimeBox::default()
    });
    for minute in [20, 30] {
        given::<ConsentProcess>(h.clone())
            .when(defer(), by(FACILITATOR, minute))
            .then_error(ConsentError::TimeBoxRunning {
                until: Some(at(30)),
            });
    }
    given::<ConsentProcess>(h.clone())
        .when(defer(), by(PROPOSER, 31))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "defer",
            actor: PROPOSER,
            role: "facilitator",
        }));
    let state = given::<ConsentProcess>(h)
        .when(defer(), by(FACILITATOR, 31))
        .then([RoundEvent::Deferred {
            reason: reason("Too few could take part this week"),
            at: at(31),
        }]);
    assert_eq!(state.phase(), P::Deferred);
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(defer(), by(FACILITATOR, 1000))
        .then_error(ConsentError::TimeBoxRunning { until: None });
}

#[test]
fn after_a_time_box_only_exits_are_taken() {
    let h = boxed(TimeBox {
        deadline: None,
        per_phase: Some(SignedDuration::from_mins(10)),
        ..TimeBox::default()
    });
    let passed = |command: RoundCommand, who: Context| {
        given::<ConsentProcess>(h.clone())
            .when(command.clone(), who)
            .then_error(ConsentError::TimeBoxPassed {
                attempted: command.label(),
                deadline: at(13),
            });
    };
    passed(respond(2, consent()), ctx(2, 14));
    passed(RoundCommand::CloseRound {}, by(FACILITATOR, 14));
    passed(RoundCommand::Advance {}, by(FACILITATOR, 14));
    accepted(h.clone(), withdraw("Out of time"), by(PROPOSER, 14));
    accepted(h.clone(), defer(), by(FACILITATOR, 14));
    accepted(
        h,
        RoundCommand::Escalate {
            to: steering_group(),
            reason: reason("Out of time"),
        },
        by(FACILITATOR, 14),
    );
}

#[test]
fn each_phase_has_its_own_time_box_and_the_round_deadline_caps_them() {
    let mut c = config(Method::Consent);
    c.time_box.per_phase = Some(SignedDuration::from_mins(10));
    // Clarifying began at minute 9, so its box runs to minute 19, though the round is older.
    let h = vec![opened(c.clone()), advanced_to(P::Clarifying, None, 9)];
    given::<ConsentProcess>(h.clone())
        .when(RoundCommand::Advance {}, by(FACILITATOR, 18))
        .then([advanced_to(P::Reactions, None, 18)]);
    given::<ConsentProcess>(h)
        .when(RoundCommand::Advance {}, by(FACILITATOR, 20))
        .then_error(ConsentError::TimeBoxPassed {
            attempted: "advance",
            deadline: at(19),
        });
    c.time_box.deadline = Some(at(15));
    given::<ConsentProcess>(vec![opened(c), advanced_to(P::Clarifying, None, 9)])
        .when(RoundCommand::Advance {}, by(FACILITATOR, 16))
        .then_error(ConsentError::TimeBoxPassed {
            attempted: "advance",
            deadline: at(15),
        });
}

#[test]
fn a_command_dated_before_the_last_event_is_refused() {
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(respond(2, consent()), ctx(2, 2))
        .then_error(ConsentError::from(RefusalKind::ClockWentBack {
            now: at(2),
            last: at(3),
        }));
    // The same moment as the last event is not going back.
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(respond(2, consent()), ctx(2, 3))
        .then([responded(2, consent(), 1, 3)]);
}

#[test]
fn escalation_names_the_body() {
    let escalate = |why: &str| RoundCommand::Escalate {
        to: steering_group(),
        reason: why.into(),
    };
    let state = given::<ConsentProcess>(integrating())
        .when(
            escalate("The objection concerns the whole organisation"),
            by(FACILITATOR, 8),
        )
        .then([RoundEvent::Escalated {
            to: steering_group(),
            reason: "The objection concerns the whole organisation".into(),
            at: at(8),
        }]);
    assert_eq!(state.phase(), P::Escalated);
    assert!(matches!(
        round_of(&state).ending(),
        Some(Ending::Escalated { to, .. }) if *to == steering_group()
    ));
    given::<ConsentProcess>(integrating())
        .when(escalate("Stuck"), by(PROPOSER, 8))
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "escalate",
            actor: PROPOSER,
            role: "facilitator",
        }));
    given::<ConsentProcess>(integrating())
        .when(escalate(" "), by(FACILITATOR, 8))
        .then_error(ConsentError::from(RefusalKind::TextRequired {
            attempted: "escalate",
            field: "reason",
        }));
}

#[test]
fn a_round_is_not_escalated_to_its_own_deciding_body() {
    let own_body = config(Method::Consent).deciding_body;
    given::<ConsentProcess>(integrating())
        .when(
            RoundCommand::Escalate {
                to: own_body,
                reason: reason("Stuck"),
            },
            by(FACILITATOR, 8),
        )
        .then_error_matching(|e| {
            !matches!(
                e,
                ConsentError::Shared(Refusal {
                    kind: RefusalKind::WrongPhase { .. },
                    ..
                })
            )
        });
}

// ---------------------------------------------------------------------------------------
// The transition graph
// ---------------------------------------------------------------------------------------

#[test]
fn the_transition_graph_passes_its_checks_and_draws_as_declared() {
    let graph = ConsentProcess::graph().expect("the declared graph passes its checks");
    assert_eq!(graph.start(), P::NotOpened);
    // Every open phase can be left by each of the three exits.
    for &phase in RoundPhase::OPEN {
        for exit in [P::Withdrawn, P::Deferred, P::Escalated] {
            assert!(graph.allows(phase, exit), "{phase:?} -> {exit:?}");
        }
    }
    // Adoption only follows consent; integration always goes back to an objection round.
    assert!(!graph.allows(P::Integrating, P::Consented));
    assert!(!graph.allows(P::ObjectionRound, P::Adopted));
    assert_eq!(
        graph.dot().to_string(),
        r#"digraph "consent_round" {
    rankdir=LR;
    node [shape=box, style=rounded];
    "not_opened" [style="rounded,bold"];
    "presented";
    "clarifying";
    "reactions";
    "amending";
    "objection_round";
    "integrating";
    "consented";
    "adopted" [peripheries=2];
    "declined" [peripheries=2];
    "withdrawn" [peripheries=2];
    "deferred" [peripheries=2];
    "escalated" [peripheries=2];
    "broken_down" [peripheries=2];
    "not_opened" -> "presented";
    "presented" -> "clarifying";
    "clarifying" -> "reactions";
    "reactions" -> "amending";
    "reactions" -> "objection_round";
    "amending" -> "objection_round";
    "objection_round" -> "integrating";
    "objection_round" -> "consented";
    "objection_round" -> "declined";
    "integrating" -> "objection_round";
    "integrating" -> "broken_down";
    "consented" -> "adopted";
    "presented" -> "consented";
    "presented" -> "declined";
    "presented" -> "withdrawn";
    "clarifying" -> "withdrawn";
    "reactions" -> "withdrawn";
    "amending" -> "withdrawn";
    "objection_round" -> "withdrawn";
    "integrating" -> "withdrawn";
    "consented" -> "withdrawn";
    "presented" -> "deferred";
    "clarifying" -> "deferred";
    "reactions" -> "deferred";
    "amending" -> "deferred";
    "objection_round" -> "deferred";
    "integrating" -> "deferred";
    "consented" -> "deferred";
    "presented" -> "escalated";
    "clarifying" -> "escalated";
    "reactions" -> "escalated";
    "amending" -> "escalated";
    "objection_round" -> "escalated";
    "integrating" -> "escalated";
    "consented" -> "escalated";
}
"#
    );
}

/// A role is handed on by the member it answers to (the secretary's by the facilitator,
/// the facilitator's by the proposer, the secretary or a seated member, the proposer's by
/// the facilitator, the secretary or a seated member), with a reason, to
/// another member than its holder; the round goes on with them in it. Whether the holder
/// has left, and so which of them it falls to, is the engine's to see.
#[test]
fn a_role_is_handed_on_by_the_member_it_answers_to() {
    use coproduction::consent::HandedRole;
    let hand_on = |role, to: u64, text: &str| RoundCommand::HandOnRole {
        role,
        to: m(to),
        reason: text.into(),
    };
    let history = history_to_objection_round(Method::Consent);
    given::<ConsentProcess>(history.clone())
        .when(
            hand_on(HandedRole::Secretary, 2, "The secretary left"),
            by(PROPOSER, 20),
        )
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "hand_on_role",
            actor: PROPOSER,
            role: "facilitator",
        }));
    // Blank: white space, or characters nobody sees (a zero-width space, a word joiner, an
    // accent with no letter to sit on).
    for blank in ["  ", "\u{200B}", " \u{2060}\u{00AD} ", "\u{0301}\u{0327}"] {
        given::<ConsentProcess>(history.clone())
            .when(
                hand_on(HandedRole::Secretary, 2, blank),
                by(FACILITATOR, 20),
            )
            .then_error(ConsentError::from(RefusalKind::TextRequired {
                attempted: "hand_on_role",
                field: "reason",
            }));
    }
    given::<ConsentProcess>(history.clone())
        .when(
            hand_on(HandedRole::Secretary, SECRETARY.get(), "The secretary left"),
            by(FACILITATOR, 20),
        )
        .then_error(ConsentError::RoleHeldAlready {
            role: HandedRole::Secretary,
            member: SECRETARY,
        });
    let state = given::<ConsentProcess>(history.clone())
        .when(
            hand_on(HandedRole::Secretary, 2, "The secretary left"),
            by(FACILITATOR, 20),
        )
        .then([RoundEvent::RoleHandedOn {
            role: HandedRole::Secretary,
            from: SECRETARY,
            to: m(2),
            reason: "The secretary left".into(),
            by: FACILITATOR,
            at: at(20),
        }]);
    assert_eq!(state.round().unwrap().config().roles.secretary, m(2));
    // The facilitator's, by the proposer.
    let state = given::<ConsentProcess>(history)
        .when(
            hand_on(HandedRole::Facilitator, 3, "The facilitator left"),
            by(PROPOSER, 20),
        )
        .then([RoundEvent::RoleHandedOn {
            role: HandedRole::Facilitator,
            from: FACILITATOR,
            to: m(3),
            reason: "The facilitator left".into(),
            by: PROPOSER,
            at: at(20),
        }]);
    assert_eq!(state.round().unwrap().config().roles.facilitator, m(3));
    // By the secretary too, where the proposer has left as well; by nobody else.
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(
            hand_on(
                HandedRole::Facilitator,
                3,
                "The facilitator and the proposer left",
            ),
            by(SECRETARY, 20),
        )
        .then([RoundEvent::RoleHandedOn {
            role: HandedRole::Facilitator,
            from: FACILITATOR,
            to: m(3),
            reason: "The facilitator and the proposer left".into(),
            by: SECRETARY,
            at: at(20),
        }]);
    // By a member seated in the round too, where all three have left; by nobody else.
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(
            hand_on(HandedRole::Facilitator, 3, "All who ran the round left"),
            by(m(2), 20),
        )
        .then([RoundEvent::RoleHandedOn {
            role: HandedRole::Facilitator,
            from: FACILITATOR,
            to: m(3),
            reason: "All who ran the round left".into(),
            by: m(2),
            at: at(20),
        }]);
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(
            hand_on(HandedRole::Facilitator, 3, "The facilitator left"),
            by(m(9), 20),
        )
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "hand_on_role",
            actor: m(9),
            role: "proposer, secretary or a member seated in it",
        }));
    // The proposer's, by the facilitator (or the secretary, or a seated member); the
    // round goes on with the new proposer, who amends, answers and may withdraw.
    for by_whom in [FACILITATOR, SECRETARY, m(2)] {
        let state = given::<ConsentProcess>(history_to_objection_round(Method::Consent))
            .when(
                hand_on(HandedRole::Proposer, 3, "The proposer left"),
                by(by_whom, 20),
            )
            .then([RoundEvent::RoleHandedOn {
                role: HandedRole::Proposer,
                from: PROPOSER,
                to: m(3),
                reason: "The proposer left".into(),
                by: by_whom,
                at: at(20),
            }]);
        assert_eq!(state.round().unwrap().config().roles.proposer, m(3));
    }
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(
            hand_on(HandedRole::Proposer, 3, "The proposer left"),
            by(m(9), 20),
        )
        .then_error(ConsentError::from(RefusalKind::WrongRole {
            attempted: "hand_on_role",
            actor: m(9),
            role: "facilitator, secretary or a member seated in it",
        }));
    given::<ConsentProcess>(history_to_objection_round(Method::Consent))
        .when(
            hand_on(HandedRole::Proposer, PROPOSER.get(), "The proposer left"),
            by(FACILITATOR, 20),
        )
        .then_error(ConsentError::RoleHeldAlready {
            role: HandedRole::Proposer,
            member: PROPOSER,
        });
    // Not to a member whose objection is still open: integrating it takes the proposer
    // and its objector, two people. Member 3 raised objection 2.
    given::<ConsentProcess>(integrating())
        .when(
            hand_on(HandedRole::Proposer, 3, "The proposer left"),
            by(FACILITATOR, 20),
        )
        .then_error(ConsentError::ObjectorAsProposer {
            member: m(3),
            objection: ObjectionId(2),
        });
}
