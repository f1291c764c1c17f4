//! `init`, `settings`, `gen` and `account` driven through the real binary.

mod common;

use common::{cmd, fails, os_login, strings, succeeds, TestDb, CHIEF_ID, CHIEF_NAME};
use serde_json::Value;

// ---------------------------------------------------------------- init

#[test]
fn init_makes_a_database_with_its_chief() {
    let db = TestDb::new();
    let all = db.roster();
    assert_eq!(all.len(), 1);
    let chief = &all[0];
    assert_eq!(chief["id"], CHIEF_ID);
    assert_eq!(chief["name"], CHIEF_NAME);
    assert_eq!(chief["rank"], "chief");
    assert_eq!(chief["login"], os_login().as_str());
    assert_eq!(chief["status"], "active");
    db.ok(&["audit", "verify"]);
}

#[test]
fn init_creates_missing_folders() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/new.db");
    let out = succeeds(cmd(&path).args([
        "init",
        "--chief-id",
        "C9",
        "--chief-name",
        "Nested Chief",
        "--chief-login",
        &os_login(),
    ]));
    assert!(out.contains("C9"), "{out}");
    assert!(path.exists());
}

#[test]
fn init_refuses_an_existing_database_and_leaves_it_unchanged() {
    let db = TestDb::new();
    db.add("E1", "Eve One", "officer", None);
    let bytes = db.bytes();
    let before = db.snapshot();
    let err = fails(
        db.cmd().args([
            "init",
            "--chief-id",
            "P9",
            "--chief-name",
            "Usurper",
            "--chief-login",
            "usurper",
        ]),
        1,
    );
    assert!(err.contains("exists"), "{err}");
    assert_eq!(db.bytes(), bytes);
    assert_eq!(db.snapshot(), before);
    let err = fails(db.cmd().args(["init", "--demo"]), 1);
    assert!(err.contains("exists"), "{err}");
    assert_eq!(db.bytes(), bytes);
    assert_eq!(db.roster().len(), 2);
}

#[test]
fn init_needs_its_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    cmd(&path)
        .args(["init", "--chief-id", "P1", "--chief-name", "C"])
        .assert()
        .code(2);
    cmd(&path)
        .args([
            "init",
            "--demo",
            "--chief-id",
            "P1",
            "--chief-name",
            "C",
            "--chief-login",
            "c",
        ])
        .assert()
        .code(2);
    assert!(!path.exists());
}

#[test]
fn a_failed_init_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    for (id, login) in [("bad id", "chief"), ("P1", "bad login")] {
        fails(
            cmd(&path).args([
                "init",
                "--chief-id",
                id,
                "--chief-name",
                "C",
                "--chief-login",
                login,
            ]),
            1,
        );
        assert!(!path.exists());
        for suffix in ["-wal", "-shm", "-journal"] {
            assert!(!dir.path().join(format!("x.db{suffix}")).exists());
        }
    }
}

#[test]
fn init_demo_makes_a_county_run_by_the_os_login() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    succeeds(cmd(&path).args(["init", "--demo"]));
    let all = common::array(common::parse(&succeeds(
        cmd(&path).args(["--json", "roster", "list"]),
    )));
    assert_eq!(all.len(), 40);
    let chiefs: Vec<&Value> = all.iter().filter(|e| e["rank"] == "chief").collect();
    assert_eq!(chiefs.len(), 1);
    assert_eq!(chiefs[0]["login"], os_login().as_str());
    // every rank is there, with a delegate and a team
    for rank in [
        "chief",
        "assistant_chief",
        "chief_deputy",
        "supervisor",
        "officer",
        "staff",
    ] {
        assert!(all.iter().any(|e| e["rank"] == rank), "no {rank}");
    }
    assert_eq!(all.iter().filter(|e| e["delegate"] == true).count(), 1);
    assert!(all.iter().any(|e| e["team_member"] == true));
    assert!(all.iter().any(|e| e["status"] == "separated"));
    // logins are unique
    let mut logins: Vec<&str> = all.iter().filter_map(|e| e["login"].as_str()).collect();
    let n = logins.len();
    logins.sort();
    logins.dedup();
    assert_eq!(logins.len(), n);
    // accounts, each with an active chief deputy responsible
    let accounts = common::array(common::parse(&succeeds(
        cmd(&path).args(["--json", "account", "list"]),
    )));
    assert!(!accounts.is_empty());
    for a in &accounts {
        let r = all.iter().find(|e| e["id"] == a["responsible"]).unwrap();
        assert_eq!(r["rank"], "chief_deputy");
    }
    // no one is separated but still authorized
    assert!(all
        .iter()
        .all(|e| !strings(&e["flags"]).contains(&"SEPARATED-BUT-AUTHORIZED".to_string())));
    succeeds(cmd(&path).args(["audit", "verify"]));
    assert_eq!(
        succeeds(cmd(&path).args(["settings", "get", "department_name"])).trim(),
        "Sierra Vista County Probation Department"
    );
}

