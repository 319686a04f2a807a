//! Proposals: from a first draft, through co-creation and a decision, to a standing agreement
//! that is reviewed, amended or retired.
//!
//! A proposal moves through these phases:
//!
//! ```text
//! draft -> co_creating (feedback linked, versions amended) -> ready (the route governance
//!     gives) -> in_decision (one or more rounds) -> adopted | declined | withdrawn | escalated
//! adopted -> published (rationale) -> implementing | pilot (until an end date)
//!     | pilot_scheduled (starts on a later date, then pilot)
//!     -> under_review (on the review date, or when a member objects to the standing
//!        agreement; a reassessment round may decide it) -> continued (back to
//!        implementing) | amended (a new version, back to co_creating) | retired
//! a proposer withdraws from draft, co_creating, ready or in_decision
//! ```
//!
//! The rules, each enforced in one place (the `decide` of [`ProposalProcess`]):
//!
//! - **Roles are fixed at creation** ([`ProposalRoles`]): the proposers amend and withdraw;
//!   the steward moves phases and records what the deciding rounds decided; the members the
//!   agreement applies to (and the proposers) may object to it once it stands.
//! - **Every version is kept.** Version 1 is the text the proposal is created with; each
//!   amendment is the next version, linked to what it [`Answer`]s: feedback items and themes
//!   from co-creation, objections and concerns from one of the proposal's own rounds, or the
//!   objection that opened a review.
//! - **No route without feedback.** A proposal is ready only once some feedback or theme is
//!   linked to it: the people affected shape it before it is decided.
//! - **Decisions are recorded, not taken, here.** The deciding method runs as its own process
//!   (a consent round, an advice process...); the steward starts a round by naming its stream
//!   and records its [`DecisionResult`]. A deferred round leaves the proposal in decision for
//!   another round; the others end it, or adopt it.
//! - **Adoption passes the value gate.** The typed step
//!   [`Lifecycle::<InDecision>::adopt`](Lifecycle::adopt) takes the
//!   [`GatePassed`](crate::values::GatePassed) proof; an engine gates the runtime command.
//! - **Publication states why** (T2): the rationale is required.
//! - **A pilot may start later.** The steward schedules it (`schedule_pilot`: its start and
//!   how long it runs); the engine's [`tick`](crate::engine::Engine::tick) starts it on the
//!   day, and its review falls due counted from that start, not from the decision.
//! - **A pilot is evaluated.** The steward records the benefits and impact evaluation agreed
//!   for it (`agree_evaluation`, once, published, scheduled or piloted); the steward, the
//!   proposers and the members it applies to record the figures and people's words gathered
//!   during the pilot and its review (`gather_evidence`), each with its source and date. A
//!   reassessment round held for the proposal decides on that evidence: its record carries
//!   the [`Evaluation`](crate::evaluation::Evaluation), and rule C8 asks that every question
//!   has some.
//! - **Reviews come on time or on objection**: a review opens on or after its review date
//!   (for a pilot, the day it ends), or earlier when a member objects with a reason.
//! - **A review is reassessed together.** Under review, the steward starts a reassessment
//!   round (`start_decision`), a round held for the proposal on the pilot's evaluation: its
//!   consent continues the agreement until the round's review date, its decline retires it,
//!   a deferral or a breakdown leaves the review open for another round, and an escalation
//!   leaves it to the body it went to: nothing here decides it any more, no other round, no
//!   continuation, retirement or amendment ([`ProposalError::ReviewEscalated`]); the round
//!   that takes it up there decides the review (the engine registers it as the review's
//!   round when it opens, [`Process::take_up`](crate::process::Process::take_up)), and
//!   answers to advice and payment offers are still taken.
//!   While a round runs nobody continues, retires or amends by hand, and a pilot's review is
//!   decided only by a round ([`ProposalError::ReassessmentRequired`]).
//!   A continued agreement gets a new review date; an amended one goes back to co-creation
//!   while the adopted version stays in force ([`Proposal::in_force`]) until the new one is
//!   adopted.
//! - **Time** comes in with each command; a command earlier than the last event is refused.
//!
//! Two ways to drive a proposal, as for consent rounds: the runtime [`ProposalProcess`] over
//! [`ProposalState`], and the typestate façade [`Lifecycle`].
//!
//! # Example
//!
//! ```
//! use std::collections::BTreeSet;
//! use coproduction::cocreation::{ProposalId, ThemeId};
//! use coproduction::community::{Community, MemberId};
//! use coproduction::decision::DecisionKind;
//! use coproduction::governance::Governance;
//! use coproduction::journal::StreamId;
//! use coproduction::machine::Context;
//! use coproduction::process::Projection;
//! use coproduction::proposal::{
//!     DecisionResult, Lifecycle, ProposalCommand, ProposalConfig, ProposalPhase, ProposalRoles,
//! };
//! use coproduction::values::{Charter, RuleId};
//!
//! let at = |t: &str| -> jiff::Timestamp { t.parse().unwrap() };
//! let (proposer, steward) = (MemberId::new(1), MemberId::new(2));
//! let config = ProposalConfig {
//!     id: ProposalId::new(1),
//!     title: "Associate roles working model".into(),
//!     kind: DecisionKind::WorkingModel,
//!     text: "Co-producers take paid, flexible roles without titles.".into(),
//!     answers: vec![],
//!     roles: ProposalRoles { proposers: BTreeSet::from([proposer]), steward, members: BTreeSet::new() },
//!     changes: vec![],
//!     effective_from: None,
//! };
//! let s = |t: &str| Context::new(steward, at(t));
//! // The route governance gives comes with the context (an engine gives it on its own).
//! let community: Community = serde_json::from_str(include_str!("../../examples/data/community.json"))?;
//! let governance = Governance::from_json(include_str!("../../examples/data/governance.json"), &community)?;
//! let route = governance.route(&DecisionKind::WorkingModel, Default::default())?;
//! let round = StreamId::new("consent-round:1")?;
//! let proposal = Lifecycle::create(config, Context::new(proposer, at("2022-06-01T09:00:00Z")))?
//!     .start_co_creation(s("2022-06-02T09:00:00Z"))?
//!     .link_feedback(s("2022-06-20T09:00:00Z"), &[], &[ThemeId::new(1)])?
//!     .mark_ready(s("2022-08-01T09:00:00Z").with_route(&route))?
//!     .start_decision(s("2022-09-01T10:00:00Z"), round.clone())?;
//!
//! // Adoption takes the gate's proof: the record the adoption would project, checked.
//! let now = at("2022-09-01T11:00:00Z");
//! let review = at("2023-09-01T00:00:00Z");
//! let adoption = ProposalCommand::RecordDecision {
//!     round: round.clone(),
//!     result: DecisionResult::Adopted { review_date: review },
//! };
//! let projection = Projection { kind: &DecisionKind::WorkingModel, community: &community, route: Some(&route), now };
//! let record = proposal
//!     .preview(&adoption, &s("2022-09-01T11:00:00Z"), &projection, None)?
//!     .expect("a decided step has a record")
//!     .with_override(RuleId::new("T2")?, steward, "The rationale is published with the record");
//! let charter = Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"}]}"#)?;
//! let proof = charter.gate(&record)?;
//! let adopted = proposal.adopt(s("2022-09-01T11:00:00Z"), round, review, proof)?;
//! let published = adopted.publish(s("2022-09-02T09:00:00Z"), "The workshops asked for it.", &[])?;
//! assert_eq!(published.phase(), ProposalPhase::Published);
//! # Ok::<(), coproduction::Error>(())
//! ```

