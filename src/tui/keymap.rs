//! The one table of keys: the resolver, the footer and the `?` help overlay
//! all read it, so they can never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::action::{Action, Tab};

/// Where a binding works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere outside dialogs.
    Global,
    /// Any list: moving the selection.
    List,
    /// The Roster tab and an employee's card.
    Roster,
    /// The Drafts tab and a draft's detail.
    Drafts,
    /// The Credentials tab.
    Credentials,
    /// The Cases tab and a case's detail.
    Cases,
    /// The Records tab.
    Records,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::List => "Lists",
            Scope::Roster => "Roster and employee card",
            Scope::Drafts => "Drafts and review",
            Scope::Credentials => "Credentials (V.7)",
            Scope::Cases => "Cases (V.8)",
            Scope::Records => "Records (V.5)",
        }
    }
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the key is written in the footer and help.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// The footer's word for it; empty keeps it out of the footer (the
    /// help overlay shows every binding).
    pub hint: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

const fn ch(c: char) -> (KeyCode, KeyModifiers) {
    (KeyCode::Char(c), NONE)
}

macro_rules! bind {
    ($scope:ident, [$($key:expr),+], $label:expr, $action:expr, $help:expr, $hint:expr) => {
        Binding {
            scope: Scope::$scope,
            keys: &[$($key),+],
            label: $label,
            action: $action,
            help: $help,
            hint: $hint,
        }
    };
}

