//! The engine as witness: what a round states about the community (who is eligible, with
//! which lived experience) and where it escalates must be what the community and its
//! governance say; a request that says otherwise is refused, naming the first difference,
//! and nothing is written.

use coproduction::ConsentProcess;
use coproduction::community::MemberId;
use coproduction::consent::ConsentError;
use coproduction::consent::{EligibleMember, RoundCommand, RoundPhase};
use coproduction::engine::{Engine, EngineError, ProcessError, Request};
use coproduction::journal::{Journal, MemoryJournal};
use coproduction::machine::RefusalKind;
use coproduction::process::Refusal;

mod engine_support;

use engine_support::*;

fn engine() -> Engine<MemoryJournal<coproduction::EngineEvent>> {
    let community = community();
    Engine::builder(community.clone())
        .governance(governance(&community))
        .open(MemoryJournal::new())
        .unwrap()
}

/// The opening request with its eligible members changed by `forge`.
fn forged(forge: impl FnOnce(&mut Vec<EligibleMember>)) -> Request {
    let mut request = open(&community());
    if let coproduction::ProcessCommand::Consent {
        command: RoundCommand::Open { config },
    } = &mut request.command
    {
        forge(&mut config.eligible);
    }
    request
}

/// Each forgery is refused with the difference it makes, and nothing is written.
#[test]
fn a_round_seats_only_the_deciding_body_as_the_community_records_it() {
    let seat = |member: u64, lived_experience: bool| EligibleMember {
        member: MemberId::new(member),
        lived_experience,
    };
    let cases: Vec<(Request, &str)> = vec![
        (
            // An Allies Group member seated in the associate-roles team's round.
            forged(|e| e.push(seat(6, true))),
            "member m6 is not among those the route seats from `associate_roles_team`",
        ),
        (
            // Nobody the community knows.
            forged(|e| e.push(seat(999, true))),
            "member m999 is not among those the route seats",
        ),
        (
            // Lived experience the community does not record: member 13 brings it, the
            // forgery says they do not (and so in reverse for any other member).
            forged(|e| {
                for m in e.iter_mut().filter(|m| m.member == CO_1) {
                    m.lived_experience = false;
                }
            }),
            "the community records lived experience for member m13; the round says otherwise",
        ),
        (
            // A member of the body left out.
            forged(|e| e.retain(|m| m.member != CO_2)),
            "member m14 is left out",
        ),
    ];
    for (request, difference) in cases {
        let engine = engine();
        let err = engine.handle(request).unwrap_err();
        assert!(
            matches!(&err, EngineError::Unwitnessed { difference: d, .. } if d.starts_with(difference)),
            "{err}"
        );
        assert_eq!(
            engine.journal().read_all().unwrap().len(),
            1,
            "only the founding"
        );
        assert!(engine.streams().is_empty());
    }
    // The round as the community stands opens.
    let engine = engine();
    engine.handle(open(&community())).unwrap();
    assert_eq!(
        engine.phase::<ConsentProcess>(&stream()),
        Some(RoundPhase::Presented)
    );
}

