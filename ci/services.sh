#!/usr/bin/env bash
# Starts and stops every test service in ci/services/ (see its README). Meant to be sourced:
#   source ci/services.sh
#   start_test_services    # exports each service's SLUICE_TEST_* variables
#   stop_test_services     # stops what was started, in reverse order
_sluice_services=()
for _f in "$(dirname "${BASH_SOURCE[0]}")"/services/*.sh; do
  # shellcheck source=/dev/null
  source "$_f"
  _sluice_services+=("$(basename "$_f" .sh)")
done
unset _f

start_test_services() {
  local name
  for name in "${_sluice_services[@]}"; do
    "start_service_$name" || { echo "ci/services: $name did not start" >&2; return 1; }
  done
}

stop_test_services() {
  local i
  for (( i=${#_sluice_services[@]}-1; i>=0; i-- )); do
    "stop_service_${_sluice_services[$i]}" || true
  done
}
