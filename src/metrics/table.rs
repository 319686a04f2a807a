//! The metrics as plain text: aligned columns, stable labels, no colour, so the text can be
//! read in a terminal, pasted into a report, and asserted in tests.

use std::fmt;

use jiff::SignedDuration;

use crate::community::Share;

use crate::values::Outcome;

use super::{Metrics, ObjectionCounts};

/// The metrics as a plain-text table. Made by [`Metrics::table`]; prints with `Display`.
#[derive(Debug, Clone, Copy)]
pub struct MetricsTable<'a> {
    metrics: &'a Metrics,
}

impl<'a> MetricsTable<'a> {
    pub(super) fn new(metrics: &'a Metrics) -> Self {
        Self { metrics }
    }
}

/// Writes rows with each column as wide as its widest cell, two spaces apart, and no
/// trailing spaces.
fn columns(f: &mut fmt::Formatter<'_>, rows: &[Vec<String>]) -> fmt::Result {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let len = cell.chars().count();
            match widths.get_mut(i) {
                Some(w) => *w = (*w).max(len),
                None => widths.push(len),
            }
        }
    }
    for row in rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            if !line.is_empty() {
                line.push_str("  ");
            }
            line.push_str(cell);
            let pad = width.saturating_sub(cell.chars().count());
            line.extend(std::iter::repeat_n(' ', pad));
        }
        writeln!(f, "{}", line.trim_end())?;
    }
    Ok(())
}

fn share(s: Share) -> String {
    s.to_string()
}

/// A duration as a person reads it: `2h 30m` under a day, `28d 3h 10m` from a day on
/// (days of 24 hours; seconds left out at that scale).
fn duration(d: Option<SignedDuration>) -> String {
    let Some(d) = d else {
        return "-".to_owned();
    };
    let secs = d.as_secs().unsigned_abs();
    let days = secs / 86_400;
    if days == 0 {
        return format!("{d:#}");
    }
    let (hours, minutes) = ((secs % 86_400) / 3_600, (secs % 3_600) / 60);
    let sign = if d.is_negative() { "-" } else { "" };
    let mut text = format!("{sign}{days}d");
    for (n, unit) in [(hours, "h"), (minutes, "m")] {
        if n > 0 {
            text.push_str(&format!(" {n}{unit}"));
        }
    }
    text
}

fn objections(o: ObjectionCounts) -> String {
    let parts: Vec<String> = [
        (o.integrated, "integrated"),
        (o.kept_as_concern, "kept as concern"),
        (o.withdrawn, "withdrawn"),
        (o.abandoned, "abandoned"),
        (o.open, "open"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, label)| format!("{n} {label}"))
    .collect();
    if parts.is_empty() {
        o.raised.to_string()
    } else {
        format!("{} ({})", o.raised, parts.join(", "))
    }
}

/// The items, comma-separated, or `none` when there are none.
fn listed(items: &[String], none: &str) -> String {
    if items.is_empty() {
        none.to_owned()
    } else {
        items.join(", ")
    }
}

fn cells<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

