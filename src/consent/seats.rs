//! The seat table of a round: one seat per eligible member, found by member id.
//!
//! Every response costs a lookup in `decide` (is the member eligible?) and one in `evolve`
//! (where does the answer go?), so the lookup is the hot path of a large round. The seats
//! live in a dense vector in snapshot order (counting and closing walk it in order). The
//! index takes one of two shapes, chosen when the round opens:
//!
//! - direct, when the eligible members' ids are close together (their span at most twice
//!   their number, as a community that numbers its members in order gives): a seat number
//!   per id in the span, found by subtraction. No hashing, 4 bytes a slot, and members who
//!   answer in id order read it in order.
//! - hashed otherwise: a [`hashbrown::HashTable`] of seat numbers, 4 bytes a slot plus its
//!   control byte, with no stored key: a probe compares the member in the seat it points
//!   at, which is the line the response is written to anyway. The hash is foldhash, seeded
//!   per table: the keys come from the opening snapshot, not from later input.
//!
//! `decide` and `evolve` stay pure, so each finds the seat itself (two lookups a response);
//! [`Decider::apply`](crate::machine::Decider::apply) checks a response and records it in
//! the seat it found, with one.

use std::fmt;
use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::community::MemberId;

use super::EligibleMember;
use super::response::Responded;

/// An eligible member's place in the round.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Seat {
    pub(super) member: MemberId,
    pub(super) lived_experience: bool,
    pub(super) response: Option<Responded>,
}

/// The seats of a round and their index. Equality and debug output look at the seats only:
/// the index is derived from them (its layout depends on the per-table seed).
#[derive(Clone)]
pub(super) struct Seats {
    index: Index,
    seats: Vec<Seat>,
}

/// Whether seat number `seat` of `seats` is `member`'s.
#[inline]
fn holds(seats: &[Seat], seat: u32, member: MemberId) -> bool {
    seats.get(seat as usize).is_some_and(|s| s.member == member)
}

/// No seat, in a direct index.
const EMPTY: u32 = u32::MAX;

/// How a member's id leads to their seat number.
#[derive(Clone)]
enum Index {
    /// Slot `id - base` holds the seat number of member `id`, or [`EMPTY`].
    Direct { base: u64, slots: Vec<u32> },
    /// Seat numbers, hashed by their seat's member.
    Hashed {
        hasher: foldhash::fast::RandomState,
        table: HashTable<u32>,
    },
}

impl Index {
    /// A direct index when the ids of `seats` span at most twice their number, else a
    /// hashed one. A repeated member's later seat wins in either.
    fn new(seats: &[Seat]) -> Self {
        let ids = seats.iter().map(|s| s.member.get());
        let span = match (ids.clone().min(), ids.max()) {
            (Some(low), Some(high)) => Some((low, high - low)),
            _ => None,
        };
        let direct = span.and_then(|(base, width)| {
            let len = usize::try_from(width).ok()?.checked_add(1)?;
            (width / 2 < seats.len() as u64).then_some((base, len))
        });
        match direct {
            Some((base, len)) => {
                let mut slots = vec![EMPTY; len];
                for (seat, s) in (0u32..).zip(seats) {
                    if let Some(slot) = slots.get_mut((s.member.get() - base) as usize) {
                        *slot = seat;
                    }
                }
                Index::Direct { base, slots }
            }
            _ => Self::hashed(seats),
        }
    }

    fn hashed(seats: &[Seat]) -> Self {
        let hasher = foldhash::fast::RandomState::default();
        let mut table: HashTable<u32> = HashTable::with_capacity(seats.len());
        for (seat, s) in (0u32..).zip(seats) {
            let hash = hasher.hash_one(s.member);
            match table.find_mut(hash, |&t| holds(seats, t, s.member)) {
                Some(earlier) => *earlier = seat,
                None => {
                    table.insert_unique(hash, seat, |&t| {
                        seats
                            .get(t as usize)
                            .map_or(0, |x| hasher.hash_one(x.member))
                    });
                }
            }
        }
        Index::Hashed { hasher, table }
    }

    /// The seat number of `member` in `seats`, if they have one.
    #[inline]
    fn find(&self, seats: &[Seat], member: MemberId) -> Option<u32> {
        match self {
            Index::Direct { base, slots } => {
                let slot = usize::try_from(member.get().checked_sub(*base)?).ok()?;
                slots.get(slot).copied().filter(|&seat| seat != EMPTY)
            }
            Index::Hashed { hasher, table } => table
                .find(hasher.hash_one(member), |&s| holds(seats, s, member))
                .copied(),
        }
    }
}

impl Seats {
    /// One seat per eligible member, in snapshot order. The configuration is checked before
    /// a round opens (no duplicates, fewer than `u32::MAX` members); an unchecked snapshot
    /// replayed from a journal still gives a table: a repeated member's later seat wins, as
    /// a map insert would, and members past `u32::MAX - 1` get no seat.
    pub(super) fn new(eligible: &[EligibleMember]) -> Self {
        let count = eligible.len().min(u32::MAX as usize - 1);
        let seats: Vec<Seat> = eligible
            .iter()
            .take(count)
            .map(|m| Seat {
                member: m.member,
                lived_experience: m.lived_experience,
                response: None,
            })
            .collect();
        Self {
            index: Index::new(&seats),
            seats,
        }
    }

    /// The seat number of `member`, if eligible.
    #[inline]
    pub(super) fn find(&self, member: MemberId) -> Option<u32> {
        self.index.find(&self.seats, member)
    }

