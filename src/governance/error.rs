//! Why a governance map was refused, or a route could not be given.

use std::fmt;

use crate::community::BodyId;
use crate::decision::{DecisionKind, Tier};

use super::{Case, Edge};

/// One thing wrong with a governance map. [`GovernanceError::InvalidMap`] lists them all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MapProblem {
    /// For some cases no body decides this kind: a decision of that kind would have nobody
    /// to take it.
    #[error("kind `{kind}` has no deciding body for: {}", Cases(cases))]
    Undecided {
        /// The kind.
        kind: DecisionKind,
        /// The cases nobody decides.
        cases: Vec<Case>,
    },
    /// Two `decides` edges of one kind apply in the same case, so who decides would depend
    /// on which edge was read first.
    #[error(
        "kind `{kind}` has two deciders for the same case ({case}): `decides` edges from `{first}` and from `{second}`"
    )]
    TwoDeciders {
        /// The kind.
        kind: DecisionKind,
        /// The first case both apply in.
        case: Case,
        /// The body of the edge declared first.
        first: BodyId,
        /// The body of the edge declared later.
        second: BodyId,
    },
    /// An edge whose conditions match no reachable case (for example, an institutional
    /// policy below tier 3): it can never apply, which is almost certainly a mistake.
    #[error("edge {edge} never applies: its conditions match no case")]
    NeverApplies {
        /// The edge.
        edge: Edge,
    },
    /// A body escalates to two bodies in the same case.
    #[error("body `{body}` escalates to both `{first}` and `{second}` in the same case ({case})")]
    AmbiguousEscalation {
        /// The body escalating.
        body: BodyId,
        /// The first case both edges apply in.
        case: Case,
        /// The target of the edge declared first.
        first: BodyId,
        /// The target of the edge declared later.
        second: BodyId,
    },
    /// Escalation edges form a cycle, so following escalations might never end.
    #[error("escalation cycle: {}", Cycle(bodies))]
    EscalationCycle {
        /// The bodies on the cycle, in order; the last escalates to the first.
        bodies: Vec<BodyId>,
    },
    /// The map names a body the community does not have.
    #[error("body `{body}`{}, is not in the community", NamedBy(edge.as_ref()))]
    MissingBody {
        /// The missing body.
        body: BodyId,
        /// The first edge naming it; `None` for a body added without edges.
        edge: Option<Edge>,
    },
    /// The map names, as one who may override findings for a body, someone who is not a
    /// member of the community (or for a body the community does not have).
    #[error("`override_by` for `{body}` names {what}, which is not in the community")]
    UnknownOverrider {
        /// The body.
        body: BodyId,
        /// What is missing: the body, or member `m..`.
        what: String,
    },
    /// A body that decides some kind has no members, so nobody could take the decision.
    #[error("body `{body}` decides `{kind}` but has no members")]
    EmptyDecider {
        /// The empty body.
        body: BodyId,
        /// The first kind it decides.
        kind: DecisionKind,
    },
    /// A body whose advice a decision must seek and answer has no members, so no decision
    /// of the kind could gather it.
    #[error("body `{body}` advises on `{kind}` but has no members")]
    EmptyAdviser {
        /// The empty body.
        body: BodyId,
        /// The first kind it advises on.
        kind: DecisionKind,
    },
}

struct Cases<'a>(&'a [Case]);

impl fmt::Display for Cases<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, case) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{case}")?;
        }
        Ok(())
    }
}

struct Cycle<'a>(&'a [BodyId]);

impl fmt::Display for Cycle<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for body in self.0 {
            write!(f, "`{body}` -> ")?;
        }
        match self.0.first() {
            Some(first) => write!(f, "`{first}`"),
            None => Ok(()),
        }
    }
}

struct NamedBy<'a>(Option<&'a Edge>);

impl fmt::Display for NamedBy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(edge) => write!(f, ", named by the edge {edge}"),
            None => f.write_str(", listed in the map"),
        }
    }
}

struct Problems<'a>(&'a [MapProblem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            write!(f, "\n  {}. {problem}", i + 1)?;
        }
        Ok(())
    }
}

/// Why a governance map, or a part of one, was refused, or why a decision could not be
/// routed. Nothing is changed by a refusal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GovernanceError {
    /// A map could not be read from JSON.
    #[error("cannot read the governance map: {message}")]
    Json {
        /// What was wrong, with the line and column.
        message: String,
    },
    /// Validation found problems; every one is listed.
    #[error("the governance map was refused, with {} problem(s):{}", problems.len(), Problems(problems))]
    InvalidMap {
        /// What is wrong, in the order found: deciders, conditions, escalations, bodies.
        problems: Vec<MapProblem>,
    },
    /// A decision was to be routed for a kind the map does not have.
    #[error("cannot route a `{kind}` decision: the governance map has no such kind")]
    UnknownKind {
        /// The kind asked for.
        kind: DecisionKind,
    },
    /// Amount bands where tier 2 would start below tier 1.
    #[error(
        "invalid amount bands: tier 2 from £{tier_two_from} starts below tier 1 from £{tier_one_from}"
    )]
    InvalidAmountBands {
        /// Where tier 1 was to start.
        tier_one_from: u64,
        /// Where tier 2 was to start.
        tier_two_from: u64,
    },
    /// A tier range that runs backwards.
    #[error("invalid tier range: it runs from {from} down to {to}")]
    InvalidTierRange {
        /// The refused start.
        from: Tier,
        /// The refused end.
        to: Tier,
    },
    /// A decision was routed on a map whose index has no decider for the case. Validation
    /// makes this impossible; the variant exists so routing never panics.
    #[error("cannot route a `{kind}` decision: no deciding body for {case}")]
    NoDecider {
        /// The kind.
        kind: DecisionKind,
        /// The case.
        case: Case,
    },
    /// An edge's method could not be read.
    #[error("invalid method in a `decides` edge: {reason}")]
    InvalidMethod {
        /// What is wrong with it.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_numbered_and_cycles_close_on_their_start() {
        let a = BodyId::new("a").unwrap();
        let b = BodyId::new("b").unwrap();
        let err = GovernanceError::InvalidMap {
            problems: vec![
                MapProblem::EscalationCycle {
                    bodies: vec![a.clone(), b],
                },
                MapProblem::EmptyDecider {
                    body: a,
                    kind: DecisionKind::Operational,
                },
            ],
        };
        assert_eq!(
            err.to_string(),
            "the governance map was refused, with 2 problem(s):\n  1. escalation cycle: `a` -> `b` -> `a`\n  2. body `a` decides `operational` but has no members"
        );
    }
}
