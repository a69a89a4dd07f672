#!/bin/bash
# Runs the engine tests (`make test-engines`): each engine's script in turn, with its time.
# Usage: tests/engines/run.sh [ENGINE...]   (default: podman podman-rootless buildah containerd docker)
# RUNTIME=/usr/sbin/runc runs the same checks with runc, the reference.
set -uo pipefail
cd "$(dirname "$0")"
engines=("$@")
[ ${#engines[@]} -gt 0 ] || engines=(podman podman-rootless buildah containerd docker)
failed=()
start=$SECONDS
for engine in "${engines[@]}"; do
    [ -f "$engine.sh" ] || { echo "FAIL no test for engine '$engine'" >&2; failed+=("$engine"); continue; }
    began=$SECONDS
    bash "$engine.sh" || failed+=("$engine")
    echo "# $engine: $((SECONDS - began)) s"
done
echo "# engines: $((SECONDS - start)) s"
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAIL engine tests: ${failed[*]}" >&2
    exit 1
fi
