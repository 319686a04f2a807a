//! A funding decision's consultation with `n` pieces of advice, each recorded and answered,
//! then the move to deciding (which checks every requirement), measured against its floor in
//! the same group: pushing the same `n` entries (body, adviser, the advice text) into a
//! `Vec`, then giving each its answer text, and checking every entry is answered. Each
//! command carries its texts by value and the decision keeps them, so copying them once
//! is part of the least this can cost. Sizes 10, 100 and 1,000 (all in cache) show how the
//! cost grows.
//!
//! The decision is driven through the runtime decider (`decide` then `evolve`, as an engine
//! does); the events are dropped, as an engine hands them to its journal.

use std::hint::black_box;

use coproduction::community::{BodyId, Community, MemberId};
use coproduction::decision::DecisionKind;
use coproduction::funding::{
    AdviceId, Check, FundingCommand, FundingPhase, FundingPolicy, FundingProcess, FundingState,
    Offer, route_facts,
};
use coproduction::governance::{Governance, GovernanceMap};
use coproduction::machine::{Context, Decider};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jiff::Timestamp;

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_714_550_400 + seconds).unwrap()
}

fn step(state: FundingState, command: &FundingCommand, ctx: &Context) -> FundingState {
    let events = FundingProcess::decide(&state, command, ctx).unwrap();
    events.iter().fold(state, FundingProcess::evolve)
}

/// A tier-0 offer in consultation: its route asks for the associate-roles team's advice.
fn consulting() -> FundingState {
    let community: Community =
        serde_json::from_str(include_str!("../examples/data/community.json")).unwrap();
    let map: GovernanceMap =
        serde_json::from_str(include_str!("../examples/data/governance.json")).unwrap();
    let governance = Governance::new(map, &community).unwrap();
    let policy = FundingPolicy::seed();
    let offer = Offer::new(
        DecisionKind::Funding,
        "A local trust",
        "Charitable trust",
        "Room hire",
    )
    .amount(500);
    let route = governance
        .route(&offer.kind, route_facts(&offer, &policy))
        .unwrap();
    let ctx = Context::new(MemberId::new(1), at(0)).with_route(&route);
    let mut commands = vec![
        FundingCommand::Identify {
            offer: Box::new(offer),
            policy: Some(Box::new(policy)),
        },
        FundingCommand::StartScreening {},
        FundingCommand::Screen {},
        FundingCommand::StartDueDiligence {},
    ];
    for check in [
        Check::LegalAndSanctions,
        Check::Reputation,
        Check::ConflictsOfInterest,
    ] {
        commands.push(FundingCommand::CompleteCheck {
            check,
            evidence: "Looked at".into(),
        });
    }
    commands.push(FundingCommand::DeclareInterest {
        interest: None,
        recused: false,
    });
    commands.push(FundingCommand::StartConsultation {});
    commands
        .iter()
        .fold(FundingProcess::initial(), |s, c| step(s, c, &ctx))
}

fn consultation(c: &mut Criterion) {
    let start = consulting();
    let team = BodyId::new("associate_roles_team").unwrap();
    let mut group = c.benchmark_group("funding_consultation");
    for n in [10u32, 100, 1_000] {
        group.throughput(Throughput::Elements(u64::from(n)));
        let (advice_text, answer_text) = (String::from("Advice"), String::from("Answered"));
        group.bench_with_input(BenchmarkId::new("floor_vec", n), &n, |b, &n| {
            b.iter(|| {
                let mut advice: Vec<(BodyId, MemberId, String, Option<String>)> =
                    Vec::with_capacity(n as usize);
                for i in 1..=n {
                    let from = MemberId::new(u64::from(i));
                    advice.push((team.clone(), from, advice_text.clone(), None));
                }
                for entry in &mut advice {
                    entry.3 = Some(answer_text.clone());
                }
                black_box(advice.iter().all(|entry| entry.3.is_some()));
                advice
            });
        });
        group.bench_with_input(BenchmarkId::new("decider", n), &n, |b, &n| {
            let record: Vec<FundingCommand> = (1..=n)
                .map(|i| FundingCommand::RecordAdvice {
                    body: team.clone(),
                    from: MemberId::new(u64::from(i)),
                    advice: "Advice".into(),
                })
                .collect();
            let answer: Vec<FundingCommand> = (1..=n)
                .map(|i| FundingCommand::AnswerAdvice {
                    advice: AdviceId(i),
                    answer: "Answered".into(),
                })
                .collect();
            let ctx = Context::new(MemberId::new(1), at(60));
            b.iter_batched(
                || start.clone(),
                |state| {
                    let state = record
                        .iter()
                        .chain(&answer)
                        .fold(state, |s, c| step(s, c, &ctx));
                    let state = step(state, &FundingCommand::StartDeciding {}, &ctx);
                    assert_eq!(state.phase(), FundingPhase::Deciding);
                    black_box(state)
                },
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, consultation);
criterion_main!(benches);