// ---------------------------------------------------------------- settings

#[test]
fn settings_get_shows_defaults_and_set_changes_them() {
    let db = TestDb::new();
    assert_eq!(
        db.ok(&["settings", "get", "authorization_months"]).trim(),
        "12"
    );
    assert_eq!(
        db.ok(&["settings", "get", "exigent_notice_hours"]).trim(),
        "24"
    );
    assert_eq!(
        db.ok(&["settings", "get", "idle_timeout_minutes"]).trim(),
        "30"
    );
    let out = db.ok(&[
        "settings",
        "set",
        "department_name",
        "Mono County Probation",
    ]);
    assert!(out.contains("Mono County Probation"), "{out}");
    assert_eq!(
        db.ok(&["settings", "get", "department_name"]).trim(),
        "Mono County Probation"
    );
    db.ok(&["settings", "set", "exigent_notice_hours", "0"]);
    assert_eq!(
        db.ok(&["settings", "get", "exigent_notice_hours"]).trim(),
        "0"
    );
    let last = db.last_event();
    assert_eq!(last["action"], "settings.set");
    assert_eq!(last["entity"], "setting:exigent_notice_hours");
}

#[test]
fn settings_errors() {
    let db = TestDb::new();
    let before = db.snapshot();
    let events = db.audit_count();
    let err = fails(db.cmd().args(["settings", "get", "colour"]), 1);
    assert!(err.contains("colour"), "{err}");
    fails(db.cmd().args(["settings", "set", "colour", "red"]), 1);
    let err = fails(
        db.cmd()
            .args(["settings", "set", "authorization_months", "twelve"]),
        1,
    );
    assert!(err.contains("authorization_months"), "{err}");
    fails(
        db.cmd().args(["settings", "set", "department_name", "  "]),
        1,
    );
    db.cmd()
        .args(["settings", "set", "department_name"])
        .assert()
        .code(2);
    db.cmd().args(["settings", "get"]).assert().code(2);
    assert_eq!(db.snapshot(), before);
    assert_eq!(db.audit_count(), events);
}

#[test]
fn only_the_chief_changes_settings() {
    let db = TestDb::new();
    db.add("CD1", "Dana Deputy", "chief_deputy", Some("dana"));
    db.add("O1", "Oscar Officer", "officer", Some("oscar"));
    db.ok(&["roster", "delegate", "CD1"]);
    for login in ["oscar", "dana"] {
        let before = db.snapshot();
        let events = db.audit_count();
        let err = fails(
            db.as_login(login)
                .args(["settings", "set", "authorization_months", "1"]),
            3,
        );
        assert!(err.contains("refused"), "{err}");
        assert_eq!(db.snapshot(), before);
        let log = db.audit();
        assert_eq!(log.len(), events + 1);
        assert_eq!(log.last().unwrap()["action"], "refused");
    }
    assert_eq!(
        db.ok(&["settings", "get", "authorization_months"]).trim(),
        "12"
    );
    // anyone may read a setting
    let v = succeeds(
        db.as_login("oscar")
            .args(["settings", "get", "authorization_months"]),
    );
    assert_eq!(v.trim(), "12");
}

// ---------------------------------------------------------------- gen

