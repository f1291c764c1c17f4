//! The roster (SPEC §2): employees, team authorizations and the delegation,
//! read and written with their audit events.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::json;

use crate::domain::permission::{Actor, Permission};
use crate::domain::rank::{EmploymentStatus, Rank};
use crate::domain::team::{self, Grant, Standing};
use crate::error::{Error, Result};
use crate::store::{accounts, parse_timestamp, settings, Me, Store, Tx};

/// One roster entry with what the policy derives from it today.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Employee {
    pub id: String,
    pub name: String,
    pub rank: Rank,
    pub unit: String,
    pub login: Option<String>,
    pub email: String,
    pub phone: String,
    pub status: EmploymentStatus,
    pub hired_on: Option<String>,
    pub separated_on: Option<String>,
    pub team_member: bool,
    pub delegate: bool,
    pub responsible_for: Vec<i64>,
    /// The team authorization's standing: `current`, `due_for_recertification`, …
    pub team: Standing,
    /// The delegation's standing, for the one who holds it.
    pub delegation: Standing,
    /// Accounts the authorization covers; `None` is every active account.
    #[serde(skip)]
    pub scope: Option<Vec<i64>>,
}

impl Employee {
    pub fn actor(&self) -> Actor {
        Actor {
            rank: self.rank,
            status: self.status,
            delegate: self.delegate,
            team_member: self.team_member,
        }
    }

    /// Separation revokes: an authorization in force on a separated
    /// employee must never persist (SPEC §2).
    pub fn separated_but_authorized(&self) -> bool {
        self.status == EmploymentStatus::Separated && self.team.in_force()
    }

    pub fn recertification_due(&self) -> bool {
        matches!(self.team, Standing::DueForRecertification { .. })
            || matches!(self.delegation, Standing::DueForRecertification { .. })
    }

    pub fn lapsed(&self) -> bool {
        matches!(self.team, Standing::Lapsed { .. })
            || matches!(self.delegation, Standing::Lapsed { .. })
    }

    /// The short flags the roster list shows, in a fixed order.
    pub fn flags(&self) -> Vec<&'static str> {
        let mut f = Vec::new();
        if self.team_member {
            f.push("team");
        }
        if self.delegate {
            f.push("delegate");
        }
        if !self.responsible_for.is_empty() {
            f.push("responsible");
        }
        if self.status == EmploymentStatus::Leave {
            f.push("leave");
        }
        if self.status == EmploymentStatus::Separated {
            f.push("separated");
        }
        if self.separated_but_authorized() {
            f.push("SEPARATED-BUT-AUTHORIZED");
        }
        if self.recertification_due() {
            f.push("recertify");
        }
        if self.lapsed() {
            f.push("lapsed");
        }
        f
    }
}

const SELECT: &str = "
SELECT e.id, e.name, e.rank, e.unit, e.login, e.email, e.phone, e.status, e.hired_on,
       e.separated_on, a.authorized_at, a.revoked_at, a.accounts, d.granted_at,
       (SELECT json_group_array(x.id) FROM accounts x
         WHERE x.responsible = e.id AND x.status = 'active')
FROM employees e
LEFT JOIN authorizations a ON a.id = (SELECT max(id) FROM authorizations WHERE employee = e.id)
LEFT JOIN delegations d ON d.employee = e.id AND d.revoked_at IS NULL";

struct RawEmployee {
    id: String,
    name: String,
    rank: String,
    unit: String,
    login: Option<String>,
    email: String,
    phone: String,
    status: String,
    hired_on: Option<String>,
    separated_on: Option<String>,
    authorized_at: Option<String>,
    revoked_at: Option<String>,
    scope: Option<String>,
    delegated_at: Option<String>,
    responsible_for: String,
}

