//! The command line (SPEC §7): parsing, and one dispatcher that both `main`
//! and the TUI's `:` command line call, writing to any output.

pub mod account;
pub mod audit;
pub mod case;
pub mod cred;
pub mod draft;
pub mod output;
pub mod roster;
pub mod settings;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::domain::screening::Rules;
use crate::error::Result;
use crate::identity::Session;
use crate::store::Store;

#[derive(Debug, Parser)]
#[command(
    name = "socialdesk",
    version,
    about = "The console for running the Department's official social media under its Social Media Use Policy",
    long_about = "Without a command, opens the full-screen console (the TUI)."
)]
pub struct Cli {
    /// Database file (else $SOCIALDESK_DB, else the data folder's socialdesk.db).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Act as another roster login; honoured only for the database file's owner.
    #[arg(long = "as", global = true, value_name = "LOGIN")]
    pub as_login: Option<String>,
    /// Print JSON (list, show, new commands).
    #[arg(long, global = true)]
    pub json: bool,
    /// Use the demo database in the data folder, created on first use.
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a database with its first chief, or a demo county.
    Init(InitArgs),
    /// The team roster (V.1, V.2).
    #[command(subcommand)]
    Roster(roster::RosterCommand),
    /// Platform accounts and their responsible Chief Deputies.
    #[command(subcommand)]
    Account(account::AccountCommand),
    /// Drafts, screening and approvals (V.3, V.4, V.6).
    #[command(subcommand)]
    Draft(draft::DraftCommand),
    /// Violation cases (V.8): confidential personnel records.
    #[command(subcommand)]
    Case(case::CaseCommand),
    /// The credential-change log (V.7).
    #[command(subcommand)]
    Cred(cred::CredCommand),
    /// One line: what awaits you (for a login banner).
    Inbox,
    /// Department settings.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// The audit log (V.5).
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Add synthetic data to an existing database (for benchmarks).
    Gen(GenArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[arg(long, value_name = "ID", required_unless_present = "demo")]
    pub chief_id: Option<String>,
    #[arg(long, value_name = "NAME", required_unless_present = "demo")]
    pub chief_name: Option<String>,
    #[arg(long, value_name = "LOGIN", required_unless_present = "demo")]
    pub chief_login: Option<String>,
    /// Fill the database with a realistic demo county, run by your OS login.
    #[arg(long, conflicts_with_all = ["chief_id", "chief_name", "chief_login"])]
    pub demo: bool,
}

#[derive(Debug, Args)]
pub struct GenArgs {
    #[arg(long, default_value_t = 0)]
    pub employees: u64,
    #[arg(long, default_value_t = 0)]
    pub drafts: u64,
    #[arg(long, default_value_t = 0)]
    pub events: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// The screening rules: `policy.toml` in the config folder if there is
/// one, else the compiled-in rules.
pub fn rules() -> Result<Rules> {
    let dir = directories::ProjectDirs::from("org", "socialdesk", "socialdesk")
        .map(|d| d.config_dir().to_path_buf());
    Rules::load(dir.as_deref())
}

/// Runs one command for a signed-in session.
pub fn run(
    store: &mut Store,
    session: &Session,
    rules: &Rules,
    command: Command,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    match command {
        Command::Init(_) => Err(crate::error::Error::invalid(
            "init creates a new database; this one exists already",
        )),
        Command::Roster(c) => roster::run(store, session, c, json, out),
        Command::Account(c) => account::run(store, session, c, json, out),
        Command::Draft(c) => draft::run(store, session, rules, c, json, out),
        Command::Cred(c) => cred::run(store, session, c, json, out),
        Command::Case(c) => case::run(store, session, c, json, out),
        Command::Inbox => {
            let (me, now) = (&session.me.employee, store.now());
            let drafts = crate::store::drafts::awaiting(store.conn(), me, now)?;
            let changes = crate::store::credentials::attention(store.conn(), me, now)?;
            let mut parts = Vec::new();
            match drafts {
                0 => {}
                1 => parts.push("1 draft awaits your decision".to_string()),
                n => parts.push(format!("{n} drafts await your decision")),
            }
            match changes {
                0 => {}
                1 => parts.push("1 credential change needs you".to_string()),
                n => parts.push(format!("{n} credential changes need you")),
            }
            if parts.is_empty() {
                parts.push("nothing awaits you".into());
            }
            writeln!(out, "socialdesk: {}", parts.join("; "))?;
            Ok(())
        }
        Command::Settings(c) => settings::run(store, session, c, out),
        Command::Audit(c) => audit::run(store, session, c, json, out),
        Command::Gen(g) => {
            let made = crate::store::gen::generate(
                store,
                &session.me,
                crate::store::gen::GenCounts {
                    employees: g.employees,
                    drafts: g.drafts,
                    events: g.events,
                },
                g.seed,
            )?;
            writeln!(
                out,
                "added {} employees, {} drafts and {} audit events",
                made.employees, made.drafts, made.events
            )?;
            Ok(())
        }
    }
}
