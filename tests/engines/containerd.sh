#!/bin/bash
# containerd 1.6 runs its containers with hull through the runc v2 shim (io.containerd.runc.v2):
# `ctr run --runc-binary PATH`. The test starts its own containerd (state, root and socket in the
# scratch directory, CRI plugin off) and stops it by PID. See docs/engines.md.
source "$(dirname "$0")/lib.sh"
engine_setup containerd
require_commands containerd containerd-shim-runc-v2 ctr umoci script

# A containerd namespace per run: it is also the cgroup parent (/NAMESPACE/ID).
NAMESPACE=$TAG
cat >"$SCRATCH/containerd.toml" <<EOF
version = 2
root = "$SCRATCH/containerd/root"
state = "$SCRATCH/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SCRATCH/containerd.sock"
[ttrpc]
  address = "$SCRATCH/containerd.sock.ttrpc"
EOF
containerd --config "$SCRATCH/containerd.toml" >"$SCRATCH/containerd.log" 2>&1 &
containerd_pid=$!
on_exit "stop_pid $containerd_pid"
on_exit "remove_cgroup_tree $NAMESPACE"
# ctr ARGS...: this test's daemon and namespace; a script, so that script(1) can run it too.
cat >"$SCRATCH/bin/c" <<EOF
#!/bin/sh
exec ctr --address '$SCRATCH/containerd.sock' --namespace '$NAMESPACE' "\$@"
EOF
chmod 755 "$SCRATCH/bin/c"
c() { "$SCRATCH/bin/c" "$@"; }
RUNC_ROOT=$SCRATCH/runc-root
CRUN="$SCRATCH/bin/c run --runc-binary $WRAPPER --runc-root $RUNC_ROOT"
crun() { $CRUN "$@"; }
# Deletes every task and container of the namespace (the shims exit with their tasks).
remove_all() {
    local id
    for id in $(c task ls -q 2>/dev/null); do c task kill -s SIGKILL "$id" >/dev/null 2>&1; done
    for id in $(c task ls -q 2>/dev/null); do c task rm -f "$id" >/dev/null 2>&1; done
    for id in $(c container ls -q 2>/dev/null); do c container rm "$id" >/dev/null 2>&1; done
}
on_exit remove_all
wait_for "containerd's socket" 20 c version || die "containerd did not start: $(tail -5 "$SCRATCH/containerd.log")"

# An OCI image built with umoci from the busybox root file system, imported into containerd.
(
    set -e
    cd "$SCRATCH"
    umoci init --layout oci
    umoci new --image oci:latest
    umoci unpack --image oci:latest bundle
    cp -a rootfs/. bundle/rootfs/
    umoci repack --image oci:latest bundle
    umoci config --image oci:latest --config.cmd sh
    tar -C oci -cf busybox-oci.tar .
) >"$SCRATCH/umoci.log" 2>&1 || die "umoci failed: $(tail -3 "$SCRATCH/umoci.log")"
c images import --base-name localhost/busybox "$SCRATCH/busybox-oci.tar" >/dev/null || die "ctr images import failed"
IMAGE=localhost/busybox:latest

# ---- run: output, exit status -----------------------------------------------------------------
check_run "run prints the command's output" 0 hi crun --rm $IMAGE t1 echo hi
check_called "the shim called hull create with its root and a JSON log" \
    "^--root $RUNC_ROOT/$NAMESPACE --log [^ ]+/t1/log.json --log-format json create --bundle [^ ]+/t1 --pid-file [^ ]+/t1/init.pid t1$"
check_called "the shim called hull start" "^--root [^ ]+ --log [^ ]+ --log-format json start t1$"
check_run "run returns the command's exit status" 6 "" crun --rm $IMAGE t2 sh -c 'exit 6'
check_fails_with "a missing binary fails with hull's error (read from its JSON log)" \
    'OCI runtime create failed: exec: "nosuch": executable file not found in $PATH' crun --rm $IMAGE t3 nosuch
c container rm t3 >/dev/null 2>&1

