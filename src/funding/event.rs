//! The events of a funding decision: the facts its record and register are made of.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, MemberId};
use crate::governance::Route;
use crate::values::{FundingCondition, RouteSummary, SetAside};

use super::command::{FundingOutcome, RoundProposes};
use super::config::{Check, FundingPolicy};
use super::tier::{Offer, RedLineHit, Triage};

/// A piece of advice, numbered from 1 in the order it was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AdviceId(pub u32);

impl fmt::Display for AdviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "advice {}", self.0)
    }
}

/// What the route asks for before deciding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Requirement {
    /// Advice from the body, each piece answered (advice process; the Allies Group's review
    /// with each point answered).
    AdviceAnswered {
        /// The body.
        body: BodyId,
    },
    /// The body's views gathered: its comment window ran its course, or a session was held
    /// with it.
    ViewsGathered {
        /// The body.
        body: BodyId,
    },
    /// An open comment window ran its course.
    CommentWindow {},
    /// An open co-creation session was held.
    Session {},
    /// The consent round in the deciding body is recorded.
    ConsentRound {},
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Requirement::AdviceAnswered { body } => write!(f, "advice from `{body}`, answered"),
            Requirement::ViewsGathered { body } => write!(f, "the views of `{body}`"),
            Requirement::CommentWindow {} => f.write_str("a comment window that ran its course"),
            Requirement::Session {} => f.write_str("a co-creation session"),
            Requirement::ConsentRound {} => f.write_str("a consent round"),
        }
    }
}

/// The public register's entry for a decision: funder, amount band, conditions, route and
/// rationale (rule T6), or the reason for an automatic decline.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterListing {
    /// The funder or partner.
    pub funder: String,
    /// The amount, as a band.
    pub amount_band: String,
    /// The conditions that stand: the offer's not set aside, then the community's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<FundingCondition>,
    /// The offer's conditions that do not stand, each with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<SetAside>,
    /// The route it was decided by; `None` for an automatic decline.
    pub route: Option<RouteSummary>,
    /// The outcome (`"accepted"`, `"declined at screening"`...).
    pub outcome: String,
    /// Why: the rationale, or the red lines crossed.
    pub rationale: String,
    /// A legal reason for withholding a field, if any.
    pub withheld_reason: Option<String>,
}

/// The facts of a funding decision. Each names who acted and when.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum FundingEvent {
    /// The offer was identified under this policy.
    Identified {
        /// The offer.
        offer: Box<Offer>,
        /// The policy.
        policy: Box<FundingPolicy>,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// Screening started.
    ScreeningStarted {
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The screen found a red line: declined automatically, the reason published.
    ScreenFailed {
        /// The red lines crossed.
        hits: Vec<RedLineHit>,
        /// The governance route (an automatic decline).
        route: Box<Route>,
        /// The published register entry, with the reason.
        listing: Box<RegisterListing>,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The screen passed; the offer was given a tier and its route.
    Triaged {
        /// The tier and its reasons.
        triage: Triage,
        /// The governance route for the tier.
        route: Box<Route>,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// Due diligence started with the tier's checklist.
    DueDiligenceStarted {
        /// The checks required.
        checks: Vec<Check>,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A check was completed.
    CheckCompleted {
        /// The check.
        check: Check,
        /// The evidence.
        evidence: String,
        /// The named member who did it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A member declared their interests.
    InterestDeclared {
        /// The member.
        member: MemberId,
        /// The interest, if any.
        interest: Option<String>,
        /// Whether they stepped out.
        recused: bool,
        /// When.
        at: Timestamp,
    },
    /// Consultation started, with what the route asks for.
    ConsultationStarted {
        /// What must be recorded before deciding.
        requirements: Vec<Requirement>,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// Advice was recorded.
    AdviceRecorded {
        /// Its number.
        advice: AdviceId,
        /// The body it came from.
        body: BodyId,
        /// Who gave it.
        from: MemberId,
        /// The advice.
        text: String,
        /// Who recorded it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// Advice was answered.
    AdviceAnswered {
        /// The advice.
        advice: AdviceId,
        /// The answer.
        answer: String,
        /// Who answered.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A comment window opened.
    CommentWindowOpened {
        /// The body.
        body: BodyId,
        /// When it closes.
        closes_at: Timestamp,
        /// Who opened it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A comment was made in a window.
    Commented {
        /// The body's window.
        body: BodyId,
        /// The comment.
        text: String,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A co-creation session was recorded.
    SessionRecorded {
        /// The body.
        body: BodyId,
        /// Its record.
        reference: String,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The consent round was recorded.
    ConsentRoundRecorded {
        /// Its record.
        reference: String,
        /// Whether it consented.
        consented: bool,
        /// What it proposed for the offer, where it said. A journal written while a round
        /// said so with its start only lacks it here, and the engine reads it from there.
        proposes: Option<RoundProposes>,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// Deciding started.
    DecidingStarted {
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The deciders decided.
    Decided {
        /// The conclusion.
        outcome: FundingOutcome,
        /// The route taken (the recorded governance route).
        route_taken: Box<RouteSummary>,
        /// Who took part.
        deciders: Vec<MemberId>,
        /// Why.
        rationale: String,
        /// Who recorded it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The register entry was published.
    Published {
        /// The entry.
        listing: Box<RegisterListing>,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// Monitoring started.
    MonitoringStarted {
        /// The review date.
        review_date: Timestamp,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The review started.
    ReviewStarted {
        /// Why now.
        reason: String,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The review concluded.
    Reviewed {
        /// Renewed, or ended.
        renew: bool,
        /// Why.
        rationale: String,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// The offer was withdrawn.
    Withdrawn {
        /// Why.
        reason: String,
        /// Who.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
}

impl FundingEvent {
    /// When the event happened.
    pub fn at(&self) -> Timestamp {
        match self {
            FundingEvent::Identified { at, .. }
            | FundingEvent::ScreeningStarted { at, .. }
            | FundingEvent::ScreenFailed { at, .. }
            | FundingEvent::Triaged { at, .. }
            | FundingEvent::DueDiligenceStarted { at, .. }
            | FundingEvent::CheckCompleted { at, .. }
            | FundingEvent::InterestDeclared { at, .. }
            | FundingEvent::ConsultationStarted { at, .. }
            | FundingEvent::AdviceRecorded { at, .. }
            | FundingEvent::AdviceAnswered { at, .. }
            | FundingEvent::CommentWindowOpened { at, .. }
            | FundingEvent::Commented { at, .. }
            | FundingEvent::SessionRecorded { at, .. }
            | FundingEvent::ConsentRoundRecorded { at, .. }
            | FundingEvent::DecidingStarted { at, .. }
            | FundingEvent::Decided { at, .. }
            | FundingEvent::Published { at, .. }
            | FundingEvent::MonitoringStarted { at, .. }
            | FundingEvent::ReviewStarted { at, .. }
            | FundingEvent::Reviewed { at, .. }
            | FundingEvent::Withdrawn { at, .. } => *at,
        }
    }
}
