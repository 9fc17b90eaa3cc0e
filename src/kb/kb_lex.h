/*
 * kb_lex: the word lexer of the knowledge-base format and the parser of a
 * match specification, shared by kb_parse.c (logical lines, keywords,
 * blocks) and kb_spec.c (words, names, "source ... id ... text ...").
 * kb_parse.c calls down into kb_spec.c, never the other way.  Nothing
 * outside src/kb includes it.
 */
#ifndef IMSMON_KB_LEX_H
#define IMSMON_KB_LEX_H

#include <stddef.h>

#include "kb/kb_int.h"
#include "util/span.h"

enum blk {
	BLK_NONE = 0,
	BLK_ARTICLE = 1,
	BLK_SYMPTOM = 2,
	BLK_STATUS = 4
};

/* Keywords an article or symptom may give once; KW_EVIDENCE/KW_MATCH are
 * set by the first evidence or match line so a missing one is caught. */
#define KW_TITLE	0x001
#define KW_ORIGIN	0x002
#define KW_VERSIONS	0x004
#define KW_SEVERITY	0x008
#define KW_IMPLIES	0x010
#define KW_CAUSE	0x020
#define KW_RESOLUTION	0x040
#define KW_SEEALSO	0x080
#define KW_EVIDENCE	0x100
#define KW_MATCH	0x200

/* Match keywords given at most once. */

struct kb_lex {
	struct kb_draft	*d;
	const char	*file;
	char		 buf[KB_LOGICAL_MAX];
	size_t		 len;
	size_t		 pos;
	size_t		 segoff[KB_SEGS_MAX];
	int		 segline[KB_SEGS_MAX];
	size_t		 nseg;
	int		 open;		/* a logical line is being gathered */
	int		 broken;	/* ... but an error spoilt it */
	enum blk	 kind;
	size_t		 cur;		/* index of the block in the draft */
	enum ims_status	 status;	/* of a status block */
	unsigned	 seen;		/* of a status block */
	int		 blkline;	/* of a status block */
	int		 narticles;	/* in this file */
};

/* kb_spec.c: words of a logical line. */
int		 kb_lx_line(const struct kb_lex *, size_t);
int		 kb_lx_quoted(struct kb_lex *, char *, size_t, int);
int		 kb_lx_word(struct kb_lex *, char *, size_t, int *, int *);
int		 kb_lx_peek_quote(struct kb_lex *);
struct span	 kb_lx_rest(struct kb_lex *);
int		 kb_lx_end(struct kb_lex *, const char *);
int		 kb_lx_one_word(struct kb_lex *, const char *, int, char *,
		    size_t);
/* The index of w among name(lo) .. name(hi - 1), or -1. */
int		 kb_name_index(const char *(*)(int), int, int, const char *);
const char	*kb_role_iname(int);
const char	*kb_sev_iname(int);
const char	*kb_status_iname(int);
const char	*kb_type_iname(int);
/*
 * One match specification, to the end of the logical line: 0, or 1 once
 * what is wrong has been reported.
 */
int		 kb_parse_match(struct kb_lex *, struct kb_match *, int);

#endif /* IMSMON_KB_LEX_H */
