//! Taking part: what members do in any process beside its own steps, witnessed by the
//! engine rather than attested after the fact.
//!
//! Every process, whatever its kind, takes these [`PartCommand`]s (JSON:
//! `{"process": "part", "command": {"type": "give_advice", ...}}`):
//!
//! - **Advice and consultation.** A member who runs the process asks for advice
//!   ([`PartCommand::AskAdvice`]): the engine asks the members of every body the route
//!   consults, as the community stands, and any members named. Only a member asked may give
//!   advice ([`PartCommand::GiveAdvice`]), in their own name, with its bases; the engine adds
//!   the bases it can see (lived experience as the community records it, critical friend for
//!   a member of an Allies Group) and refuses a lived-experience basis the community does not
//!   record. The decider answers each piece ([`PartCommand::AnswerAdvice`]).
//! - **Conflicts of interest.** Each member declares for themselves
//!   ([`PartCommand::DeclareInterests`]), and a member who declared an interest may step out
//!   ([`PartCommand::Recuse`]) with a reason. A process with a declaration of its own,
//!   which its rules read, takes interests that way only (a funding decision's
//!   `declare_interest`; [`Process::declares_interests`](super::Process::declares_interests)).
//! - **Payment.** A member who runs the process offers a member payment, saying whether
//!   benefits advice was signposted ([`PartCommand::OfferPayment`]); the member offered
//!   accepts or declines it ([`PartCommand::AnswerPayment`]).
//! - **Access.** When a process opens, the engine raises the access requests of the
//!   members it seats (or, if it seats nobody yet, of the body the route gives to decide):
//!   the needs each has declared to the community ([`PartEvent::AccessRequested`]). A member
//!   who runs the process records each one met ([`PartCommand::MeetAccess`]), with the
//!   adjustment made; one not met stays unmet in the record, for rule I4 to find.
//! - **Reminders.** A member who runs the process records that members were reminded to
//!   take part ([`PartCommand::Remind`]), through the channel the app reports (a short name,
//!   at most [`CHANNEL_CHARS`](crate::limits::CHANNEL_CHARS) characters): the record lists
//!   who was reminded and when, so it shows a member was reminded before an absence was
//!   counted.
//!
//! [`Parts`] folds the events; the stream's decision record takes its advice log, its
//! participants' conflicts and payments, and its access requests from them, so rules T4,
//! T8, C3, H1, H3 and I4 judge what the engine witnessed.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::community::{AccessNeedKind, BodyKind, Community, MemberId};
use crate::governance::Route;
use crate::values::{
    AccessRequest, AdviceBases, AdviceBasis, AdviceEntry, Conflict, DecisionRecord, PaymentStatus,
    Reminder,
};

use super::{DueItem, ProcessKind, Refusal};
use crate::machine::RefusalKind;

/// What a member does in a process beside its own steps.
///
/// JSON, inside a request: `{"process": "part", "command": {"type": "ask_advice"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum PartCommand {
    /// Ask for advice (a member who runs the process): the members of every body the route
    /// consults, and `members` besides.
    AskAdvice {
        /// Members to ask besides the route's consulted bodies (for a route that names no
        /// body: the co-producer with lived experience and the colleague of a tier-0
        /// advice process).
        #[serde(default)]
        members: BTreeSet<MemberId>,
    },
    /// Give advice (a member who was asked, in their own name).
    GiveAdvice {
        /// The advice, in words.
        advice: String,
        /// The footing the adviser gives it on (affected, expertise...); the engine adds
        /// lived experience and critical friend where the community records them.
        #[serde(default)]
        bases: BTreeSet<AdviceBasis>,
    },
    /// Answer a piece of advice (a member who runs the process).
    AnswerAdvice {
        /// Whose advice.
        member: MemberId,
        /// The answer.
        answer: String,
    },
    /// Declare one's own interests for this item: `None` for none.
    DeclareInterests {
        /// The interest, in words; `None` when there is none.
        #[serde(default)]
        interest: Option<String>,
    },
    /// Step out of the decision after declaring an interest (the member themselves).
    Recuse {
        /// Why.
        reason: String,
    },
    /// Offer a member payment for taking part (a member who runs the process).
    OfferPayment {
        /// Whom.
        member: MemberId,
        /// Whether the offer signposted benefits advice.
        benefits_advice: bool,
    },
    /// Accept or decline the payment offered (the member offered).
    AnswerPayment {
        /// Accepted (`true`) or declined.
        accept: bool,
    },
    /// Record that members were reminded to take part (a member who runs the process, for
    /// the app that reminded them).
    Remind {
        /// Who was reminded.
        members: BTreeSet<MemberId>,
        /// Through which channel, as the app names it (`email`, `sms`...); at most
        /// [`CHANNEL_CHARS`](crate::limits::CHANNEL_CHARS) characters.
        channel: String,
    },
    /// Record a member's access need met (a member who runs the process).
    MeetAccess {
        /// Whose need.
        member: MemberId,
        /// Which of their declared needs.
        need: AccessNeedKind,
        /// The adjustment made, in words.
        adjustment: String,
    },
}

