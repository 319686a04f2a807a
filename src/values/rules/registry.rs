//! The registry of built-in rules: from a charter's rule entry (id and settings) to a rule,
//! validating the settings once, at load.

use std::sync::Arc;

use crate::values::charter::{CharterError, CoreValue, RuleSpec};
use crate::values::rules::challenging::*;
use crate::values::rules::human::*;
use crate::values::rules::inclusive::*;
use crate::values::rules::transparent::*;
use crate::values::{RuleId, ValueId, ValueRule};

/// Every built-in rule id, in the order of the process notes' table.
pub(crate) const BUILTIN_IDS: [&str; 30] = [
    "H1", "H2", "H3", "H4", "H5", "H6", "I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8", "T1", "T2",
    "T3", "T4", "T5", "T6", "T7", "T8", "T9", "C1", "C2", "C3", "C4", "C5", "C6", "C7",
];

/// The settings each built-in rule takes.
fn allowed(id: &str) -> &'static [&'static str] {
    match id {
        "H2" => &["max_reimburse_days"],
        "H4" => &["min_notice_days"],
        "H5" => &["min_async_days"],
        "I1" => &["lived_experience_min_share", "blocking_kinds"],
        "I2" => &["lived_experience_quorum"],
        "I6" => &["min_advert_days"],
        "I8" => &["stakeholder_groups"],
        "T1" | "T6" => &["publish_days"],
        "C3" => &["from_tier"],
        "C7" => &["concern_review_months"],
        _ => &[],
    }
}

fn seed_value(id: &str) -> ValueId {
    match id.as_bytes().first() {
        Some(b'H') => ValueId::human(),
        Some(b'I') => ValueId::inclusive(),
        Some(b'T') => ValueId::transparent(),
        _ => ValueId::challenging(),
    }
}

/// Reads a whole-number setting, checking its range.
fn number(
    rule: &RuleId,
    field: &'static str,
    given: Option<u32>,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
    expected: &'static str,
) -> Result<u32, CharterError> {
    let n = given.unwrap_or(default);
    if range.contains(&n) {
        Ok(n)
    } else {
        Err(CharterError::OutOfRange {
            rule: rule.clone(),
            field,
            value: n.to_string(),
            expected,
        })
    }
}

/// A built rule and its entry with every setting spelled out.
pub(crate) struct Built {
    pub(crate) rule: Arc<dyn ValueRule>,
    pub(crate) spec: RuleSpec,
}

