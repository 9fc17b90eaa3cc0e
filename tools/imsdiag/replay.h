/*
 * replay: what imsdiag replay and explain share between reading the input
 * (imsdiag.c: options, files, the core) and printing what happened
 * (replay_text.c, replay_json.c).  imsdiag.c calls the printers, which
 * call nothing back.
 */
#ifndef IMSMON_REPLAY_H
#define IMSMON_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"
#include "diag/store.h"
#include "kb/kb.h"
#include "util/sbuf.h"
#include "util/tz.h"

/*
 * Whom a record that names no host is about, when --host does not say:
 * a name no NetBIOS or DNS host can have, so it never merges with one.
 */
#define HOST_PLACEHOLDER	"(no-host)"

enum mode { MODE_REPLAY, MODE_EXPLAIN };

struct cli {
	enum mode	 mode;
	int		 json;
	const char	*kbdir;
	struct diag_conf conf;
	int64_t		 now;
	const char	*host;		/* for records that name none */
	struct tz	*tz;		/* senders' zone */
	struct store_limits lim;	/* --max-servers, --max-faults, ... */
	struct kb	*kb;
	struct store	*st;
	struct diag	*d;
	size_t		 ntrans;	/* transitions printed */
	char		 pending[1024];	/* explain: transitions of this line */
	struct sbuf	 pend;		/* appends to pending */
	uint64_t	 lines;
};

/*
 * The faults in memory grouped by server index, each server's in fault
 * order (replay_byserver.c).  pos NULL (out of memory): walk them all.
 */
struct byserver {
	size_t		*start;		/* by server index, nservers + 2 */
	size_t		*pos;		/* positions for store_fault_at() */
	size_t		 nsrv;
};

void	 replay_byserver_build(const struct cli *, struct byserver *);
void	 replay_byserver_free(struct byserver *);
const struct fault *replay_byserver_next(const struct cli *,
	    const struct byserver *, uint32_t, size_t *);

/* replay_text.c: the text of replay and explain. */
void	 replay_text_change(const struct cli *, enum store_ev,
	    const struct fault *, const struct server *);
void	 replay_explain_note(struct cli *, enum store_ev,
	    const struct fault *, const struct server *);
void	 replay_explain(struct cli *, uint64_t, const struct diag_explain *);
void	 replay_text_final(const struct cli *);
/* replay_json.c: replay --json, one document. */
void	 replay_json_change(struct cli *, enum store_ev,
	    const struct fault *, const struct server *);
void	 replay_json_final(const struct cli *);

#endif /* IMSMON_REPLAY_H */
