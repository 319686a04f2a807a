//! Routing: a validated map, and the route it gives a decision.

use std::collections::{BTreeSet, HashSet};

use petgraph::stable_graph::NodeIndex;
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, Community, MemberId};
use crate::decision::{DecisionKind, Method, Tier};

use super::facts::CaseSet;
use super::validate::{RouteIndex, body_id, index};
use super::{Case, Conditions, Edge, GovernanceError, GovernanceMap, Procedure, RouteFacts};

/// A governance map that passed validation, ready to route decisions.
///
/// It can only be made by [`Governance::new`], which validates ("parse, don't validate"):
/// holding one is proof that every kind has exactly one decider for any facts and that
/// escalations end. Routing is then a lookup by kind and case, not a search of the graph.
///
/// The check used the community as it was; a body that has since lost every member still
/// appears in routes. Validate again after changing the community.
///
/// # Example
///
/// ```
/// use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
/// use coproduction::decision::{DecisionKind, Method};
/// use coproduction::governance::{Conditions, Edge, Governance, GovernanceMap, RouteFacts};
///
/// let mut community = Community::new();
/// community.add_member(Member::new(MemberId::new(1), "Staff member 1").with_role(Role::Staff))?;
/// community.add_member(Member::new(MemberId::new(2), "Ally 1").with_role(Role::Ally))?;
/// let staff = BodyId::new("staff_team")?;
/// let allies = BodyId::new("allies_group")?;
/// community.add_body(Body::new(staff.clone(), "Staff team", BodyKind::StaffTeam)
///     .with_members([MemberId::new(1)]))?;
/// community.add_body(Body::new(allies.clone(), "Allies Group", BodyKind::AlliesGroup)
///     .with_members([MemberId::new(2)]))?;
///
/// let mut map = GovernanceMap::new();
/// map.add_edge(Edge::Decides {
///     body: staff.clone(),
///     kind: DecisionKind::Operational,
///     method: Method::AdviceProcess.into(),
///     when: Conditions::always(),
/// });
/// map.add_edge(Edge::Advises {
///     body: allies.clone(),
///     kind: DecisionKind::Operational,
///     when: Conditions::always(),
/// });
/// let governance = Governance::new(map, &community)?;
///
/// let route = governance.route(&DecisionKind::Operational, RouteFacts::new())?;
/// assert_eq!(route.decider, staff);
/// assert_eq!(route.method(), Some(Method::AdviceProcess));
/// assert_eq!(route.advisers().collect::<Vec<_>>(), [&allies]);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Governance {
    map: GovernanceMap,
    index: RouteIndex,
}

impl PartialEq for Governance {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl Eq for Governance {}

impl Governance {
    /// Validates `map` against `community` and keeps it for routing.
    ///
    /// # Errors
    ///
    /// [`GovernanceError::InvalidMap`] listing every problem (see
    /// [`validate`](super::validate)). The map is consumed; clone it first to keep it on
    /// failure.
    pub fn new(map: GovernanceMap, community: &Community) -> Result<Self, GovernanceError> {
        let index = index(&map, community)?;
        Ok(Self { map, index })
    }

    /// Reads a map from JSON (the shape of [`GovernanceMap`]) and validates it against
    /// `community`.
    ///
    /// # Errors
    ///
    /// [`GovernanceError::Json`] when the text is not a map (or writes an object as a
    /// positional array), quoting at most a short prefix of it; and as [`Governance::new`].
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::{Community, Governance};
    ///
    /// let community: Community = serde_json::from_str(include_str!("../../examples/data/community.json"))?;
    /// let governance = Governance::from_json(include_str!("../../examples/data/governance.json"), &community)?;
    /// assert!(governance.map().kinds().count() > 0);
    /// assert!(Governance::from_json("[]", &community).is_err());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn from_json(json: &str, community: &Community) -> Result<Self, GovernanceError> {
        // Read strictly (no positional edges), and quote little of what is refused.
        let map: GovernanceMap =
            crate::limits::from_json(json).map_err(|e| GovernanceError::Json {
                message: e.to_string(),
            })?;
        Self::new(map, community)
    }

