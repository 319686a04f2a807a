//! Impact metrics from a journal the engine wrote: three rounds on the seed community (one
//! adopted after an objection was integrated and a concern logged, one withdrawn, one with a
//! proxy response and absences), asserted figure by figure, as a table and as JSON.

mod metrics_support;

use coproduction::cocreation::ItemId;
use coproduction::community::{BodyId, Share};
use coproduction::decision::{DecisionKind, Method};
use coproduction::engine::Engine;
use coproduction::journal::{Journal, MemoryJournal, StreamId};
use coproduction::metrics::{Metrics, ObjectionCounts};
use jiff::SignedDuration;

use metrics_support::{at, changed_mind, charter, cocreation, community, drive};

fn metrics() -> Metrics {
    let community = community();
    let engine = Engine::open(community.clone(), None, charter(), MemoryJournal::new()).unwrap();
    drive(&engine);
    let envelopes = engine.journal().read_all().unwrap();
    Metrics::from_journal(&envelopes, &community, &charter(), Some(&cocreation()))
}

fn decision<'m>(metrics: &'m Metrics, stream: &str) -> &'m coproduction::metrics::DecisionMetrics {
    let stream = StreamId::new(stream).unwrap();
    metrics
        .decisions
        .iter()
        .find(|d| d.stream == stream)
        .unwrap()
}

#[test]
fn an_objection_integrated_and_a_concern_logged_are_counted() {
    let metrics = metrics();
    let d = decision(&metrics, "working-model");
    assert_eq!(d.kind, DecisionKind::WorkingModel);
    assert_eq!(d.deciding_body, BodyId::new("decision_circle").unwrap());
    assert_eq!(d.method, Method::Consent);
    // Members 1, 2, 9, 13, 14 in the first objection round, 16 joining in the second.
    assert_eq!((d.eligible, d.responded, d.by_proxy), (8, 6, 0));
    assert_eq!(d.participation, Share::new(6, 8));
    // Of the responders, 1, 13, 14 and 16 bring lived experience; 2 and 9 do not.
    assert_eq!(d.lived_experience, Share::new(4, 6));
    assert_eq!(
        d.objections,
        ObjectionCounts {
            raised: 1,
            integrated: 1,
            ..ObjectionCounts::default()
        }
    );
    assert_eq!(d.concerns, 1);
    assert_eq!(d.opened_at, at(0));
    assert_eq!(d.decided_at, Some(at(150)));
    assert_eq!(d.time_to_decision, Some(SignedDuration::from_mins(150)));
    assert_eq!(d.outcome, "adopted");
    assert!(d.decided);
    assert!(d.rationale);
    assert_eq!(d.published_at, Some(at(150 + 60 * 24 * 2)));
    assert!(d.published_in_time);
}

#[test]
fn a_withdrawn_round_has_participation_but_no_decision() {
    let metrics = metrics();
    let d = decision(&metrics, "meeting-times");
    assert_eq!(d.participation, Share::new(1, 4));
    assert_eq!(d.lived_experience, Share::new(0, 1));
    assert_eq!(d.outcome, "withdrawn");
    assert!(!d.decided);
    assert_eq!((d.decided_at, d.time_to_decision), (None, None));
    assert!(!d.rationale && !d.published_in_time);
}

#[test]
fn a_proxy_response_counts_as_taking_part_and_an_unpublished_record_does_not_count() {
    let metrics = metrics();
    let d = decision(&metrics, "allies-terms");
    // Member 5's response was recorded by their supporter, member 6.
    assert_eq!((d.eligible, d.responded, d.by_proxy), (8, 4, 1));
    assert_eq!(d.participation, Share::new(4, 8));
    assert_eq!(d.lived_experience, Share::new(2, 4));
    assert_eq!(d.objections, ObjectionCounts::default());
    assert_eq!(d.concerns, 0);
    assert_eq!(d.time_to_decision, Some(SignedDuration::from_mins(90)));
    assert!(d.rationale);
    assert_eq!(d.published_at, None);
    assert!(!d.published_in_time);
}

