//! The evaluation of a pilot's benefits and impact: the questions agreed when it starts,
//! the evidence gathered while it runs, and what the reassessment decides on.
//!
//! A community that pilots a way of working promises to evaluate what it brings, for the
//! co-producers who do the work, for the projects they work on and for the community as a
//! whole, and to reassess the pilot on that evidence. This module holds that evaluation:
//!
//! - An [`EvaluationPlan`] is agreed when the pilot starts: each [`Question`] names whom
//!   the benefit is for ([`Benefit`]), what it asks and the criteria it will be judged by,
//!   and the plan names the body that agreed it. The proposal's steward records it
//!   ([`ProposalCommand::AgreeEvaluation`](crate::proposal::ProposalCommand)), once, while
//!   the agreement is published, scheduled as a pilot or piloted.
//! - Evidence is [`Gathered`] during the pilot and its review: a figure or people's own
//!   words ([`Datum`]), for one question, with where it came from ([`Source`]) and
//!   when. Like feedback in co-creation, each piece keeps its provenance: who said it
//!   (or that they gave it anonymously), how it was gathered, when, and who recorded it.
//!   The steward, the proposers and the members the agreement applies to record evidence
//!   ([`ProposalCommand::GatherEvidence`](crate::proposal::ProposalCommand)).
//! - The [`Evaluation`] is the plan with everything [`Recorded`] for it. It goes into the
//!   proposal's decision record, and into the record of the reassessment round held for
//!   the proposal, where rule C8 asks that every question has evidence and that people's
//!   own words are among it before the pilot is reassessed.
//!
//! What the engine witnessed and what it was told are kept apart: the engine saw who
//! recorded each piece and when ([`Recorded::by`], [`Recorded::at`]); when and from whom it
//! was gathered is what that member attests.
//!
//! # Example
//!
//! ```
//! use coproduction::community::{BodyId, MemberId};
//! use coproduction::evaluation::{
//!     Benefit, Evaluation, EvaluationPlan, Gathered, Datum, Question, QuestionId, Source,
//! };
//!
//! let at = |t: &str| -> jiff::Timestamp { t.parse().unwrap() };
//! let plan = EvaluationPlan {
//!     agreed_by: BodyId::new("co_producers")?,
//!     questions: vec![Question {
//!         id: QuestionId::new(1),
//!         benefit: Benefit::CoProducers,
//!         asks: "Do co-producers grow in skills and confidence?".into(),
//!         criteria: vec!["Most say they learned something they use".into()],
//!     }],
//! };
//! plan.check()?;
//! let steward = MemberId::new(2);
//! let mut evaluation = Evaluation::agreed(plan, steward, at("2023-03-01T10:00:00Z"));
//! let words = Gathered {
//!     question: QuestionId::new(1),
//!     observation: Datum::Words {
//!         said: "I chaired my first project meeting.".into(),
//!         from: Some(MemberId::new(7)),
//!     },
//!     source: Source::Interview {},
//!     gathered_at: at("2023-06-01T10:00:00Z"),
//! };
//! evaluation.check(&[words.clone()], at("2023-06-02T10:00:00Z"))?;
//! evaluation.record(vec![words], steward, at("2023-06-02T10:00:00Z"));
//! assert!(evaluation.without_evidence().is_empty());
//! # Ok::<(), coproduction::Error>(())
//! ```

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::cocreation::SessionId;
use crate::community::{BodyId, MemberId};
use crate::names::names;

/// The most questions a plan holds.
pub const MAX_QUESTIONS: usize = 50;
/// The most criteria one question holds.
pub const MAX_CRITERIA: usize = 20;
/// The most pieces of evidence one command records.
pub const MAX_GATHERED: usize = 1_000;
/// The most pieces of evidence one evaluation holds in all: a pilot's evidence grows with
/// each command, and its record and metrics read all of it. Ten commands at the most each.
pub const MAX_EVIDENCE: usize = 10_000;

/// Whom a benefit is for: the three the working model promises to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Benefit {
    /// The co-producers who take the roles.
    CoProducers,
    /// The projects they work on, and the organisations behind them.
    Projects,
    /// The community as a whole.
    Community,
}

impl Benefit {
    /// Every benefit, in order.
    pub const ALL: [Benefit; 3] = [Benefit::CoProducers, Benefit::Projects, Benefit::Community];
}

names! {
    Benefit, shown by label;
    /// The stable name, as on the wire.
    label {
        CoProducers => "co_producers",
        Projects => "projects",
        Community => "community",
    }

    /// In words, for a record: "for co-producers".
    words {
        CoProducers => "for co-producers",
        Projects => "for projects",
        Community => "for the community",
    }
}

