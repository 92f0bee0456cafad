/* fnv_collide.h — query strings whose names all collide under the hash the query
 * table used before it was keyed (64-bit FNV-1a, taken modulo a table of 2^15 slots):
 * the hash-flooding input of issue 17. Shared by tests/unit/test_url.c (such names
 * still parse correctly) and tests/bench/hashflood.c (they parse as fast as random
 * ones). Test code only: static functions, no state.
 *
 * How a colliding name is made. FNV-1a takes each byte c as h = (h ^ c) * P. Modulo
 * 2^15 that step needs only h's low 15 bits, and P is odd, so it can be undone. A name
 * is a fixed stem (different for each name) and two bytes c1 c2. Wanted: the low bits
 * after c2 equal TARGET, that is (h1 ^ c2) mod 2^15 == TARGET * P^-1 mod 2^15, where
 * h1 is the hash after c1. c2 changes only the low 8 bits, so try each c1 until h1
 * agrees with that value above bit 8; then c2 is the XOR of the low 8 bits (never 0:
 * a NUL would end the name). About two c1 in 255 work, for any stem. */
#ifndef WIRELAB_FNV_COLLIDE_H
#define WIRELAB_FNV_COLLIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define FNV_OFFSET UINT64_C(14695981039346656037)
#define FNV_PRIME  UINT64_C(1099511628211)
#define FNV_BITS   0x7fffu /* the low 15 bits: the slot in a table of 32768 */
#define FNV_TARGET 0x1234u /* the slot every name lands in */

static uint64_t fnv1a(const unsigned char *s, size_t n)
{
	uint64_t h = FNV_OFFSET;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV_PRIME;
	return h;
}

/* fnv_prime_inverse — P^-1 modulo 2^15 (P is odd, so there is one). */
static uint32_t fnv_prime_inverse(void)
{
	uint32_t x = 1;

	while (((uint64_t)x * FNV_PRIME & FNV_BITS) != 1)
		x += 2;
	return x;
}

/* fnv_colliding_tail — the two bytes that make stem[0..n) + tail hash to FNV_TARGET
 * in its low 15 bits; false when this stem has none (take another stem). */
static bool fnv_colliding_tail(const unsigned char *stem, size_t n, unsigned char tail[2])
{
	uint64_t h = fnv1a(stem, n);
	uint32_t want = (uint32_t)((uint64_t)FNV_TARGET * fnv_prime_inverse() & FNV_BITS);

	for (unsigned c1 = 1; c1 < 256; c1++) {
		uint32_t h1 = (uint32_t)((h ^ c1) * FNV_PRIME & FNV_BITS);
		uint32_t c2 = (h1 ^ want) & FNV_BITS;
		if (c2 != 0 && c2 < 256) {
			tail[0] = (unsigned char)c1;
			tail[1] = (unsigned char)c2;
			return true;
		}
	}
	return false;
}

/* fnv_percent — appends the n bytes of s to out at *len, each as %XX, so that
 * url_unquote gives them back exactly whatever they are. */
static void fnv_percent(char *out, size_t *len, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*len += (size_t)sprintf(out + *len, "%%%02X", s[i]);
}

/* fnv_name — the name number i, of len bytes (10 to 255): 'p's (a common prefix, as
 * an attacker may add to make each comparison cost more) then "n" and i in decimal,
 * and two last bytes: colliding ones when colliding, else two letters of i's own.
 * Writes it to name (len + 1 bytes, NUL-terminated); false when stem i has no
 * colliding tail (the caller skips that i). */
static bool fnv_name(unsigned i, size_t len, bool colliding, unsigned char *name)
{
	size_t stem = len - 2;

	memset(name, 'p', stem);
	char digits[16];
	int nd = snprintf(digits, sizeof digits, "n%u", i);
	memcpy(name + stem - (size_t)nd, digits, (size_t)nd);
	name[len] = '\0';
	if (!colliding) {
		name[stem] = (unsigned char)('a' + i % 26);
		name[stem + 1] = (unsigned char)('a' + i / 26 % 26);
		return true;
	}
	return fnv_colliding_tail(name, stem, name + stem);
}

/* fnv_query — a query of count pairs NAME=v, each name of name_len bytes (10 to 255;
 * see fnv_name), percent-encoded, into out (count * (3 * name_len + 3) + 1 bytes).
 * Numbers whose stem has no colliding tail are skipped. Returns the query's length. */
static size_t fnv_query(unsigned count, size_t name_len, bool colliding, char *out)
{
	unsigned char name[256];
	size_t len = 0;

	for (unsigned i = 0, kept = 0; kept < count; i++) {
		if (!fnv_name(i, name_len, colliding, name))
			continue;
		if (kept++)
			out[len++] = '&';
		fnv_percent(out, &len, name, name_len);
		len += (size_t)sprintf(out + len, "=v");
	}
	out[len] = '\0';
	return len;
}

#endif
