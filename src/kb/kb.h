/*
 * kb: the knowledge base.  A directory of *.kb files (docs/kb-format.md)
 * compiles into one immutable struct kb: articles, shared symptoms,
 * status rules, and a dispatch index from (source, event ID) to the
 * evidence items that could match, so the cost of matching one event does
 * not grow with the number of articles.
 *
 * Loading is all or nothing: any error and kb_load() returns NULL with
 * every problem listed as "file:line: message" in the error list (errno
 * EINVAL; ENOMEM if memory ran out).  The error list may be NULL.
 */
#ifndef IMSMON_KB_H
#define IMSMON_KB_H

#include <stddef.h>
#include <stdint.h>

#include "util/evt.h"

#define KB_ID_MAX	16	/* "Q306308", with NUL */
#define KB_NAME_MAX	48	/* symptom names */
#define KB_TITLE_MAX	160
#define KB_TEXT_MAX	1024	/* cause, resolution */
#define KB_VERSIONS_MAX	32
#define KB_SEEALSO_MAX	8
#define KB_IDS_MAX	8	/* event IDs in one match */
#define KB_GROUPS_MAX	4	/* AND-ed text groups in one match */
#define KB_ALTS_MAX	4	/* OR-ed fragments in one group */
#define KB_FRAG_MAX	96	/* one text fragment, with NUL */
#define KB_ERR_MAX	64	/* errors kept by a failed load */
#define KB_LINE_MAX	4096	/* one physical line, without its newline */
#define KB_FILE_MAX	(1024 * 1024)	/* one .kb file */
#define KB_FILES_MAX	4096	/* .kb files in one directory */

enum kb_role {
	KB_ROLE_DISCRIMINATING = 0,
	KB_ROLE_SUPPORTING,
	KB_ROLE_SYMPTOM,
	KB_ROLE__MAX
};

enum ims_status {
	IMS_STATUS_UNKNOWN = 0,
	IMS_STATUS_RUNNING,
	IMS_STATUS_STOPPED,
	IMS_STATUS_START_FAILED,
	IMS_STATUS_DEGRADED,
	IMS_STATUS_SILENT,	/* not heard from (serverSilenceTimeout): set
				   by the store, never by a KB rule */
	IMS_STATUS__MAX
};

enum kb_severity {
	KB_SEV_CRITICAL = 0,
	KB_SEV_MAJOR,
	KB_SEV_MINOR,
	KB_SEV_WARNING,
	KB_SEV__MAX
};

/*
 * Where an article comes from.  Curated entries were reviewed; generated
 * ones are importer drafts (they may add candidates, never displace a
 * curated diagnosis); reference entries are listed but open no fault.
 * Values + 1 are the MIB's enumeration.
 */
enum kb_origin {
	KB_ORIGIN_CURATED = 0,
	KB_ORIGIN_GENERATED,
	KB_ORIGIN_REFERENCE,
	KB_ORIGIN__MAX
};

/* A condition on one event: every field set must hold. */
struct kb_match {
	char		 source[64];	/* normalised (norm_source); "" = any */
	char		 source_name[64];	/* as the KB wrote it, for display */
	uint16_t	 ids[KB_IDS_MAX];
	uint8_t		 nids;		/* 0 only if text-only (not yet used) */
	enum evt_type	 type;		/* EVT_TYPE_UNKNOWN = any */
	char		 log[16];	/* lower case; "" = any */
	uint8_t		 ngroups;
	uint8_t		 nalts[KB_GROUPS_MAX];
	char		 text[KB_GROUPS_MAX][KB_ALTS_MAX][KB_FRAG_MAX];
					/* lower case, normalised like norm_text */
	/*
	 * Modifiers of an article's evidence line (never of symptoms or
	 * status rules); they belong to the article's kb_ref, not to the
	 * shared item, and take no part in deciding whether two matches
	 * are the same item.
	 */
	/*
	 * What identifies the event when a forwarder sends no event ID
	 * (NXLog to_syslog_bsd, NTsyslog classic, Adiscon's default):
	 * alternatives, normalised like text.  Matched only for such events.
	 */
	uint8_t		 nident;
	char		 ident[KB_ALTS_MAX][KB_FRAG_MAX];
	uint8_t		 absent;	/* the article needs it NOT seen */
	uint8_t		 required;	/* missing, it counts against */
	uint16_t	 repeat;	/* counts once seen this often */
	uint8_t		 guessed;	/* source guessed by the importer */
};

/* One article's use of an evidence item. */
struct kb_ref {
	uint32_t	 article;	/* index into the article array */
	enum kb_role	 role;
	double		 weight;	/* computed at load: role and specificity */
	uint8_t		 absent;	/* seen in the episode: article ruled out */
	uint8_t		 required;	/* not seen: weight counts against */
	uint16_t	 repeat;	/* counts only once seen this often */
	uint8_t		 guessed;	/* source guessed: weighs less */
	/*
	 * Set at load (docs/kb-format.md, "Evidence families"): weak, the
	 * item has no text pattern while another article of the same or a
	 * higher origin narrows the same event by one, so it cannot
	 * discriminate alone; shadowed, a draft's (or reference entry's)
	 * use of an event a curated article covers: it weighs nothing and
	 * never discriminates.
	 */
	uint8_t		 weak;
	uint8_t		 shadowed;
	const char	*file;		/* where it was declared */
	int		 line;
};

