//! The living community: members, bodies, the governance map and the charter as journalled
//! history, changed through the community's own decisions.
//!
//! A journal opens with its **founding** ([`LivingEvent::Founded`]): the community, the
//! governance map and the charter the engine was first opened with, written as the first
//! event of the reserved stream [`community`](stream). Every later change to them is a
//! [`LivingEvent::Changed`] on that stream, with the member who made it and when. The
//! engine reads all of it back when it opens: the journal alone says what the community was
//! at any time ([`History::at`]), and a community file that disagrees with the founding is
//! refused rather than used to judge history again.
//!
//! **Whose act is a change.** What a member says of themselves (that they bring lived
//! experience, or leave) is theirs to make; a member may record that someone joined the
//! community. Everything else changes who decides or by what rules, and so takes a
//! decision of the community ([`CommunityChange::needs_decision`]):
//!
//! | change | needs a decision of kind |
//! |---|---|
//! | `join`, `leave`, `lived_experience` | none: the member's own (a join is recorded by any member) |
//! | `appoint`, `release` (a body other than the whole community), `roles` | recruitment |
//! | `form_body`, `dissolve_body`, `governance`, `charter` | governance |
//!
//! A change that needs a decision is carried by a proposal of that kind
//! ([`ProposalConfig::changes`](crate::proposal::ProposalConfig::changes)); the engine
//! writes it to this stream in the same atomic batch as the adoption, naming the decision,
//! and refuses the adoption if the change no longer applies (a member who left, a map that
//! no longer validates). Sent on its own, such a change is refused.
//!
//! **Versions.** Each change makes a new [`Version`]: the community, the governance map
//! (validated against that community) and the charter, with their hashes, in force from the
//! change's time. Changes are in time order: none takes effect before the last one. A
//! process is routed and judged by the version in force when it opened.
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

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{Body, BodyId, BodyKind, Community, CommunityError, Member, MemberId, Role};
use crate::decision::DecisionKind;
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

impl CommunityChange {
    /// The stable `snake_case` name of the change.
    pub fn label(&self) -> &'static str {
        match self {
            CommunityChange::Join { .. } => "join",
            CommunityChange::Leave { .. } => "leave",
            CommunityChange::LivedExperience { .. } => "lived_experience",
            CommunityChange::Roles { .. } => "roles",
            CommunityChange::Appoint { .. } => "appoint",
            CommunityChange::Release { .. } => "release",
            CommunityChange::FormBody { .. } => "form_body",
            CommunityChange::DissolveBody { .. } => "dissolve_body",
            CommunityChange::Governance { .. } => "governance",
            CommunityChange::Charter { .. } => "charter",
        }
    }

    /// The kind of decision the change needs, or `None` for a member's own change (see the
    /// [module guide](self)). Appointing to or releasing from the whole community's body
    /// is a member's own joining or leaving it.
    pub fn needs_decision(&self, community: &Community) -> Option<DecisionKind> {
        let whole = |body: &BodyId| {
            community
                .body(body)
                .is_some_and(|b| b.kind == BodyKind::WholeCommunity)
        };
        match self {
            CommunityChange::Join { .. }
            | CommunityChange::Leave { .. }
            | CommunityChange::LivedExperience { .. } => None,
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
            | CommunityChange::Charter { .. } => Some(DecisionKind::Governance),
        }
    }

    /// The member whose own act the change is, when only they may make it on their own:
    /// leaving, declaring lived experience, joining or leaving the whole community's body.
    /// `None` for a join (any member records it) and for changes that need a decision.
    pub fn own_member(&self, community: &Community) -> Option<MemberId> {
        if self.needs_decision(community).is_some() {
            return None;
        }
        match self {
            CommunityChange::Leave { member } | CommunityChange::LivedExperience { member, .. } => {
                Some(*member)
            }
            CommunityChange::Appoint { members, .. } | CommunityChange::Release { members, .. } => {
                members.first().copied()
            }
            _ => None,
        }
    }

    /// Every member the change names, for the limit on a change's size.
    pub fn named_members(&self) -> usize {
        match self {
            CommunityChange::Appoint { members, .. } | CommunityChange::Release { members, .. } => {
                members.len()
            }
            CommunityChange::FormBody { body } => body.members().len(),
            _ => 1,
        }
    }
}

/// What the community's stream journals.
///
/// JSON: `{"type": "founded", ...}` or `{"type": "changed", "change": {...}}`.
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
        #[serde(default, skip_serializing_if = "Option::is_none")]
        governance: Option<GovernanceMap>,
        /// The founding charter.
        charter: Box<Charter>,
    },
    /// A change, in force from the event's time.
    Changed {
        /// The change.
        change: Box<CommunityChange>,
        /// The decision that adopted it, when it needed one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        decided_by: Option<StreamId>,
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
    /// The change names no member, or a body with nobody in it.
    #[error("the {change} change names nobody")]
    NobodyNamed {
        /// The change's name.
        change: &'static str,
    },
}

/// The community, governance map and charter in force from one time on.
#[derive(Debug, Clone)]
pub struct Version {
    from: Timestamp,
    community: Arc<Community>,
    governance: Option<Arc<Governance>>,
    governance_hash: Option<Hash>,
    charter: Arc<Charter>,
    charter_hash: Hash,
}

