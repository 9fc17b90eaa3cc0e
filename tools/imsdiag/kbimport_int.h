/*
 * kbimport_int.h: what the units of the article importer share (not a
 * public interface: kbimport.h is).  The units, from the bottom up:
 * kbimport_text.c (words, source names), kbimport_rel.c (relevance),
 * kbimport_scan.c (records from the text), kbimport_ev.c (records to
 * evidence items), kbimport_write.c (the draft), kbimport.c (reading an
 * article: header, sections, versions; the entry points).  A unit calls
 * only units listed before it (tests/layering.sh reports call cycles).
 */
#ifndef IMSMON_KBIMPORT_INT_H
#define IMSMON_KBIMPORT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kbimport.h"
#include "util/span.h"

#define KBI_LINES_MAX	65536	/* lines in one article */
#define KBI_RECS_MAX	64	/* event records before merging */
#define KBI_CODES_MAX	8	/* start-failure errors in the prose */
#define KBI_DESC_MAX	1024	/* one event description, joined */
#define KBI_PARA_MAX	4096	/* one prose paragraph, joined */
#define KBI_WRAP	72	/* column the writer wraps at */

#define SRC_IMC		"MSExchangeIMC"
#define SRC_SCM		"Service Control Manager"

struct kbi_line {
	struct span	 s;		/* trimmed */
	int		 indent;	/* leading blanks, after the form's TAB */
	enum kbimport_sect sect;
};

struct kbi_doc {
	struct kbi_line	*l;
	size_t		 n;
	struct span	 hdr_versions;	/* PROD/VER or Version(s) value */
};

struct kbi_rec {
	enum kbimport_sect sect;
	uint32_t	 id;
	int		 has_id;
	int		 mention;	/* named in prose */
	int		 ctx_ims;	/* introduced by text naming the IMS */
	int		 ctx_other;	/* ... or naming another service */
	int		 has_date;
	char		 source[KBIMPORT_SOURCE_MAX];
	char		 written[KBIMPORT_SOURCE_MAX];	/* the article's
					   spelling, when source was
					   normalised against the KB */
	char		 type[32];
	char		 category[48];
	char		 desc[KBI_DESC_MAX];
	size_t		 ndesc;
};

struct kbi_code {
	uint32_t	 code;		/* 0 for a phrase-only symptom */
	char		 use[KB_NAME_MAX];
	enum kbimport_sect sect;
};

struct kbi_scan {
	struct kbimport_article *a;
	const struct kbimport_known *known;	/* or NULL */
	struct kbi_rec	 recs[KBI_RECS_MAX];
	size_t		 nrecs;
	struct kbi_rec	 cur;
	int		 cur_open;
	int		 cur_desc;	/* collecting description lines */
	int		 cur_blank;	/* the one blank line allowed */
	int		 cur_data;	/* after "Data:": hex dump lines */
	char		 para[KBI_PARA_MAX];
	size_t		 npara;
	int		 para_quoted;
	enum kbimport_sect para_sect;
	int		 last_para_ims;
	int		 last_para_other;
	int		 ims_symptoms;	/* SYMPTOMS/SUMMARY name the IMS */
	int		 says_start;	/* SYMPTOMS/title: does not start */
	int		 says_stop;	/* SYMPTOMS/title: stops, hangs */
	int		 says_refuse;	/* SYMPTOMS: mail in general is not
					   delivered, or an IMS event says it
					   cannot connect */
	int		 says_ims_fails;	/* the title or one SYMPTOMS
					   paragraph names the IMS and says
					   it fails */
	int		 in_ref;	/* lines of a "Qnnn title" reference */
	size_t		 other_svc;	/* SCM events about other services */
	struct kbi_code	 codes[KBI_CODES_MAX];
	size_t		 ncodes;
};

/*
 * Known start-failure phrases (docs/kb-import.md, "Symptoms"): each
 * names a shared symptom of kb/_symptoms.kb.  Keep the two in step; the
 * tests load every draft beside that file.
 */
struct kbi_phrase {
	const char	*phrase;	/* normalised: lower case, one space */
	uint32_t	 code;
	const char	*use;
};
extern const struct kbi_phrase kbi_phrases[];
extern const size_t kbi_nphrases;

/* kbimport_text.c: words and source names. */
int	kbi_is_alpha(int);
int	kbi_is_digit(int);
ssize_t	kbi_ci_find(struct span, const char *);
int	kbi_has_phrase(const char *, const char *);
int	kbi_names_ims(struct span);
int	kbi_names_other(struct span);
int	kbi_all_eq(struct span, uint8_t, size_t);
int	kbi_id_take(struct span, char *, size_t);
int	kbi_id_take_num(struct span *, uint32_t *);
void	kbi_source_canon(char *, size_t, const char *);
int	kbi_source_aliased(const char *);

/* kbimport_rel.c: relevance. */
void	kbi_says(struct kbi_scan *, const char *);
int	kbi_says_fail(const char *);
int	kbi_refuses_mail(const char *);
int	kbi_no_connect(const char *);
void	kbi_relevance(struct kbi_scan *);

/* kbimport_scan.c: records from the sections' lines. */
void	kbi_scan_doc(struct kbi_scan *, struct kbi_doc *);

/* kbimport_ev.c: records to evidence items with roles. */
void	kbi_finalize(struct kbi_scan *, int);

#endif /* IMSMON_KBIMPORT_INT_H */