impl PartCommand {
    /// The stable name of the command, used in errors.
    pub fn label(&self) -> &'static str {
        self.into()
    }
}

/// What the engine witnessed of members taking part. The actor and the time are the
/// envelope's; each event names the member it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum PartEvent {
    /// Advice was asked of these members (of the route's consulted bodies and those named).
    AdviceAsked {
        /// Who was asked.
        members: BTreeSet<MemberId>,
        /// When.
        at: Timestamp,
    },
    /// A member gave advice.
    AdviceGiven {
        /// The adviser.
        member: MemberId,
        /// The advice.
        advice: String,
        /// Its bases, as the adviser gave them and the engine saw them.
        bases: BTreeSet<AdviceBasis>,
        /// When.
        at: Timestamp,
    },
    /// A piece of advice was answered.
    AdviceAnswered {
        /// Whose advice.
        member: MemberId,
        /// The answer.
        answer: String,
        /// Who answered.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A member declared their interests.
    InterestsDeclared {
        /// The member.
        member: MemberId,
        /// The interest; `None` for none.
        interest: Option<String>,
        /// When.
        at: Timestamp,
    },
    /// A member stepped out of the decision.
    Recused {
        /// The member.
        member: MemberId,
        /// Why.
        reason: String,
        /// When.
        at: Timestamp,
    },
    /// A member was offered payment.
    PaymentOffered {
        /// Whom.
        member: MemberId,
        /// Whether benefits advice was signposted.
        benefits_advice: bool,
        /// Who offered it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A member accepted or declined the payment offered.
    PaymentAnswered {
        /// The member.
        member: MemberId,
        /// Accepted or declined.
        accepted: bool,
        /// When.
        at: Timestamp,
    },
    /// The engine raised a member's access requests as the process seated them: the needs
    /// they had declared to the community.
    AccessRequested {
        /// Whose.
        member: MemberId,
        /// The needs declared.
        needs: Vec<AccessNeedKind>,
        /// When.
        at: Timestamp,
    },
    /// Members were reminded to take part.
    Reminded {
        /// Who was reminded.
        members: BTreeSet<MemberId>,
        /// Through which channel, as the app reported it.
        channel: String,
        /// Who recorded it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
    /// A member's access need was met.
    AccessMet {
        /// Whose.
        member: MemberId,
        /// Which need.
        need: AccessNeedKind,
        /// The adjustment made.
        adjustment: String,
        /// Who recorded it.
        by: MemberId,
        /// When.
        at: Timestamp,
    },
}

/// Why the engine refused a [`PartCommand`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PartError {
    /// A refusal every process makes alike (a command dated before the process's last
    /// event, a blank text), naming the process the members take part in.
    #[error(transparent)]
    Shared(Refusal),
    /// A member who stepped out of the decision cannot take part in it.
    #[error("member {member} stepped out of this decision and cannot respond in it")]
    SteppedOut {
        /// The member.
        member: MemberId,
    },
    /// Interests in a process that has a declaration of its own are declared through that
    /// command, which its rules read: the shared declaration and stepping out are refused
    /// on it.
    #[error(
        "interests in a {} are declared with its own `{command}`, which its rules read; `{attempted}` is not taken on it",
        process.noun()
    )]
    DeclaredByTheProcess {
        /// The command refused.
        attempted: &'static str,
        /// The process.
        process: ProcessKind,
        /// Its own command for declaring interests.
        command: &'static str,
    },
    /// Only a member who runs the process may do this.
    #[error("`{attempted}` is for a member who runs the process; member {actor} does not")]
    NotRunning {
        /// The command.
        attempted: &'static str,
        /// Who tried.
        actor: MemberId,
    },
    /// A member the command names is not in the community.
    #[error("member {member} is not in the community")]
    NotAMember {
        /// The member.
        member: MemberId,
    },
    /// A reminder that names nobody.
    #[error("a reminder names at least one member")]
    NobodyReminded,
    /// Nobody to ask: the route consults no body with members, and nobody was named.
    #[error("nobody to ask: the route consults no body with members and no member is named")]
    NobodyToAsk,
    /// Advice from a member who was not asked.
    #[error("member {member} was not asked for advice on this process")]
    NotAsked {
        /// The member.
        member: MemberId,
    },
    /// Advice given in another member's name.
    #[error("member {actor} cannot give advice in member {member}'s name")]
    NotInOwnName {
        /// Who tried.
        actor: MemberId,
        /// In whose name.
        member: MemberId,
    },
    /// A basis the community does not record of the adviser.
    #[error("member {member} gives advice on lived experience the community does not record")]
    BasisNotRecorded {
        /// The adviser.
        member: MemberId,
    },
    /// An answer to advice nobody gave.
    #[error("member {member} has given no advice to answer")]
    NoAdvice {
        /// The member.
        member: MemberId,
    },
    /// A recusal before any interest was declared.
    #[error("member {member} declared no interest to step out for")]
    NoInterest {
        /// The member.
        member: MemberId,
    },
    /// A member who has responded in the decision cannot step out of it afterwards.
    #[error("member {member} has already responded in this decision; stepping out comes first")]
    AlreadyResponded {
        /// The member.
        member: MemberId,
    },
    /// A member already stepped out.
    #[error("member {member} has already stepped out")]
    AlreadyRecused {
        /// The member.
        member: MemberId,
    },
    /// An answer to a payment nobody offered.
    #[error("member {member} was offered no payment")]
    NotOffered {
        /// The member.
        member: MemberId,
    },
    /// A need the member has not declared to the community.
    #[error("member {member} has declared no `{need:?}` access need")]
    NeedNotDeclared {
        /// The member.
        member: MemberId,
        /// The need.
        need: AccessNeedKind,
    },
}

