//! A round's evidence for the value-check, and a round set up from a governance route.
//!
//! [`Round::record`] projects the round into a [`DecisionRecord`]: who was eligible and how
//! each responded, how absence was counted, every objection and concern with its
//! disposition, the advice log and its answers, the route taken and the dates. It says only
//! what the round reached: a round in `consented` has no outcome yet. What the gate before
//! `record_outcome` checks is the record the adoption would project
//! ([`ConsentRound::preview`](super::ConsentRound::preview): decide, evolve a copy, project).
//! Evidence a round does not hold (the alternatives considered, funder facts, the route
//! governance gives) the caller adds to the record before checking it.

use std::borrow::Cow;
use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::community::{BodyFigures, Community, Member, Role};
use crate::decision::{DecisionKind, Method};
use crate::governance::Route;
use crate::values::{
    AbsenceCounted, AdviceBases, AdviceBasis, AdviceEntry, DecisionRecord,
    Disposition as RecordDisposition, ObjectionEntry, Participant, Proposed, RaisedAs,
    RecordedResponse, RouteSummary, TestResult, TimeBoxExtension, TimeBoxLapse, WithdrawnBy,
};

use super::ConsentError;
use super::config::{AbsencePolicy, RoundConfig, RoundRoles, snapshot};
use super::objection::{AmendmentId, ConcernSource, Fate, Objection};
use super::response::Response;
use super::stage::RoundStage;
use super::state::{Ending, Round};

impl AbsencePolicy {
    /// What the value-check records an absence under this policy as.
    pub fn counted_as(self) -> AbsenceCounted {
        match self {
            AbsencePolicy::CountAsNoObjection => AbsenceCounted::Consent,
            AbsencePolicy::CountAsAbsent | AbsencePolicy::Defer => AbsenceCounted::NotCounted,
        }
    }
}

impl Response {
    /// The response as the value-check records it; advice is logged apart, as advice.
    pub fn recorded(&self) -> Option<RecordedResponse> {
        match self {
            Response::Consent { .. } => Some(RecordedResponse::Consent),
            Response::ConsentWithConcern { .. } => Some(RecordedResponse::ConsentWithConcern),
            Response::Object { .. } => Some(RecordedResponse::Objection),
            Response::StandAside { .. } => Some(RecordedResponse::StandAside),
            Response::Advice { .. } => None,
        }
    }
}

impl Objection {
    /// The objection as the value-check records it.
    pub fn recorded(&self) -> ObjectionEntry {
        let mut entry = ObjectionEntry::new(self.objector, RaisedAs::Objection);
        entry.test = self.test.as_ref().map(|t| {
            if t.valid {
                TestResult::Valid
            } else {
                TestResult::NotValid
            }
        });
        entry.disposition = match self.disposition() {
            Fate::Integrated => Some(RecordDisposition::Integrated),
            Fate::LoggedAsConcern => Some(RecordDisposition::LoggedAsConcern),
            Fate::Withdrawn => Some(RecordDisposition::Withdrawn),
            Fate::Abandoned => {
                entry.reason = self.abandoned_because.clone();
                Some(RecordDisposition::NotIntegrated)
            }
            Fate::Unresolved => None,
        };
        entry
    }
}

impl Round {
    /// The objections and concerns the responses of a round that ended (escalated,
    /// withdrawn) in the middle of an objection round hold, which the round never
    /// collected: raised all the same, untested. Who raised each, as what, and its words.
    /// Nothing for a round that has not ended so (its objections are collected as it goes
    /// on).
    pub fn uncollected(&self) -> Vec<(crate::community::MemberId, RaisedAs, &str)> {
        if !matches!(
            self.ending(),
            Some(Ending::Escalated { .. } | Ending::Withdrawn { .. })
        ) {
            return Vec::new();
        }
        self.responses()
            .into_iter()
            .filter_map(|(member, r)| match &r.response {
                Response::Object { reason } => Some((member, RaisedAs::Objection, reason.as_str())),
                Response::ConsentWithConcern { concern } => {
                    Some((member, RaisedAs::Concern, concern.as_str()))
                }
                _ => None,
            })
            .collect()
    }

