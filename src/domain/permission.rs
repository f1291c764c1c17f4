//! The one place that decides who may do what (SPEC §1, "Permissions").
//!
//! Every front end asks [`check`] before it changes anything; it fails closed:
//! an action not named here for a role is refused.

use crate::domain::rank::{EmploymentStatus, Rank};
use crate::error::Error;

/// What the policy needs to know about the person acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub rank: Rank,
    pub status: EmploymentStatus,
    /// Holds the chief's delegation (V.2); only ever a chief_deputy.
    pub delegate: bool,
    /// Active, with a current, unrevoked, unexpired team authorization (V.1.a).
    pub team_member: bool,
}

/// An action from the SPEC §1 table, with the facts about the item it touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Open the TUI, roster look-ups.
    Session,
    /// Add/edit employees, import roster, record separation.
    EditRoster,
    /// Authorize / revoke team membership.
    ManageTeam,
    /// Grant / revoke the delegation.
    ManageDelegation,
    /// Add / retire platform accounts, set the responsible Chief Deputy.
    ManageAccounts,
    /// Create, edit, submit own drafts; record publication.
    WriteDraft,
    /// Approve / reject / request changes.
    DecideDraft { is_author: bool },
    /// Express approval (V.6.c).
    ExpressApproval { responsible: bool },
    /// Request a credential change; log an exigent change.
    RequestCredentialChange,
    /// Complete, cancel, or record the notice of a credential change.
    CloseCredentialChange {
        is_requester: bool,
        responsible: bool,
    },
    /// Approve / deny a credential change (V.7).
    DecideCredentialChange { responsible: bool },
    /// Acknowledge an exigent-change notice.
    AcknowledgeExigent { responsible: bool },
    /// See, open and work a violation case.
    WorkCase {
        is_subject: bool,
        is_investigator: bool,
    },
    /// Verify the audit log, search, export records, records requests.
    Records,
    /// Back up the database, run `doctor`.
    Administer,
    /// Change settings.
    ChangeSettings,
}

impl Permission {
    /// What a refusal message calls this action.
    pub fn describe(self) -> &'static str {
        match self {
            Permission::Session => "use socialdesk",
            Permission::EditRoster => "change the roster",
            Permission::ManageTeam => "authorize or revoke team members",
            Permission::ManageDelegation => "grant or revoke the delegation",
            Permission::ManageAccounts => "manage platform accounts",
            Permission::WriteDraft => "write drafts",
            Permission::DecideDraft { .. } => "decide this draft",
            Permission::ExpressApproval { .. } => "give express approval",
            Permission::RequestCredentialChange => "request credential changes",
            Permission::CloseCredentialChange { .. } => "close this credential change",
            Permission::DecideCredentialChange { .. } => "decide this credential change",
            Permission::AcknowledgeExigent { .. } => "acknowledge this exigent change",
            Permission::WorkCase { .. } => "see this case",
            Permission::Records => "work with the records",
            Permission::Administer => "administer the database",
            Permission::ChangeSettings => "change settings",
        }
    }

    /// Who may, in the SPEC's words, for the refusal message.
    fn who(self) -> &'static str {
        match self {
            Permission::Session => "active roster employees",
            Permission::EditRoster
            | Permission::ManageTeam
            | Permission::ManageAccounts
            | Permission::Administer => "the chief or the delegate",
            Permission::ManageDelegation | Permission::ChangeSettings => "the chief",
            Permission::WriteDraft => "social media team members",
            Permission::DecideDraft { .. } => "approvers other than the draft's author",
            Permission::ExpressApproval { .. } => {
                "the account's responsible Chief Deputy, an assistant chief or the chief"
            }
            Permission::RequestCredentialChange => "team members and approvers",
            Permission::CloseCredentialChange { .. } => {
                "its requester, the account's responsible Chief Deputy or the chief"
            }
            Permission::DecideCredentialChange { .. } | Permission::AcknowledgeExigent { .. } => {
                "the account's responsible Chief Deputy or the chief"
            }
            Permission::WorkCase { .. } => "approvers and the assigned investigator",
            Permission::Records => "the chief, the delegate, assistant chiefs and chief deputies",
        }
    }
}

/// Whether `actor` may do `what`; pure, total, and closed by default.
pub fn allows(actor: &Actor, what: Permission) -> bool {
    use EmploymentStatus::*;
    use Permission::*;
    if actor.status == Separated {
        return false;
    }
    if what == Session {
        return true;
    }
    // On leave: may log in and look things up, nothing more (SPEC §1).
    if actor.status != Active {
        return false;
    }
    let chief = actor.rank == Rank::Chief;
    let delegate = actor.delegate && actor.rank == Rank::ChiefDeputy;
    let approver = actor.rank.is_approver();
    match what {
        Session => true,
        EditRoster | ManageTeam | ManageAccounts | Administer => chief || delegate,
        ManageDelegation | ChangeSettings => chief,
        WriteDraft => actor.team_member,
        DecideDraft { is_author } => approver && !is_author,
        ExpressApproval { responsible } => {
            chief
                || actor.rank == Rank::AssistantChief
                || (actor.rank == Rank::ChiefDeputy && responsible)
        }
        RequestCredentialChange => actor.team_member || approver,
        CloseCredentialChange {
            is_requester,
            responsible,
        } => is_requester || responsible || chief,
        DecideCredentialChange { responsible } | AcknowledgeExigent { responsible } => {
            responsible || chief
        }
        WorkCase {
            is_subject,
            is_investigator,
        } => !is_subject && (approver || is_investigator),
        Records => approver,
    }
}

