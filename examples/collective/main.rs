//! A year in the life of a co-production community, told through the crate: two funding
//! offers, the Allies Group's make-up flagged and rebalanced by an inclusive recruitment, and
//! the associate-roles working model piloted and reviewed, every decision on the engine with
//! a journal file. The story itself is in `story/`; `tests/story.rs` runs it again and checks
//! its outcomes.
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
    ] {
        println!("  {what:<36} {}", story::verdicts(report));
    }
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
