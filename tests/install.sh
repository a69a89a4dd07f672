#!/bin/bash
# Tests of `make install`, `make uninstall` and `make deb-package` (run by `make test-install`,
# which `make test` runs; see docs/install.md).
#
# - `make install DESTDIR=D` lays out exactly the expected files, and the installed binary runs
#   from any directory; `make uninstall DESTDIR=D` removes every one of them;
# - every man page renders with `man --warnings` silent, has the usual sections, and documents
#   every flag of its command;
# - each completion script loads in its shell, and the bash and fish ones offer the subcommands;
# - the .deb installs with dpkg, `hull --version` and `man hull` work, and `dpkg -r` removes
#   every file it installed. This part changes the machine (it is root's CI machine): it runs
#   under a lock and refuses to touch an already installed hull package.
set -euo pipefail
cd "$(dirname "$0")/.."

HULL=${HULL_BINARY:-$PWD/.build/release/hull}
VERSION=$(cat VERSION)
failures=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

pass() { echo "ok   $*"; }
fail() { echo "FAIL $*" >&2; failures=$((failures + 1)); }
# check DESCRIPTION COMMAND...: runs COMMAND, passes if it succeeds.
check() {
    local description=$1
    shift
    if "$@"; then pass "$description"; else fail "$description"; fi
}

# The commands that get a man page: every subcommand swift-argument-parser knows, except its
# built-in `help`.
mapfile -t commands < <("$HULL" --experimental-dump-help \
    | jq -r '.command.subcommands[] | select(.commandName != "help") | .commandName')
