//! A decision record as Markdown.

use std::fmt::{self, Write as _};

use jiff::Timestamp;

use crate::community::{Community, MemberId};

use super::{Names, one_line};

use crate::values::{
    AbsenceCounted, AdviceBasis, Conflict, DecisionRecord, Disposition, FunderFacts, GateReview,
    ObjectionEntry, Outcome, PaymentStatus, RaisedAs, RecordedResponse, Restriction, RouteSummary,
    Screen, Status, TestResult, ValueReport,
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
    review: Option<&'a GateReview>,
    names: Names<'a>,
}

impl<'a> DecisionRecordMarkdown<'a> {
    /// The Markdown of `record`, with the `report` its check returned.
    pub fn new(record: &'a DecisionRecord, report: &'a ValueReport) -> Self {
        Self {
            record,
            report,
            title: None,
            review: None,
            names: Names::default(),
        }
    }

    /// Names each member as they asked to be named in `community`: their name, initials, or
    /// anonymously. Give the community as it stands now, so that a member who has since
    /// asked not to be named is not named in an older record either
    /// ([`Member::shown_as`](crate::community::Member::shown_as)); by id where it does not
    /// know them, and by id without it.
    #[must_use]
    pub fn with_names(mut self, community: &'a Community) -> Self {
        self.names = Names(Some(community));
        self
    }

    /// Adds the value gate the decision passed (the charter it passed under, the rules
    /// checked) and whether today's charter would judge it differently.
    #[must_use]
    pub fn with_review(mut self, review: &'a GateReview) -> Self {
        self.review = Some(review);
        self
    }

    /// Heads the record with `title` (the proposal's, say) instead of the decision's kind.
    #[must_use]
    pub fn titled(mut self, title: &'a str) -> Self {
        self.title = Some(title);
        self
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

fn route(r: &RouteSummary) -> String {
    let mut s = format!("{} decides by {}", r.deciding_body, r.method);
    if let Some(tier) = r.tier {
        let _ = write!(s, ", {tier}");
    }
    if !r.consulted.is_empty() {
        let consulted: Vec<String> = r.consulted.iter().map(ToString::to_string).collect();
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
        }
        None => s.push_str(": still open"),
    }
    if let Some(reason) = &e.reason {
        let _ = write!(s, " ({reason})");
    }
    s.push('.');
    for amendment in &e.amended_by {
        let amendment = one_line(amendment);
        let _ = write!(
            s,
            " Answered by the amendment: {}.",
            amendment.trim_end_matches('.')
        );
    }
    s
}

impl fmt::Display for DecisionRecordMarkdown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.record;
        let title = self
            .title
            .or(r.proposed.as_ref().map(|p| p.title.as_str()))
            .unwrap_or_else(|| r.kind.label());
        writeln!(f, "## Decision record: {title}\n")?;
        match r.outcome {
            Some(o) => writeln!(f, "Outcome: {}.", outcome(o))?,
            None => writeln!(f, "Outcome: not decided yet.")?,
        }
        if let Some(statement) = &r.statement {
            writeln!(f, "What was decided: {statement}")?;
        }
        match &r.route_taken {
            Some(route_taken) => writeln!(f, "Route taken: {}.", route(route_taken))?,
            None => writeln!(f, "Route taken: not recorded.")?,
        }
        if let Some(given) = &r.route_given {
            writeln!(f, "Route the governance map gives: {}.", route(given))?;
        }

        if let Some(proposed) = &r.proposed {
            writeln!(f, "\n### What was proposed\n\n{}", proposed.text.trim())?;
            if !proposed.earlier.is_empty() {
                writeln!(f, "\nEarlier versions:\n")?;
                for (n, text) in (1..).zip(&proposed.earlier) {
                    writeln!(f, "{n}. {}", one_line(text))?;
                }
            }
        }

