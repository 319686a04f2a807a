//! Reading one stored line: verify its hash, then parse it, through a fast reader for the
//! canonical layout with `serde_json` as the fallback for everything else.
//!
//! Every line this crate writes has one layout: the fields in declaration order, compact, no
//! escapes in the stream id or time (see [`Envelope`]). Replaying a journal spends most of
//! its time parsing, so the frame of a canonical line (every field but `event`) is read by
//! [`canonical`], which accepts only that exact layout; the event is parsed by `serde_json`
//! on its own. Anything else (whitespace, another order, an escape, a number `serde_json`
//! would read differently, a slug or a time that does not check) makes [`canonical`] give
//! up, and the line is parsed by `serde_json` as a whole, which also gives the error message.
//!
//! The rule that keeps the two paths equal: [`canonical`] accepts a subset of what
//! `serde_json` accepts and yields the same value for it. The unit tests below check it on
//! written lines and on every single-byte change of one.
//!
//! ```
//! use coproduction::community::MemberId;
//! use coproduction::journal::{Envelope, Journal, MemoryJournal, NewEvent, StreamId};
//!
//! let journal = MemoryJournal::<u32>::new();
//! let stream = StreamId::new("tally")?;
//! let time = "2025-03-01T10:00:00.25Z".parse()?;
//! let written = journal.append(&stream, 0, vec![NewEvent::new(MemberId::new(1), time, 7)])?;
//! let line = written[0].to_line()?;
//! assert_eq!(Envelope::<u32>::from_line(&line).as_ref(), Ok(&written[0]));
//! # Ok::<(), coproduction::Error>(())
//! ```

use jiff::Timestamp;
use serde::de::DeserializeOwned;

use super::envelope::PREFIX;
use super::{CorruptionReason, Envelope, Hash, SCHEMA_VERSION, StreamId};
use crate::community::MemberId;

/// Reads one stored line (without its newline): checks its own hash, parses it and checks
/// its schema version. `known` returns the stream id already held for a slug, so that a
/// replay shares one id per stream instead of allocating one per line.
pub(crate) fn read_line<E: DeserializeOwned>(
    line: &str,
    known: impl Fn(&str) -> Option<StreamId>,
) -> Result<Envelope<E>, CorruptionReason> {
    let malformed = |message: &str| CorruptionReason::Malformed {
        message: message.to_owned(),
    };
    let after = line
        .strip_prefix(PREFIX)
        .ok_or_else(|| malformed("it does not start with the `hash` field"))?;
    let hex = after
        .get(..64)
        .ok_or_else(|| malformed("its hash is cut short"))?;
    let stored = Hash::decode(hex.as_bytes())
        .ok_or_else(|| malformed("its hash is not 64 lowercase hex digits"))?;
    let rest = after
        .get(64..)
        .and_then(|r| r.strip_prefix("\","))
        .ok_or_else(|| malformed("its hash is not followed by `\",`"))?;
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"{");
    hasher.update(rest.as_bytes());
    let computed = Hash::of_hasher(&hasher);
    if computed != stored {
        return Err(CorruptionReason::HashMismatch { stored, computed });
    }
    let envelope = match canonical(rest, stored, known) {
        Some(envelope) => envelope,
        None => {
            let envelope: Envelope<E> =
                serde_json::from_str(line).map_err(|e| CorruptionReason::Malformed {
                    // A stored line may hold long text; the message quotes it in short.
                    message: crate::limits::json_message(&e),
                })?;
            if envelope.hash != stored {
                return Err(malformed("its `hash` field was read twice"));
            }
            envelope
        }
    };
    if envelope.schema != SCHEMA_VERSION {
        return Err(CorruptionReason::UnsupportedSchema {
            found: envelope.schema,
        });
    }
    Ok(envelope)
}

