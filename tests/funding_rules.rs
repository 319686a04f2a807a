//! The funding rules, one a test: given what happened, when a command comes, then these
//! events or this refusal. Tiering is tested at every boundary and for every forced tier.

mod funding_common;

use coproduction::community::MemberId;
use coproduction::decision::{DecisionKind, Tier};
use coproduction::funding::{
    AdviceId, Check, FundingCommand, FundingError, FundingEvent, FundingOutcome, FundingPhase,
    FundingPolicy, FundingProcess, Offer, Requirement, RiskFactor, RoundProposes, TierReason,
    route_facts, tier,
};
use coproduction::governance::AmountBands;
use coproduction::machine::Decider;
use coproduction::machine::RefusalKind;
use coproduction::machine::testkit::given;
use coproduction::process::Refusal;
use coproduction::values::{FundingCondition, Restriction, SetAside};
use funding_common::*;

// ---------------------------------------------------------------------------------------
// Tiers
// ---------------------------------------------------------------------------------------

fn grant(amount: u64) -> Offer {
    Offer::new(DecisionKind::Funding, "A foundation", "Health", "A grant").amount(amount)
}

#[test]
fn an_amount_just_below_the_tier_one_threshold_is_tier_zero() {
    assert_eq!(tier(&grant(1_999), &policy()).tier, Tier::Zero);
}

#[test]
fn an_amount_at_the_tier_one_threshold_is_tier_one() {
    assert_eq!(tier(&grant(2_000), &policy()).tier, Tier::One);
}

#[test]
fn an_amount_just_below_the_tier_two_threshold_is_tier_one() {
    assert_eq!(tier(&grant(24_999), &policy()).tier, Tier::One);
}

#[test]
fn an_amount_at_the_tier_two_threshold_is_tier_two() {
    assert_eq!(tier(&grant(25_000), &policy()).tier, Tier::Two);
}

#[test]
fn no_amount_alone_makes_tier_three() {
    assert_eq!(tier(&grant(u64::MAX), &policy()).tier, Tier::Two);
}

#[test]
fn the_thresholds_are_the_policys_own() {
    let policy = FundingPolicy {
        amount_bands: AmountBands::new(100, 1_000).unwrap(),
        ..policy()
    };
    assert_eq!(tier(&grant(99), &policy).tier, Tier::Zero);
    assert_eq!(tier(&grant(100), &policy).tier, Tier::One);
    assert_eq!(tier(&grant(1_000), &policy).tier, Tier::Two);
}

#[test]
fn a_condition_restricting_publication_forces_tier_two() {
    let offer = grant(500).condition(
        "Findings approved by the funder",
        [Restriction::Publication],
    );
    let triage = tier(&offer, &policy());
    assert_eq!(triage.tier, Tier::Two);
    assert!(
        triage
            .reasons
            .contains(&TierReason::RestrictsPublication {})
    );
}

#[test]
fn a_condition_restricting_contributors_voice_forces_tier_two() {
    let offer = grant(500).condition("No public comment on the funder", [Restriction::Voice]);
    let triage = tier(&offer, &policy());
    assert_eq!(triage.tier, Tier::Two);
    assert!(triage.reasons.contains(&TierReason::RestrictsVoice {}));
}

#[test]
fn an_offer_in_kind_with_no_value_stated_is_tier_one_and_says_why() {
    let in_kind = Offer::new(
        DecisionKind::Partnership,
        "A property developer",
        "Property development",
        "Free use of an office floor for three years",
    );
    let triage = tier(&in_kind, &policy());
    assert_eq!(triage.tier, Tier::One);
    assert_eq!(triage.reasons, [TierReason::NoAmountStated {}]);
    // An estimated value is read through the bands.
    assert_eq!(tier(&in_kind.amount(180_000), &policy()).tier, Tier::Two);
}

#[test]
fn an_untagged_condition_is_checked_even_at_tier_zero() {
    let offer = grant(500).condition("The trust approves every publication that mentions it", []);
    assert_eq!(tier(&offer, &policy()).tier, Tier::Zero);
    // Routed as tier 0, as offer 0 is.
    let mut state = FundingProcess::initial();
    let mut started = Vec::new();
    for (minute, command) in [
        FundingCommand::Identify {
            offer: Box::new(offer),
            policy: Some(Box::new(policy())),
        },
        FundingCommand::StartScreening {},
        screen(),
        FundingCommand::StartDueDiligence {},
    ]
    .into_iter()
    .enumerate()
    {
        for event in FundingProcess::decide(&state, &command, &routed(1, minute as i64, 0)).unwrap()
        {
            state = FundingProcess::evolve(state, &event);
            started.push(event);
        }
    }
    let checks = started
        .into_iter()
        .find_map(|e| match e {
            FundingEvent::DueDiligenceStarted { checks, .. } => Some(checks),
            _ => None,
        })
        .unwrap();
    assert!(checks.contains(&Check::Conditions), "{checks:?}");
}

#[test]
fn a_condition_that_restricts_nothing_forces_no_tier() {
    let offer = grant(500).condition("An annual report", []);
    assert_eq!(tier(&offer, &policy()).tier, Tier::Zero);
}

#[test]
fn a_conflict_of_interest_forces_tier_two() {
    let offer = grant(500).risk(RiskFactor::ConflictOfInterest);
    assert_eq!(tier(&offer, &policy()).tier, Tier::Two);
}

#[test]
fn a_reputational_flag_forces_tier_two() {
    let offer = grant(500).risk(RiskFactor::ReputationalFlag);
    assert_eq!(tier(&offer, &policy()).tier, Tier::Two);
}

#[test]
fn dependency_on_one_funder_forces_tier_one() {
    let offer = grant(500).risk(RiskFactor::DependencyOnOneFunder);
    assert_eq!(tier(&offer, &policy()).tier, Tier::One);
}

#[test]
fn an_institutional_policy_forces_tier_three() {
    let offer = grant(500).institutional_policy_applies();
    assert_eq!(tier(&offer, &policy()).tier, Tier::Three);
    let offer = grant(500)
        .condition(
            "Findings approved by the funder",
            [Restriction::Publication],
        )
        .institutional_policy_applies();
    assert_eq!(tier(&offer, &policy()).tier, Tier::Three);
}

