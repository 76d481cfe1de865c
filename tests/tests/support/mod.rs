//! Shared by the generation tests: the configuration matrix, the real consumers (YAML parser,
//! Buildkite's JSON schema, shells with stub commands) and Buildkite's interpolation.
#![allow(dead_code, clippy::panic, clippy::indexing_slicing, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use kaniko_studio_core::config::*;
use saphyr::{LoadableYamlNode, Scalar, Yaml};

#[allow(unused_imports)]
pub use kaniko_studio_tests::{assert_golden, reference};

/// The golden matrix: every registry and auth mode on both stacks, plus option variants.
pub fn cases() -> Vec<(String, BuildConfig)> {
    let mut out = Vec::new();
    for k8s in [true, false] {
        let stack_name = if k8s { "k8s" } else { "elastic" };
        for (name, registry) in registries(k8s) {
            // GKE workload identity does not exist on EC2 (validation refuses it, KS146).
            if !k8s && matches!(name, "gar-workload-identity" | "gcr") {
                continue;
            }
            out.push((format!("{name}-{stack_name}"), BuildConfig::new(stack(k8s), registry, "my-app")));
        }
        out.push((format!("options-{stack_name}"), options(k8s)));
        out.push((format!("executor-build-{stack_name}"), executor_build(k8s)));
    }
    out
}

