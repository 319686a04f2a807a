//! The associate-roles work as a worked case: two runs of the same workshop, written
//! comments, four themes and one set aside, a draft working model, a decision to pilot it
//! and a reassessment. Asserts provenance, the items no theme carries, the "you said, we
//! did" Markdown, and strict JSON.

use coproduction::cocreation::{
    CoCreation, CoCreationError, Decision, DecisionId, Facilitator, FeedbackItem, ItemId, Link,
    Node, ProposalId, Session, SessionId, SessionKind, Theme, ThemeId, ThemeOutcome, VersionEntry,
    VersionId, VersionNumber, WayToTakePart,
};
use coproduction::community::{
    AccessNeed, AccessNeedKind, BodyId, Community, Member, MemberId, Role,
};
use jiff::Timestamp;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

const S1: SessionId = SessionId::new(1);
const S2: SessionId = SessionId::new(2);
const S3: SessionId = SessionId::new(3);
const T_RECRUIT: ThemeId = ThemeId::new(1);
const T_CULTURE: ThemeId = ThemeId::new(2);
const T_IMPACT: ThemeId = ThemeId::new(3);
const T_TITLES: ThemeId = ThemeId::new(4);
const T_PARTNER: ThemeId = ThemeId::new(5);
const D_PILOT: DecisionId = DecisionId::new(1);
const D_CONTINUE: DecisionId = DecisionId::new(2);

fn v(n: u32) -> VersionId {
    VersionId::new(ProposalId::new(1), VersionNumber::new(n))
}

fn m(n: u64) -> MemberId {
    MemberId::new(n)
}

fn i(n: u64) -> ItemId {
    ItemId::new(n)
}

fn community() -> Community {
    let mut c = Community::new();
    for (n, name, role) in [
        (1, "Co-producer 1", Role::CoProducer),
        (2, "Co-producer 2", Role::CoProducer),
        (3, "Staff member 1", Role::Staff),
        (4, "Community member 4", Role::CommunityMember),
        (5, "Community member 5", Role::CommunityMember),
        (6, "Community member 6", Role::CommunityMember),
    ] {
        c.add_member(Member::new(m(n), name).with_role(role))
            .unwrap();
    }
    c
}

fn workshop(id: SessionId, title: &str, date: &str) -> Session {
    Session::new(
        id,
        SessionKind::Workshop,
        title,
        at(date),
        Facilitator::Body {
            body: BodyId::new("associate_roles_team").unwrap(),
        },
        "What should freelance co-producer roles look like, and how should people be recruited?",
    )
    .offering(WayToTakePart::Live)
    .offering(WayToTakePart::Written)
    .with_attendance(27)
}

