/* article.c — the article's URL and MIME sections as commands: url (urlparse), quote
 * and mime (mimetypes and python-magic), printing what the Python examples print. */
#include "article.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "lab.h"
#include "mime.h"
#include "sniff.h"
#include "url.h"

/* ---- Python's repr() of a str ------------------------------------------------------ */

/* utf8_char — decodes the UTF-8 sequence at p[0..n) into *cp; returns its length, or 0
 * when it is not valid UTF-8. */
static size_t utf8_char(const unsigned char *p, size_t n, unsigned *cp)
{
	size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2
	           : p[0] >= 0xe0 && p[0] <= 0xef ? 3 : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
	unsigned v = len == 1   ? p[0]
	             : len == 2 ? p[0] & 0x1fu
	             : len == 3 ? p[0] & 0x0fu
	                        : p[0] & 0x07u;

	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3fu);
	}
	if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
	    (len == 4 && (v < 0x10000 || v > 0x10ffff)))
		return 0;
	*cp = v;
	return len;
}

/* py_repr — s[0..n) as Python's repr() of the str that argv decoding gives: quotes as
 * Python picks them, \\ \n \r \t and controls escaped, bytes that are not UTF-8 as the
 * \udcXX surrogates of surrogateescape. (Non-ASCII printable characters stay as they
 * are; Python would escape a few more, such as U+00A0 and U+2028.) */
static void py_repr(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char quote = memchr(s, '\'', n) && !memchr(s, '"', n) ? '"' : '\'';

	putchar(quote);
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len = utf8_char(p + i, n - i, &cp);
		if (len == 0) {
			printf("\\udc%02x", p[i++]);
			continue;
		}
		if (cp == '\\' || cp == (unsigned)quote)
			printf("\\%c", (char)cp);
		else if (cp == '\n' || cp == '\r' || cp == '\t')
			printf("\\%c", cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't');
		else if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0))
			printf("\\x%02x", cp);
		else
			fwrite(p + i, 1, len, stdout);
		i += len;
	}
	putchar(quote);
}

/* ---- url ------------------------------------------------------------------------------ */

/* print_attr — one attribute line as print() shows it: the text, or None. */
static void print_attr(const char *label, struct span v, bool lower)
{
	printf("%-9s ", label);
	if (!v.p) {
		puts("None");
		return;
	}
	for (size_t i = 0; i < v.len; i++) /* .hostname is lower-cased */
		putchar(lower && v.p[i] >= 'A' && v.p[i] <= 'Z' ? v.p[i] + 32 : v.p[i]);
	putchar('\n');
}

/* print_parse_result — print(urlparse(url)): the six fields, the scheme lower-cased. */
static void print_parse_result(const struct url_parts *u)
{
	char scheme[64];
	size_t n = u->scheme.len < sizeof scheme ? u->scheme.len : sizeof scheme - 1;
	const struct {
		const char *name;
		struct span v;
	} fields[] = {{"netloc", u->netloc}, {"path", u->path}, {"params", u->params},
	              {"query", u->query}, {"fragment", u->fragment}};

	for (size_t i = 0; i < n; i++)
		scheme[i] =
		        (char)(u->scheme.p[i] >= 'A' && u->scheme.p[i] <= 'Z' ? u->scheme.p[i] + 32
		                                                              : u->scheme.p[i]);
	fputs("ParseResult(scheme=", stdout);
	py_repr(scheme, n);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		printf(", %s=", fields[i].name);
		py_repr(fields[i].v.p ? fields[i].v.p : "", fields[i].v.len);
	}
	puts(")");
}

/* port_error — what Python's .port raises for a port that is not one. */
static void port_error(const struct url_parts *u)
{
	const char *colon = NULL;
	for (size_t i = u->netloc.len; i > 0 && u->netloc.p[i - 1] != '@' &&
	                               u->netloc.p[i - 1] != ']'; i--)
		if (u->netloc.p[i - 1] == ':') {
			colon = u->netloc.p + i - 1;
			break;
		}
	size_t n = colon ? (size_t)(u->netloc.p + u->netloc.len - colon - 1) : 0;
	bool digits = n > 0 && strspn(colon + 1, "0123456789") >= n;
	printf("%-9s ValueError: ", "port");
	if (digits) {
		puts("Port out of range 0-65535");
	} else {
		fputs("Port could not be cast to integer value as ", stdout);
		py_repr(colon ? colon + 1 : "", n);
		putchar('\n');
	}
}

