//! The employee card (SPEC §2): rank, unit, contact, team status with
//! history, accounts, flags and warnings.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

use crate::domain::team::Standing;
use crate::store::roster::{Card, GrantRecord};
use crate::text::inert;
use crate::tui::app::App;

/// The card as a full view over the body.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    pane(app, frame, area);
}

/// The card in a bordered pane (beside the list on wide screens).
pub fn pane(app: &App, frame: &mut Frame, area: Rect) {
    let block = Block::bordered().border_style(app.theme.border());
    let Some(card) = &app.roster.card else {
        frame.render_widget(block.title(" Employee "), area);
        return;
    };
    let title = format!(" {} ", inert(&card.employee.name));
    frame.render_widget(
        Paragraph::new(lines(app, card))
            .wrap(Wrap { trim: false })
            .block(block.title(title)),
        area,
    );
}

fn standing(s: Standing) -> String {
    match s {
        Standing::Current { renew_by } | Standing::DueForRecertification { renew_by } => {
            format!("{}, renew by {}", s.label(), renew_by.date_naive())
        }
        Standing::Lapsed { since } => format!("{} since {}", s.label(), since.date_naive()),
        Standing::Revoked { at } => format!("{} on {}", s.label(), at.date_naive()),
        Standing::None => s.label().to_string(),
    }
}

fn day(ts: &str) -> &str {
    ts.get(..10).unwrap_or(ts)
}

fn grant_line(g: &GrantRecord) -> String {
    let scope = g
        .accounts
        .as_ref()
        .map(|a| format!(" (accounts {a})"))
        .unwrap_or_default();
    match (&g.revoked_at, &g.reason) {
        (Some(at), Some(reason)) => format!(
            "  {} by {}{scope} – ended {} ({})",
            day(&g.granted_at),
            g.granted_by,
            day(at),
            inert(reason)
        ),
        _ => format!(
            "  {} by {}{scope} – in force",
            day(&g.granted_at),
            g.granted_by
        ),
    }
}

fn lines(app: &App, card: &Card) -> Vec<Line<'static>> {
    let t = app.theme;
    let e = &card.employee;
    let field = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("{k:<14}"), t.muted()),
            Span::raw(inert(&v).into_owned()),
        ])
    };
    let mut out = vec![
        field("Rank", format!("{} ({})", e.rank.title(), e.rank)),
        field("ID", e.id.clone()),
        field("Unit", e.unit.clone()),
        field("Login", e.login.clone().unwrap_or_else(|| "–".into())),
        field("Email", e.email.clone()),
        field("Phone", e.phone.clone()),
    ];
    let status = match &e.separated_on {
        Some(d) => format!("{} on {d}", e.status),
        None => e.status.to_string(),
    };
    out.push(field("Status", status));
    out.push(Line::from(vec![
        Span::styled(format!("{:<14}", "Team member"), t.muted()),
        if e.team_member {
            Span::styled("yes", t.ok())
        } else {
            Span::raw("no")
        },
    ]));
    out.push(field("Authorization", standing(e.team)));
    if e.delegate || e.delegation != Standing::None {
        out.push(field("Delegation", standing(e.delegation)));
    }
    if !card.may_post_to.is_empty() {
        out.push(field("May post to", card.may_post_to.join(", ")));
    }
    if !card.responsible_handles.is_empty() {
        out.push(field("Responsible", card.responsible_handles.join(", ")));
    }
    if e.separated_but_authorized() {
        out.push(Line::styled(
            "SEPARATED BUT STILL AUTHORIZED: revoke at once (V.1.a)",
            t.alert(),
        ));
    }
    if e.recertification_due() {
        out.push(Line::styled(
            "Due for recertification: press A to renew",
            t.warning(),
        ));
    }
    if e.lapsed() {
        out.push(Line::styled(
            "Authorization lapsed: not a team member until renewed (A)",
            t.warning(),
        ));
    }
    if !card.cases.is_empty() {
        out.push(field("Cases", card.cases.join(", ")));
    }
    if let Some(signals) = &card.early_warning {
        let items: Vec<String> = signals
            .iter()
            .map(|s| format!("{} ({})", s.item, s.what))
            .collect();
        out.push(Line::styled(
            format!("⚑ Early warning: {}", items.join(", ")),
            t.warning(),
        ));
    }
    if !card.overdue_changes.is_empty() {
        out.push(Line::styled(
            format!(
                "OVERDUE exigent change notice: {} (V.7)",
                card.overdue_changes.join(", ")
            ),
            t.alert(),
        ));
    }
    for w in &card.departed_warnings {
        out.push(Line::styled(
            format!(
                "Credentials of {} known to this departed member ({}): change the password (V.7)",
                inert(&w.handle),
                inert(&w.why)
            ),
            t.alert(),
        ));
    }
    for (title, grants) in [
        ("Team authorizations", &card.authorizations),
        ("Delegations", &card.delegations),
    ] {
        if grants.is_empty() {
            continue;
        }
        out.push(Line::raw(""));
        out.push(Line::styled(title, t.header()));
        out.extend(grants.iter().map(|g| Line::raw(grant_line(g))));
    }
    out
}
