//! Members and bodies of a co-production community.
//!
//! A [`Member`] is a person: a typed [`MemberId`], a display name, the [`Role`]s they take
//! (what they do, never a rank: co-production avoids titles and hierarchy), whether they
//! bring lived experience, and their access needs. A [`Body`] is a group that takes part in
//! decisions (the staff team, the Allies Group, the whole community, a project team, or a
//! custom group) with its membership. A [`Community`] holds both and keeps them consistent:
//! every body member is a known member.
//!
//! [`Community::figures`] answers the question the community itself asked of its advisory
//! group: how many of a body's members bring lived experience, and what share that is.
//!
//! Every change is checked first and applied whole; a refused change leaves the community as
//! it was and returns a [`CommunityError`] naming the ids involved.
//!
//! # Example
//!
//! ```
//! use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
//!
//! let mut community = Community::new();
//! community.add_member(Member::new(MemberId::new(1), "Ally 1").with_role(Role::Ally))?;
//! community.add_member(
//!     Member::new(MemberId::new(2), "Ally 2").with_role(Role::Ally).with_lived_experience(),
//! )?;
//! let allies = BodyId::new("allies_group")?;
//! community.add_body(Body::new(allies.clone(), "Allies Group", BodyKind::AlliesGroup))?;
//! community.join(&allies, MemberId::new(1))?;
//! community.join(&allies, MemberId::new(2))?;
//!
//! let figures = community.figures(&allies)?;
//! assert_eq!(figures.size, 2);
//! assert_eq!(figures.lived_experience, 1);
//! assert_eq!(figures.lived_experience_share().to_string(), "1 of 2 (50%)");
//! # Ok::<(), coproduction::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::names::names;

mod ids;

pub use ids::{BodyId, MemberId};

/// What a member does in the community. A member may take several roles; none ranks above
/// another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// Takes part in co-creation sessions and community decisions.
    CommunityMember,
    /// A freelance co-producer who takes responsibility for parts of projects.
    CoProducer,
    /// A member of the staff team, trusted with everyday decisions.
    Staff,
    /// A member of the Allies Group: a critical friend and sounding board.
    Ally,
    /// Represents a partner organisation or funder.
    PartnerRepresentative,
}

impl Role {
    /// Every role, in a fixed order.
    pub const ALL: [Role; 5] = [
        Role::CommunityMember,
        Role::CoProducer,
        Role::Staff,
        Role::Ally,
        Role::PartnerRepresentative,
    ];

    /// Where the role stands in [`Role::ALL`], which lists the roles in declaration order
    /// (a unit test holds the two together).
    const fn position(self) -> usize {
        self as usize
    }
}

names! {
    Role, shown by label;
    /// The stable `snake_case` name of the role.
    label {
        CommunityMember => "community_member",
        CoProducer => "co_producer",
        Staff => "staff",
        Ally => "ally",
        PartnerRepresentative => "partner_representative",
    }
}

/// A kind of access need a member may ask to have met before a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AccessNeedKind {
    /// A venue with step-free access.
    StepFreeVenue,
    /// A sign-language interpreter.
    SignLanguage,
    /// Live captions.
    Captions,
    /// Papers in an easy-read version.
    EasyRead,
    /// Papers in large print.
    LargePrint,
    /// Papers that work with a screen reader.
    ScreenReader,
    /// Papers sent well before the session.
    PapersInAdvance,
    /// A quiet space during the session.
    QuietSpace,
    /// Regular breaks.
    RegularBreaks,
    /// Anything else; the note says what.
    Other,
}

names! {
    AccessNeedKind;
    /// The need in words, as a record reads it.
    label {
        StepFreeVenue => "a step-free venue",
        SignLanguage => "a sign-language interpreter",
        Captions => "live captions",
        EasyRead => "easy-read papers",
        LargePrint => "large-print papers",
        ScreenReader => "papers that work with a screen reader",
        PapersInAdvance => "papers well in advance",
        QuietSpace => "a quiet space",
        RegularBreaks => "regular breaks",
        Other => "another adjustment",
    }
}

/// One access need of a member.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessNeed {
    /// What kind of need.
    pub kind: AccessNeedKind,
    /// Detail in the member's words, if any.
    pub note: Option<String>,
}

impl AccessNeed {
    /// A need of `kind` without a note.
    pub fn new(kind: AccessNeedKind) -> Self {
        Self { kind, note: None }
    }
}

