//! The shared vocabulary of decisions: what kind of decision it is, by which method it is
//! taken, and how much is at stake.
//!
//! These small types are used by every process, by the governance map that routes decisions,
//! and by the value-check that tests them, so they live apart from all three.
//!
//! # Example
//!
//! ```
//! use coproduction::decision::{DecisionKind, Method, Tier};
//!
//! let kind: DecisionKind = "funding".parse()?;
//! assert_eq!(kind, DecisionKind::Funding);
//! let custom: DecisionKind = "website_redesign".parse()?;
//! assert_eq!(custom.to_string(), "website_redesign");
//!
//! let method: Method = serde_json::from_str(r#"{"type": "supermajority", "numerator": 2, "denominator": 3}"#)?;
//! assert_eq!(method, Method::Supermajority { numerator: 2, denominator: 3 });
//! assert!(Tier::Two >= Tier::One);
//! # Ok::<(), coproduction::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a decision is about. The governance map routes each kind to the bodies that decide,
/// advise, are consulted and are informed.
///
/// Serialised as a `snake_case` string: a built-in name, or any other slug for a custom kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[non_exhaustive]
pub enum DecisionKind {
    /// Whether to accept funding from an organisation.
    Funding,
    /// Whether to partner with an organisation.
    Partnership,
    /// The community's strategy and direction.
    Strategy,
    /// Recruiting people into roles, such as freelance co-producers.
    Recruitment,
    /// A way of working, such as the working model for co-producer roles.
    WorkingModel,
    /// Everyday running decisions.
    Operational,
    /// How the community itself decides: its governance.
    Governance,
    /// A kind the community defines; the slug names it.
    Custom(String),
}

impl DecisionKind {
    /// The built-in kinds, in a fixed order.
    pub const BUILT_IN: [DecisionKind; 7] = [
        DecisionKind::Funding,
        DecisionKind::Partnership,
        DecisionKind::Strategy,
        DecisionKind::Recruitment,
        DecisionKind::WorkingModel,
        DecisionKind::Operational,
        DecisionKind::Governance,
    ];

    /// The stable `snake_case` name of the kind.
    pub fn label(&self) -> &str {
        match self {
            DecisionKind::Funding => "funding",
            DecisionKind::Partnership => "partnership",
            DecisionKind::Strategy => "strategy",
            DecisionKind::Recruitment => "recruitment",
            DecisionKind::WorkingModel => "working_model",
            DecisionKind::Operational => "operational",
            DecisionKind::Governance => "governance",
            DecisionKind::Custom(slug) => slug,
        }
    }
}

impl DecisionKind {
    /// The built-in kind this one is a likely misspelling of: the nearest built-in kind at
    /// most two edits (insertions, deletions, substitutions) away, other than itself. What a
    /// check that refuses undeclared custom kinds suggests instead.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::decision::DecisionKind;
    ///
    /// let misspelt: DecisionKind = "fundng".parse()?;
    /// assert_eq!(misspelt.nearest_built_in(), Some(DecisionKind::Funding));
    /// let own: DecisionKind = "website_redesign".parse()?;
    /// assert_eq!(own.nearest_built_in(), None);
    /// assert_eq!(DecisionKind::Funding.nearest_built_in(), None);
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn nearest_built_in(&self) -> Option<DecisionKind> {
        if !matches!(self, DecisionKind::Custom(_)) {
            return None;
        }
        Self::BUILT_IN
            .into_iter()
            .map(|built_in| (edit_distance(self.label(), built_in.label()), built_in))
            .filter(|(distance, _)| *distance <= 2)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, built_in)| built_in)
    }
}

/// The Levenshtein distance between two slugs, over bytes (slugs are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.bytes().enumerate() {
        let mut row = current.iter_mut();
        if let Some(first) = row.next() {
            *first = i + 1;
        }
        let mut left = i + 1;
        for ((j, cb), cell) in b.bytes().enumerate().zip(row) {
            let diagonal = previous.get(j).copied().unwrap_or(usize::MAX);
            let up = previous.get(j + 1).copied().unwrap_or(usize::MAX);
            let substitution = diagonal.saturating_add(usize::from(ca != cb));
            *cell = substitution
                .min(up.saturating_add(1))
                .min(left.saturating_add(1));
            left = *cell;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

/// A decision kind that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid decision kind `{kind}`: a kind is a slug of a-z, 0-9 and `_`, starting with a letter"
)]
pub struct InvalidKind {
    /// The text that was refused.
    pub kind: String,
}