crate::cocreation::ids::numeric_id!(
    /// A question's number within its evaluation plan. Shown as `q1`; serialised as the
    /// bare number.
    QuestionId(u64),
    "q"
);

/// One question of the evaluation: whom the benefit is for, what it asks, and the criteria
/// the answer is judged by.
///
/// JSON: `{"id": 1, "benefit": "co_producers", "asks": "...", "criteria": ["..."]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Its number, unique in the plan.
    pub id: QuestionId,
    /// Whom the benefit is for.
    pub benefit: Benefit,
    /// What it asks; must not be blank.
    pub asks: String,
    /// What a good answer looks like, each not blank; at most [`MAX_CRITERIA`].
    #[serde(default)]
    pub criteria: Vec<String>,
}

/// The questions and criteria agreed when a pilot starts, and the body that agreed them.
///
/// JSON: `{"agreed_by": "co_producers", "questions": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationPlan {
    /// The body that agreed the plan (its steward attests it).
    pub agreed_by: BodyId,
    /// The questions, 1 to [`MAX_QUESTIONS`], each id once.
    pub questions: Vec<Question>,
}

impl EvaluationPlan {
    /// The question numbered `id`.
    pub fn question(&self, id: QuestionId) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The benefits no question asks about.
    pub fn benefits_without_question(&self) -> Vec<Benefit> {
        Benefit::ALL
            .into_iter()
            .filter(|b| !self.questions.iter().any(|q| q.benefit == *b))
            .collect()
    }

    /// Whether the plan can be agreed: some questions, not too many, each numbered once,
    /// none blank, no blank criterion.
    ///
    /// # Errors
    ///
    /// The first thing wrong, as an [`EvaluationError`].
    pub fn check(&self) -> Result<(), EvaluationError> {
        if self.questions.is_empty() {
            return Err(EvaluationError::NoQuestions);
        }
        if self.questions.len() > MAX_QUESTIONS {
            return Err(EvaluationError::TooMany {
                what: "questions",
                count: self.questions.len(),
                max: MAX_QUESTIONS,
            });
        }
        let mut seen = BTreeSet::new();
        for q in &self.questions {
            if !seen.insert(q.id) {
                return Err(EvaluationError::QuestionTwice { question: q.id });
            }
            if crate::limits::is_blank(&q.asks) {
                return Err(EvaluationError::Blank {
                    question: q.id,
                    field: "asks",
                });
            }
            if q.criteria.len() > MAX_CRITERIA {
                return Err(EvaluationError::TooMany {
                    what: "criteria",
                    count: q.criteria.len(),
                    max: MAX_CRITERIA,
                });
            }
            if q.criteria.iter().any(|c| crate::limits::is_blank(c)) {
                return Err(EvaluationError::Blank {
                    question: q.id,
                    field: "criteria",
                });
            }
        }
        Ok(())
    }
}

/// What a piece of evidence says: a figure, or people's own words.
///
/// JSON: `{"type": "figure", "value": 7, "of": "projects with a co-producer"}` or
/// `{"type": "words", "said": "...", "from": 12}` (`from` left out when given anonymously).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Datum {
    /// A count: `value` of what `of` names.
    Figure {
        /// The count.
        value: u64,
        /// What was counted; must not be blank.
        of: String,
    },
    /// What someone said, in their words.
    Words {
        /// The words; must not be blank.
        said: String,
        /// Who said them, or `None` when given anonymously. How they are named in what the
        /// community publishes is their own choice
        /// ([`Naming`](crate::community::Naming)).
        from: Option<MemberId>,
    },
}

impl Datum {
    /// Whether these are people's own words.
    pub fn is_words(&self) -> bool {
        matches!(self, Datum::Words { .. })
    }
}

/// Where a piece of evidence came from.
///
/// JSON: `{"type": "session", "session": 4}`, `{"type": "survey"}`, `{"type": "interview"}`,
/// `{"type": "records"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Source {
    /// A co-creation session (the same numbering as the co-creation model's).
    Session {
        /// The session.
        session: SessionId,
    },
    /// A survey.
    Survey {},
    /// An interview or a conversation.
    Interview {},
    /// The community's own records (project logs, payments, attendance).
    Records {},
}

impl Source {
    /// In words, for a record.
    pub fn words(&self) -> String {
        match self {
            Source::Session { session } => format!("co-creation session {session}"),
            Source::Survey {} => "a survey".to_owned(),
            Source::Interview {} => "an interview".to_owned(),
            Source::Records {} => "the community's records".to_owned(),
        }
    }
}

