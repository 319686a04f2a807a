use super::*;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn allies() -> BodyId {
    BodyId::new("allies_group").unwrap()
}

/// Two staff allies and one ally with lived experience, in an Allies Group; the whole
/// community's body holds all three.
fn founding() -> Community {
    let mut c = Community::new();
    for (n, lived) in [(1, false), (2, false), (3, true)] {
        let mut m = Member::new(MemberId::new(n), format!("Member {n}")).with_role(Role::Ally);
        if lived {
            m = m.with_lived_experience();
        }
        c.add_member(m).unwrap();
    }
    c.add_body(
        Body::new(allies(), "Allies Group", BodyKind::AlliesGroup)
            .with_members([1, 2, 3].map(MemberId::new)),
    )
    .unwrap();
    c.add_body(
        Body::new(
            BodyId::new("whole_community").unwrap(),
            "Whole community",
            BodyKind::WholeCommunity,
        )
        .with_members([1, 2, 3].map(MemberId::new)),
    )
    .unwrap();
    c
}

fn history() -> History {
    History::founded(
        founding(),
        None,
        Charter::default(),
        at("2021-01-04T09:00:00Z"),
    )
    .unwrap()
}

#[test]
fn the_reserved_stream_is_a_valid_slug() {
    assert_eq!(StreamId::new(STREAM).unwrap(), stream());
}

#[test]
fn a_join_takes_effect_from_its_time_and_joins_the_whole_community() {
    let mut h = history();
    let joiner = Member::new(MemberId::new(4), "Member 4").with_lived_experience();
    h.apply(
        &CommunityChange::Join { member: joiner },
        at("2021-03-01T09:00:00Z"),
    )
    .unwrap();
    let before = h.at(at("2021-02-28T23:59:59Z"));
    assert!(before.community().member(MemberId::new(4)).is_none());
    let after = h.at(at("2021-03-01T09:00:00Z"));
    assert!(after.community().member(MemberId::new(4)).is_some());
    let whole = BodyId::new("whole_community").unwrap();
    assert!(
        after
            .community()
            .body(&whole)
            .unwrap()
            .contains(MemberId::new(4))
    );
    assert!(
        !after
            .community()
            .body(&allies())
            .unwrap()
            .contains(MemberId::new(4))
    );
    // Before the founding, the founding is what there is.
    assert_eq!(h.at(at("2000-01-01T00:00:00Z")).from(), h.founding().from());
}

#[test]
fn a_wave_of_appointments_changes_the_groups_figures() {
    let mut h = history();
    for n in [4, 5] {
        let joiner = Member::new(MemberId::new(n), format!("Member {n}")).with_lived_experience();
        h.apply(
            &CommunityChange::Join { member: joiner },
            at("2021-03-01T09:00:00Z"),
        )
        .unwrap();
    }
    let wave = CommunityChange::Appoint {
        body: allies(),
        members: vec![MemberId::new(4), MemberId::new(5)],
    };
    assert_eq!(
        wave.needs_decision(h.current().community()),
        Some(DecisionKind::Recruitment)
    );
    h.apply(&wave, at("2021-04-01T09:00:00Z")).unwrap();
    let figures = |t| h.at(at(t)).community().figures(&allies()).unwrap();
    let before = figures("2021-03-15T00:00:00Z");
    assert_eq!((before.size, before.lived_experience), (3, 1));
    let after = figures("2021-04-02T00:00:00Z");
    assert_eq!((after.size, after.lived_experience), (5, 3));
}

#[test]
fn a_refused_change_leaves_the_history_as_it_was() {
    let mut h = history();
    let twice = CommunityChange::Appoint {
        body: allies(),
        members: vec![MemberId::new(1)],
    };
    let err = h.apply(&twice, at("2021-02-01T00:00:00Z")).unwrap_err();
    assert!(
        matches!(
            err,
            LivingError::Community {
                change: "appoint",
                ..
            }
        ),
        "{err}"
    );
    let unknown = CommunityChange::Leave {
        member: MemberId::new(99),
    };
    assert!(h.apply(&unknown, at("2021-02-01T00:00:00Z")).is_err());
    let nobody = CommunityChange::Appoint {
        body: allies(),
        members: vec![],
    };
    assert_eq!(
        h.apply(&nobody, at("2021-02-01T00:00:00Z")),
        Err(LivingError::NobodyNamed { change: "appoint" })
    );
    assert_eq!(h.versions().count(), 1);
}

