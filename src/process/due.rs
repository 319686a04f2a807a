//! What is due: the items a process waits on at a given time, for an app to show, remind
//! about or act on.
//!
//! The library never reads the clock: [`Engine::due`](crate::engine::Engine::due) takes
//! `now` and lists, for every stream, what its process waits on: responses awaited in an
//! objection round and by when, a time box that has passed and what the round's
//! configuration does next ([`AtDeadline`]), advice asked but not given or given but not
//! answered, a round waiting for its facilitator to move it on or for its decider to
//! decide, a funding decision waiting for its deciding body to decide, a role whose holder
//! has left the community to hand on, a consented round's
//! outcome its secretary has not recorded, a record whose
//! publication rule T1 asks for, a review that has come (or is coming) due, a pilot
//! scheduled to start, and an escalated matter waiting to be taken up. Each item is a [`DueItem`]; [`Due`] names the stream it is in.
//!
//! [`Engine::tick`](crate::engine::Engine::tick) takes the steps a configuration chose, and
//! only those: an item whose [`DueItem::step`] is `None` waits for a member.
//!
//! # Example
//!
//! ```
//! use coproduction::process::{Due, DueItem};
//! use coproduction::community::MemberId;
//! use coproduction::journal::StreamId;
//!
//! let due = Due {
//!     stream: StreamId::new("meetings")?,
//!     item: DueItem::ResponsesAwaited {
//!         members: vec![MemberId::new(3)],
//!         round: 1,
//!         by: Some("2022-09-08T10:00:00Z".parse()?),
//!     },
//! };
//! assert_eq!(due.item.step(), None); // a member responds; nothing happens on its own
//! let json = serde_json::to_string(&due)?;
//! assert!(json.contains(r#""type":"responses_awaited""#));
//! # Ok::<(), coproduction::Error>(())
//! ```

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::MemberId;
use crate::consent::{AtDeadline, DeadlineStep, HandedRole, RoundPhase};
use crate::journal::StreamId;

/// One item due in one stream.
///
/// JSON: `{"stream": "meetings", "item": {"type": "responses_awaited", ...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Due {
    /// The stream whose process waits.
    pub stream: StreamId,
    /// What it waits on.
    pub item: DueItem,
}

