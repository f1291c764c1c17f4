//! The demo county (`init --demo`, `--demo`): a fictional department of 40
//! people across every rank, with a delegate, platform accounts and a social
//! media team whose history spans a year, run by the current OS login as
//! its Chief Probation Officer.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};

use crate::domain::case::Step as CaseStep;
use crate::domain::credential::Step;
use crate::domain::screening::Rules;
use crate::error::Result;
use crate::identity;
use crate::store::accounts::{self, NewAccount};
use crate::store::cases::{self, Link, NewCase, Work};
use crate::store::credentials::{self, NewChange};
use crate::store::drafts::{self, MediaInput, NewDraft, Verdict};
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
    store.clock = days_ago(45);
    roster::authorize(&mut store, &me, "P1030", None)?;
    store.clock = days_ago(30);
    roster::revoke(&mut store, &me, "P1033", "reassigned to caseload duties")?;
    store.clock = days_ago(20);
    roster::separate(&mut store, &me, "P1035", None)?;
    credentials(&mut store, today, &os_user)?;
    drafts(&mut store, path, today, &os_user)
}

/// The credential-change log: one of each kind of entry, an overdue
/// exigent change among them (V.7).
fn credentials(store: &mut Store, today: DateTime<Utc>, os_user: &str) -> Result<()> {
    let as_ = |id: &str| Me {
        employee: id.to_string(),
        os_user: os_user.to_string(),
    };
    let at = |store: &mut Store, days: i64, hours: i64| {
        store.clock = Clock::Fixed(today - Duration::days(days) - Duration::hours(hours));
    };
    let open_case = |store: &mut Store,
                     who: &str,
                     subject: &str,
                     clause: &str,
                     summary: &str,
                     links: Vec<Link>| {
        cases::open(
            store,
            &as_(who),
            NewCase {
                subject: subject.into(),
                clause: clause.into(),
                summary: summary.into(),
                links,
            },
        )
        .map(|c| c.id)
    };
    let work = |store: &mut Store, who: &str, id: &str, w: Work| {
        cases::work(store, &as_(who), id, w).map(|_| ())
    };
    let request = |store: &mut Store,
                   who: &str,
                   account: &str,
                   kind: &str,
                   reason: &str,
                   exigency: Option<&str>| {
        credentials::file(
            store,
            &as_(who),
            NewChange {
                account: account.into(),
                kind: kind.into(),
                reason: reason.into(),
                exigency: exigency.map(String::from),
            },
        )
        .map(|c| c.number)
    };
    let step = |store: &mut Store, who: &str, id: i64, s: Step, text: Option<&str>| {
        credentials::step(store, &as_(who), id, s, text).map(|_| ())
    };

    // Events run forward in time, from 19 days ago (after the roster's
    // history) to 13 days ago (before the drafts').
    // Completed after approval in advance.
    at(store, 19, 12);
    let c = request(
        store,
        "P1030",
        "SierraVistaCountyProbation",
        "mfa",
        "Move two-factor codes to the new Department phone",
        None,
    )?;
    at(store, 19, 8);
    step(store, "P1010", c, Step::Approve, None)?;
    at(store, 19, 6);
    step(store, "P1030", c, Step::Complete, None)?;

    // Exigent, notified and acknowledged.
    at(store, 18, 0);
    let c = request(
        store,
        "P1038",
        "svcprobation",
        "password",
        "Login alert from an unknown device; password changed at once",
        Some("compromise"),
    )?;
    at(store, 17, 23);
    step(
        store,
        "P1038",
        c,
        Step::Notify,
        Some("Phoned Priya Raman at 555-0112"),
    )?;
    at(store, 17, 20);
    step(store, "P1012", c, Step::Acknowledge, None)?;

    // A lock-out the requester fixed at once, acknowledged.
    at(store, 16, 12);
    let c = request(
        store,
        "P1032",
        "SierraVistaCountyProbation",
        "recovery",
        "Locked out after the recovery phone was replaced; recovery codes regenerated",
        Some("other"),
    )?;
    at(store, 16, 10);
    step(store, "P1010", c, Step::Acknowledge, None)?;

    // Approved, not yet made.
    at(store, 16, 0);
    let c = request(
        store,
        "P1049",
        "SVCProbation",
        "username",
        "Rename the account to match the county's identity standards",
        None,
    )?;
    at(store, 15, 20);
    step(store, "P1011", c, Step::Approve, None)?;

    // A case closed with a sustained finding.
    at(store, 15, 12);
    let sm = open_case(
        store,
        "P1002",
        "P1032",
        "V.8.b",
        "Replied from the Department account to a personal dispute on a community page",
        vec![],
    )?;
    at(store, 15, 11);
    work(store, "P1002", &sm, Work::Assign("P1012".into()))?;
    work(store, "P1012", &sm, Work::Step(CaseStep::Start, None))?;
    at(store, 15, 2);
    work(
        store,
        "P1012",
        &sm,
        Work::Note("Screenshots of the reply thread collected from the page moderator.".into()),
    )?;
    at(store, 14, 6);
    work(
        store,
        "P1012",
        &sm,
        Work::Step(CaseStep::Finding, Some("sustained".into())),
    )?;
    at(store, 14, 5);
    work(store, "P1002", &sm, Work::Step(CaseStep::Close, None))?;

    // Exigent and overdue: never acknowledged.
    at(store, 14, 0);
    let c = request(
        store,
        "P1044",
        "SierraVistaCountyProbation",
        "password",
        "Phishing email clicked on the shared laptop; password reset immediately",
        Some("intrusion"),
    )?;
    at(store, 13, 23);
    step(
        store,
        "P1044",
        c,
        Step::Notify,
        Some("Voicemail left for Dana Whitaker"),
    )?;

    // Awaiting approval.
    at(store, 13, 0);
    request(
        store,
        "P1030",
        "sierravistaprobation",
        "admin_role",
        "Add Nicole Price as a second administrator for holiday coverage",
        None,
    )?;
    Ok(())
}

