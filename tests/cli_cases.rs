//! `socialdesk case …` driven through the real binary (SPEC §1, §5, §6, §7):
//! the lifecycle of a violation case, who may see it (table-driven over
//! ranks and roles, through `case list`, `case show`, `audit log` and the
//! TUI's Cases tab), views recorded, deadlines and early warnings with an
//! injected clock.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use assert_cmd::Command;
use chrono::{DateTime, Datelike, Duration, NaiveDate, SecondsFormat, Utc};
use common::{array, parse, ByUser, TestDb};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::Value;
use sha2::{Digest, Sha256};
use socialdesk::domain::screening::Rules;
use socialdesk::identity::Session;
use socialdesk::store::cases::{self, NewCase, Work};
use socialdesk::store::{roster, Clock, Me, OpenMode, Store};
use socialdesk::tui::app::App;
use socialdesk::tui::theme::Theme;
use socialdesk::tui::ui;

const ACCOUNT: &str = "probation_ig";

/// One employee of each rank (the chief is the OS login), plus xavier, the
/// subject of the cases no one else is subject of.
const STAFF: &[(&str, &str, &str, &str)] = &[
    ("P1", "chief", "chief", "Chief Name"),
    ("AC1", "assistant_chief", "avery", "Avery Assistant"),
    ("CD1", "chief_deputy", "dana", "Dana Deputy"),
    ("SU1", "supervisor", "sam", "Sam Supervisor"),
    ("O1", "officer", "oscar", "Oscar Officer"),
    ("ST1", "staff", "stella", "Stella Staff"),
];

fn is_approver(rank: &str) -> bool {
    matches!(rank, "chief" | "assistant_chief" | "chief_deputy")
}

/// The cases of the confidentiality table: for each rank, one case about
/// its employee and one (about xavier) it investigates; and one case about
/// xavier that no one investigates.
struct Table {
    subject_of: Vec<(String, String)>,
    investigated_by: Vec<(String, String)>,
    neither: String,
}

impl Table {
    fn subject(&self, employee: &str) -> &str {
        &self
            .subject_of
            .iter()
            .find(|(e, _)| e == employee)
            .unwrap()
            .1
    }

    fn investigated(&self, employee: &str) -> &str {
        &self
            .investigated_by
            .iter()
            .find(|(e, _)| e == employee)
            .unwrap()
            .1
    }

    fn all(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .subject_of
            .iter()
            .chain(&self.investigated_by)
            .map(|(_, c)| c.as_str())
            .collect();
        all.push(&self.neither);
        all
    }

    /// SPEC §1: approvers and the case's investigator see it; its subject never.
    fn may_see(&self, employee: &str, rank: &str, case: &str) -> bool {
        let subject = self
            .subject_of
            .iter()
            .any(|(e, c)| e == employee && c == case);
        let investigator = self
            .investigated_by
            .iter()
            .any(|(e, c)| e == employee && c == case);
        !subject && (is_approver(rank) || investigator)
    }

    fn visible(&self, employee: &str, rank: &str) -> BTreeSet<String> {
        self.all()
            .into_iter()
            .filter(|c| self.may_see(employee, rank, c))
            .map(String::from)
            .collect()
    }
}

/// The department's database, made once per test binary and copied for
/// each test; the confidentiality table's cases are in it (opened through
/// the library, which is what the binary runs).
struct Template {
    bytes: Vec<u8>,
    table: Table,
}

fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let db = TestDb::new();
        for (id, rank, login, name) in &STAFF[1..] {
            db.add(id, name, rank, Some(login));
        }
        db.add("X1", "Xavier Extra", "officer", Some("xavier"));
        db.add_account("instagram", ACCOUNT, "CD1");
        db.ok(&["roster", "authorize", "O1"]);

        let mut store = Store::open(&db.path, OpenMode::Existing).unwrap();
        let me = |id: &str| Me {
            employee: id.into(),
            os_user: db.login.clone(),
        };
        let mut open = |by: &str, subject: &str, summary: String| -> String {
            cases::open(
                &mut store,
                &me(by),
                NewCase {
                    subject: subject.into(),
                    clause: "V.8.c.i".into(),
                    summary,
                    links: vec![],
                },
            )
            .unwrap()
            .id
        };
        let mut subject_of = Vec::new();
        let mut investigated = Vec::new();
        for (id, rank, _, _) in STAFF {
            let by = if *rank == "chief" { "AC1" } else { "P1" };
            let case = open(by, id, format!("Case about the {rank} {id}"));
            subject_of.push((id.to_string(), case));
            let case = open("P1", "X1", format!("Case the {rank} {id} investigates"));
            investigated.push((id.to_string(), case));
        }
        let neither = open("P1", "X1", "Case no one investigates".into());
        for (id, case) in &investigated {
            cases::work(&mut store, &me("P1"), case, Work::Assign(id.clone())).unwrap();
        }
        drop(store);
        let conn = db.sqlite();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        drop(conn);
        Template {
            bytes: db.bytes(),
            table: Table {
                subject_of,
                investigated_by: investigated,
                neither,
            },
        }
    })
}

struct Dept {
    db: TestDb,
}

fn dept() -> Dept {
    Dept {
        db: TestDb::from_bytes(&template().bytes),
    }
}

impl ByUser for Dept {
    fn db(&self) -> &TestDb {
        &self.db
    }
}