    #[inline]
    pub(super) fn contains(&self, member: MemberId) -> bool {
        self.find(member).is_some()
    }

    #[inline]
    pub(super) fn get(&self, member: MemberId) -> Option<&Seat> {
        self.seats.get(self.find(member)? as usize)
    }

    /// Seat number `seat`, as [`Seats::find`] gave it.
    #[inline]
    pub(super) fn at_mut(&mut self, seat: u32) -> Option<&mut Seat> {
        self.seats.get_mut(seat as usize)
    }

    pub(super) fn iter(&self) -> std::slice::Iter<'_, Seat> {
        self.seats.iter()
    }

    pub(super) fn len(&self) -> usize {
        self.seats.len()
    }

    pub(super) fn clear_responses(&mut self) {
        for seat in &mut self.seats {
            seat.response = None;
        }
    }
}

impl PartialEq for Seats {
    fn eq(&self, other: &Self) -> bool {
        self.seats == other.seats
    }
}

impl fmt::Debug for Seats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Seats").field("seats", &self.seats).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eligible(ids: &[u64]) -> Vec<EligibleMember> {
        ids.iter()
            .map(|&m| EligibleMember {
                member: MemberId::new(m),
                lived_experience: m % 2 == 0,
            })
            .collect()
    }

    #[test]
    fn every_member_finds_their_own_seat_and_nobody_else_has_one() {
        let ids: Vec<u64> = (0..5_000).map(|i| i * 7919 + 3).collect();
        let seats = Seats::new(&eligible(&ids));
        assert_eq!(seats.len(), ids.len());
        for (i, &m) in ids.iter().enumerate() {
            assert_eq!(seats.find(MemberId::new(m)), Some(i as u32));
            assert_eq!(
                seats.get(MemberId::new(m)).unwrap().member,
                MemberId::new(m)
            );
        }
        for m in [0, 1, 2, 4, u64::MAX, 7919 * 5_000 + 3] {
            assert!(!seats.contains(MemberId::new(m)), "{m}");
        }
    }

    #[test]
    fn a_seat_found_is_the_seat_written() {
        let mut seats = Seats::new(&eligible(&[10, 20, 30]));
        for m in [30, 10, 20] {
            let seat = seats.find(MemberId::new(m)).unwrap();
            assert_eq!(seats.at_mut(seat).unwrap().member, MemberId::new(m));
        }
        assert!(seats.find(MemberId::new(40)).is_none());
        assert!(seats.at_mut(3).is_none());
    }

    fn is_direct(seats: &Seats) -> bool {
        matches!(seats.index, Index::Direct { .. })
    }

    #[test]
    fn close_ids_are_indexed_directly_and_every_member_finds_their_seat() {
        // Every third id left out: the span is 1.5 times the count.
        let ids: Vec<u64> = (1_000..16_000).filter(|i| i % 3 != 0).rev().collect();
        let seats = Seats::new(&eligible(&ids));
        assert!(is_direct(&seats));
        for (i, &m) in ids.iter().enumerate() {
            assert_eq!(seats.find(MemberId::new(m)), Some(i as u32), "{m}");
        }
        for m in [0, 999, 1_002, 15_999, 16_000, u64::MAX] {
            assert!(!seats.contains(MemberId::new(m)), "{m}");
            assert!(seats.get(MemberId::new(m)).is_none(), "{m}");
        }
    }

    #[test]
    fn spread_out_ids_are_hashed_and_the_shapes_agree() {
        let spread = Seats::new(&eligible(&[10, 20, 30]));
        assert!(!is_direct(&spread));
        assert!(is_direct(&Seats::new(&eligible(&[10, 11, 13]))));
        assert!(!is_direct(&Seats::new(&eligible(&[0, u64::MAX]))));
        let ends = Seats::new(&eligible(&[u64::MAX - 1, u64::MAX]));
        assert!(is_direct(&ends));
        assert_eq!(ends.find(MemberId::new(u64::MAX)), Some(1));
        assert_eq!(ends.find(MemberId::new(0)), None);
        let ids = [7, 3, 9, 4];
        let direct = Seats::new(&eligible(&ids));
        let hashed = Seats {
            index: Index::hashed(&direct.seats),
            seats: direct.seats.clone(),
        };
        assert!(is_direct(&direct));
        for m in 0..12 {
            assert_eq!(
                direct.find(MemberId::new(m)),
                hashed.find(MemberId::new(m)),
                "{m}"
            );
        }
    }

    #[test]
    fn an_empty_round_has_no_seats_and_lookups_end() {
        let seats = Seats::new(&[]);
        assert_eq!(seats.len(), 0);
        assert!(!seats.contains(MemberId::new(1)));
    }

    #[test]
    fn a_repeated_member_keeps_the_later_seat_as_a_map_would() {
        let seats = Seats::new(&eligible(&[4, 5, 4]));
        assert!(is_direct(&seats));
        assert_eq!(seats.find(MemberId::new(4)), Some(2));
        assert_eq!(seats.find(MemberId::new(5)), Some(1));
        let seats = Seats::new(&eligible(&[40, 500, 40]));
        assert!(!is_direct(&seats));
        assert_eq!(seats.find(MemberId::new(40)), Some(2));
    }

    #[test]
    fn tables_built_apart_are_equal_when_their_seats_are() {
        let a = Seats::new(&eligible(&[1, 2, 3]));
        let mut b = Seats::new(&eligible(&[1, 2, 3]));
        assert_eq!(a, b);
        b.at_mut(0).unwrap().lived_experience = true;
        assert_ne!(a, b);
    }
}
