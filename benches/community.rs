//! Body figures on a large body, against the baseline of counting the same members' flags
//! in a plain vector. Read the two lines of the `body_figures` group as a ratio.

use std::hint::black_box;

use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
use criterion::{Criterion, criterion_group, criterion_main};

const SIZE: u64 = 100_000;

fn member(n: u64) -> Member {
    let mut m =
        Member::new(MemberId::new(n), format!("member {n}")).with_role(Role::CommunityMember);
    if n.is_multiple_of(3) {
        m = m.with_lived_experience();
    }
    if n.is_multiple_of(10) {
        m = m.with_role(Role::CoProducer);
    }
    m
}

fn figures(c: &mut Criterion) {
    let mut community = Community::new();
    let members: Vec<Member> = (0..SIZE).map(member).collect();
    for m in &members {
        community.add_member(m.clone()).unwrap();
    }
    let id = BodyId::new("everyone").unwrap();
    community
        .add_body(
            Body::new(id.clone(), "Everyone", BodyKind::WholeCommunity)
                .with_members((0..SIZE).map(MemberId::new)),
        )
        .unwrap();

    let mut group = c.benchmark_group("body_figures");
    group.bench_function("baseline_vec_count", |b| {
        b.iter(|| {
            let members = black_box(&members);
            let lived = members.iter().filter(|m| m.lived_experience).count();
            let co = members
                .iter()
                .filter(|m| m.has_role(Role::CoProducer))
                .count();
            (lived, co)
        })
    });
    group.bench_function("community_figures", |b| {
        b.iter(|| black_box(&community).figures(&id).unwrap())
    });
    group.finish();
}

criterion_group!(benches, figures);
criterion_main!(benches);
