//! The offer, the red-line screen and tiering: pure functions of the offer and the policy.
//!
//! The tier is the highest of what the amount, the risks and institutional policy call for,
//! read the same way [`RouteFacts::case`] reads it, so the tier here is the tier
//! governance routes ([`route_facts`] gives the facts to route on).

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::decision::{DecisionKind, Tier};
use crate::governance::{AmountBands, RouteFacts};
use crate::limits::words;
use crate::values::{FundingCondition, Restriction};

use super::FundingError;
use super::config::FundingPolicy;

/// A risk the people triaging an offer found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RiskFactor {
    /// Someone involved in deciding has an interest in the funder.
    ConflictOfInterest,
    /// The funder's name could damage the community's reputation.
    ReputationalFlag,
    /// The community would depend on this one funder.
    DependencyOnOneFunder,
}

/// An offer of funding or partnership, as identified.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// Funding or partnership.
    pub kind: DecisionKind,
    /// Who offers it, described (`"A pharmaceutical company's foundation"`).
    pub funder: String,
    /// The funder's sector, screened against the red lines.
    pub sector: String,
    /// What is offered, in words.
    pub description: String,
    /// The amount in whole pounds, or the estimated value of what is offered in kind;
    /// `None` when no value is stated, which makes the offer at least tier 1
    /// ([`TierReason::NoAmountStated`]).
    pub amount: Option<u64>,
    /// The conditions attached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<FundingCondition>,
    /// The risks found.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub risks: BTreeSet<RiskFactor>,
    /// Whether an institutional policy applies (a host university's funding rules).
    #[serde(default)]
    pub institutional_policy: bool,
}

impl Offer {
    /// An offer of `kind` from `funder` in `sector`, with nothing else recorded.
    pub fn new(
        kind: DecisionKind,
        funder: impl Into<String>,
        sector: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            funder: funder.into(),
            sector: sector.into(),
            description: description.into(),
            amount: None,
            conditions: Vec::new(),
            risks: BTreeSet::new(),
            institutional_policy: false,
        }
    }

    /// Sets the amount, in whole pounds.
    #[must_use]
    pub fn amount(mut self, pounds: u64) -> Self {
        self.amount = Some(pounds);
        self
    }

    /// Adds a condition, restricting what `restricts` names.
    #[must_use]
    pub fn condition(
        mut self,
        text: impl Into<String>,
        restricts: impl IntoIterator<Item = Restriction>,
    ) -> Self {
        self.conditions.push(FundingCondition {
            text: text.into(),
            restricts: restricts.into_iter().collect(),
        });
        self
    }

    /// Adds a risk.
    #[must_use]
    pub fn risk(mut self, risk: RiskFactor) -> Self {
        self.risks.insert(risk);
        self
    }

    /// Records that an institutional policy applies.
    #[must_use]
    pub fn institutional_policy_applies(mut self) -> Self {
        self.institutional_policy = true;
        self
    }

    /// Checks what serde cannot.
    ///
    /// # Errors
    ///
    /// [`FundingError::InvalidOffer`] naming the field: a kind other than funding or
    /// partnership, a blank funder, sector or description, a blank condition, or a funder
    /// or sector with a word that mixes Latin letters with Cyrillic or Greek ones (`Tоbacco`
    /// with a Cyrillic `о`), which reads as one word and screens as another.
    pub fn validate(&self) -> Result<(), FundingError> {
        let invalid = |field, reason| Err(FundingError::InvalidOffer { field, reason });
        if !matches!(self.kind, DecisionKind::Funding | DecisionKind::Partnership) {
            return invalid("kind", "an offer is funding or a partnership");
        }
        for (field, text) in [
            ("funder", &self.funder),
            ("sector", &self.sector),
            ("description", &self.description),
        ] {
            if crate::limits::is_blank(text) {
                return invalid(field, "must not be blank");
            }
        }
        if self
            .conditions
            .iter()
            .any(|c| crate::limits::is_blank(&c.text))
        {
            return invalid("conditions", "a condition must say what it asks");
        }
        for (field, text) in [("funder", &self.funder), ("sector", &self.sector)] {
            if words(text).iter().any(|w| mixes_scripts(w)) {
                return invalid(
                    field,
                    "a word mixes Latin letters with Cyrillic or Greek ones, so it can read as one word and screen as another",
                );
            }
        }
        Ok(())
    }

    /// The restrictions the offer's conditions put on publication or voice.
    pub fn restrictions(&self) -> BTreeSet<Restriction> {
        self.conditions
            .iter()
            .flat_map(|c| c.restricts.iter().copied())
            .collect()
    }
}

