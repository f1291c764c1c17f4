//! Storage: rusqlite only. Opening and migrating the database, and the one
//! way to change it: [`Store::write`], which checks permission, runs the
//! change and appends its audit event in one `BEGIN IMMEDIATE` transaction.

pub mod accounts;
pub mod audit;
pub mod cases;
pub mod credentials;
pub mod drafts;
pub mod gen;
pub mod roster;
pub mod schema;
pub mod settings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use serde_json::Value;

use crate::domain::permission::{self, Actor, Permission};
use crate::error::{Error, Result};

/// Who is acting: the roster employee and the OS account running the process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    pub employee: String,
    pub os_user: String,
}

/// The time source; fixed in tests so deadlines need no sleeping.
#[derive(Debug, Clone, Copy, Default)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }
}

pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse_timestamp(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Storage(format!("corrupt timestamp {s:?} in the database")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The database must exist already.
    Existing,
    /// Create a new, empty database (for `init`); an existing one is refused.
    Create,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    pub clock: Clock,
}

/// A write in progress: the transaction, its time, and who acts.
pub struct Tx<'a> {
    pub sql: Transaction<'a>,
    pub now: DateTime<Utc>,
    pub me: &'a Me,
    /// The entity the audit event names, when the change learns it (a new
    /// draft's id is known only once it is inserted).
    pub entity: Option<String>,
    actor: Option<Actor>,
}

impl Tx<'_> {
    /// Fails closed unless the acting employee may do `what` (SPEC §1).
    pub fn require(&self, what: Permission) -> Result<()> {
        match &self.actor {
            Some(actor) => permission::check(actor, what),
            None => Err(Error::refused(
                "refused: you are not on the roster of this database",
            )),
        }
    }

    pub fn now_text(&self) -> String {
        timestamp(self.now)
    }
}

