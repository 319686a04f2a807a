//! The co-creation model: sessions, items, themes, proposal versions and decisions, and the
//! links between them, kept as a petgraph DAG.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use jiff::Timestamp;
use petgraph::Direction;
use petgraph::algo::has_path_connecting;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use serde::{Deserialize, Serialize};

use super::{
    CoCreationError, DecisionId, FeedbackItem, ItemId, Node, Session, SessionId, ThemeId,
    ThemeOutcome, VersionId,
};
use crate::community::Community;

/// A theme: what several items have in common, summarised. An item may sit in several
/// themes; which items a theme carries is recorded with [`Link::Carries`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// The theme's id.
    pub id: ThemeId,
    /// A short title; must not be blank.
    pub title: String,
    /// The summary in a few sentences.
    #[serde(default)]
    pub summary: String,
}

impl Theme {
    /// A theme with a title and summary.
    pub fn new(id: ThemeId, title: impl Into<String>, summary: impl Into<String>) -> Self {
        Self {
            id,
            title: title.into(),
            summary: summary.into(),
        }
    }
}

/// One version of a proposal, as far as provenance needs it: its id and title. The proposal
/// process keeps the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionEntry {
    /// The proposal and version number.
    pub id: VersionId,
    /// Its title; must not be blank.
    pub title: String,
}

impl VersionEntry {
    /// A proposal version with a title.
    pub fn new(id: VersionId, title: impl Into<String>) -> Self {
        Self {
            id,
            title: title.into(),
        }
    }
}

/// A decision that proposal versions lead to, as far as provenance needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The decision's id.
    pub id: DecisionId,
    /// What was decided, in a line; must not be blank.
    pub title: String,
    /// When it was decided.
    pub date: Timestamp,
}

impl Decision {
    /// A decision with a title and date.
    pub fn new(id: DecisionId, title: impl Into<String>, date: Timestamp) -> Self {
        Self {
            id,
            title: title.into(),
            date,
        }
    }
}

/// A link in the provenance graph, from where information comes to where it goes. Each
/// variant joins two kinds of node, so a link of the wrong kinds cannot be written.
///
/// An item belongs to its session from the start (the item names it); every other link is
/// added with [`CoCreation::link`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Link {
    /// The theme carries the item: the item is one of the things the theme summarises.
    Carries {
        /// The theme.
        theme: ThemeId,
        /// The item.
        item: ItemId,
    },
    /// The theme informed the proposal version.
    Informs {
        /// The theme.
        theme: ThemeId,
        /// The proposal version.
        version: VersionId,
    },
    /// The proposal version led to the decision.
    LeadsTo {
        /// The proposal version.
        version: VersionId,
        /// The decision.
        decision: DecisionId,
    },
    /// `version` amends `previous`: the record keeps both, linked.
    Amends {
        /// The earlier version.
        previous: VersionId,
        /// The amending version.
        version: VersionId,
    },
    /// The proposal version was drawn up after the decision, as a reassessment after a pilot
    /// is drawn up after the decision to pilot.
    Follows {
        /// The earlier decision.
        decision: DecisionId,
        /// The later version.
        version: VersionId,
    },
}

impl Link {
    /// The link's ends, `(from, to)`, in the direction information flows.
    pub fn endpoints(self) -> (Node, Node) {
        match self {
            Link::Carries { theme, item } => (Node::Item(item), Node::Theme(theme)),
            Link::Informs { theme, version } => (Node::Theme(theme), Node::Version(version)),
            Link::LeadsTo { version, decision } => {
                (Node::Version(version), Node::Decision(decision))
            }
            Link::Amends { previous, version } => (Node::Version(previous), Node::Version(version)),
            Link::Follows { decision, version } => {
                (Node::Decision(decision), Node::Version(version))
            }
        }
    }
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Link::Carries { theme, item } => write!(f, "{theme} carries {item}"),
            Link::Informs { theme, version } => write!(f, "{theme} informs {version}"),
            Link::LeadsTo { version, decision } => write!(f, "{version} leads to {decision}"),
            Link::Amends { previous, version } => write!(f, "{version} amends {previous}"),
            Link::Follows { decision, version } => write!(f, "{version} follows {decision}"),
        }
    }
}