#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind!(Global, [ch('q')], "q", Action::Quit, "quit; asks if a form has input", "quit"),
    bind!(Global, [ch('?')], "?", Action::Help, "this help", "help"),
    bind!(Global, [ch(':')], ":", Action::CommandLine, "command line, e.g. :roster list", ""),
    bind!(Global, [ch('r')], "r", Action::Refresh, "refresh from the database", ""),
    bind!(Global, [(KeyCode::Tab, NONE)], "Tab", Action::NextTab, "next tab", ""),
    bind!(Global, [(KeyCode::BackTab, SHIFT), (KeyCode::BackTab, NONE)], "S-Tab", Action::PrevTab, "previous tab", ""),
    bind!(Global, [ch('1')], "1", Action::GoTab(Tab::Roster), "Roster tab", ""),
    bind!(Global, [ch('2')], "2", Action::GoTab(Tab::Drafts), "Drafts tab", ""),
    bind!(Global, [ch('3')], "3", Action::GoTab(Tab::Credentials), "Credentials tab", ""),
    bind!(Global, [ch('4')], "4", Action::GoTab(Tab::Cases), "Cases tab", ""),
    bind!(Global, [ch('5')], "5", Action::GoTab(Tab::Records), "Records tab", ""),
    bind!(Global, [(KeyCode::Esc, NONE)], "Esc", Action::Back, "back: close, clear the filter", ""),
    bind!(List, [ch('j'), (KeyCode::Down, NONE)], "j/↓", Action::Down, "next row", ""),
    bind!(List, [ch('k'), (KeyCode::Up, NONE)], "k/↑", Action::Up, "previous row", ""),
    bind!(List, [ch('g'), (KeyCode::Home, NONE)], "g", Action::Top, "first row", ""),
    bind!(List, [ch('G'), (KeyCode::End, NONE)], "G", Action::Bottom, "last row", ""),
    bind!(List, [(KeyCode::PageDown, NONE)], "PgDn", Action::PageDown, "next page", ""),
    bind!(List, [(KeyCode::PageUp, NONE)], "PgUp", Action::PageUp, "previous page", ""),
    bind!(List, [(KeyCode::Enter, NONE)], "Enter", Action::Open, "open the detail", ""),
    bind!(Roster, [ch('/')], "/", Action::Filter, "filter as you type", "filter"),
    bind!(Roster, [ch('A')], "A", Action::Authorize, "authorize or renew team member", "authorize"),
    bind!(Roster, [ch('R')], "R", Action::Revoke, "revoke team membership (reason)", "revoke"),
    bind!(Roster, [ch('S')], "S", Action::Separate, "record a separation (confirm)", "separate"),
    bind!(Roster, [ch('D')], "D", Action::Delegate, "grant the delegation (confirm)", ""),
    bind!(Roster, [ch('U')], "U", Action::Undelegate, "revoke the delegation (confirm)", ""),
    bind!(Roster, [ch('n')], "n", Action::AddEmployee, "new employee", "new"),
    bind!(Roster, [ch('E')], "E", Action::EditEmployee, "edit employee", "edit"),
    bind!(Drafts, [ch('a')], "a", Action::Approve, "approve the selected draft", "approve"),
    bind!(Drafts, [ch('x')], "x", Action::Reject, "reject (reason, final)", "reject"),
    bind!(Drafts, [ch('c')], "c", Action::RequestChanges, "request changes (reason)", "changes"),
    bind!(Drafts, [ch('e')], "e", Action::Express, "express approval (type the id)", "express"),
    bind!(Drafts, [ch('d')], "d", Action::Dismiss, "dismiss the selected finding", "dismiss"),
    bind!(Drafts, [ch(']')], "]", Action::NextFinding, "select the next finding", ""),
    bind!(Drafts, [ch('[')], "[", Action::PrevFinding, "select the previous finding", ""),
    bind!(Drafts, [ch('n')], "n", Action::NewDraft, "new draft", ""),
    bind!(Drafts, [ch('E')], "E", Action::EditDraft, "edit ($EDITOR or built-in)", ""),
    bind!(Drafts, [ch('s')], "s", Action::SubmitDraft, "submit (V.6 checklist)", ""),
    bind!(Drafts, [ch('p')], "p", Action::Publish, "record publication (URL)", ""),
    bind!(Drafts, [ch('N')], "N", Action::NoteDraft, "reviewer note", ""),
    bind!(Drafts, [ch('v')], "v", Action::SwitchView, "queue / mine / all drafts", "view"),
    bind!(Credentials, [ch('n')], "n", Action::NewRequest, "request a change (form)", "request"),
    bind!(Credentials, [ch('!')], "!", Action::LogExigent, "log an exigent change (form)", "exigent"),
    bind!(Credentials, [ch('a')], "a", Action::Approve, "approve the request", "approve"),
    bind!(Credentials, [ch('x')], "x", Action::Reject, "deny the request (reason)", ""),
    bind!(Credentials, [ch('c')], "c", Action::Complete, "record it made (confirm)", ""),
    bind!(Credentials, [ch('X')], "X", Action::Cancel, "cancel it (confirm)", ""),
    bind!(Credentials, [ch('N')], "N", Action::Notify, "record the notice (how)", ""),
    bind!(Credentials, [ch('A')], "A", Action::Acknowledge, "acknowledge the notice", "ack"),
    bind!(Credentials, [ch('P')], "P", Action::ProposeRotations, "file proposed password changes", ""),
    bind!(Credentials, [ch('/')], "/", Action::Filter, "filter by account", ""),
    bind!(Credentials, [ch('v')], "v", Action::SwitchView, "all / awaiting you / overdue", "view"),
    bind!(Credentials, [ch('O')], "O", Action::OpenCase, "open a case about it", ""),
    bind!(Drafts, [ch('O')], "O", Action::OpenCase, "open a case about it", ""),
    bind!(Records, [ch('/')], "/", Action::Filter, "filter by action, entity or actor", "filter"),
    bind!(Cases, [ch('n')], "n", Action::OpenCase, "open a case (form)", "open"),
    bind!(Cases, [ch('N')], "N", Action::CaseNote, "add a note", "note"),
    bind!(Cases, [ch('i')], "i", Action::AssignInvestigator, "assign the investigator", "assign"),
    bind!(Cases, [ch('t')], "t", Action::SetDue, "set the due date", ""),
    bind!(Cases, [ch('s')], "s", Action::StartCase, "start investigating (confirm)", ""),
    bind!(Cases, [ch('f')], "f", Action::RecordFinding, "record the finding (disposition)", "finding"),
    bind!(Cases, [ch('C')], "C", Action::CloseCase, "close (confirm)", ""),
    bind!(Cases, [ch('R')], "R", Action::ReopenCase, "reopen (reason)", ""),
    bind!(Cases, [ch('e')], "e", Action::AttachEvidence, "attach an evidence file", ""),
    bind!(Cases, [ch('L')], "L", Action::LinkCase, "link a draft, change or account", ""),
];

