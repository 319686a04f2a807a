//! Every DOT text the crate emits is rendered by Graphviz's `dot`, so a diagram never ships
//! that Graphviz refuses. Where `dot` is not installed the test says so and skips; CI installs
//! it.

use std::io::Write;
use std::process::{Command, Stdio};

use coproduction::community::Community;
use coproduction::consent::ConsentProcess;
use coproduction::funding::FundingProcess;
use coproduction::governance::GovernanceMap;
use coproduction::machine::Decider;
use coproduction::proposal::ProposalProcess;

/// Every DOT the crate emits, by name.
fn diagrams() -> Vec<(&'static str, String)> {
    let community: Community =
        serde_json::from_str(include_str!("../examples/data/community.json")).unwrap();
    let map: GovernanceMap =
        serde_json::from_str(include_str!("../examples/data/governance.json")).unwrap();
    coproduction::governance::Governance::new(map.clone(), &community).unwrap();
    vec![
        (
            "consent round",
            ConsentProcess::graph().unwrap().dot().to_string(),
        ),
        (
            "proposal",
            ProposalProcess::graph().unwrap().dot().to_string(),
        ),
        (
            "funding decision",
            FundingProcess::graph().unwrap().dot().to_string(),
        ),
        ("seed governance map", map.dot().to_string()),
    ]
}

fn dot_available() -> bool {
    Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn graphviz_renders_every_diagram() {
    if !dot_available() {
        println!("skipped: Graphviz `dot` is not installed here (CI installs it)");
        return;
    }
    for (name, dot) in diagrams() {
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(dot.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{name}: dot refused it: {stderr}\n{dot}"
        );
        assert!(stderr.trim().is_empty(), "{name}: dot warned: {stderr}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("<svg"),
            "{name}"
        );
    }
}
