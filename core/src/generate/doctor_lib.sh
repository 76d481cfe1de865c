# ---- helpers (the same in every generated doctor) ----
# Secrets never reach argv or the log: curl reads its URL, headers and form fields from a
# config on standard input (printf is a shell builtin), and responses go to a private
# directory that is removed on exit.
report=''
auth_header=''
status=000
curl_rc=0

say() { printf '%s\n' "$*"; }

# One line of the annotation; values are printed as they are, never secrets.
note_md() { report="${report}$1
"; }

pass() {
  say "PASS  $1: $2"
  note_md "- :white_check_mark: **$1**: $2"
}

skip() {
  say "SKIP  $1: $2"
  note_md "- :grey_question: **$1**: $2"
}

detail() {
  say "      $1"
  note_md "  - $1"
}

fail() {
  say "FAIL  $1: $2"
  say "      fix: $3"
  note_md "- :x: **$1**: $2"
  note_md "  - **Fix:** $3"
  finish error "$1"
}

finish() {
  if [ "$1" = success ]; then
    title="Kaniko doctor: every link to ${registry_host} works; Kaniko can push ${repository}."
  elif [ "$1" = warning ]; then
    title="Kaniko doctor: no link failed, but not every link to ${registry_host} could be checked here."
  else
    title="Kaniko doctor: the **$2** link fails for ${registry_host}/${repository}."
  fi
  say ""
  say "$title"
  if [ "${KANIKO_DOCTOR_ANNOTATE:-1}" = 1 ] && command -v buildkite-agent > /dev/null 2>&1; then
    printf '%s\n\n%s' "$title" "$report" |
      buildkite-agent annotate --style "$1" --context kaniko-doctor > /dev/null 2>&1 ||
      say "(could not write the Buildkite annotation)"
  fi
  if [ "$1" = error ]; then exit 1; fi
  exit 0
}

# A value for a curl config line: backslash and double quote escaped.
cfg() { printf '%s' "$1" | sed 's/[\\"]/\\&/g'; }

# http METHOD URL [CA_FILE]: the request's extra config lines come from $extra. Sets status
# (000 without a response), curl_rc and curl_err; body and headers land in $tmp.
http() {
  : > "$tmp/body"
  : > "$tmp/headers"
  status="$(
    {
      printf 'url = "%s"\n' "$(cfg "$2")"
      printf 'request = "%s"\n' "$1"
      if [ -n "${3:-}" ]; then printf 'cacert = "%s"\n' "$(cfg "$3")"; fi
      if [ -n "$extra" ]; then printf '%s\n' "$extra"; fi
    } | curl -K - -sS --connect-timeout 10 --max-time 60 -o "$tmp/body" -D "$tmp/headers" \
      -w '%{http_code}' 2> "$tmp/err"
  )"
  curl_rc=$?
  curl_err="$(head -n 1 "$tmp/err" | head -c 300 | tr -d '\r\n')"
  extra=''
}
extra=''

# A header line for the config: `header = "Authorization: …"`.
auth_line() {
  if [ -n "$1" ]; then printf 'header = "Authorization: %s"' "$(cfg "$1")"; fi
}

# The registry's own words: the first "message" of an error body, else the body's start.
registry_text() {
  msg="$(json_text message)"
  code="$(json_text code)"
  if [ -n "$msg" ]; then
    printf '%s%s' "${code:+$code: }" "$msg"
  else
    head -c 200 "$tmp/body" | tr -d '\000-\037'
  fi
}