fn raw(r: &Row) -> rusqlite::Result<RawEmployee> {
    Ok(RawEmployee {
        id: r.get(0)?,
        name: r.get(1)?,
        rank: r.get(2)?,
        unit: r.get(3)?,
        login: r.get(4)?,
        email: r.get(5)?,
        phone: r.get(6)?,
        status: r.get(7)?,
        hired_on: r.get(8)?,
        separated_on: r.get(9)?,
        authorized_at: r.get(10)?,
        revoked_at: r.get(11)?,
        scope: r.get(12)?,
        delegated_at: r.get(13)?,
        responsible_for: r.get(14)?,
    })
}

fn cook(raw: RawEmployee, months: u32, now: DateTime<Utc>) -> Result<Employee> {
    let corrupt = |what: &str| Error::Storage(format!("corrupt {what} for employee {}", raw.id));
    let status: EmploymentStatus = raw.status.parse().map_err(|_| corrupt("status"))?;
    let rank: Rank = raw.rank.parse().map_err(|_| corrupt("rank"))?;
    let authorization = match &raw.authorized_at {
        Some(at) => Some(Grant {
            granted_at: parse_timestamp(at)?,
            revoked_at: raw.revoked_at.as_deref().map(parse_timestamp).transpose()?,
        }),
        None => None,
    };
    let team = team::standing(authorization.as_ref(), months, now);
    let delegation = match &raw.delegated_at {
        Some(at) => team::standing(
            Some(&Grant {
                granted_at: parse_timestamp(at)?,
                revoked_at: None,
            }),
            months,
            now,
        ),
        None => Standing::None,
    };
    let scope = raw
        .scope
        .as_deref()
        .map(serde_json::from_str::<Vec<i64>>)
        .transpose()
        .map_err(|_| corrupt("account scope"))?;
    let responsible_for =
        serde_json::from_str(&raw.responsible_for).map_err(|_| corrupt("accounts"))?;
    Ok(Employee {
        team_member: team::is_team_member(status, team),
        delegate: status == EmploymentStatus::Active
            && rank == Rank::ChiefDeputy
            && delegation.in_force(),
        id: raw.id,
        name: raw.name,
        rank,
        unit: raw.unit,
        login: raw.login,
        email: raw.email,
        phone: raw.phone,
        status,
        hired_on: raw.hired_on,
        separated_on: raw.separated_on,
        responsible_for,
        team,
        delegation,
        scope,
    })
}

fn months(conn: &Connection) -> Result<u32> {
    settings::number(conn, "authorization_months")
}

pub fn find(conn: &Connection, id: &str, now: DateTime<Utc>) -> Result<Option<Employee>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE e.id = ?1"))?;
    let found = stmt.query_row([id], raw).optional()?;
    found.map(|r| cook(r, months(conn)?, now)).transpose()
}

/// An employee by id, or by login when no id matches.
pub fn get(conn: &Connection, id: &str, now: DateTime<Utc>) -> Result<Employee> {
    if let Some(e) = find(conn, id, now)? {
        return Ok(e);
    }
    if let Some(e) = by_login(conn, id, now)? {
        return Ok(e);
    }
    Err(Error::invalid(format!("no employee with id {id:?}")))
}

pub fn by_login(conn: &Connection, login: &str, now: DateTime<Utc>) -> Result<Option<Employee>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE e.login = ?1"))?;
    let found = stmt.query_row([login], raw).optional()?;
    found.map(|r| cook(r, months(conn)?, now)).transpose()
}

/// The acting employee's standing, or None if they are not on the roster.
pub fn actor(conn: &Connection, id: &str, now: DateTime<Utc>) -> Result<Option<Actor>> {
    Ok(find(conn, id, now)?.map(|e| e.actor()))
}

/// How many employees the roster holds. No row is ever deleted (a trigger
/// refuses it) and rowids are handed out in order, so the highest rowid is
/// the count: read from the end of the b-tree, not by visiting every row.
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(rowid), 0) FROM employees", [], |r| {
            r.get(0)
        })?,
    )
}

