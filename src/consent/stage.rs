//! The stages of an opened round: what each phase owns, held in the phase's own type.
//!
//! A round deliberates with no decision; once consent (a vote, a decider) carries it holds
//! the [`RoundDecision`]; once it ends it holds its [`Ending`] and the decision, if one was
//! reached (rustls' states, each moving its fields into the next). The phase is derived
//! from the stage, so a round cannot be adopted without an ending that says how.

use super::RoundPhase;
use super::state::{Ending, RoundDecision};

use RoundPhase as P;

/// Where an opened round stands, with the data its phase owns.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RoundStage {
    /// Open, and nothing carried yet.
    Deliberating(Deliberation),
    /// Consent, a vote or a decider carried; the outcome is still to be recorded.
    Consented(RoundDecision),
    /// Ended: adopted, declined, withdrawn, deferred, escalated or broken down.
    Ended(RoundEnd),
}

/// Declares a stage's own enum of some of the round's phases, named as they are, and the
/// conversions both ways: one list, so the two cannot drift apart.
macro_rules! phases_of_round {
    ($(#[$doc:meta])* $vis:vis enum $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $(
                #[doc = concat!("The round's [`RoundPhase::", stringify!($variant), "`].")]
                $variant,
            )+
        }

        impl From<$name> for RoundPhase {
            fn from(phase: $name) -> Self {
                match phase {
                    $($name::$variant => RoundPhase::$variant,)+
                }
            }
        }

        impl TryFrom<RoundPhase> for $name {
            type Error = RoundPhase;

            /// The phase as this stage names it, or the phase given back when it is not one.
            fn try_from(phase: RoundPhase) -> Result<Self, RoundPhase> {
                match phase {
                    $(RoundPhase::$variant => Ok($name::$variant),)+
                    other => Err(other),
                }
            }
        }
    };
}

phases_of_round! {
    /// The open phases before anything carries.
    pub enum Deliberation {
        Presented,
        Clarifying,
        Reactions,
        Amending,
        ObjectionRound,
        Integrating,
    }
}

/// How a round ended, and the decision that carried or declined it, if one did.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundEnd {
    pub(super) ending: Ending,
    /// Present for an adopted round (it consented first) and a decider's decline; absent
    /// where nothing carried (a vote that did not, a withdrawal before consent...).
    pub(super) decision: Option<RoundDecision>,
}

impl RoundStage {
    /// The phase this stage is in.
    #[inline]
    pub fn phase(&self) -> RoundPhase {
        match self {
            RoundStage::Deliberating(phase) => RoundPhase::from(*phase),
            RoundStage::Consented(_) => P::Consented,
            RoundStage::Ended(end) => end.phase(),
        }
    }

    /// The decision that carried (or declined), once there is one.
    pub fn decision(&self) -> Option<&RoundDecision> {
        match self {
            RoundStage::Deliberating(_) => None,
            RoundStage::Consented(decision) => Some(decision),
            RoundStage::Ended(end) => end.decision(),
        }
    }

    /// How the round ended, once it has.
    pub fn ending(&self) -> Option<&Ending> {
        match self {
            RoundStage::Ended(end) => Some(end.ending()),
            _ => None,
        }
    }
}

impl RoundEnd {
    /// How the round ended.
    pub fn ending(&self) -> &Ending {
        &self.ending
    }

    /// The decision that carried or declined it, if one did.
    pub fn decision(&self) -> Option<&RoundDecision> {
        self.decision.as_ref()
    }

