//! Popups over the tabs: help, confirmation, reason, the employee form and
//! command output.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::text::inert;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::input::Input;
use crate::tui::keymap::{Scope, BINDINGS};
use crate::tui::state::dialog::{Editor, Form, Intent};

/// A rectangle `width`×`height` centred in `area`, clipped to it.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn popup<'a>(app: &App, frame: &mut Frame, area: Rect, title: String) -> (Rect, Block<'a>) {
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_style(app.theme.border())
        .title(title);
    (block.inner(area), block)
}

/// One line a binding; the tab keys and the finding keys share a line
/// each, so that every key fits on one 80×24 screen.
fn scope_lines(app: &App, scope: Scope) -> Vec<Line<'static>> {
    let t = app.theme;
    let line = |label: String, help: &'static str| {
        Line::from(vec![
            Span::styled(format!("{label:<7}"), t.key()),
            Span::raw(help),
        ])
    };
    let mut lines = vec![Line::styled(scope.title(), t.header())];
    let mut tabs = Vec::new();
    let mut findings = Vec::new();
    for b in BINDINGS.iter().filter(|b| b.scope == scope) {
        match b.action {
            Action::GoTab(_) => tabs.push(b.label),
            Action::NextFinding | Action::PrevFinding => findings.push(b.label),
            _ => lines.push(line(b.label.to_string(), b.help)),
        }
    }
    if !tabs.is_empty() {
        lines.push(line(tabs.join(""), "the tabs, in order"));
    }
    if !findings.is_empty() {
        findings.reverse();
        lines.push(line(findings.join(" "), "previous / next finding"));
    }
    lines
}

/// Every key, from the same table the resolver uses.
pub fn help(app: &App, frame: &mut Frame, area: Rect) {
    let box_area = centered(area, 118, 30);
    let (inner, block) = popup(app, frame, box_area, " Help ".into());
    frame.render_widget(block, box_area);
    let mut first = scope_lines(app, Scope::Global);
    first.extend(scope_lines(app, Scope::List));
    first.push(Line::styled("Dialogs", app.theme.header()));
    first.push(Line::raw("y yes · n or Esc no (the default)"));
    first.push(Line::raw("Enter alone never confirms"));
    first.push(Line::styled("j/k scroll this help", app.theme.muted()));
    let tabs = [
        Scope::Roster,
        Scope::Drafts,
        Scope::Credentials,
        Scope::Cases,
        Scope::Records,
    ];
    if inner.width >= 110 {
        // Wide: every tab's keys at once, in three columns.
        let [left, middle, right] = Layout::horizontal([Constraint::Ratio(1, 3); 3]).areas(inner);
        let column = |scopes: &[Scope]| -> Vec<Line<'static>> {
            scopes.iter().flat_map(|s| scope_lines(app, *s)).collect()
        };
        for (lines, area) in [
            (first, left),
            (column(&tabs[..2]), middle),
            (column(&tabs[2..]), right),
        ] {
            frame.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: true })
                    .scroll((app.help_scroll, 0)),
                area,
            );
        }
        return;
    }
    // Narrow: the keys of the tab in view first, then the other tabs'.
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    let here = app
        .scopes()
        .into_iter()
        .find(|s| !matches!(s, Scope::Global | Scope::List));
    let mut second = Vec::new();
    for scope in here
        .into_iter()
        .chain(tabs.into_iter().filter(|s| Some(*s) != here))
    {
        second.extend(scope_lines(app, scope));
    }
    frame.render_widget(Paragraph::new(first).wrap(Wrap { trim: true }), left);
    frame.render_widget(
        Paragraph::new(second)
            .wrap(Wrap { trim: true })
            .scroll((app.help_scroll, 0)),
        right,
    );
}

