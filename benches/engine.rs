//! What a request costs through the engine: every eligible member of a round responds,
//! through `Engine::handle` on a memory journal, against the same commands through the bare
//! machine, in the same group, at 1k, 10k and 100k members.
//!
//! Three lines per size, each starting from a round opened and moved to its first objection
//! round outside the timing (with its requests built there too):
//!
//! - `engine`: `Engine::handle` for each response: the actor checked against the community,
//!   the stream found and locked, the machine's `decide`, the events sealed into the memory
//!   journal (JSON and a BLAKE3 hash each), the stream evolved in place;
//! - `machine`: `ConsentProcess::apply` for each (the response checked and written to the
//!   seat it found, in one step: the cheapest path through the machine), the events dropped;
//! - `machine_and_journal`: the same, with the events wrapped as the engine journals them and
//!   appended to a memory journal: the cheapest code that does the engine's whole job.
//!
//! - `journal`: the same events, decided outside the timing, appended to a memory journal
//!   one response at a time: the sealing alone (JSON and a BLAKE3 hash per event), which
//!   the engine cannot skip, so that the table can say how much of the floor it is.
//!
//! The per-response cost is the time over the members; from 1k to 100k it should stay flat,
//! since a response touches one seat.

use std::hint::black_box;

use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId};
use coproduction::consent::{
    ConsentProcess, Response, RoundCommand, RoundConfig, RoundRoles, RoundState,
};
use coproduction::decision::DecisionKind;
use coproduction::engine::{Engine, EngineEvent, Request};
use coproduction::journal::{Journal, MemoryJournal, NewEvent, StreamId};
use coproduction::machine::{Context, Decider};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jiff::Timestamp;

const FACILITATOR: MemberId = MemberId::new(1);

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_660_000_000 + seconds).unwrap()
}

fn stream() -> StreamId {
    StreamId::new("working-model").unwrap()
}

/// A community whose `n` members are all in one body.
fn community(n: u64) -> (Community, BodyId) {
    let mut community = Community::new();
    for m in 1..=n {
        let mut member = Member::new(MemberId::new(m), format!("Member {m}"));
        if m % 2 == 0 {
            member = member.with_lived_experience();
        }
        community.add_member(member).unwrap();
    }
    let body = BodyId::new("whole_community").unwrap();
    community
        .add_body(
            Body::new(body.clone(), "Whole community", BodyKind::WholeCommunity)
                .with_members((1..=n).map(MemberId::new)),
        )
        .unwrap();
    (community, body)
}

/// The commands that open a round of the body and move it to its first objection round.
fn opening(community: &Community, body: &BodyId) -> Vec<RoundCommand> {
    let roles = RoundRoles {
        proposer: FACILITATOR,
        facilitator: FACILITATOR,
        secretary: FACILITATOR,
    };
    let config = RoundConfig::consent(
        community,
        body,
        "Adopt the working model",
        "Pilot it for six months.",
        roles,
    )
    .unwrap();
    let mut commands = vec![RoundCommand::Open {
        config: Box::new(config),
    }];
    commands.extend((0..3).map(|_| RoundCommand::Advance {}));
    commands
}

fn responses(n: u64) -> Vec<(MemberId, RoundCommand)> {
    (1..=n)
        .map(|m| {
            let member = MemberId::new(m);
            let command = RoundCommand::Respond {
                member,
                response: Response::consent(),
            };
            (member, command)
        })
        .collect()
}

/// An engine whose round is in its first objection round, and the requests of every
/// member's response.
fn engine_ready(n: u64) -> (Engine<MemoryJournal<EngineEvent>>, Vec<Request>) {
    let (community, body) = community(n);
    let commands = opening(&community, &body);
    let engine = Engine::builder(community)
        .open(MemoryJournal::new())
        .unwrap();
    for (i, command) in commands.into_iter().enumerate() {
        let request = Request::new(stream(), FACILITATOR, at(i as i64), command)
            .with_kind(DecisionKind::WorkingModel);
        engine.handle(request).unwrap();
    }
    let requests = responses(n)
        .into_iter()
        .map(|(member, command)| Request::new(stream(), member, at(100), command))
        .collect();
    (engine, requests)
}

