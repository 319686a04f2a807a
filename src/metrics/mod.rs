//! Impact metrics from a journal: who took part in which decisions, how far lived experience
//! was heard, what happened to objections and concerns, how long decisions took, whether
//! they were published with a rationale in time, and how much feedback themes carried.
//!
//! Co-production guidance asks a community to evaluate the impact of co-production, not
//! only to practise it; these are the figures such an evaluation starts from. They are
//! computed, never stored: [`Metrics::from_journal`] replays the journal with the process
//! layer ([`Streams::replay`], the replay the engine makes), reads each stream's process
//! state and its decision record, and counts. It is pure: no clock, no I/O. Records are
//! made as of the latest time in the journal, so the figures are the journal's as it stands.
//!
//! What is counted, and where each figure comes from:
//!
//! - **A decision** is a stream whose process is a consent round that opened, or a funding
//!   or partnership decision screened onto a deliberative route whose consent round (if
//!   any) is not in the journal: one the deciding body took by advice process, say. A
//!   stream's process is the one its `started` event names; a stream whose start is missing
//!   is read as a round, as the engine reads it. For a funding decision without a round the
//!   deciders are its responders, out of the deciding body's members (from the community
//!   in force when it opened); it was opened when the offer was identified. A funding decision decided by a round in
//!   the journal is counted once, as the round: who took part and what became of objections
//!   come from the round, and what was decided and when from the funding decision (the round
//!   itself stops at consent). An offer declined automatically at screening is no one's
//!   decision and is left out. Other streams (proposals among them) are left out.
//! - **Participation** is the eligible members (the snapshot the round's state took when it
//!   opened) who responded at least once, in any objection round, in person or through a
//!   named supporter, out of the eligible members entitled to respond: one who stepped out,
//!   or had left the community by the decision, without responding is not counted (as the
//!   decision's record tells them apart). A round's state keeps only the responses
//!   of its current objection round, so who responded, and through whom, is read from the
//!   journal's `responded` events. Shares are exact ([`Share`]). A decision taken by one
//!   accountable decider (advice process, delegated decision) has one participant, the
//!   decider, who took part once they decided, as its record says; the people heard are
//!   advisers, not members who failed to respond.
//! - **Lived-experience share** is the responders who bring lived experience (as the
//!   snapshot says), out of all responders.
//! - **Objections** are counted by where each stands in the round's state: integrated
//!   (resolved by amendment), kept as a concern (found not valid), withdrawn (among them one
//!   its member replaced with a later response), abandoned, or still open. **Concerns** are
//!   every concern the round logged, including objections kept as concerns and concerns
//!   replaced with a later response.
//! - **Decided at** is, from the round's state, when the outcome was recorded (adopted), or
//!   when the vote or the decider declined, or, for a round that consented but whose outcome
//!   is not recorded yet, when consent carried; for a funding decision, from its state, when
//!   it was accepted or declined. Withdrawn, deferred, escalated and open decisions have
//!   none.
//! - **Time to decision** runs from when the matter was proposed to when it was decided. A
//!   round that decides a proposal in the journal counts from the proposal's creation (or,
//!   after a review, from the review's opening), as the proposal's state records them, so
//!   the weeks of co-creation before the round are part of it; a round that decides a
//!   funding offer counts from the offer's identification in the funding decision's state;
//!   a round on its own counts from its opening.
//! - **Rationale** and **published at** come from the decision's record, made by the process
//!   layer as the engine makes it ([`Streams::record`]): for a round, the round's record with
//!   the evidence recorded on its stream; for a funding decision (with or without a round),
//!   the funding decision's record, building on its consent round's. A rationale counts when
//!   the record's is not blank (the decider's, or one recorded with the evidence); the
//!   publication is the record's (for a round, the evidence's; for a funding decision, its
//!   register entry, else the evidence's). A round that decides a proposal is judged on its
//!   own record: the proposal's record follows its latest round only, and a proposal may be
//!   decided by several.
//! - **Published in time** means the decision was decided, its record carries a rationale,
//!   and rule T1 ([`PublishedOnTime`]) finds that record satisfied: published within
//!   `publish_days` of the record's decision date (for a decided decision, its decided at),
//!   every redaction explained. T1 runs as the charter sets it, or with its default
//!   settings when the charter leaves T1 out; [`PublicationMetrics::publish_days`] is the
//!   deadline it ran with. No publication recorded is never in time: as of the journal's
//!   latest time T1 finds it not yet due, or overdue.
//! - **Lived experience over time** groups decided decisions by the calendar month (UTC) in
//!   which they were decided.
//! - **Evaluations** ([`EvaluationMetrics`]) are the benefits and impact evaluations agreed
//!   for piloted agreements, one per proposal stream that holds one: for each benefit the
//!   questions with evidence out of those asked, the figures and people's words recorded
//!   (how many each member recorded in their own words, how many anonymously), the
//!   questions still without evidence, and what the latest reassessment round decided.
//!
//! The community's own figures over time (each body's make-up month by month, joiners and
//! leavers, recruitment waves) are apart, in [`community`]: [`CommunityMetrics`] reads the
//! community's history in the journal rather than its decisions.
//!
//! The JSON shape is [`Metrics`]'s serde form: `snake_case` fields, shares as
//! `{"part": 3, "whole": 5}`, durations as ISO 8601 (`"PT2H30M"`), times as RFC 3339;
//! unknown fields are refused on input. [`Metrics::table`] prints the same figures as plain
//! text.
//!
//! # Example
//!
//! ```
//! use coproduction::community::{Body, BodyId, BodyKind, Community, Member, MemberId, Role, Share};
//! use coproduction::consent::{Response, RoundCommand, RoundConfig, RoundRoles};
//! use coproduction::decision::DecisionKind;
//! use coproduction::engine::{Engine, ProcessCommand, Request};
//! use coproduction::journal::{Journal, MemoryJournal, StreamId};
//! use coproduction::metrics::Metrics;
//! use coproduction::values::Charter;
//!
//! let mut community = Community::new();
//! for n in 1..=4 {
//!     let mut member = Member::new(MemberId::new(n), format!("Co-producer {n}")).with_role(Role::CoProducer);
//!     if n % 2 == 1 {
//!         member = member.with_lived_experience();
//!     }
//!     community.add_member(member)?;
//! }
//! let team = BodyId::new("project_team")?;
//! community.add_body(Body::new(team.clone(), "Project team", BodyKind::ProjectTeam).with_members((1..=4).map(MemberId::new)))?;
//! let m = MemberId::new;
//! let roles = RoundRoles { proposer: m(1), facilitator: m(2), secretary: m(2) };
//! let config = RoundConfig::consent(&community, &team, "Meet monthly", "On the first Monday.", roles)?;
//! let charter = Charter::from_json(r#"{"values": [{"id": "transparent"}], "rules": []}"#)?;
//! let engine = Engine::open(community.clone(), None, charter.clone(), MemoryJournal::new())?;
//!
//! let stream = StreamId::new("meetings")?;
//! let request = |actor: u64, minute: i64, command| -> Result<Request, jiff::Error> {
//!     let now = jiff::Timestamp::from_second(1_661_000_000 + minute * 60)?;
//!     Ok(Request::new(stream.clone(), m(actor), now, ProcessCommand::Consent { command }))
//! };
//! engine.handle(request(1, 0, RoundCommand::Open { config: Box::new(config) })?.with_kind(DecisionKind::Operational))?;
//! for minute in 1..=3 {
//!     engine.handle(request(2, minute, RoundCommand::Advance {})?)?;
//! }
//! for who in [1, 2, 3] {
//!     engine.handle(request(who, 10, RoundCommand::Respond { member: m(who), response: Response::consent() })?)?;
//! }
//! engine.handle(request(2, 20, RoundCommand::CloseRound {})?)?;
//! engine.handle(request(2, 90, RoundCommand::RecordOutcome {
//!     statement: "Monthly meetings".into(),
//!     review_date: "2023-01-01T00:00:00Z".parse()?,
//! })?)?;
//!
//! let metrics = Metrics::from_journal(&engine.journal().read_all()?, &community, &charter, None);
//! let decision = &metrics.decisions[0];
//! assert_eq!(decision.participation, Share::new(3, 4));
//! assert_eq!(decision.lived_experience, Share::new(2, 3)); // members 1 and 3
//! assert_eq!(decision.time_to_decision, Some(jiff::SignedDuration::from_mins(90)));
//! assert!(metrics.table().to_string().contains("meetings"));
//! # Ok::<(), coproduction::Error>(())
//! ```

