//! [`Observed`]: what a rule saw in a field, in words, kept inline when it is short.

use std::fmt::{self, Write as _};
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest text kept inline: a count, a share, a date and time, a few member ids.
const INLINE: usize = 30;

/// What an [`Observation`](super::Observation) held, in words: a string, kept inline when it
/// is at most 30 bytes (a count, a share, a timestamp, a short list), so the evidence of a
/// check makes no allocation per observation. Reads as a `&str` (it derefs to one) and
/// displays as one.
///
/// JSON: a string.
///
/// # Example
///
/// ```
/// use coproduction::values::Observed;
///
/// let observed = Observed::from(format_args!("{} of {}", 3, 4));
/// assert_eq!(observed, "3 of 4");
/// assert_eq!(serde_json::to_string(&observed)?, r#""3 of 4""#);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Clone)]
pub struct Observed(Repr);

#[derive(Clone)]
enum Repr {
    /// The text's first `len` bytes, whole UTF-8 pieces only.
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Heap(Box<str>),
}

impl Observed {
    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only whole `&str` pieces are ever copied in, so the bytes are UTF-8; the
            // fallback is never taken.
            Repr::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or_default(),
            Repr::Heap(text) => text,
        }
    }
}

/// Writes pieces inline until one does not fit, then moves to the heap.
impl fmt::Write for Observed {
    fn write_str(&mut self, piece: &str) -> fmt::Result {
        match &mut self.0 {
            Repr::Inline { len, bytes } => {
                let at = usize::from(*len);
                match bytes.get_mut(at..at + piece.len()) {
                    Some(room) => {
                        room.copy_from_slice(piece.as_bytes());
                        *len += piece.len() as u8;
                    }
                    None => {
                        let mut text = String::with_capacity(at + piece.len());
                        text.push_str(self.as_str());
                        text.push_str(piece);
                        self.0 = Repr::Heap(text.into_boxed_str());
                    }
                }
            }
            Repr::Heap(text) => {
                let mut grown = String::from(std::mem::take(text));
                grown.push_str(piece);
                *text = grown.into_boxed_str();
            }
        }
        Ok(())
    }
}

impl Default for Observed {
    fn default() -> Self {
        Self(Repr::Inline {
            len: 0,
            bytes: [0; INLINE],
        })
    }
}

impl From<fmt::Arguments<'_>> for Observed {
    fn from(args: fmt::Arguments<'_>) -> Self {
        let mut observed = Self::default();
        // Writing to an `Observed` never fails; a `Display` that fails leaves what it wrote.
        let _ = observed.write_fmt(args);
        observed
    }
}

/// A count, written digit by digit: most evidence is a count, and this skips the
/// formatting machinery `format_args!` goes through.
impl From<usize> for Observed {
    fn from(n: usize) -> Self {
        // The digits are gathered in a register, most significant in the lowest byte, and
        // written out at once: written a byte at a time, they would be read back in one
        // piece before the bytes had landed (a stall on every count).
        let Ok(mut rest @ 0..10_000_000_000_000_000) = u64::try_from(n) else {
            return Self::from(format_args!("{n}"));
        };
        let mut digits: u128 = 0;
        let mut len = 0;
        loop {
            digits = (digits << 8) | u128::from(b'0' + (rest % 10) as u8);
            len += 1;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let mut bytes = [0; INLINE];
        if let Some(head) = bytes.get_mut(..16) {
            head.copy_from_slice(&digits.to_le_bytes());
        }
        Self(Repr::Inline { len, bytes })
    }
}

impl From<&str> for Observed {
    fn from(text: &str) -> Self {
        Self::from(format_args!("{text}"))
    }
}

impl From<String> for Observed {
    fn from(text: String) -> Self {
        if text.len() <= INLINE {
            Self::from(text.as_str())
        } else {
            Self(Repr::Heap(text.into_boxed_str()))
        }
    }
}

impl From<Observed> for String {
    fn from(observed: Observed) -> Self {
        match observed.0 {
            Repr::Heap(text) => text.into_string(),
            Repr::Inline { .. } => observed.as_str().to_owned(),
        }
    }
}

impl Deref for Observed {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Observed {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Observed {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Observed {}

impl std::hash::Hash for Observed {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

crate::slug::str_eq!(Observed);

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Observed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Observed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_stays_inline_and_long_text_moves_whole() {
        let short = Observed::from(format_args!("{}", "2021-04-19T10:00:00Z"));
        assert!(matches!(short.0, Repr::Inline { .. }));
        assert_eq!(short, "2021-04-19T10:00:00Z");
        let pieces = ["é", "m1, m2, m3, m4, m5, m6", "ünd ", "m7, m8, m9"];
        let long = Observed::from(format_args!(
            "{}{}{}{}",
            pieces[0], pieces[1], pieces[2], pieces[3]
        ));
        assert!(matches!(long.0, Repr::Heap(_)));
        assert_eq!(long.as_str(), pieces.concat());
        let exact = "x".repeat(INLINE);
        assert!(matches!(
            Observed::from(exact.as_str()).0,
            Repr::Inline { .. }
        ));
        assert!(matches!(
            Observed::from(exact.clone() + "y").0,
            Repr::Heap(_)
        ));
        assert_eq!(String::from(Observed::from(exact.clone())), exact);
    }

    #[test]
    fn a_count_reads_as_its_digits() {
        for n in [0, 7, 10, 200, 1_000_000, 9_999_999_999_999_999, usize::MAX] {
            let observed = Observed::from(n);
            assert!(matches!(observed.0, Repr::Inline { .. }));
            assert_eq!(observed, n.to_string().as_str());
        }
    }

    #[test]
    fn it_reads_and_writes_as_a_string() {
        for text in ["", "3", "not recorded", &"long ".repeat(20)] {
            let observed = Observed::from(text);
            let json = serde_json::to_string(&observed).unwrap();
            assert_eq!(json, serde_json::to_string(text).unwrap());
            assert_eq!(serde_json::from_str::<Observed>(&json).unwrap(), observed);
            assert_eq!(format!("{observed:?}"), format!("{text:?}"));
            assert_eq!(observed.to_string(), text);
        }
    }
}
