//! The TUI's state and its one update path: a key resolves to an action,
//! one function applies it, and the effects (reads for the next frame) run
//! before drawing. Drawing (`ui`) never touches the database.

use clap::Parser;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde_json::json;

use crate::cli::{self, Cli};
use crate::domain::case::Step as CaseStep;
use crate::domain::credential::Step;
use crate::domain::permission::Permission;
use crate::domain::screening::Rules;
use crate::error::{Error, Result};
use crate::identity::Session;
use crate::store::cases::{self, Link, NewCase, Work};
use crate::store::credentials;
use crate::store::drafts::{self, MediaInput, NewDraft, Verdict};
use crate::store::{roster, settings, Store};
use crate::tui::action::{Action, Tab};
use crate::tui::input::Input;
use crate::tui::keymap::{self, Scope};
use crate::tui::state::cases::CasesState;
use crate::tui::state::credentials::CredState;
use crate::tui::state::dialog::{DraftHeading, EditTarget, Editor, Form, FormKind, Intent, Layer};
use crate::tui::state::drafts::DraftsState;
use crate::tui::state::records::RecordsState;
use crate::tui::state::roster::RosterState;
use crate::tui::theme::Theme;
use crate::tui::ui;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// Text to edit in the user's own editor; the loop suspends the screen,
/// runs it, and hands the result back to [`App::edited`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalEdit {
    pub editor: String,
    pub target: EditTarget,
    pub text: String,
}

pub struct App {
    pub store: Store,
    pub session: Session,
    /// The screening rules in force for this session.
    pub rules: Rules,
    pub theme: Theme,
    pub tab: Tab,
    pub roster: RosterState,
    pub drafts: DraftsState,
    pub credentials: CredState,
    pub cases: CasesState,
    pub records: RecordsState,
    pub layers: Vec<Layer>,
    pub message: Option<Message>,
    pub department: String,
    pub size: (u16, u16),
    pub quit: bool,
    /// Something changed since the last frame.
    pub dirty: bool,
    /// `$VISUAL` or `$EDITOR`, never in a session running with `--as`
    /// (SPEC §1: such a session never starts another program).
    pub external_editor: Option<String>,
    /// An edit waiting for the loop to run the external editor.
    pub external: Option<ExternalEdit>,
    /// How far the help overlay's list of tab keys is scrolled.
    pub help_scroll: u16,
    /// Whether the tab titles carry their counts; off for the first frame,
    /// which shows the roster as fast as it can (SPEC §9).
    pub counts: bool,
    data_version: i64,
}

fn editor_from_env(acting_as: bool) -> Option<String> {
    if acting_as {
        return None;
    }
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
}

