//! A consent round where every eligible member responds and the round closes, measured
//! against three floors in the same group. Sizes 1k, 10k and 100k fit in the last-level
//! cache of the machine measured (32 MB); 1M (a round of some 84 MB) does not.
//!
//! - `floor_foldhash_insert`: the same (member, response) pairs inserted into a `HashMap`
//!   with foldhash (the round's own hasher), then one counting pass: keyed insertion is the
//!   least a round that stores answers by member must do.
//! - `floor_seat_table`: the structure the round itself keeps, built before the timing as
//!   the round's is built when it opens (a dense vector of seats and a foldhash index of
//!   seat numbers): per response one lookup and one write, then one counting pass. This is
//!   the floor of a round whose members' ids are spread out, which the round indexes the
//!   same way (`respond_all_and_close_spread`, ids 7,919 apart).
//! - `floor_direct_table`: the same with the index the round keeps when its members' ids
//!   are close together (a slot per id, no hashing): the like-for-like floor of
//!   `respond_all_and_close`, whose ids run 1 to n. Nothing per response can cost less.
//!
//! The round is driven through the runtime decider: `respond_all_and_close` through
//! `Decider::apply` (each response checked and recorded in one step, as an app keeping the
//! round itself takes it), `decide_then_evolve_all_and_close` through `decide`
//! then `evolve` (two steps, as the engine takes a response, appending its events to the
//! journal before the state moves). The events are handed back and dropped, as an engine
//! hands them to its journal. Two more lines split the two-step path in its halves, to show
//! where its time goes: `part_decide_all` checks every response and drops its event (the
//! round unchanged), and `part_evolve_all_and_close` folds the same events, made before the
//! timing, into the round and closes it.
//! Every side starts from allocated tables whose memory has already been written, outside
//! the timing (the round and the seat table are cloned, the map is filled once and cleared,
//! which keeps its capacity), and is dropped outside the timing.
//!
//! Before timing the 1M round the bench prints (and writes to
//! `target/criterion/consent_memory.json`) the round's bytes per seat against the map's
//! bytes per entry and the bare seat tables' bytes per seat.
//!
//! The `round_subject` group measures what naming a decided round for the value gate costs
//! (`subject()`: its events written as JSON into BLAKE3), against its floor: writing the
//! same events as JSON into a buffer and hashing that buffer with BLAKE3 once.

use std::hash::BuildHasher;
use std::hint::black_box;

use coproduction::community::{BodyId, MemberId};
use coproduction::consent::{
    AbsencePolicy, AnyRound, ConsentProcess, EligibleMember, Quorum, QuorumSize, Response,
    RoundCommand, RoundConfig, RoundEvent, RoundPhase, RoundRoles, RoundState,
};
use coproduction::decision::Method;
use coproduction::machine::{Context, Decider};
use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use hashbrown::HashTable;
use jiff::Timestamp;

#[path = "support/counting.rs"]
mod counting;
use counting::heap_bytes;

const FACILITATOR: MemberId = MemberId::new(0);

/// The step between member ids in the `_spread` rounds: ids too far apart for a direct
/// index, so the round hashes them.
const SPREAD: u64 = 7_919;

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_660_000_000 + seconds).unwrap()
}

fn step(state: RoundState, command: &RoundCommand, ctx: &Context) -> RoundState {
    let events = ConsentProcess::decide(&state, command, ctx).unwrap();
    events.iter().fold(state, ConsentProcess::evolve)
}

/// The commands that open a round of `n` eligible members and move it to its first
/// objection round.
fn objection_round_commands(n: u64, spread: u64) -> Vec<RoundCommand> {
    let config = RoundConfig {
        title: "Adopt the working model".into(),
        proposal: "Pilot it for six months.".into(),
        deciding_body: BodyId::new("whole_community").unwrap(),
        method: Method::Consent,
        roles: RoundRoles {
            proposer: FACILITATOR,
            facilitator: FACILITATOR,
            secretary: FACILITATOR,
        },
        eligible: (1..=n)
            .map(|m| EligibleMember {
                member: MemberId::new(m * spread),
                lived_experience: m % 2 == 0,
            })
            .collect(),
        absence: AbsencePolicy::CountAsAbsent,
        quorum: Quorum {
            size: QuorumSize::Share {
                numerator: 1,
                denominator: 2,
            },
            lived_experience_min: 1,
        },
        time_box: Default::default(),
        supporters: Default::default(),
        max_objection_rounds: 3,
    };
    let mut commands = vec![RoundCommand::Open {
        config: Box::new(config),
    }];
    commands.extend((0..3).map(|_| RoundCommand::Advance {}));
    commands
}

