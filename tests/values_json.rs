//! The JSON shapes of the value-check: records, charters and reports read back to what was
//! written, and unknown fields are refused at every level.

use coproduction::community::MemberId;
use coproduction::decision::DecisionKind;
use coproduction::values::*;
use proptest::prelude::*;

const CHARTER: &str = include_str!("../examples/data/charter.json");
const PARTNERSHIP: &str = include_str!("../examples/data/partnership_record.json");

fn partnership() -> DecisionRecord {
    serde_json::from_str(PARTNERSHIP).unwrap()
}

/// An acknowledgement of I9's warning, as the member who records the decision would make it.
fn acknowledged(record: DecisionRecord) -> DecisionRecord {
    record.with_acknowledgement(
        RuleId::new("I9").unwrap(),
        MemberId::new(14),
        "The group is recruiting members with lived experience; its advice was weighed with that in mind",
    )
}

#[test]
fn the_shipped_seed_situation_is_flagged_by_i9() {
    let charter = Charter::from_json(CHARTER).unwrap();
    let record = partnership();
    let report = charter.check(&record);
    let flagged: Vec<_> = report
        .findings()
        .iter()
        .filter(|f| f.status.is_unmet())
        .map(|f| f.rule.as_str())
        .collect();
    // The decision circle decides, as the map routes a tier-2 partnership, with six of its
    // eight members bringing lived experience: I1 holds. The Allies Group's advice was relied
    // on while three of its eight did: I9, a warning.
    assert_eq!(flagged, vec!["I9"]);
    let i9 = report.finding("I9").unwrap();
    assert_eq!(i9.status, Status::Violated);
    assert_eq!(i9.severity, Severity::Warning);
    assert!(
        i9.message.contains("allies_group with 3 of 8"),
        "{}",
        i9.message
    );
    assert_eq!(report.finding("I1").unwrap().status, Status::Satisfied);
    assert_eq!(report.finding("T7").unwrap().status, Status::Satisfied);
    assert_eq!(report.verdict("inclusive"), Some(Verdict::AtRisk));
    for value in ["human", "transparent", "challenging"] {
        assert_eq!(report.verdict(value), Some(Verdict::Upheld), "{value}");
    }
    // The gate refuses the warning until someone acknowledges it with a reason.
    let refusal = report.gate().unwrap_err();
    assert!(refusal.to_string().contains("I9"), "{refusal}");
    assert!(charter.check(&acknowledged(record)).gate().is_ok());
}

#[test]
fn the_shipped_charter_is_the_default_spelled_out() {
    let charter = Charter::from_json(CHARTER).unwrap();
    assert_eq!(charter.to_spec(), Charter::default().to_spec());
}

#[test]
fn record_charter_and_report_round_trip() {
    let record = acknowledged(partnership()).with_override(
        RuleId::new("T1").unwrap(),
        MemberId::new(1),
        "The network asked for a week to check the names in the record",
    );
    let json = serde_json::to_string(&record).unwrap();
    assert_eq!(
        serde_json::from_str::<DecisionRecord>(&json).unwrap(),
        record
    );

    let charter = Charter::default();
    let json = serde_json::to_string(&charter).unwrap();
    let back: Charter = serde_json::from_str(&json).unwrap();
    assert_eq!(back.to_spec(), charter.to_spec());
    assert_eq!(back.check(&record), charter.check(&record));

    let report = charter.check(&record);
    assert!(report.gate().is_ok());
    let json = serde_json::to_string(&report).unwrap();
    assert_eq!(serde_json::from_str::<ValueReport>(&json).unwrap(), report);
}

#[test]
fn the_report_shape_is_stable() {
    let charter =
        Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T9"}]}"#).unwrap();
    let record = DecisionRecord {
        outcome: Some(Outcome::Declined),
        ..DecisionRecord::new(DecisionKind::Strategy)
    };
    assert_eq!(
        serde_json::to_string(&charter.check(&record)).unwrap(),
        r#"{"verdicts":[{"value":"transparent","verdict":"upheld"}],"findings":[{"rule":"T9","value":"transparent","severity":"warning","overridable":true,"status":"not_applicable","message":"declined: nothing was accepted"}]}"#
    );
}

