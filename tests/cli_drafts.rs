//! `socialdesk draft …` driven through the real binary (SPEC §1, §3, §7):
//! the whole life of a draft, every refusal, screening, media, and the
//! records a decision leaves.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use assert_cmd::Command;
use common::{array, fails, os_login, parse, succeeds, TestDb, CHIEF_ID, CHIEF_NAME};
use serde_json::Value;
use sha2::{Digest, Sha256};

const DANA: &str = "CD1";
const DANA_NAME: &str = "Dana Deputy";
const MARC: &str = "CD2";
const MARC_NAME: &str = "Marc Deputy";
const ALEX: &str = "AC1";
const ALEX_NAME: &str = "Alex Assistant";
const OLGA: &str = "O1";
const TOM: &str = "O2";

const HANDLE: &str = "sv_probation";
const PROFILE: &str = "Official account of the County Probation Department";
const CLEAN: &str = "Join us at the job fair on Saturday!";
const GUILT: &str = "The suspect was found guilty and is awaiting sentencing.";

// ------------------------------------------------------------ the set-up

/// The department every test starts from, built once through the CLI and
/// copied for each test (nine process runs saved per test):
/// - the chief (the OS login, `P1`);
/// - `dana` (CD1), chief_deputy responsible for @sv_probation;
/// - `marc` (CD2), chief_deputy not responsible for it;
/// - `alex` (AC1), assistant_chief;
/// - `olga` (O1), officer on the social media team;
/// - `tom` (O2), officer not on the team.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let db = TestDb::new();
        db.add(DANA, DANA_NAME, "chief_deputy", Some("dana"));
        db.add(MARC, MARC_NAME, "chief_deputy", Some("marc"));
        db.add(ALEX, ALEX_NAME, "assistant_chief", Some("alex"));
        db.add(OLGA, "Olga Officer", "officer", Some("olga"));
        db.add(TOM, "Tom Officer", "officer", Some("tom"));
        db.ok(&["roster", "authorize", OLGA]);
        let account = db.json(&[
            "account",
            "add",
            "--platform",
            "instagram",
            "--handle",
            HANDLE,
            "--responsible",
            DANA,
            "--profile",
            PROFILE,
        ]);
        assert_eq!(account["responsible"], DANA);
        assert_eq!(account["handle"], HANDLE);
        let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        // templates of earlier runs (an hour old) are no use to anyone
        for old in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
            let stale = old
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > Duration::from_secs(3600));
            if stale
                && old
                    .file_name()
                    .to_string_lossy()
                    .starts_with("cli_drafts-template-")
            {
                let _ = std::fs::remove_dir_all(old.path());
            }
        }
        let dir = tmp.join(format!("cli_drafts-template-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("template folder");
        let path = dir.join("socialdesk.db");
        copy_db(&db.path, &path);
        path
    })
}

/// Copies a closed database (and its WAL, if one was left behind).
fn copy_db(from: &Path, to: &Path) {
    std::fs::copy(from, to).expect("copy the database");
    for suffix in ["-wal", "-shm"] {
        let mut src = from.as_os_str().to_owned();
        src.push(suffix);
        let src = PathBuf::from(src);
        if src.exists() {
            let mut dst = to.as_os_str().to_owned();
            dst.push(suffix);
            std::fs::copy(&src, PathBuf::from(dst)).expect("copy the WAL");
        }
    }
}

/// A fresh copy of the department, owned by the user running the tests
/// (so `--as` is honoured).
fn department() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("socialdesk.db");
    copy_db(template(), &path);
    TestDb {
        dir,
        path,
        login: os_login(),
    }
}

// ------------------------------------------------------------ helpers

/// The binary acting as `login` (the chief is the OS login).
fn as_(db: &TestDb, login: &str, args: &[&str]) -> Command {
    let login = if login == "chief" { &db.login } else { login };
    let mut c = db.as_login(login);
    c.args(args);
    c
}

/// Runs `args` as `login` with `--json`, expects success, parses stdout.
fn ok(db: &TestDb, login: &str, args: &[&str]) -> Value {
    let login = if login == "chief" { &db.login } else { login };
    parse(&succeeds(db.as_login(login).arg("--json").args(args)))
}

/// `draft show ID --json` as the chief.
fn show(db: &TestDb, id: &str) -> Value {
    db.json(&["draft", "show", id])
}

/// `draft list --json` as the chief.
fn list(db: &TestDb) -> Vec<Value> {
    array(db.json(&["draft", "list"]))
}

/// A new draft by olga; returns its JSON.
fn new_draft(db: &TestDb, text: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "draft",
        "new",
        "--account",
        HANDLE,
        "--purpose",
        "outreach",
        "--text",
        text,
    ];
    args.extend_from_slice(extra);
    ok(db, "olga", &args)
}

/// A draft by olga, submitted with the attestation; returns its id.
fn submitted(db: &TestDb, text: &str, extra: &[&str]) -> String {
    let d = new_draft(db, text, extra);
    let id = d["id"].as_str().expect("id").to_string();
    let s = ok(db, "olga", &["draft", "submit", &id, "--attest"]);
    assert_eq!(s["status"], "submitted", "{s}");
    id
}

/// One audit event as stored.
#[derive(Debug, Clone)]
struct Event {
    actor: String,
    action: String,
    entity: String,
    state: Value,
}

/// The audit log, oldest first, read directly (cheaper than a process run).
fn events(db: &TestDb) -> Vec<Event> {
    let conn = db.sqlite();
    let mut stmt = conn
        .prepare("SELECT actor, action, entity, state FROM audit_events ORDER BY seq")
        .expect("read the audit log");
    stmt.query_map([], |r| {
        let state: String = r.get(3)?;
        Ok(Event {
            actor: r.get(0)?,
            action: r.get(1)?,
            entity: r.get(2)?,
            state: serde_json::from_str(&state).unwrap_or(Value::String(state)),
        })
    })
    .expect("query the audit log")
    .collect::<Result<_, _>>()
    .expect("audit rows")
}

/// Runs `args` as `login`, expects exit 3 with a `refused` message, no
/// change to any table, and exactly one new `refused` audit event (which
/// it returns with stderr).
fn refused(db: &TestDb, login: &str, args: &[&str]) -> (String, Event) {
    let before = db.snapshot();
    let n = events(db).len();
    let stderr = fails(&mut as_(db, login, args), 3);
    assert!(stderr.contains("refused"), "{args:?}: {stderr}");
    assert_eq!(
        db.snapshot(),
        before,
        "a refused command changed the data: {args:?}"
    );
    let log = events(db);
    assert_eq!(
        log.len(),
        n + 1,
        "a refusal is recorded exactly once: {args:?}"
    );
    let last = log.last().expect("an event").clone();
    assert_eq!(last.action, "refused", "{args:?}");
    (stderr, last)
}

