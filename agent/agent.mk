# imsmond (the AgentX subagent / master agent), the MIB check and the demo.
# Included by the top-level Makefile, which provides B, CC, CFLAGS, LDFLAGS
# and $(B)/libcore.a.  Net-SNMP headers are used under agent/ only.

AGENT_SRC  = $(wildcard agent/*.c)
AGENT_OBJ  = $(patsubst %.c,$(B)/%.o,$(AGENT_SRC))
# libnetsnmpmibs: VACM, USM and the system group for master mode (-M).
AGENT_LIBS = -lnetsnmpmibs -lnetsnmpagent -lnetsnmp -lpthread
IETF_MIBS ?= build/ietf-mibs

$(B)/imsmond: $(AGENT_OBJ) $(B)/libcore.a
	$(CC) $(LDFLAGS) -o $@ $(AGENT_OBJ) $(B)/libcore.a $(AGENT_LIBS) \
	    $(CORE_LIBS)

.PHONY: imsmond ietf-mibs mib-check demo-run
imsmond: $(B)/imsmond

# The IETF base MIBs (SNMPv2-SMI/TC/CONF/MIB) from the npm package
# net-snmp, into a cache that is never committed.
ietf-mibs:
	@sh mib/fetch-ietf.sh $(IETF_MIBS)

mib-check: ietf-mibs
	@IETF_MIBS=$(IETF_MIBS) sh tests/mib.test.sh

demo-run: $(B)/imsmond ietf-mibs
	@B=$(B) IETF_MIBS=$(IETF_MIBS) sh packaging/demo.sh

# Unit tests of the agent's logic that needs no Net-SNMP link the agent
# objects they test (those objects include no Net-SNMP header).
$(B)/tests/t_ntfq: tests/t_ntfq.c $(B)/agent/ntfq.o
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(B)/agent/ntfq.o $(LDFLAGS)
$(B)/tests/t_conf: tests/t_conf.c $(B)/agent/conf_parse.o $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(B)/agent/conf_parse.o \
	    $(B)/libcore.a $(LDFLAGS) $(CORE_LIBS)
$(B)/tests/t_mib_rules: tests/t_mib_rules.c $(B)/agent/mib_rules.o \
    $(B)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(B)/agent/mib_rules.o \
	    $(B)/libcore.a $(LDFLAGS) $(CORE_LIBS) -lm