/// A window of the roster in name order: only the rows asked for are read.
pub fn window(
    conn: &Connection,
    offset: i64,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Employee>> {
    let months = months(conn)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE e.rowid IN (SELECT rowid FROM employees ORDER BY name, id LIMIT ?1 OFFSET ?2)
         ORDER BY e.name, e.id"
    ))?;
    let rows = stmt.query_map(params![limit, offset], raw)?;
    rows.map(|r| cook(r?, months, now)).collect()
}

/// Employees by id, in the order given (the fuzzy filter's best matches).
pub fn by_ids(conn: &Connection, ids: &[String], now: DateTime<Utc>) -> Result<Vec<Employee>> {
    ids.iter().map(|id| get(conn, id, now)).collect()
}

/// What the fuzzy filter matches on: id, and "name id login unit".
pub fn haystacks(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT id, name || ' ' || id || ' ' || coalesce(login, '') || ' ' || unit
         FROM employees ORDER BY name, id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One line of an employee's team or delegation history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantRecord {
    pub granted_at: String,
    pub granted_by: String,
    pub accounts: Option<String>,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    #[serde(flatten)]
    pub employee: Employee,
    pub authorizations: Vec<GrantRecord>,
    pub delegations: Vec<GrantRecord>,
    /// Handles of the accounts this employee may post to while a team member.
    pub may_post_to: Vec<String>,
    /// Handles of the accounts this employee is the responsible Chief Deputy for.
    pub responsible_handles: Vec<String>,
    pub departed_warnings: Vec<accounts::DepartedWarning>,
    /// Exigent changes this employee made whose notice is overdue (V.7).
    pub overdue_changes: Vec<String>,
    /// Cases about this employee that the viewer may see (never their own).
    pub cases: Vec<String>,
    /// The early-warning signals, when they reach the threshold.
    pub early_warning: Option<Vec<crate::store::cases::Signal>>,
}

fn history(conn: &Connection, sql: &str, id: &str) -> Result<Vec<GrantRecord>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([id], |r| {
        Ok(GrantRecord {
            granted_at: r.get(0)?,
            granted_by: r.get(1)?,
            accounts: r.get(2)?,
            revoked_at: r.get(3)?,
            revoked_by: r.get(4)?,
            reason: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An employee's card as `viewer` may see it.
pub fn card(conn: &Connection, id: &str, viewer: &str, now: DateTime<Utc>) -> Result<Card> {
    let employee = get(conn, id, now)?;
    let authorizations = history(
        conn,
        "SELECT authorized_at, authorized_by, accounts, revoked_at, revoked_by, reason
         FROM authorizations WHERE employee = ?1 ORDER BY id DESC",
        &employee.id,
    )?;
    let delegations = history(
        conn,
        "SELECT granted_at, granted_by, NULL, revoked_at, revoked_by, reason
         FROM delegations WHERE employee = ?1 ORDER BY id DESC",
        &employee.id,
    )?;
    let may_post_to = if employee.team.in_force() {
        accounts::in_scope(conn, employee.scope.as_deref())?
            .into_iter()
            .map(|a| a.handle)
            .collect()
    } else {
        Vec::new()
    };
    let responsible_handles = employee
        .responsible_for
        .iter()
        .map(|a| accounts::get(conn, &a.to_string()).map(|a| a.handle))
        .collect::<Result<_>>()?;
    let departed_warnings = accounts::departed_warnings_about(conn, &employee.id)?;
    let overdue_changes = crate::store::credentials::overdue_by(conn, &employee.id, now)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let cases = crate::store::cases::ids_about(conn, viewer, &employee.id, now)?;
    // A supervisory flag: shown only to those who work cases.
    let early_warning =
        if crate::store::cases::approver(conn, viewer, now)? && viewer != employee.id {
            crate::store::cases::early_warning(conn, &employee.id, viewer, now)?
        } else {
            None
        };
    Ok(Card {
        employee,
        authorizations,
        delegations,
        may_post_to,
        responsible_handles,
        departed_warnings,
        overdue_changes,
        cases,
        early_warning,
    })
}

/// A new roster entry, as typed or imported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewEmployee {
    pub id: String,
    pub name: String,
    pub rank: String,
    pub unit: String,
    pub login: Option<String>,
    pub email: String,
    pub phone: String,
    pub status: String,
    pub hired_on: Option<String>,
}

struct Checked {
    rank: Rank,
    status: EmploymentStatus,
    login: Option<String>,
}

fn check_id(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 32
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "employee id {id:?} must be 1 to 32 letters, digits, '-', '_' or '.'"
        )))
    }
}

