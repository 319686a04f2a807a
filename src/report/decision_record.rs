//! A decision record as Markdown.

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};

use super::document::{Block, Document, Item};

use jiff::Timestamp;

use crate::community::{BodyId, Community, MemberId};
use crate::journal::Hash;

use super::{Names, ends_sentence, full_stop, one_line, without_full_stop};
use crate::machine::Quoted;

use crate::decision::Method;
use crate::values::{
    AbsenceCounted, Acknowledgement, AdviceBasis, AdviceEntry, CharterAdoption, Conflict,
    DecisionRecord, Disposition, DueDiligenceCheck, FunderFacts, FundingCondition, GateReview,
    ObjectionEntry, Outcome, Override, Participant, PaymentStatus, RaisedAs, RecordedResponse,
    RecruitmentFacts, Restriction, ReviewEnd, ReviewRecord, RouteSummary, RuleId, Screen, Status,
    TestResult, ValueReport,
};

/// Writes a [`DecisionRecord`] and the [`ValueReport`] of its check as Markdown, for a person
/// to read and for a test to assert.
///
/// The text is stable: sections in a fixed order (decision, deciding body, responses,
/// objections and concerns, rationale, dates, values, overrides and acknowledgements);
/// participants in member-id order, objections as recorded, values in the charter's order and
/// findings by rule id; dates as `YYYY-MM-DD` (UTC). Evidence the record does not hold is
/// written "not recorded", never left out, so a reader sees the gap. Every finding that is not
/// satisfied (violated, not evaluated) is listed with its message, and with the override or
/// acknowledgement recorded for it.
///
/// # Example
///
/// (In the source, each Markdown heading carries one extra `#`: rustdoc strips it.)
///
/// ```
/// use coproduction::decision::DecisionKind;
/// use coproduction::report::DecisionRecordMarkdown;
/// use coproduction::values::{Charter, DecisionRecord, Outcome};
///
/// let charter = Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T2"}]}"#)?;
/// let record = DecisionRecord {
///     outcome: Some(Outcome::Declined),
///     rationale: Some("The budget is committed elsewhere this year.".into()),
///     alternatives: Some(vec!["Revisit next year".into()]),
///     ..DecisionRecord::new(DecisionKind::Strategy)
/// };
/// let report = charter.check(&record);
/// let text = DecisionRecordMarkdown::new(&record, &report).to_string();
/// assert!(text.starts_with("## Decision record: strategy\n\nOutcome: declined.\n"));
/// assert!(text.contains("\n### Rationale\n\nThe budget is committed elsewhere this year.\n\nAlternatives considered:\n\n- Revisit next year\n"));
/// assert!(text.contains("\n### Values\n\n- transparent: upheld\n"));
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DecisionRecordMarkdown<'a> {
    record: &'a DecisionRecord,
    report: &'a ValueReport,
    title: Option<&'a str>,
    fallback_title: Option<&'a str>,
    review: Option<&'a GateReview>,
    routed_by: Option<Hash>,
    names: Names<'a>,
}

impl<'a> DecisionRecordMarkdown<'a> {
    /// The Markdown of `record`, with the `report` its check returned.
    pub fn new(record: &'a DecisionRecord, report: &'a ValueReport) -> Self {
        Self {
            record,
            report,
            title: None,
            fallback_title: None,
            review: None,
            routed_by: None,
            names: Names::default(),
        }
    }

    /// Names each member as they asked to be named in `community`: their name, initials, or
    /// anonymously. Give the community as it stands now, so that a member who has since
    /// asked not to be named is not named in an older record either
    /// ([`Member::shown_as`](crate::community::Member::shown_as)); by id where it does not
    /// know them, and by id without it. A member who reads like another (lookalike letters,
    /// the same initials) or like an id (`m13`) is named with their id too: `A. B. (m3)`.
    #[must_use]
    pub fn with_names(mut self, community: &'a Community) -> Self {
        self.names = Names::of_community(community);
        self
    }

    /// Adds the value gate the decision passed (the charter it passed under, the rules
    /// checked) and whether today's charter would judge it differently; `None` (a decision
    /// not gated, or not yet) adds nothing.
    #[must_use]
    pub fn with_review(mut self, review: impl Into<Option<&'a GateReview>>) -> Self {
        self.review = review.into();
        self
    }

    /// Names the governance map the decision's process was routed by (its
    /// [`governance_hash`](crate::living::governance_hash); see
    /// [`Stream::routed_by`](crate::process::Stream::routed_by)), so that a record whose
    /// decision passed no value gate (a decline, say) names it too; `None` adds nothing. A
    /// gate added with [`with_review`](Self::with_review) that names a map is shown as it
    /// is.
    #[must_use]
    pub fn routed_by(mut self, map: impl Into<Option<Hash>>) -> Self {
        self.routed_by = map.into();
        self
    }

    /// Heads the record with `title` (the proposal's, say) instead of the decision's kind.
    #[must_use]
    pub fn titled(mut self, title: &'a str) -> Self {
        self.title = Some(title);
        self
    }

    /// Heads the record with `title` (the stream's id, say) when nothing was proposed and
    /// no title is given: the heading then names the decision rather than only its kind.
    #[must_use]
    pub fn or_titled(mut self, title: &'a str) -> Self {
        self.fallback_title = Some(title);
        self
    }
}

impl<'a> DecisionRecordMarkdown<'a> {
    /// The same record, with the same names, title and gate, as one HTML page.
    pub fn html(self) -> DecisionRecordHtml<'a> {
        DecisionRecordHtml {
            markdown: self,
            path_svg: None,
        }
    }
}

/// Writes a [`DecisionRecord`] and its [`ValueReport`] as one self-contained, accessible HTML
/// page: the same facts as [`DecisionRecordMarkdown`], in the same order, under real headings
/// (`h1` for the decision, an `h2` labelling each section), in plain language, with a short
/// easy-read summary at the top ("In short": what was proposed, what was decided, who decided
/// and how, who was heard, what objections changed, why, what conditions apply, when it will
/// be reviewed). No script and no external resource; its style is inline; every text from
/// the record is escaped.
///
/// The path the decision took can be drawn as inline SVG: [`path_dot`](Self::path_dot) gives
/// it as Graphviz DOT, [`svg_from_dot`](super::svg_from_dot) renders it where Graphviz is
/// installed, and [`with_path_svg`](Self::with_path_svg) puts it on the page. The list of
/// dated steps beside it is its text alternative, and is there with or without it.
///
/// Made by [`DecisionRecordMarkdown::html`]; does no I/O.
///
/// # Example
///
/// ```
/// use coproduction::decision::DecisionKind;
/// use coproduction::report::DecisionRecordMarkdown;
/// use coproduction::values::{Charter, DecisionRecord, Outcome};
///
/// let charter = Charter::default();
/// let record = DecisionRecord {
///     outcome: Some(Outcome::Declined),
///     rationale: Some("The budget is committed <elsewhere> this year.".into()),
///     ..DecisionRecord::new(DecisionKind::Strategy)
/// };
/// let report = charter.check(&record);
/// let page = DecisionRecordMarkdown::new(&record, &report).html().to_string();
/// assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
/// assert!(page.contains("<h1>Decision record: strategy</h1>"));
/// assert!(page.contains("<li>What was decided: It was declined.</li>"));
/// assert!(page.contains("<p>The budget is committed &lt;elsewhere&gt; this year.</p>"));
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DecisionRecordHtml<'a> {
    markdown: DecisionRecordMarkdown<'a>,
    path_svg: Option<&'a str>,
}

impl<'a> DecisionRecordHtml<'a> {
    /// The path the decision took, as Graphviz DOT: one box per dated step (papers sent,
    /// round opened, decided, published, review due...), in time order, each labelled with
    /// its date. Empty of steps when the record has no dates.
    pub fn path_dot(&self) -> String {
        let steps = path(self.markdown.record);
        let mut dot = String::from(
            "digraph \"path\" {\n    rankdir=LR;\n    node [shape=box, style=rounded, fontname=\"sans-serif\"];\n",
        );
        for (n, (label, at)) in steps.iter().enumerate() {
            let text = format!("{label}\n{}", day(*at));
            let _ = writeln!(dot, "    s{n} [label={}];", Quoted::text(&text));
        }
        for n in 1..steps.len() {
            let _ = writeln!(dot, "    s{} -> s{n};", n - 1);
        }
        dot.push_str("}\n");
        dot
    }

