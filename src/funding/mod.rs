//! Funding and partnership decisions: whether to take money from, or partner with, another
//! organisation, decided transparently and with the community.
//!
//! ```text
//! identified -> screening -> triaged (tier) -> due diligence -> consultation -> deciding
//!     -> accepted | accepted with conditions -> published -> monitoring -> under review
//!            -> renewed | ended
//!     -> declined | deferred | escalated
//! screening -> declined (a red line: automatic, the reason published)
//! withdrawn from any phase before the decision
//! ```
//!
//! The rules, each enforced in one place (the `decide` of [`FundingProcess`]):
//!
//! - **Red lines** ([`FundingPolicy::red_line_sectors`], [`FundingPolicy::sanctions`]):
//!   the screen ([`screen`]) declines a red-line offer automatically and publishes the
//!   reason; nothing moves a red-line offer to accepted (rule C4 takes no override).
//! - **Tiers** ([`tier`]): the amount through the governance map's bands, the risks (a
//!   conflict of interest, a reputational flag, dependency on one funder) and institutional
//!   policy; a condition restricting publication or contributors' voice forces tier 2 or
//!   higher (rule C5).
//! - **The governance route.** The machine is pure and cannot ask governance, so the
//!   caller routes the offer's [`route_facts`] with
//!   [`Governance::route`](crate::governance::Governance::route) and passes the route in
//!   with the screen. The machine refuses a route whose tier or red-line verdict disagrees
//!   with its own, records it, and refuses a decision along any other route (rule T7).
//! - **Due diligence** ([`Check`]): the tier's checklist is fixed when due diligence starts;
//!   each check is completed by a named member with evidence; deciding is refused while a
//!   required check is incomplete (rule T5). Members declare their interests; a recused
//!   member neither completes checks nor decides, and every decider must have declared
//!   (rule T4).
//! - **Who moves it on.** The machine has no roles of its own; the engine gives the steps
//!   that move the decision on (the screen, starting due diligence and consultation,
//!   answers to advice, deciding, publishing, the review, a withdrawal) to the deciding
//!   body the route names, less those who stepped out, and a decision names as its
//!   deciders only members of that body (and, by the machine's own rule, none who stepped
//!   out). Any member may bring an offer, complete a check (staff who do them need not
//!   decide), declare their own interests, advise as a member of a body consulted and
//!   comment in the open window of a body they are in; each is recorded as theirs.
//! - **Consultation** ([`Requirement`]): advice from each advising body, every piece
//!   answered (the Allies Group's review, point by point); views from each consulted body
//!   (a comment window that ran its 7 to 10 days, or a co-creation session); a session from
//!   tier 2; a consent round where the route decides by one. Deciding waits until all are
//!   recorded, and acceptance along a consent route needs the round to have consented.
//! - **Deciding** through the value gate: the typestate façade's `accept` and
//!   `accept_with_conditions` take a [`GatePassed`](crate::values::GatePassed), and
//!   [`FundingDecision::record`] projects the decision for [`Charter::gate`](crate::values::Charter::gate).
//! - **After acceptance**: the register entry ([`RegisterListing`]: funder, amount band,
//!   conditions, route, rationale) is published, conditions are monitored to a review date,
//!   and the review renews or ends the arrangement.
//!
//! # Which phase owns which data
//!
//! An identified offer ([`FundingDecision`]) holds its offer, policy and times, and a
//! [`FundingStage`] that owns the rest: each stage's data is in its type, built from the
//! stage before it (rustls' states, each moving its fields into the next), so a triaged
//! offer has a tier, and a decided one an outcome, without an `Option` to patch over. The
//! phase is derived from the stage.
//!
//! | stage | phase | owns |
//! |---|---|---|
//! | `Identified`, `Screening` | identified, screening | nothing beyond the offer |
//! | `DeclinedAtScreening` ([`ScreenedOut`]) | declined | the red lines hit, the route, the register entry and when it was published |
//! | `Triaged` ([`Tiered`]) | triaged | the [`Triage`] (tier and reasons) and the governance route |
//! | `DueDiligence` ([`Diligence`]) | due diligence | a `Tiered`, the tier's checklist, the checks done, the declarations |
//! | `Consultation`, `Deciding` ([`Consulting`]) | consultation, deciding | a `Diligence`, the requirements, advice, comment windows, sessions, the consent round if held |
//! | `Decided` ([`Decided`]) | accepted (with conditions), declined, deferred, escalated | a `Consulting` and the [`DecisionTaken`], whose outcome gives the phase |
//! | `Published` ([`OnRegister`]) | published | a `Decided` (accepted) and the register entry |
//! | `Monitoring` ([`Monitored`]) | monitoring | an `OnRegister` and the review date |
//! | `UnderReview` ([`ReviewOpened`]) | under review | a `Monitored`, and who opened the review, when and why |
//! | `Reviewed` ([`ReviewConcluded`]) | renewed, ended | a `ReviewOpened`, whether renewed, and why |
//! | `Withdrawn` ([`Withdrawal`]) | withdrawn | the open stage it left, and why |
//!
//! [`FundingDecision`]'s accessors (`triage`, `checks`, `decided`...) read across stages
//! and answer `None` or empty before the data exists; `decide` matches the stage a command
//! needs and reads its data directly.
//!
//! # Example
//!
//! A small grant with no strings: tier 0, decided by a staff lead's advice process.
//!
//! ```
//! use coproduction::community::{BodyId, MemberId};
//! use coproduction::decision::{DecisionKind, Tier};
//! use coproduction::funding::{Funding, FundingPolicy, FundingStage, Offer, Screened, route_facts};
//! use coproduction::governance::{Governance, GovernanceMap};
//! use coproduction::community::Community;
//!
//! let community: Community =
//!     serde_json::from_str(include_str!("../../examples/data/community.json"))?;
//! let map: GovernanceMap =
//!     serde_json::from_str(include_str!("../../examples/data/governance.json"))?;
//! let governance = Governance::new(map, &community)?;
//!
//! let policy = FundingPolicy::seed();
//! let offer = Offer::new(DecisionKind::Funding, "A local trust", "Charitable trust", "Room hire")
//!     .amount(500);
//! let route = governance.route(&offer.kind, route_facts(&offer, &policy))?;
//! assert_eq!(route.tier(), Tier::Zero);
//!
//! let ctx = coproduction::machine::Context::new(MemberId::new(1), "2024-03-01T10:00:00Z".parse()?);
//! let funding = Funding::identify(offer, policy, ctx)?.start_screening(ctx)?;
//! let Screened::Triaged(triaged) = funding.screen(ctx.with_route(&route))? else {
//!     panic!("no red line is crossed");
//! };
//! assert_eq!(triaged.decision().triage().map(|t| t.tier), Some(Tier::Zero));
//! // Once triaged, the tier is the stage's own: no `Option` to get past.
//! if let FundingStage::Triaged(tiered) = triaged.decision().stage() {
//!     assert_eq!(tiered.tier(), Tier::Zero);
//! }
//! # Ok::<(), coproduction::Error>(())
//! ```