fn check_login(login: &str) -> Result<()> {
    let ok = !login.is_empty()
        && login.len() <= 32
        && !login.starts_with('-')
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "login {login:?} must be an OS account name: 1 to 32 letters, digits, '-', '_' or '.'"
        )))
    }
}

fn check_text(field: &str, value: &str, max: usize, required: bool) -> Result<()> {
    if required && value.trim().is_empty() {
        return Err(Error::invalid(format!("{field} is required")));
    }
    if value.chars().count() > max {
        return Err(Error::invalid(format!(
            "{field} is longer than {max} characters"
        )));
    }
    Ok(())
}

fn check_date(field: &str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| Error::invalid(format!("{field} {value:?} is not a date (YYYY-MM-DD)")))
}

impl NewEmployee {
    fn check(&self) -> Result<Checked> {
        check_id(&self.id)?;
        check_text("name", &self.name, 200, true)?;
        check_text("unit", &self.unit, 100, false)?;
        check_text("email", &self.email, 200, false)?;
        check_text("phone", &self.phone, 50, false)?;
        let rank = self.rank.parse()?;
        let status = if self.status.is_empty() {
            EmploymentStatus::Active
        } else {
            self.status.parse()?
        };
        let login = self.login.clone().filter(|l| !l.is_empty());
        if let Some(l) = &login {
            check_login(l)?;
        }
        if let Some(d) = &self.hired_on {
            check_date("hired_on", d)?;
        }
        Ok(Checked {
            rank,
            status,
            login,
        })
    }

    fn insert(&self, tx: &Tx, checked: &Checked) -> Result<()> {
        if find(&tx.sql, &self.id, tx.now)?.is_some() {
            return Err(Error::invalid(format!(
                "employee id {:?} is already on the roster",
                self.id
            )));
        }
        if let Some(l) = &checked.login {
            if let Some(other) = by_login(&tx.sql, l, tx.now)? {
                return Err(Error::invalid(format!(
                    "login {l:?} already belongs to {} ({})",
                    other.name, other.id
                )));
            }
        }
        let separated_on = (checked.status == EmploymentStatus::Separated)
            .then(|| tx.now.date_naive().to_string());
        tx.sql.execute(
            "INSERT INTO employees (id, name, rank, unit, login, email, phone, status, hired_on, separated_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                self.id,
                self.name,
                checked.rank.as_str(),
                self.unit,
                checked.login,
                self.email,
                self.phone,
                checked.status.as_str(),
                self.hired_on,
                separated_on
            ],
        )?;
        Ok(())
    }

    fn state(&self, checked: &Checked) -> serde_json::Value {
        json!({
            "id": self.id, "name": self.name, "rank": checked.rank, "unit": self.unit,
            "login": checked.login, "email": self.email, "phone": self.phone,
            "status": checked.status, "hired_on": self.hired_on,
        })
    }
}

fn entity(id: &str) -> String {
    format!("employee:{id}")
}

/// Only the chief may make, unmake or separate a chief: the rank carries the
/// chief-only powers (settings, the delegation), which are not the delegate's
/// to hand out or take away.
fn require_chief(tx: &Tx) -> Result<()> {
    match &tx.actor {
        Some(a) if a.rank == Rank::Chief => Ok(()),
        _ => Err(Error::refused(
            "refused: only the chief may add a chief, change a rank to or from chief, or separate a chief",
        )),
    }
}