/// A co-creation record: every session, feedback item, theme, proposal version and decision,
/// the links between them, and what each decision did with each theme that informed it.
///
/// The model is the single owner of this data; queries such as
/// [`informed`](CoCreation::informed), [`uncarried`](CoCreation::uncarried) and
/// [`you_said_we_did`](CoCreation::you_said_we_did) read it. Links always run from session
/// to item to theme to proposal version to decision (and on from a decision to a later
/// version), and the graph stays acyclic: a link that would close a cycle, or that names a
/// missing node, is refused and changes nothing. Links also run forward in time: no item is
/// dated before its session, and no decision is dated before a session or item that leads to
/// it, so a decision never answers feedback given after it.
///
/// Serialised as `{"sessions": [...], "items": [...], "themes": [...],
/// "proposal_versions": [...], "decisions": [...], "links": [...], "outcomes": [...]}`;
/// reading it back runs every check again, so a JSON model with a dangling link or a cycle is
/// refused with the same [`CoCreationError`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(try_from = "CoCreationData", into = "CoCreationData")]
pub struct CoCreation {
    pub(super) sessions: BTreeMap<SessionId, Session>,
    pub(super) items: BTreeMap<ItemId, FeedbackItem>,
    pub(super) themes: BTreeMap<ThemeId, Theme>,
    pub(super) versions: BTreeMap<VersionId, VersionEntry>,
    pub(super) decisions: BTreeMap<DecisionId, Decision>,
    pub(super) links: BTreeSet<Link>,
    pub(super) outcomes: BTreeMap<(DecisionId, ThemeId), ThemeOutcome>,
    /// An index over the data above, rebuilt as it changes; never the owner of anything.
    pub(super) graph: StableDiGraph<Node, ()>,
    pub(super) index: BTreeMap<Node, NodeIndex>,
}

impl PartialEq for CoCreation {
    fn eq(&self, other: &Self) -> bool {
        // The graph is an index over the rest, so equal data means equal models.
        self.sessions == other.sessions
            && self.items == other.items
            && self.themes == other.themes
            && self.versions == other.versions
            && self.decisions == other.decisions
            && self.links == other.links
            && self.outcomes == other.outcomes
    }
}

impl Eq for CoCreation {}

/// What a decision did with one theme, as recorded in the wire form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeOutcomeRecord {
    /// The decision.
    pub decision: DecisionId,
    /// The theme.
    pub theme: ThemeId,
    /// What the decision did with it.
    pub outcome: ThemeOutcome,
}

/// The wire shape of a [`CoCreation`]; private so that only checked models escape.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CoCreationData {
    #[serde(default)]
    sessions: Vec<Session>,
    #[serde(default)]
    items: Vec<FeedbackItem>,
    #[serde(default)]
    themes: Vec<Theme>,
    #[serde(default)]
    proposal_versions: Vec<VersionEntry>,
    #[serde(default)]
    decisions: Vec<Decision>,
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default)]
    outcomes: Vec<ThemeOutcomeRecord>,
}

impl TryFrom<CoCreationData> for CoCreation {
    type Error = CoCreationError;

    fn try_from(data: CoCreationData) -> Result<Self, Self::Error> {
        let mut model = CoCreation::new();
        for session in data.sessions {
            model.add_session(session)?;
        }
        for item in data.items {
            model.add_item(item)?;
        }
        for theme in data.themes {
            model.add_theme(theme)?;
        }
        for version in data.proposal_versions {
            model.add_version(version)?;
        }
        for decision in data.decisions {
            model.add_decision(decision)?;
        }
        for link in data.links {
            model.link(link)?;
        }
        for record in data.outcomes {
            if let Some(existing) = model.outcomes.get(&(record.decision, record.theme)) {
                // Twice in one record is a contradiction, even if the first was pending.
                return Err(CoCreationError::ThemeOutcomeRecorded {
                    decision: record.decision,
                    theme: record.theme,
                    existing: existing.clone(),
                });
            }
            model.record_outcome(record.decision, record.theme, record.outcome)?;
        }
        Ok(model)
    }
}

impl From<CoCreation> for CoCreationData {
    fn from(model: CoCreation) -> Self {
        Self {
            sessions: model.sessions.into_values().collect(),
            items: model.items.into_values().collect(),
            themes: model.themes.into_values().collect(),
            proposal_versions: model.versions.into_values().collect(),
            decisions: model.decisions.into_values().collect(),
            links: model.links.into_iter().collect(),
            outcomes: model
                .outcomes
                .into_iter()
                .map(|((decision, theme), outcome)| ThemeOutcomeRecord {
                    decision,
                    theme,
                    outcome,
                })
                .collect(),
        }
    }
}

