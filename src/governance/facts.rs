//! The facts a decision is routed on, and the conditions edges put on them.
//!
//! Routing is kept decidable by reducing any facts to one of a small, finite set of
//! [`Case`]s: a tier, whether a red line was hit, and whether an institutional policy
//! applies. Amounts never reach a condition directly: the map's [`AmountBands`] turn an
//! amount into a tier first, so "every possible amount" is covered once every tier is.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::decision::Tier;

use super::GovernanceError;

/// Declares the wire twin of a type whose fields `new` checks: the same fields, read
/// strictly, so that a value read from the wire is checked by `new` like any other.
macro_rules! checked_wire {
    ($checked:ident, $wire:ident { $($field:ident: $ty:ty),+ $(,)? }) => {
        #[derive(Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $wire {
            $($field: $ty,)+
        }

        impl TryFrom<$wire> for $checked {
            type Error = GovernanceError;

            fn try_from(wire: $wire) -> Result<Self, Self::Error> {
                Self::new($(wire.$field),+)
            }
        }

        impl From<$checked> for $wire {
            fn from(checked: $checked) -> Self {
                Self {
                    $($field: checked.$field,)+
                }
            }
        }
    };
}

/// The amounts, in whole pounds, at which a decision moves up a tier.
///
/// An amount below `tier_one_from` is tier 0, below `tier_two_from` tier 1, and anything
/// larger tier 2. Amounts alone never make tier 3: that tier is for decisions an
/// institutional policy applies to (the routing table in the process notes).
///
/// Serialised as `{"tier_one_from": 2000, "tier_two_from": 25000}`; reading refuses bands
/// where tier 2 would start below tier 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "AmountBandsWire", into = "AmountBandsWire")]
pub struct AmountBands {
    tier_one_from: u64,
    tier_two_from: u64,
}

checked_wire!(
    AmountBands,
    AmountBandsWire {
        tier_one_from: u64,
        tier_two_from: u64,
    }
);

impl Default for AmountBands {
    /// Placeholder thresholds: tier 1 from £2,000, tier 2 from £25,000.
    fn default() -> Self {
        Self {
            tier_one_from: 2_000,
            tier_two_from: 25_000,
        }
    }
}

impl AmountBands {
    /// Bands with tier 1 starting at `tier_one_from` pounds and tier 2 at `tier_two_from`.
    ///
    /// # Errors
    ///
    /// [`GovernanceError::InvalidAmountBands`] if tier 2 would start below tier 1.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::decision::Tier;
    /// use coproduction::governance::AmountBands;
    ///
    /// let bands = AmountBands::new(1_000, 10_000)?;
    /// assert_eq!(bands.tier(999), Tier::Zero);
    /// assert_eq!(bands.tier(1_000), Tier::One);
    /// assert_eq!(bands.tier(10_000), Tier::Two);
    /// assert!(AmountBands::new(10_000, 1_000).is_err());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn new(tier_one_from: u64, tier_two_from: u64) -> Result<Self, GovernanceError> {
        if tier_two_from < tier_one_from {
            return Err(GovernanceError::InvalidAmountBands {
                tier_one_from,
                tier_two_from,
            });
        }
        Ok(Self {
            tier_one_from,
            tier_two_from,
        })
    }

    /// The amount, in whole pounds, from which a decision is tier 1.
    pub fn tier_one_from(self) -> u64 {
        self.tier_one_from
    }

    /// The amount, in whole pounds, from which a decision is tier 2.
    pub fn tier_two_from(self) -> u64 {
        self.tier_two_from
    }

    /// The tier an amount alone puts a decision in.
    pub fn tier(self, amount: u64) -> Tier {
        if amount >= self.tier_two_from {
            Tier::Two
        } else if amount >= self.tier_one_from {
            Tier::One
        } else {
            Tier::Zero
        }
    }
}

/// What is known about one decision when it is routed.
///
/// Serialised as `{"amount": 12000, "risk": 1, "red_line": false,
/// "institutional_policy": false}`; every field may be left out.
///
/// # Example
///
/// ```
/// use coproduction::decision::Tier;
/// use coproduction::governance::RouteFacts;
///
/// let facts = RouteFacts::new().amount(12_000).risk(Tier::One);
/// assert_eq!(facts.amount, Some(12_000));
/// assert!(!facts.red_line);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteFacts {
    /// The amount at stake, in whole pounds, if money is involved.
    pub amount: Option<u64>,
    /// The tier the risks alone call for (a conflict of interest, conditions on
    /// publication or voice, a reputational flag make tier 2), if they have been assessed.
    pub risk: Option<Tier>,
    /// Whether the red-line screen was hit (a red-line sector or a sanctions match).
    #[serde(default)]
    pub red_line: bool,
    /// Whether an institutional policy applies (a host institution's funding rules).
    #[serde(default)]
    pub institutional_policy: bool,
}

