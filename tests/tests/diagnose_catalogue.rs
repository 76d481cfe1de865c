//! Every build-log pattern: a fixture log that must match, with its golden output, and a
//! near miss that must not.
//!
//! Fixtures are `tests/fixtures/logs/<id>-<name>.log`, goldens
//! `tests/golden/diagnose/<id>-<name>.out`. A missing fixture is generated from the rule's
//! example wrapped in realistic noise (Buildkite timestamp markers, ANSI colours, CRLF, group
//! headers, JSON log lines) when `UPDATE_GOLDEN=1` is set; review it like code.
#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)]

use std::fmt::Write as _;
use std::path::PathBuf;

use kaniko_studio_core::diagnose::{DiagnoseContext, Finding, RULES, diagnose};
use kaniko_studio_tests::assert_golden;

fn fixture_path(case: &str) -> PathBuf {
    kaniko_studio_tests::repo_root().join("tests").join("fixtures").join("logs").join(format!("{case}.log"))
}

/// The findings as reviewed in golden files.
fn render(findings: &[Finding]) -> String {
    let mut s = String::new();
    if findings.is_empty() {
        s.push_str("(no findings)\n");
    }
    for f in findings {
        let lines: Vec<String> = f
            .lines
            .iter()
            .map(|r| if r.start == r.end { r.start.to_string() } else { format!("{}-{}", r.start, r.end) })
            .collect();
        let _ = writeln!(
            s,
            "{} {} {} confidence, lines {} ({} place(s))",
            f.id,
            f.severity.as_str(),
            f.confidence.as_str(),
            lines.join(", "),
            f.occurrences
        );
        if let Some(section) = &f.section {
            let _ = writeln!(s, "section: {section}");
        }
        let _ = writeln!(s, "message: {}", f.message);
        let _ = writeln!(s, "matched: {}", f.matched.escape_debug());
        let _ = writeln!(s, "causes:");
        for (i, c) in f.causes.iter().enumerate() {
            let _ = writeln!(s, "  {}. {c}", i + 1);
        }
        let _ = writeln!(s, "fix: {}\n", f.fix);
    }
    s
}

const NOISE: &[&str] = &[
    "INFO[0000] Retrieving image manifest alpine:3.20",
    "INFO[0001] Built cross stage deps: map[]",
    "INFO[0002] Executing 0 build triggers",
    "INFO[0002] Unpacking rootfs as cmd RUN apk add --no-cache curl requires it.",
    "INFO[0003] Taking snapshot of full filesystem...",
];

fn json_escape(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// A realistic log around `example`, in one of four styles.
fn generate(style: usize, example: &str) -> Vec<u8> {
    let mut s = String::new();
    match style % 4 {
        0 => {
            // Raw agent log: APC timestamp markers, ANSI colours, CRLF.
            s.push_str("\x1b_bk;t=1764000000000\x07~~~ Preparing working directory\r\n");
            s.push_str("\x1b_bk;t=1764000001000\x07$ cd /workspace/build/buildkite\r\n");
            s.push_str("\x1b_bk;t=1764000002000\x07+++ :kaniko: Build and push\r\n");
            for n in NOISE {
                let (level, rest) = n.split_at(4);
                let _ = write!(s, "\x1b_bk;t=1764000003000\x07\x1b[36m{level}\x1b[0m{rest}\r\n");
            }
            let _ = write!(s, "\x1b_bk;t=1764000004000\x07\x1b[31mERRO\x1b[0m[0004] {example}\r\n");
            s.push_str("\x1b_bk;t=1764000005000\x07\x1b[31m🚨 Error: The command exited with status 1\x1b[0m\r\n");
        }
        1 => {
            // Copied from the web UI: bracketed timestamps, escape byte lost.
            s.push_str("[2025-11-24T16:00:00Z] --- :docker: Build image\n");
            for n in NOISE {
                let (level, rest) = n.split_at(4);
                let _ = writeln!(s, "[2025-11-24T16:00:01Z] [36m{level}[0m{rest}");
            }
            let _ = writeln!(s, "[2025-11-24T16:00:04Z] {example}");
            s.push_str("[2025-11-24T16:00:05Z] ^^^ +++\n");
        }
        2 => {
            // Kaniko with --log-format=json.
            s.push_str("+++ :kaniko: Build (json logs)\n");
            for n in NOISE {
                let _ = writeln!(s, "{{\"level\":\"info\",\"msg\":{},\"time\":\"2025-11-24T16:00:01Z\"}}", json_escape(&n[10..]));
            }
            let _ = writeln!(s, "{{\"level\":\"error\",\"msg\":{},\"time\":\"2025-11-24T16:00:04Z\"}}", json_escape(example));
        }
        _ => {
            // Plain, with the error repeated: consecutive lines merge, a later one adds a place.
            s.push_str("~~~ Running commands\n$ .buildkite/steps/kaniko.sh\n");
            for n in NOISE {
                let _ = writeln!(s, "{n}");
            }
            let _ = writeln!(s, "{example}\n{example}");
            s.push_str("Retrying in 5s\n");
            let _ = writeln!(s, "{example}");
        }
    }
    s.into_bytes()
}

fn load_or_generate(case: &str, style: usize, example: &str) -> Vec<u8> {
    let path = fixture_path(case);
    match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(_) if std::env::var_os("UPDATE_GOLDEN").is_some() => {
            let bytes = generate(style, example);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
            bytes
        }
        Err(_) => panic!("missing fixture {}; run `UPDATE_GOLDEN=1 cargo test -p kaniko-studio-tests`", path.display()),
    }
}

