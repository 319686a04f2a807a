//! The BLAKE3 hash the crate writes: the journal chains its envelopes with it, and the
//! value-check names a charter and a decision's subject by it.
//!
//! ```
//! use coproduction::hash::Hash;
//!
//! let charter = Hash::of(br#"{"values": []}"#);
//! assert_eq!(charter.to_string().parse::<Hash>()?, charter);
//! # Ok::<(), coproduction::Error>(())
//! ```

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Text that is not a hash: not 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid hash `{text}`: a hash is 64 lowercase hex digits")]
pub struct InvalidHash {
    /// The text that was refused (at most 80 characters of it).
    pub text: String,
}

/// A BLAKE3 hash, written as 64 lowercase hex digits.
///
/// # Example
///
/// ```
/// use coproduction::hash::Hash;
/// let h = Hash::of(b"minutes");
/// assert_eq!(h.to_string().len(), 64);
/// assert_eq!(h.to_string().parse::<Hash>()?, h);
/// assert!(h.to_string().to_uppercase().parse::<Hash>().is_err());
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash([u8; 32]);

fn hex_digit(nibble: u8) -> u8 {
    match nibble {
        0..=9 => b'0' + nibble,
        _ => b'a' + (nibble & 0x0f) - 10,
    }
}

impl Hash {
    /// The `prev` of the first envelope of a journal: all zeros.
    pub const GENESIS: Hash = Hash([0; 32]);

    /// The BLAKE3 hash of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(*blake3::hash(bytes).as_bytes())
    }

    /// The BLAKE3 hash of `value`'s JSON, as `serde_json` writes it: how the community,
    /// its governance map and its funding policy are named in the journal and in records.
    /// A value whose `Serialize` fails (none of the crate's documents can) hashes what was
    /// written before the failure.
    pub fn of_json<T: serde::Serialize + ?Sized>(value: &T) -> Self {
        let mut hasher = blake3::Hasher::new();
        let _ = serde_json::to_writer(&mut hasher, value);
        Self::of_hasher(&hasher)
    }

    /// The 32 bytes of the hash.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 64 lowercase hex digits, as bytes.
    pub(crate) fn hex(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        for (pair, byte) in out.chunks_exact_mut(2).zip(self.0) {
            if let [hi, lo] = pair {
                *hi = hex_digit(byte >> 4);
                *lo = hex_digit(byte & 0x0f);
            }
        }
        out
    }

    /// Reads exactly 64 lowercase hex digits. Uppercase is refused so that each hash has a
    /// single spelling, which keeps a changed letter case in a stored hash detectable.
    ///
    /// # Errors
    ///
    /// [`InvalidHash`] when the text is not 64 lowercase hex digits.
    pub fn from_hex(text: &str) -> Result<Self, InvalidHash> {
        Self::decode(text.as_bytes()).ok_or_else(|| InvalidHash {
            text: text.chars().take(80).collect(),
        })
    }

    /// The hash of what `hasher` has taken so far.
    pub(crate) fn of_hasher(hasher: &blake3::Hasher) -> Self {
        Self(*hasher.finalize().as_bytes())
    }

    pub(crate) fn decode(hex: &[u8]) -> Option<Self> {
        /// The value of each lowercase hex digit; 0xff for every other byte. A table keeps
        /// replay fast: every journal line has two hashes to read.
        // Indexing here runs at compile time: out of bounds would fail the build, not panic.
        #[allow(clippy::indexing_slicing)]
        const NIBBLE: [u8; 256] = {
            let mut table = [0xff; 256];
            let mut i = 0;
            while i < 10 {
                table[b'0' as usize + i] = i as u8;
                i += 1;
            }
            let mut i = 0;
            while i < 6 {
                table[b'a' as usize + i] = 10 + i as u8;
                i += 1;
            }
            table
        };
        let hex: &[u8; 64] = hex.try_into().ok()?;
        let nibble = |c: u8| NIBBLE.get(usize::from(c)).copied().unwrap_or(0xff);
        let mut out = [0u8; 32];
        let mut bad = 0u8;
        for (byte, &[hi, lo]) in out.iter_mut().zip(hex.as_chunks::<2>().0) {
            let (hi, lo) = (nibble(hi), nibble(lo));
            bad |= hi | lo;
            *byte = (hi << 4) | lo;
        }
        // Every digit's value is below 0x10; 0xff marks a byte that is not one.
        let bad = bad & 0xf0;
        (bad == 0).then_some(Self(out))
    }
}

/// The default hash is the chain's start, [`Hash::GENESIS`].
impl Default for Hash {
    fn default() -> Self {
        Self::GENESIS
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({self})")
    }
}

impl std::str::FromStr for Hash {
    type Err = InvalidHash;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s)
    }
}

impl Serialize for Hash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let hex = self.hex();
        let text = std::str::from_utf8(&hex).map_err(serde::ser::Error::custom)?;
        s.serialize_str(text)
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::slug::deserialize_str(d, "64 lowercase hex digits", |v| {
            Hash::decode(v.as_bytes()).ok_or("a hash is 64 lowercase hex digits")
        })
    }
}
