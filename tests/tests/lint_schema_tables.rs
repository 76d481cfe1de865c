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
