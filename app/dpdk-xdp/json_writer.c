/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Streaming JSON writer (see json_writer.h). A separator is owed before
 * the next value once a value has been written at the current level; a
 * name pays it, then owes none until its value is written.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>

#include "json_writer.h"

#define INDENT 4
#define MAX_DEPTH 64

struct json_writer {
	FILE *out;
	unsigned int depth;	/* containers open */
	bool pretty;
	bool owes_sep;		/* a value was written at this level */
	char closer[MAX_DEPTH];	/* what closes each open container */
};

json_writer_t *
jsonw_new(FILE *f)
{
	json_writer_t *w = calloc(1, sizeof(*w));

	if (w != NULL)
		w->out = f;
	return w;
}

void
jsonw_destroy(json_writer_t **self)
{
	if (*self == NULL)
		return;
	fputc('\n', (*self)->out);
	fflush((*self)->out);
	free(*self);
	*self = NULL;
}

void
jsonw_pretty(json_writer_t *self, bool on)
{
	self->pretty = on;
}

unsigned int
jsonw_depth(const json_writer_t *self)
{
	return self->depth;
}

/* Pretty mode: a new line at the current depth. */
static void
newline(json_writer_t *self)
{
	if (!self->pretty)
		return;
	fprintf(self->out, "\n%*s", (int)(self->depth * INDENT), "");
}

/* Before any value or name: the separator it owes. */
static void
separate(json_writer_t *self)
{
	if (self->owes_sep)
		fputc(',', self->out);
	self->owes_sep = true;
}

static void
open_container(json_writer_t *self, char c)
{
	separate(self);
	fputc(c, self->out);
	if (self->depth < MAX_DEPTH)
		self->closer[self->depth] = c == '{' ? '}' : ']';
	self->depth++;
	self->owes_sep = false;
}

static void
close_container(json_writer_t *self, char c)
{
	if (self->depth > 0)
		self->depth--;
	/* a non-empty container closes on a line of its own */
	if (self->owes_sep)
		newline(self);
	fputc(c, self->out);
	self->owes_sep = true;
}

void
jsonw_start_object(json_writer_t *self)
{
	open_container(self, '{');
}

void
jsonw_end_object(json_writer_t *self)
{
	close_container(self, '}');
}

void
jsonw_end(json_writer_t *self)
{
	close_container(self, self->depth > 0 && self->depth <= MAX_DEPTH ?
		self->closer[self->depth - 1] : ']');
}

void
jsonw_start_array(json_writer_t *self)
{
	open_container(self, '[');
}

void
jsonw_end_array(json_writer_t *self)
{
	close_container(self, ']');
}

/* A quoted string: JSON's escapes, other control characters as \u00XX. */
static void
quote(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		unsigned char c = *s;

		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		default:
			if (c < 0x20)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}

void
jsonw_name(json_writer_t *self, const char *name)
{
	separate(self);
	newline(self);
	self->owes_sep = false;
	quote(self->out, name);
	fputc(':', self->out);
	if (self->pretty)
		fputc(' ', self->out);
}

void
jsonw_string(json_writer_t *self, const char *s)
{
	separate(self);
	quote(self->out, s);
}

void
jsonw_uint(json_writer_t *self, uint64_t v)
{
	jsonw_printf(self, "%" PRIu64, v);
}

void
jsonw_int(json_writer_t *self, int64_t v)
{
	jsonw_printf(self, "%" PRId64, v);
}

void
jsonw_bool(json_writer_t *self, bool v)
{
	jsonw_printf(self, "%s", v ? "true" : "false");
}

void
jsonw_null(json_writer_t *self)
{
	jsonw_printf(self, "null");
}

void
jsonw_printf(json_writer_t *self, const char *fmt, ...)
{
	va_list ap;

	separate(self);
	va_start(ap, fmt);
	vfprintf(self->out, fmt, ap);
	va_end(ap);
}

void
jsonw_string_fmt(json_writer_t *self, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	jsonw_string(self, buf);
}

void
jsonw_string_field(json_writer_t *self, const char *name, const char *s)
{
	jsonw_name(self, name);
	jsonw_string(self, s);
}

void
jsonw_uint_field(json_writer_t *self, const char *name, uint64_t v)
{
	jsonw_name(self, name);
	jsonw_uint(self, v);
}

void
jsonw_int_field(json_writer_t *self, const char *name, int64_t v)
{
	jsonw_name(self, name);
	jsonw_int(self, v);
}

void
jsonw_bool_field(json_writer_t *self, const char *name, bool v)
{
	jsonw_name(self, name);
	jsonw_bool(self, v);
}

void
jsonw_null_field(json_writer_t *self, const char *name)
{
	jsonw_name(self, name);
	jsonw_null(self);
}
