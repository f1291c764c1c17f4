//! `socialdesk case …` (SPEC §5, V.8): confidential personnel cases.

use std::io::Write;

use clap::{ArgGroup, Args, Subcommand};

use crate::cli::output;
use crate::domain::case::Step;
use crate::error::{Error, Result};
use crate::identity::Session;
use crate::store::cases::{self, Case, Link, NewCase, Work};
use crate::store::Store;
use crate::text::inert;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("target").required(true).args(["draft", "cred", "account"])))]
pub struct Target {
    #[arg(long, value_name = "D")]
    pub draft: Option<String>,
    #[arg(long, value_name = "CR")]
    pub cred: Option<String>,
    #[arg(long, value_name = "ACCOUNT")]
    pub account: Option<String>,
}

impl Target {
    fn link(&self) -> Result<Link> {
        match (&self.draft, &self.cred, &self.account) {
            (Some(d), _, _) => Ok(Link::Draft(crate::domain::draft::parse_id(d)?)),
            (_, Some(c), _) => Ok(Link::Credential(crate::domain::credential::parse_id(c)?)),
            (_, _, Some(a)) => Ok(Link::Account(a.clone())),
            _ => Err(Error::invalid("name a --draft, a --cred or an --account")),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Open a case about an employee (approvers).
    Open {
        #[arg(long, value_name = "ID")]
        subject: String,
        /// V.8.a, V.8.b, V.8.c.i, V.8.c.ii, V.8.c.iii or V.8.c.iv.
        #[arg(long)]
        clause: String,
        #[arg(long)]
        summary: String,
        #[arg(long, value_name = "D")]
        draft: Option<String>,
        #[arg(long, value_name = "CR")]
        cred: Option<String>,
        #[arg(long, value_name = "ACCOUNT")]
        account: Option<String>,
    },
    /// The cases you may see, newest first.
    List,
    /// One case with its timeline (the view is recorded).
    Show { case: String },
    /// Add a note to the timeline.
    Note {
        case: String,
        #[arg(long)]
        text: String,
    },
    /// Assign the investigator.
    Assign {
        case: String,
        #[arg(long, value_name = "ID")]
        investigator: String,
    },
    /// Set the due date.
    Due {
        case: String,
        #[arg(long, value_name = "DATE")]
        on: String,
    },
    /// Attach an evidence file (hashed now).
    Evidence {
        case: String,
        #[arg(long, value_name = "F")]
        file: String,
    },
    /// Link a draft, a credential change or an account.
    Link {
        case: String,
        #[command(flatten)]
        target: Target,
    },
    /// Start investigating.
    Start { case: String },
    /// Record the finding: sustained, not_sustained, exonerated or unfounded.
    Finding {
        case: String,
        #[arg(long)]
        disposition: String,
    },
    /// Close a case with a finding.
    Close { case: String },
    /// Reopen a closed case.
    Reopen {
        case: String,
        #[arg(long)]
        reason: String,
    },
}

fn row(c: &Case) -> Vec<String> {
    vec![
        c.id.clone(),
        c.status.clone(),
        c.clause.clone(),
        format!("{} ({})", c.subject_name, c.subject),
        c.investigator.clone().unwrap_or_default(),
        c.due.clone(),
        match c.deadline.as_str() {
            "fine" => String::new(),
            other => other.replace('_', " "),
        },
        c.disposition.clone().unwrap_or_default(),
    ]
}

fn print(out: &mut dyn Write, c: &Case) -> Result<()> {
    output::fields(
        out,
        &[
            ("case", c.id.clone()),
            ("status", c.status.clone()),
            ("clause", c.clause.clone()),
            ("subject", format!("{} ({})", c.subject_name, c.subject)),
            ("summary", c.summary.clone()),
            ("investigator", c.investigator.clone().unwrap_or_default()),
            (
                "due",
                format!("{} ({})", c.due, c.deadline.replace('_', " ")),
            ),
            ("clock ends", c.clock_ends.clone()),
            ("disposition", c.disposition.clone().unwrap_or_default()),
            ("links", c.links.join(", ")),
        ],
    )?;
    for e in &c.evidence {
        writeln!(
            out,
            "evidence {} sha256:{} ({} bytes)",
            inert(&e.path),
            e.sha256,
            e.bytes
        )?;
    }
    for t in &c.timeline {
        writeln!(out, "{} {} {}: {}", t.at, t.by, t.kind, inert(&t.text))?;
    }
    Ok(())
}

pub fn run(
    store: &mut Store,
    session: &Session,
    command: CaseCommand,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let me = &session.me;
    let done = |out: &mut dyn Write, c: &Case, what: &str| -> Result<()> {
        if json {
            output::json(out, c)
        } else {
            writeln!(out, "{} {what} ({})", c.id, c.status)?;
            Ok(())
        }
    };
    let work = |store: &mut Store, id: &str, w: Work| cases::work(store, me, id, w);
    match command {
        CaseCommand::Open {
            subject,
            clause,
            summary,
            draft,
            cred,
            account,
        } => {
            let mut links = Vec::new();
            if let Some(d) = draft {
                links.push(Link::Draft(crate::domain::draft::parse_id(&d)?));
            }
            if let Some(c) = cred {
                links.push(Link::Credential(crate::domain::credential::parse_id(&c)?));
            }
            if let Some(a) = account {
                links.push(Link::Account(a));
            }
            let c = cases::open(
                store,
                me,
                NewCase {
                    subject,
                    clause,
                    summary,
                    links,
                },
            )?;
            done(out, &c, "opened")
        }
        CaseCommand::List => {
            let all = cases::list(store.conn(), &me.employee, store.now())?;
            if json {
                output::json(out, &all)
            } else {
                let rows: Vec<Vec<String>> = all.iter().map(row).collect();
                output::table(
                    out,
                    &[
                        "ID",
                        "STATUS",
                        "CLAUSE",
                        "SUBJECT",
                        "INVESTIGATOR",
                        "DUE",
                        "DEADLINE",
                        "DISPOSITION",
                    ],
                    &rows,
                )
            }
        }
        CaseCommand::Show { case } => {
            let c = cases::view(store, me, &case)?;
            if json {
                output::json(out, &c)
            } else {
                print(out, &c)
            }
        }
        CaseCommand::Note { case, text } => {
            done(out, &work(store, &case, Work::Note(text))?, "noted")
        }
        CaseCommand::Assign { case, investigator } => done(
            out,
            &work(store, &case, Work::Assign(investigator))?,
            "assigned",
        ),
        CaseCommand::Due { case, on } => {
            done(out, &work(store, &case, Work::Due(on))?, "due date set")
        }
        CaseCommand::Evidence { case, file } => done(
            out,
            &work(store, &case, Work::Evidence(file))?,
            "evidence attached",
        ),
        CaseCommand::Link { case, target } => done(
            out,
            &work(store, &case, Work::Link(target.link()?))?,
            "linked",
        ),
        CaseCommand::Start { case } => done(
            out,
            &work(store, &case, Work::Step(Step::Start, None))?,
            "under investigation",
        ),
        CaseCommand::Finding { case, disposition } => done(
            out,
            &work(store, &case, Work::Step(Step::Finding, Some(disposition)))?,
            "finding recorded",
        ),
        CaseCommand::Close { case } => done(
            out,
            &work(store, &case, Work::Step(Step::Close, None))?,
            "closed",
        ),
        CaseCommand::Reopen { case, reason } => done(
            out,
            &work(store, &case, Work::Step(Step::Reopen, Some(reason)))?,
            "reopened",
        ),
    }
}
