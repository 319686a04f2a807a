//! Consent rounds: sociocratic consent and Holacracy's integrative decision-making, as a
//! typed state machine.
//!
//! A round moves through these phases:
//!
//! ```text
//! presented -> clarifying -> reactions -> (amending) -> objection round n
//!     -> integrating (one objection at a time) -> objection round n+1 -> ...
//!     -> consented -> adopted (with concerns, dispositions and a review date)
//! exits from any open phase: withdrawn, deferred (a time box passed), escalated (to a
//! named body); broken down when the objection rounds run out
//! ```
//!
//! The rules, each enforced in one place (the `decide` of [`ConsentProcess`]):
//!
//! - **Eligibility is a snapshot.** The deciding body's members are fixed when the round
//!   opens ([`RoundConfig::eligible`]); only they respond, once per objection round (a later
//!   answer replaces the earlier one; both stay in the events, and an objection or concern
//!   replaced so stays in the record, withdrawn, as [`Round::replaced`] lists it, naming
//!   the supporter who took it back for them, when one did). A named supporter may record
//!   a response on a member's behalf where [`RoundConfig::supporters`] allows it, and the
//!   event says so.
//! - **Roles.** The proposer amends, withdraws and (for advice and delegated methods)
//!   decides; the facilitator moves phases, closes rounds and records objection tests; the
//!   secretary records the outcome.
//! - **Responses.** Consent, consent with a concern, objection (a reason is required), stand
//!   aside (only where the method allows it), advice (in an advice process).
//! - **Absence is never silent.** Every round names an [`AbsencePolicy`]: count as no
//!   objection, count as absent (the quorum then decides), or defer.
//! - **Quorum**: a count or share of the eligible, plus a minimum of responding members with
//!   lived experience. A close without quorum is refused.
//! - **Objections** are raised, then tested by the facilitator (criteria asserted and
//!   reasoning recorded; the library never judges validity), then valid (integrated through
//!   an amendment and resolved when the objector *and* the proposer confirm) or not valid
//!   (kept as a concern, never dropped), withdrawn, or abandoned. The next objection round
//!   starts only when every objection is settled. An abandoned valid objection counts as
//!   settled for the round, but the value-check's rule C6 still counts it as open, so the gate
//!   refuses adoption unless someone overrides it with a reason.
//! - **Time** comes in with each command; a command earlier than the last event is refused,
//!   and once a time box passes only withdrawal, deferral, escalation and an extension of
//!   the box (by the facilitator, with a reason) are taken. What happens on its own at that
//!   point is the round's choice ([`AtDeadline`], by default nothing): the engine's
//!   [`tick`](crate::engine::Engine::tick) takes it, and
//!   [`due`](crate::engine::Engine::due) says what the round waits on.
//!
//! Other methods share the response and tally code ([`Tally`]): consensus (stand aside
//! allowed; an objection is a block), majority and supermajority votes (consent is in favour,
//! objection against, stand aside abstains), the advice process (advice gathered in the
//! response round; the decider answers each piece, then decides with a rationale) and the
//! delegated decision (the decider decides with a rationale).
//!
//! Two ways to drive a round:
//!
//! - the runtime machine, [`ConsentProcess`], a [`Decider`](crate::machine::Decider) over
//!   [`RoundState`], for engines and replay; an app that keeps the round itself takes each
//!   command through [`Decider::apply`](crate::machine::Decider::apply), which checks a
//!   response and writes it to the member's seat in one step (one lookup of the seat, where
//!   `decide` and then `evolve` make one each);
//! - the typestate façade [`ConsentRound`], for Rust code, where an illegal step does not
//!   compile. It calls the same `decide` and `evolve`.
//!
//! # Which phase owns which data
//!
//! An opened [`Round`] holds what every phase has (its configuration, seats, objections,
//! concerns, questions and times) and a [`RoundStage`] that owns the rest, so the decision
//! and the ending exist only in the phases that have them, and the phase is derived from
//! the stage:
//!
//! | stage | phases | owns |
//! |---|---|---|
//! | `Deliberating` ([`Deliberation`]) | presented, clarifying, reactions, amending, objection round, integrating | which of them |
//! | `Consented` ([`RoundDecision`]) | consented | the decision that carried: the facilitator's close, a vote, or a decider with a rationale |
//! | `Ended` ([`RoundEnd`]) | adopted, declined, withdrawn, deferred, escalated, broken down | the [`Ending`], whose kind gives the phase, and the decision, if one carried or declined |
//!
//! The count at the last close ([`Round::last_tally`]) stays the round's own: a round that
//! a decider decided has none in any phase.
//!
//! # Example
//!
//! ```
//! use coproduction::community::{Community, MemberId};
//! use coproduction::consent::{
//!     AbsencePolicy, Advanced, Closed, ConsentRound, Quorum, QuorumSize, Response, RoundCommand,
//!     RoundConfig, RoundRoles, EligibleMember,
//! };
//! use coproduction::decision::{DecisionKind, Method};
//! use coproduction::machine::Context;
//! use coproduction::process::Projection;
//! use coproduction::values::Charter;
//!
//! let at = |t: &str| -> jiff::Timestamp { t.parse().unwrap() };
//! let m = MemberId::new;
//! let config = RoundConfig {
//!     title: "Pilot the working model from March".into(),
//!     proposal: "Co-producers work to the draft working model for six months.".into(),
//!     deciding_body: "associate_roles_team".parse()?,
//!     method: Method::Consent,
//!     roles: RoundRoles { proposer: m(1), facilitator: m(2), secretary: m(2) },
//!     eligible: vec![
//!         EligibleMember { member: m(1), lived_experience: false },
//!         EligibleMember { member: m(3), lived_experience: true },
//!     ],
//!     absence: AbsencePolicy::CountAsAbsent,
//!     quorum: Quorum { size: QuorumSize::Count { min: 2 }, lived_experience_min: 1 },
//!     time_box: Default::default(),
//!     supporters: Default::default(),
//!     max_objection_rounds: 3,
//! };
//! let facilitator = Context::new(m(2), at("2022-09-01T10:00:00Z"));
//! let round = ConsentRound::open(config, Context::new(m(1), at("2022-09-01T10:00:00Z")))?
//!     .start_clarifying(facilitator)?
//!     .start_reactions(facilitator)?
//!     .start_objection_round(facilitator)?
//!     .respond(Context::new(m(1), at("2022-09-01T10:05:00Z")), m(1), Response::consent())?
//!     .respond(Context::new(m(3), at("2022-09-01T10:06:00Z")), m(3), Response::consent())?;
//! let Closed::Consented(round) = round.close(Context::new(m(2), at("2022-09-01T10:10:00Z")))? else {
//!     panic!("nobody objected");
//! };
//! // Adoption is a decided state: it takes the proof that the value gate passed. Here the
//! // charter holds two of the built-in rules: no objection set aside untested (C2), and no
//! // valid objection open at adoption (C6).
//! let charter = Charter::from_json(
//!     r#"{"values": [{"id": "challenging"}], "rules": [{"id": "C2"}, {"id": "C6"}]}"#,
//! )?;
//! let now = at("2022-09-01T10:15:00Z");
//! let secretary = Context::new(m(2), now);
//! // The gate checks the round as it will be once adopted: the record the adoption would
//! // project, named as this round's as it stands, so the proof fits this step and no other.
//! let adoption = RoundCommand::RecordOutcome {
//!     statement: "Adopted as a pilot".into(),
//!     review_date: at("2023-09-01T00:00:00Z"),
//! };
//! let community = Community::new();
//! let projection = Projection { kind: &DecisionKind::WorkingModel, community: &community, route: None, now };
//! let record = round.preview(&adoption, &secretary, &projection, None)?.expect("a decided step has a record");
//! let proof = charter.gate(&record)?;
//! // The proof moves into the adopted round, which keeps it.
//! let adopted = round.record_outcome(secretary, "Adopted as a pilot", at("2023-09-01T00:00:00Z"), proof)?;
//! assert!(adopted.round().ending().is_some());
//! assert!(adopted.proof().is_some());
//! # let _ = Advanced::BrokenDown;
//! # Ok::<(), coproduction::Error>(())
//! ```