[ ${#commands[@]} -gt 0 ] || { echo "no subcommands in --experimental-dump-help" >&2; exit 1; }

# expected_files PREFIX: every file `make install` should lay out under PREFIX, sorted.
expected_files() {
    local prefix=$1 command doc
    {
        echo "$prefix/bin/hull"
        echo "$prefix/share/man/man8/hull.8"
        for command in "${commands[@]}"; do echo "$prefix/share/man/man8/hull-$command.8"; done
        echo "$prefix/share/bash-completion/completions/hull"
        echo "$prefix/share/zsh/site-functions/_hull"
        echo "$prefix/share/fish/vendor_completions.d/hull.fish"
        echo "$prefix/share/doc/hull/README.md"
        echo "$prefix/share/doc/hull/LICENSE"
        for doc in docs/*.md; do echo "$prefix/share/doc/hull/docs/${doc#docs/}"; done
    } | sort
}

# ---- make install / uninstall ------------------------------------------------------------

destdir=$scratch/destdir
make -s --no-print-directory install DESTDIR="$destdir" >/dev/null
(cd "$destdir" && find . -type f | sed 's/^\.//' | sort) > "$scratch/installed"
expected_files /usr/local > "$scratch/expected"
if diff -u "$scratch/expected" "$scratch/installed"; then
    pass "make install lays out exactly the expected files"
else
    fail "make install lays out exactly the expected files (diff above: - expected, + installed)"
fi

installed_hull=$destdir/usr/local/bin/hull
check "the installed binary is executable" test -x "$installed_hull"
version_output=$(cd / && env -i PATH=/usr/bin:/bin "$installed_hull" --version) || true
check "the installed binary runs from / and shows VERSION ($VERSION)" \
    grep -qx "hull version $VERSION" <<<"$version_output"
check "the installed binary needs no Swift runtime library" \
    bash -c "! readelf -d '$installed_hull' | grep -q 'NEEDED.*libswift'"
check "hull features reports VERSION as hull.version" \
    test "$("$installed_hull" features | jq -r '.annotations["hull.version"]')" = "$VERSION"

make -s --no-print-directory uninstall DESTDIR="$destdir" >/dev/null
left=$(cd "$destdir" && find . ! -type d)
check "make uninstall removes every installed file" test -z "$left"

# ---- man pages ----------------------------------------------------------------------------

make -s --no-print-directory install-files DESTDIR="$destdir" PREFIX=/usr/local >/dev/null
man8=$destdir/usr/local/share/man/man8
"$HULL" --experimental-dump-help > "$scratch/help.json"
for page in "$man8"/*.8; do
    name=$(basename "$page" .8)
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) || warnings="man failed: $warnings"
    check "$name.8 renders without warnings" test -z "$warnings"
    [ -z "$warnings" ] || echo "$warnings" >&2
    text=$(MANWIDTH=200 man -l "$page" 2>/dev/null | col -b) || true
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
        check "$name.8 has a $section section" grep -qx "$section" <<<"$text"
    done
    # Every flag of the command, by every name, as --experimental-dump-help lists them.
    if [ "$name" = hull ]; then selector='.command'; else
        selector=".command.subcommands[] | select(.commandName == \"${name#hull-}\")"; fi
    mapfile -t flags < <(jq -r "$selector | .arguments[] | select(.shouldDisplay) | .names[]?
        | if .kind == \"short\" then \"-\" + .name else \"--\" + .name end" "$scratch/help.json" | sort -u)
    missing=()
    for flag in "${flags[@]}"; do
        grep -qE -- "(^|[ ,|[])$flag([ ,|]|\]|$)" <<<"$text" || missing+=("$flag")
    done
    check "$name.8 documents every flag (${#flags[@]})" test ${#missing[@]} -eq 0
    [ ${#missing[@]} -eq 0 ] || echo "  missing: ${missing[*]}" >&2
done

# ---- completions --------------------------------------------------------------------------

bash_completion=$destdir/usr/local/share/bash-completion/completions/hull
zsh_completion=$destdir/usr/local/share/zsh/site-functions/_hull
fish_completion=$destdir/usr/local/share/fish/vendor_completions.d/hull.fish
check "bash completion parses (bash -n)" bash -n "$bash_completion"
check "zsh completion parses (zsh -n)" zsh -n "$zsh_completion"
check "fish completion parses (fish -n)" fish -n "$fish_completion"

# bash_complete LINE: the words bash completion offers at the end of LINE.
bash_complete() {
    bash -c '
        source "$1"
        COMP_LINE=$2; COMP_POINT=${#COMP_LINE}
        read -ra COMP_WORDS <<<"$COMP_LINE"
        [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _hull hull "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"
    ' bash "$bash_completion" "$1"
}
offered=$(bash_complete "hull ")
missing=()
for command in "${commands[@]}"; do grep -qx "$command" <<<"$offered" || missing+=("$command"); done
check "bash completion offers every subcommand after 'hull '" test ${#missing[@]} -eq 0
check "bash completion offers kill's --all after 'hull kill --a'" grep -qx -- --all <<<"$(bash_complete "hull kill --a")"
check "bash completion offers only matching subcommands after 'hull cr'" \
    test "$(bash_complete "hull cr")" = create

offered=$(fish --no-config -c "source '$fish_completion'; complete -C'hull '" | cut -f1) || true
missing=()
for command in "${commands[@]}"; do grep -qx "$command" <<<"$offered" || missing+=("$command"); done
check "fish completion offers every subcommand after 'hull '" test ${#missing[@]} -eq 0

registered=$(zsh -f -c "autoload -U compinit && compinit -u -d '$scratch/zcompdump' && source '$zsh_completion' && print \${_comps[hull]}") || true
check "zsh completion registers _hull for hull" test "$registered" = _hull

# ---- Debian package -----------------------------------------------------------------------

deb=$(make -s --no-print-directory deb-package-path)
make -s --no-print-directory deb-package >/dev/null
check "make deb-package builds $(basename "$deb")" test -f "$deb"
depends=$(dpkg-deb -f "$deb" Depends)
for library in libc6 libseccomp2 libcap2; do
    check "the package depends on $library" grep -q "\\b$library\\b" <<<"$depends"
done

# One dpkg test at a time on this machine, and never over someone's installed hull.
exec 9>/run/lock/hull-install-test.lock
flock 9
if dpkg-query -W -f='${Status}' hull 2>/dev/null | grep -q installed; then
    fail "a hull package is already installed: remove it (dpkg -r hull) to test the .deb"
else
    dpkg -i "$deb" >/dev/null 2>&1 || true
    check "dpkg -i installs the package" bash -c "dpkg-query -W -f='\${Status}' hull | grep -q 'ok installed'"
    check "hull --version works from /usr/bin and shows $VERSION" \
        bash -c "cd / && /usr/bin/hull --version | grep -qx 'hull version $VERSION'"
    check "man finds hull-run(8)" bash -c "man -w 8 hull-run | grep -qx /usr/share/man/man8/hull-run.8.gz"
    check "installed man page hull.8.gz renders without warnings" \
        test -z "$(MANWIDTH=80 man --warnings -l /usr/share/man/man8/hull.8.gz 2>&1 >/dev/null)"
    dpkg-query -L hull > "$scratch/package-files"
    dpkg -r hull >/dev/null 2>&1 || true
    check "dpkg -r removes the package" bash -c "! dpkg-query -W -f='\${Status}' hull 2>/dev/null | grep -q 'ok installed'"
    remaining=()
    while read -r path; do
        [ -f "$path" ] || [ -L "$path" ] && remaining+=("$path")
    done < "$scratch/package-files"
    check "dpkg -r removes every file of the package" test ${#remaining[@]} -eq 0
    [ ${#remaining[@]} -eq 0 ] || echo "  left: ${remaining[*]}" >&2
fi
flock -u 9

if [ $failures -gt 0 ]; then
    echo "install tests: $failures failed" >&2
    exit 1
fi
echo "install tests: all passed"
