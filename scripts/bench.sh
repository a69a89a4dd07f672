#!/usr/bin/env bash
# `make bench`: hull against runc and crun, side by side in one run, with hyperfine.
#
#   a) --version          b) spec (into an empty bundle)
#   c) state of a container created with that runtime's own `create`
#   d) run of /bin/true in a busybox bundle
#   e) the same with a seccomp profile of an engine's size (~310 system calls, three architectures)
#   f) the same with a memory, cpu and pids limit (the cost of creating, filling and removing the
#      container's cgroups)
#   g) exec of /bin/true into a running container (each runtime's own, made by its create + start)
#   h) create + start + delete as three commands (an engine's path)
#   i) state and list with 100 created containers present
#   j) 100 runs of /bin/true one after another, and 4 at a time (throughput)
#   k) load: 50 containers created, started, exec'd into, killed and deleted, 8 at a time
#   l) d) and g) again on a quiet machine: a pause of 0.5 s before each run
# Group d) also times `unshare -fmupin --mount-proc -R ROOTFS /bin/true`: namespaces and one
# process with no runtime, the floor a runtime's `run` can approach.
#
# A command of hull's takes part only once hull has it (`hull NAME --help` shows NAME's usage).
# Every command is run once and checked before it is timed: a failure stops the benchmark.
# The table (median, min, max, peak RSS, and the binaries' sizes) is printed and written to
# bench/results/latest.md.
#
# crun 1.8 refuses this host's hybrid cgroup layout, so on a hybrid host every command that
# touches cgroups (create, run, delete) runs, for every runtime alike, inside a private mount
# namespace where /sys/fs/cgroup/unified is unmounted (a pure cgroup v1 view; nothing changes
# outside it). The wrapper's own cost is measured as a baseline row.
#
# Tunables (environment): BENCH_ROUNDS (3), BENCH_RUNS (15 per round), BENCH_WARMUP (3 per round),
# BENCH_RSS_RUNS (5), BENCH_ONLY (some of the groups, by function name without bench_: "exec quiet";
# quiet needs exec's bundle, so name exec before it).
set -euo pipefail

