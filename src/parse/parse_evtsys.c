/*
 * parse_evtsys: Eventlog-to-Syslog ("evtsys") records, docs/forwarders.md
 *
 *	4.2-4.5	<PRI>Mmm dd hh:mm:ss HOST SOURCE: ID: [DOMAIN\user: ]TEXT
 *	4.0-4.1	<PRI>Mmm dd hh:mm:ss SOURCE: ID: TEXT		(no host)
 *	3.x	<PRI>SOURCE: ID: TEXT				(no stamp)
 *
 * The header reader knows that a token ending in ':' is no host, so all
 * three arrive here as "SOURCE: ID: ...".  With IncludeTag set, a
 * "TAG: " comes first.  TEXT has its CR/LF/TAB already folded by evtsys
 * and ends in a blank; an audit record has "AUDIT_SUCCESS " or
 * "AUDIT_FAILURE " appended after it.  The event type is not sent: it is
 * read back from the PRI severity evtsys chose for it.
 */
#include "parse/parse.h"

#include <string.h>

#include "util/evt.h"
#include "util/span.h"

#define EVTSYS_SRCMAX	255	/* an event source is a registry key name */
#define EVTSYS_IDDIGITS	5	/* EventID & 0xFFFF */
#define EVTSYS_DOMMAX	15	/* NetBIOS domain name */
#define EVTSYS_USERMAX	64
#define AUDIT_OK	"AUDIT_SUCCESS"
#define AUDIT_FAIL	"AUDIT_FAILURE"

static int	evtsys_source(struct span *, struct span *);
static int	evtsys_id(struct span *, uint32_t *);
static int	evtsys_domain(struct span);
static struct span evtsys_user(struct span *);
static enum evt_type evtsys_type(int);
static void	evtsys_audit(struct span *, enum evt_type *);
static enum parse_rc evtsys_read(struct span, struct evt *,
		    enum parse_why *);

/*
 * "SOURCE: ": 1..255 bytes, no blank, no colon (evtsys 4.2+ turns the
 * blanks of a source name into '_').
 */
static int
evtsys_source(struct span *b, struct span *src)
{
	size_t i, lim = b->n < EVTSYS_SRCMAX + 1 ? b->n : EVTSYS_SRCMAX + 1;

	for (i = 0; i < lim && b->p[i] != ':'; i++)
		if (b->p[i] <= ' ')
			return -1;
	if (i == 0 || i >= lim || i + 1 >= b->n || b->p[i + 1] != ' ')
		return -1;
	*src = span_make(b->p, i);
	b->p += i + 2;
	b->n -= i + 2;
	return 0;
}

/*
 * "ID: " (or "ID:" ending the record).  Returns 0, or 1 if this is not
 * evtsys.  A token that starts with a digit and runs unbroken to ": "
 * after "SOURCE: " is evtsys's shape and nobody else's, so if it is not
 * 1..5 digits up to 65535 ("99999999999", "4143%n") the record is evtsys
 * with a broken ID (-1, BADID) rather than someone else's line.
 */
static int
evtsys_id(struct span *b, uint32_t *id)
{
	struct span t = *b;
	size_t k;

	for (k = 0; k < t.n && t.p[k] != ':'; k++)
		if (t.p[k] <= ' ')
			return 1;
	if (k == 0 || k == t.n || t.p[0] < '0' || t.p[0] > '9' ||
	    (k + 1 < t.n && t.p[k + 1] != ' '))
		return 1;
	if (span_u32(&t, EVTSYS_IDDIGITS, UINT16_MAX, id) == -1 ||
	    t.p[0] != ':')
		return -1;
	k = t.n > 1 ? 2 : 1;
	b->p = t.p + k;
	b->n = t.n - k;
	return 0;
}

/*
 * A NetBIOS domain: 1..15 bytes, and no blank, except in the upper-case
 * built-in ones ("NT AUTHORITY"), so that "Cannot map CORP\x: " stays
 * text.
 */
static int
evtsys_domain(struct span d)
{
	size_t i;
	int blank = 0, upper = 1;

	if (d.n == 0 || d.n > EVTSYS_DOMMAX)
		return 0;
	for (i = 0; i < d.n; i++) {
		if (d.p[i] == ' ')
			blank = 1;
		else if (d.p[i] < 'A' || d.p[i] > 'Z')
			upper = 0;
	}
	return !blank || upper;
}

