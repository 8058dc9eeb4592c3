# The subcommands of ./hopthu that run the system. Sourced by ./hopthu after scripts/lib.sh.
# First the installation's secrets (generated on the first run, kept by reset and test), exported
# for infra.sh's connection URLs and everything started from here.
secrets_ensure
secrets_export
# shellcheck source=scripts/infra.sh
source "$HOPTHU_ROOT/scripts/infra.sh"
source "$HOPTHU_ROOT/scripts/backup.sh"

declare -A SERVICE_PORT=([requests]=3001 [directory]=3002 [provisioner]=3003 [notifier]=3004 [console]=3005)
declare -A SERVICE_DB=([requests]=REQUESTS_DATABASE_URL [directory]=DIRECTORY_DATABASE_URL [provisioner]=PROVISIONER_DATABASE_URL [notifier]=NOTIFIER_DATABASE_URL [console]=CONSOLE_DATABASE_URL)

# The services that exist in this checkout, in start order (consumers before producers of work).
services() {
  local s
  for s in provisioner directory notifier requests console; do
    [ -f "$HOPTHU_ROOT/services/$s/src/main.ts" ] && echo "$s"
  done
}

ensure_npm_packages() {
  # npm install, not npm ci: npm 11 refuses this lockfile in ci mode over optional packages of
  # other platforms (biome, turbo); install still keeps the locked versions.
  local stamp="$HOPTHU_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$HOPTHU_ROOT/package-lock.json" -nt "$stamp" ]; then
    log "installing npm packages"
    (cd "$HOPTHU_ROOT" && npm install --no-audit --no-fund --loglevel=error) || die "npm install failed"
  fi
}

install_all() {
  ensure_node
  ensure_npm_packages
  infra_install
}

# Alive and not a zombie: a killed service whose parent is gone may stay a zombie when the
# container's init does not reap it, and kill -0 still succeeds on a zombie.
pid_alive() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }
service_running() { [ -f "$VAR/run/$1.pid" ] && pid_alive "$(cat "$VAR/run/$1.pid")"; }

# start_service NAME [INSTANCE]: instance 1 is NAME on its port; instance n > 1 (./hopthu up
# --instances n) is NAME-n on the port + 100·(n-1), same database and consumer groups, its own
# pid file and log (docs/performance.md, "Two instances").
start_service() {
  local s=$1 n=${2:-1} dbvar=${SERVICE_DB[$1]}
  local port=$((SERVICE_PORT[$1] + 100 * (n - 1))) name=$1
  [ "$n" -gt 1 ] && name="$1-$n"
  mkdir -p "$VAR/run" "$VAR/log"
  if service_running "$name"; then return 0; fi
  log "starting $name on :$port"
  # Compiled JavaScript (scripts/build-services.ts, built from the checkout at each start; the first
  # instance builds, further ones reuse it); HOPTHU_RUN_TS=1 runs the TypeScript sources instead.
  local entry="services/$s/src/main.ts"
  if [ "${HOPTHU_RUN_TS:-0}" != 1 ]; then
    entry="services/$s/dist/main.mjs"
    if [ "$n" = 1 ] || [ ! -f "$HOPTHU_ROOT/$entry" ]; then
      (cd "$HOPTHU_ROOT" && node scripts/build-services.ts "$s") >>"$VAR/log/$name.log" 2>&1 ||
        { tail -n 30 "$VAR/log/$name.log" >&2; die "$name did not compile (log: var/log/$name.log)"; }
    fi
  fi
  # exec, so the recorded pid is node's own and `stop` reaches the process that holds the port.
  # Memory (docs/performance.md): young generation capped at 2 MiB a semi-space (8 MiB held up to
  # 16 MiB more through a burst for 1–4 % less CPU; 4 → 2 measured 0–6 MiB lower through 5,000
  # bursts at no measurable CPU), old space held to 160 MiB, two malloc arenas instead of eight per
  # core (pg and Kafka buffers fragment them), and malloc's mmap and trim thresholds fixed at
  # 128 KiB: glibc otherwise raises them after the first large buffer is freed, so later fetch and
  # query buffers stay in its heap and are not given back. The three MALLOC_* values given in the
  # environment win (to measure another setting: MALLOC_ARENA_MAX=1 ./hopthu restart directory).
  # HOPTHU_ADMIN_TOKEN=off: the static admin token switched off, only the console's operator tokens
  # open the admin routes (docs/operations.md, "Switching the static token off").
  local without=()
  [ "${HOPTHU_ADMIN_TOKEN:-on}" = off ] && without=(-u ADMIN_TOKEN)
  # HOPTHU_NODE_OPTIONS: further node flags for the services this command starts, e.g. a CPU
  # profile: HOPTHU_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=var/profile" ./hopthu restart directory
  local extra=()
  read -ra extra <<<"${HOPTHU_NODE_OPTIONS:-}"
  (cd "$HOPTHU_ROOT" && exec env "${without[@]}" PORT="$port" DATABASE_URL="${!dbvar}" \
    MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}" \
    MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}" \
    node --max-semi-space-size=2 --max-old-space-size=160 "${extra[@]}" "$entry") \
    </dev/null >>"$VAR/log/$name.log" 2>&1 &
  echo $! >"$VAR/run/$name.pid"
  local i
  for i in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then return 0; fi
    service_running "$name" || { tail -n 30 "$VAR/log/$name.log" >&2; die "$name exited while starting (log: var/log/$name.log)"; }
    sleep 0.5
  done
  die "$name did not become ready on :$port (log: var/log/$name.log)"
}

