//! The Cases tab (V.8): the cases this user may see, with status, clause,
//! subject, investigator and due date; a case's timeline, links, evidence
//! and its subject's early warning.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Wrap};
use ratatui::Frame;

use crate::store::cases::{Case, Signal};
use crate::text::inert;
use crate::tui::app::App;
use crate::tui::ui::drafts::split;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let (list, detail) = split(area);
    table(app, frame, list);
    let block = Block::bordered().border_style(app.theme.border());
    match app.cases.selected() {
        Some(c) => frame.render_widget(
            Paragraph::new(summary(app, c, app.cases.selected_warning(), true))
                .wrap(Wrap { trim: false })
                .block(block.title(format!(" {} · {} ", c.id, c.status))),
            detail,
        ),
        None => frame.render_widget(block.title(" Case "), detail),
    }
}

/// The selected case in full: its opening is recorded as a view.
pub fn full(app: &App, frame: &mut Frame, area: Rect) {
    let Some(c) = app.cases.selected() else {
        return;
    };
    let mut lines = summary(app, c, app.cases.selected_warning(), false);
    lines.extend(timeline(app, c));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((app.cases.scroll, 0))
            .block(
                Block::bordered()
                    .border_style(app.theme.border())
                    .title(format!(" {} · {} ", c.id, c.status)),
            ),
        area,
    );
}

fn deadline(app: &App, c: &Case) -> Span<'static> {
    let t = app.theme;
    match c.deadline.as_str() {
        "overdue" => Span::styled("OVERDUE", t.alert()),
        "clock_run_out" => Span::styled("CLOCK", t.alert()),
        "near" => Span::styled("soon", t.warning()),
        _ => Span::raw(""),
    }
}

fn table(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let l = &app.cases.list;
    let block = Block::bordered()
        .border_style(t.border())
        .title(format!(" cases you may see ({}) ", l.total()));
    if l.total() == 0 {
        frame.render_widget(
            Paragraph::new("No cases you may see.")
                .style(t.muted())
                .block(block),
            area,
        );
        return;
    }
    // Narrow panes (the list beside the detail) leave out the clause and
    // the investigator, which the detail shows: the id must stay readable.
    let full = area.width >= 80;
    let rows = l.visible().iter().enumerate().map(|(i, c)| {
        let flagged = app.cases.warnings.get(i).is_some_and(|w| w.is_some());
        let subject = if flagged {
            format!("⚑ {}", inert(&c.subject_name))
        } else {
            inert(&c.subject_name).into_owned()
        };
        let mut cells = vec![Cell::from(c.id.clone()), Cell::from(c.status.clone())];
        if full {
            cells.push(Cell::from(c.clause.clone()));
        }
        cells.push(Cell::from(subject));
        if full {
            cells.push(Cell::from(
                c.investigator.clone().unwrap_or_else(|| "–".into()),
            ));
        }
        cells.push(Cell::from(c.due.clone()));
        cells.push(Cell::from(deadline(app, c)));
        Row::new(cells)
    });
    let (header, widths) = if full {
        (
            vec!["Case", "Status", "Clause", "Subject", "Inv.", "Due", ""],
            vec![
                Constraint::Length(12),
                Constraint::Length(13),
                Constraint::Length(9),
                Constraint::Fill(1),
                Constraint::Length(5),
                Constraint::Length(10),
                Constraint::Length(8),
            ],
        )
    } else {
        (
            vec!["Case", "Status", "Subject", "Due", ""],
            vec![
                Constraint::Length(12),
                Constraint::Length(13),
                Constraint::Fill(1),
                Constraint::Length(10),
                Constraint::Length(8),
            ],
        )
    };
    let table = super::list_table(t, Row::new(header), widths, rows).block(block);
    super::render_list(frame, area, table, l);
}

fn summary(app: &App, c: &Case, warning: Option<&Vec<Signal>>, hint: bool) -> Vec<Line<'static>> {
    let t = app.theme;
    let field = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("{k:<13}"), t.muted()),
            Span::raw(inert(&v).into_owned()),
        ])
    };
    let mut out = vec![
        field("Subject", format!("{} ({})", c.subject_name, c.subject)),
        field("Clause", c.clause.clone()),
        field("Summary", c.summary.clone()),
        field(
            "Investigator",
            c.investigator
                .clone()
                .unwrap_or_else(|| "not assigned".into()),
        ),
        Line::from(vec![
            Span::styled(format!("{:<13}", "Due"), t.muted()),
            Span::raw(format!("{} ", c.due)),
            deadline(app, c),
        ]),
        field("Clock ends", c.clock_ends.clone()),
    ];
    if let Some(d) = &c.disposition {
        out.push(field("Disposition", d.clone()));
    }
    if !c.links.is_empty() {
        out.push(field("Links", c.links.join(", ")));
    }
    if let Some(signals) = warning {
        out.push(Line::styled(
            format!("⚑ Early warning for {}:", inert(&c.subject_name)),
            t.warning(),
        ));
        for s in signals {
            out.push(Line::raw(format!(
                "  {} {} ({})",
                s.at.get(..10).unwrap_or(&s.at),
                s.item,
                s.what
            )));
        }
    }
    if hint {
        out.push(Line::styled(
            "Enter opens the timeline (the view is recorded)",
            t.muted(),
        ));
    }
    out
}

fn timeline(app: &App, c: &Case) -> Vec<Line<'static>> {
    let t = app.theme;
    let mut out = vec![Line::raw(""), Line::styled("Evidence", t.header())];
    if c.evidence.is_empty() {
        out.push(Line::styled("none attached", t.muted()));
    }
    for e in &c.evidence {
        out.push(Line::raw(format!(
            "{} sha256:{} ({} bytes)",
            inert(&e.path),
            e.sha256,
            e.bytes
        )));
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Timeline", t.header()));
    for e in &c.timeline {
        out.push(Line::raw(format!(
            "{} {} {}: {}",
            e.at.get(..16).unwrap_or(&e.at).replace('T', " "),
            e.by,
            e.kind,
            inert(&e.text)
        )));
    }
    out
}