/// One piece of evidence, as the member recording it gives it.
///
/// JSON: `{"question": 1, "observation": {...}, "source": {...}, "gathered_at": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gathered {
    /// The question it answers.
    pub question: QuestionId,
    /// What it says.
    pub observation: Datum,
    /// Where it came from.
    pub source: Source,
    /// When it was gathered: not before the plan was agreed, not after it is recorded.
    pub gathered_at: Timestamp,
}

/// A piece of evidence as recorded: what was gathered, and who recorded it when (what the
/// engine witnessed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recorded {
    /// What was gathered.
    pub gathered: Gathered,
    /// The member who recorded it.
    pub by: MemberId,
    /// When it was recorded.
    pub at: Timestamp,
}

impl Recorded {
    /// Whether the member who recorded it is the one whose words it holds: their own words,
    /// witnessed, rather than words another member attests they said.
    pub fn in_own_words(&self) -> bool {
        matches!(
            self.gathered.observation,
            Datum::Words { from: Some(from), .. } if from == self.by
        )
    }
}

/// The evaluation of a pilot: its agreed plan and the evidence recorded for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    /// The questions and criteria agreed.
    pub plan: EvaluationPlan,
    /// Who recorded the plan (attesting that `agreed_by` agreed it).
    pub recorded_by: MemberId,
    /// When it was recorded.
    pub agreed_at: Timestamp,
    /// The evidence, in the order it was recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Recorded>,
}

/// How much evidence one question of an evaluation has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuestionFigures {
    /// The question.
    pub question: QuestionId,
    /// Whom its benefit is for.
    pub benefit: Benefit,
    /// Figures recorded for it.
    pub figures: usize,
    /// People's words recorded for it.
    pub words: usize,
}

impl Evaluation {
    /// An evaluation agreed on `plan`, recorded by `by` at `at`, with no evidence yet.
    pub fn agreed(plan: EvaluationPlan, by: MemberId, at: Timestamp) -> Self {
        Self {
            plan,
            recorded_by: by,
            agreed_at: at,
            evidence: Vec::new(),
        }
    }

    /// Whether `gathered` can be recorded at `now`: some evidence and not too much (at most
    /// [`MAX_GATHERED`] at once, [`MAX_EVIDENCE`] in all), each for a question of the plan,
    /// nothing blank, gathered between the plan's agreement and now.
    ///
    /// # Errors
    ///
    /// The first thing wrong, as an [`EvaluationError`].
    pub fn check(&self, gathered: &[Gathered], now: Timestamp) -> Result<(), EvaluationError> {
        if gathered.is_empty() {
            return Err(EvaluationError::NoEvidence);
        }
        if gathered.len() > MAX_GATHERED {
            return Err(EvaluationError::TooMany {
                what: "pieces of evidence",
                count: gathered.len(),
                max: MAX_GATHERED,
            });
        }
        let total = self.evidence.len() + gathered.len();
        if total > MAX_EVIDENCE {
            return Err(EvaluationError::TooMany {
                what: "pieces of evidence in the evaluation with these",
                count: total,
                max: MAX_EVIDENCE,
            });
        }
        for g in gathered {
            if self.plan.question(g.question).is_none() {
                return Err(EvaluationError::UnknownQuestion {
                    question: g.question,
                });
            }
            let blank = match &g.observation {
                Datum::Figure { of, .. } => crate::limits::is_blank(of).then_some("of"),
                Datum::Words { said, .. } => crate::limits::is_blank(said).then_some("said"),
            };
            if let Some(field) = blank {
                return Err(EvaluationError::Blank {
                    question: g.question,
                    field,
                });
            }
            if g.gathered_at > now {
                return Err(EvaluationError::GatheredLater {
                    question: g.question,
                    gathered_at: g.gathered_at,
                    now,
                });
            }
            if g.gathered_at < self.agreed_at {
                return Err(EvaluationError::GatheredBeforePlan {
                    question: g.question,
                    gathered_at: g.gathered_at,
                    agreed_at: self.agreed_at,
                });
            }
        }
        Ok(())
    }

    /// Records `gathered` as recorded by `by` at `at` (checked first with
    /// [`check`](Self::check)).
    pub fn record(&mut self, gathered: Vec<Gathered>, by: MemberId, at: Timestamp) {
        self.evidence.extend(
            gathered
                .into_iter()
                .map(|gathered| Recorded { gathered, by, at }),
        );
    }

