/*
 * kbimport: draft knowledge-base entries from Microsoft KB article files
 * (docs/kb-import.md).  Two forms are read: the markdown page (front
 * matter with `title: "Qnnn: TITLE"`, body indented by one TAB) and the
 * plain text of the KB's own archive (`DOCUMENT:Qnnn ...`, `TITLE   :`,
 * `PROD/VER:`).  The draft holds the ID, the title, the Exchange versions
 * and the evidence named in the SYMPTOMS and CAUSE sections (SUMMARY for
 * articles without SYMPTOMS); it is `origin generated` with cause and
 * resolution left as TODO: the importer never copies the article's
 * sentences, only a few words that identify an event (an error code, the
 * service's name) as text patterns.
 */
#ifndef IMSMON_KBIMPORT_H
#define IMSMON_KBIMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kb/kb.h"

#define KBIMPORT_FILE_MAX	(1024 * 1024)	/* largest article read */
#define KBIMPORT_EV_MAX		12	/* evidence items in one draft */
#define KBIMPORT_GROUPS_MAX	2	/* text groups in one item */
#define KBIMPORT_MENTIONS_MAX	8	/* other articles named in the text */
#define KBIMPORT_SOURCE_MAX	64

/* Results: a draft, no usable evidence (nothing written), or an error. */
enum kbimport_rc {
	KBIMPORT_ERR = -1,		/* errno: EINVAL, EFBIG, ENOMEM, ... */
	KBIMPORT_OK = 0,
	KBIMPORT_NOEVIDENCE = 1
};

enum kbimport_form {
	KBIMPORT_FORM_MARKDOWN = 0,
	KBIMPORT_FORM_TEXT
};

/* The article section an item was found in. */
enum kbimport_sect {
	KBIMPORT_SECT_NONE = 0,
	KBIMPORT_SECT_SUMMARY,
	KBIMPORT_SECT_SYMPTOMS,
	KBIMPORT_SECT_CAUSE,
	KBIMPORT_SECT_MORE,		/* MORE INFORMATION */
	KBIMPORT_SECT_OTHER		/* RESOLUTION, WORKAROUND, STATUS */
};

/* One evidence item of a draft: a shared symptom, or one match. */
struct kbimport_ev {
	enum kb_role	 role;
	enum kbimport_sect sect;
	char		 use[KB_NAME_MAX];	/* shared symptom, or "" */
	char		 source[KBIMPORT_SOURCE_MAX];	/* "" = any source */
	char		 source_as[KBIMPORT_SOURCE_MAX];	/* as the article
							   wrote it, if
							   different */
	int		 source_assumed;	/* not given by the article:
						   written "guessed" */
	uint16_t	 ids[KB_IDS_MAX];
	size_t		 nids;
	char		 type[16];	/* KB event-type word, or "" */
	char		 log[16];	/* KB log name, or "" */
	char		 category[48];	/* noted in a comment, not matched */
	int		 mentioned;	/* named in prose, no event block */
	size_t		 ngroups;
	size_t		 nalts[KBIMPORT_GROUPS_MAX];
	char		 text[KBIMPORT_GROUPS_MAX][KB_ALTS_MAX][KB_FRAG_MAX];
	char		 ident[KB_FRAG_MAX];	/* for ID-less events, or "" */
};

struct kbimport_article {
	enum kbimport_form form;
	char		 id[KB_ID_MAX];
	char		 title[KB_TITLE_MAX];
	char		 versions[KB_VERSIONS_MAX];	/* "4.0 5.0 5.5", or "" */
	enum kb_severity severity;
	enum ims_status	 implies;
	struct kbimport_ev ev[KBIMPORT_EV_MAX];
	size_t		 nev;
	size_t		 nev_dropped;	/* items over KBIMPORT_EV_MAX */
	char		 mentions[KBIMPORT_MENTIONS_MAX][KB_ID_MAX];
	size_t		 nmentions;
	/*
	 * Not about the IMS failing (another component, an informational
	 * event, a list or a how-to): written "origin reference", listed
	 * but opening no fault; why says what decided it.
	 */
	int		 reference;
	char		 reference_why[160];
};

/*
 * The source names a loaded KB uses (its shared symptoms, status rules
 * and articles), to normalise an article's spelling against
 * (docs/kb-import.md, "Sources").  Names the same but for case, blanks
 * and '_' are kept once; past KBIMPORT_KNOWN_MAX they are counted.
 */
#define KBIMPORT_KNOWN_MAX	64
struct kbimport_known {
	size_t		 n;
	size_t		 ndropped;
	char		 name[KBIMPORT_KNOWN_MAX][KBIMPORT_SOURCE_MAX];
};

void	kbimport_known_add(struct kbimport_known *, const char *name);
void	kbimport_known_from_kb(struct kbimport_known *, const struct kb *);
/*
 * The known name the article's spelling stands for, or NULL: the same
 * name but for case, blanks, '_', '.' and '-'; else one letter missing,
 * doubled or two swapped (names of 8 or more letters); else the name
 * without its "MSExchange" prefix ("IMC").  Only a single candidate
 * counts; a letter replaced by another is never taken (MSExchangeDS is
 * not MSExchangeIS).  The parse applies the importer's own spellings
 * (MSExchangeIMS is the IMS) before this.
 */
const char *kbimport_known_match(const struct kbimport_known *,
	    const char *src);

/*
 * Read one article from buf.  KBIMPORT_OK: *a holds the draft.
 * KBIMPORT_NOEVIDENCE: *a holds ID and title but no evidence was found;
 * err says so.  KBIMPORT_ERR: not an article (EINVAL), too big (EFBIG),
 * out of memory (ENOMEM); err says why.  err may be NULL.
 */
int	kbimport_parse(const uint8_t *, size_t, struct kbimport_article *,
	    char *err, size_t errsz);
/* The same for a file; errors name the path. */
int	kbimport_read(const char *path, struct kbimport_article *,
	    char *err, size_t errsz);
/* The same, normalising sources against known (NULL: built-in names). */
int	kbimport_parse_known(const uint8_t *, size_t,
	    const struct kbimport_known *, struct kbimport_article *,
	    char *err, size_t errsz);
int	kbimport_read_known(const char *path, const struct kbimport_known *,
	    struct kbimport_article *, char *err, size_t errsz);
/* Write the draft in the docs/kb-format.md syntax; -1 on a write error. */
int	kbimport_write(const struct kbimport_article *, FILE *);
/* kbimport_read, then kbimport_write if a draft was made. */
int	kbimport_file(const char *path, FILE *out, char *err, size_t errsz);

#endif /* IMSMON_KBIMPORT_H */
