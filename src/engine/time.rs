//! Time that moves the process: what is due at a given time, and the steps a process's own
//! configuration chose to take then.
//!
//! The engine never reads the clock: [`Engine::due`] and [`Engine::tick`] take `now`.
//! `due` lists every stream's [`DueItem`]s; `tick` takes, for each item whose
//! [`step`](DueItem::step) is set, that step, and nothing else. Each step is journalled
//! by [`ENGINE_ACTOR`], the actor of what the engine writes on its own, in one batch whose
//! first event names the configured rule that made it (a round's
//! [`RoundEvent::TimeBoxLapsed`](crate::consent::RoundEvent::TimeBoxLapsed), with the box's
//! end and the rule), followed by the step's own event. The step runs through the same
//! pipeline as a member's request: the process it decides for records what it reached, and
//! a refusal there writes nothing and is reported in [`Tick::refused`]. A second tick at
//! the same time finds nothing left to do and appends nothing.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, MemberId};
use crate::consent::{DeadlineStep, HandedRole, HandsOn, Round};
use crate::journal::{Envelope, Journal, StreamId};
use crate::metrics::PublishedInTime;
use crate::process::{Due, DueItem, EngineEvent, Listed as _};
use crate::values::rules::transparent::publication_due;

use super::living::ENGINE_ACTOR;
use super::{Acting, Engine, EngineError, Held, Shared, Witnessed};
use crate::living::Version;
use crate::process::Stream;

/// What [`Engine::tick`] did: the steps it took, and those it could not.
///
/// JSON: `{"taken": [{"stream": ..., "step": "defer", "events": [...]}], "refused": []}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tick {
    /// The steps taken, in stream order, each with the envelopes written.
    pub taken: Vec<StepTaken>,
    /// The steps a configuration chose that the engine could not take (the process a round
    /// decides for refused what it reached), with why. Nothing was written for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<StepRefused>,
}

/// A step [`Engine::tick`] took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepTaken {
    /// The stream.
    pub stream: StreamId,
    /// The step.
    pub step: DeadlineStep,
    /// What was journalled, by [`ENGINE_ACTOR`].
    pub events: Vec<Envelope<EngineEvent>>,
}

/// A step [`Engine::tick`] could not take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepRefused {
    /// The stream.
    pub stream: StreamId,
    /// The step its configuration chose.
    pub step: DeadlineStep,
    /// Why it was refused.
    pub reason: String,
}

