//! Violation cases (V.8, SPEC §5): personnel records that only approvers and
//! the assigned investigator may see, never their subject. Every read goes
//! through [`VISIBLE`], the one query for "cases this user may see".

use std::path::Path as FilePath;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::domain::case::{self, Deadline, Status, Step};
use crate::domain::permission::Permission;
use crate::domain::rank::EmploymentStatus;
use crate::error::{Error, Result};
use crate::store::{
    accounts, credentials, drafts, parse_timestamp, roster, settings, Me, Store, Tx,
};

/// The cases `?1` (an employee id) may see, given `?2` (whether they are
/// an approver): never their own, and otherwise all of them for approvers
/// and the ones they investigate for anyone else.
pub const VISIBLE: &str = "SELECT id FROM cases WHERE subject <> ?1 AND (?2 OR investigator = ?1)";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub at: String,
    pub by: String,
    pub kind: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub path: String,
    pub sha256: String,
    pub bytes: i64,
    pub by: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    pub id: String,
    #[serde(skip)]
    pub number: i64,
    pub subject: String,
    pub subject_name: String,
    pub clause: String,
    pub summary: String,
    pub status: String,
    pub disposition: Option<String>,
    pub investigator: Option<String>,
    pub due: String,
    pub clock_ends: String,
    pub opened_by: String,
    pub opened_at: String,
    pub closed_at: Option<String>,
    /// `fine`, `near`, `overdue` or `clock_run_out`.
    pub deadline: String,
    /// Linked items by their printed ids (`D-3`, `CR-2`, account handles).
    pub links: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub timeline: Vec<Entry>,
    pub version: i64,
}

const SELECT: &str = "
SELECT c.id, c.year, c.seq, c.subject, e.name, c.clause, c.summary, c.status, c.disposition,
       c.investigator, c.due, c.clock_ends, c.opened_by, c.opened_at, c.closed_at, c.version
FROM cases c JOIN employees e ON e.id = c.subject";

struct Head {
    number: i64,
    year: i32,
    seq: i64,
    subject: String,
    subject_name: String,
    clause: String,
    summary: String,
    status: String,
    disposition: Option<String>,
    investigator: Option<String>,
    due: String,
    clock_ends: String,
    opened_by: String,
    opened_at: String,
    closed_at: Option<String>,
    version: i64,
}

fn head(r: &Row) -> rusqlite::Result<Head> {
    Ok(Head {
        number: r.get(0)?,
        year: r.get(1)?,
        seq: r.get(2)?,
        subject: r.get(3)?,
        subject_name: r.get(4)?,
        clause: r.get(5)?,
        summary: r.get(6)?,
        status: r.get(7)?,
        disposition: r.get(8)?,
        investigator: r.get(9)?,
        due: r.get(10)?,
        clock_ends: r.get(11)?,
        opened_by: r.get(12)?,
        opened_at: r.get(13)?,
        closed_at: r.get(14)?,
        version: r.get(15)?,
    })
}

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| Error::Storage(format!("corrupt date {s:?} on a case")))
}

