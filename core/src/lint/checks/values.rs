//! Checks inside a step's values (rules KS328–KS342): `retry`, `soft_fail`, `depends_on`,
//! `matrix` and its `{{matrix…}}` placeholders, `plugins`, `notify`, `cache`, the
//! `true`/`false` keys, `if`/`branches`, group steps and value ranges. Each runs only when
//! the value's kind is right, since the kind check (KS303) already reports the rest.

use crate::audience::shorten;
use crate::policy::closest;

use super::super::schema::{self, Enum, Object};
use super::super::yaml::{self, Node, NodeKind, ScalarType};
use super::super::rule;
use super::{Cx, node_kinds};

/// How a step's `matrix` names its values.
enum Dimensions<'n> {
    /// A plain list of values: `{{matrix}}`.
    Single,
    /// `setup` with named dimensions: `{{matrix.NAME}}`.
    Named(Vec<&'n str>),
}

impl Cx<'_> {
    /// The nested checks of one step of type `ty`, nested `depth` groups deep.
    pub(super) fn step_values(&mut self, file: usize, step: &Node, ty: &str, depth: usize) {
        for (k, v) in step.as_map().unwrap_or(&[]) {
            let name = k.as_str().unwrap_or("");
            if schema::BOOLISH_STEP_KEYS.contains(&name) {
                self.boolish(file, name, v);
            }
            match name {
                "retry" if ty == "command" => self.retry(file, v),
                "soft_fail" => self.soft_fail(file, v),
                "depends_on" => self.depends_on(file, v),
                "matrix" if ty == "command" => self.matrix(file, v),
                "plugins" if ty == "command" => self.plugins(file, v),
                "notify" => self.notify(file, v, ty == "group"),
                "cache" if ty == "command" => self.cache(file, v),
                "if" => self.condition(file, v),
                "branches" => self.branches(file, v),
                "timeout_in_minutes" | "timeout" if ty == "command" => self.timeout(file, name, v),
                "skip" => self.skip_reason(file, v),
                "concurrency_method" if ty == "command" => self.one_of(file, name, &schema::CONCURRENCY_METHODS, v),
                "blocked_state" => self.one_of(file, name, &schema::BLOCKED_STATES, v),
                _ => {}
            }
        }
        if ty == "command" {
            self.matrix_placeholders(file, step);
        }
        if ty == "group" {
            self.group(file, step, depth);
        }
    }

    /// Keys and value kinds of a nested object: unknown keys of a closed object are
    /// `key_rule` findings, of an open one KS333 when they look misspelled; a wrong kind or a
    /// missing required key is a `value_rule` finding.
    fn object(&mut self, file: usize, obj: &Object, node: &Node, key_rule: &str, value_rule: &str) {
        let Some(entries) = node.as_map() else { return };
        for (k, v) in entries {
            let name = k.as_str().unwrap_or("");
            match obj.key(name) {
                Some(key) => {
                    if let Some(actual) = node_kinds(v)
                        && actual & key.kinds == 0
                    {
                        let want = schema::describe(key.kinds);
                        self.push(
                            file,
                            rule(value_rule)
                                .diag(format!("`{name}` in {} is {}, but it takes {want}.", obj.name, v.describe()), format!("Write `{name}` as {want}."))
                                .with_span(v.span),
                        );
                    }
                }
                None if name == "<<" => {}
                None => {
                    let names = obj.names();
                    let suggestion = closest(name, &names);
                    let shown = shorten(name);
                    if obj.closed {
                        let (msg, fix) = match suggestion {
                            Some(s) => (format!("`{shown}` is not a key of {}; did you mean `{s}`?", obj.name), format!("Rename it to `{s}`.")),
                            None => (format!("`{shown}` is not a key of {}.", obj.name), format!("Remove it; the keys are {}.", ticks(&names))),
                        };
                        self.push(file, rule(key_rule).diag(msg, fix).with_span(k.span));
                    } else if let Some(s) = suggestion {
                        self.push(
                            file,
                            rule("KS333")
                                .diag(format!("`{shown}` in {} is not one of its keys, so it is ignored; did you mean `{s}`?", obj.name), format!("Rename it to `{s}`."))
                                .with_span(k.span),
                        );
                    }
                }
            }
        }
        if node.get("<<").is_none() {
            for req in obj.required {
                if node.get(req).is_none() {
                    self.push(
                        file,
                        rule(value_rule).diag(format!("{} has no `{req}`, which it requires.", capitalize(obj.name)), format!("Add `{req}:`.")).with_span(node.span),
                    );
                }
            }
        }
    }

    /// A key that takes only `true` or `false` (as booleans or strings).
    fn boolish(&mut self, file: usize, what: &str, v: &Node) {
        let NodeKind::Scalar { value, .. } = &v.kind else { return };
        match v.scalar_type() {
            Some(ScalarType::Null | ScalarType::Bool) => return,
            _ if schema::BOOLISH.values.contains(&value.as_str()) => return,
            _ => {}
        }
        let guess = match value.to_ascii_lowercase().as_str() {
            "yes" | "y" | "on" | "1" => format!("Write `{what}: true`."),
            "no" | "n" | "off" | "0" => format!("Write `{what}: false`."),
            _ => format!("Write `{what}: true` or `{what}: false`."),
        };
        self.push(file, rule("KS339").diag(format!("`{what}` is `{}`, but it takes only `true` or `false`.", shorten(value)), guess).with_span(v.span));
    }

    // ---- retry, soft_fail, depends_on -------------------------------------------------

    fn retry(&mut self, file: usize, v: &Node) {
        if v.as_map().is_none() {
            return;
        }
        self.object(file, &schema::RETRY, v, "KS328", "KS329");
        if let Some(a) = v.get("automatic") {
            match &a.kind {
                NodeKind::Map(_) => self.automatic_retry(file, a),
                NodeKind::Seq(items) => {
                    for item in items {
                        match &item.kind {
                            NodeKind::Map(_) => self.automatic_retry(file, item),
                            NodeKind::Alias => {}
                            _ => self.push(
                                file,
                                rule("KS329")
                                    .diag(format!("An item of `retry.automatic` is {}, not a rule mapping.", item.describe()), "Write each rule as a mapping, e.g. `- {exit_status: \"*\", limit: 2}`.")
                                    .with_span(item.span),
                            ),
                        }
                    }
                }
                _ => self.boolish(file, "retry.automatic", a),
            }
        }
        if let Some(m) = v.get("manual") {
            if m.as_map().is_some() {
                self.object(file, &schema::MANUAL_RETRY, m, "KS328", "KS329");
                for key in ["allowed", "permit_on_passed"] {
                    if let Some(b) = m.get(key) {
                        self.boolish(file, key, b);
                    }
                }
            } else {
                self.boolish(file, "retry.manual", m);
            }
        }
    }

    fn automatic_retry(&mut self, file: usize, r: &Node) {
        self.object(file, &schema::AUTOMATIC_RETRY, r, "KS328", "KS329");
        if let Some(status) = r.get("exit_status") {
            match &status.kind {
                NodeKind::Seq(items) => {
                    for item in items.iter().filter(|i| node_kinds(i).is_some_and(|k| k & schema::INT == 0)) {
                        self.push(
                            file,
                            rule("KS329")
                                .diag(format!("An `exit_status` list item is {}; the list holds exit codes (integers).", item.describe()), "Write integers, e.g. `exit_status: [1, 255]`, or `exit_status: \"*\"` for any.")
                                .with_span(item.span),
                        );
                    }
                }
                NodeKind::Scalar { .. } => self.exit_status(file, "KS329", status, &schema::EXIT_STATUS_ANY),
                _ => {}
            }
        }
        if let Some(limit) = r.get("limit")
            && let Some(n) = limit.as_str().and_then(|s| s.trim().parse::<i64>().ok())
        {
            let range = &schema::RETRY_LIMIT;
            if range.min.is_some_and(|m| n < m) || range.max.is_some_and(|m| n > m) {
                let max = range.max.unwrap_or(10);
                self.push(
                    file,
                    rule("KS329").diag(format!("`limit` in `retry.automatic` is {n}; it must be between {} and {max}.", range.min.unwrap_or(0)), format!("Use `limit: {}`.", n.clamp(range.min.unwrap_or(0), max))).with_span(limit.span),
                );
            }
        }
        if let Some(reason) = r.get("signal_reason")
            && let Some(value) = reason.as_str()
            && !schema::SIGNAL_REASONS.values.contains(&value)
        {
            let fix = closest(value, schema::SIGNAL_REASONS.values)
                .map_or_else(|| format!("Use one of {}.", ticks(schema::SIGNAL_REASONS.values)), |s| format!("Did you mean `{s}`?"));
            self.push(file, rule("KS329").diag(format!("`{}` is not a `signal_reason`.", shorten(value)), fix).with_span(reason.span));
        }
    }

    /// `exit_status` as a scalar: `*` or an integer.
    fn exit_status(&mut self, file: usize, id: &str, status: &Node, any: &Enum) {
        let Some(value) = status.as_str() else { return };
        let is_int = node_kinds(status).is_some_and(|k| k & schema::INT != 0);
        if is_int || any.values.contains(&value) || matches!(status.scalar_type(), Some(ScalarType::Null)) {
            return;
        }
        self.push(
            file,
            rule(id)
                .diag(format!("`exit_status` is `{}`; it takes an exit code (an integer) or `\"*\"` for any.", shorten(value)), "Write an integer such as `exit_status: 1`, or `exit_status: \"*\"`.")
                .with_span(status.span),
        );
    }

    fn soft_fail(&mut self, file: usize, v: &Node) {
        match &v.kind {
            NodeKind::Scalar { .. } => self.boolish(file, "soft_fail", v),
            NodeKind::Seq(items) => {
                for item in items {
                    match &item.kind {
                        NodeKind::Map(_) => {
                            self.object(file, &schema::SOFT_FAIL_ITEM, item, "KS333", "KS330");
                            if let Some(status) = item.get("exit_status") {
                                self.exit_status(file, "KS330", status, &schema::SOFT_FAIL_EXIT_STATUS_ANY);
                            }
                        }
                        NodeKind::Alias => {}
                        NodeKind::Scalar { value, .. } => self.push(
                            file,
                            rule("KS330")
                                .diag(format!("The `soft_fail` item `{}` is a bare value; each item is a mapping with `exit_status`.", shorten(value)), format!("Write `- exit_status: {}`.", shorten(value)))
                                .with_span(item.span),
                        ),
                        _ => self.push(
                            file,
                            rule("KS330")
                                .diag(format!("A `soft_fail` item is {}; each item is a mapping with `exit_status`.", item.describe()), "Write `- exit_status: 1` (or `\"*\"`).")
                                .with_span(item.span),
                        ),
                    }
                }
            }
            _ => {}
        }
    }

    fn depends_on(&mut self, file: usize, v: &Node) {
        let Some(items) = v.as_seq() else { return };
        for item in items {
            match &item.kind {
                NodeKind::Map(_) => {
                    self.object(file, &schema::DEPENDS_ON_ITEM, item, "KS331", "KS331");
                    if let Some(b) = item.get("allow_failure") {
                        self.boolish(file, "allow_failure", b);
                    }
                }
                NodeKind::Scalar { .. } if !matches!(item.scalar_type(), Some(ScalarType::Null)) => {}
                NodeKind::Alias => {}
                _ => self.push(
                    file,
                    rule("KS331")
                        .diag(format!("A `depends_on` item is {}; each item is a step key or a `{{step, allow_failure}}` mapping.", item.describe()), "List the keys one per item, e.g. `depends_on: [build, test]`.")
                        .with_span(item.span),
                ),
            }
        }
    }

    // ---- matrix -------------------------------------------------------------------------

    fn matrix(&mut self, file: usize, v: &Node) {
        match &v.kind {
            NodeKind::Seq(items) => self.matrix_values(file, "`matrix`", items),
            NodeKind::Map(_) => {
                self.object(file, &schema::MATRIX, v, "KS333", "KS332");
                let setup = v.get("setup");
                match setup.map(|s| &s.kind) {
                    Some(NodeKind::Seq(items)) => self.matrix_values(file, "`matrix.setup`", items),
                    Some(NodeKind::Map(dims)) => {
                        for (dim, values) in dims {
                            let name = dim.as_str().unwrap_or("");
                            if !schema::is_matrix_dimension(name) {
                                let fixed: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
                                self.push(
                                    file,
                                    rule("KS332")
                                        .diag(format!("The matrix dimension `{}` has characters dimension names cannot have (only letters, digits and `_`).", shorten(name)), format!("Rename it, e.g. `{}`.", shorten(&fixed)))
                                        .with_span(dim.span),
                                );
                            }
                            match &values.kind {
                                NodeKind::Seq(items) => self.matrix_values(file, &format!("dimension `{}`", shorten(name)), items),
                                NodeKind::Alias => {}
                                _ => self.push(
                                    file,
                                    rule("KS332")
                                        .diag(format!("The matrix dimension `{}` is {}, not a list of values.", shorten(name), values.describe()), format!("Write `{}: [value, …]`.", shorten(name)))
                                        .with_span(values.span),
                                ),
                            }
                        }
                    }
                    _ => {}
                }
                let named = setup.and_then(Node::as_map);
                for adj in v.get("adjustments").and_then(Node::as_seq).unwrap_or(&[]) {
                    if adj.as_map().is_none() {
                        if !matches!(adj.kind, NodeKind::Alias) {
                            self.push(
                                file,
                                rule("KS332").diag(format!("A matrix adjustment is {}, not a mapping.", adj.describe()), "Write each adjustment as `- with: …` followed by `skip` or `soft_fail`.").with_span(adj.span),
                            );
                        }
                        continue;
                    }
                    self.object(file, &schema::MATRIX_ADJUSTMENT, adj, "KS333", "KS332");
                    if let Some(sf) = adj.get("soft_fail") {
                        self.soft_fail(file, sf);
                    }
                    let Some(with) = adj.get("with") else { continue };
                    match (&with.kind, named) {
                        (NodeKind::Seq(items), None) => self.matrix_values(file, "`with`", items),
                        (NodeKind::Seq(_), Some(dims)) => {
                            let names: Vec<&str> = dims.iter().filter_map(|(k, _)| k.as_str()).collect();
                            self.push(
                                file,
                                rule("KS332")
                                    .diag("`with` is a list, but `matrix.setup` has named dimensions.", format!("Name the values: `with: {{{}}}`.", names.iter().map(|n| format!("{n}: …")).collect::<Vec<_>>().join(", ")))
                                    .with_span(with.span),
                            );
                        }
                        (NodeKind::Map(entries), _) => {
                            let names: Vec<&str> = named.unwrap_or(&[]).iter().filter_map(|(k, _)| k.as_str()).collect();
                            for (k, value) in entries {
                                self.matrix_values(file, "`with`", std::slice::from_ref(value));
                                let name = k.as_str().unwrap_or("");
                                if named.is_some() && !names.contains(&name) {
                                    let fix = closest(name, &names).map_or_else(|| format!("Use a dimension of `setup`: {}.", ticks(&names)), |s| format!("Did you mean `{s}`?"));
                                    self.push(
                                        file,
                                        rule("KS332").diag(format!("`with` names `{}`, which is not a dimension of `matrix.setup`.", shorten(name)), fix).with_span(k.span),
                                    );
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// Matrix values: strings, integers or booleans.
    fn matrix_values(&mut self, file: usize, place: &str, items: &[Node]) {
        for item in items {
            let problem = match (&item.kind, item.scalar_type()) {
                (NodeKind::Scalar { value, .. }, Some(ScalarType::Float)) => {
                    let read = value.parse::<f64>().map_or_else(|_| value.clone(), |f| f.to_string());
                    let raw = self.source(file, item).unwrap_or(value);
                    Some((format!("`{}` in {place} is a number (YAML reads it as {read}); matrix values are strings, integers or booleans.", shorten(raw)), format!("Quote it: `\"{}\"`.", shorten(raw))))
                }
                (NodeKind::Scalar { .. }, Some(ScalarType::Null)) | (NodeKind::Seq(_) | NodeKind::Map(_), _) => Some((
                    format!("A value in {place} is {}; matrix values are strings, integers or booleans.", item.describe()),
                    "Write the value as a string, integer or boolean.".to_string(),
                )),
                _ => None,
            };
            if let Some((msg, fix)) = problem {
                self.push(file, rule("KS332").diag(msg, fix).with_span(item.span));
            }
        }
    }

    /// `{{matrix}}` / `{{matrix.NAME}}` placeholders in a command step against its `matrix`.
    fn matrix_placeholders(&mut self, file: usize, step: &Node) {
        if !self.has_placeholders.get(file).copied().unwrap_or(true) {
            return;
        }
        let entries = step.as_map().unwrap_or(&[]);
        let mut scalars: Vec<&Node> = Vec::new();
        for (k, v) in entries {
            if k.as_str() == Some("matrix") {
                continue;
            }
            yaml::walk(v, |n| {
                if n.as_str().is_some_and(|s| s.contains("{{")) {
                    scalars.push(n);
                }
            });
        }
        // Keys merged in with `<<: *anchor` may bring the matrix.
        if scalars.is_empty() || step.get("<<").is_some() {
            return;
        }
        let dims = match step.get("matrix").map(|m| (&m.kind, m.get("setup").map(|s| &s.kind))) {
            None => None,
            Some((NodeKind::Seq(_), _) | (NodeKind::Map(_), Some(NodeKind::Seq(_)))) => Some(Dimensions::Single),
            Some((NodeKind::Map(_), Some(NodeKind::Map(dims)))) => Some(Dimensions::Named(dims.iter().filter_map(|(k, _)| k.as_str()).collect())),
            // A matrix the other checks report, or an alias: nothing to compare with.
            Some(_) => return,
        };
        for node in scalars {
            let text = node.as_str().unwrap_or("");
            for (whole, dim) in placeholders(text) {
                let found = match (&dims, dim) {
                    (None, _) => Some((
                        format!("`{whole}` is in a step without `matrix`, so it stays literal text."),
                        "Add `matrix:` to this step, or remove the placeholder.".to_string(),
                    )),
                    (Some(Dimensions::Single), None) => None,
                    (Some(Dimensions::Single), Some(_)) => Some((
                        format!("`{whole}` names a dimension, but this step's `matrix` is a plain list of values."),
                        "Write `{{matrix}}`, or give `matrix.setup` named dimensions (`setup: {name: [...]}`).".to_string(),
                    )),
                    (Some(Dimensions::Named(names)), None) => Some((
                        format!("`{whole}` is used, but this step's matrix has named dimensions ({}).", ticks(names)),
                        format!("Write `{{{{matrix.{}}}}}`.", names.first().copied().unwrap_or("NAME")),
                    )),
                    (Some(Dimensions::Named(names)), Some(d)) if names.contains(&d) => None,
                    (Some(Dimensions::Named(names)), Some(d)) => Some((
                        format!("`{whole}` names no dimension of `matrix.setup` ({}).", ticks(names)),
                        closest(d, names).map_or_else(|| format!("Use one of {}.", ticks(names)), |s| format!("Write `{{{{matrix.{s}}}}}`.")),
                    )),
                };
                if let Some((msg, fix)) = found {
                    let span = self.indexes.get(file).map_or(node.span, |i| i.find_in(node, &whole));
                    self.push(file, rule("KS334").diag(msg, fix).with_span(span));
                }
            }
        }
    }

    // ---- plugins, notify, cache -----------------------------------------------------------

    fn plugins(&mut self, file: usize, v: &Node) {
        match &v.kind {
            NodeKind::Seq(items) => {
                for item in items {
                    match &item.kind {
                        NodeKind::Map(m) => {
                            if let [(name, config)] = m.as_slice() {
                                self.plugin_config(file, name, config);
                            } else if m.is_empty() {
                                self.push(file, rule("KS335").diag("A `plugins` entry is an empty mapping, so it names no plugin.", "Remove it, or write `- name#version: {…}`.").with_span(item.span));
                            }
                        }
                        NodeKind::Scalar { .. } if !matches!(item.scalar_type(), Some(ScalarType::Null)) => {}
                        NodeKind::Alias => {}
                        _ => self.push(
                            file,
                            rule("KS335")
                                .diag(format!("A `plugins` entry is {}; each entry is a plugin name or `name: {{options}}`.", item.describe()), "Write `- name#version` or `- name#version: {option: value}`.")
                                .with_span(item.span),
                        ),
                    }
                }
            }
            NodeKind::Map(entries) => {
                self.push(
                    file,
                    rule("KS336")
                        .diag("`plugins` is a mapping, a form the schema marks as deprecated.", "Write each plugin as a list item: `- name#version: {…}`.")
                        .with_span(v.span),
                );
                for (name, config) in entries {
                    self.plugin_config(file, name, config);
                }
            }
            _ => {}
        }
    }

    fn plugin_config(&mut self, file: usize, name: &Node, config: &Node) {
        let bad = match &config.kind {
            NodeKind::Scalar { .. } => !matches!(config.scalar_type(), Some(ScalarType::Null)),
            NodeKind::Seq(_) => true,
            NodeKind::Map(_) | NodeKind::Alias => false,
        };
        if bad {
            let plugin = shorten(name.as_str().unwrap_or("this plugin"));
            self.push(
                file,
                rule("KS335")
                    .diag(format!("The configuration of `{plugin}` is {}; a plugin's configuration is a mapping of options (or empty).", config.describe()), format!("Indent its options under `{plugin}:` as `option: value` lines."))
                    .with_span(config.span),
            );
        }
    }

    /// `notify` of a command step, or of a build (the pipeline or a group step).
    pub(super) fn notify(&mut self, file: usize, v: &Node, build: bool) {
        let Some(items) = v.as_seq() else { return };
        let kinds = if build { schema::BUILD_NOTIFY } else { schema::STEP_NOTIFY };
        let kind_keys: Vec<&str> = kinds.iter().map(|(_, k, _)| *k).collect();
        for item in items {
            match &item.kind {
                NodeKind::Scalar { value, .. } => {
                    if schema::NOTIFY_SIMPLE.values.contains(&value.as_str()) {
                        continue;
                    }
                    let fix = closest(value, schema::NOTIFY_SIMPLE.values).map_or_else(
                        || "Write the notification as a mapping, e.g. `- slack: \"#builds\"`.".to_string(),
                        |s| format!("Did you mean `{s}`?"),
                    );
                    self.push(
                        file,
                        rule("KS337")
                            .diag(format!("The notification `{}` is a bare string; only {} can be written that way.", shorten(value), ticks(schema::NOTIFY_SIMPLE.values)), fix)
                            .with_span(item.span),
                    );
                }
                NodeKind::Map(entries) => {
                    let found = entries.iter().find_map(|(k, _)| kinds.iter().find(|(_, key, _)| k.as_str() == Some(key)));
                    if let Some((_, key, obj)) = found {
                        self.object(file, obj, item, "KS337", "KS337");
                        let inner = item.get(key).filter(|n| n.as_map().is_some());
                        match (*key, inner) {
                            ("slack", Some(slack)) => {
                                self.object(file, &schema::NOTIFY_SLACK_OBJECT, slack, "KS333", "KS337");
                                for ch in slack.get("channels").and_then(Node::as_seq).unwrap_or(&[]) {
                                    if node_kinds(ch).is_some_and(|k| k & schema::STR == 0) {
                                        self.push(file, rule("KS337").diag(format!("A Slack channel is {}, not a string.", ch.describe()), "Write channels as strings, e.g. `\"#builds\"`.").with_span(ch.span));
                                    }
                                }
                            }
                            ("github_commit_status", Some(status)) => self.object(file, &schema::NOTIFY_GITHUB_COMMIT_STATUS_OBJECT, status, "KS337", "KS337"),
                            _ => {}
                        }
                        continue;
                    }
                    let Some((k, name)) = entries.iter().find_map(|(k, _)| k.as_str().filter(|n| *n != "if").map(|n| (k, n))) else {
                        self.push(file, rule("KS337").diag("This notification has only `if`, so it notifies nothing.", format!("Add what to notify: {}.", ticks(&kind_keys))).with_span(item.span));
                        continue;
                    };
                    let build_only = schema::BUILD_NOTIFY.iter().any(|(_, key, _)| *key == name);
                    let (msg, fix) = if build_only {
                        (format!("`{name}` notifications are sent by the pipeline or a group step, not by a command step."), "Move it to the pipeline's top-level `notify:` (or a group step's).".to_string())
                    } else if let Some(s) = closest(name, &kind_keys) {
                        (format!("`{}` is not a notification; did you mean `{s}`?", shorten(name)), format!("Rename it to `{s}`."))
                    } else {
                        (format!("`{}` is not a notification here.", shorten(name)), format!("Use one of {}.", ticks(&kind_keys)))
                    };
                    self.push(file, rule("KS337").diag(msg, fix).with_span(k.span));
                }
                NodeKind::Alias => {}
                NodeKind::Seq(_) => self.push(
                    file,
                    rule("KS337").diag("A `notify` item is a list; each item is one notification.", "Write each notification as its own `- ` item.").with_span(item.span),
                ),
            }
        }
    }

    fn cache(&mut self, file: usize, v: &Node) {
        let paths = match &v.kind {
            NodeKind::Seq(items) => Some(items.as_slice()),
            NodeKind::Map(_) => {
                self.object(file, &schema::CACHE, v, "KS333", "KS338");
                if let Some(size) = v.get("size")
                    && let Some(value) = size.as_str()
                    && !schema::is_cache_size(value)
                {
                    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
                    let example = if digits.is_empty() { "20g".to_string() } else { format!("{digits}g") };
                    self.push(
                        file,
                        rule("KS338").diag(format!("The cache `size` `{}` is not whole gigabytes written like `20g`.", shorten(value)), format!("Write `size: {example}`.")).with_span(size.span),
                    );
                }
                v.get("paths").and_then(Node::as_seq)
            }
            _ => None,
        };
        for p in paths.unwrap_or(&[]) {
            if node_kinds(p).is_some_and(|k| k & schema::STR == 0) {
                self.push(file, rule("KS338").diag(format!("A cache path is {}, not a string.", p.describe()), "Write each path as a string, e.g. `- node_modules`.").with_span(p.span));
            }
        }
    }

    // ---- conditions, groups, ranges -------------------------------------------------------

    fn condition(&mut self, file: usize, v: &Node) {
        if let (NodeKind::Scalar { value, .. }, Some(ScalarType::Bool | ScalarType::Int | ScalarType::Float)) = (&v.kind, v.scalar_type()) {
            self.push(
                file,
                rule("KS340")
                    .diag(format!("`if` is {} (`{}`), not a condition expression.", v.describe(), shorten(value)), "Write a condition such as `if: build.branch == \"main\"`, or remove `if` for a step that always runs.")
                    .with_span(v.span),
            );
        }
    }

    fn branches(&mut self, file: usize, v: &Node) {
        for item in v.as_seq().unwrap_or(&[]) {
            if node_kinds(item).is_some_and(|k| k & schema::STR == 0) {
                self.push(
                    file,
                    rule("KS340")
                        .diag(format!("A `branches` item is {}; branch patterns are strings.", item.describe()), "Write each pattern as a string, e.g. `branches: [main, \"release/*\"]`.")
                        .with_span(item.span),
                );
            }
        }
    }

    fn group(&mut self, file: usize, step: &Node, depth: usize) {
        let label = step.get("group").or_else(|| step.get("label")).and_then(Node::as_str).map_or_else(String::new, |l| format!(" `{}`", shorten(l)));
        if depth > 0 {
            self.push(
                file,
                rule("KS341")
                    .diag(format!("The group{label} is inside another group; a group's steps cannot be groups."), "Move this group up to the pipeline's top-level `steps`, or make its steps part of the outer group.")
                    .with_span(step.span),
            );
        }
        match step.get("steps").map(|s| &s.kind) {
            None if step.get("<<").is_none() => self.push(
                file,
                rule("KS341").diag(format!("The group{label} has no `steps`."), "Add `steps:` with the steps of the group.").with_span(step.span),
            ),
            Some(NodeKind::Seq(items)) if items.is_empty() => {
                let at = step.get("steps").map_or(step.span, |s| s.span);
                self.push(file, rule("KS341").diag(format!("The group{label} has an empty `steps` list."), "Add at least one step, or remove the group.").with_span(at));
            }
            _ => {}
        }
    }

    fn timeout(&mut self, file: usize, name: &str, v: &Node) {
        let Some(n) = v.as_str().and_then(|s| s.trim().parse::<i64>().ok()) else { return };
        if let Some(min) = schema::TIMEOUT_MINUTES.min
            && n < min
        {
            self.push(
                file,
                rule("KS342")
                    .diag(format!("`{name}` is {n}; it must be at least {min} minute."), "Give a timeout of at least 1 minute, or remove the key for the default.")
                    .with_span(v.span),
            );
        }
    }

    fn skip_reason(&mut self, file: usize, v: &Node) {
        let Some(text) = v.as_str() else { return };
        let chars = text.chars().count();
        if v.scalar_type() == Some(ScalarType::Str) && chars > schema::SKIP_MAX_CHARS {
            self.push(
                file,
                rule("KS342")
                    .diag(format!("The `skip` reason is {chars} characters; it may be at most {}.", schema::SKIP_MAX_CHARS), format!("Shorten it to {} characters or fewer.", schema::SKIP_MAX_CHARS))
                    .with_span(v.span),
            );
        }
    }

    fn one_of(&mut self, file: usize, name: &str, allowed: &Enum, v: &Node) {
        let Some(value) = v.as_str() else { return };
        if allowed.values.contains(&value) {
            return;
        }
        let fix = closest(value, allowed.values).map_or_else(|| format!("Use {}.", ticks(allowed.values)), |s| format!("Did you mean `{s}`?"));
        self.push(file, rule("KS342").diag(format!("`{name}` is `{}`; it takes {}.", shorten(value), ticks(allowed.values)), fix).with_span(v.span));
    }

    /// The source text of a node, as written.
    fn source(&self, file: usize, node: &Node) -> Option<&str> {
        self.indexes.get(file)?.text().get(node.bytes.0..node.bytes.1).filter(|s| !s.is_empty())
    }
}

/// `{{matrix}}` and `{{matrix.NAME}}` placeholders in `text`: the whole placeholder and the
/// dimension name, if any. Spaces inside the braces are allowed.
fn placeholders(text: &str) -> Vec<(String, Option<&str>)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = rest.get(open + 2..).unwrap_or("");
        let Some(close) = after.find("}}") else { break };
        let inner = after.get(..close).unwrap_or("").trim();
        let whole = rest.get(open..open + 2 + close + 2).unwrap_or("");
        if inner == "matrix" {
            out.push((whole.to_string(), None));
        } else if let Some(dim) = inner.strip_prefix("matrix.") {
            out.push((whole.to_string(), Some(dim.trim())));
        }
        rest = after.get(close + 2..).unwrap_or("");
    }
    out
}

/// `` `a`, `b` or `c` ``.
fn ticks(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_with_their_dimension() {
        let found = placeholders("make {{matrix}} {{ matrix.os }} {{other}} {{matrix.arch}}");
        let dims: Vec<Option<&str>> = found.iter().map(|(_, d)| *d).collect();
        assert_eq!(dims, [None, Some("os"), Some("arch")]);
        assert_eq!(found.get(1).map(|(w, _)| w.as_str()), Some("{{ matrix.os }}"));
        assert!(placeholders("{{matrix").is_empty());
    }

    #[test]
    fn ticks_joins_names() {
        assert_eq!(ticks(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(capitalize("a matrix adjustment"), "A matrix adjustment");
    }
}
