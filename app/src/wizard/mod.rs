//! The wizard: environment → registry → authentication and audience → image → Kaniko → review,
//! with the artifacts beside it, regenerated on every change.

use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::config_file::{REGISTRY_KINDS, StackKind, example_config};
use kaniko_studio_core::generate::generate;
use leptos::prelude::*;
use serde_json::{Value, json};

use crate::state::use_state;
use kaniko_studio_ui::widgets::{DiagnosticList, RichText, breakable_html};

pub mod artifacts;
pub mod fields;
pub mod form;
pub mod persist;

use fields::{Choice, MountedFields, TextKind, WizardDiagnostics, WizardValue};

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Environment,
    Registry,
    Auth,
    Image,
    Kaniko,
    Review,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 6] = [Step::Environment, Step::Registry, Step::Auth, Step::Image, Step::Kaniko, Step::Review];

    fn title(self) -> &'static str {
        match self {
            Step::Environment => "Environment",
            Step::Registry => "Registry",
            Step::Auth => "Authentication and audience",
            Step::Image => "Image",
            Step::Kaniko => "Kaniko options",
            Step::Review => "Review",
        }
    }

    /// Configuration paths edited on this step (to mark steps with errors).
    fn prefixes(self) -> &'static [&'static str] {
        match self {
            Step::Environment => &["stack", "max_build_minutes"],
            Step::Registry | Step::Auth => &["registry"],
            Step::Image => &["image"],
            Step::Kaniko => &["kaniko", "extras"],
            Step::Review => &["version"],
        }
    }

    /// The form of this step (the review has its own layout).
    pub fn parts(self) -> &'static [form::Part] {
        match self {
            Step::Environment => ENVIRONMENT,
            Step::Registry => REGISTRY,
            Step::Auth => AUTH,
            Step::Image => IMAGE,
            Step::Kaniko => KANIKO,
            Step::Review => &[],
        }
    }

    fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

fn stack_kind(c: &BuildConfig) -> StackKind {
    if c.is_kubernetes() { StackKind::Kubernetes } else { StackKind::Elastic }
}

/// The registry part of the example configuration for a kind.
fn example_registry(stack: StackKind, kind: &str) -> Option<Value> {
    example_config(stack, kind).and_then(|c| serde_json::to_value(c.registry).ok())
}

/// The wizard page: steps on the left, artifacts on the right.
#[component]
pub fn Wizard() -> impl IntoView {
    let state = use_state();
    let result = Memo::new(move |_| state.config.with(generate));
    // Memos: computed once per change, however many fields read them.
    let diagnostics: Signal<Vec<kaniko_studio_core::Diagnostic>> = Memo::new(move |_| result.with(|(_, d)| d.clone())).into();
    provide_context(WizardDiagnostics(diagnostics));
    provide_context(MountedFields::new());
    provide_context(WizardValue(Memo::new(move |_| state.config.with(BuildConfig::to_value))));
    let step = RwSignal::new(Step::Environment);
    debug_assert_eq!(REGISTRY_CHOICES.len(), REGISTRY_KINDS.len());

    let step_has_errors = move |s: Step| {
        diagnostics.with(|all| {
            all.iter().any(|d| {
                d.is_error() && d.field.as_deref().is_some_and(|f| s.prefixes().iter().any(|p| f.starts_with(p)))
            })
        })
    };

    // Back and Next sit under the form: after either, the new step's heading takes the focus,
    // which also scrolls it into view, so the user starts reading at the top of the step.
    let heading = NodeRef::<leptos::html::H2>::new();
    let go = move |by: isize| {
        step.update(|s| {
            if let Some(next) = s.index().checked_add_signed(by).and_then(|i| Step::ALL.get(i)) {
                *s = *next;
            }
        });
        if let Some(h) = heading.get_untracked() {
            let _ = h.focus();
        }
    };

    view! {
        <div class="wizard">
            <div class="wizard-form">
                <nav aria-label="Wizard steps">
                    <ol class="steps">
                        {Step::ALL.into_iter().map(|s| view! {
                            <li>
                                <button type="button"
                                    class:has-errors=move || step_has_errors(s)
                                    aria-current=move || (step.get() == s).then_some("step")
                                    on:click=move |_| step.set(s)>
                                    {s.index() + 1} ". " {s.title()}
                                    {move || step_has_errors(s).then(|| view! { <span class="sr-only">" (has errors)"</span><span aria-hidden="true">" ⚠"</span> })}
                                </button>
                            </li>
                        }).collect_view()}
                    </ol>
                </nav>
                <Summary/>
                <section class="card step" aria-live="polite">
                    <h2 node_ref=heading tabindex="-1">{move || step.get().title()}</h2>
                    {move || match step.get() {
                        Step::Review => view! { <ReviewStep diagnostics=diagnostics/> }.into_any(),
                        s => form::render(s.parts(), ""),
                    }}
                    <div class="step-nav">
                        <button type="button" disabled=move || step.get() == Step::Environment
                            on:click=move |_| go(-1)>"← Back"</button>
                        // The last step has no Next: it says where the files are instead.
                        {move || if step.get() == Step::Review {
                            view! { <p class="step-end">"Last step: copy or download the files from the Artifacts panel."</p> }.into_any()
                        } else {
                            view! { <button type="button" class="primary" on:click=move |_| go(1)>"Next →"</button> }.into_any()
                        }}
                    </div>
                </section>
            </div>
            <artifacts::ArtifactsPanel result=result/>
        </div>
    }
}

