//! The state of a funding decision: everything its events have established.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, MemberId};
use crate::governance::Route;
use crate::values::RouteSummary;

use super::FundingPhase;
use super::command::{FundingOutcome, RoundProposes};
use super::config::{Check, FundingPolicy};
use super::event::{AdviceId, RegisterListing, Requirement};
use super::stage::{Consulting, Decided, Diligence, FundingStage, Monitored, Tiered};
use super::tier::{Offer, RedLineHit, Triage};

/// A completed due-diligence check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompletedCheck {
    /// The named member who did it.
    pub by: MemberId,
    /// The evidence.
    pub evidence: String,
    /// When.
    pub at: Timestamp,
}

/// A member's declaration of interests.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// The interest, if any.
    pub interest: Option<String>,
    /// Whether the member stepped out.
    pub recused: bool,
    /// When.
    pub at: Timestamp,
}

/// A piece of advice and its answer.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    /// Its number.
    pub id: AdviceId,
    /// The body it came from.
    pub body: BodyId,
    /// Who gave it.
    pub from: MemberId,
    /// The advice.
    pub text: String,
    /// When.
    pub at: Timestamp,
    /// The answer, once given.
    pub answer: Option<String>,
}

/// A comment window and its comments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentWindow {
    /// When it opened.
    pub opened_at: Timestamp,
    /// When it closes.
    pub closes_at: Timestamp,
    /// The comments, with who made them.
    pub comments: Vec<(MemberId, String)>,
}

/// A consent round recorded for the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundReference {
    /// Its record.
    pub reference: String,
    /// Whether it consented to its proposal.
    pub consented: bool,
    /// What it proposed for the offer, where it said: the decision takes what it reached
    /// on that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposes: Option<RoundProposes>,
}

/// The decision taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionTaken {
    /// The conclusion.
    pub outcome: FundingOutcome,
    /// The route taken.
    pub route_taken: RouteSummary,
    /// Who took part.
    pub deciders: Vec<MemberId>,
    /// Why.
    pub rationale: String,
    /// When.
    pub at: Timestamp,
}

/// An identified offer and everything decided about it: what holds from identification
/// on, and the [`FundingStage`] that owns the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct FundingDecision {
    pub(super) offer: Offer,
    pub(super) policy: FundingPolicy,
    pub(super) identified_at: Timestamp,
    pub(super) last_at: Timestamp,
    pub(super) stage: FundingStage,
}

/// The state of one funding decision: nothing yet, or an identified offer.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum FundingState {
    /// No event yet.
    #[default]
    NotIdentified,
    /// Identified (possibly decided and ended).
    Identified(Box<FundingDecision>),
}

impl FundingState {
    /// The phase.
    pub fn phase(&self) -> FundingPhase {
        match self {
            FundingState::NotIdentified => FundingPhase::NotIdentified,
            FundingState::Identified(d) => d.phase(),
        }
    }

    /// The decision, once the offer is identified.
    pub fn decision(&self) -> Option<&FundingDecision> {
        match self {
            FundingState::NotIdentified => None,
            FundingState::Identified(d) => Some(d),
        }
    }
}

/// Read before due diligence starts: nothing checked, nobody declared.
static NO_CHECKS: BTreeMap<Check, CompletedCheck> = BTreeMap::new();
static NO_DECLARATIONS: BTreeMap<MemberId, Declaration> = BTreeMap::new();
/// Read before consultation starts: no window opened.
static NO_WINDOWS: BTreeMap<BodyId, CommentWindow> = BTreeMap::new();

impl FundingDecision {
    /// The offer.
    pub fn offer(&self) -> &Offer {
        &self.offer
    }

    /// The policy fixed when the offer was identified.
    pub fn policy(&self) -> &FundingPolicy {
        &self.policy
    }

    /// Where the offer stands, with the data its phase owns.
    pub fn stage(&self) -> &FundingStage {
        &self.stage
    }

    /// The phase, derived from the stage.
    pub fn phase(&self) -> FundingPhase {
        self.stage.phase()
    }

    /// When the offer was identified.
    pub fn identified_at(&self) -> Timestamp {
        self.identified_at
    }

    /// When the last event happened.
    pub fn last_at(&self) -> Timestamp {
        self.last_at
    }

    /// The red lines crossed, once screened (empty when the screen passed).
    pub fn screen(&self) -> Option<&[RedLineHit]> {
        match &self.stage {
            FundingStage::DeclinedAtScreening(out) => Some(out.hits()),
            stage => stage.tiered().map(|_| &[][..]),
        }
    }

