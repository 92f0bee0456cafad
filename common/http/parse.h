/* parse.h — what every incremental parser in wirelab returns: the request head
 * (http_parse_request), the chunked decoder (http_chunked_decode), the multipart parser
 * (mp_feed) and the lab's response parser (client_parse_*).
 *
 * A parser is handed bytes and answers one of:
 *
 *   n >= 0            complete: what it was after (a head, a body) is the first n bytes
 *                     of what it was given; the bytes after them belong to what comes
 *                     next (a pipelined request, an epilogue).
 *   PARSE_INCOMPLETE  not yet: give it more. A head parser keeps no state, so it is
 *                     called again with all the bytes, old and new; a body decoder keeps
 *                     its state in a struct and has used every byte it was given, so it
 *                     is called again with the new bytes only.
 *   PARSE_BAD         refused. The parser's result struct says why: its status field
 *                     holds the HTTP status to answer (400, 413, 414, 431, 501, 505 ...),
 *                     its error field the rule that was broken when one is known (a
 *                     constant sentence, never bytes of the input).
 *   PARSE_STOPPED     one of the caller's callbacks asked to stop (mp_feed).
 *
 * The status of a refusal is never folded into the sign of the return value. */
#ifndef WIRELAB_PARSE_H
#define WIRELAB_PARSE_H

enum parse_result {
	PARSE_INCOMPLETE = -1,
	PARSE_BAD = -2,
	PARSE_STOPPED = -3,
};

#endif