impl fmt::Display for MetricsTable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.metrics;
        writeln!(f, "Decisions: {}", m.decisions.len())?;
        if !m.decisions.is_empty() {
            let mut rows = vec![cells([
                "stream",
                "kind",
                "body",
                "method",
                "participation",
                "lived experience",
                "objections",
                "concerns",
                "time to decision",
                "outcome",
                "published in time",
            ])];
            rows.extend(m.decisions.iter().map(|d| {
                vec![
                    d.stream.to_string(),
                    d.kind.to_string(),
                    d.deciding_body.to_string(),
                    d.method.to_string(),
                    share(d.participation),
                    share(d.lived_experience),
                    objections(d.objections),
                    d.concerns.to_string(),
                    duration(d.time_to_decision),
                    d.outcome.clone(),
                    if d.published_in_time { "yes" } else { "no" }.to_owned(),
                ]
            }));
            columns(f, &rows)?;
        }

        if !m.bodies.is_empty() {
            writeln!(f, "\nBodies")?;
            let mut rows = vec![cells([
                "body",
                "decisions",
                "participation",
                "lived experience",
            ])];
            rows.extend(m.bodies.iter().map(|b| {
                vec![
                    b.name.clone().unwrap_or_else(|| b.body.to_string()),
                    b.decisions.to_string(),
                    share(b.participation),
                    share(b.lived_experience),
                ]
            }));
            columns(f, &rows)?;
        }

        if !m.lived_experience_by_month.is_empty() {
            writeln!(f, "\nLived experience by month of decision")?;
            let mut rows = vec![cells(["month", "decisions", "lived experience"])];
            rows.extend(m.lived_experience_by_month.iter().map(|mm| {
                vec![
                    mm.month.clone(),
                    mm.decisions.to_string(),
                    share(mm.lived_experience),
                ]
            }));
            columns(f, &rows)?;
        }

        let t = &m.totals;
        writeln!(f, "\nTotals")?;
        let outcomes: Vec<String> = t.outcomes.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let rows = vec![
            vec!["outcomes".to_owned(), listed(&outcomes, "-")],
            vec!["participation".to_owned(), share(t.participation)],
            vec!["lived experience".to_owned(), share(t.lived_experience)],
            vec!["objections".to_owned(), objections(t.objections)],
            vec!["concerns".to_owned(), t.concerns.to_string()],
            vec![
                "mean time to decision".to_owned(),
                duration(t.mean_time_to_decision),
            ],
            vec![
                format!(
                    "rationale and publication within {} days",
                    m.publication.publish_days
                ),
                share(m.publication.in_time),
            ],
        ];
        columns(f, &rows)?;

        if let Some(feedback) = &m.feedback {
            writeln!(f, "\nFeedback")?;
            let uncarried: Vec<String> = feedback.uncarried.iter().map(|i| i.to_string()).collect();
            let rows = vec![
                vec!["carried into themes".to_owned(), share(feedback.carried)],
                vec!["uncarried".to_owned(), listed(&uncarried, "none")],
            ];
            columns(f, &rows)?;
        }

        for e in &m.evaluations {
            writeln!(f, "\nEvaluation of benefits and impact: {}", e.title)?;
            let mut rows: Vec<Vec<String>> = e
                .benefits
                .iter()
                .map(|b| {
                    vec![
                        format!("questions with evidence, {}", b.benefit.words()),
                        share(b.answered),
                    ]
                })
                .collect();
            rows.push(vec!["figures".to_owned(), e.figures.to_string()]);
            rows.push(vec![
                "people's words".to_owned(),
                format!(
                    "{} ({} recorded by the member who said them, {} anonymous)",
                    e.words, e.own_words, e.anonymous_words
                ),
            ]);
            let without: Vec<String> = e.without_evidence.iter().map(ToString::to_string).collect();
            rows.push(vec![
                "questions without evidence".to_owned(),
                listed(&without, "none"),
            ]);
            rows.push(vec![
                "reassessed".to_owned(),
                // The outcome as the JSON names it, then what it means for the agreement.
                match e.reassessed {
                    None => "not yet",
                    Some(Outcome::Adopted) => "adopted (the agreement continues)",
                    Some(Outcome::Declined) => "declined (the agreement is retired)",
                    Some(Outcome::Withdrawn) => "withdrawn (left open for another round)",
                    Some(Outcome::Deferred) => "deferred (left open for another round)",
                    Some(Outcome::Escalated) => "escalated (left open for another round)",
                }
                .to_owned(),
            ]);
            columns(f, &rows)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objections_list_only_the_dispositions_that_occur() {
        let o = ObjectionCounts {
            raised: 3,
            integrated: 1,
            withdrawn: 2,
            ..ObjectionCounts::default()
        };
        assert_eq!(objections(o), "3 (1 integrated, 2 withdrawn)");
        assert_eq!(objections(ObjectionCounts::default()), "0");
    }

    #[test]
    fn durations_read_as_days_hours_and_minutes() {
        assert_eq!(duration(Some(SignedDuration::from_mins(150))), "2h 30m");
        assert_eq!(duration(None), "-");
        assert_eq!(
            duration(Some(SignedDuration::from_mins(675 * 60 + 10))),
            "28d 3h 10m"
        );
        assert_eq!(duration(Some(SignedDuration::from_hours(48))), "2d");
        assert_eq!(duration(Some(SignedDuration::from_hours(-25))), "-1d 1h");
    }
}
