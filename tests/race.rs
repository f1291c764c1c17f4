//! Concurrent processes deciding the same drafts (SPEC §3.3, §9): never
//! two winners, never a lost write, never `database is locked`.
//!
//! The submitted drafts are built through the library (hundreds of process
//! runs would only slow the set-up); the decisions are real `socialdesk`
//! processes.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Barrier};
use std::time::Instant;

use common::{array, succeeds, TestDb, CHIEF_ID, CHIEF_NAME};
use socialdesk::domain::screening::Rules;
use socialdesk::store::drafts::{create, submit, NewDraft};
use socialdesk::store::{Me, OpenMode, Store};

/// How many submitted drafts the workers race for (SPEC: 8 processes, 200 drafts).
const DRAFTS: usize = 200;
/// How many processes decide at once.
const WORKERS: usize = 8;
/// Drafts decided head to head: WORKERS processes started together on one draft.
const DUELS: usize = 8;
const HANDLE: &str = "sv_probation";

/// An approver: login, employee id, name.
type Approver = (String, &'static str, &'static str);

/// The four approvers; the chief is the OS login.
fn approvers(db: &TestDb) -> Vec<Approver> {
    vec![
        ("dana".into(), "CD1", "Dana Deputy"),
        ("marc".into(), "CD2", "Marc Deputy"),
        ("alex".into(), "AC1", "Alex Assistant"),
        (db.login.clone(), CHIEF_ID, CHIEF_NAME),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Approve,
    Reject,
    Changes,
}

impl Verdict {
    fn of(worker: usize, draft: usize) -> Verdict {
        match (worker + draft) % 3 {
            0 => Verdict::Approve,
            1 => Verdict::Reject,
            _ => Verdict::Changes,
        }
    }

    /// The status the draft ends in (and the decision row's value).
    fn status(self) -> &'static str {
        match self {
            Verdict::Approve => "approved",
            Verdict::Reject => "rejected",
            Verdict::Changes => "changes_requested",
        }
    }

    /// How the conflict message words it.
    fn words(self) -> &'static str {
        match self {
            Verdict::Approve => "approved",
            Verdict::Reject => "rejected",
            Verdict::Changes => "changes requested",
        }
    }

    fn action(self) -> &'static str {
        match self {
            Verdict::Approve => "draft.approve",
            Verdict::Reject => "draft.reject",
            Verdict::Changes => "draft.changes",
        }
    }
}

/// One decision attempt and how it ended.
#[derive(Debug)]
struct Attempt {
    worker: usize,
    verdict: Verdict,
    code: Option<i32>,
    stderr: String,
}