# The text of the first JSON string member named $1 in $tmp/body, unescaped, at most 400
# characters.
json_text() {
  awk -v k="$1" '{ s = s $0 } END {
    i = index(s, "\"" k "\""); if (!i) exit
    s = substr(s, i + length(k) + 2); if (!sub(/^[ \t]*:[ \t]*"/, "", s)) exit
    out = ""
    while (length(s) > 0) {
      c = substr(s, 1, 1)
      if (c == "\\") { out = out substr(s, 2, 1); s = substr(s, 3); continue }
      if (c == "\"") break
      out = out c; s = substr(s, 2)
    }
    print substr(out, 1, 400)
  }' "$tmp/body"
}

# The value of a simple JSON member ("key": "text" or "key": 123) in $tmp/body.
json_field() { sed -n "s/.*\"$1\"[ ]*:[ ]*\"\{0,1\}\([^\",}]*\).*/\1/p" "$tmp/body" | head -n 1; }

# The text of an XML element in $tmp/body.
xml_field() { tr -d '\n' < "$tmp/body" | sed -n "s/.*<$1>\([^<]*\)<\/$1>.*/\1/p" | head -n 1; }

# A response header's value (last occurrence, without the CR).
header() {
  awk -v n="$1" '{ sub(/\r$/, ""); i = index($0, ":"); if (i > 1 && tolower(substr($0, 1, i - 1)) == n) { v = substr($0, i + 1); sub(/^[ \t]+/, "", v); last = v } } END { print last }' "$tmp/headers"
}

# A parameter of the WWW-Authenticate challenge in $challenge.
challenge_param() { printf '%s' "$challenge" | sed -n "s/.*[ ,]$1=\"\([^\"]*\)\".*/\1/p"; }

# The claims of a JWT (base64url → base64 with padding); never the signature.
jwt_claims() {
  p="$(printf '%s' "$1" | cut -d. -f2 | tr '_-' '/+')"
  while [ $((${#p} % 4)) -ne 0 ]; do p="$p="; done
  printf '%s' "$p" | base64 -d 2> /dev/null
}

# One claim: a string, a number, or the first string of an array.
claim() {
  printf '%s' "$claims" | tr -d '\n' | sed -n "s/.*\"$1\"[ ]*:[ ]*\[\{0,1\}[ ]*\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1
}

# Link 1: mint the OIDC token the way the build does; print the claims that matter.
check_token() {
  if ! command -v buildkite-agent > /dev/null 2>&1; then
    fail token "buildkite-agent is not on PATH, so no OIDC token can be minted here." \
      "Run the doctor as a Buildkite step (the agent puts buildkite-agent on PATH in every job container)."
  fi
  token="$(buildkite-agent oidc request-token --audience "$1" --lifetime "$2" ${3:+--subject-claim "$3"} 2> "$tmp/err")"
  rc=$?
  if [ "$rc" -ne 0 ] || [ -z "$token" ]; then
    err="$(head -c 300 "$tmp/err" | tr -d '\r' | tr '\n' ' ')"
    case "$err" in
      *"lifetime too high"*) fix="Lower the lifetime to 7200 s or less (the agent API's maximum).";;
      *"subject"*) fix="--subject-claim needs buildkite-agent v3.121.0 or later: upgrade the agent.";;
      *) fix="Run the doctor as a step of a Buildkite job (the token comes from the job's agent), on an agent recent enough for the options used.";;
    esac
    fail token "buildkite-agent oidc request-token failed: ${err:-no token printed}" "$fix"
  fi
  claims="$(jwt_claims "$token")"
  if [ -z "$claims" ]; then
    fail token "the agent printed something that is not a JWT." "Check that buildkite-agent is the real agent and that no wrapper prints extra text."
  fi
  aud="$(claim aud)"
  iat="$(claim iat)"
  exp="$(claim exp)"
  lifetime='?'
  case "$iat$exp" in *[!0-9]*|'') ;; *) lifetime=$((exp - iat));; esac
  pass token "minted (the token itself is not shown)"
  detail "iss=$(claim iss) aud=${aud} lifetime=${lifetime}s"
  detail "sub=$(claim sub)"
  detail "organization_slug=$(claim organization_slug) pipeline_slug=$(claim pipeline_slug) build_branch=$(claim build_branch) step_key=$(claim step_key)"
  if [ "$aud" != "$1" ]; then
    fail token "the token's aud is '${aud}', not '$1'." "Mint it with --audience '$1' exactly."
  fi
  now="$(date +%s)"
  case "$exp$now" in
    *[!0-9]*|'') ;;
    *) if [ "$exp" -le "$now" ]; then
         fail token "the token expired when it was minted (exp ${exp}, now ${now})." \
           "Check the clock of this agent's host (NTP): tokens are timed by Buildkite's clock."
       fi;;
  esac
  if [ -n "${4:-}" ] && [ "$lifetime" != '?' ] && [ "$lifetime" -gt "$4" ]; then
    fail token "the token lives ${lifetime} s; the registry refuses more than $4 s." "Use --lifetime $4 or less."
  fi
}