#[test]
fn a_forced_tier_never_lowers_the_amounts_tier() {
    let offer = grant(30_000).risk(RiskFactor::DependencyOnOneFunder);
    assert_eq!(tier(&offer, &policy()).tier, Tier::Two);
}

#[test]
fn the_tier_is_the_tier_governance_routes() {
    let mut offers = Vec::new();
    for amount in [0, 1_999, 2_000, 24_999, 25_000, 1_000_000] {
        offers.push(grant(amount));
        offers.push(grant(amount).condition("Approval", [Restriction::Publication]));
        offers.push(grant(amount).condition("Silence", [Restriction::Voice]));
        offers.push(grant(amount).risk(RiskFactor::ConflictOfInterest));
        offers.push(grant(amount).risk(RiskFactor::ReputationalFlag));
        offers.push(grant(amount).risk(RiskFactor::DependencyOnOneFunder));
        offers.push(grant(amount).institutional_policy_applies());
    }
    for offer in offers {
        let route = governance()
            .route(&offer.kind, route_facts(&offer, &policy()))
            .unwrap();
        assert_eq!(route.tier(), tier(&offer, &policy()).tier, "{offer:?}");
    }
}

#[test]
fn a_red_line_offer_routes_to_an_automatic_decline() {
    assert!(route(3).is_automatic_decline());
    assert!(route_facts(&offer(3), &policy()).red_line);
}

// ---------------------------------------------------------------------------------------
// Screening
// ---------------------------------------------------------------------------------------

fn screening(i: usize) -> Vec<FundingEvent> {
    run(&[
        (identify(i), 1, 0),
        (FundingCommand::StartScreening {}, 1, 1),
    ])
    .1
}

#[test]
fn a_red_line_is_declined_at_screening_with_the_reason_published() {
    let state = given::<FundingProcess>(screening(3))
        .when(screen(), routed(1, 2, 3))
        .outcome()
        .unwrap();
    let [FundingEvent::ScreenFailed { hits, listing, .. }] = &state[..] else {
        panic!("expected one ScreenFailed, got {state:?}");
    };
    assert_eq!(hits.len(), 1);
    assert!(
        listing.rationale.contains("tobacco"),
        "{}",
        listing.rationale
    );
    let (state, _) = run(&[
        (identify(3), 1, 0),
        (FundingCommand::StartScreening {}, 1, 1),
        (screen(), 1, 2),
    ]);
    assert_eq!(state.phase(), FundingPhase::Declined);
    assert!(state.decision().unwrap().listing().is_some());
}

#[test]
fn a_red_line_offer_screened_along_a_deliberative_route_is_refused() {
    given::<FundingProcess>(screening(3))
        .when(screen(), routed(1, 2, 0))
        .then_error(FundingError::RedLineRouteMismatch { red_line: true });
}

#[test]
fn a_clean_offer_screened_along_an_automatic_decline_is_refused() {
    given::<FundingProcess>(screening(0))
        .when(screen(), routed(1, 2, 3))
        .then_error(FundingError::RedLineRouteMismatch { red_line: false });
}

#[test]
fn a_route_for_another_tier_is_refused() {
    given::<FundingProcess>(screening(2))
        .when(screen(), routed(1, 2, 1))
        .then_error(FundingError::RouteTierMismatch {
            tier: Tier::Two,
            route: Tier::One,
        });
}

#[test]
fn an_invalid_policy_is_refused_at_identification() {
    let policy = FundingPolicy {
        comment_window_days: 11,
        ..policy()
    };
    given::<FundingProcess>([])
        .when(
            FundingCommand::Identify {
                offer: Box::new(offer(0)),
                policy: Some(Box::new(policy)),
            },
            ctx(1, 0),
        )
        .then_error_matching(|e| {
            matches!(
                e,
                FundingError::InvalidPolicy {
                    field: "comment_window_days",
                    ..
                }
            )
        });
}

#[test]
fn the_bare_machine_identifies_an_offer_only_under_a_policy() {
    given::<FundingProcess>([])
        .when(
            FundingCommand::Identify {
                offer: Box::new(offer(0)),
                policy: None,
            },
            ctx(1, 0),
        )
        .then_error(FundingError::NoPolicy);
}

// ---------------------------------------------------------------------------------------
// Due diligence and conflicts
// ---------------------------------------------------------------------------------------

fn due_diligence(i: usize) -> Vec<(FundingCommand, u64, i64)> {
    vec![
        (identify(i), 1, 0),
        (FundingCommand::StartScreening {}, 1, 1),
        (screen(), 1, 2),
        (FundingCommand::StartDueDiligence {}, 1, 3),
    ]
}

fn check(check: Check, by: u64, minute: i64) -> (FundingCommand, u64, i64) {
    (
        FundingCommand::CompleteCheck {
            check,
            evidence: format!("{check} looked at"),
        },
        by,
        minute,
    )
}

fn declare(member: u64, recused: bool, minute: i64) -> (FundingCommand, u64, i64) {
    (
        FundingCommand::DeclareInterest {
            interest: recused.then(|| "A past tie to the funder".to_owned()),
            recused,
        },
        member,
        minute,
    )
}

/// Tier 0, consulted and with its checks done, except those in `skip`.
fn tier_zero_consulted(skip: &[Check]) -> Vec<(FundingCommand, u64, i64)> {
    let mut steps = due_diligence(0);
    for (i, c) in [
        Check::LegalAndSanctions,
        Check::Reputation,
        Check::ConflictsOfInterest,
    ]
    .into_iter()
    .filter(|c| !skip.contains(c))
    .enumerate()
    {
        steps.push(check(c, 3, 4 + i as i64));
    }
    steps.push(declare(1, false, 10));
    steps.push(declare(2, true, 11));
    steps.extend([
        (FundingCommand::StartConsultation {}, 1, 12),
        (
            FundingCommand::RecordAdvice {
                body: body("associate_roles_team"),
                from: MemberId::new(13),
                advice: "Fine by us".into(),
            },
            1,
            13,
        ),
        (
            FundingCommand::AnswerAdvice {
                advice: AdviceId(1),
                answer: "Thank you".into(),
            },
            1,
            14,
        ),
    ]);
    steps
}

