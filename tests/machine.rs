//! The state-machine core through its public API: graph checks that name the phase, the DOT
//! text, checked evolution and the given/when/then kit, on a small agenda-item machine.

use coproduction::community::MemberId;
use coproduction::machine::testkit::given;
use coproduction::machine::{
    Context, Decider, Events, GraphError, Phase, TransitionGraph, Transitions, evolve_checked,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Item {
    Proposed,
    Scheduled,
    Discussed,
    Closed,
    Withdrawn,
}

impl Phase for Item {
    fn label(self) -> &'static str {
        match self {
            Item::Proposed => "proposed",
            Item::Scheduled => "scheduled",
            Item::Discussed => "discussed",
            Item::Closed => "closed",
            Item::Withdrawn => "withdrawn",
        }
    }
}

const PHASES: &[Item] = &[
    Item::Proposed,
    Item::Scheduled,
    Item::Discussed,
    Item::Closed,
    Item::Withdrawn,
];

#[derive(Debug, Clone, PartialEq)]
enum Cmd {
    Schedule,
    Discuss,
    Close,
    Withdraw,
    /// Asks evolve to jump straight to closed: an event the graph does not allow.
    ForceClose,
}

#[derive(Debug, Clone, PartialEq)]
enum Ev {
    Scheduled { by: MemberId },
    Discussed,
    Closed,
    Withdrawn,
    ForceClosed,
}

#[derive(Debug, PartialEq, thiserror::Error)]
#[error("cannot {attempted} an item in phase `{}`", phase.label())]
struct Refused {
    attempted: &'static str,
    phase: Item,
}

struct Agenda;

impl Decider for Agenda {
    type State = Item;
    type Command = Cmd;
    type Event = Ev;
    type Error = Refused;
    type Phase = Item;

    const TRANSITIONS: Transitions<Item> = Transitions {
        machine: "agenda_item",
        start: Item::Proposed,
        phases: PHASES,
        finals: &[Item::Closed, Item::Withdrawn],
        edges: &[
            (Item::Proposed, Item::Scheduled),
            (Item::Scheduled, Item::Discussed),
            (Item::Discussed, Item::Closed),
            (Item::Proposed, Item::Withdrawn),
            (Item::Scheduled, Item::Withdrawn),
        ],
    };

    fn initial() -> Item {
        Item::Proposed
    }

    fn phase(state: &Item) -> Item {
        *state
    }

    fn decide(state: &Item, command: &Cmd, ctx: &Context) -> Result<Events<Ev>, Refused> {
        let refuse = |attempted| {
            Err(Refused {
                attempted,
                phase: *state,
            })
        };
        match (state, command) {
            (Item::Proposed, Cmd::Schedule) => Ok(Events::one(Ev::Scheduled { by: ctx.actor })),
            (_, Cmd::Schedule) => refuse("schedule"),
            (Item::Scheduled, Cmd::Discuss) => Ok(Events::one(Ev::Discussed)),
            (_, Cmd::Discuss) => refuse("discuss"),
            (Item::Discussed, Cmd::Close) => Ok(Events::one(Ev::Closed)),
            (_, Cmd::Close) => refuse("close"),
            (Item::Proposed | Item::Scheduled, Cmd::Withdraw) => Ok(Events::one(Ev::Withdrawn)),
            (_, Cmd::Withdraw) => refuse("withdraw"),
            (_, Cmd::ForceClose) => Ok(Events::one(Ev::ForceClosed)),
        }
    }

    fn evolve(_: Item, event: &Ev) -> Item {
        match event {
            Ev::Scheduled { .. } => Item::Scheduled,
            Ev::Discussed => Item::Discussed,
            Ev::Closed | Ev::ForceClosed => Item::Closed,
            Ev::Withdrawn => Item::Withdrawn,
        }
    }
}

fn ctx() -> Context<'static> {
    Context::new(MemberId::new(3), "2021-03-30T14:00:00Z".parse().unwrap())
}

fn broken(finals: &'static [Item], edges: &'static [(Item, Item)]) -> GraphError {
    TransitionGraph::new(&Transitions {
        machine: "agenda_item",
        start: Item::Proposed,
        phases: PHASES,
        finals,
        edges,
    })
    .unwrap_err()
}

#[test]
fn the_declared_graph_passes_its_checks() {
    let g = Agenda::graph().unwrap();
    assert_eq!(g.machine(), "agenda_item");
    assert_eq!(g.start(), Item::Proposed);
    assert_eq!(g.phases().collect::<Vec<_>>(), PHASES);
    assert_eq!(
        g.successors(Item::Scheduled),
        vec![Item::Discussed, Item::Withdrawn]
    );
}

#[test]
fn an_unreachable_phase_is_named() {
    let err = broken(
        &[Item::Closed, Item::Withdrawn],
        &[
            (Item::Proposed, Item::Scheduled),
            (Item::Scheduled, Item::Discussed),
            (Item::Discussed, Item::Closed),
        ],
    );
    assert_eq!(
        err,
        GraphError::Unreachable {
            machine: "agenda_item",
            phase: "withdrawn"
        }
    );
    assert_eq!(
        err.to_string(),
        "machine `agenda_item`: phase `withdrawn` cannot be reached from the start"
    );
}