fn not_blank(text: &str, node: Node, field: &'static str) -> Result<(), CoCreationError> {
    if crate::limits::is_blank(text) {
        Err(CoCreationError::Blank { node, field })
    } else {
        Ok(())
    }
}

impl CoCreation {
    /// An empty model.
    pub fn new() -> Self {
        Self::default()
    }

    fn check_new(&self, node: Node) -> Result<(), CoCreationError> {
        if self.index.contains_key(&node) {
            Err(CoCreationError::Duplicate { node })
        } else {
            Ok(())
        }
    }

    fn insert_node(&mut self, node: Node) -> NodeIndex {
        let ix = self.graph.add_node(node);
        self.index.insert(node, ix);
        ix
    }

    /// Adds `node` to the graph, if it is new and none of its `texts` (each with its
    /// field's name) is blank.
    fn add_node(
        &mut self,
        node: Node,
        texts: &[(&str, &'static str)],
    ) -> Result<NodeIndex, CoCreationError> {
        self.check_new(node)?;
        for (text, field) in texts {
            not_blank(text, node, field)?;
        }
        Ok(self.insert_node(node))
    }

    /// Adds a session.
    ///
    /// # Errors
    ///
    /// [`CoCreationError::Duplicate`] if the id is taken, [`CoCreationError::Blank`] if the
    /// title or question is blank.
    pub fn add_session(&mut self, session: Session) -> Result<(), CoCreationError> {
        self.add_node(
            Node::Session(session.id),
            &[(&session.title, "title"), (&session.question, "question")],
        )?;
        self.sessions.insert(session.id, session);
        Ok(())
    }

    /// Adds a feedback item to its session.
    ///
    /// # Errors
    ///
    /// [`CoCreationError::Duplicate`], [`CoCreationError::Blank`] if the text is blank,
    /// [`CoCreationError::ItemForUnknownSession`], or [`CoCreationError::ItemBeforeSession`]
    /// if the item is dated before its session.
    pub fn add_item(&mut self, item: FeedbackItem) -> Result<(), CoCreationError> {
        let node = Node::Item(item.id);
        self.check_new(node)?;
        not_blank(&item.text, node, "text")?;
        let (Some(session), Some(&held_at)) = (
            self.sessions.get(&item.session),
            self.index.get(&Node::Session(item.session)),
        ) else {
            return Err(CoCreationError::ItemForUnknownSession {
                item: item.id,
                session: item.session,
            });
        };
        // Feedback is given at or after the session that asked for it.
        if item.at < session.date {
            return Err(CoCreationError::ItemBeforeSession {
                item: item.id,
                at: item.at,
                session: item.session,
                held: session.date,
            });
        }
        let ix = self.insert_node(node);
        self.graph.add_edge(held_at, ix, ());
        self.items.insert(item.id, item);
        Ok(())
    }

    /// Adds a theme; link the items it carries with [`Link::Carries`].
    ///
    /// # Errors
    ///
    /// [`CoCreationError::Duplicate`], or [`CoCreationError::Blank`] if the title is blank.
    pub fn add_theme(&mut self, theme: Theme) -> Result<(), CoCreationError> {
        self.add_node(Node::Theme(theme.id), &[(&theme.title, "title")])?;
        self.themes.insert(theme.id, theme);
        Ok(())
    }

    /// Adds a proposal version.
    ///
    /// # Errors
    ///
    /// [`CoCreationError::Duplicate`], or [`CoCreationError::Blank`] if the title is blank.
    pub fn add_version(&mut self, version: VersionEntry) -> Result<(), CoCreationError> {
        self.add_node(Node::Version(version.id), &[(&version.title, "title")])?;
        self.versions.insert(version.id, version);
        Ok(())
    }

    /// Adds a decision.
    ///
    /// # Errors
    ///
    /// [`CoCreationError::Duplicate`], or [`CoCreationError::Blank`] if the title is blank.
    pub fn add_decision(&mut self, decision: Decision) -> Result<(), CoCreationError> {
        self.add_node(Node::Decision(decision.id), &[(&decision.title, "title")])?;
        self.decisions.insert(decision.id, decision);
        Ok(())
    }

    /// Adds a link.
    ///
    /// # Errors
    ///
    /// [`CoCreationError::UnknownNode`] if an end is not in the model,
    /// [`CoCreationError::LinkExists`], [`CoCreationError::Cycle`] if the target already
    /// leads to the source, or [`CoCreationError::DecisionBeforeFeedback`] if the link would
    /// put a session or item upstream of a decision dated before it. The model is unchanged.
    ///
    /// The time order is checked whichever order the links come in: a theme carrying one
    /// more item after it already informs a decided version is checked against that
    /// decision, as a version leading to a decision is checked against every item and
    /// session behind it.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::cocreation::{
    ///     CoCreation, CoCreationError, Decision, DecisionId, Link, ProposalId,
    ///     VersionEntry, VersionNumber, VersionId,
    /// };
    ///
    /// let mut model = CoCreation::new();
    /// let v1 = VersionId::new(ProposalId::new(1), VersionNumber::new(1));
    /// let v2 = VersionId::new(ProposalId::new(1), VersionNumber::new(2));
    /// let d1 = DecisionId::new(1);
    /// model.add_version(VersionEntry::new(v1, "Draft working model"))?;
    /// model.add_version(VersionEntry::new(v2, "Working model after the pilot"))?;
    /// model.add_decision(Decision::new(d1, "Pilot the working model", "2022-12-01T12:00:00Z".parse()?))?;
    /// model.link(Link::LeadsTo { version: v1, decision: d1 })?;
    /// model.link(Link::Follows { decision: d1, version: v2 })?;
    ///
    /// // v2 comes after d1, which v1 led to: v1 cannot amend v2.
    /// let cycle = Link::Amends { previous: v2, version: v1 };
    /// assert_eq!(model.link(cycle), Err(CoCreationError::Cycle { link: cycle }));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn link(&mut self, link: Link) -> Result<(), CoCreationError> {
        let (from, to) = link.endpoints();
        let ix = |node: Node| {
            self.index
                .get(&node)
                .copied()
                .ok_or(CoCreationError::UnknownNode {
                    link,
                    missing: node,
                })
        };
        let (a, b) = (ix(from)?, ix(to)?);
        if self.links.contains(&link) {
            return Err(CoCreationError::LinkExists { link });
        }
        // A DAG keeps "what informed what" meaningful: nothing can have informed itself.
        if a == b || has_path_connecting(&self.graph, b, a, None) {
            return Err(CoCreationError::Cycle { link });
        }
        self.check_time_order(link, from, to)?;
        self.graph.add_edge(a, b, ());
        self.links.insert(link);
        Ok(())
    }

    /// When the feedback at `node` was given: a session's date or an item's; `None` for
    /// the other kinds of node.
    fn given(&self, node: Node) -> Option<Timestamp> {
        match node {
            Node::Session(id) => self.sessions.get(&id).map(|s| s.date),
            Node::Item(id) => self.items.get(&id).map(|i| i.at),
            Node::Theme(_) | Node::Version(_) | Node::Decision(_) => None,
        }
    }

    /// Refuses `link`, from `from` to `to`, if it would put a session or item upstream of a
    /// decision dated before it. Every path the link makes runs from `from` or a node before
    /// it to `to` or a node after it, so the earliest decision from `to` on is checked
    /// against every session and item up to `from`, naming the earliest dated after it.
    fn check_time_order(&self, link: Link, from: Node, to: Node) -> Result<(), CoCreationError> {
        let earliest_decision = std::iter::once(to)
            .chain(self.reach(to, Direction::Outgoing))
            .filter_map(|node| match node {
                Node::Decision(id) => self.decisions.get(&id).map(|d| (d.date, id)),
                _ => None,
            })
            .min();
        let Some((decided, decision)) = earliest_decision else {
            return Ok(());
        };
        let later = std::iter::once(from)
            .chain(self.reach(from, Direction::Incoming))
            .filter_map(|node| {
                self.given(node)
                    .filter(|&given| given > decided)
                    .map(|given| (given, node))
            })
            .min();
        match later {
            None => Ok(()),
            Some((given, feedback)) => Err(CoCreationError::DecisionBeforeFeedback {
                link,
                decision,
                decided,
                feedback,
                given,
            }),
        }
    }

    /// Records what `decision` did with `theme`. A pending outcome may later be replaced by
    /// a settled one; a settled outcome stays as recorded.
    ///
    /// The theme must already lead to the decision, and every link on the way was checked
    /// for time order as it was added, so no outcome can have a decision answer feedback
    /// given after it.
    ///
    /// # Errors
    ///
    /// [`CoCreationError::UnknownDecision`], [`CoCreationError::ThemeDidNotInform`] if the
    /// theme does not lead to the decision, [`CoCreationError::ThemeOutcomeRecorded`] if a
    /// settled outcome is already recorded, or [`CoCreationError::InvalidThemeOutcome`] if the
    /// reason or description is blank.
    pub fn record_outcome(
        &mut self,
        decision: DecisionId,
        theme: ThemeId,
        outcome: ThemeOutcome,
    ) -> Result<(), CoCreationError> {
        let d = *self
            .index
            .get(&Node::Decision(decision))
            .ok_or(CoCreationError::UnknownDecision { decision })?;
        let informed = self
            .index
            .get(&Node::Theme(theme))
            .is_some_and(|&t| has_path_connecting(&self.graph, t, d, None));
        if !informed {
            return Err(CoCreationError::ThemeDidNotInform { decision, theme });
        }
        let outcome =
            outcome
                .validated()
                .map_err(|source| CoCreationError::InvalidThemeOutcome {
                    decision,
                    theme,
                    source,
                })?;
        match self.outcomes.get(&(decision, theme)) {
            Some(existing) if *existing != ThemeOutcome::Pending => {
                return Err(CoCreationError::ThemeOutcomeRecorded {
                    decision,
                    theme,
                    existing: existing.clone(),
                });
            }
            _ => {}
        }
        self.outcomes.insert((decision, theme), outcome);
        Ok(())
    }

    /// The session with this id.
    pub fn session(&self, id: SessionId) -> Option<&Session> {
        self.sessions.get(&id)
    }

    /// The item with this id.
    pub fn item(&self, id: ItemId) -> Option<&FeedbackItem> {
        self.items.get(&id)
    }

    /// The theme with this id.
    pub fn theme(&self, id: ThemeId) -> Option<&Theme> {
        self.themes.get(&id)
    }

    /// The proposal version with this id.
    pub fn version(&self, id: VersionId) -> Option<&VersionEntry> {
        self.versions.get(&id)
    }

    /// The decision with this id.
    pub fn decision(&self, id: DecisionId) -> Option<&Decision> {
        self.decisions.get(&id)
    }

    /// Every session, by id.
    pub fn sessions(&self) -> impl ExactSizeIterator<Item = &Session> + '_ {
        self.sessions.values()
    }

