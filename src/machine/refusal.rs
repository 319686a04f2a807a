//! What every process refuses alike: one vocabulary, declared once, and the checks that
//! make its refusals (see [`RefusalKind`]).

use std::fmt;

use jiff::Timestamp;

use crate::community::{BodyId, MemberId};
use crate::values::ProofMismatch;

use super::Phase;

/// A refusal every process makes alike.
///
/// A consent round, a proposal and a funding decision each refuse a command that comes
/// before they have started, in a phase that does not take it, from someone without the
/// role it needs, with a blank text, dated before their last event, and so on. Each
/// process's own error holds these with the process that refused
/// ([`Refusal`](crate::process::Refusal)), beside the refusals only it makes (a round's
/// quorum, a funding decision's red line); [`crate::Error::refusal`] finds them. The checks
/// that make them ([`need_phase`], [`need_text`], [`need_clock`], [`need_ahead`]) return a
/// `RefusalKind`, and a process's error converts from it with `From`, so `?` places it in
/// the process's own terms.
///
/// Phases and roles are named by their stable `snake_case` labels, the same in every
/// process, so a caller can handle "not in this phase" once for all of them.
#[derive(Debug, Clone, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum RefusalKind {
    /// The process has not started: no event opened it.
    NotStarted {
        /// The command.
        attempted: &'static str,
    },
    /// The process has started already: it cannot be opened twice.
    AlreadyStarted {
        /// The command.
        attempted: &'static str,
    },
    /// The command does not apply in the process's phase.
    WrongPhase {
        /// The command.
        attempted: &'static str,
        /// The process's phase, by its label.
        phase: &'static str,
    },
    /// The actor does not hold the role the command needs.
    WrongRole {
        /// The command.
        attempted: &'static str,
        /// Who tried.
        actor: MemberId,
        /// The role needed, by its label.
        role: &'static str,
    },
    /// A text the command needs was blank.
    TextRequired {
        /// The command.
        attempted: &'static str,
        /// The blank field.
        field: &'static str,
    },
    /// The command is dated before the process's last event: a process's time only moves
    /// forward.
    ClockWentBack {
        /// The command's time.
        now: Timestamp,
        /// The last event's time.
        last: Timestamp,
    },
    /// A date that must lie ahead (a review, a pilot's start or end) does not. The field
    /// names what it is for, so the command is not repeated: the refusal stays small.
    DateNotAhead {
        /// The field.
        field: &'static str,
        /// The date given.
        date: Timestamp,
        /// The command's time.
        now: Timestamp,
    },
    /// The command needs the governance route of the decision, and none was given.
    NoRoute {
        /// The command.
        attempted: &'static str,
    },
    /// An escalation names a body other than the next on the governance map's chain for
    /// this decision: a matter goes to the next broader body, which may escalate it on.
    OffEscalationChain {
        /// The body named.
        to: BodyId,
        /// The chain the route gives, nearest first.
        chain: Vec<BodyId>,
    },
    /// The value gate's proof was made for another decision, or for this one as it no
    /// longer stands. Boxed: the two subjects it names would double the size of every
    /// refusal.
    ProofNotForThis(Box<ProofMismatch>),
}

impl RefusalKind {
    /// The refusal's stable `snake_case` name, the same in every process (the wire's
    /// `refusal.kind`).
    pub fn name(&self) -> &'static str {
        self.into()
    }

    /// The message, naming the process by `noun` ("round", "proposal", ...).
    pub(crate) fn write(&self, noun: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefusalKind::NotStarted { attempted } => {
                write!(f, "cannot {attempted}: the {noun} has not started")
            }
            RefusalKind::AlreadyStarted { attempted } => {
                write!(f, "cannot {attempted}: the {noun} has started already")
            }
            RefusalKind::WrongPhase { attempted, phase } => {
                write!(f, "cannot {attempted} in phase `{phase}`")
            }
            RefusalKind::WrongRole {
                attempted,
                actor,
                role,
            } => write!(
                f,
                "cannot {attempted}: member {actor} is not the {noun}'s {role}"
            ),
            RefusalKind::TextRequired { attempted, field } => {
                write!(f, "cannot {attempted}: `{field}` must not be blank")
            }
            RefusalKind::ClockWentBack { now, last } => write!(
                f,
                "the command's time {now} is before the {noun}'s last event at {last}"
            ),
            RefusalKind::DateNotAhead { field, date, now } => {
                write!(f, "`{field}` {date} is not after now ({now})")
            }
            RefusalKind::NoRoute { attempted } => write!(
                f,
                "cannot {attempted}: no governance route is given for the {noun}"
            ),
            RefusalKind::OffEscalationChain { to, chain } => match chain.split_first() {
                Some((next, _)) => write!(
                    f,
                    "cannot escalate to `{to}`: the governance map escalates this decision to \
                     the next body on its chain, `{next}` (the chain: {})",
                    chain_text(chain)
                ),
                None => write!(
                    f,
                    "cannot escalate to `{to}`: the governance map escalates this decision to {}",
                    chain_text(chain)
                ),
            },
            RefusalKind::ProofNotForThis(mismatch) => {
                write!(f, "cannot take the value gate's proof: {mismatch}")
            }
        }
    }
}

/// The message, naming what refused as "the process".
impl fmt::Display for RefusalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write("process", f)
    }
}

impl std::error::Error for RefusalKind {}