fn decide(outcome: FundingOutcome, deciders: &[u64]) -> FundingCommand {
    FundingCommand::Decide {
        outcome,
        deciders: deciders.iter().copied().map(MemberId::new).collect(),
        rationale: "Fits the mission".into(),
    }
}

#[test]
fn the_checklist_is_the_tiers() {
    let (state, _) = run(&due_diligence(2));
    let required = state.decision().unwrap().required_checks().to_vec();
    assert_eq!(required, Check::ALL.to_vec());
    let (state, _) = run(&due_diligence(0));
    assert_eq!(
        state.decision().unwrap().required_checks(),
        [
            Check::LegalAndSanctions,
            Check::Reputation,
            Check::ConflictsOfInterest
        ]
    );
}

#[test]
fn deciding_is_refused_while_a_required_check_is_incomplete() {
    let (_, events) = run(&tier_zero_consulted(&[Check::Reputation]));
    given::<FundingProcess>(events)
        .when(FundingCommand::StartDeciding {}, ctx(1, 20))
        .then_error(FundingError::MissingChecks {
            attempted: "start_deciding",
            checks: vec![Check::Reputation],
        });
}

#[test]
fn a_check_off_the_tiers_checklist_is_refused() {
    let (_, events) = run(&due_diligence(0));
    given::<FundingProcess>(events)
        .when(check(Check::FinancialStability, 3, 5).0, ctx(3, 5))
        .then_error(FundingError::CheckNotOnChecklist {
            check: Check::FinancialStability,
        });
}

#[test]
fn a_check_is_completed_with_evidence() {
    let (_, events) = run(&due_diligence(0));
    given::<FundingProcess>(events)
        .when(
            FundingCommand::CompleteCheck {
                check: Check::Reputation,
                evidence: "  ".into(),
            },
            ctx(3, 5),
        )
        .then_error(FundingError::from(RefusalKind::TextRequired {
            attempted: "complete_check",
            field: "evidence",
        }));
}

#[test]
fn a_recused_member_cannot_complete_a_check() {
    let mut steps = due_diligence(0);
    steps.push(declare(2, true, 4));
    let (_, events) = run(&steps);
    given::<FundingProcess>(events)
        .when(check(Check::Reputation, 2, 5).0, ctx(2, 5))
        .then_error(FundingError::Recused {
            attempted: "complete_check",
            member: MemberId::new(2),
        });
}

#[test]
fn a_recused_member_cannot_decide() {
    let mut steps = tier_zero_consulted(&[]);
    steps.push((FundingCommand::StartDeciding {}, 1, 20));
    let (_, events) = run(&steps);
    given::<FundingProcess>(events)
        .when(decide(FundingOutcome::Accept {}, &[1, 2]), ctx(1, 21))
        .then_error(FundingError::Recused {
            attempted: "decide",
            member: MemberId::new(2),
        });
}

/// Member 4 declares an interest in the funder and stays in.
fn stays_in(minute: i64) -> (FundingCommand, u64, i64) {
    (
        FundingCommand::DeclareInterest {
            interest: Some("My brother owns the funder".into()),
            recused: false,
        },
        4,
        minute,
    )
}

fn conflicted(attempted: &'static str) -> FundingError {
    FundingError::Conflicted {
        attempted,
        member: MemberId::new(4),
        interest: "My brother owns the funder".into(),
    }
}

#[test]
fn a_member_with_an_interest_who_stayed_in_completes_no_check() {
    let mut steps = due_diligence(0);
    steps.push(stays_in(4));
    let (_, events) = run(&steps);
    for c in [Check::ConflictsOfInterest, Check::Reputation] {
        given::<FundingProcess>(events.clone())
            .when(check(c, 4, 5).0, ctx(4, 5))
            .then_error(conflicted("complete_check"));
    }
}

#[test]
fn a_member_with_an_interest_who_stayed_in_neither_answers_advice_nor_starts_deciding() {
    let mut steps = tier_zero_consulted(&[]);
    steps.push(stays_in(15));
    steps.push((
        FundingCommand::RecordAdvice {
            body: body("associate_roles_team"),
            from: MemberId::new(13),
            advice: "What does the funder want in return?".into(),
        },
        13,
        16,
    ));
    let (_, events) = run(&steps);
    given::<FundingProcess>(events.clone())
        .when(
            FundingCommand::AnswerAdvice {
                advice: AdviceId(2),
                answer: "Nothing".into(),
            },
            ctx(4, 17),
        )
        .then_error(conflicted("answer_advice"));
    steps.push((
        FundingCommand::AnswerAdvice {
            advice: AdviceId(2),
            answer: "Nothing, in writing".into(),
        },
        1,
        17,
    ));
    let (_, events) = run(&steps);
    given::<FundingProcess>(events.clone())
        .when(FundingCommand::StartDeciding {}, ctx(4, 18))
        .then_error(conflicted("start_deciding"));
    // Once they step out, the interest is handled.
    steps.push((
        FundingCommand::DeclareInterest {
            interest: Some("My brother owns the funder".into()),
            recused: true,
        },
        4,
        18,
    ));
    steps.push((FundingCommand::StartDeciding {}, 1, 19));
    run(&steps);
}

/// Member 1 decides to accept the consulted offer, publishes it and monitors it, with its
/// review a year away, from minute 20 on.
fn accepted_to_monitoring() -> [(FundingCommand, u64, i64); 4] {
    [
        (FundingCommand::StartDeciding {}, 1, 20),
        (decide(FundingOutcome::Accept {}, &[1]), 1, 21),
        (
            FundingCommand::Publish {
                withheld_reason: None,
            },
            1,
            22,
        ),
        (
            FundingCommand::StartMonitoring {
                review_date: ctx(1, 60 * 24 * 365).now,
            },
            1,
            23,
        ),
    ]
}