fn worked_case() -> CoCreation {
    let mut model = CoCreation::new();
    model
        .add_session(
            workshop(S1, "Associate roles workshop", "2022-06-14T10:00:00Z")
                .with_access_request(m(5), AccessNeed::new(AccessNeedKind::Captions), true)
                .with_access_request(m(6), AccessNeed::new(AccessNeedKind::EasyRead), true),
        )
        .unwrap();
    model
        .add_session(
            workshop(
                S2,
                "Associate roles workshop (repeat)",
                "2022-06-21T18:00:00Z",
            )
            .with_access_request(
                m(4),
                AccessNeed::new(AccessNeedKind::PapersInAdvance),
                false,
            ),
        )
        .unwrap();
    model
        .add_session(
            Session::new(
                S3,
                SessionKind::WrittenSubmissions,
                "Additional comments",
                at("2022-07-01T09:00:00Z"),
                Facilitator::Member { member: m(3) },
                "Is there anything the workshops missed?",
            )
            .offering(WayToTakePart::Written)
            .offering(WayToTakePart::Asynchronous),
        )
        .unwrap();

    let items = [
        (
            1,
            S1,
            Some(4),
            "Advertise the roles beyond the people who already know us",
        ),
        (
            2,
            S1,
            None,
            "Let people apply by phone or video, not only on a written form",
        ),
        (3, S1, Some(5), "Nobody should be called senior or junior"),
        (
            4,
            S1,
            None,
            "Will co-producers have someone to talk to when a project gets hard?",
        ),
        (
            5,
            S1,
            None,
            "Could some sessions run in the evening for people who work days?",
        ),
        (
            6,
            S2,
            Some(6),
            "Show what difference the work makes to people and to services",
        ),
        (
            7,
            S2,
            None,
            "Pay promptly, and explain how payment affects benefits",
        ),
        (
            8,
            S2,
            Some(4),
            "Call everyone a co-producer, whatever part they take",
        ),
        (9, S2, Some(6), "Partner sounds more equal than associate"),
        (
            10,
            S3,
            None,
            "Measure what co-producers gain, not only what projects gain",
        ),
    ];
    for (n, session, author, text) in items {
        let when = model.session(session).unwrap().date;
        let item = match author {
            Some(a) => FeedbackItem::by(i(n), session, m(a), text, when),
            None => FeedbackItem::anonymous(i(n), session, text, when),
        };
        model.add_item(item).unwrap();
    }

    for (id, title, summary, carried) in [
        (
            T_RECRUIT,
            "Open, inclusive and fair recruitment",
            "Reach beyond existing networks and offer more than one way to apply.",
            &[1, 2][..],
        ),
        (
            T_CULTURE,
            "A supportive culture",
            "Support, someone to turn to, and prompt, clear payment.",
            &[4, 7][..],
        ),
        (
            T_IMPACT,
            "Benefits and impact",
            "Evaluate what changes, for people and for projects.",
            &[6, 7, 10][..],
        ),
        (
            T_TITLES,
            "No titles or hierarchy",
            "One name for everyone in the role.",
            &[3, 8][..],
        ),
        (T_PARTNER, "Call the role partner", "", &[9][..]),
    ] {
        model.add_theme(Theme::new(id, title, summary)).unwrap();
        for &n in carried {
            model
                .link(Link::Carries {
                    theme: id,
                    item: i(n),
                })
                .unwrap();
        }
    }

    model
        .add_version(VersionEntry::new(
            v(1),
            "Draft working model for co-producer roles",
        ))
        .unwrap();
    model
        .add_version(VersionEntry::new(v(2), "Working model after the pilot"))
        .unwrap();
    model
        .add_decision(Decision::new(
            D_PILOT,
            "Recruit a first wave and pilot the working model from March 2023",
            at("2022-09-12T14:00:00Z"),
        ))
        .unwrap();
    model
        .add_decision(Decision::new(
            D_CONTINUE,
            "Continue the working model after reassessment",
            at("2023-09-18T14:00:00Z"),
        ))
        .unwrap();
    for theme in [T_RECRUIT, T_CULTURE, T_IMPACT, T_TITLES, T_PARTNER] {
        model
            .link(Link::Informs {
                theme,
                version: v(1),
            })
            .unwrap();
    }
    model
        .link(Link::LeadsTo {
            version: v(1),
            decision: D_PILOT,
        })
        .unwrap();
    model
        .link(Link::Follows {
            decision: D_PILOT,
            version: v(2),
        })
        .unwrap();
    model
        .link(Link::LeadsTo {
            version: v(2),
            decision: D_CONTINUE,
        })
        .unwrap();

    model
        .record_outcome(
            D_PILOT,
            T_RECRUIT,
            ThemeOutcome::adapted(
                "a first wave is recruited openly, and co-produces the rest of the process",
            )
            .unwrap(),
        )
        .unwrap();
    model
        .record_outcome(D_PILOT, T_CULTURE, ThemeOutcome::AdoptedAsProposed)
        .unwrap();
    model
        .record_outcome(D_PILOT, T_TITLES, ThemeOutcome::AdoptedAsProposed)
        .unwrap();
    model
        .record_outcome(
            D_PILOT,
            T_PARTNER,
            ThemeOutcome::not_taken_forward(
                "existing community members and the organisations we already call partners could be confused.",
            )
            .unwrap(),
        )
        .unwrap();
    model
}

