//! Human outputs from the record: Markdown and HTML a person can read and a test can assert.
//!
//! Each report is a `Display` adapter over a value a query returned, so it does no I/O and
//! the same value always gives the same text: [`YouSaidWeDidMarkdown`], the "we asked, you
//! said, we did" of one co-creation session; [`DecisionRecordMarkdown`], a decision record
//! with its easy-read summary, value verdicts, findings and overrides; and
//! [`DecisionRecordHtml`], the same record as one self-contained, accessible page; and
//! [`DecisionDocument`], the whole decision as one JSON document. The
//! Markdown and the page are written from one structure, so they always say the same.
//! [`svg_from_dot`] is the one function here that runs a program (Graphviz), to draw the
//! path a decision took on its page.
//!
//! # Example
//!
//! ```
//! use coproduction::cocreation::*;
//! use coproduction::community::MemberId;
//!
//! let at: jiff::Timestamp = "2022-06-14T10:00:00Z".parse()?;
//! let s1 = SessionId::new(1);
//! let mut model = CoCreation::new();
//! let host = Facilitator::Member { member: MemberId::new(1) };
//! model.add_session(Session::new(s1, SessionKind::Workshop, "Roles workshop", at, host, "What should the roles be?"))?;
//! model.add_item(FeedbackItem::by(ItemId::new(1), s1, MemberId::new(4), "Pay everyone the same rate", at))?;
//! model.add_theme(Theme::new(ThemeId::new(1), "Fair pay", ""))?;
//! model.link(Link::Carries { theme: ThemeId::new(1), item: ItemId::new(1) })?;
//!
//! let text = model.you_said_we_did(s1)?.markdown().to_string();
//! assert!(text.contains("### t1: Fair pay\n\nYou said:\n\n- i1 (m4): Pay everyone the same rate\n"));
//! assert!(text.contains("We did: nothing decided yet (pending)."));
//! assert!(text.ends_with("Every item from this session is carried by a theme.\n"));
//! # Ok::<(), coproduction::Error>(())
//! ```

mod decision_record;
mod document;
mod export;
mod you_said_we_did;

pub use decision_record::{DecisionRecordHtml, DecisionRecordMarkdown};
pub use export::{DecisionDocument, GateStanding};
pub use you_said_we_did::YouSaidWeDidMarkdown;

use std::collections::BTreeSet;

use crate::community::{Community, MemberId};

/// Renders Graphviz DOT as SVG with Graphviz's `dot -Tsvg`, where it is installed: the one
/// function of this module that runs a program. `None` when `dot` cannot be run or refuses
/// the text; the drawing is then left out, and the words beside it say the same.
///
/// # Example
///
/// ```
/// use coproduction::report::svg_from_dot;
///
/// if let Some(svg) = svg_from_dot("digraph { a -> b; }") {
///     assert!(svg.contains("<svg"));
/// }
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn svg_from_dot(dot: &str) -> Option<String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // Written and closed before reading, so `dot` sees the end of its input.
    child.stdin.take()?.write_all(dot.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()
}

/// `text` on one line, its runs of white space (line breaks included) made single spaces,
/// so that a member's words cannot break the list item they stand in.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `text` already ends a sentence: with a full stop, an ellipsis, a question or an
/// exclamation mark (a closing quotation mark or bracket after it aside).
fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')'])
        .ends_with(['.', '!', '?', '\u{2026}'])
}

