/*
 * parse_nxlog: NXLog Community Edition's im_mseventlog records
 * (docs/forwarders.md) in four of its output shapes:
 *
 *	to_syslog_ietf()  <PRI>1 STAMP HOST SOURCE - - [NXLOG@14506
 *			  EventID="4143" EventType="ERROR" ...] MSG
 *	to_json()         {"EventTime":"2000-03-14 10:15:02",...}, bare,
 *			  or as the MSG after a syslog header and TAG
 *	raw_event         2000-03-14 10:15:02 HOST ERROR 4143 [DOM\user ]TEXT
 *	to_syslog_bsd()   <PRI>Mmm dd hh:mm:ss HOST SOURCE: MSG (no ID)
 *
 * to_syslog_snare() writes Snare's layout, which parse_snare.c reads.
 * JSON strings and SD PARAM-VALUEs arrive escaped; a field that holds an
 * escape is decoded into the parse scratch area (parse.h), the others
 * stay spans into the record.
 */
#include "parse/parse.h"

#include <string.h>

#include "util/evt.h"
#include "util/json.h"
#include "util/span.h"

#define NX_SDID		"NXLOG@14506"
#define NX_HOSTMAX	255	/* as RFC 5424 HOSTNAME */
#define NX_IDDIGITS	10	/* a DWORD; printed & 0xFFFF, kept so */
#define NX_DOMMAX	15	/* NetBIOS domain name */
#define NX_USERMAX	64
#define NX_FAC_USER	1	/* NXLog's default SyslogFacility */
/* Bytes Windows allows in no domain, and in no account name. */
#define NX_NOTDOM	"\\/:*?\"<>|"
#define NX_NOTUSER	"\\/\"[]:;|=,+*?<>"

/* The fields read from JSON members or SD-PARAMs; first one wins. */
enum nx_key {
	NK_EVENTTIME = 0, NK_HOSTNAME, NK_EVENTTYPE, NK_SOURCENAME,
	NK_FILENAME, NK_CHANNEL, NK_EVENTID, NK_CATEGORY, NK_RECORDNUMBER,
	NK_DOMAIN, NK_ACCOUNTNAME, NK_MESSAGE, NK__MAX
};

static const char *const nx_keys[NK__MAX] = {
	"EventTime", "Hostname", "EventType", "SourceName", "FileName",
	"Channel", "EventID", "Category", "RecordNumber", "Domain",
	"AccountName", "Message"
};

struct nx_fields {
	struct json_val	 v[NK__MAX];	/* type JSON_NONE: absent */
	int		 sd;		/* values use RFC 5424 escapes */
	size_t		 used;		/* scratch bytes taken */
};

static const struct {
	const char	*name;
	enum evt_type	 type;
} nx_types[] = {
	{ "ERROR",		EVT_TYPE_ERROR },
	{ "WARNING",		EVT_TYPE_WARNING },
	{ "INFO",		EVT_TYPE_INFORMATION },
	{ "AUDIT_SUCCESS",	EVT_TYPE_AUDIT_SUCCESS },
	{ "AUDIT_FAILURE",	EVT_TYPE_AUDIT_FAILURE },
	/* im_msvistalog's levels, in case a newer host sends them. */
	{ "CRITICAL",		EVT_TYPE_ERROR },
	{ "VERBOSE",		EVT_TYPE_INFORMATION },
};

static void	eat(struct span *, size_t);
static int	nx_type(struct span, int, enum evt_type *);
static void	nx_set(struct nx_fields *, struct span,
		    const struct json_val *);
static int	nx_str(const struct parse_in *, struct nx_fields *,
		    enum nx_key, struct span *);
static int	nx_uint(const struct parse_in *, struct nx_fields *,
		    enum nx_key, uint32_t *);
static int	sd_unescape(struct span, uint8_t *, size_t, size_t *);
static int	sd_find(struct span, struct span *);
static int	sd_params(struct span, struct nx_fields *);
static int	nx_windows(const struct nx_fields *);
static enum parse_rc nx_fill(const struct parse_in *, struct nx_fields *,
		    struct evt *, enum parse_why *);
static void	nx_user(const struct parse_in *, struct nx_fields *,
		    struct evt *);
static int	json_fields(struct span, struct nx_fields *);
static int	raw_user(struct span *, struct span *);
static enum parse_rc raw_read(struct span, struct evt *, enum parse_why *);

static void
eat(struct span *s, size_t n)
{
	s->p += n;
	s->n -= n;
}

