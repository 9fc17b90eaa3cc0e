/*
 * kb: loading the knowledge base from files.  The format is parsed in
 * kb_parse.c, checked and compiled in kb_build.c, matched in kb_match.c;
 * the error list, accessors and names are in kb_base.c.
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











