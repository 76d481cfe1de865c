# ---- AWS ----
# Link: AssumeRoleWithWebIdentity, the unsigned STS call the ECR helper makes with the token.
exchange_aws() {
  url="${KANIKO_DOCTOR_AWS_STS_URL:-https://sts.amazonaws.com/}"
  extra="data-urlencode = \"Action=AssumeRoleWithWebIdentity\"
data-urlencode = \"Version=2011-06-15\"
data-urlencode = \"RoleArn=$(cfg "$1")\"
data-urlencode = \"RoleSessionName=kaniko-doctor\"
data-urlencode = \"WebIdentityToken=$(cfg "$token")\""
  http POST "$url"
  if [ "$curl_rc" -ne 0 ]; then
    fail exchange "cannot reach AWS STS at ${url}: ${curl_err}" \
      "Allow HTTPS from this step to sts.amazonaws.com (or the regional STS endpoint)."
  fi
  if [ "$status" = 200 ]; then
    AWS_ACCESS_KEY_ID="$(xml_field AccessKeyId)"
    AWS_SECRET_ACCESS_KEY="$(xml_field SecretAccessKey)"
    AWS_SESSION_TOKEN="$(xml_field SessionToken)"
    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
    unset AWS_PROFILE
    pass exchange "AssumeRoleWithWebIdentity gave credentials for $(xml_field Arn)"
    return
  fi
  code="$(xml_field Code)"
  msg="$(xml_field Message)"
  said="STS answered HTTP ${status}: ${code:-no code}: ${msg:-$(head -c 200 "$tmp/body" | tr -d '\000-\037')}"
  case "$code: $msg" in
    *"Incorrect token audience"*)
      fail exchange "$said (wrong audience: the token's aud is '${aud}')" \
        "Mint the token with --audience sts.amazonaws.com, or add '${aud}' to the IAM OIDC provider's audiences (client IDs) and to the role's agent.buildkite.com:aud condition.";;
    *"No OpenIDConnect provider found"*)
      fail exchange "$said (the identity provider is missing)" \
        "Create an IAM OIDC identity provider for https://agent.buildkite.com (exactly, no trailing slash) with audience sts.amazonaws.com in the role's account ($1).";;
    *"verification key"*|IDPCommunicationError*)
      fail exchange "$said (STS could not fetch Buildkite's signing keys)" \
        "Retry; if it persists, check that https://agent.buildkite.com/.well-known/jwks is reachable from AWS.";;
    ExpiredToken*|*"Token expired"*|*"too old"*)
      fail exchange "$said (the token expired)" \
        "Mint the token right before it is used, with a --lifetime that covers the whole build (at most 7200 s).";;
    AccessDenied*)
      fail exchange "$said (no statement of the role's trust policy matches this token)" \
        "Compare the sub and aud printed above with the trust policy of $1: its agent.buildkite.com:sub pattern (real subs contain ref:refs/heads/BRANCH), its agent.buildkite.com:aud value, any aws:RequestTag or aws:SourceIp condition, and that the Federated principal is the oidc-provider/agent.buildkite.com of the role's account.";;
    *MaxSessionDuration*)
      fail exchange "$said" "Lower the session duration, or raise the role's MaxSessionDuration.";;
    *)
      fail exchange "$said" "Look the code up in the AssumeRoleWithWebIdentity API reference; the role is $1.";;
  esac
}

# Link: the ECR password, fetched with the aws CLI (a signed call), as the ECR helper does.
login_password_ecr() {
  if ! command -v aws > /dev/null 2>&1; then
    skip login "the aws CLI is not in this image, so the ECR password (a signed call) cannot be fetched here"
    finish warning login
  fi
  if [ "$2" = public ]; then
    password="$(aws ecr-public get-login-password --region us-east-1 2> "$tmp/err")"
  else
    password="$(aws ecr get-login-password --region "$1" 2> "$tmp/err")"
  fi
  if [ -z "$password" ]; then
    err="$(head -c 300 "$tmp/err" | tr -d '\r' | tr '\n' ' ')"
    fail login "aws ecr get-login-password failed: ${err}" \
      "The credentials ($login_secret) need ecr:GetAuthorizationToken (ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken for ECR Public)."
  fi
  pass credentials "ECR issued a registry password for $login_secret (not shown)"
}
