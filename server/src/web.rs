//! The web edge: serving the built app (precompressed, hashed files cached for good, deep links
//! falling back to an uncached `index.html`), security headers with a Content-Security-Policy
//! that fits the WASM app, and the CSRF guard.

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use sha2::{Digest, Sha256};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

/// The header the app sends on every state-changing request. A cross-site form or script cannot
/// set it without a CORS preflight, which this server never grants.
pub const CSRF_HEADER: &str = "x-hearth-csrf";

/// The built app in `dist`. A file's `.br` or `.gz` beside it (written by `scripts/hearth
/// build_app`) is sent instead when the request's `Accept-Encoding` allows it; without them the
/// file is sent as it is. Unknown paths (deep links such as `/clients/7`) get `index.html`.
/// Each subfolder of `dist` with its own `index.html` is a separate bundle of the app (the
/// administrators' screens in `dist/admin`, see docs/decisions.md): it serves `/<folder>` and
/// everything under it, its deep links falling back to its own `index.html`.
/// Caching is set by `static_caching`.
pub fn static_app<S: Clone + Send + Sync + 'static>(dist: &Path) -> Router<S> {
    let mut router = Router::new();
    for bundle in bundles(dist) {
        let name = bundle
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        router = router.nest_service(&format!("/{name}"), spa(&bundle));
    }
    router
        .fallback_service(spa(dist))
        .layer(axum::middleware::map_response(static_caching))
}

/// The files of one bundle, unknown paths answered with its `index.html`.
fn spa(dir: &Path) -> ServeDir<ServeFile> {
    let index = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index)
}

/// The subfolders of `dist` that are bundles of their own (they hold an `index.html`).
fn bundles(dist: &Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dist)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("index.html").is_file())
        .collect();
    found.sort();
    found
}

/// A year: how long a browser keeps a file whose name carries its content's hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The caching of a static response: a file whose name carries its content's hash (Trunk's
/// `name-<16 hex>.ext`, `_bg.wasm` included) never changes, so it is cached for a year without
/// revalidation; everything else, `index.html` above all (it names the current hashes), and any
/// HTML answer (the deep-link fallback) is revalidated on every use (`no-cache`). Every answer
/// varies by `Accept-Encoding` (the precompressed files).
async fn static_caching(uri: axum::http::Uri, mut res: Response) -> Response {
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let immutable = res.status() == StatusCode::OK && !html && is_hashed(uri.path());
    let h = res.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if immutable { IMMUTABLE } else { "no-cache" }),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    res
}

/// Whether the last segment of `path` is a Trunk-hashed file name: a stem ending in `-` and 16
/// lower-case hex digits (optionally followed by `_bg`), then an extension.
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((base, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    !base.is_empty()
        && !ext.is_empty()
        && hash.len() == 16
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The scheme this server is reached by: `https` behind TLS (`HEARTH_SECURE_COOKIES=1`), else
/// `http`. The CSRF guard's state.
#[derive(Debug, Clone, Copy)]
pub struct Scheme(pub &'static str);

impl Scheme {
    pub fn of(config: &crate::config::Config) -> Scheme {
        Scheme(if config.secure_cookies {
            "https"
        } else {
            "http"
        })
    }
}

/// Refuses state-changing requests without the CSRF header or from another origin: an `Origin`
/// whose scheme, host and port are not this server's (the `Host` the request came to, by the
/// scheme it is served over). A request without `Origin` (not from a browser) needs the header
/// only.
pub async fn csrf_guard(
    axum::extract::State(scheme): axum::extract::State<Scheme>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let has_header = req.headers().get(CSRF_HEADER).is_some();
        let cross_origin = match (
            req.headers().get(header::ORIGIN),
            req.headers().get(header::HOST),
        ) {
            (Some(origin), Some(host)) => !same_origin(
                origin.to_str().unwrap_or(""),
                host.to_str().unwrap_or(""),
                scheme.0,
            ),
            (Some(_), None) => true,
            _ => false,
        };
        if !has_header || cross_origin {
            let body = shared::api::ErrorBody {
                error: "request refused: missing CSRF header or cross-site origin".to_owned(),
                field: Some(CSRF_HEADER.to_owned()),
                reason: None,
            };
            return (StatusCode::FORBIDDEN, crate::extract::Json(body)).into_response();
        }
    }
    next.run(req).await
}

/// The default port of a scheme of the web.
fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

/// A host and optional port (`example.org:8443`, `[::1]:8080`, `example.org`) as lower-case
/// host and port, the port defaulting to `scheme`'s.
fn host_port(authority: &str, scheme: &str) -> Option<(String, u16)> {
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, Some(p.parse::<u16>().ok()?)),
        _ => (authority, None),
    };
    if host.is_empty() {
        return None;
    }
    Some((host.to_ascii_lowercase(), port.or(default_port(scheme))?))
}

