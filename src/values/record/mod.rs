//! [`DecisionRecord`]: the evidence about one decision.
//!
//! Every field is plain data. Evidence that was not gathered is `None` (or left out of the
//! JSON); a rule that needs it reports "could not be evaluated" rather than guessing. Where
//! "recorded as none" differs from "not recorded", the field is an `Option` of a list:
//! `Some(vec![])` says there were none, `None` says nobody recorded.
//!
//! A process projects its state into a record *as it would be after the transition being
//! gated*: a consent round about to adopt fills `outcome: adopted` and `dates.decided_at`
//! with the time of the command.

mod bases;
mod evidence;
mod fact;
mod participants;
mod parts;

use std::borrow::Cow;
use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{BodyFigures, BodyId, MemberId};
use crate::decision::{DecisionKind, Method, Tier};
use crate::evaluation::Evaluation;
use crate::values::{RuleId, Subject};

use fact::{Fact, facts};

pub use bases::{AdviceBases, AdviceBasesIter};
pub use evidence::{Evidence, EvidenceDates};
pub use participants::Participants;
pub use parts::{
    AbsenceCounted, AccessRequest, AdviceBasis, AdviceEntry, Conflict, Credit, Disposition,
    DueDiligenceCheck, ExpensesFacts, FunderFacts, FundingCondition, ObjectionEntry, Participant,
    PaymentStatus, Publication, RaisedAs, RecordedResponse, RecruitmentFacts, Redaction,
    RegisterEntry, RegisterField, Reminder, Restriction, RoleHandover, Rung, Screen, SetAside,
    StakeholderFacts, TestResult, TimeBoxExtension, TimeBoxLapse, Way,
};

/// A route through the community's governance: who decides, how, at what tier, after
/// consulting whom. Compared between the route taken and the route governance gives (T7).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteSummary {
    /// The body that decides.
    pub deciding_body: BodyId,
    /// The method it decides by.
    pub method: Method,
    /// The tier of what is at stake, where the route depends on it.
    pub tier: Option<Tier>,
    /// The bodies consulted first.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub consulted: BTreeSet<BodyId>,
}

impl RouteSummary {
    /// A route with no tier and nobody consulted.
    pub fn new(deciding_body: BodyId, method: Method) -> Self {
        Self {
            deciding_body,
            method,
            tier: None,
            consulted: BTreeSet::new(),
        }
    }

    /// Whether one accountable decider decides (advice process, delegated) rather than a
    /// body responding in a round.
    pub fn single_decider(&self) -> bool {
        matches!(self.method, Method::AdviceProcess | Method::Delegated)
    }
}

/// How the decision ended (or is about to end, in a record projected for the gate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// Adopted or accepted (with or without conditions).
    Adopted,
    /// Declined.
    Declined,
    /// Withdrawn before a decision: nothing was decided.
    Withdrawn,
    /// Deferred: the time box passed.
    Deferred,
    /// Escalated to another body.
    Escalated,
}

/// What was proposed, as the decision's process holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposed {
    /// The proposal's title.
    pub title: String,
    /// The text decided on: the latest version, or, once a later one is being amended
    /// under review, the version the decision was about.
    pub text: String,
    /// The earlier versions of the text, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<String>,
    /// Versions proposed since the one decided, oldest first: an amendment under review,
    /// not decided yet (what was decided stays in force meanwhile).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub since: Vec<String>,
}

