# shellcheck shell=bash
# `dev/services check --secure [name...]`: smoke check of the running secure servers. For each: the TLS
# connection with the right credentials works; plaintext is refused; a wrong password/key/token is refused;
# a client without the CA refuses the certificate; and the process listens on exactly its secure ports.
# One line per case (PASS/FAIL), then 'N passed, N failed'; exit 1 when anything failed. Prints no secret.

CHECK_PASSED=0
CHECK_FAILED=0

check_line() { # PASS|FAIL server what detail
  printf '%s %-10s %-48s %s\n' "$1" "$2" "$3" "$4"
  if [[ $1 == PASS ]]; then
    CHECK_PASSED=$((CHECK_PASSED + 1))
  else
    CHECK_FAILED=$((CHECK_FAILED + 1))
  fi
}

# One line of what a command said, at most 150 characters.
oneline() { tr '\r\n' '  ' | sed -e 's/  */ /g' -e 's/^ //' | cut -c1-150; }

# expect_ok server what regex command...: passes when the command exits 0 and its output matches
expect_ok() {
  local server=$1 what=$2 regex=$3 out rc=0
  shift 3
  out=$("$@" 2>&1) || rc=$?
  if ((rc == 0)) && grep -qE "$regex" <<<"$out"; then
    check_line PASS "$server" "$what" "$(oneline <<<"$out")"
  else
    check_line FAIL "$server" "$what" "exit $rc: $(oneline <<<"$out")"
  fi
}

# expect_refused server what regex command...: passes when the command fails, or succeeds with output
# matching regex (an HTTP error status), and in no case shows the success marker $SUCCESS
expect_refused() {
  local server=$1 what=$2 regex=$3 out rc=0
  shift 3
  out=$("$@" 2>&1) || rc=$?
  if [[ -n ${SUCCESS:-} ]] && grep -qE "$SUCCESS" <<<"$out"; then
    check_line FAIL "$server" "$what" "NOT refused: $(oneline <<<"$out")"
  elif ((rc != 0)) || grep -qE "$regex" <<<"$out"; then
    check_line PASS "$server" "$what" "refused (exit $rc): $(oneline <<<"$out")"
  else
    check_line FAIL "$server" "$what" "NOT refused (exit $rc): $(oneline <<<"$out")"
  fi
}

# The TCP ports a server's processes listen on must be exactly the secure ones.
expect_ports() {
  local server=$1 pid=$2 expected actual pids
  expected=$(tr ' ' '\n' <<<"$(ports_of "$server")" | sort -n | xargs)
  pids="$pid $(pgrep -P "$pid" | xargs || true)"
  actual=$(ss -ltnpH 2>/dev/null | awk -v pids=" $pids " '{
      n = split($0, a, "pid="); for (i = 2; i <= n; i++) { split(a[i], b, ","); if (index(pids, " " b[1] " ")) { sub(/.*:/, "", $4); print $4; break } } }' |
    sort -nu | xargs)
  if [[ $actual == "$expected" ]]; then
    check_line PASS "$server" "listens only on its secure ports" "$actual"
  else
    check_line FAIL "$server" "listens only on its secure ports" "expected: $expected; listening: ${actual:-nothing}"
  fi
}

# openssl's own view: protocol, verification against the CA, the certificate's names
tls_handshake() { # port [starttls-protocol]
  local extra=()
  [[ -z ${2:-} ]] || extra=(-starttls "$2")
  openssl s_client -connect "127.0.0.1:$1" "${extra[@]}" -CAfile "$TLS/ca.pem" -verify_return_error \
    -verify_ip 127.0.0.1 -brief </dev/null 2>&1 | grep -E '^(Protocol version|Verification|Peer certificate)'
}

# a client that has only the system's CAs (not ours)
tls_handshake_without_ca() { # port [starttls-protocol]
  local extra=()
  [[ -z ${2:-} ]] || extra=(-starttls "$2")
  openssl s_client -connect "127.0.0.1:$1" "${extra[@]}" -verify_return_error -brief </dev/null 2>&1 |
    grep -E 'verify|Verification|error' | head -n 2
  return "${PIPESTATUS[0]}"
}