/// Reads the body of a canonical line (what follows `{"hash":"<hex>",`), or `None` when it
/// is not exactly canonical or does not parse, so that `serde_json` decides.
///
/// Equal to `serde_json` on what it accepts: numbers are digits with no leading zero that fit
/// (`serde_json` reads `-0`, `1.0` or an overflowing number differently or not at all);
/// strings hold no escape or control character, so their text is their value; the stream id
/// passes [`StreamId::new`] and the time [`Timestamp`]'s own parser (or the canonical reader
/// below, which agrees with it); the event is parsed by `serde_json` from the text between
/// `"event":` and the closing brace, and a well-formed event followed by anything but that
/// brace fails to parse there. One difference: parsed alone the event may nest one level
/// deeper than `serde_json`'s limit of 128 inside an envelope; such a line is accepted
/// rather than reported as corrupt (its hash has been verified already).
fn canonical<E: DeserializeOwned>(
    rest: &str,
    hash: Hash,
    known: impl Fn(&str) -> Option<StreamId>,
) -> Option<Envelope<E>> {
    let mut c = Cursor(rest);
    c.tag("\"position\":")?;
    let position = c.uint()?;
    c.tag(",\"stream\":")?;
    // A slug has no `\` or control character: a known one was checked, a new one is.
    let slug = c.raw_str()?;
    let stream = match known(slug) {
        Some(stream) => stream,
        None => StreamId::new(slug).ok()?,
    };
    c.tag(",\"seq\":")?;
    let seq = c.uint()?;
    c.tag(",\"time\":")?;
    // A time in any other form than jiff's own is left, with the line, to `serde_json`.
    let time = utc_seconds(c.raw_str()?.as_bytes())?;
    c.tag(",\"actor\":")?;
    let actor = MemberId::new(c.uint()?);
    c.tag(",\"schema\":")?;
    let schema = u32::try_from(c.uint()?).ok()?;
    c.tag(",\"last_in_batch\":")?;
    let last_in_batch = if c.tag("true").is_some() {
        true
    } else {
        c.tag("false")?;
        false
    };
    c.tag(",\"prev\":")?;
    // Hex digits only, or `None`.
    let prev = Hash::decode(c.raw_str()?.as_bytes())?;
    c.tag(",\"event\":")?;
    let event = serde_json::from_str(c.0.strip_suffix('}')?).ok()?;
    Some(Envelope {
        hash,
        position,
        stream,
        seq,
        time,
        actor,
        schema,
        last_in_batch,
        prev,
        event,
    })
}

/// The unread rest of a line.
struct Cursor<'a>(&'a str);

impl<'a> Cursor<'a> {
    fn tag(&mut self, tag: &str) -> Option<()> {
        self.0 = self.0.strip_prefix(tag)?;
        Some(())
    }

    /// A JSON unsigned integer as `serde_json` reads it into a `u64`: `0`, or digits not
    /// starting with `0`, that fit.
    fn uint(&mut self) -> Option<u64> {
        let bytes = self.0.as_bytes();
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        let text = bytes.get(..digits)?;
        if digits == 0 || (digits > 1 && text.first() == Some(&b'0')) {
            return None;
        }
        let mut n: u64 = 0;
        for &d in text {
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
        }
        self.0 = self.0.get(digits..)?;
        Some(n)
    }

    /// The text between a `"` and the next `"`. It is the value of the JSON string only if
    /// it holds no escape or control character: the callers check their text strictly
    /// enough to rule those out.
    fn raw_str(&mut self) -> Option<&'a str> {
        let body = self.0.strip_prefix('"')?;
        let end = body.find('"')?;
        self.0 = body.get(end + 1..)?;
        body.get(..end)
    }
}

