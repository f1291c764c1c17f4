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
    // 4: drafts with immutable revisions, media, screening findings,
    // dismissals, decisions, attestations and reviewer notes (SPEC §3).
    r#"
CREATE TABLE drafts (
    id                INTEGER PRIMARY KEY,
    account           INTEGER NOT NULL REFERENCES accounts(id),
    author            TEXT NOT NULL REFERENCES employees(id),
    purpose           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('draft','submitted','approved','rejected','changes_requested','published','withdrawn')),
    revision          INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    submitted_at      TEXT,
    approved_revision INTEGER,
    approved_by       TEXT REFERENCES employees(id),
    express           INTEGER NOT NULL DEFAULT 0,
    reviewed_revision INTEGER,
    url               TEXT,
    published_at      TEXT,
    published_by      TEXT REFERENCES employees(id),
    version           INTEGER NOT NULL DEFAULT 1,
    -- V.6/V.7: the author never decides their own draft, whatever the code above says.
    CHECK (approved_by IS NULL OR approved_by <> author)
);
CREATE INDEX drafts_queue ON drafts(status, submitted_at);

CREATE TABLE revisions (
    draft      INTEGER NOT NULL REFERENCES drafts(id),
    n          INTEGER NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES employees(id),
    PRIMARY KEY (draft, n)
);

CREATE TABLE media (
    draft              INTEGER NOT NULL,
    revision           INTEGER NOT NULL,
    n                  INTEGER NOT NULL,
    path               TEXT NOT NULL,
    sha256             TEXT NOT NULL,
    bytes              INTEGER NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('photo','video','other')),
    depicts_operations INTEGER NOT NULL,
    PRIMARY KEY (draft, revision, n),
    FOREIGN KEY (draft, revision) REFERENCES revisions(draft, n)
);

CREATE TABLE findings (
    draft       INTEGER NOT NULL,
    revision    INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    clause      TEXT NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('blocking','express','advisory')),
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    matched     TEXT NOT NULL,
    rule        TEXT NOT NULL,
    explanation TEXT NOT NULL,
    PRIMARY KEY (draft, revision, n),
    FOREIGN KEY (draft, revision) REFERENCES revisions(draft, n)
);

CREATE TABLE dismissals (
    draft    INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    finding  INTEGER NOT NULL,
    by       TEXT NOT NULL REFERENCES employees(id),
    at       TEXT NOT NULL,
    reason   TEXT NOT NULL,
    PRIMARY KEY (draft, revision, finding),
    FOREIGN KEY (draft, revision, finding) REFERENCES findings(draft, revision, n)
);

CREATE TABLE decisions (
    id               INTEGER PRIMARY KEY,
    draft            INTEGER NOT NULL REFERENCES drafts(id),
    revision         INTEGER NOT NULL,
    decision         TEXT NOT NULL CHECK (decision IN ('approved','rejected','changes_requested')),
    express          INTEGER NOT NULL,
    by               TEXT NOT NULL REFERENCES employees(id),
    at               TEXT NOT NULL,
    reason           TEXT,
    policy_effective TEXT NOT NULL,
    policy_sha256    TEXT NOT NULL
);
CREATE INDEX decisions_by_draft ON decisions(draft, id);

CREATE TABLE attestations (
    id        INTEGER PRIMARY KEY,
    draft     INTEGER NOT NULL REFERENCES drafts(id),
    revision  INTEGER NOT NULL,
    by        TEXT NOT NULL REFERENCES employees(id),
    at        TEXT NOT NULL,
    checklist TEXT NOT NULL
);

CREATE TABLE notes (
    id    INTEGER PRIMARY KEY,
    draft INTEGER NOT NULL REFERENCES drafts(id),
    by    TEXT NOT NULL REFERENCES employees(id),
    at    TEXT NOT NULL,
    text  TEXT NOT NULL
);
CREATE INDEX notes_by_draft ON notes(draft, id);

CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are immutable: an edit is a new revision (V.5)'); END;
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are immutable: an edit is a new revision (V.5)'); END;
CREATE TRIGGER media_no_change BEFORE UPDATE ON media
BEGIN SELECT RAISE(ABORT, 'media records are immutable (V.5)'); END;
CREATE TRIGGER media_no_delete BEFORE DELETE ON media
BEGIN SELECT RAISE(ABORT, 'media records are immutable (V.5)'); END;
CREATE TRIGGER findings_no_change BEFORE UPDATE ON findings
BEGIN SELECT RAISE(ABORT, 'screening findings are kept as found (V.5)'); END;
CREATE TRIGGER findings_no_delete BEFORE DELETE ON findings
BEGIN SELECT RAISE(ABORT, 'screening findings are kept as found (V.5)'); END;
CREATE TRIGGER drafts_no_delete BEFORE DELETE ON drafts
BEGIN SELECT RAISE(ABORT, 'drafts are withdrawn, never deleted (V.5)'); END;
CREATE TRIGGER decisions_no_change BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are kept as taken (V.5)'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are kept as taken (V.5)'); END;
CREATE TRIGGER dismissals_no_change BEFORE UPDATE ON dismissals
BEGIN SELECT RAISE(ABORT, 'dismissals are kept as made (V.5)'); END;
CREATE TRIGGER dismissals_no_delete BEFORE DELETE ON dismissals
BEGIN SELECT RAISE(ABORT, 'dismissals are kept as made (V.5)'); END;
CREATE TRIGGER notes_no_change BEFORE UPDATE ON notes
BEGIN SELECT RAISE(ABORT, 'notes are append-only (V.5)'); END;
CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes
BEGIN SELECT RAISE(ABORT, 'notes are append-only (V.5)'); END;
CREATE TRIGGER attestations_no_change BEFORE UPDATE ON attestations
BEGIN SELECT RAISE(ABORT, 'attestations are kept as made (V.5)'); END;
CREATE TRIGGER attestations_no_delete BEFORE DELETE ON attestations
BEGIN SELECT RAISE(ABORT, 'attestations are kept as made (V.5)'); END;
"#,
    // 5: the credential-change log (V.7). There is no column for a secret.
    r#"
