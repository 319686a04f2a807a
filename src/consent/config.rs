//! How a round is set up: its method, roles, eligible members, quorum, absence policy and
//! time boxes. Fixed when the round opens and carried by the opening event, so a replay
//! needs nothing but the events.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, Community, MemberId};
use crate::decision::Method;

use super::ConsentError;

/// How members who did not respond by the close are counted. There is deliberately no
/// default: inclusive practice argues against "silence is consent", so every round says
/// which rule it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AbsencePolicy {
    /// Holacracy's rule: an absent member is taken as not objecting. They still do not count
    /// towards the quorum, which measures who took part.
    CountAsNoObjection,
    /// An absent member is absent: they do not count towards the quorum, and a round whose
    /// quorum is not met cannot close.
    CountAsAbsent,
    /// Any absence defers the decision: closing with a member unheard defers the round.
    Defer,
}

/// How many must respond for a close to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum QuorumSize {
    /// At least this many responding members.
    Count {
        /// The minimum number of responding members.
        min: u32,
    },
    /// At least `numerator / denominator` of the eligible members.
    Share {
        /// The top of the fraction.
        numerator: u32,
        /// The bottom of the fraction.
        denominator: u32,
    },
}

/// The quorum of a round: a size, and a minimum number of responding members with lived
/// experience, so a decision cannot be taken by professionals alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quorum {
    /// How many must respond.
    pub size: QuorumSize,
    /// How many of the responding members must bring lived experience.
    pub lived_experience_min: u32,
}

impl Quorum {
    /// Nobody needs to respond: for methods where one decider decides.
    pub const NONE: Quorum = Quorum {
        size: QuorumSize::Count { min: 0 },
        lived_experience_min: 0,
    };

    /// The number of responses needed out of `eligible` members.
    pub fn required(&self, eligible: usize) -> usize {
        match self.size {
            QuorumSize::Count { min } => min as usize,
            QuorumSize::Share {
                numerator,
                denominator,
            } => {
                if denominator == 0 {
                    eligible
                } else {
                    // Round up: a share of 1/2 of 5 members needs 3.
                    let top = eligible as u128 * u128::from(numerator);
                    let den = u128::from(denominator);
                    usize::try_from(top.div_ceil(den)).unwrap_or(usize::MAX)
                }
            }
        }
    }
}

/// Time boxes: a deadline for the whole round and a limit for each phase. When one has
/// passed, the round no longer takes contributions and the facilitator may defer it (or
/// extend the box, with a reason); what happens on its own at that point is the round's
/// choice, [`TimeBox::at_deadline`], and by default nothing does.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeBox {
    /// The round must be decided by this time.
    pub deadline: Option<Timestamp>,
    /// Each phase may last at most this long.
    pub per_phase: Option<SignedDuration>,
    /// The step the engine takes on its own once a time box has passed
    /// ([`Engine::tick`](crate::engine::Engine::tick)); [`AtDeadline::None`] (the default,
    /// left out of the JSON) leaves the round to its facilitator.
    #[serde(default, skip_serializing_if = "AtDeadline::is_none")]
    pub at_deadline: AtDeadline,
}

/// What happens once a round's time box has passed, when nobody acts: the round's own,
/// explicit choice, as with absence. Nothing automatic happens that a round did not choose.
///
/// JSON: `"none"`, `"defer"`, `"close_with_those_heard"`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AtDeadline {
    /// Nothing on its own: the facilitator defers, extends, withdraws or escalates.
    #[default]
    None,
    /// The round is deferred (Sociocracy For All's time-boxed rounds: no decision by the
    /// deadline is no decision).
    Defer,
    /// In an objection round, the round is closed with those heard, the rest counted by the
    /// [`AbsencePolicy`] (Loomio's polls close at their closing time). Where it cannot close
    /// (its quorum is not met, the round is in another phase, or its method has no
    /// objection round to close) it is deferred, as [`AtDeadline::Defer`].
    CloseWithThoseHeard,
}

impl AtDeadline {
    /// Whether nothing happens on its own.
    pub fn is_none(&self) -> bool {
        *self == AtDeadline::None
    }

    /// The stable name, as in the JSON.
    pub fn label(self) -> &'static str {
        self.into()
    }
}

/// The people who run a round. A person may hold more than one of these roles, but the
/// role decides what they may do: the proposer amends and withdraws, the facilitator moves
/// phases and records objection tests, the secretary records the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundRoles {
    /// Brings the proposal; amends it; may withdraw it. In an advice process or a delegated
    /// decision, the proposer is the decider.
    pub proposer: MemberId,
    /// Moves the round between phases and records objection tests.
    pub facilitator: MemberId,
    /// Records the outcome.
    pub secretary: MemberId,
}

/// A role of a round that is handed on when the member holding it has left the community,
/// by the member it answers to ([`HandedRole::handed_on_by`]): the secretary's by the
/// facilitator; the facilitator's by the proposer, or the secretary, or a seated member;
/// the proposer's by the facilitator, or the secretary, or a seated member.
///
/// JSON: `"secretary"`, `"facilitator"`, `"proposer"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandedRole {
    /// The secretary, who records the outcome.
    Secretary,
    /// The facilitator, who moves the round on.
    Facilitator,
    /// The proposer, who amends the proposal, answers advice, may withdraw it and, in an
    /// advice process or a delegated decision, decides: handed on, a member takes the
    /// proposal up where its proposer left it.
    Proposer,
}

