//! Header, tab bar, status line and footer.

use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use crate::text::inert;
use crate::tui::action::Tab;
use crate::tui::app::App;
use crate::tui::keymap;
use crate::tui::state::dialog::Layer;

pub fn header(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let me = &app.session.employee;
    let via = if app.session.acting_as {
        format!(" (via {})", inert(&app.session.me.os_user))
    } else {
        String::new()
    };
    let department = inert(&app.department);
    // The department and the user always show in full when they can: the
    // rank shortens first, then the department name gives way.
    let full = format!("{} · {}{via}", inert(&me.name), me.rank.title());
    let who = if department.width() + full.width() + 2 <= area.width as usize {
        full
    } else {
        format!("{} · {}{via}", inert(&me.name), me.rank.short_title())
    };
    let room = (area.width as usize).saturating_sub(who.width() + 2);
    let department = truncate(&department, room);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(department, t.header()))),
        area,
    );
    frame.render_widget(
        Paragraph::new(Line::from(who)).alignment(Alignment::Right),
        area,
    );
}

/// `s` cut to `width` columns, with an ellipsis when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

pub fn tabs(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let mut spans = Vec::new();
    for tab in Tab::ALL {
        let count = match tab {
            Tab::Drafts => app.drafts.awaiting,
            Tab::Credentials => app.credentials.attention,
            Tab::Cases => app.cases.open,
            _ => 0,
        };
        let label = if count > 0 {
            format!(" {} {} ({count}) ", tab.index() + 1, tab.title())
        } else {
            format!(" {} {} ", tab.index() + 1, tab.title())
        };
        let style = if tab == app.tab {
            t.tab_active()
        } else {
            t.tab()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn status(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let line = match app.layers.last() {
        Some(Layer::Command(input)) => {
            frame.set_cursor_position((area.x + 1 + input.cursor() as u16, area.y));
            Line::from(format!(":{}", input.text()))
        }
        Some(Layer::Filter) => {
            let text = app.filter().map(|f| f.text()).unwrap_or("");
            let cursor = app.filter().map(|f| f.cursor()).unwrap_or(0);
            frame.set_cursor_position((area.x + 1 + cursor as u16, area.y));
            let matching = match app.tab {
                Tab::Credentials => app.credentials.list.total(),
                Tab::Records => app.records.list.total(),
                _ => app.roster.list.total(),
            };
            Line::from(vec![
                Span::raw(format!("/{}", inert(text))),
                Span::styled(
                    format!("   {matching} matching · Enter keeps · Esc clears"),
                    t.muted(),
                ),
            ])
        }
        _ => match &app.message {
            Some(m) if m.error => Line::from(Span::styled(inert(&m.text).into_owned(), t.alert())),
            Some(m) => Line::from(Span::styled(inert(&m.text).into_owned(), t.ok())),
            None => Line::from(Span::styled(position(app), t.muted())),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// "12/40 employees", "filter "del": 3 of …" and the like.
fn position(app: &App) -> String {
    match app.tab {
        Tab::Roster => {
            let l = &app.roster.list;
            let at = if l.total() == 0 { 0 } else { l.selected() + 1 };
            match &app.roster.filter {
                Some(f) => format!(
                    "{at}/{} matching \"{}\" · Esc clears",
                    l.total(),
                    inert(f.text())
                ),
                None => format!("{at}/{} employees", l.total()),
            }
        }
        Tab::Drafts => {
            let l = &app.drafts.list;
            let at = if l.total() == 0 { 0 } else { l.selected() + 1 };
            format!("{at}/{} {}", l.total(), app.drafts.view.title())
        }
        Tab::Credentials => {
            let l = &app.credentials.list;
            let at = if l.total() == 0 { 0 } else { l.selected() + 1 };
            format!("{at}/{} {}", l.total(), app.credentials.view.title())
        }
        Tab::Cases => {
            let l = &app.cases.list;
            let at = if l.total() == 0 { 0 } else { l.selected() + 1 };
            format!(
                "{at}/{} cases you may see · {} open, {} due soon or overdue",
                l.total(),
                app.cases.open,
                app.cases.pressing
            )
        }
        Tab::Records => {
            let l = &app.records.list;
            let at = if l.total() == 0 { 0 } else { l.selected() + 1 };
            match &app.records.filter {
                Some(f) => format!(
                    "{at}/{} events matching \"{}\", newest first · Esc clears",
                    l.total(),
                    inert(f.text())
                ),
                None => format!("{at}/{} events, newest first", l.total()),
            }
        }
    }
}

pub fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let t = app.theme;
    let hints: Vec<(&str, &str)> = match app.layers.last() {
        Some(Layer::Confirm(_)) => vec![("y", "yes"), ("n/Esc", "no")],
        Some(Layer::Reason { .. }) => vec![("Enter", "submit"), ("Esc", "cancel")],
        Some(Layer::Form(_)) => vec![
            ("Tab/↓", "next"),
            ("S-Tab/↑", "previous"),
            ("Enter on last/^S", "save"),
            ("Esc", "cancel"),
        ],
        Some(Layer::Editor(_)) => vec![("^S", "save"), ("Esc", "cancel")],
        Some(Layer::Command(_)) => vec![("Enter", "run"), ("Esc", "cancel")],
        Some(Layer::Filter) => vec![("↑/↓", "move"), ("Enter", "keep"), ("Esc", "clear")],
        Some(Layer::Help) | Some(Layer::Output(_)) => vec![("any key", "close")],
        Some(Layer::Draft) | Some(Layer::Case) => {
            let mut h = vec![("Esc", "back"), ("j/k", "scroll")];
            h.extend(keymap::footer(&app.scopes()));
            h
        }
        Some(Layer::Card) | Some(Layer::Event) => {
            let mut h = vec![("Esc", "back")];
            h.extend(
                keymap::footer(&app.scopes())
                    .into_iter()
                    .filter(|(k, _)| *k != "/"),
            );
            h
        }
        None => keymap::footer(&app.scopes()),
    };
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, word) in hints {
        let width = key.width() + word.width() + 3;
        if used + width > area.width as usize {
            break;
        }
        used += width;
        spans.push(Span::styled(key.to_string(), t.key()));
        spans.push(Span::raw(format!(" {word}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