/// `text` as the end of a sentence the record writes: as written, with a full stop added only
/// where it does not end a sentence itself ([`ends_sentence`]), so that a member's "Wait..."
/// stays "Wait..." and "Wait." does not become "Wait..".
fn full_stop(text: &str) -> String {
    if ends_sentence(text) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

/// `text` without the one full stop that ends it, for a list the record joins with `;`:
/// "Wait." becomes "Wait"; an ellipsis ("Wait...") and other punctuation stay as written.
fn without_full_stop(text: &str) -> &str {
    match text.strip_suffix('.') {
        Some(rest) if !rest.ends_with('.') => rest,
        _ => text,
    }
}

/// `text` on one line ([`one_line`]) and escaped for Markdown ([`markdown_escaped`]).
fn markdown_line(text: &str) -> String {
    markdown_escaped(&one_line(text))
}

/// `line` (one line of text, from a member or the record) escaped for Markdown, so that it
/// renders as the literal text: nothing in it can open a heading, a list item, a quote, a
/// code block, a table, raw HTML, a link or an image, or emphasis. CommonMark lets any
/// ASCII punctuation be escaped with a backslash; only what could start such a structure
/// is (a `_` inside a word, which cannot, is left as it is).
fn markdown_escaped(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let start = chars
        .iter()
        .position(|c| !c.is_whitespace())
        .unwrap_or(chars.len());
    // An ordered list marker at the start: up to nine digits, then `.` or `)`.
    let digits = chars
        .iter()
        .skip(start)
        .take_while(|c| c.is_ascii_digit())
        .count();
    let marker = (1..=9).contains(&digits).then_some(start + digits);
    let mut out = String::with_capacity(line.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| chars.get(j));
        let after = chars.get(i + 1);
        let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
        let escape = match c {
            // `#` anywhere: a heading's closing sequence would drop it.
            '\\' | '`' | '*' | '[' | ']' | '<' | '|' | '~' | '#' => true,
            '_' => !(word(before) && word(after)),
            // An entity (`&lt;`, `&#35;`) would render as another character.
            '&' => after.is_some_and(|a| a.is_alphanumeric() || *a == '#'),
            '>' | '-' | '+' | '=' => i == start,
            '.' | ')' => Some(i) == marker,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// How a rendering names members: as each asked ([`Member::shown_as`]) when it has the
/// community, by id otherwise. A member who reads as another member does, or as the
/// rendering writes an id, is named with their id too, so that two members who read alike
/// ([`reads_as`](crate::limits::reads_as): case, spacing, punctuation and lookalike letters
/// aside), or one whose name reads as `m13` or `anonymous member m13`, cannot be taken for
/// each other in a record.
///
/// [`Member::shown_as`]: crate::community::Member::shown_as
#[derive(Debug, Clone, Copy, Default)]
struct Names<'a> {
    community: Option<&'a Community>,
    /// How the members read whom more than one member reads as; `None` until known
    /// ([`Names::alike`]).
    alike: Option<&'a BTreeSet<String>>,
}

impl<'a> Names<'a> {
    /// Names as `community` shows its members.
    fn of_community(community: &'a Community) -> Self {
        Self {
            community: Some(community),
            alike: None,
        }
    }

    /// How the members of the community read whom more than one member reads as: worked
    /// out once a rendering, and handed back through [`Names::telling_apart`].
    fn alike(self) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut alike = BTreeSet::new();
        for member in self.community.iter().flat_map(|c| c.members()) {
            let key = crate::limits::reads_as(&member.shown_as());
            if !seen.insert(key.clone()) {
                alike.insert(key);
            }
        }
        alike
    }

    /// These names, telling apart the members who read as `alike`.
    fn telling_apart<'b>(self, alike: &'b BTreeSet<String>) -> Names<'b>
    where
        'a: 'b,
    {
        Names {
            community: self.community,
            alike: Some(alike),
        }
    }

    /// `member` as the rendering shows them.
    fn of(self, member: MemberId) -> String {
        let Some(shown) = self.community.and_then(|c| c.member(member)) else {
            return member.to_string();
        };
        let name = shown.shown_as();
        if shown.named == crate::community::Naming::Anonymous {
            return name;
        }
        let reads = crate::limits::reads_as(&name);
        match reads_as_an_id(&name) || self.alike.is_some_and(|a| a.contains(&reads)) {
            true => format!("{name} ({member})"),
            false => name,
        }
    }

    /// Whether the rendering's community counts `member` in `body`; `false` without it.
    fn in_body(self, body: &crate::community::BodyId, member: MemberId) -> bool {
        self.community
            .and_then(|c| c.body(body))
            .is_some_and(|b| b.contains(member))
    }

    /// `body` by its name when the rendering has the community, by id otherwise.
    fn body(self, body: &crate::community::BodyId) -> String {
        self.community
            .and_then(|c| c.body(body))
            .map_or_else(|| body.to_string(), |b| b.name.clone())
    }
}

