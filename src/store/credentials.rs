//! The credential-change log (V.7, SPEC §4): pre-approved changes, exigent
//! changes with their notice to the responsible Chief Deputy, and the end
//! of the "credentials known to a departed member" warning.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::json;

use crate::domain::credential::{self, Path, Status, Step};
use crate::domain::permission::{allows, Actor, Permission};
use crate::domain::secrets::refuse_secret;
use crate::error::{Error, Result};
use crate::store::{accounts, parse_timestamp, roster, settings, Me, Store, Tx};

/// One change as `cred list` prints it and the Credentials tab shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub id: String,
    #[serde(skip)]
    pub number: i64,
    pub account: i64,
    pub handle: String,
    /// The account's responsible Chief Deputy.
    pub responsible: String,
    pub kind: String,
    pub path: String,
    pub status: String,
    pub requested_by: String,
    pub requested_at: String,
    pub reason: String,
    pub exigency: Option<String>,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub denied_by: Option<String>,
    pub denied_at: Option<String>,
    pub deny_reason: Option<String>,
    pub completed_by: Option<String>,
    pub completed_at: Option<String>,
    pub cancelled_by: Option<String>,
    pub cancelled_at: Option<String>,
    pub notified_at: Option<String>,
    pub notified_how: Option<String>,
    pub notified_by: Option<String>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<String>,
    /// An exigent change not acknowledged within `exigent_notice_hours`.
    pub overdue: bool,
    /// When the notice falls overdue (exigent changes not yet acknowledged).
    pub notice_due: Option<String>,
    pub version: i64,
}

impl Change {
    fn path(&self) -> Path {
        if self.path == "exigent" {
            Path::Exigent
        } else {
            Path::PreApproved
        }
    }
}

const SELECT: &str = "
SELECT c.id, c.account, a.handle, a.responsible, c.kind, c.path, c.status, c.requested_by,
       c.requested_at, c.reason, c.exigency, c.approved_by, c.approved_at, c.denied_by,
       c.denied_at, c.deny_reason, c.completed_by, c.completed_at, c.cancelled_by,
       c.cancelled_at, c.notified_at, c.notified_how, c.notified_by, c.acknowledged_by,
       c.acknowledged_at, c.version
FROM credential_changes c JOIN accounts a ON a.id = c.account";

fn row(r: &Row) -> rusqlite::Result<Change> {
    let number: i64 = r.get(0)?;
    Ok(Change {
        id: credential::printed_id(number),
        number,
        account: r.get(1)?,
        handle: r.get(2)?,
        responsible: r.get(3)?,
        kind: r.get(4)?,
        path: r.get(5)?,
        status: r.get(6)?,
        requested_by: r.get(7)?,
        requested_at: r.get(8)?,
        reason: r.get(9)?,
        exigency: r.get(10)?,
        approved_by: r.get(11)?,
        approved_at: r.get(12)?,
        denied_by: r.get(13)?,
        denied_at: r.get(14)?,
        deny_reason: r.get(15)?,
        completed_by: r.get(16)?,
        completed_at: r.get(17)?,
        cancelled_by: r.get(18)?,
        cancelled_at: r.get(19)?,
        notified_at: r.get(20)?,
        notified_how: r.get(21)?,
        notified_by: r.get(22)?,
        acknowledged_by: r.get(23)?,
        acknowledged_at: r.get(24)?,
        version: r.get(25)?,
        overdue: false,
        notice_due: None,
    })
}

/// Fills in what depends on the clock and the `exigent_notice_hours` setting.
fn with_deadline(mut c: Change, hours: u32, now: DateTime<Utc>) -> Result<Change> {
    if c.path() == Path::Exigent && c.acknowledged_at.is_none() {
        let made = parse_timestamp(c.completed_at.as_deref().unwrap_or(&c.requested_at))?;
        c.overdue = credential::overdue(Path::Exigent, made, false, hours, now);
        c.notice_due = Some(crate::store::timestamp(
            made + chrono::Duration::hours(i64::from(hours)),
        ));
    }
    Ok(c)
}

fn hours(conn: &Connection) -> Result<u32> {
    settings::number(conn, "exigent_notice_hours")
}

