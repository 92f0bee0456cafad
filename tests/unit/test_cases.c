/* test_cases.c — unit tests of tools/check/cases.c: which canned requests check.json
 * picks, what it refuses, and the random requests it describes: each kind of value (and
 * the sets its characters come from), {oneof:…}, {mtime:FILE}, tags,
 * {body_length}, repeats, and that a seed always gives the same bytes (so --seed S
 * replays a run). Each test makes a lesson folder of its own under $TMPDIR. Every case
 * is named for what it proves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "cases.h"
#include "catalog.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* A lesson folder made for one test: lessons/NN-slug with requests/. */
struct fixture {
	char tmp[PATH_MAX - 128];
	struct catalog_lesson lesson;
	struct cases_plan plan;
	char err[LIMIT_ERR_LEN];
};

/* put — writes text into the lesson's folder at name. */
static void put(struct fixture *fx, const char *name, const char *text)
{
	char path[PATH_MAX + 128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", fx->lesson.dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	const char *base = getenv("TMPDIR");
	char requests[PATH_MAX + 16];

	if (!fx)
		return -1;
	snprintf(fx->tmp, sizeof fx->tmp, "%s/wirelab-cases-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(fx->tmp))
		return -1;
	fx->lesson.number = 3;
	snprintf(fx->lesson.name, sizeof fx->lesson.name, "03-better-server");
	fx->lesson.slug = fx->lesson.name + 3;
	snprintf(fx->lesson.dir, sizeof fx->lesson.dir, "%s/03-better-server", fx->tmp);
	snprintf(requests, sizeof requests, "%s/requests", fx->lesson.dir);
	if (mkdir(fx->lesson.dir, 0700) != 0 || mkdir(requests, 0700) != 0)
		return -1;
	*state = fx;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	cases_free(&fx->plan);
	nftw(fx->tmp, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/* load — cases_load of the fixture's lesson with seed; its return value. */
static int load(struct fixture *fx, uint64_t seed)
{
	cases_free(&fx->plan);
	return cases_load(&fx->lesson, seed, &fx->plan, fx->err);
}

/* text — case i's bytes as a string (cases built here hold no NUL). */
static const char *text(const struct fixture *fx, size_t i)
{
	static char buf[4096];

	assert_true(i < fx->plan.n && fx->plan.v[i].len < sizeof buf);
	memcpy(buf, fx->plan.v[i].req, fx->plan.v[i].len);
	buf[fx->plan.v[i].len] = '\0';
	return buf;
}

/* all_of — true when s[0..n) holds only bytes of set. */
static bool all_of(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]))
			return false;
	return true;
}

/* one_random — the plan of a check.json whose only entry is request (and body), seed. */
static const char *one_random(struct fixture *fx, const char *request, const char *body,
                              uint64_t seed)
{
	char json[2048];

	snprintf(json, sizeof json, "{\"requests\": [], \"random\": [{\"name\": \"r\", "
	         "\"request\": \"%s\"%s%s%s}]}", request, body ? ", \"body\": \"" : "",
	         body ? body : "", body ? "\"" : "");
	put(fx, "check.json", json);
	assert_int_equal(load(fx, seed), 0);
	assert_int_equal(fx->plan.n, 1);
	return text(fx, 0);
}

/* ---- canned requests ------------------------------------------------------------------ */

static void test_without_check_json_every_canned_request_is_sent_sorted_and_exact(void **state)
{
	struct fixture *fx = *state;

	put(fx, "requests/b-head.http", "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
	put(fx, "requests/a-get.http", "GET / HTTP/1.1\r\n\r\n");
	put(fx, "requests/notes.txt", "not a request");
	assert_int_equal(load(fx, 1), 0);
	assert_int_equal(fx->plan.n, 2);
	assert_string_equal(fx->plan.v[0].name, "a-get");
	assert_string_equal(text(fx, 0), "GET / HTTP/1.1\r\n\r\n");
	assert_string_equal(fx->plan.v[1].name, "b-head");
	assert_string_equal(text(fx, 1), "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(fx->plan.v[0].split, 0);
	assert_false(fx->plan.printed);
	assert_false(fx->plan.uploads);
}

static void test_requests_picks_skip_leaves_out_and_the_flags_are_read(void **state)
{
	struct fixture *fx = *state;

	put(fx, "requests/a.http", "GET /a HTTP/1.1\r\n\r\n");
	put(fx, "requests/b.http", "GET /b HTTP/1.1\r\n\r\n");
	put(fx, "requests/c.http", "GET /c HTTP/1.1\r\n\r\n");
	put(fx, "check.json", "{\"requests\": [\"c\", \"a\"], \"skip\": [\"a\"], "
	                      "\"printed\": true, \"uploads\": true}");
	assert_int_equal(load(fx, 1), 0);
	assert_int_equal(fx->plan.n, 1);
	assert_string_equal(fx->plan.v[0].name, "c");
	assert_true(fx->plan.printed);
	assert_true(fx->plan.uploads);
}

static void test_a_request_check_json_names_must_exist(void **state)
{
	struct fixture *fx = *state;

	put(fx, "requests/a.http", "GET / HTTP/1.1\r\n\r\n");
	put(fx, "check.json", "{\"requests\": [\"a\", \"missing\"]}");
	assert_int_equal(load(fx, 1), -1);
	assert_non_null(strstr(fx->err, "no request 'missing'"));
	assert_int_equal(fx->plan.n, 0);
}

static void test_a_check_json_that_is_not_a_json_object_is_refused_with_its_line(void **state)
{
	struct fixture *fx = *state;

	put(fx, "check.json", "{\n\"printed\": true,\n}\n");
	assert_int_equal(load(fx, 1), -1);
	assert_non_null(strstr(fx->err, "03-better-server/check.json, line 3"));
	put(fx, "check.json", "[1, 2]");
	assert_int_equal(load(fx, 1), -1);
	assert_non_null(strstr(fx->err, "not a JSON object"));
}

static void test_a_random_entry_without_a_request_or_with_a_bad_repeat_is_refused(void **state)
{
	struct fixture *fx = *state;

	put(fx, "check.json", "{\"random\": [{\"name\": \"r\"}]}");
	assert_int_equal(load(fx, 1), -1);
	assert_non_null(strstr(fx->err, "random entry 1"));
	put(fx, "check.json",
	    "{\"random\": [{\"name\": \"r\", \"request\": \"x\", \"repeat\": 0}]}");
	assert_int_equal(load(fx, 1), -1);
	put(fx, "check.json",
	    "{\"random\": [{\"name\": \"r\", \"request\": \"x\", \"split\": -1}]}");
	assert_int_equal(load(fx, 1), -1);
}

/* ---- random requests -------------------------------------------------------------------- */

static void test_each_kind_of_value_has_its_shape(void **state)
{
	struct fixture *fx = *state;
	const char *t = one_random(fx, "{word}|{host}|{num}|{hex:8}|{text:5}|{hex}|", NULL, 7);
	char word[32], host[40], num[16], hex8[16], text5[8], hex16[24];

	/* %[^|] stops at the separators; text may hold spaces, which %[^|] keeps */
	assert_int_equal(sscanf(t, "%31[^|]|%39[^|]|%15[^|]|%15[^|]|%7[^|]|%23[^|]|", word, host,
	                        num, hex8, text5, hex16), 6);
	assert_in_range(strlen(word), 4, 10);
	assert_true(all_of(word, strlen(word), "abcdefghijklmnopqrstuvwxyz"));
	assert_true(strlen(host) > 5 && strcmp(host + strlen(host) - 5, ".test") == 0);
	assert_in_range(strtol(num, NULL, 10), 0, 99999);
	assert_true(all_of(num, strlen(num), "0123456789"));
	assert_int_equal(strlen(hex8), 8);
	assert_true(all_of(hex8, 8, "0123456789abcdef"));
	assert_int_equal(strlen(text5), 5);
	assert_int_equal(strlen(hex16), 16);
}

static void test_bytes_values_may_be_any_byte_and_have_their_length(void **state)
{
	struct fixture *fx = *state;

	put(fx, "check.json", "{\"requests\": [], \"random\": [{\"name\": \"r\", "
	                      "\"request\": \"<{bytes:300}>\"}]}");
	assert_int_equal(load(fx, 11), 0);
	assert_int_equal(fx->plan.v[0].len, 302);
	assert_int_equal(fx->plan.v[0].req[0], '<');
	assert_int_equal(fx->plan.v[0].req[301], '>');
}

static void test_a_tag_gives_the_same_value_everywhere_in_one_request(void **state)
{
	struct fixture *fx = *state;
	const char *t = one_random(fx, "{word@a} {word@a} {word@b}", NULL, 3);
	char a1[16], a2[16], b[16];

	assert_int_equal(sscanf(t, "%15s %15s %15s", a1, a2, b), 3);
	assert_string_equal(a1, a2);
	assert_string_not_equal(a1, b);
}

static void test_body_length_counts_the_expanded_body_which_follows_the_head(void **state)
{
	struct fixture *fx = *state;
	const char *t =
	        one_random(fx, "POST / HTTP/1.1\\r\\nContent-Length: {body_length}\\r\\n\\r\\n",
	                   "a={text:37}", 5);
	const char *body = strstr(t, "\r\n\r\n") + 4;

	assert_int_equal(strtol(strstr(t, "Content-Length: ") + 16, NULL, 10), 39);
	assert_int_equal(strlen(body), 39);
	assert_memory_equal(body, "a=", 2);
}

static void test_braces_that_are_no_value_stay_as_they_are(void **state)
{
	struct fixture *fx = *state;

	assert_string_equal(one_random(fx, "{\\\"json\\\": 1} {nope} {word:x} {} {", NULL, 1),
	                    "{\"json\": 1} {nope} {word:x} {} {");
}

static void test_repeat_makes_numbered_cases_and_split_is_kept(void **state)
{
	struct fixture *fx = *state;

	put(fx, "requests/a.http", "GET / HTTP/1.1\r\n\r\n");
	put(fx, "check.json", "{\"random\": [{\"name\": \"any-host\", \"request\": \"{host}\", "
	                      "\"split\": 3, \"repeat\": 3}]}");
	assert_int_equal(load(fx, 9), 0);
	assert_int_equal(fx->plan.n, 4); /* the canned one first */
	assert_string_equal(fx->plan.v[0].name, "a");
	assert_string_equal(fx->plan.v[1].name, "any-host#1");
	assert_string_equal(fx->plan.v[3].name, "any-host#3");
	assert_int_equal(fx->plan.v[2].split, 3);
	/* each repeat is made afresh */
	char one[64];
	snprintf(one, sizeof one, "%s", text(fx, 1));
	assert_string_not_equal(one, text(fx, 2));
}

static void test_a_seed_always_gives_the_same_bytes_and_another_seed_others(void **state)
{
	struct fixture *fx = *state;
	static const char *const request =
	        "GET /{word}?n={num} HTTP/1.1\\r\\nHost: {host}\\r\\n\\r\\n";
	char first[256];

	snprintf(first, sizeof first, "%s", one_random(fx, request, NULL, 4242));
	assert_string_equal(one_random(fx, request, NULL, 4242), first);
	assert_string_not_equal(one_random(fx, request, NULL, 4243), first);
	/* the same bytes as every earlier version, so a seed printed then replays now */
	assert_string_equal(first, "GET /sbdq?n=81878 HTTP/1.1\r\nHost: sfzucsh.test\r\n\r\n");
}

static void test_sized_words_and_hosts_and_the_character_kinds_keep_to_their_sets(void **state)
{
	struct fixture *fx = *state;
	const char *t =
	        one_random(fx, "{word:7}|{host:9}|{digits:5}|{token:40}|{cookie:40}|", NULL, 8);
	char word[16], host[32], digits[8], token[48], cookie[48];

	assert_int_equal(sscanf(t, "%15[^|]|%31[^|]|%7[^|]|%47[^|]|%47[^|]|", word, host, digits,
	                        token, cookie), 5);
	assert_int_equal(strlen(word), 7);
	assert_true(all_of(word, 7, "abcdefghijklmnopqrstuvwxyz"));
	assert_int_equal(strlen(host), 9 + 5);
	assert_string_equal(host + 9, ".test");
	assert_int_equal(strlen(digits), 5);
	assert_true(all_of(digits, 5, "0123456789"));
	/* RFC 9110 tchar; RFC 6265 cookie-octet: no space, '"', ',', ';' or '\\' */
	assert_int_equal(strlen(token), 40);
	assert_true(all_of(token, 40, "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz"
	                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
	assert_int_equal(strlen(cookie), 40);
	assert_null(strpbrk(cookie, " \",;\\"));
}

static void test_urlenc_escapes_are_whole_and_never_nul(void **state)
{
	struct fixture *fx = *state;

	for (uint64_t seed = 1; seed <= 40; seed++) {
		const char *t = one_random(fx, "{urlenc:60}", NULL, seed);
		for (const char *p = strchr(t, '%'); p; p = strchr(p + 1, '%')) {
			assert_true(all_of(p + 1, 2, "0123456789ABCDEF"));
			assert_memory_not_equal(p, "%00", 3);
		}
		assert_null(strpbrk(t, " &=#\r\n"));
	}
}

static void test_headers_are_n_lines_with_distinct_names(void **state)
{
	struct fixture *fx = *state;
	const char *t = one_random(fx, "{headers:60}", NULL, 12);
	char names[60][32];
	size_t n = 0;

	for (const char *line = t; *line; n++) {
		const char *colon = strchr(line, ':'), *end = strstr(line, "\r\n");
		assert_non_null(colon);
		assert_non_null(end);
		assert_true(colon < end && colon - line < 32 && n < 60);
		snprintf(names[n], sizeof names[n], "%.*s", (int)(colon - line), line);
		for (size_t k = 0; k < n; k++)
			assert_string_not_equal(names[k], names[n]);
		line = end + 2;
	}
	assert_int_equal(n, 60);
}

static void test_json_is_valid_json_and_never_a_bare_string(void **state)
{
	struct fixture *fx = *state;
	json_error_t err;

	for (uint64_t seed = 1; seed <= 200; seed++) {
		const char *t = one_random(fx, "{json:3}", NULL, seed);
		json_t *v = json_loads(t, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
		if (!v)
			fail_msg("seed %llu: %s is not JSON: %s", (unsigned long long)seed, t,
			         err.text);
		assert_false(json_is_string(v));
		json_decref(v);
	}
}

static void test_oneof_picks_every_alternative_expanded_and_nested_bars_do_not_split(void **state)
{
	struct fixture *fx = *state;
	bool seen[4] = {false};

	for (uint64_t seed = 1; seed <= 60; seed++) {
		const char *t = one_random(fx, "<{oneof:a|x{oneof:1|2}y|{digits:3}}>", NULL, seed);
		if (strcmp(t, "<a>") == 0)
			seen[0] = true;
		else if (strcmp(t, "<x1y>") == 0)
			seen[1] = true;
		else if (strcmp(t, "<x2y>") == 0)
			seen[2] = true;
		else if (strlen(t) == 5 && all_of(t + 1, 3, "0123456789") && t[4] == '>')
			seen[3] = true;
		else
			fail_msg("seed %llu: %s is none of the alternatives",
			         (unsigned long long)seed, t);
	}
	assert_true(seen[0] && seen[1] && seen[2] && seen[3]);
	/* an empty alternative is one too; a tag keeps its value across them */
	assert_string_equal(one_random(fx, "[{oneof:|}]", NULL, 3), "[]");
	char a[16], b[16];
	assert_int_equal(sscanf(one_random(fx, "{word@w} {oneof:{word@w}|{word@w}}", NULL, 5),
	                        "%15s %15s", a, b), 2);
	assert_string_equal(a, b);
}

/* date_of — an HTTP date read back into seconds. */
static time_t date_of(const char *text)
{
	struct tm tm = {0};
	const char *end = strptime(text, "%a, %d %b %Y %H:%M:%S GMT", &tm);

	assert_non_null(end);
	return timegm(&tm);
}

static void test_mtime_is_the_files_date_and_before_and_after_are_on_their_side(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX + 16], path[PATH_MAX + 32];
	time_t when = 1700000000; /* Tue, 14 Nov 2023 22:13:20 GMT */
	struct utimbuf times = {when, when};

	snprintf(dir, sizeof dir, "%s/public", fx->lesson.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	put(fx, "public/f.png", "png");
	snprintf(path, sizeof path, "%s/f.png", dir);
	assert_int_equal(utime(path, &times), 0);
	assert_string_equal(one_random(fx, "{mtime:public/f.png}", NULL, 1),
	                    "Tue, 14 Nov 2023 22:13:20 GMT");
	for (uint64_t seed = 1; seed <= 20; seed++) {
		assert_true(date_of(one_random(fx, "{mtime_before:public/f.png}", NULL, seed)) <
		            when);
		time_t after = date_of(one_random(fx, "{mtime_after:public/f.png}", NULL, seed));
		assert_true(after > when && after <= time(NULL));
	}
	/* outside the lesson, or no such file: the braces stay */
	static const char *const outside = "{mtime:../x}|{mtime:public/none}|{mtime:/etc/passwd}";
	assert_string_equal(one_random(fx, outside, NULL, 1), outside);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_without_check_json_every_canned_request_is_sent_sorted_and_exact),
		T(test_requests_picks_skip_leaves_out_and_the_flags_are_read),
		T(test_a_request_check_json_names_must_exist),
		T(test_a_check_json_that_is_not_a_json_object_is_refused_with_its_line),
		T(test_a_random_entry_without_a_request_or_with_a_bad_repeat_is_refused),
		T(test_each_kind_of_value_has_its_shape),
		T(test_bytes_values_may_be_any_byte_and_have_their_length),
		T(test_a_tag_gives_the_same_value_everywhere_in_one_request),
		T(test_body_length_counts_the_expanded_body_which_follows_the_head),
		T(test_braces_that_are_no_value_stay_as_they_are),
		T(test_repeat_makes_numbered_cases_and_split_is_kept),
		T(test_a_seed_always_gives_the_same_bytes_and_another_seed_others),
		T(test_sized_words_and_hosts_and_the_character_kinds_keep_to_their_sets),
		T(test_urlenc_escapes_are_whole_and_never_nul),
		T(test_headers_are_n_lines_with_distinct_names),
		T(test_json_is_valid_json_and_never_a_bare_string),
		T(test_oneof_picks_every_alternative_expanded_and_nested_bars_do_not_split),
		T(test_mtime_is_the_files_date_and_before_and_after_are_on_their_side),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
