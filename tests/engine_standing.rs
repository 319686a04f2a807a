//! Standing that a request cannot give itself, and what stays done: a steward from outside
//! the deciding body overrides nothing, and a decision copied in from a round kept elsewhere
//! is the copier's word in the record; a declared interest or a recusal in a funding
//! decision stands; the member who records a funding decision is among those it names as
//! deciding; a matter escalated is taken up once, and not before it was escalated; an ended
//! process takes no more taking part. Each refusal writes nothing.

use coproduction::community::MemberId;
use coproduction::decision::DecisionKind;
use coproduction::engine::{EngineError, ProcessCommand, Request};
use coproduction::funding::{FundingCommand, FundingOutcome};
use coproduction::journal::{Journal, MemoryJournal, StreamId};
use coproduction::machine::RefusalKind;
use coproduction::process::PartCommand;
use coproduction::proposal::{DecisionResult, ProposalCommand};
use coproduction::values::Evidence;
use coproduction::{EngineEvent, Error};

mod engine_support;

use engine_support::funding::{consulting_requests, funding, ready_requests};
use engine_support::living::{proposal, proposal_requests};
use engine_support::*;

type TestEngine = coproduction::Engine<MemoryJournal<EngineEvent>>;

fn proposal_stream() -> StreamId {
    StreamId::new("allies-proposal").unwrap()
}

/// A recruitment proposal (the staff team decides it, by advice process) whose steward is
/// co-producer 13, outside the staff team, decided in a round kept elsewhere.
fn proposed(engine: &TestEngine) {
    for request in proposal_requests(
        &proposal_stream(),
        DecisionKind::Recruitment,
        vec![],
        None,
        -50,
    ) {
        engine.handle(request).unwrap();
    }
}

#[test]
fn a_steward_from_outside_the_deciding_body_overrides_nothing() {
    let engine = engine();
    proposed(&engine);
    let acknowledge = Request::new(
        proposal_stream(),
        CO_1,
        at(-10),
        ProcessCommand::Evidence {},
    )
    .with_evidence(Evidence::default().with_acknowledgement(
        "I9".parse().unwrap(),
        CO_1,
        "The Allies Group is being rebalanced",
    ));
    let err = refused(&engine, acknowledge);
    assert!(
        matches!(&err, EngineError::Unattested { reason, .. }
            if reason.starts_with("only the member who answers for the process")),
        "{err}"
    );
}

#[test]
fn a_decision_copied_in_from_a_round_kept_elsewhere_is_the_copiers_word_in_the_record() {
    let engine = engine();
    proposed(&engine);
    let round = engine_support::living::round_of(&proposal_stream());
    engine
        .handle(proposal(
            &proposal_stream(),
            CO_1,
            -10,
            ProposalCommand::RecordDecision {
                round: round.clone(),
                result: DecisionResult::Declined {},
            },
        ))
        .unwrap();
    let record = engine.record(&proposal_stream(), at(0)).unwrap();
    let attested: Vec<_> = record
        .attested
        .iter()
        .map(|a| (a.fact.as_str(), a.by, a.at))
        .collect();
    let fact = format!("outcome (the round `{round}`)");
    assert_eq!(attested, [(fact.as_str(), CO_1, at(-10))]);
}