/// Your own executor from the Chainguard fork: Docker Hub with a token (a mounted Secret on
/// Kubernetes, so the BuildKit pod's group-readable mounts are exercised) signed with a KMS
/// key; ECR through a Buildkite OIDC token on Elastic, signed with a key file.
pub fn executor_build(k8s: bool) -> BuildConfig {
    let (name, repository, key) = if k8s {
        ("docker-hub", "docker.io/acme/kaniko-executor", "awskms:///alias/kaniko-signing")
    } else {
        ("ecr-oidc", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kaniko", ".buildkite/cosign.key")
    };
    let registry = registries(k8s).into_iter().find(|(x, _)| *x == name).map(|(_, r)| r).expect("registry");
    let mut c = BuildConfig::new(stack(k8s), registry, "my-app");
    c.extras.build_executor = Some(ExecutorBuild {
        git_ref: "v1.25.5".into(),
        repository: repository.into(),
        signing_key: Some(key.into()),
    });
    c
}

/// The digest the BuildKit stubs report and `buildkite-agent meta-data get` returns.
pub const FAKE_DIGEST: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

/// Run the executor pipeline's script the way its steps do (`sh SCRIPT build`, then `sh
/// SCRIPT sign`) in `sandbox`, with stubs for BuildKit (`docker buildx`,
/// `buildctl-daemonless.sh`), the aws CLI, cosign and buildkite-agent. On Kubernetes `sh` is
/// busybox (as in the BuildKit and cosign images) and `/kaniko/secrets` is relocated into the
/// sandbox. Each stub keeps a copy of the `config.json` it would read (`<call>.config.json`).
pub fn run_executor_script(script: &str, k8s: bool, sandbox: &Sandbox, env: &[(&str, &str)]) -> Vec<std::process::Output> {
    sandbox.add_tools(&["sed", "head", "id"]);
    let sh = if k8s { which("busybox").expect("busybox") } else { which("sh").expect("sh") };
    let _ = std::os::unix::fs::symlink(sh, sandbox.bin.join("sh"));
    let keep_config = "if [ -n \"${DOCKER_CONFIG:-}\" ] && [ -f \"$DOCKER_CONFIG/config.json\" ]; then printf '%s' \"$(< \"$DOCKER_CONFIG/config.json\")\" > \"$f.config.json\"; fi\n";
    let metadata = |json: &str| {
        format!("prev=\nfor a in \"$@\"; do if [ \"$prev\" = --metadata-file ]; then printf '%s\\n' '{json}' > \"$a\"; fi; prev=$a; done\n{keep_config}")
    };
    sandbox.add_stub("docker", &metadata(&format!("{{\n  \"containerimage.digest\": \"{FAKE_DIGEST}\"\n}}")));
    sandbox.add_stub("buildctl-daemonless.sh", &metadata(&format!("{{\"containerimage.digest\":\"{FAKE_DIGEST}\"}}")));
    sandbox.add_stub("cosign", keep_config);
    sandbox.add_stub("aws", "printf 'ecr-password\\n'\n");
    sandbox.add_stub(
        "buildkite-agent",
        &format!("case \"$1 $2\" in 'oidc request-token') printf '%s\\n' '{FAKE_TOKEN}';; 'secret get') printf 'secret-from-buildkite\\n';; 'meta-data get') printf '%s\\n' '{FAKE_DIGEST}';; esac\n"),
    );
    let path = sandbox.work.join(".buildkite/steps/kaniko-executor.sh");
    std::fs::create_dir_all(path.parent().expect("dir")).expect("script dir");
    let text = if k8s { k8s_runnable(script, sandbox) } else { script.to_string() };
    std::fs::write(&path, text).expect("write script");
    ["build", "sign"]
        .iter()
        .map(|mode| sandbox.run(&["sh", "-c"], &format!("sh .buildkite/steps/kaniko-executor.sh {mode}"), env))
        .collect()
}

pub fn stack(k8s: bool) -> Stack {
    if k8s { Stack::Kubernetes(KubernetesStack::default()) } else { Stack::Elastic(ElasticStack::default()) }
}

/// A secret reference that works on the stack.
pub fn secret(k8s: bool, name: &str, key: &str, var: &str) -> SecretRef {
    if k8s {
        SecretRef::Kubernetes { name: name.into(), key: key.into() }
    } else {
        SecretRef::Env { var: var.into() }
    }
}

pub fn registries(k8s: bool) -> Vec<(&'static str, Registry)> {
    let packages = |auth| {
        Registry::BuildkitePackages(PackagesRegistry {
            org: "acme".into(),
            registry: "docker-images".into(),
            auth,
            lifetime: 300,
            audience: None,
            pipelines: Vec::new(),
            branches: Vec::new(),
        })
    };
    let ecr = |auth| Registry::Ecr(EcrRegistry {
        account: "123456789012".into(),
        region: "eu-west-1".into(),
        repository: "team".into(),
        auth,
    });
    let aws_oidc = || AwsAuth::Oidc(AwsOidc {
        role_arn: "arn:aws:iam::123456789012:role/buildkite-kaniko".into(),
        lifetime: 3600,
        audience: None,
    });
    let gar = |auth| Registry::ArtifactRegistry(ArtifactRegistry {
        location: "europe".into(),
        project: "acme-prod".into(),
        repository: "images".into(),
        auth,
    });
    vec![
        ("packages-oidc", packages(PackagesAuth::Oidc)),
        ("packages-oidc-scoped", {
            let mut r = packages(PackagesAuth::Oidc);
            if let Registry::BuildkitePackages(p) = &mut r {
                p.pipelines = vec!["my-app".into(), "deploy-*".into()];
                p.branches = vec!["main".into(), "release/*".into()];
            }
            r
        }),
        ("packages-api-token", packages(PackagesAuth::ApiToken { secret: secret(k8s, "buildkite-packages", "token", "BUILDKITE_PACKAGES_TOKEN") })),
        ("ecr-instance-role", ecr(AwsAuth::InstanceRole)),
        ("ecr-oidc", ecr(aws_oidc())),
        ("ecr-credentials", ecr(AwsAuth::Credentials {
            access_key_id: secret(k8s, "aws-kaniko", "access-key-id", "KANIKO_AWS_ACCESS_KEY_ID"),
            secret_access_key: secret(k8s, "aws-kaniko", "secret-access-key", "KANIKO_AWS_SECRET_ACCESS_KEY"),
        })),
        ("ecr-public-oidc", Registry::EcrPublic(EcrPublicRegistry { alias: "acme".into(), auth: aws_oidc() })),
        ("gar-workload-identity", gar(GcpAuth::WorkloadIdentity)),
        ("gar-oidc", gar(GcpAuth::Oidc(GcpOidc {
            provider: "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/buildkite/providers/buildkite".into(),
            service_account: Some("kaniko@acme-prod.iam.gserviceaccount.com".into()),
            lifetime: 3600,
            audience: None,
        }))),
        ("gar-key", gar(GcpAuth::KeySecret { secret: secret(k8s, "gcp-kaniko", "key.json", "GCP_KANIKO_KEY") })),
        ("gcr", Registry::Gcr(GcrRegistry { host: "gcr.io".into(), project: "acme-prod".into(), auth: GcpAuth::WorkloadIdentity })),
        ("docker-hub", Registry::DockerHub(DockerHubRegistry {
            namespace: "acme".into(),
            username: "acmebot".into(),
            token: secret(k8s, "dockerhub", "token", "DOCKERHUB_TOKEN"),
        })),
        ("ghcr", Registry::Ghcr(GhcrRegistry {
            owner: "acme".into(),
            username: "acme-bot".into(),
            token: if k8s { secret(true, "ghcr", "token", "") } else { SecretRef::Buildkite { key: "GHCR_TOKEN".into() } },
        })),
        ("acr-env", Registry::Acr(AcrRegistry { name: "acmeimages".into(), auth: AcrAuth::AcrEnv })),
        ("acr-oidc", Registry::Acr(AcrRegistry {
            name: "acmeimages".into(),
            auth: AcrAuth::Oidc(AzureOidc {
                tenant_id: "11111111-1111-1111-1111-111111111111".into(),
                client_id: "00000000-0000-0000-0000-000000000000".into(),
                lifetime: 3600,
                audience: None,
            }),
        })),
        ("acr-password", Registry::Acr(AcrRegistry {
            name: "acmeimages".into(),
            auth: AcrAuth::Password { username: "acmeimages".into(), password: secret(k8s, "acr", "password", "ACR_PASSWORD") },
        })),
        ("quay", Registry::Quay(QuayRegistry {
            host: "quay.io".into(),
            organization: "acme".into(),
            username: "acme+kaniko".into(),
            token: secret(k8s, "quay", "token", "QUAY_TOKEN"),
        })),
        ("gitlab", Registry::Gitlab(GitlabRegistry {
            host: "registry.gitlab.com".into(),
            project: "acme/app".into(),
            username: "kaniko-deploy".into(),
            token: secret(k8s, "gitlab-registry", "token", "GITLAB_REGISTRY_TOKEN"),
        })),
        ("self-hosted", Registry::SelfHosted(SelfHostedRegistry {
            host: "registry.internal.example:5000".into(),
            path: "platform".into(),
            username: "builder".into(),
            password: Some(secret(k8s, "registry-internal", "password", "REGISTRY_PASSWORD")),
            ca_cert: Some("/kaniko/secrets/registry-ca/ca.crt".into()),
            insecure: false,
        })),
        ("self-hosted-anonymous-insecure", Registry::SelfHosted(SelfHostedRegistry {
            host: "10.0.0.5:5000".into(),
            path: String::new(),
            username: String::new(),
            password: None,
            ca_cert: None,
            insecure: true,
        })),
    ]
}

/// Package Registries with every image and Kaniko option switched on.
pub fn options(k8s: bool) -> BuildConfig {
    let mut c = BuildConfig::new(stack(k8s), registries(k8s).remove(0).1, "my-app");
    if let Stack::Kubernetes(s) = &mut c.stack {
        s.secret_volumes.push(SecretVolume { secret: "corp-ca".into(), mount_path: "/kaniko/ssl/corp".into() });
    }
    c.image.tags = vec![Tag::BuildNumber, Tag::ShortCommit, Tag::Commit, Tag::Branch, Tag::Fixed("latest".into())];
    c.image.context = "services/api".into();
    c.image.context_sub_path = "app".into();
    c.image.dockerfile = "docker/Dockerfile.prod".into();
    c.image.build_args = vec!["GO_VERSION=1.23".into(), "GREETING=hello world".into()];
    c.image.labels = vec!["org.opencontainers.image.source=https://github.com/acme/api".into()];
    c.image.target = "runtime".into();
    c.image.platform = "linux/amd64".into();
    c.kaniko.verbosity = Verbosity::Debug;
    c.kaniko.log_timestamp = true;
    c.kaniko.cache = true;
    c.kaniko.cache_repo = "packages.buildkite.com/acme/docker-images/my-app-cache".into();
    c.kaniko.cache_ttl = "168h".into();
    c.kaniko.digest_file = "image-digest.txt".into();
    c.kaniko.reproducible = true;
    c.kaniko.snapshot_mode = Some(SnapshotMode::Redo);
    c.kaniko.single_snapshot = true;
    c.kaniko.skip_unused_stages = true;
    c.kaniko.extra_flags = vec!["--push-retry=3".into(), "--compressed-caching=false".into()];
    c.kaniko.digest = Some("sha256:2562c4fe551399514277ffff7dcca9a3b1628c4ea38cb017d7286dc6ea52f4cd".into());
    c.extras.env_switches = true;
    c.extras.refresh_credentials = true;
    c.extras.verify_executor = Some(CosignKey::Google);
    if !k8s {
        c.extras.pull_and_run = true;
        c.extras.pull_and_run_args = vec!["--version".into()];
    }
    c
}

// ---------------------------------------------------------------------------------------------
// Consumers

/// Fail (never skip) when a consumer tool is missing.
pub fn require_tool(name: &str) {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "`{name}` is not installed, and the generation tests check artifacts with it. Install it (Debian: `apt-get install {name}`); CI's setup script does."
    );
}