mod command;
mod config;
mod deadline;
mod event;
mod evolve;
mod machine;
mod objection;
mod phase;
mod process;
mod record;
mod respond;
mod response;
mod seats;
mod stage;
mod state;
mod typestate;

use crate::machine::comma_list as list;
use crate::process::Refusal;
use jiff::Timestamp;

use crate::community::{CommunityError, MemberId};
use crate::decision::Method;

pub use command::RoundCommand;
pub use config::{
    AbsencePolicy, AtDeadline, EligibleMember, HandedRole, Quorum, QuorumSize, RoundConfig,
    RoundRole, RoundRoles, TimeBox, snapshot,
};
pub use deadline::DeadlineStep;
pub(crate) use deadline::{facilitator_awaited, facilitator_closes};
pub use event::{CloseResult, RoundEvent};
pub use machine::ConsentProcess;
pub use objection::{
    Amendment, AmendmentId, Answers, Concern, ConcernId, ConcernSource, Fate, Objection,
    ObjectionId, ObjectionStatus, ObjectionTest, ValidityCriterion,
};
pub use response::{Responded, Response, Tally};
pub use stage::{Deliberation, RoundEnd, RoundStage};
pub(crate) use state::HandsOn;
pub use state::{Contribution, Ending, Extension, Lapse, Round, RoundDecision, RoundState};
pub use typestate::RoundPhase;
pub use typestate::{
    Adopted, Advanced, Amending, AnyRound, BrokenDown, Clarifying, Closed, ConsentRound, Consented,
    Decided, Declined, Deferred, Escalated, Integrating, ObjectionRound, OpenPhase, Presented,
    Reactions, RoundPhaseMarker, RoundRefused, Withdrawn,
};