#[test]
fn gen_adds_rows_and_the_chain_still_verifies() {
    let db = TestDb::new();
    let events = db.audit_count();
    let out = db.ok(&["gen", "--employees", "200", "--events", "500"]);
    assert!(out.contains("200") && out.contains("500"), "{out}");
    let ids = db.roster_ids();
    assert_eq!(ids.len(), 201);
    assert_eq!(db.audit_count(), events + 500 + 1);
    db.ok(&["audit", "verify"]);

    // a second run adds more, never colliding with the first
    db.ok(&["gen", "--employees", "200", "--events", "10", "--seed", "7"]);
    let mut ids = db.roster_ids();
    assert_eq!(ids.len(), 401);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 401, "generated ids collide");
    db.ok(&["audit", "verify"]);
    // generated employees have valid ranks and statuses
    for e in db.roster() {
        assert_eq!(e["status"], "active");
    }
}

#[test]
fn gen_adds_drafts_in_every_status_on_an_account() {
    let db = TestDb::new();
    db.ok(&["gen", "--employees", "50", "--drafts", "120", "--seed", "3"]);
    let drafts = db.json(&["draft", "list"]);
    let drafts = drafts.as_array().unwrap();
    assert_eq!(drafts.len(), 120);
    let mut statuses: Vec<&str> = drafts
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    statuses.sort();
    statuses.dedup();
    assert!(statuses.len() >= 5, "{statuses:?}");
    for d in drafts {
        assert!(d["id"].as_str().unwrap().starts_with("D-"));
        assert_ne!(d["approved_by"], d["author"]);
    }
    assert_eq!(db.json(&["account", "list"]).as_array().unwrap().len(), 1);
    db.ok(&["audit", "verify"]);
}

#[test]
fn gen_is_for_the_chief_or_the_delegate() {
    let db = TestDb::new();
    db.add("O1", "Oscar Officer", "officer", Some("oscar"));
    let before = db.snapshot();
    fails(db.as_login("oscar").args(["gen", "--employees", "5"]), 3);
    assert_eq!(db.snapshot(), before);
}

// ---------------------------------------------------------------- accounts

fn with_deputy() -> TestDb {
    let db = TestDb::new();
    db.add("CD1", "Dana Deputy", "chief_deputy", Some("dana"));
    db.add("O1", "Oscar Officer", "officer", Some("oscar"));
    db
}

#[test]
fn account_add_list_retire() {
    let db = with_deputy();
    let a = db.json(&[
        "account",
        "add",
        "--platform",
        "instagram",
        "--handle",
        "probation_ig",
        "--responsible",
        "CD1",
        "--profile",
        "Official account of the County Probation Department",
    ]);
    for key in ["id", "platform", "handle", "responsible", "status"] {
        assert!(a.get(key).is_some(), "account JSON lacks {key}: {a}");
    }
    assert!(a["id"].is_i64());
    assert_eq!(a["platform"], "instagram");
    assert_eq!(a["handle"], "probation_ig");
    assert_eq!(a["responsible"], "CD1");
    assert_eq!(a["status"], "active");
    let last = db.last_event();
    assert_eq!(last["action"], "account.add");

    // the responsible may be named by login too
    let b = db.add_account("twitter", "probation_x", "dana");
    assert_eq!(b["responsible"], "CD1");
    let out = db.ok(&[
        "account",
        "add",
        "--platform",
        "facebook",
        "--handle",
        "probation_fb",
        "--responsible",
        "CD1",
    ]);
    assert!(out.contains("probation_fb"), "{out}");

    let list = db.accounts();
    assert_eq!(list.len(), 3);
    for a in &list {
        for key in ["id", "platform", "handle", "responsible", "status"] {
            assert!(a.get(key).is_some(), "account JSON lacks {key}: {a}");
        }
    }
    let cd = db.employee("CD1");
    assert_eq!(cd["responsible_for"].as_array().unwrap().len(), 3);

    // retire by handle, by @handle, by id
    let r = db.json(&["account", "retire", "probation_ig"]);
    assert_eq!(r["status"], "retired");
    assert_eq!(r["id"], a["id"]);
    assert_eq!(db.last_event()["action"], "account.retire");
    db.ok(&["account", "retire", "@probation_x"]);
    let fb_id = db
        .accounts()
        .iter()
        .find(|x| x["handle"] == "probation_fb")
        .unwrap()["id"]
        .to_string();
    db.ok(&["account", "retire", &fb_id]);
    let list = db.accounts();
    assert_eq!(list.len(), 3, "retired accounts are kept");
    assert!(list.iter().all(|a| a["status"] == "retired"));
    // a retired account is no one's responsibility any more
    assert!(db.employee("CD1")["responsible_for"]
        .as_array()
        .unwrap()
        .is_empty());

    // retiring twice is refused; an unknown account is an error
    let before = db.snapshot();
    fails(db.cmd().args(["account", "retire", "probation_ig"]), 3);
    fails(db.cmd().args(["account", "retire", "no_such"]), 1);
    assert_eq!(db.snapshot(), before);

    let text = db.ok(&["account", "list"]);
    assert!(text.lines().next().unwrap().starts_with("ID"), "{text}");
    assert!(text.contains("probation_ig"));
}

