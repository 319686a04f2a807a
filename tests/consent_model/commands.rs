//! Generating commands for the consent-round properties.

use common::consent::{at, eligible, steering_group, supporters};
use coproduction::community::MemberId;
use coproduction::consent::{
    AbsencePolicy, Answers, ConcernId, HandedRole, ObjectionId, ObjectionStatus, Quorum,
    QuorumSize, Response, RoundCommand, RoundConfig, RoundPhase, RoundRoles, TimeBox,
    ValidityCriterion,
};
use coproduction::decision::Method;
use jiff::SignedDuration;
use proptest::prelude::*;
use proptest::strategy::Union;
use proptest_state_machine::ReferenceStateMachine;

use super::*;
use crate::common;

// ---------------------------------------------------------------------------------------
// Generating commands
// ---------------------------------------------------------------------------------------

pub fn text() -> BoxedStrategy<String> {
    prop_oneof![
        1 => Just(String::new()),
        1 => Just("  ".to_owned()),
        12 => prop::sample::select(vec!["noted", "a reason", "see the access notes"])
            .prop_map(str::to_owned),
    ]
    .boxed()
}

pub fn method() -> BoxedStrategy<Method> {
    let supermajority = prop_oneof![
        8 => prop::sample::select(vec![(2, 3), (3, 4), (1, 2)]),
        1 => prop::sample::select(vec![(0, 1), (4, 3), (1, 0)]),
    ]
    .prop_map(|(numerator, denominator)| Method::Supermajority {
        numerator,
        denominator,
    });
    // Consent and consensus weighted up: only they reach integration.
    prop_oneof![
        4 => Just(Method::Consent),
        2 => Just(Method::Consensus),
        1 => Just(Method::Majority),
        1 => supermajority,
        1 => Just(Method::AdviceProcess),
        1 => Just(Method::Delegated),
    ]
    .boxed()
}

pub fn round_config() -> BoxedStrategy<RoundConfig> {
    let absence = prop_oneof![
        2 => Just(AbsencePolicy::CountAsNoObjection),
        2 => Just(AbsencePolicy::CountAsAbsent),
        1 => Just(AbsencePolicy::Defer),
    ];
    let size = prop_oneof![
        3 => (0u32..=2).prop_map(|min| QuorumSize::Count { min }),
        1 => (3u32..=5).prop_map(|min| QuorumSize::Count { min }),
        4 => (1u32..=4)
            .prop_flat_map(|d| (0..=d, Just(d)))
            .prop_map(|(numerator, denominator)| QuorumSize::Share { numerator, denominator }),
        1 => prop::sample::select(vec![(1, 0), (3, 2)])
            .prop_map(|(numerator, denominator)| QuorumSize::Share { numerator, denominator }),
    ];
    let lived = prop_oneof![8 => 0u32..=2, 1 => Just(3u32)];
    let rounds = prop_oneof![8 => 1u32..=3, 1 => Just(0u32)];
    let mins = SignedDuration::from_mins;
    let time_box = prop_oneof![
        6 => Just(TimeBox::default()),
        1 => (4i64..=40).prop_map(|d| TimeBox { deadline: Some(at(d)), per_phase: None, ..TimeBox::default() }),
        1 => (5i64..=60).prop_map(move |p| TimeBox { deadline: None, per_phase: Some(mins(p)), ..TimeBox::default() }),
        1 => (5i64..=90, 5i64..=60).prop_map(move |(d, p)| TimeBox {
            deadline: Some(at(d)),
            per_phase: Some(mins(p)),
            ..TimeBox::default()
        }),
        1 => (-2i64..=0).prop_map(move |p| TimeBox { deadline: None, per_phase: Some(mins(p)), ..TimeBox::default() }),
    ];
    let title = prop_oneof![12 => Just("Open on Saturdays"), 1 => Just(" ")];
    (method(), absence, size, lived, rounds, time_box, title)
        .prop_map(
            |(method, absence, size, lived, rounds, time_box, title)| RoundConfig {
                title: title.into(),
                proposal: "Open the drop-in every Saturday morning.".into(),
                deciding_body: "coproduction_group".parse().unwrap(),
                method,
                roles: RoundRoles {
                    proposer: MemberId::new(PROPOSER),
                    facilitator: MemberId::new(FACILITATOR),
                    secretary: MemberId::new(SECRETARY),
                },
                eligible: eligible(),
                absence,
                quorum: Quorum {
                    size,
                    lived_experience_min: lived,
                },
                time_box,
                supporters: supporters(),
                max_objection_rounds: rounds,
            },
        )
        .boxed()
}

