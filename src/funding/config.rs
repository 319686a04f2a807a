//! The funding policy: red lines, sanctions, tier thresholds, checklists and consultation
//! settings, as configuration.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::community::BodyId;
use crate::decision::Tier;
use crate::governance::AmountBands;

use super::FundingError;

/// One due-diligence check (UK charity practice: proportionate checks, recorded).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Check {
    /// The funder is lawful to take money from and on no sanctions list.
    LegalAndSanctions,
    /// What the funder's name would do to the community's reputation.
    Reputation,
    /// Whether the funder's purpose fits the community's mission and ethics.
    EthicsAndMissionFit,
    /// Conflicts of interest declared, and the conflicted recused.
    ConflictsOfInterest,
    /// What the conditions attached would mean, publication and voice above all.
    Conditions,
    /// The funder's financial stability and the community's dependency on it.
    FinancialStability,
    /// How the partner itself involves the people its work affects.
    InvolvementPractice,
}

impl Check {
    /// Every check, in checklist order.
    pub const ALL: [Check; 7] = [
        Check::LegalAndSanctions,
        Check::Reputation,
        Check::EthicsAndMissionFit,
        Check::ConflictsOfInterest,
        Check::Conditions,
        Check::FinancialStability,
        Check::InvolvementPractice,
    ];

    /// The stable `snake_case` name, as the value-check's record lists it.
    pub fn label(self) -> &'static str {
        self.into()
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The checks each tier requires. Checks are proportionate: a higher tier asks for at
/// least what a lower one does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklists {
    /// Tier 0.
    pub tier_0: BTreeSet<Check>,
    /// Tier 1.
    pub tier_1: BTreeSet<Check>,
    /// Tier 2.
    pub tier_2: BTreeSet<Check>,
    /// Tier 3.
    pub tier_3: BTreeSet<Check>,
}

impl Checklists {
    /// The checks `tier` requires.
    pub fn for_tier(&self, tier: Tier) -> &BTreeSet<Check> {
        match tier {
            Tier::Zero => &self.tier_0,
            Tier::One => &self.tier_1,
            Tier::Two => &self.tier_2,
            Tier::Three => &self.tier_3,
        }
    }
}

impl Default for Checklists {
    /// Legal, sanctions, reputation and conflicts always; ethics and conditions from tier 1;
    /// financial stability and the partner's involvement practice from tier 2.
    fn default() -> Self {
        use Check as C;
        let t0: BTreeSet<Check> = [C::LegalAndSanctions, C::Reputation, C::ConflictsOfInterest]
            .into_iter()
            .collect();
        let mut t1 = t0.clone();
        t1.extend([C::EthicsAndMissionFit, C::Conditions]);
        let mut t2 = t1.clone();
        t2.extend([C::FinancialStability, C::InvolvementPractice]);
        Self {
            tier_0: t0,
            tier_1: t1,
            tier_3: t2.clone(),
            tier_2: t2,
        }
    }
}

impl FundingPolicy {
    /// The checks an offer in `tier` requires: the tier's checklist, and the conditions
    /// check whenever the offer has conditions, whatever the tier. Whether a condition
    /// restricts publication or voice (rule C5) rests on how it was tagged when the offer
    /// was identified; the conditions check has someone read each one.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::decision::{DecisionKind, Tier};
    /// use coproduction::funding::{Check, FundingPolicy, Offer};
    ///
    /// let policy = FundingPolicy::seed();
    /// let offer = Offer::new(DecisionKind::Funding, "A trust", "Trust", "Room hire").amount(500);
    /// assert!(!policy.checks_for(&offer, Tier::Zero).contains(&Check::Conditions));
    /// let offer = offer.condition("The trust approves what we publish about it", []);
    /// assert!(policy.checks_for(&offer, Tier::Zero).contains(&Check::Conditions));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn checks_for(&self, offer: &super::Offer, tier: Tier) -> BTreeSet<Check> {
        let mut checks = self.checklists.for_tier(tier).clone();
        if !offer.conditions.is_empty() {
            checks.insert(Check::Conditions);
        }
        checks
    }
}

/// A community's funding policy.
///
/// Serialised with unknown fields refused; [`FundingPolicy::validate`] checks the rest
/// (the decider runs it when an offer is identified).
///
/// # Example
///
/// ```
/// use coproduction::funding::FundingPolicy;
///
/// let policy: FundingPolicy = serde_json::from_str(r#"{
///     "red_line_sectors": ["tobacco"],
///     "sanctions": [],
///     "amount_bands": {"tier_one_from": 2000, "tier_two_from": 25000},
///     "comment_window_days": 7
/// }"#)?;
/// policy.validate()?;
/// assert!(policy.red_line_sectors.contains("tobacco"));
/// # Ok::<(), coproduction::Error>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingPolicy {
    /// Sectors the community never takes money from (university practice: no tobacco
    /// industry funding). Compared without regard to case.
    pub red_line_sectors: BTreeSet<String>,
    /// Names on the sanctions lists the community screens against. Compared without regard
    /// to case.
    #[serde(default)]
    pub sanctions: BTreeSet<String>,
    /// The amounts at which an offer moves up a tier: the governance map's bands, so the
    /// tier here is the tier governance routes.
    pub amount_bands: AmountBands,
    /// The due-diligence checks each tier requires.
    #[serde(default)]
    pub checklists: Checklists,
    /// How long an open comment window runs, in days (7 to 10).
    pub comment_window_days: u32,
    /// The lowest tier that holds an open comment window.
    #[serde(default = "tier_one")]
    pub comment_window_from_tier: Tier,
    /// The lowest tier that holds an open co-creation session.
    #[serde(default = "tier_two")]
    pub session_from_tier: Tier,
    /// The body whose advice counts as critical-friend input (the Allies Group).
    pub critical_friends: Option<BodyId>,
}