impl RouteFacts {
    /// No amount, no assessed risk, no red line, no institutional policy: tier 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the amount at stake, in whole pounds.
    #[must_use]
    pub fn amount(mut self, pounds: u64) -> Self {
        self.amount = Some(pounds);
        self
    }

    /// Sets the tier the risks alone call for.
    #[must_use]
    pub fn risk(mut self, tier: Tier) -> Self {
        self.risk = Some(tier);
        self
    }

    /// Records that the red-line screen was hit.
    #[must_use]
    pub fn red_line_hit(mut self) -> Self {
        self.red_line = true;
        self
    }

    /// Records that an institutional policy applies.
    #[must_use]
    pub fn institutional_policy_applies(mut self) -> Self {
        self.institutional_policy = true;
        self
    }

    /// The case these facts fall in, with amounts read through `bands`.
    ///
    /// The tier is the highest of the amount's tier and the risk tier; an institutional
    /// policy makes it tier 3.
    pub fn case(&self, bands: AmountBands) -> Case {
        let by_amount = self.amount.map_or(Tier::Zero, |a| bands.tier(a));
        let by_risk = self.risk.unwrap_or(Tier::Zero);
        let tier = if self.institutional_policy {
            Tier::Three
        } else {
            by_amount.max(by_risk)
        };
        Case {
            tier,
            red_line: self.red_line,
            institutional_policy: self.institutional_policy,
        }
    }
}

/// One of the finitely many situations a decision can be routed in.
///
/// Any [`RouteFacts`] reduce to exactly one case. There are ten reachable cases: tiers 0 to
/// 3 without an institutional policy, tier 3 with one, each with and without a red-line hit
/// ([`Case::all`]). Validation checks every kind against all ten, which is what makes
/// "exactly one decider for any facts" provable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The tier.
    pub tier: Tier,
    /// Whether the red-line screen was hit.
    pub red_line: bool,
    /// Whether an institutional policy applies (then the tier is 3).
    pub institutional_policy: bool,
}

impl Case {
    /// Every reachable case, in a fixed order: by institutional policy, red line, then
    /// tier.
    pub fn all() -> impl Iterator<Item = Case> {
        (0..16u8).filter_map(Case::from_bit)
    }

    /// The case's position in a [`CaseSet`]; `None` for an unreachable combination.
    fn from_bit(bit: u8) -> Option<Case> {
        let tier = Tier::try_from(bit & 3).ok()?;
        let case = Case {
            tier,
            red_line: bit & 4 != 0,
            institutional_policy: bit & 8 != 0,
        };
        (!case.institutional_policy || tier == Tier::Three).then_some(case)
    }

    pub(crate) fn bit(self) -> u8 {
        self.tier.number()
            | (u8::from(self.red_line) << 2)
            | (u8::from(self.institutional_policy) << 3)
    }
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, {}, {}",
            self.tier,
            if self.red_line {
                "red line hit"
            } else {
                "no red line"
            },
            if self.institutional_policy {
                "institutional policy"
            } else {
                "no institutional policy"
            }
        )
    }
}

/// A set of [`Case`]s as a bit mask: the compiled form of [`Conditions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct CaseSet(pub(crate) u16);

impl CaseSet {
    /// The reachable cases: every tier without an institutional policy (bits 0-7), tier 3
    /// with one (bits 11 and 15).
    const REACHABLE: u16 = 0x88FF;

    /// Every reachable case.
    pub(crate) fn reachable() -> Self {
        Self(Self::REACHABLE)
    }

    pub(crate) fn contains(self, case: Case) -> bool {
        self.0 & (1 << case.bit()) != 0
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub(crate) fn overlaps(self, other: CaseSet) -> bool {
        self.0 & other.0 != 0
    }

    /// The cases in the set, in [`Case::all`] order.
    pub(crate) fn cases(self) -> impl Iterator<Item = Case> {
        Case::all().filter(move |c| self.contains(*c))
    }
}

/// An inclusive range of tiers, `from` no higher than `to`.
///
/// Serialised as `{"from": 0, "to": 1}`; reading refuses a range that runs backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "TierRangeWire", into = "TierRangeWire")]
pub struct TierRange {
    from: Tier,
    to: Tier,
}

checked_wire!(
    TierRange,
    TierRangeWire {
        from: Tier,
        to: Tier
    }
);

impl TierRange {
    /// Tiers `from` to `to`, both included.
    ///
    /// # Errors
    ///
    /// [`GovernanceError::InvalidTierRange`] if `from` is above `to`.
    pub fn new(from: Tier, to: Tier) -> Result<Self, GovernanceError> {
        if from > to {
            return Err(GovernanceError::InvalidTierRange { from, to });
        }
        Ok(Self { from, to })
    }

