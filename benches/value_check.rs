//! The value-check's cost on a realistic record: a tier 2 funding decision with every list
//! filled as a real one fills it (participants with responses, conflicts and payment;
//! objections and concerns with dispositions; one piece of advice per ten members, each
//! with its bases and answer, and the make-up of the body the critical friends advised
//! from; access requests met; a credit per contributor; due-diligence
//! checks; the funder with a condition and its register entry; dates and publication). Every
//! group measures its floor in the same run, so results read as ratios; the goals are also
//! absolute (at 200 members: check at most 3.6 µs, build and check at most 3.4 µs).
//!
//! - `check`: the 32 built-in rules, against `floor_one_pass`: one pass over every list of
//!   the record reading the fields the rules read. Any check that looks at all the evidence
//!   reads each entry once, so this is the floor. (The check reads the figures its
//!   participants keep, counted as the record is built, so where participants dominate it
//!   is not like for like: `build_and_check` against its floor is.)
//! - `build`: building the record, against `floor_plain_lists`: the same facts written
//!   into one vector per list of plain copyable entries (texts borrowed, sets as bit
//!   masks), one allocation per list: the least any record of the same facts costs.
//! - `build_and_check`: both, against both floors.
//!
//! Sizes 200 (the goal), 1k, 10k and 100k members fit in a 32 MB last-level cache; 1M
//! members (a record of tens of megabytes) does not. Each size has its floors.

use std::collections::BTreeSet;
use std::hint::black_box;

use coproduction::community::{AccessNeedKind, BodyFigures, BodyId, MemberId};
use coproduction::decision::{DecisionKind, Method, Tier};
use coproduction::values::*;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jiff::Timestamp;

#[path = "support/counting.rs"]
mod counting;

const SIZES: [u64; 5] = [200, 1_000, 10_000, 100_000, 1_000_000];

fn day(n: i64) -> Timestamp {
    Timestamp::from_second(1_617_271_200 + n * 86_400).unwrap()
}

/// Every tenth member gave advice (members 1, 11, 21...); every twentieth asked for an
/// adjustment (3, 23, 43...). Stepped ranges know their length, so a list extended from
/// them is written in place, as an app listing every tenth member would write it.
fn advisers(n: u64) -> impl Iterator<Item = u64> {
    (1..n + 1).step_by(10)
}

fn requesters(n: u64) -> impl Iterator<Item = u64> {
    (3..n + 1).step_by(20)
}

fn route(circle: &BodyId) -> RouteSummary {
    RouteSummary {
        deciding_body: circle.clone(),
        method: Method::Consent,
        tier: Some(Tier::Two),
        consulted: Default::default(),
    }
}

