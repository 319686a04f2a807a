//! The DOT drawing of the seed community's governance map, line for line: the labels are
//! stable, so a change to the map or to the drawing shows up here.

use coproduction::governance::GovernanceMap;

const SEED_DOT: &str = r#"
digraph "governance" {
    rankdir=LR;
    node [shape=box, style=rounded];
    "kind:funding" [label="funding", shape=ellipse];
    "kind:partnership" [label="partnership", shape=ellipse];
    "kind:strategy" [label="strategy", shape=ellipse];
    "kind:recruitment" [label="recruitment", shape=ellipse];
    "kind:working_model" [label="working_model", shape=ellipse];
    "kind:operational" [label="operational", shape=ellipse];
    "kind:governance" [label="governance", shape=ellipse];
    "body:staff_team" [label="staff_team"];
    "body:decision_circle" [label="decision_circle"];
    "body:associate_roles_team" [label="associate_roles_team"];
    "body:allies_group" [label="allies_group"];
    "body:whole_community" [label="whole_community"];
    "body:institution_committee" [label="institution_committee"];
    "body:staff_team" -> "kind:funding" [label="decides by automatic decline when red line hit", style=bold];
    "body:staff_team" -> "kind:funding" [label="decides by advice_process when tiers 0-1, no red line", style=bold];
    "body:decision_circle" -> "kind:funding" [label="decides by consent when tiers 2-3, no red line", style=bold];
    "body:associate_roles_team" -> "kind:funding" [label="advises when no red line"];
    "body:allies_group" -> "kind:funding" [label="advises when tiers 1-3, no red line"];
    "body:whole_community" -> "kind:funding" [label="consulted when tiers 1-3, no red line", style=dashed];
    "body:institution_committee" -> "kind:funding" [label="advises when no red line, institutional policy"];
    "body:whole_community" -> "kind:funding" [label="informed", style=dotted];
    "body:staff_team" -> "kind:partnership" [label="decides by automatic decline when red line hit", style=bold];
    "body:staff_team" -> "kind:partnership" [label="decides by advice_process when tiers 0-1, no red line", style=bold];
    "body:decision_circle" -> "kind:partnership" [label="decides by consent when tiers 2-3, no red line", style=bold];
    "body:associate_roles_team" -> "kind:partnership" [label="advises when no red line"];
    "body:allies_group" -> "kind:partnership" [label="advises when tiers 1-3, no red line"];
    "body:whole_community" -> "kind:partnership" [label="consulted when tiers 1-3, no red line", style=dashed];
    "body:institution_committee" -> "kind:partnership" [label="advises when no red line, institutional policy"];
    "body:whole_community" -> "kind:partnership" [label="informed", style=dotted];
    "body:whole_community" -> "kind:strategy" [label="decides by consent", style=bold];
    "body:allies_group" -> "kind:strategy" [label="advises"];
    "body:staff_team" -> "kind:strategy" [label="advises"];
    "body:institution_committee" -> "kind:strategy" [label="informed", style=dotted];
    "body:staff_team" -> "kind:recruitment" [label="decides by advice_process", style=bold];
    "body:associate_roles_team" -> "kind:recruitment" [label="advises"];
    "body:allies_group" -> "kind:recruitment" [label="advises"];
    "body:whole_community" -> "kind:recruitment" [label="informed", style=dotted];
    "body:associate_roles_team" -> "kind:working_model" [label="decides by consent", style=bold];
    "body:staff_team" -> "kind:working_model" [label="advises"];
    "body:allies_group" -> "kind:working_model" [label="advises"];
    "body:whole_community" -> "kind:working_model" [label="consulted", style=dashed];
    "body:whole_community" -> "kind:working_model" [label="informed", style=dotted];
    "body:staff_team" -> "kind:operational" [label="decides by advice_process", style=bold];
    "body:allies_group" -> "kind:operational" [label="advises"];
    "body:whole_community" -> "kind:operational" [label="informed", style=dotted];
    "body:whole_community" -> "kind:governance" [label="decides by consent", style=bold];
    "body:allies_group" -> "kind:governance" [label="advises"];
    "body:staff_team" -> "kind:governance" [label="consulted", style=dashed];
    "body:staff_team" -> "body:decision_circle" [label="escalates_to", color=red];
    "body:associate_roles_team" -> "body:decision_circle" [label="escalates_to", color=red];
    "body:decision_circle" -> "body:institution_committee" [label="escalates_to when institutional policy", color=red];
    "body:decision_circle" -> "body:whole_community" [label="escalates_to when no institutional policy", color=red];
}
"#;

#[test]
fn the_seed_map_draws_with_stable_labels() {
    let map: GovernanceMap =
        serde_json::from_str(include_str!("../examples/data/governance.json")).unwrap();
    assert_eq!(map.dot().to_string(), SEED_DOT.trim_start());
}

#[test]
fn the_drawing_survives_a_json_round_trip() {
    let map: GovernanceMap =
        serde_json::from_str(include_str!("../examples/data/governance.json")).unwrap();
    let again: GovernanceMap = serde_json::from_str(&serde_json::to_string(&map).unwrap()).unwrap();
    assert_eq!(again.dot().to_string(), map.dot().to_string());
}
