/* fuzz_mime.c — common/http/mime.c on arbitrary input: mime_negotiate with a
 * fuzzer-chosen Accept value and list of offers (lesson 04's /greeting), and
 * mime_from_name on every field read as a file name (lesson 04's /files).
 *
 * Input layout: [C] ACCEPT \n OFFER \n OFFER … (at most 8 offers; a field also ends at
 * a NUL). C bit 0: the request has no Accept (NULL).
 *
 * Properties (each a CHECK that aborts), from mime.h's contract and RFC 9110 §12.5.1:
 *   - mime_negotiate answers -1 or an index into the offers; -1 for no offers; 0 (the
 *     first offer) when Accept is absent or holds no element: empty, or only blanks
 *     and commas, since an empty list element counts for nothing (RFC 9110 §5.6.1);
 *   - when every offer is a media type (token/token, shorter than MIME_TYPE_LEN), the
 *     answer is a model's, written from mime.h's words: each offer takes the q of its
 *     most specific matching range (exact, else type/[*], else [*]/[*]; the highest q
 *     when that range is listed twice), 0 when that q is 0 or malformed or nothing
 *     matches; the first offer with the highest q above 0 wins. So an offer whose most
 *     specific range says q=0 is never chosen, and one named exactly with the highest
 *     q is, unless an earlier offer ties;
 *   - the answer does not depend on the order of Accept's elements, on case (in Accept
 *     or in the offers), on empty elements and blanks around elements, or on
 *     parameters other than q;
 *   - taking a losing offer out of the list does not change the winner;
 *   - mime_from_name gives NULL or a lower-case type/subtype made of tokens; NULL when
 *     the last path component has no dot, or only a leading one; the same answer for
 *     the name in the other case, behind a folder with a dot in its name, or with all
 *     but its extension replaced.
 * (The asterisks are bracketed only to keep this a C comment.) */
#include "fuzz.h"

#include <stdbool.h>
#include <strings.h>

#include "chars.h"
#include "http.h"
#include "mime.h"

#define OFFERS_MAX 8

/* ---- strings ---------------------------------------------------------------------- */

/* swapped_case — a copy of s with every ASCII letter in the other case. */
static char *swapped_case(const char *s)
{
	char *out = fuzz_cstr(s, strlen(s));
	for (char *c = out; *c; c++)
		if (chars_is_alpha((unsigned char)*c))
			*c ^= 0x20;
	return out;
}

/* joined — a new string a then b. */
static char *joined(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *out = fuzz_alloc(na + nb + 1);
	memcpy(out, a, na);
	memcpy(out + na, b, nb + 1);
	return out;
}

