//! Drives the real binary in a real pseudo-terminal through tmux, for the
//! end-to-end TUI tests (`pty_e2e.rs`, `ssh_forced_command.rs`).
//!
//! Every `Tmux` runs its own tmux server on a private socket (`tmux -L`),
//! with `remain-on-exit` on so a finished program's pane, exit status and
//! screen can still be read; dropping it stops the program and the server,
//! also when a test fails.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long a wait lasts before the test fails with the last screen.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// How often the screen is read while waiting.
pub const POLL: Duration = Duration::from_millis(50);

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_socialdesk")
}

/// The binary with nothing taken from the caller's environment that
/// would change what it does.
pub fn cli(db: &Path) -> Command {
    let mut c = Command::new(bin());
    c.env_remove("SOCIALDESK_DB")
        .env_remove("SOCIALDESK_NOW")
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(db);
    c
}

/// Runs the CLI on `db` and returns its stdout; panics unless it exits 0.
pub fn cli_ok(db: &Path, args: &[&str]) -> String {
    let out = cli(db).args(args).output().expect("run socialdesk");
    assert!(
        out.status.success(),
        "`socialdesk {}` exited {:?}\nstdout: {}\nstderr: {}",
        args.join(" "),
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs the CLI with `--json` and parses what it prints.
pub fn cli_json(db: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let text = cli_ok(db, &all);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// A demo county in a new temporary folder: the current OS login is its
/// chief, Dolores Whitfield.
pub fn demo_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("demo.db");
    let out = Command::new(bin())
        .env_remove("SOCIALDESK_NOW")
        .arg("--db")
        .arg(&db)
        .args(["init", "--demo"])
        .output()
        .expect("run socialdesk init --demo");
    assert!(
        out.status.success(),
        "init --demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, db)
}

/// The audit log, oldest first.
pub fn audit_log(db: &Path) -> Vec<Value> {
    match cli_json(db, &["audit", "log"]) {
        Value::Array(events) => events,
        other => panic!("audit log --json is not an array: {other}"),
    }
}

/// The audit events with this action.
pub fn events(db: &Path, action: &str) -> Vec<Value> {
    audit_log(db)
        .into_iter()
        .filter(|e| e["action"] == action)
        .collect()
}

/// An event's `state` column, parsed.
pub fn state(event: &Value) -> Value {
    match &event["state"] {
        Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
        other => other.clone(),
    }
}

/// Whether tmux is installed (CI installs it; see `.ci/run`).
pub fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

pub fn process_alive(pid: u32) -> bool {
    // A zombie has finished; only its exit status is left.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|s| s != "Z" && s != "X"),
        Err(_) => false,
    }
}

/// The exit status of a finished process its parent has not collected:
/// the last field of `/proc/PID/stat` (a wait status), as a shell shows it.
pub fn zombie_status(pid: u32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    if rest.split_whitespace().next()? != "Z" {
        return None;
    }
    let wait: i32 = rest.split_whitespace().last()?.parse().ok()?;
    Some(match wait & 0x7f {
        0 => (wait >> 8) & 0xff,
        signal => 128 + signal,
    })
}

pub fn signal(pid: u32, name: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status();
}

/// Waits up to `limit` for `pid` to end; true when it did.
pub fn wait_gone(pid: u32, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while process_alive(pid) {
        if Instant::now() >= deadline {
            return false;
        }
        sleep(POLL);
    }
    true
}

/// A tmux server of our own holding one session, `S`, whose one pane runs
/// a program in a terminal of a given size.
pub struct Tmux {
    socket: String,
    /// The pane's processes, for the clean-up.
    pids: Vec<u32>,
}

/// The session's name (one per server, so it never clashes).
const S: &str = "S";

impl Tmux {
    /// Starts `argv` (exec'd directly, no shell) in a `cols`×`rows`
    /// terminal, with extra environment `env`.
    pub fn start(name: &str, cols: u16, rows: u16, env: &[(&str, &str)], argv: &[&str]) -> Tmux {
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "sd-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut tmux = Tmux {
            socket,
            pids: Vec::new(),
        };
        let (cols, rows) = (cols.to_string(), rows.to_string());
        let mut args = vec![
            "set-option",
            "-g",
            "remain-on-exit",
            "on",
            ";",
            "new-session",
            "-d",
            "-s",
            S,
            "-x",
            &cols,
            "-y",
            &rows,
        ];
        let env: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        for e in &env {
            args.extend(["-e", e]);
        }
        args.push("--");
        args.extend(argv);
        tmux.run(&args);
        let pid = tmux.display("#{pane_pid}");
        tmux.pids
            .push(pid.parse().unwrap_or_else(|_| panic!("pane pid {pid:?}")));
        tmux
    }

    fn command(&self) -> Command {
        let mut c = Command::new("tmux");
        // The server inherits this environment: keep the caller's
        // settings out of the program under test.
        c.env_remove("TMUX")
            .env_remove("NO_COLOR")
            .env_remove("SOCIALDESK_DB")
            .env_remove("SOCIALDESK_NOW")
            .args(["-u", "-f", "/dev/null", "-L", &self.socket]);
        c
    }

    fn try_run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run tmux")
    }

    /// Runs a tmux command; panics if it fails.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.try_run(args);
        assert!(
            out.status.success(),
            "tmux {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A tmux format about the pane, e.g. `#{alternate_on}`.
    pub fn display(&self, format: &str) -> String {
        self.run(&["display-message", "-p", "-t", S, format])
            .trim()
            .to_string()
    }

    /// The pane's process: the program itself when it was started directly.
    pub fn pid(&self) -> u32 {
        self.pids[0]
    }

    pub fn alternate_screen(&self) -> bool {
        self.display("#{alternate_on}") == "1"
    }

    /// Sends named keys (`Enter`, `Escape`, `Tab`, `BTab`, `q`…).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", S];
        args.extend(keys);
        self.run(&args);
    }

    /// Types text literally.
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", S, "-l", text]);
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.run(&[
            "resize-window",
            "-t",
            S,
            "-x",
            &cols.to_string(),
            "-y",
            &rows.to_string(),
        ]);
    }

    /// The visible screen as text (with its styles as escape sequences
    /// when `styled`), and whether the program has ended.
    fn snapshot(&self, styled: bool) -> (String, bool) {
        let mut args = vec!["capture-pane", "-p"];
        if styled {
            args.push("-e");
        }
        args.extend([
            "-t",
            S,
            ";",
            "display-message",
            "-p",
            "-t",
            S,
            "#{pane_dead}",
        ]);
        let out = self.run(&args);
        let out = out.trim_end_matches('\n');
        let (screen, dead) = out.rsplit_once('\n').unwrap_or(("", out));
        (screen.to_string(), dead.trim() == "1")
    }

    /// The visible screen as text (trailing spaces trimmed by tmux).
    pub fn screen(&self) -> String {
        self.snapshot(false).0
    }

    /// The screen with its styles as escape sequences (`capture-pane -e`).
    pub fn styled_screen(&self) -> String {
        self.snapshot(true).0
    }

    /// Everything the pane showed, scrollback included.
    pub fn history(&self) -> String {
        self.run(&["capture-pane", "-p", "-S", "-", "-E", "-", "-t", S])
    }

    /// Reads the screen every 50 ms until `ok` holds for it, and returns
    /// it; fails with the last screen after 10 s, or at once if the
    /// program ended.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        self.poll(false, what, ok)
    }

    /// `wait_until` on the screen with its styles (`styled_screen`).
    pub fn wait_until_styled(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        self.poll(true, what, ok)
    }

    fn poll(&self, styled: bool, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let (screen, dead) = self.snapshot(styled);
            if ok(&screen) {
                return screen;
            }
            let shown = if styled {
                format!("{screen:?}")
            } else {
                screen
            };
            if dead {
                panic!(
                    "the program ended (status {}) while waiting for {what}; last screen:\n{shown}",
                    self.display("#{pane_dead_status}")
                );
            }
            if Instant::now() >= deadline {
                panic!("timed out after {TIMEOUT:?} waiting for {what}; last screen:\n{shown}");
            }
            sleep(POLL);
        }
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits until the screen shows every one of `texts`.
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?}"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Waits until `text` is no longer on the screen.
    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} to go away"), |s| !s.contains(text))
    }

    /// Waits for the program to end and returns its exit status.
    pub fn wait_exit(&self) -> i32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let (screen, dead) = self.snapshot(false);
            // tmux sees the terminal close a moment before it collects
            // the exit status, and now and then (tmux 3.3a, about one
            // run in twenty) never collects it: the process then stays a
            // zombie whose status /proc still shows.
            if dead {
                if let Ok(status) = self.display("#{pane_dead_status}").parse() {
                    return status;
                }
                if let Some(status) = zombie_status(self.pid()) {
                    return status;
                }
            }
            if Instant::now() >= deadline {
                panic!(
                    "the program did not end within {TIMEOUT:?} ({}); last screen:\n{screen}",
                    self.describe()
                );
            }
            sleep(POLL);
        }
    }
}

