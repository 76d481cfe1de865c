//! Benchmarks for the troubleshooter: diagnose generated 1 MB and 10 MB build logs, inspect a
//! token.
//! Run with `cargo bench -p kaniko-studio-core --bench troubleshoot`; medians go to
//! BENCHMARKS.md (section "Troubleshooter").
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use kaniko_studio_core::diagnose::{DiagnoseContext, diagnose};
use kaniko_studio_core::token::{TokenExpectation, TokenTarget, inspect_token};

fn main() {
    divan::main();
}

/// About `size` bytes of realistic log: Buildkite markers, ANSI colours, npm noise, with a few
/// errors.
fn big_log(size: usize) -> Vec<u8> {
    const NOISE: &[&str] = &[
        "\x1b_bk;t=1764000000000\x07\x1b[36mINFO\x1b[0m[0003] Taking snapshot of full filesystem...",
        "[2025-11-24T16:00:01Z] added 412 packages, and audited 413 packages in 13s",
        "#12 0.532 fetch https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz",
        "INFO[0002] RUN npm ci --prefer-offline --no-audit --progress=false && npm run build -- --mode production",
        "  src/components/Button.tsx(12,5): warning TS6133: 'props' is declared but its value is never read.",
        "INFO[0005] Pushing image to packages.buildkite.com/acme/docker-images/app:42",
    ];
    const ERROR: &str = "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for \"packages.buildkite.com/acme/images/app:1\": POST https://packages.buildkite.com/v2/acme/images/app/blobs/uploads/: UNAUTHORIZED: authentication required";
    let mut log = Vec::with_capacity(size + 512);
    let mut i = 0usize;
    while log.len() < size {
        let line = if i.is_multiple_of(997) { ERROR } else { NOISE[i % NOISE.len()] };
        log.extend_from_slice(line.as_bytes());
        log.push(b'\n');
        i += 1;
    }
    log
}

fn bench_diagnose(bencher: divan::Bencher, size: usize) {
    let log = big_log(size);
    let ctx = DiagnoseContext::default();
    bencher.counter(divan::counter::BytesCount::new(log.len())).bench(|| diagnose(divan::black_box(&log), &ctx));
}

#[divan::bench(sample_count = 50)]
fn diagnose_1mb_log(bencher: divan::Bencher) {
    bench_diagnose(bencher, 1024 * 1024);
}

#[divan::bench(sample_count = 20)]
fn diagnose_10mb_log(bencher: divan::Bencher) {
    bench_diagnose(bencher, 10 * 1024 * 1024);
}

fn b64(s: &str) -> String {
    kaniko_studio_core::token::base64url_encode(s.as_bytes())
}

#[divan::bench]
fn inspect_buildkite_token(bencher: divan::Bencher) {
    let claims = r#"{"iss":"https://agent.buildkite.com","sub":"organization:acme:pipeline:app:ref:refs/heads/main:commit:1da177e4c3f41524e886b7f1b8a0c1fc7321cac2:step:build","aud":"https://packages.buildkite.com/acme/docker-images/","iat":1764000000,"nbf":1764000000,"exp":1764000300,"jti":"0190c5e4-5f1e-7c3a-9d2b-3f4e5a6b7c8d","organization_slug":"acme","pipeline_slug":"app","build_number":42,"build_branch":"main","build_tag":null,"build_commit":"1da177e4c3f41524e886b7f1b8a0c1fc7321cac2","build_source":"webhook","step_key":"build","job_id":"0190c5e4-1111-2222-3333-444455556666","agent_id":"0190c5e4-aaaa-bbbb-cccc-ddddeeeeffff","runner_environment":"self-hosted"}"#;
    let token = format!("{}.{}.{}", b64(r#"{"alg":"RS256","kid":"c1b7c4f3","typ":"JWT"}"#), b64(claims), "s".repeat(342));
    let expect = TokenExpectation {
        target: Some(TokenTarget::PackageRegistry { org: "acme".into(), registry: "docker-images".into() }),
        issuer: None,
    };
    bencher.bench(|| inspect_token(divan::black_box(&token), &expect, 1_764_000_100));
}
