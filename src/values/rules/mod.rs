//! The rules that test a decision against the community's values.
//!
//! Each rule is a small type implementing [`ValueRule`]: an id, the value it serves, a
//! severity (which may depend on the record), whether an override is accepted, and a check
//! that returns a [`RuleOutcome`] with the evidence it looked at and a plain-language message.
//!
//! The 32 built-in rules model the table of the crate's process notes, one file per value:
//! [`human`] (H1-H6), [`inclusive`] (I1-I9), [`transparent`] (T1-T9) and [`challenging`]
//! (C1-C8). A charter names them by id and gives their settings; a community's own rules
//! implement [`ValueRule`] and are added in code with
//! [`Charter::with_rule`](super::Charter::with_rule).
//!
//! **What a rule judges.** Each rule has a [`Scope`]: every decision, those people took
//! part in, those they reached, or acceptances. The charter reports a rule out of scope not
//! applicable, saying why, before it runs. So an offer declined automatically at the
//! red-line screen ([`DecisionRecord::declined_at_red_line`]), which nobody deliberated, is
//! judged only by C4 (declining it is the red line held), T1 (its reason published in time)
//! and T2 (its reason recorded); a withdrawal by the rules about taking part and
//! publication; a decline by all but the rules about what an acceptance commits to. A
//! built-in rule names its scope in its declaration, after its severity:
//! `RationaleRecorded, "T2", transparent, Blocking, Every, reads ["rationale", "alternatives"] {}`,
//! and after it the fields of the record it reads, which make the table of the evidence each
//! built-in rule needs (`evidence.md`, shown on [`Charter`](super::Charter), kept equal to the
//! declarations by a unit test).
//!
//! # Example: a custom rule
//!
//! ```
//! use coproduction::decision::DecisionKind;
//! use coproduction::values::{
//!     Charter, DecisionRecord, RuleId, RuleOutcome, Severity, Status, RecordTally, ValueId, ValueRule,
//! };
//!
//! /// Every decision names at least three alternatives.
//! #[derive(Debug)]
//! struct ThreeAlternatives {
//!     id: RuleId,
//!     value: ValueId,
//! }
//!
//! impl ValueRule for ThreeAlternatives {
//!     fn id(&self) -> RuleId { self.id.clone() }
//!     fn value(&self) -> &ValueId { &self.value }
//!     fn severity(&self, _: &DecisionRecord) -> Severity { Severity::Warning }
//!     fn check(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
//!         match &record.alternatives {
//!             None => RuleOutcome::not_evaluated("alternatives"),
//!             Some(a) if a.len() >= 3 => RuleOutcome::satisfied("three or more alternatives"),
//!             Some(a) => RuleOutcome::violated("fewer than three alternatives")
//!                 .with("alternatives", a.len()),
//!         }
//!     }
//! }
//!
//! let rule = ThreeAlternatives {
//!     id: RuleId::new("X-three-alternatives")?,
//!     value: ValueId::challenging(),
//! };
//! let charter = Charter::default().with_rule(rule)?;
//! let report = charter.check(&DecisionRecord::new(DecisionKind::Strategy));
//! let finding = report.finding("X-three-alternatives").expect("the rule's finding");
//! assert_eq!(finding.status, Status::NotEvaluated);
//! # Ok::<(), coproduction::Error>(())
//! ```
//!
//! # Writing a built-in rule
//!
//! A built-in rule is declared with the crate's `builtin!` macro in the file of its value, and
//! listed in `registry.rs`. The declaration names the rule's type, id, seed value and
//! severity, and each of its settings with its type, its default and the values it allows;
//! the rule's own code is an `evaluate` method, which takes a field it cannot judge without
//! as `recorded!(record.field)`: the recorded value, or else "could not be evaluated" naming
//! the field. A severity that depends on the record is
//! written `by METHOD`, naming a method of the rule that gives it (I1:
//! `LivedExperienceShare, "I1", inclusive, by severity_for, Reached, ...`), and a red line
//! that no override clears `Blocking never overridden` (C4). From each setting's one line
//! follow:
//!
//! - the charter entry's field of that name: read as the setting's type, refused outside its
//!   range or not of its type with [`CharterError::OutOfRange`](super::CharterError::OutOfRange)
//!   naming the rule, the setting and what it allows, and refused on any other rule with
//!   [`CharterError::SettingNotUsed`](super::CharterError::SettingNotUsed);
//! - the default, when the entry leaves it out;
//! - the entry spelled out by [`Charter::to_spec`](super::Charter::to_spec), in the order
//!   declared, and so the charter's [hash](super::Charter::hash);
//! - a decision kind it names checked against the charter's `custom_kinds`;
//! - its line in the rule type's documentation, and its row of the settings table on
//!   [`RuleSpec`](super::RuleSpec) (`settings.md`, which a unit test keeps equal to the
//!   table the declarations make, printing the new table when they differ).
//!
//! A setting's allowed values are written one of two ways:
//!
//! - `range LO..=HI UNIT`, for a number: `max_reimburse_days: u32 = 30, range 1..=365 days`
//!   allows 1 to 365, and says so as "1 to 365 days";
//! - `allowed "WORDS"`, for any value of the type, or `allowed "WORDS" if CHECK`, where
//!   `CHECK` is a `fn(&T) -> Result<(), String>` returning the refused part of a value as
//!   text (see `settings::proper` and `settings::non_blank`). A setting's type implements the
//!   crate's `Setting` trait, which says which decision kinds a value names.
//!
//! ## Adding a setting
//!
//! Adding a setting is one declaration. Say I3 should ask for a number of ways to take part
//! instead of two. The whole change to the charter side is the setting's line:
//!
//! ```diff
//!  builtin! {
//!      /// I3 (warning): at least `min_ways` ways to take part were offered ...
//! -    WaysToTakePart, "I3", inclusive, Warning {}
//! +    WaysToTakePart, "I3", inclusive, Warning {
//! +        /// The least number of ways to take part offered.
//! +        min_ways: u32 = 2, range 1..=3 ways,
//! +    }
//!  }
//! ```
//!
//! and `self.min_ways` where the check counted to two. A charter may then give
//! `{"id": "I3", "min_ways": 3}`, is refused `"min_ways": 4` ("cannot load rule `I3`: field
//! `min_ways` is 4, expected 1 to 3 ways"), and spells out `"min_ways": 2` when it gives
//! none. The settings table test then prints the table with the new row, for `settings.md`.
//! The unit test `adding_a_setting_is_one_declaration` in this module declares such a rule and
//! checks each of these.

