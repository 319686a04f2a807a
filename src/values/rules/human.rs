//! The rules of the value **human** (H1-H6): people are paid and looked after for taking
//! part, and credited for what they make (NIHR co-production guidance on reciprocity).
//!
//! # Example
//!
//! ```
//! use coproduction::community::MemberId;
//! use coproduction::decision::DecisionKind;
//! use coproduction::values::rules::human::PaymentOffered;
//! use coproduction::values::{DecisionRecord, Participant, PaymentStatus, Status, RecordTally, ValueRule};
//!
//! let record = DecisionRecord {
//!     participants: Some(vec![
//!         Participant::new(MemberId::new(1)).contributor(PaymentStatus::Declined),
//!     ].into()),
//!     ..DecisionRecord::new(DecisionKind::Strategy)
//! };
//! let outcome = PaymentOffered::default().check(&record, &RecordTally::of(&record));
//! assert_eq!(outcome.status, Status::Satisfied);
//! # Ok::<(), coproduction::Error>(())
//! ```

use crate::values::record::{DecisionRecord, Way};
use crate::values::rules::{RecordTally, RuleOutcome, at_least_days, builtin, members, recorded};

builtin! {
    /// H1 (blocking): every public contributor was offered payment, or declined it.
    /// Contributors are paid and never left worse off for taking part.
    PaymentOffered, "H1", human, Blocking, TakingPart, reads ["participants", "participants[].payment"] {}
}

impl PaymentOffered {
    fn evaluate(&self, _: &DecisionRecord, t: &RecordTally) -> RuleOutcome {
        if !t.recorded {
            return RuleOutcome::not_evaluated("participants");
        }
        if t.public_contributors == 0 {
            return RuleOutcome::not_applicable("no public contributors took part");
        }
        if !t.payment_unrecorded.is_empty() {
            return RuleOutcome::not_evaluated("participants[].payment")
                .with("payment not recorded for", members(&t.payment_unrecorded));
        }
        if t.payment_not_offered.is_empty() {
            RuleOutcome::satisfied("every public contributor was offered payment")
                .with_count("public_contributors", t.public_contributors)
        } else {
            RuleOutcome::violated(format!(
                "{} of {} public contributors were not offered payment",
                t.payment_not_offered.len(),
                t.public_contributors
            ))
            .with("not offered payment", members(&t.payment_not_offered))
        }
    }
}

builtin! {
    /// H2 (warning): an expenses policy applies, and claims are reimbursed within
    /// `max_reimburse_days`.
    ExpensesReimbursed, "H2", human, Warning, TakingPart, reads ["participants", "expenses"] {
        /// The longest acceptable wait from claim to reimbursement, in days.
        max_reimburse_days: u32 = 30, range 1..=365 days,
    }
}

impl ExpensesReimbursed {
    fn evaluate(&self, record: &DecisionRecord, t: &RecordTally) -> RuleOutcome {
        if !t.recorded {
            return RuleOutcome::not_evaluated("participants");
        }
        if t.public_contributors == 0 {
            return RuleOutcome::not_applicable("no public contributors took part");
        }
        let expenses = recorded!(record.expenses);
        if !expenses.policy_applies {
            return RuleOutcome::violated("no expenses policy applies to the contributors")
                .with("expenses.policy_applies", false);
        }
        match expenses.longest_wait_days {
            Some(days) if days > self.max_reimburse_days => RuleOutcome::violated(format!(
                "a claim waited {days} days for reimbursement; the charter allows {}",
                self.max_reimburse_days
            ))
            .with("expenses.longest_wait_days", days),
            Some(days) => RuleOutcome::satisfied("expenses are reimbursed in time")
                .with("expenses.longest_wait_days", days),
            None => RuleOutcome::satisfied("an expenses policy applies; no claim is waiting"),
        }
    }
}

builtin! {
    /// H3 (warning): where payment is offered, benefits advice was signposted, so that a
    /// payment does not put someone's benefits at risk.
    BenefitsAdviceSignposted, "H3", human, Warning, TakingPart, reads ["participants", "benefits_advice_signposted"] {}
}

