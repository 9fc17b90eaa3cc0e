/*
 * kb_base: what every other kb file uses, at the bottom of the folder:
 * the error list, array growth, article IDs, the accessors of a loaded
 * KB, names of enumerations, freeing.  It calls no other kb file, so the
 * loader (kb.c), the format (kb_parse.c), the compiler (kb_build.c) and
 * the matcher (kb_match.c) call down into it and never into each other
 * in a circle.
 */
#include "kb/kb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb/kb_int.h"
#include "util/span.h"

/*
 * Article IDs are "Q" and 1 to 8 digits.  They sort by number, so Q99999
 * comes before Q100000; equal numbers (Q0123, Q123) fall back to strcmp.
 */
int
kb_id_ok(const char *id)
{
	size_t n = strlen(id);

	return n >= 2 && n <= 9 && id[0] == 'Q' &&
	    span_all_digits(span_make(id + 1, n - 1));
}

int
kb_id_cmp(const char *a, const char *b)
{
	const char *x = a + 1, *y = b + 1;
	size_t nx, ny;
	int c;

	if (!kb_id_ok(a) || !kb_id_ok(b))
		return strcmp(a, b);
	while (*x == '0' && x[1] != '\0')
		x++;
	while (*y == '0' && y[1] != '\0')
		y++;
	nx = strlen(x);
	ny = strlen(y);
	if (nx != ny)
		return nx < ny ? -1 : 1;
	if ((c = strcmp(x, y)) != 0)
		return c;
	return strcmp(a, b);
}

void
kb_err(struct kb_draft *d, const char *file, int line, const char *fmt, ...)
{
	struct kb_error *e;
	char msg[200];
	va_list ap;

	d->nerr++;
	if (d->errs == NULL)
		return;
	d->errs->total++;
	if (d->errs->n >= KB_ERR_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e = &d->errs->err[d->errs->n++];
	if (line > 0)
		snprintf(e->msg, sizeof(e->msg), "%s:%d: %s", file, line, msg);
	else
		snprintf(e->msg, sizeof(e->msg), "%s: %s", file, msg);
}

/* Room for need elements: the (maybe moved) array, or NULL (p kept). */
void *
kb_grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;

	if (need <= *cap)
		return p;
	ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap *= 2;
	if ((p = reallocarray(p, ncap, size)) == NULL)
		return NULL;
	*cap = ncap;
	return p;
}

void
kb_free(struct kb *kb)
{
	size_t i;

	if (kb == NULL)
		return;
	free(kb->arts);
	free(kb->items);
	free(kb->item_class);
	free(kb->refs);
	free(kb->art_items);
	free(kb->rules);
	for (i = 0; i < kb->nfiles; i++)
		free(kb->files[i]);
	free(kb->files);
	free(kb->slots);
	free(kb->cands);
	free(kb->ident_items);
	free(kb->ident_rules);
	free(kb);
}

size_t
kb_narticles(const struct kb *kb)
{
	return kb->narts;
}

const struct kb_article *
kb_article(const struct kb *kb, size_t i)
{
	return i < kb->narts ? &kb->arts[i] : NULL;
}

/* By ID ("Q173496"; a lower-case q is accepted), in O(log n). */
const struct kb_article *
kb_find(const struct kb *kb, const char *id)
{
	char want[KB_ID_MAX];
	size_t lo = 0, hi = kb->narts, mid;
	int c;

	if (id == NULL || strlen(id) >= sizeof(want))
		return NULL;
	memcpy(want, id, strlen(id) + 1);
	if (want[0] == 'q')
		want[0] = 'Q';
	if (!kb_id_ok(want))
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = kb_id_cmp(want, kb->arts[mid].id)) == 0)
			return &kb->arts[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t
kb_nitems(const struct kb *kb)
{
	return kb->nitems;
}

const struct kb_item *
kb_item(const struct kb *kb, size_t i)
{
	return i < kb->nitems ? &kb->items[i] : NULL;
}

size_t
kb_nstatus_rules(const struct kb *kb)
{
	return kb->nrules;
}

const char *
kb_role_name(enum kb_role r)
{
	static const char *const names[KB_ROLE__MAX] = {
		"discriminating", "supporting", "symptom"
	};

	return (unsigned)r < KB_ROLE__MAX ? names[r] : "unknown";
}

const char *
kb_severity_name(enum kb_severity s)
{
	static const char *const names[KB_SEV__MAX] = {
		"critical", "major", "minor", "warning"
	};

	return (unsigned)s < KB_SEV__MAX ? names[s] : "unknown";
}

const char *
kb_origin_name(enum kb_origin o)
{
	static const char *const names[KB_ORIGIN__MAX] = {
		"curated", "generated", "reference"
	};

	return (unsigned)o < KB_ORIGIN__MAX ? names[o] : "unknown";
}

const char *
ims_status_name(enum ims_status s)
{
	static const char *const names[IMS_STATUS__MAX] = {
		"unknown", "running", "stopped", "start-failed", "degraded",
		"silent"
	};

	return (unsigned)s < IMS_STATUS__MAX ? names[s] : "unknown";
}