/// Destination and audience, always visible.
#[component]
fn Summary() -> impl IntoView {
    let state = use_state();
    let destination = move || {
        state.config.with(|c| c.image_references().first().map(|r| format!("{}:{}", r.repository, r.tag.describe())))
    };
    let audience = move || state.config.with(|c| c.registry.expected_audience());
    view! {
        <dl class="summary" aria-live="polite">
            <dt>"Destination"</dt>
            <dd><output id="destination" inner_html=move || breakable_html(&destination().unwrap_or_else(|| "—".into()))></output></dd>
            <dt>"OIDC audience"</dt>
            <dd><output id="audience" inner_html=move || breakable_html(&audience().unwrap_or_else(|| "none: this registry uses no OIDC token".into()))></output></dd>
        </dl>
    }
}

use form::{Part, check, choice, secret, text};
use fields::ChoiceValue::{Json, Make, Remove};

const fn ch(label: &'static str, key: &'static str, value: fields::ChoiceValue) -> Choice {
    Choice { label, key, value }
}

/// Step 1: where the step runs.
static ENVIRONMENT: &[Part] = &[
    choice("stack", "Where does the step run?", &[
        ch("Buildkite Agent Stack for Kubernetes", "kubernetes", Json(r#"{"kubernetes": {}}"#)),
        ch("Elastic CI Stack for AWS", "elastic", Json(r#"{"elastic": {}}"#)),
    ])
    .help("On the Agent Stack for Kubernetes the step's command runs inside the Kaniko image, so it needs the `-debug` image (it has a shell). On the Elastic CI Stack for AWS a script on the instance mints the token and runs the executor with `docker run`.")
    .part(),
    Part::Switch("stack", &[
        ("kubernetes", &[
            text("stack.kubernetes.queue", "Queue").placeholder("kubernetes").part(),
            text("stack.kubernetes.container", "Command container")
                .help("The `podSpecPatch` patches this container; it must be the step's command container (`container-0` by default), or the controller adds an extra, unmanaged container.")
                .part(),
        ]),
        ("*", &[
            text("stack.elastic.queue", "Queue").placeholder("default").part(),
            text("stack.elastic.script", "Step script path").placeholder(".buildkite/steps/kaniko.sh").part(),
            choice("stack.elastic.ecr_access_policy", "The stack's ECRAccessPolicy parameter", &[
                ch("Not set / unknown", "", Remove),
                ch("none", "none", Json(r#""none""#)),
                ch("readonly", "readonly", Json(r#""readonly""#)),
                ch("poweruser", "poweruser", Json(r#""poweruser""#)),
                ch("poweruser-pullthrough", "poweruser-pullthrough", Json(r#""poweruser-pullthrough""#)),
                ch("full", "full", Json(r#""full""#)),
            ])
            .help("Pushing to ECR with the instance role needs `poweruser` or more.")
            .part(),
        ]),
    ]),
    text("max_build_minutes", "Longest build, in minutes (optional)")
        .kind(TextKind::OptionalNumber)
        .help("Token lifetimes are checked against it: a Package Registries token lives at most 5 minutes.")
        .part(),
];

/// The example settings of registry `kind` for the current stack; Package Registries start
/// with empty slugs, because the user's own are required.
fn registry_example(c: &BuildConfig, kind: &str) -> Option<Value> {
    let mut v = example_registry(stack_kind(c), kind)?;
    if let Some(p) = v.get_mut("buildkite_packages") {
        p["org"] = json!("");
        p["registry"] = json!("");
    }
    Some(v)
}

/// The registries, in the order of `REGISTRY_KINDS`.
static REGISTRY_CHOICES: &[Choice] = &[
    ch("Buildkite Package Registries", "buildkite_packages", Make(registry_example)),
    ch("Amazon ECR", "ecr", Make(registry_example)),
    ch("Amazon ECR Public", "ecr_public", Make(registry_example)),
    ch("Google Artifact Registry", "artifact_registry", Make(registry_example)),
    ch("Google Container Registry (legacy)", "gcr", Make(registry_example)),
    ch("Docker Hub", "docker_hub", Make(registry_example)),
    ch("GitHub Container Registry", "ghcr", Make(registry_example)),
    ch("Azure Container Registry", "acr", Make(registry_example)),
    ch("Quay", "quay", Make(registry_example)),
    ch("GitLab Container Registry", "gitlab", Make(registry_example)),
    ch("Self-hosted registry", "self_hosted", Make(registry_example)),
];

/// Step 2: where the image is pushed.
static REGISTRY: &[Part] = &[
    choice("registry", "Where is the image pushed?", REGISTRY_CHOICES)
        .help("Changing the registry starts its fields from an example; replace the example values with yours. Switching back brings back what you typed.")
        .part(),
    Part::Switch("registry", &[
        ("buildkite_packages", &[
            text("registry.buildkite_packages.org", "Organization slug").placeholder("acme")
                .help("The end of your organization's Buildkite URL: `acme` in https://buildkite.com/acme.").part(),
            text("registry.buildkite_packages.registry", "Registry slug").placeholder("docker-images")
                .help("The kebab-case form of the registry's name, as in its URL (not the display name).").part(),
            text("registry.buildkite_packages.pipelines", "Pipelines that may push (optional)").kind(TextKind::Lines).placeholder("my-app")
                .help("One pipeline slug per line (`*` and `?` globs allowed). The generated OIDC policy admits only these; empty admits every pipeline of the organization.").part(),
            text("registry.buildkite_packages.branches", "Branches that may push (optional)").kind(TextKind::Lines).placeholder("main")
                .help("One branch or glob per line, e.g. `main`, `release/*`. Empty admits every branch.").part(),
        ]),
        ("ecr", &[
            text("registry.ecr.account", "AWS account id").placeholder("123456789012").part(),
            text("registry.ecr.region", "Region").placeholder("eu-west-1").part(),
            text("registry.ecr.repository", "Repository path").placeholder("team").help("ECR repositories must exist before the first push.").part(),
        ]),
        ("ecr_public", &[text("registry.ecr_public.alias", "Registry alias").part()]),
        ("artifact_registry", &[
            text("registry.artifact_registry.location", "Location").placeholder("europe-west1").part(),
            text("registry.artifact_registry.project", "Project id").part(),
            text("registry.artifact_registry.repository", "Repository").part(),
        ]),
        ("gcr", &[
            text("registry.gcr.host", "Host").placeholder("gcr.io").part(),
            text("registry.gcr.project", "Project id").part(),
        ]),
        ("docker_hub", &[
            text("registry.docker_hub.namespace", "Namespace (user or organization)").part(),
            text("registry.docker_hub.username", "Username").part(),
        ]),
        ("ghcr", &[
            text("registry.ghcr.owner", "Owner (user or organization)").part(),
            text("registry.ghcr.username", "Username").part(),
        ]),
        ("acr", &[text("registry.acr.name", "Registry name").help("`NAME` in NAME.azurecr.io.").part()]),
        ("quay", &[
            text("registry.quay.host", "Host").placeholder("quay.io").part(),
            text("registry.quay.organization", "Organization").part(),
            text("registry.quay.username", "Robot account or username").part(),
        ]),
        ("gitlab", &[
            text("registry.gitlab.host", "Host").placeholder("registry.gitlab.com").part(),
            text("registry.gitlab.project", "Project path").placeholder("group/project").part(),
            text("registry.gitlab.username", "Username (deploy token user)").part(),
        ]),
        ("*", &[
            text("registry.self_hosted.host", "Host (and port)").placeholder("registry.example.com:5000").part(),
            text("registry.self_hosted.path", "Path under the host").part(),
            text("registry.self_hosted.username", "Username").part(),
            text("registry.self_hosted.ca_cert", "Custom CA certificate path (optional)").kind(TextKind::Optional)
                .help("A PEM file mounted into the executor; Kaniko is given `--registry-certificate`.").part(),
            check("registry.self_hosted.insecure", "Plain HTTP or unverified TLS (insecure)")
                .help("Only for a registry you trust on a private network.").part(),
        ]),
    ]),
];

/// AWS credentials (ECR and ECR Public), relative to the registry.
static AWS_AUTH: &[Part] = &[
    choice(".auth", "How does the step get AWS credentials?", &[
        ch("The instance role or IRSA (Kaniko's ecr-login helper)", "instance_role", Json(r#""instance_role""#)),
        ch("A Buildkite OIDC token federated into an IAM role", "oidc", Json(r#"{"oidc": {"role_arn": "", "lifetime": 3600}}"#)),
        ch("Access keys kept in secrets", "credentials", Json(r#"{"credentials": {"access_key_id": {"env": {"var": "AWS_ACCESS_KEY_ID"}}, "secret_access_key": {"env": {"var": "AWS_SECRET_ACCESS_KEY"}}}}"#)),
    ])
    .part(),
    Part::Switch(".auth", &[
        ("oidc", &[
            text(".auth.oidc.role_arn", "IAM role ARN").placeholder("arn:aws:iam::123456789012:role/buildkite-kaniko")
                .help("The role's trust policy must allow `sts:AssumeRoleWithWebIdentity` from `agent.buildkite.com` with audience `sts.amazonaws.com`.").part(),
            text(".auth.oidc.lifetime", "Token lifetime (seconds)").kind(TextKind::Number).part(),
        ]),
        ("credentials", &[
            secret(".auth.credentials.access_key_id", "Access key id").part(),
            secret(".auth.credentials.secret_access_key", "Secret access key").part(),
        ]),
    ]),
];

/// Google credentials (Artifact Registry and GCR), relative to the registry.
static GCP_AUTH: &[Part] = &[
    choice(".auth", "How does the step get Google credentials?", &[
        ch("GKE workload identity", "workload_identity", Json(r#""workload_identity""#)),
        ch("A Buildkite OIDC token through Workload Identity Federation", "oidc", Json(r#"{"oidc": {"provider": "", "lifetime": 3600}}"#)),
        ch("A service-account key kept in a secret", "key_secret", Json(r#"{"key_secret": {"secret": {"kubernetes": {"name": "gcp-key", "key": "key.json"}}}}"#)),
    ])
    .part(),
    Part::Switch(".auth", &[
        ("oidc", &[
            text(".auth.oidc.provider", "Workload identity provider (full resource name)")
                .placeholder("//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/buildkite/providers/buildkite")
                .help("This full resource name is also the token's audience.").part(),
            text(".auth.oidc.service_account", "Service account to impersonate (optional)").kind(TextKind::Optional).part(),
            text(".auth.oidc.lifetime", "Token lifetime (seconds)").kind(TextKind::Number).part(),
        ]),
        ("key_secret", &[secret(".auth.key_secret.secret", "Service-account key").part()]),
    ]),
];

fn auth_explain() -> AnyView {
    view! {
        <p class="explain">
            "A Buildkite OIDC token is accepted only when its audience is exactly what the receiving service expects, and it lives a few minutes: the generated step mints it right before Kaniko pushes. "
            <a href="https://buildkite.com/docs/package-registries/security/oidc" target="_blank" rel="noopener noreferrer">"Buildkite OIDC docs"</a>
        </p>
    }
    .into_any()
}

fn docker_hub_key() -> AnyView {
    view! {
        <p class="help">"Kaniko looks Docker Hub credentials up under the key " <code>"https://index.docker.io/v1/"</code> "; the generated config.json uses it."</p>
    }
    .into_any()
}

fn no_password_note() -> AnyView {
    view! { <p class="help">"Leave the password unset for a registry without authentication."</p> }.into_any()
}

/// Step 3: authentication and audience.
static AUTH: &[Part] = &[
    Part::Custom(auth_explain),
    Part::Switch("registry", &[
        ("buildkite_packages", &[
            choice("registry.buildkite_packages.auth", "How does the step authenticate?", &[
                ch("A Buildkite OIDC token (recommended)", "oidc", Json(r#""oidc""#)),
                ch("An API access token kept in a secret", "api_token", Json(r#"{"api_token": {"secret": {"buildkite": {"key": "PACKAGES_API_TOKEN"}}}}"#)),
            ])
            .part(),
            Part::Switch("registry.buildkite_packages.auth", &[
                ("oidc", &[
                    text("registry.buildkite_packages.lifetime", "Token lifetime (seconds)").kind(TextKind::Number)
                        .help("The registry rejects tokens whose `exp − iat` is over 300 seconds.").part(),
                    text("registry.buildkite_packages.audience", "Audience override (leave empty)").kind(TextKind::Optional)
                        .help("The right audience is derived from the slugs; set this only to reproduce a problem.").part(),
                ]),
                ("*", &[secret("registry.buildkite_packages.auth.api_token.secret", "API access token (Read Packages + Write Packages)").part()]),
            ]),
        ]),
        ("ecr", &[Part::Include("registry.ecr", AWS_AUTH)]),
        ("ecr_public", &[Part::Include("registry.ecr_public", AWS_AUTH)]),
        ("artifact_registry", &[Part::Include("registry.artifact_registry", GCP_AUTH)]),
        ("gcr", &[Part::Include("registry.gcr", GCP_AUTH)]),
        ("docker_hub", &[secret("registry.docker_hub.token", "Docker Hub access token").part(), Part::Custom(docker_hub_key)]),
        ("ghcr", &[secret("registry.ghcr.token", "GitHub token (write:packages)").part()]),
        ("quay", &[secret("registry.quay.token", "Robot token or password").part()]),
        ("gitlab", &[secret("registry.gitlab.token", "Deploy token (write_registry)").part()]),
        ("acr", &[
            choice("registry.acr.auth", "How does the step authenticate?", &[
                ch("Kaniko's acr-env helper (AZURE_* variables or managed identity)", "acr_env", Json(r#""acr_env""#)),
                ch("A Buildkite OIDC token federated into Entra ID", "oidc", Json(r#"{"oidc": {"tenant_id": "", "client_id": "", "lifetime": 3600}}"#)),
                ch("Username and password", "password", Json(r#"{"password": {"username": "", "password": {"buildkite": {"key": "ACR_PASSWORD"}}}}"#)),
            ])
            .part(),
            Part::Switch("registry.acr.auth", &[
                ("oidc", &[
                    text("registry.acr.auth.oidc.tenant_id", "Tenant id").part(),
                    text("registry.acr.auth.oidc.client_id", "Client (application) id").part(),
                    text("registry.acr.auth.oidc.lifetime", "Token lifetime (seconds)").kind(TextKind::Number).part(),
                ]),
                ("password", &[
                    text("registry.acr.auth.password.username", "Username").part(),
                    secret("registry.acr.auth.password.password", "Password").part(),
                ]),
            ]),
        ]),
        ("*", &[Part::Custom(no_password_note), secret("registry.self_hosted.password", "Password").part()]),
    ]),
];

fn tags() -> AnyView {
    view! { <TagsField/> }.into_any()
}

/// Step 4: the image.
static IMAGE: &[Part] = &[
    text("image.name", "Image name").placeholder("my-app").part(),
    Part::Custom(tags),
    text("image.dockerfile", "Dockerfile").placeholder("Dockerfile").part(),
    text("image.context", "Build context").placeholder(".").part(),
    text("image.context_sub_path", "Context sub-path (optional)").part(),
    text("image.target", "Target stage (optional)").part(),
    text("image.platform", "Platform (optional)").placeholder("linux/amd64").part(),
    text("image.build_args", "Build arguments, one KEY=VALUE per line").kind(TextKind::Lines).part(),
    text("image.labels", "Labels, one KEY=VALUE per line").kind(TextKind::Lines).part(),
];

fn packages_oidc(c: &BuildConfig) -> bool {
    use kaniko_studio_core::config::{PackagesAuth, Registry};
    matches!(&c.registry, Registry::BuildkitePackages(r) if r.auth == PackagesAuth::Oidc)
}

/// The choice that adds the executor pipeline, with the repository on this registry.
fn own_executor(c: &BuildConfig, _key: &str) -> Option<Value> {
    Some(json!({"git_ref": "v1.25.16", "repository": format!("{}/kaniko", c.registry.prefix())}))
}

/// Step 5: Kaniko's options and the extras.
static KANIKO: &[Part] = &[
    choice("kaniko.executor", "Executor image", &[
        ch("gcr.io/kaniko-project/executor:v1.24.0-debug (has a shell)", "google_debug", Json(r#""google_debug""#)),
        ch("gcr.io/kaniko-project/executor:v1.24.0 (no shell)", "google", Json(r#""google""#)),
        ch("Chainguard's executor", "chainguard", Json(r#"{"chainguard": {"tag": "latest", "shell": false}}"#)),
        ch("A custom image", "custom", Json(r#"{"custom": {"reference": "", "shell": true}}"#)),
    ])
    .help("Google's images are frozen at v1.24.0 (the project is archived); Chainguard maintains a fork. On Kubernetes the image must have a shell (`-debug`).")
    .part(),
    Part::Switch("kaniko.executor", &[
        ("chainguard", &[
            text("kaniko.executor.chainguard.tag", "Chainguard tag").part(),
            check("kaniko.executor.chainguard.shell", "This image has a shell").part(),
        ]),
        ("custom", &[
            text("kaniko.executor.custom.reference", "Image reference").part(),
            check("kaniko.executor.custom.shell", "This image has a shell").part(),
        ]),
    ]),
    text("kaniko.digest", "Pin by digest (sha256:…)").kind(TextKind::Optional).part(),
    choice("kaniko.verbosity", "Verbosity", &[
        ch("panic", "panic", Json(r#""panic""#)),
        ch("fatal", "fatal", Json(r#""fatal""#)),
        ch("error", "error", Json(r#""error""#)),
        ch("warn", "warn", Json(r#""warn""#)),
        ch("info", "info", Json(r#""info""#)),
        ch("debug", "debug", Json(r#""debug""#)),
        ch("trace", "trace", Json(r#""trace""#)),
    ])
    .part(),
    check("kaniko.cache", "Layer cache (--cache=true)").part(),
    Part::When(|c| c.kaniko.cache, &[
        text("kaniko.cache_repo", "Cache repository (no tag; empty uses IMAGE/cache)").part(),
        text("kaniko.cache_ttl", "Cache TTL (e.g. 168h)").part(),
    ]),
    check("kaniko.no_push", "Build without pushing (--no-push)").part(),
    check("kaniko.reproducible", "Reproducible images (--reproducible)").part(),
    check("kaniko.single_snapshot", "Single snapshot (--single-snapshot)").part(),
    check("kaniko.skip_unused_stages", "Skip unused stages (--skip-unused-stages)").part(),
    check("kaniko.log_timestamp", "Log timestamps (--log-timestamp)").part(),
    text("kaniko.digest_file", "Digest file (optional)").part(),
    text("kaniko.extra_flags", "Extra executor flags, one per line").kind(TextKind::Lines)
        .help("Checked against Kaniko's real flag list: write booleans as `--flag=true`.").part(),
    Part::Heading("Extras"),
    check("extras.env_switches", "Switches in the step's env (KANIKO_DEBUG=1, KANIKO_VERBOSITY, KANIKO_NO_PUSH=1)").part(),
    Part::When(packages_oidc, &[
        check("extras.refresh_credentials", "Keep the registry token fresh during long builds")
            .help("The Package Registries token lives 5 minutes and Kaniko presents it at the final push. With this, the step mints a new token every 4 minutes while Kaniko runs and rewrites config.json, which Kaniko reads again right before it pushes.")
            .part(),
    ]),
    Part::When(|c| !c.is_kubernetes(), &[
        check("extras.pull_and_run", "After the push, pull the image and run it (with a freshly minted token)").part(),
    ]),
    choice("extras.verify_executor", "Verify the executor image with cosign", &[
        ch("No", "", Remove),
        ch("Google's published key", "google", Json(r#""google""#)),
        ch("My own key", "key", Json(r#"{"key": "cosign.pub"}"#)),
    ])
    .part(),
    choice("extras.build_executor", "Build your own executor from the Chainguard fork", &[
        ch("No", "", Remove),
        ch("Yes: build, push and sign it", "git_ref", Make(own_executor)),
    ])
    .help("Google's Kaniko is archived and the fork publishes no images. This adds `.buildkite/kaniko-executor.yml`: BuildKit builds the executor and debug images from the fork's `deploy/Dockerfile`, pushes them to your registry with this build's credentials and signs them with cosign.")
    .part(),
    Part::When(|c| c.extras.build_executor.is_some(), &[
        text("extras.build_executor.git_ref", "Fork tag to build (e.g. v1.25.16)").part(),
        text("extras.build_executor.repository", "Repository for the executor images (on this registry, no tag)").part(),
        text("extras.build_executor.signing_key", "cosign signing key (file path or KMS URI; empty: no signing)").kind(TextKind::Optional).part(),
    ]),
];

/// Tags: fixed tags and tags from build variables.
#[component]
fn TagsField() -> impl IntoView {
    let state = use_state();
    let has = move |key: &'static str| {
        state.config.with(|c| match fields::get_path(c, "image.tags") {
            Some(Value::Array(items)) => items.iter().any(|t| t == &json!(key)),
            _ => false,
        })
    };
    let toggle = move |key: &'static str, on: bool| {
        state.config.update(|c| {
            let mut tags = match fields::get_path(c, "image.tags") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            };
            tags.retain(|t| t != &json!(key));
            if on {
                tags.push(json!(key));
            }
            fields::set_path(c, "image.tags", Some(Value::Array(tags)));
        });
    };
    let fixed = move || {
        state.config.with(|c| match fields::get_path(c, "image.tags") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|t| t.get("fixed").and_then(Value::as_str).map(str::to_string))
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        })
    };
    let set_fixed = move |text: String| {
        state.config.update(|c| {
            let mut tags: Vec<Value> = match fields::get_path(c, "image.tags") {
                Some(Value::Array(items)) => items.into_iter().filter(|t| t.get("fixed").is_none()).collect(),
                _ => Vec::new(),
            };
            tags.extend(text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(|t| json!({"fixed": t})));
            fields::set_path(c, "image.tags", Some(Value::Array(tags)));
        });
    };
    let diags = fields::diagnostics_for("image.tags");
    let variables = [
        ("build_number", "Build number", "tag-build-number"),
        ("short_commit", "Short commit", "tag-short-commit"),
        ("commit", "Full commit", "tag-commit"),
        ("branch", "Branch", "tag-branch"),
    ];
    view! {
        <fieldset class="field tags" data-path="image.tags">
            <legend>"Tags"</legend>
            <p class="help">"Tags from build variables are expanded when the step runs (written " <code>"$$VAR"</code> " in pipeline.yml)."</p>
            {variables.into_iter().map(|(key, label, id)| view! {
                <span class="check-inline">
                    <input type="checkbox" id=id prop:checked=move || has(key) on:change=move |ev| toggle(key, event_target_checked(&ev))/>
                    <label for=id>{label}</label>
                </span>
            }).collect_view()}
            <label for="tag-fixed">"Fixed tags, comma-separated"</label>
            <input id="tag-fixed" type="text" prop:value=fixed on:change=move |ev| set_fixed(event_target_value(&ev))/>
            <DiagnosticList diagnostics=diags/>
        </fieldset>
    }
}

#[component]
fn ReviewStep(diagnostics: Signal<Vec<kaniko_studio_core::Diagnostic>>) -> impl IntoView {
    let count = move |sev: kaniko_studio_core::Severity| diagnostics.with(|d| d.iter().filter(|d| d.severity == sev).count());
    view! {
        <p>
            {move || {
                let errors = count(kaniko_studio_core::Severity::Error);
                match errors {
                    0 => "The configuration has no errors: the artifacts are ready to paste.".to_string(),
                    1 => "The configuration has 1 error to fix before the artifacts can be generated.".to_string(),
                    n => format!("The configuration has {n} errors to fix before the artifacts can be generated."),
                }
            }}
        </p>
        <DiagnosticList diagnostics=diagnostics/>
        <persist::ConfigTools/>
        <p class="help"><RichText text="The same configuration file works with the command line: `kaniko-studio generate kaniko-studio.yaml --out .`"/></p>
    }
}
