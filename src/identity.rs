//! Who is at the keyboard (SPEC §1, "Identity"): the OS account running the
//! process, never an environment variable; `--as` only for the account that
//! owns the database file.

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use nix::unistd::{geteuid, Uid, User};

use crate::domain::permission::Permission;
use crate::domain::rank::EmploymentStatus;
use crate::error::{Error, Result};
use crate::store::roster::{self, Employee};
use crate::store::{Me, Store};

/// The login of the effective user, from the password database.
pub fn os_login() -> Result<String> {
    login_of(geteuid())
}

fn login_of(uid: Uid) -> Result<String> {
    User::from_uid(uid)
        .ok()
        .flatten()
        .map(|u| u.name)
        .ok_or_else(|| Error::refused(format!("refused: OS user id {uid} has no account name")))
}

/// Whether `--as` may be honoured: the process runs as the owner of the
/// database file (the service account, or the administrator who created it).
pub fn may_act_as_others(db: &Path) -> Result<bool> {
    let owner = std::fs::metadata(db)?.uid();
    Ok(owner == geteuid().as_raw())
}

/// Records a refusal of someone who is not (or may not act as) a roster
/// employee, as far as this user can write the file; the refusal stands
/// either way.
fn refuse_stranger(store: &mut Store, os_user: &str, reason: String) -> Error {
    let stranger = Me {
        employee: format!("os:{os_user}"),
        os_user: os_user.to_string(),
    };
    let _ = store.record(
        &stranger,
        "refused",
        "session",
        serde_json::json!({ "attempted": "session", "reason": reason }),
    );
    Error::refused(reason)
}

/// The signed-in session: the roster employee and how they got here.
#[derive(Debug, Clone)]
pub struct Session {
    pub me: Me,
    pub employee: Employee,
    /// Running with `--as`: a service account acting for someone, so no
    /// other program may ever be started (SPEC §1).
    pub acting_as: bool,
}

/// Resolves the user and refuses anyone not on the roster or separated
/// before anything is shown. Refusals of known people are recorded.
pub fn sign_in(store: &mut Store, as_login: Option<&str>) -> Result<Session> {
    let os_user = os_login()?;
    let acting_as = as_login.is_some();
    if acting_as && !may_act_as_others(store.path())? {
        return Err(refuse_stranger(
            store,
            &os_user,
            format!("refused: --as is honoured only for the account that owns the database file; {os_user} does not"),
        ));
    }
    let login = as_login.unwrap_or(&os_user);
    let now = store.now();
    let Some(employee) = roster::by_login(store.conn(), login, now)? else {
        return Err(refuse_stranger(
            store,
            &os_user,
            format!("refused: login {login:?} is not on the roster; ask the chief or the delegate to add you"),
        ));
    };
    let me = Me {
        employee: employee.id.clone(),
        os_user,
    };
    if employee.status == EmploymentStatus::Separated {
        let _ = store.record(
            &me,
            "refused",
            &format!("employee:{}", employee.id),
            serde_json::json!({ "attempted": "session", "reason": "separated" }),
        );
        return Err(
            crate::domain::permission::check(&employee.actor(), Permission::Session)
                .err()
                .unwrap_or_else(|| Error::refused("refused: separated")),
        );
    }
    Ok(Session {
        me,
        employee,
        acting_as,
    })
}