#[test]
fn account_add_errors() {
    let db = with_deputy();
    db.add_account("instagram", "probation_ig", "CD1");
    let before = db.snapshot();
    let events = db.audit_count();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--platform",
                "myspace",
                "--handle",
                "h1",
                "--responsible",
                "CD1",
            ],
            "platform",
        ),
        (
            &[
                "--platform",
                "twitter",
                "--handle",
                "h2",
                "--responsible",
                "O1",
            ],
            "chief_deputy",
        ),
        (
            &[
                "--platform",
                "twitter",
                "--handle",
                "h3",
                "--responsible",
                "P1",
            ],
            "chief_deputy",
        ),
        (
            &[
                "--platform",
                "twitter",
                "--handle",
                "h4",
                "--responsible",
                "NOPE",
            ],
            "NOPE",
        ),
        (
            &[
                "--platform",
                "twitter",
                "--handle",
                "probation_ig",
                "--responsible",
                "CD1",
            ],
            "exists",
        ),
        (
            &[
                "--platform",
                "twitter",
                "--handle",
                "12345",
                "--responsible",
                "CD1",
            ],
            "digits",
        ),
        (
            &[
                "--platform",
                "twitter",
                "--handle",
                "  ",
                "--responsible",
                "CD1",
            ],
            "handle",
        ),
    ];
    for (args, needle) in cases {
        let err = fails(db.cmd().args(["account", "add"]).args(*args), 1);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    db.cmd()
        .args(["account", "add", "--platform", "twitter", "--handle", "h9"])
        .assert()
        .code(2);
    assert_eq!(db.snapshot(), before);
    assert_eq!(db.audit_count(), events);
}

#[test]
fn accounts_are_managed_by_the_chief_or_the_delegate() {
    let db = with_deputy();
    db.add_account("instagram", "probation_ig", "CD1");
    for (login, args) in [
        (
            "oscar",
            &[
                "account",
                "add",
                "--platform",
                "twitter",
                "--handle",
                "x1",
                "--responsible",
                "CD1",
            ][..],
        ),
        ("oscar", &["account", "retire", "probation_ig"]),
        (
            "dana",
            &[
                "account",
                "add",
                "--platform",
                "twitter",
                "--handle",
                "x1",
                "--responsible",
                "CD1",
            ],
        ),
    ] {
        let before = db.snapshot();
        let events = db.audit_count();
        fails(db.as_login(login).args(args), 3);
        assert_eq!(db.snapshot(), before);
        let log = db.audit();
        assert_eq!(log.len(), events + 1);
        assert_eq!(log.last().unwrap()["action"], "refused");
    }
    // anyone on the roster may list them
    let list = common::array(common::parse(&succeeds(
        db.as_login("oscar").args(["--json", "account", "list"]),
    )));
    assert_eq!(list.len(), 1);
    // the delegate may
    db.ok(&["roster", "delegate", "CD1"]);
    succeeds(
        db.as_login("dana")
            .args(["account", "retire", "probation_ig"]),
    );
}

#[test]
fn a_responsible_chief_deputy_cannot_be_demoted() {
    let db = with_deputy();
    db.add_account("instagram", "probation_ig", "CD1");
    let before = db.snapshot();
    fails(
        db.cmd()
            .args(["roster", "edit", "CD1", "--rank", "officer"]),
        3,
    );
    assert_eq!(db.snapshot(), before);
}

#[test]
fn version_and_help_work_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.db");
    let out = succeeds(cmd(&path).arg("--version"));
    assert!(out.contains("socialdesk"), "{out}");
    let out = succeeds(cmd(&path).arg("--help"));
    assert!(out.contains("roster") && out.contains("audit"), "{out}");
    assert!(!path.exists());
}
