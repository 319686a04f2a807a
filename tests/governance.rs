//! The governance map through its public API: the seed community's map, each way a map is
//! refused, routing, and the JSON shapes.

use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
use coproduction::decision::{DecisionKind, Method, Tier};
use coproduction::governance::{
    Case, Conditions, Consultation, Consultee, Edge, Governance, GovernanceError, GovernanceMap,
    MapProblem, Procedure, Route, RouteFacts, TierRange,
};

fn body(s: &str) -> BodyId {
    BodyId::new(s).unwrap()
}

fn seed_community() -> Community {
    serde_json::from_str(include_str!("../examples/data/community.json")).unwrap()
}

fn seed_map() -> GovernanceMap {
    serde_json::from_str(include_str!("../examples/data/governance.json")).unwrap()
}

fn seed() -> Governance {
    Governance::new(seed_map(), &seed_community()).unwrap()
}

fn names(bodies: &[BodyId]) -> Vec<&str> {
    bodies.iter().map(BodyId::as_str).collect()
}

fn consulted(route: &Route) -> Vec<(&str, Consultation)> {
    route
        .consult
        .iter()
        .map(|c| (c.body.as_str(), c.role))
        .collect()
}

// ---- the seed community and its map ----

#[test]
fn the_seed_community_loads_with_the_bodies_the_map_needs() {
    let community = seed_community();
    let allies = community.figures(&body("allies_group")).unwrap();
    assert_eq!(allies.lived_experience_share().to_string(), "3 of 8 (38%)");
    let circle = community.figures(&body("decision_circle")).unwrap();
    assert!(circle.lived_experience_share().at_least(1, 2));
    for id in [
        "staff_team",
        "allies_group",
        "associate_roles_team",
        "whole_community",
        "decision_circle",
        "institution_committee",
    ] {
        assert!(
            community.body(&body(id)).is_some_and(|b| !b.is_empty()),
            "{id}"
        );
    }
    assert!(seed_map().validate(&community).is_ok());
}

#[test]
fn funding_is_routed_by_tier_as_in_the_routing_table() {
    let g = seed();
    let funding = |facts| g.route(&DecisionKind::Funding, facts).unwrap();

    let red = funding(RouteFacts::new().amount(100_000).red_line_hit());
    assert!(red.is_automatic_decline());
    assert_eq!(red.method(), None);
    assert!(red.consult.is_empty(), "a red-line hit consults nobody");
    assert_eq!(names(&red.informed), ["whole_community"]);

    let t0 = funding(RouteFacts::new().amount(500));
    assert_eq!((t0.tier(), t0.decider.as_str()), (Tier::Zero, "staff_team"));
    assert_eq!(t0.method(), Some(Method::AdviceProcess));
    assert_eq!(
        consulted(&t0),
        [("associate_roles_team", Consultation::Advice)]
    );

    let t1 = funding(RouteFacts::new().amount(2_000));
    assert_eq!((t1.tier(), t1.decider.as_str()), (Tier::One, "staff_team"));
    assert_eq!(
        consulted(&t1),
        [
            ("associate_roles_team", Consultation::Advice),
            ("allies_group", Consultation::Advice),
            ("whole_community", Consultation::Views),
        ]
    );
    assert_eq!(
        names(&t1.escalation),
        ["decision_circle", "whole_community"]
    );

    // Conditions on publication make tier 2 whatever the amount.
    let t2 = funding(RouteFacts::new().amount(500).risk(Tier::Two));
    assert_eq!(
        (t2.tier(), t2.decider.as_str()),
        (Tier::Two, "decision_circle")
    );
    assert_eq!(t2.method(), Some(Method::Consent));
    assert_eq!(t2.escalates_to(), Some(&body("whole_community")));
    assert_eq!(
        t2.selected_by,
        Conditions::always()
            .tiers(TierRange::at_least(Tier::Two))
            .red_line(false)
    );

    let t3 = funding(RouteFacts::new().amount(500).institutional_policy_applies());
    assert_eq!(
        (t3.tier(), t3.decider.as_str()),
        (Tier::Three, "decision_circle")
    );
    assert!(t3.advisers().any(|b| b.as_str() == "institution_committee"));
    assert_eq!(names(&t3.escalation), ["institution_committee"]);
}

