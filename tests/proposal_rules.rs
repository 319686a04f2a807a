//! The proposal's rules, one a test, as given/when/then.

use coproduction::machine::RefusalKind;
use coproduction::process::Refusal;
use std::collections::BTreeSet;

use coproduction::cocreation::{ItemId, ProposalId, VersionNumber};
use coproduction::community::{BodyId, MemberId};
use coproduction::decision::{DecisionKind, Method};
use coproduction::journal::StreamId;
use coproduction::machine::testkit::given;
use coproduction::machine::{Context, Decider};
use coproduction::proposal::{
    Answer, DecisionResult, ProposalCommand, ProposalConfig, ProposalError, ProposalEvent,
    ProposalPhase, ProposalProcess, ProposalRoles, ProposalVersion, ReviewTrigger,
};
use coproduction::values::RouteSummary;

const PROPOSER: MemberId = MemberId::new(1);
const STEWARD: MemberId = MemberId::new(2);
const MEMBER: MemberId = MemberId::new(3);
const OUTSIDER: MemberId = MemberId::new(4);

fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

fn ctx(who: MemberId, when: &str) -> Context<'static> {
    Context::new(who, at(when))
}

fn round() -> StreamId {
    StreamId::new("consent-round:1").unwrap()
}

fn config() -> ProposalConfig {
    ProposalConfig {
        id: ProposalId::new(1),
        title: "Associate roles".into(),
        kind: DecisionKind::WorkingModel,
        text: "Co-producers take flexible roles.".into(),
        answers: vec![],
        roles: ProposalRoles {
            proposers: BTreeSet::from([PROPOSER]),
            steward: STEWARD,
            members: BTreeSet::from([MEMBER]),
        },
        changes: vec![],
        effective_from: None,
    }
}

fn history(upto: ProposalPhase) -> Vec<ProposalEvent> {
    let mut events = vec![ProposalEvent::Created {
        config: Box::new(config()),
        by: PROPOSER,
        at: at("2022-07-01T09:00:00Z"),
    }];
    let steps = [
        (
            ProposalPhase::CoCreating,
            ProposalEvent::CoCreationStarted {
                by: STEWARD,
                at: at("2022-07-02T09:00:00Z"),
            },
        ),
        (
            ProposalPhase::CoCreating,
            ProposalEvent::FeedbackLinked {
                items: vec![ItemId::new(1)],
                themes: vec![],
                by: STEWARD,
                at: at("2022-07-03T09:00:00Z"),
            },
        ),
        (
            ProposalPhase::Ready,
            ProposalEvent::MarkedReady {
                route: RouteSummary::new(
                    BodyId::new("associate_roles_team").unwrap(),
                    Method::Consent,
                ),
                by: STEWARD,
                at: at("2022-08-01T09:00:00Z"),
            },
        ),
        (
            ProposalPhase::InDecision,
            ProposalEvent::DecisionStarted {
                round: round(),
                by: STEWARD,
                at: at("2022-09-01T10:00:00Z"),
            },
        ),
        (
            ProposalPhase::Adopted,
            ProposalEvent::DecisionRecorded {
                round: round(),
                result: DecisionResult::Adopted {
                    review_date: at("2023-03-01T00:00:00Z"),
                },
                by: STEWARD,
                at: at("2022-09-01T11:00:00Z"),
            },
        ),
        (
            ProposalPhase::Published,
            ProposalEvent::Published {
                rationale: "Asked for".into(),
                alternatives: vec![],
                by: STEWARD,
                at: at("2022-09-05T09:00:00Z"),
            },
        ),
        (
            ProposalPhase::Implementing,
            ProposalEvent::ImplementationStarted {
                by: STEWARD,
                at: at("2022-09-06T09:00:00Z"),
            },
        ),
    ];
    for (phase, event) in steps {
        if phase > upto {
            break;
        }
        events.push(event);
    }
    events
}

