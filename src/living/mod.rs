//! The living community: members, bodies, the governance map, the charter and the funding
//! policy as journalled history, changed through the community's own decisions.
//!
//! A journal opens with its **founding** ([`LivingEvent::Founded`]): the community, the
//! governance map, the charter and the funding policy the engine was first opened with
//! ([`Founding`]), written as the first
//! event of the reserved stream [`community`](stream). Every later change to them is a
//! [`LivingEvent::Changed`] on that stream, with the member who made it and when. The
//! engine reads all of it back when it opens: the journal alone says what the community was
//! at any time ([`History::at`]), and a community file that disagrees with the founding is
//! refused rather than used to judge history again.
//!
//! **Whose act is a change.** What a member says of themselves (that they bring lived
//! experience, or leave) is theirs to make, and no decision makes it for them
//! ([`LivingError::MembersOwn`]); a member may record that someone joined the community,
//! under a member number nobody had before ([`LivingError::NumberTaken`]). Everything else
//! changes who decides or by what rules, and so takes a decision of the community
//! ([`CommunityChange::needs_decision`]):
//!
//! | change | needs a decision of kind |
//! |---|---|
//! | `join` (as a community member only), `leave`, `lived_experience`, `named` | none: the member's own (a join is recorded by any member) |
//! | `join` with another role, `appoint`, `release` (a body other than the whole community), `roles` | recruitment |
//! | `form_body`, `dissolve_body`, `governance`, `charter`, `funding_policy` | governance |
//!
//! A change that needs a decision is carried by a proposal of that kind
//! ([`ProposalConfig::changes`](crate::proposal::ProposalConfig::changes)); the engine
//! writes it to this stream in the same atomic batch as the adoption, naming the decision,
//! and refuses the adoption if the change no longer applies (a member who left, a map that
//! no longer validates). Sent on its own, such a change is refused.
//!
//! **Versions.** Each change makes a new [`Version`]: the community, the governance map
//! (validated against that community), the charter and the funding policy, with their
//! hashes, in force from the change's time. Changes are made in time order: none is made
//! before the last one, and none is in force before it is made. A process is routed and
//! judged by the version in force when it opened; a funding decision follows the funding
//! policy in force then.
//!
//! **Changes that take effect later.** A decision may adopt changes from a stated time
//! ([`ProposalConfig::effective_from`](crate::proposal::ProposalConfig::effective_from)): a
//! new map from the start of the next quarter, say. Its [`Entry`] is *scheduled*: versions
//! before that time are unchanged, a member's own change made meanwhile applies beneath it
//! (the scheduled version is made again over it), and a change that would leave the
//! scheduled one unable to apply is refused ([`LivingError::Scheduled`]). A member may
//! always leave: one who leaves meanwhile is taken out of what is scheduled (an appointment
//! of them, their new roles), which lapses for them ([`Entry::lapsed`]) and stays in the
//! journal as adopted. A leave is refused only where the scheduled change cannot do without
//! them, as one in force now is: a map whose deciding body would be left with nobody. A
//! decision retired before its changes took effect withdraws them
//! ([`LivingEvent::Withdrawn`], [`History::withdrawn`]), written with the retirement.
//!
//! # Example
//!
//! ```
//! use coproduction::community::{Community, Member, MemberId};
//! use coproduction::living::{CommunityChange, History};
//! use coproduction::Charter;
//!
//! let mut founding = Community::new();
//! founding.add_member(Member::new(MemberId::new(1), "Founder"))?;
//! let mut history = History::founded(founding, None, Charter::default(), "2021-01-04T09:00:00Z".parse()?)?;
//! let joins = CommunityChange::Join { member: Member::new(MemberId::new(2), "New member").with_lived_experience() };
//! assert_eq!(joins.needs_decision(history.current().community()), None);
//! history.apply(&joins, "2021-03-01T09:00:00Z".parse()?)?;
//! assert_eq!(history.at("2021-02-01T00:00:00Z".parse()?).community().members().len(), 1);
//! assert_eq!(history.current().community().members().len(), 2);
//! # Ok::<(), coproduction::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{
    Body, BodyId, BodyKind, Community, CommunityError, Member, MemberId, Naming, Role,
};
use crate::decision::DecisionKind;
use crate::funding::{FundingError, FundingPolicy};
use crate::governance::{Governance, GovernanceError, GovernanceMap};
use crate::journal::{Hash, StreamId};
use crate::values::{Charter, CharterError};

#[cfg(test)]
mod tests;

/// The reserved stream of the community's own history. No process runs on it, and no
/// request other than a change to the community names it.
pub fn stream() -> StreamId {
    StreamId::reserved(STREAM)
}

/// The slug of [`stream`].
const STREAM: &str = "community";

