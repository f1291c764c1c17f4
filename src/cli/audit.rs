//! `socialdesk audit …`: the hash chain (V.5).

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use crate::cli::output;
use crate::domain::permission::Permission;
use crate::error::{Error, Result};
use crate::identity::Session;
use crate::store::{audit, Store};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the chain and report the first broken event.
    Verify {
        /// Also prove the chain still holds the head saved in this anchor file.
        #[arg(long, value_name = "FILE")]
        anchor: Option<PathBuf>,
    },
    /// Save the chain's head outside the database.
    Anchor {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The events, oldest first, optionally about one entity (e.g. employee:E1001).
    Log {
        #[arg(long, value_name = "E")]
        entity: Option<String>,
    },
}

fn require_records(store: &mut Store, session: &Session, action: &str) -> Result<()> {
    store.require(&session.me, Permission::Records, action, "audit")
}

pub fn run(
    store: &mut Store,
    session: &Session,
    command: AuditCommand,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    match command {
        AuditCommand::Verify { anchor } => {
            require_records(store, session, "audit.verify")?;
            let verified = audit::verify(store.conn())?.map_err(|b| {
                Error::invalid(format!(
                    "the audit chain is broken at event {}: {}",
                    b.seq, b.problem
                ))
            })?;
            if let Some(file) = anchor {
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    Error::invalid(format!("cannot read anchor {}: {e}", file.display()))
                })?;
                let (seq, hash) = audit::parse_anchor(&text)?;
                if !audit::holds(store.conn(), seq, &hash)? {
                    return Err(Error::invalid(format!(
                        "the chain no longer holds the anchored event {seq}: the log was rewritten or cut back"
                    )));
                }
            }
            if json {
                output::json(out, &verified)
            } else {
                writeln!(
                    out,
                    "ok: {} events, head {} {}",
                    verified.events, verified.head_seq, verified.head_hash
                )?;
                Ok(())
            }
        }
        AuditCommand::Anchor { out: file } => {
            require_records(store, session, "audit.anchor")?;
            let (seq, hash) = audit::head(store.conn())?;
            let text = serde_json::json!({
                "seq": seq,
                "hash": hash,
                "at": crate::store::timestamp(store.now()),
                "database": store.path().display().to_string(),
            });
            std::fs::write(&file, format!("{text:#}\n"))
                .map_err(|e| Error::invalid(format!("cannot write {}: {e}", file.display())))?;
            writeln!(out, "anchored event {seq} {hash} in {}", file.display())?;
            Ok(())
        }
        AuditCommand::Log { entity } => {
            require_records(store, session, "audit.log")?;
            let reader = audit::Reader {
                employee: &session.me.employee,
                approver: crate::store::cases::approver(
                    store.conn(),
                    &session.me.employee,
                    store.now(),
                )?,
            };
            let events = audit::log(store.conn(), reader, entity.as_deref())?;
            if json {
                output::json(out, &events)
            } else {
                let rows: Vec<Vec<String>> = events
                    .iter()
                    .map(|e| {
                        vec![
                            e.seq.to_string(),
                            e.at.clone(),
                            e.actor.clone(),
                            e.action.clone(),
                            e.entity.clone(),
                        ]
                    })
                    .collect();
                output::table(out, &["SEQ", "AT", "ACTOR", "ACTION", "ENTITY"], &rows)
            }
        }
    }
}