/// Parse one YAML document (no anchors, aliases or tags expected in generated YAML).
pub fn parse_yaml(text: &str) -> Result<Vec<Yaml<'_>>, String> {
    Yaml::load_from_str(text).map_err(|e| e.to_string())
}

/// A parsed YAML node as JSON (what Buildkite and Kubernetes see after parsing).
pub fn yaml_to_json(y: &Yaml<'_>) -> serde_json::Value {
    use serde_json::Value as J;
    match y {
        Yaml::Value(Scalar::Null) => J::Null,
        Yaml::Value(Scalar::Boolean(b)) => J::Bool(*b),
        Yaml::Value(Scalar::Integer(i)) => J::from(*i),
        Yaml::Value(Scalar::FloatingPoint(f)) => J::from(f.into_inner()),
        Yaml::Value(Scalar::String(s)) => J::String(s.to_string()),
        Yaml::Representation(s, _, _) => J::String(s.to_string()),
        Yaml::Sequence(items) => J::Array(items.iter().map(yaml_to_json).collect()),
        Yaml::Mapping(map) => J::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match yaml_to_json(k) {
                        J::String(s) => s,
                        other => other.to_string(),
                    };
                    (key, yaml_to_json(v))
                })
                .collect(),
        ),
        Yaml::Tagged(_, inner) => yaml_to_json(inner),
        Yaml::Alias(_) | Yaml::BadValue => panic!("generated YAML must not contain aliases or bad values"),
    }
}

