//! The built app as a phone gets it: each hashed file precompressed (brotli or gzip, by
//! `Accept-Encoding`) and cached for a year; `index.html` and deep links revalidated on every
//! use; the API never cached. The files here are stand-ins: the server sends the `.br` or `.gz`
//! beside a file as it is, so their bytes only have to differ.

use crate::support::{spawn_app, spawn_app_with, TestApp};

const WASM: &str = "/app-0123456789abcdef_bg.wasm";
const JS: &str = "/app-0123456789abcdef.js";

/// Writes `name` with its `.br` and `.gz` beside it into the app's `dist`.
fn precompressed(app: &TestApp, name: &str) {
    let path = app.dist_dir().join(name.trim_start_matches('/'));
    std::fs::write(&path, "raw").unwrap();
    std::fs::write(
        path.with_file_name(format!("{name}.br").trim_start_matches('/')),
        "br",
    )
    .unwrap();
    std::fs::write(
        path.with_file_name(format!("{name}.gz").trim_start_matches('/')),
        "gz",
    )
    .unwrap();
}

/// GET `path` with `accept_encoding` (none if empty): status, the headers asked for, the body.
async fn get(app: &TestApp, path: &str, accept_encoding: &str) -> (u16, Headers, String) {
    let mut req = reqwest::Client::new().get(format!("{}{path}", app.base));
    if !accept_encoding.is_empty() {
        req = req.header("accept-encoding", accept_encoding);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let h = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let headers = Headers {
        encoding: h("content-encoding"),
        cache: h("cache-control"),
        vary: h("vary"),
        content_type: h("content-type"),
        csp: h("content-security-policy"),
    };
    (status, headers, res.text().await.unwrap())
}

#[derive(Debug)]
struct Headers {
    encoding: Option<String>,
    cache: Option<String>,
    vary: Option<String>,
    content_type: Option<String>,
    csp: Option<String>,
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[tokio::test]
async fn a_hashed_file_is_sent_brotli_or_gzip_compressed_as_accept_encoding_allows_and_varies_by_it(
) {
    let app = spawn_app().await;
    precompressed(&app, WASM);
    for (accept, encoding, body) in [
        ("br, gzip", Some("br"), "br"),
        ("gzip, deflate, br", Some("br"), "br"),
        ("gzip", Some("gzip"), "gz"),
        ("identity", None, "raw"),
        ("", None, "raw"),
    ] {
        let (status, h, got) = get(&app, WASM, accept).await;
        assert_eq!(status, 200, "{accept}");
        assert_eq!(h.encoding.as_deref(), encoding, "{accept}");
        assert_eq!(got, body, "{accept}");
        assert_eq!(h.vary.as_deref(), Some("accept-encoding"), "{accept}");
        assert_eq!(
            h.content_type.as_deref(),
            Some("application/wasm"),
            "{accept}"
        );
    }
}

#[tokio::test]
async fn a_file_without_precompressed_copies_is_sent_as_it_is() {
    let app = spawn_app().await;
    std::fs::write(app.dist_dir().join(JS.trim_start_matches('/')), "js").unwrap();
    let (status, h, body) = get(&app, JS, "br, gzip").await;
    assert_eq!((status, body.as_str()), (200, "js"));
    assert_eq!(h.encoding, None);
    assert_eq!(h.cache.as_deref(), Some(IMMUTABLE));
}

#[tokio::test]
async fn hashed_files_are_cached_for_a_year_as_immutable_and_other_files_are_revalidated() {
    let app = spawn_app().await;
    precompressed(&app, WASM);
    precompressed(&app, JS);
    std::fs::write(app.dist_dir().join("manifest.webmanifest"), "{}").unwrap();
    for (path, cache) in [
        (WASM, IMMUTABLE),
        (JS, IMMUTABLE),
        ("/manifest.webmanifest", "no-cache"),
    ] {
        let (status, h, _) = get(&app, path, "br").await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(h.cache.as_deref(), Some(cache), "{path}");
    }
}

#[tokio::test]
async fn index_html_is_revalidated_on_every_use_and_keeps_the_content_security_policy() {
    let app = spawn_app().await;
    for path in ["/", "/index.html"] {
        let (status, h, body) = get(&app, path, "br, gzip").await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains("init()"), "{path}: {body}");
        assert_eq!(h.cache.as_deref(), Some("no-cache"), "{path}");
        let csp = h.csp.unwrap_or_default();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
            "{csp}"
        );
    }
}

#[tokio::test]
async fn a_deep_link_under_clients_gets_index_html_uncached_even_if_it_looks_hashed() {
    let app = spawn_app().await;
    for path in [
        "/clients/7",
        "/clients/7/enrollments",
        "/gone-0123456789abcdef.js",
    ] {
        let (status, h, body) = get(&app, path, "br, gzip").await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains("init()"), "{path}: {body}");
        assert!(
            h.content_type.unwrap_or_default().starts_with("text/html"),
            "{path}"
        );
        assert_eq!(h.cache.as_deref(), Some("no-cache"), "{path}");
    }
}

#[tokio::test]
async fn p5_the_api_is_never_cached() {
    let app = spawn_app().await;
    let (status, h, _) = get(&app, "/api/v1/health", "br, gzip").await;
    assert_eq!(status, 200);
    assert_eq!(h.cache.as_deref(), Some("no-store"));
    let (status, h, _) = get(&app, "/api/v1/clients", "").await;
    assert_eq!(status, 401);
    assert_eq!(h.cache.as_deref(), Some("no-store"));
}

#[tokio::test]
async fn a_bundle_in_a_subfolder_serves_its_own_deep_links_and_its_script_is_allowed() {
    let app = spawn_app_with(|config| {
        let admin = config.dist_dir.join("admin");
        std::fs::create_dir_all(&admin).unwrap();
        std::fs::write(
            admin.join("index.html"),
            "<!DOCTYPE html><html><head><script type=\"module\">admin()</script></head></html>",
        )
        .unwrap();
        std::fs::write(admin.join("admin-0123456789abcdef.js"), "js").unwrap();
    })
    .await;
    for path in ["/admin", "/admin/", "/admin/users/7"] {
        let (status, h, body) = get(&app, path, "br, gzip").await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains("admin()"), "{path}: {body}");
        assert_eq!(h.cache.as_deref(), Some("no-cache"), "{path}");
        // Both bundles' inline scripts are allowed, wherever the page is.
        assert_eq!(
            h.csp.unwrap_or_default().matches("'sha256-").count(),
            2,
            "{path}"
        );
    }
    let (status, h, body) = get(&app, "/admin/admin-0123456789abcdef.js", "").await;
    assert_eq!((status, body.as_str()), (200, "js"));
    assert_eq!(h.cache.as_deref(), Some(IMMUTABLE));
    // Everything else is still the main bundle's.
    for path in ["/clients/7", "/administrator", "/"] {
        let (_, _, body) = get(&app, path, "").await;
        assert!(body.contains("init()"), "{path}: {body}");
    }
}
