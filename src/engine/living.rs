//! The community's own history in the engine: the founding it opens from, the changes
//! members make on their own, and those a decision adopts.

use std::sync::Arc;

use jiff::Timestamp;

use crate::community::{Community, MemberId};
use crate::decision::DecisionKind;
use crate::governance::Governance;
use crate::journal::{BatchPart, Envelope, Hash, Journal, NewEvent, StreamId};
use crate::living::{self, CommunityChange, History, LivingError, LivingEvent, Version};
use crate::process::Stream;
use crate::values::Charter;

use super::{Engine, EngineError, EngineEvent, Held, Request};

/// The actor of what the engine writes on its own: the founding of a new journal. Member
/// id 0, which a community should not give to a person.
pub const ENGINE_ACTOR: MemberId = MemberId::new(0);

/// The history, and the community stream's last sequence number.
#[derive(Debug)]
pub(super) struct Living {
    pub(super) history: History,
    pub(super) version: u64,
}

/// What an engine was opened with, when the caller supplied it.
pub(crate) struct Supplied {
    pub(crate) community: Community,
    pub(crate) governance: Option<Governance>,
    pub(crate) charter: Charter,
    pub(crate) founded_at: Timestamp,
}

/// The hash of a community: BLAKE3 over its JSON.
fn community_hash(community: &Community) -> Hash {
    let mut hasher = blake3::Hasher::new();
    // Plain data; writing it to a hasher cannot fail.
    let _ = serde_json::to_writer(&mut hasher, community);
    Hash::of_hasher(&hasher)
}

/// Reads the community's history from `envelopes`, checking `supplied` against its
/// founding. Returns the history, and the founding event to write first when the journal is
/// new.
pub(super) fn replay(
    envelopes: &[Envelope<EngineEvent>],
    supplied: Option<Supplied>,
) -> Result<(Living, Option<LivingEvent>), EngineError> {
    let stream = living::stream();
    let mut own = envelopes.iter().filter(|e| e.stream == stream);
    let first = own.next();
    let mut living = match (first, supplied) {
        (
            Some(Envelope {
                event:
                    EngineEvent::Community {
                        event:
                            LivingEvent::Founded {
                                community,
                                governance,
                                charter,
                            },
                    },
                time,
                position,
                seq,
                ..
            }),
            supplied,
        ) => {
            if let Some(supplied) = &supplied {
                same_founding(community, governance.as_ref(), charter, supplied)?;
            }
            // The supplied charter, equal by hash, keeps any custom rules the journal's
            // JSON cannot carry.
            let charter = supplied.map_or_else(|| (**charter).clone(), |s| s.charter);
            let history = History::founded(community.clone(), governance.clone(), charter, *time)
                .map_err(|source| EngineError::History {
                position: *position,
                source,
            })?;
            Living {
                history,
                version: *seq,
            }
        }
        (Some(_), _) | (None, None) => return Err(EngineError::NoFounding),
        (None, Some(supplied)) => {
            let founding = envelopes.is_empty().then(|| LivingEvent::Founded {
                community: supplied.community.clone(),
                governance: supplied.governance.as_ref().map(|g| g.map().clone()),
                charter: Box::new(supplied.charter.clone()),
            });
            // A journal written before foundings were journalled opens with the supplied
            // parts as its founding, kept in memory only.
            let history = History::from_parts(
                supplied.community,
                supplied.governance,
                supplied.charter,
                supplied.founded_at,
            );
            return Ok((
                Living {
                    history,
                    version: 0,
                },
                founding,
            ));
        }
    };
    for envelope in own {
        let EngineEvent::Community {
            event: LivingEvent::Changed { change, .. },
        } = &envelope.event
        else {
            continue;
        };
        let version = living
            .history
            .check(change, envelope.time)
            .map_err(|source| EngineError::History {
                position: envelope.position,
                source,
            })?;
        living.history.push(version);
        living.version = envelope.seq;
    }
    Ok((living, None))
}

/// Refuses supplied parts that differ from the journal's founding.
fn same_founding(
    community: &Community,
    governance: Option<&crate::governance::GovernanceMap>,
    charter: &Charter,
    supplied: &Supplied,
) -> Result<(), EngineError> {
    if *community != supplied.community {
        return Err(EngineError::NotTheFounding {
            part: "community",
            founded: community_hash(community),
            supplied: community_hash(&supplied.community),
        });
    }
    let supplied_map = supplied.governance.as_ref().map(Governance::map);
    if governance != supplied_map {
        let hash = |m: Option<&crate::governance::GovernanceMap>| {
            m.map_or_else(|| Hash::of(b""), living::governance_hash)
        };
        return Err(EngineError::NotTheFounding {
            part: "governance map",
            founded: hash(governance),
            supplied: hash(supplied_map),
        });
    }
    if charter.hash() != supplied.charter.hash() {
        return Err(EngineError::NotTheFounding {
            part: "charter",
            founded: charter.hash(),
            supplied: supplied.charter.hash(),
        });
    }
    Ok(())
}

impl<J: Journal<Event = EngineEvent>> Engine<J> {
    /// The version of the community in force at `time`.
    pub(super) fn version_at(&self, time: Timestamp) -> Result<Arc<Version>, EngineError> {
        let living = self.living.read().map_err(|_| EngineError::Poisoned)?;
        Ok(living.history.at_shared(time))
    }

