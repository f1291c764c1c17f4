//! The Drafts tab on a `TestBackend`: the review queue and the detail pane
//! at 80×24 and 120×40, findings highlighted, and key scripts that clear a
//! queue, write a draft in the built-in editor, and meet another session's
//! decision.

mod screen;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Modifier;
use screen::{today, Screen};
use socialdesk::domain::screening::Rules;
use socialdesk::store::drafts::{self, NewDraft, Verdict};
use socialdesk::store::{Clock, Me, OpenMode, Store};

/// The demo's queue for the chief, oldest first: D-4 and D-5 (stale),
/// D-10 (operations photo: express), D-11 (clean), D-12 (guilt: blocking),
/// D-13 (vote for: blocking), D-14 (DOB, address: express), D-15 (photo
/// without credit: advisory).
fn queue() -> Screen {
    let mut s = Screen::new("chief", 80, 24);
    s.keys("2");
    s
}

fn select(s: &mut Screen, id: &str) -> String {
    s.keys("g");
    for _ in 0..20 {
        let screen = s.draw();
        if screen.lines().any(|l| l.contains(&format!("▶ {id} "))) {
            return screen;
        }
        s.keys("j");
    }
    panic!("{id} is not in the list:\n{}", s.draw());
}

fn second_session(s: &Screen, employee: &str) -> (Store, Me) {
    let mut store = Store::open(&s.path, OpenMode::Existing).unwrap();
    store.clock = Clock::Fixed(today());
    let me = Me {
        employee: employee.into(),
        os_user: "other".into(),
    };
    (store, me)
}

