/*
 * kb: loading the knowledge base from files, the error list, accessors.
 * The format is parsed in kb_parse.c, checked and compiled in kb_build.c,
 * matched in kb_match.c.
 */
#include "kb/kb.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb/kb_int.h"

static void	draft_init(struct kb_draft *, struct kb_errors *);
static int	add_file(struct kb_draft *, const char *, const char *);
static int	path_cmp(const void *, const void *);
static int	read_file(struct kb_draft *, const char *, uint8_t **,
		    size_t *);
static int	read_all(int, size_t, uint8_t **, size_t *);
static struct kb *load(struct kb_draft *);

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

static void
draft_init(struct kb_draft *d, struct kb_errors *errs)
{
	memset(d, 0, sizeof(*d));
	d->errs = errs;
	if (errs != NULL) {
		errs->n = 0;
		errs->total = 0;
	}
}

/* Remember dir/name (dir may be NULL); -1 only on ENOMEM. */
static int
add_file(struct kb_draft *d, const char *dir, const char *name)
{
	char **files, *path;
	size_t n;
	int sep;

	n = strlen(name) + 1;
	sep = dir != NULL && dir[0] != '\0' && dir[strlen(dir) - 1] != '/';
	if (dir != NULL)
		n += strlen(dir) + (size_t)sep;
	if ((files = kb_grow(d->files, &d->filecap, d->nfiles + 1,
	    sizeof(*files))) == NULL)
		return -1;
	d->files = files;
	if ((path = malloc(n)) == NULL)
		return -1;
	if (dir != NULL)
		snprintf(path, n, "%s%s%s", dir, sep ? "/" : "", name);
	else
		snprintf(path, n, "%s", name);
	d->files[d->nfiles++] = path;
	return 0;
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct kb *
kb_load(const char *dir, struct kb_errors *errs)
{
	struct kb_draft d;
	struct dirent *de;
	DIR *dp;
	size_t n;

	draft_init(&d, errs);
	if ((dp = opendir(dir)) == NULL) {
		kb_err(&d, dir, 0, "cannot open directory: %s",
		    strerror(errno));
		errno = EINVAL;
		return NULL;
	}
	while ((de = readdir(dp)) != NULL) {
		n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n < 4 ||
		    strcmp(de->d_name + n - 3, ".kb") != 0)
			continue;
		if (d.nfiles == KB_FILES_MAX) {
			/* Not worth reading: the directory is wrong. */
			kb_err(&d, dir, 0, "more than %d .kb files",
			    KB_FILES_MAX);
			closedir(dp);
			kb_draft_free(&d);
			errno = EINVAL;
			return NULL;
		}
		if (add_file(&d, dir, de->d_name) == -1) {
			closedir(dp);
			kb_draft_free(&d);
			errno = ENOMEM;
			return NULL;
		}
	}
	closedir(dp);
	if (d.nfiles == 0 && d.nerr == 0)
		kb_err(&d, dir, 0, "no .kb files");
	if (d.nfiles > 1)
		qsort(d.files, d.nfiles, sizeof(*d.files), path_cmp);
	return load(&d);
}

struct kb *
kb_load_files(const char *const *paths, size_t n, struct kb_errors *errs)
{
	struct kb_draft d;
	size_t i;

	draft_init(&d, errs);
	if (n == 0)
		kb_err(&d, "kb", 0, "no .kb files given");
	for (i = 0; i < n; i++)
		if (add_file(&d, NULL, paths[i]) == -1) {
			kb_draft_free(&d);
			errno = ENOMEM;
			return NULL;
		}
	return load(&d);
}

/* Parse every file, then check and compile: all or nothing. */
static struct kb *
load(struct kb_draft *d)
{
	struct kb *kb = NULL;
	uint8_t *buf;
	size_t i, len;
	int r = 0;

	for (i = 0; r != -1 && i < d->nfiles; i++) {
		if ((r = read_file(d, d->files[i], &buf, &len)) != 0)
			continue;
		r = kb_parse_buf(d, d->files[i], buf, len);
		free(buf);
	}
	if (r == -1)
		errno = ENOMEM;
	else if (d->nerr > 0)
		errno = EINVAL;
	else
		kb = kb_build(d);
	r = errno;
	kb_draft_free(d);
	if (kb == NULL)
		errno = r;
	return kb;
}

/*
 * Read a whole regular file of at most KB_FILE_MAX bytes into a new
 * buffer.  0 read, 1 reported, -1 only on ENOMEM.
 */
static int
read_file(struct kb_draft *d, const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	int fd, rc = 1;

	*buf = NULL;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) == -1) {
		kb_err(d, path, 0, "cannot open: %s", strerror(errno));
		return 1;
	}
	if (fstat(fd, &st) == -1)
		kb_err(d, path, 0, "cannot stat: %s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		kb_err(d, path, 0, "not a regular file");
	else if (st.st_size > KB_FILE_MAX)
		kb_err(d, path, 0, "file too large (max %d bytes)",
		    KB_FILE_MAX);
	else if ((rc = read_all(fd, (size_t)st.st_size + 1, buf, len)) == 0 &&
	    *len > KB_FILE_MAX) {
		kb_err(d, path, 0, "file too large (max %d bytes)",
		    KB_FILE_MAX);
		rc = 1;
	} else if (rc == -1 && errno != ENOMEM) {
		kb_err(d, path, 0, "read error: %s", strerror(errno));
		rc = 1;
	}
	if (rc != 0) {
		free(*buf);
		*buf = NULL;
	}
	close(fd);
	return rc;
}

/*
 * Read to the end, starting with a buffer of cap bytes (the size fstat
 * gave, plus one) and growing while the file grows, up to one byte more
 * than KB_FILE_MAX, so a file that grew past the limit is noticed.
 */
static int
read_all(int fd, size_t cap, uint8_t **buf, size_t *len)
{
	uint8_t *p;
	ssize_t r;

	if ((*buf = malloc(cap)) == NULL)
		return -1;
	for (*len = 0;;) {
		if (*len == cap) {
			if (cap > KB_FILE_MAX)
				return 0;
			cap = cap > KB_FILE_MAX / 2 ? KB_FILE_MAX + 1 : cap * 2;
			if ((p = realloc(*buf, cap)) == NULL)
				return -1;
			*buf = p;
		}
		if ((r = read(fd, *buf + *len, cap - *len)) == 0)
			return 0;
		if (r == -1 && errno != EINTR)
			return -1;
		if (r > 0)
			*len += (size_t)r;
	}
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
ims_status_name(enum ims_status s)
{
	static const char *const names[IMS_STATUS__MAX] = {
		"unknown", "running", "stopped", "start-failed", "degraded",
		"silent"
	};

	return (unsigned)s < IMS_STATUS__MAX ? names[s] : "unknown";
}
