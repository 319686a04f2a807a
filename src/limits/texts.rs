//! The length check on every string of a value, walked through its `Serialize`
//! implementation, so that a field added to a command or to the evidence is checked without
//! being listed here.
//!
//! The walk is a serializer that writes nothing: it sees each string with the name of the
//! field that holds it and of the type that field belongs to, which is what a limit depends
//! on (a round's `proposal` is long, a comment is not), and builds the field's JSON path
//! only when a string is refused. It is on the engine's hot path (every request is checked),
//! so the happy path allocates nothing and formats nothing: values written with `Display`
//! (times, hashes) are skipped unformatted, as they are not free text.
//!
//! The same walk refuses a string holding a control character other than a line break or
//! a tab (a NUL, an escape sequence, a C1 control) or a character that overrides the
//! direction of the text around it (U+202A to U+202E, U+2066 to U+2069): text that would
//! show one thing in a terminal or a record and mean another.

use std::fmt;

use serde::Serialize;
use serde::ser;

use super::{
    CHANNEL_CHARS, InputError, NOTE_CHARS, TEXT_CHARS, TITLE_CHARS, default_ignorable,
    json_message, quote,
};

/// The shortest limit of any field.
const SHORTEST: usize = CHANNEL_CHARS;
const _: () = assert!(SHORTEST <= TITLE_CHARS && SHORTEST <= NOTE_CHARS && SHORTEST <= TEXT_CHARS);

/// The limit, in characters, of a string in `field` of the type `container` (by its serde
/// name: for a struct variant of an internally tagged enum, the enum's).
fn limit(container: &str, field: &str) -> usize {
    match (container, field) {
        (_, "title" | "name" | "funder" | "sector" | "reference" | "amount_band") => TITLE_CHARS,
        ("PartCommand", "channel") => CHANNEL_CHARS,
        ("RoundConfig" | "RoundCommand", "proposal")
        | ("RoundCommand" | "ProposalCommand" | "ProposalConfig", "text") => TEXT_CHARS,
        _ => NOTE_CHARS,
    }
}

/// Checks every string in `value` against its field's limit (see the
/// [table](super#the-limits)), naming a refused one by its JSON path.
///
/// # Errors
///
/// [`InputError::TextTooLong`] for the first string over its limit;
/// [`InputError::Json`] if `value`'s own `Serialize` implementation fails.
///
/// # Example
///
/// ```
/// use coproduction::consent::{Response, RoundCommand};
/// use coproduction::community::MemberId;
/// use coproduction::limits::{check_texts, InputError, NOTE_CHARS};
///
/// let respond = RoundCommand::Respond {
///     member: MemberId::new(4),
///     response: Response::Object { reason: "r".repeat(NOTE_CHARS + 10) },
/// };
/// assert_eq!(
///     check_texts(&respond),
///     Err(InputError::TextTooLong { path: "response.reason".into(), chars: NOTE_CHARS + 10, limit: NOTE_CHARS })
/// );
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn check_texts<T: Serialize + ?Sized>(value: &T) -> Result<(), InputError> {
    match value.serialize(Texts {
        container: "",
        field: "",
    }) {
        Ok(()) => Ok(()),
        Err(Walk::TooLong {
            mut path,
            chars,
            limit,
        }) => {
            path.reverse();
            Err(InputError::TextTooLong {
                path: render(&path),
                chars,
                limit,
            })
        }
        Err(Walk::Character {
            mut path,
            character,
            at,
            invisible,
        }) => {
            path.reverse();
            let (path, code) = (render(&path), format!("U+{:04X}", u32::from(character)));
            Err(if invisible {
                InputError::InvisibleCharacter { path, code, at }
            } else {
                InputError::HiddenCharacter { path, code, at }
            })
        }
        Err(Walk::Custom(message)) => Err(InputError::Json {
            message: format!("cannot check the text of the value: {message}"),
        }),
    }
}