pub mod community;
mod table;

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use serde::{Deserialize, Serialize};

use crate::cocreation::{CoCreation, ItemId};
use crate::community::{BodyId, Community, MemberId, Share};
use crate::consent::{ConsentProcess, Ending, ObjectionStatus, Round, RoundEvent, RoundPhase};
use crate::decision::{DecisionKind, Method};
use crate::engine::living::read_history;
use crate::evaluation::{Benefit, Datum, Evaluation, QuestionId};
use crate::funding::{FundingDecision, FundingProcess};
use crate::journal::{Envelope, StreamId};
use crate::living::History;
use crate::process::{EngineEvent, Listed, Stream, Streams};
use crate::proposal::{DecisionResult, Proposal, ProposalProcess};
use crate::values::rules::blank;
use crate::values::rules::transparent::PublishedOnTime;
use crate::values::{Charter, DecisionRecord, Outcome, RecordTally, Status, ValueRule};

pub use community::{BodyMonth, CommunityMetrics, CommunityMonth, Representation, Wave};
pub use table::MetricsTable;

/// Every figure computed from one journal. See the [module guide](self) for what each
/// counts.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// One entry per decision (stream), in stream order.
    pub decisions: Vec<DecisionMetrics>,
    /// One entry per deciding body that took a decision, in body order.
    pub bodies: Vec<BodyMetrics>,
    /// Lived experience among responders, per calendar month of decision, oldest first.
    pub lived_experience_by_month: Vec<MonthMetrics>,
    /// The figures over every decision.
    pub totals: Totals,
    /// Rationale and publication of decided decisions.
    pub publication: PublicationMetrics,
    /// Feedback carried into themes, when a co-creation model was given.
    pub feedback: Option<FeedbackMetrics>,
    /// One entry per piloted agreement whose benefits and impact evaluation was agreed, in
    /// stream order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evaluations: Vec<EvaluationMetrics>,
}

/// The benefits and impact evaluation of one piloted agreement: what it asks, how much
/// evidence answers it, whose words are in it, and what its reassessment decided.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationMetrics {
    /// The proposal's stream.
    pub stream: StreamId,
    /// The proposal's title.
    pub title: String,
    /// When the questions were agreed.
    pub agreed_at: Timestamp,
    /// For each benefit (co-producers, projects, community), its questions and how many of
    /// them have evidence; a benefit no question asks about is left out.
    pub benefits: Vec<BenefitMetrics>,
    /// Figures recorded.
    pub figures: usize,
    /// People's words recorded: in total, recorded by the member who said them, and given
    /// anonymously.
    pub words: usize,
    /// Words recorded by the member who said them (the engine witnessed them).
    pub own_words: usize,
    /// Words given anonymously.
    pub anonymous_words: usize,
    /// The questions with no evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub without_evidence: Vec<QuestionId>,
    /// What the latest reassessment round decided (`adopted` continues the agreement), if
    /// one has.
    pub reassessed: Option<Outcome>,
}

/// The questions about one benefit, and how many have evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenefitMetrics {
    /// Whom the benefit is for.
    pub benefit: Benefit,
    /// Questions with evidence, out of the questions asked.
    pub answered: Share,
}

