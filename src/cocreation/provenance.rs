//! Queries over the provenance graph: what informed a decision, and which items no theme
//! carries.

use std::collections::BTreeSet;

use petgraph::Direction;
use petgraph::visit::{Bfs, Reversed};
use serde::Serialize;

use super::{CoCreation, CoCreationError, DecisionId, ItemId, Node, SessionId, ThemeId, VersionId};

/// Everything upstream of a decision: the earlier decisions, proposal versions, themes,
/// items and sessions that informed it, each list sorted by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The decision asked about.
    pub decision: DecisionId,
    /// Earlier decisions that led, through a later version, to this one.
    pub decisions: Vec<DecisionId>,
    /// Proposal versions.
    pub versions: Vec<VersionId>,
    /// Themes.
    pub themes: Vec<ThemeId>,
    /// Feedback items.
    pub items: Vec<ItemId>,
    /// Sessions.
    pub sessions: Vec<SessionId>,
}

impl CoCreation {
    /// Every node that leads to `node` (not `node` itself), in id order.
    pub fn upstream(&self, node: Node) -> BTreeSet<Node> {
        self.reach(node, Direction::Incoming).into_iter().collect()
    }

    /// Every node `node` leads to (not `node` itself), in id order.
    pub fn downstream(&self, node: Node) -> BTreeSet<Node> {
        self.reach(node, Direction::Outgoing).into_iter().collect()
    }

    /// The nodes reached from `node` in `direction`, sorted, without `node`.
    pub(super) fn reach(&self, node: Node, direction: Direction) -> Vec<Node> {
        let Some(&start) = self.index.get(&node) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        let mut visit = |ix| {
            if ix != start
                && let Some(&n) = self.graph.node_weight(ix)
            {
                found.push(n);
            }
        };
        match direction {
            Direction::Outgoing => {
                let mut bfs = Bfs::new(&self.graph, start);
                while let Some(ix) = bfs.next(&self.graph) {
                    visit(ix);
                }
            }
            Direction::Incoming => {
                let reversed = Reversed(&self.graph);
                let mut bfs = Bfs::new(reversed, start);
                while let Some(ix) = bfs.next(reversed) {
                    visit(ix);
                }
            }
        }
        // A breadth-first walk visits each node once, so sorting is all that is left.
        found.sort_unstable();
        found
    }

