//! What became of a theme at a decision: the "we did".

use std::fmt;

use serde::{Deserialize, Serialize};

/// What a decision did with a theme. "We did" must always say something: a theme that was
/// not taken forward carries the reason, so silence is never an answer.
///
/// Serialised internally tagged: `{"type": "adopted_as_proposed"}`,
/// `{"type": "adapted", "how": "..."}`, `{"type": "not_taken_forward", "reason": "..."}`,
/// `{"type": "pending"}`. Reading refuses unknown fields for every variant and blank text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
#[serde(tag = "type", rename_all = "snake_case", try_from = "ThemeOutcomeWire")]
#[non_exhaustive]
pub enum ThemeOutcome {
    /// Taken into the decision as the theme proposed.
    AdoptedAsProposed,
    /// Taken in, changed; `how` says in what way.
    Adapted {
        /// How it was changed, and why.
        how: String,
    },
    /// Not taken forward; `reason` says why.
    NotTakenForward {
        /// Why not.
        reason: String,
    },
    /// Not settled yet.
    Pending,
}

impl ThemeOutcome {
    /// The stable `snake_case` name of the outcome.
    pub fn label(&self) -> &'static str {
        self.into()
    }

    /// An adapted outcome.
    ///
    /// # Errors
    ///
    /// [`InvalidThemeOutcome`] if `how` is blank.
    pub fn adapted(how: impl Into<String>) -> Result<Self, InvalidThemeOutcome> {
        let how = said(how, "adapted", "`how` must say how the theme was adapted")?;
        Ok(ThemeOutcome::Adapted { how })
    }

    /// A theme not taken forward, with the reason.
    ///
    /// # Errors
    ///
    /// [`InvalidThemeOutcome`] if `reason` is blank: "we did" must say why.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::cocreation::ThemeOutcome;
    /// assert!(ThemeOutcome::not_taken_forward("  ").is_err());
    /// let o = ThemeOutcome::not_taken_forward("the budget covers one wave of recruitment")?;
    /// assert_eq!(o.to_string(), "not taken forward: the budget covers one wave of recruitment");
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn not_taken_forward(reason: impl Into<String>) -> Result<Self, InvalidThemeOutcome> {
        let reason = said(
            reason,
            "not_taken_forward",
            "`reason` must say why the theme was not taken forward",
        )?;
        Ok(ThemeOutcome::NotTakenForward { reason })
    }

    /// The outcome, checked: an adapted or not-taken-forward outcome must say how or why.
    pub(crate) fn validated(self) -> Result<Self, InvalidThemeOutcome> {
        match self {
            ThemeOutcome::Adapted { how } => ThemeOutcome::adapted(how),
            ThemeOutcome::NotTakenForward { reason } => ThemeOutcome::not_taken_forward(reason),
            other => Ok(other),
        }
    }
}

/// `text`, unless it is blank: then `outcome` is refused, `reason` saying what it must say.
fn said(
    text: impl Into<String>,
    outcome: &'static str,
    reason: &'static str,
) -> Result<String, InvalidThemeOutcome> {
    let text = text.into();
    if crate::limits::is_blank(&text) {
        Err(InvalidThemeOutcome { outcome, reason })
    } else {
        Ok(text)
    }
}

impl fmt::Display for ThemeOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThemeOutcome::AdoptedAsProposed => f.write_str("adopted as proposed"),
            ThemeOutcome::Adapted { how } => write!(f, "adapted: {how}"),
            ThemeOutcome::NotTakenForward { reason } => write!(f, "not taken forward: {reason}"),
            ThemeOutcome::Pending => f.write_str("pending"),
        }
    }
}

/// An outcome that could not be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid outcome `{outcome}`: {reason}")]
pub struct InvalidThemeOutcome {
    /// The outcome's `type`.
    pub outcome: &'static str,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// The strict reading of a [`ThemeOutcome`]: serde does not refuse unknown fields on the unit
/// variants of an internally tagged enum, so outcomes are read through this struct.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeOutcomeWire {
    #[serde(rename = "type")]
    kind: String,
    how: Option<String>,
    reason: Option<String>,
}

impl TryFrom<ThemeOutcomeWire> for ThemeOutcome {
    type Error = InvalidThemeOutcome;

    fn try_from(wire: ThemeOutcomeWire) -> Result<Self, Self::Error> {
        let outcome = match (wire.kind.as_str(), wire.how, wire.reason) {
            ("adopted_as_proposed", None, None) => ThemeOutcome::AdoptedAsProposed,
            ("pending", None, None) => ThemeOutcome::Pending,
            ("adapted", Some(how), None) => ThemeOutcome::Adapted { how },
            ("not_taken_forward", None, Some(reason)) => ThemeOutcome::NotTakenForward { reason },
            (kind, ..) => {
                let (outcome, reason) = match kind {
                    "adopted_as_proposed" => ("adopted_as_proposed", "takes no `how` or `reason`"),
                    "pending" => ("pending", "takes no `how` or `reason`"),
                    "adapted" => ("adapted", "needs `how` and takes no `reason`"),
                    "not_taken_forward" => {
                        ("not_taken_forward", "needs `reason` and takes no `how`")
                    }
                    _ => (
                        "unknown",
                        "the type is not one of adopted_as_proposed, adapted, not_taken_forward, pending",
                    ),
                };
                return Err(InvalidThemeOutcome { outcome, reason });
            }
        };
        outcome.validated()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_read_strictly() {
        for o in [
            ThemeOutcome::AdoptedAsProposed,
            ThemeOutcome::Pending,
            ThemeOutcome::adapted("as a pilot first").unwrap(),
            ThemeOutcome::not_taken_forward("out of scope").unwrap(),
        ] {
            let json = serde_json::to_string(&o).unwrap();
            assert_eq!(serde_json::from_str::<ThemeOutcome>(&json).unwrap(), o);
        }
        assert_eq!(
            serde_json::to_string(&ThemeOutcome::Pending).unwrap(),
            r#"{"type":"pending"}"#
        );
        for bad in [
            r#"{"type":"pending","junk":1}"#,
            r#"{"type":"pending","reason":"x"}"#,
            r#"{"type":"adapted"}"#,
            r#"{"type":"adapted","how":"  "}"#,
            r#"{"type":"not_taken_forward"}"#,
            r#"{"type":"not_taken_forward","reason":""}"#,
            r#"{"type":"ignored","reason":"x"}"#,
        ] {
            assert!(serde_json::from_str::<ThemeOutcome>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_says_what_and_why() {
        assert_eq!(
            ThemeOutcome::AdoptedAsProposed.to_string(),
            "adopted as proposed"
        );
        assert_eq!(
            ThemeOutcome::adapted("trialled first").unwrap().to_string(),
            "adapted: trialled first"
        );
        assert_eq!(
            ThemeOutcome::adapted(""),
            Err(InvalidThemeOutcome {
                outcome: "adapted",
                reason: "`how` must say how the theme was adapted"
            })
        );
    }
}