/* same_type — both NULL, or the same string. */
static bool same_type(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* ---- Accept rewritten, meaning the same --------------------------------------------- */

/* reversed — Accept with its comma-separated elements in the opposite order. */
static char *reversed(const char *s)
{
	size_t n = strlen(s), at = 0;
	char *out = fuzz_alloc(n + 1);
	const char *end = s + n;

	for (;;) {
		const char *start = end;
		while (start > s && start[-1] != ',')
			start--;
		memcpy(out + at, start, (size_t)(end - start));
		at += (size_t)(end - start);
		if (start == s)
			break;
		out[at++] = ',';
		end = start - 1;
	}
	out[at] = '\0';
	return out;
}

/* rewritten — Accept with empty elements and blanks around each element
 * (pad), or with a parameter ";x=y" after each element's name (param). */
static char *rewritten(const char *s, bool pad, bool param)
{
	static const char sep[] = " ,\t, ";
	size_t n = strlen(s), at = 0;
	char *out = fuzz_alloc(10 * n + 16); /* n + 1 pieces, each at most 9 bytes longer */

	if (pad)
		out[at++] = ',';
	for (const char *p = s;;) {
		size_t len = strcspn(p, ","), name = strcspn(p, ";,"), skip = 0;
		while (skip < name && chars_is_ows((unsigned char)p[skip]))
			skip++;
		if (pad) {
			memcpy(out + at, sep, sizeof sep - 1);
			at += sizeof sep - 1;
		}
		memcpy(out + at, p, name);
		at += name;
		if (param && skip < name) { /* an element with a name, not an empty one */
			memcpy(out + at, ";x=y", 4);
			at += 4;
		}
		memcpy(out + at, p + name, len - name);
		at += len - name;
		if (p[len] == '\0')
			break;
		out[at++] = ',';
		p += len + 1;
	}
	if (pad) {
		memcpy(out + at, sep, sizeof sep - 1);
		at += sizeof sep - 1;
	}
	out[at] = '\0';
	return out;
}

/* ---- the model ---------------------------------------------------------------------- */

/* is_media_type — s is token "/" token, neither part "*", shorter than MIME_TYPE_LEN:
 * what a server offers. mime.h promises nothing else of other offers. */
static bool is_media_type(const char *s)
{
	size_t type = 0, sub = 0;

	while (chars_is_tchar((unsigned char)s[type]))
		type++;
	if (type == 0 || s[type] != '/')
		return false;
	while (chars_is_tchar((unsigned char)s[type + 1 + sub]))
		sub++;
	return sub > 0 && s[type + 1 + sub] == '\0' && type + 1 + sub < MIME_TYPE_LEN &&
	       strcmp(s + type, "/*") != 0 && !(type == 1 && s[0] == '*');
}

enum { EXACT, ANY_SUBTYPE, ANY_TYPE, LEVELS };

/* matches_at — range matches offer (a media type) at that level of specificity. */
static bool matches_at(int level, const char *range, const char *offer)
{
	size_t type = strcspn(offer, "/");

	if (level == EXACT)
		return strcasecmp(range, offer) == 0;
	if (level == ANY_SUBTYPE)
		return strlen(range) == type + 2 && strncasecmp(range, offer, type) == 0 &&
		       strcmp(range + type, "/*") == 0;
	return strcmp(range, "*/*") == 0;
}

/* model_q — the q mime.h gives offer: from the most specific level at which some range
 * matches it, the highest q there; 0 when that is 0 or malformed, or none matches. The
 * ranges are read into a buffer as long as Accept, so that none is skipped. */
static int model_q(const char *accept, const char *offer)
{
	char *range = fuzz_alloc(strlen(accept) + 1);
	int answer = 0;

	for (int level = EXACT; level < LEVELS; level++) {
		const char *cursor = accept;
		int q, best = -2; /* below the -1 of a malformed q: no match yet */
		while (http_qlist_next(&cursor, range, strlen(accept) + 1, &q))
			if (matches_at(level, range, offer) && q > best)
				best = q;
		if (best != -2) {
			answer = best > 0 ? best : 0;
			break;
		}
	}
	free(range);
	return answer;
}

/* check_model — the answer is the model's: the first offer with the highest q above 0. */
static void check_model(const char *accept, const char *const *offers, size_t n, int got)
{
	int want = -1, want_q = 0, q[OFFERS_MAX];

	for (size_t i = 0; i < n; i++) {
		q[i] = model_q(accept, offers[i]);
		if (q[i] > want_q) {
			want = (int)i;
			want_q = q[i];
		}
	}
	CHECK(got == want, "Accept '%s' chose %d ('%s', q %d), the model %d ('%s', q %d)",
	      accept, got, got >= 0 ? offers[got] : "", got >= 0 ? q[got] : 0, want,
	      want >= 0 ? offers[want] : "", want_q);
}

/* ---- the properties ----------------------------------------------------------------- */

/* same_answer — Accept rewritten as how (a new string, freed here) chooses as accept did. */
static void same_answer(const char *accept, char *other, const char *const *offers,
                        size_t n, int got, const char *how)
{
	int again = mime_negotiate(other, offers, n);
	CHECK(again == got, "%s: '%s' chose %d, '%s' %d", how, accept, got, other, again);
	free(other);
}

static void check_negotiate(const char *accept, const char *const *offers, size_t n)
{
	int got = mime_negotiate(accept, offers, n);
	bool empty = !accept || strspn(accept, " \t,") == strlen(accept), typed = true;

	CHECK(got >= -1 && got < (int)n, "chose %d of %zu offers", got, n);
	if (n == 0)
		CHECK(got == -1, "chose %d of no offers", got);
	else if (empty)
		CHECK(got == 0, "Accept '%s' holds no element, yet chose %d", accept ? accept : "",
		      got);
	for (size_t i = 0; i < n; i++)
		typed = typed && is_media_type(offers[i]);
	if (!empty && typed)
		check_model(accept, offers, n, got);
	if (accept) {
		same_answer(accept, reversed(accept), offers, n, got, "elements reversed");
		same_answer(accept, swapped_case(accept), offers, n, got, "case swapped");
		same_answer(accept, rewritten(accept, true, false), offers, n, got, "padded");
		same_answer(accept, rewritten(accept, false, true), offers, n, got, "parameter");
	}

	char *swapped[OFFERS_MAX];
	for (size_t i = 0; i < n; i++)
		swapped[i] = swapped_case(offers[i]);
	CHECK(mime_negotiate(accept, (const char *const *)swapped, n) == got,
	      "the offers' case changed the answer %d", got);
	for (size_t i = 0; i < n; i++)
		free(swapped[i]);

	/* Without offer j, a loser: the same winner, one place earlier if j came before it. */
	const char *fewer[OFFERS_MAX];
	for (size_t j = 0; j < n; j++) {
		if ((int)j == got)
			continue;
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (i != j)
				fewer[m++] = offers[i];
		int want = got < 0 ? -1 : got - ((int)j < got);
		int again = mime_negotiate(accept, fewer, m);
		CHECK(again == want, "without offer %zu: chose %d, not %d", j, again, want);
	}
}

/* check_type — t is a lower-case type/subtype of tokens, as a Content-Type takes it. */
static void check_type(const char *name, const char *t)
{
	static const char lower_tchar[] = "abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~";
	size_t type = strspn(t, lower_tchar);
	CHECK(type > 0 && t[type] == '/', "'%s' has type '%s'", name, t);
	size_t sub = strspn(t + type + 1, lower_tchar);
	CHECK(sub > 0 && t[type + 1 + sub] == '\0', "'%s' has type '%s'", name, t);
}

static void check_name(const char *name)
{
	const char *t = mime_from_name(name), *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	const char *dot = strrchr(base, '.');

	if (!dot || dot == base)
		CHECK(!t, "'%s' has no extension, yet type '%s'", name, t);
	if (t) {
		check_type(name, t);
		size_t ext = strlen(dot + 1);
		CHECK(ext > 0, "'%s' has an empty extension, yet type '%s'", name, t);
	}
	char *other = swapped_case(name);
	CHECK(same_type(mime_from_name(other), t), "'%s' and '%s' differ", name, other);
	free(other);
	other = joined("a.d/", name);
	CHECK(same_type(mime_from_name(other), t), "'%s' and '%s' differ", name, other);
	free(other);
	if (dot && dot != base) {
		other = joined("f", dot);
		CHECK(same_type(mime_from_name(other), t), "'%s' and '%s' differ", name, other);
		free(other);
	}
}

/* field — the next newline-ended field of in as a new string (it ends at a NUL too). */
static char *field(struct fuzz_in *in)
{
	size_t len = 0;
	while (len < in->n && in->p[len] != '\n')
		len++;
	char *s = fuzz_cstr(in->p, len);
	len += len < in->n;
	in->p += len;
	in->n -= len;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t ctl = fuzz_take(&in);
	char *accept = field(&in), *offers[OFFERS_MAX];
	size_t n = 0;

	while (in.n > 0 && n < OFFERS_MAX)
		offers[n++] = field(&in);
	check_negotiate(ctl & 1 ? NULL : accept, (const char *const *)offers, n);
	check_name(accept);
	for (size_t i = 0; i < n; i++) {
		check_name(offers[i]);
		free(offers[i]);
	}
	free(accept);
	return 0;
}