/// One change to the community, its bodies, its governance map or its charter.
///
/// JSON: internally tagged by `type`, unknown fields refused, for example
/// `{"type": "appoint", "body": "allies_group", "members": [41, 42]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum CommunityChange {
    /// A person joins the community (in no body yet, beyond the whole community's).
    Join {
        /// The new member, with roles, lived experience as they declare it, and access
        /// needs.
        member: Member,
    },
    /// A member leaves the community and every body.
    Leave {
        /// Who leaves.
        member: MemberId,
    },
    /// A member says whether they bring lived experience.
    LivedExperience {
        /// The member.
        member: MemberId,
        /// What they declare.
        declared: bool,
    },
    /// A member says how they wish to be named in what the community publishes.
    Named {
        /// The member.
        member: MemberId,
        /// How.
        named: Naming,
    },
    /// A member's roles change.
    Roles {
        /// The member.
        member: MemberId,
        /// Their roles from now on.
        roles: BTreeSet<Role>,
    },
    /// Members join a body.
    Appoint {
        /// The body.
        body: BodyId,
        /// Who joins it.
        members: Vec<MemberId>,
    },
    /// Members leave a body (and stay in the community).
    Release {
        /// The body.
        body: BodyId,
        /// Who leaves it.
        members: Vec<MemberId>,
    },
    /// A body is formed.
    FormBody {
        /// The body, with its first members.
        body: Body,
    },
    /// A body is dissolved.
    DissolveBody {
        /// The body.
        body: BodyId,
    },
    /// A new governance map, validated against the community before it takes effect.
    Governance {
        /// The map.
        map: GovernanceMap,
    },
    /// A new charter.
    Charter {
        /// The charter.
        charter: Charter,
    },
    /// A new funding policy: red lines, sanctions, thresholds and checklists, validated
    /// before it takes effect.
    FundingPolicy {
        /// The policy.
        policy: Box<FundingPolicy>,
    },
}

impl CommunityChange {
    /// The stable `snake_case` name of the change.
    pub fn label(&self) -> &'static str {
        self.into()
    }

    /// The kind of decision the change needs, or `None` for a member's own change (see the
    /// [module guide](self)). Appointing to or releasing from the whole community's body
    /// is a member's own joining or leaving it; joining with a role beyond a community
    /// member's needs a recruitment decision, as a change of roles does.
    pub fn needs_decision(&self, community: &Community) -> Option<DecisionKind> {
        let whole = |body: &BodyId| {
            community
                .body(body)
                .is_some_and(|b| b.kind == BodyKind::WholeCommunity)
        };
        match self {
            // Joining as a member of the community is anyone's to record; joining with a
            // role beyond it (staff, co-producer, ally, partner) is a recruitment.
            CommunityChange::Join { member }
                if member.roles.iter().any(|r| *r != Role::CommunityMember) =>
            {
                Some(DecisionKind::Recruitment)
            }
            CommunityChange::Join { .. }
            | CommunityChange::Leave { .. }
            | CommunityChange::LivedExperience { .. }
            | CommunityChange::Named { .. } => None,
            CommunityChange::Appoint { body, .. } | CommunityChange::Release { body, .. }
                if whole(body) =>
            {
                None
            }
            CommunityChange::Roles { .. }
            | CommunityChange::Appoint { .. }
            | CommunityChange::Release { .. } => Some(DecisionKind::Recruitment),
            CommunityChange::FormBody { .. }
            | CommunityChange::DissolveBody { .. }
            | CommunityChange::Governance { .. }
            | CommunityChange::Charter { .. }
            | CommunityChange::FundingPolicy { .. } => Some(DecisionKind::Governance),
        }
    }

    /// The members whose own act the change is, when only they may make it on their own:
    /// leaving, declaring lived experience, how they are named, joining or leaving the
    /// whole community's body. Each named must be the member who makes it: one member does
    /// not take another into or out of the whole community. Empty for a join (any member
    /// records it) and for changes that need a decision.
    pub fn own_members(&self, community: &Community) -> &[MemberId] {
        if self.needs_decision(community).is_some() {
            return &[];
        }
        match self {
            CommunityChange::Appoint { members, .. } | CommunityChange::Release { members, .. } => {
                members
            }
            other => other.the_member().map_or(&[], std::slice::from_ref),
        }
    }

    /// Whether only the member it is about makes the change, whatever the community: a
    /// leave, a declaration of lived experience, how a member is named. No decision makes
    /// such a change for them ([`LivingError::MembersOwn`]).
    pub fn only_the_member(&self) -> Option<MemberId> {
        self.the_member().copied()
    }

    /// The member a leave, a declaration of lived experience or a naming is about.
    fn the_member(&self) -> Option<&MemberId> {
        match self {
            CommunityChange::Leave { member }
            | CommunityChange::LivedExperience { member, .. }
            | CommunityChange::Named { member, .. } => Some(member),
            _ => None,
        }
    }

    /// Refuses the change as one a decision of `kind` makes, in `community`: a member's own
    /// change ([`LivingError::MembersOwn`]), or one that needs a decision of another kind
    /// ([`LivingError::NeedsDecision`]). A proposal is checked so when it is created, and
    /// its changes again when they are adopted.
    pub fn made_by_decision(
        &self,
        community: &Community,
        kind: &DecisionKind,
    ) -> Result<(), LivingError> {
        if let Some(member) = self.own_members(community).first().copied() {
            return Err(LivingError::MembersOwn {
                change: self.label(),
                member,
            });
        }
        match self.needs_decision(community).filter(|needs| needs != kind) {
            Some(needs) => Err(LivingError::NeedsDecision {
                change: self.label(),
                kind: needs,
            }),
            None => Ok(()),
        }
    }

    /// The first member an appointment or release names twice: such a list is refused
    /// ([`LivingError::NamedTwice`]) rather than read as naming them once.
    pub fn named_twice(&self) -> Option<MemberId> {
        match self {
            CommunityChange::Appoint { members, .. } | CommunityChange::Release { members, .. } => {
                let mut seen = BTreeSet::new();
                members.iter().copied().find(|m| !seen.insert(*m))
            }
            _ => None,
        }
    }

    /// For a join, the joiner and the first of their own declarations it carries (lived
    /// experience, a naming other than by name, access needs): what a member recording
    /// someone else's joining may not declare for them.
    pub fn declared_for_joiner(&self) -> Option<(MemberId, &'static str)> {
        let CommunityChange::Join { member } = self else {
            return None;
        };
        let what = if member.lived_experience {
            "lived_experience"
        } else if !member.named.is_name() {
            "named"
        } else if !member.access_needs.is_empty() {
            "access_needs"
        } else {
            return None;
        };
        Some((member.id, what))
    }

    /// How many members the change names: an appointment or release naming nobody, or a
    /// body formed empty, is refused ([`LivingError::NobodyNamed`]). A change naming no
    /// member list (a map, a charter, a policy, one member) counts as one.
    pub fn named_members(&self) -> usize {
        match self {
            CommunityChange::Appoint { members, .. } | CommunityChange::Release { members, .. } => {
                members.len()
            }
            CommunityChange::FormBody { body } => body.members().len(),
            _ => 1,
        }
    }

    /// Whether the change names `member` as someone it applies to: the member it is
    /// about, or one of those it appoints, releases or forms a body with.
    fn names(&self, member: MemberId) -> bool {
        match self {
            CommunityChange::Leave { member: m }
            | CommunityChange::LivedExperience { member: m, .. }
            | CommunityChange::Named { member: m, .. }
            | CommunityChange::Roles { member: m, .. } => *m == member,
            CommunityChange::Appoint { members, .. } | CommunityChange::Release { members, .. } => {
                members.contains(&member)
            }
            CommunityChange::FormBody { body } => body.contains(member),
            CommunityChange::Join { .. }
            | CommunityChange::DissolveBody { .. }
            | CommunityChange::Governance { .. }
            | CommunityChange::Charter { .. }
            | CommunityChange::FundingPolicy { .. } => false,
        }
    }

    /// The change as it applies once the members in `gone` have left the community: their
    /// names taken out of an appointment, a release or a new body's first members; `None`
    /// when nothing is left of it (it was about one of them alone, or named only them).
    /// A body is still formed when all its first members have left.
    fn without(&self, gone: &BTreeSet<MemberId>) -> Option<CommunityChange> {
        let stays = |m: &&MemberId| !gone.contains(m);
        match self {
            CommunityChange::Leave { member }
            | CommunityChange::LivedExperience { member, .. }
            | CommunityChange::Named { member, .. }
            | CommunityChange::Roles { member, .. }
                if gone.contains(member) =>
            {
                None
            }
            CommunityChange::Appoint { body, members } => {
                let members: Vec<MemberId> = members.iter().filter(stays).copied().collect();
                (!members.is_empty()).then(|| CommunityChange::Appoint {
                    body: body.clone(),
                    members,
                })
            }
            CommunityChange::Release { body, members } => {
                let members: Vec<MemberId> = members.iter().filter(stays).copied().collect();
                (!members.is_empty()).then(|| CommunityChange::Release {
                    body: body.clone(),
                    members,
                })
            }
            CommunityChange::FormBody { body } => Some(CommunityChange::FormBody {
                body: Body::new(body.id.clone(), body.name.clone(), body.kind)
                    .with_members(body.members().filter(|m| !gone.contains(m))),
            }),
            other => Some(other.clone()),
        }
    }
}