/// [`allows`] as a result carrying the message the user reads.
pub fn check(actor: &Actor, what: Permission) -> Result<(), Error> {
    if allows(actor, what) {
        return Ok(());
    }
    let why = match actor.status {
        EmploymentStatus::Separated => " (your employment is recorded as separated)".to_string(),
        EmploymentStatus::Leave if what != Permission::Session => {
            " (you are recorded as on leave)".to_string()
        }
        _ => String::new(),
    };
    Err(Error::refused(format!(
        "refused: only {} may {}{why}",
        what.who(),
        what.describe()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use EmploymentStatus::*;
    use Rank::*;

    fn actor(rank: Rank) -> Actor {
        Actor {
            rank,
            status: Active,
            delegate: false,
            team_member: false,
        }
    }

    /// Every rank × action, as the SPEC §1 table reads. Columns: chief,
    /// assistant_chief, chief_deputy, delegate (a chief_deputy), supervisor,
    /// officer, staff, team member (an officer on the team).
    #[test]
    fn the_permission_table() {
        let delegate = Actor {
            delegate: true,
            ..actor(ChiefDeputy)
        };
        let team_officer = Actor {
            team_member: true,
            ..actor(Officer)
        };
        let people = [
            actor(Chief),
            actor(AssistantChief),
            actor(ChiefDeputy),
            delegate,
            actor(Supervisor),
            actor(Officer),
            actor(Staff),
            team_officer,
        ];
        let f = false;
        let t = true;
        #[rustfmt::skip]
        let table: Vec<(Permission, [bool; 8])> = vec![
            //                                                         chief ac  cd  dlg sup off stf team
            (Permission::Session,                                      [t,   t,  t,  t,  t,  t,  t,  t]),
            (Permission::EditRoster,                                   [t,   f,  f,  t,  f,  f,  f,  f]),
            (Permission::ManageTeam,                                   [t,   f,  f,  t,  f,  f,  f,  f]),
            (Permission::ManageDelegation,                             [t,   f,  f,  f,  f,  f,  f,  f]),
            (Permission::ManageAccounts,                               [t,   f,  f,  t,  f,  f,  f,  f]),
            (Permission::WriteDraft,                                   [f,   f,  f,  f,  f,  f,  f,  t]),
            (Permission::DecideDraft { is_author: false },             [t,   t,  t,  t,  f,  f,  f,  f]),
            (Permission::DecideDraft { is_author: true },              [f,   f,  f,  f,  f,  f,  f,  f]),
            (Permission::ExpressApproval { responsible: false },       [t,   t,  f,  f,  f,  f,  f,  f]),
            (Permission::ExpressApproval { responsible: true },        [t,   t,  t,  t,  f,  f,  f,  f]),
            (Permission::RequestCredentialChange,                      [t,   t,  t,  t,  f,  f,  f,  t]),
            (Permission::CloseCredentialChange { is_requester: false, responsible: false }, [t, f, f, f, f, f, f, f]),
            (Permission::CloseCredentialChange { is_requester: true, responsible: false },  [t, t, t, t, t, t, t, t]),
            (Permission::CloseCredentialChange { is_requester: false, responsible: true },  [t, t, t, t, t, t, t, t]),
            (Permission::DecideCredentialChange { responsible: false }, [t,  f,  f,  f,  f,  f,  f,  f]),
            (Permission::DecideCredentialChange { responsible: true },  [t,  t,  t,  t,  t,  t,  t,  t]),
            (Permission::AcknowledgeExigent { responsible: false },    [t,   f,  f,  f,  f,  f,  f,  f]),
            (Permission::WorkCase { is_subject: false, is_investigator: false }, [t, t, t, t, f, f, f, f]),
            (Permission::WorkCase { is_subject: false, is_investigator: true },  [t, t, t, t, t, t, t, t]),
            (Permission::WorkCase { is_subject: true, is_investigator: false },  [f, f, f, f, f, f, f, f]),
            (Permission::WorkCase { is_subject: true, is_investigator: true },   [f, f, f, f, f, f, f, f]),
            (Permission::Records,                                      [t,   t,  t,  t,  f,  f,  f,  f]),
            (Permission::Administer,                                   [t,   f,  f,  t,  f,  f,  f,  f]),
            (Permission::ChangeSettings,                               [t,   f,  f,  f,  f,  f,  f,  f]),
        ];
        for (what, expected) in table {
            for (who, want) in people.iter().zip(expected) {
                assert_eq!(allows(who, what), want, "{who:?} / {what:?}");
                assert_eq!(check(who, what).is_ok(), want);
            }
        }
    }

    #[test]
    fn separated_employees_may_do_nothing_at_all() {
        for rank in Rank::ALL {
            let gone = Actor {
                status: Separated,
                delegate: true,
                team_member: true,
                ..actor(rank)
            };
            for what in [
                Permission::Session,
                Permission::Records,
                Permission::WriteDraft,
            ] {
                assert!(!allows(&gone, what));
            }
        }
    }

    #[test]
    fn on_leave_means_look_up_only() {
        let away = Actor {
            status: Leave,
            ..actor(Chief)
        };
        assert!(allows(&away, Permission::Session));
        assert!(!allows(&away, Permission::EditRoster));
        let err = check(&away, Permission::EditRoster).unwrap_err();
        assert!(err.to_string().contains("on leave"));
        assert_eq!(err.exit_code(), 3);
    }

    #[test]
    fn a_delegate_flag_on_anyone_but_a_chief_deputy_grants_nothing() {
        let odd = Actor {
            delegate: true,
            ..actor(Officer)
        };
        assert!(!allows(&odd, Permission::EditRoster));
    }
}
