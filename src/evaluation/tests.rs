use super::*;

fn at(t: &str) -> Timestamp {
    t.parse().unwrap()
}

fn question(n: u64, benefit: Benefit) -> Question {
    Question {
        id: QuestionId::new(n),
        benefit,
        asks: format!("Question {n}?"),
        criteria: vec!["A criterion".into()],
    }
}

fn plan() -> EvaluationPlan {
    EvaluationPlan {
        agreed_by: BodyId::new("co_producers").unwrap(),
        questions: vec![
            question(1, Benefit::CoProducers),
            question(2, Benefit::Projects),
        ],
    }
}

fn words(q: u64, from: Option<u64>, when: &str) -> Gathered {
    Gathered {
        question: QuestionId::new(q),
        observation: Datum::Words {
            said: "It changed how I work.".into(),
            from: from.map(MemberId::new),
        },
        source: Source::Interview {},
        gathered_at: at(when),
    }
}

fn figure(q: u64, when: &str) -> Gathered {
    Gathered {
        question: QuestionId::new(q),
        observation: Datum::Figure {
            value: 7,
            of: "projects with a co-producer".into(),
        },
        source: Source::Records {},
        gathered_at: at(when),
    }
}

const AGREED: &str = "2023-03-01T10:00:00Z";
const NOW: &str = "2023-06-01T10:00:00Z";

fn evaluation() -> Evaluation {
    Evaluation::agreed(plan(), MemberId::new(2), at(AGREED))
}

#[test]
fn a_plan_needs_questions_each_numbered_once_and_none_blank() {
    assert_eq!(plan().check(), Ok(()));
    let mut empty = plan();
    empty.questions.clear();
    assert_eq!(empty.check(), Err(EvaluationError::NoQuestions));
    let mut twice = plan();
    twice.questions.push(question(1, Benefit::Community));
    assert_eq!(
        twice.check(),
        Err(EvaluationError::QuestionTwice {
            question: QuestionId::new(1)
        })
    );
    let mut blank = plan();
    blank.questions[1].asks = "  ".into();
    assert_eq!(
        blank.check(),
        Err(EvaluationError::Blank {
            question: QuestionId::new(2),
            field: "asks"
        })
    );
    let mut blank_criterion = plan();
    blank_criterion.questions[0].criteria.push(String::new());
    assert!(matches!(
        blank_criterion.check(),
        Err(EvaluationError::Blank {
            field: "criteria",
            ..
        })
    ));
}

#[test]
fn a_plan_has_limits_on_its_lists() {
    let mut many = plan();
    many.questions = (1..=MAX_QUESTIONS as u64 + 1)
        .map(|n| question(n, Benefit::Community))
        .collect();
    assert!(matches!(
        many.check(),
        Err(EvaluationError::TooMany {
            what: "questions",
            ..
        })
    ));
    let mut criteria = plan();
    criteria.questions[0].criteria = vec!["c".into(); MAX_CRITERIA + 1];
    assert!(matches!(
        criteria.check(),
        Err(EvaluationError::TooMany {
            what: "criteria",
            ..
        })
    ));
}

#[test]
fn a_plan_says_which_benefits_it_leaves_unasked() {
    assert_eq!(plan().benefits_without_question(), [Benefit::Community]);
}

