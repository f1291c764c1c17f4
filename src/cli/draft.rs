//! `socialdesk draft …` (SPEC §3)

use std::io::Write;
use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand};

use crate::cli::output;
use crate::domain::draft::{parse_id, DraftStatus};
use crate::domain::screening::Rules;
use crate::error::{Error, Result};
use crate::identity::Session;
use crate::store::drafts::{self, Draft, MediaInput, NewDraft, Verdict};
use crate::store::Store;
use crate::text::inert;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("body").required(true).args(["text", "file"])))]
pub struct Body {
    /// The post's text.
    #[arg(long)]
    pub text: Option<String>,
    /// Read the post's text from a file.
    #[arg(long, value_name = "F")]
    pub file: Option<PathBuf>,
}

impl Body {
    fn read(&self) -> Result<String> {
        match (&self.text, &self.file) {
            (Some(t), _) => Ok(t.clone()),
            (None, Some(f)) => read_text_file(f),
            (None, None) => Err(Error::invalid("give --text or --file")),
        }
    }
}

/// A draft is at most 20,000 characters, so at most 80,000 bytes of UTF-8:
/// reading stops there, so `--file /dev/zero` or a huge file fails at once
/// instead of filling the memory.
const MAX_TEXT_BYTES: u64 = 80_000;

fn read_text_file(f: &std::path::Path) -> Result<String> {
    use std::io::Read;
    let shown = || inert(&f.display().to_string()).into_owned();
    let mut bytes = Vec::new();
    std::fs::File::open(f)
        .and_then(|file| file.take(MAX_TEXT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::invalid(format!("cannot read {}: {e}", shown())))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(Error::invalid(format!(
            "{} is longer than a draft may be (20,000 characters)",
            shown()
        )));
    }
    String::from_utf8(bytes).map_err(|_| Error::invalid(format!("{} is not UTF-8 text", shown())))
}

#[derive(Debug, Subcommand)]
pub enum DraftCommand {
    /// Write a new draft (team members).
    New {
        #[arg(long, value_name = "ACCOUNT")]
        account: String,
        /// V.3: mission, achievement, recruitment, outreach, recognition, statewide.
        #[arg(long)]
        purpose: String,
        #[command(flatten)]
        body: Body,
        /// Attach a photo or video (hashed now); repeat for more.
        #[arg(long, value_name = "FILE")]
        media: Vec<String>,
        /// The media show Department training, activities or work assignments.
        #[arg(long)]
        operations: bool,
    },
    /// Every draft, newest first, or those in one status.
    List {
        #[arg(long, value_name = "S")]
        status: Option<String>,
    },
    /// One draft: text, findings, media, history.
    Show { draft: String },
    /// A new revision of your draft (voids an approval).
    Edit {
        draft: String,
        #[command(flatten)]
        body: Body,
        /// Replace the media; without it, the media stay.
        #[arg(long, value_name = "FILE")]
        media: Vec<String>,
        #[arg(long)]
        operations: bool,
    },
    /// Submit for approval: your attestation of the V.6 checklist.
    Submit {
        draft: String,
        #[arg(long)]
        attest: bool,
    },
    /// Withdraw your draft.
    Withdraw { draft: String },
    /// Add a reviewer note (never published).
    Note {
        draft: String,
        #[arg(long)]
        text: String,
    },
    /// Approve a submitted draft.
    Approve {
        draft: String,
        /// Record an express approval (V.6.c).
        #[arg(long)]
        express: bool,
    },
    /// Reject a submitted draft (final).
    Reject {
        draft: String,
        #[arg(long)]
        reason: String,
    },
    /// Ask the author for changes.
    Changes {
        draft: String,
        #[arg(long)]
        reason: String,
    },
    /// Dismiss a blocking or advisory finding, with a reason.
    Dismiss {
        draft: String,
        #[arg(long, value_name = "N")]
        finding: i64,
        #[arg(long)]
        reason: String,
    },
    /// Record the publication of an approved draft.
    Publish {
        draft: String,
        #[arg(long)]
        url: String,
    },
}

fn media_inputs(paths: Vec<String>, operations: bool) -> Vec<MediaInput> {
    paths
        .into_iter()
        .map(|path| MediaInput {
            path,
            depicts_operations: operations,
        })
        .collect()
}

fn row(d: &Draft) -> Vec<String> {
    let mut flags = Vec::new();
    if d.blocking_open > 0 {
        flags.push(format!("{} blocking", d.blocking_open));
    }
    if d.needs_express && !d.express {
        flags.push("needs express".into());
    }
    let advisory = d
        .findings
        .iter()
        .filter(|f| f.severity == crate::domain::screening::Severity::Advisory && !f.dismissed)
        .count();
    if advisory > 0 {
        flags.push(format!("{advisory} advisory"));
    }
    if d.stale {
        flags.push("stale".into());
    }
    let first_line: String = d
        .text
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(48)
        .collect();
    vec![
        d.id.clone(),
        d.status.to_string(),
        d.handle.clone(),
        d.author.clone(),
        d.purpose.clone(),
        flags.join(", "),
        first_line,
    ]
}

