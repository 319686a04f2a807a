//! Graphviz DOT output for transition graphs, as a `Display` adapter.

use std::fmt;

use super::{Phase, TransitionGraph};

/// Writes a [`TransitionGraph`] as Graphviz DOT.
///
/// The text is stable and documented: phases and edges in declaration order, each phase
/// named by its [`Phase::label`]; the start phase is drawn bold, final phases with a double
/// border. Made by [`TransitionGraph::dot`]; does no I/O.
///
/// # Example
///
/// ```
/// # use coproduction::machine::{Phase, TransitionGraph, Transitions};
/// #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
/// enum P { Open, Done }
/// impl Phase for P {
///     fn label(self) -> &'static str {
///         match self { P::Open => "open", P::Done => "done" }
///     }
/// }
/// let graph = TransitionGraph::new(&Transitions {
///     machine: "toy",
///     start: P::Open,
///     phases: &[P::Open, P::Done],
///     finals: &[P::Done],
///     edges: &[(P::Open, P::Done)],
/// })?;
/// assert_eq!(graph.dot().to_string(), "\
/// digraph \"toy\" {
///     rankdir=LR;
///     node [shape=box, style=rounded];
///     \"open\" [style=\"rounded,bold\"];
///     \"done\" [peripheries=2];
///     \"open\" -> \"done\";
/// }
/// ");
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Dot<'a, P: Phase> {
    graph: &'a TransitionGraph<P>,
}

impl<'a, P: Phase> Dot<'a, P> {
    pub(super) fn new(graph: &'a TransitionGraph<P>) -> Self {
        Self { graph }
    }
}

impl<P: Phase> fmt::Display for Dot<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = self.graph;
        writeln!(f, "digraph {} {{", Quoted::text(g.machine()))?;
        writeln!(f, "    rankdir=LR;")?;
        writeln!(f, "    node [shape=box, style=rounded];")?;
        for phase in g.phases() {
            let mut attrs = Vec::new();
            if phase == g.start() {
                attrs.push("style=\"rounded,bold\"");
            }
            if g.is_final(phase) {
                attrs.push("peripheries=2");
            }
            if attrs.is_empty() {
                writeln!(f, "    {};", Quoted::text(phase.label()))?;
            } else {
                writeln!(
                    f,
                    "    {} [{}];",
                    Quoted::text(phase.label()),
                    attrs.join(", ")
                )?;
            }
        }
        for (from, to) in g.transitions() {
            writeln!(
                f,
                "    {} -> {};",
                Quoted::text(from.label()),
                Quoted::text(to.label())
            )?;
        }
        writeln!(f, "}}")
    }
}

/// A DOT double-quoted identifier, prefix then text, with quotes, backslashes and newlines
/// escaped: the one quoting of every DOT the crate writes (transition graphs, governance
/// maps).
pub(crate) struct Quoted<'a>(pub(crate) &'static str, pub(crate) &'a str);

impl<'a> Quoted<'a> {
    /// `text`, quoted with no prefix.
    pub(crate) fn text(text: &'a str) -> Self {
        Quoted("", text)
    }
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.0.chars().chain(self.1.chars()) {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                c => fmt::Write::write_char(f, c)?,
            }
        }
        f.write_str("\"")
    }
}

#[cfg(test)]
mod tests {
    use super::Quoted;

    #[test]
    fn quoted_escapes_quotes_backslashes_and_newlines() {
        assert_eq!(Quoted::text("a\"b\\c\nd").to_string(), r#""a\"b\\c\nd""#);
        assert_eq!(Quoted("p:", "a\"b").to_string(), r#""p:a\"b""#);
    }
}
