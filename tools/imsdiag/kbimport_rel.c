/*
 * kbimport_rel: relevance: does the article describe the IMS failing (not
 * starting, stopping, refusing mail)?  docs/kb-import.md, "Relevance".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kbimport_int.h"
#include "util/norm.h"
#include "util/span.h"

/* Mail refused, or not flowing: a failure when the title says it. */
static const char *const kbi_refuse[] = {
	"cannot receive", "can't receive", "unable to receive",
	"cannot send", "can't send", "unable to send", "refuses",
	"rejects", "not accepting", "not be delivered",
	"not delivered", "not be sent", "not sent", "sitting in",
	"staying in", "stuck in", "not flowing", "no mail flow",
};

/* Words between a subject and its verb: "mail may not be delivered". */
static const char *const kbi_aux[] = {
	"may", "might", "can", "could", "will", "would", "is", "are", "be",
	"being", "been", "not", "still", "also", "then", "sometimes", "do",
	"does", "often",
};

/* An IMS event saying its connection failed: outbound mail waits. */
static const char *const kbi_noconnect[] = {
	"could not be made", "could not be established", "could not connect",
	"unable to connect", "cannot connect", "can't connect",
};

static int	ev_ims(const struct kbimport_ev *);

/* Does the text say the service does not start, or stops? */
void
kbi_says(struct kbi_scan *sc, const char *text)
{
	int r = kbi_says_fail(text);

	if (r & 1)
		sc->says_start = 1;
	if (r & 2)
		sc->says_stop = 1;
}

/* 1: the text says a service does not start; 2: that it stops; or both. */
int
kbi_says_fail(const char *text)
{
	static const char *const start[] = {
		"not start", "n't start", "fail to start", "fails to start",
		"failed to start", "unable to start", "cannot start",
		"can't start", "could not start", "error 2140", "error 1067",
		"when starting", "when you start", "when restarting",
	};
	static const char *const stop[] = {
		"stops", "stop responding", "stopped", "shut down",
		"shuts down", "shutting down", "terminates", "terminated",
		"hang", "hangs", "access violation", "stop delivering",
		"stop processing",
	};
	char norm[KBI_PARA_MAX];
	size_t k;
	int r = 0;

	norm_text(norm, sizeof(norm), span_cstr(text));
	for (k = 0; k < sizeof(start) / sizeof(start[0]); k++)
		if (kbi_has_phrase(norm, start[k]))
			r |= 1;
	for (k = 0; k < sizeof(stop) / sizeof(stop[0]); k++)
		if (kbi_has_phrase(norm, stop[k]))
			r |= 2;
	return r;
}

/*
 * Does the text say that mail in general is refused or stuck ("mail is
 * sitting in the queue", "messages may not be delivered")?  The subject
 * before the phrase, past auxiliaries, must be "mail" or "messages": one
 * message not delivered is that message's problem, not the service's.
 */
int
kbi_refuses_mail(const char *text)
{
	char norm[KBI_PARA_MAX];
	const char *q, *w, *e;
	size_t k, a, n;

	norm_text(norm, sizeof(norm), span_cstr(text));
	for (k = 0; k < sizeof(kbi_refuse) / sizeof(kbi_refuse[0]); k++) {
		n = strlen(kbi_refuse[k]);
		for (q = norm; (q = strstr(q, kbi_refuse[k])) != NULL; q++) {
			if ((q > norm && kbi_is_alpha((unsigned char)q[-1])) ||
			    kbi_is_alpha((unsigned char)q[n]))
				continue;
			/* Walk back over the words before the phrase. */
			for (e = q; ; e = w) {
				while (e > norm && !kbi_is_alpha((unsigned char)
				    e[-1]))
					e--;
				for (w = e; w > norm && (kbi_is_alpha(
				    (unsigned char)w[-1]) || w[-1] == '-'); w--)
					;
				if (w == e)
					break;
				for (a = 0; a < sizeof(kbi_aux) /
				    sizeof(kbi_aux[0]); a++)
					if ((size_t)(e - w) ==
					    strlen(kbi_aux[a]) && memcmp(w,
					    kbi_aux[a], (size_t)(e - w)) == 0)
						break;
				if (a == sizeof(kbi_aux) / sizeof(kbi_aux[0]))
					break;
			}
			if (((size_t)(e - w) == 4 && memcmp(w, "mail", 4) == 0) ||
			    ((size_t)(e - w) == 6 &&
			    memcmp(w, "e-mail", 6) == 0) ||
			    ((size_t)(e - w) == 8 &&
			    memcmp(w, "messages", 8) == 0))
				return 1;
		}
	}
	return 0;
}