impl<J: Journal<Event = EngineEvent>> Engine<J> {
    /// Everything due at `now`, stream by stream: responses awaited in an objection round
    /// (who, by when), a time box passed and what the round's configuration does next,
    /// advice asked and not given or given and not answered, a record whose publication
    /// rule T1 asks for (its charter's `publish_days`, as the metrics count it), a review
    /// date of a standing agreement. Nothing is written. Each process is read as it stands,
    /// so `now` is meant no earlier than the journal's last event ([`Engine::readable_at`]
    /// with `None` refuses an earlier one).
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::{Community, Engine, MemoryJournal};
    ///
    /// let engine = Engine::builder(Community::new()).open(MemoryJournal::new())?;
    /// assert!(engine.due("2022-09-01T10:00:00Z".parse()?).is_empty());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn due(&self, now: Timestamp) -> Vec<Due> {
        let mut due = Vec::new();
        // Escalated processes (with when, where to, and what they decide for), and the
        // escalated processes a take-up holds.
        let mut escalated = Vec::new();
        let mut taken = std::collections::BTreeSet::new();
        // Nobody who has left the community by `now` is awaited.
        let in_force = self.version_at(now).ok();
        let gone = |m: &MemberId| {
            in_force
                .as_ref()
                .is_some_and(|v| v.community().member(*m).is_none())
        };
        for stream in self.streams() {
            let Ok(Some(shared)) = self.shared(&stream) else {
                continue;
            };
            // The process the stream decides for: who stepped out of it, and whether it took
            // the round's consent when it closed. Read first, and its lock released, as the
            // engine takes a round's lock before its target's.
            let target = shared.lock().ok().and_then(|s| s.decides_for().cloned());
            let (target_out, takes_consent) = target
                .as_ref()
                .and_then(|t| self.shared(t).ok().flatten())
                .and_then(|t| {
                    t.lock()
                        .ok()
                        .map(|t| (t.stepped_out_members(), t.process().takes_consent()))
                })
                .unwrap_or_default();
            let (mut items, closed, rounds) = match shared.lock() {
                Ok(s) => {
                    if let Some((to, at)) = s.process().escalation() {
                        escalated.push((stream.clone(), to, at, s.decides_for().cloned()));
                    }
                    if let Some(taken_up) = in_force
                        .as_ref()
                        .and_then(|v| s.holds_escalated(v.community(), now))
                    {
                        taken.insert(taken_up.clone());
                    }
                    let mut items = s.process().due(now);
                    items.extend(s.parts().due());
                    let round = crate::consent::ConsentProcess::state_of(s.process())
                        .and_then(crate::consent::RoundState::round);
                    // Who stepped out of this decision, as the engine reads it: out of the
                    // round, or out of the process it decides for.
                    let out = |m: &MemberId| s.parts().recused(*m) || target_out.contains(m);
                    if let Some(round) = round {
                        awaiting_members(&mut items, round, &gone, &out);
                    }
                    let closed = s.process().is_final()
                        || round
                            .is_some_and(|r| r.phase() == crate::consent::RoundPhase::Consented);
                    // The rounds held for it, where its deciding body may be awaited.
                    let rounds = match items
                        .iter()
                        .any(|item| matches!(item, DueItem::BodyDecisionAwaited { .. }))
                    {
                        true => s.rounds().clone(),
                        false => Default::default(),
                    };
                    (items, closed, rounds)
                }
                Err(_) => continue,
            };
            // A round held for a process that took its consent when it closed awaits no
            // outcome, and has no secretary's role to hand on, nor once it has closed any
            // role: that process decides.
            if takes_consent {
                items.retain(|item| match item {
                    DueItem::OutcomeAwaited { .. } => false,
                    DueItem::RoleToHandOn { role, .. } => *role != HandedRole::Secretary && !closed,
                    _ => true,
                });
            }
            // A funding decision waits on its deciding body only once the round held for it
            // has ended: until then, on that round.
            if items
                .iter()
                .any(|item| matches!(item, DueItem::BodyDecisionAwaited { .. }))
                && rounds.iter().any(|r| {
                    self.shared(r)
                        .ok()
                        .flatten()
                        .is_some_and(|r| r.lock().is_ok_and(|r| super::deliberating(&r)))
                })
            {
                items.retain(|item| !matches!(item, DueItem::BodyDecisionAwaited { .. }));
            }
            // Who of the body may take the step, as the engine would take it from them.
            for item in &mut items {
                if let DueItem::BodyDecisionAwaited { members, .. } = item
                    && let Some(v) = &in_force
                {
                    *members = self.taking_steps(&stream, &shared, v).ok();
                }
            }
            let decides_for = target.is_some();
            due.extend(items.into_iter().map(|item| Due {
                stream: stream.clone(),
                item,
            }));
            // A round held for another process publishes through that process.
            if !decides_for && let Some(item) = self.publication(&stream, now) {
                due.push(Due {
                    stream: stream.clone(),
                    item,
                });
            }
        }
        due.extend(self.take_ups_awaited(&escalated, &taken, now));
        // In stream order, each stream's items as its process lists them.
        due.sort_by(|a, b| a.stream.cmp(&b.stream));
        due
    }

    /// The escalated matters no process holds as its take-up at `now`, of the `escalated`
    /// processes (stream, where to, when, what it decides for) with `taken` those held. A
    /// round and the process it decides for are one matter: taken up as either, listed at
    /// the round.
    fn take_ups_awaited(
        &self,
        escalated: &[(StreamId, BodyId, Timestamp, Option<StreamId>)],
        taken: &std::collections::BTreeSet<StreamId>,
        now: Timestamp,
    ) -> Vec<Due> {
        let Ok(living) = self.living.read() else {
            return Vec::new();
        };
        escalated
            .iter()
            .filter(|(stream, ..)| {
                !escalated.iter().any(|(round, .., decides_for)| {
                    decides_for.as_ref() == Some(stream) && round != stream
                })
            })
            .filter(|(stream, .., decides_for)| {
                !taken.contains(stream) && decides_for.as_ref().is_none_or(|t| !taken.contains(t))
            })
            .map(|(stream, to, at, _)| Due {
                stream: stream.clone(),
                item: DueItem::TakeUpAwaited {
                    to: to.clone(),
                    escalated_at: *at,
                    dissolved: !living.history.body_stood(to, *at, now),
                },
            })
            .collect()
    }

    /// The publication rule T1 asks of the stream's record at `now`, by the charter in
    /// force when its process opened.
    fn publication(&self, stream: &StreamId, now: Timestamp) -> Option<DueItem> {
        let v = self.opened_version(stream, now)?;
        let record = self.record(stream, now)?;
        let days = PublishedInTime::of(v.charter()).publish_days;
        let (decided_at, by) = publication_due(&record, days)?;
        Some(DueItem::PublicationDue {
            decided_at,
            by,
            overdue: now > by,
        })
    }

    /// Takes the steps the processes' own configurations chose for `now` (a round's
    /// [`AtDeadline`](crate::consent::AtDeadline) once its time box has passed), and no
    /// other: each journalled by [`ENGINE_ACTOR`] with the rule that made it. Returns what
    /// it did. Idempotent: a second tick at the same `now` finds nothing to do.
    ///
    /// # Errors
    ///
    /// [`EngineError::Journal`] if the journal cannot be written (steps taken before the
    /// failure stay written); a step the process it decides for refuses, or one dated
    /// before the community's last change ([`EngineError::BeforeLastChange`], as a request
    /// would be), is not an error, but is listed in [`Tick::refused`].
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::{Community, Engine, MemoryJournal};
    ///
    /// let engine = Engine::builder(Community::new()).open(MemoryJournal::new())?;
    /// let tick = engine.tick("2022-09-01T10:00:00Z".parse()?)?;
    /// assert!(tick.taken.is_empty() && tick.refused.is_empty());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn tick(&self, now: Timestamp) -> Result<Tick, EngineError> {
        let v = self.version_at(now)?;
        let mut tick = Tick::default();
        for stream in self.streams() {
            let Some(shared) = self.shared(&stream)? else {
                continue;
            };
            let Some(step) = lapse_of(&shared, now)? else {
                continue;
            };
            let taken = self.locked(&stream, &shared, Default::default(), |s, held| {
                self.take_step(&stream, s, held, now, &v)
            });
            match taken {
                Ok(Some(taken)) => tick.taken.push(taken),
                Ok(None) => {}
                Err(e) if e.is_refusal() => tick.refused.push(StepRefused {
                    stream,
                    step,
                    reason: crate::limits::shorten_quotes(&e.to_string()).into_owned(),
                }),
                Err(e) => return Err(e),
            }
        }
        Ok(tick)
    }

    /// Takes the step the process on `stream` chose for `now`, if it still has one.
    fn take_step(
        &self,
        id: &StreamId,
        stream: &mut Stream,
        held: &mut Held<'_>,
        now: Timestamp,
        v: &Version,
    ) -> Result<Option<StepTaken>, EngineError> {
        let Some((step, events)) = stream.process().lapse(now) else {
            return Ok(None);
        };
        // As for a request: no step is dated before the community's last change, which
        // would leave the journal saying the step came first.
        let last_change = self.last_change()?;
        if now < last_change {
            return Err(EngineError::BeforeLastChange {
                stream: id.clone(),
                now,
                last_change,
            });
        }
        // Nor before the last event of the process, or of the process it decides for: the
        // journal would say the step came after what it is dated before.
        super::not_before(id, stream, now)?;
        if let Some((target, t)) = stream
            .decides_for()
            .and_then(|target| Some((target, held.get(target)?)))
        {
            super::not_before(target, t, now)?;
        }
        let witness = Witnessed {
            stream: id,
            actor: ENGINE_ACTOR,
            now,
            evidence: None,
        };
        let events = self.decide(&witness, Acting::Configured(events), stream, held, None, v)?;
        Ok(Some(StepTaken {
            stream: id.clone(),
            step,
            events,
        }))
    }
}