impl EvaluationMetrics {
    /// The figures of `evaluation`, agreed for the proposal on `stream`.
    fn of(stream: &StreamId, proposal: &Proposal, evaluation: &Evaluation) -> Self {
        let counts = evaluation.figures();
        let benefits = Benefit::ALL
            .into_iter()
            .filter_map(|benefit| {
                let asked: Vec<_> = counts.iter().filter(|c| c.benefit == benefit).collect();
                let answered = asked.iter().filter(|c| c.figures + c.words > 0).count();
                (!asked.is_empty()).then(|| BenefitMetrics {
                    benefit,
                    answered: Share::new(answered, asked.len()),
                })
            })
            .collect();
        let words = evaluation.words();
        let own_words = evaluation
            .evidence
            .iter()
            .filter(|r| r.in_own_words())
            .count();
        let anonymous_words = evaluation
            .evidence
            .iter()
            .filter(|r| matches!(r.gathered.observation, Datum::Words { from: None, .. }))
            .count();
        let reassessed = proposal
            .reviews()
            .iter()
            .flat_map(|r| r.reassessments.iter())
            .filter_map(|r| r.result.as_ref())
            .next_back()
            .map(DecisionResult::outcome);
        Self {
            stream: stream.clone(),
            title: proposal.config().title.clone(),
            agreed_at: evaluation.agreed_at,
            benefits,
            figures: evaluation.evidence.len() - words,
            words,
            own_words,
            anonymous_words,
            without_evidence: evaluation.without_evidence(),
            reassessed,
        }
    }
}

/// What happened to the objections raised in a decision (or in all of them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectionCounts {
    /// Objections raised.
    pub raised: usize,
    /// Integrated: resolved by an amendment both the objector and the proposer confirmed.
    pub integrated: usize,
    /// Tested, found not valid and kept as a concern.
    pub kept_as_concern: usize,
    /// Withdrawn by the objector.
    pub withdrawn: usize,
    /// Abandoned, with the facilitator's reason.
    pub abandoned: usize,
    /// Still raised or valid: not yet settled.
    pub open: usize,
}

impl ObjectionCounts {
    fn add(&mut self, other: ObjectionCounts) {
        self.raised += other.raised;
        self.integrated += other.integrated;
        self.kept_as_concern += other.kept_as_concern;
        self.withdrawn += other.withdrawn;
        self.abandoned += other.abandoned;
        self.open += other.open;
    }
}

/// The figures of one decision.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionMetrics {
    /// The stream the decision was journalled on.
    pub stream: StreamId,
    /// What the decision is about.
    pub kind: DecisionKind,
    /// The body whose members decided.
    pub deciding_body: BodyId,
    /// How it was decided.
    pub method: Method,
    /// Members eligible when the round opened, less those who stepped out or had left the
    /// community by the decision without responding.
    pub eligible: usize,
    /// Eligible members who responded at least once.
    pub responded: usize,
    /// Of those, members whose response a supporter recorded at least once.
    pub by_proxy: usize,
    /// Responders out of eligible members.
    pub participation: Share,
    /// Responders with lived experience out of all responders.
    pub lived_experience: Share,
    /// What happened to the objections.
    pub objections: ObjectionCounts,
    /// Concerns logged, including objections kept as concerns and concerns replaced with a
    /// later response.
    pub concerns: usize,
    /// The proposal or the funding decision this round decides for, from the moment it
    /// opens (whatever became of it), or that named it as its round, when that stream is in
    /// the journal; `None` for a round on its own or a funding decision taken without a
    /// round.
    pub decides_for: Option<StreamId>,
    /// When the matter was proposed: the proposal's creation (or, for a round after a
    /// review, the review's opening), the offer's identification, or, for a round on its
    /// own, its opening.
    pub proposed_at: Timestamp,
    /// When the round opened (for a funding decision without a round: when the offer was
    /// identified).
    pub opened_at: Timestamp,
    /// When it was decided; `None` when nothing was (yet) decided.
    pub decided_at: Option<Timestamp>,
    /// From proposal to decision: `decided_at - proposed_at`.
    pub time_to_decision: Option<SignedDuration>,
    /// Where the process stands, as its phase label: for a round `adopted`, `declined`,
    /// `withdrawn`, `deferred`, or an open phase; for a funding decision `accepted`,
    /// `accepted_with_conditions`, `declined`, `published`, `monitoring`, and so on.
    pub outcome: String,
    /// A decision was taken: a round adopted or declined; a funding offer accepted (with or
    /// without conditions) or declined by its deciders.
    pub decided: bool,
    /// The decision's record carries a rationale (the decider's, or one recorded with the
    /// evidence).
    pub rationale: bool,
    /// When the decision's record was published, as the record says.
    pub published_at: Option<Timestamp>,
    /// Decided, with a rationale, and rule T1 finds the record published in time: within
    /// the charter's `publish_days` of the decision, every redaction explained.
    pub published_in_time: bool,
}

/// The figures of one deciding body.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyMetrics {
    /// The body.
    pub body: BodyId,
    /// Its name in the community, if the community still has it.
    pub name: Option<String>,
    /// Decisions it took part in as the deciding body.
    pub decisions: usize,
    /// Its mean participation, weighted by size: responders over eligible seats, summed
    /// over its decisions.
    pub participation: Share,
    /// Responders with lived experience over responders, summed over its decisions.
    pub lived_experience: Share,
}

/// Lived experience among the responders to the decisions of one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthMetrics {
    /// The calendar month of decision, `YYYY-MM` (UTC).
    pub month: String,
    /// Decisions decided that month.
    pub decisions: usize,
    /// Responders with lived experience over responders, summed over those decisions.
    pub lived_experience: Share,
}

