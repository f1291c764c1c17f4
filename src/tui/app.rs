//! The TUI's state and its one update path: a key resolves to an action,
//! one function applies it, and the effects (reads for the next frame) run
//! before drawing. Drawing (`ui`) never touches the database.

use clap::Parser;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde_json::json;

use crate::cli::{self, Cli};
use crate::domain::permission::{self, Permission};
use crate::error::{Error, Result};
use crate::identity::Session;
use crate::store::{roster, settings, Store};
use crate::tui::action::{Action, Tab};
use crate::tui::input::Input;
use crate::tui::keymap::{self, Scope};
use crate::tui::state::dialog::{EmployeeForm, Intent, Layer};
use crate::tui::state::records::RecordsState;
use crate::tui::state::roster::RosterState;
use crate::tui::theme::Theme;
use crate::tui::ui;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub store: Store,
    pub session: Session,
    pub theme: Theme,
    pub tab: Tab,
    pub roster: RosterState,
    pub records: RecordsState,
    pub layers: Vec<Layer>,
    pub message: Option<Message>,
    pub department: String,
    pub size: (u16, u16),
    pub quit: bool,
    /// Something changed since the last frame.
    pub dirty: bool,
    data_version: i64,
}

impl App {
    pub fn new(store: Store, session: Session, theme: Theme, size: (u16, u16)) -> Result<App> {
        let department = settings::get(store.conn(), "department_name")?;
        let data_version = store.data_version()?;
        let mut app = App {
            store,
            session,
            theme,
            tab: Tab::Roster,
            roster: RosterState::default(),
            records: RecordsState::default(),
            layers: Vec::new(),
            message: None,
            department,
            size,
            quit: false,
            dirty: true,
            data_version,
        };
        app.resize(size.0, size.1);
        Ok(app)
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let rows = ui::list_rows(height);
        self.roster.list.set_height(rows);
        self.records.list.set_height(rows);
        self.dirty = true;
    }

    /// Whether the roster shows the card beside the list (wide screens).
    pub fn detail_pane(&self) -> bool {
        ui::wide(self.size.0)
    }

    /// Reads what the next frame needs: only the visible rows, and the
    /// selected employee's card when it is shown.
    pub fn prepare(&mut self) -> Result<()> {
        let now = self.store.now();
        let want_card = self.detail_pane() || self.top_is(|l| matches!(l, Layer::Card));
        let (roster, records) = (&mut self.roster, &mut self.records);
        let tab = self.tab;
        self.store.read(|conn| {
            match tab {
                Tab::Roster => roster.load(conn, now, want_card)?,
                Tab::Records => records.load(conn)?,
                _ => {}
            }
            Ok(())
        })
    }

    /// Picks up other sessions' writes (SPEC §8: within a second, no key pressed).
    pub fn tick(&mut self) -> Result<()> {
        let version = self.store.data_version()?;
        if version != self.data_version {
            self.data_version = version;
            self.reload()?;
        }
        Ok(())
    }

    fn reload(&mut self) -> Result<()> {
        self.roster.invalidate();
        self.records.invalidate();
        self.department = settings::get(self.store.conn(), "department_name")?;
        if let Some(me) = roster::find(
            self.store.conn(),
            &self.session.me.employee,
            self.store.now(),
        )? {
            self.session.employee = me;
        }
        self.dirty = true;
        Ok(())
    }

    fn top_is(&self, f: impl Fn(&Layer) -> bool) -> bool {
        self.layers.last().is_some_and(f)
    }

    /// Whether an unsaved form is open (quitting then asks first).
    pub fn unsaved_input(&self) -> bool {
        self.layers
            .iter()
            .any(|l| matches!(l, Layer::Form(f) if f.dirty()))
    }

    fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    fn fail(&mut self, e: &Error) {
        self.message = Some(Message {
            text: e.to_string(),
            error: true,
        });
    }

    /// The scopes whose keys work here and now (footer, help, resolver).
    pub fn scopes(&self) -> Vec<Scope> {
        match (self.layers.last(), self.tab) {
            (Some(Layer::Card), _) | (None, Tab::Roster) => {
                vec![Scope::Roster, Scope::List, Scope::Global]
            }
            (None, Tab::Records) | (Some(Layer::Event), _) => vec![Scope::List, Scope::Global],
            _ => vec![Scope::Global],
        }
    }

