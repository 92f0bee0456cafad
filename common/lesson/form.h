/* form.h — request bodies a form or a script sends (RFC 9110 §8.3: the Content-Type
 * says which), and printing what was parsed out of them as Python prints it: the
 * article's print(parse_qs(...)), print(dict(parse_qsl(...))) and print(json.loads(...)).
 *
 * Parsing itself is elsewhere: url_query_parse for application/x-www-form-urlencoded
 * (the same syntax as a query string), jansson for application/json. */
#ifndef WIRELAB_FORM_H
#define WIRELAB_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "url.h"

/* form_media_type_is — true when the Content-Type value ct names the media type type
 * (lower-case, "application/json"): compared without case (RFC 9110 §8.3.1), with
 * whitespace and any parameters (";charset=utf-8") ignored. ct NULL gives false. */
bool form_media_type_is(const char *ct, const char *type);

/* form_print_query — prints q as Python prints the dict: {'a': ['1', '2']} for
 * URL_QUERY_MULTI (parse_qs), {'a': '2'} for URL_QUERY_LAST_WINS (dict(parse_qsl)),
 * names and values as str decoded from UTF-8 with errors='replace' (pystr_repr).
 * No newline. */
void form_print_query(FILE *out, const struct url_query *q, enum url_query_mode mode);

/* form_print_json — prints v as Python prints what json.loads returned: dict, list,
 * str, int, float (shortest repr that reads back, "1.0", "1e-05", "1e+16"), True,
 * False, None. An object's members in the order of the text, as jansson keeps them.
 * No newline. */
void form_print_json(FILE *out, const json_t *v);

/* form_float_repr — Python's repr() of d into out[0..cap) (cap >= 32 always fits);
 * returns out. */
char *form_float_repr(double d, char *out, size_t cap);

#endif
