//! What the screens show: plain data, loaded before a frame and never by it.

pub mod cases;
pub mod credentials;
pub mod dialog;
pub mod drafts;
pub mod list;
pub mod records;
pub mod roster;
