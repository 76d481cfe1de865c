//! The generated doctor against real parts (issue 7): Debian's `docker-registry` (the CNCF
//! distribution registry) on 127.0.0.1 with htpasswd authentication, over TLS with a CA made
//! here with `openssl`, and over plain HTTP; a stub `buildkite-agent` that records the
//! annotation; and a small local HTTP server answering the cloud exchanges with the error
//! responses of the reference's tables (oidc-federation.md §3.1.3, §3.2.3, §3.3.3).
//!
//! Missing push rights are made with the registry's read-only maintenance mode
//! (`storage.maintenance.readonly.enabled: true`): distribution's htpasswd has no per-user
//! ACL, and in read-only mode it refuses the blob upload with HTTP 405 after a good login.
//!
//! These tests skip (with a message) only when `docker-registry` is not installed;
//! `scripts/setup.sh` installs it in CI.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::panic, clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};

use kaniko_studio_core::config::*;
use kaniko_studio_core::generate::{self, doctor};
use support::{Sandbox, which};

const USER: &str = "builder";
const PASSWORD: &str = "pw-S3cret:\"quoted'";

fn registry_binary() -> Option<PathBuf> {
    let found = which("docker-registry").or_else(|| Some(PathBuf::from("/usr/bin/docker-registry")).filter(|p| p.is_file()));
    if found.is_none() {
        println!("SKIPPED: `docker-registry` is not installed (Debian package docker-registry; scripts/setup.sh installs it).");
    }
    found
}

