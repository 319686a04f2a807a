//! Each built-in rule in three sentences: given a record, the rule is satisfied; given a
//! change that breaks it, violated; given a record it does not concern, not applicable.
//!
//! The base record is a tier 2 funding decision taken by consent in a mixed circle, with
//! every piece of evidence recorded and every applicable rule kept.

use std::collections::BTreeSet;

use coproduction::community::{AccessNeedKind, BodyFigures, BodyId, MemberId};
use coproduction::decision::{DecisionKind, Method, Tier};
use coproduction::values::*;
use jiff::{SignedDuration, Timestamp};

fn day(n: i64) -> Timestamp {
    let start: Timestamp = "2021-04-01T10:00:00Z".parse().unwrap();
    start
        .checked_add(SignedDuration::from_hours(24 * n))
        .unwrap()
}

fn m(n: u64) -> MemberId {
    MemberId::new(n)
}

fn body(s: &str) -> BodyId {
    BodyId::new(s).unwrap()
}

fn route() -> RouteSummary {
    RouteSummary {
        deciding_body: body("decision_circle"),
        method: Method::Consent,
        tier: Some(Tier::Two),
        consulted: [body("allies_group")].into_iter().collect(),
    }
}

fn advice(from: u64, bases: &[AdviceBasis]) -> AdviceEntry {
    AdviceEntry {
        from: m(from),
        bases: bases.iter().copied().collect(),
        text: Some("Pay for preparation time".into()),
        given_at: Some(day(5)),
        answer: Some("Taken into the amended proposal".into()),
    }
}

/// Every rule that applies is kept.
fn good() -> DecisionRecord {
    let participants = (1..=6)
        .map(|n| {
            let p = Participant::new(m(n))
                .responded(RecordedResponse::Consent)
                .declared(Conflict::None);
            if n <= 3 {
                p.with_lived_experience()
                    .contributor(PaymentStatus::Accepted)
            } else {
                p
            }
        })
        .collect();
    let mut funder = FunderFacts::new("Trust A");
    funder.amount_band = Some("10k to 50k".into());
    funder.red_line_screen = Some(Screen::Passed);
    funder.register = Some(RegisterEntry {
        listed: RegisterField::ALL.into_iter().collect(),
        withheld_reason: None,
    });
    DecisionRecord {
        tier: Some(Tier::Two),
        outcome: Some(Outcome::Adopted),
        route_taken: Some(route()),
        route_given: Some(route()),
        body: Some(BodyFigures {
            body: body("decision_circle"),
            size: 6,
            lived_experience: 3,
            roles: Default::default(),
        }),
        participants: Some(participants),
        absence_policy: Some(AbsenceCounted::NotCounted),
        objections: Some(vec![
            ObjectionEntry::new(m(2), RaisedAs::Objection)
                .tested(TestResult::Valid)
                .disposed(Disposition::Integrated),
            ObjectionEntry::new(m(3), RaisedAs::Concern).disposed(Disposition::LoggedAsConcern),
        ]),
        advice: Some(vec![
            advice(10, &[AdviceBasis::CriticalFriend, AdviceBasis::Expertise]),
            advice(11, &[AdviceBasis::Affected, AdviceBasis::LivedExperience]),
        ]),
        advisers: Some(vec![BodyFigures {
            body: body("allies_group"),
            size: 4,
            lived_experience: 2,
            roles: Default::default(),
        }]),
        rationale: Some("The grant funds the co-producer roles without conditions".into()),
        alternatives: Some(vec!["Decline and seek smaller grants".into()]),
        access_requests: Some(vec![AccessRequest {
            member: m(1),
            need: AccessNeedKind::EasyRead,
            met_at: Some(day(2)),
            adjustment: Some("Easy-read papers".into()),
        }]),
        ways_offered: Some([Way::Live, Way::Asynchronous].into_iter().collect()),
        expenses: Some(ExpensesFacts {
            policy_applies: true,
            longest_wait_days: Some(10),
        }),
        benefits_advice_signposted: Some(true),
        credits: Some(vec![Credit {
            member: m(1),
            credited: true,
        }]),
        funder: Some(funder),
        due_diligence: Some(vec![DueDiligenceCheck::new(
            "legal_and_sanctions",
            true,
            Some(day(3)),
        )]),
        labelled_coproduced: true,
        ladder: Some(Rung::Partnership),
        stakeholders: Some(StakeholderFacts {
            took_part: ["co_producers", "allies", "staff"]
                .into_iter()
                .map(Into::into)
                .collect(),
            waivers: Default::default(),
        }),
        dates: Dates {
            papers_sent_at: Some(day(0)),
            session_at: Some(day(10)),
            round_opened_at: Some(day(10)),
            round_closed_at: Some(day(18)),
            decided_at: Some(day(18)),
            review_at: Some(day(18 + 90)),
            as_of: Some(day(18)),
            ..Dates::default()
        },
        publication: Some(Publication {
            published_at: day(20),
            redactions: vec![],
        }),
        ..DecisionRecord::new(DecisionKind::Funding)
    }
}

fn recruitment() -> DecisionRecord {
    DecisionRecord {
        recruitment: Some(RecruitmentFacts {
            advert_opened_at: Some(day(0)),
            advert_closed_at: Some(day(21)),
            ways_to_apply: ["online form", "phone"]
                .into_iter()
                .map(String::from)
                .collect(),
            criteria_published_at: Some(day(0)),
            panel_with_lived_experience: Some(1),
        }),
        ..DecisionRecord {
            kind: DecisionKind::Recruitment,
            ..good()
        }
    }
}