#[test]
fn operational_and_strategy_decisions_follow_the_seed_practice() {
    let g = seed();
    let op = g
        .route(&DecisionKind::Operational, RouteFacts::new())
        .unwrap();
    assert_eq!(op.decider.as_str(), "staff_team");
    assert_eq!(op.method(), Some(Method::AdviceProcess));
    assert_eq!(consulted(&op), [("allies_group", Consultation::Advice)]);

    let strategy = g.route(&DecisionKind::Strategy, RouteFacts::new()).unwrap();
    assert_eq!(strategy.decider.as_str(), "whole_community");
    assert_eq!(strategy.method(), Some(Method::Consent));
    assert!(strategy.escalation.is_empty());
}

#[test]
fn an_unknown_kind_is_refused_by_name() {
    let err = seed()
        .route(&"library".parse().unwrap(), RouteFacts::new())
        .unwrap_err();
    assert_eq!(
        err,
        GovernanceError::UnknownKind {
            kind: "library".parse().unwrap()
        }
    );
    assert!(err.to_string().contains("`library`"));
}

// ---- refusals ----

/// A community with one-member bodies `a` to `e` and an empty body `empty`.
fn community() -> Community {
    let mut c = Community::new();
    for (n, id) in ["a", "b", "c", "d", "e"].into_iter().enumerate() {
        let m = MemberId::new(n as u64 + 1);
        c.add_member(Member::new(m, format!("Co-producer {}", n + 1)).with_role(Role::CoProducer))
            .unwrap();
        c.add_body(Body::new(body(id), id, BodyKind::Custom).with_members([m]))
            .unwrap();
    }
    c.add_body(Body::new(body("empty"), "Empty", BodyKind::Custom))
        .unwrap();
    c
}

fn decides(b: &str, kind: DecisionKind, when: Conditions) -> Edge {
    Edge::Decides {
        body: body(b),
        kind,
        method: Method::Consent.into(),
        when,
    }
}

fn escalates(from: &str, to: &str) -> Edge {
    Edge::EscalatesTo {
        from: body(from),
        to: body(to),
        when: Conditions::always(),
    }
}

fn map(edges: impl IntoIterator<Item = Edge>) -> GovernanceMap {
    let mut m = GovernanceMap::new();
    for e in edges {
        m.add_edge(e);
    }
    m
}

