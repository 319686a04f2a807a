//! Responses and their tally, shared by every method a round can use.

use serde::{Deserialize, Serialize};

use crate::community::MemberId;
use crate::decision::Method;

/// What one eligible member says in a response round.
///
/// The same responses serve every method: in a vote, consent is "in favour", an objection is
/// "against" (with the reason every dissent must give) and standing aside is abstaining; in
/// consensus an objection is a block.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Response {
    /// No objection; a comment may go with it.
    Consent {
        /// An optional remark that is not a concern.
        comment: Option<String>,
    },
    /// No objection, with a worry that cannot (yet) be argued as an objection. Recorded, and
    /// it shortens the review period.
    ConsentWithConcern {
        /// The concern.
        concern: String,
    },
    /// A reasoned argument that the proposal would cause harm or risk that should be avoided.
    /// Stops adoption until it is integrated, withdrawn, or tested and found not valid.
    Object {
        /// The reason, which is required.
        reason: String,
    },
    /// Steps out of the decision without stopping it; only where the method allows it.
    StandAside {
        /// Why, which is required.
        reason: String,
    },
    /// Advice to the decider in an advice process.
    Advice {
        /// The advice.
        advice: String,
        /// The adviser is affected by the decision.
        affected: bool,
        /// The adviser has expertise in the matter.
        expertise: bool,
    },
}

impl Response {
    /// Consent without a comment.
    pub const fn consent() -> Self {
        Response::Consent { comment: None }
    }

    /// The stable name of the response kind.
    pub fn label(&self) -> &'static str {
        self.into()
    }

    /// Whether `method` takes this kind of response.
    pub fn allowed_by(&self, method: Method) -> bool {
        match self {
            Response::Consent { .. } | Response::ConsentWithConcern { .. } => {
                !matches!(method, Method::AdviceProcess | Method::Delegated)
            }
            Response::Object { .. } => !matches!(method, Method::AdviceProcess | Method::Delegated),
            Response::StandAside { .. } => matches!(
                method,
                Method::Consensus | Method::Majority | Method::Supermajority { .. }
            ),
            Response::Advice { .. } => matches!(method, Method::AdviceProcess),
        }
    }

    /// The text a response must carry, if it must carry one: the reason of an objection or
    /// stand-aside, the concern, the advice.
    pub(super) fn required_text(&self) -> Option<&str> {
        match self {
            Response::Consent { .. } => None,
            Response::ConsentWithConcern { concern } => Some(concern),
            Response::Object { reason } | Response::StandAside { reason } => Some(reason),
            Response::Advice { advice, .. } => Some(advice),
        }
    }
}

/// A member's current response in the current round.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Responded {
    /// What they said.
    pub response: Response,
    /// The supporter who recorded it on the member's behalf, if it was a proxy response.
    pub proxy: Option<MemberId>,
}

/// The count of a response round. Computed by one pass over the current responses; every
/// method's close reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// Members eligible to respond.
    pub eligible: usize,
    /// Members who responded.
    pub responded: usize,
    /// Responding members with lived experience.
    pub lived_experience_responded: usize,
    /// Consents, with or without a concern (in a vote: in favour).
    pub consents: usize,
    /// Consents that carried a concern.
    pub concerns: usize,
    /// Objections (in a vote: against; in consensus: blocks).
    pub objections: usize,
    /// Stand-asides (in a vote: abstentions).
    pub stand_asides: usize,
    /// Pieces of advice.
    pub advice: usize,
    /// Responses recorded by a supporter on a member's behalf.
    pub by_proxy: usize,
}

impl Tally {
    /// Counts `responses`, each with whether the member brings lived experience, out of
    /// `eligible` members.
    pub fn count<'a>(
        eligible: usize,
        responses: impl IntoIterator<Item = (bool, &'a Responded)>,
    ) -> Self {
        let mut t = Tally {
            eligible,
            ..Tally::default()
        };
        for (lived, r) in responses {
            t.add(lived, r);
        }
        t
    }

    /// Counts one more response, from a member with or without lived experience.
    pub(super) fn add(&mut self, lived: bool, r: &Responded) {
        self.responded += 1;
        self.lived_experience_responded += usize::from(lived);
        self.by_proxy += usize::from(r.proxy.is_some());
        match r.response {
            Response::Consent { .. } => self.consents += 1,
            Response::ConsentWithConcern { .. } => {
                self.consents += 1;
                self.concerns += 1;
            }
            Response::Object { .. } => self.objections += 1,
            Response::StandAside { .. } => self.stand_asides += 1,
            Response::Advice { .. } => self.advice += 1,
        }
    }

    /// Members who did not respond.
    pub fn absent(&self) -> usize {
        self.eligible.saturating_sub(self.responded)
    }

    /// Whether a vote by `method` carries: a majority needs more in favour than against; a
    /// supermajority needs at least its fraction of the votes cast (abstentions not cast).
    /// Other methods do not vote, and this returns `None`.
    pub fn carries(&self, method: Method) -> Option<bool> {
        match method {
            Method::Majority => Some(self.consents > self.objections),
            Method::Supermajority {
                numerator,
                denominator,
            } => {
                let cast = (self.consents + self.objections) as u128;
                Some(
                    cast > 0
                        && self.consents as u128 * u128::from(denominator)
                            >= u128::from(numerator) * cast,
                )
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(response: Response) -> Responded {
        Responded {
            response,
            proxy: None,
        }
    }

    #[test]
    fn the_tally_counts_each_kind_once() {
        let rs = [
            (true, r(Response::consent())),
            (
                false,
                r(Response::ConsentWithConcern {
                    concern: "c".into(),
                }),
            ),
            (true, r(Response::Object { reason: "o".into() })),
            (false, r(Response::StandAside { reason: "s".into() })),
        ];
        let t = Tally::count(6, rs.iter().map(|(l, r)| (*l, r)));
        assert_eq!(
            (
                t.responded,
                t.consents,
                t.concerns,
                t.objections,
                t.stand_asides
            ),
            (4, 2, 1, 1, 1)
        );
        assert_eq!(t.lived_experience_responded, 2);
        assert_eq!(t.absent(), 2);
    }

    #[test]
    fn votes_carry_by_their_fraction() {
        let t = Tally {
            consents: 2,
            objections: 1,
            stand_asides: 5,
            ..Tally::default()
        };
        assert_eq!(t.carries(Method::Majority), Some(true));
        let two_thirds = Method::Supermajority {
            numerator: 2,
            denominator: 3,
        };
        assert_eq!(t.carries(two_thirds), Some(true));
        let three_quarters = Method::Supermajority {
            numerator: 3,
            denominator: 4,
        };
        assert_eq!(t.carries(three_quarters), Some(false));
        assert_eq!(Tally::default().carries(two_thirds), Some(false));
        assert_eq!(t.carries(Method::Consent), None);
    }

    #[test]
    fn stand_aside_only_where_the_method_allows_it() {
        let s = Response::StandAside { reason: "r".into() };
        assert!(!s.allowed_by(Method::Consent));
        assert!(s.allowed_by(Method::Consensus));
        assert!(s.allowed_by(Method::Majority));
        let a = Response::Advice {
            advice: "a".into(),
            affected: true,
            expertise: false,
        };
        assert!(a.allowed_by(Method::AdviceProcess));
        assert!(!a.allowed_by(Method::Consent));
        assert!(!Response::consent().allowed_by(Method::AdviceProcess));
    }
}