/// What a decision adopts when it decides (see
/// [`Process::adopts`](crate::process::Process::adopts)): its changes to the community and,
/// when they are to take effect later than the decision, from when.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Adoption<'a> {
    /// The changes, in the order they apply.
    pub changes: &'a [CommunityChange],
    /// When they take effect, if later than the decision; a time already past when the
    /// decision is taken means from the decision.
    pub from: Option<Timestamp>,
}

/// What the community's stream journals.
///
/// JSON: `{"type": "founded", ...}` or `{"type": "changed", "change": {...}}`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum LivingEvent {
    /// The journal's first event on the community's stream: what the engine was founded
    /// with.
    Founded {
        /// The founding community.
        community: Community,
        /// The founding governance map, if the community routes its decisions.
        governance: Option<Box<GovernanceMap>>,
        /// The founding charter.
        charter: Box<Charter>,
        /// The founding funding policy, if the community screens funding in its journal.
        funding_policy: Option<Box<FundingPolicy>>,
    },
    /// A change, in force from the event's time or from the later time it states.
    Changed {
        /// The change.
        change: Box<CommunityChange>,
        /// The decision that adopted it, when it needed one.
        decided_by: Option<StreamId>,
        /// When it takes effect, when that is later than the event's time.
        from: Option<Timestamp>,
        /// The member on whose word the adopting decision was recorded, from a round held
        /// elsewhere; absent when the engine ran the round that decided it, or for a
        /// member's own change.
        attested_by: Option<MemberId>,
    },
    /// The decision on `decided_by` was retired: the changes it adopted that had not taken
    /// effect by the event's time are withdrawn, and take effect never.
    Withdrawn {
        /// The decision retired.
        decided_by: StreamId,
    },
}

