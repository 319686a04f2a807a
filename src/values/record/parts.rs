//! The pieces of evidence a [`DecisionRecord`](super::DecisionRecord) holds.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{AccessNeedKind, MemberId};

use super::AdviceBases;

/// How a participant responded in the deciding round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RecordedResponse {
    /// Consented.
    Consent,
    /// Consented and logged a concern.
    ConsentWithConcern,
    /// Objected, with a reason.
    Objection,
    /// Stood aside (where the method allows it).
    StandAside,
    /// Did not respond; how the absence was counted is in
    /// [`Participant::absence_counted_as`].
    Absent,
}

/// What an absence was counted as, under the round's absence policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AbsenceCounted {
    /// Counted as consent ("silence is consent").
    Consent,
    /// Counted as an objection: the round could not close without them.
    Objection,
    /// Not counted either way.
    NotCounted,
}

/// Whether a participant was offered payment for taking part (NIHR reciprocity: contributors
/// are paid, and may decline).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentStatus {
    /// No payment was offered.
    NotOffered,
    /// Payment was offered; the answer is not recorded.
    Offered,
    /// Payment was offered and accepted.
    Accepted,
    /// Payment was offered and declined.
    Declined,
}

impl PaymentStatus {
    /// Whether payment was offered at all.
    pub fn was_offered(self) -> bool {
        !matches!(self, PaymentStatus::NotOffered)
    }
}

/// A decider's declaration of conflicts of interest for this item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Conflict {
    /// Declared no conflict.
    None,
    /// Declared a conflict and stepped out of the decision.
    DeclaredAndRecused,
    /// Declared a conflict and still took part in deciding.
    DeclaredAndTookPart,
}

impl Conflict {
    /// What a declaration makes of a member's part: a member who stepped out after their
    /// response was counted took part all the same (the response stands in the tally), as
    /// one who declared an interest and stayed in did.
    pub fn as_taken(self, responded: bool) -> Conflict {
        match self {
            Conflict::DeclaredAndRecused if responded => Conflict::DeclaredAndTookPart,
            other => other,
        }
    }
}

/// One member entitled to decide: in a round, one member of the eligibility snapshot; in an
/// advice or delegated decision, the decider.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// The member.
    pub member: MemberId,
    /// Whether the member brings lived experience.
    #[serde(default)]
    pub lived_experience: bool,
    /// Whether the member takes part as a public contributor (a community member or
    /// co-producer, not someone paid by salary to be there).
    #[serde(default)]
    pub public_contributor: bool,
    /// Their response in the deciding round; `None` when they gave none (not even an
    /// absence counted by policy).
    pub response: Option<RecordedResponse>,
    /// For an absence: what it was counted as.
    pub absence_counted_as: Option<AbsenceCounted>,
    /// For a public contributor: whether payment was offered; `None` when not recorded.
    pub payment: Option<PaymentStatus>,
    /// Their declaration of conflicts of interest; `None` when they made none.
    pub conflict: Option<Conflict>,
    /// The interest they declared, in their words, when they declared one.
    pub interest: Option<String>,
    /// Why they stepped out of the decision, in their words, when they did.
    pub stepped_out: Option<String>,
    /// The supporter who gave their response on their behalf, when one did.
    pub proxy: Option<MemberId>,
    /// Whether the member had left the community by the decision (by the time of the
    /// record, before one; filled by the engine): a response they gave stands, and nothing
    /// more is asked of them (rules C1 and T4 do not count them as silent or undeclared).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub left: bool,
}

impl Participant {
    /// Whether the member's response counts: given, and not an absence.
    pub fn has_responded(&self) -> bool {
        self.response.is_some_and(|r| r != RecordedResponse::Absent)
    }

    /// A participant with nothing recorded but their id.
    pub fn new(member: MemberId) -> Self {
        Self {
            member,
            lived_experience: false,
            public_contributor: false,
            response: None,
            absence_counted_as: None,
            payment: None,
            conflict: None,
            interest: None,
            stepped_out: None,
            proxy: None,
            left: false,
        }
    }

