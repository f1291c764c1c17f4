//! Errors the front ends must tell apart, and the exit code each one maps to (SPEC §7).

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    /// Refused by permission or policy, or by the item's current status (exit 3).
    #[error("{0}")]
    Refused(String),
    /// Someone else changed the item first (exit 4).
    #[error("{0}")]
    Conflict(String),
    /// Bad input: unknown id, malformed file, invalid value (exit 1).
    #[error("{0}")]
    Invalid(String),
    /// The database could not do what was asked (exit 1).
    #[error("{0}")]
    Storage(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Refused(_) => 3,
            Error::Conflict(_) => 4,
            Error::Invalid(_) | Error::Storage(_) => 1,
        }
    }

    pub fn refused(msg: impl Into<String>) -> Self {
        Error::Refused(msg.into())
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Error::Storage(
                "database is locked (another session kept it busy for more than 5 s); try again"
                    .into(),
            ),
            Some(ErrorCode::ReadOnly) => Error::Storage(
                "the database is read-only for this user: nothing was changed".into(),
            ),
            Some(ErrorCode::NotADatabase) => {
                Error::Storage("this file is not a socialdesk database (not SQLite)".into())
            }
            Some(ErrorCode::DiskFull) => {
                Error::Storage("the disk is full: nothing was changed".into())
            }
            _ => Error::Storage(format!("database error: {e}")),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Invalid(e.to_string())
    }
}
