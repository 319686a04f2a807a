//! The checked transition graph of a machine.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, Reversed};

use super::{Dot, Phase, Transitions};

/// Why a transition declaration was refused, or why a run left the declared graph.
///
/// Every variant names the machine and the phase involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// A phase is listed twice in the declaration.
    #[error("machine `{machine}`: phase `{phase}` is declared twice")]
    DuplicatePhase {
        /// The machine.
        machine: &'static str,
        /// The phase listed twice.
        phase: &'static str,
    },
    /// The start, a final phase or an edge names a phase that is not declared.
    #[error("machine `{machine}`: phase `{phase}` is used by {used_by} but not declared")]
    UndeclaredPhase {
        /// The machine.
        machine: &'static str,
        /// The phase that is missing from the declaration.
        phase: &'static str,
        /// Where it was used: `"the start"`, `"the finals"` or `"an edge"`.
        used_by: &'static str,
    },
    /// The same edge is declared twice.
    #[error("machine `{machine}`: the transition `{from}` -> `{to}` is declared twice")]
    DuplicateTransition {
        /// The machine.
        machine: &'static str,
        /// The edge's source phase.
        from: &'static str,
        /// The edge's target phase.
        to: &'static str,
    },
    /// A final phase has an outgoing edge.
    #[error("machine `{machine}`: final phase `{phase}` has an exit to `{to}`")]
    FinalHasExit {
        /// The machine.
        machine: &'static str,
        /// The final phase.
        phase: &'static str,
        /// Where its exit leads.
        to: &'static str,
    },
    /// No path leads from the start to this phase.
    #[error("machine `{machine}`: phase `{phase}` cannot be reached from the start")]
    Unreachable {
        /// The machine.
        machine: &'static str,
        /// The unreachable phase.
        phase: &'static str,
    },
    /// A non-final phase from which no final phase can be reached: a run there never ends.
    #[error("machine `{machine}`: no final phase can be reached from phase `{phase}`")]
    CannotFinish {
        /// The machine.
        machine: &'static str,
        /// The phase that is a dead end.
        phase: &'static str,
    },
    /// A run moved between two phases that the graph does not connect.
    #[error("machine `{machine}`: the transition `{from}` -> `{to}` is not declared")]
    UndeclaredTransition {
        /// The machine.
        machine: &'static str,
        /// The phase the run was in.
        from: &'static str,
        /// The phase it moved to.
        to: &'static str,
    },
}

/// The phases and transitions of a machine, checked, on a petgraph graph.
///
/// Built only through [`TransitionGraph::new`], so a value of this type is a graph that
/// passed every check.
#[derive(Debug, Clone)]
pub struct TransitionGraph<P: Phase> {
    machine: &'static str,
    graph: DiGraph<P, ()>,
    nodes: BTreeMap<P, NodeIndex>,
    start: P,
    finals: BTreeSet<P>,
}