#[test]
fn a_member_with_an_interest_who_stayed_in_neither_starts_nor_concludes_the_review() {
    let mut steps = tier_zero_consulted(&[]);
    steps.push(stays_in(15));
    steps.extend(accepted_to_monitoring());
    let (_, events) = run(&steps);
    given::<FundingProcess>(events)
        .when(
            FundingCommand::StartReview {
                reason: "Early review".into(),
            },
            ctx(4, 24),
        )
        .then_error(conflicted("start_review"));
    steps.push((
        FundingCommand::StartReview {
            reason: "Early review".into(),
        },
        1,
        24,
    ));
    let (_, events) = run(&steps);
    given::<FundingProcess>(events)
        .when(
            FundingCommand::Review {
                renew: true,
                rationale: "Renewed".into(),
            },
            ctx(4, 25),
        )
        .then_error(conflicted("review"));
}

#[test]
fn a_decider_who_has_not_declared_cannot_decide() {
    let mut steps = tier_zero_consulted(&[]);
    steps.push((FundingCommand::StartDeciding {}, 1, 20));
    let (_, events) = run(&steps);
    given::<FundingProcess>(events)
        .when(decide(FundingOutcome::Accept {}, &[1, 3]), ctx(1, 21))
        .then_error(FundingError::UndeclaredDecider {
            member: MemberId::new(3),
        });
}

// ---------------------------------------------------------------------------------------
// The route
// ---------------------------------------------------------------------------------------

/// The decision takes the route it was screened on: a decision names none, and a screen
/// without a route in the context is refused.
#[test]
fn a_screen_without_a_route_is_refused() {
    given::<FundingProcess>(
        run(&[
            (identify(0), 1, 0),
            (FundingCommand::StartScreening {}, 1, 1),
        ])
        .1,
    )
    .when(screen(), ctx(1, 2))
    .then_error(FundingError::from(RefusalKind::NoRoute {
        attempted: "screen",
    }));
}

#[test]
fn a_decision_along_the_governance_route_is_taken() {
    let mut steps = tier_zero_consulted(&[]);
    steps.push((FundingCommand::StartDeciding {}, 1, 20));
    let (_, events) = run(&steps);
    let state = given::<FundingProcess>(events)
        .when(decide(FundingOutcome::Accept {}, &[1]), ctx(1, 21))
        .then([FundingEvent::Decided {
            outcome: FundingOutcome::Accept {},
            route_taken: Box::new(route(0).summary().unwrap()),
            deciders: vec![MemberId::new(1)],
            rationale: "Fits the mission".into(),
            by: MemberId::new(1),
            at: ctx(1, 21).now,
        }]);
    assert_eq!(state.phase(), FundingPhase::Accepted);
}

// ---------------------------------------------------------------------------------------
// Consultation
// ---------------------------------------------------------------------------------------

#[test]
fn advice_from_a_body_the_route_does_not_consult_is_refused() {
    let (_, events) = run(&tier_zero_consulted(&[]));
    given::<FundingProcess>(events)
        .when(
            FundingCommand::RecordAdvice {
                body: body("allies_group"),
                from: MemberId::new(5),
                advice: "A view".into(),
            },
            ctx(1, 15),
        )
        .then_error(FundingError::NotConsulted {
            body: body("allies_group"),
        });
}

#[test]
fn unanswered_advice_keeps_the_decision_from_deciding() {
    let mut steps = tier_zero_consulted(&[]);
    steps.pop();
    let (_, events) = run(&steps);
    given::<FundingProcess>(events)
        .when(FundingCommand::StartDeciding {}, ctx(1, 20))
        .then_error(FundingError::ConsultationIncomplete {
            attempted: "start_deciding",
            missing: vec![Requirement::AdviceAnswered {
                body: body("associate_roles_team"),
            }],
        });
}

/// Tier 2, every check done, members 1 and 5 declared, consultation started.
fn tier_two_consulting() -> Vec<(FundingCommand, u64, i64)> {
    let mut steps = due_diligence(2);
    for (i, c) in Check::ALL.into_iter().enumerate() {
        steps.push(check(c, 3, 4 + i as i64));
    }
    steps.push(declare(1, false, 20));
    steps.push(declare(5, false, 21));
    steps.push((FundingCommand::StartConsultation {}, 1, 22));
    for (i, (b, from)) in [("associate_roles_team", 13), ("allies_group", 5)]
        .into_iter()
        .enumerate()
    {
        let minute = 23 + 2 * i as i64;
        steps.push((
            FundingCommand::RecordAdvice {
                body: body(b),
                from: MemberId::new(from),
                advice: "Only with free publication".into(),
            },
            1,
            minute,
        ));
        steps.push((
            FundingCommand::AnswerAdvice {
                advice: AdviceId(i as u32 + 1),
                answer: "Agreed".into(),
            },
            1,
            minute + 1,
        ));
    }
    steps.push((
        FundingCommand::OpenCommentWindow {
            body: body("whole_community"),
        },
        1,
        30,
    ));
    steps.push((
        FundingCommand::RecordSession {
            body: body("whole_community"),
            reference: "Session 1".into(),
        },
        1,
        31,
    ));
    steps
}

#[test]
fn a_comment_after_the_window_closes_is_refused() {
    let (_, events) = run(&tier_two_consulting());
    given::<FundingProcess>(events)
        .when(
            FundingCommand::Comment {
                body: body("whole_community"),
                text: "Late".into(),
            },
            ctx(17, 30 + 7 * DAY),
        )
        .then_error_matching(|e| matches!(e, FundingError::CommentWindowClosed { .. }));
}