/* An EventType name; exact: as NXLog writes it (upper case) and no other. */
static int
nx_type(struct span s, int exact, enum evt_type *t)
{
	size_t i;

	for (i = 0; i < sizeof(nx_types) / sizeof(nx_types[0]); i++)
		if (exact ? span_eq(s, nx_types[i].name) :
		    span_eq_nocase(s, nx_types[i].name)) {
			*t = nx_types[i].type;
			return 0;
		}
	return -1;
}

/* Keep a member if it is one of ours and the first of its name. */
/* Does the record carry any field of a Windows event at all? */
static int
nx_windows(const struct nx_fields *f)
{
	return f->v[NK_EVENTID].type != JSON_NONE ||
	    f->v[NK_SOURCENAME].type != JSON_NONE ||
	    f->v[NK_EVENTTYPE].type != JSON_NONE ||
	    f->v[NK_FILENAME].type != JSON_NONE;
}

static void
nx_set(struct nx_fields *f, struct span key, const struct json_val *v)
{
	size_t k;

	for (k = 0; k < NK__MAX; k++)
		if (span_eq(key, nx_keys[k])) {
			if (f->v[k].type == JSON_NONE)
				f->v[k] = *v;
			return;
		}
}

/*
 * A field as text, unescaped if it has to be: 1 with *out, 0 if absent
 * (or null), -1 if an escape is broken.  Numbers and literals read as
 * their own text; objects and arrays as absent.
 */
static int
nx_str(const struct parse_in *in, struct nx_fields *f, enum nx_key k,
    struct span *out)
{
	const struct json_val *v = &f->v[k];
	size_t len, room;
	int rc;

	if (v->type == JSON_NONE || v->type == JSON_NULL ||
	    v->type == JSON_OBJECT || v->type == JSON_ARRAY)
		return 0;
	if (!v->escaped) {
		*out = v->raw;
		return 1;
	}
	if (f->used > in->scratchsz)
		return -1;
	room = in->scratchsz - f->used;
	rc = f->sd ? sd_unescape(v->raw, in->scratch + f->used, room, &len) :
	    json_unescape(v->raw, in->scratch + f->used, room, &len);
	if (rc == -1)
		return -1;
	*out = span_make(in->scratch + f->used, len);
	f->used += len;
	return 1;
}

/* A field that must be a whole number up to 2^32-1: a JSON number or digits. */
static int
nx_uint(const struct parse_in *in, struct nx_fields *f, enum nx_key k,
    uint32_t *out)
{
	struct span s;
	int64_t v;
	int rc;

	if (f->v[k].type == JSON_NUMBER && !f->sd) {
		if (json_int(&f->v[k], 0, UINT32_MAX, &v) == -1)
			return -1;
		*out = (uint32_t)v;
		return 1;
	}
	if ((rc = nx_str(in, f, k, &s)) <= 0)
		return rc;
	s = span_trim(s);
	if (span_u32(&s, NX_IDDIGITS, UINT32_MAX, out) == -1 || s.n != 0)
		return -1;
	return 1;
}

/* RFC 5424 §6.3.3: only \" \\ \] are escapes; any other '\' is itself. */
static int
sd_unescape(struct span s, uint8_t *dst, size_t dstsz, size_t *len)
{
	size_t i, n = 0;

	for (i = 0; i < s.n; i++) {
		if (s.p[i] == '\\' && i + 1 < s.n && (s.p[i + 1] == '"' ||
		    s.p[i + 1] == '\\' || s.p[i + 1] == ']'))
			i++;
		if (n >= dstsz)
			return -1;
		dst[n++] = s.p[i];
	}
	*len = n;
	return 0;
}

/*
 * The params of the NXLOG@14506 element in a raw STRUCTURED-DATA (the
 * header reader has checked its grammar): 0 with *params from the blank
 * after the SD-ID to the closing ']', or -1 if there is none.
 */
static int
sd_find(struct span sd, struct span *params)
{
	size_t i, start;
	int quoted = 0;

	while (sd.n > 0 && sd.p[0] == '[') {
		start = 1;
		quoted = 0;
		for (i = 1; i < sd.n; i++) {
			if (quoted && sd.p[i] == '\\')
				i++;
			else if (sd.p[i] == '"')
				quoted = !quoted;
			else if (!quoted && sd.p[i] == ']')
				break;
		}
		if (i >= sd.n)
			return -1;
		if (span_starts(span_make(sd.p + start, i - start), NX_SDID) &&
		    (i - start == sizeof(NX_SDID) - 1 ||
		    sd.p[start + sizeof(NX_SDID) - 1] == ' ')) {
			*params = span_make(sd.p + start + sizeof(NX_SDID) - 1,
			    i - start - (sizeof(NX_SDID) - 1));
			return 0;
		}
		eat(&sd, i + 1);
	}
	return -1;
}

