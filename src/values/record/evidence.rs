//! Evidence: the facts of a decision that no process step witnesses, attested by a member
//! who runs the process, and the overrides and acknowledgements its deciders make.
//!
//! [`Evidence`] holds only what may be attested. What the engine records itself (the
//! subject, the outcome, the route, the deciding body and who sat in it, the round's
//! dates) and what members do themselves (advice, declarations of interest, payment
//! answers, access needs met: see [`part`](crate::process::part)) have no field here, so
//! evidence cannot state them; JSON that tries is refused as an unknown field.

use std::borrow::Cow;
use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::MemberId;
use crate::decision::DecisionKind;
use crate::values::RuleId;

use super::fact::{Fact, facts};
use super::{
    Acknowledgement, Credit, Dates, DecisionRecord, DueDiligenceCheck, ExpensesFacts, FunderFacts,
    ObjectionEntry, Override, Publication, RecruitmentFacts, Rung, StakeholderFacts, Way,
};

facts! {
    into Dates, named "dates.";
    /// The dates evidence may attest: those of steps outside the process (the papers, a live
    /// session) and a review date a process without one does not set.
    #[serde_with::skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct EvidenceDates {
        /// When the papers went out.
        pub papers_sent_at: Option<Timestamp>,
        /// When the live session was held.
        pub session_at: Option<Timestamp>,
        /// When the decision comes up for review.
        pub review_at: Option<Timestamp>,
    }
}

facts! {
    into DecisionRecord, named "";
    /// What a member who runs a process attests for its decision record. Every field is
    /// optional; a later attestation of a fact answers for it, and the record keeps who attested
    /// each fact and when.
    ///
    /// | fact | who may attest it |
    /// |---|---|
    /// | every field | a member who runs the process (a round's proposer, facilitator or secretary; a proposal's proposers and steward; a funding decision's deciding body) |
    /// | `overrides`, `acknowledgements` | whom governance names for the deciding body (`override_by` in the map), or else the member who answers for the process (a round's facilitator, a proposal's steward, a member of the deciding body), in their own name |
    ///
    /// What the engine records itself, and what members do themselves (advice, interests,
    /// payment, access: [`PartCommand`](crate::process::PartCommand)), has no field here.
    ///
    /// JSON: an object with the fields below; unknown fields (an `outcome`, a `participants`
    /// list) are refused.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::values::Evidence;
    ///
    /// let evidence: Evidence = serde_json::from_str(r#"{"rationale": "Paid, flexible roles"}"#)?;
    /// assert_eq!(evidence.stated_facts(), ["rationale"]);
    /// assert!(serde_json::from_str::<Evidence>(r#"{"outcome": {"type": "adopted"}}"#).is_err());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    #[serde_with::skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Evidence {
        /// Objections and concerns with their dispositions, for a decision taken without a
        /// round (a round's objections are its own, and win).
        pub objections: Option<Vec<ObjectionEntry>>,
        /// Why this was decided.
        pub rationale: Option<Cow<'static, str>>,
        /// The alternatives considered.
        pub alternatives: Option<Vec<Cow<'static, str>>>,
        /// The ways offered to take part.
        pub ways_offered: Option<BTreeSet<Way>>,
        /// Expenses facts.
        pub expenses: Option<ExpensesFacts>,
        /// Contributors to an output and whether each is credited.
        pub credits: Option<Vec<Credit>>,
        /// Facts about the funder or partner.
        pub funder: Option<FunderFacts>,
        /// Due-diligence checks, for a decision whose process does not run them.
        pub due_diligence: Option<Vec<DueDiligenceCheck>>,
        /// Recruitment facts.
        pub recruitment: Option<RecruitmentFacts>,
        /// Whether the decision is labelled co-produced.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pub labelled_coproduced: bool,
        /// The rung of Arnstein's ladder the decision reached.
        pub ladder: Option<Rung>,
        /// Which stakeholder groups took part.
        pub stakeholders: Option<StakeholderFacts>,
        /// The dates of steps outside the process.
        #[serde(default, skip_serializing_if = "EvidenceDates::is_empty")]
        pub dates: EvidenceDates,
        /// The publication of the record.
        pub publication: Option<Publication>,
        /// Overrides of blocking findings, made by the actor in their own name.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub overrides: Vec<Override>,
        /// Acknowledgements of warnings, made by the actor in their own name.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub acknowledgements: Vec<Acknowledgement>,
    }
}