fn print(out: &mut dyn Write, d: &Draft) -> Result<()> {
    output::fields(
        out,
        &[
            ("draft", d.id.clone()),
            ("status", d.status.to_string()),
            (
                "account",
                format!("{} {} ({})", d.platform, d.handle, d.account),
            ),
            ("author", format!("{} ({})", d.author_name, d.author)),
            ("purpose", d.purpose.clone()),
            ("revision", d.revision.to_string()),
        ],
    )?;
    if let Some(by) = &d.approved_by {
        writeln!(
            out,
            "approved by {by}{}",
            if d.express { " (express)" } else { "" }
        )?;
    }
    if let Some(url) = &d.url {
        writeln!(out, "published {url}")?;
    }
    writeln!(out, "---")?;
    for line in d.text.lines() {
        writeln!(out, "{}", inert(line))?;
    }
    writeln!(out, "---")?;
    for f in &d.findings {
        writeln!(
            out,
            "finding {} {} {} \"{}\"{}: {}",
            f.n,
            f.clause,
            f.severity.as_str(),
            inert(&f.text),
            if f.dismissed { " (dismissed)" } else { "" },
            f.explanation
        )?;
    }
    for m in &d.media {
        writeln!(
            out,
            "media {} {} {} sha256:{}{}",
            m.n,
            m.kind,
            inert(&m.path),
            m.sha256,
            if m.depicts_operations {
                " (operations)"
            } else {
                ""
            }
        )?;
    }
    for n in &d.notes {
        writeln!(out, "note {} {}: {}", n.at, n.by, inert(&n.text))?;
    }
    for x in &d.decisions {
        writeln!(
            out,
            "decision r{} {} by {} at {}{}",
            x.revision,
            x.decision,
            x.by,
            x.at,
            x.reason
                .as_ref()
                .map(|r| format!(": {}", inert(r)))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

pub fn run(
    store: &mut Store,
    session: &Session,
    rules: &Rules,
    command: DraftCommand,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let me = &session.me;
    let now = store.now();
    let done = |out: &mut dyn Write, d: &Draft, what: &str| -> Result<()> {
        if json {
            output::json(out, d)
        } else {
            writeln!(out, "{} {what} ({})", d.id, d.status)?;
            Ok(())
        }
    };
    let decide = |store: &mut Store,
                  out: &mut dyn Write,
                  draft: &str,
                  verdict: Verdict,
                  what: &str|
     -> Result<()> {
        let d = drafts::decide(store, me, rules, parse_id(draft)?, verdict, None)?;
        done(out, &d, what)
    };
    match command {
        DraftCommand::New {
            account,
            purpose,
            body,
            media,
            operations,
        } => {
            let d = drafts::create(
                store,
                me,
                rules,
                NewDraft {
                    account,
                    purpose,
                    text: body.read()?,
                    media: media_inputs(media, operations),
                },
            )?;
            done(out, &d, "created")?;
            if !json {
                for f in &d.findings {
                    writeln!(
                        out,
                        "  finding {} {} {}: \"{}\"",
                        f.n,
                        f.clause,
                        f.severity.as_str(),
                        inert(&f.text)
                    )?;
                }
            }
            Ok(())
        }
        DraftCommand::List { status } => {
            let status = status.map(|s| s.parse::<DraftStatus>()).transpose()?;
            let all = drafts::list(store.conn(), status, now)?;
            if json {
                output::json(out, &all)
            } else {
                let rows: Vec<Vec<String>> = all.iter().map(row).collect();
                output::table(
                    out,
                    &[
                        "ID", "STATUS", "ACCOUNT", "AUTHOR", "PURPOSE", "FLAGS", "TEXT",
                    ],
                    &rows,
                )
            }
        }
        DraftCommand::Show { draft } => {
            let d = drafts::get(store.conn(), parse_id(&draft)?, now)?;
            if json {
                output::json(out, &d)
            } else {
                print(out, &d)
            }
        }
        DraftCommand::Edit {
            draft,
            body,
            media,
            operations,
        } => {
            let media = (!media.is_empty()).then(|| media_inputs(media, operations));
            let d = drafts::edit(store, me, rules, parse_id(&draft)?, &body.read()?, media)?;
            done(out, &d, &format!("saved as revision {}", d.revision))
        }
        DraftCommand::Submit { draft, attest } => {
            let d = drafts::submit(store, me, rules, parse_id(&draft)?, attest)?;
            done(out, &d, "submitted")
        }
        DraftCommand::Withdraw { draft } => {
            let d = drafts::withdraw(store, me, parse_id(&draft)?)?;
            done(out, &d, "withdrawn")
        }
        DraftCommand::Note { draft, text } => {
            let d = drafts::note(store, me, parse_id(&draft)?, &text)?;
            done(out, &d, "noted")
        }
        DraftCommand::Approve { draft, express } => {
            let what = if express {
                "approved (express)"
            } else {
                "approved"
            };
            decide(store, out, &draft, Verdict::Approve { express }, what)
        }
        DraftCommand::Reject { draft, reason } => {
            decide(store, out, &draft, Verdict::Reject { reason }, "rejected")
        }
        DraftCommand::Changes { draft, reason } => decide(
            store,
            out,
            &draft,
            Verdict::RequestChanges { reason },
            "returned for changes",
        ),
        DraftCommand::Dismiss {
            draft,
            finding,
            reason,
        } => {
            let d = drafts::dismiss(store, me, parse_id(&draft)?, finding, &reason)?;
            done(out, &d, &format!("finding {finding} dismissed"))
        }
        DraftCommand::Publish { draft, url } => {
            let d = drafts::publish(store, me, parse_id(&draft)?, &url)?;
            done(out, &d, "publication recorded")
        }
    }
}