check_clickhouse() {
  local url=https://127.0.0.1:$CH_HTTPS_PORT/ pid=$1
  SUCCESS=
  expect_ok clickhouse "openssl: TLS handshake, verified by the CA" 'Verification: OK' tls_handshake "$CH_HTTPS_PORT"
  expect_ok clickhouse "HTTPS + CA + password: SELECT version()" '^18\.' \
    curl -sS --max-time 5 --cacert "$TLS/ca.pem" -K "$SECRETS/curl-clickhouse.conf" --data-binary 'SELECT version()' "$url"
  SUCCESS='^1$'
  expect_refused clickhouse "plaintext HTTP to the HTTPS port" 'HTTP (000|[45])' \
    curl -sS --max-time 5 -K "$SECRETS/curl-clickhouse.conf" -w '\nHTTP %{http_code}' --data-binary 'SELECT 1' "http://127.0.0.1:$CH_HTTPS_PORT/"
  expect_refused clickhouse "HTTPS, wrong password" 'Wrong password|HTTP [45]' \
    curl -sS --max-time 5 --cacert "$TLS/ca.pem" -u "$CLICKHOUSE_USER:not-the-password" -w '\nHTTP %{http_code}' --data-binary 'SELECT 1' "$url"
  expect_refused clickhouse "HTTPS, no password (no 'default' user)" 'HTTP [45]' \
    curl -sS --max-time 5 --cacert "$TLS/ca.pem" -w '\nHTTP %{http_code}' --data-binary 'SELECT 1' "$url"
  expect_refused clickhouse "HTTPS without the CA (system trust store)" 'certificate' \
    curl -sS --max-time 5 -K "$SECRETS/curl-clickhouse.conf" --data-binary 'SELECT 1' "$url"
  expect_ports clickhouse "$pid"
}

check_s3() {
  local url=https://127.0.0.1:$S3_PORT/ pid=$1 sig=(--aws-sigv4 "aws:amz:$S3_REGION:s3" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD')
  SUCCESS=
  expect_ok s3 "openssl: TLS handshake, verified by the CA" 'Verification: OK' tls_handshake "$S3_PORT"
  expect_ok s3 "HTTPS + CA + SigV4: list buckets" 'ListAllMyBucketsResult' \
    curl -sS --max-time 5 --cacert "$TLS/ca.pem" "${sig[@]}" -K "$SECRETS/curl-s3.conf" "$url"
  SUCCESS='ListAllMyBucketsResult'
  expect_refused s3 "plaintext HTTP to the HTTPS port" 'HTTP [45]' \
    curl -sS --max-time 5 "${sig[@]}" -K "$SECRETS/curl-s3.conf" -w '\nHTTP %{http_code}' "http://127.0.0.1:$S3_PORT/"
  expect_refused s3 "HTTPS, SigV4 with a wrong secret key" 'HTTP 403' \
    curl -sS --max-time 5 --cacert "$TLS/ca.pem" "${sig[@]}" -u "$S3_ACCESS_KEY_ID:not-the-secret-key" -w '\nHTTP %{http_code}' "$url"
  expect_refused s3 "HTTPS, unsigned request" 'HTTP 403' \
    curl -sS --max-time 5 --cacert "$TLS/ca.pem" -w '\nHTTP %{http_code}' "$url"
  expect_refused s3 "HTTPS without the CA (system trust store)" 'certificate' \
    curl -sS --max-time 5 "${sig[@]}" -K "$SECRETS/curl-s3.conf" "$url"
  expect_ports s3 "$pid"
}

check_postgres() {
  local pid=$1 query='select ssl, version from pg_stat_ssl where pid = pg_backend_pid()'
  SUCCESS=
  expect_ok postgres "openssl: TLS handshake (STARTTLS), verified by the CA" 'Verification: OK' tls_handshake "$PG_PORT" postgres
  expect_ok postgres "sslmode=verify-full + CA + password (SCRAM)" '^t\|TLSv1' \
    env PGPASSWORD="$PG_PASSWORD" psql -X -w -A -t -d "$(pg_conninfo verify-full "$TLS/ca.pem")" -c "$query"
  SUCCESS='^t\|'
  expect_refused postgres "sslmode=disable (plaintext)" 'no pg_hba.conf entry' \
    env PGPASSWORD="$PG_PASSWORD" psql -X -w -A -t -d "$(pg_conninfo disable "$TLS/ca.pem")" -c "$query"
  expect_refused postgres "verify-full, wrong password" 'password authentication failed' \
    env PGPASSWORD=not-the-password psql -X -w -A -t -d "$(pg_conninfo verify-full "$TLS/ca.pem")" -c "$query"
  expect_refused postgres "verify-full against another CA" 'certificate verify failed' \
    env PGPASSWORD="$PG_PASSWORD" psql -X -w -A -t -d "$(pg_conninfo verify-full "$CHECK_TMP/other-ca.pem")" -c "$query"
  expect_refused postgres "openssl without the CA (system trust store)" 'verify' \
    tls_handshake_without_ca "$PG_PORT" postgres
  expect_ports postgres "$pid"
}