/// A review of an agreement in force: why it opened, and how it ended.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRecord {
    /// Its number, from 1.
    pub number: u32,
    /// When it opened.
    pub opened_at: Timestamp,
    /// The member whose objection to the agreement in force opened it; `None` when its
    /// review date came.
    pub objected_by: Option<MemberId>,
    /// Why they objected, in their words.
    pub objection: Option<String>,
    /// The reassessment rounds held for it, in order: a review decided by one is the
    /// round's decision, one without is the steward's alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<crate::journal::StreamId>,
    /// The body a reassessment round the engine ran escalated the review to, which decides
    /// it where it went; `None` when none escalated it, or once a round taking it up there
    /// runs.
    pub escalated_to: Option<BodyId>,
    /// The round that escalated it there (beside [`escalated_to`](Self::escalated_to)): a
    /// take-up that ended deciding nothing after it leaves it escalated by this round.
    #[serde(default)]
    pub escalated_by: Option<crate::journal::StreamId>,
    /// Every escalation of the review by a reassessment round the engine ran, in order:
    /// the way it went to the body that decides it (or decided it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalations: Vec<ReviewEscalation>,
    /// What its reassessment rounds reached, in order, as recorded by the time of the
    /// record: the engine's record of a round it ran, or a member's word for a round kept
    /// elsewhere (which the record's [`attested`](DecisionRecord::attested) lists too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reached: Vec<ReviewRoundResult>,
    /// How it ended; `None` while it runs.
    pub ended: Option<ReviewEnd>,
}

/// What one reassessment round of a review reached: the round, its outcome (and the body,
/// when it escalated), when, and on whose word when the engine did not see it.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRoundResult {
    /// The round.
    pub round: crate::journal::StreamId,
    /// What it reached.
    pub outcome: Outcome,
    /// The body it escalated the review to, when it did.
    pub to: Option<BodyId>,
    /// When the result was recorded.
    pub at: Timestamp,
    /// The member who copied the result in from a round kept elsewhere; `None` when the
    /// engine ran the round and recorded what it reached.
    pub attested_by: Option<MemberId>,
    /// The body whose round it was, for a round the engine ran (filled by
    /// [`Engine::record`](crate::engine::Engine::record): after an escalation, the body
    /// that took the review up); `None` for a round kept elsewhere, and in a record made
    /// without the engine.
    pub body: Option<BodyId>,
    /// Whether a change to the community has dissolved that body since (even one formed
    /// again under its id is another body): the record names it by its id then (filled by
    /// [`Engine::record`](crate::engine::Engine::record); `false` otherwise).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub body_dissolved: bool,
}

/// A review's escalation by a reassessment round the engine ran: the round, the body it
/// went to (whose own round took the review up there), and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewEscalation {
    /// The round that escalated it.
    pub by: crate::journal::StreamId,
    /// The body it went to.
    pub to: BodyId,
    /// When.
    pub at: Timestamp,
    /// Whether a change to the community has dissolved that body since (even one formed
    /// again under its id is another body): the map in force routes the review then
    /// (filled by [`Engine::record`](crate::engine::Engine::record); `false` otherwise).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dissolved: bool,
}

/// How a review of an agreement in force ended.
///
/// JSON: internally tagged by `type`, unknown fields refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ReviewEnd {
    /// The agreement continues until a new review date.
    Continued {
        /// The new review date.
        review_date: Timestamp,
        /// When.
        at: Timestamp,
    },
    /// A new version went back to co-creation; the one in force stays until it is decided.
    Amended {
        /// The new version's number.
        version: u32,
        /// When.
        at: Timestamp,
    },
    /// The agreement was retired.
    Retired {
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
    /// An accepted offer's arrangement was renewed by the deciding body.
    Renewed {
        /// Why.
        rationale: String,
        /// When.
        at: Timestamp,
    },
    /// An accepted offer's arrangement was ended by the deciding body.
    Ended {
        /// Why.
        rationale: String,
        /// When.
        at: Timestamp,
    },
}

impl ReviewEnd {
    /// When the review ended.
    pub fn at(&self) -> Timestamp {
        match self {
            ReviewEnd::Continued { at, .. }
            | ReviewEnd::Amended { at, .. }
            | ReviewEnd::Retired { at, .. }
            | ReviewEnd::Renewed { at, .. }
            | ReviewEnd::Ended { at, .. } => *at,
        }
    }
}

