//! Credential changes (V.7, SPEC §4): kinds, the two paths, statuses, the
//! steps between them and when an exigent change's notice is overdue.

use chrono::{DateTime, Duration, Utc};

use crate::error::Error;

pub const KINDS: [&str; 5] = ["password", "username", "mfa", "recovery", "admin_role"];
pub const EXIGENCIES: [&str; 3] = ["intrusion", "compromise", "other"];

/// V.7: changes are approved in advance, unless exigent circumstances
/// force them first (then the responsible Chief Deputy is notified).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    PreApproved,
    Exigent,
}

impl Path {
    pub fn as_str(self) -> &'static str {
        match self {
            Path::PreApproved => "pre_approved",
            Path::Exigent => "exigent",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Requested,
    Approved,
    Completed,
    Denied,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Requested,
        Status::Approved,
        Status::Completed,
        Status::Denied,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Requested => "requested",
            Status::Approved => "approved",
            Status::Completed => "completed",
            Status::Denied => "denied",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Result<Status, Error> {
        Status::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| Error::Storage(format!("corrupt credential status {s:?}")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Approve,
    Deny,
    Complete,
    Cancel,
    Notify,
    Acknowledge,
}

impl Step {
    pub fn verb(self) -> &'static str {
        match self {
            Step::Approve => "approve",
            Step::Deny => "deny",
            Step::Complete => "complete",
            Step::Cancel => "cancel",
            Step::Notify => "record the notice of",
            Step::Acknowledge => "acknowledge",
        }
    }
}

/// The status a step leads to, or None when the path and status forbid it.
/// A pre-approved change completes only after its approval (V.7: "approved
/// in advance"); notice and acknowledgement belong to exigent changes.
pub fn next(path: Path, status: Status, step: Step) -> Option<Status> {
    use Status::*;
    match (path, step, status) {
        (Path::PreApproved, Step::Approve, Requested) => Some(Approved),
        (Path::PreApproved, Step::Deny, Requested) => Some(Denied),
        (Path::PreApproved, Step::Complete, Approved) => Some(Completed),
        (Path::PreApproved, Step::Cancel, Requested | Approved) => Some(Cancelled),
        (Path::Exigent, Step::Notify | Step::Acknowledge, Completed) => Some(Completed),
        _ => None,
    }
}

/// An exigent change's notice is overdue once `hours` have passed since it
/// was made without the responsible Chief Deputy acknowledging it; with 0
/// hours it is overdue at once.
pub fn overdue(
    path: Path,
    made: DateTime<Utc>,
    acknowledged: bool,
    hours: u32,
    now: DateTime<Utc>,
) -> bool {
    path == Path::Exigent && !acknowledged && now - made >= Duration::hours(i64::from(hours))
}

pub fn printed_id(id: i64) -> String {
    format!("CR-{id}")
}

/// Parses `CR-3` or `3`.
pub fn parse_id(s: &str) -> Result<i64, Error> {
    let digits = s
        .strip_prefix("CR-")
        .or_else(|| s.strip_prefix("cr-"))
        .unwrap_or(s);
    digits
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::invalid(format!("{s:?} is not a credential change id (CR-3 or 3)")))
}

pub fn check_kind(kind: &str) -> Result<(), Error> {
    if KINDS.contains(&kind) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "unknown kind {kind:?} (one of: {})",
            KINDS.join(", ")
        )))
    }
}

pub fn check_exigency(exigency: &str) -> Result<(), Error> {
    if EXIGENCIES.contains(&exigency) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "unknown exigency {exigency:?} (one of: {})",
            EXIGENCIES.join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use Status::*;

    #[test]
    fn every_step_on_every_path_and_status() {
        let steps = [
            Step::Approve,
            Step::Deny,
            Step::Complete,
            Step::Cancel,
            Step::Notify,
            Step::Acknowledge,
        ];
        #[rustfmt::skip]
        let pre: [(Status, [Option<Status>; 6]); 5] = [
            //          approve         deny          complete         cancel           notify acknowledge
            (Requested, [Some(Approved), Some(Denied), None,            Some(Cancelled), None, None]),
            (Approved,  [None,           None,         Some(Completed), Some(Cancelled), None, None]),
            (Completed, [None,           None,         None,            None,            None, None]),
            (Denied,    [None,           None,         None,            None,            None, None]),
            (Cancelled, [None,           None,         None,            None,            None, None]),
        ];
        for (from, want) in pre {
            for (step, w) in steps.iter().zip(want) {
                assert_eq!(next(Path::PreApproved, from, *step), w, "{from:?} {step:?}");
            }
        }
        for from in Status::ALL {
            for step in steps {
                let want = (from == Completed && matches!(step, Step::Notify | Step::Acknowledge))
                    .then_some(Completed);
                assert_eq!(
                    next(Path::Exigent, from, step),
                    want,
                    "exigent {from:?} {step:?}"
                );
            }
        }
    }

    #[test]
    fn a_pre_approved_change_never_completes_unapproved() {
        assert_eq!(next(Path::PreApproved, Requested, Step::Complete), None);
    }

    #[test]
    fn overdue_counts_from_an_injected_clock() {
        let made = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let later = |h: i64| made + Duration::hours(h);
        assert!(!overdue(Path::Exigent, made, false, 24, later(23)));
        assert!(overdue(Path::Exigent, made, false, 24, later(24)));
        assert!(!overdue(Path::Exigent, made, true, 24, later(48)));
        assert!(overdue(Path::Exigent, made, false, 0, made));
        assert!(!overdue(Path::PreApproved, made, false, 0, later(100)));
    }

    #[test]
    fn ids_and_words() {
        assert_eq!(parse_id("CR-3").unwrap(), 3);
        assert_eq!(parse_id("3").unwrap(), 3);
        assert!(parse_id("D-3").is_err());
        assert_eq!(printed_id(4), "CR-4");
        assert!(check_kind("mfa").is_ok() && check_kind("pin").is_err());
        assert!(check_exigency("intrusion").is_ok() && check_exigency("panic").is_err());
    }
}
