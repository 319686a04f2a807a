//! The stages of an identified offer: what each phase owns, held in the phase's own type.
//!
//! The data a decision gathers builds up as it moves on (rustls' states, each moving its
//! fields into the next): a triaged offer holds its [`Tiered`] triage and route; due
//! diligence holds that and its [`Diligence`] checklist; consultation holds that and the
//! [`Consulting`] log; a decision holds the consultation it ended and the
//! [`DecisionTaken`]; and so on to the review. So "triaged implies a triage" is a fact of
//! the type, and the rules in `decide` read a stage's data without patching over a missing
//! value.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::community::{BodyId, MemberId};
use crate::decision::Tier;
use crate::governance::Route;

use super::FundingPhase;
use super::command::FundingOutcome;
use super::config::Check;
use super::event::{RegisterListing, Requirement};
use super::state::{
    Advice, CommentWindow, CompletedCheck, DecisionTaken, Declaration, RoundReference,
};
use super::tier::{RedLineHit, Triage};

use FundingPhase as P;

/// Where an identified offer stands, with the data its phase owns.
///
/// The phase is derived from the stage ([`FundingStage::phase`]): a decided offer's phase
/// is its outcome's, a reviewed one's is renewed or ended.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FundingStage {
    /// Identified, not yet screened.
    Identified,
    /// The red-line screen is running.
    Screening,
    /// Declined at screening: a red line, the reason published.
    DeclinedAtScreening(Box<ScreenedOut>),
    /// Screened clear, with a tier and its route.
    Triaged(Tiered),
    /// Due-diligence checks are being completed.
    DueDiligence(Diligence),
    /// Consultation along the route.
    Consultation(Consulting),
    /// The deciders are deciding, on the consultation as it closed.
    Deciding(Consulting),
    /// Decided: accepted (with or without conditions), declined, deferred or escalated.
    Decided(Decided),
    /// A decision's register entry is published: an accepted offer's (phase `Published`), or
    /// a decision not to accept it (the phase stays its outcome's).
    Published(OnRegister),
    /// Conditions are monitored until the review date.
    Monitoring(Monitored),
    /// Under review.
    UnderReview(ReviewOpened),
    /// Reviewed: renewed or ended.
    Reviewed(ReviewConcluded),
    /// Withdrawn before a decision, holding the stage it was withdrawn from.
    Withdrawn(Withdrawal),
}

/// A red-line offer, declined at screening.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenedOut {
    pub(super) hits: Vec<RedLineHit>,
    pub(super) route: Route,
    pub(super) listing: RegisterListing,
    pub(super) published_at: Timestamp,
}

/// Screened clear: the tier and the route governance gave for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tiered {
    pub(super) triage: Triage,
    pub(super) route: Route,
}

/// Due diligence: the tier's checklist, the checks done and the declarations of interest.
#[derive(Debug, Clone, PartialEq)]
pub struct Diligence {
    pub(super) tiered: Tiered,
    pub(super) required: Vec<Check>,
    pub(super) checks: BTreeMap<Check, CompletedCheck>,
    pub(super) declarations: BTreeMap<MemberId, Declaration>,
}

/// Consultation: what the route asks for and what has been recorded towards it.
#[derive(Debug, Clone, PartialEq)]
pub struct Consulting {
    pub(super) diligence: Diligence,
    pub(super) requirements: Vec<Requirement>,
    pub(super) advice: Vec<Advice>,
    pub(super) windows: BTreeMap<BodyId, CommentWindow>,
    pub(super) sessions: Vec<(BodyId, String)>,
    /// The consent rounds recorded, in order, where any was held: a route that decides by
    /// one needs one. At most the last consented: none is recorded after one that did.
    pub(super) consent_rounds: Vec<RoundReference>,
}

/// A decision taken on a consultation.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    pub(super) consulting: Consulting,
    pub(super) taken: DecisionTaken,
}

/// A decision with its register entry.
#[derive(Debug, Clone, PartialEq)]
pub struct OnRegister {
    pub(super) decided: Decided,
    pub(super) listing: RegisterListing,
    pub(super) published_at: Timestamp,
}

/// A published decision whose conditions are monitored to a review date.
#[derive(Debug, Clone, PartialEq)]
pub struct Monitored {
    pub(super) listed: OnRegister,
    pub(super) review_date: Timestamp,
}

/// A review under way: the monitoring it reviews, and who opened it, when and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewOpened {
    pub(super) monitored: Monitored,
    pub(super) reason: String,
    pub(super) by: MemberId,
    pub(super) at: Timestamp,
}

