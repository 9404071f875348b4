//! The Yew components, one per file.

pub mod question;
pub mod quiz;
