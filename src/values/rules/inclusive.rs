//! The rules of the value **inclusive** (I1-I9): who sits where decisions are taken and
//! who advises them, who is heard, and whether everyone could take part (NIHR co-production guidance, Arnstein's
//! ladder of participation).
//!
//! # Example
//!
//! ```
//! use coproduction::community::{BodyFigures, BodyId};
//! use coproduction::decision::{DecisionKind, Method};
//! use coproduction::values::rules::inclusive::LivedExperienceShare;
//! use coproduction::values::{DecisionRecord, RouteSummary, Severity, Status, RecordTally, ValueRule};
//!
//! let allies = BodyId::new("allies_group")?;
//! let record = DecisionRecord {
//!     route_taken: Some(RouteSummary::new(allies.clone(), Method::Consent)),
//!     body: Some(BodyFigures { body: allies, size: 6, lived_experience: 3, roles: Default::default() }),
//!     ..DecisionRecord::new(DecisionKind::Strategy)
//! };
//! let rule = LivedExperienceShare::default();
//! assert_eq!(rule.check(&record, &RecordTally::of(&record)).status, Status::Satisfied);
//! assert_eq!(rule.severity(&record), Severity::Warning); // blocking for funding
//! # Ok::<(), coproduction::Error>(())
//! ```

use std::collections::BTreeSet;
use std::fmt;

use crate::community::{BodyFigures, MemberId};
use crate::decision::{DecisionKind, Method};
use crate::values::record::{AbsenceCounted, DecisionRecord, RecordedResponse, Rung, Way};
use crate::values::rules::settings::{non_blank, proper};
use crate::values::rules::{
    RecordTally, RuleOutcome, at_least_days, blank, builtin, members, recorded,
    without_deciding_round,
};
use crate::values::{Fraction, Severity};

builtin! {
    /// I1 (blocking for `blocking_kinds`, a warning otherwise): the share of the deciding
    /// body with lived experience is at least `lived_experience_min_share`. The seed
    /// community's own worry: an advisory group with fewer members with lived experience
    /// than professionals.
    LivedExperienceShare, "I1", inclusive, by severity_for, Reached, reads ["route_taken", "body"] {
        /// The least share of the deciding body with lived experience.
        lived_experience_min_share: Fraction = Fraction::new(1, 2),
            allowed "a fraction from 0 to 1 with a positive denominator" if proper,
        /// The kinds for which a violation blocks.
        blocking_kinds: BTreeSet<DecisionKind> = [
            DecisionKind::Funding,
            DecisionKind::Partnership,
            DecisionKind::Governance,
        ]
        .into_iter()
        .collect(),
            allowed "decision kinds: built in, or declared in the charter's `custom_kinds`",
    }
}

impl LivedExperienceShare {
    /// Blocking for the charter's `blocking_kinds`, a warning otherwise.
    fn severity_for(&self, record: &DecisionRecord) -> Severity {
        if self.blocking_kinds.contains(&record.kind) {
            Severity::Blocking
        } else {
            Severity::Warning
        }
    }

    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let route = recorded!(record.route_taken);
        if route.single_decider() {
            return RuleOutcome::not_applicable(
                "one accountable decider decides (advice process or delegated), not a body",
            );
        }
        let body = recorded!(record.body);
        let min = self.lived_experience_min_share;
        let Some(meets) = share_meets(body, min) else {
            return RuleOutcome::not_evaluated("body")
                .with_count("body.lived_experience", body.lived_experience)
                .with_count("body.size", body.size);
        };
        let share = body.lived_experience_share();
        if meets {
            RuleOutcome::satisfied("enough of the deciding body brings lived experience")
                .with("body.lived_experience_share", share)
        } else {
            RuleOutcome::violated(format!(
                "in {}, {share} bring lived experience; the charter asks for at least {min}",
                body.body
            ))
            .with("body.lived_experience_share", share)
            .with("lived_experience_min_share", min)
        }
    }
}

builtin! {
    /// I2 (blocking): at least `lived_experience_quorum` members with lived experience
    /// responded in the deciding round.
    LivedExperienceQuorum, "I2", inclusive, Blocking, Reached, reads ["route_taken", "participants"] {
        /// The least number of members with lived experience who respond.
        lived_experience_quorum: u32 = 2, range 1..=10000 members,
    }
}

