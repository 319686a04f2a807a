//! A façade whose step table names the wrong landing for every step: each is refused with a
//! typed error, the notice handed back unchanged, however it is taken.

#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use crate::community::MemberId;
use crate::machine::testkit::StepCheck;
use crate::machine::typestate;
use crate::machine::{Context, Decider, Events, Facade, PhaseMismatch, RefusalKind, Transitions};

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    phase: NoticePhase,
}

impl Notice {
    pub fn phase(&self) -> NoticePhase {
        self.phase
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum NoticeState {
    NotPosted,
    Started(Box<Notice>),
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum NoticeCommand {
    Write {},
    Post {},
    Remove {},
    Archive {},
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NoticeError {
    #[error("not now")]
    NotNow,
    #[error(transparent)]
    Shared(RefusalKind),
    #[error("{0}")]
    PhaseMismatch(PhaseMismatch<NoticePhase>),
}

pub struct Notices;

impl From<RefusalKind> for NoticeError {
    fn from(kind: RefusalKind) -> Self {
        NoticeError::Shared(kind)
    }
}

impl Decider for Notices {
    type State = NoticeState;
    type Command = NoticeCommand;
    type Event = NoticeCommand;
    type Error = NoticeError;
    type Phase = NoticePhase;

    const TRANSITIONS: Transitions<NoticePhase> = Transitions {
        machine: "notice",
        start: NoticePhase::NotPosted,
        phases: &[
            NoticePhase::NotPosted,
            NoticePhase::Draft,
            NoticePhase::Posted,
            NoticePhase::Removed,
            NoticePhase::Archived,
        ],
        finals: &[NoticePhase::Removed, NoticePhase::Archived],
        edges: &[
            (NoticePhase::NotPosted, NoticePhase::Draft),
            (NoticePhase::Draft, NoticePhase::Posted),
            (NoticePhase::Draft, NoticePhase::Archived),
            (NoticePhase::Posted, NoticePhase::Removed),
            (NoticePhase::Posted, NoticePhase::Archived),
        ],
    };

    fn initial() -> NoticeState {
        NoticeState::NotPosted
    }

    fn phase(state: &NoticeState) -> NoticePhase {
        match state {
            NoticeState::NotPosted => NoticePhase::NotPosted,
            NoticeState::Started(notice) => notice.phase,
        }
    }

    fn decide(
        state: &NoticeState,
        command: &NoticeCommand,
        _: &Context,
    ) -> Result<Events<NoticeCommand>, NoticeError> {
        use NoticePhase as P;
        match (Self::phase(state), command) {
            (P::NotPosted, NoticeCommand::Write {})
            | (P::Draft, NoticeCommand::Post {})
            | (P::Posted, NoticeCommand::Remove {})
            | (P::Draft | P::Posted, NoticeCommand::Archive {}) => Ok(Events::one(command.clone())),
            _ => Err(NoticeError::NotNow),
        }
    }

    fn evolve(_: NoticeState, event: &NoticeCommand) -> NoticeState {
        let phase = match event {
            NoticeCommand::Write {} => NoticePhase::Draft,
            NoticeCommand::Post {} => NoticePhase::Posted,
            NoticeCommand::Remove {} => NoticePhase::Removed,
            NoticeCommand::Archive {} => NoticePhase::Archived,
        };
        NoticeState::Started(Box::new(Notice { phase }))
    }
}

typestate! {
    decider: Notices,
    state: NoticeState,
    started: Started,
    data: notice: Notice,
    event: NoticeCommand,
    command: NoticeCommand,
    error: NoticeError,
    phase: pub enum NoticePhase {
        NotPosted,
        Draft,
        Posted,
        Removed,
        Archived,
    },
    noun: "notice",
    marker: NoticeMarker,
    wrapper: Typed,
    refused: Refused { notice },
    any: AnyNotice,
    branches: [
        Settled { Archived, },
    ],
    steps: [
        Draft {
            // Lands in `posted`.
            fn post(ctx) -> Typed<Removed> = NoticeCommand::Post {};
        }
        Posted {
            // Lands in `removed`.
            fn remove(ctx) -> Settled = NoticeCommand::Remove {};
        }
    ],
    groups: [
        Open: [Draft, Posted] {
            // Lands in `archived`.
            fn archive(ctx) -> Typed<P> = NoticeCommand::Archive {};
        }
    ],
}

fn ctx() -> Context<'static> {
    Context::new(MemberId::new(1), "2024-01-01T00:00:00Z".parse().unwrap())
}

fn draft() -> Typed<Draft> {
    start_typed(NoticeCommand::Write {}, ctx()).unwrap()
}

fn posted() -> AnyNotice {
    AnyNotice::from_parts(
        NoticeState::Started(Box::new(Notice {
            phase: NoticePhase::Posted,
        })),
        vec![NoticeCommand::Write {}, NoticeCommand::Post {}],
        None,
    )
    .unwrap()
}

/// The refusal of a step that landed in `phase`, its row naming `expected`.
fn mislanded(
    attempted: &'static str,
    expected: &'static [NoticePhase],
    phase: NoticePhase,
) -> NoticeError {
    NoticeError::PhaseMismatch(PhaseMismatch {
        attempted,
        expected,
        phase,
    })
}

#[test]
fn every_typed_method_refuses_its_mislabelled_landing() {
    use NoticePhase as P;
    let refused = draft().post(ctx()).unwrap_err();
    assert_eq!(refused.error, mislanded("post", &[P::Removed], P::Posted));
    assert_eq!(refused.notice.phase(), P::Draft);
    assert_eq!(refused.notice.events(), &[NoticeCommand::Write {}]);

    let AnyNotice::Posted(posted) = posted() else {
        panic!("posted");
    };
    let refused = posted.remove(ctx()).unwrap_err();
    assert_eq!(
        refused.error,
        mislanded("remove", &[P::Archived], P::Removed)
    );
    assert_eq!(refused.notice.phase(), P::Posted);
    assert_eq!(refused.notice.events().len(), 2);

    let refused = draft().archive(ctx()).unwrap_err();
    assert_eq!(
        refused.error,
        mislanded("archive", &[P::Draft], P::Archived)
    );
    assert_eq!(refused.notice.phase(), P::Draft);
}

#[test]
fn every_row_refuses_its_mislabelled_landing_from_every_phase_that_offers_it() {
    let from = |phase| match phase {
        NoticePhase::Draft => AnyNotice::Draft(draft()),
        _ => posted(),
    };
    let mut taken = 0;
    for row in AnyNotice::steps() {
        for &phase in row.from {
            let notice = from(phase);
            assert_eq!(notice.phase(), phase);
            let (state, events) = (Facade::to_state(&notice), notice.events().to_vec());
            let command = [
                NoticeCommand::Post {},
                NoticeCommand::Remove {},
                NoticeCommand::Archive {},
            ]
            .into_iter()
            .find(|c| (row.sends)(c))
            .unwrap();
            let landed = Notices::phase(&Notices::evolve(state.clone(), &command));
            assert!(
                !(row.lands)(phase).contains(&landed),
                "the table mislabels it"
            );
            let (notice, error) = notice.step(command, ctx(), None).unwrap_err();
            assert_eq!(error, mislanded(row.name, (row.lands)(phase), landed));
            assert_eq!(Facade::to_state(&notice), state);
            assert_eq!(notice.events(), events.as_slice());
            taken += 1;
        }
    }
    assert_eq!(taken, 4);
}

#[test]
fn a_state_is_typed_only_in_a_phase_its_type_names() {
    let state = NoticeState::Started(Box::new(Notice {
        phase: NoticePhase::Posted,
    }));
    assert!(matches!(
        Settled::try_from(state.clone()),
        Err(NoticeError::PhaseMismatch(PhaseMismatch {
            phase: NoticePhase::Posted,
            ..
        }))
    ));
    assert!(Typed::<Posted>::try_from(state).is_ok());
    assert!(matches!(
        AnyNotice::try_from(NoticeState::NotPosted),
        Err(NoticeError::Shared(RefusalKind::NotStarted { .. }))
    ));
}

#[test]
#[should_panic(expected = "not an edge")]
fn the_step_check_catches_the_mislabelled_table() {
    StepCheck::<Notices>::new(AnyNotice::steps());
}

#[test]
fn a_phase_mismatch_says_what_was_attempted_and_where_the_process_is() {
    use NoticePhase as P;
    assert_eq!(
        mislanded("remove", &[P::Archived, P::Draft], P::Removed).to_string(),
        "cannot remove: the process is in phase `removed`, not `archived` or `draft`"
    );
    assert_eq!(
        mislanded("take the command", &[], P::Draft).to_string(),
        "cannot take the command in phase `draft`: no typed step of the phase sends it"
    );
}