#[test]
fn a_phase_that_cannot_finish_is_named() {
    let err = broken(
        &[Item::Closed, Item::Withdrawn],
        &[
            (Item::Proposed, Item::Scheduled),
            (Item::Scheduled, Item::Discussed),
            (Item::Proposed, Item::Withdrawn),
            (Item::Withdrawn, Item::Closed),
        ],
    );
    // `withdrawn -> closed` is checked first: a final phase with an exit.
    assert_eq!(
        err,
        GraphError::FinalHasExit {
            machine: "agenda_item",
            phase: "withdrawn",
            to: "closed"
        }
    );

    let err = broken(
        &[Item::Closed, Item::Withdrawn],
        &[
            (Item::Proposed, Item::Scheduled),
            (Item::Scheduled, Item::Discussed),
            (Item::Proposed, Item::Withdrawn),
            (Item::Proposed, Item::Closed),
        ],
    );
    assert_eq!(
        err,
        GraphError::CannotFinish {
            machine: "agenda_item",
            phase: "scheduled"
        }
    );
    assert_eq!(
        err.to_string(),
        "machine `agenda_item`: no final phase can be reached from phase `scheduled`"
    );
}

#[test]
fn a_final_phase_with_an_exit_is_named() {
    let err = broken(
        &[Item::Closed, Item::Withdrawn],
        &[
            (Item::Proposed, Item::Scheduled),
            (Item::Scheduled, Item::Discussed),
            (Item::Discussed, Item::Closed),
            (Item::Closed, Item::Withdrawn),
        ],
    );
    assert_eq!(
        err,
        GraphError::FinalHasExit {
            machine: "agenda_item",
            phase: "closed",
            to: "withdrawn"
        }
    );
}

#[test]
fn the_dot_text_is_stable() {
    let g = Agenda::graph().unwrap();
    assert_eq!(
        g.dot().to_string(),
        r#"digraph "agenda_item" {
    rankdir=LR;
    node [shape=box, style=rounded];
    "proposed" [style="rounded,bold"];
    "scheduled";
    "discussed";
    "closed" [peripheries=2];
    "withdrawn" [peripheries=2];
    "proposed" -> "scheduled";
    "scheduled" -> "discussed";
    "discussed" -> "closed";
    "proposed" -> "withdrawn";
    "scheduled" -> "withdrawn";
}
"#
    );
}

#[test]
fn given_when_then_accepts_and_returns_the_state() {
    let state = given::<Agenda>([])
        .when(Cmd::Schedule, ctx())
        .then([Ev::Scheduled {
            by: MemberId::new(3),
        }]);
    assert_eq!(state, Item::Scheduled);
    let state = given::<Agenda>([Ev::Scheduled {
        by: MemberId::new(3),
    }])
    .when(Cmd::Discuss, ctx())
    .then([Ev::Discussed]);
    assert_eq!(state, Item::Discussed);
}

#[test]
fn given_when_then_error() {
    given::<Agenda>([
        Ev::Scheduled {
            by: MemberId::new(3),
        },
        Ev::Discussed,
    ])
    .when(Cmd::Withdraw, ctx())
    .then_error(Refused {
        attempted: "withdraw",
        phase: Item::Discussed,
    });
    given::<Agenda>([])
        .when(Cmd::Close, ctx())
        .then_error_matching(|e| e.attempted == "close");
}

#[test]
#[should_panic(expected = "the events left the declared graph")]
fn then_catches_an_undeclared_transition() {
    given::<Agenda>([])
        .when(Cmd::ForceClose, ctx())
        .then([Ev::ForceClosed]);
}

#[test]
#[should_panic(expected = "the command produced other events")]
fn then_catches_other_events() {
    given::<Agenda>([])
        .when(Cmd::Withdraw, ctx())
        .then([Ev::Closed]);
}

#[test]
#[should_panic(expected = "the command was refused")]
fn then_catches_a_refusal() {
    given::<Agenda>([])
        .when(Cmd::Close, ctx())
        .then([Ev::Closed]);
}

#[test]
fn evolve_checked_names_the_undeclared_step() {
    let err = evolve_checked::<Agenda>(Item::Scheduled, &[Ev::ForceClosed]).unwrap_err();
    assert_eq!(
        err,
        GraphError::UndeclaredTransition {
            machine: "agenda_item",
            from: "scheduled",
            to: "closed"
        }
    );
    let events = [
        Ev::Scheduled {
            by: MemberId::new(1),
        },
        Ev::Discussed,
        Ev::Closed,
    ];
    assert_eq!(
        evolve_checked::<Agenda>(Agenda::initial(), &events).unwrap(),
        Item::Closed
    );
    assert_eq!(Agenda::replay(&events), Item::Closed);
}

#[test]
fn context_json_refuses_unknown_fields() {
    let ok: Context =
        serde_json::from_str(r#"{"actor": 3, "now": "2021-03-30T14:00:00Z"}"#).unwrap();
    assert_eq!(ok, ctx());
    assert!(
        serde_json::from_str::<Context>(r#"{"actor": 3, "now": "2021-03-30T14:00:00Z", "as": 1}"#)
            .is_err()
    );
}