/// The figures over every decision.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// Decisions, as the module guide counts them.
    pub decisions: usize,
    /// Decisions by where they stand (phase label), in label order.
    pub outcomes: BTreeMap<String, usize>,
    /// Responders over eligible seats, summed.
    pub participation: Share,
    /// Responders with lived experience over responders, summed.
    pub lived_experience: Share,
    /// Objections, summed.
    pub objections: ObjectionCounts,
    /// Concerns logged, summed.
    pub concerns: usize,
    /// The mean time from proposal to decision over decisions with a decision time, to the
    /// second.
    pub mean_time_to_decision: Option<SignedDuration>,
}

/// Rationale and publication of decided decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationMetrics {
    /// The deadline rule T1 ran with: the charter's T1 setting (28, T1's default, when the
    /// charter leaves T1 out).
    pub publish_days: u32,
    /// Decided decisions (adopted, accepted or declined) with a rationale and published in
    /// time by T1, out of all decided decisions.
    pub in_time: Share,
}

/// Feedback items carried into themes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackMetrics {
    /// Items carried by at least one theme, out of all items.
    pub carried: Share,
    /// The items no theme carries, in id order.
    pub uncarried: Vec<ItemId>,
}

/// Who responded to one round, in any of its objection rounds.
#[derive(Default)]
struct Responders {
    /// Members who responded at least once.
    responded: BTreeSet<MemberId>,
    /// Of those, members whose response a supporter recorded at least once.
    by_proxy: BTreeSet<MemberId>,
}

/// Who responded to each round, by the round's stream. The one figure read from events
/// rather than from states: a round's state keeps only the responses of its current
/// objection round (a later response replacing an earlier one), and participation counts
/// every objection round.
fn responders(envelopes: &[Envelope<EngineEvent>]) -> BTreeMap<&StreamId, Responders> {
    let mut out: BTreeMap<&StreamId, Responders> = BTreeMap::new();
    for envelope in envelopes {
        if let EngineEvent::Consent {
            event: RoundEvent::Responded { member, proxy, .. },
            ..
        } = &envelope.event
        {
            let round = out.entry(&envelope.stream).or_default();
            round.responded.insert(*member);
            if proxy.is_some() {
                round.by_proxy.insert(*member);
            }
        }
    }
    out
}

/// Where a round's matter was proposed: the stream that started it and when, and, for a
/// funding offer, the decision that settles it.
#[derive(Clone, Copy)]
struct Origin<'a> {
    stream: &'a StreamId,
    proposed_at: Timestamp,
    funding: Option<&'a FundingDecision>,
}

/// Each round's origin, by the round's stream.
type Origins<'a> = BTreeMap<&'a str, Origin<'a>>;

/// The origins of rounds, from the states of the proposals and funding decisions that name
/// them. A round named twice takes the origin of the later stream, in stream order.
fn origins(streams: &Streams) -> Origins<'_> {
    let mut origins = Origins::new();
    for (stream, s) in streams.iter() {
        if let Some(proposal) = ProposalProcess::state_of(s.process()).and_then(|p| p.proposal()) {
            for round in proposal.rounds() {
                // Proposed when created, or when the review before this round opened.
                let proposed_at = proposal
                    .reviews()
                    .iter()
                    .map(|r| r.opened_at)
                    .filter(|at| *at <= round.started_at)
                    .fold(proposal.created_at(), Timestamp::max);
                let origin = Origin {
                    stream,
                    proposed_at,
                    funding: None,
                };
                origins.insert(round.round.as_str(), origin);
            }
            // A review's reassessment rounds, proposed when the review opened.
            for review in proposal.reviews() {
                for round in &review.reassessments {
                    let origin = Origin {
                        stream,
                        proposed_at: review.opened_at,
                        funding: None,
                    };
                    origins.insert(round.round.as_str(), origin);
                }
            }
        }
        if let Some(funding) = funding_of(s)
            && let Some(round) = funding.consent_round()
        {
            let origin = Origin {
                stream,
                proposed_at: funding.identified_at(),
                funding: Some(funding),
            };
            origins.insert(round.reference.as_str(), origin);
        }
    }
    origins
}

/// The stream's consent round, once opened.
fn round_of(stream: &Stream) -> Option<&Round> {
    ConsentProcess::state_of(stream.process())?.round()
}

/// The stream's funding decision, once the offer was identified.
fn funding_of(stream: &Stream) -> Option<&FundingDecision> {
    FundingProcess::state_of(stream.process())?.decision()
}

/// Rule T1 as the metrics run it: the charter's own, or T1 with its default settings when
/// the charter leaves it out, and the deadline it runs with.
pub(crate) struct PublishedInTime<'c> {
    /// The charter's T1, when it carries one.
    charter: Option<&'c dyn ValueRule>,
    /// T1 with its default settings, for a charter without it.
    default: PublishedOnTime,
    /// The most days from decision to publication the rule allows.
    pub(crate) publish_days: u32,
}

impl<'c> PublishedInTime<'c> {
    /// T1 as `charter` runs it (its default settings when the charter leaves T1 out).
    pub(crate) fn of(charter: &'c Charter) -> Self {
        let default = PublishedOnTime::default();
        let rule = charter
            .rules()
            .find(|r| r.id().as_str() == PublishedOnTime::ID);
        // A charter spells out every setting of its built-in rules, so its T1 entry holds the
        // deadline its T1 runs with (and there is an entry exactly when there is a T1: no
        // custom rule may take a built-in id).
        let publish_days = charter
            .to_spec()
            .rules
            .iter()
            .find(|r| r.id.as_str() == PublishedOnTime::ID)
            .and_then(|r| r.setting("publish_days")?.as_u64())
            .and_then(|days| u32::try_from(days).ok())
            .unwrap_or(default.publish_days);
        Self {
            charter: rule,
            default,
            publish_days,
        }
    }

    /// T1's finding on `record`.
    fn finding(&self, record: &DecisionRecord) -> Status {
        let rule: &dyn ValueRule = match self.charter {
            Some(rule) => rule,
            None => &self.default,
        };
        rule.check(record, RecordTally::lent(record)).status
    }
}

