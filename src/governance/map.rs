//! The governance map: a petgraph graph of bodies and decision kinds, and its JSON shape.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use petgraph::Direction;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, Community, MemberId};
use crate::decision::{DecisionKind, Method};

use super::{AmountBands, Conditions, GovernanceDot, GovernanceError};

/// How a deciding body takes a decision: by a [`Method`], or, for a red-line hit, by an
/// automatic decline.
///
/// The routing table in the process notes sends a red-line hit to an automatic decline,
/// with nobody consulted and the reason published. Such a route still names one body: the
/// body that records the decline and publishes the reason. No round is held, so
/// [`Route::method`](super::Route::method) is `None`.
///
/// Serialised like a [`Method`], with one more `type`: `{"type": "consent"}`,
/// `{"type": "automatic_decline"}`. Unknown fields are refused for every type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "serde_json::Value", into = "serde_json::Value")]
#[non_exhaustive]
pub enum Procedure {
    /// The body decides by this method.
    Method(Method),
    /// The decision is declined without deliberation; the body publishes the reason.
    AutomaticDecline,
}

impl Procedure {
    /// The stable `snake_case` name: the method's, or `automatic_decline`.
    pub fn label(self) -> &'static str {
        match self {
            Procedure::Method(m) => m.label(),
            Procedure::AutomaticDecline => "automatic_decline",
        }
    }
}

impl From<Method> for Procedure {
    fn from(method: Method) -> Self {
        Procedure::Method(method)
    }
}

impl TryFrom<serde_json::Value> for Procedure {
    type Error = GovernanceError;

    fn try_from(value: serde_json::Value) -> Result<Self, Self::Error> {
        let is_decline = value
            .as_object()
            .and_then(|o| o.get("type"))
            .and_then(|t| t.as_str())
            == Some("automatic_decline");
        if is_decline {
            return match value.as_object().map(|o| o.len()) {
                Some(1) => Ok(Procedure::AutomaticDecline),
                _ => Err(GovernanceError::InvalidMethod {
                    reason: "`automatic_decline` takes no other fields".to_owned(),
                }),
            };
        }
        serde_json::from_value::<Method>(value)
            .map(Procedure::Method)
            .map_err(|e| GovernanceError::InvalidMethod {
                reason: e.to_string(),
            })
    }
}

impl From<Procedure> for serde_json::Value {
    fn from(procedure: Procedure) -> Self {
        match procedure {
            Procedure::Method(m) => {
                serde_json::to_value(m).unwrap_or_else(|_| serde_json::json!({ "type": m.label() }))
            }
            Procedure::AutomaticDecline => serde_json::json!({ "type": "automatic_decline" }),
        }
    }
}

impl fmt::Display for Procedure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Procedure::Method(m) => write!(f, "{m}"),
            Procedure::AutomaticDecline => f.write_str("automatic decline"),
        }
    }
}

/// A node of the map: a body or a decision kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MapNode {
    /// A body of the community.
    Body(BodyId),
    /// A kind of decision.
    Kind(DecisionKind),
}

/// An edge of the map: who does what for which kind, and when.
///
/// Serialised internally tagged, e.g.
/// `{"type": "decides", "body": "staff_team", "kind": "operational",
/// "method": {"type": "advice_process"}, "when": {}}`; `when` may be left out (always).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Edge {
    /// `body` takes decisions of `kind`, by `method`, in the cases `when` matches.
    Decides {
        /// The deciding body.
        body: BodyId,
        /// The kind decided.
        kind: DecisionKind,
        /// How it decides.
        method: Procedure,
        /// When this edge applies.
        #[serde(default, skip_serializing_if = "Conditions::is_always")]
        when: Conditions,
    },
    /// `body` gives advice the decider must seek first and answer, one piece at a time (the
    /// advice process; the Allies Group as critical friends).
    Advises {
        /// The advising body.
        body: BodyId,
        /// The kind.
        kind: DecisionKind,
        /// When this edge applies.
        #[serde(default, skip_serializing_if = "Conditions::is_always")]
        when: Conditions,
    },
    /// `body` is asked for its views first (an open comment window, a co-creation
    /// session); its views are recorded and summarised but need no answer one by one.
    Consulted {
        /// The consulted body.
        body: BodyId,
        /// The kind.
        kind: DecisionKind,
        /// When this edge applies.
        #[serde(default, skip_serializing_if = "Conditions::is_always")]
        when: Conditions,
    },
    /// `body` is told the outcome.
    Informed {
        /// The informed body.
        body: BodyId,
        /// The kind.
        kind: DecisionKind,
        /// When this edge applies.
        #[serde(default, skip_serializing_if = "Conditions::is_always")]
        when: Conditions,
    },
    /// When `from` cannot decide (a process breakdown, a valid objection left open), the
    /// decision goes to `to`: the next broader circle.
    EscalatesTo {
        /// The body escalating.
        from: BodyId,
        /// The body it escalates to.
        to: BodyId,
        /// When this edge applies.
        #[serde(default, skip_serializing_if = "Conditions::is_always")]
        when: Conditions,
    },
}

