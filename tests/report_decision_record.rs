//! The decision record as Markdown: the full text, asserted.

use std::collections::BTreeMap;

use coproduction::community::{BodyFigures, BodyId, MemberId, Role};
use coproduction::decision::{DecisionKind, Method};
use coproduction::report::DecisionRecordMarkdown;
use coproduction::values::{
    AbsenceCounted, Charter, DecisionRecord, Disposition, ObjectionEntry, Outcome, Participant,
    PaymentStatus, Proposed, Publication, RaisedAs, RecordedResponse, RecruitmentFacts,
    RouteSummary, RuleId, TestResult,
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
        participants: Some(
            vec![
                Participant::new(m(14))
                    .with_lived_experience()
                    .contributor(PaymentStatus::Accepted)
                    .responded(RecordedResponse::Objection),
                Participant::new(m(1)).responded(RecordedResponse::Consent),
                Participant::new(m(13))
                    .with_lived_experience()
                    .absent(AbsenceCounted::NotCounted),
            ]
            .into(),
        ),
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

### In short

- What was proposed: Associate roles working model.
- What was decided: It was adopted.
- Who decided, and how: associate_roles_team, by consent.
- Who was heard: 2 of 3 members responded (m1 and m14); 1 of them brings lived experience.
- What objections changed: an objection from m14 changed it; 1 other was raised (listed below).
- Why: The workshops asked for paid, flexible roles.
- What conditions apply: none recorded.
- When it will be reviewed: 2023-03-01.

### Deciding body

associate_roles_team: 3 members; lived experience: 2 of 3 (67%).
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
- Published: 2022-09-05
- Review due: 2023-03-01

### Values

- transparent: at risk

Findings not satisfied:

- T2 (transparent, blocking, violated): MESSAGE
  - Overridden by m2: Alternatives are published within a week

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
        "## Decision record: strategy\n\nOutcome: not decided yet.\nRoute taken: not recorded.\n\n### In short\n\n- What was proposed: strategy.\n- What was decided: Not decided yet.\n- Who decided, and how: not recorded.\n- Who was heard: not recorded.\n- What objections changed: not recorded.\n- Why: not recorded.\n- What conditions apply: none recorded.\n- When it will be reviewed: no review date is set.\n\n### Deciding body\n\nNot recorded.\n\n### Responses\n\nNot recorded.\n\n### Objections and concerns\n\nNot recorded.\n\n### Rationale\n\nNot recorded.\n\nAlternatives considered: not recorded.\n\n### Dates\n\nNone recorded.\n"
    ));
    assert!(text.ends_with("### Overrides and acknowledgements\n\nNone.\n"));
}

#[test]
fn a_heading_is_the_title_given_then_the_proposal_then_the_fallback_then_the_kind() {
    let charter =
        Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"}]}"#).unwrap();
    let heading = |record: &DecisionRecord, title: Option<&str>| {
        let report = charter.check(record);
        let mut markdown = DecisionRecordMarkdown::new(record, &report).or_titled("round-2022-09");
        if let Some(title) = title {
            markdown = markdown.titled(title);
        }
        let text = markdown.to_string();
        text.lines().next().unwrap_or_default().to_owned()
    };
    let bare = DecisionRecord::new(DecisionKind::Strategy);
    assert_eq!(heading(&bare, None), "## Decision record: round-2022-09");
    assert_eq!(
        heading(&bare, Some("Community strategy")),
        "## Decision record: Community strategy"
    );
    let proposed = DecisionRecord {
        proposed: Some(Proposed {
            title: "Adopt the working model".into(),
            text: "Pilot it for six months.".into(),
            earlier: vec![],
            since: vec![],
        }),
        ..DecisionRecord::new(DecisionKind::WorkingModel)
    };
    assert_eq!(
        heading(&proposed, None),
        "## Decision record: Adopt the working model"
    );
    assert_eq!(
        heading(&proposed, Some("Associate roles")),
        "## Decision record: Associate roles"
    );
    // With no fallback either, the kind heads it.
    let report = charter.check(&bare);
    assert!(
        DecisionRecordMarkdown::new(&bare, &report)
            .with_review(None)
            .to_string()
            .starts_with("## Decision record: strategy\n")
    );
}