facts! {
    into Dates, named "dates.";
    /// The dates of the decision. Each is `None` until it happens or when not recorded.
    #[serde_with::skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Dates {
        /// When the papers went out.
        pub papers_sent_at: Option<Timestamp>,
        /// When the live session was held.
        pub session_at: Option<Timestamp>,
        /// When the (asynchronous) round opened.
        pub round_opened_at: Option<Timestamp>,
        /// When it closed.
        pub round_closed_at: Option<Timestamp>,
        /// When the decision's written comment window opened (a funding decision's, open
        /// to a body's members before the deciding round).
        pub comment_window_opened_at: Option<Timestamp>,
        /// When that comment window closed: when it was set to, or when the process ended
        /// first (an offer escalated with its round, or withdrawn); `None` while it is open.
        pub comment_window_closed_at: Option<Timestamp>,
        /// When the decision was taken.
        pub decided_at: Option<Timestamp>,
        /// When the decision comes up for review.
        pub review_at: Option<Timestamp>,
        /// When this record was put together: the `now` of the command it was projected for.
        /// Rules about deadlines that fall after the decision (publication) use it to tell "not
        /// yet due" from "overdue".
        pub as_of: Option<Timestamp>,
    }
}

/// A recorded override of a blocking finding: who takes responsibility, and why.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The rule whose finding is overridden.
    pub rule: RuleId,
    /// Who overrides it.
    pub by: MemberId,
    /// Why; a blank reason is not accepted.
    pub reason: String,
    /// When.
    pub at: Option<Timestamp>,
}

impl Override {
    /// An override of `rule`'s blocking finding by `by`, for `reason`, not yet dated (the
    /// engine dates it when it is made).
    pub fn new(rule: RuleId, by: MemberId, reason: impl Into<String>) -> Self {
        Self {
            rule,
            by,
            reason: reason.into(),
            at: None,
        }
    }
}

/// Writes `with_override` and `with_acknowledgement` for a type with `overrides` and
/// `acknowledgements` lists (the record, and the evidence a caller gives), the docs ending
/// with `$who` (who the clearance is made by).
macro_rules! clearance_setters {
    ($who:literal) => {
        #[doc = concat!("Records an override of `rule`'s blocking finding, by `by`", $who, ".")]
        #[must_use]
        pub fn with_override(
            mut self,
            rule: RuleId,
            by: MemberId,
            reason: impl Into<String>,
        ) -> Self {
            self.overrides.push(Override::new(rule, by, reason));
            self
        }

        #[doc = concat!("Records an acknowledgement of `rule`'s warning, by `by`", $who, ".")]
        #[must_use]
        pub fn with_acknowledgement(
            mut self,
            rule: RuleId,
            by: MemberId,
            reason: impl Into<String>,
        ) -> Self {
            self.acknowledgements
                .push(Acknowledgement::new(rule, by, reason));
            self
        }
    };
}
use clearance_setters;

/// A recorded acknowledgement of a warning, with its reason.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// The rule whose warning is acknowledged.
    pub rule: RuleId,
    /// Who acknowledges it.
    pub by: MemberId,
    /// Why it is acceptable here; a blank reason is not accepted.
    pub reason: String,
    /// When.
    pub at: Option<Timestamp>,
}

impl Acknowledgement {
    /// An acknowledgement of `rule`'s warning by `by`, for `reason`, not yet dated (the
    /// engine dates it when it is made).
    pub fn new(rule: RuleId, by: MemberId, reason: impl Into<String>) -> Self {
        Self {
            rule,
            by,
            reason: reason.into(),
            at: None,
        }
    }
}