#[test]
fn deciding_waits_for_the_comment_window_to_run_its_course() {
    let mut steps = tier_two_consulting();
    steps.push((
        FundingCommand::RecordConsentRound {
            reference: "Round 1".into(),
            consented: true,
            proposes: None,
        },
        1,
        40,
    ));
    let (_, events) = run(&steps);
    given::<FundingProcess>(events.clone())
        .when(FundingCommand::StartDeciding {}, ctx(1, 30 + 7 * DAY - 1))
        .then_error_matching(|e| matches!(e, FundingError::ConsultationIncomplete { missing, .. } if missing.contains(&Requirement::CommentWindow {})));
    given::<FundingProcess>(events)
        .when(FundingCommand::StartDeciding {}, ctx(1, 30 + 7 * DAY))
        .then([FundingEvent::DecidingStarted {
            by: MemberId::new(1),
            at: ctx(1, 30 + 7 * DAY).now,
        }]);
}

#[test]
fn tier_two_asks_for_a_session_and_a_consent_round() {
    let (state, _) = run(&tier_two_consulting());
    let requirements = state.decision().unwrap().requirements();
    assert!(requirements.contains(&Requirement::Session {}));
    assert!(requirements.contains(&Requirement::ConsentRound {}));
    let (state, _) = run(&tier_zero_consulted(&[]));
    let requirements = state.decision().unwrap().requirements();
    assert!(!requirements.contains(&Requirement::Session {}));
    assert!(!requirements.contains(&Requirement::ConsentRound {}));
}

fn tier_two_deciding(consented: bool) -> Vec<FundingEvent> {
    run(&tier_two_deciding_steps(consented)).1
}

fn tier_two_deciding_steps(consented: bool) -> Vec<(FundingCommand, u64, i64)> {
    let mut steps = tier_two_consulting();
    steps.push((
        FundingCommand::RecordConsentRound {
            reference: "Round 1".into(),
            consented,
            proposes: None,
        },
        1,
        40,
    ));
    steps.push((FundingCommand::StartDeciding {}, 1, 30 + 7 * DAY));
    steps
}

#[test]
fn acceptance_along_a_consent_route_needs_the_round_to_consent() {
    given::<FundingProcess>(tier_two_deciding(false))
        .when(
            decide(FundingOutcome::Accept {}, &[1, 5]),
            ctx(1, 31 + 7 * DAY),
        )
        .then_error(FundingError::ConsentNotGiven);
    // Declining is what a round that did not consent leaves open.
    let state = given::<FundingProcess>(tier_two_deciding(false))
        .when(
            decide(FundingOutcome::Decline {}, &[1, 5]),
            ctx(1, 31 + 7 * DAY),
        )
        .outcome();
    assert!(state.is_ok(), "{state:?}");
}

/// A tier-0 offer (decided by advice) with a round held for it all the same, recorded as
/// `consented` or not, and its deciding started (minute 20).
fn tier_zero_round_recorded(consented: bool) -> Vec<FundingEvent> {
    let round = FundingCommand::RecordConsentRound {
        reference: "The staff team's round".into(),
        consented,
        proposes: None,
    };
    run(&deciding_after(vec![round])).1
}

/// A tier-0 offer with `rounds` recorded for it (from minute 15, one a minute) and its
/// deciding started (minute 20), and the events that brought it there.
fn deciding_after(rounds: Vec<FundingCommand>) -> Vec<(FundingCommand, u64, i64)> {
    let mut steps = tier_zero_consulted(&[]);
    steps.extend(
        rounds
            .into_iter()
            .zip(15..)
            .map(|(round, minute)| (round, 1, minute)),
    );
    steps.push((FundingCommand::StartDeciding {}, 1, 20));
    steps
}

/// What deciding `outcome` by member 1 at minute 21 after `events` comes to.
fn deciding(events: &[FundingEvent], outcome: FundingOutcome) -> Result<(), FundingError> {
    given::<FundingProcess>(events.to_vec())
        .when(decide(outcome, &[1]), ctx(1, 21))
        .outcome()
        .map(drop)
}

/// A route that decides by advice asks for no round; but a round held for the offer all
/// the same (its decider declined there) binds it: it is not accepted, and may be declined.
#[test]
fn a_round_held_along_an_advice_route_binds_acceptance() {
    let events = tier_zero_round_recorded(false);
    given::<FundingProcess>(events.clone())
        .when(decide(FundingOutcome::Accept {}, &[1]), ctx(1, 21))
        .then_error(FundingError::ConsentNotGiven);
    let state = deciding(&events, FundingOutcome::Decline {});
    assert!(state.is_ok(), "{state:?}");
}

/// A round that consented after rounds that did not decides the offer: the body agreed at
/// last. Its outcome is taken, though an earlier round did not consent to it, and no other.
#[test]
fn a_later_round_that_consented_decides_over_earlier_ones() {
    let (_, events) = run(&deciding_after(vec![
        round_proposing("First round", RoundProposes::Accept, false),
        round_proposing("Second round", RoundProposes::Accept, true),
    ]));
    let accepted = deciding(&events, FundingOutcome::Accept {});
    assert!(accepted.is_ok(), "{accepted:?}");
    let err = deciding(&events, FundingOutcome::Decline {}).unwrap_err();
    assert!(
        matches!(&err, FundingError::AgainstRound { round, consented: true, .. } if round == "Second round"),
        "{err}"
    );
}

/// A round's reference is quoted by the record and by the messages that name it: one with a
/// quotation mark of any script, a backtick, a break or tab, an invisible character or a
/// space at either end, which would read as their own words or as another round's name, is
/// refused, and a plain one is taken.
#[test]
fn a_rounds_reference_that_would_read_as_the_records_words_is_refused() {
    let (_, events) = run(&tier_zero_consulted(&[]));
    for reference in [
        "x\". The consent round held for it consented: \"y",
        "round `x`, which consented",
        "Meeting\nThe round consented",
        "Meeting\u{2028}The round consented",
        "Meeting\tof 4 March",
        "room-round ",
        " room-round",
        "room\u{200b}-round",
        "room-round\u{2060}",
        "\u{201c}x\u{201d}, which consented",
        "\u{300c}x\u{300d}, which consented",
        "\u{2039}x\u{203a}",
        "\u{275d}x\u{275e}",
        "room\u{2800}round",
        "room\u{fff9}round",
    ] {
        given::<FundingProcess>(events.clone())
            .when(
                FundingCommand::RecordConsentRound {
                    reference: reference.into(),
                    consented: false,
                    proposes: None,
                },
                ctx(1, 15),
            )
            .then_error(FundingError::ReferenceNotPlain);
    }
    let taken = given::<FundingProcess>(events)
        .when(
            round_proposing(
                "The staff team\u{2019}s meeting of 4 March (minutes, item 3)",
                RoundProposes::Accept,
                true,
            ),
            ctx(1, 15),
        )
        .outcome();
    assert!(taken.is_ok(), "{taken:?}");
}

