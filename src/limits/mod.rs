//! Input hygiene: the limits on what the crate reads, in one place, and the checks that
//! enforce them.
//!
//! Bad input gets a typed error ([`InputError`]) that says what was wrong and where, quotes
//! at most a short prefix of it, and changes nothing. The engine checks every request
//! ([`Engine::handle`](crate::engine::Engine::handle) calls
//! [`Request::check_limits`](crate::engine::Request::check_limits) first;
//! [`Engine::handle_json`](crate::engine::Engine::handle_json) also checks the line), a
//! charter checks its own text when it loads, and the `coproduction` tool checks each line
//! it reads.
//!
//! # The limits
//!
//! | what | limit | constant |
//! |---|---|---|
//! | a request as JSON: one line of `coproduction run`, the text given to `handle_json` | 1 MiB (1,048,576 bytes), checked before parsing | [`REQUEST_LINE_BYTES`] |
//! | a title or a name: `title` (a round's, a proposal's), `name` (a member's, a body's), `funder`, `sector`, `reference`, `amount_band` | 300 characters | [`TITLE_CHARS`] |
//! | the `channel` a reminder went through (`remind`) | 100 characters | [`CHANNEL_CHARS`] |
//! | a proposal's text: `proposal` (a round's `open` config, `open_on_route`), `text` of a proposal's `create` config and of an amendment (`amend`, in a round or a proposal) | 50,000 characters | [`TEXT_CHARS`] |
//! | every other string: reasons, comments, concerns, advice, answers, questions, reactions, rationales, statements, alternatives, conditions' texts, override and acknowledgement reasons, a value's description... | 4,000 characters | [`NOTE_CHARS`] |
//! | the part of a refused input an error quotes | 80 characters, then `…` | [`QUOTE_CHARS`] |
//!
//! Characters are Unicode scalar values (Rust's `char`), so a limit means the same in any
//! script. Why these numbers:
//!
//! - a reminder's **channel** is a label an app gives (`email`, `sms`, `text message`):
//!   100 characters names any channel and keeps the message itself out of the record;
//! - a **title** is read in lists, in reports and in the journal's every opening event: 300
//!   characters is two full lines, more than any title in the seed community's records;
//! - a **proposal's text** is the one long document a decision carries: 50,000 characters is
//!   some 8,000 words, a long policy paper. A longer document belongs in the community's
//!   files, with the proposal naming it;
//! - a **reason, comment or rationale** is read aloud in a meeting and kept in the public
//!   record: 4,000 characters is some 600 words, a full page;
//! - a **request line** holds a full-length proposal text even written entirely in `\u`
//!   escapes (some 300 KB), with room for an explicit eligibility list of some 15,000
//!   members; a larger body opens its rounds on their governance route (`open_on_route`),
//!   where the engine fills the list in. The line is refused before it is parsed, so an
//!   oversized line costs no more than reading it.
//!
//! No string may hold a control character other than a line break or a tab (a NUL, an
//! escape sequence that would recolour a terminal, a C1 control), or a character that
//! overrides the direction of the text around it (U+202A to U+202E, U+2066 to U+2069):
//! [`InputError::HiddenCharacter`] names the field and the character.
//!
//! A funder's name and a sector (`funder`, `sector`) are screened against the red lines, so
//! they may hold no invisible character either: no default-ignorable code point (a
//! zero-width space U+200B, a soft hyphen U+00AD, a word joiner U+2060, a byte-order mark
//! U+FEFF, a variation selector...) except the zero-width joiner and non-joiner (U+200D,
//! U+200C), which names in some scripts need: [`InputError::InvisibleCharacter`]. Other
//! free text may hold them, as scripts and emoji need them; but a text that must say
//! something (a reason, a title, a rationale) is blank, and refused, when it holds nothing
//! but white space, such characters and combining marks with no letter to sit on
//! ([`is_blank`]).
//!
//! Ids (streams, bodies, values, rules, decision kinds) are slugs with their own, shorter
//! limits, checked when they are read.
//!
//! # Guide
//!
//! - A field's limit depends on the field, not on where the value came from: a request built
//!   in Rust is checked by [`Request::check_limits`](crate::engine::Request::check_limits)
//!   (the engine calls it), and [`check_texts`] checks any value of the crate's wire types
//!   the same way, naming the field by its JSON path (`command.command.response.comment`).
//! - [`from_json`] reads a wire type strictly: besides what the type refuses itself
//!   (unknown fields, bad values), it refuses an object written as a positional array
//!   (serde's derived readers accept `["s", 1, ...]` for a struct), and its error messages
//!   quote input only in short.
//! - [`quote`] and [`shorten_quotes`] shorten what an error message quotes; every error of
//!   the engine, the value-check and the tool that can hold input goes through them.
//!
//! # Example
//!
//! ```
//! use coproduction::limits::{self, InputError, NOTE_CHARS};
//! use coproduction::values::DecisionRecord;
//!
//! let long = "x".repeat(NOTE_CHARS + 1);
//! let record: DecisionRecord = limits::from_json(&format!(
//!     r#"{{"kind": "strategy", "alternatives": ["Wait", "{long}"]}}"#
//! ))?;
//! let refused = limits::check_texts(&record).unwrap_err();
//! assert_eq!(
//!     refused,
//!     InputError::TextTooLong { path: "alternatives[1]".into(), chars: NOTE_CHARS + 1, limit: NOTE_CHARS }
//! );
//!
//! // A record written as a positional array is refused, naming where.
//! let positional = limits::from_json::<DecisionRecord>(r#"{"kind": "strategy", "dates": []}"#);
//! assert_eq!(positional.unwrap_err(), InputError::Positional { path: "dates".into() });
//! # Ok::<(), coproduction::Error>(())
//! ```