    /// The validated map.
    pub fn map(&self) -> &GovernanceMap {
        &self.map
    }

    /// Gives the map back, for editing and validating again.
    pub fn into_map(self) -> GovernanceMap {
        self.map
    }

    /// The route for a decision of `kind` with `facts`: who decides and how, who is
    /// consulted first, who is informed, and where it escalates.
    ///
    /// Deterministic: the same kind and facts always give the same route, with lists in
    /// the order the map's edges were added. A route whose procedure is
    /// [`Procedure::AutomaticDecline`] consults nobody, whatever the map says: the routing
    /// table declines a red-line hit without deliberation.
    ///
    /// # Errors
    ///
    /// [`GovernanceError::UnknownKind`] if the map has no such kind.
    pub fn route(&self, kind: &DecisionKind, facts: RouteFacts) -> Result<Route, GovernanceError> {
        self.route_in(kind, facts.case(self.map.amount_bands()))
    }

    /// The route for a decision of `kind` in `case`, as [`Governance::route`] gives it
    /// for facts in that case: for a matter whose case was settled under an earlier map
    /// (an escalated one, routed again once the body it went to is gone).
    ///
    /// # Errors
    ///
    /// [`GovernanceError::UnknownKind`] if the map has no such kind;
    /// [`GovernanceError::NoDecider`] if no body decides it in that case.
    pub fn route_in(&self, kind: &DecisionKind, case: Case) -> Result<Route, GovernanceError> {
        let unknown = || GovernanceError::UnknownKind { kind: kind.clone() };
        let routes = self
            .index
            .kinds
            .get(kind)
            .and_then(|&k| self.index.routes.get(k))
            .ok_or_else(unknown)?;
        let no_decider = || GovernanceError::NoDecider {
            kind: kind.clone(),
            case,
        };
        let edge = routes
            .deciders
            .get(usize::from(case.bit()))
            .copied()
            .flatten()
            .ok_or_else(no_decider)?;
        let graph = self.map.graph();
        let (decider_ix, (decider, procedure, selected_by)) =
            match (graph.edge_endpoints(edge), graph.edge_weight(edge)) {
                (
                    Some((ix, _)),
                    Some(Edge::Decides {
                        body, method, when, ..
                    }),
                ) => (ix, (body.clone(), *method, *when)),
                _ => return Err(no_decider()),
            };

        let mut consult = Vec::new();
        if procedure != Procedure::AutomaticDecline {
            for (list, role) in [
                (&routes.advisers, Consultation::Advice),
                (&routes.consulted, Consultation::Views),
            ] {
                consult.extend(
                    self.bodies_for(list, case)
                        .into_iter()
                        .map(|body| Consultee { body, role }),
                );
            }
        }
        let informed = self.bodies_for(&routes.informed, case);
        let escalation = self.chain_from(decider_ix, case);
        let override_by = self.map.override_by(&decider).cloned().unwrap_or_default();
        Ok(Route {
            kind: kind.clone(),
            case,
            decider,
            procedure,
            consult,
            informed,
            escalation,
            selected_by,
            override_by,
        })
    }

    /// Where `body` escalates in `case`, step by step, to a body that escalates no
    /// further. Empty when the body does not escalate (or is not in the map).
    pub fn escalation_chain(&self, body: &BodyId, case: Case) -> Vec<BodyId> {
        match self.map.index_of(&super::MapNode::Body(body.clone())) {
            Some(ix) => self.chain_from(ix, case),
            None => Vec::new(),
        }
    }