pub mod challenging;
pub mod human;
pub mod inclusive;
mod observations;
mod observed;
pub(crate) mod registry;
pub(crate) mod settings;
pub mod transparent;

use std::borrow::Cow;
use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::MemberId;
use crate::values::record::{
    AbsenceCounted, Conflict, DecisionRecord, Outcome, Participant, PaymentStatus, RecordedResponse,
};
use crate::values::{RuleId, ValueId};

pub use observations::Observations;
pub use observed::Observed;

/// How much a violated rule weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// Informs; never stops a transition.
    Info,
    /// Needs an acknowledgement with a reason before the transition.
    Warning,
    /// Stops the transition unless an override (who, why) is recorded.
    Blocking,
}

impl Severity {
    /// The stable `snake_case` name.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Blocking => "blocking",
        }
    }
}

/// What a rule found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// The evidence shows the rule is kept.
    Satisfied,
    /// The evidence shows the rule is broken.
    Violated,
    /// The rule does not apply to this decision.
    NotApplicable,
    /// Evidence the rule needs is missing; treated as a risk, never as kept.
    NotEvaluated,
}

impl Status {
    /// The stable `snake_case` name.
    pub fn label(self) -> &'static str {
        match self {
            Status::Satisfied => "satisfied",
            Status::Violated => "violated",
            Status::NotApplicable => "not_applicable",
            Status::NotEvaluated => "not_evaluated",
        }
    }

    /// Whether the finding needs an override or acknowledgement at the gate: a violation,
    /// or (failing closed) a rule that could not be evaluated.
    pub fn is_unmet(self) -> bool {
        matches!(self, Status::Violated | Status::NotEvaluated)
    }
}

