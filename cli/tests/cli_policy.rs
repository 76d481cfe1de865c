//! `kaniko-studio policy`, run as a user runs it.

mod support;


fn run(args: &[&str]) -> (i32, String, String) {
    support::run_args(args)
}

fn temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("ks-cli-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

const POLICY: &str = "- iss: https://agent.buildkite.com\n  scopes: [read_packages, write_packages]\n  claims:\n    organization_slug: acme\n    build_branch: main\n";

fn b64url(s: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in s.as_bytes().chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(A.get(((n >> (18 - 6 * i)) & 63) as usize).copied().unwrap_or(b'A')));
        }
    }
    out
}

#[test]
fn a_clean_policy_exits_0() {
    let p = temp("ok.yml", POLICY);
    let (code, out, err) = run(&["policy", &p]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
}

#[test]
fn problems_are_shown_with_caret() {
    let p = temp("bad.yml", "- iss: https://agent.buildkite.com\n  scopes: [write]\n  claims:\n    organization_slug: acme\n");
    let (code, out, _) = run(&["policy", &p]);
    assert_eq!(code, 1);
    assert!(out.contains(":2:12: error[KS405]: Statement 1: `write` is not a scope."), "{out}");
    assert!(out.contains("  2 |   scopes: [write]\n    |            ^^^^^\n"), "{out}");
    assert!(out.contains("fix: Did you mean `write_packages`?"), "{out}");
}

#[test]
fn evaluation_with_claims_names_the_failing_claim() {
    let p = temp("eval.yml", POLICY);
    let c = temp("claims.json", r#"{"iss":"https://agent.buildkite.com","organization_slug":"acme","build_branch":"feature/x"}"#);
    let (code, out, _) = run(&["policy", &p, "--claims", &c]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("statement 1"), "{out}");
    assert!(out.contains("`build_branch`: value \"feature/x\" is not equal to \"main\""), "{out}");
    assert!(out.contains("error[KS420]"), "{out}");
}

/// A Package Registries token minted `age` seconds ago with `lifetime`.
fn packages_token(aud: &str, age: i64, lifetime: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs() as i64;
    let (iat, exp) = (now - age, now - age + lifetime);
    let claims = format!(r#"{{"iss":"https://agent.buildkite.com","aud":"{aud}","iat":{iat},"nbf":{iat},"exp":{exp},"organization_slug":"acme","build_branch":"main"}}"#);
    format!("{}.{}.sig", b64url(r#"{"alg":"RS256"}"#), b64url(&claims))
}

#[test]
fn evaluation_with_a_token() {
    let p = temp("tok.yml", POLICY);
    let token = packages_token("https://packages.buildkite.com/acme/images", 10, 300);
    let (code, out, _) = run(&["policy", &p, "--token", &format!("Bearer {token}")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Result: statement 1 grants read_packages, write_packages."), "{out}");
    assert!(out.contains("not verified"), "{out}");
    assert!(!out.contains("refuses it"), "{out}");
}

/// The registry refuses a token on its audience, expiry or lifetime before the policy is read:
/// a matching statement does not make such a token work. A file holding the token works too.
#[test]
fn a_token_the_registry_refuses_says_why() {
    let p = temp("tok2.yml", POLICY);
    let file = temp("token.jwt", &format!("{}\n", packages_token("https://packages.buildkite.com/acme/images/", 3600, 600)));
    let (code, out, _) = run(&["policy", &p, "--token", &file]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Result: statement 1 grants read_packages, write_packages."), "{out}");
    assert!(out.contains("refuses it here:"), "{out}");
    for id in ["KS512", "KS530", "KS532"] {
        assert!(out.contains(&format!("error[{id}]")), "{id}: {out}");
    }
    let token = packages_token("https://packages.buildkite.com/acme/images", 10, 300);
    let (code, out, _) = run(&["policy", &p, "--token", &token, "--registry", "packages.buildkite.com/acme/other"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[KS519]"), "{out}");
}

/// The default audience is refused by Package Registries, whose policy this is: an error. A
/// token wrapped across lines is read as one; a token file that does not exist says so.
#[test]
fn default_audience_wrapped_tokens_and_missing_files() {
    let p = temp("tok3.yml", POLICY);
    let token = packages_token("https://buildkite.com/acme", 10, 300);
    let (code, out, _) = run(&["policy", &p, "--token", &token]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error[KS510]"), "{out}");
    let good = packages_token("https://packages.buildkite.com/acme/images", 10, 300);
    let (head, tail) = good.split_at(40);
    let file = temp("wrapped.jwt", &format!("{head}\n{tail}\n"));
    let (code, out, err) = run(&["policy", &p, "--token", &file]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Result: statement 1 grants"), "{out}");
    let (code, out, err) = run(&["policy", &p, "--token", "no-such-token.jwt"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("cannot read `no-such-token.jwt`: no such file"), "{err}");
}

#[test]
fn json_output() {
    let p = temp("json.yml", POLICY);
    let c = temp("claims2.json", r#"{"iss":"https://agent.buildkite.com","organization_slug":"acme","build_branch":"main"}"#);
    let (code, out, _) = run(&["policy", &p, "--claims", &c, "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v.pointer("/evaluation/result/matched"), Some(&serde_json::json!(1)));
    assert_eq!(v.pointer("/evaluation/signature_verified"), Some(&serde_json::json!(false)));
}

#[test]
fn annotation_output() {
    let p = temp("ann.yml", "- iss: https://agent.buildkite.com\n  scopes: [read_packages]\n  claims:\n    organization_slug: acme\n");
    let (code, out, _) = run(&["policy", &p, "--format", "annotation"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("### Kaniko Studio OIDC policy — 0 errors, 1 warning"), "{out}");
    assert!(out.contains("[KS411]"), "{out}");
}

#[test]
fn bad_inputs_exit_2() {
    let p = temp("p.yml", POLICY);
    assert_eq!(run(&["policy", "/nonexistent.yml"]).0, 2);
    assert_eq!(run(&["policy", &p, "--token", "not-a-jwt"]).0, 2);
    let c = temp("c.json", "[1, 2]");
    assert_eq!(run(&["policy", &p, "--claims", &c]).0, 2);
    assert_eq!(run(&["policy", &p, "--claims", &c, "--token", "x.y.z"]).0, 2);
}

/// A pipeline given to `policy` gets one finding that names the linter, and no evaluation of
/// the statements it does not have.
#[test]
fn a_pipeline_given_to_policy_is_named_as_one() {
    let p = temp("pipeline.yml", "steps:\n  - label: build\n    command: make\n");
    let c = temp("claims-for-pipeline.json", r#"{"iss":"https://agent.buildkite.com","organization_slug":"acme"}"#);
    for args in [vec!["policy", p.as_str()], vec!["policy", p.as_str(), "--claims", c.as_str()]] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 1, "{err}");
        let expected = format!(
            "{p}: error[KS416]: This is a Buildkite pipeline, not an OIDC policy.\n  fix: Check it with `kaniko-studio lint FILE`, or paste it in the troubleshooter's Pipeline tab.\n"
        );
        assert!(out.starts_with(&expected), "{out}");
        assert!(!out.contains("KS401") && !out.contains("KS420") && !out.contains("Evaluation"), "{out}");
        assert!(out.trim_end().ends_with("1 error, 0 warnings."), "{out}");
    }
}