/// Runs `args` as `login`, expects `code` (1 or 4) and no change at all:
/// not to the tables, not to the audit log.
fn fails_unchanged(db: &TestDb, login: &str, args: &[&str], code: i32) -> String {
    let before = db.snapshot();
    let n = events(db).len();
    let stderr = fails(&mut as_(db, login, args), code);
    assert_eq!(
        db.snapshot(),
        before,
        "a failed command changed data: {args:?}"
    );
    assert_eq!(
        events(db).len(),
        n,
        "a failed command left an event: {args:?}"
    );
    stderr
}

fn finding_ns(d: &Value, severity: &str) -> Vec<i64> {
    d["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == severity)
        .map(|f| f["n"].as_i64().expect("n"))
        .collect()
}

fn has_finding(d: &Value, clause: &str, severity: &str) -> bool {
    d["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["clause"] == clause && f["severity"] == severity)
}

/// The contract fields of a draft (SPEC §7) are all there, with their types.
fn assert_contract(d: &Value) {
    for key in [
        "id",
        "account",
        "author",
        "purpose",
        "status",
        "revision",
        "text",
        "findings",
        "approved_by",
        "express",
        "url",
    ] {
        assert!(d.get(key).is_some(), "draft JSON lacks {key}: {d}");
    }
    assert!(d["id"].as_str().is_some_and(|s| s.starts_with("D-")), "{d}");
    assert!(d["revision"].is_u64(), "revision is a number: {d}");
    assert!(d["express"].is_boolean(), "{d}");
    assert!(
        d["approved_by"].is_null() || d["approved_by"].is_string(),
        "{d}"
    );
    assert!(d["url"].is_null() || d["url"].is_string(), "{d}");
    for f in d["findings"].as_array().expect("findings is an array") {
        for key in ["n", "clause", "severity", "span", "dismissed"] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        assert!(f["n"].is_u64(), "{f}");
        assert!(
            ["blocking", "express", "advisory"].contains(&f["severity"].as_str().unwrap_or("")),
            "{f}"
        );
        assert!(f["dismissed"].is_boolean(), "{f}");
        let span = f["span"].as_array().expect("span is an array");
        assert_eq!(span.len(), 2, "{f}");
    }
}

fn is_hex64(s: &Value) -> bool {
    s.as_str().is_some_and(|s| {
        s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

// ------------------------------------------------------------ lifecycle

#[test]
fn a_draft_goes_from_new_to_published_with_json_at_every_step() {
    let db = department();
    let account_id = db.accounts()[0]["id"].clone();

    let d = new_draft(&db, CLEAN, &[]);
    assert_contract(&d);
    assert_eq!(d["id"], "D-1");
    assert_eq!(d["account"], account_id);
    assert_eq!(d["author"], OLGA);
    assert_eq!(d["purpose"], "outreach");
    assert_eq!(d["status"], "draft");
    assert_eq!(d["revision"], 1);
    assert_eq!(d["text"], CLEAN);
    assert_eq!(d["findings"], serde_json::json!([]));
    assert_eq!(d["approved_by"], Value::Null);
    assert_eq!(d["express"], false);
    assert_eq!(d["url"], Value::Null);

    let d = ok(&db, "olga", &["draft", "submit", "D-1", "--attest"]);
    assert_contract(&d);
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["revision"], 1);
    // the attestation is recorded, with the checklist attested to
    let (by, revision, checklist): (String, i64, String) = db
        .sqlite()
        .query_row(
            "SELECT by, revision, checklist FROM attestations WHERE draft = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("one attestation");
    assert_eq!((by.as_str(), revision), (OLGA, 1));
    assert_eq!(parse(&checklist).as_array().map(Vec::len), Some(5));

    let reason = "Say where the job fair is and when it starts.";
    let d = ok(
        &db,
        "dana",
        &["draft", "changes", "D-1", "--reason", reason],
    );
    assert_contract(&d);
    assert_eq!(d["status"], "changes_requested");
    assert_eq!(d["approved_by"], Value::Null);
    assert_eq!(d["decisions"][0]["decision"], "changes_requested");
    assert_eq!(d["decisions"][0]["by"], DANA);
    assert_eq!(d["decisions"][0]["reason"], reason);

    let text2 = "Join us at the job fair on Saturday, 10 am, at the County Library!";
    let d = ok(&db, "olga", &["draft", "edit", "D-1", "--text", text2]);
    assert_contract(&d);
    assert_eq!(d["revision"], 2);
    assert_eq!(d["status"], "draft");
    assert_eq!(d["text"], text2);

    let d = ok(&db, "olga", &["draft", "submit", "1", "--attest"]);
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["revision"], 2);

    let d = ok(&db, "dana", &["draft", "approve", "D-1"]);
    assert_contract(&d);
    assert_eq!(d["status"], "approved");
    assert_eq!(d["approved_by"], DANA);
    assert_eq!(d["express"], false);
    assert_eq!(d["revision"], 2);

    let url = "https://www.instagram.com/p/C0jobfair/";
    let d = ok(&db, "olga", &["draft", "publish", "D-1", "--url", url]);
    assert_contract(&d);
    assert_eq!(d["status"], "published");
    assert_eq!(d["url"], url);
    assert_eq!(d["approved_by"], DANA);
    assert_eq!(d["published_by"], OLGA);

    // show agrees, and keeps the whole history
    let d = show(&db, "D-1");
    assert_eq!(d["status"], "published");
    assert_eq!(d["url"], url);
    assert_eq!(d["text"], text2);
    let decisions = d["decisions"].as_array().expect("decisions");
    let kinds: Vec<(&str, i64)> = decisions
        .iter()
        .map(|x| {
            (
                x["decision"].as_str().unwrap(),
                x["revision"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds, [("changes_requested", 1), ("approved", 2)]);
    // both revisions are kept
    let texts: Vec<String> = {
        let conn = db.sqlite();
        let mut stmt = conn
            .prepare("SELECT text FROM revisions WHERE draft = 1 ORDER BY n")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(texts, [CLEAN, text2]);

    // each step is one audit event, named after the CLI verb
    let log = events(&db);
    let created = log
        .iter()
        .find(|e| e.action == "draft.new")
        .expect("a draft.new event");
    assert_eq!(created.actor, OLGA);
    assert_eq!(created.state["id"], "D-1");
    let steps: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e.entity == "draft:D-1")
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("draft.new", OLGA),
            ("draft.submit", OLGA),
            ("draft.changes", DANA),
            ("draft.edit", OLGA),
            ("draft.submit", OLGA),
            ("draft.approve", DANA),
            ("draft.publish", OLGA),
        ]
    );
    assert!(log.iter().all(|e| e.action != "refused"));
    db.ok(&["audit", "verify"]);

    // a published draft is final
    refused(
        &db,
        "olga",
        &["draft", "edit", "D-1", "--text", "Changed after the fact"],
    );
    refused(&db, "olga", &["draft", "publish", "D-1", "--url", url]);
    refused(&db, "olga", &["draft", "withdraw", "D-1"]);
}

#[test]
fn the_text_output_shows_the_draft_and_its_findings() {
    let db = department();
    let d = new_draft(&db, GUILT, &[]);
    let id = d["id"].as_str().unwrap();
    let text = succeeds(&mut as_(&db, "olga", &["draft", "show", id]));
    assert!(text.contains(GUILT), "{text}");
    assert!(
        text.contains("V.6.c") && text.contains("blocking"),
        "{text}"
    );
    let created = succeeds(&mut as_(
        &db,
        "olga",
        &[
            "draft",
            "new",
            "--account",
            HANDLE,
            "--purpose",
            "outreach",
            "--text",
            GUILT,
        ],
    ));
    assert!(created.starts_with("D-2 created"), "{created}");
    assert!(created.contains("finding 1 V.6.c blocking"), "{created}");
}

#[test]
fn the_text_can_come_from_a_file_but_not_from_an_endless_one() {
    let db = department();
    let file = db.file("post.txt");
    std::fs::write(&file, format!("{CLEAN}\nSee you there.\n")).unwrap();
    let d = ok(
        &db,
        "olga",
        &[
            "draft",
            "new",
            "--account",
            HANDLE,
            "--purpose",
            "recruitment",
            "--file",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(d["text"], format!("{CLEAN}\nSee you there.\n"));
    assert_eq!(d["purpose"], "recruitment");

    // /dev/zero never ends: it must fail at once, not fill the memory
    let mut c = as_(
        &db,
        "olga",
        &["draft", "edit", "D-1", "--file", "/dev/zero"],
    );
    c.timeout(Duration::from_secs(20));
    let before = db.snapshot();
    let out = c.output().expect("run socialdesk");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(db.snapshot(), before);

    // a text longer than 20,000 characters is refused as input
    let long = db.file("long.txt");
    std::fs::write(&long, "a".repeat(20_001)).unwrap();
    let err = fails_unchanged(
        &db,
        "olga",
        &["draft", "edit", "D-1", "--file", long.to_str().unwrap()],
        1,
    );
    assert!(err.contains("20,000"), "{err}");
    // a missing file
    fails_unchanged(
        &db,
        "olga",
        &["draft", "edit", "D-1", "--file", "/nonexistent/post.txt"],
        1,
    );
    // an unknown purpose or account
    fails_unchanged(
        &db,
        "olga",
        &[
            "draft",
            "new",
            "--account",
            HANDLE,
            "--purpose",
            "campaign",
            "--text",
            CLEAN,
        ],
        1,
    );
    fails_unchanged(
        &db,
        "olga",
        &[
            "draft",
            "new",
            "--account",
            "nobody",
            "--purpose",
            "outreach",
            "--text",
            CLEAN,
        ],
        1,
    );
    // an empty text
    fails_unchanged(
        &db,
        "olga",
        &[
            "draft",
            "new",
            "--account",
            HANDLE,
            "--purpose",
            "outreach",
            "--text",
            "  ",
        ],
        1,
    );
}

// ------------------------------------------------------------ attestation

#[test]
fn submit_without_attest_prints_the_checklist_and_changes_nothing() {
    let db = department();
    new_draft(&db, CLEAN, &[]);
    let (stderr, event) = refused(&db, "olga", &["draft", "submit", "D-1"]);
    for item in socialdesk::domain::draft::CHECKLIST {
        assert!(
            stderr.contains(item),
            "the checklist lacks {item:?}: {stderr}"
        );
    }
    for clause in ["V.6.b", "V.6.c", "V.6.d", "V.6.e"] {
        assert!(stderr.contains(clause), "{stderr}");
    }
    assert!(stderr.contains("--attest"), "{stderr}");
    assert_eq!(event.state["attempted"], "draft.submit");
    let d = show(&db, "D-1");
    assert_eq!(d["status"], "draft");
    let n: i64 = db
        .sqlite()
        .query_row("SELECT count(*) FROM attestations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "no attestation without --attest");
    // with it, it goes through
    assert_eq!(
        ok(&db, "olga", &["draft", "submit", "D-1", "--attest"])["status"],
        "submitted"
    );
}

// ------------------------------------------------------------ refusals

#[test]
fn someone_off_the_team_cannot_write_a_draft_and_the_refused_text_is_not_kept() {
    let db = department();
    let secret = "Tom's unauthorized post about the jail";
    let (stderr, event) = refused(
        &db,
        "tom",
        &[
            "draft",
            "new",
            "--account",
            HANDLE,
            "--purpose",
            "outreach",
            "--text",
            secret,
        ],
    );
    assert!(stderr.contains("team"), "{stderr}");
    assert_eq!(event.actor, TOM);
    assert_eq!(event.state["attempted"], "draft.new");
    let all = events(&db);
    assert!(
        all.iter().all(|e| !e.state.to_string().contains(secret)),
        "the refused text must not be recorded"
    );
    assert!(list(&db).is_empty());
    // approvers are not team members either
    refused(
        &db,
        "dana",
        &[
            "draft",
            "new",
            "--account",
            HANDLE,
            "--purpose",
            "outreach",
            "--text",
            CLEAN,
        ],
    );
    // nor is the chief, until authorized
    refused(
        &db,
        "chief",
        &[
            "draft",
            "new",
            "--account",
            HANDLE,
            "--purpose",
            "outreach",
            "--text",
            CLEAN,
        ],
    );
}

#[test]
fn the_author_never_decides_their_own_draft() {
    let db = department();
    // marc, a chief deputy, is put on the team and writes a draft
    db.ok(&["roster", "authorize", MARC]);
    let d = ok(
        &db,
        "marc",
        &[
            "draft",
            "new",
            "--account",
            HANDLE,
            "--purpose",
            "mission",
            "--text",
            GUILT,
        ],
    );
    let id = d["id"].as_str().unwrap().to_string();
    ok(&db, "marc", &["draft", "submit", &id, "--attest"]);
    let blocking = finding_ns(&d, "blocking");
    assert!(!blocking.is_empty(), "{d}");
    let first = blocking[0].to_string();

    let (_, event) = refused(&db, "marc", &["draft", "approve", &id]);
    assert_eq!(event.state["attempted"], "draft.approve");
    refused(&db, "marc", &["draft", "approve", &id, "--express"]);
    refused(&db, "marc", &["draft", "reject", &id, "--reason", "no"]);
    refused(&db, "marc", &["draft", "changes", &id, "--reason", "no"]);
    // nor dismiss its findings
    let (_, event) = refused(
        &db,
        "marc",
        &[
            "draft",
            "dismiss",
            &id,
            "--finding",
            &first,
            "--reason",
            "It is fine",
        ],
    );
    assert_eq!(event.state["attempted"], "draft.dismiss");
    assert_eq!(show(&db, &id)["status"], "submitted");
    // another approver may
    ok(
        &db,
        "dana",
        &[
            "draft",
            "dismiss",
            &id,
            "--finding",
            &first,
            "--reason",
            "Quoted from the court's own release",
        ],
    );
}

#[test]
fn officers_and_people_off_the_team_do_not_decide() {
    let db = department();
    db.ok(&["roster", "authorize", MARC]);
    let d = ok(
        &db,
        "marc",
        &[
            "draft",
            "new",
            "--account",
            HANDLE,
            "--purpose",
            "mission",
            "--text",
            CLEAN,
        ],
    );
    let id = d["id"].as_str().unwrap().to_string();
    ok(&db, "marc", &["draft", "submit", &id, "--attest"]);
    // olga is a team member and an officer: not an approver
    refused(&db, "olga", &["draft", "approve", &id]);
    refused(&db, "olga", &["draft", "reject", &id, "--reason", "no"]);
    refused(&db, "olga", &["draft", "changes", &id, "--reason", "no"]);
    // tom is neither
    refused(&db, "tom", &["draft", "approve", &id]);
    // olga's own draft: both her rank and her authorship forbid it
    let own = submitted(&db, CLEAN, &[]);
    refused(&db, "olga", &["draft", "approve", &own]);
    assert_eq!(show(&db, &id)["status"], "submitted");
    assert_eq!(show(&db, &own)["status"], "submitted");
}

#[test]
fn only_the_author_edits_submits_or_withdraws() {
    let db = department();
    db.ok(&["roster", "authorize", MARC]);
    let d = new_draft(&db, CLEAN, &[]);
    let id = d["id"].as_str().unwrap();
    // marc is on the team but not the author
    let (stderr, _) = refused(
        &db,
        "marc",
        &["draft", "edit", id, "--text", "Marc's words"],
    );
    assert!(stderr.contains("author"), "{stderr}");
    refused(&db, "marc", &["draft", "submit", id, "--attest"]);
    refused(&db, "marc", &["draft", "withdraw", id]);
    // the chief is not the author either
    refused(&db, "chief", &["draft", "withdraw", id]);
    refused(&db, "tom", &["draft", "withdraw", id]);
    ok(&db, "olga", &["draft", "submit", id, "--attest"]);
    refused(&db, "dana", &["draft", "withdraw", id]);
    refused(
        &db,
        "dana",
        &["draft", "edit", id, "--text", "Dana's words"],
    );
    assert_eq!(show(&db, id)["text"], CLEAN);
    // the author withdraws; a withdrawn draft is final
    let w = ok(&db, "olga", &["draft", "withdraw", id]);
    assert_eq!(w["status"], "withdrawn");
    refused(&db, "olga", &["draft", "withdraw", id]);
    refused(&db, "olga", &["draft", "submit", id, "--attest"]);
    refused(&db, "dana", &["draft", "approve", id]);
}

#[test]
fn only_an_approved_draft_is_published() {
    let db = department();
    let d = new_draft(&db, CLEAN, &[]);
    let id = d["id"].as_str().unwrap();
    let url = "https://www.instagram.com/p/early/";
    let (_, event) = refused(&db, "olga", &["draft", "publish", id, "--url", url]);
    assert_eq!(event.state["attempted"], "draft.publish");
    ok(&db, "olga", &["draft", "submit", id, "--attest"]);
    refused(&db, "olga", &["draft", "publish", id, "--url", url]);
    ok(
        &db,
        "dana",
        &["draft", "changes", id, "--reason", "Add a date"],
    );
    refused(&db, "olga", &["draft", "publish", id, "--url", url]);
    ok(&db, "olga", &["draft", "submit", id, "--attest"]);
    ok(
        &db,
        "dana",
        &["draft", "reject", id, "--reason", "We posted this already"],
    );
    refused(&db, "olga", &["draft", "publish", id, "--url", url]);
    assert_eq!(show(&db, id)["url"], Value::Null);

    // approved: still not by someone off the team, and only with a web address
    let id = submitted(&db, CLEAN, &[]);
    ok(&db, "dana", &["draft", "approve", &id]);
    refused(&db, "dana", &["draft", "publish", &id, "--url", url]);
    refused(&db, "tom", &["draft", "publish", &id, "--url", url]);
    fails_unchanged(
        &db,
        "olga",
        &["draft", "publish", &id, "--url", "javascript:alert(1)"],
        1,
    );
    fails_unchanged(
        &db,
        "olga",
        &["draft", "publish", &id, "--url", "https://x.test/a b"],
        1,
    );
    assert_eq!(
        ok(&db, "olga", &["draft", "publish", &id, "--url", url])["status"],
        "published"
    );
}

// ------------------------------------------------------------ findings

#[test]
fn a_blocking_finding_gates_approval_until_an_approver_dismisses_it() {
    let db = department();
    let id = submitted(&db, GUILT, &[]);
    let d = show(&db, &id);
    assert_contract(&d);
    let blocking = finding_ns(&d, "blocking");
    assert!(!blocking.is_empty(), "the guilt text must be flagged: {d}");
    assert!(has_finding(&d, "V.6.c", "blocking"), "{d}");
    assert!(d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["dismissed"] == false));

    let (stderr, event) = refused(&db, "dana", &["draft", "approve", &id]);
    assert!(stderr.contains("blocking"), "{stderr}");
    assert_eq!(event.state["attempted"], "draft.approve");
    // an express approval does not clear a blocking finding either
    refused(&db, "dana", &["draft", "approve", &id, "--express"]);
    // the author may not dismiss
    let first = blocking[0].to_string();
    refused(
        &db,
        "olga",
        &[
            "draft",
            "dismiss",
            &id,
            "--finding",
            &first,
            "--reason",
            "fine",
        ],
    );
    // a reason is required; the finding must exist
    fails_unchanged(
        &db,
        "dana",
        &[
            "draft",
            "dismiss",
            &id,
            "--finding",
            &first,
            "--reason",
            " ",
        ],
        1,
    );
    fails_unchanged(
        &db,
        "dana",
        &["draft", "dismiss", &id, "--finding", "99", "--reason", "x"],
        1,
    );

    // dismiss all but the last: still gated
    let reason = "Quoting the court's public release, reviewed with County Counsel";
    for n in &blocking[..blocking.len() - 1] {
        let n = n.to_string();
        let d = ok(
            &db,
            "marc",
            &["draft", "dismiss", &id, "--finding", &n, "--reason", reason],
        );
        assert_eq!(d["status"], "submitted");
    }
    refused(&db, "dana", &["draft", "approve", &id]);
    let last = blocking.last().unwrap().to_string();
    let d = ok(
        &db,
        "dana",
        &[
            "draft",
            "dismiss",
            &id,
            "--finding",
            &last,
            "--reason",
            reason,
        ],
    );
    assert_contract(&d);
    // dismissing twice is refused
    refused(
        &db,
        "alex",
        &[
            "draft",
            "dismiss",
            &id,
            "--finding",
            &last,
            "--reason",
            reason,
        ],
    );

    let d = show(&db, &id);
    for f in d["findings"].as_array().unwrap() {
        if f["severity"] == "blocking" {
            assert_eq!(f["dismissed"], true, "{f}");
            let by = f["dismissal"]["by"].as_str().unwrap();
            assert!(by == MARC || by == DANA, "{f}");
            assert_eq!(f["dismissal"]["reason"], reason);
        }
    }
    let log = events(&db);
    let dismissed = log.iter().filter(|e| e.action == "draft.dismiss").count();
    assert_eq!(dismissed, blocking.len());

    let d = ok(&db, "dana", &["draft", "approve", &id]);
    assert_eq!(d["status"], "approved");
    assert_eq!(d["approved_by"], DANA);
    // the dismissals are kept on the approved draft
    let d = show(&db, &id);
    assert!(finding_ns(&d, "blocking").iter().all(|n| d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["n"] == *n && f["dismissed"] == true)));
}

#[test]
fn an_express_finding_is_never_dismissed_and_needs_an_express_approval() {
    let db = department();
    let photo = db.file("range_day.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0 training photo").unwrap();
    let photo = photo.to_str().unwrap();
    let id = submitted(
        &db,
        "Our officers at firearms training this week. Photo: County Probation",
        &["--media", photo, "--operations"],
    );
    let d = show(&db, &id);
    assert_contract(&d);
    let express = finding_ns(&d, "express");
    assert!(
        !express.is_empty(),
        "operations media need express approval: {d}"
    );
    assert!(has_finding(&d, "V.6.c", "express"), "{d}");
    assert_eq!(d["media"][0]["depicts_operations"], true);

    let n = express[0].to_string();
    let (stderr, _) = refused(
        &db,
        "dana",
        &[
            "draft",
            "dismiss",
            &id,
            "--finding",
            &n,
            "--reason",
            "It is fine",
        ],
    );
    assert!(stderr.contains("express"), "{stderr}");
    refused(
        &db,
        "chief",
        &[
            "draft",
            "dismiss",
            &id,
            "--finding",
            &n,
            "--reason",
            "It is fine",
        ],
    );
    let (stderr, _) = refused(&db, "dana", &["draft", "approve", &id]);
    assert!(stderr.contains("express"), "{stderr}");
    refused(&db, "alex", &["draft", "approve", &id]);
    refused(&db, "chief", &["draft", "approve", &id]);
    refused(&db, "marc", &["draft", "approve", &id]);
    // marc is a chief deputy but not the account's responsible one
    let (stderr, _) = refused(&db, "marc", &["draft", "approve", &id, "--express"]);
    assert!(stderr.contains("refused"), "{stderr}");
    // an officer never gives one
    refused(&db, "olga", &["draft", "approve", &id, "--express"]);
    assert_eq!(show(&db, &id)["status"], "submitted");

    // rejecting or requesting changes needs no express approval
    let d = ok(
        &db,
        "marc",
        &["draft", "changes", &id, "--reason", "Blur the faces first"],
    );
    assert_eq!(d["status"], "changes_requested");
}

#[test]
fn the_responsible_deputy_the_assistant_chief_and_the_chief_give_express_approvals() {
    let db = department();
    let dob = "Happy retirement to our clerk Mary Jones, DOB 01/02/1960!";
    let drafts: Vec<String> = (0..3).map(|_| submitted(&db, dob, &[])).collect();
    for id in &drafts {
        let d = show(&db, id);
        assert!(has_finding(&d, "V.6.c", "express"), "a date of birth: {d}");
        assert!(finding_ns(&d, "blocking").is_empty(), "{d}");
    }
    refused(&db, "marc", &["draft", "approve", &drafts[0], "--express"]);

    let d = ok(&db, "dana", &["draft", "approve", &drafts[0], "--express"]);
    assert_eq!(
        (
            d["status"].as_str(),
            d["approved_by"].as_str(),
            d["express"].as_bool()
        ),
        (Some("approved"), Some(DANA), Some(true))
    );
    assert_eq!(d["decisions"][0]["express"], true);

    let d = ok(&db, "alex", &["draft", "approve", &drafts[1], "--express"]);
    assert_eq!(
        (
            d["status"].as_str(),
            d["approved_by"].as_str(),
            d["express"].as_bool()
        ),
        (Some("approved"), Some(ALEX), Some(true))
    );

    // the chief, as the OS login itself (no --as)
    let d = parse(&succeeds(db.cmd().args([
        "--json",
        "draft",
        "approve",
        &drafts[2],
        "--express",
    ])));
    assert_eq!(
        (
            d["status"].as_str(),
            d["approved_by"].as_str(),
            d["express"].as_bool()
        ),
        (Some("approved"), Some(CHIEF_ID), Some(true))
    );

    // on a draft that needs none, an express approval is still recorded as one
    let clean = submitted(&db, CLEAN, &[]);
    refused(&db, "marc", &["draft", "approve", &clean, "--express"]);
    let d = ok(&db, "alex", &["draft", "approve", &clean, "--express"]);
    assert_eq!(d["express"], true);
    let approvals = events(&db)
        .into_iter()
        .filter(|e| e.action == "draft.approve")
        .collect::<Vec<_>>();
    assert_eq!(approvals.len(), 4);
    assert!(approvals.iter().all(|e| e.state["express"] == true));
}

// ------------------------------------------------------------ approval binds to the revision

#[test]
fn editing_an_approved_draft_voids_the_approval() {
    let db = department();
    let id = submitted(&db, CLEAN, &[]);
    let d = ok(&db, "dana", &["draft", "approve", &id]);
    assert_eq!(
        (d["status"].as_str(), d["approved_by"].as_str()),
        (Some("approved"), Some(DANA))
    );

    let text2 = "Join us at the job fair on Sunday!";
    let d = ok(&db, "olga", &["draft", "edit", &id, "--text", text2]);
    assert_contract(&d);
    assert_eq!(d["status"], "draft");
    assert_eq!(d["revision"], 2);
    assert_eq!(d["approved_by"], Value::Null);
    assert_eq!(d["express"], false);
    let edit = events(&db)
        .into_iter()
        .rfind(|e| e.action == "draft.edit")
        .expect("a draft.edit event");
    assert_eq!(edit.state["approval_voided"], true);

    let url = "https://www.instagram.com/p/sunday/";
    refused(&db, "olga", &["draft", "publish", &id, "--url", url]);
    ok(&db, "olga", &["draft", "submit", &id, "--attest"]);
    refused(&db, "olga", &["draft", "publish", &id, "--url", url]);
    let d = ok(&db, "alex", &["draft", "approve", &id]);
    assert_eq!(d["approved_by"], ALEX);
    assert_eq!(d["revision"], 2);
    let revisions: Vec<i64> = d["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["revision"].as_i64().unwrap())
        .collect();
    assert_eq!(revisions, [1, 2]);
    let d = ok(&db, "olga", &["draft", "publish", &id, "--url", url]);
    assert_eq!(d["status"], "published");
    assert_eq!(d["text"], text2);
}

#[test]
fn editing_a_submitted_draft_takes_it_back_and_screens_the_new_text() {
    let db = department();
    let id = submitted(&db, CLEAN, &[]);
    let d = ok(&db, "olga", &["draft", "edit", &id, "--text", GUILT]);
    assert_eq!(d["status"], "draft");
    assert!(!finding_ns(&d, "blocking").is_empty(), "{d}");
    refused(&db, "dana", &["draft", "approve", &id]);
    // back to clean: the new revision has no findings, the old ones are kept
    let d = ok(&db, "olga", &["draft", "edit", &id, "--text", CLEAN]);
    assert_eq!(d["revision"], 3);
    assert!(d["findings"].as_array().unwrap().is_empty(), "{d}");
    let kept: i64 = db
        .sqlite()
        .query_row(
            "SELECT count(*) FROM findings WHERE revision = 2",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(kept > 0, "the findings of revision 2 are kept");
}

// ------------------------------------------------------------ conflicts

#[test]
fn deciding_a_decided_draft_is_a_conflict_that_names_who_and_how() {
    let db = department();
    let id = submitted(&db, CLEAN, &[]);
    ok(&db, "dana", &["draft", "approve", &id]);
    for (login, args) in [
        ("alex", vec!["draft", "approve", id.as_str()]),
        (
            "chief",
            vec!["draft", "reject", id.as_str(), "--reason", "Too late"],
        ),
        (
            "marc",
            vec!["draft", "changes", id.as_str(), "--reason", "Too late"],
        ),
    ] {
        let err = fails_unchanged(&db, login, &args, 4);
        assert!(err.contains("approved"), "{err}");
        assert!(err.contains(DANA_NAME), "{err}");
    }

    let id = submitted(&db, CLEAN, &[]);
    ok(
        &db,
        "alex",
        &["draft", "reject", &id, "--reason", "Off-mission"],
    );
    let err = fails_unchanged(&db, "dana", &["draft", "approve", &id], 4);
    assert!(err.contains("rejected") && err.contains(ALEX_NAME), "{err}");

    let id = submitted(&db, CLEAN, &[]);
    ok(
        &db,
        "marc",
        &["draft", "changes", &id, "--reason", "Add the time"],
    );
    let err = fails_unchanged(&db, "dana", &["draft", "approve", &id], 4);
    assert!(err.contains("changes") && err.contains(MARC_NAME), "{err}");

    // published counts as decided too: the approval is named
    let id = submitted(&db, CLEAN, &[]);
    ok(&db, "chief", &["draft", "approve", &id]);
    ok(
        &db,
        "olga",
        &[
            "draft",
            "publish",
            &id,
            "--url",
            "https://www.instagram.com/p/x/",
        ],
    );
    let err = fails_unchanged(&db, "dana", &["draft", "reject", &id, "--reason", "no"], 4);
    assert!(
        err.contains("approved") && err.contains(CHIEF_NAME),
        "{err}"
    );

    // a reason is required for reject and changes
    let id = submitted(&db, CLEAN, &[]);
    fails_unchanged(&db, "dana", &["draft", "reject", &id, "--reason", ""], 1);
    fails_unchanged(
        &db,
        "dana",
        &["draft", "changes", &id, "--reason", "   "],
        1,
    );
    fails(&mut as_(&db, "dana", &["draft", "reject", &id]), 2);
}

// ------------------------------------------------------------ media

#[test]
fn media_are_hashed_when_attached_and_classified_by_extension() {
    let db = department();
    let files = [
        ("team.JPG", b"\xff\xd8\xff photo bytes".to_vec(), "photo"),
        (
            "clip.mp4",
            vec![0u8, 0, 0, 24, b'f', b't', b'y', b'p', 1, 2, 3],
            "video",
        ),
        ("flyer.pdf", b"%PDF-1.7 flyer".to_vec(), "other"),
    ];
    let mut args: Vec<String> = Vec::new();
    for (name, bytes, _) in &files {
        let path = db.file(name);
        std::fs::write(&path, bytes).unwrap();
        args.push("--media".into());
        args.push(path.to_str().unwrap().into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let d = new_draft(&db, "Come meet the team. Photo: County Probation", &args);
    let media = d["media"].as_array().expect("media");
    assert_eq!(media.len(), 3);
    for (i, ((name, bytes, kind), m)) in files.iter().zip(media).enumerate() {
        assert_eq!(m["n"], i as i64 + 1);
        assert_eq!(m["path"], db.file(name).to_str().unwrap());
        assert_eq!(m["sha256"], sha256_hex(bytes), "{m}");
        assert_eq!(m["bytes"], bytes.len() as i64);
        assert_eq!(m["kind"], *kind, "{m}");
        assert_eq!(m["depicts_operations"], false);
    }
    assert!(finding_ns(&d, "express").is_empty(), "no --operations: {d}");

    // the hash is the file's at attach time: changing the file later changes
    // nothing recorded
    std::fs::write(db.file("team.JPG"), b"swapped afterwards").unwrap();
    let id = d["id"].as_str().unwrap();
    let shown = show(&db, id);
    assert_eq!(shown["media"][0]["sha256"], sha256_hex(&files[0].1));

    // an edit without --media keeps them; with --media it replaces them
    let e = ok(
        &db,
        "olga",
        &["draft", "edit", id, "--text", "Come meet the team!"],
    );
    assert_eq!(e["media"].as_array().unwrap().len(), 3);
    let new_photo = db.file("new.png");
    std::fs::write(&new_photo, b"png").unwrap();
    let e = ok(
        &db,
        "olga",
        &[
            "draft",
            "edit",
            id,
            "--text",
            "Come meet the team!",
            "--media",
            new_photo.to_str().unwrap(),
        ],
    );
    let media = e["media"].as_array().unwrap();
    assert_eq!(media.len(), 1);
    assert_eq!(media[0]["sha256"], sha256_hex(b"png"));
    assert_eq!(media[0]["kind"], "photo");
    let rows: i64 = db
        .sqlite()
        .query_row("SELECT count(*) FROM media WHERE draft = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(rows, 3 + 3 + 1, "each revision keeps its own media list");
}

/// Expects `draft new … --media PATH` to fail with exit 1, quickly, and to
/// leave the database exactly as it was (no draft, no audit event).
fn media_refused(db: &TestDb, path: &str) -> String {
    let before = db.snapshot();
    let n = events(db).len();
    let mut c = as_(
        db,
        "olga",
        &[
            "draft",
            "new",
            "--account",
            HANDLE,
            "--purpose",
            "outreach",
            "--text",
            CLEAN,
            "--media",
            path,
        ],
    );
    c.timeout(Duration::from_secs(20));
    let out = c
        .output()
        .unwrap_or_else(|e| panic!("`--media {path:?}` did not finish: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "--media {path:?}: {stderr}");
    assert!(stderr.starts_with("error:"), "{stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "escape sequences are shown inert: {stderr:?}"
    );
    assert_eq!(db.snapshot(), before, "--media {path:?} changed the data");
    assert_eq!(events(db).len(), n, "--media {path:?} left an audit event");
    stderr
}

#[test]
fn a_missing_or_hostile_media_file_creates_nothing() {
    let db = department();
    let missing = db.file("missing.jpg");
    let err = media_refused(&db, missing.to_str().unwrap());
    assert!(err.contains("missing.jpg"), "{err}");
    // a folder
    media_refused(&db, db.dir.path().to_str().unwrap());
    // a device that never ends
    media_refused(&db, "/dev/zero");
    // a named pipe nobody writes to: must not hang
    let fifo = db.file("pipe.jpg");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("run mkfifo");
    assert!(made.success());
    media_refused(&db, fifo.to_str().unwrap());
    // a path with a terminal escape in it
    media_refused(
        &db,
        &format!(
            "{}/x\u{1b}]52;c;aGk=\u{7}\u{1b}[2J.jpg",
            db.dir.path().display()
        ),
    );
    // a good file next to a bad one: still nothing
    let good = db.file("good.jpg");
    std::fs::write(&good, b"ok").unwrap();
    let before = db.snapshot();
    let err = fails(
        &mut as_(
            &db,
            "olga",
            &[
                "draft",
                "new",
                "--account",
                HANDLE,
                "--purpose",
                "outreach",
                "--text",
                CLEAN,
                "--media",
                good.to_str().unwrap(),
                "--media",
                missing.to_str().unwrap(),
            ],
        ),
        1,
    );
    assert!(err.contains("missing.jpg"), "{err}");
    assert_eq!(db.snapshot(), before);
    assert!(list(&db).is_empty());
    assert!(events(&db).iter().all(|e| !e.action.starts_with("draft.")));

    // an edit with a bad file keeps the draft as it was
    new_draft(&db, CLEAN, &["--media", good.to_str().unwrap()]);
    let before = db.snapshot();
    fails(
        &mut as_(
            &db,
            "olga",
            &[
                "draft",
                "edit",
                "D-1",
                "--text",
                "New words",
                "--media",
                "/dev/zero",
            ],
        ),
        1,
    );
    assert_eq!(db.snapshot(), before);
}

// ------------------------------------------------------------ records

#[test]
fn every_decision_records_the_policy_version() {
    let db = department();
    let a = submitted(&db, CLEAN, &[]);
    let b = submitted(&db, CLEAN, &[]);
    let c = submitted(&db, CLEAN, &[]);
    ok(&db, "dana", &["draft", "approve", &a]);
    ok(
        &db,
        "alex",
        &["draft", "reject", &b, "--reason", "Duplicate"],
    );
    ok(
        &db,
        "chief",
        &["draft", "changes", &c, "--reason", "Add a date"],
    );
    let builtin = socialdesk::domain::screening::Rules::builtin().version();
    let overridden = directories::ProjectDirs::from("org", "socialdesk", "socialdesk")
        .is_some_and(|d| d.config_dir().join("policy.toml").exists());
    let log = events(&db);
    for id in [&a, &b, &c] {
        let d = show(&db, id);
        let decisions = d["decisions"].as_array().expect("decisions");
        assert_eq!(decisions.len(), 1, "{d}");
        let x = &decisions[0];
        let effective = x["policy_effective"].as_str().expect("policy_effective");
        assert!(
            chrono::NaiveDate::parse_from_str(effective, "%Y-%m-%d").is_ok(),
            "policy_effective is a date: {effective}"
        );
        assert!(is_hex64(&x["policy_sha256"]), "{x}");
        if !overridden {
            assert_eq!(effective, builtin.effective);
            assert_eq!(x["policy_sha256"], builtin.rules_sha256.as_str());
        }
        // the audit event carries the same version
        let event = log
            .iter()
            .rfind(|e| e.entity == format!("draft:{id}") && e.action != "draft.submit")
            .expect("the decision's event");
        assert_eq!(event.state["policy"]["effective"], effective);
        assert_eq!(event.state["policy"]["rules_sha256"], x["policy_sha256"]);
    }
}

#[test]
fn revisions_are_immutable_even_to_sqlite() {
    let db = department();
    new_draft(&db, CLEAN, &[]);
    ok(
        &db,
        "olga",
        &["draft", "edit", "D-1", "--text", "Second words"],
    );
    let conn = db.sqlite();
    let update = conn.execute(
        "UPDATE revisions SET text = 'rewritten' WHERE draft = 1",
        [],
    );
    assert!(update.is_err(), "UPDATE on revisions must be refused");
    assert!(update.unwrap_err().to_string().contains("immutable"));
    assert!(
        conn.execute("DELETE FROM revisions", []).is_err(),
        "DELETE on revisions must be refused"
    );
    assert!(conn
        .execute("DELETE FROM revisions WHERE n = 1", [])
        .is_err());
    let texts: Vec<String> = conn
        .prepare("SELECT text FROM revisions ORDER BY n")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(texts, [CLEAN, "Second words"]);
    drop(conn);
    assert_eq!(show(&db, "D-1")["text"], "Second words");
}

// ------------------------------------------------------------ list / show

#[test]
fn list_filters_by_status_and_bad_ids_are_errors() {
    let db = department();
    let a = submitted(&db, CLEAN, &[]);
    let b = new_draft(&db, CLEAN, &[])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let c = submitted(&db, CLEAN, &[]);
    ok(&db, "dana", &["draft", "approve", &c]);

    let all = list(&db);
    let ids: Vec<&str> = all.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [c.as_str(), b.as_str(), a.as_str()], "newest first");
    for d in &all {
        assert_contract(d);
    }
    let only = |status: &str| -> Vec<String> {
        array(db.json(&["draft", "list", "--status", status]))
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(only("submitted"), [a.as_str()]);
    assert_eq!(only("draft"), [b.as_str()]);
    assert_eq!(only("approved"), [c.as_str()]);
    assert!(only("published").is_empty());
    assert!(only("changes_requested").is_empty());

    let text = db.ok(&["draft", "list", "--status", "submitted"]);
    assert!(text.contains(&a) && !text.contains(&c), "{text}");

    let err = fails(db.cmd().args(["draft", "list", "--status", "pending"]), 1);
    assert!(err.contains("pending"), "{err}");
    let err = fails(db.cmd().args(["--json", "draft", "show", "D-99"]), 1);
    assert!(err.contains("D-99"), "{err}");
    fails(db.cmd().args(["draft", "show", "99"]), 1);
    let out = db.cmd().args(["draft", "show", "abc"]).output().unwrap();
    assert!(matches!(out.status.code(), Some(1 | 2)), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error:"));
    fails(db.cmd().args(["draft", "show", "CR-1"]), 1);
    fails(db.cmd().args(["draft", "show", "D-0"]), 1);
    // deciding, editing or publishing a draft that does not exist
    fails_unchanged(&db, "dana", &["draft", "approve", "D-99"], 1);
    fails_unchanged(&db, "olga", &["draft", "edit", "D-99", "--text", "x"], 1);
    fails_unchanged(
        &db,
        "olga",
        &["draft", "publish", "D-99", "--url", "https://x.test/"],
        1,
    );
}

// ------------------------------------------------------------ screening

/// A span is [start, end) in characters and selects the matched text.
fn assert_spans_select_the_text(d: &Value) {
    let text: Vec<char> = d["text"].as_str().unwrap().chars().collect();
    for f in d["findings"].as_array().unwrap() {
        let start = f["span"][0].as_u64().unwrap() as usize;
        let end = f["span"][1].as_u64().unwrap() as usize;
        assert!(start <= end && end <= text.len(), "{f}");
        if end > start {
            let selected: String = text[start..end].iter().collect();
            assert_eq!(selected, f["text"].as_str().unwrap(), "{f}");
        }
    }
}

#[test]
fn screening_flags_politics_business_and_private_data_through_the_cli() {
    let db = department();

    let d = new_draft(&db, "Remember to vote for Measure K on Tuesday!", &[]);
    assert!(has_finding(&d, "V.6.d", "blocking"), "vote for: {d}");
    assert_spans_select_the_text(&d);
    let hit = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["clause"] == "V.6.d")
        .unwrap();
    assert!(
        hit["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("vote for"),
        "{hit}"
    );

    let d = new_draft(&db, "Use code PROBATION20 for 20% off at my shop!", &[]);
    assert!(has_finding(&d, "V.6.d", "blocking"), "discount code: {d}");
    assert_spans_select_the_text(&d);

    let d = new_draft(
        &db,
        "Congratulations to Maria Lopez, DOB 01/02/1980, on her graduation.",
        &[],
    );
    assert!(has_finding(&d, "V.6.c", "express"), "date of birth: {d}");
    assert_spans_select_the_text(&d);

    let d = new_draft(&db, GUILT, &[]);
    assert!(has_finding(&d, "V.6.c", "blocking"), "guilt: {d}");
    assert_spans_select_the_text(&d);

    let d = new_draft(&db, CLEAN, &[]);
    assert_eq!(d["findings"], serde_json::json!([]), "clean outreach: {d}");

    // findings are stored with the revision, so show agrees with new
    for d in list(&db) {
        let id = d["id"].as_str().unwrap();
        assert_eq!(show(&db, id)["findings"], d["findings"]);
    }
}

// ------------------------------------------------------------ inbox

#[test]
fn inbox_counts_the_drafts_awaiting_the_user() {
    let db = department();
    let inbox = |login: &str| succeeds(&mut as_(&db, login, &["inbox"]));
    assert!(
        inbox("dana").contains("nothing awaits"),
        "{}",
        inbox("dana")
    );

    let a = submitted(&db, CLEAN, &[]);
    let _b = submitted(&db, CLEAN, &[]);
    new_draft(&db, CLEAN, &[]); // not submitted: awaits no one
    let line = inbox("dana");
    assert_eq!(line.lines().count(), 1, "one line: {line}");
    assert!(line.contains("2 drafts await"), "{line}");

    // dana's own submitted draft is not in her inbox
    db.ok(&["roster", "authorize", DANA]);
    let d = ok(
        &db,
        "dana",
        &[
            "draft",
            "new",
            "--account",
            HANDLE,
            "--purpose",
            "mission",
            "--text",
            CLEAN,
        ],
    );
    ok(
        &db,
        "dana",
        &["draft", "submit", d["id"].as_str().unwrap(), "--attest"],
    );
    assert!(
        inbox("dana").contains("2 drafts await"),
        "{}",
        inbox("dana")
    );
    assert!(
        inbox("alex").contains("3 drafts await"),
        "{}",
        inbox("alex")
    );

    ok(&db, "marc", &["draft", "approve", &a]);
    assert!(
        inbox("dana").contains("1 draft awaits"),
        "{}",
        inbox("dana")
    );
    // officers decide nothing
    assert!(
        inbox("olga").contains("nothing awaits"),
        "{}",
        inbox("olga")
    );
    // inbox changes nothing
    let before = db.snapshot();
    let n = events(&db).len();
    inbox("dana");
    assert_eq!(db.snapshot(), before);
    assert_eq!(events(&db).len(), n);
}
