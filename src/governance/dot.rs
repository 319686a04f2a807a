//! Graphviz DOT output for governance maps, as a `Display` adapter.

use std::fmt;

use super::{Conditions, Edge, GovernanceMap, MapNode};
use crate::machine::Quoted;

/// Writes a [`GovernanceMap`] as Graphviz DOT. Made by [`GovernanceMap::dot`]; does no I/O.
///
/// The text is stable and documented, so tests can assert it: nodes then edges, each in the
/// order added. A body is a rounded box with id `body:<id>`, a kind an ellipse with id
/// `kind:<kind>`, each labelled with its bare slug. An edge is labelled with its relation,
/// the method for `decides`, and its conditions unless it always applies; `decides` edges
/// are bold, `consulted` dashed, `informed` dotted, `escalates_to` red.
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
/// assert_eq!(map.dot().to_string(), "\
/// digraph \"governance\" {
///     rankdir=LR;
///     node [shape=box, style=rounded];
///     \"body:staff_team\" [label=\"staff_team\"];
///     \"kind:operational\" [label=\"operational\", shape=ellipse];
///     \"body:staff_team\" -> \"kind:operational\" [label=\"decides by advice_process\", style=bold];
/// }
/// ");
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct GovernanceDot<'a> {
    map: &'a GovernanceMap,
}

impl<'a> GovernanceDot<'a> {
    pub(super) fn new(map: &'a GovernanceMap) -> Self {
        Self { map }
    }
}

impl fmt::Display for GovernanceDot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "digraph \"governance\" {{")?;
        writeln!(f, "    rankdir=LR;")?;
        writeln!(f, "    node [shape=box, style=rounded];")?;
        for node in self.map.graph().node_weights() {
            match node {
                MapNode::Body(b) => writeln!(
                    f,
                    "    {} [label={}];",
                    Quoted("body:", b.as_str()),
                    Quoted("", b.as_str())
                )?,
                MapNode::Kind(k) => writeln!(
                    f,
                    "    {} [label={}, shape=ellipse];",
                    Quoted("kind:", k.label()),
                    Quoted("", k.label())
                )?,
            }
        }
        for edge in self.map.edges() {
            let (from, to) = match edge {
                Edge::Decides { body, kind, .. }
                | Edge::Advises { body, kind, .. }
                | Edge::Consulted { body, kind, .. }
                | Edge::Informed { body, kind, .. } => (
                    Quoted("body:", body.as_str()),
                    Quoted("kind:", kind.label()),
                ),
                Edge::EscalatesTo { from, to, .. } => {
                    (Quoted("body:", from.as_str()), Quoted("body:", to.as_str()))
                }
            };
            let style = match edge {
                Edge::Decides { .. } => Some("style=bold"),
                Edge::Advises { .. } => None,
                Edge::Consulted { .. } => Some("style=dashed"),
                Edge::Informed { .. } => Some("style=dotted"),
                Edge::EscalatesTo { .. } => Some("color=red"),
            };
            let mut label = edge.label().to_owned();
            if let Edge::Decides { method, .. } = edge {
                label.push_str(" by ");
                label.push_str(&method.to_string());
            }
            if *edge.when() != Conditions::always() {
                label.push_str(" when ");
                label.push_str(&edge.when().to_string());
            }
            write!(f, "    {from} -> {to} [label={}", Quoted("", &label))?;
            if let Some(style) = style {
                write!(f, ", {style}")?;
            }
            writeln!(f, "];")?;
        }
        writeln!(f, "}}")
    }
}
