//! The rules of the value **transparent** (T1-T9): the record is published, says why, and
//! shows that the community's own process was followed (UK charity practice on recorded,
//! proportionate due diligence; the advice process; consent with recorded dispositions).
//!
//! # Example
//!
//! ```
//! use coproduction::decision::DecisionKind;
//! use coproduction::values::rules::transparent::RationaleRecorded;
//! use coproduction::values::{DecisionRecord, Status, RecordTally, ValueRule};
//!
//! let mut record = DecisionRecord::new(DecisionKind::Strategy);
//! let rule = RationaleRecorded::default();
//! assert_eq!(rule.check(&record, &RecordTally::of(&record)).status, Status::Violated);
//! record.rationale = Some("Keeps the sessions open to everyone".into());
//! record.alternatives = Some(vec!["Invitation only".into()]);
//! assert_eq!(rule.check(&record, &RecordTally::of(&record)).status, Status::Satisfied);
//! # Ok::<(), coproduction::Error>(())
//! ```

use jiff::Timestamp;

use crate::values::record::{AdviceBasis, DecisionRecord, Disposition, Outcome, RegisterField};
use crate::values::rules::{
    RecordTally, RuleOutcome, blank, builtin, days_after, members, recorded, within_days,
};

/// Where a deadline that falls after the decision stands.
enum Due {
    /// Not yet due: the deadline is still ahead.
    NotYet,
    /// Past the deadline.
    Overdue,
    /// The evidence to tell is missing.
    Unknown(&'static str),
}

/// Where T1, allowing `days`, asks for a publication `record` does not have yet: the
/// decision's time and the last moment a publication counts as in time. `None` when the
/// record is published, nothing was decided (no outcome, or withdrawn), or the decision's
/// time is not recorded.
pub(crate) fn publication_due(
    record: &DecisionRecord,
    days: u32,
) -> Option<(Timestamp, Timestamp)> {
    if matches!(record.outcome, None | Some(Outcome::Withdrawn)) || record.publication.is_some() {
        return None;
    }
    let decided = record.dates.decided_at?;
    Some((decided, days_after(decided, days)))
}

fn due(record: &DecisionRecord, days: u32) -> (Due, Option<Timestamp>) {
    let Some(decided) = record.dates.decided_at else {
        return (Due::Unknown("dates.decided_at"), None);
    };
    let Some(as_of) = record.dates.as_of else {
        return (Due::Unknown("dates.as_of"), Some(decided));
    };
    if within_days(decided, as_of, days) {
        (Due::NotYet, Some(decided))
    } else {
        (Due::Overdue, Some(decided))
    }
}

builtin! {
    /// T1 (blocking): the record was published within `publish_days` of the decision,
    /// with every redaction listed and explained.
    PublishedOnTime, "T1", transparent, Blocking, Every, reads ["outcome", "dates.decided_at", "publication"] {
        /// The most days from decision to publication.
        publish_days: u32 = 28, range 1..=365 days,
    }
}

impl PublishedOnTime {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        match record.outcome {
            None => return RuleOutcome::not_evaluated("outcome"),
            Some(Outcome::Withdrawn) => {
                return RuleOutcome::not_applicable("withdrawn: nothing was decided");
            }
            Some(_) => {}
        }
        let Some(publication) = &record.publication else {
            return match due(record, self.publish_days) {
                (Due::Unknown(field), _) => RuleOutcome::not_evaluated(field),
                (Due::NotYet, _) => RuleOutcome::not_applicable(format!(
                    "publication is not yet due (within {} days of the decision)",
                    self.publish_days
                )),
                (Due::Overdue, decided) => RuleOutcome::violated(format!(
                    "the record is unpublished more than {} days after the decision",
                    self.publish_days
                ))
                .with("dates.decided_at", display(decided)),
            };
        };
        let decided = *recorded!(record.dates.decided_at);
        let unexplained = publication
            .redactions
            .iter()
            .filter(|r| crate::limits::is_blank(&r.reason))
            .count();
        if publication.published_at < decided {
            RuleOutcome::violated("published before the decision was taken")
                .with("publication.published_at", publication.published_at)
                .with("dates.decided_at", decided)
        } else if !within_days(decided, publication.published_at, self.publish_days) {
            RuleOutcome::violated(format!(
                "published more than {} days after the decision",
                self.publish_days
            ))
            .with("publication.published_at", publication.published_at)
            .with("dates.decided_at", decided)
        } else if unexplained > 0 {
            RuleOutcome::violated(format!("{unexplained} redactions give no reason"))
                .with_count("publication.redactions", publication.redactions.len())
        } else {
            RuleOutcome::satisfied("published in time, every redaction explained")
                .with_count("publication.redactions", publication.redactions.len())
        }
    }
}

