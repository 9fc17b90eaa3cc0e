# Installation, the Debian package and the packaging checks.  Included by
# the top-level Makefile, which sets the path variables (prefix, bindir,
# sbindir, datadir, mandir, docdir, sysconfdir, localstatedir) and B.

# The compiled-in paths are remembered, so changing PREFIX & co. rebuilds
# the objects that use them (make; make install PREFIX=/usr is right).
PKG_PATHS := $(strip $(sbindir) $(datadir) $(sysconfdir) $(localstatedir))
ifneq ($(PKG_PATHS),$(shell cat $(B)/pkg/paths 2>/dev/null))
$(shell mkdir -p $(B)/pkg)
$(file >$(B)/pkg/paths,$(PKG_PATHS))
endif
$(B)/agent/main.o $(B)/agent/ingest.o $(B)/tools/imsdiag/imsdiag.o: $(B)/pkg/paths

systemdunitdir ?= $(prefix)/lib/systemd/system
plugindir ?= $(prefix)/lib/nagios/plugins
INSTALL	?= install

# Files generated from templates, with the configured paths.
PKG_SUBST = sed -e 's|@sbindir@|$(sbindir)|g' -e 's|@bindir@|$(bindir)|g' \
	    -e 's|@datadir@|$(datadir)|g' -e 's|@sysconfdir@|$(sysconfdir)|g' \
	    -e 's|@localstatedir@|$(localstatedir)|g' \
	    -e 's|@plugindir@|$(plugindir)|g'

$(B)/pkg/imsmond.service: packaging/imsmond.service.in
	@mkdir -p $(dir $@)
	$(PKG_SUBST) packaging/imsmond.service.in >$@

$(B)/pkg/imsmond.conf: packaging/imsmond.conf
	@mkdir -p $(dir $@)
	$(PKG_SUBST) packaging/imsmond.conf >$@

PKG_GEN = $(B)/pkg/imsmond.service $(B)/pkg/imsmond.conf
MAN_PAGES = docs/imsdiag.1 docs/imsmond.8 docs/imsmond.conf.5 \
	    docs/check_imsmon.1
# The documents the manual pages and deploy.md send the reader to.
DOCS	= README.md docs/deploy.md docs/mib.md docs/kb-format.md \
	  docs/kb-import.md docs/kb-family.md docs/diagnosis.md \
	  docs/forwarders.md docs/imsdiag-json.md docs/benchmarks.md \
	  $(wildcard docs/state.md)

