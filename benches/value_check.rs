//! The value-check's cost. Every group measures a baseline in the same run, so results read
//! as ratios:
//!
//! - `check_200`: the 30 built-in rules on a record with 200 participants (target: median
//!   at most 5 µs), against `baseline_one_pass`, a plain pass counting lived experience over
//!   the same participants.
//! - `check_scaling`: the same at 1k, 10k and 100k participants, to show linear growth;
//!   each size has its one-pass baseline.
//! - `build_record`: building the record (measured apart from checking it), against
//!   building a plain vector of the member ids.

use std::hint::black_box;

use coproduction::community::{BodyFigures, BodyId, MemberId};
use coproduction::decision::{DecisionKind, Method, Tier};
use coproduction::values::*;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn participants(n: u64) -> Vec<Participant> {
    (1..=n)
        .map(|i| {
            let mut p = Participant::new(MemberId::new(i))
                .responded(RecordedResponse::Consent)
                .declared(Conflict::None);
            if i % 2 == 0 {
                p = p
                    .with_lived_experience()
                    .contributor(PaymentStatus::Accepted);
            }
            p
        })
        .collect()
}

fn record(n: u64) -> DecisionRecord {
    let circle = BodyId::new("decision_circle").unwrap();
    let mut route = RouteSummary::new(circle.clone(), Method::Consent);
    route.tier = Some(Tier::Two);
    let at = |s: &str| s.parse().unwrap();
    let mut funder = FunderFacts::new("Trust A");
    funder.red_line_screen = Some(Screen::Passed);
    funder.register = Some(RegisterEntry {
        listed: RegisterField::ALL.into_iter().collect(),
        withheld_reason: None,
    });
    DecisionRecord {
        tier: Some(Tier::Two),
        outcome: Some(Outcome::Adopted),
        route_taken: Some(route.clone()),
        route_given: Some(route),
        body: Some(BodyFigures {
            body: circle,
            size: n as usize,
            lived_experience: (n / 2) as usize,
            roles: Default::default(),
        }),
        participants: Some(participants(n)),
        absence_policy: Some(AbsenceCounted::NotCounted),
        objections: Some(vec![]),
        advice: Some(vec![AdviceEntry {
            from: MemberId::new(1),
            bases: [AdviceBasis::CriticalFriend].into_iter().collect(),
            given_at: None,
            answer: Some("Answered".into()),
        }]),
        rationale: Some("Funds the co-producer roles".into()),
        alternatives: Some(vec!["Decline".into()]),
        access_requests: Some(vec![]),
        ways_offered: Some([Way::Live, Way::Written].into_iter().collect()),
        expenses: Some(ExpensesFacts {
            policy_applies: true,
            longest_wait_days: Some(5),
        }),
        benefits_advice_signposted: Some(true),
        credits: Some(vec![]),
        funder: Some(funder),
        due_diligence: Some(vec![]),
        labelled_coproduced: true,
        ladder: Some(Rung::Partnership),
        stakeholders: Some(StakeholderFacts {
            took_part: ["co_producers", "allies", "staff"]
                .into_iter()
                .map(String::from)
                .collect(),
            waivers: Default::default(),
        }),
        dates: Dates {
            papers_sent_at: Some(at("2021-04-01T10:00:00Z")),
            session_at: Some(at("2021-04-12T10:00:00Z")),
            decided_at: Some(at("2021-04-12T12:00:00Z")),
            review_at: Some(at("2021-08-12T12:00:00Z")),
            as_of: Some(at("2021-04-12T12:00:00Z")),
            ..Dates::default()
        },
        ..DecisionRecord::new(DecisionKind::Funding)
    }
}

fn one_pass(record: &DecisionRecord) -> usize {
    record
        .participants
        .as_ref()
        .map_or(0, |ps| ps.iter().filter(|p| p.lived_experience).count())
}

fn check_200(c: &mut Criterion) {
    let charter = Charter::default();
    let record = record(200);
    assert!(
        charter.check(&record).gate().is_ok(),
        "the bench record keeps every rule"
    );
    let mut group = c.benchmark_group("check_200");
    group.bench_function("baseline_one_pass", |b| {
        b.iter(|| one_pass(black_box(&record)))
    });
    group.bench_function("check_30_rules", |b| {
        b.iter(|| charter.check(black_box(&record)))
    });
    group.finish();
}

fn check_scaling(c: &mut Criterion) {
    let charter = Charter::default();
    let mut group = c.benchmark_group("check_scaling");
    for n in [1_000u64, 10_000, 100_000] {
        let record = record(n);
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::new("baseline_one_pass", n), &record, |b, r| {
            b.iter(|| one_pass(black_box(r)))
        });
        group.bench_with_input(BenchmarkId::new("check_30_rules", n), &record, |b, r| {
            b.iter(|| charter.check(black_box(r)))
        });
    }
    group.finish();
}

fn build_record(c: &mut Criterion) {
    let mut group = c.benchmark_group("build_record");
    group.bench_function("baseline_member_ids_200", |b| {
        b.iter(|| {
            (1..=black_box(200u64))
                .map(MemberId::new)
                .collect::<Vec<_>>()
        })
    });
    group.bench_function("record_200", |b| b.iter(|| record(black_box(200))));
    group.finish();
}

criterion_group!(benches, check_200, check_scaling, build_record);
criterion_main!(benches);
