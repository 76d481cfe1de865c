//! `config.json` in the exact shape Kaniko reads (kaniko.md §5.2): `auths` keyed by the
//! registry (Docker Hub: `https://index.docker.io/v1/`), or `credHelpers` for the built-in
//! `ecr-login` and `acr-env` helpers. Also the Google `external_account` credentials file.
//!
//! Every string goes through `serde_json`; only the fixed structure is written by hand, so a
//! value cannot add keys.

use super::plan::{Auth, Plan};
use super::quote::json;

/// Placeholder shown in the `config.json` artifact where the step writes a secret.
pub fn secret_placeholder(plan: &Plan) -> &'static str {
    match plan.auth {
        Auth::PackagesOidc { .. } => "<OIDC token minted by the step>",
        _ => "<secret>",
    }
}

/// `{"auths":{KEY:{"username":USER,"password":"` and `"}}}`: the token goes between.
pub fn auths_password_parts(key: &str, username: &str) -> (String, String) {
    (
        format!("{{\"auths\":{{{}:{{\"username\":{},\"password\":\"", json(key), json(username)),
        "\"}}}".to_string(),
    )
}

/// `{"auths":{KEY:{"auth":"` and `"}}}`: base64(user:password) goes between.
pub fn auths_auth_parts(key: &str) -> (String, String) {
    (format!("{{\"auths\":{{{}:{{\"auth\":\"", json(key)), "\"}}}".to_string())
}

/// `{"credHelpers":{HOST:HELPER}}`.
pub fn cred_helpers_compact(host: &str, helper: &str) -> String {
    format!("{{\"credHelpers\":{{{}:{}}}}}", json(host), json(helper))
}

/// The `external_account` credentials file for Workload Identity Federation with service
/// account impersonation; `token_file` is the path inside the executor.
pub fn gcp_external_account(provider: &str, service_account: Option<&str>, token_file: &str) -> String {
    let mut doc = serde_json::json!({
        "type": "external_account",
        "audience": provider,
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": "https://sts.googleapis.com/v1/token",
        "credential_source": { "file": token_file, "format": { "type": "text" } },
    });
    if let (Some(sa), Some(map)) = (service_account, doc.as_object_mut()) {
        map.insert(
            "service_account_impersonation_url".into(),
            format!("https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{sa}:generateAccessToken").into(),
        );
    }
    doc.to_string()
}

/// The `config.json` artifact: the exact document Kaniko reads, pretty-printed, with a
/// placeholder where a secret goes. `None` when Kaniko needs no `config.json` (Google's
/// in-process keychain).
///
/// Written by hand in `serde_json`'s pretty layout (two-space indent, keys sorted); every
/// string goes through [`json`], so a value cannot add keys.
pub fn artifact(plan: &Plan) -> Option<String> {
    let text = match &plan.auth {
        Auth::PackagesOidc { auth_key, .. } => format!(
            "{{\n  \"auths\": {{\n    {}: {{\n      \"password\": {},\n      \"username\": \"buildkite\"\n    }}\n  }}\n}}\n",
            json(auth_key),
            json(secret_placeholder(plan))
        ),
        Auth::Static { auth_key, username, .. } => format!(
            "{{\n  \"auths\": {{\n    {}: {{\n      \"auth\": {}\n    }}\n  }}\n}}\n",
            json(auth_key),
            json(&format!("<base64 of {username}:{}>", secret_placeholder(plan)))
        ),
        Auth::Helper { host, helper: Some(helper), .. } => {
            format!("{{\n  \"credHelpers\": {{\n    {}: {}\n  }}\n}}\n", json(host), json(helper))
        }
        Auth::Helper { helper: None, .. } | Auth::Anonymous => return None,
    };
    Some(text)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn parts_join_into_valid_json() {
        let (p, s) = auths_password_parts("packages.buildkite.com/acme/images", "buildkite");
        let doc: serde_json::Value = serde_json::from_str(&format!("{p}TOKEN{s}")).expect("json");
        assert_eq!(doc["auths"]["packages.buildkite.com/acme/images"]["password"], "TOKEN");
        let (p, s) = auths_auth_parts("https://index.docker.io/v1/");
        let doc: serde_json::Value = serde_json::from_str(&format!("{p}dTpw{s}")).expect("json");
        assert_eq!(doc["auths"]["https://index.docker.io/v1/"]["auth"], "dTpw");
    }

    #[test]
    fn artifact_layout_is_serde_json_pretty() {
        use super::super::plan::{Auth, from_config};
        use crate::config_file::{REGISTRY_KINDS, StackKind, example_config};
        let stacks = [StackKind::Kubernetes, StackKind::Elastic];
        for (stack, registry) in stacks.into_iter().flat_map(|s| REGISTRY_KINDS.iter().map(move |r| (s, *r))) {
            let Some(config) = example_config(stack, registry) else { continue };
            let mut plan = from_config(&config);
            // A hostile key must stay one string in the same layout.
            match &mut plan.auth {
                Auth::PackagesOidc { auth_key, .. } | Auth::Static { auth_key, .. } => auth_key.push_str("\"}\n\u{0}é"),
                Auth::Helper { host, .. } => host.push_str("\"}\n\u{0}é"),
                Auth::Anonymous => {}
            }
            let Some(text) = artifact(&plan) else { continue };
            let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
            let pretty = serde_json::to_string_pretty(&doc).expect("pretty") + "\n";
            assert_eq!(text, pretty, "{registry}");
        }
    }

    #[test]
    fn hostile_keys_stay_strings() {
        let key = "\"}},\"credsStore\":\"desktop";
        let doc: serde_json::Value = serde_json::from_str(&cred_helpers_compact(key, "ecr-login")).expect("json");
        assert_eq!(doc["credHelpers"][key], "ecr-login");
        assert!(doc.get("credsStore").is_none());
    }
}