/// Builds the built-in rule a charter entry names, checking everything first.
pub(crate) fn build(entry: &RuleSpec, values: &[CoreValue]) -> Result<Built, CharterError> {
    let rule_id = &entry.id;
    let id = rule_id.as_str();
    if !BUILTIN_IDS.contains(&id) {
        return Err(CharterError::UnknownRule {
            rule: rule_id.clone(),
        });
    }
    let value = entry.value.clone().unwrap_or_else(|| seed_value(id));
    if !values.iter().any(|v| v.id == value) {
        return Err(CharterError::UndeclaredValue {
            rule: rule_id.clone(),
            field: "value",
            value,
        });
    }
    let takes = allowed(id);
    if let Some(field) = entry
        .settings_given()
        .into_iter()
        .find(|f| !takes.contains(f))
    {
        return Err(CharterError::SettingNotUsed {
            rule: rule_id.clone(),
            field,
        });
    }
    let mut spec = RuleSpec::new(rule_id.clone());
    spec.value = Some(value.clone());
    let rule: Arc<dyn ValueRule> = match id {
        "H1" => Arc::new(PaymentOffered { value }),
        "H2" => {
            let d = number(
                rule_id,
                "max_reimburse_days",
                entry.max_reimburse_days,
                ExpensesReimbursed::default().max_reimburse_days,
                1..=365,
                "1 to 365 days",
            )?;
            spec.max_reimburse_days = Some(d);
            Arc::new(ExpensesReimbursed {
                value,
                max_reimburse_days: d,
            })
        }
        "H3" => Arc::new(BenefitsAdviceSignposted { value }),
        "H4" => {
            let d = number(
                rule_id,
                "min_notice_days",
                entry.min_notice_days,
                PapersOnTime::default().min_notice_days,
                0..=90,
                "0 to 90 days",
            )?;
            spec.min_notice_days = Some(d);
            Arc::new(PapersOnTime {
                value,
                min_notice_days: d,
            })
        }
        "H5" => {
            let d = number(
                rule_id,
                "min_async_days",
                entry.min_async_days,
                AsyncRoundOpenLongEnough::default().min_async_days,
                1..=90,
                "1 to 90 days",
            )?;
            spec.min_async_days = Some(d);
            Arc::new(AsyncRoundOpenLongEnough {
                value,
                min_async_days: d,
            })
        }
        "H6" => Arc::new(ContributorsCredited { value }),
        "I1" => {
            let default = LivedExperienceShare::default();
            let share = entry
                .lived_experience_min_share
                .unwrap_or(default.lived_experience_min_share);
            if share.denominator == 0 || share.numerator > share.denominator {
                return Err(CharterError::OutOfRange {
                    rule: rule_id.clone(),
                    field: "lived_experience_min_share",
                    value: share.to_string(),
                    expected: "a fraction from 0 to 1 with a positive denominator",
                });
            }
            let kinds = entry
                .blocking_kinds
                .clone()
                .unwrap_or(default.blocking_kinds);
            spec.lived_experience_min_share = Some(share);
            spec.blocking_kinds = Some(kinds.clone());
            Arc::new(LivedExperienceShare {
                value,
                lived_experience_min_share: share,
                blocking_kinds: kinds,
            })
        }
        "I2" => {
            let n = number(
                rule_id,
                "lived_experience_quorum",
                entry.lived_experience_quorum,
                LivedExperienceQuorum::default().lived_experience_quorum,
                1..=10_000,
                "1 to 10000 members",
            )?;
            spec.lived_experience_quorum = Some(n);
            Arc::new(LivedExperienceQuorum {
                value,
                lived_experience_quorum: n,
            })
        }
        "I3" => Arc::new(WaysToTakePart { value }),
        "I4" => Arc::new(AccessRequestsMet { value }),
        "I5" => Arc::new(NoSilentConsent { value }),
        "I6" => {
            let d = number(
                rule_id,
                "min_advert_days",
                entry.min_advert_days,
                FairRecruitment::default().min_advert_days,
                1..=365,
                "1 to 365 days",
            )?;
            spec.min_advert_days = Some(d);
            Arc::new(FairRecruitment {
                value,
                min_advert_days: d,
            })
        }
        "I7" => Arc::new(GenuineCoproduction { value }),
        "I8" => {
            let groups = entry
                .stakeholder_groups
                .clone()
                .unwrap_or(StakeholdersTookPart::default().stakeholder_groups);
            if let Some(bad) = groups.iter().find(|g| g.trim().is_empty()) {
                return Err(CharterError::OutOfRange {
                    rule: rule_id.clone(),
                    field: "stakeholder_groups",
                    value: format!("{bad:?}"),
                    expected: "non-blank group names",
                });
            }
            spec.stakeholder_groups = Some(groups.clone());
            Arc::new(StakeholdersTookPart {
                value,
                stakeholder_groups: groups,
            })
        }
        "T1" => {
            let d = number(
                rule_id,
                "publish_days",
                entry.publish_days,
                PublishedOnTime::default().publish_days,
                1..=365,
                "1 to 365 days",
            )?;
            spec.publish_days = Some(d);
            Arc::new(PublishedOnTime {
                value,
                publish_days: d,
            })
        }
        "T2" => Arc::new(RationaleRecorded { value }),
        "T3" => Arc::new(ObjectionsDisposed { value }),
        "T4" => Arc::new(ConflictsDeclared { value }),
        "T5" => Arc::new(DueDiligenceDone { value }),
        "T6" => {
            let d = number(
                rule_id,
                "publish_days",
                entry.publish_days,
                InPublicRegister::default().publish_days,
                1..=365,
                "1 to 365 days",
            )?;
            spec.publish_days = Some(d);
            Arc::new(InPublicRegister {
                value,
                publish_days: d,
            })
        }
        "T7" => Arc::new(RouteFollowed { value }),
        "T8" => Arc::new(AdviceSought { value }),
        "T9" => Arc::new(ReviewDateSet { value }),
        "C1" => Arc::new(EveryoneResponded { value }),
        "C2" => Arc::new(ObjectionsTested { value }),
        "C3" => {
            let tier = entry
                .from_tier
                .unwrap_or(CriticalFriendsHeard::default().from_tier);
            spec.from_tier = Some(tier);
            Arc::new(CriticalFriendsHeard {
                value,
                from_tier: tier,
            })
        }
        "C4" => Arc::new(RedLinesRespected { value }),
        "C5" => Arc::new(RestrictiveConditionsEscalated { value }),
        "C6" => Arc::new(NoValidObjectionOpen { value }),
        "C7" => {
            let m = number(
                rule_id,
                "concern_review_months",
                entry.concern_review_months,
                ConcernsShortenReview::default().concern_review_months,
                1..=60,
                "1 to 60 months",
            )?;
            spec.concern_review_months = Some(m);
            Arc::new(ConcernsShortenReview {
                value,
                concern_review_months: m,
            })
        }
        _ => {
            return Err(CharterError::UnknownRule {
                rule: rule_id.clone(),
            });
        }
    };
    Ok(Built { rule, spec })
}
