//! Properties of governance maps: validation agrees with a brute-force check of every case,
//! and for every valid map and any facts, routing is deterministic, names exactly the one
//! body whose `decides` edge matches, and escalations end.

use std::collections::BTreeSet;

use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
use coproduction::decision::{DecisionKind, Method, Tier};
use coproduction::governance::{
    AmountBands, Case, Conditions, Edge, Governance, GovernanceError, GovernanceMap, Procedure,
    RouteFacts, TierRange,
};
use proptest::prelude::*;

const BODIES: usize = 5;
const KINDS: [DecisionKind; 3] = [
    DecisionKind::Funding,
    DecisionKind::Strategy,
    DecisionKind::Operational,
];

fn body(i: usize) -> BodyId {
    BodyId::new(format!("b{i}")).unwrap()
}

fn community() -> Community {
    let mut c = Community::new();
    for i in 0..BODIES {
        let m = MemberId::new(i as u64);
        c.add_member(Member::new(m, format!("Co-producer {i}")).with_role(Role::CoProducer))
            .unwrap();
        c.add_body(Body::new(body(i), format!("Body {i}"), BodyKind::Custom).with_members([m]))
            .unwrap();
    }
    c
}

fn tier() -> impl Strategy<Value = Tier> {
    (0u8..4).prop_map(|n| Tier::try_from(n).unwrap())
}

fn conditions() -> impl Strategy<Value = Conditions> {
    (
        prop::option::of((tier(), tier())),
        prop::option::of(any::<bool>()),
        prop::option::weighted(0.1, any::<bool>()),
    )
        .prop_map(|(tiers, red_line, institutional_policy)| Conditions {
            tiers: tiers.map(|(a, b)| TierRange::new(a.min(b), a.max(b)).unwrap()),
            red_line,
            institutional_policy,
        })
}

/// `decides` conditions that partition the cases (usually), by one of a few shapes.
fn partition() -> impl Strategy<Value = Vec<Conditions>> {
    let always = Conditions::always();
    prop_oneof![
        Just(vec![always]),
        Just(vec![always.red_line(true), always.red_line(false)]),
        (1u8..4).prop_map(move |t| {
            let t = Tier::try_from(t).unwrap();
            let below = Tier::try_from(t.number() - 1).unwrap();
            vec![
                always.red_line(true),
                always.red_line(false).tiers(TierRange::at_most(below)),
                always.red_line(false).tiers(TierRange::at_least(t)),
            ]
        }),
        Just(vec![
            always.institutional_policy(true),
            always.institutional_policy(false),
        ]),
    ]
}

#[derive(Debug, Clone)]
struct Spec {
    decides: Vec<(usize, Vec<(usize, Conditions)>)>,
    others: Vec<(u8, usize, usize, Conditions)>,
    escalations: Vec<(usize, usize, Conditions)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let kind_decides = (
        partition(),
        prop::collection::vec(0..BODIES, 4),
        // 0: keep, 1: drop an edge, 2: add a random edge
        prop::sample::select(vec![0u8, 0, 0, 0, 0, 0, 1, 2]),
        conditions(),
        0..BODIES,
    )
        .prop_map(|(parts, bodies, change, extra, extra_body)| {
            let mut edges: Vec<(usize, Conditions)> =
                parts.into_iter().zip(bodies).map(|(c, b)| (b, c)).collect();
            match change {
                1 => {
                    edges.pop();
                }
                2 => edges.push((extra_body, extra)),
                _ => {}
            }
            edges
        });
    (
        prop::collection::vec(kind_decides, 1..=KINDS.len()),
        prop::collection::vec((0u8..3, 0..BODIES, 0..KINDS.len(), conditions()), 0..6),
        prop::collection::vec(
            (
                0..BODIES,
                0..BODIES,
                conditions(),
                prop::bool::weighted(0.1),
            ),
            0..6,
        ),
    )
        .prop_map(|(kinds, others, escalations)| Spec {
            decides: kinds.into_iter().enumerate().collect(),
            others,
            // Mostly upward (acyclic), now and then any direction.
            escalations: escalations
                .into_iter()
                .map(|(a, b, c, wild)| {
                    if wild || a == b {
                        (a, b, c)
                    } else {
                        (a.min(b), a.max(b), c)
                    }
                })
                .collect(),
        })
}

fn build(spec: &Spec) -> (GovernanceMap, Vec<Edge>) {
    let mut map = GovernanceMap::with_amount_bands(AmountBands::new(1_000, 10_000).unwrap());
    let mut edges = Vec::new();
    for (k, decides) in &spec.decides {
        map.add_kind(KINDS[*k].clone());
        for (i, (b, when)) in decides.iter().enumerate() {
            let method = if i % 2 == 0 {
                Procedure::Method(Method::Consent)
            } else {
                Procedure::AutomaticDecline
            };
            edges.push(Edge::Decides {
                body: body(*b),
                kind: KINDS[*k].clone(),
                method,
                when: *when,
            });
        }
    }
    for (rel, b, k, when) in &spec.others {
        let (body, kind, when) = (body(*b), KINDS[*k % spec.decides.len()].clone(), *when);
        edges.push(match rel {
            0 => Edge::Advises { body, kind, when },
            1 => Edge::Consulted { body, kind, when },
            _ => Edge::Informed { body, kind, when },
        });
    }
    for (a, b, when) in &spec.escalations {
        edges.push(Edge::EscalatesTo {
            from: body(*a),
            to: body(*b),
            when: *when,
        });
    }
    for e in &edges {
        map.add_edge(e.clone());
    }
    (map, edges)
}

