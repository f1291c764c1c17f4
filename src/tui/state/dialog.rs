//! The layers over the tabs (help, details, dialogs, forms, the editor,
//! the command line) and the intents a dialog carries until it is confirmed.

use ratatui_textarea::TextArea;

use crate::store::credentials::NewChange;
use crate::store::roster::{Employee, EmployeeEdit, NewEmployee};
use crate::tui::input::Input;

/// A change the user asked for, held as a value until confirmed (a
/// confirmation defaults to No) or until its reason is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Authorize {
        id: String,
        name: String,
    },
    Revoke {
        id: String,
        name: String,
    },
    Separate {
        id: String,
        name: String,
    },
    Delegate {
        id: String,
        name: String,
    },
    Undelegate,
    DiscardForm,
    DiscardEditor,
    /// Quit with a form or a text still unsaved.
    QuitUnsaved,
    /// The V.6 checklist, confirmed by the author.
    Submit {
        draft: i64,
    },
    Reject {
        draft: i64,
        version: i64,
    },
    RequestChanges {
        draft: i64,
        version: i64,
    },
    /// Typed confirmation: the reason field must hold the draft's id.
    Express {
        draft: i64,
        version: i64,
    },
    Dismiss {
        draft: i64,
        finding: i64,
    },
    Publish {
        draft: i64,
    },
    Note {
        draft: i64,
    },
    Deny {
        change: i64,
    },
    Complete {
        change: i64,
    },
    Cancel {
        change: i64,
    },
    Notify {
        change: i64,
    },
    Acknowledge {
        change: i64,
    },
    ProposeRotations {
        accounts: usize,
    },
    CaseNote {
        case: String,
    },
    Assign {
        case: String,
    },
    Due {
        case: String,
    },
    StartCase {
        case: String,
    },
    Finding {
        case: String,
    },
    CloseCase {
        case: String,
    },
    Reopen {
        case: String,
    },
    Evidence {
        case: String,
    },
    Link {
        case: String,
    },
}

impl Intent {
    /// The question a confirmation or a reason prompt asks.
    pub fn question(&self) -> String {
        let d = |n: &i64| crate::domain::draft::printed_id(*n);
        let c = |n: &i64| crate::domain::credential::printed_id(*n);
        match self {
            Intent::Authorize { name, .. } => {
                format!("Authorize {name} for the social media team (or renew it)?")
            }
            Intent::Revoke { name, .. } => format!("Revoke {name}'s team membership? Reason:"),
            Intent::Separate { name, .. } => format!(
                "Record {name}'s separation? Team authorization and any delegation end at once."
            ),
            Intent::Delegate { name, .. } => {
                format!("Delegate day-to-day social media oversight to {name} (V.2)?")
            }
            Intent::Undelegate => "Revoke the chief's delegation?".into(),
            Intent::DiscardForm => "Discard what you typed in the form?".into(),
            Intent::DiscardEditor => "Discard the text you changed?".into(),
            Intent::QuitUnsaved => "Quit and lose what you typed?".into(),
            Intent::Submit { draft } => format!("Submit {} for approval?", d(draft)),
            Intent::Reject { draft, .. } => format!("Reject {} (final). Reason:", d(draft)),
            Intent::RequestChanges { draft, .. } => {
                format!("Ask the author to change {}. What should change?", d(draft))
            }
            Intent::Express { draft, .. } => format!(
                "Express approval of {} (V.6.c): type {} to confirm",
                d(draft),
                d(draft)
            ),
            Intent::Dismiss { finding, .. } => {
                format!("Dismiss finding {finding}. Why is it acceptable?")
            }
            Intent::Publish { draft } => format!("Where was {} published? URL:", d(draft)),
            Intent::Note { draft } => format!("Reviewer note on {} (never published):", d(draft)),
            Intent::Deny { change } => format!("Deny {}. Reason:", c(change)),
            Intent::Complete { change } => {
                format!("Record that the change {} was made?", c(change))
            }
            Intent::Cancel { change } => format!("Cancel {}?", c(change)),
            Intent::Notify { change } => format!(
                "How was the responsible Chief Deputy notified of {}? (no secrets)",
                c(change)
            ),
            Intent::Acknowledge { change } => {
                format!("Acknowledge the notice of exigent change {}?", c(change))
            }
            Intent::CaseNote { case } => format!("Note on {case} (confidential):"),
            Intent::Assign { case } => format!("Investigator of {case} (employee id):"),
            Intent::Due { case } => format!("Due date of {case} (YYYY-MM-DD):"),
            Intent::StartCase { case } => format!("Start investigating {case}?"),
            Intent::Finding { case } => format!(
                "Finding on {case}: sustained, not_sustained, exonerated or unfounded?"
            ),
            Intent::CloseCase { case } => format!("Close {case}?"),
            Intent::Reopen { case } => format!("Reopen {case}. Reason:"),
            Intent::Evidence { case } => format!("Evidence file for {case} (path; it is hashed now):"),
            Intent::Link { case } => format!("Link {case} to (D-3, CR-2 or an account handle):"),
            Intent::ProposeRotations { accounts } => format!(
                "File a password change request for each of the {accounts} account(s) known to a departed member?"
            ),
        }
    }
}