/// A round kept elsewhere that was withdrawn in the proposal's first decision withdraws the
/// proposal: the steward, who is not a proposer, cannot record it (nothing is written); a
/// proposer can, on their word.
#[test]
fn a_round_kept_elsewhere_withdrawn_is_recorded_by_a_proposer_not_the_steward_alone() {
    let engine = engine();
    proposed(&engine);
    let round = engine_support::living::round_of(&proposal_stream());
    let withdrawn = |who, minute| {
        let record = ProposalCommand::RecordDecision {
            round: round.clone(),
            result: DecisionResult::Withdrawn {},
        };
        proposal(&proposal_stream(), who, minute, record)
    };
    let written = || Journal::read_all(engine.journal()).unwrap().len();
    let before = written();
    let err = engine.handle(withdrawn(CO_1, -10)).unwrap_err();
    let kind = err.refusal().map(|r| r.kind.name());
    assert_eq!(kind, Some("wrong_role"), "{err}");
    assert!(err.to_string().contains("proposer"), "{err}");
    assert_eq!(written(), before);
    engine.handle(withdrawn(STAFF_1, -9)).unwrap();
    let record = engine.record(&proposal_stream(), at(0)).unwrap();
    assert_eq!(
        record.outcome,
        Some(coproduction::values::Outcome::Withdrawn)
    );
    let attested: Vec<_> = record.attested.iter().map(|a| (a.by, a.at)).collect();
    assert_eq!(attested, [(STAFF_1, at(-9))]);
    // Nobody decided: the record does not name the body as having decided it.
    let report = engine.report(&proposal_stream(), at(0)).unwrap();
    let text = coproduction::report::DecisionRecordMarkdown::new(&record, &report).to_string();
    assert!(
        text.contains("Who decided, and how: nobody; its deciding round was withdrawn before "),
        "{text}"
    );
    assert!(
        text.contains("- Withdrawn: ") && !text.contains("- Decided: "),
        "{text}"
    );
}

#[test]
fn a_declared_interest_or_a_recusal_in_a_funding_decision_stands() {
    let engine = engine();
    for request in consulting_requests().into_iter().take(7) {
        engine.handle(request).unwrap();
    }
    let declare = |who: u64, minute: u32, interest: Option<&str>, recused: bool| {
        funding(
            "room-hire",
            who,
            &format!("2024-03-03T09:{minute:02}:00Z"),
            FundingCommand::DeclareInterest {
                interest: interest.map(Into::into),
                recused,
            },
        )
    };
    engine
        .handle(declare(3, 10, Some("Sits on the trust's board"), true))
        .unwrap();
    let err = refused(&engine, declare(3, 11, None, false));
    assert!(err.to_string().contains("stepped out"), "{err}");
    engine
        .handle(declare(2, 12, Some("A friend of the trustees"), false))
        .unwrap();
    let err = refused(&engine, declare(2, 13, None, false));
    assert!(err.to_string().contains("and it stands"), "{err}");
    // Adding to it stays open: stepping out after declaring.
    engine
        .handle(declare(2, 14, Some("A friend of the trustees"), true))
        .unwrap();
}

#[test]
fn the_member_who_records_a_funding_decision_is_among_its_deciders() {
    let engine = engine();
    for request in ready_requests() {
        engine.handle(request).unwrap();
    }
    let decide = funding(
        "room-hire",
        1,
        "2024-03-05T10:00:00Z",
        FundingCommand::Decide {
            outcome: FundingOutcome::Accept {},
            deciders: vec![MemberId::new(2)],
            rationale: "Free rooms for a year".into(),
        },
    );
    let err = refused(&engine, decide);
    assert!(
        matches!(&err, EngineError::Unwitnessed { difference, .. }
            if difference == "member m1 records the decision but is not among the deciders it names"),
        "{err}"
    );
}

#[test]
fn an_escalated_matter_is_taken_up_once_and_not_before_it_was_escalated() {
    let engine = engine();
    engine.handle(open(&community())).unwrap();
    engine
        .handle(consent(
            CO_1,
            5,
            coproduction::consent::RoundCommand::Escalate {
                to: "decision_circle".parse().unwrap(),
                reason: "The team cannot agree on pay".into(),
            },
        ))
        .unwrap();
    let take_up = |stream: &str, minute: i64| {
        let mut request = open(&community());
        request.stream = StreamId::new(stream).unwrap();
        request.now = at(minute);
        if let ProcessCommand::Consent {
            command: coproduction::consent::RoundCommand::Open { config },
        } = &mut request.command
        {
            config.deciding_body = "decision_circle".parse().unwrap();
            config.eligible =
                coproduction::consent::snapshot(&community(), &config.deciding_body).unwrap();
        }
        request.escalated_from = Some(stream_id());
        request
    };
    let err = refused(&engine, take_up("circle", 4));
    assert!(
        err.to_string().contains("dated before the escalation"),
        "{err}"
    );
    engine.handle(take_up("circle", 10)).unwrap();
    let err = refused(&engine, take_up("circle-again", 11));
    assert!(
        err.to_string().contains("another process has taken it up"),
        "{err}"
    );
}

