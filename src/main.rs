//! socialdesk: parses the command line, signs the user in, then runs a
//! command or opens the TUI; maps errors to the SPEC's exit codes.
#![forbid(unsafe_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use socialdesk::cli::{self, Cli, Command};
use socialdesk::error::{Error, Result};
use socialdesk::store::roster::NewEmployee;
use socialdesk::store::{self, Clock, Me, OpenMode, Store};
use socialdesk::{demo, identity, tui};

fn data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("org", "socialdesk", "socialdesk")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| Error::invalid("cannot find a home folder for the data folder; use --db"))
}

/// `--db` > `$SOCIALDESK_DB` > the data folder (SPEC §7).
fn database_path(cli: &Cli) -> Result<PathBuf> {
    if cli.demo {
        return Ok(data_dir()?.join("demo.db"));
    }
    if let Some(p) = &cli.db {
        return Ok(p.clone());
    }
    if let Some(p) = std::env::var_os("SOCIALDESK_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    Ok(data_dir()?.join("socialdesk.db"))
}

/// Tests pin the clock with `SOCIALDESK_NOW` (RFC 3339); release builds
/// always use the system clock, so no one can backdate a record.
fn clock() -> Clock {
    if cfg!(debug_assertions) {
        if let Some(t) = std::env::var("SOCIALDESK_NOW")
            .ok()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
        {
            return Clock::Fixed(t.with_timezone(&chrono::Utc));
        }
    }
    Clock::System
}

fn init(path: &std::path::Path, args: cli::InitArgs, out: &mut dyn Write) -> Result<()> {
    if args.demo {
        demo::create(path)?;
        writeln!(out, "created the demo county in {}", path.display())?;
        return Ok(());
    }
    let (Some(id), Some(name), Some(login)) = (args.chief_id, args.chief_name, args.chief_login)
    else {
        return Err(Error::invalid(
            "init needs --chief-id, --chief-name and --chief-login",
        ));
    };
    let os_user = identity::os_login()?;
    let mut store = Store::open(path, OpenMode::Create)?;
    store.clock = clock();
    let result = store.migrate(&os_user).and_then(|()| {
        store::roster::found(
            &mut store,
            &Me {
                employee: id.clone(),
                os_user: os_user.clone(),
            },
            NewEmployee {
                id: id.clone(),
                name,
                rank: "chief".into(),
                login: Some(login),
                status: "active".into(),
                ..NewEmployee::default()
            },
        )
    });
    if let Err(e) = result {
        drop(store);
        remove_new_database(path);
        return Err(e);
    }
    writeln!(out, "created {} with chief {id}", path.display())?;
    Ok(())
}

/// A failed `init` leaves no half-made database behind.
fn remove_new_database(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

fn run(cli: Cli) -> Result<()> {
    let path = database_path(&cli)?;
    let mut out = std::io::stdout().lock();
    if let Some(Command::Init(args)) = cli.command {
        return init(&path, args, &mut out);
    }
    if cli.demo && !path.exists() {
        demo::create(&path)?;
    }
    let mut store = Store::open(&path, OpenMode::Existing)?;
    store.clock = clock();
    store.migrate(&identity::os_login()?)?;
    let session = identity::sign_in(&mut store, cli.as_login.as_deref())?;
    match cli.command {
        Some(command) => {
            let rules = cli::rules()?;
            cli::run(&mut store, &session, &rules, command, cli.json, &mut out)
        }
        None => {
            drop(out);
            tui::run(store, session)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Not eprintln!: it panics when the terminal has gone away.
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
