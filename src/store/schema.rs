//! Schema migrations, tracked in `PRAGMA user_version`. Each entry upgrades
//! the database by one version; an old database opens after an upgrade, a
//! newer one is refused untouched.

/// Marks a file as a socialdesk database ("SDSK").
pub const APPLICATION_ID: i64 = 0x5344_534B;

pub const MIGRATIONS: &[&str] = &[
    // 1: the roster, team authorizations, the delegation, settings, the audit log.
    r#"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE employees (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    rank         TEXT NOT NULL CHECK (rank IN ('chief','assistant_chief','chief_deputy','supervisor','officer','staff')),
    unit         TEXT NOT NULL DEFAULT '',
    login        TEXT UNIQUE,
    email        TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','leave','separated')),
    hired_on     TEXT,
    separated_on TEXT,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX employees_by_name ON employees(name, id);

CREATE TABLE authorizations (
    id            INTEGER PRIMARY KEY,
    employee      TEXT NOT NULL REFERENCES employees(id),
    authorized_at TEXT NOT NULL,
    authorized_by TEXT NOT NULL REFERENCES employees(id),
    accounts      TEXT,
    revoked_at    TEXT,
    revoked_by    TEXT REFERENCES employees(id),
    reason        TEXT
);
CREATE INDEX authorizations_by_employee ON authorizations(employee, id);

CREATE TABLE delegations (
    id         INTEGER PRIMARY KEY,
    employee   TEXT NOT NULL REFERENCES employees(id),
    granted_at TEXT NOT NULL,
    granted_by TEXT NOT NULL REFERENCES employees(id),
    revoked_at TEXT,
    revoked_by TEXT REFERENCES employees(id),
    reason     TEXT
);
CREATE UNIQUE INDEX one_delegate ON delegations((1)) WHERE revoked_at IS NULL;

CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    os_user   TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    state     TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_by_entity ON audit_events(entity, seq);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only (V.5)'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only (V.5)'); END;
CREATE TRIGGER employees_no_delete BEFORE DELETE ON employees
BEGIN SELECT RAISE(ABORT, 'roster entries are public records and are never deleted (V.5)'); END;
CREATE TRIGGER authorizations_no_delete BEFORE DELETE ON authorizations
BEGIN SELECT RAISE(ABORT, 'authorization history is never deleted (V.5)'); END;
CREATE TRIGGER delegations_no_delete BEFORE DELETE ON delegations
BEGIN SELECT RAISE(ABORT, 'delegation history is never deleted (V.5)'); END;
"#,
    // 2: platform accounts and the "credentials known to a departed member" warning.
    r#"
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL CHECK (platform IN ('twitter','instagram','facebook','tiktok','youtube','linkedin','nextdoor','other')),
    handle      TEXT NOT NULL UNIQUE,
    responsible TEXT NOT NULL REFERENCES employees(id),
    profile     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','retired')),
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX accounts_by_responsible ON accounts(responsible);

CREATE TABLE departed_credentials (
    id         INTEGER PRIMARY KEY,
    account    INTEGER NOT NULL REFERENCES accounts(id),
    employee   TEXT NOT NULL REFERENCES employees(id),
    raised_at  TEXT NOT NULL,
    why        TEXT NOT NULL,
    cleared_at TEXT
);
CREATE INDEX departed_credentials_open ON departed_credentials(account) WHERE cleared_at IS NULL;

CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
BEGIN SELECT RAISE(ABORT, 'accounts are retired, never deleted (V.5)'); END;
CREATE TRIGGER departed_credentials_no_delete BEFORE DELETE ON departed_credentials
BEGIN SELECT RAISE(ABORT, 'warnings are cleared, never deleted (V.5)'); END;
"#,
    // 3: the roster look-up reads every name, id, login and unit from one
    // covering index instead of visiting each row (SPEC §9: filter ≤ 8 ms).
    r#"
DROP INDEX employees_by_name;
CREATE INDEX employees_lookup ON employees(name, id, login, unit);
"#,
];

pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
