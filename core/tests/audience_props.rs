//! Property tests: no input panics, and an audience is produced only from real slugs.
#![cfg(not(target_arch = "wasm32"))]

use kaniko_studio_core::{AudienceInput, package_registry_audience};
use proptest::prelude::*;

proptest! {
    #[test]
    fn never_panics_and_only_valid_slugs_pass(org in ".{0,300}", registry in ".{0,300}") {
        let (aud, diags) = package_registry_audience(AudienceInput { org: &org, registry: &registry });
        for d in &diags {
            prop_assert!(!d.message.is_empty() && !d.fix.is_empty());
        }
        if let Some(aud) = aud {
            let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            prop_assert!(ok(&org) && ok(&registry));
            prop_assert_eq!(aud.url, format!("https://packages.buildkite.com/{org}/{registry}"));
        }
    }

    #[test]
    fn slug_shaped_values_are_accepted(org in "[a-z0-9]{1,20}", registry in "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?") {
        let (aud, diags) = package_registry_audience(AudienceInput { org: &org, registry: &registry });
        let placeholder = ["xxx", "todo"].contains(&org.as_str()) || ["xxx", "todo"].contains(&registry.as_str());
        prop_assume!(!placeholder && !registry.contains("--"));
        prop_assert!(diags.is_empty(), "{:?}", diags);
        prop_assert!(aud.is_some());
    }
}
