//! Platform accounts and the "credentials known to a departed member"
//! warning (SPEC §2, §3.1, V.7).

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::json;

use crate::domain::permission::Permission;
use crate::domain::rank::{EmploymentStatus, Rank};
use crate::error::{Error, Result};
use crate::store::{roster, Me, Store, Tx};

pub const PLATFORMS: [&str; 8] = [
    "twitter",
    "instagram",
    "facebook",
    "tiktok",
    "youtube",
    "linkedin",
    "nextdoor",
    "other",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: i64,
    pub platform: String,
    pub handle: String,
    pub responsible: String,
    pub profile: String,
    pub status: String,
    /// Employees whose departure left this account's credentials known
    /// outside the team, until a password change completes.
    pub departed_credentials: Vec<String>,
}

const SELECT: &str = "
SELECT a.id, a.platform, a.handle, a.responsible, a.profile, a.status,
       (SELECT json_group_array(employee) FROM departed_credentials w
         WHERE w.account = a.id AND w.cleared_at IS NULL)
FROM accounts a";

fn account(r: &Row) -> rusqlite::Result<Account> {
    let departed: String = r.get(6)?;
    Ok(Account {
        id: r.get(0)?,
        platform: r.get(1)?,
        handle: r.get(2)?,
        responsible: r.get(3)?,
        profile: r.get(4)?,
        status: r.get(5)?,
        departed_credentials: serde_json::from_str(&departed).unwrap_or_default(),
    })
}

/// An account by id or handle (SPEC §7: "ACCOUNT is an account id or its handle").
pub fn get(conn: &Connection, name: &str) -> Result<Account> {
    let by_id = name
        .parse::<i64>()
        .ok()
        .map(|id| {
            conn.query_row(&format!("{SELECT} WHERE a.id = ?1"), [id], account)
                .optional()
        })
        .transpose()?
        .flatten();
    if let Some(a) = by_id {
        return Ok(a);
    }
    let handle = name.trim_start_matches('@');
    conn.query_row(
        &format!("{SELECT} WHERE a.handle = ?1 OR a.handle = ?2"),
        [name, handle],
        account,
    )
    .optional()?
    .ok_or_else(|| Error::invalid(format!("no account with id or handle {name:?}")))
}

pub fn list(conn: &Connection) -> Result<Vec<Account>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY a.status, a.platform, a.handle"))?;
    let rows = stmt.query_map([], account)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The active accounts an authorization covers (`None`: every active account).
pub fn in_scope(conn: &Connection, scope: Option<&[i64]>) -> Result<Vec<Account>> {
    Ok(list(conn)?
        .into_iter()
        .filter(|a| a.status == "active" && scope.is_none_or(|s| s.contains(&a.id)))
        .collect())
}

pub struct NewAccount {
    pub platform: String,
    pub handle: String,
    pub responsible: String,
    pub profile: String,
}

fn responsible_chief_deputy(tx: &Tx, id: &str) -> Result<String> {
    let e = roster::get(&tx.sql, id, tx.now)?;
    if e.rank != Rank::ChiefDeputy || e.status != EmploymentStatus::Active {
        return Err(Error::invalid(format!(
            "the responsible person must be an active chief_deputy (V.7); {} is {} and {}",
            e.name, e.rank, e.status
        )));
    }
    Ok(e.id)
}

pub fn add(store: &mut Store, me: &Me, new: NewAccount) -> Result<Account> {
    let entity = format!("account:{}", new.handle);
    store.write(me, "account.add", &entity, |tx| {
        tx.require(Permission::ManageAccounts)?;
        if !PLATFORMS.contains(&new.platform.as_str()) {
            return Err(Error::invalid(format!(
                "unknown platform {:?} (expected one of: {})",
                new.platform,
                PLATFORMS.join(", ")
            )));
        }
        let handle = new.handle.trim();
        if handle.is_empty() || handle.chars().count() > 100 || handle.chars().any(char::is_control)
        {
            return Err(Error::invalid("a handle is 1 to 100 printable characters"));
        }
        if handle.parse::<i64>().is_ok() {
            return Err(Error::invalid(
                "a handle cannot be only digits (it would read as an account id)",
            ));
        }
        if get(&tx.sql, handle).is_ok() {
            return Err(Error::invalid(format!(
                "an account with handle {handle:?} exists already"
            )));
        }
        let responsible = responsible_chief_deputy(tx, &new.responsible)?;
        tx.sql.execute(
            "INSERT INTO accounts (platform, handle, responsible, profile) VALUES (?1, ?2, ?3, ?4)",
            params![new.platform, handle, responsible, new.profile],
        )?;
        let created = get(&tx.sql, &tx.sql.last_insert_rowid().to_string())?;
        let state = json!({
            "id": created.id, "platform": created.platform, "handle": created.handle,
            "responsible": created.responsible, "profile": created.profile,
        });
        Ok((created, state))
    })
}

pub fn retire(store: &mut Store, me: &Me, name: &str) -> Result<Account> {
    store.write(me, "account.retire", &format!("account:{name}"), |tx| {
        tx.require(Permission::ManageAccounts)?;
        let a = get(&tx.sql, name)?;
        if a.status != "active" {
            return Err(Error::refused(format!(
                "refused: {} is already retired",
                a.handle
            )));
        }
        tx.sql.execute(
            "UPDATE accounts SET status = 'retired', version = version + 1 WHERE id = ?1",
            [a.id],
        )?;
        Ok((
            get(&tx.sql, &a.id.to_string())?,
            json!({ "id": a.id, "status": "retired" }),
        ))
    })
}

/// Marks every account `e` could post to as known to a departed member;
/// returns the accounts marked.
pub fn raise_departed(tx: &Tx, e: &roster::Employee, why: &str) -> Result<Vec<i64>> {
    let accounts = in_scope(&tx.sql, e.scope.as_deref())?;
    for a in &accounts {
        tx.sql.execute(
            "INSERT INTO departed_credentials (account, employee, raised_at, why) VALUES (?1, ?2, ?3, ?4)",
            params![a.id, e.id, tx.now_text(), why],
        )?;
    }
    Ok(accounts.into_iter().map(|a| a.id).collect())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartedWarning {
    pub account: i64,
    pub handle: String,
    pub raised_at: String,
    pub why: String,
}

/// Open warnings raised by this employee's departure.
pub fn departed_warnings_about(conn: &Connection, employee: &str) -> Result<Vec<DepartedWarning>> {
    let mut stmt = conn.prepare(
        "SELECT w.account, a.handle, w.raised_at, w.why FROM departed_credentials w
         JOIN accounts a ON a.id = w.account
         WHERE w.employee = ?1 AND w.cleared_at IS NULL ORDER BY w.id",
    )?;
    let rows = stmt.query_map([employee], |r| {
        Ok(DepartedWarning {
            account: r.get(0)?,
            handle: r.get(1)?,
            raised_at: r.get(2)?,
            why: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