#[test]
fn a_record_names_members_as_they_asked_and_keeps_their_words() {
    use coproduction::community::{Community, Member, Naming};
    use coproduction::values::Conflict;
    let team = BodyId::new("associate_roles_team").unwrap();
    let m = MemberId::new;
    let mut community = Community::new();
    for member in [
        Member::new(m(1), "Staff member 1"),
        Member::new(m(13), "Co-producer 1").named(Naming::Initials),
        Member::new(m(14), "Co-producer 2"),
        Member::new(m(20), "Community member 6").named(Naming::Anonymous),
    ] {
        community.add_member(member).unwrap();
    }
    let mut objection = ObjectionEntry::new(m(14), RaisedAs::Objection)
        .saying("Carers cannot take part\nunpaid.")
        .tested(TestResult::Valid)
        .disposed(Disposition::Integrated);
    objection.amended_by = vec!["Preparation time is paid.".into()];
    let mut stepped_out = Participant::new(m(1)).declared(Conflict::DeclaredAndRecused);
    stepped_out.interest = Some("I would manage the roles".into());
    stepped_out.stepped_out = Some("I manage the budget the roles are paid from".into());
    let mut by_proxy = Participant::new(m(20))
        .with_lived_experience()
        .responded(RecordedResponse::Consent);
    by_proxy.proxy = Some(m(13));
    // A round counts a member who stepped out of its decision as absent; their line says
    // they stepped out.
    let mut counted_absent = Participant::new(m(13))
        .responded(RecordedResponse::Absent)
        .declared(Conflict::DeclaredAndRecused);
    counted_absent.absence_counted_as = Some(coproduction::values::AbsenceCounted::NotCounted);
    counted_absent.interest = Some("One of those it appoints".into());
    counted_absent.stepped_out = Some("Does not decide on their own appointment".into());
    let record = DecisionRecord {
        outcome: Some(Outcome::Adopted),
        statement: Some("Piloted for six months, with paid preparation time.".into()),
        route_taken: Some(RouteSummary::new(team, Method::Consent)),
        participants: Some(
            vec![
                stepped_out,
                Participant::new(m(14)).responded(RecordedResponse::Objection),
                by_proxy,
                counted_absent,
            ]
            .into(),
        ),
        objections: Some(vec![objection]),
        proposed: Some(coproduction::values::Proposed {
            title: "Associate roles".into(),
            text: "Flexible roles, with paid preparation time.".into(),
            earlier: vec!["Flexible roles.".into()],
            since: vec![],
        }),
        ..DecisionRecord::new(DecisionKind::WorkingModel)
    };
    let charter =
        Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T9"}]}"#).unwrap();
    let report = charter.check(&record);
    let text = DecisionRecordMarkdown::new(&record, &report)
        .with_names(&community)
        .to_string();
    for line in [
        "## Decision record: Associate roles\n",
        "### What was proposed\n\nFlexible roles, with paid preparation time.\n\nEarlier versions:\n\n1. Flexible roles.\n",
        "Outcome: adopted.\nWhat was decided: Piloted for six months, with paid preparation time.\n",
        "- Staff member 1: stepped out: I manage the budget the roles are paid from; declared an interest (I would manage the roles)\n",
        "- Co-producer 2: objection\n",
        "- C. 1.: stepped out: Does not decide on their own appointment; declared an interest (One of those it appoints)\n",
        "- anonymous member m20 (lived experience): consent, given by their supporter C. 1.\n",
        "- Objection by Co-producer 2 (\"Carers cannot take part unpaid.\"), tested valid: integrated. Answered by the amendment: Preparation time is paid.\n",
    ] {
        assert!(text.contains(line), "{line}\n---\n{text}");
    }
    assert!(!text.contains("Community member 6"));
}

#[test]
fn reminders_extensions_and_lapses_are_listed_in_time_order() {
    use coproduction::values::{Reminder, TimeBoxExtension, TimeBoxLapse};
    let m = MemberId::new;
    let record = DecisionRecord {
        reminders: vec![Reminder {
            members: vec![m(13), m(14)],
            channel: "email".into(),
            by: m(2),
            at: at("2022-09-03T09:00:00Z"),
        }],
        extensions: vec![TimeBoxExtension {
            from: at("2022-09-05T17:00:00Z"),
            to: at("2022-09-12T17:00:00Z"),
            reason: "Two members asked for papers in large print".into(),
            by: m(13),
            at: at("2022-09-02T10:00:00Z"),
        }],
        lapses: vec![TimeBoxLapse {
            ended: at("2022-09-12T17:00:00Z"),
            rule: "defer".into(),
            at: at("2022-09-12T17:05:00Z"),
        }],
        ..DecisionRecord::new(DecisionKind::WorkingModel)
    };
    let charter =
        Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"}]}"#).unwrap();
    let report = charter.check(&record);
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains(
            "### Reminders and deadlines\n\n\
             - 2022-09-02: the time box was extended from 2022-09-05 to 2022-09-12 by m13: Two members asked for papers in large print\n\
             - 2022-09-03: m13 and m14 reminded by email, recorded by m2\n\
             - 2022-09-12: the time box ended 2022-09-12; as the round's configuration chose, the engine deferred the decision\n"
        ),
        "{text}"
    );
    // Without any, there is no such section.
    let bare = DecisionRecord::new(DecisionKind::WorkingModel);
    let text = DecisionRecordMarkdown::new(&bare, &charter.check(&bare)).to_string();
    assert!(!text.contains("Reminders and deadlines"));
}

