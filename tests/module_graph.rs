//! The import graph of `src/`, read from the source: modules may not import
//! each other in a circle (neither the crate's top-level modules nor the
//! modules of one folder), and the site worker's code reaches nothing of
//! ingestion (`jobs`). Test code (`mod tests`) is left out: it may reach
//! anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// A file's code without its test module.
fn code(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The module names after each occurrence of `prefix` (`crate::`, `super::`),
/// where `prefix` is not itself the end of a longer path.
fn names_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in text.match_indices(prefix) {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let name: String =
            text[at + prefix.len()..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
        if !name.is_empty() {
            names.insert(name);
        }
    }
    names
}

/// The circles in a graph, as the pairs of modules that reach each other.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<(String, String)> {
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(node) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if next == to {
                    return true;
                }
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        false
    };
    let mut found = Vec::new();
    for (from, tos) in edges {
        for to in tos {
            if from < to && reaches(to, from) {
                found.push((from.clone(), to.clone()));
            }
        }
    }
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The first component of a path under `root`, without `.rs`.
fn module_of(root: &Path, path: &Path) -> String {
    let first = path.strip_prefix(root).unwrap().components().next().unwrap();
    first.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string()
}

#[test]
fn top_level_modules_import_no_circle() {
    let root = src();
    let modules: BTreeSet<String> = rust_files(&root).iter().map(|p| module_of(&root, p)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in rust_files(&root) {
        let module = module_of(&root, &path);
        if module == "lib" {
            continue;
        }
        for name in names_after(&code(&path), "crate::") {
            if name != module && modules.contains(&name) {
                edges.entry(module.clone()).or_default().insert(name);
            }
        }
    }
    assert!(edges.get("net").is_some_and(|n| !n.contains("sources")), "the fetcher does not reach the platforms");
    assert_eq!(circles(&edges), Vec::<(String, String)>::new(), "{edges:#?}");
}

#[test]
fn the_modules_of_each_folder_import_no_circle() {
    let root = src();
    for folder in fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()) {
        let name = folder.file_name().unwrap().to_string_lossy().to_string();
        let siblings: BTreeSet<String> = rust_files(&folder).iter().map(|p| module_of(&folder, p)).collect();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for path in rust_files(&folder) {
            let module = module_of(&folder, &path);
            let text = code(&path);
            let mut names = names_after(&text, &format!("crate::{name}::"));
            // `super::x` names a sibling only from a file directly in the folder.
            if path.parent() == Some(folder.as_path()) && module != "mod" {
                names.extend(names_after(&text, "super::"));
            }
            for target in names {
                if target != module && target != "mod" && siblings.contains(&target) {
                    edges.entry(module.clone()).or_default().insert(target);
                }
            }
        }
        assert_eq!(circles(&edges), Vec::<(String, String)>::new(), "src/{name}: {edges:#?}");
    }
}

#[test]
fn the_site_worker_reaches_nothing_of_ingestion() {
    let root = src();
    let mut site_files = vec![root.join("workers/site.rs"), root.join("mail.rs")];
    site_files.extend(rust_files(&root.join("web")).into_iter().filter(|p| !p.ends_with("admin.rs")));
    for path in site_files {
        let names = names_after(&code(&path), "crate::");
        assert!(!names.contains("jobs"), "{} reaches the jobs", path.display());
    }
}

#[test]
fn the_checks_see_a_circle_and_an_import() {
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]
    .into();
    assert!(!circles(&edges).is_empty(), "a → b → c → a is a circle");
    let line: BTreeMap<String, BTreeSet<String>> =
        [("a".to_string(), BTreeSet::from(["b".to_string()])), ("b".to_string(), BTreeSet::from(["c".to_string()]))]
            .into();
    assert!(circles(&line).is_empty(), "a → b → c is not");
    let names = names_after("use crate::jobs::alerts; let x = crate::net::y; use super::refresh::now;", "crate::");
    assert_eq!(names, BTreeSet::from(["jobs".to_string(), "net".to_string()]));
    assert_eq!(names_after("a::super::b; super::c", "super::"), BTreeSet::from(["c".to_string()]));
}