/// Whether `name` reads as the way a rendering names a member by id (`m13`, `Member m13`,
/// `anonymous member m13`), or carries such an id among its words (`Staff 1 (m1)`), or
/// reads as the rendering's word for nobody named (`anonymous`): separators (`m-13`,
/// `m 13`), case and compatibility forms aside, and lookalike letters (`ml3`, `rn13`,
/// `м1`, a Cyrillic `З` for `3`), where a digit is written: a word that only looks like an
/// id without one (`Mo`, `Moll`, `Ml`) is taken as the name it is.
fn reads_as_an_id(name: &str) -> bool {
    use crate::limits::reads_as;
    let read = reads_as(name);
    if read == reads_as("anonymous") || read == reads_as("anonymous member") {
        return true;
    }
    let digits: String = (0..10).map(|d| reads_as(&d.to_string())).collect();
    let m = reads_as("m");
    // The runs of letters and digits, as written (a capital `I` reads as `l`, a small one
    // does not).
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // Each run of up to three words, read together: "m13", "m 13", "(m-1)", "rn1", "м1".
    (0..words.len()).any(|i| {
        (i + 1..=words.len().min(i + 3)).any(|j| {
            // The Cyrillic `м` and the small capital `ᴍ` read as `m` beside a digit, though
            // Unicode's confusables do not map them to it.
            let run = words.get(i..j).unwrap_or_default().concat();
            let run = run.replace(['\u{43c}', '\u{1d0d}'], "m");
            let plain = run
                .to_lowercase()
                .strip_prefix('m')
                .is_some_and(|rest| !rest.is_empty() && rest.chars().all(char::is_numeric));
            let looks = reads_as(&run).strip_prefix(m.as_str()).is_some_and(|rest| {
                !rest.is_empty() && rest.chars().all(|c| digits.contains(c) || c.is_numeric())
            });
            plain || (looks && run.chars().any(char::is_numeric))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::{Names, full_stop, reads_as_an_id, without_full_stop};
    use crate::community::{Community, Member, MemberId, Naming};

    /// Members who read alike (lookalike letters, which the community lets in, or shared
    /// initials) are named with their ids, as is one whose name reads as an id; the others
    /// by name alone.
    #[test]
    fn members_who_read_alike_or_as_an_id_are_named_with_their_ids() {
        let mut community = Community::new();
        let m = MemberId::new;
        for (id, name) in [
            (1, "Jo Smith"),
            (3, "J\u{043e} Smith"),
            (4, "Ada Byron King"),
            (5, "m13"),
            (6, "Anonymous member m7"),
            (8, "Alex Brown"),
            (9, "Amal Badawi"),
        ] {
            community.add_member(Member::new(m(id), name)).unwrap();
        }
        community
            .add_member(Member::new(m(7), "Sam Green").named(Naming::Anonymous))
            .unwrap();
        let mut initials = community.clone();
        for id in [8, 9] {
            let member = initials.remove_member(m(id)).unwrap();
            initials.add_member(member.named(Naming::Initials)).unwrap();
        }
        let names = Names::of_community(&community);
        let alike = names.alike();
        let names = names.telling_apart(&alike);
        let shown = |id| names.of(m(id));
        assert_eq!(shown(1), "Jo Smith (m1)");
        assert_eq!(shown(3), "J\u{043e} Smith (m3)");
        assert_eq!(shown(4), "Ada Byron King");
        assert_eq!(shown(5), "m13 (m5)");
        assert_eq!(shown(6), "Anonymous member m7 (m6)");
        assert_eq!(shown(7), "anonymous member m7");
        assert_eq!(shown(8), "Alex Brown");
        assert_eq!(shown(99), "m99");
        // Initials that two members share tell them apart too.
        let names = Names::of_community(&initials);
        let alike = names.alike();
        let names = names.telling_apart(&alike);
        assert_eq!(names.of(m(8)), "A. B. (m8)");
        assert_eq!(names.of(m(9)), "A. B. (m9)");
        // Without the community, every member is named by id.
        assert_eq!(Names::default().of(m(1)), "m1");
    }

    /// A name reads as an id whatever separates, folds or imitates its parts; a name that
    /// only begins with an `m` or holds a number does not.
    #[test]
    fn a_name_reads_as_an_id_through_separators_and_lookalikes() {
        for name in [
            "m13",
            "M13",
            "\u{ff4d}\u{ff11}\u{ff13}",
            "m\u{200b}13",
            "m 13",
            "m-13",
            "m.2",
            "ml3",
            "mI3",
            "rn13",
            "m1\u{0417}",
            "m\u{0661}\u{0663}",
            "Member m7",
            "anonymous member m7",
            "M\u{0435}mber m7",
            "\u{0430}nonymous member m7",
            "m7 Jones",
            "Staff 1 (m1)",
            "Jo Smith (m1)",
            "Jo Smith (\u{043c}1)",
            "Jo Smith (rn1)",
            "Jo Smith (m-1)",
            "Jo Smith (m 1)",
            "Jo Smith (m.1)",
            "Staff 1 m-1",
            "anonymous",
            "Anonymous",
            "anonymous member",
        ] {
            assert!(reads_as_an_id(name), "{name}");
        }
        for name in [
            "Mo Farah",
            "Molly",
            "Arnold",
            "Vernon",
            "Member 7",
            "Staff member 1",
            "Co-producer 2",
            "Emma",
            "Tom 2",
            "Ml",
            "Kim Mo",
            "Anna Mol",
            "Erik Moll",
            "Jo M. O'Neil",
            "Mary M. Lo",
            "Imran Malik",
            "\u{00c9}mile Martin",
            "Mohammed Ali",
            "Amal Badawi",
        ] {
            assert!(!reads_as_an_id(name), "{name}");
        }
    }

    #[test]
    fn a_sentence_ends_once_and_words_keep_their_punctuation() {
        assert_eq!(full_stop("Wait"), "Wait.");
        assert_eq!(full_stop("Wait."), "Wait.");
        assert_eq!(full_stop("Wait..."), "Wait...");
        assert_eq!(full_stop("Wait?"), "Wait?");
        assert_eq!(full_stop("Wait\u{2026}"), "Wait\u{2026}");
        assert_eq!(full_stop("They said \"wait.\""), "They said \"wait.\"");
        assert_eq!(without_full_stop("Wait."), "Wait");
        assert_eq!(without_full_stop("Wait..."), "Wait...");
        assert_eq!(without_full_stop("Wait"), "Wait");
        assert_eq!(without_full_stop("Wait!"), "Wait!");
    }
}
