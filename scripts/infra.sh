# hopthu infrastructure: PostgreSQL 15, Dovecot 2.3 + Postfix 3.7 (vmail in PostgreSQL)
# and a single-node KRaft Kafka broker, all from Debian packages and Maven Central jars,
# started without systemd. Sourced (after scripts/lib.sh), never run.
#
#   infra_install   install missing Debian packages, fetch + verify the Kafka jars
#   infra_up        start everything, create roles/databases/schema/topics if missing
#   infra_down      stop everything (safe when already stopped)
#   infra_reset     empty every store (DBs, vmail rows, maildirs, Kafka data) for a fresh run
#   infra_status    one line per component: up/down
#
# Every step checks before it acts: a second run changes nothing and takes seconds.
# Every daemon is started with stdin/stdout/stderr redirected, so callers that pipe
# our output never hang (the dovecot master keeps inherited fds open for its life).
#
# The passwords and keys come from the environment, which scripts/commands.sh fills from
# var/secrets.env (generated on first run by secrets_ensure, scripts/lib.sh): none has a default.

: "${HOPTHU_ROOT:?scripts/lib.sh must be sourced first}"
: "${VAR:=$HOPTHU_ROOT/var}"

INFRA_DIR="$HOPTHU_ROOT/infra"

# ---- PostgreSQL ---------------------------------------------------------------------
: "${PG_VERSION:=15}"
: "${PG_CLUSTER:=main}"
: "${PGHOST_INFRA:=127.0.0.1}"
: "${PGPORT_INFRA:=5432}"
: "${HOPTHU_DB_USER:=hopthu}"
: "${HOPTHU_DB_PASSWORD:?HOPTHU_DB_PASSWORD is not set (var/secrets.env)}"
HOPTHU_DATABASES="hopthu_requests hopthu_directory hopthu_provisioner hopthu_notifier hopthu_console"
: "${VMAIL_ADMIN_PASSWORD:?VMAIL_ADMIN_PASSWORD is not set (var/secrets.env)}"      # role vmail_admin: the provisioner writes vmail
: "${VMAIL_DOVECOT_PASSWORD:?VMAIL_DOVECOT_PASSWORD is not set (var/secrets.env)}"  # role vmail_dovecot: passdb/userdb + last_login
: "${VMAIL_POSTFIX_PASSWORD:?VMAIL_POSTFIX_PASSWORD is not set (var/secrets.env)}"  # role vmail_postfix: SELECT only

_pg_url() { printf 'postgres://%s:%s@%s:%s/%s' "$1" "$2" "$PGHOST_INFRA" "$PGPORT_INFRA" "$3"; }
export DATABASE_ADMIN_URL; DATABASE_ADMIN_URL=${DATABASE_ADMIN_URL:-$(_pg_url "$HOPTHU_DB_USER" "$HOPTHU_DB_PASSWORD" postgres)}
export REQUESTS_DATABASE_URL; REQUESTS_DATABASE_URL=${REQUESTS_DATABASE_URL:-$(_pg_url "$HOPTHU_DB_USER" "$HOPTHU_DB_PASSWORD" hopthu_requests)}
export DIRECTORY_DATABASE_URL; DIRECTORY_DATABASE_URL=${DIRECTORY_DATABASE_URL:-$(_pg_url "$HOPTHU_DB_USER" "$HOPTHU_DB_PASSWORD" hopthu_directory)}
export PROVISIONER_DATABASE_URL; PROVISIONER_DATABASE_URL=${PROVISIONER_DATABASE_URL:-$(_pg_url "$HOPTHU_DB_USER" "$HOPTHU_DB_PASSWORD" hopthu_provisioner)}
export NOTIFIER_DATABASE_URL; NOTIFIER_DATABASE_URL=${NOTIFIER_DATABASE_URL:-$(_pg_url "$HOPTHU_DB_USER" "$HOPTHU_DB_PASSWORD" hopthu_notifier)}
export CONSOLE_DATABASE_URL; CONSOLE_DATABASE_URL=${CONSOLE_DATABASE_URL:-$(_pg_url "$HOPTHU_DB_USER" "$HOPTHU_DB_PASSWORD" hopthu_console)}
export VMAIL_DATABASE_URL; VMAIL_DATABASE_URL=${VMAIL_DATABASE_URL:-$(_pg_url vmail_admin "$VMAIL_ADMIN_PASSWORD" vmail)}