/// Why a change to the community's history is refused. Nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LivingError {
    /// The change breaks the community's own rules (an unknown member, a member already in
    /// the body, a blank name).
    #[error("the {change} change cannot apply: {source}")]
    Community {
        /// The change's name.
        change: &'static str,
        /// Why.
        source: CommunityError,
    },
    /// After the change, the governance map does not validate against the community.
    #[error("after the {change} change the governance map does not hold: {source}")]
    Governance {
        /// The change's name.
        change: &'static str,
        /// Why.
        source: GovernanceError,
    },
    /// A new charter is not valid.
    #[error("the new charter cannot be read: {source}")]
    Charter {
        /// Why.
        source: CharterError,
    },
    /// The change is dated before the last change in force.
    #[error("the {change} change is dated {at}, before the last change ({last})")]
    Backdated {
        /// The change's name.
        change: &'static str,
        /// When it was dated.
        at: Timestamp,
        /// The last change's time.
        last: Timestamp,
    },
    /// The change is dated before something the journal already holds: what was done then
    /// was judged by the community as it stood, which the change would rewrite.
    #[error(
        "the {change} change is dated {at}, before the journal's last event ({last}): what was done since was judged by the community as it stood"
    )]
    BeforeJournal {
        /// The change's name.
        change: &'static str,
        /// When it was dated.
        at: Timestamp,
        /// When the journal's latest event is dated.
        last: Timestamp,
    },
    /// The change needs a decision of the community, and came on its own.
    #[error("the {change} change needs a {kind} decision: propose it")]
    NeedsDecision {
        /// The change's name.
        change: &'static str,
        /// The kind of decision it needs.
        kind: DecisionKind,
    },
    /// The change is a member's own act, made by someone else.
    #[error("the {change} change is member {member}'s own to make, not member {actor}'s")]
    NotOwnChange {
        /// The change's name.
        change: &'static str,
        /// Whose it is.
        member: MemberId,
        /// Who tried.
        actor: MemberId,
    },
    /// A member recorded someone else joining with what only the joiner may declare:
    /// lived experience, how they are named, their access needs.
    #[error(
        "member {actor} may record that member {member} joins, but not their {what}: that is \
         member {member}'s own to declare once they have joined"
    )]
    DeclaredForAnother {
        /// The joiner.
        member: MemberId,
        /// Who recorded the join.
        actor: MemberId,
        /// What the join declared for them (`lived_experience`, `named`, `access_needs`).
        what: &'static str,
    },
    /// A new funding policy is not valid.
    #[error("the funding policy cannot be used: {source}")]
    FundingPolicy {
        /// Why.
        source: FundingError,
    },
    /// A change made now would leave a change scheduled to take effect later unable to
    /// apply.
    #[error("the {change} change would stop the change scheduled from {from}: {source}")]
    Scheduled {
        /// The change made now.
        change: &'static str,
        /// When the scheduled change takes effect.
        from: Timestamp,
        /// Why the scheduled change would no longer apply.
        source: Box<LivingError>,
    },
    /// A decision carried a change only the member it is about may make: their leaving,
    /// their lived experience, how they are named, their joining or leaving the whole
    /// community's body.
    #[error("the {change} change is member {member}'s own to make: no decision makes it for them")]
    MembersOwn {
        /// The change's name.
        change: &'static str,
        /// Whose it is.
        member: MemberId,
    },
    /// A decision recorded on one member's word, from a round held elsewhere, brought
    /// someone in with what only they declare: lived experience, how they are named, their
    /// access needs. A decision whose round the engine ran may; the joiner may in any case
    /// declare it themselves once they have joined.
    #[error(
        "a decision recorded on member {by}'s word from a round held elsewhere may bring member {member} in, but not declare their {what}: that is member {member}'s own to declare once they have joined"
    )]
    DeclaredByDecision {
        /// The joiner.
        member: MemberId,
        /// Who recorded the decision.
        by: MemberId,
        /// What the join declared for them (`lived_experience`, `named`, `access_needs`).
        what: &'static str,
    },
    /// The change would dissolve the whole community's body, form a second one, or form
    /// one of fewer than every member: that body is every member, who join and leave it
    /// themselves.
    #[error(
        "the {change} change would make the whole community's body other than every member: members join and leave it themselves"
    )]
    WholeCommunity {
        /// The change's name.
        change: &'static str,
    },
    /// A member's own change that leaves the community as it stands (lived experience
    /// declared already, a naming already chosen): nothing to journal.
    #[error("the {change} change changes nothing: the community already stands so")]
    ChangesNothing {
        /// The change's name.
        change: &'static str,
    },
    /// An appointment or release names one member twice.
    #[error("the {change} change names member {member} twice")]
    NamedTwice {
        /// The change's name.
        change: &'static str,
        /// The member named twice.
        member: MemberId,
    },
    /// A person joins under a member number a member had before, or that a joining already
    /// adopted gives: records of what that member did would then name the newcomer.
    #[error(
        "member number {member} is taken (a member had it, or a joining already adopted gives it): a person who joins takes a number of their own, so what each member did stays theirs"
    )]
    NumberTaken {
        /// The number.
        member: MemberId,
    },
    /// The change names no member, or a body with nobody in it.
    #[error("the {change} change names nobody")]
    NobodyNamed {
        /// The change's name.
        change: &'static str,
    },
    /// The change would give a person member number 0, the engine's own
    /// ([`ENGINE_ACTOR`](crate::engine::ENGINE_ACTOR)): what it did would read as what the
    /// engine did on its own.
    #[error(
        "the {change} change would give member number 0 to a person: it is the engine's own, for what it does on its own"
    )]
    EnginesOwn {
        /// The change's name.
        change: &'static str,
    },
}