/// The evidence about one decision.
///
/// Build one with [`DecisionRecord::new`] and set the public fields (struct update syntax
/// keeps a hand-built record short), project one from a process, or read one from JSON
/// (unknown fields are refused).
///
/// # Example
///
/// ```
/// use coproduction::community::MemberId;
/// use coproduction::decision::DecisionKind;
/// use coproduction::values::{DecisionRecord, Participant, RecordedResponse};
///
/// let record = DecisionRecord {
///     rationale: Some("Pilot the working model for six months".into()),
///     participants: Some(vec![
///         Participant::new(MemberId::new(1)).with_lived_experience().responded(RecordedResponse::Consent),
///     ].into()),
///     ..DecisionRecord::new(DecisionKind::WorkingModel)
/// };
/// let json = serde_json::to_string(&record)?;
/// assert_eq!(serde_json::from_str::<DecisionRecord>(&json)?, record);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRecord {
    /// What the decision is about.
    pub kind: DecisionKind,
    /// Which decision this is: the report and the gate's proof carry it, and a typed step
    /// that takes the proof accepts only a proof for itself (see [`Subject`]).
    pub subject: Option<Subject>,
    /// How much is at stake.
    pub tier: Option<Tier>,
    /// How it ended.
    pub outcome: Option<Outcome>,
    /// The route actually taken.
    pub route_taken: Option<RouteSummary>,
    /// The route the governance map gives for this kind, amount and risk.
    pub route_given: Option<RouteSummary>,
    /// The deciding body's make-up when it decided.
    pub body: Option<BodyFigures>,
    /// Who was entitled to decide, with their responses, and the figures about them that
    /// rules read (see [`Participants`]).
    pub participants: Option<Participants>,
    /// What the round's absence policy counts an absence as.
    pub absence_policy: Option<AbsenceCounted>,
    /// Objections and concerns with their dispositions.
    pub objections: Option<Vec<ObjectionEntry>>,
    /// The consultation and advice log.
    pub advice: Option<Vec<AdviceEntry>>,
    /// The make-up of each body whose advice the decision relied on (a body the route
    /// consults, from whose members the record holds advice), as the community records it:
    /// `Some(vec![])` when no body's advice was relied on. The engine fills it; evidence
    /// cannot.
    pub advisers: Option<Vec<BodyFigures>>,
    /// What was proposed: its title and text, and the earlier versions of the text.
    pub proposed: Option<Proposed>,
    /// What was decided, in the words recorded with the outcome ("piloted for six months,
    /// with paid preparation time").
    pub statement: Option<String>,
    /// Why this was decided. Like every text of the record, borrowed when it is static
    /// text and owned otherwise; the JSON is the same string.
    pub rationale: Option<Cow<'static, str>>,
    /// The alternatives considered.
    pub alternatives: Option<Vec<Cow<'static, str>>>,
    /// Access requests and whether they were met.
    pub access_requests: Option<Vec<AccessRequest>>,
    /// The ways offered to take part.
    pub ways_offered: Option<BTreeSet<Way>>,
    /// Expenses facts.
    pub expenses: Option<ExpensesFacts>,
    /// Whether contributors offered payment were signposted to benefits advice.
    pub benefits_advice_signposted: Option<bool>,
    /// Contributors to an output and whether each is credited.
    pub credits: Option<Vec<Credit>>,
    /// Facts about the funder or partner.
    pub funder: Option<FunderFacts>,
    /// Due-diligence checks.
    pub due_diligence: Option<Vec<DueDiligenceCheck>>,
    /// Recruitment facts.
    pub recruitment: Option<RecruitmentFacts>,
    /// Whether the decision is labelled co-produced.
    #[serde(default)]
    pub labelled_coproduced: bool,
    /// The rung of Arnstein's ladder the decision reached.
    pub ladder: Option<Rung>,
    /// Which stakeholder groups took part.
    pub stakeholders: Option<StakeholderFacts>,
    /// The dates.
    #[serde(default)]
    pub dates: Dates,
    /// The publication of the record.
    pub publication: Option<Publication>,
    /// Overrides of blocking findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
    /// Acknowledgements of warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledgements: Vec<Acknowledgement>,
    /// The facts of this record the engine did not witness, each with the member who
    /// attested it and when (filled by the engine from the evidence it journalled; a record
    /// made by hand leaves it empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attested: Vec<Attestation>,
    /// Members reminded to take part, who and when and through which channel (filled by
    /// the engine from the reminders journalled; empty when none were).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reminders: Vec<Reminder>,
    /// The extensions of the round's time box: when, by whom, from, to, why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<TimeBoxExtension>,
    /// The time boxes that passed and the steps the engine took because the round's
    /// configuration chose them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lapses: Vec<TimeBoxLapse>,
    /// Roles of the round handed on from members who had left the community: which, from
    /// whom to whom, by whom, when and why (filled by the round from its own events).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handovers: Vec<RoleHandover>,
    /// The escalated process this one takes up in the body it was escalated to, as the
    /// engine saw it when this one opened (filled by the engine; `None` otherwise).
    pub escalated_from: Option<EscalatedFrom>,
    /// For an escalated process: the process that took the matter up in the body it went
    /// to, and holds it there, as the engine saw it (filled by
    /// [`Engine::record`](crate::engine::Engine::record); evidence a caller supplies cannot
    /// set it). `None` while nobody has, or once a take-up ended deciding nothing.
    pub taken_up_by: Option<crate::journal::StreamId>,
    /// The benefits and impact evaluation of the pilot this decision reassesses (or of
    /// the agreement being piloted): the questions agreed and the evidence recorded, as
    /// the proposal's own events hold them (filled by the proposal and the round held for
    /// it; evidence a caller supplies cannot set it).
    pub evaluation: Option<Evaluation>,
    /// The reviews of the agreement once in force, in order: why each opened (its review
    /// date, or a member's objection) and how it ended (filled by the proposal; evidence a
    /// caller supplies cannot set it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<ReviewRecord>,
    /// Who withdrew the process before it decided, why and when: nobody decided (filled by
    /// the process from its own events; evidence a caller supplies cannot set it).
    pub withdrawn: Option<WithdrawnBy>,
    /// The consent round whose result the decision holds, as its process recorded it (a
    /// funding or partnership decision's): which round, and whether it consented (filled
    /// by the process from its own events; evidence a caller supplies cannot set it).
    pub round_held: Option<RoundHeld>,
    /// The consent rounds recorded for the decision before the one it holds, in order: each
    /// that said what it proposed and did not consent bars that outcome until a round
    /// consents (filled by the process from its own events, like `round_held`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds_before: Vec<RoundHeld>,
}