    /// The round as evidence for the value-check, as of `now`.
    ///
    /// `kind` is what the decision is about; `community` supplies the roles of the eligible
    /// members for the body's make-up (the lived-experience figures come from the snapshot
    /// taken when the round opened). A round in `consented` has no outcome and no decision
    /// time: consent carried is not yet a decision.
    ///
    /// # Example
    ///
    /// The [module guide](super) projects a consented round and gates its adoption;
    /// `examples/consent_round.rs` adds the evidence a round does not hold.
    pub fn record(
        &self,
        kind: DecisionKind,
        community: &Community,
        now: Timestamp,
    ) -> DecisionRecord {
        let config = &self.config;
        let mut record = DecisionRecord::new(kind);
        record.route_taken = Some(RouteSummary::new(
            config.deciding_body.clone(),
            config.method,
        ));
        record.outcome = self.phase().outcome();
        if let Some(Ending::Withdrawn { by, reason, at }) = self.ending() {
            record.withdrawn = Some(WithdrawnBy {
                by: *by,
                reason: reason.clone(),
                at: *at,
            });
        }
        record.proposed = Some(Proposed {
            title: config.title.clone(),
            text: config.proposal.clone(),
            earlier: Vec::new(),
            since: Vec::new(),
        });
        record.body = Some(self.figures(community));
        record.absence_policy = Some(config.absence.counted_as());

        // One accountable decider (advice process, delegated decision): the decider is the
        // participant, and the deciding body is the body the route gives; the people heard
        // are advisers, in the advice log below, not members who failed to respond.
        if let Some(decider) = self.decider() {
            let member = community.member(decider);
            let mut p = Participant::new(decider);
            p.lived_experience = member.is_some_and(|m| m.lived_experience);
            p.public_contributor = member.is_some_and(Member::is_public_contributor);
            if let Some(d) = self.decision() {
                p.response = Some(if d.adopt {
                    RecordedResponse::Consent
                } else {
                    RecordedResponse::Objection
                });
            }
            record.participants = Some(vec![p].into());
            if let Ok(figures) = community.figures(&config.deciding_body) {
                record.body = Some(figures);
            }
        }

        let mut eligible: Vec<_> = config.eligible.iter().collect();
        eligible.sort_by_key(|m| m.member);
        let closed = self.last_tally.is_some() || self.decision().is_some();
        let participants = eligible
            .iter()
            .map(|m| {
                let mut p = Participant::new(m.member);
                p.lived_experience = m.lived_experience;
                p.public_contributor = community
                    .member(m.member)
                    .is_some_and(Member::is_public_contributor);
                match self.response(m.member) {
                    Some(r) => {
                        p.response = r.response.recorded();
                        p.proxy = r.proxy;
                    }
                    None if closed => p = p.absent(config.absence.counted_as()),
                    None => {}
                }
                p
            })
            .collect();
        if record.participants.is_none() {
            record.participants = Some(participants);
        }

        // Each with its words and the amendments that answered it.
        let amended = |ids: &[AmendmentId]| -> Vec<String> {
            self.amendments
                .iter()
                .filter(|a| ids.contains(&a.id))
                .map(|a| a.text.clone())
                .collect()
        };
        let mut entries: Vec<ObjectionEntry> = self
            .objections
            .iter()
            .map(|o| {
                let mut entry = o.recorded().saying(o.reason.clone());
                entry.amended_by = amended(&o.amendments);
                entry
            })
            .collect();
        for concern in &self.concerns {
            // A concern that came from an objection found not valid is that objection's
            // entry already; only concerns raised as concerns are added.
            if let ConcernSource::Response { .. } = concern.source {
                let mut entry = ObjectionEntry::new(concern.by, RaisedAs::Concern)
                    .disposed(RecordDisposition::LoggedAsConcern)
                    .saying(concern.text.clone());
                entry.amended_by = amended(&concern.amendments);
                entries.push(entry);
            }
        }
        // What a member raised and then replaced with a later response in the same
        // objection round was raised, and taken back by them.
        for r in &self.replaced {
            let mut entry = ObjectionEntry::new(r.member, r.raised)
                .disposed(RecordDisposition::Withdrawn)
                .saying(r.text.clone());
            entry.reason = Some(match r.proxy {
                None => format!(
                    "replaced by their later response in objection round {}",
                    r.round
                ),
                Some(_) => format!(
                    "replaced by a later response their supporter recorded for them in objection round {}",
                    r.round
                ),
            });
            entry.taken_back_by = r.proxy;
            entries.push(entry);
        }
        // What a round that ended in the middle of an objection round never collected
        // stands in the record untested, still open, for the body that takes the matter up.
        for (member, raised, text) in self.uncollected() {
            let known = entries.iter().any(|e| {
                e.by == member && e.raised_as == raised && e.text.as_deref() == Some(text)
            });
            if !known {
                entries.push(ObjectionEntry::new(member, raised).saying(text.to_owned()));
            }
        }
        record.objections = Some(entries);

        if matches!(config.method, Method::AdviceProcess) {
            let advice = self
                .responses()
                .into_iter()
                .filter_map(|(member, r)| match &r.response {
                    Response::Advice {
                        advice,
                        affected,
                        expertise,
                    } => {
                        let mut bases = AdviceBases::new();
                        if *affected {
                            bases.insert(AdviceBasis::Affected);
                        }
                        if *expertise {
                            bases.insert(AdviceBasis::Expertise);
                        }
                        if self.seats.get(member).is_some_and(|s| s.lived_experience) {
                            bases.insert(AdviceBasis::LivedExperience);
                        }
                        Some(AdviceEntry {
                            from: member,
                            bases,
                            text: Some(advice.clone()),
                            given_at: None,
                            answer: self.advice_answers.get(&member).cloned().map(Cow::Owned),
                        })
                    }
                    _ => None,
                })
                .collect();
            record.advice = Some(advice);
        }

        record.rationale = self
            .decision()
            .and_then(|d| d.rationale.clone().map(Into::into));
        record.dates.round_opened_at = Some(self.opened_at);
        record.dates.round_closed_at = self.decision().map(|d| d.at);
        // Only an ended round is decided: consent carried is not a decision until the
        // outcome is recorded, which is when an adopted round was decided; a decider's
        // decline was decided when recorded.
        if let RoundStage::Ended(end) = &self.stage {
            record.dates.decided_at = match end.ending() {
                Ending::Adopted {
                    statement,
                    review_date,
                    at,
                    ..
                } => {
                    record.statement = Some(statement.clone());
                    record.dates.review_at = Some(*review_date);
                    Some(*at)
                }
                _ => end.decision().map(|d| d.at),
            };
        }
        record.extensions = self
            .extensions
            .iter()
            .map(|e| TimeBoxExtension {
                from: e.from,
                to: e.to,
                reason: e.reason.clone(),
                by: e.by,
                at: e.at,
            })
            .collect();
        record.handovers.clone_from(&self.handovers);
        record.lapses = self
            .lapses
            .iter()
            .map(|l| TimeBoxLapse {
                ended: l.ended,
                rule: l.rule.label().to_owned(),
                at: l.at,
            })
            .collect();
        record.dates.as_of = Some(now);
        record
    }