    /// The community as it was at `time`: its members and bodies then.
    pub fn community_at(&self, time: Timestamp) -> Option<Arc<Community>> {
        Some(self.version_at(time).ok()?.community_shared())
    }

    /// The community's whole history since its founding, as the journal holds it.
    pub fn history(&self) -> Option<History> {
        Some(self.living.read().ok()?.history.clone())
    }

    /// A member's own change to the community, on its own stream: checked against the
    /// community as it stands, then journalled, in force from the request's time.
    pub(super) fn change(
        &self,
        request: &Request,
        change: &CommunityChange,
    ) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        let stream = living::stream();
        if request.stream != stream {
            return Err(EngineError::ReservedStream {
                stream: request.stream.clone(),
            });
        }
        let actor = request.actor;
        let refuse = |source| EngineError::Change { actor, source };
        let mut living = self.living.write().map_err(|_| EngineError::Poisoned)?;
        let community = living.history.current().community();
        if let Some(kind) = change.needs_decision(community) {
            return Err(refuse(LivingError::NeedsDecision {
                change: change.label(),
                kind,
            }));
        }
        if let Some(member) = change.own_member(community).filter(|m| *m != actor) {
            return Err(refuse(LivingError::NotOwnChange {
                change: change.label(),
                member,
                actor,
            }));
        }
        let version = living.history.check(change, request.now).map_err(refuse)?;
        let event = EngineEvent::Community {
            event: LivingEvent::Changed {
                change: Box::new(change.clone()),
                decided_by: None,
            },
        };
        let written = self.journal.append(
            &stream,
            living.version,
            vec![NewEvent::new(actor, request.now, event)],
        )?;
        living.history.push(version);
        if let Some(last) = written.last() {
            living.version = last.seq;
        }
        Ok(written)
    }
}

/// The changes a decision of `kind` adopts, checked in order from `history` at `now`: the
/// versions they make, or why they cannot take effect.
pub(super) fn adopted(
    history: &History,
    changes: &[CommunityChange],
    kind: &DecisionKind,
    now: Timestamp,
) -> Result<Vec<Version>, LivingError> {
    let mut ahead = history.clone();
    let mut versions = Vec::with_capacity(changes.len());
    for change in changes {
        if let Some(needs) = change
            .needs_decision(ahead.current().community())
            .filter(|needs| needs != kind)
        {
            return Err(LivingError::NeedsDecision {
                change: change.label(),
                kind: needs,
            });
        }
        let version = ahead.check(change, now)?;
        ahead.push(version.clone());
        versions.push(version);
    }
    Ok(versions)
}

/// The events that journal `changes`, adopted by the decision on `decided_by`.
pub(super) fn changed_events(
    changes: &[CommunityChange],
    decided_by: &StreamId,
) -> Vec<EngineEvent> {
    changes
        .iter()
        .map(|change| EngineEvent::Community {
            event: LivingEvent::Changed {
                change: Box::new(change.clone()),
                decided_by: Some(decided_by.clone()),
            },
        })
        .collect()
}

impl<J: Journal<Event = EngineEvent>> Engine<J> {
    /// Appends as [`Engine::append`] does, with the changes to the community the decision
    /// on `adopts.0` adopts, in the same atomic batch: checked against the community as it
    /// stands, journalled on its own stream naming the decision, in force from `now`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn append_adopting(
        &self,
        id: &StreamId,
        stream: &mut Stream,
        events: Vec<EngineEvent>,
        linked: Option<(StreamId, Vec<EngineEvent>)>,
        held: &mut Held<'_>,
        (actor, now): (MemberId, Timestamp),
        (decided_by, kind, changes): (StreamId, DecisionKind, Vec<CommunityChange>),
    ) -> Result<Vec<Envelope<EngineEvent>>, EngineError> {
        let mut living = self.living.write().map_err(|_| EngineError::Poisoned)?;
        let versions = adopted(&living.history, &changes, &kind, now).map_err(|source| {
            EngineError::ChangeNotAdopted {
                stream: decided_by.clone(),
                source,
            }
        })?;
        let community = living::stream();
        let part = |stream: StreamId, expected, events: Vec<EngineEvent>| {
            let events = events
                .into_iter()
                .map(|e| NewEvent::new(actor, now, e))
                .collect();
            BatchPart::new(stream, expected, events)
        };
        let mut parts = vec![part(id.clone(), stream.version(), events)];
        if let Some((target, linked)) = &linked {
            let other = held.get(target).ok_or_else(|| EngineError::UnknownLink {
                stream: id.clone(),
                target: target.clone(),
            })?;
            parts.push(part(target.clone(), other.version(), linked.clone()));
        }
        parts.push(part(
            community.clone(),
            living.version,
            changed_events(&changes, &decided_by),
        ));
        let written = self.journal.append_batch(parts)?;
        let target = linked.map(|(target, _)| target);
        for envelope in &written {
            if envelope.stream == *id {
                stream.apply(envelope);
            } else if envelope.stream == community {
                living.version = envelope.seq;
            } else if let Some(other) = target.as_ref().and_then(|t| held.get_mut(t)) {
                other.apply(envelope);
            }
        }
        for version in versions {
            living.history.push(version);
        }
        Ok(written)
    }
}
