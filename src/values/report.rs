//! [`ValueReport`]: what a check found, per value and per rule.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::values::record::{Acknowledgement, Override};
use crate::values::rules::{Observations, Severity, Status};
use crate::values::{RuleId, Subject, ValueId};

/// How a value fares in one decision. Ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// Every rule of the value is satisfied, does not apply, or only informs.
    Upheld,
    /// A warning is violated, a rule could not be evaluated, or a blocking violation stands
    /// overridden.
    AtRisk,
    /// A blocking rule is violated with no accepted override.
    Breached,
}

impl Verdict {
    /// The stable `snake_case` name.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Upheld => "upheld",
            Verdict::AtRisk => "at_risk",
            Verdict::Breached => "breached",
        }
    }
}

/// The verdict for one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueVerdict {
    /// The value.
    pub value: ValueId,
    /// How it fares.
    pub verdict: Verdict,
}

/// What one rule found.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The rule.
    pub rule: RuleId,
    /// The value it serves.
    pub value: ValueId,
    /// Its severity for this record.
    pub severity: Severity,
    /// Whether an override is accepted.
    pub overridable: bool,
    /// What it found.
    pub status: Status,
    /// Why, in plain language.
    pub message: Cow<'static, str>,
    /// What it looked at.
    #[serde(default, skip_serializing_if = "Observations::is_empty")]
    pub evidence: Observations,
    /// The override recorded for this rule, if any (the latest). Boxed, as the
    /// acknowledgement is: most findings have neither, and a report holds one finding a
    /// rule.
    pub overridden: Option<Box<Override>>,
    /// The acknowledgement recorded for this rule, if any (the latest).
    pub acknowledged: Option<Box<Acknowledgement>>,
}

impl Finding {
    /// Whether a recorded override clears this finding at the gate: the rule takes
    /// overrides and the override gives a reason.
    pub fn override_accepted(&self) -> bool {
        self.overridable
            && self
                .overridden
                .as_ref()
                .is_some_and(|o| !crate::limits::is_blank(&o.reason))
    }

    /// Whether a recorded acknowledgement (with a reason) clears a warning at the gate.
    pub fn acknowledgement_accepted(&self) -> bool {
        self.acknowledged
            .as_ref()
            .is_some_and(|a| !crate::limits::is_blank(&a.reason))
    }

    /// The least verdict this finding leaves its value with (see the module guide).
    pub fn pressure(&self) -> Verdict {
        match (self.status, self.severity) {
            (Status::Violated, Severity::Blocking) if self.override_accepted() => Verdict::AtRisk,
            (Status::Violated, Severity::Blocking) => Verdict::Breached,
            (Status::Violated, Severity::Warning) | (Status::NotEvaluated, _) => Verdict::AtRisk,
            _ => Verdict::Upheld,
        }
    }
}

/// Where a record cites a rule: its overrides or its acknowledgements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CitedIn {
    /// [`DecisionRecord::overrides`](super::DecisionRecord::overrides).
    Overrides,
    /// [`DecisionRecord::acknowledgements`](super::DecisionRecord::acknowledgements).
    Acknowledgements,
}

impl CitedIn {
    /// The record's field: `overrides` or `acknowledgements`.
    pub fn label(self) -> &'static str {
        match self {
            CitedIn::Overrides => "overrides",
            CitedIn::Acknowledgements => "acknowledgements",
        }
    }
}

