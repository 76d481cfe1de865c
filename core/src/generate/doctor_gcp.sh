# ---- Google Cloud ----
# Link: the STS token exchange of Workload Identity Federation.
exchange_gcp() {
  url="${KANIKO_DOCTOR_GCP_STS_URL:-https://sts.googleapis.com/v1/token}"
  extra="data-urlencode = \"grant_type=urn:ietf:params:oauth:grant-type:token-exchange\"
data-urlencode = \"requested_token_type=urn:ietf:params:oauth:token-type:access_token\"
data-urlencode = \"subject_token_type=urn:ietf:params:oauth:token-type:jwt\"
data-urlencode = \"scope=https://www.googleapis.com/auth/cloud-platform\"
data-urlencode = \"audience=$(cfg "$1")\"
data-urlencode = \"subject_token=$(cfg "$token")\""
  http POST "$url"
  if [ "$curl_rc" -ne 0 ]; then
    fail exchange "cannot reach Google STS at ${url}: ${curl_err}" "Allow HTTPS from this step to sts.googleapis.com."
  fi
  if [ "$status" = 200 ]; then
    access="$(json_field access_token)"
    pass exchange "Google STS accepted the token for provider $1"
  else
    said="Google STS answered HTTP ${status}: $(json_text error): $(json_text error_description)"
    body="$(tr -d '\n' < "$tmp/body")"
    case "$body" in
      *"does not match the expected audience"*)
        fail exchange "$said (wrong audience: the token's aud is '${aud}')" \
          "Mint the token with --audience $1 (the provider's full resource name), or add '${aud}' to the provider's allowed audiences.";;
      *"Invalid value for \\\"audience\\\""*|*'Invalid value for "audience"'*)
        fail exchange "$said (the provider name is malformed)" \
          "Use the provider's full resource name: //iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER (project number, not ID).";;
      *invalid_target*)
        fail exchange "$said (the pool or provider does not exist or is disabled)" \
          "Check the project number, pool and provider names in $1, and that both are enabled.";;
      *"exceeds the 127 bytes limit"*)
        fail exchange "$said (the mapped google.subject is too long)" \
          "Map google.subject to a short claim (e.g. assertion.pipeline_id), or mint the token with --subject-claim pipeline_id.";;
      *"attribute condition"*|*unauthorized_client*)
        fail exchange "$said (the provider's attribute condition rejects this token)" \
          "Compare the claims printed above (organization_slug, pipeline_slug, build_branch …) with the provider's attribute condition and mapping.";;
      *"issuer in ID Token"*)
        fail exchange "$said (issuer mismatch)" "Set the provider's issuer URI to exactly https://agent.buildkite.com.";;
      *stale*|*xpired*)
        fail exchange "$said (the token expired)" "Mint the token right before it is used, with a longer --lifetime.";;
      *)
        fail exchange "$said" "Compare the claims printed above with the provider $1.";;
    esac
  fi
  if [ -n "$2" ]; then
    url="${KANIKO_DOCTOR_GCP_IAM_URL:-https://iamcredentials.googleapis.com}/v1/projects/-/serviceAccounts/$2:generateAccessToken"
    extra="$(auth_line "Bearer $access")
header = \"Content-Type: application/json\"
data = \"{\\\"scope\\\":[\\\"https://www.googleapis.com/auth/cloud-platform\\\"]}\""
    http POST "$url"
    if [ "$status" != 200 ]; then
      fail impersonation "impersonating $2 failed: HTTP ${status}: $(json_text message)" \
        "Grant roles/iam.workloadIdentityUser on $2 to the federated principal (principal://iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/subject/SUB, or a principalSet for an attribute), and check the service account's email."
    fi
    access="$(json_field accessToken)"
    pass impersonation "the federated identity may act as $2"
  fi
  password="$access"
}

# Link: an access token from the metadata server (GKE Workload Identity or the node's account).
metadata_gcp() {
  url="${KANIKO_DOCTOR_GCP_METADATA_URL:-http://metadata.google.internal}/computeMetadata/v1/instance/service-accounts/default/token"
  extra='header = "Metadata-Flavor: Google"'
  http GET "$url"
  if [ "$status" != 200 ]; then
    fail credentials "no access token from the metadata server (HTTP ${status}${curl_err:+, $curl_err})" \
      "On GKE, enable Workload Identity on the node pool and annotate the agent's Kubernetes service account with the Google service account (iam.gke.io/gcp-service-account), bound with roles/iam.workloadIdentityUser."
  fi
  password="$(json_field access_token)"
  pass credentials "the metadata server issued an access token (not shown)"
}