    pub fn on_event(&mut self, event: Event) {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Event::Paste(text) => self.on_paste(&text),
            Event::Resize(w, h) => self.resize(w, h),
            _ => {}
        }
    }

    fn on_paste(&mut self, text: &str) {
        let input = match self.layers.last_mut() {
            Some(Layer::Reason { input, .. }) | Some(Layer::Command(input)) => input,
            Some(Layer::Form(form)) => form.focused(),
            Some(Layer::Filter) => match self.roster.filter.as_mut() {
                Some(f) => f,
                None => return,
            },
            _ => return,
        };
        input.insert(text);
        self.dirty = true;
        if self.top_is(|l| matches!(l, Layer::Filter)) {
            self.refilter();
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        self.dirty = true;
        self.message = None;
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return;
        }
        match self.layers.last_mut() {
            Some(Layer::Help) | Some(Layer::Output(_)) => {
                self.layers.pop();
            }
            Some(Layer::Confirm(intent)) => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    let intent = intent.clone();
                    self.layers.pop();
                    self.execute(intent, None);
                }
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                    self.layers.pop();
                    self.say("cancelled: nothing was changed");
                }
                _ => self.say("answer y (yes) or n (no)"),
            },
            Some(Layer::Reason { intent, input }) => match key.code {
                KeyCode::Enter if input.text().trim().is_empty() => {
                    self.fail(&Error::invalid("a reason is required"));
                }
                KeyCode::Enter => {
                    let (intent, reason) = (intent.clone(), input.text().trim().to_string());
                    self.layers.pop();
                    self.execute(intent, Some(reason));
                }
                KeyCode::Esc => {
                    self.layers.pop();
                    self.say("cancelled: nothing was changed");
                }
                _ => {
                    input.edit(&key);
                }
            },
            Some(Layer::Form(form)) => {
                let ctrl_s =
                    key.code == KeyCode::Char('s') && key.modifiers.contains(KeyModifiers::CONTROL);
                match key.code {
                    _ if ctrl_s => self.save_form(),
                    KeyCode::Esc if form.dirty() => {
                        self.layers.push(Layer::Confirm(Intent::DiscardForm))
                    }
                    KeyCode::Esc => {
                        self.layers.pop();
                    }
                    KeyCode::Tab | KeyCode::Down => form.next(),
                    KeyCode::BackTab | KeyCode::Up => form.prev(),
                    KeyCode::Enter if form.on_last() => self.save_form(),
                    KeyCode::Enter => form.next(),
                    _ => {
                        form.focused().edit(&key);
                    }
                }
            }
            Some(Layer::Command(input)) => match key.code {
                KeyCode::Enter => {
                    let line = input.text().to_string();
                    self.layers.pop();
                    self.run_command(&line);
                }
                KeyCode::Esc => {
                    self.layers.pop();
                }
                _ => {
                    input.edit(&key);
                }
            },
            Some(Layer::Filter) => match key.code {
                KeyCode::Enter => {
                    self.layers.pop();
                }
                KeyCode::Esc => {
                    self.layers.pop();
                    self.roster.clear_filter();
                }
                KeyCode::Down => self.apply(Action::Down),
                KeyCode::Up => self.apply(Action::Up),
                _ => {
                    if let Some(f) = self.roster.filter.as_mut() {
                        if f.edit(&key) {
                            self.refilter();
                        }
                    }
                }
            },
            _ => {
                if let Some(action) = keymap::resolve(&self.scopes(), &key) {
                    self.apply(action);
                }
            }
        }
    }

    fn refilter(&mut self) {
        let (roster, store) = (&mut self.roster, &mut self.store);
        if let Err(e) = store.read(|conn| roster.refilter(conn)) {
            self.fail(&e);
        }
    }

    fn list_move(&mut self, f: impl FnOnce(&mut dyn ListMove)) {
        match self.tab {
            Tab::Roster => f(&mut self.roster.list),
            Tab::Records => f(&mut self.records.list),
            _ => {}
        }
    }

    /// Applies one named action: the keys and the command line both come here.
    pub fn apply(&mut self, action: Action) {
        self.dirty = true;
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.layers.push(Layer::Help),
            Action::CommandLine => self.layers.push(Layer::Command(Input::default())),
            Action::Refresh => {
                if let Err(e) = self.reload() {
                    self.fail(&e);
                }
            }
            Action::NextTab => self.switch(self.tab.next()),
            Action::PrevTab => self.switch(self.tab.prev()),
            Action::GoTab(tab) => self.switch(tab),
            Action::Up => self.list_move(|l| l.by(-1)),
            Action::Down => self.list_move(|l| l.by(1)),
            Action::Top => self.list_move(|l| l.to(0)),
            Action::Bottom => self.list_move(|l| l.to(usize::MAX)),
            Action::PageUp => self.list_move(|l| l.by_pages(-1)),
            Action::PageDown => self.list_move(|l| l.by_pages(1)),
            Action::Filter => match self.tab {
                Tab::Roster => {
                    self.layers.retain(|l| !matches!(l, Layer::Card));
                    self.roster.start_filter();
                    self.layers.push(Layer::Filter);
                }
                _ => self.say("the filter works on the Roster tab"),
            },
            Action::Open => {
                let detail = match self.tab {
                    Tab::Roster if self.roster.selected().is_some() => Some(Layer::Card),
                    Tab::Records if self.records.list.selected_row().is_some() => {
                        Some(Layer::Event)
                    }
                    _ => None,
                };
                if let Some(layer) = detail {
                    if self.layers.is_empty() {
                        self.layers.push(layer);
                    }
                }
            }
            Action::Back => {
                if self.layers.pop().is_none() && self.roster.filtering() && self.tab == Tab::Roster
                {
                    self.roster.clear_filter();
                }
            }
            Action::AddEmployee => {
                if self.allowed(Permission::EditRoster, "roster.add") {
                    self.layers.push(Layer::Form(EmployeeForm::new_employee()));
                }
            }
            Action::EditEmployee => {
                if let Some(e) = self.roster.selected().cloned() {
                    if self.allowed(Permission::EditRoster, "roster.edit") {
                        self.layers.push(Layer::Form(EmployeeForm::edit(&e)));
                    }
                }
            }
            Action::Authorize => {
                self.about_selected(|id, name| Intent::Authorize { id, name }, true)
            }
            Action::Revoke => self.about_selected(|id, name| Intent::Revoke { id, name }, false),
            Action::Separate => self.about_selected(|id, name| Intent::Separate { id, name }, true),
            Action::Delegate => self.about_selected(|id, name| Intent::Delegate { id, name }, true),
            Action::Undelegate => self.layers.push(Layer::Confirm(Intent::Undelegate)),
        }
    }

    fn switch(&mut self, tab: Tab) {
        self.layers.clear();
        self.tab = tab;
    }

    /// Opens the confirmation (or, for a revocation, the reason) for the
    /// selected employee.
    fn about_selected(&mut self, intent: impl FnOnce(String, String) -> Intent, confirm: bool) {
        let Some(e) = self.roster.selected() else {
            self.say("select an employee first");
            return;
        };
        let intent = intent(e.id.clone(), e.name.clone());
        self.layers.push(if confirm {
            Layer::Confirm(intent)
        } else {
            Layer::Reason {
                intent,
                input: Input::default(),
            }
        });
    }

    /// Checks a permission before opening a form, so no one types a whole
    /// form only to be refused; the refusal is recorded like any other.
    fn allowed(&mut self, what: Permission, action: &str) -> bool {
        let verdict = match self.store.actor(&self.session.me) {
            Ok(Some(actor)) => permission::check(&actor, what),
            Ok(None) => Err(Error::refused("refused: you are no longer on the roster")),
            Err(e) => Err(e),
        };
        match verdict {
            Ok(()) => true,
            Err(e) => {
                if let Error::Refused(reason) = &e {
                    let _ = self.store.record(
                        &self.session.me,
                        "refused",
                        "roster",
                        json!({ "attempted": action, "reason": reason }),
                    );
                    self.records.invalidate();
                }
                self.fail(&e);
                false
            }
        }
    }

    fn execute(&mut self, intent: Intent, reason: Option<String>) {
        let me = self.session.me.clone();
        let store = &mut self.store;
        let done = match intent {
            Intent::Authorize { id, name } => roster::authorize(store, &me, &id, None)
                .map(|_| format!("{name} is authorized for the social media team")),
            Intent::Revoke { id, name } => {
                roster::revoke(store, &me, &id, reason.as_deref().unwrap_or_default())
                    .map(|_| format!("{name}'s team membership is revoked"))
            }
            Intent::Separate { id, name } => roster::separate(store, &me, &id, None)
                .map(|_| format!("{name}'s separation is recorded; team authorization ended")),
            Intent::Delegate { id, name } => roster::delegate(store, &me, &id)
                .map(|_| format!("{name} now holds the delegation")),
            Intent::Undelegate => roster::undelegate(store, &me).map(|holder| {
                format!(
                    "the delegation is revoked from {}",
                    holder.unwrap_or_default()
                )
            }),
            Intent::DiscardForm => {
                self.layers.retain(|l| !matches!(l, Layer::Form(_)));
                Ok("the form was discarded".to_string())
            }
        };
        self.finish(done);
    }

    fn finish(&mut self, done: Result<String>) {
        match done {
            Ok(text) => self.say(text),
            Err(e) => self.fail(&e),
        }
        self.roster.invalidate();
        self.records.invalidate();
    }

    fn save_form(&mut self) {
        let Some(Layer::Form(form)) = self.layers.last() else {
            return;
        };
        let me = self.session.me.clone();
        let saved = match &form.editing {
            None => roster::add(&mut self.store, &me, form.new_employee_value()),
            Some(id) => roster::edit(&mut self.store, &me, id, form.edit_value()),
        };
        match saved {
            Ok(e) => {
                self.layers.pop();
                self.finish(Ok(format!("saved {} ({})", e.name, e.id)));
            }
            Err(e) => {
                if let Some(Layer::Form(form)) = self.layers.last_mut() {
                    form.error = Some(e.to_string());
                }
                self.records.invalidate();
            }
        }
    }

    /// The `:` command line: an action's name, or any CLI verb.
    pub fn run_command(&mut self, line: &str) {
        let Some(words) = shlex::split(line) else {
            self.fail(&Error::invalid("unbalanced quotes"));
            return;
        };
        match words.as_slice() {
            [] => return,
            [one] => {
                if let Some(action) = keymap::by_name(one.trim_start_matches(':')) {
                    self.apply(action);
                    return;
                }
                if one == "q" {
                    self.apply(Action::Quit);
                    return;
                }
            }
            _ => {}
        }
        let parsed = Cli::try_parse_from(std::iter::once("socialdesk".to_string()).chain(words));
        let cli = match parsed {
            Ok(cli) => cli,
            Err(e) => {
                let text = e.to_string();
                let first = text
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("error: ");
                self.fail(&Error::invalid(format!(
                    "{first} (try :help, or a verb like :roster show ID)"
                )));
                return;
            }
        };
        if cli.db.is_some() || cli.as_login.is_some() || cli.demo {
            self.fail(&Error::refused(
                "refused: --db, --as and --demo are fixed for this session",
            ));
            return;
        }
        let Some(command) = cli.command else {
            return;
        };
        let mut out = Vec::new();
        let result = cli::run(&mut self.store, &self.session, command, cli.json, &mut out);
        let text = String::from_utf8_lossy(&out).trim_end().to_string();
        match result {
            Ok(()) if text.lines().count() > 1 => {
                self.layers.push(Layer::Output(text));
                self.roster.invalidate();
                self.records.invalidate();
            }
            Ok(()) => self.finish(Ok(text)),
            Err(e) => self.finish(Err(e)),
        }
    }
}

/// Moving a selection, whatever the list holds.
trait ListMove {
    fn by(&mut self, delta: isize);
    fn to(&mut self, index: usize);
    fn by_pages(&mut self, pages: isize);
}

impl<T> ListMove for crate::tui::state::list::ListState<T> {
    fn by(&mut self, delta: isize) {
        self.move_by(delta);
    }
    fn to(&mut self, index: usize) {
        self.select(index);
    }
    fn by_pages(&mut self, pages: isize) {
        self.move_by(pages * self.page());
    }
}
