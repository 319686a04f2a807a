//! The gate: whether a decision may move to a decided state, given its value report.
//!
//! A blocking finding (violated, or not evaluated: the gate fails closed) needs an accepted
//! override: who takes responsibility and why. A warning needs an acknowledgement with a
//! reason (an override also serves). Info findings never stop the gate. Rule C4, red lines,
//! takes no override at all. A record that overrides or acknowledges a rule the charter does
//! not have (`T99`, a misspelt id) is refused whatever else it holds, naming the rule and
//! where the record cites it ([`GateRefusal::unknown_rules`]): such an override clears
//! nothing, and the record should not say it did.
//!
//! What passes is a [`GatePassed`]: a proof value that only the gate can make (its field is
//! private), in the manner of rustls's `ServerCertVerified`. A transition that must follow a
//! passed check takes one, so the transition cannot be written without the check. The proof
//! carries the [`Subject`] its record named, and the typed steps of this crate's processes
//! accept it only for themselves as they stand ([`GatePassed::fits`]): a proof is not a pass
//! for every decision.
//!
//! # Example
//!
//! ```
//! use coproduction::community::MemberId;
//! use coproduction::decision::DecisionKind;
//! use coproduction::values::{Charter, DecisionRecord, GatePassed, RuleId};
//!
//! /// A transition that needs the proof.
//! fn adopt(_proof: GatePassed) -> &'static str { "adopted" }
//!
//! let charter = Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"}]}"#)?;
//! let record = DecisionRecord::new(DecisionKind::Strategy);
//! let refusal = charter.gate(&record).unwrap_err();
//! assert_eq!(refusal.unmet()[0].rule.as_str(), "T2");
//!
//! let record = record.with_override(RuleId::new("T2")?, MemberId::new(4), "Urgent: rationale follows within a week");
//! let proof = charter.gate(&record)?;
//! assert_eq!(proof.overrides_used().len(), 1);
//! assert_eq!(adopt(proof), "adopted");
//!
//! // A report read from JSON says the same, but makes no proof.
//! let report = charter.check(&record);
//! let read: coproduction::values::ValueReport = serde_json::from_str(&serde_json::to_string(&report)?)?;
//! assert_eq!(read, report);
//! assert!(read.gate().is_err_and(|refusal| refusal.not_checked()));
//! # Ok::<(), coproduction::Error>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::hash::Hash;
use crate::values::charter::Charter;
use crate::values::record::DecisionRecord;
use crate::values::record::{Acknowledgement, Override};
use crate::values::report::{Finding, UnknownRule, ValueReport};
use crate::values::rules::{Severity, Status};
use crate::values::{ProofMismatch, RuleId, Subject, ValueId};

/// Proof that a value report passed the gate. Only [`ValueReport::gate`] (and
/// [`Charter::gate`](super::Charter::gate)) can make one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatePassed {
    subject: Option<Subject>,
    rules_checked: Vec<RuleId>,
    overrides_used: Vec<Override>,
    acknowledgements_used: Vec<Acknowledgement>,
}

impl GatePassed {
    /// The decision the gated record named: a typed step that takes the proof accepts it
    /// only when this is its own [`Subject`].
    pub fn subject(&self) -> Option<&Subject> {
        self.subject.as_ref()
    }

    /// Whether this proof is for `step`, the subject of the process about to take it.
    ///
    /// # Errors
    ///
    /// [`ProofMismatch`] when `step` is `None` (a process that cannot be named) or is not
    /// the subject the gated record named.
    pub fn fits(&self, step: Option<Subject>) -> Result<(), ProofMismatch> {
        match step {
            Some(step) if self.subject == Some(step) => Ok(()),
            _ => Err(ProofMismatch {
                step,
                proof: self.subject,
            }),
        }
    }

    /// Every rule the report covered, sorted.
    pub fn rules_checked(&self) -> &[RuleId] {
        &self.rules_checked
    }

    /// The overrides the gate relied on.
    pub fn overrides_used(&self) -> &[Override] {
        &self.overrides_used
    }

    /// The acknowledgements the gate relied on.
    pub fn acknowledgements_used(&self) -> &[Acknowledgement] {
        &self.acknowledgements_used
    }
}

