//! A consent round from start to adoption: the associate-roles team decides whether to pilot
//! the draft working model.
//!
//! The round takes its deciding body and method from the community's governance map. A
//! co-producer objects (co-producers with caring responsibilities could not take part without
//! paid preparation time); the facilitator tests the objection, the proposer amends, both
//! confirm it resolved, the next round consents. The round is then checked against the
//! community's values, and adopted with the proof the gate returns.
//!
//! Run it with `cargo run --example consent_round`.

use coproduction::community::{Community, MemberId};
use coproduction::consent::{
    Advanced, Answers, Closed, ConsentProcess, ConsentRound, ObjectionId, Response, RoundCommand,
    RoundConfig, RoundRoles, ValidityCriterion,
};
use coproduction::decision::DecisionKind;
use coproduction::governance::{Governance, GovernanceMap, RouteFacts};
use coproduction::machine::{Context, Decider};
use coproduction::process::Projection;
use coproduction::values::{
    AccessRequest, Charter, Conflict, Credit, ExpensesFacts, GateSummary, PaymentStatus,
    StakeholderFacts, Status, ValueReport, Way,
};
use jiff::Timestamp;

fn at(s: &str) -> Timestamp {
    s.parse().expect("a valid timestamp")
}

fn main() -> Result<(), coproduction::Error> {
    let community: Community = serde_json::from_str(include_str!("data/community.json"))?;
    let map: GovernanceMap = serde_json::from_str(include_str!("data/governance.json"))?;
    let governance = Governance::new(map, &community)?;

    let route = governance.route(&DecisionKind::WorkingModel, RouteFacts::new())?;
    println!(
        "Route for the working model: {} decides by {}",
        route.decider, route.procedure
    );

    let (staff_1, staff_2) = (MemberId::new(1), MemberId::new(2));
    let (co_producer_1, co_producer_2) = (MemberId::new(13), MemberId::new(14));
    let roles = RoundRoles {
        proposer: staff_1,
        facilitator: co_producer_1,
        secretary: staff_2,
    };
    let config = RoundConfig::from_route(
        &route,
        &community,
        "Pilot the co-producer working model",
        "Freelance co-producers work to the draft working model on projects from March, for six months.",
        roles,
    )?;
    let names = |id: MemberId| community.member(id).map_or("unknown", |m| m.name.as_str());
    let eligible: Vec<&str> = config.eligible.iter().map(|m| names(m.member)).collect();
    println!("Eligible: {}", eligible.join(", "));

    let ctx = |who: MemberId, when: &str| Context::new(who, at(when));
    let facilitator = |when: &str| ctx(co_producer_1, when);

    // Present, clarify, react, amend.
    let round = ConsentRound::open(config, ctx(staff_1, "2022-09-01T10:00:00Z"))?
        .start_clarifying(facilitator("2022-09-01T10:05:00Z"))?
        .ask(
            ctx(co_producer_2, "2022-09-01T10:07:00Z"),
            "Who decides which projects co-producers join?",
        )?
        .start_reactions(facilitator("2022-09-01T10:15:00Z"))?
        .react(
            ctx(co_producer_2, "2022-09-01T10:17:00Z"),
            "Good that there are no titles.",
        )?
        .amend(
            ctx(staff_1, "2022-09-01T10:25:00Z"),
            "Projects are offered to all co-producers at once.",
        )?
        .start_objection_round(facilitator("2022-09-01T10:30:00Z"))?;

    // The first objection round.
    let round = round
        .respond(ctx(staff_1, "2022-09-01T10:31:00Z"), staff_1, Response::consent())?
        .respond(
            ctx(co_producer_1, "2022-09-01T10:32:00Z"),
            co_producer_1,
            Response::ConsentWithConcern { concern: "Six months may be too short to see the impact.".into() },
        )?
        .respond(
            ctx(co_producer_2, "2022-09-01T10:33:00Z"),
            co_producer_2,
            Response::Object {
                reason: "Without paid preparation time, co-producers with caring responsibilities cannot take part."
                    .into(),
            },
        )?;
    let Closed::Integrating(round) = round.close(facilitator("2022-09-01T10:35:00Z"))? else {
        unreachable!("an objection was raised, so integration should follow");
    };
    match round.round().last_tally() {
        Some(t) => println!(
            "Objection round 1 closed: {} of {} responded ({} with lived experience): {} \
             consented ({} of them with a concern), {} objected.",
            t.responded,
            t.eligible,
            t.lived_experience_responded,
            t.consents,
            t.concerns,
            t.objections
        ),
        None => println!("Objection round 1 closed, with no tally."),
    }

    // Integrate the objection: test it, amend, both confirm.
    let objection = ObjectionId(1);
    let round = round
        .test_objection(
            facilitator("2022-09-01T10:40:00Z"),
            objection,
            &[
                ValidityCriterion::ReducesCapacity,
                ValidityCriterion::CausedByProposal,
            ],
            "Co-producers who would be excluded are part of the group's current capacity.",
            true,
        )?
        .amend(
            ctx(staff_1, "2022-09-01T10:50:00Z"),
            "Two hours of paid preparation time for every session.",
            &[Answers::Objection { id: objection }],
        )?
        .confirm_resolved(ctx(co_producer_2, "2022-09-01T10:52:00Z"), objection)?
        .confirm_resolved(ctx(staff_1, "2022-09-01T10:53:00Z"), objection)?;
    let Advanced::ObjectionRound(round) = round.next_round(facilitator("2022-09-01T10:55:00Z"))?
    else {
        unreachable!("three objection rounds are allowed");
    };

    // The second objection round consents.
    let mut round = round;
    for (who, minute) in [
        (staff_1, "56"),
        (co_producer_1, "57"),
        (co_producer_2, "58"),
    ] {
        round = round.respond(
            ctx(who, &format!("2022-09-01T10:{minute}:00Z")),
            who,
            Response::consent(),
        )?;
    }
    let Closed::Consented(round) = round.close(facilitator("2022-09-01T11:00:00Z"))? else {
        unreachable!("nobody objected in round 2");
    };

    // The value gate: project the round, add what the round itself does not hold.
    let now = at("2022-09-01T11:05:00Z");
    let review = at("2023-02-28T00:00:00Z");
    // The record the adoption would project (decide, evolve a copy, project: as an engine
    // gates), named as this round's as it stands: the proof fits its adoption and nothing
    // else.
    let statement = "The working model is piloted from March 2023, with paid preparation time.";
    let adoption = RoundCommand::RecordOutcome {
        statement: statement.into(),
        review_date: review,
    };
    let projection = Projection {
        kind: &DecisionKind::WorkingModel,
        community: &community,
        route: None,
        now,
    };
    let mut record = round
        .preview(
            &adoption,
            &ctx(staff_2, "2022-09-01T11:05:00Z"),
            &projection,
            None,
        )?
        .expect("the round's record");
    record.route_given = route.summary();
    record.rationale = Some(
        "The workshops asked for paid, flexible roles without titles; a pilot tests that.".into(),
    );
    record.alternatives = Some(vec![
        "Keep recruiting project by project".into(),
        "Wait for a full model".into(),
    ]);
    record.ways_offered = Some([Way::Live, Way::Written].into_iter().collect());
    record.access_requests = Some(Vec::<AccessRequest>::new());
    record.dates.review_at = Some(review);
    record.dates.papers_sent_at = Some(at("2022-08-22T09:00:00Z"));
    record.dates.session_at = Some(at("2022-09-01T10:00:00Z"));

    let charter = Charter::default();
    show(&charter.check(&record));
    if let Err(refusal) = charter.gate(&record) {
        println!(
            "The gate refuses adoption: {} findings unmet.",
            refusal.unmet().len()
        );
    }

    // The round alone does not hold everything the values ask about. The app records the rest:
    // payment offered to the co-producers (who accepted), each decider's declaration of
    // interests, the expenses policy, who took part, and the consultation the route asked for.
    println!("\nAdding the evidence the round does not hold, and checking again:");
    for p in record.participants.iter_mut().flat_map(|p| p.edit()) {
        p.conflict = Some(Conflict::None);
        if p.public_contributor {
            p.payment = Some(PaymentStatus::Accepted);
        }
    }
    record.benefits_advice_signposted = Some(true);
    record.expenses = Some(ExpensesFacts {
        policy_applies: true,
        longest_wait_days: Some(14),
    });
    record.credits = Some(
        [staff_1, co_producer_1, co_producer_2]
            .map(|member| Credit {
                member,
                credited: true,
            })
            .to_vec(),
    );
    record.stakeholders = Some(StakeholderFacts {
        took_part: ["co_producers", "allies", "staff"].map(Into::into).into(),
        waivers: Default::default(),
    });
    // The staff team and the Allies Group gave advice on the draft, and the whole community
    // commented on it: the route taken is the route given. The Allies Group advised with
    // three of its eight members bringing lived experience, which I9 flags; the facilitator
    // acknowledges it.
    record.route_taken = route.summary();
    record.advisers = Some(vec![
        community.figures(&"staff_team".parse()?)?,
        community.figures(&"allies_group".parse()?)?,
    ]);
    let record = record.with_acknowledgement(
        "I9".parse()?,
        co_producer_1,
        "The Allies Group is recruiting members with lived experience",
    );
    let report = charter.check(&record);
    show(&report);

    let proof = match report.gate() {
        Ok(proof) => proof,
        Err(refusal) => {
            println!("\nThe gate still refuses adoption: {refusal}");
            return Ok(());
        }
    };
    println!(
        "The gate passes ({} rules checked).",
        proof.rules_checked().len()
    );
    // A warning does not block once it is acknowledged, with a reason, by whom governance
    // allows: say which.
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
    let adopted = round.record_outcome(
        ctx(staff_2, "2022-09-01T11:10:00Z"),
        statement,
        review,
        proof,
    )?;
    // The adopted round keeps the proof it was adopted with; its summary names the charter.
    if let Some(kept) = adopted.proof() {
        let summary = GateSummary::new(charter.hash(), kept);
        println!(
            "Adopted under charter {}..., {} rules checked.",
            summary
                .charter
                .to_string()
                .chars()
                .take(12)
                .collect::<String>(),
            summary.rules_checked.len()
        );
    }
    let events = adopted.events();
    println!(
        "\nAdopted after {} events; the first and last, as JSON:",
        events.len()
    );
    if let (Some(first), Some(last)) = (events.first(), events.last()) {
        println!(
            "  {}",
            serde_json::to_string(first)?
                .chars()
                .take(120)
                .collect::<String>()
                + "..."
        );
        println!("  {}", serde_json::to_string(last)?);
    }
    assert_eq!(
        ConsentProcess::replay(events).round(),
        Some(adopted.round()),
        "the events rebuild the round"
    );

    println!(
        "\nThe consent round's phases, as Graphviz DOT:\n{}",
        ConsentProcess::graph()?.dot()
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
            println!(
                "    {} [{}, {}] {}: {}",
                f.rule,
                f.value,
                f.severity.label(),
                f.status.label(),
                f.message
            );
        }
    }
}
