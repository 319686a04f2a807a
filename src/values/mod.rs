//! The value-check: does one decision uphold the community's values, and why (or why not)?
//!
//! This is the part of the crate other apps embed on its own. It has four pieces:
//!
//! - a [`Charter`]: the community's core values (the four from the seed community by default:
//!   human, inclusive, transparent, challenging; any set allowed, because values change) and
//!   the rules that test them, with their settings. It is loaded from JSON and validated once.
//! - a [`DecisionRecord`]: the evidence about one decision (who decided, who took part and how
//!   they responded, objections and what became of them, advice, conflicts, access requests,
//!   funder facts, dates, publication). A process projects its state into one; an app can also
//!   build one by hand or read one from JSON. Evidence that was not gathered is left out
//!   (`None`), and a rule that needs it says so.
//! - [`Charter::check`], which is pure, never fails and does no I/O, and returns a
//!   [`ValueReport`]: a [`Verdict`] per value and a [`Finding`] per rule, with the evidence the
//!   rule looked at and a plain-language message.
//! - the gate ([`ValueReport::gate`]): a transition to a decided state passes only when every
//!   blocking finding is overridden (who, why) and every warning acknowledged (with a reason),
//!   and returns a [`GatePassed`] proof that only the gate can make. Rule C4 (red lines) takes
//!   no override. A record may name its [`Subject`], the decision it is about; the proof
//!   carries it, and a typed step that takes the proof accepts only a proof for itself.
//!
//! The 32 built-in rules are in [`rules`]; a community's own rules implement [`ValueRule`].
//!
//! # Fail closed
//!
//! A rule that cannot be evaluated because evidence is missing reports
//! [`Status::NotEvaluated`]. That never leaves its value upheld: the value is at risk, and at
//! the gate a blocking rule that was not evaluated needs an override like a violation.
//!
//! # Verdicts and overrides
//!
//! For each value: **breached** when a blocking rule of that value is violated and no
//! accepted override is recorded for it; **at risk** when a warning rule is violated, any of
//! its rules could not be evaluated, or a blocking violation stands overridden; **upheld**
//! otherwise. An override therefore lowers a breach to "at risk", never to "upheld", and the
//! finding stays in the report with the override beside it. An override of C4 is shown but not
//! accepted, so a failed red-line screen always leaves its value breached. Acknowledgements of
//! warnings do not change the verdict; they only let the gate pass. An override or
//! acknowledgement of a rule the charter does not have clears nothing: the report lists it
//! ([`ValueReport::unknown_rules`]) and the gate refuses the record, naming it. Info rules inform: a
//! violated info rule leaves the verdict as it is (but one that could not be evaluated still
//! puts its value at risk).
//!
//! # Example
//!
//! The seed situation: an Allies Group with fewer members with lived experience than
//! members there in a professional role, deciding on a partnership.
//!
//! ```
//! use coproduction::community::{BodyFigures, BodyId};
//! use coproduction::decision::{DecisionKind, Method};
//! use coproduction::values::{Charter, DecisionRecord, RouteSummary, Status, Verdict};
//!
//! let allies = BodyId::new("allies_group")?;
//! let mut record = DecisionRecord::new(DecisionKind::Partnership);
//! record.route_taken = Some(RouteSummary::new(allies.clone(), Method::Consent));
//! record.body = Some(BodyFigures {
//!     body: allies,
//!     size: 7,
//!     lived_experience: 3,
//!     roles: Default::default(),
//! });
//!
//! let report = Charter::default().check(&record);
//! let i1 = report.finding("I1").expect("a built-in rule");
//! assert_eq!(i1.status, Status::Violated);
//! assert_eq!(report.verdict("inclusive"), Some(Verdict::Breached));
//! assert!(report.gate().is_err());
//! # Ok::<(), coproduction::Error>(())
//! ```

mod charter;
mod gate;
mod ids;
mod record;
mod report;
pub mod rules;
mod subject;

pub use charter::{Charter, CharterError, CharterSpec, CoreValue, RuleSpec};
pub use gate::{
    CharterAdoption, GatePassed, GateRefusal, GateReview, GateSummary, Unmet, UnmetKind,
};
pub use ids::{InvalidId, RuleId, ValueId};
pub use record::{
    AbsenceCounted, AccessRequest, Acknowledgement, AdviceBases, AdviceBasesIter, AdviceBasis,
    AdviceEntry, Attestation, Conflict, Credit, Dates, DecisionRecord, Disposition,
    DueDiligenceCheck, EscalatedFrom, Evidence, EvidenceDates, ExpensesFacts, FunderFacts,
    FundingCondition, ObjectionEntry, Outcome, Override, Participant, Participants, PaymentStatus,
    Proposed, Publication, RaisedAs, RecordedResponse, RecruitmentFacts, Redaction, RegisterEntry,
    RegisterField, Reminder, Restriction, ReviewEnd, ReviewEscalation, ReviewRecord,
    ReviewRoundResult, RoleHandover, RoundHeld, RouteSummary, Rung, Screen, SetAside,
    StakeholderFacts, TestResult, TimeBoxExtension, TimeBoxLapse, Way, WithdrawnBy,
};
pub use report::{CitedIn, Finding, UnknownRule, ValueReport, ValueVerdict, Verdict};
pub use rules::settings::Fraction;
pub use rules::{
    Observation, Observations, Observed, RecordTally, RuleOutcome, Scope, Severity, Status,
    ValueRule,
};
pub use subject::{ProofMismatch, Subject};