    /// Records that the member brings lived experience.
    #[must_use]
    pub fn with_lived_experience(mut self) -> Self {
        self.lived_experience = true;
        self
    }

    /// Records the member as a public contributor, with their payment status.
    #[must_use]
    pub fn contributor(mut self, payment: PaymentStatus) -> Self {
        self.public_contributor = true;
        self.payment = Some(payment);
        self
    }

    /// Records the payment offered the member, and how they took it.
    #[must_use]
    pub fn paid(mut self, payment: PaymentStatus) -> Self {
        self.payment = Some(payment);
        self
    }

    /// Records the member's response.
    #[must_use]
    pub fn responded(mut self, response: RecordedResponse) -> Self {
        self.response = Some(response);
        self
    }

    /// Records the member as absent, counted as `counted`.
    #[must_use]
    pub fn absent(mut self, counted: AbsenceCounted) -> Self {
        self.response = Some(RecordedResponse::Absent);
        self.absence_counted_as = Some(counted);
        self
    }

    /// Records the member's declaration of conflicts.
    #[must_use]
    pub fn declared(mut self, conflict: Conflict) -> Self {
        self.conflict = Some(conflict);
        self
    }
}

/// Whether something was raised as an objection or as a concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RaisedAs {
    /// An argued harm or risk: it stops adoption until integrated.
    Objection,
    /// A worry that is recorded but does not stop adoption.
    Concern,
}

/// The facilitator's recorded test of an objection's logic (never of its accuracy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TestResult {
    /// The objection passed the validity tests.
    Valid,
    /// The objection failed them (it must be kept as a concern).
    NotValid,
}

/// What became of an objection or concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Disposition {
    /// Integrated by an amendment; the objector and proposer confirmed.
    Integrated,
    /// Kept in the record as a concern.
    LoggedAsConcern,
    /// Not integrated; [`ObjectionEntry::reason`] says why.
    NotIntegrated,
    /// Withdrawn by the person who raised it.
    Withdrawn,
}

/// One objection or concern and what became of it.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectionEntry {
    /// Who raised it.
    pub by: MemberId,
    /// Objection or concern.
    pub raised_as: RaisedAs,
    /// The recorded validity test, if one was run.
    pub test: Option<TestResult>,
    /// What became of it; `None` while it is open.
    pub disposition: Option<Disposition>,
    /// The reason for the disposition (required for "not integrated").
    pub reason: Option<String>,
    /// What was said, in the words of the member who raised it.
    pub text: Option<String>,
    /// The amendments that answered it, in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amended_by: Vec<String>,
    /// Who took it back for the member who raised it, when someone else did: their
    /// supporter, whose later response for them replaced it. `None` when the member took
    /// it back themselves, or it stands.
    pub taken_back_by: Option<MemberId>,
}

impl ObjectionEntry {
    /// An open entry raised by `by`.
    pub fn new(by: MemberId, raised_as: RaisedAs) -> Self {
        Self {
            by,
            raised_as,
            test: None,
            disposition: None,
            reason: None,
            text: None,
            amended_by: Vec::new(),
            taken_back_by: None,
        }
    }

    /// Records what was said.
    #[must_use]
    pub fn saying(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// Records the validity test.
    #[must_use]
    pub fn tested(mut self, result: TestResult) -> Self {
        self.test = Some(result);
        self
    }

    /// Records the disposition.
    #[must_use]
    pub fn disposed(mut self, disposition: Disposition) -> Self {
        self.disposition = Some(disposition);
        self
    }

    /// Whether it is kept in the record as a concern (raised as one, or logged as one).
    pub fn is_concern(&self) -> bool {
        self.raised_as == RaisedAs::Concern
            || self.disposition == Some(Disposition::LoggedAsConcern)
    }
}

/// On what footing a piece of advice was sought (advice process: everyone affected and
/// people with expertise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AdviceBasis {
    /// The adviser is affected by the decision.
    Affected,
    /// The adviser has relevant expertise.
    Expertise,
    /// The adviser is a co-producer with lived experience.
    LivedExperience,
    /// The adviser speaks as a critical friend (the Allies Group).
    CriticalFriend,
}

