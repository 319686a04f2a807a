//! The community model through its public API: typed errors that change nothing, figures,
//! and the JSON shape.

use coproduction::community::{
    AccessNeed, AccessNeedKind, Body, BodyId, BodyKind, Community, CommunityError, Member,
    MemberId, Role,
};
use proptest::prelude::*;

fn id(n: u64) -> MemberId {
    MemberId::new(n)
}

fn body(slug: &str) -> BodyId {
    BodyId::new(slug).unwrap()
}

fn small() -> Community {
    let mut c = Community::new();
    c.add_member(Member::new(id(1), "Staff member 1").with_role(Role::Staff))
        .unwrap();
    c.add_member(
        Member::new(id(2), "Co-producer 1")
            .with_role(Role::CoProducer)
            .with_lived_experience(),
    )
    .unwrap();
    c.add_body(
        Body::new(body("staff_team"), "Staff team", BodyKind::StaffTeam).with_members([id(1)]),
    )
    .unwrap();
    c
}

/// Runs a change that must be refused, and checks the error and that nothing changed.
fn refused(
    change: impl FnOnce(&mut Community) -> Result<(), CommunityError>,
    expected: CommunityError,
) {
    let mut c = small();
    let before = c.clone();
    assert_eq!(change(&mut c), Err(expected));
    assert_eq!(
        c, before,
        "a refused change must leave the community as it was"
    );
}

#[test]
fn adding_a_member_twice_is_refused() {
    refused(
        |c| c.add_member(Member::new(id(1), "Someone else")),
        CommunityError::DuplicateMember { member: id(1) },
    );
}

#[test]
fn a_member_with_a_blank_name_is_refused() {
    refused(
        |c| c.add_member(Member::new(id(9), "  ")),
        CommunityError::UnnamedMember { member: id(9) },
    );
}

#[test]
fn a_name_of_characters_that_show_as_nothing_is_blank() {
    for name in ["\u{200B}", "\u{200B}\u{2060} \u{FEFF}", "--", "\u{00AD}"] {
        refused(
            |c| c.add_member(Member::new(id(9), name)),
            CommunityError::UnnamedMember { member: id(9) },
        );
    }
}

#[test]
fn a_name_that_reads_as_another_members_is_refused() {
    // The same words, once case, spacing, compatibility forms (full-width digits) and
    // characters that show as nothing are set aside.
    for name in [
        "Staff member 1",
        "staff  MEMBER 1",
        "Staff mem\u{200B}ber 1",
        "Staff member \u{FF11}",
        "Staff-member 1",
    ] {
        refused(
            |c| c.add_member(Member::new(id(9), name)),
            CommunityError::NameTaken {
                member: id(9),
                other: id(1),
            },
        );
    }
    // Once member 1 has left, the name is free.
    let mut c = small();
    c.remove_member(id(1)).unwrap();
    c.add_member(Member::new(id(9), "Staff member 1")).unwrap();
    // A name that only starts the same is another name.
    let mut c = small();
    c.add_member(Member::new(id(9), "Staff member 10")).unwrap();
}

#[test]
fn adding_a_body_twice_is_refused() {
    refused(
        |c| c.add_body(Body::new(body("staff_team"), "Again", BodyKind::StaffTeam)),
        CommunityError::DuplicateBody {
            body: body("staff_team"),
        },
    );
}

#[test]
fn a_body_listing_an_unknown_member_is_refused_whole() {
    refused(
        |c| {
            c.add_body(
                Body::new(body("allies_group"), "Allies Group", BodyKind::AlliesGroup)
                    .with_members([id(1), id(7)]),
            )
        },
        CommunityError::UnknownMember {
            member: id(7),
            body: Some(body("allies_group")),
        },
    );
}

#[test]
fn joining_an_unknown_body_is_refused() {
    refused(
        |c| c.join(&body("nobody"), id(1)),
        CommunityError::UnknownBody {
            body: body("nobody"),
        },
    );
}