    /// The deciding body's make-up as the round saw it: the snapshot's size and
    /// lived-experience count, and the roles the community gives those members.
    fn figures(&self, community: &Community) -> BodyFigures {
        let mut roles: BTreeMap<Role, usize> = Role::ALL.iter().map(|&r| (r, 0)).collect();
        for m in &self.config.eligible {
            if let Some(member) = community.member(m.member) {
                for role in &member.roles {
                    *roles.entry(*role).or_insert(0) += 1;
                }
            }
        }
        BodyFigures {
            body: self.config.deciding_body.clone(),
            size: self.config.eligible.len(),
            lived_experience: self
                .config
                .eligible
                .iter()
                .filter(|m| m.lived_experience)
                .count(),
            roles,
        }
    }
}

impl RoundConfig {
    /// A round for the decision `route` gives: its deciding body (members as of now) and
    /// method, the other settings as in [`RoundConfig::consent`]. For an advice process the
    /// eligible members are those of the bodies the route consults (they give the advice),
    /// and the proposer in `roles` is the accountable decider.
    ///
    /// # Errors
    ///
    /// [`ConsentError::AutomaticDecline`] when the route declines without a round (a red
    /// line), or [`ConsentError::Community`] when the deciding body is not in `community`.
    pub fn from_route(
        route: &Route,
        community: &Community,
        title: impl Into<String>,
        proposal: impl Into<String>,
        roles: RoundRoles,
    ) -> Result<Self, ConsentError> {
        let method = route
            .method()
            .ok_or_else(|| ConsentError::AutomaticDecline {
                kind: route.kind.clone(),
            })?;
        let mut config = RoundConfig::consent(community, &route.decider, title, proposal, roles)?;
        config.method = method;
        if matches!(
            method,
            crate::decision::Method::AdviceProcess | crate::decision::Method::Delegated
        ) {
            // One accountable decider (the proposer); nobody votes.
            config.quorum = super::Quorum::NONE;
        }
        if method == crate::decision::Method::AdviceProcess && !route.consult.is_empty() {
            // In an advice process the people heard are the ones the route says to consult,
            // not the deciding body: advice is sought from those affected and with expertise.
            let mut advisers = Vec::new();
            for consultee in &route.consult {
                for m in snapshot(community, &consultee.body)? {
                    if !advisers
                        .iter()
                        .any(|a: &super::EligibleMember| a.member == m.member)
                    {
                        advisers.push(m);
                    }
                }
            }
            advisers.sort_by_key(|m| m.member);
            config.eligible = advisers;
        }
        Ok(config)
    }
}
