//! The typed façade of consent rounds: every typed step lands in the phase its type claims,
//! and runtime states convert back to typed rounds only in their own phase.

mod common;

use common::consent::{
    FACILITATOR, PROPOSER, SECRETARY, at, config, ctx, passed_gate, steering_group,
};
use coproduction::community::MemberId;
use coproduction::consent::{
    AbsencePolicy, Advanced, Answers, AnyRound, Closed, ConsentError, ConsentRound, Consented,
    Decided, Integrating, ObjectionId, ObjectionRound, ObjectionStatus, Presented, Reactions,
    Response, RoundConfig, RoundPhase, RoundPhaseMarker, RoundState, TimeBox, ValidityCriterion,
};
use coproduction::decision::{DecisionKind, Method};
use coproduction::machine::PhaseMismatch;
use coproduction::machine::RefusalKind;
use coproduction::process::Refusal;
use coproduction::values::{DecisionRecord, Subject};

const P: u64 = PROPOSER.get();
const F: u64 = FACILITATOR.get();
const S: u64 = SECRETARY.get();

fn m(n: u64) -> MemberId {
    MemberId::new(n)
}

/// The round's runtime phase is the one its type names.
fn lands<Q: RoundPhaseMarker>(round: &ConsentRound<Q>) {
    assert_eq!(round.phase(), Q::PHASE);
    assert_eq!(round.round().phase(), Q::PHASE);
}

fn open(config: RoundConfig) -> ConsentRound<Presented> {
    let round = ConsentRound::open(config, ctx(P, 0)).unwrap();
    lands(&round);
    round
}

fn reactions(config: RoundConfig) -> ConsentRound<Reactions> {
    let clarifying = open(config).start_clarifying(ctx(F, 1)).unwrap();
    lands(&clarifying);
    let clarifying = clarifying.ask(ctx(2, 2), "Who holds the keys?").unwrap();
    lands(&clarifying);
    let reactions = clarifying.start_reactions(ctx(F, 3)).unwrap();
    lands(&reactions);
    let reactions = reactions
        .react(ctx(3, 4), "Saturdays suit carers.")
        .unwrap();
    lands(&reactions);
    reactions
}

fn objection_round(config: RoundConfig) -> ConsentRound<ObjectionRound> {
    let round = reactions(config).start_objection_round(ctx(F, 5)).unwrap();
    lands(&round);
    round
}

/// An objection round where member 2 objects and the rest consent, closed into integration.
fn integrating(config: RoundConfig) -> ConsentRound<Integrating> {
    let mut round = objection_round(config);
    for n in 1..=4 {
        let response = if n == 2 {
            Response::Object {
                reason: "No step-free access on Saturdays.".into(),
            }
        } else {
            Response::consent()
        };
        round = round.respond(ctx(n, 6), m(n), response).unwrap();
        lands(&round);
    }
    match round.close(ctx(F, 7)).unwrap() {
        Closed::Integrating(r) => {
            lands(&r);
            r
        }
        other => panic!("an objection leads to integration, not {other:?}"),
    }
}

#[test]
fn each_early_step_lands_in_its_phase() {
    let amending = reactions(config(Method::Consent))
        .amend(ctx(P, 5), "Start at ten, not nine.")
        .unwrap();
    lands(&amending);
    let amending = amending.amend(ctx(P, 6), "And close at one.").unwrap();
    lands(&amending);
    assert_eq!(amending.round().amendments().len(), 2);
    let round = amending.start_objection_round(ctx(F, 7)).unwrap();
    lands(&round);
    assert_eq!(round.round().objection_round(), 1);
}

