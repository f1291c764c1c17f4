//! The layers over the tabs (help, card, dialogs, forms, the command line)
//! and the intents a dialog carries until it is confirmed.

use crate::store::roster::{EmployeeEdit, NewEmployee};
use crate::tui::input::Input;

/// A change the user asked for, held as a value until confirmed (a
/// confirmation defaults to No).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Authorize { id: String, name: String },
    Revoke { id: String, name: String },
    Separate { id: String, name: String },
    Delegate { id: String, name: String },
    Undelegate,
    DiscardForm,
}

impl Intent {
    /// The question a confirmation asks.
    pub fn question(&self) -> String {
        match self {
            Intent::Authorize { name, .. } => {
                format!("Authorize {name} for the social media team (or renew it)?")
            }
            Intent::Revoke { name, .. } => format!("Revoke {name}'s team membership?"),
            Intent::Separate { name, .. } => format!(
                "Record {name}'s separation? Team authorization and any delegation end at once."
            ),
            Intent::Delegate { name, .. } => {
                format!("Delegate day-to-day social media oversight to {name} (V.2)?")
            }
            Intent::Undelegate => "Revoke the chief's delegation?".into(),
            Intent::DiscardForm => "Discard what you typed in the form?".into(),
        }
    }
}

/// The employee form's fields, in order.
pub const FORM_FIELDS: [(&str, &str); 8] = [
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployeeForm {
    /// The employee being edited; `None` adds a new one.
    pub editing: Option<String>,
    pub fields: Vec<Input>,
    original: Vec<String>,
    pub focus: usize,
    pub error: Option<String>,
}

impl EmployeeForm {
    pub fn new_employee() -> EmployeeForm {
        let values = ["", "", "officer", "", "", "", "", "active"];
        EmployeeForm::with(None, values.map(String::from).to_vec())
    }

    pub fn edit(e: &crate::store::roster::Employee) -> EmployeeForm {
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
        let mut form = EmployeeForm::with(Some(e.id.clone()), values);
        form.focus = 1;
        form
    }

    fn with(editing: Option<String>, values: Vec<String>) -> EmployeeForm {
        EmployeeForm {
            editing,
            fields: values.iter().map(|v| Input::new(v)).collect(),
            original: values,
            focus: 0,
            error: None,
        }
    }

    pub fn title(&self) -> &'static str {
        if self.editing.is_some() {
            "Edit employee"
        } else {
            "New employee"
        }
    }

    pub fn dirty(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.original)
            .any(|(f, o)| f.text() != o)
    }

    /// The id field is fixed when editing.
    pub fn editable(&self, field: usize) -> bool {
        !(self.editing.is_some() && field == 0)
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

    fn value(&self, i: usize) -> String {
        self.fields[i].text().trim().to_string()
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

pub enum Layer {
    Help,
    /// The selected employee's card.
    Card,
    /// The selected audit event in full.
    Event,
    /// Typing the roster filter.
    Filter,
    Confirm(Intent),
    /// A one-line reason for `intent`.
    Reason {
        intent: Intent,
        input: Input,
    },
    Form(EmployeeForm),
    Command(Input),
    /// What a command printed, when it is more than one line.
    Output(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_carries_only_changed_fields() {
        let mut form = EmployeeForm::with(
            Some("E1".into()),
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
        let mut form = EmployeeForm::with(Some("E1".into()), vec![String::new(); 8]);
        form.focus = 7;
        form.next();
        assert_eq!(form.focus, 1);
        form.prev();
        assert_eq!(form.focus, 7);
    }
}