pub fn response(method: Option<Method>) -> BoxedStrategy<Response> {
    let advice_weight = if method == Some(Method::AdviceProcess) {
        8
    } else {
        1
    };
    prop_oneof![
        4 => prop::option::weighted(0.3, text()).prop_map(|comment| Response::Consent { comment }),
        2 => text().prop_map(|concern| Response::ConsentWithConcern { concern }),
        3 => text().prop_map(|reason| Response::Object { reason }),
        1 => text().prop_map(|reason| Response::StandAside { reason }),
        advice_weight => (text(), any::<bool>(), any::<bool>()).prop_map(
            |(advice, affected, expertise)| Response::Advice { advice, affected, expertise }
        ),
    ]
    .boxed()
}

/// An objection id: usually the one being integrated, otherwise any of the first few.
pub fn objection_id(m: &Model) -> BoxedStrategy<ObjectionId> {
    let top = (m.objections.len() as u32 + 1).max(4);
    match m.current() {
        Some(current) => prop_oneof![3 => Just(current), 1 => 1..=top].boxed(),
        None => (1..=top).boxed(),
    }
    .prop_map(ObjectionId)
    .boxed()
}

/// Whose response: mostly someone not heard yet this round, sometimes anyone in the
/// cast.
pub fn responder(m: &Model) -> BoxedStrategy<u64> {
    let unheard: Vec<u64> = (1..=4).filter(|n| !m.responses.contains_key(n)).collect();
    if unheard.is_empty() {
        prop_oneof![6 => 1u64..=4, 1 => 5u64..=7].boxed()
    } else {
        prop_oneof![
            6 => prop::sample::select(unheard),
            3 => 1u64..=4,
            1 => 5u64..=7,
        ]
        .boxed()
    }
}

/// An objection still open, any of them (an objector may withdraw one that is not being
/// integrated yet), or any id.
pub fn open_objection_id(m: &Model) -> BoxedStrategy<ObjectionId> {
    let open: Vec<ObjectionId> = (1..=m.objections.len() as u32)
        .map(ObjectionId)
        .filter(|id| m.objection(*id).is_some_and(|o| o.status.is_open()))
        .collect();
    if open.is_empty() {
        objection_id(m)
    } else {
        prop_oneof![3 => prop::sample::select(open), 1 => objection_id(m)].boxed()
    }
}

/// The objector of objection `id` in the model, or the proposer.
pub fn objector(m: &Model, id: ObjectionId) -> u64 {
    m.objection(id).map_or(PROPOSER, |o| o.objector)
}