/// A reviewed arrangement: renewed or ended, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewConcluded {
    pub(super) opened: ReviewOpened,
    pub(super) renew: bool,
    pub(super) rationale: String,
    pub(super) at: Timestamp,
}

/// An offer withdrawn before a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawal {
    pub(super) before: Box<FundingStage>,
    pub(super) reason: String,
    pub(super) by: MemberId,
    pub(super) at: Timestamp,
}

impl FundingStage {
    /// The phase this stage is in.
    pub fn phase(&self) -> FundingPhase {
        match self {
            FundingStage::Identified => P::Identified,
            FundingStage::Screening => P::Screening,
            FundingStage::DeclinedAtScreening(_) => P::Declined,
            FundingStage::Triaged(_) => P::Triaged,
            FundingStage::DueDiligence(_) => P::DueDiligence,
            FundingStage::Consultation(_) => P::Consultation,
            FundingStage::Deciding(_) => P::Deciding,
            FundingStage::Decided(decided) => decided.phase(),
            // A decision not to accept stays declined, deferred or escalated once listed.
            FundingStage::Published(listed) if !listed.decided.taken.outcome.accepts() => {
                listed.decided.phase()
            }
            FundingStage::Published(_) => P::Published,
            FundingStage::Monitoring(_) => P::Monitoring,
            FundingStage::UnderReview(_) => P::UnderReview,
            FundingStage::Reviewed(reviewed) => reviewed.phase(),
            FundingStage::Withdrawn(_) => P::Withdrawn,
        }
    }

    /// The stage the offer reached: this one, or for a withdrawn offer the one it was
    /// withdrawn from.
    pub fn reached(&self) -> &FundingStage {
        match self {
            FundingStage::Withdrawn(w) => w.before.reached(),
            stage => stage,
        }
    }

    /// The triage and route, from triage on (kept when withdrawn).
    pub fn tiered(&self) -> Option<&Tiered> {
        match self.reached() {
            FundingStage::Triaged(tiered) => Some(tiered),
            stage => stage.diligence().map(Diligence::tiered),
        }
    }

    /// The due diligence, from its start on (kept when withdrawn).
    pub fn diligence(&self) -> Option<&Diligence> {
        match self.reached() {
            FundingStage::DueDiligence(diligence) => Some(diligence),
            stage => stage.consulting().map(Consulting::diligence),
        }
    }

    /// The consultation, from its start on (kept when withdrawn).
    pub fn consulting(&self) -> Option<&Consulting> {
        match self.reached() {
            FundingStage::Consultation(c) | FundingStage::Deciding(c) => Some(c),
            stage => stage.decided().map(Decided::consulting),
        }
    }

    /// The decision, once taken.
    pub fn decided(&self) -> Option<&Decided> {
        match self {
            FundingStage::Decided(decided) => Some(decided),
            stage => stage.listed().map(OnRegister::decided),
        }
    }

    /// The accepted decision's register entry, once published.
    pub fn listed(&self) -> Option<&OnRegister> {
        match self {
            FundingStage::Published(listed) => Some(listed),
            stage => stage.monitored().map(Monitored::listed),
        }
    }

    /// The monitoring, from its start on.
    pub fn monitored(&self) -> Option<&Monitored> {
        match self {
            FundingStage::Monitoring(m) => Some(m),
            FundingStage::UnderReview(review) => Some(&review.monitored),
            FundingStage::Reviewed(reviewed) => Some(&reviewed.opened.monitored),
            _ => None,
        }
    }

    /// The stages in which checks are completed and interests declared: due diligence and
    /// consultation.
    pub(super) fn checking(&self) -> Option<&Diligence> {
        match self {
            FundingStage::DueDiligence(diligence) => Some(diligence),
            FundingStage::Consultation(c) => Some(&c.diligence),
            _ => None,
        }
    }

    /// The due diligence that still takes declarations of interest: from due diligence until
    /// the decision is taken (a member who takes the offer on while it is decided, or finds
    /// an interest late, declares then).
    pub(super) fn declaring(&self) -> Option<&Diligence> {
        match self {
            FundingStage::DueDiligence(diligence) => Some(diligence),
            FundingStage::Consultation(c) | FundingStage::Deciding(c) => Some(&c.diligence),
            _ => None,
        }
    }

    /// [`FundingStage::declaring`], to record a declaration.
    pub(super) fn declaring_mut(&mut self) -> Option<&mut Diligence> {
        match self {
            FundingStage::DueDiligence(diligence) => Some(diligence),
            FundingStage::Consultation(c) | FundingStage::Deciding(c) => Some(&mut c.diligence),
            _ => None,
        }
    }