/// The consent round a decision holds the result of: the round (its stream, for one the
/// engine ran; its reference, for one kept elsewhere and recorded), whether it consented
/// to its proposal, what it proposed where it said, and whether it escalated the matter.
///
/// JSON: `{"reference": "partnership-round", "consented": true, "proposes": "decline"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundHeld {
    /// The round.
    pub reference: String,
    /// Whether it consented.
    pub consented: bool,
    /// What it proposed for the offer, where it said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposes: Option<crate::funding::RoundProposes>,
    /// Whether, rather than consenting or not, it escalated the matter to another body.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub escalated: bool,
}

/// A process withdrawn before it decided: by whom, why, and when.
///
/// JSON: `{"by": 1, "reason": "Opened on the wrong text.", "at": "2022-09-05T09:31:00Z"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawnBy {
    /// The member who withdrew it.
    pub by: MemberId,
    /// Why, in their words.
    pub reason: String,
    /// When.
    pub at: Timestamp,
}

/// The process a decision takes up after it was escalated to the body now deciding: its
/// stream, where it went, how it ended and the objections and concerns it carried, so the
/// history is not lost when the matter moves to a broader body.
///
/// JSON: `{"stream": "working-model-round", "to": "decision_circle", "outcome": "escalated",
/// "objections": [...]}`; an escalated offer adds `funder` and `due_diligence`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalatedFrom {
    /// The escalated process's stream.
    pub stream: crate::journal::StreamId,
    /// The body it was escalated to: the one deciding now.
    pub to: BodyId,
    /// How it ended there, as its record says.
    pub outcome: Option<Outcome>,
    /// When it was escalated: the escalation's own time, as the engine saw it (as its
    /// record dates its decision, for one built from a record alone).
    pub at: Option<Timestamp>,
    /// Its objections and concerns with their dispositions, as its record holds them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objections: Vec<ObjectionEntry>,
    /// The funder or partner of an escalated offer and the red-line screen's verdict, as
    /// its process witnessed them: the body taking the offer up decides on them, and no
    /// member's word may stand in for them.
    pub funder: Option<FunderFacts>,
    /// The due-diligence checks the escalated offer completed, as its process witnessed
    /// them.
    pub due_diligence: Option<Vec<DueDiligenceCheck>>,
    /// The earlier steps, when the escalated process was a take-up that escalated the
    /// matter again: what it had taken up, and so back to the first escalation, latest
    /// first, each step with the objections and concerns raised there, so that none is
    /// lost on the way to the body deciding now. One flat list, however long the chain:
    /// each step's own `earlier` is empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<EscalatedFrom>,
    /// Whether a change to the community had dissolved the body it went to before this
    /// process took it up (even one formed again under its id is another body): the map in
    /// force routed it here instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dissolved: bool,
}