/// Commands, each with the member who would ordinarily issue it. Every command is always
/// possible; those the phase takes are weighted up so that runs get deep into the round.
pub fn command(m: &Model) -> BoxedStrategy<(RoundCommand, u64)> {
    let phase = m.phase;
    let w = |phases: &[RoundPhase], weight: u32| {
        if phases.contains(&phase) { weight } else { 1 }
    };
    let fixed = |c: RoundCommand, who: u64| Just((c, who)).boxed();
    let objections = m.clone();
    let confirmations = m.clone();
    let advisers: Vec<u64> = {
        let mut v: Vec<u64> = m
            .responses
            .iter()
            .filter(|(_, k)| **k == Kind::Advice)
            .map(|(m, _)| *m)
            .collect();
        v.extend(1..=4);
        v
    };
    let any_answers = prop::collection::vec(
        prop_oneof![
            3 => objection_id(m).prop_map(|id| Answers::Objection { id }),
            1 => (1u32..=3).prop_map(|id| Answers::Concern { id: ConcernId(id) }),
        ],
        0..=2,
    );
    let amend_answers = match m.current() {
        Some(id) => prop_oneof![
            3 => Just(vec![Answers::Objection { id: ObjectionId(id) }]),
            1 => any_answers,
        ]
        .boxed(),
        None => any_answers.boxed(),
    };
    // Integration moves one objection at a time: test it, amend for it, confirm it.
    let current = m
        .current()
        .and_then(|id| m.objection(ObjectionId(id)))
        .map(|o| (o.status, o.amended));
    let integrating = |step: u32| if phase == P::Integrating { step } else { 1 };
    let (to_test, to_amend, to_confirm) = match current {
        Some((ObjectionStatus::Raised, _)) => (integrating(40), integrating(5), integrating(5)),
        Some((_, false)) => (integrating(5), integrating(40), integrating(5)),
        Some((_, true)) => (integrating(5), integrating(10), integrating(40)),
        None => (1, integrating(5), 1),
    };
    // Who holds the proposer's role now: the configuration's, until it is handed on.
    let proposer = m.proposer;
    let arms: Vec<(u32, BoxedStrategy<(RoundCommand, u64)>)> = vec![
        (
            w(&[P::NotOpened], 40),
            (
                round_config(),
                prop::sample::select(vec![PROPOSER, FACILITATOR]),
            )
                .prop_map(|(config, who)| {
                    (
                        RoundCommand::Open {
                            config: Box::new(config),
                        },
                        who,
                    )
                })
                .boxed(),
        ),
        (
            if phase == P::Integrating && m.current().is_none() {
                // Every objection settled: the next round (or breakdown) is what is left.
                80
            } else {
                w(
                    &[P::Presented, P::Clarifying, P::Reactions, P::Amending],
                    40,
                )
            },
            fixed(RoundCommand::Advance {}, FACILITATOR),
        ),
        (
            w(&[P::Clarifying], 10),
            (text(), 1u64..=4)
                .prop_map(|(question, who)| (RoundCommand::AskQuestion { question }, who))
                .boxed(),
        ),
        (
            w(&[P::Reactions], 10),
            (text(), 1u64..=4)
                .prop_map(|(reaction, who)| (RoundCommand::React { reaction }, who))
                .boxed(),
        ),
        (
            w(&[P::Reactions, P::Amending], 10).max(to_amend),
            (text(), amend_answers)
                .prop_map(move |(text, answers)| (RoundCommand::Amend { text, answers }, proposer))
                .boxed(),
        ),
        (
            w(&[P::ObjectionRound], 60),
            (responder(m), response(m.method()))
                .prop_flat_map(|(member, response)| {
                    let who = match member {
                        4 => prop_oneof![Just(4u64), Just(6u64)].boxed(),
                        3 => prop_oneof![Just(3u64), Just(2u64)].boxed(),
                        n => Just(n).boxed(),
                    };
                    (Just(member), Just(response), who)
                })
                .prop_map(|(member, response, who)| {
                    let member = MemberId::new(member);
                    (RoundCommand::Respond { member, response }, who)
                })
                .boxed(),
        ),
        (
            // Closing is worth trying once people have responded.
            w(&[P::ObjectionRound], 2 + 12 * m.responses.len() as u32),
            fixed(RoundCommand::CloseRound {}, FACILITATOR),
        ),
        (
            to_test,
            (
                objection_id(m),
                prop::collection::vec(
                    prop::sample::select(vec![
                        ValidityCriterion::ReducesCapacity,
                        ValidityCriterion::CausedByProposal,
                        ValidityCriterion::CertainOrIrreversible,
                        ValidityCriterion::LimitsObjectorsRole,
                        ValidityCriterion::BreaksConstitution,
                    ]),
                    0..=2,
                ),
                text(),
                any::<bool>(),
            )
                .prop_map(|(objection, criteria, reasoning, valid)| {
                    let c = RoundCommand::TestObjection {
                        objection,
                        criteria,
                        reasoning,
                        valid,
                    };
                    (c, FACILITATOR)
                })
                .boxed(),
        ),
        (
            to_confirm,
            (objection_id(m), any::<bool>())
                .prop_map(move |(objection, as_objector)| {
                    let who = if as_objector {
                        objector(&confirmations, objection)
                    } else {
                        proposer
                    };
                    (RoundCommand::ConfirmResolved { objection }, who)
                })
                .boxed(),
        ),
        (
            w(&[P::Integrating], 5),
            open_objection_id(m)
                .prop_map(move |objection| {
                    let who = objector(&objections, objection);
                    (RoundCommand::WithdrawObjection { objection }, who)
                })
                .boxed(),
        ),
        (
            w(&[P::Integrating], 5),
            (objection_id(m), text())
                .prop_map(|(objection, reason)| {
                    (
                        RoundCommand::AbandonObjection { objection, reason },
                        FACILITATOR,
                    )
                })
                .boxed(),
        ),
        (
            w(&[P::ObjectionRound], 8),
            (prop::sample::select(advisers), text())
                .prop_map(move |(member, answer)| {
                    let member = MemberId::new(member);
                    (RoundCommand::AnswerAdvice { member, answer }, proposer)
                })
                .boxed(),
        ),
        (
            match m.method() {
                Some(Method::Delegated) => w(&[P::Presented], 40),
                Some(Method::AdviceProcess) => w(&[P::ObjectionRound], 6),
                _ => 1,
            },
            (any::<bool>(), text())
                .prop_map(move |(adopt, rationale)| {
                    (RoundCommand::Decide { adopt, rationale }, proposer)
                })
                .boxed(),
        ),
        (
            w(&[P::Consented], 30),
            (text(), -5i64..=60)
                .prop_map({
                    let last = m.last;
                    let secretary = m.secretary;
                    move |(statement, ahead)| {
                        let review_date = at(last + ahead);
                        let c = RoundCommand::RecordOutcome {
                            statement,
                            review_date,
                        };
                        (c, secretary)
                    }
                })
                .boxed(),
        ),
        (
            // The exits end a run, so they are rare, except near a time box's end, where a
            // step may come just after it (see `minute`).
            if m.phase.is_open() && m.time_box_end().is_some_and(|end| at(m.last + 5) > end) {
                20
            } else {
                1
            },
            (text(), 0u8..4)
                .prop_map(move |(reason, which)| match which {
                    0 => (RoundCommand::Withdraw { reason }, proposer),
                    1 => (RoundCommand::Defer { reason }, FACILITATOR),
                    2 => {
                        let to = steering_group();
                        (RoundCommand::Escalate { to, reason }, FACILITATOR)
                    }
                    _ => {
                        // The round's own deciding body: always refused.
                        let to = common::consent::config(Method::Consent).deciding_body;
                        (RoundCommand::Escalate { to, reason }, FACILITATOR)
                    }
                })
                .boxed(),
        ),
        (
            // The secretary's role handed on: by the facilitator (or someone else, refused),
            // to a member (sometimes the one who holds it, refused).
            w(&[P::Consented], 4),
            (
                text(),
                2u64..=7,
                prop_oneof![4 => Just(FACILITATOR), 1 => 1u64..=7],
            )
                .prop_map(|(reason, to, by)| {
                    let c = RoundCommand::HandOnRole {
                        role: HandedRole::Secretary,
                        to: MemberId::new(to),
                        reason,
                    };
                    (c, by)
                })
                .boxed(),
        ),
        (
            // The proposer's role handed on: by the facilitator, the secretary or a member
            // seated in the round (or someone else, refused), to a member (sometimes the
            // one who holds it, refused); once the round consents, refused.
            w(
                &[
                    P::Presented,
                    P::Clarifying,
                    P::ObjectionRound,
                    P::Integrating,
                    P::Consented,
                ],
                1,
            ),
            (
                text(),
                1u64..=7,
                prop_oneof![2 => Just(FACILITATOR), 1 => Just(m.secretary), 2 => 1u64..=9],
            )
                .prop_map(|(reason, to, by)| {
                    let c = RoundCommand::HandOnRole {
                        role: HandedRole::Proposer,
                        to: MemberId::new(to),
                        reason,
                    };
                    (c, by)
                })
                .boxed(),
        ),
    ];
    Union::new_weighted(arms).boxed()
}

