//! A real SMTP server for the email tests: `maildev` (npm, in `tests/browser/`) on free
//! loopback ports, read back through its REST API. Without node or maildev the tests are
//! skipped, unless `CI` is set: then they fail.

use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct MailDev {
    child: Child,
    pub smtp_port: u16,
    pub web_port: u16,
    _dir: tempfile::TempDir,
    http: reqwest::Client,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl MailDev {
    /// Starts maildev; `None` (test skipped) when it is not installed outside CI.
    pub async fn start() -> Option<MailDev> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser");
        let bin = Path::new(dir).join("node_modules/.bin/maildev");
        let node = Command::new("node").arg("--version").output().is_ok();
        if !bin.exists() || !node {
            let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
            assert!(
                !ci,
                "email tests need maildev (npm ci in tests/browser) in CI"
            );
            eprintln!("email tests skipped: maildev is not installed (npm ci in tests/browser)");
            return None;
        }
        let mail_dir = tempfile::tempdir().unwrap();
        let (smtp_port, web_port) = (free_port(), free_port());
        let child = Command::new(&bin)
            .args(["--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--silent"])
            .args(["-s", &smtp_port.to_string(), "-w", &web_port.to_string()])
            .arg("--mail-directory")
            .arg(mail_dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start maildev");
        let mut md = MailDev {
            child,
            smtp_port,
            web_port,
            _dir: mail_dir,
            http: reqwest::Client::new(),
        };
        for _ in 0..150 {
            assert!(
                md.child.try_wait().ok().flatten().is_none(),
                "maildev exited at start"
            );
            let up = md.http.get(md.url("/api/healthz")).send().await;
            if up.is_ok_and(|r| r.status().is_success()) {
                return Some(md);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("maildev did not start");
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.web_port)
    }

    /// The settings that make an instance send its email here.
    pub fn configure(&self, s: &mut peerdesk::config::Settings) {
        s.smtp_host = Some("127.0.0.1".into());
        s.smtp_port = Some(self.smtp_port);
        s.smtp_tls = "none".into();
        s.mail_from = Some("Peerdesk <noreply@peerdesk.test>".into());
        s.mail_interval_ms = 200;
    }

    /// Every email received so far.
    pub async fn all(&self) -> Vec<Value> {
        let resp = self.http.get(self.url("/api/email")).send().await.unwrap();
        resp.json::<Vec<Value>>().await.unwrap_or_default()
    }

    /// The emails to `address`, oldest first.
    pub async fn to(&self, address: &str) -> Vec<Value> {
        self.all()
            .await
            .into_iter()
            .filter(|m| {
                m["envelope"]["to"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|a| a["address"] == address))
            })
            .collect()
    }

    /// Waits (up to 20 s) for the `n`-th email to `address` whose subject contains
    /// `subject` and returns it.
    pub async fn wait(&self, address: &str, subject: &str, n: usize) -> Value {
        for _ in 0..200 {
            let found: Vec<Value> = self
                .to(address)
                .await
                .into_iter()
                .filter(|m| m["subject"].as_str().is_some_and(|s| s.contains(subject)))
                .collect();
            if found.len() >= n {
                return found[n - 1].clone();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "no email #{n} to {address} about {subject:?}: {:#?}",
            self.all().await
        );
    }

    /// The raw source of an email (all headers).
    pub async fn source(&self, mail: &Value) -> String {
        let id = mail["id"].as_str().unwrap();
        let resp = self
            .http
            .get(self.url(&format!("/api/email/{id}/source")))
            .send()
            .await
            .unwrap();
        resp.text().await.unwrap()
    }
}

/// The first link in a text that contains `path`.
pub fn link(text: &str, path: &str) -> String {
    text.split_whitespace()
        .find(|w| w.contains(path) && w.starts_with("http"))
        .unwrap_or_else(|| panic!("no link to {path} in: {text}"))
        .trim_end_matches(['>', ')', '.', ','])
        .to_string()
}

/// The `t` parameter of a link.
pub fn token(link: &str) -> String {
    url::Url::parse(link)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "t")
        .map(|(_, v)| v.to_string())
        .expect("a token in the link")
}

impl Drop for MailDev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