mod shape;
mod texts;

use std::borrow::Cow;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use texts::check_texts;

/// The longest request the engine reads as JSON, in bytes: one line of `coproduction run`,
/// or the text given to [`Engine::handle_json`](crate::engine::Engine::handle_json).
pub const REQUEST_LINE_BYTES: usize = 1 << 20;

/// The longest title or name, in characters: `title`, `funder`, `sector`, `reference`,
/// `amount_band`.
pub const TITLE_CHARS: usize = 300;

/// The longest name of the channel a reminder went through (`email`, `sms`, the app's
/// own name for it), in characters: a label, not a message.
pub const CHANNEL_CHARS: usize = 100;

/// The longest proposal text, in characters: a round's `proposal`, the `text` of a
/// proposal's config and of an amendment.
pub const TEXT_CHARS: usize = 50_000;

/// The longest of every other string, in characters: reasons, comments, rationales and the
/// like.
pub const NOTE_CHARS: usize = 4_000;

/// The most characters of a refused input an error message quotes, before `…`.
pub const QUOTE_CHARS: usize = 80;

/// The longest error message made from a JSON reader's, in characters, once what it quotes
/// is shortened: a safety net for a message that echoes input outside quotes.
const MESSAGE_CHARS: usize = 1_000;

/// Why input was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A request line is longer than [`REQUEST_LINE_BYTES`].
    #[error("the line is {bytes} bytes long; a request line is at most {limit} bytes")]
    LineTooLong {
        /// The line's length in bytes (at least `limit + 1`: a reader may stop there).
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A string is longer than its field's limit.
    #[error("`{path}` is {chars} characters long; the limit for this field is {limit}")]
    TextTooLong {
        /// The field, as a JSON path: `command.command.response.comment`,
        /// `evidence.alternatives[2]`.
        path: String,
        /// The string's length in characters.
        chars: usize,
        /// The field's limit.
        limit: usize,
    },
    /// A string holds a character free text may not: a control character other than a
    /// line break or a tab (a NUL, an escape sequence), or one that overrides the direction
    /// of the text around it.
    #[error(
        "`{path}` holds the character {code} at character {at}; free text may hold line breaks and tabs, but no other control character and no direction override"
    )]
    HiddenCharacter {
        /// The field, as a JSON path.
        path: String,
        /// The character, as `U+001B`.
        code: String,
        /// Where in the string, counting characters from 1.
        at: usize,
    },
    /// A funder's name or a sector holds a character that is not shown: a zero-width
    /// space, a soft hyphen, a word joiner, a byte-order mark, a variation selector (any
    /// default-ignorable code point but the zero-width joiner and non-joiner, which scripts
    /// and names need). Those fields are screened against the red lines, and what is
    /// screened should be what a reader sees.
    #[error(
        "`{path}` holds the invisible character {code} at character {at}; a funder or a sector is screened against the red lines and may hold no invisible character"
    )]
    InvisibleCharacter {
        /// The field, as a JSON path.
        path: String,
        /// The character, as `U+200B`.
        code: String,
        /// Where in the string, counting characters from 1.
        at: usize,
    },
    /// An object is written as a positional array.
    #[error("{} is written as an array; write it as an object, naming its fields", Where(.path))]
    Positional {
        /// Where, as a JSON path; empty for the whole input.
        path: String,
    },
    /// The JSON could not be read as the type.
    #[error("{message}")]
    Json {
        /// What was wrong, with the line and column; what it quotes is shortened.
        message: String,
    },
}

