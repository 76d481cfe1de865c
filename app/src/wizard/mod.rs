//! The wizard: environment → registry → authentication and audience → image → Kaniko → review,
//! with the artifacts beside it, regenerated on every change.

use kaniko_studio_core::config::BuildConfig;
use kaniko_studio_core::config_file::{REGISTRY_KINDS, StackKind, example_config};
use kaniko_studio_core::generate::generate;
use leptos::prelude::*;
use serde_json::{Value, json};

use crate::state::use_state;
use kaniko_studio_ui::widgets::{DiagnosticList, RichText};

pub mod artifacts;
pub mod fields;
pub mod persist;

use fields::{CheckField, Choice, ChoiceField, TextField, TextKind, WizardDiagnostics, WizardValue, variant_at};

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
    provide_context(WizardValue(Memo::new(move |_| state.config.with(BuildConfig::to_value))));
    let step = RwSignal::new(Step::Environment);

    let step_has_errors = move |s: Step| {
        diagnostics.with(|all| {
            all.iter().any(|d| {
                d.is_error() && d.field.as_deref().is_some_and(|f| s.prefixes().iter().any(|p| f.starts_with(p)))
            })
        })
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
                    <h2>{move || step.get().title()}</h2>
                    {move || match step.get() {
                        Step::Environment => view! { <EnvironmentStep/> }.into_any(),
                        Step::Registry => view! { <RegistryStep/> }.into_any(),
                        Step::Auth => view! { <AuthStep/> }.into_any(),
                        Step::Image => view! { <ImageStep/> }.into_any(),
                        Step::Kaniko => view! { <KanikoStep/> }.into_any(),
                        Step::Review => view! { <ReviewStep diagnostics=diagnostics/> }.into_any(),
                    }}
                    <div class="step-nav">
                        <button type="button" disabled=move || step.get() == Step::Environment
                            on:click=move |_| step.update(|s| if let Some(prev) = s.index().checked_sub(1).and_then(|i| Step::ALL.get(i)) { *s = *prev })>"← Back"</button>
                        <button type="button" class="primary" disabled=move || step.get() == Step::Review
                            on:click=move |_| step.update(|s| if let Some(next) = Step::ALL.get(s.index() + 1) { *s = *next })>"Next →"</button>
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
            <dd><output id="destination">{move || destination().unwrap_or_else(|| "—".into())}</output></dd>
            <dt>"OIDC audience"</dt>
            <dd><output id="audience">{move || audience().unwrap_or_else(|| "none: this registry uses no OIDC token".into())}</output></dd>
        </dl>
    }
}

#[component]
fn EnvironmentStep() -> impl IntoView {
    let stack = variant_at("stack");
    view! {
        <ChoiceField path="stack" label="Where does the step run?"
            help="On the Agent Stack for Kubernetes the step's command runs inside the Kaniko image, so it needs the `-debug` image (it has a shell). On the Elastic CI Stack for AWS a script on the instance mints the token and runs the executor with `docker run`."
            choices=vec![
                Choice { label: "Buildkite Agent Stack for Kubernetes", key: "kubernetes", value: |_| Some(json!({"kubernetes": {}})) },
                Choice { label: "Elastic CI Stack for AWS", key: "elastic", value: |_| Some(json!({"elastic": {}})) },
            ]/>
        {move || if stack.get() == "kubernetes" {
            view! {
                <TextField path="stack.kubernetes.queue" label="Queue" placeholder="kubernetes"/>
                <TextField path="stack.kubernetes.container" label="Command container"
                    help="The `podSpecPatch` patches this container; it must be the step's command container (`container-0` by default), or the controller adds an extra, unmanaged container."/>
            }.into_any()
        } else {
            view! {
                <TextField path="stack.elastic.queue" label="Queue" placeholder="default"/>
                <TextField path="stack.elastic.script" label="Step script path" placeholder=".buildkite/steps/kaniko.sh"/>
                <ChoiceField path="stack.elastic.ecr_access_policy" label="The stack's ECRAccessPolicy parameter"
                    help="Pushing to ECR with the instance role needs `poweruser` or more."
                    choices=vec![
                        Choice { label: "Not set / unknown", key: "", value: |_| None },
                        Choice { label: "none", key: "none", value: |_| Some(json!("none")) },
                        Choice { label: "readonly", key: "readonly", value: |_| Some(json!("readonly")) },
                        Choice { label: "poweruser", key: "poweruser", value: |_| Some(json!("poweruser")) },
                        Choice { label: "poweruser-pullthrough", key: "poweruser-pullthrough", value: |_| Some(json!("poweruser-pullthrough")) },
                        Choice { label: "full", key: "full", value: |_| Some(json!("full")) },
                    ]/>
            }.into_any()
        }}
        <TextField path="max_build_minutes" kind=TextKind::OptionalNumber label="Longest build, in minutes (optional)"
            help="Token lifetimes are checked against it: a Package Registries token lives at most 5 minutes."/>
    }
}

