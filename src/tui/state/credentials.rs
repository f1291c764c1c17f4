//! The Credentials tab: the change log newest first, narrowed to what
//! awaits the user, to overdue notices, or to one account.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::store::accounts::Account;
use crate::store::credentials::{self, Change};
use crate::tui::input::Input;
use crate::tui::state::list::ListState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredView {
    All,
    /// Requests to decide and exigent notices to acknowledge.
    Awaiting,
    Overdue,
}

impl CredView {
    pub fn title(self) -> &'static str {
        match self {
            CredView::All => "all changes",
            CredView::Awaiting => "awaiting you",
            CredView::Overdue => "overdue notices",
        }
    }

    fn next(self) -> CredView {
        match self {
            CredView::All => CredView::Awaiting,
            CredView::Awaiting => CredView::Overdue,
            CredView::Overdue => CredView::All,
        }
    }
}

pub struct CredState {
    pub view: CredView,
    /// Narrows the log to accounts whose handle contains this text.
    pub account: Option<Input>,
    pub list: ListState<Change>,
    /// Items awaiting the user plus overdue ones (the tab title's count).
    pub attention: usize,
    /// Accounts whose credentials a departed member knows: warned about
    /// until a password change on them is completed (SPEC §2).
    pub departed: Vec<Account>,
    /// Of those, the ones with no password change under way.
    pub rotations: Vec<Account>,
    /// Every change in the view, newest first; the list shows a window of it.
    shown: Vec<Change>,
    loaded: bool,
    counted: bool,
}

impl Default for CredState {
    fn default() -> Self {
        CredState {
            view: CredView::All,
            account: None,
            list: ListState::default(),
            attention: 0,
            departed: Vec::new(),
            rotations: Vec::new(),
            shown: Vec::new(),
            loaded: false,
            counted: false,
        }
    }
}

impl CredState {
    pub fn invalidate(&mut self) {
        self.loaded = false;
        self.counted = false;
        self.list.invalidate();
    }

    pub fn switch_view(&mut self) {
        self.view = self.view.next();
        self.list.select(0);
        self.invalidate();
    }

    pub fn count(&mut self, conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<()> {
        if !self.counted {
            self.attention = credentials::attention(conn, me, now)?;
            self.counted = true;
        }
        Ok(())
    }

    pub fn load(&mut self, conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<()> {
        self.count(conn, me, now)?;
        if !self.loaded {
            let filter = self
                .account
                .as_ref()
                .map(|f| f.text().to_lowercase())
                .filter(|f| !f.is_empty());
            let actor = crate::store::roster::actor(conn, me, now)?;
            self.shown = credentials::list(conn, now)?
                .into_iter()
                .filter(|c| match self.view {
                    CredView::All => true,
                    CredView::Overdue => c.overdue,
                    CredView::Awaiting => actor
                        .as_ref()
                        .is_some_and(|a| credentials::awaits(a, me, c)),
                })
                .filter(|c| {
                    filter
                        .as_ref()
                        .is_none_or(|f| c.handle.to_lowercase().contains(f))
                })
                .collect();
            self.departed = crate::store::accounts::list(conn)?
                .into_iter()
                .filter(|a| a.status == "active" && !a.departed_credentials.is_empty())
                .collect();
            self.rotations = credentials::rotations_due(conn)?;
            self.list.set_total(self.shown.len());
            self.loaded = true;
        }
        if let Some((offset, limit)) = self.list.wanted() {
            let end = (offset + limit).min(self.shown.len());
            self.list
                .fill(offset, self.shown[offset.min(end)..end].to_vec());
        }
        Ok(())
    }

    pub fn selected(&self) -> Option<&Change> {
        self.list.selected_row()
    }
}
