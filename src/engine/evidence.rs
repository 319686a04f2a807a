//! What the engine takes as evidence, and from whom: the facts it cannot witness, attested
//! by a member who answers for the process (or by the member a fact is about), never the
//! facts it witnesses itself; and overrides made by the actor, in their own name, of a rule
//! that takes one.

use jiff::Timestamp;

use crate::community::{Community, MemberId, Role};
use crate::journal::StreamId;
use crate::process::{Answerable, Stream};
use crate::values::{Charter, DecisionRecord};

use super::EngineError;

/// The first field of `evidence` that states what the engine witnesses itself (the outcome,
/// who responded and how, the route, the deciding body's make-up, the decision's dates), or
/// what the community records (a member's lived experience or roles): such evidence is
/// refused, never merged. (Objections a round holds are its own; a decision taken without a
/// round has none the engine saw, so they may be attested.)
fn witnessed_field(evidence: &DecisionRecord, community: &Community) -> Option<String> {
    let set = [
        ("outcome", evidence.outcome.is_some()),
        ("subject", evidence.subject.is_some()),
        ("tier", evidence.tier.is_some()),
        ("route_taken", evidence.route_taken.is_some()),
        ("route_given", evidence.route_given.is_some()),
        ("body", evidence.body.is_some()),
        ("absence_policy", evidence.absence_policy.is_some()),
        ("dates.decided_at", evidence.dates.decided_at.is_some()),
        (
            "dates.round_opened_at",
            evidence.dates.round_opened_at.is_some(),
        ),
        (
            "dates.round_closed_at",
            evidence.dates.round_closed_at.is_some(),
        ),
        ("dates.as_of", evidence.dates.as_of.is_some()),
    ];
    if let Some((field, _)) = set.iter().find(|(_, set)| *set) {
        return Some((*field).to_owned());
    }
    for p in evidence.participants.iter().flatten() {
        let member = community.member(p.member);
        let lived = member.is_some_and(|m| m.lived_experience);
        // Public contributors are the community's members and co-producers, by their roles.
        let public = member
            .is_some_and(|m| m.has_role(Role::CommunityMember) || m.has_role(Role::CoProducer));
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

/// Whether `evidence` speaks only of `actor`: their own declaration of a conflict, their
/// payment, nothing else.
fn only_about(evidence: &DecisionRecord, actor: MemberId) -> bool {
    let about_actor = evidence
        .participants
        .as_ref()
        .is_some_and(|ps| ps.iter().all(|p| p.member == actor));
    let mut rest = evidence.clone();
    rest.participants = None;
    about_actor && rest == DecisionRecord::new(evidence.kind.clone())
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
    if let Some(field) = witnessed_field(evidence, community) {
        return Err(refuse(format!(
            "`{field}` is for the engine to record from the process and the community, not for evidence"
        )));
    }
    let Answerable { attest, overrule } = stream.process().answerable(stream.route(), community);
    if !attest.contains(&actor) && !only_about(evidence, actor) {
        return Err(refuse(
            "only a member who runs the process records evidence for it; others may declare only what concerns themselves"
                .to_owned(),
        ));
    }
    // Whether the charter has the rule, and whether it takes an override.
    let known = |rule: &str| {
        charter
            .rules()
            .find(|r| r.id().as_str() == rule)
            .map(|r| r.overridable())
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
        match known(rule.as_str()) {
            None => {
                return Err(refuse(format!("the charter has no rule {rule}")));
            }
            Some(false) if is_override => {
                return Err(refuse(format!("rule {rule} takes no override")));
            }
            Some(_) => {}
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