impl<P: Phase> TransitionGraph<P> {
    /// Builds and checks the graph of a declaration.
    ///
    /// # Errors
    ///
    /// In this order: [`GraphError::DuplicatePhase`], [`GraphError::UndeclaredPhase`],
    /// [`GraphError::DuplicateTransition`], [`GraphError::FinalHasExit`],
    /// [`GraphError::Unreachable`], [`GraphError::CannotFinish`]. Each names the first
    /// offending phase in declaration order.
    ///
    /// # Example
    ///
    /// ```
    /// # use coproduction::machine::{GraphError, Phase, TransitionGraph, Transitions};
    /// #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    /// enum P { Open, Stuck, Done }
    /// impl Phase for P {
    ///     fn label(self) -> &'static str {
    ///         match self { P::Open => "open", P::Stuck => "stuck", P::Done => "done" }
    ///     }
    /// }
    /// let broken = Transitions {
    ///     machine: "toy",
    ///     start: P::Open,
    ///     phases: &[P::Open, P::Stuck, P::Done],
    ///     finals: &[P::Done],
    ///     edges: &[(P::Open, P::Done), (P::Open, P::Stuck)],
    /// };
    /// assert_eq!(
    ///     TransitionGraph::new(&broken).unwrap_err(),
    ///     GraphError::CannotFinish { machine: "toy", phase: "stuck" },
    /// );
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn new(spec: &Transitions<P>) -> Result<Self, GraphError> {
        let machine = spec.machine;
        let mut graph = DiGraph::with_capacity(spec.phases.len(), spec.edges.len());
        let mut nodes = BTreeMap::new();
        for &phase in spec.phases {
            if nodes.insert(phase, graph.add_node(phase)).is_some() {
                return Err(GraphError::DuplicatePhase {
                    machine,
                    phase: phase.label(),
                });
            }
        }
        let node = |phase: P, used_by: &'static str| {
            nodes
                .get(&phase)
                .copied()
                .ok_or(GraphError::UndeclaredPhase {
                    machine,
                    phase: phase.label(),
                    used_by,
                })
        };
        let start = node(spec.start, "the start")?;
        let mut finals = BTreeSet::new();
        for &phase in spec.finals {
            node(phase, "the finals")?;
            finals.insert(phase);
        }
        let mut edges = Vec::with_capacity(spec.edges.len());
        for &(from, to) in spec.edges {
            let pair = (node(from, "an edge")?, node(to, "an edge")?);
            if edges.contains(&pair) {
                return Err(GraphError::DuplicateTransition {
                    machine,
                    from: from.label(),
                    to: to.label(),
                });
            }
            edges.push(pair);
        }
        for &(from, to) in spec.edges {
            if finals.contains(&from) {
                return Err(GraphError::FinalHasExit {
                    machine,
                    phase: from.label(),
                    to: to.label(),
                });
            }
        }
        for (from, to) in edges {
            graph.add_edge(from, to, ());
        }