/// Items as a comma-separated list, as refusals name them.
pub(crate) fn comma_list<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The escalation chain as text: "`a`, then `b`", nearest first.
pub(crate) fn chain_text(chain: &[BodyId]) -> String {
    if chain.is_empty() {
        return "no body (its chain is empty)".to_owned();
    }
    let names: Vec<String> = chain.iter().map(|body| format!("`{body}`")).collect();
    names.join(", then ")
}

/// Refuses `attempted` unless `phase` is one of `allowed`.
///
/// # Errors
///
/// [`RefusalKind::WrongPhase`], naming the phase.
///
/// # Example
///
/// ```
/// use coproduction::RoundPhase;
/// use coproduction::machine::{RefusalKind, need_phase};
///
/// assert!(need_phase("close", RoundPhase::ObjectionRound, &[RoundPhase::ObjectionRound]).is_ok());
/// assert_eq!(
///     need_phase("close", RoundPhase::Presented, &[RoundPhase::ObjectionRound]),
///     Err(RefusalKind::WrongPhase { attempted: "close", phase: "presented" })
/// );
/// # Ok::<(), coproduction::Error>(())
/// ```
#[inline]
pub fn need_phase<P: Phase>(
    attempted: &'static str,
    phase: P,
    allowed: &[P],
) -> Result<(), RefusalKind> {
    if allowed.contains(&phase) {
        Ok(())
    } else {
        Err(RefusalKind::WrongPhase {
            attempted,
            phase: phase.label(),
        })
    }
}

/// Refuses `attempted` when `text`, its `field`, is blank (empty or only white space).
///
/// # Errors
///
/// [`RefusalKind::TextRequired`], naming the field.
///
/// # Example
///
/// ```
/// use coproduction::machine::{RefusalKind, need_text};
///
/// let refused = need_text("raise an objection", "reason", "  ").unwrap_err();
/// assert_eq!(refused, RefusalKind::TextRequired { attempted: "raise an objection", field: "reason" });
/// assert_eq!(refused.to_string(), "cannot raise an objection: `reason` must not be blank");
/// # Ok::<(), coproduction::Error>(())
/// ```
#[inline]
pub fn need_text(
    attempted: &'static str,
    field: &'static str,
    text: &str,
) -> Result<(), RefusalKind> {
    if crate::limits::is_blank(text) {
        Err(RefusalKind::TextRequired { attempted, field })
    } else {
        Ok(())
    }
}

/// Refuses a command dated `now` before the process's `last` event.
///
/// # Errors
///
/// [`RefusalKind::ClockWentBack`].
#[inline]
pub fn need_clock(now: Timestamp, last: Timestamp) -> Result<(), RefusalKind> {
    if now < last {
        Err(RefusalKind::ClockWentBack { now, last })
    } else {
        Ok(())
    }
}

/// Refuses an escalation to `to` unless it is the next body on `chain`, the governance
/// map's escalation chain for the decision, nearest first: a matter goes one step at a
/// time, to the next broader body, which may escalate it on.
///
/// # Errors
///
/// [`RefusalKind::OffEscalationChain`], naming the body and the chain.
pub fn need_next_on_chain(to: &BodyId, chain: &[BodyId]) -> Result<(), RefusalKind> {
    if chain.first() == Some(to) {
        Ok(())
    } else {
        Err(RefusalKind::OffEscalationChain {
            to: to.clone(),
            chain: chain.to_vec(),
        })
    }
}

/// Refuses a `date`, given as `field`, unless it lies after `now`.
///
/// # Errors
///
/// [`RefusalKind::DateNotAhead`], naming the field.
#[inline]
pub fn need_ahead(field: &'static str, date: Timestamp, now: Timestamp) -> Result<(), RefusalKind> {
    if date > now {
        Ok(())
    } else {
        Err(RefusalKind::DateNotAhead { field, date, now })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_reads_nearest_first() {
        assert_eq!(chain_text(&[]), "no body (its chain is empty)");
        let chain = [
            BodyId::new("staff_team").unwrap(),
            BodyId::new("decision_circle").unwrap(),
        ];
        assert_eq!(chain_text(&chain), "`staff_team`, then `decision_circle`");
    }

    #[test]
    fn an_escalation_goes_to_the_next_body_on_the_chain_only() {
        let body = |id| BodyId::new(id).unwrap();
        let chain = [body("decision_circle"), body("whole_community")];
        assert!(need_next_on_chain(&body("decision_circle"), &chain).is_ok());
        let skipped = need_next_on_chain(&body("whole_community"), &chain).unwrap_err();
        assert_eq!(
            skipped.to_string(),
            "cannot escalate to `whole_community`: the governance map escalates this decision \
             to the next body on its chain, `decision_circle` (the chain: `decision_circle`, \
             then `whole_community`)"
        );
        let none = need_next_on_chain(&body("decision_circle"), &[]).unwrap_err();
        assert_eq!(
            none.to_string(),
            "cannot escalate to `decision_circle`: the governance map escalates this decision \
             to no body (its chain is empty)"
        );
    }

    #[test]
    fn the_clock_only_moves_forward() {
        let last = Timestamp::from_second(100).unwrap();
        assert!(need_clock(last, last).is_ok());
        let now = Timestamp::from_second(99).unwrap();
        assert_eq!(
            need_clock(now, last),
            Err(RefusalKind::ClockWentBack { now, last })
        );
    }
}