fn record(n: u64) -> DecisionRecord {
    // Texts written in code are borrowed (ids, labels, the adjustment, the funder...), as
    // an app's fixed texts would be: the record allocates only for its lists.
    let circle = BodyId::from_static("decision_circle").unwrap();
    // Counted as they are added: the figures the rules read are the record's own.
    let mut participants = Participants::with_capacity(n as usize);
    participants.extend((1..=n).map(|i| {
        let p = Participant::new(MemberId::new(i))
            .responded(if i % 50 == 7 {
                RecordedResponse::ConsentWithConcern
            } else {
                RecordedResponse::Consent
            })
            .declared(Conflict::None);
        if i % 2 == 0 {
            p.with_lived_experience()
                .contributor(PaymentStatus::Accepted)
        } else {
            p
        }
    }));
    let mut advice = Vec::with_capacity(n as usize / 10 + 1);
    advice.extend(advisers(n).map(|i| AdviceEntry {
        from: MemberId::new(i),
        // A bit set: no allocation per entry.
        bases: AdviceBases::from(if i % 20 == 1 {
            [AdviceBasis::Affected, AdviceBasis::LivedExperience]
        } else {
            [AdviceBasis::CriticalFriend, AdviceBasis::Expertise]
        }),
        // No rule reads the advice's words, and the floor's lists carry none.
        text: None,
        given_at: Some(day(5)),
        answer: Some("Taken into the amended proposal".into()),
    }));
    let mut access_requests = Vec::with_capacity(n as usize / 20 + 1);
    access_requests.extend(requesters(n).map(|i| AccessRequest {
        member: MemberId::new(i),
        need: AccessNeedKind::EasyRead,
        met_at: Some(day(2)),
        adjustment: Some("Easy-read papers".into()),
    }));
    let mut credits = Vec::with_capacity(n as usize / 2);
    credits.extend((2..n + 1).step_by(2).map(|i| Credit {
        member: MemberId::new(i),
        credited: true,
    }));
    let mut funder = FunderFacts::new("Trust A");
    funder.amount_band = Some("10k to 50k".into());
    funder.red_line_screen = Some(Screen::Passed);
    funder.register = Some(RegisterEntry {
        listed: BTreeSet::from(RegisterField::ALL),
        withheld_reason: None,
    });
    DecisionRecord {
        tier: Some(Tier::Two),
        outcome: Some(Outcome::Adopted),
        route_taken: Some(route(&circle)),
        route_given: Some(route(&circle)),
        body: Some(BodyFigures {
            body: circle,
            size: n as usize,
            lived_experience: (n / 2) as usize,
            roles: Default::default(),
        }),
        participants: Some(participants),
        absence_policy: Some(AbsenceCounted::NotCounted),
        objections: Some(vec![
            ObjectionEntry::new(MemberId::new(2), RaisedAs::Objection)
                .tested(TestResult::Valid)
                .disposed(Disposition::Integrated),
            ObjectionEntry::new(MemberId::new(3), RaisedAs::Concern)
                .disposed(Disposition::LoggedAsConcern),
            ObjectionEntry::new(MemberId::new(7), RaisedAs::Concern)
                .disposed(Disposition::LoggedAsConcern),
        ]),
        advice: Some(advice),
        // The critical friends' advice came from the allies group, which the route consults.
        advisers: Some(vec![BodyFigures {
            body: BodyId::from_static("allies_group").unwrap(),
            size: 12,
            lived_experience: 6,
            roles: Default::default(),
        }]),
        rationale: Some("The grant funds the co-producer roles without conditions".into()),
        alternatives: Some(vec![
            "Decline and seek smaller grants".into(),
            "Accept for one year only".into(),
        ]),
        access_requests: Some(access_requests),
        ways_offered: Some(BTreeSet::from([Way::Live, Way::Asynchronous])),
        expenses: Some(ExpensesFacts {
            policy_applies: true,
            longest_wait_days: Some(10),
        }),
        benefits_advice_signposted: Some(true),
        credits: Some(credits),
        funder: Some(funder),
        due_diligence: Some(
            ["legal_and_sanctions", "reputation", "conflicts_of_interest"]
                .into_iter()
                .map(|check| DueDiligenceCheck::new(check, true, Some(day(3))))
                .collect(),
        ),
        labelled_coproduced: true,
        ladder: Some(Rung::Partnership),
        stakeholders: Some(StakeholderFacts {
            took_part: BTreeSet::from(["co_producers", "allies", "staff"].map(Into::into)),
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

/// The floor of checking: one pass over every list, reading what the rules read (who
/// responded, lived experience, conflicts, payment; each objection's disposition; each
/// advice entry's bases and answer; each access request, credit and check).
fn one_pass(r: &DecisionRecord) -> usize {
    let ps = r.participants.as_deref().unwrap_or_default();
    let participants = ps.iter().fold(0, |acc, p| {
        acc + usize::from(p.lived_experience)
            + usize::from(p.response.is_some())
            + usize::from(p.conflict.is_some())
            + usize::from(p.payment.is_some())
    });
    let objections = r.objections.as_deref().unwrap_or_default().iter();
    let advice = r.advice.as_deref().unwrap_or_default().iter();
    let access = r.access_requests.as_deref().unwrap_or_default().iter();
    let credits = r.credits.as_deref().unwrap_or_default().iter();
    let checks = r.due_diligence.as_deref().unwrap_or_default().iter();
    let advisers = r.advisers.as_deref().unwrap_or_default().iter();
    participants
        + objections.filter(|o| o.disposition.is_some()).count()
        + advice
            .filter(|a| a.answer.is_some() && !a.bases.is_empty())
            .count()
        + access.filter(|a| a.met_at.is_some()).count()
        + credits.filter(|c| c.credited).count()
        + checks.filter(|c| c.completed_at.is_some()).count()
        + advisers
            .filter(|b| 2 * b.lived_experience >= b.size)
            .count()
}

/// The same facts as plain lists: every entry copyable, texts borrowed, sets as bit masks.
struct PlainRecord {
    participants: Vec<(u64, u8, u8)>,
    advice: Vec<(u64, u8, i64, &'static str)>,
    access: Vec<(u64, u8, i64, &'static str)>,
    credits: Vec<(u64, bool)>,
    objections: Vec<(u64, u8)>,
    checks: Vec<(&'static str, i64)>,
    advisers: Vec<(&'static str, usize, usize)>,
}

/// The floor of building: one allocation per list, each entry written once.
fn plain_record(n: u64) -> PlainRecord {
    let mut participants = Vec::with_capacity(n as usize);
    participants.extend((1..=n).map(|i| (i, u8::from(i % 2 == 0), u8::from(i % 50 == 7))));
    let mut advice = Vec::with_capacity(n as usize / 10 + 1);
    advice.extend(advisers(n).map(|i| (i, 0b1010, 5, "Taken into the amended proposal")));
    let mut access = Vec::with_capacity(n as usize / 20 + 1);
    access.extend(requesters(n).map(|i| (i, 3, 2, "Easy-read papers")));
    let mut credits = Vec::with_capacity(n as usize / 2);
    credits.extend((2..n + 1).step_by(2).map(|i| (i, true)));
    PlainRecord {
        participants,
        advice,
        access,
        credits,
        objections: vec![(2, 0), (3, 1), (7, 1)],
        checks: vec![
            ("legal_and_sanctions", 3),
            ("reputation", 3),
            ("conflicts_of_interest", 3),
        ],
        advisers: vec![("allies_group", 12, 6)],
    }
}

fn plain_pass(r: &PlainRecord) -> usize {
    r.participants
        .iter()
        .map(|&(_, lived, concern)| usize::from(lived + concern))
        .sum::<usize>()
        + r.advice
            .iter()
            .filter(|a| a.1 != 0 && !a.3.is_empty())
            .count()
        + r.access.iter().filter(|a| a.2 > 0).count()
        + r.credits.iter().filter(|c| c.1).count()
        + r.objections.len()
        + r.checks.iter().filter(|c| c.1 > 0).count()
        + r.advisers.iter().filter(|b| 2 * b.2 >= b.1).count()
}

/// Prints (and writes to `target/criterion/value_check_allocations.json`) how many
/// allocations building and checking the 200-member record make, and what the report
/// holds: where the time above the floors goes.
fn allocation_report(charter: &Charter) {
    let (record, build) = counting::allocations(|| record(200));
    let (report, check) = counting::allocations(|| charter.check(&record));
    let (_, floor) = counting::allocations(|| plain_record(200));
    let findings = report.findings().len();
    let observations: usize = report.findings().iter().map(|f| f.evidence.len()).sum();
    let line = format!(
        "{{\"members\":200,\"build_allocations\":{build},\"check_allocations\":{check},\"floor_build_allocations\":{floor},\"findings\":{findings},\"observations\":{observations}}}"
    );
    counting::report("value_check_allocations", &line);
}

fn check(c: &mut Criterion) {
    let charter = Charter::default();
    let mut group = c.benchmark_group("value_check");
    for n in SIZES {
        let built = record(n);
        let report = charter.check(&built);
        assert!(
            report.gate().is_ok(),
            "the bench record keeps every rule: {:?}",
            report
                .findings()
                .iter()
                .filter(|f| f.status.is_unmet())
                .collect::<Vec<_>>()
        );
        if n == 200 {
            allocation_report(&charter);
        }
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::new("floor_one_pass", n), &built, |b, r| {
            b.iter(|| one_pass(black_box(r)))
        });
        group.bench_with_input(BenchmarkId::new("check", n), &built, |b, r| {
            b.iter(|| charter.check(black_box(r)))
        });
        group.bench_with_input(BenchmarkId::new("floor_plain_lists", n), &n, |b, &n| {
            b.iter(|| plain_record(black_box(n)))
        });
        group.bench_with_input(BenchmarkId::new("build", n), &n, |b, &n| {
            b.iter(|| record(black_box(n)))
        });
        group.bench_with_input(
            BenchmarkId::new("floor_plain_lists_and_pass", n),
            &n,
            |b, &n| {
                b.iter(|| {
                    let r = plain_record(black_box(n));
                    plain_pass(&r)
                })
            },
        );
        group.bench_with_input(BenchmarkId::new("build_and_check", n), &n, |b, &n| {
            b.iter(|| charter.check(&record(black_box(n))))
        });
    }
    group.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