impl LivedExperienceQuorum {
    fn evaluate(&self, record: &DecisionRecord, t: &RecordTally) -> RuleOutcome {
        if let Some(unjudged) = without_deciding_round(record, t) {
            return unjudged;
        }
        let responded = t.lived_experience_responded;
        if responded as u64 >= u64::from(self.lived_experience_quorum) {
            RuleOutcome::satisfied("enough members with lived experience responded")
                .with_count("lived_experience_responded", responded)
        } else {
            RuleOutcome::violated(format!(
                "{responded} members with lived experience responded; the quorum is {}",
                self.lived_experience_quorum
            ))
            .with_count("lived_experience_responded", responded)
            .with_count("lived_experience_participants", t.lived_experience)
        }
    }
}

builtin! {
    /// I3 (warning): at least two ways to take part were offered (live, written,
    /// asynchronous), so nobody is shut out by one format.
    WaysToTakePart, "I3", inclusive, Warning, TakingPart, reads ["route_taken", "ways_offered"] {}
}

impl WaysToTakePart {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let route = recorded!(record.route_taken);
        if route.method == Method::Delegated {
            return RuleOutcome::not_applicable("a delegated decision invites nobody to take part");
        }
        let ways = recorded!(record.ways_offered);
        if ways.len() >= 2 {
            RuleOutcome::satisfied("two or more ways to take part were offered")
                .with("ways_offered", WaysList(ways))
        } else {
            RuleOutcome::violated("fewer than two ways to take part were offered")
                .with("ways_offered", WaysList(ways))
        }
    }
}

/// The ways offered, as `live, asynchronous`: written straight into the observation.
struct WaysList<'a>(&'a BTreeSet<Way>);

impl fmt::Display for WaysList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, way) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str(", ")?;
            }
            f.write_str(match way {
                Way::Live => "live",
                Way::Written => "written",
                Way::Asynchronous => "asynchronous",
            })?;
        }
        Ok(())
    }
}

builtin! {
    /// I4 (blocking): every access request was met before the session (or, with no
    /// session, before the round opened).
    AccessRequestsMet, "I4", inclusive, Blocking, TakingPart, reads ["access_requests", "dates.session_at"] {}
}

impl AccessRequestsMet {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let requests = recorded!(record.access_requests);
        if requests.is_empty() {
            return RuleOutcome::not_applicable("nobody made an access request");
        }
        let unmet: Vec<_> = requests
            .iter()
            .filter(|r| r.met_at.is_none())
            .map(|r| r.member)
            .collect();
        if !unmet.is_empty() {
            return RuleOutcome::violated(format!(
                "{} of {} access requests were not met",
                unmet.len(),
                requests.len()
            ))
            .with("access requests not met for", members(&unmet));
        }
        let Some(deadline) = record.dates.session_at.or(record.dates.round_opened_at) else {
            return RuleOutcome::not_evaluated("dates.session_at");
        };
        let late: Vec<_> = requests
            .iter()
            .filter(|r| r.met_at.is_some_and(|at| at > deadline))
            .map(|r| r.member)
            .collect();
        if late.is_empty() {
            RuleOutcome::satisfied("every access request was met before the session")
                .with_count("access_requests", requests.len())
        } else {
            RuleOutcome::violated(format!(
                "{} access requests were met only after the session started",
                late.len()
            ))
            .with("met late for", members(&late))
        }
    }
}

builtin! {
    /// I5 (warning): nobody with lived experience was counted as consenting by their
    /// absence, unless the round's absence policy says absence is consent. Silence is not
    /// consent by default. Where the charter sets `remind_first`, nobody with lived
    /// experience is counted absent, however the policy counts it, without a reminder
    /// before the round closed.
    NoSilentConsent, "I5", inclusive, Warning, Reached, reads ["participants", "participants[].absence_counted_as", "reminders"] {
        /// Whether a member with lived experience must be reminded before their absence is
        /// counted.
        remind_first: bool = false, allowed "true or false",
    }
}