check_pulsar() {
  local pid=$1 admin=https://127.0.0.1:$PULSAR_WEB_TLS_PORT/admin/v2 topic=persistent/public/default/dev-services-check
  local t=$CHECK_TMP code position
  SUCCESS=
  expect_ok pulsar "openssl: TLS handshake on the binary port" 'Verification: OK' tls_handshake "$PULSAR_TLS_PORT"
  expect_ok pulsar "openssl: TLS handshake on the admin port" 'Verification: OK' tls_handshake "$PULSAR_WEB_TLS_PORT"
  expect_ok pulsar "admin REST over HTTPS, admin token" '"public/default"' pulsar_admin admin -f "$admin/namespaces/public"
  SUCCESS='"public/default"'
  expect_refused pulsar "admin REST, plaintext HTTP to the HTTPS port" 'HTTP 400' \
    curl -sS --max-time 5 -K "$SECRETS/curl-pulsar-admin.conf" -w '\nHTTP %{http_code}' "http://127.0.0.1:$PULSAR_WEB_TLS_PORT/admin/v2/namespaces/public"
  expect_refused pulsar "admin REST, no token" 'HTTP 401' \
    curl -sS --max-time 5 --cacert "$TLS/ca.pem" -o /dev/null -w 'HTTP %{http_code}' "$admin/namespaces/public"
  expect_refused pulsar "admin REST, token signed by another key" 'HTTP 401' \
    curl -sS --max-time 5 --cacert "$TLS/ca.pem" -K "$t/curl-wrong-key.conf" -o /dev/null -w 'HTTP %{http_code}' "$admin/namespaces/public"
  expect_refused pulsar "admin REST without the CA (system trust store)" 'certificate' \
    curl -sS --max-time 5 -K "$SECRETS/curl-pulsar-admin.conf" "$admin/namespaces/public"

  # What the service's role may do through the admin API: the calls the service makes
  # (PulsarTopicAdmin, SubscriptionStats, AcknowledgedPositions) on a partitioned topic the admin made.
  SUCCESS=
  code=$(pulsar_admin admin -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' --data 2 "$admin/$topic/partitions")
  [[ $code == 204 || $code == 409 ]] || check_line FAIL pulsar "admin creates the check's partitioned topic" "HTTP $code"
  code=$(pulsar_admin admin -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data '{"ledgerId":9223372036854775807,"entryId":9223372036854775807}' "$admin/$topic/subscription/dev-services-check")
  [[ $code == 204 || $code == 409 ]] || check_line FAIL pulsar "admin creates the check's subscription" "HTTP $code"
  expect_ok pulsar "service role: GET partitions (partition count)" 'HTTP 200' \
    pulsar_admin "$PULSAR_SERVICE_ROLE" -o /dev/null -w 'HTTP %{http_code}' "$admin/$topic/partitions"
  expect_ok pulsar "service role: GET partitioned-stats" 'HTTP 200' \
    pulsar_admin "$PULSAR_SERVICE_ROLE" -o /dev/null -w 'HTTP %{http_code}' "$admin/$topic/partitioned-stats?perPartition=true"
  expect_ok pulsar "service role: GET internalStats of a partition" 'HTTP 200' \
    pulsar_admin "$PULSAR_SERVICE_ROLE" -o "$t/internal-stats.json" -w 'HTTP %{http_code}' "$admin/$topic-partition-0/internalStats"
  position=$(grep -oE '"dev-services-check":\{[^}]*"markDeletePosition":"[0-9]+:-?[0-9]+"' "$t/internal-stats.json" 2>/dev/null |
    grep -oE '[0-9]+:-?[0-9]+"$' | tr -d '"')
  expect_ok pulsar "service role: POST resetcursor (savepoint restore)" 'HTTP 204' \
    pulsar_admin "$PULSAR_SERVICE_ROLE" -o /dev/null -w 'HTTP %{http_code}' -X POST -H 'Content-Type: application/json' \
    --data "{\"ledgerId\":${position%%:*},\"entryId\":${position##*:},\"partitionIndex\":0,\"isExcluded\":false,\"batchIndex\":-1}" \
    "$admin/$topic-partition-0/subscription/dev-services-check/resetcursor"
  expect_refused pulsar "service role: PUT partitions (create a topic)" 'HTTP 40[13]' \
    pulsar_admin "$PULSAR_SERVICE_ROLE" -o /dev/null -w 'HTTP %{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data 2 "$admin/persistent/public/default/dev-services-check-created-by-$PULSAR_SERVICE_ROLE/partitions"

  # The binary protocol, with Pulsar's own client
  # (the client's WARN log goes to $t/pulsar-smoke.log: it names why a TLS handshake failed)
  local rc=0 line
  java -cp "$PULSAR_LIB/*" -Dlog4j2.level=WARN "$SECURE_LIB/PulsarSmoke.java" \
    "pulsar+ssl://127.0.0.1:$PULSAR_TLS_PORT" "pulsar://127.0.0.1:$PULSAR_TLS_PORT" "$TLS/ca.pem" \
    "$SECRETS/pulsar-$PULSAR_SERVICE_ROLE.token" "$t/wrong-key.token" "$t/nobody.token" \
    "persistent://public/default/dev-services-check-binary" >"$t/pulsar-smoke.log" 2>&1 || rc=$?
  while IFS= read -r line; do
    if [[ $line == PASS* ]]; then
      CHECK_PASSED=$((CHECK_PASSED + 1))
    else
      CHECK_FAILED=$((CHECK_FAILED + 1))
    fi
    printf '%s\n' "$line"
  done < <(grep -E '^(PASS|FAIL) ' "$t/pulsar-smoke.log")
  if ! grep -qE '^(PASS|FAIL) ' "$t/pulsar-smoke.log"; then
    check_line FAIL pulsar "binary protocol check ran" "exit $rc: $(tail -n 3 "$t/pulsar-smoke.log" | oneline)"
  elif line=$(grep -m1 -o 'PKIX path building failed.*' "$t/pulsar-smoke.log"); then
    check_line PASS pulsar "client without the CA: why (client log)" "$(oneline <<<"$line")"
  else
    check_line FAIL pulsar "client without the CA: why (client log)" "no certificate error in the client's log"
  fi
  expect_ports pulsar "$pid"
}

cmd_check() {
  local n pid
  select_servers "$@"
  [[ -s $ENV_FILE ]] || die "no secure set here: dev/services up --secure first"
  ensure_env_quiet
  S3_ACCESS_KEY_ID=$(<"$SECRETS/s3-access-key-id")
  need_cmd openssl openssl
  CHECK_TMP=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$CHECK_TMP'" EXIT
  # another CA, and Pulsar tokens signed by another key and for a role with no permission
  openssl req -x509 -new -newkey rsa:2048 -nodes -days 1 -subj "/CN=not the dev-services CA" \
    -keyout "$CHECK_TMP/other-ca.key" -out "$CHECK_TMP/other-ca.pem" 2>/dev/null
  if [[ " ${NAMES[*]} " == *" pulsar "* && -n $(live_pid pulsar) ]]; then
    java -cp "$PULSAR_LIB/*" org.apache.pulsar.utils.auth.tokens.TokensCliUtils create-key-pair \
      --output-private-key "$CHECK_TMP/other.key" --output-public-key "$CHECK_TMP/other.pub" >/dev/null 2>&1
    pulsar_token_for "$CHECK_TMP/other.key" "$PULSAR_SERVICE_ROLE" >"$CHECK_TMP/wrong-key.token" || true
    pulsar_token_for "$SECRETS/pulsar-token-private.key" nobody >"$CHECK_TMP/nobody.token" || true
    printf 'header = "Authorization: Bearer %s"\n' "$(<"$CHECK_TMP/wrong-key.token")" >"$CHECK_TMP/curl-wrong-key.conf"
  fi
  for n in "${NAMES[@]}"; do
    pid=$(live_pid "$n")
    if [[ -z $pid ]]; then
      check_line FAIL "$n" "running" "not running: dev/services up --secure $n"
      continue
    fi
    "check_$n" "$pid"
  done
  echo "$CHECK_PASSED passed, $CHECK_FAILED failed"
  ((CHECK_FAILED == 0))
}