# Link: reach the registry over the scheme the build uses; sets $base.
check_connection() {
  if [ -n "${KANIKO_DOCTOR_REGISTRY_URL:-}" ]; then
    base="${KANIKO_DOCTOR_REGISTRY_URL%/}"
  else
    base="https://${registry_host}"
  fi
  extra=''
  http GET "$base/v2/" "$ca_file"
  case "$curl_rc" in
    0)
      case "$base" in
        https://*) pass tls "${base} presents a certificate this step trusts${ca_file:+ (CA file ${ca_file})}";;
        *) pass connection "${base} answers (plain HTTP, set by KANIKO_DOCTOR_REGISTRY_URL)";;
      esac
      return;;
    60|51|58|77|83|90|91)
      if [ "$insecure" = 1 ] && try_plain_http; then return; fi
      check_tls_failure;;
    35)
      if try_plain_http; then return; fi
      fail tls "the TLS handshake with ${base} failed: ${curl_err}" \
        "Check that ${registry_host} serves HTTPS on that port (a TLS proxy or wrong port answers differently).";;
    *)
      if [ "$insecure" = 1 ] && try_plain_http; then return; fi
      fail connection "cannot reach ${base}/v2/: ${curl_err}" \
        "Check the host and port (${registry_host}), DNS, network policies or security groups, and HTTPS_PROXY/NO_PROXY in the step's environment.";;
  esac
}

check_tls_failure() {
  case "$curl_rc" in
    77) fail tls "the CA file ${ca_file} cannot be read: ${curl_err}" \
          "Mount the CA certificate at ${ca_file} in this step (on Kubernetes: a Secret in secret_volumes), or correct the ca_cert path.";;
  esac
  if [ -n "$ca_file" ]; then
    fail tls "${registry_host}'s certificate does not verify with the CA file ${ca_file}: ${curl_err}" \
      "Put the CA that issued the registry's certificate in ${ca_file}, and make sure the certificate names ${registry_host%:*}."
  fi
  fail tls "${registry_host}'s certificate is not trusted: ${curl_err}" \
    "Set the registry's CA certificate (the ca_cert option: Kaniko gets --registry-certificate=${registry_host}=<path>, and this doctor checks with it), or fix the certificate's name."
}

# The registry may speak plain HTTP: allowed only with the insecure option, as in Kaniko.
# Succeeds when the doctor switched to plain HTTP; fails the tls link when HTTP works but the
# option is missing; else returns 1.
try_plain_http() {
  [ -z "${KANIKO_DOCTOR_REGISTRY_URL:-}" ] || return 1
  extra=''
  http GET "http://${registry_host}/v2/"
  if [ "$curl_rc" -eq 0 ] && [ "$status" != 000 ]; then
    if [ "$insecure" = 1 ]; then
      base="http://${registry_host}"
      pass connection "${registry_host} answers plain HTTP; allowed by the insecure option (--insecure-registry)"
      return 0
    fi
    fail tls "${registry_host} speaks plain HTTP, not HTTPS." \
      "Set the registry's insecure option (Kaniko gets --insecure-registry=${registry_host}), or serve the registry over TLS."
  fi
  return 1
}

