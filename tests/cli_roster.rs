//! `socialdesk roster …` driven through the real binary (SPEC §1, §2, §7).

mod common;

use common::{fails, strings, succeeds, TestDb, CHIEF_ID, CHIEF_NAME};
use serde_json::Value;

/// A roster with a chief deputy (dana), an officer (oscar) and a staff
/// member (sam), and two accounts the chief deputy is responsible for.
fn department() -> TestDb {
    let db = TestDb::new();
    db.add("CD1", "Dana Deputy", "chief_deputy", Some("dana"));
    db.add("O1", "Oscar Officer", "officer", Some("oscar"));
    db.add("S1", "Sam Staff", "staff", Some("sam"));
    db.add_account("instagram", "probation_ig", "CD1");
    db.add_account("facebook", "probation_fb", "CD1");
    db
}

fn has_flag(e: &Value, flag: &str) -> bool {
    strings(&e["flags"]).iter().any(|f| f == flag)
}

/// Asserts a refused command (exit 3) changed nothing but appended one
/// `refused` event, and returns that event.
fn assert_refused_changes_nothing(db: &TestDb, c: &mut assert_cmd::Command) -> Value {
    let before = db.snapshot();
    let events = db.audit_count();
    let stderr = fails(c, 3);
    assert!(stderr.contains("refused"), "{stderr}");
    assert_eq!(db.snapshot(), before, "a refused command changed the data");
    let log = db.audit();
    assert_eq!(log.len(), events + 1, "a refusal is recorded exactly once");
    let last = log.last().unwrap().clone();
    assert_eq!(last["action"], "refused");
    last
}

// ---------------------------------------------------------------- list

#[test]
fn list_is_in_name_order_and_limit_cuts_it() {
    let db = TestDb::new();
    db.add("E2", "Marcus Dell", "officer", Some("mdell"));
    db.add("E1", "Maria Delgado", "supervisor", Some("mdelgado"));
    db.add("E3", "Tom Reyes", "staff", Some("treyes"));
    assert_eq!(db.roster_ids(), ["P1", "E2", "E1", "E3"]);
    let two = common::array(db.json(&["roster", "list", "--limit", "2"]));
    let ids: Vec<&str> = two.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["P1", "E2"]);
    let none = common::array(db.json(&["roster", "list", "--limit", "0"]));
    assert!(none.is_empty());

    let text = db.ok(&["roster", "list"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("ID"), "{text}");
    assert_eq!(lines.len(), 5, "{text}");
    assert!(lines[1].contains(CHIEF_NAME));
    assert!(lines[4].contains("Tom Reyes") && lines[4].contains("treyes"));
}

