/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxcap-show: a streaming JSON writer.  Output goes straight to the
 * stream (or to memory) as it is produced: no document tree, so 1024 CPUs
 * cost what their text costs.  The layout is json-c 0.16's (the library
 * the tool reads JSON with, and whose output earlier versions printed):
 * one line with spaces ("{ "a": 1, "b": [ ] }"), or indented by two.
 */
#ifndef VMXCAP_JSONW_H
#define VMXCAP_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define JW_MAX_DEPTH 16

struct jw {
	FILE *out;		/* NULL: the text stays in buf (jw_text()) */
	bool pretty;
	int depth;
	bool in_object[JW_MAX_DEPTH + 1];
	bool has_items[JW_MAX_DEPTH + 1];
	bool after_key;		/* a key was written; its value comes next */
	char *buf;
	size_t len, cap;
};

void jw_init(struct jw *w, FILE *out, bool pretty);
/* Writes out what is buffered; returns false when the stream failed. */
bool jw_flush(struct jw *w);
/* Frees the buffer (after jw_flush() for a stream). */
void jw_free(struct jw *w);
/* A document's end: its newline, flushed, the writer freed; false when the stream failed. */
bool jw_finish(struct jw *w);
/* A memory writer's text so far (NUL-terminated), and its length. */
const char *jw_text(struct jw *w, size_t *len);

void jw_object(struct jw *w);
void jw_array(struct jw *w);
void jw_end(struct jw *w);	/* closes the innermost object or array */
void jw_key(struct jw *w, const char *key);

void jw_string(struct jw *w, const char *s);
void jw_int(struct jw *w, long long v);
void jw_uint(struct jw *w, unsigned long long v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* A string "0x..." of at least digits hex digits (0: as many as needed). */
void jw_hex(struct jw *w, unsigned long long v, int digits);
/* A string or null. */
void jw_string_or_null(struct jw *w, const char *s);

/* A key and its value, in one call. */
void jw_key_string(struct jw *w, const char *key, const char *s);
void jw_key_int(struct jw *w, const char *key, long long v);
void jw_key_uint(struct jw *w, const char *key, unsigned long long v);
void jw_key_bool(struct jw *w, const char *key, bool v);
void jw_key_hex(struct jw *w, const char *key, unsigned long long v, int digits);

/*
 * A document's first keys: "schema", "schema_version" and the decoder's
 * "decoder_version" (inside the object just opened).
 */
void jw_schema(struct jw *w, const char *schema, int version);

/* Text appended as it is: separators of one's own, or the rest of a value. */
void jw_raw(struct jw *w, const char *text, size_t len);
/* A value's text made elsewhere, placed like a value (after its separator). */
void jw_raw_value(struct jw *w, const char *text, size_t len);

#endif /* VMXCAP_JSONW_H */
