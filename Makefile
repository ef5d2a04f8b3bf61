# qaic-scope: one entry point. `make help` lists the targets.
# V=1 shows every command.

TOP := $(CURDIR)
export TOP

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif
export Q V

BUILD := $(TOP)/build
export BUILD

# Target kernels: every installed 6.12/6.1 with headers, or just KDIR's.
ifdef KDIR
KVERS := $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
else
KVERS := $(shell scripts/kernels.sh 2>/dev/null)
endif

PREFIX ?= /usr/local
DESTDIR ?=
export PREFIX DESTDIR

.PHONY: all deps modules userspace lib tools profiler bpf test unit vmtest demo bench lint \
	install clean help

all: modules userspace bpf

deps:
	$(Q)scripts/deps.sh

# Out-of-tree modules for each target kernel, in build/kmod/<release>/.
modules:
	$(Q)[ -n "$(KVERS)" ] || { echo "no target kernel headers found: run scripts/deps.sh or pass KDIR=" >&2; exit 1; }
	$(Q)for k in $(KVERS); do \
		scripts/kmod.sh "$$k" "$(if $(KDIR),$(KDIR),/lib/modules/$$k/build)" || exit 1; \
	done

userspace: lib tools profiler

lib:
	$(Q)$(MAKE) -C lib

tools: lib
	$(Q)$(MAKE) -C tools

# The profiler's BPF object and skeleton, in build/bpf/.
bpf:
	$(Q)$(MAKE) -C bpf

profiler:
	$(Q)$(MAKE) -C profiler

# Each of test and demo first installs what a fresh machine lacks.
test:
	$(Q)scripts/deps.sh
	$(Q)$(MAKE) all
	$(Q)scripts/run-tests.sh

# One suite alone: make check SUITE=unit (see scripts/run-tests.sh --list).
check: all
	$(Q)scripts/run-tests.sh $(SUITE)

demo:
	$(Q)scripts/deps.sh
	$(Q)$(MAKE) all
	$(Q)scripts/demo.sh

# Ratios measured side by side in one VM run (bench/*.sh).
bench:
	$(Q)scripts/deps.sh
	$(Q)$(MAKE) all
	$(Q)scripts/bench.sh

lint:
	$(Q)scripts/lint.sh

install: all
	$(Q)$(MAKE) -C lib install
	$(Q)$(MAKE) -C tools install
	$(Q)$(MAKE) -C profiler install
	$(Q)for k in $(KVERS); do \
		d="$(DESTDIR)/lib/modules/$$k/updates/qaic"; \
		install -d "$$d" && install -m 0644 $(BUILD)/kmod/$$k/driver/qaic.ko \
			$(BUILD)/kmod/$$k/sim/qaic_sim.ko "$$d"/ || exit 1; \
	done

clean:
	$(Q)rm -rf $(BUILD)
	$(Q)$(MAKE) -C lib clean
	$(Q)$(MAKE) -C tools clean
	$(Q)$(MAKE) -C profiler clean

help:
	@echo "make            build modules (every target kernel), libqaic and tools"
	@echo "make test       install missing deps, build, run every suite"
	@echo "make check SUITE=<name>   run one suite (scripts/run-tests.sh --list)"
	@echo "make demo       boot the VM with the simulated card and show it working"
	@echo "make bench      ratios measured in the VM (link bandwidth; tracing overhead of qaic-prof, bpftrace, perf, ftrace)"
	@echo "make lint       checkpatch.pl and sparse on kernel code (make modules C=1: sparse only)"
	@echo "make install    install library, tools and modules (DESTDIR, PREFIX)"
	@echo "make clean      remove build output"
	@echo "V=1             show every command; KDIR=<dir> build modules for one kernel"
