/* grade.c — check and watch: their options, then tools/check does the work (check.h,
 * watch.h). */
#include "grade.h"

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "check.h"
#include "commands.h"
#include "lab.h"
#include "modex.h"
#include "watch.h"

/* check_args — the options check and watch share into *co, and the lesson; NULL with
 * *rc set after a sentence. */
static struct catalog_lesson *check_args(struct lab *lab, const char *cmd, int argc, char **argv,
                                         struct check_options *co, int *rc)
{
	struct opts o;

	*rc = LAB_USAGE;
	if (opts_parse(lab, cmd, &argc, argv,
	               OPT_URL | OPT_CMD | OPT_VARIANT | OPT_SEED | OPT_TIMEOUT | OPT_NO_SANITIZE,
	               &o) != 0)
		return NULL;
	if (argc != 2 || (o.url && o.cmd)) {
		if (o.url && o.cmd)
			lab_error(lab, "%s: give --url or --cmd, not both", cmd);
		usage_error(lab, cmd);
		return NULL;
	}
	*co = (struct check_options){.url = o.url, .cmd = o.cmd, .variant = o.variant,
	                             .has_seed = o.has_seed, .seed = o.seed,
	                             .timeout_ms = o.timeout_ms, .no_sanitize = o.no_sanitize};
	*rc = LAB_FAIL;
	return find_lesson_or_say(lab, argv[1]);
}

int cmd_check(struct lab *lab, int argc, char **argv)
{
	struct check_options o;
	int rc;

	if (modex_named(argc, argv)) /* check MODULE: a module exercise */
		return modex_check(lab, argc, argv);
	struct catalog_lesson *l = check_args(lab, "check", argc, argv, &o, &rc);

	return l ? check_lesson(lab, l, &o) : rc;
}

int cmd_watch(struct lab *lab, int argc, char **argv)
{
	struct check_options o;
	int rc;

	if (modex_named(argc, argv)) /* watch MODULE: its check, on every save */
		return modex_watch(lab, argc, argv);
	struct catalog_lesson *l = check_args(lab, "watch", argc, argv, &o, &rc);

	return l ? watch_lesson(lab, l, &o) : rc;
}
