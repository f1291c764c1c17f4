//! End to end: the real binary in a real pseudo-terminal (tmux), driven by
//! keys as a user would, checked on the screen and in the database
//! (SPEC §8, §1 identity, §6 audit).

mod tui_support;

use std::path::Path;
use std::time::{Duration, Instant};

use tui_support::{
    audit_log, bin, cli_json, cli_ok, demo_db, events, first_row, flat, line_with, reversed_text,
    selected_row, sets_colour, state, status_line, Tmux,
};

const DEPARTMENT: &str = "Sierra Vista County Probation Department";
const CHIEF: &str = "Dolores Whitfield";

/// The TUI on `db` in a `cols`×`rows` terminal, its first frame drawn.
fn open(name: &str, db: &Path, cols: u16, rows: u16, env: &[(&str, &str)]) -> Tmux {
    let db = db.to_str().expect("UTF-8 path");
    let tmux = Tmux::start(name, cols, rows, env, &[bin(), "--db", db]);
    tmux.wait_for_all(&[CHIEF, "Aisha Bello"]);
    tmux
}

/// The contract's tab titles, in order.
const TABS: [&str; 5] = ["Roster", "Drafts", "Credentials", "Cases", "Records"];

/// The current tab's label in the tab bar (the one in reverse video).
fn current_tab(styled: &str) -> String {
    reversed_text(styled.lines().nth(1).unwrap_or_default())
}

/// Waits until the tab bar marks `title` as the current tab, then checks
/// that the body is that tab's; returns the screen.
fn expect_tab(tmux: &Tmux, title: &str) -> String {
    tmux.wait_until_styled(&format!("the {title} tab"), |styled| {
        current_tab(styled).contains(title)
    });
    let screen = tmux.screen();
    let body_ok = match title {
        "Roster" => screen.contains("Rank") && screen.contains("employees"),
        "Records" => screen.contains("Time (UTC)") && screen.contains("Action"),
        // The demo's drafts, or none.
        "Drafts" => screen.contains("No drafts yet") || has_draft_id(&screen),
        _ => !screen.contains("Time (UTC)") && !screen.contains("employees"),
    };
    assert!(body_ok, "the {title} tab's body:\n{screen}");
    screen
}

/// Whether the screen shows a draft's printed id (`D-12`).
fn has_draft_id(screen: &str) -> bool {
    screen
        .match_indices("D-")
        .any(|(i, _)| screen[i + 2..].starts_with(|c: char| c.is_ascii_digit()))
}

