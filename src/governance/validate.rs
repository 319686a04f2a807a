//! Checking a governance map: one pass over the edges, one over the bodies, and one
//! depth-first search over the escalation edges, so validation is linear in the map.

use std::collections::HashMap;

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};

use crate::community::{BodyId, Community};
use crate::decision::DecisionKind;

use super::facts::CaseSet;
use super::{Case, Edge, GovernanceError, GovernanceMap, MapNode, MapProblem};

/// The routes of one kind, by case: what validation proves and routing reads.
#[derive(Debug, Clone)]
pub(crate) struct KindRoutes {
    /// The `decides` edge for each case bit; exactly one for every reachable case.
    pub(crate) deciders: [Option<EdgeIndex>; 16],
    pub(crate) advisers: Vec<(NodeIndex, CaseSet)>,
    pub(crate) consulted: Vec<(NodeIndex, CaseSet)>,
    pub(crate) informed: Vec<(NodeIndex, CaseSet)>,
}

impl KindRoutes {
    fn new() -> Self {
        Self {
            deciders: [None; 16],
            advisers: Vec::new(),
            consulted: Vec::new(),
            informed: Vec::new(),
        }
    }
}

/// What routing looks up: built only by a validation that found nothing wrong.
#[derive(Debug, Clone)]
pub(crate) struct RouteIndex {
    pub(crate) kinds: HashMap<DecisionKind, usize>,
    pub(crate) routes: Vec<KindRoutes>,
    /// Escalation edges by source node index: target and the cases they apply in.
    pub(crate) escalations: Vec<Vec<(NodeIndex, CaseSet)>>,
}

/// Checks that `map` can route every decision of its kinds, among the bodies of
/// `community`.
///
/// It refuses, naming the kinds and bodies involved ([`MapProblem`]):
///
/// - a kind with no deciding body for some [`Case`] ([`MapProblem::Undecided`]);
/// - two deciding bodies for the same kind and case ([`MapProblem::TwoDeciders`]);
/// - an edge whose conditions match no case ([`MapProblem::NeverApplies`]);
/// - a body escalating to two bodies in one case ([`MapProblem::AmbiguousEscalation`]);
/// - an escalation cycle, whatever the conditions on its edges
///   ([`MapProblem::EscalationCycle`]);
/// - a body the community does not have ([`MapProblem::MissingBody`]);
/// - a deciding body with no members ([`MapProblem::EmptyDecider`]);
/// - an advising body with no members, whose advice must be sought and answered
///   ([`MapProblem::EmptyAdviser`]).
///
/// Because every fact reduces to one of ten cases ([`Case::all`]), checking each kind
/// against each case proves that any facts get exactly one decider.
///
/// # Errors
///
/// [`GovernanceError::InvalidMap`] listing every problem found.
///
/// # Example
///
/// ```
/// use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
/// use coproduction::decision::{DecisionKind, Method, Tier};
/// use coproduction::governance::{
///     validate, Conditions, Edge, GovernanceError, GovernanceMap, MapProblem, TierRange,
/// };
///
/// let mut community = Community::new();
/// community.add_member(Member::new(MemberId::new(1), "Staff member 1").with_role(Role::Staff))?;
/// let staff = BodyId::new("staff_team")?;
/// community.add_body(
///     Body::new(staff.clone(), "Staff team", BodyKind::StaffTeam).with_members([MemberId::new(1)]),
/// )?;
///
/// let mut map = GovernanceMap::new();
/// map.add_edge(Edge::Decides {
///     body: staff.clone(),
///     kind: DecisionKind::Funding,
///     method: Method::AdviceProcess.into(),
///     when: Conditions::always().tiers(TierRange::at_most(Tier::One)),
/// });
/// let Err(GovernanceError::InvalidMap { problems }) = validate(&map, &community) else {
///     panic!("tiers 2 and 3 have no decider");
/// };
/// assert!(matches!(&problems[..], [MapProblem::Undecided { kind: DecisionKind::Funding, cases }] if cases.len() == 6));
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn validate(map: &GovernanceMap, community: &Community) -> Result<(), GovernanceError> {
    index(map, community).map(|_| ())
}