#[test]
fn list_query_is_fuzzy_best_first_over_name_id_login_and_unit() {
    let db = TestDb::new();
    for (id, name, login, unit) in [
        ("E1", "Maria Delgado", "mdelgado", "Juvenile Hall"),
        ("E2", "Marcus Dell", "mdell", "Adult Field"),
        ("E3", "Tom Reyes", "treyes", "Training"),
    ] {
        db.json(&[
            "roster", "add", "--id", id, "--name", name, "--rank", "officer", "--login", login,
            "--unit", unit,
        ]);
    }
    let ids = |q: &str, limit: Option<&str>| -> Vec<String> {
        let mut args = vec!["roster", "list", "--query", q];
        if let Some(l) = limit {
            args.extend(["--limit", l]);
        }
        common::array(db.json(&args))
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    // by name
    assert_eq!(ids("delgado", None)[0], "E1");
    // by login, best first: "mdell" is Marcus's login exactly
    let m = ids("mdell", None);
    assert_eq!(m[0], "E2", "{m:?}");
    assert_eq!(ids("mdell", Some("1")), ["E2"]);
    // by login only one matches
    assert_eq!(ids("treyes", None), ["E3"]);
    // by id
    assert_eq!(ids("E3", None), ["E3"]);
    // by unit
    assert_eq!(ids("juvenile", None)[0], "E1");
    // case does not matter
    assert_eq!(ids("TOM", None)[0], "E3");
    // nothing matches
    assert!(ids("zzzzqqq", None).is_empty());
    // a query with --limit keeps only the best
    let both = ids("mar", None);
    assert!(both.contains(&"E1".to_string()) && both.contains(&"E2".to_string()));
    assert_eq!(ids("mar", Some("1")).len(), 1);
}

#[test]
fn employee_json_has_the_contract_fields() {
    let db = department();
    db.ok(&["roster", "authorize", "O1"]);
    db.ok(&["roster", "delegate", "CD1"]);
    let all = db.roster();
    assert_eq!(all.len(), 4);
    for e in &all {
        for key in [
            "id",
            "name",
            "rank",
            "unit",
            "login",
            "status",
            "team_member",
            "delegate",
            "responsible_for",
        ] {
            assert!(e.get(key).is_some(), "employee JSON lacks {key}: {e}");
        }
        assert!(e["team_member"].is_boolean());
        assert!(e["delegate"].is_boolean());
        assert!(e["responsible_for"].is_array());
    }
    let by_id = |id: &str| all.iter().find(|e| e["id"] == id).unwrap().clone();
    let chief = by_id(CHIEF_ID);
    assert_eq!(chief["name"], CHIEF_NAME);
    assert_eq!(chief["rank"], "chief");
    assert_eq!(chief["login"], db.login.as_str());
    assert_eq!(chief["status"], "active");
    assert_eq!(chief["team_member"], false);

    let cd = by_id("CD1");
    assert_eq!(cd["rank"], "chief_deputy");
    assert_eq!(cd["delegate"], true);
    let accounts = db.accounts();
    let mut account_ids: Vec<i64> = accounts.iter().map(|a| a["id"].as_i64().unwrap()).collect();
    account_ids.sort();
    let mut responsible: Vec<i64> = cd["responsible_for"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().expect("account ids are numbers"))
        .collect();
    responsible.sort();
    assert_eq!(responsible, account_ids);
    assert!(has_flag(&cd, "delegate") && has_flag(&cd, "responsible"));

    let o = by_id("O1");
    assert_eq!(o["team_member"], true);
    assert_eq!(o["delegate"], false);
    assert!(has_flag(&o, "team"));

    let s = by_id("S1");
    assert_eq!(s["team_member"], false);
    assert!(s["responsible_for"].as_array().unwrap().is_empty());
}

// ---------------------------------------------------------------- show

#[test]
fn show_prints_the_card_by_id_or_login() {
    let db = department();
    db.ok(&["roster", "authorize", "O1", "--accounts", "probation_ig"]);
    let card = db.employee("O1");
    assert_eq!(card["id"], "O1");
    assert_eq!(card["name"], "Oscar Officer");
    assert_eq!(card["rank"], "officer");
    assert_eq!(card["team_member"], true);
    assert_eq!(strings(&card["may_post_to"]), ["probation_ig"]);
    let auths = card["authorizations"].as_array().unwrap();
    assert_eq!(auths.len(), 1);
    assert_eq!(auths[0]["granted_by"], CHIEF_ID);

    let by_login = db.employee("oscar");
    assert_eq!(by_login["id"], "O1");

    let text = db.ok(&["roster", "show", "O1"]);
    assert!(text.contains("Oscar Officer"), "{text}");
    assert!(text.contains("team member"), "{text}");
    assert!(text.contains("probation_ig"), "{text}");
    assert!(text.contains("team authorizations:"), "{text}");
}

#[test]
fn show_of_an_unknown_id_is_an_error() {
    let db = TestDb::new();
    let err = fails(db.cmd().args(["roster", "show", "NOPE"]), 1);
    assert!(err.contains("NOPE"), "{err}");
    let err = fails(db.cmd().args(["--json", "roster", "show", "NOPE"]), 1);
    assert!(err.contains("no employee"), "{err}");
}

// ---------------------------------------------------------------- add

#[test]
fn add_creates_an_employee_with_every_field() {
    let db = TestDb::new();
    let e = db.json(&[
        "roster",
        "add",
        "--id",
        "E100",
        "--name",
        "Rita Ramos",
        "--rank",
        "supervisor",
        "--login",
        "rramos",
        "--unit",
        "Pretrial",
        "--email",
        "rramos@example.org",
        "--phone",
        "555-0100",
        "--hired",
        "2019-04-01",
    ]);
    assert_eq!(e["id"], "E100");
    assert_eq!(e["name"], "Rita Ramos");
    assert_eq!(e["rank"], "supervisor");
    assert_eq!(e["unit"], "Pretrial");
    assert_eq!(e["login"], "rramos");
    assert_eq!(e["status"], "active");
    assert_eq!(e["team_member"], false);
    assert_eq!(e["delegate"], false);
    assert_eq!(e["responsible_for"], serde_json::json!([]));
    assert_eq!(db.roster().len(), 2);

    let out = db.ok(&[
        "roster", "add", "--id", "E101", "--name", "No Login", "--rank", "staff",
    ]);
    assert!(out.contains("added") && out.contains("E101"), "{out}");
    assert_eq!(db.employee("E101")["login"], Value::Null);

    let last = db.last_event();
    assert_eq!(last["action"], "roster.add");
    assert_eq!(last["entity"], "employee:E101");
    assert_eq!(last["actor"], CHIEF_ID);
}

#[test]
fn add_with_bad_input_is_an_error_and_changes_nothing() {
    let db = TestDb::new();
    db.add("E1", "Eve One", "officer", Some("eve"));
    let before = db.snapshot();
    let events = db.audit_count();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--id", "E2", "--name", "X", "--rank", "sergeant"],
            "unknown rank",
        ),
        (
            &["--id", "E1", "--name", "Again", "--rank", "officer"],
            "already",
        ),
        (
            &[
                "--id",
                "E3",
                "--name",
                "Dup Login",
                "--rank",
                "officer",
                "--login",
                "eve",
            ],
            "eve",
        ),
        (
            &["--id", "a b", "--name", "Spaces", "--rank", "staff"],
            "id",
        ),
        (&["--id", "E4", "--name", "   ", "--rank", "staff"], "name"),
        (
            &[
                "--id",
                "E5",
                "--name",
                "Bad Date",
                "--rank",
                "staff",
                "--hired",
                "01/02/2020",
            ],
            "date",
        ),
        (
            &[
                "--id",
                "E6",
                "--name",
                "Bad Login",
                "--rank",
                "staff",
                "--login",
                "bad login",
            ],
            "login",
        ),
    ];
    for (args, needle) in cases {
        let err = fails(db.cmd().args(["roster", "add"]).args(*args), 1);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one-line error: {err}");
    }
    assert_eq!(db.snapshot(), before);
    assert_eq!(db.audit_count(), events, "failed commands leave no event");
}

#[test]
fn usage_errors_exit_2() {
    let db = TestDb::new();
    for args in [
        &["roster", "add", "--id", "E1", "--rank", "officer"][..],
        &["roster", "bogus"],
        &["roster", "list", "--limit", "many"],
        &["roster", "revoke", "P1"],
        &["roster", "show"],
        &["roster", "authorize"],
    ] {
        db.cmd().args(args).assert().code(2);
    }
}