impl NoSilentConsent {
    fn evaluate(&self, record: &DecisionRecord, t: &RecordTally) -> RuleOutcome {
        if !t.recorded {
            return RuleOutcome::not_evaluated("participants");
        }
        if t.lived_experience_absent == 0 {
            return RuleOutcome::not_applicable("nobody with lived experience was absent");
        }
        if !t.absence_uncounted.is_empty() {
            return RuleOutcome::not_evaluated("participants[].absence_counted_as")
                .with("absence not recorded for", members(&t.absence_uncounted));
        }
        if self.remind_first {
            let unreminded: Vec<MemberId> = record
                .participants
                .iter()
                .flatten()
                .filter(|p| {
                    p.lived_experience
                        && p.response == Some(RecordedResponse::Absent)
                        && !record.reminded_in_time(p.member)
                })
                .map(|p| p.member)
                .collect();
            if !unreminded.is_empty() {
                return RuleOutcome::violated(format!(
                    "{} members with lived experience were counted absent without a reminder before the round closed",
                    unreminded.len()
                ))
                .with("absent, not reminded", members(&unreminded));
            }
        }
        if t.silent_consent.is_empty() {
            return RuleOutcome::satisfied("no absence was counted as consent")
                .with_count("lived_experience_absent", t.lived_experience_absent);
        }
        if record.absence_policy == Some(AbsenceCounted::Consent) {
            RuleOutcome::satisfied("absences counted as consent, as the absence policy says")
                .with("counted as consent", members(&t.silent_consent))
        } else {
            RuleOutcome::violated(format!(
                "{} members with lived experience were counted as consenting by absence without a policy that says so",
                t.silent_consent.len()
            ))
            .with("counted as consent", members(&t.silent_consent))
        }
    }
}

builtin! {
    /// I6 (blocking): recruitment is open and fair: the advert is open at least
    /// `min_advert_days`, there are two or more ways to apply (told apart by their letters:
    /// case, spacing, punctuation, invisible characters and lookalike letters make no second
    /// way), the criteria are published before closing, and the panel has a member with
    /// lived experience.
    FairRecruitment, "I6", inclusive, Blocking, Reached, reads ["recruitment", "recruitment.advert_opened_at", "recruitment.advert_closed_at", "recruitment.panel_with_lived_experience"] {
        /// The least time the advert is open, in days.
        min_advert_days: u32 = 14, range 1..=365 days,
    }
}

impl FairRecruitment {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        if record.kind != DecisionKind::Recruitment {
            return RuleOutcome::not_applicable("not a recruitment");
        }
        let r = recorded!(record.recruitment);
        let Some(opened) = r.advert_opened_at else {
            return RuleOutcome::not_evaluated("recruitment.advert_opened_at");
        };
        let Some(closed) = r.advert_closed_at else {
            return RuleOutcome::not_evaluated("recruitment.advert_closed_at");
        };
        let Some(panel) = r.panel_with_lived_experience else {
            return RuleOutcome::not_evaluated("recruitment.panel_with_lived_experience");
        };
        let mut failed = Vec::new();
        if !at_least_days(opened, closed, self.min_advert_days) {
            failed.push(format!(
                "the advert was open less than {} days",
                self.min_advert_days
            ));
        }
        // Ways are told apart by their letters as they read: case, spacing, hyphens,
        // punctuation, invisible characters and lookalike letters make no second way, and
        // a way with no letter or digit is none.
        let ways = r.distinct_ways();
        if ways < 2 {
            failed.push(format!(
                "fewer than two ways to apply ({ways} told apart by their letters)"
            ));
        }
        if r.criteria_published_at.is_none_or(|at| at > closed) {
            failed.push("the criteria were not published before closing".to_owned());
        }
        if panel == 0 {
            failed.push("no panel member brings lived experience".to_owned());
        }
        if failed.is_empty() {
            RuleOutcome::satisfied("the recruitment was open and fair")
                .with_count("recruitment.ways_to_apply", ways)
        } else {
            RuleOutcome::violated(failed.join("; "))
        }
    }
}

builtin! {
    /// I7 (blocking): a decision labelled co-produced reached at least "partnership" on
    /// Arnstein's ladder; below it, the label would be tokenism.
    GenuineCoproduction, "I7", inclusive, Blocking, TakingPart, reads ["labelled_coproduced", "ladder"] {}
}