/// Prefixes an import error with its line, keeping a refusal a refusal.
fn at_line(line: u64, e: Error) -> Error {
    match e {
        Error::Refused(m) => Error::Refused(format!("line {line}: {m}; nothing was imported")),
        e => Error::invalid(format!("line {line}: {e}; nothing was imported")),
    }
}

/// The first chief of a new database (`init`): nobody can authorize this
/// write, so it is the one write that checks no permission.
pub fn found(store: &mut Store, me: &Me, chief: NewEmployee) -> Result<Employee> {
    let id = chief.id.clone();
    store.write(me, "init", &entity(&id), |tx| {
        if count(&tx.sql)? > 0 {
            return Err(Error::refused(
                "refused: this database already has a roster",
            ));
        }
        let checked = chief.check()?;
        if checked.rank != Rank::Chief {
            return Err(Error::invalid("the first employee must be the chief"));
        }
        chief.insert(tx, &checked)?;
        Ok((get(&tx.sql, &id, tx.now)?, chief.state(&checked)))
    })
}

pub fn add(store: &mut Store, me: &Me, new: NewEmployee) -> Result<Employee> {
    let id = new.id.clone();
    store.write(me, "roster.add", &entity(&id), |tx| {
        tx.require(Permission::EditRoster)?;
        let checked = new.check()?;
        if checked.rank == Rank::Chief {
            require_chief(tx)?;
        }
        new.insert(tx, &checked)?;
        Ok((get(&tx.sql, &id, tx.now)?, new.state(&checked)))
    })
}

/// Changes to an existing entry; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmployeeEdit {
    pub name: Option<String>,
    pub rank: Option<String>,
    pub unit: Option<String>,
    pub login: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: Option<String>,
}

pub fn edit(store: &mut Store, me: &Me, id: &str, change: EmployeeEdit) -> Result<Employee> {
    store.write(me, "roster.edit", &entity(id), |tx| {
        tx.require(Permission::EditRoster)?;
        let before = get(&tx.sql, id, tx.now)?;
        let id = before.id.as_str();
        let name = change.name.clone().unwrap_or(before.name.clone());
        check_text("name", &name, 200, true)?;
        let unit = change.unit.clone().unwrap_or(before.unit.clone());
        check_text("unit", &unit, 100, false)?;
        let email = change.email.clone().unwrap_or(before.email.clone());
        check_text("email", &email, 200, false)?;
        let phone = change.phone.clone().unwrap_or(before.phone.clone());
        check_text("phone", &phone, 50, false)?;
        let rank: Rank = match &change.rank {
            Some(r) => r.parse()?,
            None => before.rank,
        };
        let status: EmploymentStatus = match &change.status {
            Some(s) => s.parse()?,
            None => before.status,
        };
        if before.status == EmploymentStatus::Separated {
            return Err(Error::refused(format!(
                "refused: {} is separated; the record is kept as it was",
                before.name
            )));
        }
        if status == EmploymentStatus::Separated {
            return Err(Error::invalid(
                "record a separation with `roster separate`, which also ends team authorization",
            ));
        }
        if rank != before.rank && (rank == Rank::Chief || before.rank == Rank::Chief) {
            require_chief(tx)?;
        }
        let stays_chief = rank == Rank::Chief && status == EmploymentStatus::Active;
        if before.rank == Rank::Chief && before.status == EmploymentStatus::Active && !stays_chief {
            let others: i64 = tx.sql.query_row(
                "SELECT count(*) FROM employees
                 WHERE rank = 'chief' AND status = 'active' AND id <> ?1",
                [id],
                |r| r.get(0),
            )?;
            if others == 0 {
                return Err(Error::refused(format!(
                    "refused: {} is the only active chief; add an acting chief first, or no one could change settings or the delegation again",
                    before.name
                )));
            }
        }
        if rank != Rank::ChiefDeputy && before.rank == Rank::ChiefDeputy {
            if before.delegation != Standing::None {
                return Err(Error::refused(format!(
                    "refused: {} holds the delegation; revoke it before changing rank",
                    before.name
                )));
            }
            if !before.responsible_for.is_empty() {
                return Err(Error::refused(format!(
                    "refused: {} is the responsible Chief Deputy for accounts; reassign them before changing rank",
                    before.name
                )));
            }
        }
        let login = match &change.login {
            Some(l) if l.is_empty() => None,
            Some(l) => {
                check_login(l)?;
                if let Some(other) = by_login(&tx.sql, l, tx.now)? {
                    if other.id != id {
                        return Err(Error::invalid(format!(
                            "login {l:?} already belongs to {} ({})",
                            other.name, other.id
                        )));
                    }
                }
                Some(l.clone())
            }
            None => before.login.clone(),
        };
        tx.sql.execute(
            "UPDATE employees SET name = ?2, rank = ?3, unit = ?4, login = ?5, email = ?6,
                    phone = ?7, status = ?8, version = version + 1
             WHERE id = ?1",
            params![id, name, rank.as_str(), unit, login, email, phone, status.as_str()],
        )?;
        let after = get(&tx.sql, id, tx.now)?;
        let state = json!({
            "id": id, "name": name, "rank": rank, "unit": unit, "login": login,
            "email": email, "phone": phone, "status": status,
        });
        Ok((after, state))
    })
}