fn registry_choice(label: &'static str, key: &'static str) -> Choice {
    fn make(key: &str) -> impl Fn(&BuildConfig) -> Option<Value> + '_ {
        move |c| example_registry(stack_kind(c), key)
    }
    // Choice holds a plain fn pointer; one per kind, through a small match.
    let value: fn(&BuildConfig) -> Option<Value> = match key {
        "buildkite_packages" => |c| {
            let mut v = make("buildkite_packages")(c)?;
            // Start from empty slugs: the user's own are required.
            if let Some(p) = v.get_mut("buildkite_packages") {
                p["org"] = json!("");
                p["registry"] = json!("");
            }
            Some(v)
        },
        "ecr" => |c| make("ecr")(c),
        "ecr_public" => |c| make("ecr_public")(c),
        "artifact_registry" => |c| make("artifact_registry")(c),
        "gcr" => |c| make("gcr")(c),
        "docker_hub" => |c| make("docker_hub")(c),
        "ghcr" => |c| make("ghcr")(c),
        "acr" => |c| make("acr")(c),
        "quay" => |c| make("quay")(c),
        "gitlab" => |c| make("gitlab")(c),
        _ => |c| make("self_hosted")(c),
    };
    Choice { label, key, value }
}

#[component]
fn RegistryStep() -> impl IntoView {
    let kind = variant_at("registry");
    let labels = [
        ("buildkite_packages", "Buildkite Package Registries"),
        ("ecr", "Amazon ECR"),
        ("ecr_public", "Amazon ECR Public"),
        ("artifact_registry", "Google Artifact Registry"),
        ("gcr", "Google Container Registry (legacy)"),
        ("docker_hub", "Docker Hub"),
        ("ghcr", "GitHub Container Registry"),
        ("acr", "Azure Container Registry"),
        ("quay", "Quay"),
        ("gitlab", "GitLab Container Registry"),
        ("self_hosted", "Self-hosted registry"),
    ];
    debug_assert_eq!(labels.len(), REGISTRY_KINDS.len());
    view! {
        <ChoiceField path="registry" label="Where is the image pushed?"
            help="Changing the registry starts its fields from an example; replace the example values with yours."
            choices=labels.iter().map(|(k, l)| registry_choice(l, k)).collect()/>
        {move || registry_fields(&kind.get())}
    }
}

