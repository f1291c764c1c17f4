//! The Credentials tab (V.7): the change log newest first with path, status
//! and notice deadlines, and the selected change's whole timeline.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Wrap};
use ratatui::Frame;

use crate::store::credentials::Change;
use crate::text::inert;
use crate::tui::app::App;
use crate::tui::ui::drafts::split;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let (list, detail) = split(area);
    table(app, frame, list);
    let block = Block::bordered().border_style(app.theme.border());
    let mut lines = rotations(app);
    let title = match app.credentials.selected() {
        Some(c) => {
            lines.extend(timeline(app, c));
            format!(
                " {} · {} {} · {} ",
                c.id,
                c.path.replace('_', "-"),
                c.kind,
                c.status
            )
        }
        None => " Change ".to_string(),
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block.title(title)),
        detail,
    );
}

fn when(ts: &str) -> String {
    ts.get(..16).unwrap_or(ts).replace('T', " ")
}

/// The departed-member warnings, each with its proposed rotation (SPEC §2).
fn rotations(app: &App) -> Vec<Line<'static>> {
    let t = app.theme;
    let mut out = Vec::new();
    let s = &app.credentials;
    for a in &s.departed {
        let under_way = if s.rotations.iter().any(|r| r.id == a.id) {
            ""
        } else {
            "; password change under way"
        };
        out.push(Line::styled(
            format!(
                "! {}: credentials known to a departed member ({}){under_way}",
                inert(&a.handle),
                a.departed_credentials.join(", ")
            ),
            t.alert(),
        ));
    }
    if !s.rotations.is_empty() {
        out.push(Line::styled(
            "P files a password change request for each (V.7)",
            t.warning(),
        ));
    }
    if !out.is_empty() {
        out.push(Line::raw(""));
    }
    out
}

fn notice(app: &App, c: &Change) -> Span<'static> {
    let t = app.theme;
    match (&c.notice_due, c.overdue) {
        (_, true) => Span::styled("OVERDUE", t.alert()),
        (Some(due), false) => Span::styled(
            format!("due {}", when(due).get(5..).unwrap_or_default()),
            t.warning(),
        ),
        (None, false) if c.acknowledged_at.is_some() => Span::styled("acknowledged", t.ok()),
        _ => Span::raw(""),
    }
}

fn table(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let s = &app.credentials;
    let l = &s.list;
    let filter = s
        .account
        .as_ref()
        .map(|f| format!(" · account ~ \"{}\"", inert(f.text())))
        .unwrap_or_default();
    let block = Block::bordered().border_style(t.border()).title(format!(
        " {} ({}){filter} · v switches ",
        s.view.title(),
        l.total()
    ));
    if l.total() == 0 {
        frame.render_widget(
            Paragraph::new("No credential changes here. n requests one; ! logs an exigent change.")
                .style(t.muted())
                .block(block),
            area,
        );
        return;
    }
    let rows = l.visible().iter().map(|c| {
        let style = if c.overdue {
            t.alert()
        } else {
            ratatui::style::Style::new()
        };
        Row::new(vec![
            Cell::from(c.id.clone()),
            Cell::from(inert(&c.handle).into_owned()),
            Cell::from(c.kind.clone()),
            Cell::from(c.path.replace('_', "-")),
            Cell::from(c.status.clone()),
            Cell::from(notice(app, c)),
        ])
        .style(style)
    });
    let widths = [
        Constraint::Length(6),
        Constraint::Fill(1),
        Constraint::Length(10),
        Constraint::Length(12),
        Constraint::Length(9),
        Constraint::Length(15),
    ];
    let table = super::list_table(
        t,
        Row::new(["Change", "Account", "Kind", "Path", "Status", "Notice"]),
        widths.to_vec(),
        rows,
    )
    .block(block);
    super::render_list(frame, area, table, l);
}

fn timeline(app: &App, c: &Change) -> Vec<Line<'static>> {
    let t = app.theme;
    let mut out = vec![Line::styled(
        format!(
            "{} · responsible Chief Deputy {}",
            inert(&c.handle),
            c.responsible
        ),
        t.muted(),
    )];
    let mut event = |at: &Option<String>, text: String| {
        if let Some(at) = at {
            out.push(Line::raw(format!("{} {text}", when(at))));
        }
    };
    let exigency = c
        .exigency
        .as_ref()
        .map(|e| format!(" under exigent circumstances ({e})"))
        .unwrap_or_default();
    event(
        &Some(c.requested_at.clone()),
        format!(
            "{} by {}{exigency}: {}",
            if c.path == "exigent" {
                "made"
            } else {
                "requested"
            },
            c.requested_by,
            inert(&c.reason)
        ),
    );
    event(
        &c.approved_at,
        format!("approved by {}", c.approved_by.clone().unwrap_or_default()),
    );
    event(
        &c.denied_at,
        format!(
            "denied by {}: {}",
            c.denied_by.clone().unwrap_or_default(),
            inert(&c.deny_reason.clone().unwrap_or_default())
        ),
    );
    if c.path != "exigent" {
        event(
            &c.completed_at,
            format!(
                "made, recorded by {}",
                c.completed_by.clone().unwrap_or_default()
            ),
        );
    }
    event(
        &c.cancelled_at,
        format!(
            "cancelled by {}",
            c.cancelled_by.clone().unwrap_or_default()
        ),
    );
    event(
        &c.notified_at,
        format!(
            "notice recorded by {}: {}",
            c.notified_by.clone().unwrap_or_default(),
            inert(&c.notified_how.clone().unwrap_or_default())
        ),
    );
    event(
        &c.acknowledged_at,
        format!(
            "acknowledged by {}",
            c.acknowledged_by.clone().unwrap_or_default()
        ),
    );
    if c.overdue {
        out.push(Line::styled(
            format!(
                "OVERDUE: the responsible Chief Deputy has not acknowledged this exigent change (due {})",
                when(c.notice_due.as_deref().unwrap_or_default())
            ),
            t.alert(),
        ));
    } else if let Some(due) = &c.notice_due {
        out.push(Line::styled(
            format!(
                "the responsible Chief Deputy must acknowledge it by {}",
                when(due)
            ),
            t.warning(),
        ));
    }
    out
}
