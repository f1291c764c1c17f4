//! The demo county (`init --demo`, `--demo`): a fictional department of 40
//! people across every rank, with a delegate, platform accounts and a social
//! media team whose history spans a year, run by the current OS login as
//! its Chief Probation Officer.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};

use crate::error::Result;
use crate::identity;
use crate::store::accounts::{self, NewAccount};
use crate::store::roster::{self, NewEmployee};
use crate::store::{settings, Clock, Me, OpenMode, Store};

const ROSTER: &str = include_str!("../assets/demo/roster.csv");

pub const CHIEF_ID: &str = "P1001";
pub const DEPARTMENT: &str = "Sierra Vista County Probation Department";

/// The roster CSV, with any login equal to `taken` renamed so the chief's
/// login stays unique.
fn roster_csv(taken: &str) -> String {
    ROSTER
        .lines()
        .map(|line| {
            let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
            if cells.len() > 4 && cells[4] == taken {
                cells[4] = format!("{taken}2");
            }
            cells.join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The demo county as of now, run by the current OS login.
pub fn create(path: &Path) -> Result<()> {
    let os_user = identity::os_login()?;
    create_at(path, Utc::now(), &os_user)
}

/// The demo county as of `today`, with `chief_login` as its chief (tests
/// pin both so that screens are reproducible).
pub fn create_at(path: &Path, today: DateTime<Utc>, chief_login: &str) -> Result<()> {
    let os_user = chief_login.to_string();
    let mut store = Store::open(path, OpenMode::Create)?;
    let days_ago = |d: i64| Clock::Fixed(today - Duration::days(d));
    store.clock = days_ago(400);
    store.migrate(&os_user)?;
    let me = Me {
        employee: CHIEF_ID.into(),
        os_user: os_user.clone(),
    };
    roster::found(
        &mut store,
        &me,
        NewEmployee {
            id: CHIEF_ID.into(),
            name: "Dolores Whitfield".into(),
            rank: "chief".into(),
            unit: "Administration".into(),
            login: Some(os_user.clone()),
            email: "dwhitfield@sierravista.example".into(),
            phone: "555-0101".into(),
            status: "active".into(),
            hired_on: Some("2009-03-16".into()),
        },
    )?;
    settings::set(&mut store, &me, "department_name", DEPARTMENT)?;
    roster::import(&mut store, &me, &roster_csv(&os_user))?;

    store.clock = days_ago(390);
    for (platform, handle, responsible, profile) in [
        (
            "instagram",
            "sierravistaprobation",
            "P1010",
            "Official account of the Sierra Vista County Probation Department",
        ),
        (
            "facebook",
            "SierraVistaCountyProbation",
            "P1010",
            "Sierra Vista County Probation Department: news, events and recruitment",
        ),
        (
            "twitter",
            "SVCProbation",
            "P1011",
            "Sierra Vista County Probation Department",
        ),
        (
            "tiktok",
            "svcprobation",
            "P1012",
            "Careers and community at SVC Probation",
        ),
    ] {
        accounts::add(
            &mut store,
            &me,
            NewAccount {
                platform: platform.into(),
                handle: handle.into(),
                responsible: responsible.into(),
                profile: profile.into(),
            },
        )?;
    }

    let team: [(i64, &str, Option<&[&str]>); 11] = [
        (380, "P1045", None),
        (350, "P1032", None),
        (300, "P1030", None),
        (
            300,
            "P1038",
            Some(&["sierravistaprobation", "svcprobation"]),
        ),
        (300, "P1044", None),
        (300, "P1049", None),
        (300, "P1020", None),
        (200, "P1035", Some(&["SVCProbation"])),
        (150, "P1033", None),
        (120, "P1039", None),
        (100, "P1063", None),
    ];
    for (ago, id, scope) in team {
        store.clock = days_ago(ago);
        let scope = scope.map(|s| s.iter().map(|h| h.to_string()).collect());
        roster::authorize(&mut store, &me, id, scope)?;
    }
    store.clock = days_ago(60);
    roster::delegate(&mut store, &me, "P1010")?;
    store.clock = days_ago(30);
    roster::revoke(&mut store, &me, "P1033", "reassigned to caseload duties")?;
    store.clock = days_ago(20);
    roster::separate(&mut store, &me, "P1035", None)?;
    store.clock = days_ago(5);
    roster::authorize(&mut store, &me, "P1030", None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_colliding_login_is_renamed() {
        let csv = roster_csv("dana");
        assert!(csv.contains(",dana2,"));
        assert!(!csv.contains(",dana,"));
        assert_eq!(csv.lines().count(), ROSTER.lines().count());
    }
}