/// However many times a matter is escalated, what a take-up hands on is one flat list of
/// steps, latest first, each with its own objections: the journal's nesting does not grow
/// with the chain.
#[test]
fn escalation_steps_stay_one_flat_list() {
    use coproduction::values::EscalatedFrom;
    let step = |n: usize| {
        let mut record = DecisionRecord::new(DecisionKind::Strategy);
        record.outcome = Some(Outcome::Escalated);
        record.objections = Some(vec![
            ObjectionEntry::new(MemberId::new(n as u64 + 1), RaisedAs::Objection)
                .saying(format!("Objection at step {n}")),
        ]);
        record
    };
    let body = BodyId::new("whole_community").unwrap();
    let mut record = step(0);
    for n in 1..=200 {
        let stream: coproduction::journal::StreamId = format!("step-{}", n - 1).parse().unwrap();
        let from = EscalatedFrom::of(stream, body.clone(), &record);
        record = step(n);
        record.escalated_from = Some(from);
    }
    let from = record.escalated_from.as_ref().unwrap();
    assert_eq!(from.earlier.len(), 199);
    assert!(from.earlier.iter().all(|s| s.earlier.is_empty()));
    let said: Vec<String> = from
        .steps()
        .map(|s| s.objections[0].text.clone().unwrap())
        .collect();
    let expected: Vec<String> = (0..200)
        .rev()
        .map(|n| format!("Objection at step {n}"))
        .collect();
    assert_eq!(said, expected);
    // It reads back from JSON within serde_json's nesting limit, as a journal line must.
    let json = serde_json::to_string(&record).unwrap();
    let read: DecisionRecord = serde_json::from_str(&json).unwrap();
    assert_eq!(read, record);
}

#[test]
fn a_matter_taken_up_after_escalation_says_where_it_came_from_and_what_stood_against_it() {
    use coproduction::values::EscalatedFrom;
    let m = MemberId::new;
    let objection = ObjectionEntry::new(m(14), RaisedAs::Objection)
        .saying("Carers cannot take part unpaid.")
        .tested(TestResult::Valid);
    let record = DecisionRecord {
        escalated_from: Some(EscalatedFrom {
            stream: "working-model-round".parse().unwrap(),
            to: BodyId::new("whole_community").unwrap(),
            outcome: Some(Outcome::Escalated),
            at: Some(at("2022-09-10T10:00:00Z")),
            objections: vec![objection],
            funder: None,
            due_diligence: None,
            earlier: vec![],
            dissolved: false,
        }),
        ..DecisionRecord::new(DecisionKind::WorkingModel)
    };
    let charter =
        Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"}]}"#).unwrap();
    let text = DecisionRecordMarkdown::new(&record, &charter.check(&record)).to_string();
    assert!(
        text.contains(
            "### Escalated from\n\nThis takes up the matter escalated to whole_community from \\`working-model-round\\` on 2022-09-10 (outcome there: escalated).\n\nIts objections and concerns, as they stood:\n\n- Objection by m14 (\"Carers cannot take part unpaid.\"), tested valid: still open.\n"
        ),
        "{text}"
    );
}

#[test]
fn a_record_names_the_map_it_was_routed_by_without_a_gate() {
    let record = DecisionRecord {
        outcome: Some(Outcome::Declined),
        ..DecisionRecord::new(DecisionKind::Partnership)
    };
    let report = Charter::default().check(&record);
    let map = coproduction::journal::Hash::of(b"a governance map");
    let text = DecisionRecordMarkdown::new(&record, &report)
        .routed_by(map)
        .to_string();
    assert!(text.contains(&format!(
        "### Governance map\n\nRouted by governance map {map} (no value gate ran on this decision).\n"
    )));
    let page = DecisionRecordMarkdown::new(&record, &report)
        .routed_by(map)
        .html()
        .to_string();
    assert!(page.contains(&format!("Routed by governance map {map}")));
    // Without it, nothing is said.
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(!text.contains("governance map"));
}