#[test]
fn closing_lands_in_the_variant_of_the_runtime_phase() {
    // Everyone consents: consented.
    let mut round = objection_round(config(Method::Consent));
    for n in 1..=4 {
        round = round.respond(ctx(n, 6), m(n), Response::consent()).unwrap();
    }
    let Closed::Consented(consented) = round.close(ctx(F, 7)).unwrap() else {
        panic!("unanimous consent closes as consented");
    };
    lands(&consented);
    let proof = passed_gate(consented.subject());
    let adopted = consented
        .record_outcome(ctx(S, 8), "Adopted for a trial.", at(60 * 24 * 90), proof)
        .unwrap();
    lands(&adopted);

    // A vote with more against than in favour: declined.
    let mut round = objection_round(config(Method::Majority));
    for n in 1..=3 {
        let against = Response::Object {
            reason: "Staff cover is thin.".into(),
        };
        round = round.respond(ctx(n, 6), m(n), against).unwrap();
    }
    let Closed::Declined(declined) = round.close(ctx(F, 7)).unwrap() else {
        panic!("a vote lost closes as declined");
    };
    lands(&declined);

    // Someone unheard under a deferring absence policy: deferred. Member 6 responds for 4.
    let mut deferring = config(Method::Consent);
    deferring.absence = AbsencePolicy::Defer;
    let round = objection_round(deferring)
        .respond(ctx(S, 6), m(4), Response::consent())
        .unwrap();
    assert_eq!(
        round.round().response(m(4)).and_then(|r| r.proxy),
        Some(SECRETARY)
    );
    let Closed::Deferred(deferred) = round.close(ctx(F, 7)).unwrap() else {
        panic!("an absence under a deferring policy closes as deferred");
    };
    lands(&deferred);

    // An objection: integrating (checked inside the helper).
    integrating(config(Method::Consent));
}

#[test]
fn integration_steps_stay_in_integration_and_the_next_round_follows() {
    let round = integrating(config(Method::Consent));
    let first = ObjectionId(1);
    let round = round
        .test_objection(
            ctx(F, 8),
            first,
            &[ValidityCriterion::ReducesCapacity],
            "It would shut out a wheelchair user.",
            true,
        )
        .unwrap();
    lands(&round);
    let round = round
        .amend(
            ctx(P, 9),
            "Use the ground-floor room on Saturdays.",
            &[Answers::Objection { id: first }],
        )
        .unwrap();
    lands(&round);
    let round = round.confirm_resolved(ctx(2, 10), first).unwrap();
    lands(&round);
    let round = round.confirm_resolved(ctx(P, 11), first).unwrap();
    lands(&round);
    assert_eq!(
        Some(round.round().objections()[0].status),
        Some(ObjectionStatus::Resolved)
    );
    let Advanced::ObjectionRound(next) = round.next_round(ctx(F, 12)).unwrap() else {
        panic!("a second objection round is allowed");
    };
    lands(&next);
    assert_eq!(next.round().objection_round(), 2);
}

#[test]
fn the_next_round_breaks_down_once_the_rounds_run_out() {
    let mut one_round = config(Method::Consent);
    one_round.max_objection_rounds = 1;
    let round = integrating(one_round)
        .withdraw_objection(ctx(2, 8), ObjectionId(1))
        .unwrap();
    lands(&round);
    let Advanced::BrokenDown(broken) = round.next_round(ctx(F, 9)).unwrap() else {
        panic!("the only objection round has run");
    };
    lands(&broken);
}

#[test]
fn an_abandoned_or_failed_objection_also_settles_integration() {
    let round = integrating(config(Method::Consensus))
        .test_objection(
            ctx(F, 8),
            ObjectionId(1),
            &[],
            "No criterion asserted.",
            false,
        )
        .unwrap();
    lands(&round);
    assert_eq!(round.round().concerns().len(), 1);
    let Advanced::ObjectionRound(next) = round.next_round(ctx(F, 9)).unwrap() else {
        panic!("rounds remain");
    };
    lands(&next);

    let round = integrating(config(Method::Consent))
        .abandon_objection(ctx(F, 8), ObjectionId(1), "The objector left the group.")
        .unwrap();
    lands(&round);
}