fn tier_one() -> Tier {
    Tier::One
}

fn tier_two() -> Tier {
    Tier::Two
}

impl FundingPolicy {
    /// The placeholder policy of the process notes: tobacco and arms are red lines, no
    /// sanctions names, tiers from £2,000 and £25,000, the default checklists, a seven-day
    /// comment window from tier 1, a session from tier 2, the `allies_group` as critical
    /// friends.
    pub fn seed() -> Self {
        Self {
            red_line_sectors: ["tobacco", "arms"].map(String::from).into(),
            sanctions: BTreeSet::new(),
            amount_bands: AmountBands::default(),
            checklists: Checklists::default(),
            comment_window_days: 7,
            comment_window_from_tier: Tier::One,
            session_from_tier: Tier::Two,
            critical_friends: BodyId::new("allies_group").ok(),
        }
    }

    /// Checks what serde cannot.
    ///
    /// # Errors
    ///
    /// [`FundingError::InvalidPolicy`] naming the field: a comment window outside 7 to 10
    /// days, a blank red-line sector or sanctions name, or a checklist that asks less of a
    /// higher tier than of a lower one.
    pub fn validate(&self) -> Result<(), FundingError> {
        let invalid = |field, reason| Err(FundingError::InvalidPolicy { field, reason });
        if !(7..=10).contains(&self.comment_window_days) {
            return invalid(
                "comment_window_days",
                "an open comment window runs 7 to 10 days",
            );
        }
        if self
            .red_line_sectors
            .iter()
            .any(|s| crate::limits::is_blank(s))
        {
            return invalid("red_line_sectors", "a sector must not be blank");
        }
        if self.sanctions.iter().any(|s| crate::limits::is_blank(s)) {
            return invalid("sanctions", "a name must not be blank");
        }
        let lists = &self.checklists;
        if !(lists.tier_0.is_subset(&lists.tier_1)
            && lists.tier_1.is_subset(&lists.tier_2)
            && lists.tier_2.is_subset(&lists.tier_3))
        {
            return invalid(
                "checklists",
                "a higher tier must require every check a lower tier does",
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_policy_is_valid() {
        assert_eq!(FundingPolicy::seed().validate(), Ok(()));
    }

    #[test]
    fn a_comment_window_outside_seven_to_ten_days_is_refused() {
        for days in [6, 11] {
            let policy = FundingPolicy {
                comment_window_days: days,
                ..FundingPolicy::seed()
            };
            assert!(matches!(
                policy.validate(),
                Err(FundingError::InvalidPolicy {
                    field: "comment_window_days",
                    ..
                })
            ));
        }
    }

    #[test]
    fn a_checklist_that_asks_less_of_a_higher_tier_is_refused() {
        let mut policy = FundingPolicy::seed();
        policy.checklists.tier_3.clear();
        assert!(policy.validate().is_err());
    }

    #[test]
    fn unknown_fields_are_refused() {
        let json = r#"{"red_line_sectors":[],"amount_bands":{"tier_one_from":1,"tier_two_from":2},"comment_window_days":7,"junk":1}"#;
        assert!(serde_json::from_str::<FundingPolicy>(json).is_err());
        let json = r#"{"tier_0":[],"tier_1":[],"tier_2":[],"tier_3":[],"tier_4":[]}"#;
        assert!(serde_json::from_str::<Checklists>(json).is_err());
    }

    #[test]
    fn an_offer_with_conditions_has_them_checked_at_any_tier() {
        use crate::decision::DecisionKind;
        let policy = FundingPolicy::seed();
        let plain = super::super::Offer::new(DecisionKind::Funding, "A trust", "Trust", "Rooms");
        let conditional = plain
            .clone()
            .condition("The trust approves what we publish about it", []);
        for tier in [Tier::Zero, Tier::One, Tier::Two, Tier::Three] {
            assert!(
                policy
                    .checks_for(&conditional, tier)
                    .contains(&Check::Conditions)
            );
            assert_eq!(
                &policy.checks_for(&plain, tier),
                policy.checklists.for_tier(tier)
            );
        }
    }

    #[test]
    fn check_labels_are_their_serde_names() {
        for check in Check::ALL {
            assert_eq!(
                serde_json::to_string(&check).unwrap(),
                format!("\"{}\"", check.label())
            );
        }
    }
}