impl Version {
    /// When this version took effect.
    pub fn from(&self) -> Timestamp {
        self.from
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

    /// The hash of the governance map (of its JSON), if there is one.
    pub fn governance_hash(&self) -> Option<Hash> {
        self.governance_hash
    }

    /// The charter.
    pub fn charter(&self) -> &Charter {
        &self.charter
    }

    /// The charter, shared.
    pub fn charter_shared(&self) -> Arc<Charter> {
        Arc::clone(&self.charter)
    }

    /// The governance map, shared.
    pub fn governance_shared(&self) -> Option<Arc<Governance>> {
        self.governance.clone()
    }

    /// The charter's hash ([`Charter::hash`]).
    pub fn charter_hash(&self) -> Hash {
        self.charter_hash
    }
}

/// The hash of a governance map: BLAKE3 over its JSON.
pub fn governance_hash(map: &GovernanceMap) -> Hash {
    let mut hasher = blake3::Hasher::new();
    // The map is plain data; writing it to a hasher cannot fail.
    let _ = serde_json::to_writer(&mut hasher, map);
    Hash::of_hasher(&hasher)
}

/// Every version of the community since its founding, in time order.
#[derive(Debug, Clone)]
pub struct History {
    founding: Arc<Version>,
    later: Vec<Arc<Version>>,
}

impl History {
    /// The history of a community founded at `at` with `community`, `governance` (a map,
    /// validated against it) and `charter`.
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
        let governance = governance
            .map(|map| validated(map, &community, "founding"))
            .transpose()?;
        Ok(Self::from_parts(community, governance, charter, at))
    }

    /// The history of a community founded with parts already checked.
    pub(crate) fn from_parts(
        community: Community,
        governance: Option<Governance>,
        charter: Charter,
        at: Timestamp,
    ) -> Self {
        let governance_hash = governance.as_ref().map(|g| governance_hash(g.map()));
        Self {
            founding: Arc::new(Version {
                from: at,
                community: Arc::new(community),
                governance: governance.map(Arc::new),
                governance_hash,
                charter_hash: charter.hash(),
                charter: Arc::new(charter),
            }),
            later: Vec::new(),
        }
    }

    /// The version in force now: the latest.
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
        let after = self.later.partition_point(|v| v.from <= time);
        after
            .checked_sub(1)
            .and_then(|i| self.later.get(i))
            .unwrap_or(&self.founding)
    }

    /// The founding version.
    pub fn founding(&self) -> &Version {
        &self.founding
    }

    /// Every version, oldest first.
    pub fn versions(&self) -> impl Iterator<Item = &Version> + '_ {
        std::iter::once(&*self.founding).chain(self.later.iter().map(|v| &**v))
    }

    /// Checks `change` at `at` against the current version and returns the version it
    /// makes; changes nothing.
    ///
    /// # Errors
    ///
    /// [`LivingError`]: dated before the last change, or the change does not apply.
    pub fn check(&self, change: &CommunityChange, at: Timestamp) -> Result<Version, LivingError> {
        let current = self.current();
        let name = change.label();
        if at < current.from {
            return Err(LivingError::Backdated {
                change: name,
                at,
                last: current.from,
            });
        }
        let community_error = |source| LivingError::Community {
            change: name,
            source,
        };
        if change.named_members() == 0 {
            return Err(LivingError::NobodyNamed { change: name });
        }
        let mut community = None;
        let mut governance = current.governance.clone();
        let mut charter = None;
        let edit = |community: &mut Option<Community>| -> Community {
            community
                .take()
                .unwrap_or_else(|| current.community().clone())
        };
        match change {
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
                governance = Some(Arc::new(validated(map.clone(), current.community(), name)?));
            }
            CommunityChange::Charter { charter: new } => {
                charter = Some(new.clone());
            }
        }
        // A changed community must still carry the governance map in force.
        if let (Some(c), Some(g)) = (&community, &governance) {
            governance = Some(Arc::new(validated(g.map().clone(), c, name)?));
        }
        let governance_hash = match change {
            CommunityChange::Governance { map } => Some(governance_hash(map)),
            _ => current.governance_hash,
        };
        let (charter, charter_hash) = match charter {
            Some(c) => (Arc::new(c.clone()), c.hash()),
            None => (Arc::clone(&current.charter), current.charter_hash),
        };
        Ok(Version {
            from: at,
            community: community.map_or_else(|| Arc::clone(&current.community), Arc::new),
            governance,
            governance_hash,
            charter,
            charter_hash,
        })
    }

    /// Applies `change` from `at`.
    ///
    /// # Errors
    ///
    /// As [`History::check`]; a refused change leaves the history as it was.
    pub fn apply(&mut self, change: &CommunityChange, at: Timestamp) -> Result<(), LivingError> {
        let version = self.check(change, at)?;
        self.later.push(Arc::new(version));
        Ok(())
    }

    /// Adds a version made by [`History::check`].
    pub(crate) fn push(&mut self, version: Version) {
        self.later.push(Arc::new(version));
    }
}

/// Validates `map` against `community`, naming the change for the error.
fn validated(
    map: GovernanceMap,
    community: &Community,
    change: &'static str,
) -> Result<Governance, LivingError> {
    Governance::new(map, community).map_err(|source| LivingError::Governance { change, source })
}