#[test]
fn only_a_proposer_or_the_steward_creates_a_proposal() {
    given::<ProposalProcess>([])
        .when(
            ProposalCommand::Create {
                config: Box::new(config()),
            },
            ctx(OUTSIDER, "2022-07-01T09:00:00Z"),
        )
        .then_error(ProposalError::from(RefusalKind::WrongRole {
            attempted: "create",
            actor: OUTSIDER,
            role: "proposer or steward",
        }));
}

#[test]
fn a_proposal_dates_only_the_changes_it_carries() {
    let mut dated = config();
    dated.effective_from = Some(at("2022-10-01T00:00:00Z"));
    given::<ProposalProcess>([])
        .when(
            ProposalCommand::Create {
                config: Box::new(dated),
            },
            ctx(PROPOSER, "2022-07-01T09:00:00Z"),
        )
        .then_error(ProposalError::InvalidConfig {
            proposal: ProposalId::new(1),
            field: "effective_from",
            reason: "it dates changes, and the proposal carries none",
        });
}

#[test]
fn a_proposal_is_ready_only_once_feedback_is_linked() {
    let mut events = history(ProposalPhase::CoCreating);
    events.pop(); // no feedback linked
    given::<ProposalProcess>(events)
        .when(
            ProposalCommand::MarkReady {},
            ctx(STEWARD, "2022-08-01T09:00:00Z"),
        )
        .then_error(ProposalError::NoFeedback {
            proposal: ProposalId::new(1),
        });
}

#[test]
fn an_amendment_is_the_next_version_and_keeps_what_it_answers() {
    let state = given::<ProposalProcess>(history(ProposalPhase::CoCreating))
        .when(
            ProposalCommand::Amend {
                text: "With paid preparation time.".into(),
                answers: vec![Answer::Item { id: ItemId::new(1) }],
            },
            ctx(PROPOSER, "2022-07-04T09:00:00Z"),
        )
        .then([ProposalEvent::Amended {
            version: ProposalVersion {
                version: VersionNumber::new(2),
                text: "With paid preparation time.".into(),
                answers: vec![Answer::Item { id: ItemId::new(1) }],
                by: PROPOSER,
                at: at("2022-07-04T09:00:00Z"),
            },
        }]);
    let p = state.proposal().unwrap();
    assert_eq!(p.versions().len(), 2);
    assert_eq!(p.versions()[0].text, "Co-producers take flexible roles.");
    // The record says what was proposed: the title, the text now, the text before.
    let proposed = p.record(None, at("2022-07-04T10:00:00Z")).proposed.unwrap();
    assert_eq!(proposed.title, "Associate roles");
    assert_eq!(proposed.text, "With paid preparation time.");
    assert_eq!(proposed.earlier, ["Co-producers take flexible roles."]);
}

#[test]
fn an_amendment_cannot_answer_an_objection_from_a_round_it_never_had() {
    let answer = Answer::Objection {
        round: round(),
        id: coproduction::consent::ObjectionId(1),
    };
    given::<ProposalProcess>(history(ProposalPhase::CoCreating))
        .when(
            ProposalCommand::Amend {
                text: "Changed.".into(),
                answers: vec![answer.clone()],
            },
            ctx(PROPOSER, "2022-07-04T09:00:00Z"),
        )
        .then_error(ProposalError::UnknownAnswer {
            proposal: ProposalId::new(1),
            answer,
        });
}

#[test]
fn only_the_running_round_records_a_result() {
    let other = StreamId::new("consent-round:2").unwrap();
    given::<ProposalProcess>(history(ProposalPhase::InDecision))
        .when(
            ProposalCommand::RecordDecision {
                round: other.clone(),
                result: DecisionResult::Declined {},
            },
            ctx(STEWARD, "2022-09-01T11:00:00Z"),
        )
        .then_error(ProposalError::NotTheCurrentRound {
            proposal: ProposalId::new(1),
            round: other,
            current: Some(round()),
        });
}

