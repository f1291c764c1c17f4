//! socialdesk: the terminal console a county Probation Department uses to
//! run its official social media under its Social Media Use Policy.
#![forbid(unsafe_code)]

pub mod cli;
pub mod demo;
pub mod domain;
pub mod error;
pub mod fuzzy;
pub mod identity;
pub mod store;
pub mod text;
pub mod tui;
