//! A refusal every process makes alike, with the process that made it.

use std::fmt;

use crate::machine::RefusalKind;

use super::ProcessKind;

/// A refusal in the vocabulary every process shares ([`RefusalKind`]), with the kind of
/// process that refused.
///
/// Each process's error holds it as its `Shared` variant and converts from a bare
/// [`RefusalKind`] with `From`, adding its own kind; [`crate::Error::refusal`] finds it
/// wherever it is carried, so a caller can handle "not in this phase" or "not your role"
/// once for every process.
///
/// Its message is the refusal's, naming the process by its noun ("the round's facilitator",
/// "the proposal's last event").
///
/// # Example
///
/// ```
/// use coproduction::consent::ConsentError;
/// use coproduction::machine::RefusalKind;
/// use coproduction::process::ProcessKind;
///
/// let error = ConsentError::from(RefusalKind::WrongPhase { attempted: "close", phase: "presented" });
/// let refusal = error.refusal().expect("shared by every process");
/// assert_eq!(refusal.process, ProcessKind::Consent);
/// assert!(matches!(refusal.kind, RefusalKind::WrongPhase { phase: "presented", .. }));
/// assert_eq!(error.to_string(), "cannot close in phase `presented`");
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The kind of process that refused.
    pub process: ProcessKind,
    /// What it refused.
    pub kind: RefusalKind,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.write(self.process.noun(), f)
    }
}

impl std::error::Error for Refusal {}