/// The CSV header `roster import` takes (SPEC §7).
pub const IMPORT_HEADER: [&str; 8] = [
    "id", "name", "rank", "unit", "login", "email", "phone", "status",
];

/// Reads a roster CSV completely before writing: any bad row rejects the
/// whole file, naming its line, and nothing is imported.
pub fn parse_import(text: &str) -> Result<Vec<NewEmployee>> {
    Ok(parse_import_lines(text)?
        .into_iter()
        .map(|(_, r)| r)
        .collect())
}

/// The line a CSV record starts on. The reader's position is where it began
/// reading, before the blank lines it skips, so those are skipped here too.
fn line_of(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64
}

/// [`parse_import`] with each row's line number in the file, so errors found
/// while inserting name the right line (blank lines and quoted line breaks
/// included).
fn parse_import_lines(text: &str) -> Result<Vec<(u64, NewEmployee)>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Error::invalid(format!("line 1: cannot read the header: {e}")))?
        .clone();
    let got: Vec<&str> = header.iter().collect();
    if got != IMPORT_HEADER {
        return Err(Error::invalid(format!(
            "line 1: the header must be {}, not {}; nothing was imported",
            IMPORT_HEADER.join(","),
            got.join(",")
        )));
    }
    let mut rows = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let mut logins = std::collections::HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| line_of(text, p.byte())).unwrap_or(0);
            Error::invalid(format!("line {line}: {e}; nothing was imported"))
        })?;
        let line = record
            .position()
            .map(|p| line_of(text, p.byte()))
            .unwrap_or(0);
        let at_line = |e: Error| Error::invalid(format!("line {line}: {e}; nothing was imported"));
        let field = |i: usize| record.get(i).unwrap_or("").to_string();
        let row = NewEmployee {
            id: field(0),
            name: field(1),
            rank: field(2),
            unit: field(3),
            login: Some(field(4)).filter(|l| !l.is_empty()),
            email: field(5),
            phone: field(6),
            status: field(7),
            hired_on: None,
        };
        row.check().map_err(at_line)?;
        if !ids.insert(row.id.clone()) {
            return Err(at_line(Error::invalid(format!(
                "duplicate id {:?} in the file",
                row.id
            ))));
        }
        if let Some(l) = &row.login {
            if !logins.insert(l.clone()) {
                return Err(at_line(Error::invalid(format!(
                    "duplicate login {l:?} in the file"
                ))));
            }
        }
        rows.push((line, row));
    }
    if rows.is_empty() {
        return Err(Error::invalid("the file has no rows; nothing was imported"));
    }
    Ok(rows)
}