/// One step of a JSON path.
#[derive(Debug)]
enum Step {
    Field(&'static str),
    Index(usize),
    Key(String),
}

fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        let name = match step {
            Step::Index(n) => {
                out.push('[');
                out.push_str(&n.to_string());
                out.push(']');
                continue;
            }
            Step::Field(name) => *name,
            Step::Key(key) => key.as_str(),
        };
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&quote(name));
    }
    out
}

/// Why the walk stopped. The path is built innermost first, as the error travels out.
#[derive(Debug)]
enum Walk {
    TooLong {
        path: Vec<Step>,
        chars: usize,
        limit: usize,
    },
    /// A character free text may not hold, or (`invisible`) one a screened field may not.
    Character {
        path: Vec<Step>,
        character: char,
        at: usize,
        invisible: bool,
    },
    Custom(String),
}

impl Walk {
    fn under(mut self, step: Step) -> Self {
        if let Walk::TooLong { path, .. } | Walk::Character { path, .. } = &mut self {
            path.push(step);
        }
        self
    }

    /// Under the variant's name too, for a part of an enum variant.
    fn in_variant(self, variant: Option<&'static str>) -> Self {
        match variant {
            Some(variant) => self.under(Step::Field(variant)),
            None => self,
        }
    }
}

impl fmt::Display for Walk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Walk::TooLong { chars, limit, .. } => {
                write!(f, "{chars} characters where the limit is {limit}")
            }
            Walk::Character { character, at, .. } => {
                write!(f, "the character U+{:04X} at {at}", u32::from(*character))
            }
            Walk::Custom(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Walk {}

impl ser::Error for Walk {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Walk::Custom(msg.to_string())
    }
}

/// Where the walk is: the field about to be written and the type it belongs to.
#[derive(Clone, Copy)]
struct Texts {
    container: &'static str,
    field: &'static str,
}

impl Texts {
    fn check(self, text: &str) -> Result<(), Walk> {
        if let Some((at, character)) = hidden(text) {
            return Err(Walk::Character {
                path: Vec::new(),
                character,
                at,
                invisible: false,
            });
        }
        // A funder or a sector is screened against the red lines: what is screened is what
        // shows, so it holds nothing invisible (the joiners excepted, which names need).
        if matches!(self.field, "funder" | "sector")
            && let Some((at, character)) = text
                .chars()
                .zip(1..)
                .find(|(c, _)| default_ignorable(*c) && !matches!(c, '\u{200C}' | '\u{200D}'))
                .map(|(c, at)| (at, c))
        {
            return Err(Walk::Character {
                path: Vec::new(),
                character,
                at,
                invisible: true,
            });
        }
        // Most strings are short: within the shortest limit, whatever their field.
        if text.len() <= SHORTEST {
            return Ok(());
        }
        let limit = limit(self.container, self.field);
        // A string no longer in bytes than the limit is within it in characters.
        if text.len() <= limit {
            return Ok(());
        }
        let chars = text.chars().count();
        if chars <= limit {
            return Ok(());
        }
        Err(Walk::TooLong {
            path: Vec::new(),
            chars,
            limit,
        })
    }
}