/// Validates and, when nothing is wrong, returns what routing looks up.
pub(crate) fn index(
    map: &GovernanceMap,
    community: &Community,
) -> Result<RouteIndex, GovernanceError> {
    let graph = map.graph();
    let bound = graph.node_bound();
    let mut problems = Vec::new();

    // Kinds in order, and each kind node's position among them.
    let mut kind_of_node = vec![usize::MAX; bound];
    let mut kinds = HashMap::new();
    let mut kind_names = Vec::new();
    for ix in graph.node_indices() {
        if let Some(MapNode::Kind(kind)) = graph.node_weight(ix) {
            if let Some(slot) = kind_of_node.get_mut(ix.index()) {
                *slot = kind_names.len();
            }
            kinds.insert(kind.clone(), kind_names.len());
            kind_names.push(kind);
        }
    }
    let mut routes = vec![KindRoutes::new(); kind_names.len()];
    let mut escalations: Vec<Vec<(NodeIndex, CaseSet)>> = vec![Vec::new(); bound];
    let mut escalation_cover = vec![0u16; bound];
    let reachable = CaseSet::reachable();

    for edge in graph.edge_references() {
        let weight = edge.weight();
        let cases = CaseSet(weight.when().cases().0 & reachable.0);
        if cases.is_empty() {
            problems.push(MapProblem::NeverApplies {
                edge: weight.clone(),
            });
            continue;
        }
        if let Edge::EscalatesTo { from, when: _, to } = weight {
            let cover = escalation_cover.get_mut(edge.source().index());
            let list = escalations.get_mut(edge.source().index());
            if let (Some(cover), Some(list)) = (cover, list) {
                // The cover mask makes the common, unambiguous case one AND; the list is
                // only searched to name the clashing edge.
                let clash = (*cover & cases.0 != 0)
                    .then(|| list.iter().find(|(_, m)| m.overlaps(cases)))
                    .flatten();
                if let Some(&(earlier, overlap)) = clash {
                    problems.push(MapProblem::AmbiguousEscalation {
                        body: from.clone(),
                        case: first_case(CaseSet(overlap.0 & cases.0)),
                        first: body_id(map, earlier).cloned().unwrap_or_else(|| to.clone()),
                        second: to.clone(),
                    });
                }
                *cover |= cases.0;
                list.push((edge.target(), cases));
            }
            continue;
        }
        let Some(kind_routes) = kind_of_node
            .get(edge.target().index())
            .and_then(|&k| routes.get_mut(k))
        else {
            continue;
        };
        match weight {
            Edge::Decides { body, kind, .. } => {
                let mut reported: Option<EdgeIndex> = None;
                for case in cases.cases() {
                    let Some(slot) = kind_routes.deciders.get_mut(usize::from(case.bit())) else {
                        continue;
                    };
                    match *slot {
                        None => *slot = Some(edge.id()),
                        Some(earlier) if reported != Some(earlier) => {
                            reported = Some(earlier);
                            let first = match graph.edge_weight(earlier) {
                                Some(Edge::Decides { body, .. }) => body.clone(),
                                _ => body.clone(),
                            };
                            problems.push(MapProblem::TwoDeciders {
                                kind: kind.clone(),
                                case,
                                first,
                                second: body.clone(),
                            });
                        }
                        Some(_) => {}
                    }
                }
            }
            Edge::Advises { .. } => kind_routes.advisers.push((edge.source(), cases)),
            Edge::Consulted { .. } => kind_routes.consulted.push((edge.source(), cases)),
            Edge::Informed { .. } => kind_routes.informed.push((edge.source(), cases)),
            Edge::EscalatesTo { .. } => {}
        }
    }

    for (kind, kind_routes) in kind_names.iter().zip(&routes) {
        let cases: Vec<Case> = Case::all()
            .filter(|c| {
                kind_routes
                    .deciders
                    .get(usize::from(c.bit()))
                    .is_none_or(Option::is_none)
            })
            .collect();
        if !cases.is_empty() {
            problems.push(MapProblem::Undecided {
                kind: (*kind).clone(),
                cases,
            });
        }
    }

    escalation_cycles(map, &escalations, &mut problems);
    check_bodies(map, community, &mut problems);

    if problems.is_empty() {
        Ok(RouteIndex {
            kinds,
            routes,
            escalations,
        })
    } else {
        Err(GovernanceError::InvalidMap { problems })
    }
}

fn first_case(set: CaseSet) -> Case {
    set.cases().next().unwrap_or(Case {
        tier: crate::decision::Tier::Zero,
        red_line: false,
        institutional_policy: false,
    })
}

pub(crate) fn body_id(map: &GovernanceMap, ix: NodeIndex) -> Option<&BodyId> {
    match map.graph().node_weight(ix) {
        Some(MapNode::Body(b)) => Some(b),
        _ => None,
    }
}