int cmd_url(struct lab *lab, int argc, char **argv)
{
	struct url_parts u;

	if (argc != 2)
		return usage_error(lab, "url");
	const char *url = argv[1];
	int rc = url_split(url, strlen(url), &u);
	if (rc != 0 &&
	    (memchr(u.netloc.p, '[', u.netloc.len) || memchr(u.netloc.p, ']', u.netloc.len))) {
		lab_error(lab,
		          "urlparse raises ValueError: Invalid IPv6 URL (the brackets in '%.*s' do "
		          "not hold an IPv6 address)",
		          (int)u.netloc.len, u.netloc.p);
		return LAB_FAIL;
	}
	if (rc != 0 && strpbrk(url, "\t\r\n")) {
		lab_error(lab, "the URL holds a tab or a line break, "
		          "which urlparse would silently drop");
		return LAB_FAIL;
	}
	print_parse_result(&u);
	print_attr("hostname", u.hostname, true);
	print_attr("username", u.username, false);
	print_attr("password", u.password, false);
	if (rc != 0) {
		port_error(&u);
		return LAB_FAIL;
	}
	if (u.port < 0)
		printf("%-9s None\n", "port");
	else
		printf("%-9s %d\n", "port", u.port);
	return LAB_OK;
}

/* ---- quote -------------------------------------------------------------------------- */

int cmd_quote(struct lab *lab, int argc, char **argv)
{
	size_t len = 0;

	if (argc < 2)
		return usage_error(lab, "quote");
	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *text = malloc(len), *out = NULL;
	if (!text) {
		lab_error(lab, "out of memory");
		return LAB_FAIL;
	}
	size_t used = 0;
	for (int i = 1; i < argc; i++) { /* quote /path with spaces: the words, one space apart */
		size_t n = strlen(argv[i]);
		if (i > 1)
			text[used++] = ' ';
		memcpy(text + used, argv[i], n);
		used += n;
	}
	text[used] = '\0';
	size_t need = url_quote(text, used, "/", NULL, 0);
	if ((out = malloc(need + 1))) {
		url_quote(text, used, "/", out, need + 1);
		puts(out);
	}
	free(out);
	free(text);
	return out ? LAB_OK : LAB_FAIL;
}

/* ---- mime ----------------------------------------------------------------------------- */

/* mime_one — one file's type by name and by content; returns a lab_status. */
static int mime_one(struct lab *lab, const char *path)
{
	const char *by_name = mime_from_name(path), *dot = strrchr(path, '.');
	char by_content[MIME_TYPE_LEN];
	struct sniffer *sn = lab_sniffer(lab);

	if (access(path, R_OK) != 0) {
		lab_error(lab, "cannot read '%s': no such file, or not readable", path);
		return LAB_FAIL;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = fd < 0 || !sn ? -1 : sniff_fd(sn, fd, by_content);
	if (fd >= 0)
		close(fd);
	if (rc != 0) {
		lab_error(lab, "libmagic cannot tell what '%s' holds", path);
		return LAB_FAIL;
	}
	printf("%s\n", path);
	printf("  by name:    %-26s ", by_name ? by_name : "None");
	lab_note(lab, "%s",
	         by_name                    ? "(its extension, as Python's mimetypes says)"
	         : dot && !strchr(dot, '/') ? "(an extension mimetypes does not know)"
	                                    : "(no extension to go by)");
	printf("  by content: %-26s ", by_content);
	lab_note(lab, "(libmagic, as python-magic says)");
	if (by_name && strcmp(by_name, by_content) != 0)
		lab_note(lab, "  they differ: the name is a claim, the bytes are the evidence");
	return LAB_OK;
}

int cmd_mime(struct lab *lab, int argc, char **argv)
{
	int rc = LAB_OK;

	if (argc < 2)
		return usage_error(lab, "mime");
	for (int i = 1; i < argc; i++)
		if (mime_one(lab, argv[i]) != LAB_OK)
			rc = LAB_FAIL;
	return rc;
}
