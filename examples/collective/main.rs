//! The community's own story, on its own timeline, told through the crate: how it decides
//! (March to October 2021: an open co-creation session, the Allies Group rebalanced, who
//! decides what changed by the whole community, a trusted staff decision with its basis
//! published), its funding process used (a grant accepted with its condition, a
//! partnership declined), and the associate-roles work (its team formed in spring 2022,
//! the June 2022 workshops, the
//! naming debate, the draft open for comment, the first wave of co-producers in the autumn,
//! the pilot from March 2023, its evaluation of benefits and impact and its reassessment,
//! and the second wave of co-producers it asked for). Every decision runs on the engine with
//! a journal file. The story itself is in `story/`; `tests/story.rs` runs it again and
//! checks its outcomes and dates.
//!
//! Run it with `cargo run --example collective -- <out-dir>`; without a folder it writes to
//! `coproduction-collective` in the system's temporary folder, and names it.

mod story;

fn main() -> Result<(), coproduction::Error> {
    let out = std::env::args_os().nth(1).map_or_else(
        || std::env::temp_dir().join("coproduction-collective"),
        std::path::PathBuf::from,
    );
    let story = story::run(&out)?;

    println!("\n== The story in one view ==\n");
    for (stream, what, report) in [
        (story::ALLIES, "The Allies Group rebalanced", &story.allies),
        (
            story::HOW_WE_DECIDE,
            "Who decides what, changed",
            &story.how_we_decide,
        ),
        (
            story::STAFF_DECISION,
            "A trusted staff decision",
            &story.staff,
        ),
        (
            story::TOBACCO,
            "A red-line offer, declined",
            &story.red_line,
        ),
        (
            story::FUNDING,
            "The foundation's grant, accepted",
            &story.funding,
        ),
        (
            story::PARTNERSHIP,
            "A partnership, declined",
            &story.partnership,
        ),
        (story::TEAM, "The associate-roles team formed", &story.team),
        (
            story::WORKSHOPS_TWICE,
            "Each workshop held twice",
            &story.workshops_twice,
        ),
        (
            story::NAMING,
            "Co-producers: the name agreed",
            &story.naming,
        ),
        (
            story::FIRST_WAVE,
            "The first wave, appointed",
            &story.first_wave,
        ),
        (
            story::WORKING_MODEL_ROUND,
            "The working model, for a pilot",
            &story.working_model,
        ),
        (
            story::WORKING_MODEL_REASSESSMENT,
            "The pilot reassessed",
            &story.reassessment,
        ),
        (
            story::SECOND_WAVE,
            "The second wave, appointed",
            &story.second_wave,
        ),
    ] {
        println!(
            "  {:<10}  {what:<34} {}",
            story::decided_on(&story.engine, stream),
            story::verdicts(report)
        );
    }
    println!(
        "  While the objection to \"partner\" was open, the same round read: {}",
        story::verdicts(&story.naming_open_objection)
    );
    println!(
        "\nThe pilot: due to start ({}), started by the engine's tick on {} ({} event), its \
         review due ({}).",
        story.pilot_starting.label(),
        &story::PILOT_STARTS[..10],
        story.pilot_started.events.len(),
        story.pilot_review.label(),
    );
    println!(
        "Its evaluation: {} questions agreed, {} pieces of evidence ({} in people's own words), \
         {} question(s) without evidence; the reassessment decided on it.",
        story.evaluation.plan.questions.len(),
        story.evaluation.evidence.len(),
        story.evaluation.words(),
        story.evaluation.without_evidence().len()
    );
    println!(
        "Co-producers recruited in {} waves ({}), each after an open advert, decided on the \
         route in force.",
        story.waves.len(),
        story
            .waves
            .iter()
            .map(|w| w.at.strftime("%B %Y").to_string())
            .collect::<Vec<_>>()
            .join(" and ")
    );
    println!(
        "\n{} processes on the engine, {} decisions with a round; {} piece(s) of feedback no \
         theme carried, each kept and listed.",
        story.engine.streams().len(),
        story.metrics.totals.decisions,
        story.cocreation.uncarried().len()
    );
    println!("\nOpen {} to read what the story wrote:", out.display());
    for (file, shows) in &story.files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        println!("  {name:<42} {shows}");
    }
    Ok(())
}
