//! Named actions: every key resolves to one of these, and the `:` command
//! line accepts their names, so a key and a command run the same code.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Roster,
    Drafts,
    Credentials,
    Cases,
    Records,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Roster,
        Tab::Drafts,
        Tab::Credentials,
        Tab::Cases,
        Tab::Records,
    ];

    /// The contract titles (SPEC §8).
    pub fn title(self) -> &'static str {
        match self {
            Tab::Roster => "Roster",
            Tab::Drafts => "Drafts",
            Tab::Credentials => "Credentials",
            Tab::Cases => "Cases",
            Tab::Records => "Records",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    CommandLine,
    Refresh,
    NextTab,
    PrevTab,
    GoTab(Tab),
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Filter,
    Open,
    Back,
    AddEmployee,
    EditEmployee,
    Authorize,
    Revoke,
    Separate,
    Delegate,
    Undelegate,
    Approve,
    Reject,
    RequestChanges,
    Express,
    Dismiss,
    NewDraft,
    EditDraft,
    SubmitDraft,
    Publish,
    NoteDraft,
    NextFinding,
    PrevFinding,
    SwitchView,
    NewRequest,
    LogExigent,
    Complete,
    Cancel,
    Notify,
    Acknowledge,
    ProposeRotations,
    OpenCase,
    CaseNote,
    AssignInvestigator,
    SetDue,
    StartCase,
    RecordFinding,
    CloseCase,
    ReopenCase,
    AttachEvidence,
    LinkCase,
}

impl Action {
    /// The name the `:` command line knows the action by.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::CommandLine => "command",
            Action::Refresh => "refresh",
            Action::NextTab => "next-tab",
            Action::PrevTab => "prev-tab",
            Action::GoTab(Tab::Roster) => "tab-roster",
            Action::GoTab(Tab::Drafts) => "tab-drafts",
            Action::GoTab(Tab::Credentials) => "tab-credentials",
            Action::GoTab(Tab::Cases) => "tab-cases",
            Action::GoTab(Tab::Records) => "tab-records",
            Action::Up => "up",
            Action::Down => "down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::PageUp => "page-up",
            Action::PageDown => "page-down",
            Action::Filter => "filter",
            Action::Open => "open",
            Action::Back => "back",
            Action::AddEmployee => "add-employee",
            Action::EditEmployee => "edit-employee",
            Action::Authorize => "authorize",
            Action::Revoke => "revoke",
            Action::Separate => "separate",
            Action::Delegate => "delegate",
            Action::Undelegate => "undelegate",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::RequestChanges => "request-changes",
            Action::Express => "express",
            Action::Dismiss => "dismiss",
            Action::NewDraft => "new-draft",
            Action::EditDraft => "edit-draft",
            Action::SubmitDraft => "submit",
            Action::Publish => "publish",
            Action::NoteDraft => "note",
            Action::NextFinding => "next-finding",
            Action::PrevFinding => "prev-finding",
            Action::SwitchView => "switch-view",
            Action::NewRequest => "request",
            Action::LogExigent => "exigent",
            Action::Complete => "complete",
            Action::Cancel => "cancel",
            Action::Notify => "notify",
            Action::Acknowledge => "acknowledge",
            Action::ProposeRotations => "propose-rotations",
            Action::OpenCase => "open-case",
            Action::CaseNote => "case-note",
            Action::AssignInvestigator => "assign",
            Action::SetDue => "due",
            Action::StartCase => "start",
            Action::RecordFinding => "finding",
            Action::CloseCase => "close",
            Action::ReopenCase => "reopen",
            Action::AttachEvidence => "evidence",
            Action::LinkCase => "link",
        }
    }
}
