//! Settings: stored values over the compiled-in defaults.

use rusqlite::{Connection, OptionalExtension};

use crate::domain::permission::Permission;
use crate::domain::settings::{definition, validate};
use crate::error::Result;
use crate::store::{Me, Store};

pub fn get(conn: &Connection, key: &str) -> Result<String> {
    let def = definition(key)?;
    let stored: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(stored.unwrap_or_else(|| def.default.to_string()))
}

/// A numeric setting; a stored value that no longer parses falls back to the default.
pub fn number(conn: &Connection, key: &str) -> Result<u32> {
    let def = definition(key)?;
    Ok(get(conn, key)?
        .parse()
        .unwrap_or_else(|_| def.default.parse().unwrap_or(0)))
}

pub fn set(store: &mut Store, me: &Me, key: &str, value: &str) -> Result<()> {
    store.write(me, "settings.set", &format!("setting:{key}"), |tx| {
        tx.require(Permission::ChangeSettings)?;
        validate(key, value)?;
        tx.sql.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(((), serde_json::json!({ "key": key, "value": value })))
    })
}