#[test]
fn member_text_cannot_add_sections_links_or_html_to_the_markdown() {
    let hostile = "Fine\n\n# Heading\n\n## Decision record: forged\n<script>alert(1)</script>\n- an item\n[x](javascript:alert(1))";
    let record = DecisionRecord {
        outcome: Some(Outcome::Adopted),
        statement: Some(hostile.into()),
        rationale: Some(hostile.into()),
        proposed: Some(coproduction::values::Proposed {
            title: hostile.into(),
            text: hostile.into(),
            earlier: vec![hostile.into()],
            since: vec![hostile.into()],
        }),
        reviews: vec![coproduction::values::ReviewRecord {
            number: 1,
            opened_at: "2022-10-04T10:00:00Z".parse().unwrap(),
            objected_by: Some(coproduction::community::MemberId::new(14)),
            objection: Some(hostile.into()),
            rounds: vec![],
            escalated_to: None,
            escalated_by: None,
            escalations: vec![],
            reached: vec![],
            ended: Some(coproduction::values::ReviewEnd::Retired {
                reason: hostile.into(),
                at: "2022-10-04T10:05:00Z".parse().unwrap(),
            }),
        }],
        alternatives: Some(vec![hostile.into()]),
        ..DecisionRecord::new(DecisionKind::Strategy)
    };
    let report = Charter::default().check(&record);
    let text = DecisionRecordMarkdown::new(&record, &report)
        .titled(hostile)
        .to_string();
    // The only headings are the record's own, and no line opens HTML, a link or a list
    // item the member wrote.
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix('#') {
            assert!(
                line.starts_with("## Decision record: Fine \\#")
                    || !heading.contains("Heading") && !heading.contains("forged"),
                "{line}"
            );
        }
        assert!(!line.starts_with('<'), "{line}");
        assert!(!line.starts_with("- an item"), "{line}");
        assert!(
            !line.contains("<script>") || line.contains("\\<script>"),
            "{line}"
        );
        assert!(!line.contains("[x]("), "{line}");
    }
    assert_eq!(text.matches("\n## ").count(), 0);
    assert!(text.starts_with(
        "## Decision record: Fine \\# Heading \\#\\# Decision record: forged \\<script>"
    ));
    assert!(text.contains("\\[x\\](javascript:alert(1))"));
    // The page escapes the same text as HTML, unchanged.
    let page = DecisionRecordMarkdown::new(&record, &report)
        .titled(hostile)
        .html()
        .to_string();
    assert!(!page.contains("<script>"));
    assert!(page.contains("&lt;script&gt;"));
}

#[test]
fn a_drawn_path_is_one_image_named_by_the_steps_it_shows() {
    let record = DecisionRecord {
        outcome: Some(Outcome::Adopted),
        dates: coproduction::values::Dates {
            session_at: Some(at("2022-09-01T18:00:00Z")),
            decided_at: Some(at("2022-09-01T19:00:00Z")),
            ..Default::default()
        },
        ..DecisionRecord::new(DecisionKind::Strategy)
    };
    let report = Charter::default().check(&record);
    let svg = "<?xml version=\"1.0\"?>\n<svg width=\"10pt\" xmlns=\"http://www.w3.org/2000/svg\"><title>path</title></svg>";
    let page = DecisionRecordMarkdown::new(&record, &report)
        .html()
        .with_path_svg(svg)
        .to_string();
    assert!(page.contains(
        "<figure>\n<svg role=\"img\" aria-label=\"Diagram of the path this decision took: Session held, then Decided\" width=\"10pt\""
    ));
    assert!(!page.contains("<?xml"));
}

#[test]
fn due_diligence_and_recruitment_are_shown_as_recorded() {
    use coproduction::values::DueDiligenceCheck;
    let record = DecisionRecord {
        due_diligence: Some(vec![
            DueDiligenceCheck {
                by: Some(MemberId::new(7)),
                evidence: Some("No listing\nfound".into()),
                ..DueDiligenceCheck::new(
                    "legal_and_sanctions",
                    true,
                    Some(at("2022-01-18T10:00:00Z")),
                )
            },
            DueDiligenceCheck::new("reputation", true, None),
        ]),
        recruitment: Some(RecruitmentFacts {
            advert_opened_at: Some(at("2022-09-22T09:00:00Z")),
            advert_closed_at: Some(at("2022-10-06T17:00:00Z")),
            ways_to_apply: ["voice note".to_owned(), "written form".to_owned()].into(),
            criteria_published_at: None,
            panel_with_lived_experience: Some(2),
        }),
        ..DecisionRecord::new(DecisionKind::Funding)
    };
    let report = Charter::default().check(&record);
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(text.contains(
        "### Due diligence\n\n- Legal and sanctions: done 2022-01-18 by m7: \"No listing found\"\n- Reputation: required, not done\n"
    ), "{text}");
    assert!(text.contains(
        "### Recruitment\n\n- Advert open from 2022-09-22 to 2022-10-06\n- 2 ways to apply: voice note and written form\n- Criteria published: not recorded\n- Panel members with lived experience: 2\n"
    ), "{text}");
    let page = DecisionRecordMarkdown::new(&record, &report)
        .html()
        .to_string();
    assert!(page.contains("<h2 id=\"due-diligence\">Due diligence</h2>"));
    assert!(page.contains("<li>Reputation: required, not done</li>"));
    assert!(page.contains("<h2 id=\"recruitment\">Recruitment</h2>"));
}