    /// Whether the screen found a red line.
    pub fn red_line_hit(&self) -> bool {
        self.screen().is_some_and(|hits| !hits.is_empty())
    }

    /// The tier and its reasons, once triaged.
    pub fn triage(&self) -> Option<&Triage> {
        self.stage.tiered().map(Tiered::triage)
    }

    /// The governance route recorded at screening.
    pub fn route(&self) -> Option<&Route> {
        match &self.stage {
            FundingStage::DeclinedAtScreening(out) => Some(out.route()),
            stage => stage.tiered().map(Tiered::route),
        }
    }

    /// The checks the tier requires, once due diligence started.
    pub fn required_checks(&self) -> &[Check] {
        self.stage
            .diligence()
            .map_or(&[], Diligence::required_checks)
    }

    /// The completed checks.
    pub fn checks(&self) -> &BTreeMap<Check, CompletedCheck> {
        self.stage.diligence().map_or(&NO_CHECKS, Diligence::checks)
    }

    /// The required checks not yet completed.
    pub fn missing_checks(&self) -> Vec<Check> {
        self.stage
            .diligence()
            .map(Diligence::missing_checks)
            .unwrap_or_default()
    }

    /// Declarations of interest, by member.
    pub fn declarations(&self) -> &BTreeMap<MemberId, Declaration> {
        self.stage
            .diligence()
            .map_or(&NO_DECLARATIONS, Diligence::declarations)
    }

    /// What the route asks for before deciding, once consultation started.
    pub fn requirements(&self) -> &[Requirement] {
        self.stage
            .consulting()
            .map_or(&[], Consulting::requirements)
    }

    /// The requirements not met as of `now`.
    pub fn unmet_requirements(&self, now: Timestamp) -> Vec<Requirement> {
        self.stage
            .consulting()
            .map(|c| c.unmet_requirements(now))
            .unwrap_or_default()
    }

    /// Advice recorded, in order.
    pub fn advice(&self) -> &[Advice] {
        self.stage.consulting().map_or(&[], Consulting::advice)
    }

    /// Comment windows, by body.
    pub fn comment_windows(&self) -> &BTreeMap<BodyId, CommentWindow> {
        self.stage
            .consulting()
            .map_or(&NO_WINDOWS, Consulting::comment_windows)
    }

    /// Co-creation sessions recorded: the body and the reference.
    pub fn sessions(&self) -> &[(BodyId, String)] {
        self.stage.consulting().map_or(&[], Consulting::sessions)
    }

    /// The consent round recorded last, if any: the one whose result the decision holds.
    pub fn consent_round(&self) -> Option<&RoundReference> {
        self.stage.consulting()?.consent_round()
    }

    /// Every consent round recorded, in order: each that said what it proposed binds the
    /// decision.
    pub fn consent_rounds(&self) -> &[RoundReference] {
        self.stage
            .consulting()
            .map_or(&[], Consulting::consent_rounds)
    }

    /// The decision, once taken.
    pub fn decided(&self) -> Option<&DecisionTaken> {
        self.stage.decided().map(Decided::taken)
    }

    /// The public register entry, once published (at once for an automatic decline).
    pub fn listing(&self) -> Option<&RegisterListing> {
        self.published().map(|(listing, _)| listing)
    }

    /// When the register entry was published.
    pub fn published_at(&self) -> Option<Timestamp> {
        self.published().map(|(_, at)| at)
    }

    /// The register entry and when it was published: an automatic decline's at once, an
    /// accepted decision's once published.
    pub(super) fn published(&self) -> Option<(&RegisterListing, Timestamp)> {
        match &self.stage {
            FundingStage::DeclinedAtScreening(out) => Some((out.listing(), out.published_at())),
            stage => stage
                .listed()
                .map(|listed| (listed.listing(), listed.published_at())),
        }
    }

    /// The review date, once monitoring started.
    pub fn review_date(&self) -> Option<Timestamp> {
        self.stage.monitored().map(Monitored::review_date)
    }

    /// Why and when the decision ended (withdrawn, reviewed), if it has.
    pub fn ending(&self) -> Option<(&str, Timestamp)> {
        match &self.stage {
            FundingStage::Withdrawn(w) => Some((w.reason(), w.at())),
            FundingStage::Reviewed(r) => Some((r.rationale(), r.at())),
            _ => None,
        }
    }
}
