//! The cast and the clock shared by the consent-round tests.
//!
//! A fixed, small cast keeps generated runs readable when a property fails: members 1 to 4
//! form the deciding body (2 and 3 bring lived experience), 1 proposes, 5 facilitates from
//! outside the body, 6 is secretary and the named supporter of 4, 2 is the named supporter of
//! 3, and 7 holds no part in the round at all.

// Each test crate that includes this module uses only part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use coproduction::community::{BodyId, MemberId};
use coproduction::consent::{
    AbsencePolicy, EligibleMember, Quorum, QuorumSize, RoundConfig, RoundRoles, TimeBox,
};
use coproduction::decision::Method;
use coproduction::machine::Context;
use jiff::{SignedDuration, Timestamp};

use coproduction::consent::{
    Answers, ConsentProcess, ObjectionId, Response, Round, RoundCommand, RoundEvent, RoundPhase,
    RoundState, ValidityCriterion,
};
use coproduction::machine::Decider;

/// Co-producer 1: brings the proposal, and is also in the deciding body.
pub const PROPOSER: MemberId = MemberId::new(1);
/// Staff member 5: facilitates, not in the deciding body.
pub const FACILITATOR: MemberId = MemberId::new(5);
/// Ally 6: secretary, and the named supporter of member 4.
pub const SECRETARY: MemberId = MemberId::new(6);
/// Someone with no part in the round.
pub const OUTSIDER: MemberId = MemberId::new(7);
/// Every member of the cast, outsider included.
pub const EVERYONE: [u64; 7] = [1, 2, 3, 4, 5, 6, 7];

/// The deciding body's snapshot: members 1 to 4, with 2 and 3 bringing lived experience.
pub fn eligible() -> Vec<EligibleMember> {
    [(1, false), (2, true), (3, true), (4, false)]
        .into_iter()
        .map(|(n, lived)| EligibleMember {
            member: MemberId::new(n),
            lived_experience: lived,
        })
        .collect()
}

/// Whether member `n` is in the deciding body.
pub fn is_eligible(n: u64) -> bool {
    (1..=4).contains(&n)
}

/// Whether member `n` brings lived experience.
pub fn has_lived_experience(n: u64) -> bool {
    n == 2 || n == 3
}

/// Named supporters: 6 may respond for 4, and 2 (a member themselves) for 3.
pub fn supporters() -> BTreeMap<MemberId, BTreeSet<MemberId>> {
    BTreeMap::from([
        (MemberId::new(4), BTreeSet::from([SECRETARY])),
        (MemberId::new(3), BTreeSet::from([MemberId::new(2)])),
    ])
}

/// Whether `actor` may respond on behalf of `member`: themselves or a named supporter.
pub fn may_respond_for(actor: u64, member: u64) -> bool {
    actor == member || (member == 4 && actor == 6) || (member == 3 && actor == 2)
}

/// The time `minute` minutes after the round's reference moment (negative is before it).
pub fn at(minute: i64) -> Timestamp {
    let start: Timestamp = "2024-03-04T10:00:00Z".parse().unwrap();
    start
        .checked_add(SignedDuration::from_mins(minute))
        .unwrap()
}

/// Member `actor` acting at `minute`.
pub fn ctx(actor: u64, minute: i64) -> Context<'static> {
    Context::new(MemberId::new(actor), at(minute))
}

/// The body the round escalates to.
pub fn steering_group() -> BodyId {
    "steering_group".parse().unwrap()
}

/// A round with the cast above, deciding by `method`, no time box, three objection rounds,
/// absence counted as absence and a quorum of two responses with one bringing lived
/// experience.
pub fn config(method: Method) -> RoundConfig {
    RoundConfig {
        title: "Open the drop-in on Saturdays".into(),
        proposal: "The drop-in opens every Saturday morning for a three-month trial.".into(),
        deciding_body: "coproduction_group".parse().unwrap(),
        method,
        roles: RoundRoles {
            proposer: PROPOSER,
            facilitator: FACILITATOR,
            secretary: SECRETARY,
        },
        eligible: eligible(),
        absence: AbsencePolicy::CountAsAbsent,
        quorum: Quorum {
            size: QuorumSize::Count { min: 2 },
            lived_experience_min: 1,
        },
        time_box: TimeBox::default(),
        supporters: supporters(),
        max_objection_rounds: 3,
    }
}

