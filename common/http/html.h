/* html.h — putting text into an HTML page safely (HTML Living Standard §13.1.2.6).
 *
 * Anything a client sent (a cookie, a query value, a file name) is data, not markup:
 * it goes into a page only through html_escape, as Python's html.escape does. */
#ifndef WIRELAB_HTML_H
#define WIRELAB_HTML_H

#include <stddef.h>

/* html_escape — writes in[0..len) with & < > " ' replaced by &amp; &lt; &gt; &quot;
 * &#x27; (html.escape(s, quote=True)), so the result is safe in element content and in
 * a quoted attribute value. Other bytes, NUL and non-ASCII included, are copied as they
 * are. Writes at most cap bytes including a NUL (when cap > 0; out may be NULL when cap
 * is 0) and returns the length the whole result needs, without the NUL, as snprintf
 * does; a truncated result never ends inside an entity. */
size_t html_escape(const char *in, size_t len, char *out, size_t cap);

#endif
