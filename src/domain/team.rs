//! Team membership (V.1.a) and the chief's delegation (V.2) over time: both
//! lapse after `authorization_months` unless renewed (recertification).

use chrono::{DateTime, Months, Utc};
use serde::Serialize;

use crate::domain::rank::EmploymentStatus;

/// How close to lapsing an authorization must be before the roster flags it.
pub const RECERTIFICATION_NOTICE_DAYS: i64 = 30;

/// The latest grant of a team authorization or of the delegation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub granted_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Where a grant stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "standing", rename_all = "snake_case")]
pub enum Standing {
    /// Never granted.
    None,
    /// In force; `renew_by` is when it lapses.
    Current { renew_by: DateTime<Utc> },
    /// In force but lapses within [`RECERTIFICATION_NOTICE_DAYS`].
    DueForRecertification { renew_by: DateTime<Utc> },
    /// Not renewed in time.
    Lapsed { since: DateTime<Utc> },
    /// Ended by revocation or separation.
    Revoked { at: DateTime<Utc> },
}

impl Standing {
    pub fn in_force(self) -> bool {
        matches!(
            self,
            Standing::Current { .. } | Standing::DueForRecertification { .. }
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::None => "never authorized",
            Standing::Current { .. } => "current",
            Standing::DueForRecertification { .. } => "due for recertification",
            Standing::Lapsed { .. } => "lapsed (not renewed)",
            Standing::Revoked { .. } => "revoked",
        }
    }
}

/// When a grant made at `granted_at` lapses.
pub fn lapses_at(granted_at: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    granted_at
        .checked_add_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

pub fn standing(latest: Option<&Grant>, months: u32, now: DateTime<Utc>) -> Standing {
    let Some(g) = latest else {
        return Standing::None;
    };
    if let Some(at) = g.revoked_at {
        return Standing::Revoked { at };
    }
    let renew_by = lapses_at(g.granted_at, months);
    if renew_by <= now {
        Standing::Lapsed { since: renew_by }
    } else if (renew_by - now).num_days() < RECERTIFICATION_NOTICE_DAYS {
        Standing::DueForRecertification { renew_by }
    } else {
        Standing::Current { renew_by }
    }
}

/// A team member is active and holds an authorization in force (SPEC §1):
/// leave suspends membership, separation ends it.
pub fn is_team_member(status: EmploymentStatus, authorization: Standing) -> bool {
    status == EmploymentStatus::Active && authorization.in_force()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    fn grant(y: i32, m: u32, d: u32) -> Grant {
        Grant {
            granted_at: at(y, m, d),
            revoked_at: None,
        }
    }

    #[test]
    fn an_authorization_runs_its_months_then_lapses() {
        let g = grant(2026, 1, 15);
        assert_eq!(
            standing(Some(&g), 12, at(2026, 6, 1)),
            Standing::Current {
                renew_by: at(2027, 1, 15)
            }
        );
        assert_eq!(
            standing(Some(&g), 12, at(2026, 12, 20)),
            Standing::DueForRecertification {
                renew_by: at(2027, 1, 15)
            }
        );
        assert_eq!(
            standing(Some(&g), 12, at(2027, 1, 15)),
            Standing::Lapsed {
                since: at(2027, 1, 15)
            }
        );
        assert_eq!(
            standing(Some(&g), 6, at(2026, 8, 1)),
            Standing::Lapsed {
                since: at(2026, 7, 15)
            }
        );
    }

    #[test]
    fn revocation_wins_over_dates() {
        let g = Grant {
            revoked_at: Some(at(2026, 2, 1)),
            ..grant(2026, 1, 15)
        };
        assert_eq!(
            standing(Some(&g), 12, at(2026, 3, 1)),
            Standing::Revoked { at: at(2026, 2, 1) }
        );
        assert_eq!(standing(None, 12, at(2026, 3, 1)), Standing::None);
    }

    #[test]
    fn month_ends_clamp() {
        assert_eq!(lapses_at(at(2026, 1, 31), 1), at(2026, 2, 28));
    }

    #[test]
    fn membership_needs_active_status_and_a_grant_in_force() {
        let current = Standing::Current {
            renew_by: at(2027, 1, 1),
        };
        assert!(is_team_member(EmploymentStatus::Active, current));
        assert!(!is_team_member(EmploymentStatus::Leave, current));
        assert!(!is_team_member(EmploymentStatus::Separated, current));
        assert!(!is_team_member(
            EmploymentStatus::Active,
            Standing::Lapsed {
                since: at(2026, 1, 1)
            }
        ));
    }
}