impl PartError {
    /// The refusal every process makes alike, if this is one (see
    /// [`crate::Error::refusal`]).
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            PartError::Shared(refusal) => Some(refusal),
            _ => None,
        }
    }
}

/// What the engine knows when it decides a [`PartCommand`].
#[derive(Debug, Clone, Copy)]
pub struct PartContext<'a> {
    /// Who acts.
    pub actor: MemberId,
    /// When.
    pub now: Timestamp,
    /// The route the process opened on, if any.
    pub route: Option<&'a Route>,
    /// The community as it stands.
    pub community: &'a Community,
    /// The members who run the process (who may attest for it).
    pub runners: &'a BTreeSet<MemberId>,
    /// When the process's last event was written: nothing is witnessed before it.
    pub last: Option<Timestamp>,
    /// The kind of process the members take part in, named in a refusal every process
    /// makes alike.
    pub process: ProcessKind,
    /// The phase the process is in, named when it has ended and takes no more taking part.
    pub phase: &'static str,
}

/// One piece of advice, as given and answered.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Advice {
    text: String,
    bases: BTreeSet<AdviceBasis>,
    given_at: Timestamp,
    answer: Option<String>,
}

/// A member's declaration of interests and whether they stepped out.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Interests {
    interest: Option<String>,
    recused: bool,
    /// Why they stepped out, when they did.
    reason: Option<String>,
}

/// A payment offered and its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Payment {
    benefits_advice: bool,
    accepted: Option<bool>,
}

/// What the engine witnessed of members taking part in one process.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    /// Who was asked for advice, and when last.
    asked: BTreeMap<MemberId, Timestamp>,
    advice: BTreeMap<MemberId, Advice>,
    interests: BTreeMap<MemberId, Interests>,
    payments: BTreeMap<MemberId, Payment>,
    requested: BTreeMap<MemberId, Vec<AccessNeedKind>>,
    access: BTreeMap<(MemberId, AccessNeedKind), (String, Timestamp)>,
    reminders: Vec<Reminder>,
    /// When the process last decided, if it has.
    decided_at: Option<Timestamp>,
    /// Whether the process has ended (a final phase): it waits on nothing.
    ended: bool,
}

impl Parts {
    /// Whether `member` stepped out of the decision.
    pub fn recused(&self, member: MemberId) -> bool {
        self.interests.get(&member).is_some_and(|i| i.recused)
    }

