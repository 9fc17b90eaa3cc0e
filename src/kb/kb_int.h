/*
 * kb internals, shared by kb_base.c (errors, IDs, accessors: the bottom),
 * kb.c (loading), kb_parse.c (the file format), kb_build.c (cross-checks
 * and compilation) and kb_match.c (dispatch and matching).  Nothing outside these files includes it.
 */
#ifndef IMSMON_KB_INT_H
#define IMSMON_KB_INT_H

#include <stddef.h>
#include <stdint.h>

#include "kb/kb.h"

#define KB_WORD_MAX	256	/* one word or quoted string, with NUL */
#define KB_LOGICAL_MAX	8192	/* a keyword line with its continuations */
#define KB_SEGS_MAX	64	/* physical lines in one logical line */

/* One evidence line of an article, as parsed. */
struct kb_dev {
	enum kb_role	 role;
	int		 use;		/* names a shared symptom */
	char		 symptom[KB_NAME_MAX];
	struct kb_match	 match;		/* unless use */
	int		 line;
	uint32_t	 item;		/* set while building */
};

/* An article as parsed, before cross-checks. */
struct kb_dart {
	struct kb_article a;
	int		 line;
	int		 bad;		/* unusable ID: skip cross-checks */
	unsigned	 seen;		/* KW_* bits of keywords given */
	int		 cause_todo;	/* line of a TODO cause, or 0 */
	int		 res_todo;
	int		 see_line[KB_SEEALSO_MAX];
	struct kb_dev	*ev;
	size_t		 nev, evcap;
};

/* A shared symptom as parsed. */
struct kb_dsym {
	char		 name[KB_NAME_MAX];
	enum ims_status	 implies;
	unsigned	 seen;
	const char	*file;
	int		 line;
	int		 bad;
	struct kb_match	*m;
	int		*mline;
	uint32_t	*mitem;		/* set while building */
	size_t		 nm, mcap;
};

/* Everything parsed from all files, plus the error sink. */
struct kb_draft {
	struct kb_errors *errs;
	size_t		 nerr;
	char		**files;
	size_t		 nfiles, filecap;
	struct kb_dart	*arts;
	size_t		 narts, artcap;
	struct kb_dsym	*syms;
	size_t		 nsyms, symcap;
	struct kb_status_rule *rules;
	size_t		 nrules, rulecap;
};

/* Dispatch: (normalised source, event ID) -> candidates[first .. first+n). */
struct kb_slot {
	const char	*source;	/* NULL: free slot; "": any source */
	uint32_t	 first;
	uint32_t	 n;
	uint16_t	 id;
};

struct kb_cand {
	uint32_t	 index;
	uint8_t		 is_status;	/* index names a status rule */
};

struct kb {
	struct kb_article *arts;
	size_t		 narts;
	struct kb_item	*items;
	size_t		 nitems;
	uint32_t	*item_class;	/* same symptom and refs: one hit */
	struct kb_ref	*refs;
	uint32_t	*art_items;
	struct kb_status_rule *rules;
	size_t		 nrules;
	char		**files;
	size_t		 nfiles;
	struct kb_slot	*slots;
	size_t		 nslots;	/* a power of two */
	struct kb_cand	*cands;
	size_t		 ncands;
	/* Bit id set: some slot has that event ID (most events have none). */
	uint8_t		 id_known[65536 / 8];
	uint32_t	*ident_items;	/* items with 'ident', for ID-less events */
	size_t		 nident_items;
	uint32_t	*ident_rules;	/* status rules with 'ident' */
	size_t		 nident_rules;
};

/* kb_base.c */
void	kb_err(struct kb_draft *, const char *, int, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
void	*kb_grow(void *, size_t *, size_t, size_t);

int	kb_id_cmp(const char *, const char *);
int	kb_id_ok(const char *);

/* kb_parse.c */
int	kb_parse_buf(struct kb_draft *, const char *, const uint8_t *, size_t);

/* kb_build.c */
struct kb	*kb_build(struct kb_draft *);
void		 kb_draft_free(struct kb_draft *);

/* kb_match.c */
int	kb_dispatch_build(struct kb *);
int	kb_match_eq(const struct kb_match *, const struct kb_match *);
uint32_t kb_match_hash(const struct kb_match *);

#endif /* IMSMON_KB_INT_H */
