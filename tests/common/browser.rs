//! Running the Playwright scripts of `tests/browser/` in Debian's Chromium, for the
//! browser tests (`web_browser*.rs`).
#![allow(dead_code)]

use super::Backend;
use std::path::Path;
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Whether the browser tests can run here; `false` means skip (outside CI only).
pub fn browser_available() -> bool {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_string());
    let missing: Vec<&str> = [
        (!Path::new(&chromium).exists()).then_some("chromium (apt-get install chromium)"),
        (!Path::new(dir).join("node_modules/playwright-core").exists())
            .then_some("tests/browser/node_modules (npm ci in tests/browser)"),
        Command::new("node")
            .arg("--version")
            .output()
            .is_err()
            .then_some("node"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if missing.is_empty() {
        return true;
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(!ci, "browser tests need {missing:?} in CI");
    eprintln!("browser tests skipped: missing {missing:?}");
    false
}

/// Runs `node tests/browser/<script> ARGS`; asserts it passed and returns its output.
pub fn run_script(script: &str, args: &[&str], shots: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser");
    let out = Command::new("node")
        .current_dir(dir)
        .arg(script)
        .args(args)
        .env("SCREENSHOT_DIR", shots)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("ALL OK"),
        "{script} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    stdout
}

pub fn shots_dir(backend: Backend) -> String {
    format!(
        "{}/target/screenshots/{}",
        env!("CARGO_MANIFEST_DIR"),
        match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    )
}
