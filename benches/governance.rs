//! Governance maps at scale: a generated map of 10,000 bodies and 100,000 edges.
//!
//! - `governance_validate`: [`validate`] against the floor of one
//!   `petgraph::algo::tarjan_scc` over the same graph (target: at most 3x).
//! - `governance_route`: 1,000 route lookups against the floor of 1,000 clones of the
//!   same routes from a prebuilt `HashMap` keyed by kind and case: the cost of handing out
//!   a `Route` at all, so the ratio is what working it out adds.
//!
//! Read the two lines of each group as a ratio.

use std::collections::HashMap;
use std::hint::black_box;

use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
use coproduction::decision::{DecisionKind, Method, Tier};
use coproduction::governance::{
    Conditions, Edge, Governance, GovernanceMap, Route, RouteFacts, TierRange, validate,
};
use criterion::{Criterion, criterion_group, criterion_main};

const BODIES: usize = 10_000;
const EDGES: usize = 100_000;
const KINDS: usize = 1_000;
const MEMBERS: u64 = 1_000;

/// A small deterministic generator, so every run measures the same map.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn body(i: usize) -> BodyId {
    BodyId::new(format!("b{i}")).unwrap()
}

fn kind(k: usize) -> DecisionKind {
    format!("k{k}").parse().unwrap()
}

fn community() -> Community {
    let mut c = Community::new();
    for m in 0..MEMBERS {
        c.add_member(
            Member::new(MemberId::new(m), format!("Co-producer {m}")).with_role(Role::CoProducer),
        )
        .unwrap();
    }
    for i in 0..BODIES {
        let members = [i as u64 % MEMBERS, (i as u64 * 7 + 3) % MEMBERS].map(MemberId::new);
        c.add_body(Body::new(body(i), format!("Body {i}"), BodyKind::Custom).with_members(members))
            .unwrap();
    }
    c
}

fn map() -> GovernanceMap {
    let mut rng = Lcg(42);
    let mut map = GovernanceMap::new();
    for i in 0..BODIES {
        map.add_body(body(i));
    }
    let always = Conditions::always();
    let mut edges = 0;
    for k in 0..KINDS {
        for (method, when) in [
            (Method::AdviceProcess, always.red_line(true)),
            (
                Method::AdviceProcess,
                always.red_line(false).tiers(TierRange::at_most(Tier::One)),
            ),
            (
                Method::Consent,
                always.red_line(false).tiers(TierRange::at_least(Tier::Two)),
            ),
        ] {
            map.add_edge(Edge::Decides {
                body: body(rng.below(BODIES)),
                kind: kind(k),
                method: method.into(),
                when,
            });
            edges += 1;
        }
    }
    // Escalation as a tree: every body but the first escalates to a lower-numbered one.
    for i in 1..BODIES {
        map.add_edge(Edge::EscalatesTo {
            from: body(i),
            to: body(rng.below(i)),
            when: always,
        });
        edges += 1;
    }
    let shapes = [
        always,
        always.red_line(false),
        always.tiers(TierRange::at_least(Tier::One)),
        always.institutional_policy(true),
    ];
    while edges < EDGES {
        let (b, k, when) = (
            body(rng.below(BODIES)),
            kind(rng.below(KINDS)),
            shapes[rng.below(4)],
        );
        map.add_edge(match rng.below(3) {
            0 => Edge::Advises {
                body: b,
                kind: k,
                when,
            },
            1 => Edge::Consulted {
                body: b,
                kind: k,
                when,
            },
            _ => Edge::Informed {
                body: b,
                kind: k,
                when,
            },
        });
        edges += 1;
    }
    assert_eq!(map.edges().count(), EDGES);
    assert_eq!(map.bodies().count(), BODIES);
    map
}

fn benches(c: &mut Criterion) {
    let community = community();
    let map = map();
    validate(&map, &community).unwrap();

    let mut group = c.benchmark_group("governance_validate");
    group.sample_size(20);
    // Floor: one strongly-connected-components pass; validation must at least find cycles.
    group.bench_function("floor_tarjan_scc", |b| {
        b.iter(|| petgraph::algo::tarjan_scc(black_box(map.graph())).len())
    });
    group.bench_function("validate", |b| {
        b.iter(|| validate(black_box(&map), black_box(&community)).is_ok())
    });
    group.finish();

    let mut rng = Lcg(7);
    let lookups: Vec<(DecisionKind, RouteFacts)> = (0..1_000)
        .map(|_| {
            let mut facts = RouteFacts::new().amount(rng.below(60_000) as u64);
            if rng.below(10) == 0 {
                facts = facts.red_line_hit();
            }
            (kind(rng.below(KINDS)), facts)
        })
        .collect();
    let governance = Governance::new(map, &community).unwrap();
    let bands = governance.map().amount_bands();
    let cached: HashMap<_, Route> = lookups
        .iter()
        .map(|(k, f)| ((k.clone(), f.case(bands)), governance.route(k, *f).unwrap()))
        .collect();

    let mut group = c.benchmark_group("governance_route");
    // Floor: handing out an already-worked-out route (one hash lookup and one clone).
    group.bench_function("floor_cached_route_clone", |b| {
        b.iter(|| {
            black_box(&lookups)
                .iter()
                .map(|(k, f)| cached.get(&(k.clone(), f.case(bands))).cloned().unwrap())
                .map(|r| r.consult.len() + r.escalation.len())
                .sum::<usize>()
        })
    });
    group.bench_function("route", |b| {
        b.iter(|| {
            black_box(&lookups)
                .iter()
                .map(|(k, f)| governance.route(k, *f).unwrap())
                .map(|r| r.consult.len() + r.escalation.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(governance, benches);
criterion_main!(governance);
