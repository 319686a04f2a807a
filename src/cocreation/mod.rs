//! Co-creation and the provenance of feedback: how what people said becomes an agreement,
//! with every piece of feedback traceable.
//!
//! A [`Session`] (a workshop, an online board, a call for written comments) asks a question
//! and collects [`FeedbackItem`]s, each by a member or anonymous. [`Theme`]s group items (an
//! item may sit in several); themes inform [`VersionEntry`]s; versions lead to
//! [`Decision`]s; and for each theme that informed it, a decision records a [`ThemeOutcome`]:
//! adopted as proposed, adapted (how), not taken forward (why), or pending.
//!
//! All of it lives in one [`CoCreation`] model, a petgraph DAG with information flowing from
//! session to item to theme to proposal version to decision. Queries read it:
//!
//! - [`CoCreation::informed`]: everything upstream of a decision;
//! - [`CoCreation::uncarried`] and [`CoCreation::uncarried_in`]: the items no theme carries,
//!   the detail summarising would otherwise lose;
//! - [`CoCreation::you_said_we_did`]: for one session, the question, each theme with the
//!   items behind it and what became of it, and the items no theme carries, so that nothing
//!   disappears silently. [`crate::report::YouSaidWeDidMarkdown`] writes it as Markdown.
//!
//! Every change is checked first: a duplicate id, a blank title, a link to a missing node, a
//! link that would close a cycle, an item dated before its session, or a link that would
//! have a decision answer feedback given after it (a session or item dated later than a
//! decision it would lead to, whichever link comes last) is a [`CoCreationError`] and
//! changes nothing. The model serialises to strict JSON, and reading it back runs the same
//! checks. [`CoCreation::check_authors`] checks the items' authors against a community.
//!
//! # Example
//!
//! Two items from a workshop; one is carried into a theme that informed a draft, the other
//! is in no theme and is reported as such.
//!
//! ```
//! use coproduction::cocreation::*;
//! use coproduction::community::{BodyId, MemberId};
//!
//! let june: jiff::Timestamp = "2022-06-14T10:00:00Z".parse()?;
//! let (s1, i1, i2, t1) = (SessionId::new(1), ItemId::new(1), ItemId::new(2), ThemeId::new(1));
//! let v1 = VersionId::new(ProposalId::new(1), VersionNumber::new(1));
//! let d1 = DecisionId::new(1);
//!
//! let mut model = CoCreation::new();
//! let team = Facilitator::Body { body: BodyId::new("coproduction_team")? };
//! model.add_session(
//!     Session::new(s1, SessionKind::Workshop, "Roles workshop", june, team, "What should the new roles look like?")
//!         .offering(WayToTakePart::Live)
//!         .offering(WayToTakePart::Written),
//! )?;
//! model.add_item(FeedbackItem::by(i1, s1, MemberId::new(3), "Advertise the roles widely", june))?;
//! model.add_item(FeedbackItem::anonymous(i2, s1, "Meet somewhere with parking", june))?;
//! model.add_theme(Theme::new(t1, "Open and fair recruitment", "Reach people beyond the usual networks."))?;
//! model.add_version(VersionEntry::new(v1, "Draft working model"))?;
//! model.add_decision(Decision::new(d1, "Recruit a first wave", june))?;
//! model.link(Link::Carries { theme: t1, item: i1 })?;
//! model.link(Link::Informs { theme: t1, version: v1 })?;
//! model.link(Link::LeadsTo { version: v1, decision: d1 })?;
//! model.record_outcome(d1, t1, ThemeOutcome::AdoptedAsProposed)?;
//!
//! assert_eq!(model.uncarried(), vec![i2]);
//! assert_eq!(model.informed(d1)?.items, vec![i1]);
//! let ours = model.you_said_we_did(s1)?;
//! assert_eq!(ours.themes[0].did[0].outcome, ThemeOutcome::AdoptedAsProposed);
//! assert_eq!(ours.uncarried[0].id, i2);
//!
//! let json = serde_json::to_string(&model)?;
//! assert_eq!(serde_json::from_str::<CoCreation>(&json)?, model);
//! # Ok::<(), coproduction::Error>(())
//! ```

mod error;
pub(crate) mod ids;
mod model;
mod outcome;
mod provenance;
mod session;
mod you_said;

pub use error::CoCreationError;
pub use ids::{DecisionId, ItemId, Node, ProposalId, SessionId, ThemeId, VersionId, VersionNumber};
pub use model::{CoCreation, Decision, Link, Theme, ThemeOutcomeRecord, VersionEntry};
pub use outcome::{InvalidThemeOutcome, ThemeOutcome};
pub use provenance::Provenance;
pub use session::{
    Facilitator, FeedbackItem, Session, SessionAccessRequest, SessionKind, WayToTakePart,
};
pub use you_said::{ThemeAccount, WhatWeDid, YouSaidWeDid};
