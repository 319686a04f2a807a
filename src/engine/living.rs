//! The community's own history in the engine: the founding it opens from, the changes
//! members make on their own, and those a decision adopts.

use std::sync::Arc;

use jiff::Timestamp;

use crate::community::{Community, MemberId};
use crate::decision::DecisionKind;
use crate::funding::FundingPolicy;
use crate::governance::Governance;
use crate::governance::GovernanceMap;
use crate::journal::{Envelope, Hash, Journal, NewEvent, StreamId};
use crate::living::{
    self, CommunityChange, Entry, Founding, History, LivingError, LivingEvent, Version,
};
use crate::process::Stream;
use crate::values::Charter;

use super::{Engine, EngineError, EngineEvent, Request};

/// The actor of what the engine writes on its own: the founding of a new journal, and the
/// steps a process's own configuration chose, taken by [`Engine::tick`]. Member id 0, which
/// a community should not give to a person.
pub const ENGINE_ACTOR: MemberId = MemberId::new(0);

/// The history, and the community stream's last sequence number.
#[derive(Debug)]
pub(crate) struct Living {
    pub(crate) history: History,
    pub(crate) version: u64,
}

/// What an engine was opened with, when the caller supplied it.
pub(crate) struct Supplied {
    pub(crate) community: Community,
    pub(crate) governance: Option<Governance>,
    pub(crate) charter: Charter,
    pub(crate) funding_policy: Option<FundingPolicy>,
    pub(crate) founded_at: Timestamp,
}

/// The hash of a community: BLAKE3 over its JSON.
fn community_hash(community: &Community) -> Hash {
    Hash::of_json(community)
}

/// The community's history as `envelopes` hold it: the founding, first on the community's
/// stream, and every change since, with that stream's last sequence number. `None` when
/// the stream is empty. `founding` sees the journal's founding first and may give the
/// charter to use in its place (equal by hash, with custom rules the JSON cannot carry).
///
/// # Errors
///
/// [`EngineError::NoFounding`] when the stream opens with a change; what `founding`
/// refuses; [`EngineError::History`] at the first change that does not replay.
pub(crate) fn read_history(
    envelopes: &[Envelope<EngineEvent>],
    founding: impl FnOnce(&Founding) -> Result<Option<Charter>, EngineError>,
) -> Result<Option<Living>, EngineError> {
    let stream = living::stream();
    let mut own = envelopes.iter().filter(|e| e.stream == stream);
    let Some(first) = own.next() else {
        return Ok(None);
    };
    let EngineEvent::Community {
        event:
            LivingEvent::Founded {
                community,
                governance,
                charter,
                funding_policy,
            },
    } = &first.event
    else {
        return Err(EngineError::NoFounding);
    };
    let mut parts = Founding {
        community: community.clone(),
        governance: governance.as_deref().cloned(),
        charter: (**charter).clone(),
        funding_policy: funding_policy.as_deref().cloned(),
    };
    if let Some(charter) = founding(&parts)? {
        parts.charter = charter;
    }
    let at = |position| move |source| EngineError::History { position, source };
    let mut living = Living {
        history: History::found(parts, first.time).map_err(at(first.position))?,
        version: first.seq,
    };
    for envelope in own {
        living.apply(envelope)?;
    }
    Ok(Some(living))
}

impl Living {
    /// Folds one envelope of the community's stream in: a change joins the history, and
    /// the stream's version moves on.
    ///
    /// # Errors
    ///
    /// [`EngineError::History`] when the change does not apply to the history so far.
    pub(super) fn apply(&mut self, envelope: &Envelope<EngineEvent>) -> Result<(), EngineError> {
        if let EngineEvent::Community {
            event:
                LivingEvent::Changed {
                    change,
                    decided_by,
                    from,
                    attested_by,
                },
        } = &envelope.event
        {
            let mut entry = Entry::new((**change).clone(), envelope.time);
            if let Some(decided_by) = decided_by {
                entry = entry.decided_by(decided_by.clone());
            }
            if let Some(member) = attested_by {
                entry = entry.attested_by(*member);
            }
            if let Some(from) = from {
                entry = entry.effective(*from);
            }
            self.history = self
                .history
                .with(entry)
                .map_err(|source| EngineError::History {
                    position: envelope.position,
                    source,
                })?;
        }
        if let EngineEvent::Community {
            event: LivingEvent::Withdrawn { decided_by },
        } = &envelope.event
            && let Some(history) =
                self.history
                    .withdrawn(decided_by, envelope.time)
                    .map_err(|source| EngineError::History {
                        position: envelope.position,
                        source,
                    })?
        {
            self.history = history;
        }
        self.version = envelope.seq;
        Ok(())
    }
}

