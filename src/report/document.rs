//! A rendering's structure, built once and written as Markdown or as an HTML page.
//!
//! A report builds a [`Document`]: a title and a list of [`Block`]s (section headings,
//! lines, a member's own text, lists). [`Document::markdown`] and [`Document::html`] write
//! it; neither adds or drops a fact, so the Markdown and the page always say the same.

use std::fmt::{self, Write as _};

use super::{markdown_escaped, markdown_line};

/// A report's structure: its title and its blocks, in order.
#[derive(Debug, Clone, Default)]
pub(super) struct Document {
    /// The title (a level-2 heading in Markdown, the page's `h1`).
    pub(super) title: String,
    /// The blocks, in order; a [`Block::Section`] opens a section that runs to the next.
    pub(super) blocks: Vec<Block>,
}

/// One block of a [`Document`].
#[derive(Debug, Clone)]
pub(super) enum Block {
    /// A section heading; `class` marks a section a page styles apart (the summary).
    Section {
        /// The heading.
        heading: String,
        /// A class for the page's section, if any.
        class: Option<&'static str>,
    },
    /// Short statements, one per line (one paragraph each on the page).
    Lines(Vec<String>),
    /// Text as a member wrote it: paragraphs split by blank lines.
    Text(String),
    /// A bulleted list; each item may carry notes under it.
    Items(Vec<Item>),
    /// A numbered list.
    Numbered(Vec<String>),
    /// A drawing the page shows (SVG markup) with its caption; Markdown leaves it out, as
    /// the text beside it says the same.
    Figure {
        /// The SVG element.
        svg: String,
        /// Its accessible name: what it shows, for a screen reader, which reads it as one
        /// image rather than each of its shapes.
        label: String,
        /// What it shows, and where the same is said in words.
        caption: String,
    },
}

/// A list item and the notes under it.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub(super) text: String,
    pub(super) notes: Vec<String>,
}

impl From<String> for Item {
    fn from(text: String) -> Self {
        Item {
            text,
            notes: Vec::new(),
        }
    }
}

impl Document {
    /// A document titled `title`, with no blocks yet.
    pub(super) fn new(title: String) -> Self {
        Self {
            title,
            blocks: Vec::new(),
        }
    }

    /// Opens a section headed `heading`.
    pub(super) fn section(&mut self, heading: &str) {
        self.blocks.push(Block::Section {
            heading: heading.to_owned(),
            class: None,
        });
    }

    /// One paragraph of one line.
    pub(super) fn line(&mut self, line: impl Into<String>) {
        self.blocks.push(Block::Lines(vec![line.into()]));
    }

    /// A bulleted list of `items` (nothing when it is empty).
    pub(super) fn items(&mut self, items: Vec<Item>) {
        if !items.is_empty() {
            self.blocks.push(Block::Items(items));
        }
    }

    /// Writes the document as Markdown: the title as `##`, sections as `###`, one blank line
    /// between blocks.
    pub(super) fn markdown(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every text is escaped, line by line: whatever a member wrote shows as they wrote
        // it and cannot add a heading, a list item, a link or HTML that looks like the
        // record's own. A line break inside a line or an item is a space.
        let line = markdown_line;
        writeln!(f, "## {}", line(&self.title))?;
        for block in &self.blocks {
            match block {
                Block::Section { heading, .. } => writeln!(f, "\n### {}", line(heading))?,
                Block::Lines(lines) => {
                    f.write_str("\n")?;
                    for l in lines {
                        writeln!(f, "{}", line(l))?;
                    }
                }
                Block::Text(text) => {
                    // Paragraphs and line breaks kept, each line escaped.
                    f.write_str("\n")?;
                    for l in text.trim().lines() {
                        writeln!(f, "{}", markdown_escaped(l.trim_end()))?;
                    }
                }
                Block::Items(items) => {
                    f.write_str("\n")?;
                    for item in items {
                        writeln!(f, "- {}", line(&item.text))?;
                        for note in &item.notes {
                            writeln!(f, "  - {}", line(note))?;
                        }
                    }
                }
                Block::Numbered(items) => {
                    f.write_str("\n")?;
                    for (n, item) in (1..).zip(items) {
                        writeln!(f, "{n}. {}", line(item))?;
                    }
                }
                Block::Figure { .. } => {}
            }
        }
        Ok(())
    }

