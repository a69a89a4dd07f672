#!/bin/bash
# Shared helpers of the engine tests (tests/engines/*.sh, run by `make test-engines`).
#
# Each engine test sources this file, calls `engine_setup NAME`, runs its checks with `check_*`
# and ends with `finish`. What this file guarantees:
# - the engine runs hull through a wrapper named `hull` ($WRAPPER) that appends every command
#   line to $ARGV_LOG, then execs the real binary: a test can prove the engine called hull, and
#   the recorded command lines are what docs/engines.md quotes;
# - everything lives in one scratch directory ($SCRATCH): storage, state, sockets, logs;
# - `on_exit CMD` registers cleanup, run in reverse order on any exit (daemons are stopped by PID);
#   then mounts under $SCRATCH are detached, the scratch directory is removed, and the cgroups
#   and fixed paths the engine created (and that did not exist before) are removed;
# - a missing tool fails the test with a message naming it (`make deps-engines` installs them).
#
# RUNTIME=/usr/sbin/runc runs the same checks with runc instead of hull (the reference).
# ENGINE_ARGV_DIR=DIR keeps each engine's recorded runtime command lines in DIR/ENGINE.argv.
set -uo pipefail

ENGINE_TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$ENGINE_TESTS_DIR/../.." && pwd)
RUNTIME=${RUNTIME:-${HULL_BINARY:-$REPO_DIR/.build/release/hull}}
BUSYBOX=/bin/busybox
# A unique tag for cgroup parents and names, so that two runs never share anything.
TAG=hulltest-$$
# Paths engines write whatever they are told; removed at the end if this run created them.
# (/run/netns is not among them: other programs on the machine use it at the same time.)
FIXED_PATHS=(/run/containerd /run/docker /run/libpod /run/containers /var/lib/containers
             /var/lib/cni /etc/docker/key.json)

failures=0
checks=0
cleanups=()
preexisting=()

log() { echo "# $*"; }
pass() { checks=$((checks + 1)); echo "ok   $ENGINE: $*"; }
fail() { checks=$((checks + 1)); failures=$((failures + 1)); echo "FAIL $ENGINE: $*" >&2; }

# die MESSAGE: the test cannot go on (missing tool, daemon that does not start).
die() { echo "FAIL $ENGINE: $*" >&2; exit 1; }

require_commands() {
    local command
    for command in "$@"; do
        command -v "$command" >/dev/null || die "missing command '$command' (run 'make deps-engines')"
    done
    [ -x "$RUNTIME" ] || die "missing runtime binary $RUNTIME (run 'make build')"
    [ -x "$BUSYBOX" ] || die "missing $BUSYBOX (the busybox-static package)"
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
    if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}

# check_contains DESCRIPTION NEEDLE HAYSTACK
check_contains() {
    if [[ "$3" == *"$2"* ]]; then pass "$1"; else fail "$1: [$2] not in [$3]"; fi
}

# check_run DESCRIPTION EXPECTED_STATUS EXPECTED_STDOUT COMMAND...: runs COMMAND with stdin from
# /dev/null; its status and its stdout (trailing whitespace and CRs removed) must match.
check_run() {
    local description=$1 expected_status=$2 expected_output=$3 output status
    shift 3
    output=$("$@" </dev/null 2>"$SCRATCH/stderr")
    status=$?
    output=$(printf '%s' "$output" | tr -d '\r')
    if [ "$status" == "$expected_status" ] && [ "$output" == "$expected_output" ]; then
        pass "$description"
    else
        fail "$description: expected status $expected_status and [$expected_output], got $status and [$output]; stderr: $(head -c 600 "$SCRATCH/stderr")"
    fi
}

# check_fails_with DESCRIPTION TEXT COMMAND...: COMMAND fails and its stderr contains TEXT.
check_fails_with() {
    local description=$1 text=$2 status
    shift 2
    "$@" </dev/null >"$SCRATCH/stdout" 2>"$SCRATCH/stderr"
    status=$?
    if [ "$status" != 0 ] && grep -qF -- "$text" "$SCRATCH/stderr"; then
        pass "$description (status $status)"
    else
        fail "$description: expected failure with [$text], got status $status; stderr: $(head -c 600 "$SCRATCH/stderr")"
    fi
}

# in_terminal COMMAND_STRING [INPUT]: runs the command under a new pseudo-terminal (script(1)), with
# INPUT typed into it; prints the terminal's output with CRs removed, returns the command's status.
in_terminal() {
    local input=${2:-}
    printf '%s' "$input" | script -qefc "$1" /dev/null | tr -d '\r'
    return "${PIPESTATUS[1]}"
}

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_for() {
    local description=$1 deadline=$((SECONDS + $2))
    shift 2
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || { fail "timed out waiting for $description"; return 1; }
        sleep 0.1
    done
}

# calls COMMAND: how many recorded runtime command lines contain " COMMAND " (e.g. "create").
calls() { grep -c -- " $1 " "$ARGV_LOG" 2>/dev/null || true; }