fn registry_fields(kind: &str) -> AnyView {
    match kind {
        "buildkite_packages" => view! {
            <TextField path="registry.buildkite_packages.org" label="Organization slug" placeholder="acme"
                help="The end of your organization's Buildkite URL: `acme` in https://buildkite.com/acme."/>
            <TextField path="registry.buildkite_packages.registry" label="Registry slug" placeholder="docker-images"
                help="The kebab-case form of the registry's name, as in its URL (not the display name)."/>
            <TextField path="registry.buildkite_packages.pipelines" label="Pipelines that may push (optional)" kind=TextKind::Lines
                placeholder="my-app" help="One pipeline slug per line (`*` and `?` globs allowed). The generated OIDC policy admits only these; empty admits every pipeline of the organization."/>
            <TextField path="registry.buildkite_packages.branches" label="Branches that may push (optional)" kind=TextKind::Lines
                placeholder="main" help="One branch or glob per line, e.g. `main`, `release/*`. Empty admits every branch."/>
        }.into_any(),
        "ecr" => view! {
            <TextField path="registry.ecr.account" label="AWS account id" placeholder="123456789012"/>
            <TextField path="registry.ecr.region" label="Region" placeholder="eu-west-1"/>
            <TextField path="registry.ecr.repository" label="Repository path" placeholder="team"
                help="ECR repositories must exist before the first push."/>
        }.into_any(),
        "ecr_public" => view! { <TextField path="registry.ecr_public.alias" label="Registry alias"/> }.into_any(),
        "artifact_registry" => view! {
            <TextField path="registry.artifact_registry.location" label="Location" placeholder="europe-west1"/>
            <TextField path="registry.artifact_registry.project" label="Project id"/>
            <TextField path="registry.artifact_registry.repository" label="Repository"/>
        }.into_any(),
        "gcr" => view! {
            <TextField path="registry.gcr.host" label="Host" placeholder="gcr.io"/>
            <TextField path="registry.gcr.project" label="Project id"/>
        }.into_any(),
        "docker_hub" => view! {
            <TextField path="registry.docker_hub.namespace" label="Namespace (user or organization)"/>
            <TextField path="registry.docker_hub.username" label="Username"/>
        }.into_any(),
        "ghcr" => view! {
            <TextField path="registry.ghcr.owner" label="Owner (user or organization)"/>
            <TextField path="registry.ghcr.username" label="Username"/>
        }.into_any(),
        "acr" => view! { <TextField path="registry.acr.name" label="Registry name" help="`NAME` in NAME.azurecr.io."/> }.into_any(),
        "quay" => view! {
            <TextField path="registry.quay.host" label="Host" placeholder="quay.io"/>
            <TextField path="registry.quay.organization" label="Organization"/>
            <TextField path="registry.quay.username" label="Robot account or username"/>
        }.into_any(),
        "gitlab" => view! {
            <TextField path="registry.gitlab.host" label="Host" placeholder="registry.gitlab.com"/>
            <TextField path="registry.gitlab.project" label="Project path" placeholder="group/project"/>
            <TextField path="registry.gitlab.username" label="Username (deploy token user)"/>
        }.into_any(),
        _ => view! {
            <TextField path="registry.self_hosted.host" label="Host (and port)" placeholder="registry.example.com:5000"/>
            <TextField path="registry.self_hosted.path" label="Path under the host"/>
            <TextField path="registry.self_hosted.username" label="Username"/>
            <TextField path="registry.self_hosted.ca_cert" kind=TextKind::Optional label="Custom CA certificate path (optional)"
                help="A PEM file mounted into the executor; Kaniko is given `--registry-certificate`."/>
            <CheckField path="registry.self_hosted.insecure" label="Plain HTTP or unverified TLS (insecure)"
                help="Only for a registry you trust on a private network."/>
        }.into_any(),
    }
}

/// Where a secret comes from: a Kubernetes Secret, a Buildkite secret or an env variable.
#[component]
fn SecretField(path: &'static str, #[prop(into)] label: String) -> impl IntoView {
    let kind = variant_at(path);
    let sub = |rest: &str| -> &'static str { fields::intern(format!("{path}.{rest}")) };
    let k8s_name = sub("kubernetes.name");
    let k8s_key = sub("kubernetes.key");
    let bk_key = sub("buildkite.key");
    let env_var = sub("env.var");
    view! {
        <fieldset class="secret">
            <legend>{label}</legend>
            <ChoiceField path=path label="Kept in"
                choices=vec![
                    Choice { label: "A Kubernetes Secret (Kubernetes stack)", key: "kubernetes", value: |_| Some(json!({"kubernetes": {"name": "", "key": ""}})) },
                    Choice { label: "A Buildkite secret", key: "buildkite", value: |_| Some(json!({"buildkite": {"key": ""}})) },
                    Choice { label: "An environment variable (e.g. the S3 secrets bucket)", key: "env", value: |_| Some(json!({"env": {"var": ""}})) },
                ]/>
            {move || match kind.get().as_str() {
                "kubernetes" => view! {
                    <TextField path=k8s_name label="Secret name"/>
                    <TextField path=k8s_key label="Key in the Secret"/>
                }.into_any(),
                "buildkite" => view! { <TextField path=bk_key label="Buildkite secret key"/> }.into_any(),
                _ => view! { <TextField path=env_var label="Variable name"/> }.into_any(),
            }}
        </fieldset>
    }
    .into_any()
}