        writeln!(f, "\n### Deciding body\n")?;
        match &r.body {
            Some(body) => {
                writeln!(
                    f,
                    "{}: {} members, {} with lived experience ({}).",
                    body.body,
                    body.size,
                    body.lived_experience,
                    body.lived_experience_share()
                )?;
                let roles: Vec<String> = body
                    .roles
                    .iter()
                    .filter(|(_, n)| **n > 0)
                    .map(|(role, n)| format!("{role} {n}"))
                    .collect();
                if !roles.is_empty() {
                    writeln!(f, "Roles: {}.", roles.join(", "))?;
                }
            }
            None => writeln!(f, "Not recorded.")?,
        }

        writeln!(f, "\n### Responses\n")?;
        match &r.participants {
            Some(list) if !list.is_empty() => {
                let mut list: Vec<_> = list.iter().collect();
                list.sort_by_key(|p| p.member);
                for p in list {
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
                    let mut said = match (p.response, p.absence_counted_as, &p.stepped_out) {
                        // Stepping out is their part in the decision, not a silence.
                        (None, _, Some(reason)) => format!("stepped out: {}", one_line(reason)),
                        (None, _, None) if recused => "stepped out".to_owned(),
                        (Some(RecordedResponse::Absent), Some(a), _) => {
                            format!("absent, {}", absence(a))
                        }
                        (Some(resp), _, _) => response(resp).to_owned(),
                        (None, _, None) => "no response".to_owned(),
                    };
                    if let Some(supporter) = p.proxy {
                        let _ = write!(
                            said,
                            ", given by their supporter {}",
                            self.names.of(supporter)
                        );
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
                            let _ =
                                write!(said, "; declared an interest{interest} and stepped out");
                        }
                        Some(Conflict::DeclaredAndTookPart) => {
                            let _ = write!(said, "; declared an interest{interest} and took part");
                        }
                        None => {}
                    }
                    match p.payment {
                        Some(PaymentStatus::NotOffered) => said.push_str("; not offered payment"),
                        Some(PaymentStatus::Offered) => said.push_str("; offered payment"),
                        Some(PaymentStatus::Accepted) => said.push_str("; accepted payment"),
                        Some(PaymentStatus::Declined) => said.push_str("; declined payment"),
                        None => {}
                    }
                    writeln!(f, "- {}{notes}: {said}", self.names.of(p.member))?;
                }
            }
            Some(_) => writeln!(f, "Nobody was entitled to respond.")?,
            None => writeln!(f, "Not recorded.")?,
        }
        if let Some(policy) = r.absence_policy {
            writeln!(f, "\nAbsence policy: an absence is {}.", absence(policy))?;
        }

        writeln!(f, "\n### Objections and concerns\n")?;
        match &r.objections {
            Some(list) if !list.is_empty() => {
                for e in list {
                    writeln!(f, "- {}", entry(e, self.names))?;
                }
            }
            Some(_) => writeln!(f, "None were raised.")?,
            None => writeln!(f, "Not recorded.")?,
        }

        if let Some(advice) = r.advice.as_ref().filter(|a| !a.is_empty()) {
            writeln!(f, "\n### Advice\n")?;
            for a in advice {
                let bases: Vec<&str> = a.bases.iter().map(|b| basis(*b)).collect();
                let mut line = format!("- From {}", self.names.of(a.from));
                if !bases.is_empty() {
                    let _ = write!(line, " ({})", bases.join(", "));
                }
                if let Some(given) = a.given_at {
                    let _ = write!(line, ", {}", day(given));
                }
                match &a.answer {
                    Some(answer) => {
                        let _ = write!(line, ": answered: {answer}");
                    }
                    None => line.push_str(": not answered"),
                }
                writeln!(f, "{line}")?;
            }
        }
        if let Some(requests) = r.access_requests.as_ref().filter(|a| !a.is_empty()) {
            writeln!(f, "\n### Access\n")?;
            for a in requests {
                match (a.met_at, &a.adjustment) {
                    (Some(met), Some(adjustment)) => writeln!(
                        f,
                        "- {} asked for {}: met {} ({adjustment})",
                        self.names.of(a.member),
                        a.need.label(),
                        day(met)
                    )?,
                    (Some(met), None) => {
                        writeln!(
                            f,
                            "- {} asked for {}: met {}",
                            self.names.of(a.member),
                            a.need.label(),
                            day(met)
                        )?;
                    }
                    (None, _) => writeln!(
                        f,
                        "- {} asked for {}: not met",
                        self.names.of(a.member),
                        a.need.label()
                    )?,
                }
            }
        }

        if let Some(funder) = &r.funder {
            funder_section(f, funder)?;
        }

        writeln!(f, "\n### Rationale\n")?;
        match &r.rationale {
            Some(text) => writeln!(f, "{text}")?,
            None => writeln!(f, "Not recorded.")?,
        }
        match &r.alternatives {
            Some(list) if !list.is_empty() => {
                writeln!(f, "\nAlternatives considered:\n")?;
                for a in list {
                    writeln!(f, "- {a}")?;
                }
            }
            Some(_) => writeln!(f, "\nAlternatives considered: none.")?,
            None => writeln!(f, "\nAlternatives considered: not recorded.")?,
        }

        writeln!(f, "\n### Dates\n")?;
        let d = &r.dates;
        let dates = [
            ("Papers sent", d.papers_sent_at),
            ("Session held", d.session_at),
            ("Round opened", d.round_opened_at),
            ("Round closed", d.round_closed_at),
            ("Decided", d.decided_at),
            ("Review due", d.review_at),
            ("Published", r.publication.as_ref().map(|p| p.published_at)),
        ];
        let mut any = false;
        for (label, date) in dates {
            if let Some(date) = date {
                writeln!(f, "- {label}: {}", day(date))?;
                any = true;
            }
        }
        if !any {
            writeln!(f, "None recorded.")?;
        }
        if let Some(p) = &r.publication {
            for red in &p.redactions {
                writeln!(
                    f,
                    "- Withheld from publication: {} ({})",
                    red.what, red.reason
                )?;
            }
        }

        writeln!(f, "\n### Values\n")?;
        for v in self.report.verdicts() {
            writeln!(f, "- {}: {}", v.value, v.verdict.label().replace('_', " "))?;
        }
        let open: Vec<_> = self
            .report
            .findings()
            .iter()
            .filter(|x| matches!(x.status, Status::Violated | Status::NotEvaluated))
            .collect();
        if open.is_empty() {
            writeln!(f, "\nEvery rule is satisfied or does not apply.")?;
        } else {
            writeln!(f, "\nFindings not satisfied:\n")?;
            for x in open {
                writeln!(
                    f,
                    "- {} ({}, {}, {}): {}",
                    x.rule,
                    x.value,
                    x.severity.label(),
                    x.status.label().replace('_', " "),
                    x.message
                )?;
                if let Some(o) = &x.overridden {
                    writeln!(f, "  Overridden by {}: {}", self.names.of(o.by), o.reason)?;
                }
                if let Some(a) = &x.acknowledged {
                    writeln!(f, "  Acknowledged by {}: {}", self.names.of(a.by), a.reason)?;
                }
            }
        }

        if let Some(review) = self.review {
            gate_section(f, review, self.names)?;
        }

        if !r.attested.is_empty() {
            writeln!(f, "\n### Attested\n")?;
            writeln!(
                f,
                "What the engine did not witness itself, as members attested it:\n"
            )?;
            // One line per attestation: who, when, and the facts they stated.
            let mut groups: Vec<(&MemberId, Timestamp, Vec<&str>)> = Vec::new();
            for a in &r.attested {
                match groups.last_mut() {
                    Some((by, at, facts)) if **by == a.by && *at == a.at => facts.push(&a.fact),
                    _ => groups.push((&a.by, a.at, vec![&a.fact])),
                }
            }
            for (by, at, facts) in groups {
                writeln!(
                    f,
                    "- By {} on {}: {}.",
                    self.names.of(*by),
                    day(at),
                    facts.join(", ")
                )?;
            }
        }

        writeln!(f, "\n### Overrides and acknowledgements\n")?;
        if r.overrides.is_empty() && r.acknowledgements.is_empty() {
            writeln!(f, "None.")?;
        }
        for o in &r.overrides {
            writeln!(
                f,
                "- Override of {} by {}: {}",
                o.rule,
                self.names.of(o.by),
                o.reason
            )?;
        }
        for a in &r.acknowledgements {
            writeln!(
                f,
                "- Acknowledgement of {} by {}: {}",
                a.rule,
                self.names.of(a.by),
                a.reason
            )?;
        }
        Ok(())
    }
}