/// The single document of a YAML text, as JSON.
pub fn yaml_json(text: &str) -> serde_json::Value {
    let docs = parse_yaml(text).unwrap_or_else(|e| panic!("YAML does not parse: {e}\n{text}"));
    assert_eq!(docs.len(), 1, "expected one YAML document");
    yaml_to_json(&docs[0])
}

/// Undo Buildkite's pipeline-upload interpolation for text that holds no expansion:
/// `$$` and `\$` become `$`, `\\` stays, `$(` stays. `Err` when an expansion would happen
/// (a `$` followed by a name or `{`), or on a `$` the parser rejects.
pub fn uninterpolate(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("\\\\") {
            out.push_str("\\\\");
            i += 2;
        } else if rest.starts_with("\\$") || rest.starts_with("$$") {
            out.push('$');
            i += 2;
        } else if rest.starts_with("$(") {
            out.push_str("$(");
            i += 2;
        } else if b.get(i) == Some(&b'$') && i + 1 < s.len() {
            return Err(format!("`pipeline upload` would expand or reject {:?}", &rest[..rest.len().min(20)]));
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8();
        }
    }
    Ok(out)
}

/// `key` of a JSON object path.
pub fn at<'a>(v: &'a serde_json::Value, path: &[&str]) -> &'a serde_json::Value {
    let mut cur = v;
    for p in path {
        cur = match cur {
            serde_json::Value::Array(a) => &a[p.parse::<usize>().expect("index")],
            other => &other[*p],
        };
    }
    cur
}