.PHONY: install uninstall deb deb-lint
# The configuration files are installed only where none exists yet, so a
# reinstall keeps the admin's edits (a package manager handles its own).
install: $(B)/imsdiag $(B)/imsmond $(PKG_GEN)
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(sbindir) \
	    $(DESTDIR)$(datadir)/imsmon/kb $(DESTDIR)$(datadir)/snmp/mibs \
	    $(DESTDIR)$(datadir)/imsmon/snmptt \
	    $(DESTDIR)$(datadir)/imsmon/prometheus \
	    $(DESTDIR)$(datadir)/icinga2/include/plugins-contrib.d \
	    $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man5 \
	    $(DESTDIR)$(mandir)/man8 $(DESTDIR)$(docdir)/examples \
	    $(DESTDIR)$(sysconfdir)/imsmon/kb.d \
	    $(DESTDIR)$(sysconfdir)/snmp/snmpd.conf.d \
	    $(DESTDIR)$(systemdunitdir) $(DESTDIR)$(plugindir)
	$(INSTALL) -m 755 $(B)/imsdiag $(DESTDIR)$(bindir)/
	$(INSTALL) -m 755 $(B)/imsmond $(DESTDIR)$(sbindir)/
	$(INSTALL) -m 755 packaging/check_imsmon $(DESTDIR)$(plugindir)/
	$(INSTALL) -m 644 kb/*.kb $(DESTDIR)$(datadir)/imsmon/kb/
	$(INSTALL) -m 644 mib/IMSMON-MIB.txt $(DESTDIR)$(datadir)/snmp/mibs/
	$(INSTALL) -m 644 packaging/snmptt/imsmon.conf \
	    $(DESTDIR)$(datadir)/imsmon/snmptt/
	$(INSTALL) -m 644 packaging/prometheus/generator.yml \
	    packaging/prometheus/snmp.yml $(DESTDIR)$(datadir)/imsmon/prometheus/
	$(INSTALL) -m 644 packaging/icinga2/imsmon-commands.conf \
	    $(DESTDIR)$(datadir)/icinga2/include/plugins-contrib.d/imsmon.conf
	$(INSTALL) -m 644 docs/imsdiag.1 docs/check_imsmon.1 \
	    $(DESTDIR)$(mandir)/man1/
	$(INSTALL) -m 644 docs/imsmond.conf.5 $(DESTDIR)$(mandir)/man5/
	$(INSTALL) -m 644 docs/imsmond.8 $(DESTDIR)$(mandir)/man8/
	$(INSTALL) -m 644 $(DOCS) $(DESTDIR)$(docdir)/
	$(INSTALL) -m 644 packaging/rsyslog-imsmon.conf \
	    packaging/rsyslog-shard.conf $(DESTDIR)$(docdir)/examples/
	$(INSTALL) -m 644 $(B)/pkg/imsmond.service $(DESTDIR)$(systemdunitdir)/
	[ -e $(DESTDIR)$(sysconfdir)/imsmon/imsmond.conf ] || \
	    $(INSTALL) -m 644 $(B)/pkg/imsmond.conf \
	    $(DESTDIR)$(sysconfdir)/imsmon/imsmond.conf
	[ -e $(DESTDIR)$(sysconfdir)/snmp/snmpd.conf.d/imsmon.conf ] || \
	    $(INSTALL) -m 644 packaging/snmpd.conf.d/imsmon.conf \
	    $(DESTDIR)$(sysconfdir)/snmp/snmpd.conf.d/imsmon.conf

# Removes what install put there; configuration the admin may have edited
# (imsmond.conf, kb.d entries, the snmpd snippet) stays unless unchanged.
uninstall:
	rm -f $(DESTDIR)$(bindir)/imsdiag $(DESTDIR)$(sbindir)/imsmond \
	    $(DESTDIR)$(plugindir)/check_imsmon \
	    $(DESTDIR)$(datadir)/snmp/mibs/IMSMON-MIB.txt \
	    $(DESTDIR)$(datadir)/icinga2/include/plugins-contrib.d/imsmon.conf \
	    $(DESTDIR)$(mandir)/man1/imsdiag.1 \
	    $(DESTDIR)$(mandir)/man1/check_imsmon.1 \
	    $(DESTDIR)$(mandir)/man5/imsmond.conf.5 \
	    $(DESTDIR)$(mandir)/man8/imsmond.8 \
	    $(DESTDIR)$(systemdunitdir)/imsmond.service
	rm -rf $(DESTDIR)$(datadir)/imsmon $(DESTDIR)$(docdir)
	-cmp -s $(B)/pkg/imsmond.conf \
	    $(DESTDIR)$(sysconfdir)/imsmon/imsmond.conf && \
	    rm -f $(DESTDIR)$(sysconfdir)/imsmon/imsmond.conf
	-cmp -s packaging/snmpd.conf.d/imsmon.conf \
	    $(DESTDIR)$(sysconfdir)/snmp/snmpd.conf.d/imsmon.conf && \
	    rm -f $(DESTDIR)$(sysconfdir)/snmp/snmpd.conf.d/imsmon.conf
	-rmdir $(DESTDIR)$(sysconfdir)/imsmon/kb.d \
	    $(DESTDIR)$(sysconfdir)/imsmon 2>/dev/null

# The Debian package, into build/deb/ (dpkg-buildpackage writes to the
# parent directory, so it runs on a copy of the tree).
deb:
	rm -rf build/deb && mkdir -p build/deb/src
	git ls-files -z | xargs -0 cp --parents -t build/deb/src
	cd build/deb/src && dpkg-buildpackage -us -uc -b
	rm -rf build/deb/src
	ls build/deb/*.deb

deb-lint: deb
	lintian -I -E --pedantic --fail-on error,warning build/deb/*.changes
