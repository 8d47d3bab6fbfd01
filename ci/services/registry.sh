#!/usr/bin/env bash
# A test service (see ci/services/README.md): Debian's docker-registry twice on 127.0.0.1,
# one open, one behind htpasswd Basic auth, each with its own temporary storage and config.
#   start_service_registry   # exports SLUICE_TEST_REGISTRY, SLUICE_TEST_REGISTRY_AUTH,
#                            # SLUICE_TEST_REGISTRY_USER, SLUICE_TEST_REGISTRY_PASSWORD
#   stop_service_registry    # stops exactly the processes started

SLUICE_REGISTRY_WORK=""

# registry_start_one NAME AUTH_YAML: starts a registry on a free port; writes NAME.addr and NAME.pid.
registry_start_one() {
  local name=$1 auth=$2 port config pid
  for _ in $(seq 1 20); do
    port=$(shuf -i 20000-60000 -n 1)
    config="$SLUICE_REGISTRY_WORK/$name.yml"
    cat > "$config" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $SLUICE_REGISTRY_WORK/$name-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
$auth
YAML
    docker-registry serve "$config" >"$SLUICE_REGISTRY_WORK/$name.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 50); do
      if curl -s -o /dev/null "http://127.0.0.1:$port/v2/"; then
        echo "$pid" > "$SLUICE_REGISTRY_WORK/$name.pid"
        echo "127.0.0.1:$port" > "$SLUICE_REGISTRY_WORK/$name.addr"
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
  done
  echo "ci/services/registry: cannot start docker-registry ($name); see $SLUICE_REGISTRY_WORK/$name.log" >&2
  return 1
}

start_service_registry() {
  command -v docker-registry >/dev/null || { echo "ci/services/registry: docker-registry is not installed (run ci/setup)" >&2; return 1; }
  SLUICE_REGISTRY_WORK=$(mktemp -d /tmp/sluice-registry.XXXXXX)
  export SLUICE_TEST_REGISTRY_USER=sluice-test
  export SLUICE_TEST_REGISTRY_PASSWORD="pw-$RANDOM$RANDOM"
  htpasswd -Bbn "$SLUICE_TEST_REGISTRY_USER" "$SLUICE_TEST_REGISTRY_PASSWORD" > "$SLUICE_REGISTRY_WORK/htpasswd"
  registry_start_one open "" || return 1
  registry_start_one auth "auth:
  htpasswd:
    realm: sluice-test
    path: $SLUICE_REGISTRY_WORK/htpasswd" || return 1
  SLUICE_TEST_REGISTRY=$(cat "$SLUICE_REGISTRY_WORK/open.addr")
  SLUICE_TEST_REGISTRY_AUTH=$(cat "$SLUICE_REGISTRY_WORK/auth.addr")
  export SLUICE_TEST_REGISTRY SLUICE_TEST_REGISTRY_AUTH
  echo "ci/services/registry: open registry at $SLUICE_TEST_REGISTRY, Basic-auth registry at $SLUICE_TEST_REGISTRY_AUTH"
}

stop_service_registry() {
  [ -n "$SLUICE_REGISTRY_WORK" ] && [ -d "$SLUICE_REGISTRY_WORK" ] || return 0
  for pidfile in "$SLUICE_REGISTRY_WORK"/*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  done
  rm -rf "$SLUICE_REGISTRY_WORK"
  SLUICE_REGISTRY_WORK=""
}
