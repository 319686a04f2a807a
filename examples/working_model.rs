//! The associate-roles case from start to review: workshops gather feedback into themes, a
//! draft working model is co-created and commented on, a consent round adopts it as a pilot
//! through the value gate, the record is published, and the pilot is reviewed when it ends,
//! by a reassessment round.
//!
//! Run it with `cargo run --example working_model`.

use std::collections::BTreeSet;

use coproduction::cocreation::{
    CoCreation, Facilitator, FeedbackItem, ItemId, Link, ProposalId, Session, SessionId,
    SessionKind, Theme, ThemeId,
};
use coproduction::community::{Community, MemberId};
use coproduction::consent::{
    Closed, ConsentRound, Response, RoundCommand, RoundConfig, RoundRoles,
};
use coproduction::decision::DecisionKind;
use coproduction::governance::{Governance, GovernanceMap, RouteFacts};
use coproduction::journal::StreamId;
use coproduction::machine::{Context, Decider};
use coproduction::process::Projection;
use coproduction::proposal::{
    Answer, DecisionResult, Lifecycle, ProposalCommand, ProposalConfig, ProposalProcess,
    ProposalRoles,
};
use coproduction::report::DecisionRecordMarkdown;
use coproduction::values::{Charter, Conflict, PaymentStatus, RuleId, UnmetKind, Way};
use jiff::Timestamp;

fn at(s: &str) -> Timestamp {
    s.parse().expect("a valid timestamp")
}