/// Whether an `Origin` header (`scheme://host[:port]`) names the same origin as the `Host` the
/// request came to over `scheme`: scheme, host and port all equal (ports defaulted by scheme).
/// `null` or anything unparseable is another origin.
pub fn same_origin(origin: &str, host: &str, scheme: &str) -> bool {
    let Some((o_scheme, o_authority)) = origin.split_once("://") else {
        return false;
    };
    let o_scheme = o_scheme.to_ascii_lowercase();
    if o_scheme != scheme || o_authority.contains('/') {
        return false;
    }
    match (host_port(o_authority, &o_scheme), host_port(host, scheme)) {
        (Some(o), Some(h)) => o == h,
        _ => false,
    }
}

/// The largest body of any request (`routes::router` sets it above the upload limit). A body
/// declared larger is refused before it is read, and any 413 from inside (tower-http's
/// `RequestBodyLimit`, which answers plain text, or an extractor's) is answered in our error
/// format, so every route's 413 is an `ErrorBody` naming `body`.
pub async fn body_limit(
    axum::extract::State(ceiling): axum::extract::State<usize>,
    req: Request,
    next: Next,
) -> Response {
    let too_large = crate::error::ApiError::TooLarge {
        field: "body",
        limit: ceiling,
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > ceiling as u64) {
        return too_large.into_response();
    }
    let res = next.run(req).await;
    let ours = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE && !ours {
        return too_large.into_response();
    }
    res
}

/// The Content-Security-Policy for the app in `dist`: it allows the inline module script Trunk
/// writes into each bundle's `index.html` by its SHA-256, and WebAssembly compilation, and nothing foreign.
pub fn content_security_policy(dist: &Path) -> String {
    let script_hashes: String = std::iter::once(dist.to_path_buf())
        .chain(bundles(dist))
        .filter_map(|dir| std::fs::read_to_string(dir.join("index.html")).ok())
        .flat_map(|html| {
            inline_scripts(&html)
                .iter()
                .map(|s| format!(" 'sha256-{}'", base64(&Sha256::digest(s.as_bytes()))))
                .collect::<Vec<_>>()
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_hashes}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Adds the security headers to every response.
pub async fn security_headers(
    axum::extract::State(csp): axum::extract::State<std::sync::Arc<HeaderValue>>,
    req: Request,
    next: Next,
) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, (*csp).clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(self), geolocation=(), microphone=()"),
    );
    if is_api {
        // Client data must not linger in shared or browser caches.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// The contents of `<script>` elements without a `src` attribute.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = &after[tag_end + 1..];
        let Some(close) = body_start.find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            out.push(&body_start[..close]);
        }
        rest = &body_start[close..];
    }
    out
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }

    #[test]
    fn an_origin_is_the_same_only_with_the_same_scheme_host_and_port() {
        for (origin, host, scheme, same) in [
            ("http://127.0.0.1:8080", "127.0.0.1:8080", "http", true),
            ("http://Example.org", "example.org:80", "http", true),
            ("https://example.org", "example.org", "https", true),
            ("https://example.org:443", "example.org", "https", true),
            ("http://[::1]:8080", "[::1]:8080", "http", true),
            ("http://127.0.0.1:8081", "127.0.0.1:8080", "http", false),
            ("https://127.0.0.1:8080", "127.0.0.1:8080", "http", false),
            ("http://example.org", "example.org", "https", false),
            ("http://evil.example", "example.org", "http", false),
            (
                "http://example.org.evil.example",
                "example.org",
                "http",
                false,
            ),
            ("null", "example.org", "http", false),
            ("http://example.org/path", "example.org", "http", false),
            ("http://example.org:x", "example.org", "http", false),
            ("http://", "example.org", "http", false),
        ] {
            assert_eq!(
                same_origin(origin, host, scheme),
                same,
                "{origin} {host} {scheme}"
            );
        }
    }

    #[test]
    fn only_trunk_hashed_file_names_count_as_hashed() {
        for (path, hashed) in [
            ("/app-20d5238c6180abd3.js", true),
            ("/app-20d5238c6180abd3_bg.wasm", true),
            ("/main-2d055dcc10ee79ab.css", true),
            ("/favicon-46925a2f844bd510.svg", true),
            ("/index.html", false),
            ("/", false),
            ("/manifest.webmanifest", false),
            ("/icon-192.png", false),
            ("/clients/7", false),
            ("/app-20D5238C6180ABD3.js", false),
            ("/app-20d5238c6180abd.js", false),
            ("/-20d5238c6180abd3.js", false),
            ("/app-20d5238c6180abd3", false),
        ] {
            assert_eq!(is_hashed(path), hashed, "{path}");
        }
    }

    #[test]
    fn inline_scripts_skips_external_ones() {
        let html = r#"<script src="/a.js"></script><script type="module">init()</script>"#;
        assert_eq!(inline_scripts(html), vec!["init()"]);
    }
}
