//! Human outputs from the record: Markdown a person can read and a test can assert.
//!
//! Each report is a `Display` adapter over a value a query returned, so it does no I/O and
//! the same value always gives the same text. So far: [`YouSaidWeDidMarkdown`], the "we
//! asked, you said, we did" of one co-creation session, and [`DecisionRecordMarkdown`], a
//! decision record with its value verdicts, findings and overrides.
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
mod you_said_we_did;

pub use decision_record::DecisionRecordMarkdown;
pub use you_said_we_did::YouSaidWeDidMarkdown;

use crate::community::{Community, MemberId};

/// `text` on one line, its runs of white space (line breaks included) made single spaces,
/// so that a member's words cannot break the list item they stand in.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How a rendering names members: as each asked ([`Member::shown_as`]) when it has the
/// community, by id otherwise.
///
/// [`Member::shown_as`]: crate::community::Member::shown_as
#[derive(Debug, Clone, Copy, Default)]
struct Names<'a>(Option<&'a Community>);

impl Names<'_> {
    /// `member` as the rendering shows them.
    fn of(self, member: MemberId) -> String {
        self.0
            .and_then(|c| c.member(member))
            .map_or_else(|| member.to_string(), crate::community::Member::shown_as)
    }
}