fn main() -> Result<(), coproduction::Error> {
    let community: Community = serde_json::from_str(include_str!("data/community.json"))?;
    let map: GovernanceMap = serde_json::from_str(include_str!("data/governance.json"))?;
    let governance = Governance::new(map, &community)?;
    let (staff_1, staff_2) = (MemberId::new(1), MemberId::new(2));
    let (co_producer_1, co_producer_2) = (MemberId::new(13), MemberId::new(14));
    let ctx = |who: MemberId, when: &str| Context::new(who, at(when));

    // Workshops: feedback, grouped into themes.
    let mut model = CoCreation::new();
    let workshop = SessionId::new(1);
    model.add_session(Session::new(
        workshop,
        SessionKind::Workshop,
        "Associate roles workshop",
        at("2022-06-14T10:00:00Z"),
        Facilitator::Member {
            member: co_producer_1,
        },
        "What should associate roles look like?",
    ))?;
    let feedback = [
        (
            1,
            co_producer_2,
            "Pay for preparation time, not just sessions",
        ),
        (2, co_producer_1, "No job titles: roles by what we do"),
    ];
    for (n, by, text) in feedback {
        model.add_item(FeedbackItem::by(
            ItemId::new(n),
            workshop,
            by,
            text,
            at("2022-06-14T11:00:00Z"),
        ))?;
    }
    model.add_theme(Theme::new(ThemeId::new(1), "Fair pay", ""))?;
    model.add_theme(Theme::new(ThemeId::new(2), "Flexible roles", ""))?;
    model.link(Link::Carries {
        theme: ThemeId::new(1),
        item: ItemId::new(1),
    })?;
    model.link(Link::Carries {
        theme: ThemeId::new(2),
        item: ItemId::new(2),
    })?;

    // The draft working model, open for comment from 28 August 2022, amended in the light
    // of the comments, and agreed in February 2023 for a pilot from 1 March 2023, as the
    // community's post planned.
    let members: BTreeSet<MemberId> = community.members().map(|m| m.id).collect();
    let config = ProposalConfig {
        id: ProposalId::new(1),
        title: "Associate roles working model".into(),
        kind: DecisionKind::WorkingModel,
        text: "Co-producers take flexible roles without titles.".into(),
        answers: vec![Answer::Theme {
            id: ThemeId::new(2),
        }],
        roles: ProposalRoles {
            proposers: BTreeSet::from([staff_1]),
            steward: staff_2,
            members,
        },
        changes: vec![],
        effective_from: None,
    };
    let route = governance.route(&DecisionKind::WorkingModel, RouteFacts::new())?;
    let summary = route
        .summary()
        .expect("the working model is decided, not declined");
    let proposal = Lifecycle::create(config, ctx(staff_1, "2022-08-28T09:00:00Z"))?
        .start_co_creation(ctx(staff_2, "2022-08-28T09:30:00Z"))?
        .link_feedback(
            ctx(staff_2, "2022-09-12T09:00:00Z"),
            &[ItemId::new(1), ItemId::new(2)],
            &[ThemeId::new(1), ThemeId::new(2)],
        )?
        .amend(
            ctx(staff_1, "2022-11-14T09:00:00Z"),
            "Co-producers take flexible roles without titles, with paid preparation time.",
            &[
                Answer::Theme {
                    id: ThemeId::new(1),
                },
                Answer::Item { id: ItemId::new(1) },
            ],
        )?
        .mark_ready(ctx(staff_2, "2023-01-23T09:00:00Z").with_route(&route))?;

    // In decision: a consent round of the body the route names.
    let stream = StreamId::new("consent-round:1")?;
    let proposal = proposal.start_decision(ctx(staff_2, "2023-02-06T10:00:00Z"), stream.clone())?;
    let roles = RoundRoles {
        proposer: staff_1,
        facilitator: co_producer_1,
        secretary: staff_2,
    };
    let text = proposal
        .proposal()
        .latest()
        .map(|v| v.text.clone())
        .unwrap_or_default();
    let round_config =
        RoundConfig::from_route(&route, &community, "Pilot the working model", text, roles)?;
    let eligible: Vec<MemberId> = round_config.eligible.iter().map(|m| m.member).collect();
    let facilitator = |when: &str| ctx(co_producer_1, when);
    let mut round = ConsentRound::open(round_config, ctx(staff_1, "2023-02-06T10:00:00Z"))?
        .start_clarifying(facilitator("2023-02-06T10:05:00Z"))?
        .start_reactions(facilitator("2023-02-06T10:10:00Z"))?
        .start_objection_round(facilitator("2023-02-06T10:15:00Z"))?;
    for who in &eligible {
        round = round.respond(ctx(*who, "2023-02-06T10:20:00Z"), *who, Response::consent())?;
    }
    let Closed::Consented(round) = round.close(facilitator("2023-02-06T10:30:00Z"))? else {
        unreachable!("nobody objected, so the round consents");
    };

    // The value gate: the round's record, the proposal's facts over it, and what the app adds.
    let now = at("2023-02-06T10:40:00Z");
    // The pilot runs from 1 March 2023, as the community planned, for six months.
    let pilot_starts = "2023-03-01T09:30:00Z";
    let pilot_ends = at("2023-09-01T00:00:00Z");
    // The round's record as its adoption would project it, and the proposal's over it as
    // its adoption would (decide, evolve a copy, project: as an engine gates); named as
    // this proposal's, as it stands, so the proof fits its adoption and nothing else.
    let projection = Projection {
        kind: &DecisionKind::WorkingModel,
        community: &community,
        route: Some(&route),
        now,
    };
    let secretary = ctx(staff_2, "2023-02-06T10:40:00Z");
    let round_adoption = RoundCommand::RecordOutcome {
        statement: "Piloted for six months".into(),
        review_date: pilot_ends,
    };
    let round_record = round
        .preview(&round_adoption, &secretary, &projection, None)?
        .expect("the round's record");
    let adoption = ProposalCommand::RecordDecision {
        round: stream.clone(),
        result: DecisionResult::Adopted {
            review_date: pilot_ends,
        },
    };
    let mut record = proposal
        .preview(&adoption, &secretary, &projection, Some(round_record))?
        .expect("the proposal's record");
    record.route_given = Some(summary.clone());
    record.route_taken = Some(summary);
    record.rationale =
        Some("The workshops asked for paid, flexible roles; a pilot tests them.".into());
    record.alternatives = Some(vec!["Recruit project by project".into()]);
    record.ways_offered = Some([Way::Live, Way::Written].into_iter().collect());
    record.access_requests = Some(Vec::new());
    for participant in record.participants.iter_mut().flat_map(|p| p.edit()) {
        participant.conflict = Some(Conflict::None);
        if participant.public_contributor {
            participant.payment = Some(PaymentStatus::Accepted);
        }
    }
    let charter = Charter::default();
    let report = charter.check(&record);
    // Whatever the app could not gather stays in the report; here the steward takes
    // responsibility for each remaining blocking finding, and acknowledges each warning, so
    // the walkthrough can go on. The published record shows every one of them.
    if let Err(refusal) = report.gate() {
        for unmet in refusal.unmet() {
            let rule = RuleId::new(unmet.rule.as_str())?;
            record = match unmet.kind {
                UnmetKind::NeedsAcknowledgement => record.with_acknowledgement(
                    rule,
                    staff_2,
                    "Known gap for the pilot; reported at review",
                ),
                _ => record.with_override(
                    rule,
                    staff_2,
                    "Gathered after the pilot starts; reported at review",
                ),
            };
        }
    }
    let report = charter.check(&record);
    let proof = report.gate()?;
    let proposal = proposal
        .adopt(
            ctx(staff_2, "2023-02-06T10:40:00Z"),
            stream,
            pilot_ends,
            proof,
        )?
        .publish(
            ctx(staff_2, "2023-02-13T09:00:00Z"),
            "The workshops asked for paid, flexible roles; a pilot tests them.",
            &["Recruit project by project"],
        )?
        .start_pilot(ctx(staff_2, pilot_starts), pilot_ends)?;

    let p = proposal.proposal();
    let published = p.record(Some(record), at(pilot_starts));
    println!(
        "{}",
        DecisionRecordMarkdown::new(&published, &charter.check(&published))
            .titled("Associate roles working model")
    );

    println!(
        "The pilot runs from {} to its review on {}.",
        &pilot_starts[..10],
        pilot_ends.strftime("%Y-%m-%d")
    );

    // The pilot ends and is reviewed: not by a steward alone, but by a reassessment round
    // on the pilot's evaluation, which consents to continue it with a new review date.
    let reassessment = StreamId::new("working-model-reassessment")?;
    let reviewed = proposal
        .open_review(ctx(staff_2, "2023-09-01T09:00:00Z"))?
        .start_reassessment(ctx(staff_2, "2023-09-01T09:30:00Z"), reassessment.clone())?
        .reassessment_adopted(
            ctx(staff_2, "2023-09-13T09:00:00Z"),
            reassessment,
            at("2024-09-01T00:00:00Z"),
        )?;
    let p = reviewed.proposal();
    println!(
        "After the pilot: {} with {} versions kept, next review {}.",
        reviewed.phase().label_str(),
        p.versions().len(),
        p.review_date()
            .map(|d| d.strftime("%Y-%m-%d").to_string())
            .unwrap_or_default()
    );
    assert_eq!(
        ProposalProcess::replay(reviewed.events()).proposal(),
        Some(reviewed.proposal())
    );
    println!(
        "\nThe proposal's phases, as Graphviz DOT:\n{}",
        ProposalProcess::graph()?.dot()
    );
    Ok(())
}

trait LabelStr {
    fn label_str(self) -> &'static str;
}

impl LabelStr for coproduction::proposal::ProposalPhase {
    fn label_str(self) -> &'static str {
        coproduction::machine::Phase::label(self)
    }
}
