//! The full-screen console (SPEC §8).

pub mod action;
pub mod app;
pub mod input;
pub mod keymap;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod ui;

use std::io::Write;
use std::time::{Duration, Instant};

use crossterm::event;
use serde_json::json;

use crate::error::{Error, Result};
use crate::identity::Session;
use crate::store::{settings, Store};
use app::App;
use terminal::Guard;
use theme::Theme;

/// How often the loop wakes without a key: to see other sessions' writes
/// (SPEC §8 asks for under a second), signals and the idle timeout.
const TICK: Duration = Duration::from_millis(250);

/// Runs the console until the user quits, the link drops or the session
/// idles out. The terminal is restored on every path.
pub fn run(store: Store, session: Session) -> Result<()> {
    let idle_limit = Duration::from_secs(
        60 * u64::from(settings::number(store.conn(), "idle_timeout_minutes")?.max(1)),
    );
    let me = session.me.clone();
    // A malformed policy override is reported before the screen is taken.
    let rules = crate::cli::rules()?;
    let mut guard =
        Guard::enter().map_err(|e| Error::invalid(format!("cannot open the terminal: {e}")))?;
    let size = guard.terminal.size().map_err(Error::from)?;
    let mut app = App::new(
        store,
        session,
        rules,
        Theme::from_env(),
        (size.width, size.height),
    )?;
    let outcome = event_loop(&mut guard, &mut app, idle_limit);
    drop(guard);
    let how = match &outcome {
        Ok(end) => *end,
        Err(_) => "error",
    };
    app.store
        .record(&me, "session.end", "session", json!({ "how": how }))?;
    match outcome {
        Ok("idle") => {
            let _ = writeln!(
                std::io::stdout(),
                "socialdesk: the session ended after {} minutes without a key",
                idle_limit.as_secs() / 60
            );
            Ok(())
        }
        Ok(_) => Ok(()),
        Err(e) => Err(e),
    }
}

fn event_loop(guard: &mut Guard, app: &mut App, idle_limit: Duration) -> Result<&'static str> {
    let draw = |guard: &mut Guard, app: &mut App| -> Result<()> {
        app.prepare()?;
        guard.draw(|f| ui::render(app, f)).map_err(Error::from)?;
        app.dirty = false;
        Ok(())
    };
    // The first poll installs crossterm's resize handler: a resize before it
    // would be lost.
    event::poll(Duration::ZERO).map_err(Error::from)?;
    app.counts = false;
    draw(guard, app)?;
    app.counts = true;
    // The session-start event follows the first frame (SPEC §9).
    let me = app.session.me.clone();
    app.store.record(
        &me,
        "session.start",
        "session",
        json!({ "acting_as": app.session.acting_as }),
    )?;
    app.records.invalidate();
    draw(guard, app)?;
    let mut last_key = Instant::now();
    loop {
        if guard.hung_up() {
            return Ok("signal");
        }
        if last_key.elapsed() >= idle_limit {
            return Ok("idle");
        }
        if event::poll(TICK).map_err(Error::from)? {
            // Drain everything queued before drawing once (a slow link
            // delivers keys in bursts).
            loop {
                let ev = event::read().map_err(Error::from)?;
                if matches!(ev, event::Event::Key(_)) {
                    last_key = Instant::now();
                }
                app.on_event(ev);
                if app.quit || !event::poll(Duration::ZERO).map_err(Error::from)? {
                    break;
                }
            }
        }
        app.tick()?;
        let size = guard.terminal.size().map_err(Error::from)?;
        if (size.width, size.height) != app.size {
            app.resize(size.width, size.height);
        }
        if app.quit {
            return Ok("quit");
        }
        if let Some(edit) = app.external.take() {
            let result = guard.suspended(|| external_edit(&edit.editor, &edit.text));
            app.edited(edit, result);
            let size = guard.terminal.size().map_err(Error::from)?;
            app.resize(size.width, size.height);
        }
        if app.dirty {
            draw(guard, app)?;
        }
    }
}

/// Runs the user's editor on a temporary file holding `text` and returns
/// what they saved. Only for sessions that may start programs (not `--as`).
fn external_edit(editor: &str, text: &str) -> std::io::Result<String> {
    let file = tempfile::Builder::new()
        .prefix("socialdesk-draft-")
        .suffix(".txt")
        .tempfile()?;
    std::fs::write(file.path(), text)?;
    let mut words = shlex::split(editor).unwrap_or_default();
    if words.is_empty() {
        return Err(std::io::Error::other("the editor command is empty"));
    }
    let program = words.remove(0);
    let status = std::process::Command::new(program)
        .args(words)
        .arg(file.path())
        .status()?;
    if !status.success() {
        return Err(std::io::Error::other(format!("it exited with {status}")));
    }
    std::fs::read_to_string(file.path())
}