#[test]
fn members_words_keep_their_own_punctuation_and_sentences_end_once() {
    use coproduction::values::{AdviceBases, AdviceEntry, FunderFacts, FundingCondition, SetAside};
    let team = BodyId::new("staff_team").unwrap();
    let m = MemberId::new;
    let mut objection = ObjectionEntry::new(m(14), RaisedAs::Objection)
        .saying("Not yet...")
        .disposed(Disposition::Integrated);
    objection.amended_by = vec!["Wait...".into(), "Pay first.".into()];
    let advice = |from: u64, text: &str| AdviceEntry {
        from: m(from),
        bases: AdviceBases::new(),
        text: Some(text.into()),
        given_at: None,
        answer: Some("Noted.".into()),
    };
    let mut funder = FunderFacts::new("A trust");
    funder.conditions = vec![
        FundingCondition {
            text: "Report yearly.".into(),
            restricts: Default::default(),
        },
        FundingCondition {
            text: "Credit us etc.".into(),
            restricts: Default::default(),
        },
    ];
    funder.set_aside = vec![SetAside {
        condition: "Approve every report...".into(),
        reason: "Our findings are ours.".into(),
    }];
    let record = DecisionRecord {
        outcome: Some(Outcome::Adopted),
        route_taken: Some(RouteSummary::new(team, Method::Consent)),
        objections: Some(vec![objection]),
        advice: Some(vec![
            advice(3, "Wait..."),
            advice(4, "Name people by what they do."),
            advice(5, "Will members feel second class?"),
            advice(6, "Contracts call partners partners"),
        ]),
        funder: Some(funder),
        proposed: Some(Proposed {
            title: "Roles, for now...".into(),
            text: "Flexible roles.".into(),
            earlier: vec![],
            since: vec![],
        }),
        ..DecisionRecord::new(DecisionKind::WorkingModel)
    };
    let report = Charter::default().check(&record);
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    for line in [
        "- What was proposed: Roles, for now...\n",
        "- What objections changed: an objection from m14 changed it: Wait...; Pay first.\n",
        "- What conditions apply: Report yearly; Credit us etc. Set aside: Approve every report...\n",
        "Answered by the amendment: Wait... Answered by the amendment: Pay first.\n",
        "- From m3: \"Wait...\" Answered: Noted.\n",
        "- From m4: \"Name people by what they do.\" Answered: Noted.\n",
        "- From m5: \"Will members feel second class?\" Answered: Noted.\n",
        "- From m6: \"Contracts call partners partners\". Answered: Noted.\n",
    ] {
        assert!(text.contains(line), "{line}\n---\n{text}");
    }
}

#[test]
fn counts_of_one_read_in_the_singular() {
    let one = |evidence: &str| -> DecisionRecord {
        serde_json::from_str(&format!(
            r#"{{"kind": "working_model", "outcome": "adopted",
                "body": {{"body": "staff_team", "size": 1, "lived_experience": 0, "roles": {{}}}},
                "participants": [{{"member": 1}}],
                "evaluation": {{
                "plan": {{"agreed_by": "associate_roles_team", "questions": [
                    {{"id": 1, "benefit": "co_producers", "asks": "Do co-producers grow?"}}]}},
                "recorded_by": 13, "agreed_at": "2023-03-01T10:00:00Z",
                "evidence": [{evidence}]}}}}"#
        ))
        .unwrap()
    };
    let words = r#"{"gathered": {"question": 1, "observation": {"type": "words", "said": "I grew.", "from": 14},
        "source": {"type": "interview"}, "gathered_at": "2023-04-28T16:00:00Z"}, "by": 14, "at": "2023-04-28T17:00:00Z"}"#;
    let text = |record: &DecisionRecord| {
        let report = Charter::default().check(record);
        DecisionRecordMarkdown::new(record, &report).to_string()
    };
    let with = text(&one(words));
    for line in [
        "  - On the pilot's evaluation: 1 question, 1 piece of evidence (1 in people's own words).\n",
        "(recorded by m13); 1 piece of evidence, in people's own words.\n",
        "staff_team: 1 member; lived experience:",
        "- Who was heard: the 1 member entitled to respond has not responded.\n",
    ] {
        assert!(with.contains(line), "{line}\n---\n{with}");
    }
    let without = text(&one(""));
    for line in [
        "  - On the pilot's evaluation: 1 question, 0 pieces of evidence (0 in people's own words); 1 question without evidence.\n",
        "the 1 question agreed has no evidence: q1\n",
    ] {
        assert!(without.contains(line), "{line}\n---\n{without}");
    }
}