fn stream_id() -> StreamId {
    stream()
}

#[test]
fn an_ended_process_takes_no_more_taking_part() {
    let engine = engine();
    engine.handle(open(&community())).unwrap();
    engine
        .handle(consent(
            STAFF_1,
            5,
            coproduction::consent::RoundCommand::Withdraw {
                reason: "Overtaken by the review".into(),
            },
        ))
        .unwrap();
    let remind = Request::new(
        stream(),
        STAFF_1,
        at(10),
        ProcessCommand::Part {
            command: PartCommand::Remind {
                members: [CO_2].into(),
                channel: "email".into(),
            },
        },
    );
    let err = refused(&engine, remind);
    let refusal = Error::from(err)
        .refusal()
        .cloned()
        .expect("a shared refusal");
    assert!(
        matches!(
            refusal.kind,
            RefusalKind::WrongPhase {
                attempted: "remind",
                ..
            }
        ),
        "{refusal}"
    );
}

/// A funding decision is routed on its offer's own kind and facts: a request that names
/// others is refused, not quietly ignored.
#[test]
fn a_funding_decision_is_routed_on_its_offers_own_kind_and_facts() {
    let engine = engine();
    let identify = || consulting_requests().remove(0);
    let err = refused(&engine, identify().with_kind(DecisionKind::Partnership));
    assert!(
        matches!(&err, EngineError::Unwitnessed { difference, .. }
            if difference == "the request gives the kind `partnership`; the process states `funding`"),
        "{err}"
    );
    let facts = coproduction::governance::RouteFacts::default();
    let err = refused(&engine, identify().with_facts(facts));
    assert!(matches!(&err, EngineError::Unwitnessed { .. }), "{err}");
    engine
        .handle(identify().with_kind(DecisionKind::Funding))
        .unwrap();
}

#[test]
fn an_objection_to_the_agreement_in_force_and_its_review_stand_in_the_record() {
    use coproduction::report::DecisionRecordMarkdown;
    use coproduction::values::ReviewEnd;
    let engine = engine_support::living::open_on(MemoryJournal::new());
    let stream = proposal_stream();
    engine_support::living::propose(&engine, &stream, DecisionKind::Recruitment, vec![], -50);
    engine
        .handle(engine_support::living::adopt(&stream, -40))
        .unwrap();
    let step = |actor: MemberId, minute: i64, command: ProposalCommand| {
        engine.handle(proposal(&stream, actor, minute, command))
    };
    step(
        CO_1,
        -30,
        ProposalCommand::Publish {
            rationale: "The group advises on decisions about people with lived experience".into(),
            alternatives: vec!["Leave the group as it is".into()],
        },
    )
    .unwrap();
    step(CO_1, -20, ProposalCommand::StartImplementing {}).unwrap();
    step(
        STAFF_1,
        -10,
        ProposalCommand::ObjectToStanding {
            reason: "Evening sessions were never offered".into(),
        },
    )
    .unwrap();
    step(
        CO_1,
        -5,
        ProposalCommand::Retire {
            reason: "The group will be formed again with evening sessions".into(),
        },
    )
    .unwrap();

    let record = engine.record(&stream, at(0)).unwrap();
    let [review] = record.reviews.as_slice() else {
        panic!("{:?}", record.reviews);
    };
    assert_eq!(review.objected_by, Some(STAFF_1));
    assert!(matches!(review.ended, Some(ReviewEnd::Retired { at: t, .. }) if t == at(-5)));
    // As it stood before the retirement: open.
    let before = engine.record(&stream, at(-7)).unwrap();
    assert_eq!(before.reviews.len(), 1);
    assert_eq!(before.reviews[0].ended, None);

    let report = engine.report(&stream, at(0)).unwrap();
    let text = DecisionRecordMarkdown::new(&record, &report).to_string();
    for said in [
        "Retired on ",
        "after a review: The group will be formed again with evening sessions",
        "objected to the agreement in force: \"Evening sessions were never offered\"",
        "the steward's decision, without a reassessment round",
        "an objection to the agreement in force opened a review",
        "When it will be reviewed: not again; it was retired on",
    ] {
        assert!(text.contains(said), "{said:?} not in:\n{text}");
    }
    assert!(!text.contains("Review due"), "{text}");
}