stop_service() {
  local s=$1 pid
  [ -f "$VAR/run/$s.pid" ] || return 0
  pid=$(cat "$VAR/run/$s.pid")
  if pid_alive "$pid"; then
    log "stopping $s"
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 40); do pid_alive "$pid" || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$VAR/run/$s.pid" "$VAR/run/$s"-[0-9]*.pid
  # A process started outside ./hopthu (a test, by hand, a further instance) would still hold the port.
  pkill -f "services/$s/(src/main\.ts|dist/main\.mjs)" 2>/dev/null || true
}

# stop_instance NAME N: stops only instance N (> 1) of a service, by its pid file.
stop_instance() {
  local f="$VAR/run/$1-$2.pid" pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if pid_alive "$pid"; then
    log "stopping $1-$2"
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 40); do pid_alive "$pid" || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

services_up() { local s; for s in $(services); do start_service "$s"; done; }
services_down() { local s; for s in $(services | tac); do stop_service "$s"; done; }

cmd_up() {
  local instances=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --instances) instances=${2:?--instances needs a number}; shift ;;
      *) die "usage: ./hopthu up [--instances N]" ;;
    esac
    shift
  done
  [[ "$instances" =~ ^[1-9]$ ]] || die "--instances takes 1 to 9"
  install_all
  infra_up
  services_up
  node "$HOPTHU_ROOT/scripts/seed-demo.ts"
  local n s
  for n in $(seq 2 "$instances"); do for s in $(services); do start_service "$s" "$n"; done; done
  cmd_status
}

cmd_down() {
  services_down
  infra_down
}

