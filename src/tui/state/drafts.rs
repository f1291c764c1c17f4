//! The Drafts tab: the review queue (or the user's own drafts, or all),
//! the selected draft, and which of its findings is selected.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::store::drafts::{self, Draft, View};
use crate::tui::state::list::ListState;

pub struct DraftsState {
    pub view: View,
    pub list: ListState<Draft>,
    /// The selected finding of the selected draft (for `d`).
    pub finding: usize,
    /// Drafts awaiting this user's decision (the tab title's count).
    pub awaiting: usize,
    /// How far the full detail view is scrolled.
    pub scroll: u16,
    counted: bool,
    awaiting_counted: bool,
}

impl Default for DraftsState {
    fn default() -> Self {
        DraftsState {
            view: View::Queue,
            list: ListState::default(),
            finding: 0,
            awaiting: 0,
            scroll: 0,
            counted: false,
            awaiting_counted: false,
        }
    }
}

impl DraftsState {
    pub fn invalidate(&mut self) {
        self.counted = false;
        self.awaiting_counted = false;
        self.list.invalidate();
    }

    pub fn switch_view(&mut self) {
        self.view = self.view.next();
        self.list.select(0);
        self.finding = 0;
        self.invalidate();
    }

    /// The count for the tab title, shown whichever tab is open.
    pub fn count(&mut self, conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<()> {
        if !self.awaiting_counted {
            self.awaiting = drafts::awaiting(conn, me, now)?;
            self.awaiting_counted = true;
        }
        Ok(())
    }

    pub fn load(&mut self, conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<()> {
        self.count(conn, me, now)?;
        if !self.counted {
            self.list
                .set_total(drafts::count_view(conn, self.view, me, now)?);
            self.counted = true;
        }
        if let Some((offset, limit)) = self.list.wanted() {
            let rows = drafts::window(conn, self.view, me, offset, limit, now)?;
            self.list.fill(offset, rows);
        }
        let findings = self.selected().map(|d| d.findings.len()).unwrap_or(0);
        self.finding = self.finding.min(findings.saturating_sub(1));
        Ok(())
    }

    pub fn selected(&self) -> Option<&Draft> {
        self.list.selected_row()
    }

    pub fn move_finding(&mut self, delta: isize) {
        let n = self.selected().map(|d| d.findings.len()).unwrap_or(0);
        if n == 0 {
            return;
        }
        self.finding = (self.finding as isize + delta).rem_euclid(n as isize) as usize;
    }
}