/// What a decision passed at the gate, kept with the decision: the charter it was judged
/// under (by [`Charter::hash`](crate::values::Charter::hash)), the rules checked, and the
/// overrides and acknowledgements that cleared findings.
///
/// The engine journals one with every deciding event, so the record of a past decision says
/// which charter it passed under, whatever charter is loaded today.
///
/// JSON: `{"charter": "<64 hex digits>", "rules_checked": ["C1", ...], "overrides": [...],
/// "acknowledgements": [...]}`, the last two left out when empty; unknown fields refused.
///
/// # Example
///
/// ```
/// use coproduction::decision::DecisionKind;
/// use coproduction::values::{Charter, DecisionRecord, GateSummary};
///
/// let charter = Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[]}"#)?;
/// let proof = charter.gate(&DecisionRecord::new(DecisionKind::Operational))?;
/// let summary = GateSummary::new(charter.hash(), &proof);
/// assert_eq!(summary.charter, charter.hash());
/// assert!(summary.rules_checked.is_empty());
/// # Ok::<(), coproduction::Error>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateSummary {
    /// The hash of the charter the decision was judged under.
    pub charter: Hash,
    /// The rules the charter checked, sorted by id.
    pub rules_checked: Vec<RuleId>,
    /// The overrides that cleared blocking findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
    /// The acknowledgements that cleared warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledgements: Vec<Acknowledgement>,
    /// The hash of the governance map the process was routed by, when it had one
    /// ([`living::governance_hash`](crate::living::governance_hash)).
    pub governance: Option<Hash>,
    /// The hash of the funding policy a funding decision was screened under
    /// ([`Hash::of_json`]), when the process follows one.
    pub funding_policy: Option<Hash>,
}

impl GateSummary {
    /// The summary of `proof`, made under the charter whose hash is `charter`.
    pub fn new(charter: Hash, proof: &GatePassed) -> Self {
        Self {
            charter,
            rules_checked: proof.rules_checked.clone(),
            overrides: proof.overrides_used.clone(),
            acknowledgements: proof.acknowledgements_used.clone(),
            governance: None,
            funding_policy: None,
        }
    }

    /// Names the governance map the process was routed by.
    #[must_use]
    pub fn routed_by(mut self, governance: Option<Hash>) -> Self {
        self.governance = governance;
        self
    }

    /// Names the funding policy the process was screened under.
    #[must_use]
    pub fn screened_by(mut self, policy: Option<Hash>) -> Self {
        self.funding_policy = policy;
        self
    }
}

/// A past decision's gate beside what today's charter makes of the same record: the
/// charter it passed under, and whether today's would judge it differently.
///
/// # Example
///
/// ```
/// use coproduction::decision::DecisionKind;
/// use coproduction::values::{Charter, DecisionRecord, GateReview, GateSummary};
///
/// let then = Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[]}"#)?;
/// let record = DecisionRecord::new(DecisionKind::Operational);
/// let passed = GateSummary::new(then.hash(), &then.gate(&record)?);
///
/// let today = Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"}]}"#)?;
/// let review = GateReview::new(passed, &today, &record);
/// assert!(!review.same_charter());
/// assert!(review.judged_differently()); // today, T2 asks for the alternatives considered
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateReview {
    /// The gate the decision passed, as journalled.
    pub passed: GateSummary,
    /// The hash of today's charter.
    pub today: Hash,
    /// Today's charter's gate on the record as it stands: what it would pass, or why it
    /// would refuse.
    pub today_gate: Result<GateSummary, GateRefusal>,
    /// The hash of today's funding policy, where the review was given one
    /// ([`with_funding_policy`](Self::with_funding_policy)): beside the policy an offer was
    /// screened under, whether its red lines have changed since.
    pub today_funding_policy: Option<Hash>,
    /// How the charter the decision passed under came into force, where the review was
    /// told ([`with_adoptions`](Self::with_adoptions)).
    pub passed_adopted: Option<CharterAdoption>,
    /// How today's charter came into force, where the review was told.
    pub today_adopted: Option<CharterAdoption>,
}

/// How a charter came into force in a community: with its founding, or adopted by a
/// decision, which may stand on the word of the member who recorded it from a round held
/// elsewhere. A decision judged under a charter stands on how that charter came in.
///
/// JSON: `{"from": "2024-01-02T10:00:00Z", "decided_by": "charter-2024", "attested_by": 1}`;
/// a founding charter has neither `decided_by` nor `attested_by`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharterAdoption {
    /// When it took effect.
    pub from: jiff::Timestamp,
    /// The decision that adopted it; `None` for the charter the community was founded with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<crate::journal::StreamId>,
    /// The member on whose word that decision was recorded, from a round held elsewhere;
    /// `None` when the engine ran the deciding round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attested_by: Option<crate::community::MemberId>,
}