/// How a member asked to be named in what the community publishes: records, "you said,
/// we did", metrics. The same in every rendering ([`Member::shown_as`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Naming {
    /// By their name.
    #[default]
    Name,
    /// By the initials of their name.
    Initials,
    /// Not by name: shown as an anonymous member, by id, so their part in a decision can
    /// still be told from others'.
    Anonymous,
}

impl Naming {
    /// Whether this is the default, naming by name.
    pub fn is_name(&self) -> bool {
        *self == Naming::Name
    }
}

/// A person in the community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The member's id.
    pub id: MemberId,
    /// The name shown in records; must not be blank.
    pub name: String,
    /// What the member does; none ranks above another.
    #[serde(default)]
    pub roles: BTreeSet<Role>,
    /// Whether the member brings lived experience (rather than, or as well as, a
    /// professional role).
    #[serde(default)]
    pub lived_experience: bool,
    /// Needs to meet so the member can take part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_needs: Vec<AccessNeed>,
    /// How they asked to be named in what the community publishes; by name when absent.
    #[serde(default, skip_serializing_if = "Naming::is_name")]
    pub named: Naming,
}

impl Member {
    /// A member with no roles, no lived experience recorded and no access needs.
    pub fn new(id: MemberId, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            roles: BTreeSet::new(),
            lived_experience: false,
            access_needs: Vec::new(),
            named: Naming::Name,
        }
    }

    /// Names the member in publications as they asked.
    #[must_use]
    pub fn named(mut self, named: Naming) -> Self {
        self.named = named;
        self
    }

    /// How the member appears in what the community publishes, as they asked: their name,
    /// its initials, or "anonymous" with their id.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::{Member, MemberId, Naming};
    /// let member = Member::new(MemberId::new(13), "Ada Byron King");
    /// assert_eq!(member.shown_as(), "Ada Byron King");
    /// assert_eq!(member.clone().named(Naming::Initials).shown_as(), "A. B. K.");
    /// assert_eq!(member.named(Naming::Anonymous).shown_as(), "anonymous member m13");
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn shown_as(&self) -> String {
        let name = self.name.split_whitespace().collect::<Vec<_>>();
        match self.named {
            Naming::Name => name.join(" "),
            Naming::Initials => name
                .iter()
                .filter_map(|word| word.chars().next())
                .flat_map(char::to_uppercase)
                .map(|c| format!("{c}."))
                .collect::<Vec<_>>()
                .join(" "),
            Naming::Anonymous => format!("anonymous member {}", self.id),
        }
    }

    /// Adds a role.
    #[must_use]
    pub fn with_role(mut self, role: Role) -> Self {
        self.roles.insert(role);
        self
    }

    /// Records that the member brings lived experience.
    #[must_use]
    pub fn with_lived_experience(mut self) -> Self {
        self.lived_experience = true;
        self
    }

    /// Adds an access need.
    #[must_use]
    pub fn with_access_need(mut self, need: AccessNeed) -> Self {
        self.access_needs.push(need);
        self
    }

    /// Whether the member takes `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the member is a public contributor: a community member or a co-producer,
    /// whom the value-check's human rules (payment, credit) protect.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::{Member, MemberId, Role};
    /// assert!(Member::new(MemberId::new(1), "A").with_role(Role::CoProducer).is_public_contributor());
    /// assert!(!Member::new(MemberId::new(2), "B").with_role(Role::Staff).is_public_contributor());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn is_public_contributor(&self) -> bool {
        self.has_role(Role::CommunityMember) || self.has_role(Role::CoProducer)
    }
}

/// What kind of group a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BodyKind {
    /// The staff team, trusted with everyday decisions guided by the core values.
    StaffTeam,
    /// The advisory Allies Group of critical friends.
    AlliesGroup,
    /// The whole community, as in open co-creation sessions.
    WholeCommunity,
    /// A team working on one project.
    ProjectTeam,
    /// Any other group; its name says what it is.
    Custom,
}

names! {
    BodyKind;
    /// The stable `snake_case` name of the kind.
    label {
        StaffTeam => "staff_team",
        AlliesGroup => "allies_group",
        WholeCommunity => "whole_community",
        ProjectTeam => "project_team",
        Custom => "custom",
    }
}

