//! Time that moves a round: what it waits on at a given time, and the step its
//! configuration chose for a passed time box ([`AtDeadline`]).
//!
//! Both are pure functions of the round and `now`, so what [`due`] says will happen is
//! exactly what [`lapse`] does.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::decision::Method;
use crate::machine::Phase;
use crate::process::DueItem;

use super::ConsentError;
use super::RoundPhase;
use super::config::AtDeadline;
use super::event::RoundEvent;
use super::machine::close;
use super::response::Response;
use super::state::Round;

/// The step the engine takes on its own at a time a process's configuration chose: for a
/// passed time box, as the round's [`AtDeadline`] chose; for a pilot scheduled to start
/// later, its start on the day the steward scheduled.
///
/// JSON: `"defer"`, `"close"` or `"start_pilot"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeadlineStep {
    /// The round is deferred.
    Defer,
    /// The objection round is closed with those heard.
    Close,
    /// A scheduled pilot starts.
    StartPilot,
}

/// The time box that has passed at `now`, when the round is still open and `now` is not
/// before its last event (the same test as the machine's admission of a command).
fn passed(round: &Round, now: Timestamp) -> Option<Timestamp> {
    if !round.phase().is_open() || now < round.last_at() {
        return None;
    }
    round.time_box_end().filter(|end| now > *end)
}

/// What the round's configuration does at `now`: the step and the events that take it
/// (the lapse, then the deferral or the close), or `None` when no box has passed or the
/// round chose nothing.
pub(crate) fn lapse(round: &Round, now: Timestamp) -> Option<(DeadlineStep, Vec<RoundEvent>)> {
    let rule = round.config().time_box.at_deadline;
    if rule.is_none() {
        return None;
    }
    let ended = passed(round, now)?;
    let lapsed = RoundEvent::TimeBoxLapsed {
        ended,
        rule,
        at: now,
    };
    let defer = |why: &str| RoundEvent::Deferred {
        reason: format!(
            "the time box ended at {ended}{why}, and the round's configuration defers it then (at_deadline: {})",
            rule.label()
        ),
        at: now,
    };
    let (step, event) = match rule {
        AtDeadline::CloseWithThoseHeard if closable(round) => match close(round, now) {
            Ok(closed) => (DeadlineStep::Close, closed),
            Err(ConsentError::QuorumNotMet {
                responded,
                required,
                lived_experience_responded,
                lived_experience_required,
            }) => (
                DeadlineStep::Defer,
                defer(&format!(
                    " without its quorum ({responded} of {required} responses, \
                     {lived_experience_responded} of {lived_experience_required} with lived experience)"
                )),
            ),
            Err(_) => (DeadlineStep::Defer, defer("")),
        },
        AtDeadline::CloseWithThoseHeard => (
            DeadlineStep::Defer,
            defer(&format!(" in the {} phase", round.phase().label())),
        ),
        _ => (DeadlineStep::Defer, defer("")),
    };
    Some((step, vec![lapsed, event]))
}

/// Whether the round is in an objection round its method closes.
fn closable(round: &Round) -> bool {
    round.phase() == RoundPhase::ObjectionRound
        && !matches!(
            round.config().method,
            Method::AdviceProcess | Method::Delegated
        )
}