fn problems(map: GovernanceMap) -> Vec<MapProblem> {
    match Governance::new(map, &community()) {
        Err(GovernanceError::InvalidMap { problems }) => problems,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn case(tier: Tier, red_line: bool) -> Case {
    Case {
        tier,
        red_line,
        institutional_policy: false,
    }
}

#[test]
fn a_kind_nobody_decides_for_some_facts_is_refused() {
    let mut m = map([decides(
        "a",
        DecisionKind::Funding,
        Conditions::always().red_line(false),
    )]);
    m.add_kind(DecisionKind::Strategy);
    let found = problems(m);
    let MapProblem::Undecided { kind, cases } = &found[0] else {
        panic!("{found:?}")
    };
    assert_eq!(kind, &DecisionKind::Funding);
    assert_eq!(cases.len(), 5);
    assert!(cases.iter().all(|c| c.red_line));
    // A kind declared with no edges at all is undecided everywhere.
    assert!(matches!(
        &found[1],
        MapProblem::Undecided { kind: DecisionKind::Strategy, cases } if cases.len() == 10
    ));
    assert_eq!(found.len(), 2);
    assert!(
        found[0]
            .to_string()
            .contains("kind `funding` has no deciding body")
    );
}

#[test]
fn two_deciders_for_the_same_facts_are_refused() {
    let found = problems(map([
        decides("a", DecisionKind::Strategy, Conditions::always()),
        decides(
            "b",
            DecisionKind::Strategy,
            Conditions::always().tiers(TierRange::exactly(Tier::Two)),
        ),
    ]));
    assert_eq!(
        found,
        [MapProblem::TwoDeciders {
            kind: DecisionKind::Strategy,
            case: case(Tier::Two, false),
            first: body("a"),
            second: body("b"),
        }]
    );
    assert_eq!(
        found[0].to_string(),
        "kind `strategy` has two deciders for the same case (tier 2, no red line, no institutional policy): `decides` edges from `a` and from `b`"
    );
}

#[test]
fn an_escalation_cycle_is_refused_with_its_bodies_in_order() {
    let found = problems(map([
        decides("a", DecisionKind::Operational, Conditions::always()),
        escalates("a", "b"),
        escalates("b", "c"),
        escalates("c", "a"),
        escalates("d", "d"),
    ]));
    assert_eq!(
        found,
        [
            MapProblem::EscalationCycle {
                bodies: vec![body("a"), body("b"), body("c")]
            },
            MapProblem::EscalationCycle {
                bodies: vec![body("d")]
            },
        ]
    );
    assert_eq!(
        found[0].to_string(),
        "escalation cycle: `a` -> `b` -> `c` -> `a`"
    );
}

#[test]
fn a_cycle_only_some_cases_take_is_still_refused() {
    let found = problems(map([
        decides("a", DecisionKind::Operational, Conditions::always()),
        Edge::EscalatesTo {
            from: body("a"),
            to: body("b"),
            when: Conditions::always().red_line(true),
        },
        Edge::EscalatesTo {
            from: body("b"),
            to: body("a"),
            when: Conditions::always().red_line(false),
        },
    ]));
    assert!(matches!(&found[..], [MapProblem::EscalationCycle { .. }]));
}

#[test]
fn two_escalation_targets_in_one_case_are_refused() {
    let found = problems(map([
        decides("a", DecisionKind::Operational, Conditions::always()),
        escalates("a", "b"),
        Edge::EscalatesTo {
            from: body("a"),
            to: body("c"),
            when: Conditions::always().tiers(TierRange::exactly(Tier::One)),
        },
    ]));
    assert_eq!(
        found,
        [MapProblem::AmbiguousEscalation {
            body: body("a"),
            case: case(Tier::One, false),
            first: body("b"),
            second: body("c"),
        }]
    );
}

#[test]
fn an_edge_to_a_missing_body_is_refused_with_the_edge() {
    let informed = Edge::Informed {
        body: body("ghost"),
        kind: DecisionKind::Operational,
        when: Conditions::always(),
    };
    let mut m = map([
        decides("a", DecisionKind::Operational, Conditions::always()),
        informed.clone(),
    ]);
    m.add_body(body("listed_only"));
    let found = problems(m);
    assert_eq!(
        found,
        [
            MapProblem::MissingBody {
                body: body("ghost"),
                edge: Some(informed),
            },
            MapProblem::MissingBody {
                body: body("listed_only"),
                edge: None,
            },
        ]
    );
    assert_eq!(
        found[0].to_string(),
        "body `ghost`, named by the edge `ghost` informed of `operational`, is not in the community"
    );
}

#[test]
fn an_empty_deciding_body_is_refused_but_an_empty_informed_one_is_not() {
    let found = problems(map([
        decides("empty", DecisionKind::Recruitment, Conditions::always()),
        decides("a", DecisionKind::Operational, Conditions::always()),
        Edge::Informed {
            body: body("empty"),
            kind: DecisionKind::Operational,
            when: Conditions::always(),
        },
    ]));
    assert_eq!(
        found,
        [MapProblem::EmptyDecider {
            body: body("empty"),
            kind: DecisionKind::Recruitment,
        }]
    );
}

#[test]
fn an_empty_advising_body_is_refused_but_an_empty_consulted_one_is_not() {
    let found = problems(map([
        decides("a", DecisionKind::Operational, Conditions::always()),
        Edge::Advises {
            body: body("empty"),
            kind: DecisionKind::Operational,
            when: Conditions::always(),
        },
        Edge::Consulted {
            body: body("empty"),
            kind: DecisionKind::Operational,
            when: Conditions::always(),
        },
    ]));
    assert_eq!(
        found,
        [MapProblem::EmptyAdviser {
            body: body("empty"),
            kind: DecisionKind::Operational,
        }]
    );
    assert_eq!(
        found[0].to_string(),
        "body `empty` advises on `operational` but has no members"
    );
}

#[test]
fn an_edge_that_can_never_apply_is_refused() {
    let never = Edge::Advises {
        body: body("b"),
        kind: DecisionKind::Operational,
        when: Conditions::always()
            .tiers(TierRange::at_most(Tier::One))
            .institutional_policy(true),
    };
    let found = problems(map([
        decides("a", DecisionKind::Operational, Conditions::always()),
        never.clone(),
    ]));
    assert_eq!(found, [MapProblem::NeverApplies { edge: never }]);
}

#[test]
fn every_problem_is_listed_in_one_refusal() {
    let err = Governance::new(
        map([
            decides("ghost", DecisionKind::Strategy, Conditions::always()),
            decides("a", DecisionKind::Strategy, Conditions::always()),
            escalates("a", "a"),
        ]),
        &community(),
    )
    .unwrap_err();
    let GovernanceError::InvalidMap { problems } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(problems.len(), 3);
    let text = err.to_string();
    assert!(text.starts_with("the governance map was refused, with 3 problem(s):"));
    assert!(text.contains("`ghost`") && text.contains("`a` -> `a`"));
    // Through the crate error too.
    let crate_err: coproduction::Error = err.into();
    assert!(crate_err.to_string().contains("two deciders"));
}

// ---- JSON ----

#[test]
fn the_seed_map_round_trips_through_json() {
    let map = seed_map();
    let json = serde_json::to_string_pretty(&map).unwrap();
    let again: GovernanceMap = serde_json::from_str(&json).unwrap();
    assert_eq!(again, map);
    assert_eq!(again.edges().count(), map.edges().count());
    // Conditions that always apply are left out when saving.
    assert!(!json.contains(r#""when": {}"#));
}

#[test]
fn maps_refuse_unknown_fields_at_every_level() {
    let good = r#"{"kinds":["operational"],"edges":[{"type":"decides","body":"a","kind":"operational","method":{"type":"consent"},"when":{"tiers":{"from":0,"to":3}}}]}"#;
    assert!(serde_json::from_str::<GovernanceMap>(good).is_ok());
    for bad in [
        good.replacen(r#"{"kinds""#, r#"{"owner":1,"kinds""#, 1),
        good.replacen(r#""body":"a""#, r#""body":"a","weight":2"#, 1),
        good.replacen(r#""type":"consent""#, r#""type":"consent","quorum":2"#, 1),
        good.replacen(r#""when":{"#, r#""when":{"amount":5,"#, 1),
        good.replacen(r#""to":3"#, r#""to":3,"step":1"#, 1),
        good.replacen(r#""from":0"#, r#""from":4"#, 1),
        good.replacen(r#""type":"decides""#, r#""type":"vetoes""#, 1),
        good.replacen(r#""body":"a""#, r#""body":"Staff Team""#, 1),
    ] {
        assert!(
            serde_json::from_str::<GovernanceMap>(&bad).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn routes_are_evidence_that_reads_back_strictly() {
    let route = seed()
        .route(&DecisionKind::Funding, RouteFacts::new().amount(3_000))
        .unwrap();
    let json = serde_json::to_value(&route).unwrap();
    assert_eq!(json["decider"], "staff_team");
    assert_eq!(json["procedure"]["type"], "advice_process");
    assert_eq!(json["case"]["tier"], 1);
    assert_eq!(json["consult"][1]["role"], "advice");
    let back: Route = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, route);

    let mut extra = json.clone();
    extra["note"] = "x".into();
    assert!(serde_json::from_value::<Route>(extra).is_err());
    let mut extra = json;
    extra["consult"][0]["weight"] = 1.into();
    assert!(serde_json::from_value::<Route>(extra).is_err());
    assert!(serde_json::from_str::<Consultee>(r#"{"body":"a","role":"veto"}"#).is_err());
}

#[test]
fn a_route_taken_can_be_compared_with_the_one_the_map_gives() {
    // What the value-check's T7 does: a funding decision run as tier 1 although its
    // conditions on publication made it tier 2.
    let g = seed();
    let facts = RouteFacts::new().amount(3_000).risk(Tier::Two);
    let taken = g
        .route(&DecisionKind::Funding, RouteFacts::new().amount(3_000))
        .unwrap();
    let expected = g.route(&DecisionKind::Funding, facts).unwrap();
    assert_ne!(taken, expected);
    assert_eq!(expected.procedure, Procedure::Method(Method::Consent));
}
