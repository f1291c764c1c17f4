//! The database as the binary meets it (SPEC §6, §7): foreign, newer,
//! read-only, locked and missing files; the audit chain, its triggers,
//! anchors and tampering; migrations; one audit event per write.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{bin, cmd, fails, succeeds, TestDb, CHIEF_ID};

/// Asserts the `-wal`, `-shm` and `-journal` companions of `db` do not exist.
fn assert_no_companions(db: &Path) {
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        assert!(
            !Path::new(&p).exists(),
            "{} was created next to a file that is not ours",
            Path::new(&p).display()
        );
    }
}

fn one_line(stderr: &str) {
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "expected a one-line error: {stderr:?}"
    );
}

// ---------------------------------------------------------------- foreign files

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("random.db");
    let bytes = common::noise(8192, 0x5eed);
    std::fs::write(&path, &bytes).unwrap();
    for args in [
        &["roster", "list"][..],
        &[
            "roster", "add", "--id", "E1", "--name", "X", "--rank", "staff",
        ],
        &["audit", "verify"],
    ] {
        let err = fails(cmd(&path).args(args), 1);
        one_line(&err);
        assert!(err.contains("not a socialdesk database"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file was changed");
    }
    assert_no_companions(&path);
    // init does not overwrite it either
    fails(
        cmd(&path).args([
            "init",
            "--chief-id",
            "P1",
            "--chief-name",
            "C",
            "--chief-login",
            "c",
        ]),
        1,
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_text_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let text = b"these are my notes, not a database\n".repeat(200);
    std::fs::write(&path, &text).unwrap();
    let err = fails(cmd(&path).args(["roster", "list"]), 1);
    one_line(&err);
    assert_eq!(std::fs::read(&path).unwrap(), text);
    assert_no_companions(&path);
}

#[test]
fn a_sqlite_database_from_another_program_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT);
             INSERT INTO recipes (name) VALUES ('bread'), ('soup');",
        )
        .unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    for args in [
        &["roster", "list"][..],
        &[
            "roster", "add", "--id", "E1", "--name", "X", "--rank", "staff",
        ],
    ] {
        let err = fails(cmd(&path).args(args), 1);
        one_line(&err);
        assert!(err.contains("not a socialdesk database"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "the file was changed");
    }
    assert_no_companions(&path);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1, "no tables were added");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "the journal mode was not changed");
}

#[test]
fn an_empty_file_is_not_a_socialdesk_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let err = fails(cmd(&path).args(["roster", "list"]), 1);
    one_line(&err);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}

#[test]
fn a_database_from_a_newer_socialdesk_is_refused_untouched() {
    let db = TestDb::new();
    db.sqlite()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    let bytes = db.bytes();
    for args in [
        &["roster", "list"][..],
        &[
            "roster", "add", "--id", "E1", "--name", "X", "--rank", "staff",
        ],
        &["audit", "verify"],
    ] {
        let err = fails(db.cmd().args(args), 1);
        one_line(&err);
        assert!(err.contains("newer"), "{err}");
        assert_eq!(db.bytes(), bytes, "the file was changed");
    }
    let version: i64 = db
        .sqlite()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 99);
}

// ---------------------------------------------------------------- read-only, locked, missing

#[test]
fn a_read_only_database_says_so() {
    let db = TestDb::new();
    let bytes = db.bytes();
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o444)).unwrap();
    for args in [
        &[
            "roster", "add", "--id", "E1", "--name", "X", "--rank", "staff",
        ][..],
        &["settings", "set", "department_name", "Y"],
        &["roster", "list"],
    ] {
        let err = fails(db.cmd().args(args), 1);
        one_line(&err);
        assert!(err.contains("read-only"), "{err}");
    }
    assert_eq!(db.bytes(), bytes);
    std::fs::set_permissions(&db.path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(db.roster().len(), 1, "nothing was added");
}