fn temp_dir(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!("ks-doctor-{name}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A running registry; killed (by its own child handle) when dropped.
struct LocalRegistry {
    child: Child,
    port: u16,
    dir: PathBuf,
}

/// A CA and a server certificate for 127.0.0.1, made with openssl.
struct Pki {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

fn make_pki(dir: &Path) -> Pki {
    let p = |n: &str| dir.join(n);
    run_ok(Command::new("openssl").args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Kaniko Studio doctor test CA"])
        .args(["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        .arg("-keyout").arg(p("ca.key")).arg("-out").arg(p("ca.crt")));
    run_ok(Command::new("openssl").args(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1"])
        .arg("-keyout").arg(p("server.key")).arg("-out").arg(p("server.csr")));
    std::fs::write(p("ext.cnf"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n").expect("ext");
    run_ok(Command::new("openssl").args(["x509", "-req", "-days", "2", "-CAcreateserial"])
        .arg("-in").arg(p("server.csr")).arg("-CA").arg(p("ca.crt")).arg("-CAkey").arg(p("ca.key"))
        .arg("-extfile").arg(p("ext.cnf")).arg("-out").arg(p("server.crt")));
    Pki { ca: p("ca.crt"), cert: p("server.crt"), key: p("server.key") }
}

impl LocalRegistry {
    fn start(binary: &Path, tls: Option<&Pki>, readonly: bool) -> LocalRegistry {
        Self::start_with_user(binary, tls, readonly, USER, PASSWORD)
    }

    fn start_with_user(binary: &Path, tls: Option<&Pki>, readonly: bool, user: &str, password: &str) -> LocalRegistry {
        let dir = temp_dir("registry");
        let htpasswd = run_ok(Command::new("htpasswd").args(["-Bbn", user, password]));
        std::fs::write(dir.join("htpasswd"), htpasswd).expect("htpasswd");
        let port = free_port();
        let mut config = format!("version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: {}\n", dir.join("data").display());
        if readonly {
            config.push_str("  maintenance:\n    readonly:\n      enabled: true\n");
        }
        config.push_str(&format!("http:\n  addr: 127.0.0.1:{port}\n"));
        if let Some(pki) = tls {
            config.push_str(&format!("  tls:\n    certificate: {}\n    key: {}\n", pki.cert.display(), pki.key.display()));
        }
        config.push_str(&format!("auth:\n  htpasswd:\n    realm: doctor-test\n    path: {}\n", dir.join("htpasswd").display()));
        std::fs::write(dir.join("config.yml"), config).expect("config");
        let log = std::fs::File::create(dir.join("registry.log")).expect("log");
        let child = Command::new(binary)
            .arg("serve")
            .arg(dir.join("config.yml"))
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start docker-registry");
        let registry = LocalRegistry { child, port, dir };
        // Readiness: a bounded number of connection attempts.
        for _ in 0..300 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return registry;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("docker-registry did not listen on {port}:\n{}", registry.log());
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("registry.log")).unwrap_or_default()
    }
}

impl Drop for LocalRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn self_hosted(host: &str, ca: Option<&Path>, insecure: bool) -> BuildConfig {
    BuildConfig::new(
        Stack::Elastic(ElasticStack::default()),
        Registry::SelfHosted(SelfHostedRegistry {
            host: host.to_string(),
            path: "team".into(),
            username: USER.into(),
            password: Some(SecretRef::Env { var: "REGISTRY_PASSWORD".into() }),
            ca_cert: ca.map(|p| p.display().to_string()),
            insecure,
        }),
        "app",
    )
}

/// What a doctor run shows: exit code, standard output, standard error, and the annotation
/// (`buildkite-agent annotate` arguments and body).
struct Run {
    code: i32,
    out: String,
    err: String,
    annotate_args: String,
    annotation: String,
    /// What the extra stubs wrote to `$LOG/stub.log`.
    stub_log: String,
}

/// Generate the doctor for `config` and run it with `shell` under a stub `buildkite-agent`.
fn run_doctor(config: &BuildConfig, shell: &str, env: &[(&str, &str)], token: Option<&str>) -> Run {
    run_doctor_with(config, shell, env, token, &[])
}

/// [`run_doctor`] with more stub commands on PATH: `(name, sh script body)`.
fn run_doctor_with(config: &BuildConfig, shell: &str, env: &[(&str, &str)], token: Option<&str>, stubs: &[(&str, &str)]) -> Run {
    let (files, diags) = generate::doctor(config);
    assert!(!files.is_empty(), "{diags:?}");
    let script = &files.files[1];
    assert!(script.path.ends_with(".sh"));
    let dir = temp_dir("run");
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let agent = bin.join("buildkite-agent");
    std::fs::write(
        &agent,
        format!(
            "#!/bin/sh\ncase \"$1 $2\" in\n  'oidc request-token') printf '%s\\n' {token};;\n  annotate*) printf '%s\\n' \"$@\" > {log}/annotate.args; cat > {log}/annotate.body;;\nesac\n",
            token = support_quote(token.unwrap_or("")),
            log = dir.display(),
        ),
    )
    .expect("stub");
    std::fs::set_permissions(&agent, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    for (name, body) in stubs {
        let path = bin.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{}\n", body.replace("$LOG", &dir.display().to_string()))).expect("stub");
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    }
    let script_path = dir.join("kaniko-doctor.sh");
    std::fs::write(&script_path, &script.content).expect("script");
    let mut cmd = Command::new(which(shell).unwrap_or_else(|| panic!("{shell} missing")));
    if shell == "busybox" {
        cmd.arg("sh");
    }
    cmd.arg(&script_path).current_dir(&dir).env_clear();
    cmd.env("PATH", format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display()));
    cmd.env("HOME", &dir).env("TMPDIR", &dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run doctor");
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap_or_default();
    let run = Run {
        stub_log: read("stub.log"),
        code: out.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        err: String::from_utf8_lossy(&out.stderr).into_owned(),
        annotate_args: read("annotate.args"),
        annotation: read("annotate.body"),
    };
    // Nothing left on disk: only what the test itself wrote remains.
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| !["bin", "kaniko-doctor.sh", "annotate.args", "annotate.body", "stub.log"].contains(&n.as_str()))
        .collect();
    left.sort();
    assert!(left.is_empty(), "the doctor left files behind: {left:?}\n{}", run.out);
    let _ = std::fs::remove_dir_all(&dir);
    for secret in [PASSWORD, "S3cret"] {
        assert!(!run.out.contains(secret) && !run.err.contains(secret) && !run.annotation.contains(secret), "a secret is printed:\n{}", run.out);
    }
    if let Some(t) = token {
        let signature = t.rsplit('.').next().unwrap_or(t);
        assert!(!run.out.contains(t) && !run.annotation.contains(t), "the token is printed:\n{}", run.out);
        assert!(!run.out.contains(signature), "the signature is printed:\n{}", run.out);
    }
    run
}

fn support_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn assert_failed_link(run: &Run, link: &str, words: &[&str]) {
    assert_eq!(run.code, 1, "exit code; output:\n{}{}", run.out, run.err);
    let line = run.out.lines().find(|l| l.starts_with("FAIL  ")).unwrap_or_else(|| panic!("no FAIL line:\n{}{}", run.out, run.err));
    assert!(line.starts_with(&format!("FAIL  {link}: ")), "expected the {link} link to fail:\n{}", run.out);
    for w in words {
        assert!(run.out.contains(w), "expected {w:?} in:\n{}", run.out);
    }
    assert!(run.out.contains("      fix: "), "a fix:\n{}", run.out);
    assert!(run.annotate_args.contains("--style\nerror\n--context\nkaniko-doctor"), "annotation: {:?}", run.annotate_args);
    assert!(run.annotation.contains(&format!("the **{link}** link fails")), "{}", run.annotation);
}

#[test]
fn tls_registry_good_credentials_pass_every_link_and_cancel_a_real_upload() {
    let Some(binary) = registry_binary() else { return };
    let pki_dir = temp_dir("pki");
    let pki = make_pki(&pki_dir);
    let registry = LocalRegistry::start(&binary, Some(&pki), false);
    let config = self_hosted(&registry.host(), Some(&pki.ca), false);
    for shell in ["sh", "busybox", "bash"] {
        let run = run_doctor(&config, shell, &[("REGISTRY_PASSWORD", PASSWORD)], None);
        assert_eq!(run.code, 0, "{shell}:\n{}{}", run.out, run.err);
        for link in ["credentials", "tls", "login", "push"] {
            assert!(run.out.contains(&format!("PASS  {link}: ")), "{shell}: {link}:\n{}", run.out);
        }
        assert!(!run.out.contains("FAIL"), "{}", run.out);
        assert!(run.annotate_args.contains("--style\nsuccess\n--context\nkaniko-doctor"), "{:?}", run.annotate_args);
        assert!(run.annotation.contains("every link"), "{}", run.annotation);
    }
    // The registry saw the upload start (202) and its cancellation (204).
    let log = registry.log();
    assert!(log.lines().any(|l| l.contains("\"POST /v2/team/app/blobs/uploads/ HTTP/") && l.contains("\" 202 ")), "{log}");
    assert!(log.lines().any(|l| l.contains("\"DELETE /v2/team/app/blobs/uploads/") && l.contains("\" 204 ")), "{log}");
    let _ = std::fs::remove_dir_all(&pki_dir);
}

#[test]
fn wrong_password_fails_the_login_link_with_the_registrys_401() {
    let Some(binary) = registry_binary() else { return };
    let registry = LocalRegistry::start(&binary, None, false);
    let config = self_hosted(&registry.host(), None, true);
    let run = run_doctor(&config, "busybox", &[("REGISTRY_PASSWORD", "wrong")], None);
    assert_failed_link(&run, "login", &["HTTP 401", "UNAUTHORIZED: authentication required", "REGISTRY_PASSWORD"]);
    assert!(run.out.contains("PASS  connection: "), "{}", run.out);
}

#[test]
fn read_only_registry_fails_the_push_link() {
    let Some(binary) = registry_binary() else { return };
    let registry = LocalRegistry::start(&binary, None, true);
    let config = self_hosted(&registry.host(), None, true);
    let run = run_doctor(&config, "sh", &[("REGISTRY_PASSWORD", PASSWORD)], None);
    assert!(run.out.contains("PASS  login: "), "{}", run.out);
    assert_failed_link(&run, "push", &["HTTP 405", "read-only"]);
}

#[test]
fn self_signed_ca_without_the_ca_option_fails_the_tls_link_with_its_fix() {
    let Some(binary) = registry_binary() else { return };
    let pki_dir = temp_dir("pki");
    let pki = make_pki(&pki_dir);
    let registry = LocalRegistry::start(&binary, Some(&pki), false);
    let config = self_hosted(&registry.host(), None, false);
    let run = run_doctor(&config, "busybox", &[("REGISTRY_PASSWORD", PASSWORD)], None);
    assert_failed_link(&run, "tls", &["certificate is not trusted", "ca_cert", &format!("--registry-certificate={}=", registry.host())]);
    // A wrong CA file is told apart from a missing one.
    let run = run_doctor(&self_hosted(&registry.host(), Some(Path::new("/etc/hostname")), false), "sh", &[("REGISTRY_PASSWORD", PASSWORD)], None);
    assert_failed_link(&run, "tls", &["/etc/hostname"]);
    let _ = std::fs::remove_dir_all(&pki_dir);
}

#[test]
fn plain_http_registry_without_the_insecure_option_gets_that_fix() {
    let Some(binary) = registry_binary() else { return };
    let registry = LocalRegistry::start(&binary, None, false);
    let config = self_hosted(&registry.host(), None, false);
    let run = run_doctor(&config, "busybox", &[("REGISTRY_PASSWORD", PASSWORD)], None);
    assert_failed_link(&run, "tls", &["speaks plain HTTP", &format!("--insecure-registry={}", registry.host()), "insecure option"]);
    // With the option, the same registry passes.
    let run = run_doctor(&self_hosted(&registry.host(), None, true), "sh", &[("REGISTRY_PASSWORD", PASSWORD)], None);
    assert_eq!(run.code, 0, "{}", run.out);
}

#[test]
fn missing_password_fails_the_credentials_link() {
    let config = self_hosted("127.0.0.1:1", None, true);
    let run = run_doctor(&config, "busybox", &[], None);
    assert_failed_link(&run, "credentials", &["REGISTRY_PASSWORD is empty", "Set REGISTRY_PASSWORD"]);
}

/// The `config.json` the generated build script writes for a self-hosted registry lets a real
/// client (skopeo) push an image to the real registry over TLS with the configured CA.
#[test]
fn generated_config_json_lets_skopeo_push() {
    let Some(binary) = registry_binary() else { return };
    let pki_dir = temp_dir("pki");
    let pki = make_pki(&pki_dir);
    let registry = LocalRegistry::start(&binary, Some(&pki), false);
    let config = self_hosted(&registry.host(), Some(&pki.ca), false);
    let (files, diags) = generate::generate(&config);
    let script = &files.get(".buildkite/steps/kaniko.sh").unwrap_or_else(|| panic!("{diags:?}")).content;
    // Run the build script under the stubs: the docker stub keeps the config.json it mounts.
    let sandbox = Sandbox::new("doctor-skopeo");
    let out = sandbox.run(&["bash", "-c"], script, &[("REGISTRY_PASSWORD", PASSWORD), ("BUILDKITE_BUILD_NUMBER", "7"), ("BUILDKITE_COMMIT", "0123456789abcdef0123456789abcdef01234567")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let auth_file = std::fs::read_dir(&sandbox.log)
        .expect("log")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().ends_with(".config.json"))
        .expect("the script wrote config.json");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&auth_file).expect("read")).expect("json");
    assert!(doc["auths"][registry.host()]["auth"].is_string(), "{doc}");

    let image = temp_dir("image");
    write_tiny_image(&image);
    let certs = temp_dir("certs");
    std::fs::copy(&pki.ca, certs.join("ca.crt")).expect("ca");
    let dest = format!("docker://{}/team/app:doctor", registry.host());
    let out = Command::new("skopeo")
        .args(["--insecure-policy", "copy", "--authfile"])
        .arg(&auth_file)
        .arg("--dest-cert-dir")
        .arg(&certs)
        .arg(format!("dir:{}", image.display()))
        .arg(&dest)
        .env("HOME", &image)
        .output()
        .expect("skopeo");
    assert!(out.status.success(), "skopeo copy failed:\n{}", String::from_utf8_lossy(&out.stderr));
    // And the registry has it.
    let out = Command::new("skopeo")
        .args(["--insecure-policy", "inspect", "--raw", "--authfile"])
        .arg(&auth_file)
        .arg("--cert-dir")
        .arg(&certs)
        .arg(&dest)
        .env("HOME", &image)
        .output()
        .expect("skopeo");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Without the credentials the push is refused: the authfile is what made it work.
    std::fs::write(certs.join("empty.json"), "{}").expect("empty");
    let out = Command::new("skopeo")
        .args(["--insecure-policy", "copy", "--authfile"])
        .arg(certs.join("empty.json"))
        .arg("--dest-cert-dir")
        .arg(&certs)
        .arg(format!("dir:{}", image.display()))
        .arg(format!("docker://{}/team/app:anonymous", registry.host()))
        .env("HOME", &image)
        .output()
        .expect("skopeo");
    assert!(!out.status.success(), "an anonymous push must fail");
    for d in [&pki_dir, &image, &certs] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// A one-layer OCI image in skopeo's `dir:` layout.
fn write_tiny_image(dir: &Path) {
    let sha = |bytes: &[u8]| -> String {
        let f = dir.join("blob.tmp");
        std::fs::write(&f, bytes).expect("tmp");
        let out = run_ok(Command::new("sha256sum").arg(&f));
        let _ = std::fs::remove_file(&f);
        out.split_whitespace().next().expect("digest").to_string()
    };
    // An empty tar archive: two 512-byte zero blocks.
    let layer = vec![0u8; 1024];
    let layer_digest = sha(&layer);
    std::fs::write(dir.join(&layer_digest), &layer).expect("layer");
    let config = format!(
        "{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"sha256:{layer_digest}\"]}}}}"
    );
    let config_digest = sha(config.as_bytes());
    std::fs::write(dir.join(&config_digest), &config).expect("config");
    let manifest = format!(
        "{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:{config_digest}\",\"size\":{}}},\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:{layer_digest}\",\"size\":{}}}]}}",
        config.len(),
        layer.len()
    );
    std::fs::write(dir.join("manifest.json"), manifest).expect("manifest");
    std::fs::write(dir.join("version"), "Directory Transport Version: 1.1\n").expect("version");
}

// ---------------------------------------------------------------------------------------------
// Cloud exchanges against a local stub server

/// A local HTTP server answering every request with one canned response; records request
/// bodies.
struct Stub {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

fn stub_server(status: u16, content_type: &'static str, body: String) -> Stub {
    routed_stub(vec![("/", status, content_type, body)])
}

/// A stub answering by path prefix (the first matching route); 404 otherwise.
fn routed_stub(routes: Vec<(&'static str, u16, &'static str, String)>) -> Stub {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let request = read_request(&mut stream);
            let path = request.split(' ').nth(1).unwrap_or("").to_string();
            seen.lock().expect("lock").push(request);
            let (status, content_type, body) = routes
                .iter()
                .find(|(prefix, ..)| path.starts_with(prefix))
                .map(|(_, s, c, b)| (*s, *c, b.as_str()))
                .unwrap_or((404, "text/plain", "no route"));
            let reply = format!(
                "HTTP/1.1 {status} Canned\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    Stub { port, requests }
}

fn read_request(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0)))
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return text;
            }
        }
    }
    String::from_utf8_lossy(&data).into_owned()
}

fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// An unsigned-looking JWT with Buildkite's claims and `aud`, issued now for an hour (the
/// doctor compares `exp` with the clock).
fn canned_token(aud: &str) -> String {
    let iat = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let exp = iat + 3600;
    let header = base64url(br#"{"alg":"RS256","kid":"test"}"#);
    let claims = format!(
        r#"{{"iss":"https://agent.buildkite.com","aud":"{aud}","sub":"organization:acme:pipeline:app:ref:refs/heads/main:commit:0123456789abcdef0123456789abcdef01234567:step:doctor","iat":{iat},"nbf":{iat},"exp":{exp},"organization_slug":"acme","pipeline_slug":"app","build_branch":"main","step_key":"doctor"}}"#
    );
    format!("{header}.{}.c2lnbmF0dXJlLXNlY3JldA", base64url(claims.as_bytes()))
}

fn ecr_oidc() -> BuildConfig {
    BuildConfig::new(
        Stack::Elastic(ElasticStack::default()),
        Registry::Ecr(EcrRegistry {
            account: "123456789012".into(),
            region: "eu-west-1".into(),
            repository: "team".into(),
            auth: AwsAuth::Oidc(AwsOidc { role_arn: "arn:aws:iam::123456789012:role/kaniko".into(), lifetime: 3600, audience: None }),
        }),
        "app",
    )
}

fn gar_oidc() -> BuildConfig {
    BuildConfig::new(
        Stack::Kubernetes(KubernetesStack::default()),
        Registry::ArtifactRegistry(ArtifactRegistry {
            location: "europe".into(),
            project: "acme-prod".into(),
            repository: "images".into(),
            auth: GcpAuth::Oidc(GcpOidc {
                provider: "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/buildkite/providers/buildkite".into(),
                service_account: None,
                lifetime: 3600,
                audience: None,
            }),
        }),
        "app",
    )
}

fn acr_oidc() -> BuildConfig {
    BuildConfig::new(
        Stack::Kubernetes(KubernetesStack::default()),
        Registry::Acr(AcrRegistry {
            name: "acmeimages".into(),
            auth: AcrAuth::Oidc(AzureOidc {
                tenant_id: "11111111-1111-1111-1111-111111111111".into(),
                client_id: "22222222-2222-2222-2222-222222222222".into(),
                lifetime: 3600,
                audience: None,
            }),
        }),
        "app",
    )
}

/// Run the doctor against a stub answering `body`; return the run and the recorded requests.
fn exchange_run(config: &BuildConfig, env_var: &str, status: u16, content_type: &'static str, body: &str) -> (Run, Vec<String>) {
    let stub = stub_server(status, content_type, body.to_string());
    let url = format!("http://127.0.0.1:{}", stub.port);
    let aud = config.audience().expect("an OIDC configuration");
    let token = canned_token(&aud);
    let run = run_doctor(config, "busybox", &[(env_var, &url), ("BUILDKITE_JOB_ID", "job-1")], Some(&token));
    let requests = stub.requests.lock().expect("lock").clone();
    (run, requests)
}

fn aws_error(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>1</RequestId></ErrorResponse>"
    )
}

#[test]
fn aws_sts_errors_map_to_their_causes() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("InvalidIdentityToken", "Incorrect token audience", &["wrong audience", "--audience sts.amazonaws.com"]),
        ("InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://agent.buildkite.com", &["identity provider is missing", "Create an IAM OIDC identity provider"]),
        ("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", &["trust policy matches", "agent.buildkite.com:sub"]),
        ("ExpiredTokenException", "Token expired: current date/time 1624482533 must be before the expiration date/time1624482335", &["the token expired", "--lifetime"]),
        ("InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider.", &["signing keys", "jwks"]),
    ];
    for (code, message, words) in cases {
        let (run, requests) = exchange_run(&ecr_oidc(), "KANIKO_DOCTOR_AWS_STS_URL", 400, "text/xml", &aws_error(code, message));
        assert!(run.out.contains("PASS  token: "), "{}", run.out);
        assert!(run.out.contains("aud=sts.amazonaws.com"), "claims printed:\n{}", run.out);
        assert_failed_link(&run, "exchange", words);
        assert!(run.out.contains(message), "the STS text is shown:\n{}", run.out);
        let request = requests.first().expect("STS was called");
        assert!(request.starts_with("POST / "), "{request}");
        assert!(request.contains("Action=AssumeRoleWithWebIdentity"), "{request}");
        assert!(request.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fkaniko"), "{request}");
        assert!(request.contains("WebIdentityToken=ey"), "the token is sent in the body:\n{request}");
    }
}

#[test]
fn gcp_sts_errors_map_to_their_causes() {
    let cases: &[(u16, &'static str, &[&str])] = &[
        (400, r#"{"error":"invalid_grant","error_description":"The audience in ID Token [https://buildkite.com/acme] does not match the expected audience."}"#, &["wrong audience", "allowed audiences"]),
        (400, r#"{"error":"unauthorized_client","error_description":"The given credential is rejected by the attribute condition."}"#, &["attribute condition rejects", "attribute condition and mapping"]),
        (400, r#"{"error":"invalid_target","error_description":"The target service indicated by the \"audience\" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn't exist."}"#, &["does not exist or is disabled", "pool and provider names"]),
        (400, r#"{"error":"invalid_request","error_description":"The size of mapped attribute google.subject exceeds the 127 bytes limit. Either provide a shorter value or remove the attribute from the mapping."}"#, &["too long", "--subject-claim pipeline_id"]),
        (400, r#"{"error":"invalid_request","error_description":"Invalid value for \"audience\". This value should be the full resource name of the Identity Provider."}"#, &["malformed", "project number"]),
    ];
    for (status, body, words) in cases {
        let (run, requests) = exchange_run(&gar_oidc(), "KANIKO_DOCTOR_GCP_STS_URL", *status, "application/json", body);
        assert_failed_link(&run, "exchange", words);
        let request = requests.first().expect("STS was called");
        assert!(request.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"), "{request}");
        assert!(request.contains("audience=%2F%2Fiam.googleapis.com%2Fprojects%2F123"), "{request}");
    }
}

#[test]
fn azure_errors_map_to_their_causes() {
    let cases: &[(&'static str, &[&str])] = &[
        (r#"{"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier '22222222-2222-2222-2222-222222222222' was not found in the directory 'acme'."}"#, &["application not found", "client ID"]),
        (r#"{"error":"invalid_request","error_description":"AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://agent.buildkite.com'. Assertion Subject: 'x'. Assertion Audience: 'api://AzureADTokenExchange'."}"#, &["no federated credential matches", "federated credentials"]),
        (r#"{"error":"invalid_client","error_description":"AADSTS700024: Client assertion is not within its valid time range. Current time: 2026-01-01T00:00:00Z, assertion valid from 2025-01-01T00:00:00Z, expiry time of assertion 2025-01-01T01:00:00Z."}"#, &["the token expired", "--lifetime"]),
        (r#"{"error":"invalid_request","error_description":"AADSTS700212: No matching federated identity record found for presented assertion audience 'https://buildkite.com/acme'."}"#, &["audience mismatch", "api://AzureADTokenExchange"]),
        (r#"{"error":"invalid_request","error_description":"AADSTS700213: No matching federated identity record found for presented assertion subject 'organization:acme'."}"#, &["subject mismatch", "--subject-claim pipeline_id"]),
    ];
    for (body, words) in cases {
        let (run, requests) = exchange_run(&acr_oidc(), "KANIKO_DOCTOR_AZURE_LOGIN_URL", 400, "application/json", body);
        assert_failed_link(&run, "exchange", words);
        let request = requests.first().expect("Entra ID was called");
        assert!(request.starts_with("POST /11111111-1111-1111-1111-111111111111/oauth2/v2.0/token "), "{request}");
        assert!(request.contains("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"), "{request}");
    }
}

/// The whole chain passes with exchanged credentials: the Google STS and impersonation stubs
/// issue an access token, and the real registry accepts it as the password of
/// `oauth2accesstoken` (as Artifact Registry does), then accepts a blob upload.
#[test]
fn gcp_exchanged_credentials_log_in_and_push() {
    let Some(binary) = registry_binary() else { return };
    const ACCESS: &str = "ya29.stub-access-token";
    let registry = LocalRegistry::start_with_user(&binary, None, false, "oauth2accesstoken", ACCESS);
    let body = format!(r#"{{"access_token": "{ACCESS}", "accessToken": "{ACCESS}", "expires_in": 3599}}"#);
    let stub = stub_server(200, "application/json", body);
    let url = format!("http://127.0.0.1:{}", stub.port);
    let mut config = gar_oidc();
    if let Registry::ArtifactRegistry(r) = &mut config.registry
        && let GcpAuth::Oidc(o) = &mut r.auth
    {
        o.service_account = Some("kaniko@acme-prod.iam.gserviceaccount.com".into());
    }
    let token = canned_token(&config.audience().expect("aud"));
    let registry_url = format!("http://{}", registry.host());
    let run = run_doctor(
        &config,
        "busybox",
        &[("KANIKO_DOCTOR_GCP_STS_URL", &url), ("KANIKO_DOCTOR_GCP_IAM_URL", &url), ("KANIKO_DOCTOR_REGISTRY_URL", &registry_url)],
        Some(&token),
    );
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    for link in ["token", "exchange", "impersonation", "connection", "login", "push"] {
        assert!(run.out.contains(&format!("PASS  {link}: ")), "{link}:\n{}", run.out);
    }
    assert!(!run.out.contains(ACCESS), "the access token is printed:\n{}", run.out);
    let requests = stub.requests.lock().expect("lock").clone();
    assert!(requests[1].starts_with("POST /v1/projects/-/serviceAccounts/kaniko@acme-prod.iam.gserviceaccount.com:generateAccessToken "), "{}", requests[1]);
    assert!(requests[1].contains(&format!("Bearer {ACCESS}")), "impersonation uses the federated token");
}

#[test]
fn the_token_link_shows_claims_and_catches_a_wrong_audience() {
    // The agent answers with a token for another audience: the token link says so.
    let token = canned_token("https://buildkite.com/acme");
    let run = run_doctor(&ecr_oidc(), "busybox", &[], Some(&token));
    assert_failed_link(&run, "token", &["aud is 'https://buildkite.com/acme'", "--audience 'sts.amazonaws.com'"]);
    assert!(run.out.contains("sub=organization:acme:pipeline:app:ref:refs/heads/main"), "{}", run.out);
    assert!(run.out.contains("lifetime=3600s"), "{}", run.out);
    assert!(run.out.contains("organization_slug=acme pipeline_slug=app build_branch=main step_key=doctor"), "{}", run.out);
}

#[test]
fn acr_exchange_refusal_fails_its_own_link() {
    let stub = routed_stub(vec![
        ("/11111111-1111-1111-1111-111111111111/oauth2/v2.0/token", 200, "application/json", r#"{"token_type":"Bearer","expires_in":3599,"access_token":"aad-access-token"}"#.to_string()),
        ("/v2/", 401, "application/json", r#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#.to_string()),
        ("/oauth2/exchange", 401, "application/json", r#"{"errors":[{"code":"UNAUTHORIZED","message":"The identity does not have permissions on this registry"}]}"#.to_string()),
    ]);
    let url = format!("http://127.0.0.1:{}", stub.port);
    let config = acr_oidc();
    let token = canned_token(&config.audience().expect("aud"));
    let run = run_doctor(&config, "busybox", &[("KANIKO_DOCTOR_AZURE_LOGIN_URL", &url), ("KANIKO_DOCTOR_REGISTRY_URL", &url)], Some(&token));
    assert!(run.out.contains("PASS  exchange: "), "{}", run.out);
    assert_failed_link(&run, "acr-exchange", &["The identity does not have permissions on this registry", "AcrPush"]);
    assert!(!run.out.contains("aad-access-token"), "{}", run.out);
    let requests = stub.requests.lock().expect("lock").clone();
    let exchange = requests.iter().find(|r| r.starts_with("POST /oauth2/exchange ")).expect("the ACR exchange was called");
    assert!(exchange.contains("grant_type=access_token") && exchange.contains("access_token=aad-access-token"), "{exchange}");
    assert!(exchange.contains("service=acmeimages.azurecr.io"), "{exchange}");
}

#[test]
fn gcp_impersonation_denied_fails_its_own_link() {
    let stub = routed_stub(vec![
        ("/v1/token", 200, "application/json", r#"{"access_token":"federated-token","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"Bearer","expires_in":3599}"#.to_string()),
        ("/v1/projects/", 403, "application/json", "{\n  \"error\": {\n    \"code\": 403,\n    \"message\": \"Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).\",\n    \"status\": \"PERMISSION_DENIED\"\n  }\n}\n".to_string()),
    ]);
    let url = format!("http://127.0.0.1:{}", stub.port);
    let mut config = gar_oidc();
    if let Registry::ArtifactRegistry(r) = &mut config.registry
        && let GcpAuth::Oidc(o) = &mut r.auth
    {
        o.service_account = Some("kaniko@acme-prod.iam.gserviceaccount.com".into());
    }
    let token = canned_token(&config.audience().expect("aud"));
    let run = run_doctor(&config, "busybox", &[("KANIKO_DOCTOR_GCP_STS_URL", &format!("{url}/v1/token")), ("KANIKO_DOCTOR_GCP_IAM_URL", &url)], Some(&token));
    assert!(run.out.contains("PASS  exchange: "), "{}", run.out);
    assert_failed_link(&run, "impersonation", &["HTTP 403", "iam.serviceAccounts.getAccessToken", "roles/iam.workloadIdentityUser"]);
    assert!(!run.out.contains("federated-token"), "{}", run.out);
}

fn packages_oidc() -> BuildConfig {
    BuildConfig::new(
        Stack::Kubernetes(KubernetesStack::default()),
        Registry::BuildkitePackages(PackagesRegistry {
            org: "acme".into(),
            registry: "docker-images".into(),
            auth: PackagesAuth::Oidc,
            lifetime: 300,
            audience: None,
            pipelines: Vec::new(),
            branches: Vec::new(),
        }),
        "app",
    )
}

/// A short token (htpasswd takes passwords up to 256 bytes) living `lifetime` seconds.
fn short_token(aud: &str, lifetime: u64) -> String {
    let iat = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let claims = format!(r#"{{"iss":"https://agent.buildkite.com","aud":"{aud}","iat":{iat},"exp":{}}}"#, iat + lifetime);
    format!("{}.{}.c2ln", base64url(br#"{"alg":"RS256"}"#), base64url(claims.as_bytes()))
}

/// Package Registries: the user `buildkite` with the OIDC token as its password, as the
/// registry expects (buildkite.md §2.2), logs in to a real registry and starts an upload.
#[test]
fn packages_oidc_token_is_the_password_of_buildkite() {
    let Some(binary) = registry_binary() else { return };
    let config = packages_oidc();
    let token = short_token(&config.audience().expect("aud"), 300);
    assert!(token.len() <= 256, "{}", token.len());
    let registry = LocalRegistry::start_with_user(&binary, None, false, "buildkite", &token);
    let registry_url = format!("http://{}", registry.host());
    let run = run_doctor(&config, "busybox", &[("KANIKO_DOCTOR_REGISTRY_URL", &registry_url)], Some(&token));
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    for link in ["token", "connection", "login", "push"] {
        assert!(run.out.contains(&format!("PASS  {link}: ")), "{link}:\n{}", run.out);
    }
    assert!(run.out.contains("lifetime=300s"), "{}", run.out);
    // The path Kaniko pushes to on Package Registries: org/registry/image.
    assert!(registry.log().contains("POST /v2/acme/docker-images/app/blobs/uploads/"), "{}", registry.log());
}

#[test]
fn packages_token_living_over_300_seconds_fails_the_token_link() {
    let config = packages_oidc();
    let token = short_token(&config.audience().expect("aud"), 600);
    let run = run_doctor(&config, "sh", &[], Some(&token));
    assert_failed_link(&run, "token", &["lives 600 s", "refuses more than 300 s", "--lifetime 300"]);
}

const STS_OK: &str = "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIAEXCHANGED</AccessKeyId><SecretAccessKey>exchanged-secret-key</SecretAccessKey><SessionToken>exchanged-session-token</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/kaniko/kaniko-doctor</Arn></AssumedRoleUser></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";

/// A stub `aws` that records the credentials it was given (by name and value: test values)
/// and prints an ECR password.
const AWS_STUB: &str = "printf '%s %s|%s|%s|%s\\n' \"$1\" \"$2\" \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\" \"$AWS_SESSION_TOKEN\" >> $LOG/stub.log\nprintf '%s\\n' ecr-password";

/// ECR with OIDC: STS (stub) exchanges the token, the aws CLI (stub) gets the ECR password
/// with the exchanged credentials, and the real registry accepts `AWS` + that password.
#[test]
fn ecr_exchange_then_login_and_push() {
    let Some(binary) = registry_binary() else { return };
    let registry = LocalRegistry::start_with_user(&binary, None, false, "AWS", "ecr-password");
    let sts = stub_server(200, "text/xml", STS_OK.to_string());
    let sts_url = format!("http://127.0.0.1:{}/", sts.port);
    let registry_url = format!("http://{}", registry.host());
    let config = ecr_oidc();
    let token = canned_token("sts.amazonaws.com");
    let run = run_doctor_with(
        &config,
        "busybox",
        &[("KANIKO_DOCTOR_AWS_STS_URL", &sts_url), ("KANIKO_DOCTOR_REGISTRY_URL", &registry_url)],
        Some(&token),
        &[("aws", AWS_STUB)],
    );
    assert_eq!(run.code, 0, "{}{}", run.out, run.err);
    for link in ["token", "exchange", "credentials", "connection", "login", "push"] {
        assert!(run.out.contains(&format!("PASS  {link}: ")), "{link}:\n{}", run.out);
    }
    assert!(run.out.contains("assumed-role/kaniko/kaniko-doctor"), "{}", run.out);
    assert_eq!(run.stub_log, "ecr get-login-password|ASIAEXCHANGED|exchanged-secret-key|exchanged-session-token\n");
    for secret in ["exchanged-secret-key", "exchanged-session-token", "ecr-password"] {
        assert!(!run.out.contains(secret), "{secret} printed:\n{}", run.out);
    }
}

/// ECR answers a blob upload to a repository that does not exist with 404 NAME_UNKNOWN:
/// the push link says to create it.
#[test]
fn ecr_missing_repository_fails_the_push_link_with_create_repository() {
    let registry = routed_stub(vec![
        ("/v2/team/", 404, "application/json", r#"{"errors":[{"code":"NAME_UNKNOWN","message":"The repository with name 'team/app' does not exist in the registry with id '123456789012'"}]}"#.to_string()),
        ("/v2/", 200, "application/json", "{}".to_string()),
    ]);
    let url = format!("http://127.0.0.1:{}", registry.port);
    let mut config = ecr_oidc();
    if let Registry::Ecr(r) = &mut config.registry {
        r.auth = AwsAuth::InstanceRole;
    }
    let run = run_doctor_with(&config, "sh", &[("KANIKO_DOCTOR_REGISTRY_URL", &url)], None, &[("aws", AWS_STUB)]);
    assert_failed_link(&run, "push", &["HTTP 404", "NAME_UNKNOWN: The repository with name 'team/app' does not exist", "aws ecr create-repository --repository-name team/app"]);
}

/// acr-env with a client secret: the secret goes to Entra ID in the form body, never to the
/// output; a wrong one maps to its own cause.
#[test]
fn azure_client_secret_error_maps_and_the_secret_stays_hidden() {
    let body = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID."}"#;
    let stub = stub_server(401, "application/json", body.to_string());
    let url = format!("http://127.0.0.1:{}", stub.port);
    let mut config = acr_oidc();
    if let Registry::Acr(r) = &mut config.registry {
        r.auth = AcrAuth::AcrEnv;
    }
    let env = [
        ("KANIKO_DOCTOR_AZURE_LOGIN_URL", url.as_str()),
        ("AZURE_TENANT_ID", "11111111-1111-1111-1111-111111111111"),
        ("AZURE_CLIENT_ID", "22222222-2222-2222-2222-222222222222"),
        ("AZURE_CLIENT_SECRET", "client-S3cret-value"),
    ];
    let run = run_doctor(&config, "busybox", &env, None);
    assert_failed_link(&run, "exchange", &["invalid client secret", "secret's value (not its ID)"]);
    assert!(!run.out.contains("client-S3cret-value"), "{}", run.out);
    let requests = stub.requests.lock().expect("lock").clone();
    assert!(requests[0].contains("client_secret=client-S3cret-value"), "{}", requests[0]);
    // Without the variables, the credentials link names the missing one.
    let run = run_doctor(&config, "sh", &env[..3], None);
    assert_failed_link(&run, "credentials", &["AZURE_CLIENT_SECRET is not set"]);
}

#[test]
fn an_already_expired_token_fails_the_token_link() {
    let header = base64url(br#"{"alg":"RS256"}"#);
    let claims = base64url(br#"{"iss":"https://agent.buildkite.com","aud":"sts.amazonaws.com","sub":"x","iat":1000,"exp":1300}"#);
    let token = format!("{header}.{claims}.c2ln");
    let run = run_doctor(&ecr_oidc(), "sh", &[], Some(&token));
    assert_failed_link(&run, "token", &["expired when it was minted", "clock"]);
}

#[test]
fn doctor_script_path_is_the_second_artifact() {
    let (files, _) = generate::doctor(&ecr_oidc());
    assert_eq!(files.files[0].path, doctor::DOCTOR_PIPELINE_PATH);
    assert_eq!(files.files[1].path, doctor::DOCTOR_SCRIPT_PATH);
}