impl GateReview {
    /// Reviews `passed` with `today`'s charter on `record`.
    pub fn new(passed: GateSummary, today: &Charter, record: &DecisionRecord) -> Self {
        let hash = today.hash();
        Self {
            passed,
            today: hash,
            today_gate: today
                .gate(record)
                .map(|proof| GateSummary::new(hash, &proof)),
            today_funding_policy: None,
            passed_adopted: None,
            today_adopted: None,
        }
    }

    /// The review with how the charter the decision passed under, and today's, came into
    /// force.
    #[must_use]
    pub fn with_adoptions(
        mut self,
        passed: Option<CharterAdoption>,
        today: Option<CharterAdoption>,
    ) -> Self {
        self.passed_adopted = passed;
        self.today_adopted = today;
        self
    }

    /// The review with the hash of today's funding policy beside it.
    #[must_use]
    pub fn with_funding_policy(mut self, today: Option<Hash>) -> Self {
        self.today_funding_policy = today;
        self
    }

    /// Whether today's funding policy is the one the offer was screened under; `None` when
    /// the decision was screened under none, or the review holds no policy of today's.
    pub fn same_funding_policy(&self) -> Option<bool> {
        Some(self.passed.funding_policy? == self.today_funding_policy?)
    }

    /// Whether today's charter is the one the decision passed under.
    pub fn same_charter(&self) -> bool {
        self.passed.charter == self.today
    }

    /// Whether today's charter would judge the decision differently: refuse it, or pass it
    /// on other rules.
    pub fn judged_differently(&self) -> bool {
        match &self.today_gate {
            Ok(today) => today.rules_checked != self.passed.rules_checked,
            Err(_) => true,
        }
    }
}

/// What a finding still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum UnmetKind {
    /// A blocking finding with no override that gives a reason.
    NeedsOverride,
    /// A warning with no acknowledgement (or override) that gives a reason.
    NeedsAcknowledgement,
    /// A blocking finding of a rule that takes no override (C4).
    NotOverridable,
}

/// One finding the gate could not let through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet {
    /// The rule.
    pub rule: RuleId,
    /// The value it serves.
    pub value: ValueId,
    /// Violated, or not evaluated.
    pub status: Status,
    /// What it still needs.
    pub kind: UnmetKind,
    /// The finding's message.
    pub message: String,
}

/// The gate refused: every unmet finding, by rule id, and every override or
/// acknowledgement of a rule the charter does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct GateRefusal {
    unmet: Vec<Unmet>,
    unknown_rules: Vec<UnknownRule>,
    not_checked: bool,
}

impl GateRefusal {
    /// A refusal of a record that cites rules the charter does not have, and nothing else.
    pub(crate) fn unknown(unknown_rules: Vec<UnknownRule>) -> Self {
        Self {
            unmet: Vec::new(),
            unknown_rules,
            not_checked: false,
        }
    }

    /// Every unmet finding, sorted by rule id.
    pub fn unmet(&self) -> &[Unmet] {
        &self.unmet
    }

    /// The record's overrides and acknowledgements of rules the charter does not have: the
    /// gate refuses a record with any, whatever else it finds, because an override that
    /// names no rule of the charter clears nothing and should not stand in the record as if
    /// it did.
    pub fn unknown_rules(&self) -> &[UnknownRule] {
        &self.unknown_rules
    }

    /// Whether the report was read from JSON rather than made by a check: such a report
    /// never passes, whatever it says.
    pub fn not_checked(&self) -> bool {
        self.not_checked
    }
}

impl fmt::Display for GateRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.not_checked {
            return write!(
                f,
                "cannot move to a decided state: the value report was read, not made by a check; check the decision record against the charter"
            );
        }
        f.write_str("cannot move to a decided state: ")?;
        let mut separator = "";
        for unknown in &self.unknown_rules {
            write!(f, "{separator}{unknown}")?;
            separator = "; ";
        }
        if !self.unmet.is_empty() || self.unknown_rules.is_empty() {
            write!(
                f,
                "{separator}{} value findings are unmet",
                self.unmet.len()
            )?;
        }
        for u in &self.unmet {
            let need = match u.kind {
                UnmetKind::NeedsOverride => "needs an override (who, why)",
                UnmetKind::NeedsAcknowledgement => "needs an acknowledgement with a reason",
                UnmetKind::NotOverridable => "cannot be overridden",
            };
            write!(
                f,
                "; {} ({}, {}) {need}: {}",
                u.rule,
                u.value,
                u.status.label(),
                u.message
            )?;
        }
        Ok(())
    }
}