/// A red line the offer crosses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum RedLineHit {
    /// The funder's sector is a red line.
    Sector {
        /// The sector.
        sector: String,
    },
    /// The funder is on a sanctions list.
    Sanctions {
        /// The name matched.
        name: String,
    },
}

impl fmt::Display for RedLineHit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedLineHit::Sector { sector } => {
                write!(f, "the {sector} sector is a red line of the funding policy")
            }
            RedLineHit::Sanctions { name } => write!(f, "`{name}` is on a sanctions list"),
        }
    }
}

/// The red lines `offer` crosses under `policy`: empty when the screen passes.
///
/// A sector crosses a red line when the red line's words stand together among its words, in
/// any case: `tobacco` is crossed by `Tobacco`, `tobacco industry` and `the Tobacco
/// Industry's foundation`, not by `tobaccos` or `farms` (for `arms`). A funder is on a
/// sanctions list when its name is one on the list, in any case, spacing and punctuation.
///
/// Both are read as a reader sees them: folded to their compatibility form (NFKC, so a
/// fullwidth `ｔｏｂａｃｃｏ` is `tobacco`) and without the characters that show as nothing (a
/// zero-width space, a soft hyphen, a word joiner: `tob\u{200B}acco` is `tobacco`).
/// Lookalike letters from another script are refused when the offer is identified
/// ([`Offer::validate`]), and invisible characters by the input limits
/// ([`InputError::InvisibleCharacter`](crate::limits::InputError::InvisibleCharacter)); the
/// screen folds them anyway, for an offer built in code.
///
/// # Example
///
/// ```
/// use coproduction::decision::DecisionKind;
/// use coproduction::funding::{FundingPolicy, Offer, screen};
///
/// let offer = Offer::new(DecisionKind::Funding, "A tobacco company", "Tobacco", "A grant");
/// assert_eq!(screen(&offer, &FundingPolicy::seed()).len(), 1);
/// let worded = Offer::new(DecisionKind::Funding, "A trust", "the tobacco industry", "A grant");
/// assert_eq!(screen(&worded, &FundingPolicy::seed()).len(), 1);
/// let farms = Offer::new(DecisionKind::Funding, "A trust", "Farms", "A grant");
/// assert!(screen(&farms, &FundingPolicy::seed()).is_empty());
/// let hidden = Offer::new(DecisionKind::Funding, "A trust", "to\u{AD}bacco", "A grant");
/// assert_eq!(screen(&hidden, &FundingPolicy::seed()).len(), 1);
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn screen(offer: &Offer, policy: &FundingPolicy) -> Vec<RedLineHit> {
    let same = |a: &str, b: &str| words(a) == words(b) && !words(a).is_empty();
    let sector = words(&offer.sector);
    let crosses = |red_line: &str| {
        let red_line = words(red_line);
        !red_line.is_empty() && sector.windows(red_line.len()).any(|w| w == red_line)
    };
    let mut hits = Vec::new();
    if let Some(sector) = policy.red_line_sectors.iter().find(|s| crosses(s)) {
        hits.push(RedLineHit::Sector {
            sector: sector.clone(),
        });
    }
    if let Some(name) = policy.sanctions.iter().find(|s| same(s, &offer.funder)) {
        hits.push(RedLineHit::Sanctions { name: name.clone() });
    }
    hits
}

