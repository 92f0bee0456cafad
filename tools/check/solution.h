/* solution.h — the solution regions of a lesson's reference server.c, and the starter
 * made from them.
 *
 * A region is what a student writes. It opens with a comment that starts its line
 *     /+ BEGIN SOLUTION: what to write, which may go on
 *      + over more lines, each ending before column 100 +/      (with a star for each +)
 * and closes with a line holding only
 *     /+ END SOLUTION +/
 * as nbgrader and otter-grader mark theirs. Regions do not nest; the markers are
 * comments, so the reference builds and behaves the same.
 *
 * The starter has each region replaced by a comment "TODO: what to write", indented like
 * the BEGIN line and wrapped within SOLUTION_WIDTH columns. So that the starter compiles
 * without warnings (-Wall -Wextra, gcc and clang), the reference itself needing no such
 * line, a region is followed by:
 *   - for the first region of a function, "(void)name;" for each of its parameters, and
 *     each variable declared at the top of its body, that only its regions read (a
 *     name only assigned to, "name = …", is not read);
 *   - "(void)name;" for each file-scope static (a helper function, a table) that only
 *     regions name, after the first region that names it;
 *   - for the last region of a function that returns a value but has a "return" only in
 *     its regions, "return 0;".
 * A function is recognised as the kernel style writes one: its signature starting at
 * column 0, its body between a "{" and a "}" alone at column 0; a declaration at the top
 * of a body starts with a C type word or a name ending "_t". */
#ifndef WIRELAB_SOLUTION_H
#define WIRELAB_SOLUTION_H

#include <stddef.h>
#include <stdio.h>

#define SOLUTION_TEXT_MAX 512 /* the text of one BEGIN marker, its lines joined */
#define SOLUTION_REGIONS_MAX 64 /* regions in one source */
#define SOLUTION_WIDTH 100    /* the columns a TODO comment stays within (a tab is 8) */

/* Why a source's markers are not well formed: the line (from 1) and a sentence. */
struct solution_error {
	int line;
	char text[160];
};

/* solution_strip — reads src[0..len), a server.c with solution regions, and writes the
 * starter to out (NULL: only checks the markers). Returns the number of regions (0 when
 * there are none), or -1 with *err set when a marker is malformed: text before a marker
 * on its line or after it, a BEGIN without text, a BEGIN comment never closed, a BEGIN
 * inside a region, an END outside one, a region never closed, a text too long, or too
 * many regions. It writes nothing when it fails. */
int solution_strip(const char *src, size_t len, FILE *out, struct solution_error *err);

#define SOLUTION_SOURCE_MAX (1024 * 1024) /* a reference larger than this is a mistake */

/* solution_starter — the starter of the reference at path (a lesson's server.c or a
 * module's source) in a new buffer *out of *len bytes (caller frees). Returns the number
 * of regions, or -1 with *err set (err->line 0 when the file could not be read or
 * memory ran out) and *out NULL. */
int solution_starter(const char *path, char **out, size_t *len, struct solution_error *err);

#endif