    /// Every item, by id.
    pub fn items(&self) -> impl ExactSizeIterator<Item = &FeedbackItem> + '_ {
        self.items.values()
    }

    /// Every theme, by id.
    pub fn themes(&self) -> impl ExactSizeIterator<Item = &Theme> + '_ {
        self.themes.values()
    }

    /// Every link, in a fixed order.
    pub fn links(&self) -> impl ExactSizeIterator<Item = Link> + '_ {
        self.links.iter().copied()
    }

    /// Checks that every item's author is a member of `community`. Anonymous items have
    /// no author to check.
    ///
    /// # Errors
    ///
    /// [`CoCreationError::AuthorNotMember`] for the first item, in id order, whose author
    /// `community` does not hold.
    pub fn check_authors(&self, community: &Community) -> Result<(), CoCreationError> {
        let stranger = self.items.values().find_map(|item| {
            item.author
                .filter(|&author| community.member(author).is_none())
                .map(|author| (item.id, author))
        });
        match stranger {
            None => Ok(()),
            Some((item, author)) => Err(CoCreationError::AuthorNotMember { item, author }),
        }
    }

    /// What `decision` did with `theme`, if recorded.
    pub fn outcome(&self, decision: DecisionId, theme: ThemeId) -> Option<&ThemeOutcome> {
        self.outcomes.get(&(decision, theme))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cocreation::{Facilitator, ProposalId, SessionKind, VersionNumber};
    use crate::community::MemberId;

    fn at() -> Timestamp {
        "2022-06-14T10:00:00Z".parse().unwrap()
    }

    fn v(n: u32) -> VersionId {
        VersionId::new(ProposalId::new(1), VersionNumber::new(n))
    }

    fn small() -> CoCreation {
        let mut m = CoCreation::new();
        m.add_session(Session::new(
            SessionId::new(1),
            SessionKind::Workshop,
            "Workshop",
            at(),
            Facilitator::Member {
                member: MemberId::new(1),
            },
            "What matters?",
        ))
        .unwrap();
        m.add_item(FeedbackItem::anonymous(
            ItemId::new(1),
            SessionId::new(1),
            "pay people",
            at(),
        ))
        .unwrap();
        m.add_theme(Theme::new(ThemeId::new(1), "Fair pay", ""))
            .unwrap();
        m.add_version(VersionEntry::new(v(1), "Draft")).unwrap();
        m.add_decision(Decision::new(DecisionId::new(1), "Pilot", at()))
            .unwrap();
        m
    }

    #[test]
    fn refused_changes_name_the_ids_and_change_nothing() {
        let mut m = small();
        let before = m.clone();
        let item = FeedbackItem::anonymous(ItemId::new(2), SessionId::new(9), "x", at());
        assert_eq!(
            m.add_item(item),
            Err(CoCreationError::ItemForUnknownSession {
                item: ItemId::new(2),
                session: SessionId::new(9)
            })
        );
        let blank = FeedbackItem::anonymous(ItemId::new(2), SessionId::new(1), " ", at());
        assert_eq!(
            m.add_item(blank).unwrap_err().to_string(),
            "cannot add item i2: its text is blank"
        );
        assert_eq!(
            m.add_theme(Theme::new(ThemeId::new(1), "again", ""))
                .unwrap_err()
                .to_string(),
            "cannot add theme t1: it is already in the model"
        );
        let dangling = Link::Carries {
            theme: ThemeId::new(7),
            item: ItemId::new(1),
        };
        assert_eq!(
            m.link(dangling).unwrap_err().to_string(),
            "cannot link `t7 carries i1`: theme t7 is not in the model"
        );
        assert_eq!(
            m.record_outcome(
                DecisionId::new(1),
                ThemeId::new(1),
                ThemeOutcome::AdoptedAsProposed
            ),
            Err(CoCreationError::ThemeDidNotInform {
                decision: DecisionId::new(1),
                theme: ThemeId::new(1)
            })
        );
        assert_eq!(m, before);
        assert_eq!(m.graph.edge_count(), 1);
    }

    #[test]
    fn cycles_are_refused_with_their_ends() {
        let mut m = small();
        m.add_version(VersionEntry::new(v(2), "Second")).unwrap();
        m.link(Link::LeadsTo {
            version: v(1),
            decision: DecisionId::new(1),
        })
        .unwrap();
        m.link(Link::Follows {
            decision: DecisionId::new(1),
            version: v(2),
        })
        .unwrap();
        let back = Link::LeadsTo {
            version: v(2),
            decision: DecisionId::new(1),
        };
        // d1 -> v2 exists, so v2 -> d1 would close a cycle.
        assert_eq!(
            m.link(back).unwrap_err().to_string(),
            "cannot link `p1v2 leads to d1`: d1 already leads to p1v2, so the link would make a cycle"
        );
        let own = Link::Amends {
            previous: v(1),
            version: v(1),
        };
        assert_eq!(m.link(own), Err(CoCreationError::Cycle { link: own }));
        let again = Link::LeadsTo {
            version: v(1),
            decision: DecisionId::new(1),
        };
        assert_eq!(
            m.link(again),
            Err(CoCreationError::LinkExists { link: again })
        );
    }

    #[test]
    fn settled_outcomes_are_not_rewritten() {
        let mut m = small();
        let (t, d) = (ThemeId::new(1), DecisionId::new(1));
        m.link(Link::Informs {
            theme: t,
            version: v(1),
        })
        .unwrap();
        m.link(Link::LeadsTo {
            version: v(1),
            decision: d,
        })
        .unwrap();
        m.record_outcome(d, t, ThemeOutcome::Pending).unwrap();
        m.record_outcome(d, t, ThemeOutcome::AdoptedAsProposed)
            .unwrap();
        assert_eq!(
            m.record_outcome(d, t, ThemeOutcome::Pending),
            Err(CoCreationError::ThemeOutcomeRecorded {
                decision: d,
                theme: t,
                existing: ThemeOutcome::AdoptedAsProposed
            })
        );
        let blank = ThemeOutcome::NotTakenForward {
            reason: String::new(),
        };
        let mut fresh = small();
        fresh
            .link(Link::Informs {
                theme: t,
                version: v(1),
            })
            .unwrap();
        fresh
            .link(Link::LeadsTo {
                version: v(1),
                decision: d,
            })
            .unwrap();
        assert!(matches!(
            fresh.record_outcome(d, t, blank),
            Err(CoCreationError::InvalidThemeOutcome { .. })
        ));
        assert_eq!(m.outcome(d, t), Some(&ThemeOutcome::AdoptedAsProposed));
    }
}
