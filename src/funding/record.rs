//! A funding decision's evidence for the value-check.
//!
//! [`FundingDecision::record`] projects the decision into a [`DecisionRecord`]: funder facts
//! (the red-line screen, amount band, conditions, register entry), the tier, every
//! due-diligence check with its completion time, the route taken and the route governance
//! gives, the deciders' declarations of interest, the advice log with answers, and the
//! dates. [`FundingDecision::record_proposed`] projects it *as it would be* once decided
//! with a given outcome, which is what the gate before `accept` checks. Evidence the
//! decision does not hold (responses in the consent round, alternatives considered,
//! payment, access requests) the caller adds before checking.

use std::borrow::Cow;
use std::collections::BTreeSet;

use jiff::Timestamp;

use crate::community::{BodyId, BodyKind, Community, MemberId, Role};
use crate::values::{
    AdviceBases, AdviceBasis, AdviceEntry, Conflict, DecisionRecord, DueDiligenceCheck,
    FunderFacts, Outcome, Participant, Publication, RecordedResponse, RegisterEntry, RegisterField,
    ReviewEnd, ReviewRecord, Screen, Way,
};

use super::command::FundingOutcome;
use super::config::Check;
use super::stage::FundingStage;
use super::state::FundingDecision;

impl FundingOutcome {
    /// The outcome as the value-check records it.
    pub fn recorded(&self) -> Outcome {
        match self {
            FundingOutcome::Accept {} | FundingOutcome::AcceptWithConditions { .. } => {
                Outcome::Adopted
            }
            FundingOutcome::Decline {} => Outcome::Declined,
            FundingOutcome::Defer {} => Outcome::Deferred,
            FundingOutcome::Escalate { .. } => Outcome::Escalated,
        }
    }

    /// What was decided, in words: the record's outcome statement.
    pub fn statement(&self) -> String {
        match self {
            FundingOutcome::Accept {} => "The offer is accepted as made.".to_owned(),
            FundingOutcome::AcceptWithConditions { set_aside, .. } if set_aside.is_empty() => {
                "The offer is accepted, with the community's own conditions.".to_owned()
            }
            FundingOutcome::AcceptWithConditions { .. } => {
                "The offer is accepted on the community's conditions, with some of the funder's set aside."
                    .to_owned()
            }
            FundingOutcome::Decline {} => "The offer is declined.".to_owned(),
            FundingOutcome::Defer {} => "The decision on the offer is deferred.".to_owned(),
            FundingOutcome::Escalate { to } => format!("The decision on the offer goes to {to}."),
        }
    }
}

