# imsmon: plain GNU make.  `make` builds, `make check` runs every test
# (once normally, once under ASan+UBSan), `make deps` installs what the
# build and the tests need.

CC	?= cc
OPT	?= -O2 -g
WARN	 = -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wpointer-arith \
	   -Wcast-qual -Wsign-compare -Wstrict-prototypes \
	   -Wmissing-prototypes -Wmissing-declarations
CFLAGS	?=
CFLAGS	+= -std=c17 -D_DEFAULT_SOURCE $(OPT) $(WARN) -Isrc
LDFLAGS	?=
SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all

B	?= build
ifeq ($(ASAN),1)
B	 = build-asan
CFLAGS	+= $(SAN)
LDFLAGS	+= $(SAN)
endif

CORE_SRC = $(filter-out src/imsdiag.c,$(wildcard src/*.c))
CORE_OBJ = $(patsubst src/%.c,$(B)/src/%.o,$(CORE_SRC))
TEST_SRC = $(wildcard tests/t_*.c)
TEST_BIN = $(patsubst tests/%.c,$(B)/tests/%,$(TEST_SRC))

PREFIX	?= /usr/local
DEB_PKGS = build-essential clang libsnmp-dev snmp snmpd snmptrapd smitools \
	   rsyslog bsdutils sec mawk monitoring-plugins-standard nodejs npm \
	   iproute2 time libclang-rt-14-dev

.PHONY: all check test check-asan deps demo bench clean fmt-check install
all: $(B)/imsdiag $(B)/imsmond

$(B)/src/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/libcore.a: $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/imsdiag: $(B)/src/imsdiag.o $(B)/libcore.a
	$(CC) $(LDFLAGS) -o $@ $^

$(B)/tests/%: tests/%.c tests/test.h $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(B)/libcore.a $(LDFLAGS)

test: $(B)/imsdiag $(B)/imsmond $(TEST_BIN) ietf-mibs
	@B=$(B) sh tests/run.sh

check-asan:
	$(MAKE) ASAN=1 test

check:
	$(MAKE) test
	$(MAKE) check-asan
	$(MAKE) fuzz-smoke
	@sh tests/unsafe.sh
	@sh tests/summary.sh

deps:
	@sh packaging/deps.sh $(DEB_PKGS)
	@sh mib/fetch-ietf.sh build/ietf-mibs

# The quick start on a fresh machine: dependencies first, then the build.
demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory demo-run

bench: $(B)/imsdiag $(B)/imsmond
	sh bench/run.sh

install: $(B)/imsdiag $(B)/imsmond
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin \
	    $(DESTDIR)$(PREFIX)/share/imsmon/kb \
	    $(DESTDIR)$(PREFIX)/share/snmp/mibs \
	    $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/imsdiag $(DESTDIR)$(PREFIX)/bin/
	install -m 755 $(B)/imsmond $(DESTDIR)$(PREFIX)/sbin/
	install -m 644 kb/*.kb $(DESTDIR)$(PREFIX)/share/imsmon/kb/
	install -m 644 mib/IMSMON-MIB.txt $(DESTDIR)$(PREFIX)/share/snmp/mibs/
	install -m 644 docs/imsdiag.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build build-asan

include agent/agent.mk
include tests/fuzz/fuzz.mk