    /// Draws the path on the page from `svg`, Graphviz's rendering of
    /// [`path_dot`](Self::path_dot) (from [`svg_from_dot`](super::svg_from_dot)). What comes
    /// before the `<svg` element (an XML prolog, a doctype) is left out; the rest goes onto
    /// the page as it is, so give it only SVG of your own rendering. Without an `<svg`
    /// element, nothing is drawn.
    #[must_use]
    pub fn with_path_svg(mut self, svg: &'a str) -> Self {
        self.path_svg = svg
            .find("<svg")
            .and_then(|at| svg.get(at..))
            .map(str::trim_end);
        self
    }

    /// The page, its path drawn where Graphviz is installed ([`svg_from_dot`] of
    /// [`path_dot`](Self::path_dot)) and left as its list of dated steps where it is not:
    /// what the `coproduction` tool and its server serve. Runs `dot` once.
    ///
    /// [`svg_from_dot`]: super::svg_from_dot
    pub fn drawn(&self) -> String {
        match super::svg_from_dot(&self.path_dot()) {
            Some(svg) => self.with_path_svg(&svg).to_string(),
            None => self.to_string(),
        }
    }
}

impl fmt::Display for DecisionRecordHtml<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.markdown.document(self.path_svg).html(f)
    }
}

fn day(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Adopted => "adopted",
        Outcome::Declined => "declined",
        Outcome::Withdrawn => "withdrawn",
        Outcome::Deferred => "deferred",
        Outcome::Escalated => "escalated",
    }
}

fn response(r: RecordedResponse) -> &'static str {
    match r {
        RecordedResponse::Consent => "consent",
        RecordedResponse::ConsentWithConcern => "consent with a concern",
        RecordedResponse::Objection => "objection",
        RecordedResponse::StandAside => "stand aside",
        RecordedResponse::Absent => "absent",
    }
}

fn basis(b: AdviceBasis) -> &'static str {
    match b {
        AdviceBasis::Affected => "affected",
        AdviceBasis::Expertise => "expertise",
        AdviceBasis::LivedExperience => "lived experience",
        AdviceBasis::CriticalFriend => "critical friend",
    }
}

fn absence(a: AbsenceCounted) -> &'static str {
    match a {
        AbsenceCounted::Consent => "counted as consent",
        AbsenceCounted::Objection => "counted as an objection",
        AbsenceCounted::NotCounted => "not counted either way",
    }
}

fn disposition(d: Disposition) -> &'static str {
    match d {
        Disposition::Integrated => "integrated",
        Disposition::LoggedAsConcern => "logged as a concern",
        Disposition::NotIntegrated => "not integrated",
        Disposition::Withdrawn => "withdrawn",
    }
}

fn route(r: &RouteSummary, names: Names<'_>) -> String {
    let mut s = format!(
        "{} decides by {}",
        names.body(&r.deciding_body),
        method(r.method)
    );
    if let Some(tier) = r.tier {
        let _ = write!(s, ", {tier}");
    }
    if !r.consulted.is_empty() {
        let consulted: Vec<String> = r.consulted.iter().map(|b| names.body(b)).collect();
        let _ = write!(s, ", after consulting {}", consulted.join(", "));
    }
    s
}

fn entry(e: &ObjectionEntry, names: Names<'_>) -> String {
    let raised = match e.raised_as {
        RaisedAs::Objection => "Objection",
        RaisedAs::Concern => "Concern",
    };
    let mut s = format!("{raised} by {}", names.of(e.by));
    if let Some(text) = &e.text {
        let _ = write!(s, " (\"{}\")", one_line(text));
    }
    match e.test {
        Some(TestResult::Valid) => s.push_str(", tested valid"),
        Some(TestResult::NotValid) => s.push_str(", tested not valid"),
        None => {}
    }
    match e.disposition {
        Some(d) => {
            let _ = write!(s, ": {}", disposition(d));
            if let Some(supporter) = e.taken_back_by {
                let _ = write!(s, " by their supporter {}", names.of(supporter));
            }
        }
        None => s.push_str(": still open"),
    }
    if let Some(reason) = &e.reason {
        let _ = write!(s, " ({reason})");
    }
    s.push('.');
    for amendment in &e.amended_by {
        let _ = write!(
            s,
            " Answered by the amendment: {}",
            full_stop(&one_line(amendment))
        );
    }
    s
}

impl fmt::Display for DecisionRecordMarkdown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.document(None).markdown(f)
    }
}