    pub(super) fn checking_mut(&mut self) -> Option<&mut Diligence> {
        match self {
            FundingStage::DueDiligence(diligence) => Some(diligence),
            FundingStage::Consultation(c) => Some(&mut c.diligence),
            _ => None,
        }
    }
}

impl ScreenedOut {
    /// The red lines crossed.
    pub fn hits(&self) -> &[RedLineHit] {
        &self.hits
    }

    /// The governance route (an automatic decline).
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// The published register entry, with the reason.
    pub fn listing(&self) -> &RegisterListing {
        &self.listing
    }

    /// When the reason was published.
    pub fn published_at(&self) -> Timestamp {
        self.published_at
    }
}

impl Tiered {
    /// The tier and its reasons.
    pub fn triage(&self) -> &Triage {
        &self.triage
    }

    /// The tier.
    pub fn tier(&self) -> Tier {
        self.triage.tier
    }

    /// The governance route for the tier, recorded at screening.
    pub fn route(&self) -> &Route {
        &self.route
    }
}

impl Diligence {
    /// The triage and route it started from.
    pub fn tiered(&self) -> &Tiered {
        &self.tiered
    }

    /// The checks the tier requires.
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

    /// Whether `member` declared a conflict and stepped out.
    pub fn recused(&self, member: MemberId) -> bool {
        self.declarations.get(&member).is_some_and(|x| x.recused)
    }
}

impl Consulting {
    /// The due diligence it follows.
    pub fn diligence(&self) -> &Diligence {
        &self.diligence
    }

    /// What the route asks for before deciding.
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
            Requirement::ConsentRound {} => !self.consent_rounds.is_empty(),
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

    /// The consent round recorded last, if one was held: the one whose result the decision
    /// holds.
    pub fn consent_round(&self) -> Option<&RoundReference> {
        self.consent_rounds.last()
    }

    /// Every consent round recorded, in order.
    pub fn consent_rounds(&self) -> &[RoundReference] {
        &self.consent_rounds
    }
}

impl Decided {
    /// The consultation it was decided on.
    pub fn consulting(&self) -> &Consulting {
        &self.consulting
    }

    /// The decision taken.
    pub fn taken(&self) -> &DecisionTaken {
        &self.taken
    }

    /// The phase its outcome puts the offer in.
    pub fn phase(&self) -> FundingPhase {
        match self.taken.outcome {
            FundingOutcome::Accept {} => P::Accepted,
            FundingOutcome::AcceptWithConditions { .. } => P::AcceptedWithConditions,
            FundingOutcome::Decline {} => P::Declined,
            FundingOutcome::Defer {} => P::Deferred,
            FundingOutcome::Escalate { .. } => P::Escalated,
        }
    }
}

impl OnRegister {
    /// The decision listed.
    pub fn decided(&self) -> &Decided {
        &self.decided
    }

    /// The public register entry.
    pub fn listing(&self) -> &RegisterListing {
        &self.listing
    }

    /// When it was published.
    pub fn published_at(&self) -> Timestamp {
        self.published_at
    }
}

impl Monitored {
    /// The published decision monitored.
    pub fn listed(&self) -> &OnRegister {
        &self.listed
    }

    /// The review date.
    pub fn review_date(&self) -> Timestamp {
        self.review_date
    }
}

impl ReviewOpened {
    /// The monitoring under review.
    pub fn monitored(&self) -> &Monitored {
        &self.monitored
    }

    /// Why it opened.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Who opened it.
    pub fn by(&self) -> MemberId {
        self.by
    }

    /// When it opened.
    pub fn at(&self) -> Timestamp {
        self.at
    }
}

impl ReviewConcluded {
    /// The monitoring it concluded.
    pub fn monitored(&self) -> &Monitored {
        &self.opened.monitored
    }

    /// The review as it opened.
    pub fn opened(&self) -> &ReviewOpened {
        &self.opened
    }

    /// Whether the arrangement was renewed.
    pub fn renewed(&self) -> bool {
        self.renew
    }

    /// Why.
    pub fn rationale(&self) -> &str {
        &self.rationale
    }

    /// When.
    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// Renewed or ended.
    pub fn phase(&self) -> FundingPhase {
        if self.renew { P::Renewed } else { P::Ended }
    }
}

impl Withdrawal {
    /// The stage the offer was withdrawn from.
    pub fn before(&self) -> &FundingStage {
        &self.before
    }