/// Adds every row of a checked import in one transaction, or none.
pub fn import(store: &mut Store, me: &Me, text: &str) -> Result<usize> {
    store.write(me, "roster.import", "roster", |tx| {
        tx.require(Permission::EditRoster)?;
        let rows = parse_import_lines(text)?;
        let mut states = Vec::with_capacity(rows.len());
        for (line, row) in &rows {
            let checked = row.check()?;
            if checked.rank == Rank::Chief {
                require_chief(tx).map_err(|e| at_line(*line, e))?;
            }
            row.insert(tx, &checked).map_err(|e| at_line(*line, e))?;
            states.push(row.state(&checked));
        }
        Ok((rows.len(), json!({ "imported": states })))
    })
}

fn active_target(tx: &Tx, id: &str) -> Result<Employee> {
    let e = get(&tx.sql, id, tx.now)?;
    if e.status == EmploymentStatus::Separated {
        return Err(Error::refused(format!(
            "refused: {} ({}) is separated",
            e.name, e.id
        )));
    }
    Ok(e)
}

/// Authorizes (or renews) team membership, for every active account or
/// only those named (V.1.a).
pub fn authorize(
    store: &mut Store,
    me: &Me,
    id: &str,
    scope: Option<Vec<String>>,
) -> Result<Employee> {
    store.write(me, "roster.authorize", &entity(id), |tx| {
        tx.require(Permission::ManageTeam)?;
        let e = active_target(tx, id)?;
        let scope_ids = scope
            .as_ref()
            .map(|names| {
                names
                    .iter()
                    .map(|n| accounts::get(&tx.sql, n).map(|a| a.id))
                    .collect::<Result<Vec<i64>>>()
            })
            .transpose()?;
        let renewal = e.team.in_force();
        if renewal {
            tx.sql.execute(
                "UPDATE authorizations SET revoked_at = ?2, revoked_by = ?3, reason = 'renewed'
                 WHERE id = (SELECT max(id) FROM authorizations WHERE employee = ?1)",
                params![e.id, tx.now_text(), tx.me.employee],
            )?;
        }
        let scope_json = scope_ids.as_ref().map(|s| json!(s).to_string());
        tx.sql.execute(
            "INSERT INTO authorizations (employee, authorized_at, authorized_by, accounts)
             VALUES (?1, ?2, ?3, ?4)",
            params![e.id, tx.now_text(), tx.me.employee, scope_json],
        )?;
        let after = get(&tx.sql, &e.id, tx.now)?;
        let state =
            json!({ "id": e.id, "accounts": scope_ids, "renewal": renewal, "team": after.team });
        Ok((after, state))
    })
}

/// Ends a team authorization in force and raises the departed-member
/// warning on every account the employee could post to.
fn end_authorization(tx: &Tx, e: &Employee, reason: &str) -> Result<Vec<i64>> {
    if !e.team.in_force() && !matches!(e.team, Standing::Lapsed { .. }) {
        return Ok(Vec::new());
    }
    tx.sql.execute(
        "UPDATE authorizations SET revoked_at = ?2, revoked_by = ?3, reason = ?4
         WHERE id = (SELECT max(id) FROM authorizations WHERE employee = ?1)",
        params![e.id, tx.now_text(), tx.me.employee, reason],
    )?;
    accounts::raise_departed(tx, e, reason)
}

pub fn revoke(store: &mut Store, me: &Me, id: &str, reason: &str) -> Result<Employee> {
    store.write(me, "roster.revoke", &entity(id), |tx| {
        tx.require(Permission::ManageTeam)?;
        check_text("reason", reason, 500, true)?;
        let e = get(&tx.sql, id, tx.now)?;
        if !e.team.in_force() && !matches!(e.team, Standing::Lapsed { .. }) {
            return Err(Error::refused(format!(
                "refused: {} ({}) holds no team authorization to revoke",
                e.name, e.id
            )));
        }
        let warned = end_authorization(tx, &e, reason)?;
        let after = get(&tx.sql, &e.id, tx.now)?;
        let state = json!({ "id": e.id, "reason": reason, "departed_credentials": warned });
        Ok((after, state))
    })
}