/// The bare round in its first objection round, and the commands of every response.
fn machine_ready(n: u64) -> (RoundState, Vec<(MemberId, RoundCommand)>) {
    let (community, body) = community(n);
    let mut state = RoundState::NotOpened;
    for (i, command) in opening(&community, &body).iter().enumerate() {
        let ctx = Context::new(FACILITATOR, at(i as i64));
        let events = ConsentProcess::decide(&state, command, &ctx).unwrap();
        state = events.iter().fold(state, ConsentProcess::evolve);
    }
    (state, responses(n))
}

fn respond_through_the_machine(
    mut state: RoundState,
    commands: &[(MemberId, RoundCommand)],
) -> RoundState {
    for (member, command) in commands {
        let ctx = Context::new(*member, at(100));
        let outcome = ConsentProcess::apply(&mut state, command, &ctx);
        // Handed on by reference, from where `apply` wrote them.
        match &outcome {
            Ok(events) => {
                black_box(events);
            }
            Err(refused) => panic!("{refused}"),
        }
    }
    state
}

fn respond_through_the_machine_and_journal(
    mut state: RoundState,
    commands: &[(MemberId, RoundCommand)],
    journal: &MemoryJournal<EngineEvent>,
) -> RoundState {
    let stream = stream();
    let mut version = 0;
    for (member, command) in commands {
        let ctx = Context::new(*member, at(100));
        let events = ConsentProcess::apply(&mut state, command, &ctx).unwrap();
        let batch = events
            .into_iter()
            .map(|e| NewEvent::new(*member, at(100), EngineEvent::from(e)))
            .collect();
        version += journal.append(&stream, version, batch).unwrap().len() as u64;
    }
    state
}

/// Every response's events, decided in order outside the timing, as the engine journals
/// them.
fn decided_events(n: u64) -> Vec<Vec<NewEvent<EngineEvent>>> {
    let (mut state, commands) = machine_ready(n);
    let mut batches = Vec::with_capacity(commands.len());
    for (member, command) in &commands {
        let ctx = Context::new(*member, at(100));
        let events = ConsentProcess::decide(&state, command, &ctx).unwrap();
        state = events.iter().fold(state, ConsentProcess::evolve);
        batches.push(
            events
                .into_iter()
                .map(|e| NewEvent::new(*member, at(100), EngineEvent::from(e)))
                .collect(),
        );
    }
    batches
}

fn append_each(batches: Vec<Vec<NewEvent<EngineEvent>>>, journal: &MemoryJournal<EngineEvent>) {
    let stream = stream();
    let mut version = 0;
    for batch in batches {
        version += journal.append(&stream, version, batch).unwrap().len() as u64;
    }
}

fn responses_group(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine_responses");
    group.sample_size(10);
    for n in [1_000u64, 10_000, 100_000] {
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::new("engine", n), &n, |b, &n| {
            b.iter_batched(
                || engine_ready(n),
                |(engine, requests)| {
                    for request in requests {
                        black_box(engine.handle(request).unwrap());
                    }
                    engine
                },
                BatchSize::PerIteration,
            );
        });
        group.bench_with_input(BenchmarkId::new("machine", n), &n, |b, &n| {
            b.iter_batched(
                || machine_ready(n),
                |(state, commands)| black_box(respond_through_the_machine(state, &commands)),
                BatchSize::PerIteration,
            );
        });
        group.bench_with_input(BenchmarkId::new("machine_and_journal", n), &n, |b, &n| {
            b.iter_batched(
                || (machine_ready(n), MemoryJournal::new()),
                |((state, commands), journal)| {
                    let state = respond_through_the_machine_and_journal(state, &commands, &journal);
                    black_box((state, journal))
                },
                BatchSize::PerIteration,
            );
        });
        group.bench_with_input(BenchmarkId::new("journal", n), &n, |b, &n| {
            b.iter_batched(
                || (decided_events(n), MemoryJournal::new()),
                |(batches, journal)| {
                    append_each(batches, &journal);
                    black_box(journal)
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, responses_group);
criterion_main!(benches);
