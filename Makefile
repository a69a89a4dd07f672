# hull: build, run, test, bench. `make run` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
SWIFT ?= swift
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# lld: gold warns about mktemp inside the toolchain's static Foundation, which is not hull's code.
# No $ORIGIN runpath: the installed binary must load libseccomp/libcap only from the system.
RELEASE_FLAGS := -c release --static-swift-stdlib --disable-local-rpath -Xswiftc -use-ld=lld -Xcc -DHULL_COMMIT='"$(COMMIT)"'
HULL := $(CURDIR)/.build/release/hull
# Debian packages hull builds with (libseccomp-dev, libcap-dev) and tests against (the rest).
DEB_PACKAGES := libseccomp-dev libcap-dev busybox-static runc crun hyperfine jq iproute2 time

.PHONY: all deps build run test unit-test integration-test bench clean

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build $(RELEASE_FLAGS)

run: build
	@bash scripts/demo.sh $(HULL)

test: build
	HULL_BINARY=$(HULL) $(SWIFT) test --disable-swift-testing

bench: build
	@bash scripts/bench.sh $(HULL)

clean:
	rm -rf .build
