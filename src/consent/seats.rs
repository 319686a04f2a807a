//! The seat table of a round: one seat per eligible member, found by member id.
//!
//! Every response costs a lookup in `decide` (is the member eligible?) and one in `evolve`
//! (where does the answer go?), so the lookup is the hot path of a large round. The seats
//! live in a dense vector in snapshot order (counting and closing walk it in order); the
//! index is an open-addressing table of `u32` slots with linear probing, kept at most half
//! full. A slot holds the seat number plus one in its low bits (as many as the round needs)
//! and a tag from the member's hash in the bits left over; it stores no key: a probe whose
//! tag matches reads the seat it points at and compares the member there, which is the line
//! the response is written to anyway. So a lookup touches one slot array of 4 bytes a slot
//! (a quarter of a `HashMap<MemberId, u32>`, with no separate control bytes) and the seat
//! itself; the tag keeps a collision from reading another member's seat (with a million
//! members, 12 bits of tag: one collision in 4096 reads a wrong seat). The hash is
//! foldhash, seeded per table: the keys come from the opening snapshot, not from later
//! input. The eligibility check in `decide` leaves the seat it found as a hint, so the
//! `evolve` that follows records the answer without a second lookup; the hint is checked
//! against the seat's member, so an event replayed on its own still finds its seat.

use std::fmt;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU32, Ordering};

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
pub(super) struct Seats {
    hasher: foldhash::fast::RandomState,
    /// `slots.len() - 1`; the slot count is a power of two.
    mask: usize,
    /// How many low bits of a slot hold the seat number plus one; the rest hold the tag.
    seat_bits: u32,
    /// 0 for an empty slot, else the tag above `seat_bits` and the seat number plus one.
    slots: Vec<u32>,
    seats: Vec<Seat>,
    /// The seat `contains` found last, plus one (0: none): `decide` checks a member's
    /// eligibility and `evolve` then records their answer in the same seat, so `get_mut`
    /// tries this seat first. A hint only: it is checked against the seat's member, and a
    /// stale one (an event replayed without its decision) falls back to the lookup.
    hint: AtomicU32,
}

impl Clone for Seats {
    fn clone(&self) -> Self {
        Self {
            hasher: self.hasher.clone(),
            mask: self.mask,
            seat_bits: self.seat_bits,
            slots: self.slots.clone(),
            seats: self.seats.clone(),
            hint: AtomicU32::new(self.hint.load(Ordering::Relaxed)),
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
        // At most half full, so probes stay short and an empty slot always ends a probe.
        let slot_count = count
            .saturating_mul(2)
            .max(2)
            .checked_next_power_of_two()
            .unwrap_or(usize::MAX / 2 + 1);
        let mut table = Self {
            hasher: foldhash::fast::RandomState::default(),
            mask: slot_count - 1,
            seat_bits: (u64::BITS - (count as u64).leading_zeros()).max(1),
            slots: vec![0; slot_count],
            seats: Vec::with_capacity(count),
            hint: AtomicU32::new(0),
        };
        for (seat, m) in (0u32..).zip(eligible.iter().take(count)) {
            table.seats.push(Seat {
                member: m.member,
                lived_experience: m.lived_experience,
                response: None,
            });
            let (tag, slot) = match table.probe(m.member) {
                Ok((slot, _)) | Err(Some(slot)) => (table.tag(m.member), slot),
                // Unreachable: the table is never more than half full.
                Err(None) => continue,
            };
            if let Some(here) = table.slots.get_mut(slot) {
                *here = tag | (seat + 1);
            }
        }
        table
    }

    /// The member's hash: its low bits pick the first slot, its high bits the tag.
    #[inline]
    fn hash(&self, member: MemberId) -> u64 {
        self.hasher.hash_one(member)
    }

    /// The tag bits of `member`'s slot, in place above the seat bits (none when the seat
    /// number needs all 32).
    #[inline]
    fn tag_of(&self, hash: u64) -> u32 {
        // Truncation keeps the tag's low bits that fit above the seat bits.
        ((hash >> 32) << self.seat_bits) as u32
    }

    fn tag(&self, member: MemberId) -> u32 {
        self.tag_of(self.hash(member))
    }

    /// Where `member` is: `Ok((slot, seat))`, or `Err` with the empty slot that ended the
    /// search (`None` only if the table had no empty slot, which it always has).
    #[inline]
    fn probe(&self, member: MemberId) -> Result<(usize, usize), Option<usize>> {
        let hash = self.hash(member);
        let tag = self.tag_of(hash);
        let seat_mask = u32::MAX >> (u32::BITS - self.seat_bits);
        // Truncating the hash is the point: the low bits pick the slot.
        let start = hash as usize;
        for probe in 0..self.slots.len() {
            let at = start.wrapping_add(probe) & self.mask;
            let here = *self.slots.get(at).ok_or(None)?;
            if here == 0 {
                return Err(Some(at));
            }
            if here & !seat_mask == tag {
                let seat = (here & seat_mask) as usize;
                if seat > 0 && self.seats.get(seat - 1).is_some_and(|s| s.member == member) {
                    return Ok((at, seat - 1));
                }
            }
        }
        Err(None)
    }

    /// The seat number of `member`, if eligible.
    #[inline]
    fn find(&self, member: MemberId) -> Option<usize> {
        self.probe(member).ok().map(|(_, seat)| seat)
    }

    #[inline]
    pub(super) fn contains(&self, member: MemberId) -> bool {
        let Some(seat) = self.find(member) else {
            return false;
        };
        // Fewer than `u32::MAX` seats, so the seat number plus one fits.
        self.hint.store(seat as u32 + 1, Ordering::Relaxed);
        true
    }

    #[inline]
    pub(super) fn get(&self, member: MemberId) -> Option<&Seat> {
        self.seats.get(self.find(member)?)
    }

    #[inline]
    pub(super) fn get_mut(&mut self, member: MemberId) -> Option<&mut Seat> {
        let hinted = (*self.hint.get_mut() as usize)
            .checked_sub(1)
            .filter(|&seat| self.seats.get(seat).is_some_and(|s| s.member == member));
        let seat = match hinted {
            Some(seat) => seat,
            None => self.find(member)?,
        };
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
    fn a_stale_hint_falls_back_to_the_lookup() {
        let mut seats = Seats::new(&eligible(&[10, 20, 30]));
        // As a replay does: no eligibility check before the seat is taken.
        assert_eq!(
            seats.get_mut(MemberId::new(20)).unwrap().member,
            MemberId::new(20)
        );
        // The hint names member 10's seat; member 30's answer must still go to 30.
        assert!(seats.contains(MemberId::new(10)));
        assert_eq!(
            seats.get_mut(MemberId::new(30)).unwrap().member,
            MemberId::new(30)
        );
        assert!(seats.get_mut(MemberId::new(40)).is_none());
        assert!(!seats.contains(MemberId::new(40)));
        assert_eq!(
            seats.get_mut(MemberId::new(10)).unwrap().member,
            MemberId::new(10)
        );
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
