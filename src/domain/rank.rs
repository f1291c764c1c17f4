//! Ranks and employment statuses as the roster stores and prints them (SPEC §1, §2).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rank {
    Chief,
    AssistantChief,
    ChiefDeputy,
    Supervisor,
    Officer,
    Staff,
}

impl Rank {
    pub const ALL: [Rank; 6] = [
        Rank::Chief,
        Rank::AssistantChief,
        Rank::ChiefDeputy,
        Rank::Supervisor,
        Rank::Officer,
        Rank::Staff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Rank::Chief => "chief",
            Rank::AssistantChief => "assistant_chief",
            Rank::ChiefDeputy => "chief_deputy",
            Rank::Supervisor => "supervisor",
            Rank::Officer => "officer",
            Rank::Staff => "staff",
        }
    }

    /// The title a person reads in the header and on the card.
    pub fn title(self) -> &'static str {
        match self {
            Rank::Chief => "Chief Probation Officer",
            Rank::AssistantChief => "Assistant Chief",
            Rank::ChiefDeputy => "Chief Deputy",
            Rank::Supervisor => "Supervisor",
            Rank::Officer => "Deputy Probation Officer",
            Rank::Staff => "Staff",
        }
    }

    /// The title where room is short (the header at 80 columns).
    pub fn short_title(self) -> &'static str {
        match self {
            Rank::Chief => "Chief",
            Rank::AssistantChief => "Asst. Chief",
            Rank::ChiefDeputy => "Chief Deputy",
            Rank::Supervisor => "Supervisor",
            Rank::Officer => "DPO",
            Rank::Staff => "Staff",
        }
    }

    /// Approvers decide drafts (SPEC §1).
    pub fn is_approver(self) -> bool {
        matches!(self, Rank::Chief | Rank::AssistantChief | Rank::ChiefDeputy)
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Rank {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Rank::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "unknown rank {s:?} (expected one of: {})",
                    Rank::ALL.map(Rank::as_str).join(", ")
                ))
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentStatus {
    Active,
    Leave,
    Separated,
}

impl EmploymentStatus {
    pub const ALL: [EmploymentStatus; 3] = [
        EmploymentStatus::Active,
        EmploymentStatus::Leave,
        EmploymentStatus::Separated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentStatus::Active => "active",
            EmploymentStatus::Leave => "leave",
            EmploymentStatus::Separated => "separated",
        }
    }
}

impl fmt::Display for EmploymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EmploymentStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        EmploymentStatus::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "unknown status {s:?} (expected active, leave or separated)"
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_round_trip_through_their_contract_words() {
        for r in Rank::ALL {
            assert_eq!(r.as_str().parse::<Rank>().unwrap(), r);
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        assert!("Chief".parse::<Rank>().is_err());
        assert!("".parse::<Rank>().is_err());
    }

    #[test]
    fn statuses_round_trip() {
        for s in EmploymentStatus::ALL {
            assert_eq!(s.as_str().parse::<EmploymentStatus>().unwrap(), s);
        }
        assert!("retired".parse::<EmploymentStatus>().is_err());
    }
}