/// The Kubernetes command text as the agent receives it (after upload interpolation).
pub fn k8s_command(pipeline_yml: &str) -> String {
    let doc = yaml_json(pipeline_yml);
    let raw = at(&doc, &["steps", "0", "command"]).as_str().expect("command is a string").to_string();
    uninterpolate(&raw).expect("command survives interpolation")
}

// ---------------------------------------------------------------------------------------------
// Running scripts for real

/// A sandbox with stub `buildkite-agent`, `docker`, `cosign` and executor commands that record
/// their argv (one NUL-separated file per call) and a PATH of only allow-listed tools.
pub struct Sandbox {
    pub dir: PathBuf,
    pub bin: PathBuf,
    pub log: PathBuf,
    pub work: PathBuf,
}

const ALLOWED_TOOLS: &[&str] = &["bash", "cat", "mkdir", "mktemp", "rm", "base64", "tr", "cut", "dirname", "mv", "sleep"];
pub const STUBS: &[&str] = &["buildkite-agent", "docker", "cosign", "executor", "kubectl"];

/// Environment variables the executor stub records (as `ENV:NAME=value` arguments).
const RECORDED_ENV: &str = "AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_SESSION_NAME AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE GOOGLE_APPLICATION_CREDENTIALS AZURE_CLIENT_ID AZURE_TENANT_ID AZURE_CLIENT_SECRET AZURE_FEDERATED_TOKEN_FILE";
pub const FAKE_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln";

impl Sandbox {
    pub fn new(name: &str) -> Sandbox {
        let dir = std::env::temp_dir().join(format!("kaniko-studio-{name}-{}-{}", std::process::id(), unique()));
        let bin = dir.join("bin");
        let log = dir.join("log");
        let work = dir.join("work");
        for d in [&bin, &log, &work] {
            std::fs::create_dir_all(d).expect("sandbox dir");
        }
        for tool in ALLOWED_TOOLS {
            let real = which(tool).unwrap_or_else(|| panic!("`{tool}` is needed to run generated scripts"));
            std::os::unix::fs::symlink(real, bin.join(tool)).expect("symlink tool");
        }
        for stub in STUBS {
            // Records argv NUL-separated in log/<counter>-<name>; `buildkite-agent` prints a
            // fake token for `oidc request-token` and a fake secret for `secret get`.
            let script = format!(
                "#!{bash}\ncounter='{dir}/counter'\nn=0\nif [ -f \"$counter\" ]; then n=$(< \"$counter\"); fi\nprintf '%s' $((n + 1)) > \"$counter\"\nprintf -v f '%s/%04d-{stub}' '{log}' \"$n\"\nprintf '%s\\0' \"$@\" > \"$f\"\n{extra}",
                bash = which("bash").expect("bash").display(),
                dir = dir.display(),
                log = log.display(),
                extra = match *stub {
                    "buildkite-agent" => format!(
                        "case \"$1 $2\" in 'oidc request-token') printf '%s\\n' '{FAKE_TOKEN}';; 'secret get') printf 'secret-from-buildkite\\n';; esac\n"
                    ),
                    "executor" => format!(
                        "umask > \"$f.umask\"\nfor v in {RECORDED_ENV}; do if [ -n \"${{!v+x}}\" ]; then printf 'ENV:%s=%s\\0' \"$v\" \"${{!v}}\" >> \"$f\"; fi; done\n"
                    ),
                    // Keep the config.json the executor would see (the mount disappears with the trap).
                    "docker" => "for a in \"$@\"; do case \"$a\" in *:/kaniko/.docker:ro) d=\"${a%:/kaniko/.docker:ro}\"; printf '%s' \"$(< \"$d/config.json\")\" > \"$f.config.json\";; esac; done\n".to_string(),
                    _ => String::new(),
                }
            );
            let path = bin.join(stub);
            std::fs::write(&path, script).expect("write stub");
            set_mode(&path, 0o755);
        }
        Sandbox { dir, bin, log, work }
    }

