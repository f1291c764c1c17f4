//! `socialdesk roster …`

use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;
use serde_json::Value;

use crate::cli::output;
use crate::domain::team::Standing;
use crate::error::{Error, Result};
use crate::fuzzy;
use crate::identity::Session;
use crate::store::roster::{self, Card, Employee, EmployeeEdit, NewEmployee};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// List employees by name, or the best fuzzy matches for --query.
    List {
        #[arg(long, value_name = "Q")]
        query: Option<String>,
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// An employee's card: rank, contact, team history, accounts.
    Show { id: String },
    /// Add an employee.
    Add {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        rank: String,
        #[arg(long)]
        login: Option<String>,
        #[arg(long, default_value = "")]
        unit: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, value_name = "DATE")]
        hired: Option<String>,
        #[arg(long, default_value = "active")]
        status: String,
    },
    /// Change an employee's details (status: active or leave).
    Edit {
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        rank: Option<String>,
        #[arg(long)]
        unit: Option<String>,
        /// An empty value removes the login.
        #[arg(long)]
        login: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        status: Option<String>,
    },
    /// Authorize (or renew) team membership, for every account or those named.
    Authorize {
        id: String,
        #[arg(long, value_delimiter = ',', value_name = "A,B")]
        accounts: Option<Vec<String>>,
    },
    /// Revoke team membership.
    Revoke {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Record a separation: ends team authorization and the delegation at once.
    Separate {
        id: String,
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// Add every row of a CSV (id,name,rank,unit,login,email,phone,status), or none.
    Import { file: PathBuf },
    /// Grant (or renew) the chief's delegation to a Chief Deputy.
    Delegate { id: String },
    /// Revoke the delegation.
    Undelegate,
}

/// An employee as `--json` prints it: the SPEC's fields plus flags.
pub fn employee_json(e: &Employee) -> Value {
    let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
    v["flags"] = serde_json::json!(e.flags());
    v
}

fn card_json(c: &Card) -> Value {
    let mut v = serde_json::to_value(c).unwrap_or(Value::Null);
    v["flags"] = serde_json::json!(c.employee.flags());
    v
}

fn standing_text(s: Standing) -> String {
    match s {
        Standing::Current { renew_by } | Standing::DueForRecertification { renew_by } => {
            format!("{} (renew by {})", s.label(), renew_by.date_naive())
        }
        Standing::Lapsed { since } => format!("{} since {}", s.label(), since.date_naive()),
        Standing::Revoked { at } => format!("{} {}", s.label(), at.date_naive()),
        Standing::None => s.label().to_string(),
    }
}

fn print_card(out: &mut dyn Write, c: &Card) -> Result<()> {
    let e = &c.employee;
    let mut rows = vec![
        ("id", e.id.clone()),
        ("name", e.name.clone()),
        ("rank", format!("{} ({})", e.rank, e.rank.title())),
        ("unit", e.unit.clone()),
        ("login", e.login.clone().unwrap_or_default()),
        ("email", e.email.clone()),
        ("phone", e.phone.clone()),
        ("status", e.status.to_string()),
    ];
    if let Some(d) = &e.separated_on {
        rows.push(("separated on", d.clone()));
    }
    rows.push((
        "team member",
        if e.team_member { "yes" } else { "no" }.into(),
    ));
    rows.push(("authorization", standing_text(e.team)));
    if e.delegation != Standing::None {
        rows.push(("delegation", standing_text(e.delegation)));
    }
    rows.push(("may post to", c.may_post_to.join(", ")));
    rows.push(("responsible for", c.responsible_handles.join(", ")));
    rows.push(("flags", e.flags().join(" ")));
    output::fields(out, &rows)?;
    if !c.cases.is_empty() {
        writeln!(out, "cases: {}", c.cases.join(", "))?;
    }
    if let Some(signals) = &c.early_warning {
        let items: Vec<String> = signals
            .iter()
            .map(|s| format!("{} ({})", s.item, s.what))
            .collect();
        writeln!(out, "early warning: {}", items.join(", "))?;
    }
    for id in &c.overdue_changes {
        writeln!(
            out,
            "overdue: the notice of exigent change {id} has not been acknowledged (V.7)"
        )?;
    }
    for w in &c.departed_warnings {
        writeln!(
            out,
            "warning: credentials of {} known to a departed member ({}, {}): change its password (V.7)",
            w.handle, w.why, w.raised_at
        )?;
    }
    for (title, grants) in [
        ("team authorizations", &c.authorizations),
        ("delegations", &c.delegations),
    ] {
        if grants.is_empty() {
            continue;
        }
        writeln!(out, "{title}:")?;
        for g in grants {
            let ended = match (&g.revoked_at, &g.reason) {
                (Some(at), Some(r)) => format!(
                    ", ended {at} by {} ({r})",
                    g.revoked_by.clone().unwrap_or_default()
                ),
                _ => String::new(),
            };
            let scope = g
                .accounts
                .as_ref()
                .map(|a| format!(" for accounts {a}"))
                .unwrap_or_default();
            writeln!(
                out,
                "  granted {} by {}{scope}{ended}",
                g.granted_at, g.granted_by
            )?;
        }
    }
    Ok(())
}

fn row(e: &Employee) -> Vec<String> {
    vec![
        e.id.clone(),
        e.name.clone(),
        e.rank.to_string(),
        e.unit.clone(),
        e.login.clone().unwrap_or_default(),
        e.status.to_string(),
        e.flags().join(" "),
    ]
}

fn done(out: &mut dyn Write, json: bool, e: &Employee, what: &str) -> Result<()> {
    if json {
        output::json(out, &employee_json(e))
    } else {
        writeln!(out, "{what}: {} ({})", crate::text::inert(&e.name), e.id)?;
        Ok(())
    }
}

pub fn run(
    store: &mut Store,
    session: &Session,
    command: RosterCommand,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let me = &session.me;
    let now = store.now();
    match command {
        RosterCommand::List { query, limit } => {
            let employees = list(store, query.as_deref(), limit)?;
            if json {
                let all: Vec<Value> = employees.iter().map(employee_json).collect();
                output::json(out, &all)
            } else {
                let rows: Vec<Vec<String>> = employees.iter().map(row).collect();
                output::table(
                    out,
                    &["ID", "NAME", "RANK", "UNIT", "LOGIN", "STATUS", "FLAGS"],
                    &rows,
                )
            }
        }
        RosterCommand::Show { id } => {
            let card = roster::card(store.conn(), &id, &me.employee, now)?;
            if json {
                output::json(out, &card_json(&card))
            } else {
                print_card(out, &card)
            }
        }
        RosterCommand::Add {
            id,
            name,
            rank,
            login,
            unit,
            email,
            phone,
            hired,
            status,
        } => {
            let e = roster::add(
                store,
                me,
                NewEmployee {
                    id,
                    name,
                    rank,
                    unit,
                    login,
                    email,
                    phone,
                    status,
                    hired_on: hired,
                },
            )?;
            done(out, json, &e, "added")
        }
        RosterCommand::Edit {
            id,
            name,
            rank,
            unit,
            login,
            email,
            phone,
            status,
        } => {
            let e = roster::edit(
                store,
                me,
                &id,
                EmployeeEdit {
                    name,
                    rank,
                    unit,
                    login,
                    email,
                    phone,
                    status,
                },
            )?;
            done(out, json, &e, "updated")
        }
        RosterCommand::Authorize { id, accounts } => {
            let e = roster::authorize(store, me, &id, accounts)?;
            done(out, json, &e, "authorized for the social media team")
        }
        RosterCommand::Revoke { id, reason } => {
            let e = roster::revoke(store, me, &id, &reason)?;
            done(out, json, &e, "team authorization revoked")
        }
        RosterCommand::Separate { id, on } => {
            let e = roster::separate(store, me, &id, on.as_deref())?;
            done(out, json, &e, "separation recorded")
        }
        RosterCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::invalid(format!("cannot read {}: {e}", file.display())))?;
            let n = roster::import(store, me, &text)?;
            if json {
                output::json(out, &serde_json::json!({ "imported": n }))
            } else {
                writeln!(out, "imported {n} employees")?;
                Ok(())
            }
        }
        RosterCommand::Delegate { id } => {
            let e = roster::delegate(store, me, &id)?;
            done(out, json, &e, "delegation granted")
        }
        RosterCommand::Undelegate => {
            let holder = roster::undelegate(store, me)?;
            writeln!(
                out,
                "delegation revoked from {}",
                holder.unwrap_or_default()
            )?;
            Ok(())
        }
    }
}

/// The whole roster in name order, or the best matches for `query`.
pub fn list(store: &mut Store, query: Option<&str>, limit: Option<usize>) -> Result<Vec<Employee>> {
    let now = store.now();
    store.read(|conn| match query {
        Some(q) => {
            let mut index = fuzzy::Index::new(roster::haystacks(conn)?);
            let mut found = index.search(q);
            if let Some(n) = limit {
                found.truncate(n);
            }
            let ids: Vec<String> = found.iter().map(|i| index.id(*i).to_string()).collect();
            roster::by_ids(conn, &ids, now)
        }
        None => roster::window(conn, 0, limit.map(|n| n as i64).unwrap_or(i64::MAX), now),
    })
}
