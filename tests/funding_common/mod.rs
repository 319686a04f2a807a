//! The community, governance, policy, offers and routes shared by the funding tests.
//!
//! The seed community and governance map from `examples/data`; five offers, one per
//! situation: tier 0, tier 1, tier 2 by a condition on publication, a red line, and tier 3
//! by institutional policy.

// Each test crate that includes this module uses only part of it.
#![allow(dead_code)]

pub mod model;

use std::sync::OnceLock;

use coproduction::community::{BodyId, Community, MemberId};
use coproduction::decision::DecisionKind;
use coproduction::funding::{
    FundingCommand, FundingEvent, FundingPolicy, FundingProcess, FundingState, Offer, route_facts,
};
use coproduction::governance::{Governance, GovernanceMap, Route};
use coproduction::machine::{Context, Decider};
use coproduction::values::Restriction;
use jiff::{SignedDuration, Timestamp};

/// The start of every test's clock.
pub fn t0() -> Timestamp {
    "2024-05-01T09:00:00Z".parse().unwrap()
}

/// A context for member `n` at `minute` minutes after [`t0`].
pub fn ctx(n: u64, minute: i64) -> Context<'static> {
    Context::new(
        MemberId::new(n),
        t0().checked_add(SignedDuration::from_mins(minute)).unwrap(),
    )
}

/// Minutes in a day.
pub const DAY: i64 = 24 * 60;

pub fn body(slug: &str) -> BodyId {
    BodyId::new(slug).unwrap()
}

pub fn community() -> &'static Community {
    static C: OnceLock<Community> = OnceLock::new();
    C.get_or_init(|| {
        serde_json::from_str(include_str!("../../examples/data/community.json")).unwrap()
    })
}

pub fn governance() -> &'static Governance {
    static G: OnceLock<Governance> = OnceLock::new();
    G.get_or_init(|| {
        let map: GovernanceMap =
            serde_json::from_str(include_str!("../../examples/data/governance.json")).unwrap();
        Governance::new(map, community()).unwrap()
    })
}

pub fn policy() -> FundingPolicy {
    FundingPolicy::seed()
}

/// The seed policy, made once.
pub fn seed_policy() -> &'static FundingPolicy {
    static P: OnceLock<FundingPolicy> = OnceLock::new();
    P.get_or_init(FundingPolicy::seed)
}

/// The offers: 0 tier 0, 1 tier 1, 2 tier 2 (restricts publication), 3 red line, 4 tier 3.
pub fn offer(i: usize) -> Offer {
    let base = |funder: &str, sector: &str| {
        Offer::new(
            DecisionKind::Funding,
            funder,
            sector,
            "A grant for a co-produced project",
        )
    };
    match i {
        0 => base("A local trust", "Charitable trust").amount(500),
        1 => base("A regional foundation", "Philanthropy").amount(12_000),
        2 => base(
            "A pharmaceutical company's foundation",
            "Pharmaceutical philanthropy",
        )
        .amount(12_000)
        .condition(
            "The foundation reviews findings before publication",
            [Restriction::Publication],
        ),
        3 => base("A tobacco company", "Tobacco").amount(5_000),
        _ => base("A university's research fund", "Higher education")
            .amount(500)
            .institutional_policy_applies(),
    }
}

pub const OFFERS: usize = 5;

/// The route governance gives offer `i`.
pub fn route(i: usize) -> &'static Route {
    static R: OnceLock<Vec<Route>> = OnceLock::new();
    R.get_or_init(|| {
        (0..OFFERS)
            .map(|i| {
                let o = offer(i);
                governance()
                    .route(&o.kind, route_facts(&o, &policy()))
                    .unwrap()
            })
            .collect()
    })
    .get(i)
    .unwrap()
}

/// Runs commands from the start, each by `(actor, minute)`; panics on a refusal.
pub fn run(steps: &[(FundingCommand, u64, i64)]) -> (FundingState, Vec<FundingEvent>) {
    let mut state = FundingProcess::initial();
    let mut events = Vec::new();
    // The route governance gives the offer identified, as an engine hands it on.
    let mut given = None;
    for (command, actor, minute) in steps {
        if let FundingCommand::Identify { offer: o, .. } = command {
            given = (0..OFFERS).find(|&i| offer(i) == **o);
        }
        let ctx = match given {
            Some(i) => routed(*actor, *minute, i),
            None => ctx(*actor, *minute),
        };
        let new = FundingProcess::decide(&state, command, &ctx)
            .unwrap_or_else(|e| panic!("{command:?} refused: {e}"));
        for e in new {
            state = FundingProcess::evolve(state, &e);
            events.push(e);
        }
    }
    (state, events)
}

pub fn identify(i: usize) -> FundingCommand {
    FundingCommand::Identify {
        offer: Box::new(offer(i)),
        policy: Some(Box::new(policy())),
    }
}

/// Screen the offer: the route comes with the context.
pub fn screen() -> FundingCommand {
    FundingCommand::Screen {}
}

/// A context for member `n` at `minute`, carrying the route governance gives offer `i`.
pub fn routed(n: u64, minute: i64, i: usize) -> Context<'static> {
    ctx(n, minute).with_route(route(i))
}
