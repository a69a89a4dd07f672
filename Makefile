# hull: build, run, test, bench. `make run` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
SWIFT ?= swift
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# lld: gold warns about mktemp inside the toolchain's static Foundation, which is not hull's code.
# No $ORIGIN runpath: the installed binary must load libseccomp/libcap only from the system.
RELEASE_FLAGS := -c release --static-swift-stdlib --disable-local-rpath -Xswiftc -use-ld=lld -Xcc -DHULL_COMMIT='"$(COMMIT)"'
HULL := $(CURDIR)/.build/release/hull
# libstdc++ (which the static Swift runtime needs) is linked statically too: loading and
# relocating the shared one was 2.6 of the 3.0 million instructions of `hull --version`, paid
# twice per create/run/exec (docs/performance.md). The driver always passes -lstdc++; lld finds
# this directory first and takes the archive it holds under the shared library's name. Without
# the archive (another toolchain), the directory stays empty and libstdc++ is linked as before.
STATIC_CXX_DIR := $(CURDIR)/.build/static-libstdcxx
STATIC_CXX_ARCHIVE := $(shell clang -print-file-name=libstdc++.a 2>/dev/null)
RELEASE_FLAGS += -Xlinker -L$(STATIC_CXX_DIR)
# Generic types (KeyedDecodingContainer<Spec.CodingKeys>, ...) are instantiated through their
# metadata accessors, not by demangling their names at run time, which checks each conformance
# with a scan of every conformance record: 3.1 M of the 9.1 M instructions of `run` were that
# (docs/performance.md).
RELEASE_FLAGS += -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
# The 41,700 relative relocations of the position-independent binary packed (DT_RELR, glibc
# 2.36): 8 KB instead of a 1 MB .rela.dyn for the loader to read, 0.2 M instructions less a process.
RELEASE_FLAGS += -Xlinker -z -Xlinker pack-relative-relocs
# Every function in its own section, and the ones the engines' commands run placed first
# (scripts/hull.order, `make symbol-order`): fewer text pages faulted in, less peak RSS.
SYMBOL_ORDER := $(CURDIR)/scripts/hull.order
RELEASE_FLAGS += -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections $\
	-Xlinker --symbol-ordering-file=$(SYMBOL_ORDER) -Xlinker --no-warn-symbol-ordering
# Debian packages hull builds with (libseccomp-dev, libcap-dev) and tests against (the rest).
# libsystemd-dev: sd-bus.h for the systemd cgroup driver (libsystemd.so.0 is loaded at run time only).
DEB_PACKAGES := libseccomp-dev libcap-dev libsystemd-dev busybox-static runc crun hyperfine jq iproute2 time uidmap

.PHONY: all deps build run test test-cgroupv2 unit-test integration-test bench clean

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps static-libstdcxx
	@# SwiftPM does not know the link reads the symbol order: a newer file forces the link.
	@if [ $(SYMBOL_ORDER) -nt $(HULL) ]; then rm -f $(HULL); fi
	$(SWIFT) build $(RELEASE_FLAGS)

.PHONY: static-libstdcxx
static-libstdcxx:
	@mkdir -p $(STATIC_CXX_DIR)
	@if [ -f "$(STATIC_CXX_ARCHIVE)" ]; then ln -sfn $(STATIC_CXX_ARCHIVE) $(STATIC_CXX_DIR)/libstdc++.so; fi

run: build
	@bash scripts/demo.sh $(HULL)

test: build
	$(MAKE) --no-print-directory test-cgroupv2
	HULL_BINARY=$(HULL) $(SWIFT) test --disable-swift-testing