/// A group of members that takes part in decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// The body's id.
    pub id: BodyId,
    /// The name shown in records; must not be blank.
    pub name: String,
    /// What kind of body it is.
    pub kind: BodyKind,
    #[serde(default)]
    members: BTreeSet<MemberId>,
}

impl Body {
    /// A body with no members yet.
    pub fn new(id: BodyId, name: impl Into<String>, kind: BodyKind) -> Self {
        Self {
            id,
            name: name.into(),
            kind,
            members: BTreeSet::new(),
        }
    }

    /// Adds members before the body joins a community, which checks that they exist.
    #[must_use]
    pub fn with_members(mut self, members: impl IntoIterator<Item = MemberId>) -> Self {
        self.members.extend(members);
        self
    }

    /// The ids of the body's members, in order.
    pub fn members(&self) -> impl ExactSizeIterator<Item = MemberId> + '_ {
        self.members.iter().copied()
    }

    /// Whether `member` belongs to the body.
    pub fn contains(&self, member: MemberId) -> bool {
        self.members.contains(&member)
    }

    /// How many members the body has.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the body has no members.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

/// A part of a whole, kept exact: "3 of 8". Comparisons against a minimum share are done in
/// integers, so a threshold is never missed by a rounding error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Share {
    /// The count that has the property.
    pub part: usize,
    /// The count of all.
    pub whole: usize,
}

impl Share {
    /// `part` of `whole`.
    pub const fn new(part: usize, whole: usize) -> Self {
        Self { part, whole }
    }

    /// The share as a fraction in `0.0..=1.0`; `None` when the whole is empty.
    pub fn fraction(self) -> Option<f64> {
        (self.whole > 0).then(|| self.part as f64 / self.whole as f64)
    }

    /// Whether the share is at least `numerator / denominator`, compared exactly.
    /// An empty whole never meets a positive minimum.
    ///
    /// ```
    /// use coproduction::community::Share;
    /// assert!(Share::new(1, 3).at_least(1, 3));
    /// assert!(!Share::new(3, 8).at_least(1, 2));
    /// assert!(Share::new(0, 0).at_least(0, 1));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn at_least(self, numerator: u32, denominator: u32) -> bool {
        if denominator == 0 {
            return false;
        }
        if self.whole == 0 {
            return numerator == 0;
        }
        // part/whole >= n/d  <=>  part*d >= n*whole, in u128 so nothing overflows.
        (self.part as u128) * u128::from(denominator)
            >= u128::from(numerator) * (self.whole as u128)
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.percent() {
            Some(percent) => write!(f, "{} of {} ({percent}%)", self.part, self.whole),
            None => write!(f, "0 of 0"),
        }
    }
}

impl Share {
    /// The share in whole percent, rounded as `{:.0}` rounds the fraction (to nearest, ties
    /// to even, on the same float), without the exact float formatting `{:.0}` runs: a
    /// report writes many shares, and that formatting is the slow path of `fmt`.
    fn percent(self) -> Option<u64> {
        // At most 100 after rounding, so the cast keeps the value.
        self.fraction()
            .map(|fraction| (fraction * 100.0).round_ties_even() as u64)
    }
}

/// The make-up of a body at one moment. Read from JSON, figures no body could have (more
/// members with lived experience, or in one role, than members) are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "BodyFiguresWire")]
pub struct BodyFigures {
    /// The body.
    pub body: BodyId,
    /// How many members it has.
    pub size: usize,
    /// How many of them bring lived experience.
    pub lived_experience: usize,
    /// How many members take each role (a member with two roles counts in both); every
    /// role is listed, with zero where nobody takes it.
    pub roles: BTreeMap<Role, usize>,
}

/// [`BodyFigures`] as read, before their counts are checked against the body's size.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BodyFiguresWire {
    body: BodyId,
    size: usize,
    lived_experience: usize,
    roles: BTreeMap<Role, usize>,
}

impl TryFrom<BodyFiguresWire> for BodyFigures {
    type Error = String;

    fn try_from(w: BodyFiguresWire) -> Result<Self, String> {
        if w.lived_experience > w.size {
            return Err(format!(
                "body `{}`: {} members with lived experience, of {} members",
                w.body, w.lived_experience, w.size
            ));
        }
        if let Some((role, n)) = w.roles.iter().find(|(_, n)| **n > w.size) {
            return Err(format!(
                "body `{}`: {n} members in the role `{}`, of {} members",
                w.body,
                role.label(),
                w.size
            ));
        }
        Ok(BodyFigures {
            body: w.body,
            size: w.size,
            lived_experience: w.lived_experience,
            roles: w.roles,
        })
    }
}

