//! A whole decision as one JSON document.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::community::{Community, Member, MemberId};
use crate::engine::EngineEvent;
use crate::journal::{Envelope, Hash, StreamId};
use crate::values::{
    CharterAdoption, DecisionRecord, GateReview, GateSummary, RuleId, ValueReport,
};

/// One decision, whole, as one JSON document: its record, the value report on it, the gate
/// it passed and what today's charter makes of it, how each member it mentions asked to be
/// named, and every event of its stream as the journal holds it (each envelope with its
/// hash, so a reader can check the chain). What a tool in another language needs to show or
/// audit the decision without the crate.
///
/// Made by [`Engine::export`](crate::engine::Engine::export), or by [`DecisionDocument::new`]
/// from parts; `coproduction report record --json` prints one.
///
/// # Example
///
/// ```
/// use coproduction::community::{Community, Member, MemberId, Naming};
/// use coproduction::decision::DecisionKind;
/// use coproduction::report::DecisionDocument;
/// use coproduction::values::{Charter, DecisionRecord, Participant, RecordedResponse};
///
/// let mut community = Community::new();
/// community.add_member(Member::new(MemberId::new(4), "Co-producer 2").named(Naming::Initials))?;
/// let record = DecisionRecord {
///     participants: Some(vec![Participant::new(MemberId::new(4)).responded(RecordedResponse::Consent)].into()),
///     ..DecisionRecord::new(DecisionKind::WorkingModel)
/// };
/// let report = Charter::default().check(&record);
/// let document = DecisionDocument::new("working-model".parse()?, record, report, None, &community, Vec::new());
/// assert_eq!(document.names[&MemberId::new(4)], "C. 2.");
/// let json = serde_json::to_string(&document)?;
/// assert_eq!(serde_json::from_str::<DecisionDocument>(&json)?, document);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionDocument {
    /// The decision's stream.
    pub stream: StreamId,
    /// The decision record.
    pub record: DecisionRecord,
    /// The value report on the record.
    pub report: ValueReport,
    /// The last value gate the decision passed, and what today's charter makes of it; absent
    /// when no decision of the stream passed a gate (an offer declined at its red-line
    /// screen, a process still open).
    pub gate: Option<GateStanding>,
    /// Each member the record mentions, as they asked to be named (a name, initials, or
    /// "anonymous member" and their id), by the community given.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<MemberId, String>,
    /// Every event of the stream, in order, as the journal holds it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Envelope<EngineEvent>>,
}

/// The gate a decision passed, beside today's charter's judgement of it: a
/// [`GateReview`] as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateStanding {
    /// The gate the decision passed, as journalled.
    pub passed: GateSummary,
    /// The hash of today's charter.
    pub today: Hash,
    /// Whether today's charter is the one it passed under.
    pub same_charter: bool,
    /// Whether today's charter would refuse it, or pass it on other rules.
    pub judged_differently: bool,
    /// The rules today's charter finds unmet: empty when it would pass it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmet_today: Vec<RuleId>,
    /// For an offer screened under a funding policy, whether today's policy is the same;
    /// absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_funding_policy: Option<bool>,
    /// How the charter it passed under came into force: with the founding, or by a
    /// decision (on whose word, when recorded from a round held elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed_adopted: Option<CharterAdoption>,
    /// How today's charter came into force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub today_adopted: Option<CharterAdoption>,
}

impl From<&GateReview> for GateStanding {
    fn from(review: &GateReview) -> Self {
        Self {
            passed: review.passed.clone(),
            today: review.today,
            same_charter: review.same_charter(),
            judged_differently: review.judged_differently(),
            unmet_today: match &review.today_gate {
                Ok(_) => Vec::new(),
                Err(refusal) => refusal.unmet().iter().map(|u| u.rule.clone()).collect(),
            },
            same_funding_policy: review.same_funding_policy(),
            passed_adopted: review.passed_adopted.clone(),
            today_adopted: review.today_adopted.clone(),
        }
    }
}

impl DecisionDocument {
    /// The document of the decision on `stream`: its `record`, the `report` on it, the gate
    /// `review` if it passed one, the names of the members the record mentions as
    /// `community` shows them, and its `history`.
    pub fn new(
        stream: StreamId,
        record: DecisionRecord,
        report: ValueReport,
        review: Option<&GateReview>,
        community: &Community,
        history: Vec<Envelope<EngineEvent>>,
    ) -> Self {
        let names = mentioned(&record)
            .into_iter()
            .map(|m| {
                let shown = community
                    .member(m)
                    .map_or_else(|| m.to_string(), Member::shown_as);
                (m, shown)
            })
            .collect();
        Self {
            stream,
            record,
            report,
            gate: review.map(GateStanding::from),
            names,
            history,
        }
    }
}

/// Every member a record mentions: who took part and their supporters, who raised an
/// objection, gave advice or asked for access, who attested, overrode or acknowledged, who
/// was reminded and who reminded them, who extended a time box.
fn mentioned(r: &DecisionRecord) -> BTreeSet<MemberId> {
    let mut members = BTreeSet::new();
    for p in r.participants.iter().flatten() {
        members.insert(p.member);
        members.extend(p.proxy);
    }
    members.extend(r.objections.iter().flatten().map(|e| e.by));
    members.extend(r.advice.iter().flatten().map(|a| a.from));
    members.extend(r.access_requests.iter().flatten().map(|a| a.member));
    members.extend(r.attested.iter().map(|a| a.by));
    members.extend(r.overrides.iter().map(|o| o.by));
    members.extend(r.acknowledgements.iter().map(|a| a.by));
    for x in &r.reminders {
        members.extend(&x.members);
        members.insert(x.by);
    }
    members.extend(r.extensions.iter().map(|x| x.by));
    if let Some(from) = &r.escalated_from {
        members.extend(from.objections.iter().map(|e| e.by));
    }
    members
}
