//! The co-creation the story draws on, as one provenance model: the open session at the end
//! of March 2021 on how the community decides about funding and partnerships; the
//! associate-roles workshops of June 2022 (two workshops, each held twice because so many
//! wanted to come) with the thoughts of people who could not attend; the comments on the
//! draft working model from 28 August 2022; and the co-producers' first group session.
//!
//! Each session's feedback is grouped into themes; the item no theme carries is kept and
//! listed, never dropped.

use coproduction::cocreation::{
    CoCreation, Decision, DecisionId, Facilitator, FeedbackItem, ItemId, Link, ProposalId, Session,
    SessionId, SessionKind, Theme, ThemeId, ThemeOutcome, VersionEntry, VersionId, VersionNumber,
    WayToTakePart,
};
use coproduction::community::{AccessNeed, AccessNeedKind, BodyId, Community, MemberId};

use super::at;

/// The open session at the end of March 2021.
pub const MARCH_SESSION: SessionId = SessionId::new(1);
/// The associate-roles workshops of June 2022: the first and second workshop, then each
/// repeated.
pub const WORKSHOPS: [SessionId; 4] = [
    SessionId::new(2),
    SessionId::new(3),
    SessionId::new(4),
    SessionId::new(5),
];
/// The thoughts of people who could not come to the workshops, gathered on the board.
pub const NOT_IN_THE_ROOM: SessionId = SessionId::new(6);
/// The comments on the draft working model, open from 28 August 2022.
pub const DRAFT_COMMENTS: SessionId = SessionId::new(7);

/// The co-producers' first group session, at the end of October 2022.
pub const FIRST_GROUP_SESSION: SessionId = SessionId::new(8);

/// The proposal ids the co-creation links to (the engine's proposals carry the same).
pub const ALLIES_PROPOSAL_ID: ProposalId = ProposalId::new(1);
/// The proposal on how the community decides.
pub const HOW_WE_DECIDE_ID: ProposalId = ProposalId::new(2);
/// The draft working model.
pub const WORKING_MODEL_ID: ProposalId = ProposalId::new(3);

/// The first version of proposal `id`.
pub fn first_version(id: ProposalId) -> VersionId {
    VersionId::new(id, VersionNumber::new(1))
}

/// The themes of the March session: (id, title, summary, items, the proposal it informs).
const MARCH_THEMES: [(u64, &str, &str, &[u64], ProposalId); 4] = [
    (
        1,
        "Open about money and partners",
        "Say who funds us and on what terms; take most care over strings on publication",
        &[1, 6],
        HOW_WE_DECIDE_ID,
    ),
    (
        2,
        "Lines we do not cross",
        "Some sectors we never take money from, whatever the amount",
        &[2],
        HOW_WE_DECIDE_ID,
    ),
    (
        3,
        "Decided with the community",
        "People with lived experience take part in deciding big offers; the whole community is asked",
        &[3, 4],
        HOW_WE_DECIDE_ID,
    ),
    (
        4,
        "Critical friends who reflect the community",
        "The Allies Group needs as many members with lived experience as professionals",
        &[5],
        ALLIES_PROPOSAL_ID,
    ),
];

/// The themes of the June workshops and the thoughts beside them.
const WORKSHOP_THEMES: [(u64, &str, &str, &[u64]); 4] = [
    (
        5,
        "Open, inclusive and fair recruitment",
        "Advertise beyond the usual places; several ways to apply; support to apply",
        &[10, 11, 18],
    ),
    (
        6,
        "A good and supportive culture",
        "Support, pairing and paid time to prepare, in every way of working",
        &[12, 13, 19],
    ),
    (
        7,
        "Benefits and impact, all round",
        "Ask what co-producers, projects and the community gain, and evaluate it",
        &[14, 15],
    ),
    (
        8,
        "No titles, no hierarchy",
        "Roles named by what people do; the new roles sit beside members, not above them",
        &[16, 17],
    ),
];

