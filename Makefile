# imsmon: plain GNU make.  `make` builds, `make check` runs every test
# (once normally, once under ASan+UBSan, then the fuzz smoke and the lint),
# `make deps` installs what the build and the tests need.
#
# Layout (docs/hacking.md): src/<layer>/ is the core library, one folder a
# concern, lower layers never include higher ones (`make lint`); agent/ is
# imsmond, tools/imsdiag/ is imsdiag.  Nothing under src/ uses Net-SNMP.

CC	?= cc
# The user's CFLAGS (default: optimised, with debug info) come first; the
# flags the code needs (C17, the strict warnings, the include root) are
# always added after them, so `make CFLAGS=-O0` keeps them.
CFLAGS	?= -O2 -g
LDFLAGS	?=
WARN	 = -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wpointer-arith \
	   -Wcast-qual -Wsign-compare -Wstrict-prototypes \
	   -Wmissing-prototypes -Wmissing-declarations
REQ_CFLAGS = -std=c17 -D_DEFAULT_SOURCE $(WARN) -Isrc -MMD -MP
SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
override CFLAGS := $(CFLAGS) $(REQ_CFLAGS)

B	?= build
ifeq ($(ASAN),1)
B	 = build-asan
override CFLAGS += $(SAN)
override LDFLAGS += $(SAN)
endif

CORE_SRC = $(wildcard src/*/*.c)
CORE_OBJ = $(patsubst %.c,$(B)/%.o,$(CORE_SRC))
# imsdiag; the article importer is its own unit that only imsdiag links.
DIAG_SRC = $(wildcard tools/imsdiag/*.c)
DIAG_OBJ = $(patsubst %.c,$(B)/%.o,$(DIAG_SRC))
IMPORT_OBJ = $(patsubst %.c,$(B)/%.o,$(wildcard tools/imsdiag/kbimport*.c))
TEST_SRC = $(wildcard tests/t_*.c)
TEST_BIN = $(patsubst tests/%.c,$(B)/tests/%,$(TEST_SRC))

# Installation paths (GNU names; PREFIX, SYSCONFDIR and LOCALSTATEDIR are
# accepted too).  With prefix /usr, the configuration goes to /etc and the
# state to /var, as a distribution package wants.  The programs' default
# paths are compiled in from these, so the installed imsmond and imsdiag
# find their knowledge base and configuration without options.
PREFIX	?= /usr/local
prefix	?= $(PREFIX)
bindir	?= $(prefix)/bin
sbindir	?= $(prefix)/sbin
datadir	?= $(prefix)/share
mandir	?= $(datadir)/man
docdir	?= $(datadir)/doc/imsmon
SYSCONFDIR ?= $(if $(filter /usr,$(prefix)),/etc,$(prefix)/etc)
LOCALSTATEDIR ?= $(if $(filter /usr,$(prefix)),/var,$(prefix)/var)
sysconfdir ?= $(SYSCONFDIR)
localstatedir ?= $(LOCALSTATEDIR)
PATH_DEFS = -DIMSMON_KBDIR='"$(datadir)/imsmon/kb"' \
	    -DIMSMON_KBSITEDIR='"$(sysconfdir)/imsmon/kb.d"' \
	    -DIMSMON_CONFFILE='"$(sysconfdir)/imsmon/imsmond.conf"' \
	    -DIMSMON_STATEDIR='"$(localstatedir)/lib/imsmon"'
# CPPFLAGS from the environment (dpkg-buildflags: _FORTIFY_SOURCE).
override CFLAGS += $(CPPFLAGS) $(PATH_DEFS)
# The state layer (src/state/) keeps the store in SQLite (docs/state.md).
CORE_LIBS = -lsqlite3
DEB_PKGS = build-essential clang libsnmp-dev libsqlite3-dev sqlite3 \
	   snmp snmpd snmptrapd smitools \
	   rsyslog bsdutils sec mawk monitoring-plugins-standard nodejs npm \
	   iproute2 time libclang-rt-14-dev tzdata \
	   debhelper dpkg-dev lintian mandoc git curl perl snmptt \
	   libnet-ip-perl prometheus-snmp-exporter icinga2-bin icinga2-common

.PHONY: all check test check-asan deps demo bench clean lint kbeval
all: $(B)/imsdiag $(B)/imsmond

# Every object of ours: dependencies on headers come from -MMD -MP.
$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libcore.a: $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/imsdiag: $(DIAG_OBJ) $(B)/libcore.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CORE_LIBS)

$(B)/tests/%: tests/%.c $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(B)/libcore.a $(LDFLAGS) $(CORE_LIBS)

# The importer's tests link the importer.
$(B)/tests/t_kbimport: tests/t_kbimport.c $(IMPORT_OBJ) $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -Itools/imsdiag -o $@ $< $(IMPORT_OBJ) \
	    $(B)/libcore.a $(LDFLAGS) $(CORE_LIBS)

test: $(B)/imsdiag $(B)/imsmond $(TEST_BIN) ietf-mibs
	@B=$(B) sh tests/run.sh

check-asan:
	$(MAKE) ASAN=1 test

check:
	$(MAKE) lint
	$(MAKE) test
	$(MAKE) check-asan
	$(MAKE) fuzz-smoke
	@sh tests/summary.sh

# The layering check (no include upward, no include or call cycle) and the
# unsafe-call scan.
lint: all
	@B=$(B) sh tests/layering.sh
	@sh tests/unsafe.sh

deps:
	@sh packaging/deps.sh $(DEB_PKGS)
	@sh mib/fetch-ietf.sh build/ietf-mibs

# The quick start on a fresh machine: dependencies first, then the build.
demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory demo-run

bench: $(B)/imsdiag $(B)/imsmond
	sh bench/run.sh
	B=$(B) sh bench/state.sh
	B=$(B) sh bench/stated.sh
	B=$(B) sh bench/traplat.sh

# Leave-one-out over Microsoft's articles (docs/kb-eval.md); skips when
# the article archive (KBEVAL_SHARED, default ../shared) is absent.
kbeval: $(B)/imsdiag
	@B=$(B) sh tests/kbeval.sh


include packaging/packaging.mk

clean:
	rm -rf build build-asan

include agent/agent.mk
include tests/fuzz/fuzz.mk

-include $(CORE_OBJ:.o=.d) $(DIAG_OBJ:.o=.d) $(AGENT_OBJ:.o=.d) \
	 $(TEST_BIN:=.d)