#[test]
fn a_session_by_keyboard_from_start_to_quit() {
    let (_dir, db) = demo_db();
    let tmux = open("main", &db, 80, 24, &[]);
    let screen = tmux.screen();
    assert!(
        tmux.alternate_screen(),
        "the TUI runs on the alternate screen"
    );

    // Header: the department (cut to fit beside the user at 80 columns)
    // and the user; the tab bar with the contract titles, in order.
    let mut lines = screen.lines();
    let header = lines.next().unwrap_or_default();
    assert!(
        header.starts_with("Sierra Vista County Probation"),
        "header: {header:?}"
    );
    assert!(header.contains(CHIEF), "header: {header:?}");
    let tab_bar = lines.next().unwrap_or_default();
    let at: Vec<usize> = TABS
        .iter()
        .map(|t| {
            tab_bar
                .find(t)
                .unwrap_or_else(|| panic!("tab {t} missing: {tab_bar:?}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "tab order: {tab_bar:?}");
    expect_tab(&tmux, "Roster");
    let jasmine = line_with(&screen, "Jasmine Carter").expect("Jasmine Carter's row");
    assert!(
        jasmine.contains("P1030") && jasmine.contains("team"),
        "{jasmine}"
    );

    // Tabs by number, Tab and Shift-Tab (both wrap around).
    for (key, tab) in [
        ("2", "Drafts"),
        ("3", "Credentials"),
        ("4", "Cases"),
        ("5", "Records"),
        ("1", "Roster"),
        ("Tab", "Drafts"),
        ("Tab", "Credentials"),
        ("BTab", "Drafts"),
        ("BTab", "Roster"),
        ("BTab", "Records"),
        ("Tab", "Roster"),
        ("5", "Records"),
    ] {
        tmux.keys(&[key]);
        expect_tab(&tmux, tab);
    }
    // Records, newest first: this session on top; the demo's
    // authorizations among the oldest (G: last row; g: first).
    let records = tmux.screen();
    assert!(
        first_row(&records, "Time (UTC)").is_some_and(|r| r.contains("session.start")),
        "{records}"
    );
    tmux.keys(&["G"]);
    let oldest = tmux.wait_until("the oldest events", |s| {
        selected_row(s).is_some_and(|r| r.contains("store.migrate") || r.contains("init"))
    });
    assert!(oldest.contains("roster.authorize"), "{oldest}");
    tmux.keys(&["g"]);
    tmux.wait_until("the newest event selected", |s| {
        selected_row(s).is_some_and(|r| r.contains("session.start"))
    });

    // The roster filter: `/del` puts Maria Delgado first; Enter keeps the
    // filter, Enter again opens her card; Esc closes the card.
    tmux.keys(&["1"]);
    expect_tab(&tmux, "Roster");
    tmux.keys(&["/"]);
    tmux.type_text("del");
    tmux.wait_until("Maria Delgado first for /del", |s| {
        s.contains("/del") && first_row(s, "Flags").is_some_and(|r| r.contains("Maria Delgado"))
    });
    tmux.keys(&["Enter"]);
    let kept = tmux.wait_for("matching \"del\"");
    assert!(
        selected_row(&kept).is_some_and(|r| r.contains("Maria Delgado")),
        "{kept}"
    );
    tmux.keys(&["Enter"]);
    let card = tmux.wait_for_all(&["Team member", "Staff", "P1060"]);
    assert!(card.contains("Maria Delgado"), "{card}");
    tmux.keys(&["Escape"]);
    let list = tmux.wait_gone("Team member");
    assert!(
        first_row(&list, "Flags").is_some_and(|r| r.contains("Maria Delgado")),
        "the filter outlives the card: {list}"
    );

    // Authorize: a confirmation that Enter alone does not answer.
    tmux.keys(&["A"]);
    tmux.wait_for_all(&["Confirm", "Authorize Maria Delgado"]);
    tmux.keys(&["Enter"]);
    let still = tmux.wait_for("answer y (yes) or n (no)");
    assert!(
        still.contains("Authorize Maria Delgado"),
        "the dialog stays: {still}"
    );
    assert_eq!(
        cli_json(&db, &["roster", "show", "P1060"])["team_member"],
        false,
        "Enter must not confirm"
    );
    tmux.keys(&["y"]);
    let done = tmux.wait_for("Maria Delgado is authorized");
    assert!(!done.contains("Confirm"), "{done}");
    assert!(
        status_line(&done).contains("Maria Delgado is authorized for the social media team"),
        "on the status line: {done}"
    );
    tmux.wait_until("the team flag", |s| {
        line_with(s, "P1060").is_some_and(|r| r.contains("team"))
    });

    // Revoke, with a reason typed in the dialog.
    tmux.keys(&["R"]);
    tmux.wait_for("Revoke Maria Delgado's team membership?");
    tmux.type_text("left the team");
    tmux.wait_for("left the team");
    tmux.keys(&["Enter"]);
    let revoked = tmux.wait_for("Maria Delgado's team membership is revoked");
    assert!(
        status_line(&revoked).contains("team membership is revoked"),
        "on the status line: {revoked}"
    );

    // Records, newest first: the revocation, then the authorization.
    tmux.keys(&["5"]);
    let records = expect_tab(&tmux, "Records");
    let mut rows = records
        .lines()
        .skip_while(|l| !l.contains("Time (UTC)"))
        .skip(1);
    let (top, next) = (rows.next().unwrap_or(""), rows.next().unwrap_or(""));
    assert!(
        top.contains("roster.revoke") && top.contains("employee:P1060"),
        "{records}"
    );
    assert!(
        next.contains("roster.authorize") && next.contains("employee:P1060"),
        "{records}"
    );

    // The CLI, in another process, sees the same.
    let maria = cli_json(&db, &["roster", "show", "P1060"]);
    assert_eq!(maria["team_member"], false, "{maria}");
    let revoke = events(&db, "roster.revoke");
    let last = revoke.last().expect("a roster.revoke event");
    assert_eq!(last["entity"], "employee:P1060");
    assert_eq!(state(last)["reason"], "left the team", "{last}");
    cli_ok(&db, &["audit", "verify"]);

    // Help overlay; any key closes it.
    tmux.keys(&["?"]);
    let help = tmux.wait_for_all(&["Help", "this help"]);
    assert!(help.contains("filter as you type"), "{help}");
    tmux.keys(&["z"]);
    tmux.wait_gone("this help");

    // The command line runs a CLI verb and shows its output.
    tmux.keys(&[":"]);
    tmux.wait_for("Enter run");
    tmux.type_text("roster show P1010");
    tmux.wait_for(":roster show P1010");
    tmux.keys(&["Enter"]);
    let output = tmux.wait_for_all(&["Output", "Dana Whitaker"]);
    assert!(output.contains("chief_deputy"), "{output}");
    tmux.keys(&["z"]);
    tmux.wait_gone("Output");

    // Quit: the terminal is restored and the session is on record.
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0);
    assert!(!tmux.alternate_screen(), "left the alternate screen");
    let log = audit_log(&db);
    let start = log
        .iter()
        .position(|e| e["action"] == "session.start")
        .expect("session.start");
    let end = log
        .iter()
        .rposition(|e| e["action"] == "session.end")
        .expect("session.end");
    assert!(start < end);
    assert_eq!(log[start]["actor"], "P1001");
    assert_eq!(state(&log[end])["how"], "quit", "{}", log[end]);
    cli_ok(&db, &["audit", "verify"]);
}

#[test]
fn resizing_below_the_minimum_shows_a_notice_and_recovers() {
    let (_dir, db) = demo_db();
    let tmux = open("resize", &db, 80, 24, &[]);
    // A key first: a resize that comes before the program's event loop
    // reads its first event is lost (see the report: a program bug).
    tmux.keys(&["j"]);
    tmux.wait_until("the selection on the second row", |s| {
        selected_row(s).is_some_and(|r| r.contains("Andre Wallace"))
    });

    tmux.resize(50, 12);
    let notice = tmux.wait_until("the too-small notice", |s| {
        flat(s).contains("needs a terminal of at least 60×16")
    });
    assert!(flat(&notice).contains("50×12"), "{notice}");
    assert!(!notice.contains("Aisha Bello"), "{notice}");

    // Smaller still, then back: nothing crashes.
    tmux.resize(20, 5);
    tmux.wait_until("the notice at 20×5", |s| flat(s).contains("20×5"));
    tmux.resize(100, 30);
    let back = tmux.wait_for_all(&["Andre Wallace", DEPARTMENT, CHIEF]);
    assert!(!flat(&back).contains("needs a terminal"), "{back}");
    assert!(back.contains("Keisha Johnson"), "more rows fit: {back}");

    // Still answering keys, the selection kept.
    tmux.keys(&["j"]);
    tmux.wait_until("the selection on the third row", |s| {
        selected_row(s).is_some_and(|r| r.contains("Brianna Scott"))
    });
    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn another_sessions_change_shows_without_a_key() {
    let (_dir, db) = demo_db();
    let tmux = open("live", &db, 80, 24, &[]);
    tmux.keys(&["/"]);
    tmux.type_text("Maria");
    tmux.wait_until("Maria Delgado first", |s| {
        first_row(s, "Flags").is_some_and(|r| r.contains("Maria Delgado"))
    });
    tmux.keys(&["Enter"]);
    let before = tmux.wait_for("matching \"Maria\"");
    let row = line_with(&before, "Maria Delgado").expect("her row");
    assert!(!row.contains("team"), "{row}");

    cli_ok(&db, &["roster", "authorize", "P1060"]);
    let written = Instant::now();
    tmux.wait_until("the team flag on Maria Delgado's row", |s| {
        line_with(s, "Maria Delgado").is_some_and(|r| r.contains("team"))
    });
    let took = written.elapsed();
    // SPEC §8: within a second; a little slack for a loaded machine.
    assert!(took < Duration::from_millis(1500), "took {took:?}");

    tmux.keys(&["q"]);
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn sighup_ends_the_session_cleanly() {
    let (_dir, db) = demo_db();
    let tmux = open("hup", &db, 80, 24, &[]);
    let pid = tmux.pid();
    // The pane runs the binary itself, so its pid is socialdesk's.
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    assert_eq!(comm.trim(), "socialdesk");
    // The session is on record before the signal.
    let deadline = Instant::now() + Duration::from_secs(10);
    while events(&db, "session.start").is_empty() {
        assert!(Instant::now() < deadline, "no session.start");
        std::thread::sleep(Duration::from_millis(50));
    }

    tui_support::signal(pid, "HUP");
    assert_eq!(tmux.wait_exit(), 0);
    assert!(!tmux.alternate_screen(), "the terminal is restored");
    let end = events(&db, "session.end");
    let end = end.last().expect("session.end after SIGHUP");
    assert_eq!(state(end)["how"], "signal", "{end}");
    cli_ok(&db, &["audit", "verify"]);
}

/// SPEC §8: "a dropped SSH link must not leave a half-written change".
/// When the terminal itself goes away (tmux closes the pty, as sshd does
/// when a link drops), the process must end and record `session.end`.
#[test]
fn a_vanished_terminal_ends_the_session() {
    let (_dir, db) = demo_db();
    let tmux = open("gone", &db, 80, 24, &[]);
    let pid = tmux.pid();
    tmux.run(&["kill-server"]);
    let ended = tui_support::wait_gone(pid, Duration::from_secs(5));
    if !ended {
        tui_support::signal(pid, "KILL");
    }
    assert!(
        ended,
        "socialdesk kept running after its terminal went away"
    );
    let end = events(&db, "session.end");
    assert!(!end.is_empty(), "no session.end");
}

#[test]
fn no_color_marks_the_selection_with_a_glyph_and_uses_no_colour() {
    let (_dir, db) = demo_db();

    // Colour by default (checks that the colour test below can fail).
    let colour = open("colour", &db, 80, 24, &[]);
    assert!(sets_colour(&colour.styled_screen()), "colours by default");
    colour.keys(&["q"]);
    assert_eq!(colour.wait_exit(), 0);
    drop(colour);

    let mono = open("nocolor", &db, 80, 24, &[("NO_COLOR", "1")]);
    let screen = mono.screen();
    let row = selected_row(&screen).unwrap_or_else(|| panic!("no ▶ row: {screen}"));
    assert!(row.contains("Aisha Bello"), "{row}");
    mono.keys(&["j"]);
    mono.wait_until("▶ on the second row", |s| {
        selected_row(s).is_some_and(|r| r.contains("Andre Wallace"))
    });
    let styled = mono.styled_screen();
    assert!(!sets_colour(&styled), "NO_COLOR: no colours:\n{styled:?}");
    mono.keys(&["q"]);
    assert_eq!(mono.wait_exit(), 0);
}
