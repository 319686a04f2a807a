//! "You said, we did" as Markdown.

use std::fmt;

use crate::cocreation::{FeedbackItem, ThemeAccount, WhatWeDid, YouSaidWeDid};
use crate::community::{Community, MemberId};

use super::{Names, full_stop, markdown_line};

/// Writes a [`YouSaidWeDid`] as Markdown, for a person to read and for a test to assert.
///
/// The text is stable: sections in a fixed order ("We asked", "You said, and what we did",
/// "Not carried by any theme"), themes and items in id order, dates as `YYYY-MM-DD` (UTC),
/// each item's text on one line. Anonymous items show as "anonymous"; others by member id, or
/// by name when a [`Community`] is given with [`with_names`](Self::with_names). The items no
/// theme carries always get their own section, so the report never drops one silently.
///
/// # Example
///
/// (In the source, each Markdown heading carries one extra `#`: rustdoc strips it.)
///
/// ```
/// use coproduction::cocreation::*;
/// use coproduction::community::MemberId;
///
/// let at: jiff::Timestamp = "2022-06-14T10:00:00Z".parse()?;
/// let s1 = SessionId::new(1);
/// let mut model = CoCreation::new();
/// let host = Facilitator::Member { member: MemberId::new(1) };
/// model.add_session(
///     Session::new(s1, SessionKind::OnlineBoard, "Comments board", at, host, "What is missing?")
///         .offering(WayToTakePart::Asynchronous),
/// )?;
/// model.add_item(FeedbackItem::anonymous(ItemId::new(1), s1, "Travel costs up front", at))?;
///
/// assert_eq!(model.you_said_we_did(s1)?.markdown().to_string(), "\
/// ## You said, we did: Comments board
///
/// Online board s1, 2022-06-14, facilitated by member m1.
/// Ways to take part: asynchronous.
/// Access requests: none.
///
/// ### We asked
///
/// What is missing?
///
/// ### You said, and what we did
///
/// No themes yet.
///
/// ### Not carried by any theme
///
/// These items are in no theme yet. They are kept and listed here so that no one's feedback is lost.
///
/// - i1 (anonymous): Travel costs up front
/// ");
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct YouSaidWeDidMarkdown<'a> {
    report: &'a YouSaidWeDid,
    names: Names<'a>,
}

impl<'a> YouSaidWeDidMarkdown<'a> {
    /// The Markdown for `report`, naming authors by member id.
    pub fn new(report: &'a YouSaidWeDid) -> Self {
        Self {
            report,
            names: Names::default(),
        }
    }

    /// Names authors as each asked to be named in `community`: their name, initials, or
    /// anonymously ([`Member::shown_as`](crate::community::Member::shown_as); by id where the
    /// community does not know them). A member who reads like another (lookalike letters,
    /// the same initials) or like an id is named with their id too.
    #[must_use]
    pub fn with_names(mut self, community: &'a Community) -> Self {
        self.names = Names::of_community(community);
        self
    }

    fn author(&self, author: Option<MemberId>) -> String {
        match author {
            None => "anonymous".to_owned(),
            Some(id) => self.names.of(id),
        }
    }

    fn item(&self, f: &mut fmt::Formatter<'_>, item: &FeedbackItem) -> fmt::Result {
        writeln!(
            f,
            "- {} ({}): {}",
            item.id,
            markdown_line(&self.author(item.author)),
            markdown_line(&item.text)
        )
    }

