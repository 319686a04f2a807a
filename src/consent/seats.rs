//! The seat table of a round: one seat per eligible member, found by member id.
//!
//! Every response costs a lookup in `decide` (is the member eligible?) and one in `evolve`
//! (where does the answer go?), so the lookup is the hot path of a large round. The seats
//! live in a dense vector in snapshot order (counting and closing walk it in order); the
//! index is an open-addressing table of `u32` seat numbers with linear probing, kept at
//! most half full. It stores no keys: a probe reads the seat it points at and compares the
//! member there, which is the line the response is written to anyway. So a lookup touches
//! one slot array of 4 bytes a slot (a quarter of a `HashMap<MemberId, u32>`, with no
//! separate control bytes) and the seat itself, where a general map touches its control
//! bytes, its bucket, then the seat. The hash is foldhash, seeded per table: the keys come
//! from the opening snapshot, not from later input.

use std::fmt;
use std::hash::BuildHasher;

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
    hasher: foldhash::fast::RandomState,
    /// `slots.len() - 1`; the slot count is a power of two.
    mask: usize,
    /// 0 for an empty slot, else the seat number plus one.
    slots: Vec<u32>,
    seats: Vec<Seat>,
}

impl Seats {
    /// One seat per eligible member, in snapshot order. The configuration is checked before
    /// a round opens (no duplicates, fewer than `u32::MAX` members); an unchecked snapshot
    /// replayed from a journal still gives a table: a repeated member's later seat wins, as
    /// a map insert would, and members past `u32::MAX - 1` get no seat.
    pub(super) fn new(eligible: &[EligibleMember]) -> Self {
        let count = eligible.len().min(u32::MAX as usize - 1);
        // At most half full, so probes stay short and an empty slot always ends a probe.
        let slot_count = count
            .saturating_mul(2)
            .max(2)
            .checked_next_power_of_two()
            .unwrap_or(usize::MAX / 2 + 1);
        let mut table = Self {
            hasher: foldhash::fast::RandomState::default(),
            mask: slot_count - 1,
            slots: vec![0; slot_count],
            seats: Vec::with_capacity(count),
        };
        for (seat, m) in (0u32..).zip(eligible.iter().take(count)) {
            table.seats.push(Seat {
                member: m.member,
                lived_experience: m.lived_experience,
                response: None,
            });
            table.insert(m.member, seat);
        }
        table
    }

    fn insert(&mut self, member: MemberId, seat: u32) {
        let start = self.start(member);
        for probe in 0..self.slots.len() {
            let at = start.wrapping_add(probe) & self.mask;
            let here = self.slots.get(at).copied().unwrap_or(0);
            let taken_by_member = here
                .checked_sub(1)
                .and_then(|s| self.seats.get(s as usize))
                .is_some_and(|s| s.member == member);
            if here == 0 || taken_by_member {
                if let Some(slot) = self.slots.get_mut(at) {
                    *slot = seat + 1;
                }
                return;
            }
        }
    }

    #[inline]
    fn start(&self, member: MemberId) -> usize {
        // Truncating the hash is the point: the low bits pick the slot.
        self.hasher.hash_one(member) as usize & self.mask
    }

    /// The seat number of `member`, if eligible.
    #[inline]
    fn find(&self, member: MemberId) -> Option<usize> {
        let start = self.start(member);
        for probe in 0..self.slots.len() {
            let here = *self.slots.get(start.wrapping_add(probe) & self.mask)?;
            let seat = here.checked_sub(1)? as usize;
            if self.seats.get(seat)?.member == member {
                return Some(seat);
            }
        }
        None
    }

    #[inline]
    pub(super) fn contains(&self, member: MemberId) -> bool {
        self.find(member).is_some()
    }

    #[inline]
    pub(super) fn get(&self, member: MemberId) -> Option<&Seat> {
        self.seats.get(self.find(member)?)
    }

    #[inline]
    pub(super) fn get_mut(&mut self, member: MemberId) -> Option<&mut Seat> {
        let seat = self.find(member)?;
        self.seats.get_mut(seat)
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
            assert_eq!(seats.find(MemberId::new(m)), Some(i));
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
    fn an_empty_round_has_no_seats_and_lookups_end() {
        let seats = Seats::new(&[]);
        assert_eq!(seats.len(), 0);
        assert!(!seats.contains(MemberId::new(1)));
    }

    #[test]
    fn a_repeated_member_keeps_the_later_seat_as_a_map_would() {
        let seats = Seats::new(&eligible(&[4, 5, 4]));
        assert_eq!(seats.find(MemberId::new(4)), Some(2));
        assert_eq!(seats.find(MemberId::new(5)), Some(1));
    }

    #[test]
    fn tables_built_apart_are_equal_when_their_seats_are() {
        let a = Seats::new(&eligible(&[1, 2, 3]));
        let mut b = Seats::new(&eligible(&[1, 2, 3]));
        assert_eq!(a, b);
        b.get_mut(MemberId::new(1)).unwrap().lived_experience = true;
        assert_ne!(a, b);
    }
}
