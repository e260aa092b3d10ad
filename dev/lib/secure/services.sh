# shellcheck shell=bash
# Sourced by dev/services for --secure (issue 20): the same four servers, demanding TLS and credentials,
# on their own ports and under .local/secure/, so they run beside the plain ones. Only what differs from
# the plain mode is (re)defined here; the commands (up, down, status, env, logs, pause, resume) are the
# plain ones working on these directories and ports. `check` is the smoke check of this set.
#
#   .local/secure/tls/      throwaway CA (ca.pem, ca.key) and the servers' certificate (server.pem,
#                           server.key; SAN 127.0.0.1, ::1, localhost), truststore.p12 (only ca.pem in it)
#   .local/secure/secrets/  generated once, mode 600, never printed: passwords, S3 secret, Pulsar token
#                           key pair and tokens, curl config files that carry them
#   .local/secure/services.env   endpoints and the paths of the secret files (no secret values)
#   .local/secure/secrets.env    the secret values themselves (mode 600), for tests that need them in memory
#   .local/secure/{data,conf,run,log}/   as .local/ in the plain mode
#
# Ports: each plain port + 1000. Plain ports of these servers are not opened at all.

SECURE_DIR=$LOCAL/secure
DATA=$SECURE_DIR/data
CONF=$SECURE_DIR/conf
RUN=$SECURE_DIR/run
LOG=$SECURE_DIR/log
ENV_FILE=$SECURE_DIR/services.env
SECRETS_ENV_FILE=$SECURE_DIR/secrets.env
TLS=$SECURE_DIR/tls
SECRETS=$SECURE_DIR/secrets
MVN_SETTINGS=$CONF/maven-settings.xml
SECURE_LIB=$LIB/secure

# Pulsar: TLS binary and HTTPS admin only (the plain config writes 'brokerServicePort=' and 'webServicePort='
# from these two, which Pulsar reads as "no plaintext listener")
PULSAR_PORT=
PULSAR_WEB_PORT=
PULSAR_TLS_PORT=17650
PULSAR_WEB_TLS_PORT=19080
# the bookie inside the standalone JVM: plaintext BookKeeper protocol on 127.0.0.1 (see README, secure mode)
PULSAR_BOOKIE_PORT=14181
# roles: admin (superuser: scripts, tests' topic set-up), broker (superuser: the broker's own client),
# rollup (the service: produce + consume on public/default)
PULSAR_ROLES=(admin broker rollup)
PULSAR_NAMESPACE=public/default
PULSAR_SERVICE_ROLE=rollup

CH_HTTPS_PORT=19123

PG_PORT=16432
PG_DATA=$DATA/postgres
PG_SOCKET_DIR=$RUN/postgres

S3_PORT=20090

# Java's trust store format for clients that want one (only the CA certificate in it: the password guards
# nothing secret, it is the JDK's customary one)
TRUSTSTORE_PASSWORD=changeit

# ---------------------------------------------------------------------------------------------------------
# certificates and secrets

# Write stdin to a file readable by its owner only.
write_secret() {
  local file=$1
  (umask 077 && cat >"$file.tmp")
  mv "$file.tmp" "$file"
  chmod 600 "$file"
}