/// A first decision's round withdrawn withdraws the proposal: one of its proposers records
/// that, not the steward alone (who records every other result).
#[test]
fn a_first_decisions_round_withdrawn_is_recorded_by_a_proposer() {
    let withdrawn = || ProposalCommand::RecordDecision {
        round: round(),
        result: DecisionResult::Withdrawn {},
    };
    given::<ProposalProcess>(history(ProposalPhase::InDecision))
        .when(withdrawn(), ctx(STEWARD, "2022-09-01T11:00:00Z"))
        .then_error(ProposalError::from(RefusalKind::WrongRole {
            attempted: "record_decision",
            actor: STEWARD,
            role: "proposer",
        }));
    let state = given::<ProposalProcess>(history(ProposalPhase::InDecision))
        .when(withdrawn(), ctx(PROPOSER, "2022-09-01T11:00:00Z"))
        .then([ProposalEvent::DecisionRecorded {
            round: round(),
            result: DecisionResult::Withdrawn {},
            by: PROPOSER,
            at: at("2022-09-01T11:00:00Z"),
        }]);
    assert_eq!(state.phase(), ProposalPhase::Withdrawn);
}

#[test]
fn a_deferred_round_leaves_the_proposal_in_decision_for_another_round() {
    let state = given::<ProposalProcess>(history(ProposalPhase::InDecision))
        .when(
            ProposalCommand::RecordDecision {
                round: round(),
                result: DecisionResult::Deferred {},
            },
            ctx(STEWARD, "2022-09-01T11:00:00Z"),
        )
        .then([ProposalEvent::DecisionRecorded {
            round: round(),
            result: DecisionResult::Deferred {},
            by: STEWARD,
            at: at("2022-09-01T11:00:00Z"),
        }]);
    assert_eq!(state.phase(), ProposalPhase::InDecision);
    assert!(state.proposal().unwrap().current_round().is_none());
}

#[test]
fn publication_needs_a_rationale() {
    given::<ProposalProcess>(history(ProposalPhase::Adopted))
        .when(
            ProposalCommand::Publish {
                rationale: " ".into(),
                alternatives: vec![],
            },
            ctx(STEWARD, "2022-09-05T09:00:00Z"),
        )
        .then_error(ProposalError::from(RefusalKind::TextRequired {
            attempted: "publish",
            field: "rationale",
        }));
}

#[test]
fn a_pilot_ends_after_now() {
    given::<ProposalProcess>(history(ProposalPhase::Published))
        .when(
            ProposalCommand::StartPilot {
                ends: at("2022-09-01T00:00:00Z"),
            },
            ctx(STEWARD, "2022-09-06T09:00:00Z"),
        )
        .then_error_matching(|e| {
            matches!(
                e,
                ProposalError::Shared(Refusal {
                    kind: RefusalKind::DateNotAhead { field: "ends", .. },
                    ..
                })
            )
        });
}

#[test]
fn a_pilot_starts_by_the_review_date_its_decision_set() {
    // Adopted with a review on 1 March 2023: the steward sets when the pilot starts within
    // that, not past it (a pilot parked until 2999 would hold off every objection, which
    // an agreement takes only once in force or piloted).
    let past = |starts: &str| {
        given::<ProposalProcess>(history(ProposalPhase::Published))
            .when(
                ProposalCommand::SchedulePilot {
                    starts: at(starts),
                    lasts: jiff::SignedDuration::from_hours(24 * 184),
                },
                ctx(STEWARD, "2022-09-06T09:00:00Z"),
            )
            .then_error_matching(|e| {
                matches!(e, ProposalError::PilotPastReview { review_date, .. }
                    if *review_date == at("2023-03-01T00:00:00Z"))
            });
    };
    past("2999-01-01T00:00:00Z");
    past("2023-03-01T00:00:01Z");
}

