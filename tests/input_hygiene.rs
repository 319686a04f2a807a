//! Input hygiene through the engine's public API: bad input gets a typed error that says what
//! was wrong and where, quotes at most a short prefix of it, and writes nothing.
//!
//! - a request line over its byte limit, and every free-text field of every command and of
//!   the evidence over its character limit (each named by its JSON path);
//! - objects written as positional arrays (a request, a command, a response, an event, a
//!   record, a charter), while legitimate lists and tuples pass;
//! - a charter naming a decision kind it does not know;
//! - evidence overriding or acknowledging a rule the charter does not have.

mod engine_support;

use coproduction::consent::RoundEvent;
use coproduction::engine::{Engine, EngineError, EngineEvent, Request};
use coproduction::journal::{Journal, MemoryJournal};
use coproduction::limits::{
    self, InputError, NOTE_CHARS, REQUEST_LINE_BYTES, TEXT_CHARS, TITLE_CHARS,
};
use coproduction::values::{Charter, CharterError, CitedIn, DecisionRecord, RuleId};
use engine_support::*;

/// An engine on the seed community's map with the round on the working model consented.
fn consented() -> Engine<MemoryJournal<EngineEvent>> {
    let community = community();
    let engine = Engine::builder(community.clone())
        .governance(governance(&community))
        .open(MemoryJournal::new())
        .unwrap();
    to_consented(&engine);
    engine
}

fn journalled(engine: &Engine<MemoryJournal<EngineEvent>>) -> usize {
    engine.journal().read_all().unwrap().len()
}

/// A request of member 13 on the working model's stream, with `command` under `process`.
fn request(process: &str, command: &str) -> String {
    format!(
        r#"{{"stream": "working-model", "actor": 13, "now": "2022-09-01T10:00:00Z", "command": {{"process": "{process}", "command": {command}}}}}"#
    )
}

/// An evidence request carrying `record`.
fn evidence_request(record: &str) -> String {
    format!(
        r#"{{"stream": "working-model", "actor": 13, "now": "2022-09-01T10:00:00Z", "command": {{"process": "evidence"}}, "evidence": {record}}}"#
    )
}