/// What a decision's record says of its rationale and publication, and whether T1 finds it
/// published in time.
struct Published {
    rationale: bool,
    published_at: Option<Timestamp>,
    on_time: bool,
}

impl Published {
    fn of(record: Option<&DecisionRecord>, t1: &PublishedInTime<'_>) -> Self {
        match record {
            Some(record) => Published {
                rationale: !blank(record.rationale.as_deref()),
                published_at: record.publication.as_ref().map(|p| p.published_at),
                on_time: t1.finding(record) == Status::Satisfied,
            },
            None => Published {
                rationale: false,
                published_at: None,
                on_time: false,
            },
        }
    }
}

/// How a decision was settled, as its process's state says: whether it was decided
/// (adopted, accepted or declined), when, and where its process stands.
struct Settled {
    decided: bool,
    decided_at: Option<Timestamp>,
    outcome: String,
}

impl Settled {
    /// What a funding decision itself says. Deferred and escalated offers were not decided,
    /// as rounds are not.
    fn funding(funding: &FundingDecision) -> Self {
        let taken = funding.decided();
        let decided = taken
            .is_some_and(|d| matches!(d.outcome.recorded(), Outcome::Adopted | Outcome::Declined));
        Settled {
            decided,
            decided_at: taken.filter(|_| decided).map(|d| d.at),
            outcome: crate::machine::Phase::label(funding.phase()).to_owned(),
        }
    }

    /// How a round settled itself: adopted (when the outcome was recorded), declined, or
    /// consented with the outcome still to record (decided at when consent carried, not yet
    /// decided).
    fn round(round: &Round) -> Self {
        let phase = round.phase();
        let decided_at = match (phase, round.ending()) {
            (RoundPhase::Adopted, Some(Ending::Adopted { at, .. })) => Some(*at),
            (RoundPhase::Declined | RoundPhase::Consented, _) => round.decision().map(|d| d.at),
            _ => None,
        };
        Settled {
            decided: matches!(phase, RoundPhase::Adopted | RoundPhase::Declined),
            decided_at,
            outcome: crate::machine::Phase::label(phase).to_owned(),
        }
    }

    /// Decided, with a rationale, and published in time by T1.
    fn in_time(&self, published: &Published) -> bool {
        self.decided && published.rationale && published.on_time
    }
}

/// The community and rule T1 a decision is judged by, from one version of the community.
struct Judged<'a> {
    community: &'a Community,
    t1: PublishedInTime<'a>,
}

/// Every version of the community a journal's history holds, oldest first (or the one
/// given, for a journal without a founding), with T1 as each version's charter runs it.
struct InForce<'a> {
    history: Option<&'a History>,
    /// The founding's (or the one given, when there is no history).
    first: Judged<'a>,
    /// One for each later version of `history`, in its order.
    later: Vec<Judged<'a>>,
}

impl<'a> InForce<'a> {
    fn new(history: Option<&'a History>, community: &'a Community, charter: &'a Charter) -> Self {
        let judged = |community, charter| Judged {
            community,
            t1: PublishedInTime::of(charter),
        };
        let first = history.map_or(judged(community, charter), |h| {
            judged(h.founding().community(), h.founding().charter())
        });
        let later = history.map_or_else(Vec::new, |h| {
            // `versions` opens with the founding.
            h.versions()
                .skip(1)
                .map(|v| judged(v.community(), v.charter()))
                .collect()
        });
        Self {
            history,
            first,
            later,
        }
    }

    /// The version in force at `time`.
    fn at_time(&self, time: Timestamp) -> &Judged<'a> {
        self.at(self.history.map_or(0, |h| h.index_at(time)))
    }

    /// The version in force when the process on `stream` opened (at `now` when its start
    /// is not journalled).
    fn of(&self, stream: Option<&Stream>, now: Timestamp) -> &Judged<'a> {
        let opened = stream.and_then(Stream::opened_at).unwrap_or(now);
        let place = self.history.map_or(0, |h| h.index_at(opened));
        self.at(place)
    }

    /// The latest version.
    fn today(&self) -> &Judged<'a> {
        self.at(self.later.len())
    }

    /// The version at `place` in the history's order, the founding's first.
    fn at(&self, place: usize) -> &Judged<'a> {
        place
            .checked_sub(1)
            .and_then(|i| self.later.get(i))
            .unwrap_or(&self.first)
    }
}

