//! The commands a funding decision takes, and what deciding can conclude.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, MemberId};
use crate::values::{FundingCondition, SetAside};

use super::config::{Check, FundingPolicy};
use super::event::AdviceId;
use super::tier::Offer;

/// What the deciders concluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum FundingOutcome {
    /// Accept the offer as made.
    Accept {},
    /// Accept with conditions of the community's own (a right to publish, a review).
    AcceptWithConditions {
        /// The community's own conditions; at least one.
        conditions: Vec<FundingCondition>,
        /// The offer's conditions the community does not accept, each named by its words
        /// and with why; every other condition of the offer stands.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        set_aside: Vec<SetAside>,
    },
    /// Decline.
    Decline {},
    /// Defer the decision.
    Defer {},
    /// Escalate it to another body (an institution's committee).
    Escalate {
        /// The body.
        to: BodyId,
    },
}

impl FundingOutcome {
    /// The stable name of the outcome.
    pub fn label(&self) -> &'static str {
        match self {
            FundingOutcome::Accept {} => "accepted",
            FundingOutcome::AcceptWithConditions { .. } => "accepted_with_conditions",
            FundingOutcome::Decline {} => "declined",
            FundingOutcome::Defer {} => "deferred",
            FundingOutcome::Escalate { .. } => "escalated",
        }
    }

    /// Whether the offer is accepted (with or without conditions).
    pub fn accepts(&self) -> bool {
        matches!(
            self,
            FundingOutcome::Accept {} | FundingOutcome::AcceptWithConditions { .. }
        )
    }
}

/// What a round held for a funding or partnership decision proposes for the offer: to
/// accept it (with or without conditions of the community's own) or to decline it. Named
/// when the round opens ([`Request::proposes`](crate::engine::Request::proposes)), it says
/// what the round's consent was given to, so the offer's decision takes what the round
/// reached: accepted where it consented to accept, declined where it consented to decline.
///
/// The rounds recorded for the offer that said what they proposed bind its decision: the
/// round that consented decides it; until one did, a round that did not consent to an
/// outcome bars it, whatever rounds came after
/// ([`FundingError::AgainstRound`](super::FundingError::AgainstRound)).
///
/// JSON: `"accept"` or `"decline"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundProposes {
    /// To accept the offer, with or without conditions.
    Accept,
    /// To decline it.
    Decline,
}

impl RoundProposes {
    /// Which way `outcome` decides the offer: `None` for one that leaves it undecided
    /// (deferred, escalated).
    pub fn of(outcome: &FundingOutcome) -> Option<Self> {
        match outcome {
            FundingOutcome::Accept {} | FundingOutcome::AcceptWithConditions { .. } => {
                Some(RoundProposes::Accept)
            }
            FundingOutcome::Decline {} => Some(RoundProposes::Decline),
            FundingOutcome::Defer {} | FundingOutcome::Escalate { .. } => None,
        }
    }

    /// The verb: "accept" or "decline".
    pub fn label(self) -> &'static str {
        match self {
            RoundProposes::Accept => "accept",
            RoundProposes::Decline => "decline",
        }
    }
}

/// What a caller asks of a funding decision. The acting member and the time come with the
/// [`Context`](crate::machine::Context).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum FundingCommand {
    /// Identify an offer, under the policy in force.
    Identify {
        /// The offer.
        offer: Box<Offer>,
        /// The policy, fixed for this decision. In an engine whose community keeps a
        /// funding policy in its journal, leave it out: the engine takes the policy in
        /// force, and refuses a stated one that differs from it. The bare machine needs it.
        policy: Option<Box<FundingPolicy>>,
    },
    /// Start the red-line screen.
    StartScreening {},
    /// Screen the offer and triage it, on the route governance gives for
    /// [`route_facts`](super::route_facts) of the offer, which comes with the
    /// [`Context`](crate::machine::Context): a red line must route to an automatic decline,
    /// and otherwise the route's tier must be the offer's tier.
    Screen {},
    /// Start due diligence: the tier's checklist is fixed.
    StartDueDiligence {},
    /// Complete a check, with the evidence (the actor is the named member who did it).
    CompleteCheck {
        /// The check.
        check: Check,
        /// What was looked at, and found.
        evidence: String,
    },
    /// Declare one's interests in this offer (the actor declares for themselves).
    DeclareInterest {
        /// The interest, if any; `None` declares none.
        interest: Option<String>,
        /// Whether the member steps out of the decision.
        #[serde(default)]
        recused: bool,
    },
    /// Start consultation along the route.
    StartConsultation {},
    /// Record advice from a body the route consults.
    RecordAdvice {
        /// The body.
        body: BodyId,
        /// The member who gave it.
        from: MemberId,
        /// The advice (an Allies Group review gives one point per piece of advice).
        advice: String,
    },
    /// Answer a piece of advice.
    AnswerAdvice {
        /// The advice.
        advice: AdviceId,
        /// The answer.
        answer: String,
    },
    /// Open a comment window for a body (it runs the policy's number of days).
    OpenCommentWindow {
        /// The body whose members comment.
        body: BodyId,
    },
    /// Comment in an open window (the actor comments).
    Comment {
        /// The body's window.
        body: BodyId,
        /// The comment.
        text: String,
    },
    /// Record a co-creation session held with a body.
    RecordSession {
        /// The body.
        body: BodyId,
        /// Where its record is (a session id, a link).
        reference: String,
    },
    /// Record the consent round held in the deciding body.
    RecordConsentRound {
        /// Where its record is (the round's stream id).
        reference: String,
        /// Whether it consented to its proposal.
        consented: bool,
        /// What it proposed for the offer, where it said: the decision then takes what it
        /// reached on that, both ways (see [`RoundProposes`]). Absent, its consent counts
        /// only as the consent accepting needs.
        proposes: Option<RoundProposes>,
    },
    /// Move to deciding: every required check complete, every consultation requirement met.
    StartDeciding {},
    /// Decide, along the route recorded at screening.
    Decide {
        /// The conclusion.
        outcome: FundingOutcome,
        /// The members who took part in deciding.
        deciders: Vec<MemberId>,
        /// Why.
        rationale: String,
    },
    /// Publish the register entry of an accepted offer.
    Publish {
        /// A legal reason for withholding a field, if any.
        withheld_reason: Option<String>,
    },
    /// Monitor the conditions until the review date.
    StartMonitoring {
        /// When the arrangement is reviewed; after now.
        review_date: Timestamp,
    },
    /// Start the review.
    StartReview {
        /// Why now (the review date came, or a condition was breached).
        reason: String,
    },
    /// Conclude the review.
    Review {
        /// Renew, or end.
        renew: bool,
        /// Why.
        rationale: String,
    },
    /// Withdraw the offer before a decision.
    Withdraw {
        /// Why.
        reason: String,
    },
}

impl FundingCommand {
    /// The stable name of the command, used in errors.
    pub fn label(&self) -> &'static str {
        self.into()
    }
}
