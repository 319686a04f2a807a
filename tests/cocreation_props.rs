//! Properties of the co-creation model: no item silently disappears, "you said, we did"
//! accounts for every item of a session exactly once, random links never make a cycle (and
//! refused ones change nothing), random dates never let a decision answer feedback given
//! after it (and each refusal names a real one), and JSON round-trips.

use std::collections::BTreeSet;

use coproduction::cocreation::{
    CoCreation, CoCreationError, Decision, DecisionId, Facilitator, FeedbackItem, ItemId, Link,
    Node, ProposalId, Session, SessionId, SessionKind, Theme, ThemeId, ThemeOutcome, VersionEntry,
    VersionId, VersionNumber,
};
use coproduction::community::MemberId;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

fn at() -> Timestamp {
    "2022-06-14T10:00:00Z".parse().unwrap()
}

/// Sessions `1..=sessions`, items each in a chosen session, themes `1..=themes`, and the
/// `(theme, item)` pairs each theme carries.
#[derive(Debug, Clone)]
struct Grouping {
    sessions: u64,
    items: Vec<(u64, Option<u64>)>,
    themes: u64,
    carries: BTreeSet<(u64, u64)>,
}

fn grouping() -> impl Strategy<Value = Grouping> {
    (1u64..5, 0usize..25, 0u64..6).prop_flat_map(|(sessions, items, themes)| {
        let item = (1..=sessions, proptest::option::of(1u64..10));
        let pair = (1..=themes.max(1), 1..=(items as u64).max(1));
        (
            proptest::collection::vec(item, items),
            proptest::collection::btree_set(pair, 0..40),
        )
            .prop_map(move |(items, carries)| Grouping {
                sessions,
                themes,
                // Pairs only make sense when there are themes and items to pair.
                carries: if themes == 0 || items.is_empty() {
                    BTreeSet::new()
                } else {
                    carries
                },
                items,
            })
    })
}

fn build(g: &Grouping) -> CoCreation {
    let mut model = CoCreation::new();
    for s in 1..=g.sessions {
        model
            .add_session(Session::new(
                SessionId::new(s),
                SessionKind::Workshop,
                format!("Session {s}"),
                at(),
                Facilitator::Member {
                    member: MemberId::new(1),
                },
                "What matters to you?",
            ))
            .unwrap();
    }
    for (n, (session, author)) in g.items.iter().enumerate() {
        let id = ItemId::new(n as u64 + 1);
        let session = SessionId::new(*session);
        let item = match author {
            Some(a) => FeedbackItem::by(id, session, MemberId::new(*a), format!("item {n}"), at()),
            None => FeedbackItem::anonymous(id, session, format!("item {n}"), at()),
        };
        model.add_item(item).unwrap();
    }
    for t in 1..=g.themes {
        model
            .add_theme(Theme::new(ThemeId::new(t), format!("Theme {t}"), ""))
            .unwrap();
    }
    for &(t, i) in &g.carries {
        model
            .link(Link::Carries {
                theme: ThemeId::new(t),
                item: ItemId::new(i),
            })
            .unwrap();
    }
    model
}

proptest! {
    #[test]
    fn every_item_is_carried_or_reported_uncarried_never_both(g in grouping()) {
        let model = build(&g);
        let uncarried: BTreeSet<ItemId> = model.uncarried().into_iter().collect();
        let carried: BTreeSet<ItemId> = g.carries.iter().map(|&(_, i)| ItemId::new(i)).collect();
        for item in model.items() {
            prop_assert!(
                carried.contains(&item.id) != uncarried.contains(&item.id),
                "{} is {} carried and {} uncarried",
                item.id,
                carried.contains(&item.id),
                uncarried.contains(&item.id)
            );
            prop_assert_eq!(model.is_carried(item.id), carried.contains(&item.id));
        }
        prop_assert_eq!(carried.len() + uncarried.len(), g.items.len());
    }

    #[test]
    fn you_said_we_did_accounts_for_each_item_once(g in grouping()) {
        let model = build(&g);
        for s in 1..=g.sessions {
            let session = SessionId::new(s);
            let report = model.you_said_we_did(session).unwrap();
            let own: BTreeSet<ItemId> = model.items_of(session).unwrap().into_iter().collect();
            prop_assert_eq!(report.accounted_items(), own.clone());

            let uncarried: Vec<ItemId> = report.uncarried.iter().map(|i| i.id).collect();
            prop_assert_eq!(&uncarried, &model.uncarried_in(session).unwrap());
            for account in &report.themes {
                for item in &account.items {
                    prop_assert_eq!(item.session, session);
                    prop_assert!(!uncarried.contains(&item.id));
                    prop_assert!(g.carries.contains(&(account.theme.id.get(), item.id.get())));
                }
                let all = model.items_carried_by(account.theme.id).len();
                prop_assert_eq!(account.items.len() + account.from_other_sessions, all);
            }
            // An item in k themes appears under all k of them.
            for item in &own {
                let shown = report
                    .themes
                    .iter()
                    .filter(|t| t.items.iter().any(|i| i.id == *item))
                    .count();
                prop_assert_eq!(shown, model.themes_carrying(*item).len());
            }
            // And the Markdown lists each of them.
            let text = report.markdown().to_string();
            for item in &own {
                let line = format!("- {} (", item);
                prop_assert!(text.contains(&line), "{} missing from\n{}", item, text);
            }
        }
    }

    #[test]
    fn json_round_trips(g in grouping()) {
        let model = build(&g);
        let json = serde_json::to_string(&model).unwrap();
        prop_assert_eq!(serde_json::from_str::<CoCreation>(&json).unwrap(), model);
    }
}