/// A respond request with `response`.
fn respond(response: &str) -> String {
    request(
        "consent",
        &format!(r#"{{"type": "respond", "member": 13, "response": {response}}}"#),
    )
}

/// An error message short enough to read whatever the input's size.
fn assert_short(error: &impl std::fmt::Display) {
    let message = error.to_string();
    assert!(
        message.len() < 300,
        "{} bytes: {}",
        message.len(),
        message.chars().take(300).collect::<String>()
    );
}

#[test]
fn a_ten_megabyte_comment_is_refused_by_the_line_limit_before_it_is_read() {
    let engine = consented();
    let before = journalled(&engine);
    let comment = "x".repeat(10 << 20);
    let line = respond(&format!(r#"{{"type": "consent", "comment": "{comment}"}}"#));
    let err = engine.handle_json(&line).unwrap_err();
    assert_eq!(
        err,
        EngineError::Input(InputError::LineTooLong {
            bytes: line.len(),
            limit: REQUEST_LINE_BYTES
        })
    );
    assert_short(&err);
    assert!(err.to_string().contains("1048576"), "{err}");
    assert_eq!(journalled(&engine), before);
}

#[test]
fn a_comment_over_its_limit_is_refused_naming_the_field_and_the_limit() {
    let engine = consented();
    let before = journalled(&engine);
    let comment = "x".repeat(NOTE_CHARS + 1);
    let line = respond(&format!(r#"{{"type": "consent", "comment": "{comment}"}}"#));
    let err = engine.handle_json(&line).unwrap_err();
    assert_eq!(
        err,
        EngineError::Input(InputError::TextTooLong {
            path: "command.command.response.comment".into(),
            chars: NOTE_CHARS + 1,
            limit: NOTE_CHARS,
        })
    );
    assert_short(&err);
    assert_eq!(journalled(&engine), before);

    // The same through the Rust API.
    let request: Request = serde_json::from_str(&line).unwrap();
    assert_eq!(engine.handle(request).unwrap_err(), err);
    assert_eq!(journalled(&engine), before);
}

#[test]
fn a_text_within_its_limit_is_taken() {
    let community = community();
    let engine = Engine::builder(community.clone())
        .governance(governance(&community))
        .open(MemoryJournal::new())
        .unwrap();
    let mut open = engine_support::open(&community);
    if let coproduction::engine::ProcessCommand::Consent {
        command: coproduction::consent::RoundCommand::Open { config },
    } = &mut open.command
    {
        config.title = "t".repeat(TITLE_CHARS);
        config.proposal = "é".repeat(TEXT_CHARS); // 100,000 bytes, 50,000 characters
    }
    assert_eq!(engine.handle(open).unwrap().len(), 2);
}

/// Every free-text field of every command and of the evidence, by the JSON path its error
/// names and its limit: `{T}` in the template is where the text goes.
fn free_text_fields() -> Vec<(String, &'static str, usize)> {
    let consent = |command: &str| request("consent", command);
    let proposal = |command: &str| request("proposal", command);
    let funding = |command: &str| request("funding", command);
    let config = r#"{"title": "{TITLE}", "proposal": "{PROPOSAL}", "deciding_body": "associate_roles_team",
        "method": {"type": "consent"}, "roles": {"proposer": 1, "facilitator": 13, "secretary": 2},
        "eligible": [{"member": 1, "lived_experience": true}], "absence": "count_as_absent",
        "quorum": {"size": {"type": "share", "numerator": 1, "denominator": 2}, "lived_experience_min": 1},
        "max_objection_rounds": 3}"#;
    let open = |title: &str, proposal: &str| {
        consent(&format!(
            r#"{{"type": "open", "config": {}}}"#,
            config
                .replace("{TITLE}", title)
                .replace("{PROPOSAL}", proposal)
        ))
    };
    let create = |title: &str, text: &str| {
        proposal(&format!(
            r#"{{"type": "create", "config": {{"id": 2, "title": "{title}", "kind": "working_model",
                "text": "{text}", "roles": {{"proposers": [1], "steward": 2, "members": [13, 14]}}}}}}"#
        ))
    };
    let identify = |funder: &str,
                    sector: &str,
                    description: &str,
                    condition: &str,
                    red_line: &str| {
        funding(&format!(
            r#"{{"type": "identify",
                "offer": {{"kind": "funding", "funder": "{funder}", "sector": "{sector}", "description": "{description}",
                          "amount": 12000, "conditions": [{{"text": "{condition}"}}]}},
                "policy": {{"red_line_sectors": ["{red_line}"], "sanctions": [],
                           "amount_bands": {{"tier_one_from": 2000, "tier_two_from": 25000}}, "comment_window_days": 7}}}}"#
        ))
    };
    let decide = |condition: &str, rationale: &str| {
        funding(&format!(
            r#"{{"type": "decide", "outcome": {{"type": "accept_with_conditions", "conditions": [{{"text": "{condition}"}}]}},
                "deciders": [1, 5], "rationale": "{rationale}"}}"#
        ))
    };
    let roles = r#""roles": {"proposer": 1, "facilitator": 13, "secretary": 14}"#;
    let t = "{T}";
    let c = "c";
    vec![
        // Consent rounds.
        (open(t, c), "command.command.config.title", TITLE_CHARS),
        (open(c, t), "command.command.config.proposal", TEXT_CHARS),
        (
            consent(&format!(
                r#"{{"type": "open_on_route", "title": "{t}", "proposal": "p", {roles}}}"#
            )),
            "command.command.title",
            TITLE_CHARS,
        ),
        (
            consent(&format!(
                r#"{{"type": "open_on_route", "title": "t", "proposal": "{t}", {roles}}}"#
            )),
            "command.command.proposal",
            TEXT_CHARS,
        ),
        (
            consent(r#"{"type": "ask_question", "question": "{T}"}"#),
            "command.command.question",
            NOTE_CHARS,
        ),
        (
            consent(r#"{"type": "react", "reaction": "{T}"}"#),
            "command.command.reaction",
            NOTE_CHARS,
        ),
        (
            consent(r#"{"type": "amend", "text": "{T}"}"#),
            "command.command.text",
            TEXT_CHARS,
        ),
        (
            respond(r#"{"type": "consent", "comment": "{T}"}"#),
            "command.command.response.comment",
            NOTE_CHARS,
        ),
        (
            respond(r#"{"type": "consent_with_concern", "concern": "{T}"}"#),
            "command.command.response.concern",
            NOTE_CHARS,
        ),
        (
            respond(r#"{"type": "object", "reason": "{T}"}"#),
            "command.command.response.reason",
            NOTE_CHARS,
        ),
        (
            respond(r#"{"type": "stand_aside", "reason": "{T}"}"#),
            "command.command.response.reason",
            NOTE_CHARS,
        ),
        (
            respond(r#"{"type": "advice", "advice": "{T}", "affected": true, "expertise": false}"#),
            "command.command.response.advice",
            NOTE_CHARS,
        ),
        (
            consent(
                r#"{"type": "test_objection", "objection": 1, "criteria": [], "reasoning": "{T}", "valid": true}"#,
            ),
            "command.command.reasoning",
            NOTE_CHARS,
        ),
        (
            consent(r#"{"type": "abandon_objection", "objection": 1, "reason": "{T}"}"#),
            "command.command.reason",
            NOTE_CHARS,
        ),
        (
            consent(r#"{"type": "answer_advice", "member": 5, "answer": "{T}"}"#),
            "command.command.answer",
            NOTE_CHARS,
        ),
        (
            consent(r#"{"type": "decide", "adopt": true, "rationale": "{T}"}"#),
            "command.command.rationale",
            NOTE_CHARS,
        ),
        (
            consent(
                r#"{"type": "record_outcome", "statement": "{T}", "review_date": "2023-09-01T00:00:00Z"}"#,
            ),
            "command.command.statement",
            NOTE_CHARS,
        ),
        (
            consent(r#"{"type": "withdraw", "reason": "{T}"}"#),
            "command.command.reason",
            NOTE_CHARS,
        ),
        (
            consent(r#"{"type": "defer", "reason": "{T}"}"#),
            "command.command.reason",
            NOTE_CHARS,
        ),
        (
            consent(r#"{"type": "escalate", "to": "decision_circle", "reason": "{T}"}"#),
            "command.command.reason",
            NOTE_CHARS,
        ),
        // Proposals.
        (create(t, c), "command.command.config.title", TITLE_CHARS),
        (create(c, t), "command.command.config.text", TEXT_CHARS),
        (
            proposal(r#"{"type": "amend", "text": "{T}"}"#),
            "command.command.text",
            TEXT_CHARS,
        ),
        (
            proposal(r#"{"type": "publish", "rationale": "{T}"}"#),
            "command.command.rationale",
            NOTE_CHARS,
        ),
        (
            proposal(r#"{"type": "publish", "rationale": "r", "alternatives": ["a", "{T}"]}"#),
            "command.command.alternatives[1]",
            NOTE_CHARS,
        ),
        (
            proposal(r#"{"type": "object_to_standing", "reason": "{T}"}"#),
            "command.command.reason",
            NOTE_CHARS,
        ),
        (
            proposal(r#"{"type": "retire", "reason": "{T}"}"#),
            "command.command.reason",
            NOTE_CHARS,
        ),
        (
            proposal(r#"{"type": "withdraw", "reason": "{T}"}"#),
            "command.command.reason",
            NOTE_CHARS,
        ),
        // Funding decisions.
        (
            identify(t, c, c, c, c),
            "command.command.offer.funder",
            TITLE_CHARS,
        ),
        (
            identify(c, t, c, c, c),
            "command.command.offer.sector",
            TITLE_CHARS,
        ),
        (
            identify(c, c, t, c, c),
            "command.command.offer.description",
            NOTE_CHARS,
        ),
        (
            identify(c, c, c, t, c),
            "command.command.offer.conditions[0].text",
            NOTE_CHARS,
        ),
        (
            identify(c, c, c, c, t),
            "command.command.policy.red_line_sectors[0]",
            NOTE_CHARS,
        ),
        (
            funding(r#"{"type": "complete_check", "check": "reputation", "evidence": "{T}"}"#),
            "command.command.evidence",
            NOTE_CHARS,
        ),
        (
            funding(r#"{"type": "declare_interest", "interest": "{T}"}"#),
            "command.command.interest",
            NOTE_CHARS,
        ),
        (
            funding(
                r#"{"type": "record_advice", "body": "allies_group", "from": 5, "advice": "{T}"}"#,
            ),
            "command.command.advice",
            NOTE_CHARS,
        ),
        (
            funding(r#"{"type": "answer_advice", "advice": 1, "answer": "{T}"}"#),
            "command.command.answer",
            NOTE_CHARS,
        ),
        (
            funding(r#"{"type": "comment", "body": "whole_community", "text": "{T}"}"#),
            "command.command.text",
            NOTE_CHARS,
        ),
        (
            funding(r#"{"type": "record_session", "body": "whole_community", "reference": "{T}"}"#),
            "command.command.reference",
            TITLE_CHARS,
        ),
        (
            funding(r#"{"type": "record_consent_round", "reference": "{T}", "consented": true}"#),
            "command.command.reference",
            TITLE_CHARS,
        ),
        (
            decide(t, c),
            "command.command.outcome.conditions[0].text",
            NOTE_CHARS,
        ),
        (decide(c, t), "command.command.rationale", NOTE_CHARS),
        (
            funding(r#"{"type": "publish", "withheld_reason": "{T}"}"#),
            "command.command.withheld_reason",
            NOTE_CHARS,
        ),
        (
            funding(r#"{"type": "start_review", "reason": "{T}"}"#),
            "command.command.reason",
            NOTE_CHARS,
        ),
        (
            funding(r#"{"type": "review", "renew": true, "rationale": "{T}"}"#),
            "command.command.rationale",
            NOTE_CHARS,
        ),
        (
            funding(r#"{"type": "withdraw", "reason": "{T}"}"#),
            "command.command.reason",
            NOTE_CHARS,
        ),
        // The evidence a request carries.
        (
            evidence_request(r#"{"rationale": "{T}"}"#),
            "evidence.rationale",
            NOTE_CHARS,
        ),
        (
            evidence_request(r#"{"alternatives": ["{T}"]}"#),
            "evidence.alternatives[0]",
            NOTE_CHARS,
        ),
        (
            evidence_request(r#"{"overrides": [{"rule": "T2", "by": 4, "reason": "{T}"}]}"#),
            "evidence.overrides[0].reason",
            NOTE_CHARS,
        ),
        (
            evidence_request(r#"{"acknowledgements": [{"rule": "T2", "by": 4, "reason": "{T}"}]}"#),
            "evidence.acknowledgements[0].reason",
            NOTE_CHARS,
        ),
        (
            evidence_request(
                r#"{"objections": [{"by": 4, "raised_as": "objection", "reason": "{T}"}]}"#,
            ),
            "evidence.objections[0].reason",
            NOTE_CHARS,
        ),
        // What members do beside a process.
        (
            request("part", r#"{"type": "give_advice", "advice": "{T}"}"#),
            "command.command.advice",
            NOTE_CHARS,
        ),
        (
            request(
                "part",
                r#"{"type": "meet_access", "member": 25, "need": "captions", "adjustment": "{T}"}"#,
            ),
            "command.command.adjustment",
            NOTE_CHARS,
        ),
        (
            evidence_request(r#"{"funder": {"funder": "{T}"}}"#),
            "evidence.funder.funder",
            TITLE_CHARS,
        ),
        (
            evidence_request(r#"{"funder": {"funder": "f", "amount_band": "{T}"}}"#),
            "evidence.funder.amount_band",
            TITLE_CHARS,
        ),
        (
            evidence_request(r#"{"funder": {"funder": "f", "conditions": [{"text": "{T}"}]}}"#),
            "evidence.funder.conditions[0].text",
            NOTE_CHARS,
        ),
        (
            evidence_request(
                r#"{"funder": {"funder": "f", "register": {"listed": [], "withheld_reason": "{T}"}}}"#,
            ),
            "evidence.funder.register.withheld_reason",
            NOTE_CHARS,
        ),
        (
            evidence_request(r#"{"due_diligence": [{"check": "{T}", "required": true}]}"#),
            "evidence.due_diligence[0].check",
            NOTE_CHARS,
        ),
        (
            evidence_request(r#"{"recruitment": {"ways_to_apply": ["{T}"]}}"#),
            "evidence.recruitment.ways_to_apply[0]",
            NOTE_CHARS,
        ),
        (
            evidence_request(r#"{"stakeholders": {"took_part": ["{T}"]}}"#),
            "evidence.stakeholders.took_part[0]",
            NOTE_CHARS,
        ),
        (
            evidence_request(r#"{"stakeholders": {"waivers": {"allies": "{T}"}}}"#),
            "evidence.stakeholders.waivers.allies",
            NOTE_CHARS,
        ),
        (
            evidence_request(
                r#"{"publication": {"published_at": "2022-09-01T10:00:00Z", "redactions": [{"what": "{T}", "reason": "r"}]}}"#,
            ),
            "evidence.publication.redactions[0].what",
            NOTE_CHARS,
        ),
        (
            evidence_request(
                r#"{"publication": {"published_at": "2022-09-01T10:00:00Z", "redactions": [{"what": "w", "reason": "{T}"}]}}"#,
            ),
            "evidence.publication.redactions[0].reason",
            NOTE_CHARS,
        ),
    ]
}

#[test]
fn every_free_text_field_is_held_to_its_limit_and_named_by_its_path() {
    let engine = consented();
    let before = journalled(&engine);
    for (template, path, limit) in free_text_fields() {
        let over = template.replace("{T}", &"é".repeat(limit + 1));
        let err = engine.handle_json(&over).unwrap_err();
        assert_eq!(
            err,
            EngineError::Input(InputError::TextTooLong {
                path: path.into(),
                chars: limit + 1,
                limit
            }),
            "{path}"
        );
        assert_short(&err);
        // At the limit, the text is no reason to refuse.
        let at = template.replace("{T}", &"é".repeat(limit));
        let request: Request = limits::from_json(&at).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(request.check_limits(), Ok(()), "{path}");
    }
    assert_eq!(journalled(&engine), before);
}

#[test]
fn positional_arrays_are_refused_naming_where() {
    let engine = consented();
    let before = journalled(&engine);
    let advance = r#"{"type": "advance"}"#;
    for (line, path) in [
        (
            format!(
                r#"["working-model", 13, "2022-09-01T10:00:00Z", null, null, null, null, null, {{"process": "consent", "command": {advance}}}, null]"#
            ),
            "",
        ),
        (
            r#"{"stream": "working-model", "actor": 13, "now": "2022-09-01T10:00:00Z", "command": ["consent", {"type": "advance"}]}"#.to_owned(),
            "command",
        ),
        (request("consent", r#"["respond", 13, {"type": "consent"}]"#), "command.command"),
        (respond(r#"["object", "Not like this"]"#), "command.command.response"),
        // Too short to read: inside an internally tagged command, where serde cannot say
        // where it stood, the variant it names finds it.
        (respond(r#"["consent"]"#), "command.command.response"),
        (respond(r#"["object"]"#), "command.command.response"),
        (evidence_request(r#"[null, "Because"]"#), "evidence"),
        (
            evidence_request(r#"{"overrides": [["T2", 4, "Urgent"]]}"#),
            "evidence.overrides[0]",
        ),
        (
            evidence_request(r#"{"dates": [null, "2022-09-01T10:00:00Z"]}"#),
            "evidence.dates",
        ),
    ] {
        let err = engine.handle_json(&line).unwrap_err();
        assert_eq!(
            err,
            EngineError::Input(InputError::Positional { path: path.into() }),
            "{line}"
        );
        assert_short(&err);
    }
    assert_eq!(journalled(&engine), before);
}

#[test]
fn legitimate_arrays_pass() {
    // Lists (eligible members, a route's consulted bodies) in a request.
    let community = community();
    let engine = Engine::builder(community.clone())
        .governance(governance(&community))
        .open(MemoryJournal::new())
        .unwrap();
    for request in to_consented_taking_part(&community) {
        engine
            .handle_json(&serde_json::to_string(&request).unwrap())
            .unwrap();
    }
    let adopt = adopt().with_evidence(evidence());
    assert_eq!(
        engine
            .handle_json(&serde_json::to_string(&adopt).unwrap())
            .unwrap()
            .len(),
        2
    );
    // Tuples in an event: the objections and concerns of a closed round.
    let closed = r#"{"type": "round_closed", "round": 1,
        "tally": {"eligible": 3, "responded": 3, "lived_experience_responded": 3, "consents": 2, "concerns": 1,
                  "objections": 1, "stand_asides": 0, "advice": 0, "by_proxy": 0},
        "result": "objections", "objections": [[1, 14, "Carers cannot take part unpaid."]],
        "concerns": [[1, 13, "Six months may be too short."]], "at": "2022-09-01T10:35:00Z"}"#;
    limits::from_json::<RoundEvent>(closed).unwrap();
    // Every envelope the engine wrote reads back strictly.
    for envelope in engine.journal().read_all().unwrap() {
        let json = serde_json::to_string(&envelope.event).unwrap();
        limits::from_json::<EngineEvent>(&json).unwrap();
    }
}

#[test]
fn positional_events_records_and_charters_are_refused() {
    let event =
        r#"{"type": "consent", "event": ["advanced", "clarifying", null, "2022-09-01T10:05:00Z"]}"#;
    assert!(
        serde_json::from_str::<EngineEvent>(event).is_ok(),
        "serde alone takes it"
    );
    assert_eq!(
        limits::from_json::<EngineEvent>(event).unwrap_err(),
        InputError::Positional {
            path: "event".into()
        }
    );
    assert_eq!(
        limits::from_json::<DecisionRecord>(r#"["partnership"]"#).unwrap_err(),
        InputError::Positional {
            path: String::new()
        }
    );
    assert_eq!(
        Charter::from_json(r#"{"values": [["inclusive", ""]], "rules": []}"#).unwrap_err(),
        CharterError::Input(InputError::Positional {
            path: "values[0]".into()
        })
    );
}

#[test]
fn errors_quote_long_input_in_short() {
    let engine = consented();
    // Half a megabyte where a member's number belongs: within the line limit, so serde
    // reads it, and its message would echo all of it.
    let long = "9x".repeat(250_000);
    let line = request(
        "consent",
        &format!(r#"{{"type": "respond", "member": "{long}", "response": {{"type": "consent"}}}}"#),
    );
    let err = engine.handle_json(&line).unwrap_err();
    assert!(matches!(err, EngineError::Json { .. }), "{err}");
    assert_short(&err);
    assert!(err.to_string().contains("9x9x"), "{err}");
    // An unknown field with a long name, and a long unknown variant.
    for line in [
        respond(&format!(r#"{{"type": "consent", "{long}": 1}}"#)),
        respond(&format!(r#"{{"type": "{long}"}}"#)),
        format!(r#"{{"stream": "{long}"}}"#),
    ] {
        let err = engine.handle_json(&line).unwrap_err();
        assert_short(&err);
    }
    let charter = Charter::from_json(&format!(
        r#"{{"values": [{{"id": "{long}"}}], "rules": []}}"#
    ));
    assert_short(&charter.unwrap_err());
}

#[test]
fn a_charter_refuses_a_misspelt_decision_kind() {
    let err = Charter::from_json(
        r#"{"values": [{"id": "inclusive"}],
            "rules": [{"id": "I1", "blocking_kinds": ["funding", "partnrship", "governance"]}]}"#,
    )
    .unwrap_err();
    let CharterError::UnknownKind {
        rule,
        field,
        kind,
        suggestion,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(rule.as_str(), "I1");
    assert_eq!(*field, "blocking_kinds");
    assert_eq!(kind.label(), "partnrship");
    assert_eq!(suggestion.as_ref().map(|k| k.label()), Some("partnership"));
    assert!(
        err.to_string().contains("did you mean `partnership`?"),
        "{err}"
    );

    // Declared, a custom kind may be named.
    let charter = Charter::from_json(
        r#"{"values": [{"id": "inclusive"}], "custom_kinds": ["website_redesign"],
            "rules": [{"id": "I1", "blocking_kinds": ["funding", "website_redesign"]}]}"#,
    )
    .unwrap();
    assert_eq!(charter.custom_kinds().count(), 1);
}

#[test]
fn evidence_citing_an_unknown_rule_is_refused_and_nothing_is_written() {
    let engine = consented();
    let before = journalled(&engine);

    // Evidence on its own, which the engine journals without a gate.
    let line =
        evidence_request(r#"{"overrides": [{"rule": "T99", "by": 2, "reason": "A typo for T2"}]}"#);
    let err = engine.handle_json(&line).unwrap_err();
    let EngineError::Gate { source, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(source.unknown_rules().len(), 1);
    assert_eq!(source.unknown_rules()[0].rule.as_str(), "T99");
    assert_eq!(source.unknown_rules()[0].cited_in, CitedIn::Overrides);
    assert!(
        err.to_string().contains("`overrides[0]` names rule `T99`"),
        "{err}"
    );
    assert_eq!(journalled(&engine), before);

    // Evidence with a deciding command: otherwise it passes the gate.
    let acknowledged = evidence().with_acknowledgement(
        RuleId::new("Z9").unwrap(),
        STAFF_2,
        "Not a rule of this charter",
    );
    let err = engine
        .handle(adopt().with_evidence(acknowledged))
        .unwrap_err();
    let EngineError::Gate { source, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(source.unknown_rules()[0].rule.as_str(), "Z9");
    assert_eq!(
        source.unknown_rules()[0].cited_in,
        CitedIn::Acknowledgements
    );
    assert_eq!(journalled(&engine), before);
    assert_eq!(
        engine
            .handle(adopt().with_evidence(evidence()))
            .unwrap()
            .len(),
        2
    );
}

/// A key named twice in a map (a member's supporters, a stakeholder group's waiver) is
/// refused, saying where (the line and column), rather than the later silently replacing
/// the earlier.
#[test]
fn a_key_named_twice_in_a_map_is_refused() {
    let community = community();
    let engine = engine();
    let founded = journalled(&engine);
    let open = serde_json::to_string(&open(&community)).unwrap();
    let twice = open.replacen(
        r#""max_objection_rounds""#,
        r#""supporters": {"14": [13], "14": [1]}, "max_objection_rounds""#,
        1,
    );
    assert_ne!(twice, open);
    let err = engine.handle_json(&twice).unwrap_err();
    assert!(err.is_refusal(), "{err}");
    assert!(
        err.to_string()
            .contains("found duplicate key at line 1 column"),
        "{err}"
    );
    assert_short(&err);
    assert_eq!(journalled(&engine), founded);
    let once = open.replacen(
        r#""max_objection_rounds""#,
        r#""supporters": {"14": [13, 1]}, "max_objection_rounds""#,
        1,
    );
    engine.handle_json(&once).unwrap();

    let before = journalled(&engine);
    let waived = evidence_request(
        r#"{"stakeholders": {"took_part": [], "waivers": {"funders": "Not asked", "funders": "Asked"}}}"#,
    );
    let err = engine.handle_json(&waived).unwrap_err();
    assert!(
        err.to_string()
            .contains("found duplicate key at line 1 column"),
        "{err}"
    );
    assert_eq!(journalled(&engine), before);
}