impl DecisionRecordMarkdown<'_> {
    /// The record's structure, which the Markdown and the HTML page both write; members
    /// who read alike are told apart, once for the whole record.
    fn document(&self, path_svg: Option<&str>) -> Document {
        let alike = self.names.alike();
        let mut this: DecisionRecordMarkdown<'_> = *self;
        this.names = self.names.telling_apart(&alike);
        this.written(path_svg)
    }

    fn written(&self, path_svg: Option<&str>) -> Document {
        let r = self.record;
        let names = self.names;
        let mut d = Document::new(format!("Decision record: {}", self.title()));
        let mut opening = Vec::new();
        match r.outcome {
            Some(o) => opening.push(format!("Outcome: {}.", outcome(o))),
            None => opening.push("Outcome: not decided yet.".to_owned()),
        }
        if let Some(statement) = &r.statement {
            opening.push(format!("What was decided: {}", one_line(statement)));
        }
        if let Some((at, reason)) = retired(r) {
            opening.push(format!(
                "Retired on {} after a review: {}",
                day(at),
                one_line(reason)
            ));
        }
        match &r.route_taken {
            Some(taken) => opening.push(format!("Route taken: {}.", route(taken, names))),
            None if r.declined_at_red_line() => opening.push(
                "Route taken: none; the red-line screen declined it automatically.".to_owned(),
            ),
            None => opening.push("Route taken: not recorded.".to_owned()),
        }
        if let Some(given) = &r.route_given {
            opening.push(format!(
                "Route the governance map gives: {}.",
                route(given, names)
            ));
        }
        d.blocks.push(Block::Lines(opening));

        d.blocks.push(Block::Section {
            heading: "In short".to_owned(),
            class: Some("in-short"),
        });
        d.items(self.in_short());

        if let Some(from) = &r.escalated_from {
            d.section("Escalated from");
            // The latest step first, then the way the matter came before it.
            for (i, from) in from.steps().enumerate() {
                // A body dissolved before the matter was taken up is named by its id: one
                // formed again under it is another.
                let to = match from.dissolved {
                    true => format!(
                        "`{}` (which the community had dissolved since: the governance map in force routed it on)",
                        from.to
                    ),
                    false => names.body(&from.to),
                };
                let mut line = match i {
                    0 => format!(
                        "This takes up the matter escalated to {to} from `{}`",
                        from.stream
                    ),
                    _ => format!(
                        "That process had taken it up after `{}` escalated it to {to}",
                        from.stream
                    ),
                };
                if let Some(at) = from.at {
                    let _ = write!(line, " on {}", day(at));
                }
                if let Some(o) = from.outcome {
                    let _ = write!(line, " (outcome there: {})", outcome(o));
                }
                line.push('.');
                d.line(line);
                if !from.objections.is_empty() {
                    d.line("Its objections and concerns, as they stood:");
                    d.items(
                        from.objections
                            .iter()
                            .map(|e| entry(e, names).into())
                            .collect(),
                    );
                }
            }
        }

        if let Some(proposed) = &r.proposed {
            d.section("What was proposed");
            d.blocks.push(Block::Text(proposed.text.trim().to_owned()));
            if !proposed.earlier.is_empty() {
                d.line("Earlier versions:");
                d.blocks.push(Block::Numbered(
                    proposed.earlier.iter().map(|t| one_line(t)).collect(),
                ));
            }
            if !proposed.since.is_empty() {
                d.line(
                    "Proposed since, not decided yet (what was decided stays in force meanwhile):",
                );
                d.items(proposed.since.iter().map(|t| one_line(t).into()).collect());
            }
        }

        d.section("Deciding body");
        match &r.body {
            Some(body) => {
                let mut lines = vec![format!(
                    "{}: {}; lived experience: {}.",
                    names.body(&body.body),
                    count(body.size, "member", "members"),
                    body.lived_experience_share()
                )];
                let roles: Vec<String> = body
                    .roles
                    .iter()
                    .filter(|(_, n)| **n > 0)
                    .map(|(role, n)| format!("{role} {n}"))
                    .collect();
                if !roles.is_empty() {
                    lines.push(format!("Roles: {}.", roles.join(", ")));
                }
                d.blocks.push(Block::Lines(lines));
            }
            None => d.line("Not recorded."),
        }

        d.section("Responses");
        match &r.participants {
            Some(list) if !list.is_empty() => {
                let mut list: Vec<_> = list.iter().collect();
                list.sort_by_key(|p| p.member);
                d.items(
                    list.into_iter()
                        .map(|p| participant(p, names).into())
                        .collect(),
                );
            }
            Some(_) => d.line("Nobody was entitled to respond."),
            None => d.line("Not recorded."),
        }
        if let Some(policy) = r.absence_policy {
            d.line(format!(
                "Absence policy: an absence is {}.",
                absence(policy)
            ));
        }

        d.section("Objections and concerns");
        match &r.objections {
            Some(list) if !list.is_empty() => {
                d.items(list.iter().map(|e| entry(e, names).into()).collect());
            }
            Some(_) => d.line("None were raised."),
            None => d.line("Not recorded."),
        }

        if !r.reviews.is_empty() {
            d.section("Reviews");
            d.items(r.reviews.iter().map(|v| review(v, names)).collect());
        }

        if let Some(advice) = r.advice.as_ref().filter(|a| !a.is_empty()) {
            d.section("Advice");
            d.items(
                advice
                    .iter()
                    .map(|a| advice_line(a, names).into())
                    .collect(),
            );
        }
        if let Some(requests) = r.access_requests.as_ref().filter(|a| !a.is_empty()) {
            d.section("Access");
            d.items(
                requests
                    .iter()
                    .map(|a| {
                        let asked = format!("{} asked for {}", names.of(a.member), a.need.label());
                        match (a.met_at, &a.adjustment) {
                            (Some(met), Some(adj)) => format!("{asked}: met {} ({adj})", day(met)),
                            (Some(met), None) => format!("{asked}: met {}", day(met)),
                            (None, _) => format!("{asked}: not met"),
                        }
                        .into()
                    })
                    .collect(),
            );
        }

        time_section(&mut d, r, names);

        if let Some(evaluation) = &r.evaluation {
            evaluation_section(&mut d, evaluation, names);
        }

        if let Some(funder) = &r.funder {
            funder_section(&mut d, funder, r.outcome);
        }
        if let Some(checks) = &r.due_diligence {
            due_diligence_section(&mut d, checks, names);
        }
        if let Some(recruitment) = &r.recruitment {
            recruitment_section(&mut d, recruitment);
        }

        d.section("Rationale");
        match &r.rationale {
            Some(text) => d.blocks.push(Block::Text(text.to_string())),
            None => d.line("Not recorded."),
        }
        match &r.alternatives {
            Some(list) if !list.is_empty() => {
                d.line("Alternatives considered:");
                d.items(list.iter().map(|a| one_line(a).into()).collect());
            }
            Some(_) => d.line("Alternatives considered: none."),
            None => d.line("Alternatives considered: not recorded."),
        }

        d.section("Dates");
        let steps = path(r);
        if let Some(svg) = path_svg.filter(|_| !steps.is_empty()) {
            let labels: Vec<&str> = steps.iter().map(|(label, _)| *label).collect();
            d.blocks.push(Block::Figure {
                svg: svg.to_owned(),
                label: format!(
                    "Diagram of the path this decision took: {}",
                    labels.join(", then ")
                ),
                caption:
                    "The path this decision took; the list below gives each step and its date."
                        .to_owned(),
            });
        }
        let mut dates: Vec<Item> = steps
            .iter()
            .map(|(label, at)| format!("{label}: {}", day(*at)).into())
            .collect();
        if let Some(p) = &r.publication {
            for red in &p.redactions {
                dates.push(
                    format!("Withheld from publication: {} ({})", red.what, red.reason).into(),
                );
            }
        }
        if steps.is_empty() {
            d.line("None recorded.");
        }
        d.items(dates);

        d.section("Values");
        d.items(
            self.report
                .verdicts()
                .iter()
                .map(|v| format!("{}: {}", v.value, v.verdict.label().replace('_', " ")).into())
                .collect(),
        );
        let open: Vec<_> = self
            .report
            .findings()
            .iter()
            .filter(|x| matches!(x.status, Status::Violated | Status::NotEvaluated))
            .collect();
        if open.is_empty() {
            d.line("Every rule is satisfied or does not apply.");
        } else {
            d.line("Findings not satisfied:");
            d.items(
                open.into_iter()
                    .map(|x| {
                        let mut notes = Vec::new();
                        if let Some(o) = &x.overridden {
                            notes.push(format!("Overridden by {}: {}", names.of(o.by), o.reason));
                        }
                        if let Some(a) = &x.acknowledged {
                            notes.push(format!("Acknowledged by {}: {}", names.of(a.by), a.reason));
                        }
                        Item {
                            text: format!(
                                "{} ({}, {}, {}): {}",
                                x.rule,
                                x.value,
                                x.severity.label(),
                                x.status.label().replace('_', " "),
                                x.message
                            ),
                            notes,
                        }
                    })
                    .collect(),
            );
        }

        match (self.review, self.routed_by) {
            (Some(review), routed_by) => gate_section(&mut d, review, routed_by, names),
            // No gate: the map the process was routed by, on its own.
            (None, Some(map)) => {
                d.section("Governance map");
                d.line(format!(
                    "Routed by governance map {map} (no value gate ran on this decision)."
                ));
            }
            (None, None) => {}
        }

        if !r.attested.is_empty() {
            d.section("Attested");
            d.line("What the engine did not witness itself, as members attested it:");
            // One line per attestation: who, when, and the facts they stated.
            let mut groups: Vec<(&MemberId, Timestamp, Vec<&str>)> = Vec::new();
            for a in &r.attested {
                match groups.last_mut() {
                    Some((by, at, facts)) if **by == a.by && *at == a.at => facts.push(&a.fact),
                    _ => groups.push((&a.by, a.at, vec![&a.fact])),
                }
            }
            d.items(
                groups
                    .into_iter()
                    .map(|(by, at, facts)| {
                        format!("By {} on {}: {}.", names.of(*by), day(at), facts.join(", ")).into()
                    })
                    .collect(),
            );
        }

        d.section("Overrides and acknowledgements");
        if r.overrides.is_empty() && r.acknowledgements.is_empty() {
            d.line("None.");
        }
        d.items(clearances(
            ("Override", "Acknowledgement"),
            &r.overrides,
            &r.acknowledgements,
            names,
        ));
        d
    }

    /// The title: the one given, or the proposal's, or the fallback, or the decision's kind.
    fn title(&self) -> &str {
        self.title
            .or(self.record.proposed.as_ref().map(|p| p.title.as_str()))
            .or(self.fallback_title)
            .unwrap_or_else(|| self.record.kind.label())
    }

    /// The easy-read summary: what was proposed, what was decided, who decided and how, who
    /// was heard, what objections changed, why, what conditions apply, and when it will be
    /// reviewed; each a short sentence, "not recorded" where the record does not say.
    fn in_short(&self) -> Vec<Item> {
        let r = self.record;

        let mut items: Vec<Item> = Vec::new();
        let proposed = r
            .proposed
            .as_ref()
            .map_or_else(|| self.title().to_owned(), |p| p.title.clone());
        items.push(format!("What was proposed: {}", full_stop(&one_line(&proposed))).into());
        let decided = match (r.outcome, &r.statement) {
            (Some(o), Some(statement)) => {
                format!("{} {}", sentence(outcome(o)), one_line(statement))
            }
            (Some(o), None) => sentence(outcome(o)),
            (None, _) => "Not decided yet.".to_owned(),
        };
        items.push(format!("What was decided: {decided}").into());
        if r.declined_at_red_line() {
            // Nobody deliberated: the funding policy declines a red line automatically.
            items.push(
                "Who decided, and how: the funding policy the community agreed; its red-line screen declines such an offer automatically."
                    .to_owned()
                    .into(),
            );
            items.push(
                "Who was heard: nobody needed to be asked: a red line is not weighed case by case."
                    .to_owned()
                    .into(),
            );
            items.push(
                "What objections changed: none were possible: the decline is automatic."
                    .to_owned()
                    .into(),
            );
        } else {
            self.deliberated(&mut items);
        }
        let mut why = Item::from(format!(
            "Why: {}",
            r.rationale
                .as_deref()
                .map_or_else(|| "not recorded.".to_owned(), one_line)
        ));
        if let Some(e) = &r.evaluation {
            let without = e.without_evidence().len();
            why.notes.push(format!(
                "On the pilot's evaluation: {}, {} ({} in people's own words){}.",
                count(e.plan.questions.len(), "question", "questions"),
                count(e.evidence.len(), "piece of evidence", "pieces of evidence"),
                e.words(),
                if without == 0 {
                    String::new()
                } else {
                    format!(
                        "; {} without evidence",
                        count(without, "question", "questions")
                    )
                }
            ));
        }
        items.push(why);
        items.push(format!("What conditions apply: {}", conditions(r)).into());
        let open = r.reviews.last().filter(|v| v.ended.is_none());
        let arrangement = r.reviews.last().and_then(|v| match &v.ended {
            Some(ReviewEnd::Ended { at, .. }) => Some(format!(
                "When it will be reviewed: not again; the arrangement ended on {} after its review.",
                day(*at)
            )),
            Some(ReviewEnd::Renewed { at, .. }) => Some(format!(
                "When it will be reviewed: it was reviewed and renewed on {}; no later review date is set.",
                day(*at)
            )),
            _ => None,
        });
        items.push(
            match (arrangement, retired(r), open, r.dates.review_at) {
                (Some(said), ..) => said,
                (None, Some((at, _)), _, _) => {
                    format!(
                        "When it will be reviewed: not again; it was retired on {}.",
                        day(at)
                    )
                }
                (None, None, Some(v), _) => format!(
                    "When it will be reviewed: under review since {}.",
                    day(v.opened_at)
                ),
                (None, None, None, Some(at)) => format!("When it will be reviewed: {}.", day(at)),
                (None, None, None, None) => {
                    "When it will be reviewed: no review date is set.".to_owned()
                }
            }
            .into(),
        );
        items
    }

    /// Who decided and how, who was heard, and what objections changed, for a decision
    /// people took.
    fn deliberated(&self, items: &mut Vec<Item>) {
        let r = self.record;
        let names = self.names;
        items.push(
            match (&r.route_taken, &r.withdrawn) {
                // Withdrawn before it decided: nobody decided, and the record says who
                // ended it, not the body it was before.
                (taken, Some(w)) if r.outcome == Some(Outcome::Withdrawn) => format!(
                    "Who decided, and how: nobody; {} withdrew it on {}{}: \"{}\"",
                    names.of(w.by),
                    day(w.at),
                    taken.as_ref().map_or_else(String::new, |t| format!(
                        ", before {} decided",
                        names.body(&t.deciding_body)
                    )),
                    one_line(&w.reason)
                ),
                // Its deciding round, kept elsewhere, was withdrawn: nobody decided; the
                // record says on whose word (its attested facts).
                (taken, None) if r.outcome == Some(Outcome::Withdrawn) => format!(
                    "Who decided, and how: nobody; its deciding round was withdrawn{}.",
                    taken.as_ref().map_or_else(String::new, |t| format!(
                        " before {} decided",
                        names.body(&t.deciding_body)
                    ))
                ),
                (Some(taken), _) => {
                    format!("Who decided, and how: {}", decided_by(r, taken, names))
                }
                (None, _) => "Who decided, and how: not recorded.".to_owned(),
            }
            .into(),
        );
        if let Some(held) = &r.round_held {
            items.push(format!("{}.", round_line("The consent round held for it", held)).into());
        }
        if !r.rounds_before.is_empty() {
            let before: Vec<String> = r
                .rounds_before
                .iter()
                .map(|held| round_line("the round", held))
                .collect();
            items.push(format!("Held before it: {}.", before.join("; ")).into());
        }
        items.push(format!("Who was heard: {}", heard(r, names)).into());
        let mut objections = Item::from(format!("What objections changed: {}", changed(r, names)));
        let standing = r.reviews.iter().filter(|v| v.objected_by.is_some()).count();
        if standing > 0 {
            objections.notes.push(if standing == 1 {
                "Since it was decided, an objection to the agreement in force opened a review (see Reviews).".to_owned()
            } else {
                format!("Since it was decided, {standing} objections to the agreement in force opened reviews (see Reviews).")
            });
        }
        items.push(objections);
    }
}