#[component]
fn AuthStep() -> impl IntoView {
    let kind = variant_at("registry");
    view! {
        <p class="explain">
            "A Buildkite OIDC token is accepted only when its audience is exactly what the receiving service expects, and it lives a few minutes: the generated step mints it right before Kaniko pushes. "
            <a href="https://buildkite.com/docs/package-registries/security/oidc" target="_blank" rel="noopener noreferrer">"Buildkite OIDC docs"</a>
        </p>
        {move || auth_fields(&kind.get())}
    }
}

fn aws_auth(prefix: &'static str) -> AnyView {
    let auth: &'static str = fields::intern(format!("{prefix}.auth"));
    let mode = variant_at(auth);
    let p = move |rest: &str| -> &'static str { fields::intern(format!("{auth}.{rest}")) };
    let (role, lifetime, key_id, secret_key) = (p("oidc.role_arn"), p("oidc.lifetime"), p("credentials.access_key_id"), p("credentials.secret_access_key"));
    view! {
        <ChoiceField path=auth label="How does the step get AWS credentials?"
            choices=vec![
                Choice { label: "The instance role or IRSA (Kaniko's ecr-login helper)", key: "instance_role", value: |_| Some(json!("instance_role")) },
                Choice { label: "A Buildkite OIDC token federated into an IAM role", key: "oidc", value: |_| Some(json!({"oidc": {"role_arn": "", "lifetime": 3600}})) },
                Choice { label: "Access keys kept in secrets", key: "credentials", value: |_| Some(json!({"credentials": {"access_key_id": {"env": {"var": "AWS_ACCESS_KEY_ID"}}, "secret_access_key": {"env": {"var": "AWS_SECRET_ACCESS_KEY"}}}})) },
            ]/>
        {move || match mode.get().as_str() {
            "oidc" => view! {
                <TextField path=role label="IAM role ARN" placeholder="arn:aws:iam::123456789012:role/buildkite-kaniko"
                    help="The role's trust policy must allow `sts:AssumeRoleWithWebIdentity` from `agent.buildkite.com` with audience `sts.amazonaws.com`."/>
                <TextField path=lifetime kind=TextKind::Number label="Token lifetime (seconds)"/>
            }.into_any(),
            "credentials" => view! {
                <SecretField path=key_id label="Access key id"/>
                <SecretField path=secret_key label="Secret access key"/>
            }.into_any(),
            _ => ().into_any(),
        }}
    }.into_any()
}

fn gcp_auth(prefix: &'static str) -> AnyView {
    let auth: &'static str = fields::intern(format!("{prefix}.auth"));
    let mode = variant_at(auth);
    let p = move |rest: &str| -> &'static str { fields::intern(format!("{auth}.{rest}")) };
    let (provider, sa, lifetime, key) = (p("oidc.provider"), p("oidc.service_account"), p("oidc.lifetime"), p("key_secret.secret"));
    view! {
        <ChoiceField path=auth label="How does the step get Google credentials?"
            choices=vec![
                Choice { label: "GKE workload identity", key: "workload_identity", value: |_| Some(json!("workload_identity")) },
                Choice { label: "A Buildkite OIDC token through Workload Identity Federation", key: "oidc", value: |_| Some(json!({"oidc": {"provider": "", "lifetime": 3600}})) },
                Choice { label: "A service-account key kept in a secret", key: "key_secret", value: |_| Some(json!({"key_secret": {"secret": {"kubernetes": {"name": "gcp-key", "key": "key.json"}}}})) },
            ]/>
        {move || match mode.get().as_str() {
            "oidc" => view! {
                <TextField path=provider label="Workload identity provider (full resource name)"
                    placeholder="//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/buildkite/providers/buildkite"
                    help="This full resource name is also the token's audience."/>
                <TextField path=sa kind=TextKind::Optional label="Service account to impersonate (optional)"/>
                <TextField path=lifetime kind=TextKind::Number label="Token lifetime (seconds)"/>
            }.into_any(),
            "key_secret" => view! { <SecretField path=key label="Service-account key"/> }.into_any(),
            _ => ().into_any(),
        }}
    }.into_any()
}

