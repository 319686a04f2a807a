//! Naming each part of an engine before it opens.

use jiff::Timestamp;

use crate::community::Community;
use crate::funding::FundingPolicy;
use crate::governance::Governance;
use crate::journal::Journal;
use crate::values::Charter;

use super::{Engine, EngineError, EngineEvent};

/// Builds an [`Engine`]: the community first, then (each optional) the governance map, the
/// charter and the funding policy, and last the journal it opens on. Without a governance map processes are
/// not routed; without a charter the seed community's ([`Charter::default`]) judges.
///
/// # Example
///
/// ```
/// use coproduction::{Charter, Community, Engine, MemoryJournal};
///
/// let charter = Charter::from_json(r#"{"values": [{"id": "transparent"}], "rules": [{"id": "T2"}]}"#)?;
/// let engine = Engine::builder(Community::new())
///     .charter(charter.clone())
///     .open(MemoryJournal::new())?;
/// assert_eq!(engine.charter_hash(), charter.hash());
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct EngineBuilder {
    community: Community,
    governance: Option<Governance>,
    charter: Option<Charter>,
    funding_policy: Option<FundingPolicy>,
    founded_at: Option<Timestamp>,
}

impl EngineBuilder {
    pub(super) fn new(community: Community) -> Self {
        Self {
            community,
            governance: None,
            charter: None,
            funding_policy: None,
            founded_at: None,
        }
    }

    /// Routes every process by `governance`.
    pub fn governance(mut self, governance: Governance) -> Self {
        self.governance = Some(governance);
        self
    }

    /// Judges every decision by `charter`.
    pub fn charter(mut self, charter: Charter) -> Self {
        self.charter = Some(charter);
        self
    }

    /// Founds the community with `policy` as its funding policy: every funding decision
    /// follows the policy in force when it opens (a request may leave it out), and the
    /// community changes it only by a governance decision. Without one, each funding
    /// decision states the policy it follows.
    pub fn funding_policy(mut self, policy: FundingPolicy) -> Self {
        self.funding_policy = Some(policy);
        self
    }

    /// Dates the founding of a new journal (the Unix epoch otherwise). Changes to the
    /// community take effect in time order from the founding, so a community whose history
    /// starts at a known date names it here.
    pub fn founded_at(mut self, at: Timestamp) -> Self {
        self.founded_at = Some(at);
        self
    }

    /// Opens the engine on `journal`, replaying every event it holds.
    ///
    /// # Errors
    ///
    /// As [`Engine::open`].
    pub fn open<J: Journal<Event = EngineEvent>>(
        self,
        journal: J,
    ) -> Result<Engine<J>, EngineError> {
        Engine::open_with(
            Some(super::living::Supplied {
                community: self.community,
                governance: self.governance,
                charter: self.charter.unwrap_or_default(),
                funding_policy: self.funding_policy,
                founded_at: self.founded_at.unwrap_or(Timestamp::UNIX_EPOCH),
            }),
            journal,
        )
    }
}