impl Edge {
    /// The stable `snake_case` name of the relation.
    pub fn label(&self) -> &'static str {
        self.into()
    }

    /// When the edge applies.
    pub fn when(&self) -> &Conditions {
        match self {
            Edge::Decides { when, .. }
            | Edge::Advises { when, .. }
            | Edge::Consulted { when, .. }
            | Edge::Informed { when, .. }
            | Edge::EscalatesTo { when, .. } => when,
        }
    }

    /// The source and target nodes.
    fn ends(&self) -> (MapNode, MapNode) {
        match self {
            Edge::Decides { body, kind, .. }
            | Edge::Advises { body, kind, .. }
            | Edge::Consulted { body, kind, .. }
            | Edge::Informed { body, kind, .. } => {
                (MapNode::Body(body.clone()), MapNode::Kind(kind.clone()))
            }
            Edge::EscalatesTo { from, to, .. } => {
                (MapNode::Body(from.clone()), MapNode::Body(to.clone()))
            }
        }
    }
}

impl fmt::Display for Edge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edge::Decides {
                body, kind, method, ..
            } => write!(f, "`{body}` decides `{kind}` by {method}"),
            Edge::Advises { body, kind, .. } => write!(f, "`{body}` advises on `{kind}`"),
            Edge::Consulted { body, kind, .. } => write!(f, "`{body}` consulted on `{kind}`"),
            Edge::Informed { body, kind, .. } => write!(f, "`{body}` informed of `{kind}`"),
            Edge::EscalatesTo { from, to, .. } => write!(f, "`{from}` escalates to `{to}`"),
        }?;
        let when = self.when();
        if *when != Conditions::always() {
            write!(f, " ({when})")?;
        }
        Ok(())
    }
}

