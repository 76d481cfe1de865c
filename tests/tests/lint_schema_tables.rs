//! The linter's compact schema tables (`kaniko_studio_core::lint::schema`) against the real
//! Buildkite pipeline schema (`../shared/reference/buildkite-pipeline-schema.json`): every
//! step type's keys and the kinds of value each takes must be the same, so a schema update
//! that the tables miss fails here.

use std::collections::{BTreeMap, BTreeSet};

use kaniko_studio_core::lint::schema::{self, Kinds};
use kaniko_studio_tests::reference;
use serde_json::Value;

fn load() -> Value {
    let text = std::fs::read_to_string(reference("buildkite-pipeline-schema.json")).expect("read the pipeline schema");
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// Resolve a `#/…` JSON pointer.
fn pointer<'a>(root: &'a Value, r: &str) -> &'a Value {
    root.pointer(r.trim_start_matches('#')).expect("every $ref resolves")
}

/// The kinds of value a schema node accepts, following `$ref`, `anyOf`, `oneOf`, `allOf`,
/// `type`, `enum` and `const`.
fn kinds(root: &Value, node: &Value, depth: usize) -> Kinds {
    assert!(depth < 32, "$ref cycle");
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        return kinds(root, pointer(root, r), depth + 1);
    }
    let mut k = 0;
    for key in ["anyOf", "oneOf", "allOf"] {
        for sub in node.get(key).and_then(Value::as_array).into_iter().flatten() {
            k |= kinds(root, sub, depth + 1);
        }
    }
    let types: Vec<&str> = match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for t in types {
        k |= kind_of_type(t);
    }
    let values = node.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
    for v in values.iter().chain(node.get("const")) {
        k |= match v {
            Value::String(_) => schema::STR,
            Value::Bool(_) => schema::BOOL,
            Value::Number(n) if n.is_i64() || n.is_u64() => schema::INT,
            Value::Number(_) => schema::NUM,
            Value::Null => schema::NULL,
            Value::Array(_) => schema::LIST,
            Value::Object(_) => schema::MAP,
        };
    }
    k
}

fn kind_of_type(t: &str) -> Kinds {
    match t {
        "string" => schema::STR,
        "integer" => schema::INT,
        "number" => schema::NUM,
        "boolean" => schema::BOOL,
        "null" => schema::NULL,
        "array" => schema::LIST,
        "object" => schema::MAP,
        other => {
            assert!(other.is_empty(), "unexpected JSON schema type {other}");
            0
        }
    }
}

fn schema_keys(root: &Value, props: &Value) -> BTreeMap<String, Kinds> {
    props.as_object().expect("properties").iter().map(|(k, v)| (k.clone(), kinds(root, v, 0))).collect()
}

#[test]
fn step_type_tables_match_the_schema() {
    let root = load();
    for st in schema::STEP_TYPES {
        let def = pointer(&root, &format!("#/definitions/{}", st.definition));
        let want = schema_keys(&root, def.get("properties").expect("properties"));
        let have: BTreeMap<String, Kinds> = st.keys.iter().map(|k| (k.name.to_string(), k.kinds)).collect();
        for (k, kinds) in &want {
            let h = have.get(k);
            assert!(h.is_some(), "schema {} has key `{k}` that the {} table lacks", st.definition, st.name);
            assert_eq!(h, Some(kinds), "{}.{k}: table kinds differ from the schema's {kinds:#b}", st.name);
        }
        for k in have.keys() {
            assert!(want.contains_key(k), "the {} table has `{k}`, which schema {} no longer has", st.name, st.definition);
        }
        assert_eq!(def.get("additionalProperties"), Some(&Value::Bool(false)), "{} should reject unknown keys", st.definition);
    }
}

#[test]
fn pipeline_keys_match_the_schema() {
    let root = load();
    let want = schema_keys(&root, root.get("properties").expect("properties"));
    let have: BTreeMap<String, Kinds> = schema::PIPELINE_KEYS.iter().map(|k| (k.name.to_string(), k.kinds)).collect();
    assert_eq!(have, want);
}

