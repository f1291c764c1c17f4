//! The Records tab: the audit log, newest first, and one event in full.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Row, Wrap};
use ratatui::Frame;

use crate::domain::permission::{allows, Permission};
use crate::text::inert;
use crate::tui::app::App;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    if !allows(&app.session.employee.actor(), Permission::Records) {
        frame.render_widget(
            Paragraph::new("The records view is for the chief, the delegate, assistant chiefs and chief deputies.")
                .style(t.muted())
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let l = &app.records.list;
    let rows = l.visible().iter().map(|e| {
        Row::new(vec![
            e.seq.to_string(),
            e.at.get(..16).unwrap_or(&e.at).replace('T', " "),
            inert(&e.actor).into_owned(),
            inert(&e.action).into_owned(),
            inert(&e.entity).into_owned(),
        ])
    });
    let widths = [
        Constraint::Length(7),
        Constraint::Length(16),
        Constraint::Length(8),
        Constraint::Length(18),
        Constraint::Fill(1),
    ];
    let table = super::list_table(
        t,
        Row::new(["Seq", "Time (UTC)", "Actor", "Action", "Entity"]),
        widths.to_vec(),
        rows,
    );
    super::render_list(frame, area, table, l);
}

pub fn event(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let Some(e) = app.records.list.selected_row() else {
        return;
    };
    let state = serde_json::from_str::<serde_json::Value>(&e.state)
        .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
        .unwrap_or_else(|_| e.state.clone());
    let field = |k: &str, v: &str| {
        Line::from(vec![
            Span::styled(format!("{k:<10}"), t.muted()),
            Span::raw(inert(v).into_owned()),
        ])
    };
    let mut lines = vec![
        field("Time", &e.at),
        field("Actor", &e.actor),
        field("OS user", &e.os_user),
        field("Action", &e.action),
        field("Entity", &e.entity),
        field("Hash", &e.hash),
        Line::raw(""),
    ];
    lines.extend(state.lines().map(|l| Line::raw(inert(l).into_owned())));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .border_style(t.border())
                .title(format!(" Event {} ", e.seq)),
        ),
        area,
    );
}