/// Who decides, advises, is consulted and informed for each kind of decision, and where
/// decisions escalate: a directed graph with bodies and kinds as nodes.
///
/// Building is infallible and adds nodes as edges name them; whether the map makes sense
/// is checked by [`validate`](super::validate) or, to route decisions,
/// [`Governance::new`](super::Governance::new). Nodes and edges keep the order they were
/// added in, which the JSON and DOT output follow.
///
/// Serialised as `{"amount_bands": {...}, "kinds": [...], "edges": [...]}`; `kinds` lists
/// every kind in order, including kinds no edge names yet (validation then reports them as
/// undecided).
///
/// # Example
///
/// ```
/// use coproduction::community::BodyId;
/// use coproduction::decision::{DecisionKind, Method};
/// use coproduction::governance::{Conditions, Edge, GovernanceMap};
///
/// let mut map = GovernanceMap::new();
/// map.add_edge(Edge::Decides {
///     body: BodyId::new("staff_team")?,
///     kind: DecisionKind::Operational,
///     method: Method::AdviceProcess.into(),
///     when: Conditions::always(),
/// });
/// assert_eq!(map.kinds().collect::<Vec<_>>(), [&DecisionKind::Operational]);
/// assert_eq!(map.bodies().count(), 1);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "MapData", into = "MapData")]
pub struct GovernanceMap {
    bands: AmountBands,
    graph: StableDiGraph<MapNode, Edge>,
    nodes: HashMap<MapNode, NodeIndex>,
    override_by: BTreeMap<BodyId, BTreeSet<MemberId>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MapData {
    #[serde(default)]
    amount_bands: AmountBands,
    kinds: Vec<DecisionKind>,
    edges: Vec<Edge>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    override_by: BTreeMap<BodyId, BTreeSet<MemberId>>,
}

impl From<MapData> for GovernanceMap {
    fn from(data: MapData) -> Self {
        let mut map = GovernanceMap::with_amount_bands(data.amount_bands);
        for kind in data.kinds {
            map.add_kind(kind);
        }
        for edge in data.edges {
            map.add_edge(edge);
        }
        map.override_by = data.override_by;
        map
    }
}

impl From<GovernanceMap> for MapData {
    fn from(map: GovernanceMap) -> Self {
        Self {
            amount_bands: map.bands,
            kinds: map.kinds().cloned().collect(),
            edges: map.edges().cloned().collect(),
            override_by: map.override_by,
        }
    }
}

impl PartialEq for GovernanceMap {
    /// Maps are equal when their bands, kinds and edges are, in the same order.
    fn eq(&self, other: &Self) -> bool {
        self.bands == other.bands
            && self.kinds().eq(other.kinds())
            && self.bodies().eq(other.bodies())
            && self.edges().eq(other.edges())
            && self.override_by == other.override_by
    }
}

impl Eq for GovernanceMap {}

impl GovernanceMap {
    /// An empty map with the default (placeholder) [`AmountBands`].
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map reading amounts through `bands`.
    pub fn with_amount_bands(bands: AmountBands) -> Self {
        Self {
            bands,
            ..Self::default()
        }
    }

    /// Names the members who may override (or acknowledge) a finding of the value-check
    /// for decisions `body` takes, in place of the default: the facilitator of the process
    /// (a round's facilitator, a proposal's steward, a member of a funding decision's
    /// deciding body). An empty set restores the default.
    ///
    /// JSON: `"override_by": {"decision_circle": [13, 1]}` beside `edges`.
    pub fn set_override_by(&mut self, body: BodyId, members: BTreeSet<MemberId>) {
        if members.is_empty() {
            self.override_by.remove(&body);
        } else {
            self.override_by.insert(body, members);
        }
    }

    /// Who may override a finding for decisions `body` takes, if the map names anyone.
    pub fn override_by(&self, body: &BodyId) -> Option<&BTreeSet<MemberId>> {
        self.override_by.get(body)
    }

    /// Every body the map names overriders for, with them.
    pub fn overriders(&self) -> impl Iterator<Item = (&BodyId, &BTreeSet<MemberId>)> + '_ {
        self.override_by.iter()
    }

    /// The amount bands that turn amounts into tiers.
    pub fn amount_bands(&self) -> AmountBands {
        self.bands
    }

    /// Adds a kind of decision, if it is not there yet.
    pub fn add_kind(&mut self, kind: DecisionKind) {
        self.node(MapNode::Kind(kind));
    }

    /// Adds a body, if it is not there yet. Bodies are also added by the edges that name
    /// them; adding one first only fixes its place in the order.
    pub fn add_body(&mut self, body: BodyId) {
        self.node(MapNode::Body(body));
    }

    /// Adds an edge, and the body and kind nodes it names that are not there yet.
    pub fn add_edge(&mut self, edge: Edge) {
        let (from, to) = edge.ends();
        let a = self.node(from);
        let b = self.node(to);
        self.graph.add_edge(a, b, edge);
    }

    fn node(&mut self, node: MapNode) -> NodeIndex {
        if let Some(&ix) = self.nodes.get(&node) {
            return ix;
        }
        let ix = self.graph.add_node(node.clone());
        self.nodes.insert(node, ix);
        ix
    }