/// The step the process in `shared` chose for `now`, if any.
fn lapse_of(shared: &Shared, now: Timestamp) -> Result<Option<DeadlineStep>, EngineError> {
    let stream = shared.lock().map_err(|_| EngineError::Poisoned)?;
    Ok(stream.process().lapse(now).map(|(step, _)| step))
}

/// What `round` waits on, as `items` list it, with nobody awaited who has left the
/// community (`gone`) or stepped out of the decision (`out`): the responses of the others,
/// and once only those who left or stepped out have not answered, the facilitator, to close
/// the objection round; a role whose holder has left, to hand on (the facilitator's first,
/// where the facilitator has left too; the proposer's, until the round consents, in place
/// of any decision or answer to advice awaited of them, also where they decide alone and
/// stepped out), naming who hands it on as [`HandedRole::handed_on_by`] says (of those
/// who hold a role or sit in the round, one who has not stepped out, `out`).
fn awaiting_members(
    items: &mut Vec<DueItem>,
    round: &Round,
    gone: &impl Fn(&MemberId) -> bool,
    out: &impl Fn(&MemberId) -> bool,
) {
    let roles = round.config().roles;
    let hand_on = |role: HandedRole| {
        let role = match role {
            HandedRole::Secretary if gone(&roles.facilitator) => HandedRole::Facilitator,
            role => role,
        };
        role_to_hand_on(round, role, gone, out)
    };
    // The facilitator closes an objection round everyone still in the community has
    // answered.
    let closes = crate::consent::facilitator_closes(round);
    items.retain_mut(|item| match item {
        DueItem::ResponsesAwaited { members, .. } => {
            members.retain(|m| !gone(m) && !out(m));
            if members.is_empty() && closes {
                *item = match gone(&roles.facilitator) {
                    false => crate::consent::facilitator_awaited(round),
                    true => hand_on(HandedRole::Facilitator),
                };
                return true;
            }
            !members.is_empty()
        }
        // A facilitator who has left moves nothing on, and a secretary who has left records
        // nothing: their role is to hand on (the facilitator's first, if they have left
        // too).
        DueItem::FacilitatorAwaited { facilitator, .. } if gone(facilitator) => {
            *item = hand_on(HandedRole::Facilitator);
            true
        }
        DueItem::OutcomeAwaited { secretary, .. } if gone(secretary) => {
            *item = hand_on(HandedRole::Secretary);
            true
        }
        _ => true,
    });
    // A time box passed that leaves the next step to a facilitator who has left: their role
    // is to hand on first.
    let boxed_out = items
        .iter()
        .any(|item| matches!(item, DueItem::TimeBoxPassed { step: None, .. }));
    let handing_on = items
        .iter()
        .any(|item| matches!(item, DueItem::RoleToHandOn { .. }));
    if boxed_out && !handing_on && gone(&roles.facilitator) {
        items.push(hand_on(HandedRole::Facilitator));
    }
    // A proposer who has left (or, deciding alone, stepped out of the decision) answers no
    // advice and decides nothing, nor can anyone else amend or withdraw the proposal: until
    // the round consents, their role is to hand on.
    let decides_alone = round.config().accountable_decider().is_some();
    if round.phase().is_deliberating()
        && (gone(&roles.proposer) || (decides_alone && out(&roles.proposer)))
    {
        hand_proposer_on(items, hand_on(HandedRole::Proposer));
    }
}

/// `items` with the proposer's role to hand on, `item`, in place of a decision or answers
/// to advice awaited of the proposer.
fn hand_proposer_on(items: &mut Vec<DueItem>, item: DueItem) {
    items.retain(|item| {
        !matches!(
            item,
            DueItem::DecisionAwaited { .. } | DueItem::AdviceUnanswered { .. }
        )
    });
    items.push(item);
}

/// The item for `role` of `round` to hand on, naming who hands it on as
/// [`HandedRole::handed_on_by`] says (of the members seated in the round, those still in
/// the community, `gone`, who have not stepped out, `out`).
fn role_to_hand_on(
    round: &Round,
    role: HandedRole,
    gone: &impl Fn(&MemberId) -> bool,
    out: &impl Fn(&MemberId) -> bool,
) -> DueItem {
    let (by, seated) = match round.hands_on(role, gone, out) {
        HandsOn::Holder(_, member) => (Some(member), Vec::new()),
        HandsOn::Seated(seated) => (None, seated),
        HandsOn::Nobody => (None, Vec::new()),
    };
    DueItem::RoleToHandOn {
        role,
        left: role.holder(&round.config().roles),
        by,
        seated,
    }
}
