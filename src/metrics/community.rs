//! The community over time: each body's size and lived-experience share month by month,
//! who joined and who left, and what each recruitment wave did to a body's make-up.
//!
//! The community asked of its advisory group how many members bring lived experience; the
//! answer changes as people join, leave and are appointed. [`CommunityMetrics::from_journal`]
//! reads the community's own stream ([`living::stream`](crate::living::stream)) from a journal's envelopes, folds
//! it into a [`History`](crate::living::History) as the engine does when it opens, and counts. A
//! change adopted to take effect later is counted in the month it takes effect. It is pure: no clock,
//! no I/O. What is counted, and where each figure comes from:
//!
//! - **Months** are calendar months in UTC (`YYYY-MM`), every one from the month of the
//!   first change to the month of the last, so that a chart can draw a point for each; a
//!   month with no change repeats the figures of the month before. The first month starts
//!   from the community as founded. A journal with no change yet has one month, the
//!   founding's. (The range starts at the first change rather than the founding because a
//!   founding is often dated by convention: the engine dates it at the Unix epoch unless
//!   told otherwise, decades of months before anything happened.)
//! - **A body's figures** are taken at the month's end, from the community in force then:
//!   its members, and how many of them bring lived experience as they declared it
//!   ([`Community::figures`]). A body formed during the month is listed from that month
//!   (`formed`); a body dissolved during it is listed that month with no members
//!   (`dissolved`), and not after.
//! - **Joined and left** are the members who came into and went out of the community that
//!   month, by id (`join` and `leave` changes). **Appointed and released** are, per body,
//!   the members who came into and went out of it: appointments and releases, the first
//!   members of a body formed, the members of a body dissolved, a leaver's bodies, and a
//!   joiner's place in the whole community's body. Each is read by comparing the community
//!   before and after every change, so a member who joins and leaves in one month is in
//!   both lists.
//! - **A wave** is a decision's appointments to one body: the changes a proposal carried
//!   (`decided_by` set) and the engine wrote with its adoption, in one batch, with the
//!   body's figures just before the batch and just after it. A body the same batch formed
//!   has no figures before. A wave adopted on a decision recorded from a round held
//!   elsewhere names the member on whose word it stands (`attested_by`).
//!
//! These figures are apart from [`Metrics`](super::Metrics): those count decisions and
//! need no founding, these count the community and refuse a journal without one, as the
//! engine does. The tool prints them with `coproduction metrics community --journal J`.
//!
//! The JSON shape is [`CommunityMetrics`]'s serde form: `snake_case` fields, every field
//! always written, shares as `{"part": 2, "whole": 5}`, members as numbers, times as
//! RFC 3339; unknown fields are refused on input.
//!
//! # Example
//!
//! ```
//! use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Share};
//! use coproduction::engine::{Engine, ProcessCommand, Request};
//! use coproduction::journal::{Journal, MemoryJournal};
//! use coproduction::living::{self, CommunityChange};
//! use coproduction::metrics::CommunityMetrics;
//! use coproduction::values::Charter;
//!
//! let whole = BodyId::new("whole_community")?;
//! let mut community = Community::new();
//! community.add_member(Member::new(MemberId::new(1), "Founder"))?;
//! community.add_body(Body::new(whole.clone(), "Whole community", BodyKind::WholeCommunity).with_members([MemberId::new(1)]))?;
//! let engine = Engine::builder(community)
//!     .charter(Charter::default())
//!     .founded_at("2024-01-15T09:00:00Z".parse()?)
//!     .open(MemoryJournal::new())?;
//! let change = |actor: u64, at: &str, change| -> Result<Request, jiff::Error> {
//!     let command = ProcessCommand::Change { change: Box::new(change) };
//!     Ok(Request::new(living::stream(), MemberId::new(actor), at.parse()?, command))
//! };
//! // The founder says they bring lived experience in January; a new member joins in March.
//! let declares = CommunityChange::LivedExperience { member: MemberId::new(1), declared: true };
//! engine.handle(change(1, "2024-01-20T10:00:00Z", declares)?)?;
//! let joins = CommunityChange::Join { member: Member::new(MemberId::new(2), "New member") };
//! engine.handle(change(1, "2024-03-02T10:00:00Z", joins)?)?;
//!
//! let metrics = CommunityMetrics::from_journal(&engine.journal().read_all()?)?;
//! let months: Vec<&str> = metrics.months.iter().map(|m| m.month.as_str()).collect();
//! assert_eq!(months, ["2024-01", "2024-02", "2024-03"]);
//! let share = |month: usize| metrics.months[month].bodies[0].lived_experience;
//! assert_eq!(share(0), Share::new(1, 1));
//! assert_eq!(share(1), Share::new(1, 1)); // no change in February
//! assert_eq!(share(2), Share::new(1, 2));
//! assert_eq!(metrics.months[2].joined, [MemberId::new(2)].into());
//! # Ok::<(), coproduction::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan, tz::TimeZone};
use serde::{Deserialize, Serialize};

