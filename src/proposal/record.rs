//! A proposal's evidence for the value-check.
//!
//! [`Proposal::record`] projects the proposal into a [`DecisionRecord`]: its kind, the route
//! it went along, the outcome, the published rationale and alternatives, the dates (the round
//! that decided, the decision, the review) and the publication. It starts from a `base`
//! record when one is given: usually the deciding round's own projection
//! ([`Round::record`](crate::consent::Round::record)), which holds what only the round knows
//! (the body's make-up, each participant's response, objections and concerns with their
//! dispositions, advice). What neither holds the caller adds before checking: the route
//! governance gives (`route_given`, T7), payment and conflicts of participants, expenses,
//! credits, access requests, ways offered, stakeholders and the ladder rung.

use jiff::Timestamp;

use crate::values::{
    Attestation, DecisionRecord, Outcome, Proposed, Publication, ReviewEnd, ReviewEscalation,
    ReviewRecord, ReviewRoundResult, WithdrawnBy,
};

use super::ProposalPhase;
use super::event::{DecisionResult, ReviewTrigger};
use super::state::{Proposal, ProposalEnding, ReviewOutcome};

impl Proposal {
    /// The proposal as evidence for the value-check, as of `now`, laid over `base` (or over
    /// an empty record of the proposal's kind).
    ///
    /// The proposal's own facts replace the base's where it has them: kind, outcome,
    /// rationale and alternatives (once published), decision and review dates, publication.
    /// The route the proposal was made ready with fills `route_taken` only when the base has
    /// none, because a round's record names the route it actually took.
    ///
    /// # Example
    ///
    /// See the [module guide](super) of `proposal`.
    pub fn record(&self, base: Option<DecisionRecord>, now: Timestamp) -> DecisionRecord {
        let mut record = base.unwrap_or_else(|| DecisionRecord::new(self.config.kind.clone()));
        record.kind = self.config.kind.clone();
        // The proposal's own title and versions: a round deciding it may name it otherwise.
        // The version last adopted is the text decided on; versions amended since (under
        // review) are proposed, not decided, and listed after it. Before an adoption, the
        // latest version is the one being decided.
        let decided = self
            .rounds
            .iter()
            .rev()
            .find(|r| matches!(r.result, Some(DecisionResult::Adopted { .. })))
            .map(|r| r.version);
        let at = self
            .versions
            .iter()
            .position(|v| Some(v.version) == decided)
            .unwrap_or(self.versions.len().saturating_sub(1));
        if let Some(shown) = self.versions.get(at) {
            let text = |v: &super::config::ProposalVersion| v.text.clone();
            record.proposed = Some(Proposed {
                title: self.config.title.clone(),
                text: shown.text.clone(),
                earlier: self.versions.iter().take(at).map(text).collect(),
                since: self.versions.iter().skip(at + 1).map(text).collect(),
            });
        }
        record.reviews = self
            .reviews
            .iter()
            .filter(|r| r.opened_at <= now)
            .map(|r| review_record(r, now))
            .collect();
        // What a review's round kept elsewhere reached is the word of the member who
        // copied it in, as the deciding round's is.
        for review in &record.reviews {
            for reached in &review.reached {
                if let Some(by) = reached.attested_by {
                    record.attested.push(Attestation {
                        fact: format!(
                            "review {}: the outcome of the reassessment round `{}`",
                            review.number, reached.round
                        ),
                        by,
                        at: reached.at,
                    });
                }
            }
        }
        if record.route_taken.is_none() {
            record.route_taken = self.route.clone();
        }
        if let Some(outcome) = self.outcome() {
            record.outcome = Some(outcome);
        }
        if let Some(ProposalEnding::Withdrawn { by, reason, at }) = &self.ending {
            record.withdrawn = Some(WithdrawnBy {
                by: *by,
                reason: reason.clone(),
                at: *at,
            });
        }
        // Once an amendment is on its way, the publication belongs to the version before:
        // it is no evidence about the decision now being taken.
        let current = matches!(
            self.phase,
            ProposalPhase::Published
                | ProposalPhase::Implementing
                | ProposalPhase::PilotScheduled
                | ProposalPhase::Pilot
                | ProposalPhase::UnderReview
                | ProposalPhase::Retired
        ) || self.published_since_ended();
        if let (Some(publication), true) = (&self.publication, current) {
            record.rationale = Some(publication.rationale.clone().into());
            if !publication.alternatives.is_empty() {
                record.alternatives = Some(
                    publication
                        .alternatives
                        .iter()
                        .cloned()
                        .map(Into::into)
                        .collect(),
                );
            }
            record.publication = Some(Publication {
                published_at: publication.at,
                redactions: Vec::new(),
            });
        }
        let deciding = self
            .rounds
            .iter()
            .rev()
            .find(|r| !matches!(r.result, Some(DecisionResult::Deferred {})));
        if let Some(round) = deciding {
            record.dates.round_opened_at = record.dates.round_opened_at.or(Some(round.started_at));
            if round.result.is_some() {
                record.dates.decided_at = round.decided_at;
            }
            // A result the engine did not see reached (a round kept elsewhere, copied in by
            // a member) is that member's word: the record says whose.
            if let (Some(by), Some(at)) = (round.recorded_by, round.decided_at)
                && by != crate::engine::ENGINE_ACTOR
            {
                record.attested.push(Attestation {
                    fact: format!("outcome (the round `{}`)", round.round),
                    by,
                    at,
                });
            }
        }
        if let Some((_, _, at)) = &self.adopted {
            record.dates.decided_at = Some(*at);
        }
        if let Some(ProposalEnding::Decided { at, .. }) = &self.ending {
            record.dates.decided_at = Some(*at);
        }
        if self.review_date.is_some() {
            record.dates.review_at = self.review_date;
        }
        // What had happened by `now`: an evaluation agreed later, or evidence recorded
        // later, is not yet in the record.
        record.evaluation = self.evaluation.as_ref().and_then(|e| e.as_of(now));
        // That a body agreed the evaluation's questions is the steward's word: the engine
        // checks the body is the community's, not that it met.
        if let Some(e) = &record.evaluation {
            record.attested.push(Attestation {
                fact: format!(
                    "the evaluation's questions agreed by `{}`",
                    e.plan.agreed_by
                ),
                by: e.recorded_by,
                at: e.agreed_at,
            });
        }
        record.dates.as_of = Some(now);
        record
    }