#[test]
fn deciders_land_in_consented_or_declined() {
    let mut delegated = config(Method::Delegated);
    delegated.quorum = coproduction::consent::Quorum::NONE;
    let Decided::Consented(r) = open(delegated.clone())
        .decide(ctx(P, 1), true, "Within the staff budget.")
        .unwrap()
    else {
        panic!("adopting consents");
    };
    lands(&r);
    let Decided::Declined(r) = open(delegated)
        .decide(ctx(P, 1), false, "Not within the staff budget.")
        .unwrap()
    else {
        panic!("declining declines");
    };
    lands(&r);

    let mut advice = config(Method::AdviceProcess);
    advice.quorum = coproduction::consent::Quorum::NONE;
    let round = objection_round(advice)
        .respond(
            ctx(3, 6),
            m(3),
            Response::Advice {
                advice: "Ask the carers' forum first.".into(),
                affected: true,
                expertise: false,
            },
        )
        .unwrap();
    let round = round
        .answer_advice(ctx(P, 7), m(3), "Asked; they agree.")
        .unwrap();
    lands(&round);
    let Decided::Consented(r) = round.decide(ctx(P, 8), true, "Advice taken.").unwrap() else {
        panic!("adopting consents");
    };
    lands(&r);
}

#[test]
fn exits_land_in_their_phase_from_several_phases() {
    let c = || config(Method::Consent);
    lands(
        &open(c())
            .withdraw(ctx(P, 1), "Funding fell through.")
            .unwrap(),
    );
    lands(
        &reactions(c())
            .escalate(ctx(F, 5), steering_group(), "It touches the budget.")
            .unwrap(),
    );
    lands(
        &objection_round(c())
            .withdraw(ctx(P, 6), "Superseded.")
            .unwrap(),
    );
    lands(
        &integrating(c())
            .escalate(ctx(F, 8), steering_group(), "Stuck.")
            .unwrap(),
    );

    // Deferral needs a passed time box; a running one refuses it and gives the round back.
    let mut boxed = c();
    boxed.time_box = TimeBox {
        deadline: Some(at(30)),
        per_phase: None,
        ..TimeBox::default()
    };
    let refused = objection_round(boxed)
        .defer(ctx(F, 20), "Out of time.")
        .unwrap_err();
    assert!(matches!(refused.error, ConsentError::TimeBoxRunning { .. }));
    lands(&refused.round);
    lands(&refused.round.defer(ctx(F, 31), "Out of time.").unwrap());

    let mut boxed = c();
    boxed.time_box = TimeBox {
        deadline: None,
        per_phase: Some(jiff::SignedDuration::from_mins(10)),
        ..TimeBox::default()
    };
    let presented = open(boxed);
    lands(&presented.defer(ctx(F, 11), "Nobody came.").unwrap());
}

#[test]
fn a_runtime_state_becomes_a_typed_round_only_in_its_own_phase() {
    let state: RoundState = objection_round(config(Method::Consent)).into();
    assert_eq!(state.phase(), RoundPhase::ObjectionRound);

    let typed = ConsentRound::<ObjectionRound>::try_from(state.clone()).unwrap();
    lands(&typed);
    assert_eq!(Some(typed.round()), state.round());

    let wrong = ConsentRound::<Integrating>::try_from(state.clone()).unwrap_err();
    assert_eq!(
        wrong,
        ConsentError::PhaseMismatch(PhaseMismatch {
            attempted: "take the round as typed",
            expected: &[RoundPhase::Integrating],
            phase: RoundPhase::ObjectionRound,
        })
    );
    assert!(ConsentRound::<Presented>::try_from(state.clone()).is_err());
    assert!(ConsentRound::<ObjectionRound>::try_from(RoundState::NotOpened).is_err());

    // A step's enum of landings takes a state only in one of its phases.
    assert!(matches!(
        Closed::try_from(state.clone()),
        Err(ConsentError::PhaseMismatch(PhaseMismatch {
            phase: RoundPhase::ObjectionRound,
            ..
        }))
    ));
    assert!(matches!(
        Advanced::try_from(state.clone()),
        Ok(Advanced::ObjectionRound(_))
    ));

    let AnyRound::ObjectionRound(any) = AnyRound::try_from(state.clone()).unwrap() else {
        panic!("the state is in an objection round");
    };
    lands(&any);
    assert!(matches!(
        AnyRound::try_from(RoundState::NotOpened),
        Err(ConsentError::Shared(Refusal {
            kind: RefusalKind::NotStarted { .. },
            ..
        }))
    ));
}