#[test]
fn documented_extras_are_still_missing_from_the_schema() {
    // If the schema gains one of these, move it into the main table.
    let root = load();
    let props = root.pointer("/definitions/commandStep/properties").and_then(Value::as_object).expect("commandStep");
    for k in schema::COMMAND_DOCUMENTED_KEYS {
        assert!(!props.contains_key(k.name), "the schema now has `{}`", k.name);
        if let Some(of) = k.alias_of {
            assert!(props.contains_key(of), "`{}` is an alias of `{of}`, which the schema lacks", k.name);
        }
    }
}

#[test]
fn aliases_point_at_keys_of_the_same_step_type() {
    for st in schema::STEP_TYPES {
        let names: BTreeSet<&str> = st.keys.iter().map(|k| k.name).collect();
        for k in st.keys.iter().filter_map(|k| k.alias_of) {
            assert!(names.contains(k), "{}: alias target `{k}` missing", st.name);
        }
    }
}

#[test]
fn string_steps_and_step_list_match_the_schema() {
    let root = load();
    let mut strings = BTreeSet::new();
    for def in ["stringWaitStep", "stringBlockStep", "stringInputStep"] {
        for v in pointer(&root, &format!("#/definitions/{def}/enum")).as_array().expect("enum") {
            strings.insert(v.as_str().expect("string").to_string());
        }
    }
    let have: BTreeSet<String> = schema::STRING_STEPS.iter().map(|s| s.to_string()).collect();
    assert_eq!(have, strings);
    // Every step definition the schema lists is one of ours or a nested form of one.
    let items = pointer(&root, "#/definitions/pipelineSteps/items/anyOf").as_array().expect("anyOf").clone();
    for item in items {
        let r = item.get("$ref").and_then(Value::as_str).expect("$ref");
        let name = r.rsplit('/').next().expect("name");
        let known = schema::STEP_TYPES.iter().any(|t| t.definition == name) || name.starts_with("nested") || name.starts_with("string");
        assert!(known, "schema step definition {name} is not covered");
    }
}

// ---- nested values (KS328–KS342) ------------------------------------------------------

/// The node at a JSON pointer (`/definitions/…`), which must exist.
fn at<'a>(root: &'a Value, p: &str) -> &'a Value {
    let node = root.pointer(p);
    assert!(node.is_some(), "{p} is not in the schema");
    node.expect("checked above")
}

fn sorted(values: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    values.into_iter().collect()
}