/// Who decided on `taken`, how, and whom they asked: the bodies the advice log shows were
/// heard, never the route's list read as if it had been followed. The route's own line
/// ("Route taken") says whom it consults; this says whom the record shows were asked, and
/// which of those the route names it holds no advice from.
fn decided_by(r: &DecisionRecord, taken: &RouteSummary, names: Names<'_>) -> String {
    let by = names.body(&taken.deciding_body);
    let how = method(taken.method);
    let heard = heard_bodies(r, taken, names);
    let named = |bodies: &mut dyn Iterator<Item = &BodyId>| {
        list(&bodies.map(|b| names.body(b)).collect::<Vec<_>>())
    };
    let route = named(&mut taken.consulted.iter());
    let unheard: Vec<BodyId> = match &heard {
        Some(heard) => taken.consulted.difference(heard).cloned().collect(),
        None => taken.consulted.iter().cloned().collect(),
    };
    let those = |n: usize| if n == 1 { "that body" } else { "those bodies" };
    if r.outcome.is_none() {
        // Nothing decided: who is to decide, whom the route says to ask, and who has
        // given advice so far.
        let mut s = format!("not decided yet; {by} is to decide, by {how}");
        if !taken.consulted.is_empty() {
            let _ = write!(s, ", after consulting {route}");
        }
        match heard.filter(|h| !h.is_empty()) {
            Some(heard) => {
                let _ = write!(s, "; advice so far from {}.", named(&mut heard.iter()));
            }
            None if taken.consulted.is_empty() => s.push('.'),
            None => s.push_str("; no advice is recorded yet."),
        }
        return s;
    }
    // An escalated matter was not decided by the body the route names: it sent it on.
    let mut s = if r.outcome == Some(Outcome::Escalated) {
        match &r.taken_up_by {
            Some(taken) => format!(
                "not {by}, which was to decide by {how}: it escalated it, and `{taken}` took it up"
            ),
            None => format!("nobody yet; {by}, which was to decide by {how}, escalated it"),
        }
    } else {
        format!("{by}, by {how}")
    };
    match heard {
        // The record does not say whether advice was asked or given.
        None if taken.consulted.is_empty() => s.push('.'),
        None => {
            let _ = write!(
                s,
                "; the route says to consult {route}, and the record does not say whether advice was asked."
            );
        }
        Some(heard) if heard.is_empty() && taken.consulted.is_empty() => s.push('.'),
        Some(heard) if heard.is_empty() => {
            let _ = write!(
                s,
                "; the route says to consult {route}, but no advice is recorded from {}.",
                those(unheard.len())
            );
        }
        Some(heard) => {
            let _ = write!(s, ", after asking {}", named(&mut heard.iter()));
            if unheard.is_empty() {
                s.push('.');
            } else {
                let _ = write!(
                    s,
                    "; the route also says to consult {}, but no advice is recorded from {}.",
                    named(&mut unheard.iter()),
                    those(unheard.len())
                );
            }
        }
    }
    s
}