/// The community, governance map, charter and funding policy in force from one time on,
/// and the change that made them.
#[derive(Debug, Clone)]
pub struct Version {
    from: Timestamp,
    entry: Option<Arc<Entry>>,
    community: Arc<Community>,
    governance: Option<Arc<Governance>>,
    governance_hash: Option<Hash>,
    charter: Arc<Charter>,
    charter_hash: Hash,
    policy: Option<Arc<FundingPolicy>>,
    policy_hash: Option<Hash>,
}

impl Version {
    /// When this version took effect.
    pub fn from(&self) -> Timestamp {
        self.from
    }

    /// The change that made this version, when it was made and which decision adopted
    /// it; `None` for the founding.
    pub fn entry(&self) -> Option<&Entry> {
        self.entry.as_deref()
    }

    /// The community.
    pub fn community(&self) -> &Community {
        &self.community
    }

    /// The community, shared.
    pub fn community_shared(&self) -> Arc<Community> {
        Arc::clone(&self.community)
    }

    /// The governance map, if the community routes its decisions.
    pub fn governance(&self) -> Option<&Governance> {
        self.governance.as_deref()
    }

    /// The hash of the governance map ([`governance_hash`]), if there is one.
    pub fn governance_hash(&self) -> Option<Hash> {
        self.governance_hash
    }

    /// The governance map, shared.
    pub fn governance_shared(&self) -> Option<Arc<Governance>> {
        self.governance.clone()
    }

    /// The charter.
    pub fn charter(&self) -> &Charter {
        &self.charter
    }

    /// The charter, shared.
    pub fn charter_shared(&self) -> Arc<Charter> {
        Arc::clone(&self.charter)
    }

    /// The charter's hash ([`Charter::hash`]).
    pub fn charter_hash(&self) -> Hash {
        self.charter_hash
    }

    /// The funding policy, if the community has one in its journal: the red lines,
    /// thresholds and checklists every funding decision opened under this version
    /// follows.
    pub fn funding_policy(&self) -> Option<&FundingPolicy> {
        self.policy.as_deref()
    }

    /// The funding policy's hash ([`Hash::of_json`]), if there is one.
    pub fn funding_policy_hash(&self) -> Option<Hash> {
        self.policy_hash
    }

    /// The version `entry` makes of this one, in force from `entry.from`.
    fn then(&self, entry: Entry) -> Result<Version, LivingError> {
        let Some(applied) = entry.applied() else {
            // Nothing of it is left for those still here: the community stays as it was.
            return Ok(Version {
                from: entry.from,
                entry: Some(Arc::new(entry)),
                ..self.clone()
            });
        };
        let change = &*applied;
        let name = change.label();
        let community_error = |source| LivingError::Community {
            change: name,
            source,
        };
        // A body whose first members have all left is still formed, empty.
        if entry.lapsed.is_empty() && change.named_members() == 0 {
            return Err(LivingError::NobodyNamed { change: name });
        }
        if let Some(member) = change.named_twice() {
            return Err(LivingError::NamedTwice {
                change: name,
                member,
            });
        }
        let mut community = None;
        let mut governance = self.governance.clone();
        let mut map_hash = self.governance_hash;
        let mut charter = (Arc::clone(&self.charter), self.charter_hash);
        let mut policy = (self.policy.clone(), self.policy_hash);
        let edit = |community: &mut Option<Community>| -> Community {
            community.take().unwrap_or_else(|| self.community().clone())
        };
        match change {
            CommunityChange::Join { member } if member.id == crate::engine::ENGINE_ACTOR => {
                return Err(LivingError::EnginesOwn { change: name });
            }
            CommunityChange::Join { member } => {
                let mut c = edit(&mut community);
                c.add_member(member.clone()).map_err(community_error)?;
                // The whole community's body, where there is one, takes every member.
                let whole: Vec<BodyId> = c
                    .bodies()
                    .filter(|b| b.kind == BodyKind::WholeCommunity)
                    .map(|b| b.id.clone())
                    .collect();
                for body in whole {
                    c.join(&body, member.id).map_err(community_error)?;
                }
                community = Some(c);
            }
            CommunityChange::Leave { member } => {
                let mut c = edit(&mut community);
                c.remove_member(*member).map_err(community_error)?;
                community = Some(c);
            }
            CommunityChange::LivedExperience { member, declared } => {
                let mut c = edit(&mut community);
                c.set_lived_experience(*member, *declared)
                    .map_err(community_error)?;
                community = Some(c);
            }
            CommunityChange::Named { member, named } => {
                let mut c = edit(&mut community);
                c.set_naming(*member, *named).map_err(community_error)?;
                community = Some(c);
            }
            CommunityChange::Roles { member, roles } => {
                let mut c = edit(&mut community);
                c.set_roles(*member, roles.clone())
                    .map_err(community_error)?;
                community = Some(c);
            }
            CommunityChange::Appoint { body, members } => {
                let mut c = edit(&mut community);
                for member in members {
                    c.join(body, *member).map_err(community_error)?;
                }
                community = Some(c);
            }
            CommunityChange::Release { body, members } => {
                let mut c = edit(&mut community);
                for member in members {
                    c.leave(body, *member).map_err(community_error)?;
                }
                community = Some(c);
            }
            // The whole community's body is every member: no change forms one of fewer,
            // nor a second, nor dissolves it (to form it again of a few).
            CommunityChange::FormBody { body }
                if body.kind == BodyKind::WholeCommunity
                    && (self
                        .community()
                        .bodies()
                        .any(|b| b.kind == BodyKind::WholeCommunity)
                        || body.members().len() != self.community().members().len()) =>
            {
                return Err(LivingError::WholeCommunity { change: name });
            }
            CommunityChange::DissolveBody { body }
                if self
                    .community()
                    .body(body)
                    .is_some_and(|b| b.kind == BodyKind::WholeCommunity) =>
            {
                return Err(LivingError::WholeCommunity { change: name });
            }
            CommunityChange::FormBody { body } => {
                let mut c = edit(&mut community);
                c.add_body(body.clone()).map_err(community_error)?;
                community = Some(c);
            }
            CommunityChange::DissolveBody { body } => {
                let mut c = edit(&mut community);
                c.remove_body(body).map_err(community_error)?;
                community = Some(c);
            }
            CommunityChange::Governance { map } => {
                governance = Some(Arc::new(validated(map.clone(), self.community(), name)?));
                map_hash = Some(governance_hash(map));
            }
            CommunityChange::Charter { charter: new } => {
                charter = (Arc::new(new.clone()), new.hash());
            }
            CommunityChange::FundingPolicy { policy: new } => {
                new.validate()
                    .map_err(|source| LivingError::FundingPolicy { source })?;
                policy = (Some(Arc::new((**new).clone())), Some(Hash::of_json(new)));
            }
        }
        // A changed community must still carry the governance map in force.
        if let (Some(c), Some(g)) = (&community, &governance) {
            governance = Some(Arc::new(validated(g.map().clone(), c, name)?));
        }
        Ok(Version {
            from: entry.from,
            entry: Some(Arc::new(entry)),
            community: community.map_or_else(|| Arc::clone(&self.community), Arc::new),
            governance,
            governance_hash: map_hash,
            charter: charter.0,
            charter_hash: charter.1,
            policy: policy.0,
            policy_hash: policy.1,
        })
    }
}