#[test]
fn evidence_answers_a_question_of_the_plan_and_is_dated_within_the_pilot() {
    let e = evaluation();
    assert_eq!(e.check(&[words(1, Some(7), NOW)], at(NOW)), Ok(()));
    assert_eq!(e.check(&[], at(NOW)), Err(EvaluationError::NoEvidence));
    assert_eq!(
        e.check(&[figure(3, NOW)], at(NOW)),
        Err(EvaluationError::UnknownQuestion {
            question: QuestionId::new(3)
        })
    );
    // Dated after it is recorded: the future is not evidence.
    assert!(matches!(
        e.check(&[figure(1, "2023-06-02T10:00:00Z")], at(NOW)),
        Err(EvaluationError::GatheredLater { .. })
    ));
    // Backdated before the questions were agreed.
    assert!(matches!(
        e.check(&[figure(1, "2023-02-01T10:00:00Z")], at(NOW)),
        Err(EvaluationError::GatheredBeforePlan { .. })
    ));
    let mut blank = words(1, None, NOW);
    blank.observation = Datum::Words {
        said: " ".into(),
        from: None,
    };
    assert_eq!(
        e.check(&[blank], at(NOW)),
        Err(EvaluationError::Blank {
            question: QuestionId::new(1),
            field: "said"
        })
    );
    let too_many = vec![figure(1, NOW); MAX_GATHERED + 1];
    assert!(matches!(
        e.check(&too_many, at(NOW)),
        Err(EvaluationError::TooMany { .. })
    ));
}

#[test]
fn an_evaluation_holds_at_most_its_limit_of_evidence_in_all() {
    let mut e = evaluation();
    let batch = vec![figure(1, NOW); MAX_GATHERED];
    for _ in 0..MAX_EVIDENCE / MAX_GATHERED {
        assert_eq!(e.check(&batch, at(NOW)), Ok(()));
        e.record(batch.clone(), MemberId::new(7), at(NOW));
    }
    assert_eq!(e.evidence.len(), MAX_EVIDENCE);
    assert_eq!(
        e.check(&[figure(1, NOW)], at(NOW)),
        Err(EvaluationError::TooMany {
            what: "pieces of evidence in the evaluation with these",
            count: MAX_EVIDENCE + 1,
            max: MAX_EVIDENCE,
        })
    );
}

#[test]
fn recorded_evidence_keeps_who_recorded_it_and_counts_per_question() {
    let mut e = evaluation();
    assert_eq!(
        e.without_evidence(),
        [QuestionId::new(1), QuestionId::new(2)]
    );
    e.record(
        vec![words(1, Some(7), NOW), figure(1, NOW), words(1, None, NOW)],
        MemberId::new(7),
        at(NOW),
    );
    assert_eq!(e.without_evidence(), [QuestionId::new(2)]);
    assert_eq!(e.short_of(3), [QuestionId::new(2)]);
    assert_eq!(e.short_of(4), [QuestionId::new(1), QuestionId::new(2)]);
    assert_eq!(e.words(), 2);
    let counts = e.figures();
    assert_eq!((counts[0].figures, counts[0].words), (1, 2));
    assert_eq!((counts[1].figures, counts[1].words), (0, 0));
    // Words recorded by the member who said them are their own; words another records
    // for them, or anonymous ones, are attested.
    assert!(e.evidence[0].in_own_words());
    assert!(!e.evidence[1].in_own_words());
    assert!(!e.evidence[2].in_own_words());
}

#[test]
fn the_wire_form_refuses_unknown_fields_and_reads_each_source() {
    let json = r#"{"question":1,"observation":{"type":"figure","value":3,"of":"sessions"},"source":{"type":"session","session":4},"gathered_at":"2023-05-01T10:00:00Z"}"#;
    let g: Gathered = serde_json::from_str(json).unwrap();
    assert_eq!(
        g.source,
        Source::Session {
            session: SessionId::new(4)
        }
    );
    assert_eq!(serde_json::to_string(&g).unwrap(), json);
    let extra = json.replace("\"question\":1,", "\"question\":1,\"weight\":2,");
    assert!(serde_json::from_str::<Gathered>(&extra).is_err());
    let words = r#"{"type":"words","said":"Yes"}"#;
    assert_eq!(
        serde_json::from_str::<Datum>(words).unwrap(),
        Datum::Words {
            said: "Yes".into(),
            from: None
        }
    );
    assert_eq!(Benefit::CoProducers.label(), "co_producers");
    assert_eq!(QuestionId::new(2).to_string(), "q2");
}
