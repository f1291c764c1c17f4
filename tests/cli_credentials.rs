//! `socialdesk cred …` driven through the real binary (SPEC §1 permissions,
//! §4 credential changes, §7 CLI): the pre-approved and exigent paths, who
//! may take each step, overdue notices with an injected clock, the
//! departed-member warning and its end, and free text that looks like a
//! secret (refused, and nothing of it stored).

mod common;

use std::process::Output;
use std::sync::OnceLock;

use chrono::{Duration, SecondsFormat, Utc};
use common::{array, parse, strings, ByUser, TestDb, CHIEF_ID};
use serde_json::Value;
use socialdesk::store::{accounts, credentials};

/// The department: the chief (the OS login), two chief deputies (dana is
/// responsible for probation_ig, marcus for probation_fb), an officer on
/// the team for every account (oscar), one authorized for probation_ig only
/// (pat) and one not on the team (olive).
struct Dept {
    db: TestDb,
    /// probation_ig's id, as `account list --json` gives it.
    account: i64,
}

const ACCOUNT: &str = "probation_ig";

/// The department's database file, made once per test binary with the
/// real binary and copied for each test.
fn template() -> &'static (Vec<u8>, i64) {
    static TEMPLATE: OnceLock<(Vec<u8>, i64)> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let db = TestDb::new();
        db.add("CD1", "Dana Deputy", "chief_deputy", Some("dana"));
        db.add("CD2", "Marcus Other", "chief_deputy", Some("marcus"));
        db.add("O1", "Oscar Officer", "officer", Some("oscar"));
        db.add("O2", "Olive Outside", "officer", Some("olive"));
        db.add("O3", "Pat Scoped", "officer", Some("pat"));
        let account = db.add_account("instagram", ACCOUNT, "CD1")["id"]
            .as_i64()
            .expect("a numeric account id");
        db.add_account("facebook", "probation_fb", "CD2");
        db.ok(&["roster", "authorize", "O1"]);
        db.ok(&["roster", "authorize", "O3", "--accounts", ACCOUNT]);
        assert!(
            !db.path.with_extension("db-wal").exists(),
            "the last connection checkpoints the WAL"
        );
        (db.bytes(), account)
    })
}

fn dept() -> Dept {
    let (bytes, account) = template();
    Dept {
        db: TestDb::from_bytes(bytes),
        account: *account,
    }
}

impl ByUser for Dept {
    fn db(&self) -> &TestDb {
        &self.db
    }
}

impl Dept {
    /// (number of audit events, the newest one's action), read directly.
    fn audit_head(&self) -> (i64, String) {
        self.db
            .sqlite()
            .query_row(
                "SELECT count(*), (SELECT action FROM audit_events ORDER BY seq DESC LIMIT 1)
                 FROM audit_events",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("read the audit log")
    }

    /// A refused command (exit 3): nothing changes, the refusal is the one
    /// new audit event. Returns stderr.
    fn refused(&self, who: &str, args: &[&str]) -> String {
        let before = self.db.snapshot();
        let (events, _) = self.audit_head();
        let stderr = self.fails(who, args, 3);
        assert!(stderr.contains("refused"), "{args:?}: {stderr}");
        assert_eq!(
            self.db.snapshot(),
            before,
            "refused {args:?} changed the data"
        );
        let (after, last) = self.audit_head();
        assert_eq!(after, events + 1, "the refusal is recorded once");
        assert_eq!(last, "refused");
        stderr
    }

    fn request(&self, who: &str, kind: &str, reason: &str) -> Value {
        self.json(
            who,
            &[
                "cred",
                "request",
                "--account",
                ACCOUNT,
                "--kind",
                kind,
                "--reason",
                reason,
            ],
        )
    }

    fn exigent(&self, who: &str, kind: &str, reason: &str) -> Value {
        self.json(
            who,
            &[
                "cred",
                "exigent",
                "--account",
                ACCOUNT,
                "--kind",
                kind,
                "--exigency",
                "compromise",
                "--reason",
                reason,
            ],
        )
    }

    /// `cred list --json` (optionally `--overdue`), as the chief.
    fn list(&self, overdue: bool) -> Vec<Value> {
        let mut args = vec!["cred", "list"];
        if overdue {
            args.push("--overdue");
        }
        array(self.json("chief", &args))
    }

    /// One change as the store reads it now (the same record `cred list
    /// --json` prints), without starting the binary.
    fn change(&self, id: &str) -> Value {
        let conn = self.db.sqlite();
        let all = credentials::list(&conn, Utc::now()).expect("read the log");
        let c = all
            .into_iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id} is not in the log"));
        serde_json::to_value(c).unwrap()
    }