/// One change as the journal holds it: what changed, when it was made, from when it takes
/// effect, and the decision that adopted it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Entry {
    /// The change.
    pub change: CommunityChange,
    /// When it was made: its event's time.
    pub made: Timestamp,
    /// When it takes effect: never before it was made.
    pub from: Timestamp,
    /// The decision that adopted it, when it needed one.
    pub decided_by: Option<StreamId>,
    /// The member on whose word that decision was recorded, from a round held elsewhere:
    /// the change stands on their attestation, not on a decision the engine witnessed.
    /// `None` when the engine ran the deciding round, and for a member's own change.
    pub attested_by: Option<MemberId>,
    /// The members who left the community after the change was adopted and before it took
    /// effect: it no longer applies to them ([`Entry::applied`]), and `change` stays as
    /// the decision adopted it. Empty for a change in force when made.
    pub lapsed: BTreeSet<MemberId>,
}

impl Entry {
    /// A change made at `at`, in force from then, on nobody's decision.
    pub fn new(change: CommunityChange, at: Timestamp) -> Self {
        Self {
            change,
            made: at,
            from: at,
            decided_by: None,
            attested_by: None,
            lapsed: BTreeSet::new(),
        }
    }

    /// The change as it takes effect: [`change`](Self::change) without the members who
    /// left before it did ([`lapsed`](Self::lapsed)); `None` when nothing of it is left
    /// (it was about one of them alone, or appointed only them).
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::{BodyId, MemberId};
    /// use coproduction::living::{CommunityChange, Entry};
    ///
    /// let wave = CommunityChange::Appoint { body: BodyId::new("allies_group")?, members: vec![MemberId::new(4), MemberId::new(5)] };
    /// let entry = Entry::new(wave, "2021-03-10T12:00:00Z".parse()?);
    /// assert_eq!(entry.applied().as_deref(), Some(&entry.change));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn applied(&self) -> Option<Cow<'_, CommunityChange>> {
        if self.lapsed.is_empty() {
            Some(Cow::Borrowed(&self.change))
        } else {
            self.change.without(&self.lapsed).map(Cow::Owned)
        }
    }

    /// The same change adopted by the decision on `stream`.
    #[must_use]
    pub fn decided_by(mut self, stream: StreamId) -> Self {
        self.decided_by = Some(stream);
        self
    }

    /// The same change, adopted by a decision recorded on `member`'s word from a round
    /// held elsewhere.
    #[must_use]
    pub fn attested_by(mut self, member: MemberId) -> Self {
        self.attested_by = Some(member);
        self
    }

    /// The same change, in force from `from` (when that is after it was made).
    #[must_use]
    pub fn effective(mut self, from: Timestamp) -> Self {
        self.from = from;
        self
    }

    /// The event that journals this entry: `from` is written only when it differs from the
    /// event's time.
    pub fn event(&self) -> LivingEvent {
        LivingEvent::Changed {
            change: Box::new(self.change.clone()),
            decided_by: self.decided_by.clone(),
            from: (self.from != self.made).then_some(self.from),
            attested_by: self.attested_by,
        }
    }
}

/// The hash of a governance map: BLAKE3 over its JSON.
pub fn governance_hash(map: &GovernanceMap) -> Hash {
    Hash::of_json(map)
}

/// What a community is founded with: its first members and bodies, governance map,
/// charter and funding policy.
#[derive(Debug, Clone)]
pub struct Founding {
    /// The founding community.
    pub community: Community,
    /// The founding governance map, if the community routes its decisions.
    pub governance: Option<GovernanceMap>,
    /// The founding charter.
    pub charter: Charter,
    /// The founding funding policy, if the community screens funding in its journal.
    pub funding_policy: Option<FundingPolicy>,
}

