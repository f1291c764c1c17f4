//! The policy's nouns and rules: ranks, permissions, team standing, settings.
//! Pure: no I/O, no database.

pub mod case;
pub mod credential;
pub mod draft;
pub mod permission;
pub mod rank;
pub mod screening;
pub mod secrets;
pub mod settings;
pub mod team;