mod command;
mod config;
mod event;
mod machine;
mod phase;
mod process;
mod record;
mod state;
mod typestate;

use crate::process::Refusal;
use jiff::Timestamp;

use crate::cocreation::ProposalId;
use crate::journal::StreamId;

pub use command::ProposalCommand;
pub use config::{Answer, ProposalConfig, ProposalRole, ProposalRoles, ProposalVersion};
pub use event::{DecisionResult, ProposalEvent, ReviewTrigger};
pub use machine::ProposalProcess;
pub use state::{
    DecidingRound, Proposal, ProposalEnding, ProposalState, PublishedDecision, Review,
    ReviewOutcome,
};
pub use typestate::ProposalPhase;
pub use typestate::{
    Adopted, AnyProposal, CoCreating, Declined, Draft, Escalated, Implementing, InDecision,
    Lifecycle, NotAdopted, Pilot, ProposalPhaseMarker, ProposalRefused, Published, Ready, Retired,
    Reviewable, Standing, UnderReview, Withdrawable, Withdrawn,
};

/// Why a command to a proposal was refused. The proposal is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProposalError {
    /// The set-up is not usable.
    #[error("cannot create proposal {proposal}: `{field}` is invalid: {reason}")]
    InvalidConfig {
        /// The proposal.
        proposal: ProposalId,
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// Nothing to link: no items and no themes.
    #[error("cannot link feedback to proposal {proposal}: no items or themes given")]
    NothingToLink {
        /// The proposal.
        proposal: ProposalId,
    },
    /// The route given is for another kind of decision, or declines without deliberation.
    #[error(
        "cannot mark proposal {proposal} ready: the route given is for a {route_kind} decision without a deliberative method, or not for this {kind} one"
    )]
    RouteNotForThis {
        /// The proposal.
        proposal: ProposalId,
        /// The proposal's kind.
        kind: crate::decision::DecisionKind,
        /// The kind the route is for.
        route_kind: crate::decision::DecisionKind,
    },
    /// Ready needs some feedback linked.
    #[error("cannot mark proposal {proposal} ready: no feedback or theme is linked to it yet")]
    NoFeedback {
        /// The proposal.
        proposal: ProposalId,
    },
    /// An amendment answers something that is not this proposal's.
    #[error("cannot amend proposal {proposal}: it has no {}", answer.label())]
    UnknownAnswer {
        /// The proposal.
        proposal: ProposalId,
        /// What the amendment claimed to answer.
        answer: Answer,
    },
    /// The version numbers ran out.
    #[error("cannot amend proposal {proposal}: no version number is left")]
    VersionsExhausted {
        /// The proposal.
        proposal: ProposalId,
    },
    /// A round is running on the proposal, which decides what was attempted.
    #[error("cannot {attempted} proposal {proposal}: round {round} is still running on it")]
    RoundRunning {
        /// What was attempted.
        attempted: &'static str,
        /// The proposal.
        proposal: ProposalId,
        /// The running round.
        round: StreamId,
    },
    /// The round was used before.
    #[error("cannot start round {round} for proposal {proposal}: it already decided on it")]
    RoundReused {
        /// The proposal.
        proposal: ProposalId,
        /// The round.
        round: StreamId,
    },
    /// The result names a round that is not the one running.
    #[error("cannot record a result of round {round} for proposal {proposal}: the running round is {}", match current { Some(c) => c.to_string(), None => "none".to_owned() })]
    NotTheCurrentRound {
        /// The proposal.
        proposal: ProposalId,
        /// The round named.
        round: StreamId,
        /// The round running.
        current: Option<StreamId>,
    },
    /// The review date has not come.
    #[error("cannot open a review of proposal {proposal} at {now}: {}", match due { Some(d) => format!("it is due at {d}"), None => "it has no review date".to_owned() })]
    ReviewNotDue {
        /// The proposal.
        proposal: ProposalId,
        /// The review date.
        due: Option<Timestamp>,
        /// The command's time.
        now: Timestamp,
    },
    /// Evidence for a pilot's evaluation is dated before the pilot started.
    #[error(
        "cannot gather evidence for proposal {proposal}: a piece is dated {gathered_at}, before its pilot started ({starts})"
    )]
    EvidenceBeforePilot {
        /// The proposal.
        proposal: ProposalId,
        /// When the piece says it was gathered.
        gathered_at: Timestamp,
        /// When the pilot started.
        starts: Timestamp,
    },
    /// A pilot would start after the review date the decision adopted: the steward sets when
    /// the pilot runs within what was decided, not past it (an agreement whose pilot has
    /// not started takes no objection, so a start far ahead would hold off every one).
    #[error(
        "cannot {attempted} proposal {proposal}: the pilot would start at {starts}, after the review date its decision set ({review_date})"
    )]
    PilotPastReview {
        /// The command.
        attempted: &'static str,
        /// The proposal.
        proposal: ProposalId,
        /// When the pilot would start.
        starts: Timestamp,
        /// The review date the decision adopted.
        review_date: Timestamp,
    },
    /// A length that must be positive (and fit the calendar) is not.
    #[error("cannot {attempted}: `{field}` {reason}")]
    InvalidLength {
        /// The command.
        attempted: &'static str,
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// A pilot's review is decided by a reassessment round, not by the steward alone.
    #[error(
        "cannot {attempted} proposal {proposal} by hand: its pilot's review is decided by a reassessment round (start_decision under review)"
    )]
    ReassessmentRequired {
        /// The command.
        attempted: &'static str,
        /// The proposal.
        proposal: ProposalId,
    },
    /// A step that would decide a review the last reassessment round escalated (another
    /// round, a continuation, a retirement, an amendment): the body it went to decides it.
    #[error(
        "cannot {attempted} proposal {proposal}: round `{round}` escalated its review to `{to}`, and a round taking it up there decides it (where the governance map in force routes it, once a change has dissolved that body)"
    )]
    ReviewEscalated {
        /// The command.
        attempted: &'static str,
        /// The proposal.
        proposal: ProposalId,
        /// The reassessment round that escalated the review.
        round: StreamId,
        /// The body it went to.
        to: crate::community::BodyId,
    },
    /// A second evaluation plan for the same pilot: the one agreed stands.
    #[error("cannot agree an evaluation for proposal {proposal}: one is agreed already")]
    EvaluationAgreedAlready {
        /// The proposal.
        proposal: ProposalId,
    },
    /// Evidence for an evaluation not yet agreed.
    #[error(
        "cannot gather evidence for proposal {proposal}: no evaluation is agreed (agree_evaluation first)"
    )]
    NoEvaluation {
        /// The proposal.
        proposal: ProposalId,
    },
    /// The evaluation's plan or evidence was refused.
    #[error("proposal {proposal}: {source}")]
    Evaluation {
        /// The proposal.
        proposal: ProposalId,
        /// What was wrong.
        source: crate::evaluation::EvaluationError,
    },
    /// A typed step landed in a phase its row of the façade's step table does not name, or a
    /// runtime state was taken as a typed phase not its own.
    #[error("{0}")]
    PhaseMismatch(crate::machine::PhaseMismatch<ProposalPhase>),
    /// A refusal every process makes alike (not started, wrong phase, wrong role, blank
    /// text, clock gone back, ...), naming this process.
    #[error(transparent)]
    Shared(Refusal),
}
