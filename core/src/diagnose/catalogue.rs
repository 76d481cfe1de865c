//! The build-log error catalogue: every pattern is a [`Rule`] (for the rules reference) and a
//! [`Pattern`] (for the matcher), declared once here.
//!
//! Sources: `../shared/reference/kaniko.md` §3.2–§3.4, §5, §6, §7 and §7.1; `buildkite.md` §1.1,
//! §2.6, §3.3; `oidc-federation.md` §3.1.3, §3.2.3, §3.3.3. Needles are lowercase substrings;
//! a pattern matches a line when all needles of any one alternative occur in it and no `not`
//! needle does. `generic` patterns only fire on lines no specific pattern matched;
//! `overrides` hides the listed patterns on the same line.

use super::{Confidence, Pattern, empty_registry_slug, killed_by_the_kernel, lifetime_over_300, placeholder_registry_slug};
use crate::diagnostic::{Rule, Severity};

macro_rules! kaniko {
    ($n:literal) => {
        concat!("https://github.com/GoogleContainerTools/kaniko/issues/", $n)
    };
}

const DOCS_PR: &str = "https://buildkite.com/docs/package-registries/security/oidc";
const DOCS_KANIKO_BK: &str =
    "https://buildkite.com/docs/agent/self-hosted/aws/elastic-ci-stack/ec2-linux-and-windows/kaniko-container-builds";
const DOCS_OIDC: &str = "https://buildkite.com/docs/agent/cli/reference/oidc";
const DOCS_K8S_PODSPEC: &str = "https://buildkite.com/docs/agent/self-hosted/agent-stack-k8s/podspec";
const DOCS_AWS: &str = "https://buildkite.com/docs/pipelines/security/oidc/aws";
const DOCS_AZURE: &str = "https://buildkite.com/docs/pipelines/security/oidc/azure";
const DOCS_GCP_TROUBLE: &str = "https://github.com/google-github-actions/auth/blob/main/docs/TROUBLESHOOTING.md";
const DOCS_AAD: &str = "https://learn.microsoft.com/entra/identity-platform/reference-error-codes";
const DOCS_KANIKO: &str = "https://github.com/GoogleContainerTools/kaniko#readme";

macro_rules! catalogue {
    ($( $id:literal $name:literal $sev:ident $conf:ident {
        summary: $summary:literal,
        why: $why:literal,
        example: $example:literal,
        fix: $fix:literal,
        docs: $docs:expr,
        any: [$([$($needle:literal),+ $(,)?]),+ $(,)?],
        not: [$($not:literal),* $(,)?],
        overrides: [$($ov:literal),* $(,)?],
        generic: $generic:literal,
        $(verify: $verify:path,)?
        causes: [$($cause:literal),+ $(,)?] $(,)?
    })* ) => {
        /// Rules reported by build-log diagnosis (one per pattern).
        pub static RULES: &[Rule] = &[$(Rule {
            id: $id,
            name: reference!($name),
            severity: Severity::$sev,
            // The summary is also a finding's message (diagnose), so it always stays.
            summary: $summary,
            why: reference!($why),
            example: reference!($example),
            fix: reference!($fix),
            docs: $docs,
        }),*];

        /// The matchers, index-aligned with [`RULES`].
        pub(crate) static PATTERNS: &[Pattern] = &[$(Pattern {
            id: $id,
            confidence: Confidence::$conf,
            any: &[$(&[$($needle),+]),+],
            not: &[$($not),*],
            overrides: &[$($ov),*],
            generic: $generic,
            verify: {
                #[allow(unused_variables)]
                let v: fn(&[u8]) -> bool = super::always;
                $(let v: fn(&[u8]) -> bool = $verify;)?
                v
            },
            causes: &[$($cause),+],
        }),*];
    };
}