/// The first character of `text` that free text may not hold, with its place (counting
/// characters from 1): a control character other than a line break or a tab, or one that
/// overrides the direction of the text around it. Bytes that start none of them are
/// passed over without decoding.
fn hidden(text: &str) -> Option<(usize, char)> {
    let suspect = |b: &u8| {
        (*b < 0x20 && !matches!(*b, b'\n' | b'\r' | b'\t')) || matches!(*b, 0x7F | 0xC2 | 0xE2)
    };
    if !text.as_bytes().iter().any(suspect) {
        return None;
    }
    text.chars()
        .zip(1..)
        .find(|(c, _)| {
            (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .map(|(c, at)| (at, c))
}

/// The elements of a sequence, a tuple or a tuple variant.
struct Seq {
    texts: Texts,
    index: usize,
    variant: Option<&'static str>,
}

impl Seq {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Walk> {
        let index = self.index;
        self.index += 1;
        value
            .serialize(self.texts)
            .map_err(|e| e.under(Step::Index(index)).in_variant(self.variant))
    }
}

/// The fields of a struct or a struct variant.
struct Fields {
    texts: Texts,
    variant: Option<&'static str>,
}

impl Fields {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Walk> {
        value
            .serialize(Texts {
                container: self.texts.container,
                field: key,
            })
            .map_err(|e| e.under(Step::Field(key)).in_variant(self.variant))
    }
}

/// The entries of a map. A key given on its own (rare: the derives and the standard maps
/// give key and value together) is kept as text for the value's path.
struct Map {
    texts: Texts,
    key: Option<String>,
}

/// A map key as text, for a path: only made when a value under it is refused.
fn key_text<K: Serialize + ?Sized>(key: &K) -> String {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(e) => json_message(&e),
    }
}

impl ser::Serializer for Texts {
    type Ok = ();
    type Error = Walk;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Seq;
    type SerializeMap = Map;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Fields;

    fn serialize_bool(self, _: bool) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_i128(self, _: i128) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_u128(self, _: u128) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_char(self, _: char) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_str(self, text: &str) -> Result<(), Walk> {
        self.check(text)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Walk> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Walk> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Walk> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Walk> {
        value
            .serialize(Texts {
                container: name,
                field: variant,
            })
            .map_err(|e| e.under(Step::Field(variant)))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq, Walk> {
        Ok(Seq {
            texts: self,
            index: 0,
            variant: None,
        })
    }
    fn serialize_tuple(self, _: usize) -> Result<Seq, Walk> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Seq, Walk> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Seq, Walk> {
        Ok(Seq {
            texts: Texts {
                container: name,
                field: variant,
            },
            index: 0,
            variant: Some(variant),
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map, Walk> {
        Ok(Map {
            texts: self,
            key: None,
        })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Fields, Walk> {
        Ok(Fields {
            texts: Texts {
                container: name,
                field: "",
            },
            variant: None,
        })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Fields, Walk> {
        Ok(Fields {
            texts: Texts {
                container: name,
                field: "",
            },
            variant: Some(variant),
        })
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, _: &T) -> Result<(), Walk> {
        // Times and hashes: not free text, and formatting them would cost every request.
        Ok(())
    }
}

/// The ways serde hands a walk the parts of a sequence or a struct, one part at a time:
/// each goes to the walker's `$part` method (`element`, or `field` with its key).
macro_rules! walk_parts {
    ($walker:ident, $part:ident($($key:ident: $key_ty:ty)?): $trait:ident :: $method:ident) => {
        impl ser::$trait for $walker {
            type Ok = ();
            type Error = Walk;
            fn $method<T: Serialize + ?Sized>(
                &mut self,
                $($key: $key_ty,)?
                value: &T,
            ) -> Result<(), Walk> {
                self.$part($($key,)? value)
            }
            fn end(self) -> Result<(), Walk> {
                Ok(())
            }
        }
    };
    ($walker:ident, $part:ident $params:tt: $($trait:ident :: $method:ident),+ $(,)?) => {$(
        walk_parts!($walker, $part $params: $trait::$method);
    )+};
}

walk_parts!(
    Seq,
    element():
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

walk_parts!(
    Fields,
    field(key: &'static str):
    SerializeStruct::serialize_field,
    SerializeStructVariant::serialize_field,
);

impl ser::SerializeMap for Map {
    type Ok = ();
    type Error = Walk;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Walk> {
        key.serialize(self.texts)?;
        self.key = Some(key_text(key));
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Walk> {
        let key = self.key.take().unwrap_or_default();
        value
            .serialize(self.texts)
            .map_err(|e| e.under(Step::Key(key)))
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Walk> {
        key.serialize(self.texts)?;
        value
            .serialize(self.texts)
            .map_err(|e| e.under(Step::Key(key_text(key))))
    }
    fn end(self) -> Result<(), Walk> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    struct RoundConfig {
        title: String,
        proposal: String,
    }

    #[derive(Serialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum FundingCommand {
        Comment { text: String },
    }

    #[derive(Serialize)]
    enum Outer {
        Tuple(u8, String),
        Fields { note: String },
    }

    fn refused<T: Serialize>(value: &T) -> (String, usize) {
        match check_texts(value) {
            Err(InputError::TextTooLong { path, limit, .. }) => (path, limit),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[derive(Serialize)]
    struct Offer {
        funder: String,
        sector: String,
        description: String,
    }

    #[test]
    fn a_funder_or_sector_holds_no_invisible_character_but_other_text_may() {
        let offer = |funder: &str, sector: &str, description: &str| Offer {
            funder: funder.into(),
            sector: sector.into(),
            description: description.into(),
        };
        for (sector, code, at) in [
            ("tob\u{200B}acco", "U+200B", 4),
            ("to\u{AD}bacco", "U+00AD", 3),
            ("tob\u{2060}acco", "U+2060", 4),
            ("\u{FEFF}tobacco", "U+FEFF", 1),
        ] {
            assert_eq!(
                check_texts(&offer("A company", sector, "x")),
                Err(InputError::InvisibleCharacter {
                    path: "sector".into(),
                    code: code.into(),
                    at
                })
            );
        }
        assert!(matches!(
            check_texts(&offer("A\u{200B} company", "Trust", "x")),
            Err(InputError::InvisibleCharacter { path, .. }) if path == "funder"
        ));
        // The joiners, which names in some scripts need, and free text elsewhere.
        assert_eq!(
            check_texts(&offer(
                "\u{645}\u{6CC}\u{200C}\u{62E}\u{648}\u{627}\u{647}\u{645}",
                "Trust",
                "x"
            )),
            Ok(())
        );
        assert_eq!(
            check_texts(&offer(
                "A company",
                "Trust",
                "a\u{200B}b \u{1F469}\u{200D}\u{1F467}"
            )),
            Ok(())
        );
    }

    #[test]
    fn a_field_takes_the_limit_of_its_name_and_type() {
        let long = "p".repeat(TEXT_CHARS);
        let config = RoundConfig {
            title: "t".into(),
            proposal: long.clone(),
        };
        assert_eq!(check_texts(&config), Ok(()));
        let config = RoundConfig {
            title: "t".repeat(TITLE_CHARS + 1),
            proposal: long,
        };
        assert_eq!(refused(&config), ("title".into(), TITLE_CHARS));
        // `text` is a proposal's in an amendment, a comment's in a funding consultation.
        let comment = FundingCommand::Comment {
            text: "c".repeat(NOTE_CHARS + 1),
        };
        assert_eq!(refused(&comment), ("text".into(), NOTE_CHARS));
    }

    #[test]
    fn paths_name_fields_indices_keys_and_variants() {
        let nested = BTreeMap::from([("a key", vec![String::new(), "n".repeat(NOTE_CHARS + 1)])]);
        assert_eq!(refused(&nested), ("a key[1]".into(), NOTE_CHARS));
        let tuple = Outer::Tuple(1, "n".repeat(NOTE_CHARS + 1));
        assert_eq!(refused(&tuple), ("Tuple[1]".into(), NOTE_CHARS));
        let fields = Outer::Fields {
            note: "n".repeat(NOTE_CHARS + 1),
        };
        assert_eq!(refused(&fields), ("Fields.note".into(), NOTE_CHARS));
        let long_key = BTreeMap::from([("k".repeat(NOTE_CHARS + 1), 1)]);
        assert_eq!(refused(&long_key), (String::new(), NOTE_CHARS));
    }

    #[test]
    fn characters_not_bytes_are_counted() {
        // 4,000 two-byte characters: 8,000 bytes, within the limit.
        assert_eq!(check_texts(&"é".repeat(NOTE_CHARS)), Ok(()));
        match check_texts(&"é".repeat(NOTE_CHARS + 1)) {
            Err(InputError::TextTooLong { chars, .. }) => assert_eq!(chars, NOTE_CHARS + 1),
            other => panic!("{other:?}"),
        }
    }
}
