//! Violation cases (V.8, SPEC §5): clauses, statuses, dispositions, the
//! steps between statuses, deadlines and early warnings.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::error::Error;

/// The clauses of V.8 a case can be about, with what each means.
pub const CLAUSES: [(&str, &str); 6] = [
    (
        "V.8.a",
        "sharing or transmitting confidential or protected information",
    ),
    (
        "V.8.b",
        "unauthorized representation of the Department or County",
    ),
    ("V.8.c.i", "County or Department standards of conduct"),
    ("V.8.c.ii", "Department policies and procedures"),
    ("V.8.c.iii", "Countywide policies and guidelines"),
    ("V.8.c.iv", "local, state or federal laws"),
];

pub const DISPOSITIONS: [&str; 4] = ["sustained", "not_sustained", "exonerated", "unfounded"];

pub fn check_clause(clause: &str) -> Result<(), Error> {
    if CLAUSES.iter().any(|(c, _)| *c == clause) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "unknown clause {clause:?} (one of: {})",
            CLAUSES.map(|(c, _)| c).join(", ")
        )))
    }
}

pub fn check_disposition(d: &str) -> Result<(), Error> {
    if DISPOSITIONS.contains(&d) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "unknown disposition {d:?} (one of: {})",
            DISPOSITIONS.join(", ")
        )))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Investigating,
    Finding,
    Closed,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Open,
        Status::Investigating,
        Status::Finding,
        Status::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Investigating => "investigating",
            Status::Finding => "finding",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Result<Status, Error> {
        Status::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| Error::Storage(format!("corrupt case status {s:?}")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Start,
    Finding,
    Close,
    Reopen,
}

impl Step {
    pub fn verb(self) -> &'static str {
        match self {
            Step::Start => "start investigating",
            Step::Finding => "record a finding on",
            Step::Close => "close",
            Step::Reopen => "reopen",
        }
    }
}

/// open → investigating → finding → closed; a closed case can be reopened
/// (with a reason) and goes back to open. A disposition is set only by the
/// step to `finding`.
pub fn next(from: Status, step: Step) -> Option<Status> {
    use Status::*;
    match (step, from) {
        (Step::Start, Open) => Some(Investigating),
        (Step::Finding, Investigating) => Some(Finding),
        (Step::Close, Finding) => Some(Closed),
        (Step::Reopen, Closed) => Some(Open),
        _ => None,
    }
}

pub fn printed_id(year: i32, seq: i64) -> String {
    format!("SM-{year}-{seq:04}")
}

/// Parses `SM-2026-0001` into (year, sequence).
pub fn parse_id(s: &str) -> Result<(i32, i64), Error> {
    let bad = || Error::invalid(format!("{s:?} is not a case id (SM-2026-0001)"));
    let rest = s
        .strip_prefix("SM-")
        .or_else(|| s.strip_prefix("sm-"))
        .ok_or_else(bad)?;
    let (year, seq) = rest.split_once('-').ok_or_else(bad)?;
    Ok((
        year.parse().map_err(|_| bad())?,
        seq.parse().map_err(|_| bad())?,
    ))
}

/// Where a case stands against its due date and its investigation clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    Fine,
    /// Due within the next 7 days.
    Near,
    Overdue,
    /// Past its investigation clock (`case_clock_days`).
    ClockRunOut,
}

pub const NEAR_DAYS: i64 = 7;

pub fn deadline(
    status: Status,
    due: NaiveDate,
    clock_ends: NaiveDate,
    now: DateTime<Utc>,
) -> Deadline {
    if status == Status::Closed {
        return Deadline::Fine;
    }
    let today = now.date_naive();
    if today > clock_ends {
        Deadline::ClockRunOut
    } else if today > due {
        Deadline::Overdue
    } else if due - today <= Duration::days(NEAR_DAYS) {
        Deadline::Near
    } else {
        Deadline::Fine
    }
}

/// Whether `events` (times of the employee's rejected drafts, dismissed
/// blocking findings, exigent changes and sustained cases) reach the
/// threshold within the window ending now.
pub fn early_warning(
    events: &[DateTime<Utc>],
    window_days: u32,
    threshold: u32,
    now: DateTime<Utc>,
) -> bool {
    let since = now - Duration::days(i64::from(window_days));
    threshold > 0
        && events.iter().filter(|t| **t >= since && **t <= now).count() >= threshold as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use Status::*;

    #[test]
    fn the_status_machine() {
        let steps = [Step::Start, Step::Finding, Step::Close, Step::Reopen];
        #[rustfmt::skip]
        let table: [(Status, [Option<Status>; 4]); 4] = [
            //             start                finding        close         reopen
            (Open,          [Some(Investigating), None,          None,         None]),
            (Investigating, [None,                Some(Finding), None,         None]),
            (Finding,       [None,                None,          Some(Closed), None]),
            (Closed,        [None,                None,          None,         Some(Open)]),
        ];
        for (from, want) in table {
            for (step, w) in steps.iter().zip(want) {
                assert_eq!(next(from, *step), w, "{from:?} {step:?}");
            }
        }
    }

    #[test]
    fn ids_round_trip() {
        assert_eq!(printed_id(2026, 1), "SM-2026-0001");
        assert_eq!(parse_id("SM-2026-0001").unwrap(), (2026, 1));
        assert!(
            parse_id("D-1").is_err() && parse_id("SM-2026").is_err() && parse_id("SM-x-1").is_err()
        );
    }

    #[test]
    fn clauses_and_dispositions_are_the_contract_words() {
        for c in [
            "V.8.a",
            "V.8.b",
            "V.8.c.i",
            "V.8.c.ii",
            "V.8.c.iii",
            "V.8.c.iv",
        ] {
            assert!(check_clause(c).is_ok());
        }
        assert!(check_clause("V.8.c").is_err());
        for d in ["sustained", "not_sustained", "exonerated", "unfounded"] {
            assert!(check_disposition(d).is_ok());
        }
        assert!(check_disposition("guilty").is_err());
    }

    #[test]
    fn deadlines_from_an_injected_clock() {
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
        let clock = day(12, 31);
        assert_eq!(deadline(Open, day(4, 30), clock, now), Deadline::Fine);
        assert_eq!(deadline(Open, day(3, 17), clock, now), Deadline::Near);
        assert_eq!(
            deadline(Investigating, day(3, 9), clock, now),
            Deadline::Overdue
        );
        assert_eq!(
            deadline(Investigating, day(3, 9), day(3, 1), now),
            Deadline::ClockRunOut
        );
        assert_eq!(deadline(Closed, day(3, 9), day(3, 1), now), Deadline::Fine);
    }

    #[test]
    fn early_warnings_count_only_the_window() {
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
        let ago = |d: i64| now - Duration::days(d);
        assert!(early_warning(&[ago(1), ago(30), ago(89)], 90, 3, now));
        assert!(!early_warning(&[ago(1), ago(30), ago(91)], 90, 3, now));
        assert!(!early_warning(&[], 90, 0, now));
    }
}