#[test]
fn a_change_dated_before_the_last_is_refused() {
    let mut h = history();
    let leave = CommunityChange::Leave {
        member: MemberId::new(1),
    };
    h.apply(&leave, at("2021-05-01T00:00:00Z")).unwrap();
    let declare = CommunityChange::LivedExperience {
        member: MemberId::new(2),
        declared: true,
    };
    let err = h.apply(&declare, at("2021-04-01T00:00:00Z")).unwrap_err();
    assert!(matches!(err, LivingError::Backdated { .. }), "{err}");
    assert!(h.apply(&declare, at("2021-05-01T00:00:00Z")).is_ok());
    assert!(
        h.current()
            .community()
            .member(MemberId::new(2))
            .unwrap()
            .lived_experience
    );
}

#[test]
fn which_changes_are_a_members_own_and_which_need_a_decision() {
    let c = founding();
    let whole = BodyId::new("whole_community").unwrap();
    let cases = [
        (
            CommunityChange::Join {
                member: Member::new(MemberId::new(9), "Nine"),
            },
            None,
            None,
        ),
        (
            CommunityChange::Leave {
                member: MemberId::new(2),
            },
            None,
            Some(MemberId::new(2)),
        ),
        (
            CommunityChange::Appoint {
                body: whole,
                members: vec![MemberId::new(2)],
            },
            None,
            Some(MemberId::new(2)),
        ),
        (
            CommunityChange::Roles {
                member: MemberId::new(2),
                roles: [Role::Staff].into(),
            },
            Some(DecisionKind::Recruitment),
            None,
        ),
        (
            CommunityChange::DissolveBody { body: allies() },
            Some(DecisionKind::Governance),
            None,
        ),
        (
            CommunityChange::Charter {
                charter: Charter::default(),
            },
            Some(DecisionKind::Governance),
            None,
        ),
    ];
    for (change, needs, own) in cases {
        assert_eq!(change.needs_decision(&c), needs, "{}", change.label());
        assert_eq!(
            change.own_members(&c).first().copied(),
            own,
            "{}",
            change.label()
        );
    }
}