impl BodyFigures {
    /// The share of members with lived experience.
    pub fn lived_experience_share(&self) -> Share {
        Share::new(self.lived_experience, self.size)
    }
}

/// Why a change to a community was refused. The community is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommunityError {
    /// A body id breaks the slug rules.
    #[error("invalid body id `{id}`: {reason}")]
    InvalidBodyId {
        /// The refused id.
        id: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// A member with this id is already in the community.
    #[error("cannot add member {member}: a member with this id already exists")]
    DuplicateMember {
        /// The id added twice.
        member: MemberId,
    },
    /// A member's display name is blank: it holds no letter or digit a reader can see.
    #[error("cannot add member {member}: the name is blank")]
    UnnamedMember {
        /// The member.
        member: MemberId,
    },
    /// A member's display name reads the same as another member's (the same words, once
    /// case, compatibility forms and characters that show as nothing are set aside): a
    /// record naming either would name both.
    #[error("cannot add member {member}: member {other} goes by a name that reads the same")]
    NameTaken {
        /// The member added.
        member: MemberId,
        /// The member who goes by that name.
        other: MemberId,
    },
    /// A body with this id is already in the community.
    #[error("cannot add body `{body}`: a body with this id already exists")]
    DuplicateBody {
        /// The id added twice.
        body: BodyId,
    },
    /// A body's display name is blank.
    #[error("cannot add body `{body}`: the name is blank")]
    UnnamedBody {
        /// The body.
        body: BodyId,
    },
    /// The id names no member of the community.
    #[error("unknown member {member}{}", match body {
        Some(body) => format!(" (named as a member of body `{body}`)"),
        None => String::new(),
    })]
    UnknownMember {
        /// The unknown id.
        member: MemberId,
        /// The body the member was to join, if that was the change.
        body: Option<BodyId>,
    },
    /// The id names no body of the community.
    #[error("unknown body `{body}`")]
    UnknownBody {
        /// The unknown id.
        body: BodyId,
    },
    /// The member already belongs to the body.
    #[error("member {member} is already in body `{body}`")]
    AlreadyMember {
        /// The member.
        member: MemberId,
        /// The body.
        body: BodyId,
    },
    /// The member does not belong to the body.
    #[error("member {member} is not in body `{body}`")]
    NotAMember {
        /// The member.
        member: MemberId,
        /// The body.
        body: BodyId,
    },
}

/// Members and bodies, kept consistent: every body member is a member of the community.
///
/// Serialised as `{"members": [...], "bodies": [...]}`; reading it back runs the same checks
/// as building it call by call, so a JSON community with a duplicate or unknown id is
/// refused with the same [`CommunityError`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CommunityData", into = "CommunityData")]
pub struct Community {
    members: BTreeMap<MemberId, Member>,
    bodies: BTreeMap<BodyId, Body>,
    /// Each member's name as a reader reads it (its words, folded), and whose it is: no two
    /// members go by names that read the same.
    names: BTreeMap<Vec<String>, MemberId>,
}

/// The wire shape of a [`Community`]; private so that only checked values escape.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommunityData {
    members: Vec<Member>,
    #[serde(default)]
    bodies: Vec<Body>,
}

impl TryFrom<CommunityData> for Community {
    type Error = CommunityError;

    fn try_from(data: CommunityData) -> Result<Self, Self::Error> {
        let mut community = Community::new();
        for member in data.members {
            community.add_member(member)?;
        }
        for body in data.bodies {
            community.add_body(body)?;
        }
        Ok(community)
    }
}

impl From<Community> for CommunityData {
    fn from(community: Community) -> Self {
        Self {
            members: community.members.into_values().collect(),
            bodies: community.bodies.into_values().collect(),
        }
    }
}

impl Community {
    /// An empty community.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a member.
    ///
    /// # Errors
    ///
    /// [`CommunityError::DuplicateMember`] if the id is taken,
    /// [`CommunityError::UnnamedMember`] if the name is blank (no letter or digit a
    /// reader sees), [`CommunityError::NameTaken`] if it reads the same as another
    /// member's.
    pub fn add_member(&mut self, member: Member) -> Result<(), CommunityError> {
        if self.members.contains_key(&member.id) {
            return Err(CommunityError::DuplicateMember { member: member.id });
        }
        let name = crate::limits::words(&member.name);
        if name.is_empty() {
            return Err(CommunityError::UnnamedMember { member: member.id });
        }
        if let Some(other) = self.names.get(&name) {
            return Err(CommunityError::NameTaken {
                member: member.id,
                other: *other,
            });
        }
        self.names.insert(name, member.id);
        self.members.insert(member.id, member);
        Ok(())
    }