/// One fact a rule looked at: which field of the record, and what it held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// The record field (or derived figure) looked at.
    pub field: Cow<'static, str>,
    /// What it held, in words (inline when short: see [`Observed`]).
    pub observed: Observed,
}

/// What a rule returns: its status, a plain-language message and the evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOutcome {
    /// What the rule found.
    pub status: Status,
    /// Why, in plain language.
    pub message: Cow<'static, str>,
    /// What it looked at.
    pub evidence: Observations,
}

impl RuleOutcome {
    fn new(status: Status, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            message: message.into(),
            evidence: Observations::new(),
        }
    }

    /// The rule is kept.
    pub fn satisfied(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Status::Satisfied, message)
    }

    /// The rule is broken.
    pub fn violated(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Status::Violated, message)
    }

    /// The rule does not apply; the message says why.
    pub fn not_applicable(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Status::NotApplicable, message)
    }

    /// Evidence the rule needs is missing: `field` names it.
    pub fn not_evaluated(field: &'static str) -> Self {
        Self {
            status: Status::NotEvaluated,
            message: Cow::Owned(format!("could not be evaluated: {field} is not recorded")),
            evidence: Observations::from_iter([Observation {
                field: Cow::Borrowed(field),
                observed: Observed::from("not recorded"),
            }]),
        }
    }

    /// Adds a count as a piece of evidence: the same observation as
    /// [`with`](Self::with) makes of it, written without the formatting machinery (most
    /// of the evidence a check gathers is counts).
    #[must_use]
    #[inline(always)]
    pub fn with_count(mut self, field: &'static str, count: usize) -> Self {
        self.evidence.push(Observation {
            field: Cow::Borrowed(field),
            observed: Observed::from(count),
        });
        self
    }

    /// Adds a piece of evidence.
    #[must_use]
    #[inline]
    pub fn with(mut self, field: &'static str, observed: impl fmt::Display) -> Self {
        self.evidence.push(Observation {
            field: Cow::Borrowed(field),
            observed: Observed::from(format_args!("{observed}")),
        });
        self
    }
}

/// A rule that tests a decision against one of the community's values.
///
/// Object safe and `Send + Sync`, so a charter can hold any mix of rules and be shared
/// across threads. `check` must be pure: it looks at the record (and the [`RecordTally`] made from
/// it once per check) and nothing else.
pub trait ValueRule: fmt::Debug + Send + Sync {
    /// The rule's id; unique within a charter.
    fn id(&self) -> RuleId;
    /// The value the rule serves; the charter must declare it. Read once, when the rule is
    /// added to a charter.
    fn value(&self) -> &ValueId;
    /// How much a violation weighs for this record.
    fn severity(&self, record: &DecisionRecord) -> Severity;
    /// Whether an override is accepted for a blocking finding. Only red lines say no. Read
    /// once, when the rule is added to a charter.
    fn overridable(&self) -> bool {
        true
    }
    /// Which decisions the rule judges ([`Scope`]); the charter reports it not applicable
    /// to any other, saying why. Default: [`Scope::Every`]. Read once, when the rule is added
    /// to a charter.
    fn scope(&self) -> Scope {
        Scope::Every
    }
    /// The fields of the record the rule reads, as the record's JSON names them
    /// (`participants`, `dates.session_at`, `participants[].payment`): what an integrator must
    /// record for the rule to judge a decision rather than report it "could not be
    /// evaluated". Default: none declared.
    fn reads(&self) -> &'static [&'static str] {
        &[]
    }
    /// Tests the record.
    fn check(&self, record: &DecisionRecord, tally: &RecordTally) -> RuleOutcome;
}