/// What a form makes when saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// A new employee, or an edit of the one named.
    Employee { editing: Option<String> },
    /// The heading of a new draft; its text is written in the editor next.
    Draft,
    /// A credential change: a request, or an exigent change already made.
    Credential { exigent: bool },
    /// A violation case.
    Case,
}

const EMPLOYEE_FIELDS: &[(&str, &str)] = &[
    ("Employee id", "the department's employee number"),
    ("Name", ""),
    (
        "Rank",
        "chief, assistant_chief, chief_deputy, supervisor, officer, staff",
    ),
    ("Unit", ""),
    ("Login", "OS account name, optional"),
    ("Email", ""),
    ("Phone", ""),
    ("Status", "active or leave"),
];

const REQUEST_FIELDS: &[(&str, &str)] = &[
    ("Account", "the account's handle or id"),
    ("Kind", "password, username, mfa, recovery, admin_role"),
    ("Reason", "why; never the secret itself"),
];

const EXIGENT_FIELDS: &[(&str, &str)] = &[
    ("Account", "the account's handle or id"),
    ("Kind", "password, username, mfa, recovery, admin_role"),
    ("Exigency", "intrusion, compromise or other"),
    ("Reason", "what happened; never the secret itself"),
];

const CASE_FIELDS: &[(&str, &str)] = &[
    ("Subject", "the employee's id"),
    (
        "Clause",
        "V.8.a, V.8.b, V.8.c.i, V.8.c.ii, V.8.c.iii, V.8.c.iv",
    ),
    ("Summary", "what happened, briefly"),
    ("Link", "D-3, CR-2 or an account handle (optional)"),
];

const DRAFT_FIELDS: &[(&str, &str)] = &[
    ("Account", "the account's handle or id"),
    (
        "Purpose",
        "mission, achievement, recruitment, outreach, recognition, statewide",
    ),
    ("Media", "file paths, separated by commas (optional)"),
    (
        "Operations",
        "yes if the media show training, activities or work assignments",
    ),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Input>,
    original: Vec<String>,
    pub focus: usize,
    pub error: Option<String>,
}

impl Form {
    pub fn new_employee() -> Form {
        let values = ["", "", "officer", "", "", "", "", "active"];
        Form::with(
            FormKind::Employee { editing: None },
            values.map(String::from).to_vec(),
        )
    }

    pub fn edit_employee(e: &Employee) -> Form {
        let values = vec![
            e.id.clone(),
            e.name.clone(),
            e.rank.to_string(),
            e.unit.clone(),
            e.login.clone().unwrap_or_default(),
            e.email.clone(),
            e.phone.clone(),
            e.status.to_string(),
        ];
        let mut form = Form::with(
            FormKind::Employee {
                editing: Some(e.id.clone()),
            },
            values,
        );
        form.focus = 1;
        form
    }

    pub fn new_draft(account: &str) -> Form {
        Form::with(
            FormKind::Draft,
            vec![
                account.to_string(),
                "outreach".into(),
                String::new(),
                "no".into(),
            ],
        )
    }

    pub fn credential(account: &str, exigent: bool) -> Form {
        let mut values = vec![account.to_string(), "password".into()];
        if exigent {
            values.push("compromise".into());
        }
        values.push(String::new());
        Form::with(FormKind::Credential { exigent }, values)
    }

    pub fn case(subject: &str, link: &str) -> Form {
        Form::with(
            FormKind::Case,
            vec![
                subject.to_string(),
                "V.8.c.ii".into(),
                String::new(),
                link.to_string(),
            ],
        )
    }

    fn with(kind: FormKind, values: Vec<String>) -> Form {
        Form {
            kind,
            fields: values.iter().map(|v| Input::new(v)).collect(),
            original: values,
            focus: 0,
            error: None,
        }
    }