#[derive(Debug, Clone)]
enum Attempt {
    Amends(u32, u32),
    LeadsTo(u32, u64),
    Follows(u64, u32),
}

fn attempts() -> impl Strategy<Value = Vec<Attempt>> {
    // Versions 1..=6 and decisions 1..=4 exist; 7 and 5 do not, so some links dangle.
    let attempt = prop_oneof![
        (1u32..8, 1u32..8).prop_map(|(a, b)| Attempt::Amends(a, b)),
        (1u32..8, 1u64..6).prop_map(|(a, b)| Attempt::LeadsTo(a, b)),
        (1u64..6, 1u32..8).prop_map(|(a, b)| Attempt::Follows(a, b)),
    ];
    proptest::collection::vec(attempt, 0..60)
}

fn ver(n: u32) -> VersionId {
    VersionId::new(ProposalId::new(1), VersionNumber::new(n))
}

proptest! {
    #[test]
    fn random_links_never_make_a_cycle_and_refusals_change_nothing(attempts in attempts()) {
        let mut model = CoCreation::new();
        for n in 1..=6 {
            model.add_version(VersionEntry::new(ver(n), format!("Version {n}"))).unwrap();
        }
        for n in 1..=4 {
            model.add_decision(Decision::new(DecisionId::new(n), format!("Decision {n}"), at())).unwrap();
        }
        let mut accepted = 0;
        for attempt in attempts {
            let link = match attempt {
                Attempt::Amends(a, b) => Link::Amends { previous: ver(a), version: ver(b) },
                Attempt::LeadsTo(a, b) => Link::LeadsTo { version: ver(a), decision: DecisionId::new(b) },
                Attempt::Follows(a, b) => Link::Follows { decision: DecisionId::new(a), version: ver(b) },
            };
            let before = model.clone();
            match model.link(link) {
                Ok(()) => accepted += 1,
                Err(_) => prop_assert_eq!(&model, &before),
            }
        }
        prop_assert_eq!(model.links().len(), accepted);
        // Acyclic: no link's target leads back to its source.
        for link in model.links() {
            let (from, to) = link.endpoints();
            prop_assert_ne!(from, to);
            prop_assert!(!model.downstream(to).contains(&from), "cycle through {}", link);
            prop_assert!(model.upstream(to).contains(&from));
        }
        // And a decision is never among what informed it.
        for n in 1..=4 {
            let d = DecisionId::new(n);
            prop_assert!(!model.informed(d).unwrap().decisions.contains(&d));
            prop_assert!(!model.upstream(Node::Decision(d)).contains(&Node::Decision(d)));
        }
    }
}

/// `days` days after [`at`].
fn day(days: i64) -> Timestamp {
    at() + SignedDuration::from_hours(24 * days)
}

/// Two sessions, each on a day; items, each in a session a number of days after it (before
/// it when negative); three decisions, each on a day; and the links tried, in order, among
/// items `1..=6`, themes `1..=3`, versions `1..=3` and the decisions.
#[derive(Debug, Clone)]
struct Dated {
    sessions: [i64; 2],
    items: Vec<(u64, i64)>,
    decisions: [i64; 3],
    links: Vec<Link>,
}

