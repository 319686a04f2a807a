//! The rules of [`Journal::append_batch`], checked the same way on every journal: each
//! journal's tests call these on a fresh, empty journal of its kind.

use serde::{Deserialize, Serialize, Serializer};

use super::{BatchPart, Envelope, Journal, JournalError, NewEvent, StreamId, verify_chain};
use crate::community::MemberId;

/// The events of these checks: a number, or one that cannot be serialised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum Ev {
    N(u32),
    Unencodable(#[serde(serialize_with = "refuse")] u32),
}

/// Declares, in a journal's test module, one test of each rule here. `$run` runs a rule's
/// check on a fresh journal of its kind, given the test's own tag (a PostgreSQL journal
/// names its schema by it) and the check.
macro_rules! batch_rules {
    ($run:expr) => {
        $crate::journal::batch_tests::batch_rules!(@tests $run,
            a_batch_over_several_streams_is_one_chained_batch:
                "unit_two_streams", two_streams_in_one_batch;
            a_conflict_in_any_part_of_a_batch_writes_nothing:
                "unit_conflict", a_conflict_in_any_part_writes_nothing;
            a_batch_naming_a_stream_twice_is_refused:
                "unit_named_twice", a_stream_named_twice_is_refused;
            an_empty_batch_only_checks:
                "unit_empty_batch", an_empty_batch_only_checks;
            borrowed_reads_lend_what_read_all_copies:
                "unit_lent", lent_envelopes_are_those_read_all_copies;
            reads_after_a_position_are_the_tail_of_read_all:
                "unit_read_after", reads_after_a_position_are_the_tail;
            a_page_is_the_start_of_the_tail:
                "unit_read_page", a_page_is_the_start_of_the_tail;
            a_batch_read_at_a_position_another_writer_passed_writes_nothing:
                "unit_moved", a_batch_at_a_passed_position_writes_nothing;
        );
    };
    (@tests $run:expr, $($test:ident: $tag:literal, $check:ident;)+) => {$(
        #[test]
        fn $test() {
            let run = $run;
            run($tag, $crate::journal::batch_tests::$check);
        }
    )+};
}
pub(crate) use batch_rules;

/// An event numbered `n`, for a journal of numbers.
pub(crate) fn numbered(n: u32) -> NewEvent<u32> {
    NewEvent::new(MemberId::new(1), "2025-01-01T00:00:00Z".parse().unwrap(), n)
}

fn refuse<S: Serializer>(_: &u32, _: S) -> Result<S::Ok, S::Error> {
    Err(serde::ser::Error::custom("this event cannot be encoded"))
}

fn n(n: u32) -> NewEvent<Ev> {
    NewEvent::new(
        MemberId::new(1),
        "2025-05-06T18:00:00Z".parse().unwrap(),
        Ev::N(n),
    )
}

fn part(stream: &StreamId, expected: u64, events: &[u32]) -> BatchPart<Ev> {
    BatchPart::new(
        stream.clone(),
        expected,
        events.iter().map(|&e| n(e)).collect(),
    )
}

fn streams() -> (StreamId, StreamId, StreamId) {
    (
        StreamId::new("consent-round:1").unwrap(),
        StreamId::new("proposal:2").unwrap(),
        StreamId::new("funding:3").unwrap(),
    )
}

fn events<J: Journal<Event = Ev>>(j: &J, stream: &StreamId) -> Vec<u32> {
    j.read_stream(stream)
        .unwrap()
        .into_iter()
        .map(|e| match e.event {
            Ev::N(n) => n,
            Ev::Unencodable(_) => panic!("an unencodable event was written"),
        })
        .collect()
}

/// `(position, stream, seq, last_in_batch)` of each envelope.
fn places(envelopes: &[Envelope<Ev>]) -> Vec<(u64, String, u64, bool)> {
    envelopes
        .iter()
        .map(|e| {
            (
                e.position,
                e.stream.as_str().to_owned(),
                e.seq,
                e.last_in_batch,
            )
        })
        .collect()
}

/// Writes a round of one event and a proposal of two: the state the other checks start from.
fn setup<J: Journal<Event = Ev>>(j: &J) -> (StreamId, StreamId, StreamId) {
    let (round, proposal, funding) = streams();
    j.append(&round, 0, vec![n(1)]).unwrap();
    j.append(&proposal, 0, vec![n(2), n(3)]).unwrap();
    (round, proposal, funding)
}

