//! axe-core in the browser tests (issue #15): injected into the page a tab
//! shows and run over the WCAG 2.0–2.2 A and AA rules; violations of impact
//! serious or critical fail, moderate and minor ones are listed.

use crate::browser::Tab;
use std::io::Write;
use std::time::Duration;

/// Runs axe after its source, in one round trip, and answers with each
/// violation cut down to what a failure line needs. Only the WCAG 2.0–2.2
/// A and AA rules the issue asks for run (axe's best practices do not).
const RUN: &str = r#"
    const done = arguments[arguments.length - 1];
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
    axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then(results => done(results.violations.map(v => ({
            id: v.id,
            impact: v.impact || 'minor',
            help: v.help,
            nodes: v.nodes.length,
            target: v.nodes.length ? String(v.nodes[0].target) : '',
        }))))
        .catch(error => done({ error: String(error) }));
"#;

/// What axe found on the pages of a walk.
#[derive(Default)]
pub struct Findings {
    /// Violations of impact serious or critical: "label: rule: help (N nodes: target)".
    pub failures: Vec<String>,
    /// Moderate and minor ones, in the same form, listed but not failing.
    pub notes: Vec<String>,
    /// How many pages axe ran on.
    pub pages: usize,
}

impl Findings {
    /// Runs axe (its `source`) on the page `tab` shows, naming what it
    /// finds after `label` (the path and language).
    pub async fn check(&mut self, tab: &Tab, source: &str, label: &str) {
        let script = format!("{source};\n{RUN}");
        let answer = tab.execute_async(&script, "running axe-core").await;
        let Some(violations) = answer.as_array() else {
            panic!("{label}: axe-core failed: {answer}");
        };
        self.pages += 1;
        for violation in violations {
            let text = |key: &str| violation[key].as_str().unwrap_or_default().to_owned();
            let line = format!(
                "{label}: {}: {} ({} nodes: {})",
                text("id"),
                text("help"),
                violation["nodes"],
                text("target"),
            );
            match text("impact").as_str() {
                "serious" | "critical" => self.failures.push(line),
                impact => self.notes.push(format!("{line} [{impact}]")),
            }
        }
    }

    /// Ends a walk: prints one line (what was walked, in how long, the
    /// records' set-up time, and axe's count, with the moderate and minor
    /// findings listed), then fails on `problems` and axe's serious and
    /// critical findings together.
    pub fn verdict(&self, walked: &str, took: Duration, set_up: Duration, problems: Vec<String>) {
        let notes = &self.notes;
        // Written past the harness's capture, so the list and the time are seen.
        let _ = writeln!(
            std::io::stderr(),
            "{walked} in {:.1} s (records made in {:.1} s); \
             axe on {} pages: {} serious or critical, {} moderate or minor{}{}",
            took.as_secs_f64(),
            set_up.as_secs_f64(),
            self.pages,
            self.failures.len(),
            notes.len(),
            if notes.is_empty() { "" } else { ":\n  " },
            notes.join("\n  "),
        );
        let failures: Vec<String> = problems
            .into_iter()
            .chain(self.failures.iter().cloned())
            .collect();
        assert!(
            failures.is_empty(),
            "{} problems:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
