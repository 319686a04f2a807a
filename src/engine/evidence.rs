//! What the engine takes as evidence, and from whom: the facts it cannot witness, attested
//! by a member who answers for the process (or by the member a fact is about), never the
//! facts it witnesses itself; and overrides made by the actor, in their own name, of a rule
//! that takes one.

use jiff::Timestamp;

use crate::community::{Community, Member, MemberId};
use crate::journal::StreamId;
use crate::process::{Answerable, Stream};
use crate::values::{Charter, DecisionRecord};

use super::EngineError;

/// The facts evidence may not state: what the engine records itself from the process (the
/// outcome, the route, the deciding body's make-up, the decision's dates and its subject).
/// (Objections a round holds are its own; a decision taken without a round has none the
/// engine saw, so they may be attested.)
const WITNESSED: &[&str] = &[
    "subject",
    "tier",
    "outcome",
    "route_taken",
    "route_given",
    "body",
    "absence_policy",
    "dates.round_opened_at",
    "dates.round_closed_at",
    "dates.decided_at",
    "dates.as_of",
    "attested",
];

/// The first fact `facts` (what `evidence` states) gives that the engine witnesses itself,
/// or that contradicts what the community records of a member (their lived experience, the
/// roles that make them a public contributor), or a response nobody gave: such evidence is
/// refused, never merged.
fn witnessed_field(
    evidence: &DecisionRecord,
    facts: &[String],
    community: &Community,
) -> Option<String> {
    if let Some(fact) = facts.iter().find(|f| WITNESSED.contains(&f.as_str())) {
        return Some(fact.clone());
    }
    for p in evidence.participants.iter().flatten() {
        let member = community.member(p.member);
        let lived = member.is_some_and(|m| m.lived_experience);
        let public = member.is_some_and(Member::is_public_contributor);
        if p.response.is_some() || p.absence_counted_as.is_some() {
            return Some(format!("participants[{}].response", p.member));
        }
        if member.is_none() {
            return Some(format!("participants[{}], not in the community", p.member));
        }
        if p.lived_experience && !lived {
            return Some(format!("participants[{}].lived_experience", p.member));
        }
        if p.public_contributor && !public {
            return Some(format!("participants[{}].public_contributor", p.member));
        }
    }
    None
}

/// Whether evidence stating `facts` speaks only of `actor`: their own declaration of a
/// conflict, their payment, nothing else.
fn only_about(facts: &[String], actor: MemberId) -> bool {
    let own = format!("participants[{actor}]");
    !facts.is_empty() && facts.iter().all(|f| *f == own)
}

/// Checks the evidence `actor` records at `now` for stream `id`, and dates its overrides and
/// acknowledgements: who may attest, what may be attested, who may override, what.
pub(super) fn admit(
    id: &StreamId,
    stream: &Stream,
    evidence: &mut DecisionRecord,
    actor: MemberId,
    now: Timestamp,
    community: &Community,
    charter: &Charter,
) -> Result<(), EngineError> {
    let refuse = |reason: String| EngineError::Unattested {
        stream: id.clone(),
        actor,
        reason,
    };
    if let Some(last) = stream.last_at()
        && now < last
    {
        return Err(refuse(format!(
            "evidence dated {now} is before the process's last event at {last}"
        )));
    }
    let facts = evidence.stated_facts();
    if let Some(field) = witnessed_field(evidence, &facts, community) {
        return Err(refuse(format!(
            "`{field}` is for the engine to record from the process and the community, not for evidence"
        )));
    }
    let Answerable { attest, overrule } = stream.process().answerable(stream.route(), community);
    if !attest.contains(&actor) && !only_about(&facts, actor) {
        return Err(refuse(
            "only a member who runs the process records evidence for it; others may declare only what concerns themselves"
                .to_owned(),
        ));
    }
    // Whether the charter's rule takes an override. A rule the charter does not have is
    // refused before this, by the charter's own citation check (`Charter::check_citations`).
    let takes_none = |rule: &str| {
        charter
            .rules()
            .any(|r| r.id().as_str() == rule && !r.overridable())
    };
    let clears = evidence
        .overrides
        .iter_mut()
        .map(|o| (&o.rule, o.by, &mut o.at, true))
        .chain(
            evidence
                .acknowledgements
                .iter_mut()
                .map(|a| (&a.rule, a.by, &mut a.at, false)),
        );
    for (rule, by, at, is_override) in clears {
        let what = if is_override {
            "override"
        } else {
            "acknowledgement"
        };
        if by != actor {
            return Err(refuse(format!(
                "an {what} of {rule} is made in one's own name, not member {by}'s"
            )));
        }
        if !overrule.contains(&actor) {
            return Err(refuse(format!(
                "only the member who answers for the process may make an {what} of {rule}"
            )));
        }
        if is_override && takes_none(rule.as_str()) {
            return Err(refuse(format!("rule {rule} takes no override")));
        }
        match at {
            Some(t) if *t != now => {
                return Err(refuse(format!(
                    "an {what} of {rule} is dated when it is made ({now}), not {t}"
                )));
            }
            _ => *at = Some(now),
        }
    }
    Ok(())
}
