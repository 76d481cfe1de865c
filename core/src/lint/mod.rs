//! (to be written: see the issue that owns this module)

pub mod yaml;

use crate::diagnostic::Rule;

/// Rules reported by this module.
pub static RULES: &[Rule] = &[];
