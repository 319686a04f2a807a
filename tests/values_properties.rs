//! Properties of the check: rule order does not matter, more rules never make a breached
//! value upheld, missing evidence never yields upheld, and the gate follows the report.

use coproduction::community::{BodyFigures, BodyId, MemberId};
use coproduction::decision::{DecisionKind, Method, Tier};
use coproduction::values::*;
use proptest::prelude::*;

const IDS: [&str; 32] = [
    "H1", "H2", "H3", "H4", "H5", "H6", "I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8", "I9", "T1",
    "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8",
];

fn kind() -> impl Strategy<Value = DecisionKind> {
    prop::sample::select(DecisionKind::BUILT_IN.to_vec())
}

fn participant() -> impl Strategy<Value = Participant> {
    (
        1u64..50,
        any::<bool>(),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec![
            RecordedResponse::Consent,
            RecordedResponse::ConsentWithConcern,
            RecordedResponse::Objection,
            RecordedResponse::StandAside,
            RecordedResponse::Absent,
        ])),
        prop::option::of(prop::sample::select(vec![
            AbsenceCounted::Consent,
            AbsenceCounted::NotCounted,
        ])),
        prop::option::of(prop::sample::select(vec![
            PaymentStatus::NotOffered,
            PaymentStatus::Accepted,
            PaymentStatus::Declined,
        ])),
        prop::option::of(prop::sample::select(vec![
            Conflict::None,
            Conflict::DeclaredAndRecused,
            Conflict::DeclaredAndTookPart,
        ])),
    )
        .prop_map(
            |(n, lived, contributor, response, counted, payment, conflict)| {
                let mut p = Participant::new(MemberId::new(n));
                p.lived_experience = lived;
                p.public_contributor = contributor;
                p.response = response;
                p.absence_counted_as = counted;
                p.payment = payment;
                p.conflict = conflict;
                p
            },
        )
}

/// Records with any mix of evidence present or missing.
fn record() -> impl Strategy<Value = DecisionRecord> {
    (
        kind(),
        prop::option::of(prop::sample::select(Tier::ALL.to_vec())),
        prop::option::of(prop::sample::select(vec![
            Outcome::Adopted,
            Outcome::Declined,
            Outcome::Withdrawn,
        ])),
        prop::option::of(prop::sample::select(vec![
            Method::Consent,
            Method::AdviceProcess,
            Method::Majority,
        ])),
        prop::option::of((0usize..10, 0usize..10)),
        prop::option::of(prop::collection::vec(participant(), 0..8)),
        prop::option::of("[a-z ]{0,12}"),
        prop::option::of(prop::sample::select(vec![Screen::Passed, Screen::Failed])),
        any::<bool>(),
    )
        .prop_map(
            |(kind, tier, outcome, method, body, participants, rationale, screen, labelled)| {
                let id = BodyId::new("circle").unwrap();
                let mut r = DecisionRecord::new(kind);
                r.tier = tier;
                r.outcome = outcome;
                r.route_taken = method.map(|m| RouteSummary::new(id.clone(), m));
                r.body = body.map(|(size, lived)| BodyFigures {
                    body: id.clone(),
                    size,
                    lived_experience: lived,
                    roles: Default::default(),
                });
                r.participants = participants.map(Into::into);
                r.rationale = rationale.map(Into::into);
                r.funder = screen.map(|s| {
                    let mut f = FunderFacts::new("Funder A");
                    f.red_line_screen = Some(s);
                    f
                });
                r.labelled_coproduced = labelled;
                r
            },
        )
}