/// The bodies whose advice the record holds: each it names as an adviser, and, where the
/// rendering has the community, each body the route consults with a member in the advice
/// log. `None` when the record does not say whether advice was given.
fn heard_bodies(
    r: &DecisionRecord,
    taken: &RouteSummary,
    names: Names<'_>,
) -> Option<BTreeSet<BodyId>> {
    if r.advice.is_none() && r.advisers.is_none() {
        return None;
    }
    let mut heard: BTreeSet<BodyId> = r
        .advisers
        .iter()
        .flatten()
        .map(|b| b.body.clone())
        .collect();
    let advice = r.advice.as_deref().unwrap_or_default();
    heard.extend(
        taken
            .consulted
            .iter()
            .filter(|body| advice.iter().any(|a| names.in_body(body, a.from)))
            .cloned(),
    );
    Some(heard)
}

/// `words` as a sentence: "It was {words}."
/// When the agreement was retired after a review, and why.
fn retired(r: &DecisionRecord) -> Option<(Timestamp, &str)> {
    r.reviews.iter().find_map(|v| match &v.ended {
        Some(ReviewEnd::Retired { reason, at }) => Some((*at, reason.as_str())),
        _ => None,
    })
}

/// One review of the agreement in force: why it opened, who decided it, how it ended.
fn review(v: &ReviewRecord, names: Names<'_>) -> Item {
    let why = match (v.objected_by, &v.objection) {
        (Some(by), Some(reason)) => format!(
            "when {} objected to the agreement in force: \"{}\"",
            names.of(by),
            one_line(reason)
        ),
        _ => "on its review date.".to_owned(),
    };
    let mut item = Item::from(format!(
        "Review {}, opened {} {why}",
        v.number,
        day(v.opened_at)
    ));
    // What the last round reached, once recorded, and on whose word when it was held
    // elsewhere.
    let last = v
        .rounds
        .last()
        .and_then(|round| v.reached.iter().rev().find(|r| r.round == *round));
    // The way it went, when rounds the engine ran escalated it: "after `a` escalated it to
    // Board and `b` to the whole community". A body dissolved since is named by its id: a
    // body formed again under it is another.
    let went = v
        .escalations
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let it = if i == 0 { " it" } else { "" };
            match e.dissolved {
                true => format!(
                    "`{}` escalated{it} to `{}` (which the community has dissolved since)",
                    e.by, e.to
                ),
                false => format!("`{}` escalated{it} to {}", e.by, names.body(&e.to)),
            }
        })
        .collect::<Vec<_>>();
    // After an escalation, the body whose round decided it: not the one it was first before.
    let held = last
        .and_then(|r| Some((r.body.as_ref()?, r.body_dissolved)))
        .map(|(b, dissolved)| match dissolved {
            true => format!(", held by `{b}` (which the community has dissolved since)"),
            false => format!(", held by {}", names.body(b)),
        })
        .unwrap_or_default();
    let went = match went.as_slice() {
        [] => String::new(),
        went => format!("{held}, which took it up after {}", list(went)),
    };
    let word = last
        .and_then(|r| r.attested_by)
        .map(|by| {
            format!(
                ", on the word of {}, who recorded it from a round held elsewhere",
                names.of(by)
            )
        })
        .unwrap_or_default();
    // What the last round reached when it decided nothing here: an escalation the engine
    // did not see passes nothing to that body.
    let undecided = last.and_then(|r| match (r.outcome, &r.to) {
        (Outcome::Escalated, Some(to)) if r.attested_by.is_some() => {
            Some(format!("escalated it to {}{word}", names.body(to)))
        }
        (o @ (Outcome::Deferred | Outcome::Withdrawn), _) => {
            Some(format!("ended deciding nothing ({}){word}", outcome(o)))
        }
        _ => None,
    });
    // A round decided the end when what it reached is the end (consent continued it, a
    // decline retired it), recorded at once; a record without what its rounds reached (one
    // made by hand) is taken to say its last round decided.
    let by_round =
        |at: Timestamp, reached: Outcome| last.is_none_or(|r| r.outcome == reached && r.at == at);
    let who = |at, reached| match v.rounds.last() {
        Some(round) if by_round(at, reached) => {
            format!("decided by the reassessment round `{round}`{word}{went}")
        }
        Some(round) => match &undecided {
            Some(u) => {
                format!("the steward's decision, after the reassessment round `{round}` {u}")
            }
            None => format!("the steward's decision, after the reassessment round `{round}`"),
        },
        None => "the steward's decision, without a reassessment round".to_owned(),
    };
    item.notes.push(match &v.ended {
        None => match (v.rounds.last(), &v.escalated_to) {
            // A body the community has dissolved since no longer takes it up.
            (Some(round), Some(to))
                if v.escalations.last().is_some_and(|e| e.to == *to && e.dissolved) =>
            {
                format!(
                    "Still open here: the reassessment round `{}` escalated it to `{to}`, which the community has dissolved since: a member of the body the governance map in force routes it to takes it up.",
                    v.escalated_by.as_ref().unwrap_or(round),
                )
            }
            (Some(round), Some(to)) => format!(
                "Still open here: the reassessment round `{}` escalated it to {}, which decides it.",
                v.escalated_by.as_ref().unwrap_or(round),
                names.body(to)
            ),
            (Some(round), None) => match (&undecided, last.map(|r| r.outcome)) {
                (Some(u), Some(Outcome::Escalated)) => format!(
                    "Still open here: the reassessment round `{round}` {u}; the engine did not see that, so the review was not passed to that body and stays open here."
                ),
                (Some(u), _) => format!("Still open: the reassessment round `{round}` {u}."),
                _ => format!("Still open: the reassessment round `{round}` decides it."),
            },
            (None, _) => "Still open.".to_owned(),
        },
        Some(ReviewEnd::Continued { review_date, at }) => format!(
            "Continued on {} until a review on {} ({}).",
            day(*at),
            day(*review_date),
            who(*at, Outcome::Adopted)
        ),
        Some(ReviewEnd::Amended { version, at }) => format!(
            "Amended on {}: version {version} went back to co-creation; the version decided stays in force until it is decided.",
            day(*at)
        ),
        Some(ReviewEnd::Retired { reason, at }) => {
            format!(
                "Retired on {} ({}): {}",
                day(*at),
                who(*at, Outcome::Declined),
                one_line(reason)
            )
        }
        Some(ReviewEnd::Renewed { rationale, at }) => format!(
            "Renewed on {} by the deciding body: {}",
            day(*at),
            one_line(rationale)
        ),
        Some(ReviewEnd::Ended { rationale, at }) => format!(
            "Ended on {} by the deciding body: {}",
            day(*at),
            one_line(rationale)
        ),
    });
    item
}

fn sentence(words: &str) -> String {
    format!("It was {words}.")
}

/// `a`, `a and b`, `a, b and c`.
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// How many gave their view, and who: at most this many named.
const NAMED_AT_MOST: usize = 12;

/// Who was heard: who responded (as each asked to be named), who gave advice.
fn heard(r: &DecisionRecord, names: Names<'_>) -> String {
    let mut parts = Vec::new();
    if let Some(participants) = &r.participants {
        // A member who stepped out over a declared interest was not entitled to respond:
        // they are told apart, not counted as one who did not take part.
        let (stepped_out, entitled): (Vec<&Participant>, Vec<&Participant>) = participants
            .iter()
            .partition(|p| p.conflict == Some(Conflict::DeclaredAndRecused));
        let mut responded: Vec<_> = entitled
            .iter()
            .copied()
            .filter(|p| p.has_responded())
            .collect();
        responded.sort_by_key(|p| p.member);
        let lived = responded.iter().filter(|p| p.lived_experience).count();
        let mut who: Vec<String> = responded
            .iter()
            .take(NAMED_AT_MOST)
            .map(|p| names.of(p.member))
            .collect();
        if responded.len() > NAMED_AT_MOST {
            who.push(format!("{} more", responded.len() - NAMED_AT_MOST));
        }
        if responded.is_empty() {
            parts.push(match entitled.len() {
                1 => "the 1 member entitled to respond has not responded".to_owned(),
                n => format!("none of the {n} members entitled to respond has responded"),
            });
        } else {
            parts.push(format!(
                "{} of {} members responded ({}); {lived} of them {} lived experience",
                responded.len(),
                entitled.len(),
                list(&who),
                if lived == 1 { "brings" } else { "bring" }
            ));
        }
        if !stepped_out.is_empty() {
            let who: Vec<String> = stepped_out.iter().map(|p| names.of(p.member)).collect();
            parts.push(format!(
                "{} stepped out over a declared interest",
                list(&who)
            ));
        }
    }
    if let Some(advice) = r.advice.as_ref().filter(|a| !a.is_empty()) {
        let mut from: Vec<MemberId> = advice.iter().map(|a| a.from).collect();
        from.sort();
        from.dedup();
        let who: Vec<String> = from.iter().map(|m| names.of(*m)).collect();
        parts.push(format!("advice came from {}", list(&who)));
    }
    if parts.is_empty() {
        "not recorded.".to_owned()
    } else {
        // A name in initials ends the sentence itself.
        full_stop(&parts.join("; "))
    }
}

