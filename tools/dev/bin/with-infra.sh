#!/usr/bin/env bash
# Runs a command with the local Kafka up, and leaves things as it found them:
#   tools/dev/bin/with-infra.sh <command> [args...]
# Starts Kafka (deploy/kafka/kafka.sh) unless KAFKA_BROKERS is set or it already runs, runs the
# command, then stops Kafka only if this script started it. Exits with the command's status.
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kafka="$here/../../../deploy/kafka/kafka.sh"
started_kafka=false

# shellcheck disable=SC2317 # run by the EXIT trap
stop_started_kafka() {
  if [[ "$started_kafka" == true ]]; then
    bash "$kafka" stop || echo "with-infra: could not stop Kafka" >&2
  fi
}
trap stop_started_kafka EXIT
# Turn signals into an exit so the EXIT trap runs; 128+n is the shell's convention.
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z "${KAFKA_BROKERS:-}" ]] && ! bash "$kafka" status >/dev/null; then
  started_kafka=true
  bash "$kafka" start
fi

status=0
"$@" || status=$?
exit "$status"
