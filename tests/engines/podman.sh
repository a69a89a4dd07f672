#!/bin/bash
# podman 4.3 (with conmon) runs its containers with hull: `podman --runtime PATH`, the cgroupfs
# manager, hull listed in runtime_supports_json, no network. See docs/engines.md.
source "$(dirname "$0")/lib.sh"
engine_setup podman
require_commands podman conmon script

cat >"$SCRATCH/containers.conf" <<EOF
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime_supports_json = ["crun", "runc", "kata", "runsc", "youki", "krun", "hull"]
[engine.runtimes]
hull = ["$WRAPPER"]
EOF
export CONTAINERS_CONF=$SCRATCH/containers.conf
# podman's default rlimits (nofile and nproc 1048576) are above this machine's hard limits.
LIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
CGROUP_PARENT=/$TAG

# pod ARGS...: podman with this test's storage and hull; a script, so that script(1) can run it too.
cat >"$SCRATCH/bin/pod" <<EOF
#!/bin/sh
export CONTAINERS_CONF='$CONTAINERS_CONF'
exec podman --root '$SCRATCH/storage' --runroot '$SCRATCH/run' --tmpdir '$SCRATCH/tmp' \\
    --runtime hull --cgroup-manager cgroupfs --events-backend file "\$@"
EOF
chmod 755 "$SCRATCH/bin/pod"
pod() { "$SCRATCH/bin/pod" "$@"; }
# prun ARGS...: `podman run` with this test's cgroup parent, no network and feasible rlimits.
PRUN="$SCRATCH/bin/pod run --network none --cgroup-parent $CGROUP_PARENT ${LIMITS[*]}"
prun() { $PRUN "$@"; }

on_exit "remove_cgroup_tree $TAG"
on_exit "pod rm --all --force --time 0 >/dev/null 2>&1"
pod import "$(busybox_tar)" localhost/busybox:latest >/dev/null 2>&1 || die "podman import failed"
IMAGE=localhost/busybox:latest

# ---- run: output, exit status -----------------------------------------------------------------
check_run "run prints the command's output" 0 hi prun --rm $IMAGE echo hi
check_called "podman called hull create with a JSON log" "^--log-format=json --log [^ ]+/oci-log create --bundle [^ ]+ --pid-file [^ ]+ [0-9a-f]{64}$"
check_run "run returns the command's exit status" 7 "" prun --rm $IMAGE sh -c 'exit 7'
check_run "the container is in its own pid namespace" 0 1 prun --rm $IMAGE sh -c 'echo $$'
check_fails_with "a missing binary fails with hull's error" 'exec: "nosuch": executable file not found in $PATH' \
    prun --rm $IMAGE nosuch
check_fails_with "a rlimit above the hard limit fails with the rlimit's name" "RLIMIT_NOFILE" \
    pod run --rm --network none --cgroup-parent "$CGROUP_PARENT" $IMAGE true

# ---- mounts ------------------------------------------------------------------------------------
mkdir -p "$SCRATCH/volume" && echo volfile >"$SCRATCH/volume/f"
check_run "-v binds a host directory read-only" 0 $'volfile\nro' prun --rm -v "$SCRATCH/volume:/vol:ro" $IMAGE \
    sh -c 'cat /vol/f; touch /vol/x 2>/dev/null && echo rw || echo ro'
# podman asks for runc's "tmpcopyup" on --tmpfs and on the tmpfs mounts of --read-only: the
# tmpfs starts with a copy of the image's directory.
check_run "--tmpfs over an image directory keeps its files (tmpcopyup)" 0 $'sh\ntmpfs' \
    prun --rm --tmpfs /bin $IMAGE sh -c 'ls /bin | grep -x sh; grep " /bin " /proc/mounts | cut -d" " -f3'
check_run "--read-only mounts writable tmpfs on /tmp" 0 "written" \
    prun --rm --read-only $IMAGE sh -c 'echo written > /tmp/f && cat /tmp/f'