/// Mostly a little later; sometimes earlier (refused); sometimes long after (past any box);
/// in an open round with a time box, sometimes just past its end (where a deferral is
/// taken: a round cannot open with its box already run out).
pub fn minute(m: &Model) -> BoxedStrategy<i64> {
    let last = m.last;
    let box_end = m
        .time_box_end()
        .filter(|_| m.phase.is_open())
        .map(|end| end.as_second().div_euclid(60) - at(0).as_second().div_euclid(60))
        .filter(|end| *end >= last);
    let past_box = match box_end {
        Some(end) if at(last + 5) > m.time_box_end().unwrap_or(at(last)) => {
            (4, (1i64..=3).prop_map(move |d| end + d).boxed())
        }
        Some(end) => (1, (1i64..=3).prop_map(move |d| end + d).boxed()),
        None => (0, Just(last).boxed()),
    };
    prop_oneof![
        16 => (0i64..=3).prop_map(move |d| last + d),
        1 => (1i64..=3).prop_map(move |d| last - d),
        2 => (20i64..=90).prop_map(move |d| last + d),
        past_box.0 => past_box.1,
    ]
    .boxed()
}

/// The reference state machine: the model, and the generator of steps.
pub struct RoundModel;

impl ReferenceStateMachine for RoundModel {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model::new()).boxed()
    }

    fn transitions(m: &Model) -> BoxedStrategy<Step> {
        (command(m), 1u64..=7, prop::bool::weighted(0.75), minute(m))
            .prop_map(|((command, usual), anyone, as_usual, minute)| Step {
                actor: if as_usual { usual } else { anyone },
                minute,
                command,
            })
            .boxed()
    }

    fn apply(m: Model, step: &Step) -> Model {
        match m.take(step) {
            Some(mut next) => {
                next.accepted = Some(true);
                next
            }
            None => Model {
                accepted: Some(false),
                ..m
            },
        }
    }
}