/// One entry of the consultation and advice log.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdviceEntry {
    /// Who gave the advice.
    pub from: MemberId,
    /// On what footing.
    pub bases: AdviceBases,
    /// The advice, in the adviser's words.
    pub text: Option<String>,
    /// When it was given.
    pub given_at: Option<Timestamp>,
    /// The decider's answer to it; advice is not binding but must be answered. Borrowed
    /// when it is static text (an answer a tool gives every entry alike), so such a record
    /// makes no allocation per entry for it; owned otherwise. The JSON is the same string.
    pub answer: Option<Cow<'static, str>>,
}

/// A ways to take part in a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Way {
    /// A live session, in person or online.
    Live,
    /// A written submission.
    Written,
    /// An asynchronous round open for days.
    Asynchronous,
}

/// A member's access request and whether it was met.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessRequest {
    /// Who asked.
    pub member: MemberId,
    /// What they need.
    pub need: AccessNeedKind,
    /// When it was met; `None` if it was not.
    pub met_at: Option<Timestamp>,
    /// The adjustment made, in words. Borrowed when it is static text (one of an app's
    /// fixed adjustments), so such a request makes no allocation for it; owned otherwise.
    /// The JSON is the same string.
    pub adjustment: Option<Cow<'static, str>>,
}

/// Members reminded to take part, as the app that reminded them reported it and a member
/// who runs the process recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reminder {
    /// Who was reminded, in id order.
    pub members: Vec<MemberId>,
    /// Through which channel, as the app names it (`email`, `sms`, `post`...).
    pub channel: String,
    /// Who recorded the reminder.
    pub by: MemberId,
    /// When.
    pub at: Timestamp,
}

/// A time box extended by the round's facilitator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeBoxExtension {
    /// When the box ended before.
    pub from: Timestamp,
    /// When it ends after.
    pub to: Timestamp,
    /// Why.
    pub reason: String,
    /// Who extended it.
    pub by: MemberId,
    /// When.
    pub at: Timestamp,
}

/// A role of a round handed on from a member who had left the community.
///
/// JSON: `{"role": "secretary", "from": 3, "to": 2, "reason": "Member 3 left", "by": 2,
/// "at": "2022-03-01T10:40:00Z"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleHandover {
    /// The role: `secretary` or `facilitator`.
    pub role: String,
    /// Who held it.
    pub from: MemberId,
    /// Who holds it after.
    pub to: MemberId,
    /// Why.
    pub reason: String,
    /// Who handed it on.
    pub by: MemberId,
    /// When.
    pub at: Timestamp,
}

/// A time box that passed, and the step the engine took for it because the round's
/// configuration chose it (what followed is in the outcome).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeBoxLapse {
    /// When the box ended.
    pub ended: Timestamp,
    /// The configured rule that made the step (`defer`, `close_with_those_heard`).
    pub rule: String,
    /// When the engine took the step.
    pub at: Timestamp,
}

/// Facts about expenses for taking part.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpensesFacts {
    /// Whether an expenses policy applies to this decision's contributors.
    pub policy_applies: bool,
    /// The longest wait, in days, from a claim to its reimbursement; `None` if no claim has
    /// been made yet.
    pub longest_wait_days: Option<u32>,
}

/// Whether a contributor to an output was credited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    /// The contributor.
    pub member: MemberId,
    /// Whether the output credits them (or they asked not to be named).
    pub credited: bool,
}

/// The result of the red-line screen for a funder or partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Screen {
    /// No red line is crossed.
    Passed,
    /// A red-line sector or a sanctions hit.
    Failed,
}

