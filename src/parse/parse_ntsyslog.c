/*
 * parse_ntsyslog: NTsyslog records (docs/forwarders.md).
 *
 *	1.15	<PRI>Mmm dd hh:mm:ss HOST NT: <SOURCE;Tnnnn;DOM\user> TEXT
 *	classic	<PRI>Mmm dd hh:mm:ss HOST logname[type] TEXT
 *
 * In 1.15, T is E, W, I, S or F (error, warning, information, success
 * and failure audit) and the user part is empty when the record has no
 * SID.  NTsyslog has already dropped the TABs and control bytes of TEXT
 * and left "%%2140" unexpanded.  The classic form (SaberNet 1.0x-1.13,
 * known from one example only) names the log and the type but neither
 * the source nor the event ID: diagnosis must then go by the text.
 */
#include "parse/parse.h"

#include <string.h>

#include "util/evt.h"
#include "util/span.h"

#define NT_TAG		"NT: <"
#define NT_SRCMAX	255	/* an event source is a registry key name */
#define NT_USERMAX	(15 + 1 + 64)	/* NetBIOS domain, '\', name */
#define NT_IDDIGITS	10	/* a DWORD; we keep its low 16 bits */
#define NT_LOGMAX	64	/* "Directory Service" and the like */

static const struct {
	const char	*name;
	enum evt_type	 type;
} classic_types[] = {
	{ "error",	EVT_TYPE_ERROR },
	{ "warning",	EVT_TYPE_WARNING },
	{ "info",	EVT_TYPE_INFORMATION },
	{ "information", EVT_TYPE_INFORMATION },
	{ "success",	EVT_TYPE_AUDIT_SUCCESS },
	{ "failure",	EVT_TYPE_AUDIT_FAILURE },
};

static enum evt_type nt_letter(uint8_t);
static int	nt_field(struct span *, uint8_t, size_t, struct span *);

static enum evt_type
nt_letter(uint8_t c)
{
	switch (c) {
	case 'E':
		return EVT_TYPE_ERROR;
	case 'W':
		return EVT_TYPE_WARNING;
	case 'I':
		return EVT_TYPE_INFORMATION;
	case 'S':
		return EVT_TYPE_AUDIT_SUCCESS;
	case 'F':
		return EVT_TYPE_AUDIT_FAILURE;
	default:
		return EVT_TYPE_UNKNOWN;
	}
}

/* Up to delim (eaten), at most max bytes, no control byte, no '>'. */
static int
nt_field(struct span *s, uint8_t delim, size_t max, struct span *out)
{
	size_t i;

	for (i = 0; i < s->n && i <= max && s->p[i] != delim; i++)
		if (s->p[i] < ' ' || (s->p[i] == '>' && delim != '>'))
			return -1;
	if (i >= s->n || i > max)
		return -1;
	*out = span_make(s->p, i);
	s->p += i + 1;
	s->n -= i + 1;
	return 0;
}

/*
 * "NT: <" makes the record NTsyslog's; from there a part that is missing
 * or out of shape makes it a bad one (a 1023-byte cut can do that).
 */
enum parse_rc
parse_ntsyslog(const struct parse_in *in, struct evt *ev,
    enum parse_why *why)
{
	struct span b = in->body, src, user;
	enum evt_type type;
	uint32_t id;

	if (span_expect(&b, NT_TAG) == -1)
		return PARSE_NOMATCH;
	if (nt_field(&b, ';', NT_SRCMAX, &src) == -1 || src.n == 0 ||
	    b.n == 0 || (type = nt_letter(b.p[0])) == EVT_TYPE_UNKNOWN) {
		*why = PARSE_WHY_BADFIELDS;
		return PARSE_BAD;
	}
	b.p++;
	b.n--;
	if (span_u32(&b, NT_IDDIGITS, UINT32_MAX, &id) == -1 || b.n == 0 ||
	    b.p[0] != ';') {
		*why = PARSE_WHY_BADID;
		return PARSE_BAD;
	}
	b.p++;
	b.n--;
	if (nt_field(&b, '>', NT_USERMAX, &user) == -1) {
		*why = PARSE_WHY_BADFIELDS;
		return PARSE_BAD;
	}
	if (b.n > 0 && b.p[0] == ' ') {
		b.p++;
		b.n--;
	}
	ev->source = src;
	ev->event_id = (int32_t)(id & 0xffff);
	ev->type = type;
	ev->user = user;
	ev->text = b;
	return PARSE_OK;
}

/*
 * "logname[type] ": a log name of letters, digits and blanks, one of the
 * five type words, then a blank or the end.  The shape is weak, so it is
 * all or nothing: anything else is somebody else's line.
 */
enum parse_rc
parse_ntsyslog_classic(const struct parse_in *in, struct evt *ev,
    enum parse_why *why)
{
	struct span b = in->body, log, word;
	size_t i, k;
	uint8_t c;

	(void)why;
	for (i = 0; i < b.n && i <= NT_LOGMAX && b.p[i] != '['; i++) {
		c = b.p[i] | 0x20;
		if (!((c >= 'a' && c <= 'z') || (b.p[i] >= '0' &&
		    b.p[i] <= '9') || (i > 0 && b.p[i] == ' ')))
			return PARSE_NOMATCH;
	}
	if (i == 0 || i >= b.n || i > NT_LOGMAX || b.p[i - 1] == ' ')
		return PARSE_NOMATCH;
	log = span_make(b.p, i);
	b.p += i + 1;
	b.n -= i + 1;
	if (span_take_until(&b, ']', &word) == -1 ||
	    (b.n > 0 && b.p[0] != ' '))
		return PARSE_NOMATCH;
	for (k = 0; k < sizeof(classic_types) / sizeof(classic_types[0]); k++)
		if (span_eq_nocase(word, classic_types[k].name))
			break;
	if (k == sizeof(classic_types) / sizeof(classic_types[0]))
		return PARSE_NOMATCH;
	if (b.n > 0) {
		b.p++;
		b.n--;
	}
	ev->log = log;
	ev->type = classic_types[k].type;
	ev->text = b;
	return PARSE_OK;
}