pub fn confirm(app: &App, frame: &mut Frame, area: Rect, intent: &Intent) {
    let box_area = centered(area, 64, 7);
    let (inner, block) = popup(app, frame, box_area, " Confirm ".into());
    frame.render_widget(block, box_area);
    let lines = vec![
        Line::raw(inert(&intent.question()).into_owned()),
        Line::raw(""),
        Line::from(vec![
            Span::styled("y", app.theme.key()),
            Span::raw(" yes   "),
            Span::styled("n", app.theme.key()),
            Span::raw("/"),
            Span::styled("Esc", app.theme.key()),
            Span::raw(" no (default)"),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

fn input_line(app: &App, frame: &mut Frame, area: Rect, input: &Input, focused: bool) {
    let shown = inert(input.text()).into_owned();
    frame.render_widget(Paragraph::new(Line::styled(shown, app.theme.input())), area);
    if focused {
        let x = area.x + (input.cursor() as u16).min(area.width.saturating_sub(1));
        frame.set_cursor_position((x, area.y));
    }
}

pub fn reason(app: &App, frame: &mut Frame, area: Rect, intent: &Intent, input: &Input) {
    let box_area = centered(area, 70, 6);
    let (inner, block) = popup(app, frame, box_area, " Reason ".into());
    frame.render_widget(block, box_area);
    let [question, field, _, hint] = Layout::vertical([Constraint::Length(1); 4]).areas(inner);
    frame.render_widget(
        Paragraph::new(inert(&intent.question()).into_owned()),
        question,
    );
    input_line(app, frame, field, input, true);
    frame.render_widget(
        Paragraph::new("Enter submits · Esc cancels").style(app.theme.muted()),
        hint,
    );
}

pub fn form(app: &App, frame: &mut Frame, area: Rect, form: &Form) {
    let labels = form.labels();
    let box_area = centered(area, 72, labels.len() as u16 + 5);
    let (inner, block) = popup(app, frame, box_area, format!(" {} ", form.title()));
    frame.render_widget(block, box_area);
    let rows = Layout::vertical(vec![Constraint::Length(1); labels.len() + 3]).split(inner);
    for (i, ((label, hint), input)) in labels.iter().zip(&form.fields).enumerate() {
        let [l, v] =
            Layout::horizontal([Constraint::Length(14), Constraint::Fill(1)]).areas(rows[i]);
        let marker = if i == form.focus { "▶ " } else { "  " };
        let style = if form.editable(i) {
            app.theme.header()
        } else {
            app.theme.muted()
        };
        frame.render_widget(
            Paragraph::new(Line::styled(format!("{marker}{label}"), style)),
            l,
        );
        if form.editable(i) {
            input_line(app, frame, v, input, i == form.focus);
        } else {
            frame.render_widget(
                Paragraph::new(inert(input.text()).into_owned()).style(app.theme.muted()),
                v,
            );
        }
        if i == form.focus && !hint.is_empty() && input.text().is_empty() {
            frame.render_widget(Paragraph::new(*hint).style(app.theme.muted()), v);
        }
    }
    let hint = labels[form.focus].1;
    let bottom = rows[labels.len() + 1];
    match &form.error {
        Some(e) => frame.render_widget(
            Paragraph::new(inert(e).into_owned()).style(app.theme.alert()),
            bottom,
        ),
        None if !hint.is_empty() => {
            frame.render_widget(Paragraph::new(hint).style(app.theme.muted()), bottom)
        }
        None => {}
    }
}

pub fn editor(app: &App, frame: &mut Frame, area: Rect, editor: &Editor) {
    let title = match &editor.target {
        crate::tui::state::dialog::EditTarget::NewDraft(h) => {
            format!(" New draft for {} ({}) ", inert(&h.account), h.purpose)
        }
        crate::tui::state::dialog::EditTarget::Revision { draft } => {
            format!(" Edit {} ", crate::domain::draft::printed_id(*draft))
        }
    };
    let (inner, block) = popup(app, frame, area, title);
    frame.render_widget(block, area);
    let [text, status] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    frame.render_widget(&editor.area, text);
    let line = match &editor.error {
        Some(e) => Paragraph::new(inert(e).into_owned()).style(app.theme.alert()),
        None => {
            Paragraph::new("Ctrl-S saves a new revision (screened as it is saved) · Esc cancels")
                .style(app.theme.muted())
        }
    };
    frame.render_widget(line, status);
}

pub fn output(app: &App, frame: &mut Frame, area: Rect, text: &str) {
    let (inner, block) = popup(app, frame, area, " Output ".into());
    frame.render_widget(block, area);
    let lines: Vec<Line> = text
        .lines()
        .map(|l| Line::raw(inert(l).into_owned()))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