/* " name=\"value\"" repeated; the values kept raw, escapes intact. */
static int
sd_params(struct span s, struct nx_fields *f)
{
	struct span name;
	struct json_val v;
	size_t i;

	while (s.n > 0) {
		if (s.p[0] != ' ' || span_take_until(&s, '=', &name) == -1)
			return -1;
		eat(&name, 1);
		if (s.n == 0 || s.p[0] != '"')
			return -1;
		memset(&v, 0, sizeof(v));
		for (i = 1; i < s.n && s.p[i] != '"'; i++)
			if (s.p[i] == '\\') {
				v.escaped = 1;
				i++;
			}
		if (i >= s.n)
			return -1;
		v.type = JSON_STRING;
		v.raw = span_make(s.p + 1, i - 1);
		nx_set(f, name, &v);
		eat(&s, i + 1);
	}
	return 0;
}

/*
 * "DOMAIN\user" when both came (joined in scratch), else the account
 * alone, as NXLog's Snare output has it.
 */
static void
nx_user(const struct parse_in *in, struct nx_fields *f, struct evt *ev)
{
	struct span parts[3], u;

	if (nx_str(in, f, NK_ACCOUNTNAME, &parts[2]) != 1 || parts[2].n == 0)
		return;
	ev->user = parts[2];
	if (nx_str(in, f, NK_DOMAIN, &parts[0]) != 1 || parts[0].n == 0)
		return;
	parts[1] = span_make("\\", 1);
	u = parse_scratch_put(in, &f->used, parts, 3);
	if (u.n > 0)
		ev->user = u;
}

/*
 * The fields both NXLog structured shapes share.  What a field lacks
 * keeps the header's value (host, time) or the TAG (source).
 */
static enum parse_rc
nx_fill(const struct parse_in *in, struct nx_fields *f, struct evt *ev,
    enum parse_why *why)
{
	struct span s;
	uint32_t v;
	int64_t t;
	int rc;

	if ((rc = nx_uint(in, f, NK_EVENTID, &v)) < 0) {
		*why = PARSE_WHY_BADID;
		return PARSE_BAD;
	}
	/* EventID & 0xFFFF, as every forwarder prints it. */
	ev->event_id = rc == 1 ? (int32_t)(v & 0xffff) : -1;
	if ((rc = nx_str(in, f, NK_EVENTTIME, &s)) < 0 ||
	    (rc == 1 && parse_ymdhms(span_trim(s), &t) == 0)) {
		*why = PARSE_WHY_BADTIME;
		return PARSE_BAD;
	}
	/*
	 * EventTime is the server's wall clock.  to_syslog_ietf() stamps the
	 * header with the same instant and its zone (or in UTC): that one
	 * says exactly when, so it wins when it has a zone.
	 */
	if (rc == 1 && !(f->sd && ev->hdr_time != EVT_TIME_NONE &&
	    ev->hdr_off != EVT_OFF_LOCAL)) {
		ev->time = t;
		ev->time_off = EVT_OFF_LOCAL;
	}
	if (nx_str(in, f, NK_HOSTNAME, &s) == 1 && s.n > 0)
		ev->computer = s;
	if (nx_str(in, f, NK_EVENTTYPE, &s) == 1)
		(void)nx_type(span_trim(s), 0, &ev->type);
	if (nx_str(in, f, NK_SOURCENAME, &s) == 1 && s.n > 0)
		ev->source = s;
	if (nx_str(in, f, NK_FILENAME, &s) == 1 ||
	    nx_str(in, f, NK_CHANNEL, &s) == 1)
		ev->log = s;
	if (nx_str(in, f, NK_CATEGORY, &s) == 1)
		ev->category = s;
	if (nx_uint(in, f, NK_RECORDNUMBER, &v) == 1)
		ev->record = v;
	if ((rc = nx_str(in, f, NK_MESSAGE, &s)) < 0) {
		*why = PARSE_WHY_BADFIELDS;
		return PARSE_BAD;
	}
	if (rc == 1)
		ev->text = s;
	/* Last: the one copy that may not fit the scratch area. */
	nx_user(in, f, ev);
	return PARSE_OK;
}

/*
 * to_syslog_ietf(): the SD names the event, the header gives the stamp
 * (EventTime), the host and, as APP-NAME, the source with '_' for blanks;
 * MSG is the Message.  An NXLOG element without any event-log field came
 * from another NXLog input: not ours.
 */