/// Whether `word` holds letters of more than one of the Latin, Cyrillic and Greek scripts:
/// the scripts whose letters pass for each other (Latin `o`, Cyrillic `о`, Greek `ο`). A
/// word is written in one of them; a mix is a lookalike, or a slip nobody can see.
fn mixes_scripts(word: &str) -> bool {
    let (mut latin, mut cyrillic, mut greek) = (false, false, false);
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        match c {
            'a'..='z'
            | 'A'..='Z'
            | '\u{AA}'
            | '\u{BA}'
            | '\u{C0}'..='\u{24F}'
            | '\u{1E00}'..='\u{1EFF}'
            | '\u{2C60}'..='\u{2C7F}'
            | '\u{A720}'..='\u{A7FF}'
            | '\u{AB30}'..='\u{AB6F}' => latin = true,
            '\u{370}'..='\u{3FF}' | '\u{1F00}'..='\u{1FFF}' => greek = true,
            '\u{400}'..='\u{52F}'
            | '\u{1C80}'..='\u{1C8F}'
            | '\u{2DE0}'..='\u{2DFF}'
            | '\u{A640}'..='\u{A69F}' => cyrillic = true,
            _ => {}
        }
    }
    u8::from(latin) + u8::from(cyrillic) + u8::from(greek) > 1
}

/// Why an offer is in the tier it is in: each reason with the tier it calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum TierReason {
    /// No amount or value is stated (an offer in kind, or money not yet named): tier 1.
    /// Tier 0 is for a small amount at low risk, which an offer of unknown value is not
    /// known to be; tier 1 asks the critical friends and opens a comment window, so people
    /// beside the staff lead weigh what it is worth. Stating an amount, or the estimated
    /// value of what is given in kind, lets the bands read it instead.
    NoAmountStated {},
    /// The amount, read through the policy's bands.
    Amount {
        /// The amount in pounds.
        amount: u64,
        /// The tier it calls for.
        tier: Tier,
    },
    /// A declared conflict of interest: tier 2.
    ConflictOfInterest {},
    /// A condition restricts free publication: tier 2 (rule C5).
    RestrictsPublication {},
    /// A condition restricts contributors' voice: tier 2 (rule C5).
    RestrictsVoice {},
    /// A reputational flag: tier 2.
    ReputationalFlag {},
    /// Dependency on one funder: tier 1.
    DependencyOnOneFunder {},
    /// An institutional policy applies: tier 3.
    InstitutionalPolicy {},
}

impl TierReason {
    /// The tier this reason calls for.
    pub fn tier(self) -> Tier {
        match self {
            TierReason::Amount { tier, .. } => tier,
            TierReason::DependencyOnOneFunder {} | TierReason::NoAmountStated {} => Tier::One,
            TierReason::ConflictOfInterest {}
            | TierReason::RestrictsPublication {}
            | TierReason::RestrictsVoice {}
            | TierReason::ReputationalFlag {} => Tier::Two,
            TierReason::InstitutionalPolicy {} => Tier::Three,
        }
    }

    /// Whether the reason is a risk (not the amount, not institutional policy). A value
    /// not stated is a risk: it is what governance routes on when there is no amount.
    pub fn is_risk(self) -> bool {
        !matches!(
            self,
            TierReason::Amount { .. } | TierReason::InstitutionalPolicy {}
        )
    }
}

impl fmt::Display for TierReason {
    /// The reason in words, with the tier it calls for.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TierReason::NoAmountStated {} => f.write_str("no amount or value is stated"),
            TierReason::Amount { amount, .. } => write!(f, "the amount, £{amount}"),
            TierReason::ConflictOfInterest {} => f.write_str("a conflict of interest"),
            TierReason::RestrictsPublication {} => {
                f.write_str("a condition restricts free publication")
            }
            TierReason::RestrictsVoice {} => {
                f.write_str("a condition restricts contributors' voice")
            }
            TierReason::ReputationalFlag {} => f.write_str("a reputational flag"),
            TierReason::DependencyOnOneFunder {} => f.write_str("dependency on one funder"),
            TierReason::InstitutionalPolicy {} => f.write_str("an institutional policy applies"),
        }?;
        write!(f, " ({})", self.tier())
    }
}

/// The tier of an offer and every reason for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    /// The tier: the highest any reason calls for, tier 0 when none does.
    pub tier: Tier,
    /// The reasons, in a fixed order.
    pub reasons: Vec<TierReason>,
}

impl Triage {
    /// The tier the risks alone call for, if any risk was found.
    pub fn risk_tier(&self) -> Option<Tier> {
        self.reasons
            .iter()
            .filter(|r| r.is_risk())
            .map(|r| r.tier())
            .max()
    }
}