# The cgroup integration tests, again inside a pure cgroup v2 QEMU guest (scripts/cgroupv2-vm.sh).
CGROUPV2_TESTS := HullIntegrationTests.CgroupCommandTests,HullIntegrationTests.CgroupExecTests,$\
	HullIntegrationTests.CgroupDeviceTests,$\
	HullIntegrationTests.CgroupResourceTests/testDeviceRuleDeniesAccess,$\
	HullIntegrationTests.CgroupResourceTests/testCreateWritesEveryResource,$\
	HullIntegrationTests.CgroupResourceTests/testOOMKillerDisabledAndUnlimitedMemory,$\
	HullIntegrationTests.CgroupResourceTests/testUpdateChangesTheFilesAndTheSavedConfig,$\
	HullIntegrationTests.CgroupResourceTests/testUpdateFromAResourcesFileAndStdin,$\
	HullIntegrationTests.CgroupResourceTests/testUpdateSwappinessAndOOMKillerFromAResourcesFile,$\
	HullIntegrationTests.CgroupResourceTests/testMemoryLimitOOMKillsTheHog,$\
	HullIntegrationTests.CgroupResourceTests/testPidsLimitStopsAForkBomb,$\
	HullIntegrationTests.CgroupResourceTests/testBadValuesFailWithTheFieldAndLeaveNothing,$\
	HullIntegrationTests.CgroupResourceTests/testUnknownUnifiedKeyIsAOneLineError,$\
	HullIntegrationTests.CgroupResourceTests/testUnifiedFileTheKernelLacksIsAOneLineError,$\
	HullIntegrationTests.CgroupResourceTests/testUnifiedCoreFileIsWrittenOnTheCgroup2Directory,$\
	HullIntegrationTests.RootlessTests/testADelegatedCgroupGetsTheLimits,$\
	HullIntegrationTests.RootlessTests/testTheHostsCgroupsAndSysStayReadOnly

test-cgroupv2: build
	$(SWIFT) build --build-tests
	bash scripts/cgroupv2-vm.sh $(HULL) $(CURDIR)/.build/debug/hullPackageTests.xctest '$(CGROUPV2_TESTS)'

# The systemd cgroup driver (--systemd-cgroup), in the same guest booted with systemd as PID 1
# (scripts/cgroupv2-vm.sh --systemd); about a minute. On the host the same class checks the
# "systemd is not running" error. Part of `make test`.
SYSTEMD_TESTS := HullIntegrationTests.SystemdCgroupTests
.PHONY: test-systemd
test-systemd: build
	$(SWIFT) build --build-tests
	bash scripts/cgroupv2-vm.sh --systemd $(HULL) $(CURDIR)/.build/debug/hullPackageTests.xctest '$(SYSTEMD_TESTS)'

test: test-systemd

bench: build
	@bash scripts/bench.sh $(HULL)

# Regenerates scripts/hull.order from callgrind profiles of the release binary (about a minute);
# commit the result. A function the file does not name is simply placed after the listed ones.
.PHONY: symbol-order
symbol-order: build
	$(call apt_install_missing,valgrind)
	bash scripts/symbol-order.sh $(HULL) $(SYMBOL_ORDER)

clean:
	rm -rf .build

# ---- version, install, Debian package (issue 15) --------------------------------------------
# The one place the version lives is the VERSION file; the build passes it to the shim, which
# `hull --version` and `hull features` read (Sources/CHullShim/version.c).
VERSION := $(shell cat $(CURDIR)/VERSION 2>/dev/null || echo unknown)
RELEASE_FLAGS += -Xcc -DHULL_VERSION='"$(VERSION)"'