    /// The employees an account's credentials are known to (sorted).
    fn departed(&self, handle: &str) -> Vec<String> {
        let conn = self.db.sqlite();
        let a = accounts::list(&conn)
            .expect("read the accounts")
            .into_iter()
            .find(|a| a.handle == handle)
            .unwrap_or_else(|| panic!("no account {handle}"));
        let mut ids = a.departed_credentials;
        ids.sort();
        ids
    }

    /// `account list --json`: the handles with departed-member warnings.
    fn departed_json(&self) -> Vec<String> {
        array(self.json("chief", &["account", "list"]))
            .iter()
            .filter(|a| !strings(&a["departed_credentials"]).is_empty())
            .map(|a| a["handle"].as_str().unwrap().to_string())
            .collect()
    }

    /// Request, approve (as dana) and complete (as the chief) a change.
    fn complete_change(&self, kind: &str, reason: &str) -> String {
        let id = self.request("chief", kind, reason)["id"]
            .as_str()
            .unwrap()
            .to_string();
        self.json("dana", &["cred", "approve", &id]);
        let done = self.json("chief", &["cred", "complete", &id]);
        assert_eq!(done["status"], "completed", "{done}");
        id
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_string()
}

/// The SPEC §7 fields of a credential change.
#[track_caller]
fn assert_change(
    c: &Value,
    id: &str,
    account: i64,
    kind: &str,
    path: &str,
    status: &str,
    by: &str,
) {
    assert_eq!(c["id"], id, "{c}");
    assert_eq!(c["account"], account, "{c}");
    assert_eq!(c["kind"], kind, "{c}");
    assert_eq!(c["path"], path, "{c}");
    assert_eq!(c["status"], status, "{c}");
    assert_eq!(c["requested_by"], by, "{c}");
    assert!(c["overdue"].is_boolean(), "overdue is a bool: {c}");
}

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

// ------------------------------------------------------- pre-approved path

#[test]
fn request_approve_complete_end_to_end() {
    let d = dept();
    let asked = d.request("oscar", "password", "Quarterly rotation per V.7");
    assert_change(
        &asked,
        "CR-1",
        d.account,
        "password",
        "pre_approved",
        "requested",
        "O1",
    );
    assert_eq!(asked["overdue"], false);
    assert_eq!(asked["reason"], "Quarterly rotation per V.7");

    let approved = d.json("dana", &["cred", "approve", "CR-1"]);
    assert_change(
        &approved,
        "CR-1",
        d.account,
        "password",
        "pre_approved",
        "approved",
        "O1",
    );
    assert_eq!(approved["approved_by"], "CD1");

    let done = d.json("oscar", &["cred", "complete", "1"]);
    assert_change(
        &done,
        "CR-1",
        d.account,
        "password",
        "pre_approved",
        "completed",
        "O1",
    );
    assert_eq!(done["completed_by"], "O1");
    assert_eq!(done["overdue"], false);

    let list = d.list(false);
    assert_eq!(list.len(), 1);
    assert_change(
        &list[0],
        "CR-1",
        d.account,
        "password",
        "pre_approved",
        "completed",
        "O1",
    );
    // A completed change takes no more steps.
    for step in ["approve", "complete", "cancel"] {
        d.refused("chief", &["cred", step, "CR-1"]);
    }
    let actions: Vec<String> =
        d.db.audit()
            .iter()
            .filter(|e| e["action"].as_str().unwrap().starts_with("cred."))
            .map(|e| e["action"].as_str().unwrap().to_string())
            .collect();
    assert_eq!(actions, ["cred.request", "cred.approve", "cred.complete"]);
    // The text output names the change and its new status.
    let text = d.ok("chief", &["cred", "list"]);
    assert!(
        text.contains("CR-1") && text.contains(ACCOUNT) && text.contains("completed"),
        "{text}"
    );
}

#[test]
fn deny_with_a_reason_and_cancel() {
    let d = dept();
    let one = id(&d.request("oscar", "username", "Match the county naming standard"));
    let two = id(&d.request("oscar", "mfa", "Move codes to the Department phone"));
    let three = id(&d.request(
        "oscar",
        "recovery",
        "Recovery e-mail moves to the shared inbox",
    ));

    // deny needs --reason (a usage error), and an empty one is refused as input.
    let out = d.run("dana", &["cred", "deny", &one]);
    assert_eq!(out.status.code(), Some(2), "deny without --reason is usage");
    d.fails("dana", &["cred", "deny", &one, "--reason", "  "], 1);

    let denied = d.json(
        "dana",
        &[
            "cred",
            "deny",
            &one,
            "--reason",
            "Keep the handle until the rebrand",
        ],
    );
    assert_change(
        &denied,
        &one,
        d.account,
        "username",
        "pre_approved",
        "denied",
        "O1",
    );
    assert_eq!(denied["denied_by"], "CD1");
    assert_eq!(denied["deny_reason"], "Keep the handle until the rebrand");
    // Denied is final.
    d.refused("dana", &["cred", "approve", &one]);
    d.refused("oscar", &["cred", "cancel", &one]);

    // The requester cancels a request, and an approved change not yet made.
    let cancelled = d.json("oscar", &["cred", "cancel", &two]);
    assert_change(
        &cancelled,
        &two,
        d.account,
        "mfa",
        "pre_approved",
        "cancelled",
        "O1",
    );
    assert_eq!(cancelled["cancelled_by"], "O1");
    d.json("dana", &["cred", "approve", &three]);
    let cancelled = d.json("dana", &["cred", "cancel", &three]);
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancelled_by"], "CD1");
    d.refused("oscar", &["cred", "complete", &three]);

    let statuses: Vec<(String, String)> = d
        .list(false)
        .iter()
        .map(|c| (id(c), c["status"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        statuses,
        [
            (three.clone(), "cancelled".to_string()),
            (two.clone(), "cancelled".to_string()),
            (one.clone(), "denied".to_string()),
        ],
        "newest first"
    );
}

#[test]
fn only_the_responsible_chief_deputy_or_the_chief_approves() {
    let d = dept();
    let one = id(&d.request(
        "oscar",
        "password",
        "Rotation after the vendor breach notice",
    ));
    let stderr = d.refused("marcus", &["cred", "approve", &one]);
    assert!(stderr.starts_with("error: refused"), "{stderr}");
    d.refused("marcus", &["cred", "deny", &one, "--reason", "Not now"]);
    d.refused("oscar", &["cred", "approve", &one]);
    d.refused("olive", &["cred", "approve", &one]);
    assert_eq!(d.change(&one)["status"], "requested");

    // The chief may approve any account's change.
    let approved = d.json("chief", &["cred", "approve", &one]);
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["approved_by"], CHIEF_ID);
    // ... and only once.
    d.refused("dana", &["cred", "approve", &one]);
}

#[test]
fn completion_needs_the_approval_and_the_right_person() {
    let d = dept();
    let one = id(&d.request(
        "oscar",
        "password",
        "Rotation after the vendor breach notice",
    ));
    // Not approved yet: refused for the requester, dana and the chief alike.
    for who in ["oscar", "dana", "chief"] {
        let stderr = d.refused(who, &["cred", "complete", &one]);
        assert!(stderr.contains("approv"), "{stderr}");
    }
    assert_eq!(d.change(&one)["status"], "requested");
    assert!(d.change(&one)["completed_at"].is_null());

    d.json("dana", &["cred", "approve", &one]);
    // Neither requester, responsible nor chief.
    d.refused("marcus", &["cred", "complete", &one]);
    d.refused("olive", &["cred", "complete", &one]);
    d.refused("marcus", &["cred", "cancel", &one]);
    assert_eq!(d.change(&one)["status"], "approved");
    // The responsible Chief Deputy may record it made.
    let done = d.json("dana", &["cred", "complete", &one]);
    assert_eq!(done["status"], "completed");
    assert_eq!(done["completed_by"], "CD1");
}

#[test]
fn who_may_request_and_bad_input() {
    let d = dept();
    // Not on the team and not an approver: refused, nothing filed.
    d.refused(
        "olive",
        &[
            "cred",
            "request",
            "--account",
            ACCOUNT,
            "--kind",
            "password",
            "--reason",
            "Rotation",
        ],
    );
    d.refused(
        "olive",
        &[
            "cred",
            "exigent",
            "--account",
            ACCOUNT,
            "--kind",
            "password",
            "--exigency",
            "intrusion",
            "--reason",
            "Rotation",
        ],
    );
    // Not on a retired account.
    d.ok("chief", &["account", "retire", "probation_fb"]);
    d.refused(
        "oscar",
        &[
            "cred",
            "request",
            "--account",
            "probation_fb",
            "--kind",
            "password",
            "--reason",
            "Rotation",
        ],
    );
    // Approvers may, without being on the team.
    let by_marcus = d.request("marcus", "admin_role", "Second administrator for coverage");
    assert_eq!(by_marcus["requested_by"], "CD2");
    // Unknown kind, exigency or account: exit 1, nothing filed.
    let before = d.db.snapshot();
    for args in [
        vec![
            "cred",
            "request",
            "--account",
            ACCOUNT,
            "--kind",
            "pin",
            "--reason",
            "x",
        ],
        vec![
            "cred",
            "request",
            "--account",
            "nope",
            "--kind",
            "password",
            "--reason",
            "x",
        ],
        vec![
            "cred",
            "exigent",
            "--account",
            ACCOUNT,
            "--kind",
            "password",
            "--exigency",
            "panic",
            "--reason",
            "x",
        ],
        vec![
            "cred",
            "request",
            "--account",
            ACCOUNT,
            "--kind",
            "password",
            "--reason",
            "",
        ],
    ] {
        d.fails("oscar", &args, 1);
    }
    d.fails("chief", &["cred", "approve", "CR-99"], 1);
    d.fails("chief", &["cred", "approve", "D-1"], 1);
    assert_eq!(d.db.snapshot(), before);
}

// ------------------------------------------------------------ exigent path

#[test]
fn exigent_change_notice_and_acknowledgement() {
    let d = dept();
    let made = d.exigent(
        "oscar",
        "password",
        "Login alert from an unknown device; password changed at once",
    );
    assert_change(
        &made,
        "CR-1",
        d.account,
        "password",
        "exigent",
        "completed",
        "O1",
    );
    assert_eq!(made["exigency"], "compromise");
    assert_eq!(made["overdue"], false, "24 hours to go");
    assert!(made["completed_at"].is_string());
    assert!(made["acknowledged_at"].is_null());
    // The text form tells the requester to notify the responsible Chief Deputy.
    let text = d.ok(
        "oscar",
        &[
            "cred",
            "exigent",
            "--account",
            ACCOUNT,
            "--kind",
            "mfa",
            "--exigency",
            "intrusion",
            "--reason",
            "Unknown device enrolled as a second factor",
        ],
    );
    assert!(
        text.contains("CR-2") && text.contains("CD1") && text.contains("notify"),
        "{text}"
    );

    // Pre-approved steps do not apply.
    d.refused("dana", &["cred", "approve", "CR-1"]);
    d.refused("oscar", &["cred", "complete", "CR-1"]);

    let notified = d.json(
        "oscar",
        &["cred", "notify", "CR-1", "--how", "phoned Dana at 555-0110"],
    );
    assert_eq!(notified["notified_how"], "phoned Dana at 555-0110");
    assert_eq!(notified["notified_by"], "O1");
    assert!(notified["notified_at"].is_string());
    assert!(
        notified["acknowledged_at"].is_null(),
        "a notice is not an acknowledgement"
    );
    // The notice is recorded once.
    d.refused(
        "oscar",
        &["cred", "notify", "CR-1", "--how", "e-mailed Dana as well"],
    );
    // Someone with no part in it may not record the notice.
    d.refused(
        "marcus",
        &[
            "cred",
            "notify",
            "CR-2",
            "--how",
            "told Dana in the hallway",
        ],
    );

    // Only the responsible Chief Deputy or the chief acknowledges.
    d.refused("marcus", &["cred", "ack", "CR-1"]);
    d.refused("oscar", &["cred", "ack", "CR-1"]);
    d.refused("olive", &["cred", "ack", "CR-1"]);
    let acked = d.json("dana", &["cred", "ack", "CR-1"]);
    assert_eq!(acked["acknowledged_by"], "CD1");
    assert!(acked["acknowledged_at"].is_string());
    assert_eq!(acked["status"], "completed");
    assert_eq!(acked["overdue"], false);
    d.refused("chief", &["cred", "ack", "CR-1"]);
    let by_chief = d.json("chief", &["cred", "ack", "CR-2"]);
    assert_eq!(by_chief["acknowledged_by"], CHIEF_ID);

    // A pre-approved change has no notice to record or acknowledge.
    let pre = id(&d.request("oscar", "username", "Match the county naming standard"));
    d.refused("oscar", &["cred", "notify", &pre, "--how", "phoned Dana"]);
    d.refused("dana", &["cred", "ack", &pre]);
}

#[test]
fn zero_notice_hours_make_an_exigent_change_overdue_at_once() {
    let d = dept();
    d.ok("chief", &["settings", "set", "exigent_notice_hours", "0"]);
    let made = d.exigent(
        "oscar",
        "password",
        "Phishing email clicked; password reset immediately",
    );
    let cr = id(&made);
    assert_eq!(made["overdue"], true, "{made}");
    let pre = id(&d.request("oscar", "mfa", "Move codes to the Department phone"));

    let overdue = d.list(true);
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert_eq!(overdue[0]["id"], cr.as_str());
    assert_eq!(overdue[0]["overdue"], true);
    assert_eq!(d.change(&pre)["overdue"], false);
    let text = d.ok("chief", &["cred", "list", "--overdue"]);
    assert!(text.contains(&cr) && text.contains("OVERDUE"), "{text}");
    assert!(!text.contains(&pre), "{text}");
    // The requester's roster card flags it.
    let card = d.db.employee("O1");
    assert_eq!(strings(&card["overdue_changes"]), vec![cr.as_str()]);

    d.json("dana", &["cred", "ack", &cr]);
    assert!(d.list(true).is_empty());
    assert_eq!(d.change(&cr)["overdue"], false);
    assert!(strings(&d.db.employee("O1")["overdue_changes"]).is_empty());
    let text = d.ok("chief", &["cred", "list", "--overdue"]);
    assert!(!text.contains(&cr), "{text}");
}

#[test]
fn overdue_after_the_default_24_hours_by_the_injected_clock() {
    let d = dept();
    let made_at = Utc::now() + Duration::hours(1);
    let at = |hours: i64| rfc3339(made_at + Duration::hours(hours));
    let run_at = |hours: i64, who: &str, args: &[&str]| -> Value {
        let mut c = d.cmd(who);
        c.env("SOCIALDESK_NOW", at(hours)).arg("--json").args(args);
        parse(&common::succeeds(&mut c))
    };
    let made = run_at(
        0,
        "oscar",
        &[
            "cred",
            "exigent",
            "--account",
            ACCOUNT,
            "--kind",
            "password",
            "--exigency",
            "intrusion",
            "--reason",
            "Password reset after a login from abroad",
        ],
    );
    let cr = id(&made);
    assert_eq!(made["overdue"], false);
    let listed = |hours: i64, overdue_only: bool| -> Vec<Value> {
        let mut args = vec!["cred", "list"];
        if overdue_only {
            args.push("--overdue");
        }
        array(run_at(hours, "chief", &args))
    };
    assert!(listed(23, true).is_empty(), "not overdue after 23 hours");
    assert_eq!(listed(23, false)[0]["overdue"], false);
    let late = listed(25, true);
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0]["id"], cr.as_str());
    assert_eq!(late[0]["overdue"], true);

