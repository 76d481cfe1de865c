//! (to be written: see the issue that owns this module)

use crate::diagnostic::Rule;

/// Rules reported by this module.
pub static RULES: &[Rule] = &[];
