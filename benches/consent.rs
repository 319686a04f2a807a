//! A consent round where every eligible member responds and the round closes, measured
//! against inserting the same (member, response) pairs into a `HashMap` in the same group.
//! Sizes 1k, 10k, 100k and 1M show how the cost grows.
//!
//! The round is driven through the runtime decider (`decide` then `evolve`, as an engine
//! does); the events are handed back and dropped, as an engine hands them to its journal.
//! Both start from allocated tables whose memory has already been written, outside the
//! timing: the round's seat table is built when the round opens (each iteration takes a
//! clone of the opened round), and the baseline map is filled once and cleared (clearing
//! keeps its capacity). Both are dropped outside the timing. The baseline is the standard
//! `HashMap` with its default hasher (SipHash); the round's seat index hashes with foldhash.
//!
//! The `round_subject` group measures what naming a decided round for the value gate costs
//! (`subject()`: its events written as JSON into BLAKE3), against writing the same events as
//! JSON into a buffer.

use std::collections::HashMap;
use std::hint::black_box;

use coproduction::community::{BodyId, MemberId};
use coproduction::consent::{
    AbsencePolicy, AnyRound, ConsentProcess, EligibleMember, Quorum, QuorumSize, Response,
    RoundCommand, RoundConfig, RoundEvent, RoundPhase, RoundRoles, RoundState,
};
use coproduction::decision::Method;
use coproduction::machine::{Context, Decider};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jiff::Timestamp;

const FACILITATOR: MemberId = MemberId::new(0);

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_660_000_000 + seconds).unwrap()
}

fn step(state: RoundState, command: &RoundCommand, ctx: &Context) -> RoundState {
    let events = ConsentProcess::decide(&state, command, ctx).unwrap();
    events.iter().fold(state, ConsentProcess::evolve)
}

/// The commands that open a round of `n` eligible members and move it to its first
/// objection round.
fn objection_round_commands(n: u64) -> Vec<RoundCommand> {
    let config = RoundConfig {
        title: "Adopt the working model".into(),
        proposal: "Pilot it for six months.".into(),
        deciding_body: BodyId::new("whole_community").unwrap(),
        method: Method::Consent,
        roles: RoundRoles {
            proposer: FACILITATOR,
            facilitator: FACILITATOR,
            secretary: FACILITATOR,
        },
        eligible: (1..=n)
            .map(|m| EligibleMember {
                member: MemberId::new(m),
                lived_experience: m % 2 == 0,
            })
            .collect(),
        absence: AbsencePolicy::CountAsAbsent,
        quorum: Quorum {
            size: QuorumSize::Share {
                numerator: 1,
                denominator: 2,
            },
            lived_experience_min: 1,
        },
        time_box: Default::default(),
        supporters: Default::default(),
        max_objection_rounds: 3,
    };
    let mut commands = vec![RoundCommand::Open {
        config: Box::new(config),
    }];
    commands.extend((0..3).map(|_| RoundCommand::Advance {}));
    commands
}

/// A round of `n` eligible members, opened and moved to its first objection round.
fn objection_round(n: u64) -> RoundState {
    let ctx = Context::new(FACILITATOR, at(0));
    let state = objection_round_commands(n)
        .iter()
        .fold(RoundState::NotOpened, |state, command| {
            step(state, command, &ctx)
        });
    assert_eq!(state.phase(), RoundPhase::ObjectionRound);
    state
}

fn respond_all_and_close(mut state: RoundState, n: u64) -> RoundState {
    let now = at(60);
    for m in 1..=n {
        let member = MemberId::new(m);
        let command = RoundCommand::Respond {
            member,
            response: Response::consent(),
        };
        state = step(state, &command, &Context::new(member, now));
    }
    step(
        state,
        &RoundCommand::CloseRound {},
        &Context::new(FACILITATOR, now),
    )
}

fn baseline(mut map: HashMap<MemberId, Response>, n: u64) -> HashMap<MemberId, Response> {
    for m in 1..=n {
        map.insert(MemberId::new(m), Response::consent());
    }
    map
}

/// An empty map with room for `n` entries whose memory has been written once, as the
/// round's seat table has been (it is cloned from an opened round): neither side pays for
/// first touching its pages inside the timing.
fn written_map(n: u64) -> HashMap<MemberId, Response> {
    let mut map = baseline(HashMap::with_capacity(n as usize), n);
    map.clear();
    map
}

fn consent(c: &mut Criterion) {
    let mut group = c.benchmark_group("consent_round");
    group.sample_size(10);
    for n in [1_000u64, 10_000, 100_000, 1_000_000] {
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(
            BenchmarkId::new("baseline_hashmap_insert", n),
            &n,
            |b, &n| {
                b.iter_batched(
                    || written_map(n),
                    |map| black_box(baseline(map, n)),
                    BatchSize::PerIteration,
                )
            },
        );
        let opened = objection_round(n);
        let closed = respond_all_and_close(opened.clone(), n);
        assert_eq!(closed.phase(), RoundPhase::Consented);
        group.bench_with_input(BenchmarkId::new("respond_all_and_close", n), &n, |b, &n| {
            b.iter_batched(
                || opened.clone(),
                |s| black_box(respond_all_and_close(s, n)),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

/// The events of a round of `n` members where everyone consented and the round closed.
fn closed_round_events(n: u64) -> Vec<RoundEvent> {
    let mut events = Vec::new();
    let mut record = |state: RoundState, command: &RoundCommand, ctx: &Context| {
        let new = ConsentProcess::decide(&state, command, ctx).unwrap();
        events.extend(new.iter().cloned());
        new.iter().fold(state, ConsentProcess::evolve)
    };
    let facilitator = Context::new(FACILITATOR, at(0));
    let mut state = RoundState::NotOpened;
    for command in &objection_round_commands(n) {
        state = record(state, command, &facilitator);
    }
    for m in 1..=n {
        let member = MemberId::new(m);
        let command = RoundCommand::Respond {
            member,
            response: Response::consent(),
        };
        state = record(state, &command, &Context::new(member, at(60)));
    }
    let close = Context::new(FACILITATOR, at(120));
    let state = record(state, &RoundCommand::CloseRound {}, &close);
    assert_eq!(state.phase(), RoundPhase::Consented);
    events
}

fn subject(c: &mut Criterion) {
    let mut group = c.benchmark_group("round_subject");
    for n in [1_000u64, 100_000] {
        let round = AnyRound::replay(closed_round_events(n)).unwrap();
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::new("baseline_json", n), &round, |b, round| {
            b.iter(|| serde_json::to_vec(round.events()).unwrap().len())
        });
        group.bench_with_input(BenchmarkId::new("subject", n), &round, |b, round| {
            b.iter(|| round.subject())
        });
    }
    group.finish();
}

criterion_group!(benches, consent, subject);
criterion_main!(benches);