/// The In short line says whom the record shows were asked, from its advice log, not the
/// route's list of bodies to consult as if it had been followed.
#[test]
fn who_decided_names_only_the_bodies_the_advice_log_shows_were_asked() {
    use coproduction::community::{Body, BodyKind, Community, Member};
    use coproduction::values::{AdviceBases, AdviceEntry};
    let b = |s: &str| BodyId::new(s).unwrap();
    let m = MemberId::new;
    let mut community = Community::new();
    for n in 1..=4 {
        community
            .add_member(Member::new(m(n), format!("Member {n}")))
            .unwrap();
    }
    for (id, name, kind, members) in [
        ("team", "Roles team", BodyKind::Custom, &[1][..]),
        ("allies_group", "Allies Group", BodyKind::AlliesGroup, &[3]),
        ("staff_team", "Staff team", BodyKind::StaffTeam, &[2]),
    ] {
        community
            .add_body(Body::new(b(id), name, kind).with_members(members.iter().map(|n| m(*n))))
            .unwrap();
    }
    let mut route = RouteSummary::new(b("team"), Method::Consent);
    route.consulted = [b("allies_group"), b("staff_team")].into_iter().collect();
    let advice_from = |n: u64| AdviceEntry {
        from: m(n),
        bases: AdviceBases::new(),
        text: Some("Ask the members first.".into()),
        given_at: None,
        answer: None,
    };
    let who = |outcome: Option<Outcome>, advice: Option<Vec<AdviceEntry>>| {
        let record = DecisionRecord {
            outcome,
            route_taken: Some(route.clone()),
            advice,
            ..DecisionRecord::new(DecisionKind::WorkingModel)
        };
        let report = Charter::default().check(&record);
        let text = DecisionRecordMarkdown::new(&record, &report)
            .with_names(&community)
            .to_string();
        assert!(
            text.contains("Route taken: Roles team decides by consent, after consulting Allies Group, Staff team.\n"),
            "{text}"
        );
        text.lines()
            .find(|l| l.starts_with("- Who decided, and how: "))
            .unwrap()
            .trim_start_matches("- Who decided, and how: ")
            .to_owned()
    };
    let adopted = Some(Outcome::Adopted);
    assert_eq!(
        who(None, None),
        "not decided yet; Roles team is to decide, by consent, after consulting Allies Group and Staff team; no advice is recorded yet."
    );
    assert_eq!(
        who(None, Some(vec![advice_from(3)])),
        "not decided yet; Roles team is to decide, by consent, after consulting Allies Group and Staff team; advice so far from Allies Group."
    );
    assert_eq!(
        who(adopted, Some(vec![advice_from(3), advice_from(2)])),
        "Roles team, by consent, after asking Allies Group and Staff team."
    );
    assert_eq!(
        who(adopted, Some(vec![advice_from(3)])),
        "Roles team, by consent, after asking Allies Group; the route also says to consult Staff team, but no advice is recorded from that body."
    );
    assert_eq!(
        who(adopted, Some(vec![])),
        "Roles team, by consent; the route says to consult Allies Group and Staff team, but no advice is recorded from those bodies."
    );
    assert_eq!(
        who(adopted, None),
        "Roles team, by consent; the route says to consult Allies Group and Staff team, and the record does not say whether advice was asked."
    );
    // An escalated matter was sent on, not decided, by the body the route names.
    assert_eq!(
        who(Some(Outcome::Escalated), Some(vec![advice_from(3)])),
        "nobody yet; Roles team, which was to decide by consent, escalated it, after asking Allies Group; the route also says to consult Staff team, but no advice is recorded from that body."
    );
}

