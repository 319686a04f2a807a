//! The rules of the value **challenging** (C1-C8): dissent is heard, tested and kept; critical
//! friends are asked; red lines hold (sociocratic consent, Holacracy's objection tests,
//! university red-line policies on funding).
//!
//! # Example
//!
//! ```
//! use coproduction::decision::DecisionKind;
//! use coproduction::values::rules::challenging::RedLinesRespected;
//! use coproduction::values::{DecisionRecord, FunderFacts, Screen, Status, RecordTally, ValueRule};
//!
//! let mut funder = FunderFacts::new("Funder A");
//! funder.red_line_screen = Some(Screen::Failed);
//! let record = DecisionRecord { funder: Some(funder), ..DecisionRecord::new(DecisionKind::Funding) };
//! let rule = RedLinesRespected::default();
//! assert_eq!(rule.check(&record, &RecordTally::of(&record)).status, Status::Violated);
//! assert!(!rule.overridable());
//! # Ok::<(), coproduction::Error>(())
//! ```

use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

use crate::decision::Tier;
use crate::values::record::{
    AdviceBasis, DecisionRecord, Disposition, Outcome, RaisedAs, Screen, TestResult,
};
use crate::values::rules::{
    RecordTally, RuleOutcome, blank, builtin, members, recorded, without_deciding_round,
};

builtin! {
    /// C1 (blocking): every eligible member has a response in the deciding round. An
    /// absence is not a response, whatever the absence policy counts it as; a member who
    /// stepped out for a conflict needs none. Where the charter sets `reminded_is_enough`,
    /// a member who was reminded before the round closed and still did not respond was
    /// heard as far as the community could: they do not breach it.
    EveryoneResponded, "C1", challenging, Blocking, Reached, reads ["participants", "route_taken", "reminders"] {
        /// Whether a reminder before the round closed answers for a member's silence.
        reminded_is_enough: bool = false, allowed "true or false",
    }
}

impl EveryoneResponded {
    fn evaluate(&self, record: &DecisionRecord, t: &RecordTally) -> RuleOutcome {
        if let Some(unjudged) = without_deciding_round(record, t) {
            return unjudged;
        }
        if t.without_response.is_empty() {
            return RuleOutcome::satisfied("every eligible member responded")
                .with_count("participants", t.participants);
        }
        let unreminded: Vec<_> = t
            .without_response
            .iter()
            .copied()
            .filter(|m| !record.reminded_in_time(*m))
            .collect();
        if self.reminded_is_enough && unreminded.is_empty() {
            RuleOutcome::satisfied(
                "every eligible member responded or was reminded before the round closed",
            )
            .with("reminded, no response", members(&t.without_response))
        } else if self.reminded_is_enough {
            RuleOutcome::violated(format!(
                "{} of {} eligible members have no response and were not reminded",
                unreminded.len(),
                t.participants
            ))
            .with("without response or reminder", members(&unreminded))
        } else {
            RuleOutcome::violated(format!(
                "{} of {} eligible members have no response",
                t.without_response.len(),
                t.participants
            ))
            .with("without response", members(&t.without_response))
        }
    }
}

builtin! {
    /// C2 (blocking): no objection was set aside without a recorded validity test, and one
    /// that failed the test is kept as a concern, never dropped.
    ObjectionsTested, "C2", challenging, Blocking, Reached, reads ["objections"] {}
}

impl ObjectionsTested {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let entries = recorded!(record.objections);
        let objections = || {
            entries
                .iter()
                .filter(|e| e.raised_as == RaisedAs::Objection)
        };
        if objections().next().is_none() {
            return RuleOutcome::not_applicable("no objections were raised");
        }
        let untested: Vec<_> = objections()
            .filter(|e| {
                matches!(
                    e.disposition,
                    Some(Disposition::LoggedAsConcern | Disposition::NotIntegrated)
                ) && e.test.is_none()
            })
            .map(|e| e.by)
            .collect();
        let dropped: Vec<_> = objections()
            .filter(|e| {
                e.test == Some(TestResult::NotValid)
                    && matches!(
                        e.disposition,
                        Some(Disposition::Integrated | Disposition::NotIntegrated)
                    )
            })
            .map(|e| e.by)
            .collect();
        if untested.is_empty() && dropped.is_empty() {
            return RuleOutcome::satisfied("every objection set aside was tested and kept")
                .with_count("objections", objections().count());
        }
        let mut outcome = RuleOutcome::violated(format!(
            "{} objections were set aside without a recorded test, {} that failed it were not kept as concerns",
            untested.len(),
            dropped.len()
        ));
        if !untested.is_empty() {
            outcome = outcome.with("set aside untested, raised by", members(&untested));
        }
        if !dropped.is_empty() {
            outcome = outcome.with("not kept as concern, raised by", members(&dropped));
        }
        outcome
    }
}

