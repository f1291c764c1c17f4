//! Drafts (SPEC §3): immutable revisions screened when saved, media hashed
//! when attached, and decisions that bind to the exact revision approved.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::domain::draft::{self, DraftStatus, Step};
use crate::domain::permission::Permission;
use crate::domain::screening::{self, Rules, Severity};
use crate::error::{Error, Result};
use crate::store::{accounts, parse_timestamp, roster, settings, Me, Store, Tx};

/// A file to attach, as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaInput {
    pub path: String,
    pub depicts_operations: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Media {
    pub n: i64,
    pub path: String,
    pub sha256: String,
    pub bytes: i64,
    pub kind: String,
    pub depicts_operations: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dismissal {
    pub by: String,
    pub at: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub n: i64,
    pub clause: String,
    pub severity: Severity,
    /// Character offsets of the matched text in the revision: [start, end).
    pub span: [usize; 2],
    /// Byte offsets of the same, for highlighting.
    #[serde(skip)]
    pub bytes: (usize, usize),
    pub text: String,
    pub rule: String,
    pub explanation: String,
    pub dismissed: bool,
    pub dismissal: Option<Dismissal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub revision: i64,
    pub decision: String,
    pub express: bool,
    pub by: String,
    pub at: String,
    pub reason: Option<String>,
    pub policy_effective: String,
    pub policy_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub by: String,
    pub at: String,
    pub text: String,
}

/// One draft as `draft show` prints it and the Drafts tab shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    pub id: String,
    #[serde(skip)]
    pub number: i64,
    pub account: i64,
    pub handle: String,
    pub platform: String,
    /// The account's responsible Chief Deputy.
    pub responsible: String,
    pub author: String,
    pub author_name: String,
    pub purpose: String,
    pub status: DraftStatus,
    pub revision: i64,
    pub text: String,
    pub findings: Vec<Finding>,
    pub media: Vec<Media>,
    pub approved_by: Option<String>,
    pub approved_revision: Option<i64>,
    pub express: bool,
    pub url: Option<String>,
    pub published_at: Option<String>,
    pub published_by: Option<String>,
    pub created_at: String,
    pub submitted_at: Option<String>,
    /// Submitted longer than `draft_stale_days` ago.
    pub stale: bool,
    /// The current revision has a finding only an express approval clears.
    pub needs_express: bool,
    /// Blocking findings not yet dismissed.
    pub blocking_open: usize,
    pub version: i64,
    /// The text of the revision last decided on, for the reviewer's diff.
    pub reviewed_text: Option<String>,
    pub reviewed_revision: Option<i64>,
    pub decisions: Vec<Decision>,
    pub notes: Vec<Note>,
}

const SELECT: &str = "
SELECT d.id, d.account, a.handle, a.platform, a.responsible, d.author, e.name, d.purpose, d.status,
       d.revision, r.text, d.approved_by, d.approved_revision, d.express, d.url, d.published_at,
       d.published_by, d.created_at, d.submitted_at, d.version, d.reviewed_revision, a.profile
FROM drafts d
JOIN accounts a ON a.id = d.account
JOIN employees e ON e.id = d.author
JOIN revisions r ON r.draft = d.id AND r.n = d.revision";

struct Head {
    number: i64,
    account: i64,
    handle: String,
    platform: String,
    responsible: String,
    author: String,
    author_name: String,
    purpose: String,
    status: String,
    revision: i64,
    text: String,
    approved_by: Option<String>,
    approved_revision: Option<i64>,
    express: bool,
    url: Option<String>,
    published_at: Option<String>,
    published_by: Option<String>,
    created_at: String,
    submitted_at: Option<String>,
    version: i64,
    reviewed_revision: Option<i64>,
}