/// Which decisions a rule judges. A rule out of scope for a record is reported not
/// applicable, with the reason, before it runs.
///
/// | scope | judges | not applicable to |
/// |---|---|---|
/// | `Every` | every decision | nothing |
/// | `TakingPart` | how people took part: paid, supported, able to join in | an offer declined automatically at the red-line screen, where nobody took part |
/// | `Reached` | how a decision was reached: who decided, who was heard, what objections did | the same, and a withdrawal, where nothing was decided |
/// | `Accepted` | what an acceptance commits to: due diligence, conditions, the register, review | the same, and a decline, deferral or escalation |
///
/// A record with no outcome yet (being gated, or in progress) is judged by every rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// Every decision, an automatic decline included: publishing the reason, the red line.
    Every,
    /// Every decision people took part in.
    TakingPart,
    /// Every decision people reached: not withdrawn before it was taken.
    Reached,
    /// Only an acceptance (or a decision not yet taken).
    Accepted,
}

impl Scope {
    /// The scope in words, as the evidence table gives it.
    pub fn label(self) -> &'static str {
        match self {
            Scope::Every => "every decision",
            Scope::TakingPart => "decisions people took part in",
            Scope::Reached => "decisions people reached",
            Scope::Accepted => "acceptances",
        }
    }

    /// Why a rule of this scope does not judge `record`, or `None` when it does.
    pub fn excludes(self, record: &DecisionRecord) -> Option<&'static str> {
        let automatic = record.declined_at_red_line();
        let outcome = record.outcome;
        match self {
            Scope::Every => None,
            _ if automatic => Some(
                "declined automatically at the red-line screen: nobody deliberated or took part, \
                 so there was nothing for this rule to judge",
            ),
            Scope::TakingPart => None,
            Scope::Reached | Scope::Accepted if outcome == Some(Outcome::Withdrawn) => {
                Some("withdrawn before a decision: nothing was decided")
            }
            Scope::Reached => None,
            Scope::Accepted => match outcome {
                Some(Outcome::Declined) => Some("declined: nothing was accepted"),
                Some(Outcome::Deferred) => Some("deferred: nothing was accepted yet"),
                Some(Outcome::Escalated) => Some("escalated: another body decides"),
                _ => None,
            },
        }
    }
}

/// Figures about the participants that several rules need, counted as the record's
/// [`Participants`](crate::values::Participants) are added (or in one pass when first read), never by a rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordTally {
    /// Whether the record lists its participants at all.
    pub recorded: bool,
    /// How many participants.
    pub participants: usize,
    /// How many bring lived experience.
    pub lived_experience: usize,
    /// How many with lived experience gave a response other than absence.
    pub lived_experience_responded: usize,
    /// Members who gave no response (absence counts as none), leaving out those who
    /// stepped out for a conflict.
    pub without_response: Vec<MemberId>,
    /// How many take part as public contributors.
    pub public_contributors: usize,
    /// How many public contributors were offered payment.
    pub payment_offered: usize,
    /// Public contributors not offered payment.
    pub payment_not_offered: Vec<MemberId>,
    /// Public contributors whose payment status is not recorded.
    pub payment_unrecorded: Vec<MemberId>,
    /// How many with lived experience were absent.
    pub lived_experience_absent: usize,
    /// Members with lived experience whose absence was counted as consent.
    pub silent_consent: Vec<MemberId>,
    /// Members with lived experience absent with no record of how it was counted.
    pub absence_uncounted: Vec<MemberId>,
    /// Members who declared no conflicts either way.
    pub conflicts_undeclared: Vec<MemberId>,
    /// Members who declared a conflict and still took part.
    pub conflicted_took_part: Vec<MemberId>,
}

/// The sums of a [`RecordTally`], counted apart from it while participants are added.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sums {
    participants: usize,
    lived_experience: usize,
    lived_experience_responded: usize,
    lived_experience_absent: usize,
    public_contributors: usize,
    payment_offered: usize,
}

impl RecordTally {
    /// The figures of the record's participants: those its [`Participants`](crate::values::Participants) keep (counted as
    /// they were added, or when first read).
    pub fn of(record: &DecisionRecord) -> Self {
        Self::lent(record).clone()
    }