#[test]
fn bodies_months_totals_publication_and_feedback_add_up() {
    let metrics = metrics();
    let bodies: Vec<(&str, usize, Share, Share)> = metrics
        .bodies
        .iter()
        .map(|b| {
            (
                b.body.as_str(),
                b.decisions,
                b.participation,
                b.lived_experience,
            )
        })
        .collect();
    assert_eq!(
        bodies,
        [
            ("allies_group", 1, Share::new(4, 8), Share::new(2, 4)),
            ("decision_circle", 1, Share::new(6, 8), Share::new(4, 6)),
            ("staff_team", 1, Share::new(1, 4), Share::new(0, 1)),
        ]
    );
    assert_eq!(metrics.bodies[0].name.as_deref(), Some("Allies Group"));

    let months: Vec<(&str, usize, Share)> = metrics
        .lived_experience_by_month
        .iter()
        .map(|m| (m.month.as_str(), m.decisions, m.lived_experience))
        .collect();
    assert_eq!(
        months,
        [
            ("2022-08", 1, Share::new(4, 6)),
            ("2022-09", 1, Share::new(2, 4)),
        ]
    );

    let t = &metrics.totals;
    assert_eq!(t.decisions, 3);
    assert_eq!(
        t.outcomes,
        [("adopted".to_owned(), 2), ("withdrawn".to_owned(), 1)].into()
    );
    assert_eq!(t.participation, Share::new(11, 20));
    assert_eq!(t.lived_experience, Share::new(6, 11));
    assert_eq!((t.objections.raised, t.objections.integrated), (1, 1));
    assert_eq!(t.concerns, 1);
    assert_eq!(
        t.mean_time_to_decision,
        Some(SignedDuration::from_mins(120))
    );

    assert_eq!(metrics.publication.publish_days, 14);
    assert_eq!(metrics.publication.in_time, Share::new(1, 2));

    let feedback = metrics.feedback.as_ref().unwrap();
    assert_eq!(feedback.carried, Share::new(3, 4));
    assert_eq!(feedback.uncarried, [ItemId::new(3)]);
}

/// Publication is judged by the deadline of the charter the decisions were taken under, as
/// the journal's founding holds it, not by the charter a reader passes in.
#[test]
fn a_shorter_publication_deadline_makes_the_late_record_count_as_not_in_time() {
    let community = community();
    let strict = coproduction::values::Charter::from_json(
        r#"{"values": [{"id": "transparent"}], "rules": [{"id": "T1", "publish_days": 1}]}"#,
    )
    .unwrap();
    let engine = Engine::open(community.clone(), None, strict, MemoryJournal::new()).unwrap();
    drive(&engine);
    let envelopes = engine.journal().read_all().unwrap();
    let metrics = Metrics::from_journal(&envelopes, &community, &charter(), None);
    assert_eq!(metrics.publication.publish_days, 1);
    assert_eq!(metrics.publication.in_time, Share::new(0, 2));
    assert_eq!(metrics.feedback, None);
}

#[test]
fn the_json_round_trips_and_refuses_unknown_fields() {
    let metrics = metrics();
    let json = serde_json::to_value(&metrics).unwrap();
    assert_eq!(json["decisions"][0]["stream"], "allies-terms");
    assert_eq!(json["decisions"][2]["time_to_decision"], "PT2H30M");
    assert_eq!(json["decisions"][2]["participation"]["part"], 6);
    assert_eq!(json["publication"]["in_time"]["whole"], 2);
    assert_eq!(
        serde_json::from_value::<Metrics>(json.clone()).unwrap(),
        metrics
    );
    let mut junk = json.clone();
    junk["decisions"][0]["junk"] = serde_json::json!(true);
    assert!(serde_json::from_value::<Metrics>(junk).is_err());
}

#[test]
fn the_table_reads_the_same_figures() {
    let table = metrics().table().to_string();
    assert_eq!(table, TABLE);
}

const TABLE: &str = r"Decisions: 3
stream         kind           body             method   participation  lived experience  objections        concerns  time to decision  outcome    published in time
allies-terms   governance     allies_group     consent  4 of 8 (50%)   2 of 4 (50%)      0                 0         1h 30m            adopted    no
meeting-times  operational    staff_team       consent  1 of 4 (25%)   0 of 1 (0%)       0                 0         -                 withdrawn  no
working-model  working_model  decision_circle  consent  6 of 8 (75%)   4 of 6 (67%)      1 (1 integrated)  1         2h 30m            adopted    yes

Bodies
body             decisions  participation  lived experience
Allies Group     1          4 of 8 (50%)   2 of 4 (50%)
Decision circle  1          6 of 8 (75%)   4 of 6 (67%)
Staff team       1          1 of 4 (25%)   0 of 1 (0%)

Lived experience by month of decision
month    decisions  lived experience
2022-08  1          4 of 6 (67%)
2022-09  1          2 of 4 (50%)

Totals
outcomes                                  adopted 2, withdrawn 1
participation                             11 of 20 (55%)
lived experience                          6 of 11 (55%)
objections                                1 (1 integrated)
concerns                                  1
mean time to decision                     2h
rationale and publication within 14 days  1 of 2 (50%)

