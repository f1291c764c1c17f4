//! `socialdesk account …`

use std::io::Write;

use clap::Subcommand;

use crate::cli::output;
use crate::error::Result;
use crate::identity::Session;
use crate::store::accounts::{self, Account, NewAccount};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Add a platform account with its responsible Chief Deputy.
    Add {
        #[arg(long)]
        platform: String,
        #[arg(long)]
        handle: String,
        #[arg(long, value_name = "ID")]
        responsible: String,
        /// The account's profile text (it should identify the Department, V.6.b).
        #[arg(long, default_value = "")]
        profile: String,
    },
    /// Every account, active first.
    List,
    /// Retire an account (it is kept, never deleted).
    Retire { account: String },
}

fn row(a: &Account) -> Vec<String> {
    let warning = if a.departed_credentials.is_empty() {
        String::new()
    } else {
        format!(
            "credentials known to a departed member ({})",
            a.departed_credentials.join(", ")
        )
    };
    vec![
        a.id.to_string(),
        a.platform.clone(),
        a.handle.clone(),
        a.responsible.clone(),
        a.status.clone(),
        warning,
    ]
}

pub fn run(
    store: &mut Store,
    session: &Session,
    command: AccountCommand,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let done = |out: &mut dyn Write, a: &Account, what: &str| -> Result<()> {
        if json {
            output::json(out, a)
        } else {
            writeln!(
                out,
                "{what}: {} {} (account {})",
                a.platform,
                crate::text::inert(&a.handle),
                a.id
            )?;
            Ok(())
        }
    };
    match command {
        AccountCommand::Add {
            platform,
            handle,
            responsible,
            profile,
        } => {
            let a = accounts::add(
                store,
                &session.me,
                NewAccount {
                    platform,
                    handle,
                    responsible,
                    profile,
                },
            )?;
            done(out, &a, "added")
        }
        AccountCommand::List => {
            let all = accounts::list(store.conn())?;
            if json {
                output::json(out, &all)
            } else {
                let rows: Vec<Vec<String>> = all.iter().map(row).collect();
                output::table(
                    out,
                    &[
                        "ID",
                        "PLATFORM",
                        "HANDLE",
                        "RESPONSIBLE",
                        "STATUS",
                        "WARNING",
                    ],
                    &rows,
                )
            }
        }
        AccountCommand::Retire { account } => {
            let a = accounts::retire(store, &session.me, &account)?;
            done(out, &a, "retired")
        }
    }
}