mod command;
mod config;
mod event;
mod machine;
mod phase;
mod process;
mod record;
mod stage;
mod state;
mod tier;
mod typestate;

use crate::machine::comma_list as list;
use crate::process::Refusal;
use jiff::Timestamp;

use crate::community::{BodyId, MemberId};
use crate::decision::{DecisionKind, Tier};

pub use command::{FundingCommand, FundingOutcome, RoundProposes};
pub use config::{Check, Checklists, FundingPolicy};
pub use event::{AdviceId, FundingEvent, RegisterListing, Requirement};
pub use machine::FundingProcess;
pub(crate) use machine::refuse_conflicted;
pub use stage::{
    Consulting, Decided, Diligence, FundingStage, Monitored, OnRegister, ReviewConcluded,
    ReviewOpened, ScreenedOut, Tiered, Withdrawal,
};
pub use state::{
    Advice, CommentWindow, CompletedCheck, DecisionTaken, Declaration, FundingDecision,
    FundingState, RoundReference,
};
pub use tier::{
    Offer, RedLineHit, RiskFactor, TierReason, Triage, amount_band, route_facts, screen, tier,
};
pub use typestate::FundingPhase;
pub use typestate::{
    Accepted, AcceptedPhase, AcceptedWithConditions, AnyFunding, Consultation, Deciding, Declined,
    Deferred, DiligencePhase, DueDiligence, Ended, Escalated, Funding, FundingPhaseMarker,
    FundingRefused, Identified, Monitoring, OpenPhase, Published, Renewed, Reviewed, Screened,
    Screening, Triaged, UnderReview, Withdrawn,
};