/// Finds every cycle among escalation edges by an iterative depth-first search: each back
/// edge closes one cycle, read off the search stack. Conditions are ignored on purpose: a
/// cycle that only some cases take is still a loop someone could be sent round.
fn escalation_cycles(
    map: &GovernanceMap,
    escalations: &[Vec<(NodeIndex, CaseSet)>],
    problems: &mut Vec<MapProblem>,
) {
    const WHITE: u8 = 0;
    const GREY: u8 = 1;
    const BLACK: u8 = 2;
    let mut colour = vec![WHITE; escalations.len()];
    let mut stack: Vec<(NodeIndex, usize)> = Vec::new();
    for start in map.graph().node_indices() {
        if colour.get(start.index()) != Some(&WHITE)
            || escalations.get(start.index()).is_none_or(Vec::is_empty)
        {
            continue;
        }
        if let Some(c) = colour.get_mut(start.index()) {
            *c = GREY;
        }
        stack.push((start, 0));
        while let Some((node, next)) = stack.last_mut() {
            let out = escalations.get(node.index()).and_then(|l| l.get(*next));
            let Some(&(target, _)) = out else {
                if let Some(c) = colour.get_mut(node.index()) {
                    *c = BLACK;
                }
                stack.pop();
                continue;
            };
            *next += 1;
            match colour.get(target.index()) {
                Some(&WHITE) => {
                    if let Some(c) = colour.get_mut(target.index()) {
                        *c = GREY;
                    }
                    stack.push((target, 0));
                }
                Some(&GREY) => {
                    let from = stack.iter().position(|(n, _)| *n == target).unwrap_or(0);
                    let bodies = stack
                        .iter()
                        .skip(from)
                        .filter_map(|(n, _)| body_id(map, *n).cloned())
                        .collect();
                    problems.push(MapProblem::EscalationCycle { bodies });
                }
                _ => {}
            }
        }
    }
}

/// Every body must exist in the community, and a body that decides must have members.
fn check_bodies(map: &GovernanceMap, community: &Community, problems: &mut Vec<MapProblem>) {
    let graph = map.graph();
    for ix in graph.node_indices() {
        let Some(MapNode::Body(id)) = graph.node_weight(ix) else {
            continue;
        };
        match community.body(id) {
            None => {
                let edge = graph
                    .edges_directed(ix, Direction::Outgoing)
                    .chain(graph.edges_directed(ix, Direction::Incoming))
                    .min_by_key(|e| e.id())
                    .map(|e| e.weight().clone());
                problems.push(MapProblem::MissingBody {
                    body: id.clone(),
                    edge,
                });
            }
            Some(body) if body.is_empty() => {
                let first = |advising: bool| {
                    graph
                        .edges_directed(ix, Direction::Outgoing)
                        .filter_map(|e| match e.weight() {
                            Edge::Decides { kind, .. } if !advising => Some((e.id(), kind)),
                            Edge::Advises { kind, .. } if advising => Some((e.id(), kind)),
                            _ => None,
                        })
                        .min_by_key(|(id, _)| *id)
                        .map(|(_, kind)| kind.clone())
                };
                if let Some(kind) = first(false) {
                    problems.push(MapProblem::EmptyDecider {
                        body: id.clone(),
                        kind,
                    });
                }
                // Advice the decider must seek and answer, from nobody, would hold every
                // decision of the kind where it stands.
                if let Some(kind) = first(true) {
                    problems.push(MapProblem::EmptyAdviser {
                        body: id.clone(),
                        kind,
                    });
                }
            }
            Some(_) => {}
        }
    }
    for (body, members) in map.overriders() {
        if community.body(body).is_none() {
            problems.push(MapProblem::UnknownOverrider {
                body: body.clone(),
                what: format!("body `{body}`"),
            });
        }
        for member in members.iter().filter(|m| community.member(**m).is_none()) {
            problems.push(MapProblem::UnknownOverrider {
                body: body.clone(),
                what: format!("member {member}"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::fixtures::{body, one_member_on as community};
    use crate::decision::Method;
    use crate::governance::Conditions;

    /// A map in which body `a` decides strategy by consent, always.
    fn strategy_decided_by_a() -> GovernanceMap {
        let mut map = GovernanceMap::new();
        map.add_edge(Edge::Decides {
            body: body("a"),
            kind: DecisionKind::Strategy,
            method: Method::Consent.into(),
            when: Conditions::always(),
        });
        map
    }

    #[test]
    fn the_index_holds_one_decider_per_reachable_case_and_nothing_else() {
        let map = strategy_decided_by_a();
        let index = index(&map, &community(&["a"])).unwrap();
        let routes = &index.routes[index.kinds[&DecisionKind::Strategy]];
        let filled = routes.deciders.iter().filter(|d| d.is_some()).count();
        assert_eq!(filled, Case::all().count());
        for case in Case::all() {
            assert!(routes.deciders[usize::from(case.bit())].is_some());
        }
    }

    #[test]
    fn a_diamond_of_escalations_is_not_a_cycle() {
        let mut map = strategy_decided_by_a();
        for (from, to, red_line) in [
            ("a", "b", true),
            ("a", "c", false),
            ("b", "d", true),
            ("c", "d", false),
        ] {
            map.add_edge(Edge::EscalatesTo {
                from: body(from),
                to: body(to),
                when: Conditions::always().red_line(red_line),
            });
        }
        assert!(index(&map, &community(&["a", "b", "c", "d"])).is_ok());
    }
}