/// Given `record`, then rule `rule` reports `expected`.
fn then(rule: &str, record: &DecisionRecord, expected: Status) {
    let report = Charter::default().check(record);
    let f = report.finding(rule).unwrap();
    assert_eq!(f.status, expected, "{rule}: {}", f.message);
}

/// Given the good record changed by `edit`, then `rule` reports `expected`.
fn given(edit: impl FnOnce(&mut DecisionRecord), rule: &str, expected: Status) {
    let mut r = good();
    edit(&mut r);
    then(rule, &r, expected);
}

fn participants(r: &mut DecisionRecord) -> &mut Vec<Participant> {
    r.participants.as_mut().unwrap().edit()
}

fn single_decider(r: &mut DecisionRecord) {
    let mut route = route();
    route.method = Method::AdviceProcess;
    r.route_taken = Some(route.clone());
    r.route_given = Some(route);
}

use Status::{NotApplicable as NA, Satisfied as OK, Violated as BAD};

#[test]
fn the_good_record_keeps_every_rule_that_applies() {
    let report = Charter::default().check(&good());
    let not_ok: Vec<_> = report
        .findings()
        .iter()
        .filter(|f| f.status != Status::Satisfied)
        .map(|f| (f.rule.as_str(), f.status))
        .collect();
    assert_eq!(
        not_ok,
        vec![("C5", NA), ("C8", NA), ("I5", NA), ("I6", NA), ("T8", NA)]
    );
    assert!(
        report
            .verdicts()
            .iter()
            .all(|v| v.verdict == Verdict::Upheld)
    );
    assert!(report.gate().is_ok());
}

// ---- human ----

#[test]
fn h1_payment_offered() {
    then("H1", &good(), OK);
    given(
        |r| participants(r)[0].payment = Some(PaymentStatus::NotOffered),
        "H1",
        BAD,
    );
    given(
        |r| participants(r)[0].payment = Some(PaymentStatus::Declined),
        "H1",
        OK,
    );
    given(
        |r| participants(r).retain(|p| !p.public_contributor),
        "H1",
        NA,
    );
}

#[test]
fn h2_expenses_reimbursed() {
    then("H2", &good(), OK);
    given(
        |r| r.expenses.as_mut().unwrap().longest_wait_days = Some(45),
        "H2",
        BAD,
    );
    given(
        |r| r.expenses.as_mut().unwrap().policy_applies = false,
        "H2",
        BAD,
    );
    given(
        |r| participants(r).retain(|p| !p.public_contributor),
        "H2",
        NA,
    );
}

#[test]
fn h3_benefits_advice() {
    then("H3", &good(), OK);
    given(|r| r.benefits_advice_signposted = Some(false), "H3", BAD);
    given(
        |r| {
            for p in participants(r) {
                p.payment = p.payment.map(|_| PaymentStatus::NotOffered);
            }
        },
        "H3",
        NA,
    );
}

#[test]
fn h4_papers_on_time() {
    then("H4", &good(), OK);
    given(|r| r.dates.papers_sent_at = Some(day(8)), "H4", BAD);
    given(
        |r| {
            r.dates.session_at = None;
            r.ways_offered = Some([Way::Written, Way::Asynchronous].into_iter().collect());
        },
        "H4",
        NA,
    );
}

#[test]
fn h5_async_round_long_enough() {
    then("H5", &good(), OK);
    given(|r| r.dates.round_closed_at = Some(day(12)), "H5", BAD);
    // A funding decision's comment window is the asynchronous round it judges, not the
    // deciding round held at the session.
    given(
        |r| {
            r.dates.comment_window_opened_at = Some(day(3));
            r.dates.comment_window_closed_at = Some(day(10));
            r.dates.round_opened_at = Some(day(10));
            r.dates.round_closed_at = Some(day(10));
        },
        "H5",
        OK,
    );
    given(
        |r| {
            r.dates.comment_window_opened_at = Some(day(3));
            r.dates.comment_window_closed_at = Some(day(5));
        },
        "H5",
        BAD,
    );
    given(
        |r| r.ways_offered = Some([Way::Live, Way::Written].into_iter().collect()),
        "H5",
        NA,
    );
    // A window still open is judged when it closes; the deciding round's dates stand in
    // for nothing, and the finding names the window's closing as what is missing.
    let mut open = good();
    open.dates.comment_window_opened_at = Some(day(3));
    open.dates.comment_window_closed_at = None;
    let report = Charter::default().check(&open);
    let f = report.finding("H5").unwrap();
    assert_eq!(f.status, Status::NotEvaluated, "{}", f.message);
    assert!(
        f.message.contains("dates.comment_window_closed_at"),
        "{}",
        f.message
    );
}

#[test]
fn h6_contributors_credited() {
    then("H6", &good(), OK);
    given(
        |r| r.credits.as_mut().unwrap()[0].credited = false,
        "H6",
        BAD,
    );
    given(|r| r.credits = Some(vec![]), "H6", NA);
}

// ---- inclusive ----

#[test]
fn i1_lived_experience_share() {
    then("I1", &good(), OK);
    given(|r| r.body.as_mut().unwrap().lived_experience = 2, "I1", BAD);
    given(single_decider, "I1", NA);
}

#[test]
fn i1_blocks_funding_and_warns_otherwise() {
    let mut r = good();
    r.body.as_mut().unwrap().lived_experience = 2;
    let report = Charter::default().check(&r);
    assert_eq!(report.finding("I1").unwrap().severity, Severity::Blocking);
    r.kind = DecisionKind::WorkingModel;
    let report = Charter::default().check(&r);
    assert_eq!(report.finding("I1").unwrap().severity, Severity::Warning);
}