/*
 * "DOMAIN\user: " before the text.  The text may itself begin "word: ",
 * so only a candidate with exactly one backslash, no other colon, a
 * plausible domain and a short name is taken for a user.  SIDs that
 * did not resolve ("S-1-5-...") stay in the text.
 */
static struct span
evtsys_user(struct span *b)
{
	size_t lim = EVTSYS_DOMMAX + EVTSYS_USERMAX + 2, i, bs;
	const uint8_t *colon, *q;
	struct span u;

	if (lim > b->n)
		lim = b->n;
	if ((colon = memchr(b->p, ':', lim)) == NULL ||
	    (q = memchr(b->p, '\\', (size_t)(colon - b->p))) == NULL ||
	    memchr(q + 1, '\\', (size_t)(colon - q - 1)) != NULL)
		return SPAN_NULL;
	i = (size_t)(colon - b->p);
	bs = (size_t)(q - b->p);
	if (!evtsys_domain(span_make(b->p, bs)) || i - bs - 1 == 0 ||
	    i - bs - 1 > EVTSYS_USERMAX || (i + 1 < b->n && b->p[i + 1] != ' '))
		return SPAN_NULL;
	u = span_make(b->p, i);
	i += i + 1 < b->n ? 2 : 1;
	b->p += i;
	b->n -= i;
	return u;
}

/* PRI severity: err(3) error, warning(4), notice(5) information; 0-2 are worse. */
static enum evt_type
evtsys_type(int pri)
{
	if (pri < 0)
		return EVT_TYPE_UNKNOWN;
	switch (pri & 7) {
	case 0: case 1: case 2: case 3:
		return EVT_TYPE_ERROR;
	case 4:
		return EVT_TYPE_WARNING;
	case 5: case 6:
		return EVT_TYPE_INFORMATION;
	default:
		return EVT_TYPE_UNKNOWN;
	}
}

/* Strip a trailing audit marker; it decides the type over the PRI. */
static void
evtsys_audit(struct span *b, enum evt_type *type)
{
	struct span t = *b;
	size_t n = sizeof(AUDIT_OK) - 1;	/* both markers are 13 bytes */

	while (t.n > 0 && t.p[t.n - 1] == ' ')
		t.n--;
	if (t.n < n || (t.n > n && t.p[t.n - n - 1] != ' '))
		return;
	if (memcmp(t.p + t.n - n, AUDIT_OK, n) == 0)
		*type = EVT_TYPE_AUDIT_SUCCESS;
	else if (memcmp(t.p + t.n - n, AUDIT_FAIL, n) == 0)
		*type = EVT_TYPE_AUDIT_FAILURE;
	else
		return;
	b->n = t.n - n;
}

static enum parse_rc
evtsys_read(struct span b, struct evt *ev, enum parse_why *why)
{
	struct span src;
	uint32_t id;
	int rc;

	if (evtsys_source(&b, &src) == -1 || (rc = evtsys_id(&b, &id)) > 0)
		return PARSE_NOMATCH;
	if (rc < 0) {
		*why = PARSE_WHY_BADID;
		return PARSE_BAD;
	}
	ev->source = src;
	ev->event_id = (int32_t)id;
	ev->user = evtsys_user(&b);
	ev->type = evtsys_type(ev->pri);
	evtsys_audit(&b, &ev->type);
	ev->text = b;
	ev->computer = ev->hdr_host;
	ev->time = ev->hdr_time;
	ev->time_off = ev->hdr_off;
	return PARSE_OK;
}

enum parse_rc
parse_evtsys(const struct parse_in *in, struct evt *ev, enum parse_why *why)
{
	struct span b = in->body, tag;
	enum parse_rc rc;

	rc = evtsys_read(b, ev, why);
	/* IncludeTag: "TAG: SOURCE: ID: ". */
	if (rc == PARSE_NOMATCH && evtsys_source(&b, &tag) == 0)
		rc = evtsys_read(b, ev, why);
	return rc;
}