# ---- mail -----------------------------------------------------------------------------
export IMAP_HOST=${IMAP_HOST:-127.0.0.1} IMAP_PORT=${IMAP_PORT:-1143}
export SMTP_HOST=${SMTP_HOST:-127.0.0.1} SMTP_PORT=${SMTP_PORT:-2525}
export LMTP_PORT=2424 QUOTA_STATUS_PORT=12340
export DOVEADM_URL=${DOVEADM_URL:-http://127.0.0.1:8080/doveadm/v1}
: "${DOVEADM_API_KEY:=${HOPTHU_DOVEADM_API_KEY:?DOVEADM_API_KEY is not set (var/secrets.env)}}"
export DOVEADM_API_KEY
export DOVEADM_API_KEY_FILE="$VAR/secrets/doveadm-api-key"   # 0600, the key alone
export VMAIL_ROOT=/var/vmail VMAIL_UID=5000 VMAIL_GID=5000
# The demo province (its id: bac-ninh, dak-nong, …). One installation serves every installed
# province: Postfix's message_size_limit (EHLO SIZE) is a global ceiling, the largest province's
# encoded attachment limit, unless HOPTHU_MESSAGE_SIZE_LIMIT (bytes) or HOPTHU_MESSAGE_SIZE_LIMIT_MB
# is set (infra/mail/message-size-limit.ts); each recipient domain's own limit is applied by the
# policy service hopthu-size-policy (infra/mail/attachment-limits.ts).
export HOPTHU_PROVINCE=${HOPTHU_PROVINCE:-bac-ninh}
# Province policy files beyond the five seeds (packages/naming/provinces/): by default the demo's
# Bắc Giang (pre-merger, for `./hopthu demo reorganisation`); an installation points it at its own.
export PROVINCE_POLICY_DIR=${PROVINCE_POLICY_DIR:-$HOPTHU_ROOT/scripts/demo/provinces}
export DOVECOT_LOG=/var/log/dovecot.log POSTFIX_LOG=/var/log/postfix.log
# Mail clients: IMAP over TLS and submission (STARTTLS + AUTH through Dovecot SASL, whose auth
# service also listens on loopback for the requests service's self-service password check), with a
# certificate from the local CA infra/mail/local-ca.sh keeps in $TLS_DIR (clients trust ca.pem).
export IMAPS_PORT=1993 SUBMISSION_PORT=1587 DOVECOT_AUTH_PORT=12341
export TLS_DIR="$VAR/tls"
# where a holder changes an issued password (the refusal of IMAP/SMTP logins names it)
export SELF_SERVICE_URL=${SELF_SERVICE_URL:-http://127.0.0.1:3001/doi-mat-khau}

# ---- Kafka ----------------------------------------------------------------------------
export KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:9092}
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
KAFKA_DIR="$INFRA_DIR/kafka"
KAFKA_LIBS="$KAFKA_DIR/libs"
KAFKA_DATA="$VAR/kafka/data"
KAFKA_PROPS="$VAR/kafka/server.properties"
export KAFKA_LOG="$VAR/log/kafka.log"
KAFKA_PID="$VAR/run/kafka.pid"
: "${KAFKA_HEAP_OPTS:=-Xms256m -Xmx512m}"
KAFKA_TOPICS="hopthu.requests.v1 hopthu.provisioning.commands.v1 hopthu.provisioning.results.v1 hopthu.provisioning.deadletter.v1 hopthu.directory.v1"

INFRA_APT_PACKAGES="postgresql-$PG_VERSION dovecot-core dovecot-imapd dovecot-lmtpd dovecot-pgsql postfix postfix-pgsql chromium logrotate"

# ======================================================================================
# helpers

_port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# _wait_port HOST PORT SECONDS
_wait_port() {
  local i
  for ((i = 0; i < $3 * 10; i++)); do _port_open "$1" "$2" && return 0; sleep 0.1; done
  return 1
}

_pkg_installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

# _psql_su [psql args...]: psql as the postgres superuser over the local socket
_psql_su() { (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@"); }

# _render SRC: print SRC with @PLACEHOLDERS@ replaced
_render() {
  sed -e "s|@PGHOST@|$PGHOST_INFRA|g" -e "s|@PGPORT@|$PGPORT_INFRA|g" \
      -e "s|@VMAIL_DOVECOT_PASSWORD@|$VMAIL_DOVECOT_PASSWORD|g" \
      -e "s|@VMAIL_POSTFIX_PASSWORD@|$VMAIL_POSTFIX_PASSWORD|g" \
      -e "s|@DOVEADM_API_KEY@|$DOVEADM_API_KEY|g" \
      -e "s|@MESSAGE_SIZE_LIMIT@|${HOPTHU_MESSAGE_SIZE_LIMIT:-}|g" \
      -e "s|@INET_INTERFACES@|loopback-only|g" \
      -e "s|@MAILLOG_FILE@|$POSTFIX_LOG|g" \
      -e "s|@DOVECOT_HOST@|127.0.0.1|g" \
      -e "s|@TLS_DIR@|$TLS_DIR|g" -e "s|@SELF_SERVICE_URL@|$SELF_SERVICE_URL|g" \
      -e "s|@LOG_DIRS@|$KAFKA_DATA|g" \
      -e "s|@BROKER_PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" "$1"
}

# _install_file SRC DEST MODE OWNER:GROUP -> returns 0 if DEST was (re)written, 1 if unchanged
_install_file() {
  local src=$1 dest=$2 mode=$3 owner=$4 tmp
  tmp=$(mktemp)
  _render "$src" >"$tmp"
  if [ -f "$dest" ] && cmp -s "$tmp" "$dest" &&
     [ "$(stat -c '%a %U:%G' "$dest")" = "${mode#0} $owner" ]; then
    rm -f "$tmp"; return 1
  fi
  install -D -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$tmp" "$dest"
  rm -f "$tmp"
  return 0
}

# ======================================================================================
# install

infra_install() {
  local missing=() p
  for p in $INFRA_APT_PACKAGES; do _pkg_installed "$p" || missing+=("$p"); done
  command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || missing+=(maven)
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt: installing ${missing[*]}"
    # "No configuration": Debian writes no main.cf, infra_up installs ours
    debconf-set-selections <<'EOF'
postfix postfix/main_mailer_type select No configuration
postfix postfix/mailname string mail.hopthu.local
EOF
    apt-get update -qq >/dev/null || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confold "${missing[@]}" </dev/null >/dev/null ||
      die "apt-get install ${missing[*]} failed"
  fi
  kafka_fetch
}

# The broker jars: resolved by Maven from infra/kafka/pom.xml, then every file checked
# against the pinned infra/kafka/jars.sha256 (and nothing else may be in libs/).
_kafka_libs_ok() {
  local dir=$1 want have
  [ -d "$dir" ] || return 1
  want=$(grep -v '^#' "$KAFKA_DIR/jars.sha256" | awk 'NF==2{print $2}' | sort)
  have=$(cd "$dir" && ls -1 | sort)
  [ "$want" = "$have" ] || return 1
  (cd "$dir" && grep -v '^#' "$KAFKA_DIR/jars.sha256" | sha256sum -c --quiet --strict - >/dev/null 2>&1)
}

kafka_fetch() {
  _kafka_libs_ok "$KAFKA_LIBS" && return 0
  log "kafka: fetching broker jars from Maven Central (infra/kafka/pom.xml)"
  local tmp; tmp=$(mktemp -d)
  mvn -B -q -f "$KAFKA_DIR/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" </dev/null >"$tmp.log" 2>&1 ||
    { cat "$tmp.log" >&2; rm -rf "$tmp" "$tmp.log"; die "kafka: mvn dependency:copy-dependencies failed"; }
  rm -f "$tmp.log"
  if ! _kafka_libs_ok "$tmp"; then
    log "kafka: jar set or checksums differ from infra/kafka/jars.sha256:"
    (cd "$tmp" && grep -v '^#' "$KAFKA_DIR/jars.sha256" | sha256sum -c --quiet - 2>&1 | head -20) >&2 || true
    diff <(grep -v '^#' "$KAFKA_DIR/jars.sha256" | awk '{print $2}' | sort) <(cd "$tmp" && ls -1 | sort) >&2 || true
    rm -rf "$tmp"
    die "kafka: refusing unverified jars (update infra/kafka/jars.sha256 deliberately, see docs/kafka.md)"
  fi
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  chmod 755 "$KAFKA_LIBS"
  log "kafka: $(ls "$KAFKA_LIBS" | wc -l) jars verified in infra/kafka/libs"
}

# ======================================================================================
# PostgreSQL

pg_running() { pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; }

pg_up() {
  local changed=0
  PG_STARTED=0
  # room for four services' pools + Dovecot (~20) + Postfix proxymap + tests
  if _install_file /dev/stdin "/etc/postgresql/$PG_VERSION/$PG_CLUSTER/conf.d/hopthu.conf" 0644 postgres:postgres <<'EOF'
# hopthu (scripts/infra.sh)
max_connections = 200
EOF
  then changed=1; fi
  if pg_running; then
    if [ $changed = 1 ]; then
      log "postgresql: restarting to apply conf.d/hopthu.conf"
      pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart -m fast </dev/null >/dev/null 2>&1 || die "postgresql restart failed"
      PG_STARTED=1
    fi
  else
    log "postgresql: starting"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start </dev/null >/dev/null 2>&1 ||
      die "postgresql did not start (see /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log)"
    PG_STARTED=1
  fi
  local i
  for ((i = 0; i < 100; i++)); do pg_isready -q -h "$PGHOST_INFRA" -p "$PGPORT_INFRA" && return 0; sleep 0.1; done
  die "postgresql not ready on $PGHOST_INFRA:$PGPORT_INFRA"
}

# _pg_login_ok ROLE PASSWORD DB
_pg_login_ok() {
  PGPASSWORD=$2 PGCONNECT_TIMEOUT=5 psql -X -q -h "$PGHOST_INFRA" -p "$PGPORT_INFRA" -U "$1" -d "$3" \
    -tAc 'select 1' >/dev/null 2>&1
}

# _pg_ensure_password ROLE PASSWORD: set it only when logging in with it fails
_pg_ensure_password() {
  _pg_login_ok "$1" "$2" postgres && return 0
  log "postgresql: setting the password of role $1"
  VMAIL_RECREATED=1
  _psql_su -d postgres -v role="$1" -v pw="$2" <<'EOF'
ALTER ROLE :"role" PASSWORD :'pw';
EOF
}

pg_setup() {
  # role hopthu + the four service databases
  _psql_su -d postgres -v role="$HOPTHU_DB_USER" -v pw="$HOPTHU_DB_PASSWORD" <<'EOF' || die "postgresql: creating role hopthu failed"
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
EOF
  _pg_ensure_password "$HOPTHU_DB_USER" "$HOPTHU_DB_PASSWORD"
  local db
  for db in $HOPTHU_DATABASES; do
    _psql_su -d postgres -v db="$db" -v owner="$HOPTHU_DB_USER" <<'EOF' || die "postgresql: creating $db failed"
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
EOF
  done
  # vmail: roles, database, tables (idempotent, never drops)
  VMAIL_RECREATED=0
  [ "$(_psql_su -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='vmail'")" = 1 ] || VMAIL_RECREATED=1
  vmail_schema
  _pg_ensure_password vmail_admin "$VMAIL_ADMIN_PASSWORD"
  _pg_ensure_password vmail_dovecot "$VMAIL_DOVECOT_PASSWORD"
  _pg_ensure_password vmail_postfix "$VMAIL_POSTFIX_PASSWORD"
}

# ======================================================================================
# Dovecot + Postfix

# the vmail schema (infra/mail/vmail-schema.sql): idempotent, never drops; the mail configs call
# its functions (the auth brake), so mail_up applies it too
vmail_schema() {
  _psql_su -d postgres -v admin_pw="$VMAIL_ADMIN_PASSWORD" -v dovecot_pw="$VMAIL_DOVECOT_PASSWORD" \
    -v postfix_pw="$VMAIL_POSTFIX_PASSWORD" -f "$INFRA_DIR/mail/vmail-schema.sql" >/dev/null ||
    die "postgresql: vmail schema failed"
}

dovecot_running() { [ -f /run/dovecot/master.pid ] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; }
postfix_running() { postfix status >/dev/null 2>&1; }

mail_config() {
  # the per-message size limit, rendered into main.cf
  local size_limit
  size_limit=$(cd "$HOPTHU_ROOT" && node --no-warnings "$INFRA_DIR/mail/message-size-limit.ts") ||
    die "mail: cannot resolve the message size limit (HOPTHU_PROVINCE / HOPTHU_MESSAGE_SIZE_LIMIT[_MB])"
  export HOPTHU_MESSAGE_SIZE_LIMIT=$size_limit

  # vmail system user + mail root
  getent group vmail >/dev/null || groupadd -g "$VMAIL_GID" vmail
  getent passwd vmail >/dev/null || useradd -u "$VMAIL_UID" -g vmail -d "$VMAIL_ROOT" -s /usr/sbin/nologin -M vmail
  [ -d "$VMAIL_ROOT" ] && [ "$(stat -c '%a %U:%G' "$VMAIL_ROOT")" = "770 vmail:vmail" ] ||
    install -d -o vmail -g vmail -m 770 "$VMAIL_ROOT"

  # doveadm key for the services (the key alone, 0600)
  if [ ! -f "$DOVEADM_API_KEY_FILE" ] || [ "$(cat "$DOVEADM_API_KEY_FILE")" != "$DOVEADM_API_KEY" ]; then
    install -d -m 700 "$(dirname "$DOVEADM_API_KEY_FILE")"
    (umask 077 && printf '%s' "$DOVEADM_API_KEY" >"$DOVEADM_API_KEY_FILE")
  fi

  # the local CA and the server certificate (IMAPS, submission): reload both daemons when renewed
  local tls_out
  tls_out=$(bash "$INFRA_DIR/mail/local-ca.sh" "$TLS_DIR") || die "mail: cannot create the local CA in $TLS_DIR"
  # Dovecot: no PAM/system users, no stock cert (this image has no snakeoil), our overrides
  DOVECOT_CHANGED=0
  [ -n "$tls_out" ] && DOVECOT_CHANGED=1
  if grep -q '^!include auth-system.conf.ext' /etc/dovecot/conf.d/10-auth.conf; then
    sed -i 's/^!include auth-system.conf.ext/#&/' /etc/dovecot/conf.d/10-auth.conf; DOVECOT_CHANGED=1
  fi
  if grep -Eq '^(ssl_cert|ssl_key) = <' /etc/dovecot/conf.d/10-ssl.conf; then
    sed -i -E 's/^(ssl_cert|ssl_key) = </#&/' /etc/dovecot/conf.d/10-ssl.conf; DOVECOT_CHANGED=1
  fi
  _install_file "$INFRA_DIR/mail/dovecot/99-hopthu.conf" /etc/dovecot/conf.d/99-hopthu.conf 0644 root:root && DOVECOT_CHANGED=1
  local f
  for f in hopthu-secrets.conf.ext dovecot-sql-vmail.conf.ext dovecot-sql-brake.conf.ext dovecot-sql-failed.conf.ext dovecot-dict-lastlogin.conf.ext; do
    _install_file "$INFRA_DIR/mail/dovecot/$f" "/etc/dovecot/$f" 0640 root:dovecot && DOVECOT_CHANGED=1
  done
  [ -f "$DOVECOT_LOG" ] || touch "$DOVECOT_LOG"

  # Postfix: main.cf, pgsql maps, smtpd on 127.0.0.1:2525 instead of :25
  POSTFIX_CHANGED=0
  [ -n "$tls_out" ] && POSTFIX_CHANGED=1
  _install_file "$INFRA_DIR/mail/postfix/main.cf" /etc/postfix/main.cf 0644 root:root && POSTFIX_CHANGED=1
  [ -d /etc/postfix/pgsql ] || install -d -m 755 /etc/postfix/pgsql
  for f in virtual_domains.cf virtual_mailboxes.cf virtual_aliases.cf virtual_alias_domains.cf group_recipients.cf; do
    _install_file "$INFRA_DIR/mail/postfix/pgsql/$f" "/etc/postfix/pgsql/$f" 0640 root:postfix && POSTFIX_CHANGED=1
  done
  # restricted groups: a policy service spawned by Postfix as vmail, reading its own map
  _install_file "$INFRA_DIR/mail/postfix/pgsql/group_senders.cf" /etc/postfix/pgsql/group_senders.cf 0640 root:vmail &&
    POSTFIX_CHANGED=1
  _install_file "$INFRA_DIR/mail/postfix/hopthu-group-policy.sh" /etc/postfix/hopthu-group-policy.sh 0755 root:root &&
    POSTFIX_CHANGED=1
  local policy_svc="hopthu-group-policy unix - n n - 0 spawn user=vmail argv=/etc/postfix/hopthu-group-policy.sh"
  if [ "$(postconf -M hopthu-group-policy/unix 2>/dev/null | tr -s ' ')" != "$policy_svc" ]; then
    postconf -M "hopthu-group-policy/unix=$policy_svc"; POSTFIX_CHANGED=1
  fi
  # each province's attachment limit per recipient domain (infra/mail/attachment-limits.ts writes
  # the table; the policy service hopthu-size-policy.sh applies it at RCPT and END-OF-DATA)
  local limits_tmp
  limits_tmp=$(mktemp)
  (cd "$HOPTHU_ROOT" && node --no-warnings "$INFRA_DIR/mail/attachment-limits.ts") >"$limits_tmp" ||
    die "mail: cannot write the attachment limits of the provinces (PROVINCE_POLICY_DIR)"
  if ! cmp -s "$limits_tmp" /etc/postfix/hopthu-attachment-limits; then
    install -m 0644 -o root -g root "$limits_tmp" /etc/postfix/hopthu-attachment-limits; POSTFIX_CHANGED=1
  fi
  rm -f "$limits_tmp"
  _install_file "$INFRA_DIR/mail/postfix/hopthu-size-policy.sh" /etc/postfix/hopthu-size-policy.sh 0755 root:root &&
    POSTFIX_CHANGED=1
  local size_svc="hopthu-size-policy unix - n n - 0 spawn user=vmail argv=/etc/postfix/hopthu-size-policy.sh"
  if [ "$(postconf -M hopthu-size-policy/unix 2>/dev/null | tr -s ' ')" != "$size_svc" ]; then
    postconf -M "hopthu-size-policy/unix=$size_svc"; POSTFIX_CHANGED=1
  fi
  if postconf -M smtp/inet 2>/dev/null | grep -q .; then
    postconf -MX smtp/inet; POSTFIX_CHANGED=1
  fi
  if [ "$(postconf -M 127.0.0.1:2525/inet 2>/dev/null | tr -s ' ')" != "127.0.0.1:2525 inet n - y - - smtpd" ]; then
    postconf -M '127.0.0.1:2525/inet=127.0.0.1:2525 inet n - y - - smtpd'; POSTFIX_CHANGED=1
  fi
  # submission for mail clients: STARTTLS required, AUTH through Dovecot SASL, a login sends only as
  # its own addresses (sender_logins.cf; the hopthu_submission_* parameters are in main.cf); the AUTH
  # rate limit applies to every client, loopback too (no smtpd_client_event_limit_exceptions)
  for f in sender_logins.cf sasl_password_change.cf sasl_sent.cf; do
    _install_file "$INFRA_DIR/mail/postfix/pgsql/$f" "/etc/postfix/pgsql/$f" 0640 root:postfix && POSTFIX_CHANGED=1
  done
  local submission="127.0.0.1:$SUBMISSION_PORT inet n - y - - smtpd -o syslog_name=postfix/submission -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes -o smtpd_tls_auth_only=yes -o smtpd_client_restrictions=\$hopthu_submission_client_restrictions -o smtpd_sender_restrictions=\$hopthu_submission_sender_restrictions -o smtpd_relay_restrictions=\$hopthu_submission_relay_restrictions -o smtpd_client_event_limit_exceptions="
  if [ "$(postconf -M "127.0.0.1:$SUBMISSION_PORT/inet" 2>/dev/null | tr -s ' ')" != "$submission" ]; then
    postconf -M "127.0.0.1:$SUBMISSION_PORT/inet=$submission"; POSTFIX_CHANGED=1
  fi
  [ -f "$POSTFIX_LOG" ] || touch "$POSTFIX_LOG"
  # the mail logs kept 12 months (monthly, compressed; docs/operations.md)
  [ -d /etc/logrotate.d ] || install -d -m 755 /etc/logrotate.d
  _install_file "$INFRA_DIR/logrotate/hopthu-mail" /etc/logrotate.d/hopthu-mail 0644 root:root || true
  # Postfix's dict_pgsql waits 60 s before retrying a host that failed: after a
  # PostgreSQL (re)start under a running Postfix, a reload clears that at once
  # (and the same when vmail or a role's password was just (re)created)
  [ "${PG_STARTED:-0}" = 1 ] && POSTFIX_CHANGED=1
  [ "${VMAIL_RECREATED:-0}" = 1 ] && POSTFIX_CHANGED=1 && DOVECOT_CHANGED=1
  if [ "$POSTFIX_CHANGED" = 1 ]; then
    postfix check </dev/null >>"$POSTFIX_LOG" 2>&1 || die "postfix check failed (see $POSTFIX_LOG)"
  fi
}

dovecot_up() {
  if dovecot_running; then
    if [ "${DOVECOT_CHANGED:-0}" = 1 ]; then
      log "dovecot: reloading"
      doveconf -n >/dev/null || die "dovecot config invalid (doveconf -n)"
      doveadm reload </dev/null >>"$DOVECOT_LOG" 2>&1
    fi
  else
    log "dovecot: starting"
    doveconf -n >/dev/null || die "dovecot config invalid (doveconf -n)"
    # never let the master inherit the caller's fds (pitfall: the caller's pipe never closes)
    dovecot </dev/null >>"$DOVECOT_LOG" 2>&1 || die "dovecot did not start (see $DOVECOT_LOG)"
  fi
  _wait_port 127.0.0.1 "$IMAP_PORT" 15 || die "dovecot: nothing listens on $IMAP_PORT (see $DOVECOT_LOG)"
  _wait_port 127.0.0.1 "$IMAPS_PORT" 5 || die "dovecot: nothing listens on IMAPS $IMAPS_PORT (see $DOVECOT_LOG)"
  _wait_port 127.0.0.1 "$LMTP_PORT" 5 || die "dovecot: nothing listens on LMTP $LMTP_PORT"
}

# mail_up dovecot|postfix: render the mail config, then start that daemon (or reload it when its
# config changed); the other one, if running, is reloaded when its config changed. This is what
# `./hopthu start|restart dovecot|postfix` runs, so a changed infra/mail/ file or size limit
# takes effect without `./hopthu up`.
mail_up() {
  if _psql_su -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then vmail_schema; fi
  mail_config
  case "$1" in
    dovecot) dovecot_up; if postfix_running; then postfix_up; fi ;;
    postfix) postfix_up; if dovecot_running; then dovecot_up; fi ;;
    *) die "mail_up: dovecot or postfix, not '$1'" ;;
  esac
}