impl HandedRole {
    /// The stable name, as in the JSON.
    pub fn label(self) -> &'static str {
        match self {
            HandedRole::Secretary => "secretary",
            HandedRole::Facilitator => "facilitator",
            HandedRole::Proposer => "proposer",
        }
    }

    /// The member holding the role among `roles`.
    pub fn holder(self, roles: &RoundRoles) -> MemberId {
        match self {
            HandedRole::Secretary => roles.secretary,
            HandedRole::Facilitator => roles.facilitator,
            HandedRole::Proposer => roles.proposer,
        }
    }

    /// Who hands the role on, in order: each where all before them have left the community
    /// (the engine sees who has; a round run without it takes its caller's word).
    /// The secretary's role, the facilitator (where the facilitator has left too, their
    /// role is handed on first). The facilitator's role, the proposer; else the secretary;
    /// else, where all three have left, any member seated in the round, so that a round
    /// whose every role has left can still go on. The proposer's role, the facilitator;
    /// else the secretary; else any member seated in the round: without it, nobody could
    /// amend, withdraw or (in an advice process or a delegated decision) decide. Only until
    /// the round consents: who decided stays who did.
    ///
    /// ```
    /// use coproduction::consent::{HandedRole, RoundRole};
    /// assert_eq!(HandedRole::Secretary.handed_on_by(), [RoundRole::Facilitator]);
    /// assert_eq!(
    ///     HandedRole::Facilitator.handed_on_by(),
    ///     [RoundRole::Proposer, RoundRole::Secretary, RoundRole::Eligible]
    /// );
    /// assert_eq!(
    ///     HandedRole::Proposer.handed_on_by(),
    ///     [RoundRole::Facilitator, RoundRole::Secretary, RoundRole::Eligible]
    /// );
    /// ```
    pub fn handed_on_by(self) -> &'static [RoundRole] {
        match self {
            HandedRole::Secretary => &[RoundRole::Facilitator],
            HandedRole::Facilitator => &[
                RoundRole::Proposer,
                RoundRole::Secretary,
                RoundRole::Eligible,
            ],
            HandedRole::Proposer => &[
                RoundRole::Facilitator,
                RoundRole::Secretary,
                RoundRole::Eligible,
            ],
        }
    }
}

impl RoundRoles {
    /// The member holding `role`; `None` for a role many hold (an eligible member, an
    /// objector).
    pub fn holder(&self, role: RoundRole) -> Option<MemberId> {
        match role {
            RoundRole::Proposer => Some(self.proposer),
            RoundRole::Facilitator => Some(self.facilitator),
            RoundRole::Secretary => Some(self.secretary),
            RoundRole::Eligible | RoundRole::Objector => None,
        }
    }
}

/// A role in a round, for errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RoundRole {
    /// The proposer (and decider, for advice and delegated methods).
    Proposer,
    /// The facilitator.
    Facilitator,
    /// The secretary.
    Secretary,
    /// An eligible member of the deciding body.
    Eligible,
    /// The member who raised an objection.
    Objector,
}

impl RoundRole {
    /// The stable name of the role.
    pub fn label(self) -> &'static str {
        match self {
            RoundRole::Proposer => "proposer",
            RoundRole::Facilitator => "facilitator",
            RoundRole::Secretary => "secretary",
            RoundRole::Eligible => "eligible member",
            RoundRole::Objector => "objector",
        }
    }
}

/// A member of the deciding body as the round saw them when it opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibleMember {
    /// The member.
    pub member: MemberId,
    /// Whether they bring lived experience (for the quorum's lived-experience minimum).
    pub lived_experience: bool,
}

/// Everything fixed when a round opens.
#[serde_with::serde_as]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundConfig {
    /// What is being decided, in a line.
    pub title: String,
    /// The proposal's text as presented.
    pub proposal: String,
    /// The body whose members decide.
    pub deciding_body: BodyId,
    /// How the decision is taken.
    pub method: Method,
    /// Who runs the round.
    pub roles: RoundRoles,
    /// The deciding body's members, fixed when the round opens.
    pub eligible: Vec<EligibleMember>,
    /// How absent members are counted.
    pub absence: AbsencePolicy,
    /// How many must respond.
    pub quorum: Quorum,
    /// Deadlines.
    #[serde(default)]
    pub time_box: TimeBox,
    /// Named supporters who may record a response on a member's behalf: member -> their
    /// supporters. Empty means no proxy responses. A member named twice is refused.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[serde_as(as = "serde_with::MapPreventDuplicates<_, _>")]
    pub supporters: BTreeMap<MemberId, BTreeSet<MemberId>>,
    /// How many objection rounds may run before the process is declared broken down.
    pub max_objection_rounds: u32,
}