    fn chain_from(&self, start: NodeIndex, case: Case) -> Vec<BodyId> {
        let mut chain = Vec::new();
        let mut at = start;
        // Validation refused every escalation cycle, so this ends; the bound only keeps a
        // broken invariant from looping for ever.
        for _ in 0..self.index.escalations.len() {
            let next = self
                .index
                .escalations
                .get(at.index())
                .and_then(|l| l.iter().find(|(_, m)| m.contains(case)));
            let Some(&(to, _)) = next else { break };
            if let Some(id) = body_id(&self.map, to) {
                chain.push(id.clone());
            }
            at = to;
        }
        chain
    }

    fn bodies_for(&self, list: &[(NodeIndex, CaseSet)], case: Case) -> Vec<BodyId> {
        let mut seen = HashSet::new();
        list.iter()
            .filter(|(ix, m)| m.contains(case) && seen.insert(*ix))
            .filter_map(|(ix, _)| body_id(&self.map, *ix).cloned())
            .collect()
    }
}

/// What is asked of a body consulted before a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Consultation {
    /// Advice, which the decider must record and answer, each piece (the advice process;
    /// critical-friend input from tier 1 up).
    Advice,
    /// Views, gathered and summarised (an open comment window, a co-creation session).
    Views,
}

/// A body to consult before deciding, and what is asked of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consultee {
    /// The body.
    pub body: BodyId,
    /// Advice to answer, or views to gather.
    pub role: Consultation,
}

impl Consultee {
    /// Whether the decider must answer this body's advice.
    pub fn must_be_answered(&self) -> bool {
        self.role == Consultation::Advice
    }
}

/// The way a decision goes, as [`Governance::route`] gives it.
///
/// Recorded as evidence with the decision, so the value-check can compare the route taken
/// with the route the map gives (`==`). Serialised with unknown fields refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The kind of decision.
    pub kind: DecisionKind,
    /// The case the facts fell in: tier, red line, institutional policy.
    pub case: Case,
    /// The body that decides (for an automatic decline: records it and publishes why).
    pub decider: BodyId,
    /// How it decides.
    pub procedure: Procedure,
    /// Whom to consult first: advisers (advice to answer) in map order, then bodies whose
    /// views are gathered. Empty for an automatic decline.
    pub consult: Vec<Consultee>,
    /// Who is told the outcome.
    pub informed: Vec<BodyId>,
    /// Where the decision escalates if the decider cannot take it, then where that body
    /// escalates, to the end of the chain.
    pub escalation: Vec<BodyId>,
    /// The conditions of the `decides` edge that selected this route.
    pub selected_by: Conditions,
    /// Who may override (or acknowledge) a finding of the value-check for this decision,
    /// as the map names them for the deciding body; empty for the default, the facilitator
    /// of the process.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub override_by: BTreeSet<MemberId>,
}

impl Route {
    /// The method the decider uses; `None` for an automatic decline, which holds no round.
    pub fn method(&self) -> Option<Method> {
        match self.procedure {
            Procedure::Method(m) => Some(m),
            Procedure::AutomaticDecline => None,
        }
    }

    /// The route as the value-check records it (the route given, for rule T7); `None` for
    /// an automatic decline, which has no method.
    pub fn summary(&self) -> Option<crate::values::RouteSummary> {
        Some(crate::values::RouteSummary {
            deciding_body: self.decider.clone(),
            method: self.method()?,
            tier: Some(self.tier()),
            consulted: self.consult.iter().map(|c| c.body.clone()).collect(),
        })
    }

    /// Whether the decision is declined without deliberation (a red-line hit).
    pub fn is_automatic_decline(&self) -> bool {
        self.procedure == Procedure::AutomaticDecline
    }

    /// The tier of the case.
    pub fn tier(&self) -> Tier {
        self.case.tier
    }