# A throwaway CA and one server certificate for 127.0.0.1 / ::1 / localhost, made once (the server
# certificate again when it expires within a week).
ensure_tls() {
  need_cmd openssl openssl
  mkdir -p "$TLS"
  chmod 755 "$TLS" # certificates readable by any client; the keys in it are mode 600
  if [[ ! -s $TLS/ca.pem || ! -s $TLS/ca.key ]]; then
    say "generating a throwaway CA in $TLS"
    rm -f "$TLS/server.pem" "$TLS/truststore.p12"
    (umask 077 && openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 825 \
      -subj "/CN=sensor-rollup dev-services throwaway CA $(rand_hex 4)" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -keyout "$TLS/ca.key" -out "$TLS/ca.pem" 2>>"$LOG/tls.log")
    chmod 644 "$TLS/ca.pem"
  fi
  if [[ ! -s $TLS/server.pem || ! -s $TLS/server.key ]] || ! openssl x509 -checkend 604800 -noout -in "$TLS/server.pem" >/dev/null; then
    say "generating the servers' certificate in $TLS"
    (umask 077 && openssl req -new -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
      -keyout "$TLS/server.key" -out "$TLS/server.csr" 2>>"$LOG/tls.log")
    printf '%s\n' 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost' 'basicConstraints=critical,CA:FALSE' \
      'keyUsage=critical,digitalSignature,keyEncipherment' 'extendedKeyUsage=serverAuth' >"$TLS/server.ext"
    openssl x509 -req -sha256 -days 397 -in "$TLS/server.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" \
      -set_serial "0x$(rand_hex 16)" -extfile "$TLS/server.ext" -out "$TLS/server.pem" 2>>"$LOG/tls.log"
    rm -f "$TLS/server.csr" "$TLS/server.ext" "$TLS/s3proxy.p12"
    chmod 644 "$TLS/server.pem"
  fi
  openssl verify -CAfile "$TLS/ca.pem" "$TLS/server.pem" >/dev/null || die "$TLS/server.pem does not verify against ca.pem"
  # s3proxy (Jetty) reads a PKCS#12 key store
  if [[ ! -s $TLS/s3proxy.p12 ]]; then
    (umask 077 && openssl pkcs12 -export -name s3proxy -inkey "$TLS/server.key" -in "$TLS/server.pem" \
      -certfile "$TLS/ca.pem" -passout "file:$SECRETS/s3-keystore.password" -out "$TLS/s3proxy.p12")
  fi
  # openssl 3.0 cannot mark a certificate as trusted for Java in a PKCS#12 file: keytool can
  if [[ ! -s $TLS/truststore.p12 ]] && command -v keytool >/dev/null; then
    keytool -importcert -noprompt -storetype PKCS12 -keystore "$TLS/truststore.p12" -storepass "$TRUSTSTORE_PASSWORD" \
      -alias dev-services-ca -file "$TLS/ca.pem" >>"$LOG/tls.log" 2>&1 || die "keytool could not write $TLS/truststore.p12"
    chmod 644 "$TLS/truststore.p12"
  fi
}

secret() { # name -> the value, generated once
  local f=$SECRETS/$1
  [[ -s $f ]] || rand_hex "$2" | write_secret "$f"
  cat "$f"
}

# Pulsar tokens: an RS256 key pair (the broker holds only the public key) and one token per role, made with
# Pulsar's own tool from the jars dev/services installed.
pulsar_tokens() {
  local tool=org.apache.pulsar.utils.auth.tokens.TokensCliUtils role token
  if [[ ! -s $SECRETS/pulsar-token-private.key || ! -s $SECRETS/pulsar-token-public.key ]]; then
    say "generating the Pulsar token key pair"
    rm -f "$SECRETS"/pulsar-*.token
    (umask 077 && java -cp "$PULSAR_LIB/*" "$tool" create-key-pair \
      --output-private-key "$SECRETS/pulsar-token-private.key" \
      --output-public-key "$SECRETS/pulsar-token-public.key" >>"$LOG/pulsar-tokens.log" 2>&1) ||
      die "pulsar: could not create the token key pair (log: $LOG/pulsar-tokens.log)"
    chmod 600 "$SECRETS/pulsar-token-private.key" "$SECRETS/pulsar-token-public.key"
  fi
  for role in "${PULSAR_ROLES[@]}"; do
    [[ -s $SECRETS/pulsar-$role.token ]] && continue
    token=$(pulsar_token_for "$SECRETS/pulsar-token-private.key" "$role") || die "pulsar: no token for $role (log: $LOG/pulsar-tokens.log)"
    printf '%s' "$token" | write_secret "$SECRETS/pulsar-$role.token"
  done
}