/// Every version of the community since its founding, in the order they take effect.
///
/// A change adopted to take effect later is **scheduled**: its version sits ahead of the
/// present, and a change made in between applies before it; every version after the
/// insertion is made again, and a change that would leave a scheduled one unable to apply
/// is refused ([`LivingError::Scheduled`]). A member who leaves in between is taken out of
/// the scheduled changes that name them ([`Entry::lapsed`]).
#[derive(Debug, Clone)]
pub struct History {
    founding: Arc<Version>,
    later: Vec<Arc<Version>>,
    last_made: Timestamp,
}

impl History {
    /// The history of a community founded at `at` with `community`, `governance` (a map,
    /// validated against it) and `charter`, and no funding policy.
    ///
    /// # Errors
    ///
    /// [`LivingError::Governance`] if the map does not validate against the community.
    pub fn founded(
        community: Community,
        governance: Option<GovernanceMap>,
        charter: Charter,
        at: Timestamp,
    ) -> Result<Self, LivingError> {
        Self::found(
            Founding {
                community,
                governance,
                charter,
                funding_policy: None,
            },
            at,
        )
    }

    /// The history of a community founded at `at` with `founding`.
    ///
    /// # Errors
    ///
    /// [`LivingError::Governance`] if the map does not validate against the community;
    /// [`LivingError::FundingPolicy`] if the policy does not validate.
    pub fn found(founding: Founding, at: Timestamp) -> Result<Self, LivingError> {
        let governance = founding
            .governance
            .map(|map| validated(map, &founding.community, "founding"))
            .transpose()?;
        if let Some(policy) = &founding.funding_policy {
            policy
                .validate()
                .map_err(|source| LivingError::FundingPolicy { source })?;
        }
        Ok(Self::from_parts(
            founding.community,
            governance,
            founding.charter,
            founding.funding_policy,
            at,
        ))
    }

    /// The history of a community founded with parts already checked.
    pub(crate) fn from_parts(
        community: Community,
        governance: Option<Governance>,
        charter: Charter,
        policy: Option<FundingPolicy>,
        at: Timestamp,
    ) -> Self {
        let map_hash = governance.as_ref().map(|g| governance_hash(g.map()));
        let policy_hash = policy.as_ref().map(Hash::of_json);
        Self {
            founding: Arc::new(Version {
                from: at,
                entry: None,
                community: Arc::new(community),
                governance: governance.map(Arc::new),
                governance_hash: map_hash,
                charter_hash: charter.hash(),
                charter: Arc::new(charter),
                policy: policy.map(Arc::new),
                policy_hash,
            }),
            later: Vec::new(),
            last_made: at,
        }
    }

    /// The latest version, scheduled ones included: what the community will be once every
    /// change adopted so far has taken effect.
    pub fn current(&self) -> &Version {
        self.later.last().unwrap_or(&self.founding)
    }

    /// The latest version, shared.
    pub(crate) fn current_shared(&self) -> Arc<Version> {
        Arc::clone(self.later.last().unwrap_or(&self.founding))
    }

    /// The version in force at `time`: the latest that took effect at or before it, or the
    /// founding for a time before it.
    pub fn at(&self, time: Timestamp) -> &Version {
        self.at_arc(time)
    }

    /// The version in force at `time`, shared.
    pub(crate) fn at_shared(&self, time: Timestamp) -> Arc<Version> {
        Arc::clone(self.at_arc(time))
    }

    fn at_arc(&self, time: Timestamp) -> &Arc<Version> {
        match self.index_at(time).checked_sub(1) {
            Some(i) => self.later.get(i).unwrap_or(&self.founding),
            None => &self.founding,
        }
    }

    /// The place in [`History::versions`] of the version in force at `time` (0, the
    /// founding, for a time before the first change took effect).
    pub(crate) fn index_at(&self, time: Timestamp) -> usize {
        self.later.partition_point(|v| v.from <= time)
    }

    /// The founding version.
    pub fn founding(&self) -> &Version {
        &self.founding
    }

    /// When the last change was made (the founding's time when there is none): no change
    /// is made before it.
    pub fn last_made(&self) -> Timestamp {
        self.last_made
    }