fn charter_of(ids: &[&str]) -> Charter {
    let rules: Vec<String> = ids.iter().map(|id| format!(r#"{{"id":"{id}"}}"#)).collect();
    Charter::from_json(&format!(
        r#"{{"values":[{{"id":"human"}},{{"id":"inclusive"}},{{"id":"transparent"}},{{"id":"challenging"}}],"rules":[{}]}}"#,
        rules.join(",")
    ))
    .unwrap()
}

proptest! {
    #[test]
    fn the_order_of_rules_does_not_change_the_report(
        r in record(),
        order in Just(IDS.to_vec()).prop_shuffle(),
    ) {
        prop_assert_eq!(charter_of(&order).check(&r), Charter::default().check(&r));
    }

    #[test]
    fn adding_a_rule_never_turns_breached_into_upheld(
        r in record(),
        subset in prop::sample::subsequence(IDS.to_vec(), 0..31),
        extra in prop::sample::select(IDS.to_vec()),
    ) {
        prop_assume!(!subset.contains(&extra));
        let before = charter_of(&subset).check(&r);
        let mut more = subset.clone();
        more.push(extra);
        let after = charter_of(&more).check(&r);
        for (b, a) in before.verdicts().iter().zip(after.verdicts()) {
            prop_assert!(a.verdict >= b.verdict, "{} went from {:?} to {:?}", b.value, b.verdict, a.verdict);
        }
    }

    #[test]
    fn missing_evidence_never_yields_upheld(r in record()) {
        let report = Charter::default().check(&r);
        for f in report.with_status(Status::NotEvaluated) {
            prop_assert_ne!(report.verdict(f.value.as_str()), Some(Verdict::Upheld), "{}", f.rule);
        }
    }

    #[test]
    fn a_breached_value_never_passes_the_gate(r in record()) {
        let report = Charter::default().check(&r);
        if report.overall() == Verdict::Breached {
            prop_assert!(report.gate().is_err());
        }
        // Gate passes iff no unmet blocking or warning finding lacks its override or ack.
        if let Ok(proof) = report.gate() {
            prop_assert_eq!(proof.rules_checked().len(), 31);
        }
    }

    #[test]
    fn overriding_everything_passes_unless_a_red_line_fails(r in record()) {
        let report = Charter::default().check(&r);
        let mut overridden = r.clone();
        for f in report.findings() {
            overridden = overridden.with_override(f.rule.clone(), MemberId::new(1), "Recorded at the community meeting");
        }
        let c4_failed = report.finding("C4").unwrap().status.is_unmet();
        let gated = Charter::default().gate(&overridden);
        prop_assert_eq!(gated.is_ok(), !c4_failed);
        if let Err(refusal) = gated {
            prop_assert!(refusal.unmet().iter().all(|u| u.rule.as_str() == "C4" && u.kind == UnmetKind::NotOverridable));
        }
    }

    #[test]
    fn checking_is_deterministic(r in record()) {
        let c = Charter::default();
        prop_assert_eq!(c.check(&r), c.check(&r));
    }
}

#[test]
fn a_red_line_failure_keeps_its_value_breached_even_when_overridden() {
    let mut funder = FunderFacts::new("Funder B");
    funder.red_line_screen = Some(Screen::Failed);
    let record = DecisionRecord {
        funder: Some(funder),
        ..DecisionRecord::new(DecisionKind::Funding)
    }
    .with_override(
        RuleId::new("C4").unwrap(),
        MemberId::new(3),
        "The grant is too large to refuse",
    );
    let report = Charter::default().check(&record);
    let c4 = report.finding("C4").unwrap();
    assert!(c4.overridden.is_some(), "the override shows in the report");
    assert_eq!(report.verdict("challenging"), Some(Verdict::Breached));
    let refusal = report.gate().unwrap_err();
    let c4 = refusal
        .unmet()
        .iter()
        .find(|u| u.rule.as_str() == "C4")
        .unwrap();
    assert_eq!(c4.kind, UnmetKind::NotOverridable);
}

#[test]
fn an_override_shows_and_lowers_a_breach_to_at_risk() {
    let charter = Charter::from_json(
        r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"},{"id":"T9"}]}"#,
    )
    .unwrap();
    let record = DecisionRecord {
        outcome: Some(Outcome::Adopted),
        ..DecisionRecord::new(DecisionKind::Strategy)
    };
    let report = charter.check(&record);
    assert_eq!(report.verdict("transparent"), Some(Verdict::Breached));
    let refusal = report.gate().unwrap_err();
    let kinds: Vec<_> = refusal
        .unmet()
        .iter()
        .map(|u| (u.rule.as_str(), u.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("T2", UnmetKind::NeedsOverride),
            ("T9", UnmetKind::NeedsAcknowledgement)
        ]
    );
    assert!(
        refusal
            .to_string()
            .contains("T2 (transparent, violated) needs an override")
    );

    let record = record
        .with_override(
            RuleId::new("T2").unwrap(),
            MemberId::new(2),
            "Rationale agreed verbally; written up next week",
        )
        .with_acknowledgement(
            RuleId::new("T9").unwrap(),
            MemberId::new(2),
            "Review set when the pilot starts",
        );
    let report = charter.check(&record);
    assert_eq!(report.verdict("transparent"), Some(Verdict::AtRisk));
    assert!(report.finding("T2").unwrap().overridden.is_some());
    let proof = report.gate().unwrap();
    assert_eq!(proof.overrides_used().len(), 1);
    assert_eq!(proof.acknowledgements_used().len(), 1);
    assert_eq!(proof.rules_checked().len(), 2);

    let blank = DecisionRecord {
        outcome: Some(Outcome::Adopted),
        ..DecisionRecord::new(DecisionKind::Strategy)
    }
    .with_override(RuleId::new("T2").unwrap(), MemberId::new(2), " ");
    assert!(
        charter.gate(&blank).is_err(),
        "a blank reason is not an override"
    );
}

#[test]
fn custom_rules_join_the_report_and_are_refused_when_clashing() {
    #[derive(Debug)]
    struct AlwaysBreaks(RuleId, ValueId);
    impl ValueRule for AlwaysBreaks {
        fn id(&self) -> RuleId {
            self.0.clone()
        }
        fn value(&self) -> &ValueId {
            &self.1
        }
        fn severity(&self, _: &DecisionRecord) -> Severity {
            Severity::Blocking
        }
        fn check(&self, _: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
            RuleOutcome::violated("always")
        }
    }
    let id = RuleId::new("X1").unwrap();
    let charter = Charter::default()
        .with_rule(AlwaysBreaks(id.clone(), ValueId::human()))
        .unwrap();
    let report = charter.check(&DecisionRecord::new(DecisionKind::Strategy));
    assert_eq!(report.finding("X1").unwrap().status, Status::Violated);
    assert_eq!(report.verdict("human"), Some(Verdict::Breached));
    assert_eq!(
        charter.to_spec().rules.len(),
        32,
        "custom rules are not serialised"
    );

    assert_eq!(
        charter
            .clone()
            .with_rule(AlwaysBreaks(id.clone(), ValueId::human()))
            .unwrap_err(),
        CharterError::DuplicateRule { rule: id.clone() }
    );
    assert_eq!(
        Charter::default()
            .with_rule(AlwaysBreaks(RuleId::new("H1").unwrap(), ValueId::human()))
            .unwrap_err(),
        CharterError::ReservedRule {
            rule: RuleId::new("H1").unwrap()
        }
    );
    let undeclared = ValueId::new("joy").unwrap();
    assert_eq!(
        Charter::default()
            .with_rule(AlwaysBreaks(id.clone(), undeclared.clone()))
            .unwrap_err(),
        CharterError::UndeclaredValue {
            rule: id,
            field: "value",
            value: undeclared
        }
    );
}

#[test]
fn a_charter_is_shared_across_threads() {
    let charter = std::sync::Arc::new(Charter::default());
    let record = DecisionRecord::new(DecisionKind::Operational);
    let expected = charter.check(&record);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let c = charter.clone();
            let r = record.clone();
            std::thread::spawn(move || c.check(&r))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), expected);
    }
}