/// What objections and concerns changed: those integrated and the amendments that answered
/// them, and how many else were raised.
fn changed(r: &DecisionRecord, names: Names<'_>) -> String {
    let Some(list) = &r.objections else {
        return "not recorded.".to_owned();
    };
    if list.is_empty() {
        return "no objections or concerns were raised.".to_owned();
    }
    let mut parts = Vec::new();
    for e in list
        .iter()
        .filter(|e| e.disposition == Some(Disposition::Integrated))
    {
        let raised = match e.raised_as {
            RaisedAs::Objection => "an objection",
            RaisedAs::Concern => "a concern",
        };
        let mut s = format!("{raised} from {} changed it", names.of(e.by));
        if !e.amended_by.is_empty() {
            let amendments: Vec<String> = e
                .amended_by
                .iter()
                .map(|a| without_full_stop(&one_line(a)).to_owned())
                .collect();
            let _ = write!(s, ": {}", amendments.join("; "));
        }
        parts.push(s);
    }
    let others = list.len() - parts.len();
    if parts.is_empty() {
        return format!(
            "nothing; {} raised, none integrated (each is listed below).",
            count(list.len(), "objection or concern", "objections or concerns")
        );
    }
    if others > 0 {
        parts.push(format!(
            "{} (listed below)",
            count(others, "other was raised", "others were raised")
        ));
    }
    full_stop(&parts.join("; "))
}

/// `n` and the noun, singular or plural.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The conditions that stand, and those set aside.
/// Whether an offer's conditions stand, or may yet, by its outcome: they stand only on an
/// offer taken; one declined, deferred, escalated or withdrawn was offered on them, and
/// none binds the community.
fn conditions_bind(outcome: Option<Outcome>) -> bool {
    matches!(outcome, None | Some(Outcome::Adopted))
}

fn conditions(r: &DecisionRecord) -> String {
    let Some(funder) = &r.funder else {
        return "none recorded.".to_owned();
    };
    if r.outcome == Some(Outcome::Declined) {
        return "none: the offer was declined, and its conditions with it.".to_owned();
    }
    if !conditions_bind(r.outcome) {
        return "none: the offer was not accepted, so none of its conditions stands.".to_owned();
    }
    let standing: Vec<String> = funder
        .standing()
        .map(|c| without_full_stop(&one_line(&c.text)).to_owned())
        .collect();
    let mut s = if standing.is_empty() {
        "none.".to_owned()
    } else {
        full_stop(&standing.join("; "))
    };
    if !funder.set_aside.is_empty() {
        let set_aside: Vec<String> = funder
            .set_aside
            .iter()
            .map(|x| without_full_stop(&one_line(&x.condition)).to_owned())
            .collect();
        let _ = write!(s, " Set aside: {}", full_stop(&set_aside.join("; ")));
    }
    s
}

/// The method in words.
fn method(m: Method) -> String {
    match m {
        Method::AdviceProcess => "advice process".to_owned(),
        Method::Delegated => "delegation".to_owned(),
        Method::Majority => "majority vote".to_owned(),
        other => other.to_string(),
    }
}

/// One participant's line: their part in the decision, their interests, their payment.
fn participant(p: &Participant, names: Names<'_>) -> String {
    let mut notes = Vec::new();
    if p.lived_experience {
        notes.push("lived experience");
    }
    if p.public_contributor {
        notes.push("public contributor");
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join(", "))
    };
    let recused = p.conflict == Some(Conflict::DeclaredAndRecused);
    // Stepping out is their part in the decision, not a silence: a round that counted the
    // member who stepped out as absent says so in its tally, not in their line.
    let silent = !p.has_responded();
    let mut said = match (p.response, p.absence_counted_as, &p.stepped_out) {
        (_, _, Some(reason)) if silent => format!("stepped out: {}", one_line(reason)),
        _ if silent && recused => "stepped out".to_owned(),
        (Some(RecordedResponse::Absent), Some(a), _) => format!("absent, {}", absence(a)),
        (Some(resp), _, _) => response(resp).to_owned(),
        (None, _, _) => "no response".to_owned(),
    };
    if let Some(supporter) = p.proxy {
        let _ = write!(said, ", given by their supporter {}", names.of(supporter));
    }
    let interest = p
        .interest
        .as_deref()
        .map_or_else(String::new, |i| format!(" ({})", one_line(i)));
    match p.conflict {
        Some(Conflict::None) => said.push_str("; declared no interests"),
        Some(Conflict::DeclaredAndRecused) if said.starts_with("stepped out") => {
            let _ = write!(said, "; declared an interest{interest}");
        }
        Some(Conflict::DeclaredAndRecused) => {
            let _ = write!(said, "; declared an interest{interest} and stepped out");
        }
        Some(Conflict::DeclaredAndTookPart) => {
            let _ = write!(said, "; declared an interest{interest} and took part");
        }
        None => {}
    }
    if p.left {
        said.push_str("; had left the community");
    }
    match p.payment {
        Some(PaymentStatus::NotOffered) => said.push_str("; not offered payment"),
        Some(PaymentStatus::Offered) => said.push_str("; offered payment"),
        Some(PaymentStatus::Accepted) => said.push_str("; accepted payment"),
        Some(PaymentStatus::Declined) => said.push_str("; declined payment"),
        None => {}
    }
    format!("{}{notes}: {said}", names.of(p.member))
}

/// One piece of advice: from whom, on what bases, when, and the answer given.
fn advice_line(a: &AdviceEntry, names: Names<'_>) -> String {
    let bases: Vec<&str> = a.bases.iter().map(|b| basis(*b)).collect();
    let mut line = format!("From {}", names.of(a.from));
    if !bases.is_empty() {
        let _ = write!(line, " ({})", bases.join(", "));
    }
    if let Some(given) = a.given_at {
        let _ = write!(line, ", {}", day(given));
    }
    // The advice in its adviser's words, as written, then the answer given to it: a full
    // stop after the closing quotation mark only where the words do not end a sentence.
    let answered = match &a.text {
        Some(text) => {
            let text = one_line(text);
            let stop = if ends_sentence(&text) { "" } else { "." };
            let _ = write!(line, ": \"{text}\"{stop}");
            " Answered"
        }
        None => ": answered",
    };
    match &a.answer {
        Some(answer) => {
            let _ = write!(line, "{answered}: {}", one_line(answer));
        }
        None if a.text.is_some() => line.push_str(" Not answered."),
        None => line.push_str(": not answered"),
    }
    line
}

