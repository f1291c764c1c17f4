//! The audit log (V.5): append-only events, each hashed over its content and
//! the previous event's hash, so any later change breaks the chain.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub struct NewEvent<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub os_user: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub state: &'a Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub os_user: String,
    pub action: String,
    pub entity: String,
    pub state: String,
    pub hash: String,
}

/// The hash of one event: SHA-256 over its sequence number, its fields
/// (at, actor, os_user, action, entity, state) and the previous hash, each
/// prefixed by its length, so no field can bleed into the next.
pub fn event_hash(seq: i64, fields: [&str; 6], prev_hash: &str) -> String {
    let mut h = Sha256::new();
    let seq = seq.to_string();
    for part in std::iter::once(seq.as_str())
        .chain(fields)
        .chain(std::iter::once(prev_hash))
    {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The newest event's sequence number and hash.
pub fn head(conn: &Connection) -> Result<(i64, String)> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_string())))
}

/// Appends one event; the caller's transaction makes it atomic with the change.
pub fn append(conn: &Connection, e: &NewEvent) -> Result<i64> {
    let (prev_seq, prev_hash) = head(conn)?;
    let seq = prev_seq + 1;
    let state = e.state.to_string();
    let hash = event_hash(
        seq,
        [e.at, e.actor, e.os_user, e.action, e.entity, &state],
        &prev_hash,
    );
    conn.execute(
        "INSERT INTO audit_events (seq, at, actor, os_user, action, entity, state, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![seq, e.at, e.actor, e.os_user, e.action, e.entity, state, prev_hash, hash],
    )?;
    Ok(seq)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    pub events: i64,
    pub head_seq: i64,
    pub head_hash: String,
}

/// Where the chain first fails, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    pub seq: i64,
    pub problem: String,
}

/// Recomputes the whole chain in sequence order.
pub fn verify(conn: &Connection) -> Result<std::result::Result<Verified, Break>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, os_user, action, entity, state, prev_hash, hash
         FROM audit_events ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    let mut count = 0i64;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let prev: String = r.get(7)?;
        let hash: String = r.get(8)?;
        if seq != expected_seq {
            return Ok(Err(Break {
                seq: expected_seq,
                problem: format!("event {expected_seq} is missing (next is {seq})"),
            }));
        }
        if prev != expected_prev {
            return Ok(Err(Break {
                seq,
                problem: "its previous-hash does not match the event before it".into(),
            }));
        }
        let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
        let computed = event_hash(
            seq,
            [
                &text(1)?,
                &text(2)?,
                &text(3)?,
                &text(4)?,
                &text(5)?,
                &text(6)?,
            ],
            &prev,
        );
        if computed != hash {
            return Ok(Err(Break {
                seq,
                problem: "its content does not match its hash (changed after it was written)"
                    .into(),
            }));
        }
        expected_prev = hash;
        expected_seq += 1;
        count += 1;
    }
    Ok(Ok(Verified {
        events: count,
        head_seq: expected_seq - 1,
        head_hash: expected_prev,
    }))
}

/// Whether the chain still holds the event an anchor saved.
pub fn holds(conn: &Connection, seq: i64, hash: &str) -> Result<bool> {
    if seq == 0 {
        return Ok(hash == GENESIS);
    }
    let stored: Option<String> = conn
        .query_row("SELECT hash FROM audit_events WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(stored.as_deref() == Some(hash))
}

fn event(r: &rusqlite::Row) -> rusqlite::Result<Event> {
    Ok(Event {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        os_user: r.get(3)?,
        action: r.get(4)?,
        entity: r.get(5)?,
        state: r.get(6)?,
        hash: r.get(7)?,
    })
}

const COLUMNS: &str = "seq, at, actor, os_user, action, entity, state, hash";

/// Who reads the log: events about cases they may not see are left out
/// (SPEC §5: nothing reveals a case to its subject).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader<'a> {
    pub employee: &'a str,
    pub approver: bool,
}

