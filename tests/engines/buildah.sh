#!/bin/bash
# buildah runs its RUN steps with hull: `buildah run --runtime PATH` and `buildah bud --runtime
# PATH`, the cgroupfs manager, no network. See docs/engines.md.
source "$(dirname "$0")/lib.sh"
engine_setup buildah
require_commands buildah script

CGROUP_PARENT=/$TAG
# bah ARGS...: buildah with this test's storage; a script, so that script(1) can run it too.
cat >"$SCRATCH/bin/bah" <<EOF
#!/bin/sh
exec buildah --root '$SCRATCH/storage' --runroot '$SCRATCH/run' --cgroup-manager cgroupfs "\$@"
EOF
chmod 755 "$SCRATCH/bin/bah"
bah() { "$SCRATCH/bin/bah" "$@"; }
BRUN="$SCRATCH/bin/bah run --runtime $WRAPPER --network none"
brun() { $BRUN "$@"; }

on_exit "remove_cgroup_tree $TAG"
on_exit "bah rm --all >/dev/null 2>&1; bah rmi --all --force >/dev/null 2>&1"

# A working container from scratch with busybox copied in.
bah from --name box --cgroup-parent "$CGROUP_PARENT" scratch >/dev/null 2>&1 || die "buildah from scratch failed"
bah copy box "$SCRATCH/rootfs" / >/dev/null || die "buildah copy failed"

check_run "run prints the command's output" 0 hi brun box -- echo hi
check_called "buildah called hull create" "^create --bundle [^ ]+ --pid-file [^ ]+ buildah-buildah[0-9]+$"
check_called "buildah called hull delete" "^delete buildah-buildah[0-9]+$"
check_run "run returns the command's exit status" 4 "" brun box -- sh -c 'exit 4'
check_run "the working container's files are there" 0 "root:x:0:" brun box -- head -n 1 /etc/group
check_fails_with "a missing binary fails with hull's error" 'exec: "nosuch": executable file not found in $PATH' \
    brun box -- nosuch
check_run "a RUN step's changes stay in the container" 0 "" brun box -- sh -c 'echo built > /built'
check_run "...and the next run sees them" 0 built brun box -- cat /built

# ---- terminal ---------------------------------------------------------------------------------
output=$(in_terminal "$BRUN -t box -- sh -c 'tty; exit 6'")
status=$?
check_eq "run -t returns its exit status" 6 "$status"
check_contains "run -t has a pseudo-terminal" "/dev/pts/" "$output"
check_called "buildah passed a console socket" "^create --bundle [^ ]+ --pid-file [^ ]+ --console-socket [^ ]+ buildah-buildah[0-9]+$"

# ---- memory limit -----------------------------------------------------------------------------
bah from --name small --memory 16m --memory-swap 16m --cgroup-parent "$CGROUP_PARENT" scratch >/dev/null 2>&1 \
    || die "buildah from --memory failed"
bah copy small "$SCRATCH/rootfs" / >/dev/null || die "buildah copy failed"
check_run "--memory 16m is the container's limit" 0 16777216 \
    brun small -- sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max'
# buildah turns a container killed by a signal into its own error and status 1.
check_fails_with "a process above the limit is OOM-killed" "container exited on killed" brun small -- sh -c "$MEMORY_HOG"

# ---- build from a Containerfile ---------------------------------------------------------------
bah commit box localhost/busybox:latest >/dev/null 2>&1 || die "buildah commit failed"
mkdir -p "$SCRATCH/context"
cat >"$SCRATCH/context/Containerfile" <<'EOF'
FROM localhost/busybox:latest
RUN echo step1 > /step1
RUN cat /step1 > /step2 && echo step2 >> /step2
CMD ["cat", "/step2"]
EOF
output=$(bah bud --runtime "$WRAPPER" --network none --cgroup-parent "$CGROUP_PARENT" \
    -t localhost/built:latest "$SCRATCH/context" </dev/null 2>&1)
check_eq "bud with two RUN steps succeeds" 0 $?
bah from --name check localhost/built:latest >/dev/null 2>&1
check_run "the built image has both steps' files" 0 $'step1\nstep2' brun check -- cat /step2
output=$(bah bud --runtime "$WRAPPER" --network none -f /dev/stdin "$SCRATCH/context" 2>&1 <<'EOF'
FROM localhost/busybox:latest
RUN ["nosuch"]
EOF
)
check_contains "a failing RUN step reports hull's error" 'exec: "nosuch": executable file not found in $PATH' "$output"

finish
