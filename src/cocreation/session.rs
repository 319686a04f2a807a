//! Sessions and the feedback items they collect.

use std::collections::BTreeSet;
use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{ItemId, SessionId};
use crate::community::{AccessNeed, BodyId, MemberId};
use crate::names::names;

/// What kind of co-creation session it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SessionKind {
    /// A workshop: people meet (in a room or online) and talk it through.
    Workshop,
    /// An online board people add notes to in their own time.
    OnlineBoard,
    /// Written submissions: comments on a draft, by email or form.
    WrittenSubmissions,
    /// A survey.
    Survey,
    /// A meeting of a body, such as the Allies Group, giving its views.
    Meeting,
}

names! {
    SessionKind, shown by label;
    /// The stable `snake_case` name of the kind.
    label {
        Workshop => "workshop",
        OnlineBoard => "online_board",
        WrittenSubmissions => "written_submissions",
        Survey => "survey",
        Meeting => "meeting",
    }

    /// The kind in words, for reports ("online board").
    words {
        Workshop => "Workshop",
        OnlineBoard => "Online board",
        WrittenSubmissions => "Written submissions",
        Survey => "Survey",
        Meeting => "Meeting",
    }
}

/// A way of taking part that a session offers. Offering more than one lets people who cannot
/// come at a set time, or who find speaking in a group hard, still be heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WayToTakePart {
    /// Live, at a set time (in person or online).
    Live,
    /// In writing.
    Written,
    /// Asynchronously, in one's own time over a window (an online board, a comment period).
    Asynchronous,
}

names! {
    WayToTakePart, shown by label;
    /// The stable `snake_case` name.
    label {
        Live => "live",
        Written => "written",
        Asynchronous => "asynchronous",
    }
}

/// Who facilitates a session: a body or one member.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Facilitator {
    /// A body, such as a project's co-production team.
    Body {
        /// The body.
        body: BodyId,
    },
    /// One member.
    Member {
        /// The member.
        member: MemberId,
    },
}

impl fmt::Display for Facilitator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Facilitator::Body { body } => write!(f, "body `{body}`"),
            Facilitator::Member { member } => write!(f, "member {member}"),
        }
    }
}

/// A member's request for an access need to be met, and whether it was met before the
/// session. Inclusive practice asks that it was: a need met halfway through a workshop has
/// already shut someone out of the first half.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionAccessRequest {
    /// Who asked.
    pub member: MemberId,
    /// What they asked for.
    pub need: AccessNeed,
    /// Whether it was met before the session began.
    pub met_before_session: bool,
}

/// A co-creation session: a workshop, an online board, a call for written comments.
///
/// The question is the "we asked" of "we asked, you said, we did".
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// The session's id.
    pub id: SessionId,
    /// What kind of session.
    pub kind: SessionKind,
    /// Its title; must not be blank.
    pub title: String,
    /// When it took place (or opened, for a board or a comment window).
    pub date: Timestamp,
    /// Who facilitated it.
    pub facilitator: Facilitator,
    /// The question put to people; must not be blank.
    pub question: String,
    /// The ways to take part that were offered.
    #[serde(default)]
    pub ways: BTreeSet<WayToTakePart>,
    /// Access requests and whether each was met before the session.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_requests: Vec<SessionAccessRequest>,
    /// How many people took part, counted by the facilitator (attested: most who take part
    /// are not members the engine knows); `None` when nobody counted.
    pub attendance: Option<u32>,
}

impl Session {
    /// A session offering no ways to take part yet and with no access requests.
    pub fn new(
        id: SessionId,
        kind: SessionKind,
        title: impl Into<String>,
        date: Timestamp,
        facilitator: Facilitator,
        question: impl Into<String>,
    ) -> Self {
        Self {
            id,
            kind,
            title: title.into(),
            date,
            facilitator,
            question: question.into(),
            ways: BTreeSet::new(),
            access_requests: Vec::new(),
            attendance: None,
        }
    }

    /// Records how many people took part.
    #[must_use]
    pub fn with_attendance(mut self, people: u32) -> Self {
        self.attendance = Some(people);
        self
    }

    /// Offers a way to take part.
    #[must_use]
    pub fn offering(mut self, way: WayToTakePart) -> Self {
        self.ways.insert(way);
        self
    }

    /// Records an access request and whether it was met before the session.
    #[must_use]
    pub fn with_access_request(
        mut self,
        member: MemberId,
        need: AccessNeed,
        met_before_session: bool,
    ) -> Self {
        self.access_requests.push(SessionAccessRequest {
            member,
            need,
            met_before_session,
        });
        self
    }

    /// The access requests that were not met before the session.
    pub fn unmet_access_requests(&self) -> impl Iterator<Item = &SessionAccessRequest> + '_ {
        self.access_requests
            .iter()
            .filter(|r| !r.met_before_session)
    }
}

/// One piece of feedback from a session: a sticky note, a comment, a remark minuted in a
/// workshop. The author may stay anonymous; the item is kept either way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackItem {
    /// The item's id.
    pub id: ItemId,
    /// The session it was given in.
    pub session: SessionId,
    /// What was said, in the person's words; must not be blank.
    pub text: String,
    /// Who said it, or `None` when given anonymously.
    #[serde(default)]
    pub author: Option<MemberId>,
    /// When it was given.
    pub at: Timestamp,
}

impl FeedbackItem {
    /// An anonymous item.
    pub fn anonymous(
        id: ItemId,
        session: SessionId,
        text: impl Into<String>,
        at: Timestamp,
    ) -> Self {
        Self {
            id,
            session,
            text: text.into(),
            author: None,
            at,
        }
    }

    /// An item by `author`.
    pub fn by(
        id: ItemId,
        session: SessionId,
        author: MemberId,
        text: impl Into<String>,
        at: Timestamp,
    ) -> Self {
        Self {
            author: Some(author),
            ..Self::anonymous(id, session, text, at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::AccessNeedKind;

    fn at() -> Timestamp {
        "2022-06-14T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn unmet_access_requests_are_the_ones_not_met_before() {
        let s = Session::new(
            SessionId::new(1),
            SessionKind::Workshop,
            "W",
            at(),
            Facilitator::Member {
                member: MemberId::new(1),
            },
            "Q?",
        )
        .offering(WayToTakePart::Live)
        .with_access_request(
            MemberId::new(2),
            AccessNeed::new(AccessNeedKind::Captions),
            true,
        )
        .with_access_request(
            MemberId::new(3),
            AccessNeed::new(AccessNeedKind::EasyRead),
            false,
        );
        let unmet: Vec<MemberId> = s.unmet_access_requests().map(|r| r.member).collect();
        assert_eq!(unmet, vec![MemberId::new(3)]);
    }

    #[test]
    fn strict_json() {
        let f = Facilitator::Body {
            body: BodyId::new("team").unwrap(),
        };
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            r#"{"type":"body","body":"team"}"#
        );
        assert!(
            serde_json::from_str::<Facilitator>(r#"{"type":"member","member":1,"x":2}"#).is_err()
        );
        let item = FeedbackItem::anonymous(ItemId::new(1), SessionId::new(1), "hi", at());
        let json = serde_json::to_string(&item).unwrap();
        assert_eq!(serde_json::from_str::<FeedbackItem>(&json).unwrap(), item);
        let junk = json.replace("}", r#","mood":"ok"}"#);
        assert!(serde_json::from_str::<FeedbackItem>(&junk).is_err());
        assert!(serde_json::from_str::<WayToTakePart>(r#""telepathy""#).is_err());
    }
}