/// The brute-force verdict: every edge applies somewhere, every kind has exactly one
/// decider in every case, no body escalates two ways in one case, and there is no
/// escalation cycle.
fn oracle_valid(edges: &[Edge], kinds: &[DecisionKind]) -> bool {
    let applies = edges
        .iter()
        .all(|e| Case::all().any(|c| e.when().matches(c)));
    let one_decider = kinds.iter().all(|k| {
        Case::all().all(|c| {
            edges
                .iter()
                .filter(|e| matches!(e, Edge::Decides { kind, when, .. } if kind == k && when.matches(c)))
                .count()
                == 1
        })
    });
    let one_target = (0..BODIES).all(|b| {
        Case::all().all(|c| {
            edges
                .iter()
                .filter(|e| matches!(e, Edge::EscalatesTo { from, when, .. } if *from == body(b) && when.matches(c)))
                .count()
                <= 1
        })
    });
    // A cycle exists iff some body reaches itself; with five bodies, five steps suffice.
    let next = |b: &BodyId| -> BTreeSet<BodyId> {
        edges
            .iter()
            .filter_map(|e| match e {
                Edge::EscalatesTo { from, to, .. } if from == b => Some(to.clone()),
                _ => None,
            })
            .collect()
    };
    let acyclic = (0..BODIES).all(|b| {
        let start = body(b);
        let mut frontier = next(&start);
        for _ in 0..BODIES {
            if frontier.contains(&start) {
                return false;
            }
            frontier = frontier.iter().flat_map(&next).collect();
        }
        !frontier.contains(&start)
    });
    applies && one_decider && one_target && acyclic
}

fn facts() -> impl Strategy<Value = RouteFacts> {
    (
        prop::option::of(prop_oneof![0u64..20_000, any::<u64>()]),
        prop::option::of(tier()),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(amount, risk, red_line, institutional_policy)| RouteFacts {
                amount,
                risk,
                red_line,
                institutional_policy,
            },
        )
}

proptest! {
    #[test]
    fn validation_agrees_with_checking_every_case(spec in spec()) {
        let (map, edges) = build(&spec);
        let kinds: Vec<DecisionKind> = map.kinds().cloned().collect();
        let result = Governance::new(map, &community());
        prop_assert_eq!(result.is_ok(), oracle_valid(&edges, &kinds), "{:?}", result.err());
        if let Err(err) = result {
            let listed = matches!(&err, GovernanceError::InvalidMap { problems } if !problems.is_empty());
            prop_assert!(listed);
        }
    }

    #[test]
    fn a_valid_map_routes_any_facts_to_exactly_one_decider_and_escalation_ends(
        spec in spec(),
        all_facts in prop::collection::vec(facts(), 1..8),
    ) {
        let (map, edges) = build(&spec);
        let Ok(governance) = Governance::new(map.clone(), &community()) else {
            return Ok(());
        };
        let reloaded: GovernanceMap =
            serde_json::from_str(&serde_json::to_string(&map).unwrap()).unwrap();
        let reloaded = Governance::new(reloaded, &community()).unwrap();
        let bands = map.amount_bands();
        for facts in all_facts {
            for kind in map.kinds() {
                let route = governance.route(kind, facts).unwrap();
                prop_assert_eq!(&governance.route(kind, facts).unwrap(), &route);
                prop_assert_eq!(&reloaded.route(kind, facts).unwrap(), &route);

                let case = facts.case(bands);
                prop_assert_eq!(route.case, case);
                let matching: Vec<&Edge> = edges
                    .iter()
                    .filter(|e| matches!(e, Edge::Decides { kind: k, when, .. } if k == kind && when.matches(case)))
                    .collect();
                prop_assert_eq!(matching.len(), 1);
                let Edge::Decides { body: decider, method, .. } = matching[0] else { unreachable!() };
                prop_assert_eq!(&route.decider, decider);
                prop_assert_eq!(route.procedure, *method);
                if route.is_automatic_decline() {
                    prop_assert!(route.consult.is_empty());
                }

                // The chain follows matching escalation edges, never revisits a body, and
                // stops where no edge matches.
                let mut at = route.decider.clone();
                let mut seen = BTreeSet::from([at.clone()]);
                for step in &route.escalation {
                    let declared = edges.iter().any(|e| matches!(e,
                        Edge::EscalatesTo { from, to, when } if *from == at && to == step && when.matches(case)));
                    prop_assert!(declared);
                    prop_assert!(seen.insert(step.clone()), "{:?} repeats", step);
                    at = step.clone();
                }
                let goes_on = edges.iter().any(|e| matches!(e,
                    Edge::EscalatesTo { from, when, .. } if *from == at && when.matches(case)));
                prop_assert!(!goes_on);
            }
        }
    }
}