    /// The outcome the value-check records for this phase: adopted from adoption onwards
    /// (a retired agreement was still adopted), the ending's otherwise, deferred while the
    /// last round deferred, and none before a result.
    pub fn outcome(&self) -> Option<Outcome> {
        match self.phase {
            ProposalPhase::Adopted
            | ProposalPhase::Published
            | ProposalPhase::Implementing
            | ProposalPhase::PilotScheduled
            | ProposalPhase::Pilot
            | ProposalPhase::UnderReview
            | ProposalPhase::Retired => Some(Outcome::Adopted),
            ProposalPhase::Declined => Some(Outcome::Declined),
            ProposalPhase::Withdrawn => Some(Outcome::Withdrawn),
            ProposalPhase::Escalated => Some(Outcome::Escalated),
            ProposalPhase::InDecision => self
                .rounds
                .last()
                .and_then(|r| r.result.as_ref())
                .map(DecisionResult::outcome),
            _ => None,
        }
    }
}

/// `review` as the record shows it, as of `now`.
fn review_record(review: &super::state::Review, now: Timestamp) -> ReviewRecord {
    let (objected_by, objection) = match &review.trigger {
        ReviewTrigger::Objection { by, reason } => (Some(*by), Some(reason.clone())),
        ReviewTrigger::ReviewDate { .. } => (None, None),
    };
    let ended = review.outcome.as_ref().map(|o| match o {
        ReviewOutcome::Continued { review_date, at } => ReviewEnd::Continued {
            review_date: *review_date,
            at: *at,
        },
        ReviewOutcome::Amended { version, at } => ReviewEnd::Amended {
            version: version.version.get(),
            at: *at,
        },
        ReviewOutcome::Retired { reason, at } => ReviewEnd::Retired {
            reason: reason.clone(),
            at: *at,
        },
    });
    let escalated = review
        .reassessments
        .last()
        .filter(|r| r.decided_at.is_some_and(|at| at <= now))
        .and_then(|_| review.escalated());
    ReviewRecord {
        number: review.number,
        opened_at: review.opened_at,
        objected_by,
        objection,
        rounds: review
            .reassessments
            .iter()
            .filter(|r| r.started_at <= now)
            .map(|r| r.round.clone())
            .collect(),
        escalated_to: escalated.map(|(_, to)| to.clone()),
        escalated_by: escalated.map(|(round, _)| round.clone()),
        escalations: review
            .reassessments
            .iter()
            .filter(|r| r.decided_at.is_some_and(|at| at <= now))
            .filter(|r| r.recorded_by == Some(crate::engine::ENGINE_ACTOR))
            .filter_map(|r| match (&r.result, r.decided_at) {
                (Some(DecisionResult::Escalated { to }), Some(at)) => Some(ReviewEscalation {
                    by: r.round.clone(),
                    to: to.clone(),
                    at,
                    dissolved: false,
                }),
                _ => None,
            })
            .collect(),
        reached: review
            .reassessments
            .iter()
            .filter_map(|r| match (&r.result, r.decided_at, r.recorded_by) {
                (Some(result), Some(at), Some(by)) if at <= now => Some(ReviewRoundResult {
                    round: r.round.clone(),
                    outcome: result.outcome(),
                    to: match result {
                        DecisionResult::Escalated { to } => Some(to.clone()),
                        _ => None,
                    },
                    at,
                    attested_by: (by != crate::engine::ENGINE_ACTOR).then_some(by),
                    body: None,
                    body_dissolved: false,
                }),
                _ => None,
            })
            .collect(),
        ended: ended.filter(|e| e.at() <= now),
    }
}