pulsar_token_for() { # private-key-file subject -> token on stdout (for the caller to store, not print)
  local out
  out=$(java -cp "$PULSAR_LIB/*" org.apache.pulsar.utils.auth.tokens.TokensCliUtils create \
    --private-key "file://$1" --subject "$2" 2>>"$LOG/pulsar-tokens.log") || return 1
  out=$(grep -E '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' <<<"$out" | tail -n 1)
  [[ -n $out ]] || return 1
  printf '%s' "$out"
}

# curl reads credentials from these files (-K), so they never appear on a command line
write_curl_configs() {
  local role
  for role in "${PULSAR_ROLES[@]}"; do
    [[ -s $SECRETS/pulsar-$role.token ]] || continue
    printf 'header = "Authorization: Bearer %s"\n' "$(<"$SECRETS/pulsar-$role.token")" |
      write_secret "$SECRETS/curl-pulsar-$role.conf"
  done
  printf 'user = "%s:%s"\n' "$CLICKHOUSE_USER" "$CLICKHOUSE_PASSWORD" | write_secret "$SECRETS/curl-clickhouse.conf"
  printf 'user = "%s:%s"\n' "$S3_ACCESS_KEY_ID" "$S3_SECRET_ACCESS_KEY" | write_secret "$SECRETS/curl-s3.conf"
}

# Generate what is missing, write services.env (endpoints, paths) and secrets.env (values), and set the
# variables the other functions use. Unlike the plain mode, no .env link: Quarkus dev mode stays plain.
ensure_env() {
  mkdir -p "$SECURE_DIR" "$LOG"
  chmod 711 "$SECURE_DIR"
  mkdir -p "$SECRETS"
  chmod 700 "$SECRETS"
  CLICKHOUSE_USER=rollup
  CLICKHOUSE_PASSWORD=$(secret clickhouse.password 16)
  PG_HOST=127.0.0.1
  PG_DATABASE=rollup
  PG_USER=rollup
  PG_PASSWORD=$(secret postgres.password 16)
  S3_REGION=us-east-1
  S3_ACCESS_KEY_ID=$(secret s3-access-key-id 10)
  S3_SECRET_ACCESS_KEY=$(secret s3-secret-access-key 20)
  secret s3-keystore.password 16 >/dev/null
  ensure_tls
  write_curl_configs
  local tmp=$ENV_FILE.tmp
  (
    umask 077
    cat >"$tmp" <<EOF
# dev/services --secure: endpoints and the files that hold the secrets (no secret value in this file)
TLS_CA_FILE=$TLS/ca.pem
TLS_TRUSTSTORE_FILE=$TLS/truststore.p12
TLS_TRUSTSTORE_TYPE=PKCS12
TLS_TRUSTSTORE_PASSWORD=$TRUSTSTORE_PASSWORD
PULSAR_SERVICE_URL=pulsar+ssl://127.0.0.1:$PULSAR_TLS_PORT
PULSAR_ADMIN_URL=https://127.0.0.1:$PULSAR_WEB_TLS_PORT
PULSAR_ROLE=$PULSAR_SERVICE_ROLE
PULSAR_TOKEN_FILE=$SECRETS/pulsar-$PULSAR_SERVICE_ROLE.token
PULSAR_ADMIN_TOKEN_FILE=$SECRETS/pulsar-admin.token
S3_ENDPOINT=https://127.0.0.1:$S3_PORT
S3_REGION=$S3_REGION
S3_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID
S3_SECRET_ACCESS_KEY_FILE=$SECRETS/s3-secret-access-key
S3_CREDENTIALS=static
S3_TLS_TRUST=file-store
CLICKHOUSE_URL=https://127.0.0.1:$CH_HTTPS_PORT
CLICKHOUSE_USER=$CLICKHOUSE_USER
CLICKHOUSE_PASSWORD_FILE=$SECRETS/clickhouse.password
PG_HOST=$PG_HOST
PG_PORT=$PG_PORT
PG_DATABASE=$PG_DATABASE
PG_USER=$PG_USER
PG_PASSWORD_FILE=$SECRETS/postgres.password
PG_SSLMODE=verify-full
PG_SSLROOTCERT=$TLS/ca.pem
EOF
  )
  mv "$tmp" "$ENV_FILE"
  {
    echo "# dev/services --secure: the secret values (mode 600; never printed by dev/services)"
    [[ -s $SECRETS/pulsar-$PULSAR_SERVICE_ROLE.token ]] && echo "PULSAR_TOKEN=$(<"$SECRETS/pulsar-$PULSAR_SERVICE_ROLE.token")"
    [[ -s $SECRETS/pulsar-admin.token ]] && echo "PULSAR_ADMIN_TOKEN=$(<"$SECRETS/pulsar-admin.token")"
    echo "S3_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY"
    echo "CLICKHOUSE_PASSWORD=$CLICKHOUSE_PASSWORD"
    echo "PG_PASSWORD=$PG_PASSWORD"
  } | write_secret "$SECRETS_ENV_FILE"
}