#[test]
fn a_review_does_not_open_before_its_date() {
    given::<ProposalProcess>(history(ProposalPhase::Implementing))
        .when(
            ProposalCommand::OpenReview {},
            ctx(STEWARD, "2022-12-01T09:00:00Z"),
        )
        .then_error(ProposalError::ReviewNotDue {
            proposal: ProposalId::new(1),
            due: Some(at("2023-03-01T00:00:00Z")),
            now: at("2022-12-01T09:00:00Z"),
        });
}

#[test]
fn a_member_objecting_to_the_standing_agreement_opens_a_review_early() {
    let state = given::<ProposalProcess>(history(ProposalPhase::Implementing))
        .when(
            ProposalCommand::ObjectToStanding {
                reason: "Carers cannot take part.".into(),
            },
            ctx(MEMBER, "2022-12-01T09:00:00Z"),
        )
        .then([ProposalEvent::ReviewOpened {
            trigger: ReviewTrigger::Objection {
                by: MEMBER,
                reason: "Carers cannot take part.".into(),
            },
            at: at("2022-12-01T09:00:00Z"),
        }]);
    assert_eq!(state.phase(), ProposalPhase::UnderReview);
}

#[test]
fn an_amendment_under_review_goes_back_to_co_creation_and_the_adopted_version_stays_in_force() {
    let mut events = history(ProposalPhase::Implementing);
    events.push(ProposalEvent::ReviewOpened {
        trigger: ReviewTrigger::Objection {
            by: MEMBER,
            reason: "Carers.".into(),
        },
        at: at("2022-12-01T09:00:00Z"),
    });
    let state = given::<ProposalProcess>(events)
        .when(
            ProposalCommand::Amend {
                text: "Sessions at times carers can make.".into(),
                answers: vec![Answer::StandingObjection { review: 1 }],
            },
            ctx(PROPOSER, "2022-12-02T09:00:00Z"),
        )
        .then([ProposalEvent::Amended {
            version: ProposalVersion {
                version: VersionNumber::new(2),
                text: "Sessions at times carers can make.".into(),
                answers: vec![Answer::StandingObjection { review: 1 }],
                by: PROPOSER,
                at: at("2022-12-02T09:00:00Z"),
            },
        }]);
    assert_eq!(state.phase(), ProposalPhase::CoCreating);
    assert_eq!(
        state.proposal().unwrap().in_force().unwrap().version,
        VersionNumber::new(1)
    );
}

#[test]
fn nobody_outside_the_agreement_objects_to_it() {
    given::<ProposalProcess>(history(ProposalPhase::Implementing))
        .when(
            ProposalCommand::ObjectToStanding {
                reason: "No.".into(),
            },
            ctx(OUTSIDER, "2022-12-01T09:00:00Z"),
        )
        .then_error_matching(|e| {
            matches!(
                e,
                ProposalError::Shared(Refusal {
                    kind: RefusalKind::WrongRole { role: "member", .. },
                    ..
                })
            )
        });
}

#[test]
fn unknown_fields_in_a_command_are_refused() {
    let json = r#"{"type":"start_implementing","junk":1}"#;
    assert!(serde_json::from_str::<ProposalCommand>(json).is_err());
    let json = r#"{"type":"record_decision","round":"consent-round:1","result":{"type":"declined","junk":1}}"#;
    assert!(serde_json::from_str::<ProposalCommand>(json).is_err());
}

/// The time a pilot decided in the autumn is scheduled to start: the spring.
const SPRING: &str = "2023-02-27T09:00:00Z";

fn reassessment() -> StreamId {
    StreamId::new("pilot-reassessment").unwrap()
}

