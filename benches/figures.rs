//! Prints the SPEC §9 performance figures on a database made by
//! `gen --employees 100000 --events 1000000` (kept in target/bench-db).
//! Run with `cargo bench --bench figures`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use socialdesk::domain::screening::Rules;
use socialdesk::identity::{self, Session};
use socialdesk::store::roster;
use socialdesk::store::{Me, OpenMode, Store};
use socialdesk::tui::app::App;
use socialdesk::tui::theme::Theme;
use socialdesk::tui::ui;

const BIN: &str = env!("CARGO_BIN_EXE_socialdesk");

fn run(args: &[&str]) {
    let status = Command::new(BIN)
        .args(args)
        .status()
        .expect("socialdesk runs");
    assert!(status.success(), "socialdesk {args:?} failed");
}

/// The benchmark database, generated once.
fn database() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-db");
    let db = dir.join("bench.db");
    if db.exists() {
        return db;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let login = identity::os_login().unwrap();
    let d = db.to_str().unwrap();
    let started = Instant::now();
    run(&[
        "--db",
        d,
        "init",
        "--chief-id",
        "C1",
        "--chief-name",
        "Bench Chief",
        "--chief-login",
        &login,
    ]);
    run(&[
        "--db",
        d,
        "gen",
        "--employees",
        "100000",
        "--drafts",
        "100000",
        "--events",
        "1000000",
        "--seed",
        "7",
    ]);
    eprintln!(
        "generated {} in {:.1} s",
        db.display(),
        started.elapsed().as_secs_f64()
    );
    db
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Time from spawning `command` in an 80×24 pseudo-terminal (util-linux
/// `script`) until `expect` appears in what it prints.
fn time_in_pty(command: &str, expect: &str) -> Duration {
    let started = Instant::now();
    let mut child = Command::new("script")
        .args([
            "-qfec",
            &format!("stty cols 80 rows 24; exec {command}"),
            "/dev/null",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script(1) from util-linux");
    let mut out = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let elapsed = loop {
        let n = out.read(&mut buf).unwrap_or(0);
        if n == 0 {
            panic!(
                "{command} ended before printing {expect:?}: {}",
                String::from_utf8_lossy(&seen)
            );
        }
        seen.extend_from_slice(&buf[..n]);
        if String::from_utf8_lossy(&seen).contains(expect) {
            break started.elapsed();
        }
    };
    let _ = Command::new("pkill")
        .args(["-TERM", "-P", &child.id().to_string()])
        .status();
    let _ = child.kill();
    let _ = child.wait();
    elapsed
}

fn time_process(args: &[&str]) -> Duration {
    let started = Instant::now();
    let out = Command::new(BIN).args(args).output().unwrap();
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

/// Counts the bytes a frame would send down the link.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Sink {
    terminal: Terminal<CrosstermBackend<Counter>>,
    sent: Counter,
}

fn sink(width: u16, height: u16) -> Sink {
    let sent = Counter::default();
    let terminal = Terminal::with_options(
        CrosstermBackend::new(sent.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
        },
    )
    .unwrap();
    Sink { terminal, sent }
}

fn frame(app: &mut App, sink: &mut Sink) -> usize {
    app.prepare().unwrap();
    let before = sink.sent.0.load(Ordering::Relaxed);
    sink.terminal.draw(|f| ui::render(app, f)).unwrap();
    sink.sent.0.load(Ordering::Relaxed) - before
}

fn app(db: &Path, width: u16, height: u16) -> App {
    let mut store = Store::open(db, OpenMode::Existing).unwrap();
    let login = identity::os_login().unwrap();
    let employee = roster::by_login(store.conn(), &login, store.now())
        .unwrap()
        .unwrap();
    let session = Session {
        me: Me {
            employee: employee.id.clone(),
            os_user: login,
        },
        employee,
        acting_as: false,
    };
    store.migrate("bench").unwrap();
    App::new(
        store,
        session,
        Rules::builtin(),
        Theme::COLOR,
        (width, height),
    )
    .unwrap()
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() {
    let db = database();
    let d = db.to_str().unwrap();
    println!("socialdesk figures on {d}");
    println!(
        "machine: {} cores, {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(
                |c| c.lines().find(|l| l.starts_with("model name")).map(|l| l
                    .split(':')
                    .nth(1)
                    .unwrap_or("")
                    .trim()
                    .to_string())
            )
            .unwrap_or_default()
    );

    // First frame against sqlite3 'select 1', both as whole processes in a pty.
    let runs = 15;
    let sqlite = median(
        (0..runs)
            .map(|_| time_in_pty(&format!("sqlite3 {d} 'select 1'"), "1"))
            .collect(),
    );
    let first = median(
        (0..runs)
            .map(|_| time_in_pty(&format!("{BIN} --db {d}"), "employees"))
            .collect(),
    );
    println!("first frame (process, pty): {} (sqlite3 select 1: {}; ratio {:.2}×; target ≤ 2.5× and ≤ 20 ms)",
        ms(first), ms(sqlite), first.as_secs_f64() / sqlite.as_secs_f64());

    // Redraw after a key, and bytes written per one-row move, at 80×24.
    let mut a = app(&db, 80, 24);
    let mut t = sink(80, 24);
    frame(&mut a, &mut t);
    let moves = 2000;
    let mut bytes = 0;
    let started = Instant::now();
    for i in 0..moves {
        key(
            &mut a,
            if i % 40 < 20 {
                KeyCode::Char('j')
            } else {
                KeyCode::Char('k')
            },
        );
        bytes += frame(&mut a, &mut t);
    }
    let per_key = started.elapsed() / moves;
    println!(
        "redraw after a key (80×24 roster, j/k): {} (target ≤ 1 ms)",
        ms(per_key)
    );
    println!(
        "bytes per one-row move (80×24 roster): {} (target ≤ 300)",
        bytes / moves as usize
    );

    // With the card beside the list (120×40): only the changed cells go out.
    let mut wide = app(&db, 120, 40);
    let mut tw = sink(120, 40);
    frame(&mut wide, &mut tw);
    let mut wide_bytes = 0;
    let started = Instant::now();
    for _ in 0..200 {
        key(&mut wide, KeyCode::Char('j'));
        wide_bytes += frame(&mut wide, &mut tw);
    }
    println!(
        "one-row move with the detail pane (120×40): {} and {} bytes",
        ms(started.elapsed() / 200),
        wide_bytes / 200
    );

    // Roster filter: the first '/' builds the index; then each keystroke.
    let started = Instant::now();
    key(&mut a, KeyCode::Char('/'));
    key(&mut a, KeyCode::Char('m'));
    frame(&mut a, &mut t);
    println!(
        "first filter keystroke, building the index over {} names: {}",
        a.roster.list.total(),
        ms(started.elapsed())
    );
    let mut per = Vec::new();
    let mut keys = Vec::new();
    let typed = "aria ng".chars().map(KeyCode::Char);
    for code in typed.chain(std::iter::repeat_n(KeyCode::Backspace, 7)) {
        let started = Instant::now();
        key(&mut a, code);
        keys.push(started.elapsed());
        frame(&mut a, &mut t);
        per.push(started.elapsed());
    }
    eprintln!(
        "  of which matching (the key alone): {:?}",
        keys.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
    println!(
        "roster filter keystroke (100,000 employees): median {}, worst {} (target ≤ 8 ms)",
        ms(median(per.clone())),
        ms(per.iter().copied().max().unwrap_or_default())
    );
    println!(
        "peak memory of this process after the TUI figures: {} MiB (target ≤ 50 MB for the TUI)",
        peak_rss_kib() / 1024
    );
    drop(a);
    drop(wide);

    let list = median(
        (0..15)
            .map(|_| {
                time_process(&[
                    "--db", d, "roster", "list", "--query", "maria", "--limit", "50",
                ])
            })
            .collect(),
    );
    println!(
        "roster list --query maria --limit 50 (process): {} (target ≤ 60 ms)",
        ms(list)
    );

    let verify = time_process(&["--db", d, "audit", "verify"]);
    let events: f64 = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.query_row("SELECT count(*) FROM audit_events", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap() as f64
    };
    println!(
        "audit verify: {} for {} events = {:.2} s per million (target ≤ 2 s)",
        ms(verify),
        events,
        verify.as_secs_f64() / events * 1e6
    );
    let children =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).unwrap();
    println!(
        "peak memory of any socialdesk/sqlite3 child process: {} MiB (target ≤ 50 MB)",
        children.max_rss() / 1024
    );
}