# `make install [PREFIX=/usr/local] [DESTDIR=...]` lays out the release binary, the man pages and
# shell completions generated from the command definitions (`hull --experimental-dump-help`,
# `hull --generate-completion-script`) and the docs. See docs/install.md.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MAN8DIR = $(PREFIX)/share/man/man8
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR = $(PREFIX)/share/fish/vendor_completions.d
DOCDIR = $(PREFIX)/share/doc/hull
GENERATED := $(CURDIR)/.build/generated
# The pages carry the date of the commit, so rebuilding the same commit gives the same files.
MAN_DATE := $(shell git log -1 --format=%cs 2>/dev/null || date -u +%F)
DOC_FILES := README.md LICENSE
DOCS_FILES := $(wildcard docs/*.md)
# Packages only the install tests need: `man` to render pages, the shells to load completions.
INSTALL_TEST_PACKAGES := man-db groff-base zsh fish dpkg-dev
# Packages only `make deb` needs (lintian is ~150 packages: not part of `make deps`).
DEB_TOOL_PACKAGES := dpkg-dev binutils lintian
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
DEB_MAINTAINER ?= hull maintainers <maintainers@users.noreply.b-seed-691960a0.example>
DEB_STAGE := $(CURDIR)/.build/deb/hull_$(VERSION)_$(DEB_ARCH)
DEB_FILE := $(CURDIR)/.build/hull_$(VERSION)_$(DEB_ARCH).deb

.PHONY: man completions install uninstall deb deb-package deb-package-path test-install install-test-deps deb-deps

# Installs the Debian packages in $(1) that are missing, without their recommendations.
define apt_install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

$(GENERATED)/hull-manpages: scripts/manpages/main.swift
	@mkdir -p $(@D)
	swiftc -o $@ $<

man: build $(GENERATED)/hull-manpages
	@rm -rf $(GENERATED)/man && mkdir -p $(GENERATED)/man
	$(HULL) --experimental-dump-help > $(GENERATED)/help.json
	$(GENERATED)/hull-manpages $(GENERATED)/help.json docs $(GENERATED)/man $(VERSION) $(MAN_DATE)

# Completion files are sourced, not run: the bash one loses swift-argument-parser's #! line.
completions: build
	@mkdir -p $(GENERATED)/completions
	$(HULL) --generate-completion-script bash | sed '1{/^#!/d}' > $(GENERATED)/completions/hull.bash
	$(HULL) --generate-completion-script zsh > $(GENERATED)/completions/_hull
	$(HULL) --generate-completion-script fish > $(GENERATED)/completions/hull.fish

# The file layout, shared by `install` and `deb` (which runs it without rebuilding).
define install_files
	install -D -m 755 $(HULL) $(DESTDIR)$(BINDIR)/hull
	install -d -m 755 $(DESTDIR)$(MAN8DIR) $(DESTDIR)$(DOCDIR)/docs
	install -m 644 $(GENERATED)/man/*.8 $(DESTDIR)$(MAN8DIR)/
	install -D -m 644 $(GENERATED)/completions/hull.bash $(DESTDIR)$(BASHCOMPDIR)/hull
	install -D -m 644 $(GENERATED)/completions/_hull $(DESTDIR)$(ZSHCOMPDIR)/_hull
	install -D -m 644 $(GENERATED)/completions/hull.fish $(DESTDIR)$(FISHCOMPDIR)/hull.fish
	install -m 644 $(DOC_FILES) $(DESTDIR)$(DOCDIR)/
	install -m 644 $(DOCS_FILES) $(DESTDIR)$(DOCDIR)/docs/
endef

install: man completions
	$(install_files)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hull $(DESTDIR)$(MAN8DIR)/hull.8 $(DESTDIR)$(MAN8DIR)/hull-*.8
	rm -f $(DESTDIR)$(BASHCOMPDIR)/hull $(DESTDIR)$(ZSHCOMPDIR)/_hull $(DESTDIR)$(FISHCOMPDIR)/hull.fish
	rm -rf $(DESTDIR)$(DOCDIR)

deb-deps:
	$(call apt_install_missing,$(DEB_TOOL_PACKAGES))

# hull_VERSION_ARCH.deb: the `make install` layout under /usr, plus what Debian policy asks for
# (stripped binary, compressed man pages, copyright, changelog): scripts/build-deb.sh.
# `make deb` also runs lintian, which fails on errors; the tests build it with `deb-package`.
deb: deb-deps deb-package
	lintian --fail-on error $(DEB_FILE)

deb-package: man completions
	rm -rf $(DEB_STAGE)
	$(MAKE) --no-print-directory install-files DESTDIR=$(DEB_STAGE) PREFIX=/usr
	DEB_MAINTAINER='$(DEB_MAINTAINER)' bash scripts/build-deb.sh $(DEB_STAGE) $(VERSION) $(DEB_ARCH) $(DEB_FILE)

deb-package-path:
	@echo $(DEB_FILE)

.PHONY: install-files
install-files:
	$(install_files)

install-test-deps:
	$(call apt_install_missing,$(INSTALL_TEST_PACKAGES))

# Installs into a temporary DESTDIR and checks the layout, the man pages and the completions.
test-install: install-test-deps man completions
	bash tests/install.sh

# `make test` also runs the install tests (about 20 s): appended here so the line above stays as is.
test: test-install

# ---- fuzzing and sanitizers (issue 10) ------------------------------------------------------
# `make fuzz`: libFuzzer on config.json (fuzz/ConfigFuzzer.swift -> BundleCheck.configProblems:
# decoding, validation, the Landlock and seccomp plans), HullCore and the shim instrumented with
# -sanitize=fuzzer,address, in its own build directory so the normal build stays as it is. The
# seed corpus is testdata/*.json; a crash, a trap, a leak or an input slower than FUZZ_TIMEOUT
# seconds fails the target and leaves the input in .build/fuzz/artifacts/.
FUZZ_SECONDS ?= 60
FUZZ_TIMEOUT ?= 10
FUZZ_BUILD := $(CURDIR)/.build/fuzz
FUZZ_FLAGS := -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address

.PHONY: fuzz fuzz-build
fuzz-build:
	$(SWIFT) build --scratch-path $(FUZZ_BUILD) --target HullCore $(FUZZ_FLAGS)
	swiftc -sanitize=fuzzer,address -parse-as-library -g -use-ld=lld \
		-I $(FUZZ_BUILD)/debug/Modules -Xcc -fmodule-map-file=$(CURDIR)/Sources/CHullShim/include/module.modulemap \
		fuzz/ConfigFuzzer.swift $(FUZZ_BUILD)/debug/HullCore.build/*.o $(FUZZ_BUILD)/debug/CHullShim.build/*.o \
		-lseccomp -lcap -o $(FUZZ_BUILD)/hull-config-fuzzer

fuzz: fuzz-build
	@rm -rf $(FUZZ_BUILD)/corpus && mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/artifacts
	cp testdata/*.json $(FUZZ_BUILD)/corpus/
	$(FUZZ_BUILD)/hull-config-fuzzer -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=4096 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/artifacts/ $(FUZZ_BUILD)/corpus

# `make test-sanitize`: the integration tests against hull built with AddressSanitizer (Swift and
# C) and UndefinedBehaviorSanitizer (C), a release build in its own scratch path so `make build`
# is untouched; any sanitizer report fails it (scripts/test-sanitize.sh). Part of `make test`.
SANITIZE_FLAGS := -c release --scratch-path $(CURDIR)/.build/sanitize --sanitize=address -Xswiftc -use-ld=lld $\
	-Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined
.PHONY: test-sanitize
test-sanitize: deps
	$(SWIFT) build $(SANITIZE_FLAGS) --product hull
	$(SWIFT) build --build-tests
	bash scripts/test-sanitize.sh $(CURDIR)/.build/sanitize/release/hull $(CURDIR)/.build/debug/hullPackageTests.xctest

test: test-sanitize

# ---- real engines run their containers with hull (issue 8) -----------------------------------
# podman (with conmon), buildah, containerd (ctr and the runc v2 shim), docker 20.10, and umoci to
# build the OCI image that ctr imports. Offline: the tests build busybox images from /bin/busybox.
ENGINE_PACKAGES := podman conmon buildah containerd docker.io umoci skopeo util-linux
.PHONY: deps-engines test-engines

deps-engines:
	$(call apt_install_missing,$(ENGINE_PACKAGES))

# End to end: each engine runs busybox containers with hull (tests/engines/, docs/engines.md).
# Daemons are started by the tests with their state in temporary directories, stopped by PID.
test-engines: deps-engines build
	HULL_BINARY=$(HULL) bash tests/engines/run.sh
# The engine tests take about 20 s here (podman, buildah, containerd, docker): part of `make test`.
test: test-engines

# ---- checkpoint and restore with CRIU (issue 13) ---------------------------------------------
# criu, and iptables for CRIU's network lock; the QEMU guest sees the host's packages.
# CRIU 3.17 works only in the cgroup v2 guest (Debian's 6.1 kernel): the checkpoint tests run
# there with the cgroup tests (no extra boot); on the host the same tests check hull's errors.
CHECKPOINT_PACKAGES := criu iptables
.PHONY: deps-checkpoint test-checkpoint
deps-checkpoint:
	$(call apt_install_missing,$(CHECKPOINT_PACKAGES))
deps: deps-checkpoint
CHECKPOINT_TESTS := HullIntegrationTests.CheckpointTests
CGROUPV2_TESTS := $(CGROUPV2_TESTS),$(CHECKPOINT_TESTS)
# Only the checkpoint tests, in the guest (about a minute).
test-checkpoint: build
	$(SWIFT) build --build-tests
	bash scripts/cgroupv2-vm.sh $(HULL) $(CURDIR)/.build/debug/hullPackageTests.xctest '$(CHECKPOINT_TESTS)'