impl EscalatedFrom {
    /// What `record`, the record of the process on `stream` escalated to `to`, hands on.
    pub fn of(stream: crate::journal::StreamId, to: BodyId, record: &DecisionRecord) -> Self {
        Self {
            stream,
            to,
            outcome: record.outcome,
            at: record.dates.decided_at,
            objections: record.objections.clone().unwrap_or_default(),
            funder: record.funder.clone(),
            due_diligence: record.due_diligence.clone(),
            earlier: record
                .escalated_from
                .as_ref()
                .map(|from| from.steps().map(EscalatedFrom::alone).collect())
                .unwrap_or_default(),
            dissolved: false,
        }
    }

    /// This step and the earlier ones, from the latest escalation back to the first (the
    /// steps of a step read from a hand-written record that nests them follow it).
    pub fn steps(&self) -> impl Iterator<Item = &EscalatedFrom> + '_ {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let step = stack.pop()?;
            stack.extend(step.earlier.iter().rev());
            Some(step)
        })
    }

    /// This step alone, without the earlier ones.
    fn alone(&self) -> EscalatedFrom {
        EscalatedFrom {
            earlier: Vec::new(),
            ..self.clone()
        }
    }
}

/// A fact of a decision record that a member attested, rather than the engine witnessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    /// The fact: the record's field (`alternatives`, `dates.papers_sent_at`,
    /// `participants[m13]`...).
    pub fact: String,
    /// Who attested it.
    pub by: MemberId,
    /// When.
    pub at: Timestamp,
}

impl DecisionRecord {
    /// A record of a decision of `kind` with no evidence yet.
    pub fn new(kind: DecisionKind) -> Self {
        Self {
            kind,
            subject: None,
            tier: None,
            outcome: None,
            route_taken: None,
            route_given: None,
            body: None,
            participants: None,
            absence_policy: None,
            objections: None,
            advice: None,
            advisers: None,
            proposed: None,
            statement: None,
            rationale: None,
            alternatives: None,
            access_requests: None,
            ways_offered: None,
            expenses: None,
            benefits_advice_signposted: None,
            credits: None,
            funder: None,
            due_diligence: None,
            recruitment: None,
            labelled_coproduced: false,
            ladder: None,
            stakeholders: None,
            dates: Dates::default(),
            publication: None,
            overrides: Vec::new(),
            acknowledgements: Vec::new(),
            attested: Vec::new(),
            reminders: Vec::new(),
            extensions: Vec::new(),
            lapses: Vec::new(),
            handovers: Vec::new(),
            escalated_from: None,
            taken_up_by: None,
            evaluation: None,
            reviews: Vec::new(),
            withdrawn: None,
            round_held: None,
            rounds_before: Vec::new(),
        }
    }

    /// Names the decision this record is about.
    #[must_use]
    pub fn with_subject(mut self, subject: Subject) -> Self {
        self.subject = Some(subject);
        self
    }

    clearance_setters!("");

