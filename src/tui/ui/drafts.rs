//! The Drafts tab: the review queue and the selected draft with its
//! findings highlighted in the text, media with hashes, the diff against
//! the revision last reviewed, notes and history.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Wrap};
use ratatui::Frame;
use similar::{ChangeTag, TextDiff};

use crate::domain::permission::{allows, Permission};
use crate::domain::screening::Severity;
use crate::store::drafts::{Draft, Finding};
use crate::text::inert;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::ui::wide;

/// How the list and the detail share the body: side by side when wide.
pub fn split(area: Rect) -> (Rect, Rect) {
    if wide(area.width) {
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(area);
        (list, detail)
    } else {
        let list_height = (area.height * 2 / 5).max(4);
        let [list, detail] =
            Layout::vertical([Constraint::Length(list_height), Constraint::Fill(1)]).areas(area);
        (list, detail)
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let (list, detail) = split(area);
    table(app, frame, list);
    let block = Block::bordered().border_style(app.theme.border());
    match app.drafts.selected() {
        Some(d) => {
            let title = format!(" {} · {} ", d.id, d.status);
            frame.render_widget(
                Paragraph::new(lines(app, d))
                    .wrap(Wrap { trim: false })
                    .block(block.title(title)),
                detail,
            );
        }
        None => frame.render_widget(block.title(" Draft "), detail),
    }
}

/// The selected draft over the whole body, scrolled with j/k.
pub fn full(app: &App, frame: &mut Frame, area: Rect) {
    let Some(d) = app.drafts.selected() else {
        return;
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines(app, d))
            .wrap(Wrap { trim: false })
            .scroll((app.drafts.scroll, 0))
            .block(
                Block::bordered()
                    .border_style(app.theme.border())
                    .title(format!(" {} · {} ", d.id, d.status)),
            ),
        area,
    );
}

/// Whether the signed-in user may give the express approval this draft needs.
fn may_express(app: &App, d: &Draft) -> bool {
    allows(
        &app.session.employee.actor(),
        Permission::ExpressApproval {
            responsible: d.responsible == app.session.me.employee,
        },
    )
}

fn flags(app: &App, d: &Draft) -> Line<'static> {
    let t = app.theme;
    let mut spans = Vec::new();
    let mut push = |text: String, style: Style| {
        if !spans.is_empty() {
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(text, style));
    };
    if d.blocking_open > 0 {
        push(format!("{} blocking", d.blocking_open), t.alert());
    }
    if d.needs_express && !d.express {
        if may_express(app, d) {
            push("express".into(), t.warning());
        } else {
            push("express: not yours".into(), t.warning());
        }
    }
    let advisory = d
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Advisory && !f.dismissed)
        .count();
    if advisory > 0 {
        push(format!("{advisory} advisory"), t.muted());
    }
    if d.stale {
        push("stale".into(), t.warning());
    }
    Line::from(spans)
}

fn table(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let l = &app.drafts.list;
    let title = format!(" {} ({}) · v switches ", app.drafts.view.title(), l.total());
    let block = Block::bordered().border_style(t.border()).title(title);
    if l.total() == 0 {
        let text = match app.drafts.view {
            crate::store::drafts::View::Queue => "Nothing awaits your decision.",
            crate::store::drafts::View::Mine => "You have no drafts. n writes one.",
            crate::store::drafts::View::All => "No drafts yet.",
        };
        frame.render_widget(Paragraph::new(text).style(t.muted()).block(block), area);
        return;
    }
    // In the queue every row is submitted: the status column would say nothing.
    let show_status = app.drafts.view != crate::store::drafts::View::Queue;
    let rows = l.visible().iter().map(|d| {
        let first: String = d
            .text
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(60)
            .collect();
        let mut cells = vec![Cell::from(d.id.clone())];
        if show_status {
            cells.push(Cell::from(d.status.as_str()));
        }
        cells.push(Cell::from(inert(&d.handle).into_owned()));
        cells.push(Cell::from(flags(app, d)));
        cells.push(Cell::from(inert(&first).into_owned()));
        Row::new(cells)
    });
    let mut header = vec!["Draft"];
    let mut widths = vec![Constraint::Length(6)];
    if show_status {
        header.push("Status");
        widths.push(Constraint::Length(17));
    }
    header.extend(["Account", "Flags", "Text"]);
    widths.extend([
        Constraint::Length(14),
        Constraint::Length(20),
        Constraint::Fill(1),
    ]);
    let table = super::list_table(t, Row::new(header), widths.to_vec(), rows).block(block);
    super::render_list(frame, area, table, l);
}

fn finding_style(t: Theme, f: &Finding) -> Style {
    if f.dismissed {
        return t.muted().add_modifier(Modifier::CROSSED_OUT);
    }
    match f.severity {
        Severity::Blocking => t.alert().add_modifier(Modifier::UNDERLINED),
        Severity::Express => t.warning().add_modifier(Modifier::UNDERLINED),
        Severity::Advisory => t.muted().add_modifier(Modifier::UNDERLINED),
    }
}

