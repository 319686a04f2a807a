//! Loads the seed community's governance map, validates it against the community, and
//! prints the route of a funding decision at each tier, and of an operational and a
//! strategy decision.
//!
//! Run it with `cargo run --example governance`.

use coproduction::community::Community;
use coproduction::decision::{DecisionKind, Tier};
use coproduction::governance::{Governance, GovernanceMap, Route, RouteFacts};

fn show(label: &str, route: &Route) {
    let consult: Vec<String> = route
        .consult
        .iter()
        .map(|c| {
            let asked = if c.must_be_answered() {
                "advice"
            } else {
                "views"
            };
            format!("{} ({asked})", c.body)
        })
        .collect();
    let chain: Vec<&str> = route.escalation.iter().map(|b| b.as_str()).collect();
    println!("{label}: {}", route.case);
    println!("  decided by {} ({})", route.decider, route.procedure);
    println!("  consult first: {}", none_if_empty(&consult.join(", ")));
    println!("  escalates: {}", none_if_empty(&chain.join(" -> ")));
}

fn none_if_empty(s: &str) -> &str {
    if s.is_empty() { "nobody" } else { s }
}

fn main() -> Result<(), coproduction::Error> {
    let community: Community = serde_json::from_str(include_str!("data/community.json"))?;
    let map: GovernanceMap = serde_json::from_str(include_str!("data/governance.json"))?;
    let governance = Governance::new(map, &community)?;

    let funding = [
        (
            "funding, red line",
            RouteFacts::new().amount(500).red_line_hit(),
        ),
        ("funding, £500", RouteFacts::new().amount(500)),
        ("funding, £8,000", RouteFacts::new().amount(8_000)),
        (
            "funding, £8,000 with conditions on publication",
            RouteFacts::new().amount(8_000).risk(Tier::Two),
        ),
        (
            "funding, £40,000 under the institution's policy",
            RouteFacts::new()
                .amount(40_000)
                .institutional_policy_applies(),
        ),
    ];
    for (label, facts) in funding {
        show(label, &governance.route(&DecisionKind::Funding, facts)?);
    }
    show(
        "operational",
        &governance.route(&DecisionKind::Operational, RouteFacts::new())?,
    );
    show(
        "strategy",
        &governance.route(&DecisionKind::Strategy, RouteFacts::new())?,
    );
    Ok(())
}