#[test]
fn a_locked_database_fails_after_the_busy_timeout() {
    let db = TestDb::new();
    let before = db.snapshot();
    let holder = db.sqlite();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    // look-ups still work while another session writes (WAL)
    db.ok(&["roster", "list"]);
    let started = Instant::now();
    let err = fails(
        db.cmd().args([
            "roster", "add", "--id", "E1", "--name", "Blocked", "--rank", "staff",
        ]),
        1,
    );
    let waited = started.elapsed();
    assert!(err.contains("database is locked"), "{err}");
    one_line(&err);
    assert!(
        waited >= Duration::from_secs(4),
        "gave up after {waited:?}, before the 5 s busy timeout"
    );
    assert!(waited < Duration::from_secs(30), "waited {waited:?}");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(db.snapshot(), before);
    // once released, the same write goes through
    db.ok(&[
        "roster",
        "add",
        "--id",
        "E1",
        "--name",
        "Unblocked",
        "--rank",
        "staff",
    ]);
}

#[test]
fn no_database_at_the_path_is_an_error_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.db");
    let err = fails(cmd(&path).args(["roster", "list"]), 1);
    assert!(
        err.contains("init"),
        "the message says how to make one: {err}"
    );
    assert!(!path.exists(), "opening must not create a database");
    assert_no_companions(&path);
    let nested = dir.path().join("no/such/folder/x.db");
    fails(cmd(&nested).args(["roster", "list"]), 1);
    assert!(!dir.path().join("no").exists());
}

#[test]
fn socialdesk_db_is_used_without_db_and_db_wins_over_it() {
    let db = TestDb::new();
    let out = succeeds(
        bin()
            .env("SOCIALDESK_DB", &db.path)
            .args(["--json", "roster", "list"]),
    );
    let all = common::array(common::parse(&out));
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["id"], CHIEF_ID);

    let elsewhere = db.file("elsewhere.db");
    succeeds(
        bin()
            .env("SOCIALDESK_DB", &elsewhere)
            .arg("--db")
            .arg(&db.path)
            .args(["roster", "list"]),
    );
    let err = fails(
        bin()
            .env("SOCIALDESK_DB", &elsewhere)
            .args(["roster", "list"]),
        1,
    );
    assert!(err.contains("elsewhere.db"), "{err}");
    assert!(!elsewhere.exists());

    // writes through $SOCIALDESK_DB land in that database
    succeeds(bin().env("SOCIALDESK_DB", &db.path).args([
        "roster",
        "add",
        "--id",
        "E1",
        "--name",
        "Env Added",
        "--rank",
        "staff",
    ]));
    assert_eq!(db.roster().len(), 2);
}

// ---------------------------------------------------------------- the audit chain

#[test]
fn audit_verify_holds_after_many_writes() {
    let db = TestDb::new();
    db.add("CD1", "Dana Deputy", "chief_deputy", Some("dana"));
    db.add_account("instagram", "probation_ig", "CD1");
    for i in 0..15 {
        let id = format!("E{i}");
        db.add(&id, &format!("Person {i}"), "officer", None);
        db.ok(&["roster", "authorize", &id]);
        if i % 3 == 0 {
            db.ok(&["roster", "revoke", &id, "--reason", "rotation"]);
        }
    }
    db.ok(&["roster", "delegate", "CD1"]);
    db.ok(&[
        "settings",
        "set",
        "department_name",
        "Test County Probation",
    ]);
    let n = db.audit_count();
    let out = db.ok(&["audit", "verify"]);
    assert!(out.starts_with("ok:"), "{out}");
    assert!(out.contains(&format!("{n} events")), "{out}");
    let v = db.json(&["audit", "verify"]);
    assert_eq!(v["events"], n as i64);
    assert_eq!(v["head_seq"], n as i64);
    let log = db.audit();
    assert_eq!(v["head_hash"], log.last().unwrap()["hash"]);
    // sequence numbers run 1..=n without gaps
    for (i, e) in log.iter().enumerate() {
        assert_eq!(e["seq"], (i + 1) as i64);
        for key in [
            "at", "actor", "os_user", "action", "entity", "state", "hash",
        ] {
            assert!(e.get(key).is_some(), "event lacks {key}: {e}");
        }
    }
    // audit log --entity keeps one entity's events
    let e3 = common::array(db.json(&["audit", "log", "--entity", "employee:E3"]));
    assert!(!e3.is_empty());
    assert!(e3.iter().all(|e| e["entity"] == "employee:E3"));
}