cmd_status() {
  infra_status
  local s
  for s in $(services); do
    if service_running "$s"; then printf '%-12s up    http://127.0.0.1:%s\n' "$s" "${SERVICE_PORT[$s]}"
    else printf '%-12s down\n' "$s"; fi
    local f n
    for f in "$VAR/run/$s"-[0-9]*.pid; do
      [ -e "$f" ] || continue
      n=${f##*-}; n=${n%.pid}
      if service_running "$s-$n"; then printf '%-12s up    http://127.0.0.1:%s\n' "$s-$n" "$((SERVICE_PORT[$s] + 100 * (n - 1)))"
      else printf '%-12s down\n' "$s-$n"; fi
    done
  done
}

# Empties every store and brings the demo back as `./hopthu up` would on a new machine.
fresh_stack() {
  log "resetting to a fresh stack"
  services_down
  infra_reset
  rm -f "$VAR/demo/mailboxes.json" "$VAR/demo/clients.json"   # their passwords and keys died with the data
  infra_up
  services_up
  node "$HOPTHU_ROOT/scripts/seed-demo.ts"
}

cmd_reset() {
  install_all
  fresh_stack
  cmd_status
}

# Runs every suite and ends with one line `N passed, N failed` summing them all.
cmd_test() {
  install_all
  fresh_stack

  local out="$VAR/test"; rm -rf "$out"; mkdir -p "$out"
  local passed=0 failed=0
  cd "$HOPTHU_ROOT"

  log "lint (biome)"
  if npx biome check . >"$out/lint.txt" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); cat "$out/lint.txt"; echo "lint: FAILED"; fi
  log "dependency rule (dependency-cruiser: domain/ imports no http, Kafka or driver; services never import each other)"
  if npx depcruise services packages --config .dependency-cruiser.cjs >"$out/dependency-rule.txt" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); cat "$out/dependency-rule.txt"; echo "dependency rule: FAILED"; fi
  log "copies between services (jscpd: a block copied from one service into another belongs in packages/)"
  if node scripts/check-copies.ts >"$out/copies.txt" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); cat "$out/copies.txt"; echo "copies between services: FAILED"; fi
  log "type-check (turbo → tsc per workspace, then the root's scripts and tests)"
  if { npx turbo run typecheck --output-logs=errors-only && npx tsc -p tsconfig.json; } >"$out/typecheck.txt" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); cat "$out/typecheck.txt"; echo "typecheck: FAILED"; fi

  local project
  for project in unit component integration; do
    log "vitest: $project"
    npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="$out/$project.json" || true
    if [ -f "$out/$project.json" ]; then
      read -r p f < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + (r.numTotalTestSuites && r.testResults.filter(t=>t.status==="failed"&&t.assertionResults.length===0).length))' "$out/$project.json")
      passed=$((passed + p)); failed=$((failed + f))
    else
      echo "vitest $project produced no report"; failed=$((failed + 1))
    fi
  done
  # The tests leave their own agencies, operators, requests and deadlines behind: hand the next
  # user the demo as ./hopthu up leaves it, not the test run's leftovers. A subshell, so a failing
  # step is counted instead of ending the run before its summary.
  log "reseeding the demo (the tests' own data goes)"
  if (fresh_stack) >"$out/reseed.txt" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); tail -n 30 "$out/reseed.txt"; echo "reseed: FAILED"; fi
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# Start, stop or restart one part of a running system: a service, or one piece of infrastructure.
# Operators use it to recover one part; the fault tests use it to take a part away under load.
cmd_component() {
  local action=$1 name=${2:-}
  [ -n "$name" ] || die "usage: ./hopthu $action NAME (a service, postgresql, dovecot, postfix or kafka)"
  local up down
  case "$name" in
    postgresql) up=pg_component_up down=pg_down ;;
    dovecot) ensure_node; up="mail_up dovecot" down=dovecot_down ;;
    postfix) ensure_node; up="mail_up postfix" down=postfix_down ;;
    kafka) up=kafka_up down=kafka_down ;;
    *)
      ensure_node
      if [[ "$name" =~ ^(.+)-([2-9])$ ]] && [ -f "$HOPTHU_ROOT/services/${BASH_REMATCH[1]}/src/main.ts" ]; then
        # one further instance (./hopthu up --instances): NAME-N on its own, the others untouched
        up="start_service ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}" down="stop_instance ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
      else
        [ -f "$HOPTHU_ROOT/services/$name/src/main.ts" ] || die "unknown part '$name'"
        up="start_service $name" down="stop_service $name"
      fi ;;
  esac
  case "$action" in
    start) $up ;;
    stop) $down ;;
    restart) $down; $up ;;
  esac
}

# Measures the running system (scripts/bench.ts): starts what is missing, restarts the services so
# their peak memory is the bench's own, seeds the demo if it never was.
cmd_bench() {
  install_all
  infra_up
  services_down
  services_up
  [ -f "$VAR/demo/clients.json" ] || node "$HOPTHU_ROOT/scripts/seed-demo.ts"
  node "$HOPTHU_ROOT/scripts/bench.ts"
}

# ./hopthu drift [--repair] [--domain DOMAIN]: the directory's mailboxes against vmail (the
# provisioner's /admin/drift); --repair fixes what can be fixed. Exit 1 while differences remain.
cmd_drift() {
  local method=GET route=/admin/drift query=
  while [ $# -gt 0 ]; do
    case "$1" in
      --repair) method=POST route=/admin/drift/repair ;;
      --domain) query="?domain=${2:?--domain needs a domain}"; shift ;;
      *) die "usage: ./hopthu drift [--repair] [--domain DOMAIN]" ;;
    esac
    shift
  done
  ensure_node
  curl -fsS -X "$method" -H "authorization: Bearer $ADMIN_TOKEN" \
    "http://127.0.0.1:${SERVICE_PORT[provisioner]}$route$query" |
    node "$HOPTHU_ROOT/scripts/drift-report.ts"
}