/// Reads the community's history from `envelopes`, checking `supplied` against its
/// founding. Returns the history, and the founding event to write first when the journal is
/// new.
pub(super) fn replay(
    envelopes: &[Envelope<EngineEvent>],
    supplied: Option<Supplied>,
) -> Result<(Living, Option<LivingEvent>), EngineError> {
    let mut supplied = supplied;
    let read = read_history(envelopes, |founding| match supplied.take() {
        Some(supplied) => {
            same_founding(founding, &supplied)?;
            Ok(Some(supplied.charter))
        }
        None => Ok(None),
    })?;
    if let Some(living) = read {
        return Ok((living, None));
    }
    let Some(supplied) = supplied else {
        return Err(EngineError::NoFounding);
    };
    if let Some(policy) = &supplied.funding_policy {
        policy.validate().map_err(|source| EngineError::Change {
            actor: ENGINE_ACTOR,
            source: LivingError::FundingPolicy { source },
        })?;
    }
    let founding = envelopes.is_empty().then(|| LivingEvent::Founded {
        community: supplied.community.clone(),
        governance: supplied
            .governance
            .as_ref()
            .map(|g| Box::new(g.map().clone())),
        charter: Box::new(supplied.charter.clone()),
        funding_policy: supplied.funding_policy.clone().map(Box::new),
    });
    // A journal written before foundings were journalled opens with the supplied parts as
    // its founding, kept in memory only.
    let history = History::from_parts(
        supplied.community,
        supplied.governance,
        supplied.charter,
        supplied.funding_policy,
        supplied.founded_at,
    );
    Ok((
        Living {
            history,
            version: 0,
        },
        founding,
    ))
}

/// Refuses supplied parts that differ from the journal's founding.
fn same_founding(founding: &Founding, supplied: &Supplied) -> Result<(), EngineError> {
    let differs = |part, founded, supplied| {
        Err(EngineError::NotTheFounding {
            part,
            founded,
            supplied,
        })
    };
    if founding.community != supplied.community {
        return differs(
            "community",
            community_hash(&founding.community),
            community_hash(&supplied.community),
        );
    }
    let hash = |m: Option<&GovernanceMap>| m.map_or_else(|| Hash::of(b""), living::governance_hash);
    let supplied_map = supplied.governance.as_ref().map(Governance::map);
    if founding.governance.as_ref() != supplied_map {
        return differs(
            "governance map",
            hash(founding.governance.as_ref()),
            hash(supplied_map),
        );
    }
    if founding.charter.hash() != supplied.charter.hash() {
        return differs("charter", founding.charter.hash(), supplied.charter.hash());
    }
    if founding.funding_policy != supplied.funding_policy {
        let hash = |p: Option<&FundingPolicy>| p.map_or_else(|| Hash::of(b""), Hash::of_json);
        return differs(
            "funding policy",
            hash(founding.funding_policy.as_ref()),
            hash(supplied.funding_policy.as_ref()),
        );
    }
    Ok(())
}

impl<J: Journal<Event = EngineEvent>> Engine<J> {
    /// The version of the community in force at `time`.
    pub(super) fn version_at(&self, time: Timestamp) -> Result<Arc<Version>, EngineError> {
        let living = self.living.read().map_err(|_| EngineError::Poisoned)?;
        Ok(living.history.at_shared(time))
    }

    /// When the last change to the community was made (its founding, when none was).
    pub(super) fn last_change(&self) -> Result<Timestamp, EngineError> {
        let living = self.living.read().map_err(|_| EngineError::Poisoned)?;
        Ok(living.history.last_made())
    }

    /// The community as it was at `time`: its members and bodies then.
    pub fn community_at(&self, time: Timestamp) -> Option<Arc<Community>> {
        Some(self.version_at(time).ok()?.community_shared())
    }

    /// The charter in force at `time`: a change adopted to take effect later is not.
    pub fn charter_at(&self, time: Timestamp) -> Option<Arc<Charter>> {
        Some(self.version_at(time).ok()?.charter_shared())
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
        // A change is not dated before what the journal holds: a member who left before
        // they took part would make the journal say both.
        if let Some(last) = self.latest().filter(|last| request.now < *last) {
            return Err(refuse(LivingError::BeforeJournal {
                change: change.label(),
                at: request.now,
                last,
            }));
        }
        let community = living.history.at(request.now).community();
        if let Some(kind) = change.needs_decision(community) {
            return Err(refuse(LivingError::NeedsDecision {
                change: change.label(),
                kind,
            }));
        }
        if let Some(member) = change
            .own_members(community)
            .iter()
            .copied()
            .find(|m| *m != actor)
        {
            return Err(refuse(LivingError::NotOwnChange {
                change: change.label(),
                member,
                actor,
            }));
        }
        // Recording that someone joins is not declaring for them: their lived experience,
        // how they are named and their access needs are theirs to say once they are in.
        if let Some((member, what)) = change.declared_for_joiner().filter(|(m, _)| *m != actor) {
            return Err(refuse(LivingError::DeclaredForAnother {
                member,
                actor,
                what,
            }));
        }
        let entry = Entry::new(change.clone(), request.now);
        let history = living.history.with(entry.clone()).map_err(refuse)?;
        // A declaration that leaves the community as it was (lived experience already
        // declared, a naming already chosen) is not journalled as a change.
        if history.at(request.now).community() == living.history.at(request.now).community() {
            return Err(refuse(LivingError::ChangesNothing {
                change: change.label(),
            }));
        }
        let event = EngineEvent::Community {
            event: entry.event(),
        };
        let written = self.write(vec![crate::journal::BatchPart::new(
            stream.clone(),
            living.version,
            vec![NewEvent::new(actor, request.now, event)],
        )])?;
        living.history = history;
        if let Some(last) = written.last() {
            living.version = last.seq;
        }
        Ok(written)
    }
}

