//! Drafts (SPEC §3.1): statuses, the transitions between them, and purposes.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftStatus {
    Draft,
    Submitted,
    Approved,
    Rejected,
    ChangesRequested,
    Published,
    Withdrawn,
}

impl DraftStatus {
    pub const ALL: [DraftStatus; 7] = [
        DraftStatus::Draft,
        DraftStatus::Submitted,
        DraftStatus::Approved,
        DraftStatus::Rejected,
        DraftStatus::ChangesRequested,
        DraftStatus::Published,
        DraftStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DraftStatus::Draft => "draft",
            DraftStatus::Submitted => "submitted",
            DraftStatus::Approved => "approved",
            DraftStatus::Rejected => "rejected",
            DraftStatus::ChangesRequested => "changes_requested",
            DraftStatus::Published => "published",
            DraftStatus::Withdrawn => "withdrawn",
        }
    }
}

impl fmt::Display for DraftStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DraftStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        DraftStatus::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "unknown draft status {s:?} (expected one of: {})",
                    DraftStatus::ALL.map(DraftStatus::as_str).join(", ")
                ))
            })
    }
}

/// What can happen to a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Edit,
    Submit,
    Withdraw,
    Approve,
    Reject,
    RequestChanges,
    Publish,
}

impl Step {
    pub fn verb(self) -> &'static str {
        match self {
            Step::Edit => "edit",
            Step::Submit => "submit",
            Step::Withdraw => "withdraw",
            Step::Approve => "approve",
            Step::Reject => "reject",
            Step::RequestChanges => "request changes on",
            Step::Publish => "publish",
        }
    }

    pub fn is_decision(self) -> bool {
        matches!(self, Step::Approve | Step::Reject | Step::RequestChanges)
    }
}

/// The status a step leads to from `from`, or None when the status forbids it.
/// Editing an approved (or submitted) draft voids the approval (or the
/// submission) and returns it to `draft`: an approval binds to the exact
/// revision approved.
pub fn next(from: DraftStatus, step: Step) -> Option<DraftStatus> {
    use DraftStatus::*;
    match (step, from) {
        (Step::Edit, Draft | ChangesRequested | Submitted | Approved) => Some(Draft),
        (Step::Submit, Draft | ChangesRequested) => Some(Submitted),
        (Step::Withdraw, Draft | Submitted | ChangesRequested) => Some(Withdrawn),
        (Step::Approve, Submitted) => Some(Approved),
        (Step::Reject, Submitted) => Some(Rejected),
        (Step::RequestChanges, Submitted) => Some(ChangesRequested),
        (Step::Publish, Approved) => Some(Published),
        _ => None,
    }
}

/// Whether `status` is the outcome of a decision someone already took.
pub fn decided(status: DraftStatus) -> bool {
    matches!(
        status,
        DraftStatus::Approved
            | DraftStatus::Rejected
            | DraftStatus::ChangesRequested
            | DraftStatus::Published
    )
}

/// The V.6 checklist the author attests to when submitting (SPEC §3.1).
pub const CHECKLIST: [&str; 5] = [
    "It identifies me as a member of the Department (V.6.b).",
    "It says nothing about the guilt or innocence of any suspect or arrestee, nor about any pending prosecution or sentencing (V.6.c).",
    "It holds no confidential information, and no photographs or videos of Department training, activities or work assignments without express approval (V.6.c).",
    "It involves no political activity and no private business (V.6.d).",
    "It respects copyright, trademarks and service marks, with credit for third-party material (V.6.e).",
];

pub fn printed_id(id: i64) -> String {
    format!("D-{id}")
}

/// Parses `D-12` or `12`.
pub fn parse_id(s: &str) -> Result<i64, Error> {
    let digits = s
        .strip_prefix("D-")
        .or_else(|| s.strip_prefix("d-"))
        .unwrap_or(s);
    digits
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::invalid(format!("{s:?} is not a draft id (D-12 or 12)")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use DraftStatus::*;

    #[test]
    fn every_transition_is_allowed_or_refused_as_the_spec_says() {
        let steps = [
            Step::Edit,
            Step::Submit,
            Step::Withdraw,
            Step::Approve,
            Step::Reject,
            Step::RequestChanges,
            Step::Publish,
        ];
        #[rustfmt::skip]
        let table: [(DraftStatus, [Option<DraftStatus>; 7]); 7] = [
            //                  edit         submit           withdraw         approve         reject          changes                  publish
            (Draft,            [Some(Draft), Some(Submitted), Some(Withdrawn), None,           None,           None,                    None]),
            (Submitted,        [Some(Draft), None,            Some(Withdrawn), Some(Approved), Some(Rejected), Some(ChangesRequested),  None]),
            (Approved,         [Some(Draft), None,            None,            None,           None,           None,                    Some(Published)]),
            (Rejected,         [None,        None,            None,            None,           None,           None,                    None]),
            (ChangesRequested, [Some(Draft), Some(Submitted), Some(Withdrawn), None,           None,           None,                    None]),
            (Published,        [None,        None,            None,            None,           None,           None,                    None]),
            (Withdrawn,        [None,        None,            None,            None,           None,           None,                    None]),
        ];
        for (from, expected) in table {
            for (step, want) in steps.iter().zip(expected) {
                assert_eq!(next(from, *step), want, "{from} --{}-->", step.verb());
            }
        }
    }

    #[test]
    fn ids_parse_both_ways() {
        assert_eq!(parse_id("D-12").unwrap(), 12);
        assert_eq!(parse_id("12").unwrap(), 12);
        assert!(parse_id("D-").is_err());
        assert!(parse_id("CR-3").is_err());
        assert!(parse_id("0").is_err());
        assert_eq!(printed_id(7), "D-7");
    }

    #[test]
    fn statuses_round_trip() {
        for s in DraftStatus::ALL {
            assert_eq!(s.as_str().parse::<DraftStatus>().unwrap(), s);
        }
    }
}