# ---- detached: exec, top, pause, resume, update, stop, rm ---------------------------------------
id=$(prun -d --name web -m 32m $IMAGE sh -c "$TERM_TRAP" </dev/null)
check_eq "run -d prints the ID" 64 "${#id}"
check_eq "the container runs" running "$(pod inspect --format '{{.State.Status}}' web)"
check_run "exec prints its output" 0 fromexec pod exec web echo fromexec
check_run "exec returns its exit status" 3 "" pod exec web sh -c 'exit 3'
check_called "podman called hull exec --detach" "^--log-format=json --log [^ ]+ exec --pid-file [^ ]+ --process [^ ]+ --detach [0-9a-f]{64}$"
check_contains "top lists the container's processes" "sleep" "$(pod top web 2>&1)"
limit_file=$(memory_limit_file "$CGROUP_PARENT/libpod-$id")
check_eq "-m 32m sets the memory limit" 33554432 "$(cat "$limit_file" 2>&1)"
check_run "update --memory changes the limit" 0 "$id" pod update --memory 64m web
check_eq "the new limit is in the cgroup" 67108864 "$(cat "$limit_file" 2>&1)"
check_run "pause" 0 web pod pause web
check_eq "the container is paused" paused "$(pod inspect --format '{{.State.Status}}' web)"
check_eq "its freezer says FROZEN" FROZEN "$(cat "/sys/fs/cgroup/freezer$CGROUP_PARENT/libpod-$id/freezer.state" 2>&1)"
check_run "unpause" 0 web pod unpause web
check_eq "the container runs again" running "$(pod inspect --format '{{.State.Status}}' web)"
check_run "stop (SIGTERM through hull kill)" 0 web pod stop --time 10 web
check_eq "the process got SIGTERM and exited 42" "exited 42" "$(pod inspect --format '{{.State.Status}} {{.State.ExitCode}}' web)"
check_called "podman called hull kill ID 15" "^kill [0-9a-f]{64} 15$"
check_run "start it again" 0 web pod start web
check_run "kill --signal KILL" 0 web pod kill --signal KILL web
check_run "the container was killed by SIGKILL" 0 137 pod wait web
check_run "rm" 0 web pod rm web
check_eq "hull has no state left for it" "" "$(ls -d "/run/hull/$id" 2>/dev/null)"
pod run -d --name gone --network none --cgroup-parent "$CGROUP_PARENT" "${LIMITS[@]}" $IMAGE sleep 100 >/dev/null </dev/null
check_run "rm -f of a running container" 0 gone pod rm -f --time 0 gone
check_eq "rm -f removed it" "" "$(pod ps -a --format '{{.Names}}' --filter name=gone)"

# ---- terminal ---------------------------------------------------------------------------------
output=$(in_terminal "$PRUN --rm -it $IMAGE sh" $'tty\nexit 5\n')
status=$?
check_eq "run -it returns the shell's exit status" 5 "$status"
check_contains "run -it gives the shell a pseudo-terminal" "/dev/pts/" "$output"
check_called "podman passed a console socket" "create --bundle [^ ]+ --pid-file [^ ]+ --console-socket [^ ]+ [0-9a-f]{64}$"
prun -d --name term $IMAGE sleep 100 >/dev/null </dev/null
output=$(in_terminal "$SCRATCH/bin/pod exec -it term sh -c 'tty; exit 4'")
status=$?
check_eq "exec -it returns its exit status" 4 "$status"
check_contains "exec -it has a pseudo-terminal" "/dev/pts/" "$output"
check_called "podman called hull exec --tty --console-socket" " exec [^ ]+ .*--tty --console-socket "
pod rm -f --time 0 term >/dev/null 2>&1

# ---- memory limit -----------------------------------------------------------------------------
check_run "a process above its 16 MiB limit is OOM-killed" 137 "" prun --rm -m 16m --memory-swap 16m $IMAGE sh -c "$MEMORY_HOG"

# ---- --cgroups=disabled is podman's choice, not hull's ----------------------------------------
check_fails_with "--cgroups=disabled is refused by podman for runtimes other than crun" "not compatible with NoCgroups" \
    pod run --rm --network none "${LIMITS[@]}" --cgroups=disabled $IMAGE true

finish