/// A proposal whose pilot ran and whose review opened on its end date.
fn pilot_under_review() -> Vec<ProposalEvent> {
    let mut events = history(ProposalPhase::Published);
    events.push(ProposalEvent::PilotStarted {
        ends: at("2022-12-01T00:00:00Z"),
        by: STEWARD,
        at: at("2022-09-06T09:00:00Z"),
    });
    events.push(ProposalEvent::ReviewOpened {
        trigger: ReviewTrigger::ReviewDate {
            due: at("2022-12-01T00:00:00Z"),
            opened_by: STEWARD,
        },
        at: at("2022-12-01T09:00:00Z"),
    });
    events
}

fn start_reassessment() -> ProposalEvent {
    ProposalEvent::ReassessmentStarted {
        round: reassessment(),
        by: STEWARD,
        at: at("2022-12-02T09:00:00Z"),
    }
}

#[test]
fn a_pilot_scheduled_for_later_falls_due_for_review_counted_from_its_start() {
    let lasts = jiff::SignedDuration::from_hours(24 * 184);
    let state = given::<ProposalProcess>(history(ProposalPhase::Published))
        .when(
            ProposalCommand::SchedulePilot {
                starts: at(SPRING),
                lasts,
            },
            ctx(STEWARD, "2022-09-06T09:00:00Z"),
        )
        .then([ProposalEvent::PilotScheduled {
            starts: at(SPRING),
            ends: at("2023-08-30T09:00:00Z"),
            by: STEWARD,
            at: at("2022-09-06T09:00:00Z"),
        }]);
    let p = state.proposal().unwrap();
    assert_eq!(state.phase(), ProposalPhase::PilotScheduled);
    assert_eq!(p.pilot_starts(), Some(at(SPRING)));
    // Not the decision's review date (2023-03-01): six months from the pilot's start.
    assert_eq!(p.review_date(), Some(at("2023-08-30T09:00:00Z")));
}

#[test]
fn a_pilot_is_scheduled_to_start_ahead_and_to_last() {
    let published = || given::<ProposalProcess>(history(ProposalPhase::Published));
    published()
        .when(
            ProposalCommand::SchedulePilot {
                starts: at("2022-09-01T00:00:00Z"),
                lasts: jiff::SignedDuration::from_hours(24),
            },
            ctx(STEWARD, "2022-09-06T09:00:00Z"),
        )
        .then_error_matching(|e| {
            matches!(
                e,
                ProposalError::Shared(Refusal {
                    kind: RefusalKind::DateNotAhead {
                        field: "starts",
                        ..
                    },
                    ..
                })
            )
        });
    published()
        .when(
            ProposalCommand::SchedulePilot {
                starts: at(SPRING),
                lasts: jiff::SignedDuration::ZERO,
            },
            ctx(STEWARD, "2022-09-06T09:00:00Z"),
        )
        .then_error(ProposalError::InvalidLength {
            attempted: "schedule_pilot",
            field: "lasts",
            reason: "must be positive",
        });
    published()
        .when(
            ProposalCommand::SchedulePilot {
                starts: at(SPRING),
                lasts: jiff::SignedDuration::MAX,
            },
            ctx(STEWARD, "2022-09-06T09:00:00Z"),
        )
        .then_error_matching(|e| matches!(e, ProposalError::InvalidLength { field: "lasts", .. }));
    published()
        .when(
            ProposalCommand::SchedulePilot {
                starts: at(SPRING),
                lasts: jiff::SignedDuration::from_hours(24),
            },
            ctx(MEMBER, "2022-09-06T09:00:00Z"),
        )
        .then_error_matching(|e| {
            matches!(
                e,
                ProposalError::Shared(Refusal {
                    kind: RefusalKind::WrongRole { .. },
                    ..
                })
            )
        });
}

