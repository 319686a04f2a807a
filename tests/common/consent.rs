//! The cast and the clock shared by the consent-round tests.
//!
//! A fixed, small cast keeps generated runs readable when a property fails: members 1 to 4
//! form the deciding body (2 and 3 bring lived experience), 1 proposes, 5 facilitates from
//! outside the body, 6 is secretary and the named supporter of 4, 2 is the named supporter of
//! 3, and 7 holds no part in the round at all.

// Each test crate that includes this module uses only part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use coproduction::community::{BodyId, MemberId};
use coproduction::consent::{
    AbsencePolicy, EligibleMember, Quorum, QuorumSize, RoundConfig, RoundRoles, TimeBox,
};
use coproduction::decision::Method;
use coproduction::machine::Context;
use jiff::{SignedDuration, Timestamp};

/// Co-producer 1: brings the proposal, and is also in the deciding body.
pub const PROPOSER: MemberId = MemberId::new(1);
/// Staff member 5: facilitates, not in the deciding body.
pub const FACILITATOR: MemberId = MemberId::new(5);
/// Ally 6: secretary, and the named supporter of member 4.
pub const SECRETARY: MemberId = MemberId::new(6);
/// Someone with no part in the round.
pub const OUTSIDER: MemberId = MemberId::new(7);
/// Every member of the cast, outsider included.
pub const EVERYONE: [u64; 7] = [1, 2, 3, 4, 5, 6, 7];

/// The deciding body's snapshot: members 1 to 4, with 2 and 3 bringing lived experience.
pub fn eligible() -> Vec<EligibleMember> {
    [(1, false), (2, true), (3, true), (4, false)]
        .into_iter()
        .map(|(n, lived)| EligibleMember {
            member: MemberId::new(n),
            lived_experience: lived,
        })
        .collect()
}

/// Whether member `n` is in the deciding body.
pub fn is_eligible(n: u64) -> bool {
    (1..=4).contains(&n)
}

/// Whether member `n` brings lived experience.
pub fn has_lived_experience(n: u64) -> bool {
    n == 2 || n == 3
}

/// Named supporters: 6 may respond for 4, and 2 (a member themselves) for 3.
pub fn supporters() -> BTreeMap<MemberId, BTreeSet<MemberId>> {
    BTreeMap::from([
        (MemberId::new(4), BTreeSet::from([SECRETARY])),
        (MemberId::new(3), BTreeSet::from([MemberId::new(2)])),
    ])
}

/// Whether `actor` may respond on behalf of `member`: themselves or a named supporter.
pub fn may_respond_for(actor: u64, member: u64) -> bool {
    actor == member || (member == 4 && actor == 6) || (member == 3 && actor == 2)
}

/// The time `minute` minutes after the round's reference moment (negative is before it).
pub fn at(minute: i64) -> Timestamp {
    let start: Timestamp = "2024-03-04T10:00:00Z".parse().unwrap();
    start
        .checked_add(SignedDuration::from_mins(minute))
        .unwrap()
}

/// Member `actor` acting at `minute`.
pub fn ctx(actor: u64, minute: i64) -> Context {
    Context::new(MemberId::new(actor), at(minute))
}

/// The body the round escalates to.
pub fn steering_group() -> BodyId {
    "steering_group".parse().unwrap()
}

/// A round with the cast above, deciding by `method`, no time box, three objection rounds,
/// absence counted as absence and a quorum of two responses with one bringing lived
/// experience.
pub fn config(method: Method) -> RoundConfig {
    RoundConfig {
        title: "Open the drop-in on Saturdays".into(),
        proposal: "The drop-in opens every Saturday morning for a three-month trial.".into(),
        deciding_body: "coproduction_group".parse().unwrap(),
        method,
        roles: RoundRoles {
            proposer: PROPOSER,
            facilitator: FACILITATOR,
            secretary: SECRETARY,
        },
        eligible: eligible(),
        absence: AbsencePolicy::CountAsAbsent,
        quorum: Quorum {
            size: QuorumSize::Count { min: 2 },
            lived_experience_min: 1,
        },
        time_box: TimeBox::default(),
        supporters: supporters(),
        max_objection_rounds: 3,
    }
}

/// A gate proof from a charter with no rules: the façade tests are about phases, not values.
pub fn passed_gate() -> coproduction::values::GatePassed {
    let charter =
        coproduction::values::Charter::from_json(r#"{"values": [{"id": "human"}], "rules": []}"#)
            .unwrap();
    let record =
        coproduction::values::DecisionRecord::new(coproduction::decision::DecisionKind::Strategy);
    charter.gate(&record).unwrap()
}
