//! The value-check from JSON: read a charter and a decision record, print the report.
//!
//! The record is the seed situation: the decision circle takes up a partnership by consent,
//! on the route the seed map gives, after advice from the Allies Group, which advises and
//! does not decide, and has fewer members bringing lived experience (3 of 8) than members
//! there in a professional role. Everything else is in order, so the report shows one
//! finding: I9, a warning on advice relied on from that group. The gate refuses the decision
//! until someone acknowledges the warning with a reason.
//!
//! ```sh
//! cargo run --example value_check [charter.json record.json]
//! ```

use coproduction::values::{Charter, DecisionRecord, Status};

fn main() -> Result<(), coproduction::Error> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");
    let mut args = std::env::args().skip(1);
    let charter_path = args.next().unwrap_or_else(|| format!("{dir}/charter.json"));
    let record_path = args
        .next()
        .unwrap_or_else(|| format!("{dir}/partnership_record.json"));

    let charter = Charter::from_json(&std::fs::read_to_string(&charter_path)?)?;
    let record: DecisionRecord = serde_json::from_str(&std::fs::read_to_string(&record_path)?)?;
    let report = charter.check(&record);

    println!(
        "Decision: {} ({} rules checked)",
        record.kind,
        report.findings().len()
    );
    for v in report.verdicts() {
        println!("  {:<12} {}", v.value.as_str(), v.verdict.label());
    }
    println!("Findings that need attention:");
    for f in report
        .findings()
        .iter()
        .filter(|f| f.status != Status::Satisfied && f.status != Status::NotApplicable)
    {
        println!(
            "  {} [{}, {}] {}: {}",
            f.rule,
            f.value,
            f.severity.label(),
            f.status.label(),
            f.message
        );
        for e in &f.evidence {
            println!("      {} = {}", e.field, e.observed);
        }
    }
    match report.gate() {
        Ok(proof) => println!("Gate: passed ({} rules)", proof.rules_checked().len()),
        Err(refusal) => println!("Gate: {refusal}"),
    }
    println!(
        "\nReport as JSON:\n{}",
        serde_json::to_string_pretty(&report)?
    );
    Ok(())
}