/// A proposal's id is its own: another stream cannot create a proposal under it (its
/// co-creation versions, and what they answer, would be read as the first one's).
#[test]
fn a_proposal_id_is_held_by_one_stream_only() {
    let engine = engine();
    proposed(&engine);
    let other = StreamId::new("another-proposal").unwrap();
    let create = |id| {
        let mut create = proposal_requests(&other, DecisionKind::Recruitment, vec![], None, -10)
            .into_iter()
            .next()
            .unwrap();
        if let ProcessCommand::Proposal {
            command: ProposalCommand::Create { config },
        } = &mut create.command
        {
            config.id = id;
        }
        create
    };
    let held = engine_support::living::proposal_id(&proposal_stream());
    let err = refused(&engine, create(held));
    assert!(
        matches!(&err, EngineError::ProposalIdTaken { stream, held_by, id }
            if *stream == other && *held_by == proposal_stream() && *id == held),
        "{err}"
    );
    assert_eq!(err.kind(), "proposal_id_taken");
    // Under an id of its own, it is created.
    engine
        .handle(create(engine_support::living::proposal_id(&other)))
        .unwrap();
}

/// A round decides for a proposal once its steward has started a decision naming that
/// round: a round opened on a draft (whose consents would be counted for whatever text the
/// proposal holds when it ends), or on another stream than the one named, is refused.
#[test]
fn a_round_decides_for_a_proposal_only_once_its_decision_names_it() {
    let engine = engine();
    let proposal = StreamId::new("working-model-proposal").unwrap();
    let mut requests =
        proposal_requests(&proposal, DecisionKind::WorkingModel, vec![], None, -50).into_iter();
    engine.handle(requests.next().unwrap()).unwrap();
    let round = || open(&community()).deciding_for(proposal.clone());
    let err = refused(&engine, round());
    assert!(
        matches!(&err, EngineError::RoundNotAwaited { reason, .. }
            if reason.contains("has not started a decision") && reason.contains("`draft`")),
        "{err}"
    );
    // Ready, its decision started in a round on another stream.
    for request in requests {
        engine.handle(request).unwrap();
    }
    let err = refused(&engine, round());
    assert!(
        err.to_string().contains(&format!(
            "cannot decide for `{proposal}`: its steward started its decision in round `{}`",
            engine_support::living::round_of(&proposal)
        )),
        "{err}"
    );
    // The round it named opens.
    let mut named = round();
    named.stream = engine_support::living::round_of(&proposal);
    engine.handle(named).unwrap();
}

fn working_model_proposal() -> StreamId {
    StreamId::new("working-model-proposal").unwrap()
}

/// `command` by `actor` on the round `stream`, at `minute`.
fn in_round(
    stream: &StreamId,
    actor: MemberId,
    minute: i64,
    command: coproduction::consent::RoundCommand,
) -> Request {
    let mut request = consent(actor, minute, command);
    request.stream = stream.clone();
    request
}

fn withdraw_round() -> coproduction::consent::RoundCommand {
    coproduction::consent::RoundCommand::Withdraw {
        reason: "Not now".into(),
    }
}