    /// Everything that informed `decision`: every proposal version, theme, item and session
    /// upstream of it, and earlier decisions on the way.
    ///
    /// # Errors
    ///
    /// [`CoCreationError::UnknownDecision`].
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::cocreation::*;
    /// use coproduction::community::MemberId;
    ///
    /// let at: jiff::Timestamp = "2022-06-14T10:00:00Z".parse()?;
    /// let (s1, i1, t1, d1) = (SessionId::new(1), ItemId::new(1), ThemeId::new(1), DecisionId::new(1));
    /// let v1 = VersionId::new(ProposalId::new(1), VersionNumber::new(1));
    ///
    /// let mut model = CoCreation::new();
    /// let host = Facilitator::Member { member: MemberId::new(1) };
    /// model.add_session(Session::new(s1, SessionKind::Workshop, "Roles workshop", at, host, "What should the roles be?"))?;
    /// model.add_item(FeedbackItem::anonymous(i1, s1, "No job titles, please", at))?;
    /// model.add_theme(Theme::new(t1, "No titles or hierarchy", ""))?;
    /// model.add_version(VersionEntry::new(v1, "Draft working model"))?;
    /// model.add_decision(Decision::new(d1, "Pilot the working model", at))?;
    /// model.link(Link::Carries { theme: t1, item: i1 })?;
    /// model.link(Link::Informs { theme: t1, version: v1 })?;
    /// model.link(Link::LeadsTo { version: v1, decision: d1 })?;
    ///
    /// let p = model.informed(d1)?;
    /// assert_eq!((p.versions, p.themes, p.items, p.sessions), (vec![v1], vec![t1], vec![i1], vec![s1]));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn informed(&self, decision: DecisionId) -> Result<Provenance, CoCreationError> {
        if !self.decisions.contains_key(&decision) {
            return Err(CoCreationError::UnknownDecision { decision });
        }
        let mut p = Provenance {
            decision,
            decisions: Vec::new(),
            versions: Vec::new(),
            themes: Vec::new(),
            items: Vec::new(),
            sessions: Vec::new(),
        };
        // The set is ordered by kind, then id, so each list comes out sorted.
        for node in self.reach(Node::Decision(decision), Direction::Incoming) {
            match node {
                Node::Session(id) => p.sessions.push(id),
                Node::Item(id) => p.items.push(id),
                Node::Theme(id) => p.themes.push(id),
                Node::Version(id) => p.versions.push(id),
                Node::Decision(id) => p.decisions.push(id),
            }
        }
        Ok(p)
    }

    /// The ids of `node`'s neighbours in `direction` that `id` picks out, in id order; none
    /// for a node not in the model.
    fn neighbours<T: Ord>(
        &self,
        node: Node,
        direction: Direction,
        id: impl Fn(Node) -> Option<T>,
    ) -> Vec<T> {
        let Some(&ix) = self.index.get(&node) else {
            return Vec::new();
        };
        let mut ids: Vec<T> = self
            .graph
            .neighbors_directed(ix, direction)
            .filter_map(|n| self.graph.node_weight(n).copied().and_then(&id))
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The themes that carry `item`, in id order.
    pub fn themes_carrying(&self, item: ItemId) -> Vec<ThemeId> {
        self.neighbours(Node::Item(item), Direction::Outgoing, |n| match n {
            Node::Theme(t) => Some(t),
            _ => None,
        })
    }

    /// The items `theme` carries, in id order.
    pub fn items_carried_by(&self, theme: ThemeId) -> Vec<ItemId> {
        self.neighbours(Node::Theme(theme), Direction::Incoming, |n| match n {
            Node::Item(i) => Some(i),
            _ => None,
        })
    }

    /// Whether some theme carries `item`.
    pub fn is_carried(&self, item: ItemId) -> bool {
        self.index.get(&Node::Item(item)).is_some_and(|&ix| {
            self.graph
                .neighbors_directed(ix, Direction::Outgoing)
                .next()
                .is_some()
        })
    }

    /// The items no theme carries, in id order: the detail that summarising into themes
    /// would lose, listed so that it is kept and can be checked back on.
    pub fn uncarried(&self) -> Vec<ItemId> {
        // The index lists the item nodes in id order, as `items` lists the items: one walk
        // of each side by side, where a lookup per item searched the index from its root.
        let mut nodes = self
            .index
            .range(Node::Item(ItemId::new(0))..=Node::Item(ItemId::new(u64::MAX)))
            .peekable();
        self.items
            .keys()
            .copied()
            .filter(|&item| {
                while nodes
                    .next_if(|(node, _)| **node < Node::Item(item))
                    .is_some()
                {}
                let carried = nodes
                    .next_if(|(node, _)| **node == Node::Item(item))
                    .is_some_and(|(_, &ix)| {
                        self.graph
                            .neighbors_directed(ix, Direction::Outgoing)
                            .next()
                            .is_some()
                    });
                !carried
            })
            .collect()
    }

    /// The items of `session`, in id order.
    ///
    /// # Errors
    ///
    /// [`CoCreationError::UnknownSession`].
    pub fn items_of(&self, session: SessionId) -> Result<Vec<ItemId>, CoCreationError> {
        let ix = self
            .index
            .get(&Node::Session(session))
            .ok_or(CoCreationError::UnknownSession { session })?;
        let mut items: Vec<ItemId> = self
            .graph
            .neighbors_directed(*ix, Direction::Outgoing)
            .filter_map(|n| match self.graph.node_weight(n) {
                Some(Node::Item(i)) => Some(*i),
                _ => None,
            })
            .collect();
        items.sort_unstable();
        Ok(items)
    }

    /// The items of `session` that no theme carries, in id order.
    ///
    /// # Errors
    ///
    /// [`CoCreationError::UnknownSession`].
    pub fn uncarried_in(&self, session: SessionId) -> Result<Vec<ItemId>, CoCreationError> {
        Ok(self
            .items_of(session)?
            .into_iter()
            .filter(|&i| !self.is_carried(i))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cocreation::{Facilitator, FeedbackItem, Link, Session, SessionKind, Theme};
    use crate::community::MemberId;

    #[test]
    fn uncarried_lists_exactly_the_items_no_theme_carries() {
        let at: jiff::Timestamp = "2022-06-14T10:00:00Z".parse().unwrap();
        let mut model = CoCreation::new();
        let facilitator = Facilitator::Member {
            member: MemberId::new(1),
        };
        for s in 1..=3 {
            let session = Session::new(
                SessionId::new(s),
                SessionKind::Workshop,
                "Session",
                at,
                facilitator.clone(),
                "What matters?",
            );
            model.add_session(session).unwrap();
        }
        for t in 1..=4 {
            model
                .add_theme(Theme::new(ThemeId::new(t), "Theme", ""))
                .unwrap();
        }
        assert_eq!(model.uncarried(), vec![]);
        for n in 1..=60 {
            let item =
                FeedbackItem::anonymous(ItemId::new(n * 3), SessionId::new(n % 3 + 1), "said", at);
            model.add_item(item).unwrap();
            if n % 4 != 0 {
                let theme = ThemeId::new(n % 4);
                let item = ItemId::new(n * 3);
                model.link(Link::Carries { theme, item }).unwrap();
            }
        }
        let expected: Vec<ItemId> = model
            .items
            .keys()
            .copied()
            .filter(|&i| !model.is_carried(i))
            .collect();
        assert_eq!(expected.len(), 15);
        assert_eq!(model.uncarried(), expected);
    }
}