impl BenefitsAdviceSignposted {
    fn evaluate(&self, record: &DecisionRecord, t: &RecordTally) -> RuleOutcome {
        if !t.recorded {
            return RuleOutcome::not_evaluated("participants");
        }
        if t.payment_offered == 0 {
            return RuleOutcome::not_applicable("nobody was offered payment");
        }
        match record.benefits_advice_signposted {
            None => RuleOutcome::not_evaluated("benefits_advice_signposted"),
            Some(true) => RuleOutcome::satisfied("benefits advice was signposted")
                .with_count("payment_offered", t.payment_offered),
            Some(false) => RuleOutcome::violated(format!(
                "{} contributors were offered payment without being signposted to benefits advice",
                t.payment_offered
            ))
            .with("benefits_advice_signposted", false),
        }
    }
}

builtin! {
    /// H4 (warning): papers went out at least `min_notice_days` before a live session, so
    /// everyone can read them in their own time.
    PapersOnTime, "H4", human, Warning, TakingPart, reads ["ways_offered", "dates.papers_sent_at", "dates.session_at"] {
        /// The least notice, in days, from the papers going out to the session.
        min_notice_days: u32 = 7, range 0..=90 days,
    }
}

impl PapersOnTime {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let live = match (&record.ways_offered, record.dates.session_at) {
            (_, Some(_)) => true,
            (Some(ways), None) => ways.contains(&Way::Live),
            (None, None) => return RuleOutcome::not_evaluated("ways_offered"),
        };
        if !live {
            return RuleOutcome::not_applicable("there was no live session");
        }
        let session = *recorded!(record.dates.session_at);
        let papers = *recorded!(record.dates.papers_sent_at);
        if at_least_days(papers, session, self.min_notice_days) {
            RuleOutcome::satisfied("papers went out in time")
        } else {
            RuleOutcome::violated(format!(
                "papers went out less than {} days before the session",
                self.min_notice_days
            ))
            .with("dates.papers_sent_at", papers)
            .with("dates.session_at", session)
        }
    }
}

builtin! {
    /// H5 (warning): an asynchronous round stays open at least `min_async_days`, for
    /// people who cannot answer at once. Where the record holds a written comment window
    /// (a funding decision's), that window is the asynchronous round it judges.
    AsyncRoundOpenLongEnough, "H5", human, Warning, TakingPart, reads ["ways_offered", "dates.round_opened_at", "dates.round_closed_at", "dates.comment_window_opened_at", "dates.comment_window_closed_at"] {
        /// The least time an asynchronous round stays open, in days.
        min_async_days: u32 = 7, range 1..=90 days,
    }
}

impl AsyncRoundOpenLongEnough {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let ways = recorded!(record.ways_offered);
        if !ways.contains(&Way::Asynchronous) {
            return RuleOutcome::not_applicable("there was no asynchronous round");
        }
        let dates = &record.dates;
        let ((opened_field, opened), (closed_field, closed)) = match (
            dates.comment_window_opened_at,
            dates.comment_window_closed_at,
        ) {
            (Some(opened), Some(closed)) => (
                ("dates.comment_window_opened_at", opened),
                ("dates.comment_window_closed_at", closed),
            ),
            // A window still open is the round to judge: not the deciding round's dates.
            (Some(_), None) => {
                return RuleOutcome::not_evaluated("dates.comment_window_closed_at");
            }
            (None, _) => (
                (
                    "dates.round_opened_at",
                    *recorded!(record.dates.round_opened_at),
                ),
                (
                    "dates.round_closed_at",
                    *recorded!(record.dates.round_closed_at),
                ),
            ),
        };
        if at_least_days(opened, closed, self.min_async_days) {
            RuleOutcome::satisfied("the asynchronous round stayed open long enough")
        } else {
            RuleOutcome::violated(format!(
                "the asynchronous round closed within {} days of opening",
                self.min_async_days
            ))
            .with(opened_field, opened)
            .with(closed_field, closed)
        }
    }
}

builtin! {
    /// H6 (info): every contributor to an output is credited.
    ContributorsCredited, "H6", human, Info, TakingPart, reads ["credits"] {}
}

impl ContributorsCredited {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let credits = recorded!(record.credits);
        if credits.is_empty() {
            return RuleOutcome::not_applicable("no output with contributors");
        }
        let uncredited: Vec<_> = credits
            .iter()
            .filter(|c| !c.credited)
            .map(|c| c.member)
            .collect();
        if uncredited.is_empty() {
            RuleOutcome::satisfied("every contributor is credited")
                .with_count("credits", credits.len())
        } else {
            RuleOutcome::violated(format!(
                "{} of {} contributors are not credited",
                uncredited.len(),
                credits.len()
            ))
            .with("not credited", members(&uncredited))
        }
    }
}
