# hull: build, run, test, bench. `make run` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
SWIFT ?= swift
RELEASE_FLAGS := -c release --static-swift-stdlib
HULL := $(CURDIR)/.build/release/hull
# Debian packages hull builds with (libseccomp-dev, libcap-dev) and tests against (the rest).
DEB_PACKAGES := libseccomp-dev libcap-dev busybox-static runc crun hyperfine jq iproute2 time

.PHONY: all deps build run test test-cgroupv2 unit-test integration-test bench clean

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
	HULL_BINARY=$(HULL) $(SWIFT) test
	$(MAKE) --no-print-directory test-cgroupv2

# The cgroup integration tests, again inside a pure cgroup v2 QEMU guest (scripts/cgroupv2-vm.sh).
# Device rules are not applied on v2 yet (no eBPF program), so their test runs on the host only.
CGROUPV2_TESTS := HullIntegrationTests.CgroupCommandTests,$\
	HullIntegrationTests.CgroupResourceTests/testCreateWritesEveryResource,$\
	HullIntegrationTests.CgroupResourceTests/testOOMKillerDisabledAndUnlimitedMemory,$\
	HullIntegrationTests.CgroupResourceTests/testUpdateChangesTheFilesAndTheSavedConfig,$\
	HullIntegrationTests.CgroupResourceTests/testUpdateFromAResourcesFileAndStdin,$\
	HullIntegrationTests.CgroupResourceTests/testMemoryLimitOOMKillsTheHog,$\
	HullIntegrationTests.CgroupResourceTests/testPidsLimitStopsAForkBomb,$\
	HullIntegrationTests.CgroupResourceTests/testBadValuesFailWithTheFieldAndLeaveNothing,$\
	HullIntegrationTests.CgroupResourceTests/testUnknownUnifiedKeyIsAOneLineError,$\
	HullIntegrationTests.CgroupResourceTests/testUnifiedCoreFileIsWrittenOnTheCgroup2Directory

test-cgroupv2: build
	$(SWIFT) build --build-tests
	bash scripts/cgroupv2-vm.sh $(HULL) $(CURDIR)/.build/debug/hullPackageTests.xctest '$(CGROUPV2_TESTS)'

bench: build
	@bash scripts/bench.sh $(HULL)

clean:
	rm -rf .build
