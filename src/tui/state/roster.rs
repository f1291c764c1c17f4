//! The Roster tab: a virtualised list in name order, or the fuzzy filter's
//! matches, and the selected employee's card.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::fuzzy;
use crate::store::roster::{self, Card, Employee};
use crate::tui::input::Input;
use crate::tui::state::list::ListState;

#[derive(Default)]
pub struct RosterState {
    pub list: ListState<Employee>,
    /// The filter as typed; `None` when no filter is active.
    pub filter: Option<Input>,
    /// Index entries matching the filter, best first.
    matches: Vec<u32>,
    /// Built on the first `/` and kept until the roster changes.
    index: Option<fuzzy::Index>,
    /// The selected employee's card, for the detail pane and the card view.
    pub card: Option<Card>,
    counted: bool,
}

impl RosterState {
    /// The roster changed underneath: read it again.
    pub fn invalidate(&mut self) {
        self.index = None;
        self.counted = false;
        self.card = None;
        self.list.invalidate();
        if self.filter.is_some() {
            self.matches.clear();
        }
    }

    pub fn filtering(&self) -> bool {
        self.filter.is_some()
    }

    pub fn start_filter(&mut self) {
        if self.filter.is_none() {
            self.filter = Some(Input::default());
        }
    }

    pub fn clear_filter(&mut self) {
        self.filter = None;
        self.matches.clear();
        self.counted = false;
        self.list.select(0);
        self.card = None;
    }

    /// Matches the filter again after it was edited.
    pub fn refilter(&mut self, conn: &Connection) -> Result<()> {
        let Some(query) = self.filter.as_ref().map(|f| f.text().to_string()) else {
            return Ok(());
        };
        if self.index.is_none() {
            self.index = Some(fuzzy::Index::new(roster::haystacks(conn)?));
        }
        if let Some(index) = self.index.as_mut() {
            self.matches = index.search(&query);
        }
        self.list.set_total(self.matches.len());
        self.list.select(0);
        self.list.invalidate();
        self.counted = true;
        self.card = None;
        Ok(())
    }

    /// Reads what the next frame needs and nothing more.
    pub fn load(
        &mut self,
        conn: &Connection,
        viewer: &str,
        now: DateTime<Utc>,
        want_card: bool,
    ) -> Result<()> {
        if !self.counted {
            if self.filter.is_some() {
                return self.refilter_keeping_selection(conn, viewer, now, want_card);
            }
            self.list.set_total(roster::count(conn)? as usize);
            self.counted = true;
        }
        if let Some((offset, limit)) = self.list.wanted() {
            let rows = match (&self.filter, &self.index) {
                (Some(_), Some(index)) => {
                    let end = (offset + limit).min(self.matches.len());
                    let ids: Vec<String> = self.matches[offset.min(end)..end]
                        .iter()
                        .map(|i| index.id(*i).to_string())
                        .collect();
                    roster::by_ids(conn, &ids, now)?
                }
                _ => roster::window(conn, offset as i64, limit as i64, now)?,
            };
            self.list.fill(offset, rows);
        }
        let selected = self.list.selected_row().map(|e| e.id.clone());
        let stale = self.card.as_ref().map(|c| &c.employee.id) != selected.as_ref();
        if want_card && stale {
            self.card = selected
                .map(|id| roster::card(conn, &id, viewer, now))
                .transpose()?;
        }
        Ok(())
    }

    fn refilter_keeping_selection(
        &mut self,
        conn: &Connection,
        viewer: &str,
        now: DateTime<Utc>,
        want_card: bool,
    ) -> Result<()> {
        let keep = self.list.selected();
        self.refilter(conn)?;
        self.list.select(keep);
        self.load(conn, viewer, now, want_card)
    }

    pub fn selected(&self) -> Option<&Employee> {
        self.list.selected_row()
    }
}