    // The requester's roster card: text and JSON.
    let mut show = d.cmd("chief");
    show.env("SOCIALDESK_NOW", at(25))
        .args(["roster", "show", "O1"]);
    let text = common::succeeds(&mut show);
    assert!(
        text.contains("overdue") && text.contains(&cr),
        "the card flags {cr}: {text}"
    );
    let card = run_at(25, "chief", &["roster", "show", "O1"]);
    assert_eq!(strings(&card["overdue_changes"]), vec![cr.as_str()]);
    let early = run_at(23, "chief", &["roster", "show", "O1"]);
    assert!(strings(&early["overdue_changes"]).is_empty(), "{early}");

    // Acknowledged late, it is no longer overdue.
    let acked = run_at(26, "dana", &["cred", "ack", &cr]);
    assert_eq!(acked["overdue"], false);
    assert!(listed(30, true).is_empty());
    let card = run_at(30, "chief", &["roster", "show", "O1"]);
    assert!(strings(&card["overdue_changes"]).is_empty());
}

// -------------------------------------------------------------- departures

#[test]
fn separation_marks_accounts_until_a_password_change_is_completed() {
    let d = dept();
    assert!(d.departed(ACCOUNT).is_empty() && d.departed("probation_fb").is_empty());
    d.ok("chief", &["roster", "separate", "O1"]);
    assert_eq!(d.departed_json(), ["probation_fb", ACCOUNT]);
    assert_eq!(d.departed(ACCOUNT), ["O1"]);
    assert_eq!(d.departed("probation_fb"), ["O1"]);

    // An mfa change does not clear it; a request not yet made does not either.
    d.complete_change("mfa", "Second factor moved after the departure");
    assert_eq!(d.departed(ACCOUNT), ["O1"]);
    let pending = id(&d.request("chief", "password", "Rotation after a departure (V.7)"));
    d.json("dana", &["cred", "approve", &pending]);
    assert_eq!(d.departed(ACCOUNT), ["O1"], "approved is not completed");
    d.json("chief", &["cred", "complete", &pending]);
    assert!(
        d.departed(ACCOUNT).is_empty(),
        "cleared by the password change"
    );
    assert_eq!(
        d.departed("probation_fb"),
        ["O1"],
        "only the account changed"
    );

    // An exigent password change clears it too.
    let out = d.json(
        "chief",
        &[
            "cred",
            "exigent",
            "--account",
            "probation_fb",
            "--kind",
            "password",
            "--exigency",
            "other",
            "--reason",
            "Departed member still logged in on a shared tablet",
        ],
    );
    assert_eq!(out["status"], "completed");
    assert!(d.departed("probation_fb").is_empty());
}

