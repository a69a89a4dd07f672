#!/usr/bin/env bash
# `make run`: a short tour of hull on a busybox bundle built in a temporary directory.
#
# With hull's lifecycle commands present, it runs a real container that prints its hostname, its
# user, its pid (1: it has its own pid namespace) and its root directory. Before they exist it
# shows what hull can do so far: its version, the default config.json it writes, its features.
set -euo pipefail

usage="usage: demo.sh HULL_BINARY"
[[ $# -eq 1 ]] || { echo "$usage" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/lib.sh"
[[ -x $1 ]] || die "$1: not an executable (run: make build)"
hull=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
require jq

work=$(mktemp -d /tmp/hull-demo.XXXXXX)
bundle=$work/bundle
state=$work/state
id=hull-demo-$$

cleanup() {
    # The container is normally gone when `run` returns; this covers an interrupted demo.
    if has_subcommand "$hull" delete; then
        "$hull" --root "$state" delete --force "$id" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# step TEXT: a heading for the next thing the demo shows (bold on a terminal).
if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() {
    printf '\n%s== %s%s\n' "$bold" "$*" "$plain"
}

# show COMMAND...: echo a command, then run it.
show() {
    printf '$ %s\n' "$*"
    "$@"
}

# write_default_config: config.json in the bundle, from `hull spec` if hull has it, else `runc spec`.
write_default_config() {
    if has_subcommand "$hull" spec; then
        (cd "$bundle" && "$hull" spec)
    else
        require runc
        runc spec --bundle "$bundle"
    fi
}

# The container runs this as /demo.sh: each line names what it shows.
container_script='echo "hostname: $(hostname)"
echo "user:     $(id)"
echo "pid:      $$ (the container has its own pid namespace)"
echo "ls /:     $(echo $(ls /))"
echo "processes:"
ps -o pid,user,args
'

demo_container() {
    write_default_config
    printf '%s' "$container_script" >"$bundle/rootfs/demo.sh"
    edit_config "$bundle" '.process.terminal = false
        | .hostname = "hull-demo"
        | .process.args = ["/bin/sh", "/demo.sh"]'
    step "a busybox container, run by hull"
    local status=0
    show "$hull" --root "$state" run --bundle "$bundle" "$id" || status=$?
    echo "(exit status $status)"
    return "$status"
}

demo_without_lifecycle() {
    echo "This hull has no 'run' command yet (the container lifecycle is still to come)."
    echo "Showing what it can do so far."
    step "version"
    show "$hull" --version
    step "hull spec: the default config.json (summary)"
    if has_subcommand "$hull" spec; then
        (cd "$bundle" && show "$hull" spec)
        jq -r '"ociVersion:   \(.ociVersion)",
            "args:         \(.process.args | join(" "))",
            "namespaces:   \([.linux.namespaces[].type] | join(", "))",
            "mounts:       \([.mounts[].destination] | join(", "))",
            "capabilities: \(.process.capabilities.bounding | join(", "))"' "$bundle/config.json"
        echo "(config.json: $(wc -l <"$bundle/config.json") lines of JSON)"
    else
        echo "(not in this build yet)"
    fi
    step "hull features: what this runtime supports (summary)"
    if has_subcommand "$hull" features; then
        local features
        printf '$ %s features\n' "$hull"
        features=$("$hull" features)
        jq -r 'def summary: if type == "array" then
                    (if length <= 6 then map(tostring) | join(", ") else "\(length) entries" end)
                elif type == "object" then "{" + (keys | join(", ")) + "}"
                else tostring end;
            to_entries[] | "\(.key): \(.value | summary)"' <<<"$features"
    else
        echo "(not in this build yet)"
    fi
}

step "building a busybox bundle in $bundle"
make_busybox_rootfs "$bundle"
echo "rootfs: $(ls "$bundle/rootfs/bin" | wc -l) busybox applets in /bin"

if has_subcommand "$hull" run; then
    demo_container
else
    demo_without_lifecycle
fi