/// A round escalates only along the governance map's chain for its route, to the next body
/// on it: the associate-roles team's working model escalates to the decision circle (which
/// may take it on to the whole community), not to the Allies Group.
#[test]
fn a_round_escalates_only_along_the_maps_chain() {
    let engine = engine();
    to_consented(&engine);
    let escalate = |to: &str| {
        consent(
            CO_1,
            25,
            RoundCommand::Escalate {
                to: to.parse().unwrap(),
                reason: "The team cannot agree on pay".into(),
            },
        )
    };
    let before = engine.journal().read_all().unwrap().len();
    let err = engine.handle(escalate("allies_group")).unwrap_err();
    assert!(
        matches!(
            &err,
            EngineError::Refused {
                source: ProcessError::Consent(ConsentError::Shared(Refusal { kind: RefusalKind::OffEscalationChain { chain, .. }, .. })),
                ..
            } if chain.iter().map(|b| b.as_str()).eq(["decision_circle", "whole_community"])
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("to the next body on its chain, `decision_circle` (the chain: `decision_circle`, then `whole_community`)"),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
    engine.handle(escalate("decision_circle")).unwrap();
    assert_eq!(
        engine.phase::<ConsentProcess>(&stream()),
        Some(RoundPhase::Escalated)
    );
}

/// A record says adopted only once the round reached adoption, dated by that event: consent
/// carried, or an adoption the gate refused, is no decision.
#[test]
fn a_record_claims_an_outcome_only_once_the_process_reached_it() {
    let engine = engine();
    to_consented(&engine);
    let later = at(60 * 24 * 30);
    let record = engine.record(&stream(), later).unwrap();
    assert_eq!(record.outcome, None);
    assert_eq!(record.dates.decided_at, None);

    // The gate refuses the adoption (nothing the round does not hold is recorded): still no
    // outcome.
    assert!(matches!(
        engine.handle(adopt()),
        Err(EngineError::Gate { .. })
    ));
    let record = engine.record(&stream(), later).unwrap();
    assert_eq!(record.outcome, None);
    assert_eq!(record.dates.decided_at, None);

    // Adopted: decided when the outcome was recorded, whenever the record is read.
    let written = engine.handle(adopt().with_evidence(evidence())).unwrap();
    let adopted_at = written.last().unwrap().time;
    let record = engine.record(&stream(), later).unwrap();
    assert_eq!(record.outcome, Some(coproduction::values::Outcome::Adopted));
    assert_eq!(record.dates.decided_at, Some(adopted_at));
}

/// Evidence is what the engine cannot witness, from a member who answers for the process,
/// dated no earlier than its last event; an override is made in one's own name, by the
/// member who answers for the process, of a rule that takes one. Each forgery is refused
/// with what was wrong, and nothing is written.
#[test]
fn evidence_and_overrides_come_only_from_who_may_give_them() {
    use coproduction::values::Evidence;

    let engine = engine();
    to_consented(&engine);
    let note = |actor: MemberId, minute: i64, evidence: Evidence| {
        Request::new(
            stream(),
            actor,
            at(minute),
            coproduction::ProcessCommand::Evidence {},
        )
        .with_evidence(evidence)
    };
    let blank = Evidence::default;
    let t2 = || -> coproduction::values::RuleId { "T2".parse().unwrap() };
    let cases: Vec<(Request, &str)> = vec![
        (
            // An ally with no part in the round.
            note(
                ALLY,
                25,
                Evidence {
                    rationale: Some("Because".into()),
                    ..blank()
                },
            ),
            "only a member who runs the process attests evidence",
        ),
        (
            // Backdated before the round closed.
            note(
                CO_1,
                5,
                Evidence {
                    rationale: Some("Because".into()),
                    ..blank()
                },
            ),
            "is before the process's last event",
        ),
        (
            // An override in another member's name.
            note(CO_1, 25, blank().with_override(t2(), STAFF_1, "Urgent")),
            "is made in one's own name, not member m1's",
        ),
        (
            // An override by a member who does not answer for the round.
            note(STAFF_2, 25, blank().with_override(t2(), STAFF_2, "Urgent")),
            "only the member who answers for the process may make an override",
        ),
        (
            // A rule that takes no override.
            note(
                CO_1,
                25,
                blank().with_override("C4".parse().unwrap(), CO_1, "We need it"),
            ),
            "rule C4 takes no override",
        ),
        (
            // A rule the charter does not have.
            note(
                CO_1,
                25,
                blank().with_override("T99".parse().unwrap(), CO_1, "Urgent"),
            ),
            "names rule `T99`, which the charter does not have",
        ),
        (
            // An override without a reason, which would clear nothing.
            note(CO_1, 25, blank().with_override(t2(), CO_1, "  ")),
            "an override of T2 needs a reason; a blank one clears nothing",
        ),
        (
            // An acknowledgement whose reason is white space.
            note(
                CO_1,
                25,
                blank().with_acknowledgement("I9".parse().unwrap(), CO_1, "\n\t"),
            ),
            "an acknowledgement of I9 needs a reason; a blank one clears nothing",
        ),
    ];
    let before = engine.journal().read_all().unwrap();
    for (request, reason) in cases {
        let err = engine.handle(request).unwrap_err();
        assert!(err.to_string().contains(reason), "{err}");
        assert!(
            matches!(
                err,
                EngineError::Unattested { .. } | EngineError::Gate { .. }
            ),
            "{err}"
        );
        assert_eq!(engine.journal().read_all().unwrap(), before);
    }

    // What the engine records itself has no field in evidence: a request stating an
    // outcome, a response or a public contributor is refused as it is read.
    for (field, evidence) in [
        ("outcome", r#"{"outcome": {"type": "adopted"}}"#),
        (
            "participants",
            r#"{"participants": [{"member": 20, "response": {"type": "consent"}}]}"#,
        ),
        (
            "participants",
            r#"{"participants": [{"member": 1, "public_contributor": true}]}"#,
        ),
        (
            "advice",
            r#"{"advice": [{"from": 6, "bases": ["lived_experience"]}]}"#,
        ),
        (
            "dates",
            r#"{"dates": {"decided_at": "2020-01-01T00:00:00Z"}}"#,
        ),
    ] {
        let json = format!(
            r#"{{"stream": "working-model", "actor": 13, "now": "2022-08-20T14:00:00Z", "command": {{"process": "evidence"}}, "evidence": {evidence}}}"#
        );
        let err = serde_json::from_str::<Request>(&json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field"), "{field}: {err}");
    }

    // The facilitator overrides in their own name, dated when it is made.
    let written = engine
        .handle(note(
            CO_1,
            26,
            blank().with_override(t2(), CO_1, "Alternatives follow"),
        ))
        .unwrap();
    let coproduction::EngineEvent::EvidenceRecorded { evidence } = &written[0].event else {
        panic!("evidence")
    };
    assert_eq!(evidence.overrides[0].at, Some(at(26)));
}

/// The record says which facts members attested, who and when; the Markdown record marks
/// them.
#[test]
fn the_record_marks_each_attested_fact_with_who_attested_it() {
    let engine = engine();
    to_consented(&engine);
    let written = engine.handle(adopt().with_evidence(evidence())).unwrap();
    let adopted_at = written.last().unwrap().time;
    let record = engine.record(&stream(), at(60 * 24)).unwrap();
    let facts: Vec<&str> = record
        .attested
        .iter()
        .filter(|a| a.by == STAFF_2 && a.at == adopted_at)
        .map(|a| a.fact.as_str())
        .collect();
    for fact in ["alternatives", "rationale", "dates.papers_sent_at"] {
        assert!(facts.contains(&fact), "{fact} in {facts:?}");
    }
    // What the engine witnessed is not among them: the process's own facts, and what the
    // members did themselves.
    for witnessed in [
        "outcome",
        "route_taken",
        "body",
        "dates.decided_at",
        "advice",
        "participants[m13]",
    ] {
        assert!(!facts.contains(&witnessed), "{witnessed} in {facts:?}");
    }
    let report = engine.report(&stream(), at(60 * 24)).unwrap();
    let markdown = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        markdown.contains(
            "### Attested\n\nWhat the engine did not witness itself, as members attested it:\n\n"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("\n- By m2 on 2022-08-20: rationale"),
        "{markdown}"
    );
    // The facilitator's acknowledgement of I9 is theirs.
    assert!(
        markdown.contains("\n- By m13 on 2022-08-20: acknowledgements."),
        "{markdown}"
    );
}

/// An advice process's record shows the decider deciding, in the body the route gives, and
/// the people heard as advisers, not as members who did not respond.
#[test]
fn an_advice_process_record_shows_the_decider_and_the_advisers() {
    let engine = engine();
    grant_advised(&engine);
    let record = engine.record(&grant(), at(6)).unwrap();
    let deciders: Vec<MemberId> = record
        .participants
        .iter()
        .flatten()
        .map(|p| p.member)
        .collect();
    assert_eq!(deciders, [STAFF_1], "the decider, and only the decider");
    assert_eq!(record.body.as_ref().unwrap().body.as_str(), "staff_team");
    let heard: Vec<MemberId> = record.advice.iter().flatten().map(|a| a.from).collect();
    assert_eq!(heard, [ALLY]);
}

/// Governance says who may override a finding for a body: with the map naming the
/// secretary for the associate-roles team, the round's facilitator may no longer override
/// and the secretary may, in their own name. A map naming someone outside the community is
/// refused when it is validated.
#[test]
fn governance_says_who_may_override_for_a_body() {
    use coproduction::governance::{GovernanceError, MapProblem};
    use coproduction::values::Evidence;

    let community = community();
    let team: coproduction::community::BodyId = "associate_roles_team".parse().unwrap();
    let mut map = governance(&community).into_map();
    map.set_override_by(team.clone(), [STAFF_2].into());
    let engine = Engine::builder(community.clone())
        .governance(coproduction::Governance::new(map.clone(), &community).unwrap())
        .open(MemoryJournal::new())
        .unwrap();
    // The round to consented; with the map naming the secretary, it is the secretary who
    // acknowledges I9's warning, not the facilitator.
    for request in to_consented_taking_part(&engine.community()) {
        let facilitators = request.actor == CO_1
            && matches!(request.command, coproduction::ProcessCommand::Evidence {});
        if !facilitators {
            engine.handle(request).unwrap();
        }
    }
    engine.handle(acknowledge_allies_by(STAFF_2)).unwrap();
    let t2 = || -> coproduction::values::RuleId { "T2".parse().unwrap() };
    let overriding = |actor: MemberId| {
        Request::new(
            stream(),
            actor,
            at(25),
            coproduction::ProcessCommand::Evidence {},
        )
        .with_evidence(Evidence::default().with_override(
            t2(),
            actor,
            "Alternatives follow",
        ))
    };
    let before = engine.journal().read_all().unwrap();
    let err = engine.handle(overriding(CO_1)).unwrap_err();
    assert!(
        matches!(err, EngineError::Unattested { .. }) && err.to_string().contains("override"),
        "{err}"
    );
    assert_eq!(engine.journal().read_all().unwrap(), before);
    engine.handle(overriding(STAFF_2)).unwrap();
    // The route journalled when the round opened says who may override.
    let record = engine.record(&stream(), at(26)).unwrap();
    assert_eq!(record.overrides[0].by, STAFF_2);

    map.set_override_by(team, [MemberId::new(99)].into());
    let Err(GovernanceError::InvalidMap { problems }) =
        coproduction::Governance::new(map, &community)
    else {
        panic!("a stranger cannot override");
    };
    assert!(
        matches!(&problems[..], [MapProblem::UnknownOverrider { what, .. }] if what == "member m99"),
        "{problems:?}"
    );
}