/// One line of the text as spans, each finding's bytes in its style and the
/// selected finding reversed.
fn highlighted(
    t: Theme,
    line: &str,
    offset: usize,
    findings: &[Finding],
    selected: Option<i64>,
) -> Line<'static> {
    let style_at = |byte: usize| -> Style {
        let mut style = Style::new();
        for f in findings {
            if f.bytes.0 <= byte && byte < f.bytes.1 {
                style = finding_style(t, f);
                if Some(f.n) == selected {
                    return style.add_modifier(Modifier::REVERSED);
                }
            }
        }
        style
    };
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_style = Style::new();
    for (i, c) in line.char_indices() {
        let style = style_at(offset + i);
        if style != run_style && !run.is_empty() {
            spans.push(Span::styled(inert(&run).into_owned(), run_style));
            run.clear();
        }
        run_style = style;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(inert(&run).into_owned(), run_style));
    }
    Line::from(spans)
}

fn day(ts: &str) -> &str {
    ts.get(..10).unwrap_or(ts)
}

fn lines(app: &App, d: &Draft) -> Vec<Line<'static>> {
    let t = app.theme;
    let mut out = Vec::new();
    let mut heading = format!(
        "{} {} · {} · by {} · revision {}",
        d.platform,
        inert(&d.handle),
        d.purpose,
        inert(&d.author_name),
        d.revision
    );
    if let Some(at) = &d.submitted_at {
        heading.push_str(&format!(" · submitted {}", day(at)));
    }
    out.push(Line::styled(heading, t.muted()));
    if let Some(by) = &d.approved_by {
        let express = if d.express {
            " with express approval"
        } else {
            ""
        };
        out.push(Line::styled(format!("approved by {by}{express}"), t.ok()));
    }
    if let Some(url) = &d.url {
        out.push(Line::styled(format!("published at {}", inert(url)), t.ok()));
    }
    if d.needs_express && !d.express && !may_express(app, d) {
        out.push(Line::styled(
            "needs express approval by the responsible Chief Deputy, an assistant chief or the chief",
            t.warning(),
        ));
    }
    out.push(Line::raw(""));
    let selected = d.findings.get(app.drafts.finding).map(|f| f.n);
    let mut offset = 0;
    for line in d.text.split('\n') {
        out.push(highlighted(t, line, offset, &d.findings, selected));
        offset += line.len() + 1;
    }
    if !d.findings.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled("Findings ([ ] select, d dismiss)", t.header()));
        for f in &d.findings {
            let marker = if Some(f.n) == selected { "▶" } else { " " };
            let state = match &f.dismissal {
                Some(x) => format!(" – dismissed by {}: {}", x.by, inert(&x.reason)),
                None => String::new(),
            };
            out.push(Line::from(vec![
                Span::raw(format!("{marker}{} ", f.n)),
                Span::styled(
                    format!("{} {}", f.clause, f.severity.as_str()),
                    finding_style(t, f),
                ),
                Span::raw(format!(
                    " \"{}\": {}{state}",
                    inert(&f.text),
                    inert(&f.explanation)
                )),
            ]));
        }
    }
    if !d.media.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled("Media", t.header()));
        for m in &d.media {
            let ops = if m.depicts_operations {
                " · operations"
            } else {
                ""
            };
            out.push(Line::raw(format!(
                "{} {} {} bytes sha256:{}{ops}",
                m.kind,
                inert(&m.path),
                m.bytes,
                m.sha256
            )));
        }
    }
    if let (Some(before), Some(n)) = (&d.reviewed_text, d.reviewed_revision) {
        out.push(Line::raw(""));
        out.push(Line::styled(
            format!("Changes since revision {n}, the one last reviewed"),
            t.header(),
        ));
        let diff = TextDiff::from_lines(before.as_str(), d.text.as_str());
        for change in diff.iter_all_changes() {
            let text = inert(change.value().trim_end_matches('\n')).into_owned();
            out.push(match change.tag() {
                ChangeTag::Delete => Line::styled(format!("- {text}"), t.alert()),
                ChangeTag::Insert => Line::styled(format!("+ {text}"), t.ok()),
                ChangeTag::Equal => Line::styled(format!("  {text}"), t.muted()),
            });
        }
    }
    if !d.notes.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled("Reviewer notes (never published)", t.header()));
        for n in &d.notes {
            out.push(Line::raw(format!(
                "{} {}: {}",
                day(&n.at),
                n.by,
                inert(&n.text)
            )));
        }
    }
    if !d.decisions.is_empty() {
        out.push(Line::raw(""));
        out.push(Line::styled("History", t.header()));
        for x in &d.decisions {
            let reason = x
                .reason
                .as_ref()
                .map(|r| format!(": {}", inert(r)))
                .unwrap_or_default();
            let express = if x.express { " (express)" } else { "" };
            out.push(Line::raw(format!(
                "{} revision {} {}{express} by {}{reason}",
                day(&x.at),
                x.revision,
                x.decision.replace('_', " "),
                x.by
            )));
        }
    }
    out
}
