/* report.c — requests and a server's output made readable under a FAIL line. */
#include "report.h"

#include <string.h>

#include "cases.h"

#define INDENT "        "
#define LINE_HEAD 64     /* a long line shows its first columns… */
#define LINE_TAIL 16     /* …and its last ones */
#define REQUEST_HEAD 16  /* a long request shows its first lines… */
#define REQUEST_TAIL 4   /* …and its last ones */
#define OUTPUT_LINES 20  /* a server's output shows its last lines */
#define SPLITS_SHOWN 6

/* put_byte — one byte as the reader should see it: "\r", "\n", "\t", "\\", \xNN for
 * other control bytes and any beyond ASCII (a request may hold any byte); printable ASCII
 * as it is. */
static void put_byte(FILE *out, unsigned char b)
{
	if (b == '\r')
		fputs("\\r", out);
	else if (b == '\n')
		fputs("\\n", out);
	else if (b == '\t')
		fputs("\\t", out);
	else if (b == '\\')
		fputs("\\\\", out);
	else if (b < 0x20 || b >= 0x7f)
		fprintf(out, "\\x%02x", b);
	else
		fputc(b, out);
}

/* width — how many columns put_byte takes for b. */
static size_t width(unsigned char b)
{
	if (b == '\r' || b == '\n' || b == '\t' || b == '\\')
		return 2;
	return b < 0x20 || b >= 0x7f ? 4 : 1;
}

/* put_line — p[0..n), one line, cut in the middle when it is long once written out (a
 * line of binary bytes is four times as wide as its length). */
static void put_line(FILE *out, const char *prefix, const unsigned char *p, size_t n)
{
	size_t total = 0, head = 0, tail = n, w = 0;

	for (size_t i = 0; i < n; i++)
		total += width(p[i]);
	if (total > LINE_HEAD + LINE_TAIL + 16) {
		for (w = 0; head < n && w + width(p[head]) <= LINE_HEAD; head++)
			w += width(p[head]);
		for (w = 0; tail > head && w + width(p[tail - 1]) <= LINE_TAIL; tail--)
			w += width(p[tail - 1]);
	} else {
		head = tail = n;
	}
	fputs(prefix, out);
	for (size_t i = 0; i < head; i++)
		put_byte(out, p[i]);
	if (tail > head)
		fprintf(out, "…[%zu bytes]…", tail - head);
	for (size_t i = tail; i < n; i++)
		put_byte(out, p[i]);
	fputc('\n', out);
}

/* line_end — the end of the line starting at p (after its "\n", or the end). */
static size_t line_end(const unsigned char *p, size_t from, size_t len)
{
	const unsigned char *nl = memchr(p + from, '\n', len - from);
	return nl ? (size_t)(nl - p) + 1 : len;
}

/* count_lines — lines in p[0..len), the last one possibly without "\n". */
static size_t count_lines(const unsigned char *p, size_t len)
{
	size_t n = 0;

	for (size_t at = 0; at < len; at = line_end(p, at, len))
		n++;
	return n;
}

/* put_lines — the lines of p[0..len) numbered from 0, showing only the first head and
 * the last tail when there are more, with a line saying how many were left out. */
static void put_lines(FILE *out, const char *prefix, const unsigned char *p, size_t len,
                      size_t head, size_t tail, const char *strip)
{
	size_t total = count_lines(p, len), i = 0;

	for (size_t at = 0, end; at < len; at = end, i++) {
		end = line_end(p, at, len);
		size_t n = end - at;
		if (total > head + tail + 1 && i >= head && i < total - tail) {
			if (i == head)
				fprintf(out, "%s…[%zu lines]…\n", prefix, total - head - tail);
			continue;
		}
		/* a request's lines show their "\r\n"; output lines lose their line break */
		while (n > 0 && strip && strchr(strip, p[at + n - 1]))
			n--;
		put_line(out, prefix, p + at, n);
	}
}

/* put_splits — where a split request was cut. */
static void put_splits(FILE *out, const struct cases_request *c)
{
	size_t points = c->len > 0 ? (c->len - 1) / c->split : 0;

	fprintf(out, "      it was sent in writes of %zu bytes, 5 ms apart, cut after byte",
	        c->split);
	for (size_t k = 1; k <= points; k++) {
		if (points > SPLITS_SHOWN + 1 && k == SPLITS_SHOWN) {
			fputs(", …", out);
			k = points; /* straight on to the last cut */
		}
		fprintf(out, "%s %zu", k == 1 ? "" : ",", k * c->split);
	}
	fputc('\n', out);
}

void report_request(FILE *out, const struct cases_request *c)
{
	fprintf(out, "      the request sent (%zu bytes):\n", c->len);
	put_lines(out, INDENT, c->req, c->len, REQUEST_HEAD, REQUEST_TAIL, NULL);
	if (c->split > 0 && c->len > c->split)
		put_splits(out, c);
}

void report_output(FILE *out, const char *label, const char *text, size_t len)
{
	char prefix[32];

	if (len == 0)
		return;
	snprintf(prefix, sizeof prefix, INDENT "%s| ", label);
	put_lines(out, prefix, (const unsigned char *)text, len, 0, OUTPUT_LINES, "\r\n");
}
