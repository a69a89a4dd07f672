#!/bin/bash
# Rootless podman 4.3 runs its containers with hull: an unprivileged user made for the test (with
# /etc/subuid and /etc/subgid ranges), its own storage (vfs), runtime directory and
# containers.conf, the cgroupfs manager, no network. podman creates the user namespace itself
# (newuidmap) and runs hull inside it, as root of a namespace that is not the initial one:
# `--rootless auto` is then true, and the devices are bound from the host, not made with mknod.
# See docs/engines.md and docs/rootless.md.
source "$(dirname "$0")/lib.sh"
engine_setup podman-rootless
require_commands podman conmon newuidmap useradd setpriv

user=hullpod$$
userdel "$user" >/dev/null 2>&1
useradd --no-create-home --home-dir /nonexistent --shell /bin/sh --user-group "$user" || die "useradd $user failed"
on_exit "userdel $user >/dev/null 2>&1"
# podman leaves a pause process (holding its user namespace) and conmons behind: the user's.
on_exit "pkill -KILL -u $user; sleep 0.2"
usermod --add-subuids 500000-565535 --add-subgids 500000-565535 "$user" || die "usermod $user failed"
uid=$(id -u "$user")

# The scratch directory is root's; the user gets its own part of it, and the wrapper's log.
chmod 755 "$SCRATCH" "$SCRATCH/bin"
home=$SCRATCH/home
# The runtime directory has a short path of its own: podman refuses a runroot of more than 50
# characters.
xdg=$(mktemp -d /tmp/hullpod.XXXXXX)
on_exit "rm -rf $xdg"
mkdir -p "$home" "$SCRATCH/volume"
touch "$ARGV_LOG"
chown "$user:$user" "$home" "$xdg" "$SCRATCH/volume" "$ARGV_LOG"
cat >"$SCRATCH/containers.conf" <<EOF
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime_supports_json = ["crun", "runc", "hull"]
[engine.runtimes]
hull = ["$WRAPPER"]
EOF
# The runtime binary must be reachable by the user: a copy in the scratch directory.
cp "$RUNTIME" "$SCRATCH/bin/runtime" && chmod 755 "$SCRATCH/bin/runtime"
sed -i "s|exec '$RUNTIME'|exec '$SCRATCH/bin/runtime'|" "$WRAPPER"

# pod ARGS...: podman as the user, with its storage and hull.
pod() {
    setpriv --reuid="$uid" --regid="$uid" --init-groups \
        env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$home" XDG_RUNTIME_DIR="$xdg" \
        CONTAINERS_CONF="$SCRATCH/containers.conf" \
        podman --root "$home/storage" --runroot "$xdg/c" --storage-driver vfs \
        --runtime hull --cgroup-manager cgroupfs --events-backend file "$@"
}
tar -C "$SCRATCH/rootfs" -cf "$SCRATCH/busybox.tar" . && chmod 644 "$SCRATCH/busybox.tar"
pod import "$SCRATCH/busybox.tar" localhost/busybox:latest >"$SCRATCH/import.log" 2>&1 || die "podman import failed: $(tail -3 "$SCRATCH/import.log")"
IMAGE=localhost/busybox:latest
prun() { pod run --network none "$@"; }

# ---- run as the user --------------------------------------------------------------------------
check_run "run prints the command's output" 0 hi prun --rm $IMAGE echo hi
check_called "podman called hull create" "^--log-format=json --log [^ ]+ create --bundle [^ ]+ --pid-file [^ ]+ [0-9a-f]{64}$"
check_run "run returns the command's exit status" 7 "" prun --rm $IMAGE sh -c 'exit 7'
check_run "container root is the user on the host" 0 "0 0 0 $uid 1" \
    prun --rm $IMAGE sh -c 'echo "$(id -u) $(id -g) $(awk "NR == 1 { print \$1, \$2, \$3 }" /proc/self/uid_map)"'
check_run "the default devices are there (bound from the host)" 0 "character special file 1,3" \
    prun --rm $IMAGE stat -c "%F %t,%T" /dev/null
prun --rm -v "$SCRATCH/volume:/vol" $IMAGE sh -c 'echo made > /vol/f' >/dev/null 2>&1
check_eq "a file made in a volume belongs to the user" "$uid" "$(stat -c %u "$SCRATCH/volume/f" 2>&1)"

# ---- detached: state under the user's runtime directory, exec, stop, rm ------------------------
id=$(prun -d --name web $IMAGE sh -c "$TERM_TRAP" </dev/null)
check_eq "run -d prints the ID" 64 "${#id}"
check_eq "hull keeps the state in XDG_RUNTIME_DIR/hull" "$xdg/hull/$id/state.json" "$(ls "$xdg/hull/$id/state.json" 2>&1)"
check_run "exec prints its output" 0 fromexec pod exec web echo fromexec
check_run "stop (SIGTERM through hull kill)" 0 web pod stop --time 10 web
check_eq "the process got SIGTERM and exited 42" "exited 42" "$(pod inspect --format '{{.State.Status}} {{.State.ExitCode}}' web)"
check_run "rm" 0 web pod rm web
check_eq "hull's state is gone" "" "$(ls "$xdg/hull" 2>/dev/null | grep -v '~')"

finish
