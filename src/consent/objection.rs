//! Objections, concerns and amendments: the parts of a round that must all end with a
//! disposition.
//!
//! An objection is raised in an objection round. In integration the facilitator tests it,
//! recording which validity criteria the objector asserted and the reasoning; the library
//! never judges validity itself. A valid objection is integrated through an amendment and is
//! resolved only when both the objector and the proposer confirm. One found not valid is kept
//! as a concern, never dropped. An objection may also be withdrawn by its objector or
//! abandoned (recorded by the facilitator with a reason).

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::MemberId;

crate::cocreation::ids::numeric_id!(
    /// An objection within a round, numbered from 1 in the order raised.
    ObjectionId(pub u32),
    "objection "
);
crate::cocreation::ids::numeric_id!(
    /// A concern within a round, numbered from 1 in the order logged.
    ConcernId(pub u32),
    "concern "
);
crate::cocreation::ids::numeric_id!(
    /// An amendment within a round, numbered from 1.
    AmendmentId(pub u32),
    "amendment "
);

/// Holacracy's tests of an objection's logic. The facilitator records which ones the objector
/// asserted; an objection that asserts none is usually found not valid, but that finding is
/// the facilitator's, not the library's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValidityCriterion {
    /// The proposal would reduce the group's current capacity, not merely miss a better idea.
    ReducesCapacity,
    /// The harm would not exist without the proposal.
    CausedByProposal,
    /// The harm is certain, or could not safely be put right later.
    CertainOrIrreversible,
    /// It limits the objector's own role.
    LimitsObjectorsRole,
    /// The proposal breaks the group's constitution or agreed rules (always valid).
    BreaksConstitution,
}

/// The facilitator's record of testing an objection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectionTest {
    /// The criteria the objector asserted.
    pub criteria: BTreeSet<ValidityCriterion>,
    /// The reasoning heard.
    pub reasoning: String,
    /// The facilitator's finding.
    pub valid: bool,
    /// Who tested it.
    pub tested_by: MemberId,
    /// When.
    pub at: Timestamp,
}

/// Where an objection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ObjectionStatus {
    /// Raised, not yet tested.
    Raised,
    /// Tested and found valid; being integrated.
    Valid,
    /// Integrated: the objector and the proposer both confirmed the amendment answers it.
    Resolved,
    /// Tested and found not valid: kept as a concern.
    KeptAsConcern,
    /// Withdrawn by the objector.
    Withdrawn,
    /// Abandoned, with the facilitator's reason.
    Abandoned,
}

impl ObjectionStatus {
    /// Whether the objection still needs handling before the next round: raised or valid.
    pub fn is_open(self) -> bool {
        matches!(self, ObjectionStatus::Raised | ObjectionStatus::Valid)
    }

    /// The stable name of the status.
    pub fn label(self) -> &'static str {
        self.into()
    }
}

/// One objection and its whole history.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objection {
    /// Its id.
    pub id: ObjectionId,
    /// Who raised it.
    pub objector: MemberId,
    /// Their reason.
    pub reason: String,
    /// The objection round it was raised in.
    pub round: u32,
    /// Where it stands.
    pub status: ObjectionStatus,
    /// The facilitator's test, once recorded.
    pub test: Option<ObjectionTest>,
    /// Amendments that answer it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amendments: Vec<AmendmentId>,
    /// The objector confirmed an amendment answers it.
    #[serde(default)]
    pub objector_confirmed: bool,
    /// The proposer confirmed the amended proposal still meets its original need.
    #[serde(default)]
    pub proposer_confirmed: bool,
    /// Why it was abandoned, if it was.
    pub abandoned_because: Option<String>,
}

/// Where a concern came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ConcernSource {
    /// A consent with a concern in an objection round.
    Response {
        /// The round.
        round: u32,
    },
    /// An objection tested and found not valid.
    Objection {
        /// The objection.
        objection: ObjectionId,
    },
}

/// A concern: recorded with the outcome, never dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concern {
    /// Its id.
    pub id: ConcernId,
    /// Whose concern it is.
    pub by: MemberId,
    /// The concern.
    pub text: String,
    /// Where it came from.
    pub source: ConcernSource,
    /// Amendments that answer it, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amendments: Vec<AmendmentId>,
}

/// What an amendment answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Answers {
    /// An objection.
    Objection {
        /// Which.
        id: ObjectionId,
    },
    /// A concern.
    Concern {
        /// Which.
        id: ConcernId,
    },
}

/// A change the proposer made to the proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    /// Its id.
    pub id: AmendmentId,
    /// The change, in words.
    pub text: String,
    /// The objections and concerns it answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answers>,
    /// When it was made.
    pub at: Timestamp,
}

/// How an objection or concern ended: every one has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Fate {
    /// A valid objection integrated through an amendment, confirmed by objector and proposer.
    Integrated,
    /// Logged as a concern (a concern, or an objection tested and found not valid).
    LoggedAsConcern,
    /// Withdrawn by the objector.
    Withdrawn,
    /// Abandoned, with a reason.
    Abandoned,
    /// Still open when the round ended by an exit (withdrawn, deferred, escalated, broken
    /// down): carried, unresolved, to wherever the decision goes next.
    Unresolved,
}

impl Objection {
    /// The objection's disposition. An objection still open has the disposition
    /// [`Fate::Unresolved`].
    pub fn disposition(&self) -> Fate {
        match self.status {
            ObjectionStatus::Resolved => Fate::Integrated,
            ObjectionStatus::KeptAsConcern => Fate::LoggedAsConcern,
            ObjectionStatus::Withdrawn => Fate::Withdrawn,
            ObjectionStatus::Abandoned => Fate::Abandoned,
            ObjectionStatus::Raised | ObjectionStatus::Valid => Fate::Unresolved,
        }
    }
}