fn matches(b: &Binding, key: &KeyEvent) -> bool {
    let mods = key.modifiers - KeyModifiers::SHIFT;
    b.keys.iter().any(|(code, want)| {
        *code == key.code
            && (mods == *want - KeyModifiers::SHIFT || matches!(code, KeyCode::BackTab))
    })
}

/// The action a key runs in the given scopes, the first listed winning.
pub fn resolve(scopes: &[Scope], key: &KeyEvent) -> Option<Action> {
    scopes.iter().find_map(|scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == *scope)
            .find(|b| matches(b, key))
            .map(|b| b.action)
    })
}

/// The footer's key hints for the given scopes, the most general first
/// (quit and help always show, whatever the width).
pub fn footer(scopes: &[Scope]) -> Vec<(&'static str, &'static str)> {
    scopes
        .iter()
        .rev()
        .flat_map(|scope| {
            BINDINGS
                .iter()
                .filter(move |b| b.scope == *scope && !b.hint.is_empty())
        })
        .map(|b| (b.label, b.hint))
        .collect()
}

/// The action whose name a command-line word gives, if any.
pub fn by_name(name: &str) -> Option<Action> {
    BINDINGS.iter().map(|b| b.action).find(|a| a.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn keys_resolve_by_scope_order() {
        let all = [Scope::Roster, Scope::List, Scope::Global];
        assert_eq!(resolve(&all, &key('j')), Some(Action::Down));
        assert_eq!(resolve(&all, &key('A')), Some(Action::Authorize));
        assert_eq!(
            resolve(
                &all,
                &KeyEvent::new(KeyCode::Char('A'), KeyModifiers::SHIFT)
            ),
            Some(Action::Authorize)
        );
        assert_eq!(resolve(&[Scope::Global], &key('A')), None);
        assert_eq!(
            resolve(&all, &key('3')),
            Some(Action::GoTab(Tab::Credentials))
        );
        assert_eq!(
            resolve(
                &all,
                &KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL)
            ),
            None
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_scopes_used_together() {
        for tab in [
            Scope::Records,
            Scope::Roster,
            Scope::Drafts,
            Scope::Credentials,
            Scope::Cases,
        ] {
            let together = [tab, Scope::List, Scope::Global];
            let keys: Vec<_> = BINDINGS
                .iter()
                .filter(|b| together.contains(&b.scope))
                .flat_map(|b| b.keys.iter().map(move |k| (k, b.label)))
                .collect();
            for (i, (k, label)) in keys.iter().enumerate() {
                for (other, other_label) in &keys[i + 1..] {
                    assert_ne!(k, other, "{label} and {other_label} share a key in {tab:?}");
                }
            }
        }
    }

    #[test]
    fn every_action_has_a_distinct_name() {
        let mut actions: Vec<Action> = BINDINGS.iter().map(|b| b.action).collect();
        actions.sort_by_key(|a| a.name());
        actions.dedup();
        let mut names: Vec<&str> = actions.iter().map(|a| a.name()).collect();
        names.dedup();
        assert_eq!(names.len(), actions.len(), "two actions share a name");
        assert_eq!(by_name("authorize"), Some(Action::Authorize));
    }
}
