/* complete.h — what Tab offers: command names first; then, by command, lesson numbers
 * and slugs (and module names where a module fits), a lesson's variants, canned request
 * names, option names, or file paths. */
#ifndef WIRELAB_COMPLETE_H
#define WIRELAB_COMPLETE_H

#include <stdbool.h>

struct lab;

/* complete_line — the completions of text, the word at [start, end) of line, in
 * readline's form: a malloc'd NULL-terminated array whose first entry is the longest
 * common prefix of the rest (all malloc'd, readline frees them), or NULL when nothing
 * matches. Sets *files when the word is a file name (readline then completes paths). */
char **complete_line(struct lab *lab, const char *line, int start, int end, const char *text,
                     bool *files);

#endif