impl EvidenceDates {
    /// Whether no date is given.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl Evidence {
    super::clearance_setters!(" (the actor, in their own name)");

    /// The facts this evidence states, by their field in the record (`rationale`,
    /// `dates.session_at`...), in the record's order: what the record marks as attested.
    pub fn stated_facts(&self) -> Vec<&'static str> {
        let mut facts = Vec::new();
        self.stated("", &mut facts);
        facts
    }

    /// Takes `older` evidence in where this says nothing: this evidence's facts win, the
    /// older fills the gaps; overrides and acknowledgements of both are kept.
    pub fn supplement(&mut self, older: Evidence) {
        self.fill(older);
    }

    /// The evidence as a record of a decision of `kind`, to
    /// [`supplement`](DecisionRecord::supplement) a process's own record with.
    pub fn to_record(&self, kind: DecisionKind) -> DecisionRecord {
        let mut record = DecisionRecord::new(kind);
        self.write(&mut record);
        record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_wins_older_fills_and_overrides_accumulate() {
        let ack = |rule: &str| Acknowledgement {
            rule: RuleId::new(rule).unwrap(),
            by: MemberId::new(2),
            reason: "Known".into(),
            at: None,
        };
        let mut newer = Evidence {
            rationale: Some("newer".into()),
            acknowledgements: vec![ack("H4")],
            ..Evidence::default()
        };
        let older = Evidence {
            rationale: Some("older".into()),
            alternatives: Some(vec!["wait".into()]),
            acknowledgements: vec![ack("I3")],
            ..Evidence::default()
        };
        newer.supplement(older);
        assert_eq!(newer.rationale.as_deref(), Some("newer"));
        assert_eq!(newer.alternatives, Some(vec!["wait".into()]));
        let rules: Vec<_> = newer
            .acknowledgements
            .iter()
            .map(|a| a.rule.as_str())
            .collect();
        assert_eq!(rules, ["I3", "H4"]);
        assert_eq!(
            newer.stated_facts(),
            ["rationale", "alternatives", "acknowledgements"]
        );
    }

    #[test]
    fn the_record_carries_every_stated_fact() {
        let mut evidence = Evidence {
            rationale: Some("why".into()),
            labelled_coproduced: true,
            ..Evidence::default()
        };
        evidence.dates.session_at = Some(Timestamp::UNIX_EPOCH);
        let record = serde_json::to_value(evidence.to_record(DecisionKind::Strategy)).unwrap();
        for fact in evidence.stated_facts() {
            let held = fact
                .split('.')
                .try_fold(&record, |value, key| value.get(key))
                .filter(|value| !value.is_null());
            assert!(held.is_some(), "{fact} is not in {record}");
        }
    }

    #[test]
    fn facts_not_stated_are_left_out_of_the_json() {
        assert_eq!(serde_json::to_string(&Evidence::default()).unwrap(), "{}");
        let dates = EvidenceDates {
            session_at: Some(Timestamp::UNIX_EPOCH),
            ..EvidenceDates::default()
        };
        assert_eq!(
            serde_json::to_string(&dates).unwrap(),
            r#"{"session_at":"1970-01-01T00:00:00Z"}"#
        );
        assert_eq!(serde_json::to_string(&Dates::default()).unwrap(), "{}");
    }

    #[test]
    fn witnessed_facts_are_unknown_fields() {
        for json in [
            r#"{"outcome": {"type": "adopted"}}"#,
            r#"{"participants": []}"#,
            r#"{"advice": []}"#,
            r#"{"access_requests": []}"#,
            r#"{"dates": {"decided_at": "2020-01-01T00:00:00Z"}}"#,
            r#"{"route_taken": null}"#,
        ] {
            let error = serde_json::from_str::<Evidence>(json).unwrap_err();
            assert!(
                error.to_string().contains("unknown field"),
                "{json}: {error}"
            );
        }
    }
}
