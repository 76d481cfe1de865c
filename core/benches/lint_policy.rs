//! Lint a generated 5 000-step pipeline (target: ≤ 50 ms) and evaluate an OIDC policy.
//! Run with `cargo bench -p kaniko-studio-core --bench lint_policy`; medians go in
//! BENCHMARKS.md under "Lint and policy".

use kaniko_studio_core::lint::{SourceFile, lint};
use kaniko_studio_core::policy::{check_policy, claims_from_json, evaluate};

fn main() {
    divan::main();
}

/// A pipeline of `n` steps in the shapes real pipelines have: Kubernetes Kaniko steps with
/// a token, plain command steps with env and plugins, waits and groups. A few carry mistakes
/// so the reporting paths are measured too.
fn pipeline(n: usize) -> String {
    let mut s = String::from("env:\n  ORG: acme\nagents:\n  queue: default\nsteps:\n");
    for i in 0..n {
        match i % 5 {
            0 => s.push_str(&format!(
                "  - label: \":kaniko: image {i}\"\n    key: image-{i}\n    env:\n      REGISTRY: images\n    command: |\n      set -eu\n      REG=\"packages.buildkite.com/$${{BUILDKITE_ORGANIZATION_SLUG}}/$${{REGISTRY}}\"\n      TOKEN=\"$$(buildkite-agent oidc request-token --audience \"https://$${{REG}}\" --lifetime 300)\"\n      printf '{{\"auths\":{{\"%s\":{{\"username\":\"buildkite\",\"password\":\"%s\"}}}}}}' \"$${{REG}}\" \"$${{TOKEN}}\" > /kaniko/.docker/config.json\n      /kaniko/executor --context \"dir://$${{PWD}}\" --destination \"$${{REG}}/app-{i}:$${{BUILDKITE_BUILD_NUMBER}}\" --cache=true --cache-repo \"$${{REG}}/app-{i}-cache\"\n    plugins:\n      - kubernetes:\n          podSpecPatch:\n            containers:\n              - name: container-0\n                image: gcr.io/kaniko-project/executor:v1.24.0-debug\n"
            )),
            1 => s.push_str(&format!(
                "  - label: test {i}\n    command:\n      - make test SHARD={i}\n      - buildkite-agent artifact upload \"out/**/*\"\n    env:\n      SHARD: \"{i}\"\n    timeout_in_minutes: 10\n    retry:\n      automatic: true\n    plugins:\n      - docker#v5.13.0:\n          image: golang:1.23\n          environment: [SHARD]\n"
            )),
            2 => s.push_str("  - wait\n"),
            3 => s.push_str(&format!(
                "  - group: group {i}\n    steps:\n      - command: echo ${{SHARD}} {i}\n        env:\n          SHARD: x\n      - comand: echo typo\n"
            )),
            _ => s.push_str(&format!("  - trigger: deploy-{i}\n    build:\n      branch: main\n")),
        }
    }
    s
}

/// A typical large pipeline: short command steps (label, command, agents, sometimes a
/// plugin), waits, and a Kaniko step every tenth step.
fn typical_pipeline(n: usize) -> String {
    let mut s = String::from("agents:\n  queue: default\nsteps:\n");
    for i in 0..n {
        match i % 10 {
            0 => s.push_str(&format!(
                "  - label: \":kaniko: {i}\"\n    command: .buildkite/steps/kaniko.sh app-{i}\n    env:\n      BK_REGISTRY: images\n"
            )),
            3 => s.push_str(&format!(
                "  - label: lint {i}\n    command: make lint\n    plugins:\n      - docker#v5.13.0:\n          image: golang:1.23\n"
            )),
            9 => s.push_str("  - wait\n"),
            _ => s.push_str(&format!("  - label: test {i}\n    key: test-{i}\n    command: make test SHARD={i}\n    agents:\n      queue: linux\n")),
        }
    }
    s
}

#[divan::bench(sample_count = 30)]
fn lint_5000_typical_steps(bencher: divan::Bencher) {
    let text = typical_pipeline(5_000);
    bencher.bench(|| {
        let files = [SourceFile { path: "pipeline.yml", text: divan::black_box(&text) }];
        lint(&files)
    });
}

/// The YAML parse alone (fast path, falling back to saphyr), the floor under the lint.
#[divan::bench(sample_count = 30)]
fn parse_5000_heavy_steps(bencher: divan::Bencher) {
    let text = pipeline(5_000);
    assert!(kaniko_studio_core::lint::yaml::parse_fast(&text).is_some(), "the benchmark pipeline should take the fast path");
    bencher.bench(|| kaniko_studio_core::lint::yaml::parse(divan::black_box(&text)).is_ok());
}

/// The same parse through saphyr's event parser only (the path before the fast path).
#[divan::bench(sample_count = 30)]
fn parse_saphyr_5000_heavy_steps(bencher: divan::Bencher) {
    let text = pipeline(5_000);
    bencher.bench(|| kaniko_studio_core::lint::yaml::parse_saphyr(divan::black_box(&text)).is_ok());
}

#[divan::bench(sample_count = 30)]
fn lint_5000_heavy_steps(bencher: divan::Bencher) {
    let text = pipeline(5_000);
    bencher.bench(|| {
        let files = [SourceFile { path: "pipeline.yml", text: divan::black_box(&text) }];
        lint(&files)
    });
}

const POLICY: &str = "- iss: https://agent.buildkite.com
  scopes: [read_packages]
  claims:
    organization_slug: acme
    pipeline_slug:
      in: [one, two, three]
- iss: https://agent.buildkite.com
  scopes: [read_packages, write_packages]
  claims:
    organization_slug: acme
    pipeline_slug: app
    build_branch:
      matches: [main, release/*]
      not_equals: release/old
- iss: https://token.actions.githubusercontent.com
  scopes: [delete_packages]
  claims:
    repository:
      matches: acme/*
";

const CLAIMS: &str = r#"{"iss":"https://agent.buildkite.com","aud":"https://packages.buildkite.com/acme/images","organization_slug":"acme","pipeline_slug":"app","build_branch":"release/2026-11","build_number":42,"build_tag":null,"step_key":null}"#;

#[divan::bench]
fn policy_check(bencher: divan::Bencher) {
    bencher.bench(|| check_policy(divan::black_box(POLICY)));
}

#[divan::bench]
fn policy_evaluate(bencher: divan::Bencher) {
    let (policy, _) = check_policy(POLICY);
    let claims = claims_from_json(CLAIMS).unwrap_or_default();
    bencher.bench(|| evaluate(divan::black_box(&policy), divan::black_box(&claims)));
}