# Link: log in. $1 is the user, $2 the password ("" for anonymous). Sets $auth_header.
check_login() {
  extra=''
  http GET "$base/v2/" "$ca_file"
  basic=''
  if [ -n "$1" ]; then
    basic="Basic $(printf '%s:%s' "$1" "$2" | base64 | tr -d '\n')"
  fi
  case "$status" in
    200)
      auth_header="$basic"
      pass login "${base}/v2/ answers 200 without credentials (anonymous access)"
      return;;
    401) ;;
    *) fail login "${base}/v2/ answered HTTP ${status}: $(registry_text)" \
         "Check that ${registry_host} is the registry's host (the Docker Registry API lives under /v2/).";;
  esac
  challenge="$(header 'www-authenticate')"
  scheme="$(printf '%s' "$challenge" | cut -d' ' -f1 | tr '[:upper:]' '[:lower:]')"
  if [ -z "$basic" ]; then
    fail login "${registry_host} asks for credentials (${scheme:-no} challenge) but the configuration has none." \
      "Configure the registry's username and password secret."
  fi
  case "$scheme" in
    basic)
      extra="$(auth_line "$basic")"
      http GET "$base/v2/" "$ca_file"
      if [ "$status" = 200 ]; then
        auth_header="$basic"
        pass login "${registry_host} accepts user '$1' (Basic)"
        return
      fi
      fail login "${registry_host} refused user '$1': HTTP ${status}: $(registry_text)" \
        "Check the username and the password secret ($login_secret); the registry's words are above.";;
    bearer)
      realm="$(challenge_param realm)"
      service="$(challenge_param service)"
      url="${realm}?scope=$(printf 'repository:%s:push,pull' "$repository" | sed 's/:/%3A/g; s/,/%2C/g')"
      if [ -n "$service" ]; then url="${url}&service=$(printf '%s' "$service" | sed 's/ /%20/g')"; fi
      extra="$(auth_line "$basic")"
      case "$realm" in "$base"*) http GET "$url" "$ca_file";; *) http GET "$url";; esac
      if [ "$status" != 200 ]; then
        fail login "the token service ${realm} refused user '$1': HTTP ${status}: $(registry_text)" \
          "Check the username and the password secret ($login_secret); the registry's words are above."
      fi
      bearer="$(json_field token)"
      if [ -z "$bearer" ]; then bearer="$(json_field access_token)"; fi
      if [ -z "$bearer" ]; then
        fail login "the token service ${realm} answered 200 without a token." "Report it to the registry's operators."
      fi
      auth_header="Bearer $bearer"
      pass login "${registry_host} issued a push,pull token for ${repository} to user '$1' (Bearer, ${realm})";;
    *) fail login "unknown challenge from ${registry_host}: ${challenge}" "Check that ${registry_host} is a Docker/OCI registry.";;
  esac
}

# Link: start a blob upload in the repository and cancel it, as Kaniko's push check does.
check_push() {
  extra="$(auth_line "$auth_header")
header = \"Content-Length: 0\""
  http POST "$base/v2/${repository}/blobs/uploads/" "$ca_file"
  case "$status" in
    202)
      location="$(header location)"
      case "$location" in
        http://*|https://*) ;;
        /*) location="${base}${location}";;
        *) location="${base}/v2/${repository}/blobs/uploads/${location}";;
      esac
      extra="$(auth_line "$auth_header")"
      http DELETE "$location" "$ca_file"
      pass push "${registry_host} accepted a blob upload to ${repository} (HTTP 202; cancelled: HTTP ${status})";;
    401) fail push "HTTP 401 on a blob upload to ${repository}: $(registry_text)" \
           "The credentials log in but are not accepted for this repository: check that the token's scope includes ${repository} and that the user may push there.";;
    403) fail push "HTTP 403 on a blob upload to ${repository}: $(registry_text)" "$push_fix_403";;
    404) fail push "HTTP 404 on a blob upload to ${repository}: $(registry_text)" "$push_fix_404";;
    405) fail push "HTTP 405 on a blob upload to ${repository}: $(registry_text)" \
           "The registry refuses writes (read-only or maintenance mode, or a pull-through cache): push to a writable registry or ask its operators."
         ;;
    *) fail push "HTTP ${status} on a blob upload to ${repository}: $(registry_text)" \
         "Read the registry's words above; Kaniko would fail the same way at push time.";;
  esac
}
# The tools every doctor uses; a missing one is named before anything runs.
for tool in curl sed awk tr cut head base64 mktemp date; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    fail tools "this image has no ${tool}." \
      "Run the doctor in an image with a POSIX shell, curl, sed, awk and coreutils or busybox (the generated step uses one)."
  fi
done
umask 077
tmp="$(mktemp -d)" || { printf 'kaniko-doctor: cannot create a temporary directory\n' >&2; exit 2; }
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
# ---- end of helpers ----
