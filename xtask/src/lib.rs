//! Library side of `cargo xtask`: what the end-to-end tests share with the commands.

pub mod paths;
pub mod size;