/// A round of `n` eligible members, opened and moved to its first objection round.
fn objection_round(n: u64, spread: u64) -> RoundState {
    let ctx = Context::new(FACILITATOR, at(0));
    let state = objection_round_commands(n, spread)
        .iter()
        .fold(RoundState::NotOpened, |state, command| {
            step(state, command, &ctx)
        });
    assert_eq!(state.phase(), RoundPhase::ObjectionRound);
    state
}

/// `member` consents.
fn respond(member: MemberId) -> RoundCommand {
    RoundCommand::Respond {
        member,
        response: Response::consent(),
    }
}

/// Every member responds through `apply` (checked and recorded in one step, the seat found
/// once), as an app keeping the round itself drives it; then the round closes.
fn respond_all_and_close(mut state: RoundState, n: u64, spread: u64) -> RoundState {
    let now = at(60);
    for m in 1..=n {
        let member = MemberId::new(m * spread);
        let command = respond(member);
        let outcome = ConsentProcess::apply(&mut state, &command, &Context::new(member, now));
        // The events handed on by reference, as a journal's append takes them, from where
        // `apply` wrote them.
        match &outcome {
            Ok(events) => {
                black_box(events);
            }
            Err(refused) => panic!("{refused}"),
        }
    }
    step(
        state,
        &RoundCommand::CloseRound {},
        &Context::new(FACILITATOR, now),
    )
}

/// The same through `decide` then `evolve`, two steps that each find the seat, as the
/// engine takes a response (it appends the events to its journal before the state moves).
fn decide_then_evolve_all_and_close(mut state: RoundState, n: u64) -> RoundState {
    let now = at(60);
    for m in 1..=n {
        let member = MemberId::new(m);
        state = step(state, &respond(member), &Context::new(member, now));
    }
    step(
        state,
        &RoundCommand::CloseRound {},
        &Context::new(FACILITATOR, now),
    )
}

/// The `decide` half of the response path alone: every member's response checked and its
/// event made and dropped, the round left as it was (a part of `respond_all_and_close`, to
/// show where its time goes).
fn decide_all(state: &RoundState, n: u64) -> usize {
    let now = at(60);
    (1..=n)
        .map(|m| {
            let member = MemberId::new(m);
            let command = respond(member);
            ConsentProcess::decide(state, &command, &Context::new(member, now))
                .map_or(0, |events| events.len())
        })
        .sum()
}

/// Every member's response event, as `decide` makes it.
fn response_events(state: &RoundState, n: u64) -> Vec<RoundEvent> {
    let now = at(60);
    (1..=n)
        .flat_map(|m| {
            let member = MemberId::new(m);
            let command = respond(member);
            ConsentProcess::decide(state, &command, &Context::new(member, now))
                .unwrap()
                .into_vec()
        })
        .collect()
}

/// The `evolve` half alone: the response events folded into the round, then the close.
fn evolve_all_and_close(state: RoundState, events: &[RoundEvent]) -> RoundState {
    let state = events.iter().fold(state, ConsentProcess::evolve);
    step(
        state,
        &RoundCommand::CloseRound {},
        &Context::new(FACILITATOR, at(60)),
    )
}

/// The floor of the counting that closing a round does: one pass over the recorded
/// answers, counting responses, lived experience among them and consents, as the round's
/// tally does.
fn count(answers: impl Iterator<Item = (bool, bool)>) -> (usize, usize, usize) {
    answers.fold((0, 0, 0), |(n, lived, consents), (l, consent)| {
        (
            n + 1,
            lived + usize::from(l),
            consents + usize::from(consent),
        )
    })
}

/// Floor 1, a keyed insert: every (member, response) pair into a foldhash `HashMap` (the
/// round's own hasher, with no per-key seed work beyond it), then one counting pass. A
/// round must at least find each member's place by id and write the answer there.
fn floor_insert(mut map: FoldMap, n: u64) -> FoldMap {
    for m in 1..=n {
        map.insert(MemberId::new(m), Response::consent());
    }
    black_box(count(
        map.values()
            .map(|r| (false, matches!(r, Response::Consent { .. }))),
    ));
    map
}

type FoldMap = hashbrown::HashMap<MemberId, Response, foldhash::fast::RandomState>;

