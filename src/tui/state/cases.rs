//! The Cases tab: the cases this user may see (never their own), with
//! deadlines and early warnings.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::store::cases::{self, Case, Signal};
use crate::tui::state::list::ListState;

#[derive(Default)]
pub struct CasesState {
    pub list: ListState<Case>,
    /// Early-warning signals of each visible row's subject (same order).
    pub warnings: Vec<Option<Vec<Signal>>>,
    /// Cases not closed (the tab title's count).
    pub open: usize,
    /// Of those, overdue or near their due date.
    pub pressing: usize,
    /// How far the full case view is scrolled.
    pub scroll: u16,
    all: Vec<Case>,
    loaded: bool,
}

impl CasesState {
    pub fn invalidate(&mut self) {
        self.loaded = false;
        self.list.invalidate();
    }

    /// Reads the visible cases (the list and the title's counts).
    pub fn count(&mut self, conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<()> {
        if !self.loaded {
            self.all = cases::list(conn, me, now)?;
            let open: Vec<&Case> = self.all.iter().filter(|c| c.status != "closed").collect();
            self.open = open.len();
            self.pressing = open.iter().filter(|c| c.deadline != "fine").count();
            self.list.set_total(self.all.len());
            self.loaded = true;
        }
        Ok(())
    }

    pub fn load(&mut self, conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<()> {
        self.count(conn, me, now)?;
        if let Some((offset, limit)) = self.list.wanted() {
            let end = (offset + limit).min(self.all.len());
            let rows = self.all[offset.min(end)..end].to_vec();
            self.warnings = rows
                .iter()
                .map(|c| cases::early_warning(conn, &c.subject, me, now))
                .collect::<Result<_>>()?;
            self.list.fill(offset, rows);
        }
        Ok(())
    }

    pub fn selected(&self) -> Option<&Case> {
        self.list.selected_row()
    }

    /// The early warning of the selected case's subject, if raised.
    pub fn selected_warning(&self) -> Option<&Vec<Signal>> {
        let i = self.list.selected().checked_sub(self.list.offset())?;
        self.warnings.get(i)?.as_ref()
    }
}
