//! The terminal guard: raw mode, alternate screen and a buffered writer on
//! the way in; everything restored on the way out, whether by quit, error,
//! panic or signal (a dropped SSH link sends SIGHUP).

use std::io::{self, BufWriter, Stdout, Write};
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, BeginSynchronizedUpdate, EndSynchronizedUpdate,
    EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{execute, queue};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

pub type Backend = CrosstermBackend<BufWriter<Stdout>>;

pub struct Guard {
    /// Never dropped: ratatui's `Drop` prints to stderr when it cannot show
    /// the cursor, and on a terminal that hung up that print would panic
    /// before the session could record its end. [`restore`] shows it.
    pub terminal: ManuallyDrop<Terminal<Backend>>,
    /// Set by SIGTERM or SIGHUP; the loop ends the session cleanly.
    pub hangup: Arc<AtomicBool>,
}

fn restore() {
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, Show);
    let _ = out.flush();
}

impl Guard {
    pub fn enter() -> io::Result<Guard> {
        let hangup = Arc::new(AtomicBool::new(false));
        for signal in [
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
            signal_hook::consts::SIGINT,
        ] {
            signal_hook::flag::register(signal, Arc::clone(&hangup))?;
        }
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        enable_raw_mode()?;
        let mut out = io::stdout();
        if let Err(e) = execute!(out, EnterAlternateScreen, Hide, EnableBracketedPaste) {
            restore();
            return Err(e);
        }
        let backend = CrosstermBackend::new(BufWriter::with_capacity(64 * 1024, io::stdout()));
        let terminal = Terminal::new(backend).inspect_err(|_| restore())?;
        Ok(Guard {
            terminal: ManuallyDrop::new(terminal),
            hangup,
        })
    }

    pub fn hung_up(&self) -> bool {
        self.hangup.load(Ordering::Relaxed)
    }

    /// Draws one frame inside synchronized output, so a slow link never
    /// shows half a frame.
    pub fn draw(&mut self, render: impl FnOnce(&mut ratatui::Frame)) -> io::Result<()> {
        queue!(self.terminal.backend_mut(), BeginSynchronizedUpdate)?;
        self.terminal.draw(render)?;
        queue!(self.terminal.backend_mut(), EndSynchronizedUpdate)?;
        self.terminal.backend_mut().flush()
    }
}

impl Guard {
    /// Hands the terminal to another program (the user's editor) and takes
    /// it back afterwards, redrawing everything.
    pub fn suspended<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let _ = self.terminal.backend_mut().flush();
        restore();
        let out = f();
        let _ = enable_raw_mode();
        let _ = execute!(
            io::stdout(),
            EnterAlternateScreen,
            Hide,
            EnableBracketedPaste
        );
        let _ = self.terminal.clear();
        out
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.terminal.backend_mut().flush();
        restore();
    }
}