    pub fn labels(&self) -> &'static [(&'static str, &'static str)] {
        match self.kind {
            FormKind::Employee { .. } => EMPLOYEE_FIELDS,
            FormKind::Draft => DRAFT_FIELDS,
            FormKind::Credential { exigent: false } => REQUEST_FIELDS,
            FormKind::Credential { exigent: true } => EXIGENT_FIELDS,
            FormKind::Case => CASE_FIELDS,
        }
    }

    pub fn title(&self) -> &'static str {
        match &self.kind {
            FormKind::Employee { editing: Some(_) } => "Edit employee",
            FormKind::Employee { editing: None } => "New employee",
            FormKind::Draft => "New draft",
            FormKind::Credential { exigent: false } => "Request a credential change (V.7)",
            FormKind::Credential { exigent: true } => "Log an exigent credential change (V.7)",
            FormKind::Case => "Open a case (V.8)",
        }
    }

    pub fn dirty(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.original)
            .any(|(f, o)| f.text() != o)
    }

    /// The id field is fixed when editing an employee.
    pub fn editable(&self, field: usize) -> bool {
        !(matches!(self.kind, FormKind::Employee { editing: Some(_) }) && field == 0)
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
        if !self.editable(self.focus) {
            self.next();
        }
    }

    pub fn prev(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        if !self.editable(self.focus) {
            self.prev();
        }
    }

    pub fn on_last(&self) -> bool {
        self.focus + 1 == self.fields.len()
    }

    pub fn focused(&mut self) -> &mut Input {
        &mut self.fields[self.focus]
    }

    pub fn value(&self, i: usize) -> String {
        self.fields[i].text().trim().to_string()
    }

    pub fn credential_value(&self) -> NewChange {
        let exigent = matches!(self.kind, FormKind::Credential { exigent: true });
        NewChange {
            account: self.value(0),
            kind: self.value(1),
            exigency: exigent.then(|| self.value(2)),
            reason: self.value(if exigent { 3 } else { 2 }),
        }
    }

    pub fn new_employee_value(&self) -> NewEmployee {
        NewEmployee {
            id: self.value(0),
            name: self.value(1),
            rank: self.value(2),
            unit: self.value(3),
            login: Some(self.value(4)).filter(|l| !l.is_empty()),
            email: self.value(5),
            phone: self.value(6),
            status: self.value(7),
            hired_on: None,
        }
    }

    /// Only the fields that changed, so a save never rewrites what it did not touch.
    pub fn edit_value(&self) -> EmployeeEdit {
        let changed = |i: usize| (self.value(i) != self.original[i]).then(|| self.value(i));
        EmployeeEdit {
            name: changed(1),
            rank: changed(2),
            unit: changed(3),
            login: changed(4),
            email: changed(5),
            phone: changed(6),
            status: changed(7),
        }
    }
}

/// The heading of a new draft, carried into the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftHeading {
    pub account: String,
    pub purpose: String,
    pub media: Vec<String>,
    pub operations: bool,
}

impl DraftHeading {
    pub fn from_form(form: &Form) -> DraftHeading {
        DraftHeading {
            account: form.value(0),
            purpose: form.value(1),
            media: form
                .value(2)
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect(),
            operations: matches!(form.value(3).to_ascii_lowercase().as_str(), "y" | "yes"),
        }
    }
}

/// What the text being edited becomes when saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditTarget {
    NewDraft(DraftHeading),
    Revision { draft: i64 },
}

/// The built-in editor: used when no `$EDITOR` is set, and always in a
/// session running with `--as`, which never starts another program.
pub struct Editor {
    pub target: EditTarget,
    pub area: TextArea<'static>,
    original: String,
    pub error: Option<String>,
}

impl Editor {
    pub fn new(target: EditTarget, text: &str) -> Editor {
        let lines: Vec<String> = text.lines().map(String::from).collect();
        let mut area = TextArea::new(if lines.is_empty() {
            vec![String::new()]
        } else {
            lines
        });
        area.set_placeholder_text("Write the post here.");
        Editor {
            target,
            area,
            original: text.to_string(),
            error: None,
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn dirty(&self) -> bool {
        self.text().trim_end() != self.original.trim_end()
    }
}

pub enum Layer {
    Help,
    /// The selected employee's card.
    Card,
    /// The selected audit event in full.
    Event,
    /// The selected draft in full, scrollable.
    Draft,
    /// The selected case in full, scrollable (its viewing is recorded).
    Case,
    /// Typing the roster filter.
    Filter,
    Confirm(Intent),
    /// A one-line answer for `intent` (a reason, a URL, a typed confirmation).
    Reason {
        intent: Intent,
        input: Input,
    },
    Form(Form),
    Editor(Box<Editor>),
    Command(Input),
    /// What a command printed, when it is more than one line.
    Output(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_carries_only_changed_fields() {
        let mut form = Form::with(
            FormKind::Employee {
                editing: Some("E1".into()),
            },
            ["E1", "Ann", "officer", "Unit", "ann", "", "", "active"]
                .map(String::from)
                .to_vec(),
        );
        assert!(!form.dirty());
        form.focus = 3;
        form.focused().insert(" B");
        assert!(form.dirty());
        let edit = form.edit_value();
        assert_eq!(edit.unit.as_deref(), Some("Unit B"));
        assert_eq!(edit.name, None);
    }

    #[test]
    fn the_id_is_skipped_when_editing() {
        let mut form = Form::with(
            FormKind::Employee {
                editing: Some("E1".into()),
            },
            vec![String::new(); 8],
        );
        form.focus = 7;
        form.next();
        assert_eq!(form.focus, 1);
        form.prev();
        assert_eq!(form.focus, 7);
    }

    #[test]
    fn a_draft_heading_reads_its_media_list() {
        let mut form = Form::new_draft("svc");
        form.focus = 2;
        form.focused().insert(" a.jpg, ,b.mp4 ");
        form.focus = 3;
        *form.focused() = Input::new("Yes");
        let h = DraftHeading::from_form(&form);
        assert_eq!(h.media, vec!["a.jpg", "b.mp4"]);
        assert!(h.operations);
        assert_eq!(h.account, "svc");
    }
}
