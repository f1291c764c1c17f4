//! The Credentials and Cases tabs on a `TestBackend`, on the demo county
//! (tests/screen): snapshots, and key scripts that approve and complete a
//! request, acknowledge an overdue notice, file the rotations a departure
//! calls for, open and work a case from a rejected draft, and show that a
//! case's subject never sees it.
//!
//! The demo as of 2026-11-28: CR-6 (admin_role on sierravistaprobation,
//! requested by P1030) awaits Dana Whitaker (P1010, login dana), the
//! responsible Chief Deputy; CR-5 (exigent password change on
//! SierraVistaCountyProbation by P1044) was never acknowledged and is
//! overdue; P1033's revocation and P1035's separation left
//! sierravistaprobation and SVCProbation known to departed members.
//! Cases: SM-2026-0001 (closed) and SM-2026-0002 (investigating) about
//! Rachel Kim (P1032, rkim), SM-2026-0003 (open, overdue) about Ethan
//! Nguyen (P1049, enguyen), linked to D-12.

mod screen;

use crossterm::event::KeyCode;
use ratatui::style::Color;
use screen::{today, Screen};
use socialdesk::store::{cases, credentials};
use socialdesk::tui::theme::Theme;

/// Moves the selection to the row starting with `id` and returns the screen.
fn select(s: &mut Screen, id: &str) -> String {
    s.keys("g");
    for _ in 0..30 {
        let screen = s.draw();
        if screen.lines().any(|l| l.contains(&format!("▶ {id} "))) {
            return screen;
        }
        s.keys("j");
    }
    panic!("{id} is not in the list:\n{}", s.draw());
}

/// The tab bar's line.
fn tabs(screen: &str) -> &str {
    screen.lines().nth(1).expect("a tab bar")
}

/// The one line of the list that shows `id`.
fn row<'a>(screen: &'a str, id: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(&format!(" {id} ")))
        .unwrap_or_else(|| panic!("no row for {id}:\n{screen}"))
}

/// The requested admin_role change on sierravistaprobation, as the store has it.
fn requested_admin_role(s: &Screen) -> String {
    credentials::list(s.app.store.conn(), today())
        .unwrap()
        .into_iter()
        .find(|c| {
            c.kind == "admin_role" && c.status == "requested" && c.handle == "sierravistaprobation"
        })
        .expect("the demo's requested admin_role change")
        .id
}

/// The exigent change whose notice is overdue.
fn overdue_change(s: &Screen) -> String {
    let overdue: Vec<String> = credentials::list(s.app.store.conn(), today())
        .unwrap()
        .into_iter()
        .filter(|c| c.overdue)
        .map(|c| c.id)
        .collect();
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    overdue[0].clone()
}

// ---------------------------------------------------------------- snapshots