// ---------------------------------------------------------------- edit

#[test]
fn edit_changes_fields_and_is_audited() {
    let db = department();
    let e = db.json(&[
        "roster",
        "edit",
        "O1",
        "--name",
        "Oscar O'Brien",
        "--unit",
        "Training",
        "--email",
        "oscar@example.org",
        "--phone",
        "555-0199",
        "--rank",
        "supervisor",
    ]);
    assert_eq!(e["name"], "Oscar O'Brien");
    assert_eq!(e["unit"], "Training");
    assert_eq!(e["rank"], "supervisor");
    assert_eq!(e["email"], "oscar@example.org");
    assert_eq!(e["login"], "oscar", "fields not named are kept");
    let last = db.last_event();
    assert_eq!(last["action"], "roster.edit");
    assert_eq!(last["entity"], "employee:O1");

    // an empty login removes it; a login in use is refused as bad input
    let e = db.json(&["roster", "edit", "O1", "--login", ""]);
    assert_eq!(e["login"], Value::Null);
    let err = fails(
        db.cmd().args(["roster", "edit", "O1", "--login", "dana"]),
        1,
    );
    assert!(err.contains("dana"), "{err}");
    // unknown id, bad rank, separation by edit: errors
    fails(db.cmd().args(["roster", "edit", "NOPE", "--name", "X"]), 1);
    fails(
        db.cmd().args(["roster", "edit", "O1", "--rank", "general"]),
        1,
    );
    let err = fails(
        db.cmd()
            .args(["roster", "edit", "O1", "--status", "separated"]),
        1,
    );
    assert!(err.contains("separate"), "{err}");
}

#[test]
fn leave_suspends_team_membership_and_allows_look_ups_only() {
    let db = department();
    db.ok(&["roster", "authorize", "O1"]);
    let e = db.json(&["roster", "edit", "O1", "--status", "leave"]);
    assert_eq!(e["status"], "leave");
    assert_eq!(e["team_member"], false);
    assert!(has_flag(&e, "leave"));
    // may log in and look things up
    succeeds(db.as_login("oscar").args(["roster", "list"]));
    succeeds(db.as_login("oscar").args(["roster", "show", "O1"]));
    // back to active: member again
    let e = db.json(&["roster", "edit", "O1", "--status", "active"]);
    assert_eq!(e["team_member"], true);
}

#[test]
fn a_delegate_cannot_be_demoted_while_holding_the_delegation() {
    let db = department();
    db.ok(&["roster", "delegate", "CD1"]);
    assert_refused_changes_nothing(
        &db,
        db.cmd()
            .args(["roster", "edit", "CD1", "--rank", "officer"]),
    );
}

// ---------------------------------------------------------------- authorize / revoke