/// The words of `text` as a reader sees them, lowercased: its runs of letters and digits,
/// once folded to compatibility form (NFKC) and rid of the characters that show as nothing
/// (default-ignorable code points). Two texts with the same words read the same.
pub(crate) fn words(text: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let visible = |c: &char| !default_ignorable(*c);
    let folded: String = text
        .chars()
        .filter(visible)
        .nfkc()
        .filter(visible)
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How `text` reads, whatever it is written with: its letters and digits folded to
/// compatibility form (NFKC), to the prototypes of Unicode's confusables (the UTS #39
/// skeleton: a Cyrillic `е`, a Greek `Ρ`, a digit `0` read as Latin `e`, `P`, `O`) and to
/// lowercase, without marks, spaces, punctuation or invisible characters. Two texts that
/// read the same to a reader give the same key; empty for a text with no letter or digit.
pub(crate) fn reads_as(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_security::confusable_detection::skeleton;
    let folded: String = text.nfkc().collect();
    let lowered: String = skeleton(&folded).flat_map(char::to_lowercase).collect();
    skeleton(&lowered)
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Whether `text` says nothing a reader can see: it is empty, or holds only white space,
/// default-ignorable code points (a zero-width space, a soft hyphen, a word joiner...), the
/// blank Braille cell U+2800, the interlinear annotation marks U+FFF9 to U+FFFB, and
/// combining marks (an accent, with no letter to sit on). A required text (a reason, a
/// title, a rationale) that is blank is refused.
///
/// ```
/// use coproduction::limits::is_blank;
/// assert!(is_blank(" \t\n"));
/// assert!(is_blank("\u{200B}\u{00AD} \u{2060}"));
/// assert!(is_blank("\u{2800}\u{2800}\u{FFF9}"));
/// assert!(!is_blank("Not now"));
/// assert!(!is_blank("\u{2800}\u{283A}")); // a Braille word is text
/// assert!(is_blank(" \u{0301}\u{0308}")); // accents alone
/// assert!(!is_blank("e\u{0301}")); // an accented letter is text
/// ```
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace()
            || default_ignorable(c)
            || matches!(c, '\u{2800}' | '\u{FFF9}'..='\u{FFFB}')
            || unicode_normalization::char::canonical_combining_class(c) != 0
    })
}

/// Whether `c` is a default-ignorable code point (Unicode's `Default_Ignorable_Code_Point`):
/// one a renderer shows as nothing when it cannot show it otherwise, such as the zero-width
/// space, the soft hyphen, the word joiner, the byte-order mark and variation selectors.
pub(crate) fn default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// A JSON path in words: the whole input when empty.
struct Where<'a>(&'a str);