    /// Why.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Who withdrew it.
    pub fn by(&self) -> MemberId {
        self.by
    }

    /// When.
    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// The withdrawal as a decision record tells it.
    pub(super) fn withdrawn_by(&self) -> crate::values::WithdrawnBy {
        crate::values::WithdrawnBy {
            by: self.by,
            reason: self.reason.clone(),
            at: self.at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::DecisionKind;
    use crate::funding::typestate::tests::{ctx, deciding, route_for, triaged};
    use crate::funding::{
        Funding, FundingEvent, FundingPolicy, FundingProcess, FundingState, Offer, Screened,
    };
    use crate::machine::Decider;

    #[test]
    fn a_triaged_decision_holds_its_tier_and_route_without_an_option() {
        let triaged = triaged();
        let FundingStage::Triaged(tiered) = triaged.decision().stage() else {
            panic!("a triaged decision is in the triaged stage");
        };
        assert_eq!(tiered.tier(), Tier::Zero);
        assert_eq!(tiered.route().tier(), Tier::Zero);
        assert_eq!(triaged.decision().triage(), Some(tiered.triage()));
    }

    #[test]
    fn each_stage_carries_what_the_stages_before_it_gathered() {
        let declined = deciding()
            .decline(ctx(20), vec![MemberId::new(1)], "Not now")
            .unwrap();
        let d = declined.decision();
        let FundingStage::Decided(decided) = d.stage() else {
            panic!("a declined decision is in the decided stage");
        };
        // The outcome is the decision's own, and the phase follows from it.
        assert_eq!(decided.taken().outcome, FundingOutcome::Decline {});
        assert_eq!(decided.phase(), FundingPhase::Declined);
        assert_eq!(d.phase(), FundingPhase::Declined);
        // The consultation, the checks and the triage it was decided on came with it.
        let consulting = decided.consulting();
        assert_eq!(consulting.advice().len(), 1);
        assert!(consulting.diligence().missing_checks().is_empty());
        assert_eq!(consulting.diligence().tiered().tier(), Tier::Zero);
        assert_eq!(d.decided(), Some(decided.taken()));
    }

    #[test]
    fn a_red_line_decline_holds_its_reason_and_no_triage() {
        let offer = Offer::new(
            DecisionKind::Funding,
            "A tobacco company",
            "Tobacco",
            "A grant",
        );
        let route = route_for(&offer);
        let screening = Funding::identify(offer, FundingPolicy::seed(), ctx(0))
            .unwrap()
            .start_screening(ctx(1))
            .unwrap();
        let Screened::Declined(declined) = screening.screen(ctx(2).with_route(&route)).unwrap()
        else {
            panic!("tobacco is a red line");
        };
        let d = declined.decision();
        let FundingStage::DeclinedAtScreening(out) = d.stage() else {
            panic!("declined at screening");
        };
        assert!(!out.hits().is_empty());
        assert_eq!(d.listing(), Some(out.listing()));
        assert_eq!(d.published_at(), Some(ctx(2).now));
        assert_eq!(d.triage(), None);
        assert_eq!(d.decided(), None);
    }

    #[test]
    fn a_withdrawn_offer_keeps_the_stage_it_reached() {
        let withdrawn = triaged().withdraw(ctx(3), "The trust closed").unwrap();
        let d = withdrawn.decision();
        let FundingStage::Withdrawn(w) = d.stage() else {
            panic!("a withdrawn decision is in the withdrawn stage");
        };
        assert!(matches!(w.before(), FundingStage::Triaged(_)));
        assert_eq!(d.stage().reached(), w.before());
        assert_eq!(d.triage().map(|t| t.tier), Some(Tier::Zero));
        assert_eq!(d.ending(), Some(("The trust closed", ctx(3).now)));
    }

    #[test]
    fn an_event_records_only_into_the_stage_that_owns_its_data() {
        let state: FundingState = triaged().into();
        // A check before due diligence has no checklist to go on: the state keeps its
        // stage, and only the time moves.
        let after = FundingProcess::evolve(
            state.clone(),
            &FundingEvent::CheckCompleted {
                check: Check::Reputation,
                evidence: "Checked".to_owned(),
                by: MemberId::new(1),
                at: ctx(5).now,
            },
        );
        let (before, after) = (state.decision().unwrap(), after.decision().unwrap());
        assert_eq!(after.stage(), before.stage());
        assert!(after.checks().is_empty());
        assert_eq!(after.last_at(), ctx(5).now);
    }
}