/// Builds the model: every session, its items and themes, and the proposal versions the
/// themes inform.
pub fn build(community: &Community) -> Result<CoCreation, coproduction::Error> {
    let mut model = CoCreation::new();
    let staff = Facilitator::Body {
        body: BodyId::new("staff_team")?,
    };
    let team = Facilitator::Body {
        body: BodyId::new("associate_roles_team")?,
    };
    // Captions and papers in advance for the member who asks for them, met before every
    // session they come to.
    let needs_met = |session: Session| {
        session
            .with_access_request(
                MemberId::new(25),
                AccessNeed::new(AccessNeedKind::Captions),
                true,
            )
            .with_access_request(
                MemberId::new(25),
                AccessNeed::new(AccessNeedKind::PapersInAdvance),
                true,
            )
    };
    model.add_session(needs_met(
        Session::new(
            MARCH_SESSION,
            SessionKind::Workshop,
            "Deciding about funding and partnerships",
            at("2021-03-30T17:30:00Z"),
            staff.clone(),
            "How should we decide whether to take funding from, or partner with, another organisation?",
        )
        .offering(WayToTakePart::Live)
        .offering(WayToTakePart::Written)
        .offering(WayToTakePart::Asynchronous),
    ))?;
    for (session, title, date, people) in [
        (
            WORKSHOPS[0],
            "Associate roles, workshop 1: what the role is",
            "2022-06-07T13:00:00Z",
            27,
        ),
        (
            WORKSHOPS[1],
            "Associate roles, workshop 2: how it would work",
            "2022-06-09T13:00:00Z",
            25,
        ),
        (
            WORKSHOPS[2],
            "Associate roles, workshop 1 again (evening)",
            "2022-06-14T17:30:00Z",
            24,
        ),
        (
            WORKSHOPS[3],
            "Associate roles, workshop 2 again (evening)",
            "2022-06-16T17:30:00Z",
            23,
        ),
    ] {
        model.add_session(needs_met(
            Session::new(
                session,
                SessionKind::Workshop,
                title,
                at(date),
                team.clone(),
                "What would a freelance co-producer role need to be, to fit our values?",
            )
            .offering(WayToTakePart::Live)
            .offering(WayToTakePart::Written)
            .with_attendance(people),
        ))?;
    }
    model.add_session(
        Session::new(
            NOT_IN_THE_ROOM,
            SessionKind::OnlineBoard,
            "Thoughts from people who could not come to the workshops",
            at("2022-06-07T09:00:00Z"),
            team.clone(),
            "What would a freelance co-producer role need to be, to fit our values?",
        )
        .offering(WayToTakePart::Asynchronous)
        .offering(WayToTakePart::Written),
    )?;
    model.add_session(
        Session::new(
            DRAFT_COMMENTS,
            SessionKind::OnlineBoard,
            "Comments on the draft working model",
            at("2022-08-28T09:00:00Z"),
            team.clone(),
            "What would you change in the first draft of the working model?",
        )
        .offering(WayToTakePart::Asynchronous)
        .offering(WayToTakePart::Written),
    )?;
    // The first wave's first session together: easy-read papers for the co-producer who
    // asked for them when they joined, sent before it.
    model.add_session(
        Session::new(
            FIRST_GROUP_SESSION,
            SessionKind::Workshop,
            "The co-producers' first group session",
            at("2022-10-31T13:00:00Z"),
            team,
            "How shall we co-produce our ways of working and the evaluation of benefits and impact?",
        )
        .offering(WayToTakePart::Live)
        .offering(WayToTakePart::Written)
        .with_access_request(
            MemberId::new(31),
            AccessNeed::new(AccessNeedKind::EasyRead),
            true,
        ),
    )?;

    // (item, session, author if named, what they said, when)
    let said: [(u64, SessionId, Option<u64>, &str, &str); 22] = [
        (
            1,
            MARCH_SESSION,
            Some(16),
            "Publish who funds us and on what terms",
            "2021-03-30T18:00:00Z",
        ),
        (
            2,
            MARCH_SESSION,
            None,
            "There are sectors we should never take money from",
            "2021-03-30T18:02:00Z",
        ),
        (
            3,
            MARCH_SESSION,
            Some(18),
            "People with lived experience should help decide big offers, not hear about them afterwards",
            "2021-03-30T18:05:00Z",
        ),
        (
            4,
            MARCH_SESSION,
            Some(13),
            "Ask the whole community before partnering with a large organisation",
            "2021-03-30T18:08:00Z",
        ),
        (
            5,
            MARCH_SESSION,
            Some(20),
            "The Allies Group has more professionals than people with lived experience",
            "2021-03-30T18:10:00Z",
        ),
        (
            6,
            MARCH_SESSION,
            None,
            "Offers with strings on what we may publish need the most care",
            "2021-03-31T10:00:00Z",
        ),
        (
            7,
            MARCH_SESSION,
            Some(22),
            "Could the recap be a short video as well as a write-up?",
            "2021-03-31T12:00:00Z",
        ),
        (
            10,
            WORKSHOPS[0],
            None,
            "Advertise in community groups, not only through the university",
            "2022-06-07T13:40:00Z",
        ),
        (
            11,
            WORKSHOPS[2],
            Some(24),
            "Let people apply by voice note or a conversation",
            "2022-06-14T18:10:00Z",
        ),
        (
            12,
            WORKSHOPS[1],
            Some(14),
            "Pay for the time it takes to prepare, not only for sessions",
            "2022-06-09T13:30:00Z",
        ),
        (
            13,
            WORKSHOPS[3],
            None,
            "Pair each new co-producer with someone who has done the work",
            "2022-06-16T18:00:00Z",
        ),
        (
            14,
            WORKSHOPS[1],
            Some(16),
            "Ask what co-producers gain, not only what projects gain",
            "2022-06-09T14:00:00Z",
        ),
        (
            15,
            WORKSHOPS[3],
            Some(13),
            "Measure what changes for the community, and say how",
            "2022-06-16T18:20:00Z",
        ),
        (
            16,
            WORKSHOPS[0],
            Some(18),
            "No job titles: they put people off",
            "2022-06-07T14:00:00Z",
        ),
        (
            17,
            WORKSHOPS[2],
            None,
            "The new roles must not sit above our members",
            "2022-06-14T18:30:00Z",
        ),
        (
            18,
            NOT_IN_THE_ROOM,
            None,
            "Help people write their application if they want it",
            "2022-06-20T20:00:00Z",
        ),
        (
            19,
            NOT_IN_THE_ROOM,
            Some(22),
            "Sessions in the evening as well as the day",
            "2022-06-22T21:00:00Z",
        ),
        (
            20,
            NOT_IN_THE_ROOM,
            None,
            "Could co-producers mentor each other across projects?",
            "2022-06-24T19:00:00Z",
        ),
        (
            21,
            DRAFT_COMMENTS,
            Some(24),
            "Say how much time the role asks for each month",
            "2022-09-02T19:00:00Z",
        ),
        (
            22,
            DRAFT_COMMENTS,
            None,
            "Say what happens if a co-producer needs a break",
            "2022-09-06T08:00:00Z",
        ),
        (
            23,
            DRAFT_COMMENTS,
            Some(16),
            "Name who to talk to about access needs",
            "2022-09-09T12:00:00Z",
        ),
        (
            24,
            DRAFT_COMMENTS,
            None,
            "Good to see no titles",
            "2022-09-10T10:00:00Z",
        ),
    ];
    for (n, session, author, text, when) in said {
        let id = ItemId::new(n);
        let item = match author {
            Some(m) if community.member(MemberId::new(m)).is_some() => {
                FeedbackItem::by(id, session, MemberId::new(m), text, at(when))
            }
            _ => FeedbackItem::anonymous(id, session, text, at(when)),
        };
        model.add_item(item)?;
    }

    for id in [ALLIES_PROPOSAL_ID, HOW_WE_DECIDE_ID] {
        model.add_version(VersionEntry::new(
            first_version(id),
            match id {
                ALLIES_PROPOSAL_ID => "Rebalance the Allies Group",
                _ => "How we decide: who decides what, and how offers are decided",
            },
        ))?;
    }
    model.add_version(VersionEntry::new(
        first_version(WORKING_MODEL_ID),
        "The associate-roles working model, first draft",
    ))?;
    for (n, title, summary, items, informs) in MARCH_THEMES {
        carry(&mut model, n, title, summary, items, first_version(informs))?;
    }
    for (n, title, summary, items) in WORKSHOP_THEMES {
        carry(
            &mut model,
            n,
            title,
            summary,
            items,
            first_version(WORKING_MODEL_ID),
        )?;
    }
    // The comments on the draft: the ones it was amended for carried by a theme of their
    // own; the last, a word of support, by the theme it supports.
    carry(
        &mut model,
        9,
        "Clear about time and support",
        "Say what the role asks each month, what happens in a break, and whom to ask about access",
        &[21, 22, 23],
        VersionId::new(WORKING_MODEL_ID, VersionNumber::new(2)),
    )?;
    model.link(Link::Carries {
        theme: ThemeId::new(8),
        item: ItemId::new(24),
    })?;
    Ok(model)
}

