#!/bin/bash
# docker 20.10 runs its containers with hull: a `runtimes` entry in daemon.json and `docker run
# --runtime hull`. The test starts its own dockerd (data root, exec root and socket in the scratch
# directory, no bridge, no iptables, the cgroupfs driver) and stops it by PID. See docs/engines.md.
source "$(dirname "$0")/lib.sh"
engine_setup docker
# The docker.io package's client: the first `docker` on PATH may be a newer one.
DOCKER_CLIENT=/usr/bin/docker
require_commands dockerd containerd containerd-shim-runc-v2 "$DOCKER_CLIENT" script

CGROUP_PARENT=/$TAG
cat >"$SCRATCH/daemon.json" <<EOF
{
  "runtimes": { "hull": { "path": "$WRAPPER" } },
  "exec-opts": ["native.cgroupdriver=cgroupfs"],
  "cgroup-parent": "$CGROUP_PARENT",
  "bridge": "none",
  "iptables": false,
  "ip6tables": false,
  "ip-masq": false,
  "storage-driver": "overlay2"
}
EOF
dockerd --config-file "$SCRATCH/daemon.json" --data-root "$SCRATCH/data" --exec-root "$SCRATCH/exec" \
    --pidfile "$SCRATCH/dockerd.pid" -H "unix://$SCRATCH/docker.sock" >"$SCRATCH/dockerd.log" 2>&1 &
dockerd_pid=$!
on_exit "stop_pid $dockerd_pid"
on_exit "remove_cgroup_tree $TAG"
# d ARGS...: the client of this test's daemon; a script, so that script(1) can run it too.
cat >"$SCRATCH/bin/d" <<EOF
#!/bin/sh
exec $DOCKER_CLIENT -H 'unix://$SCRATCH/docker.sock' "\$@"
EOF
chmod 755 "$SCRATCH/bin/d"
d() { "$SCRATCH/bin/d" "$@"; }
DRUN="$SCRATCH/bin/d run --runtime hull --network none"
drun() { $DRUN "$@"; }
on_exit 'for id in $(d ps -aq 2>/dev/null); do d rm -f "$id" >/dev/null 2>&1; done'
wait_for "dockerd's API" 30 d version || die "dockerd did not start: $(tail -5 "$SCRATCH/dockerd.log")"
check_contains "dockerd lists hull among its runtimes" "\"hull\":{\"path\":\"$WRAPPER\"" "$(d info --format '{{json .Runtimes}}')"

d import "$(busybox_tar)" localhost/busybox:latest >/dev/null || die "docker import failed"
IMAGE=localhost/busybox:latest

# ---- run: output, exit status -----------------------------------------------------------------
check_run "run prints the command's output" 0 hi drun --rm $IMAGE echo hi
check_called "the shim called hull create" \
    "^--root $SCRATCH/exec/runtime-runc/moby --log [^ ]+/log.json --log-format json create --bundle [^ ]+ --pid-file [^ ]+/init.pid [0-9a-f]{64}$"
check_run "run returns the command's exit status" 8 "" drun --rm $IMAGE sh -c 'exit 8'
check_run "the default bridge-less network has only lo" 0 lo drun --rm $IMAGE ls /sys/class/net
check_fails_with "a missing binary fails with hull's error" \
    'OCI runtime create failed: exec: "nosuch": executable file not found in $PATH' drun --rm $IMAGE nosuch

# ---- mounts: docker marks -v and --tmpfs mounts rprivate, on destinations the image lacks -------
mkdir -p "$SCRATCH/volume" && echo volfile >"$SCRATCH/volume/f"
check_run "-v binds a host directory" 0 volfile drun --rm -v "$SCRATCH/volume:/vol/data" $IMAGE cat /vol/data/f
check_run "--read-only with a --tmpfs" 0 "tmpok" drun --rm --read-only --tmpfs /scratch $IMAGE \
    sh -c 'touch /x 2>/dev/null && echo writable; touch /scratch/y && echo tmpok'