#[test]
fn i2_lived_experience_quorum() {
    then("I2", &good(), OK);
    given(
        |r| {
            for p in participants(r).iter_mut().take(2) {
                p.response = None;
            }
        },
        "I2",
        BAD,
    );
    given(single_decider, "I2", NA);
}

#[test]
fn i3_ways_to_take_part() {
    then("I3", &good(), OK);
    given(
        |r| r.ways_offered = Some([Way::Live].into_iter().collect()),
        "I3",
        BAD,
    );
    given(
        |r| {
            let mut route = route();
            route.method = Method::Delegated;
            r.route_taken = Some(route);
        },
        "I3",
        NA,
    );
}

#[test]
fn i4_access_requests_met() {
    then("I4", &good(), OK);
    given(
        |r| r.access_requests.as_mut().unwrap()[0].met_at = None,
        "I4",
        BAD,
    );
    given(
        |r| r.access_requests.as_mut().unwrap()[0].met_at = Some(day(11)),
        "I4",
        BAD,
    );
    given(|r| r.access_requests = Some(vec![]), "I4", NA);
}

#[test]
fn i5_no_silent_consent() {
    given(
        |r| {
            participants(r)[0] = participants(r)[0]
                .clone()
                .absent(AbsenceCounted::NotCounted)
        },
        "I5",
        OK,
    );
    given(
        |r| participants(r)[0] = participants(r)[0].clone().absent(AbsenceCounted::Consent),
        "I5",
        BAD,
    );
    given(
        |r| {
            participants(r)[0] = participants(r)[0].clone().absent(AbsenceCounted::Consent);
            r.absence_policy = Some(AbsenceCounted::Consent);
        },
        "I5",
        OK,
    );
    then("I5", &good(), NA);
}

#[test]
fn i6_fair_recruitment() {
    then("I6", &recruitment(), OK);
    let mut r = recruitment();
    r.recruitment.as_mut().unwrap().panel_with_lived_experience = Some(0);
    then("I6", &r, BAD);
    let mut r = recruitment();
    r.recruitment.as_mut().unwrap().advert_closed_at = Some(day(7));
    then("I6", &r, BAD);
    then("I6", &good(), NA);
    // One way written twice, in another case, with spacing, a hyphen or an invisible
    // character, or in lookalike letters (Cyrillic, Greek, a digit), is one way; a blank or
    // symbols alone are none: the rule counts ways by their letters as they read.
    for padded in [
        ["phone", "phone "],
        ["phone", "Phone"],
        ["phone", "phone\u{200B}"],
        ["phone", ""],
        ["", " "],
        ["\u{200B}", "\u{200C}"],
        ["email", "e-mail"],
        ["email", "e mail"],
        ["phone", "\u{440}hone"],
        ["email", "\u{435}-mail"],
        ["PHONE", "\u{3A1}\u{397}\u{39F}\u{39D}\u{395}"],
        ["TEXT", "\u{422}\u{415}\u{425}\u{422}"],
        ["phone", "ph0ne"],
        ["-", "--"],
        ["?", "!"],
        ["\u{1F4DE}", "\u{1F4DE}\u{1F4DE}"],
    ] {
        let mut r = recruitment();
        r.recruitment.as_mut().unwrap().ways_to_apply =
            padded.into_iter().map(String::from).collect();
        then("I6", &r, BAD);
    }
    // Ways that differ in their letters are two, in any script.
    for two in [
        ["phone", "phone 2"],
        ["post", "email"],
        [
            "\u{442}\u{435}\u{43B}\u{435}\u{444}\u{43E}\u{43D}",
            "\u{43F}\u{43E}\u{447}\u{442}\u{430}",
        ],
    ] {
        let mut r = recruitment();
        r.recruitment.as_mut().unwrap().ways_to_apply = two.into_iter().map(String::from).collect();
        then("I6", &r, OK);
    }
}

#[test]
fn i7_genuine_coproduction() {
    then("I7", &good(), OK);
    given(|r| r.ladder = Some(Rung::Placation), "I7", BAD);
    given(|r| r.labelled_coproduced = false, "I7", NA);
}

#[test]
fn i8_stakeholders_took_part() {
    then("I8", &good(), OK);
    given(
        |r| {
            r.stakeholders.as_mut().unwrap().took_part.remove("allies");
        },
        "I8",
        BAD,
    );
    given(
        |r| {
            let s = r.stakeholders.as_mut().unwrap();
            s.took_part.remove("allies");
            s.waivers
                .insert("allies".into(), "Group in recess over summer".into());
        },
        "I8",
        OK,
    );
    let charter = Charter::from_json(
        r#"{"values":[{"id":"inclusive"}],"rules":[{"id":"I8","stakeholder_groups":[]}]}"#,
    )
    .unwrap();
    assert_eq!(charter.check(&good()).finding("I8").unwrap().status, NA);
}

#[test]
fn i9_advisers_lived_experience() {
    then("I9", &good(), OK);
    // The Allies Group as the seed community first recorded it: three of eight.
    given(
        |r| {
            let allies = &mut r.advisers.as_mut().unwrap()[0];
            allies.size = 8;
            allies.lived_experience = 3;
        },
        "I9",
        BAD,
    );
    given(|r| r.advisers = Some(vec![]), "I9", NA);
    given(|r| r.advisers = None, "I9", Status::NotEvaluated);
    // Figures that cannot be are not judged, as I1 does not judge them.
    given(
        |r| r.advisers.as_mut().unwrap()[0].lived_experience = 9,
        "I9",
        Status::NotEvaluated,
    );
    let mut short = good();
    short.advisers.as_mut().unwrap()[0].lived_experience = 1;
    let report = Charter::default().check(&short);
    let finding = report.finding("I9").unwrap();
    assert_eq!(finding.severity, Severity::Warning);
    assert!(
        finding
            .message
            .ends_with("the charter's 1/2: allies_group with 1 of 4 (25%)"),
        "{}",
        finding.message
    );
    // A charter that asks for a quarter takes one of four.
    let charter = Charter::from_json(
        r#"{"values":[{"id":"inclusive"}],"rules":[{"id":"I9","lived_experience_min_share":{"numerator":1,"denominator":4}}]}"#,
    )
    .unwrap();
    assert_eq!(charter.check(&short).finding("I9").unwrap().status, OK);
}

