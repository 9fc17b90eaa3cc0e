/*
 * kbsite: the shipped KB directory plus the site's overrides (kbsite.h).
 * Only the "article ID" lines of the site files are read here, to know
 * what they replace; parsing and checking stay with kb_load_files().
 */
#include "kb/kbsite.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kbs_list {
	char	**path;
	size_t	  n;
	char	**ids;		/* article IDs the files declare */
	size_t	  nids;
};

static int
kbs_push(char ***v, size_t *n, const char *s)
{
	char **nv;

	if (*n >= KB_FILES_MAX * 4)
		return -1;
	if ((nv = reallocarray(*v, *n + 1, sizeof(*nv))) == NULL)
		return -1;
	*v = nv;
	if ((nv[*n] = strdup(s)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

static void
kbs_free(struct kbs_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->path[i]);
	for (i = 0; i < l->nids; i++)
		free(l->ids[i]);
	free(l->path);
	free(l->ids);
	memset(l, 0, sizeof(*l));
}

static int
kbs_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* dir's *.kb files, sorted; 0, or -1 with errno (ENOENT: no dir). */
static int
kbs_scan(const char *dir, struct kbs_list *l)
{
	struct dirent *de;
	char path[4096];
	DIR *dp;
	size_t n;

	if ((dp = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(dp)) != NULL) {
		n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n < 4 ||
		    strcmp(de->d_name + n - 3, ".kb") != 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path) ||
		    kbs_push(&l->path, &l->n, path) != 0) {
			closedir(dp);
			errno = ENOMEM;
			return -1;
		}
	}
	closedir(dp);
	if (l->n > 1)
		qsort(l->path, l->n, sizeof(*l->path), kbs_cmp);
	return 0;
}

/* The IDs on "article ID" lines of one file; unreadable: none. */
static int
kbs_ids(const char *path, char ***ids, size_t *nids)
{
	char line[KB_LINE_MAX + 2], id[KB_ID_MAX];
	FILE *fp;
	size_t k, n;
	int rc = 0;

	if ((fp = fopen(path, "re")) == NULL)
		return 0;	/* kb_load_files() reports it */
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "article", 7) != 0 ||
		    (line[7] != ' ' && line[7] != '\t'))
			continue;
		k = 7 + strspn(line + 7, " \t");
		n = strcspn(line + k, " \t\r\n");
		if (n == 0 || n >= sizeof(id))
			continue;	/* kb_load_files() reports it */
		memcpy(id, line + k, n);
		id[n] = '\0';
		rc = kbs_push(ids, nids, id);
	}
	fclose(fp);
	return rc;
}

static const char *
kbs_base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}

/* Does the shipped file declare an article the site replaces? */
static int
kbs_replaced(const char *path, const struct kbs_list *site)
{
	char **ids = NULL;
	size_t nids = 0, i, j;
	int hit = 0;

	for (i = 0; i < site->n; i++)
		if (strcmp(kbs_base(path), kbs_base(site->path[i])) == 0)
			return 1;
	if (kbs_ids(path, &ids, &nids) != 0)
		hit = -1;
	for (i = 0; hit == 0 && i < nids; i++)
		for (j = 0; j < site->nids; j++)
			if (strcasecmp(ids[i], site->ids[j]) == 0)
				hit = 1;
	for (i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	return hit;
}

struct kb *
kb_load_site(const char *dir, const char *sitedir, struct kb_errors *errs)
{
	struct kbs_list ship = { 0 }, site = { 0 }, all = { 0 };
	struct kb *kb = NULL;
	size_t i;
	int r, saved;

	if (sitedir == NULL || sitedir[0] == '\0')
		return kb_load(dir, errs);
	if (kbs_scan(sitedir, &site) != 0) {
		kbs_free(&site);
		if (errno == ENOMEM)
			return NULL;
		return kb_load(dir, errs);	/* no site directory */
	}
	if (site.n == 0) {
		kbs_free(&site);
		return kb_load(dir, errs);
	}
	for (i = 0; i < site.n; i++)
		if (kbs_ids(site.path[i], &site.ids, &site.nids) != 0)
			goto out_nomem;
	if (kbs_scan(dir, &ship) != 0) {
		/* Let kb_load() say what is wrong with the directory. */
		kbs_free(&ship);
		kbs_free(&site);
		return kb_load(dir, errs);
	}
	for (i = 0; i < ship.n; i++) {
		if ((r = kbs_replaced(ship.path[i], &site)) < 0)
			goto out_nomem;
		if (r == 0 && kbs_push(&all.path, &all.n, ship.path[i]) != 0)
			goto out_nomem;
	}
	for (i = 0; i < site.n; i++)
		if (kbs_push(&all.path, &all.n, site.path[i]) != 0)
			goto out_nomem;
	kb = kb_load_files((const char *const *)all.path, all.n, errs);
	saved = errno;
	kbs_free(&all);
	kbs_free(&ship);
	kbs_free(&site);
	errno = saved;
	return kb;
out_nomem:
	kbs_free(&all);
	kbs_free(&ship);
	kbs_free(&site);
	errno = ENOMEM;
	return NULL;
}