#[test]
fn triggers_refuse_update_and_delete_of_audit_events() {
    let db = TestDb::new();
    db.add("E1", "Eve One", "officer", None);
    let conn = db.sqlite();
    let err = conn
        .execute("UPDATE audit_events SET state = '{}' WHERE seq = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = conn.execute("DELETE FROM audit_events", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = conn
        .execute(
            "DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)",
            [],
        )
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    // roster entries are never deleted either
    let err = conn
        .execute("DELETE FROM employees WHERE id = 'E1'", [])
        .unwrap_err();
    assert!(err.to_string().contains("never deleted"), "{err}");
    drop(conn);
    db.ok(&["audit", "verify"]);
}

#[test]
fn a_changed_event_breaks_the_chain_at_its_seq() {
    let db = TestDb::new();
    db.add("E1", "Eve One", "officer", None);
    db.add("E2", "Eli Two", "officer", None);
    db.add("E3", "Eda Three", "officer", None);
    let target = db
        .audit()
        .iter()
        .find(|e| e["entity"] == "employee:E2")
        .unwrap()["seq"]
        .as_i64()
        .unwrap();
    {
        let conn = db.sqlite();
        conn.execute_batch("DROP TRIGGER audit_events_no_update")
            .unwrap();
        conn.execute(
            "UPDATE audit_events SET state = replace(state, 'Eli Two', 'Someone Else') WHERE seq = ?1",
            [target],
        )
        .unwrap();
    }
    let err = fails(db.cmd().args(["audit", "verify"]), 1);
    assert!(
        err.contains(&format!("event {target}")),
        "names the broken event {target}: {err}"
    );
    one_line(&err);
}

#[test]
fn a_rewritten_chain_breaks_at_the_first_changed_event() {
    let db = TestDb::new();
    db.add("E1", "Eve One", "officer", None);
    db.add("E2", "Eli Two", "officer", None);
    {
        let conn = db.sqlite();
        conn.execute_batch("DROP TRIGGER audit_events_no_update")
            .unwrap();
        // change an old event's actor and its hash, leaving the next link broken
        conn.execute(
            "UPDATE audit_events SET actor = 'nobody', hash = 'ab' || substr(hash, 3) WHERE seq = 2",
            [],
        )
        .unwrap();
    }
    let err = fails(db.cmd().args(["audit", "verify"]), 1);
    assert!(err.contains("event 2"), "{err}");
}

#[test]
fn anchors_prove_the_chain_still_holds_its_head() {
    let db = TestDb::new();
    db.add("E1", "Eve One", "officer", None);
    let anchor = db.file("anchor.json");
    let out = db.ok(&["audit", "anchor", "--out", anchor.to_str().unwrap()]);
    assert!(out.contains("anchored"), "{out}");
    let saved = common::parse(&std::fs::read_to_string(&anchor).unwrap());
    let head = db.last_event();
    assert_eq!(saved["seq"], head["seq"]);
    assert_eq!(saved["hash"], head["hash"]);
    db.ok(&["audit", "verify", "--anchor", anchor.to_str().unwrap()]);

    // later writes keep the anchored event
    db.add("E2", "Eli Two", "officer", None);
    db.ok(&["audit", "verify", "--anchor", anchor.to_str().unwrap()]);

    // cutting the log back past the anchor is caught by the anchor
    {
        let conn = db.sqlite();
        conn.execute_batch("DROP TRIGGER audit_events_no_delete")
            .unwrap();
        conn.execute(
            "DELETE FROM audit_events WHERE seq >= ?1",
            [saved["seq"].as_i64().unwrap()],
        )
        .unwrap();
    }
    let err = fails(
        db.cmd()
            .args(["audit", "verify", "--anchor", anchor.to_str().unwrap()]),
        1,
    );
    assert!(err.contains("anchor"), "{err}");

    // a malformed or missing anchor is an error
    let bad = db.file("bad.json");
    std::fs::write(&bad, "{\"seq\": 1}").unwrap();
    fails(
        db.cmd()
            .args(["audit", "verify", "--anchor", bad.to_str().unwrap()]),
        1,
    );
    fails(
        db.cmd().args([
            "audit",
            "verify",
            "--anchor",
            db.file("nope.json").to_str().unwrap(),
        ]),
        1,
    );
}

#[test]
fn records_commands_are_for_approvers() {
    let db = TestDb::new();
    db.add("O1", "Oscar Officer", "officer", Some("oscar"));
    db.add("CD1", "Dana Deputy", "chief_deputy", Some("dana"));
    let before = db.snapshot();
    for args in [
        &["audit", "verify"][..],
        &["audit", "log"],
        &["audit", "anchor", "--out", "/dev/null"],
    ] {
        let events = db.audit_count();
        fails(db.as_login("oscar").args(args), 3);
        let log = db.audit();
        assert_eq!(log.len(), events + 1);
        assert_eq!(log.last().unwrap()["action"], "refused");
    }
    assert_eq!(db.snapshot(), before);
    succeeds(db.as_login("dana").args(["audit", "verify"]));
}

// ---------------------------------------------------------------- migration

#[test]
fn a_version_1_database_is_migrated_and_audited() {
    let db = TestDb::new();
    db.add("E1", "Eve One", "officer", None);
    {
        let conn = db.sqlite();
        conn.execute_batch(
            "DROP TABLE case_evidence; DROP TABLE case_links; DROP TABLE case_timeline;
             DROP TABLE cases; DROP TABLE credential_changes;
             DROP TABLE dismissals; DROP TABLE findings; DROP TABLE media;
             DROP TABLE decisions; DROP TABLE attestations; DROP TABLE notes;
             DROP TABLE revisions; DROP TABLE drafts;
             DROP TRIGGER accounts_no_delete;
             DROP TRIGGER departed_credentials_no_delete;
             DROP TABLE departed_credentials;
             DROP TABLE accounts;
             DROP INDEX employees_lookup;
             CREATE INDEX employees_by_name ON employees(name, id);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let events = db.audit().len(); // this run migrates first
    let conn = db.sqlite();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, socialdesk::store::schema::latest_version());
    for (kind, name) in [
        ("index", "employees_lookup"),
        ("table", "drafts"),
        ("table", "credential_changes"),
        ("table", "cases"),
        ("index", "drafts_status_author"),
        ("trigger", "revisions_no_update"),
        ("table", "accounts"),
        ("table", "departed_credentials"),
        ("trigger", "accounts_no_delete"),
        ("trigger", "departed_credentials_no_delete"),
    ] {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = ?1 AND name = ?2",
                [kind, name],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "{kind} {name} was not recreated");
    }
    drop(conn);
    let log = db.audit();
    assert_eq!(log.len(), events, "reading the log adds nothing");
    let migrations: Vec<_> = log
        .iter()
        .filter(|e| e["action"] == "store.migrate")
        .collect();
    // every step from init (0→1 …), then every step of this upgrade (1→2 …)
    let latest = socialdesk::store::schema::latest_version();
    assert_eq!(
        migrations.len() as i64,
        latest + latest - 1,
        "{migrations:?}"
    );
    for (event, from) in migrations[latest as usize..].iter().zip(1..) {
        let state = common::parse(event["state"].as_str().unwrap());
        assert_eq!(state["from"], from);
        assert_eq!(state["to"], from + 1);
        assert_eq!(event["actor"], "system");
    }
    // the roster survived and the new tables work
    assert!(db.roster_ids().contains(&"E1".to_string()));
    db.add("CD1", "Dana Deputy", "chief_deputy", None);
    db.add_account("twitter", "probation_x", "CD1");
    db.ok(&["audit", "verify"]);
}

#[test]
fn a_fresh_database_records_its_creation() {
    let db = TestDb::new();
    let log = db.audit();
    let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    let latest = socialdesk::store::schema::latest_version() as usize;
    let mut expected = vec!["store.migrate"; latest];
    expected.push("init");
    assert_eq!(actions, expected);
    assert_eq!(log[latest]["entity"], format!("employee:{CHIEF_ID}"));
    let conn = db.sqlite();
    let app_id: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, 0x5344_534B);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

// ---------------------------------------------------------------- one event per write

#[test]
fn every_write_adds_exactly_one_event_named_after_its_verb() {
    let db = TestDb::new();
    let csv = db.file("roster.csv");
    std::fs::write(
        &csv,
        "id,name,rank,unit,login,email,phone,status\nI1,Ida Import,officer,,iimport,,,active\n",
    )
    .unwrap();
    let csv = csv.to_str().unwrap().to_string();
    let steps: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec![
                "roster",
                "add",
                "--id",
                "CD1",
                "--name",
                "Dana",
                "--rank",
                "chief_deputy",
            ],
            "roster.add",
            "employee:CD1",
        ),
        (
            vec![
                "roster", "add", "--id", "O1", "--name", "Oscar", "--rank", "officer",
            ],
            "roster.add",
            "employee:O1",
        ),
        (
            vec!["roster", "edit", "O1", "--unit", "Training"],
            "roster.edit",
            "employee:O1",
        ),
        (vec!["roster", "import", &csv], "roster.import", "roster"),
        (
            vec![
                "account",
                "add",
                "--platform",
                "instagram",
                "--handle",
                "probation_ig",
                "--responsible",
                "CD1",
            ],
            "account.add",
            "account:probation_ig",
        ),
        (
            vec!["roster", "authorize", "O1"],
            "roster.authorize",
            "employee:O1",
        ),
        (
            vec!["roster", "revoke", "O1", "--reason", "rotation"],
            "roster.revoke",
            "employee:O1",
        ),
        (
            vec!["roster", "delegate", "CD1"],
            "roster.delegate",
            "employee:CD1",
        ),
        (
            vec!["roster", "undelegate"],
            "roster.undelegate",
            "delegation",
        ),
        (
            vec!["roster", "separate", "I1"],
            "roster.separate",
            "employee:I1",
        ),
        (
            vec!["account", "retire", "probation_ig"],
            "account.retire",
            "account:probation_ig",
        ),
        (
            vec!["settings", "set", "exigent_notice_hours", "12"],
            "settings.set",
            "setting:exigent_notice_hours",
        ),
    ];
    for (args, action, entity) in steps {
        let before = db.audit();
        db.ok(&args);
        let after = db.audit();
        assert_eq!(
            after.len(),
            before.len() + 1,
            "{args:?} added {} events",
            after.len() - before.len()
        );
        let last = after.last().unwrap();
        assert_eq!(last["action"], action, "{args:?}");
        assert_eq!(last["entity"], entity, "{args:?}");
        assert_eq!(last["actor"], CHIEF_ID);
        assert!(
            last["at"].as_str().unwrap().ends_with('Z'),
            "UTC time: {}",
            last["at"]
        );
        // the event's state is JSON
        common::parse(last["state"].as_str().unwrap());
    }
    // reads add nothing
    let n = db.audit_count();
    for args in [
        &["roster", "list"][..],
        &["roster", "show", "O1"],
        &["account", "list"],
        &["settings", "get", "exigent_notice_hours"],
        &["audit", "verify"],
    ] {
        db.ok(args);
    }
    assert_eq!(db.audit_count(), n, "reads are not audited as writes");
    db.ok(&["audit", "verify"]);
}

#[test]
fn a_pinned_clock_is_the_event_time() {
    let db = TestDb::new();
    succeeds(db.at("2026-03-02T09:30:00Z").args([
        "roster", "add", "--id", "E1", "--name", "Eve", "--rank", "staff",
    ]));
    assert_eq!(db.last_event()["at"], "2026-03-02T09:30:00.000Z");
}