// ---- transparent ----

#[test]
fn t1_published_on_time() {
    then("T1", &good(), OK);
    given(
        |r| r.publication.as_mut().unwrap().published_at = day(60),
        "T1",
        BAD,
    );
    given(
        |r| {
            r.publication = None;
            r.dates.as_of = Some(day(60));
        },
        "T1",
        BAD,
    );
    given(|r| r.publication = None, "T1", NA); // not yet due
    given(|r| r.outcome = Some(Outcome::Withdrawn), "T1", NA);
    // Published before the decision was taken: there was nothing to publish.
    given(
        |r| {
            let decided = r.dates.decided_at.unwrap();
            r.publication.as_mut().unwrap().published_at =
                decided - jiff::SignedDuration::from_mins(8);
        },
        "T1",
        BAD,
    );
}

#[test]
fn t2_rationale_recorded() {
    then("T2", &good(), OK);
    given(|r| r.rationale = Some("  ".into()), "T2", BAD);
    given(|r| r.alternatives = Some(vec![]), "T2", BAD);
    given(|r| r.outcome = Some(Outcome::Withdrawn), "T2", NA);
}

#[test]
fn t3_objections_disposed() {
    then("T3", &good(), OK);
    given(
        |r| r.objections.as_mut().unwrap()[1].disposition = None,
        "T3",
        BAD,
    );
    given(
        |r| r.objections.as_mut().unwrap()[0].disposition = Some(Disposition::NotIntegrated),
        "T3",
        BAD,
    );
    given(|r| r.objections = Some(vec![]), "T3", NA);
}

#[test]
fn t4_conflicts_declared() {
    then("T4", &good(), OK);
    given(|r| participants(r)[4].conflict = None, "T4", BAD);
    given(
        |r| participants(r)[4].conflict = Some(Conflict::DeclaredAndTookPart),
        "T4",
        BAD,
    );
    given(
        |r| participants(r)[4].conflict = Some(Conflict::DeclaredAndRecused),
        "T4",
        OK,
    );
    // T4 applies to every decision with deciders; "not applicable" is never reported, and
    // missing evidence is "not evaluated".
    given(|r| r.participants = None, "T4", Status::NotEvaluated);
}

#[test]
fn t5_due_diligence_done() {
    then("T5", &good(), OK);
    given(
        |r| r.due_diligence.as_mut().unwrap()[0].completed_at = None,
        "T5",
        BAD,
    );
    given(
        |r| r.due_diligence.as_mut().unwrap()[0].completed_at = Some(day(30)),
        "T5",
        BAD,
    );
    let strategy = DecisionRecord {
        kind: DecisionKind::Strategy,
        due_diligence: None,
        ..good()
    };
    then("T5", &strategy, NA);
}

#[test]
fn t6_in_public_register() {
    then("T6", &good(), OK);
    given(
        |r| {
            r.funder
                .as_mut()
                .unwrap()
                .register
                .as_mut()
                .unwrap()
                .listed
                .remove(&RegisterField::Conditions);
        },
        "T6",
        BAD,
    );
    given(
        |r| {
            let entry = r.funder.as_mut().unwrap().register.as_mut().unwrap();
            entry.listed.remove(&RegisterField::AmountBand);
            entry.withheld_reason = Some("Commercial confidentiality clause".into());
        },
        "T6",
        OK,
    );
    given(|r| r.outcome = Some(Outcome::Declined), "T6", NA);
}

#[test]
fn t7_route_followed() {
    then("T7", &good(), OK);
    given(
        |r| r.route_taken.as_mut().unwrap().method = Method::Majority,
        "T7",
        BAD,
    );
    given(
        |r| r.route_taken.as_mut().unwrap().consulted.clear(),
        "T7",
        BAD,
    );
    given(|r| r.outcome = Some(Outcome::Withdrawn), "T7", NA);
}

#[test]
fn t8_advice_sought() {
    given(single_decider, "T8", OK);
    given(
        |r| {
            single_decider(r);
            r.advice.as_mut().unwrap().remove(1);
        },
        "T8",
        BAD,
    );
    given(
        |r| {
            single_decider(r);
            r.advice.as_mut().unwrap()[1].given_at = Some(day(19)); // after deciding
        },
        "T8",
        BAD,
    );
    then("T8", &good(), NA);
}

#[test]
fn t9_review_date_set() {
    then("T9", &good(), OK);
    given(|r| r.dates.review_at = None, "T9", BAD);
    given(|r| r.outcome = Some(Outcome::Declined), "T9", NA);
}

// ---- challenging ----

#[test]
fn c1_everyone_responded() {
    then("C1", &good(), OK);
    given(|r| participants(r)[5].response = None, "C1", BAD);
    given(
        |r| participants(r)[5] = participants(r)[5].clone().absent(AbsenceCounted::Consent),
        "C1",
        BAD,
    );
    given(
        |r| {
            participants(r)[5].response = None;
            participants(r)[5].conflict = Some(Conflict::DeclaredAndRecused);
        },
        "C1",
        OK,
    );
    given(single_decider, "C1", NA);
}