    /// The figures of the record's participants as they keep them, lent rather than copied
    /// (the figures of a record without participants when it lists none): what a check
    /// reads.
    pub(crate) fn lent(record: &DecisionRecord) -> &RecordTally {
        static UNRECORDED: std::sync::LazyLock<RecordTally> =
            std::sync::LazyLock::new(RecordTally::default);
        record
            .participants
            .as_ref()
            .map_or(&*UNRECORDED, |p| p.tally())
    }

    /// Makes the figures of a list of participants in one pass.
    pub(crate) fn of_list(participants: &[Participant]) -> Self {
        let mut t = RecordTally {
            recorded: true,
            ..Self::default()
        };
        let mut sums = Sums::default();
        for p in participants {
            t.count(&mut sums, p);
        }
        t.set_sums(sums);
        t
    }

    /// The sums counted so far, to count more into.
    pub(crate) fn sums(&self) -> Sums {
        Sums {
            participants: self.participants,
            lived_experience: self.lived_experience,
            lived_experience_responded: self.lived_experience_responded,
            lived_experience_absent: self.lived_experience_absent,
            public_contributors: self.public_contributors,
            payment_offered: self.payment_offered,
        }
    }

    /// Keeps the sums counted.
    pub(crate) fn set_sums(&mut self, sums: Sums) {
        let Sums {
            participants,
            lived_experience,
            lived_experience_responded,
            lived_experience_absent,
            public_contributors,
            payment_offered,
        } = sums;
        self.participants = participants;
        self.lived_experience = lived_experience;
        self.lived_experience_responded = lived_experience_responded;
        self.lived_experience_absent = lived_experience_absent;
        self.public_contributors = public_contributors;
        self.payment_offered = payment_offered;
    }

    /// Counts `p` into `sums`, and into the lists that name it.
    ///
    /// Counted in locals (`sums`) without a branch: most participants of a large round are
    /// alike, and the figures are sums (kept in `self`, they would go through memory on
    /// every participant, since `self` is lent to `list`).
    #[inline(always)]
    pub(crate) fn count(&mut self, sums: &mut Sums, p: &Participant) {
        let recused = p.conflict == Some(Conflict::DeclaredAndRecused);
        let absent = p.response == Some(RecordedResponse::Absent);
        let responded = p.has_responded();
        let lived = p.lived_experience;
        let contributor = p.public_contributor;
        let offered = p.payment.is_some_and(PaymentStatus::was_offered);
        sums.participants += 1;
        sums.lived_experience += usize::from(lived);
        sums.lived_experience_responded += usize::from(lived & responded);
        sums.lived_experience_absent += usize::from(lived & absent);
        sums.public_contributors += usize::from(contributor);
        sums.payment_offered += usize::from(contributor & offered);
        // The lists name only members with something missing or amiss: one test for all of
        // them, so a round where everyone declared and responded takes no branch.
        // One who has left the community is asked nothing more: not silent, not undeclared.
        let listed = (!responded & !recused & !p.left)
            | (lived & absent)
            | (contributor & !offered)
            | !matches!(
                p.conflict,
                Some(Conflict::None | Conflict::DeclaredAndRecused)
            );
        if listed {
            self.list(p, responded, recused);
        }
    }

    /// Adds `p` to the lists that name it: what [`count`](Self::count) does for a
    /// participant with something missing or amiss.
    #[cold]
    fn list(&mut self, p: &Participant, responded: bool, recused: bool) {
        if !responded && !recused && !p.left {
            self.without_response.push(p.member);
        }
        if p.lived_experience && p.response == Some(RecordedResponse::Absent) {
            match p.absence_counted_as {
                Some(AbsenceCounted::Consent) => self.silent_consent.push(p.member),
                Some(_) => {}
                None => self.absence_uncounted.push(p.member),
            }
        }
        if p.public_contributor {
            match p.payment {
                Some(s) if s.was_offered() => {}
                Some(_) => self.payment_not_offered.push(p.member),
                None => self.payment_unrecorded.push(p.member),
            }
        }
        match p.conflict {
            None if p.left => {}
            None => self.conflicts_undeclared.push(p.member),
            Some(Conflict::DeclaredAndTookPart) => self.conflicted_took_part.push(p.member),
            Some(_) => {}
        }
    }
}