/// A working-model proposal (proposer staff member 1, steward co-producer 13) whose first
/// decision started in its round, brought by co-producer 14, who sits on the team that
/// decides it and is neither; returns the round's stream.
fn brought_by_a_team_member(engine: &TestEngine) -> StreamId {
    use coproduction::consent::{RoundCommand, RoundRoles};
    let proposal_id = working_model_proposal();
    for request in proposal_requests(&proposal_id, DecisionKind::WorkingModel, vec![], None, -50) {
        engine.handle(request).unwrap();
    }
    let round = engine_support::living::round_of(&proposal_id);
    let mut request = open(&community()).deciding_for(proposal_id);
    request.stream = round.clone();
    request.actor = CO_2;
    if let ProcessCommand::Consent {
        command: RoundCommand::Open { config },
    } = &mut request.command
    {
        config.roles = RoundRoles {
            proposer: CO_2,
            facilitator: CO_1,
            secretary: STAFF_2,
        };
    }
    engine.handle(request).unwrap();
    round
}

/// A round brought for a proposal's first decision by a member of the deciding body who is
/// not its proposer cannot be withdrawn by them: that would withdraw the proposal, which
/// only its proposers do. They withdraw the proposal, and the round with it.
#[test]
fn a_round_withdrawn_by_one_who_cannot_withdraw_the_proposal_is_refused() {
    use coproduction::ProposalProcess;
    use coproduction::proposal::ProposalPhase;
    let engine = engine();
    let proposal_id = working_model_proposal();
    let first = brought_by_a_team_member(&engine);
    let err = refused(&engine, in_round(&first, CO_2, 1, withdraw_round()));
    assert!(
        matches!(&err, EngineError::RoundWithdrawsTarget { target, member, .. }
            if *target == proposal_id && *member == CO_2),
        "{err}"
    );
    assert_eq!(err.kind(), "round_withdraws_target");
    assert!(
        err.to_string().contains(
            "member m14 cannot withdraw round `working-model-proposal-round`: that would withdraw `working-model-proposal`, which it decides for, and only the proposal's proposers withdraw that"
        ),
        "{err}"
    );
    // The proposal's proposer withdraws the proposal itself; its round then ends with it.
    let phase = || engine.phase::<ProposalProcess>(&proposal_id);
    let withdraw_proposal = ProposalCommand::Withdraw {
        reason: "Not now".into(),
    };
    engine
        .handle(proposal(&proposal_id, STAFF_1, 2, withdraw_proposal))
        .unwrap();
    assert_eq!(phase(), Some(ProposalPhase::Withdrawn));
    assert_eq!(
        engine.phase::<coproduction::ConsentProcess>(&first),
        Some(coproduction::consent::RoundPhase::Withdrawn)
    );
}

/// Once every proposer of the proposal has left the community, nobody is left to withdraw
/// it: the round's own proposer withdraws the round, and the proposal with it.
#[test]
fn once_its_proposers_have_left_a_rounds_proposer_withdraws_it() {
    use coproduction::ProposalProcess;
    use coproduction::living::CommunityChange;
    use coproduction::proposal::ProposalPhase;
    let engine = engine();
    let first = brought_by_a_team_member(&engine);
    let leaves = CommunityChange::Leave { member: STAFF_1 };
    engine
        .handle(engine_support::living::change(STAFF_1, 1, leaves))
        .unwrap();
    engine
        .handle(in_round(&first, CO_2, 2, withdraw_round()))
        .unwrap();
    assert_eq!(
        engine.phase::<ProposalProcess>(&working_model_proposal()),
        Some(ProposalPhase::Withdrawn)
    );
}

/// A round decides for an offer while it is in consultation, once everyone's interests are
/// declared, where its result is recorded.
#[test]
fn a_round_decides_for_an_offer_only_in_consultation() {
    let engine = engine();
    let offer = StreamId::new("room-hire").unwrap();
    let mut requests = consulting_requests().into_iter();
    // Identified and screened only.
    for request in requests.by_ref().take(3) {
        engine.handle(request).unwrap();
    }
    let mut round = open(&community())
        .with_kind(DecisionKind::Funding)
        .deciding_for(offer.clone());
    round.now = "2024-03-01T10:00:00Z".parse().unwrap();
    let err = refused(&engine, round);
    assert!(
        matches!(&err, EngineError::RoundNotAwaited { reason, .. } if reason.contains("in consultation")),
        "{err}"
    );
}
