/* style.h — how the lab's own words look: colour (only when stdout is a terminal and
 * NO_COLOR is unset) and sentences folded to the width of a terminal. */
#ifndef WIRELAB_STYLE_H
#define WIRELAB_STYLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Colour, decided once: on when stdout is a terminal and NO_COLOR is unset. */
struct style {
	bool color;
};

enum style_part {
	ST_RESET, ST_DIM, ST_BOLD, ST_ESCAPE, ST_NAME, ST_OK, ST_REDIRECT, ST_CLIENT_ERR,
	ST_SERVER_ERR, ST_ERROR,
};

/* style_on — the escape sequence for part ("" without colour). */
const char *style_on(const struct style *st, enum style_part part);

/* style_wrap — text folded at spaces to lines of at most width columns; a line break
 * in text starts a new line. */
void style_wrap(FILE *out, const char *text, size_t width);

#endif
