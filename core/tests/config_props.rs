//! Property tests for configuration files: any `BuildConfig`, with hostile text in every string
//! field, survives a YAML, a JSON and a share-link round trip exactly; validation never panics on it and
//! every finding carries a field path.
#![cfg(not(target_arch = "wasm32"))]

use kaniko_studio_core::config::*;
use kaniko_studio_core::validate::validate;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

/// Text that stresses quoting: arbitrary unicode, YAML/JSON/shell syntax, lookalikes of other
/// scalar types, leading/trailing spaces and newlines.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        3 => "[ -~\n\t\"'$#:{}\\[\\]&*!|>%@`,?-]{0,24}",
        2 => prop::sample::select(vec![
            "", " ", "true", "false", "null", "~", "yes", "No", "on", "1", "-1", "0x1f", "0o7", "1e3", ".inf",
            ".nan", "1.0", "- a", "a: b", "#c", "&a", "*a", "!tag x", "%x", "@x", "`x", "|", ">", "---", "...",
            "${BUILDKITE_COMMIT}", "$$X", "{a}", "[a]", "<org>", "a\nb", "\n", "x\n\n", " lead", "trail ", "\t",
            "\r\n", "\u{feff}x", "\u{85}", "\u{2028}", "\u{0}", "'\"", "\\", "=", "<<",
        ])
        .prop_map(String::from),
    ]
}

fn secret() -> impl Strategy<Value = SecretRef> {
    prop_oneof![
        (text(), text()).prop_map(|(name, key)| SecretRef::Kubernetes { name, key }),
        text().prop_map(|key| SecretRef::Buildkite { key }),
        text().prop_map(|var| SecretRef::Env { var }),
    ]
}

fn stack() -> impl Strategy<Value = Stack> {
    let policy = prop::sample::select(vec![
        EcrAccessPolicy::None,
        EcrAccessPolicy::Readonly,
        EcrAccessPolicy::ReadonlyPullthrough,
        EcrAccessPolicy::Poweruser,
        EcrAccessPolicy::PoweruserPullthrough,
        EcrAccessPolicy::Full,
    ]);
    prop_oneof![
        (text(), text(), vec((text(), text()), 0..3)).prop_map(|(queue, container, v)| {
            Stack::Kubernetes(KubernetesStack {
                queue,
                container,
                secret_volumes: v.into_iter().map(|(secret, mount_path)| SecretVolume { secret, mount_path }).collect(),
            })
        }),
        (text(), text(), option::of(policy))
            .prop_map(|(queue, script, ecr_access_policy)| Stack::Elastic(ElasticStack { queue, script, ecr_access_policy })),
    ]
}

fn aws_auth() -> impl Strategy<Value = AwsAuth> {
    prop_oneof![
        Just(AwsAuth::InstanceRole),
        (text(), any::<u32>(), option::of(text()))
            .prop_map(|(role_arn, lifetime, audience)| AwsAuth::Oidc(AwsOidc { role_arn, lifetime, audience })),
        (secret(), secret()).prop_map(|(access_key_id, secret_access_key)| AwsAuth::Credentials { access_key_id, secret_access_key }),
    ]
}

fn gcp_auth() -> impl Strategy<Value = GcpAuth> {
    prop_oneof![
        Just(GcpAuth::WorkloadIdentity),
        (text(), option::of(text()), any::<u32>(), option::of(text())).prop_map(|(provider, service_account, lifetime, audience)| {
            GcpAuth::Oidc(GcpOidc { provider, service_account, lifetime, audience })
        }),
        secret().prop_map(|secret| GcpAuth::KeySecret { secret }),
    ]
}