    /// Only `tier`.
    pub fn exactly(tier: Tier) -> Self {
        Self {
            from: tier,
            to: tier,
        }
    }

    /// `tier` and every tier above it.
    pub fn at_least(tier: Tier) -> Self {
        Self {
            from: tier,
            to: Tier::Three,
        }
    }

    /// `tier` and every tier below it.
    pub fn at_most(tier: Tier) -> Self {
        Self {
            from: Tier::Zero,
            to: tier,
        }
    }

    /// The lowest tier in the range.
    pub fn from(self) -> Tier {
        self.from
    }

    /// The highest tier in the range.
    pub fn to(self) -> Tier {
        self.to
    }

    /// Whether `tier` is in the range.
    pub fn contains(self, tier: Tier) -> bool {
        self.from <= tier && tier <= self.to
    }
}

impl fmt::Display for TierRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "tiers {}-{}", self.from.number(), self.to.number())
        }
    }
}

/// When an edge of the governance map applies. A field left out matches every case.
///
/// Serialised as `{"tiers": {"from": 2, "to": 3}, "red_line": false}`; `{}` applies always.
///
/// # Example
///
/// ```
/// use coproduction::decision::Tier;
/// use coproduction::governance::{AmountBands, Conditions, RouteFacts, TierRange};
///
/// let when = Conditions::always().tiers(TierRange::at_least(Tier::Two)).red_line(false);
/// let bands = AmountBands::default();
/// assert!(when.matches(RouteFacts::new().amount(40_000).case(bands)));
/// assert!(!when.matches(RouteFacts::new().amount(40_000).red_line_hit().case(bands)));
/// assert_eq!(when.to_string(), "tiers 2-3, no red line");
/// # Ok::<(), coproduction::Error>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// The tiers the edge applies in; all when left out.
    pub tiers: Option<TierRange>,
    /// Whether the edge applies only with (`true`) or only without (`false`) a red-line
    /// hit; both when left out.
    pub red_line: Option<bool>,
    /// Whether the edge applies only where an institutional policy applies (`true`) or
    /// only where none does (`false`); both when left out.
    pub institutional_policy: Option<bool>,
}

impl Conditions {
    /// No conditions: the edge applies in every case.
    pub fn always() -> Self {
        Self::default()
    }

    /// Whether there are no conditions, so the edge applies in every case.
    pub fn is_always(&self) -> bool {
        *self == Self::always()
    }

    /// Limits the edge to a range of tiers.
    #[must_use]
    pub fn tiers(mut self, range: TierRange) -> Self {
        self.tiers = Some(range);
        self
    }

    /// Limits the edge to cases with (`true`) or without (`false`) a red-line hit.
    #[must_use]
    pub fn red_line(mut self, hit: bool) -> Self {
        self.red_line = Some(hit);
        self
    }

    /// Limits the edge to cases where an institutional policy does (`true`) or does not
    /// (`false`) apply.
    #[must_use]
    pub fn institutional_policy(mut self, applies: bool) -> Self {
        self.institutional_policy = Some(applies);
        self
    }

    /// Whether the edge applies in `case`.
    pub fn matches(&self, case: Case) -> bool {
        self.tiers.is_none_or(|r| r.contains(case.tier))
            && self.red_line.is_none_or(|r| r == case.red_line)
            && self
                .institutional_policy
                .is_none_or(|p| p == case.institutional_policy)
    }

    /// The reachable cases the conditions match, as a mask (bit = tier + 4 * red line +
    /// 8 * institutional policy). Computed with a few masks rather than by testing each
    /// case, since validation does this once per edge.
    pub(crate) fn cases(&self) -> CaseSet {
        let tiers = match self.tiers {
            Some(r) => (r.from.number()..=r.to.number()).fold(0u16, |m, t| m | (0x1111 << t)),
            None => 0xFFFF,
        };
        let red_line = match self.red_line {
            Some(true) => 0xF0F0,
            Some(false) => 0x0F0F,
            None => 0xFFFF,
        };
        let policy = match self.institutional_policy {
            Some(true) => 0xFF00,
            Some(false) => 0x00FF,
            None => 0xFFFF,
        };
        CaseSet(tiers & red_line & policy & CaseSet::REACHABLE)
    }
}