impl FromStr for DecisionKind {
    type Err = InvalidKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(kind) = Self::BUILT_IN.iter().find(|k| k.label() == s) {
            return Ok(kind.clone());
        }
        let slug = s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if slug {
            Ok(DecisionKind::Custom(s.to_owned()))
        } else {
            Err(InvalidKind { kind: s.to_owned() })
        }
    }
}

impl TryFrom<String> for DecisionKind {
    type Error = InvalidKind;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<DecisionKind> for String {
    fn from(kind: DecisionKind) -> Self {
        kind.label().to_owned()
    }
}

impl fmt::Display for DecisionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How a decision is taken.
///
/// Serialised internally tagged: `{"type": "consent"}`,
/// `{"type": "supermajority", "numerator": 2, "denominator": 3}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(tag = "type", rename_all = "snake_case", try_from = "MethodWire")]
#[non_exhaustive]
pub enum Method {
    /// Sociocratic consent: adopted when nobody holds a valid objection.
    Consent,
    /// Consensus: everyone agrees or stands aside; a block stops it.
    Consensus,
    /// More in favour than against.
    Majority,
    /// At least `numerator / denominator` of the votes cast in favour.
    Supermajority {
        /// The top of the required fraction.
        numerator: u32,
        /// The bottom of the required fraction.
        denominator: u32,
    },
    /// Advice process: a named decider decides after seeking and answering advice from those
    /// affected and those with expertise.
    AdviceProcess,
    /// A decision delegated to a person or team, who must publish a rationale.
    Delegated,
}

impl Method {
    /// The stable `snake_case` name of the method.
    pub fn label(self) -> &'static str {
        self.into()
    }
}

/// The strict reading of a [`Method`]. Serde's `deny_unknown_fields` does not reach the unit
/// variants of an internally tagged enum, so methods are read through this struct, which
/// refuses unknown fields for every variant.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MethodWire {
    #[serde(rename = "type")]
    kind: String,
    numerator: Option<u32>,
    denominator: Option<u32>,
}

/// A method that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid method `{method}`: {reason}")]
pub struct InvalidMethod {
    /// The method's `type`.
    pub method: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl TryFrom<MethodWire> for Method {
    type Error = InvalidMethod;

    fn try_from(wire: MethodWire) -> Result<Self, Self::Error> {
        let invalid = |reason| InvalidMethod {
            method: wire.kind.clone(),
            reason,
        };
        let simple = match wire.kind.as_str() {
            "consent" => Some(Method::Consent),
            "consensus" => Some(Method::Consensus),
            "majority" => Some(Method::Majority),
            "advice_process" => Some(Method::AdviceProcess),
            "delegated" => Some(Method::Delegated),
            "supermajority" => None,
            _ => return Err(invalid("unknown method")),
        };
        match (simple, wire.numerator, wire.denominator) {
            (Some(method), None, None) => Ok(method),
            (Some(_), _, _) => Err(invalid(
                "only a supermajority takes a numerator and denominator",
            )),
            (None, Some(numerator), Some(denominator)) => {
                if denominator == 0 || numerator == 0 || numerator > denominator {
                    Err(invalid("the fraction must be more than 0 and at most 1"))
                } else {
                    Ok(Method::Supermajority {
                        numerator,
                        denominator,
                    })
                }
            }
            (None, _, _) => Err(invalid(
                "a supermajority needs a numerator and a denominator",
            )),
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Method::Supermajority {
                numerator,
                denominator,
            } => write!(f, "supermajority ({numerator}/{denominator})"),
            other => f.write_str(other.label()),
        }
    }
}

/// How much is at stake in a decision, which sets how widely it is consulted on and how it
/// is decided (see the routing table in the crate's process notes). Tiers are ordered.
///
/// Serialised as the number `0` to `3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Tier {
    /// Small amount, low risk.
    Zero,
    /// Medium amount or medium risk.
    One,
    /// Large amount or high risk: a conflict of interest, conditions on publication or voice,
    /// a reputational flag.
    Two,
    /// An institutional policy applies as well.
    Three,
}

