/*
 * gencorpus: the deterministic corpus of `make bench`.
 *
 *	gencorpus [-n LINES] [-s SEED] [-H HOSTS] CORPUS EXPECTED
 *
 * Writes LINES (default 1,000,000) forwarded Windows event-log lines to
 * CORPUS, one synthetic day (2000-03-14) with the arrival clock advancing
 * evenly through it: about 1% are IMS start-failure episodes on a few
 * hundred Exchange servers, the rest ordinary noise (logons, service
 * control, Exchange informational events, DNS/NETLOGON errors, decoys that
 * must not match, a little non-Windows syslog).  Each host uses one
 * forwarder: Snare (some through an rsyslog relay, TABs escaped as #011)
 * or evtsys (some with FQDN host names), about half and half.
 *
 * EXPECTED receives the answer the replay must give: for every host, one
 * line per open fault at the end, "HOST<TAB>ARTICLE" or "HOST<TAB>ambiguous".
 * It is computed while the lines are written, by a small model of the
 * semantics of docs/diagnosis.md over the evidence of kb/ (the tables
 * below mirror the files in kb/; change them together).
 *
 * With -H HOSTS (more than the 400 hosts of the model), the noise of
 * domain controllers and member servers (about 60% of the lines) comes
 * instead from HOSTS - 300 further Exchange servers EXS000001, EXS000002,
 * ..., whose IMS runs: the first line of each (they are introduced in
 * turn) is the Service Control Manager's "entered the running state" for
 * the IMS, which makes it a server the replay tracks; the rest is the
 * same noise, each line from one of them drawn at random (by draws of
 * its own, so that every other line is the same as without -H).  That
 * is the scale-in-hosts measurement of bench/hosts.sh: the model's
 * Exchange servers and every line they send, and so the expected answer,
 * are the same as without it.  Without -H the output does not change.
 *
 * Same seed, same bytes: the PRNG is splitmix64 and nothing else varies.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY		86400
#define WINDOW		600	/* correlation window, s */
#define MAX_EP		8	/* episodes per host */
#define MAX_EPITEMS	16
#define MAX_FAULTS	64

/* ---------------------------------------------------------------- PRNG */

static uint64_t rng;