/// A tier-0 offer declined by member 1 after `round` was recorded for it: its record, and
/// the record in Markdown.
fn declined_after(round: FundingCommand) -> (coproduction::values::DecisionRecord, String) {
    let mut steps = deciding_after(vec![round]);
    steps.push((decide(FundingOutcome::Decline {}, &[1]), 1, 21));
    let (state, _) = run(&steps);
    let record = state
        .decision()
        .unwrap()
        .record(community(), ctx(1, 22).now);
    let report = coproduction::values::Charter::default().check(&record);
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    (record, text)
}

/// The record names the round whose result the decision holds, and says whether it
/// consented: a decline after a round that did not consent does not read as consent.
#[test]
fn the_record_names_the_round_held_and_whether_it_consented() {
    let (record, text) = declined_after(FundingCommand::RecordConsentRound {
        reference: "The staff team's round".into(),
        consented: false,
        proposes: None,
    });
    assert_eq!(
        record.round_held,
        Some(coproduction::values::RoundHeld {
            reference: "The staff team's round".into(),
            consented: false,
            proposes: None,
            escalated: false,
        })
    );
    assert!(
        text.contains("The consent round held for it did not consent: \"The staff team's round\"."),
        "{text}"
    );
}

/// One round's consent decides the offer: no round is recorded after one that consented
/// (it would set that consent aside), while a round that did not consent may be followed by
/// another that does.
#[test]
fn no_round_is_recorded_after_one_that_consented() {
    let record = |reference: &str, consented| FundingCommand::RecordConsentRound {
        reference: reference.into(),
        consented,
        proposes: None,
    };
    let mut steps = tier_zero_consulted(&[]);
    steps.push((record("The staff team's first round", false), 1, 15));
    steps.push((record("The staff team's second round", true), 1, 16));
    let (state, events) = run(&steps);
    let held = state.decision().unwrap().consent_round().unwrap();
    assert!(held.consented, "{held:?}");
    given::<FundingProcess>(events)
        .when(record("A third round", false), ctx(1, 17))
        .then_error(FundingError::RoundConsented {
            reference: "The staff team's second round".into(),
        });
}

/// A round recorded as having said what it proposed for the offer, and whether it consented.
fn round_proposing(reference: &str, proposes: RoundProposes, consented: bool) -> FundingCommand {
    FundingCommand::RecordConsentRound {
        reference: reference.into(),
        consented,
        proposes: Some(proposes),
    }
}

/// A round that said what it proposed binds the decision both ways: taken as it consented,
/// never as it did not consent; deferring and escalating stay open.
#[test]
fn a_round_that_said_what_it_proposed_binds_the_decision_both_ways() {
    use RoundProposes::{Accept, Decline};
    let accept = || FundingOutcome::Accept {};
    let decline = || FundingOutcome::Decline {};
    for (proposes, consented, against, taken) in [
        (Accept, true, decline(), accept()),
        (Decline, true, accept(), decline()),
        (Accept, false, accept(), decline()),
        (Decline, false, decline(), FundingOutcome::Defer {}),
    ] {
        let round = round_proposing("The staff team's round", proposes, consented);
        let events = run(&deciding_after(vec![round])).1;
        let refusal = deciding(&events, against.clone());
        let case = format!("{proposes:?} consented {consented}: {against:?}");
        match refusal {
            Err(FundingError::AgainstRound {
                round,
                proposes: p,
                consented: c,
            }) => {
                assert_eq!(round, "The staff team's round", "{case}");
                assert_eq!((p, c), (proposes, consented), "{case}");
            }
            other => panic!("{case}: {other:?}"),
        }
        let state = deciding(&events, taken);
        assert!(state.is_ok(), "{case}: {state:?}");
    }
}

/// Every round recorded binds, not only the last: a round that did not consent to decline
/// bars declining after a second that did not consent to accept, and the message says what
/// the first reached.
#[test]
fn every_round_recorded_binds_not_only_the_last() {
    let (state, events) = run(&deciding_after(vec![
        round_proposing("First round", RoundProposes::Decline, false),
        round_proposing("Second round", RoundProposes::Accept, false),
    ]));
    assert_eq!(state.decision().unwrap().consent_rounds().len(), 2);
    let err = deciding(&events, FundingOutcome::Decline {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot decide: round `First round`, held for the offer, did not consent to decline it, so the decision may not decline it (deferring or escalating stays open)"
    );
    let err = deciding(&events, FundingOutcome::Accept {}).unwrap_err();
    assert!(
        matches!(&err, FundingError::AgainstRound { round, .. } if round == "Second round"),
        "{err}"
    );
    let deferred = deciding(&events, FundingOutcome::Defer {});
    assert!(deferred.is_ok(), "{deferred:?}");
    // The record names every round, the one it holds and those before it.
    let (record, text) = declined_after(round_proposing(
        "Second round",
        RoundProposes::Accept,
        false,
    ));
    assert!(record.rounds_before.is_empty());
    assert!(
        text.contains("The consent round held for it, proposing to accept the offer, did not consent: \"Second round\"."),
        "{text}"
    );
    let mut steps = deciding_after(vec![
        round_proposing("First round", RoundProposes::Accept, false),
        round_proposing("Second round", RoundProposes::Decline, false),
    ]);
    steps.push((decide(FundingOutcome::Defer {}, &[1]), 1, 21));
    let record = run(&steps)
        .0
        .decision()
        .unwrap()
        .record(community(), ctx(1, 22).now);
    assert_eq!(record.rounds_before.len(), 1);
    assert_eq!(record.rounds_before[0].reference, "First round");
    let report = coproduction::values::Charter::default().check(&record);
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains(
            "- Held before it: the round, proposing to accept the offer, did not consent: \"First round\"."
        ),
        "{text}"
    );
}

