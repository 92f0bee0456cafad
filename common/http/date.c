/* date.c — HTTP dates (RFC 9110 §5.6.7) and the access log's timestamp.
 *
 * Everything here is plain arithmetic on the proleptic Gregorian calendar with our own
 * day and month tables: strftime/strptime would follow the locale, and an HTTP-date's
 * names are fixed English tokens whatever the locale says. */
#include "date.h"

#include <stdbool.h>
#include <stdint.h>

#define SECS_PER_DAY 86400

/* RFC 9110 §5.6.7: day-name and month are case-sensitive three-letter tokens. */
static const char day_names[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
/* The obsolete RFC 850 form spells the day out (day-name-l). */
static const char *const day_names_long[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};
static const char month_names[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
/* Days before the first of each month in a common year. */
static const int days_before_month[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years a 4DIGIT field can hold. */
#define SECS_MIN INT64_C(-62167219200)
#define SECS_MAX INT64_C(253402300799)

/* A broken-down time in UTC or local time; month is 1..12. */
struct civil {
	int64_t year;
	int month, day, hour, min, sec, wday;
};

/* is_leap — the Gregorian rule: every 4th year, except centuries not divisible by 400. */
static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return len[m - 1] + (m == 2 && is_leap(y));
}

/* days_before_year — days from 0000-01-01 to y-01-01, for y >= 0 (year 0 is a leap year). */
static int64_t days_before_year(int64_t y)
{
	if (y == 0)
		return 0;
	int64_t leaps = 1 + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
	return 365 * y + leaps;
}

/* days_from_civil — days from 1970-01-01 to y-m-d (0 <= y <= 9999, date already valid). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t doy = days_before_month[m - 1] + (m > 2 && is_leap(y)) + d - 1;
	return days_before_year(y) - days_before_year(1970) + doy;
}

/* civil_from_secs — splits seconds since the epoch (SECS_MIN..SECS_MAX) into UTC fields. */
static void civil_from_secs(int64_t secs, struct civil *c)
{
	int64_t days = secs / SECS_PER_DAY, sod = secs % SECS_PER_DAY;
	if (sod < 0) { /* C division truncates; we want the floor */
		sod += SECS_PER_DAY;
		days--;
	}
	c->hour = (int)(sod / 3600);
	c->min = (int)(sod / 60 % 60);
	c->sec = (int)(sod % 60);
	c->wday = (int)(((days + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */

	int64_t from0 = days + days_before_year(1970); /* days since 0000-01-01 */
	int64_t y = from0 / 366;                       /* never too late; walk forward */
	while (days_before_year(y + 1) <= from0)
		y++;
	int doy = (int)(from0 - days_before_year(y));
	int m = 1;
	while (m < 12 && doy >= days_in_month(y, m)) {
		doy -= days_in_month(y, m);
		m++;
	}
	c->year = y;
	c->month = m;
	c->day = doy + 1;
}

/* put_num — writes v as exactly width decimal digits (clamped so it always fits). */
static char *put_num(char *out, int64_t v, int width)
{
	int64_t max = 1;
	for (int i = 0; i < width; i++)
		max *= 10;
	if (v < 0)
		v = 0;
	if (v >= max)
		v = max - 1;
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return out + width;
}

static char *put_str(char *out, const char *s)
{
	while (*s)
		*out++ = *s++;
	return out;
}

void date_format_http(time_t t, char out[DATE_HTTP_LEN + 1])
{
	int64_t secs = (int64_t)t;
	struct civil c;

	if (secs < SECS_MIN)
		secs = SECS_MIN;
	if (secs > SECS_MAX)
		secs = SECS_MAX;
	civil_from_secs(secs, &c);

	/* BEGIN SOLUTION: write c into out as an IMF-fixdate (RFC 9110 §5.6.7), with put_str
	 * and put_num, then a NUL */
	/* IMF-fixdate = day-name "," SP day SP month SP year SP
	 *               hour ":" minute ":" second SP "GMT" */
	char *p = put_str(out, day_names[c.wday]);
	p = put_str(p, ", ");
	p = put_num(p, c.day, 2);
	*p++ = ' ';
	p = put_str(p, month_names[c.month - 1]);
	*p++ = ' ';
	p = put_num(p, c.year, 4);
	*p++ = ' ';
	p = put_num(p, c.hour, 2);
	*p++ = ':';
	p = put_num(p, c.min, 2);
	*p++ = ':';
	p = put_num(p, c.sec, 2);
	p = put_str(p, " GMT");
	*p = '\0';
	/* END SOLUTION */
}

void date_format_log(time_t t, char out[DATE_LOG_LEN + 1])
{
	struct civil c;
	struct tm tm;

	/* localtime_r fails only for years a struct tm cannot hold; fall back to UTC then. */
	if (localtime_r(&t, &tm)) {
		c.year = (int64_t)tm.tm_year + 1900;
		c.month = tm.tm_mon + 1;
		c.day = tm.tm_mday;
		c.hour = tm.tm_hour;
		c.min = tm.tm_min;
		c.sec = tm.tm_sec;
	} else {
		int64_t secs = (int64_t)t;
		civil_from_secs(secs < SECS_MIN ? SECS_MIN : secs > SECS_MAX ? SECS_MAX : secs, &c);
	}
	if (c.month < 1 || c.month > 12) /* never, but the table index must be safe */
		c.month = 1;

	/* Python's log_date_time_string: "%02d/%3s/%04d %02d:%02d:%02d" */
	char *p = put_num(out, c.day, 2);
	*p++ = '/';
	p = put_str(p, month_names[c.month - 1]);
	*p++ = '/';
	p = put_num(p, c.year, 4);
	*p++ = ' ';
	p = put_num(p, c.hour, 2);
	*p++ = ':';
	p = put_num(p, c.min, 2);
	*p++ = ':';
	p = put_num(p, c.sec, 2);
	*p = '\0';
}

/* ---- parsing ---------------------------------------------------------------------- */

/* A read position in the caller's bytes; nothing here looks at s[len] or beyond. */
struct cursor {
	const char *s;
	size_t len, pos;
};

/* take_lit — consumes exactly the bytes of text, or nothing and returns false. */
static bool take_lit(struct cursor *c, const char *text)
{
	size_t n = 0;
	while (text[n]) {
		if (c->pos + n >= c->len || c->s[c->pos + n] != text[n])
			return false;
		n++;
	}
	c->pos += n;
	return true;
}

/* take_digits — consumes exactly n ASCII digits (n <= 4) into *v. */
static bool take_digits(struct cursor *c, size_t n, int *v)
{
	if (c->len - c->pos < n)
		return false;
	int acc = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = c->s[c->pos + i];
		if (ch < '0' || ch > '9')
			return false;
		acc = acc * 10 + (ch - '0');
	}
	c->pos += n;
	*v = acc;
	return true;
}

/* take_short_name — consumes one three-letter name of table[0..n), returning its index. */
static int take_short_name(struct cursor *c, const char (*table)[4], int n)
{
	for (int i = 0; i < n; i++)
		if (take_lit(c, table[i]))
			return i;
	return -1;
}

/* take_month — consumes "Jan" … "Dec" and sets *m to 1..12. */
static bool take_month(struct cursor *c, int *m)
{
	int i = take_short_name(c, month_names, 12);
	*m = i + 1;
	return i >= 0;
}

/* take_long_day — consumes "Sunday" … "Saturday"; none is a prefix of another. */
static bool take_long_day(struct cursor *c)
{
	for (int i = 0; i < 7; i++)
		if (take_lit(c, day_names_long[i]))
			return true;
	return false;
}

/* take_time — time-of-day = hour ":" minute ":" second, each 2DIGIT. */
static bool take_time(struct cursor *c, int *h, int *mi, int *s)
{
	return take_digits(c, 2, h) && take_lit(c, ":") && take_digits(c, 2, mi) &&
	       take_lit(c, ":") && take_digits(c, 2, s);
}

/* The fields of one parsed date, before range checks. */
struct fields {
	int year, month, day, hour, min, sec;
};

/* parse_imf — "Sun, 06 Nov 1994 08:49:37 GMT", the one form a sender generates. */
static bool parse_imf(struct cursor *c, struct fields *f)
{
	/* BEGIN SOLUTION: IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT, and
	 * nothing after it: with take_short_name, take_lit, take_digits, take_month and
	 * take_time */
	return take_short_name(c, day_names, 7) >= 0 && take_lit(c, ", ") &&
	       take_digits(c, 2, &f->day) && take_lit(c, " ") &&
	       take_month(c, &f->month) && take_lit(c, " ") &&
	       take_digits(c, 4, &f->year) && take_lit(c, " ") &&
	       take_time(c, &f->hour, &f->min, &f->sec) && take_lit(c, " GMT") && c->pos == c->len;
	/* END SOLUTION */
}

/* parse_rfc850 — "Sunday, 06-Nov-94 08:49:37 GMT"; the year is two digits, resolved later. */
static bool parse_rfc850(struct cursor *c, struct fields *f)
{
	/* BEGIN SOLUTION: rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT, date2
	 * being day "-" month "-" 2DIGIT (the year resolved later), and nothing after it */
	return take_long_day(c) && take_lit(c, ", ") && take_digits(c, 2, &f->day) &&
	       take_lit(c, "-") && take_month(c, &f->month) &&
	       take_lit(c, "-") && take_digits(c, 2, &f->year) && take_lit(c, " ") &&
	       take_time(c, &f->hour, &f->min, &f->sec) && take_lit(c, " GMT") && c->pos == c->len;
	/* END SOLUTION */
}

/* take_asctime_day — date3's day: ( 2DIGIT / ( SP DIGIT ) ), so "06", "16" or " 6". */
static bool take_asctime_day(struct cursor *c, int *day)
{
	if (take_lit(c, " "))
		return take_digits(c, 1, day);
	return take_digits(c, 2, day);
}

/* parse_asctime — "Sun Nov  6 08:49:37 1994", C's asctime() without the newline. */
static bool parse_asctime(struct cursor *c, struct fields *f)
{
	/* BEGIN SOLUTION: asctime-date = day-name SP date3 SP time-of-day SP year, date3
	 * being month SP ( 2DIGIT / ( SP DIGIT ) ) (take_asctime_day), and nothing after it */
	return take_short_name(c, day_names, 7) >= 0 && take_lit(c, " ") &&
	       take_month(c, &f->month) && take_lit(c, " ") &&
	       take_asctime_day(c, &f->day) && take_lit(c, " ") &&
	       take_time(c, &f->hour, &f->min, &f->sec) && take_lit(c, " ") &&
	       take_digits(c, 4, &f->year) && c->pos == c->len;
	/* END SOLUTION */
}

/* rfc850_year — RFC 9110 §5.6.7: a two-digit year that would be more than 50 years in the
 * future is the most recent past year with those digits. So the year lies in the window
 * (now - 50, now + 50]; years are compared, not full timestamps. */
static int rfc850_year(int yy, int64_t now_year)
{
	int64_t y = now_year - now_year % 100 + yy;
	if (y > now_year + 50)
		y -= 100;
	else if (y <= now_year - 50)
		y += 100;
	return (int)y;
}

static int64_t current_year(void)
{
	struct civil c;
	int64_t now = (int64_t)time(NULL);
	civil_from_secs(now < SECS_MIN ? SECS_MIN : now > SECS_MAX ? SECS_MAX : now, &c);
	return c.year;
}

/* fields_valid — ranges of RFC 9110 §5.6.7; second 60 is allowed for a leap second. */
static bool fields_valid(const struct fields *f)
{
	/* BEGIN SOLUTION: the ranges of RFC 9110 §5.6.7: a month, a day that month has in
	 * that year (days_in_month), hour, minute, and second up to 60 for a leap second */
	return f->month >= 1 && f->month <= 12 && f->day >= 1 &&
	       f->day <= days_in_month(f->year, f->month) && f->hour <= 23 && f->min <= 59 &&
	       f->sec <= 60;
	/* END SOLUTION */
}

int date_parse_http(const char *s, size_t len, time_t *t)
{
	struct fields f = { 0 };
	struct cursor c = { s, len, 0 };

	if (!s)
		return -1;
	/* The three forms differ from the fourth byte on (",", "," after a long name, " "),
	 * so trying each in turn from the start is unambiguous. */
	if (!parse_imf(&c, &f)) {
		c.pos = 0;
		if (parse_rfc850(&c, &f)) {
			f.year = rfc850_year(f.year, current_year());
		} else {
			c.pos = 0;
			if (!parse_asctime(&c, &f))
				return -1;
		}
	}
	if (!fields_valid(&f))
		return -1;

	/* A leap second (":60") counts as the first second of the next minute. */
	int64_t secs = days_from_civil(f.year, f.month, f.day) * SECS_PER_DAY +
	               f.hour * 3600 + f.min * 60 + f.sec;
	if ((int64_t)(time_t)secs != secs) /* a 32-bit time_t cannot hold every year */
		return -1;
	*t = (time_t)secs;
	return 0;
}
