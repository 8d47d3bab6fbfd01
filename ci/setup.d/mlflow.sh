#!/usr/bin/env bash
# Set-up step (see ci/setup): a Python venv with a pinned MLflow from PyPI, outside the
# repository, for the real MLflow tracking server the tests start (ci/services/mlflow.sh).
# The [auth] extra brings what the Basic-auth test server needs. Idempotent: an existing
# venv with the pinned version (and the extra) is kept as it is.
set -euo pipefail
source "$(dirname "$0")/mlflow.env"

if [ -x "$SLUICE_MLFLOW_VENV/bin/mlflow" ] \
  && [ "$("$SLUICE_MLFLOW_VENV/bin/python" -c 'import importlib.metadata as m; import flask_wtf; print(m.version("mlflow"))' 2>/dev/null)" = "$SLUICE_MLFLOW_VERSION" ]; then
  exit 0
fi

python=$(command -v python3) || { echo "ci/setup.d/mlflow: python3 is needed for the MLflow test server" >&2; exit 1; }
echo "ci/setup.d/mlflow: installing mlflow $SLUICE_MLFLOW_VERSION into $SLUICE_MLFLOW_VENV"
rm -rf "$SLUICE_MLFLOW_VENV"
mkdir -p "$(dirname "$SLUICE_MLFLOW_VENV")"
"$python" -m venv "$SLUICE_MLFLOW_VENV"
"$SLUICE_MLFLOW_VENV/bin/pip" install --quiet --disable-pip-version-check "mlflow[auth]==$SLUICE_MLFLOW_VERSION"
"$SLUICE_MLFLOW_VENV/bin/mlflow" --version