/* Does an IMS event's description say its connection failed? */
int
kbi_no_connect(const char *desc)
{
	char norm[KBI_DESC_MAX];
	size_t k;

	norm_text(norm, sizeof(norm), span_cstr(desc));
	for (k = 0; k < sizeof(kbi_noconnect) / sizeof(kbi_noconnect[0]); k++)
		if (kbi_has_phrase(norm, kbi_noconnect[k]))
			return 1;
	return 0;
}

/*
 * Is the article about the IMS failing (not starting, stopping, refusing
 * mail)?  Judged from its own structure: the title, the SYMPTOMS (or
 * SUMMARY), the events.  A list of fixes or release notes, an article
 * that names the IMS in neither title nor SYMPTOMS, one that describes
 * no failure of it, or one without any event of the IMS is a reference
 * entry: browsable, never a fault by itself.
 */
void
kbi_relevance(struct kbi_scan *sc)
{
	static const char *const lists[] = {
		"list of", "readme", "release notes", "bugs fixed",
		"fixes", "descriptions are missing", "could not be found",
	};
	struct kbimport_article *a = sc->a;
	struct span t = span_cstr(a->title);
	const char *why = NULL;
	size_t k;
	char norm[KB_TITLE_MAX];
	int ims_ev = 0, ims_sym = sc->ims_symptoms, refuse = 0;

	for (k = 0; k < a->nev; k++) {
		ims_ev |= ev_ims(&a->ev[k]);
		/* An IMS event block in SYMPTOMS names the IMS too. */
		if (!a->ev[k].mentioned && !a->ev[k].source_assumed &&
		    strcmp(a->ev[k].source, SRC_IMC) == 0 &&
		    (a->ev[k].sect == KBIMPORT_SECT_SYMPTOMS ||
		    a->ev[k].sect == KBIMPORT_SECT_SUMMARY))
			ims_sym = 1;
	}
	for (k = 0; k < sizeof(lists) / sizeof(lists[0]) && why == NULL; k++)
		if (kbi_ci_find(t, lists[k]) >= 0)
			why = "a list, notes or message-file article, not one "
			    "failure";
	if (why == NULL && !kbi_names_ims(t) && !ims_sym)
		why = "names the IMS in neither its title nor its SYMPTOMS";
	norm_text(norm, sizeof(norm), t);
	for (k = 0; k < sizeof(kbi_refuse) / sizeof(kbi_refuse[0]); k++)
		refuse |= kbi_has_phrase(norm, kbi_refuse[k]);
	if (kbi_names_ims(t) && (refuse || kbi_says_fail(a->title)))
		sc->says_ims_fails = 1;
	refuse |= sc->says_refuse;
	if (why == NULL && !sc->says_start && !sc->says_stop && !refuse)
		why = "describes no IMS failure (not starting, stopping, "
		    "refusing mail)";
	/* Another service's events count when the text says the IMS
	 * itself fails ("the IMS and the store hang", "mail sits in the
	 * MTA queue instead of leaving through the IMS"). */
	if (why == NULL && a->nev > 0 && !ims_ev && !sc->says_ims_fails)
		why = "names no event of the IMS or of its start failure";
	a->reference = why != NULL;
	snprintf(a->reference_why, sizeof(a->reference_why), "%s",
	    why != NULL ? why : "");
}

/* An event of the IMS itself, or the report of its start failure. */
static int
ev_ims(const struct kbimport_ev *e)
{
	if (e->use[0] != '\0')
		return 1;
	return strcmp(e->source, SRC_IMC) == 0 ||
	    (strcmp(e->source, SRC_SCM) == 0 && e->ngroups > 0);
}