    fn theme(&self, f: &mut fmt::Formatter<'_>, account: &ThemeAccount) -> fmt::Result {
        let theme = &account.theme;
        writeln!(f, "### {}: {}", theme.id, markdown_line(&theme.title))?;
        writeln!(f)?;
        if !crate::limits::is_blank(&theme.summary) {
            writeln!(f, "{}", markdown_line(&theme.summary))?;
            writeln!(f)?;
        }
        writeln!(f, "You said:")?;
        writeln!(f)?;
        for item in &account.items {
            self.item(f, item)?;
        }
        match account.from_other_sessions {
            0 => {}
            1 => writeln!(f, "- and 1 item from another session")?,
            n => writeln!(f, "- and {n} items from other sessions")?,
        }
        writeln!(f)?;
        if !account.informed.is_empty() {
            let versions: Vec<String> = account
                .informed
                .iter()
                .map(|v| format!("{} ({})", v.id, markdown_line(&v.title)))
                .collect();
            writeln!(f, "This informed: {}.", versions.join(", "))?;
            writeln!(f)?;
        }
        if account.did.is_empty() {
            writeln!(f, "We did: nothing decided yet (pending).")?;
        } else {
            writeln!(f, "We did:")?;
            writeln!(f)?;
            for WhatWeDid { decision, outcome } in &account.did {
                writeln!(
                    f,
                    "- {} {} ({}): {}",
                    decision.id,
                    markdown_line(&decision.title),
                    decision.date.strftime("%Y-%m-%d"),
                    // The sentence ends here, whether or not the reason ended itself.
                    full_stop(&markdown_line(&outcome.to_string()))
                )?;
            }
        }
        writeln!(f)
    }
}

impl fmt::Display for YouSaidWeDidMarkdown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Members who read alike are told apart, once for the whole text.
        let alike = self.names.alike();
        YouSaidWeDidMarkdown {
            report: self.report,
            names: self.names.telling_apart(&alike),
        }
        .write(f)
    }
}

impl YouSaidWeDidMarkdown<'_> {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.report;
        let s = &r.session;
        writeln!(f, "# You said, we did: {}", markdown_line(&s.title))?;
        writeln!(f)?;
        writeln!(
            f,
            "{} {}, {}, facilitated by {}.",
            s.kind.words(),
            s.id,
            s.date.strftime("%Y-%m-%d"),
            // The facilitator is named by id, as the record holds it.
            s.facilitator
        )?;
        if s.ways.is_empty() {
            writeln!(f, "Ways to take part: none recorded.")?;
        } else {
            let ways: Vec<&str> = s.ways.iter().map(|w| w.label()).collect();
            writeln!(f, "Ways to take part: {}.", ways.join(", "))?;
        }
        if let Some(people) = s.attendance {
            writeln!(f, "People who took part: {people}.")?;
        }
        let requests = s.access_requests.len();
        let unmet = s.unmet_access_requests().count();
        match (requests, unmet) {
            (0, _) => writeln!(f, "Access requests: none.")?,
            (n, 0) => writeln!(f, "Access requests: {n}, all met before the session.")?,
            (n, u) => writeln!(f, "Access requests: {n}, {u} not met before the session.")?,
        }
        writeln!(f)?;
        writeln!(f, "## We asked")?;
        writeln!(f)?;
        writeln!(f, "{}", markdown_line(&s.question))?;
        writeln!(f)?;
        writeln!(f, "## You said, and what we did")?;
        writeln!(f)?;
        if r.themes.is_empty() {
            writeln!(f, "No themes yet.")?;
            writeln!(f)?;
        }
        for account in &r.themes {
            self.theme(f, account)?;
        }
        writeln!(f, "## Not carried by any theme")?;
        writeln!(f)?;
        if r.uncarried.is_empty() {
            writeln!(f, "Every item from this session is carried by a theme.")?;
        } else {
            writeln!(
                f,
                "These items are in no theme yet. They are kept and listed here so that no one's feedback is lost."
            )?;
            writeln!(f)?;
            for item in &r.uncarried {
                self.item(f, item)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{markdown_line, one_line};

    #[test]
    fn one_line_keeps_list_items_whole() {
        assert_eq!(one_line("a\n- b\t c  "), "a - b c");
    }

    #[test]
    fn markdown_line_shows_a_members_words_as_written() {
        for (text, written) in [
            ("\n\n# Heading", "\\# Heading"),
            ("A title #", "A title \\#"),
            ("<script>alert(1)</script>", "\\<script>alert(1)\\</script>"),
            ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
            ("- an item", "\\- an item"),
            ("1. a step", "1\\. a step"),
            ("*loud* and `code`", "\\*loud\\* and \\`code\\`"),
            ("&lt; and a & b", "\\&lt; and a & b"),
            ("> quoted", "\\> quoted"),
            ("amount_band, _emphasis_", "amount_band, \\_emphasis\\_"),
            ("Plain words, 2022-06-14.", "Plain words, 2022-06-14."),
        ] {
            assert_eq!(markdown_line(text), written, "{text:?}");
        }
    }
}