#[test]
fn the_detail_no_theme_carries_is_reported() {
    let model = worked_case();
    assert_eq!(model.uncarried(), vec![i(5)]);
    assert_eq!(model.uncarried_in(S1).unwrap(), vec![i(5)]);
    assert_eq!(model.uncarried_in(S2).unwrap(), vec![]);
    assert_eq!(
        model.uncarried_in(SessionId::new(9)),
        Err(CoCreationError::UnknownSession {
            session: SessionId::new(9)
        })
    );
    assert_eq!(model.themes_carrying(i(7)), vec![T_CULTURE, T_IMPACT]);
    assert_eq!(model.items_carried_by(T_IMPACT), vec![i(6), i(7), i(10)]);
}

#[test]
fn a_decision_knows_everything_that_informed_it() {
    let model = worked_case();
    let pilot = model.informed(D_PILOT).unwrap();
    assert_eq!(pilot.decisions, vec![]);
    assert_eq!(pilot.versions, vec![v(1)]);
    assert_eq!(
        pilot.themes,
        vec![T_RECRUIT, T_CULTURE, T_IMPACT, T_TITLES, T_PARTNER]
    );
    // Every item but the one no theme carries.
    assert_eq!(pilot.items, [1, 2, 3, 4, 6, 7, 8, 9, 10].map(i).to_vec());
    assert_eq!(pilot.sessions, vec![S1, S2, S3]);

    let later = model.informed(D_CONTINUE).unwrap();
    assert_eq!(later.decisions, vec![D_PILOT]);
    assert_eq!(later.versions, vec![v(1), v(2)]);
    assert_eq!(later.items, pilot.items);
    assert!(
        !model
            .upstream(Node::Decision(D_PILOT))
            .contains(&Node::Version(v(2)))
    );
    assert_eq!(
        model.informed(DecisionId::new(7)),
        Err(CoCreationError::UnknownDecision {
            decision: DecisionId::new(7)
        })
    );
}

#[test]
fn you_said_we_did_for_the_first_workshop() {
    let model = worked_case();
    let report = model.you_said_we_did(S1).unwrap();
    assert_eq!(
        report.accounted_items(),
        model.items_of(S1).unwrap().into_iter().collect()
    );
    assert_eq!(
        report.markdown().to_string(),
        "\
# You said, we did: Associate roles workshop

Workshop s1, 2022-06-14, facilitated by body `associate_roles_team`.
Ways to take part: live, written.
People who took part: 27.
Access requests: 2, all met before the session.

## We asked

What should freelance co-producer roles look like, and how should people be recruited?

## You said, and what we did

### t1: Open, inclusive and fair recruitment

Reach beyond existing networks and offer more than one way to apply.

You said:

- i1 (m4): Advertise the roles beyond the people who already know us
- i2 (anonymous): Let people apply by phone or video, not only on a written form

This informed: p1v1 (Draft working model for co-producer roles).

We did:

- d1 Recruit a first wave and pilot the working model from March 2023 (2022-09-12): adapted: a first wave is recruited openly, and co-produces the rest of the process.
- d2 Continue the working model after reassessment (2023-09-18): pending.

### t2: A supportive culture

Support, someone to turn to, and prompt, clear payment.

You said:

- i4 (anonymous): Will co-producers have someone to talk to when a project gets hard?
- and 1 item from another session

This informed: p1v1 (Draft working model for co-producer roles).

We did:

- d1 Recruit a first wave and pilot the working model from March 2023 (2022-09-12): adopted as proposed.
- d2 Continue the working model after reassessment (2023-09-18): pending.

### t4: No titles or hierarchy

One name for everyone in the role.

You said:

- i3 (m5): Nobody should be called senior or junior
- and 1 item from another session

This informed: p1v1 (Draft working model for co-producer roles).

We did:

- d1 Recruit a first wave and pilot the working model from March 2023 (2022-09-12): adopted as proposed.
- d2 Continue the working model after reassessment (2023-09-18): pending.

## Not carried by any theme

These items are in no theme yet. They are kept and listed here so that no one's feedback is lost.

- i5 (anonymous): Could some sessions run in the evening for people who work days?
"
    );
}

