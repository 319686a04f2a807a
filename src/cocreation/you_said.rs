//! "We asked, you said, we did" for one session.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{
    CoCreation, CoCreationError, Decision, FeedbackItem, ItemId, Node, Session, SessionId, Theme,
    ThemeOutcome, VersionEntry,
};

/// What one session was asked, what people said, and what was done with it.
///
/// Every item of the session appears: under each theme that carries it, or in
/// [`uncarried`](YouSaidWeDid::uncarried). Render it with
/// [`report::YouSaidWeDidMarkdown`](crate::report::YouSaidWeDidMarkdown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YouSaidWeDid {
    /// The session, with its question ("we asked").
    pub session: Session,
    /// Each theme carrying at least one of the session's items, in id order.
    pub themes: Vec<ThemeAccount>,
    /// The session's items that no theme carries, in id order: listed, not dropped.
    pub uncarried: Vec<FeedbackItem>,
}

/// One theme in a "you said, we did": the items behind it and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ThemeAccount {
    /// The theme.
    pub theme: Theme,
    /// The session's items the theme carries, in id order.
    pub items: Vec<FeedbackItem>,
    /// How many items from other sessions the theme also carries.
    pub from_other_sessions: usize,
    /// The proposal versions the theme informed directly, in id order.
    pub informed: Vec<VersionEntry>,
    /// Each decision the theme led to, with what it did with the theme (pending where
    /// nothing is recorded yet), in id order. Empty while no decision has been reached.
    pub did: Vec<WhatWeDid>,
}

/// What one decision did with one theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhatWeDid {
    /// The decision.
    pub decision: Decision,
    /// What it did with the theme; pending where nothing is recorded yet.
    pub outcome: ThemeOutcome,
}

impl YouSaidWeDid {
    /// Every item accounted for, once each, whether under a theme or uncarried.
    pub fn accounted_items(&self) -> BTreeSet<ItemId> {
        self.themes
            .iter()
            .flat_map(|t| t.items.iter())
            .chain(self.uncarried.iter())
            .map(|i| i.id)
            .collect()
    }

    /// The report as Markdown.
    pub fn markdown(&self) -> crate::report::YouSaidWeDidMarkdown<'_> {
        crate::report::YouSaidWeDidMarkdown::new(self)
    }
}

impl CoCreation {
    /// "You said, we did" for `session`: the question, each theme with the session's items
    /// behind it and what became of it, and the session's items no theme carries.
    ///
    /// # Errors
    ///
    /// [`CoCreationError::UnknownSession`].
    pub fn you_said_we_did(&self, session: SessionId) -> Result<YouSaidWeDid, CoCreationError> {
        let the_session = self
            .sessions
            .get(&session)
            .ok_or(CoCreationError::UnknownSession { session })?
            .clone();
        let items = self.items_of(session)?;
        let mut themes = BTreeSet::new();
        let mut uncarried = Vec::new();
        for &item in &items {
            let carrying = self.themes_carrying(item);
            if carrying.is_empty() {
                uncarried.extend(self.items.get(&item).cloned());
            }
            themes.extend(carrying);
        }
        let mut accounts = Vec::new();
        for theme_id in themes {
            let Some(theme) = self.themes.get(&theme_id) else {
                continue;
            };
            let carried = self.items_carried_by(theme_id);
            let here: Vec<FeedbackItem> = carried
                .iter()
                .filter_map(|i| self.items.get(i))
                .filter(|i| i.session == session)
                .cloned()
                .collect();
            let from_other_sessions = carried.len().saturating_sub(here.len());
            let theme_ix = self.index.get(&Node::Theme(theme_id)).copied();
            let informed = theme_ix
                .map(|ix| {
                    let mut vs: Vec<VersionEntry> = self
                        .graph
                        .neighbors_directed(ix, petgraph::Direction::Outgoing)
                        .filter_map(|n| match self.graph.node_weight(n) {
                            Some(Node::Version(v)) => self.versions.get(v).cloned(),
                            _ => None,
                        })
                        .collect();
                    vs.sort_by_key(|v| v.id);
                    vs
                })
                .unwrap_or_default();
            let did = self
                .downstream(Node::Theme(theme_id))
                .into_iter()
                .filter_map(|n| match n {
                    Node::Decision(d) => self.decisions.get(&d).map(|decision| {
                        let outcome = self
                            .outcomes
                            .get(&(d, theme_id))
                            .cloned()
                            .unwrap_or(ThemeOutcome::Pending);
                        WhatWeDid {
                            decision: decision.clone(),
                            outcome,
                        }
                    }),
                    _ => None,
                })
                .collect();
            accounts.push(ThemeAccount {
                theme: theme.clone(),
                items: here,
                from_other_sessions,
                informed,
                did,
            });
        }
        Ok(YouSaidWeDid {
            session: the_session,
            themes: accounts,
            uncarried,
        })
    }
}