fn auth_fields(kind: &str) -> AnyView {
    match kind {
        "buildkite_packages" => {
            let mode = variant_at("registry.buildkite_packages.auth");
            view! {
                <ChoiceField path="registry.buildkite_packages.auth" label="How does the step authenticate?"
                    choices=vec![
                        Choice { label: "A Buildkite OIDC token (recommended)", key: "oidc", value: |_| Some(json!("oidc")) },
                        Choice { label: "An API access token kept in a secret", key: "api_token", value: |_| Some(json!({"api_token": {"secret": {"buildkite": {"key": "PACKAGES_API_TOKEN"}}}})) },
                    ]/>
                {move || if mode.get() == "oidc" {
                    view! {
                        <TextField path="registry.buildkite_packages.lifetime" kind=TextKind::Number label="Token lifetime (seconds)"
                            help="The registry rejects tokens whose `exp − iat` is over 300 seconds."/>
                        <TextField path="registry.buildkite_packages.audience" kind=TextKind::Optional label="Audience override (leave empty)"
                            help="The right audience is derived from the slugs; set this only to reproduce a problem."/>
                    }.into_any()
                } else {
                    view! { <SecretField path="registry.buildkite_packages.auth.api_token.secret" label="API access token (Read Packages + Write Packages)"/> }.into_any()
                }}
            }.into_any()
        }
        "ecr" => aws_auth("registry.ecr"),
        "ecr_public" => aws_auth("registry.ecr_public"),
        "artifact_registry" => gcp_auth("registry.artifact_registry"),
        "gcr" => gcp_auth("registry.gcr"),
        "docker_hub" => view! {
            <SecretField path="registry.docker_hub.token" label="Docker Hub access token"/>
            <p class="help">"Kaniko looks Docker Hub credentials up under the key " <code>"https://index.docker.io/v1/"</code> "; the generated config.json uses it."</p>
        }.into_any(),
        "ghcr" => view! { <SecretField path="registry.ghcr.token" label="GitHub token (write:packages)"/> }.into_any(),
        "quay" => view! { <SecretField path="registry.quay.token" label="Robot token or password"/> }.into_any(),
        "gitlab" => view! { <SecretField path="registry.gitlab.token" label="Deploy token (write_registry)"/> }.into_any(),
        "acr" => {
            let mode = variant_at("registry.acr.auth");
            view! {
                <ChoiceField path="registry.acr.auth" label="How does the step authenticate?"
                    choices=vec![
                        Choice { label: "Kaniko's acr-env helper (AZURE_* variables or managed identity)", key: "acr_env", value: |_| Some(json!("acr_env")) },
                        Choice { label: "A Buildkite OIDC token federated into Entra ID", key: "oidc", value: |_| Some(json!({"oidc": {"tenant_id": "", "client_id": "", "lifetime": 3600}})) },
                        Choice { label: "Username and password", key: "password", value: |_| Some(json!({"password": {"username": "", "password": {"buildkite": {"key": "ACR_PASSWORD"}}}})) },
                    ]/>
                {move || match mode.get().as_str() {
                    "oidc" => view! {
                        <TextField path="registry.acr.auth.oidc.tenant_id" label="Tenant id"/>
                        <TextField path="registry.acr.auth.oidc.client_id" label="Client (application) id"/>
                        <TextField path="registry.acr.auth.oidc.lifetime" kind=TextKind::Number label="Token lifetime (seconds)"/>
                    }.into_any(),
                    "password" => view! {
                        <TextField path="registry.acr.auth.password.username" label="Username"/>
                        <SecretField path="registry.acr.auth.password.password" label="Password"/>
                    }.into_any(),
                    _ => ().into_any(),
                }}
            }.into_any()
        }
        _ => view! {
            <p class="help">"Leave the password unset for a registry without authentication."</p>
            <SecretField path="registry.self_hosted.password" label="Password"/>
        }.into_any(),
    }
}