#[test]
fn you_said_we_did_for_the_repeat_says_why_a_theme_was_not_taken_forward() {
    let model = worked_case();
    let community = community();
    let text = model
        .you_said_we_did(S2)
        .unwrap()
        .markdown()
        .with_names(&community)
        .to_string();
    assert!(text.contains("Access requests: 1, 1 not met before the session.\n"));
    // An item in two themes shows under both.
    assert!(text.contains(
        "### t2: A supportive culture\n\nSupport, someone to turn to, and prompt, clear payment.\n\nYou said:\n\n- i7 (anonymous): Pay promptly, and explain how payment affects benefits\n- and 1 item from another session\n"
    ));
    assert!(text.contains(
        "### t3: Benefits and impact\n\nEvaluate what changes, for people and for projects.\n\nYou said:\n\n- i6 (Community member 6): Show what difference the work makes to people and to services\n- i7 (anonymous): Pay promptly, and explain how payment affects benefits\n- and 1 item from another session\n"
    ));
    assert!(text.contains(
        "### t5: Call the role partner\n\nYou said:\n\n- i9 (Community member 6): Partner sounds more equal than associate\n\nThis informed: p1v1 (Draft working model for co-producer roles).\n\nWe did:\n\n- d1 Recruit a first wave and pilot the working model from March 2023 (2022-09-12): not taken forward: existing community members and the organisations we already call partners could be confused.\n"
    ));
    // No outcome recorded for benefits and impact yet: it reads as pending, never blank.
    assert!(text.contains("(2022-09-12): pending.\n"));
    assert!(text.ends_with(
        "## Not carried by any theme\n\nEvery item from this session is carried by a theme.\n"
    ));
}

#[test]
fn you_said_we_did_keeps_the_words_of_an_outcome_as_written() {
    let mut model = worked_case();
    model
        .record_outcome(
            D_PILOT,
            T_IMPACT,
            ThemeOutcome::adapted("measured once the pilot has run...").unwrap(),
        )
        .unwrap();
    let text = model.you_said_we_did(S2).unwrap().markdown().to_string();
    assert!(
        text.contains("(2022-09-12): adapted: measured once the pilot has run...\n"),
        "{text}"
    );
}

#[test]
fn outcomes_only_for_themes_that_informed_the_decision() {
    let mut model = worked_case();
    model
        .add_theme(Theme::new(ThemeId::new(6), "Evening sessions", ""))
        .unwrap();
    let before = model.clone();
    assert_eq!(
        model
            .record_outcome(D_PILOT, ThemeId::new(6), ThemeOutcome::AdoptedAsProposed)
            .unwrap_err()
            .to_string(),
        "cannot record what decision d1 did with theme t6: the theme did not inform it (link the theme to a proposal version that leads to the decision first)"
    );
    assert_eq!(
        model
            .record_outcome(D_PILOT, T_CULTURE, ThemeOutcome::Pending)
            .unwrap_err()
            .to_string(),
        "cannot record what decision d1 did with theme t2: it is already recorded as adopted as proposed"
    );
    assert_eq!(model, before);
    // Once carried, the evening item is no longer lost detail.
    model
        .link(Link::Carries {
            theme: ThemeId::new(6),
            item: i(5),
        })
        .unwrap();
    assert_eq!(model.uncarried(), vec![]);
}

#[test]
fn json_round_trips_and_is_read_strictly() {
    let model = worked_case();
    let json = serde_json::to_string(&model).unwrap();
    let back: CoCreation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, model);
    assert_eq!(back.you_said_we_did(S1), model.you_said_we_did(S1));

    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["links"][0]["weight"] = 1.into();
    assert!(serde_json::from_str::<CoCreation>(&value.to_string()).is_err());

    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["colour"] = "green".into();
    assert!(serde_json::from_str::<CoCreation>(&value.to_string()).is_err());

    // A link back from the later version to the draft's decision closes a cycle.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["links"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"type": "amends", "previous": {"proposal": 1, "version": 2}, "version": {"proposal": 1, "version": 1}}));
    let err = serde_json::from_str::<CoCreation>(&value.to_string()).unwrap_err();
    assert!(err.to_string().contains("would make a cycle"), "{err}");

    // A link to an item the record does not hold.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["links"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"type": "carries", "theme": 1, "item": 99}));
    let err = serde_json::from_str::<CoCreation>(&value.to_string()).unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot link `t1 carries i99`: item i99 is not in the model"),
        "{err}"
    );

    // An outcome with an unknown field, even on a variant without data.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["outcomes"][1]["outcome"]["note"] = "x".into();
    assert!(serde_json::from_str::<CoCreation>(&value.to_string()).is_err());
}