use crate::community::{BodyId, Community, MemberId, Share};
use crate::engine::EngineError;
use crate::engine::living::read_history;
use crate::journal::{Envelope, StreamId};
use crate::living::CommunityChange;
use crate::process::EngineEvent;

/// The community's figures over time, from one journal. See the [module guide](self) for
/// what each counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunityMetrics {
    /// When the community was founded: the time of the journal's founding.
    pub founded_at: Timestamp,
    /// When the last change took effect; the founding's time when there was none.
    pub last_change_at: Timestamp,
    /// Every calendar month from the first change's to the last change's (the founding's
    /// alone when there is no change), oldest first.
    pub months: Vec<CommunityMonth>,
    /// Each decision's appointments to a body, in journal order.
    pub waves: Vec<Wave>,
}

/// The community in one calendar month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunityMonth {
    /// The calendar month, `YYYY-MM` (UTC).
    pub month: String,
    /// Changes that took effect in the month.
    pub changes: usize,
    /// Members of the community at the month's end.
    pub members: usize,
    /// Members with lived experience out of all members, at the month's end.
    pub lived_experience: Share,
    /// Members who joined the community in the month.
    pub joined: BTreeSet<MemberId>,
    /// Members who left the community in the month.
    pub left: BTreeSet<MemberId>,
    /// Every body there at the month's end or dissolved during it, by id.
    pub bodies: Vec<BodyMonth>,
}

/// One body in one calendar month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyMonth {
    /// The body.
    pub body: BodyId,
    /// Its name, as it last stood in the month.
    pub name: String,
    /// Its members at the month's end; none for a body dissolved in the month.
    pub size: usize,
    /// Its members with lived experience out of its members, at the month's end.
    pub lived_experience: Share,
    /// Members who came into the body in the month.
    pub appointed: BTreeSet<MemberId>,
    /// Members who went out of the body in the month.
    pub released: BTreeSet<MemberId>,
    /// The body was formed in the month.
    pub formed: bool,
    /// The body was dissolved in the month (and not formed again after).
    pub dissolved: bool,
}

/// A body's make-up at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Representation {
    /// Its members.
    pub size: usize,
    /// Its members with lived experience out of its members.
    pub lived_experience: Share,
}

impl Representation {
    /// The make-up of `body` in `community`, if it has the body.
    fn of(community: &Community, body: &BodyId) -> Option<Self> {
        let figures = community.figures(body).ok()?;
        Some(Self {
            size: figures.size,
            lived_experience: figures.lived_experience_share(),
        })
    }
}

/// One decision's appointments to one body: a recruitment wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wave {
    /// The stream of the decision that adopted the appointments.
    pub decided_by: StreamId,
    /// The member on whose word that decision was recorded, from a round held elsewhere;
    /// absent when the engine ran its round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attested_by: Option<MemberId>,
    /// When they took effect.
    pub at: Timestamp,
    /// The body.
    pub body: BodyId,
    /// Who the decision appointed to it.
    pub appointed: BTreeSet<MemberId>,
    /// The body's make-up just before the decision's changes; `None` when they formed it.
    pub before: Option<Representation>,
    /// Its make-up just after them; `None` when they also dissolved it.
    pub after: Option<Representation>,
}

