//! The Records tab: audit events, newest first, read a window at a time,
//! optionally narrowed by `/` to events whose action, entity or actor
//! contains the text typed.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::store::audit::{self, Event};
use crate::store::cases;
use crate::tui::input::Input;
use crate::tui::state::list::ListState;

#[derive(Default)]
pub struct RecordsState {
    pub list: ListState<Event>,
    pub filter: Option<Input>,
    counted: bool,
    /// Whether the reader is an approver, read with the count (it decides
    /// which case events are hidden) rather than on every scroll.
    approver: bool,
}

impl RecordsState {
    pub fn invalidate(&mut self) {
        self.counted = false;
        self.list.invalidate();
    }

    pub fn load(&mut self, conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<()> {
        if !self.counted {
            self.approver = cases::approver(conn, me, now)?;
        }
        let reader = audit::Reader {
            employee: me,
            approver: self.approver,
        };
        let text = self
            .filter
            .as_ref()
            .map(|f| f.text().to_string())
            .filter(|t| !t.is_empty());
        if let Some(text) = text {
            if !self.counted {
                self.list
                    .set_total(audit::count_matching(conn, reader, &text)? as usize);
                self.counted = true;
            }
            if let Some((offset, limit)) = self.list.wanted() {
                let rows = audit::search(conn, reader, &text, offset as i64, limit as i64)?;
                self.list.fill(offset, rows);
            }
            return Ok(());
        }
        if !self.counted {
            self.list.set_total(audit::count(conn, reader)? as usize);
            self.counted = true;
        }
        if let Some((offset, limit)) = self.list.wanted() {
            self.list.fill(
                offset,
                audit::window(conn, reader, offset as i64, limit as i64)?,
            );
        }
        Ok(())
    }
}