    /// The evaluation as it stood at `now`: `None` if it was not yet agreed, otherwise with
    /// only the evidence recorded by then. A record taken at `now` holds no more.
    ///
    /// # Example
    ///
    /// ```
    /// # use coproduction::community::{BodyId, MemberId};
    /// # use coproduction::evaluation::{Benefit, Evaluation, EvaluationPlan, Question, QuestionId};
    /// let plan = EvaluationPlan {
    ///     agreed_by: BodyId::new("co_producers")?,
    ///     questions: vec![Question {
    ///         id: QuestionId::new(1),
    ///         benefit: Benefit::CoProducers,
    ///         asks: "Did the role work for those who took it?".into(),
    ///         criteria: vec!["They would take it again".into()],
    ///     }],
    /// };
    /// let agreed: jiff::Timestamp = "2023-03-01T10:00:00Z".parse()?;
    /// let evaluation = Evaluation::agreed(plan, MemberId::new(13), agreed);
    /// // A record taken in February, before the pilot, holds no evaluation.
    /// assert!(evaluation.as_of("2023-02-13T10:00:00Z".parse()?).is_none());
    /// assert!(evaluation.as_of(agreed).is_some());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn as_of(&self, now: Timestamp) -> Option<Self> {
        if self.agreed_at > now {
            return None;
        }
        Some(Self {
            plan: self.plan.clone(),
            recorded_by: self.recorded_by,
            agreed_at: self.agreed_at,
            evidence: self
                .evidence
                .iter()
                .filter(|r| r.at <= now)
                .cloned()
                .collect(),
        })
    }

    /// The evidence for question `id`, in the order recorded.
    pub fn evidence_for(&self, id: QuestionId) -> impl Iterator<Item = &Recorded> + '_ {
        self.evidence
            .iter()
            .filter(move |r| r.gathered.question == id)
    }

    /// For each question in the plan's order, how many figures and words it has.
    pub fn figures(&self) -> Vec<QuestionFigures> {
        self.plan
            .questions
            .iter()
            .map(|q| {
                let (mut figures, mut words) = (0, 0);
                for r in self.evidence_for(q.id) {
                    if r.gathered.observation.is_words() {
                        words += 1;
                    } else {
                        figures += 1;
                    }
                }
                QuestionFigures {
                    question: q.id,
                    benefit: q.benefit,
                    figures,
                    words,
                }
            })
            .collect()
    }

    /// The questions with fewer than `min` pieces of evidence, in the plan's order.
    pub fn short_of(&self, min: usize) -> Vec<QuestionId> {
        self.figures()
            .into_iter()
            .filter(|f| f.figures + f.words < min)
            .map(|f| f.question)
            .collect()
    }

    /// The questions with no evidence yet, in the plan's order.
    pub fn without_evidence(&self) -> Vec<QuestionId> {
        self.short_of(1)
    }

    /// How many pieces of evidence are people's own words.
    pub fn words(&self) -> usize {
        self.evidence
            .iter()
            .filter(|r| r.gathered.observation.is_words())
            .count()
    }
}

/// Why an evaluation's plan or evidence was refused. Quotes no input: each names the
/// question and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvaluationError {
    /// The plan asks nothing.
    #[error("an evaluation plan needs at least one question")]
    NoQuestions,
    /// A list is longer than its limit.
    #[error("{count} {what} is more than the {max} allowed")]
    TooMany {
        /// What was listed.
        what: &'static str,
        /// How many.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// Two questions share a number.
    #[error("question {question} appears twice in the plan")]
    QuestionTwice {
        /// The number.
        question: QuestionId,
    },
    /// A text that must say something is blank.
    #[error("`{field}` of question {question} must not be blank")]
    Blank {
        /// The question.
        question: QuestionId,
        /// The field.
        field: &'static str,
    },
    /// Nothing to record.
    #[error("no evidence given: `evidence` must list at least one piece")]
    NoEvidence,
    /// Evidence for a question the plan does not ask.
    #[error("the evaluation plan has no question {question}")]
    UnknownQuestion {
        /// The question named.
        question: QuestionId,
    },
    /// Evidence dated after it was recorded.
    #[error("evidence for {question} is dated {gathered_at}, after it is recorded ({now})")]
    GatheredLater {
        /// The question.
        question: QuestionId,
        /// The date given.
        gathered_at: Timestamp,
        /// The time of recording.
        now: Timestamp,
    },
    /// Evidence dated before the plan it answers was agreed.
    #[error(
        "evidence for {question} is dated {gathered_at}, before the evaluation was agreed ({agreed_at})"
    )]
    GatheredBeforePlan {
        /// The question.
        question: QuestionId,
        /// The date given.
        gathered_at: Timestamp,
        /// When the plan was agreed.
        agreed_at: Timestamp,
    },
}

#[cfg(test)]
mod tests;