/// The outcome for a rule about the deciding round where there is none to judge: no route
/// recorded, one accountable decider (no round), or no participants recorded. `None` when
/// there is a round to judge.
pub(crate) fn without_deciding_round(
    record: &DecisionRecord,
    tally: &RecordTally,
) -> Option<RuleOutcome> {
    let Some(route) = &record.route_taken else {
        return Some(RuleOutcome::not_evaluated("route_taken"));
    };
    if route.single_decider() {
        return Some(RuleOutcome::not_applicable(
            "no deciding round: one accountable decider",
        ));
    }
    if !tally.recorded {
        return Some(RuleOutcome::not_evaluated("participants"));
    }
    None
}

/// Members as `m1, m2, m3`, at most ten then a count of the rest.
pub(crate) fn members(ids: &[MemberId]) -> String {
    let mut out = String::new();
    for (n, id) in ids.iter().enumerate() {
        if n == 10 {
            out.push_str(&format!(" and {} more", ids.len() - 10));
            break;
        }
        if n > 0 {
            out.push_str(", ");
        }
        out.push_str(&id.to_string());
    }
    out
}

/// Whether `to` is at least `days` whole days after `from`.
pub(crate) fn at_least_days(from: Timestamp, to: Timestamp, days: u32) -> bool {
    to.duration_since(from).as_secs() >= i64::from(days) * 86_400
}

/// The last moment that is at most `days` days after `from` (see [`within_days`]).
pub(crate) fn days_after(from: Timestamp, days: u32) -> Timestamp {
    from.checked_add(jiff::SignedDuration::from_secs(i64::from(days) * 86_400))
        .unwrap_or(Timestamp::MAX)
}

/// Whether `to` is at most `days` days after `from`.
pub(crate) fn within_days(from: Timestamp, to: Timestamp, days: u32) -> bool {
    to.duration_since(from).as_secs() <= i64::from(days) * 86_400
}

/// The recorded value of a field of the record, or else a return from the rule's check
/// with [`RuleOutcome::not_evaluated`] naming the field as it is read:
/// `recorded!(record.dates.session_at)` is a reference to the date, or returns
/// `RuleOutcome::not_evaluated("dates.session_at")`. The name cannot drift from the field.
macro_rules! recorded {
    ($record:ident . $first:ident $(. $rest:ident)*) => {
        match &$record.$first $(.$rest)* {
            Some(value) => value,
            None => {
                return $crate::values::RuleOutcome::not_evaluated(concat!(
                    stringify!($first) $(, ".", stringify!($rest))*
                ));
            }
        }
    };
}
pub(crate) use recorded;

/// Whether a text is missing or blank.
pub(crate) fn blank(text: Option<&str>) -> bool {
    text.is_none_or(crate::limits::is_blank)
}