impl App {
    pub fn new(
        store: Store,
        session: Session,
        rules: Rules,
        theme: Theme,
        size: (u16, u16),
    ) -> Result<App> {
        let department = settings::get(store.conn(), "department_name")?;
        let data_version = store.data_version()?;
        let external_editor = editor_from_env(session.acting_as);
        let mut app = App {
            store,
            session,
            rules,
            theme,
            tab: Tab::Roster,
            roster: RosterState::default(),
            drafts: DraftsState::default(),
            credentials: CredState::default(),
            cases: CasesState::default(),
            records: RecordsState::default(),
            layers: Vec::new(),
            message: None,
            department,
            size,
            quit: false,
            dirty: true,
            external_editor,
            external: None,
            help_scroll: 0,
            counts: true,
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
        self.drafts.list.set_height(ui::split_rows(width, height));
        self.credentials
            .list
            .set_height(ui::split_rows(width, height));
        self.cases.list.set_height(ui::split_rows(width, height));
        self.dirty = true;
    }

    /// Whether the roster shows the card beside the list (wide screens).
    pub fn detail_pane(&self) -> bool {
        ui::wide(self.size.0)
    }

    /// Reads what the next frame needs: only the visible rows, the selected
    /// employee's card when it is shown, and (after the first frame) the
    /// tab titles' counts.
    pub fn prepare(&mut self) -> Result<()> {
        let now = self.store.now();
        let want_card = self.detail_pane() || self.top_is(|l| matches!(l, Layer::Card));
        let me = self.session.me.employee.clone();
        let (roster, drafts, credentials, cases, records) = (
            &mut self.roster,
            &mut self.drafts,
            &mut self.credentials,
            &mut self.cases,
            &mut self.records,
        );
        let (tab, counts) = (self.tab, self.counts);
        self.store.read(|conn| {
            match tab {
                Tab::Roster => roster.load(conn, &me, now, want_card)?,
                Tab::Drafts => drafts.load(conn, &me, now)?,
                Tab::Credentials => credentials.load(conn, &me, now)?,
                Tab::Records => records.load(conn, &me, now)?,
                Tab::Cases => cases.load(conn, &me, now)?,
            }
            if !counts {
                return Ok(());
            }
            drafts.count(conn, &me, now)?;
            cases.count(conn, &me, now)?;
            credentials.count(conn, &me, now)
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
        self.invalidate();
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

    fn invalidate(&mut self) {
        self.roster.invalidate();
        self.drafts.invalidate();
        self.credentials.invalidate();
        self.cases.invalidate();
        self.records.invalidate();
    }

    fn top_is(&self, f: impl Fn(&Layer) -> bool) -> bool {
        self.layers.last().is_some_and(f)
    }

    /// Whether an unsaved form or text is open (quitting then asks first).
    pub fn unsaved_input(&self) -> bool {
        self.layers.iter().any(|l| match l {
            Layer::Form(f) => f.dirty(),
            Layer::Editor(e) => e.dirty(),
            _ => false,
        })
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
            (Some(Layer::Draft), _) | (None, Tab::Drafts) => {
                vec![Scope::Drafts, Scope::List, Scope::Global]
            }
            (None, Tab::Credentials) => vec![Scope::Credentials, Scope::List, Scope::Global],
            (Some(Layer::Case), _) | (None, Tab::Cases) => {
                vec![Scope::Cases, Scope::List, Scope::Global]
            }
            (None, Tab::Records) | (Some(Layer::Event), _) => {
                vec![Scope::Records, Scope::List, Scope::Global]
            }
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
        self.dirty = true;
        let input = match self.layers.last_mut() {
            Some(Layer::Editor(editor)) => {
                editor.area.insert_str(text);
                return;
            }
            Some(Layer::Reason { input, .. }) | Some(Layer::Command(input)) => input,
            Some(Layer::Form(form)) => form.focused(),
            Some(Layer::Filter) => match self.filter_input() {
                Some(f) => f,
                None => return,
            },
            _ => return,
        };
        input.insert(text);
        if self.top_is(|l| matches!(l, Layer::Filter)) {
            self.refilter();
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        self.dirty = true;
        self.message = None;
        // Keys arrive in bursts over a slow link: a key after a tab switch
        // must find that tab's rows loaded, not wait for the next frame.
        if let Err(e) = self.prepare() {
            self.fail(&e);
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if key.code == KeyCode::Char('c') && ctrl {
            // Quitting asks only when a form or a text has unsaved input.
            if self.unsaved_input() && !self.top_is(|l| matches!(l, Layer::Confirm(_))) {
                self.layers.push(Layer::Confirm(Intent::QuitUnsaved));
            } else {
                self.quit = true;
            }
            return;
        }
        match self.layers.last_mut() {
            Some(Layer::Help) if matches!(key.code, KeyCode::Char('j') | KeyCode::Down) => {
                self.help_scroll = self.help_scroll.saturating_add(1);
            }
            Some(Layer::Help) if matches!(key.code, KeyCode::Char('k') | KeyCode::Up) => {
                self.help_scroll = self.help_scroll.saturating_sub(1);
            }
            Some(Layer::Help) | Some(Layer::Output(_)) => {
                self.help_scroll = 0;
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
                    self.fail(&Error::invalid("an answer is required (Esc cancels)"));
                }
                KeyCode::Enter => {
                    let (intent, answer) = (intent.clone(), input.text().trim().to_string());
                    self.layers.pop();
                    self.execute(intent, Some(answer));
                }
                KeyCode::Esc => {
                    self.layers.pop();
                    self.say("cancelled: nothing was changed");
                }
                _ => {
                    input.edit(&key);
                }
            },
            Some(Layer::Form(form)) => match key.code {
                KeyCode::Char('s') if ctrl => self.save_form(),
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
            },
            Some(Layer::Editor(editor)) => match key.code {
                KeyCode::Char('s') if ctrl => self.save_editor(),
                KeyCode::Esc if editor.dirty() => {
                    self.layers.push(Layer::Confirm(Intent::DiscardEditor))
                }
                KeyCode::Esc => {
                    self.layers.pop();
                }
                _ => {
                    editor.area.input(key);
                }
            },
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
                    self.clear_filter();
                }
                KeyCode::Down => self.apply(Action::Down),
                KeyCode::Up => self.apply(Action::Up),
                _ => {
                    if let Some(f) = self.filter_input() {
                        if f.edit(&key) {
                            self.refilter();
                        }
                    }
                }
            },
            Some(Layer::Draft) if matches!(key.code, KeyCode::Char('j') | KeyCode::Down) => {
                self.drafts.scroll = self.drafts.scroll.saturating_add(1);
            }
            Some(Layer::Draft) if matches!(key.code, KeyCode::Char('k') | KeyCode::Up) => {
                self.drafts.scroll = self.drafts.scroll.saturating_sub(1);
            }
            Some(Layer::Case) if matches!(key.code, KeyCode::Char('j') | KeyCode::Down) => {
                self.cases.scroll = self.cases.scroll.saturating_add(1);
            }
            Some(Layer::Case) if matches!(key.code, KeyCode::Char('k') | KeyCode::Up) => {
                self.cases.scroll = self.cases.scroll.saturating_sub(1);
            }
            _ => {
                if let Some(action) = keymap::resolve(&self.scopes(), &key) {
                    self.apply(action);
                }
            }
        }
    }

    /// The text the `/` filter edits on this tab.
    fn filter_input(&mut self) -> Option<&mut Input> {
        match self.tab {
            Tab::Roster => self.roster.filter.as_mut(),
            Tab::Credentials => self.credentials.account.as_mut(),
            Tab::Records => self.records.filter.as_mut(),
            _ => None,
        }
    }

    /// The `/` filter of the tab in view, as typed.
    pub fn filter(&self) -> Option<&Input> {
        match self.tab {
            Tab::Roster => self.roster.filter.as_ref(),
            Tab::Credentials => self.credentials.account.as_ref(),
            Tab::Records => self.records.filter.as_ref(),
            _ => None,
        }
    }

    fn clear_filter(&mut self) {
        match self.tab {
            Tab::Roster => self.roster.clear_filter(),
            Tab::Credentials => {
                self.credentials.account = None;
                self.credentials.invalidate();
            }
            Tab::Records => {
                self.records.filter = None;
                self.records.list.select(0);
                self.records.invalidate();
            }
            _ => {}
        }
    }

    fn refilter(&mut self) {
        match self.tab {
            Tab::Credentials => {
                self.credentials.list.select(0);
                self.credentials.invalidate();
            }
            Tab::Records => {
                self.records.list.select(0);
                self.records.invalidate();
            }
            _ => {
                let (roster, store) = (&mut self.roster, &mut self.store);
                if let Err(e) = store.read(|conn| roster.refilter(conn)) {
                    self.fail(&e);
                }
            }
        }
    }

    fn list_move(&mut self, f: impl FnOnce(&mut dyn ListMove)) {
        match self.tab {
            Tab::Roster => f(&mut self.roster.list),
            Tab::Drafts => {
                f(&mut self.drafts.list);
                self.drafts.finding = 0;
                self.drafts.scroll = 0;
            }
            Tab::Credentials => f(&mut self.credentials.list),
            Tab::Records => f(&mut self.records.list),
            Tab::Cases => {
                f(&mut self.cases.list);
                self.cases.scroll = 0;
            }
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
            Action::Filter => {
                self.layers.retain(|l| !matches!(l, Layer::Card));
                match self.tab {
                    Tab::Credentials => {
                        self.credentials.account.get_or_insert_with(Input::default);
                    }
                    Tab::Records => {
                        self.records.filter.get_or_insert_with(Input::default);
                    }
                    _ => self.roster.start_filter(),
                }
                self.layers.push(Layer::Filter);
            }
            Action::Open => {
                let detail = match self.tab {
                    Tab::Roster if self.roster.selected().is_some() => Some(Layer::Card),
                    Tab::Drafts if self.drafts.selected().is_some() => Some(Layer::Draft),
                    Tab::Cases if self.cases.selected().is_some() => Some(Layer::Case),
                    Tab::Records if self.records.list.selected_row().is_some() => {
                        Some(Layer::Event)
                    }
                    _ => None,
                };
                if let Some(layer) = detail {
                    if self.layers.is_empty() {
                        self.drafts.scroll = 0;
                        self.cases.scroll = 0;
                        if matches!(layer, Layer::Case) {
                            self.record_case_view();
                        }
                        self.layers.push(layer);
                    }
                }
            }
            Action::Back => {
                if self.layers.pop().is_none() {
                    self.clear_filter();
                }
            }
            Action::AddEmployee => {
                if self.allowed(Permission::EditRoster, "roster.add") {
                    self.layers.push(Layer::Form(Form::new_employee()));
                }
            }
            Action::EditEmployee => {
                if let Some(e) = self.roster.selected().cloned() {
                    if self.allowed(Permission::EditRoster, "roster.edit") {
                        self.layers.push(Layer::Form(Form::edit_employee(&e)));
                    }
                }
            }
            Action::Authorize => {
                self.about_employee(|id, name| Intent::Authorize { id, name }, true)
            }
            Action::Revoke => self.about_employee(|id, name| Intent::Revoke { id, name }, false),
            Action::Separate => self.about_employee(|id, name| Intent::Separate { id, name }, true),
            Action::Delegate => self.about_employee(|id, name| Intent::Delegate { id, name }, true),
            Action::Undelegate => self.layers.push(Layer::Confirm(Intent::Undelegate)),
            Action::Approve if self.tab == Tab::Credentials => {
                if let Some(c) = self.credentials.selected() {
                    let done = credentials::step(
                        &mut self.store,
                        &self.session.me,
                        c.number,
                        Step::Approve,
                        None,
                    )
                    .map(|c| format!("{} approved: it may be made now", c.id));
                    self.finish(done);
                }
            }
            Action::Reject if self.tab == Tab::Credentials => {
                self.about_change(|change| Intent::Deny { change }, false)
            }
            Action::Approve => self.approve(),
            Action::Reject => self.about_draft(
                |d, v| Intent::Reject {
                    draft: d,
                    version: v,
                },
                false,
            ),
            Action::RequestChanges => self.about_draft(
                |d, v| Intent::RequestChanges {
                    draft: d,
                    version: v,
                },
                false,
            ),
            Action::Express => self.about_draft(
                |d, v| Intent::Express {
                    draft: d,
                    version: v,
                },
                false,
            ),
            Action::Dismiss => self.dismiss(),
            Action::SubmitDraft => self.about_draft(|d, _| Intent::Submit { draft: d }, true),
            Action::Publish => self.about_draft(|d, _| Intent::Publish { draft: d }, false),
            Action::NoteDraft => self.about_draft(|d, _| Intent::Note { draft: d }, false),
            Action::NewDraft => {
                if self.allowed(Permission::WriteDraft, "draft.new") {
                    let account = self
                        .drafts
                        .selected()
                        .map(|d| d.handle.clone())
                        .unwrap_or_default();
                    self.layers.push(Layer::Form(Form::new_draft(&account)));
                }
            }
            Action::EditDraft => match self.drafts.selected() {
                Some(d) => {
                    let target = EditTarget::Revision { draft: d.number };
                    let text = d.text.clone();
                    self.open_editor(target, &text);
                }
                None => self.say("select a draft first"),
            },
            Action::NextFinding => self.drafts.move_finding(1),
            Action::PrevFinding => self.drafts.move_finding(-1),
            Action::SwitchView if self.tab == Tab::Credentials => {
                self.credentials.switch_view();
                self.say(format!("showing {}", self.credentials.view.title()));
            }
            Action::SwitchView => {
                self.drafts.switch_view();
                self.say(format!("showing {}", self.drafts.view.title()));
            }
            Action::NewRequest | Action::LogExigent => {
                if self.allowed(Permission::RequestCredentialChange, "cred.request") {
                    let account = self
                        .credentials
                        .selected()
                        .map(|c| c.handle.clone())
                        .unwrap_or_default();
                    let exigent = action == Action::LogExigent;
                    self.layers
                        .push(Layer::Form(Form::credential(&account, exigent)));
                }
            }
            Action::Complete => self.about_change(|change| Intent::Complete { change }, true),
            Action::Cancel => self.about_change(|change| Intent::Cancel { change }, true),
            Action::Notify => self.about_change(|change| Intent::Notify { change }, false),
            Action::Acknowledge => self.about_change(|change| Intent::Acknowledge { change }, true),
            Action::OpenCase => self.open_case_form(),
            Action::CaseNote => self.about_case(|case| Intent::CaseNote { case }, false),
            Action::AssignInvestigator => self.about_case(|case| Intent::Assign { case }, false),
            Action::SetDue => self.about_case(|case| Intent::Due { case }, false),
            Action::StartCase => self.about_case(|case| Intent::StartCase { case }, true),
            Action::RecordFinding => self.about_case(|case| Intent::Finding { case }, false),
            Action::CloseCase => self.about_case(|case| Intent::CloseCase { case }, true),
            Action::ReopenCase => self.about_case(|case| Intent::Reopen { case }, false),
            Action::AttachEvidence => self.about_case(|case| Intent::Evidence { case }, false),
            Action::LinkCase => self.about_case(|case| Intent::Link { case }, false),
            Action::ProposeRotations => {
                let due = self.credentials.rotations.len();
                if due == 0 {
                    self.say("no account needs a rotation: no departed member knows a password");
                } else {
                    self.ask(Intent::ProposeRotations { accounts: due }, true);
                }
            }
        }
    }

    fn switch(&mut self, tab: Tab) {
        self.layers.clear();
        self.tab = tab;
    }

    /// Opens the confirmation (or the reason) for the selected employee.
    fn about_employee(&mut self, intent: impl FnOnce(String, String) -> Intent, confirm: bool) {
        let Some(e) = self.roster.selected() else {
            self.say("select an employee first");
            return;
        };
        let intent = intent(e.id.clone(), e.name.clone());
        self.ask(intent, confirm);
    }

    /// Opens the confirmation (or the prompt) for the selected draft.
    fn about_draft(&mut self, intent: impl FnOnce(i64, i64) -> Intent, confirm: bool) {
        let Some(d) = self.drafts.selected() else {
            self.say("select a draft first");
            return;
        };
        let intent = intent(d.number, d.version);
        self.ask(intent, confirm);
    }

    /// Opens the confirmation (or the prompt) for the selected credential change.
    fn about_change(&mut self, intent: impl FnOnce(i64) -> Intent, confirm: bool) {
        let Some(c) = self.credentials.selected() else {
            self.say("select a credential change first");
            return;
        };
        let intent = intent(c.number);
        self.ask(intent, confirm);
    }

    /// Opens the confirmation (or the prompt) for the selected case.
    fn about_case(&mut self, intent: impl FnOnce(String) -> Intent, confirm: bool) {
        let Some(c) = self.cases.selected() else {
            self.say("select a case first");
            return;
        };
        let intent = intent(c.id.clone());
        self.ask(intent, confirm);
    }

    /// The form to open a case; from a draft or a credential change, with
    /// its author (or requester) as the subject and the link filled in.
    fn open_case_form(&mut self) {
        let (subject, link) = match self.tab {
            Tab::Drafts => match self.drafts.selected() {
                Some(d) => (d.author.clone(), d.id.clone()),
                None => return self.say("select a draft first"),
            },
            Tab::Credentials => match self.credentials.selected() {
                Some(c) => (c.requested_by.clone(), c.id.clone()),
                None => return self.say("select a credential change first"),
            },
            _ => (String::new(), String::new()),
        };
        let allowed = self.allowed(
            Permission::WorkCase {
                is_subject: subject == self.session.me.employee,
                is_investigator: false,
            },
            "case.open",
        );
        if allowed {
            self.layers.push(Layer::Form(Form::case(&subject, &link)));
        }
    }

    /// Opening a case's full view is itself a record (SPEC §6).
    fn record_case_view(&mut self) {
        if let Some(c) = self.cases.selected() {
            let id = c.id.clone();
            let _ = self.store.record(
                &self.session.me,
                "case.view",
                &format!("case:{id}"),
                json!({ "id": id }),
            );
            self.records.invalidate();
        }
    }

    fn ask(&mut self, intent: Intent, confirm: bool) {
        self.layers.push(if confirm {
            Layer::Confirm(intent)
        } else {
            Layer::Reason {
                intent,
                input: Input::default(),
            }
        });
    }

    fn approve(&mut self) {
        let Some(d) = self.drafts.selected() else {
            self.say("select a draft first");
            return;
        };
        let (id, version) = (d.number, d.version);
        let done = drafts::decide(
            &mut self.store,
            &self.session.me,
            &self.rules,
            id,
            Verdict::Approve { express: false },
            Some(version),
        )
        .map(|d| format!("{} approved", d.id));
        self.decided(done);
    }

    fn dismiss(&mut self) {
        let Some(d) = self.drafts.selected() else {
            self.say("select a draft first");
            return;
        };
        match d.findings.get(self.drafts.finding) {
            Some(f) => {
                let intent = Intent::Dismiss {
                    draft: d.number,
                    finding: f.n,
                };
                self.ask(intent, false);
            }
            None => self.say(format!("{} has no findings to dismiss", d.id)),
        }
    }

    /// After a decision the selection moves on to the next draft (SPEC §3.3):
    /// in the queue the decided draft leaves, so the same row is the next.
    fn decided(&mut self, done: Result<String>) {
        let ok = done.is_ok();
        self.finish(done);
        if ok && self.drafts.view != drafts::View::Queue {
            self.drafts.list.move_by(1);
        }
        self.drafts.finding = 0;
        self.drafts.scroll = 0;
        if ok {
            self.layers.retain(|l| !matches!(l, Layer::Draft));
        }
    }

    /// Checks a permission before opening a form, so no one types a whole
    /// form only to be refused; the refusal is recorded like any other.
    fn allowed(&mut self, what: Permission, action: &str) -> bool {
        match self.store.require(&self.session.me, what, action, action) {
            Ok(()) => true,
            Err(e) => {
                self.records.invalidate();
                self.fail(&e);
                false
            }
        }
    }

    fn execute(&mut self, intent: Intent, answer: Option<String>) {
        let me = self.session.me.clone();
        let answer = answer.unwrap_or_default();
        let store = &mut self.store;
        let rules = &self.rules;
        let done = match intent {
            Intent::Authorize { id, name } => roster::authorize(store, &me, &id, None)
                .map(|_| format!("{name} is authorized for the social media team")),
            Intent::Revoke { id, name } => roster::revoke(store, &me, &id, &answer)
                .map(|_| format!("{name}'s team membership is revoked")),
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
            Intent::QuitUnsaved => {
                self.quit = true;
                return;
            }
            Intent::DiscardEditor => {
                self.layers.retain(|l| !matches!(l, Layer::Editor(_)));
                Ok("the text was discarded; nothing was saved".to_string())
            }
            Intent::Submit { draft } => drafts::submit(store, &me, rules, draft, true)
                .map(|d| format!("{} submitted for approval", d.id)),
            Intent::Reject { draft, version } => {
                let done = drafts::decide(
                    store,
                    &me,
                    rules,
                    draft,
                    Verdict::Reject { reason: answer },
                    Some(version),
                )
                .map(|d| format!("{} rejected", d.id));
                return self.decided(done);
            }
            Intent::RequestChanges { draft, version } => {
                let done = drafts::decide(
                    store,
                    &me,
                    rules,
                    draft,
                    Verdict::RequestChanges { reason: answer },
                    Some(version),
                )
                .map(|d| format!("{} returned to its author for changes", d.id));
                return self.decided(done);
            }
            Intent::Express { draft, version } => {
                let id = crate::domain::draft::printed_id(draft);
                if !answer.eq_ignore_ascii_case(&id) {
                    Err(Error::invalid(format!(
                        "you typed {answer:?}, not {id}: nothing was approved"
                    )))
                } else {
                    let done = drafts::decide(
                        store,
                        &me,
                        rules,
                        draft,
                        Verdict::Approve { express: true },
                        Some(version),
                    )
                    .map(|d| format!("{} approved with express approval (V.6.c)", d.id));
                    return self.decided(done);
                }
            }
            Intent::Dismiss { draft, finding } => {
                let done = drafts::dismiss(store, &me, draft, finding, &answer);
                if let Ok(d) = &done {
                    // On to the next finding still open, so `d` can clear them in turn.
                    let open = d.findings.iter().position(|f| {
                        !f.dismissed && f.severity != crate::domain::screening::Severity::Express
                    });
                    self.drafts.finding = open.unwrap_or(self.drafts.finding);
                }
                done.map(|d| format!("finding {finding} of {} dismissed", d.id))
            }
            Intent::Publish { draft } => drafts::publish(store, &me, draft, &answer)
                .map(|d| format!("{} recorded as published", d.id)),
            Intent::Note { draft } => {
                drafts::note(store, &me, draft, &answer).map(|d| format!("note added to {}", d.id))
            }
            Intent::Deny { change } => {
                credentials::step(store, &me, change, Step::Deny, Some(&answer))
                    .map(|c| format!("{} denied", c.id))
            }
            Intent::Complete { change } => {
                credentials::step(store, &me, change, Step::Complete, None)
                    .map(|c| format!("{} recorded as made", c.id))
            }
            Intent::Cancel { change } => credentials::step(store, &me, change, Step::Cancel, None)
                .map(|c| format!("{} cancelled", c.id)),
            Intent::Notify { change } => {
                credentials::step(store, &me, change, Step::Notify, Some(&answer))
                    .map(|c| format!("notice of {} recorded", c.id))
            }
            Intent::Acknowledge { change } => {
                credentials::step(store, &me, change, Step::Acknowledge, None)
                    .map(|c| format!("{} acknowledged", c.id))
            }
            Intent::CaseNote { case } => cases::work(store, &me, &case, Work::Note(answer))
                .map(|c| format!("note added to {}", c.id)),
            Intent::Assign { case } => {
                cases::work(store, &me, &case, Work::Assign(answer)).map(|c| {
                    format!(
                        "{} assigned to {}",
                        c.id,
                        c.investigator.unwrap_or_default()
                    )
                })
            }
            Intent::Due { case } => cases::work(store, &me, &case, Work::Due(answer))
                .map(|c| format!("{} is due {}", c.id, c.due)),
            Intent::StartCase { case } => {
                cases::work(store, &me, &case, Work::Step(CaseStep::Start, None))
                    .map(|c| format!("{} is under investigation", c.id))
            }
            Intent::Finding { case } => cases::work(
                store,
                &me,
                &case,
                Work::Step(CaseStep::Finding, Some(answer)),
            )
            .map(|c| format!("finding on {} recorded", c.id)),
            Intent::CloseCase { case } => {
                cases::work(store, &me, &case, Work::Step(CaseStep::Close, None))
                    .map(|c| format!("{} closed", c.id))
            }
            Intent::Reopen { case } => cases::work(
                store,
                &me,
                &case,
                Work::Step(CaseStep::Reopen, Some(answer)),
            )
            .map(|c| format!("{} reopened", c.id)),
            Intent::Evidence { case } => cases::work(store, &me, &case, Work::Evidence(answer))
                .map(|c| format!("evidence attached to {}", c.id)),
            Intent::Link { case } => parse_link(&answer)
                .and_then(|l| cases::work(store, &me, &case, Work::Link(l)))
                .map(|c| format!("{} linked", c.id)),
            Intent::ProposeRotations { .. } => {
                credentials::propose_rotations(store, &me).map(|filed| {
                    let ids: Vec<String> = filed.iter().map(|c| c.id.clone()).collect();
                    format!(
                        "filed {} for approval by the responsible Chief Deputies",
                        ids.join(", ")
                    )
                })
            }
        };
        self.finish(done);
    }

    fn finish(&mut self, done: Result<String>) {
        match done {
            Ok(text) => self.say(text),
            Err(e) => self.fail(&e),
        }
        self.invalidate();
    }

    fn save_form(&mut self) {
        let Some(Layer::Form(form)) = self.layers.last() else {
            return;
        };
        let me = self.session.me.clone();
        let saved = match &form.kind {
            FormKind::Employee { editing: None } => {
                roster::add(&mut self.store, &me, form.new_employee_value())
                    .map(|e| format!("saved {} ({})", e.name, e.id))
            }
            FormKind::Employee { editing: Some(id) } => {
                roster::edit(&mut self.store, &me, id, form.edit_value())
                    .map(|e| format!("saved {} ({})", e.name, e.id))
            }
            FormKind::Draft => {
                let heading = DraftHeading::from_form(form);
                self.layers.pop();
                self.open_editor(EditTarget::NewDraft(heading), "");
                return;
            }
            FormKind::Case => {
                let link = form.value(3);
                let links = if link.is_empty() {
                    Ok(Vec::new())
                } else {
                    parse_link(&link).map(|l| vec![l])
                };
                links.and_then(|links| {
                    cases::open(
                        &mut self.store,
                        &me,
                        NewCase {
                            subject: form.value(0),
                            clause: form.value(1),
                            summary: form.value(2),
                            links,
                        },
                    )
                    .map(|c| format!("{} opened about {}", c.id, c.subject_name))
                })
            }
            FormKind::Credential { exigent } => {
                let exigent = *exigent;
                credentials::file(&mut self.store, &me, form.credential_value()).map(|c| {
                    if exigent {
                        format!(
                            "{} logged; notify {} (responsible) as soon as possible, then press N",
                            c.id, c.responsible
                        )
                    } else {
                        format!("{} filed for approval by {}", c.id, c.responsible)
                    }
                })
            }
        };
        match saved {
            Ok(text) => {
                self.layers.pop();
                self.finish(Ok(text));
            }
            Err(e) => {
                if let Some(Layer::Form(form)) = self.layers.last_mut() {
                    form.error = Some(e.to_string());
                }
                self.records.invalidate();
            }
        }
    }

    /// `$EDITOR` when there is one and this session may start programs;
    /// the built-in editor otherwise.
    fn open_editor(&mut self, target: EditTarget, text: &str) {
        match &self.external_editor {
            Some(editor) => {
                self.external = Some(ExternalEdit {
                    editor: editor.clone(),
                    target,
                    text: text.to_string(),
                })
            }
            None => self
                .layers
                .push(Layer::Editor(Box::new(Editor::new(target, text)))),
        }
    }

    fn save_editor(&mut self) {
        let Some(Layer::Editor(editor)) = self.layers.last() else {
            return;
        };
        let (target, text) = (editor.target.clone(), editor.text());
        match self.save_text(&target, &text) {
            Ok(message) => {
                self.layers.pop();
                self.finish(Ok(message));
            }
            Err(e) => {
                if let Some(Layer::Editor(editor)) = self.layers.last_mut() {
                    editor.error = Some(e.to_string());
                }
                self.records.invalidate();
            }
        }
    }

    /// What the external editor returned: saved unless unchanged.
    pub fn edited(&mut self, edit: ExternalEdit, result: std::io::Result<String>) {
        self.dirty = true;
        match result {
            Ok(text) if text.trim_end() == edit.text.trim_end() => {
                self.say("unchanged: nothing was saved")
            }
            Ok(text) => {
                let done = self.save_text(&edit.target, &text);
                self.finish(done);
            }
            Err(e) => self.fail(&Error::invalid(format!(
                "the editor {} failed: {e}; nothing was saved",
                edit.editor
            ))),
        }
    }

    fn save_text(&mut self, target: &EditTarget, text: &str) -> Result<String> {
        let me = self.session.me.clone();
        match target {
            EditTarget::NewDraft(h) => drafts::create(
                &mut self.store,
                &me,
                &self.rules,
                NewDraft {
                    account: h.account.clone(),
                    purpose: h.purpose.clone(),
                    text: text.to_string(),
                    media: h
                        .media
                        .iter()
                        .map(|p| MediaInput {
                            path: p.clone(),
                            depicts_operations: h.operations,
                        })
                        .collect(),
                },
            )
            .map(|d| {
                format!(
                    "{} saved with {} finding(s); press s to submit it",
                    d.id,
                    d.findings.len()
                )
            }),
            EditTarget::Revision { draft } => {
                drafts::edit(&mut self.store, &me, &self.rules, *draft, text, None)
                    .map(|d| format!("{} saved as revision {}", d.id, d.revision))
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
        let result = cli::run(
            &mut self.store,
            &self.session,
            &self.rules,
            command,
            cli.json,
            &mut out,
        );
        let text = String::from_utf8_lossy(&out).trim_end().to_string();
        match result {
            Ok(()) if text.lines().count() > 1 => {
                self.layers.push(Layer::Output(text));
                self.invalidate();
            }
            Ok(()) => self.finish(Ok(text)),
            Err(e) => self.finish(Err(e)),
        }
    }
}

/// What a typed link names: `D-3`, `CR-2`, or else an account.
fn parse_link(text: &str) -> Result<Link> {
    let t = text.trim();
    if t.to_ascii_uppercase().starts_with("CR-") {
        Ok(Link::Credential(crate::domain::credential::parse_id(t)?))
    } else if t.to_ascii_uppercase().starts_with("D-") {
        Ok(Link::Draft(crate::domain::draft::parse_id(t)?))
    } else {
        Ok(Link::Account(t.to_string()))
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
