//! Provenance queries on a large record (100 sessions, 20,000 items, 200 themes), each
//! against a floor measured in the same group: read each group's two lines as a ratio.
//!
//! - `uncarried`: the query against its floor, a merge of two sorted id lists built before
//!   the timing (every item id, and every carried item id without repeats): the model keeps
//!   its links indexed, so the honest floor is a set difference over prepared lists, not
//!   one that builds its set inside the timing.
//! - `informed`: everything upstream of a final decision, against copying every id out of
//!   the record (a lower bound for any walk that reaches them all).

use std::hint::black_box;

use coproduction::cocreation::{
    CoCreation, Decision, DecisionId, Facilitator, FeedbackItem, ItemId, Link, ProposalId, Session,
    SessionId, SessionKind, Theme, ThemeId, VersionEntry, VersionId, VersionNumber,
};
use coproduction::community::MemberId;
use criterion::{Criterion, criterion_group, criterion_main};

const SESSIONS: u64 = 100;
const ITEMS_PER_SESSION: u64 = 200;
const THEMES: u64 = 200;

fn record() -> (CoCreation, Vec<(u64, u64)>) {
    let at: jiff::Timestamp = "2022-06-14T10:00:00Z".parse().unwrap();
    let mut model = CoCreation::new();
    let mut carries = Vec::new();
    for s in 1..=SESSIONS {
        model
            .add_session(Session::new(
                SessionId::new(s),
                SessionKind::Workshop,
                format!("Session {s}"),
                at,
                Facilitator::Member {
                    member: MemberId::new(1),
                },
                "What matters?",
            ))
            .unwrap();
    }
    for t in 1..=THEMES {
        model
            .add_theme(Theme::new(ThemeId::new(t), format!("Theme {t}"), ""))
            .unwrap();
    }
    for n in 1..=SESSIONS * ITEMS_PER_SESSION {
        let session = SessionId::new(n % SESSIONS + 1);
        model
            .add_item(FeedbackItem::anonymous(ItemId::new(n), session, "said", at))
            .unwrap();
        // Nine items in ten are carried, some by two themes.
        if n % 10 != 0 {
            let t = n % THEMES + 1;
            model
                .link(Link::Carries {
                    theme: ThemeId::new(t),
                    item: ItemId::new(n),
                })
                .unwrap();
            carries.push((t, n));
            if n % 7 == 0 {
                let t2 = (n + 1) % THEMES + 1;
                model
                    .link(Link::Carries {
                        theme: ThemeId::new(t2),
                        item: ItemId::new(n),
                    })
                    .unwrap();
                carries.push((t2, n));
            }
        }
    }
    // Ten versions in a chain of decisions, each informed by twenty themes.
    for p in 1..=10u32 {
        let v = VersionId::new(ProposalId::new(1), VersionNumber::new(p));
        let d = DecisionId::new(u64::from(p));
        model
            .add_version(VersionEntry::new(v, format!("Version {p}")))
            .unwrap();
        model
            .add_decision(Decision::new(d, format!("Decision {p}"), at))
            .unwrap();
        for t in 1..=20 {
            let theme = ThemeId::new(u64::from(p - 1) * 20 + t);
            model.link(Link::Informs { theme, version: v }).unwrap();
        }
        model
            .link(Link::LeadsTo {
                version: v,
                decision: d,
            })
            .unwrap();
        if p > 1 {
            let prev = DecisionId::new(u64::from(p - 1));
            model
                .link(Link::Follows {
                    decision: prev,
                    version: v,
                })
                .unwrap();
        }
    }
    (model, carries)
}

fn queries(c: &mut Criterion) {
    let (model, carries) = record();
    let all: Vec<u64> = (1..=SESSIONS * ITEMS_PER_SESSION).collect();

    let mut group = c.benchmark_group("uncarried");
    // Floor: one merge of two sorted lists, the carried ids deduplicated before the timing.
    let mut carried: Vec<u64> = carries.iter().map(|&(_, i)| i).collect();
    carried.sort_unstable();
    carried.dedup();
    group.bench_function("floor_sorted_difference", |b| {
        b.iter(|| {
            let mut carried = black_box(&carried).iter().peekable();
            black_box(&all)
                .iter()
                .copied()
                .filter(|i| {
                    while carried.next_if(|&&c| c < *i).is_some() {}
                    carried.peek() != Some(&i)
                })
                .collect::<Vec<u64>>()
        })
    });
    group.bench_function("model_uncarried", |b| {
        b.iter(|| black_box(&model).uncarried())
    });
    group.finish();

    let mut group = c.benchmark_group("informed");
    // Floor: copying every id out of the record, which any walk that reaches them all does.
    group.bench_function("floor_copy_all_ids", |b| {
        b.iter(|| {
            let m = black_box(&model);
            let items: Vec<ItemId> = m.items().map(|i| i.id).collect();
            let themes: Vec<ThemeId> = m.themes().map(|t| t.id).collect();
            let sessions: Vec<SessionId> = m.sessions().map(|s| s.id).collect();
            (items, themes, sessions)
        })
    });
    group.bench_function("model_informed_last_decision", |b| {
        b.iter(|| black_box(&model).informed(DecisionId::new(10)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
