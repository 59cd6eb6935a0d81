//! Static files of the demo: `/` and `/<path>` from `www/`, `/pkg/<path>`
//! from `pkg/`. Nothing outside those two folders can be read.

use std::fs;
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::mackerel::Reply;

/// Answers `GET url_path` from the folders under `root`.
pub fn answer(root: &Path, url_path: &str) -> Reply {
    match resolve(root, url_path) {
        Some(file) => match fs::read(&file) {
            Ok(body) => Reply {
                status: 200,
                content_type: content_type(&file),
                body,
            },
            Err(_) => not_found(),
        },
        None => not_found(),
    }
}

fn not_found() -> Reply {
    Reply {
        status: 404,
        content_type: "text/plain; charset=utf-8",
        body: b"not found".to_vec(),
    }
}

/// The file a URL path names, if it is inside `www/` or `pkg/`.
fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode_str(url_path).decode_utf8().ok()?;
    let mut segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    let folder = if segments.first() == Some(&"pkg") {
        segments.remove(0);
        "pkg"
    } else {
        "www"
    };
    if segments.is_empty() {
        segments.push("index.html");
    }
    let safe = |s: &&str| !s.starts_with('.') && !s.contains(['\\', '\0', ':']);
    if !segments.iter().all(safe) {
        return None;
    }
    let base = root.join(folder).canonicalize().ok()?;
    let file = segments
        .iter()
        .fold(base.clone(), |p, s| p.join(s))
        .canonicalize()
        .ok()?;
    (file.starts_with(&base) && file.is_file()).then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json" | "map") => "application/json",
        Some("ts") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("sabaplot-files-{}", std::process::id()));
        fs::create_dir_all(dir.join("www/sub")).unwrap();
        fs::create_dir_all(dir.join("pkg")).unwrap();
        fs::write(dir.join("www/index.html"), "<p>hi</p>").unwrap();
        fs::write(dir.join("www/sub/app.js"), "1").unwrap();
        fs::write(dir.join("pkg/sabaplot_bg.wasm"), [0, 97, 115, 109]).unwrap();
        fs::write(dir.join("secret.txt"), "no").unwrap();
        dir
    }

    #[test]
    fn pages_and_the_package_are_served_with_their_types() {
        let root = root();
        let r = answer(&root, "/");
        assert_eq!(
            (r.status, r.content_type),
            (200, "text/html; charset=utf-8")
        );
        assert_eq!(
            answer(&root, "/sub/app.js").content_type,
            "text/javascript; charset=utf-8"
        );
        let r = answer(&root, "/pkg/sabaplot_bg.wasm");
        assert_eq!((r.status, r.content_type), (200, "application/wasm"));
    }

    #[test]
    fn nothing_outside_www_and_pkg_can_be_read() {
        let root = root();
        for path in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/pkg/../secret.txt",
            "/pkg/%2e%2e%2fsecret.txt",
            "/..%5csecret.txt",
            "/sub/../../secret.txt",
            "/.hidden",
            "/%ff",
            "/nope.html",
            "/sub",
        ] {
            assert_eq!(answer(&root, path).status, 404, "{path}");
        }
    }
}
