//! A small community for the tests of time that moves the process: members 1-4, members
//! 1-3 in the project team that decides; minutes from a fixed start.

#![allow(dead_code)]

use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
use jiff::{SignedDuration, Timestamp};

/// `minute` minutes after the start.
pub fn at(minute: i64) -> Timestamp {
    Timestamp::from_second(1_661_000_000).unwrap() + SignedDuration::from_mins(minute)
}

pub fn m(n: u64) -> MemberId {
    MemberId::new(n)
}

/// Proposes, facilitates and records the rounds.
pub const FACILITATOR: MemberId = MemberId::new(1);

/// The body that decides.
pub fn team() -> BodyId {
    BodyId::new("project_team").unwrap()
}

pub fn community() -> Community {
    let mut community = Community::new();
    for n in 1..=4 {
        community
            .add_member(Member::new(m(n), format!("Co-producer {n}")).with_role(Role::CoProducer))
            .unwrap();
    }
    community
        .add_body(
            Body::new(team(), "Project team", BodyKind::ProjectTeam).with_members((1..=3).map(m)),
        )
        .unwrap();
    community
}