/// The record says what the round held proposed, where it said, and the Markdown record
/// reads it in one line: a round that consented to decline reads as that, not as consent.
#[test]
fn the_record_says_what_the_round_held_proposed() {
    let round = round_proposing("The staff team's round", RoundProposes::Decline, true);
    let (record, text) = declined_after(round);
    let held = record.round_held.clone().unwrap();
    assert_eq!(held.proposes, Some(RoundProposes::Decline));
    assert!(held.consented && !held.escalated, "{held:?}");
    let json = serde_json::to_value(&held).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"reference": "The staff team's round", "consented": true, "proposes": "decline"})
    );
    assert!(
        text.contains(
            "The consent round held for it, proposing to decline the offer, consented: \"The staff team's round\"."
        ),
        "{text}"
    );
}

#[test]
fn accepting_with_conditions_needs_a_condition() {
    given::<FundingProcess>(tier_two_deciding(true))
        .when(
            decide(
                FundingOutcome::AcceptWithConditions {
                    conditions: vec![],
                    set_aside: vec![],
                },
                &[1, 5],
            ),
            ctx(1, 31 + 7 * DAY),
        )
        .then_error(FundingError::NoConditions);
}

#[test]
fn a_restrictive_condition_below_tier_two_is_refused() {
    let mut steps = tier_zero_consulted(&[]);
    steps.push((FundingCommand::StartDeciding {}, 1, 20));
    let (_, events) = run(&steps);
    let gag = FundingCondition {
        text: "No public comment".into(),
        restricts: [Restriction::Voice].into(),
    };
    given::<FundingProcess>(events)
        .when(
            decide(
                FundingOutcome::AcceptWithConditions {
                    conditions: vec![gag],
                    set_aside: vec![],
                },
                &[1],
            ),
            ctx(1, 21),
        )
        .then_error(FundingError::RestrictiveConditionBelowTierTwo { tier: Tier::Zero });
}

/// The community's counter-condition to the foundation's review before publication.
fn publish_in_full() -> FundingCondition {
    FundingCondition {
        text: "Findings are published in full".into(),
        restricts: Default::default(),
    }
}

fn setting_aside(conditions: &[&str], reason: &str) -> FundingOutcome {
    FundingOutcome::AcceptWithConditions {
        conditions: vec![publish_in_full()],
        set_aside: conditions
            .iter()
            .map(|c| SetAside {
                condition: (*c).into(),
                reason: reason.into(),
            })
            .collect(),
    }
}

const REVIEW: &str = "The foundation reviews findings before publication";

#[test]
fn only_a_condition_the_offer_states_can_be_set_aside_once_and_with_a_reason() {
    let refused = |outcome, error| {
        given::<FundingProcess>(tier_two_deciding(true))
            .when(decide(outcome, &[1, 5]), ctx(1, 31 + 7 * DAY))
            .then_error(error);
    };
    refused(
        setting_aside(&["Nobody offered this"], "Ours replaces it"),
        FundingError::NotAnOfferCondition {
            condition: "Nobody offered this".into(),
            problem: "the offer states no such condition",
        },
    );
    refused(
        setting_aside(&[REVIEW, REVIEW], "Ours replaces it"),
        FundingError::NotAnOfferCondition {
            condition: REVIEW.into(),
            problem: "it is set aside twice",
        },
    );
    refused(
        setting_aside(&[REVIEW], "  "),
        FundingError::from(RefusalKind::TextRequired {
            attempted: "decide",
            field: "set_aside.reason",
        }),
    );
    // A long condition is quoted by a short prefix.
    let long = "x".repeat(5_000);
    let state = given::<FundingProcess>(tier_two_deciding(true))
        .when(
            decide(setting_aside(&[&long], "Ours replaces it"), &[1, 5]),
            ctx(1, 31 + 7 * DAY),
        )
        .outcome();
    let message = state.unwrap_err().to_string();
    assert!(message.len() < 200, "{message}");
}

#[test]
fn the_record_and_the_register_say_which_conditions_stand() {
    let mut steps = tier_two_deciding_steps(true);
    steps.push((
        decide(
            setting_aside(&[REVIEW], "Findings are ours to publish"),
            &[1, 5],
        ),
        1,
        31 + 7 * DAY,
    ));
    steps.push((
        FundingCommand::Publish {
            withheld_reason: None,
        },
        1,
        32 + 7 * DAY,
    ));
    let (state, _) = run(&steps);
    let listing = state.decision().unwrap().listing().unwrap();
    assert_eq!(listing.conditions, vec![publish_in_full()]);
    assert_eq!(listing.set_aside.len(), 1);
    assert_eq!(listing.set_aside[0].condition, REVIEW);
    let record = state.decision().unwrap().record(
        community(),
        t0() + jiff::SignedDuration::from_hours(24 * 30),
    );
    let funder = record.funder.unwrap();
    assert!(
        funder.conditions.is_empty(),
        "the foundation's review is set aside"
    );
    assert_eq!(funder.own_conditions, vec![publish_in_full()]);
    assert_eq!(funder.set_aside[0].reason, "Findings are ours to publish");
    assert_eq!(funder.standing().count(), 1);
}

// ---------------------------------------------------------------------------------------
// After the decision
// ---------------------------------------------------------------------------------------

fn accepted_tier_zero() -> Vec<(FundingCommand, u64, i64)> {
    let mut steps = tier_zero_consulted(&[]);
    steps.push((FundingCommand::StartDeciding {}, 1, 20));
    steps.push((decide(FundingOutcome::Accept {}, &[1]), 1, 21));
    steps
}

