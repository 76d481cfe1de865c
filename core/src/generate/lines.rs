//! A shell script built line by line: shared by the doctor's and the executor pipeline's
//! scripts (the build script has its own writer, which also knows the stack).

use std::fmt::Write as _;

pub(super) struct Lines(pub(super) String);

impl Lines {
    pub(super) fn line(&mut self, text: &str) {
        self.0.push_str(text);
        self.0.push('\n');
    }
    pub(super) fn fmt(&mut self, args: std::fmt::Arguments<'_>) {
        let _ = self.0.write_fmt(args);
        self.0.push('\n');
    }
    /// `# text`, one comment line per line of `text` (`#` alone for an empty one).
    pub(super) fn comment(&mut self, text: &str) {
        for l in text.lines() {
            if l.is_empty() { self.line("#") } else { self.fmt(format_args!("# {l}")) }
        }
    }
    /// The same, indented by two spaces (inside a shell function).
    pub(super) fn comment_indented(&mut self, text: &str) {
        for l in text.lines() {
            self.fmt(format_args!("  # {l}"));
        }
    }
}