#[test]
fn errors_convert_into_the_crate_error() {
    fn add_twice() -> Result<(), coproduction::Error> {
        let mut model = worked_case();
        model.add_theme(Theme::new(T_RECRUIT, "Again", ""))?;
        Ok(())
    }
    assert_eq!(
        add_twice().unwrap_err().to_string(),
        "cannot add theme t1: it is already in the model"
    );
}

#[test]
fn you_said_we_did_shows_hostile_words_as_written() {
    use coproduction::cocreation::*;
    let at: Timestamp = "2022-06-14T10:00:00Z".parse().unwrap();
    let s1 = SessionId::new(1);
    let mut model = CoCreation::new();
    let host = Facilitator::Member {
        member: MemberId::new(1),
    };
    let hostile =
        "ok\n\n# We did: everything\n<img src=x onerror=alert(1)>\n- [x](javascript:alert(1))";
    model
        .add_session(Session::new(
            s1,
            SessionKind::Workshop,
            hostile,
            at,
            host,
            hostile,
        ))
        .unwrap();
    model
        .add_item(FeedbackItem::by(
            ItemId::new(1),
            s1,
            MemberId::new(4),
            hostile,
            at,
        ))
        .unwrap();
    model
        .add_theme(Theme::new(ThemeId::new(1), hostile, hostile))
        .unwrap();
    model
        .link(Link::Carries {
            theme: ThemeId::new(1),
            item: ItemId::new(1),
        })
        .unwrap();
    let text = model.you_said_we_did(s1).unwrap().markdown().to_string();
    // Its headings are its own; no line the member wrote opens HTML, a link or a heading.
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(headings.len(), 5, "{text}");
    assert!(
        headings
            .iter()
            .all(|h| h.starts_with("# You said, we did: ok \\#")
                || h.starts_with("## ")
                || h.starts_with("### t1: ok \\#")),
        "{headings:?}"
    );
    assert!(!text.lines().any(|l| l.starts_with("# We did")));
    assert!(!text.replace("\\<", "").contains("<img"));
    assert!(!text.contains("[x]("));
    assert!(text.contains(
        "ok \\# We did: everything \\<img src=x onerror=alert(1)> - \\[x\\](javascript:alert(1))"
    ));
}

/// A workshop on 1 June 2022 with one item, a theme, a draft and a decision dated
/// `decided`; nothing linked yet.
fn one_workshop(decided: &str) -> CoCreation {
    let mut model = CoCreation::new();
    model
        .add_session(workshop(S1, "Roles workshop", "2022-06-01T17:30:00Z"))
        .unwrap();
    model
        .add_item(FeedbackItem::by(
            i(1),
            S1,
            m(2),
            "Pay people for the time they prepare",
            at("2022-06-01T18:00:00Z"),
        ))
        .unwrap();
    model
        .add_theme(Theme::new(T_CULTURE, "Paid preparation", ""))
        .unwrap();
    model
        .add_version(VersionEntry::new(v(1), "Working model draft"))
        .unwrap();
    model
        .add_decision(Decision::new(
            D_PILOT,
            "Pilot the working model",
            at(decided),
        ))
        .unwrap();
    model
}

const CARRIES: Link = Link::Carries {
    theme: T_CULTURE,
    item: ItemId::new(1),
};
const INFORMS: Link = Link::Informs {
    theme: T_CULTURE,
    version: VersionId::new(ProposalId::new(1), VersionNumber::new(1)),
};
const LEADS_TO: Link = Link::LeadsTo {
    version: VersionId::new(ProposalId::new(1), VersionNumber::new(1)),
    decision: D_PILOT,
};