fn display(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "not recorded".to_owned(), |t| t.to_string())
}

builtin! {
    /// T2 (blocking): a rationale and the alternatives considered are recorded. An offer
    /// declined at the red-line screen needs its reason only: the policy left no
    /// alternative.
    RationaleRecorded, "T2", transparent, Blocking, Every, reads ["rationale", "alternatives"] {}
}

impl RationaleRecorded {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        if record.outcome == Some(Outcome::Withdrawn) {
            return RuleOutcome::not_applicable("withdrawn: nothing was decided");
        }
        let no_rationale = blank(record.rationale.as_deref());
        if record.declined_at_red_line() {
            return if no_rationale {
                RuleOutcome::violated("the red-line decline records no reason")
            } else {
                RuleOutcome::satisfied("the reason for the red-line decline is recorded")
            };
        }
        let alternatives = record.alternatives.as_ref().map_or(0, |a| {
            a.iter().filter(|s| !crate::limits::is_blank(s)).count()
        });
        match (no_rationale, alternatives) {
            (false, n) if n > 0 => {
                RuleOutcome::satisfied("a rationale and alternatives are recorded")
                    .with_count("alternatives", n)
            }
            (true, 0) => RuleOutcome::violated("no rationale and no alternatives are recorded"),
            (true, _) => RuleOutcome::violated("no rationale is recorded"),
            (false, _) => RuleOutcome::violated("no alternatives considered are recorded"),
        }
    }
}

builtin! {
    /// T3 (blocking): every objection and concern has a disposition: integrated, logged as
    /// a concern, withdrawn, or not integrated with a reason.
    ObjectionsDisposed, "T3", transparent, Blocking, Reached, reads ["objections"] {}
}

impl ObjectionsDisposed {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let entries = recorded!(record.objections);
        if entries.is_empty() {
            return RuleOutcome::not_applicable("no objections or concerns were raised");
        }
        let open: Vec<_> = entries
            .iter()
            .filter(|e| e.disposition.is_none())
            .map(|e| e.by)
            .collect();
        let unexplained: Vec<_> = entries
            .iter()
            .filter(|e| {
                e.disposition == Some(Disposition::NotIntegrated) && blank(e.reason.as_deref())
            })
            .map(|e| e.by)
            .collect();
        if open.is_empty() && unexplained.is_empty() {
            return RuleOutcome::satisfied("every objection and concern has a disposition")
                .with_count("objections", entries.len());
        }
        let mut outcome = RuleOutcome::violated(format!(
            "{} of {} objections and concerns have no disposition, {} are not integrated without a reason",
            open.len(),
            entries.len(),
            unexplained.len()
        ));
        if !open.is_empty() {
            outcome = outcome.with("without disposition, raised by", members(&open));
        }
        if !unexplained.is_empty() {
            outcome = outcome.with(
                "not integrated without reason, raised by",
                members(&unexplained),
            );
        }
        outcome
    }
}

builtin! {
    /// T4 (blocking): every decider declared their conflicts of interest for this item, and
    /// the conflicted stepped out.
    ConflictsDeclared, "T4", transparent, Blocking, TakingPart, reads ["participants"] {}
}

