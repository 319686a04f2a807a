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
//! # Ok::<(), Box<dyn std::error::Error>>(())
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
    let computed = Hash::from_bytes(*hasher.finalize().as_bytes());
    if computed != stored {
        return Err(CorruptionReason::HashMismatch { stored, computed });
    }
    let envelope = match canonical(rest, stored, known) {
        Some(envelope) => envelope,
        None => {
            let envelope: Envelope<E> =
                serde_json::from_str(line).map_err(|e| CorruptionReason::Malformed {
                    message: e.to_string(),
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
    let slug = c.plain_str()?;
    let stream = match known(slug) {
        Some(stream) => stream,
        None => StreamId::new(slug).ok()?,
    };
    c.tag(",\"seq\":")?;
    let seq = c.uint()?;
    c.tag(",\"time\":")?;
    let time = timestamp(c.plain_str()?)?;
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
    let prev = Hash::decode(c.plain_str()?.as_bytes())?;
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

    /// A JSON string with no escape or control character: its text is its value.
    fn plain_str(&mut self) -> Option<&'a str> {
        let body = self.0.strip_prefix('"')?;
        let end = body
            .bytes()
            .position(|b| b == b'"' || b == b'\\' || b < 0x20)?;
        if body.as_bytes().get(end) != Some(&b'"') {
            return None;
        }
        self.0 = body.get(end + 1..)?;
        body.get(..end)
    }
}

/// Reads a time as [`Timestamp`]'s parser does (the parser `serde` uses for it).
fn timestamp(text: &str) -> Option<Timestamp> {
    match utc_seconds(text.as_bytes()) {
        Some(time) => Some(time),
        None => text.parse().ok(),
    }
}

/// The canonical form `jiff` writes, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, read directly: a
/// general RFC 3339 parse costs more than hashing a line. Anything else, including a leap
/// second or a date that does not exist, is `None` and left to `jiff`.
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
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if year > 9998 || day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut nanos = 0;
    for i in 0..9 {
        nanos = nanos * 10 + fraction.get(i).map_or(Some(0), |&b| digit(b))?;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    Timestamp::new(seconds, i32::try_from(nanos).ok()?).ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