impl Metrics {
    /// Computes the metrics of every decision in `envelopes` (a journal's
    /// [`read_all`](crate::journal::Journal::read_all)), with feedback figures from
    /// `cocreation` when given. Envelopes of different streams may interleave; within a
    /// stream they must be in order, as a journal returns them.
    ///
    /// Each decision is judged by the community and rule T1 (the publication deadline) in
    /// force when its process opened, as its record and its gate were: a member who left or
    /// a declaration withdrawn since changes no past decision's figures. They come from the
    /// journal's own history (its founding and every change since, as an engine writes
    /// them); `community` and `charter` stand in for a journal that holds no founding (or
    /// whose history does not replay), and name the bodies of the summary there.
    pub fn from_journal(
        envelopes: &[Envelope<EngineEvent>],
        community: &Community,
        charter: &Charter,
        cocreation: Option<&CoCreation>,
    ) -> Metrics {
        let streams = Streams::replay(envelopes);
        let responders = responders(envelopes);
        let origins = origins(&streams);
        let history = read_history(envelopes, |_| Ok(None))
            .ok()
            .flatten()
            .map(|living| living.history);
        let in_force = InForce::new(history.as_ref(), community, charter);
        // Records are made as of the latest time in the journal: the journal as it stands,
        // with no clock read.
        let now = envelopes
            .iter()
            .map(|e| e.time)
            .max()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let published = |id: &StreamId| {
            let judged = in_force.of(streams.get(id), now);
            Published::of(
                streams.record(id, judged.community, now).as_ref(),
                &judged.t1,
            )
        };

        // A funding decision whose consent round is in the journal is counted once, as
        // that round; so is one that ended deciding nothing while a round held for it
        // ran (withdrawn), which the round alone shows.
        let rounds: BTreeSet<&str> = streams
            .iter()
            .filter(|(_, s)| round_of(s).is_some())
            .map(|(id, _)| id.as_str())
            .collect();
        let decisions: Vec<DecisionMetrics> = streams
            .iter()
            .filter_map(|(id, stream)| {
                if let Some(round) = round_of(stream) {
                    let origin = origins.get(id.as_str()).copied();
                    // A round that decides a funding offer is judged on the offer's record:
                    // what was decided, why, and its publication are the offer's to say.
                    let judged = origin
                        .filter(|o| o.funding.is_some())
                        .map_or(id, |o| o.stream);
                    let responders = responders.get(id);
                    // Who had left the community by the decision (or by now) was not
                    // entitled to respond: the community then says who remained.
                    let ended = in_force.at_time(stream.decided_at().unwrap_or(now));
                    let communities = (in_force.of(Some(stream), now).community, ended.community);
                    return Some(decision(
                        id,
                        stream,
                        round,
                        responders,
                        origin,
                        published(judged),
                        communities,
                    ));
                }
                let funding = funding_of(stream)?;
                let round = funding.consent_round().map(|r| r.reference.as_str());
                if round.is_some_and(|r| rounds.contains(r))
                    || (funding.decided().is_none() && !stream.rounds().is_empty())
                {
                    return None;
                }
                let ended = in_force.at_time(stream.decided_at().unwrap_or(now));
                let communities = (in_force.of(Some(stream), now).community, ended.community);
                funding_decision(id, stream, funding, communities, published(id))
            })
            .collect();
        let today = in_force.today();
        let mut metrics = Self::gather(
            decisions,
            today.community,
            today.t1.publish_days,
            cocreation,
        );
        metrics.evaluations = streams
            .iter()
            .filter_map(|(id, stream)| {
                let proposal = ProposalProcess::state_of(stream.process())?.proposal()?;
                let evaluation = proposal.evaluation()?;
                Some(EvaluationMetrics::of(id, proposal, evaluation))
            })
            .collect();
        metrics
    }

    fn gather(
        decisions: Vec<DecisionMetrics>,
        community: &Community,
        publish_days: u32,
        cocreation: Option<&CoCreation>,
    ) -> Metrics {
        let mut bodies: BTreeMap<&BodyId, BodyMetrics> = BTreeMap::new();
        let mut months: BTreeMap<String, MonthMetrics> = BTreeMap::new();
        let mut totals = Totals {
            decisions: decisions.len(),
            outcomes: BTreeMap::new(),
            participation: Share::new(0, 0),
            lived_experience: Share::new(0, 0),
            objections: ObjectionCounts::default(),
            concerns: 0,
            mean_time_to_decision: None,
        };
        let mut decided = 0;
        let mut in_time = 0;
        let mut timed = 0i64;
        let mut time_sum = SignedDuration::ZERO;
        for d in &decisions {
            let body = bodies
                .entry(&d.deciding_body)
                .or_insert_with(|| BodyMetrics {
                    body: d.deciding_body.clone(),
                    name: community.body(&d.deciding_body).map(|b| b.name.clone()),
                    decisions: 0,
                    participation: Share::new(0, 0),
                    lived_experience: Share::new(0, 0),
                });
            body.decisions += 1;
            add(&mut body.participation, d.participation);
            add(&mut body.lived_experience, d.lived_experience);

            *totals.outcomes.entry(d.outcome.clone()).or_default() += 1;
            add(&mut totals.participation, d.participation);
            add(&mut totals.lived_experience, d.lived_experience);
            totals.objections.add(d.objections);
            totals.concerns += d.concerns;
            if let Some(span) = d.time_to_decision {
                timed += 1;
                time_sum = time_sum.saturating_add(span);
            }
            if let Some(at) = d.decided_at {
                let month = month_of(at);
                let entry = months.entry(month.clone()).or_insert_with(|| MonthMetrics {
                    month,
                    decisions: 0,
                    lived_experience: Share::new(0, 0),
                });
                entry.decisions += 1;
                add(&mut entry.lived_experience, d.lived_experience);
            }
            if d.decided {
                decided += 1;
                in_time += usize::from(d.published_in_time);
            }
        }
        if timed > 0 {
            let mean = time_sum.as_secs() / timed;
            totals.mean_time_to_decision = Some(SignedDuration::from_secs(mean));
        }
        let bodies = bodies.into_values().collect();
        Metrics {
            decisions,
            bodies,
            lived_experience_by_month: months.into_values().collect(),
            totals,
            publication: PublicationMetrics {
                publish_days,
                in_time: Share::new(in_time, decided),
            },
            feedback: cocreation.map(feedback),
            evaluations: Vec::new(),
        }
    }

    /// The metrics as a plain-text table.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::Community;
    /// use coproduction::metrics::Metrics;
    /// use coproduction::values::Charter;
    ///
    /// let metrics = Metrics::from_journal(&[], &Community::new(), &Charter::default(), None);
    /// assert!(metrics.table().to_string().starts_with("Decisions: 0\n"));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn table(&self) -> MetricsTable<'_> {
        MetricsTable::new(self)
    }
}

fn add(sum: &mut Share, share: Share) {
    sum.part += share.part;
    sum.whole += share.whole;
}

fn month_of(at: Timestamp) -> String {
    let date = at.to_zoned(TimeZone::UTC).date();
    format!("{:04}-{:02}", date.year(), date.month())
}