fn head(r: &Row) -> rusqlite::Result<Head> {
    Ok(Head {
        number: r.get(0)?,
        account: r.get(1)?,
        handle: r.get(2)?,
        platform: r.get(3)?,
        responsible: r.get(4)?,
        author: r.get(5)?,
        author_name: r.get(6)?,
        purpose: r.get(7)?,
        status: r.get(8)?,
        revision: r.get(9)?,
        text: r.get(10)?,
        approved_by: r.get(11)?,
        approved_revision: r.get(12)?,
        express: r.get(13)?,
        url: r.get(14)?,
        published_at: r.get(15)?,
        published_by: r.get(16)?,
        created_at: r.get(17)?,
        submitted_at: r.get(18)?,
        version: r.get(19)?,
        reviewed_revision: r.get(20)?,
    })
}

fn char_offset(text: &str, byte: usize) -> usize {
    text.get(..byte.min(text.len()))
        .map(|s| s.chars().count())
        .unwrap_or(0)
}

fn findings(conn: &Connection, draft: i64, revision: i64, text: &str) -> Result<Vec<Finding>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.n, f.clause, f.severity, f.start, f.end, f.matched, f.rule, f.explanation,
                x.by, x.at, x.reason
         FROM findings f
         LEFT JOIN dismissals x ON x.draft = f.draft AND x.revision = f.revision AND x.finding = f.n
         WHERE f.draft = ?1 AND f.revision = ?2 ORDER BY f.n",
    )?;
    let rows = stmt.query_map(params![draft, revision], |r| {
        let start: i64 = r.get(3)?;
        let end: i64 = r.get(4)?;
        let severity: String = r.get(2)?;
        let by: Option<String> = r.get(8)?;
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            severity,
            start as usize,
            end as usize,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
            match by {
                Some(by) => Some(Dismissal {
                    by,
                    at: r.get(9)?,
                    reason: r.get(10)?,
                }),
                None => None,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (n, clause, severity, start, end, text_matched, rule, explanation, dismissal) = row?;
        let severity = match severity.as_str() {
            "blocking" => Severity::Blocking,
            "express" => Severity::Express,
            _ => Severity::Advisory,
        };
        out.push(Finding {
            n,
            clause,
            severity,
            span: [char_offset(text, start), char_offset(text, end)],
            bytes: (start, end),
            text: text_matched,
            rule,
            explanation,
            dismissed: dismissal.is_some(),
            dismissal,
        });
    }
    Ok(out)
}

fn media(conn: &Connection, draft: i64, revision: i64) -> Result<Vec<Media>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n, path, sha256, bytes, kind, depicts_operations FROM media
         WHERE draft = ?1 AND revision = ?2 ORDER BY n",
    )?;
    let rows = stmt.query_map(params![draft, revision], |r| {
        Ok(Media {
            n: r.get(0)?,
            path: r.get(1)?,
            sha256: r.get(2)?,
            bytes: r.get(3)?,
            kind: r.get(4)?,
            depicts_operations: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn decisions(conn: &Connection, draft: i64) -> Result<Vec<Decision>> {
    let mut stmt = conn.prepare_cached(
        "SELECT revision, decision, express, by, at, reason, policy_effective, policy_sha256
         FROM decisions WHERE draft = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([draft], |r| {
        Ok(Decision {
            revision: r.get(0)?,
            decision: r.get(1)?,
            express: r.get(2)?,
            by: r.get(3)?,
            at: r.get(4)?,
            reason: r.get(5)?,
            policy_effective: r.get(6)?,
            policy_sha256: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn notes(conn: &Connection, draft: i64) -> Result<Vec<Note>> {
    let mut stmt =
        conn.prepare_cached("SELECT by, at, text FROM notes WHERE draft = ?1 ORDER BY id")?;
    let rows = stmt.query_map([draft], |r| {
        Ok(Note {
            by: r.get(0)?,
            at: r.get(1)?,
            text: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn stale_after(conn: &Connection) -> Result<Duration> {
    Ok(Duration::days(i64::from(settings::number(
        conn,
        "draft_stale_days",
    )?)))
}

fn cook(conn: &Connection, h: Head, now: DateTime<Utc>, stale: Duration) -> Result<Draft> {
    let status: DraftStatus = h
        .status
        .parse()
        .map_err(|_| Error::Storage(format!("corrupt status on draft {}", h.number)))?;
    let findings = findings(conn, h.number, h.revision, &h.text)?;
    let needs_express = findings.iter().any(|f| f.severity == Severity::Express);
    let blocking_open = findings
        .iter()
        .filter(|f| f.severity == Severity::Blocking && !f.dismissed)
        .count();
    let is_stale = status == DraftStatus::Submitted
        && match &h.submitted_at {
            Some(at) => now - parse_timestamp(at)? > stale,
            None => false,
        };
    let reviewed_text = match h.reviewed_revision {
        Some(n) if n != h.revision => conn
            .query_row(
                "SELECT text FROM revisions WHERE draft = ?1 AND n = ?2",
                params![h.number, n],
                |r| r.get(0),
            )
            .optional()?,
        _ => None,
    };
    Ok(Draft {
        id: draft::printed_id(h.number),
        number: h.number,
        account: h.account,
        handle: h.handle,
        platform: h.platform,
        responsible: h.responsible,
        author: h.author,
        author_name: h.author_name,
        purpose: h.purpose,
        status,
        revision: h.revision,
        media: media(conn, h.number, h.revision)?,
        findings,
        text: h.text,
        approved_by: h.approved_by,
        approved_revision: h.approved_revision,
        express: h.express,
        url: h.url,
        published_at: h.published_at,
        published_by: h.published_by,
        created_at: h.created_at,
        submitted_at: h.submitted_at,
        stale: is_stale,
        needs_express,
        blocking_open,
        version: h.version,
        reviewed_text,
        reviewed_revision: h.reviewed_revision,
        decisions: decisions(conn, h.number)?,
        notes: notes(conn, h.number)?,
    })
}

pub fn get(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<Draft> {
    let found = conn
        .prepare_cached(&format!("{SELECT} WHERE d.id = ?1"))?
        .query_row([id], head)
        .optional()?;
    let h = found.ok_or_else(|| Error::invalid(format!("no draft {}", draft::printed_id(id))))?;
    let stale = stale_after(conn)?;
    cook(conn, h, now, stale)
}

fn many(
    conn: &Connection,
    sql: &str,
    args: &[&dyn rusqlite::ToSql],
    now: DateTime<Utc>,
) -> Result<Vec<Draft>> {
    let stale = stale_after(conn)?;
    let mut stmt = conn.prepare_cached(sql)?;
    let heads = stmt
        .query_map(args, head)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    heads
        .into_iter()
        .map(|h| cook(conn, h, now, stale))
        .collect()
}

/// Every draft, newest first, or those in one status.
pub fn list(
    conn: &Connection,
    status: Option<DraftStatus>,
    now: DateTime<Utc>,
) -> Result<Vec<Draft>> {
    let status = status.map(DraftStatus::as_str);
    many(
        conn,
        &format!("{SELECT} WHERE ?1 IS NULL OR d.status = ?1 ORDER BY d.id DESC"),
        &[&status],
        now,
    )
}

/// How many drafts await `me` (the Drafts tab's title count and `inbox`).
pub fn awaiting(conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<usize> {
    count_view(conn, View::Queue, me, now)
}

fn entity(id: i64) -> String {
    format!("draft:{}", draft::printed_id(id))
}

fn media_kind(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "heic" | "heif" | "tif" | "tiff" | "bmp" => {
            "photo"
        }
        "mp4" | "mov" | "m4v" | "avi" | "webm" | "mkv" => "video",
        _ => "other",
    }
}

/// Opens a media file without blocking (a FIFO would otherwise wait for a
/// writer forever), accepts only a regular file (not a device such as
/// /dev/zero, a directory or a pipe), and hashes it as a stream.
fn hash_file(path: &str) -> std::io::Result<(String, i64)> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut file, &mut hasher)?;
    Ok((hex::encode(hasher.finalize()), bytes as i64))
}

/// Reads and hashes every file before anything is written: a missing or
/// unreadable file creates nothing.
fn hash_media(inputs: &[MediaInput]) -> Result<Vec<Media>> {
    inputs
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (sha256, bytes) = hash_file(&m.path).map_err(|e| {
                Error::invalid(format!(
                    "cannot read media file {}: {e}",
                    crate::text::inert(&m.path)
                ))
            })?;
            Ok(Media {
                n: i as i64 + 1,
                path: m.path.clone(),
                sha256,
                bytes,
                kind: media_kind(&m.path).to_string(),
                depicts_operations: m.depicts_operations,
            })
        })
        .collect()
}

fn check_text(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid("the draft's text is empty"));
    }
    if text.chars().count() > 20_000 {
        return Err(Error::invalid(
            "the draft's text is longer than 20,000 characters",
        ));
    }
    Ok(())
}

/// Saves revision `n` with its media and screening findings.
fn save_revision(
    tx: &Tx,
    rules: &Rules,
    draft: i64,
    n: i64,
    text: &str,
    media: &[Media],
    profile: &str,
) -> Result<usize> {
    tx.sql.execute(
        "INSERT INTO revisions (draft, n, text, created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![draft, n, text, tx.now_text(), tx.me.employee],
    )?;
    for m in media {
        tx.sql.execute(
            "INSERT INTO media (draft, revision, n, path, sha256, bytes, kind, depicts_operations)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                draft,
                n,
                m.n,
                m.path,
                m.sha256,
                m.bytes,
                m.kind,
                m.depicts_operations
            ],
        )?;
    }
    let facts: Vec<screening::Media> = media
        .iter()
        .map(|m| screening::Media {
            path: &m.path,
            depicts_operations: m.depicts_operations,
        })
        .collect();
    let profile = Some(profile).filter(|p| !p.trim().is_empty());
    let found = screening::screen(rules, text, &facts, profile);
    for (i, f) in found.iter().enumerate() {
        tx.sql.execute(
            "INSERT INTO findings (draft, revision, n, clause, severity, start, end, matched, rule, explanation)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                draft,
                n,
                i as i64 + 1,
                f.clause,
                f.severity.as_str(),
                f.start as i64,
                f.end as i64,
                f.matched,
                f.rule,
                f.explanation
            ],
        )?;
    }
    Ok(found.len())
}

pub struct NewDraft {
    pub account: String,
    pub purpose: String,
    pub text: String,
    pub media: Vec<MediaInput>,
}

fn may_post(tx: &Tx, account: &accounts::Account) -> Result<()> {
    tx.require(Permission::WriteDraft)?;
    if account.status != "active" {
        return Err(Error::refused(format!(
            "refused: {} is retired",
            account.handle
        )));
    }
    let me = roster::get(&tx.sql, &tx.me.employee, tx.now)?;
    if me.scope.as_ref().is_some_and(|s| !s.contains(&account.id)) {
        return Err(Error::refused(format!(
            "refused: your team authorization does not cover {}",
            account.handle
        )));
    }
    Ok(())
}

pub fn create(store: &mut Store, me: &Me, rules: &Rules, new: NewDraft) -> Result<Draft> {
    let media = hash_media(&new.media)?;
    store.write(me, "draft.new", "draft:new", |tx| {
        let account = accounts::get(&tx.sql, &new.account)?;
        may_post(tx, &account)?;
        if !rules.purposes().iter().any(|p| p == &new.purpose) {
            return Err(Error::invalid(format!(
                "unknown purpose {:?} (V.3: one of {})",
                new.purpose,
                rules.purposes().join(", ")
            )));
        }
        check_text(&new.text)?;
        tx.sql.execute(
            "INSERT INTO drafts (account, author, purpose, status, revision, created_at)
             VALUES (?1, ?2, ?3, 'draft', 1, ?4)",
            params![account.id, tx.me.employee, new.purpose, tx.now_text()],
        )?;
        let id = tx.sql.last_insert_rowid();
        tx.entity = Some(entity(id));
        let found = save_revision(tx, rules, id, 1, &new.text, &media, &account.profile)?;
        let created = get(&tx.sql, id, tx.now)?;
        let state = json!({
            "id": created.id, "account": account.id, "purpose": new.purpose, "revision": 1,
            "text": new.text, "media": media, "findings": found,
        });
        Ok((created, state))
    })
}

/// Loads the draft a step acts on and checks its status allows the step.
fn load_for(tx: &Tx, id: i64, step: Step) -> Result<(Draft, DraftStatus)> {
    let d = get(&tx.sql, id, tx.now)?;
    match draft::next(d.status, step) {
        Some(to) => Ok((d, to)),
        None => Err(status_refusal(&d, step)),
    }
}

fn status_refusal(d: &Draft, step: Step) -> Error {
    Error::refused(format!(
        "refused: {} is {}; you cannot {} it now",
        d.id,
        d.status,
        step.verb()
    ))
}

fn require_author(tx: &Tx, d: &Draft) -> Result<()> {
    tx.require(Permission::WriteDraft)?;
    if d.author != tx.me.employee {
        return Err(Error::refused(format!(
            "refused: only its author ({}) may change {}",
            d.author_name, d.id
        )));
    }
    Ok(())
}

/// A new revision; an approval or submission in force is voided (SPEC §3.1).
pub fn edit(
    store: &mut Store,
    me: &Me,
    rules: &Rules,
    id: i64,
    text: &str,
    new_media: Option<Vec<MediaInput>>,
) -> Result<Draft> {
    let hashed = new_media.as_deref().map(hash_media).transpose()?;
    store.write(me, "draft.edit", &entity(id), |tx| {
        let (d, to) = load_for(tx, id, Step::Edit)?;
        require_author(tx, &d)?;
        check_text(text)?;
        let media = match &hashed {
            Some(m) => m.clone(),
            None => d.media.clone(),
        };
        let account = accounts::get(&tx.sql, &d.account.to_string())?;
        let n = d.revision + 1;
        let found = save_revision(tx, rules, id, n, text, &media, &account.profile)?;
        let voided = d.status == DraftStatus::Approved;
        tx.sql.execute(
            "UPDATE drafts SET revision = ?2, status = ?3, approved_by = NULL, approved_revision = NULL,
                    express = 0, version = version + 1
             WHERE id = ?1",
            params![id, n, to.as_str()],
        )?;
        let after = get(&tx.sql, id, tx.now)?;
        let state = json!({
            "id": after.id, "revision": n, "text": text, "media": media, "findings": found,
            "status": to, "approval_voided": voided,
        });
        Ok((after, state))
    })
}

pub fn submit(store: &mut Store, me: &Me, rules: &Rules, id: i64, attest: bool) -> Result<Draft> {
    store.write(me, "draft.submit", &entity(id), |tx| {
        let (d, to) = load_for(tx, id, Step::Submit)?;
        require_author(tx, &d)?;
        if !attest {
            return Err(Error::refused(format!(
                "refused: submitting is your attestation of the V.6 checklist; read it and submit with --attest:\n{}",
                draft::CHECKLIST
                    .iter()
                    .map(|c| format!("  [ ] {c}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )));
        }
        let checklist = json!(draft::CHECKLIST).to_string();
        tx.sql.execute(
            "INSERT INTO attestations (draft, revision, by, at, checklist) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, d.revision, tx.me.employee, tx.now_text(), checklist],
        )?;
        tx.sql.execute(
            "UPDATE drafts SET status = ?2, submitted_at = ?3, version = version + 1 WHERE id = ?1",
            params![id, to.as_str(), tx.now_text()],
        )?;
        let after = get(&tx.sql, id, tx.now)?;
        let state = json!({
            "id": after.id, "revision": d.revision, "status": to, "attested": draft::CHECKLIST,
            "policy": rules.version(),
        });
        Ok((after, state))
    })
}

pub fn withdraw(store: &mut Store, me: &Me, id: i64) -> Result<Draft> {
    store.write(me, "draft.withdraw", &entity(id), |tx| {
        let (d, to) = load_for(tx, id, Step::Withdraw)?;
        require_author(tx, &d)?;
        tx.sql.execute(
            "UPDATE drafts SET status = ?2, version = version + 1 WHERE id = ?1",
            params![id, to.as_str()],
        )?;
        let after = get(&tx.sql, id, tx.now)?;
        Ok((after, json!({ "id": draft::printed_id(id), "status": to })))
    })
}

/// A reviewer's decision on a submitted draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Approve { express: bool },
    Reject { reason: String },
    RequestChanges { reason: String },
}

impl Verdict {
    fn step(&self) -> Step {
        match self {
            Verdict::Approve { .. } => Step::Approve,
            Verdict::Reject { .. } => Step::Reject,
            Verdict::RequestChanges { .. } => Step::RequestChanges,
        }
    }

    fn action(&self) -> &'static str {
        match self {
            Verdict::Approve { .. } => "draft.approve",
            Verdict::Reject { .. } => "draft.reject",
            Verdict::RequestChanges { .. } => "draft.changes",
        }
    }
}

fn who(conn: &Connection, id: &str, now: DateTime<Utc>) -> String {
    roster::find(conn, id, now)
        .ok()
        .flatten()
        .map(|e| format!("{} ({id})", e.name))
        .unwrap_or_else(|| id.to_string())
}

/// The conflict a late decider gets: who decided first, and how.
fn already_decided(conn: &Connection, d: &Draft, now: DateTime<Utc>) -> Error {
    match d.decisions.last() {
        Some(last) => Error::Conflict(format!(
            "{} was already decided: {} by {} at {}; nothing was changed",
            d.id,
            last.decision.replace('_', " "),
            who(conn, &last.by, now),
            last.at
        )),
        None => Error::Conflict(format!(
            "{} changed since you opened it; nothing was changed",
            d.id
        )),
    }
}

/// Decides a submitted draft. `seen_version` is the version the deciding
/// screen showed: if another session changed the draft since, nothing is
/// overwritten and the user is told who decided and how (SPEC §3.3).
pub fn decide(
    store: &mut Store,
    me: &Me,
    rules: &Rules,
    id: i64,
    verdict: Verdict,
    seen_version: Option<i64>,
) -> Result<Draft> {
    let action = verdict.action();
    // A decision already taken is answered without waiting for the write
    // lock; the check inside the transaction below is the one that counts.
    if let (Ok(d), Ok(Some(actor))) = (get(store.conn(), id, store.now()), store.actor(me)) {
        let may = crate::domain::permission::allows(
            &actor,
            Permission::DecideDraft {
                is_author: d.author == me.employee,
            },
        );
        if may && draft::decided(d.status) {
            return Err(already_decided(store.conn(), &d, store.now()));
        }
    }
    store.write(me, action, &entity(id), |tx| {
        let d = get(&tx.sql, id, tx.now)?;
        tx.require(Permission::DecideDraft {
            is_author: d.author == tx.me.employee,
        })?;
        if draft::decided(d.status) {
            return Err(already_decided(&tx.sql, &d, tx.now));
        }
        let Some(to) = draft::next(d.status, verdict.step()) else {
            return Err(status_refusal(&d, verdict.step()));
        };
        if seen_version.is_some_and(|v| v != d.version) {
            return Err(already_decided(&tx.sql, &d, tx.now));
        }
        let (express, reason) = match &verdict {
            Verdict::Approve { express } => {
                if *express {
                    tx.require(Permission::ExpressApproval {
                        responsible: d.responsible == tx.me.employee,
                    })?;
                } else if d.needs_express {
                    return Err(Error::refused(format!(
                        "refused: {} has findings that need express approval (V.6.c) by the responsible Chief Deputy, an assistant chief or the chief: use approve --express",
                        d.id
                    )));
                }
                if d.blocking_open > 0 {
                    let open: Vec<String> = d
                        .findings
                        .iter()
                        .filter(|f| f.severity == Severity::Blocking && !f.dismissed)
                        .map(|f| format!("#{} {} \"{}\"", f.n, f.clause, f.text))
                        .collect();
                    return Err(Error::refused(format!(
                        "refused: {} has blocking findings an approver must dismiss with a reason first: {}",
                        d.id,
                        open.join(", ")
                    )));
                }
                (*express, None)
            }
            Verdict::Reject { reason } | Verdict::RequestChanges { reason } => {
                if reason.trim().is_empty() {
                    return Err(Error::invalid("a reason is required"));
                }
                (false, Some(reason.clone()))
            }
        };
        let version = rules.version();
        tx.sql.execute(
            "INSERT INTO decisions (draft, revision, decision, express, by, at, reason, policy_effective, policy_sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![id, d.revision, to.as_str(), express, tx.me.employee, tx.now_text(), reason, version.effective, version.rules_sha256],
        )?;
        let approved = to == DraftStatus::Approved;
        let changed = tx.sql.execute(
            "UPDATE drafts SET status = ?2, version = version + 1, reviewed_revision = revision,
                    approved_by = CASE WHEN ?3 THEN ?4 ELSE NULL END,
                    approved_revision = CASE WHEN ?3 THEN revision ELSE NULL END,
                    express = ?5
             WHERE id = ?1 AND version = ?6 AND status = 'submitted'",
            params![id, to.as_str(), approved, tx.me.employee, express, d.version],
        )?;
        if changed != 1 {
            return Err(already_decided(&tx.sql, &d, tx.now));
        }
        let after = get(&tx.sql, id, tx.now)?;
        let state = json!({
            "id": after.id, "revision": d.revision, "decision": to, "express": express,
            "reason": reason, "policy": version,
        });
        Ok((after, state))
    })
}

pub fn dismiss(store: &mut Store, me: &Me, id: i64, finding: i64, reason: &str) -> Result<Draft> {
    store.write(me, "draft.dismiss", &entity(id), |tx| {
        let d = get(&tx.sql, id, tx.now)?;
        tx.require(Permission::DecideDraft {
            is_author: d.author == tx.me.employee,
        })?;
        if reason.trim().is_empty() {
            return Err(Error::invalid("a reason is required"));
        }
        let f = d.findings.iter().find(|f| f.n == finding).ok_or_else(|| {
            Error::invalid(format!(
                "{} revision {} has no finding {finding} (it has {})",
                d.id,
                d.revision,
                d.findings.len()
            ))
        })?;
        if f.severity == Severity::Express {
            return Err(Error::refused(format!(
                "refused: finding {finding} ({}) needs express approval; it cannot be dismissed (V.6.c)",
                f.clause
            )));
        }
        if f.dismissed {
            return Err(Error::refused(format!(
                "refused: finding {finding} is already dismissed"
            )));
        }
        if !matches!(d.status, DraftStatus::Submitted | DraftStatus::Draft | DraftStatus::ChangesRequested) {
            return Err(Error::refused(format!(
                "refused: {} is {}; its findings are kept as they are",
                d.id, d.status
            )));
        }
        tx.sql.execute(
            "INSERT INTO dismissals (draft, revision, finding, by, at, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, d.revision, finding, tx.me.employee, tx.now_text(), reason],
        )?;
        tx.sql.execute(
            "UPDATE drafts SET version = version + 1 WHERE id = ?1",
            [id],
        )?;
        let after = get(&tx.sql, id, tx.now)?;
        let state = json!({
            "id": after.id, "revision": d.revision, "finding": finding, "clause": f.clause,
            "reason": reason,
        });
        Ok((after, state))
    })
}

pub fn publish(store: &mut Store, me: &Me, id: i64, url: &str) -> Result<Draft> {
    store.write(me, "draft.publish", &entity(id), |tx| {
        let (d, to) = load_for(tx, id, Step::Publish)?;
        let account = accounts::get(&tx.sql, &d.account.to_string())?;
        may_post(tx, &account)?;
        if d.approved_revision != Some(d.revision) {
            return Err(Error::refused(format!(
                "refused: the approval of {} does not cover its current revision",
                d.id
            )));
        }
        let url = url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.len() > 2000
            || url.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(Error::invalid(format!(
                "{url:?} is not a web address (https://…)"
            )));
        }
        tx.sql.execute(
            "UPDATE drafts SET status = ?2, url = ?3, published_at = ?4, published_by = ?5,
                    version = version + 1
             WHERE id = ?1",
            params![id, to.as_str(), url, tx.now_text(), tx.me.employee],
        )?;
        let after = get(&tx.sql, id, tx.now)?;
        let state = json!({ "id": after.id, "revision": d.revision, "url": url });
        Ok((after, state))
    })
}

/// A reviewer note: part of the record, never of the published text.
pub fn note(store: &mut Store, me: &Me, id: i64, text: &str) -> Result<Draft> {
    store.write(me, "draft.note", &entity(id), |tx| {
        let d = get(&tx.sql, id, tx.now)?;
        if d.author != tx.me.employee {
            tx.require(Permission::DecideDraft { is_author: false })?;
        } else {
            tx.require(Permission::WriteDraft)?;
        }
        if text.trim().is_empty() || text.chars().count() > 4000 {
            return Err(Error::invalid("a note is 1 to 4,000 characters"));
        }
        tx.sql.execute(
            "INSERT INTO notes (draft, by, at, text) VALUES (?1, ?2, ?3, ?4)",
            params![id, tx.me.employee, tx.now_text(), text],
        )?;
        let after = get(&tx.sql, id, tx.now)?;
        let state = json!({ "id": after.id, "text": text });
        Ok((after, state))
    })
}

/// Which drafts a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Submitted drafts awaiting this user's decision, oldest first.
    Queue,
    /// This user's own drafts, newest first.
    Mine,
    /// Every draft, newest first.
    All,
}

impl View {
    pub fn title(self) -> &'static str {
        match self {
            View::Queue => "awaiting your decision",
            View::Mine => "your drafts",
            View::All => "all drafts",
        }
    }

    pub fn next(self) -> View {
        match self {
            View::Queue => View::Mine,
            View::Mine => View::All,
            View::All => View::Queue,
        }
    }

    fn clause(self) -> &'static str {
        match self {
            View::Queue => {
                "WHERE d.status = 'submitted' AND d.author <> ?1 ORDER BY d.submitted_at, d.id"
            }
            View::Mine => "WHERE d.author = ?1 ORDER BY d.id DESC",
            View::All => "WHERE ?1 IS NOT NULL ORDER BY d.id DESC",
        }
    }
}

fn decides(conn: &Connection, me: &str, now: DateTime<Utc>) -> Result<bool> {
    Ok(roster::actor(conn, me, now)?.is_some_and(|a| {
        crate::domain::permission::allows(&a, Permission::DecideDraft { is_author: false })
    }))
}

pub fn count_view(conn: &Connection, view: View, me: &str, now: DateTime<Utc>) -> Result<usize> {
    if view == View::Queue && !decides(conn, me, now)? {
        return Ok(0);
    }
    let clause = view.clause();
    let filter = &clause[..clause.find(" ORDER BY").unwrap_or(clause.len())];
    let n: i64 = conn.query_row(
        &format!("SELECT count(*) FROM drafts d {filter}"),
        [me],
        |r| r.get(0),
    )?;
    Ok(n as usize)
}

/// A window of a view: only the rows asked for are read.
pub fn window(
    conn: &Connection,
    view: View,
    me: &str,
    offset: usize,
    limit: usize,
    now: DateTime<Utc>,
) -> Result<Vec<Draft>> {
    if view == View::Queue && !decides(conn, me, now)? {
        return Ok(Vec::new());
    }
    many(
        conn,
        &format!("{SELECT} {} LIMIT ?2 OFFSET ?3", view.clause()),
        &[&me, &(limit as i64), &(offset as i64)],
        now,
    )
}
