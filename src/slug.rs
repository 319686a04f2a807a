//! The one check behind every slug-shaped id (bodies, streams, values, rules): a length
//! limit, the first character, and the characters allowed throughout, each refusal named
//! in words that the id's error carries; and the text conversions these ids (and the
//! crate's hashes) share.

use std::fmt;

use serde::de;

/// The shape of one kind of slug, with the words that name each way to break it.
pub(crate) struct Slug {
    /// The longest slug, in bytes (every allowed character is one byte).
    pub(crate) max: usize,
    /// Says the slug is longer than `max`.
    pub(crate) too_long: &'static str,
    /// Which first characters are allowed.
    pub(crate) first: fn(u8) -> bool,
    /// Says the first character is not one of them.
    pub(crate) bad_first: &'static str,
    /// Which characters are allowed anywhere.
    pub(crate) allowed: fn(u8) -> bool,
    /// Says a character is not one of them.
    pub(crate) bad_char: &'static str,
}

impl Slug {
    /// Why `text` is not a slug of this shape, or `None` if it is. A character outside
    /// ASCII is refused as a first character or as a character not allowed.
    pub(crate) fn refusal(&self, text: &str) -> Option<&'static str> {
        match text.as_bytes().first() {
            None => Some("it is empty"),
            Some(_) if text.len() > self.max => Some(self.too_long),
            Some(&first) if !(self.first)(first) => Some(self.bad_first),
            Some(_) if !text.bytes().all(self.allowed) => Some(self.bad_char),
            Some(_) => None,
        }
    }
}

/// An ASCII lowercase letter.
pub(crate) fn lowercase(b: u8) -> bool {
    b.is_ascii_lowercase()
}

/// Gives a slug-shaped id the conversions every such id has alike: shown as its slug and
/// parsed by its `new`, refused with `$error`. With `String`, also read from and written to
/// a `String`, as serde's `try_from` and `into` ask.
macro_rules! slug_text {
    ($id:ident, $error:ty) => {
        impl std::fmt::Display for $id {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $id {
            type Err = $error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }
    };
    ($id:ident, $error:ty, String) => {
        $crate::slug::slug_text!($id, $error);

        impl TryFrom<String> for $id {
            type Error = $error;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                // An id that owns its text takes the string itself, not a copy of it.
                Self::new(s)
            }
        }

        impl From<$id> for String {
            fn from(id: $id) -> Self {
                String::from(id.0)
            }
        }
    };
}
pub(crate) use slug_text;

/// Lets a text type be compared with a `str` (and a `&str`) by its `as_str`.
macro_rules! str_eq {
    ($text:ident) => {
        impl PartialEq<str> for $text {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $text {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}
pub(crate) use str_eq;

/// Reads a value written as one string with `parse`, whose error becomes the reader's;
/// `expecting` says what the string should be, for input that is not a string.
pub(crate) fn deserialize_str<'de, D, T, E>(
    d: D,
    expecting: &'static str,
    parse: fn(&str) -> Result<T, E>,
) -> Result<T, D::Error>
where
    D: de::Deserializer<'de>,
    E: fmt::Display,
{
    struct Visitor<T, E> {
        expecting: &'static str,
        parse: fn(&str) -> Result<T, E>,
    }
    impl<T, E: fmt::Display> de::Visitor<'_> for Visitor<T, E> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<Er: de::Error>(self, v: &str) -> Result<T, Er> {
            (self.parse)(v).map_err(Er::custom)
        }
    }
    d.deserialize_str(Visitor { expecting, parse })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: Slug = Slug {
        max: 4,
        too_long: "too long",
        first: lowercase,
        bad_first: "bad first",
        allowed: |b| lowercase(b) || b == b'_',
        bad_char: "bad char",
    };

    #[test]
    fn each_way_to_break_a_slug_is_named() {
        assert_eq!(SHAPE.refusal(""), Some("it is empty"));
        assert_eq!(SHAPE.refusal("abcde"), Some("too long"));
        assert_eq!(SHAPE.refusal("_ab"), Some("bad first"));
        assert_eq!(SHAPE.refusal("éa"), Some("bad first"));
        assert_eq!(SHAPE.refusal("ab-"), Some("bad char"));
        assert_eq!(SHAPE.refusal("aé"), Some("bad char"));
        assert_eq!(SHAPE.refusal("a_b"), None);
        assert_eq!(SHAPE.refusal("abcd"), None);
    }
}