    /// Every version, in the order they take effect.
    pub fn versions(&self) -> impl Iterator<Item = &Version> + '_ {
        std::iter::once(&*self.founding).chain(self.later.iter().map(|v| &**v))
    }

    /// The history with `entry` in it; changes nothing.
    ///
    /// # Errors
    ///
    /// [`LivingError`]: made before the last change, in force before it was made, the
    /// change does not apply to the version in force from then, or a scheduled change no
    /// longer applies after it.
    pub fn with(&self, entry: Entry) -> Result<History, LivingError> {
        let name = entry.change.label();
        if entry.made < self.last_made {
            return Err(LivingError::Backdated {
                change: name,
                at: entry.made,
                last: self.last_made,
            });
        }
        if entry.from < entry.made {
            return Err(LivingError::Backdated {
                change: name,
                at: entry.from,
                last: entry.made,
            });
        }
        if let CommunityChange::Join { member } = &entry.change {
            self.number_free(member.id, entry.from)?;
        }
        let made = entry.made;
        let split = self.later.partition_point(|v| v.from <= entry.from);
        let (before, scheduled) = self.later.split_at(split);
        let mut later: Vec<Arc<Version>> = before.to_vec();
        let base = later.last().unwrap_or(&self.founding);
        // A member who leaves is gone from every change still to take effect: it lapses
        // for them, and a member may always leave.
        let departed = match &entry.change {
            CommunityChange::Leave { member } => Some(*member),
            _ => None,
        };
        later.push(Arc::new(base.then(entry)?));
        let later = remade(later, &self.founding, scheduled.iter(), name, |entry| {
            if let Some(member) = departed.filter(|m| entry.change.names(*m)) {
                entry.lapsed.insert(member);
            }
        })?;
        Ok(History {
            founding: Arc::clone(&self.founding),
            later,
            last_made: made,
        })
    }

    /// Refuses a join under `member` when a member had that number before `from` and is
    /// no longer one then ([`LivingError::NumberTaken`]); a member still in the community
    /// is refused by the community itself, as already a member.
    pub(crate) fn number_free(&self, member: MemberId, from: Timestamp) -> Result<(), LivingError> {
        let current = self.at(from).community().member(member).is_some();
        let had = self.founding.community().member(member).is_some()
            || self.later.iter().any(|v| {
                matches!(
                    v.entry().map(|e| &e.change),
                    Some(CommunityChange::Join { member: m }) if m.id == member
                )
            });
        if had && !current {
            return Err(LivingError::NumberTaken { member });
        }
        Ok(())
    }

    /// How the charter of hash `charter` last in force at or before `at` came into force:
    /// the earliest version of that run of versions with it, and the change that made that
    /// version (with the decision that adopted it, and on whose word). `None` when no
    /// version up to `at` has it.
    pub fn charter_adoption(
        &self,
        charter: Hash,
        at: Timestamp,
    ) -> Option<crate::values::CharterAdoption> {
        let versions: Vec<&Version> = self.versions().take(self.index_at(at) + 1).collect();
        let last = versions.iter().rposition(|v| v.charter_hash() == charter)?;
        let first = versions
            .get(..=last)?
            .iter()
            .rev()
            .take_while(|v| v.charter_hash() == charter)
            .last()?;
        let entry = first.entry();
        Some(crate::values::CharterAdoption {
            from: first.from(),
            decided_by: entry.and_then(|e| e.decided_by.clone()),
            attested_by: entry.and_then(|e| e.attested_by),
        })
    }

    /// Whether the body `body` stood in every version in force from `since` to `until`:
    /// the one body throughout, not dissolved in between (and perhaps formed again under
    /// its id, with other members, for other matters).
    pub fn body_stood(&self, body: &BodyId, since: Timestamp, until: Timestamp) -> bool {
        let (from, to) = (self.index_at(since), self.index_at(until));
        self.versions()
            .skip(from)
            .take(to.saturating_sub(from) + 1)
            .all(|v| v.community().body(body).is_some())
    }

    /// The history without the changes the decision on `decided_by` adopted that had not
    /// taken effect by `at`, since it was retired then: every version after them made
    /// again. `None` when it has none still to take effect.
    ///
    /// # Errors
    ///
    /// [`LivingError::Backdated`] before the last change; [`LivingError::Scheduled`] when a
    /// change scheduled later no longer applies without them.
    pub fn withdrawn(
        &self,
        decided_by: &StreamId,
        at: Timestamp,
    ) -> Result<Option<History>, LivingError> {
        let name = "withdrawn";
        if at < self.last_made {
            return Err(LivingError::Backdated {
                change: name,
                at,
                last: self.last_made,
            });
        }
        let split = self.later.partition_point(|v| v.from <= at);
        let (before, scheduled) = self.later.split_at(split);
        let theirs = |v: &Arc<Version>| {
            v.entry()
                .is_some_and(|e| e.decided_by.as_ref() == Some(decided_by))
        };
        if !scheduled.iter().any(theirs) {
            return Ok(None);
        }
        let later = remade(
            before.to_vec(),
            &self.founding,
            scheduled.iter().filter(|v| !theirs(v)),
            name,
            |_| {},
        )?;
        Ok(Some(History {
            founding: Arc::clone(&self.founding),
            later,
            last_made: at,
        }))
    }

    /// Applies `change` made at `at`, in force from then.
    ///
    /// # Errors
    ///
    /// As [`History::with`]; a refused change leaves the history as it was.
    pub fn apply(&mut self, change: &CommunityChange, at: Timestamp) -> Result<(), LivingError> {
        *self = self.with(Entry::new(change.clone(), at))?;
        Ok(())
    }
}

/// `later` (the versions after `founding` that stay as they are) with each of the
/// `scheduled` versions' entries made again in order over its last version, or over the
/// founding when it holds none, as `adjust` leaves them: or why one no longer applies,
/// naming the change `name` that moved them.
fn remade<'a>(
    mut later: Vec<Arc<Version>>,
    founding: &Arc<Version>,
    scheduled: impl Iterator<Item = &'a Arc<Version>>,
    name: &'static str,
    adjust: impl Fn(&mut Entry),
) -> Result<Vec<Arc<Version>>, LivingError> {
    for version in scheduled {
        let Some(entry) = version.entry() else {
            continue;
        };
        let mut entry = entry.clone();
        adjust(&mut entry);
        let last = later.last().unwrap_or(founding);
        let next = last.then(entry).map_err(|source| LivingError::Scheduled {
            change: name,
            from: version.from,
            source: Box::new(source),
        })?;
        later.push(Arc::new(next));
    }
    Ok(later)
}

/// Validates `map` against `community`, naming the change for the error.
fn validated(
    map: GovernanceMap,
    community: &Community,
    change: &'static str,
) -> Result<Governance, LivingError> {
    Governance::new(map, community).map_err(|source| LivingError::Governance { change, source })
}
