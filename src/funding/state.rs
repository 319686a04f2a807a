//! The state of a funding decision: everything its events have established.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, MemberId};
use crate::governance::Route;
use crate::values::RouteSummary;

use super::command::FundingOutcome;
use super::config::{Check, FundingPolicy};
use super::event::{AdviceId, RegisterListing, Requirement};
use super::phase::FundingPhase;
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    /// The interest, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest: Option<String>,
    /// Whether the member stepped out.
    pub recused: bool,
    /// When.
    pub at: Timestamp,
}

/// A piece of advice and its answer.
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// The consent round recorded for the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundReference {
    /// Its record.
    pub reference: String,
    /// Whether it consented.
    pub consented: bool,
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

/// An identified offer and everything decided about it.
#[derive(Debug, Clone, PartialEq)]
pub struct FundingDecision {
    pub(super) offer: Offer,
    pub(super) policy: FundingPolicy,
    pub(super) phase: FundingPhase,
    pub(super) identified_at: Timestamp,
    pub(super) last_at: Timestamp,
    pub(super) screen: Option<Vec<RedLineHit>>,
    pub(super) triage: Option<Triage>,
    pub(super) route: Option<Route>,
    pub(super) required: Vec<Check>,
    pub(super) checks: BTreeMap<Check, CompletedCheck>,
    pub(super) declarations: BTreeMap<MemberId, Declaration>,
    pub(super) requirements: Vec<Requirement>,
    pub(super) advice: Vec<Advice>,
    pub(super) windows: BTreeMap<BodyId, CommentWindow>,
    pub(super) sessions: Vec<(BodyId, String)>,
    pub(super) consent_round: Option<RoundReference>,
    pub(super) decision: Option<DecisionTaken>,
    pub(super) listing: Option<RegisterListing>,
    pub(super) published_at: Option<Timestamp>,
    pub(super) review_date: Option<Timestamp>,
    pub(super) ending: Option<(String, Timestamp)>,
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
            FundingState::Identified(d) => d.phase,
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

impl FundingDecision {
    /// The offer.
    pub fn offer(&self) -> &Offer {
        &self.offer
    }

    /// The policy fixed when the offer was identified.
    pub fn policy(&self) -> &FundingPolicy {
        &self.policy
    }

    /// The phase.
    pub fn phase(&self) -> FundingPhase {
        self.phase
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
        self.screen.as_deref()
    }

    /// Whether the screen found a red line.
    pub fn red_line_hit(&self) -> bool {
        self.screen.as_ref().is_some_and(|hits| !hits.is_empty())
    }

    /// The tier and its reasons, once triaged.
    pub fn triage(&self) -> Option<&Triage> {
        self.triage.as_ref()
    }

    /// The governance route recorded at screening.
    pub fn route(&self) -> Option<&Route> {
        self.route.as_ref()
    }

    /// The checks the tier requires, once due diligence started.
    pub fn required_checks(&self) -> &[Check] {
        &self.required
    }

    /// The completed checks.
    pub fn checks(&self) -> &BTreeMap<Check, CompletedCheck> {
        &self.checks
    }

    /// The required checks not yet completed.
    pub fn missing_checks(&self) -> Vec<Check> {
        self.required
            .iter()
            .filter(|c| !self.checks.contains_key(c))
            .copied()
            .collect()
    }

    /// Declarations of interest, by member.
    pub fn declarations(&self) -> &BTreeMap<MemberId, Declaration> {
        &self.declarations
    }

    /// What the route asks for before deciding, once consultation started.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// The requirements not met as of `now`.
    pub fn unmet_requirements(&self, now: Timestamp) -> Vec<Requirement> {
        self.requirements
            .iter()
            .filter(|r| !self.meets(r, now))
            .cloned()
            .collect()
    }

    fn window_ran(&self, body: Option<&BodyId>, now: Timestamp) -> bool {
        self.windows
            .iter()
            .any(|(b, w)| body.is_none_or(|body| b == body) && w.closes_at <= now)
    }

    fn meets(&self, requirement: &Requirement, now: Timestamp) -> bool {
        match requirement {
            Requirement::AdviceAnswered { body } => {
                let mut from_body = self.advice.iter().filter(|a| &a.body == body).peekable();
                from_body.peek().is_some() && from_body.all(|a| a.answer.is_some())
            }
            Requirement::ViewsGathered { body } => {
                self.window_ran(Some(body), now) || self.sessions.iter().any(|(b, _)| b == body)
            }
            Requirement::CommentWindow {} => self.window_ran(None, now),
            Requirement::Session {} => !self.sessions.is_empty(),
            Requirement::ConsentRound {} => self.consent_round.is_some(),
        }
    }

    /// Advice recorded, in order.
    pub fn advice(&self) -> &[Advice] {
        &self.advice
    }

    /// Comment windows, by body.
    pub fn comment_windows(&self) -> &BTreeMap<BodyId, CommentWindow> {
        &self.windows
    }

    /// Co-creation sessions recorded: the body and the reference.
    pub fn sessions(&self) -> &[(BodyId, String)] {
        &self.sessions
    }

    /// The consent round recorded, if any.
    pub fn consent_round(&self) -> Option<&RoundReference> {
        self.consent_round.as_ref()
    }

    /// The decision, once taken.
    pub fn decided(&self) -> Option<&DecisionTaken> {
        self.decision.as_ref()
    }

    /// The public register entry, once published (at once for an automatic decline).
    pub fn listing(&self) -> Option<&RegisterListing> {
        self.listing.as_ref()
    }

    /// When the register entry was published.
    pub fn published_at(&self) -> Option<Timestamp> {
        self.published_at
    }

    /// The review date, once monitoring started.
    pub fn review_date(&self) -> Option<Timestamp> {
        self.review_date
    }

    /// Why and when the decision ended (withdrawn, reviewed), if it has.
    pub fn ending(&self) -> Option<(&str, Timestamp)> {
        self.ending.as_ref().map(|(why, at)| (why.as_str(), *at))
    }
}
