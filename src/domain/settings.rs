//! Settings the chief may change (`settings get|set`), with their defaults.

use crate::error::Error;

pub struct SettingDef {
    pub key: &'static str,
    pub default: &'static str,
    pub numeric: bool,
    pub about: &'static str,
}

pub const SETTINGS: &[SettingDef] = &[
    SettingDef {
        key: "department_name",
        default: "County Probation Department",
        numeric: false,
        about: "shown in the TUI header",
    },
    SettingDef {
        key: "authorization_months",
        default: "12",
        numeric: true,
        about: "team authorizations and the delegation lapse after this many months unless renewed",
    },
    SettingDef {
        key: "exigent_notice_hours",
        default: "24",
        numeric: true,
        about: "an exigent credential change unacknowledged for longer is overdue",
    },
    SettingDef {
        key: "idle_timeout_minutes",
        default: "30",
        numeric: true,
        about: "a TUI session with no key pressed for this long ends",
    },
    SettingDef {
        key: "draft_stale_days",
        default: "7",
        numeric: true,
        about: "a submitted draft waiting longer is marked stale",
    },
    SettingDef {
        key: "case_due_days",
        default: "30",
        numeric: true,
        about: "default due date of a new case, in days after opening",
    },
    SettingDef {
        key: "case_clock_days",
        default: "365",
        numeric: true,
        about: "investigation clock of a case, in days",
    },
    SettingDef {
        key: "warning_window_days",
        default: "90",
        numeric: true,
        about: "early-warning window, in days",
    },
    SettingDef {
        key: "warning_threshold",
        default: "3",
        numeric: true,
        about: "events within the window that raise an early warning",
    },
];

pub fn definition(key: &str) -> Result<&'static SettingDef, Error> {
    SETTINGS.iter().find(|d| d.key == key).ok_or_else(|| {
        Error::invalid(format!(
            "unknown setting {key:?} (known: {})",
            SETTINGS
                .iter()
                .map(|d| d.key)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// Checks a value before it is stored.
pub fn validate(key: &str, value: &str) -> Result<(), Error> {
    let def = definition(key)?;
    if def.numeric {
        value.parse::<u32>().map_err(|_| {
            Error::invalid(format!(
                "{key} takes a whole number of 0 or more, not {value:?}"
            ))
        })?;
    } else if value.trim().is_empty() || value.chars().count() > 120 {
        return Err(Error::invalid(format!(
            "{key} takes text of 1 to 120 characters"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked_and_unknown_keys_named() {
        assert!(validate("authorization_months", "6").is_ok());
        assert!(validate("authorization_months", "-1").is_err());
        assert!(validate("authorization_months", "six").is_err());
        assert!(validate("department_name", "Mono County Probation").is_ok());
        assert!(validate("department_name", " ").is_err());
        let e = validate("colour", "red").unwrap_err().to_string();
        assert!(e.contains("unknown setting") && e.contains("department_name"));
    }

    #[test]
    fn every_default_is_valid() {
        for d in SETTINGS {
            validate(d.key, d.default).unwrap();
        }
    }
}
