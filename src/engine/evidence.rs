//! What the engine takes as evidence, and from whom: the facts no process step witnesses,
//! attested by a member who runs the process (never a fact the engine witnesses: the
//! [`Evidence`] type has no field for one); and overrides made by the actor, in their own
//! name, of a rule that takes one, each with a reason (a blank one is refused: it would
//! clear nothing).

use jiff::Timestamp;

use crate::community::MemberId;
use crate::funding::{FundingPolicy, FundingProcess, Offer, screen};
use crate::journal::StreamId;
use crate::process::Listed as _;
use crate::process::{Answerable, Stream};
use crate::values::{Charter, Evidence, Screen};

use super::EngineError;

/// Checks the evidence `actor` records at `now` for stream `id`, and dates its overrides and
/// acknowledgements: who may attest, who may override, what. What evidence may state at
/// all is its type's to say ([`Evidence`] has no field for a fact the engine witnesses).
/// `decides`: the request takes a step of the process (which may decide), rather than
/// recording evidence alone. `rounds_witness`: a round the engine runs for the process is
/// running or is the one its record cites, so the objections are that round's.
/// `answerable`: who may attest and who may override, as the engine reads them for the
/// process.
#[allow(clippy::too_many_arguments)]
pub(super) fn admit(
    id: &StreamId,
    stream: &Stream,
    decides: bool,
    evidence: &mut Evidence,
    actor: MemberId,
    now: Timestamp,
    answerable: Answerable,
    charter: &Charter,
    policy: Option<&FundingPolicy>,
    rounds_witness: bool,
) -> Result<(), EngineError> {
    let refuse = |reason: String| EngineError::Unattested {
        stream: id.clone(),
        actor,
        reason,
    };
    // A funder attested to have passed the red-line screen is screened: a sector that
    // crosses a red line of the funding policy in force has not passed it, whoever says so.
    if let (Some(funder), Some(policy)) = (evidence.funder.as_ref(), policy)
        && funder.red_line_screen == Some(Screen::Passed)
    {
        let offer = Offer::new(
            crate::decision::DecisionKind::Funding,
            funder.funder.to_string(),
            funder.sector.as_deref().unwrap_or_default().to_owned(),
            String::new(),
        );
        if let Some(hit) = screen(&offer, policy).first() {
            return Err(refuse(format!(
                "funder.red_line_screen says the screen passed, but {hit} in force"
            )));
        }
    }
    // What a process witnessed of a funder and its checks (its own offer's, or the
    // escalated offer's it takes up) is not a member's to state again; nor is the
    // publication of an offer's decision, which its process publishes (`publish`).
    let offer = FundingProcess::state_of(stream.process()).is_some();
    let witnessed = offer
        || stream
            .escalated_from()
            .is_some_and(|e| e.funder.is_some() || e.due_diligence.is_some());
    // Nor are the objections of a decision taken in a round the engine runs (the round's
    // own, or those of a round held for the process, running or cited): the round records
    // them, and they win. A round kept elsewhere leaves them to evidence.
    let in_round =
        crate::consent::ConsentProcess::state_of(stream.process()).is_some() || rounds_witness;
    // Each fact, whether the evidence states it where something else witnesses it, and what.
    let round = "the round held for the decision";
    let process = "the offer's process";
    let restated = [
        (
            "objections",
            in_round && evidence.objections.is_some(),
            round,
        ),
        ("funder", witnessed && evidence.funder.is_some(), process),
        (
            "due_diligence",
            witnessed && evidence.due_diligence.is_some(),
            process,
        ),
        (
            "publication",
            offer && evidence.publication.is_some(),
            process,
        ),
    ];
    if let Some((fact, _, by)) = restated.iter().find(|(_, stated, _)| *stated) {
        return Err(refuse(format!(
            "{fact}: {by} witnesses it; evidence cannot state it"
        )));
    }
    if let Some(last) = stream.last_at()
        && now < last
    {
        return Err(refuse(format!(
            "evidence dated {now} is before the process's last event at {last}"
        )));
    }
    // A member attests what has happened: a paper sent, a session held, a record
    // published, a check completed, an advert or criteria out, by the time they say so. (A
    // review date, and an advert's closing, may lie ahead.)
    if let Some((fact, at)) = happened(evidence).find(|(_, at)| *at > now) {
        return Err(refuse(format!(
            "{fact} is dated {at}, after the evidence is recorded ({now}): evidence attests what has happened"
        )));
    }
    // A record is published once there is a decision to publish: not before the last
    // decision the stream journalled, nor, on a request that decides nothing, before any.
    if let Some(published) = evidence.publication.as_ref().map(|p| p.published_at) {
        match stream.decided_at() {
            Some(decided) if published < decided => {
                return Err(refuse(format!(
                    "publication.published_at is {published}, before the decision it publishes ({decided})"
                )));
            }
            None if !decides => {
                return Err(refuse(
                    "publication: nothing has been decided yet, so there is no record to publish"
                        .to_owned(),
                ));
            }
            _ => {}
        }
    }
    let Answerable { attest, overrule } = answerable;
    // Who may override for the deciding body is governance's to say, when its map names
    // anyone; otherwise whoever answers for the process.
    let overrule = match stream.route() {
        Some(route) if !route.override_by.is_empty() => &route.override_by,
        _ => &overrule,
    };
    if !attest.contains(&actor) {
        return Err(refuse(
            "only a member who runs the process attests evidence for it; what members do themselves (advice, interests, payment) they record as taking part"
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
        .map(|o| (&o.rule, o.by, &o.reason, &mut o.at, true))
        .chain(
            evidence
                .acknowledgements
                .iter_mut()
                .map(|a| (&a.rule, a.by, &a.reason, &mut a.at, false)),
        );
    for (rule, by, reason, at, is_override) in clears {
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
        // A clearance without a reason would clear nothing at the gate: it is not journalled
        // as though it were one.
        if crate::limits::is_blank(reason) {
            return Err(refuse(format!(
                "an {what} of {rule} needs a reason; a blank one clears nothing"
            )));
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

/// The dates in `evidence` of what has happened by the time it is attested, each with the
/// field it is in.
fn happened(evidence: &Evidence) -> impl Iterator<Item = (&'static str, Timestamp)> + '_ {
    let dates = &evidence.dates;
    let recruitment = evidence.recruitment.as_ref();
    [
        ("dates.papers_sent_at", dates.papers_sent_at),
        ("dates.session_at", dates.session_at),
        (
            "publication.published_at",
            evidence.publication.as_ref().map(|p| p.published_at),
        ),
        (
            "recruitment.advert_opened_at",
            recruitment.and_then(|r| r.advert_opened_at),
        ),
        (
            "recruitment.criteria_published_at",
            recruitment.and_then(|r| r.criteria_published_at),
        ),
    ]
    .into_iter()
    .chain(
        evidence
            .due_diligence
            .iter()
            .flatten()
            .map(|c| ("due_diligence.completed_at", c.completed_at)),
    )
    .filter_map(|(fact, at)| Some((fact, at?)))
}