/*
 * An evidence item: one distinct match.  Identical matches declared by
 * several articles (or a shared symptom used by several) are one item with
 * several refs: that is how specificity is known at load time.
 */
struct kb_item {
	uint32_t	 index;
	uint32_t	 family;	/* first item with the same (source,
					   IDs, log, type): text refines it */
	struct kb_match	 match;
	char		 symptom[KB_NAME_MAX];	/* "" unless a shared symptom */
	enum ims_status	 implies;	/* status the item alone implies */
	struct kb_ref	*refs;
	size_t		 nrefs;
};

struct kb_article {
	uint32_t	 index;
	char		 id[KB_ID_MAX];
	char		 title[KB_TITLE_MAX];
	char		 versions[KB_VERSIONS_MAX];
	enum kb_severity severity;
	enum ims_status	 implies;
	enum kb_origin	 origin;
	int		 reviewed;	/* cause and resolution were written;
					   else they read "not yet reviewed:
					   see KB article Q..." */
	char		 cause[KB_TEXT_MAX];
	char		 resolution[KB_TEXT_MAX];
	char		 see_also[KB_SEEALSO_MAX][KB_ID_MAX];
	size_t		 nsee_also;
	uint32_t	*items;		/* the evidence items it refers to */
	size_t		 nitems;
	const char	*file;
};

/* A status rule: events meaning the IMS is running / stopped / ... */
struct kb_status_rule {
	struct kb_match	 match;
	enum ims_status	 status;
	const char	*file;
	int		 line;
};

struct kb_error {
	char		 msg[256];	/* "file:line: what is wrong" */
};

struct kb_errors {
	struct kb_error	 err[KB_ERR_MAX];
	size_t		 n;		/* kept */
	size_t		 total;		/* found, may exceed KB_ERR_MAX */
};

/* What one event matched. */
#define KB_HITS_MAX	32
struct kb_hits {
	const struct kb_item		*item[KB_HITS_MAX];
	size_t				 nitem;
	const struct kb_status_rule	*status[KB_HITS_MAX];
	size_t				 nstatus;
	int				 dispatched;	/* any candidate looked at */
};

struct kb;

struct kb	*kb_load(const char *dir, struct kb_errors *);
struct kb	*kb_load_files(const char *const *paths, size_t n,
		    struct kb_errors *);
void		 kb_free(struct kb *);

size_t		 kb_narticles(const struct kb *);
const struct kb_article *kb_article(const struct kb *, size_t);
const struct kb_article *kb_find(const struct kb *, const char *id);
size_t		 kb_nitems(const struct kb *);
const struct kb_item *kb_item(const struct kb *, size_t);
/* The item with the same match, if any: for re-mapping on reload. */
const struct kb_item *kb_item_find(const struct kb *,
		    const struct kb_match *);
size_t		 kb_nstatus_rules(const struct kb *);
/*
 * Warnings about a loaded KB (kb_lint.c), as "file: message" in w (the
 * error list's shape): drafts that can never be diagnosed, articles no
 * ID-less forwarder can name, articles with the same discriminating
 * evidence.  Returns the number found.
 */
size_t		 kb_lint(const struct kb *, struct kb_errors *);

/*
 * Match one event.  Only items indexed under (source, id) or (any, id)
 * are examined; text is normalised into scratch (size scratchsz) only when
 * a candidate has text conditions.  Returns the number of hits.
 */
size_t		 kb_match(const struct kb *, const struct evt *,
		    struct kb_hits *, char *scratch, size_t scratchsz);

/*
 * Does one match hold for this event (scratch as above)?  *normed, when
 * normed is not NULL, says scratch already holds the event's normalised
 * text; it is set when this call normalises it.
 */
int		 kb_match_one(const struct kb_match *, const struct evt *,
		    char *scratch, size_t scratchsz, int *normed);

/*
 * kb_infer.c: an event that came without an ID, recognised from its text.
 * kb_infer() answers which declared event of the record's source (any
 * source, if it names none) its description matches, by the 'ident'
 * wording: 1 and *out when exactly one (source, ID) does, 0 when none or
 * several do (then kb_match() goes by the wording alone).  scratch as for
 * kb_match().
 */
struct kb_inferred {
	uint16_t		 id;
	const char		*source;	/* normalised; "" = any */
	const char		*source_name;	/* as the KB wrote it */
	const struct kb_match	*match;		/* whose wording it was */
};
int		 kb_infer(const struct kb *, const struct evt *, char *,
		    size_t, struct kb_inferred *);

/*
 * The declared events (evidence items and status rules with an ID) that
 * no wording identifies: a record of one of them that comes without its
 * ID cannot be recognised.  fn(arg, match, file, line) for each, where
 * it is declared; returns how many.
 */
typedef void	 kb_unworded_fn(void *, const struct kb_match *,
		    const char *, int);
size_t		 kb_infer_unworded(const struct kb *, kb_unworded_fn *,
		    void *);

const char	*kb_role_name(enum kb_role);
const char	*kb_severity_name(enum kb_severity);
const char	*kb_origin_name(enum kb_origin);
const char	*ims_status_name(enum ims_status);
/* One line, e.g. `msexchangeimc 4143 type=error`; -1 EMSGSIZE if cut. */
int		 kb_match_format(const struct kb_match *, char *, size_t);

#endif /* IMSMON_KB_H */
