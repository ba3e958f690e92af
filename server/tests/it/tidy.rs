//! Tidy checks, as rust-analyzer keeps its invariants: the server's layers point one way
//! (ARCHITECTURE.md, "Layers"), all SQL lives in `db/`, `db/` knows nothing of HTTP errors,
//! handler modules never call each other, and a handler is at most 60 lines (the use case lives
//! in `services/`). They read `server/src` as text.

use std::path::{Path, PathBuf};

/// Each top-level module of `server/src` and its layer: a module may use only modules of its own
/// layer or below.
const LAYERS: &[(&str, u8)] = &[
    ("error", 0),
    ("extract", 1),
    ("config", 1),
    ("clock", 1),
    ("digest", 1),
    ("password", 1),
    ("files", 1),
    ("db", 2),
    ("batch", 3),
    ("cache", 3),
    ("state", 3),
    ("services", 4),
    ("openapi", 5),
    ("web", 5),
    ("routes", 5),
    ("idempotency", 5),
];

/// Files allowed to touch the file system from `db/`, with why.
const DB_FILE_ACCESS: &[&str] = &[
    // Creates the folder of the SQLite database file it opens.
    "db.rs",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (line comments and doc comments), so that prose may
/// name any module.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers that follow `prefix` in `code`.
fn after<'a>(code: &'a str, prefix: &str) -> Vec<&'a str> {
    code.match_indices(prefix)
        .filter(|(i, _)| {
            *i == 0 || {
                let b = code.as_bytes()[i - 1];
                !(b.is_ascii_alphanumeric() || b == b'_')
            }
        })
        .map(|(i, _)| {
            let rest = &code[i + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

/// The longest a route handler may be, in lines.
const MAX_HANDLER_LINES: usize = 60;

/// The `async fn`s of `code` longer than `max` lines (from `async fn` to the `}` that closes it
/// at the start of a line), with their lengths.
fn long_functions(code: &str, max: usize) -> Vec<(String, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let head = line
            .trim_start_matches("pub ")
            .trim_start_matches("pub(super) ");
        let Some(rest) = head.strip_prefix("async fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if let Some(end) = lines[i..].iter().position(|l| *l == "}") {
            if end + 1 > max {
                out.push((name, end + 1));
            }
        }
    }
    out
}

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// Every breach of the invariants in the source tree at `src`.
pub fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let route_modules: Vec<String> = std::fs::read_dir(src.join("routes"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            p.file_stem().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    let mut out = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let parts: Vec<&str> = rel.trim_end_matches(".rs").split('/').collect();
        let top = parts[0];
        if matches!(top, "lib" | "main") {
            continue;
        }
        let text = code(&std::fs::read_to_string(&file).unwrap());
        let Some(own) = layer(top) else {
            out.push(format!("{rel}: module `{top}` has no layer in LAYERS"));
            continue;
        };
        for used in after(&text, "crate::") {
            match layer(used) {
                Some(l) if l > own => out.push(format!(
                    "{rel}: layer {own} (`{top}`) uses `{used}` of layer {l} above it"
                )),
                _ => {}
            }
        }
        if top != "db" && (text.contains("sqlx::query") || text.contains("query_as(")) {
            out.push(format!("{rel}: SQL outside db/"));
        }
        if top == "db" {
            if text.contains("ApiError") || text.contains("crate::error") {
                out.push(format!("{rel}: db/ returns its own errors, not ApiError"));
            }
            let touches_files = ["std::fs", "tokio::fs", "File::"]
                .iter()
                .any(|f| text.contains(f));
            if touches_files && !DB_FILE_ACCESS.contains(&rel.as_str()) {
                out.push(format!("{rel}: db/ writes no files (use `files`)"));
            }
            if text.contains("axum") {
                out.push(format!("{rel}: db/ knows nothing of HTTP"));
            }
        }
        // Handler modules never call each other: not across `routes/`, and not between the
        // files of one module's folder (`routes/records/*.rs`); what they share is a service.
        if top == "routes" && parts.len() >= 2 {
            let own_module = parts[1];
            let mut siblings = after(&text, "crate::routes::");
            if parts.len() == 2 {
                siblings.extend(after(&text, "super::"));
            }
            for m in siblings {
                if m != own_module && route_modules.iter().any(|r| r == m) {
                    out.push(format!("{rel}: handler module `{own_module}` uses `{m}`"));
                }
            }
            if parts.len() == 3 {
                let folder = src.join("routes").join(own_module);
                for m in after(&text, "super::") {
                    if m != parts[2] && folder.join(format!("{m}.rs")).exists() {
                        out.push(format!("{rel}: handler file `{}` uses `{m}`", parts[2]));
                    }
                }
            }
            for (name, lines) in long_functions(&text, MAX_HANDLER_LINES) {
                out.push(format!(
                    "{rel}: `{name}` is {lines} lines (a handler is HTTP in and out, at most \
                     {MAX_HANDLER_LINES}: move the use case to services/)"
                ));
            }
        }
    }
    out
}

#[test]
fn the_servers_layers_point_one_way_sql_lives_in_db_and_handler_modules_stand_alone() {
    // HEARTH_TIDY_SRC points the check at another tree (to see it fail on an older one).
    let src = std::env::var("HEARTH_TIDY_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "{} breaches:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_tidy_check_sees_a_breach() {
    let dir = crate::support::fresh_dir();
    let _remove = crate::support::RemoveOnDrop(dir.clone());
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("routes")).unwrap();
    std::fs::write(src.join("error.rs"), "use crate::extract::Json;\n").unwrap();
    std::fs::write(
        src.join("routes/a.rs"),
        "// crate::db is fine in a comment\nuse crate::routes::b::x;\nfn f() { sqlx::query(\"\"); }\n",
    )
    .unwrap();
    std::fs::write(src.join("routes/b.rs"), "").unwrap();
    std::fs::write(src.join("routes.rs"), "").unwrap();
    // A file of a module's folder using its sibling, and a handler of 61 lines.
    std::fs::create_dir_all(src.join("routes/c")).unwrap();
    std::fs::write(src.join("routes/c/d.rs"), "use super::e::f;\n").unwrap();
    let long = format!("async fn long() {{\n{}}}\n", "    let _ = 1;\n".repeat(59));
    std::fs::write(src.join("routes/c/e.rs"), long).unwrap();
    std::fs::write(src.join("routes/c.rs"), "").unwrap();
    let found = violations(&src);
    assert_eq!(found.len(), 5, "{found:?}");
}