impl fmt::Display for Conditions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(range) = self.tiers {
            parts.push(range.to_string());
        }
        match self.red_line {
            Some(true) => parts.push("red line hit".to_owned()),
            Some(false) => parts.push("no red line".to_owned()),
            None => {}
        }
        match self.institutional_policy {
            Some(true) => parts.push("institutional policy".to_owned()),
            Some(false) => parts.push("no institutional policy".to_owned()),
            None => {}
        }
        if parts.is_empty() {
            f.write_str("always")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_reachable_cases_each_with_its_own_bit() {
        let all: Vec<Case> = Case::all().collect();
        assert_eq!(all.len(), 10);
        let mut bits: Vec<u8> = all.iter().map(|c| c.bit()).collect();
        bits.dedup();
        assert_eq!(bits.len(), 10);
        assert!(
            all.iter()
                .all(|c| !c.institutional_policy || c.tier == Tier::Three)
        );
        assert_eq!(CaseSet::reachable().cases().count(), 10);
    }

    #[test]
    fn the_case_mask_agrees_with_matching_each_case() {
        let all: u16 = Case::all().fold(0, |m, c| m | (1 << c.bit()));
        assert_eq!(CaseSet::reachable().0, all);
        let ranges = Tier::ALL.into_iter().flat_map(|a| {
            Tier::ALL
                .into_iter()
                .filter_map(move |b| TierRange::new(a, b).ok())
        });
        let flags = [None, Some(false), Some(true)];
        for tiers in ranges.map(Some).chain([None]) {
            for red_line in flags {
                for institutional_policy in flags {
                    let when = Conditions {
                        tiers,
                        red_line,
                        institutional_policy,
                    };
                    let slow = Case::all()
                        .filter(|c| when.matches(*c))
                        .fold(0, |m, c| m | (1 << c.bit()));
                    assert_eq!(when.cases().0, slow, "{when}");
                }
            }
        }
    }

    #[test]
    fn facts_take_the_highest_tier_and_policy_makes_tier_three() {
        let bands = AmountBands::new(1_000, 10_000).unwrap();
        assert_eq!(RouteFacts::new().case(bands).tier, Tier::Zero);
        assert_eq!(RouteFacts::new().amount(5_000).case(bands).tier, Tier::One);
        assert_eq!(
            RouteFacts::new()
                .amount(5_000)
                .risk(Tier::Two)
                .case(bands)
                .tier,
            Tier::Two
        );
        assert_eq!(
            RouteFacts::new()
                .amount(u64::MAX)
                .risk(Tier::Zero)
                .case(bands)
                .tier,
            Tier::Two
        );
        let policy = RouteFacts::new().institutional_policy_applies().case(bands);
        assert_eq!(policy.tier, Tier::Three);
        assert!(policy.institutional_policy);
    }

    #[test]
    fn every_facts_land_in_a_reachable_case() {
        let bands = AmountBands::default();
        for amount in [None, Some(0), Some(2_000), Some(30_000)] {
            for risk in [None, Some(Tier::Zero), Some(Tier::Three)] {
                for red_line in [false, true] {
                    for institutional_policy in [false, true] {
                        let facts = RouteFacts {
                            amount,
                            risk,
                            red_line,
                            institutional_policy,
                        };
                        assert!(CaseSet::reachable().contains(facts.case(bands)));
                    }
                }
            }
        }
    }

    #[test]
    fn conditions_read_strictly_and_print_plainly() {
        let when: Conditions =
            serde_json::from_str(r#"{"tiers":{"from":0,"to":1},"red_line":false}"#).unwrap();
        assert_eq!(when.to_string(), "tiers 0-1, no red line");
        assert_eq!(when.cases().cases().count(), 2);
        assert_eq!(Conditions::always().to_string(), "always");
        assert_eq!(Conditions::always().cases(), CaseSet::reachable());
        assert!(serde_json::from_str::<Conditions>(r#"{"tier":1}"#).is_err());
        assert!(serde_json::from_str::<Conditions>(r#"{"tiers":{"from":2,"to":1}}"#).is_err());
        assert!(
            serde_json::from_str::<Conditions>(r#"{"tiers":{"from":1,"to":2,"x":0}}"#).is_err()
        );
        assert!(serde_json::from_str::<RouteFacts>(r#"{"amount":1,"tier":2}"#).is_err());
        assert!(
            serde_json::from_str::<AmountBands>(r#"{"tier_one_from":9,"tier_two_from":1}"#)
                .is_err()
        );
    }
}