#[component]
fn ImageStep() -> impl IntoView {
    view! {
        <TextField path="image.name" label="Image name" placeholder="my-app"/>
        <TagsField/>
        <TextField path="image.dockerfile" label="Dockerfile" placeholder="Dockerfile"/>
        <TextField path="image.context" label="Build context" placeholder="."/>
        <TextField path="image.context_sub_path" label="Context sub-path (optional)"/>
        <TextField path="image.target" label="Target stage (optional)"/>
        <TextField path="image.platform" label="Platform (optional)" placeholder="linux/amd64"/>
        <TextField path="image.build_args" kind=TextKind::Lines label="Build arguments, one KEY=VALUE per line"/>
        <TextField path="image.labels" kind=TextKind::Lines label="Labels, one KEY=VALUE per line"/>
    }
}

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
fn KanikoStep() -> impl IntoView {
    let state = use_state();
    let executor = variant_at("kaniko.executor");
    let is_elastic = move || state.config.with(|c| !c.is_kubernetes());
    let cache = move || state.config.with(|c| c.kaniko.cache);
    let own_executor = move || state.config.with(|c| c.extras.build_executor.is_some());
    let packages_oidc = move || {
        state.config.with(|c| matches!(&c.registry, kaniko_studio_core::config::Registry::BuildkitePackages(r) if r.auth == kaniko_studio_core::config::PackagesAuth::Oidc))
    };
    view! {
        <ChoiceField path="kaniko.executor" label="Executor image"
            help="Google's images are frozen at v1.24.0 (the project is archived); Chainguard maintains a fork. On Kubernetes the image must have a shell (`-debug`)."
            choices=vec![
                Choice { label: "gcr.io/kaniko-project/executor:v1.24.0-debug (has a shell)", key: "google_debug", value: |_| Some(json!("google_debug")) },
                Choice { label: "gcr.io/kaniko-project/executor:v1.24.0 (no shell)", key: "google", value: |_| Some(json!("google")) },
                Choice { label: "Chainguard's executor", key: "chainguard", value: |_| Some(json!({"chainguard": {"tag": "latest", "shell": false}})) },
                Choice { label: "A custom image", key: "custom", value: |_| Some(json!({"custom": {"reference": "", "shell": true}})) },
            ]/>
        {move || match executor.get().as_str() {
            "chainguard" => view! {
                <TextField path="kaniko.executor.chainguard.tag" label="Chainguard tag"/>
                <CheckField path="kaniko.executor.chainguard.shell" label="This image has a shell"/>
            }.into_any(),
            "custom" => view! {
                <TextField path="kaniko.executor.custom.reference" label="Image reference"/>
                <CheckField path="kaniko.executor.custom.shell" label="This image has a shell"/>
            }.into_any(),
            _ => ().into_any(),
        }}
        <TextField path="kaniko.digest" kind=TextKind::Optional label="Pin by digest (sha256:…)"/>
        <ChoiceField path="kaniko.verbosity" label="Verbosity"
            choices=["panic", "fatal", "error", "warn", "info", "debug", "trace"].into_iter().map(verbosity_choice).collect()/>
        <CheckField path="kaniko.cache" label="Layer cache (--cache=true)"/>
        {move || cache().then(|| view! {
            <TextField path="kaniko.cache_repo" label="Cache repository (no tag; empty uses IMAGE/cache)"/>
            <TextField path="kaniko.cache_ttl" label="Cache TTL (e.g. 168h)"/>
        })}
        <CheckField path="kaniko.no_push" label="Build without pushing (--no-push)"/>
        <CheckField path="kaniko.reproducible" label="Reproducible images (--reproducible)"/>
        <CheckField path="kaniko.single_snapshot" label="Single snapshot (--single-snapshot)"/>
        <CheckField path="kaniko.skip_unused_stages" label="Skip unused stages (--skip-unused-stages)"/>
        <CheckField path="kaniko.log_timestamp" label="Log timestamps (--log-timestamp)"/>
        <TextField path="kaniko.digest_file" label="Digest file (optional)"/>
        <TextField path="kaniko.extra_flags" kind=TextKind::Lines label="Extra executor flags, one per line"
            help="Checked against Kaniko's real flag list: write booleans as `--flag=true`."/>
        <h3>"Extras"</h3>
        <CheckField path="extras.env_switches" label="Switches in the step's env (KANIKO_DEBUG=1, KANIKO_VERBOSITY, KANIKO_NO_PUSH=1)"/>
        {move || packages_oidc().then(|| view! {
            <CheckField path="extras.refresh_credentials" label="Keep the registry token fresh during long builds"
                help="The Package Registries token lives 5 minutes and Kaniko presents it at the final push. With this, the step mints a new token every 4 minutes while Kaniko runs and rewrites config.json, which Kaniko reads again right before it pushes."/>
        })}
        {move || is_elastic().then(|| view! {
            <CheckField path="extras.pull_and_run" label="After the push, pull the image and run it (with a freshly minted token)"/>
        })}
        <ChoiceField path="extras.verify_executor" label="Verify the executor image with cosign"
            choices=vec![
                Choice { label: "No", key: "", value: |_| None },
                Choice { label: "Google's published key", key: "google", value: |_| Some(json!("google")) },
                Choice { label: "My own key", key: "key", value: |_| Some(json!({"key": "cosign.pub"})) },
            ]/>
        <ChoiceField path="extras.build_executor" label="Build your own executor from the Chainguard fork"
            help="Google's Kaniko is archived and the fork publishes no images. This adds `.buildkite/kaniko-executor.yml`: BuildKit builds the executor and debug images from the fork's `deploy/Dockerfile`, pushes them to your registry with this build's credentials and signs them with cosign."
            choices=vec![
                Choice { label: "No", key: "", value: |_| None },
                Choice { label: "Yes: build, push and sign it", key: "git_ref", value: |c| Some(json!({"git_ref": "v1.25.16", "repository": format!("{}/kaniko", c.registry.prefix())})) },
            ]/>
        {move || own_executor().then(|| view! {
            <TextField path="extras.build_executor.git_ref" label="Fork tag to build (e.g. v1.25.16)"/>
            <TextField path="extras.build_executor.repository" label="Repository for the executor images (on this registry, no tag)"/>
            <TextField path="extras.build_executor.signing_key" kind=TextKind::Optional label="cosign signing key (file path or KMS URI; empty: no signing)"/>
        })}
    }
}