impl std::fmt::Display for Where<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            f.write_str("the whole input")
        } else {
            write!(f, "`{}`", self.0)
        }
    }
}

/// `text` as an error message quotes it: at most [`QUOTE_CHARS`] characters, then `…`.
///
/// # Example
///
/// ```
/// use coproduction::limits::{quote, QUOTE_CHARS};
///
/// assert_eq!(quote("short"), "short");
/// let long = "é".repeat(1000);
/// assert_eq!(quote(&long).chars().count(), QUOTE_CHARS + 1);
/// assert!(quote(&long).ends_with('…'));
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn quote(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(QUOTE_CHARS) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}…", text.get(..at).unwrap_or_default())),
    }
}

/// `message` with every run of quoted text (between backticks, or between double quotes,
/// with `\` escapes) shortened by [`quote`]: what an error can safely show of input it
/// quotes. A quote left open runs to the end of the message.
///
/// # Example
///
/// ```
/// use coproduction::limits::shorten_quotes;
///
/// let long = "x".repeat(10_000);
/// let message = format!("unknown field `{long}`, expected `kind`");
/// let short = shorten_quotes(&message);
/// assert!(short.len() < 150);
/// assert!(short.ends_with("…`, expected `kind`"));
/// assert_eq!(shorten_quotes("unknown field `colour`"), "unknown field `colour`");
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn shorten_quotes(message: &str) -> Cow<'_, str> {
    // No quote can be longer than the limit in a message that is not.
    if message.len() <= QUOTE_CHARS {
        return Cow::Borrowed(message);
    }
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let (before, from) = rest.split_at(open);
        let mut chars = from.chars();
        let Some(delimiter) = chars.next() else {
            break;
        };
        let body = chars.as_str();
        let close = closing(body, delimiter).unwrap_or(body.len());
        let (inner, after) = body.split_at(close);
        out.push_str(before);
        out.push(delimiter);
        out.push_str(&quote(inner));
        rest = after;
        if let Some(after) = rest.strip_prefix(delimiter) {
            out.push(delimiter);
            rest = after;
        }
    }
    out.push_str(rest);
    if out.len() == message.len() {
        return Cow::Borrowed(message);
    }
    Cow::Owned(out)
}

/// The byte index of the quote that closes `body`: the next backtick, or the next double
/// quote that is not escaped.
fn closing(body: &str, delimiter: char) -> Option<usize> {
    if delimiter != '"' {
        return body.find(delimiter);
    }
    let mut escaped = false;
    for (at, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(at),
            _ => {}
        }
    }
    None
}

/// A JSON reader's error as a message that quotes input only in short: every quoted run
/// shortened, the whole cut at a thousand characters, the line and column kept.
///
/// # Example
///
/// ```
/// use coproduction::limits::json_message;
///
/// let long = "x".repeat(1_000_000);
/// let error = serde_json::from_str::<u32>(&format!("\"{long}\"")).unwrap_err();
/// let message = json_message(&error);
/// assert!(message.len() < 150, "{message}");
/// assert!(message.starts_with("invalid type: string \"xxx"));
/// assert!(message.ends_with("…\", expected u32 at line 1 column 1000002"));
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn json_message(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let position = if error.line() > 0 {
        format!(" at line {} column {}", error.line(), error.column())
    } else {
        String::new()
    };
    let body = full.strip_suffix(position.as_str()).unwrap_or(&full);
    let short = shorten_quotes(body);
    let short = match short.char_indices().nth(MESSAGE_CHARS) {
        None => short,
        Some((at, _)) => Cow::Owned(format!("{}…", short.get(..at).unwrap_or_default())),
    };
    format!("{short}{position}")
}