/// A gate proof for `subject`, from a charter with no rules: the façade tests are about
/// phases, not values.
pub fn passed_gate(
    subject: Option<coproduction::values::Subject>,
) -> coproduction::values::GatePassed {
    let charter =
        coproduction::values::Charter::from_json(r#"{"values": [{"id": "human"}], "rules": []}"#)
            .unwrap();
    let mut record =
        coproduction::values::DecisionRecord::new(coproduction::decision::DecisionKind::Strategy);
    record.subject = subject;
    charter.gate(&record).unwrap()
}

// ---------------------------------------------------------------------------------------
// Histories for given/when/then tests. Events in a history are dated in whole minutes from
// `at(0)`; a test's command comes after the history's last minute.
// ---------------------------------------------------------------------------------------

/// The proposer opened a round with `config` at minute 0.
pub fn opened(config: RoundConfig) -> RoundEvent {
    RoundEvent::Opened {
        config: Box::new(config),
        by: PROPOSER,
        at: at(0),
    }
}

/// The facilitator moved the round to `phase` at `minute`; `round` is the objection round's
/// number when the phase is an objection round.
pub fn advanced_to(phase: RoundPhase, round: Option<u32>, minute: i64) -> RoundEvent {
    RoundEvent::Advanced {
        to: phase,
        round,
        at: at(minute),
    }
}

/// Member `member` gave `response` in objection round `round` at `minute`, for themselves.
pub fn responded(member: u64, response: Response, round: u32, minute: i64) -> RoundEvent {
    RoundEvent::Responded {
        member: MemberId::new(member),
        response,
        proxy: None,
        round,
        at: at(minute),
    }
}

/// A round opened with `config` and moved on to its first objection round: opened at
/// minute 0, clarifying at 1, reactions at 2, objection round 1 at 3.
pub fn history_to_objection_round_with(config: RoundConfig) -> Vec<RoundEvent> {
    vec![
        opened(config),
        advanced_to(RoundPhase::Clarifying, None, 1),
        advanced_to(RoundPhase::Reactions, None, 2),
        advanced_to(RoundPhase::ObjectionRound, Some(1), 3),
    ]
}

/// A round of [`config`]`(method)` brought to its first objection round (minutes 0 to 3).
pub fn history_to_objection_round(method: Method) -> Vec<RoundEvent> {
    history_to_objection_round_with(config(method))
}

/// `history` followed by the events the machine gives for `command` from `ctx`. Panics if
/// the command is refused: a test's history is built by the machine's own rules.
pub fn after(mut history: Vec<RoundEvent>, command: RoundCommand, ctx: Context) -> Vec<RoundEvent> {
    let state = ConsentProcess::replay(&history);
    match ConsentProcess::decide(&state, &command, &ctx) {
        Ok(events) => history.extend(events.into_vec()),
        Err(err) => panic!("the history's command {command:?} was refused: {err}"),
    }
    history
}

/// An objection with `reason`.
pub fn object(reason: &str) -> Response {
    Response::Object {
        reason: reason.into(),
    }
}

/// A consent with the concern `concern`.
pub fn concern(concern: &str) -> Response {
    Response::ConsentWithConcern {
        concern: concern.into(),
    }
}

/// A stand-aside with `reason`.
pub fn stand_aside(reason: &str) -> Response {
    Response::StandAside {
        reason: reason.into(),
    }
}

/// Member `member`'s response, as a command.
pub fn respond(member: u64, response: Response) -> RoundCommand {
    RoundCommand::Respond {
        member: MemberId::new(member),
        response,
    }
}

// ---------------------------------------------------------------------------------------
// Scenarios shared by the rule tests (`tests/consent_rules*.rs`).
// ---------------------------------------------------------------------------------------

/// Member 2's objection in the shared scenarios.
pub const CHILDCARE: &str = "Saturday mornings clash with childcare for co-producers";
/// Member 3's objection in the shared scenarios.
pub const COVER: &str = "There is no staff cover on Saturdays to open the building";
/// A concern about money.
pub const BUDGET: &str = "The trial may overspend the room budget";

/// Member `n`.
pub fn m(n: u64) -> MemberId {
    MemberId::new(n)
}

/// `actor` acting at `minute`.
pub fn by(actor: MemberId, minute: i64) -> Context<'static> {
    Context::new(actor, at(minute))
}