pub fn get(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<Change> {
    let found = conn
        .prepare_cached(&format!("{SELECT} WHERE c.id = ?1"))?
        .query_row([id], row)
        .optional()?;
    let c = found.ok_or_else(|| {
        Error::invalid(format!(
            "no credential change {}",
            credential::printed_id(id)
        ))
    })?;
    with_deadline(c, hours(conn)?, now)
}

/// Every change, newest first.
pub fn list(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<Change>> {
    let hours = hours(conn)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY c.id DESC"))?;
    let rows = stmt.query_map([], row)?;
    rows.map(|c| with_deadline(c?, hours, now)).collect()
}

/// Whether `me` is the one to act next on `c`: approve or deny a request,
/// or acknowledge an exigent change (the responsible Chief Deputy or the chief).
/// `actor` is `me`'s standing, read once by the caller for a whole list.
pub fn awaits(actor: &Actor, me: &str, c: &Change) -> bool {
    let responsible = c.responsible == me;
    match (c.path(), c.status.as_str()) {
        (Path::PreApproved, "requested") => {
            allows(actor, Permission::DecideCredentialChange { responsible })
        }
        (Path::Exigent, _) if c.acknowledged_at.is_none() => {
            allows(actor, Permission::AcknowledgeExigent { responsible })
        }
        _ => false,
    }
}

/// The Credentials tab's title count: items awaiting `me`, plus overdue ones.
pub fn attention(conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<usize> {
    let open: Vec<Change> = list(conn, now)?
        .into_iter()
        .filter(|c| c.status == "requested" || (c.path == "exigent" && c.acknowledged_at.is_none()))
        .collect();
    let actor = roster::actor(conn, me, now)?;
    Ok(open
        .iter()
        .filter(|c| c.overdue || actor.as_ref().is_some_and(|a| awaits(a, me, c)))
        .count())
}

fn entity(id: i64) -> String {
    format!("credential:{}", credential::printed_id(id))
}

fn check_reason(field: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(format!("the {field} is required")));
    }
    if text.chars().count() > 2000 {
        return Err(Error::invalid(format!(
            "the {field} is longer than 2,000 characters"
        )));
    }
    refuse_secret(field, text)
}

/// A completed password change on an account clears its departed-member
/// warnings (SPEC §2, §4).
fn clear_departed(tx: &Tx, account: i64, kind: &str) -> Result<usize> {
    if kind != "password" {
        return Ok(0);
    }
    Ok(tx.sql.execute(
        "UPDATE departed_credentials SET cleared_at = ?2 WHERE account = ?1 AND cleared_at IS NULL",
        params![account, tx.now_text()],
    )?)
}

pub struct NewChange {
    pub account: String,
    pub kind: String,
    pub reason: String,
    /// Some for an exigent change: intrusion, compromise or other.
    pub exigency: Option<String>,
}

/// Files a request (pre-approved path) or logs an exigent change, which is
/// completed at once and awaits the responsible Chief Deputy's notice.
pub fn file(store: &mut Store, me: &Me, new: NewChange) -> Result<Change> {
    let action = if new.exigency.is_some() {
        "cred.exigent"
    } else {
        "cred.request"
    };
    store.write(me, action, "credential:new", |tx| {
        tx.require(Permission::RequestCredentialChange)?;
        let account = accounts::get(&tx.sql, &new.account)?;
        credential::check_kind(&new.kind)?;
        if let Some(e) = &new.exigency {
            credential::check_exigency(e)?;
        }
        check_reason("reason", &new.reason)?;
        if account.status != "active" {
            return Err(Error::refused(format!(
                "refused: {} is retired",
                account.handle
            )));
        }
        let now = tx.now_text();
        let (path, status, completed) = match &new.exigency {
            Some(_) => ("exigent", "completed", Some(now.clone())),
            None => ("pre_approved", "requested", None),
        };
        tx.sql.execute(
            "INSERT INTO credential_changes (account, kind, path, status, requested_by, requested_at, reason, exigency, completed_by, completed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                account.id,
                new.kind,
                path,
                status,
                tx.me.employee,
                now,
                new.reason,
                new.exigency,
                completed.as_ref().map(|_| tx.me.employee.clone()),
                completed
            ],
        )?;
        let id = tx.sql.last_insert_rowid();
        tx.entity = Some(entity(id));
        let cleared = if completed.is_some() {
            clear_departed(tx, account.id, &new.kind)?
        } else {
            0
        };
        let created = get(&tx.sql, id, tx.now)?;
        let state = json!({
            "id": created.id, "account": account.id, "kind": new.kind, "path": path,
            "status": status, "reason": new.reason, "exigency": new.exigency,
            "departed_warnings_cleared": cleared,
        });
        Ok((created, state))
    })
}

