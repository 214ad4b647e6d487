//! Every route registered in `src/web`, read from the source the way the
//! OpenAPI test reads the API's (`src/web/api/openapi.rs`), against the
//! matrix: a new route without a row fails here, and so does a row whose
//! route is gone.

use super::matrix::MATRIX;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, with its text minus comments and tests.
fn sources(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src/web is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let text = std::fs::read_to_string(&path).expect("a source file");
            // Unit tests and doc comments quote routes without registering them.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let code: Vec<&str> = code
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect();
            out.push((path, code.join("\n")));
        }
    }
}

/// The first string literal of `text`, if `text` starts with one.
fn leading_literal(text: &str) -> Option<&str> {
    text.trim_start().strip_prefix('"')?.split('"').next()
}

/// Files whose routes a `web::scope` prefixes through `.configure(module::routes)`,
/// and the prefix.
fn scoped_files(files: &[(PathBuf, String)]) -> Vec<(PathBuf, String)> {
    let mut scoped = Vec::new();
    for (path, code) in files {
        for scope in code.split("web::scope(").skip(1) {
            let prefix = leading_literal(scope).expect("a scope's prefix is a literal");
            for call in scope.split(".configure(").skip(1) {
                let Some((module, _)) = call.split_once("::routes") else {
                    continue;
                };
                let dir = path.parent().expect("a folder");
                for file in [
                    dir.join(format!("{module}.rs")),
                    dir.join(module).join("mod.rs"),
                ] {
                    scoped.push((file, prefix.to_owned()));
                }
            }
        }
    }
    scoped
}

/// Every (method, pattern) registered with `.route("…", web::method()…)`.
pub fn registered() -> BTreeSet<(String, String)> {
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web");
    let mut files = Vec::new();
    sources(&web, &mut files);
    let scoped = scoped_files(&files);
    let mut routes = BTreeSet::new();
    for (path, code) in &files {
        assert!(
            !code.contains("web::resource("),
            "{}: `web::resource` routes are not read by this scan yet; teach `registered` to",
            path.display()
        );
        // Routes inside a scope in this same file come after it.
        let (outside, inside) = match code.split_once("web::scope(") {
            Some((before, after)) => {
                let prefix = leading_literal(after).expect("a literal prefix");
                (before, Some((prefix.to_owned(), after)))
            }
            None => (code.as_str(), None),
        };
        let file_prefix = scoped
            .iter()
            .find(|(file, _)| file == path)
            .map(|(_, prefix)| prefix.clone())
            .unwrap_or_default();
        let parts = [(file_prefix, outside)].into_iter().chain(inside);
        for (prefix, text) in parts {
            for call in text.split(".route(").skip(1) {
                let Some(pattern) = leading_literal(call) else {
                    continue; // a method that happens to be called `route`
                };
                let method = call
                    .split("web::")
                    .nth(1)
                    .and_then(|rest| rest.split("()").next())
                    .expect("a route names its method");
                routes.insert((method.to_uppercase(), format!("{prefix}{pattern}")));
            }
        }
    }
    routes
}

#[test]
fn every_registered_route_has_a_row_and_every_row_a_route() {
    let registered = registered();
    assert!(
        registered.len() > 200,
        "the scan found the routes: {registered:?}"
    );
    let rows: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|row| (row.method.to_owned(), row.pattern.to_owned()))
        .collect();
    assert_eq!(rows.len(), MATRIX.len(), "one row per route");
    let missing: Vec<String> = registered
        .difference(&rows)
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    let gone: Vec<String> = rows
        .difference(&registered)
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    assert!(
        missing.is_empty() && gone.is_empty(),
        "routes without a row in authz/matrix.rs:\n{}\nrows without a route:\n{}",
        missing.join("\n"),
        gone.join("\n")
    );
}

#[test]
fn every_row_fills_its_pattern() {
    for row in MATRIX {
        let fixed: Vec<&str> = row.pattern.split('/').collect();
        let concrete: Vec<&str> = row
            .path
            .split('?')
            .next()
            .unwrap_or("")
            .split('/')
            .collect();
        assert_eq!(fixed.len(), concrete.len(), "{} {}", row.method, row.path);
        for (pattern, path) in fixed.iter().zip(&concrete) {
            if !pattern.contains('{') {
                assert_eq!(
                    pattern, path,
                    "{} {} fills {}",
                    row.method, row.path, row.pattern
                );
            }
        }
    }
}