    /// Symlink more real tools into the sandbox's PATH.
    pub fn add_tools(&self, tools: &[&str]) {
        for tool in tools {
            let real = which(tool).unwrap_or_else(|| panic!("`{tool}` is needed to run generated scripts"));
            let _ = std::os::unix::fs::symlink(real, self.bin.join(tool));
        }
    }

    /// Another recording stub: records its argv like the others, then runs `body` (bash).
    pub fn add_stub(&self, name: &str, body: &str) {
        let script = format!(
            "#!{bash}\ncounter='{dir}/counter'\nn=0\nif [ -f \"$counter\" ]; then n=$(< \"$counter\"); fi\nprintf '%s' $((n + 1)) > \"$counter\"\nprintf -v f '%s/%04d-{name}' '{log}' \"$n\"\nprintf '%s\\0' \"$@\" > \"$f\"\n{body}",
            bash = which("bash").expect("bash").display(),
            dir = self.dir.display(),
            log = self.log.display(),
        );
        let path = self.bin.join(name);
        std::fs::write(&path, script).expect("write stub");
        set_mode(&path, 0o755);
    }

    /// Run `script` with `shell` (`["bash", "-c"]`-style argv prefix) in the work dir.
    pub fn run(&self, shell: &[&str], script: &str, env: &[(&str, &str)]) -> std::process::Output {
        let program = which(shell[0]).unwrap_or_else(|| panic!("`{}` is not installed", shell[0]));
        let mut cmd = Command::new(program);
        cmd.args(&shell[1..]).arg(script).current_dir(&self.work).env_clear();
        cmd.env("PATH", &self.bin).env("HOME", &self.dir).env("TMPDIR", &self.dir);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run shell")
    }

    /// Every recorded call: `(command, argv)`, in order.
    pub fn calls(&self) -> Vec<(String, Vec<String>)> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.log)
            .expect("log dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| !p.to_string_lossy().ends_with(".config.json") && !p.to_string_lossy().ends_with(".umask"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| {
                let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let cmd = name.split_once('-').map(|(_, c)| c.to_string()).unwrap_or(name);
                let bytes = std::fs::read(f).expect("read log");
                let mut args: Vec<String> = bytes
                    .split(|b| *b == 0)
                    .map(|a| String::from_utf8_lossy(a).into_owned())
                    .collect();
                args.pop(); // after the last NUL
                (cmd, args)
            })
            .collect()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

pub fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(tool)).find(|p| p.is_file())
}

/// The Kubernetes command with `/kaniko/executor` replaced by the sandbox's stub: the real
/// path only exists in the Kaniko image. Also relocates `/kaniko/...` files into the sandbox.
pub fn k8s_runnable(command: &str, sandbox: &Sandbox) -> String {
    let root = sandbox.dir.join("kaniko");
    let mut text = command.replace("/kaniko/executor \"$@\"", &format!("{}/executor \"$@\"", sandbox.bin.display()));
    for dir in ["/kaniko/.docker", "/kaniko/oidc", "/kaniko/secrets"] {
        text = text.replace(dir, &format!("{}{}", root.display(), dir.trim_start_matches("/kaniko")));
    }
    text
}

/// The umask each executor call started with (the stub records it), in call order.
pub fn executor_umasks(sandbox: &Sandbox) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(&sandbox.log)
        .expect("log dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with("-executor.umask"))
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read_to_string(f).expect("umask").trim().to_string()).collect()
}

/// Map of artifact path → content.
pub fn by_path(files: &[kaniko_studio_core::generate::Artifact]) -> BTreeMap<String, String> {
    files.iter().map(|a| (a.path.clone(), a.content.clone())).collect()
}