/// What a funding condition restricts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Restriction {
    /// Free publication of findings or records.
    Publication,
    /// Contributors' voice: what they may say, and where.
    Voice,
}

/// One condition attached to funding or a partnership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingCondition {
    /// The condition, in words.
    pub text: String,
    /// What it restricts, if anything.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub restricts: BTreeSet<Restriction>,
}

/// One of the offer's conditions that the community did not accept, and why: it does not
/// stand. Named by its words as the offer states them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetAside {
    /// The offer's condition, word for word.
    pub condition: String,
    /// Why it does not stand (the community's counter-condition, say).
    pub reason: String,
}

/// A field the public funding register lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegisterField {
    /// Who the funder or partner is.
    Funder,
    /// The amount, as a band.
    AmountBand,
    /// The conditions attached.
    Conditions,
    /// The route by which it was decided.
    Route,
}

impl RegisterField {
    /// Every field, in order.
    pub const ALL: [RegisterField; 4] = [
        RegisterField::Funder,
        RegisterField::AmountBand,
        RegisterField::Conditions,
        RegisterField::Route,
    ];

    /// The stable `snake_case` name.
    pub fn label(self) -> &'static str {
        match self {
            RegisterField::Funder => "funder",
            RegisterField::AmountBand => "amount_band",
            RegisterField::Conditions => "conditions",
            RegisterField::Route => "route",
        }
    }
}

/// The entry in the public register of funding and partnerships.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterEntry {
    /// The fields the entry lists.
    pub listed: BTreeSet<RegisterField>,
    /// The legal reason some are not listed, if any.
    pub withheld_reason: Option<String>,
}

/// Facts about a funder or partner.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunderFacts {
    /// Who the funder or partner is (borrowed when static text, as every text of the
    /// record may be; the JSON is the same string).
    pub funder: Cow<'static, str>,
    /// The amount as a band (`"under 5k"`), if money is involved.
    pub amount_band: Option<Cow<'static, str>>,
    /// The red-line screen's result; `None` if not run.
    pub red_line_screen: Option<Screen>,
    /// The funder's sector as the red-line screen read it; `None` if not recorded. A reader
    /// sees what was screened, not only that the screen passed.
    pub sector: Option<Cow<'static, str>>,
    /// Why the offer is in its tier, in words, each with the tier it calls for (`"the
    /// amount, £12000 (tier 1)"`, `"a condition restricts free publication (tier 2)"`);
    /// empty when not triaged or not recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tier_reasons: Vec<Cow<'static, str>>,
    /// The funder's conditions that stand: the offer's, less those set aside.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<FundingCondition>,
    /// The community's own conditions, which stand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub own_conditions: Vec<FundingCondition>,
    /// The funder's conditions that do not stand, each with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<SetAside>,
    /// The public register entry; `None` if there is none yet.
    pub register: Option<RegisterEntry>,
}

impl FunderFacts {
    /// A funder with nothing else recorded.
    pub fn new(funder: impl Into<Cow<'static, str>>) -> Self {
        Self {
            funder: funder.into(),
            amount_band: None,
            red_line_screen: None,
            sector: None,
            tier_reasons: Vec::new(),
            conditions: Vec::new(),
            own_conditions: Vec::new(),
            set_aside: Vec::new(),
            register: None,
        }
    }

    /// Every condition that stands: the funder's not set aside, then the community's own.
    pub fn standing(&self) -> impl Iterator<Item = &FundingCondition> {
        self.conditions.iter().chain(&self.own_conditions)
    }
}

/// One due-diligence check.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DueDiligenceCheck {
    /// What is checked (`"legal_and_sanctions"`, `"reputation"`, `"ethics_and_mission"`...):
    /// borrowed when static text (a check's label), so a checklist makes no allocation per
    /// check; owned otherwise. The JSON is the same string.
    pub check: Cow<'static, str>,
    /// Whether the tier requires it.
    pub required: bool,
    /// When it was completed; `None` if not.
    pub completed_at: Option<Timestamp>,
    /// Who completed it; `None` if not completed, or not recorded. Anyone may complete a
    /// check, so who did is what a reader weighs it by.
    pub by: Option<MemberId>,
    /// What they found, in their words; `None` if not completed, or not recorded.
    pub evidence: Option<String>,
}