# ./hopthu rotate-token-key: a new Ed25519 key signs access tokens from the restart on; the previous
# one stays in TOKEN_SIGNING_KEYS (and the JWK set) so tokens it signed work until they expire.
cmd_rotate_token_key() {
  ensure_node
  secrets_rotate_token_key
  export TOKEN_SIGNING_KEYS; TOKEN_SIGNING_KEYS=$(secrets_get TOKEN_SIGNING_KEYS)
  local previous=${TOKEN_SIGNING_KEYS#*,}
  log "token key ${TOKEN_SIGNING_KEYS%%:*} now signs; ${previous%%:*} kept to verify until its tokens expire"
  if service_running requests; then stop_service requests; start_service requests; fi
}

# ./hopthu rotate-data-key: a new data key in front, the requests service restarted on both keys
# (new writes use the new one, every old ciphertext still opens), every ciphertext re-encrypted,
# then the old keys dropped and the service restarted on the new key alone.
cmd_rotate_data_key() {
  ensure_node
  local was_running=0
  service_running requests && was_running=1
  secrets_add_data_key
  export DATA_KEYS; DATA_KEYS=$(secrets_get DATA_KEYS)
  log "data key ${DATA_KEYS%%:*} now encrypts; re-encrypting what the others sealed"
  if [ $was_running = 1 ]; then stop_service requests; start_service requests; fi
  (cd "$HOPTHU_ROOT" && DATABASE_URL=$REQUESTS_DATABASE_URL node services/requests/src/tools/reencrypt-data.ts) ||
    die "re-encryption incomplete: the old keys stay in var/secrets.env (DATA_KEYS); fix and run again"
  secrets_drop_old_data_keys
  DATA_KEYS=$(secrets_get DATA_KEYS)
  if [ $was_running = 1 ]; then stop_service requests; start_service requests; fi
  log "data key rotated: DATA_KEYS holds ${DATA_KEYS%%:*} alone"
}

run_command() {
  local cmd=$1; shift || true
  case "$cmd" in
    up) cmd_up "$@" ;;
    down) ensure_node; cmd_down ;;
    test) cmd_test ;;
    reset) cmd_reset ;;
    bench) cmd_bench ;;
    status) cmd_status ;;
    drift) cmd_drift "$@" ;;
    backup) cmd_backup "$@" ;;
    restore) ensure_node; cmd_restore "$@" ;;
    fuzz) ensure_node; cd "$HOPTHU_ROOT" && exec node scripts/fuzz.ts "$@" ;;
    rotate-token-key) cmd_rotate_token_key ;;
    rotate-data-key) cmd_rotate_data_key ;;
    policy) ensure_node; exec node "$HOPTHU_ROOT/packages/naming/src/policy-cli.ts" "$@" ;;
    reorganise) ensure_node; exec node "$HOPTHU_ROOT/scripts/reorganise.ts" "$@" ;;
    import) ensure_node; exec node "$HOPTHU_ROOT/scripts/import.ts" "$@" ;;
    import-mail) ensure_node; exec node "$HOPTHU_ROOT/scripts/import-mail.ts" "$@" ;;
    demo) ensure_node; [ "${1:-}" = reorganisation ] || die "usage: ./hopthu demo reorganisation"; exec node "$HOPTHU_ROOT/scripts/demo-reorganisation.ts" ;;
    start | stop | restart) cmd_component "$cmd" "$@" ;;
    logs)
      local name=${1:-} names file
      names="$(services | tr '\n' ' ')kafka dovecot postfix postgresql"
      case "$name" in
        kafka) file=$KAFKA_LOG ;;
        dovecot) file=$DOVECOT_LOG ;;
        postfix) file=$POSTFIX_LOG ;;
        postgresql) file=/var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log ;;
        *)
          # A typo must fail at once with the names, not hang waiting for a file that never comes.
          [[ -n "$name" && " $names " == *" $name "* ]] || die "usage: ./hopthu logs NAME, one of: $names"
          file=$VAR/log/$name.log ;;
      esac
      exec tail -n 100 -F "$file" ;;
    *) die "unknown command '$cmd' (./hopthu --help)" ;;
  esac
}