#[test]
fn a_decision_cannot_answer_feedback_given_after_it_whichever_link_comes_last() {
    // The decision is dated three months before the workshop.
    let refused = |link: Link| CoCreationError::DecisionBeforeFeedback {
        link,
        decision: D_PILOT,
        decided: at("2022-03-01T00:00:00Z"),
        feedback: Node::Session(S1),
        given: at("2022-06-01T17:30:00Z"),
    };
    for order in [
        [CARRIES, INFORMS, LEADS_TO],
        [LEADS_TO, INFORMS, CARRIES],
        [INFORMS, LEADS_TO, CARRIES],
        [CARRIES, LEADS_TO, INFORMS],
    ] {
        let mut model = one_workshop("2022-03-01T00:00:00Z");
        let (last, first) = order.split_last().unwrap();
        for &link in first {
            model.link(link).unwrap();
        }
        let before = model.clone();
        assert_eq!(model.link(*last), Err(refused(*last)), "{order:?}");
        assert_eq!(model, before);
        // The item never reaches the decision, so nothing says the decision answered it.
        assert!(model.informed(D_PILOT).unwrap().items.is_empty());
        let text = model.you_said_we_did(S1).unwrap().markdown().to_string();
        assert!(!text.contains("d1 Pilot"), "{text}");
    }
    let mut model = one_workshop("2022-03-01T00:00:00Z");
    model.link(CARRIES).unwrap();
    model.link(INFORMS).unwrap();
    assert_eq!(
        model.link(LEADS_TO).unwrap_err().to_string(),
        "cannot link `p1v1 leads to d1`: decision d1 is dated 2022-03-01T00:00:00Z, before session s1 (2022-06-01T17:30:00Z) that would lead to it, and a decision cannot answer feedback given after it"
    );

    // Decided between the session opening and the item: the item is named.
    let mut model = one_workshop("2022-06-01T17:45:00Z");
    model.link(INFORMS).unwrap();
    model.link(LEADS_TO).unwrap();
    assert_eq!(
        model.link(CARRIES),
        Err(CoCreationError::DecisionBeforeFeedback {
            link: CARRIES,
            decision: D_PILOT,
            decided: at("2022-06-01T17:45:00Z"),
            feedback: Node::Item(i(1)),
            given: at("2022-06-01T18:00:00Z"),
        })
    );

    // Decided the moment the item was given, or later: answered.
    for decided in ["2022-06-01T18:00:00Z", "2022-09-12T14:00:00Z"] {
        let mut model = one_workshop(decided);
        for link in [CARRIES, INFORMS, LEADS_TO] {
            model.link(link).unwrap();
        }
        model
            .record_outcome(D_PILOT, T_CULTURE, ThemeOutcome::AdoptedAsProposed)
            .unwrap();
    }
}

#[test]
fn a_later_decision_is_checked_against_everything_behind_the_versions_before_it() {
    let mut model = worked_case();
    // The second workshop ran on 21 June; a decision of 15 June cannot follow from it,
    // through the draft, through an amendment of the draft, or after the pilot.
    let early = DecisionId::new(3);
    let (v3, v4) = (v(3), v(4));
    model
        .add_decision(Decision::new(
            early,
            "Fix the role's name",
            at("2022-06-15T12:00:00Z"),
        ))
        .unwrap();
    model
        .add_version(VersionEntry::new(v3, "Amended draft"))
        .unwrap();
    model
        .add_version(VersionEntry::new(v4, "After the pilot"))
        .unwrap();
    model
        .link(Link::LeadsTo {
            version: v3,
            decision: early,
        })
        .unwrap();
    model
        .link(Link::LeadsTo {
            version: v4,
            decision: early,
        })
        .unwrap();
    let before = model.clone();
    for link in [
        Link::LeadsTo {
            version: v(1),
            decision: early,
        },
        Link::Amends {
            previous: v(1),
            version: v3,
        },
        Link::Follows {
            decision: D_PILOT,
            version: v4,
        },
    ] {
        let err = model.link(link).unwrap_err();
        assert_eq!(
            err,
            CoCreationError::DecisionBeforeFeedback {
                link,
                decision: early,
                decided: at("2022-06-15T12:00:00Z"),
                feedback: Node::Session(S2),
                given: at("2022-06-21T18:00:00Z"),
            },
            "{link}"
        );
    }
    assert_eq!(model, before);
    // A theme of the first workshop alone may inform it.
    let early_theme = ThemeId::new(6);
    model
        .add_theme(Theme::new(early_theme, "Evening sessions", ""))
        .unwrap();
    model
        .link(Link::Carries {
            theme: early_theme,
            item: i(5),
        })
        .unwrap();
    model
        .link(Link::Informs {
            theme: early_theme,
            version: v3,
        })
        .unwrap();
    // But not once it carries an item from the second.
    assert_eq!(
        model.link(Link::Carries {
            theme: early_theme,
            item: i(9),
        }),
        Err(CoCreationError::DecisionBeforeFeedback {
            link: Link::Carries {
                theme: early_theme,
                item: i(9),
            },
            decision: early,
            decided: at("2022-06-15T12:00:00Z"),
            feedback: Node::Session(S2),
            given: at("2022-06-21T18:00:00Z"),
        })
    );
}