#[test]
fn every_pattern_matches_its_fixture_with_golden_output() {
    let ctx = DiagnoseContext::default();
    let mut missing = Vec::new();
    for (i, rule) in RULES.iter().enumerate() {
        let case = format!("{}-{}", rule.id, rule.name);
        let log = load_or_generate(&case, i, rule.example);
        let findings = diagnose(&log, &ctx);
        if !findings.iter().any(|f| f.id == rule.id) {
            missing.push(format!("{case}: got {:?}", findings.iter().map(|f| f.id).collect::<Vec<_>>()));
        }
        assert_golden(&format!("diagnose/{case}.out"), &render(&findings));
    }
    assert!(missing.is_empty(), "patterns not found in their fixtures: {missing:#?}");
}

/// Lines that look like each pattern's error but are not it.
const NEAR_MISSES: &[(&str, &str)] = &[
    ("KS600", "INFO[0000] Registry requires authentication; using credentials from /kaniko/.docker/config.json"),
    ("KS601", "INFO[0001] Using ECR credential helper for 123456789012.dkr.ecr.eu-west-1.amazonaws.com (authorized)"),
    ("KS602", "INFO[0000] Retrieving image manifest gcr.io/distroless/static:nonroot"),
    ("KS603", "Granted roles/artifactregistry.writer: permission artifactregistry.repositories.uploadArtifacts allowed on my-repo"),
    ("KS604", "INFO[0000] Unauthenticated pulls from artifactregistry are allowed for public repositories"),
    ("KS605", "INFO[0000] Token exchange succeeded for project my-project"),
    ("KS606", "INFO[0002] Robot account has access to repository team/app, action: push"),
    ("KS607", "INFO[0003] Access to the resource requested by the build was granted"),
    ("KS608", "INFO[0004] Pushing to ghcr.io/acme/app with write_package scope"),
    ("KS609", "INFO[0005] Pushed packages.buildkite.com/acme/images/app@sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1"),
    ("KS610", "INFO[0000] Returning cached image manifest"),
    ("KS611", "INFO[0006] Pushed blob sha256:4f4f to registry"),
    ("KS612", "INFO[0000] Creating repository app if it does not exist"),
    ("KS613", "INFO[0000] Appending /certs/ca.pem to the certificate pool"),
    ("KS614", "INFO[0000] Using HTTP for insecure registry registry.internal:5000"),
    ("KS615", "INFO[0000] dial tcp 10.0.0.5:443 succeeded after retry"),
    ("KS616", "GET https://registry.example.com/v2/app/manifests/1: 404 Not Found (manifest will be pushed)"),
    ("KS617", "INFO[0000] Using docker-credential-ecr-login from /kaniko"),
    ("KS618", "INFO[0000] Acquired refresh token for myregistry.azurecr.io"),
    ("KS619", "INFO[0000] Using external_account credentials from /workspace/.oidc/gcp.json"),
    ("KS620", "INFO[0000] Using repository packages.buildkite.com/acme/images/app"),
    ("KS621", "INFO[0000] Tagging image with tag 1.2.3"),
    ("KS622", "INFO[0000] Pushing image to --destination packages.buildkite.com/acme/images/app:1"),
    ("KS623", "INFO[0000] Using dockerfile: /workspace/build/buildkite/Dockerfile"),
    ("KS624", "INFO[0000] Running inside a container"),
    ("KS625", "INFO[0000] Build context prefix dir:// resolved to /workspace"),
    ("KS626", "INFO[0002] Extracting layer 3 of 5 to build the filesystem"),
    ("KS627", "INFO[0003] RUN [\"/bin/sh\", \"-c\", \"make\"]"),
    ("KS628", "INFO[0004] Cmd: /bin/sh, exit status reported later"),
    ("KS629", "INFO[0002] Using files from context: [/workspace/build/buildkite/dist]"),
    ("KS630", "INFO[0001] Skipping unsupported RUN mount option"),
    ("KS631", "INFO[0000] Pull rate limit remaining: 97"),
    ("KS632", "INFO[0003] Taking snapshot of full filesystem..."),
    ("KS633", "INFO[0042] Pushing layer packages.buildkite.com/acme/images/app/cache:8f2c to cache now"),
    ("KS634", "INFO[0003] Retrieving image from cache succeeded"),
    ("KS635", "INFO[0010] Snapshotting FS took 12s"),
    ("KS636", "$ /kaniko/executor --destination packages.buildkite.com/acme/images/app:1 --cache=true  # flag: --cache"),
    ("KS637", "INFO[0000] executor command parsed"),
    ("KS638", "INFO[0000] Using cache with --cache-repo packages.buildkite.com/acme/images/cache"),
    ("KS639", "INFO[0000] Reading tar context from stdin"),
    ("KS640", "INFO[0000] Checking out branch main"),
    ("KS641", "INFO[0000] Using AWS shared config profile ci-push"),
    ("KS642", "INFO[0000] Retrieving image alpine from mapped registry mirror.example.com"),
    ("KS643", "INFO[0000] Image found on configured mapped registry mirror.example.com"),
    ("KS644", "INFO[0000] Using registry mirror mirror.gcr.io"),
    ("KS645", "INFO[0000] Retrieved image library/alpine:3.20 from registry mirror mirror.gcr.io"),
    ("KS646", "INFO[0000] Checking push permissions for registry.example.com/app:1"),
    ("KS647", "INFO[0005] Pushing image to registry.example.com/app:1"),
    ("KS648", "INFO[0000] Found 401 files in context"),
    ("KS649", "INFO[0000] Copying 403 files"),
    ("KS650", "INFO[0000] ECR authorization token valid for 12h"),
    ("KS651", "INFO[0000] Loaded config file /kaniko/.docker/config.json"),
    ("KS652", "Warning: The `set-output` command has been deprecated and will be disabled soon."),
    ("KS653", "INFO[0000] --label key=value applied"),
    ("KS654", "INFO[0000] Cache TTL 168h"),
    ("KS655", "INFO[0000] Loaded client certificate for my.registry.com"),
    ("KS656", "log format: json"),
    ("KS657", "Using build context dir:///workspace"),
    ("KS658", "Wrote the image name with digest to /workspace/image"),
    ("KS659", "INFO[0000] Image to cache: alpine:3.20"),
    ("KS670", "INFO[0000] Requested token with audience https://packages.buildkite.com/acme/images"),
    ("KS671", "INFO requested lifetime 300"),
    ("KS672", "Obtained OIDC token for audience https://packages.buildkite.com/acme/images"),
    ("KS673", "Job API client created; OIDC token will be redacted"),
    ("KS674", "$ buildkite-agent oidc request-token --lifetime 300"),
    ("KS675", "$ buildkite-agent oidc request-token --format gcp"),
    ("KS676", "$ buildkite-agent oidc request-token --audience https://packages.buildkite.com/acme/images"),
    ("KS677", "$ buildkite-agent oidc request-token --audience \"https://packages.buildkite.com/${BUILDKITE_ORGANIZATION_SLUG}/${REGISTRY_SLUG}\""),
    ("KS678", "INFO[0000] Pushing image to packages.buildkite.com/acme/images/kaniko-test:latest"),
    ("KS679", "/bin/sh: ./build.sh: No such file or directory"),
    ("KS680", "agent-stack-k8s parsed the job"),
    ("KS681", "agent-stack-k8s built a podSpec for the job"),
    ("KS682", "Kubernetes accepted the podSpec built by agent-stack-k8s"),
    ("KS683", "Modifying container-0 command via podSpecPatch (re-interposed)"),
    ("KS684", "The kubernetes plugin is allowed by this controller"),
    ("KS685", "Using interposer \"buildkite\""),
    ("KS686", "Fetched podTemplate \"kaniko\""),
    ("KS687", "All image references are valid"),
    ("KS688", "$ buildkite-agent oidc request-token --audience sts.amazonaws.com --lifetime 3600"),
    ("KS689", "$ buildkite-agent oidc request-token --audience \"https://packages.buildkite.com/acme/images\" --lifetime 300"),
    ("KS700", "Assumed role with token audience sts.amazonaws.com"),
    ("KS701", "OpenIDConnect provider found in your account for https://agent.buildkite.com"),
    ("KS702", "Authorized to perform sts:AssumeRoleWithWebIdentity"),
    ("KS703", "Retrieved verification key from your identity provider"),
    ("KS704", "Token expires at 2025-11-24T17:00:00Z"),
    ("KS705", "DurationSeconds 3600 within MaxSessionDuration"),
    ("KS706", "Thumbprint configured for agent.buildkite.com"),
    ("KS707", "The identity provider accepted the claims (sub, aud, exp)"),
    ("KS708", "Packed session policy uses 40% of the allotted space"),
    ("KS709", "STS is activated in this region for account:123456789012"),
    ("KS710", "The audience in ID Token matches the expected audience."),
    ("KS711", "Using audience //iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/bk/providers/bk"),
    ("KS712", "Exchanged token with target audience"),
    ("KS713", "Credential accepted by the attribute condition"),
    ("KS714", "google.subject is 40 bytes"),
    ("KS715", "The issuer in ID Token https://agent.buildkite.com matches"),
    ("KS716", "ID Token issued at 1749625771 is fresh"),
    ("KS717", "Granted iam.workloadIdentityUser"),
    ("KS718", "Access token lifetime 3600 seconds"),
    ("KS719", "Retrieved GCR access token"),
    ("KS720", "GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1"),
    ("KS721", "opened credential file /kaniko/oidc/gcp"),
    ("KS730", "AADSTS7002 is not an error we know"),
    ("KS731", "AADSTS70021: No matching federated identity record found for presented assertion."),
    ("KS732", "AADSTS700213: No matching federated identity record found for presented assertion subject 'x'."),
    ("KS733", "AADSTS7002138: No matching federated identity record found for presented assertion subject."),
    ("KS734", "AADSTS700213: subject mismatch"),
    ("KS735", "Client assertion valid until 2026-01-01T10:05:00Z"),
    ("KS736", "Application found in the directory"),
    ("KS737", "The client has 2 configured federated identity credentials."),
    ("KS738", "Authorization succeeded for Microsoft.ContainerRegistry/registries/push/write"),
];