/// The record counts the ways to apply as rule I6 does: entries that read alike are one way,
/// and one with no letter is none, so the page never shows more ways than the check found.
#[test]
fn ways_to_apply_are_counted_as_the_check_counts_them() {
    let line = |ways: &[&str]| {
        let record = DecisionRecord {
            recruitment: Some(RecruitmentFacts {
                ways_to_apply: ways.iter().map(|w| (*w).to_owned()).collect(),
                ..RecruitmentFacts::default()
            }),
            ..DecisionRecord::new(DecisionKind::Recruitment)
        };
        let report = Charter::default().check(&record);
        let text = DecisionRecordMarkdown::new(&record, &report).to_string();
        text.lines()
            .find(|l| l.contains("to apply"))
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        line(&["phone", "e-mail"]),
        "- 2 ways to apply: e-mail and phone"
    );
    assert_eq!(
        line(&["email", "e-mail", "Phone"]),
        "- 2 ways to apply told apart by their letters, in 3 entries: Phone, e-mail and email"
    );
    assert_eq!(
        line(&["phone", "Phone"]),
        "- 1 way to apply told apart by their letters, in 2 entries: Phone and phone"
    );
    assert_eq!(
        line(&["--"]),
        "- No way to apply told apart by their letters, in 1 entry: --"
    );
}

/// Without the community, the bodies the record names as advisers are those it shows were
/// asked.
#[test]
fn who_decided_names_the_advisers_the_record_holds_without_the_community() {
    let b = |s: &str| BodyId::new(s).unwrap();
    let mut route = RouteSummary::new(b("team"), Method::Consent);
    route.consulted = [b("allies_group"), b("staff_team")].into_iter().collect();
    let record = DecisionRecord {
        outcome: Some(Outcome::Adopted),
        route_taken: Some(route),
        advice: Some(vec![]),
        advisers: Some(vec![BodyFigures {
            body: b("allies_group"),
            size: 8,
            lived_experience: 3,
            roles: BTreeMap::new(),
        }]),
        ..DecisionRecord::new(DecisionKind::WorkingModel)
    };
    let report = Charter::default().check(&record);
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains("- Who decided, and how: team, by consent, after asking allies_group; the route also says to consult staff_team, but no advice is recorded from that body.\n"),
        "{text}"
    );
}

/// A member who stepped out over a declared interest was not entitled to respond: the
/// record counts those who were, and says who stepped out, as the metrics count them.
#[test]
fn a_member_who_stepped_out_is_told_apart_from_one_who_did_not_respond() {
    let record: DecisionRecord = serde_json::from_str(
        r#"{"kind": "funding", "outcome": "adopted",
            "participants": [
                {"member": 1, "response": "consent"},
                {"member": 2, "conflict": "declared_and_recused"},
                {"member": 5, "response": "consent"}
            ]}"#,
    )
    .unwrap();
    let report = Charter::default().check(&record);
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains(
            "- Who was heard: 2 of 2 members responded (m1 and m5); 0 of them bring lived experience; m2 stepped out over a declared interest.\n"
        ),
        "{text}"
    );
}