# ---- detached: exec, ps, pause, resume, kill, delete -------------------------------------------
check_run "run -d starts a task" 0 "" crun -d --memory-limit 33554432 $IMAGE web sh -c "$TERM_TRAP"
check_contains "the task runs" RUNNING "$(c task ls | grep '^web ')"
check_run "exec prints its output" 0 fromexec c task exec --exec-id e1 web echo fromexec
check_run "exec returns its exit status" 9 "" c task exec --exec-id e2 web sh -c 'exit 9'
check_called "the shim called hull exec --process --detach --pid-file" "^--root [^ ]+ --log [^ ]+ --log-format json exec --process [^ ]+ --detach --pid-file [^ ]+/e2.pid web$"
init_pid=$(c task ls | awk '$1 == "web" { print $2 }')
check_contains "ps lists the init" "$init_pid" "$(c task ps web)"
check_called "the shim called hull ps --format json" " ps --format json web$"
check_eq "--memory-limit is the cgroup's limit" 33554432 "$(cat "$(memory_limit_file "/$NAMESPACE/web")" 2>&1)"
check_run "pause" 0 "" c task pause web
check_contains "the task is paused" PAUSED "$(c task ls | grep '^web ')"
check_run "resume" 0 "" c task resume web
check_contains "the task runs again" RUNNING "$(c task ls | grep '^web ')"
check_run "kill (SIGTERM)" 0 "" c task kill web
wait_for "the task to stop" 10 sh -c "'$SCRATCH/bin/c' task ls | grep -q '^web .*STOPPED'"
check_called "the shim called hull kill ID 15" " kill web 15$"
c task rm web >/dev/null 2>"$SCRATCH/stderr"
check_contains "task rm reports the exit status of the SIGTERM trap" "exit with non-zero exit code 42" "$(cat "$SCRATCH/stderr")"
check_run "container rm" 0 "" c container rm web
check_eq "hull has no state left for it" "" "$(ls -d "$RUNC_ROOT/$NAMESPACE/web" 2>/dev/null)"

check_run "run -d of a process tree" 0 "" crun -d $IMAGE tree sh -c 'sleep 100 & sleep 100 & wait'
wait_for "both children" 10 sh -c "[ \$('$SCRATCH/bin/c' task ps tree | wc -l) -ge 4 ]"
check_run "kill --all SIGKILL" 0 "" c task kill --all -s SIGKILL tree
check_called "the shim called hull kill --all ID 9" " kill --all tree 9$"
wait_for "the task to stop" 10 sh -c "'$SCRATCH/bin/c' task ls | grep -q '^tree .*STOPPED'"
c task rm tree >/dev/null 2>&1; c container rm tree

# ---- a foreground run stopped with a signal -----------------------------------------------------
crun --rm $IMAGE fg sh -c "$TERM_TRAP" </dev/null >/dev/null 2>&1 &
ctr_pid=$!
wait_for "the task to run" 10 sh -c "'$SCRATCH/bin/c' task ls | grep -q '^fg .*RUNNING'"
c task kill -s SIGTERM fg
wait "$ctr_pid"
check_eq "ctr run returns the status of a task stopped by SIGTERM" 42 $?

# ---- terminal ---------------------------------------------------------------------------------
output=$(in_terminal "$CRUN --rm -t $IMAGE tty1 sh" $'tty\nexit 3\n')
status=$?
check_eq "run -t returns the shell's exit status" 3 "$status"
check_contains "run -t gives the shell a pseudo-terminal" "/dev/pts/" "$output"
check_called "the shim passed a console socket" " create --bundle [^ ]+ --pid-file [^ ]+ --console-socket [^ ]+ tty1$"
crun -d $IMAGE tty2 sleep 100 >/dev/null </dev/null
output=$(in_terminal "$SCRATCH/bin/c task exec -t --exec-id et tty2 sh -c 'tty; exit 4'")
status=$?
check_eq "exec -t returns its exit status" 4 "$status"
check_contains "exec -t has a pseudo-terminal" "/dev/pts/" "$output"
check_called "the shim called hull exec --console-socket" " exec --process [^ ]+ --console-socket [^ ]+ --detach --pid-file [^ ]+ tty2$"
c task kill -s SIGKILL tty2; wait_for "tty2 to stop" 10 sh -c "'$SCRATCH/bin/c' task ls | grep -q '^tty2 .*STOPPED'"
c task rm tty2 >/dev/null 2>&1; c container rm tty2

# ---- memory limit -----------------------------------------------------------------------------
check_run "a process above its 16 MiB limit is OOM-killed" 137 "" crun --rm --memory-limit 16777216 $IMAGE oom sh -c "$MEMORY_HOG"

finish