    /// Writes the document as one self-contained HTML page: no script, no external
    /// resource, its style inline; each section a `section` labelled by its `h2`; every text
    /// escaped.
    pub(super) fn html(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let title = Escaped(&self.title);
        let short = short_title(&self.title);
        write!(
            f,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{short}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n\
             <h1>{title}</h1>\n"
        )?;
        let mut open = false;
        let mut ids: Vec<String> = Vec::new();
        for block in &self.blocks {
            match block {
                Block::Section { heading, class } => {
                    if open {
                        f.write_str("</section>\n")?;
                    }
                    let id = unique_id(&mut ids, heading);
                    match class {
                        Some(class) => {
                            writeln!(f, "<section class=\"{class}\" aria-labelledby=\"{id}\">")?
                        }
                        None => writeln!(f, "<section aria-labelledby=\"{id}\">")?,
                    }
                    writeln!(f, "<h2 id=\"{id}\">{}</h2>", Escaped(heading))?;
                    open = true;
                }
                Block::Lines(lines) => {
                    for line in lines {
                        writeln!(f, "<p>{}</p>", Escaped(line))?;
                    }
                }
                Block::Text(text) => {
                    for paragraph in text.trim().split("\n\n").filter(|p| !p.trim().is_empty()) {
                        f.write_str("<p>")?;
                        for (n, line) in paragraph.trim().lines().enumerate() {
                            if n > 0 {
                                f.write_str("<br>\n")?;
                            }
                            write!(f, "{}", Escaped(line.trim()))?;
                        }
                        f.write_str("</p>\n")?;
                    }
                }
                Block::Items(items) => {
                    f.write_str("<ul>\n")?;
                    for item in items {
                        write!(f, "<li>{}", Escaped(&item.text))?;
                        if !item.notes.is_empty() {
                            f.write_str("\n<ul>\n")?;
                            for note in &item.notes {
                                writeln!(f, "<li>{}</li>", Escaped(note))?;
                            }
                            f.write_str("</ul>\n")?;
                        }
                        f.write_str("</li>\n")?;
                    }
                    f.write_str("</ul>\n")?;
                }
                Block::Numbered(items) => {
                    f.write_str("<ol>\n")?;
                    for item in items {
                        writeln!(f, "<li>{}</li>", Escaped(item))?;
                    }
                    f.write_str("</ol>\n")?;
                }
                Block::Figure {
                    svg,
                    label,
                    caption,
                } => {
                    // One image with a name, its shapes and their text not read one by one.
                    let svg = match svg.strip_prefix("<svg") {
                        Some(rest) => format!(
                            "<svg role=\"img\" aria-label=\"{}\"{rest}",
                            Escaped(label).to_string().replace('"', "&quot;")
                        ),
                        None => svg.clone(),
                    };
                    write!(
                        f,
                        "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n",
                        Escaped(caption)
                    )?;
                }
            }
        }
        if open {
            f.write_str("</section>\n")?;
        }
        f.write_str("</main>\n</body>\n</html>\n")
    }
}