    /// The kinds, in the order added.
    pub fn kinds(&self) -> impl Iterator<Item = &DecisionKind> + '_ {
        self.graph.node_weights().filter_map(|n| match n {
            MapNode::Kind(k) => Some(k),
            MapNode::Body(_) => None,
        })
    }

    /// The bodies, in the order added.
    pub fn bodies(&self) -> impl Iterator<Item = &BodyId> + '_ {
        self.graph.node_weights().filter_map(|n| match n {
            MapNode::Body(b) => Some(b),
            MapNode::Kind(_) => None,
        })
    }

    /// The edges, in the order added.
    pub fn edges(&self) -> impl Iterator<Item = &Edge> + '_ {
        self.graph.edge_weights()
    }

    /// The edges that touch `body`, either way, in the order added.
    pub fn edges_of(&self, body: &BodyId) -> impl Iterator<Item = &Edge> + '_ {
        let ix = self.nodes.get(&MapNode::Body(body.clone())).copied();
        let mut edges: Vec<(petgraph::stable_graph::EdgeIndex, &Edge)> = ix
            .into_iter()
            .flat_map(|ix| {
                self.graph
                    .edges_directed(ix, Direction::Outgoing)
                    .chain(self.graph.edges_directed(ix, Direction::Incoming))
            })
            .map(|e| {
                use petgraph::visit::EdgeRef;
                (e.id(), e.weight())
            })
            .collect();
        edges.sort_by_key(|(id, _)| *id);
        edges.dedup_by_key(|(id, _)| *id);
        edges.into_iter().map(|(_, e)| e)
    }

    /// The graph underneath, for petgraph's algorithms. Node and edge indices are stable
    /// (nothing is ever removed) and follow the order of adding.
    pub fn graph(&self) -> &StableDiGraph<MapNode, Edge> {
        &self.graph
    }

    pub(crate) fn index_of(&self, node: &MapNode) -> Option<NodeIndex> {
        self.nodes.get(node).copied()
    }

    /// Checks the map against `community`; see [`validate`](super::validate).
    ///
    /// # Errors
    ///
    /// [`GovernanceError::InvalidMap`] listing every problem found.
    pub fn validate(&self, community: &Community) -> Result<(), GovernanceError> {
        super::validate(self, community)
    }

    /// The map as Graphviz DOT, with stable labels.
    pub fn dot(&self) -> GovernanceDot<'_> {
        GovernanceDot::new(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::fixtures::body;

    #[test]
    fn procedures_read_like_methods_with_a_strict_decline() {
        let p: Procedure = serde_json::from_str(r#"{"type":"automatic_decline"}"#).unwrap();
        assert_eq!(p, Procedure::AutomaticDecline);
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"type":"automatic_decline"}"#
        );
        let p: Procedure = serde_json::from_str(r#"{"type":"consent"}"#).unwrap();
        assert_eq!(p, Procedure::Method(Method::Consent));
        assert!(
            serde_json::from_str::<Procedure>(r#"{"type":"automatic_decline","why":1}"#).is_err()
        );
        assert!(serde_json::from_str::<Procedure>(r#"{"type":"consent","x":1}"#).is_err());
        assert!(serde_json::from_str::<Procedure>(r#""consent""#).is_err());
    }

    #[test]
    fn edges_refuse_unknown_fields_and_wrong_shapes() {
        let ok = r#"{"type":"advises","body":"allies_group","kind":"funding"}"#;
        assert!(serde_json::from_str::<Edge>(ok).is_ok());
        let extra = r#"{"type":"advises","body":"allies_group","kind":"funding","x":1}"#;
        assert!(serde_json::from_str::<Edge>(extra).is_err());
        let shape = r#"{"type":"escalates_to","body":"a","kind":"funding"}"#;
        assert!(serde_json::from_str::<Edge>(shape).is_err());
    }

    #[test]
    fn nodes_are_added_once_in_order() {
        let mut map = GovernanceMap::new();
        map.add_kind(DecisionKind::Strategy);
        map.add_edge(Edge::EscalatesTo {
            from: body("b"),
            to: body("a"),
            when: Conditions::always(),
        });
        map.add_edge(Edge::Informed {
            body: body("a"),
            kind: DecisionKind::Strategy,
            when: Conditions::always(),
        });
        assert_eq!(
            map.bodies().map(BodyId::as_str).collect::<Vec<_>>(),
            ["b", "a"]
        );
        assert_eq!(map.kinds().count(), 1);
        assert_eq!(map.edges_of(&body("a")).count(), 2);
        assert_eq!(map.edges_of(&body("zz")).count(), 0);
    }
}