/// A batch over three streams (two with events already, one new) is sealed in the order of
/// its parts as one batch; each stream reads its own part; the chain verifies.
pub(crate) fn two_streams_in_one_batch<J: Journal<Event = Ev>>(j: &J) {
    let (round, proposal, funding) = setup(j);
    let head = j.read_all().unwrap()[2].hash;
    let written = j
        .append_batch(vec![
            part(&round, 1, &[4]),
            part(&proposal, 2, &[5, 6]),
            part(&funding, 0, &[7]),
        ])
        .unwrap();
    let s = |id: &StreamId| id.as_str().to_owned();
    assert_eq!(
        places(&written),
        [
            (4, s(&round), 2, false),
            (5, s(&proposal), 3, false),
            (6, s(&proposal), 4, false),
            (7, s(&funding), 1, true),
        ]
    );
    assert_eq!(written[0].prev, head);
    for pair in written.windows(2) {
        assert_eq!(pair[1].prev, pair[0].hash);
    }
    let all = j.read_all().unwrap();
    assert_eq!(all[3..], written[..]);
    assert_eq!(verify_chain(&all), Ok(()));
    assert_eq!(events(j, &round), [1, 4]);
    assert_eq!(events(j, &proposal), [2, 3, 5, 6]);
    assert_eq!(events(j, &funding), [7]);
    let versions: Vec<u64> = [&round, &proposal, &funding]
        .map(|s| j.version(s).unwrap())
        .into();
    assert_eq!(versions, [2, 4, 1]);

    // The order of the parts is the order written; an empty part writes nothing but is
    // checked, and does not take the batch's closing flag.
    let written = j
        .append_batch(vec![
            part(&funding, 1, &[8]),
            part(&round, 2, &[9]),
            part(&proposal, 4, &[]),
        ])
        .unwrap();
    assert_eq!(
        places(&written),
        [(8, s(&funding), 2, false), (9, s(&round), 3, true)]
    );
    let all = j.read_all().unwrap();
    assert_eq!(all.len(), 9);
    assert_eq!(verify_chain(&all), Ok(()));
    assert_eq!(events(j, &proposal), [2, 3, 5, 6]);
}

/// A stale `expected` in any part, or an event that cannot be encoded in any part, refuses
/// the whole batch: nothing is written to any stream, and the next batch follows on as if
/// the refused ones had never been tried.
pub(crate) fn a_conflict_in_any_part_writes_nothing<J: Journal<Event = Ev>>(j: &J) {
    let (round, proposal, funding) = setup(j);
    let before = j.read_all().unwrap();

    let stale_second = j.append_batch(vec![part(&round, 1, &[4]), part(&proposal, 1, &[5])]);
    assert_eq!(
        stale_second.unwrap_err(),
        JournalError::Conflict {
            stream: proposal.clone(),
            expected: 1,
            actual: 2
        }
    );
    // Both stale: the first is named.
    let both = j.append_batch(vec![part(&round, 0, &[4]), part(&proposal, 1, &[5])]);
    assert_eq!(
        both.unwrap_err(),
        JournalError::Conflict {
            stream: round.clone(),
            expected: 0,
            actual: 1
        }
    );
    // A new stream expected to have events; a stale part with no events of its own.
    let fresh = j.append_batch(vec![part(&round, 1, &[4]), part(&funding, 3, &[5])]);
    assert!(
        matches!(&fresh, Err(JournalError::Conflict { stream, expected: 3, actual: 0 }) if *stream == funding),
        "{fresh:?}"
    );
    let empty_stale = j.append_batch(vec![part(&round, 1, &[4]), part(&proposal, 3, &[])]);
    assert!(
        matches!(&empty_stale, Err(JournalError::Conflict { stream, expected: 3, actual: 2 }) if *stream == proposal),
        "{empty_stale:?}"
    );
    // An event of the last part cannot be encoded: the parts before it are not written.
    let mut unencodable = part(&proposal, 2, &[5]);
    unencodable.events.push(NewEvent::new(
        MemberId::new(1),
        "2025-05-06T18:00:00Z".parse().unwrap(),
        Ev::Unencodable(6),
    ));
    let refused = j.append_batch(vec![part(&round, 1, &[4]), unencodable]);
    assert!(
        matches!(&refused, Err(JournalError::Encode { stream, .. }) if *stream == proposal),
        "{refused:?}"
    );

    assert_eq!(j.read_all().unwrap(), before);
    assert_eq!(events(j, &round), [1]);
    assert_eq!(events(j, &proposal), [2, 3]);
    assert_eq!(j.version(&funding).unwrap(), 0);

    let written = j
        .append_batch(vec![part(&round, 1, &[4]), part(&proposal, 2, &[5])])
        .unwrap();
    assert_eq!(
        written.iter().map(|e| e.position).collect::<Vec<_>>(),
        [4, 5]
    );
    assert_eq!(verify_chain(&j.read_all().unwrap()), Ok(()));
}

/// A batch that names a stream in two parts is refused, whatever the parts hold and before
/// any `expected` is checked; nothing is written.
pub(crate) fn a_stream_named_twice_is_refused<J: Journal<Event = Ev>>(j: &J) {
    let (round, proposal, _) = setup(j);
    let before = j.read_all().unwrap();
    let twice = JournalError::DuplicateStream {
        stream: round.clone(),
    };
    for parts in [
        // Both parts right about the stream: the second would continue the first.
        vec![
            part(&round, 1, &[4]),
            part(&proposal, 2, &[5]),
            part(&round, 1, &[6]),
        ],
        // One of them empty.
        vec![part(&round, 1, &[]), part(&round, 1, &[4])],
        // Both stale: the duplicate is refused first.
        vec![part(&round, 7, &[4]), part(&round, 8, &[5])],
        // Nothing to write at all.
        vec![part(&round, 1, &[]), part(&round, 1, &[])],
    ] {
        assert_eq!(j.append_batch(parts), Err(twice.clone()));
    }
    assert!(twice.to_string().contains("`consent-round:1`"), "{twice}");
    assert_eq!(j.read_all().unwrap(), before);
}

