/*
 * fuzz_kb: libFuzzer harness for the knowledge-base loader.  The input
 * is split at form feeds into up to KBF_FILES files (an article per
 * file, as the format wants), written to a private temporary directory
 * and loaded with kb_load_files().  A KB that loads is then rendered
 * and matched against a few events, so the compiled index is used too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/evt.h"
#include "kb/kb.h"
#include "util/span.h"

#define KBF_FILES	8

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 dir[64];
static char	 paths[KBF_FILES][96];

static void
cleanup(void)
{
	size_t i;

	for (i = 0; i < KBF_FILES; i++)
		if (paths[i][0] != '\0')
			unlink(paths[i]);
	if (dir[0] != '\0')
		rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	size_t i;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/fuzz_kb.XXXXXX", base);
	if (mkdtemp(dir) == NULL)
		abort();
	for (i = 0; i < KBF_FILES; i++)
		snprintf(paths[i], sizeof(paths[i]), "%s/f%zu.kb", dir, i);
	atexit(cleanup);
	return 0;
}

static int
put(const char *path, const uint8_t *p, size_t n)
{
	int fd;
	ssize_t w;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		return -1;
	while (n > 0) {
		if ((w = write(fd, p, n)) <= 0) {
			if (w == -1 && errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return close(fd);
}

/* Use what loaded: render every item and match a few events. */
static void
exercise(const struct kb *kb)
{
	static const struct {
		const char	*source, *text, *log;
		int32_t		 id;
		enum evt_type	 type;
	} evs[] = {
		{ "MSExchangeIMC", "x", "Application", 4143, EVT_TYPE_ERROR },
		{ "Service_Control_Manager", "The Microsoft Exchange Internet "
		  "Mail Service service terminated with the following error: "
		  "%%2140", "System", 7023, EVT_TYPE_ERROR },
		{ "MSExchangeIS Private", "cn=Internet Mail Service", "",
		  1023, EVT_TYPE_AUDIT_FAILURE },
		{ "", "internet mail", "application", 2140, EVT_TYPE_UNKNOWN },
	};
	char buf[512], scratch[1024];
	struct kb_hits h;
	struct evt ev;
	size_t i;

	for (i = 0; i < kb_nitems(kb); i++)
		(void)kb_match_format(&kb_item(kb, i)->match, buf, sizeof(buf));
	for (i = 0; i < kb_narticles(kb); i++)
		(void)kb_find(kb, kb_article(kb, i)->id);
	for (i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		evt_reset(&ev);
		ev.source = span_cstr(evs[i].source);
		ev.text = span_cstr(evs[i].text);
		ev.log = span_cstr(evs[i].log);
		ev.event_id = evs[i].id;
		ev.type = evs[i].type;
		(void)kb_match(kb, &ev, &h, scratch, sizeof(scratch));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *files[KBF_FILES];
	struct kb_errors errs;
	struct kb *kb;
	const uint8_t *ff;
	size_t n = 0, len;

	while (n < KBF_FILES) {
		ff = n + 1 < KBF_FILES ? memchr(data, '\f', size) : NULL;
		len = ff != NULL ? (size_t)(ff - data) : size;
		if (put(paths[n], data, len) == -1)
			abort();
		files[n] = paths[n];
		n++;
		if (ff == NULL)
			break;
		data += len + 1;
		size -= len + 1;
	}
	memset(&errs, 0, sizeof(errs));
	/* All or nothing: a KB with errors listed, or a refusal without any. */
	if ((kb = kb_load_files(files, n, &errs)) != NULL) {
		if (errs.total != 0)
			__builtin_trap();
		exercise(kb);
		kb_free(kb);
	} else if (errno == EINVAL && errs.total == 0)
		__builtin_trap();
	return 0;
}