fn verbosity_choice(level: &'static str) -> Choice {
    let value: fn(&BuildConfig) -> Option<Value> = match level {
        "panic" => |_| Some(json!("panic")),
        "fatal" => |_| Some(json!("fatal")),
        "error" => |_| Some(json!("error")),
        "warn" => |_| Some(json!("warn")),
        "debug" => |_| Some(json!("debug")),
        "trace" => |_| Some(json!("trace")),
        _ => |_| Some(json!("info")),
    };
    Choice { label: level, key: level, value }
}

#[component]
fn ReviewStep(diagnostics: Signal<Vec<kaniko_studio_core::Diagnostic>>) -> impl IntoView {
    let count = move |sev: kaniko_studio_core::Severity| diagnostics.with(|d| d.iter().filter(|d| d.severity == sev).count());
    view! {
        <p>
            {move || {
                let errors = count(kaniko_studio_core::Severity::Error);
                if errors == 0 {
                    "No errors: the artifacts are ready to paste.".to_string()
                } else {
                    format!("{errors} error(s) to fix before the artifacts can be generated.")
                }
            }}
        </p>
        <DiagnosticList diagnostics=diagnostics/>
        <persist::ConfigTools/>
        <p class="help"><RichText text="The same configuration file works with the command line: `kaniko-studio generate kaniko-studio.yaml --out .`"/></p>
    }
}