catalogue! {
    // ---------------------------------------------------------------- registry authentication
    "KS600" "registry-authentication-required" Error High {
        summary: "The registry received no credentials: `UNAUTHORIZED: authentication required`.",
        why: "Kaniko sent the request anonymously, so it found no matching entry in config.json. The push fails before or after the whole build.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for \"registry.example.com/team/app:1\": POST https://registry.example.com/v2/team/app/blobs/uploads/: UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:team/app Type:repository] map[Action:push Class: Name:team/app Type:repository]]",
        fix: "Write the credentials to `/kaniko/.docker/config.json` (the directory in `DOCKER_CONFIG`) under the registry host exactly as in `--destination`; for Docker Hub the key must be `https://index.docker.io/v1/`.",
        docs: kaniko!("1209"),
        any: [["unauthorized: authentication required"], ["anonymous is not permitted"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "config.json is not where Kaniko reads it: `$DOCKER_CONFIG/config.json`, `/kaniko/.docker/config.json` in the official image (writing `/root/.docker/config.json` is ignored)",
            "the `auths` key does not match the registry host (Docker Hub needs `https://index.docker.io/v1/`; org-level keys like `quay.io/org` never match)",
            "a CI variable holding the user or password was empty",
            "the hook or secret that writes config.json did not run or is mounted at another path",
        ],
    }
    "KS601" "ecr-not-authorized" Error High {
        summary: "Amazon ECR answered `401 Unauthorized: Not Authorized`: Kaniko's ECR helper had no AWS credentials.",
        why: "Kaniko hides every credential-helper and federation error; the helper falls back to anonymous and ECR refuses the push.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1\": POST https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/app/blobs/uploads/: unexpected status code 401 Unauthorized: Not Authorized",
        fix: "Give Kaniko AWS credentials: IRSA or `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` with a token whose audience is `sts.amazonaws.com`, or static keys; use the public ECR hostname; avoid Kaniko v1.19.0–v1.19.1.",
        docs: kaniko!("2882"),
        any: [["401 unauthorized: not authorized"], ["status code 401; body: not authorized"]],
        not: ["gcr.io", "pkg.dev"],
        overrides: [],
        generic: false,
        causes: [
            "no AWS credentials reached the helper (no role, no web-identity env, IMDS unreachable)",
            "the web-identity exchange failed silently: the token's audience is not `sts.amazonaws.com`, or the token file expired",
            "wrong account or region in the registry host, or a VPC-endpoint hostname (`vpce-…`) the helper does not recognise",
            "Kaniko v1.19.0–v1.19.1 regression (fixed in v1.19.2)",
        ],
    }
    "KS602" "gcr-not-authorized" Error High {
        summary: "Google Container/Artifact Registry answered `UNAUTHORIZED: Not Authorized`.",
        why: "Kaniko got no Google credentials (or invalid ones) and the token endpoint refused the push.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: creating push check transport for gcr.io failed: GET https://gcr.io/v2/token?scope=repository%3Amy-project%2Fapp%3Apush%2Cpull&service=gcr.io: UNAUTHORIZED: Not Authorized.",
        fix: "Set `GOOGLE_APPLICATION_CREDENTIALS` to a key file or a Workload Identity Federation credential file, or use GKE Workload Identity; avoid Kaniko v1.7.0.",
        docs: kaniko!("1791"),
        any: [["unauthorized: not authorized", "gcr.io"], ["unauthorized: not authorized", "pkg.dev"]],
        not: [],
        overrides: ["KS601"],
        generic: false,
        causes: [
            "`GOOGLE_APPLICATION_CREDENTIALS` unset, or pointing to a file that is not in the container",
            "the Workload Identity exchange failed silently (audience, attribute condition, expired token file)",
            "Kaniko v1.7.0 regression (fixed in v1.8.0)",
        ],
    }
    "KS603" "gar-permission-denied" Error High {
        summary: "Artifact Registry refused the upload: `artifactregistry.repositories.uploadArtifacts` denied.",
        why: "The identity Kaniko used lacks write permission on the repository, or the repository does not exist in that project/region.",
        example: "error pushing image: failed to push to destination europe-docker.pkg.dev/my-project/my-repo/app:1: DENIED: Permission \"artifactregistry.repositories.uploadArtifacts\" denied on resource \"projects/my-project/locations/europe/repositories/my-repo\" (or it may not exist)",
        fix: "Grant `roles/artifactregistry.writer` on the repository to the service account, and check the project, region and repository names in `--destination`.",
        docs: kaniko!("1256"),
        any: [["artifactregistry.repositories.uploadartifacts", "denied"]],
        not: ["unauthenticated request"],
        overrides: [],
        generic: false,
        causes: [
            "the service account lacks `roles/artifactregistry.writer` on the repository",
            "a typo in the project, region or repository of `--destination` (the repository must exist)",
        ],
    }
    "KS604" "gar-unauthenticated" Error High {
        summary: "Artifact Registry received an unauthenticated request.",
        why: "Kaniko sent no Google credentials at all; with Workload Identity Federation this is what a silent exchange failure looks like.",
        example: "DENIED: Unauthenticated request. Unauthenticated requests do not have permission \"artifactregistry.repositories.uploadArtifacts\" on resource \"projects/my-project/locations/europe/repositories/my-repo\" (or it may not exist)",
        fix: "Set `GOOGLE_APPLICATION_CREDENTIALS` inside the Kaniko container and test the token exchange outside Kaniko (Kaniko hides its errors).",
        docs: "https://github.com/GoogleCloudPlatform/generative-ai/issues/693",
        any: [["unauthenticated request", "artifactregistry"]],
        not: [],
        overrides: ["KS603"],
        generic: false,
        causes: [
            "`GOOGLE_APPLICATION_CREDENTIALS` is not set in the Kaniko container or names a missing file",
            "the Workload Identity exchange failed (audience, attribute condition, expired token file, file under /tmp removed between stages)",
        ],
    }
    "KS605" "gcr-storage-denied" Error High {
        summary: "GCR refused the push: the service account lacks Storage permissions.",
        why: "GCR stores images in a Cloud Storage bucket; pushing needs Storage rights on it.",
        example: "DENIED: Token exchange failed for project 'my-project'. Caller does not have permission 'storage.buckets.get'. To configure permissions, follow instructions at: https://cloud.google.com/container-registry/docs/access-control",
        fix: "Grant the service account `roles/storage.admin` (or objectAdmin) on the GCR bucket, or move to Artifact Registry.",
        docs: "https://github.com/GoogleContainerTools/kaniko/pull/622",
        any: [["token exchange failed for project"], ["storage.buckets.get"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the service account has no Storage role on the GCR bucket"],
    }
    "KS606" "harbor-push-unauthorized" Error High {
        summary: "Harbor refused the push: `unauthorized to access repository … action: push`.",
        why: "The account is known but may not push to that project.",
        example: "error pushing image: failed to push to destination harbor.example.com/team/app:1: UNAUTHORIZED: unauthorized to access repository: team/app, action: push: unauthorized to access repository: team/app, action: push",
        fix: "Give the robot account push rights on the project (and make sure the project exists); quote `robot$name` so the shell or YAML does not eat the `$`.",
        docs: kaniko!("2222"),
        any: [["unauthorized to access repository", "push"]],
        not: [],
        overrides: ["KS600"],
        generic: false,
        causes: [
            "the robot account lacks push permission on that project",
            "`$` in `robot$name` was expanded away by the shell, YAML or CI variables",
            "the project does not exist",
        ],
    }
    "KS607" "access-denied" Error Medium {
        summary: "The registry denied access: `requested access to the resource is denied`.",
        why: "Credentials were accepted but may not push to this repository.",
        example: "error pushing image: failed to push to destination index.docker.io/library/app:1: DENIED: requested access to the resource is denied",
        fix: "Push to a namespace you own (`docker.io/<user>/<repo>`, not `library/…`) with a token that has write scope.",
        docs: "https://docs.docker.com/docker-hub/repos/",
        any: [["requested access to the resource is denied"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "the destination lacks your namespace, so Docker Hub reads it as `library/…`",
            "the token or account has read-only access",
        ],
    }
    "KS608" "ghcr-write-package-denied" Error High {
        summary: "GitHub Container Registry denied the write.",
        why: "The token lacks `write:packages`, or the package is not linked to the repository.",
        example: "error pushing image: failed to push to destination ghcr.io/acme/app:1: DENIED: permission_denied: write_package",
        fix: "Use a token with `write:packages` (a classic PAT, or `GITHUB_TOKEN` with `packages: write`), and give the repository access to the package.",
        docs: "https://github.com/hyperledger-firefly/signer/pull/74",
        any: [["permission_denied: write_package"], ["not allowed to write organization package"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "the token lacks `write:packages`",
            "the package is not linked to the repository or grants it no Actions access",
            "an organization policy forbids the write",
        ],
    }
    "KS609" "packages-registry-refused" Error High {
        summary: "Buildkite Package Registries refused the request (401/403).",
        why: "Package Registries accept an OIDC token only if its audience is exactly the registry URL, it lives at most 300 s, has not expired, and an OIDC policy statement grants the scope.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for \"packages.buildkite.com/acme/images/app:1\": POST https://packages.buildkite.com/v2/acme/images/app/blobs/uploads/: UNAUTHORIZED: authentication required",
        fix: "Request the token right before Kaniko with `--audience \"https://packages.buildkite.com/{org}/{registry}\" --lifetime 300`, write it to `/kaniko/.docker/config.json` with username `buildkite`, and check the registry's OIDC policy grants `write_packages`.",
        docs: DOCS_KANIKO_BK,
        any: [["packages.buildkite.com", "unauthorized"], ["packages.buildkite.com", "status code 401"], ["packages.buildkite.com", "status code 403"], ["packages.buildkite.com", "forbidden"], ["packages.buildkite.com", "denied"]],
        not: ["invalid 'aud' claim"],
        overrides: ["KS600", "KS607", "KS646", "KS647", "KS648", "KS649"],
        generic: false,
        causes: [
            "the token's audience is not exactly `https://packages.buildkite.com/{org}/{registry}` (no `--audience`, http, trailing slash, image path, display name, placeholder, empty variable)",
            "the token expired before Kaniko pushed (5-minute default lifetime, long build)",
            "the token lifetime is over 300 s (`--lifetime` too high)",
            "no OIDC policy statement matches the token (issuer, organization/pipeline slug, branch), or the matching one lacks `write_packages`",
            "config.json is not at `/kaniko/.docker/config.json`, the username is not `buildkite`, or the key is not the registry host",
        ],
    }
    "KS610" "manifest-unknown" Error High {
        summary: "A base image or tag does not exist: `MANIFEST_UNKNOWN`.",
        why: "Kaniko could not pull the `FROM` image, so the build stops.",
        example: "error building image: unable to complete operation after 0 attempts, last error: GET https://index.docker.io/v2/library/alpine/manifests/3.99: MANIFEST_UNKNOWN: manifest unknown; unknown tag=3.99",
        fix: "Check the `FROM` image and tag exist for this platform; with `--registry-mirror`, check the mirror has the image (and the `library/` prefix).",
        docs: kaniko!("3427"),
        any: [["manifest_unknown"], ["manifest unknown"]],
        not: ["manifest_blob_unknown"],
        overrides: [],
        generic: false,
        causes: [
            "the base image tag does not exist (typo, deleted tag)",
            "the image has no variant for this platform",
            "a registry mirror lacks the image or the `library/` prefix",
            "a `FROM` stage name that Kaniko resolved as an image (case mismatch)",
        ],
    }
    "KS611" "manifest-blob-unknown" Error Medium {
        summary: "The registry did not have a layer the manifest refers to: `MANIFEST_BLOB_UNKNOWN`.",
        why: "The layers were not uploaded or mounted before the manifest; the push fails at the end.",
        example: "error pushing image: failed to push to destination registry.example.com/app:1: PUT https://registry.example.com/v2/app/manifests/1: MANIFEST_BLOB_UNKNOWN: blob unknown to registry; sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1",
        fix: "Retry with `--push-retry=3`; check for a proxy in between and for cross-registry blob mounts.",
        docs: kaniko!("3164"),
        any: [["manifest_blob_unknown"], ["blob unknown to registry"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "a cross-registry blob mount or foreign layer the registry did not accept",
            "a flaky proxy dropped an upload",
        ],
    }
    "KS612" "repository-does-not-exist" Error High {
        summary: "The repository does not exist: `NAME_UNKNOWN` (ECR does not create repositories on push).",
        why: "ECR and some registries need the repository created before the first push, including `<repo>/cache` for the default cache repo.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1\": POST https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/app/blobs/uploads/: NAME_UNKNOWN: The repository with name 'app' does not exist in the registry with id '123456789012'",
        fix: "Create the repository (and `<repo>/cache` if you use the default cache repo), or set `--cache-repo` to an existing repository.",
        docs: kaniko!("1120"),
        any: [["name_unknown"], ["name unknown", "does not exist"], ["repository with name", "does not exist"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "the repository was not created (ECR does not create it on push)",
            "the default cache repo `<repo>/cache` does not exist",
            "ECR Public: the repository name was used where the URI was expected, or the reverse",
        ],
    }
    // ---------------------------------------------------------------- TLS and network
    "KS613" "tls-unknown-authority" Error High {
        summary: "TLS verification failed: the registry's certificate is signed by an unknown authority.",
        why: "The registry uses a private CA that Kaniko does not trust, or Kaniko runs outside its official image (without `SSL_CERT_DIR`).",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for \"registry.internal:5000/app:1\": Get \"https://registry.internal:5000/v2/\": tls: failed to verify certificate: x509: certificate signed by unknown authority",
        fix: "Pass `--registry-certificate registry.internal:5000=/path/ca.pem`, or append the CA to `/kaniko/ssl/certs/ca-certificates.crt`; for pulls only, `--skip-tls-verify-pull` (note `--skip-tls-verify` covers pushes only).",
        docs: kaniko!("1154"),
        any: [["x509: certificate signed by unknown authority"], ["tls: failed to verify certificate"]],
        not: [],
        overrides: ["KS615"],
        generic: false,
        causes: [
            "the registry uses a private or corporate CA",
            "the Kaniko binary was copied into another image, losing `SSL_CERT_DIR=/kaniko/ssl/certs`",
            "a TLS-intercepting proxy",
        ],
    }
    "KS614" "http-registry" Error High {
        summary: "The registry speaks plain HTTP: `server gave HTTP response to HTTPS client`.",
        why: "Kaniko uses HTTPS unless a registry is marked insecure.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for \"registry.internal:5000/app:1\": Get \"https://registry.internal:5000/v2/\": http: server gave HTTP response to HTTPS client",
        fix: "Add `--insecure-registry registry.internal:5000` (push and pull), or `--insecure` / `--insecure-pull`.",
        docs: kaniko!("925"),
        any: [["server gave http response to https client"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the registry serves plain HTTP and is not listed with `--insecure-registry`"],
    }
    "KS615" "network-unreachable" Error Medium {
        summary: "The registry could not be reached (timeout, DNS or refused connection).",
        why: "Nothing answered; credentials are not the problem yet.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: creating push check transport for registry.internal failed: Get \"https://registry.internal/v2/\": dial tcp 10.0.0.5:443: i/o timeout",
        fix: "Check the registry host and port, DNS, firewall rules, and `HTTPS_PROXY`/`NO_PROXY` in the Kaniko container.",
        docs: kaniko!("1467"),
        any: [["dial tcp", "i/o timeout"], ["dial tcp", "no such host"], ["dial tcp", "connection refused"], ["no route to host"], ["tls handshake timeout"]],
        // Kaniko's retries log the cause first; only the last attempt's error is the failure.
        not: ["retrying operation after"],
        overrides: [],
        generic: false,
        causes: [
            "a typo in the registry host or port",
            "DNS cannot resolve the host from the build pod or instance",
            "a firewall, security group or missing proxy setting blocks the connection",
        ],
    }
    "KS616" "proxy-answered" Error Medium {
        summary: "An HTML or XML 404 page answered instead of the registry API.",
        why: "Something other than the registry (a proxy, a web server, a wrong port) answered `/v2/`.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: creating push check transport for index.docker.io failed: GET https://index.docker.io/v2/: unexpected status code 404 Not Found: <?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        fix: "Check the registry host and port, and any proxy; for Docker Hub use the config key `https://index.docker.io/v1/`.",
        docs: kaniko!("2416"),
        any: [["404 not found", "<?xml"], ["404 not found", "<html"], ["404 not found", "<!doctype"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "a proxy or web server answered instead of the registry",
            "a wrong host or port in the destination",
        ],
    }
    // ---------------------------------------------------------------- credentials and config.json
    "KS617" "credential-helper-missing" Error High {
        summary: "config.json names a credential helper that is not in the Kaniko image.",
        why: "`credsStore`/`credHelpers` route lookups to `docker-credential-<name>`; when it is missing every lookup fails, even for base-image pulls.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: getting credentials: error getting credentials - err: exec: \"docker-credential-desktop\": executable file not found in $PATH, out: ``",
        fix: "Remove `credsStore` (copied from a laptop: `desktop`, `osxkeychain`) or use a helper the image has: `ecr-login`, `gcr`, `acr-env` (not `acr`); the slim image has none.",
        docs: kaniko!("2006"),
        any: [["error getting credentials", "executable file not found"], ["docker-credential-", "executable file not found"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "a laptop config.json with `\"credsStore\": \"desktop\"` or `osxkeychain`",
            "`acr` instead of `acr-env` (renamed in Kaniko v1.8.0)",
            "the slim image, which has no helpers",
        ],
    }
    "KS618" "acr-refresh-token" Error High {
        summary: "The ACR helper could not get an Azure token (`failed to acquire refresh token`).",
        why: "No service principal or federated token was in the environment and the managed-identity endpoint was unreachable.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: failed to acquire refresh token error refreshing sp token - adal: Failed to execute the refresh request. Error = 'context deadline exceeded'",
        fix: "Set `AZURE_CLIENT_ID`, `AZURE_TENANT_ID` and `AZURE_FEDERATED_TOKEN_FILE` (token audience `api://AzureADTokenExchange`) or a client secret, and assign `AcrPush`.",
        docs: kaniko!("2696"),
        any: [["failed to acquire refresh token"], ["adal: failed to execute the refresh request"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "no `AZURE_*` credentials in the Kaniko container and no reachable managed identity",
            "the identity lacks `AcrPush`",
        ],
    }
    "KS619" "gcp-external-account-unsupported" Error High {
        summary: "An old Kaniko cannot read Workload Identity Federation credentials (`unknown credential type: \"external_account\"`).",
        why: "Kaniko ≤ v1.7.0 ran an old `docker-credential-gcr` that does not support `external_account` files.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: docker-credential-gcr/helper: could not retrieve GCR's access token: google: error getting credentials using GOOGLE_APPLICATION_CREDENTIALS environment variable: unknown credential type: \"external_account\"",
        fix: "Use Kaniko v1.8.0 or later (v1.24.0).",
        docs: kaniko!("1889"),
        any: [["unknown credential type", "external_account"]],
        not: [],
        overrides: ["KS719"],
        generic: false,
        causes: ["Kaniko v1.7.0 or older"],
    }
    "KS620" "repository-characters" Error High {
        summary: "An image reference is invalid: `repository can only contain the characters …`.",
        why: "Repository names are lowercase `a-z0-9_-./` without scheme; uppercase letters, `https://`, a leading `/` (empty variable) or a tag in `--cache-repo` break them.",
        example: "error parsing destination: getting tag for destination: repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: registry.example.com/Team/app",
        fix: "Lowercase the repository, drop any scheme, check variables in `--destination` expanded, and keep `--cache-repo` without a tag.",
        docs: kaniko!("2396"),
        any: [["repository can only contain the"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "a variable in `--destination` expanded to nothing (leading or double `/`)",
            "uppercase letters in the repository",
            "a scheme (`https://`) in `--destination`",
            "a tag in `--cache-repo`",
        ],
    }
    "KS621" "tag-characters" Error High {
        summary: "An image tag is invalid: `tag can only contain the characters …`.",
        why: "Tags allow letters, digits, `_`, `-` and `.` only; `/`, `+`, spaces or a trailing newline from a file break them.",
        example: "error parsing destination: tag can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-.ABCDEFGHIJKLMNOPQRSTUVWXYZ`: feature/login",
        fix: "Sanitise the tag (e.g. replace `/` with `-`, strip whitespace).",
        docs: "https://github.com/tektoncd/pipeline/issues/2875",
        any: [["tag can only contain the characters"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "a branch name with `/` used as the tag",
            "`+` (semver build metadata) or whitespace in the tag",
        ],
    }
    // ---------------------------------------------------------------- executor arguments
    "KS622" "destination-missing" Error High {
        summary: "No destination: `you must provide --destination, or use --no-push`.",
        why: "Kaniko needs somewhere to push; an empty variable in `--destination` leaves none.",
        example: "Error: you must provide --destination, or use --no-push",
        fix: "Pass `--destination=<registry>/<repo>:<tag>` and check the variables in it are set when the step runs (`$$VAR` in pipeline.yml).",
        docs: DOCS_KANIKO,
        any: [["you must provide --destination"]],
        not: ["if setting imagename"],
        overrides: [],
        generic: false,
        causes: [
            "`--destination` missing",
            "the variable given to `--destination` was empty (interpolated at pipeline upload time)",
        ],
    }
    "KS623" "dockerfile-not-found" Error High {
        summary: "Kaniko could not find the Dockerfile.",
        why: "`--dockerfile` is resolved against the working directory first, then the context; a wrong base or literal quotes make it miss.",
        example: "Error: error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile",
        fix: "Pass an absolute `--dockerfile` (e.g. `/workspace/build/buildkite/Dockerfile` on Kubernetes) or a path relative to the context; remove quotes inside YAML args.",
        docs: kaniko!("917"),
        any: [["error resolving dockerfile path"], ["please provide a valid path to a dockerfile"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "the path is relative to another directory than you think (working directory vs `--context`)",
            "literal quotes in YAML args (`--dockerfile=\"Dockerfile\"`)",
            "the checkout is elsewhere (`/workspace/build/buildkite` on agent-stack-k8s)",
        ],
    }
    "KS624" "container-detection" Error High {
        summary: "Kaniko did not detect a container and refused to run.",
        why: "Container detection fails on some hosts (cgroup v2, gVisor, some k3d/minikube), and Kaniko stops to protect the host filesystem.",
        example: "kaniko should only be run inside of a container, run with the --force flag if you are sure you want to continue",
        fix: "Add `--force` or set `container=docker` in the environment, if you are sure this is a container.",
        docs: kaniko!("1542"),
        any: [["kaniko should only be run inside of a container"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the host's container runtime is not recognised (common with Kaniko v1.8.0 and cgroup v2)"],
    }
    "KS625" "context-prefix" Error High {
        summary: "Unknown build context prefix.",
        why: "Kaniko supports only `dir://`, `tar://`, `gs://`, `s3://`, `git://` and `https://` contexts.",
        example: "Error: error resolving source context: unknown build context prefix provided, please use one of the following: gs://, dir://, tar://, s3://, git://, https://",
        fix: "Use `dir:///workspace/…` for a local directory (`file://`, `ssh://` and `git@…` are not supported).",
        docs: DOCS_KANIKO,
        any: [["unknown build context prefix"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["`file://`, `ssh://` or `git@…` used as `--context`"],
    }
    "KS626" "filesystem-extract" Error Medium {
        summary: "Kaniko failed to unpack the base image over the filesystem.",
        why: "Kaniko extracts each base image over `/`; mounts over system paths or running outside the official image collide with it.",
        example: "error building image: error building stage: failed to get filesystem from image: error removing /var/run to make way for new symlink: unlinkat /var/run/docker.sock: device or resource busy",
        fix: "Run the official Kaniko image, keep mounts out of system directories (or list them with `--ignore-path`), and retry flaky pulls with `--image-fs-extract-retry`.",
        docs: kaniko!("1021"),
        any: [["failed to get filesystem from image"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "a volume mounted over a path the base image owns (`/var/run/docker.sock`, `/etc`…)",
            "Kaniko running in a non-Kaniko image",
            "a network reset while downloading layers",
        ],
    }
    "KS627" "base-image-without-shell" Error High {
        summary: "A shell-form `RUN` on a base image without `/bin/sh`.",
        why: "Distroless and scratch images have no shell, so `RUN cmd` cannot start.",
        example: "error building image: error building stage: failed to execute command: starting command: fork/exec /bin/sh: no such file or directory",
        fix: "Use exec form (`RUN [\"/app/tool\", \"arg\"]`) with a binary the image has, or a base image with a shell for that stage.",
        docs: kaniko!("823"),
        any: [["starting command", "/bin/sh: no such file"]],
        not: [],
        overrides: ["KS679", "KS628"],
        generic: false,
        causes: ["a distroless or scratch base image with a shell-form `RUN`"],
    }
    "KS628" "run-command-failed" Error Medium {
        summary: "A `RUN` instruction in the Dockerfile failed.",
        why: "Kaniko stops when a `RUN` command exits non-zero; the real error is printed above this line.",
        example: "error building image: error building stage: failed to execute command: waiting for process to exit: exit status 127",
        fix: "Read the output just above this line: it is the `RUN` command's own error.",
        docs: DOCS_KANIKO,
        any: [["waiting for process to exit: exit status"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the Dockerfile's `RUN` command failed (missing tool, test failure, network)"],
    }
    "KS629" "copy-source-missing" Error High {
        summary: "A `COPY`/`ADD` source is not in the build context.",
        why: "Sources must be inside `--context` and not excluded by `.dockerignore`.",
        example: "error building image: error building stage: failed to get files used from context: failed to get fileinfo for /workspace/build/buildkite/dist/app: lstat /workspace/build/buildkite/dist/app: no such file or directory",
        fix: "Check `--context` points at the checkout (`dir:///workspace/build/buildkite` on agent-stack-k8s), that the file exists, and that `.dockerignore` does not exclude it.",
        docs: kaniko!("1723"),
        any: [["failed to get files used from context"], ["copy failed: no source files specified"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "`--context` is not the directory you think",
            "the file is produced by an earlier step and was not downloaded as an artifact",
            "`.dockerignore` excludes it",
        ],
    }
    "KS630" "run-mount-unsupported" Error High {
        summary: "`RUN --mount` is not understood by this Kaniko.",
        why: "Kaniko before v1.8.0 rejects BuildKit's `--mount`; later versions parse but ignore it.",
        example: "error building image: parsing dockerfile: Dockerfile parse error line 5: Unknown flag: mount",
        fix: "Remove `RUN --mount` or upgrade Kaniko (the mount is still ignored; the osscontainertools fork implements cache mounts).",
        docs: kaniko!("969"),
        any: [["unknown flag: mount"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["Kaniko older than v1.8.0 with a BuildKit `RUN --mount` Dockerfile"],
    }
    "KS631" "docker-hub-rate-limit" Error High {
        summary: "Docker Hub's anonymous pull rate limit was reached (`TOOMANYREQUESTS`).",
        why: "Anonymous pulls from shared CI IPs hit the limit quickly.",
        example: "error building image: GET https://index.docker.io/v2/library/node/manifests/20: TOOMANYREQUESTS: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit",
        fix: "Authenticate pulls (config.json key `https://index.docker.io/v1/`) or use `--registry-mirror mirror.gcr.io`.",
        docs: kaniko!("2399"),
        any: [["toomanyrequests"], ["reached your pull rate limit"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["anonymous Docker Hub pulls from shared CI addresses"],
    }
    "KS632" "out-of-memory" Error Medium {
        summary: "The build ran out of memory (killed, exit 137).",
        why: "Snapshotting large filesystems and compressing layers use a lot of memory; the kernel kills Kaniko at the limit.",
        example: "fatal error: runtime: out of memory",
        fix: "Raise the memory limit, or try `--compressed-caching=false`, `--snapshot-mode=redo`, `--single-snapshot`.",
        docs: kaniko!("1680"),
        any: [["runtime: out of memory"], ["oomkilled"], ["exit status 137"], ["exited with status 137"], ["exit code 137"], ["killed", "/kaniko/executor"], ["killed"]],
        not: [],
        overrides: ["KS628"],
        generic: false,
        verify: killed_by_the_kernel,
        causes: [
            "the pod or container memory limit is too low for the image",
            "compressed caching of large layers",
        ],
    }
    "KS633" "cache-upload-failed" Warning High {
        summary: "Kaniko could not push a layer to the cache repository (the build goes on uncached).",
        why: "Cache failures are warnings: the build succeeds but the cache never hits.",
        example: "WARN[0042] Error uploading layer to cache: failed to push to destination packages.buildkite.com/acme/images/app/cache:8f2c…: UNAUTHORIZED: authentication required",
        fix: "Give `--cache-repo` as `host/path` without a tag, in a registry the credentials cover; on Docker Hub and ECR the default `<repo>/cache` needs its own repository.",
        docs: kaniko!("2220"),
        any: [["error uploading layer to cache"]],
        not: [],
        overrides: ["KS620", "KS600", "KS609", "KS646", "KS647", "KS648", "KS649"],
        generic: false,
        causes: [
            "`--cache-repo` has a tag (it must be `host/path` only)",
            "the cache repository is in a registry with no credentials in config.json",
            "the default `<destination>/cache` repository does not exist or nested repositories are not allowed (Docker Hub, ECR)",
        ],
    }
    "KS634" "cache-retrieve-failed" Warning Medium {
        summary: "Kaniko could not read from the cache repository (the build goes on uncached).",
        why: "Cache lookups use the same credentials; a failure makes every build rebuild every layer.",
        example: "WARN[0003] Error while retrieving image from cache: getting file info: stat /cache/sha256:4f2a: no such file or directory",
        fix: "Check `--cache-repo` (no tag) and that config.json has credentials for its registry; populate `--cache-dir` with the warmer if you use one.",
        docs: kaniko!("616"),
        any: [["error while retrieving image from cache"]],
        not: [],
        overrides: ["KS620", "KS600", "KS609", "KS610", "KS646", "KS647", "KS648", "KS649"],
        generic: false,
        causes: [
            "no credentials for the cache registry",
            "a bare host as `--cache-repo` parsed as a Docker Hub repository",
            "an empty `--cache-dir` (run the warmer first)",
        ],
    }
    "KS635" "snapshot-timeout" Error High {
        summary: "Snapshotting the filesystem timed out.",
        why: "Kaniko walks the whole filesystem after each instruction; huge trees exceed the 90-minute default.",
        example: "Timed out snapshotting FS in 90m0s",
        fix: "Exclude big paths with `--ignore-path`, or raise `SNAPSHOT_TIMEOUT_DURATION`.",
        docs: DOCS_KANIKO,
        any: [["timed out snapshotting fs"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a very large filesystem (mounted caches, node_modules) in the build container"],
    }
    "KS636" "unknown-flag" Error Medium {
        summary: "Kaniko does not know a flag.",
        why: "The flag does not exist in this Kaniko version or fork, or a flag and its value were passed as one argument with a space.",
        example: "Error: unknown flag: --registry-certificate my.registry.com",
        fix: "Write `--flag=value` as one argument (no space inside), and check the flag exists in your Kaniko version (`--annotation` is Chainguard-only).",
        docs: kaniko!("1100"),
        any: [["unknown flag: --"], ["unknown shorthand flag"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "flag and value in one YAML list item with a space (`\"--flag value\"`)",
            "a flag from another fork or a newer version",
            "a typo in the flag name",
        ],
    }
    "KS637" "unknown-command" Error Medium {
        summary: "Kaniko received a stray positional argument (`unknown command … for \"executor\"`).",
        why: "Boolean flags take `--flag=true`; `--cache true` leaves `true` as a command. Passing `/kaniko/executor` as an argument to the executor image does the same.",
        example: "Error: unknown command \"true\" for \"executor\"",
        fix: "Write booleans as `--cache=true`; do not repeat `/kaniko/executor` in `args` when it is already the entrypoint.",
        docs: DOCS_KANIKO,
        any: [["unknown command", "executor"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "a boolean flag written with a space (`--cache true`)",
            "`/kaniko/executor` repeated in `args` of an image whose entrypoint is the executor",
        ],
    }
    "KS638" "no-push-needs-cache-repo" Error High {
        summary: "`--no-push` with `--cache` needs `--cache-repo`.",
        why: "Without a destination Kaniko cannot derive the default cache repository.",
        example: "Error: cache flags invalid: if using cache with --no-push, specify cache repo with --cache-repo",
        fix: "Add `--cache-repo=<registry>/<path>` (no tag), or drop `--cache`.",
        docs: DOCS_KANIKO,
        any: [["if using cache with --no-push"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["`--no-push --cache=true` without `--cache-repo`"],
    }
    "KS639" "tar-stdin-without-interactive" Error High {
        summary: "`tar://stdin` context without stdin.",
        why: "The context is read from standard input, which the container did not get.",
        example: "Error: error resolving source context: no data found.. don't forget to add the '--interactive, -i' flag",
        fix: "Run the container with `-i` (`docker run -i`, `kubectl run --stdin`), or use a `dir://` context.",
        docs: DOCS_KANIKO,
        any: [["don't forget to add the '--interactive, -i' flag"], ["no data found.. don't forget"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["`--context tar://stdin` without an attached stdin"],
    }
    "KS640" "git-context-branch" Error High {
        summary: "The git context names a branch or tag that does not exist.",
        why: "`--git branch=` (or `#refs/heads/…`) must name a branch or tag on the remote.",
        example: "Error: error resolving source context: invalid branch: feature/does-not-exist",
        fix: "Check the branch name, or use `#refs/pull/N/head` for pull requests.",
        docs: DOCS_KANIKO,
        any: [["invalid branch:"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the branch or tag does not exist on the remote"],
    }
    "KS641" "aws-profile-missing" Error High {
        summary: "The ECR helper panicked: `AWS_PROFILE` names a profile that is not configured.",
        why: "Kaniko v1.17.0's ECR helper panics when the profile is missing from the mounted AWS config.",
        example: "panic: failed to get shared config profile, ci-push",
        fix: "Mount the AWS config that defines the profile, or unset `AWS_PROFILE`.",
        docs: kaniko!("2808"),
        any: [["failed to get shared config profile"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["`AWS_PROFILE` set without a matching `/root/.aws/config`"],
    }
    "KS642" "remapped-registry-fallback" Warning Medium {
        summary: "A mapped registry or mirror failed; Kaniko fell back to the next one.",
        why: "The mirror lacks the image or credentials; pulls go to the original registry (slower, rate-limited).",
        example: "WARN[0001] Failed to retrieve image library/alpine:3.20 from remapped registry mirror.example.com: GET https://mirror.example.com/v2/library/alpine/manifests/3.20: UNAUTHORIZED. Will try with the next registry, or fallback to the original registry.",
        fix: "Check the mirror host (no scheme), its credentials in config.json and its path prefix.",
        docs: DOCS_KANIKO,
        any: [["from remapped registry"], ["will try with the next registry"]],
        not: [],
        overrides: ["KS600", "KS610", "KS646", "KS647", "KS648", "KS649"],
        generic: false,
        causes: [
            "the mirror lacks the image or the `library/` prefix",
            "no credentials for the mirror host",
        ],
    }
    "KS643" "mapped-registries-exhausted" Error High {
        summary: "No configured mapped registry had the image and fallback is disabled.",
        why: "With `--skip-default-registry-fallback` Kaniko does not try the original registry.",
        example: "error building image: image not found on any configured mapped registries for index.docker.io/library/alpine:3.20",
        fix: "Fix the mirrors, or drop `--skip-default-registry-fallback`.",
        docs: DOCS_KANIKO,
        any: [["not found on any configured mapped registries"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["every mirror in `--registry-map`/`--registry-mirror` failed"],
    }
    "KS644" "registry-flag-scheme" Error High {
        summary: "A registry flag has a scheme: registries must be bare `host[:port]`.",
        why: "`--registry-mirror`, `--registry-map` and `--insecure-registry` take host names, not URLs.",
        example: "Error: registries must be valid RFC 3986 URI authorities: https://mirror.gcr.io",
        fix: "Drop the scheme: `--registry-mirror=mirror.gcr.io`.",
        docs: kaniko!("1472"),
        any: [["registries must be valid rfc 3986 uri authorities"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["`https://` in a registry flag"],
    }
    "KS645" "registry-mirror-failed" Warning Medium {
        summary: "Kaniko could not pull through the registry mirror.",
        why: "Older versions mis-parse some mirror values; pull-through caches need the `library/` segment.",
        example: "WARN[0000] Failed to retrieve image library/alpine:3.20 from registry mirror mirror.example.com/docker-hub: GET https://mirror.example.com/v2/docker-hub/library/alpine/manifests/3.20: NOT_FOUND",
        fix: "Check the mirror value (host and path prefix, no scheme) and that it proxies Docker Hub.",
        docs: kaniko!("2315"),
        any: [["failed to retrieve image", "from registry mirror"]],
        not: [],
        overrides: ["KS600", "KS610", "KS646", "KS647", "KS648", "KS649"],
        generic: false,
        causes: [
            "the mirror path prefix is wrong or contains dots (mis-handled)",
            "an ECR pull-through cache without the `library/` segment",
        ],
    }
    // ---------------------------------------------------------------- generic failures (last resort)
    "KS646" "push-permission-check-failed" Error Low {
        summary: "Kaniko's push-permission check failed before the build.",
        why: "Kaniko checks it may push to each destination before building; the cause is the text after the last colon.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: checking push permission for \"registry.example.com/app:1\": something unexpected",
        fix: "Read the message after `checking push permission for`; check config.json location, key and credentials for that registry.",
        docs: kaniko!("1209"),
        any: [["error checking push permissions"]],
        not: [],
        overrides: [],
        generic: true,
        causes: [
            "no or wrong credentials for the destination registry",
            "a wrong destination (host, repository, tag)",
        ],
    }
    "KS647" "push-failed" Error Low {
        summary: "Kaniko built the image but could not push it.",
        why: "The push happens after the whole build; credentials that expired during the build fail here.",
        example: "error pushing image: failed to push to destination registry.example.com/app:1: something unexpected",
        fix: "Read the message after the destination; if it is an authentication error, check that the token did not expire during the build.",
        docs: DOCS_KANIKO,
        any: [["error pushing image"], ["failed to push to destination"]],
        not: [],
        overrides: [],
        generic: true,
        causes: [
            "credentials that expired while the image was building (short-lived tokens)",
            "missing push permission",
            "a network or proxy problem",
        ],
    }
    "KS648" "http-401" Error Low {
        summary: "A registry or API answered 401 Unauthorized.",
        why: "The request carried no credentials or ones the server did not accept.",
        example: "GET https://registry.example.com/v2/app/manifests/1: unexpected status code 401 Unauthorized",
        fix: "Check the credentials for that host (config.json key and location, token audience and expiry).",
        docs: kaniko!("1209"),
        any: [["status code 401"], ["401 unauthorized"]],
        not: [],
        overrides: ["KS646", "KS647"],
        generic: true,
        causes: [
            "no credentials were found for the host (anonymous request)",
            "an expired or wrong-audience token",
        ],
    }
    "KS649" "http-403" Error Low {
        summary: "A registry or API answered 403 Forbidden.",
        why: "Credentials were accepted but lack the right, or a proxy/WAF refused the request.",
        example: "PUT https://registry.example.com/v2/app/manifests/1: unexpected status code 403 Forbidden",
        fix: "Check the identity's permissions on the repository and any proxy between Kaniko and the registry (`NO_PROXY`).",
        docs: kaniko!("1664"),
        any: [["status code 403"], ["403 forbidden"]],
        not: [],
        overrides: ["KS646", "KS647"],
        generic: true,
        causes: [
            "the identity may read but not write the repository",
            "a proxy, CDN or WAF between Kaniko and the registry refused the upload",
            "a CI job token pushing to another project",
        ],
    }
    "KS650" "ecr-token-expired" Error High {
        summary: "The ECR authorization token expired or is invalid.",
        why: "ECR login tokens last 12 hours and web-identity sessions about 1 hour; a long build outlives them.",
        example: "error pushing image: failed to push to destination 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1: DENIED: Your authorization token has expired. Reauthenticate and try again.",
        fix: "Log in (or mint the web-identity token) right before Kaniko, or let Kaniko's ECR helper fetch credentials itself.",
        docs: kaniko!("3199"),
        any: [["your authorization token has expired"], ["your authorization token is invalid"]],
        not: [],
        overrides: ["KS646", "KS647", "KS648", "KS649"],
        generic: false,
        causes: [
            "a config.json password from `aws ecr get-login-password` older than 12 hours",
            "a web-identity session that expired during a long build",
        ],
    }
    "KS651" "docker-config-invalid" Error High {
        summary: "Kaniko could not read config.json (invalid JSON or a broken `auth` value).",
        why: "A malformed config.json makes every credential lookup fail.",
        example: "error checking push permissions -- make sure you entered the correct tag name, and that you are authenticated correctly, and try again: getting credentials: parsing config file (/kaniko/.docker/config.json): illegal base64 data at input byte 76",
        fix: "Generate `auth` with `printf '%s:%s' \"$USER\" \"$PASS\" | base64 | tr -d '\\n'` (GNU base64 wraps at 76 columns), or use `username`/`password`; validate the JSON.",
        docs: DOCS_KANIKO,
        any: [["parsing config file"], ["illegal base64 data at input byte"], ["invalid auth configuration file"]],
        not: [],
        overrides: ["KS646"],
        generic: false,
        causes: [
            "`base64` wrapped the `auth` value at 76 columns",
            "invalid JSON (unescaped quotes, a shell variable expanded inside)",
            "the decoded `auth` lacks `user:password`",
        ],
    }
    "KS652" "deprecated-flag" Warning High {
        summary: "A Kaniko flag is deprecated.",
        why: "Deprecated flags still work but may be removed; some are hidden from `--help`.",
        example: "Flag --whitelist-var-run has been deprecated, Please use ignore-var-run instead.",
        fix: "Use the replacement the message names (`--snapshot-mode`, `--custom-platform`, `--tar-path`, `--ignore-var-run`).",
        docs: DOCS_KANIKO,
        any: [["flag --", "has been deprecated"], ["is deprecated. use:"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["an old flag spelling (`--snapshotMode`, `--customPlatform`, `--whitelist-var-run`)"],
    }
    "KS653" "flag-key-value" Error High {
        summary: "A key=value flag was given without `=`.",
        why: "`--registry-certificate`, `--registry-client-cert`, `--label` and similar take `KEY=VALUE`.",
        example: "Error: invalid argument \"my.registry.com\" for \"--registry-certificate\" flag: invalid argument value. expect key=value, got my.registry.com",
        fix: "Write `--registry-certificate=my.registry.com=/certs/ca.pem`.",
        docs: DOCS_KANIKO,
        any: [["expect key=value, got"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a map flag without `=` between key and value"],
    }
    "KS654" "duration-unit" Error High {
        summary: "A duration flag has an unknown unit (e.g. `7d`).",
        why: "Go durations use `h`, `m`, `s`; there is no `d`.",
        example: "Error: invalid argument \"7d\" for \"--cache-ttl\" flag: time: unknown unit \"d\" in duration \"7d\"",
        fix: "Write days as hours: `--cache-ttl=168h`.",
        docs: DOCS_KANIKO,
        any: [["time: unknown unit"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["`d` used as a unit in `--cache-ttl` or another duration"],
    }
    "KS655" "client-cert-format" Error High {
        summary: "`--registry-client-cert` has the wrong format.",
        why: "The value must be `host=/path/to/cert,/path/to/key`.",
        example: "Error: failed to load client certificate/key 'my.registry.com=/certs/client.pem', expected format: host=/path/to/cert,/path/to/key",
        fix: "Write `--registry-client-cert=host=/path/cert.pem,/path/key.pem`.",
        docs: DOCS_KANIKO,
        any: [["failed to load client certificate/key"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the key path or the comma is missing"],
    }
    "KS656" "executor-setting-refused" Error High {
        summary: "The executor refused a flag's value before building.",
        why: "Kaniko validates its logging, platform and compression settings first and stops before anything is built or pushed.",
        example: "Error: not a valid log format: \"pretty\". Please specify one of (text, color, json)",
        fix: "Use a value the message lists: `--log-format` text, color or json; `--verbosity` panic … trace; `--custom-platform` as `os/arch[/variant]` (e.g. `linux/amd64`); `--compression` gzip or zstd. `kaniko-studio lint` checks executor flags in a pipeline before it runs.",
        docs: DOCS_KANIKO,
        any: [["not a valid log format"], ["parsing log level"], ["invalid platform \""], ["for \"--compression\" flag"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "a value from another tool (`--log-format=pretty`, `--custom-platform=linux-amd64`, `--compression=lz4`)",
            "a variable that expanded to something unexpected",
        ],
    }
    "KS657" "context-missing" Error High {
        summary: "The executor got no build context: `please specify a path to the build context`.",
        why: "Without `--context` (or with an empty one) Kaniko has nothing to build.",
        example: "Error: error resolving source context: please specify a path to the build context with the --context flag or a bucket with the --bucket flag",
        fix: "Pass `--context=dir:///workspace` (Elastic, with the checkout mounted there) or `--context=dir://$${PWD}` in a Kubernetes command, and check the variables in it are set when the step runs.",
        docs: DOCS_KANIKO,
        any: [["please specify a path to the build context"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["`--context` missing", "a variable in `--context` that was empty (interpolated at pipeline upload time)"],
    }
    "KS658" "digest-file-needs-destination" Error High {
        summary: "A digest file was asked for without a destination.",
        why: "`--image-name-with-digest-file` and `--image-name-tag-with-digest-file` write the pushed image's name, so Kaniko refuses them without `--destination`.",
        example: "Error: you must provide --destination if setting ImageNameDigestFile",
        fix: "Pass `--destination`, or drop the digest-file flag for builds that do not push (`--digest-file` and `--oci-layout-path` work without one).",
        docs: DOCS_KANIKO,
        any: [["you must provide --destination if setting imagename"]],
        not: [],
        overrides: ["KS622"],
        generic: false,
        causes: ["a dry run (`--no-push`) that kept the digest-file flag", "an empty variable in `--destination`"],
    }
    "KS659" "warmer-nothing-to-cache" Error High {
        summary: "The warmer had nothing to cache: no `--image` and no `--dockerfile`.",
        why: "`/kaniko/warmer` needs at least one base image or a Dockerfile to read them from; its short flags differ from the executor's (`-d` is `--dockerfile`, `-c` is `--cache-dir`, `-i` is `--image`).",
        example: "Error: You must select at least one image to cache or a dockerfilepath to parse",
        fix: "Pass the base images (`/kaniko/warmer --cache-dir=/cache --image=alpine:3.20`) or the Dockerfile (`--dockerfile=Dockerfile`, with the same `--build-arg`s as the build).",
        docs: "https://github.com/GoogleContainerTools/kaniko#caching-base-images",
        any: [["must select at least one image to cache"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "only `--cache-dir` given (the images to cache are not read from the build's flags)",
            "an empty variable in `--image`",
        ],
    }
    // ---------------------------------------------------------------- Buildkite agent and OIDC
    "KS670" "invalid-aud-claim" Error High {
        summary: "Package Registries refused the token: `Invalid 'aud' claim`.",
        why: "The token's audience must be exactly `https://packages.buildkite.com/{org}/{registry}`.",
        example: "UNAUTHORIZED: Invalid 'aud' claim",
        fix: "Request the token with `--audience \"https://packages.buildkite.com/{org}/{registry}\"` (slugs, https, no trailing slash, no image path); inspect it with `kaniko-studio token`.",
        docs: DOCS_PR,
        any: [["invalid 'aud' claim"], ["invalid aud claim"], ["oidc audience mismatch"]],
        not: [],
        overrides: ["KS600", "KS609", "KS646", "KS647", "KS648", "KS649"],
        generic: false,
        causes: [
            "`--audience` omitted, so the audience is the default `https://buildkite.com/{org}`",
            "a literal placeholder (`{BUILDKITE_ORGANIZATION_SLUG}`) or an empty variable in the audience",
            "`http://`, a trailing slash, an image path, a display name or capitals in the audience",
            "the token was minted for another registry or service, or the registry was renamed",
        ],
    }
    "KS671" "oidc-lifetime-too-high" Error High {
        summary: "The agent refused the token lifetime: over 7200 seconds.",
        why: "Buildkite caps OIDC token lifetimes at 2 hours.",
        example: "POST https://agent.buildkite.com/v3/jobs/0190c5e4-1234/oidc/tokens: 422 Unprocessable Entity: Requested lifetime too high (requested: 14400 max: 7200)",
        fix: "Use `--lifetime` ≤ 7200 (≤ 300 for Package Registries); for longer builds exchange the token first or re-mint it.",
        docs: "https://buildkite.com/docs/platform/limits",
        any: [["requested lifetime too high"]],
        not: [],
        overrides: ["KS672"],
        generic: false,
        causes: ["`--lifetime` (or a plugin's `duration-seconds`) above 7200"],
    }
    "KS672" "oidc-token-request-failed" Error Medium {
        summary: "`buildkite-agent oidc request-token` failed.",
        why: "Without a token nothing downstream can authenticate.",
        example: "could not obtain OIDC token for audience https://packages.buildkite.com/acme/images: POST https://agent.buildkite.com/v3/jobs/0190c5e4/oidc/tokens: 403 Forbidden",
        fix: "Run `oidc request-token` inside the job (it needs `BUILDKITE_JOB_ID` and the agent token), and read the API error after the colon.",
        docs: DOCS_OIDC,
        any: [["could not obtain oidc token"]],
        not: [],
        overrides: ["KS649", "KS648", "KS609"],
        generic: false,
        causes: [
            "run outside the job's own process (no job id or agent access token)",
            "an API error (lifetime, claims, subject claim)",
        ],
    }
    "KS673" "oidc-redaction-needs-job-api" Error High {
        summary: "The agent could not redact the OIDC token: the Job API is unavailable.",
        why: "Agents ≥ v3.104 redact tokens through the Job API, which exists only in the job's own process (not inside `docker run`).",
        example: "automatic OIDC token redaction requires the Job API, but the Job API client could not be created",
        fix: "Mint the token in the job's own shell (on the host on Elastic CI Stack, in the command container on Kubernetes) and pass it to Kaniko as a file.",
        docs: DOCS_OIDC,
        any: [["redaction requires the job api"], ["failed to create job api client"], ["failed to redact oidc token"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["`buildkite-agent oidc request-token` run inside a container without the Job API socket"],
    }
    "KS674" "oidc-lifetime-negative" Error High {
        summary: "`--lifetime` is negative.",
        why: "The agent accepts only non-negative lifetimes (0 means the default).",
        example: "lifetime -300 must be a non-negative integer",
        fix: "Use `--lifetime 300`.",
        docs: DOCS_OIDC,
        any: [["must be a non-negative integer"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a negative or mis-computed `--lifetime` value"],
    }
    "KS675" "oidc-format-invalid" Error High {
        summary: "`--format` of `oidc request-token` is neither `jwt` nor `gcp`.",
        why: "Only the raw JWT and Google's executable-credential JSON are supported.",
        example: "format \"json\" is not valid. Supported values are 'jwt' and 'gcp'",
        fix: "Use `--format jwt` (the default) or `--format gcp`.",
        docs: DOCS_OIDC,
        any: [["supported values are 'jwt' and 'gcp'"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["an unsupported `--format` value"],
    }
    "KS676" "agent-nonexistent-command" Error Medium {
        summary: "A `buildkite-agent` command that does not exist (`get oidc-token`).",
        why: "Some documentation mentions `buildkite-agent get oidc-token`; the real command is `buildkite-agent oidc request-token`.",
        example: "$ buildkite-agent get oidc-token --audience https://packages.buildkite.com/acme/images",
        fix: "Use `buildkite-agent oidc request-token --audience \"https://packages.buildkite.com/{org}/{registry}\" --lifetime 300`.",
        docs: DOCS_OIDC,
        any: [["buildkite-agent get oidc-token"], ["buildkite-agent oidc get-token"], ["buildkite-agent oidc-token"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a command copied from the agent-stack-k8s Kaniko page"],
    }
    "KS677" "placeholder-in-registry-url" Error High {
        summary: "A Package Registries URL in the log still contains a placeholder.",
        why: "`{BUILDKITE_ORGANIZATION_SLUG}` in braces is not shell syntax; it stays literal, so the audience or destination can never match.",
        example: "$ buildkite-agent oidc request-token --audience \"https://packages.buildkite.com/{BUILDKITE_ORGANIZATION_SLUG}/{PACKAGE_REGISTRY_SLUG}\" --lifetime 300",
        fix: "Replace the placeholders with the slugs, or with `$$VAR` that the shell expands at run time.",
        docs: DOCS_PR,
        any: [["packages.buildkite.com/"]],
        not: [],
        overrides: ["KS609", "KS620"],
        generic: false,
        verify: placeholder_registry_slug,
        causes: ["placeholders copied from documentation were not replaced"],
    }
    "KS678" "empty-slug-in-registry-url" Error High {
        summary: "A Package Registries URL in the log has an empty organization or registry slug.",
        why: "`${VAR}` in pipeline.yml is interpolated at upload time, before step `env` exists, so it becomes empty.",
        example: "INFO[0000] Pushing image to packages.buildkite.com/acme//kaniko-test:latest",
        fix: "Write `$$VAR` in pipeline.yml so the shell expands it when the step runs, or write the slug itself.",
        docs: "https://buildkite.com/docs/agent/cli/reference/pipeline#environment-variable-substitution",
        any: [["packages.buildkite.com/"]],
        not: [],
        overrides: ["KS609", "KS620", "KS677"],
        generic: false,
        verify: empty_registry_slug,
        causes: ["a step-level `env` variable used as `${VAR}` inside `command` or plugin config"],
    }
    "KS679" "container-without-shell" Error Medium {
        summary: "The container has no `/bin/sh` (a Kaniko image without a shell on agent-stack-k8s).",
        why: "agent-stack-k8s runs the step command through `/bin/sh -ec` in the command container; Kaniko's non-debug images have no shell.",
        example: "exec: \"/bin/sh\": stat /bin/sh: no such file or directory",
        fix: "Use a debug image (`gcr.io/kaniko-project/executor:v1.24.0-debug`), which has `/busybox/sh` linked at `/bin/sh`.",
        docs: "https://github.com/buildkite/agent-stack-k8s/issues/222",
        any: [["stat /bin/sh: no such file"], ["exec /bin/sh: no such file"]],
        not: [],
        overrides: [],
        generic: true,
        causes: ["the step's image is `gcr.io/kaniko-project/executor:<version>` without `-debug`"],
    }
    "KS680" "k8s-job-parse-failed" Error High {
        summary: "agent-stack-k8s could not parse the job or its kubernetes plugin.",
        why: "The controller reads the plugin config as JSON; wrong types stop the job before a pod exists.",
        example: "agent-stack-k8s failed to parse the job: failed parsing Kubernetes plugin: json: cannot unmarshal string into Go struct field KubernetesPlugin.podSpecPatch of type v1.PodSpec",
        fix: "Fix the `kubernetes` plugin block (podSpec/podSpecPatch are Kubernetes PodSpecs; `command` must be a list).",
        docs: DOCS_K8S_PODSPEC,
        any: [["agent-stack-k8s failed to parse the job"], ["failed parsing kubernetes plugin"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a wrongly typed field in the plugin config"],
    }
    "KS681" "k8s-podspec-build-failed" Error High {
        summary: "agent-stack-k8s could not build the pod spec for the job.",
        why: "The step's kubernetes config could not be merged into a pod.",
        example: "agent-stack-k8s failed to build a podSpec for the job: podSpecPatch: invalid container name",
        fix: "Read the reason after the colon; check container names (`container-0`) and the patch structure.",
        docs: DOCS_K8S_PODSPEC,
        any: [["failed to build a podspec for the job"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["an invalid podSpecPatch or podSpec"],
    }
    "KS682" "k8s-podspec-rejected" Error High {
        summary: "Kubernetes rejected the pod spec built by agent-stack-k8s.",
        why: "The API server validates the pod; invalid volumes, names or resources stop it.",
        example: "Kubernetes rejected the podSpec built by agent-stack-k8s: Job.batch \"buildkite-0190c5e4\" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"kaniko-docker-config\"",
        fix: "Read the field path in the message; every `volumeMounts` name needs a matching `volumes` entry.",
        docs: DOCS_K8S_PODSPEC,
        any: [["kubernetes rejected the podspec"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a volume mount without a volume, an invalid name, or bad resources"],
    }
    "KS683" "k8s-patch-command-forbidden" Error High {
        summary: "podSpecPatch may not change the command of agent-stack-k8s's own containers.",
        why: "`command`/`args` may only be patched on command containers (`container-N`); agent, checkout and init containers are protected.",
        example: "modifying container commands or args via podSpecPatch is not supported",
        fix: "Put the script in the step's `command:` (it runs in `container-0`), or patch `container-0` by that name.",
        docs: "https://buildkite.com/docs/agent/self-hosted/agent-stack-k8s/overriding-commands",
        any: [["modifying container commands or args via podspecpatch is not supported"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["podSpecPatch sets `command`/`args` on `agent`, `checkout`, `copy-agent` or `imagecheck-*`"],
    }
    "KS684" "k8s-plugin-prohibited" Error High {
        summary: "The controller forbids the kubernetes plugin.",
        why: "The controller runs with `prohibit-kubernetes-plugin`.",
        example: "the kubernetes plugin is prohibited by this controller, but was configured on this job",
        fix: "Remove the `kubernetes` plugin from the step, or ask the cluster admin for a queue that allows it.",
        docs: DOCS_K8S_PODSPEC,
        any: [["the kubernetes plugin is prohibited by this controller"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the controller option `prohibit-kubernetes-plugin: true`"],
    }
    "KS685" "k8s-invalid-interposer" Error High {
        summary: "`commandParams.interposer` is not `buildkite`, `vector` or `legacy`.",
        why: "The interposer decides how `command`/`args` become the shell command.",
        example: "invalid interposer \"bash\", must be one of: [buildkite vector legacy]",
        fix: "Use `buildkite` (default), `vector` or `legacy`.",
        docs: "https://buildkite.com/docs/agent/self-hosted/agent-stack-k8s/overriding-commands",
        any: [["invalid interposer"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a misspelled interposer"],
    }
    "KS686" "k8s-podtemplate-missing" Error High {
        summary: "The podTemplate named in the step does not exist.",
        why: "The controller looks the template up in its own namespace.",
        example: "Error fetching podTemplate \"kaniko\": podtemplates \"kaniko\" not found",
        fix: "Create the PodTemplate in the controller's namespace or fix its name.",
        docs: DOCS_K8S_PODSPEC,
        any: [["error fetching podtemplate"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a typo, or the template is in another namespace"],
    }
    "KS687" "k8s-invalid-image" Error High {
        summary: "agent-stack-k8s found invalid image references in the pod.",
        why: "An image that does not parse (empty variable, uppercase) cannot be pulled.",
        example: "invalid image references",
        fix: "Check the `image:` of the step and podSpecPatch containers; variables there are interpolated at upload time.",
        docs: DOCS_K8S_PODSPEC,
        any: [["invalid image references"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["an empty variable or uppercase in an image reference"],
    }
    "KS688" "oidc-token-without-audience" Warning Medium {
        summary: "`buildkite-agent oidc request-token` runs without `--audience`, so the token has the default audience `https://buildkite.com/{org}`.",
        why: "No registry or cloud accepts the default audience: Package Registries answer `Invalid 'aud' claim`, AWS `Incorrect token audience`, Azure AADSTS700212.",
        example: "$ buildkite-agent oidc request-token --lifetime 300 > /workspace/.oidc/token",
        fix: "Add `--audience` with the destination's value: `https://packages.buildkite.com/{org}/{registry}`, `sts.amazonaws.com`, `api://AzureADTokenExchange` or the GCP provider's full resource name.",
        docs: DOCS_OIDC,
        any: [["oidc request-token"]],
        not: ["--audience", "--help"],
        overrides: [],
        generic: false,
        causes: ["`--audience` was left out of the command"],
    }
    "KS689" "oidc-lifetime-over-300-for-packages" Error High {
        summary: "A token for Package Registries is requested with `--lifetime` over 300 seconds.",
        why: "Package Registries reject tokens whose `exp − iat` is greater than 300 s, although the agent mints up to 7200 s.",
        example: "$ buildkite-agent oidc request-token --audience \"https://packages.buildkite.com/acme/images\" --lifetime 3600",
        fix: "Use `--lifetime 300` (or leave it out: the default is 5 minutes) and mint the token right before Kaniko pushes.",
        docs: DOCS_PR,
        any: [["oidc request-token", "packages.buildkite.com", "--lifetime"]],
        not: [],
        overrides: [],
        generic: false,
        verify: lifetime_over_300,
        causes: ["a lifetime copied from an AWS or GCP recipe, where longer tokens are normal"],
    }
    // ---------------------------------------------------------------- AWS STS
    "KS700" "aws-incorrect-audience" Error High {
        summary: "AWS STS refused the token: `Incorrect token audience`.",
        why: "The token's `aud` must be a client ID of the IAM OIDC provider, normally `sts.amazonaws.com`.",
        example: "An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: Incorrect token audience",
        fix: "Request the token with `--audience sts.amazonaws.com` (or add your audience to the provider's client IDs and the trust policy).",
        docs: DOCS_AWS,
        any: [["incorrect token audience"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "`--audience` omitted (default `https://buildkite.com/{org}`)",
            "a typo such as `sts.amazon.com`",
            "a token minted for another service reused",
        ],
    }
    "KS701" "aws-no-oidc-provider" Error High {
        summary: "AWS has no OIDC provider for `https://agent.buildkite.com` in the role's account.",
        why: "The provider and the role must be in the same account, with exactly that URL.",
        example: "An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: No OpenIDConnect provider found in your account for https://agent.buildkite.com",
        fix: "Create the IAM OIDC provider `https://agent.buildkite.com` (client ID `sts.amazonaws.com`) in the role's account.",
        docs: DOCS_AWS,
        any: [["no openidconnect provider found"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the provider is missing in that account, or its URL differs (trailing slash, path)"],
    }
    "KS702" "aws-assume-role-denied" Error High {
        summary: "AWS refused `AssumeRoleWithWebIdentity`: the trust policy did not match.",
        why: "The role's trust policy conditions (sub, aud, session tags, IP) must all match the token.",
        example: "An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity",
        fix: "Decode the token (`kaniko-studio token`) and compare `sub`, `aud` and the session tags with the trust policy; branches are `ref:refs/heads/main:*`.",
        docs: DOCS_AWS,
        any: [["not authorized to perform sts:assumerolewithwebidentity"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "a `sub` pattern such as `ref:main:*` (real tokens have `ref:refs/heads/main`)",
            "`StringEquals` on the default `sub`, which contains the commit SHA",
            "`aws:RequestTag/*` conditions without `--aws-session-tag`, or `sts:TagSession` missing",
            "the `aud` condition or `Federated` ARN does not match",
        ],
    }
    "KS703" "aws-verification-key" Error Medium {
        summary: "AWS could not fetch the Buildkite signing keys.",
        why: "STS fetches `https://agent.buildkite.com/.well-known/jwks`; timeouts or throttling fail the exchange.",
        example: "An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements",
        fix: "Retry; check that the provider URL is exactly `https://agent.buildkite.com`.",
        docs: "https://repost.aws/knowledge-center/iam-sts-invalididentitytoken",
        any: [["couldn't retrieve verification key"], ["idpcommunicationerror"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a transient JWKS fetch failure (`IDPCommunicationError`)", "a wrong provider URL"],
    }
    "KS704" "aws-token-expired" Error High {
        summary: "AWS refused an expired or too old web-identity token.",
        why: "The token file was written before a long build; AWS re-reads it at every registry call.",
        example: "An error occurred (ExpiredTokenException) when calling the AssumeRoleWithWebIdentity operation: Token expired: current date/time 1624482533 must be before the expiration date/time1624482335",
        fix: "Use `--lifetime` that covers the whole Kaniko run (≤ 7200), or exchange the token before Kaniko and pass temporary keys.",
        docs: DOCS_AWS,
        any: [["expiredtokenexception"], ["token too old"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the token file outlived its `--lifetime` during the build", "a stale token reused"],
    }
    "KS705" "aws-duration-too-long" Error High {
        summary: "The requested AWS session is longer than the role allows.",
        why: "`DurationSeconds` must not exceed the role's MaxSessionDuration.",
        example: "An error occurred (ValidationError) when calling the AssumeRoleWithWebIdentity operation: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        fix: "Lower the session duration or raise the role's MaxSessionDuration.",
        docs: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html",
        any: [["durationseconds exceeds the maxsessionduration"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["`role-session-duration`/`duration-seconds` above the role's maximum"],
    }
    "KS706" "aws-thumbprint" Error Medium {
        summary: "The OIDC provider's thumbprint does not match.",
        why: "A legacy thumbprint on the IAM provider no longer matches the issuer's certificate.",
        example: "An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
        fix: "Update (or remove) the provider's thumbprint list.",
        docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html",
        any: [["doesn't match configured thumbprint"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["an outdated thumbprint on the IAM OIDC provider"],
    }
    "KS707" "aws-idp-rejected-claim" Error High {
        summary: "AWS STS refused the token's claims: `IDPRejectedClaim`.",
        why: "STS says a claim is not valid; for `AssumeRoleWithWebIdentity` that also means the token expired or was revoked.",
        example: "An error occurred (IDPRejectedClaim) when calling the AssumeRoleWithWebIdentity operation: The identity provider reported that authentication failed.",
        fix: "Request a fresh token right before the exchange (`buildkite-agent oidc request-token --audience sts.amazonaws.com`), then decode it (`kaniko-studio token`): `iss` must be `https://agent.buildkite.com` and `exp` in the future.",
        docs: "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html",
        any: [["idprejectedclaim"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "a token requested long before the exchange and expired meanwhile",
            "a token that is not a Buildkite OIDC token (another issuer, or edited)",
        ],
    }
    "KS708" "aws-session-tags-too-large" Error High {
        summary: "AWS refused the session: its tags and session policy are too large (`PackedPolicyTooLarge`).",
        why: "STS packs the session policies and session tags into one limited space; many `--aws-session-tag` claims can fill it.",
        example: "An error occurred (PackedPolicyTooLarge) when calling the AssumeRoleWithWebIdentity operation: Packed policy consumes 112% of allotted space, please use smaller policy.",
        fix: "Request only the session tags the trust policy uses (`--aws-session-tag` with fewer claims), and shorten any session policy.",
        docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html",
        any: [["packedpolicytoolarge"], ["packed policy consumes"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["every claim requested as a session tag", "a long inline session policy"],
    }
    "KS709" "aws-sts-region-disabled" Error High {
        summary: "AWS STS is not activated in the region the exchange used (`RegionDisabled`).",
        why: "Regional STS endpoints must be activated per account; the exchange goes to `AWS_REGION`'s endpoint.",
        example: "An error occurred (RegionDisabledException) when calling the AssumeRoleWithWebIdentity operation: STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console.",
        fix: "Activate STS for that region (IAM → Account settings → Security Token Service endpoints), or set `AWS_REGION` to a region where it is active.",
        docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_enable-regions.html",
        any: [["regiondisabled"], ["sts is not activated in this region"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["an opt-in region, or one deactivated for STS in the account"],
    }
    // ---------------------------------------------------------------- Google Cloud
    "KS710" "gcp-audience-mismatch" Error High {
        summary: "Google STS refused the token: its audience does not match the provider.",
        why: "The token's `aud` must be the provider's full resource name (with or without `https:`) or an allowed audience.",
        example: "oauth2/google: status code 400: {\"error\":\"invalid_grant\",\"error_description\":\"The audience in ID Token [https://buildkite.com/acme] does not match the expected audience.\"}",
        fix: "Request the token with `--audience //iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER`.",
        docs: DOCS_GCP_TROUBLE,
        any: [["does not match the expected audience"]],
        not: [],
        overrides: [],
        generic: false,
        causes: [
            "`--audience` omitted (default `https://buildkite.com/{org}`)",
            "a project ID instead of the project number, or another provider",
        ],
    }
    "KS711" "gcp-invalid-audience-value" Error High {
        summary: "The credential file's `audience` is not a provider's full resource name.",
        why: "Google STS needs `//iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER`.",
        example: "oauth2/google: status code 400: {\"error\":\"invalid_request\",\"error_description\":\"Invalid value for \\\"audience\\\". This value should be the full resource name of the Identity Provider.\"}",
        fix: "Set `audience` in the `external_account` JSON to the provider's full resource name.",
        docs: "https://github.com/google-github-actions/auth/issues/60",
        any: [["invalid value for", "audience"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the pool instead of the provider, a missing `//iam.googleapis.com/` prefix, or an empty value"],
    }
    "KS712" "gcp-invalid-target" Error High {
        summary: "The Workload Identity pool or provider does not exist or is disabled.",
        why: "Google STS cannot find the provider named by the audience.",
        example: "{\"error\":\"invalid_target\",\"error_description\":\"The target service indicated by the \\\"audience\\\" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn't exist.\"}",
        fix: "Check the pool and provider names and project number; re-enable a disabled provider.",
        docs: "https://github.com/google-github-actions/auth/issues/202",
        any: [["invalid_target"]],
        not: [],
        overrides: ["KS711"],
        generic: false,
        causes: ["a wrong pool/provider name or project number", "a disabled or deleted provider"],
    }
    "KS713" "gcp-attribute-condition" Error High {
        summary: "The provider's attribute condition rejected the token.",
        why: "The CEL condition (e.g. on `organization_slug`) evaluated to false.",
        example: "{\"error\":\"unauthorized_client\",\"error_description\":\"The given credential is rejected by the attribute condition.\"}",
        fix: "Compare the condition with the token's claims (`kaniko-studio token`); slugs are lowercase.",
        docs: DOCS_GCP_TROUBLE,
        any: [["rejected by the attribute condition"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a condition on a claim with another value or case", "a condition on an unmapped attribute"],
    }
    "KS714" "gcp-subject-too-long" Error High {
        summary: "The mapped `google.subject` is longer than 127 bytes.",
        why: "The default Buildkite `sub` contains the commit SHA and is usually too long.",
        example: "The size of mapped attribute google.subject exceeds the 127 bytes limit. Either modify your attribute mapping or the incoming assertion to produce a mapped attribute that is less than 127 bytes.",
        fix: "Map `google.subject` from shorter claims, or request the token with `--subject-claim pipeline_id`.",
        docs: DOCS_GCP_TROUBLE,
        any: [["exceeds the 127 bytes limit"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["`google.subject=assertion.sub` with the default compound subject"],
    }
    "KS715" "gcp-issuer-mismatch" Error High {
        summary: "The provider's issuer URI does not match the token's issuer.",
        why: "The issuer must be exactly `https://agent.buildkite.com`.",
        example: "The issuer in ID Token https://agent.buildkite.com does not match the expected ones: https://agent.buildkite.com/",
        fix: "Set `--issuer-uri=https://agent.buildkite.com` on the provider (no trailing slash).",
        docs: DOCS_GCP_TROUBLE,
        any: [["the issuer in id token", "does not match"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a trailing slash or another URL as the provider's issuer"],
    }
    "KS716" "gcp-token-stale" Error High {
        summary: "Google refused a stale token (`is stale to sign-in`).",
        why: "The token in the credential file expired before Google exchanged it again.",
        example: "oauth2/google: status code 400: {\"error\":\"invalid_grant\",\"error_description\":\"ID Token issued at 1749625771 is stale to sign-in.\"}",
        fix: "Refresh the token file, use a longer `--lifetime`, or an executable credential source (`--format gcp`).",
        docs: "https://github.com/googleapis/google-cloud-go/issues/12440",
        any: [["is stale to sign-in"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a token file older than its lifetime"],
    }
    "KS717" "gcp-impersonation-denied" Error High {
        summary: "The federated identity may not impersonate the service account.",
        why: "The pool principal needs `roles/iam.workloadIdentityUser` on the service account.",
        example: "oauth2/google: status code 403: {\"error\":{\"code\":403,\"message\":\"Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).\",\"status\":\"PERMISSION_DENIED\"}}",
        fix: "Grant `roles/iam.workloadIdentityUser` to `principalSet://iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/attribute.pipeline_slug/PIPELINE` on the service account.",
        docs: "https://github.com/google-github-actions/auth/issues/340",
        any: [["iam.serviceaccounts.getaccesstoken"]],
        not: [],
        overrides: ["KS649"],
        generic: false,
        causes: [
            "no `workloadIdentityUser` binding for the matching principal",
            "a project ID instead of the number in the principal",
            "a typo in the service account",
        ],
    }
    "KS718" "gcp-access-token-lifetime" Error High {
        summary: "The requested Google access-token lifetime exceeds 3600 seconds.",
        why: "Longer lifetimes need the org policy `iam.allowServiceAccountCredentialLifetimeExtension`.",
        example: "The access token lifetime cannot exceed 3600 seconds.",
        fix: "Use `token_lifetime_seconds` ≤ 3600, or enable the org policy (up to 12 h).",
        docs: DOCS_GCP_TROUBLE,
        any: [["access token lifetime cannot exceed"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["`token_lifetime_seconds` above 3600 without the org policy"],
    }
    "KS719" "gcr-helper-token-invalid" Error Medium {
        summary: "`docker-credential-gcr` could not get an access token.",
        why: "The helper (used when config.json maps a host to `gcr`) does not work with Workload Identity Federation without impersonation.",
        example: "error getting credentials - err: exit status 1, out: `docker-credential-gcr/helper: could not retrieve GCR's access token: docker-credential-gcr/helper: token was invalid`",
        fix: "Remove the `gcr` credHelper so Kaniko's built-in Google keychain is used, and use service-account impersonation.",
        docs: "https://github.com/GoogleCloudPlatform/docker-credential-gcr/issues/180",
        any: [["could not retrieve gcr's access token"]],
        not: [],
        overrides: ["KS617"],
        generic: false,
        causes: ["config.json routes the host to `docker-credential-gcr`", "WIF without service-account impersonation"],
    }
    "KS720" "gcp-executables-not-allowed" Error High {
        summary: "An executable-sourced Google credential needs `GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1`.",
        why: "Google's client libraries refuse to run credential commands unless explicitly allowed.",
        example: "executables need to be explicitly allowed (set GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES to '1') to run",
        fix: "Set `GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1` in the Kaniko container.",
        docs: "https://google.aip.dev/auth/4117",
        any: [["executables need to be explicitly allowed"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a `credential_source.executable` without the environment variable"],
    }
    "KS721" "gcp-credential-file-missing" Error High {
        summary: "Google's client could not open the Buildkite token file named in the `external_account` credentials.",
        why: "The `credential_source.file` path in the file `GOOGLE_APPLICATION_CREDENTIALS` names is read inside the Kaniko container at every token exchange; if it is not there, no exchange happens and the push is unauthenticated.",
        example: "error getting credentials: oauth2/google/externalaccount: failed to open credential file \"/kaniko/oidc/gcp\"",
        fix: "Write the token (`buildkite-agent oidc request-token --audience <provider resource name>`) to the path in `credential_source.file`, in the container Kaniko runs in: on Elastic mount its directory into `docker run`; on Kubernetes write it under `/kaniko` in the command container.",
        docs: DOCS_GCP_TROUBLE,
        any: [["failed to open credential file"]],
        not: [],
        overrides: ["KS600", "KS603", "KS604", "KS646", "KS647", "KS648"],
        generic: false,
        causes: [
            "the token was written on the host but the directory is not mounted into the Kaniko container",
            "`credential_source.file` names another path than the one the token was written to",
            "the token was never written (the request-token command failed earlier in the log)",
        ],
    }
    // ---------------------------------------------------------------- Azure
    "KS730" "azure-no-matching-fic" Error High {
        summary: "Entra ID found no federated credential matching the token (AADSTS70021).",
        why: "Issuer, subject and audience must all match one federated identity credential.",
        example: "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'https://agent.buildkite.com'. Assertion Subject: 'organization:acme:pipeline:app:ref:refs/heads/main:commit:abc:step:'. Assertion Audience: 'api://AzureADTokenExchange'.",
        fix: "Compare all three with the credential; request the token with `--subject-claim pipeline_id` and set the credential's subject to the pipeline UUID.",
        docs: DOCS_AZURE,
        any: [["aadsts70021"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the compound default subject", "an issuer with a trailing slash", "another audience"],
    }
    "KS731" "azure-issuer-mismatch" Error High {
        summary: "No federated credential has the token's issuer (AADSTS700211).",
        why: "The credential's issuer must be exactly `https://agent.buildkite.com`.",
        example: "AADSTS700211: No matching federated identity record found for presented assertion issuer 'https://agent.buildkite.com'.",
        fix: "Set the federated credential's issuer to `https://agent.buildkite.com`.",
        docs: DOCS_AZURE,
        any: [["aadsts700211"]],
        not: [],
        overrides: ["KS730"],
        generic: false,
        causes: ["a wrong or trailing-slash issuer on the credential"],
    }
    "KS732" "azure-audience-mismatch" Error High {
        summary: "No federated credential has the token's audience (AADSTS700212).",
        why: "Azure expects `api://AzureADTokenExchange` (or the USGov/China variant).",
        example: "AADSTS700212: No matching federated identity record found for presented assertion audience 'https://buildkite.com/acme'.",
        fix: "Request the token with `--audience api://AzureADTokenExchange`.",
        docs: DOCS_AZURE,
        any: [["aadsts700212"]],
        not: [],
        overrides: ["KS730"],
        generic: false,
        causes: ["`--audience` omitted", "the wrong cloud variant"],
    }
    "KS733" "azure-subject-mismatch" Error High {
        summary: "No federated credential has the token's subject (AADSTS700213).",
        why: "Azure matches `sub` exactly; the default Buildkite subject changes with every commit.",
        example: "AADSTS700213: No matching federated identity record found for presented assertion subject 'organization:acme:pipeline:app:ref:refs/heads/main:commit:abc:step:'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.",
        fix: "Request the token with `--subject-claim pipeline_id` and set the credential's subject to the pipeline UUID.",
        docs: DOCS_AZURE,
        any: [["aadsts700213"]],
        not: [],
        overrides: ["KS730"],
        generic: false,
        causes: ["the compound default subject", "a wrong pipeline UUID or another `--subject-claim`"],
    }
    "KS734" "azure-subject-case" Error High {
        summary: "The token's subject differs from the credential only in case (AADSTS7002138).",
        why: "Azure compares subjects case-sensitively.",
        example: "AADSTS7002138: No matching federated identity record found for presented assertion subject. The subject matches a federated identity credential only when case is ignored.",
        fix: "Write the credential's subject with exactly the token's case.",
        docs: "https://github.com/Azure/login/issues/517",
        any: [["aadsts7002138"]],
        not: [],
        overrides: ["KS730", "KS733"],
        generic: false,
        causes: ["a case difference in the subject"],
    }
    "KS735" "azure-assertion-expired" Error High {
        summary: "The token was outside its validity window (AADSTS700024).",
        why: "The Azure helper re-reads the token file at every registry call; it must be valid until the push.",
        example: "AADSTS700024: Client assertion is not within its valid time range. Current time: 2026-01-01T10:30:00Z, assertion valid from 2026-01-01T10:00:00Z, expiry time of assertion 2026-01-01T10:05:00Z.",
        fix: "Use `--lifetime` covering the whole Kaniko run (≤ 7200) or refresh the token file.",
        docs: DOCS_AZURE,
        any: [["aadsts700024"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["the token file expired during the build", "clock skew"],
    }
    "KS736" "azure-app-not-found" Error High {
        summary: "The Azure application was not found in the tenant (AADSTS700016).",
        why: "`AZURE_CLIENT_ID` or `AZURE_TENANT_ID` is wrong.",
        example: "AADSTS700016: Application with identifier '00000000-0000-0000-0000-000000000000' was not found in the directory 'acme'.",
        fix: "Check `AZURE_CLIENT_ID` and `AZURE_TENANT_ID`.",
        docs: DOCS_AZURE,
        any: [["aadsts700016"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["a wrong client ID or tenant"],
    }
    "KS737" "azure-no-fic" Error High {
        summary: "The Azure application has no federated identity credentials (AADSTS70025).",
        why: "Federation needs a credential for issuer `https://agent.buildkite.com`.",
        example: "AADSTS70025: The client '00000000-0000-0000-0000-000000000000'(kaniko) has no configured federated identity credentials.",
        fix: "Add a federated credential: issuer `https://agent.buildkite.com`, subject = the token's `sub`, audience `api://AzureADTokenExchange`.",
        docs: DOCS_AAD,
        any: [["aadsts70025"]],
        not: [],
        overrides: [],
        generic: false,
        causes: ["no federated credential on the app registration"],
    }
    "KS738" "azure-authorization-failed" Error Medium {
        summary: "The Azure identity signed in but has no role that allows the push (`AuthorizationFailed`).",
        why: "Federation worked; the service principal still needs a role on the registry to push.",
        example: "(AuthorizationFailed) The client '00000000-0000-0000-0000-000000000000' with object id '00000000-0000-0000-0000-000000000000' does not have authorization to perform action 'Microsoft.ContainerRegistry/registries/push/write'",
        fix: "Assign the application's service principal `AcrPush` (or, on registries with repository permissions, Repository Writer) on the registry.",
        docs: DOCS_AZURE,
        any: [["authorizationfailed"]],
        not: [],
        overrides: ["KS607", "KS646", "KS647", "KS649"],
        generic: false,
        causes: ["no `AcrPush` role assignment for the service principal on this registry", "the role is assigned on another registry or resource group"],
    }
}