/// Who offered the money or partnership, on what conditions, and what the public register
/// lists.
fn funder_section(f: &mut fmt::Formatter<'_>, funder: &FunderFacts) -> fmt::Result {
    writeln!(f, "\n### Funder\n")?;
    write!(f, "{}", one_line(&funder.funder))?;
    if let Some(band) = &funder.amount_band {
        write!(f, ", {}", one_line(band))?;
    }
    match funder.red_line_screen {
        Some(Screen::Passed) => writeln!(f, "; the red-line screen passed.")?,
        Some(Screen::Failed) => writeln!(f, "; the red-line screen failed.")?,
        None => writeln!(f, "; no red-line screen recorded.")?,
    }
    if !funder.conditions.is_empty() {
        writeln!(f, "\nConditions:\n")?;
        for c in &funder.conditions {
            let restricts: Vec<&str> = c
                .restricts
                .iter()
                .map(|r| match r {
                    Restriction::Publication => "publication",
                    Restriction::Voice => "contributors' voice",
                })
                .collect();
            if restricts.is_empty() {
                writeln!(f, "- {}", one_line(&c.text))?;
            } else {
                writeln!(
                    f,
                    "- {} (restricts {})",
                    one_line(&c.text),
                    restricts.join(" and ")
                )?;
            }
        }
    }
    match &funder.register {
        Some(entry) => {
            let listed: Vec<&str> = entry.listed.iter().map(|l| l.label()).collect();
            write!(f, "\nThe public register lists: {}", listed.join(", "))?;
            match &entry.withheld_reason {
                Some(reason) => writeln!(f, "; withheld: {}.", one_line(reason)),
                None => writeln!(f, "."),
            }
        }
        None => writeln!(f, "\nNot in the public register yet."),
    }
}