#[test]
fn an_unknown_member_cannot_join() {
    refused(
        |c| c.join(&body("staff_team"), id(42)),
        CommunityError::UnknownMember {
            member: id(42),
            body: Some(body("staff_team")),
        },
    );
}

#[test]
fn joining_a_body_twice_is_refused() {
    refused(
        |c| c.join(&body("staff_team"), id(1)),
        CommunityError::AlreadyMember {
            member: id(1),
            body: body("staff_team"),
        },
    );
}

#[test]
fn leaving_a_body_one_is_not_in_is_refused() {
    refused(
        |c| c.leave(&body("staff_team"), id(2)),
        CommunityError::NotAMember {
            member: id(2),
            body: body("staff_team"),
        },
    );
}

#[test]
fn removing_an_unknown_member_is_refused() {
    refused(
        |c| c.remove_member(id(5)).map(drop),
        CommunityError::UnknownMember {
            member: id(5),
            body: None,
        },
    );
}

#[test]
fn errors_say_what_and_where() {
    let err = CommunityError::UnknownMember {
        member: id(7),
        body: Some(body("allies_group")),
    };
    assert_eq!(
        err.to_string(),
        "unknown member m7 (named as a member of body `allies_group`)"
    );
    let err = CommunityError::AlreadyMember {
        member: id(1),
        body: body("staff_team"),
    };
    assert_eq!(err.to_string(), "member m1 is already in body `staff_team`");
}

#[test]
fn removing_a_member_takes_them_out_of_every_body() {
    let mut c = small();
    let removed = c.remove_member(id(1)).unwrap();
    assert_eq!(removed.name, "Staff member 1");
    assert!(c.body(&body("staff_team")).unwrap().is_empty());
    assert!(c.member(id(1)).is_none());
}

#[test]
fn figures_count_lived_experience_and_roles() {
    let mut c = small();
    c.join(&body("staff_team"), id(2)).unwrap();
    let f = c.figures(&body("staff_team")).unwrap();
    assert_eq!(f.size, 2);
    assert_eq!(f.lived_experience, 1);
    assert_eq!(f.roles[&Role::Staff], 1);
    assert_eq!(f.roles[&Role::CoProducer], 1);
    assert_eq!(f.lived_experience_share().to_string(), "1 of 2 (50%)");
    assert_eq!(
        c.figures(&body("nobody")),
        Err(CommunityError::UnknownBody {
            body: body("nobody")
        })
    );
}

#[test]
fn figures_of_an_empty_body() {
    let mut c = small();
    c.add_body(Body::new(body("empty"), "Empty", BodyKind::Custom))
        .unwrap();
    let f = c.figures(&body("empty")).unwrap();
    assert_eq!((f.size, f.lived_experience), (0, 0));
    assert_eq!(f.lived_experience_share().fraction(), None);
}

#[test]
fn json_shape_of_a_community() {
    let mut c = small();
    c.add_member(
        Member::new(id(3), "Community member 1")
            .with_role(Role::CommunityMember)
            .with_access_need(AccessNeed {
                kind: AccessNeedKind::Other,
                note: Some("a hearing loop".into()),
            }),
    )
    .unwrap();
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "members": [
                {"id": 1, "name": "Staff member 1", "roles": ["staff"], "lived_experience": false},
                {"id": 2, "name": "Co-producer 1", "roles": ["co_producer"], "lived_experience": true},
                {"id": 3, "name": "Community member 1", "roles": ["community_member"], "lived_experience": false,
                 "access_needs": [{"kind": "other", "note": "a hearing loop"}]}
            ],
            "bodies": [
                {"id": "staff_team", "name": "Staff team", "kind": "staff_team", "members": [1]}
            ]
        })
    );
    let back: Community = serde_json::from_value(json).unwrap();
    assert_eq!(back, c);
}

