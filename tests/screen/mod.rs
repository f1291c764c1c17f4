//! A whole App drawn on a `TestBackend`, for screen tests: the demo county
//! as of a fixed day, keys in, screens out.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use socialdesk::demo;
use socialdesk::domain::screening::Rules;
use socialdesk::identity::Session;
use socialdesk::store::roster;
use socialdesk::store::{Clock, Me, OpenMode, Store};
use socialdesk::tui::app::App;
use socialdesk::tui::theme::Theme;
use socialdesk::tui::ui;
use tempfile::TempDir;

pub fn today() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 9, 30, 0).unwrap()
}

pub struct Screen {
    _dir: TempDir,
    /// The database file, for a second session on it.
    pub path: std::path::PathBuf,
    pub app: App,
    pub terminal: Terminal<TestBackend>,
}

impl Screen {
    /// The demo county as of a fixed day, signed in as `login`.
    pub fn new(login: &str, width: u16, height: u16) -> Screen {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        demo::create_at(&path, today(), "chief").unwrap();
        let mut store = Store::open(&path, OpenMode::Existing).unwrap();
        store.clock = Clock::Fixed(today());
        let employee = roster::by_login(store.conn(), login, today())
            .unwrap()
            .unwrap();
        let session = Session {
            me: Me {
                employee: employee.id.clone(),
                os_user: "tester".into(),
            },
            employee,
            acting_as: false,
        };
        let mut app = App::new(
            store,
            session,
            Rules::builtin(),
            Theme::MONO,
            (width, height),
        )
        .unwrap();
        let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        app.external_editor = None;
        let mut screen = Screen {
            _dir: dir,
            path,
            app,
            terminal,
        };
        screen.draw();
        screen
    }

    pub fn draw(&mut self) -> String {
        self.render();
        self.terminal.backend().to_string()
    }

    /// Draws without reading the screen back (TestBackend cannot print a
    /// zero-width buffer).
    pub fn render(&mut self) {
        self.app.prepare().unwrap();
        let app = &self.app;
        self.terminal.draw(|f| ui::render(app, f)).unwrap();
    }

    pub fn key(&mut self, code: KeyCode) -> String {
        self.app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
        self.draw()
    }

    pub fn keys(&mut self, text: &str) -> String {
        for c in text.chars() {
            self.app
                .on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        self.draw()
    }

    pub fn resize(&mut self, width: u16, height: u16) -> String {
        self.terminal.backend_mut().resize(width, height);
        self.app.resize(width, height);
        self.draw()
    }
}