impl GenuineCoproduction {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        if !record.labelled_coproduced {
            return RuleOutcome::not_applicable("the decision is not labelled co-produced");
        }
        match record.ladder {
            None => RuleOutcome::not_evaluated("ladder"),
            Some(rung) if rung >= Rung::Partnership => {
                RuleOutcome::satisfied("the decision reached partnership or above")
                    .with("ladder", format_args!("{rung:?}"))
            }
            Some(rung) => RuleOutcome::violated(
                "labelled co-produced, but the decision stayed below partnership on the ladder",
            )
            .with("ladder", format_args!("{rung:?}")),
        }
    }
}

builtin! {
    /// I8 (warning): each stakeholder group the charter lists took part, or a waiver
    /// reason is recorded for it. The default groups are placeholders.
    StakeholdersTookPart, "I8", inclusive, Warning, Reached, reads ["stakeholders"] {
        /// The groups expected to take part.
        stakeholder_groups: BTreeSet<String> = ["co_producers", "allies", "staff"]
            .into_iter()
            .map(String::from)
            .collect(),
            allowed "non-blank group names" if non_blank,
    }
}

impl StakeholdersTookPart {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        if self.stakeholder_groups.is_empty() {
            return RuleOutcome::not_applicable("the charter lists no stakeholder groups");
        }
        let s = recorded!(record.stakeholders);
        let missing: Vec<&str> = self
            .stakeholder_groups
            .iter()
            .filter(|g| {
                !s.took_part.contains(g.as_str()) && blank(s.waivers.get(*g).map(String::as_str))
            })
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            RuleOutcome::satisfied("every stakeholder group took part or has a recorded waiver")
        } else {
            RuleOutcome::violated(format!(
                "stakeholder groups missing without a waiver: {}",
                missing.join(", ")
            ))
            .with_count("stakeholders.took_part", s.took_part.len())
        }
    }
}

builtin! {
    /// I9 (warning): each body whose advice the decision relied on has at least
    /// `lived_experience_min_share` of its members with lived experience. The seed
    /// community's worry about its Allies Group, which advises rather than decides: more of
    /// its members there in a professional role than with lived experience.
    AdvisersLivedExperience, "I9", inclusive, Warning, Reached, reads ["advisers"] {
        /// The least share of an advising body with lived experience.
        lived_experience_min_share: Fraction = Fraction::new(1, 2),
            allowed "a fraction from 0 to 1 with a positive denominator" if proper,
    }
}

impl AdvisersLivedExperience {
    fn evaluate(&self, record: &DecisionRecord, _: &RecordTally) -> RuleOutcome {
        let advisers = recorded!(record.advisers);
        if advisers.is_empty() {
            return RuleOutcome::not_applicable("the decision relied on no body's advice");
        }
        let min = self.lived_experience_min_share;
        let mut short = Vec::new();
        for body in advisers {
            match share_meets(body, min) {
                Some(true) => {}
                Some(false) => short.push(format!(
                    "{} with {}",
                    body.body,
                    body.lived_experience_share()
                )),
                // Figures that cannot be (more with lived experience than members), as I1.
                None => {
                    return RuleOutcome::not_evaluated("advisers")
                        .with("advisers.body", &body.body)
                        .with_count("advisers.lived_experience", body.lived_experience)
                        .with_count("advisers.size", body.size);
                }
            }
        }
        if short.is_empty() {
            RuleOutcome::satisfied(
                "enough of every body whose advice was relied on brings lived experience",
            )
            .with_count("advisers", advisers.len())
        } else {
            RuleOutcome::violated(format!(
                "advice was relied on from bodies where fewer bring lived experience than the charter's {min}: {}",
                short.join(", ")
            ))
            .with_count("advisers", advisers.len())
            .with("lived_experience_min_share", min)
        }
    }
}

/// Whether `body`'s share with lived experience is at least `min`; `None` for figures that
/// cannot be (more members with lived experience than members), which no rule judges.
fn share_meets(body: &BodyFigures, min: Fraction) -> Option<bool> {
    (body.lived_experience <= body.size).then(|| {
        body.lived_experience_share()
            .at_least(min.numerator, min.denominator)
    })
}