/// Records a separation: ends team authorization and the delegation at once (V.1.a).
pub fn separate(store: &mut Store, me: &Me, id: &str, on: Option<&str>) -> Result<Employee> {
    store.write(me, "roster.separate", &entity(id), |tx| {
        tx.require(Permission::EditRoster)?;
        let e = active_target(tx, id)?;
        if e.id == tx.me.employee {
            return Err(Error::refused(
                "refused: you cannot record your own separation",
            ));
        }
        if e.rank == Rank::Chief {
            require_chief(tx)?;
        }
        let on = match on {
            Some(d) => check_date("separation date", d)?.to_string(),
            None => tx.now.date_naive().to_string(),
        };
        tx.sql.execute(
            "UPDATE employees SET status = 'separated', separated_on = ?2, version = version + 1
             WHERE id = ?1",
            params![e.id, on],
        )?;
        let warned = end_authorization(tx, &e, "separated")?;
        let delegation_ended = tx.sql.execute(
            "UPDATE delegations SET revoked_at = ?2, revoked_by = ?3, reason = 'separated'
             WHERE employee = ?1 AND revoked_at IS NULL",
            params![e.id, tx.now_text(), tx.me.employee],
        )? > 0;
        let after = get(&tx.sql, &e.id, tx.now)?;
        let state = json!({
            "id": e.id, "separated_on": on, "departed_credentials": warned,
            "delegation_ended": delegation_ended,
        });
        Ok((after, state))
    })
}

/// Grants (or renews) the chief's delegation to a Chief Deputy (V.2); a
/// delegation held by someone else ends.
pub fn delegate(store: &mut Store, me: &Me, id: &str) -> Result<Employee> {
    store.write(me, "roster.delegate", &entity(id), |tx| {
        tx.require(Permission::ManageDelegation)?;
        let e = active_target(tx, id)?;
        if e.rank != Rank::ChiefDeputy || e.status != EmploymentStatus::Active {
            return Err(Error::refused(format!(
                "refused: the delegation goes to an active chief_deputy; {} is {} and {}",
                e.name, e.rank, e.status
            )));
        }
        let previous: Option<String> = tx
            .sql
            .query_row(
                "SELECT employee FROM delegations WHERE revoked_at IS NULL",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let reason = if previous.as_deref() == Some(e.id.as_str()) {
            "renewed".to_string()
        } else {
            format!("passed to {}", e.id)
        };
        tx.sql.execute(
            "UPDATE delegations SET revoked_at = ?1, revoked_by = ?2, reason = ?3
             WHERE revoked_at IS NULL",
            params![tx.now_text(), tx.me.employee, reason],
        )?;
        tx.sql.execute(
            "INSERT INTO delegations (employee, granted_at, granted_by) VALUES (?1, ?2, ?3)",
            params![e.id, tx.now_text(), tx.me.employee],
        )?;
        let after = get(&tx.sql, &e.id, tx.now)?;
        Ok((after, json!({ "id": e.id, "previous": previous })))
    })
}

pub fn undelegate(store: &mut Store, me: &Me) -> Result<Option<String>> {
    store.write(me, "roster.undelegate", "delegation", |tx| {
        tx.require(Permission::ManageDelegation)?;
        let holder: Option<String> = tx
            .sql
            .query_row(
                "SELECT employee FROM delegations WHERE revoked_at IS NULL",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let Some(holder) = holder else {
            return Err(Error::refused("refused: no one holds the delegation"));
        };
        tx.sql.execute(
            "UPDATE delegations SET revoked_at = ?1, revoked_by = ?2, reason = 'revoked'
             WHERE revoked_at IS NULL",
            params![tx.now_text(), tx.me.employee],
        )?;
        Ok((Some(holder.clone()), json!({ "id": holder })))
    })
}