usage="usage: bench.sh HULL_BINARY"
[[ $# -eq 1 ]] || { echo "$usage" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
source "$here/lib.sh"
[[ -x $1 ]] || die "$1: not an executable (run: make build)"
hull=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
require hyperfine jq runc crun unshare umount
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (Debian package time; run: make deps)"
export LC_ALL=C

rounds=${BENCH_ROUNDS:-3}
runs=${BENCH_RUNS:-15}
warmup=${BENCH_WARMUP:-3}
rss_runs=${BENCH_RSS_RUNS:-5}
runc=$(command -v runc)
crun=$(command -v crun)

work=$(mktemp -d /tmp/hull-bench.XXXXXX)
bundle=$work/bundle
report=$work/report.md
created=() # "binary root id" of every container made outside a `run`, deleted at exit

cleanup() {
    local entry binary root id
    for entry in "${created[@]}"; do
        read -r binary root id <<<"$entry"
        "${wrap[@]}" "$binary" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# q ARG...: the arguments as one POSIX-shell-quoted string, which is also how hyperfine -N splits
# a command (single quotes only where needed, so the report stays readable).
q() {
    local arg quoted=() squote="'"
    for arg in "$@"; do
        if [[ $arg =~ ^[A-Za-z0-9_./=:,+@%-]+$ ]]; then
            quoted+=("$arg")
        else
            quoted+=("'${arg//$squote/$squote\\$squote$squote}'")
        fi
    done
    echo "${quoted[*]}"
}

# --- The cgroup v1 view for crun ------------------------------------------------------------------

wrap=()
wrap_note="This host is not in hybrid cgroup mode: no wrapper was needed."
if grep -q ' /sys/fs/cgroup/unified .* - cgroup2 ' /proc/self/mountinfo; then
    # A private mount namespace without /sys/fs/cgroup/unified: a pure cgroup v1 view of this
    # hybrid host, which crun 1.8 needs. Nothing changes outside that namespace.
    wrap=(unshare -m --propagation private /bin/sh -c 'umount /sys/fs/cgroup/unified && exec "$@"' v1ns)
    wrap_note="Hybrid cgroup host: create, run and delete run inside \`unshare -m --propagation private\` with \
/sys/fs/cgroup/unified unmounted, for every runtime (crun 1.8 refuses hybrid mode). The row \"wrapper only\" \
is that wrapper running the host's /bin/true: its cost is part of every wrapped row."
fi

# --- One benchmark group --------------------------------------------------------------------------

labels=() commands=() prepares=() verifies=()

# bench_begin TITLE: start a group (a table in the report).
bench_begin() {
    title=$1
    labels=() commands=() prepares=() verifies=()
    echo "== $title" >&2
}

# bench_add LABEL PREPARE VERIFY COMMAND...: add a command to the group. PREPARE (shell, may be
# empty) runs before every timed run; VERIFY (shell, may be empty; `$out` holds the output) must
# succeed after the first, checked run.
bench_add() {
    labels+=("$1")
    prepares+=("$2")
    verifies+=("$3")
    shift 3
    commands+=("$(q "$@")")
}

# check INDEX: run the command once; fail loudly unless it and its VERIFY succeed.
check() {
    local i=$1 out
    [[ -z ${prepares[i]} ]] || eval "${prepares[i]}"
    if ! out=$(eval "${commands[i]}" 2>&1 </dev/null); then
        die "${labels[i]}: command failed: ${commands[i]}"$'\n'"$out"
    fi
    if [[ -n ${verifies[i]} ]] && ! eval "${verifies[i]}"; then
        die "${labels[i]}: ran but its result is wrong (${verifies[i]}): ${commands[i]}"$'\n'"$out"
    fi
}

# peak_rss INDEX: the largest maximum resident set size, in KiB, over rss_runs runs
# (GNU time's %M: the process and the children it waited for).
peak_rss() {
    local i=$1 run peak=0 kib
    for ((run = 0; run < rss_runs; run++)); do
        [[ -z ${prepares[i]} ]] || eval "${prepares[i]}"
        eval "/usr/bin/time -f %M -o $(q "$work/rss") ${commands[i]}" </dev/null >/dev/null 2>&1 ||
            die "${labels[i]}: failed while measuring RSS: ${commands[i]}"
        kib=$(tail -n 1 "$work/rss")
        ((kib > peak)) && peak=$kib
    done
    echo "$peak"
}

# time_rounds: rounds of hyperfine over all commands, the order rotated each round, so the
# runtimes alternate round by round (within a round hyperfine runs one command's runs in a block).
time_rounds() {
    local round k i count=${#labels[@]}
    for ((round = 0; round < rounds; round++)); do
        local args=()
        for ((k = 0; k < count; k++)); do
            i=$(((k + round) % count))
            args+=(--command-name "${labels[i]}" "${commands[i]}")
            [[ -z ${prepares[i]} ]] || args+=(--prepare "${prepares[i]}")
        done
        echo "   round $((round + 1))/$rounds: $count commands x $runs runs" >&2
        hyperfine -N --style none --warmup "$warmup" --runs "$runs" \
            --export-json "$work/round-$round.json" "${args[@]}" 2>"$work/hyperfine.log" ||
            die "hyperfine failed in \"$title\":"$'\n'"$(cat "$work/hyperfine.log")"
    done
}

# stats LABEL: "median min max count" in milliseconds over every round's runs of LABEL.
stats() {
    jq -rs --arg name "$1" '
        [.[].results[] | select(.command == $name) | .times[]] | sort | map(. * 1000) as $t
        | ($t | length) as $n
        | (if $n % 2 == 1 then $t[($n - 1) / 2 | floor] else ($t[$n / 2 - 1 | floor] + $t[$n / 2 | floor]) / 2 end) as $median
        | "\($median) \($t[0]) \($t[-1]) \($n)"' "$work"/round-*.json
}

# ratio LABEL MEDIAN RUNTIME: LABEL's median against the same row of RUNTIME ("hull list" against
# "runc list"), as "0.75x"; "-" for a baseline row or when the group has no such row.
ratio() {
    local label=$1 median=$2 reference
    case $label in
        hull* | runc* | crun*) reference="$3${label:4}" ;;
        *) echo "-"; return ;;
    esac
    printf '%s\n' "${labels[@]}" | grep -qxF -- "$reference" || { echo "-"; return; }
    awk -v a="$median" -v b="$(stats "$reference" | cut -d' ' -f1)" 'BEGIN { printf "%.2fx", a / b }'
}

# bench_run: check, measure and time the group, then append its table to the report.
bench_run() {
    local i count=${#labels[@]} rss=() median min max n
    for ((i = 0; i < count; i++)); do
        check "$i"
        rss+=("$(peak_rss "$i")")
    done
    rm -f "$work"/round-*.json
    time_rounds
    {
        echo
        echo "### $title"
        echo
        echo "| command | median (ms) | min (ms) | max (ms) | runs | median vs runc | median vs crun | peak RSS (MiB) |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|"
        for ((i = 0; i < count; i++)); do
            read -r median min max n <<<"$(stats "${labels[i]}")"
            printf '| %s | %.2f | %.2f | %.2f | %d | %s | %s | %.1f |\n' \
                "${labels[i]}" "$median" "$min" "$max" "$n" \
                "$(ratio "${labels[i]}" "$median" runc)" "$(ratio "${labels[i]}" "$median" crun)" \
                "$(awk -v k="${rss[i]}" 'BEGIN { print k / 1024 }')"
        done
        echo
        echo "<details><summary>commands</summary>"
        echo
        for ((i = 0; i < count; i++)); do
            echo "- ${labels[i]}: \`${commands[i]}\`${prepares[i]:+ (before each run: \`${prepares[i]}\`)}"
        done
        echo
        echo "</details>"
    } >>"$report"
}

# --- The benchmarks -------------------------------------------------------------------------------

runtimes=(runc crun)
declare -A binary=([runc]=$runc [crun]=$crun [hull]=$hull)

# hull_lacks NAME...: the subcommands among NAME... that hull does not have, comma-separated.
hull_lacks() {
    local name missing=()
    for name in "$@"; do
        has_subcommand "$hull" "$name" || missing+=("$name")
    done
    local IFS=,
    echo "${missing[*]}"
}

# hull_has NAME...: true if hull has every subcommand NAME; otherwise notes, under TOPIC, what is
# missing in the report. Usage: hull_has TOPIC NAME...
hull_has() {
    local topic=$1 missing
    shift
    missing=$(hull_lacks "$@")
    [[ -z $missing ]] && return 0
    skipped+=("$topic (hull lacks: ${missing//,/, })")
    return 1
}

bench_version() {
    bench_begin "a) --version"
    local rt
    for rt in hull runc crun; do
        bench_add "$rt" "" '[[ $out == *version* ]]' "${binary[$rt]}" --version
    done
    bench_run
}

bench_spec() {
    bench_begin "b) spec (writes config.json into an empty directory)"
    local rt dir
    for rt in hull runc crun; do
        [[ $rt != hull ]] || hull_has spec spec || continue
        dir=$work/spec-$rt
        mkdir -p "$dir"
        bench_add "$rt" "$(q rm -f "$dir/config.json")" "jq -e .ociVersion $(q "$dir/config.json") >/dev/null" \
            "${binary[$rt]}" spec --bundle "$dir"
    done
    bench_run
}

# create_container RUNTIME ROOT ID [BUNDLE]: `create` a container from BUNDLE (default: the bench
# bundle); it stays "created".
create_container() {
    local rt=$1 root=$2 id=$3 from=${4:-$bundle}
    created+=("${binary[$rt]} $root $id")
    "${wrap[@]}" "${binary[$rt]}" --root "$root" create --bundle "$from" "$id" \
        </dev/null >/dev/null 2>"$work/create.err" ||
        die "$rt create failed: $(cat "$work/create.err")"
}

# delete_container RUNTIME ROOT ID: `delete --force` it, and fail loudly if it is still known.
delete_container() {
    local rt=$1 root=$2 id=$3
    "${wrap[@]}" "${binary[$rt]}" --root "$root" delete --force "$id" >/dev/null 2>"$work/delete.err" ||
        die "$rt delete failed: $(cat "$work/delete.err")"
    ! "${binary[$rt]}" --root "$root" state "$id" >/dev/null 2>&1 || die "$rt: container $id survived delete"
}

bench_state() {
    bench_begin "c) state of a created container"
    local rt id participants=()
    for rt in hull runc crun; do
        [[ $rt != hull ]] || hull_has state create state delete || continue
        participants+=("$rt")
        id=bench-state-$rt-$$
        create_container "$rt" "$work/root-$rt" "$id"
        bench_add "$rt" "" '[[ $(jq -r .status <<<"$out") == created ]]' \
            "${binary[$rt]}" --root "$work/root-$rt" state "$id"
    done
    bench_run
    for rt in "${participants[@]}"; do
        delete_container "$rt" "$work/root-$rt" "bench-state-$rt-$$"
    done
}

bench_run_true() {
    bench_begin "d) run /bin/true (create, start, wait, delete)"
    local rt id
    if [[ ${#wrap[@]} -gt 0 ]]; then
        bench_add "wrapper only" "" "" "${wrap[@]}" /bin/true
    fi
    bench_add "floor: unshare" "" "" "${wrap[@]}" unshare -fmupin --mount-proc -R "$bundle/rootfs" /bin/true
    for rt in hull runc crun; do
        [[ $rt != hull ]] || hull_has run run || continue
        id=bench-run-$rt-$$
        created+=("${binary[$rt]} $work/root-$rt $id")
        # After the checked run the container must be gone again: `run` deletes what it made.
        bench_add "$rt" "" "! $(q "${binary[$rt]}" --root "$work/root-$rt" state "$id") >/dev/null 2>&1" \
            "${wrap[@]}" "${binary[$rt]}" --root "$work/root-$rt" run --bundle "$bundle" "$id"
    done
    bench_run
}

# seccomp_profile: a profile shaped like an engine's default (docker's, podman's): EPERM by
# default, three architectures, every native system call of <asm/unistd_64.h> allowed by name
# except the privileged ones, and conditional rules on personality and clone. Generated here, so
# it always matches this machine's headers.
seccomp_profile() {
    local denied='^(acct|add_key|bpf|clock_adjtime|clock_settime|clone|clone3|create_module|delete_module|finit_module|get_kernel_syms|get_mempolicy|init_module|ioperm|iopl|kcmp|kexec_file_load|kexec_load|keyctl|lookup_dcookie|mbind|mount|move_pages|name_to_handle_at|nfsservctl|open_by_handle_at|perf_event_open|personality|pivot_root|process_vm_readv|process_vm_writev|ptrace|query_module|quotactl|reboot|request_key|set_mempolicy|setns|settimeofday|swapoff|swapon|_sysctl|sysfs|umount2|unshare|uselib|userfaultfd|ustat|vhangup|vm86|vm86old)$'
    sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/\1/p' /usr/include/x86_64-linux-gnu/asm/unistd_64.h |
        grep -Ev "$denied" | jq -R . | jq -s '{
            defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 1,
            architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
            syscalls: [
                {names: ., action: "SCMP_ACT_ALLOW"},
                {names: ["personality"], action: "SCMP_ACT_ALLOW", args: [{index: 0, value: 0, op: "SCMP_CMP_EQ"}]},
                {names: ["personality"], action: "SCMP_ACT_ALLOW", args: [{index: 0, value: 8, op: "SCMP_CMP_EQ"}]},
                {names: ["personality"], action: "SCMP_ACT_ALLOW", args: [{index: 0, value: 131072, op: "SCMP_CMP_EQ"}]},
                {names: ["personality"], action: "SCMP_ACT_ALLOW", args: [{index: 0, value: 4294967295, op: "SCMP_CMP_EQ"}]},
                {names: ["clone"], action: "SCMP_ACT_ALLOW", args: [{index: 0, value: 2114060288, op: "SCMP_CMP_MASKED_EQ"}]},
                {names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38}
            ]}'
}

bench_run_seccomp() {
    local sbundle=$work/bundle-seccomp rt id calls
    mkdir -p "$sbundle"
    cp -a "$bundle/rootfs" "$sbundle/rootfs"
    seccomp_profile >"$work/seccomp.json"
    calls=$(jq '[.syscalls[].names | length] | add' "$work/seccomp.json")
    jq --slurpfile profile "$work/seccomp.json" '.linux.seccomp = $profile[0]' "$bundle/config.json" >"$sbundle/config.json"
    bench_begin "e) run /bin/true with a seccomp profile of $calls system calls (an engine's default size)"
    if [[ ${#wrap[@]} -gt 0 ]]; then
        bench_add "wrapper only" "" "" "${wrap[@]}" /bin/true
    fi
    for rt in hull runc crun; do
        [[ $rt != hull ]] || hull_has run run || continue
        id=bench-sc-$rt-$$
        created+=("${binary[$rt]} $work/root-sc-$rt $id")
        bench_add "$rt" "" "! $(q "${binary[$rt]}" --root "$work/root-sc-$rt" state "$id") >/dev/null 2>&1" \
            "${wrap[@]}" "${binary[$rt]}" --root "$work/root-sc-$rt" run --bundle "$sbundle" "$id"
    done
    # hull keeps compiled programs under its --root (docs/security.md): the row above runs with
    # a warm cache, this one compiles every time, as runc and crun do.
    if hull_has run run; then
        id=bench-sc-cold-$$
        created+=("$hull $work/root-sc-cold $id")
        bench_add "hull (no cache)" "$(q rm -rf "$work/root-sc-cold/seccomp~cache")" \
            "! $(q "$hull" --root "$work/root-sc-cold" state "$id") >/dev/null 2>&1" \
            "${wrap[@]}" "$hull" --root "$work/root-sc-cold" run --bundle "$sbundle" "$id"
    fi
    bench_run
}

# bench_run_limits: run with the bench bundle plus a memory limit, a cpu weight and quota and a pids limit.
bench_run_limits() {
    local lbundle=$work/bundle-limits rt id
    mkdir -p "$lbundle"
    cp -a "$bundle/rootfs" "$lbundle/rootfs"
    jq '.linux.resources.memory = {limit: 67108864}
        | .linux.resources.cpu = {shares: 512, quota: 50000, period: 100000}
        | .linux.resources.pids = {limit: 64}' "$bundle/config.json" >"$lbundle/config.json"
    bench_begin "f) run /bin/true with a memory+cpu+pids limit (memory 64 MiB, cpu 50000/100000 us and 512 shares, pids 64)"
    if [[ ${#wrap[@]} -gt 0 ]]; then
        bench_add "wrapper only" "" "" "${wrap[@]}" /bin/true
    fi
    for rt in hull runc crun; do
        [[ $rt != hull ]] || hull_has run run || continue
        id=bench-lim-$rt-$$
        created+=("${binary[$rt]} $work/root-lim-$rt $id")
        bench_add "$rt" "" "! $(q "${binary[$rt]}" --root "$work/root-lim-$rt" state "$id") >/dev/null 2>&1" \
            "${wrap[@]}" "${binary[$rt]}" --root "$work/root-lim-$rt" run --bundle "$lbundle" "$id"
    done
    bench_run
}

# exec into a container that runs `sleep`: what an engine pays for every `docker exec`, health
# check and probe. exec joins the cgroups the init is in (as /proc/PID/cgroup names them), which
# works outside the cgroup v1 view too, so exec itself runs unwrapped; create, start and delete
# are wrapped as elsewhere.
bench_exec() {
    local ebundle=$work/bundle-exec rt id participants=()
    mkdir -p "$ebundle"
    jq --arg rootfs "$bundle/rootfs" '.root.path = $rootfs | .process.args = ["sleep", "1000000"]' \
        "$bundle/config.json" >"$ebundle/config.json"
    bench_begin "g) exec of /bin/true into a running container"
    for rt in hull runc crun; do
        [[ $rt != hull ]] || hull_has exec exec create start delete || continue
        participants+=("$rt")
        id=bench-exec-$rt-$$
        create_container "$rt" "$work/root-exec-$rt" "$id" "$ebundle"
        "${wrap[@]}" "${binary[$rt]}" --root "$work/root-exec-$rt" start "$id" 2>"$work/start.err" ||
            die "$rt start failed: $(cat "$work/start.err")"
        # After the checked run the container still runs: exec left its init alone.
        bench_add "$rt" "" "[[ \$($(q "${binary[$rt]}" --root "$work/root-exec-$rt" state "$id") | jq -r .status) == running ]]" \
            "${binary[$rt]}" --root "$work/root-exec-$rt" exec "$id" /bin/true
    done
    bench_run
    for rt in "${participants[@]}"; do
        delete_container "$rt" "$work/root-exec-$rt" "bench-exec-$rt-$$"
    done
}

# The same run and exec after a pause of half a second each: a container started on its own, or
# an engine's health check. The first write to cgroup.procs after a quiet spell waits for an RCU
# grace period in the kernel (docs/performance.md); back-to-back runs mostly miss that cost.
bench_quiet() {
    local ebundle=$work/bundle-exec rt id participants=() runs=5 warmup=1
    bench_begin "l) run and exec of /bin/true on a quiet machine (a 0.5 s pause before each, not timed)"
    for rt in hull runc crun; do
        [[ $rt != hull ]] || hull_has exec run exec create start delete || continue
        participants+=("$rt")
        id=bench-quiet-$rt-$$
        created+=("${binary[$rt]} $work/root-quiet-$rt $id-run")
        bench_add "$rt run" "sleep 0.5" "" \
            "${wrap[@]}" "${binary[$rt]}" --root "$work/root-quiet-$rt" run --bundle "$bundle" "$id-run"
        create_container "$rt" "$work/root-quiet-$rt" "$id" "$ebundle"
        "${wrap[@]}" "${binary[$rt]}" --root "$work/root-quiet-$rt" start "$id" 2>"$work/start.err" ||
            die "$rt start failed: $(cat "$work/start.err")"
        bench_add "$rt exec" "sleep 0.5" "" "${binary[$rt]}" --root "$work/root-quiet-$rt" exec "$id" /bin/true
    done
    bench_run
    for rt in "${participants[@]}"; do
        delete_container "$rt" "$work/root-quiet-$rt" "bench-quiet-$rt-$$"
    done
}

# script NAME LINE...: writes an sh script $work/NAME.sh of the given lines; prints its path.
script() {
    local path=$work/$1.sh
    shift
    printf '%s\n' "set -e" "$@" >"$path"
    echo "$path"
}

# The path an engine takes for each container: three commands, then the container is gone. The
# script runs inside the wrapper once; the baseline row is the same script with /bin/true for
# each command (the shell's and the wrapper's share of every row).
bench_lifecycle() {
    local rt id r path participants=()
    bench_begin "h) create + start + delete --force as three commands (an engine's path)"
    path=$(script lifecycle-baseline /bin/true /bin/true /bin/true)
    bench_add "baseline: sh + 3 x /bin/true" "" "" "${wrap[@]}" /bin/sh "$path"
    for rt in hull runc crun; do
        [[ $rt != hull ]] || hull_has lifecycle create start delete || continue
        id=bench-life-$rt-$$
        r="$(q "${binary[$rt]}") --root $(q "$work/root-life-$rt")"
        created+=("${binary[$rt]} $work/root-life-$rt $id")
        path=$(script "lifecycle-$rt" \
            "$r create --bundle $(q "$bundle") $id </dev/null >/dev/null" \
            "$r start $id" \
            "$r delete --force $id")
        bench_add "$rt" "" "! $(q "${binary[$rt]}" --root "$work/root-life-$rt" state "$id") >/dev/null 2>&1" \
            "${wrap[@]}" /bin/sh "$path"
    done
    bench_run
}

# state and list when 100 containers exist (each runtime's own, created and waiting).
bench_many() {
    local rt n id participants=() count=100
    bench_begin "i) state and list with $count created containers present"
    for rt in hull runc crun; do
        [[ $rt != hull ]] || hull_has many create state list delete || continue
        participants+=("$rt")
        for ((n = 0; n < count; n++)); do
            create_container "$rt" "$work/root-many-$rt" "bench-many-$rt-$n-$$"
        done
        bench_add "$rt state" "" '[[ $(jq -r .status <<<"$out") == created ]]' \
            "${binary[$rt]}" --root "$work/root-many-$rt" state "bench-many-$rt-0-$$"
        bench_add "$rt list" "" "[[ \$(jq length <<<\"\$out\") == $count ]]" \
            "${binary[$rt]}" --root "$work/root-many-$rt" list --format json
    done
    bench_run
    for rt in "${participants[@]}"; do
        for ((n = 0; n < count; n++)); do
            delete_container "$rt" "$work/root-many-$rt" "bench-many-$rt-$n-$$"
        done
    done
}

# Throughput: 100 runs of /bin/true, one after another and 4 at a time (xargs -P4), each
# in one wrapper. Fewer timed runs: one run of the group is 100 containers.
bench_throughput() {
    local rt path count=100 runs=3 warmup=0 rss_runs=1
    bench_begin "j) $count runs of /bin/true: one after another, and 4 at a time"
    for rt in hull runc crun; do
        [[ $rt != hull ]] || hull_has throughput run || continue
        created+=("${binary[$rt]} $work/root-tp-$rt bench-tp-$rt")
        path=$(script "serial-$rt" \
            "for n in \$(seq $count); do $(q "${binary[$rt]}") --root $(q "$work/root-tp-$rt") run --bundle $(q "$bundle") bench-tp-$rt-\$n; done")
        bench_add "$rt, 1 at a time" "" "" "${wrap[@]}" /bin/sh "$path"
        path=$(script "parallel-$rt" \
            "seq $count | xargs -P4 -I{} $(q "${binary[$rt]}") --root $(q "$work/root-tp-$rt") run --bundle $(q "$bundle") bench-tp-$rt-{}")
        bench_add "$rt, 4 at a time" "" "" "${wrap[@]}" /bin/sh "$path"
    done
    bench_run
}

# Load: 50 containers through their whole life (create, start, exec, kill, delete), 8 at a time.
# A worker stops at its first failed operation and xargs then fails the run, so every timed run
# that completes had no failure; the rate counts the five lifecycle commands per container.
bench_load() {
    local rt path count=50 runs=3 warmup=0 rss_runs=1 ebundle=$work/bundle-exec
    bench_begin "k) load: $count containers created, started, exec'd into, killed and deleted, 8 at a time"
    for rt in hull runc crun; do
        [[ $rt != hull ]] || hull_has load create start exec kill delete || continue
        local r
        r="$(q "${binary[$rt]}") --root $(q "$work/root-load-$rt")"
        path=$(script "load-$rt" \
            "life() {" \
            "    $r create --bundle $(q "$ebundle") \$1 </dev/null >/dev/null" \
            "    $r start \$1" \
            "    $r exec \$1 /bin/true" \
            "    $r kill \$1 KILL" \
            "    until $r state \$1 | grep -q '\"stopped\"'; do sleep 0.01; done" \
            "    $r delete \$1" \
            "}" \
            "seq $count | sed 's/^/bench-load-$rt-/' | xargs -P8 -I{} /bin/bash -ec \"\$(declare -f life); life {}\"")
        bench_add "$rt" "" "[[ -z \$(ls $(q "$work/root-load-$rt")) ]]" "${wrap[@]}" /bin/bash "$path"
    done
    bench_run
    {
        echo
        printf 'Operations per second (%d containers x 5 commands / median):' "$count"
        for rt in "${labels[@]}"; do
            printf ' %s %.0f;' "$rt" "$(awk -v ms="$(stats "$rt" | cut -d' ' -f1)" -v n=$((count * 5)) 'BEGIN { print n / (ms / 1000) }')"
        done
        echo " failures: 0 (a failed operation fails the run, and the benchmark with it)."
    } >>"$report"
}

# --- Report ---------------------------------------------------------------------------------------

# first_line COMMAND...: the first line COMMAND prints (read whole: no SIGPIPE under pipefail).
first_line() {
    local out
    out=$("$@" 2>&1)
    echo "${out%%$'\n'*}"
}

# linkage BINARY: "static" or "dynamic (N libraries)".
linkage() {
    local libraries
    if libraries=$(ldd "$1" 2>/dev/null); then
        echo "dynamic ($(grep -c '=>' <<<"$libraries") libraries)"
    else
        echo "static"
    fi
}

write_header() {
    cat >"$report" <<EOF
# hull benchmark

$(date -u '+%Y-%m-%d %H:%M UTC') on $(uname -sr), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), load average at start: $(cut -d' ' -f1-3 /proc/loadavg).

- hull: $(first_line "$hull" --version) ($hull)
- runc: $(first_line runc --version)
- crun: $(first_line crun --version)
- $(first_line hyperfine --version), $rounds rounds x $runs runs (+ $warmup warmup runs) per command

Method: every command is run once and checked first. hyperfine (\`-N\`, no shell) times the commands of a
group in $rounds rounds, rotating their order each round; within a round hyperfine runs one command's runs
back to back, so the runtimes alternate round by round, not run by run. Median, min and max are over all
rounds' runs. Peak RSS is the largest GNU time \`%M\` over $rss_runs runs (the process and the children it
waited for). Bundle: busybox-static rootfs, config.json from \`runc spec\` with terminal false and args
["/bin/true"].

$wrap_note
EOF
}

write_sizes() {
    local rt path
    {
        echo
        echo "### Binary size"
        echo
        echo "| runtime | binary | size (MiB) | linkage |"
        echo "|---|---|---:|---|"
        for rt in hull runc crun; do
            path=$(readlink -f "${binary[$rt]}")
            printf '| %s | %s | %.2f | %s |\n' "$rt" "$path" \
                "$(awk -v b="$(stat -c %s "$path")" 'BEGIN { print b / 1048576 }')" "$(linkage "$path")"
        done
    } >>"$report"
}

write_skipped() {
    ((${#skipped[@]} > 0)) || return 0
    {
        echo
        local joined
        printf -v joined '%s; ' "${skipped[@]}"
        echo "Not measured for hull: ${joined%; }."
    } >>"$report"
}

# assert_nothing_left: every container of the benchmark is gone, and so is its cgroup.
assert_nothing_left() {
    local root leftover
    for root in "$work"/root-*; do
        [[ -d $root ]] || continue
        leftover=$(find "$root" -mindepth 1 -maxdepth 1 -type d ! -name "seccomp~cache")
        [[ -z $leftover ]] || die "container state left behind: $leftover"
    done
    leftover=$(find /sys/fs/cgroup -maxdepth 6 -type d -name "bench-*-$$" 2>/dev/null || true)
    [[ -z $leftover ]] || die "cgroup left behind: $leftover"
}

skipped=()
make_busybox_rootfs "$bundle"
runc spec --bundle "$bundle"
edit_config "$bundle" '.process.terminal = false | .process.args = ["/bin/true"]'

write_header
for group in ${BENCH_ONLY:-version spec state run_true run_seccomp run_limits exec lifecycle many throughput load quiet}; do
    declare -F "bench_$group" >/dev/null || die "BENCH_ONLY: no group $group"
    "bench_$group"
done
write_sizes
write_skipped
assert_nothing_left

mkdir -p "$repo/bench/results"
cp "$report" "$repo/bench/results/latest.md"
echo >&2
cat "$report"
echo >&2
echo "written to bench/results/latest.md" >&2