fn unmet(finding: &Finding) -> Option<UnmetKind> {
    if !finding.status.is_unmet() {
        return None;
    }
    match finding.severity {
        Severity::Blocking if !finding.overridable => Some(UnmetKind::NotOverridable),
        Severity::Blocking if !finding.override_accepted() => Some(UnmetKind::NeedsOverride),
        Severity::Warning
            if !finding.acknowledgement_accepted() && !finding.override_accepted() =>
        {
            Some(UnmetKind::NeedsAcknowledgement)
        }
        _ => None,
    }
}

impl ValueReport {
    /// Runs the gate over this report.
    ///
    /// # Errors
    ///
    /// [`GateRefusal`] listing every unmet finding: blocking findings without an accepted
    /// override, warnings without an acknowledgement, and C4 whatever is recorded; and
    /// every override or acknowledgement of a rule the charter does not have
    /// ([`ValueReport::unknown_rules`]), which refuses the record on its own.
    pub fn gate(&self) -> Result<GatePassed, GateRefusal> {
        let mut refused = Vec::new();
        let mut overrides_used = Vec::new();
        let mut acknowledgements_used = Vec::new();
        for f in self.findings() {
            if let Some(kind) = unmet(f) {
                refused.push(Unmet {
                    rule: f.rule.clone(),
                    value: f.value.clone(),
                    status: f.status,
                    kind,
                    message: f.message.to_string(),
                });
            } else if f.status.is_unmet() {
                match f.severity {
                    Severity::Info => {}
                    _ if f.override_accepted() => {
                        overrides_used.extend(f.overridden.as_deref().cloned());
                    }
                    _ => acknowledgements_used.extend(f.acknowledged.as_deref().cloned()),
                }
            }
        }
        let unknown_rules = self.unknown_rules().to_vec();
        if !self.checked() {
            return Err(GateRefusal {
                unmet: refused,
                unknown_rules,
                not_checked: true,
            });
        }
        if refused.is_empty() && unknown_rules.is_empty() {
            Ok(GatePassed {
                subject: self.subject().copied(),
                rules_checked: self.findings().iter().map(|f| f.rule.clone()).collect(),
                overrides_used,
                acknowledgements_used,
            })
        } else {
            Err(GateRefusal {
                unmet: refused,
                unknown_rules,
                not_checked: false,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::community::MemberId;
    use crate::decision::DecisionKind;
    use crate::values::{Charter, CitedIn, DecisionRecord, RuleId, ValueReport};

    fn charter() -> Charter {
        Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"}]}"#).unwrap()
    }

    fn overriding(rule: &str) -> DecisionRecord {
        DecisionRecord::new(DecisionKind::Strategy).with_override(
            RuleId::new(rule).unwrap(),
            MemberId::new(4),
            "Urgent: the rationale follows within a week",
        )
    }

    #[test]
    fn an_override_of_an_unknown_rule_refuses_a_record_that_would_pass() {
        let record = overriding("T2");
        assert!(charter().gate(&record).is_ok());
        let record = record.with_override(RuleId::new("T99").unwrap(), MemberId::new(4), "Why");
        let refusal = charter().gate(&record).unwrap_err();
        assert!(refusal.unmet().is_empty());
        assert_eq!(refusal.unknown_rules().len(), 1);
        assert_eq!(refusal.unknown_rules()[0].cited_in, CitedIn::Overrides);
        assert_eq!(refusal.unknown_rules()[0].index, 1);
        assert_eq!(
            refusal.to_string(),
            "cannot move to a decided state: `overrides[1]` names rule `T99`, which the charter does not have"
        );
    }

    #[test]
    fn unknown_rules_are_named_beside_unmet_findings() {
        let refusal = charter().gate(&overriding("T22")).unwrap_err();
        assert_eq!(refusal.unmet()[0].rule.as_str(), "T2");
        assert_eq!(refusal.unknown_rules()[0].rule.as_str(), "T22");
        let message = refusal.to_string();
        assert!(
            message.starts_with("cannot move to a decided state: `overrides[0]` names rule `T22`, which the charter does not have; 1 value findings are unmet; T2"),
            "{message}"
        );
    }

    #[test]
    fn a_report_keeps_its_unknown_rules_through_json() {
        let report = charter().check(&overriding("T99"));
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            json["unknown_rules"],
            serde_json::json!([{"rule": "T99", "cited_in": "overrides", "index": 0}])
        );
        let read: ValueReport = serde_json::from_value(json).unwrap();
        assert_eq!(read, report);
        let clean = charter().check(&overriding("T2"));
        assert!(
            serde_json::to_value(&clean)
                .unwrap()
                .get("unknown_rules")
                .is_none()
        );
    }
}