/// An offer's record says whether the funding policy it was screened under is still the
/// community's: its red lines may have changed since.
#[test]
fn a_screened_offer_says_whether_todays_funding_policy_is_the_one_it_was_screened_under() {
    use coproduction::journal::Hash;
    use coproduction::values::{GateReview, GateSummary};
    let record = DecisionRecord::new(DecisionKind::Funding);
    let charter =
        Charter::from_json(r#"{"values": [{"id": "transparent"}], "rules": []}"#).unwrap();
    let then = Hash::of_json(&"the policy then");
    let passed =
        GateSummary::new(charter.hash(), &charter.gate(&record).unwrap()).screened_by(Some(then));
    let text = |today: Hash| {
        let review =
            GateReview::new(passed.clone(), &charter, &record).with_funding_policy(Some(today));
        let report = charter.check(&record);
        DecisionRecordMarkdown::new(&record, &report)
            .with_review(&review)
            .to_string()
    };
    let same = text(then);
    assert!(
        same.contains("Today's funding policy is the same."),
        "{same}"
    );
    let since = Hash::of_json(&"the policy since");
    let differs = text(since);
    assert!(
        differs.contains(&format!(
            "Today's funding policy differs ({since}): its red lines or tiers may have changed since."
        )),
        "{differs}"
    );
    // Without today's policy, the record says nothing of it.
    let review = GateReview::new(passed.clone(), &charter, &record);
    assert_eq!(review.same_funding_policy(), None);
}

/// A review's end names who decided it: the last round, when what it reached is the end
/// (consent continued it, a decline retired it); otherwise the steward, after that round,
/// saying what the round reached and on whose word.
#[test]
fn a_reviews_end_names_the_round_only_when_its_result_ended_it() {
    use coproduction::values::{ReviewEnd, ReviewRecord, ReviewRoundResult};
    let steward = MemberId::new(2);
    let ext = coproduction::journal::StreamId::new("ext").unwrap();
    let board = BodyId::new("board").unwrap();
    let reached = |outcome, to: Option<&BodyId>, when| ReviewRoundResult {
        round: ext.clone(),
        outcome,
        to: to.cloned(),
        at: at(when),
        attested_by: Some(steward),
        body: None,
        body_dissolved: false,
    };
    let continued = |when| ReviewEnd::Continued {
        review_date: at("2025-01-01T00:00:00Z"),
        at: at(when),
    };
    let retired = |when| ReviewEnd::Retired {
        reason: "It has run its course.".into(),
        at: at(when),
    };
    let word = "on the word of m2, who recorded it from a round held elsewhere";
    let cases = [
        (
            reached(Outcome::Adopted, None, "2024-02-02T09:07:00Z"),
            continued("2024-02-02T09:07:00Z"),
            format!("(decided by the reassessment round \\`ext\\`, {word})."),
        ),
        (
            reached(Outcome::Deferred, None, "2024-02-02T09:07:00Z"),
            continued("2024-02-02T12:00:00Z"),
            format!(
                "(the steward's decision, after the reassessment round \\`ext\\` ended deciding nothing (deferred), {word})."
            ),
        ),
        (
            reached(Outcome::Escalated, Some(&board), "2024-02-02T09:07:00Z"),
            retired("2024-02-02T12:00:00Z"),
            format!(
                "(the steward's decision, after the reassessment round \\`ext\\` escalated it to board, {word}): It has run its course."
            ),
        ),
        (
            reached(Outcome::Withdrawn, None, "2024-02-02T09:07:00Z"),
            retired("2024-02-02T12:00:00Z"),
            format!(
                "(the steward's decision, after the reassessment round \\`ext\\` ended deciding nothing (withdrawn), {word}): It has run its course."
            ),
        ),
    ];
    for (reached, ended, expected) in cases {
        let record = DecisionRecord {
            outcome: Some(Outcome::Adopted),
            reviews: vec![ReviewRecord {
                number: 1,
                opened_at: at("2024-02-02T09:00:00Z"),
                objected_by: None,
                objection: None,
                rounds: vec![ext.clone()],
                escalated_to: None,
                escalated_by: None,
                escalations: vec![],
                reached: vec![reached],
                ended: Some(ended),
            }],
            ..DecisionRecord::new(DecisionKind::WorkingModel)
        };
        let report = Charter::default().check(&record);
        let text = DecisionRecordMarkdown::new(&record, &report).to_string();
        assert!(text.contains(&expected), "{expected}\n{text}");
    }
}

/// Two members whose names read alike (a Cyrillic letter for a Latin one), or whose initials
/// are the same, and a member whose name reads as another's id, are each named with their
/// id in the record: a reader cannot take one for another.
#[test]
fn members_who_read_alike_are_told_apart_by_id() {
    use coproduction::community::{Community, Member, Naming};
    let m = MemberId::new;
    let mut community = Community::new();
    for member in [
        Member::new(m(1), "Jo Smith"),
        Member::new(m(2), "J\u{043e} Smith"),
        Member::new(m(3), "Alex Brown").named(Naming::Initials),
        Member::new(m(4), "Amal Badawi").named(Naming::Initials),
        Member::new(m(5), "m1"),
        Member::new(m(6), "Co-producer 2"),
    ] {
        community.add_member(member).unwrap();
    }
    let objection = |id| {
        ObjectionEntry::new(m(id), RaisedAs::Objection)
            .saying("Carers cannot take part unpaid.")
            .tested(TestResult::Valid)
            .disposed(Disposition::Integrated)
    };
    let record = DecisionRecord {
        outcome: Some(Outcome::Adopted),
        participants: Some(
            (1..=6)
                .map(|id| Participant::new(m(id)).responded(RecordedResponse::Objection))
                .collect::<Vec<_>>()
                .into(),
        ),
        objections: Some((1..=6).map(objection).collect()),
        ..DecisionRecord::new(DecisionKind::WorkingModel)
    };
    let report = Charter::default().check(&record);
    let text = DecisionRecordMarkdown::new(&record, &report)
        .with_names(&community)
        .to_string();
    for line in [
        "- Jo Smith (m1): objection\n",
        "- J\u{043e} Smith (m2): objection\n",
        "- A. B. (m3): objection\n",
        "- A. B. (m4): objection\n",
        "- m1 (m5): objection\n",
        "- Co-producer 2: objection\n",
        "- Objection by Jo Smith (m1) (",
        "- Objection by m1 (m5) (",
    ] {
        assert!(text.contains(line), "{line}\n---\n{text}");
    }
}