#[test]
fn a_new_charter_gets_its_own_hash_and_later_versions_keep_it() {
    let mut h = history();
    let spec = r#"{"values": [{"id": "transparent"}], "rules": [{"id": "T2"}]}"#;
    let charter = Charter::from_json(spec).unwrap();
    let hash = charter.hash();
    h.apply(
        &CommunityChange::Charter { charter },
        at("2021-06-01T00:00:00Z"),
    )
    .unwrap();
    h.apply(
        &CommunityChange::Leave {
            member: MemberId::new(1),
        },
        at("2021-07-01T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(h.current().charter_hash(), hash);
    assert_eq!(
        h.at(at("2021-05-01T00:00:00Z")).charter_hash(),
        Charter::default().hash()
    );
}

#[test]
fn the_events_read_back_as_written() {
    let change = CommunityChange::Appoint {
        body: allies(),
        members: vec![MemberId::new(4)],
    };
    let event = LivingEvent::Changed {
        change: Box::new(change),
        decided_by: Some(StreamId::new("allies-recruitment").unwrap()),
        from: None,
        attested_by: None,
    };
    let json = serde_json::to_string(&event).unwrap();
    assert_eq!(
        json,
        r#"{"type":"changed","change":{"type":"appoint","body":"allies_group","members":[4]},"decided_by":"allies-recruitment"}"#
    );
    assert_eq!(serde_json::from_str::<LivingEvent>(&json).unwrap(), event);
    let unknown = r#"{"type":"changed","change":{"type":"leave","member":4,"why":"x"}}"#;
    assert!(serde_json::from_str::<LivingEvent>(unknown).is_err());
}

fn joiner(n: u64) -> CommunityChange {
    CommunityChange::Join {
        member: Member::new(MemberId::new(n), format!("Member {n}")).with_lived_experience(),
    }
}

fn appoint(members: &[u64]) -> CommunityChange {
    CommunityChange::Appoint {
        body: allies(),
        members: members.iter().copied().map(MemberId::new).collect(),
    }
}

#[test]
fn a_scheduled_change_takes_effect_from_its_time_over_changes_made_meanwhile() {
    let mut h = history();
    h.apply(&joiner(4), at("2021-03-01T09:00:00Z")).unwrap();
    // Adopted on 10 March to take effect on 1 April.
    let wave =
        Entry::new(appoint(&[4]), at("2021-03-10T12:00:00Z")).effective(at("2021-04-01T00:00:00Z"));
    h = h.with(wave).unwrap();
    // A member joins on 20 March: before the scheduled wave takes effect.
    h = h
        .with(Entry::new(joiner(5), at("2021-03-20T09:00:00Z")))
        .unwrap();
    let size = |t| h.at(at(t)).community().figures(&allies()).unwrap().size;
    assert_eq!(size("2021-03-31T23:59:59Z"), 3);
    assert_eq!(size("2021-04-01T00:00:00Z"), 4);
    // The scheduled version was made again over the join: member 5 is in it too.
    let april = h.at(at("2021-04-01T00:00:00Z"));
    assert!(april.community().member(MemberId::new(5)).is_some());
    assert_eq!(april.entry().unwrap().from, at("2021-04-01T00:00:00Z"));
    assert_eq!(april.entry().unwrap().made, at("2021-03-10T12:00:00Z"));
    // In the order they take effect, and the latest made is the join.
    let froms: Vec<Timestamp> = h.versions().map(Version::from).collect();
    assert!(froms.windows(2).all(|w| w[0] <= w[1]), "{froms:?}");
    assert_eq!(h.last_made(), at("2021-03-20T09:00:00Z"));
    assert_eq!(h.current().from(), at("2021-04-01T00:00:00Z"));
}

fn leave(member: u64) -> CommunityChange {
    CommunityChange::Leave {
        member: MemberId::new(member),
    }
}

/// The history with members 4 and 5 joined in March and a wave appointing both to the
/// Allies Group adopted on 10 March, to take effect on 1 April.
fn wave_scheduled() -> History {
    let mut h = history();
    h.apply(&joiner(4), at("2021-03-01T09:00:00Z")).unwrap();
    h.apply(&joiner(5), at("2021-03-02T09:00:00Z")).unwrap();
    h.with(
        Entry::new(appoint(&[4, 5]), at("2021-03-10T12:00:00Z"))
            .effective(at("2021-04-01T00:00:00Z")),
    )
    .unwrap()
}

#[test]
fn a_member_may_leave_before_a_change_scheduled_for_them_which_lapses_for_them() {
    let h = wave_scheduled()
        .with(Entry::new(leave(4), at("2021-03-15T09:00:00Z")))
        .unwrap();
    let april = h.at(at("2021-04-01T00:00:00Z"));
    let entry = april.entry().unwrap();
    // The journal's change stays as adopted; what took effect leaves member 4 out.
    assert_eq!(entry.change, appoint(&[4, 5]));
    assert_eq!(entry.lapsed, BTreeSet::from([MemberId::new(4)]));
    assert_eq!(entry.applied().as_deref(), Some(&appoint(&[5])));
    let body = april.community().body(&allies()).unwrap();
    assert!(body.contains(MemberId::new(5)));
    assert!(april.community().member(MemberId::new(4)).is_none());
    // Member 5 leaving too leaves nothing of the wave: the version changes nothing.
    let h = h
        .with(Entry::new(leave(5), at("2021-03-20T09:00:00Z")))
        .unwrap();
    let april = h.at(at("2021-04-01T00:00:00Z"));
    assert_eq!(april.entry().unwrap().applied(), None);
    assert_eq!(
        april.community(),
        h.at(at("2021-03-31T23:59:59Z")).community()
    );
    // A scheduled change about the member alone lapses whole; others keep theirs.
    let mut h = wave_scheduled();
    let roles = |m| CommunityChange::Roles {
        member: MemberId::new(m),
        roles: BTreeSet::from([Role::Staff]),
    };
    for (m, day) in [(4, "11"), (5, "12")] {
        h = h
            .with(
                Entry::new(roles(m), at(&format!("2021-03-{day}T12:00:00Z")))
                    .effective(at("2021-05-01T00:00:00Z")),
            )
            .unwrap();
    }
    let h = h
        .with(Entry::new(leave(4), at("2021-03-15T09:00:00Z")))
        .unwrap();
    let may = h.at(at("2021-05-01T00:00:00Z")).community();
    assert!(may.member(MemberId::new(4)).is_none());
    assert!(
        may.member(MemberId::new(5))
            .unwrap()
            .roles
            .contains(&Role::Staff)
    );
    let lapsed: Vec<_> = h
        .versions()
        .filter_map(Version::entry)
        .filter(|e| !e.lapsed.is_empty())
        .map(|e| e.change.label())
        .collect();
    assert_eq!(lapsed, ["appoint", "roles"]);
}

#[test]
fn a_change_that_would_stop_a_scheduled_one_is_refused_and_changes_nothing() {
    let h = wave_scheduled();
    let before = h.versions().count();
    // Dissolving the body before the wave would leave the wave appointing to nothing.
    let dissolve = Entry::new(
        CommunityChange::DissolveBody { body: allies() },
        at("2021-03-15T09:00:00Z"),
    );
    let err = h.with(dissolve).unwrap_err();
    let LivingError::Scheduled {
        change: "dissolve_body",
        from,
        source,
    } = &err
    else {
        panic!("{err}");
    };
    assert_eq!(*from, at("2021-04-01T00:00:00Z"));
    assert!(
        matches!(
            **source,
            LivingError::Community {
                change: "appoint",
                ..
            }
        ),
        "{source}"
    );
    assert!(
        err.to_string().contains("scheduled from 2021-04-01"),
        "{err}"
    );
    assert_eq!(h.versions().count(), before);
    // After the wave has taken effect, the body may be dissolved.
    assert!(
        h.with(Entry::new(
            CommunityChange::DissolveBody { body: allies() },
            at("2021-04-02T09:00:00Z"),
        ))
        .is_ok()
    );
}

#[test]
fn a_change_is_never_in_force_before_it_was_made() {
    let h = history();
    let backdated =
        Entry::new(joiner(4), at("2021-03-01T09:00:00Z")).effective(at("2021-02-01T09:00:00Z"));
    let err = h.with(backdated).unwrap_err();
    assert_eq!(
        err,
        LivingError::Backdated {
            change: "join",
            at: at("2021-02-01T09:00:00Z"),
            last: at("2021-03-01T09:00:00Z"),
        }
    );
    let event = Entry::new(joiner(4), at("2021-03-01T09:00:00Z"))
        .effective(at("2021-04-01T00:00:00Z"))
        .event();
    let json = serde_json::to_string(&event).unwrap();
    assert!(
        json.ends_with(r#""from":"2021-04-01T00:00:00Z"}"#),
        "{json}"
    );
    // In force from when it was made: no `from` written.
    let now = Entry::new(joiner(4), at("2021-03-01T09:00:00Z")).event();
    assert!(!serde_json::to_string(&now).unwrap().contains("from"));
}

#[test]
fn a_funding_policy_is_validated_and_named_by_its_hash() {
    use crate::funding::FundingPolicy;
    let h = History::found(
        Founding {
            community: founding(),
            governance: None,
            charter: Charter::default(),
            funding_policy: Some(FundingPolicy::seed()),
        },
        at("2021-01-04T09:00:00Z"),
    )
    .unwrap();
    let seed = Hash::of_json(&FundingPolicy::seed());
    assert_eq!(h.founding().funding_policy_hash(), Some(seed));
    let mut stricter = FundingPolicy::seed();
    stricter.red_line_sectors.insert("gambling".into());
    let change = CommunityChange::FundingPolicy {
        policy: Box::new(stricter.clone()),
    };
    assert_eq!(
        change.needs_decision(h.current().community()),
        Some(DecisionKind::Governance)
    );
    let h2 = h
        .with(Entry::new(change, at("2021-06-01T09:00:00Z")))
        .unwrap();
    assert_eq!(
        h2.at(at("2021-05-31T00:00:00Z")).funding_policy_hash(),
        Some(seed)
    );
    assert_eq!(h2.current().funding_policy(), Some(&stricter));
    assert_ne!(h2.current().funding_policy_hash(), Some(seed));
    let mut broken = FundingPolicy::seed();
    broken.comment_window_days = 30;
    let err = h
        .with(Entry::new(
            CommunityChange::FundingPolicy {
                policy: Box::new(broken),
            },
            at("2021-06-01T09:00:00Z"),
        ))
        .unwrap_err();
    assert!(matches!(err, LivingError::FundingPolicy { .. }), "{err}");
}

#[test]
fn how_a_member_is_named_is_their_own_change() {
    let mut h = history();
    let change: CommunityChange =
        serde_json::from_str(r#"{"type": "named", "member": 3, "named": "initials"}"#).unwrap();
    let community = h.current().community().clone();
    assert_eq!(change.needs_decision(&community), None);
    assert_eq!(change.own_members(&community), [MemberId::new(3)]);
    h.apply(&change, at("2021-02-01T09:00:00Z")).unwrap();
    let member = h
        .current()
        .community()
        .member(MemberId::new(3))
        .unwrap()
        .clone();
    assert_eq!(member.named, Naming::Initials);
    assert_eq!(member.shown_as(), "M. 3.");
    // Before, by name; a member file with no `named` is named by name, and writes none.
    let before = h
        .at(at("2021-01-31T00:00:00Z"))
        .community()
        .member(MemberId::new(3))
        .unwrap()
        .clone();
    assert_eq!(before.shown_as(), "Member 3");
    assert!(!serde_json::to_string(&before).unwrap().contains("named"));
    assert!(
        serde_json::to_string(&member)
            .unwrap()
            .contains(r#""named":"initials""#)
    );
    let unknown = CommunityChange::Named {
        member: MemberId::new(99),
        named: Naming::Anonymous,
    };
    assert!(h.apply(&unknown, at("2021-02-02T00:00:00Z")).is_err());
}

#[test]
fn a_retired_decision_withdraws_what_it_scheduled_and_nothing_else() {
    let wave = StreamId::new("allies-wave").unwrap();
    let other = StreamId::new("other-wave").unwrap();
    let mut h = history();
    h.apply(&joiner(4), at("2021-03-01T09:00:00Z")).unwrap();
    h.apply(&joiner(5), at("2021-03-02T09:00:00Z")).unwrap();
    for (who, made, decision) in [
        (4, "2021-03-10T12:00:00Z", &wave),
        (5, "2021-03-11T12:00:00Z", &other),
    ] {
        h = h
            .with(
                Entry::new(appoint(&[who]), at(made))
                    .decided_by(decision.clone())
                    .effective(at("2021-04-01T00:00:00Z")),
            )
            .unwrap();
    }
    // Retired on 20 March: its appointment of member 4 never takes effect; member 5's does.
    let withdrawn = h
        .withdrawn(&wave, at("2021-03-20T09:00:00Z"))
        .unwrap()
        .unwrap();
    let april = withdrawn.at(at("2021-04-01T00:00:00Z")).community();
    let allies_group = april.body(&allies()).unwrap();
    assert!(!allies_group.contains(MemberId::new(4)));
    assert!(allies_group.contains(MemberId::new(5)));
    assert_eq!(withdrawn.last_made(), at("2021-03-20T09:00:00Z"));
    // Nothing of it left to withdraw, and nothing before the last change.
    assert!(
        withdrawn
            .withdrawn(&wave, at("2021-03-21T09:00:00Z"))
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        h.withdrawn(&wave, at("2021-03-01T00:00:00Z")),
        Err(LivingError::Backdated { .. })
    ));
    // Once in force, a retirement withdraws nothing: the appointment was made.
    assert!(
        h.withdrawn(&wave, at("2021-04-02T09:00:00Z"))
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_join_carries_no_declaration_only_the_joiner_may_make() {
    let join = |member: &str| -> CommunityChange {
        serde_json::from_str(&format!(r#"{{"type": "join", "member": {member}}}"#)).unwrap()
    };
    let plain = join(r#"{"id": 40, "name": "New member"}"#);
    assert_eq!(plain.declared_for_joiner(), None);
    for (member, what) in [
        (
            r#"{"id": 40, "name": "New member", "lived_experience": true}"#,
            "lived_experience",
        ),
        (
            r#"{"id": 40, "name": "New member", "named": "anonymous"}"#,
            "named",
        ),
        (
            r#"{"id": 40, "name": "New member", "access_needs": [{"kind": "captions"}]}"#,
            "access_needs",
        ),
    ] {
        assert_eq!(
            join(member).declared_for_joiner(),
            Some((MemberId::new(40), what))
        );
    }
    let leave: CommunityChange = serde_json::from_str(r#"{"type": "leave", "member": 3}"#).unwrap();
    assert_eq!(leave.declared_for_joiner(), None);
}

#[test]
fn a_member_number_is_not_given_again_once_its_member_has_left() {
    let mut h = history();
    let leave = CommunityChange::Leave {
        member: MemberId::new(2),
    };
    h.apply(&leave, at("2021-05-01T00:00:00Z")).unwrap();
    let again = CommunityChange::Join {
        member: Member::new(MemberId::new(2), "Another person"),
    };
    let versions = h.versions().count();
    assert_eq!(
        h.apply(&again, at("2021-05-02T00:00:00Z")),
        Err(LivingError::NumberTaken {
            member: MemberId::new(2)
        })
    );
    assert_eq!(h.versions().count(), versions);
    // A number nobody had is free.
    let fresh = CommunityChange::Join {
        member: Member::new(MemberId::new(90), "Another person"),
    };
    assert!(h.apply(&fresh, at("2021-05-02T00:00:00Z")).is_ok());
    // Nor is a number a member had who joined later and left.
    let leave = CommunityChange::Leave {
        member: MemberId::new(90),
    };
    h.apply(&leave, at("2021-05-03T00:00:00Z")).unwrap();
    let again = CommunityChange::Join {
        member: Member::new(MemberId::new(90), "A third person"),
    };
    assert!(matches!(
        h.apply(&again, at("2021-05-04T00:00:00Z")),
        Err(LivingError::NumberTaken { .. })
    ));
}

#[test]
fn an_appointment_naming_a_member_twice_is_refused_as_such() {
    let mut h = history();
    let twice: CommunityChange =
        serde_json::from_str(r#"{"type": "appoint", "body": "allies_group", "members": [3, 3]}"#)
            .unwrap();
    assert_eq!(twice.named_twice(), Some(MemberId::new(3)));
    assert!(matches!(
        h.apply(&twice, at("2021-02-01T00:00:00Z")),
        Err(LivingError::NamedTwice { change: "appoint", member }) if member == MemberId::new(3)
    ));
}

#[test]
fn the_whole_communitys_body_is_neither_dissolved_nor_formed_again_of_a_few() {
    let mut h = history();
    let whole = BodyId::new("whole_community").unwrap();
    let dissolve = CommunityChange::DissolveBody {
        body: whole.clone(),
    };
    assert_eq!(
        h.apply(&dissolve, at("2021-02-01T00:00:00Z")),
        Err(LivingError::WholeCommunity {
            change: "dissolve_body"
        })
    );
    let second = CommunityChange::FormBody {
        body: Body::new(
            BodyId::new("everyone").unwrap(),
            "Everyone",
            BodyKind::WholeCommunity,
        )
        .with_members([1, 2, 3].map(MemberId::new)),
    };
    assert_eq!(
        h.apply(&second, at("2021-02-01T00:00:00Z")),
        Err(LivingError::WholeCommunity {
            change: "form_body"
        })
    );
    assert_eq!(h.versions().count(), 1);
    // Another body of a few is formed as before.
    let few = CommunityChange::FormBody {
        body: Body::new(BodyId::new("panel").unwrap(), "Panel", BodyKind::Custom)
            .with_members([1, 3].map(MemberId::new)),
    };
    assert!(h.apply(&few, at("2021-02-01T00:00:00Z")).is_ok());
}