    /// Removes a member from the community and from every body.
    ///
    /// # Errors
    ///
    /// [`CommunityError::UnknownMember`] if there is no such member.
    pub fn remove_member(&mut self, member: MemberId) -> Result<Member, CommunityError> {
        let removed = self
            .members
            .remove(&member)
            .ok_or(CommunityError::UnknownMember { member, body: None })?;
        self.names.remove(&crate::limits::words(&removed.name));
        for body in self.bodies.values_mut() {
            body.members.remove(&member);
        }
        Ok(removed)
    }

    /// Adds a body with the members it already lists.
    ///
    /// # Errors
    ///
    /// [`CommunityError::DuplicateBody`], [`CommunityError::UnnamedBody`], or
    /// [`CommunityError::UnknownMember`] for the first listed member that is not in the
    /// community.
    pub fn add_body(&mut self, body: Body) -> Result<(), CommunityError> {
        if self.bodies.contains_key(&body.id) {
            return Err(CommunityError::DuplicateBody { body: body.id });
        }
        if crate::limits::is_blank(&body.name) {
            return Err(CommunityError::UnnamedBody { body: body.id });
        }
        if let Some(&member) = body.members.iter().find(|m| !self.members.contains_key(m)) {
            return Err(CommunityError::UnknownMember {
                member,
                body: Some(body.id),
            });
        }
        self.bodies.insert(body.id.clone(), body);
        Ok(())
    }

    /// Adds `member` to `body`.
    ///
    /// # Errors
    ///
    /// [`CommunityError::UnknownBody`], [`CommunityError::UnknownMember`], or
    /// [`CommunityError::AlreadyMember`] if the member is in the body already.
    pub fn join(&mut self, body: &BodyId, member: MemberId) -> Result<(), CommunityError> {
        if !self.members.contains_key(&member) {
            return Err(CommunityError::UnknownMember {
                member,
                body: Some(body.clone()),
            });
        }
        let entry = self
            .bodies
            .get_mut(body)
            .ok_or_else(|| CommunityError::UnknownBody { body: body.clone() })?;
        if !entry.members.insert(member) {
            return Err(CommunityError::AlreadyMember {
                member,
                body: body.clone(),
            });
        }
        Ok(())
    }

    /// Removes `member` from `body`.
    ///
    /// # Errors
    ///
    /// [`CommunityError::UnknownBody`], or [`CommunityError::NotAMember`] if the member is
    /// not in the body.
    pub fn leave(&mut self, body: &BodyId, member: MemberId) -> Result<(), CommunityError> {
        let entry = self
            .bodies
            .get_mut(body)
            .ok_or_else(|| CommunityError::UnknownBody { body: body.clone() })?;
        if !entry.members.remove(&member) {
            return Err(CommunityError::NotAMember {
                member,
                body: body.clone(),
            });
        }
        Ok(())
    }

    /// Records whether `member` brings lived experience, as they declare it.
    ///
    /// # Errors
    ///
    /// [`CommunityError::UnknownMember`] if there is no such member.
    pub fn set_lived_experience(
        &mut self,
        member: MemberId,
        declared: bool,
    ) -> Result<(), CommunityError> {
        self.member_mut(member)?.lived_experience = declared;
        Ok(())
    }

    /// Names `member` in publications as they asked.
    ///
    /// # Errors
    ///
    /// [`CommunityError::UnknownMember`] if there is no such member.
    pub fn set_naming(&mut self, member: MemberId, named: Naming) -> Result<(), CommunityError> {
        self.member_mut(member)?.named = named;
        Ok(())
    }

    /// Gives `member` these roles, in place of their earlier ones.
    ///
    /// # Errors
    ///
    /// [`CommunityError::UnknownMember`] if there is no such member.
    pub fn set_roles(
        &mut self,
        member: MemberId,
        roles: BTreeSet<Role>,
    ) -> Result<(), CommunityError> {
        self.member_mut(member)?.roles = roles;
        Ok(())
    }