#[test]
fn credentials_tab_at_80x24_in_mono() {
    let mut s = Screen::new("chief", 80, 24);
    assert_eq!(s.app.theme, Theme::MONO);
    let screen = s.keys("3");
    let overdue = overdue_change(&s);
    assert!(
        row(&screen, &overdue).contains("OVERDUE"),
        "without colour the overdue notice still reads OVERDUE:\n{screen}"
    );
    assert!(
        tabs(&screen).contains(" 3 Credentials (2) "),
        "CR-6 awaits the chief and CR-5 is overdue:\n{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn credentials_tab_at_80x24_in_colour() {
    let mut s = Screen::new("chief", 80, 24);
    s.app.theme = Theme::COLOR;
    let screen = s.keys("3");
    let overdue = overdue_change(&s);
    let buffer = s.terminal.backend().buffer().clone();
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(&format!(" {overdue} ")))
        .expect("the overdue row");
    let col = line
        .find("OVERDUE")
        .map(|byte| line[..byte].chars().count() - 1)
        .expect("OVERDUE is written out, not only coloured");
    let cell = &buffer[(col as u16, y as u16)];
    assert_eq!(
        cell.fg,
        Color::Red,
        "the overdue notice is red: {cell:?}\n{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn cases_tab_at_80x24() {
    let mut s = Screen::new("chief", 80, 24);
    let screen = s.keys("4");
    for id in ["SM-2026-0001", "SM-2026-0002", "SM-2026-0003"] {
        assert!(screen.contains(id), "{id}:\n{screen}");
    }
    assert!(row(&screen, "SM-2026-0003").contains("OVERDUE"), "{screen}");
    assert!(
        tabs(&screen).contains(" 4 Cases (2) "),
        "two open cases:\n{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn case_detail_at_120x40() {
    let mut s = Screen::new("chief", 120, 40);
    s.keys("4");
    // Newest first: SM-2026-0003 is the first row (the list pane cuts ids
    // short at this width, see case_ids_are_readable_in_the_cases_list_at_120x40).
    s.keys("g");
    assert_eq!(s.app.cases.selected().unwrap().id, "SM-2026-0003");
    let screen = s.key(KeyCode::Enter);
    assert!(screen.contains("SM-2026-0003 · open"), "{screen}");
    assert!(screen.contains("Ethan Nguyen (P1049)"), "{screen}");
    assert!(
        screen.contains("Timeline") && screen.contains("opened"),
        "{screen}"
    );
    assert!(screen.contains("D-12"), "{screen}");
    // Opening it is a recorded view.
    let (action, entity): (String, String) = s
        .app
        .store
        .conn()
        .query_row(
            "SELECT action, entity FROM audit_events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (action.as_str(), entity.as_str()),
        ("case.view", "case:SM-2026-0003")
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn case_ids_are_readable_in_the_cases_list_at_120x40() {
    let mut s = Screen::new("chief", 120, 40);
    let screen = s.keys("4");
    for id in ["SM-2026-0001", "SM-2026-0002", "SM-2026-0003"] {
        assert!(
            screen.lines().any(|l| l.contains(&format!(" {id} "))),
            "{id} is cut short in the list:\n{screen}"
        );
    }
    assert!(screen.contains("Ethan Nguyen"), "{screen}");
}

// --------------------------------------------------------------- key scripts

#[test]
fn keys_that_arrive_in_one_burst_after_a_tab_switch_are_not_lost() {
    // Over a slow link keys come in bursts, and the event loop applies a
    // whole burst before it draws (src/tui/mod.rs): `3` then `j` must
    // still move to the second change, `4` then `G` to the last case.
    let mut s = Screen::new("dana", 80, 24);
    let screen = s.keys("3j");
    assert!(screen.contains("▶ CR-5 "), "{screen}");
    let screen = s.keys("4G");
    assert!(screen.contains("▶ SM-2026-0001 "), "{screen}");
}

#[test]
fn dana_approves_then_completes_the_requested_change() {
    let mut s = Screen::new("dana", 80, 24);
    s.keys("3");
    let cr = requested_admin_role(&s);
    let before = select(&mut s, &cr);
    assert!(tabs(&before).contains(" 3 Credentials (2) "), "{before}");
    assert!(row(&before, &cr).contains("requested"), "{before}");

    let approved = s.keys("a");
    assert!(approved.contains(&format!("{cr} approved")), "{approved}");
    assert!(row(&approved, &cr).contains("approved"), "{approved}");
    assert!(
        tabs(&approved).contains(" 3 Credentials (1) "),
        "the decided request no longer awaits dana:\n{approved}"
    );

    let confirm = s.keys("c");
    assert!(
        confirm.contains(&format!("Record that the change {cr} was made?")),
        "{confirm}"
    );
    let done = s.keys("y");
    assert!(done.contains(&format!("{cr} recorded as made")), "{done}");
    assert!(row(&done, &cr).contains("completed"), "{done}");
    assert!(done.contains("made, recorded by P1010"), "{done}");
    assert!(tabs(&done).contains(" 3 Credentials (1) "), "{done}");

    let n: i64 = cr.trim_start_matches("CR-").parse().unwrap();
    let c = credentials::get(s.app.store.conn(), n, today()).unwrap();
    assert_eq!(c.status, "completed");
    assert_eq!(c.approved_by.as_deref(), Some("P1010"));
    assert_eq!(c.completed_by.as_deref(), Some("P1010"));
}

#[test]
fn a_confirmation_is_not_given_by_enter() {
    let mut s = Screen::new("dana", 80, 24);
    s.keys("3");
    let cr = requested_admin_role(&s);
    select(&mut s, &cr);
    s.keys("a");
    s.keys("c");
    s.key(KeyCode::Enter);
    let screen = s.key(KeyCode::Esc);
    assert!(row(&screen, &cr).contains("approved"), "{screen}");
}

#[test]
fn dana_acknowledges_the_overdue_notice() {
    let mut s = Screen::new("dana", 80, 24);
    s.keys("3");
    let cr = overdue_change(&s);
    let before = select(&mut s, &cr);
    assert!(row(&before, &cr).contains("OVERDUE"), "{before}");
    assert!(tabs(&before).contains(" 3 Credentials (2) "), "{before}");
    assert!(
        before.contains("OVERDUE: the responsible Chief Deputy"),
        "{before}"
    );

    let confirm = s.keys("A");
    assert!(
        confirm.contains(&format!("Acknowledge the notice of exigent change {cr}?")),
        "{confirm}"
    );
    let done = s.keys("y");
    assert!(done.contains(&format!("{cr} acknowledged")), "{done}");
    assert!(row(&done, &cr).contains("acknowledged"), "{done}");
    assert!(!done.contains("OVERDUE"), "{done}");
    assert!(done.contains("acknowledged by P1010"), "{done}");
    assert!(tabs(&done).contains(" 3 Credentials (1) "), "{done}");
    let overdue_view = {
        s.keys("v");
        s.keys("v")
    };
    assert!(
        overdue_view.contains("overdue notices (0)"),
        "{overdue_view}"
    );
}

#[test]
fn someone_else_may_not_acknowledge() {
    // Marcus Bell (mbell) is a chief deputy, not responsible for the account.
    let mut s = Screen::new("mbell", 80, 24);
    s.keys("3");
    let cr = overdue_change(&s);
    select(&mut s, &cr);
    s.keys("A");
    let refused = s.keys("y");
    assert!(refused.contains("refused"), "{refused}");
    assert!(row(&refused, &cr).contains("OVERDUE"), "{refused}");
}

#[test]
fn the_chief_files_password_changes_for_departed_member_warnings() {
    let mut s = Screen::new("chief", 80, 24);
    let screen = s.keys("3");
    assert!(
        screen.contains("! sierravistaprobation: credentials known to a departed member (P1033)"),
        "{screen}"
    );
    assert!(
        screen.contains("! SVCProbation: credentials known to a departed member (P1033, P1035)"),
        "{screen}"
    );
    let before = credentials::list(s.app.store.conn(), today())
        .unwrap()
        .len();
    let confirm = s.keys("P");
    assert!(
        confirm.contains("File a password change request for each of the 2 account(s)"),
        "{confirm}"
    );
    let filed = s.keys("y");
    assert!(filed.contains("filed CR-7, CR-8"), "{filed}");
    let all = credentials::list(s.app.store.conn(), today()).unwrap();
    assert_eq!(all.len(), before + 2);
    let mut new: Vec<(String, String, String, String)> = all
        .iter()
        .filter(|c| c.id == "CR-7" || c.id == "CR-8")
        .map(|c| {
            (
                c.handle.clone(),
                c.kind.clone(),
                c.status.clone(),
                c.requested_by.clone(),
            )
        })
        .collect();
    new.sort();
    let want = |h: &str| {
        (
            h.to_string(),
            "password".to_string(),
            "requested".to_string(),
            "P1001".to_string(),
        )
    };
    assert_eq!(new, [want("SVCProbation"), want("sierravistaprobation")]);
    for id in ["CR-7", "CR-8"] {
        assert!(row(&filed, id).contains("password"), "{filed}");
    }
    // Once the password change on an account is made, its warning is gone.
    s.keys("g");
    s.keys("j");
    let second = s.draw();
    assert!(second.contains("▶ CR-7 "), "{second}");
    let approved = s.keys("a");
    assert!(approved.contains("CR-7 approved"), "{approved}");
    s.keys("c");
    let made = s.keys("y");
    assert!(made.contains("CR-7 recorded as made"), "{made}");
    assert!(
        !made.contains("! sierravistaprobation: credentials known"),
        "{made}"
    );
}

#[test]
fn a_departed_member_warning_stays_until_the_password_change_is_made() {
    // SPEC §2: the warning shows until a password change on the account is
    // completed; filing the request is not yet the change.
    let mut s = Screen::new("chief", 80, 24);
    s.keys("3");
    s.keys("P");
    let filed = s.keys("y");
    assert!(filed.contains("filed CR-7, CR-8"), "{filed}");
    let later = s.key(KeyCode::Esc);
    for handle in ["sierravistaprobation", "SVCProbation"] {
        assert!(
            later
                .lines()
                .any(|l| l.contains(handle) && l.contains("departed member")),
            "the warning for {handle} is gone while its password change is only requested:\n{later}"
        );
    }
}

#[test]
fn open_and_work_a_case_from_a_rejected_draft() {
    let mut s = Screen::new("chief", 80, 24);
    s.keys("2");
    let mut screen = s.draw();
    for _ in 0..3 {
        if screen.contains("all drafts (") {
            break;
        }
        screen = s.keys("v");
    }
    assert!(screen.contains("all drafts ("), "{screen}");
    let d2 = select(&mut s, "D-2");
    assert!(row(&d2, "D-2").contains("rejected"), "{d2}");

    let form = s.keys("O");
    assert!(form.contains("Open a case (V.8)"), "{form}");
    assert!(
        form.lines()
            .any(|l| l.contains("Subject") && l.contains("P1032")),
        "{form}"
    );
    assert!(
        form.lines()
            .any(|l| l.contains("Link") && l.contains("D-2")),
        "{form}"
    );
    // Subject, Clause, then the Summary.
    s.key(KeyCode::Tab);
    s.key(KeyCode::Tab);
    s.keys("Posted a personal discount code on the Department page");
    let last = s.key(KeyCode::Tab);
    assert!(last.contains("▶ Link"), "{last}");
    let saved = s.key(KeyCode::Enter);
    assert!(
        saved.contains("SM-2026-0004 opened about Rachel Kim"),
        "{saved}"
    );

    let list = s.keys("4");
    assert!(tabs(&list).contains(" 4 Cases (3) "), "{list}");
    let list = select(&mut s, "SM-2026-0004");
    assert!(row(&list, "SM-2026-0004").contains("open"), "{list}");
    assert!(
        list.lines()
            .any(|l| l.contains("Links") && l.contains("D-2")),
        "{list}"
    );

    s.keys("i");
    s.keys("P1011");
    let assigned = s.key(KeyCode::Enter);
    assert!(
        assigned.contains("SM-2026-0004 assigned to P1011"),
        "{assigned}"
    );
    s.keys("N");
    s.keys("Called the author; she removed the shop link the same day");
    let noted = s.key(KeyCode::Enter);
    assert!(noted.contains("note added to SM-2026-0004"), "{noted}");
    s.keys("s");
    let started = s.keys("y");
    assert!(
        started.contains("SM-2026-0004 is under investigation"),
        "{started}"
    );
    s.keys("f");
    s.keys("sustained");
    let found = s.key(KeyCode::Enter);
    assert!(
        found.contains("finding on SM-2026-0004 recorded"),
        "{found}"
    );
    assert!(found.contains("sustained"), "{found}");
    let confirm = s.keys("C");
    assert!(confirm.contains("Close SM-2026-0004?"), "{confirm}");
    let closed = s.keys("y");
    assert!(closed.contains("SM-2026-0004 closed"), "{closed}");
    assert!(row(&closed, "SM-2026-0004").contains("closed"), "{closed}");
    assert!(tabs(&closed).contains(" 4 Cases (2) "), "{closed}");

    let c = cases::get(s.app.store.conn(), "P1001", "SM-2026-0004", today()).unwrap();
    assert_eq!(c.subject, "P1032");
    assert_eq!(c.status, "closed");
    assert_eq!(c.disposition.as_deref(), Some("sustained"));
    assert_eq!(c.investigator.as_deref(), Some("P1011"));
    assert_eq!(c.links, ["D-2"]);
    assert!(c
        .timeline
        .iter()
        .any(|t| t.kind == "note" && t.text.contains("removed the shop link")));
}

#[test]
fn a_wrong_disposition_is_refused_in_the_tui() {
    let mut s = Screen::new("chief", 80, 24);
    s.keys("4");
    select(&mut s, "SM-2026-0002");
    s.keys("f");
    s.keys("guilty");
    let screen = s.key(KeyCode::Enter);
    assert!(screen.contains("unknown disposition"), "{screen}");
    assert!(
        row(&screen, "SM-2026-0002").contains("investigating"),
        "{screen}"
    );
}

#[test]
fn the_subject_never_sees_their_case() {
    // Ethan Nguyen is the subject of SM-2026-0003.
    let mut s = Screen::new("enguyen", 80, 24);
    let screen = s.keys("4");
    assert!(!screen.contains("SM-2026-0003"), "{screen}");
    assert!(screen.contains("No cases you may see."), "{screen}");
    assert!(tabs(&screen).contains(" 4 Cases "), "{screen}");
    assert!(!tabs(&screen).contains("Cases ("), "{screen}");
    // Nor does his own roster card name it.
    s.keys("1");
    s.keys("/");
    s.keys("Ethan Nguyen");
    s.key(KeyCode::Enter);
    let card = s.key(KeyCode::Enter);
    assert!(
        card.contains("┌ Ethan Nguyen ") && card.contains("P1049"),
        "his card is open:\n{card}"
    );
    assert!(!card.contains("SM-2026"), "{card}");
    assert!(!card.lines().any(|l| l.contains("│Cases ")), "{card}");

    // The chief's card of him does.
    let mut chief = Screen::new("chief", 80, 24);
    chief.keys("1");
    chief.keys("/");
    chief.keys("Ethan Nguyen");
    chief.key(KeyCode::Enter);
    let card = chief.key(KeyCode::Enter);
    assert!(card.contains("┌ Ethan Nguyen "), "{card}");
    assert!(
        card.lines()
            .any(|l| l.contains("│Cases ") && l.contains("SM-2026-0003")),
        "{card}"
    );
}

#[test]
fn an_officer_who_is_the_subject_of_two_cases_sees_none() {
    let mut s = Screen::new("rkim", 80, 24);
    let screen = s.keys("4");
    assert!(!screen.contains("SM-2026"), "{screen}");
    assert!(screen.contains("No cases you may see."), "{screen}");
    // The : command line answers the same as for a case that does not exist.
    s.keys(":");
    s.keys("case show SM-2026-0001");
    let own = s.key(KeyCode::Enter);
    s.keys(":");
    s.keys("case show SM-2026-0042");
    let none = s.key(KeyCode::Enter);
    let message = |screen: &str, id: &str| -> String {
        screen
            .lines()
            .rev()
            .nth(1)
            .unwrap_or("")
            .replace(id, "<ID>")
    };
    assert!(own.contains("refused"), "{own}");
    assert_eq!(
        message(&own, "SM-2026-0001"),
        message(&none, "SM-2026-0042")
    );
}