impl Tier {
    /// Every tier, lowest first.
    pub const ALL: [Tier; 4] = [Tier::Zero, Tier::One, Tier::Two, Tier::Three];

    /// The tier's number, `0` to `3`.
    pub fn number(self) -> u8 {
        match self {
            Tier::Zero => 0,
            Tier::One => 1,
            Tier::Two => 2,
            Tier::Three => 3,
        }
    }
}

/// A tier number outside `0..=3`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid tier {tier}: tiers are 0 to 3")]
pub struct InvalidTier {
    /// The refused number.
    pub tier: u8,
}

impl TryFrom<u8> for Tier {
    type Error = InvalidTier;

    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Tier::ALL
            .into_iter()
            .find(|t| t.number() == n)
            .ok_or(InvalidTier { tier: n })
    }
}

impl From<Tier> for u8 {
    fn from(tier: Tier) -> Self {
        tier.number()
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tier {}", self.number())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_and_write_as_slugs() {
        for kind in DecisionKind::BUILT_IN {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(serde_json::from_str::<DecisionKind>(&json).unwrap(), kind);
        }
        assert_eq!(
            "working_model".parse::<DecisionKind>().unwrap(),
            DecisionKind::WorkingModel
        );
        assert_eq!(
            "library_of_resources".parse::<DecisionKind>().unwrap(),
            DecisionKind::Custom("library_of_resources".into())
        );
        assert_eq!(
            "Funding".parse::<DecisionKind>(),
            Err(InvalidKind {
                kind: "Funding".into()
            })
        );
        assert!("".parse::<DecisionKind>().is_err());
        assert!(serde_json::from_str::<DecisionKind>(r#""two words""#).is_err());
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("funding", "funding"), 0);
        assert_eq!(edit_distance("fundng", "funding"), 1);
        assert_eq!(edit_distance("fundings", "funding"), 1);
        assert_eq!(edit_distance("fumding", "funding"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("operations", "operational"), 2);
        let kind = |s: &str| s.parse::<DecisionKind>().unwrap();
        assert_eq!(
            kind("stratgy").nearest_built_in(),
            Some(DecisionKind::Strategy)
        );
        assert_eq!(
            kind("govrnanse").nearest_built_in(),
            Some(DecisionKind::Governance)
        );
        assert_eq!(kind("website").nearest_built_in(), None);
    }

    #[test]
    fn methods_are_internally_tagged() {
        assert_eq!(
            serde_json::to_string(&Method::AdviceProcess).unwrap(),
            r#"{"type":"advice_process"}"#
        );
        assert!(serde_json::from_str::<Method>(r#"{"type":"consent","quorum":3}"#).is_err());
        assert!(serde_json::from_str::<Method>(r#"{"type":"consent","numerator":3}"#).is_err());
        assert!(
            serde_json::from_str::<Method>(r#"{"type":"supermajority","numerator":3}"#).is_err()
        );
        assert!(
            serde_json::from_str::<Method>(
                r#"{"type":"supermajority","numerator":3,"denominator":2}"#
            )
            .is_err()
        );
        assert!(serde_json::from_str::<Method>(r#"{"type":"sortition"}"#).is_err());
        assert_eq!(
            serde_json::from_str::<Method>(r#"{"type":"majority"}"#).unwrap(),
            Method::Majority
        );
        assert_eq!(
            Method::Supermajority {
                numerator: 2,
                denominator: 3
            }
            .to_string(),
            "supermajority (2/3)"
        );
    }

    #[test]
    fn tiers_are_numbers_zero_to_three() {
        assert_eq!(serde_json::to_string(&Tier::Two).unwrap(), "2");
        assert_eq!(serde_json::from_str::<Tier>("3").unwrap(), Tier::Three);
        assert!(serde_json::from_str::<Tier>("4").is_err());
        assert_eq!(Tier::try_from(7), Err(InvalidTier { tier: 7 }));
        assert!(Tier::Zero < Tier::Three);
    }
}