fn hidden(conn: &Connection, reader: Reader) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(&crate::store::cases::hidden_entities_sql())?;
    let rows = stmt.query_map(params![reader.employee, reader.approver], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn not_hidden() -> String {
    format!(
        "entity NOT IN ({})",
        crate::store::cases::hidden_entities_sql()
    )
}

/// How many events `reader` may see.
pub fn count(conn: &Connection, reader: Reader) -> Result<i64> {
    let (top, _) = head(conn)?;
    let mut hidden_events = 0i64;
    for entity in hidden(conn, reader)? {
        hidden_events += conn.query_row(
            "SELECT count(*) FROM audit_events WHERE entity = ?1",
            [entity],
            |r| r.get::<_, i64>(0),
        )?;
    }
    Ok(top - hidden_events)
}

/// Newest first, `limit` events starting `offset` from the newest; reads only
/// the rows asked for (the Records tab is virtualised). With nothing hidden
/// from `reader` the window is found by sequence number at once.
pub fn window(conn: &Connection, reader: Reader, offset: i64, limit: i64) -> Result<Vec<Event>> {
    if hidden(conn, reader)?.is_empty() {
        let (top, _) = head(conn)?;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM audit_events WHERE seq <= ?1 ORDER BY seq DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![top - offset, limit], event)?;
        return Ok(rows.collect::<rusqlite::Result<_>>()?);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit_events WHERE {} ORDER BY seq DESC LIMIT ?3 OFFSET ?4",
        not_hidden()
    ))?;
    let rows = stmt.query_map(
        params![reader.employee, reader.approver, limit, offset],
        event,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The condition for events `reader` may see whose action, entity or
/// actor contains the pattern bound as ?3.
fn matching() -> String {
    format!(
        "{} AND (action LIKE ?3 ESCAPE '\\' OR entity LIKE ?3 ESCAPE '\\' OR actor LIKE ?3 ESCAPE '\\')",
        not_hidden()
    )
}

fn like(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// How many events `reader` may see contain `text` in their action,
/// entity or actor.
pub fn count_matching(conn: &Connection, reader: Reader, text: &str) -> Result<i64> {
    Ok(conn.query_row(
        &format!("SELECT count(*) FROM audit_events WHERE {}", matching()),
        params![reader.employee, reader.approver, like(text)],
        |r| r.get(0),
    )?)
}

/// A window of those events, newest first.
pub fn search(
    conn: &Connection,
    reader: Reader,
    text: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit_events WHERE {} ORDER BY seq DESC LIMIT ?4 OFFSET ?5",
        matching()
    ))?;
    let rows = stmt.query_map(
        params![reader.employee, reader.approver, like(text), limit, offset],
        event,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every event `reader` may see about one entity, oldest first (or all
/// when `entity` is None).
pub fn log(conn: &Connection, reader: Reader, entity: Option<&str>) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM audit_events WHERE (?3 IS NULL OR entity = ?3) AND {} ORDER BY seq",
        not_hidden()
    ))?;
    let rows = stmt.query_map(params![reader.employee, reader.approver, entity], event)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Checks an anchor file's content: `{"seq": N, "hash": "…"}`.
pub fn parse_anchor(text: &str) -> Result<(i64, String)> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| Error::invalid(format!("the anchor file is not valid JSON: {e}")))?;
    let seq = v["seq"].as_i64();
    let hash = v["hash"].as_str();
    match (seq, hash) {
        (Some(seq), Some(hash)) if hash.len() == 64 => Ok((seq, hash.to_string())),
        _ => Err(Error::invalid(
            "the anchor file needs \"seq\" (a number) and \"hash\" (64 hex digits)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_cannot_bleed_into_the_next() {
        let a = event_hash(1, ["t", "ab", "c", "x", "e", "{}"], GENESIS);
        let b = event_hash(1, ["t", "a", "bc", "x", "e", "{}"], GENESIS);
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn anchors_must_name_a_sequence_and_a_full_hash() {
        assert!(parse_anchor("{\"seq\":3,\"hash\":\"ab\"}").is_err());
        assert!(parse_anchor("nope").is_err());
        let (seq, hash) = parse_anchor(&format!("{{\"seq\":3,\"hash\":\"{GENESIS}\"}}")).unwrap();
        assert_eq!((seq, hash.as_str()), (3, GENESIS));
    }
}