    fn member_mut(&mut self, member: MemberId) -> Result<&mut Member, CommunityError> {
        self.members
            .get_mut(&member)
            .ok_or(CommunityError::UnknownMember { member, body: None })
    }

    /// Dissolves `body`; its members stay in the community.
    ///
    /// # Errors
    ///
    /// [`CommunityError::UnknownBody`] if there is no such body.
    pub fn remove_body(&mut self, body: &BodyId) -> Result<Body, CommunityError> {
        self.bodies
            .remove(body)
            .ok_or_else(|| CommunityError::UnknownBody { body: body.clone() })
    }

    /// The member with this id.
    pub fn member(&self, id: MemberId) -> Option<&Member> {
        self.members.get(&id)
    }

    /// The body with this id.
    pub fn body(&self, id: &BodyId) -> Option<&Body> {
        self.bodies.get(id)
    }

    /// Every member, by id.
    pub fn members(&self) -> impl ExactSizeIterator<Item = &Member> + '_ {
        self.members.values()
    }

    /// Every body, by id.
    pub fn bodies(&self) -> impl ExactSizeIterator<Item = &Body> + '_ {
        self.bodies.values()
    }

    /// The members of `body`, by id.
    ///
    /// # Errors
    ///
    /// [`CommunityError::UnknownBody`].
    pub fn members_of(
        &self,
        body: &BodyId,
    ) -> Result<impl ExactSizeIterator<Item = &Member> + '_, CommunityError> {
        let entry = self
            .bodies
            .get(body)
            .ok_or_else(|| CommunityError::UnknownBody { body: body.clone() })?;
        Ok(BodyMembers {
            ids: entry.members.iter(),
            // A body of a sixteenth of the community or more is read in one pass beside
            // the community's members, both in id order; a smaller one by lookups.
            walk: (entry.members.len() >= self.members.len() / 16).then(|| self.members.iter()),
            members: &self.members,
        })
    }

    /// The make-up of `body`: size, members with lived experience, counts by role.
    ///
    /// # Errors
    ///
    /// [`CommunityError::UnknownBody`].
    pub fn figures(&self, body: &BodyId) -> Result<BodyFigures, CommunityError> {
        let mut by_role = [0usize; Role::ALL.len()];
        let mut size = 0;
        let mut lived_experience = 0;
        for member in self.members_of(body)? {
            size += 1;
            lived_experience += usize::from(member.lived_experience);
            for role in &member.roles {
                if let Some(count) = by_role.get_mut(role.position()) {
                    *count += 1;
                }
            }
        }
        let roles = Role::ALL.into_iter().zip(by_role).collect();
        Ok(BodyFigures {
            body: body.clone(),
            size,
            lived_experience,
            roles,
        })
    }
}

/// The members of one body, in id order: what [`Community::members_of`] returns.
struct BodyMembers<'a> {
    ids: std::collections::btree_set::Iter<'a, MemberId>,
    walk: Option<std::collections::btree_map::Iter<'a, MemberId, Member>>,
    members: &'a BTreeMap<MemberId, Member>,
}

impl<'a> Iterator for BodyMembers<'a> {
    type Item = &'a Member;

    fn next(&mut self) -> Option<&'a Member> {
        let id = self.ids.next()?;
        match &mut self.walk {
            // Body members are always community members (checked on every change), so
            // the walk finds each; were one missing, the walk would end, not panic.
            Some(walk) => walk.find(|(key, _)| *key == id).map(|(_, member)| member),
            None => self.members.get(id),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ids.size_hint()
    }
}

impl ExactSizeIterator for BodyMembers<'_> {}