/// A round's figures: who took part and what became of objections from the round's state
/// (and `responders`); what was decided from the state of the process that settles it;
/// rationale and publication from the `published` record.
fn decision(
    id: &StreamId,
    stream: &Stream,
    round: &Round,
    responders: Option<&Responders>,
    origin: Option<Origin<'_>>,
    published: Published,
    (community, ended): (&Community, &Community),
) -> DecisionMetrics {
    let config = round.config();
    let lived: BTreeSet<MemberId> = config
        .eligible
        .iter()
        .filter(|m| m.lived_experience)
        .map(|m| m.member)
        .collect();
    // Only eligible members can respond; the count still checks it against the snapshot.
    // One accountable decider (advice process, delegated decision): the decider is the one
    // who takes part, as the decision's record says; those heard are advisers, not members
    // who failed to respond. Otherwise, only eligible members can respond; the count still
    // checks it against the snapshot.
    let (eligible, responded, lived_responders) = match round.decider() {
        Some(decider) => {
            let responded: BTreeSet<MemberId> =
                round.decision().map(|_| decider).into_iter().collect();
            let lived = !responded.is_empty()
                && community
                    .member(decider)
                    .is_some_and(|m| m.lived_experience);
            (1, responded, usize::from(lived))
        }
        None => {
            let responded: BTreeSet<MemberId> = responders
                .map(|r| {
                    r.responded
                        .iter()
                        .copied()
                        .filter(|m| round.is_eligible(*m))
                        .collect()
                })
                .unwrap_or_default();
            let lived_responders = responded.iter().filter(|m| lived.contains(m)).count();
            // Who stepped out, or left the community, before responding was not entitled
            // to respond, as the record counts them: told apart, not counted as silent.
            let recused: BTreeSet<MemberId> = stream.parts().recusals().collect();
            let not_entitled = config
                .eligible
                .iter()
                .map(|e| e.member)
                .filter(|m| !responded.contains(m))
                .filter(|m| recused.contains(m) || ended.member(*m).is_none())
                .count();
            (
                config.eligible.len().saturating_sub(not_entitled),
                responded,
                lived_responders,
            )
        }
    };
    let by_proxy = responders.map_or(0, |r| r.by_proxy.intersection(&responded).count());

    let mut objections = ObjectionCounts::default();
    for o in round.objections() {
        objections.raised += 1;
        match o.status {
            ObjectionStatus::Resolved => objections.integrated += 1,
            ObjectionStatus::KeptAsConcern => objections.kept_as_concern += 1,
            ObjectionStatus::Withdrawn => objections.withdrawn += 1,
            ObjectionStatus::Abandoned => objections.abandoned += 1,
            _ => objections.open += 1,
        }
    }
    // An objection or concern replaced with a later response was raised, and taken back:
    // the record lists it.
    let mut replaced_concerns = 0;
    for (_, raised, _, _) in round.replaced() {
        match raised {
            crate::values::RaisedAs::Objection => {
                objections.raised += 1;
                objections.withdrawn += 1;
            }
            crate::values::RaisedAs::Concern => replaced_concerns += 1,
        }
    }
    // A round that ended in the middle of an objection round never collected what its
    // responses raised: those objections stand open, those concerns logged, as its record
    // says.
    let mut concerns = round.concerns().len() + replaced_concerns;
    for (member, raised, text) in round.uncollected() {
        match raised {
            crate::values::RaisedAs::Objection => {
                let known = round
                    .objections()
                    .iter()
                    .any(|o| o.objector == member && o.reason == text);
                if !known {
                    objections.raised += 1;
                    objections.open += 1;
                }
            }
            crate::values::RaisedAs::Concern => {
                if !round
                    .concerns()
                    .iter()
                    .any(|c| c.by == member && c.text == text)
                {
                    concerns += 1;
                }
            }
        }
    }

    // A round that decides a funding offer is settled by the offer's decision (the round
    // stops at consent), unless it ended by itself while the offer is undecided (escalated,
    // deferred, withdrawn): then, as any other round, it settles itself.
    let settled = match origin.and_then(|o| o.funding) {
        Some(funding) if funding.decided().is_some() || round.ending().is_none() => {
            Settled::funding(funding)
        }
        _ => Settled::round(round),
    };
    let proposed_at = origin.map_or(round.opened_at(), |o| o.proposed_at.min(round.opened_at()));
    DecisionMetrics {
        stream: id.clone(),
        kind: stream.kind().clone(),
        deciding_body: config.deciding_body.clone(),
        method: config.method,
        eligible,
        responded: responded.len(),
        by_proxy,
        participation: Share::new(responded.len(), eligible),
        lived_experience: Share::new(lived_responders, responded.len()),
        objections,
        concerns,
        // The process the round was opened for, from its start; or the one that names it
        // as its round (a round held elsewhere).
        decides_for: stream.decides_for().or(origin.map(|o| o.stream)).cloned(),
        proposed_at,
        opened_at: round.opened_at(),
        decided_at: settled.decided_at,
        time_to_decision: settled.decided_at.map(|at| at.duration_since(proposed_at)),
        published_in_time: settled.in_time(&published),
        outcome: settled.outcome,
        decided: settled.decided,
        rationale: published.rationale,
        published_at: published.published_at,
    }
}