fn registry() -> impl Strategy<Value = Registry> {
    prop_oneof![
        (
            (text(), text(), prop_oneof![Just(PackagesAuth::Oidc), secret().prop_map(|secret| PackagesAuth::ApiToken { secret })], any::<u32>(), option::of(text())),
            (vec(text(), 0..3), vec(text(), 0..3)),
        )
            .prop_map(|((org, registry, auth, lifetime, audience), (pipelines, branches))| Registry::BuildkitePackages(PackagesRegistry { org, registry, auth, lifetime, audience, pipelines, branches })),
        (text(), text(), text(), aws_auth()).prop_map(|(account, region, repository, auth)| Registry::Ecr(EcrRegistry { account, region, repository, auth })),
        (text(), aws_auth()).prop_map(|(alias, auth)| Registry::EcrPublic(EcrPublicRegistry { alias, auth })),
        (text(), text(), text(), gcp_auth()).prop_map(|(location, project, repository, auth)| Registry::ArtifactRegistry(ArtifactRegistry { location, project, repository, auth })),
        (text(), text(), gcp_auth()).prop_map(|(host, project, auth)| Registry::Gcr(GcrRegistry { host, project, auth })),
        (text(), text(), secret()).prop_map(|(namespace, username, token)| Registry::DockerHub(DockerHubRegistry { namespace, username, token })),
        (text(), text(), secret()).prop_map(|(owner, username, token)| Registry::Ghcr(GhcrRegistry { owner, username, token })),
        (
            text(),
            prop_oneof![
                Just(AcrAuth::AcrEnv),
                (text(), text(), any::<u32>(), option::of(text())).prop_map(|(tenant_id, client_id, lifetime, audience)| AcrAuth::Oidc(AzureOidc { tenant_id, client_id, lifetime, audience })),
                (text(), secret()).prop_map(|(username, password)| AcrAuth::Password { username, password }),
            ]
        )
            .prop_map(|(name, auth)| Registry::Acr(AcrRegistry { name, auth })),
        (text(), text(), text(), secret()).prop_map(|(host, organization, username, token)| Registry::Quay(QuayRegistry { host, organization, username, token })),
        (text(), text(), text(), secret()).prop_map(|(host, project, username, token)| Registry::Gitlab(GitlabRegistry { host, project, username, token })),
        (text(), text(), text(), option::of(secret()), option::of(text()), any::<bool>()).prop_map(|(host, path, username, password, ca_cert, insecure)| {
            Registry::SelfHosted(SelfHostedRegistry { host, path, username, password, ca_cert, insecure })
        }),
    ]
}

fn tag() -> impl Strategy<Value = Tag> {
    prop_oneof![text().prop_map(Tag::Fixed), Just(Tag::Commit), Just(Tag::ShortCommit), Just(Tag::BuildNumber), Just(Tag::Branch)]
}

fn image() -> impl Strategy<Value = Image> {
    (text(), vec(tag(), 0..4), text(), text(), text(), vec(text(), 0..3), text(), vec(text(), 0..3), text()).prop_map(
        |(name, tags, dockerfile, context, context_sub_path, build_args, target, labels, platform)| Image {
            name,
            tags,
            dockerfile,
            context,
            context_sub_path,
            build_args,
            target,
            labels,
            platform,
        },
    )
}

fn executor() -> impl Strategy<Value = ExecutorImage> {
    let family = prop::sample::select(vec![ExecutorFamily::Google, ExecutorFamily::Chainguard]);
    prop_oneof![
        Just(ExecutorImage::Google),
        Just(ExecutorImage::GoogleDebug),
        (text(), any::<bool>()).prop_map(|(tag, shell)| ExecutorImage::Chainguard { tag, shell }),
        (text(), any::<bool>(), family).prop_map(|(reference, shell, family)| ExecutorImage::Custom { reference, shell, family }),
    ]
}

fn kaniko() -> impl Strategy<Value = Kaniko> {
    let verbosity = prop::sample::select(vec![
        Verbosity::Panic,
        Verbosity::Fatal,
        Verbosity::Error,
        Verbosity::Warn,
        Verbosity::Info,
        Verbosity::Debug,
        Verbosity::Trace,
    ]);
    let snapshot = option::of(prop::sample::select(vec![SnapshotMode::Full, SnapshotMode::Redo, SnapshotMode::Time]));
    (
        (executor(), option::of(text()), verbosity, any::<bool>(), any::<bool>(), text(), text()),
        (text(), any::<bool>(), any::<bool>(), snapshot, any::<bool>(), any::<bool>(), vec(text(), 0..3)),
    )
        .prop_map(
            |(
                (executor, digest, verbosity, log_timestamp, cache, cache_repo, cache_ttl),
                (digest_file, no_push, reproducible, snapshot_mode, single_snapshot, skip_unused_stages, extra_flags),
            )| Kaniko {
                executor,
                digest,
                verbosity,
                log_timestamp,
                cache,
                cache_repo,
                cache_ttl,
                digest_file,
                no_push,
                reproducible,
                snapshot_mode,
                single_snapshot,
                skip_unused_stages,
                extra_flags,
            },
        )
}