impl ConflictsDeclared {
    fn evaluate(&self, _: &DecisionRecord, t: &RecordTally) -> RuleOutcome {
        if !t.recorded || t.participants == 0 {
            return RuleOutcome::not_evaluated("participants");
        }
        if t.conflicts_undeclared.is_empty() && t.conflicted_took_part.is_empty() {
            return RuleOutcome::satisfied("every decider declared; the conflicted stepped out")
                .with_count("deciders", t.participants);
        }
        let mut outcome = RuleOutcome::violated(format!(
            "{} deciders made no declaration, {} declared a conflict and still took part",
            t.conflicts_undeclared.len(),
            t.conflicted_took_part.len()
        ));
        if !t.conflicts_undeclared.is_empty() {
            outcome = outcome.with("no declaration", members(&t.conflicts_undeclared));
        }
        if !t.conflicted_took_part.is_empty() {
            outcome = outcome.with("conflicted and took part", members(&t.conflicted_took_part));
        }
        outcome
    }
}

builtin! {
    /// T5 (blocking): every required due-diligence check was completed before deciding.
    DueDiligenceDone, "T5", transparent, Blocking, Accepted, reads ["outcome", "due_diligence", "dates.decided_at"] {}
}

impl DueDiligenceDone {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let Some(checks) = &record.due_diligence else {
            return if record.is_funding() {
                RuleOutcome::not_evaluated("due_diligence")
            } else {
                RuleOutcome::not_applicable("no due diligence is required for this kind")
            };
        };
        let required = || checks.iter().filter(|c| c.required);
        if required().next().is_none() {
            return RuleOutcome::not_applicable("no due-diligence check is required");
        }
        let incomplete: Vec<&str> = required()
            .filter(|c| c.completed_at.is_none())
            .map(|c| c.check.as_ref())
            .collect();
        if !incomplete.is_empty() {
            return RuleOutcome::violated(format!(
                "required checks not completed: {}",
                incomplete.join(", ")
            ));
        }
        let decided = *recorded!(record.dates.decided_at);
        let late: Vec<&str> = required()
            .filter(|c| c.completed_at.is_some_and(|at| at > decided))
            .map(|c| c.check.as_ref())
            .collect();
        if late.is_empty() {
            RuleOutcome::satisfied("every required check was completed before deciding")
                .with_count("required checks", required().count())
        } else {
            RuleOutcome::violated(format!(
                "checks completed only after deciding: {}",
                late.join(", ")
            ))
            .with("dates.decided_at", decided)
        }
    }
}

builtin! {
    /// T6 (warning): an accepted funder or partner is in the public register with amount
    /// band, conditions and route (or a legal reason for what is withheld), within
    /// `publish_days` of the decision.
    InPublicRegister, "T6", transparent, Warning, Accepted, reads ["outcome", "funder"] {
        /// The most days from decision to the register entry.
        publish_days: u32 = 28, range 1..=365 days,
    }
}

impl InPublicRegister {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        if !record.is_funding() {
            return RuleOutcome::not_applicable("not a funding or partnership decision");
        }
        match record.outcome {
            None => return RuleOutcome::not_evaluated("outcome"),
            Some(Outcome::Adopted) => {}
            Some(_) => return RuleOutcome::not_applicable("nothing was accepted to register"),
        }
        let funder = recorded!(record.funder);
        let Some(entry) = &funder.register else {
            return match due(record, self.publish_days) {
                (Due::Unknown(field), _) => RuleOutcome::not_evaluated(field),
                (Due::NotYet, _) => {
                    RuleOutcome::not_applicable("the register entry is not yet due")
                }
                (Due::Overdue, decided) => RuleOutcome::violated(format!(
                    "no register entry more than {} days after the decision",
                    self.publish_days
                ))
                .with("dates.decided_at", display(decided)),
            };
        };
        let missing: Vec<&str> = RegisterField::ALL
            .iter()
            .filter(|f| !entry.listed.contains(f))
            .map(|f| f.label())
            .collect();
        if missing.is_empty() {
            RuleOutcome::satisfied("the register lists funder, amount band, conditions and route")
        } else if !blank(entry.withheld_reason.as_deref()) {
            RuleOutcome::satisfied("the register withholds some fields, with a legal reason")
                .with("withheld", missing.join(", "))
        } else {
            RuleOutcome::violated(format!(
                "the register entry leaves out {} without a reason",
                missing.join(", ")
            ))
        }
    }
}

