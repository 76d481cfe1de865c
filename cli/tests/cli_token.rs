//! The `token` command, run as a user runs it.
#![allow(clippy::indexing_slicing)] // tests: a panic is a failure

mod support;


fn run(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    support::run_with_input(args, stdin)
}

fn b64(s: &str) -> String {
    kaniko_studio_core::token::base64url_encode(s.as_bytes())
}

const SIGNATURE: &str = "c2VjcmV0LXNpZ25hdHVyZS1ieXRlcw";

fn token(aud: &str) -> String {
    let claims = format!(
        r#"{{"iss":"https://agent.buildkite.com","aud":"{aud}","sub":"organization:acme:pipeline:app:ref:refs/heads/main:commit:0123:step:build","iat":1764000000,"nbf":1764000000,"exp":1764000300,"organization_slug":"acme","pipeline_slug":"app","build_number":7,"jti":"j-1"}}"#
    );
    format!("{}.{}.{SIGNATURE}", b64(r#"{"alg":"RS256","kid":"k1"}"#), b64(&claims))
}

const NOW: &str = "1764000100";

#[test]
fn good_token_from_stdin_exits_0_and_never_echoes_the_signature() {
    let t = token("https://packages.buildkite.com/acme/images");
    let (code, out, err) = run(
        &["token", "-", "--registry", "packages.buildkite.com/acme/images/app:1", "--now", NOW],
        t.as_bytes(),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("signature was NOT verified"), "{out}");
    assert!(out.contains("exp       2025-11-24T16:05:00Z (in 3 min 20 s)"), "{out}");
    assert!(out.contains("organization_slug   acme"), "{out}");
    assert!(out.contains("ok: no problems found"), "{out}");
    assert!(!out.contains(SIGNATURE) && !out.contains(&t), "{out}");
}

#[test]
fn default_audience_is_explained_with_the_expected_value() {
    let (code, out, _) = run(
        &["token", "--registry", "packages.buildkite.com/acme/images", "--now", NOW],
        format!("Bearer {}\n", token("https://buildkite.com/acme")).as_bytes(),
    );
    assert_eq!(code, 1);
    assert!(out.contains("error[KS510] aud:"), "{out}");
    assert!(out.contains("--audience \"https://packages.buildkite.com/acme/images\""), "{out}");
}

#[test]
fn expired_token() {
    let (code, out, _) = run(&["token", "--audience-for", "aws", "--now", "1764009000"], token("sts.amazonaws.com").as_bytes());
    assert_eq!(code, 1);
    assert!(out.contains("error[KS530] exp: The token expired 2 h 25 min ago"), "{out}");
}

#[test]
fn token_as_argument_and_file() {
    let t = token("sts.amazonaws.com");
    let (code, out, _) = run(&["token", &t, "--audience-for", "aws", "--now", NOW], b"");
    assert_eq!(code, 0, "{out}");
    let dir = std::env::temp_dir().join(format!("ks-token-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("token");
    std::fs::write(&path, format!("{t}\n")).expect("write");
    let (code, out, _) = run(&["token", path.to_str().expect("path"), "--audience-for", "aws", "--now", NOW], b"");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn json_output() {
    let (code, out, _) = run(
        &["token", "--format", "json", "--audience-for", "azure", "--now", NOW],
        token("api://AzureADTokenExchange").as_bytes(),
    );
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["signature_verified"], false);
    assert_eq!(v["claims"]["lifetime_seconds"], 300);
    assert!(!out.contains(SIGNATURE));
}

#[test]
fn annotation_output() {
    let (code, out, _) = run(
        &["token", "--format", "annotation", "--registry", "packages.buildkite.com/acme/images", "--now", NOW],
        token("https://packages.buildkite.com/acme/images/").as_bytes(),
    );
    assert_eq!(code, 1);
    assert!(out.starts_with("#### Kaniko Studio: OIDC token has 1 problem\n"), "{out}");
    assert!(out.contains("**error KS512** `aud`"), "{out}");
}

#[test]
fn malformed_and_huge_inputs_exit_2_without_panicking() {
    let huge = "x".repeat(3_000_000);
    for input in ["", "not a token", "a.b", "a.b.c.d.e", "%%%.e30.c2ln", huge.as_str()] {
        let (code, out, err) = run(&["token", "-"], input.as_bytes());
        assert_eq!(code, 2, "{input:.20}: {out}{err}");
        assert!(out.contains("error[KS50"), "{out}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, err) = run(&["token", "--registry", "ghcr.io/acme/app"], b"");
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run(&["token", "--registry", "packages.buildkite.com/a/b", "--audience-for", "aws"], b"");
    assert_eq!(code, 2);
    let (code, _, err) = run(&["token", "/no/such/file"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("no such file"), "{err}");
}

#[test]
fn help_warns_about_shell_history() {
    let (code, out, _) = run(&["token", "--help"], b"");
    assert_eq!(code, 0);
    assert!(out.contains("shell history"), "{out}");
}