/// Why a command to a funding decision was refused. The decision is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FundingError {
    /// The funding policy is not usable.
    #[error("cannot use the funding policy: `{field}` is invalid: {reason}")]
    InvalidPolicy {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// The offer is not usable.
    #[error("cannot identify the offer: `{field}` is invalid: {reason}")]
    InvalidOffer {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// An offer is identified under no funding policy: the command states none, and the
    /// community keeps none in its journal.
    #[error("cannot identify the offer: no funding policy is stated or in force")]
    NoPolicy,
    /// A time computed from the command's time is out of range.
    #[error("cannot compute a date from {at}: out of range")]
    TimeOutOfRange {
        /// The time.
        at: Timestamp,
    },
    /// The route is for another kind of decision.
    #[error("cannot screen: the route is for a {route} decision, the offer is {offer}")]
    RouteKindMismatch {
        /// The offer's kind.
        offer: DecisionKind,
        /// The route's kind.
        route: DecisionKind,
    },
    /// The route's red-line verdict disagrees with the screen.
    #[error("cannot screen: the screen {}, but the route {}", if *red_line { "finds a red line" } else { "passes" }, if *red_line { "is not an automatic decline" } else { "is an automatic decline" })]
    RedLineRouteMismatch {
        /// Whether the screen found a red line.
        red_line: bool,
    },
    /// The route's tier disagrees with the offer's tier.
    #[error(
        "cannot screen: the offer is {tier} but the route is for {route}; route the offer's own facts"
    )]
    RouteTierMismatch {
        /// The offer's tier.
        tier: Tier,
        /// The route's tier.
        route: Tier,
    },
    /// The check is not on the tier's checklist.
    #[error("cannot complete the `{check}` check: it is not on this tier's checklist")]
    CheckNotOnChecklist {
        /// The check.
        check: Check,
    },
    /// The check is already completed.
    #[error("cannot complete the `{check}` check: it is already completed")]
    CheckAlreadyCompleted {
        /// The check.
        check: Check,
    },
    /// Required checks are incomplete.
    #[error("cannot {attempted}: required checks are incomplete: {}", list(checks))]
    MissingChecks {
        /// The command.
        attempted: &'static str,
        /// The incomplete checks.
        checks: Vec<Check>,
    },
    /// What the route asks for is not all recorded.
    #[error("cannot {attempted}: the route still needs {}", list(missing))]
    ConsultationIncomplete {
        /// The command.
        attempted: &'static str,
        /// What is missing.
        missing: Vec<Requirement>,
    },
    /// The body is not one the route consults.
    #[error("the route does not consult `{body}`")]
    NotConsulted {
        /// The body.
        body: BodyId,
    },
    /// There is no such advice.
    #[error("there is no {advice} in this decision")]
    UnknownAdvice {
        /// The advice.
        advice: AdviceId,
    },
    /// The advice is already answered.
    #[error("{advice} is already answered")]
    AdviceAlreadyAnswered {
        /// The advice.
        advice: AdviceId,
    },
    /// The body's comment window was already opened.
    #[error("a comment window for `{body}` was already opened")]
    CommentWindowAlreadyOpened {
        /// The body.
        body: BodyId,
    },
    /// The body has no comment window.
    #[error("cannot comment: no comment window is open for `{body}`")]
    NoCommentWindow {
        /// The body.
        body: BodyId,
    },
    /// The body's comment window has closed.
    #[error("cannot comment: the window for `{body}` closed at {closed_at}")]
    CommentWindowClosed {
        /// The body.
        body: BodyId,
        /// When it closed.
        closed_at: Timestamp,
    },
    /// The member stepped out of this decision.
    #[error("cannot {attempted}: member {member} declared a conflict and stepped out")]
    Recused {
        /// The command.
        attempted: &'static str,
        /// The member.
        member: MemberId,
    },
    /// A member who declared an interest in the offer, and has not stepped out, tried to
    /// take one of the decision's own steps about it: a due-diligence check, answering
    /// advice, starting the deciding, or its review (and, through the engine, recording a
    /// round kept elsewhere). The conflicted person steps out (UK charity practice); they
    /// may still declare, step out until the offer is decided, and give advice in their own
    /// name.
    #[error(
        "cannot {attempted}: member {member} declared an interest in this offer (\"{interest}\") and has not stepped out"
    )]
    Conflicted {
        /// The command.
        attempted: &'static str,
        /// The member.
        member: MemberId,
        /// The interest they declared, as they declared it (a short prefix).
        interest: String,
    },
    /// A member who declared an interest declared none: what was declared stands.
    #[error(
        "cannot declare_interest: member {member} declared an interest in this decision, and it stands"
    )]
    InterestStands {
        /// The member.
        member: MemberId,
    },
    /// A decider made no declaration of interests.
    #[error("cannot decide: member {member} has not declared their interests")]
    UndeclaredDecider {
        /// The member.
        member: MemberId,
    },
    /// A decision names no deciders.
    #[error("cannot decide: no deciders are named")]
    NoDeciders,
    /// A decision names a member twice among its deciders: one voice would count as two.
    #[error("cannot decide: member {member} is named twice among the deciders")]
    DeciderTwice {
        /// The member named twice.
        member: MemberId,
    },
    /// A red-line offer cannot be accepted.
    #[error("cannot accept `{funder}`: it crosses a red line, which no override lifts")]
    RedLine {
        /// The funder.
        funder: String,
    },
    /// The route decides by a consent round, or a round was held for the offer all the
    /// same, and it did not consent.
    #[error(
        "cannot accept: the route decides by consent, or a round was held for the offer, and no recorded round consented"
    )]
    ConsentNotGiven,
    /// A decision against what a round recorded for the offer reached on what it
    /// proposed: the round consented to accept (or decline) the offer and the decision
    /// declines (or accepts) it, or it did not consent, no round has consented since, and
    /// the decision does what it proposed all the same. Deferring or escalating stays open.
    #[error(
        "cannot decide: round `{round}`, held for the offer, {} to {} it, so the decision may not {} it (deferring or escalating stays open)",
        if *consented { "consented" } else { "did not consent" },
        proposes.label(),
        match (consented, proposes) {
            (true, RoundProposes::Accept) => "decline",
            (true, RoundProposes::Decline) => "accept",
            (false, p) => p.label(),
        }
    )]
    AgainstRound {
        /// The round, as recorded (a short prefix).
        round: String,
        /// What it proposed.
        proposes: RoundProposes,
        /// Whether it consented.
        consented: bool,
    },
    /// A round's reference with a quotation mark, a backtick, a break or tab, an invisible
    /// character, or a space at either end: the record and the messages that name the
    /// round quote its reference, and it would read as their own words or as another
    /// round's name.
    #[error(
        "cannot record_consent_round: a round's reference is a name or a link, without quotation marks, backticks, line breaks, tabs or invisible characters, and without spaces at either end"
    )]
    ReferenceNotPlain,
    /// A round recorded for the offer consented: no other is recorded after it.
    #[error(
        "cannot record_consent_round: round `{reference}` already consented, and one round's consent decides the offer"
    )]
    RoundConsented {
        /// The round that consented, as recorded (a short prefix).
        reference: String,
    },
    /// Accepting with conditions needs at least one.
    #[error("cannot accept with conditions: none are given")]
    NoConditions,
    /// A condition set aside is not one the offer states, or is set aside twice.
    #[error("cannot set aside the condition \"{condition}\": {problem}")]
    NotAnOfferCondition {
        /// The condition as given (a short prefix).
        condition: String,
        /// What is wrong: not the offer's, or named twice.
        problem: &'static str,
    },
    /// A condition restricting publication or voice below tier 2 (rule C5).
    #[error(
        "cannot accept a condition restricting publication or voice at {tier}: it needs tier 2 or higher"
    )]
    RestrictiveConditionBelowTierTwo {
        /// The decision's tier.
        tier: Tier,
    },
    /// A typed step landed in a phase its row of the façade's step table does not name, or a
    /// runtime state was taken as a typed phase not its own.
    #[error("{0}")]
    PhaseMismatch(crate::machine::PhaseMismatch<FundingPhase>),
    /// A refusal every process makes alike (not started, wrong phase, wrong role, blank
    /// text, clock gone back, ...), naming this process.
    #[error(transparent)]
    Shared(Refusal),
}