    /// The members who stepped out of the decision.
    pub fn recusals(&self) -> impl Iterator<Item = MemberId> + '_ {
        self.interests
            .iter()
            .filter(|(_, i)| i.recused)
            .map(|(m, _)| *m)
    }

    /// What the process waits on from those who take part: advice asked and not given,
    /// advice given and not answered. A process that has ended waits on nothing, and one
    /// that has decided waits on no advice asked or given before it decided.
    pub fn due(&self) -> Vec<DueItem> {
        let mut items = Vec::new();
        if self.ended {
            return items;
        }
        let since_decided = |at: Timestamp| self.decided_at.is_none_or(|d| at > d);
        let awaited: Vec<MemberId> = self
            .asked
            .iter()
            .filter(|(m, at)| !self.advice.contains_key(m) && since_decided(**at))
            .map(|(m, _)| *m)
            .collect();
        if !awaited.is_empty() {
            items.push(DueItem::AdviceAwaited { members: awaited });
        }
        let unanswered: Vec<MemberId> = self
            .advice
            .iter()
            .filter(|(_, a)| a.answer.is_none() && since_decided(a.given_at))
            .map(|(m, _)| *m)
            .collect();
        if !unanswered.is_empty() {
            items.push(DueItem::AdviceUnanswered {
                members: unanswered,
            });
        }
        items
    }

    /// Notes where the process stands after an event journalled at `at`: whether the event
    /// decided it, and whether its phase is now final.
    pub(crate) fn settle(&mut self, at: Timestamp, decided: bool, ended: bool) {
        if decided {
            self.decided_at = Some(at);
        }
        self.ended = ended;
    }

    /// The reminders recorded, in order.
    pub fn reminders(&self) -> &[Reminder] {
        &self.reminders
    }

    /// Decides `command` in `ctx`: the event to journal, or why not.
    ///
    /// # Errors
    ///
    /// A [`PartError`] saying which check the command failed.
    pub fn decide(
        &self,
        command: &PartCommand,
        ctx: &PartContext<'_>,
    ) -> Result<PartEvent, PartError> {
        let attempted = command.label();
        let actor = ctx.actor;
        let at = ctx.now;
        let shared = |kind| {
            PartError::Shared(Refusal {
                process: ctx.process,
                kind,
            })
        };
        if let Some(last) = ctx.last
            && at < last
        {
            return Err(shared(RefusalKind::ClockWentBack { now: at, last }));
        }
        // Once the process has ended, nobody is asked, advises, is reminded or offered
        // anything, declares or steps out any more: what was done while it ran stays, and an
        // answer to advice or to an offer made then may still come.
        if self.ended
            && !matches!(
                command,
                PartCommand::AnswerAdvice { .. } | PartCommand::AnswerPayment { .. }
            )
        {
            return Err(shared(RefusalKind::WrongPhase {
                attempted,
                phase: ctx.phase,
            }));
        }
        let running = || {
            if ctx.runners.contains(&actor) {
                Ok(())
            } else {
                Err(PartError::NotRunning { attempted, actor })
            }
        };
        let text = |field: &'static str, text: &str| {
            if crate::limits::is_blank(text) {
                Err(shared(RefusalKind::TextRequired { attempted, field }))
            } else {
                Ok(())
            }
        };
        let in_community = |member: MemberId| {
            ctx.community
                .member(member)
                .ok_or(PartError::NotAMember { member })
        };
        match command {
            PartCommand::AskAdvice { members } => {
                running()?;
                for member in members {
                    in_community(*member)?;
                }
                let mut asked = members.clone();
                for consultee in ctx.route.map(|r| r.consult.as_slice()).unwrap_or_default() {
                    if let Some(body) = ctx.community.body(&consultee.body) {
                        asked.extend(body.members());
                    }
                }
                if asked.is_empty() {
                    return Err(PartError::NobodyToAsk);
                }
                Ok(PartEvent::AdviceAsked { members: asked, at })
            }
            PartCommand::GiveAdvice { advice, bases } => {
                let member = in_community(actor)?;
                if !self.asked.contains_key(&actor) {
                    return Err(PartError::NotAsked { member: actor });
                }
                text("advice", advice)?;
                if bases.contains(&AdviceBasis::LivedExperience) && !member.lived_experience {
                    return Err(PartError::BasisNotRecorded { member: actor });
                }
                let mut bases = bases.clone();
                if member.lived_experience {
                    bases.insert(AdviceBasis::LivedExperience);
                }
                let critical_friend = ctx
                    .community
                    .bodies()
                    .any(|b| b.kind == BodyKind::AlliesGroup && b.contains(actor));
                if critical_friend {
                    bases.insert(AdviceBasis::CriticalFriend);
                }
                Ok(PartEvent::AdviceGiven {
                    member: actor,
                    advice: advice.clone(),
                    bases,
                    at,
                })
            }
            PartCommand::AnswerAdvice { member, answer } => {
                running()?;
                if !self.advice.contains_key(member) {
                    return Err(PartError::NoAdvice { member: *member });
                }
                text("answer", answer)?;
                Ok(PartEvent::AdviceAnswered {
                    member: *member,
                    answer: answer.clone(),
                    by: actor,
                    at,
                })
            }
            PartCommand::DeclareInterests { interest } => {
                in_community(actor)?;
                if self.recused(actor) {
                    return Err(PartError::AlreadyRecused { member: actor });
                }
                if let Some(interest) = interest {
                    text("interest", interest)?;
                }
                Ok(PartEvent::InterestsDeclared {
                    member: actor,
                    interest: interest.clone(),
                    at,
                })
            }
            PartCommand::Recuse { reason } => {
                in_community(actor)?;
                match self.interests.get(&actor) {
                    Some(i) if i.recused => {
                        return Err(PartError::AlreadyRecused { member: actor });
                    }
                    Some(Interests {
                        interest: Some(_), ..
                    }) => {}
                    _ => return Err(PartError::NoInterest { member: actor }),
                }
                text("reason", reason)?;
                Ok(PartEvent::Recused {
                    member: actor,
                    reason: reason.clone(),
                    at,
                })
            }
            PartCommand::OfferPayment {
                member,
                benefits_advice,
            } => {
                running()?;
                in_community(*member)?;
                Ok(PartEvent::PaymentOffered {
                    member: *member,
                    benefits_advice: *benefits_advice,
                    by: actor,
                    at,
                })
            }
            PartCommand::AnswerPayment { accept } => {
                if !self.payments.contains_key(&actor) {
                    return Err(PartError::NotOffered { member: actor });
                }
                Ok(PartEvent::PaymentAnswered {
                    member: actor,
                    accepted: *accept,
                    at,
                })
            }
            PartCommand::Remind { members, channel } => {
                running()?;
                if members.is_empty() {
                    return Err(PartError::NobodyReminded);
                }
                for member in members {
                    in_community(*member)?;
                }
                text("channel", channel)?;
                Ok(PartEvent::Reminded {
                    members: members.clone(),
                    channel: channel.clone(),
                    by: actor,
                    at,
                })
            }
            PartCommand::MeetAccess {
                member,
                need,
                adjustment,
            } => {
                running()?;
                let declared = in_community(*member)?
                    .access_needs
                    .iter()
                    .any(|n| n.kind == *need)
                    || self.requested.get(member).is_some_and(|n| n.contains(need));
                if !declared {
                    return Err(PartError::NeedNotDeclared {
                        member: *member,
                        need: *need,
                    });
                }
                text("adjustment", adjustment)?;
                Ok(PartEvent::AccessMet {
                    member: *member,
                    need: *need,
                    adjustment: adjustment.clone(),
                    by: actor,
                    at,
                })
            }
        }
    }

    /// Folds one event in.
    pub fn evolve(&mut self, event: &PartEvent) {
        match event {
            PartEvent::AdviceAsked { members, at } => {
                self.asked.extend(members.iter().map(|m| (*m, *at)));
            }
            PartEvent::AdviceGiven {
                member,
                advice,
                bases,
                at,
            } => {
                // Advice given again replaces the earlier piece, and needs a new answer.
                self.advice.insert(
                    *member,
                    Advice {
                        text: advice.clone(),
                        bases: bases.clone(),
                        given_at: *at,
                        answer: None,
                    },
                );
            }
            PartEvent::AdviceAnswered { member, answer, .. } => {
                if let Some(advice) = self.advice.get_mut(member) {
                    advice.answer = Some(answer.clone());
                }
            }
            PartEvent::InterestsDeclared {
                member, interest, ..
            } => {
                self.interests.insert(
                    *member,
                    Interests {
                        interest: interest.clone(),
                        recused: false,
                        reason: None,
                    },
                );
            }
            PartEvent::Recused { member, reason, .. } => {
                if let Some(i) = self.interests.get_mut(member) {
                    i.recused = true;
                    i.reason = Some(reason.clone());
                }
            }
            PartEvent::PaymentOffered {
                member,
                benefits_advice,
                ..
            } => {
                self.payments.insert(
                    *member,
                    Payment {
                        benefits_advice: *benefits_advice,
                        accepted: None,
                    },
                );
            }
            PartEvent::PaymentAnswered {
                member, accepted, ..
            } => {
                if let Some(p) = self.payments.get_mut(member) {
                    p.accepted = Some(*accepted);
                }
            }
            PartEvent::Reminded {
                members,
                channel,
                by,
                at,
            } => self.reminders.push(Reminder {
                members: members.iter().copied().collect(),
                channel: channel.clone(),
                by: *by,
                at: *at,
            }),
            PartEvent::AccessRequested { member, needs, .. } => {
                self.requested.insert(*member, needs.clone());
            }
            PartEvent::AccessMet {
                member,
                need,
                adjustment,
                at,
                ..
            } => {
                self.access
                    .insert((*member, *need), (adjustment.clone(), *at));
            }
        }
    }

    /// Writes what was witnessed into `record`: the advice log (after the process's own),
    /// each participant's declaration of interests and payment, benefits-advice
    /// signposting, and the access requests of the participants' declared needs. A
    /// participant's conflict or payment the process recorded itself stands unless a
    /// member's own declaration here says otherwise.
    pub fn project(&self, record: &mut DecisionRecord, community: &Community) {
        record.reminders.extend(self.reminders.iter().cloned());
        if !self.advice.is_empty() {
            let log = record.advice.get_or_insert_with(Vec::new);
            log.extend(self.advice.iter().map(|(member, a)| AdviceEntry {
                from: *member,
                bases: AdviceBases::from(&a.bases),
                text: Some(a.text.clone()),
                given_at: Some(a.given_at),
                answer: a.answer.clone().map(Cow::Owned),
            }));
        }
        let Some(participants) = record.participants.as_mut() else {
            return;
        };
        // A record built on a cited round's already holds the needs met there: met on
        // either stream, a need is met.
        let met_before: BTreeMap<(MemberId, AccessNeedKind), _> = record
            .access_requests
            .iter()
            .flatten()
            .filter_map(|r| Some(((r.member, r.need), (r.met_at?, r.adjustment.clone()?))))
            .collect();
        let mut requests = Vec::new();
        for p in participants.edit().iter_mut() {
            if let Some(i) = self.interests.get(&p.member) {
                let declared = match (&i.interest, i.recused) {
                    (None, _) => Conflict::None,
                    (Some(_), true) => Conflict::DeclaredAndRecused,
                    (Some(_), false) => Conflict::DeclaredAndTookPart,
                };
                p.conflict = Some(declared.as_taken(p.has_responded()));
                p.interest.clone_from(&i.interest);
                p.stepped_out.clone_from(&i.reason);
            }
            if let Some(pay) = self.payments.get(&p.member) {
                p.payment = Some(match pay.accepted {
                    None => PaymentStatus::Offered,
                    Some(true) => PaymentStatus::Accepted,
                    Some(false) => PaymentStatus::Declined,
                });
            }
            // The needs raised when the process seated them; for a member seated later
            // (a funding decision's deciders), the needs they declare to the community.
            let needs: Vec<AccessNeedKind> = match self.requested.get(&p.member) {
                Some(needs) => needs.clone(),
                None => community
                    .member(p.member)
                    .map(|m| m.access_needs.iter().map(|n| n.kind).collect())
                    .unwrap_or_default(),
            };
            for need in needs {
                let (met_at, adjustment) = match self.access.get(&(p.member, need)) {
                    Some((adjustment, at)) => (Some(*at), Some(adjustment.clone().into())),
                    None => met_before
                        .get(&(p.member, need))
                        .map_or((None, None), |(at, adjustment)| {
                            (Some(*at), Some(adjustment.clone()))
                        }),
                };
                requests.push(AccessRequest {
                    member: p.member,
                    need,
                    met_at,
                    adjustment,
                });
            }
        }
        // Who needs what is the community's to say: the requests are its members' declared
        // needs, met or not as witnessed here.
        record.access_requests = Some(requests);
        if !self.payments.is_empty() {
            record.benefits_advice_signposted =
                Some(self.payments.values().all(|p| p.benefits_advice));
        }
    }
}
