/* style.c — colour codes and folded sentences. */
#include "style.h"

#include <string.h>

const char *style_on(const struct style *st, enum style_part part)
{
	static const char *const codes[] = {
		[ST_RESET] = "\033[0m",       [ST_DIM] = "\033[2m",
		[ST_BOLD] = "\033[1m",        [ST_ESCAPE] = "\033[35m",
		[ST_NAME] = "\033[36m",       [ST_OK] = "\033[32m",
		[ST_REDIRECT] = "\033[34m",   [ST_CLIENT_ERR] = "\033[33m",
		[ST_SERVER_ERR] = "\033[31m", [ST_ERROR] = "\033[1;31m",
	};
	return st->color ? codes[part] : "";
}

void style_wrap(FILE *out, const char *text, size_t width)
{
	size_t col = 0;

	while (*text) {
		size_t word = strcspn(text, " \n");
		if (col > 0 && col + 1 + word > width) {
			fputc('\n', out);
			col = 0;
		} else if (col > 0) {
			fputc(' ', out);
			col++;
		}
		fwrite(text, 1, word, out);
		col += word;
		text += word;
		if (*text == '\n')
			col = width; /* a line break in the text starts a new line */
		text += *text != '\0';
	}
	fputc('\n', out);
}