fn dated() -> impl Strategy<Value = Dated> {
    let link = prop_oneof![
        (1u64..4, 1u64..7).prop_map(|(t, i)| Link::Carries {
            theme: ThemeId::new(t),
            item: ItemId::new(i)
        }),
        (1u64..4, 1u32..4).prop_map(|(t, v)| Link::Informs {
            theme: ThemeId::new(t),
            version: ver(v)
        }),
        (1u32..4, 1u64..4).prop_map(|(v, d)| Link::LeadsTo {
            version: ver(v),
            decision: DecisionId::new(d)
        }),
        (1u32..4, 1u32..4).prop_map(|(a, b)| Link::Amends {
            previous: ver(a),
            version: ver(b)
        }),
        (1u64..4, 1u32..4).prop_map(|(d, v)| Link::Follows {
            decision: DecisionId::new(d),
            version: ver(v)
        }),
    ];
    (
        [0i64..6, 0i64..6],
        proptest::collection::vec((1u64..3, -1i64..4), 6),
        [0i64..10, 0i64..10, 0i64..10],
        proptest::collection::vec(link, 0..40),
    )
        .prop_map(|(sessions, items, decisions, links)| Dated {
            sessions,
            items,
            decisions,
            links,
        })
}

/// When the feedback at `node` was given.
fn given(model: &CoCreation, node: Node) -> Option<Timestamp> {
    match node {
        Node::Session(s) => model.session(s).map(|s| s.date),
        Node::Item(i) => model.item(i).map(|i| i.at),
        _ => None,
    }
}

proptest! {
    #[test]
    fn no_decision_answers_feedback_given_after_it_and_each_refusal_names_one(d in dated()) {
        let mut model = CoCreation::new();
        for (n, &days) in (1..).zip(&d.sessions) {
            model.add_session(Session::new(
                SessionId::new(n),
                SessionKind::OnlineBoard,
                format!("Board {n}"),
                day(days),
                Facilitator::Member { member: MemberId::new(1) },
                "What matters to you?",
            )).unwrap();
        }
        for (n, &(session, after)) in (1..).zip(&d.items) {
            let session = SessionId::new(session);
            let held = model.session(session).unwrap().date;
            let item = FeedbackItem::anonymous(ItemId::new(n), session, "said", held + SignedDuration::from_hours(24 * after));
            let before = model.clone();
            match model.add_item(item) {
                Ok(()) => prop_assert!(after >= 0),
                Err(e) => {
                    prop_assert!(after < 0);
                    prop_assert!(matches!(e, CoCreationError::ItemBeforeSession { .. }), "{}", e);
                    prop_assert_eq!(&model, &before);
                }
            }
        }
        for n in 1..=3 {
            model.add_theme(Theme::new(ThemeId::new(n), format!("Theme {n}"), "")).unwrap();
            model.add_version(VersionEntry::new(ver(n as u32), format!("Version {n}"))).unwrap();
        }
        for (n, &days) in (1..).zip(&d.decisions) {
            model.add_decision(Decision::new(DecisionId::new(n), format!("Decision {n}"), day(days))).unwrap();
        }
        for &link in &d.links {
            let before = model.clone();
            match model.link(link) {
                Ok(()) => {}
                Err(CoCreationError::DecisionBeforeFeedback { link: refused, decision, decided, feedback, given: at }) => {
                    prop_assert_eq!(&model, &before);
                    prop_assert_eq!(refused, link);
                    // The refusal is real: the feedback named would reach the decision named
                    // through the link, and was given after it.
                    let (from, to) = link.endpoints();
                    let decision_node = Node::Decision(decision);
                    prop_assert!(feedback == from || model.upstream(from).contains(&feedback));
                    prop_assert!(decision_node == to || model.downstream(to).contains(&decision_node));
                    prop_assert_eq!(Some(decided), model.decision(decision).map(|d| d.date));
                    prop_assert_eq!(Some(at), given(&model, feedback));
                    prop_assert!(at > decided);
                }
                Err(_) => prop_assert_eq!(&model, &before),
            }
        }
        // Whatever was accepted runs forward in time.
        for n in 1..=3 {
            let decision = DecisionId::new(n);
            let decided = model.decision(decision).unwrap().date;
            for node in model.upstream(Node::Decision(decision)) {
                if let Some(at) = given(&model, node) {
                    prop_assert!(at <= decided, "{} ({}) leads to {} ({})", node, at, decision, decided);
                }
            }
            // So every outcome a theme can have is for feedback given before the decision.
            for theme in model.informed(decision).unwrap().themes {
                model.record_outcome(decision, theme, ThemeOutcome::AdoptedAsProposed).unwrap();
            }
        }
        for session in [SessionId::new(1), SessionId::new(2)] {
            for account in model.you_said_we_did(session).unwrap().themes {
                for did in &account.did {
                    for item in &account.items {
                        prop_assert!(item.at <= did.decision.date);
                    }
                }
            }
        }
        let json = serde_json::to_string(&model).unwrap();
        prop_assert_eq!(serde_json::from_str::<CoCreation>(&json).unwrap(), model);
    }
}