/// Inserts `"junk": 1` into the object at `pointer` and checks the result is refused.
fn refuses_junk<T: serde::de::DeserializeOwned>(json: &str, pointer: &str) {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}"))
        .as_object_mut()
        .unwrap()
        .insert("junk".into(), 1.into());
    assert!(
        serde_json::from_value::<T>(v).is_err(),
        "unknown field accepted at {pointer}"
    );
}

#[test]
fn unknown_fields_are_refused_everywhere() {
    for pointer in [
        "",
        "/route_taken",
        "/route_taken/method",
        "/route_given",
        "/body",
        "/participants/0",
        "/objections/0",
        "/advice/0",
        "/advisers/0",
        "/expenses",
        "/funder",
        "/funder/register",
        "/due_diligence/0",
        "/stakeholders",
        "/dates",
        "/publication",
    ] {
        refuses_junk::<DecisionRecord>(PARTNERSHIP, pointer);
    }
    // The seed record's circle made no access request; one written on its own is read as
    // strictly.
    refuses_junk::<AccessRequest>(r#"{"member": 25, "need": "captions"}"#, "");
    for pointer in ["", "/values/0"] {
        refuses_junk::<CharterSpec>(CHARTER, pointer);
        refuses_junk::<Charter>(CHARTER, pointer);
    }
    // A rule entry's settings are read as the rule declares them when the charter is built:
    // the wire shape holds them as written, and the charter refuses them by name.
    for pointer in ["/rules/0", "/rules/6/lived_experience_min_share"] {
        refuses_junk::<Charter>(CHARTER, pointer);
    }
    let report = serde_json::to_string(&Charter::default().check(&partnership())).unwrap();
    for pointer in ["", "/verdicts/0", "/findings/0", "/findings/0/evidence/0"] {
        refuses_junk::<ValueReport>(&report, pointer);
    }
}

/// Figures no body could have are refused where a record is read, saying which: more
/// members with lived experience, or in a role, than the body has members.
#[test]
fn impossible_body_figures_are_refused() {
    let read = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v: serde_json::Value = serde_json::from_str(PARTNERSHIP).unwrap();
        edit(&mut v);
        serde_json::from_value::<DecisionRecord>(v)
            .unwrap_err()
            .to_string()
    };
    for at in ["/body", "/advisers/0"] {
        let err = read(&|v| {
            let body = v.pointer_mut(at).unwrap();
            body["lived_experience"] = (body["size"].as_u64().unwrap() + 1).into();
        });
        assert!(
            err.contains("members with lived experience, of"),
            "{at}: {err}"
        );
    }
    let err = read(&|v| {
        let body = v.pointer_mut("/body").unwrap();
        let over = body["size"].as_u64().unwrap() + 1;
        for n in body["roles"].as_object_mut().unwrap().values_mut() {
            *n = over.into();
        }
    });
    assert!(err.contains("in the role"), "{err}");
}

