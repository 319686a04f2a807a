//! The walkthrough's decision records as HTML pages (the golden files under
//! `tests/golden`, which `tests/story.rs` keeps equal to what the walkthrough writes) open in
//! a real browser: headless Chromium parses each into the document we wrote and draws it.
//!
//! Where Chromium is not installed the test says so and skips, unless
//! `COPRODUCTION_REQUIRE_CHROMIUM` is set, as `.ci/run` sets it after installing Chromium.
//! `.ci/run` also checks the same pages with an HTML validator (`html-validate`).

use std::path::{Path, PathBuf};
use std::process::Command;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden");

/// The browser's command, if one is installed.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(GOLDEN)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    pages
}

/// Runs headless Chromium on `page` with `args`, in a profile of its own under `profile`.
fn headless(browser: &str, profile: &Path, args: &[&str], page: &Path) -> std::process::Output {
    let url = format!("file://{}", page.display());
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.display()),
        ])
        .args(args)
        .arg(url)
        .output()
        .unwrap()
}

/// A screenshot of `page`, 1000 px wide, as PNG bytes.
fn screenshot(browser: &str, dir: &Path, page: &Path) -> Vec<u8> {
    let name = page.file_stem().unwrap().to_string_lossy().into_owned();
    let png = dir.join(format!("{name}.png"));
    let out = headless(
        browser,
        &dir.join(format!("profile-{name}")),
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1000,1600",
        ],
        page,
    );
    assert!(
        png.exists(),
        "{name}: no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(png).unwrap()
}

#[test]
fn each_record_page_opens_and_draws_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("COPRODUCTION_REQUIRE_CHROMIUM").is_none(),
            "Chromium is required here but not installed"
        );
        println!("skipped: Chromium is not installed here (CI installs it)");
        return;
    };
    let pages = pages();
    assert_eq!(pages.len(), 12, "one page per walkthrough record");
    let dir = tempfile::tempdir().unwrap();

    // An empty page, drawn the same way: what a page that drew nothing would look like.
    let blank = dir.path().join("blank.html");
    std::fs::write(
        &blank,
        "<!DOCTYPE html><html lang=\"en\"><head><title>blank</title></head><body></body></html>",
    )
    .unwrap();
    let blank_png = screenshot(browser, dir.path(), &blank);

    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy();
        // The browser builds the document we wrote: the title, the summary first, sections.
        let dom = headless(
            browser,
            &dir.path().join("profile-dom"),
            &["--dump-dom"],
            page,
        );
        let dom = String::from_utf8_lossy(&dom.stdout);
        assert!(dom.contains("<h1>Decision record: "), "{name}: {dom}");
        assert!(dom.contains("<h2 id=\"in-short\">In short</h2>"), "{name}");
        assert!(dom.contains("<h2 id=\"values\">Values</h2>"), "{name}");
        assert!(!dom.contains("<script"), "{name}");

        // And draws it: a PNG, with far more on it than the empty page.
        let png = screenshot(browser, dir.path(), page);
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: not a PNG");
        assert!(
            png.len() > 4 * blank_png.len(),
            "{name}: the screenshot ({} bytes) is hardly more than an empty page's ({} bytes)",
            png.len(),
            blank_png.len()
        );
    }
}
