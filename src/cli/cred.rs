//! `socialdesk cred …` (SPEC §4, V.7)

use std::io::Write;

use clap::Subcommand;

use crate::cli::output;
use crate::domain::credential::{parse_id, Step};
use crate::error::Result;
use crate::identity::Session;
use crate::store::credentials::{self, Change, NewChange};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum CredCommand {
    /// Ask the responsible Chief Deputy to approve a change in advance.
    Request {
        #[arg(long, value_name = "ACCOUNT")]
        account: String,
        /// password, username, mfa, recovery or admin_role.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        reason: String,
    },
    /// Approve a requested change (the responsible Chief Deputy or the chief).
    Approve { change: String },
    /// Deny a requested change.
    Deny {
        change: String,
        #[arg(long)]
        reason: String,
    },
    /// Record that an approved change was made.
    Complete { change: String },
    /// Cancel a change not yet made.
    Cancel { change: String },
    /// Log a change already made under exigent circumstances (V.7).
    Exigent {
        #[arg(long, value_name = "ACCOUNT")]
        account: String,
        #[arg(long)]
        kind: String,
        /// intrusion, compromise or other (describe it in the reason).
        #[arg(long)]
        exigency: String,
        #[arg(long)]
        reason: String,
    },
    /// Record how the responsible Chief Deputy was notified of an exigent change.
    Notify {
        change: String,
        #[arg(long, value_name = "TEXT")]
        how: String,
    },
    /// Acknowledge an exigent change's notice.
    Ack { change: String },
    /// The log, newest first; --overdue: exigent changes whose notice is overdue.
    List {
        #[arg(long)]
        overdue: bool,
    },
}

fn row(c: &Change) -> Vec<String> {
    let state = if c.overdue {
        "OVERDUE".to_string()
    } else if let Some(due) = &c.notice_due {
        format!(
            "notice due {}",
            due.get(..16).unwrap_or(due).replace('T', " ")
        )
    } else {
        String::new()
    };
    vec![
        c.id.clone(),
        c.handle.clone(),
        c.kind.clone(),
        c.path.clone(),
        c.status.clone(),
        c.requested_by.clone(),
        state,
    ]
}

pub fn run(
    store: &mut Store,
    session: &Session,
    command: CredCommand,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let me = &session.me;
    let done = |out: &mut dyn Write, c: &Change| -> Result<()> {
        if json {
            output::json(out, c)
        } else {
            writeln!(
                out,
                "{} {} {} on {}: {}",
                c.id,
                c.path.replace('_', "-"),
                c.kind,
                c.handle,
                c.status
            )?;
            Ok(())
        }
    };
    let step = |store: &mut Store, id: &str, s: Step, text: Option<&str>| {
        credentials::step(store, me, parse_id(id)?, s, text)
    };
    match command {
        CredCommand::Request {
            account,
            kind,
            reason,
        } => {
            let c = credentials::file(
                store,
                me,
                NewChange {
                    account,
                    kind,
                    reason,
                    exigency: None,
                },
            )?;
            done(out, &c)
        }
        CredCommand::Exigent {
            account,
            kind,
            exigency,
            reason,
        } => {
            let c = credentials::file(
                store,
                me,
                NewChange {
                    account,
                    kind,
                    reason,
                    exigency: Some(exigency),
                },
            )?;
            done(out, &c)?;
            if !json {
                writeln!(
                    out,
                    "notify {} (the responsible Chief Deputy) as soon as possible, then record it: socialdesk cred notify {} --how …",
                    c.responsible, c.id
                )?;
            }
            Ok(())
        }
        CredCommand::Approve { change } => done(out, &step(store, &change, Step::Approve, None)?),
        CredCommand::Deny { change, reason } => {
            done(out, &step(store, &change, Step::Deny, Some(&reason))?)
        }
        CredCommand::Complete { change } => done(out, &step(store, &change, Step::Complete, None)?),
        CredCommand::Cancel { change } => done(out, &step(store, &change, Step::Cancel, None)?),
        CredCommand::Notify { change, how } => {
            done(out, &step(store, &change, Step::Notify, Some(&how))?)
        }
        CredCommand::Ack { change } => done(out, &step(store, &change, Step::Acknowledge, None)?),
        CredCommand::List { overdue } => {
            let all: Vec<Change> = credentials::list(store.conn(), store.now())?
                .into_iter()
                .filter(|c| !overdue || c.overdue)
                .collect();
            if json {
                output::json(out, &all)
            } else {
                let rows: Vec<Vec<String>> = all.iter().map(row).collect();
                output::table(
                    out,
                    &["ID", "ACCOUNT", "KIND", "PATH", "STATUS", "BY", "NOTICE"],
                    &rows,
                )
            }
        }
    }
}
