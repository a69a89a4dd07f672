#!/bin/bash
# make test-sanitize: the integration tests against a hull built with AddressSanitizer (Swift and
# C) and UndefinedBehaviorSanitizer (the C shim: Swift has no UBSan mode; its own checks trap).
#
# Every sanitizer report goes to a file under a fresh directory (ASAN_OPTIONS log_path; UBSan
# shares ASan's runtime and its log_path), so a report fails this target even when the test that
# caused it passed, e.g. a test that expects hull to fail. UBSan is built non-recovering: the
# first report also ends the process, so the test that caused it fails too.
#
# A report from the container's side of clone() is written before pivot_root (into this
# directory) or, after it, inside the container's root file system: the tests then see the init
# fail during setup.
#
# usage: scripts/test-sanitize.sh SANITIZED_HULL XCTEST_BUNDLE
set -euo pipefail

hull=$1; xctest=$2
reports=$(mktemp -d /tmp/hull-sanitize-XXXXXX)
trap 'rm -rf "$reports"' EXIT

# The binary must really be instrumented, or a clean run would prove nothing.
symbols=$(nm "$hull")
if ! grep -q '__asan_init' <<< "$symbols" || ! grep -q '__ubsan_handle' <<< "$symbols"; then
    echo "test-sanitize: $hull is not built with AddressSanitizer and UndefinedBehaviorSanitizer" >&2
    exit 1
fi

# Only the integration tests run hull; the unit tests do not.
tests=$("$xctest" --list-tests 2>/dev/null | awk -F/ '/^HullIntegrationTests\./ {print $1}' | sort -u | paste -sd, -)
if [ -z "$tests" ]; then
    echo "test-sanitize: no integration tests listed by $xctest" >&2
    exit 1
fi

export HULL_BINARY=$hull
export ASAN_OPTIONS="log_path=$reports/report:detect_leaks=1:strict_string_checks=1"
export UBSAN_OPTIONS="log_path=$reports/report:print_stacktrace=1"
status=0
"$xctest" "$tests" || status=$?

if compgen -G "$reports/report*" > /dev/null; then
    echo "test-sanitize: sanitizer reports:" >&2
    for report in "$reports"/report*; do
        echo "== $report" >&2
        cat "$report" >&2
    done
    exit 1
fi
if [ "$status" -ne 0 ]; then
    echo "test-sanitize: the integration tests failed against the sanitized hull (exit $status)" >&2
    exit "$status"
fi
echo "test-sanitize: no sanitizer report from the integration tests"
