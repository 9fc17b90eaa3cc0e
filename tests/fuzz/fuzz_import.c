/*
 * fuzz_import: libFuzzer harness for the article importer (imsdiag kb
 * import).  One input is one article file, markdown or the archive's
 * plain text.  A draft it makes is written out and must load as a
 * knowledge base with the shipped shared symptoms: the importer never
 * writes what kb_load() rejects.  Inputs of odd length are read with a
 * table of known sources (kb import -k), the others without.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb/kb.h"
#include "kbimport.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kbimport_article a;
	static struct kbimport_known known;
	static const char *const names[] = {
		"MSExchangeIMC", "MSExchangeMTA", "MSExchangeIS",
		"MSExchangeIS Private", "Service Control Manager", "DrWatson",
	};
	size_t i;
	char err[512], path[] = "/tmp/fuzz_import.XXXXXX";
	const char *paths[2];
	struct kb_errors errs;
	struct kb *kb;
	FILE *fp;
	int rc, fd;

	if (known.n == 0)
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			kbimport_known_add(&known, names[i]);
	memset(&a, 0, sizeof(a));
	rc = kbimport_parse_known(data, size, size & 1 ? &known : NULL, &a,
	    err, sizeof(err));
	if (rc != KBIMPORT_OK && rc != KBIMPORT_NOEVIDENCE &&
	    rc != KBIMPORT_ERR)
		__builtin_trap();
	if (rc != KBIMPORT_OK)
		return 0;
	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		return 0;
	if (kbimport_write(&a, fp) == -1) {
		fclose(fp);
		unlink(path);
		return 0;
	}
	fclose(fp);
	/*
	 * A draft loads beside the shared symptoms it may use (run from the
	 * project root, as make fuzz does).
	 */
	paths[0] = path;
	paths[1] = "kb/_symptoms.kb";
	memset(&errs, 0, sizeof(errs));
	kb = kb_load_files(paths, 2, &errs);
	unlink(path);
	if (kb == NULL && errs.total > 0) {
		fprintf(stderr, "draft does not load: %s\n", errs.err[0].msg);
		__builtin_trap();
	}
	kb_free(kb);
	return 0;
}