/// What the round waits on at `now`: responses in its objection round, answers to advice
/// (an advice process), its facilitator, its decider (an advice process or a delegated
/// decision), its secretary, and a time box that has passed, with the step its
/// configuration takes.
pub(crate) fn due(round: &Round, now: Timestamp) -> Vec<DueItem> {
    let mut items = Vec::new();
    if !round.phase().is_open() {
        return items;
    }
    let ended = passed(round, now);
    if round.phase() == RoundPhase::ObjectionRound && ended.is_none() {
        let members: Vec<_> = round
            .seats
            .iter()
            .filter(|seat| seat.response.is_none())
            .map(|seat| seat.member)
            .collect();
        if !members.is_empty() {
            let mut members = members;
            members.sort_unstable();
            items.push(DueItem::ResponsesAwaited {
                members,
                round: round.objection_round(),
                by: round.time_box_end(),
            });
        }
        let unanswered: Vec<_> = round
            .responses()
            .into_iter()
            .filter(|(m, r)| {
                matches!(r.response, Response::Advice { .. })
                    && !round.advice_answers().contains_key(m)
            })
            .map(|(m, _)| m)
            .collect();
        if !unanswered.is_empty() {
            items.push(DueItem::AdviceUnanswered {
                members: unanswered,
            });
        }
    }
    // The next step is its facilitator's: moving a deliberation on, or closing an objection
    // round everyone has answered.
    let answered = round.phase() == RoundPhase::ObjectionRound
        && round.seats.iter().all(|seat| seat.response.is_some());
    let deliberating = matches!(
        round.phase(),
        RoundPhase::Presented
            | RoundPhase::Clarifying
            | RoundPhase::Reactions
            | RoundPhase::Amending
            | RoundPhase::Integrating
    );
    if ended.is_none()
        && ((deliberating && round.config().method != Method::Delegated)
            || (answered && facilitator_closes(round)))
    {
        items.push(facilitator_awaited(round));
    }
    // An advice process's or a delegated decision's next step is its decider's.
    let decidable = match round.config().method {
        Method::Delegated => round.phase() == RoundPhase::Presented,
        Method::AdviceProcess => {
            round.phase() == RoundPhase::ObjectionRound
                && super::machine::advice_taken(round).is_ok()
        }
        _ => false,
    };
    if ended.is_none() && decidable {
        items.push(DueItem::DecisionAwaited {
            decider: round.config().roles.proposer,
            phase: round.phase(),
        });
    }
    if let (RoundPhase::Consented, Some(decision)) = (round.phase(), round.decision()) {
        items.push(DueItem::OutcomeAwaited {
            consented_at: decision.at,
            secretary: round.config().roles.secretary,
        });
    }
    if let Some(ended) = ended {
        let at_deadline = round.config().time_box.at_deadline;
        items.push(DueItem::TimeBoxPassed {
            ended,
            phase: round.phase(),
            at_deadline,
            step: lapse(round, now).map(|(step, _)| step),
        });
    }
    items
}

/// Whether the round's facilitator closes its objection round once it is answered: not in
/// an advice process or a delegated decision, whose decider decides instead.
pub(crate) fn facilitator_closes(round: &Round) -> bool {
    !matches!(
        round.config().method,
        Method::AdviceProcess | Method::Delegated
    )
}

/// The round waits for its facilitator, in its phase, since that phase began.
pub(crate) fn facilitator_awaited(round: &Round) -> DueItem {
    DueItem::FacilitatorAwaited {
        facilitator: round.config().roles.facilitator,
        phase: round.phase(),
        since: round.phase_started,
    }
}

#[cfg(test)]
mod tests {
    use jiff::SignedDuration;

    use super::*;
    use crate::community::MemberId;
    use crate::consent::{
        AbsencePolicy, ConsentProcess, EligibleMember, Quorum, QuorumSize, RoundCommand,
        RoundConfig, RoundRoles, RoundState, TimeBox,
    };
    use crate::machine::{Context, Decider};

    fn at(minute: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_mins(minute)
    }

    fn m(n: u64) -> MemberId {
        MemberId::new(n)
    }