/// Why a command to a round was refused. The round is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConsentError {
    /// The round's configuration is not usable.
    #[error("cannot open the round: `{field}` is invalid: {reason}")]
    InvalidConfig {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The deciding body could not be read from the community.
    #[error("cannot take the eligible members: {0}")]
    Community(#[from] CommunityError),
    /// The member is not in the round's eligible snapshot.
    #[error("cannot {attempted}: member {member} is not eligible in this round")]
    NotEligible {
        /// The command.
        attempted: &'static str,
        /// The member.
        member: MemberId,
    },
    /// The actor tried to respond for someone they are not a named supporter of.
    #[error(
        "member {actor} is not a named supporter of member {member} and cannot respond for them"
    )]
    NotASupporter {
        /// Who tried.
        actor: MemberId,
        /// On whose behalf.
        member: MemberId,
    },
    /// The method does not take this kind of response.
    #[error("a `{response}` response is not allowed by the {method} method")]
    ResponseNotAllowed {
        /// The response kind.
        response: &'static str,
        /// The round's method.
        method: Method,
    },
    /// The round has no such objection.
    #[error("there is no {objection} in this round")]
    UnknownObjection {
        /// The objection.
        objection: ObjectionId,
    },
    /// The round has no such concern.
    #[error("there is no {concern} in this round")]
    UnknownConcern {
        /// The concern.
        concern: ConcernId,
    },
    /// Objections are integrated one at a time, and this is not the current one.
    #[error("cannot {attempted} {objection}: objections are integrated one at a time and the current one is {}", match current { Some(c) => c.to_string(), None => "none".to_owned() })]
    NotCurrentObjection {
        /// The command.
        attempted: &'static str,
        /// The objection named.
        objection: ObjectionId,
        /// The objection being integrated.
        current: Option<ObjectionId>,
    },
    /// The objection's status does not allow the command.
    #[error("cannot {attempted} {objection}: it is {}", status.label())]
    ObjectionStatus {
        /// The command.
        attempted: &'static str,
        /// The objection.
        objection: ObjectionId,
        /// Its status.
        status: ObjectionStatus,
    },
    /// A valid objection can only be resolved through an amendment that answers it.
    #[error("cannot confirm {objection} resolved: no amendment answers it yet")]
    NotAmended {
        /// The objection.
        objection: ObjectionId,
    },
    /// Objections are still open.
    #[error("cannot {attempted}: objections still open: {}", list(objections))]
    OpenObjections {
        /// The command.
        attempted: &'static str,
        /// The open objections.
        objections: Vec<ObjectionId>,
    },
    /// Too few responded to close the round (or, in an advice process, to decide).
    #[error(
        "the quorum is not met ({responded} of {required} responses, {lived_experience_responded} of {lived_experience_required} with lived experience)"
    )]
    QuorumNotMet {
        /// Responses.
        responded: usize,
        /// Responses required.
        required: usize,
        /// Responses from members with lived experience.
        lived_experience_responded: usize,
        /// Those required.
        lived_experience_required: usize,
    },
    /// The decider has not answered every piece of advice.
    #[error("cannot decide: advice from {} is not answered", list(members))]
    AdviceUnanswered {
        /// Advisers whose advice is unanswered.
        members: Vec<MemberId>,
    },
    /// An advice process cannot decide before anyone has given advice.
    #[error("cannot decide: nobody has given advice yet")]
    NoAdviceGiven,
    /// The member has given no advice to answer.
    #[error("member {member} has given no advice in this round")]
    NoAdvice {
        /// The member.
        member: MemberId,
    },
    /// The command belongs to another method.
    #[error("cannot {attempted} in a round decided by {method}")]
    MethodMismatch {
        /// The command.
        attempted: &'static str,
        /// The round's method.
        method: Method,
    },
    /// A time box has passed: only withdrawal, deferral and escalation are taken (and an
    /// extension, where the round chose no step for the box's end).
    #[error("cannot {attempted}: the time box ended at {deadline}")]
    TimeBoxPassed {
        /// The command.
        attempted: &'static str,
        /// When the time box ended.
        deadline: Timestamp,
    },
    /// A round is deferred only once a time box has passed.
    #[error("cannot defer: no time box has passed{}", match until { Some(t) => format!(" (the next ends at {t})"), None => String::new() })]
    TimeBoxRunning {
        /// When the next time box ends, if there is one.
        until: Option<Timestamp>,
    },
    /// A role is handed on to another member than the one who holds it.
    #[error("cannot hand on the {}'s role: member {member} holds it already", role.label())]
    RoleHeldAlready {
        /// The role.
        role: HandedRole,
        /// Who holds it.
        member: MemberId,
    },
    /// The proposer's role goes to a member who holds no open objection to the proposal:
    /// integrating an objection takes the proposer and its objector, two people.
    #[error(
        "cannot hand on the proposer's role to member {member}: they hold {objection}, still open, and would confirm it resolved alone"
    )]
    ObjectorAsProposer {
        /// The member named to take the role.
        member: MemberId,
        /// Their open objection.
        objection: ObjectionId,
    },
    /// An objection is confirmed resolved by two people, its objector and the proposer: a
    /// member who is both confirms nothing alone (they withdraw the objection instead).
    #[error(
        "cannot confirm {objection} resolved: member {member} is both its objector and the proposer, and confirms nothing alone (withdraw the objection instead)"
    )]
    ConfirmedAlone {
        /// The objection.
        objection: ObjectionId,
        /// The member who raised it and holds the proposer's role.
        member: MemberId,
    },
    /// A time box is extended only where the round has one.
    #[error("cannot {attempted}: the round has no time box")]
    NoTimeBox {
        /// The command.
        attempted: &'static str,
    },
    /// An extension must end later than the box does now.
    #[error("cannot extend the time box to {until}: it already ends at {from}")]
    ExtensionNotLater {
        /// The end asked for.
        until: Timestamp,
        /// The box's current end.
        from: Timestamp,
    },
    /// An extension cannot end before now.
    #[error("cannot extend the time box to {until}: that is before now, {now}")]
    ExtensionInPast {
        /// The end asked for.
        until: Timestamp,
        /// The command's time.
        now: Timestamp,
    },
    /// A round escalates to another body, not to the one that is deciding.
    #[error("cannot escalate to `{body}`: it is the round's own deciding body")]
    EscalationToSelf {
        /// The body named.
        body: crate::community::BodyId,
    },
    /// A round asked to open on governance's route, where no route is known: the engine
    /// resolves it when it has a governance map; otherwise open with a set-up
    /// ([`RoundConfig::from_route`] builds one from a route).
    #[error(
        "a round opens on its governance route only through an engine with a governance map; open it with a set-up instead"
    )]
    NoRoute,
    /// The route declines without a round (a red-line hit): there is nothing to consent to.
    #[error("no round is held for this {kind} decision: its route is an automatic decline")]
    AutomaticDecline {
        /// The kind of decision.
        kind: crate::decision::DecisionKind,
    },
    /// A typed step landed in a phase its row of the façade's step table does not name, or a
    /// runtime state was taken as a typed phase not its own.
    #[error("{0}")]
    PhaseMismatch(crate::machine::PhaseMismatch<RoundPhase>),
    /// A refusal every process makes alike (not started, wrong phase, wrong role, blank
    /// text, clock gone back, ...), naming this process.
    #[error(transparent)]
    Shared(Refusal),
}
