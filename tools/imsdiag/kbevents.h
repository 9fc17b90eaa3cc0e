/*
 * kbevents: the Windows events an article's text describes, written as a
 * forwarder sends them (docs/kb-eval.md).  It works from what the
 * importer read (struct kbimport_article): every event block and every
 * event named in passing, plus the Service Control Manager report of a
 * start failure the article names (error 2140, 1067, a timeout).  A
 * description holds only the identifying words the importer kept.
 */
#ifndef IMSMON_KBEVENTS_H
#define IMSMON_KBEVENTS_H

#include <stdio.h>

#include "kbimport.h"

enum kbevents_fmt {
	KBEVENTS_SNARE = 0,	/* MSWinEventLog, tab separated */
	KBEVENTS_EVTSYS		/* BSD syslog "source: id: text" */
};

/* "snare" or "evtsys": 0, else -1. */
int	kbevents_fmt_parse(const char *, enum kbevents_fmt *);
/*
 * One line per event, one second apart, on 14 March 2000 from 10:00,
 * from host; -1 on a write error.
 */
int	kbevents_write(const struct kbimport_article *, enum kbevents_fmt,
	    const char *host, FILE *);

#endif /* IMSMON_KBEVENTS_H */