        let mut reached = BTreeSet::new();
        let mut bfs = Bfs::new(&graph, start);
        while let Some(n) = bfs.next(&graph) {
            reached.insert(n);
        }
        let reversed = Reversed(&graph);
        let mut finishing = BTreeSet::new();
        for &phase in &finals {
            let mut bfs = Bfs::new(reversed, node(phase, "the finals")?);
            while let Some(n) = bfs.next(reversed) {
                finishing.insert(n);
            }
        }
        for &phase in spec.phases {
            if !reached.contains(&node(phase, "the phases")?) {
                return Err(GraphError::Unreachable {
                    machine,
                    phase: phase.label(),
                });
            }
        }
        for &phase in spec.phases {
            if !finishing.contains(&node(phase, "the phases")?) {
                return Err(GraphError::CannotFinish {
                    machine,
                    phase: phase.label(),
                });
            }
        }
        Ok(Self {
            machine,
            graph,
            nodes,
            start: spec.start,
            finals,
        })
    }

    /// The machine's name.
    pub fn machine(&self) -> &'static str {
        self.machine
    }

    /// The start phase.
    pub fn start(&self) -> P {
        self.start
    }

    /// Whether `phase` is final.
    pub fn is_final(&self, phase: P) -> bool {
        self.finals.contains(&phase)
    }

    /// Every phase, in declaration order.
    pub fn phases(&self) -> impl Iterator<Item = P> + '_ {
        self.graph.node_weights().copied()
    }

    /// Every transition `(from, to)`, in declaration order.
    pub fn transitions(&self) -> impl Iterator<Item = (P, P)> + '_ {
        self.graph.raw_edges().iter().filter_map(|edge| {
            let from = self.graph.node_weight(edge.source())?;
            let to = self.graph.node_weight(edge.target())?;
            Some((*from, *to))
        })
    }

    /// The phases reachable in one step from `phase`, in declaration order.
    pub fn successors(&self, phase: P) -> Vec<P> {
        self.transitions()
            .filter(|&(from, _)| from == phase)
            .map(|(_, to)| to)
            .collect()
    }

    /// Whether the graph declares the transition `from -> to`.
    pub fn allows(&self, from: P, to: P) -> bool {
        match (self.nodes.get(&from), self.nodes.get(&to)) {
            (Some(&a), Some(&b)) => self.graph.contains_edge(a, b),
            _ => false,
        }
    }

    /// Checks one step of a run: staying in a phase is always allowed; a change must be a
    /// declared transition.
    ///
    /// # Errors
    ///
    /// [`GraphError::UndeclaredTransition`] naming both phases.
    pub fn check_step(&self, from: P, to: P) -> Result<(), GraphError> {
        if from == to || self.allows(from, to) {
            Ok(())
        } else {
            Err(GraphError::UndeclaredTransition {
                machine: self.machine,
                from: from.label(),
                to: to.label(),
            })
        }
    }

    /// A [`Display`](std::fmt::Display) adapter that writes the graph as Graphviz DOT.
    pub fn dot(&self) -> Dot<'_, P> {
        Dot::new(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    enum T {
        A,
        B,
        C,
    }

    impl Phase for T {
        fn label(self) -> &'static str {
            match self {
                T::A => "a",
                T::B => "b",
                T::C => "c",
            }
        }
    }

    fn spec(
        phases: &'static [T],
        finals: &'static [T],
        edges: &'static [(T, T)],
    ) -> Transitions<T> {
        Transitions {
            machine: "t",
            start: T::A,
            phases,
            finals,
            edges,
        }
    }

    #[test]
    fn a_duplicate_phase_is_refused() {
        let err = TransitionGraph::new(&spec(&[T::A, T::A], &[T::A], &[])).unwrap_err();
        assert_eq!(
            err,
            GraphError::DuplicatePhase {
                machine: "t",
                phase: "a"
            }
        );
    }

    #[test]
    fn an_edge_to_an_undeclared_phase_is_refused() {
        let err = TransitionGraph::new(&spec(&[T::A, T::B], &[T::B], &[(T::A, T::C)])).unwrap_err();
        assert_eq!(
            err,
            GraphError::UndeclaredPhase {
                machine: "t",
                phase: "c",
                used_by: "an edge"
            }
        );
    }

    #[test]
    fn an_undeclared_start_is_refused() {
        let err = TransitionGraph::new(&spec(&[T::B], &[T::B], &[])).unwrap_err();
        assert_eq!(
            err,
            GraphError::UndeclaredPhase {
                machine: "t",
                phase: "a",
                used_by: "the start"
            }
        );
    }

    #[test]
    fn a_duplicate_edge_is_refused() {
        let err =
            TransitionGraph::new(&spec(&[T::A, T::B], &[T::B], &[(T::A, T::B), (T::A, T::B)]))
                .unwrap_err();
        assert_eq!(
            err,
            GraphError::DuplicateTransition {
                machine: "t",
                from: "a",
                to: "b"
            }
        );
    }

    #[test]
    fn a_machine_without_finals_cannot_finish() {
        let err = TransitionGraph::new(&spec(&[T::A, T::B], &[], &[(T::A, T::B)])).unwrap_err();
        assert_eq!(
            err,
            GraphError::CannotFinish {
                machine: "t",
                phase: "a"
            }
        );
    }

    #[test]
    fn check_step_allows_staying_and_declared_moves_only() {
        let g = TransitionGraph::new(&spec(&[T::A, T::B], &[T::B], &[(T::A, T::B)])).unwrap();
        assert!(g.check_step(T::A, T::A).is_ok());
        assert!(g.check_step(T::A, T::B).is_ok());
        assert_eq!(
            g.check_step(T::B, T::A).unwrap_err(),
            GraphError::UndeclaredTransition {
                machine: "t",
                from: "b",
                to: "a"
            }
        );
        assert!(!g.allows(T::A, T::C));
        assert_eq!(g.successors(T::A), vec![T::B]);
        assert!(g.is_final(T::B));
    }
}