/// The steps the decision took, with their dates, in the order they happen.
fn path(r: &DecisionRecord) -> Vec<(&'static str, Timestamp)> {
    let d = &r.dates;
    let mut steps = [
        ("Papers sent", d.papers_sent_at),
        ("Session held", d.session_at),
        ("Comment window opened", d.comment_window_opened_at),
        ("Comment window closed", d.comment_window_closed_at),
        ("Round opened", d.round_opened_at),
        ("Round closed", d.round_closed_at),
        // A withdrawn matter ended undecided.
        match r.outcome {
            Some(Outcome::Withdrawn) => ("Withdrawn", d.decided_at),
            _ => ("Decided", d.decided_at),
        },
        // A retired agreement is reviewed no more.
        ("Review due", d.review_at.filter(|_| retired(r).is_none())),
        ("Published", r.publication.as_ref().map(|p| p.published_at)),
        ("Retired", retired(r).map(|(at, _)| at)),
    ]
    .into_iter()
    .filter_map(|(label, at)| at.map(|at| (label, at)))
    .collect::<Vec<_>>();
    steps.extend(r.reviews.iter().map(|v| ("Review opened", v.opened_at)));
    // An arrangement's review ends it or renews it; an agreement's retirement is above.
    steps.extend(r.reviews.iter().filter_map(|v| match &v.ended {
        Some(ReviewEnd::Renewed { at, .. }) => Some(("Renewed", *at)),
        Some(ReviewEnd::Ended { at, .. }) => Some(("Arrangement ended", *at)),
        _ => None,
    }));
    // In time order; steps of the same moment in the order above.
    steps.sort_by_key(|(_, at)| *at);
    steps
}

/// Reminders sent, time boxes extended, and the steps the engine took when one passed: only
/// when there were any.
/// The pilot's benefits and impact evaluation: each question agreed, with its criteria and
/// every piece of evidence under it, each with its provenance.
fn evaluation_section(d: &mut Document, e: &crate::evaluation::Evaluation, names: Names<'_>) {
    use crate::evaluation::Datum;
    d.section("Evaluation of benefits and impact");
    let words = e.words();
    d.line(format!(
        "Questions agreed by {} on {} (recorded by {}); {}.",
        names.body(&e.plan.agreed_by),
        day(e.agreed_at),
        names.of(e.recorded_by),
        match (e.evidence.len(), words) {
            (1, 1) => "1 piece of evidence, in people's own words".to_owned(),
            (1, _) => "1 piece of evidence, not in people's own words".to_owned(),
            (n, words) => format!("{n} pieces of evidence, {words} of them in people's own words"),
        }
    ));
    let unasked = e.plan.benefits_without_question();
    if !unasked.is_empty() {
        let unasked: Vec<String> = unasked.iter().map(|b| b.words().to_owned()).collect();
        d.line(format!(
            "No question asks about benefits {}.",
            list(&unasked)
        ));
    }
    let items = e.plan.questions.iter().map(|q| {
        let mut text = format!("{}, {}: {}", q.id, q.benefit.words(), one_line(&q.asks));
        if !q.criteria.is_empty() {
            let criteria: Vec<String> = q.criteria.iter().map(|c| one_line(c)).collect();
            let _ = write!(text, " Judged by: {}.", criteria.join("; "));
        }
        let mut notes: Vec<String> = e
            .evidence_for(q.id)
            .map(|r| {
                let g = &r.gathered;
                let what = match &g.observation {
                    Datum::Figure { value, of } => format!("{value} {}", one_line(of)),
                    Datum::Words { said, from } => {
                        let who = from.map_or_else(|| "anonymous".to_owned(), |m| names.of(m));
                        format!("\"{}\" ({who})", one_line(said))
                    }
                };
                let recorded = if r.in_own_words() {
                    String::new()
                } else {
                    format!("; recorded by {}", names.of(r.by))
                };
                format!(
                    "{}, from {}: {what}{recorded}",
                    day(g.gathered_at),
                    g.source.words()
                )
            })
            .collect();
        if notes.is_empty() {
            notes.push("No evidence yet.".to_owned());
        }
        Item { text, notes }
    });
    d.items(items.collect());
}

fn time_section(d: &mut Document, r: &DecisionRecord, names: Names<'_>) {
    if r.reminders.is_empty()
        && r.extensions.is_empty()
        && r.lapses.is_empty()
        && r.handovers.is_empty()
    {
        return;
    }
    d.section("Reminders and deadlines");
    let reminders = r.reminders.iter().map(|x| {
        let who: Vec<String> = x.members.iter().map(|m| names.of(*m)).collect();
        format!(
            "{}: {} reminded by {}, recorded by {}",
            day(x.at),
            list(&who),
            one_line(&x.channel),
            names.of(x.by)
        )
        .into()
    });
    let extensions = r.extensions.iter().map(|x| {
        format!(
            "{}: the time box was extended from {} to {} by {}: {}",
            day(x.at),
            day(x.from),
            day(x.to),
            names.of(x.by),
            one_line(&x.reason)
        )
        .into()
    });
    let lapses = r.lapses.iter().map(|x| {
        let step = match x.rule.as_str() {
            "defer" => "deferred the decision",
            "close_with_those_heard" => "closed the round with those heard",
            other => other,
        };
        format!(
            "{}: the time box ended {}; as the round's configuration chose, the engine {step}",
            day(x.at),
            day(x.ended)
        )
        .into()
    });
    let handovers = r.handovers.iter().map(|x| {
        format!(
            "{}: the {}'s role passed from {}, who had left the community, to {}, handed on by {}: {}",
            day(x.at),
            one_line(&x.role),
            names.of(x.from),
            names.of(x.to),
            names.of(x.by),
            one_line(&x.reason)
        )
        .into()
    });
    let mut items: Vec<(Timestamp, Item)> = r
        .reminders
        .iter()
        .map(|x| x.at)
        .zip(reminders)
        .chain(r.extensions.iter().map(|x| x.at).zip(extensions))
        .chain(r.lapses.iter().map(|x| x.at).zip(lapses))
        .chain(r.handovers.iter().map(|x| x.at).zip(handovers))
        .collect();
    items.sort_by_key(|(at, _)| *at);
    d.items(items.into_iter().map(|(_, item)| item).collect());
}

/// The due-diligence checks, in the order recorded: each done (when, by whom, with what
/// they found), or not, and whether the tier required it. Part of the visible basis of a
/// funding decision: anyone may complete a check, so who did is what a reader weighs it by.
fn due_diligence_section(d: &mut Document, checks: &[DueDiligenceCheck], names: Names<'_>) {
    d.section("Due diligence");
    if checks.is_empty() {
        d.line("No checks recorded.");
        return;
    }
    d.items(
        checks
            .iter()
            .map(|c| {
                let mut check = one_line(&c.check).replace('_', " ");
                if let Some(first) = check.get(..1) {
                    check = format!("{}{}", first.to_uppercase(), check.get(1..).unwrap_or(""));
                }
                let mut done = String::new();
                if let Some(by) = c.by {
                    let _ = write!(done, " by {}", names.of(by));
                }
                if let Some(evidence) = &c.evidence {
                    let _ = write!(done, ": \"{}\"", one_line(evidence));
                }
                match (c.completed_at, c.required) {
                    (Some(at), true) => format!("{check}: done {}{done}", day(at)),
                    (Some(at), false) => format!("{check}: done {}{done} (not required)", day(at)),
                    (None, true) => format!("{check}: required, not done"),
                    (None, false) => format!("{check}: not required, not done"),
                }
                .into()
            })
            .collect(),
    );
}

/// How a recruitment was run: the advert and when it was open, the ways to apply, when the
/// criteria were published, and who sat on the panel.
fn recruitment_section(d: &mut Document, r: &RecruitmentFacts) {
    d.section("Recruitment");
    let when = |t: Option<Timestamp>| t.map_or_else(|| "not recorded".to_owned(), day);
    let ways: Vec<String> = r.ways_to_apply.iter().map(|w| one_line(w)).collect();
    d.items(vec![
        format!(
            "Advert open from {} to {}",
            when(r.advert_opened_at),
            when(r.advert_closed_at)
        )
        .into(),
        // Counted as rule I6 counts them: entries that read alike are one way, and one
        // with no letter or digit is none.
        match (ways.len(), r.distinct_ways()) {
            (0, _) => "Ways to apply: none recorded".to_owned(),
            (1, 1) => format!("1 way to apply: {}", list(&ways)),
            (n, k) if n == k => format!("{n} ways to apply: {}", list(&ways)),
            (n, k) => format!(
                "{} to apply told apart by their letters, in {n} {}: {}",
                match k {
                    0 => "No way".to_owned(),
                    1 => "1 way".to_owned(),
                    k => format!("{k} ways"),
                },
                if n == 1 { "entry" } else { "entries" },
                list(&ways)
            ),
        }
        .into(),
        format!("Criteria published: {}", when(r.criteria_published_at)).into(),
        match r.panel_with_lived_experience {
            None => "Panel members with lived experience: not recorded".to_owned(),
            Some(n) => format!("Panel members with lived experience: {n}"),
        }
        .into(),
    ]);
}

