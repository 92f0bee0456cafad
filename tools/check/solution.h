/* solution.h — the solution regions of a lesson's reference server.c, and the starter
 * made from them.
 *
 * A region is what a student writes. It opens with a line holding only
 *     /+ BEGIN SOLUTION: what to write +/        (with a star for each +)
 * and closes with a line holding only
 *     /+ END SOLUTION +/
 * as nbgrader and otter-grader mark theirs. The starter has each region replaced by one
 * line, indented like the BEGIN line: a comment "TODO: what to write". Regions do not
 * nest; the markers are comments, so the reference builds and behaves the same. */
#ifndef WIRELAB_SOLUTION_H
#define WIRELAB_SOLUTION_H

#include <stddef.h>
#include <stdio.h>

#define SOLUTION_TEXT_MAX 512 /* the text of one BEGIN marker */

/* Why a source's markers are not well formed: the line (from 1) and a sentence. */
struct solution_error {
	int line;
	char text[160];
};

/* solution_strip — reads src[0..len), a server.c with solution regions, and writes the
 * starter to out (NULL: only checks the markers). Returns the number of regions (0 when
 * there are none), or -1 with *err set when a marker is malformed: text around it on its
 * line, a BEGIN without text, a BEGIN inside a region, an END outside one, a region
 * never closed, or a text too long. Nothing it writes is complete when it fails. */
int solution_strip(const char *src, size_t len, FILE *out, struct solution_error *err);

#endif