#[test]
fn revocation_marks_only_the_accounts_the_member_could_post_to() {
    let d = dept();
    d.ok(
        "chief",
        &["roster", "revoke", "O3", "--reason", "reassigned"],
    );
    assert_eq!(d.departed(ACCOUNT), ["O3"]);
    assert!(
        d.departed("probation_fb").is_empty(),
        "pat could not post to probation_fb"
    );
    // A cancelled or denied password change does not clear it.
    let one = id(&d.request("chief", "password", "Rotation after a revocation"));
    d.json("chief", &["cred", "cancel", &one]);
    let two = id(&d.request("chief", "password", "Rotation after a revocation"));
    d.json(
        "dana",
        &["cred", "deny", &two, "--reason", "Use the next request"],
    );
    assert_eq!(d.departed(ACCOUNT), ["O3"]);

    d.ok(
        "chief",
        &["roster", "revoke", "O1", "--reason", "left the unit"],
    );
    assert_eq!(d.departed(ACCOUNT), ["O1", "O3"]);
    assert_eq!(d.departed("probation_fb"), ["O1"]);
    let out = d.exigent(
        "dana",
        "password",
        "Rotated at once: two members left the team",
    );
    assert_eq!(out["path"], "exigent");
    assert!(d.departed(ACCOUNT).is_empty());
    assert_eq!(d.departed("probation_fb"), ["O1"]);
}