# ---------------------------------------------------------------------------------------------------------
# Pulsar: the plain configuration (its plaintext ports empty), then TLS, token authentication, authorization

eval "plain_$(declare -f pulsar_conf)"
eval "plain_$(declare -f pulsar_start)"

pulsar_conf() {
  plain_pulsar_conf
  cat >>"$CONF/pulsar-standalone.conf" <<EOF

# --- secure mode (dev/services --secure): TLS only, token authentication, authorization ---
brokerServicePortTls=$PULSAR_TLS_PORT
webServicePortTls=$PULSAR_WEB_TLS_PORT
tlsCertificateFilePath=$TLS/server.pem
tlsKeyFilePath=$TLS/server.key
tlsTrustCertsFilePath=$TLS/ca.pem
tlsAllowInsecureConnection=false
tlsRequireTrustedClientCertOnConnect=false
authenticationEnabled=true
authenticationProviders=org.apache.pulsar.broker.authentication.AuthenticationProviderToken
tokenPublicKey=file://$SECRETS/pulsar-token-public.key
authorizationEnabled=true
superUserRoles=admin,broker
# the broker's own client (standalone's namespace set-up, system topics) goes over TLS with its token
brokerClientTlsEnabled=true
brokerClientTrustCertsFilePath=$TLS/ca.pem
brokerClientAuthenticationPlugin=org.apache.pulsar.client.impl.auth.AuthenticationToken
brokerClientAuthenticationParameters=file://$SECRETS/pulsar-broker.token
EOF
  grep -qx 'brokerServicePort=' "$CONF/pulsar-standalone.conf" && grep -qx 'webServicePort=' "$CONF/pulsar-standalone.conf" ||
    die "pulsar: the generated configuration still opens a plaintext port"
}

pulsar_start() {
  pulsar_tokens
  write_curl_configs
  plain_pulsar_start
}

pulsar_admin() { # role curl-args... (the role's token from its curl config)
  local role=$1
  shift
  curl -sS --max-time 5 --cacert "$TLS/ca.pem" -K "$SECRETS/curl-pulsar-$role.conf" "$@"
}

pulsar_ready() {
  [[ -s $SECRETS/curl-pulsar-admin.conf ]] || return 1
  pulsar_admin admin -f "https://127.0.0.1:$PULSAR_WEB_TLS_PORT/admin/v2/namespaces/public" 2>/dev/null |
    grep -qF "\"$PULSAR_NAMESPACE\""
}

# The service's role may produce and consume on the namespace (every topic in it, present or future).
pulsar_grant() {
  local code
  code=$(pulsar_admin admin -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data '["produce","consume"]' \
    "https://127.0.0.1:$PULSAR_WEB_TLS_PORT/admin/v2/namespaces/$PULSAR_NAMESPACE/permissions/$PULSAR_SERVICE_ROLE") || true
  [[ $code == 204 || $code == 200 ]] || die "pulsar: granting produce,consume on $PULSAR_NAMESPACE to $PULSAR_SERVICE_ROLE answered HTTP $code"
}

# ---------------------------------------------------------------------------------------------------------
# ClickHouse 18.16: HTTPS only (no http_port, no native tcp_port, no interserver port), password user