/// Writes a demo media file beside the database and returns its path.
fn media_file(db: &Path, name: &str) -> Result<String> {
    let dir = db.with_extension("media");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(name);
    std::fs::write(&path, format!("socialdesk demo media: {name}\n"))?;
    Ok(path.display().to_string())
}

/// Fifteen drafts in every status, with findings of each kind, so the
/// chief's queue is a real one.
fn drafts(store: &mut Store, db: &Path, today: DateTime<Utc>, os_user: &str) -> Result<()> {
    let rules = Rules::builtin();
    let as_ = |id: &str| Me {
        employee: id.to_string(),
        os_user: os_user.to_string(),
    };
    let at = |store: &mut Store, days: i64, hours: i64| {
        store.clock = Clock::Fixed(today - Duration::days(days) - Duration::hours(hours));
    };
    let training = media_file(db, "defensive-tactics-training.jpg")?;
    let sunset = media_file(db, "courthouse-sunset.jpg")?;
    let video = media_file(db, "ride-along-day.mp4")?;
    let new = |store: &mut Store,
               author: &str,
               account: &str,
               purpose: &str,
               text: &str,
               media: Vec<MediaInput>| {
        drafts::create(
            store,
            &as_(author),
            &rules,
            NewDraft {
                account: account.into(),
                purpose: purpose.into(),
                text: text.into(),
                media,
            },
        )
        .map(|d| d.number)
    };
    let photo = |path: &str, operations: bool| {
        vec![MediaInput {
            path: path.to_string(),
            depicts_operations: operations,
        }]
    };
    let submit = |store: &mut Store, author: &str, id: i64| {
        drafts::submit(store, &as_(author), &rules, id, true).map(|_| ())
    };
    let decide = |store: &mut Store, who: &str, id: i64, verdict: Verdict| {
        drafts::decide(store, &as_(who), &rules, id, verdict, None).map(|_| ())
    };

    // Published: approved by the responsible Chief Deputy, then posted.
    at(store, 12, 0);
    let d = new(store, "P1049", "SVCProbation", "achievement", "Congratulations to our 2026 Probation Academy graduates! Forty-two new officers took the oath today.", vec![])?;
    submit(store, "P1049", d)?;
    at(store, 11, 20);
    decide(store, "P1011", d, Verdict::Approve { express: false })?;
    at(store, 11, 18);
    drafts::publish(
        store,
        &as_("P1049"),
        d,
        "https://x.com/SVCProbation/status/1860000000000000001",
    )?;

    // Rejected: private business (V.6.d).
    at(store, 10, 0);
    let d = new(
        store,
        "P1032",
        "SierraVistaCountyProbation",
        "outreach",
        "Use code PROBATION20 for 20% off at my shop this weekend!",
        vec![],
    )?;
    submit(store, "P1032", d)?;
    at(store, 9, 22);
    decide(
        store,
        "P1010",
        d,
        Verdict::Reject {
            reason: "Private business on a Department account (V.6.d)".into(),
        },
    )?;
    // A case about the rejected draft, under investigation.
    at(store, 9, 20);
    let sm = cases::open(
        store,
        &as_("P1010"),
        NewCase {
            subject: "P1032".into(),
            clause: "V.8.c.ii".into(),
            summary:
                "Drafted a post with a personal discount code for the Department's Facebook account"
                    .into(),
            links: vec![Link::Draft(d)],
        },
    )?
    .id;
    at(store, 9, 19);
    cases::work(store, &as_("P1010"), &sm, Work::Assign("P1011".into()))?;
    at(store, 9, 18);
    cases::work(store, &as_("P1011"), &sm, Work::Step(CaseStep::Start, None))?;

    // Withdrawn by its author.
    at(store, 9, 0);
    let d = new(
        store,
        "P1020",
        "SVCProbation",
        "mission",
        "Holiday office hours: closed Thursday and Friday.",
        vec![],
    )?;
    drafts::withdraw(store, &as_("P1020"), d)?;

    // Submitted long ago: stale.
    at(store, 9, 0);
    let d = new(
        store,
        "P1044",
        "SierraVistaCountyProbation",
        "outreach",
        "Thank you to everyone who joined our community resource fair at Lincoln Park!",
        vec![],
    )?;
    submit(store, "P1044", d)?;
    at(store, 8, 0);
    drafts::note(
        store,
        &as_("P1010"),
        d,
        "Checking with Parks and Recreation before we name the park.",
    )?;

    // Changes requested, then edited: the diff shows what changed.
    at(store, 8, 0);
    let d = new(
        store,
        "P1030",
        "SierraVistaCountyProbation",
        "recognition",
        "Our youth mentoring program celebrates 10 years.",
        vec![],
    )?;
    submit(store, "P1030", d)?;
    at(store, 7, 20);
    decide(
        store,
        "P1010",
        d,
        Verdict::RequestChanges {
            reason: "Say when and where the celebration is, and thank the volunteers.".into(),
        },
    )?;
    at(store, 6, 0);
    drafts::edit(store, &as_("P1030"), &rules, d, "Our youth mentoring program celebrates 10 years!\nJoin us Saturday at 10am at the Eastside Community Center.", None)?;
    submit(store, "P1030", d)?;

    // Approved, not yet published.
    at(store, 6, 0);
    let d = new(store, "P1044", "sierravistaprobation", "recognition", "National Probation Officers Week: thank you to our officers for their service to Sierra Vista County.", vec![])?;
    submit(store, "P1044", d)?;
    at(store, 5, 22);
    decide(store, "P1010", d, Verdict::Approve { express: false })?;

    // Approved with express approval of operations media by the responsible Chief Deputy.
    at(store, 5, 0);
    let d = new(
        store,
        "P1038",
        "svcprobation",
        "recruitment",
        "A day on the job with our field officers. Video: SVC Probation.",
        photo(&video, true),
    )?;
    submit(store, "P1038", d)?;
    at(store, 4, 20);
    decide(store, "P1012", d, Verdict::Approve { express: true })?;

    // Changes requested and not yet edited.
    at(store, 4, 0);
    let d = new(
        store,
        "P1063",
        "svcprobation",
        "outreach",
        "Ask us anything about probation careers in the comments!",
        vec![],
    )?;
    submit(store, "P1063", d)?;
    at(store, 3, 20);
    decide(
        store,
        "P1012",
        d,
        Verdict::RequestChanges {
            reason: "Add who will answer and when.".into(),
        },
    )?;

    // Still a draft.
    at(store, 3, 0);
    new(
        store,
        "P1063",
        "svcprobation",
        "recruitment",
        "Day in the life of a probation officer: coming soon!",
        vec![],
    )?;

    // The queue: findings of every kind.
    at(store, 3, 0);
    let d = new(
        store,
        "P1038",
        "sierravistaprobation",
        "mission",
        "Behind the scenes at this week's defensive tactics training.",
        photo(&training, true),
    )?;
    submit(store, "P1038", d)?;
    at(store, 2, 0);
    let d = new(store, "P1030", "sierravistaprobation", "recruitment", "We're hiring Deputy Probation Officers! Join a team that changes lives. Apply by December 15 on the county jobs page.", vec![])?;
    submit(store, "P1030", d)?;
    at(store, 1, 12);
    let d = new(store, "P1049", "SVCProbation", "achievement", "Great work by our officers: the man arrested downtown last week was found guilty and is awaiting sentencing.", vec![])?;
    submit(store, "P1049", d)?;
    // An open case about it, already past its due date.
    at(store, 1, 10);
    let sm = cases::open(
        store,
        &as_("P1011"),
        NewCase {
            subject: "P1049".into(),
            clause: "V.8.c.i".into(),
            summary: "Drafted a post commenting on a verdict and a pending sentencing".into(),
            links: vec![Link::Draft(d)],
        },
    )?
    .id;
    at(store, 1, 9);
    let overdue = (today - Duration::days(2)).date_naive().to_string();
    cases::work(store, &as_("P1011"), &sm, Work::Due(overdue))?;
    at(store, 1, 6);
    let d = new(
        store,
        "P1020",
        "SierraVistaCountyProbation",
        "outreach",
        "Vote for Measure K on November 5 to fund youth programs!",
        vec![],
    )?;
    submit(store, "P1020", d)?;
    at(store, 1, 0);
    let d = new(store, "P1032", "SierraVistaCountyProbation", "recognition", "Congratulations to probationer Maria Lopez, DOB 4/12/1990, for completing her program at 1234 Elm Street.", vec![])?;
    submit(store, "P1032", d)?;
    at(store, 0, 8);
    let d = new(
        store,
        "P1030",
        "sierravistaprobation",
        "outreach",
        "Sunset over the Sierra Vista County courthouse tonight.",
        photo(&sunset, false),
    )?;
    submit(store, "P1030", d)?;
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
