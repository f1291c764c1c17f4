//! `socialdesk settings …`

use std::io::Write;

use clap::Subcommand;

use crate::error::Result;
use crate::identity::Session;
use crate::store::{settings, Store};

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print a setting's value (its default when never set).
    Get { key: String },
    /// Change a setting (the chief only).
    Set { key: String, value: String },
}

pub fn run(
    store: &mut Store,
    session: &Session,
    command: SettingsCommand,
    out: &mut dyn Write,
) -> Result<()> {
    match command {
        SettingsCommand::Get { key } => {
            writeln!(out, "{}", settings::get(store.conn(), &key)?)?;
        }
        SettingsCommand::Set { key, value } => {
            settings::set(store, &session.me, &key, &value)?;
            writeln!(out, "{key} = {value}")?;
        }
    }
    Ok(())
}
