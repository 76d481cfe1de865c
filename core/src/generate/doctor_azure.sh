# ---- Azure ----
# Link: the Entra ID token (client assertion = the OIDC token, or the client secret).
exchange_azure() {
  url="${KANIKO_DOCTOR_AZURE_LOGIN_URL:-https://login.microsoftonline.com}/$1/oauth2/v2.0/token"
  extra="data-urlencode = \"client_id=$(cfg "$2")\"
data-urlencode = \"grant_type=client_credentials\"
data-urlencode = \"scope=https://management.azure.com/.default\""
  if [ "$3" = assertion ]; then
    extra="$extra
data-urlencode = \"client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer\"
data-urlencode = \"client_assertion=$(cfg "$token")\""
  else
    extra="$extra
data-urlencode = \"client_secret=$(cfg "${AZURE_CLIENT_SECRET:-}")\""
  fi
  http POST "$url"
  if [ "$curl_rc" -ne 0 ]; then
    fail exchange "cannot reach Entra ID at ${url}: ${curl_err}" "Allow HTTPS from this step to login.microsoftonline.com."
  fi
  if [ "$status" = 200 ]; then
    aad="$(json_field access_token)"
    pass exchange "Entra ID issued a token for client $2"
    return
  fi
  desc="$(json_text error_description)"
  said="Entra ID answered HTTP ${status}: $(json_text error): ${desc}"
  case "$desc" in
    AADSTS700016:*)
      fail exchange "$said (application not found)" "Check the client ID ($2) and the tenant ID ($1): the app registration must be in that tenant.";;
    AADSTS700211:*)
      fail exchange "$said (issuer mismatch)" "Set the federated credential's issuer to exactly https://agent.buildkite.com.";;
    AADSTS700212:*)
      fail exchange "$said (audience mismatch: the token's aud is '${aud}')" "Mint the token with --audience api://AzureADTokenExchange (or your cloud's variant) and use the same audience in the federated credential.";;
    AADSTS700213:*|AADSTS7002138:*)
      fail exchange "$said (subject mismatch: the token's sub is '$(claim sub)')" "Mint with --subject-claim pipeline_id and set the federated credential's subject to the pipeline's UUID exactly (same case, no prefix).";;
    AADSTS70021:*)
      fail exchange "$said (no federated credential matches)" "Compare the issuer, subject and audience above with the app's federated credentials (issuer https://agent.buildkite.com, subject the pipeline UUID, audience api://AzureADTokenExchange).";;
    AADSTS700024:*)
      fail exchange "$said (the token expired)" "Mint the token right before it is used, with a --lifetime that covers the whole build.";;
    AADSTS70025:*)
      fail exchange "$said (the app has no federated credentials)" "Add a federated credential to the app: issuer https://agent.buildkite.com, subject the pipeline UUID, audience api://AzureADTokenExchange.";;
    AADSTS7000215:*)
      fail exchange "$said (invalid client secret)" "Use the secret's value (not its ID) in AZURE_CLIENT_SECRET, and check it has not expired.";;
    *)
      fail exchange "$said" "Look the code up at https://login.microsoftonline.com/error?code=NNNN.";;
  esac
}

# Link: ACR's /oauth2/exchange turns the Entra token into a registry refresh token.
exchange_acr() {
  extra="data-urlencode = \"grant_type=access_token\"
data-urlencode = \"service=$(cfg "$registry_host")\"
data-urlencode = \"tenant=$(cfg "$1")\"
data-urlencode = \"access_token=$(cfg "$aad")\""
  http POST "$base/oauth2/exchange" "$ca_file"
  if [ "$status" != 200 ]; then
    fail acr-exchange "${registry_host} refused the Entra token: HTTP ${status}: $(registry_text)" \
      "Give the app's service principal the AcrPush role (or Repository Writer on ABAC registries) on the registry, and check that the registry is in tenant $1."
  fi
  password="$(json_field refresh_token)"
  pass acr-exchange "${registry_host} issued a refresh token (not shown)"
}