    /// The phase its ending puts the round in.
    pub fn phase(&self) -> RoundPhase {
        match self.ending {
            Ending::Adopted { .. } => P::Adopted,
            Ending::Declined { .. } => P::Declined,
            Ending::Withdrawn { .. } => P::Withdrawn,
            Ending::Deferred { .. } => P::Deferred,
            Ending::Escalated { .. } => P::Escalated,
            Ending::BrokenDown { .. } => P::BrokenDown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::MemberId;
    use crate::consent::{
        AbsencePolicy, Closed, ConsentRound, Decided, EligibleMember, Quorum, QuorumSize, Response,
        RoundConfig, RoundRoles,
    };
    use crate::decision::Method;
    use crate::machine::Context;

    fn m(id: u64) -> MemberId {
        MemberId::new(id)
    }

    /// Member `member` acting `minute` minutes into the meeting.
    fn ctx(member: u64, minute: i64) -> Context<'static> {
        let t: jiff::Timestamp = "2022-09-01T10:00:00Z".parse().unwrap();
        Context::new(
            m(member),
            t.checked_add(jiff::SignedDuration::from_mins(minute))
                .unwrap(),
        )
    }

    /// Proposer 1, facilitator and secretary 2; members 1 and 3 eligible.
    fn opened(method: Method) -> ConsentRound<crate::consent::Presented> {
        let config = RoundConfig {
            title: "Meet monthly".into(),
            proposal: "Meet on the first Monday.".into(),
            deciding_body: "associate_roles_team".parse().unwrap(),
            method,
            roles: RoundRoles {
                proposer: m(1),
                facilitator: m(2),
                secretary: m(2),
            },
            eligible: vec![
                EligibleMember {
                    member: m(1),
                    lived_experience: false,
                },
                EligibleMember {
                    member: m(3),
                    lived_experience: true,
                },
            ],
            absence: AbsencePolicy::CountAsAbsent,
            quorum: if method == Method::Delegated {
                Quorum::NONE
            } else {
                Quorum {
                    size: QuorumSize::Count { min: 2 },
                    lived_experience_min: 1,
                }
            },
            time_box: Default::default(),
            supporters: Default::default(),
            max_objection_rounds: 3,
        };
        ConsentRound::open(config, ctx(1, 0)).unwrap()
    }

    #[test]
    fn a_deliberating_round_holds_no_decision_and_no_ending() {
        let round = opened(Method::Consent);
        let round = round.round();
        assert_eq!(
            round.stage(),
            &RoundStage::Deliberating(Deliberation::Presented)
        );
        assert_eq!(round.phase(), RoundPhase::Presented);
        assert_eq!(round.decision(), None);
        assert_eq!(round.ending(), None);
    }

    #[test]
    fn consent_carried_holds_its_decision_and_an_ending_keeps_it() {
        let round = opened(Method::Consent)
            .start_clarifying(ctx(2, 1))
            .unwrap()
            .start_reactions(ctx(2, 2))
            .unwrap()
            .start_objection_round(ctx(2, 3))
            .unwrap()
            .respond(ctx(1, 4), m(1), Response::consent())
            .unwrap()
            .respond(ctx(3, 5), m(3), Response::consent())
            .unwrap();
        let Ok(Closed::Consented(consented)) = round.close(ctx(2, 6)) else {
            panic!("nobody objected");
        };
        // The decision is the stage's own: no `Option` to get past.
        let RoundStage::Consented(decision) = consented.round().stage().clone() else {
            panic!("a consented round is in the consented stage");
        };
        assert!(decision.adopt);
        assert_eq!((decision.by, decision.at), (m(2), ctx(2, 6).now));

        let withdrawn = consented.withdraw(ctx(1, 7), "Overtaken").unwrap();
        let RoundStage::Ended(end) = withdrawn.round().stage() else {
            panic!("a withdrawn round has ended");
        };
        assert!(matches!(end.ending(), Ending::Withdrawn { by, .. } if *by == m(1)));
        assert_eq!(end.phase(), RoundPhase::Withdrawn);
        assert_eq!(end.decision(), Some(&decision));
    }

    #[test]
    fn a_deciders_decline_ends_the_round_with_the_decision_in_it() {
        let Decided::Declined(declined) = opened(Method::Delegated)
            .decide(ctx(1, 1), false, "Not this year")
            .unwrap()
        else {
            panic!("the decider declined");
        };
        let RoundStage::Ended(end) = declined.round().stage() else {
            panic!("a declined round has ended");
        };
        assert_eq!(end.ending(), &Ending::Declined { at: ctx(1, 1).now });
        assert_eq!(
            end.decision().and_then(|d| d.rationale.as_deref()),
            Some("Not this year")
        );
        assert_eq!(declined.round().phase(), RoundPhase::Declined);
    }

    #[test]
    fn the_deliberating_phases_are_the_open_phases_before_consent() {
        for &phase in RoundPhase::OPEN {
            match Deliberation::try_from(phase) {
                Ok(deliberation) => assert_eq!(RoundPhase::from(deliberation), phase),
                Err(other) => assert_eq!(other, RoundPhase::Consented),
            }
        }
        assert_eq!(
            Deliberation::try_from(RoundPhase::Adopted),
            Err(RoundPhase::Adopted)
        );
    }
}