/// Ids and communities the crate's unit tests build on.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// The body id `slug`, which the test knows is valid.
    pub(crate) fn body(slug: &str) -> BodyId {
        BodyId::new(slug).unwrap()
    }

    /// A community of member 1, sitting on a body named for each of `slugs`.
    pub(crate) fn one_member_on(slugs: &[&str]) -> Community {
        let mut c = Community::new();
        c.add_member(Member::new(MemberId::new(1), "Staff member 1"))
            .unwrap();
        for slug in slugs {
            c.add_body(
                Body::new(body(slug), *slug, BodyKind::Custom).with_members([MemberId::new(1)]),
            )
            .unwrap();
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::body;
    use super::*;

    #[test]
    fn member_ids_read_from_numbers_and_digit_strings() {
        assert_eq!(
            serde_json::from_str::<MemberId>("4").unwrap(),
            MemberId::new(4)
        );
        assert_eq!(
            serde_json::from_str::<MemberId>(r#""4""#).unwrap(),
            MemberId::new(4)
        );
        for bad in [
            r#""m4""#,
            r#""+4""#,
            r#""""#,
            "-1",
            "1.5",
            r#""99999999999999999999""#,
        ] {
            assert!(serde_json::from_str::<MemberId>(bad).is_err(), "{bad}");
        }
        let map: BTreeMap<MemberId, u8> = serde_json::from_str(r#"{"4": 1}"#).unwrap();
        assert_eq!(map[&MemberId::new(4)], 1);
    }

    #[test]
    fn body_id_rules() {
        assert!(BodyId::new("allies_group").is_ok());
        assert!(BodyId::new("team-2").is_ok());
        for (bad, reason) in [
            ("", "it is empty"),
            ("2team", "it does not start with a lowercase letter"),
            ("Allies", "it does not start with a lowercase letter"),
            (
                "allies group",
                "it has a character other than a-z, 0-9, `_` and `-`",
            ),
        ] {
            assert_eq!(
                BodyId::new(bad),
                Err(CommunityError::InvalidBodyId {
                    id: bad.to_owned(),
                    reason
                })
            );
        }
        assert!(BodyId::new("a".repeat(65)).is_err());
        assert!(BodyId::new("a".repeat(64)).is_ok());
    }

    #[test]
    fn figures_count_every_role_even_when_zero() {
        let mut c = Community::new();
        c.add_member(Member::new(MemberId::new(1), "one").with_role(Role::Staff))
            .unwrap();
        c.add_body(Body::new(body("t"), "T", BodyKind::StaffTeam).with_members([MemberId::new(1)]))
            .unwrap();
        let f = c.figures(&body("t")).unwrap();
        assert_eq!(f.roles.len(), Role::ALL.len());
        assert_eq!(f.roles[&Role::Staff], 1);
        assert_eq!(f.roles[&Role::Ally], 0);
    }

    #[test]
    fn role_positions_follow_all() {
        for (i, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(role.position(), i, "{role:?}");
        }
    }

    #[test]
    fn members_of_small_and_large_bodies_read_the_same_members() {
        let mut c = Community::new();
        for n in 0..64 {
            c.add_member(Member::new(MemberId::new(n), format!("member {n}")))
                .unwrap();
        }
        // Two members of 64 are read by lookup; 40 by the walk beside the community.
        let small = [7, 50];
        let large: Vec<u64> = (0..64).filter(|n| n % 8 != 3).take(40).collect();
        for (slug, ids) in [("small", small.to_vec()), ("large", large)] {
            c.add_body(
                Body::new(body(slug), slug, BodyKind::ProjectTeam)
                    .with_members(ids.iter().copied().map(MemberId::new)),
            )
            .unwrap();
            let read = c.members_of(&body(slug)).unwrap();
            assert_eq!(read.len(), ids.len());
            let read: Vec<MemberId> = read.map(|m| m.id).collect();
            assert_eq!(read, ids.into_iter().map(MemberId::new).collect::<Vec<_>>());
        }
    }

    #[test]
    fn share_display_and_comparison() {
        assert_eq!(Share::new(3, 8).to_string(), "3 of 8 (38%)");
        assert_eq!(Share::new(0, 0).to_string(), "0 of 0");
        assert!(!Share::new(0, 0).at_least(1, 2));
        assert!(Share::new(1, 2).at_least(1, 2));
        assert!(!Share::new(1, 2).at_least(1, 0));
        assert!(Share::new(usize::MAX, usize::MAX).at_least(u32::MAX, u32::MAX));
    }

    #[test]
    fn a_share_in_percent_rounds_as_float_formatting_does() {
        for whole in 1..=400usize {
            for part in 0..=whole {
                let share = Share::new(part, whole);
                let float = format!("{:.0}", part as f64 / whole as f64 * 100.0);
                assert_eq!(
                    share.percent().map(|p| p.to_string()),
                    Some(float),
                    "{part}/{whole}"
                );
            }
        }
        assert_eq!(Share::new(0, 0).percent(), None);
        assert_eq!(Share::new(1, 8).to_string(), "1 of 8 (12%)");
    }
}