/// A batch without parts, or with only empty parts, writes nothing and only checks.
pub(crate) fn an_empty_batch_only_checks<J: Journal<Event = Ev>>(j: &J) {
    let (round, proposal, funding) = setup(j);
    let before = j.read_all().unwrap();
    assert_eq!(j.append_batch(vec![]), Ok(vec![]));
    assert_eq!(
        j.append_batch(vec![
            part(&round, 1, &[]),
            part(&proposal, 2, &[]),
            part(&funding, 0, &[]),
        ]),
        Ok(vec![])
    );
    assert_eq!(
        j.append_batch(vec![part(&round, 1, &[]), part(&funding, 2, &[])]),
        Err(JournalError::Conflict {
            stream: funding.clone(),
            expected: 2,
            actual: 0
        })
    );
    assert_eq!(j.read_all().unwrap(), before);
}

/// Borrowed reads lend exactly the envelopes `read_all` copies out, in the same order.
pub(crate) fn lent_envelopes_are_those_read_all_copies<J: Journal<Event = Ev>>(j: &J) {
    assert_eq!(j.read_all_with(<[_]>::len), Ok(0));
    setup(j);
    let copied = j.read_all().unwrap();
    assert!(!copied.is_empty());
    assert_eq!(j.read_all_with(|lent| lent == &copied[..]), Ok(true));
}

/// A page after each position is the start of the tail, of at most its limit: ending
/// inside a batch too, and nothing after the end or for a limit of nothing.
pub(crate) fn a_page_is_the_start_of_the_tail<J: Journal<Event = Ev>>(j: &J) {
    assert_eq!(j.read_page(0, 3), Ok(vec![]));
    let (round, _, funding) = setup(j);
    j.append_batch(vec![part(&round, 1, &[4, 6]), part(&funding, 0, &[5])])
        .unwrap();
    let all = j.read_all().unwrap();
    assert_eq!(all.len(), 6);
    for position in 0..=7 {
        let start = usize::try_from(position).unwrap().min(all.len());
        for limit in 0..=7 {
            let end = start.saturating_add(limit).min(all.len());
            assert_eq!(
                j.read_page(position, limit).unwrap(),
                all[start..end],
                "after {position}, at most {limit}"
            );
        }
    }
    assert_eq!(j.read_page(u64::MAX, usize::MAX), Ok(vec![]));
    assert_eq!(j.read_page(2, usize::MAX), j.read_after(2));
}

/// What a feed reads after each position is the tail of `read_all` from there: after a
/// position inside a batch too, and nothing after the end.
pub(crate) fn reads_after_a_position_are_the_tail<J: Journal<Event = Ev>>(j: &J) {
    assert_eq!(j.read_after(0), Ok(vec![]));
    let (round, _, funding) = setup(j);
    j.append_batch(vec![part(&round, 1, &[4]), part(&funding, 0, &[5])])
        .unwrap();
    let all = j.read_all().unwrap();
    assert_eq!(all.len(), 5);
    for position in 0..=7 {
        let start = usize::try_from(position).unwrap().min(all.len());
        assert_eq!(
            j.read_after(position).unwrap(),
            all[start..],
            "after {position}"
        );
    }
    assert_eq!(j.read_after(u64::MAX), Ok(vec![]));
}

/// A batch given the journal's last position as its writer read it is written only while
/// the journal is still there: after another append, to any stream, it is refused and
/// nothing is written; at the journal's position, or with none given, it is written.
pub(crate) fn a_batch_at_a_passed_position_writes_nothing<J: Journal<Event = Ev>>(j: &J) {
    let (round, proposal, funding) = setup(j);
    // The writer read the journal at position 2; the proposal's second event came since.
    let stale = j.append_batch_at(Some(2), vec![part(&funding, 0, &[9])]);
    assert_eq!(
        stale,
        Err(JournalError::Moved {
            expected: 2,
            actual: 3
        })
    );
    // Refused before any part is checked, even one that only checks.
    let stale = j.append_batch_at(Some(2), vec![part(&round, 1, &[])]);
    assert!(matches!(stale, Err(JournalError::Moved { .. })));
    assert!(events(j, &funding).is_empty());
    assert_eq!(j.read_all().unwrap().len(), 3);
    let written = j
        .append_batch_at(Some(3), vec![part(&funding, 0, &[9])])
        .unwrap();
    assert_eq!(
        places(&written),
        [(4, funding.as_str().to_owned(), 1, true)]
    );
    j.append_batch_at(None, vec![part(&proposal, 2, &[10])])
        .unwrap();
    assert_eq!(events(j, &proposal), [2, 3, 10]);
}