builtin! {
    /// C3 (warning): from tier `from_tier` up, critical-friend input (the Allies Group) is
    /// recorded, with the decider's response to it.
    CriticalFriendsHeard, "C3", challenging, Warning, Reached, reads ["tier", "advice"] {
        /// The lowest tier the rule applies to.
        from_tier: Tier = Tier::One, allowed "a tier, 0 to 3",
    }
}

impl CriticalFriendsHeard {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let Some(tier) = record.effective_tier() else {
            return if record.is_funding() {
                RuleOutcome::not_evaluated("tier")
            } else {
                RuleOutcome::not_applicable("no tier: nothing at stake calls for critical friends")
            };
        };
        if tier < self.from_tier {
            return RuleOutcome::not_applicable(format!("{tier} is below {}", self.from_tier));
        }
        let advice = recorded!(record.advice);
        let mut heard = 0usize;
        let mut answered = 0usize;
        for entry in advice
            .iter()
            .filter(|e| e.bases.contains(&AdviceBasis::CriticalFriend))
        {
            heard += 1;
            if !blank(entry.answer.as_deref()) {
                answered += 1;
            }
        }
        match (heard, answered) {
            (0, _) => {
                RuleOutcome::violated(format!("no critical-friend input is recorded at {tier}"))
            }
            (_, 0) => RuleOutcome::violated("critical-friend input is recorded but not answered")
                .with_count("critical-friend entries", heard),
            _ => RuleOutcome::satisfied("critical-friend input is recorded and answered")
                .with_count("critical-friend entries", heard)
                .with_count("answered", answered),
        }
    }
}

builtin! {
    /// C4 (blocking, never overridable): the red-line screen passed, or the offer that
    /// failed it was declined. A red line is an automatic decline; nobody can take
    /// responsibility for crossing it, and declining it is the red line held.
    RedLinesRespected, "C4", challenging, Blocking never overridden, Every, reads ["funder", "funder.red_line_screen", "outcome"] {}
}

impl RedLinesRespected {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        if record.declined_at_red_line() {
            return RuleOutcome::satisfied("the red line held: the offer was declined")
                .with("outcome", "declined");
        }
        let Some(funder) = &record.funder else {
            return without_funder(record);
        };
        match funder.red_line_screen {
            None => RuleOutcome::not_evaluated("funder.red_line_screen"),
            Some(Screen::Passed) => RuleOutcome::satisfied("the red-line screen passed")
                .with("funder.funder", &funder.funder),
            Some(Screen::Failed) => RuleOutcome::violated(format!(
                "\"{}\" fails the red-line screen: decline, and publish the reason",
                funder.funder
            ))
            .with("funder.red_line_screen", "failed"),
        }
    }
}

builtin! {
    /// C5 (blocking): conditions that restrict publication or contributors' voice put the
    /// decision at tier 2 or higher.
    RestrictiveConditionsEscalated, "C5", challenging, Blocking, Accepted, reads ["funder", "tier"] {}
}

impl RestrictiveConditionsEscalated {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let Some(funder) = &record.funder else {
            return without_funder(record);
        };
        // The conditions that stand: one set aside restricts nothing.
        let restricting = funder
            .standing()
            .filter(|c| !c.restricts.is_empty())
            .count();
        if restricting == 0 {
            return RuleOutcome::not_applicable("no condition restricts publication or voice");
        }
        match record.effective_tier() {
            None => RuleOutcome::not_evaluated("tier"),
            Some(tier) if tier >= Tier::Two => RuleOutcome::satisfied(format!(
                "restrictive conditions are decided at {tier}"
            ))
            .with_count("restrictive conditions", restricting),
            Some(tier) => RuleOutcome::violated(format!(
                "{restricting} conditions restrict publication or voice, but the decision is at {tier}; it needs tier 2 or higher"
            ))
            .with_count("restrictive conditions", restricting),
        }
    }
}

builtin! {
    /// C6 (blocking): no valid objection is open at adoption; a decision with one must be
    /// integrated or escalated, not adopted. An untested open objection is presumed to stand.
    NoValidObjectionOpen, "C6", challenging, Blocking, Accepted, reads ["outcome", "objections"] {}
}

impl NoValidObjectionOpen {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        match record.outcome {
            None => return RuleOutcome::not_evaluated("outcome"),
            Some(Outcome::Adopted) => {}
            Some(_) => return RuleOutcome::not_applicable("nothing was adopted"),
        }
        let entries = recorded!(record.objections);
        let open: Vec<_> = entries
            .iter()
            .filter(|e| e.raised_as == RaisedAs::Objection)
            .filter(|e| match (e.test, e.disposition) {
                (_, Some(Disposition::Integrated | Disposition::Withdrawn)) => false,
                (Some(TestResult::NotValid), _) => false,
                (Some(TestResult::Valid), _) => true,
                (None, d) => d.is_none(),
            })
            .map(|e| e.by)
            .collect();
        if open.is_empty() {
            RuleOutcome::satisfied("no valid objection is open")
                .with_count("objections", entries.len())
        } else {
            RuleOutcome::violated(format!(
                "{} valid objections are open at adoption: integrate them or escalate",
                open.len()
            ))
            .with("open objections, raised by", members(&open))
        }
    }
}