impl Tmux {
    /// The pane's and its process's state, for failure messages.
    pub fn describe(&self) -> String {
        let pid = self.pid();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
        format!(
            "pane {}; process {pid}: {} wchan {wchan}",
            self.display("dead=#{pane_dead} status=#{pane_dead_status}"),
            stat.rsplit_once(')')
                .map(|(_, r)| r.trim())
                .unwrap_or("gone"),
        )
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // A program still running is asked to end while its terminal is
        // still there (SIGTERM ends a session cleanly); only then the
        // server goes, and anything left is killed.
        for &pid in &self.pids {
            if process_alive(pid) {
                signal(pid, "TERM");
                wait_gone(pid, Duration::from_secs(2));
            }
        }
        let _ = self.try_run(&["kill-server"]);
        for &pid in &self.pids {
            if process_alive(pid) && !wait_gone(pid, Duration::from_secs(1)) {
                signal(pid, "KILL");
            }
        }
    }
}

/// The screen's lines joined by spaces, runs of spaces collapsed: for
/// text that a narrow screen wraps.
pub fn flat(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first line holding `text`.
pub fn line_with<'a>(screen: &'a str, text: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(text))
}

/// The selected row of a list (marked with the `▶` glyph).
pub fn selected_row(screen: &str) -> Option<&str> {
    screen.lines().find(|l| l.trim_start().starts_with('▶'))
}