#[test]
fn a_charter_refuses_settings_by_rule_and_name() {
    let with = |entry: &str| {
        Charter::from_json(&format!(
            r#"{{"values": [{{"id": "human"}}], "rules": [{entry}]}}"#
        ))
    };
    let junk = with(r#"{"id": "H1", "junk": 1}"#).unwrap_err();
    assert_eq!(
        junk,
        CharterError::SettingNotUsed {
            rule: RuleId::new("H1").unwrap(),
            field: "junk".into()
        }
    );
    assert_eq!(
        junk.to_string(),
        "cannot load rule `H1`: it takes no setting `junk`; it takes no settings"
    );
    let words = with(r#"{"id": "H2", "max_reimburse_days": "thirty"}"#).unwrap_err();
    assert_eq!(
        words.to_string(),
        r#"cannot load rule `H2`: field `max_reimburse_days` is "thirty", expected 1 to 365 days"#
    );
    assert!(with(r#"{"id": "H2", "max_reimburse_days": 365}"#).is_ok());
}

#[test]
fn a_charter_spec_writes_its_entries_as_read() {
    let spec: CharterSpec = serde_json::from_str(CHARTER).unwrap();
    let i1 = spec.rules.iter().find(|r| r.id.as_str() == "I1").unwrap();
    assert_eq!(
        i1.settings().collect::<Vec<_>>(),
        ["lived_experience_min_share", "blocking_kinds"]
    );
    assert_eq!(
        serde_json::to_string(i1).unwrap(),
        r#"{"id":"I1","lived_experience_min_share":{"numerator":1,"denominator":2},"blocking_kinds":["funding","partnership","governance"]}"#
    );
    let back: CharterSpec = serde_json::from_str(&serde_json::to_string(&spec).unwrap()).unwrap();
    assert_eq!(back, spec);
}

#[test]
fn bad_enum_values_are_refused() {
    for (good, bad) in [
        (
            r#""response": "consent_with_concern""#,
            r#""response": "maybe""#,
        ),
        (r#""tier": 2,"#, r#""tier": 5,"#),
        (r#""critical_friend""#, r#""old_friend""#),
        (r#""payment": "declined""#, r#""payment": "later""#),
    ] {
        assert!(PARTNERSHIP.contains(good), "{good}");
        let bad = PARTNERSHIP.replace(good, bad);
        assert!(
            serde_json::from_str::<DecisionRecord>(&bad).is_err(),
            "{good}"
        );
    }
}

fn small_record() -> impl Strategy<Value = DecisionRecord> {
    (
        prop::sample::select(DecisionKind::BUILT_IN.to_vec()),
        prop::option::of("[a-zA-Z ]{0,20}"),
        prop::option::of(prop::collection::vec("[a-z]{1,8}", 0..3)),
        any::<bool>(),
        prop::option::of(0u32..60),
        prop::collection::vec((1u64..9, "[a-z ]{0,10}"), 0..3),
    )
        .prop_map(
            |(kind, rationale, alternatives, labelled, wait, overrides)| {
                let mut r = DecisionRecord::new(kind);
                r.rationale = rationale.map(Into::into);
                r.alternatives = alternatives.map(|a| a.into_iter().map(Into::into).collect());
                r.labelled_coproduced = labelled;
                r.expenses = wait.map(|w| ExpensesFacts {
                    policy_applies: true,
                    longest_wait_days: Some(w),
                });
                for (n, reason) in overrides {
                    r = r.with_override(RuleId::new("T2").unwrap(), MemberId::new(n), reason);
                }
                r
            },
        )
}

proptest! {
    #[test]
    fn records_and_their_reports_round_trip(r in small_record()) {
        let json = serde_json::to_string(&r).unwrap();
        prop_assert_eq!(serde_json::from_str::<DecisionRecord>(&json).unwrap(), r.clone());
        let report = Charter::default().check(&r);
        let json = serde_json::to_string(&report).unwrap();
        prop_assert_eq!(serde_json::from_str::<ValueReport>(&json).unwrap(), report);
    }
}

#[test]
fn a_report_written_by_hand_passes_no_gate() {
    // Every finding satisfied, as a forger would write it.
    let forged: ValueReport = serde_json::from_str(
        r#"{"verdicts": [{"value": "challenging", "verdict": "upheld"}],
            "findings": [{"rule": "C4", "value": "challenging", "severity": "blocking",
                          "overridable": false, "status": "satisfied",
                          "message": "the red-line screen passed"}]}"#,
    )
    .unwrap();
    let refusal = forged.gate().unwrap_err();
    assert!(refusal.not_checked());
    assert!(refusal.unmet().is_empty());
    assert!(refusal.to_string().contains("not made by a check"));
}