/// One step on an existing change, with its permission and effect.
pub fn step(store: &mut Store, me: &Me, id: i64, step: Step, text: Option<&str>) -> Result<Change> {
    let action = match step {
        Step::Approve => "cred.approve",
        Step::Deny => "cred.deny",
        Step::Complete => "cred.complete",
        Step::Cancel => "cred.cancel",
        Step::Notify => "cred.notify",
        Step::Acknowledge => "cred.ack",
    };
    store.write(me, action, &entity(id), |tx| {
        let c = get(&tx.sql, id, tx.now)?;
        let responsible = c.responsible == tx.me.employee;
        let is_requester = c.requested_by == tx.me.employee;
        tx.require(match step {
            Step::Approve | Step::Deny => Permission::DecideCredentialChange { responsible },
            Step::Complete | Step::Cancel | Step::Notify => Permission::CloseCredentialChange {
                is_requester,
                responsible,
            },
            Step::Acknowledge => Permission::AcknowledgeExigent { responsible },
        })?;
        let status = Status::parse(&c.status)?;
        let Some(to) = credential::next(c.path(), status, step) else {
            let why = match (c.path(), step) {
                (Path::PreApproved, Step::Complete) if status == Status::Requested => {
                    "it has not been approved: V.7 asks for approval in advance".to_string()
                }
                (Path::PreApproved, Step::Notify | Step::Acknowledge) => {
                    "notice and acknowledgement are for exigent changes".to_string()
                }
                _ => format!("it is {} ({})", c.status, c.path.replace('_', "-")),
            };
            return Err(Error::refused(format!(
                "refused: you cannot {} {}: {why}",
                step.verb(),
                c.id
            )));
        };
        let now = tx.now_text();
        let who = tx.me.employee.clone();
        let mut cleared = 0;
        match step {
            Step::Approve => {
                tx.sql.execute(
                    "UPDATE credential_changes SET approved_by = ?2, approved_at = ?3 WHERE id = ?1",
                    params![id, who, now],
                )?;
            }
            Step::Deny => {
                let reason = text.unwrap_or_default();
                check_reason("reason", reason)?;
                tx.sql.execute(
                    "UPDATE credential_changes SET denied_by = ?2, denied_at = ?3, deny_reason = ?4 WHERE id = ?1",
                    params![id, who, now, reason],
                )?;
            }
            Step::Complete => {
                tx.sql.execute(
                    "UPDATE credential_changes SET completed_by = ?2, completed_at = ?3 WHERE id = ?1",
                    params![id, who, now],
                )?;
                cleared = clear_departed(tx, c.account, &c.kind)?;
            }
            Step::Cancel => {
                tx.sql.execute(
                    "UPDATE credential_changes SET cancelled_by = ?2, cancelled_at = ?3 WHERE id = ?1",
                    params![id, who, now],
                )?;
            }
            Step::Notify => {
                let how = text.unwrap_or_default();
                check_reason("notice", how)?;
                if c.notified_at.is_some() {
                    return Err(Error::refused(format!(
                        "refused: the notice of {} was already recorded ({})",
                        c.id,
                        c.notified_how.clone().unwrap_or_default()
                    )));
                }
                tx.sql.execute(
                    "UPDATE credential_changes SET notified_at = ?2, notified_how = ?3, notified_by = ?4 WHERE id = ?1",
                    params![id, now, how, who],
                )?;
            }
            Step::Acknowledge => {
                if c.acknowledged_at.is_some() {
                    return Err(Error::refused(format!(
                        "refused: {} was already acknowledged by {}",
                        c.id,
                        c.acknowledged_by.clone().unwrap_or_default()
                    )));
                }
                tx.sql.execute(
                    "UPDATE credential_changes SET acknowledged_by = ?2, acknowledged_at = ?3,
                            notified_at = coalesce(notified_at, ?3),
                            notified_how = coalesce(notified_how, 'acknowledged in socialdesk'),
                            notified_by = coalesce(notified_by, ?2)
                     WHERE id = ?1",
                    params![id, who, now],
                )?;
            }
        }
        tx.sql.execute(
            "UPDATE credential_changes SET status = ?2, version = version + 1 WHERE id = ?1",
            params![id, to.as_str()],
        )?;
        let after = get(&tx.sql, id, tx.now)?;
        let state = json!({
            "id": after.id, "status": to.as_str(), "text": text,
            "departed_warnings_cleared": cleared,
        });
        Ok((after, state))
    })
}

/// Exigent changes this employee made whose notice is overdue (for the
/// roster card).
pub fn overdue_by(conn: &Connection, employee: &str, now: DateTime<Utc>) -> Result<Vec<Change>> {
    Ok(list(conn, now)?
        .into_iter()
        .filter(|c| c.overdue && c.requested_by == employee)
        .collect())
}

/// Accounts whose credentials a departed member knows and that have no
/// password change under way: where a rotation should be proposed.
pub fn rotations_due(conn: &Connection) -> Result<Vec<accounts::Account>> {
    Ok(accounts::list(conn)?
        .into_iter()
        .filter(|a| a.status == "active" && !a.departed_credentials.is_empty())
        .filter(|a| {
            conn.query_row(
                "SELECT count(*) FROM credential_changes
                 WHERE account = ?1 AND kind = 'password' AND status IN ('requested', 'approved')",
                [a.id],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n == 0)
            .unwrap_or(true)
        })
        .collect())
}

/// Files a password-change request for every account in `rotations_due`.
pub fn propose_rotations(store: &mut Store, me: &Me) -> Result<Vec<Change>> {
    let due = rotations_due(store.conn())?;
    let mut filed = Vec::new();
    for a in due {
        let reason = format!(
            "Password rotation: the credentials are known to a departed member ({}) (V.7)",
            a.departed_credentials.join(", ")
        );
        filed.push(file(
            store,
            me,
            NewChange {
                account: a.id.to_string(),
                kind: "password".into(),
                reason,
                exigency: None,
            },
        )?);
    }
    Ok(filed)
}