/// One change, with the community on either side of it.
struct Step {
    at: Timestamp,
    decided_by: Option<StreamId>,
    attested_by: Option<MemberId>,
    change: CommunityChange,
    before: Arc<Community>,
    after: Arc<Community>,
}

impl CommunityMetrics {
    /// Computes the community's figures over time from `envelopes` (a journal's
    /// [`read_all`](crate::journal::Journal::read_all)): its founding and every change
    /// since, on the community's stream; envelopes of other streams are passed over.
    ///
    /// # Errors
    ///
    /// As [`Engine::from_journal`](crate::engine::Engine::from_journal) refuses the same
    /// journal: [`EngineError::NoFounding`] when the community's stream does not open with
    /// a founding (a journal written before foundings were journalled), and
    /// [`EngineError::History`] when a change does not apply to what came before it.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::engine::EngineError;
    /// use coproduction::metrics::CommunityMetrics;
    ///
    /// assert_eq!(CommunityMetrics::from_journal(&[]), Err(EngineError::NoFounding));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn from_journal(envelopes: &[Envelope<EngineEvent>]) -> Result<Self, EngineError> {
        let history = read_history(envelopes, |_| Ok(None))?
            .ok_or(EngineError::NoFounding)?
            .history;
        let founded_at = history.founding().from();
        let founding = history.founding().community_shared();
        let mut steps = Vec::new();
        let mut before = Arc::clone(&founding);
        for version in history.versions() {
            // A change that lapsed for everyone it named (they left before it took
            // effect) changed nothing.
            let Some((entry, change)) = version
                .entry()
                .and_then(|e| Some((e, e.applied()?.into_owned())))
            else {
                continue;
            };
            let after = version.community_shared();
            steps.push(Step {
                at: version.from(),
                decided_by: entry.decided_by.clone(),
                attested_by: entry.attested_by,
                change,
                before: std::mem::replace(&mut before, Arc::clone(&after)),
                after,
            });
        }
        Ok(Self {
            founded_at,
            last_change_at: steps.last().map_or(founded_at, |s| s.at),
            months: months(founded_at, &founding, &steps),
            waves: waves(&steps),
        })
    }
}

/// The first day of the calendar month of `at`, in UTC.
fn month_start(at: Timestamp) -> Date {
    at.to_zoned(TimeZone::UTC).date().first_of_month()
}

/// The month after the one starting on `start`, and when it starts; `None` past the last
/// month a timestamp can reach, which then runs to the end of time.
fn next_month(start: Date) -> Option<(Date, Timestamp)> {
    let next = start.checked_add(1.month()).ok()?;
    let at = next.to_zoned(TimeZone::UTC).ok()?.timestamp();
    Some((next, at))
}

/// Every month from the first change's to the last change's (the founding's when there is
/// none), with the changes of each, starting from the community as founded.
fn months(founded_at: Timestamp, founding: &Arc<Community>, steps: &[Step]) -> Vec<CommunityMonth> {
    let first = steps.first().map_or(founded_at, |s| s.at);
    let last = steps.last().map_or(founded_at, |s| s.at);
    let last_month = month_start(last);
    let mut start = month_start(first);
    let mut community = Arc::clone(founding);
    let mut rest = steps;
    let mut months = Vec::new();
    loop {
        let next = next_month(start);
        let in_month = next.map_or(rest.len(), |(_, end)| rest.partition_point(|s| s.at < end));
        let (these, later) = rest.split_at(in_month);
        let mut month = Month::default();
        for step in these {
            month.add(step);
            community = Arc::clone(&step.after);
        }
        months.push(month.close(start, these.len(), &community));
        rest = later;
        match next {
            Some((next, _)) if start < last_month => start = next,
            _ => break,
        }
    }
    months
}

/// What the changes of one month did, before its end is read.
#[derive(Default)]
struct Month {
    joined: BTreeSet<MemberId>,
    left: BTreeSet<MemberId>,
    bodies: BTreeMap<BodyId, Moved>,
}