CREATE TABLE credential_changes (
    id              INTEGER PRIMARY KEY,
    account         INTEGER NOT NULL REFERENCES accounts(id),
    kind            TEXT NOT NULL CHECK (kind IN ('password','username','mfa','recovery','admin_role')),
    path            TEXT NOT NULL CHECK (path IN ('pre_approved','exigent')),
    status          TEXT NOT NULL CHECK (status IN ('requested','approved','completed','denied','cancelled')),
    requested_by    TEXT NOT NULL REFERENCES employees(id),
    requested_at    TEXT NOT NULL,
    reason          TEXT NOT NULL,
    exigency        TEXT CHECK (exigency IS NULL OR exigency IN ('intrusion','compromise','other')),
    approved_by     TEXT REFERENCES employees(id),
    approved_at     TEXT,
    denied_by       TEXT REFERENCES employees(id),
    denied_at       TEXT,
    deny_reason     TEXT,
    completed_by    TEXT REFERENCES employees(id),
    completed_at    TEXT,
    cancelled_by    TEXT REFERENCES employees(id),
    cancelled_at    TEXT,
    notified_at     TEXT,
    notified_how    TEXT,
    notified_by     TEXT REFERENCES employees(id),
    acknowledged_by TEXT REFERENCES employees(id),
    acknowledged_at TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    -- V.7: a change is approved in advance unless it is exigent; no path
    -- through the code can complete an unapproved pre-approved change.
    CHECK (status <> 'completed' OR path = 'exigent' OR approved_by IS NOT NULL),
    CHECK ((path = 'exigent') = (exigency IS NOT NULL))
);
CREATE INDEX credential_changes_by_account ON credential_changes(account, id);
CREATE TRIGGER credential_changes_no_delete BEFORE DELETE ON credential_changes
BEGIN SELECT RAISE(ABORT, 'credential changes are public records and are never deleted (V.5)'); END;
"#,
    // 6: violation cases (V.8): personnel records, seen only by approvers and
    // the assigned investigator, never by their subject.
    r#"
CREATE TABLE cases (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    subject      TEXT NOT NULL REFERENCES employees(id),
    clause       TEXT NOT NULL CHECK (clause IN ('V.8.a','V.8.b','V.8.c.i','V.8.c.ii','V.8.c.iii','V.8.c.iv')),
    summary      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open','investigating','finding','closed')),
    disposition  TEXT CHECK (disposition IS NULL OR disposition IN ('sustained','not_sustained','exonerated','unfounded')),
    investigator TEXT REFERENCES employees(id),
    due          TEXT NOT NULL,
    clock_ends   TEXT NOT NULL,
    opened_by    TEXT NOT NULL REFERENCES employees(id),
    opened_at    TEXT NOT NULL,
    closed_at    TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (year, seq),
    CHECK (investigator IS NULL OR investigator <> subject),
    CHECK ((status IN ('finding','closed')) = (disposition IS NOT NULL))
);
CREATE INDEX cases_by_subject ON cases(subject);

CREATE TABLE case_timeline (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    by      TEXT NOT NULL REFERENCES employees(id),
    at      TEXT NOT NULL,
    kind    TEXT NOT NULL,
    text    TEXT NOT NULL
);
CREATE INDEX case_timeline_by_case ON case_timeline(case_id, id);

CREATE TABLE case_links (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind    TEXT NOT NULL CHECK (kind IN ('draft','credential','account')),
    target  INTEGER NOT NULL,
    PRIMARY KEY (case_id, kind, target)
);

CREATE TABLE case_evidence (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    path    TEXT NOT NULL,
    sha256  TEXT NOT NULL,
    bytes   INTEGER NOT NULL,
    by      TEXT NOT NULL REFERENCES employees(id),
    at      TEXT NOT NULL
);

CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
BEGIN SELECT RAISE(ABORT, 'cases are personnel records and are never deleted (V.5)'); END;
CREATE TRIGGER case_timeline_no_update BEFORE UPDATE ON case_timeline
BEGIN SELECT RAISE(ABORT, 'a case timeline is append-only (V.5)'); END;
CREATE TRIGGER case_timeline_no_delete BEFORE DELETE ON case_timeline
BEGIN SELECT RAISE(ABORT, 'a case timeline is append-only (V.5)'); END;
CREATE TRIGGER case_links_no_delete BEFORE DELETE ON case_links
BEGIN SELECT RAISE(ABORT, 'case links are kept (V.5)'); END;
CREATE TRIGGER case_evidence_no_change BEFORE UPDATE ON case_evidence
BEGIN SELECT RAISE(ABORT, 'evidence records are immutable (V.5)'); END;
CREATE TRIGGER case_evidence_no_delete BEFORE DELETE ON case_evidence
BEGIN SELECT RAISE(ABORT, 'evidence records are immutable (V.5)'); END;
"#,
    // 7: the Drafts tab's title count (submitted drafts by others) read
    // from an index alone, so the first frame need not visit drafts.
    r#"
CREATE INDEX drafts_status_author ON drafts(status, author);
"#,
    // 8: what the roster card reads about one employee (their drafts, the
    // changes they made) found by index, not by scanning every draft.
    r#"
CREATE INDEX drafts_by_author ON drafts(author);
CREATE INDEX credential_changes_by_requester ON credential_changes(requested_by);
"#,
];

pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
