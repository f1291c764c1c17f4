//! Helpers shared by the CLI integration tests: a fresh database in a
//! temporary folder, command builders that drive the real binary, and
//! readers for its JSON output and its audit log.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub const CHIEF_ID: &str = "P1";
pub const CHIEF_NAME: &str = "Chief Name";

/// The OS login running the tests, as the program sees it (not `$USER`).
pub fn os_login() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .expect("run `id -un`");
    assert!(out.status.success(), "`id -un` failed");
    String::from_utf8(out.stdout)
        .expect("login is UTF-8")
        .trim()
        .to_string()
}

/// Whether the tests run as root (some ownership tests need to `chown`).
pub fn is_root() -> bool {
    let out = std::process::Command::new("id")
        .arg("-u")
        .output()
        .expect("run `id -u`");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// The binary with no database or clock taken from the caller's environment.
pub fn bin() -> Command {
    let mut c = Command::cargo_bin("socialdesk").expect("the socialdesk binary");
    c.env_remove("SOCIALDESK_DB")
        .env_remove("SOCIALDESK_NOW")
        .env("NO_COLOR", "1");
    c
}

/// The binary pointed at `db` with `--db`.
pub fn cmd(db: &Path) -> Command {
    let mut c = bin();
    c.arg("--db").arg(db);
    c
}

/// Runs `c`, expects exit `code` and a message on stderr starting `error:`;
/// returns stderr.
pub fn fails(c: &mut Command, code: i32) -> String {
    let out = c.output().expect("run socialdesk");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(code),
        "expected exit {code}; stdout: {}; stderr: {stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.starts_with("error:"),
        "stderr should start with `error:`: {stderr:?}"
    );
    stderr
}

/// Runs `c`, expects success, returns stdout.
pub fn succeeds(c: &mut Command) -> String {
    let out = c.output().expect("run socialdesk");
    assert!(
        out.status.success(),
        "expected success, got {:?}; stdout: {}; stderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// A temporary folder holding a fresh database whose chief is the OS login.
pub struct TestDb {
    pub dir: TempDir,
    pub path: PathBuf,
    pub login: String,
}

impl TestDb {
    /// `socialdesk --db DB init --chief-id P1 --chief-name "Chief Name" --chief-login <OS login>`.
    pub fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("socialdesk.db");
        let login = os_login();
        succeeds(cmd(&path).args([
            "init",
            "--chief-id",
            CHIEF_ID,
            "--chief-name",
            CHIEF_NAME,
            "--chief-login",
            &login,
        ]));
        TestDb { dir, path, login }
    }

    /// A path in the temporary folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary on this database, as the OS user (the chief).
    pub fn cmd(&self) -> Command {
        cmd(&self.path)
    }

    /// The binary on this database with the clock pinned (RFC 3339).
    pub fn at(&self, now: &str) -> Command {
        let mut c = self.cmd();
        c.env("SOCIALDESK_NOW", now);
        c
    }

    /// The binary on this database acting `--as` another roster login.
    pub fn as_login(&self, login: &str) -> Command {
        let mut c = self.cmd();
        c.args(["--as", login]);
        c
    }

    /// Runs a command as the chief and returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        succeeds(self.cmd().args(args))
    }

    /// Runs a command as the chief with `--json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        parse(&succeeds(self.cmd().arg("--json").args(args)))
    }

    /// Adds an employee as the chief.
    pub fn add(&self, id: &str, name: &str, rank: &str, login: Option<&str>) -> Value {
        let mut args = vec!["roster", "add", "--id", id, "--name", name, "--rank", rank];
        if let Some(l) = login {
            args.extend(["--login", l]);
        }
        self.json(&args)
    }

    /// Adds a platform account as the chief.
    pub fn add_account(&self, platform: &str, handle: &str, responsible: &str) -> Value {
        self.json(&[
            "account",
            "add",
            "--platform",
            platform,
            "--handle",
            handle,
            "--responsible",
            responsible,
        ])
    }

    /// `roster show ID --json` (the card) as the chief.
    pub fn employee(&self, id: &str) -> Value {
        self.json(&["roster", "show", id])
    }

    /// `roster show ID --json` at a pinned time.
    pub fn employee_at(&self, id: &str, now: &str) -> Value {
        parse(&succeeds(
            self.at(now).args(["--json", "roster", "show", id]),
        ))
    }

    /// `roster list --json`.
    pub fn roster(&self) -> Vec<Value> {
        array(self.json(&["roster", "list"]))
    }

    pub fn roster_ids(&self) -> Vec<String> {
        self.roster()
            .iter()
            .map(|e| e["id"].as_str().expect("id").to_string())
            .collect()
    }

    /// `account list --json`.
    pub fn accounts(&self) -> Vec<Value> {
        array(self.json(&["account", "list"]))
    }

    /// `audit log --json`, oldest first.
    pub fn audit(&self) -> Vec<Value> {
        array(self.json(&["audit", "log"]))
    }

    pub fn audit_count(&self) -> usize {
        self.audit().len()
    }

    pub fn last_event(&self) -> Value {
        self.audit().pop().expect("at least one audit event")
    }

    /// Every row of every table but the audit log, read with rusqlite, so a
    /// test can prove a failed or refused command changed nothing.
    pub fn snapshot(&self) -> String {
        snapshot(&self.path)
    }

    /// The database file's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.path).expect("read the database file")
    }

    /// A direct connection (no defensive mode), for tampering and inspection.
    pub fn sqlite(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.path).expect("open the database with rusqlite")
    }
}