enum parse_rc
parse_nxlog_ietf(const struct parse_in *in, struct evt *ev,
    enum parse_why *why)
{
	struct nx_fields f;
	struct span params;

	if (ev->sd.n == 0 || sd_find(ev->sd, &params) == -1)
		return PARSE_NOMATCH;
	memset(&f, 0, sizeof(f));
	f.sd = 1;
	if (sd_params(params, &f) == -1) {
		*why = PARSE_WHY_BADHEADER;
		return PARSE_BAD;
	}
	if (!nx_windows(&f))
		return PARSE_NOMATCH;
	ev->source = ev->app;
	return nx_fill(in, &f, ev, why);
}

/*
 * Read the members of the object; 0, or -1 if malformed, over a limit,
 * or followed by anything but blanks.
 */
static int
json_fields(struct span s, struct nx_fields *f)
{
	struct json_obj o;
	struct json_val v;
	struct span key, tail;
	int rc;

	if (json_obj_open(&o, s) == -1)
		return -1;
	while ((rc = json_obj_next(&o, &key, &v)) == 1)
		nx_set(f, key, &v);
	if (rc == -1)
		return -1;
	tail = span_trim(json_obj_tail(&o));
	return tail.n == 0 ? 0 : -1;
}

/*
 * to_json(): a record that is one object (starts with "{"), or whose MSG after
 * the header and TAG is one ("$Message = to_json(); to_syslog_bsd();").
 * Malformed JSON is counted as bad fields; well-formed JSON without any
 * event-log member is someone else's.
 */
enum parse_rc
parse_nxlog_json(const struct parse_in *in, struct evt *ev,
    enum parse_why *why)
{
	struct nx_fields f;
	struct span s = in->body;
	int bare;

	/*
	 * Bare: the body opens the object, and any TAG the header reader
	 * found is a piece of it (in RFC 5424 the APP-NAME comes before
	 * the body and is the source).
	 */
	span_skip_spaces(&s);
	bare = s.n > 0 && s.p[0] == '{' &&
	    (ev->app.n == 0 || ev->app.p == in->body.p);
	if (!bare) {
		s = ev->msg;
		span_skip_spaces(&s);
		if (s.n == 0 || s.p[0] != '{')
			return PARSE_NOMATCH;
	}
	memset(&f, 0, sizeof(f));
	if (json_fields(s, &f) == -1) {
		*why = PARSE_WHY_BADFIELDS;
		return PARSE_BAD;
	}
	if (!nx_windows(&f))
		return PARSE_NOMATCH;
	if (bare) {
		/* No TAG came first: what the header reader took is JSON. */
		ev->app = SPAN_NULL;
		ev->msg = s;
	} else
		ev->source = ev->app;
	ev->text = SPAN_NULL;
	return nx_fill(in, &f, ev, why);
}

/*
 * "DOMAIN\user " before the text (raw_event writes it only when the
 * record has a SID).  A candidate is taken only with one backslash, a
 * NetBIOS-sized domain (blanks only in the upper-case built-in ones, as
 * "NT AUTHORITY") and a short name; anything else is text.
 */
static int
raw_user(struct span *b, struct span *user)
{
	size_t i, bs = 0, lim = NX_DOMMAX + 1 + NX_USERMAX;
	int upper = 1, blank = 0;

	for (i = 0; i < b->n && i <= NX_DOMMAX && b->p[i] != '\\'; i++) {
		if (b->p[i] == ' ')
			blank = 1;
		else if (b->p[i] < 'A' || b->p[i] > 'Z')
			upper = 0;
		if (b->p[i] < ' ' || strchr(NX_NOTDOM, b->p[i]) != NULL)
			return -1;
	}
	if (i == 0 || i > NX_DOMMAX || i >= b->n || (blank && !upper))
		return -1;
	bs = i;
	for (i = bs + 1; i < b->n && i <= lim && b->p[i] != ' '; i++)
		if (b->p[i] < ' ' || strchr(NX_NOTUSER, b->p[i]) != NULL)
			return -1;
	if (i == bs + 1 || i > lim)
		return -1;
	*user = span_make(b->p, i);
	eat(b, i < b->n ? i + 1 : i);
	return 0;
}

/*
 * raw_event: "YYYY-MM-DD hh:mm:ss [HOST ]TYPE ID [DOMAIN\user ]TEXT".
 * The stamp, a host and a TYPE word make the shape; after that an ID
 * that is no number is a broken record, not someone else's.
 */