# ---- detached: exec, top, pause, update, stop, kill, rm ----------------------------------------
id=$(drun -d --name web -m 32m $IMAGE sh -c "$TERM_TRAP" </dev/null)
check_eq "run -d prints the ID" 64 "${#id}"
check_eq "the container runs" running "$(d inspect -f '{{.State.Status}}' web)"
bundle_config=$SCRATCH/exec/containerd/daemon/io.containerd.runtime.v2.task/moby/$id/config.json
check_contains "docker's config has its prestart hook (hull ran it)" "libnetwork-setkey" "$(cat "$bundle_config" 2>&1)"
check_run "exec prints its output" 0 fromexec d exec web echo fromexec
check_run "exec returns its exit status" 4 "" d exec web sh -c 'exit 4'
check_called "the shim called hull exec --process --detach" " exec --process [^ ]+ --detach --pid-file [^ ]+ $id$"
check_contains "top lists the container's processes" "sh -c" "$(d top web 2>&1)"
check_called "the shim called hull ps --format json" " ps --format json $id$"
limit_file=$(memory_limit_file "$CGROUP_PARENT/$id")
check_eq "-m 32m sets the memory limit" 33554432 "$(cat "$limit_file" 2>&1)"
check_run "update -m 64m (hull update --resources - with JSON on stdin)" 0 web d update -m 64m --memory-swap 128m web
check_eq "the new limit is in the cgroup" 67108864 "$(cat "$limit_file" 2>&1)"
check_called "the shim called hull update --resources -" " update --resources - $id$"
check_run "pause" 0 web d pause web
check_eq "the container is paused" paused "$(d inspect -f '{{.State.Status}}' web)"
check_run "unpause" 0 web d unpause web
check_eq "the container runs again" running "$(d inspect -f '{{.State.Status}}' web)"
check_run "stop (SIGTERM through hull kill)" 0 web d stop -t 10 web
check_eq "the process got SIGTERM and exited 42" "exited 42" "$(d inspect -f '{{.State.Status}} {{.State.ExitCode}}' web)"
check_called "the shim called hull kill ID 15" " kill $id 15$"
check_run "start it again" 0 web d start web
check_run "kill -s KILL" 0 web d kill -s KILL web
check_run "the container was killed by SIGKILL" 0 137 d wait web
check_run "rm" 0 web d rm web
check_eq "hull has no state left for it" "" "$(ls -d "$SCRATCH/exec/runtime-runc/moby/$id" 2>/dev/null)"

# ---- terminal ---------------------------------------------------------------------------------
output=$(in_terminal "$DRUN --rm -it $IMAGE sh" $'tty\nexit 5\n')
status=$?
check_eq "run -it returns the shell's exit status" 5 "$status"
check_contains "run -it gives the shell a pseudo-terminal" "/dev/pts/" "$output"
check_called "the shim passed a console socket" " create --bundle [^ ]+ --pid-file [^ ]+ --console-socket [^ ]+ [0-9a-f]{64}$"
drun -d --name term $IMAGE sleep 100 >/dev/null </dev/null
output=$(in_terminal "$SCRATCH/bin/d exec -it term sh -c 'tty; exit 3'")
status=$?
check_eq "exec -it returns its exit status" 3 "$status"
check_contains "exec -it has a pseudo-terminal" "/dev/pts/" "$output"
check_called "the shim called hull exec --console-socket" " exec --process [^ ]+ --console-socket [^ ]+ --detach "
d rm -f term >/dev/null

# ---- memory limit -----------------------------------------------------------------------------
drun --name oom -m 16m --memory-swap 16m $IMAGE sh -c "$MEMORY_HOG" </dev/null >/dev/null 2>&1
check_eq "a process above its 16 MiB limit is OOM-killed" "137 true" "$(d inspect -f '{{.State.ExitCode}} {{.State.OOMKilled}}' oom)"
d rm oom >/dev/null

finish
