//! The Records tab: audit events, newest first, read a window at a time.

use rusqlite::Connection;

use crate::error::Result;
use chrono::{DateTime, Utc};

use crate::store::audit::{self, Event};
use crate::store::cases;
use crate::tui::state::list::ListState;

#[derive(Default)]
pub struct RecordsState {
    pub list: ListState<Event>,
    counted: bool,
}

impl RecordsState {
    pub fn invalidate(&mut self) {
        self.counted = false;
        self.list.invalidate();
    }

    pub fn load(&mut self, conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<()> {
        let reader = audit::Reader {
            employee: me,
            approver: cases::approver(conn, me, now)?,
        };
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
