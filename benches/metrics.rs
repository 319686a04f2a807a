//! Metrics over 600 decisions (200 copies of the three rounds in the metrics tests, about
//! 8,400 envelopes), against the floor of the bare replay of the same envelopes in the same group: each
//! stream's consent round folded with `ConsentProcess::evolve` into a map, and nothing
//! counted. The ratio is the cost of the counting on top of the replay it needs anyway.

use std::collections::BTreeMap;
use std::hint::black_box;

use coproduction::consent::{ConsentProcess, RoundState};
use coproduction::engine::{Engine, EngineEvent};
use coproduction::journal::{Envelope, Journal, MemoryJournal, StreamId};
use coproduction::machine::Decider;
use coproduction::metrics::Metrics;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "../tests/metrics_support/mod.rs"]
#[allow(dead_code)]
mod metrics_support;

const COPIES: usize = 200;

fn envelopes() -> Vec<Envelope<EngineEvent>> {
    let engine = Engine::open(
        metrics_support::community(),
        None,
        metrics_support::charter(),
        MemoryJournal::new(),
    )
    .unwrap();
    metrics_support::drive(&engine);
    let once = engine.journal().read_all().unwrap();
    (0..COPIES)
        .flat_map(|copy| {
            once.iter().cloned().map(move |mut e| {
                e.stream = StreamId::new(&format!("{}-{copy}", e.stream)).unwrap();
                e
            })
        })
        .collect()
}

fn replay(envelopes: &[Envelope<EngineEvent>]) -> usize {
    let mut states: BTreeMap<&StreamId, RoundState> = BTreeMap::new();
    for e in envelopes {
        if let EngineEvent::Consent { event, .. } = &e.event {
            let state = states.entry(&e.stream).or_default();
            *state = ConsentProcess::evolve(std::mem::take(state), event);
        }
    }
    states.len()
}

fn bench(c: &mut Criterion) {
    let envelopes = envelopes();
    let community = metrics_support::community();
    let charter = metrics_support::charter();
    let model = metrics_support::cocreation();
    let mut group = c.benchmark_group("metrics_600_decisions");
    group.throughput(Throughput::Elements(envelopes.len() as u64));
    // Floor: the replay the metrics need anyway, with nothing counted.
    group.bench_function("floor_bare_replay", |b| {
        b.iter(|| replay(black_box(&envelopes)))
    });
    group.bench_function("metrics_from_journal", |b| {
        b.iter(|| Metrics::from_journal(black_box(&envelopes), &community, &charter, Some(&model)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