impl Store {
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        let exists = path.exists();
        match mode {
            OpenMode::Existing if !exists => {
                return Err(Error::invalid(format!(
                    "no database at {}: create one with `socialdesk init`, or name one with --db",
                    path.display()
                )))
            }
            OpenMode::Create if exists && std::fs::metadata(path)?.len() > 0 => {
                return Err(Error::invalid(format!(
                    "{} exists already; init creates a new database and leaves existing ones alone",
                    path.display()
                )))
            }
            _ => {}
        }
        if exists && read_only_file(path) {
            return Err(read_only(path));
        }
        if let (OpenMode::Create, Some(dir)) = (mode, path.parent()) {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Error::invalid(format!("cannot create folder {}: {e}", dir.display()))
                })?;
            }
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if mode == OpenMode::Create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags).map_err(|e| opening(path, e))?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            clock: Clock::default(),
        };
        store.check_identity(mode)?;
        if store.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(read_only(path));
        }
        store.configure()?;
        Ok(store)
    }

    /// Refuses a file that is not ours, or is from a newer socialdesk, before
    /// anything is written to it.
    fn check_identity(&self, mode: OpenMode) -> Result<()> {
        let not_ours = || {
            Error::Storage(format!(
                "{} is not a socialdesk database; it was left untouched",
                self.path.display()
            ))
        };
        let (app_id, version, tables): (i64, i64, i64) = self
            .conn
            .query_row(
                "SELECT (SELECT application_id FROM pragma_application_id),
                        (SELECT user_version FROM pragma_user_version),
                        (SELECT count(*) FROM sqlite_master)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => not_ours(),
                _ => Error::from(e),
            })?;
        let fresh = app_id == 0 && version == 0 && tables == 0;
        if fresh {
            return if mode == OpenMode::Create {
                Ok(())
            } else {
                Err(not_ours())
            };
        }
        if app_id != schema::APPLICATION_ID {
            return Err(not_ours());
        }
        if version > schema::latest_version() {
            return Err(Error::Storage(format!(
                "{} is from a newer socialdesk (schema {version}, this program knows up to {}); it was left untouched: upgrade socialdesk",
                self.path.display(),
                schema::latest_version()
            )));
        }
        Ok(())
    }

    fn configure(&self) -> Result<()> {
        let c = &self.conn;
        c.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
        c.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
        let mode: String = c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Storage(format!(
                "could not put the database in WAL mode (got {mode})"
            )));
        }
        c.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        Ok(())
    }

    /// Brings the schema up to date; each step is its own audited transaction.
    pub fn migrate(&mut self, os_user: &str) -> Result<()> {
        loop {
            let version: i64 = self
                .conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version >= schema::latest_version() {
                return Ok(());
            }
            let now = self.clock.now();
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if current != version {
                continue;
            }
            tx.execute_batch(schema::MIGRATIONS[version as usize])?;
            tx.execute_batch(&format!(
                "PRAGMA user_version = {}; PRAGMA application_id = {};",
                version + 1,
                schema::APPLICATION_ID
            ))?;
            audit::append(
                &tx,
                &audit::NewEvent {
                    at: &timestamp(now),
                    actor: "system",
                    os_user,
                    action: "store.migrate",
                    entity: "schema",
                    state: &serde_json::json!({ "from": version, "to": version + 1 }),
                },
            )?;
            tx.commit()?;
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Changes that other connections have committed since the last call
    /// show as a new value (`PRAGMA data_version`).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Runs one user action: permission, change and audit event commit
    /// together or not at all. A refusal is itself recorded (without the
    /// refused input) and returned.
    pub fn write<T>(
        &mut self,
        me: &Me,
        action: &str,
        entity: &str,
        change: impl FnOnce(&mut Tx) -> Result<(T, Value)>,
    ) -> Result<T> {
        let now = self.clock.now();
        let sql = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let actor = roster::actor(&sql, &me.employee, now)?;
        let mut tx = Tx {
            sql,
            now,
            me,
            entity: None,
            actor,
        };
        match change(&mut tx) {
            Ok((value, state)) => {
                audit::append(
                    &tx.sql,
                    &audit::NewEvent {
                        at: &timestamp(now),
                        actor: &me.employee,
                        os_user: &me.os_user,
                        action,
                        entity: tx.entity.as_deref().unwrap_or(entity),
                        state: &state,
                    },
                )?;
                tx.sql.commit()?;
                Ok(value)
            }
            Err(err) => {
                drop(tx);
                if let Error::Refused(reason) = &err {
                    self.refusal(me, action, entity, reason)?;
                }
                Err(err)
            }
        }
    }

    /// Appends an event that changes nothing else (session start and end,
    /// refusals, views).
    pub fn record(&mut self, me: &Me, action: &str, entity: &str, state: Value) -> Result<()> {
        let now = self.clock.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        audit::append(
            &tx,
            &audit::NewEvent {
                at: &timestamp(now),
                actor: &me.employee,
                os_user: &me.os_user,
                action,
                entity,
                state: &state,
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The acting employee's standing now, for front ends that show or hide
    /// actions; [`Store::write`] checks again inside its transaction.
    pub fn actor(&self, me: &Me) -> Result<Option<Actor>> {
        roster::actor(&self.conn, &me.employee, self.clock.now())
    }

    /// Checks a permission outside a write (reading the audit log, opening
    /// a form): fails closed and records a refusal as a write would.
    pub fn require(&mut self, me: &Me, what: Permission, action: &str, entity: &str) -> Result<()> {
        let verdict = match self.actor(me)? {
            Some(actor) => permission::check(&actor, what),
            None => Err(Error::refused("refused: you are not on the roster")),
        };
        if let Err(Error::Refused(reason)) = &verdict {
            self.refusal(me, action, entity, reason)?;
        }
        verdict
    }

    /// Records a refusal: what was attempted and why, never the refused input.
    fn refusal(&mut self, me: &Me, action: &str, entity: &str, reason: &str) -> Result<()> {
        self.record(
            me,
            "refused",
            entity,
            serde_json::json!({ "attempted": action, "reason": reason }),
        )
    }

    /// Runs `f` in one read transaction, so a screen reads one consistent state.
    pub fn read<T>(&mut self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

fn read_only_file(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| m.permissions().readonly())
        .unwrap_or(false)
        || nix::unistd::access(path, nix::unistd::AccessFlags::W_OK).is_err()
}

fn read_only(path: &Path) -> Error {
    Error::Storage(format!(
        "{} is read-only for this user: nothing was changed",
        path.display()
    ))
}

fn opening(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::CannotOpen) => Error::Storage(format!(
            "cannot open {}: check the path and that its folder is writable",
            path.display()
        )),
        _ => Error::from(e),
    }
}