/// Consent without a comment.
pub fn consent() -> Response {
    Response::consent()
}

/// The state after `command` from `who` following `history`; the command must be taken.
/// For rules about whether a command is taken, where another test pins its events.
pub fn accepted(history: Vec<RoundEvent>, command: RoundCommand, who: Context) -> RoundState {
    let state = ConsentProcess::replay(&history);
    let events = ConsentProcess::decide(&state, &command, &who)
        .unwrap_or_else(|err| panic!("{command:?} was refused: {err}"));
    coproduction::machine::evolve_checked::<ConsentProcess>(state, &events).unwrap()
}

/// The opened round of `state`.
pub fn round_of(state: &RoundState) -> &Round {
    state.round().expect("the round is open")
}

/// A consent round presented, then clarifying at minute 1.
pub fn clarifying() -> Vec<RoundEvent> {
    vec![
        opened(config(Method::Consent)),
        advanced_to(RoundPhase::Clarifying, None, 1),
    ]
}

/// Clarifying, then reactions at minute 2.
pub fn reactions() -> Vec<RoundEvent> {
    let mut h = clarifying();
    h.push(advanced_to(RoundPhase::Reactions, None, 2));
    h
}

/// The first objection round of `config` with `responses` given from minute 4 on, a
/// minute apart.
pub fn heard(config: RoundConfig, responses: &[(u64, Response)]) -> Vec<RoundEvent> {
    let mut h = history_to_objection_round_with(config);
    for (minute, (member, response)) in (4..).zip(responses) {
        h.push(responded(*member, response.clone(), 1, minute));
    }
    h
}

/// Objection round 1 of `config`: 3 objects at minute 4, 2 at 5, 1 consents at 6; closed
/// at 7. Objection 1 is member 2's ([`CHILDCARE`]), objection 2 member 3's ([`COVER`]).
pub fn integrating_with(config: RoundConfig) -> Vec<RoundEvent> {
    let h = heard(
        config,
        &[(3, object(COVER)), (2, object(CHILDCARE)), (1, consent())],
    );
    after(h, RoundCommand::CloseRound {}, by(FACILITATOR, 7))
}

/// [`integrating_with`] a consent round.
pub fn integrating() -> Vec<RoundEvent> {
    integrating_with(config(Method::Consent))
}

/// A consent round's objection round 1 with 1, 2 and 3 consenting (minutes 4 to 6), closed
/// at 7.
pub fn consented() -> Vec<RoundEvent> {
    let h = heard(
        config(Method::Consent),
        &[(1, consent()), (2, consent()), (3, consent())],
    );
    after(h, RoundCommand::CloseRound {}, by(FACILITATOR, 7))
}

/// The facilitator's test of objection `id`, asserting that it reduces capacity.
pub fn test_objection(id: u32, valid: bool) -> RoundCommand {
    RoundCommand::TestObjection {
        objection: ObjectionId(id),
        criteria: vec![ValidityCriterion::ReducesCapacity],
        reasoning: "Heard the objector's argument against the tests".into(),
        valid,
    }
}

/// An amendment that answers objection `id`.
pub fn amend_answering(id: u32) -> RoundCommand {
    RoundCommand::Amend {
        text: "Opening alternates between Saturday and a weekday evening".into(),
        answers: vec![Answers::Objection {
            id: ObjectionId(id),
        }],
    }
}