    /// A consent round of members 1-3 (facilitator 1), in its first objection round from
    /// minute 3, whose deadline is minute 10 and which does `rule` then.
    fn round(rule: AtDeadline, min: u32) -> RoundState {
        let config = RoundConfig {
            title: "Meet monthly".into(),
            proposal: "Meet on the first Monday.".into(),
            deciding_body: "team".parse().unwrap_or_else(|_| unreachable!()),
            method: Method::Consent,
            roles: RoundRoles {
                proposer: m(1),
                facilitator: m(1),
                secretary: m(1),
            },
            eligible: (1..=3)
                .map(|n| EligibleMember {
                    member: m(n),
                    lived_experience: false,
                })
                .collect(),
            absence: AbsencePolicy::CountAsAbsent,
            quorum: Quorum {
                size: QuorumSize::Count { min },
                lived_experience_min: 0,
            },
            time_box: TimeBox {
                deadline: Some(at(10)),
                per_phase: None,
                at_deadline: rule,
            },
            supporters: Default::default(),
            max_objection_rounds: 3,
        };
        let mut state = RoundState::NotOpened;
        let steps = [
            (
                m(1),
                0,
                RoundCommand::Open {
                    config: Box::new(config),
                },
            ),
            (m(1), 1, RoundCommand::Advance {}),
            (m(1), 2, RoundCommand::Advance {}),
            (m(1), 3, RoundCommand::Advance {}),
            (
                m(2),
                4,
                RoundCommand::Respond {
                    member: m(2),
                    response: Response::consent(),
                },
            ),
        ];
        for (actor, minute, command) in steps {
            state = step(state, actor, minute, &command);
        }
        state
    }

    fn step(state: RoundState, actor: MemberId, minute: i64, command: &RoundCommand) -> RoundState {
        let events = ConsentProcess::decide(&state, command, &Context::new(actor, at(minute)))
            .unwrap_or_else(|e| panic!("{command:?} refused: {e}"));
        events.iter().fold(state, ConsentProcess::evolve)
    }