/// The tier of `offer` under `policy`, with the reasons.
///
/// Amount by the policy's bands, and an offer with no amount or value stated (in kind)
/// tier 1 or higher ([`TierReason::NoAmountStated`]); a conflict of interest, a
/// reputational flag and any condition restricting publication or voice force tier 2 or
/// higher (rule C5); dependency on one funder tier 1; an institutional policy tier 3.
///
/// # Example
///
/// ```
/// use coproduction::decision::{DecisionKind, Tier};
/// use coproduction::funding::{FundingPolicy, Offer, tier};
/// use coproduction::values::Restriction;
///
/// let offer = Offer::new(DecisionKind::Funding, "A foundation", "Health", "A grant")
///     .amount(3_000)
///     .condition("The funder approves papers first", [Restriction::Publication]);
/// let triage = tier(&offer, &FundingPolicy::seed());
/// assert_eq!(triage.tier, Tier::Two);
/// assert_eq!(triage.reasons.len(), 2);
///
/// let in_kind = Offer::new(DecisionKind::Partnership, "A developer", "Property", "Office space");
/// assert_eq!(tier(&in_kind, &FundingPolicy::seed()).tier, Tier::One);
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn tier(offer: &Offer, policy: &FundingPolicy) -> Triage {
    let mut reasons = Vec::new();
    match offer.amount {
        Some(amount) => reasons.push(TierReason::Amount {
            amount,
            tier: policy.amount_bands.tier(amount),
        }),
        None => reasons.push(TierReason::NoAmountStated {}),
    }
    if offer.risks.contains(&RiskFactor::ConflictOfInterest) {
        reasons.push(TierReason::ConflictOfInterest {});
    }
    let restrictions = offer.restrictions();
    if restrictions.contains(&Restriction::Publication) {
        reasons.push(TierReason::RestrictsPublication {});
    }
    if restrictions.contains(&Restriction::Voice) {
        reasons.push(TierReason::RestrictsVoice {});
    }
    if offer.risks.contains(&RiskFactor::ReputationalFlag) {
        reasons.push(TierReason::ReputationalFlag {});
    }
    if offer.risks.contains(&RiskFactor::DependencyOnOneFunder) {
        reasons.push(TierReason::DependencyOnOneFunder {});
    }
    if offer.institutional_policy {
        reasons.push(TierReason::InstitutionalPolicy {});
    }
    let tier = reasons.iter().map(|r| r.tier()).max().unwrap_or(Tier::Zero);
    Triage { tier, reasons }
}

/// The facts to route `offer` on with [`Governance::route`](crate::governance::Governance::route):
/// amount, the risks' tier, the red-line screen and institutional policy.
pub fn route_facts(offer: &Offer, policy: &FundingPolicy) -> RouteFacts {
    let triage = tier(offer, policy);
    RouteFacts {
        amount: offer.amount,
        risk: triage.risk_tier(),
        red_line: !screen(offer, policy).is_empty(),
        institutional_policy: offer.institutional_policy,
    }
}