    /// Fills what this record does not hold from `evidence`: every field that is `None` (or
    /// empty) here takes `evidence`'s; a route taken by the same body and method takes the
    /// tier and the bodies consulted that `evidence` records; a participant here takes the response, the absence
    /// counted, the payment status and the conflict declaration `evidence` records for the
    /// same member, where it has none;
    /// overrides and acknowledgements are added. What this record already holds is kept:
    /// a process's projection of its own facts wins over what a caller supplies.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::MemberId;
    /// use coproduction::decision::DecisionKind;
    /// use coproduction::values::{Conflict, DecisionRecord, Participant};
    ///
    /// let mut projected = DecisionRecord {
    ///     rationale: Some("From the round".into()),
    ///     participants: Some(vec![Participant::new(MemberId::new(1))].into()),
    ///     ..DecisionRecord::new(DecisionKind::Strategy)
    /// };
    /// projected.supplement(DecisionRecord {
    ///     rationale: Some("From the caller".into()),
    ///     alternatives: Some(vec!["Do nothing".into()]),
    ///     participants: Some(vec![Participant::new(MemberId::new(1)).declared(Conflict::None)].into()),
    ///     ..DecisionRecord::new(DecisionKind::Strategy)
    /// });
    /// assert_eq!(projected.rationale.as_deref(), Some("From the round"));
    /// assert_eq!(projected.alternatives.as_ref().map(Vec::len), Some(1));
    /// assert_eq!(projected.participants.unwrap()[0].conflict, Some(Conflict::None));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn supplement(&mut self, evidence: DecisionRecord) {
        let DecisionRecord {
            kind: _,
            subject,
            tier,
            outcome,
            route_taken,
            route_given,
            body,
            participants,
            absence_policy,
            objections,
            advice,
            advisers,
            proposed,
            statement,
            rationale,
            alternatives,
            access_requests,
            ways_offered,
            expenses,
            benefits_advice_signposted,
            credits,
            funder,
            due_diligence,
            recruitment,
            labelled_coproduced,
            ladder,
            stakeholders,
            dates,
            publication,
            overrides,
            acknowledgements,
            attested,
            reminders,
            extensions,
            lapses,
            handovers,
            escalated_from,
            // Who took an escalated matter up is the engine's witness.
            taken_up_by: _,
            // What a pilot's evaluation holds is witnessed in the proposal's journal, never
            // taken from a caller's evidence.
            evaluation: _,
            // Reviews are the proposal's own events, likewise, as is a withdrawal, and the
            // round a funding decision holds.
            reviews: _,
            withdrawn: _,
            round_held: _,
            rounds_before: _,
        } = evidence;
        self.subject.fill(subject);
        self.tier.fill(tier);
        self.outcome.fill(outcome);
        match (&mut self.route_taken, route_taken) {
            // The same route, told more fully: the tier and who was consulted.
            (Some(mine), Some(theirs))
                if mine.deciding_body == theirs.deciding_body && mine.method == theirs.method =>
            {
                mine.tier.fill(theirs.tier);
                mine.consulted.extend(theirs.consulted);
            }
            (mine, theirs) => mine.fill(theirs),
        }
        self.route_given.fill(route_given);
        self.body.fill(body);
        match (&mut self.participants, participants) {
            (Some(mine), Some(theirs)) => {
                for p in mine.edit().iter_mut() {
                    if let Some(t) = theirs.iter().find(|t| t.member == p.member) {
                        p.response.fill(t.response);
                        p.absence_counted_as.fill(t.absence_counted_as);
                        p.payment.fill(t.payment);
                        p.conflict.fill(t.conflict);
                        p.public_contributor |= t.public_contributor;
                    }
                }
            }
            (mine, theirs) => mine.fill(theirs),
        }
        self.absence_policy.fill(absence_policy);
        self.objections.fill(objections);
        self.advice.fill(advice);
        self.advisers.fill(advisers);
        self.proposed.fill(proposed);
        self.statement.fill(statement);
        self.rationale.fill(rationale);
        self.alternatives.fill(alternatives);
        self.access_requests.fill(access_requests);
        self.ways_offered.fill(ways_offered);
        self.expenses.fill(expenses);
        self.benefits_advice_signposted
            .fill(benefits_advice_signposted);
        self.credits.fill(credits);
        self.funder.fill(funder);
        self.due_diligence.fill(due_diligence);
        self.recruitment.fill(recruitment);
        self.labelled_coproduced |= labelled_coproduced;
        self.ladder.fill(ladder);
        self.stakeholders.fill(stakeholders);
        self.dates.fill(dates);
        self.publication.fill(publication);
        self.escalated_from.fill(escalated_from);
        self.overrides.extend(overrides);
        self.acknowledgements.extend(acknowledgements);
        self.attested.extend(attested);
        // What the process witnessed of time is the process's own: taken only where this
        // record holds none.
        if self.reminders.is_empty() {
            self.reminders = reminders;
        }
        if self.extensions.is_empty() {
            self.extensions = extensions;
        }
        if self.lapses.is_empty() {
            self.lapses = lapses;
        }
        if self.handovers.is_empty() {
            self.handovers = handovers;
        }
    }

    /// Marks each participant who is not a member of `community` (the community as it stood
    /// at the decision) as having left it ([`Participant::left`]).
    pub fn mark_left(&mut self, community: &crate::community::Community) {
        for p in self.participants.iter_mut().flat_map(|p| p.edit()) {
            p.left = community.member(p.member).is_none();
        }
    }

    /// The tier: the record's own, else the route taken's.
    pub fn effective_tier(&self) -> Option<Tier> {
        self.tier
            .or_else(|| self.route_taken.as_ref().and_then(|r| r.tier))
    }

    /// Whether the decision is about money or an outside organisation (funding,
    /// partnership), where the funding rules apply.
    pub fn is_funding(&self) -> bool {
        matches!(self.kind, DecisionKind::Funding | DecisionKind::Partnership)
    }

    /// Whether `member` was reminded to take part before the round closed (at any time,
    /// when the record has no closing date): what rules C1 and I5 take into account where
    /// the charter says so.
    pub fn reminded_in_time(&self, member: MemberId) -> bool {
        let closed = self.dates.round_closed_at;
        self.reminders
            .iter()
            .any(|r| r.members.contains(&member) && closed.is_none_or(|c| r.at <= c))
    }

    /// Whether this is an offer declined at the red-line screen: declined, with the funder
    /// failing the screen. A red line is declined automatically, so nobody deliberated: the
    /// rules about how people took part do not judge it (see
    /// [`Scope`](crate::values::Scope)).
    pub fn declined_at_red_line(&self) -> bool {
        self.outcome == Some(Outcome::Declined)
            && self
                .funder
                .as_ref()
                .is_some_and(|f| f.red_line_screen == Some(Screen::Failed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_record_reads_from_just_a_kind() {
        let r: DecisionRecord = serde_json::from_str(r#"{"kind":"funding"}"#).unwrap();
        assert_eq!(r, DecisionRecord::new(DecisionKind::Funding));
        assert!(serde_json::from_str::<DecisionRecord>(r#"{"kind":"funding","junk":1}"#).is_err());
        assert!(
            serde_json::from_str::<DecisionRecord>(r#"{"kind":"funding","dates":{"x":1}}"#)
                .is_err()
        );
    }

    #[test]
    fn a_record_takes_only_the_dates_it_does_not_hold() {
        let at = |s: i64| Some(Timestamp::from_second(s).unwrap());
        let mut record = DecisionRecord::new(DecisionKind::Strategy);
        record.dates.decided_at = at(2);
        let mut evidence = DecisionRecord::new(DecisionKind::Strategy);
        evidence.dates.decided_at = at(1);
        evidence.dates.session_at = at(1);
        record.supplement(evidence);
        assert_eq!(record.dates.decided_at, at(2));
        assert_eq!(record.dates.session_at, at(1));
        assert_eq!(record.dates.review_at, None);
    }
}