impl Dept {
    /// A command that fails with `code` and changes no data.
    fn fails_unchanged(&self, who: &str, args: &[&str], code: i32) -> String {
        let before = self.db.snapshot();
        let out = self.run(who, args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert_eq!(self.db.snapshot(), before, "{args:?} changed the data");
        stderr
    }

    /// The newest audit event, read directly.
    fn last_event(&self) -> (String, String, String, String) {
        self.db
            .sqlite()
            .query_row(
                "SELECT actor, action, entity, state FROM audit_events ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap()
    }

    fn at(&self, who: &str, now: &str) -> Command {
        let mut c = self.cmd(who);
        c.env("SOCIALDESK_NOW", now);
        c
    }

    fn json_at(&self, who: &str, now: &str, args: &[&str]) -> Value {
        parse(&common::succeeds(
            self.at(who, now).arg("--json").args(args),
        ))
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn login_of(employee: &str) -> &'static str {
    STAFF.iter().find(|s| s.0 == employee).unwrap().2
}

// ---------------------------------------------------------------- lifecycle

#[test]
fn a_case_from_opening_to_reopening() {
    let d = dept();
    let year = Utc::now().year();
    let draft = d.json(
        "oscar",
        &[
            "draft",
            "new",
            "--account",
            ACCOUNT,
            "--purpose",
            "outreach",
            "--text",
            "Join us at the county fair booth on Saturday.",
        ],
    );
    let draft = draft["id"].as_str().unwrap().to_string();
    let cr = d.json(
        "oscar",
        &[
            "cred",
            "request",
            "--account",
            ACCOUNT,
            "--kind",
            "password",
            "--reason",
            "Quarterly rotation",
        ],
    );
    let cr = cr["id"].as_str().unwrap().to_string();

    // An officer may not open a case; nor may anyone about themselves.
    let open_args = |subject: &'static str| {
        vec![
            "case",
            "open",
            "--subject",
            subject,
            "--clause",
            "V.8.c.ii",
            "--summary",
            "Posted a draft with a personal discount code",
        ]
    };
    d.fails_unchanged("oscar", &open_args("X1"), 3);
    d.fails_unchanged("dana", &open_args("CD1"), 3);
    // Bad clause, unknown subject: exit 1.
    let mut bad = open_args("O1");
    bad[5] = "V.8.c";
    d.fails_unchanged("dana", &bad, 1);
    d.fails_unchanged("dana", &open_args("NOBODY"), 1);

    let mut args = open_args("O1");
    args.extend(["--draft", &draft]);
    let opened = d.json("dana", &args);
    let id = opened["id"].as_str().unwrap().to_string();
    let n = template().table.all().len();
    assert_eq!(id, format!("SM-{year}-{:04}", n + 1), "{opened}");
    assert_eq!(opened["subject"], "O1");
    assert_eq!(opened["clause"], "V.8.c.ii");
    assert_eq!(opened["status"], "open");
    assert!(opened["disposition"].is_null());
    assert!(opened["investigator"].is_null());
    assert_eq!(
        template().table.subject_of[0].1,
        format!("SM-{year}-0001"),
        "the year's first case"
    );
    let due = (Utc::now().date_naive() + Duration::days(30)).to_string();
    assert_eq!(opened["due"], due.as_str(), "case_due_days is 30");
    assert_eq!(opened["links"], serde_json::json!([draft]));

    // A disposition comes only with the finding, and only from investigating.
    let stderr = d.fails_unchanged(
        "dana",
        &["case", "finding", &id, "--disposition", "sustained"],
        3,
    );
    assert!(stderr.starts_with("error: refused"), "{stderr}");
    d.fails_unchanged("dana", &["case", "close", &id], 3);

    let assigned = d.json("dana", &["case", "assign", &id, "--investigator", "SU1"]);
    assert_eq!(assigned["investigator"], "SU1");
    // The subject cannot investigate; the investigator may not reassign.
    d.fails_unchanged("dana", &["case", "assign", &id, "--investigator", "O1"], 3);
    d.fails_unchanged("sam", &["case", "assign", &id, "--investigator", "ST1"], 3);

    // The investigator works the case.
    let noted = d.json(
        "sam",
        &[
            "case",
            "note",
            &id,
            "--text",
            "Interviewed the author on Monday",
        ],
    );
    assert!(noted["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["text"] == "Interviewed the author on Monday" && t["by"] == "SU1"));

    let file = d.db.file("screenshot.png");
    let content = b"\x89PNG evidence bytes";
    std::fs::write(&file, content).unwrap();
    let missing = d.db.file("no-such-file.png");
    let stderr = d.fails_unchanged(
        "sam",
        &["case", "evidence", &id, "--file", missing.to_str().unwrap()],
        1,
    );
    assert!(stderr.starts_with("error:"), "{stderr}");
    let with_evidence = d.json(
        "sam",
        &["case", "evidence", &id, "--file", file.to_str().unwrap()],
    );
    let evidence = &with_evidence["evidence"][0];
    assert_eq!(evidence["path"], file.to_str().unwrap());
    assert_eq!(
        evidence["sha256"],
        hex::encode(Sha256::digest(content)).as_str()
    );
    assert_eq!(evidence["bytes"], content.len());

    // link needs exactly one target (usage), and a real one.
    assert_eq!(d.run("sam", &["case", "link", &id]).status.code(), Some(2));
    d.fails_unchanged("sam", &["case", "link", &id, "--cred", "CR-99"], 1);
    d.json("sam", &["case", "link", &id, "--cred", &cr]);
    let linked = d.json("sam", &["case", "link", &id, "--account", ACCOUNT]);
    let links: BTreeSet<&str> = linked["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(
        links,
        BTreeSet::from([draft.as_str(), cr.as_str(), ACCOUNT])
    );

    let started = d.json("sam", &["case", "start", &id]);
    assert_eq!(started["status"], "investigating");
    assert!(started["disposition"].is_null());
    d.fails_unchanged("sam", &["case", "start", &id], 3);
    d.fails_unchanged(
        "sam",
        &["case", "finding", &id, "--disposition", "guilty"],
        1,
    );
    assert_eq!(
        d.run("sam", &["case", "finding", &id]).status.code(),
        Some(2),
        "finding needs --disposition"
    );
    let found = d.json(
        "sam",
        &["case", "finding", &id, "--disposition", "sustained"],
    );
    assert_eq!(found["status"], "finding");
    assert_eq!(found["disposition"], "sustained");

    let closed = d.json("dana", &["case", "close", &id]);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["disposition"], "sustained");
    d.fails_unchanged("dana", &["case", "start", &id], 3);
    d.fails_unchanged("dana", &["case", "link", &id, "--account", ACCOUNT], 3);

    // Reopening needs a reason: without one it is a usage error.
    let out = d.run("dana", &["case", "reopen", &id]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    d.fails_unchanged("dana", &["case", "reopen", &id, "--reason", " "], 1);
    d.fails_unchanged(
        "sam",
        &["case", "reopen", &id, "--reason", "New screenshots"],
        3,
    );
    let reopened = d.json(
        "dana",
        &[
            "case",
            "reopen",
            &id,
            "--reason",
            "New screenshots surfaced",
        ],
    );
    assert_eq!(reopened["status"], "open");

    // The timeline tells the whole story, in order.
    let shown = d.json("dana", &["case", "show", &id]);
    let kinds: Vec<&str> = shown["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "opened",
            "linked",
            "assigned",
            "note",
            "evidence",
            "linked",
            "linked",
            "investigating",
            "finding",
            "closed",
            "open"
        ],
        "{shown}"
    );
    let text = d.ok("dana", &["case", "show", &id]);
    assert!(
        text.contains("reopened: New screenshots surfaced") && text.contains("finding: sustained"),
        "{text}"
    );
    let list = d.ok("dana", &["case", "list"]);
    assert!(
        list.lines().any(|l| l.contains(&id) && l.contains("open")),
        "{list}"
    );

    // Numbering starts again each year.
    let next_year = format!("{}-01-15T10:00:00Z", year + 1);
    let next = d.json_at("dana", &next_year, &open_args("O1"));
    assert_eq!(next["id"], format!("SM-{}-0001", year + 1).as_str());
}

#[test]
fn the_audit_log_of_a_case_starts_with_its_opening() {
    let d = dept();
    let opened = d.json(
        "dana",
        &[
            "case",
            "open",
            "--subject",
            "O1",
            "--clause",
            "V.8.a",
            "--summary",
            "Shared a client's name in a draft",
        ],
    );
    let id = opened["id"].as_str().unwrap().to_string();
    d.json("dana", &["case", "assign", &id, "--investigator", "SU1"]);
    let entity = format!("case:{id}");
    let events = array(d.json("chief", &["audit", "log", "--entity", &entity]));
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["case.open", "case.assign"],
        "the case's audit events, from its opening, under entity {entity}"
    );
}

// ----------------------------------------------------------- confidentiality

/// The same answer for a case one may not see and one that does not exist:
/// the refusal, with the id itself taken out.
fn unseen_answer(stderr: &str, id: &str) -> String {
    stderr.replace(id, "<ID>")
}

const NO_SUCH_CASE: &str = "SM-2099-9999";

#[test]
fn who_sees_a_case_by_rank_and_role() {
    let d = dept();
    let table = &template().table;
    let d_ref = &d;

    // `case list` and `case show` for every rank × role, run a few at a time.
    struct Probe {
        employee: &'static str,
        rank: &'static str,
        role: &'static str,
        case: String,
    }
    let mut probes = Vec::new();
    for (id, rank, _, _) in STAFF {
        for (role, case) in [
            ("subject", table.subject(id).to_string()),
            ("investigator", table.investigated(id).to_string()),
            ("neither", table.neither.clone()),
            ("no such case", NO_SUCH_CASE.to_string()),
        ] {
            probes.push(Probe {
                employee: id,
                rank,
                role,
                case,
            });
        }
    }
    let shows = common::parallel(
        probes
            .iter()
            .map(|p| move || d_ref.run(login_of(p.employee), &["--json", "case", "show", &p.case]))
            .collect(),
    );
    let lists = common::parallel(
        STAFF
            .iter()
            .map(|(_, _, login, _)| move || d_ref.run(login, &["--json", "case", "list"]))
            .collect(),
    );

    let mut wrong = Vec::new();
    for ((id, rank, login, _), out) in STAFF.iter().zip(&lists) {
        assert!(out.status.success(), "{login}: case list: {out:?}");
        let listed: BTreeSet<String> = array(parse(&String::from_utf8_lossy(&out.stdout)))
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        let want = table.visible(id, rank);
        if listed != want {
            wrong.push(format!(
                "{rank} {id}: case list shows {listed:?}, want {want:?}"
            ));
        }
    }
    let refusal_for = |employee: &str| -> String {
        let i = probes
            .iter()
            .position(|p| p.employee == employee && p.role == "no such case")
            .unwrap();
        let stderr = String::from_utf8_lossy(&shows[i].stderr).into_owned();
        assert_eq!(shows[i].status.code(), Some(3), "{employee}: {stderr}");
        unseen_answer(&stderr, NO_SUCH_CASE)
    };
    for (p, out) in probes.iter().zip(&shows) {
        if p.role == "no such case" {
            continue;
        }
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let may = table.may_see(p.employee, p.rank, &p.case);
        let what = format!("{} {} as {} of {}", p.rank, p.employee, p.role, p.case);
        if may {
            if !out.status.success() {
                wrong.push(format!("{what}: refused: {stderr}"));
            } else {
                let shown = parse(&String::from_utf8_lossy(&out.stdout));
                if shown["id"] != p.case.as_str() {
                    wrong.push(format!("{what}: showed {shown}"));
                }
            }
        } else if out.status.code() != Some(3)
            || unseen_answer(&stderr, &p.case) != refusal_for(p.employee)
            || !out.stdout.is_empty()
        {
            wrong.push(format!(
                "{what}: exit {:?}, stderr {stderr:?}, want the same as for {NO_SUCH_CASE}: {:?}",
                out.status.code(),
                refusal_for(p.employee)
            ));
        }
    }

    // The audit log: events about a case only for those who may see it.
    for (id, rank, login, _) in STAFF {
        let out = d.run(login, &["--json", "audit", "log"]);
        let may_read = matches!(*rank, "chief" | "assistant_chief" | "chief_deputy");
        if !may_read {
            if out.status.code() != Some(3) {
                wrong.push(format!(
                    "{rank} {id}: audit log exit {:?}",
                    out.status.code()
                ));
            }
            continue;
        }
        assert!(out.status.success(), "{login}: audit log: {out:?}");
        let seen: BTreeSet<String> = array(parse(&String::from_utf8_lossy(&out.stdout)))
            .iter()
            .filter_map(|e| {
                e["entity"]
                    .as_str()?
                    .strip_prefix("case:")
                    .map(String::from)
            })
            .filter(|c| c.starts_with("SM-") && c != NO_SUCH_CASE)
            .collect();
        let want = table.visible(id, rank);
        if seen != want {
            wrong.push(format!(
                "{rank} {id}: audit log has events of {seen:?}, want {want:?}"
            ));
        }
    }

    // The library's list (what the TUI reads) and the TUI's Cases tab.
    for (id, rank, _, _) in STAFF {
        let want = table.visible(id, rank);
        let conn = d.db.sqlite();
        let listed: BTreeSet<String> = cases::list(&conn, id, Utc::now())
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        if listed != want {
            wrong.push(format!("{rank} {id}: cases::list gives {listed:?}"));
        }
        let screen = cases_tab(&d.db.path, id);
        let on_screen: BTreeSet<String> = table
            .all()
            .into_iter()
            .filter(|c| screen.contains(c))
            .map(String::from)
            .collect();
        if on_screen != want {
            wrong.push(format!(
                "{rank} {id}: the Cases tab shows {on_screen:?}, want {want:?}\n{screen}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The TUI's Cases tab on `db`, signed in as `employee`, at 80×60 (the
/// list takes the whole width).
fn cases_tab(db: &Path, employee: &str) -> String {
    let now = Utc::now();
    let mut store = Store::open(db, OpenMode::Existing).unwrap();
    store.clock = Clock::Fixed(now);
    let e = roster::find(store.conn(), employee, now).unwrap().unwrap();
    let session = Session {
        me: Me {
            employee: e.id.clone(),
            os_user: "tester".into(),
        },
        employee: e,
        acting_as: false,
    };
    let mut app = App::new(store, session, Rules::builtin(), Theme::MONO, (80, 60)).unwrap();
    app.external_editor = None;
    app.on_key(KeyEvent::new(KeyCode::Char('4'), KeyModifiers::NONE));
    app.prepare().unwrap();
    let mut terminal = Terminal::new(TestBackend::new(80, 60)).unwrap();
    terminal.draw(|f| ui::render(&app, f)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn a_chief_deputy_who_is_the_subject_finds_no_trace_of_the_case() {
    // dana (a chief deputy, who may read the audit log) is the subject of
    // a case opened and worked by others.
    let d = dept();
    let summary = "Shared a probationer's address in a reply";
    let opened = d.json(
        "chief",
        &[
            "case",
            "open",
            "--subject",
            "CD1",
            "--clause",
            "V.8.a",
            "--summary",
            summary,
        ],
    );
    let id = opened["id"].as_str().unwrap().to_string();
    d.json("chief", &["case", "assign", &id, "--investigator", "AC1"]);
    d.json(
        "avery",
        &["case", "note", &id, "--text", "Asked IT for the page log"],
    );
    d.json("avery", &["case", "show", &id]);

    let log = d.ok("dana", &["--json", "audit", "log"]);
    let mut leaks = Vec::new();
    for e in array(parse(&log)) {
        let text = e.to_string();
        if text.contains(&id) || text.contains(summary) {
            leaks.push(text);
        }
    }
    assert!(
        leaks.is_empty(),
        "dana's audit log reveals the case about her:\n{}",
        leaks.join("\n")
    );
    // Nor does her own roster card, nor search.
    let card = d.json("dana", &["roster", "show", "CD1"]);
    assert!(!card.to_string().contains(&id), "{card}");
}

#[test]
fn a_refused_show_of_ones_own_case_looks_like_a_show_of_no_case() {
    // What dana's own refused attempts leave in the audit log she reads must
    // not depend on whether the case exists.
    let d = dept();
    let own = template().table.subject("CD1").to_string();
    let refusals = |d: &Dept| -> usize {
        array(d.json("dana", &["audit", "log"]))
            .iter()
            .filter(|e| e["actor"] == "CD1" && e["action"] == "refused")
            .filter(|e| e["state"].as_str().unwrap_or("").contains("case.show"))
            .count()
    };
    let before = refusals(&d);
    let a = d.fails("dana", &["case", "show", &own], 3);
    let after_own = refusals(&d);
    let b = d.fails("dana", &["case", "show", NO_SUCH_CASE], 3);
    let after_none = refusals(&d);
    assert_eq!(unseen_answer(&a, &own), unseen_answer(&b, NO_SUCH_CASE));
    assert_eq!(
        after_own - before,
        after_none - after_own,
        "dana's audit log shows her refused show of {NO_SUCH_CASE} but not of {own}: \
         so the case about her exists"
    );
}

#[test]
fn viewing_a_case_is_recorded_and_so_is_a_refused_view() {
    let d = dept();
    let table = &template().table;
    let case = table.neither.clone();
    d.json("dana", &["case", "show", &case]);
    let (actor, action, entity, _) = d.last_event();
    assert_eq!(
        (actor.as_str(), action.as_str(), entity.as_str()),
        ("CD1", "case.view", format!("case:{case}").as_str())
    );
    // Text output records a view too.
    d.ok("chief", &["case", "show", &case]);
    assert_eq!(d.last_event().1, "case.view");

    let before = d.db.snapshot();
    d.fails("oscar", &["case", "show", &case], 3);
    let (actor, action, entity, state) = d.last_event();
    assert_eq!((actor.as_str(), action.as_str()), ("O1", "refused"));
    // Under no case's name, so that the log cannot tell a hidden case from none.
    assert_eq!(entity, "case");
    assert!(state.contains("case.show"), "{state}");
    let own = table.subject("SU1").to_string();
    d.fails("sam", &["case", "show", &own], 3);
    assert_eq!(d.last_event().1, "refused");
    assert_eq!(d.db.snapshot(), before, "refused views change nothing");
    // A list is not a view of each case.
    let n: i64 =
        d.db.sqlite()
            .query_row(
                "SELECT count(*) FROM audit_events WHERE action = 'case.view'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    d.ok("chief", &["case", "list"]);
    let m: i64 =
        d.db.sqlite()
            .query_row(
                "SELECT count(*) FROM audit_events WHERE action = 'case.view'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(n, m);
}

// ------------------------------------------------- deadlines, early warnings

#[test]
fn due_dates_and_deadlines_by_the_injected_clock() {
    let d = dept();
    let t0 = Utc::now() + Duration::hours(1);
    let at = |days: i64| rfc3339(t0 + Duration::days(days));
    let open = |summary: &str| -> Value {
        d.json_at(
            "dana",
            &at(0),
            &[
                "case",
                "open",
                "--subject",
                "O1",
                "--clause",
                "V.8.c.iii",
                "--summary",
                summary,
            ],
        )
    };
    let first = open("Posted from a personal device on the Department account");
    let id = first["id"].as_str().unwrap().to_string();
    let day0: NaiveDate = t0.date_naive();
    assert_eq!(
        first["due"],
        (day0 + Duration::days(30)).to_string().as_str()
    );
    assert_eq!(first["deadline"], "fine");

    let deadline = |days: i64, case: &str| -> String {
        let list = array(d.json_at("dana", &at(days), &["case", "list"]));
        let c = list
            .iter()
            .find(|c| c["id"] == case)
            .unwrap_or_else(|| panic!("{case} not listed"));
        c["deadline"].as_str().unwrap().to_string()
    };
    assert_eq!(deadline(10, &id), "fine");
    assert_eq!(deadline(24, &id), "near", "6 days before the due date");
    assert_eq!(deadline(30, &id), "near", "due today");
    assert_eq!(deadline(31, &id), "overdue");
    assert_eq!(
        deadline(366, &id),
        "clock_run_out",
        "case_clock_days is 365"
    );
    let text = common::succeeds(d.at("dana", &at(31)).args(["case", "list"]));
    assert!(
        text.lines()
            .any(|l| l.contains(&id) && l.contains("overdue")),
        "{text}"
    );

    // A new default due date, and a due date set by hand.
    d.ok("chief", &["settings", "set", "case_due_days", "10"]);
    let second = open("Reply to a commenter about a pending case");
    let id2 = second["id"].as_str().unwrap().to_string();
    assert_eq!(
        second["due"],
        (day0 + Duration::days(10)).to_string().as_str()
    );
    assert_eq!(deadline(11, &id2), "overdue");
    let later = (day0 + Duration::days(60)).to_string();
    let moved = d.json_at("dana", &at(1), &["case", "due", &id2, "--on", &later]);
    assert_eq!(moved["due"], later.as_str());
    assert_eq!(deadline(11, &id2), "fine");
    d.fails_unchanged("dana", &["case", "due", &id2, "--on", "next week"], 1);
}

#[test]
fn early_warning_from_rejected_drafts_within_the_window() {
    let d = dept();
    d.ok("chief", &["settings", "set", "warning_threshold", "2"]);
    let mut drafts = Vec::new();
    for text in [
        "Join us at the county fair booth on Saturday.",
        "Our office is closed on Monday for the holiday.",
    ] {
        let new = d.json(
            "oscar",
            &[
                "draft",
                "new",
                "--account",
                ACCOUNT,
                "--purpose",
                "outreach",
                "--text",
                text,
            ],
        );
        let id = new["id"].as_str().unwrap().to_string();
        d.ok("oscar", &["draft", "submit", &id, "--attest"]);
        drafts.push(id);
    }
    let warning = |who: &str, now: Option<String>| -> Value {
        let mut c = d.cmd(who);
        if let Some(now) = now {
            c.env("SOCIALDESK_NOW", now);
        }
        parse(&common::succeeds(
            c.args(["--json", "roster", "show", "O1"]),
        ))["early_warning"]
            .clone()
    };
    d.ok(
        "dana",
        &["draft", "reject", &drafts[0], "--reason", "Not our message"],
    );
    assert!(
        warning("chief", None).is_null(),
        "one event is below the threshold of 2"
    );
    d.ok(
        "dana",
        &[
            "draft",
            "reject",
            &drafts[1],
            "--reason",
            "Duplicate of the website notice",
        ],
    );

    let flagged = warning("chief", None);
    let items: Vec<&str> = flagged
        .as_array()
        .unwrap_or_else(|| panic!("an early warning: {flagged}"))
        .iter()
        .map(|s| s["item"].as_str().unwrap())
        .collect();
    assert_eq!(items, [drafts[0].as_str(), drafts[1].as_str()]);
    let text = d.ok("chief", &["roster", "show", "O1"]);
    assert!(
        text.contains("early warning") && text.contains(&drafts[0]) && text.contains(&drafts[1]),
        "{text}"
    );
    // A supervisory flag: not shown to the employee, nor to a non-approver.
    assert!(warning("oscar", None).is_null());
    assert!(warning("sam", None).is_null());
    // Outside the 90-day window it is gone.
    let later = rfc3339(Utc::now() + Duration::days(100));
    assert!(warning("chief", Some(later)).is_null());
}