eval "plain_$(declare -f clickhouse_conf)"

clickhouse_conf() {
  plain_clickhouse_conf # users.xml as in the plain mode (sha256 password, 127.0.0.1 only); config.xml edited:
  local f=$CONF/clickhouse-config.xml
  sed -i -e "s|<http_port>.*</http_port>|<https_port>$CH_HTTPS_PORT</https_port>|" \
    -e '/<tcp_port>/d' -e '/<interserver_http_port>/d' -e '/<interserver_http_host>/d' "$f"
  # Poco's NetSSL server context (ClickHouse 18.16 reads <openSSL><server>); no client certificates asked
  sed -i -e "/^<\/yandex>/i\\
  <openSSL>\\
    <server>\\
      <certificateFile>$TLS/server.pem</certificateFile>\\
      <privateKeyFile>$TLS/server.key</privateKeyFile>\\
      <verificationMode>none</verificationMode>\\
      <loadDefaultCAFile>false</loadDefaultCAFile>\\
      <cacheSessions>true</cacheSessions>\\
      <disableProtocols>sslv2,sslv3,tlsv1,tlsv1_1</disableProtocols>\\
      <preferServerCiphers>true</preferServerCiphers>\\
    </server>\\
  </openSSL>" "$f"
  if grep -qE '<(http_port|tcp_port|interserver_http_port)>' "$f" || ! grep -q '<https_port>' "$f" || ! grep -q '<openSSL>' "$f"; then
    die "clickhouse: could not turn $f into an HTTPS-only configuration"
  fi
}

clickhouse_ready() {
  [[ $(curl -sS --max-time 3 --cacert "$TLS/ca.pem" -K "$SECRETS/curl-clickhouse.conf" \
    --data-binary 'SELECT 1' "https://127.0.0.1:$CH_HTTPS_PORT/" 2>/dev/null) == 1 ]]
}

# ---------------------------------------------------------------------------------------------------------
# PostgreSQL 15: ssl=on with the servers' certificate; pg_hba.conf: hostssl + scram-sha-256 only (and the
# postgres user over the Unix socket, which only root and postgres can reach, for dev/services itself)

postgres_start() {
  [[ $(id -u) == 0 ]] || die "postgres: run dev/services as root (it runs PostgreSQL as the 'postgres' user)"
  postgres_init
  mkdir -p "$PG_SOCKET_DIR"
  chown postgres:postgres "$PG_SOCKET_DIR"
  chmod 700 "$PG_SOCKET_DIR"
  install -o postgres -g postgres -m 600 "$TLS/server.key" "$PG_DATA/server.key"
  install -o postgres -g postgres -m 644 "$TLS/server.pem" "$PG_DATA/server.crt"
  cat >"$PG_DATA/pg_hba.conf" <<EOF
# generated by dev/services --secure on every up: TLS and SCRAM only
# TYPE  DATABASE  USER      ADDRESS       METHOD
local   all       postgres                peer
hostssl all       all       127.0.0.1/32  scram-sha-256
hostssl all       all       ::1/128       scram-sha-256
EOF
  cat >"$PG_DATA/dev-services.conf" <<EOF
# generated by dev/services --secure on every up
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = 'scram-sha-256'
EOF
  chown postgres:postgres "$PG_DATA/dev-services.conf" "$PG_DATA/pg_hba.conf"
  touch "$LOG/postgres.log"
  chown postgres "$LOG/postgres.log"
  say "starting postgres"
  if ! as_postgres "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$LOG/postgres.log" -w -t 60 >/dev/null; then
    show_log_tail postgres
    die "postgres did not start (log: $LOG/postgres.log)"
  fi
  head -n 1 "$PG_DATA/postmaster.pid" >"$(pid_file postgres)"
  # The role's password is stored as a SCRAM verifier (password_encryption above).
  as_postgres psql -X -q -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<EOF
SELECT 'CREATE ROLE rollup LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rollup') \gexec
ALTER ROLE rollup WITH LOGIN PASSWORD $(sql_literal "$PG_PASSWORD");
SELECT 'CREATE DATABASE rollup OWNER rollup' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'rollup') \gexec
EOF
}