/// An enum's values as text: `true`/`false` for the booleans and the strings alike.
fn enum_values(node: &Value) -> BTreeSet<String> {
    node.as_array()
        .expect("an enum")
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

#[test]
fn nested_object_tables_match_the_schema() {
    let root = load();
    for obj in schema::OBJECTS {
        let def = at(&root, obj.pointer);
        let want = schema_keys(&root, at(def, "/properties"));
        let have: BTreeMap<String, Kinds> = obj.keys.iter().map(|k| (k.name.to_string(), k.kinds)).collect();
        assert_eq!(have, want, "{} ({}): keys or kinds differ from the schema", obj.name, obj.pointer);
        let required = sorted(def.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(str::to_string));
        assert_eq!(sorted(obj.required.iter().map(|s| s.to_string())), required, "{}: required keys", obj.pointer);
        let closed = def.get("additionalProperties") == Some(&Value::Bool(false));
        assert_eq!(obj.closed, closed, "{}: closed (additionalProperties: false) differs", obj.pointer);
    }
}

#[test]
fn enum_tables_match_the_schema() {
    let root = load();
    for e in schema::ENUMS {
        let node = at(&root, e.pointer);
        assert_eq!(sorted(e.values.iter().map(|s| s.to_string())), enum_values(node), "{}", e.pointer);
    }
    // Every value hard-coded in a table is found in the schema text itself, too.
    let text = std::fs::read_to_string(reference("buildkite-pipeline-schema.json")).expect("schema");
    for e in schema::ENUMS {
        for v in e.values {
            assert!(text.contains(&format!("\"{v}\"")) || matches!(*v, "true" | "false"), "{v} missing from the schema text");
        }
    }
}

#[test]
fn range_and_pattern_tables_match_the_schema() {
    let root = load();
    for r in schema::RANGES {
        let node = at(&root, r.pointer);
        assert_eq!(r.min, node.get("minimum").and_then(Value::as_i64), "{} minimum", r.pointer);
        assert_eq!(r.max, node.get("maximum").and_then(Value::as_i64), "{} maximum", r.pointer);
    }
    let at = |p: &str| at(&root, p).clone();
    assert_eq!(at("/definitions/skip/anyOf/1/maxLength").as_u64(), Some(schema::SKIP_MAX_CHARS as u64));
    assert_eq!(at("/definitions/cache/anyOf/2/properties/size/pattern").as_str(), Some(schema::CACHE_SIZE_PATTERN));
    assert_eq!(at("/definitions/matrixSetup/oneOf/1/propertyNames/pattern").as_str(), Some(schema::MATRIX_DIMENSION_PATTERN));
    // The hand-written matchers agree with the patterns on samples.
    for (size, ok) in [("20g", true), ("0g", true), ("20G", false), ("20gb", false), ("g", false), ("", false), ("1.5g", false)] {
        assert_eq!(schema::is_cache_size(size), ok, "{size}");
    }
    for (dim, ok) in [("os", true), ("ruby_2", true), ("os-name", false), ("", false), ("a.b", false)] {
        assert_eq!(schema::is_matrix_dimension(dim), ok, "{dim}");
    }
}

#[test]
fn boolish_step_keys_are_exactly_the_schema_true_false_enums() {
    let root = load();
    let boolish = enum_values(pointer(&root, &format!("#{}", schema::BOOLISH.pointer)));
    let mut found = BTreeSet::new();
    for st in schema::STEP_TYPES {
        let props = pointer(&root, &format!("#/definitions/{}/properties", st.definition)).as_object().expect("properties");
        for (k, v) in props {
            let resolved = match v.get("$ref").and_then(Value::as_str) {
                Some(r) => pointer(&root, r),
                None => v,
            };
            if resolved.get("enum").map(enum_values).as_ref() == Some(&boolish) {
                found.insert(k.clone());
            }
        }
    }
    assert_eq!(sorted(schema::BOOLISH_STEP_KEYS.iter().map(|s| s.to_string())), found);
}

#[test]
fn notify_tables_match_the_schema() {
    let root = load();
    for (list, table) in [("commandStepNotify", schema::STEP_NOTIFY), ("buildNotify", schema::BUILD_NOTIFY)] {
        let refs: BTreeSet<String> = pointer(&root, &format!("#/definitions/{list}/items/oneOf"))
            .as_array()
            .expect("oneOf")
            .iter()
            .filter_map(|i| i.get("$ref").and_then(Value::as_str))
            .map(|r| r.rsplit('/').next().expect("name").to_string())
            .filter(|n| n != "notifySimple")
            .collect();
        let have: BTreeSet<String> = table.iter().map(|(def, _, _)| def.to_string()).collect();
        assert_eq!(have, refs, "{list}");
        for (def, key, obj) in table {
            assert_eq!(obj.pointer, format!("/definitions/{def}"), "{def}");
            assert!(obj.key(key).is_some(), "{def} has no `{key}`");
        }
    }
    // A group's notify is the build's.
    assert_eq!(pointer(&root, "#/definitions/groupStep/properties/notify").get("$ref").and_then(Value::as_str), Some("#/definitions/buildNotify"));
}

#[test]
fn group_steps_rules_match_the_schema() {
    let root = load();
    assert_eq!(enum_values(pointer(&root, "#/definitions/groupStep/required")), sorted(["group".to_string(), "steps".to_string()]));
    let steps = pointer(&root, "#/definitions/groupSteps");
    assert_eq!(steps.get("minItems").and_then(Value::as_u64), Some(1));
    let refs: Vec<&str> = steps.pointer("/items/anyOf").and_then(Value::as_array).expect("anyOf").iter().filter_map(|i| i.get("$ref").and_then(Value::as_str)).collect();
    assert!(!refs.iter().any(|r| r.ends_with("/groupStep")), "groups may now nest: {refs:?}");
}