/// Who offered the money or partnership, on what conditions (which stand, which were set
/// aside and why; none stands where the offer was not accepted), and what the public
/// register lists.
fn funder_section(d: &mut Document, funder: &FunderFacts, outcome: Option<Outcome>) {
    d.section("Funder");
    let mut line = one_line(&funder.funder);
    if let Some(band) = &funder.amount_band {
        let _ = write!(line, ", {}", one_line(band));
    }
    line.push_str(match funder.red_line_screen {
        Some(Screen::Passed) => "; the red-line screen passed",
        Some(Screen::Failed) => "; the red-line screen failed",
        None => "; no red-line screen recorded",
    });
    // What was screened, as stated: a reader can judge the screen, not only its result.
    if let (Some(sector), Some(_)) = (&funder.sector, funder.red_line_screen) {
        let _ = write!(line, " on the sector \"{}\"", one_line(sector));
    }
    line.push('.');
    d.line(line);
    // Why the tier is what it is, so a reader can weigh the route the offer took.
    if !funder.tier_reasons.is_empty() {
        let reasons: Vec<String> = funder.tier_reasons.iter().map(|r| one_line(r)).collect();
        d.line(format!("Its tier follows from: {}.", reasons.join("; ")));
    }
    let condition = |c: &FundingCondition| -> String {
        let restricts: Vec<&str> = c
            .restricts
            .iter()
            .map(|r| match r {
                Restriction::Publication => "publication",
                Restriction::Voice => "contributors' voice",
            })
            .collect();
        if restricts.is_empty() {
            one_line(&c.text)
        } else {
            format!(
                "{} (restricts {})",
                one_line(&c.text),
                restricts.join(" and ")
            )
        }
    };
    let taken = conditions_bind(outcome);
    if funder.conditions.is_empty() && funder.own_conditions.is_empty() {
        if funder.set_aside.is_empty() {
            d.line("No conditions.");
        } else {
            d.line("No conditions stand.");
        }
    } else if !taken {
        d.line("Offered on these conditions, which do not stand: the offer was not accepted.");
        d.items(
            funder
                .conditions
                .iter()
                .map(|c| condition(c).into())
                .collect(),
        );
    } else {
        d.line("Conditions that stand:");
        let funders = funder
            .conditions
            .iter()
            .map(|c| format!("The funder's: {}", condition(c)).into());
        let own = funder
            .own_conditions
            .iter()
            .map(|c| format!("The community's: {}", condition(c)).into());
        d.items(funders.chain(own).collect());
    }
    if !funder.set_aside.is_empty() {
        d.line("The funder's conditions set aside, which do not stand:");
        d.items(
            funder
                .set_aside
                .iter()
                .map(|x| format!("{}: {}", one_line(&x.condition), one_line(&x.reason)).into())
                .collect(),
        );
    }
    match &funder.register {
        Some(entry) => {
            let listed: Vec<&str> = entry.listed.iter().map(|l| l.label()).collect();
            let mut line = format!("The public register lists: {}", listed.join(", "));
            match &entry.withheld_reason {
                Some(reason) => {
                    let _ = write!(line, "; withheld: {}.", one_line(reason));
                }
                None => line.push('.'),
            }
            d.line(line);
        }
        None => d.line("Not in the public register yet."),
    }
}

/// Each override, then each acknowledgement, as an item: what it is, in the words given for
/// each (`"Override"`, `"Acknowledgement"`), then the rule, who, and why.
fn clearances(
    (override_kind, acknowledgement_kind): (&str, &str),
    overrides: &[Override],
    acknowledgements: &[Acknowledgement],
    names: Names<'_>,
) -> Vec<Item> {
    let item = |kind: &str, rule: &RuleId, by: MemberId, reason: &str| {
        format!("{kind} of {rule} by {}: {reason}", names.of(by)).into()
    };
    let overrides = overrides
        .iter()
        .map(|o| item(override_kind, &o.rule, o.by, &o.reason));
    let acknowledgements = acknowledgements
        .iter()
        .map(|a| item(acknowledgement_kind, &a.rule, a.by, &a.reason));
    overrides.chain(acknowledgements).collect()
}

/// The value gate a decision passed, and what today's charter makes of it.
fn gate_section(d: &mut Document, review: &GateReview, routed_by: Option<Hash>, names: Names<'_>) {
    d.section("Value gate");
    let passed = &review.passed;
    let mut lines = vec![format!(
        "Passed under charter {} ({} checked).",
        passed.charter,
        count(passed.rules_checked.len(), "rule", "rules")
    )];
    if let Some(adopted) = review
        .passed_adopted
        .as_ref()
        .and_then(|a| adoption(a, names))
    {
        lines.push(format!("That charter was {adopted}."));
    }
    if let Some(map) = passed.governance.or(routed_by) {
        lines.push(format!("Routed by governance map {map}."));
    }
    if let Some(policy) = passed.funding_policy {
        lines.push(format!("Screened under funding policy {policy}."));
        match (review.same_funding_policy(), review.today_funding_policy) {
            (Some(true), _) => lines.push("Today's funding policy is the same.".to_owned()),
            (Some(false), Some(today)) => lines.push(format!(
                "Today's funding policy differs ({today}): its red lines or tiers may have changed since."
            )),
            _ => {}
        }
    }
    d.blocks.push(Block::Lines(lines));
    d.items(clearances(
        ("Cleared by an override", "Cleared by an acknowledgement"),
        &passed.overrides,
        &passed.acknowledgements,
        names,
    ));
    let today = if review.same_charter() {
        // The same charter, brought back since by another decision, stands on that one.
        match review
            .today_adopted
            .as_ref()
            .filter(|today| review.passed_adopted.as_ref() != Some(*today))
            .and_then(|today| adoption(today, names))
        {
            Some(adopted) => format!(
                "Today's charter is the same, adopted again by a later decision: it was {adopted}."
            ),
            None => "Today's charter is the same.".to_owned(),
        }
    } else {
        let judged = match &review.today_gate {
            Ok(_) if !review.judged_differently() => "judges it alike.".to_owned(),
            Ok(today) => format!(
                "would pass it too, on {} instead of {}.",
                count(today.rules_checked.len(), "rule", "rules"),
                passed.rules_checked.len()
            ),
            Err(refusal) => {
                let rules: Vec<&str> = refusal.unmet().iter().map(|u| u.rule.as_str()).collect();
                format!("would refuse it: {} unmet.", rules.join(", "))
            }
        };
        let adopted = match review
            .today_adopted
            .as_ref()
            .and_then(|a| adoption(a, names))
        {
            Some(adopted) => format!(" It was {adopted}."),
            None => String::new(),
        };
        format!("Today's charter ({}) {judged}{adopted}", review.today)
    };
    d.line(today);
}

/// How a charter adopted by a decision came into force, as words after "was": `None` for
/// the charter the community was founded with.
fn adoption(adopted: &CharterAdoption, names: Names<'_>) -> Option<String> {
    let decision = adopted.decided_by.as_ref()?;
    let word = match adopted.attested_by {
        Some(by) => format!(
            ", on the word of {}, who recorded that decision from a round held elsewhere",
            names.of(by)
        ),
        None => String::new(),
    };
    Some(format!(
        "adopted by the decision `{decision}`, in force from {}{word}",
        day(adopted.from)
    ))
}

/// One round held for a decision, as the record reads it: `named` ("The consent round held
/// for it"), what it proposed where it said, what it reached, and its reference.
fn round_line(named: &str, held: &crate::values::RoundHeld) -> String {
    let proposing = held
        .proposes
        .map(|p| format!(", proposing to {} the offer,", p.label()))
        .unwrap_or_default();
    let reached = match (held.escalated, held.consented) {
        (true, _) => "escalated the matter",
        (false, true) => "consented",
        (false, false) => "did not consent",
    };
    format!(
        "{named}{proposing} {reached}: \"{}\"",
        one_line(&held.reference)
    )
}