#[test]
fn no_pattern_fires_on_its_near_miss() {
    let ctx = DiagnoseContext::default();
    for rule in RULES {
        assert!(NEAR_MISSES.iter().any(|(id, _)| *id == rule.id), "{} has no near miss", rule.id);
    }
    let mut wrong = Vec::new();
    for (id, line) in NEAR_MISSES {
        let found: Vec<&str> = diagnose(line.as_bytes(), &ctx).iter().map(|f| f.id).collect();
        if found.contains(id) {
            wrong.push(format!("{id}: near miss {line:?} matched"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn successful_builds_have_no_findings() {
    for case in ["ok-elastic-package-registry", "ok-k8s-ecr", "ok-tests-print-401"] {
        let log = std::fs::read(fixture_path(case)).unwrap();
        let findings = diagnose(&log, &DiagnoseContext::default());
        assert!(findings.is_empty(), "{case}: {:?}", findings.iter().map(|f| f.id).collect::<Vec<_>>());
    }
}

#[test]
fn scenarios_with_context() {
    let ctx = DiagnoseContext {
        audience: Some("https://packages.buildkite.com/acme/docker-images".into()),
        destination: Some("packages.buildkite.com/acme/docker-images/app:1".into()),
        token_lifetime: Some(3600),
        ..DiagnoseContext::default()
    };
    for case in ["scenario-k8s-docs-example", "scenario-expired-token-long-build"] {
        let log = std::fs::read(fixture_path(case)).unwrap();
        assert_golden(&format!("diagnose/{case}.out"), &render(&diagnose(&log, &ctx)));
    }
}
