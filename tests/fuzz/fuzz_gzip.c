/* fuzz_gzip.c — common/server/gzip.c's decompression on arbitrary bytes (a request body
 * a client says is gzip), and compression's round trip.
 *
 * Input layout: [M] payload
 *   M  the output limit given to gz_decompress: 0 means the payload's length, else
 *      M * 64 bytes (so that both "fits" and "too large" are reached)
 *   payload: the bytes to un-gzip, and also the bytes to gzip.
 *
 * Properties (each a CHECK that aborts):
 *   - gz_decompress returns 0, -1 (not gzip) or -2 (over the limit), never more than
 *     the limit, and on 0 a buffer of exactly *out_len bytes plus a NUL (ASan sees
 *     any read or write past it);
 *   - what it gave back, gzipped again and un-gzipped, is the same bytes;
 *   - gz_compress of the payload un-gzips to the payload with room to spare, and to
 *     -2 with one byte too little. */
#include "fuzz.h"

#include "gzip.h"

static void round_trip(const unsigned char *data, size_t len)
{
	unsigned char *gz = NULL, *back = NULL;
	size_t gz_len = 0, back_len = 0;

	CHECK(gz_compress(data, len, &gz, &gz_len) == 0, "gz_compress failed");
	CHECK(gz_decompress(gz, gz_len, len, &back, &back_len) == 0, "round trip refused");
	CHECK(back_len == len && (len == 0 || memcmp(back, data, len) == 0) && back[len] == 0,
	      "round trip gave %zu bytes for %zu", back_len, len);
	free(back);
	back = NULL;
	if (len > 0) {
		int rc = gz_decompress(gz, gz_len, len - 1, &back, &back_len);
		CHECK(rc == -2, "one byte under the size gave %d", rc);
		free(back);
	}
	free(gz);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t m = fuzz_take(&in);
	size_t max = m ? (size_t)m * 64 : in.n;
	char *payload = fuzz_copy(in.p, in.n);
	unsigned char *out = NULL;
	size_t out_len = 0;

	int rc = gz_decompress(payload, in.n, max, &out, &out_len);
	CHECK(rc == 0 || rc == -1 || rc == -2, "gz_decompress returned %d", rc);
	if (rc == 0) {
		CHECK(out_len <= max, "%zu bytes over a limit of %zu", out_len, max);
		CHECK(out[out_len] == 0, "no NUL after the result");
		round_trip(out, out_len);
	}
	free(out);
	round_trip((const unsigned char *)payload, in.n);
	free(payload);
	return 0;
}