impl FundingDecision {
    /// The members of the deciding body (as `community` has it) who declared an interest
    /// in the offer or stepped out of it: a record lists them whether or not they decided.
    pub(super) fn declared_on_body<'a>(
        &'a self,
        community: &'a Community,
    ) -> impl Iterator<Item = MemberId> + 'a {
        let body = self
            .route()
            .and_then(|route| community.body(&route.decider));
        self.declarations()
            .iter()
            .filter(move |(m, d)| {
                (d.recused || d.interest.is_some()) && body.is_some_and(|b| b.contains(**m))
            })
            .map(|(m, _)| *m)
    }

    /// Member `m` as a participant of this decision: who they are in `community`, and what
    /// they declared on the offer.
    pub(super) fn participant(&self, m: MemberId, community: &Community) -> Participant {
        let mut p = Participant::new(m);
        if let Some(member) = community.member(m) {
            p.lived_experience = member.lived_experience;
            p.public_contributor = member.is_public_contributor();
        }
        p.conflict = self.conflict_of(m);
        p.interest = self.declarations().get(&m).and_then(|d| d.interest.clone());
        p
    }

    /// A member's declaration as the value-check records it: `None` if they made none.
    pub fn conflict_of(&self, member: MemberId) -> Option<Conflict> {
        self.declarations()
            .get(&member)
            .map(|d| match (&d.interest, d.recused) {
                (_, true) => Conflict::DeclaredAndRecused,
                (None, false) => Conflict::None,
                (Some(_), false) => Conflict::DeclaredAndTookPart,
            })
    }

    /// The decision as evidence for the value-check, as of `now`: the decision taken, if
    /// any; an automatic decline as declined; otherwise with no outcome.
    ///
    /// # Example
    ///
    /// A red-line offer, declined at screening: the red line held, so the record keeps
    /// rule C4 and the challenging value is upheld.
    ///
    /// ```
    /// use coproduction::community::{Community, MemberId};
    /// use coproduction::decision::DecisionKind;
    /// use coproduction::funding::{Funding, FundingPolicy, Offer, Screened, route_facts};
    /// use coproduction::governance::{Governance, GovernanceMap};
    /// use coproduction::machine::Context;
    /// use coproduction::values::{Charter, Outcome, Status, Verdict};
    ///
    /// let community: Community =
    ///     serde_json::from_str(include_str!("../../examples/data/community.json"))?;
    /// let map: GovernanceMap =
    ///     serde_json::from_str(include_str!("../../examples/data/governance.json"))?;
    /// let governance = Governance::new(map, &community)?;
    /// let policy = FundingPolicy::seed();
    /// let offer = Offer::new(DecisionKind::Funding, "A tobacco company", "Tobacco", "A grant");
    /// let route = governance.route(&offer.kind, route_facts(&offer, &policy))?;
    ///
    /// let ctx = Context::new(MemberId::new(1), "2024-06-03T09:00:00Z".parse()?);
    /// let screening = Funding::identify(offer, policy, ctx)?.start_screening(ctx)?;
    /// let Screened::Declined(declined) = screening.screen(ctx.with_route(&route))? else {
    ///     panic!("tobacco is a red line");
    /// };
    /// let record = declined.decision().record(&community, ctx.now);
    /// assert_eq!(record.outcome, Some(Outcome::Declined));
    /// let report = Charter::default().check(&record);
    /// assert_eq!(report.finding("C4").map(|f| f.status), Some(Status::Satisfied));
    /// assert_eq!(report.verdict("challenging"), Some(Verdict::Upheld));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn record(&self, community: &Community, now: Timestamp) -> DecisionRecord {
        match self.decided() {
            Some(d) => self.project(
                Some(&d.outcome),
                &d.deciders,
                Some(&d.rationale),
                d.at,
                community,
                now,
            ),
            None => self.project(None, &[], None, now, community, now),
        }
    }

    /// The decision as evidence for the gate before deciding: projected as decided now with
    /// `outcome` by `deciders` for `rationale`.
    pub fn record_proposed(
        &self,
        outcome: &FundingOutcome,
        deciders: &[MemberId],
        rationale: &str,
        community: &Community,
        now: Timestamp,
    ) -> DecisionRecord {
        self.project(
            Some(outcome),
            deciders,
            Some(rationale),
            now,
            community,
            now,
        )
    }

    fn project(
        &self,
        outcome: Option<&FundingOutcome>,
        deciders: &[MemberId],
        rationale: Option<&str>,
        decided_at: Timestamp,
        community: &Community,
        now: Timestamp,
    ) -> DecisionRecord {
        let mut record = DecisionRecord::new(self.offer.kind.clone());
        let screened_out = match &self.stage {
            FundingStage::DeclinedAtScreening(out) => Some(out.as_ref()),
            _ => None,
        };
        record.tier = self.triage().map(|t| t.tier);
        record.outcome = match &self.stage {
            FundingStage::DeclinedAtScreening(_) => Some(Outcome::Declined),
            FundingStage::Withdrawn(_) => Some(Outcome::Withdrawn),
            _ => outcome.map(FundingOutcome::recorded),
        };
        if let FundingStage::Withdrawn(w) = &self.stage {
            record.withdrawn = Some(w.withdrawn_by());
        }
        record.statement = match &self.stage {
            FundingStage::DeclinedAtScreening(_) => Some(
                "The offer is declined automatically: it crosses a red line of the funding policy."
                    .to_owned(),
            ),
            FundingStage::Withdrawn(_) => None,
            // The body it went to, by its name where the community has it.
            _ => outcome.map(|outcome| match outcome {
                FundingOutcome::Escalate { to } => format!(
                    "The decision on the offer goes to {}.",
                    community
                        .body(to)
                        .map_or_else(|| to.to_string(), |b| b.name.clone())
                ),
                outcome => outcome.statement(),
            }),
        };
        record.route_given = self.route().and_then(|r| r.summary());
        record.route_taken = match (self.decided(), outcome) {
            (Some(d), _) => Some(d.route_taken.clone()),
            (None, Some(_)) => record.route_given.clone(),
            (None, None) => None,
        };
        if let Some(route) = self.route() {
            record.body = community.figures(&route.decider).ok();
        }

        // Facts about the funder: the screen, the band, every condition, the register.
        let mut funder = FunderFacts::new(self.offer.funder.clone());
        funder.amount_band =
            Some(super::amount_band(self.offer.amount, self.policy.amount_bands).into());
        funder.tier_reasons = self.triage().map_or_else(Vec::new, |t| {
            t.reasons.iter().map(|r| r.to_string().into()).collect()
        });
        funder.sector = self.screen().map(|_| self.offer.sector.clone().into());
        funder.red_line_screen = self.screen().map(|hits| {
            if hits.is_empty() {
                Screen::Passed
            } else {
                Screen::Failed
            }
        });
        // Which conditions stand: the offer's, less those the decision set aside, and the
        // community's own.
        funder.conditions = match outcome {
            Some(outcome) => super::machine::standing(&self.offer.conditions, outcome),
            None => self.offer.conditions.clone(),
        };
        if let Some(FundingOutcome::AcceptWithConditions {
            conditions,
            set_aside,
        }) = outcome
        {
            funder.own_conditions.clone_from(conditions);
            funder.set_aside.clone_from(set_aside);
        }
        if let Some((listing, at)) = self.published() {
            let mut listed: BTreeSet<RegisterField> = RegisterField::ALL.into_iter().collect();
            if listing.route.is_none() {
                listed.remove(&RegisterField::Route);
            }
            funder.register = Some(RegisterEntry {
                listed,
                withheld_reason: listing.withheld_reason.clone(),
            });
            record.publication = Some(Publication {
                published_at: at,
                redactions: Vec::new(),
            });
        }
        record.funder = Some(funder);

        // A tier whose checklist is empty records no due diligence, as before it starts.
        if let Some(diligence) = self
            .stage
            .diligence()
            .filter(|d| !d.required_checks().is_empty())
        {
            let (required, checks) = (diligence.required_checks(), diligence.checks());
            record.due_diligence = Some(
                Check::ALL
                    .iter()
                    .filter(|c| required.contains(c) || checks.contains_key(c))
                    .map(|c| {
                        let done = checks.get(c);
                        DueDiligenceCheck {
                            by: done.map(|done| done.by),
                            evidence: done.map(|done| done.evidence.clone()),
                            ..DueDiligenceCheck::new(
                                c.label(),
                                required.contains(c),
                                done.map(|done| done.at),
                            )
                        }
                    })
                    .collect(),
            );
        }

        // The deciders, with their declarations, and every member of the deciding body who
        // declared an interest, whether they stepped out or not: the record shows who was
        // conflicted and what they did about it (rule T4), not only those who decided. A
        // member outside the body who declared one (an adviser, say) was never entitled to
        // decide: not a participant, whose conflict would count against the deciders.
        // The arrangement's review: who opened it and when, and how the deciding body
        // ended it, once it did.
        let (opened, concluded) = match &self.stage {
            FundingStage::UnderReview(opened) => (Some(opened), None),
            FundingStage::Reviewed(reviewed) => (Some(reviewed.opened()), Some(reviewed)),
            _ => (None, None),
        };
        if let Some(opened) = opened.filter(|o| o.at() <= now) {
            let ended = concluded
                .filter(|r| r.at() <= now)
                .map(|r| match r.renewed() {
                    true => ReviewEnd::Renewed {
                        rationale: r.rationale().to_owned(),
                        at: r.at(),
                    },
                    false => ReviewEnd::Ended {
                        rationale: r.rationale().to_owned(),
                        at: r.at(),
                    },
                });
            record.reviews = vec![ReviewRecord {
                number: 1,
                opened_at: opened.at(),
                objected_by: None,
                objection: None,
                rounds: Vec::new(),
                escalated_to: None,
                escalated_by: None,
                escalations: Vec::new(),
                reached: Vec::new(),
                ended,
            }];
        }

        // The round whose result the decision holds, and whether it consented.
        // A round that escalated the offer decided it so, naming no deciders of its own.
        let escalated = self.decided().is_some_and(|d| {
            matches!(d.outcome, FundingOutcome::Escalate { .. }) && d.deciders.is_empty()
        });
        let held = |r: &super::RoundReference, escalated: bool| crate::values::RoundHeld {
            reference: r.reference.clone(),
            consented: r.consented,
            proposes: r.proposes,
            escalated: escalated && !r.consented,
        };
        if let Some((last, before)) = self.consent_rounds().split_last() {
            record.round_held = Some(held(last, escalated));
            record.rounds_before = before.iter().map(|r| held(r, false)).collect();
        }
        if outcome.is_some() {
            let mut members: Vec<MemberId> = deciders.to_vec();
            members.extend(self.declared_on_body(community));
            members.sort_unstable();
            members.dedup();
            // Each decider took the decision recorded: that is their response (a round the
            // decision cites replaces these with the responses given there).
            record.participants = Some(
                members
                    .into_iter()
                    .map(|m| {
                        let mut p = self.participant(m, community);
                        if deciders.contains(&m) {
                            p.response = Some(RecordedResponse::Consent);
                        }
                        p
                    })
                    .collect(),
            );
        }

        // A route that asks for nothing before deciding records no advice log.
        if let Some(consulting) = self
            .stage
            .consulting()
            .filter(|c| !c.requirements().is_empty())
        {
            let critical = self.policy.critical_friends.as_ref();
            record.advice = Some(
                consulting
                    .advice()
                    .iter()
                    .map(|a| {
                        let mut bases = AdviceBases::new();
                        let kind = community.body(&a.body).map(|b| b.kind);
                        if Some(&a.body) == critical || kind == Some(BodyKind::AlliesGroup) {
                            bases.insert(AdviceBasis::CriticalFriend);
                            bases.insert(AdviceBasis::Expertise);
                        } else {
                            bases.insert(AdviceBasis::Affected);
                        }
                        // Staff and allies bring professional expertise to an advising
                        // body; lived experience is its own basis, below.
                        if community
                            .member(a.from)
                            .is_some_and(|m| m.has_role(Role::Staff) || m.has_role(Role::Ally))
                        {
                            bases.insert(AdviceBasis::Expertise);
                        }
                        if community.member(a.from).is_some_and(|m| m.lived_experience) {
                            bases.insert(AdviceBasis::LivedExperience);
                        }
                        AdviceEntry {
                            from: a.from,
                            bases,
                            text: Some(a.text.clone()),
                            given_at: Some(a.at),
                            answer: a.answer.clone().map(Cow::Owned),
                        }
                    })
                    .collect(),
            );
            // The bodies whose advice the log holds, as the community records them (I9).
            let bodies: BTreeSet<&BodyId> = consulting.advice().iter().map(|a| &a.body).collect();
            record.advisers = Some(
                bodies
                    .into_iter()
                    .filter_map(|b| community.figures(b).ok())
                    .collect(),
            );
            let mut ways = BTreeSet::new();
            if !consulting.comment_windows().is_empty() {
                ways.insert(Way::Written);
                ways.insert(Way::Asynchronous);
            }
            if !consulting.sessions().is_empty() {
                ways.insert(Way::Live);
            }
            // Without a window or a session the decision does not know how people could
            // take part (a meeting, a call): left for the caller's evidence to say.
            if !ways.is_empty() {
                record.ways_offered = Some(ways);
            }
        }

        // An automatic decline's reason is its rationale, published with it, and it was
        // decided when published.
        record.rationale = rationale
            .map(str::to_owned)
            .or_else(|| screened_out.map(|out| out.listing().rationale.clone()))
            .map(Into::into);
        if outcome.is_some() {
            record.dates.decided_at = Some(decided_at);
        } else if let Some(out) = screened_out {
            record.dates.decided_at = Some(out.published_at());
        }
        // The comment window is the decision's asynchronous part (rule H5 reads it); the
        // round's dates are the deciding round's, from its own record.
        // A window closes when it was set to, or earlier when the offer ended first (an
        // offer escalated with its round, or withdrawn): comments are taken no longer. A
        // window that has not closed by `now` has no closing yet.
        if let Some(window) = self.comment_windows().values().min_by_key(|w| w.opened_at) {
            let ended = match &self.stage {
                FundingStage::Withdrawn(w) => Some(w.at),
                _ => outcome.map(|_| decided_at),
            };
            let closed = ended.map_or(window.closes_at, |ended| ended.min(window.closes_at));
            record.dates.comment_window_opened_at = Some(window.opened_at);
            record.dates.comment_window_closed_at = (closed <= now).then_some(closed);
        }
        record.dates.review_at = self.review_date();
        record.dates.as_of = Some(now);
        record
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funding::typestate::tests::{ctx, triaged};
    use crate::machine::Context;

    /// A tier-0 offer in due diligence, where members 1 (no interest), 2 (a tie, stepped
    /// out), 3 (a tie, took part) and 9 (a tie) have declared: declarations are due
    /// diligence's data.
    fn declared() -> FundingDecision {
        let mut funding = triaged().start_due_diligence(ctx(3)).unwrap();
        for (member, interest, recused) in [
            (1, None, false),
            (2, Some("A tie"), true),
            (3, Some("A tie"), false),
            (9, Some("A tie"), false),
        ] {
            let ctx = Context::new(MemberId::new(member), ctx(4).now);
            funding = funding
                .declare_interest(ctx, interest.map(str::to_owned), recused)
                .unwrap();
        }
        funding.decision().clone()
    }

    #[test]
    fn declarations_are_recorded_as_the_value_check_reads_them() {
        let d = declared();
        assert_eq!(d.conflict_of(MemberId::new(1)), Some(Conflict::None));
        assert_eq!(
            d.conflict_of(MemberId::new(2)),
            Some(Conflict::DeclaredAndRecused)
        );
        assert_eq!(
            d.conflict_of(MemberId::new(3)),
            Some(Conflict::DeclaredAndTookPart)
        );
        assert_eq!(d.conflict_of(MemberId::new(4)), None);
    }

    #[test]
    fn a_proposed_decision_lists_everyone_who_declared_an_interest_beside_the_deciders() {
        let d = declared();
        // Members 1 to 3 sit on the deciding body; member 9, outside it, declared a tie too.
        let decider = d.route().unwrap().decider.clone();
        let mut community = Community::new();
        for id in [1, 2, 3, 9] {
            community
                .add_member(crate::community::Member::new(
                    MemberId::new(id),
                    format!("Member {id}"),
                ))
                .unwrap();
        }
        community
            .add_body(
                crate::community::Body::new(
                    decider,
                    "Deciders",
                    crate::community::BodyKind::StaffTeam,
                )
                .with_members([1, 2, 3].map(MemberId::new)),
            )
            .unwrap();
        let record = d.record_proposed(
            &FundingOutcome::Decline {},
            &[MemberId::new(1)],
            "Not a fit",
            &community,
            d.identified_at(),
        );
        let participants = record.participants.unwrap();
        let ids: Vec<u64> = participants.iter().map(|p| p.member.get()).collect();
        // Member 3 declared a tie and did not step out: not a decider, but on the body, so
        // in the record, with the interest, for rule T4 and for the reader. Member 9 was
        // never entitled to decide: not a participant.
        assert_eq!(ids, [1, 2, 3]);
        let three = participants.iter().find(|p| p.member.get() == 3).unwrap();
        assert_eq!(three.conflict, Some(Conflict::DeclaredAndTookPart));
        assert_eq!(three.interest.as_deref(), Some("A tie"));
        assert_eq!(record.outcome, Some(Outcome::Declined));
        assert_eq!(record.rationale.as_deref(), Some("Not a fit"));
    }

    #[test]
    fn each_check_done_names_who_did_it_and_what_they_found() {
        let dd = triaged().start_due_diligence(ctx(3)).unwrap();
        let by = Context::new(MemberId::new(5), ctx(4).now);
        let d = dd
            .complete_check(by, Check::Reputation, "No press about the trust")
            .unwrap()
            .decision()
            .clone();
        let record = d.record(&Community::new(), ctx(5).now);
        let checks = record.due_diligence.unwrap();
        let reputation = checks.iter().find(|c| c.check == "reputation").unwrap();
        assert_eq!(reputation.by, Some(MemberId::new(5)));
        assert_eq!(
            reputation.evidence.as_deref(),
            Some("No press about the trust")
        );
        let legal = checks
            .iter()
            .find(|c| c.check == "legal_and_sanctions")
            .unwrap();
        assert_eq!((legal.by, legal.evidence.as_deref()), (None, None));
    }
}