static uint64_t
rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t
rn(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

/*
 * The order in which a call's arguments are evaluated is unspecified, so
 * a call never takes two draws: draw them first, in order, then use
 * RV(i, n), uniform in [0, n) like rn(n).
 */
static void
draw(uint32_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = (uint32_t)(rnd() >> 32);
}
#define RV(i, n)	((uint32_t)(((uint64_t)v[i] * (uint64_t)(n)) >> 32))

/* ------------------------------------------------------ knowledge model */

enum art { A_Q154589, A_Q173496, A_Q183178, A_Q246115, A_Q306308, NART };
static const char *const art_id[NART] = {
	"Q154589", "Q173496", "Q183178", "Q246115", "Q306308"
};

enum role { R_DISC, R_SUPP, R_SYMP };

enum item {
	I_NONE = -1,
	I_4058, I_4143, I_4071, I_4072, I_100, I_1023, I_4018, I_4116,
	I_SCM2140, I_APP2140, NITEM
};

static const struct {
	int	n;
	struct { int art, role; } r[NART];
} refs[NITEM] = {
	[I_4058] = { 1, { { A_Q154589, R_DISC } } },
	[I_4143] = { 1, { { A_Q173496, R_DISC } } },
	[I_4071] = { 1, { { A_Q183178, R_DISC } } },
	[I_4072] = { 1, { { A_Q183178, R_SUPP } } },
	[I_100]  = { 1, { { A_Q246115, R_DISC } } },
	[I_1023] = { 1, { { A_Q306308, R_DISC } } },
	[I_4018] = { 1, { { A_Q306308, R_SUPP } } },
	[I_4116] = { 1, { { A_Q306308, R_SUPP } } },
	[I_SCM2140] = { 5, { { A_Q154589, R_SYMP }, { A_Q173496, R_SYMP },
	    { A_Q183178, R_SYMP }, { A_Q246115, R_SYMP },
	    { A_Q306308, R_SYMP } } },
	[I_APP2140] = { 5, { { A_Q154589, R_SYMP }, { A_Q173496, R_SYMP },
	    { A_Q183178, R_SYMP }, { A_Q246115, R_SYMP },
	    { A_Q306308, R_SYMP } } },
};

static double
weight(int role, int n)
{
	return (role == R_DISC ? 10.0 : role == R_SUPP ? 3.0 : 1.0) / n;
}

enum status { S_NONE, S_RUNNING, S_START_FAILED, S_DEGRADED };

#define F_AMBIG	(-1)

struct mfault {
	int	 art;		/* article, or F_AMBIG */
	int	 open;
	int64_t	 last;		/* event time of the last evidence */
};

struct mep {
	int	 used;
	int64_t	 first, last;
	uint64_t touched;	/* line number */
	int	 fault;		/* index in faults, -1 none */
	int	 owns;		/* the fault was opened or refined here */
	int	 nitems;
	int	 items[MAX_EPITEMS];
};

struct model {
	int64_t		 status_time;
	int64_t		 recovered;
	struct mep	 ep[MAX_EP];
	struct mfault	 f[MAX_FAULTS];
	int		 nf;
};

static int
fault_find(struct model *m, int art)
{
	int i;

	for (i = 0; i < m->nf; i++)
		if (m->f[i].open && m->f[i].art == art)
			return i;
	return -1;
}

static int
fault_open(struct model *m, int art)
{
	if (m->nf >= MAX_FAULTS) {
		fprintf(stderr, "gencorpus: model: too many faults\n");
		exit(2);
	}
	m->f[m->nf].art = art;
	m->f[m->nf].open = 1;
	m->f[m->nf].last = INT64_MIN;
	return m->nf++;
}

static void
model_status(struct model *m, enum status st, int64_t t)
{
	int i;

	if (t < m->status_time)
		return;
	m->status_time = t;
	if (st != S_RUNNING)
		return;
	if (t > m->recovered)
		m->recovered = t;
	for (i = 0; i < m->nf; i++)
		if (m->f[i].open && m->f[i].last <= t)
			m->f[i].open = 0;
	memset(m->ep, 0, sizeof(m->ep));
}

static struct mep *
model_episode(struct model *m, int64_t t, uint64_t seq)
{
	struct mep *e, *victim = NULL, *fresh = NULL;
	int i;

	for (i = 0; i < MAX_EP; i++) {
		e = &m->ep[i];
		if (!e->used) {
			if (fresh == NULL)
				fresh = e;
			continue;
		}
		if (t >= e->first - WINDOW && t <= e->last + WINDOW)
			return e;
		if (victim == NULL || e->touched < victim->touched)
			victim = e;
	}
	if (fresh == NULL)
		fresh = victim;
	memset(fresh, 0, sizeof(*fresh));
	fresh->used = 1;
	fresh->first = fresh->last = t;
	fresh->fault = -1;
	(void)seq;
	return fresh;
}

/*
 * Does the top article explain the whole episode (docs/diagnosis.md, "What
 * diagnosed promises")?  In this model every item other than the shared
 * start-failure report is an event of the IMS's own source or some
 * article's discriminator, so each must be one of the article's own.
 */
static int
explains(const struct mep *e, int art)
{
	int i, j, it, own;

	for (i = 0; i < e->nitems; i++) {
		it = e->items[i];
		if (it == I_SCM2140 || it == I_APP2140)
			continue;
		for (own = 0, j = 0; j < refs[it].n; j++)
			if (refs[it].r[j].art == art)
				own = 1;
		if (!own)
			return 0;
	}
	return 1;
}

/* One matched line of one host, in arrival order. */
static void
model_line(struct model *m, int item, enum status st, int64_t t,
    uint64_t seq)
{
	double score[NART] = { 0 };
	int disc[NART] = { 0 }, seen[NART] = { 0 }, rank[NART];
	int i, j, k, n = 0, opens = 0, top, diagnosed, f, g, changed;
	struct mep *e;

	if (st != S_NONE)
		model_status(m, st, t);
	if (item == I_NONE || t < m->recovered)
		return;
	e = model_episode(m, t, seq);
	e->touched = seq;
	if (t < e->first)
		e->first = t;
	if (t > e->last)
		e->last = t;
	for (i = 0; i < e->nitems && e->items[i] != item; i++)
		continue;
	if (i == e->nitems && e->nitems < MAX_EPITEMS)
		e->items[e->nitems++] = item;
	if (item == I_SCM2140 || item == I_APP2140)
		model_status(m, S_START_FAILED, t);
	for (i = 0; i < e->nitems; i++)
		for (j = 0; j < refs[e->items[i]].n; j++) {
			int a = refs[e->items[i]].r[j].art;
			int ro = refs[e->items[i]].r[j].role;

			score[a] += weight(ro, refs[e->items[i]].n);
			if (ro == R_DISC)
				disc[a] = 1;
			if (ro != R_SUPP)
				opens = 1;
			if (!seen[a]) {
				seen[a] = 1;
				rank[n++] = a;
			}
		}
	if (n == 0 || !opens)
		return;
	for (i = 1; i < n; i++) {
		int a = rank[i];

		for (k = i; k > 0; k--) {
			int b = rank[k - 1];

			if (score[b] > score[a] ||
			    (score[b] == score[a] && b < a))
				break;
			rank[k] = b;
		}
		rank[k] = a;
	}
	top = rank[0];
	diagnosed = disc[top] && (n == 1 || score[top] >= 2.0 *
	    score[rank[1]]) && explains(e, top);
	f = e->fault >= 0 && m->f[e->fault].open ? e->fault : -1;
	changed = 0;
	if (diagnosed) {
		g = fault_find(m, top);
		if (f >= 0 && (m->f[f].art == F_AMBIG ||
		    (e->owns && m->f[f].art != top))) {
			if (g >= 0) {
				m->f[f].open = 0;	/* superseded */
				f = g;
			} else {
				m->f[f].art = top;	/* refined */
				changed = 1;
			}
		} else if (f < 0 || m->f[f].art != top) {
			if ((f = g) < 0) {
				f = fault_open(m, top);
				changed = 1;
			}
		}
	} else if (f < 0) {
		for (i = 0; i < n && f < 0; i++)
			f = fault_find(m, rank[i]);
		if (f < 0 && (f = fault_find(m, F_AMBIG)) < 0) {
			f = fault_open(m, F_AMBIG);
			changed = 1;
		}
	} else if (m->f[f].art != F_AMBIG && e->owns &&
	    fault_find(m, F_AMBIG) < 0) {
		m->f[f].art = F_AMBIG;	/* no longer sure */
		changed = 1;
	}
	if (changed)
		e->owns = 1;
	else if (f != e->fault)
		e->owns = 0;
	e->fault = f;
	if (t > m->f[f].last)
		m->f[f].last = t;
}

/* ---------------------------------------------------------------- hosts */

enum fwd { FW_SNARE, FW_SNARE_RELAY, FW_EVTSYS, FW_EVTSYS_FQDN };
enum hclass { H_EXCH, H_DC, H_SRV };

struct host {
	char		 name[24];
	enum hclass	 cls;
	enum fwd	 fwd;
	int		 v40;		/* Exchange 4.0: "Internet Mail Connector" */
	int		 pri;		/* Snare's configured PRI */
	int		 primary;	/* the article its IMS keeps failing with */
	int		 loneonly;	/* its Application log is not forwarded */
	int		 affected;
	int		 relay;		/* relay1 or relay2 */
	uint32_t	 snarectr;
	uint32_t	 recno[3];
	struct model	 m;
};

#define NEXCH	300
#define NDC	20
#define NSRV	80
#define NHOST	(NEXCH + NDC + NSRV)

static struct host hosts[NHOST];

static const char *const exch_prefix[] = {
	"MAILGW", "EXCH", "IMS", "MX", "SMTPGW", "MSGHUB"
};
static const char *const srv_prefix[] = {
	"FS", "PRN", "SQL", "WEB", "APP"
};

static void
hosts_init(void)
{
	struct host *h;
	int i;

	for (i = 0; i < NHOST; i++) {
		h = &hosts[i];
		if (i < NEXCH) {
			h->cls = H_EXCH;
			snprintf(h->name, sizeof(h->name), "%s%02d",
			    exch_prefix[i % 6], i / 6 + 1);
			h->v40 = rn(5) == 0;
			h->affected = rn(100) < 87;
			h->loneonly = rn(100) < 8;
			if (h->v40) {
				static const int a40[] = { A_Q154589,
				    A_Q154589, A_Q246115, A_Q306308 };
				h->primary = a40[rn(4)];
			} else {
				static const int a55[] = { A_Q173496,
				    A_Q173496, A_Q173496, A_Q183178,
				    A_Q183178, A_Q246115, A_Q306308,
				    A_Q306308 };
				h->primary = a55[rn(8)];
			}
		} else if (i < NEXCH + NDC) {
			h->cls = H_DC;
			snprintf(h->name, sizeof(h->name), "DC%02d",
			    i - NEXCH + 1);
		} else {
			h->cls = H_SRV;
			snprintf(h->name, sizeof(h->name), "%s%02d",
			    srv_prefix[(i - NEXCH - NDC) % 5],
			    (i - NEXCH - NDC) / 5 + 1);
		}
		if (rn(2) == 0)
			h->fwd = rn(8) == 0 ? FW_SNARE_RELAY : FW_SNARE;
		else
			h->fwd = rn(4) == 0 ? FW_EVTSYS_FQDN : FW_EVTSYS;
		h->pri = rn(3) == 0 ? 14 : 13;
		h->snarectr = 1000 + rn(50000);
		h->recno[0] = 1 + rn(90000);
		h->recno[1] = 1 + rn(90000);
		h->recno[2] = 1 + rn(90000);
		h->m.status_time = INT64_MIN;
		h->m.recovered = INT64_MIN;
		h->relay = i % 2 + 1;
	}
}

/*
 * The member servers of -H: only their counters are kept; the rest comes
 * from the number, by a hash that leaves the PRNG's sequence alone.
 */
struct poolhost {
	uint32_t	 snarectr;	/* 0: not heard yet */
	uint32_t	 recno[3];
};

static struct poolhost *pool;
static uint32_t npool, pool_intro;	/* introduced so far */
static uint64_t pool_rng;		/* a counter, hashed by mix() */
static struct host pooled;	/* the one being written */

static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static struct host *
pool_get(uint32_t j)
{
	struct host *h = &pooled;
	struct poolhost *p = &pool[j];
	uint64_t z = mix(0x9e3779b97f4a7c15ULL * (j + 1));

	memset(h, 0, sizeof(*h));
	h->cls = H_SRV;
	snprintf(h->name, sizeof(h->name), "EXS%06u", j + 1);
	if (z % 2 == 0)
		h->fwd = (z >> 1) % 8 == 0 ? FW_SNARE_RELAY : FW_SNARE;
	else
		h->fwd = (z >> 1) % 4 == 0 ? FW_EVTSYS_FQDN : FW_EVTSYS;
	h->pri = (z >> 8) % 3 == 0 ? 14 : 13;
	h->relay = (int)(j % 2) + 1;
	if (p->snarectr == 0) {
		p->snarectr = 1000 + (uint32_t)((z >> 16) % 50000);
		p->recno[0] = 1 + (uint32_t)((z >> 20) % 90000);
		p->recno[1] = 1 + (uint32_t)((z >> 28) % 90000);
		p->recno[2] = 1 + (uint32_t)((z >> 36) % 90000);
	}
	h->snarectr = p->snarectr;
	memcpy(h->recno, p->recno, sizeof(h->recno));
	return h;
}

static void
pool_put(uint32_t j)
{
	pool[j].snarectr = pooled.snarectr;
	memcpy(pool[j].recno, pooled.recno, sizeof(pooled.recno));
}

/* ---------------------------------------------------------------- lines */

enum evtype { T_ERR, T_WARN, T_INFO, T_AUDOK, T_AUDFAIL };
static const char *const type_name[] = {
	"Error", "Warning", "Information", "Success Audit", "Failure Audit"
};
enum log { L_APP, L_SYS, L_SEC };
static const char *const log_name[] = { "Application", "System", "Security" };

struct ev {
	enum log	 log;
	int		 id;
	const char	*src;
	const char	*user;		/* NULL: N/A */
	const char	*sidtype;
	enum evtype	 type;
	const char	*cat;
	char		 text[640];
	int		 item;		/* what the model sees */
	enum status	 status;
};

static const char *const mon[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};
static const char *const wday[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

/* Seconds since 2000-03-14 00:00:00 (a Tuesday) to the calendar. */
static void
caltime(int64_t s, int *mo, int *d, int *wd, int *hh, int *mm, int *ss)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t days = s >= 0 ? s / DAY : -((-s + DAY - 1) / DAY);
	int64_t sec = s - days * DAY;

	*mo = 2;
	*d = 14 + (int)days;
	while (*d > mdays[*mo]) {
		*d -= mdays[*mo];
		*mo = (*mo + 1) % 12;
	}
	while (*d < 1) {
		*mo = (*mo + 11) % 12;
		*d += mdays[*mo];
	}
	*wd = (int)(((2 + days) % 7 + 7) % 7);
	*hh = (int)(sec / 3600);
	*mm = (int)(sec / 60 % 60);
	*ss = (int)(sec % 60);
}

/* "Mar 14 10:15:00"; pad ' ' (evtsys) or '0' (Snare). */
static int
fmt_hdrtime(char *b, size_t sz, int64_t s, char pad)
{
	int mo, d, wd, hh, mm, ss;

	caltime(s, &mo, &d, &wd, &hh, &mm, &ss);
	if (d < 10)
		return snprintf(b, sz, "%s %c%d %02d:%02d:%02d", mon[mo], pad,
		    d, hh, mm, ss);
	return snprintf(b, sz, "%s %d %02d:%02d:%02d", mon[mo], d, hh, mm, ss);
}

/* Snare's DATETIME: "Tue Mar 14 10:15:00 2000". */
static void
fmt_snaretime(char *b, size_t sz, int64_t s)
{
	int mo, d, wd, hh, mm, ss;

	caltime(s, &mo, &d, &wd, &hh, &mm, &ss);
	snprintf(b, sz, "%s %s %02d %02d:%02d:%02d 2000", wday[wd], mon[mo],
	    d, hh, mm, ss);
}

struct out {
	FILE		*fp;
	uint64_t	 lines;
	uint64_t	 bytes;
	uint64_t	 minlen, maxlen;
	uint64_t	 fault_lines;
	uint64_t	 snare, evtsys, other;
};

static void
put(struct out *o, const char *line, size_t n)
{
	fwrite(line, 1, n, o->fp);
	o->lines++;
	o->bytes += n;
	if (o->minlen == 0 || n < o->minlen)
		o->minlen = n;
	if (n > o->maxlen)
		o->maxlen = n;
}

/* evtsys: spaces collapsed, "%%2140" expanded to "(Error 2140)". */
static void
evtsys_text(char *dst, size_t sz, const char *src)
{
	size_t n = 0;
	int sp = 0;

	for (; *src != '\0' && n + 16 < sz; src++) {
		if (src[0] == '%' && src[1] == '%') {
			n += (size_t)snprintf(dst + n, sz - n, "(Error ");
			src += 2;
			while (*src >= '0' && *src <= '9' && n + 2 < sz)
				dst[n++] = *src++;
			dst[n++] = ')';
			src--;
			sp = 0;
			continue;
		}
		if (*src == ' ' || *src == '\t') {
			if (sp)
				continue;
			sp = 1;
			dst[n++] = ' ';
			continue;
		}
		sp = 0;
		dst[n++] = *src;
	}
	dst[n] = '\0';
}

static void
emit(struct out *o, struct host *h, int64_t arr_ms, int64_t evt,
    const struct ev *e)
{
	char line[2048], ht[32], dt[32], txt[700], src[64];
	int64_t arr = arr_ms / 1000;
	size_t i;
	int n;

	if (h->fwd == FW_SNARE || h->fwd == FW_SNARE_RELAY) {
		const char *sep = h->fwd == FW_SNARE ? "\t" : "#011";
		char hdr[96];

		n = 0;
		if (h->fwd == FW_SNARE_RELAY) {
			fmt_hdrtime(ht, sizeof(ht), arr + (arr_ms % 1000 >
			    600), '0');
			n = snprintf(hdr, sizeof(hdr), "<13>%s relay%d ", ht,
			    h->relay);
		} else
			hdr[0] = '\0';
		fmt_hdrtime(ht, sizeof(ht), arr, '0');
		fmt_snaretime(dt, sizeof(dt), evt);
		h->snarectr++;
		n = snprintf(line, sizeof(line),
		    "%s<%d>%s %s MSWinEventLog%s%d%s%s%s%u%s%s%s%d%s%s%s%s%s"
		    "%s%s%s%s%s%s%s%s%s%s%s%u\n",
		    hdr, h->pri, ht, h->name, sep,
		    e->type == T_ERR || e->type == T_AUDFAIL ? 3 : 1, sep,
		    log_name[e->log], sep, h->snarectr, sep, dt, sep, e->id,
		    sep, e->src, sep, e->user ? e->user : "N/A", sep,
		    e->sidtype ? e->sidtype : "N/A", sep, type_name[e->type],
		    sep, h->name, sep, e->cat, sep, sep, e->text, sep,
		    h->recno[e->log]++);
		o->snare++;
	} else {
		int pri = 24 + (e->type == T_ERR || e->type == T_AUDFAIL ? 3 :
		    e->type == T_WARN ? 4 : 5);

		fmt_hdrtime(ht, sizeof(ht), evt, ' ');
		for (i = 0; e->src[i] != '\0' && i + 1 < sizeof(src); i++)
			src[i] = e->src[i] == ' ' ? '_' : e->src[i];
		src[i] = '\0';
		evtsys_text(txt, sizeof(txt), e->text);
		n = snprintf(line, sizeof(line), "<%d>%s %s%s %s: %d: %s%s%s %s\n",
		    pri, ht, h->name,
		    h->fwd == FW_EVTSYS_FQDN ? ".corp.contoso.com" : "", src,
		    e->id, e->user ? e->user : "", e->user ? ": " : "", txt,
		    e->type == T_AUDOK ? "AUDIT_SUCCESS " :
		    e->type == T_AUDFAIL ? "AUDIT_FAILURE " : "");
		o->evtsys++;
	}
	if (n < 0 || (size_t)n >= sizeof(line))
		n = (int)strlen(line);
	put(o, line, (size_t)n);
	if (h->cls == H_EXCH && (e->item != I_NONE || e->status != S_NONE))
		model_line(&h->m, e->item, e->status, evt, o->lines);
}

/* ------------------------------------------------------------ noise */

static const char *const users[] = {
	"jdoe", "asmith", "bwong", "cgarcia", "dpatel", "ekim", "fmueller",
	"gnovak", "hchen", "ilarsen", "jmartin", "kito", "lrossi", "mnguyen",
	"nobrien", "opetrov", "pdubois", "qali", "rsilva", "skowalski",
	"tjohnson", "uhansen", "vmoreau", "wtanaka", "xlopez", "ybrown",
	"zweber", "administrator", "backup", "svc-sql"
};
#define NUSERS	(sizeof(users) / sizeof(users[0]))

static const char *const services[] = {
	"Spooler", "Computer Browser", "Messenger", "Alerter", "Schedule",
	"Remote Access Connection Manager", "Net Logon", "Server",
	"Workstation", "DHCP Client", "Time", "SNMP", "FTP Publishing Service",
	"World Wide Web Publishing Service", "Microsoft Exchange Directory",
	"Microsoft Exchange Information Store",
	"Microsoft Exchange Message Transfer Agent",
	"Microsoft Exchange Event Service",
	"Microsoft Exchange System Attendant", "Remote Procedure Call (RPC) Locator",
	"License Logging Service", "Directory Replicator", "UPS",
	"Windows Internet Name Service", "Norton AntiVirus Server"
};
#define NSERVICES	(sizeof(services) / sizeof(services[0]))

static char userbuf[64];

static const char *
domuser(const char *u)
{
	snprintf(userbuf, sizeof(userbuf), "CORP\\%s", u);
	return userbuf;
}

static void
ev_init(struct ev *e, enum log log, int id, const char *src, enum evtype t,
    const char *cat)
{
	e->log = log;
	e->id = id;
	e->src = src;
	e->user = NULL;
	e->sidtype = NULL;
	e->type = t;
	e->cat = cat;
	e->text[0] = '\0';
	e->item = I_NONE;
	e->status = S_NONE;
}

static void
noise_security(struct ev *e, int id, const struct host *h)
{
	const char *u = users[rn(NUSERS)];
	unsigned lid = 0x10000 + rn(0xfffff);
	char ws[16];

	snprintf(ws, sizeof(ws), "WS%04u", 1 + rn(600));
	ev_init(e, L_SEC, id, "Security", T_AUDOK, id == 538 ?
	    "Logon/Logoff" : "Logon/Logoff");
	e->user = domuser(u);
	e->sidtype = "User";
	if (id == 528)
		snprintf(e->text, sizeof(e->text),
		    "Successful Logon:  User Name: %s  Domain: CORP  "
		    "Logon ID: (0x0,0x%X)  Logon Type: %d  Logon Process: "
		    "User32  Authentication Package: "
		    "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0  Workstation Name: "
		    "%s", u, lid, rn(4) ? 2 : 10, ws);
	else if (id == 538)
		snprintf(e->text, sizeof(e->text),
		    "User Logoff:  User Name: %s  Domain: CORP  Logon ID: "
		    "(0x0,0x%X)  Logon Type: %d", u, lid, rn(3) ? 3 : 2);
	else
		snprintf(e->text, sizeof(e->text),
		    "Successful Network Logon:  User Name: %s  Domain: CORP  "
		    "Logon ID: (0x0,0x%X)  Logon Type: 3  Logon Process: "
		    "NtLmSsp  Authentication Package: NTLM  Workstation "
		    "Name: %s", u, lid, h->cls == H_EXCH && rn(2) ? h->name :
		    ws);
}

static void
noise_scm(struct ev *e)
{
	const char *s = services[rn(NSERVICES)];

	if (rn(2)) {
		ev_init(e, L_SYS, 7035, "Service Control Manager", T_INFO,
		    "None");
		snprintf(e->text, sizeof(e->text),
		    "The %s service was successfully sent a %s control.", s,
		    rn(3) ? "start" : "stop");
	} else {
		ev_init(e, L_SYS, 7036, "Service Control Manager", T_INFO,
		    "None");
		snprintf(e->text, sizeof(e->text),
		    "The %s service entered the %s state.", s,
		    rn(3) ? "running" : "stopped");
	}
}

static void
noise_netlogon_dns(struct ev *e)
{
	uint32_t v[7];

	draw(v, 7);
	switch (rn(6)) {
	case 0:
		ev_init(e, L_SYS, 5719, "NETLOGON", T_ERR, "None");
		snprintf(e->text, sizeof(e->text),
		    "No Windows NT Domain Controller is available for domain "
		    "CORP. The following error occurred:  There are currently "
		    "no logon servers available to service the logon request.");
		break;
	case 1:
		ev_init(e, L_SYS, 3210, "NETLOGON", T_ERR, "None");
		snprintf(e->text, sizeof(e->text),
		    "Failed to authenticate with \\\\DC%02u, a Windows NT "
		    "domain controller for domain CORP.", 1 + rn(NDC));
		break;
	case 2:
		ev_init(e, L_SYS, 5722, "NETLOGON", T_ERR, "None");
		snprintf(e->text, sizeof(e->text),
		    "The session setup from the computer WS%04u failed to "
		    "authenticate. The name of the account referenced in the "
		    "security database is WS%04u$.  The following error "
		    "occurred:  Access is denied.", 1 + RV(0, 600),
		    1 + RV(1, 600));
		break;
	case 3:
		ev_init(e, L_SYS, 414, "DNS", T_WARN, "None");
		snprintf(e->text, sizeof(e->text),
		    "The DNS server machine currently has no DNS domain name. "
		    "Its DNS name is a single label hostname with no domain "
		    "(example: \"host\" rather than \"host.microsoft.com\").");
		break;
	case 4:
		ev_init(e, L_SYS, 4013, "DNS", T_WARN, "None");
		snprintf(e->text, sizeof(e->text),
		    "The DNS server was unable to open the zone corp.contoso."
		    "com in the registry. The zone will be loaded from the "
		    "file %u.", rn(100));
		break;
	default:
		ev_init(e, L_SYS, 11, "DnsApi", T_WARN, "None");
		snprintf(e->text, sizeof(e->text),
		    "The system failed to register network adapter with "
		    "settings: Adapter Name : {%08X-1D2B-4C55-9A1F-%012X} "
		    "Host Name : WS%04u  Primary Domain Suffix : corp.contoso."
		    "com  DNS server list : 10.1.0.%u, 10.1.0.%u  Sent update "
		    "to server : None  IP Address(es) : 10.1.%u.%u  The cause "
		    "was: the DNS server timed out.", v[0], RV(1, 1000000),
		    1 + RV(2, 600), 1 + RV(3, 20), 1 + RV(4, 20), RV(5, 250),
		    1 + RV(6, 250));
		break;
	}
}

static void
noise_exchange(struct ev *e, const struct host *h)
{
	const char *u = users[rn(NUSERS)];
	unsigned r = rn(1000);
	uint32_t v[7];

	draw(v, 7);
	if (r < 150) {
		ev_init(e, L_APP, 1221, rn(3) ? "MSExchangeIS Private" :
		    "MSExchangeIS Public", T_INFO, "General");
		snprintf(e->text, sizeof(e->text),
		    "The database has %u megabytes of free space after "
		    "online defragmentation has terminated.", rn(4000));
	} else if (r < 250) {
		ev_init(e, L_APP, rn(2) ? 700 : 701, "ESE97", T_INFO,
		    "Online Defragmentation");
		snprintf(e->text, sizeof(e->text),
		    "MSExchangeIS ((%u)) Online defragmentation is %s on "
		    "database 'E:\\exchsrvr\\mdbdata\\priv.edb'.", 200 + RV(0, 900),
		    RV(1, 2) ? "beginning" : "complete");
	} else if (r < 400) {
		static const int ids[] = { 9411, 9298, 9301, 9318 };
		int id = ids[rn(4)];

		ev_init(e, L_APP, id, "MSExchangeMTA", id == 9411 ? T_WARN :
		    T_INFO, id == 9411 ? "X.400 Service" : "Interface");
		snprintf(e->text, sizeof(e->text),
		    "An association was %s with the remote MTA %s%02u "
		    "(connection %u). [MTA DISPATCH %u %u] (%u)",
		    id == 9411 ? "lost" : "established",
		    exch_prefix[RV(0, 6)], 1 + RV(1, 50), RV(2, 4000),
		    10 + RV(3, 40), 100 + RV(4, 900), RV(5, 20));
	} else if (r < 520) {
		ev_init(e, L_APP, rn(4) ? 2004 : 2010, "MSExchangeIMC", T_INFO,
		    "SMTP Interface Events");
		snprintf(e->text, sizeof(e->text),
		    "%s connection %s host mx%u.example%u.com "
		    "(192.0.2.%u) on port 25; %u messages, %u bytes.",
		    RV(0, 2) ? "Inbound" : "Outbound",
		    RV(1, 2) ? "from" : "to", RV(2, 9), RV(3, 300),
		    1 + RV(4, 250), RV(5, 40), RV(6, 4000000));
	} else if (r < 580) {
		ev_init(e, L_APP, 1016, "MSExchangeIS Private", T_AUDOK,
		    "Logons");
		e->user = domuser(u);
		e->sidtype = "User";
		snprintf(e->text, sizeof(e->text),
		    "CORP\\%s logged on as /o=Contoso/ou=Site%u/cn=Recipients/"
		    "cn=%s on database \"First Storage Group\\Mailbox Store "
		    "(%s)\".", u, 1 + RV(0, 3), users[RV(1, NUSERS)], h->name);
	} else if (r < 800) {
		noise_security(e, 540, h);
	} else if (r < 940) {
		noise_scm(e);
	} else if (r < 965) {
		ev_init(e, L_APP, 9095, "MSExchangeSA", T_INFO, "General");
		snprintf(e->text, sizeof(e->text),
		    "The MSExchangeSA service has created the directory "
		    "replication messages for site Site%u (%u objects).",
		    1 + RV(0, 3), RV(1, 500));
	} else if (r < 980) {
		/* Supporting evidence only (and a "degraded" status rule). */
		ev_init(e, L_APP, 4116, "MSExchangeIMC", T_ERR,
		    "Internal Processing");
		snprintf(e->text, sizeof(e->text),
		    "The messaging software returned an error while the "
		    "Internet Mail Service processed message %u; the message "
		    "was moved to the BAD folder.", rn(100000));
		e->item = I_4116;
		e->status = S_DEGRADED;
	} else if (r < 995) {
		/* Decoy: a user's failed mailbox logon is not Q306308. */
		ev_init(e, L_APP, 1023, "MSExchangeIS Private", T_AUDFAIL,
		    "Logons");
		e->user = domuser(u);
		e->sidtype = "User";
		snprintf(e->text, sizeof(e->text),
		    "CORP\\svc-exch was validated as /o=Contoso/ou=Site1/"
		    "cn=Recipients/cn=%s (%s) but could not log on to "
		    "/o=Contoso/ou=Site1/cn=Recipients/cn=%s (%s)", u, h->name,
		    u, h->name);
	} else {
		/* Decoy: 2140 from a service that is not the IMS. */
		ev_init(e, L_SYS, 7023, "Service Control Manager", T_ERR,
		    "None");
		snprintf(e->text, sizeof(e->text),
		    "The %s service terminated with the following error: "
		    "%%%%2140", services[rn(NSERVICES)]);
	}
}

static void
noise_print(struct ev *e)
{
	uint32_t v[8];

	draw(v, 8);
	ev_init(e, L_SYS, 10, "Print", T_INFO, "None");
	snprintf(e->text, sizeof(e->text),
	    "Document %u, %s owned by %s was printed on HPLJ%u via port "
	    "IP_10.1.%u.%u.  Size in bytes: %u; pages printed: %u",
	    RV(0, 400), RV(1, 2) ? "Microsoft Word - report.doc" :
	    "Microsoft Excel - budget.xls", users[RV(2, NUSERS)],
	    1 + RV(3, 30), RV(4, 250), 1 + RV(5, 250), RV(6, 2000000),
	    1 + RV(7, 40));
}

/* The lines of fault episodes (and of an IMS seen running). */
enum tmpl {
	P_4143, P_4058, P_4071, P_4072, P_100, P_APP2140, P_1023, P_4018,
	P_4116, P_SCM7023, P_SCM7000, P_SCM7024, P_RUNNING
};

static void	 render_fault(struct ev *, const struct host *, int);

static void
noise_line(struct out *o, int64_t arr_ms)
{
	struct ev e;
	struct host *h;
	char ht[32], line[512];
	unsigned r = rn(1000);
	int64_t evt;
	uint32_t pj = 0;
	int n, pooled_host = 0;

	if (r < 5) {
		/* Not Windows at all: the collector gets other syslog too. */
		unsigned pid = 1000 + rn(30000), a = rn(250), b = rn(250),
		    c = 1024 + rn(60000);

		fmt_hdrtime(ht, sizeof(ht), arr_ms / 1000, ' ');
		switch (rn(3)) {
		case 0:
			n = snprintf(line, sizeof(line), "<38>%s ns1 sshd[%u]: "
			    "Accepted publickey for admin from 10.1.%u.%u port "
			    "%u ssh2: RSA SHA256:Jx0qVfX2mZ0b2yZk8m1vQ0aLwq", ht,
			    pid, a, b, c);
			break;
		case 1:
			n = snprintf(line, sizeof(line), "<78>%s gw1 CRON[%u]: "
			    "(root) CMD (/usr/lib/sa/sa1 1 1 >/dev/null 2>&1; run "
			    "%u.%u id %u)", ht, pid, a, b, c);
			break;
		default:
			n = snprintf(line, sizeof(line), "<30>%s relay1 "
			    "rsyslogd[%u]: imudp: %u.%u messages dropped in the "
			    "last %u seconds; queue size is nominal.", ht, pid, a,
			    b, c);
			break;
		}
		line[n++] = '\n';
		put(o, line, (size_t)n);
		o->other++;
		return;
	}
	if (r < 355) {
		h = &hosts[NEXCH + rn(NDC)];
		r = rn(100);
		if (r < 35)
			noise_security(&e, 528, h);
		else if (r < 60)
			noise_security(&e, 540, h);
		else if (r < 85)
			noise_security(&e, 538, h);
		else if (r < 90)
			noise_scm(&e);
		else
			noise_netlogon_dns(&e);
	} else if (r < 600) {
		h = &hosts[NEXCH + NDC + rn(NSRV)];
		r = rn(100);
		if (r < 30)
			noise_security(&e, 540, h);
		else if (r < 60)
			noise_security(&e, 538, h);
		else if (r < 70)
			noise_security(&e, 528, h);
		else if (r < 85)
			noise_scm(&e);
		else if (r < 92)
			noise_netlogon_dns(&e);
		else
			noise_print(&e);
	} else {
		h = &hosts[rn(NEXCH)];
		noise_exchange(&e, h);
	}
	if (npool > 0 && r < 600) {
		/* -H: from one of the further Exchange servers instead. */
		if (pool_intro < npool) {
			pj = pool_intro++;
			h = pool_get(pj);
			render_fault(&e, h, P_RUNNING);
		} else {
			/* Its own draws: the other lines stay as they were. */
			pj = (uint32_t)((mix(++pool_rng) >> 32) * npool >> 32);
			h = pool_get(pj);
		}
		pooled_host = 1;
	}
	/* The forwarder sends a moment after the event. */
	evt = arr_ms / 1000 - rn(3);
	emit(o, h, arr_ms, evt, &e);
	if (pooled_host)
		pool_put(pj);
}

/* ----------------------------------------------------------- episodes */

/* One fault line waiting for its arrival time. */
struct pending {
	int64_t		 arr_ms;
	int64_t		 evt;
	uint32_t	 seq;
	uint16_t	 host;
	uint8_t		 tmpl;
};

static struct pending *pend;
static size_t npend, cappend;

static void
pend_add(int host, int tmpl, int64_t evt, int64_t arr_ms)
{
	if (npend == cappend) {
		cappend = cappend ? cappend * 2 : 4096;
		if ((pend = realloc(pend, cappend * sizeof(*pend))) == NULL) {
			perror("gencorpus");
			exit(2);
		}
	}
	pend[npend].arr_ms = arr_ms;
	pend[npend].evt = evt;
	pend[npend].seq = (uint32_t)npend;
	pend[npend].host = (uint16_t)host;
	pend[npend].tmpl = (uint8_t)tmpl;
	npend++;
}

static int
pend_cmp(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->arr_ms != y->arr_ms)
		return x->arr_ms < y->arr_ms ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
render_fault(struct ev *e, const struct host *h, int tmpl)
{
	const char *svc = h->v40 ? "Internet Mail Connector" :
	    "Internet Mail Service";

	switch (tmpl) {
	case P_4143:
		ev_init(e, L_APP, 4143, "MSExchangeIMC", T_ERR,
		    "Initialization/Termination");
		snprintf(e->text, sizeof(e->text),
		    "The IMS service account has no administrator rights; "
		    "SSL support requires an administrator account.");
		e->item = I_4143;
		break;
	case P_4058:
		ev_init(e, L_APP, 4058, "MSExchangeIMC", T_ERR,
		    "Initialization/Termination");
		snprintf(e->text, sizeof(e->text),
		    "The Internet Mail Connector could not start: its name "
		    "resolver failed to initialize. Set a DNS domain name in "
		    "the TCP/IP settings.");
		e->item = I_4058;
		break;
	case P_4071:
		ev_init(e, L_APP, 4071, "MSExchangeIMC", T_ERR,
		    "Initialization/Termination");
		snprintf(e->text, sizeof(e->text),
		    "The Internet Mail Service could not start because it is "
		    "not configured yet. Configure it under Connections in "
		    "the Exchange Administrator.");
		e->item = I_4071;
		break;
	case P_4072:
		ev_init(e, L_APP, 4072, "MSExchangeIMC", T_ERR,
		    "Initialization/Termination");
		snprintf(e->text, sizeof(e->text),
		    "The Internet Mail Service could not open its "
		    "administrator mailbox.");
		e->item = I_4072;
		break;
	case P_100:
		ev_init(e, L_APP, 100, "MSExchangeIMC", T_ERR, "None");
		snprintf(e->text, sizeof(e->text),
		    "The %s could not resolve the administrator mailbox "
		    "configured on the Internet Mail tab.", svc);
		e->item = I_100;
		break;
	case P_APP2140:
		ev_init(e, L_APP, 2140, "MSExchangeIMC", T_ERR, "None");
		snprintf(e->text, sizeof(e->text),
		    "The %s reported error 2140 while starting.", svc);
		e->item = I_APP2140;
		e->status = S_START_FAILED;
		break;
	case P_1023:
		ev_init(e, L_APP, 1023, "MSExchangeIS Private", T_AUDFAIL,
		    "Logons");
		e->user = "CORP\\svc-exch";
		e->sidtype = "User";
		snprintf(e->text, sizeof(e->text),
		    "CORP\\svc-exch was validated as /o=Contoso/ou=Site1/"
		    "cn=Configuration/cn=Connections/cn=%s (%s) but could not "
		    "log on to /o=Contoso/ou=Site1/cn=Configuration/"
		    "cn=Connections/cn=%s (%s)", svc, h->name, svc, h->name);
		e->item = I_1023;
		break;
	case P_4018:
		ev_init(e, L_APP, 4018, "MSExchangeIMC", T_ERR,
		    "Initialization/Termination");
		snprintf(e->text, sizeof(e->text),
		    "The %s could not start: MAPI initialization failed.", svc);
		e->item = I_4018;
		break;
	case P_4116:
		ev_init(e, L_APP, 4116, "MSExchangeIMC", T_ERR,
		    "Internal Processing");
		snprintf(e->text, sizeof(e->text),
		    "The messaging software returned an error while the "
		    "Internet Mail Service processed a message; the message "
		    "was moved to the BAD folder.");
		e->item = I_4116;
		e->status = S_DEGRADED;
		break;
	case P_SCM7023:
		ev_init(e, L_SYS, 7023, "Service Control Manager", T_ERR,
		    "None");
		snprintf(e->text, sizeof(e->text),
		    "The Microsoft Exchange %s service terminated with the "
		    "following error: %%%%2140", svc);
		e->item = I_SCM2140;
		e->status = S_START_FAILED;
		break;
	case P_SCM7000:
		ev_init(e, L_SYS, 7000, "Service Control Manager", T_ERR,
		    "None");
		snprintf(e->text, sizeof(e->text),
		    "The Microsoft Exchange %s service failed to start due to "
		    "the following error: %%%%2140", svc);
		e->item = I_SCM2140;
		e->status = S_START_FAILED;
		break;
	case P_SCM7024:
		ev_init(e, L_SYS, 7024, "Service Control Manager", T_ERR,
		    "None");
		snprintf(e->text, sizeof(e->text),
		    "The Microsoft Exchange %s service terminated with "
		    "service-specific error 2140.", svc);
		e->item = I_SCM2140;
		e->status = S_START_FAILED;
		break;
	case P_RUNNING:
		ev_init(e, L_SYS, 7036, "Service Control Manager", T_INFO,
		    "None");
		snprintf(e->text, sizeof(e->text),
		    "The Microsoft Exchange %s service entered the running "
		    "state.", svc);
		e->status = S_RUNNING;
		break;
	}
}

/* The SCM's report of the failed start, as this host's Windows writes it. */
static int
scm_tmpl(const struct host *h)
{
	unsigned r = rn(10);

	if (h->v40)
		return P_SCM7000;
	return r < 7 ? P_SCM7023 : r < 9 ? P_SCM7000 : P_SCM7024;
}

/*
 * One failed start with a known cause: the IMS's own events in the
 * Application log, then the SCM's in the System log.  "late" sends the
 * Application log's lines after the System log's (out of order).
 */
/* The SCM's line for a failed start at evt, arriving at arr s + [0, 1) s. */
static void
pend_scm(int hi, int64_t evt, int64_t arr)
{
	int tmpl = scm_tmpl(&hosts[hi]);
	int64_t ms = rn(1000);

	pend_add(hi, tmpl, evt, arr * 1000 + ms);
}

static void
episode_disc(int hi, int art, int64_t t, int late)
{
	int64_t d_app = late ? 20 + rn(40) : rn(3);
	int64_t d_sys = rn(2);
	int64_t ta;

	/* ta: the IMS's events; the SCM logs the failure a second or two on. */
	ta = t;
	switch (art) {
	case A_Q173496:
		pend_add(hi, P_4143, ta, (ta + d_app) * 1000 + rn(1000));
		pend_scm(hi, ta + 1 + (d_sys ^ 1), ta + 3 + d_sys);
		break;
	case A_Q154589:
		pend_add(hi, P_4058, ta, (ta + d_app) * 1000 + rn(1000));
		pend_add(hi, P_SCM7000, ta + 1, (ta + 2 + d_sys) * 1000 +
		    rn(1000));
		break;
	case A_Q183178:
		if (late && rn(2)) {
			/* The supporting 4072 first: no fault until 4071. */
			pend_add(hi, P_4072, ta, (ta + 1) * 1000 + rn(500));
			pend_add(hi, P_4071, ta, (ta + d_app) * 1000 + rn(1000));
		} else {
			pend_add(hi, P_4071, ta, (ta + d_app) * 1000 + rn(500));
			pend_add(hi, P_4072, ta, (ta + d_app) * 1000 + 500 +
			    rn(500));
		}
		break;
	case A_Q246115:
		pend_add(hi, P_APP2140, ta, (ta + d_app) * 1000 + rn(500));
		pend_add(hi, P_100, ta + 1, (ta + 1 + d_app) * 1000 + rn(1000));
		if (rn(3) == 0)
			pend_scm(hi, ta + 2, ta + 3 + d_sys);
		break;
	case A_Q306308:
		pend_add(hi, P_1023, ta - 2, (ta - 2 + d_app) * 1000 + rn(1000));
		pend_add(hi, P_4018, ta, (ta + d_app) * 1000 + rn(1000));
		if (rn(2))
			pend_add(hi, P_4116, ta + 1, (ta + 1 + d_app) * 1000 +
			    rn(1000));
		pend_scm(hi, ta + 2, ta + 3 + d_sys);
		break;
	}
}

static int
other_article(const struct host *h)
{
	static const int a40[] = { A_Q154589, A_Q246115, A_Q306308 };
	static const int a55[] = { A_Q173496, A_Q183178, A_Q246115,
	    A_Q306308 };

	return h->v40 ? a40[rn(3)] : a55[rn(4)];
}

struct counts {
	unsigned long	 episodes, disc, late, lone, refined, recovery, retry;
};

static void
schedule(uint64_t nlines, struct counts *c)
{
	int hi, k, nep, kind, art;
	int64_t slot, t;

	for (hi = 0; hi < NEXCH; hi++) {
		struct host *h = &hosts[hi];

		if (!h->affected)
			continue;
		/* About 17 episodes a host at 1M lines; fewer on small runs. */
		nep = (int)((10 + rn(15)) * (double)nlines / 1e6 + 0.5);
		if (nep < 1)
			nep = 1;
		if (nep > 24)
			nep = 24;
		slot = DAY / nep;
		for (k = 0; k < nep; k++) {
			/* Episodes at least 25 minutes apart in event time. */
			t = k * slot + 60 + rn((uint32_t)(slot - 1800));
			kind = rn(100);
			art = h->primary;
			c->episodes++;
			if (h->loneonly)
				kind = kind < 85 ? 60 : 90;
			if (kind < 45) {
				episode_disc(hi, art, t, 0);
				c->disc++;
			} else if (kind < 58) {
				episode_disc(hi, art, t, 1);
				c->late++;
			} else if (kind < 70) {
				pend_scm(hi, t, t + rn(2));
				c->lone++;
			} else if (kind < 78) {
				/* A lone failure, explained minutes later. */
				int64_t dt = 60 + rn(420);

				pend_scm(hi, t, t + rn(2));
				if (rn(10) >= 7)
					art = other_article(h);
				episode_disc(hi, art, t + dt, 0);
				c->refined++;
			} else if (kind < 86) {
				art = other_article(h);
				episode_disc(hi, art, t, (int)rn(2));
				c->disc++;
			} else if (kind < 93) {
				/* Someone fixed it: the IMS runs again. */
				pend_add(hi, P_RUNNING, t, t * 1000);
				c->recovery++;
			} else {
				/* The IMS is restarted a few times. */
				int r, nr = 2 + (int)rn(2);

				for (r = 0; r < nr; r++) {
					int64_t at = t + r * (60 + rn(60));

					episode_disc(hi, art, at, rn(4) == 0);
				}
				c->retry++;
			}
		}
	}
	qsort(pend, npend, sizeof(*pend), pend_cmp);
}

/* ---------------------------------------------------------------- main */

typedef char expline[40];	/* "HOST\tARTICLE" */

static int
expected_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static void
usage(void)
{
	fprintf(stderr, "usage: gencorpus [-n LINES] [-s SEED] [-H HOSTS] "
	    "CORPUS EXPECTED\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	uint64_t nlines = 1000000, seed = 20000314, nhosts = 0, i;
	struct counts c;
	struct out o;
	size_t pi = 0, ne = 0;
	expline *exp;
	FILE *ef;
	int a, hi, k, nfaults[NART + 1] = { 0 }, nh = 0, naff = 0;
	struct ev e;
	int64_t arr_ms;

	memset(&c, 0, sizeof(c));
	memset(&o, 0, sizeof(o));
	for (a = 1; a < argc && argv[a][0] == '-'; a++) {
		if (strcmp(argv[a], "-n") == 0 && a + 1 < argc)
			nlines = strtoull(argv[++a], NULL, 10);
		else if (strcmp(argv[a], "-s") == 0 && a + 1 < argc)
			seed = strtoull(argv[++a], NULL, 10);
		else if (strcmp(argv[a], "-H") == 0 && a + 1 < argc)
			nhosts = strtoull(argv[++a], NULL, 10);
		else
			usage();
	}
	if (argc - a != 2 || nlines == 0 ||
	    (nhosts != 0 && (nhosts <= NHOST || nhosts > 10000000)))
		usage();
	if (nhosts != 0) {
		npool = (uint32_t)(nhosts - NEXCH);
		if ((pool = calloc(npool, sizeof(*pool))) == NULL) {
			perror("gencorpus");
			return 2;
		}
	}
	rng = seed;
	if ((o.fp = fopen(argv[a], "w")) == NULL) {
		perror(argv[a]);
		return 2;
	}
	setvbuf(o.fp, NULL, _IOFBF, 1 << 20);
	hosts_init();
	schedule(nlines, &c);

	for (i = 0; i < nlines; i++) {
		arr_ms = (int64_t)(i * (uint64_t)DAY * 1000 / nlines);
		if (pi < npend && pend[pi].arr_ms <= arr_ms) {
			struct pending *p = &pend[pi++];

			render_fault(&e, &hosts[p->host], p->tmpl);
			emit(&o, &hosts[p->host], p->arr_ms, p->evt, &e);
			o.fault_lines++;
		} else
			noise_line(&o, arr_ms);
	}
	if (fclose(o.fp) != 0) {
		perror(argv[a]);
		return 2;
	}
	if (pi < npend)
		fprintf(stderr, "gencorpus: %zu fault lines did not fit\n",
		    npend - pi);

	if ((exp = calloc((size_t)NEXCH * MAX_FAULTS, sizeof(*exp))) == NULL) {
		perror("gencorpus");
		return 2;
	}
	for (hi = 0; hi < NEXCH; hi++) {
		struct model *m = &hosts[hi].m;
		int any = 0;

		naff += hosts[hi].affected;
		for (k = 0; k < m->nf; k++) {
			if (!m->f[k].open)
				continue;
			any = 1;
			nfaults[m->f[k].art == F_AMBIG ? NART : m->f[k].art]++;
			snprintf(exp[ne++], sizeof(exp[0]), "%.23s\t%s",
			    hosts[hi].name, m->f[k].art == F_AMBIG ?
			    "ambiguous" : art_id[m->f[k].art]);
		}
		nh += any;
	}
	qsort(exp, ne, sizeof(*exp), expected_cmp);
	if ((ef = fopen(argv[a + 1], "w")) == NULL) {
		perror(argv[a + 1]);
		return 2;
	}
	for (i = 0; i < ne; i++)
		fprintf(ef, "%s\n", exp[i]);
	if (fclose(ef) != 0) {
		perror(argv[a + 1]);
		return 2;
	}

	fprintf(stderr,
	    "corpus: %llu lines, %llu bytes (line length min %llu, mean %.0f, "
	    "max %llu)\n"
	    "corpus: snare %llu, evtsys %llu, other syslog %llu\n"
	    "corpus: %llu fault lines (%.2f%%) in %lu episodes on %d hosts "
	    "(%lu known cause, %lu out of order, %lu lone 2140, %lu lone "
	    "then explained, %lu retried, %lu recoveries)\n"
	    "expected: %zu open faults on %d hosts: ambiguous %d",
	    (unsigned long long)o.lines, (unsigned long long)o.bytes,
	    (unsigned long long)o.minlen, (double)o.bytes / (double)o.lines,
	    (unsigned long long)o.maxlen, (unsigned long long)o.snare,
	    (unsigned long long)o.evtsys, (unsigned long long)o.other,
	    (unsigned long long)o.fault_lines,
	    100.0 * (double)o.fault_lines / (double)o.lines, c.episodes,
	    naff, c.disc, c.late, c.lone, c.refined, c.retry, c.recovery,
	    ne, nh, nfaults[NART]);
	for (k = 0; k < NART; k++)
		fprintf(stderr, ", %s %d", art_id[k], nfaults[k]);
	fprintf(stderr, "\n");
	return 0;
}
