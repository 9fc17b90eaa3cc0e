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
	const unsigned char *p;

	fputc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(fp, "\\u%04x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}