/// `rule` on `record` by a charter that sets `setting` of `rule` to `true`.
fn with_setting(rule: &str, setting: &str, value: &str, record: &DecisionRecord) -> Status {
    let charter = Charter::from_json(&format!(
        r#"{{"values":[{{"id":"inclusive"}},{{"id":"challenging"}}],"rules":[{{"id":"{rule}","{setting}":{value}}}]}}"#
    ))
    .unwrap();
    charter.check(record).finding(rule).unwrap().status
}

fn reminded(r: &mut DecisionRecord, member: u64, at: Timestamp) {
    r.reminders.push(Reminder {
        members: vec![m(member)],
        channel: "email".into(),
        by: m(1),
        at,
    });
}

#[test]
fn c1_and_i5_take_reminders_into_account_where_the_charter_says_so() {
    // A member with lived experience who did not respond, counted absent.
    let silent = |r: &mut DecisionRecord| {
        let member = participants(r)[5].member;
        participants(r)[5] = participants(r)[5]
            .clone()
            .with_lived_experience()
            .absent(AbsenceCounted::NotCounted);
        member
    };
    let mut unreminded = good();
    let member = silent(&mut unreminded);
    let closed = unreminded.dates.round_closed_at.unwrap();
    let mut in_time = unreminded.clone();
    reminded(
        &mut in_time,
        member.get(),
        closed - SignedDuration::from_hours(24),
    );
    let mut too_late = unreminded.clone();
    reminded(
        &mut too_late,
        member.get(),
        closed + SignedDuration::from_hours(1),
    );

    // By default a reminder changes nothing: C1 wants a response, I5 does not ask.
    then("C1", &in_time, BAD);
    then("I5", &unreminded, OK);
    // With `reminded_is_enough`, a silence after a reminder in time answers C1.
    assert_eq!(
        with_setting("C1", "reminded_is_enough", "true", &in_time),
        OK
    );
    assert_eq!(
        with_setting("C1", "reminded_is_enough", "true", &too_late),
        BAD
    );
    assert_eq!(
        with_setting("C1", "reminded_is_enough", "true", &unreminded),
        BAD
    );
    assert_eq!(
        with_setting("C1", "reminded_is_enough", "false", &in_time),
        BAD
    );
    // With `remind_first`, nobody with lived experience is counted absent unreminded.
    assert_eq!(with_setting("I5", "remind_first", "true", &unreminded), BAD);
    assert_eq!(with_setting("I5", "remind_first", "true", &too_late), BAD);
    assert_eq!(with_setting("I5", "remind_first", "true", &in_time), OK);
    // A setting that is not a boolean is refused, naming it.
    let refused = Charter::from_json(
        r#"{"values":[{"id":"inclusive"}],"rules":[{"id":"I5","remind_first":"yes"}]}"#,
    );
    assert!(refused.is_err_and(|e| e.to_string().contains("remind_first")));
}

#[test]
fn c2_objections_tested() {
    given(
        |r| {
            r.objections.as_mut().unwrap()[0] = ObjectionEntry::new(m(2), RaisedAs::Objection)
                .tested(TestResult::NotValid)
                .disposed(Disposition::LoggedAsConcern);
        },
        "C2",
        OK,
    );
    given(
        |r| {
            r.objections.as_mut().unwrap()[0] = ObjectionEntry::new(m(2), RaisedAs::Objection)
                .disposed(Disposition::LoggedAsConcern);
        },
        "C2",
        BAD,
    );
    given(
        |r| {
            let mut e = ObjectionEntry::new(m(2), RaisedAs::Objection)
                .tested(TestResult::NotValid)
                .disposed(Disposition::NotIntegrated);
            e.reason = Some("Out of scope".into());
            r.objections.as_mut().unwrap()[0] = e;
        },
        "C2",
        BAD,
    );
    given(
        |r| {
            r.objections.as_mut().unwrap().remove(0);
        },
        "C2",
        NA,
    );
}

#[test]
fn c3_critical_friends_heard() {
    then("C3", &good(), OK);
    given(|r| r.advice.as_mut().unwrap()[0].answer = None, "C3", BAD);
    given(
        |r| {
            r.advice.as_mut().unwrap().remove(0);
        },
        "C3",
        BAD,
    );
    given(
        |r| {
            r.tier = Some(Tier::Zero);
            r.route_taken.as_mut().unwrap().tier = Some(Tier::Zero);
        },
        "C3",
        NA,
    );
}

#[test]
fn c4_red_lines_respected() {
    then("C4", &good(), OK);
    given(
        |r| r.funder.as_mut().unwrap().red_line_screen = Some(Screen::Failed),
        "C4",
        BAD,
    );
    let strategy = DecisionRecord {
        kind: DecisionKind::Strategy,
        funder: None,
        ..good()
    };
    then("C4", &strategy, NA);
}

#[test]
fn c5_restrictive_conditions_escalated() {
    let restricted = |r: &mut DecisionRecord| {
        r.funder
            .as_mut()
            .unwrap()
            .conditions
            .push(FundingCondition {
                text: "Findings reviewed by the funder before publication".into(),
                restricts: [Restriction::Publication].into_iter().collect(),
            });
    };
    given(restricted, "C5", OK);
    given(
        |r| {
            restricted(r);
            r.tier = Some(Tier::One);
        },
        "C5",
        BAD,
    );
    then("C5", &good(), NA);
    // A restrictive condition the decision set aside does not stand: nothing to escalate.
    given(
        |r| {
            r.tier = Some(Tier::One);
            r.funder.as_mut().unwrap().set_aside.push(SetAside {
                condition: "Findings reviewed by the funder before publication".into(),
                reason: "Findings are the community's to publish".into(),
            });
        },
        "C5",
        NA,
    );
    // The community's own conditions stand as much as the funder's.
    given(
        |r| {
            r.tier = Some(Tier::One);
            r.funder
                .as_mut()
                .unwrap()
                .own_conditions
                .push(FundingCondition {
                    text: "Members do not speak for the funder".into(),
                    restricts: [Restriction::Voice].into_iter().collect(),
                });
        },
        "C5",
        BAD,
    );
}