#[test]
fn unknown_json_fields_are_refused() {
    for bad in [
        r#"{"members": [], "bodies": [], "extra": 1}"#,
        r#"{"members": [{"id": 1, "name": "A", "title": "chair"}]}"#,
        r#"{"members": [], "bodies": [{"id": "b", "name": "B", "kind": "custom", "rank": 1}]}"#,
        r#"{"members": [{"id": 1, "name": "A", "access_needs": [{"kind": "captions", "level": 2}]}]}"#,
    ] {
        let err = serde_json::from_str::<Community>(bad).unwrap_err();
        assert!(err.to_string().contains("unknown field"), "{bad}: {err}");
    }
}

#[test]
fn json_is_checked_like_calls() {
    let dup = r#"{"members": [{"id": 1, "name": "A"}, {"id": 1, "name": "B"}]}"#;
    let err = serde_json::from_str::<Community>(dup).unwrap_err();
    assert!(err.to_string().contains("cannot add member m1"), "{err}");

    let unknown = r#"{"members": [{"id": 1, "name": "A"}], "bodies": [{"id": "b", "name": "B", "kind": "custom", "members": [2]}]}"#;
    let err = serde_json::from_str::<Community>(unknown).unwrap_err();
    assert!(err.to_string().contains("unknown member m2"), "{err}");

    let bad_id =
        r#"{"members": [], "bodies": [{"id": "Big Team", "name": "B", "kind": "custom"}]}"#;
    let err = serde_json::from_str::<Community>(bad_id).unwrap_err();
    assert!(
        err.to_string().contains("invalid body id `Big Team`"),
        "{err}"
    );

    let bad_role = r#"{"members": [{"id": 1, "name": "A", "roles": ["chair"]}]}"#;
    assert!(serde_json::from_str::<Community>(bad_role).is_err());
}

/// One change to a community, for the property test.
#[derive(Debug, Clone)]
enum Change {
    AddMember(u64, bool),
    RemoveMember(u64),
    AddBody(u8, Vec<u64>),
    Join(u8, u64),
    Leave(u8, u64),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0..12u64, any::<bool>()).prop_map(|(n, l)| Change::AddMember(n, l)),
        (0..12u64).prop_map(Change::RemoveMember),
        (0..4u8, proptest::collection::vec(0..12u64, 0..4))
            .prop_map(|(b, m)| Change::AddBody(b, m)),
        (0..4u8, 0..12u64).prop_map(|(b, m)| Change::Join(b, m)),
        (0..4u8, 0..12u64).prop_map(|(b, m)| Change::Leave(b, m)),
    ]
}

fn slug(b: u8) -> BodyId {
    BodyId::new(format!("body{b}")).unwrap()
}

proptest! {
    /// Any sequence of changes: a refused change leaves the community exactly as it was,
    /// every body member stays a community member, and the JSON form reads back equal.
    #[test]
    fn refused_changes_change_nothing(changes in proptest::collection::vec(change(), 0..40)) {
        let mut c = Community::new();
        for ch in changes {
            let before = c.clone();
            let result = match ch {
                Change::AddMember(n, lived) => {
                    let mut m = Member::new(id(n), format!("member {n}"));
                    if lived { m = m.with_lived_experience(); }
                    c.add_member(m)
                }
                Change::RemoveMember(n) => c.remove_member(id(n)).map(drop),
                Change::AddBody(b, ms) => c.add_body(
                    Body::new(slug(b), format!("body {b}"), BodyKind::Custom).with_members(ms.into_iter().map(id)),
                ),
                Change::Join(b, n) => c.join(&slug(b), id(n)),
                Change::Leave(b, n) => c.leave(&slug(b), id(n)),
            };
            if result.is_err() {
                prop_assert_eq!(&c, &before);
            }
            for body in c.bodies() {
                for m in body.members() {
                    prop_assert!(c.member(m).is_some());
                }
                let f = c.figures(&body.id).unwrap();
                prop_assert_eq!(f.size, body.len());
                prop_assert!(f.lived_experience <= f.size);
            }
        }
        let json = serde_json::to_string(&c).unwrap();
        prop_assert_eq!(serde_json::from_str::<Community>(&json).unwrap(), c);
    }
}
