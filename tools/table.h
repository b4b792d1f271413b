/* SPDX-License-Identifier: GPL-2.0 */
/* vmxcap-show: libsmartcols tables of the human outputs (table.c). */
#ifndef VMXCAP_TABLE_H
#define VMXCAP_TABLE_H

#include <libsmartcols.h>

#include "vmxcap-show.h"

struct vs_table {
	struct libscols_table *tb;
	FILE *out;
	char title[512];
};

/* A table with a title line and columns cols[0..ncols). */
int vs_table_new(struct vs_table *t, bool color, FILE *out, const char *title,
		 const char *const *cols, size_t ncols);
/* Adds a row; NULL cells stay empty.  color applies to cell 1. */
void vs_table_row(struct vs_table *t, const char *color, const char *c0,
		  const char *c1, const char *c2, const char *c3);
/* Prints the title and the rows ("(nothing)" without rows), then frees. */
void vs_table_print(struct vs_table *t);

/* The colour of a state's cell. */
const char *vs_state_color(enum vmxcap_state s);

#endif /* VMXCAP_TABLE_H */