#[test]
fn c6_no_valid_objection_open() {
    then("C6", &good(), OK);
    given(
        |r| r.objections.as_mut().unwrap()[0].disposition = None,
        "C6",
        BAD,
    );
    given(
        |r| r.objections.as_mut().unwrap()[0].disposition = Some(Disposition::NotIntegrated),
        "C6",
        BAD,
    );
    given(|r| r.outcome = Some(Outcome::Escalated), "C6", NA);
}

#[test]
fn c7_concerns_shorten_review() {
    then("C7", &good(), OK);
    given(|r| r.dates.review_at = Some(day(18 + 365)), "C7", BAD);
    given(
        |r| {
            r.objections.as_mut().unwrap().remove(1);
        },
        "C7",
        NA,
    );
}

/// A pilot's evaluation: two questions, for co-producers and for projects, agreed on day 1;
/// the first answered in a co-producer's words, the second by a figure.
fn evaluation() -> coproduction::evaluation::Evaluation {
    use coproduction::evaluation::*;
    let question = |n, benefit| Question {
        id: QuestionId::new(n),
        benefit,
        asks: format!("Question {n}?"),
        criteria: vec![],
    };
    let plan = EvaluationPlan {
        agreed_by: BodyId::new("co_producers").unwrap(),
        questions: vec![
            question(1, Benefit::CoProducers),
            question(2, Benefit::Projects),
        ],
    };
    let mut e = Evaluation::agreed(plan, MemberId::new(2), day(1));
    let gathered = |n, observation| Gathered {
        question: QuestionId::new(n),
        observation,
        source: Source::Interview {},
        gathered_at: day(2),
    };
    e.record(
        vec![
            gathered(
                1,
                Datum::Words {
                    said: "I grew.".into(),
                    from: Some(MemberId::new(7)),
                },
            ),
            gathered(
                2,
                Datum::Figure {
                    value: 3,
                    of: "projects".into(),
                },
            ),
        ],
        MemberId::new(7),
        day(3),
    );
    e
}

