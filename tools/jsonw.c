// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: the streaming JSON writer (jsonw.h).  Separators and
 * indentation follow json-c 0.16 with JSON_C_TO_STRING_SPACED (and
 * _PRETTY when indented), strings its escaping with
 * JSON_C_TO_STRING_NOSLASHESCAPE, so that outputs stay byte for byte what
 * they were when json-c wrote them.
 */
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "vmxcap-show.h"

/* A stream writer's buffer is written out when it holds this much. */
#define JW_CHUNK 4096

void jw_init(struct jw *w, FILE *out, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
}

bool jw_flush(struct jw *w)
{
	bool ok = true;

	if (w->out && w->len) {
		ok = fwrite(w->buf, 1, w->len, w->out) == w->len;
		w->len = 0;
	}
	return ok;
}

void jw_free(struct jw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

bool jw_finish(struct jw *w)
{
	bool ok;

	jw_raw(w, "\n", 1);
	ok = jw_flush(w);
	jw_free(w);
	return ok;
}

const char *jw_text(struct jw *w, size_t *len)
{
	jw_raw(w, "", 1);	/* the terminating NUL, not counted */
	w->len--;
	if (len)
		*len = w->len;
	return w->buf;
}

void jw_raw(struct jw *w, const char *text, size_t len)
{
	if (w->len + len > w->cap) {
		w->cap = 2 * (w->len + len) + JW_CHUNK;
		w->buf = xrealloc(w->buf, w->cap);
	}
	memcpy(w->buf + w->len, text, len);
	w->len += len;
	if (w->out && w->len >= JW_CHUNK)
		jw_flush(w);
}

static void put(struct jw *w, const char *s)
{
	jw_raw(w, s, strlen(s));
}

static void indent(struct jw *w, int level)
{
	static const char spaces[] = "                                ";

	for (level *= 2; level > 0; level -= (int)sizeof(spaces) - 1)
		jw_raw(w, spaces, level < (int)sizeof(spaces) - 1 ?
			  (size_t)level : sizeof(spaces) - 1);
}

/* What comes before an element of the innermost container. */
static void separate(struct jw *w)
{
	if (w->has_items[w->depth])
		put(w, ",");
	put(w, w->pretty ? "\n" : " ");
	indent(w, w->pretty ? w->depth : 0);
	w->has_items[w->depth] = true;
}

/* Before a value: a separator in an array, nothing after a key. */
static void value(struct jw *w)
{
	if (w->after_key)
		w->after_key = false;
	else if (w->depth)
		separate(w);
}

static void escaped(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	put(w, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char e[7] = "\\";

		if (c >= ' ' && c != '"' && c != '\\')
			continue;
		jw_raw(w, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		case '"': case '\\': e[1] = (char)c; break;
		default:
			memcpy(e + 1, "u00", 3);
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			break;
		}
		put(w, e);
	}
	jw_raw(w, run, (size_t)(s - run));
	put(w, "\"");
}

static void open_container(struct jw *w, bool object)
{
	value(w);
	put(w, object ? "{" : "[");
	if (w->depth == JW_MAX_DEPTH) {
		fputs("vmxcap-show: JSON nested too deep (a bug)\n", stderr);
		abort();
	}
	w->depth++;
	w->in_object[w->depth] = object;
	w->has_items[w->depth] = false;
}

void jw_object(struct jw *w)
{
	open_container(w, true);
}

void jw_array(struct jw *w)
{
	open_container(w, false);
}

void jw_end(struct jw *w)
{
	bool object = w->in_object[w->depth];

	w->depth--;
	if (w->pretty) {
		put(w, "\n");
		indent(w, w->depth);
		put(w, object ? "}" : "]");
	} else {
		put(w, object ? " }" : " ]");
	}
}

void jw_key(struct jw *w, const char *key)
{
	separate(w);
	escaped(w, key);
	put(w, ": ");
	w->after_key = true;
}

void jw_raw_value(struct jw *w, const char *text, size_t len)
{
	value(w);
	jw_raw(w, text, len);
}

void jw_string(struct jw *w, const char *s)
{
	value(w);
	escaped(w, s);
}

void jw_string_or_null(struct jw *w, const char *s)
{
	if (s)
		jw_string(w, s);
	else
		jw_null(w);
}

void jw_uint(struct jw *w, unsigned long long v)
{
	char d[24], *p = vs_utoa((size_t)v, d + sizeof(d));

	value(w);
	jw_raw(w, p, (size_t)(d + sizeof(d) - p));
}

void jw_int(struct jw *w, long long v)
{
	if (v >= 0) {
		jw_uint(w, (unsigned long long)v);
		return;
	}
	value(w);
	put(w, "-");
	w->after_key = true;	/* the digits follow without a separator */
	jw_uint(w, 0ull - (unsigned long long)v);
}

void jw_bool(struct jw *w, bool v)
{
	value(w);
	put(w, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
	value(w);
	put(w, "null");
}

void jw_hex(struct jw *w, unsigned long long v, int digits)
{
	char s[24];

	snprintf(s, sizeof(s), "0x%0*llx", digits, v);
	value(w);
	put(w, "\"");
	put(w, s);
	put(w, "\"");
}

void jw_key_string(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_string(w, s);
}

void jw_key_int(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_key_uint(struct jw *w, const char *key, unsigned long long v)
{
	jw_key(w, key);
	jw_uint(w, v);
}

void jw_key_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void jw_key_hex(struct jw *w, const char *key, unsigned long long v, int digits)
{
	jw_key(w, key);
	jw_hex(w, v, digits);
}

void jw_schema(struct jw *w, const char *schema, int version)
{
	jw_key_string(w, "schema", schema);
	jw_key_int(w, "schema_version", version);
	jw_key_string(w, "decoder_version", VMXCAP_DECODER_VERSION);
}
