#!/usr/bin/env bash
# A test service (see ci/services/README.md): a real MLflow tracking server and model
# registry (the venv ci/setup.d/mlflow.sh installs) on 127.0.0.1, with a SQLite backend
# store and proxied artifacts (--serve-artifacts) in a temporary directory; and a second one
# behind MLflow's own Basic authentication (--app-name basic-auth) for the 401 tests.
#   start_service_mlflow   # exports SLUICE_TEST_MLFLOW_URI, SLUICE_TEST_MLFLOW_AUTH_URI,
#                          # SLUICE_TEST_MLFLOW_USER, SLUICE_TEST_MLFLOW_PASSWORD
#   stop_service_mlflow    # stops exactly the processes started

SLUICE_MLFLOW_WORK=""

# mlflow_start_one NAME [EXTRA ARGS...]: starts a server in the background on a free port;
# writes NAME.pid (its process group) and NAME.port. mlflow_wait_one NAME waits until it answers.
mlflow_start_one() {
  local name=$1 port
  shift
  port=$(shuf -i 20000-60000 -n 1)
  mkdir -p "$SLUICE_MLFLOW_WORK/$name-artifacts"
  # setsid: the server and the web server processes it starts form a process group of their
  # own, whose id (the session leader's pid, written from inside) stop_service_mlflow kills.
  (cd "$SLUICE_MLFLOW_WORK" && exec setsid bash -c 'echo $$ > "$0"; exec "$@"' "$SLUICE_MLFLOW_WORK/$name.pid" \
    "$SLUICE_MLFLOW_VENV/bin/mlflow" server --host 127.0.0.1 --port "$port" --workers 1 \
    --backend-store-uri "sqlite:///$SLUICE_MLFLOW_WORK/$name.db" \
    --serve-artifacts --artifacts-destination "$SLUICE_MLFLOW_WORK/$name-artifacts" "$@" \
    >"$SLUICE_MLFLOW_WORK/$name.log" 2>&1) &
  echo "$port" > "$SLUICE_MLFLOW_WORK/$name.port"
}

mlflow_wait_one() {
  local name=$1 port pid
  port=$(cat "$SLUICE_MLFLOW_WORK/$name.port")
  # Importing MLflow takes a minute or more on a busy machine: wait up to three.
  for _ in $(seq 1 900); do
    curl -s -o /dev/null "http://127.0.0.1:$port/health" && return 0
    pid=$(cat "$SLUICE_MLFLOW_WORK/$name.pid" 2>/dev/null)
    [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "ci/services/mlflow: the MLflow server ($name) did not start; see $SLUICE_MLFLOW_WORK/$name.log" >&2
  return 1
}

start_service_mlflow() {
  # shellcheck source=/dev/null
  source "$(dirname "${BASH_SOURCE[0]}")/../setup.d/mlflow.env"
  [ -x "$SLUICE_MLFLOW_VENV/bin/mlflow" ] || { echo "ci/services/mlflow: $SLUICE_MLFLOW_VENV/bin/mlflow is missing (run ci/setup)" >&2; return 1; }
  SLUICE_MLFLOW_WORK=$(mktemp -d /tmp/sluice-mlflow.XXXXXX)
  export SLUICE_TEST_MLFLOW_USER=sluice-test
  export SLUICE_TEST_MLFLOW_PASSWORD="pw-$RANDOM$RANDOM$RANDOM"
  # MLflow's basic-auth app reads its admin account and user database from this file.
  cat > "$SLUICE_MLFLOW_WORK/basic_auth.ini" <<INI
[mlflow]
default_permission = MANAGE
database_uri = sqlite:///$SLUICE_MLFLOW_WORK/auth-users.db
admin_username = $SLUICE_TEST_MLFLOW_USER
admin_password = $SLUICE_TEST_MLFLOW_PASSWORD
authorization_function = mlflow.server.auth:authenticate_request_basic_auth
INI
  # Both start at once: each takes seconds to import MLflow.
  mlflow_start_one open
  # The auth app also wants a fixed secret for its CSRF protection (its UI forms).
  MLFLOW_AUTH_CONFIG_PATH="$SLUICE_MLFLOW_WORK/basic_auth.ini" MLFLOW_FLASK_SERVER_SECRET_KEY="csrf-$RANDOM$RANDOM" \
    mlflow_start_one auth --app-name basic-auth
  mlflow_wait_one open || return 1
  mlflow_wait_one auth || return 1
  export SLUICE_TEST_MLFLOW_URI="http://127.0.0.1:$(cat "$SLUICE_MLFLOW_WORK/open.port")"
  export SLUICE_TEST_MLFLOW_AUTH_URI="http://127.0.0.1:$(cat "$SLUICE_MLFLOW_WORK/auth.port")"
  echo "ci/services/mlflow: MLflow $SLUICE_MLFLOW_VERSION at $SLUICE_TEST_MLFLOW_URI, with Basic auth at $SLUICE_TEST_MLFLOW_AUTH_URI"
}

stop_service_mlflow() {
  [ -n "$SLUICE_MLFLOW_WORK" ] && [ -d "$SLUICE_MLFLOW_WORK" ] || return 0
  local pidfile pid
  for pidfile in "$SLUICE_MLFLOW_WORK"/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    # The server's own process group (setsid above): it and the web server processes it started.
    kill -- "-$pid" 2>/dev/null
  done
  # They take a moment to shut down; wait (up to 10 s) before removing their files.
  for pidfile in "$SLUICE_MLFLOW_WORK"/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    for _ in $(seq 1 50); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 0.2
    done
  done
  rm -rf "$SLUICE_MLFLOW_WORK"
  SLUICE_MLFLOW_WORK=""
}