#[test]
fn an_item_dated_before_its_session_is_refused() {
    let mut model = worked_case();
    let before = model.clone();
    let early = FeedbackItem::anonymous(i(11), S2, "Said early", at("2022-06-21T17:59:59Z"));
    let err = model.add_item(early).unwrap_err();
    assert_eq!(
        err,
        CoCreationError::ItemBeforeSession {
            item: i(11),
            at: at("2022-06-21T17:59:59Z"),
            session: S2,
            held: at("2022-06-21T18:00:00Z"),
        }
    );
    assert_eq!(
        err.to_string(),
        "cannot add item i11: it is dated 2022-06-21T17:59:59Z, before its session s2 (2022-06-21T18:00:00Z)"
    );
    assert_eq!(model, before);
    // At the session's date or after (a board stays open), it is taken.
    model
        .add_item(FeedbackItem::anonymous(
            i(11),
            S2,
            "Said on time",
            at("2022-06-21T18:00:00Z"),
        ))
        .unwrap();
    model
        .add_item(FeedbackItem::anonymous(
            i(12),
            S3,
            "Said a week later",
            at("2022-07-08T09:00:00Z"),
        ))
        .unwrap();
}

/// The model of a workshop answered, in JSON, with the decision dated `decided` and the
/// second item by member `author`.
fn workshop_json(decided: &str, author: u64) -> String {
    serde_json::json!({
        "sessions": [{"id": 1, "kind": "workshop", "title": "Roles workshop", "date": "2022-06-01T17:30:00Z",
            "facilitator": {"type": "body", "body": "staff_team"}, "question": "How should the new roles work?",
            "ways": ["live"], "attendance": 14}],
        "items": [
            {"id": 1, "session": 1, "text": "Pay people for the time they prepare", "author": 14, "at": "2022-06-01T18:00:00Z"},
            {"id": 2, "session": 1, "text": "Do not pilot this at all", "author": author, "at": "2022-06-01T18:05:00Z"},
            {"id": 3, "session": 1, "text": "Keep it small", "at": "2022-06-01T18:10:00Z"}
        ],
        "themes": [{"id": 1, "title": "Paid preparation", "summary": "Pay for preparation time"}],
        "proposal_versions": [{"id": {"proposal": 1, "version": 1}, "title": "Working model draft"}],
        "decisions": [{"id": 1, "title": "Pilot the working model", "date": decided}],
        "links": [{"type": "carries", "theme": 1, "item": 1}, {"type": "carries", "theme": 1, "item": 2},
            {"type": "informs", "theme": 1, "version": {"proposal": 1, "version": 1}},
            {"type": "leads_to", "version": {"proposal": 1, "version": 1}, "decision": 1}],
        "outcomes": [{"decision": 1, "theme": 1, "outcome": {"type": "adopted_as_proposed"}}]
    })
    .to_string()
}

#[test]
fn a_model_read_from_json_is_checked_for_time_order() {
    let err =
        serde_json::from_str::<CoCreation>(&workshop_json("2022-03-01T00:00:00Z", 14)).unwrap_err();
    assert!(
        err.to_string().contains(
            "cannot link `p1v1 leads to d1`: decision d1 is dated 2022-03-01T00:00:00Z, before session s1"
        ),
        "{err}"
    );
    let mut value: serde_json::Value =
        serde_json::from_str(&workshop_json("2022-09-01T00:00:00Z", 14)).unwrap();
    let model: CoCreation = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(
        model.outcome(D_PILOT, ThemeId::new(1)),
        Some(&ThemeOutcome::AdoptedAsProposed)
    );
    value["items"][1]["at"] = "2022-05-31T12:00:00Z".into();
    let err = serde_json::from_value::<CoCreation>(value).unwrap_err();
    assert!(
        err.to_string().contains(
            "cannot add item i2: it is dated 2022-05-31T12:00:00Z, before its session s1"
        ),
        "{err}"
    );
}