#[test]
fn a_replayed_round_continues_in_its_typed_phase() {
    let round = integrating(config(Method::Consent));
    let events = round.events().to_vec();
    let AnyRound::Integrating(replayed) = AnyRound::replay(events.clone()).unwrap() else {
        panic!("the events end in integration");
    };
    lands(&replayed);
    assert_eq!(replayed.round(), round.round());
    assert_eq!(replayed.events(), events.as_slice());
    let replayed = replayed
        .withdraw_objection(ctx(2, 8), ObjectionId(1))
        .unwrap();
    lands(&replayed);
    assert!(matches!(
        AnyRound::replay(Vec::new()),
        Err(ConsentError::Shared(Refusal {
            kind: RefusalKind::NotStarted { .. },
            ..
        }))
    ));
}

/// A round where everyone consented, and its subject just before it closed.
fn consented(config: RoundConfig) -> (Option<Subject>, ConsentRound<Consented>) {
    let mut round = objection_round(config);
    for n in 1..=4 {
        round = round.respond(ctx(n, 6), m(n), Response::consent()).unwrap();
    }
    let before_close = round.subject();
    let Closed::Consented(consented) = round.close(ctx(F, 7)).unwrap() else {
        panic!("unanimous consent closes as consented");
    };
    (before_close, consented)
}

#[test]
fn adoption_takes_only_a_proof_for_this_round_as_it_stands() {
    let (before_close, round) = consented(config(Method::Consent));
    let subject = round
        .subject()
        .expect("a round with events is named by them");
    let mut another = config(Method::Consent);
    another.title = "Another round".into();
    let (_, other) = consented(another);
    let wrong = [
        ("a record that names no decision", None),
        ("another round's record", other.subject()),
        ("this round's record before it closed", before_close),
    ];
    let mut round = round;
    for (what, proof) in wrong {
        assert_ne!(proof, Some(subject), "{what}");
        let (state, events) = (round.round().clone(), round.events().to_vec());
        let refused = round
            .record_outcome(ctx(S, 8), "Adopted.", at(60 * 24 * 90), passed_gate(proof))
            .unwrap_err();
        let ConsentError::Shared(Refusal {
            kind: RefusalKind::ProofNotForThis(mismatch),
            ..
        }) = &refused.error
        else {
            panic!("{what}: refused for {}", refused.error);
        };
        assert_eq!(
            (mismatch.step, mismatch.proof),
            (Some(subject), proof),
            "{what}"
        );
        assert!(
            refused
                .to_string()
                .contains("cannot take the value gate's proof")
        );
        round = refused.round;
        assert_eq!(
            (round.round(), round.events()),
            (&state, &events[..]),
            "{what}"
        );
    }

    // A round made from its bare state carries no events to be named by.
    let (state, _) = AnyRound::replay(round.events().to_vec())
        .unwrap()
        .into_parts();
    let bare = ConsentRound::<Consented>::try_from(state).unwrap();
    assert_eq!(bare.subject(), None);
    let record = bare.name_record(DecisionRecord::new(DecisionKind::Strategy));
    assert_eq!(record.subject, None);
    let refused = bare
        .record_outcome(
            ctx(S, 8),
            "Adopted.",
            at(60 * 24 * 90),
            passed_gate(Some(subject)),
        )
        .unwrap_err();
    assert!(matches!(
        refused.error,
        ConsentError::Shared(Refusal {
            kind: RefusalKind::ProofNotForThis(ref mismatch),
            ..
        }) if mismatch.step.is_none()
    ));

    // The record named by the round itself passes; so does the same round replayed.
    let replayed = AnyRound::replay(round.events().to_vec()).unwrap();
    let AnyRound::Consented(replayed) = replayed else {
        panic!("replayed in its phase");
    };
    assert_eq!(replayed.subject(), Some(subject));
    let named = round.name_record(DecisionRecord::new(DecisionKind::Strategy));
    assert_eq!(named.subject, Some(subject));
    let adopted = replayed
        .record_outcome(
            ctx(S, 8),
            "Adopted.",
            at(60 * 24 * 90),
            passed_gate(named.subject),
        )
        .unwrap();
    lands(&adopted);
    // The adopted round keeps the proof it was adopted with.
    assert_eq!(adopted.proof().and_then(|p| p.subject()), Some(&subject));
    assert_ne!(
        adopted.subject(),
        Some(subject),
        "a new event, a new subject"
    );
}