#[test]
fn the_queue_at_80x24() {
    let mut s = queue();
    let screen = s.draw();
    assert!(screen.contains(" 2 Drafts (8) "), "{screen}");
    assert!(screen.contains("awaiting your decision (8)"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_queue_and_detail_at_120x40() {
    let mut s = Screen::new("chief", 120, 40);
    s.keys("2");
    let screen = select(&mut s, "D-12");
    assert!(screen.contains("found guilty"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn findings_are_highlighted_in_the_text() {
    let mut s = Screen::new("chief", 120, 40);
    s.keys("2");
    select(&mut s, "D-12");
    let d = s.app.drafts.selected().unwrap();
    let selected = d.findings[s.app.drafts.finding].text.clone();
    let buffer = s.terminal.backend().buffer().clone();
    let area = buffer.area;
    let mut found = None;
    for y in 0..area.height {
        let row: String = (0..area.width)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        if let Some(col) = row.find(&selected) {
            if !row.contains('"') {
                found = Some((row[..col].chars().count() as u16, y));
                break;
            }
        }
    }
    let (x, y) = found.expect("the text line with the finding");
    let cell = &buffer[(x, y)];
    assert!(
        cell.modifier.contains(Modifier::UNDERLINED),
        "the finding is underlined: {:?}",
        cell
    );
    assert!(
        cell.modifier.contains(Modifier::REVERSED),
        "the selected finding is reversed: {:?}",
        cell
    );
    let before = &buffer[(x.saturating_sub(2), y)];
    assert!(!before.modifier.contains(Modifier::UNDERLINED));
}

#[test]
fn dismiss_approve_reject_and_move_on() {
    let mut s = queue();
    select(&mut s, "D-12");
    let refused = s.keys("a");
    assert!(refused.contains("blocking findings"), "{refused}");
    let blocking = s.app.drafts.selected().unwrap().blocking_open;
    for _ in 0..blocking {
        s.keys("d");
        s.keys("Quoting the court's public record, cleared by counsel");
        let dismissed = s.key(KeyCode::Enter);
        assert!(dismissed.contains("dismissed"), "{dismissed}");
    }
    let approved = s.keys("a");
    assert!(approved.contains("D-12 approved"), "{approved}");
    assert!(
        approved.contains("▶ D-13 "),
        "the next draft is selected: {approved}"
    );
    s.keys("x");
    let empty = s.key(KeyCode::Enter);
    assert!(empty.contains("an answer is required"), "{empty}");
    s.keys("Political activity (V.6.d)");
    let rejected = s.key(KeyCode::Enter);
    assert!(rejected.contains("D-13 rejected"), "{rejected}");
    assert!(rejected.contains("▶ D-14 "), "{rejected}");
    assert!(rejected.contains(" 2 Drafts (6) "), "{rejected}");
    let records = s.keys("5");
    let lines: Vec<&str> = records.lines().collect();
    assert!(
        lines[3].contains("draft.reject") && lines[3].contains("D-13"),
        "{records}"
    );
    assert!(
        lines[4].contains("draft.approve") && lines[4].contains("D-12"),
        "{records}"
    );
}

#[test]
fn express_approval_needs_the_typed_id() {
    let mut s = queue();
    select(&mut s, "D-10");
    let refused = s.keys("a");
    assert!(refused.contains("express approval"), "{refused}");
    s.keys("e");
    s.keys("D-11");
    let wrong = s.key(KeyCode::Enter);
    assert!(wrong.contains("nothing was approved"), "{wrong}");
    s.keys("e");
    s.keys("D-10");
    let done = s.key(KeyCode::Enter);
    assert!(done.contains("express approval"), "{done}");
    assert!(done.contains(" 2 Drafts (7) "), "{done}");
}

#[test]
fn a_decision_taken_elsewhere_first_is_named_and_nothing_is_overwritten() {
    let mut s = queue();
    select(&mut s, "D-11");
    let (mut other, dana) = second_session(&s, "P1010");
    let rules = Rules::builtin();
    drafts::decide(
        &mut other,
        &dana,
        &rules,
        11,
        Verdict::Approve { express: false },
        None,
    )
    .unwrap();
    let screen = s.keys("x");
    assert!(
        screen.contains("Reason") || screen.contains("Reject"),
        "{screen}"
    );
    s.keys("Not our message");
    let conflict = s.key(KeyCode::Enter);
    assert!(
        conflict.contains("already decided") && conflict.contains("Dana Whitaker"),
        "{conflict}"
    );
    let d = drafts::get(other.conn(), 11, today()).unwrap();
    assert_eq!(d.status.as_str(), "approved");
    assert_eq!(d.decisions.len(), 1);
}

#[test]
fn another_sessions_decision_shows_on_the_next_tick() {
    let mut s = queue();
    let before = s.draw();
    assert!(before.contains("(8)"), "{before}");
    let (mut other, dana) = second_session(&s, "P1010");
    drafts::decide(
        &mut other,
        &dana,
        &Rules::builtin(),
        11,
        Verdict::Approve { express: false },
        None,
    )
    .unwrap();
    s.app.tick().unwrap();
    let after = s.draw();
    assert!(after.contains(" 2 Drafts (7) "), "{after}");
    assert!(!after.contains("D-11 "), "{after}");
}

#[test]
fn a_team_member_writes_and_submits_a_draft_in_the_built_in_editor() {
    let mut s = Screen::new("jcarter", 80, 24);
    s.keys("2");
    let form = s.keys("n");
    assert!(form.contains("New draft"), "{form}");
    s.keys("sierravistaprobation");
    for _ in 0..3 {
        s.key(KeyCode::Tab);
    }
    let editor = s.key(KeyCode::Enter);
    assert!(
        editor.contains("New draft for sierravistaprobation"),
        "{editor}"
    );
    s.keys("Join us at the job fair on Saturday!");
    s.key(KeyCode::Enter);
    s.keys("Booth 12, 10am to 2pm.");
    s.app
        .on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let saved = s.draw();
    assert!(saved.contains("D-16 saved with 0 finding(s)"), "{saved}");
    let mine = s.keys("v");
    assert!(mine.contains("your drafts"), "{mine}");
    select(&mut s, "D-16");
    let checklist = s.keys("s");
    assert!(checklist.contains("Submit D-16"), "{checklist}");
    let submitted = s.keys("y");
    assert!(submitted.contains("D-16 submitted"), "{submitted}");
    let d = drafts::get(s.app.store.conn(), 16, today()).unwrap();
    assert_eq!(
        d.text,
        "Join us at the job fair on Saturday!\nBooth 12, 10am to 2pm."
    );
    assert_eq!(d.status.as_str(), "submitted");
}

#[test]
fn an_edit_shows_the_diff_against_the_revision_last_reviewed() {
    let mut s = Screen::new("jcarter", 80, 24);
    let (mut store, me) = second_session(&s, "P1030");
    let rules = Rules::builtin();
    drafts::edit(
        &mut store,
        &me,
        &rules,
        5,
        "Our youth mentoring program celebrates 10 years!\nJoin us Saturday at 11am at the Eastside Community Center.",
        None,
    )
    .unwrap();
    s.app.tick().unwrap();
    s.keys("2v");
    let screen = select(&mut s, "D-5");
    s.key(KeyCode::Enter);
    let mut detail = s.draw();
    for _ in 0..12 {
        if detail.contains("+ Join us Saturday at 11am") {
            break;
        }
        detail = s.keys("j");
    }
    assert!(
        detail.contains("Changes since revision"),
        "{screen}\n{detail}"
    );
    assert!(detail.contains("+ Join us Saturday at 11am"), "{detail}");
}

#[test]
fn hostile_text_in_a_draft_is_shown_inert() {
    let mut s = Screen::new("chief", 120, 40);
    let (mut store, me) = second_session(&s, "P1030");
    let rules = Rules::builtin();
    let d = drafts::create(
        &mut store,
        &me,
        &rules,
        NewDraft {
            account: "sierravistaprobation".into(),
            purpose: "outreach".into(),
            text: "Hello \x1b]52;c;aGk=\x07 and \x1b[2J then \u{202E}txet".into(),
            media: vec![],
        },
    )
    .unwrap();
    drafts::submit(&mut store, &me, &rules, d.number, true).unwrap();
    s.app.tick().unwrap();
    s.keys("2");
    let screen = select(&mut s, "D-16");
    assert!(screen.contains("\\x1b]52;c;aGk=\\x07"), "{screen}");
    assert!(
        screen.contains("\\x1b[2J") && screen.contains("⟨U+202E⟩txet"),
        "{screen}"
    );
    assert!(!screen.contains('\x1b') && !screen.contains('\u{202E}') && !screen.contains('\x07'));
}