/// What a decision adopts: its changes to the community, the stream that decided them, the
/// decision's kind, and when they take effect if later than the decision.
/// Or, `withdraws`: the decision on `decided_by` is retired, and what it adopted that has
/// not taken effect is withdrawn.
#[derive(Debug)]
pub(super) struct Adopting {
    pub(super) decided_by: StreamId,
    pub(super) kind: DecisionKind,
    pub(super) changes: Vec<CommunityChange>,
    pub(super) from: Option<Timestamp>,
    pub(super) withdraws: bool,
    /// The member on whose word the decision was recorded, from a round held elsewhere,
    /// written with each change it adopts; `None` when the engine ran the round that
    /// decided it.
    pub(super) attested_by: Option<MemberId>,
}

impl Adopting {
    /// What the decision on `stream` adopts, if anything: decided in a round the engine
    /// ran, or recorded on `attested_by`'s word from a round held elsewhere.
    pub(super) fn of(
        stream: &StreamId,
        after: &Stream,
        attested_by: Option<MemberId>,
    ) -> Option<Self> {
        let adoption = after.process().adopts();
        (!adoption.changes.is_empty()).then(|| Self {
            decided_by: stream.clone(),
            kind: after.kind().clone(),
            changes: adoption.changes.to_vec(),
            from: adoption.from,
            withdraws: false,
            attested_by,
        })
    }

    /// The retirement of the decision on `stream`, of kind `kind`: what it adopted and has
    /// not taken effect is withdrawn.
    pub(super) fn withdrawing(stream: &StreamId, kind: &DecisionKind) -> Self {
        Self {
            decided_by: stream.clone(),
            kind: kind.clone(),
            changes: Vec::new(),
            from: None,
            withdraws: true,
            attested_by: None,
        }
    }

    /// The history with the changes, decided at `now`, and the events that journal them; or
    /// why they cannot take effect: among them, a decision dated before `latest`, the
    /// journal's latest event, whose changes would rewrite the community that what came
    /// since was judged by.
    pub(super) fn check(
        &self,
        history: &History,
        now: Timestamp,
        latest: Option<Timestamp>,
    ) -> Result<(History, Vec<EngineEvent>), EngineError> {
        let refused = |source| EngineError::ChangeNotAdopted {
            stream: self.decided_by.clone(),
            source,
        };
        let change = self
            .changes
            .first()
            .map_or("withdrawn", CommunityChange::label);
        if let Some(last) = latest.filter(|last| now < *last) {
            return Err(refused(LivingError::BeforeJournal {
                change,
                at: now,
                last,
            }));
        }
        // What only a joiner declares (lived experience, naming, access needs) stands on
        // their own word, or on a decision the engine witnessed: never on the word of the
        // one member who recorded a decision taken elsewhere.
        if let Some(by) = self.attested_by
            && let Some((member, what)) = self
                .changes
                .iter()
                .find_map(CommunityChange::declared_for_joiner)
        {
            return Err(refused(LivingError::DeclaredByDecision {
                member,
                by,
                what,
            }));
        }
        if self.withdraws {
            return Ok(
                match history.withdrawn(&self.decided_by, now).map_err(refused)? {
                    Some(history) => (
                        history,
                        vec![EngineEvent::Community {
                            event: LivingEvent::Withdrawn {
                                decided_by: self.decided_by.clone(),
                            },
                        }],
                    ),
                    None => (history.clone(), Vec::new()),
                },
            );
        }
        let entries = self.entries(now);
        let history = adopted(history, &entries, &self.kind).map_err(refused)?;
        let events = entries
            .iter()
            .map(|entry| EngineEvent::Community {
                event: entry.event(),
            })
            .collect();
        Ok((history, events))
    }

    /// The entries the changes make, decided at `now`: in force from the stated time, or
    /// from `now` when that has passed.
    fn entries(&self, now: Timestamp) -> Vec<Entry> {
        let from = self.from.map_or(now, |from| from.max(now));
        self.changes
            .iter()
            .map(|change| {
                let entry = Entry::new(change.clone(), now)
                    .decided_by(self.decided_by.clone())
                    .effective(from);
                match self.attested_by {
                    Some(member) => entry.attested_by(member),
                    None => entry,
                }
            })
            .collect()
    }
}

/// `history` with the entries a decision of `kind` adopts, checked in order: or why they
/// cannot take effect.
fn adopted(
    history: &History,
    entries: &[Entry],
    kind: &DecisionKind,
) -> Result<History, LivingError> {
    let mut ahead = history.clone();
    for entry in entries {
        entry
            .change
            .made_by_decision(ahead.at(entry.from).community(), kind)?;
        ahead = ahead.with(entry.clone())?;
    }
    Ok(ahead)
}