/// The amount as the public register shows it: a band, not the figure; for an offer with no
/// amount or value stated (in kind), that it was not stated, which is not "no money".
///
/// # Example
///
/// ```
/// use coproduction::funding::amount_band;
/// use coproduction::governance::AmountBands;
///
/// assert_eq!(amount_band(Some(30_000), AmountBands::default()), "£25000 or more");
/// assert_eq!(amount_band(None, AmountBands::default()), "value not stated");
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn amount_band(amount: Option<u64>, bands: AmountBands) -> String {
    let (one, two) = (bands.tier_one_from(), bands.tier_two_from());
    match amount.map(|a| bands.tier(a)) {
        None => "value not stated".to_owned(),
        Some(Tier::Zero) => format!("under £{one}"),
        Some(Tier::One) => format!("£{one} to under £{two}"),
        Some(_) => format!("£{two} or more"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offer() -> Offer {
        Offer::new(
            DecisionKind::Funding,
            "A foundation",
            "Health",
            "A project grant",
        )
    }

    #[test]
    fn an_offer_with_no_amount_stated_is_tier_one_and_says_why() {
        let triage = tier(&offer(), &FundingPolicy::seed());
        assert_eq!(triage.tier, Tier::One);
        assert_eq!(triage.reasons, [TierReason::NoAmountStated {}]);
        // Governance routes it as tier 1 too.
        assert_eq!(triage.risk_tier(), Some(Tier::One));
        assert_eq!(
            route_facts(&offer(), &FundingPolicy::seed())
                .case(FundingPolicy::seed().amount_bands)
                .tier,
            Tier::One
        );
        assert_eq!(
            amount_band(None, FundingPolicy::seed().amount_bands),
            "value not stated"
        );
        assert_eq!(
            TierReason::NoAmountStated {}.to_string(),
            "no amount or value is stated (tier 1)"
        );
        // A stated value is read through the bands.
        let small = tier(&offer().amount(500), &FundingPolicy::seed());
        assert_eq!(small.tier, Tier::Zero);
        assert_eq!(small.risk_tier(), None);
    }

    #[test]
    fn screening_ignores_case_and_spaces() {
        let policy = FundingPolicy {
            sanctions: ["A sanctioned trust".to_owned()].into(),
            ..FundingPolicy::seed()
        };
        let hit = Offer::new(
            DecisionKind::Funding,
            " a SANCTIONED trust",
            " TOBACCO ",
            "x",
        );
        assert_eq!(screen(&hit, &policy).len(), 2);
        assert!(screen(&offer(), &policy).is_empty());
    }

    #[test]
    fn the_screen_reads_a_sector_as_it_shows() {
        let policy = FundingPolicy::seed();
        for sector in [
            "tob\u{200B}acco",
            "to\u{AD}bacco",
            "tob\u{2060}acco",
            "\u{FEFF}Tobacco industry",
            "\u{FF54}\u{FF4F}\u{FF42}\u{FF41}\u{FF43}\u{FF43}\u{FF4F}",
            "ＡＲＭＳ manufacturer",
        ] {
            let offer = Offer::new(DecisionKind::Funding, "A company", sector, "A grant");
            assert_eq!(screen(&offer, &policy).len(), 1, "{sector:?}");
        }
        let sanctioned = FundingPolicy {
            sanctions: ["A sanctioned trust".to_owned()].into(),
            ..policy
        };
        let offer = Offer::new(
            DecisionKind::Funding,
            "A sanc\u{200B}tioned  ｔｒｕｓｔ",
            "Trust",
            "A grant",
        );
        assert_eq!(screen(&offer, &sanctioned).len(), 1);
    }

    #[test]
    fn a_word_mixing_latin_with_cyrillic_or_greek_is_refused() {
        for (funder, sector, field) in [
            ("A company", "T\u{43E}bacco", "sector"),
            ("A company", "\u{430}rms manufacturer", "sector"),
            ("A c\u{3BF}mpany", "Trust", "funder"),
        ] {
            let offer = Offer::new(DecisionKind::Funding, funder, sector, "A grant");
            assert!(
                matches!(offer.validate(), Err(FundingError::InvalidOffer { field: f, .. }) if f == field),
                "{funder:?} {sector:?}"
            );
        }
        // A word in one script, beside words in another, is a name like any other.
        let offer = Offer::new(
            DecisionKind::Funding,
            "\u{424}\u{43E}\u{43D}\u{434} Prosvita",
            "Éducation populaire",
            "A grant",
        );
        assert_eq!(offer.validate(), Ok(()));
    }

    #[test]
    fn an_offer_of_another_kind_is_refused() {
        let mut o = offer();
        o.kind = DecisionKind::Strategy;
        assert!(matches!(
            o.validate(),
            Err(FundingError::InvalidOffer { field: "kind", .. })
        ));
    }

    #[test]
    fn the_offer_refuses_unknown_fields() {
        let mut json = serde_json::to_value(offer()).unwrap();
        json["junk"] = 1.into();
        assert!(serde_json::from_value::<Offer>(json).is_err());
        assert!(serde_json::from_str::<TierReason>(r#"{"type":"ConflictOfInterest"}"#).is_err());
        assert!(
            serde_json::from_str::<TierReason>(r#"{"type":"reputational_flag","junk":1}"#).is_err()
        );
    }
}
