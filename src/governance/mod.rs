//! Who is involved in which decisions: the community's governance as a validated graph,
//! and the route it gives each decision.
//!
//! A [`GovernanceMap`] is a petgraph graph whose nodes are bodies (the staff team, the
//! Allies Group, the whole community...) and kinds of decision (funding, partnership,
//! strategy, recruitment, working model, operational, governance, custom kinds). Its
//! [`Edge`]s say who **decides** (and by which [`Procedure`]), who **advises** (advice the
//! decider must answer, as in the advice process), who is **consulted** (views gathered),
//! who is **informed**, and where a body **escalates to** when it cannot decide. Every edge
//! carries [`Conditions`] saying when it applies.
//!
//! # Why routing is decidable
//!
//! Facts about a decision ([`RouteFacts`]: an amount in whole pounds, a risk tier, a
//! red-line hit, an institutional policy) reduce to one of ten [`Case`]s: the tier
//! (the highest of the amount's tier under the map's [`AmountBands`] and the risk tier;
//! tier 3 when an institutional policy applies) and whether a red line was hit.
//! Conditions are tested against cases, never against raw amounts, so [`validate`] can check
//! every kind against every case and prove that any facts get exactly one decider.
//!
//! # Validate once, route many times
//!
//! [`Governance::new`] validates a map against a [`Community`](crate::community::Community)
//! and keeps an index; [`Governance::route`] then answers by lookup with a [`Route`]: the
//! deciding body and procedure, whom to consult first (and whose advice must be answered),
//! who is informed, the escalation chain, and the conditions that selected it. A route is
//! serialisable evidence: the value-check compares the route a decision took with the one
//! the map gives.
//!
//! A red-line hit routes to [`Procedure::AutomaticDecline`]: a named body records the
//! decline and publishes the reason, nobody is consulted, and [`Route::method`] is `None`.
//!
//! Maps load from and save to JSON (see [`GovernanceMap`]) and draw themselves as DOT
//! ([`GovernanceDot`]). The seed community's map is `examples/data/governance.json`.
//!
//! # Example
//!
//! ```
//! use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
//! use coproduction::decision::{DecisionKind, Method, Tier};
//! use coproduction::governance::{Governance, GovernanceMap, Procedure, RouteFacts};
//!
//! let mut community = Community::new();
//! community.add_member(Member::new(MemberId::new(1), "Staff member 1").with_role(Role::Staff))?;
//! community.add_member(
//!     Member::new(MemberId::new(2), "Co-producer 1").with_role(Role::CoProducer).with_lived_experience(),
//! )?;
//! community.add_body(Body::new(BodyId::new("staff_team")?, "Staff team", BodyKind::StaffTeam)
//!     .with_members([MemberId::new(1)]))?;
//! community.add_body(Body::new(BodyId::new("circle")?, "Decision circle", BodyKind::Custom)
//!     .with_members([MemberId::new(1), MemberId::new(2)]))?;
//!
//! let map: GovernanceMap = serde_json::from_str(r#"{
//!     "amount_bands": {"tier_one_from": 1000, "tier_two_from": 10000},
//!     "kinds": ["funding"],
//!     "edges": [
//!         {"type": "decides", "body": "staff_team", "kind": "funding",
//!          "method": {"type": "automatic_decline"}, "when": {"red_line": true}},
//!         {"type": "decides", "body": "staff_team", "kind": "funding",
//!          "method": {"type": "advice_process"},
//!          "when": {"red_line": false, "tiers": {"from": 0, "to": 1}}},
//!         {"type": "decides", "body": "circle", "kind": "funding",
//!          "method": {"type": "consent"},
//!          "when": {"red_line": false, "tiers": {"from": 2, "to": 3}}},
//!         {"type": "escalates_to", "from": "staff_team", "to": "circle"}
//!     ]
//! }"#)?;
//! let governance = Governance::new(map, &community)?;
//!
//! let small = governance.route(&DecisionKind::Funding, RouteFacts::new().amount(500))?;
//! assert_eq!(small.decider.as_str(), "staff_team");
//! assert_eq!(small.method(), Some(Method::AdviceProcess));
//! assert_eq!(small.escalates_to().map(BodyId::as_str), Some("circle"));
//!
//! let large = governance.route(&DecisionKind::Funding, RouteFacts::new().amount(50_000))?;
//! assert_eq!((large.decider.as_str(), large.tier()), ("circle", Tier::Two));
//!
//! let red = governance.route(&DecisionKind::Funding, RouteFacts::new().red_line_hit())?;
//! assert_eq!(red.procedure, Procedure::AutomaticDecline);
//! # Ok::<(), coproduction::Error>(())
//! ```

mod dot;
mod error;
mod facts;
mod map;
mod route;
mod validate;

pub use dot::GovernanceDot;
pub use error::{GovernanceError, MapProblem};
pub use facts::{AmountBands, Case, Conditions, RouteFacts, TierRange};
pub use map::{Edge, GovernanceMap, MapNode, Procedure};
pub use route::{Consultation, Consultee, Governance, Route};
pub use validate::validate;
