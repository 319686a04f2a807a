//! Two funding decisions from the seed community's situation.
//!
//! 1. A pharmaceutical company's foundation offers £12,000 for a co-produced project, on
//!    condition that it reviews findings before they are published. £12,000 alone is tier 1;
//!    the condition on publication forces tier 2 (rule C5), so governance routes the offer to
//!    the decision circle by consent, after advice from the associate-roles team and the
//!    Allies Group, and the whole community's views. Due diligence runs the tier-2
//!    checklist; a staff member with a past tie to the foundation declares it and steps out.
//!    The consultation runs its course, the circle consents, the value gate passes, and the
//!    offer is accepted with the community's own condition: findings are published in full.
//!    The register entry is published and the conditions monitored to a review date.
//! 2. A tobacco company offers a grant. The red-line screen declines it automatically and
//!    publishes the reason; no decision, and no override, can accept it.
//!
//! Run it with `cargo run --example funding_decision`.

use coproduction::community::{BodyId, Community, MemberId};
use coproduction::consent::{Closed, ConsentRound, Response, RoundConfig, RoundRoles};
use coproduction::decision::DecisionKind;
use coproduction::funding::{
    AdviceId, Check, Funding, FundingCommand, FundingOutcome, FundingPhase, FundingPolicy,
    FundingProcess, Offer, Reviewed, RoundProposes, Screened, TierReason, route_facts, tier,
};
use coproduction::governance::{Governance, GovernanceMap};
use coproduction::machine::{Context, Decider};
use coproduction::values::{
    AccessRequest, Charter, Conflict, ExpensesFacts, FundingCondition, GateSummary, PaymentStatus,
    Restriction, RuleId, SetAside, StakeholderFacts, Status, UnmetKind, ValueReport,
};
use jiff::Timestamp;

fn at(s: &str) -> Timestamp {
    s.parse().expect("a valid timestamp")
}

fn body(slug: &str) -> BodyId {
    BodyId::new(slug).expect("a valid body id")
}

