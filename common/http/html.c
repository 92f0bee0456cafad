/* html.c — escaping text for HTML (see html.h). */
#include <string.h>

#include "html.h"

/* entity — the replacement of c, or NULL when c stands for itself. */
static const char *entity(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#x27;";
	default: return NULL;
	}
}

size_t html_escape(const char *in, size_t len, char *out, size_t cap)
{
	size_t need = 0, used = 0;
	int full = cap == 0;

	for (size_t i = 0; i < len; i++) {
		const char *e = entity((unsigned char)in[i]);
		size_t n = e ? strlen(e) : 1;

		need += n;
		if (full || used + n + 1 > cap) {
			full = 1; /* stop writing: a later short piece must not follow a cut one */
			continue;
		}
		if (e)
			memcpy(out + used, e, n);
		else
			out[used] = in[i];
		used += n;
	}
	if (cap > 0)
		out[used] = '\0';
	return need;
}
