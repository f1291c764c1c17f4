//! One list state for every tab: a selection over `total` rows, of which
//! only the visible window is held (lists are virtualised).

#[derive(Debug, Clone)]
pub struct ListState<T> {
    total: usize,
    selected: usize,
    offset: usize,
    height: usize,
    rows: Vec<T>,
    /// The offset `rows` was loaded from; `None` when it must be read again.
    loaded_at: Option<usize>,
}

impl<T> Default for ListState<T> {
    fn default() -> Self {
        ListState {
            total: 0,
            selected: 0,
            offset: 0,
            height: 1,
            rows: Vec::new(),
            loaded_at: None,
        }
    }
}

impl<T> ListState<T> {
    pub fn total(&self) -> usize {
        self.total
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The rows on screen, first at `offset()`.
    pub fn visible(&self) -> &[T] {
        &self.rows
    }

    pub fn selected_row(&self) -> Option<&T> {
        self.selected
            .checked_sub(self.offset)
            .and_then(|i| self.rows.get(i))
    }

    /// A new row count (after a reload or a filter); keeps the selection in range.
    pub fn set_total(&mut self, total: usize) {
        self.total = total;
        self.selected = self.selected.min(total.saturating_sub(1));
        self.scroll_to_selection();
        self.loaded_at = None;
    }

    /// The number of rows the screen shows.
    pub fn set_height(&mut self, height: usize) {
        let height = height.max(1);
        if height != self.height {
            self.height = height;
            self.scroll_to_selection();
            self.loaded_at = None;
        }
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// Forget the held rows: the data changed underneath.
    pub fn invalidate(&mut self) {
        self.loaded_at = None;
    }

    /// The window to read, if the held rows are stale: (offset, limit).
    pub fn wanted(&self) -> Option<(usize, usize)> {
        (self.loaded_at != Some(self.offset)).then_some((self.offset, self.height))
    }

    pub fn fill(&mut self, offset: usize, rows: Vec<T>) {
        self.rows = rows;
        self.loaded_at = Some(offset);
    }

    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.total.saturating_sub(1));
        self.scroll_to_selection();
    }

    pub fn move_by(&mut self, delta: isize) {
        let target = if delta < 0 {
            self.selected.saturating_sub(delta.unsigned_abs())
        } else {
            self.selected.saturating_add(delta as usize)
        };
        self.select(target);
    }

    pub fn page(&self) -> isize {
        self.height.saturating_sub(1).max(1) as isize
    }

    fn scroll_to_selection(&mut self) {
        let before = self.offset;
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + self.height {
            self.offset = self.selected + 1 - self.height;
        }
        let max_offset = self.total.saturating_sub(self.height);
        self.offset = self.offset.min(max_offset);
        if self.offset != before {
            self.loaded_at = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(total: usize, height: usize) -> ListState<usize> {
        let mut l = ListState::default();
        l.set_height(height);
        l.set_total(total);
        l
    }

    #[test]
    fn the_window_follows_the_selection() {
        let mut l = list(100, 10);
        assert_eq!(l.wanted(), Some((0, 10)));
        l.fill(0, (0..10).collect());
        assert_eq!(l.wanted(), None);
        l.move_by(9);
        assert_eq!(l.wanted(), None, "still on screen: nothing to read");
        assert_eq!(l.selected_row(), Some(&9));
        l.move_by(1);
        assert_eq!(l.offset(), 1);
        assert_eq!(l.wanted(), Some((1, 10)));
        l.select(usize::MAX);
        assert_eq!((l.selected(), l.offset()), (99, 90));
        l.move_by(-1000);
        assert_eq!((l.selected(), l.offset()), (0, 0));
    }

    #[test]
    fn shrinking_keeps_the_selection_in_range() {
        let mut l = list(100, 10);
        l.select(50);
        l.set_total(5);
        assert_eq!((l.selected(), l.offset()), (4, 0));
        l.set_total(0);
        assert_eq!(l.selected(), 0);
        assert_eq!(l.selected_row(), None);
    }

    #[test]
    fn pages_move_by_a_screen_less_one() {
        let mut l = list(100, 10);
        l.move_by(l.page());
        assert_eq!(l.selected(), 9);
    }
}