/// Who came into and went out of one body in a month, and whether it was formed or
/// dissolved, with its name as it last stood.
#[derive(Default)]
struct Moved {
    name: String,
    appointed: BTreeSet<MemberId>,
    released: BTreeSet<MemberId>,
    formed: bool,
    dissolved: bool,
}

impl Month {
    /// Adds what `step` changed, comparing the community before and after it.
    fn add(&mut self, step: &Step) {
        let (before, after) = (&*step.before, &*step.after);
        for member in after.members() {
            if before.member(member.id).is_none() {
                self.joined.insert(member.id);
            }
        }
        for member in before.members() {
            if after.member(member.id).is_none() {
                self.left.insert(member.id);
            }
        }
        for body in after.bodies() {
            let moved = self.bodies.entry(body.id.clone()).or_default();
            moved.name.clone_from(&body.name);
            match before.body(&body.id) {
                Some(was) => {
                    moved
                        .appointed
                        .extend(body.members().filter(|m| !was.contains(*m)));
                    moved
                        .released
                        .extend(was.members().filter(|m| !body.contains(*m)));
                }
                None => {
                    moved.formed = true;
                    moved.appointed.extend(body.members());
                }
            }
        }
        for was in before.bodies() {
            if after.body(&was.id).is_none() {
                let moved = self.bodies.entry(was.id.clone()).or_default();
                moved.name.clone_from(&was.name);
                moved.dissolved = true;
                moved.released.extend(was.members());
            }
        }
    }

    /// The month starting on `start`, with `changes` changes, read at its end from
    /// `community`.
    fn close(mut self, start: Date, changes: usize, community: &Community) -> CommunityMonth {
        let mut bodies = Vec::new();
        for body in community.bodies() {
            let moved = self.bodies.remove(&body.id).unwrap_or_default();
            let now = Representation::of(community, &body.id);
            bodies.push(BodyMonth {
                body: body.id.clone(),
                name: body.name.clone(),
                size: now.map_or(0, |r| r.size),
                lived_experience: now.map_or(Share::new(0, 0), |r| r.lived_experience),
                appointed: moved.appointed,
                released: moved.released,
                formed: moved.formed,
                dissolved: false,
            });
        }
        // What is left was dissolved in the month and is not there at its end.
        for (body, moved) in self.bodies {
            bodies.push(BodyMonth {
                body,
                name: moved.name,
                size: 0,
                lived_experience: Share::new(0, 0),
                appointed: moved.appointed,
                released: moved.released,
                formed: moved.formed,
                dissolved: true,
            });
        }
        bodies.sort_by(|a, b| a.body.cmp(&b.body));
        let lived = community.members().filter(|m| m.lived_experience).count();
        CommunityMonth {
            month: format!("{:04}-{:02}", start.year(), start.month()),
            changes,
            members: community.members().len(),
            lived_experience: Share::new(lived, community.members().len()),
            joined: self.joined,
            left: self.left,
            bodies,
        }
    }
}

/// Each decision's appointments to a body: consecutive changes adopted by one decision at
/// one time are its batch, read as a whole.
fn waves(steps: &[Step]) -> Vec<Wave> {
    let mut waves = Vec::new();
    let mut rest = steps;
    while let Some(first) = rest.first() {
        let batch = rest
            .iter()
            .take_while(|s| s.decided_by == first.decided_by && s.at == first.at)
            .count()
            .max(1);
        let (these, later) = rest.split_at(batch);
        rest = later;
        let (Some(decided_by), Some(last)) = (&first.decided_by, these.last()) else {
            continue;
        };
        let mut appointed: BTreeMap<&BodyId, BTreeSet<MemberId>> = BTreeMap::new();
        for step in these {
            if let CommunityChange::Appoint { body, members } = &step.change {
                appointed
                    .entry(body)
                    .or_default()
                    .extend(members.iter().copied());
            }
        }
        for (body, members) in appointed {
            waves.push(Wave {
                decided_by: decided_by.clone(),
                attested_by: first.attested_by,
                at: first.at,
                body: body.clone(),
                appointed: members,
                before: Representation::of(&first.before, body),
                after: Representation::of(&last.after, body),
            });
        }
    }
    waves
}

#[cfg(test)]
mod tests;