/// An empty map with room for `n` entries whose memory has been written once, as the
/// round's seat table has been (it is cloned from an opened round): neither side pays for
/// first touching its pages inside the timing.
fn written_map(n: u64) -> FoldMap {
    let mut map = FoldMap::with_capacity_and_hasher(n as usize, Default::default());
    map = floor_insert(map, n);
    map.clear();
    map
}

/// Floor 2, the pre-built seat table: the structure the round itself uses (a dense vector
/// of seats in snapshot order, indexed by a foldhash table of seat numbers that stores no
/// key), built before the timing as the round's is built when it opens. Per response: one
/// lookup and one write of the answer into its seat; then one counting pass in seat order.
/// Nothing a round does per response can cost less than this.
#[derive(Clone)]
struct SeatTable {
    hasher: foldhash::fast::RandomState,
    index: HashTable<u32>,
    seats: Vec<(MemberId, bool, Option<Response>)>,
}

impl SeatTable {
    fn new(n: u64) -> Self {
        let hasher = foldhash::fast::RandomState::default();
        let mut index = HashTable::with_capacity(n as usize);
        let seats: Vec<_> = (1..=n)
            .map(|m| (MemberId::new(m), m % 2 == 0, None))
            .collect();
        for (i, seat) in seats.iter().enumerate() {
            index.insert_unique(hasher.hash_one(seat.0), i as u32, |&s| {
                hasher.hash_one(seats[s as usize].0)
            });
        }
        Self {
            hasher,
            index,
            seats,
        }
    }

    fn respond_all_and_count(mut self, n: u64) -> Self {
        for m in 1..=n {
            let member = MemberId::new(m);
            let hash = self.hasher.hash_one(member);
            let seats = &self.seats;
            if let Some(&s) = self.index.find(hash, |&s| seats[s as usize].0 == member) {
                self.seats[s as usize].2 = Some(Response::consent());
            }
        }
        black_box(count(self.seats.iter().filter_map(|(_, lived, r)| {
            Some((*lived, matches!(r.as_ref()?, Response::Consent { .. })))
        })));
        self
    }
}

/// Floor 3, the direct seat table: as floor 2, but indexed as the round indexes members
/// whose ids are close together (one slot per id in their span, found by subtraction, no
/// hashing). The round takes this shape for the contiguous ids of `respond_all_and_close`,
/// so this is its like-for-like floor; floor 2 is the floor of the spread-out ids of
/// `respond_all_and_close_spread`.
#[derive(Clone)]
struct DirectTable {
    slots: Vec<u32>,
    seats: Vec<(MemberId, bool, Option<Response>)>,
}

impl DirectTable {
    fn new(n: u64) -> Self {
        Self {
            slots: (0..n as u32).collect(),
            seats: (1..=n)
                .map(|m| (MemberId::new(m), m % 2 == 0, None))
                .collect(),
        }
    }

    fn respond_all_and_count(mut self, n: u64) -> Self {
        for m in 1..=n {
            let member = MemberId::new(m);
            if let Some(&s) = self.slots.get((member.get() - 1) as usize) {
                self.seats[s as usize].2 = Some(Response::consent());
            }
        }
        black_box(count(self.seats.iter().filter_map(|(_, lived, r)| {
            Some((*lived, matches!(r.as_ref()?, Response::Consent { .. })))
        })));
        self
    }
}

/// Bytes per seat of an opened round of `n` members (its clone: the seat table, its index
/// and the configuration with its eligible list), against bytes per entry of the foldhash
/// map filled with the same pairs and of the bare seat tables: the heap each holds, as the
/// allocator counts it (every allocation's requested size).
fn memory(opened: &RoundState, n: u64) {
    let (round, round_bytes) = heap_bytes(|| opened.clone());
    let (map, map_bytes) = heap_bytes(|| {
        floor_insert(
            FoldMap::with_capacity_and_hasher(n as usize, Default::default()),
            n,
        )
    });
    let (seats, seat_bytes) = heap_bytes(|| SeatTable::new(n));
    let (direct, direct_bytes) = heap_bytes(|| DirectTable::new(n));
    let per = |bytes: usize| bytes as f64 / n as f64;
    let line = format!(
        "{{\"members\":{n},\"round_bytes_per_seat\":{:.1},\"floor_map_bytes_per_entry\":{:.1},\"floor_seat_table_bytes_per_seat\":{:.1},\"floor_direct_table_bytes_per_seat\":{:.1}}}",
        per(round_bytes),
        per(map_bytes),
        per(seat_bytes),
        per(direct_bytes)
    );
    counting::report("consent_memory", &line);
    drop((round, map, seats, direct));
}