Feedback
carried into themes  3 of 4 (75%)
uncarried            i3
";

#[test]
fn time_to_decision_runs_from_the_proposal_or_the_review_that_reopened_it() {
    use coproduction::cocreation::ProposalId;
    use coproduction::community::MemberId;
    use coproduction::engine::EngineEvent;
    use coproduction::journal::NewEvent;
    use coproduction::process::ProcessKind;
    use coproduction::proposal::{ProposalConfig, ProposalEvent, ProposalRoles, ReviewTrigger};

    let community = community();
    let engine = Engine::open(community.clone(), None, charter(), MemoryJournal::new()).unwrap();
    drive(&engine);
    // A proposal decided first by the working-model round and, after a review a week before
    // it, by the allies-terms round; the meeting-times round stands on its own.
    let steward = MemberId::new(13);
    let created = at(-2 * 24 * 60);
    let reviewed = at(metrics_support::SEPTEMBER - 7 * 24 * 60);
    let config = ProposalConfig {
        id: ProposalId::new(1),
        title: "How co-producers work with the team".into(),
        kind: DecisionKind::WorkingModel,
        text: "Paid, flexible roles without titles.".into(),
        answers: vec![],
        roles: ProposalRoles {
            proposers: [MemberId::new(1)].into(),
            steward,
            members: Default::default(),
        },
        changes: vec![],
        effective_from: None,
    };
    let started = |round: &str, at| ProposalEvent::DecisionStarted {
        round: StreamId::new(round).unwrap(),
        by: steward,
        at,
    };
    let events = [
        ProposalEvent::Created {
            config: Box::new(config),
            by: MemberId::new(1),
            at: created,
        },
        started("working-model", at(-1)),
        ProposalEvent::ReviewOpened {
            trigger: ReviewTrigger::ReviewDate {
                due: reviewed,
                opened_by: steward,
            },
            at: reviewed,
        },
        started("allies-terms", at(metrics_support::SEPTEMBER - 1)),
    ];
    let proposal = StreamId::new("roles-proposal").unwrap();
    // The stream starts as the engine starts a proposal's: without it, the stream would be
    // read as a round, as the engine reads it.
    let start = EngineEvent::Started {
        process: ProcessKind::Proposal,
        kind: DecisionKind::WorkingModel,
        route: None,
        routed_by: None,
        decides_for: None,
        proposes: None,
        escalated_from: None,
    };
    let batch = std::iter::once(start)
        .chain(events.into_iter().map(EngineEvent::from))
        .map(|event| NewEvent::new(steward, created, event))
        .collect();
    engine.journal().append(&proposal, 0, batch).unwrap();

    let envelopes = engine.journal().read_all().unwrap();
    let metrics = Metrics::from_journal(&envelopes, &community, &charter(), None);
    let working = decision(&metrics, "working-model");
    assert_eq!(working.decides_for.as_ref(), Some(&proposal));
    assert_eq!((working.proposed_at, working.opened_at), (created, at(0)));
    assert_eq!(
        working.time_to_decision,
        Some(SignedDuration::from_mins(150 + 2 * 24 * 60))
    );
    let terms = decision(&metrics, "allies-terms");
    assert_eq!(terms.decides_for.as_ref(), Some(&proposal));
    assert_eq!(terms.proposed_at, reviewed);
    assert_eq!(
        terms.time_to_decision,
        Some(SignedDuration::from_mins(90 + 7 * 24 * 60))
    );
    let alone = decision(&metrics, "meeting-times");
    assert_eq!(alone.decides_for, None);
    assert_eq!(alone.proposed_at, alone.opened_at);
}

/// An objection its member replaced with consent in the same objection round was raised,
/// and taken back, and a concern replaced so was logged: the figures count them so, as the
/// record lists them.
#[test]
fn an_objection_replaced_by_consent_counts_as_raised_and_withdrawn() {
    let community = community();
    let engine = Engine::open(community.clone(), None, charter(), MemoryJournal::new()).unwrap();
    changed_mind(&engine);
    let envelopes = engine.journal().read_all().unwrap();
    let metrics = Metrics::from_journal(&envelopes, &community, &charter(), None);
    let d = decision(&metrics, "meeting-rooms");
    assert_eq!(
        d.objections,
        ObjectionCounts {
            raised: 1,
            withdrawn: 1,
            ..ObjectionCounts::default()
        }
    );
    assert_eq!(d.concerns, 1);
}