/// Checks that `line`, one request as JSON, is within [`REQUEST_LINE_BYTES`].
///
/// # Errors
///
/// [`InputError::LineTooLong`] when it is longer.
///
/// # Example
///
/// ```
/// use coproduction::limits::{check_line, InputError, REQUEST_LINE_BYTES};
///
/// assert!(check_line("{}").is_ok());
/// let long = " ".repeat(REQUEST_LINE_BYTES + 1);
/// assert_eq!(
///     check_line(&long),
///     Err(InputError::LineTooLong { bytes: REQUEST_LINE_BYTES + 1, limit: REQUEST_LINE_BYTES })
/// );
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn check_line(line: &str) -> Result<(), InputError> {
    if line.len() > REQUEST_LINE_BYTES {
        return Err(InputError::LineTooLong {
            bytes: line.len(),
            limit: REQUEST_LINE_BYTES,
        });
    }
    Ok(())
}

/// Reads a wire type from JSON, strictly: what the type refuses itself (unknown fields, bad
/// values), and an object written as a positional array anywhere in it.
///
/// Serde's derived readers accept a struct written as the array of its fields in order, and
/// so do the struct variants of internally tagged enums, such as every command. Whether an
/// array stands for a struct depends on the type, so this reads the value first, writes it
/// back out in its canonical form, and refuses the input where it has an array and the
/// canonical form an object at the same place. Lists (`eligible`, `overrides`) and tuples
/// (`[1, 14, "reason"]`) are arrays in both and pass. Only input that holds a `[` at all
/// pays for the second look.
///
/// # Errors
///
/// [`InputError::Json`] when the JSON cannot be read as `T` (what it quotes shortened),
/// [`InputError::Positional`] naming where an object is written as an array.
///
/// # Example
///
/// ```
/// use coproduction::engine::Request;
/// use coproduction::limits::{from_json, InputError};
///
/// let request: Request = from_json(r#"{"stream": "s", "actor": 1, "now": "2022-09-01T10:00:00Z",
///     "command": {"process": "consent", "command": {"type": "advance"}}}"#)?;
/// assert_eq!(request.actor.get(), 1);
///
/// let positional = from_json::<Request>(r#"{"stream": "s", "actor": 1, "now": "2022-09-01T10:00:00Z",
///     "command": {"process": "consent", "command": ["respond", 1, ["object", "Not yet"]]}}"#);
/// assert_eq!(positional.unwrap_err(), InputError::Positional { path: "command.command".into() });
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn from_json<T: DeserializeOwned + Serialize>(json: &str) -> Result<T, InputError> {
    let json_error = |e: serde_json::Error| InputError::Json {
        message: json_message(&e),
    };
    let value: T = match serde_json::from_str(json) {
        Ok(value) => value,
        Err(e) => return Err(short_array::<T>(json).unwrap_or_else(|| json_error(e))),
    };
    if !json.contains('[') {
        return Ok(value);
    }
    let input: serde_json::Value = serde_json::from_str(json).map_err(json_error)?;
    let canonical = serde_json::to_value(&value).map_err(json_error)?;
    match shape::positional(&input, &canonical) {
        Some(path) => Err(InputError::Positional { path }),
        None => Ok(value),
    }
}