fn extras() -> impl Strategy<Value = Extras> {
    let cosign = option::of(prop_oneof![Just(CosignKey::Google), text().prop_map(CosignKey::Key)]);
    let build = option::of((text(), text(), option::of(text())).prop_map(|(git_ref, repository, signing_key)| ExecutorBuild { git_ref, repository, signing_key }));
    (any::<bool>(), vec(text(), 0..3), any::<bool>(), any::<bool>(), cosign, build).prop_map(
        |(pull_and_run, pull_and_run_args, env_switches, refresh_credentials, verify_executor, build_executor)| Extras {
            pull_and_run,
            pull_and_run_args,
            env_switches,
            refresh_credentials,
            verify_executor,
            build_executor,
        },
    )
}

fn config() -> impl Strategy<Value = BuildConfig> {
    (1..=CONFIG_VERSION, stack(), registry(), image(), kaniko(), extras(), option::of(any::<u32>())).prop_map(
        |(version, stack, registry, image, kaniko, extras, max_build_minutes)| BuildConfig {
            // Loading rejects unsupported versions; the round trip is about everything else.
            version,
            stack,
            registry,
            image,
            kaniko,
            extras,
            max_build_minutes,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn yaml_round_trip_is_exact(c in config()) {
        let yaml = c.to_yaml_string();
        let back = BuildConfig::from_yaml_str(&yaml);
        prop_assert_eq!(back, Ok(c), "YAML was:\n{}", yaml);
    }

    #[test]
    fn json_round_trip_is_exact(c in config()) {
        let pretty = BuildConfig::from_json_str(&c.to_json_string());
        let compact = BuildConfig::from_json_str(&c.to_compact_json());
        prop_assert_eq!(pretty, Ok(c.clone()));
        prop_assert_eq!(compact, Ok(c));
    }

    #[test]
    fn share_link_round_trip_is_exact(c in config()) {
        let fragment = c.to_fragment();
        match BuildConfig::from_fragment(&fragment) {
            Err(kaniko_studio_core::config_file::FragmentError::TooLong { .. }) => {
                prop_assert!(fragment.len() > kaniko_studio_core::config_file::MAX_FRAGMENT_LEN);
            }
            other => prop_assert_eq!(other, Ok(c)),
        }
    }

    #[test]
    fn validation_never_panics_and_names_fields(c in config()) {
        for d in validate(&c) {
            prop_assert!(d.field.is_some(), "{} has no field", d.id);
            prop_assert!(!d.message.is_empty() && !d.fix.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Generation never panics on any configuration; whenever it writes artifacts, the doctor's
    /// step and script are among them, and every user value in the script stays on its own
    /// quoted line (the structure itself is proven by running it in tests/generate_structure).
    #[test]
    fn doctor_artifacts_come_with_every_generation(c in config()) {
        let (files, _) = kaniko_studio_core::generate::generate(&c);
        if files.is_empty() {
            return Ok(());
        }
        let doctor = files.get(kaniko_studio_core::generate::doctor::DOCTOR_PIPELINE_PATH);
        prop_assert!(doctor.is_some());
        let paths: Vec<&str> = files.files.iter().map(|a| a.path.as_str()).collect();
        let script = files.files.iter().find(|a| a.path.contains("kaniko-doctor")).map(|a| a.content.as_str()).unwrap_or("");
        prop_assert!(script.starts_with("#!/bin/sh\n"), "{:?}", paths);
        prop_assert!(script.ends_with("finish success\n"));
        let mut seen = std::collections::BTreeSet::new();
        for a in &files.files {
            prop_assert!(seen.insert(a.path.as_str()), "two artifacts share {}", a.path);
        }
    }
}