/// The value gate a decision passed, and what today's charter makes of it.
fn gate_section(f: &mut fmt::Formatter<'_>, review: &GateReview, names: Names<'_>) -> fmt::Result {
    writeln!(f, "\n### Value gate\n")?;
    let passed = &review.passed;
    writeln!(
        f,
        "Passed under charter {} ({} rules checked).",
        passed.charter,
        passed.rules_checked.len()
    )?;
    if let Some(map) = passed.governance {
        writeln!(f, "Routed by governance map {map}.")?;
    }
    if let Some(policy) = passed.funding_policy {
        writeln!(f, "Screened under funding policy {policy}.")?;
    }
    for o in &passed.overrides {
        writeln!(
            f,
            "- Cleared by an override of {} by {}: {}",
            o.rule,
            names.of(o.by),
            o.reason
        )?;
    }
    for a in &passed.acknowledgements {
        writeln!(
            f,
            "- Cleared by an acknowledgement of {} by {}: {}",
            a.rule,
            names.of(a.by),
            a.reason
        )?;
    }
    if review.same_charter() {
        return writeln!(f, "Today's charter is the same.");
    }
    write!(f, "Today's charter ({}) ", review.today)?;
    match &review.today_gate {
        Ok(_) if !review.judged_differently() => writeln!(f, "judges it alike."),
        Ok(today) => writeln!(
            f,
            "would pass it too, on {} rules instead of {}.",
            today.rules_checked.len(),
            passed.rules_checked.len()
        ),
        Err(refusal) => {
            let rules: Vec<&str> = refusal.unmet().iter().map(|u| u.rule.as_str()).collect();
            writeln!(f, "would refuse it: {} unmet.", rules.join(", "))
        }
    }
}
