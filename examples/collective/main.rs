//! A year in the life of a co-production community, told through the crate: two funding
//! offers, the Allies Group's make-up flagged and rebalanced by an inclusive recruitment, the
//! associate-roles working model adopted as a pilot for the spring, and a governance decision
//! that gives recruitment to the decision circle, after which the first co-producers are
//! appointed on the new route; then the pilot starts, falls due for review and is
//! reassessed. Every decision runs on the engine with a journal file. Each record names the
//! governance map its decision was routed by. The story itself is in `story/`;
//! `tests/story.rs` runs it again and checks its outcomes.
//!
//! Run it with `cargo run --example collective`; it names the folder it writes to.

mod story;

fn main() -> Result<(), coproduction::Error> {
    let out = std::env::temp_dir().join("coproduction-collective");
    let story = story::run(&out)?;

    println!("\n== The year in one view ==\n");
    for (what, report) in [
        ("The foundation's offer, accepted", &story.foundation),
        ("The red-line offer, declined", &story.red_line),
        ("The recruitment, adopted", &story.recruitment),
        ("The first wave of allies, appointed", &story.wave),
        ("The working model, objection open", &story.open_objection),
        ("The working model, adopted", &story.working_model),
        ("Recruitment to the circle, adopted", &story.governance),
        ("The first co-producers, appointed", &story.appointment),
        ("The working model's pilot, continued", &story.reassessment),
    ] {
        println!("  {what:<36} {}", story::verdicts(report));
    }
    println!(
        "\nThe pilot: due to start ({}), started by the engine's tick ({} event), its review \
         due ({}) six months from its start.",
        story.pilot_starting.label(),
        story.pilot_started.events.len(),
        story.pilot_review.label(),
    );
    println!(
        "\n{} processes on the engine, {} decisions with a round; {} piece(s) of feedback no theme carried.",
        story.engine.streams().len(),
        story.metrics.totals.decisions,
        story.cocreation.uncarried().len()
    );
    println!("Open {} to read them:", out.display());
    for file in &story.files {
        println!("  {}", file.display());
    }
    Ok(())
}