/// The canonical form `jiff` writes, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, read directly:
/// `jiff`'s general RFC 3339 parser took about a tenth of a replay, this reader a tenth of
/// that. Anything else, including a leap second, a date that does not exist or a time past
/// the end of `Timestamp`'s range, is `None`: the line is then read by `serde_json`, which
/// parses its time with `jiff`.
fn utc_seconds(text: &[u8]) -> Option<Timestamp> {
    let (date_time, rest) = text.split_at_checked(19)?;
    let fraction = match rest {
        [b'Z'] => &[][..],
        [b'.', fraction @ .., b'Z'] if (1..=9).contains(&fraction.len()) => fraction,
        _ => return None,
    };
    let [
        y0,
        y1,
        y2,
        y3,
        b'-',
        m0,
        m1,
        b'-',
        d0,
        d1,
        b'T',
        h0,
        h1,
        b':',
        i0,
        i1,
        b':',
        s0,
        s1,
    ] = *date_time
    else {
        return None;
    };
    let digit = |b: u8| b.is_ascii_digit().then(|| i64::from(b - b'0'));
    let two = |a, b| Some(digit(a)? * 10 + digit(b)?);
    let year = two(y0, y1)? * 100 + two(y2, y3)?;
    let (month, day) = (two(m0, m1)?, two(d0, d1)?);
    let (hour, minute, second) = (two(h0, h1)?, two(i0, i1)?, two(s0, s1)?);
    let mut nanos = 0;
    for i in 0..9 {
        nanos = nanos * 10 + fraction.get(i).map_or(Some(0), |&b| digit(b))?;
    }
    // jiff checks the calendar (month lengths, leap years) and the range of `Timestamp`.
    let date_time = jiff::civil::DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        i32::try_from(nanos).ok()?,
    )
    .ok()?;
    jiff::tz::Offset::UTC.to_timestamp(date_time).ok()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;

    fn envelope(time: Timestamp, event: Value) -> Envelope<Value> {
        let mut envelope = Envelope {
            hash: Hash::GENESIS,
            position: 12,
            stream: StreamId::new("consent-round:7").unwrap(),
            seq: 3,
            time,
            actor: MemberId::new(40),
            schema: SCHEMA_VERSION,
            last_in_batch: false,
            prev: Hash::of(b"the envelope before"),
            event,
        };
        envelope.hash = envelope.compute_hash().unwrap();
        envelope
    }

    /// The body of a stored line: what [`canonical`] reads.
    fn body(line: &str) -> &str {
        &line[PREFIX.len() + 66..]
    }

    /// What [`canonical`] makes of a line's body, which must be what `serde_json` makes of
    /// the whole line whenever the fast reader accepts it.
    fn agrees(line: &str) -> Option<Envelope<Value>> {
        let hash = Hash::decode(line.get(PREFIX.len()..PREFIX.len() + 64)?.as_bytes())?;
        let fast = canonical::<Value>(line.get(PREFIX.len() + 66..)?, hash, |_| None);
        if let Some(fast) = &fast {
            let slow = serde_json::from_str::<Envelope<Value>>(line);
            assert_eq!(slow.as_ref().ok(), Some(fast), "{line}");
        }
        fast
    }

    fn events() -> Vec<Value> {
        vec![
            serde_json::json!({"type": "noted", "text": "we changed \"the\" agenda\\ after\t1 – ok"}),
            serde_json::json!({"type": "counted", "n": 0, "share": [1, -2, 3.5e10, null, true]}),
            serde_json::json!("a bare string"),
            serde_json::json!(18_446_744_073_709_551_615u64),
            serde_json::json!({}),
        ]
    }

    #[test]
    fn written_lines_are_read_by_the_fast_reader_as_serde_json_reads_them() {
        for time in [
            "2025-01-01T00:00:00Z",
            "1999-12-31T23:59:59.5Z",
            "2024-02-29T12:00:00.000000001Z",
        ] {
            for event in events() {
                let envelope = envelope(time.parse().unwrap(), event);
                let line = envelope.to_line().unwrap();
                assert_eq!(agrees(&line), Some(envelope.clone()), "{line}");
                assert_eq!(read_line::<Value>(&line, |_| None), Ok(envelope));
            }
        }
    }

    #[test]
    fn every_single_byte_change_is_read_alike_or_left_to_serde_json() {
        let mut edits = 0;
        for event in events() {
            let line = envelope("2025-06-30T08:15:00.25Z".parse().unwrap(), event)
                .to_line()
                .unwrap();
            let bytes = line.as_bytes();
            for i in PREFIX.len() + 66..bytes.len() {
                let mut variants: Vec<Vec<u8>> = Vec::new();
                for b in [
                    b' ', b'\\', b'"', b'0', b'9', b'-', b'.', b'e', b'}', b',', b'Z', b'z',
                ] {
                    let mut changed = bytes.to_vec();
                    changed[i] = b;
                    variants.push(changed);
                    let mut inserted = bytes.to_vec();
                    inserted.insert(i, b);
                    variants.push(inserted);
                }
                for flip in [0x01, 0x02, 0x04, 0x08, 0x10, 0x20] {
                    let mut changed = bytes.to_vec();
                    changed[i] ^= flip;
                    variants.push(changed);
                }
                let mut deleted = bytes.to_vec();
                deleted.remove(i);
                variants.push(deleted);
                for variant in variants {
                    if let Ok(text) = std::str::from_utf8(&variant) {
                        edits += usize::from(agrees(text).is_some());
                    }
                }
            }
        }
        // Some changes still give a canonical envelope (another digit, say), and those were
        // compared with serde_json above.
        assert!(edits > 100, "{edits}");
    }

    #[test]
    fn a_sound_line_in_another_layout_is_read_by_serde_json() {
        let envelope = envelope("2025-01-01T00:00:00Z".parse().unwrap(), events().remove(0));
        let line = envelope.to_line().unwrap();
        let spaced = body(&line).replacen("\"seq\":3", "\"seq\": 3", 1);
        let hash = Hash::of(format!("{{{spaced}").as_bytes());
        let respaced = format!("{PREFIX}{hash}\",{spaced}");
        assert_eq!(agrees(&respaced), None);
        let read = read_line::<Value>(&respaced, |_| None).unwrap();
        assert_eq!((read.hash, read.seq, read.event), (hash, 3, envelope.event));
    }

    #[test]
    fn numbers_that_serde_json_reads_otherwise_are_left_to_it() {
        let line = envelope("2025-01-01T00:00:00Z".parse().unwrap(), Value::Null)
            .to_line()
            .unwrap();
        for (from, to) in [
            ("\"seq\":3", "\"seq\":03"),
            ("\"seq\":3", "\"seq\":-0"),
            ("\"seq\":3", "\"seq\":3.0"),
            ("\"seq\":3", "\"seq\":18446744073709551616"),
            ("\"schema\":1", "\"schema\":4294967296"),
            ("\"actor\":40", "\"actor\":\"40\""),
            ("consent-round:7", "consent-round:\\u0037"),
        ] {
            let changed = line.replacen(from, to, 1);
            assert_ne!(changed, line);
            assert_eq!(agrees(&changed), None, "{changed}");
        }
        let big = line.replacen("\"seq\":3", "\"seq\":18446744073709551615", 1);
        assert_eq!(agrees(&big).map(|e| e.seq), Some(u64::MAX));
    }

    #[test]
    fn odd_times_are_left_to_jiff() {
        for text in [
            "2016-12-31T23:59:60Z",
            "2025-01-01t00:00:00Z",
            "2025-01-01T00:00:00z",
            "2025-01-01T00:00:00+00:00",
            "2025-01-01T00:00:00.Z",
            "2025-01-01T00:00:00.0000000001Z",
            "2025-01-01T00:00:00,5Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2025-13-01T00:00:00Z",
            "2025-04-31T00:00:00Z",
            "2025-01-01T24:00:00Z",
        ] {
            assert_eq!(utc_seconds(text.as_bytes()), None, "{text}");
        }
    }

    proptest! {
        #[test]
        fn the_canonical_time_reader_agrees_with_jiff(
            seconds in -62_135_596_800i64..253_370_764_800,
            nanos in prop_oneof![Just(0), 0..1_000_000_000i32, (0..1000i32).prop_map(|n| n * 1_000_000)],
        ) {
            let time = Timestamp::new(seconds, nanos).unwrap();
            let text = time.to_string();
            prop_assert_eq!(utc_seconds(text.as_bytes()), Some(time));
        }

        #[test]
        fn a_time_read_directly_is_the_time_jiff_reads(
            date in (0u32..10_000, 0u32..14, 0u32..33),
            clock in (0u32..25, 0u32..61, 0u32..62),
            fraction in proptest::collection::vec(0u8..10, 0..11),
        ) {
            let ((year, month, day), (hour, minute, second)) = (date, clock);
            let mut text =
                format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
            if !fraction.is_empty() {
                text.push('.');
                text.extend(fraction.iter().map(|&d| char::from(b'0' + d)));
            }
            text.push('Z');
            let direct = utc_seconds(text.as_bytes());
            if direct.is_some() {
                prop_assert_eq!(text.parse::<Timestamp>().ok(), direct, "{}", text);
            }
        }
    }
}
