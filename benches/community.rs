//! Body figures, against the floor of the same join in the same group: the body's member
//! ids (sorted, as a body keeps them) merged against a sorted table of every member's
//! flags, counting lived experience and roles. `figures` must find each of the body's
//! members in the community and count them; a merge of two sorted arrays is the least that
//! join can cost. Sizes: a body of 1k members (in cache), 100k and 1M (a community of
//! some hundreds of bytes a member, beyond a 32 MB last-level cache), each the whole of a
//! community of the same size. Read each size's two lines as a ratio.

use std::hint::black_box;

use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

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

/// The floor: a merge join of the body's sorted ids against the sorted member table.
fn merge_count(ids: &[MemberId], table: &[(MemberId, bool, u32)]) -> (usize, usize, [usize; 32]) {
    let (mut size, mut lived, mut roles) = (0, 0, [0usize; 32]);
    let mut rows = table.iter();
    for id in ids {
        if let Some(&(_, l, role_bits)) = rows.by_ref().find(|(m, _, _)| m == id) {
            size += 1;
            lived += usize::from(l);
            // Only the roles the member holds: one step for each set bit.
            let mut bits = role_bits;
            while bits != 0 {
                if let Some(count) = roles.get_mut(bits.trailing_zeros() as usize) {
                    *count += 1;
                }
                bits &= bits - 1;
            }
        }
    }
    (size, lived, roles)
}

fn figures(c: &mut Criterion) {
    let mut group = c.benchmark_group("body_figures");
    for size in [1_000u64, 100_000, 1_000_000] {
        let mut community = Community::new();
        let members: Vec<Member> = (0..size).map(member).collect();
        for m in &members {
            community.add_member(m.clone()).unwrap();
        }
        let id = BodyId::new("everyone").unwrap();
        let ids: Vec<MemberId> = (0..size).map(MemberId::new).collect();
        community
            .add_body(
                Body::new(id.clone(), "Everyone", BodyKind::WholeCommunity)
                    .with_members(ids.iter().copied()),
            )
            .unwrap();
        let table: Vec<(MemberId, bool, u32)> = members
            .iter()
            .map(|m| {
                let roles = Role::ALL
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| m.has_role(**r))
                    .fold(0u32, |bits, (i, _)| bits | 1 << i);
                (m.id, m.lived_experience, roles)
            })
            .collect();
        group.bench_with_input(BenchmarkId::new("floor_merge_join", size), &size, |b, _| {
            b.iter(|| merge_count(black_box(&ids), black_box(&table)))
        });
        group.bench_with_input(
            BenchmarkId::new("community_figures", size),
            &size,
            |b, _| b.iter(|| black_box(&community).figures(&id).unwrap()),
        );
    }
    group.finish();
}

criterion_group!(benches, figures);
criterion_main!(benches);