# check_called DESCRIPTION PATTERN: some recorded runtime command line matches the grep -E PATTERN.
check_called() {
    if grep -qE -- "$2" "$ARGV_LOG" 2>/dev/null; then pass "$1"; else fail "$1: no runtime call matches [$2]"; fi
}

on_exit() { cleanups+=("$1"); }

# stop_pid PID: SIGTERM, then SIGKILL after 15 s; waits until the process is gone.
stop_pid() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    echo "# $pid ignored SIGTERM: SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}

# Mount points at or below DIR, deepest first.
mounts_under() {
    awk -v dir="$1" '{ p = $5; gsub(/\\040/, " ", p); if (p == dir || index(p, dir "/") == 1) print p }' \
        /proc/self/mountinfo | sort -r
}

# Removes the cgroup directory NAME (and the groups below it) in every hierarchy, deepest first.
remove_cgroup_tree() {
    local hierarchy
    for hierarchy in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
        [ -d "$hierarchy$1" ] || continue
        find "$hierarchy$1" -depth -type d -exec rmdir {} + 2>/dev/null
        [ -d "$hierarchy$1" ] && echo "# could not remove cgroup $hierarchy$1" >&2
    done
}

run_cleanups() {
    local i path mountpoint
    for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}" || true; done
    # ENGINE_ARGV_DIR=DIR keeps the recorded command lines as DIR/ENGINE.argv (docs/engines.md).
    [ -n "${ENGINE_ARGV_DIR:-}" ] && cp "$ARGV_LOG" "$ENGINE_ARGV_DIR/$ENGINE.argv" 2>/dev/null
    for mountpoint in $(mounts_under "$SCRATCH"); do umount -l "$mountpoint" 2>/dev/null; done
    if [ -n "$(mounts_under "$SCRATCH")" ]; then
        echo "# mounts left under $SCRATCH: not removing it" >&2
    else
        rm -rf --one-file-system "$SCRATCH"
    fi
    for path in "${FIXED_PATHS[@]}"; do
        [[ " ${preexisting[*]} " == *" $path "* ]] && continue
        [ -z "$(mounts_under "$path")" ] && rm -rf --one-file-system "$path"
    done
}

# engine_setup ENGINE: the scratch directory, the logging wrapper, the busybox root file system.
engine_setup() {
    ENGINE=$1
    local path
    for path in "${FIXED_PATHS[@]}"; do [ -e "$path" ] && preexisting+=("$path"); done
    SCRATCH=$(mktemp -d "/tmp/hull-engine-$ENGINE.XXXXXX")
    trap run_cleanups EXIT
    # podman and buildah give hull no --root: its state goes to its default, /run/hull. If this
    # run created that directory, remove it (rmdir: only if nothing but the seccomp cache is left).
    [ -e /run/hull ] || on_exit "rm -rf '/run/hull/seccomp~cache'; rmdir /run/hull 2>/dev/null"
    trap 'exit 130' INT TERM
    ARGV_LOG=$SCRATCH/argv.log
    WRAPPER=$SCRATCH/bin/hull
    mkdir -p "$SCRATCH/bin"
    cat >"$WRAPPER" <<EOF
#!/bin/sh
# Records the command line, then runs the runtime in its place.
echo "\$*" >> '$ARGV_LOG'
exec '$RUNTIME' "\$@"
EOF
    chmod 755 "$WRAPPER"
    make_busybox_rootfs "$SCRATCH/rootfs"
    log "$ENGINE with $RUNTIME in $SCRATCH"
}

# make_busybox_rootfs DIR: the static busybox, a link per applet, passwd and group.
make_busybox_rootfs() {
    local dir=$1 applet
    mkdir -p "$dir"/{bin,etc,proc,sys,dev,tmp,root}
    cp "$BUSYBOX" "$dir/bin/busybox"
    for applet in $("$BUSYBOX" --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$dir/etc/passwd"
    printf 'root:x:0:\nnobody:x:65534:\n' >"$dir/etc/group"
}

# A tar of the busybox root file system (for podman import, docker import).
busybox_tar() {
    [ -f "$SCRATCH/busybox.tar" ] || tar -C "$SCRATCH/rootfs" -cf "$SCRATCH/busybox.tar" .
    echo "$SCRATCH/busybox.tar"
}

# The memory cgroup of a container, from the host: the v1 memory hierarchy, or cgroup v2.
memory_limit_file() {
    local cgroup=$1
    if [ -f "/sys/fs/cgroup/memory$cgroup/memory.limit_in_bytes" ]; then
        echo "/sys/fs/cgroup/memory$cgroup/memory.limit_in_bytes"
    else
        echo "/sys/fs/cgroup$cgroup/memory.max"
    fi
}

# A shell loop that exits 42 on SIGTERM: proves the engine's stop signal went through the runtime.
TERM_TRAP='trap "exit 42" TERM; while true; do sleep 0.1; done'
# A process that needs more than 16 MiB: under a 16 MiB limit (no swap here) the OOM killer ends it.
MEMORY_HOG='x=$(head -c 67108864 /dev/zero | tr "\0" a); echo survived'

finish() {
    echo "# $ENGINE: $checks checks, $failures failed"
    [ "$failures" -eq 0 ] && [ "$checks" -gt 0 ]
}