impl RoundConfig {
    /// The one accountable decider, when the method has one (advice process, delegated
    /// decision): the proposer decides, and is the decision's one participant; the people
    /// heard are advisers. `None` for a method where a body responds.
    pub fn accountable_decider(&self) -> Option<MemberId> {
        matches!(self.method, Method::AdviceProcess | Method::Delegated)
            .then_some(self.roles.proposer)
    }

    /// A consent round in `body` of `community`, with the body's members as of now as the
    /// eligible set, counting absence as [`AbsencePolicy::CountAsAbsent`], a quorum of half
    /// the body with at least one member with lived experience (when the body has one), and
    /// three objection rounds before breakdown. Adjust the public fields to taste.
    ///
    /// # Errors
    ///
    /// [`ConsentError::Community`] with
    /// [`CommunityError::UnknownBody`](crate::community::CommunityError::UnknownBody) if
    /// there is no such body.
    pub fn consent(
        community: &Community,
        body: &BodyId,
        title: impl Into<String>,
        proposal: impl Into<String>,
        roles: RoundRoles,
    ) -> Result<Self, ConsentError> {
        let eligible = snapshot(community, body)?;
        let lived = eligible.iter().any(|m| m.lived_experience);
        Ok(Self {
            title: title.into(),
            proposal: proposal.into(),
            deciding_body: body.clone(),
            method: Method::Consent,
            roles,
            eligible,
            absence: AbsencePolicy::CountAsAbsent,
            quorum: Quorum {
                size: QuorumSize::Share {
                    numerator: 1,
                    denominator: 2,
                },
                lived_experience_min: u32::from(lived),
            },
            time_box: TimeBox::default(),
            supporters: BTreeMap::new(),
            max_objection_rounds: 3,
        })
    }

    /// Checks the configuration before a round opens with it.
    pub(super) fn validate(&self) -> Result<(), ConsentError> {
        let invalid = |field: &'static str, reason: &'static str| {
            Err(ConsentError::InvalidConfig { field, reason })
        };
        if crate::limits::is_blank(&self.title) {
            return invalid("title", "the title is blank");
        }
        if crate::limits::is_blank(&self.proposal) {
            return invalid("proposal", "the proposal is blank");
        }
        if self.eligible.is_empty() && !matches!(self.method, Method::Delegated) {
            return invalid("eligible", "nobody is eligible to respond");
        }
        if u32::try_from(self.eligible.len()).is_err() {
            return invalid("eligible", "a round seats at most 4,294,967,295 members");
        }
        let mut seen = BTreeSet::new();
        if !self.eligible.iter().all(|m| seen.insert(m.member)) {
            return invalid("eligible", "a member is listed twice");
        }
        if self.max_objection_rounds == 0 {
            return invalid(
                "max_objection_rounds",
                "at least one objection round must be allowed",
            );
        }
        let round_method = !matches!(self.method, Method::AdviceProcess | Method::Delegated);
        if round_method && self.quorum.required(self.eligible.len()) == 0 {
            // A consent recorded with nobody heard is not a decision of the body.
            return invalid(
                "quorum",
                "a round decided by its members must hear at least one of them",
            );
        }
        if self.quorum.required(self.eligible.len()) > self.eligible.len() {
            return invalid("quorum", "the quorum is larger than the eligible set");
        }
        let lived = self.eligible.iter().filter(|m| m.lived_experience).count();
        if self.quorum.lived_experience_min as usize > lived {
            return invalid(
                "quorum.lived_experience_min",
                "more members with lived experience are required than are eligible",
            );
        }
        if let QuorumSize::Share {
            numerator,
            denominator,
        } = self.quorum.size
            && (denominator == 0 || numerator > denominator)
        {
            return invalid(
                "quorum.size",
                "the share must be a fraction between 0 and 1",
            );
        }
        if let Method::Supermajority {
            numerator,
            denominator,
        } = self.method
            && (denominator == 0 || numerator == 0 || numerator > denominator)
        {
            return invalid(
                "method",
                "the supermajority must be a fraction above 0 and at most 1",
            );
        }
        if let Some(span) = self.time_box.per_phase
            && span <= SignedDuration::ZERO
        {
            return invalid("time_box.per_phase", "a phase time box must be positive");
        }
        Ok(())
    }
}

/// The members of `body` as eligible members, in id order.
///
/// # Errors
///
/// [`ConsentError::Community`] if there is no such body.
pub fn snapshot(community: &Community, body: &BodyId) -> Result<Vec<EligibleMember>, ConsentError> {
    Ok(community
        .members_of(body)?
        .map(|m| EligibleMember {
            member: m.id,
            lived_experience: m.lived_experience,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quorum_shares_round_up() {
        let q = |numerator, denominator| Quorum {
            size: QuorumSize::Share {
                numerator,
                denominator,
            },
            lived_experience_min: 0,
        };
        assert_eq!(q(1, 2).required(5), 3);
        assert_eq!(q(1, 2).required(4), 2);
        assert_eq!(q(2, 3).required(1_000_000), 666_667);
        assert_eq!(q(0, 1).required(10), 0);
        assert_eq!(Quorum::NONE.required(10), 0);
    }
}