/// The page's style: readable measure and size, strong contrast, the summary boxed.
const STYLE: &str = "\
body { font-family: system-ui, sans-serif; font-size: 1.125rem; line-height: 1.5; \
color: #1b1b1b; background: #ffffff; max-width: 46rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.75rem; line-height: 1.2; }
h2 { font-size: 1.35rem; margin-top: 2rem; }
.in-short { border: 3px solid #1d4f91; border-radius: 0.5rem; padding: 0 1rem 0.5rem; }
.in-short li { margin-bottom: 0.5rem; }
figure { margin: 1rem 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 1rem; }
";

/// What a browser's tab and history show of a page: at most this many characters.
const TITLE_CHARS: usize = 70;

/// `title` as the page's `<title>`: cut at the last word that fits [`TITLE_CHARS`], with
/// "…", and escaped.
fn short_title(title: &str) -> String {
    if title.chars().count() <= TITLE_CHARS {
        return Escaped(title).to_string();
    }
    let mut cut = String::new();
    for word in title.split_whitespace() {
        if cut.chars().count() + word.chars().count() + 2 > TITLE_CHARS {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    if cut.is_empty() {
        cut = title.chars().take(TITLE_CHARS - 1).collect();
    }
    format!("{}…", Escaped(cut.trim_end_matches([',', ';', ':'])))
}

/// An `id` from `heading`: lowercase letters and digits, words joined by `-`, made unique
/// among `ids` by a number.
fn unique_id(ids: &mut Vec<String>, heading: &str) -> String {
    let mut base = String::new();
    for word in heading
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !base.is_empty() {
            base.push('-');
        }
        base.push_str(&word.to_ascii_lowercase());
    }
    if base.is_empty() {
        base.push_str("section");
    }
    let mut id = base.clone();
    let mut n = 2;
    while ids.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    ids.push(id.clone());
    id
}

/// Text with the characters HTML gives meaning to in text (`&`, `<`, `>`) written as
/// references: for element content only, never for an attribute's value.
pub(super) struct Escaped<'a>(pub(super) &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Md<'a>(&'a Document);
    impl fmt::Display for Md<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.markdown(f)
        }
    }
    struct Html<'a>(&'a Document);
    impl fmt::Display for Html<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.html(f)
        }
    }

    fn sample() -> Document {
        let mut d = Document::new("A <b>title</b> & more".into());
        d.line("Outcome: adopted.");
        d.section("What was proposed");
        d.blocks.push(Block::Text(
            "First paragraph,\nsecond line.\n\nSecond \"one\".".into(),
        ));
        d.section("What was proposed");
        d.items(vec![Item {
            text: "An <script>".into(),
            notes: vec!["note".into()],
        }]);
        d.items(Vec::new());
        d.blocks.push(Block::Numbered(vec!["one".into()]));
        d
    }

    #[test]
    fn markdown_puts_one_blank_line_between_blocks() {
        assert_eq!(
            Md(&sample()).to_string(),
            "## A \\<b>title\\</b> & more\n\nOutcome: adopted.\n\n### What was proposed\n\n\
             First paragraph,\nsecond line.\n\nSecond \"one\".\n\n### What was proposed\n\n\
             - An \\<script>\n  - note\n\n1. one\n"
        );
    }

    #[test]
    fn markdown_shows_hostile_text_as_written_and_adds_no_structure() {
        let mut d = Document::new("Title\n\n# Heading".into());
        d.line("Said: x\n\n## Decision record: forged\n- item");
        d.blocks.push(Block::Text(
            "# Not a heading\n<script>alert(1)</script>\n\n- not an item\n2) nor this\n[x](javascript:alert(1))\n---".into(),
        ));
        d.items(vec![Item {
            text: "# x\n\n### Values".into(),
            notes: vec!["[link](http://x)".into()],
        }]);
        let md = Md(&d).to_string();
        // The record's own structure only: its title, and the list it made.
        let structural: Vec<&str> = md
            .lines()
            .filter(|l| {
                l.starts_with('#')
                    || l.starts_with("- ")
                    || l.starts_with("  - ")
                    || l.starts_with('<')
                    || l.starts_with("---")
                    || l.starts_with("2)")
            })
            .collect();
        assert_eq!(
            structural,
            [
                "## Title \\# Heading",
                "- \\# x \\#\\#\\# Values",
                "  - \\[link\\](http://x)"
            ]
        );
        assert!(md.contains("Said: x \\#\\# Decision record: forged - item\n"));
        assert!(md.contains("\\<script>alert(1)\\</script>\n"));
        assert!(md.contains("\\[x\\](javascript:alert(1))\n"));
        assert!(md.contains("\\- not an item\n2\\) nor this\n"));
    }

    #[test]
    fn html_escapes_every_text_and_labels_each_section_by_a_unique_heading() {
        let page = Html(&sample()).to_string();
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(page.contains("<title>A &lt;b&gt;title&lt;/b&gt; &amp; more</title>"));
        assert!(page.contains("<li>An &lt;script&gt;\n<ul>\n<li>note</li>\n</ul>\n</li>"));
        assert!(page.contains("<p>First paragraph,<br>\nsecond line.</p>\n<p>Second \"one\".</p>"));
        assert!(page.contains("<h2 id=\"what-was-proposed\">"));
        assert!(page.contains("<section aria-labelledby=\"what-was-proposed-2\">"));
        assert_eq!(
            page.matches("<section").count(),
            page.matches("</section>").count()
        );
        assert!(!page.contains("<script"));
        assert!(page.ends_with("</main>\n</body>\n</html>\n"));
    }

    #[test]
    fn a_long_title_is_cut_at_a_word_for_the_tab() {
        let long = "Decision record: A tobacco company's offer, declined at the red-line screen";
        let short = short_title(long);
        assert_eq!(
            short,
            "Decision record: A tobacco company's offer, declined at the red-line…"
        );
        assert_eq!(short_title(&"x".repeat(100)).chars().count(), TITLE_CHARS);
        assert_eq!(short_title("Short"), "Short");
    }

    #[test]
    fn ids_are_made_of_the_heading_words() {
        let mut ids = Vec::new();
        assert_eq!(unique_id(&mut ids, "In short"), "in-short");
        assert_eq!(unique_id(&mut ids, "In short!"), "in-short-2");
        assert_eq!(unique_id(&mut ids, "—"), "section");
    }
}
