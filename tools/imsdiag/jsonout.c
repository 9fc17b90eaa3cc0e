/*
 * jsonout: the one JSON string writer of imsdiag's --json outputs.
 */
#include <stdio.h>

#include "imsdiag.h"

/* s as a JSON string: quote and backslash escaped, other bytes outside
   printable ASCII as \u00XX. */
void
json_str(FILE *fp, const char *s)
{
	const unsigned char *p, *run;

	/* Runs of bytes that need no escape go out in one write each. */
	fputc('"', fp);
	for (run = p = (const unsigned char *)s;; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
			continue;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), fp);
		if (*p == '\0')
			break;
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else
			fprintf(fp, "\\u%04x", *p);
		run = p + 1;
	}
	fputc('"', fp);
}