builtin! {
    /// T7 (blocking): the route taken is the one governance gives for the kind, amount and
    /// risk: same deciding body, same method, same tier, everyone it names consulted.
    RouteFollowed, "T7", transparent, Blocking, Reached, reads ["route_taken", "route_given"] {}
}

impl RouteFollowed {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        if record.outcome == Some(Outcome::Withdrawn) {
            return RuleOutcome::not_applicable("withdrawn: nothing was decided");
        }
        let taken = recorded!(record.route_taken);
        let given = recorded!(record.route_given);
        let mut differences = Vec::new();
        if taken.deciding_body != given.deciding_body {
            differences.push(format!(
                "decided by {}, governance gives {}",
                taken.deciding_body, given.deciding_body
            ));
        }
        if taken.method != given.method {
            differences.push(format!(
                "decided by {}, governance gives {}",
                taken.method, given.method
            ));
        }
        if given.tier.is_some() && taken.tier != given.tier {
            differences.push(format!(
                "treated as {}, governance gives {}",
                taken
                    .tier
                    .map_or_else(|| "no tier".to_owned(), |t| t.to_string()),
                given
                    .tier
                    .map_or_else(|| "no tier".to_owned(), |t| t.to_string())
            ));
        }
        let skipped: Vec<&str> = given
            .consulted
            .difference(&taken.consulted)
            .map(|b| b.as_str())
            .collect();
        if !skipped.is_empty() {
            differences.push(format!("not consulted: {}", skipped.join(", ")));
        }
        if differences.is_empty() {
            RuleOutcome::satisfied("the route taken is the route governance gives")
                .with("route_taken.deciding_body", &taken.deciding_body)
                .with("route_taken.method", taken.method)
        } else {
            RuleOutcome::violated(differences.join("; "))
        }
    }
}

builtin! {
    /// T8 (blocking): an advice or delegated decision recorded advice, before deciding, from
    /// people affected, people with expertise, and a co-producer with lived experience.
    AdviceSought, "T8", transparent, Blocking, Reached, reads ["route_taken", "advice"] {}
}

impl AdviceSought {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let route = recorded!(record.route_taken);
        if !route.single_decider() {
            return RuleOutcome::not_applicable("not an advice process or delegated decision");
        }
        let advice = recorded!(record.advice);
        let decided = record.dates.decided_at;
        // Advice known to come after the decision did not inform it.
        let before = |given: Option<Timestamp>| match (given, decided) {
            (Some(g), Some(d)) => g <= d,
            _ => true,
        };
        let mut seen = [false; 3];
        let wanted = [
            AdviceBasis::Affected,
            AdviceBasis::Expertise,
            AdviceBasis::LivedExperience,
        ];
        for entry in advice.iter().filter(|e| before(e.given_at)) {
            for (slot, basis) in seen.iter_mut().zip(wanted) {
                *slot |= entry.bases.contains(&basis);
            }
        }
        let missing: Vec<&str> = seen
            .iter()
            .zip(["affected", "expertise", "lived_experience"])
            .filter(|(s, _)| !**s)
            .map(|(_, name)| name)
            .collect();
        if missing.is_empty() {
            RuleOutcome::satisfied(
                "advice was sought from the affected, experts and lived experience",
            )
            .with_count("advice", advice.len())
        } else {
            RuleOutcome::violated(format!(
                "no advice recorded before deciding from: {}",
                missing.join(", ")
            ))
            .with_count("advice", advice.len())
        }
    }
}

builtin! {
    /// T9 (warning): an adopted decision has a review date.
    ReviewDateSet, "T9", transparent, Warning, Accepted, reads ["outcome", "dates.review_at"] {}
}

impl ReviewDateSet {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        match record.outcome {
            None => RuleOutcome::not_evaluated("outcome"),
            Some(Outcome::Adopted) => match record.dates.review_at {
                Some(at) => {
                    RuleOutcome::satisfied("a review date is set").with("dates.review_at", at)
                }
                None => RuleOutcome::violated("the decision was adopted without a review date"),
            },
            Some(_) => RuleOutcome::not_applicable("nothing was adopted"),
        }
    }
}
