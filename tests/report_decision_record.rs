//! The decision record as Markdown: the full text, asserted.

use std::collections::BTreeMap;

use coproduction::community::{BodyFigures, BodyId, MemberId, Role};
use coproduction::decision::{DecisionKind, Method};
use coproduction::report::DecisionRecordMarkdown;
use coproduction::values::{
    AbsenceCounted, Charter, DecisionRecord, Disposition, ObjectionEntry, Outcome, Participant,
    PaymentStatus, Publication, RaisedAs, RecordedResponse, RouteSummary, RuleId, TestResult,
};

fn at(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

#[test]
fn an_adopted_working_model_reads_as_a_full_record() {
    let team = BodyId::new("associate_roles_team").unwrap();
    let m = MemberId::new;
    let record = DecisionRecord {
        outcome: Some(Outcome::Adopted),
        route_taken: Some(RouteSummary::new(team.clone(), Method::Consent)),
        body: Some(BodyFigures {
            body: team,
            size: 3,
            lived_experience: 2,
            roles: BTreeMap::from([(Role::CoProducer, 2), (Role::Staff, 1)]),
        }),
        participants: Some(vec![
            Participant::new(m(14))
                .with_lived_experience()
                .contributor(PaymentStatus::Accepted)
                .responded(RecordedResponse::Objection),
            Participant::new(m(1)).responded(RecordedResponse::Consent),
            Participant::new(m(13))
                .with_lived_experience()
                .absent(AbsenceCounted::NotCounted),
        ]),
        absence_policy: Some(AbsenceCounted::NotCounted),
        objections: Some(vec![
            ObjectionEntry::new(m(14), RaisedAs::Objection)
                .tested(TestResult::Valid)
                .disposed(Disposition::Integrated),
            ObjectionEntry::new(m(1), RaisedAs::Concern).disposed(Disposition::LoggedAsConcern),
        ]),
        rationale: Some("The workshops asked for paid, flexible roles.".into()),
        publication: Some(Publication {
            published_at: at("2022-09-05T09:00:00Z"),
            redactions: vec![],
        }),
        ..DecisionRecord::new(DecisionKind::WorkingModel)
    }
    .with_override(
        RuleId::new("T2").unwrap(),
        m(2),
        "Alternatives are published within a week",
    );
    let mut record = record;
    record.dates.decided_at = Some(at("2022-09-01T10:40:00Z"));
    record.dates.review_at = Some(at("2023-03-01T00:00:00Z"));
    let charter =
        Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"}]}"#).unwrap();
    let report = charter.check(&record);
    let text = DecisionRecordMarkdown::new(&record, &report)
        .titled("Associate roles working model")
        .to_string();
    assert_eq!(
        text,
        "\
## Decision record: Associate roles working model

Outcome: adopted.
Route taken: associate_roles_team decides by consent.

### Deciding body

associate_roles_team: 3 members, 2 with lived experience (2 of 3 (67%)).
Roles: co_producer 2, staff 1.

### Responses

- m1: consent
- m13 (lived experience): absent, not counted either way
- m14 (lived experience, public contributor): objection; accepted payment

Absence policy: an absence is not counted either way.

### Objections and concerns

- Objection by m14, tested valid: integrated.
- Concern by m1: logged as a concern.

### Rationale

The workshops asked for paid, flexible roles.

Alternatives considered: not recorded.

### Dates

- Decided: 2022-09-01
- Review due: 2023-03-01
- Published: 2022-09-05

### Values

- transparent: at risk

Findings not satisfied:

- T2 (transparent, blocking, violated): MESSAGE
  Overridden by m2: Alternatives are published within a week

### Overrides and acknowledgements

- Override of T2 by m2: Alternatives are published within a week
"
        .replace("MESSAGE", &report.finding("T2").unwrap().message)
    );
}

#[test]
fn missing_evidence_is_written_as_not_recorded() {
    let record = DecisionRecord::new(DecisionKind::Strategy);
    let charter =
        Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"}]}"#).unwrap();
    let report = charter.check(&record);
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(text.starts_with(
        "## Decision record: strategy\n\nOutcome: not decided yet.\nRoute taken: not recorded.\n\n### Deciding body\n\nNot recorded.\n\n### Responses\n\nNot recorded.\n\n### Objections and concerns\n\nNot recorded.\n\n### Rationale\n\nNot recorded.\n\nAlternatives considered: not recorded.\n\n### Dates\n\nNone recorded.\n"
    ));
    assert!(text.ends_with("### Overrides and acknowledgements\n\nNone.\n"));
}
