/* form.c — media types and Python-style printing of parsed bodies (see form.h). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "form.h"
#include "pystr.h"

bool form_media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type), end;

	if (!ct)
		return false;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	for (end = 0; ct[end] && ct[end] != ';'; end++)
		;
	while (end > 0 && (ct[end - 1] == ' ' || ct[end - 1] == '\t'))
		end--;
	return end == n && strncasecmp(ct, type, n) == 0;
}

void form_print_query(FILE *out, const struct url_query *q, enum url_query_mode mode)
{
	fputc('{', out);
	for (size_t i = 0; i < q->nparams; i++) {
		const struct url_param *p = &q->params[i];

		if (i)
			fputs(", ", out);
		pystr_repr(out, p->name, strlen(p->name));
		fputs(": ", out);
		if (mode == URL_QUERY_LAST_WINS) {
			pystr_repr(out, p->values[0], strlen(p->values[0]));
			continue;
		}
		fputc('[', out);
		for (size_t k = 0; k < p->nvalues; k++) {
			if (k)
				fputs(", ", out);
			pystr_repr(out, p->values[k], strlen(p->values[k]));
		}
		fputc(']', out);
	}
	fputc('}', out);
}

char *form_float_repr(double d, char *out, size_t cap)
{
	char sci[40], digits[20];
	int exp, nd = 0, prec;

	if (isnan(d)) {
		snprintf(out, cap, "nan");
		return out;
	}
	if (isinf(d)) {
		snprintf(out, cap, d < 0 ? "-inf" : "inf");
		return out;
	}
	/* The fewest significant digits that read back as d (Python's repr, mode 'r'). */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(sci, sizeof sci, "%.*e", prec - 1, d);
		if (strtod(sci, NULL) == d)
			break;
	}
	const char *p = sci, *e = strchr(sci, 'e');
	bool neg = *p == '-';
	if (neg)
		p++;
	for (; p < e; p++)
		if (isdigit((unsigned char)*p))
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	exp = atoi(e + 1);

	size_t used = 0;
	char buf[64];
	if (neg)
		buf[used++] = '-';
	if (exp < -4 || exp >= 16) {
		buf[used++] = digits[0];
		if (nd > 1) {
			buf[used++] = '.';
			memcpy(buf + used, digits + 1, (size_t)nd - 1);
			used += (size_t)nd - 1;
		}
		snprintf(buf + used, sizeof buf - used, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
	} else if (exp < 0) {
		buf[used++] = '0';
		buf[used++] = '.';
		for (int k = -1; k > exp; k--)
			buf[used++] = '0';
		memcpy(buf + used, digits, (size_t)nd);
		buf[used + (size_t)nd] = '\0';
	} else {
		for (int k = 0; k <= exp; k++)
			buf[used++] = k < nd ? digits[k] : '0';
		buf[used++] = '.';
		if (nd > exp + 1) {
			memcpy(buf + used, digits + exp + 1, (size_t)(nd - exp - 1));
			used += (size_t)(nd - exp - 1);
		} else {
			buf[used++] = '0';
		}
		buf[used] = '\0';
	}
	snprintf(out, cap, "%s", buf);
	return out;
}

void form_print_json(FILE *out, const json_t *v)
{
	char num[40];

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *member;
		const char *sep = "";
		fputc('{', out);
		json_object_foreach((json_t *)v, key, member) {
			fputs(sep, out);
			pystr_repr(out, key, strlen(key));
			fputs(": ", out);
			form_print_json(out, member);
			sep = ", ";
		}
		fputc('}', out);
		break;
	}
	case JSON_ARRAY:
		fputc('[', out);
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				fputs(", ", out);
			form_print_json(out, json_array_get(v, i));
		}
		fputc(']', out);
		break;
	case JSON_STRING:
		pystr_repr(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		fputs(form_float_repr(json_real_value(v), num, sizeof num), out);
		break;
	case JSON_TRUE:
		fputs("True", out);
		break;
	case JSON_FALSE:
		fputs("False", out);
		break;
	case JSON_NULL:
		fputs("None", out);
		break;
	}
}