#[test]
fn c8_reassessed_on_evidence() {
    then("C8", &good(), NA);
    given(|r| r.evaluation = Some(evaluation()), "C8", OK);
    // A question without evidence.
    given(
        |r| {
            let mut e = evaluation();
            e.evidence.remove(1);
            r.evaluation = Some(e);
        },
        "C8",
        BAD,
    );
    // Figures alone: nobody's own words.
    given(
        |r| {
            let mut e = evaluation();
            e.evidence.remove(0);
            e.plan.questions.remove(0);
            r.evaluation = Some(e);
        },
        "C8",
        BAD,
    );
    // With more evidence needed per question than there is, and words not needed.
    let charter = |settings: &str| {
        Charter::from_json(&format!(
            r#"{{"values": [{{"id": "challenging"}}], "rules": [{{"id": "C8", {settings}}}]}}"#
        ))
        .unwrap()
    };
    let mut r = good();
    r.evaluation = Some(evaluation());
    let status = |c: Charter, r: &DecisionRecord| c.check(r).finding("C8").unwrap().status;
    assert_eq!(status(charter(r#""min_evidence": 2"#), &r), BAD);
    r.evaluation.as_mut().unwrap().evidence.remove(0);
    r.evaluation.as_mut().unwrap().plan.questions.remove(0);
    assert_eq!(status(charter(r#""words_needed": false"#), &r), OK);
}

#[test]
fn every_rule_has_a_test_here() {
    let ids: BTreeSet<String> = Charter::default()
        .rule_ids()
        .map(|id| id.as_str().to_owned())
        .collect();
    assert_eq!(ids.len(), 32);
    let this_file = include_str!("values_rules.rs");
    for id in ids {
        let name = format!("fn {}_", id.to_lowercase());
        assert!(this_file.contains(&name), "no test for {id}");
    }
}

// ---------------------------------------------------------------------------------------
// A declined offer: each value judged by the rules that apply to it
// ---------------------------------------------------------------------------------------

/// A tobacco company's offer, declined at the red-line screen the day it came, with its
/// reason published the same day.
fn red_line_decline() -> DecisionRecord {
    let mut funder = FunderFacts::new("A tobacco company");
    funder.red_line_screen = Some(Screen::Failed);
    DecisionRecord {
        outcome: Some(Outcome::Declined),
        rationale: Some("Declined automatically: tobacco is a red line".into()),
        funder: Some(funder),
        dates: Dates {
            decided_at: Some(day(0)),
            as_of: Some(day(1)),
            ..Dates::default()
        },
        publication: Some(Publication {
            published_at: day(0),
            redactions: vec![],
        }),
        ..DecisionRecord::new(DecisionKind::Funding)
    }
}

fn verdict(record: &DecisionRecord, value: &str) -> Verdict {
    Charter::default().check(record).verdict(value).unwrap()
}

#[test]
fn a_red_line_decline_upholds_challenging_and_every_other_value() {
    let record = red_line_decline();
    let report = Charter::default().check(&record);
    for value in ["human", "inclusive", "transparent", "challenging"] {
        assert_eq!(report.verdict(value), Some(Verdict::Upheld), "{value}");
    }
    assert_eq!(report.finding("C4").unwrap().status, OK);
    // What nobody deliberated on is not judged, and each such finding says why.
    for f in report.findings() {
        if !["C4", "T1", "T2"].contains(&f.rule.as_str()) {
            assert_eq!(f.status, NA, "{}: {}", f.rule, f.message);
            assert!(f.message.contains("declined automatically"), "{}", f.rule);
        }
    }
}

#[test]
fn challenging_is_breached_when_a_red_line_offer_is_not_declined() {
    for outcome in [Some(Outcome::Adopted), None] {
        let record = DecisionRecord {
            outcome,
            ..red_line_decline()
        };
        assert_eq!(
            verdict(&record, "challenging"),
            Verdict::Breached,
            "{outcome:?}"
        );
        then("C4", &record, BAD);
    }
}

#[test]
fn transparent_judges_a_red_line_decline_by_its_published_reason() {
    let unexplained = DecisionRecord {
        rationale: None,
        ..red_line_decline()
    };
    then("T2", &unexplained, BAD);
    assert_eq!(verdict(&unexplained, "transparent"), Verdict::Breached);
    // Alternatives are not asked of it: the policy left none.
    then("T2", &red_line_decline(), OK);
    // Its reason unpublished a month on: late.
    let mut unpublished = DecisionRecord {
        publication: None,
        ..red_line_decline()
    };
    unpublished.dates.as_of = Some(day(30));
    then("T1", &unpublished, BAD);
    assert_eq!(verdict(&unpublished, "transparent"), Verdict::Breached);
}

#[test]
fn human_and_inclusive_still_judge_a_decline_people_deliberated() {
    // The circle declined an offer that passed the screen: how people took part counts.
    let declined = |edit: fn(&mut DecisionRecord)| {
        let mut r = DecisionRecord {
            outcome: Some(Outcome::Declined),
            ..good()
        };
        edit(&mut r);
        r
    };
    assert!(!declined(|_| {}).declined_at_red_line());
    let unpaid = declined(|r| {
        for p in participants(r) {
            if p.public_contributor {
                p.payment = Some(PaymentStatus::NotOffered);
            }
        }
    });
    then("H1", &unpaid, BAD);
    assert_eq!(verdict(&unpaid, "human"), Verdict::Breached);
    let without_lived_experience = declined(|r| {
        for p in participants(r) {
            p.lived_experience = false;
        }
    });
    then("I2", &without_lived_experience, BAD);
    assert_eq!(
        verdict(&without_lived_experience, "inclusive"),
        Verdict::Breached
    );
}

#[test]
fn each_rule_judges_the_decisions_in_its_scope_and_says_why_not_the_others() {
    let report = |outcome| {
        Charter::default().check(&DecisionRecord {
            outcome: Some(outcome),
            ..good()
        })
    };
    // Withdrawn before a decision: how people took part still counts; how a decision was
    // reached, and what an acceptance commits to, do not.
    let withdrawn = report(Outcome::Withdrawn);
    for (rule, scope) in [
        ("H1", Scope::TakingPart),
        ("I4", Scope::TakingPart),
        ("T4", Scope::TakingPart),
    ] {
        assert_eq!(
            withdrawn.finding(rule).unwrap().status,
            OK,
            "{rule} ({scope:?})"
        );
    }
    for rule in ["C1", "C2", "I1", "I2", "T3", "T7", "T8", "T5", "C5"] {
        let f = withdrawn.finding(rule).unwrap();
        assert_eq!(f.status, NA, "{rule}");
        assert_eq!(
            f.message, "withdrawn before a decision: nothing was decided",
            "{rule}"
        );
    }
    // Declined after deliberation: judged on how it was reached, not on what an acceptance
    // would have committed to.
    let declined = report(Outcome::Declined);
    for rule in ["C1", "C2", "I1", "I2", "T3", "T7", "H1", "I4"] {
        assert_eq!(declined.finding(rule).unwrap().status, OK, "{rule}");
    }
    for rule in ["T5", "C5", "T6"] {
        let f = declined.finding(rule).unwrap();
        assert_eq!(f.status, NA, "{rule}");
        assert_eq!(f.message, "declined: nothing was accepted", "{rule}");
    }
    // Undecided (as the gate sees a record before the decision): every rule judges it.
    assert_eq!(
        Scope::Accepted.excludes(&DecisionRecord {
            outcome: None,
            ..good()
        }),
        None
    );
    // Escalated and deferred: nothing accepted here.
    for outcome in [Outcome::Escalated, Outcome::Deferred] {
        let r = DecisionRecord {
            outcome: Some(outcome),
            ..good()
        };
        assert!(Scope::Accepted.excludes(&r).is_some(), "{outcome:?}");
        assert_eq!(Scope::Reached.excludes(&r), None, "{outcome:?}");
    }
}

/// A field of the record, and how to leave it out.
type LeaveOut = (&'static str, fn(&mut DecisionRecord));

/// The record's fields, each with a way to leave it out of a record.
fn leave_out() -> Vec<LeaveOut> {
    vec![
        ("tier", |r| r.tier = None),
        ("outcome", |r| r.outcome = None),
        ("route_taken", |r| r.route_taken = None),
        ("route_given", |r| r.route_given = None),
        ("body", |r| r.body = None),
        ("participants", |r| r.participants = None),
        ("objections", |r| r.objections = None),
        ("advice", |r| r.advice = None),
        ("advisers", |r| r.advisers = None),
        ("rationale", |r| r.rationale = None),
        ("alternatives", |r| r.alternatives = None),
        ("access_requests", |r| r.access_requests = None),
        ("ways_offered", |r| r.ways_offered = None),
        ("expenses", |r| r.expenses = None),
        ("benefits_advice_signposted", |r| {
            r.benefits_advice_signposted = None
        }),
        ("credits", |r| r.credits = None),
        ("funder", |r| r.funder = None),
        ("due_diligence", |r| r.due_diligence = None),
        ("ladder", |r| r.ladder = None),
        ("stakeholders", |r| r.stakeholders = None),
        ("publication", |r| r.publication = None),
        ("dates.papers_sent_at", |r| r.dates.papers_sent_at = None),
        ("dates.session_at", |r| r.dates.session_at = None),
        ("dates.round_opened_at", |r| r.dates.round_opened_at = None),
        ("dates.round_closed_at", |r| r.dates.round_closed_at = None),
        ("dates.decided_at", |r| r.dates.decided_at = None),
        ("dates.review_at", |r| r.dates.review_at = None),
        ("participants[].payment", |r| {
            for p in participants(r) {
                p.payment = None;
            }
        }),
    ]
}

#[test]
fn each_rule_reads_the_fields_its_declaration_names() {
    // Whatever field is left out of the good record (and of the recruitment record, for
    // I6), a rule that can no longer judge it names a field it declares it reads: the
    // evidence table on `Charter` tells integrators the whole of what each rule needs.
    let charter = Charter::default();
    for base in [good(), recruitment()] {
        for (left_out, leave) in leave_out() {
            let mut record = base.clone();
            leave(&mut record);
            let report = charter.check(&record);
            for rule in charter.rules() {
                let f = report.finding(rule.id().as_str()).unwrap();
                if f.status != Status::NotEvaluated {
                    continue;
                }
                // The field not recorded is the first thing a rule that could not judge
                // says it looked at.
                let field = f.evidence.first().map_or("", |o| o.field.as_ref());
                assert!(
                    rule.reads().contains(&field),
                    "{} reports `{field}` missing (with {left_out} left out) but declares it reads {:?}",
                    f.rule,
                    rule.reads()
                );
            }
        }
    }
    // And every rule declares something.
    for rule in charter.rules() {
        assert!(!rule.reads().is_empty(), "{}", rule.id());
    }
}

#[test]
fn c8_counts_questions_and_evidence_in_words_that_agree() {
    let record = |questions: &str, evidence: &str| -> DecisionRecord {
        serde_json::from_str(&format!(
            r#"{{"kind": "working_model", "outcome": "adopted", "evaluation": {{
                "plan": {{"agreed_by": "associate_roles_team", "questions": [{questions}]}},
                "recorded_by": 13, "agreed_at": "2023-03-01T10:00:00Z",
                "evidence": [{evidence}]}}}}"#
        ))
        .unwrap()
    };
    let q1 = r#"{"id": 1, "benefit": "co_producers", "asks": "Do co-producers grow?"}"#;
    let q2 = r#"{"id": 2, "benefit": "projects", "asks": "Do projects gain?"}"#;
    let words = r#"{"gathered": {"question": 1, "observation": {"type": "words", "said": "I grew.", "from": 14},
        "source": {"type": "interview"}, "gathered_at": "2023-04-28T16:00:00Z"}, "by": 14, "at": "2023-04-28T17:00:00Z"}"#;
    let message = |record: &DecisionRecord, charter: &Charter| {
        let report = charter.check(record);
        let f = report.finding("C8").unwrap();
        assert_eq!(f.status, Status::Violated, "{}", f.message);
        f.message.to_string()
    };
    let one = Charter::default();
    assert_eq!(
        message(&record(q1, ""), &one),
        "the 1 question agreed has no evidence: q1"
    );
    assert_eq!(
        message(&record(&format!("{q1}, {q2}"), words), &one),
        "1 of 2 questions agreed has no evidence: q2"
    );
    let two = Charter::from_json(
        r#"{"values": [{"id": "challenging"}], "rules": [{"id": "C8", "min_evidence": 2}]}"#,
    )
    .unwrap();
    assert_eq!(
        message(&record(&format!("{q1}, {q2}"), words), &two),
        "2 of 2 questions agreed have fewer than 2 pieces of evidence: q1, q2"
    );
}

/// Finding messages are plain text, shown alike in Markdown, HTML and JSON: no Markdown
/// code spans, which a record would show as literal backticks.
#[test]
fn finding_messages_are_plain_text() {
    let charter = Charter::default();
    let mut records: Vec<(String, DecisionRecord)> = Vec::new();
    for base in [good(), recruitment()] {
        for (left_out, leave) in leave_out() {
            let mut record = base.clone();
            leave(&mut record);
            records.push((format!("{left_out} left out"), record));
        }
    }
    let mut broken = good();
    broken.body.as_mut().unwrap().lived_experience = 2;
    broken.advisers.as_mut().unwrap()[0].lived_experience = 1;
    broken.route_taken.as_mut().unwrap().deciding_body = body("staff_team");
    broken.funder.as_mut().unwrap().red_line_screen = Some(Screen::Failed);
    records.push(("rules broken".to_owned(), broken));
    let mut read = 0;
    for (what, record) in &records {
        for f in charter.check(record).findings() {
            assert!(
                !f.message.contains('`'),
                "{} ({what}): {}",
                f.rule,
                f.message
            );
            read += 1;
        }
    }
    let report = charter.check(&records.last().unwrap().1);
    let message = |rule: &str| report.finding(rule).unwrap().message.to_string();
    assert!(
        message("I1").starts_with("in decision_circle, 2 of "),
        "{}",
        message("I1")
    );
    assert!(
        message("T7").starts_with("decided by staff_team, governance gives decision_circle"),
        "{}",
        message("T7")
    );
    assert!(
        message("C4").ends_with(" fails the red-line screen: decline, and publish the reason"),
        "{}",
        message("C4")
    );
    assert!(message("C4").starts_with('"'), "{}", message("C4"));
    assert!(read > 0);
}