fn cook(conn: &Connection, h: Head, now: DateTime<Utc>) -> Result<Case> {
    let status = Status::parse(&h.status)?;
    let deadline = match case::deadline(status, date(&h.due)?, date(&h.clock_ends)?, now) {
        Deadline::Fine => "fine",
        Deadline::Near => "near",
        Deadline::Overdue => "overdue",
        Deadline::ClockRunOut => "clock_run_out",
    };
    let timeline = {
        let mut stmt = conn.prepare_cached(
            "SELECT at, by, kind, text FROM case_timeline WHERE case_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([h.number], |r| {
            Ok(Entry {
                at: r.get(0)?,
                by: r.get(1)?,
                kind: r.get(2)?,
                text: r.get(3)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let evidence = {
        let mut stmt = conn.prepare_cached(
            "SELECT path, sha256, bytes, by, at FROM case_evidence WHERE case_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([h.number], |r| {
            Ok(Evidence {
                path: r.get(0)?,
                sha256: r.get(1)?,
                bytes: r.get(2)?,
                by: r.get(3)?,
                at: r.get(4)?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let links = {
        let mut stmt = conn.prepare_cached(
            "SELECT l.kind, l.target, a.handle FROM case_links l
             LEFT JOIN accounts a ON l.kind = 'account' AND a.id = l.target
             WHERE l.case_id = ?1 ORDER BY l.kind, l.target",
        )?;
        let rows = stmt.query_map([h.number], |r| {
            let kind: String = r.get(0)?;
            let target: i64 = r.get(1)?;
            let handle: Option<String> = r.get(2)?;
            Ok(match kind.as_str() {
                "draft" => crate::domain::draft::printed_id(target),
                "credential" => crate::domain::credential::printed_id(target),
                _ => handle.unwrap_or_else(|| target.to_string()),
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    Ok(Case {
        id: case::printed_id(h.year, h.seq),
        number: h.number,
        subject: h.subject,
        subject_name: h.subject_name,
        clause: h.clause,
        summary: h.summary,
        status: h.status,
        disposition: h.disposition,
        investigator: h.investigator,
        due: h.due,
        clock_ends: h.clock_ends,
        opened_by: h.opened_by,
        opened_at: h.opened_at,
        closed_at: h.closed_at,
        deadline: deadline.into(),
        links,
        evidence,
        timeline,
        version: h.version,
    })
}

/// Whether `me` is an active approver: the roles that see every case but their own.
pub fn approver(conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<bool> {
    Ok(roster::actor(conn, me, now)?
        .is_some_and(|a| a.status == EmploymentStatus::Active && a.rank.is_approver()))
}

/// Every case `me` may see, newest first.
pub fn list(conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<Vec<Case>> {
    let approver = approver(conn, me, now)?;
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE c.id IN ({VISIBLE}) ORDER BY c.year DESC, c.seq DESC"
    ))?;
    let heads = stmt
        .query_map(params![me, approver], head)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    heads.into_iter().map(|h| cook(conn, h, now)).collect()
}

/// The ids of the cases about `subject` that `me` may see, newest first
/// (the roster card lists them without reading each case).
pub fn ids_about(
    conn: &Connection,
    me: &str,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let approver = approver(conn, me, now)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT printf('SM-%d-%04d', year, seq) FROM cases
         WHERE subject = ?3 AND id IN ({VISIBLE}) ORDER BY year DESC, seq DESC"
    ))?;
    let rows = stmt.query_map(params![me, approver, subject], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The same refusal for a case that does not exist and one `me` may not
/// see, so that nothing reveals whether a case exists (SPEC §5).
fn unseen(id: &str) -> Error {
    Error::refused(format!("refused: there is no case {id} that you may see"))
}

/// A case by its printed id, if `me` may see it.
pub fn get(conn: &Connection, me: &str, id: &str, now: DateTime<Utc>) -> Result<Case> {
    let (year, seq) = case::parse_id(id).map_err(|_| unseen(id))?;
    let approver = approver(conn, me, now)?;
    let found = conn
        .prepare_cached(&format!(
            "{SELECT} WHERE c.year = ?3 AND c.seq = ?4 AND c.id IN ({VISIBLE})"
        ))?
        .query_row(params![me, approver, year, seq], head)
        .optional()?;
    found
        .map(|h| cook(conn, h, now))
        .transpose()?
        .ok_or_else(|| unseen(id))
}

/// Entities of the audit log `me` may not see: the cases hidden from them.
pub fn hidden_entities_sql() -> String {
    format!(
        "SELECT 'case:' || printf('SM-%d-%04d', year, seq) FROM cases WHERE id NOT IN ({VISIBLE})"
    )
}

/// The audit entity of a refused look-up or change of a case: the same
/// whether the case exists or not.
const UNSEEN: &str = "case";

fn entity(id: &str) -> String {
    format!("case:{id}")
}

/// Shows a case and records that it was viewed (SPEC §6).
pub fn view(store: &mut Store, me: &Me, id: &str) -> Result<Case> {
    let found = get(store.conn(), &me.employee, id, store.now());
    match &found {
        Ok(c) => store.record(me, "case.view", &entity(&c.id), json!({ "id": c.id }))?,
        // Recorded under no case's name: an entry under the case's own
        // entity would be hidden from its subject, and that difference
        // would tell them the case exists.
        Err(Error::Refused(reason)) => store.record(
            me,
            "refused",
            UNSEEN,
            json!({ "attempted": "case.show", "reason": reason }),
        )?,
        Err(_) => {}
    }
    found
}

fn check_text(field: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(format!("the {field} is required")));
    }
    if text.chars().count() > 4000 {
        return Err(Error::invalid(format!(
            "the {field} is longer than 4,000 characters"
        )));
    }
    Ok(())
}

fn note(tx: &Tx, case_id: i64, kind: &str, text: &str) -> Result<()> {
    tx.sql.execute(
        "INSERT INTO case_timeline (case_id, by, at, kind, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![case_id, tx.me.employee, tx.now_text(), kind, text],
    )?;
    Ok(())
}

/// What a case may be linked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    Draft(i64),
    Credential(i64),
    Account(String),
}

fn link(tx: &Tx, case_id: i64, target: &Link) -> Result<String> {
    let (kind, id, shown) = match target {
        Link::Draft(n) => {
            let d = drafts::get(&tx.sql, *n, tx.now)?;
            ("draft", d.number, d.id)
        }
        Link::Credential(n) => {
            let c = credentials::get(&tx.sql, *n, tx.now)?;
            ("credential", c.number, c.id)
        }
        Link::Account(name) => {
            let a = accounts::get(&tx.sql, name)?;
            ("account", a.id, a.handle)
        }
    };
    tx.sql.execute(
        "INSERT OR IGNORE INTO case_links (case_id, kind, target) VALUES (?1, ?2, ?3)",
        params![case_id, kind, id],
    )?;
    Ok(shown)
}

pub struct NewCase {
    pub subject: String,
    pub clause: String,
    pub summary: String,
    pub links: Vec<Link>,
}

fn days_setting(conn: &Connection, key: &str) -> Result<i64> {
    Ok(i64::from(settings::number(conn, key)?))
}

pub fn open(store: &mut Store, me: &Me, new: NewCase) -> Result<Case> {
    store.write(me, "case.open", "case:new", |tx| {
        let subject = roster::get(&tx.sql, &new.subject, tx.now)?;
        tx.require(Permission::WorkCase {
            is_subject: subject.id == tx.me.employee,
            is_investigator: false,
        })?;
        case::check_clause(&new.clause)?;
        check_text("summary", &new.summary)?;
        let year = tx.now.year();
        let seq: i64 = tx.sql.query_row(
            "SELECT coalesce(max(seq), 0) + 1 FROM cases WHERE year = ?1",
            [year],
            |r| r.get(0),
        )?;
        let today = tx.now.date_naive();
        let due = today + Duration::days(days_setting(&tx.sql, "case_due_days")?);
        let clock = today + Duration::days(days_setting(&tx.sql, "case_clock_days")?);
        tx.sql.execute(
            "INSERT INTO cases (year, seq, subject, clause, summary, status, due, clock_ends, opened_by, opened_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7, ?8, ?9)",
            params![year, seq, subject.id, new.clause, new.summary, due.to_string(), clock.to_string(), tx.me.employee, tx.now_text()],
        )?;
        let number = tx.sql.last_insert_rowid();
        note(tx, number, "opened", &format!("{} ({})", new.clause, new.summary))?;
        let mut linked = Vec::new();
        for l in &new.links {
            linked.push(link(tx, number, l)?);
        }
        if !linked.is_empty() {
            note(tx, number, "linked", &linked.join(", "))?;
        }
        let id = case::printed_id(year, seq);
        tx.entity = Some(entity(&id));
        let created = get(&tx.sql, &tx.me.employee, &id, tx.now)?;
        let state = json!({
            "id": id, "subject": subject.id, "clause": new.clause, "summary": new.summary,
            "due": due.to_string(), "links": linked,
        });
        Ok((created, state))
    })
}

/// What can be done to an open case, beyond the status steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Work {
    Note(String),
    Assign(String),
    Due(String),
    Evidence(String),
    Link(Link),
    Step(Step, Option<String>),
}

impl Work {
    fn action(&self) -> &'static str {
        match self {
            Work::Note(_) => "case.note",
            Work::Assign(_) => "case.assign",
            Work::Due(_) => "case.due",
            Work::Evidence(_) => "case.evidence",
            Work::Link(_) => "case.link",
            Work::Step(Step::Start, _) => "case.start",
            Work::Step(Step::Finding, _) => "case.finding",
            Work::Step(Step::Close, _) => "case.close",
            Work::Step(Step::Reopen, _) => "case.reopen",
        }
    }
}

/// Hashes an evidence file before anything is written: a missing file
/// records nothing.
fn hash_file(path: &str) -> Result<(String, i64)> {
    let bytes = std::fs::read(FilePath::new(path))
        .map_err(|e| Error::invalid(format!("cannot read evidence file {path}: {e}")))?;
    Ok((hex::encode(Sha256::digest(&bytes)), bytes.len() as i64))
}

pub fn work(store: &mut Store, me: &Me, id: &str, what: Work) -> Result<Case> {
    let hashed = match &what {
        Work::Evidence(path) => Some(hash_file(path)?),
        _ => None,
    };
    let action = what.action();
    store.write(me, action, UNSEEN, |tx| {
        let c = get(&tx.sql, &tx.me.employee, id, tx.now)?;
        tx.entity = Some(entity(&c.id));
        let is_investigator = c.investigator.as_deref() == Some(tx.me.employee.as_str());
        let approver_only = matches!(what, Work::Assign(_) | Work::Due(_) | Work::Step(Step::Reopen, _));
        tx.require(Permission::WorkCase {
            is_subject: false,
            is_investigator: is_investigator && !approver_only,
        })?;
        let status = Status::parse(&c.status)?;
        if status == Status::Closed && !matches!(what, Work::Step(Step::Reopen, _) | Work::Note(_)) {
            return Err(Error::refused(format!(
                "refused: {} is closed; reopen it first (with a reason)",
                c.id
            )));
        }
        let state = match &what {
            Work::Note(text) => {
                check_text("note", text)?;
                note(tx, c.number, "note", text)?;
                json!({ "id": c.id, "note": text })
            }
            Work::Assign(who) => {
                let e = roster::get(&tx.sql, who, tx.now)?;
                if e.id == c.subject {
                    return Err(Error::refused("refused: the subject cannot investigate their own case"));
                }
                if e.status == EmploymentStatus::Separated {
                    return Err(Error::refused(format!("refused: {} is separated", e.name)));
                }
                tx.sql.execute(
                    "UPDATE cases SET investigator = ?2, version = version + 1 WHERE id = ?1",
                    params![c.number, e.id],
                )?;
                note(tx, c.number, "assigned", &format!("{} ({})", e.name, e.id))?;
                json!({ "id": c.id, "investigator": e.id })
            }
            Work::Due(day) => {
                let due = NaiveDate::parse_from_str(day, "%Y-%m-%d")
                    .map_err(|_| Error::invalid(format!("{day:?} is not a date (YYYY-MM-DD)")))?;
                tx.sql.execute(
                    "UPDATE cases SET due = ?2, version = version + 1 WHERE id = ?1",
                    params![c.number, due.to_string()],
                )?;
                note(tx, c.number, "due", &format!("due {due} (was {})", c.due))?;
                json!({ "id": c.id, "due": due.to_string() })
            }
            Work::Evidence(path) => {
                let (sha256, bytes) = hashed.clone().unwrap_or_default();
                tx.sql.execute(
                    "INSERT INTO case_evidence (case_id, path, sha256, bytes, by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![c.number, path, sha256, bytes, tx.me.employee, tx.now_text()],
                )?;
                note(tx, c.number, "evidence", &format!("{path} sha256:{sha256}"))?;
                json!({ "id": c.id, "path": path, "sha256": sha256, "bytes": bytes })
            }
            Work::Link(target) => {
                let shown = link(tx, c.number, target)?;
                note(tx, c.number, "linked", &shown)?;
                json!({ "id": c.id, "link": shown })
            }
            Work::Step(step, text) => {
                let Some(to) = case::next(status, *step) else {
                    return Err(Error::refused(format!(
                        "refused: {} is {}; you cannot {} it now",
                        c.id,
                        c.status,
                        step.verb()
                    )));
                };
                let disposition = match step {
                    Step::Finding => {
                        let d = text.clone().unwrap_or_default();
                        case::check_disposition(&d)?;
                        Some(d)
                    }
                    _ => None,
                };
                if *step == Step::Reopen {
                    check_text("reason", text.as_deref().unwrap_or_default())?;
                }
                tx.sql.execute(
                    "UPDATE cases SET status = ?2, disposition = ?3,
                            closed_at = CASE WHEN ?2 = 'closed' THEN ?4 ELSE NULL END,
                            version = version + 1
                     WHERE id = ?1",
                    params![
                        c.number,
                        to.as_str(),
                        match to {
                            Status::Finding => disposition.clone(),
                            Status::Closed => c.disposition.clone(),
                            _ => None,
                        },
                        tx.now_text()
                    ],
                )?;
                let said = match (step, &disposition, text) {
                    (Step::Finding, Some(d), _) => format!("finding: {d}"),
                    (Step::Reopen, _, Some(reason)) => format!("reopened: {reason}"),
                    _ => to.as_str().to_string(),
                };
                note(tx, c.number, to.as_str(), &said)?;
                json!({ "id": c.id, "status": to.as_str(), "disposition": disposition, "reason": text })
            }
        };
        let after = get(&tx.sql, &tx.me.employee, id, tx.now)?;
        Ok((after, state))
    })
}

/// One event counted toward an early warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signal {
    /// The item's printed id: `D-3`, `CR-2`, `SM-2026-0001`.
    pub item: String,
    pub what: String,
    pub at: String,
}

/// The events that count toward `employee`'s early warning within the
/// window (SPEC, Cases: rejected drafts, dismissed blocking findings on
/// their drafts, exigent changes they logged, sustained cases). Sustained
/// cases count only where `viewer` may see them.
pub fn signals(
    conn: &Connection,
    employee: &str,
    viewer: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Signal>> {
    let window = days_setting(conn, "warning_window_days")?;
    let since = crate::store::timestamp(now - Duration::days(window));
    let mut out = Vec::new();
    let mut collect =
        |sql: &str, args: &[&dyn rusqlite::ToSql], what: &str, prefix: &str| -> Result<()> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map(args, |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (item, at) = row?;
                out.push(Signal {
                    item: format!("{prefix}{item}"),
                    what: what.to_string(),
                    at,
                });
            }
            Ok(())
        };
    collect(
        "SELECT CAST(x.draft AS TEXT), x.at FROM decisions x JOIN drafts d ON d.id = x.draft
         WHERE d.author = ?1 AND x.decision = 'rejected' AND x.at >= ?2",
        &[&employee, &since],
        "draft rejected",
        "D-",
    )?;
    collect(
        "SELECT CAST(x.draft AS TEXT), x.at FROM dismissals x
         JOIN findings f ON f.draft = x.draft AND f.revision = x.revision AND f.n = x.finding
         JOIN drafts d ON d.id = x.draft
         WHERE d.author = ?1 AND f.severity = 'blocking' AND x.at >= ?2",
        &[&employee, &since],
        "blocking finding dismissed",
        "D-",
    )?;
    collect(
        "SELECT CAST(id AS TEXT), requested_at FROM credential_changes
         WHERE requested_by = ?1 AND path = 'exigent' AND requested_at >= ?2",
        &[&employee, &since],
        "exigent credential change",
        "CR-",
    )?;
    let approver = approver(conn, viewer, now)?;
    collect(
        "SELECT printf('SM-%d-%04d', c.year, c.seq), t.at FROM cases c
         JOIN case_timeline t ON t.case_id = c.id AND t.kind = 'finding'
         WHERE c.subject = ?1 AND c.disposition = 'sustained' AND t.at >= ?3
           AND c.id IN (SELECT id FROM cases WHERE subject <> ?2 AND (?4 OR investigator = ?2))",
        &[&employee, &viewer, &since, &approver],
        "sustained case",
        "",
    )?;
    out.sort_by(|a, b| a.at.cmp(&b.at));
    Ok(out)
}

/// The early-warning flag: the signals, when they reach the threshold.
pub fn early_warning(
    conn: &Connection,
    employee: &str,
    viewer: &str,
    now: DateTime<Utc>,
) -> Result<Option<Vec<Signal>>> {
    let signals = signals(conn, employee, viewer, now)?;
    let times = signals
        .iter()
        .map(|s| parse_timestamp(&s.at))
        .collect::<Result<Vec<_>>>()?;
    let window = settings::number(conn, "warning_window_days")?;
    let threshold = settings::number(conn, "warning_threshold")?;
    Ok(case::early_warning(&times, window, threshold, now).then_some(signals))
}
