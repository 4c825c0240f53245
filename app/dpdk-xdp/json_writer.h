/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef DPDK_XDP_JSON_WRITER_H
#define DPDK_XDP_JSON_WRITER_H

/*
 * A streaming JSON writer, the way bpftool prints JSON: objects, arrays,
 * named fields and values written as they come, separators and (pretty
 * mode, -p) indentation placed by the writer. Compact output has no
 * spaces at all; pretty output indents by four spaces and puts each named
 * field on a line of its own, as bpftool's json_writer does.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct json_writer json_writer_t;

json_writer_t *jsonw_new(FILE *f);
/* Ends the output with a newline and frees the writer. */
void jsonw_destroy(json_writer_t **self);
void jsonw_pretty(json_writer_t *self, bool on);
/* Containers opened and not closed yet. */
unsigned int jsonw_depth(const json_writer_t *self);

void jsonw_start_object(json_writer_t *self);
void jsonw_end_object(json_writer_t *self);
void jsonw_start_array(json_writer_t *self);
void jsonw_end_array(json_writer_t *self);
/* Closes the innermost container, object or array. */
void jsonw_end(json_writer_t *self);

/* The name of the next value, in an object. */
void jsonw_name(json_writer_t *self, const char *name);

/* Values. */
void jsonw_string(json_writer_t *self, const char *s);
void jsonw_uint(json_writer_t *self, uint64_t v);
void jsonw_int(json_writer_t *self, int64_t v);
void jsonw_bool(json_writer_t *self, bool v);
void jsonw_null(json_writer_t *self);
/* A value written as formatted, unquoted (a number, or "\"0x%02x\""). */
void jsonw_printf(json_writer_t *self, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A string value formatted first, then quoted and escaped. */
void jsonw_string_fmt(json_writer_t *self, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Named values. */
void jsonw_string_field(json_writer_t *self, const char *name,
	const char *s);
void jsonw_uint_field(json_writer_t *self, const char *name, uint64_t v);
void jsonw_int_field(json_writer_t *self, const char *name, int64_t v);
void jsonw_bool_field(json_writer_t *self, const char *name, bool v);
void jsonw_null_field(json_writer_t *self, const char *name);

#endif /* DPDK_XDP_JSON_WRITER_H */