/// An override or acknowledgement in a record of a rule the charter does not have (a
/// misspelt id, or a rule the charter has dropped). It clears nothing, so the gate refuses
/// the record until it is gone, rather than let it stand in the record as if it meant
/// something.
///
/// JSON: `{"rule": "T99", "cited_in": "overrides", "index": 0}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnknownRule {
    /// The rule id the record cites.
    pub rule: RuleId,
    /// The list that cites it.
    pub cited_in: CitedIn,
    /// Its position in that list, from 0.
    pub index: usize,
}

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}[{}]` names rule `{}`, which the charter does not have",
            self.cited_in.label(),
            self.index,
            self.rule
        )
    }
}

/// The result of [`Charter::check`](super::Charter::check): a verdict per declared value (in
/// the charter's order) and a finding per rule, sorted by rule id.
///
/// Serialised as `{"verdicts": [...], "findings": [...]}`, with `"unknown_rules": [...]`
/// when the record overrides or acknowledges rules the charter does not have (see
/// [`UnknownRule`]; the gate refuses such a record). A report read from JSON says
/// what a check found, but cannot pass the [gate](ValueReport::gate): only a report made by
/// [`Charter::check`](super::Charter::check) can, so the proof cannot be written by hand.
/// Equality compares what the report says, not where it came from.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueReport {
    /// The decision the checked record named.
    subject: Option<Subject>,
    verdicts: Vec<ValueVerdict>,
    findings: Vec<Finding>,
    /// The record's overrides and acknowledgements of rules the charter does not have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    unknown_rules: Vec<UnknownRule>,
    /// Made by a check, not read from JSON.
    #[serde(skip)]
    checked: bool,
}

impl PartialEq for ValueReport {
    fn eq(&self, other: &Self) -> bool {
        self.subject == other.subject
            && self.verdicts == other.verdicts
            && self.findings == other.findings
            && self.unknown_rules == other.unknown_rules
    }
}

impl Eq for ValueReport {}

impl ValueReport {
    pub(crate) fn new(
        subject: Option<Subject>,
        verdicts: Vec<ValueVerdict>,
        findings: Vec<Finding>,
        unknown_rules: Vec<UnknownRule>,
    ) -> Self {
        Self {
            subject,
            verdicts,
            findings,
            unknown_rules,
            checked: true,
        }
    }

    /// Whether a check made this report (it was not read from JSON).
    pub(crate) fn checked(&self) -> bool {
        self.checked
    }

    /// The decision the checked record named, if it named one.
    pub fn subject(&self) -> Option<&Subject> {
        self.subject.as_ref()
    }

    /// The verdict per value, in the charter's order.
    pub fn verdicts(&self) -> &[ValueVerdict] {
        &self.verdicts
    }

    /// The findings, sorted by rule id.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The record's overrides and acknowledgements of rules the charter does not have,
    /// overrides first, each in the record's order. The gate refuses a record with any.
    pub fn unknown_rules(&self) -> &[UnknownRule] {
        &self.unknown_rules
    }

    /// The verdict for `value`, if the charter declares it.
    pub fn verdict(&self, value: &str) -> Option<Verdict> {
        self.verdicts
            .iter()
            .find(|v| v.value.as_str() == value)
            .map(|v| v.verdict)
    }

    /// The finding of rule `rule`, if the charter has it.
    pub fn finding(&self, rule: &str) -> Option<&Finding> {
        self.findings
            .binary_search_by(|f| f.rule.as_str().cmp(rule))
            .ok()
            .and_then(|at| self.findings.get(at))
    }

    /// The findings with a given status.
    pub fn with_status(&self, status: Status) -> impl Iterator<Item = &Finding> + '_ {
        self.findings.iter().filter(move |f| f.status == status)
    }

    /// The worst verdict over all values.
    pub fn overall(&self) -> Verdict {
        self.verdicts
            .iter()
            .map(|v| v.verdict)
            .max()
            .unwrap_or(Verdict::Upheld)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::MemberId;

    fn finding(status: Status, severity: Severity) -> Finding {
        Finding {
            rule: RuleId::new("X1").unwrap(),
            value: ValueId::human(),
            severity,
            overridable: true,
            status,
            message: "m".into(),
            evidence: Observations::new(),
            overridden: None,
            acknowledged: None,
        }
    }

    #[test]
    fn pressure_follows_the_documented_table() {
        use Severity::*;
        use Status::*;
        assert_eq!(finding(Violated, Blocking).pressure(), Verdict::Breached);
        assert_eq!(finding(Violated, Warning).pressure(), Verdict::AtRisk);
        assert_eq!(finding(Violated, Info).pressure(), Verdict::Upheld);
        assert_eq!(finding(NotEvaluated, Info).pressure(), Verdict::AtRisk);
        assert_eq!(finding(NotApplicable, Blocking).pressure(), Verdict::Upheld);
        let mut f = finding(Violated, Blocking);
        f.overridden = Some(Box::new(Override {
            rule: f.rule.clone(),
            by: MemberId::new(1),
            reason: "  ".into(),
            at: None,
        }));
        assert_eq!(
            f.pressure(),
            Verdict::Breached,
            "a blank reason is no override"
        );
        if let Some(o) = f.overridden.as_mut() {
            o.reason = "Agreed at the community meeting".into();
        }
        assert_eq!(f.pressure(), Verdict::AtRisk);
        f.overridable = false;
        assert_eq!(f.pressure(), Verdict::Breached);
    }
}