/// Where `json` failed to read as `T` because an array stood for a struct with fewer
/// elements than it has fields (serde reads a struct from the array of its fields, and a
/// field left out of an array has no default): the same refusal as any other positional
/// object, naming where. `None` when it failed for another reason. Called only on input
/// that did not read, so it costs nothing on the way that succeeds.
fn short_array<T: DeserializeOwned>(json: &str) -> Option<InputError> {
    let reader = &mut serde_json::Deserializer::from_str(json);
    let error = serde_path_to_error::deserialize::<_, T>(reader).err()?;
    let message = error.inner().to_string();
    (message.starts_with("invalid length ") && message.contains(", expected struct ")).then(|| {
        let path = error.path().to_string();
        let path = if path == "." { String::new() } else { path };
        // Inside an internally tagged enum the path stops where serde buffered the value:
        // the variant serde names finds the array itself.
        let variant = message
            .split_once("expected struct variant ")
            .and_then(|(_, rest)| rest.split_once(" with "))
            .and_then(|(name, _)| name.rsplit("::").next());
        let inner = variant.and_then(|variant| {
            let input: serde_json::Value = serde_json::from_str(json).ok()?;
            shape::tagged_array(&input, &path, variant)
        });
        InputError::Positional {
            path: inner.unwrap_or(path),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Optional {
        first: Option<u32>,
        second: Option<String>,
        third: Option<u32>,
    }

    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Holder {
        inner: Optional,
        list: Vec<Optional>,
    }

    #[test]
    fn an_array_shorter_than_its_struct_is_refused_as_positional_naming_where() {
        let positional = |json: &str| from_json::<Holder>(json).unwrap_err();
        assert_eq!(
            positional(r#"{"inner": [null, "b"], "list": []}"#),
            InputError::Positional {
                path: "inner".into()
            }
        );
        assert_eq!(
            positional(r#"{"inner": {}, "list": [{}, [1]]}"#),
            InputError::Positional {
                path: "list[1]".into()
            }
        );
        assert_eq!(
            positional(r#"[{}]"#),
            InputError::Positional {
                path: String::new()
            }
        );
        // Left out, an optional field is absent; another failure stays a JSON error.
        assert!(from_json::<Holder>(r#"{"inner": {}, "list": []}"#).is_ok());
        assert!(matches!(
            positional(r#"{"inner": {"first": "x"}, "list": []}"#),
            InputError::Json { .. }
        ));
    }

    #[test]
    fn quotes_are_cut_at_the_limit_on_a_character_boundary() {
        let exact = "é".repeat(QUOTE_CHARS);
        assert_eq!(quote(&exact), exact.as_str());
        let over = "é".repeat(QUOTE_CHARS + 1);
        assert_eq!(quote(&over), format!("{exact}…"));
        assert_eq!(quote(""), "");
    }

    #[test]
    fn every_quoted_run_is_shortened_and_nothing_else() {
        let long = "a".repeat(200);
        let message = format!("field `{long}` and \"{long}\" and `short`");
        let short = shorten_quotes(&message);
        let cut = "a".repeat(QUOTE_CHARS);
        assert_eq!(
            short,
            format!("field `{cut}…` and \"{cut}…\" and `short`").as_str()
        );
        // An escaped double quote does not close the run; a backtick inside one does not
        // open another.
        let message = format!("string \"{}\\\"`{long}\" then `x`", "b".repeat(10));
        let short = shorten_quotes(&message);
        assert!(short.ends_with("…\" then `x`"), "{short}");
        // A quote left open runs to the end.
        let message = format!("unknown variant `{long}");
        assert_eq!(shorten_quotes(&message), format!("unknown variant `{cut}…"));
        // Long text outside quotes is left alone.
        assert_eq!(shorten_quotes(&long), long.as_str());
    }

    #[test]
    fn json_messages_keep_their_position_and_lose_the_echo() {
        let long = "y".repeat(5_000);
        let error = serde_json::from_str::<bool>(&format!("\"{long}\"")).unwrap_err();
        let message = json_message(&error);
        assert!(message.len() < 200, "{message}");
        assert!(message.ends_with(" at line 1 column 5002"), "{message}");
        let error = serde_json::from_value::<bool>(serde_json::json!(long)).unwrap_err();
        assert!(!json_message(&error).contains(" at line"));
    }

    #[test]
    fn the_line_limit_is_inclusive() {
        assert!(check_line(&" ".repeat(REQUEST_LINE_BYTES)).is_ok());
        assert!(check_line(&" ".repeat(REQUEST_LINE_BYTES + 1)).is_err());
    }

    #[test]
    fn errors_say_where_and_how_much() {
        let e = InputError::TextTooLong {
            path: "command.command.reason".into(),
            chars: 5000,
            limit: NOTE_CHARS,
        };
        assert_eq!(
            e.to_string(),
            "`command.command.reason` is 5000 characters long; the limit for this field is 4000"
        );
        let whole = InputError::Positional {
            path: String::new(),
        };
        assert!(
            whole
                .to_string()
                .starts_with("the whole input is written as an array")
        );
    }
}