/// What a process waits on. Times are the engine's witness: when a box ends, when a
/// publication falls due, as the process's own events and configuration say.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum DueItem {
    /// An objection round (or an advice process's round) waits on these eligible members'
    /// responses (through the engine, of those still in the community who have not
    /// stepped out of the decision).
    ResponsesAwaited {
        /// Who has not responded yet, in id order.
        members: Vec<MemberId>,
        /// The objection round.
        round: u32,
        /// When the round's time box ends, if it has one.
        by: Option<Timestamp>,
    },
    /// A round's time box has passed: the round takes no more contributions, and what
    /// happens next is its configuration's choice.
    TimeBoxPassed {
        /// When the box ended.
        ended: Timestamp,
        /// The phase the round is in.
        phase: RoundPhase,
        /// What the round's configuration chose for this point.
        at_deadline: AtDeadline,
        /// The step [`Engine::tick`](crate::engine::Engine::tick) takes now; `None` when the
        /// configuration chose nothing and the round waits for its facilitator.
        step: Option<DeadlineStep>,
    },
    /// Advice was asked of these members and they have not given it.
    AdviceAwaited {
        /// Who was asked and has not given advice, in id order.
        members: Vec<MemberId>,
    },
    /// Advice was given and the decider has not answered it.
    AdviceUnanswered {
        /// Whose advice waits for an answer, in id order.
        members: Vec<MemberId>,
    },
    /// The decision's record is unpublished, and rule T1 asks for it within the charter's
    /// `publish_days` of the decision.
    PublicationDue {
        /// When the decision was taken.
        decided_at: Timestamp,
        /// The last moment T1 counts as in time.
        by: Timestamp,
        /// Whether that moment has passed.
        overdue: bool,
    },
    /// A standing agreement's review date (a proposal in force or piloted, a funding
    /// arrangement monitored).
    ReviewDue {
        /// The review date.
        review_date: Timestamp,
        /// Whether it has come: the review may open.
        overdue: bool,
    },
    /// A round has consented and waits for its secretary to record the outcome (what was
    /// agreed and when it will be reviewed): until then the proposal it decides for stays
    /// in decision.
    OutcomeAwaited {
        /// When the round consented.
        consented_at: Timestamp,
        /// The round's secretary, who records it.
        secretary: MemberId,
    },
    /// A round waits for its facilitator to move it on: from a phase of its deliberation
    /// (presented, clarifying, reactions, amending, integrating) to the next, or to close
    /// an objection round everyone seated has answered. Nothing moves it on its own: a
    /// round with no time box waits for as long as its facilitator does nothing, and this
    /// says since when.
    FacilitatorAwaited {
        /// The round's facilitator.
        facilitator: MemberId,
        /// The phase it waits in.
        phase: RoundPhase,
        /// Since when: the start of that phase.
        since: Timestamp,
    },
    /// An advice process or a delegated decision waits for its decider (the round's
    /// proposer) to decide: a delegated decision once presented; an advice process once
    /// advice was given, every piece of it answered, and its quorum met. Nothing decides it
    /// on its own.
    DecisionAwaited {
        /// The round's proposer, who decides.
        decider: MemberId,
        /// The phase it waits in.
        phase: RoundPhase,
    },
    /// A funding or partnership decision waits for its deciding body to decide: its
    /// consultation holds all the route asks for (the checks done, advice answered, a
    /// comment window closed, the deciding body's consent round recorded, where one
    /// decides), or deciding has started. A round held for it that consented records no
    /// outcome of its own: this is where the decision waits.
    BodyDecisionAwaited {
        /// The body that decides, as the route governance gave says.
        body: crate::community::BodyId,
        /// The phase it waits in: consultation, or deciding.
        phase: crate::funding::FundingPhase,
        /// Through the engine, the members who may take the step, in member order: the
        /// members of the body a round held for the decision seated, or else the body's as
        /// it stood when the process opened (as it stands, once nobody of that is left who
        /// has not stepped out), less who has left the community, stepped out, or is held
        /// back by the process's own rule (an interest declared and not stepped out from,
        /// before deciding starts). Empty where nobody can. Not given where the process
        /// lists it on its own, knowing no community.
        members: Option<Vec<MemberId>>,
    },
    /// A round waits on a role whose holder has left the community (its secretary, to
    /// record the outcome; its facilitator; or, until it consents, its proposer): `by`
    /// hands the role on to a member
    /// ([`RoundCommand::HandOnRole`](crate::consent::RoundCommand::HandOnRole)).
    RoleToHandOn {
        /// The role.
        role: HandedRole,
        /// Who held it, and has left the community (or, a proposer who decides alone,
        /// stepped out of the decision).
        left: MemberId,
        /// Who hands it on ([`HandedRole::handed_on_by`]): the facilitator, for the
        /// secretary's role; the proposer, for the facilitator's, or the secretary where
        /// the proposer has left too; the facilitator, for the proposer's, or the secretary
        /// where the facilitator has left too. Absent where all three have left: then any
        /// of `seated` hands it on.
        #[serde(default)]
        by: Option<MemberId>,
        /// Where the proposer, facilitator and secretary have all left: the members seated
        /// in the round who are still in the community and have not stepped out of the
        /// decision, any of whom hands the role on. Empty otherwise (and
        /// where they have all left too: nobody can).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        seated: Vec<MemberId>,
    },
    /// A process escalated to a body, which no process has taken up yet (or whose take-up
    /// ended deciding nothing): a member of that body takes it up, on a stream of its own
    /// ([`Request::taking_up`](crate::engine::Request::taking_up)). A round and the process
    /// it decides for escalate as one matter, listed once, at the round.
    TakeUpAwaited {
        /// The body it went to.
        to: crate::community::BodyId,
        /// When it was escalated.
        escalated_at: Timestamp,
        /// Whether a change to the community has dissolved that body since: the map in
        /// force routes the matter then, and a member of the body it names takes it up.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        dissolved: bool,
    },
    /// A pilot scheduled to start later: listed from its scheduling; on its start date the
    /// engine's [`tick`](crate::engine::Engine::tick) starts it, as the steward chose.
    PilotStarting {
        /// When it starts.
        starts: Timestamp,
        /// When it ends and falls due for review, counted from its start.
        review_date: Timestamp,
        /// The step the tick takes now: `Some("start_pilot")` once the start has come.
        step: Option<DeadlineStep>,
    },
}

impl DueItem {
    /// The step [`Engine::tick`](crate::engine::Engine::tick) takes for this item on its
    /// own: a passed time box whose round chose one, or a scheduled pilot whose start has
    /// come.
    pub fn step(&self) -> Option<DeadlineStep> {
        match self {
            DueItem::TimeBoxPassed { step, .. } | DueItem::PilotStarting { step, .. } => *step,
            _ => None,
        }
    }

    /// The stable name of the item, as in the JSON.
    pub fn label(&self) -> &'static str {
        self.into()
    }
}