#[test]
fn authorize_covers_every_account_without_accounts_and_only_named_ones_with() {
    let db = department();
    db.add("O2", "Olga Officer", "officer", Some("olga"));
    let e = db.json(&["roster", "authorize", "O1"]);
    assert_eq!(e["team_member"], true);
    assert!(has_flag(&e, "team"));
    let last = db.last_event();
    assert_eq!(last["action"], "roster.authorize");
    assert_eq!(last["entity"], "employee:O1");

    let mut all = strings(&db.employee("O1")["may_post_to"]);
    all.sort();
    assert_eq!(all, ["probation_fb", "probation_ig"]);
    assert_eq!(
        db.employee("O1")["authorizations"][0]["accounts"],
        Value::Null
    );

    // a new account is covered by an authorization without --accounts
    db.add_account("tiktok", "probation_tt", "CD1");
    assert_eq!(strings(&db.employee("O1")["may_post_to"]).len(), 3);

    // --accounts takes handles or ids
    let fb_id = db
        .accounts()
        .iter()
        .find(|a| a["handle"] == "probation_fb")
        .unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let arg = format!("probation_ig,{fb_id}");
    db.ok(&["roster", "authorize", "O2", "--accounts", &arg]);
    let card = db.employee("O2");
    assert_eq!(card["team_member"], true);
    let mut some = strings(&card["may_post_to"]);
    some.sort();
    assert_eq!(some, ["probation_fb", "probation_ig"]);
    assert!(card["authorizations"][0]["accounts"].is_string());

    // renewal keeps a history
    db.ok(&["roster", "authorize", "O1"]);
    let auths = db.employee("O1")["authorizations"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(auths.len(), 2);
    assert_eq!(auths[1]["reason"], "renewed");
}

#[test]
fn authorize_errors() {
    let db = department();
    let before = db.snapshot();
    let err = fails(db.cmd().args(["roster", "authorize", "NOPE"]), 1);
    assert!(err.contains("NOPE"), "{err}");
    let err = fails(
        db.cmd()
            .args(["roster", "authorize", "O1", "--accounts", "no_such_account"]),
        1,
    );
    assert!(err.contains("no_such_account"), "{err}");
    assert_eq!(db.snapshot(), before);
}

#[test]
fn revoke_ends_membership_with_a_reason() {
    let db = department();
    db.ok(&["roster", "authorize", "O1"]);
    let e = db.json(&[
        "roster",
        "revoke",
        "O1",
        "--reason",
        "reassigned to caseload",
    ]);
    assert_eq!(e["team_member"], false);
    assert!(!has_flag(&e, "team"));
    let card = db.employee("O1");
    let a = &card["authorizations"][0];
    assert_eq!(a["reason"], "reassigned to caseload");
    assert_eq!(a["revoked_by"], CHIEF_ID);
    assert!(a["revoked_at"].is_string());
    let last = db.last_event();
    assert_eq!(last["action"], "roster.revoke");
    assert_eq!(last["entity"], "employee:O1");

    // revocation, like separation, warns about the accounts they could post to
    for a in db.accounts() {
        assert_eq!(strings(&a["departed_credentials"]), ["O1"], "{a}");
    }
    // an empty reason is bad input
    db.ok(&["roster", "authorize", "S1"]);
    fails(
        db.cmd().args(["roster", "revoke", "S1", "--reason", " "]),
        1,
    );
    assert_eq!(db.employee("S1")["team_member"], true);
}

#[test]
fn revoking_someone_not_authorized_is_refused() {
    let db = department();
    let event = assert_refused_changes_nothing(
        &db,
        db.cmd()
            .args(["roster", "revoke", "S1", "--reason", "never was"]),
    );
    assert_eq!(event["entity"], "employee:S1");
    assert!(event["state"].as_str().unwrap().contains("roster.revoke"));
    // and a second revoke after a first
    db.ok(&["roster", "authorize", "O1"]);
    db.ok(&["roster", "revoke", "O1", "--reason", "done"]);
    assert_refused_changes_nothing(
        &db,
        db.cmd()
            .args(["roster", "revoke", "O1", "--reason", "again"]),
    );
}

// ---------------------------------------------------------------- separation

#[test]
fn separation_revokes_at_once_and_warns_about_every_account_they_could_post_to() {
    let db = department();
    db.add("O2", "Olga Officer", "officer", Some("olga"));
    db.ok(&["roster", "authorize", "O1"]);
    db.ok(&["roster", "authorize", "O2", "--accounts", "probation_fb"]);
    for a in db.accounts() {
        assert!(strings(&a["departed_credentials"]).is_empty());
    }

    let e = db.json(&["roster", "separate", "O1", "--on", "2026-02-01"]);
    assert_eq!(e["status"], "separated");
    assert_eq!(e["separated_on"], "2026-02-01");
    assert_eq!(e["team_member"], false);
    assert!(has_flag(&e, "separated"));
    assert!(!has_flag(&e, "SEPARATED-BUT-AUTHORIZED"));
    assert!(!has_flag(&e, "team"));
    let last = db.last_event();
    assert_eq!(last["action"], "roster.separate");
    assert_eq!(last["entity"], "employee:O1");

    let accounts = db.accounts();
    for a in &accounts {
        assert!(a.get("departed_credentials").is_some(), "{a}");
        assert_eq!(strings(&a["departed_credentials"]), ["O1"], "{a}");
    }
    let card = db.employee("O1");
    assert_eq!(card["departed_warnings"].as_array().unwrap().len(), 2);
    assert_eq!(card["authorizations"][0]["reason"], "separated");
    assert!(strings(&card["may_post_to"]).is_empty());
    let text = db.ok(&["roster", "show", "O1"]);
    assert!(text.contains("warning:"), "{text}");
    let text = db.ok(&["account", "list"]);
    assert!(text.contains("departed"), "{text}");

    // O2 could post only to probation_fb: only that account gets her name
    db.ok(&["roster", "separate", "O2"]);
    for a in db.accounts() {
        let departed = strings(&a["departed_credentials"]);
        if a["handle"] == "probation_fb" {
            assert_eq!(departed, ["O1", "O2"]);
        } else {
            assert_eq!(departed, ["O1"]);
        }
    }
    // without --on the separation is dated today
    let today = chrono_free_today(&db);
    assert_eq!(db.employee("O2")["separated_on"], today.as_str());
}

/// Today's UTC date as the program sees it, read from the last audit event.
fn chrono_free_today(db: &TestDb) -> String {
    db.last_event()["at"].as_str().unwrap()[..10].to_string()
}

#[test]
fn separating_a_non_member_raises_no_warning() {
    let db = department();
    db.ok(&["roster", "separate", "S1"]);
    for a in db.accounts() {
        assert!(strings(&a["departed_credentials"]).is_empty(), "{a}");
    }
}

#[test]
fn a_separated_employee_stays_separated() {
    let db = department();
    db.ok(&["roster", "separate", "O1"]);
    assert_refused_changes_nothing(&db, db.cmd().args(["roster", "authorize", "O1"]));
    assert_refused_changes_nothing(&db, db.cmd().args(["roster", "separate", "O1"]));
    assert_refused_changes_nothing(
        &db,
        db.cmd()
            .args(["roster", "edit", "O1", "--name", "Back Again"]),
    );
    // a bad date is bad input
    fails(
        db.cmd()
            .args(["roster", "separate", "S1", "--on", "yesterday"]),
        1,
    );
    assert_eq!(db.employee("S1")["status"], "active");
    fails(db.cmd().args(["roster", "separate", "NOPE"]), 1);
}

#[test]
fn the_chief_cannot_separate_themself() {
    let db = TestDb::new();
    assert_refused_changes_nothing(&db, db.cmd().args(["roster", "separate", CHIEF_ID]));
}

#[test]
fn a_separated_login_is_refused_before_anything_is_shown() {
    let db = department();
    db.ok(&["roster", "separate", "O1"]);
    let events = db.audit_count();
    let out = db
        .as_login("oscar")
        .args(["roster", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty(), "nothing is shown");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error:") && stderr.contains("separated"),
        "{stderr}"
    );
    let log = db.audit();
    assert_eq!(log.len(), events + 1);
    let last = log.last().unwrap();
    assert_eq!(last["action"], "refused");
    assert_eq!(last["entity"], "employee:O1");
    assert_eq!(last["actor"], "O1");
}

#[test]
fn a_login_not_on_the_roster_is_refused() {
    let db = department();
    let before = db.snapshot();
    let events = db.audit_count();
    let out = db
        .as_login("mallory")
        .args(["roster", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error:") && stderr.contains("mallory"),
        "{stderr}"
    );
    assert_eq!(db.snapshot(), before);
    // an unknown person leaves exactly one refusal behind, naming the OS account
    let log = db.audit();
    assert_eq!(log.len(), events + 1, "{log:?}");
    let refusal = &log[events];
    assert_eq!(refusal["action"], "refused");
    assert_eq!(refusal["actor"], format!("os:{}", common::os_login()));
    assert_eq!(refusal["os_user"], common::os_login());
}

// ---------------------------------------------------------------- permissions and --as

#[test]
fn an_officer_may_not_change_the_roster() {
    let db = department();
    let event = assert_refused_changes_nothing(
        &db,
        db.as_login("oscar").args([
            "roster",
            "add",
            "--id",
            "E9",
            "--name",
            "Secret Name",
            "--rank",
            "officer",
        ]),
    );
    assert_eq!(event["actor"], "O1");
    assert_eq!(event["entity"], "employee:E9");
    let state = event["state"].as_str().unwrap();
    assert!(state.contains("roster.add"), "{state}");
    assert!(
        !state.contains("Secret Name"),
        "the refused text is not recorded: {state}"
    );
    assert!(db.roster_ids().iter().all(|id| id != "E9"));

    for args in [
        &["roster", "authorize", "O1"][..],
        &["roster", "separate", "S1"],
        &["roster", "edit", "S1", "--name", "X"],
        &["roster", "delegate", "CD1"],
    ] {
        assert_refused_changes_nothing(&db, db.as_login("oscar").args(args));
    }
    // but look-ups are fine
    succeeds(db.as_login("oscar").args(["roster", "list"]));
    succeeds(db.as_login("sam").args(["roster", "show", "CD1"]));
}

#[test]
fn as_is_honoured_for_the_owner_of_the_database_file() {
    let db = department();
    db.ok(&["roster", "delegate", "CD1"]);
    let e = common::parse(&succeeds(db.as_login("dana").args([
        "--json",
        "roster",
        "add",
        "--id",
        "E50",
        "--name",
        "Via Delegate",
        "--rank",
        "staff",
    ])));
    assert_eq!(e["id"], "E50");
    let last = db.last_event();
    assert_eq!(last["actor"], "CD1", "the event names who acted");
    assert_eq!(last["os_user"], db.login.as_str(), "and the OS account");
    // --as the chief's own login is the chief
    succeeds(
        db.as_login(&db.login.clone())
            .args(["settings", "set", "department_name", "X"]),
    );
}

#[test]
fn as_is_refused_when_the_database_file_belongs_to_someone_else() {
    if !common::is_root() {
        eprintln!("skipped: needs root to chown the database file");
        return;
    }
    let db = department();
    std::os::unix::fs::chown(&db.path, Some(65534), None).expect("chown to nobody");
    let before = db.snapshot();
    for login in ["oscar", db.login.as_str()] {
        let err = fails(db.as_login(login).args(["roster", "list"]), 3);
        assert!(err.contains("--as"), "{err}");
    }
    let err = fails(
        db.as_login("dana").args([
            "roster", "add", "--id", "E7", "--name", "Nope", "--rank", "staff",
        ]),
        3,
    );
    assert!(err.contains("refused"), "{err}");
    assert_eq!(db.snapshot(), before);
    // without --as the OS login still signs in
    succeeds(db.cmd().args(["roster", "list"]));
}

// ---------------------------------------------------------------- delegation

#[test]
fn only_the_chief_may_delegate_and_the_delegate_may_then_edit_the_roster() {
    let db = department();
    db.add("CD2", "Carl Deputy", "chief_deputy", Some("carl"));
    // a chief deputy without the delegation may not add employees
    assert_refused_changes_nothing(
        &db,
        db.as_login("dana").args([
            "roster", "add", "--id", "E1", "--name", "Early", "--rank", "staff",
        ]),
    );
    // nobody but the chief delegates
    for login in ["dana", "carl", "oscar"] {
        assert_refused_changes_nothing(&db, db.as_login(login).args(["roster", "delegate", "CD1"]));
    }
    let e = db.json(&["roster", "delegate", "CD1"]);
    assert_eq!(e["delegate"], true);
    assert!(has_flag(&e, "delegate"));
    assert_eq!(db.last_event()["action"], "roster.delegate");

    // the delegate may add, authorize, separate and manage accounts
    succeeds(db.as_login("dana").args([
        "roster", "add", "--id", "E1", "--name", "Via Dana", "--rank", "officer", "--login",
        "viadana",
    ]));
    succeeds(db.as_login("dana").args(["roster", "authorize", "E1"]));
    succeeds(db.as_login("dana").args(["roster", "separate", "S1"]));
    succeeds(db.as_login("dana").args([
        "account",
        "add",
        "--platform",
        "youtube",
        "--handle",
        "probation_yt",
        "--responsible",
        "CD2",
    ]));
    // but neither delegates further, nor undelegates, nor changes settings
    assert_refused_changes_nothing(&db, db.as_login("dana").args(["roster", "delegate", "CD2"]));
    assert_refused_changes_nothing(&db, db.as_login("dana").args(["roster", "undelegate"]));
    assert_refused_changes_nothing(
        &db,
        db.as_login("dana")
            .args(["settings", "set", "authorization_months", "3"]),
    );

    // passing the delegation moves it: one delegate at a time
    db.ok(&["roster", "delegate", "CD2"]);
    assert_eq!(db.employee("CD1")["delegate"], false);
    assert_eq!(db.employee("CD2")["delegate"], true);
    assert_eq!(
        db.roster().iter().filter(|e| e["delegate"] == true).count(),
        1
    );

    // undelegate removes the power
    let out = db.ok(&["roster", "undelegate"]);
    assert!(out.contains("CD2"), "{out}");
    assert_eq!(db.last_event()["action"], "roster.undelegate");
    assert_eq!(db.employee("CD2")["delegate"], false);
    assert_refused_changes_nothing(
        &db,
        db.as_login("carl").args([
            "roster", "add", "--id", "E2", "--name", "Late", "--rank", "staff",
        ]),
    );
    // nothing to undelegate now
    assert_refused_changes_nothing(&db, db.cmd().args(["roster", "undelegate"]));
}

#[test]
fn the_delegation_goes_only_to_an_active_chief_deputy() {
    let db = department();
    assert_refused_changes_nothing(&db, db.cmd().args(["roster", "delegate", "O1"]));
    db.add("CD3", "Gone Deputy", "chief_deputy", None);
    db.ok(&["roster", "separate", "CD3"]);
    assert_refused_changes_nothing(&db, db.cmd().args(["roster", "delegate", "CD3"]));
    fails(db.cmd().args(["roster", "delegate", "NOPE"]), 1);
}

#[test]
fn separating_the_delegate_ends_the_delegation() {
    let db = department();
    db.ok(&["roster", "delegate", "CD1"]);
    let e = db.json(&["roster", "separate", "CD1"]);
    assert_eq!(e["delegate"], false);
    let card = db.employee("CD1");
    assert_eq!(card["delegations"][0]["reason"], "separated");
    assert!(db.roster().iter().all(|e| e["delegate"] == false));
}

// ---------------------------------------------------------------- lapsing

const T0: &str = "2026-01-15T12:00:00Z";

#[test]
fn authorizations_come_due_for_recertification_then_lapse() {
    let db = department();
    succeeds(db.at(T0).args(["roster", "authorize", "O1"]));

    let fresh = db.employee_at("O1", "2026-06-01T12:00:00Z");
    assert_eq!(fresh["team_member"], true);
    assert!(!has_flag(&fresh, "recertify") && !has_flag(&fresh, "lapsed"));

    // 11.5 months later: still a member, flagged for recertification
    let due = db.employee_at("O1", "2026-12-30T12:00:00Z");
    assert_eq!(due["team_member"], true);
    assert!(has_flag(&due, "recertify"), "{}", due["flags"]);
    assert!(!has_flag(&due, "lapsed"));
    let listed = common::array(common::parse(&succeeds(
        db.at("2026-12-30T12:00:00Z")
            .args(["--json", "roster", "list", "--query", "oscar"]),
    )));
    assert!(has_flag(&listed[0], "recertify"));

    // 12+ months: lapsed, no longer a member
    let lapsed = db.employee_at("O1", "2027-01-20T12:00:00Z");
    assert_eq!(lapsed["team_member"], false);
    assert!(has_flag(&lapsed, "lapsed"), "{}", lapsed["flags"]);
    assert!(!has_flag(&lapsed, "team"));

    // renewal (recertification) restores membership for another period
    succeeds(
        db.at("2027-01-20T12:00:00Z")
            .args(["roster", "authorize", "O1"]),
    );
    let renewed = db.employee_at("O1", "2027-06-01T12:00:00Z");
    assert_eq!(renewed["team_member"], true);
    assert!(!has_flag(&renewed, "lapsed"));
}

#[test]
fn authorization_months_setting_changes_when_authorizations_lapse() {
    let db = department();
    succeeds(db.at(T0).args(["roster", "authorize", "O1"]));
    db.ok(&["settings", "set", "authorization_months", "6"]);
    assert_eq!(
        db.ok(&["settings", "get", "authorization_months"]).trim(),
        "6"
    );

    let due = db.employee_at("O1", "2026-06-20T12:00:00Z");
    assert_eq!(due["team_member"], true);
    assert!(has_flag(&due, "recertify"), "{}", due["flags"]);

    let lapsed = db.employee_at("O1", "2026-08-01T12:00:00Z");
    assert_eq!(lapsed["team_member"], false);
    assert!(has_flag(&lapsed, "lapsed"), "{}", lapsed["flags"]);

    // back to 12: the same day is in force again
    db.ok(&["settings", "set", "authorization_months", "12"]);
    let again = db.employee_at("O1", "2026-08-01T12:00:00Z");
    assert_eq!(again["team_member"], true);
}

#[test]
fn a_lapsed_authorization_can_still_be_revoked() {
    let db = department();
    succeeds(db.at(T0).args(["roster", "authorize", "O1"]));
    let later = "2027-03-01T12:00:00Z";
    let e = common::parse(&succeeds(db.at(later).args([
        "--json",
        "roster",
        "revoke",
        "O1",
        "--reason",
        "not renewed",
    ])));
    assert_eq!(e["team_member"], false);
    assert!(!has_flag(&e, "lapsed"));
}

#[test]
fn the_delegation_lapses_like_an_authorization() {
    let db = department();
    succeeds(db.at(T0).args(["roster", "delegate", "CD1"]));
    let due = db.employee_at("CD1", "2026-12-30T12:00:00Z");
    assert_eq!(due["delegate"], true);
    assert!(has_flag(&due, "recertify"));
    let lapsed = db.employee_at("CD1", "2027-02-01T12:00:00Z");
    assert_eq!(lapsed["delegate"], false);
    assert!(has_flag(&lapsed, "lapsed"));
    // a lapsed delegate has no roster powers
    let before = db.snapshot();
    fails(
        db.at("2027-02-01T12:00:00Z").args([
            "--as", "dana", "roster", "add", "--id", "E1", "--name", "Late", "--rank", "staff",
        ]),
        3,
    );
    assert_eq!(db.snapshot(), before);
}

// ---------------------------------------------------------------- import

const HEADER: &str = "id,name,rank,unit,login,email,phone,status";

fn write_csv(db: &TestDb, name: &str, rows: &[&str]) -> std::path::PathBuf {
    let path = db.file(name);
    let mut text = String::new();
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn import_adds_every_row() {
    let db = TestDb::new();
    let csv = write_csv(
        &db,
        "ok.csv",
        &[
            HEADER,
            "A1,Alma Aguilar,officer,Adult Field,aaguilar,alma@example.org,555-0001,active",
            "A2,Bo Brandt,supervisor,Training,,,,leave",
            "A3,Cy Castro,chief_deputy,Administration,ccastro,,,",
        ],
    );
    let out = db.ok(&["roster", "import", csv.to_str().unwrap()]);
    assert!(out.contains("imported 3"), "{out}");
    assert_eq!(db.roster().len(), 4);
    let a2 = db.employee("A2");
    assert_eq!(a2["status"], "leave");
    assert_eq!(a2["login"], Value::Null);
    assert_eq!(db.employee("A3")["status"], "active");
    assert_eq!(db.employee("A1")["unit"], "Adult Field");
    let last = db.last_event();
    assert_eq!(last["action"], "roster.import");

    let csv = write_csv(
        &db,
        "more.csv",
        &[HEADER, "A4,Di Dorsey,staff,Records,ddorsey,,,active"],
    );
    let v = db.json(&["roster", "import", csv.to_str().unwrap()]);
    assert_eq!(v["imported"], 1);

    // a spreadsheet export: byte-order mark, CRLF line ends, padded cells
    let path = db.file("excel.csv");
    std::fs::write(
        &path,
        format!("\u{feff}{HEADER}\r\nA5 , Ed Estrada ,staff,Records,eestrada,,,active\r\n"),
    )
    .unwrap();
    db.ok(&["roster", "import", path.to_str().unwrap()]);
    let a5 = db.employee("A5");
    assert_eq!(a5["name"], "Ed Estrada");
    assert_eq!(a5["login"], "eestrada");
}

#[test]
fn a_bad_csv_is_rejected_whole_naming_its_line() {
    let db = TestDb::new();
    db.add("X1", "Existing", "officer", Some("existing"));
    let good = "A1,Alma Aguilar,officer,Adult Field,aaguilar,,,active";
    let cases: &[(&str, Vec<&str>, &str)] = &[
        (
            "unknown rank",
            vec![HEADER, good, "A2,Bo Brandt,sergeant,,,,,active"],
            "line 3",
        ),
        (
            "duplicate id in the file",
            vec![HEADER, good, "A1,Bo Brandt,officer,,,,,active"],
            "line 3",
        ),
        (
            "duplicate id already in the database",
            vec![HEADER, good, "X1,Bo Brandt,officer,,,,,active"],
            "line 3",
        ),
        (
            "duplicate login in the file",
            vec![HEADER, good, "A2,Bo Brandt,officer,,aaguilar,,,active"],
            "line 3",
        ),
        (
            "login already in the database",
            vec![HEADER, good, "A2,Bo Brandt,officer,,existing,,,active"],
            "line 3",
        ),
        (
            "missing name",
            vec![HEADER, good, "A2,,officer,,,,,active"],
            "line 3",
        ),
        (
            "unknown status",
            vec![HEADER, good, "A2,Bo Brandt,officer,,,,,retired"],
            "line 3",
        ),
        (
            "too few fields",
            vec![HEADER, good, "A2,Bo Brandt,officer"],
            "line 3",
        ),
        (
            "wrong header",
            vec!["id,name,rank,unit,login,email,phone", good],
            "line 1",
        ),
        (
            "header in another order",
            vec![
                "name,id,rank,unit,login,email,phone,status",
                "Alma Aguilar,A1,officer,Adult Field,aaguilar,,,active",
            ],
            "line 1",
        ),
        (
            "bad row first",
            vec![HEADER, "A0,Zed,captain,,,,,active", good],
            "line 2",
        ),
    ];
    let before = db.snapshot();
    let count = db.roster().len();
    let events = db.audit_count();
    for (i, (what, rows, line)) in cases.iter().enumerate() {
        let csv = write_csv(&db, &format!("bad{i}.csv"), rows);
        let err = fails(
            db.cmd().args(["roster", "import", csv.to_str().unwrap()]),
            1,
        );
        assert!(err.contains(line), "{what}: expected {line:?} in {err}");
        assert_eq!(db.roster().len(), count, "{what}: roster count changed");
    }
    assert_eq!(db.snapshot(), before, "nothing was imported");
    assert_eq!(db.audit_count(), events, "failed imports leave no event");

    // a header with no rows, and a missing file
    let csv = write_csv(&db, "empty.csv", &[HEADER]);
    fails(
        db.cmd().args(["roster", "import", csv.to_str().unwrap()]),
        1,
    );
    let missing = db.file("missing.csv");
    let err = fails(
        db.cmd()
            .args(["roster", "import", missing.to_str().unwrap()]),
        1,
    );
    assert!(err.contains("missing.csv"), "{err}");
    assert_eq!(db.snapshot(), before);
}

#[test]
fn import_by_an_officer_is_refused() {
    let db = department();
    let csv = write_csv(&db, "x.csv", &[HEADER, "A1,Alma,officer,,,,,active"]);
    let event = assert_refused_changes_nothing(
        &db,
        db.as_login("oscar")
            .args(["roster", "import", csv.to_str().unwrap()]),
    );
    assert!(!event["state"].as_str().unwrap().contains("Alma"));
}

#[test]
fn json_and_text_output_make_control_characters_inert() {
    let db = TestDb::new();
    db.add("E1", "Evil\u{1b}[2JName", "staff", None);
    let text = db.ok(&["roster", "list"]);
    assert!(!text.contains('\u{1b}'), "raw escape printed: {text:?}");
    let card = db.ok(&["roster", "show", "E1"]);
    assert!(!card.contains('\u{1b}'), "raw escape printed: {card:?}");
    // JSON keeps the exact text (escaped by JSON itself)
    assert_eq!(db.employee("E1")["name"], "Evil\u{1b}[2JName");
}

#[test]
fn import_line_numbers_count_blank_lines_and_multi_line_fields() {
    let db = TestDb::new();
    let before = db.snapshot();
    // a blank line before a row whose id is already in the database
    let csv = write_csv(
        &db,
        "blank.csv",
        &[
            HEADER,
            "A1,Alma,officer,,,,,active",
            "",
            "",
            "P1,Dup,officer,,,,,active",
        ],
    );
    let err = fails(
        db.cmd().args(["roster", "import", csv.to_str().unwrap()]),
        1,
    );
    assert!(err.contains("line 5"), "{err}");
    // a quoted field spanning two lines before a login already in use
    let csv = write_csv(
        &db,
        "multi.csv",
        &[
            HEADER,
            "A1,Alma,officer,\"Adult",
            "Field\",,,,active",
            &format!("A2,Bo,officer,,{},,,active", db.login),
        ],
    );
    let err = fails(
        db.cmd().args(["roster", "import", csv.to_str().unwrap()]),
        1,
    );
    assert!(err.contains("line 4"), "{err}");
    assert_eq!(db.snapshot(), before);
}

#[test]
fn only_the_chief_makes_or_unmakes_a_chief() {
    let db = department();
    db.ok(&["roster", "delegate", "CD1"]);
    // the delegate's powers are the delegate's: no minting of chiefs, who
    // would hold the chief-only powers (settings, the delegation)
    assert_refused_changes_nothing(
        &db,
        db.as_login("dana").args([
            "roster", "add", "--id", "C2", "--name", "Mint", "--rank", "chief", "--login", "mint",
        ]),
    );
    assert_refused_changes_nothing(
        &db,
        db.as_login("dana")
            .args(["roster", "edit", "O1", "--rank", "chief"]),
    );
    let csv = write_csv(&db, "chief.csv", &[HEADER, "C3,Mint,chief,,mint,,,active"]);
    assert_refused_changes_nothing(
        &db,
        db.as_login("dana")
            .args(["roster", "import", csv.to_str().unwrap()]),
    );
    // nor unmaking the chief
    assert_refused_changes_nothing(
        &db,
        db.as_login("dana")
            .args(["roster", "edit", CHIEF_ID, "--rank", "staff"]),
    );
    assert_refused_changes_nothing(
        &db,
        db.as_login("dana").args(["roster", "separate", CHIEF_ID]),
    );
    // other edits of the chief's entry and other ranks are the delegate's to make
    succeeds(
        db.as_login("dana")
            .args(["roster", "edit", CHIEF_ID, "--phone", "555-0101"]),
    );
    succeeds(db.as_login("dana").args([
        "roster",
        "add",
        "--id",
        "AC1",
        "--name",
        "Ana Assistant",
        "--rank",
        "assistant_chief",
    ]));
    // the chief may add another chief
    let e = db.add("C2", "Second Chief", "chief", Some("second"));
    assert_eq!(e["rank"], "chief");
}

#[test]
fn the_only_active_chief_cannot_step_down_or_go_on_leave() {
    let db = department();
    // either would leave no one who may change settings or the delegation
    assert_refused_changes_nothing(
        &db,
        db.cmd()
            .args(["roster", "edit", CHIEF_ID, "--status", "leave"]),
    );
    assert_refused_changes_nothing(
        &db,
        db.cmd()
            .args(["roster", "edit", CHIEF_ID, "--rank", "staff"]),
    );
    // with an acting chief in place, the chief may go on leave and come back
    db.add("C2", "Acting Chief", "chief", Some("acting"));
    let e = db.json(&["roster", "edit", CHIEF_ID, "--status", "leave"]);
    assert_eq!(e["status"], "leave");
    succeeds(
        db.as_login("acting")
            .args(["roster", "edit", CHIEF_ID, "--status", "active"]),
    );
    assert_eq!(db.employee(CHIEF_ID)["status"], "active");
    // and the acting chief may then step down
    succeeds(
        db.cmd()
            .args(["roster", "edit", "C2", "--rank", "assistant_chief"]),
    );
}
