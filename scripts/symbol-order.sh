#!/usr/bin/env bash
# `make symbol-order`: writes scripts/hull.order, the functions hull runs on the commands engines
# send (each profiled command's by instruction count, one command after another), for lld's
# --symbol-ordering-file (docs/performance.md).
#
# The release build links hull with every function in its own section (-function-sections) and
# places the listed ones first: the code a `run` executes then sits on few pages instead of
# being spread over the 10.7 MB text, so fewer pages are faulted in (peak RSS, page faults).
#
# Each command is run under callgrind, which counts the instructions of each function of hull's
# own process. hull and valgrind's tools sit on read-only bind mounts in a private mount
# namespace, so hull skips the CVE-2019-5736 sealing (callgrind could not follow it) and the
# profile shows the work itself. A name the next build no longer has is ignored by the linker;
# regenerate the file after large changes.
#
# usage: scripts/symbol-order.sh HULL_BINARY OUTPUT
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
[[ $# -eq 2 ]] || die "usage: symbol-order.sh HULL_BINARY OUTPUT"
[[ -x $1 ]] || die "$1: not an executable (run: make build)"
[[ $(id -u) -eq 0 ]] || die "symbol-order.sh runs containers: run it as root"
require valgrind callgrind_annotate objcopy unshare jq
output=$2

work=$(mktemp -d /tmp/hull-order.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/profiles"
# valgrind cannot read the release binary's DWARF: profile a copy without it (same symbols).
objcopy --strip-debug "$1" "$work/bin/hull"
make_busybox_rootfs "$work/true"
"$work/bin/hull" spec --bundle "$work/true"
edit_config "$work/true" '.process.terminal = false | .process.args = ["/bin/true"]'
cp -a "$work/true" "$work/sleep"
edit_config "$work/sleep" '.process.args = ["sleep", "100"]'
cp -a "$work/true" "$work/limits"
edit_config "$work/limits" '.linux.resources += {memory: {limit: 67108864}, pids: {limit: 64}, cpu: {shares: 512}}'

# The commands, one callgrind profile each (inside the private mount namespace).
cat >"$work/profile.sh" <<'PROFILE'
set -eu
work=$1
valgrind_lib=$(dirname "$(command -v valgrind)")/../libexec/valgrind
for dir in "$work/bin" "$valgrind_lib"; do
    mount --bind "$dir" "$dir" && mount -o remount,ro,bind "$dir" "$dir"
done
hull="$work/bin/hull --root $work/root"
n=0
profile() {
    n=$((n + 1))
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/profiles/$n.out" \
        $hull "$@" >/dev/null 2>>"$work/valgrind.log" || true
}
profile --version
profile features
mkdir "$work/spec" && profile spec --bundle "$work/spec"
profile run --bundle "$work/true" order-run
profile run --bundle "$work/limits" order-limits
profile create --bundle "$work/sleep" order-a
profile state order-a
profile start order-a
profile list
profile exec order-a /bin/true
profile ps order-a
profile pause order-a
profile resume order-a
profile events --stats order-a
profile update --pids-limit 100 order-a
profile kill order-a KILL
sleep 0.2
profile delete order-a
$hull create --bundle "$work/sleep" order-b
profile delete --force order-b
PROFILE
unshare -m --propagation private bash "$work/profile.sh" "$work"

# Every function of hull's own binary in each profile, by its instruction count (callgrind's
# "'N" marks a recursion level of the same function), each name once. A name that several
# local functions share (value witnesses such as `$sSqwcp`, one copy per object file) is left
# out: the linker would place every copy first, and with them the large sections of objects
# hull barely uses.
nm "$work/bin/hull" | awk '$2 ~ /^[tTwW]$/ { print $3 }' | sort | uniq -d >"$work/shared-names"
for profile in "$work"/profiles/*.out; do
    callgrind_annotate --threshold=100 "$profile" 2>/dev/null |
        awk -v object="[$work/bin/hull]" '$NF == object { name = $(NF - 1); sub(/^[^:]*:/, "", name); print name }'
done | sed -E "s/'[0-9]+$//" | awk '!seen[$0]++' | grep -vxFf "$work/shared-names" >"$work/order"
count=$(wc -l <"$work/order")
[[ $count -gt 1000 ]] || die "only $count functions profiled: see $work/valgrind.log"
mv "$work/order" "$output"
echo "$output: $count functions"