/// Times `run` on a fresh clone of `start` each iteration (cloned and dropped outside the
/// timing).
fn bench_from<T: Clone>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    n: u64,
    start: T,
    run: impl Fn(T) -> T,
) {
    group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
        b.iter_batched(|| start.clone(), &run, BatchSize::PerIteration)
    });
}

fn consent(c: &mut Criterion) {
    let mut group = c.benchmark_group("consent_round");
    group.sample_size(10);
    // Up to 100k the round fits in a 32 MB last-level cache; at 1M it does not.
    for n in [1_000u64, 10_000, 100_000, 1_000_000] {
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::new("floor_foldhash_insert", n), &n, |b, &n| {
            b.iter_batched(
                || written_map(n),
                |map| floor_insert(map, n),
                BatchSize::PerIteration,
            )
        });
        bench_from(&mut group, "floor_seat_table", n, SeatTable::new(n), |t| {
            t.respond_all_and_count(n)
        });
        bench_from(
            &mut group,
            "floor_direct_table",
            n,
            DirectTable::new(n),
            |t| t.respond_all_and_count(n),
        );
        for (name, spread) in [
            ("respond_all_and_close", 1),
            ("respond_all_and_close_spread", SPREAD),
        ] {
            let opened = objection_round(n, spread);
            let closed = respond_all_and_close(opened.clone(), n, spread);
            assert_eq!(closed.phase(), RoundPhase::Consented);
            drop(closed);
            if n == 1_000_000 && spread == 1 {
                memory(&opened, n);
            }
            if spread == 1 {
                bench_from(
                    &mut group,
                    "decide_then_evolve_all_and_close",
                    n,
                    opened.clone(),
                    |s| black_box(decide_then_evolve_all_and_close(s, n)),
                );
                // Where the time of the two-step path goes: its halves, apart.
                group.bench_with_input(BenchmarkId::new("part_decide_all", n), &n, |b, &n| {
                    b.iter(|| decide_all(black_box(&opened), n))
                });
                let events = response_events(&opened, n);
                bench_from(
                    &mut group,
                    "part_evolve_all_and_close",
                    n,
                    opened.clone(),
                    |s| black_box(evolve_all_and_close(s, &events)),
                );
            }
            bench_from(&mut group, name, n, opened, |s| {
                black_box(respond_all_and_close(s, n, spread))
            });
        }
    }
    group.finish();
}

/// The events of a round of `n` members where everyone consented and the round closed.
fn closed_round_events(n: u64) -> Vec<RoundEvent> {
    let mut events = Vec::new();
    let mut record = |state: RoundState, command: &RoundCommand, ctx: &Context| {
        let new = ConsentProcess::decide(&state, command, ctx).unwrap();
        events.extend(new.iter().cloned());
        new.iter().fold(state, ConsentProcess::evolve)
    };
    let facilitator = Context::new(FACILITATOR, at(0));
    let mut state = RoundState::NotOpened;
    for command in &objection_round_commands(n, 1) {
        state = record(state, command, &facilitator);
    }
    for m in 1..=n {
        let member = MemberId::new(m);
        let command = respond(member);
        state = record(state, &command, &Context::new(member, at(60)));
    }
    let close = Context::new(FACILITATOR, at(120));
    let state = record(state, &RoundCommand::CloseRound {}, &close);
    assert_eq!(state.phase(), RoundPhase::Consented);
    events
}

fn subject(c: &mut Criterion) {
    let mut group = c.benchmark_group("round_subject");
    for n in [1_000u64, 100_000] {
        let round = AnyRound::replay(closed_round_events(n)).unwrap();
        group.throughput(Throughput::Elements(n));
        // Floor: the same JSON, then one BLAKE3 hash of it (the subject streams the JSON
        // into the hasher instead).
        group.bench_with_input(
            BenchmarkId::new("floor_json_blake3", n),
            &round,
            |b, round| b.iter(|| blake3::hash(&serde_json::to_vec(round.events()).unwrap())),
        );
        group.bench_with_input(BenchmarkId::new("subject", n), &round, |b, round| {
            b.iter(|| round.subject())
        });
    }
    group.finish();
}

criterion_group!(benches, consent, subject);
criterion_main!(benches);