pub fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

pub fn array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        other => panic!("expected a JSON array, got {other}"),
    }
}

/// The strings in a JSON array (e.g. an employee's `flags`).
pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array, got {v}"))
        .iter()
        .map(|s| s.as_str().expect("a string").to_string())
        .collect()
}

/// A text dump of every table except `audit_events`, plus `user_version`.
pub fn snapshot(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open the database with rusqlite");
    let mut out = String::new();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version");
    out.push_str(&format!("user_version {version}\n"));
    let tables: Vec<String> = {
        let mut stmt = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table'
                 AND name <> 'audit_events' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .expect("list tables");
        stmt.query_map([], |r| r.get(0))
            .expect("list tables")
            .collect::<Result<_, _>>()
            .expect("table names")
    };
    for t in tables {
        out.push_str(&format!("table {t}\n"));
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY rowid"))
            .expect("select rows");
        let n = stmt.column_count();
        let mut rows = stmt.query([]).expect("query rows");
        while let Some(r) = rows.next().expect("next row") {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).expect("cell")))
                .collect();
            out.push_str(&cells.join(" | "));
            out.push('\n');
        }
    }
    out
}

/// Deterministic pseudo-random bytes (xorshift), for "not a database" files.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

impl TestDb {
    /// A new temporary folder holding a copy of a database file's bytes,
    /// so a test binary can build a department once and give each test its
    /// own copy. The bytes must be checkpointed (no `-wal` file beside
    /// them), as they are once every connection has closed.
    pub fn from_bytes(bytes: &[u8]) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("socialdesk.db");
        std::fs::write(&path, bytes).expect("copy the database file");
        TestDb {
            dir,
            path,
            login: os_login(),
        }
    }
}

/// Runs `jobs` on a few threads, results in the jobs' order: for tests
/// that start the binary many times over the same database.
pub fn parallel<T: Send, F: FnOnce() -> T + Send>(jobs: Vec<F>) -> Vec<T> {
    let threads = 4;
    let mut slots: Vec<Option<F>> = jobs.into_iter().map(Some).collect();
    let mut results: Vec<Option<T>> = (0..slots.len()).map(|_| None).collect();
    let chunk = slots.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        for (jobs, out) in slots.chunks_mut(chunk).zip(results.chunks_mut(chunk)) {
            s.spawn(move || {
                for (job, slot) in jobs.iter_mut().zip(out.iter_mut()) {
                    *slot = Some((job.take().expect("each job runs once"))());
                }
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}

/// Commands run by a named user against a test database: "chief" is the
/// OS login itself, anyone else acts through `--as`.
pub trait ByUser {
    fn db(&self) -> &TestDb;

    fn cmd(&self, who: &str) -> Command {
        if who == "chief" {
            self.db().cmd()
        } else {
            self.db().as_login(who)
        }
    }

    fn run(&self, who: &str, args: &[&str]) -> std::process::Output {
        self.cmd(who).args(args).output().expect("run socialdesk")
    }

    /// `--json` output of a command `who` runs, which must succeed.
    fn json(&self, who: &str, args: &[&str]) -> Value {
        parse(&succeeds(self.cmd(who).arg("--json").args(args)))
    }

    /// Text output of a command `who` runs, which must succeed.
    fn ok(&self, who: &str, args: &[&str]) -> String {
        succeeds(self.cmd(who).args(args))
    }

    /// Runs a command that must exit `code`; returns stderr.
    fn fails(&self, who: &str, args: &[&str], code: i32) -> String {
        fails(self.cmd(who).args(args), code)
    }
}