/// The status line: the one above the footer, the screen's last.
pub fn status_line(screen: &str) -> &str {
    let lines: Vec<&str> = screen.lines().collect();
    lines.len().checked_sub(2).map_or("", |i| lines[i])
}

/// The row right below a table's column header (the line holding `header`).
pub fn first_row<'a>(screen: &'a str, header: &str) -> Option<&'a str> {
    let mut lines = screen.lines().skip_while(|l| !l.contains(header));
    lines.next()?;
    lines.next()
}

/// The text shown in reverse video on a styled line (`capture-pane -e`):
/// how the tab bar marks the current tab.
pub fn reversed_text(styled_line: &str) -> String {
    let mut out = String::new();
    let mut reverse = false;
    let mut rest = styled_line;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("\x1b[") {
            let end = after
                .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
                .unwrap_or(after.len());
            if after[end..].starts_with('m') {
                let mut params = after[..end].split(';');
                while let Some(p) = params.next() {
                    match p {
                        "" | "0" | "27" => reverse = false,
                        "7" => reverse = true,
                        // A colour's own numbers are not attributes.
                        "38" | "48" | "58" => {
                            let skip = if params.next() == Some("2") { 3 } else { 1 };
                            params.nth(skip - 1);
                        }
                        _ => {}
                    }
                }
            }
            rest = after.get(end + 1..).unwrap_or("");
            continue;
        }
        if reverse {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out.trim().to_string()
}

/// Whether an SGR escape sequence in `styled` sets a colour (foreground or
/// background), as opposed to bold, reverse and the like.
pub fn sets_colour(styled: &str) -> bool {
    let mut rest = styled;
    while let Some(at) = rest.find("\x1b[") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':')) else {
            break;
        };
        if rest[end..].starts_with('m') {
            let colour = rest[..end].split([';', ':']).any(|p| {
                matches!(
                    p.parse::<u32>(),
                    Ok(30..=37 | 38 | 40..=47 | 48 | 90..=97 | 100..=107)
                )
            });
            if colour {
                return true;
            }
        }
        rest = &rest[end..];
    }
    false
}