impl Attempt {
    fn new(worker: usize, verdict: Verdict, out: Output) -> Attempt {
        Attempt {
            worker,
            verdict,
            code: out.status.code(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// The department: the chief, three other approvers, an officer on the
/// team, one account, and `n` drafts by the officer, all submitted.
fn department(n: usize) -> TestDb {
    let db = TestDb::new();
    db.add("CD1", "Dana Deputy", "chief_deputy", Some("dana"));
    db.add("CD2", "Marc Deputy", "chief_deputy", Some("marc"));
    db.add("AC1", "Alex Assistant", "assistant_chief", Some("alex"));
    db.add("O1", "Olga Officer", "officer", Some("olga"));
    db.ok(&["roster", "authorize", "O1"]);
    db.add_account("instagram", HANDLE, "CD1");

    let mut store = Store::open(&db.path, OpenMode::Existing).expect("open the store");
    let olga = Me {
        employee: "O1".into(),
        os_user: db.login.clone(),
    };
    let rules = Rules::builtin();
    for i in 1..=n {
        let d = create(
            &mut store,
            &olga,
            &rules,
            NewDraft {
                account: HANDLE.into(),
                purpose: "outreach".into(),
                text: format!("Join us at the job fair on Saturday! This is invitation {i}."),
                media: Vec::new(),
            },
        )
        .expect("create a draft");
        assert_eq!(d.number, i as i64);
        assert!(
            d.blocking_open == 0 && !d.needs_express,
            "a race draft must be approvable: {:?}",
            d.findings
        );
        submit(&mut store, &olga, &rules, d.number, true).expect("submit a draft");
    }
    drop(store);
    db
}

/// `socialdesk --db DB --as LOGIN draft approve|reject|changes D-id`.
fn decide(db: &Path, login: &str, id: usize, verdict: Verdict, reason: &str) -> Command {
    let draft = format!("D-{id}");
    let mut c = Command::new(env!("CARGO_BIN_EXE_socialdesk"));
    c.env_remove("SOCIALDESK_DB")
        .env_remove("SOCIALDESK_NOW")
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(db)
        .args(["--as", login, "draft"]);
    match verdict {
        Verdict::Approve => c.args(["approve", &draft]),
        Verdict::Reject => c.args(["reject", &draft, "--reason", reason]),
        Verdict::Changes => c.args(["changes", &draft, "--reason", reason]),
    };
    c
}

/// Checks every draft has exactly one winner, that every other attempt
/// was a conflict (exit 4) naming the winner and the decision, and that
/// the database holds exactly the winners' decisions, once each, with an
/// intact audit chain.
fn check(db: &TestDb, people: &[Approver], by_draft: &BTreeMap<usize, Vec<Attempt>>) {
    let mut winners: BTreeMap<usize, (Verdict, &'static str)> = BTreeMap::new();
    for (id, attempts) in by_draft {
        let won: Vec<&Attempt> = attempts.iter().filter(|a| a.code == Some(0)).collect();
        assert_eq!(
            won.len(),
            1,
            "D-{id} must have exactly one winner: {attempts:#?}"
        );
        let winner = won[0];
        let (_, employee, name) = &people[winner.worker % people.len()];
        for a in attempts.iter().filter(|a| a.code != Some(0)) {
            assert_eq!(
                a.code,
                Some(4),
                "D-{id}: a late decider gets a conflict (exit 4), never anything else: {a:#?}"
            );
            assert!(
                a.stderr.starts_with("error:")
                    && a.stderr.contains(winner.verdict.words())
                    && a.stderr.contains(name),
                "D-{id}: the conflict names who decided ({name}) and how ({}): {}",
                winner.verdict.words(),
                a.stderr
            );
        }
        winners.insert(*id, (winner.verdict, employee));
    }

    // the final state is the winner's decision
    let drafts = array(db.json(&["draft", "list"]));
    assert_eq!(drafts.len(), by_draft.len());
    for d in &drafts {
        let id: usize = d["id"].as_str().unwrap()[2..].parse().unwrap();
        let (verdict, employee) = winners[&id];
        assert_eq!(d["status"], verdict.status(), "D-{id}: {d}");
        if verdict == Verdict::Approve {
            assert_eq!(d["approved_by"], *employee, "D-{id}: {d}");
        } else {
            assert!(d["approved_by"].is_null(), "D-{id}: {d}");
        }
    }

    // one decision row per draft, by the winner
    let conn = db.sqlite();
    let rows: Vec<(i64, i64, String, String)> = conn
        .prepare(
            "SELECT draft, count(*), min(decision), min(by) FROM decisions
             GROUP BY draft ORDER BY draft",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), by_draft.len(), "every draft has a decision");
    for (draft, count, decision, by) in rows {
        let (verdict, employee) = winners[&(draft as usize)];
        assert_eq!(count, 1, "D-{draft} has {count} decisions");
        assert_eq!(decision, verdict.status(), "D-{draft}");
        assert_eq!(by, employee, "D-{draft}");
    }

    // the audit log: intact, one event per decision, no refusals
    succeeds(db.cmd().args(["audit", "verify"]));
    let count = |action: &str| -> usize {
        conn.query_row(
            "SELECT count(*) FROM audit_events WHERE action = ?1",
            [action],
            |r| r.get::<_, i64>(0),
        )
        .unwrap() as usize
    };
    let decided = count("draft.approve") + count("draft.reject") + count("draft.changes");
    assert_eq!(decided, by_draft.len(), "one audit event per decision");
    for verdict in [Verdict::Approve, Verdict::Reject, Verdict::Changes] {
        let won = winners.values().filter(|(v, _)| *v == verdict).count();
        assert_eq!(count(verdict.action()), won, "{}", verdict.action());
    }
    assert_eq!(count("refused"), 0, "nobody was refused");
}

/// Worker `w`'s order: the drafts rotated by a quarter per pair of
/// workers, odd workers going backwards, so every order differs and
/// workers meet on the same drafts from both sides.
fn order(w: usize) -> Vec<usize> {
    let mut ids: Vec<usize> = (1..=DRAFTS).collect();
    ids.rotate_left((w / 2) * DRAFTS / 4 % DRAFTS);
    if w % 2 == 1 {
        ids.reverse();
    }
    ids
}

#[test]
fn concurrent_deciders_never_both_win_and_never_lose_a_write() {
    let set_up = Instant::now();
    let db = department(DRAFTS);
    eprintln!(
        "set-up: {DRAFTS} submitted drafts in {:?}",
        set_up.elapsed()
    );
    let orders: Vec<Vec<usize>> = (0..WORKERS).map(order).collect();
    for (i, a) in orders.iter().enumerate() {
        for b in &orders[i + 1..] {
            assert_ne!(a, b, "every worker has its own order");
        }
    }

    let people = approvers(&db);
    let start = Arc::new(Barrier::new(WORKERS));
    let race = Instant::now();
    let handles: Vec<_> = orders
        .into_iter()
        .enumerate()
        .map(|(w, ids)| {
            let start = Arc::clone(&start);
            let path = db.path.clone();
            let login = people[w % people.len()].0.clone();
            std::thread::spawn(move || {
                start.wait();
                ids.into_iter()
                    .map(|id| {
                        let verdict = Verdict::of(w, id);
                        let out = decide(&path, &login, id, verdict, &format!("worker {w}"))
                            .output()
                            .expect("run socialdesk");
                        (id, Attempt::new(w, verdict, out))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut by_draft: BTreeMap<usize, Vec<Attempt>> = BTreeMap::new();
    for h in handles {
        for (id, attempt) in h.join().expect("a worker panicked") {
            by_draft.entry(id).or_default().push(attempt);
        }
    }
    eprintln!(
        "race: {WORKERS} processes x {DRAFTS} drafts = {} attempts in {:?}",
        WORKERS * DRAFTS,
        race.elapsed()
    );
    assert_eq!(by_draft.len(), DRAFTS);
    assert!(by_draft.values().all(|a| a.len() == WORKERS));
    check(&db, &people, &by_draft);
}

#[test]
fn processes_started_together_on_one_draft_leave_one_winner() {
    let db = department(DUELS);
    let people = approvers(&db);
    let race = Instant::now();
    let mut by_draft: BTreeMap<usize, Vec<Attempt>> = BTreeMap::new();
    for id in 1..=DUELS {
        // all WORKERS processes are running before any is waited for
        let children: Vec<(usize, Verdict, Child)> = (0..WORKERS)
            .map(|w| {
                let verdict = Verdict::of(w, id);
                let login = &people[w % people.len()].0;
                let child = decide(&db.path, login, id, verdict, &format!("worker {w}"))
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("start socialdesk");
                (w, verdict, child)
            })
            .collect();
        let attempts = children
            .into_iter()
            .map(|(w, verdict, child)| {
                let out = child.wait_with_output().expect("wait for socialdesk");
                Attempt::new(w, verdict, out)
            })
            .collect();
        by_draft.insert(id, attempts);
    }
    eprintln!(
        "duels: {DUELS} drafts x {WORKERS} simultaneous processes in {:?}",
        race.elapsed()
    );
    check(&db, &people, &by_draft);
}