fn main() -> Result<(), coproduction::Error> {
    let community: Community = serde_json::from_str(include_str!("data/community.json"))?;
    let map: GovernanceMap = serde_json::from_str(include_str!("data/governance.json"))?;
    let governance = Governance::new(map, &community)?;
    let policy = FundingPolicy::seed();
    let charter = Charter::default();
    let m = MemberId::new;
    let ctx = |who: u64, when: &str| Context::new(m(who), at(when));
    let names = |id: MemberId| community.member(id).map_or("unknown", |m| m.name.as_str());

    // ---------------------------------------------------------------------------------
    println!("# Case 1: an offer that restricts publication\n");
    let offer = Offer::new(
        DecisionKind::Funding,
        "A pharmaceutical company's foundation",
        "Pharmaceutical philanthropy",
        "£12,000 towards a co-produced study of access to mental health services",
    )
    .amount(12_000)
    .condition(
        "The foundation reviews findings before they are published",
        [Restriction::Publication],
    );
    let triage = tier(&offer, &policy);
    let reasons: Vec<String> = triage.reasons.iter().map(reason).collect();
    println!(
        "Tier {}, because: {}",
        triage.tier.number(),
        reasons.join("; ")
    );
    let route = governance.route(&offer.kind, route_facts(&offer, &policy))?;
    println!(
        "Route: {} decides by {}; consult first: {}",
        route.decider,
        route.procedure,
        route
            .consult
            .iter()
            .map(|c| c.body.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );

    let funding = Funding::identify(offer, policy.clone(), ctx(1, "2024-05-01T09:00:00Z"))?
        .start_screening(ctx(1, "2024-05-01T09:05:00Z"))?;
    let Screened::Triaged(funding) =
        funding.screen(ctx(1, "2024-05-01T09:10:00Z").with_route(&route))?
    else {
        unreachable!("no red line is crossed");
    };
    let mut funding = funding.start_due_diligence(ctx(1, "2024-05-01T09:15:00Z"))?;

    // Declarations: Staff member 2 once worked for the foundation and steps out.
    let circle: Vec<MemberId> = community
        .body(&route.decider)
        .expect("the decision circle")
        .members()
        .collect();
    funding = funding.declare_interest(
        ctx(2, "2024-05-01T09:20:00Z"),
        Some("Worked for the foundation's parent company until 2021".into()),
        true,
    )?;
    for (i, member) in circle.iter().filter(|&&x| x != m(2)).enumerate() {
        funding = funding.declare_interest(
            Context::new(*member, at(&format!("2024-05-01T09:{:02}:00Z", 21 + i))),
            None,
            false,
        )?;
    }

    // Due diligence: every check on the tier-2 list, by a named member, with evidence.
    let checks = [
        (
            Check::LegalAndSanctions,
            3,
            "Registered charity; not on the sanctions lists checked on 2 May",
        ),
        (
            Check::Reputation,
            4,
            "Press search: a past marketing dispute, settled in 2019",
        ),
        (
            Check::ConflictsOfInterest,
            1,
            "One declared tie; Staff member 2 steps out",
        ),
        (
            Check::EthicsAndMissionFit,
            13,
            "The study's questions are the community's own",
        ),
        (
            Check::Conditions,
            14,
            "Pre-publication review would let the funder delay findings",
        ),
        (
            Check::FinancialStability,
            3,
            "Endowed foundation; £12,000 is 8% of this year's income",
        ),
        (
            Check::InvolvementPractice,
            5,
            "The foundation funds patient panels but pays no one",
        ),
    ];
    for (i, (check, who, evidence)) in checks.into_iter().enumerate() {
        funding = funding.complete_check(
            ctx(who, &format!("2024-05-02T{}:00:00Z", 10 + i)),
            check,
            evidence,
        )?;
    }

    // Consultation along the route.
    let consultation = funding.start_consultation(ctx(1, "2024-05-07T09:00:00Z"))?;
    let requirements = consultation
        .decision()
        .requirements()
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>();
    println!("The route asks for: {}", requirements.join("; "));
    let consultation = consultation
        .record_advice(
            ctx(1, "2024-05-07T10:00:00Z"),
            body("associate_roles_team"),
            m(13),
            "Take it only if we can publish whatever we find.",
        )?
        .answer_advice(
            ctx(1, "2024-05-07T11:00:00Z"),
            AdviceId(1),
            "Agreed: our acceptance will make free publication a condition.",
        )?
        .record_advice(
            ctx(1, "2024-05-08T10:00:00Z"),
            body("allies_group"),
            m(5),
            "Point 1: the review clause must have a short deadline and no veto.",
        )?
        .record_advice(
            ctx(1, "2024-05-08T10:05:00Z"),
            body("allies_group"),
            m(8),
            "Point 2: say publicly who funds the study.",
        )?
        .answer_advice(
            ctx(1, "2024-05-08T12:00:00Z"),
            AdviceId(2),
            "The foundation may comment for 14 days; it cannot stop or change publication.",
        )?
        .answer_advice(
            ctx(1, "2024-05-08T12:05:00Z"),
            AdviceId(3),
            "The register entry and every output will name the funder.",
        )?
        .open_comment_window(ctx(1, "2024-05-08T13:00:00Z"), body("whole_community"))?
        .comment(
            ctx(17, "2024-05-10T18:00:00Z"),
            body("whole_community"),
            "Will co-producers be paid from the grant?",
        )?
        .record_session(
            ctx(13, "2024-05-14T18:00:00Z"),
            body("whole_community"),
            "Co-creation session, 14 May: what the study should ask",
        )?;

    // The consent round in the decision circle, without the member who stepped out.
    let mut config = RoundConfig::from_route(
        &route,
        &community,
        "Accept the foundation's £12,000 with our publication condition",
        "Accept, on condition that findings are published in full; the foundation may comment within 14 days.",
        RoundRoles {
            proposer: m(1),
            facilitator: m(13),
            secretary: m(14),
        },
    )?;
    config.eligible.retain(|e| e.member != m(2));
    let mut round = ConsentRound::open(config, ctx(1, "2024-05-16T18:00:00Z"))?
        .start_clarifying(ctx(13, "2024-05-16T18:05:00Z"))?
        .start_reactions(ctx(13, "2024-05-16T18:15:00Z"))?
        .start_objection_round(ctx(13, "2024-05-16T18:30:00Z"))?;
    for (i, member) in circle.iter().filter(|&&x| x != m(2)).enumerate() {
        round = round.respond(
            Context::new(*member, at(&format!("2024-05-16T18:{:02}:00Z", 31 + i))),
            *member,
            Response::consent(),
        )?;
    }
    let Closed::Consented(round) = round.close(ctx(13, "2024-05-16T18:45:00Z"))? else {
        unreachable!("nobody objected");
    };
    let consultation = consultation.record_consent_round(
        ctx(14, "2024-05-16T18:50:00Z"),
        "consent round of 16 May in the decision circle",
        true,
        // It proposed to accept, with the community's own conditions: the decision is
        // bound to what it consented to.
        Some(RoundProposes::Accept),
    )?;

    // Deciding: the comment window has run its seven days.
    let deciding = consultation.start_deciding(ctx(1, "2024-05-16T19:00:00Z"))?;
    let deciders: Vec<MemberId> = circle.iter().copied().filter(|&x| x != m(2)).collect();
    let own_conditions = vec![FundingCondition {
        text: "Findings are published in full; the foundation may comment within 14 days but not change or delay them".into(),
        restricts: Default::default(),
    }];
    // The foundation's own condition, a review before publication, does not stand.
    let set_aside = vec![SetAside {
        condition: "The foundation reviews findings before they are published".into(),
        reason: "Findings are the community's to publish; our condition replaces it".into(),
    }];
    let outcome = FundingOutcome::AcceptWithConditions {
        conditions: own_conditions.clone(),
        set_aside: set_aside.clone(),
    };
    let rationale = "The study is the community's own; with free publication secured, the grant pays co-producers for their time.";
    let now = at("2024-05-16T19:05:00Z");
    let decision = deciding.decision();
    // Named as this decision's, as it stands: the proof fits its acceptance and nothing else.
    let mut record = deciding
        .name_record(decision.record_proposed(&outcome, &deciders, rationale, &community, now));
    // The round's responses, with each decider's declaration from the funding decision.
    let round_record = round.round().record(DecisionKind::Funding, &community, now);
    let mut participants = round_record.participants.unwrap_or_default();
    participants
        .push(coproduction::values::Participant::new(m(2)).declared(Conflict::DeclaredAndRecused));
    for p in participants.edit() {
        p.conflict = decision.conflict_of(p.member);
        if p.public_contributor {
            p.payment = Some(PaymentStatus::Accepted);
        }
    }
    record.participants = Some(participants);
    record.absence_policy = round_record.absence_policy;
    record.objections = round_record.objections;
    record.alternatives = Some(vec![
        "Decline the offer".into(),
        "Accept the offer as made, with the foundation's review".into(),
    ]);
    record.access_requests = Some(Vec::<AccessRequest>::new());
    record.benefits_advice_signposted = Some(true);
    record.stakeholders = Some(StakeholderFacts {
        took_part: ["co_producers", "allies", "staff"].map(Into::into).into(),
        waivers: Default::default(),
    });
    record.dates.review_at = Some(at("2025-05-16T00:00:00Z"));
    record.dates.session_at = Some(at("2024-05-14T18:00:00Z"));
    record.dates.papers_sent_at = Some(at("2024-05-07T09:00:00Z"));
    record.expenses = Some(ExpensesFacts {
        policy_applies: true,
        longest_wait_days: Some(10),
    });
    // The Allies Group advised with three of its eight members bringing lived experience,
    // which I9 flags: the circle acknowledges it.
    let record = record.with_acknowledgement(
        "I9".parse()?,
        m(14),
        "The Allies Group is recruiting members with lived experience",
    );

    let report = charter.check(&record);
    show(&report);
    let proof = report.gate()?;
    println!(
        "The gate passes ({} rules checked).",
        proof.rules_checked().len()
    );
    // A warning does not block once it is acknowledged with a reason: say which.
    for a in proof.acknowledgements_used() {
        println!(
            "  {}'s warning is acknowledged by {}: {}",
            a.rule,
            community
                .member(a.by)
                .map_or_else(|| a.by.to_string(), |m| m.name.clone()),
            a.reason
        );
    }
    let accepted = deciding.accept_with_conditions(
        ctx(14, "2024-05-16T19:10:00Z"),
        own_conditions,
        set_aside,
        deciders,
        rationale,
        proof,
    )?;
    // The accepted decision keeps the proof it was accepted with, and hands it on.
    let published = accepted.publish(ctx(1, "2024-05-20T09:00:00Z"), None)?;
    if let Some(kept) = published.proof() {
        let summary = GateSummary::new(charter.hash(), kept);
        if summary.charter == charter.hash() {
            println!("Accepted under the charter it was checked against.");
        } else {
            println!("Accepted, but under another charter than the one it was checked against.");
        }
    }
    let listing = published.decision().listing().expect("a register entry");
    println!(
        "\nRegister entry:\n{}",
        serde_json::to_string_pretty(listing)?
    );
    let monitoring =
        published.start_monitoring(ctx(1, "2024-05-20T09:05:00Z"), at("2025-05-16T00:00:00Z"))?;
    let Reviewed::Renewed(renewed) = monitoring
        .start_review(ctx(1, "2025-05-16T09:00:00Z"), "The review date has come")?
        .review(
            ctx(13, "2025-05-20T18:00:00Z"),
            true,
            "The foundation kept to the publication condition; renewed for a second year.",
        )?
    else {
        unreachable!("renewed");
    };
    let events = renewed.events();
    assert_eq!(
        FundingProcess::replay(events).decision(),
        Some(renewed.decision())
    );
    println!(
        "Renewed after {} events; replaying them rebuilds the decision.",
        events.len()
    );
    let deciders: Vec<&str> = circle
        .iter()
        .filter(|&&x| x != m(2))
        .map(|&x| names(x))
        .collect();
    println!(
        "{} stepped out; the deciders were: {}",
        names(m(2)),
        deciders.join(", ")
    );

    // ---------------------------------------------------------------------------------
    println!("\n# Case 2: a red-line funder\n");
    let offer = Offer::new(
        DecisionKind::Funding,
        "A tobacco company",
        "Tobacco",
        "A grant towards community events",
    )
    .amount(5_000);
    let route = governance.route(&offer.kind, route_facts(&offer, &policy))?;
    println!("Route: {} ({})", route.procedure, route.decider);
    let funding = Funding::identify(offer, policy, ctx(1, "2024-06-03T09:00:00Z"))?
        .start_screening(ctx(1, "2024-06-03T09:05:00Z"))?;
    let Screened::Declined(declined) =
        funding.screen(ctx(1, "2024-06-03T09:10:00Z").with_route(&route))?
    else {
        unreachable!("a red line is crossed");
    };
    let decision = declined.decision();
    println!(
        "Declined at screening; published: {}",
        decision.listing().map_or("", |l| l.rationale.as_str())
    );
    assert_eq!(declined.phase(), FundingPhase::Declined);
    let mut record = decision.record(&community, at("2024-06-03T10:00:00Z"));
    let (state, _) = declined.into_parts();

    // Nothing can accept it: the machine has no step from `declined`, and the gate refuses
    // C4 even with an override recorded.
    let refused = FundingProcess::decide(
        &state,
        &FundingCommand::Decide {
            outcome: FundingOutcome::Accept {},
            deciders: vec![m(1)],
            rationale: "We need the money".into(),
        },
        &ctx(1, "2024-06-03T10:00:00Z"),
    );
    println!(
        "Trying to accept it anyway: {}",
        refused.expect_err("refused")
    );
    record.outcome = Some(coproduction::values::Outcome::Adopted);
    let record = record.with_override(RuleId::new("C4")?, m(1), "We need the money");
    let refusal = charter.gate(&record).expect_err("the gate refuses");
    let c4 = refusal
        .unmet()
        .iter()
        .find(|u| u.rule.as_str() == "C4")
        .expect("C4 unmet");
    let kind = match c4.kind {
        UnmetKind::NotOverridable => "cannot be overridden, not even by the override recorded",
        UnmetKind::NeedsOverride => "needs an override (who, why)",
        UnmetKind::NeedsAcknowledgement => "needs an acknowledgement with a reason",
        _ => "is unmet",
    };
    println!("The gate on an acceptance: C4 {kind}: {}", c4.message);

    println!(
        "\nThe funding decision's phases, as Graphviz DOT:\n{}",
        FundingProcess::graph()?.dot()
    );
    Ok(())
}

/// Prints a report's verdicts and every finding that is not simply satisfied.
fn show(report: &ValueReport) {
    for v in report.verdicts() {
        println!("  {:<12} {}", v.value.as_str(), v.verdict.label());
    }
    for f in report.findings() {
        if !matches!(f.status, Status::Satisfied | Status::NotApplicable) {
            println!("    {} {}: {}", f.rule, f.status.label(), f.message);
        }
    }
}

/// Why an offer was put in its tier, in words.
fn reason(reason: &TierReason) -> String {
    match reason {
        TierReason::Amount { amount, tier } => format!("£{amount} calls for {tier}"),
        TierReason::ConflictOfInterest {} => "a conflict of interest was declared".to_owned(),
        TierReason::RestrictsPublication {} => "a condition restricts publication".to_owned(),
        TierReason::RestrictsVoice {} => "a condition restricts contributors' voice".to_owned(),
        TierReason::ReputationalFlag {} => "a reputational flag".to_owned(),
        TierReason::DependencyOnOneFunder {} => "dependency on one funder".to_owned(),
        TierReason::InstitutionalPolicy {} => "an institutional policy applies".to_owned(),
        _ => "another reason".to_owned(),
    }
}