pg_conninfo() { # sslmode sslrootcert
  printf 'host=127.0.0.1 port=%s dbname=%s user=%s sslmode=%s sslrootcert=%s connect_timeout=3' \
    "$PG_PORT" "$PG_DATABASE" "$PG_USER" "$1" "$2"
}

postgres_ready() {
  [[ $(PGPASSWORD=$PG_PASSWORD psql -X -w -A -t -d "$(pg_conninfo verify-full "$TLS/ca.pem")" \
    -c 'select ssl from pg_stat_ssl where pid = pg_backend_pid()' 2>/dev/null) == t ]]
}

# ---------------------------------------------------------------------------------------------------------
# S3: s3proxy on its secure endpoint only, with a PKCS#12 key store, checking SigV4 signatures only

s3_start() {
  mkdir -p "$DATA/s3"
  (
    umask 077
    cat >"$CONF/s3proxy.properties" <<EOF
# generated by dev/services --secure on every up: HTTPS only, SigV4 only
s3proxy.secure-endpoint=https://127.0.0.1:$S3_PORT
s3proxy.keystore-path=$TLS/s3proxy.p12
s3proxy.keystore-password=$(<"$SECRETS/s3-keystore.password")
s3proxy.authorization=aws-v4
s3proxy.identity=$S3_ACCESS_KEY_ID
s3proxy.credential=$S3_SECRET_ACCESS_KEY
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$DATA/s3
EOF
  )
  launch s3 "$LOG/s3.log" java -Xmx256m -jar "$S3PROXY_JAR" --properties "$CONF/s3proxy.properties"
}

s3_ready() {
  curl -fsS --max-time 3 --cacert "$TLS/ca.pem" --aws-sigv4 "aws:amz:$S3_REGION:s3" -K "$SECRETS/curl-s3.conf" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "https://127.0.0.1:$S3_PORT/" 2>/dev/null |
    grep -q ListAllMyBucketsResult
}

# ---------------------------------------------------------------------------------------------------------
# commands

endpoint() {
  case $1 in
    pulsar) echo "pulsar+ssl://127.0.0.1:$PULSAR_TLS_PORT" ;;
    clickhouse) echo "https://127.0.0.1:$CH_HTTPS_PORT" ;;
    postgres) echo "127.0.0.1:$PG_PORT (hostssl)" ;;
    s3) echo "https://127.0.0.1:$S3_PORT" ;;
  esac
}

ports_of() {
  case $1 in
    pulsar) echo "$PULSAR_TLS_PORT $PULSAR_WEB_TLS_PORT $PULSAR_BOOKIE_PORT" ;;
    clickhouse) echo "$CH_HTTPS_PORT" ;;
    postgres) echo "$PG_PORT" ;;
    s3) echo "$S3_PORT" ;;
  esac
}

eval "plain_$(declare -f cmd_up)"

cmd_up() {
  mkdir -p "$SECURE_DIR"
  plain_cmd_up "$@"
  if [[ " ${NAMES[*]} " == *" pulsar "* ]]; then
    pulsar_grant
  fi
  ensure_env # again: secrets.env now has the tokens, truststore.p12 needs the keytool installed with Java
}

# status reads the secrets the ready checks need (the plain one sources services.env, which has none here)
eval "plain_$(declare -f cmd_status)"
cmd_status() {
  if [[ -d $SECRETS ]]; then
    ensure_env_quiet
  fi
  plain_cmd_status "$@"
}

ensure_env_quiet() {
  CLICKHOUSE_USER=rollup
  CLICKHOUSE_PASSWORD=$(cat "$SECRETS/clickhouse.password" 2>/dev/null || true)
  PG_DATABASE=rollup
  PG_USER=rollup
  PG_PASSWORD=$(cat "$SECRETS/postgres.password" 2>/dev/null || true)
  S3_REGION=us-east-1
}

# shellcheck source=dev/lib/secure/check.sh
. "$SECURE_LIB/check.sh"