static enum parse_rc
raw_read(struct span b, struct evt *ev, enum parse_why *why)
{
	struct span host = SPAN_NULL, tok, t;
	enum evt_type type;
	int64_t when;
	uint32_t id;

	if (parse_ymdhms(b, &when) == 0 || b.n < 20 || b.p[19] != ' ')
		return PARSE_NOMATCH;
	eat(&b, 20);
	t = b;
	if (span_take_until(&t, ' ', &tok) == -1 ||
	    nx_type(tok, 1, &type) == -1 || t.n == 0 || t.p[0] < '0' ||
	    t.p[0] > '9') {
		/* Not "TYPE ID": the first token is the host. */
		if (span_take_until(&b, ' ', &host) == -1 || host.n == 0 ||
		    host.n > NX_HOSTMAX)
			return PARSE_NOMATCH;
		t = b;
		if (span_take_until(&t, ' ', &tok) == -1 ||
		    nx_type(tok, 1, &type) == -1)
			return PARSE_NOMATCH;
	}
	if (span_u32(&t, NX_IDDIGITS, UINT32_MAX, &id) == -1 ||
	    (t.n > 0 && t.p[0] != ' ')) {
		*why = PARSE_WHY_BADID;
		return PARSE_BAD;
	}
	if (t.n > 0)
		eat(&t, 1);
	ev->event_id = (int32_t)(id & 0xffff);
	ev->type = type;
	ev->time = when;
	ev->time_off = EVT_OFF_LOCAL;
	/* Empty when the record had no ComputerName; a relay is no host. */
	ev->computer = host;
	if (raw_user(&t, &ev->user) == -1)
		ev->user = SPAN_NULL;
	ev->text = t;
	return PARSE_OK;
}

/*
 * raw_event, as om_tcp/om_udp send it when no to_*() is called (no PRI:
 * the header reader took its stamp and host, so read the record again),
 * after a relay's header, or as the MSG of to_syslog_bsd() when the
 * record had no Message (then the TAG is the source).
 */
enum parse_rc
parse_nxlog_raw(const struct parse_in *in, struct evt *ev,
    enum parse_why *why)
{
	struct span r = in->rec;
	enum parse_rc rc;

	if (ev->pri < 0) {
		if (r.n >= 3 && r.p[0] == 0xef && r.p[1] == 0xbb &&
		    r.p[2] == 0xbf)
			eat(&r, 3);
		if ((rc = raw_read(r, ev, why)) == PARSE_OK) {
			/*
			 * What the header reader took for a stamp, a host and
			 * a TAG was the event's own: the record had no header.
			 */
			ev->hdr_time = EVT_TIME_NONE;
			ev->hdr_host = SPAN_NULL;
			ev->app = SPAN_NULL;
			ev->msg = r;
		}
		if (rc != PARSE_NOMATCH)
			return rc;
	}
	if ((rc = raw_read(in->body, ev, why)) != PARSE_NOMATCH)
		return rc;
	if (ev->app.n == 0 || (rc = raw_read(ev->msg, ev, why)) != PARSE_OK)
		return rc;
	ev->source = ev->app;
	return PARSE_OK;
}

/*
 * to_syslog_bsd(): "<PRI>Mmm dd hh:mm:ss HOST SOURCE: MSG", the source
 * with '_' for its blanks, no event ID.  Any program's syslog line
 * has this shape, so only NXLog's own form is taken: facility user (its
 * default), a stamp and a host, and a TAG ended by ':' with no [PID]
 * (im_mseventlog sets no ProcessID).  The PRI says error for an audit
 * failure too and info for an audit success, so only a warning is a
 * type; the rest is left unknown, which no KB type condition holds
 * against.
 */
enum parse_rc
parse_nxlog_bsd(const struct parse_in *in, struct evt *ev,
    enum parse_why *why)
{
	struct span b = in->body;

	(void)why;
	if (ev->pri < 0 || ev->pri >> 3 != NX_FAC_USER ||
	    ev->hdr_time == EVT_TIME_NONE || ev->hdr_host.n == 0 ||
	    ev->app.n == 0 || ev->app.p != b.p || b.n <= ev->app.n ||
	    b.p[ev->app.n] != ':')
		return PARSE_NOMATCH;
	ev->source = ev->app;
	ev->type = (ev->pri & 7) == 4 ? EVT_TYPE_WARNING : EVT_TYPE_UNKNOWN;
	ev->text = ev->msg;
	return PARSE_OK;
}
