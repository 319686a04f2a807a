//! The commands a proposal takes.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::cocreation::{ItemId, ThemeId};
use crate::evaluation::{EvaluationPlan, Gathered};
use crate::journal::StreamId;

use super::config::{Answer, ProposalConfig};
use super::event::DecisionResult;

/// What a caller asks of a proposal. The acting member and the time come with the
/// [`Context`](crate::machine::Context).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
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
    /// Under review, the round is the review's reassessment: the round, opened `decides_for`
    /// the proposal, decides whether the agreement continues.
    StartDecision {
        /// The round's stream.
        round: StreamId,
    },
    /// Record what the running round decided (steward; in decision, or under review for its
    /// reassessment round). A first decision's round withdrawn withdraws the proposal, so
    /// a proposer records that, not the steward alone. Adoption is the
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
    /// Schedule a pilot to start at `starts` and run for `lasts` (steward; published): its
    /// review falls due `lasts` after the pilot's start, not after the decision. The engine's
    /// [`tick`](crate::engine::Engine::tick) starts it on the day.
    SchedulePilot {
        /// When the pilot starts; after now.
        starts: Timestamp,
        /// How long it runs, from its start; positive. JSON: an ISO 8601 duration in hours
        /// or smaller units (`"PT4344H"`).
        lasts: SignedDuration,
    },
    /// Open the review once the review date has come (steward; implementing or pilot).
    OpenReview {},
    /// Object to the standing agreement, which opens a review now (a member or a proposer;
    /// implementing or pilot).
    ObjectToStanding {
        /// Why; required.
        reason: String,
    },
    /// Continue the agreement until a new review date (steward; under review, when no
    /// reassessment round runs; a pilot's review is decided by its reassessment round).
    Continue {
        /// The next review date; after now.
        review_date: Timestamp,
    },
    /// Retire the agreement (steward; under review, as for `Continue`).
    Retire {
        /// Why; required.
        reason: String,
    },
    /// Withdraw the proposal (a proposer; before it is decided).
    Withdraw {
        /// Why; required.
        reason: String,
    },
    /// Record the benefits and impact evaluation agreed for the pilot: its questions and
    /// criteria, and the body that agreed them (steward; published, pilot scheduled or
    /// pilot; once). See [`evaluation`](crate::evaluation).
    AgreeEvaluation {
        /// The plan agreed.
        plan: EvaluationPlan,
    },
    /// Record evidence gathered for the evaluation: figures and people's words, each with
    /// its source and date (the steward, a proposer or a member the agreement applies to;
    /// pilot or under review, once an evaluation is agreed).
    GatherEvidence {
        /// What was gathered, 1 to [`MAX_GATHERED`](crate::evaluation::MAX_GATHERED), and
        /// at most [`MAX_EVIDENCE`](crate::evaluation::MAX_EVIDENCE) in the evaluation.
        evidence: Vec<Gathered>,
    },
}

impl ProposalCommand {
    /// The stable name of the command, used in errors.
    pub fn label(&self) -> &'static str {
        self.into()
    }
}
