//! The TUI drawn on a `TestBackend`: whole screens at 80×24 and 120×40,
//! snapshotted with insta, and key scripts run through the real App.

mod screen;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use screen::Screen;
use socialdesk::store::roster::{self, NewEmployee};

#[test]
fn roster_at_80x24() {
    let mut s = Screen::new("chief", 80, 24);
    insta::assert_snapshot!(s.draw());
}

#[test]
fn roster_at_120x40_shows_the_card_beside_the_list() {
    let mut s = Screen::new("chief", 120, 40);
    s.keys("jjjjj");
    let screen = s.draw();
    assert!(screen.contains("Dana Whitaker"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn help_overlay_lists_every_key() {
    let mut s = Screen::new("chief", 80, 24);
    let screen = s.keys("?");
    assert!(screen.contains("Help"));
    use socialdesk::tui::keymap::{Scope, BINDINGS};
    for b in BINDINGS
        .iter()
        .filter(|b| matches!(b.scope, Scope::Global | Scope::List | Scope::Roster))
    {
        assert!(screen.contains(b.label), "help lacks {}", b.label);
    }
    insta::assert_snapshot!(screen);
    let closed = s.key(KeyCode::Esc);
    assert!(!closed.contains(" Help "));
}

#[test]
fn too_small_shows_a_notice_and_never_panics() {
    let mut s = Screen::new("chief", 80, 24);
    insta::assert_snapshot!(s.resize(50, 12));
    for (w, h) in [
        (0, 0),
        (1, 1),
        (59, 16),
        (60, 15),
        (60, 16),
        (200, 3),
        (3, 200),
        (61, 17),
    ] {
        s.terminal.backend_mut().resize(w, h);
        s.app.resize(w, h);
        s.render();
        for code in [
            KeyCode::Char('?'),
            KeyCode::Esc,
            KeyCode::Char('G'),
            KeyCode::Enter,
            KeyCode::Esc,
        ] {
            s.app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
            s.render();
        }
    }
    let back = s.resize(80, 24);
    assert!(
        back.contains("/40 employees") && back.contains("Records"),
        "{back}"
    );
}

#[test]
fn filter_then_open_a_card() {
    let mut s = Screen::new("chief", 80, 24);
    let filtered = s.keys("/del");
    let first_row = filtered.lines().nth(3).unwrap();
    assert!(first_row.contains("▶ Maria Delgado"), "{filtered}");
    s.key(KeyCode::Enter);
    let card = s.key(KeyCode::Enter);
    assert!(card.contains("Maria Delgado") && card.contains("P1060") && card.contains("Staff"));
    insta::assert_snapshot!(card);
    let back = s.key(KeyCode::Esc);
    assert!(back.contains("matching \"del\""), "{back}");
    let cleared = s.key(KeyCode::Esc);
    assert!(cleared.contains("/40 employees"), "{cleared}");
}

#[test]
fn authorize_and_revoke_with_the_keyboard_then_see_both_in_records() {
    let mut s = Screen::new("chief", 80, 24);
    s.keys("/delgado");
    s.key(KeyCode::Enter);
    let asking = s.keys("A");
    assert!(asking.contains("Authorize Maria Delgado"), "{asking}");
    let still = s.key(KeyCode::Enter);
    assert!(
        still.contains("Authorize Maria Delgado"),
        "Enter alone must not confirm"
    );
    let done = s.keys("y");
    assert!(done.contains("Maria Delgado is authorized"), "{done}");
    assert!(done.contains("team"), "{done}");
    let reason = s.keys("R");
    assert!(reason.contains("Reason"), "{reason}");
    let empty = s.key(KeyCode::Enter);
    assert!(empty.contains("an answer is required"), "{empty}");
    s.keys("back to records duty");
    let revoked = s.key(KeyCode::Enter);
    assert!(revoked.contains("team membership is revoked"), "{revoked}");
    let records = s.keys("5");
    let lines: Vec<&str> = records.lines().collect();
    assert!(
        lines[3].contains("roster.revoke") && lines[3].contains("employee:P1060"),
        "{records}"
    );
    assert!(
        lines[4].contains("roster.authorize") && lines[4].contains("employee:P1060"),
        "{records}"
    );
}

#[test]
fn separation_asks_and_defaults_to_no() {
    let mut s = Screen::new("chief", 80, 24);
    s.keys("/jcarter");
    s.key(KeyCode::Enter);
    let asking = s.keys("S");
    assert!(asking.contains("separation"), "{asking}");
    let kept = s.keys("n");
    assert!(kept.contains("nothing was changed"), "{kept}");
    s.keys("S");
    let done = s.keys("y");
    assert!(done.contains("separation is recorded"), "{done}");
    assert!(done.contains("separated"), "{done}");
}

#[test]
fn add_an_employee_with_the_form() {
    let mut s = Screen::new("chief", 80, 24);
    let form = s.keys("n");
    assert!(form.contains("New employee"), "{form}");
    s.keys("P2000");
    s.key(KeyCode::Tab);
    s.keys("Zed Alder");
    for _ in 0..6 {
        s.key(KeyCode::Tab);
    }
    let saved = s.key(KeyCode::Enter);
    assert!(saved.contains("saved Zed Alder (P2000)"), "{saved}");
    let bad = {
        s.keys("n");
        s.keys("P2001");
        s.key(KeyCode::Tab);
        s.keys("Bad Rank");
        s.key(KeyCode::Tab);
        for _ in 0..7 {
            s.key(KeyCode::Backspace);
        }
        s.keys("captain");
        s.app
            .on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        s.draw()
    };
    assert!(bad.contains("unknown rank"), "{bad}");
    let asks = s.key(KeyCode::Esc);
    assert!(asks.contains("Discard"), "{asks}");
}

#[test]
fn an_officer_is_refused_and_the_refusal_is_recorded() {
    let mut s = Screen::new("jcarter", 80, 24);
    let refused = s.keys("n");
    assert!(refused.contains("refused"), "{refused}");
    assert!(!refused.contains("New employee"));
    let records = s.keys("5");
    assert!(records.contains("records view is for"), "{records}");
}

#[test]
fn control_characters_and_bidi_overrides_are_shown_inert() {
    let mut s = Screen::new("chief", 80, 24);
    let me = s.app.session.me.clone();
    roster::add(
        &mut s.app.store,
        &me,
        NewEmployee {
            id: "P3000".into(),
            name: "Aaron \x1b]52;c;aGk=\x07\x1b[2J\u{202E}evil".into(),
            rank: "officer".into(),
            status: "active".into(),
            ..NewEmployee::default()
        },
    )
    .unwrap();
    s.app.apply(socialdesk::tui::action::Action::Refresh);
    let screen = s.draw();
    assert!(screen.contains("Aaron \\x1b]52;c;aGk="), "{screen}");
    assert!(!screen.contains('\x1b') && !screen.contains('\u{202E}'));
    let wide = s.resize(120, 40);
    assert!(wide.contains("⟨U+202E⟩evil"), "{wide}");
}

#[test]
fn the_command_line_runs_cli_verbs() {
    let mut s = Screen::new("chief", 80, 24);
    s.keys(":roster show P1010");
    let out = s.key(KeyCode::Enter);
    assert!(
        out.contains("Output") && out.contains("Dana Whitaker"),
        "{out}"
    );
    s.key(KeyCode::Esc);
    s.keys(":roster authorize P1060");
    let done = s.key(KeyCode::Enter);
    assert!(
        done.contains("authorized for the social media team"),
        "{done}"
    );
    s.keys(":--db x roster list");
    let refused = s.key(KeyCode::Enter);
    assert!(refused.contains("fixed for this session"), "{refused}");
    s.keys(":tab-records");
    let records = s.key(KeyCode::Enter);
    assert!(records.contains("roster.authorize"), "{records}");
}

#[test]
fn records_tab_at_80x24() {
    let mut s = Screen::new("chief", 80, 24);
    let screen = s.keys("5");
    insta::assert_snapshot!(screen);
    let event = s.key(KeyCode::Enter);
    assert!(
        event.contains(" Event ") && event.contains("draft.submit") && event.contains("D-15"),
        "{event}"
    );
}

#[test]
fn help_lists_every_key_of_every_tab_on_a_larger_screen() {
    let mut s = Screen::new("chief", 120, 40);
    let screen = s.keys("?");
    for b in socialdesk::tui::keymap::BINDINGS {
        assert!(
            screen.contains(&format!("{:<7}", b.label).trim_end().to_string()),
            "help lacks {}",
            b.label
        );
    }
    for title in [
        "Roster and employee card",
        "Drafts and review",
        "Credentials (V.7)",
        "Cases (V.8)",
    ] {
        assert!(screen.contains(title), "{screen}");
    }
}

#[test]
fn quitting_asks_only_when_a_form_has_unsaved_input() {
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let mut s = Screen::new("chief", 80, 24);
    s.keys("n");
    s.app.on_key(ctrl_c);
    assert!(s.app.quit, "an untouched form does not hold quitting up");

    let mut s = Screen::new("chief", 80, 24);
    s.keys("nP9");
    s.app.on_key(ctrl_c);
    let asking = s.draw();
    assert!(!s.app.quit);
    assert!(asking.contains("Quit and lose what you typed?"), "{asking}");
    let kept = s.keys("n");
    assert!(kept.contains("New employee"), "{kept}");
    s.app.on_key(ctrl_c);
    s.keys("y");
    assert!(s.app.quit);
}

#[test]
fn the_records_tab_filters_by_action_entity_or_actor() {
    let mut s = Screen::new("chief", 80, 24);
    s.keys("5/");
    let filtered = s.keys("roster.separate");
    assert!(filtered.contains("1 matching"), "{filtered}");
    s.key(KeyCode::Enter);
    let kept = s.draw();
    let rows: Vec<&str> = kept.lines().skip(3).take(3).collect();
    assert!(
        rows[0].contains("roster.separate") && rows[0].contains("employee:P1035"),
        "{kept}"
    );
    assert!(!rows[1].contains("roster."), "{kept}");
    assert!(kept.contains("1/1 events matching"), "{kept}");
    let cleared = s.key(KeyCode::Esc);
    assert!(
        cleared.contains("events, newest first") && !cleared.contains("matching"),
        "{cleared}"
    );
    s.keys("/100%_");
    let none = s.key(KeyCode::Enter);
    assert!(none.contains("0/0 events matching"), "{none}");
}
