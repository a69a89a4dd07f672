# Shared by demo.sh and bench.sh (sourced, not run): building busybox bundles, finding commands.

# die MESSAGE...: print to stderr and exit 1.
die() {
    echo "error: $*" >&2
    exit 1
}

# require COMMAND...: fail unless every COMMAND is on PATH (`make deps` installs them).
require() {
    local command
    for command in "$@"; do
        command -v "$command" >/dev/null 2>&1 || die "$command not found (run: make deps)"
    done
}

# has_subcommand BINARY NAME: true if BINARY has subcommand NAME. A bare `BINARY NAME --help`
# is not enough: swift-argument-parser prints the root help, with status 0, for an unknown
# subcommand followed by --help; so look for NAME's own usage line.
has_subcommand() {
    local help
    help=$("$1" "$2" --help 2>/dev/null) || return 1
    [[ $help =~ USAGE:\ [^[:space:]]+\ $2([[:space:]]|$) ]]
}

# host_busybox: the path of the host's static busybox (package busybox-static).
host_busybox() {
    local busybox
    busybox=$(command -v busybox) || die "busybox not found (run: make deps)"
    busybox=$(readlink -f "$busybox")
    # ldd fails on a static binary; a dynamic one would not run inside the rootfs.
    if ldd "$busybox" >/dev/null 2>&1; then
        die "$busybox is dynamically linked; install busybox-static"
    fi
    echo "$busybox"
}

# make_busybox_rootfs DIR: DIR/rootfs with busybox as /bin/busybox plus a symlink per applet,
# the directories a runtime mounts onto, and /etc/passwd and /etc/group (root, nobody).
make_busybox_rootfs() {
    local rootfs=$1/rootfs busybox applet
    busybox=$(host_busybox)
    mkdir -p "$rootfs"/{bin,proc,sys,dev,etc,root,tmp}
    chmod 1777 "$rootfs/tmp"
    chmod 700 "$rootfs/root"
    cp "$busybox" "$rootfs/bin/busybox"
    for applet in $("$busybox" --list); do
        [[ $applet == busybox ]] || ln -s busybox "$rootfs/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
        >"$rootfs/etc/passwd"
    printf 'root:x:0:\nnobody:x:65534:\n' >"$rootfs/etc/group"
}

# edit_config BUNDLE JQ-FILTER [JQ-ARGS...]: rewrite BUNDLE/config.json through jq.
edit_config() {
    local bundle=$1 filter=$2
    shift 2
    jq "$@" "$filter" "$bundle/config.json" >"$bundle/config.json.new"
    mv "$bundle/config.json.new" "$bundle/config.json"
}