/// Declares a built-in rule: the type, its settings (each with its type, default and allowed
/// values), the trait plumbing, and what the registry builds it with. See the
/// [guide](self#writing-a-built-in-rule).
///
/// The severity is a constant (`Warning`), or `by METHOD`, a method of the rule that gives
/// it for a record; a red line's severity reads `Blocking never overridden`. The `@type`
/// form declares the type, its settings and what the registry builds it with, and no more.
macro_rules! builtin {
    (
        $(#[$doc:meta])*
        $name:ident, $id:literal, $value:ident, $($severity:ident)+, $scope:ident,
        reads [$($reads:literal),* $(,)?]
        { $($settings:tt)* }
    ) => {
        $crate::values::rules::builtin!(@type $(#[$doc])* $name, $id, $value { $($settings)* });
        impl $crate::values::ValueRule for $name {
            fn id(&self) -> $crate::values::RuleId {
                $crate::values::RuleId::builtin($id)
            }
            fn value(&self) -> &$crate::values::ValueId {
                &self.value
            }
            fn severity(&self, record: &$crate::values::DecisionRecord) -> $crate::values::Severity {
                $crate::values::rules::builtin!(@severity self, record, $($severity)+)
            }
            fn overridable(&self) -> bool {
                $crate::values::rules::builtin!(@overridable $($severity)+)
            }
            fn scope(&self) -> $crate::values::Scope {
                $crate::values::Scope::$scope
            }
            fn reads(&self) -> &'static [&'static str] {
                &[$($reads),*]
            }
            fn check(
                &self,
                record: &$crate::values::DecisionRecord,
                tally: &$crate::values::RecordTally,
            ) -> $crate::values::RuleOutcome {
                self.evaluate(record, tally)
            }
        }
    };
    (@severity $rule:ident, $record:ident, by $severity_for:ident) => {
        $rule.$severity_for($record)
    };
    (@severity $rule:ident, $record:ident, $severity:ident $(never overridden)?) => {{
        let _ = $record; // a constant severity reads nothing of the record
        $crate::values::Severity::$severity
    }};
    (@overridable $severity:ident never overridden) => {
        false
    };
    (@overridable $($severity:ident)+) => {
        true
    };
    (@type
        $(#[$doc:meta])*
        $name:ident, $id:literal, $value:ident
        { $(
            $(#[doc = $fdoc:literal])*
            $field:ident : $ty:ty = $default:expr,
            $(range $lo:literal ..= $hi:literal $unit:ident)?
            $(allowed $expected:literal $(if $check:expr)?)?
        ),* $(,)? }
    ) => {
        $(#[$doc])*
        $(
            #[doc = ""]
            #[doc = concat!(
                "Setting `", stringify!($field), "` (",
                $($lo, " to ", $hi, " ", stringify!($unit),)?
                $($expected,)?
                "):", $($fdoc),*
            )]
        )*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            pub(crate) value: $crate::values::ValueId,
            $($(#[doc = $fdoc])* pub(crate) $field: $ty,)*
        }

        impl $name {
            /// The rule's id.
            pub const ID: &'static str = $id;

            /// The rule as the registry lists it.
            pub(crate) const BUILTIN: $crate::values::rules::settings::Builtin =
                $crate::values::rules::settings::Builtin {
                    id: Self::ID,
                    seed_value: $crate::values::ValueId::$value,
                    settings: &[$($crate::values::rules::settings::SettingInfo {
                        name: stringify!($field),
                        doc: concat!($($fdoc),*),
                        expected: concat!(
                            $($lo, " to ", $hi, " ", stringify!($unit),)?
                            $($expected,)?
                        ),
                    },)*],
                    build: Self::build,
                };

            /// Builds the rule serving `value` from an entry's settings, checking each.
            fn build(
                value: $crate::values::ValueId,
                given: $crate::values::rules::settings::Given<'_>,
            ) -> Result<
                $crate::values::rules::settings::Built,
                $crate::values::rules::settings::SettingError,
            > {
                given.only(&[$(stringify!($field)),*])?;
                let rule = Self {
                    value,
                    $($field: {
                        let read = given.read::<$ty>(
                            stringify!($field),
                            concat!(
                                $($lo, " to ", $hi, " ", stringify!($unit),)?
                                $($expected,)?
                            ),
                        )?;
                        $(read.within($lo..=$hi)?;)?
                        $($(read.check($check)?;)?)?
                        read.or_else(|| Self::default().$field)
                    },)*
                };
                let written = vec![$(
                    $crate::values::rules::settings::Written::of(stringify!($field), &rule.$field)?,
                )*];
                Ok($crate::values::rules::settings::Built::new(rule, written))
            }
        }

        impl Default for $name {
            /// Bound to its seed value, with the placeholder settings.
            fn default() -> Self {
                Self {
                    value: $crate::values::ValueId::$value(),
                    $($field: $default,)*
                }
            }
        }
    };
}
pub(crate) use builtin;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::DecisionKind;
    use crate::values::record::{Participant, PaymentStatus};

    #[test]
    fn the_tally_counts_in_one_pass() {
        let record = DecisionRecord {
            participants: Some(
                vec![
                    Participant::new(MemberId::new(1))
                        .with_lived_experience()
                        .responded(RecordedResponse::Consent)
                        .declared(Conflict::None),
                    Participant::new(MemberId::new(2))
                        .with_lived_experience()
                        .absent(AbsenceCounted::Consent)
                        .contributor(PaymentStatus::NotOffered),
                    Participant::new(MemberId::new(3)).declared(Conflict::DeclaredAndRecused),
                ]
                .into(),
            ),
            ..DecisionRecord::new(DecisionKind::Strategy)
        };
        let t = RecordTally::of(&record);
        assert!(t.recorded);
        assert_eq!(t.lived_experience, 2);
        assert_eq!(t.lived_experience_responded, 1);
        assert_eq!(t.without_response, vec![MemberId::new(2)]);
        assert_eq!(t.silent_consent, vec![MemberId::new(2)]);
        assert_eq!(t.payment_not_offered, vec![MemberId::new(2)]);
        assert_eq!(t.conflicts_undeclared, vec![MemberId::new(2)]);
        assert!(!RecordTally::of(&DecisionRecord::new(DecisionKind::Strategy)).recorded);
    }

    builtin! {
        /// X3 (warning): at least `min_ways` ways to take part were offered.
        WaysOffered, "X3", inclusive, Warning, TakingPart, reads ["ways_offered"] {
            /// The least number of ways to take part offered.
            min_ways: u32 = 2, range 1..=3 ways,
        }
    }

    impl WaysOffered {
        fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
            match &record.ways_offered {
                None => RuleOutcome::not_evaluated("ways_offered"),
                Some(ways) if ways.len() >= self.min_ways as usize => {
                    RuleOutcome::satisfied("enough ways were offered")
                }
                Some(_) => RuleOutcome::violated("too few ways were offered"),
            }
        }
    }

    #[test]
    fn adding_a_setting_is_one_declaration() {
        use crate::values::rules::settings::{Given, Json, SettingInfo};
        use crate::values::{CharterError, RuleId, ValueId};

        let builtin = WaysOffered::BUILTIN;
        assert_eq!(
            builtin.settings,
            [SettingInfo {
                name: "min_ways",
                doc: " The least number of ways to take part offered.",
                expected: "1 to 3 ways",
            }]
        );
        let build = |given: &[(String, Json)]| {
            (builtin.build)(ValueId::inclusive(), Given(given))
                .map_err(|e| CharterError::setting(&RuleId::builtin("X3"), 0, e))
        };
        let min_ways = |n: u32| [(String::from("min_ways"), serde_json::to_value(n).unwrap())];

        // Left out, it takes its default, spelled out.
        let built = build(&[]).unwrap();
        assert_eq!(
            built.settings,
            [("min_ways", serde_json::to_value(2).unwrap())]
        );
        // Given, the rule runs with it.
        let record = DecisionRecord {
            ways_offered: Some([crate::values::Way::Live, crate::values::Way::Written].into()),
            ..DecisionRecord::new(DecisionKind::Strategy)
        };
        let strict = build(&min_ways(3)).unwrap();
        assert_eq!(
            strict.rule.check(&record, &RecordTally::of(&record)).status,
            Status::Violated
        );
        assert_eq!(
            built.rule.check(&record, &RecordTally::of(&record)).status,
            Status::Satisfied
        );
        // Outside its range, refused naming rule, setting and range.
        assert_eq!(
            build(&min_ways(4)).unwrap_err().to_string(),
            "cannot load rule `X3`: field `min_ways` is 4, expected 1 to 3 ways"
        );
        // Another name is refused.
        let other = [(String::from("max_ways"), serde_json::to_value(3).unwrap())];
        assert!(matches!(
            build(&other),
            Err(CharterError::SettingNotUsed { field, .. }) if field == "max_ways"
        ));
        // Its row of the settings table.
        assert_eq!(
            builtin.table_rows(),
            "| X3 | `min_ways` | `2` | 1 to 3 ways | The least number of ways to take part offered. |\n"
        );
    }

    #[test]
    fn member_lists_are_capped() {
        let ids: Vec<_> = (1..=12).map(MemberId::new).collect();
        assert_eq!(
            members(&ids),
            "m1, m2, m3, m4, m5, m6, m7, m8, m9, m10 and 2 more"
        );
    }
}