    /// The route a matter takes once escalated to `to`: `to` decides, by the same method,
    /// after the same consultation, and escalates further along what follows `to` on the
    /// chain; `override_by` names who may override for `to` (empty: the default).
    #[must_use]
    pub fn escalated_to(&self, to: &BodyId, override_by: BTreeSet<MemberId>) -> Route {
        let rest = match self.escalation.iter().position(|b| b == to) {
            Some(i) => self.escalation.iter().skip(i + 1).cloned().collect(),
            None => self.escalation.clone(),
        };
        Route {
            decider: to.clone(),
            escalation: rest,
            override_by,
            ..self.clone()
        }
    }

    /// The first body the decision escalates to, if any.
    pub fn escalates_to(&self) -> Option<&BodyId> {
        self.escalation.first()
    }

    /// The bodies whose advice must be answered, in order.
    pub fn advisers(&self) -> impl Iterator<Item = &BodyId> + '_ {
        self.consult
            .iter()
            .filter(|c| c.must_be_answered())
            .map(|c| &c.body)
    }

    /// Whether `body` must be consulted (for advice or views) before deciding.
    pub fn consults(&self, body: &BodyId) -> bool {
        self.consult.iter().any(|c| &c.body == body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::fixtures::{body, one_member_on};

    fn governance() -> Governance {
        let c = one_member_on(&["a", "b", "c"]);
        let mut map = GovernanceMap::new();
        map.add_edge(Edge::Decides {
            body: body("a"),
            kind: DecisionKind::Funding,
            method: Procedure::AutomaticDecline,
            when: Conditions::always().red_line(true),
        });
        map.add_edge(Edge::Decides {
            body: body("a"),
            kind: DecisionKind::Funding,
            method: Method::Delegated.into(),
            when: Conditions::always().red_line(false),
        });
        // Advice on every case, twice: listed once, and never for an automatic decline.
        for _ in 0..2 {
            map.add_edge(Edge::Advises {
                body: body("b"),
                kind: DecisionKind::Funding,
                when: Conditions::always(),
            });
        }
        for (from, to) in [("a", "b"), ("b", "c")] {
            map.add_edge(Edge::EscalatesTo {
                from: body(from),
                to: body(to),
                when: Conditions::always(),
            });
        }
        Governance::new(map, &c).unwrap()
    }

    #[test]
    fn consultees_are_listed_once_and_not_at_all_for_a_decline() {
        let g = governance();
        let route = g.route(&DecisionKind::Funding, RouteFacts::new()).unwrap();
        assert_eq!(route.consult.len(), 1);
        assert!(route.consults(&body("b")));
        assert_eq!(route.method(), Some(Method::Delegated));
        let declined = g
            .route(&DecisionKind::Funding, RouteFacts::new().red_line_hit())
            .unwrap();
        assert!(declined.consult.is_empty());
        assert_eq!(declined.method(), None);
    }

    #[test]
    fn the_escalation_chain_runs_to_its_end() {
        let g = governance();
        let case = RouteFacts::new().case(g.map().amount_bands());
        assert_eq!(g.escalation_chain(&body("a"), case), [body("b"), body("c")]);
        assert!(g.escalation_chain(&body("c"), case).is_empty());
        assert!(g.escalation_chain(&body("nobody"), case).is_empty());
    }

    #[test]
    fn an_escalated_route_is_decided_by_the_body_it_went_to_and_escalates_on_from_there() {
        let route = governance()
            .route(&DecisionKind::Funding, RouteFacts::new())
            .unwrap();
        let overriders = BTreeSet::from([MemberId::new(1)]);
        let escalated = route.escalated_to(&body("b"), overriders.clone());
        assert_eq!(escalated.decider, body("b"));
        assert_eq!(escalated.escalation, [body("c")]);
        assert_eq!(escalated.override_by, overriders);
        assert_eq!(
            (&escalated.procedure, &escalated.consult),
            (&route.procedure, &route.consult)
        );
        // Taken to the chain's end, nothing is left to escalate to.
        assert!(
            route
                .escalated_to(&body("c"), BTreeSet::new())
                .escalation
                .is_empty()
        );
    }
}