#[test]
fn a_scheduled_pilot_starts_on_its_day_and_not_before() {
    use coproduction::consent::DeadlineStep;
    use coproduction::process::{DueItem, Process};
    let mut events = history(ProposalPhase::Published);
    events.push(ProposalEvent::PilotScheduled {
        starts: at(SPRING),
        ends: at("2023-08-30T09:00:00Z"),
        by: STEWARD,
        at: at("2022-09-06T09:00:00Z"),
    });
    let state = ProposalProcess::replay(&events);
    let before = at("2023-02-26T09:00:00Z");
    assert!(ProposalProcess::lapse(&state, before).is_none());
    assert_eq!(
        ProposalProcess::due(&state, before),
        [DueItem::PilotStarting {
            starts: at(SPRING),
            review_date: at("2023-08-30T09:00:00Z"),
            step: None,
        }]
    );
    let (step, started) = ProposalProcess::lapse(&state, at(SPRING)).unwrap();
    assert_eq!(step, DeadlineStep::StartPilot);
    assert_eq!(
        started.into_iter().collect::<Vec<_>>(),
        [ProposalEvent::PilotStarted {
            ends: at("2023-08-30T09:00:00Z"),
            by: coproduction::engine::ENGINE_ACTOR,
            at: at(SPRING),
        }]
    );
    assert_eq!(
        ProposalProcess::due(&state, at(SPRING))[0].step(),
        Some(DeadlineStep::StartPilot)
    );
    // Nothing for the steward to do by hand meanwhile.
    given::<ProposalProcess>(events)
        .when(ProposalCommand::OpenReview {}, ctx(STEWARD, SPRING))
        .then_error_matching(|e| {
            matches!(
                e,
                ProposalError::Shared(Refusal {
                    kind: RefusalKind::WrongPhase { .. },
                    ..
                })
            )
        });
}

#[test]
fn a_pilots_review_is_decided_by_a_reassessment_round_not_by_the_steward_alone() {
    for command in [
        ProposalCommand::Continue {
            review_date: at("2023-12-01T00:00:00Z"),
        },
        ProposalCommand::Retire {
            reason: "It did not work.".into(),
        },
    ] {
        let attempted = command.label();
        given::<ProposalProcess>(pilot_under_review())
            .when(command, ctx(STEWARD, "2022-12-02T09:00:00Z"))
            .then_error(ProposalError::ReassessmentRequired {
                attempted,
                proposal: ProposalId::new(1),
            });
    }
    let state = given::<ProposalProcess>(pilot_under_review())
        .when(
            ProposalCommand::StartDecision {
                round: reassessment(),
            },
            ctx(STEWARD, "2022-12-02T09:00:00Z"),
        )
        .then([start_reassessment()]);
    let review = state.proposal().unwrap().open_review().unwrap();
    assert!(review.pilot);
    assert_eq!(review.running().unwrap().round, reassessment());
    assert_eq!(state.phase(), ProposalPhase::UnderReview);
}

#[test]
fn the_reassessment_rounds_consent_continues_the_agreement_until_its_review_date() {
    let mut events = pilot_under_review();
    events.push(start_reassessment());
    let result = DecisionResult::Adopted {
        review_date: at("2023-12-01T00:00:00Z"),
    };
    let state = given::<ProposalProcess>(events)
        .when(
            ProposalCommand::RecordDecision {
                round: reassessment(),
                result: result.clone(),
            },
            ctx(STEWARD, "2022-12-09T09:00:00Z"),
        )
        .then([ProposalEvent::Reassessed {
            round: reassessment(),
            result,
            by: STEWARD,
            at: at("2022-12-09T09:00:00Z"),
        }]);
    let p = state.proposal().unwrap();
    assert_eq!(state.phase(), ProposalPhase::Implementing);
    assert_eq!(p.review_date(), Some(at("2023-12-01T00:00:00Z")));
    let review = &p.reviews()[0];
    assert!(matches!(
        review.outcome,
        Some(coproduction::proposal::ReviewOutcome::Continued { .. })
    ));
    assert!(review.running().is_none());
}

