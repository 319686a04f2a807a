//! The engine as witness, as a property: whatever sequence of requests random actors send
//! (members and strangers, in their own name and in others', on time and backdated, with
//! overrides and with advice, declarations, payments and access met for anyone), the record
//! of the decision claims no participant, response, lived-experience count, advice,
//! declaration, payment, access met, override or outcome that the journal's witnessed
//! events do not support. (Evidence cannot state what the engine witnesses at all: its type
//! has no field for it, which `engine_witness` shows through JSON.)
//!
//! `COPRODUCTION_PROPTEST_CASES` sets the number of sequences (256 by default).

use coproduction::community::AccessNeedKind;
use coproduction::community::{Community, MemberId};
use coproduction::consent::{Response, RoundCommand, RoundRoles};
use coproduction::engine::{Engine, EngineEvent, ProcessCommand, Request};
use coproduction::journal::{Envelope, Journal, MemoryJournal};
use coproduction::process::{PartCommand, PartEvent};
use coproduction::values::{AdviceBasis, Conflict, Evidence, Outcome, PaymentStatus, RuleId};
use coproduction::{ConsentProcess, DecisionKind};
use proptest::prelude::*;

mod engine_support;

use engine_support::*;

fn cases() -> u32 {
    std::env::var("COPRODUCTION_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

/// Members of the round's body, of other bodies, and nobody at all.
const ACTORS: [u64; 8] = [1, 2, 5, 6, 13, 14, 20, 99];

#[derive(Debug, Clone)]
enum Act {
    Advance,
    Respond {
        member: u64,
        object: bool,
    },
    Close,
    Adopt {
        with_evidence: bool,
    },
    /// Evidence, with an override in anyone's name, of any rule.
    Evidence {
        override_by: Option<(u64, &'static str)>,
    },
    /// Taking part, by `own` when it is that member's part.
    Part {
        own: u64,
        command: PartCommand,
    },
}

#[derive(Debug, Clone)]
struct Sent {
    actor: u64,
    /// Minutes after the round opened; may go back.
    minute: i64,
    act: Act,
}

fn act() -> impl Strategy<Value = Act> {
    let member = prop::sample::select(ACTORS.to_vec());
    prop_oneof![
        3 => Just(Act::Advance),
        6 => (prop_oneof![3 => prop::sample::select(vec![1u64, 13, 14]), 1 => member.clone()], prop::bool::weighted(0.2))
            .prop_map(|(member, object)| Act::Respond { member, object }),
        2 => Just(Act::Close),
        2 => prop::bool::weighted(0.7).prop_map(|with_evidence| Act::Adopt { with_evidence }),
        2 => prop::option::of((member.clone(), prop::sample::select(vec!["T2", "C4", "H1", "T99"])))
            .prop_map(|override_by| Act::Evidence { override_by }),
        4 => part(),
    ]
}

/// Any member taking part, in any way: `own` is the member whose part it is.
fn part() -> impl Strategy<Value = Act> {
    let member = || prop::sample::select(ACTORS.to_vec());
    let m = MemberId::new;
    prop_oneof![
        Just(Act::Part {
            own: 1,
            command: PartCommand::AskAdvice {
                members: Default::default()
            }
        }),
        (member(), any::<bool>()).prop_map(move |(own, lived)| Act::Part {
            own,
            command: PartCommand::GiveAdvice {
                advice: "Pay for the time".into(),
                bases: [if lived {
                    AdviceBasis::LivedExperience
                } else {
                    AdviceBasis::Affected
                }]
                .into(),
            },
        }),
        member().prop_map(move |of| Act::Part {
            own: 1,
            command: PartCommand::AnswerAdvice {
                member: m(of),
                answer: "Taken in".into()
            },
        }),
        (member(), any::<bool>()).prop_map(|(own, some)| Act::Part {
            own,
            command: PartCommand::DeclareInterests {
                interest: some.then(|| "A relative applies".into())
            },
        }),
        member().prop_map(|own| Act::Part {
            own,
            command: PartCommand::Recuse {
                reason: "A tie".into()
            }
        }),
        (member(), any::<bool>()).prop_map(move |(to, benefits_advice)| Act::Part {
            own: 2,
            command: PartCommand::OfferPayment {
                member: m(to),
                benefits_advice
            },
        }),
        (member(), any::<bool>()).prop_map(|(own, accept)| Act::Part {
            own,
            command: PartCommand::AnswerPayment { accept },
        }),
        prop::sample::select(vec![13u64, 25, 99]).prop_map(move |of| Act::Part {
            own: 2,
            command: PartCommand::MeetAccess {
                member: m(of),
                need: AccessNeedKind::Captions,
                adjustment: "Live captions booked".into(),
            },
        }),
    ]
}

/// A request from anyone: mostly the member whose part it is, now and then anyone at all.
fn sent() -> impl Strategy<Value = Sent> {
    act()
        .prop_flat_map(|act| {
            let own = match &act {
                Act::Advance | Act::Close => 13,
                Act::Respond { member, .. } => *member,
                Act::Adopt { .. } => 2,
                Act::Evidence { override_by } => override_by.map_or(13, |(by, _)| by),
                Act::Part { own, .. } => *own,
            };
            let actor = prop_oneof![3 => Just(own), 1 => prop::sample::select(ACTORS.to_vec())];
            let minute = prop_oneof![6 => 0i64..5, 1 => -60i64..0];
            (actor, minute, Just(act))
        })
        .prop_map(|(actor, minute, act)| Sent { actor, minute, act })
}

/// The round's usual course (three steps on; advice asked of the bodies the route consults,
/// given and answered; the deciders' declarations; the co-producers' payment; three
/// consents, the close, the adoption with its evidence), each step preceded by a few
/// requests from anyone, of any kind: so runs reach consent and adoption, with forgeries
/// all along the way.
fn sends() -> impl Strategy<Value = Vec<Sent>> {
    let part = |own: u64, command: PartCommand| (own, Act::Part { own, command });
    let m = MemberId::new;
    let mut course = vec![
        (13, Act::Advance),
        (13, Act::Advance),
        (13, Act::Advance),
        part(
            1,
            PartCommand::AskAdvice {
                members: Default::default(),
            },
        ),
    ];
    for (from, basis) in [
        (2, AdviceBasis::Expertise),
        (6, AdviceBasis::LivedExperience),
        (20, AdviceBasis::Affected),
    ] {
        course.push(part(
            from,
            PartCommand::GiveAdvice {
                advice: "Pay for the time".into(),
                bases: [basis].into(),
            },
        ));
        course.push(part(
            1,
            PartCommand::AnswerAdvice {
                member: m(from),
                answer: "Taken in".into(),
            },
        ));
    }
    for member in [1, 13, 14] {
        course.push(part(
            member,
            PartCommand::DeclareInterests { interest: None },
        ));
    }
    for member in [13, 14] {
        course.push(part(
            2,
            PartCommand::OfferPayment {
                member: m(member),
                benefits_advice: true,
            },
        ));
        course.push(part(member, PartCommand::AnswerPayment { accept: true }));
    }
    course.extend([
        (
            1,
            Act::Respond {
                member: 1,
                object: false,
            },
        ),
        (
            13,
            Act::Respond {
                member: 13,
                object: false,
            },
        ),
        (
            14,
            Act::Respond {
                member: 14,
                object: false,
            },
        ),
        (13, Act::Close),
        (
            2,
            Act::Adopt {
                with_evidence: true,
            },
        ),
    ]);
    let steps: Vec<_> = course
        .into_iter()
        .map(|(actor, act)| {
            (prop::collection::vec(sent(), 0..2), 0i64..5).prop_map(move |(mut noise, minute)| {
                noise.push(Sent {
                    actor,
                    minute,
                    act: act.clone(),
                });
                noise
            })
        })
        .collect();
    steps.prop_map(|steps| steps.into_iter().flatten().collect())
}

fn request(sent: &Sent, minute: i64) -> Request {
    let m = MemberId::new;
    let command = match &sent.act {
        Act::Advance => RoundCommand::Advance {}.into(),
        Act::Respond { member, object } => RoundCommand::Respond {
            member: m(*member),
            response: if *object {
                Response::Object {
                    reason: "It leaves carers out".into(),
                }
            } else {
                Response::consent()
            },
        }
        .into(),
        Act::Close => RoundCommand::CloseRound {}.into(),
        Act::Adopt { .. } => RoundCommand::RecordOutcome {
            statement: "Piloted from March".into(),
            review_date: at(minute + 60 * 24 * 180),
        }
        .into(),
        Act::Evidence { .. } => ProcessCommand::Evidence {},
        Act::Part { command, .. } => command.clone().into(),
    };
    let request = Request::new(stream(), m(sent.actor), at(minute), command);
    match &sent.act {
        Act::Adopt {
            with_evidence: true,
        } => request.with_evidence(evidence()),
        Act::Evidence { override_by } => {
            let mut evidence = Evidence {
                rationale: Some("As the workshops asked".into()),
                ..Evidence::default()
            };
            if let Some((by, rule)) = override_by {
                let rule: RuleId = rule.parse().unwrap();
                evidence = evidence.with_override(rule, m(*by), "Urgent");
            }
            request.with_evidence(evidence)
        }
        _ => request,
    }
}

/// The seed charter, with I9 asking for the share of lived experience the Allies Group has
/// (three of eight), so that the properties here are about what the engine witnesses, not
/// the group's make-up.
fn allies_as_they_are() -> coproduction::values::Charter {
    let mut spec = coproduction::values::Charter::default().to_spec();
    let i9 = spec
        .rules
        .iter_mut()
        .find(|r| r.id.as_str() == "I9")
        .unwrap();
    i9.set(
        "lived_experience_min_share",
        serde_json::json!({"numerator": 3, "denominator": 8}),
    );
    coproduction::values::Charter::from_spec(spec).unwrap()
}

/// An engine on the seed community whose working-model round was opened on its route by
/// its proposer, after `sends` (refusals are expected: what is written is what is checked).
fn run(community: &Community, sends: &[Sent]) -> Engine<MemoryJournal<EngineEvent>> {
    let engine = Engine::builder(community.clone())
        .governance(governance(community))
        .charter(allies_as_they_are())
        .open(MemoryJournal::new())
        .unwrap();
    let roles = RoundRoles {
        proposer: STAFF_1,
        facilitator: CO_1,
        secretary: STAFF_2,
    };
    let open = RoundCommand::OpenOnRoute {
        title: "Pilot the working model".into(),
        proposal: "Six months from March.".into(),
        roles,
    };
    engine
        .handle(Request::new(stream(), STAFF_1, at(0), open).with_kind(DecisionKind::WorkingModel))
        .unwrap();
    let mut minute = 0;
    for sent in sends {
        minute += sent.minute;
        let _ = engine.handle(request(sent, minute.max(-600)));
        minute = minute.max(0);
    }
    engine
}

/// What the journal witnessed of the round: who responded, and when the outcome was
/// recorded.
fn witnessed(journal: &[Envelope<EngineEvent>]) -> (Vec<MemberId>, Option<jiff::Timestamp>) {
    let mut responders = Vec::new();
    let mut adopted = None;
    for e in journal {
        if let EngineEvent::Consent { event, .. } = &e.event {
            match event {
                coproduction::consent::RoundEvent::Responded { member, .. } => {
                    responders.push(*member)
                }
                coproduction::consent::RoundEvent::OutcomeRecorded { .. } => adopted = Some(e.time),
                _ => {}
            }
        }
    }
    (responders, adopted)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn no_record_claims_what_the_journal_did_not_witness(sends in sends()) {
        let community = community();
        let engine = run(&community, &sends);

        let journal = engine.journal().read_all().unwrap();
        let (responders, adopted) = witnessed(&journal);
        let record = engine.record(&stream(), at(60 * 24 * 400)).unwrap();
        let body = community.body(&"associate_roles_team".parse().unwrap()).unwrap();

        // Participants are the body's members, with the lived experience the community
        // records; a response only where the journal has one.
        for p in record.participants.iter().flatten() {
            prop_assert!(body.contains(p.member), "{:?} seated", p.member);
            let recorded = community.member(p.member).unwrap().lived_experience;
            prop_assert_eq!(p.lived_experience, recorded);
            // An absence counted by the round's policy is not a response.
            if p.response.is_some_and(|r| r != coproduction::values::RecordedResponse::Absent) {
                prop_assert!(responders.contains(&p.member), "{:?} never responded", p.member);
            }
        }
        let figures = record.body.as_ref().unwrap();
        prop_assert_eq!(figures.size, body.len());
        prop_assert_eq!(
            figures.lived_experience,
            body.members().filter(|m| community.member(*m).unwrap().lived_experience).count()
        );

        // An outcome only once adopted, dated by the event that adopted it.
        match adopted {
            Some(at) => {
                prop_assert_eq!(record.outcome, Some(Outcome::Adopted));
                prop_assert_eq!(record.dates.decided_at, Some(at));
            }
            None => {
                prop_assert_ne!(record.outcome, Some(Outcome::Adopted));
                prop_assert_eq!(record.dates.decided_at, None);
            }
        }
        prop_assert_eq!(
            engine.phase::<ConsentProcess>(&stream()) == Some(coproduction::RoundPhase::Adopted),
            adopted.is_some()
        );

        // Overrides: made by the facilitator, in their own name, journalled by them, of a
        // rule that takes one.
        for o in &record.overrides {
            prop_assert_eq!(o.by, CO_1);
            prop_assert!(o.rule.as_str() != "C4" && o.rule.as_str() != "T99");
            let made = journal.iter().any(|e| {
                let by_maker = |evidence: &Evidence| {
                    evidence.overrides.iter().any(|x| x.rule == o.rule)
                };
                e.actor == o.by
                    && matches!(&e.event, EngineEvent::EvidenceRecorded { evidence } if by_maker(evidence))
            });
            prop_assert!(made, "override of {} not journalled by its maker", o.rule);
        }

        // Every attested fact was journalled by the member named, never before the round
        // opened.
        for a in &record.attested {
            prop_assert!(a.at >= at(0));
            let journalled = journal.iter().any(|e| {
                e.actor == a.by
                    && e.time == a.at
                    && matches!(e.event, EngineEvent::EvidenceRecorded { .. })
            });
            prop_assert!(journalled, "{} attested by {:?} is not in the journal", a.fact, a.by);
        }

        // What members did beside the round: each fact the record gives rests on an event
        // the engine journalled from the member whose part it was.
        let parts: Vec<(MemberId, &PartEvent)> = journal
            .iter()
            .filter_map(|e| match &e.event {
                EngineEvent::Part { event } => Some((e.actor, event)),
                _ => None,
            })
            .collect();
        let runners = [STAFF_1, CO_1, STAFF_2];
        for a in record.advice.iter().flatten() {
            let asked = parts.iter().any(|(by, e)| runners.contains(by)
                && matches!(e, PartEvent::AdviceAsked { members, .. } if members.contains(&a.from)));
            let given = parts.iter().any(|(by, e)| *by == a.from
                && matches!(e, PartEvent::AdviceGiven { member, .. } if *member == a.from));
            prop_assert!(asked && given, "advice from {:?} not asked of them, or not given by them", a.from);
            if a.bases.contains(&AdviceBasis::LivedExperience) {
                prop_assert!(community.member(a.from).unwrap().lived_experience, "{:?} lived", a.from);
            }
            if a.answer.is_some() {
                let answered = parts.iter().any(|(by, e)| runners.contains(by)
                    && matches!(e, PartEvent::AdviceAnswered { member, .. } if *member == a.from));
                prop_assert!(answered, "advice from {:?} answered by nobody who runs the round", a.from);
            }
        }
        for p in record.participants.iter().flatten() {
            let by_themselves = |f: &dyn Fn(&PartEvent) -> bool| {
                parts.iter().any(|(by, e)| *by == p.member && f(e))
            };
            if p.conflict.is_some() {
                let declared = by_themselves(&|e| matches!(e, PartEvent::InterestsDeclared { member, .. } if *member == p.member));
                prop_assert!(declared, "{:?} declared nothing", p.member);
            }
            if p.conflict == Some(Conflict::DeclaredAndRecused) {
                let recused = by_themselves(&|e| matches!(e, PartEvent::Recused { .. }));
                prop_assert!(recused, "{:?} never stepped out", p.member);
            }
            if p.payment.is_some() {
                let offered = parts.iter().any(|(by, e)| runners.contains(by)
                    && matches!(e, PartEvent::PaymentOffered { member, .. } if *member == p.member));
                prop_assert!(offered, "{:?} offered payment by nobody who runs the round", p.member);
            }
            if matches!(p.payment, Some(PaymentStatus::Accepted | PaymentStatus::Declined)) {
                let answered = by_themselves(&|e| matches!(e, PartEvent::PaymentAnswered { .. }));
                prop_assert!(answered, "{:?} never answered the offer", p.member);
            }
        }
        for r in record.access_requests.iter().flatten() {
            let declared = community.member(r.member).unwrap().access_needs.iter().any(|n| n.kind == r.need);
            prop_assert!(declared, "{:?} never declared {:?}", r.member, r.need);
            if r.met_at.is_some() {
                let met = parts.iter().any(|(by, e)| runners.contains(by)
                    && matches!(e, PartEvent::AccessMet { member, .. } if *member == r.member));
                prop_assert!(met, "{:?}'s need met by nobody who runs the round", r.member);
            }
        }
    }
}

/// The sequences go deep: some reach consent and some adoption, so the property above is
/// not checked only on rounds that never got anywhere.
#[test]
fn the_sequences_reach_consent_and_adoption() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let community = community();
    let mut runner = TestRunner::deterministic();
    let strategy = sends();
    let (mut consented, mut adopted) = (0, 0);
    // Consent counts runs that reached it, adopted or not.
    for _ in 0..200 {
        let sends = strategy.new_tree(&mut runner).unwrap().current();
        let engine = run(&community, &sends);
        match engine.phase::<ConsentProcess>(&stream()) {
            Some(coproduction::RoundPhase::Consented) => consented += 1,
            Some(coproduction::RoundPhase::Adopted) => {
                consented += 1;
                adopted += 1;
            }
            _ => {}
        }
    }
    println!("{consented} of 200 runs reached consent, {adopted} adoption");
    assert!(
        consented >= 10 && adopted >= 10,
        "{consented} consented, {adopted} adopted"
    );
}
