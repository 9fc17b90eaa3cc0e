/*
 * imsdiag: what the program's files share.  imsdiag.c holds main(), the
 * options and the input of replay/explain, whose output is replay_text.c
 * and replay_json.c (replay.h); cmd_kb.c the knowledge-base commands and
 * where the KB is found; cmd_state.c the saved state.  imsdiag.c calls
 * into them, never back.
 */
#ifndef IMSMON_IMSDIAG_H
#define IMSMON_IMSDIAG_H

#include <stdio.h>

#define EX_OK		0
#define EX_KBERRORS	1	/* kb check: the KB has errors */
#define EX_USAGE	2
#define EX_INPUT	3	/* KB unloadable or input unreadable */

/* cmd_kb.c: imsdiag kb SUBCOMMAND ... (argv[0] is "kb"). */
int		 cmd_kb(int, char **);
/* jsonout.c: s as a JSON string literal. */
void		 json_str(FILE *, const char *);
/* cmd_state.c: imsdiag state show|history|log (argv[0] is "state"). */
int		 cmd_state(int, char **);
/* The KB directory: $IMSMON_KBDIR, else the installed one, else ./kb. */
const char	*kb_dir_default(void);
/* The site directory laid over dir (the installed KB), or NULL. */
const char	*kb_site_for(const char *);

#endif /* IMSMON_IMSDIAG_H */