#[test]
fn a_declined_reassessment_retires_the_agreement_and_says_which_round() {
    let mut events = pilot_under_review();
    events.push(start_reassessment());
    let state = given::<ProposalProcess>(events)
        .when(
            ProposalCommand::RecordDecision {
                round: reassessment(),
                result: DecisionResult::Declined {},
            },
            ctx(STEWARD, "2022-12-09T09:00:00Z"),
        )
        .then([ProposalEvent::Reassessed {
            round: reassessment(),
            result: DecisionResult::Declined {},
            by: STEWARD,
            at: at("2022-12-09T09:00:00Z"),
        }]);
    assert_eq!(state.phase(), ProposalPhase::Retired);
    assert!(matches!(
        state.proposal().unwrap().ending(),
        Some(coproduction::proposal::ProposalEnding::Retired { reason, .. })
            if reason.contains("pilot-reassessment")
    ));
}

#[test]
fn a_deferred_reassessment_leaves_the_review_open_for_another_round() {
    let mut events = pilot_under_review();
    events.push(start_reassessment());
    events.push(ProposalEvent::Reassessed {
        round: reassessment(),
        result: DecisionResult::Deferred {},
        by: STEWARD,
        at: at("2022-12-09T09:00:00Z"),
    });
    let state = ProposalProcess::replay(&events);
    assert_eq!(state.phase(), ProposalPhase::UnderReview);
    assert!(
        state
            .proposal()
            .unwrap()
            .open_review()
            .unwrap()
            .running()
            .is_none()
    );
    // The round that deferred does not reassess again; another does.
    given::<ProposalProcess>(events.clone())
        .when(
            ProposalCommand::StartDecision {
                round: reassessment(),
            },
            ctx(STEWARD, "2022-12-10T09:00:00Z"),
        )
        .then_error(ProposalError::RoundReused {
            proposal: ProposalId::new(1),
            round: reassessment(),
        });
    given::<ProposalProcess>(events)
        .when(
            ProposalCommand::StartDecision {
                round: StreamId::new("pilot-reassessment-2").unwrap(),
            },
            ctx(STEWARD, "2022-12-10T09:00:00Z"),
        )
        .outcome()
        .expect("another round reassesses");
}

#[test]
fn while_a_reassessment_runs_nobody_continues_amends_or_starts_another_by_hand() {
    let mut events = history(ProposalPhase::Implementing);
    events.push(ProposalEvent::ReviewOpened {
        trigger: ReviewTrigger::ReviewDate {
            due: at("2023-03-01T00:00:00Z"),
            opened_by: STEWARD,
        },
        at: at("2023-03-01T09:00:00Z"),
    });
    events.push(ProposalEvent::ReassessmentStarted {
        round: reassessment(),
        by: STEWARD,
        at: at("2023-03-02T09:00:00Z"),
    });
    let running = |attempted| ProposalError::RoundRunning {
        attempted,
        proposal: ProposalId::new(1),
        round: reassessment(),
    };
    for (command, who) in [
        (
            ProposalCommand::Continue {
                review_date: at("2024-03-01T00:00:00Z"),
            },
            STEWARD,
        ),
        (
            ProposalCommand::Amend {
                text: "Shorter sessions.".into(),
                answers: vec![],
            },
            PROPOSER,
        ),
        (
            ProposalCommand::StartDecision {
                round: StreamId::new("another").unwrap(),
            },
            STEWARD,
        ),
    ] {
        let attempted = command.label();
        given::<ProposalProcess>(events.clone())
            .when(command, ctx(who, "2023-03-03T09:00:00Z"))
            .then_error(running(attempted));
    }
    // Only the running round's result is recorded, and by the steward (the engine records
    // a round it runs itself).
    given::<ProposalProcess>(events)
        .when(
            ProposalCommand::RecordDecision {
                round: round(),
                result: DecisionResult::Deferred {},
            },
            ctx(STEWARD, "2023-03-03T09:00:00Z"),
        )
        .then_error(ProposalError::NotTheCurrentRound {
            proposal: ProposalId::new(1),
            round: round(),
            current: Some(reassessment()),
        });
}