    fn opened(state: &RoundState) -> &Round {
        state.round().unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn nothing_happens_on_its_own_unless_the_round_chose_it() {
        let state = round(AtDeadline::None, 1);
        assert_eq!(lapse(opened(&state), at(11)), None);
        let due = due(opened(&state), at(11));
        assert_eq!(
            due,
            vec![DueItem::TimeBoxPassed {
                ended: at(10),
                phase: RoundPhase::ObjectionRound,
                at_deadline: AtDeadline::None,
                step: None,
            }]
        );
    }

    #[test]
    fn before_the_deadline_responses_are_awaited_and_nothing_lapses() {
        let state = round(AtDeadline::Defer, 1);
        assert_eq!(lapse(opened(&state), at(10)), None);
        assert_eq!(
            due(opened(&state), at(10)),
            vec![DueItem::ResponsesAwaited {
                members: vec![m(1), m(3)],
                round: 1,
                by: Some(at(10)),
            }]
        );
    }

    /// While it deliberates, and once everyone has answered its objection round, a round
    /// waits for its facilitator, since the phase began; not once its time box has passed
    /// (that is its own item), nor in an objection round still awaiting responses.
    #[test]
    fn a_round_waits_for_its_facilitator_to_move_it_on() {
        let awaited = |phase, since| {
            vec![DueItem::FacilitatorAwaited {
                facilitator: m(1),
                phase,
                since: at(since),
            }]
        };
        let state = round(AtDeadline::None, 1);
        // Back in its deliberation, each phase waits from its own start.
        let mut presented = opened(&state).clone();
        presented.stage =
            crate::consent::RoundStage::Deliberating(crate::consent::Deliberation::Presented);
        presented.phase_started = at(0);
        assert_eq!(due(&presented, at(5)), awaited(RoundPhase::Presented, 0));
        let mut state = state;
        for (who, minute) in [(m(1), 5), (m(3), 6)] {
            let respond = RoundCommand::Respond {
                member: who,
                response: Response::consent(),
            };
            state = step(state, who, minute, &respond);
        }
        assert_eq!(
            due(opened(&state), at(7)),
            awaited(RoundPhase::ObjectionRound, 3)
        );
        // In an advice process, the decider decides once the advice is in, and not while
        // a piece of it is unanswered or its quorum has not spoken.
        let mut advice = opened(&state).clone();
        advice.config.method = Method::AdviceProcess;
        let decision_awaited = |phase| DueItem::DecisionAwaited {
            decider: m(1),
            phase,
        };
        assert_eq!(
            due(&advice, at(7)),
            [decision_awaited(RoundPhase::ObjectionRound)]
        );
        advice.config.quorum.lived_experience_min = 1;
        assert_eq!(due(&advice, at(7)), []);
        // A delegated decision's decider decides once it is presented.
        presented.config.method = Method::Delegated;
        assert_eq!(
            due(&presented, at(5)),
            [decision_awaited(RoundPhase::Presented)]
        );
        assert!(matches!(
            due(&presented, at(11)).as_slice(),
            [DueItem::TimeBoxPassed { .. }]
        ));
        // Its time box passed, the box's item stands alone.
        assert!(matches!(
            due(opened(&state), at(11)).as_slice(),
            [DueItem::TimeBoxPassed { .. }]
        ));
    }

    /// The round that does `rule` at its deadline with a quorum of `min`, after the lapse
    /// at minute 11, which takes `expected`.
    fn lapsed(rule: AtDeadline, min: u32, expected: DeadlineStep) -> RoundState {
        let state = round(rule, min);
        let Some((step, events)) = lapse(opened(&state), at(11)) else {
            panic!("the round chose a step");
        };
        assert_eq!(step, expected);
        events.iter().fold(state, ConsentProcess::evolve)
    }

    #[test]
    fn defer_defers_at_the_deadline() {
        let after = lapsed(AtDeadline::Defer, 1, DeadlineStep::Defer);
        assert_eq!(after.phase(), RoundPhase::Deferred);
        assert_eq!(opened(&after).lapses().len(), 1);
        assert_eq!(lapse(opened(&after), at(12)), None);
        assert!(due(opened(&after), at(12)).is_empty());
    }

    #[test]
    fn close_with_those_heard_closes_and_the_deadline_no_longer_binds() {
        let after = lapsed(AtDeadline::CloseWithThoseHeard, 1, DeadlineStep::Close);
        assert_eq!(after.phase(), RoundPhase::Consented);
        assert_eq!(opened(&after).absent(), &[m(1), m(3)]);
        // The secretary records the outcome after the deadline the close honoured.
        let review = RoundCommand::RecordOutcome {
            statement: "Monthly".into(),
            review_date: at(1000),
        };
        let adopted = step_ok(&after, m(1), 12, &review);
        assert!(adopted);
    }

    fn step_ok(state: &RoundState, actor: MemberId, minute: i64, command: &RoundCommand) -> bool {
        ConsentProcess::decide(state, command, &Context::new(actor, at(minute))).is_ok()
    }

    #[test]
    fn close_with_those_heard_defers_without_its_quorum() {
        let after = lapsed(AtDeadline::CloseWithThoseHeard, 2, DeadlineStep::Defer);
        assert_eq!(after.phase(), RoundPhase::Deferred);
    }

    #[test]
    fn the_facilitator_extends_with_a_reason_and_the_box_moves() {
        let state = round(AtDeadline::Defer, 1);
        let extend = |until, reason: &str| RoundCommand::ExtendTimeBox {
            until,
            reason: reason.into(),
        };
        // Only the facilitator; a reason; later than now and than the box's end.
        assert!(!step_ok(&state, m(2), 5, &extend(at(20), "more time")));
        assert!(!step_ok(&state, m(1), 5, &extend(at(20), " ")));
        assert!(!step_ok(&state, m(1), 5, &extend(at(10), "more time")));
        assert!(!step_ok(&state, m(1), 15, &extend(at(14), "more time")));
        // After the box passed, the step the round chose is due: not extended away.
        assert!(!step_ok(&state, m(1), 12, &extend(at(20), "more time")));
        let chose_none = round(AtDeadline::None, 1);
        assert!(step_ok(&chose_none, m(1), 12, &extend(at(20), "more time")));
        // Before it passed: extended, so nothing lapses.
        let after = step(state, m(1), 9, &extend(at(20), "members asked for a week"));
        assert_eq!(opened(&after).time_box_end(), Some(at(20)));
        assert_eq!(lapse(opened(&after), at(15)), None);
        assert_eq!(opened(&after).extensions().len(), 1);
        assert!(lapse(opened(&after), at(21)).is_some());
    }
}