#[test]
fn authors_are_checked_against_the_community() {
    let community = community();
    let mut model = worked_case();
    assert_eq!(model.check_authors(&community), Ok(()));
    model
        .add_item(FeedbackItem::by(
            i(11),
            S3,
            m(99),
            "Do not pilot this at all",
            at("2022-07-02T09:00:00Z"),
        ))
        .unwrap();
    model
        .add_item(FeedbackItem::by(
            i(12),
            S3,
            m(98),
            "Nor this",
            at("2022-07-02T09:00:00Z"),
        ))
        .unwrap();
    let err = model.check_authors(&community).unwrap_err();
    assert_eq!(
        err,
        CoCreationError::AuthorNotMember {
            item: i(11),
            author: m(99)
        }
    );
    assert_eq!(
        err.to_string(),
        "item i11 names m99 as its author, who is not a member of the community"
    );
    // Anonymous items have no author to check.
    let mut anonymous = worked_case();
    anonymous
        .add_item(FeedbackItem::anonymous(
            i(11),
            S3,
            "Said without a name",
            at("2022-07-02T09:00:00Z"),
        ))
        .unwrap();
    assert_eq!(anonymous.check_authors(&community), Ok(()));
    assert_eq!(
        anonymous.check_authors(&Community::new()),
        Err(CoCreationError::AuthorNotMember {
            item: i(1),
            author: m(4)
        })
    );
}

/// `coproduction report you-said-we-did`, run as a built binary.
#[cfg(feature = "cli")]
mod tool {
    use std::path::Path;
    use std::process::{Command, Output};

    use super::workshop_json;

    const COMMUNITY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/community.json");

    /// The report for session 1 of `model`, with `--community` when `named`.
    fn you_said(dir: &Path, model: &str, named: bool) -> Output {
        let path = dir.join("cocreation.json");
        std::fs::write(&path, model).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_coproduction"));
        command
            .args([
                "report",
                "you-said-we-did",
                "--session",
                "1",
                "--cocreation",
            ])
            .arg(&path);
        if named {
            command.args(["--community", COMMUNITY]);
        }
        command.output().unwrap()
    }

    fn refused(out: &Output, says: &str) {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(out.stdout.is_empty());
    }

    #[test]
    fn the_report_refuses_a_decision_dated_before_the_feedback_it_answers() {
        let dir = tempfile::tempdir().unwrap();
        let model = workshop_json("2022-03-01T00:00:00Z", 14);
        for named in [false, true] {
            refused(
                &you_said(dir.path(), &model, named),
                "cannot link `p1v1 leads to d1`: decision d1 is dated 2022-03-01T00:00:00Z, before session s1 (2022-06-01T17:30:00Z)",
            );
        }
    }

    #[test]
    fn the_report_with_a_community_refuses_an_author_who_is_not_a_member() {
        let dir = tempfile::tempdir().unwrap();
        let stranger = workshop_json("2022-09-01T00:00:00Z", 99);
        refused(
            &you_said(dir.path(), &stranger, true),
            "cocreation.json: item i2 names m99 as its author, who is not a member of the community",
        );
        // Without a community there are no members to check against: authors show by id.
        let out = you_said(dir.path(), &stranger, false);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("- i2 (m99): Do not pilot"));

        let member = workshop_json("2022-09-01T00:00:00Z", 15);
        let out = you_said(dir.path(), &member, true);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("- i1 (Co-producer 2): Pay people"), "{text}");
        assert!(
            text.contains("- i2 (Community member 1): Do not pilot"),
            "{text}"
        );
        assert!(text.contains("- i3 (anonymous): Keep it small"), "{text}");
        assert!(
            text.contains("- d1 Pilot the working model (2022-09-01): adopted as proposed."),
            "{text}"
        );
    }
}