#[test]
fn publishing_lists_funder_band_conditions_route_and_rationale() {
    let mut steps = accepted_tier_zero();
    steps.push((
        FundingCommand::Publish {
            withheld_reason: None,
        },
        1,
        22,
    ));
    let (state, _) = run(&steps);
    let listing = state.decision().unwrap().listing().unwrap();
    assert_eq!(listing.funder, "A local trust");
    assert_eq!(listing.amount_band, "under £2000");
    assert_eq!(listing.route, route(0).summary());
    assert_eq!(listing.rationale, "Fits the mission");
    assert_eq!(state.phase(), FundingPhase::Published);
}

#[test]
fn a_review_date_must_lie_ahead() {
    let mut steps = accepted_tier_zero();
    steps.push((
        FundingCommand::Publish {
            withheld_reason: None,
        },
        1,
        22,
    ));
    let (_, events) = run(&steps);
    given::<FundingProcess>(events)
        .when(
            FundingCommand::StartMonitoring {
                review_date: ctx(1, 23).now,
            },
            ctx(1, 23),
        )
        .then_error_matching(|e| {
            matches!(
                e.refusal(),
                Some(Refusal {
                    kind: RefusalKind::DateNotAhead {
                        field: "review_date",
                        ..
                    },
                    ..
                })
            )
        });
}

#[test]
fn an_accepted_offer_cannot_be_withdrawn() {
    let (_, events) = run(&accepted_tier_zero());
    given::<FundingProcess>(events)
        .when(
            FundingCommand::Withdraw {
                reason: "Changed our mind".into(),
            },
            ctx(1, 30),
        )
        .then_error(FundingError::from(RefusalKind::WrongPhase {
            attempted: "withdraw",
            phase: "accepted",
        }));
}

#[test]
fn an_offer_can_be_withdrawn_while_deciding() {
    let mut steps = tier_zero_consulted(&[]);
    steps.push((FundingCommand::StartDeciding {}, 1, 20));
    let (_, events) = run(&steps);
    let state = given::<FundingProcess>(events)
        .when(
            FundingCommand::Withdraw {
                reason: "The funder withdrew the offer".into(),
            },
            ctx(1, 21),
        )
        .then([FundingEvent::Withdrawn {
            reason: "The funder withdrew the offer".into(),
            by: MemberId::new(1),
            at: ctx(1, 21).now,
        }]);
    assert_eq!(state.phase(), FundingPhase::Withdrawn);
}

#[test]
fn a_command_earlier_than_the_last_event_is_refused() {
    let (_, events) = run(&due_diligence(0));
    given::<FundingProcess>(events)
        .when(check(Check::Reputation, 3, 1).0, ctx(3, 1))
        .then_error(FundingError::from(RefusalKind::ClockWentBack {
            now: ctx(3, 1).now,
            last: ctx(1, 3).now,
        }));
}

// ---------------------------------------------------------------------------------------
// Wire format
// ---------------------------------------------------------------------------------------

#[test]
fn commands_and_events_refuse_unknown_fields() {
    assert!(
        serde_json::from_str::<FundingCommand>(r#"{"type":"start_screening","junk":1}"#).is_err()
    );
    assert!(serde_json::from_str::<FundingCommand>(r#"{"type":"start_screening"}"#).is_ok());
    assert!(serde_json::from_str::<FundingOutcome>(r#"{"type":"accept","junk":1}"#).is_err());
    assert!(serde_json::from_str::<Requirement>(r#"{"type":"session","junk":1}"#).is_err());
    let (_, events) = run(&accepted_tier_zero());
    for event in &events {
        let mut json = serde_json::to_value(event).unwrap();
        let back: FundingEvent = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(&back, event);
        json["junk"] = 1.into();
        assert!(serde_json::from_value::<FundingEvent>(json).is_err());
    }
}

#[test]
fn the_graph_draws_with_stable_labels() {
    let dot = FundingProcess::graph().unwrap().dot().to_string();
    assert!(dot.starts_with("digraph \"funding_decision\" {"));
    assert!(dot.contains("\"screening\" -> \"declined\";"));
    assert!(dot.contains("\"deciding\" -> \"accepted_with_conditions\";"));
    assert!(dot.contains("\"under_review\" -> \"renewed\";"));
    assert!(!dot.contains("\"declined\" -> "));
}

/// An arrangement's review reaches the offer's record: when it opened, and how the deciding
/// body ended it and why; the record then says it will not be reviewed again.
#[test]
fn a_review_of_an_accepted_offer_is_in_its_record_with_how_it_ended() {
    use coproduction::report::DecisionRecordMarkdown;
    use coproduction::values::{Charter, ReviewEnd};
    let mut steps = tier_zero_consulted(&[]);
    steps.extend(accepted_to_monitoring());
    steps.extend([(
        FundingCommand::StartReview {
            reason: "The funder changed its terms".into(),
        },
        1,
        24,
    )]);
    let community = community();
    let record_at = |steps: &[(FundingCommand, u64, i64)], minute| {
        let (state, _) = run(steps);
        state
            .decision()
            .unwrap()
            .record(community, ctx(1, minute).now)
    };
    // Under review: the review is open.
    let open = record_at(&steps, 24);
    assert_eq!(open.reviews.len(), 1);
    assert_eq!(open.reviews[0].opened_at, ctx(1, 24).now);
    assert_eq!(open.reviews[0].ended, None);

    steps.push((
        FundingCommand::Review {
            renew: false,
            rationale: "The new terms restrict publication".into(),
        },
        1,
        25,
    ));
    let ended = record_at(&steps, 30);
    assert_eq!(
        ended.reviews[0].ended,
        Some(ReviewEnd::Ended {
            rationale: "The new terms restrict publication".into(),
            at: ctx(1, 25).now,
        })
    );
    let report = Charter::default().check(&ended);
    let text = DecisionRecordMarkdown::new(&ended, &report).to_string();
    assert!(
        text.contains("When it will be reviewed: not again; the arrangement ended on"),
        "{text}"
    );
    assert!(
        text.contains("by the deciding body: The new terms restrict publication"),
        "{text}"
    );
    // Read as of before the review concluded, it is still open.
    assert_eq!(record_at(&steps, 24).reviews[0].ended, None);
}
