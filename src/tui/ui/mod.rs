//! Drawing: a pure function of the App's state. Nothing here reads the
//! database or changes state.

mod card;
mod cases;
mod chrome;
mod credentials;
mod dialogs;
mod drafts;
mod records;
mod roster;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;

use crate::tui::action::Tab;
use crate::tui::app::App;
use crate::tui::state::dialog::Layer;
use crate::tui::state::list::ListState;
use crate::tui::theme::Theme;

/// Below this the screen shows a notice instead of the console.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// From this width the roster shows the selected card beside the list.
pub const WIDE: u16 = 110;

pub fn wide(width: u16) -> bool {
    width >= WIDE
}

struct Areas {
    header: Rect,
    tabs: Rect,
    body: Rect,
    status: Rect,
    footer: Rect,
}

fn areas(area: Rect) -> Areas {
    let [header, tabs, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Areas {
        header,
        tabs,
        body,
        status,
        footer,
    }
}

/// How many list rows fit on a screen `height` tall (one row is the column header).
pub fn list_rows(height: u16) -> usize {
    areas(Rect::new(0, 0, 80, height))
        .body
        .height
        .saturating_sub(1)
        .max(1) as usize
}

/// How many rows the Drafts and Credentials lists show (they share the body
/// with a detail pane; one row is the column header, two the border).
pub fn split_rows(width: u16, height: u16) -> usize {
    let body = areas(Rect::new(0, 0, width, height)).body;
    drafts::split(body).0.height.saturating_sub(3).max(1) as usize
}

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    let a = areas(area);
    chrome::header(app, frame, a.header);
    chrome::tabs(app, frame, a.tabs);
    match app.tab {
        Tab::Roster => roster::render(app, frame, a.body),
        Tab::Records => records::render(app, frame, a.body),
        Tab::Drafts => drafts::render(app, frame, a.body),
        Tab::Credentials => credentials::render(app, frame, a.body),
        Tab::Cases => cases::render(app, frame, a.body),
    }
    chrome::status(app, frame, a.status);
    chrome::footer(app, frame, a.footer);
    for layer in &app.layers {
        match layer {
            Layer::Card => card::render(app, frame, a.body),
            Layer::Event => records::event(app, frame, a.body),
            Layer::Draft => drafts::full(app, frame, a.body),
            Layer::Case => cases::full(app, frame, a.body),
            Layer::Editor(editor) => dialogs::editor(app, frame, a.body, editor),
            Layer::Help => dialogs::help(app, frame, area),
            Layer::Confirm(intent) => dialogs::confirm(app, frame, a.body, intent),
            Layer::Reason { intent, input } => dialogs::reason(app, frame, a.body, intent, input),
            Layer::Form(form) => dialogs::form(app, frame, a.body, form),
            Layer::Output(text) => dialogs::output(app, frame, a.body, text),
            Layer::Filter | Layer::Command(_) => {}
        }
    }
}

/// One of the virtualised lists as a table: the visible rows, the
/// selection marked by style and glyph, the same way on every tab.
fn list_table<'a>(
    t: Theme,
    header: Row<'a>,
    widths: Vec<Constraint>,
    rows: impl IntoIterator<Item = Row<'a>>,
) -> Table<'a> {
    Table::new(rows, widths)
        .header(header.style(t.column_header()))
        .column_spacing(1)
        .row_highlight_style(t.selected())
        .highlight_symbol(t.selection_glyph())
}

/// Draws a list's table with its selection, relative to the rows it holds.
fn render_list<T>(frame: &mut Frame, area: Rect, table: Table, list: &ListState<T>) {
    let mut state = TableState::default().with_selected(Some(list.selected() - list.offset()));
    frame.render_stateful_widget(table, area, &mut state);
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "socialdesk needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}. Enlarge it, or press q to quit.",
        area.width, area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}
