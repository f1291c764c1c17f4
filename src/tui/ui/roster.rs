//! The Roster tab: the list, and on wide screens the selected card beside it.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::store::roster::Employee;
use crate::text::inert;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::ui::card;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if app.detail_pane() {
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(area);
        table(app, frame, list);
        card::pane(app, frame, detail);
    } else {
        table(app, frame, area);
    }
}

fn flag_style(t: Theme, flag: &str) -> Style {
    match flag {
        "SEPARATED-BUT-AUTHORIZED" => t.alert(),
        "recertify" | "lapsed" | "leave" => t.warning(),
        "separated" => t.muted(),
        "team" | "delegate" => t.ok(),
        _ => Style::new(),
    }
}

fn flags(t: Theme, e: &Employee) -> Line<'static> {
    let mut spans = Vec::new();
    for f in e.flags() {
        if !spans.is_empty() {
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(f, flag_style(t, f)));
    }
    Line::from(spans)
}

fn table(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let l = &app.roster.list;
    if l.total() == 0 {
        let text = if app.roster.filtering() {
            "No one matches the filter. Esc clears it."
        } else {
            "The roster is empty. Press n to add an employee, or use `socialdesk roster import`."
        };
        frame.render_widget(Paragraph::new(text).style(t.muted()), area);
        return;
    }
    let show_unit = area.width >= 76;
    let id_width = l
        .visible()
        .iter()
        .map(|e| e.id.width())
        .max()
        .unwrap_or(2)
        .max(2) as u16;
    let mut header = vec!["Name", "ID", "Rank"];
    let mut widths = vec![
        Constraint::Min(20),
        Constraint::Length(id_width),
        Constraint::Length(15),
    ];
    if show_unit {
        header.push("Unit");
        widths.push(Constraint::Length(
            area.width.saturating_sub(66).clamp(12, 24),
        ));
    }
    header.push("Flags");
    widths.push(Constraint::Fill(1));
    let rows = l.visible().iter().map(|e| {
        let mut cells = vec![
            Cell::from(inert(&e.name).into_owned()),
            Cell::from(inert(&e.id).into_owned()),
            Cell::from(e.rank.as_str()),
        ];
        if show_unit {
            cells.push(Cell::from(inert(&e.unit).into_owned()));
        }
        cells.push(Cell::from(flags(t, e)));
        Row::new(cells)
    });
    let table = super::list_table(t, Row::new(header), widths.to_vec(), rows);
    super::render_list(frame, area, table, l);
}