postfix_up() {
  if postfix_running; then
    if [ "${POSTFIX_CHANGED:-0}" = 1 ]; then
      log "postfix: reloading"
      postfix reload </dev/null >>"$POSTFIX_LOG" 2>&1
    fi
  else
    log "postfix: starting"
    postfix start </dev/null >>"$POSTFIX_LOG" 2>&1 || die "postfix did not start (see $POSTFIX_LOG)"
  fi
  _wait_port 127.0.0.1 "$SMTP_PORT" 15 || die "postfix: nothing listens on $SMTP_PORT (see $POSTFIX_LOG)"
  _wait_port 127.0.0.1 "$SUBMISSION_PORT" 5 || die "postfix: nothing listens on submission $SUBMISSION_PORT (see $POSTFIX_LOG)"
}

# ======================================================================================
# Kafka

kafka_running() {
  local pid
  [ -f "$KAFKA_PID" ] && pid=$(cat "$KAFKA_PID") && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    grep -qa 'kafka\.Kafka' "/proc/$pid/cmdline" 2>/dev/null
}

_kafka_java() {
  java -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" -cp "$KAFKA_LIBS/*" "$@"
}

kafka_up() {
  _kafka_libs_ok "$KAFKA_LIBS" || die "kafka: jars missing or unverified: run infra_install"
  mkdir -p "$VAR/kafka" "$VAR/log" "$VAR/run"
  local changed=0 warm=
  _install_file "$KAFKA_DIR/server.properties" "$KAFKA_PROPS" 0644 root:root && changed=1
  if kafka_running && [ $changed = 1 ]; then
    log "kafka: server.properties changed, restarting"
    kafka_down
  fi
  if ! kafka_running; then
    if _port_open 127.0.0.1 "$KAFKA_PORT"; then
      die "kafka: port $KAFKA_PORT is taken by a process we did not start (pid file $KAFKA_PID)"
    fi
    if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
      local cid
      cid=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
      log "kafka: formatting $KAFKA_DATA (cluster $cid)"
      mkdir -p "$KAFKA_DATA"
      _kafka_java -Xmx256m kafka.tools.StorageTool format -t "$cid" -c "$KAFKA_PROPS" --ignore-formatted \
        </dev/null >>"$KAFKA_LOG" 2>&1 || die "kafka: storage format failed (see $KAFKA_LOG)"
    fi
    log "kafka: starting broker on $KAFKA_BROKERS"
    # setsid: own session, so the caller's process group (and terminal) can go away
    # shellcheck disable=SC2086
    setsid java $KAFKA_HEAP_OPTS -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
      -Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" -cp "$KAFKA_LIBS/*" \
      kafka.Kafka "$KAFKA_PROPS" </dev/null >>"$KAFKA_LOG" 2>&1 &
    echo $! >"$KAFKA_PID"
    warm=warm   # coordinators reload their partitions after every start
  fi
  ensure_node
  node --no-warnings "$KAFKA_DIR/admin.mjs" wait 60 >/dev/null || die "kafka: broker not ready after 60 s (see $KAFKA_LOG)"
  local out
  out=$(node --no-warnings "$KAFKA_DIR/admin.mjs" topics $warm) || die "kafka: topic creation failed"
  [ -z "$out" ] || log "kafka: $out"
}

kafka_down() {
  kafka_running || { rm -f "$KAFKA_PID"; return 0; }
  local pid i; pid=$(cat "$KAFKA_PID")
  log "kafka: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "kafka: still running after 30 s, killing"
    kill -KILL "$pid" 2>/dev/null
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$KAFKA_PID"
}

# ======================================================================================
# public entry points

infra_up() {
  pg_up
  pg_setup
  mail_config
  dovecot_up
  postfix_up
  kafka_up
}

# pg_up for `./hopthu start|restart postgresql`: a running Postfix is reloaded after PostgreSQL
# came back, else its pgsql maps answer 451 for ~60 s (dict_pgsql's retry wait)
pg_component_up() {
  pg_up
  if [ "${PG_STARTED:-0}" = 1 ] && postfix_running; then
    postfix reload </dev/null >>"$POSTFIX_LOG" 2>&1 || true
  fi
}

postfix_down() {
  if command -v postfix >/dev/null && postfix_running; then
    log "postfix: stopping"
    postfix stop </dev/null >>"$POSTFIX_LOG" 2>&1 || true
  fi
}

dovecot_down() {
  if command -v dovecot >/dev/null && dovecot_running; then
    log "dovecot: stopping"
    local pid i; pid=$(cat /run/dovecot/master.pid)
    doveadm stop </dev/null >>"$DOVECOT_LOG" 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
}

pg_down() {
  if pg_running; then
    log "postgresql: stopping"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast </dev/null >/dev/null 2>&1 || true
  fi
}

infra_down() {
  kafka_down
  postfix_down
  dovecot_down
  pg_down
}

# Leaves every store empty; the next infra_up recreates what is missing. Works up or down.
infra_reset() {
  log "reset: emptying databases, vmail, maildirs, mail queue and Kafka data"
  # Kafka: stop, wipe; infra_up reformats and recreates the topics
  kafka_down
  rm -rf "$KAFKA_DATA"
  # PostgreSQL must run for this; put it back down afterwards if it was down
  local pg_was_up=1
  pg_running || { pg_was_up=0; pg_up; }
  local db
  for db in $HOPTHU_DATABASES; do
    _psql_su -d postgres -v db="$db" <<'EOF' || die "reset: dropping $db failed"
SET client_min_messages = warning;
DROP DATABASE IF EXISTS :"db" WITH (FORCE);
EOF
  done
  if _psql_su -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='vmail'" | grep -q 1; then
    _psql_su -d vmail <<'EOF' || die "reset: emptying vmail failed"
SET client_min_messages = warning;
TRUNCATE alias, mailbox, last_login, domain CASCADE;
-- the brake's failures (a vmail made before it has no such table yet)
DO $$BEGIN IF to_regclass('auth_failure') IS NOT NULL THEN TRUNCATE auth_failure; END IF; END$$;
EOF
  fi
  pg_setup   # recreates the four databases, empty
  [ $pg_was_up = 1 ] || pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast </dev/null >/dev/null 2>&1 || true
  # open IMAP sessions would otherwise keep writing into removed maildirs
  if command -v dovecot >/dev/null && dovecot_running; then
    doveadm kick '*' </dev/null >/dev/null 2>&1 || true
  fi
  if [ -d "$VMAIL_ROOT" ]; then
    find "$VMAIL_ROOT" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  fi
  if command -v postsuper >/dev/null && [ -d /var/spool/postfix/maildrop ]; then
    postsuper -d ALL </dev/null >/dev/null 2>&1 || true
  fi
}

infra_status() {
  local s
  s=down; pg_isready -q -h "$PGHOST_INFRA" -p "$PGPORT_INFRA" 2>/dev/null && s=up
  printf '%-11s %-5s %s\n' postgresql "$s" "$PGHOST_INFRA:$PGPORT_INFRA (hopthu_*, vmail)"
  s=down; command -v dovecot >/dev/null && dovecot_running && _port_open 127.0.0.1 "$IMAP_PORT" && s=up
  printf '%-11s %-5s %s\n' dovecot "$s" "imap 127.0.0.1:$IMAP_PORT, lmtp :$LMTP_PORT, doveadm $DOVEADM_URL, log $DOVECOT_LOG"
  s=down; command -v postfix >/dev/null && postfix_running && _port_open 127.0.0.1 "$SMTP_PORT" && s=up
  printf '%-11s %-5s %s\n' postfix "$s" "smtp 127.0.0.1:$SMTP_PORT, log $POSTFIX_LOG"
  s=down; kafka_running && _port_open 127.0.0.1 "$KAFKA_PORT" && s=up
  printf '%-11s %-5s %s\n' kafka "$s" "$KAFKA_BROKERS, log $KAFKA_LOG"
}