/// Adds theme `n`, carrying `items`, informing `version` (added if missing).
fn carry(
    model: &mut CoCreation,
    n: u64,
    title: &str,
    summary: &str,
    items: &[u64],
    version: VersionId,
) -> Result<(), coproduction::Error> {
    if model.version(version).is_none() {
        model.add_version(VersionEntry::new(
            version,
            "The associate-roles working model, amended",
        ))?;
        model.link(Link::Amends {
            previous: first_version(version.proposal),
            version,
        })?;
    }
    model.add_theme(Theme::new(ThemeId::new(n), title, summary))?;
    for &item in items {
        model.link(Link::Carries {
            theme: ThemeId::new(n),
            item: ItemId::new(item),
        })?;
    }
    model.link(Link::Informs {
        theme: ThemeId::new(n),
        version,
    })?;
    Ok(())
}

/// Records what decision `id` (on `date`, deciding `version`) did with each theme in
/// `outcomes`.
pub fn decided(
    model: &mut CoCreation,
    (id, title, date): (u64, &str, &str),
    version: VersionId,
    outcomes: Vec<(u64, ThemeOutcome)>,
) -> Result<(), coproduction::Error> {
    model.add_decision(Decision::new(DecisionId::new(id), title, at(date)))?;
    model.link(Link::LeadsTo {
        version,
        decision: DecisionId::new(id),
    })?;
    for (theme, outcome) in outcomes {
        model.record_outcome(DecisionId::new(id), ThemeId::new(theme), outcome)?;
    }
    Ok(())
}
