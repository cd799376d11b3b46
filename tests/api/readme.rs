//! The README cannot drift from what runs: its curl walkthroughs are the `examples/` scripts
//! (which CI runs), shown verbatim, so is its Python (which the tests run), and its configuration
//! table lists every variable the code reads.

use std::collections::BTreeSet;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn readme() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap()
}

/// The contents of the README's blocks fenced as ```` ```lang ````.
fn fenced_blocks(text: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    let mut blocks = vec![];
    let mut rest = text;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("\n```").expect("a closed block");
        blocks.push(body[..end + 1].to_string());
        rest = &body[end + 4..];
    }
    blocks
}

#[test]
fn the_readme_shows_every_example_script_verbatim_and_no_other_curl_walkthrough() {
    let blocks = fenced_blocks(&readme(), "sh");
    let mut scripts = vec![];
    for entry in std::fs::read_dir(Path::new(ROOT).join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "sh") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                blocks.contains(&text),
                "README.md does not show {} as it is",
                path.display()
            );
            assert!(text.contains("set -euo pipefail"), "{}", path.display());
            assert!(
                text.lines()
                    .filter(|l| l.contains("curl "))
                    .all(|l| l.contains("--fail-with-body")),
                "{}: every curl call fails with the problem body",
                path.display()
            );
            scripts.push(text);
        }
    }
    assert!(scripts.len() >= 4, "the walkthroughs are scripts");
    for block in &blocks {
        if block.contains("curl ") || block.contains("$BM/") {
            assert!(
                scripts.contains(block),
                "a curl walkthrough in README.md that is not an examples/ script:\n{block}"
            );
        }
    }
}

#[test]
fn the_readme_shows_every_example_python_script_verbatim() {
    let blocks = fenced_blocks(&readme(), "python");
    let mut shown = 0;
    for entry in std::fs::read_dir(Path::new(ROOT).join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "py") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                blocks.contains(&text),
                "README.md does not show {} as it is",
                path.display()
            );
            shown += 1;
        }
    }
    assert!(shown >= 1, "the webhook verifier is a script");
}

/// The string literals in `src/` that name an environment variable.
fn variables_in_code() -> BTreeSet<String> {
    fn walk(dir: &Path, found: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, _) in text.match_indices('"') {
                    let name: String = text[i + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    let closed = text[i + 1 + name.len()..].starts_with('"');
                    let is_var = name.starts_with("BM_")
                        || name.starts_with("OTEL_")
                        || name == "DATABASE_URL"
                        || name == "RUST_LOG";
                    if closed && is_var {
                        found.insert(name);
                    }
                }
            }
        }
    }
    let mut found = BTreeSet::new();
    walk(&Path::new(ROOT).join("src"), &mut found);
    found
}

fn variables_in_table() -> BTreeSet<String> {
    let text = readme();
    let section = &text[text.find("## Configuration").unwrap()..];
    let section = &section[..section[3..]
        .find("\n## ")
        .map(|i| i + 3)
        .unwrap_or(section.len())];
    section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_configuration_table_lists_every_variable_the_code_reads() {
    let code = variables_in_code();
    assert!(
        code.contains("BM_CORS_ORIGINS") && code.contains("RUST_LOG"),
        "{code:?}"
    );
    assert_eq!(variables_in_table(), code);
}
