//! The accessibility checkers of issue #15 — the Nu HTML Checker (`vnu.jar`
//! on the machine's Java) and axe-core — found where `scripts/test` installs
//! them (`tools/a11y/node_modules`), or where `VNU_JAR` and `AXE_CORE` point.
//! Missing, they are skipped with a note; with `A11Y_REQUIRED=1` (`scripts/test
//! --ci`) a missing one fails the test instead.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether the checkers must run (`A11Y_REQUIRED=1`) rather than be skipped.
pub fn required() -> bool {
    std::env::var("A11Y_REQUIRED").is_ok_and(|v| v == "1")
}

/// The file `variable` names, else `default` under `tools/a11y/node_modules`;
/// `None` (after a note, or a failed assertion when required) when it is missing.
fn tool_file(variable: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(variable).map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tools/a11y/node_modules")
                .join(default)
        },
        PathBuf::from,
    );
    if path.is_file() {
        return Some(path);
    }
    skip(&format!("{} not found (set {variable})", path.display()));
    None
}

/// Says a checker is skipped, past the harness's output capture so it is
/// seen; fails instead when the checkers are required.
fn skip(why: &str) {
    assert!(
        !required(),
        "A11Y_REQUIRED=1 but {why}; run `npm ci --prefix tools/a11y` (and install Java)"
    );
    let _ = writeln!(std::io::stderr(), "skipping an accessibility check: {why}");
}

/// The Nu HTML Checker's jar, when both it and `java` are there.
pub fn vnu_jar() -> Option<PathBuf> {
    let jar = tool_file("VNU_JAR", "vnu-jar/build/dist/vnu.jar")?;
    let java = Command::new("java").arg("-version").output();
    if !java.is_ok_and(|out| out.status.success()) {
        skip("java is not installed (apt-get install -y default-jre-headless)");
        return None;
    }
    Some(jar)
}

/// axe-core's source (`axe.min.js`), to inject into a page under test.
pub fn axe_source() -> Option<String> {
    let path = tool_file("AXE_CORE", "axe-core/axe.min.js")?;
    Some(std::fs::read_to_string(&path).expect("axe-core's source is readable"))
}

/// Runs the Nu HTML Checker once over `pages` (label, HTML) — one JVM for
/// all of them, as one per page is far too slow — and returns each error
/// as "label line N: message". Warnings are only counted, on stderr.
/// Empty when the checker is missing and not required.
pub fn html_errors(pages: &[(String, String)]) -> Vec<String> {
    let Some(jar) = vnu_jar() else {
        return Vec::new();
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let name = |index: usize| format!("page-{index:04}.html");
    for (index, (_, html)) in pages.iter().enumerate() {
        std::fs::write(dir.path().join(name(index)), html).expect("write page");
    }
    // The JSON report goes to stderr; --exit-zero-always because errors are
    // read from the report, and a non-zero exit then means the checker broke.
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--format", "json", "--exit-zero-always"])
        .arg(dir.path())
        .output()
        .expect("run java");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the HTML checker failed: {report}");
    let report: serde_json::Value = serde_json::from_str(&report)
        .unwrap_or_else(|e| panic!("the HTML checker's report is not JSON ({e}): {report}"));
    // The checker reports pages in no fixed order: errors are sorted back
    // into the walk's order, by page then line, under the page's label.
    let page_of = |url: &str| {
        let file = url.rsplit('/').next().unwrap_or(url);
        (0..pages.len()).find(|&index| name(index) == file)
    };
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for message in report["messages"].as_array().into_iter().flatten() {
        let text = |key: &str| message[key].as_str().unwrap_or_default();
        let found = match (text("type"), text("subType")) {
            ("info", "warning") => &mut warnings,
            ("info", _) => continue,
            _ => &mut errors,
        };
        let page = page_of(text("url"));
        let label = page.map_or(text("url"), |index| pages[index].0.as_str());
        let line = message["lastLine"].as_u64().unwrap_or_default();
        let line_text = format!(
            "{label} line {line}: {} [{}]",
            text("message"),
            text("extract").trim()
        );
        found.push((page, line, line_text));
    }
    let in_walk_order = |mut found: Vec<(Option<usize>, u64, String)>| -> Vec<String> {
        found.sort();
        found.into_iter().map(|(_, _, text)| text).collect()
    };
    let (errors, warnings) = (in_walk_order(errors), in_walk_order(warnings));
    // Warnings are listed, not failed on (as axe's moderate findings).
    let mut stderr = std::io::stderr();
    let _ = writeln!(
        stderr,
        "HTML checker: {} pages, {} errors, {} warnings",
        pages.len(),
        errors.len(),
        warnings.len()
    );
    for warning in &warnings {
        let _ = writeln!(stderr, "  warning: {warning}");
    }
    errors
}