impl DueDiligenceCheck {
    /// A check named `check`, required by the tier or not, completed at `completed_at`,
    /// with nobody named for it and no evidence recorded.
    pub fn new(
        check: impl Into<Cow<'static, str>>,
        required: bool,
        completed_at: Option<Timestamp>,
    ) -> Self {
        Self {
            check: check.into(),
            required,
            completed_at,
            by: None,
            evidence: None,
        }
    }
}

/// Facts about a recruitment (an inclusive, open and fair process).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecruitmentFacts {
    /// When the advert opened.
    pub advert_opened_at: Option<Timestamp>,
    /// When it closed.
    pub advert_closed_at: Option<Timestamp>,
    /// The ways offered to apply (`"online form"`, `"video"`, `"phone"`).
    #[serde(default)]
    pub ways_to_apply: BTreeSet<String>,
    /// When the selection criteria were published.
    pub criteria_published_at: Option<Timestamp>,
    /// How many panel members bring lived experience; `None` if not recorded.
    pub panel_with_lived_experience: Option<u32>,
}

impl RecruitmentFacts {
    /// How many ways to apply there are, told apart by their letters as they read: case,
    /// spacing, hyphens, punctuation, invisible characters and lookalike letters make no
    /// second way, and a way with no letter or digit is none (the count rule I6 reads).
    ///
    /// ```
    /// use coproduction::values::RecruitmentFacts;
    ///
    /// let facts = RecruitmentFacts {
    ///     ways_to_apply: ["phone", "Phone ", "e-mail", "email", "--"]
    ///         .into_iter()
    ///         .map(String::from)
    ///         .collect(),
    ///     ..RecruitmentFacts::default()
    /// };
    /// assert_eq!(facts.distinct_ways(), 2);
    /// ```
    pub fn distinct_ways(&self) -> usize {
        self.ways_to_apply
            .iter()
            .filter_map(|way| way_key(way))
            .collect::<BTreeSet<String>>()
            .len()
    }
}

/// What tells a way to apply from another: how it reads
/// ([`reads_as`](crate::limits::reads_as)). `None` for a way with no letter or digit (blank,
/// or symbols alone): nothing says what it is.
fn way_key(way: &str) -> Option<String> {
    let key = crate::limits::reads_as(way);
    (!key.is_empty()).then_some(key)
}

/// A rung of Arnstein's ladder of citizen participation, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rung {
    /// 1: non-participation.
    Manipulation,
    /// 2: non-participation.
    Therapy,
    /// 3: tokenism.
    Informing,
    /// 4: tokenism.
    Consultation,
    /// 5: tokenism (a few community members kept a minority on a board).
    Placation,
    /// 6: power shared.
    Partnership,
    /// 7: power delegated.
    DelegatedPower,
    /// 8: citizen control.
    CitizenControl,
}

/// Which stakeholder groups took part, and the reasons any did not.
#[serde_with::serde_as]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StakeholderFacts {
    /// The groups that took part (each borrowed when static text, as a community's fixed
    /// group names are; the JSON is the same strings).
    #[serde(default)]
    pub took_part: BTreeSet<Cow<'static, str>>,
    /// For a group that did not: the recorded reason. A group named twice is refused.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[serde_as(as = "serde_with::MapPreventDuplicates<_, _>")]
    pub waivers: BTreeMap<String, String>,
}

/// A part of the published record withheld, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redaction {
    /// What was withheld.
    pub what: String,
    /// Why.
    pub reason: String,
}

/// The publication of the decision record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// When it was published.
    pub published_at: Timestamp,
    /// What was withheld, each with its reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redactions: Vec<Redaction>,
}
