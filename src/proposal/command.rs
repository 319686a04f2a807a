//! The commands a proposal takes.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::cocreation::{ItemId, ThemeId};
use crate::journal::StreamId;

use super::config::{Answer, ProposalConfig};
use super::event::DecisionResult;

/// What a caller asks of a proposal. The acting member and the time come with the
/// [`Context`](crate::machine::Context).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ProposalCommand {
    /// Create the proposal as a draft, version 1 (a proposer or the steward).
    Create {
        /// The set-up.
        config: Box<ProposalConfig>,
    },
    /// Share the draft for co-creation (steward; draft).
    StartCoCreation {},
    /// Link the feedback gathered and the themes it fell into (steward or a proposer;
    /// co-creating).
    LinkFeedback {
        /// Feedback items.
        #[serde(default)]
        items: Vec<ItemId>,
        /// Themes.
        #[serde(default)]
        themes: Vec<ThemeId>,
    },
    /// Write a new version (a proposer; draft or co-creating, or under review, where the
    /// amendment sends the proposal back to co-creation).
    Amend {
        /// The full text of the new version.
        text: String,
        /// What it answers.
        #[serde(default)]
        answers: Vec<Answer>,
    },
    /// The proposal is ready, on the route governance gives, which comes with the
    /// [`Context`](crate::machine::Context) (steward; co-creating, once feedback is linked).
    MarkReady {},
    /// A deciding round started (steward; ready, or in decision when no round is running).
    StartDecision {
        /// The round's stream.
        round: StreamId,
    },
    /// Record what the running round decided (steward; in decision). Adoption is the
    /// decided transition: an engine runs the value gate before it, and the typed façade
    /// takes the gate's proof.
    RecordDecision {
        /// The round.
        round: StreamId,
        /// What it decided.
        result: DecisionResult,
    },
    /// Publish the decision record (steward; adopted).
    Publish {
        /// Why it was decided; required.
        rationale: String,
        /// The alternatives considered.
        #[serde(default)]
        alternatives: Vec<String>,
    },
    /// Put the agreement in force until its review date (steward; published).
    StartImplementing {},
    /// Pilot the agreement until `ends`, when it is reviewed (steward; published).
    StartPilot {
        /// When the pilot ends; after now.
        ends: Timestamp,
    },
    /// Open the review once the review date has come (steward; implementing or pilot).
    OpenReview {},
    /// Object to the standing agreement, which opens a review now (a member or a proposer;
    /// implementing or pilot).
    ObjectToStanding {
        /// Why; required.
        reason: String,
    },
    /// Continue the agreement until a new review date (steward; under review).
    Continue {
        /// The next review date; after now.
        review_date: Timestamp,
    },
    /// Retire the agreement (steward; under review).
    Retire {
        /// Why; required.
        reason: String,
    },
    /// Withdraw the proposal (a proposer; before it is decided).
    Withdraw {
        /// Why; required.
        reason: String,
    },
}

impl ProposalCommand {
    /// The stable name of the command, used in errors.
    pub fn label(&self) -> &'static str {
        match self {
            ProposalCommand::Create { .. } => "create",
            ProposalCommand::StartCoCreation {} => "start_co_creation",
            ProposalCommand::LinkFeedback { .. } => "link_feedback",
            ProposalCommand::Amend { .. } => "amend",
            ProposalCommand::MarkReady {} => "mark_ready",
            ProposalCommand::StartDecision { .. } => "start_decision",
            ProposalCommand::RecordDecision { .. } => "record_decision",
            ProposalCommand::Publish { .. } => "publish",
            ProposalCommand::StartImplementing {} => "start_implementing",
            ProposalCommand::StartPilot { .. } => "start_pilot",
            ProposalCommand::OpenReview {} => "open_review",
            ProposalCommand::ObjectToStanding { .. } => "object_to_standing",
            ProposalCommand::Continue { .. } => "continue",
            ProposalCommand::Retire { .. } => "retire",
            ProposalCommand::Withdraw { .. } => "withdraw",
        }
    }
}