/// A funding decision taken without a consent round in the journal: the deciders out of
/// the deciding body, opened when the offer was identified. An offer declined automatically
/// at screening (a red line) is no one's decision and is left out, as is one not yet
/// screened.
fn funding_decision(
    id: &StreamId,
    stream: &Stream,
    funding: &FundingDecision,
    (community, ended): (&Community, &Community),
    published: Published,
) -> Option<DecisionMetrics> {
    let route = funding.route()?;
    let method = route.method()?;
    let taken = funding.decided();
    let deciders: &[MemberId] = taken.map_or(&[], |d| d.deciders.as_slice());
    // In an advice process or a delegated decision, those who decide are the ones entitled
    // to: the body's other members advise, or are not asked. A member who had left the
    // community by the decision was not entitled to it.
    let eligible = match method {
        Method::AdviceProcess | Method::Delegated => deciders.len(),
        _ => community.body(&route.decider).map_or(deciders.len(), |b| {
            b.members()
                .filter(|m| deciders.contains(m) || ended.member(*m).is_some())
                .count()
        }),
    };
    let lived = deciders
        .iter()
        .filter(|&&m| community.member(m).is_some_and(|x| x.lived_experience))
        .count();
    let settled = Settled::funding(funding);
    Some(DecisionMetrics {
        stream: id.clone(),
        kind: stream.kind().clone(),
        deciding_body: route.decider.clone(),
        method,
        eligible,
        responded: deciders.len(),
        by_proxy: 0,
        participation: Share::new(deciders.len(), eligible),
        lived_experience: Share::new(lived, deciders.len()),
        objections: ObjectionCounts::default(),
        concerns: 0,
        decides_for: None,
        proposed_at: funding.identified_at(),
        opened_at: funding.identified_at(),
        decided_at: settled.decided_at,
        time_to_decision: settled
            .decided_at
            .map(|at| at.duration_since(funding.identified_at())),
        published_in_time: settled.in_time(&published),
        outcome: settled.outcome,
        decided: settled.decided,
        rationale: published.rationale,
        published_at: published.published_at,
    })
}

fn feedback(model: &CoCreation) -> FeedbackMetrics {
    let uncarried = model.uncarried();
    let items = model.items().len();
    FeedbackMetrics {
        carried: Share::new(items.saturating_sub(uncarried.len()), items),
        uncarried,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::{Publication, Redaction};

    fn charter(json: &str) -> Charter {
        Charter::from_json(json).unwrap()
    }

    #[test]
    fn an_empty_journal_has_no_decisions_and_an_empty_publication_share() {
        let m = Metrics::from_journal(&[], &Community::new(), &Charter::default(), None);
        assert!(m.decisions.is_empty() && m.bodies.is_empty());
        assert_eq!(m.publication.in_time, Share::new(0, 0));
        assert_eq!(m.publication.publish_days, 28);
        assert_eq!(m.totals.mean_time_to_decision, None);
        assert_eq!(m.feedback, None);
    }

    #[test]
    fn publish_days_is_the_deadline_t1_runs_with() {
        let strict = charter(
            r#"{"values": [{"id": "transparent"}], "rules": [{"id": "T1", "publish_days": 7}]}"#,
        );
        let t1 = PublishedInTime::of(&strict);
        assert!(t1.charter.is_some());
        assert_eq!(t1.publish_days, 7);
        let without = charter(r#"{"values": [{"id": "transparent"}], "rules": []}"#);
        let t1 = PublishedInTime::of(&without);
        assert!(t1.charter.is_none());
        assert_eq!(t1.publish_days, PublishedOnTime::default().publish_days);
        assert_eq!(t1.publish_days, 28);
    }

    /// A decided record with a rationale, published `days` after the decision.
    fn published(days: i64, redaction_reason: Option<&str>) -> DecisionRecord {
        let decided: Timestamp = "2024-05-01T09:00:00Z".parse().unwrap();
        let mut record = DecisionRecord::new(DecisionKind::Operational);
        record.outcome = Some(Outcome::Adopted);
        record.rationale = Some("Because".into());
        record.dates.decided_at = Some(decided);
        record.dates.as_of = Some(decided);
        record.publication = Some(Publication {
            published_at: decided + SignedDuration::from_hours(24 * days),
            redactions: redaction_reason
                .map(|reason| Redaction {
                    what: "names".into(),
                    reason: reason.into(),
                })
                .into_iter()
                .collect(),
        });
        record
    }

    #[test]
    fn published_in_time_is_t1s_finding_on_the_record() {
        let seed = Charter::default();
        let t1 = PublishedInTime::of(&seed);
        let on_time = Published::of(Some(&published(28, None)), &t1);
        assert!(on_time.rationale && on_time.on_time);
        assert!(!Published::of(Some(&published(29, None)), &t1).on_time);
        // T1 asks for every redaction to be explained, not only for the date.
        assert!(Published::of(Some(&published(1, Some("Safeguarding"))), &t1).on_time);
        assert!(!Published::of(Some(&published(1, Some(" "))), &t1).on_time);
        let seven = charter(
            r#"{"values": [{"id": "transparent"}], "rules": [{"id": "T1", "publish_days": 7}]}"#,
        );
        let t1 = PublishedInTime::of(&seven);
        assert!(!Published::of(Some(&published(8, None)), &t1).on_time);
        let none = Published::of(None, &t1);
        assert!(!none.rationale && !none.on_time && none.published_at.is_none());
    }

    #[test]
    fn a_decision_without_a_rationale_is_not_in_time() {
        let seed = Charter::default();
        let t1 = PublishedInTime::of(&seed);
        let mut record = published(1, None);
        record.rationale = Some("  ".into());
        let published = Published::of(Some(&record), &t1);
        assert!(published.on_time && !published.rationale);
        let settled = Settled {
            decided: true,
            decided_at: record.dates.decided_at,
            outcome: "adopted".into(),
        };
        assert!(!settled.in_time(&published));
    }

    #[test]
    fn months_are_calendar_months_in_utc() {
        assert_eq!(month_of("2022-08-31T23:59:59Z".parse().unwrap()), "2022-08");
        assert_eq!(month_of("2022-09-01T00:00:00Z".parse().unwrap()), "2022-09");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let m = Metrics::from_journal(&[], &Community::new(), &Charter::default(), None);
        let mut json = serde_json::to_value(&m).unwrap();
        assert_eq!(serde_json::from_value::<Metrics>(json.clone()).unwrap(), m);
        json["totals"]["junk"] = serde_json::json!(1);
        assert!(serde_json::from_value::<Metrics>(json.clone()).is_err());
        let mut top = serde_json::to_value(&m).unwrap();
        top["junk"] = serde_json::json!(1);
        assert!(serde_json::from_value::<Metrics>(top).is_err());
    }
}