builtin! {
    /// C7 (info): where concerns were logged, the review comes within
    /// `concern_review_months` of the decision: concerns shorten the review period.
    ConcernsShortenReview, "C7", challenging, Info, Accepted, reads ["objections", "dates.decided_at", "dates.review_at"] {
        /// The longest time to review when concerns were logged, in months.
        concern_review_months: u32 = 6, range 1..=60 months,
    }
}

impl ConcernsShortenReview {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let entries = recorded!(record.objections);
        let concerns = entries.iter().filter(|e| e.is_concern()).count();
        if concerns == 0 {
            return RuleOutcome::not_applicable("no concerns were logged");
        }
        let decided = *recorded!(record.dates.decided_at);
        let Some(review) = record.dates.review_at else {
            return RuleOutcome::violated(format!(
                "{concerns} concerns were logged but no review date is set"
            ));
        };
        let Some(latest) = months_after(decided, self.concern_review_months) else {
            return RuleOutcome::not_evaluated("dates.decided_at");
        };
        if review <= latest {
            RuleOutcome::satisfied("the review comes soon enough after logged concerns")
                .with_count("concerns", concerns)
                .with("dates.review_at", review)
        } else {
            RuleOutcome::violated(format!(
                "{concerns} concerns were logged; the review should come within {} months",
                self.concern_review_months
            ))
            .with("dates.review_at", review)
            .with("latest review", latest)
        }
    }
}

builtin! {
    /// C8 (warning): a pilot is reassessed on the evidence of its evaluation. Where the
    /// record carries a benefits and impact evaluation (the one agreed for the pilot a
    /// round reassesses, see [`evaluation`](crate::evaluation)), every question agreed has
    /// at least `min_evidence` pieces of evidence, and, where the charter sets
    /// `words_needed`, people's own words are among the evidence, not figures alone.
    ReassessedOnEvidence, "C8", challenging, Warning, Reached, reads ["evaluation"] {
        /// The least evidence each question of the evaluation needs.
        min_evidence: u32 = 1, range 1..=1000 pieces,
        /// Whether the evidence must include people's own words.
        words_needed: bool = true, allowed "true or false",
    }
}

impl ReassessedOnEvidence {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let Some(evaluation) = &record.evaluation else {
            return RuleOutcome::not_applicable("no pilot evaluation is part of this decision");
        };
        let min = usize::try_from(self.min_evidence).unwrap_or(usize::MAX);
        let short = evaluation.short_of(min);
        let pieces = evaluation.evidence.len();
        if !short.is_empty() {
            let named: Vec<String> = short.iter().map(ToString::to_string).collect();
            let which = match (short.len(), evaluation.plan.questions.len()) {
                (1, 1) => "the 1 question agreed has".to_owned(),
                (1, all) => format!("1 of {all} questions agreed has"),
                (n, all) => format!("{n} of {all} questions agreed have"),
            };
            let lacking = match self.min_evidence {
                1 => "no evidence".to_owned(),
                min => format!("fewer than {min} pieces of evidence"),
            };
            return RuleOutcome::violated(format!("{which} {lacking}: {}", named.join(", ")))
                .with_count("evaluation.evidence", pieces);
        }
        let words = evaluation.words();
        if self.words_needed && words == 0 {
            return RuleOutcome::violated(
                "the evaluation holds figures only: nobody's own words are among its evidence",
            )
            .with_count("evaluation.evidence", pieces);
        }
        RuleOutcome::satisfied("every question agreed for the pilot has evidence")
            .with_count("evaluation.evidence", pieces)
            .with_count("people's words", words)
    }
}

/// The outcome for a record with no funder: not evaluated for a funding decision, where
/// one is needed; not applicable otherwise.
fn without_funder(record: &DecisionRecord) -> RuleOutcome {
    if record.is_funding() {
        RuleOutcome::not_evaluated("funder")
    } else {
        RuleOutcome::not_applicable("no funder or partner is involved")
    }
}

/// `months` calendar months after `t`, in UTC; `None` past the end of time.
fn months_after(t: Timestamp, months: u32) -> Option<Timestamp> {
    let span = Span::new().try_months(i64::from(months)).ok()?;
    t.to_zoned(TimeZone::UTC)
        .checked_add(span)
        .ok()
        .map(|z| z.timestamp())
}