// ----------------------------------------------------------------- secrets

/// Secret-like texts, each with the part that must never be stored or
/// echoed.
const SECRETS: &[(&str, &str)] = &[
    ("password: hunter2!", "hunter2!"),
    ("pwd=Tr0ub4dor&3", "Tr0ub4dor&3"),
    ("pin 4821", "4821"),
    (
        "Xk9mQ2vL8nR4tW7zP3sY5bN6cJ1dF0gH",
        "Xk9mQ2vL8nR4tW7zP3sY5bN6cJ1dF0gH",
    ),
    ("JBSWY3DPEHPK3PXP", "JBSWY3DPEHPK3PXP"),
    ("The new password is Summer2024!", "Summer2024!"),
    ("passcode=Zq81kd77", "Zq81kd77"),
    ("Temp pw: Welcome1", "Welcome1"),
    ("api key: a8f3k2j9x1", "a8f3k2j9x1"),
    (
        "token=ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    ),
    ("2FA code 482913", "482913"),
    ("Recovery codes: 1a2b3-4c5d6", "1a2b3-4c5d6"),
    (
        "seed: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    ),
    ("Old login dana / Whitaker1987!", "Whitaker1987!"),
    (
        "5f4dcc3b5aa765d61d8327deb882cf99",
        "5f4dcc3b5aa765d61d8327deb882cf99",
    ),
    (
        "secret: \"correct horse battery staple\"",
        "correct horse battery staple",
    ),
    ("password changed to Bl4ckCoffee#9", "Bl4ckCoffee#9"),
    (
        "Authenticator setup key JBSW Y3DP EHPK 3PXP FOO2 ABCD",
        "EHPK 3PXP FOO2",
    ),
    ("AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("Your Instagram code is 448 210", "448 210"),
    ("left it as Winter2024!x on the sticky note", "Winter2024!x"),
];

/// Ordinary reasons and notices, some near secret words: all accepted.
const ORDINARY: &[&str] = &[
    "Quarterly password rotation",
    "Password change after Dana Whitaker left the team",
    "Reset the password: vendor breach notice received",
    "MFA device replaced after the phone was lost",
    "Rotate the recovery codes per V.7",
    "Suspected phishing email targeting the account on 2026-03-02",
    "Admin role moved to Marcus Bell",
    "Username changed to SVCProbation to match branding",
    "Change requested in ticket INC-2024-00123",
    "See https://help.instagram.com/123456789012345",
    "phoned Dana at 555-0110",
    "Called Dana at 555-0110 at 14:30 on 03/02/2026",
    "Notified the Chief Deputy by phone, (555) 555-0110",
    "Password reset to meet the 16-character minimum",
    "Hardware token moved to YubiKey 5C",
    "Backup codes regenerated 2026-03-02",
    "Login alert from an unknown device",
    "Locked out after the recovery phone was replaced",
    "Add Nicole Price as a second administrator for holiday coverage",
    "The password is weak and was reused elsewhere",
    "Left a voicemail for the Chief Deputy, then e-mailed dwhitaker@county.example.gov",
];

fn db_bytes(db: &TestDb) -> Vec<u8> {
    let mut bytes = db.bytes();
    let wal = db.path.with_extension("db-wal");
    if let Ok(more) = std::fs::read(&wal) {
        bytes.extend(more);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn secret_like_text_is_refused_everywhere_and_nothing_is_stored() {
    assert!(SECRETS.len() >= 20);
    let d = dept();
    let requested = id(&d.request("oscar", "password", "Quarterly rotation"));
    let exigent = id(&d.exigent("oscar", "password", "Login alert from an unknown device"));
    let before = d.db.snapshot();
    let events = d.db.audit();

    // (who, args, the field the refusal must name)
    let mut runs: Vec<(&str, Vec<String>, &str, &str)> = Vec::new();
    for (text, _) in SECRETS {
        let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        runs.push((
            "oscar",
            s(&[
                "cred",
                "request",
                "--account",
                ACCOUNT,
                "--kind",
                "password",
                "--reason",
                text,
            ]),
            "reason",
            text,
        ));
        runs.push((
            "oscar",
            s(&[
                "cred",
                "exigent",
                "--account",
                ACCOUNT,
                "--kind",
                "password",
                "--exigency",
                "compromise",
                "--reason",
                text,
            ]),
            "reason",
            text,
        ));
        runs.push((
            "dana",
            s(&["cred", "deny", &requested, "--reason", text]),
            "reason",
            text,
        ));
        runs.push((
            "oscar",
            s(&["cred", "notify", &exigent, "--how", text]),
            "notice",
            text,
        ));
    }
    let d_ref = &d;
    let outs = common::parallel(
        runs.iter()
            .map(|(who, args, _, _)| {
                move || {
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    d_ref.run(who, &args)
                }
            })
            .collect(),
    );
    let mut wrong = Vec::new();
    for ((_, args, field, text), out) in runs.iter().zip(&outs) {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let secret = SECRETS.iter().find(|(t, _)| t == text).unwrap().1;
        let ok = out.status.code() == Some(1)
            && stderr.starts_with("error:")
            && stderr.contains(&format!("the {field}"))
            && stderr.contains("secret")
            && !stderr.contains(secret);
        if !ok {
            wrong.push(format!(
                "{} {:?}: exit {:?}, stderr {stderr:?}",
                args[1],
                text,
                out.status.code()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} refusals wrong:\n{}",
        wrong.len(),
        runs.len(),
        wrong.join("\n")
    );

    // Nothing stored: no row, no event, no byte of it in the database.
    assert_eq!(d.db.snapshot(), before, "a refused secret changed the data");
    assert_eq!(d.db.audit(), events, "a refused secret left an audit event");
    let bytes = db_bytes(&d.db);
    for (text, secret) in SECRETS {
        assert!(!contains(&bytes, text), "the database file holds {text:?}");
        if secret.len() >= 8 {
            assert!(
                !contains(&bytes, secret),
                "the database file holds {secret:?}"
            );
        }
    }
    let c = d.change(&requested);
    assert_eq!(c["status"], "requested");
    assert!(c["deny_reason"].is_null());
    assert!(d.change(&exigent)["notified_how"].is_null());
}

#[test]
fn ordinary_reasons_and_notices_are_accepted_as_written() {
    assert!(ORDINARY.len() >= 20);
    let d = dept();
    let d_ref = &d;
    // Every text as a request's reason.
    let filed = common::parallel(
        ORDINARY
            .iter()
            .map(|text| {
                move || {
                    d_ref.run(
                        "oscar",
                        &[
                            "--json",
                            "cred",
                            "request",
                            "--account",
                            ACCOUNT,
                            "--kind",
                            "password",
                            "--reason",
                            text,
                        ],
                    )
                }
            })
            .collect(),
    );
    let mut ids = Vec::new();
    let mut wrong = Vec::new();
    for (text, out) in ORDINARY.iter().zip(&filed) {
        if out.status.success() {
            let c = parse(&String::from_utf8_lossy(&out.stdout));
            assert_eq!(c["reason"], *text);
            ids.push(id(&c));
        } else {
            wrong.push(format!(
                "request {text:?}: exit {:?}, {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(wrong.is_empty(), "refused:\n{}", wrong.join("\n"));
    assert_eq!(d.list(false).len(), ORDINARY.len());

    // Some as deny reasons, exigent reasons and notices.
    let picks: Vec<&str> = ORDINARY.iter().step_by(7).copied().collect();
    let jobs: Vec<Box<dyn FnOnce() -> (String, Output) + Send + '_>> = picks
        .iter()
        .zip(&ids)
        .flat_map(|(text, cr)| {
            let deny: Box<dyn FnOnce() -> (String, Output) + Send + '_> = Box::new(move || {
                let out = d_ref.run("dana", &["cred", "deny", cr, "--reason", text]);
                (format!("deny {text:?}"), out)
            });
            let exigent: Box<dyn FnOnce() -> (String, Output) + Send + '_> = Box::new(move || {
                let made = d_ref.run(
                    "oscar",
                    &[
                        "--json",
                        "cred",
                        "exigent",
                        "--account",
                        ACCOUNT,
                        "--kind",
                        "mfa",
                        "--exigency",
                        "other",
                        "--reason",
                        text,
                    ],
                );
                if !made.status.success() {
                    return (format!("exigent {text:?}"), made);
                }
                let cr = id(&parse(&String::from_utf8_lossy(&made.stdout)));
                let out = d_ref.run("oscar", &["cred", "notify", &cr, "--how", text]);
                (format!("notify {text:?}"), out)
            });
            [deny, exigent]
        })
        .collect();
    let mut wrong = Vec::new();
    for (what, out) in common::parallel(jobs) {
        if !out.status.success() {
            wrong.push(format!(
                "{what}: exit {:?}, {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(wrong.is_empty(), "refused:\n{}", wrong.join("\n"));
    let all = d.list(false);
    for text in &picks {
        assert!(
            all.iter().any(|c| c["deny_reason"] == *text),
            "deny reason {text:?} kept"
        );
        assert!(
            all.iter().any(|c| c["notified_how"] == *text),
            "notice {text:?} kept"
        );
    }
}
