// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: several hosts, one per --input file (a directory gives
 * each of its .json files): reading and naming them, and their sets of
 * identical CPUs side by side, each set keeping its host and CPU list, as
 * the outputs that compare hosts lay them out (the names of their columns,
 * the "hosts" list of their JSON).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonw.h"
#include "table.h"

static bool is_directory(const char *path)
{
	struct stat st;

	return strcmp(path, "-") && !stat(path, &st) && S_ISDIR(st.st_mode);
}

bool vs_inputs_are_hosts(const char *const *inputs, size_t n)
{
	return n > 1 || (n == 1 && is_directory(inputs[0]));
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with_json(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && !strcmp(name + len - 5, ".json");
}

/* Appends path to the list of files to read (a new copy). */
static void add_file(char ***files, size_t *n, const char *path)
{
	if (!(*n & (*n - 1)))
		*files = xrealloc(*files, (*n ? 2 * *n : 1) * sizeof(**files));
	(*files)[(*n)++] = xstrdup(path);
}

/*
 * A directory's .json files, sorted by name (as the shell's glob sorts
 * them in the C locale), not its hidden ones: what an --input for each
 * would give, without the shell's limit on arguments.
 */
static int add_directory(char ***files, size_t *n, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, path[4096];
	size_t nnames = 0, i;

	if (!d) {
		vs_error("%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && ends_with_json(e->d_name))
			add_file(&names, &nnames, e->d_name);
	closedir(d);
	if (!nnames) {
		vs_error("%s: no *.json dump in this directory", dir);
		free(names);
		return -1;
	}
	qsort(names, nnames, sizeof(*names), by_name);
	for (i = 0; i < nnames; i++) {
		snprintf(path, sizeof(path), "%s%s%s", dir,
			 dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		add_file(files, n, path);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* A path as a host's name: without ".json"; standard input is "stdin". */
static char *name_of(const char *path, bool whole)
{
	const char *base = strrchr(path, '/');
	size_t len;

	if (!strcmp(path, "-"))
		return xstrdup("stdin");
	base = whole || !base ? path : base + 1;
	len = strlen(base);
	if (ends_with_json(base))
		len -= 5;
	return xstrndup(base, len);
}

/*
 * Each host is its file's name; hosts whose file names are alike (two
 * folders' host.json) are their paths instead, so that none is taken for
 * another.  The same path twice is an error: it would be one host twice.
 */
static int name_hosts(struct vs_hosts *h, char **files)
{
	size_t i, j;

	for (i = 0; i < h->n; i++)
		h->names[i] = name_of(files[i], false);
	for (i = 0; i < h->n; i++)
		for (j = i + 1; j < h->n; j++) {
			if (strcmp(h->names[i], h->names[j]))
				continue;
			if (!strcmp(files[i], files[j])) {
				vs_error("--input: %s given twice", !strcmp(files[i], "-") ?
					 "standard input ('-')" : files[i]);
				return -1;
			}
			free(h->names[i]);
			h->names[i] = name_of(files[i], true);
			free(h->names[j]);
			h->names[j] = name_of(files[j], true);
		}
	return 0;
}

int vs_read_hosts(const char *const *inputs, size_t ninputs, struct vs_hosts *h)
{
	char **files = NULL;
	size_t nfiles = 0, i;
	int ret = -1;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < ninputs; i++) {
		if (!is_directory(inputs[i]))
			add_file(&files, &nfiles, inputs[i]);
		else if (add_directory(&files, &nfiles, inputs[i]))
			goto out;
	}
	h->v = xcalloc(nfiles, sizeof(*h->v));
	h->machines = xcalloc(nfiles, sizeof(*h->machines));
	h->names = xcalloc(nfiles, sizeof(*h->names));
	h->sels = xcalloc(nfiles, sizeof(*h->sels));
	h->n = nfiles;
	if (name_hosts(h, files))
		goto out;
	for (i = 0; i < nfiles; i++) {
		/* Each file's errors name the file already. */
		if (vs_read_dump_file(files[i], NULL, &h->machines[i]))
			goto out;
		h->v[i].name = h->names[i];
		h->v[i].m = &h->machines[i];
	}
	ret = 0;
out:
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	if (ret)
		vs_hosts_free(h);
	return ret;
}

void vs_hosts_free(struct vs_hosts *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		vs_machine_free(&h->machines[i]);
		free(h->names[i]);
		free(h->sels[i]);
	}
	free(h->v);
	free(h->machines);
	free(h->names);
	free(h->sels);
	memset(h, 0, sizeof(*h));
}

void vs_sets_make(const struct vs_host *h, size_t nh, struct vs_sets *s)
{
	size_t i, g, n = 0;

	s->gr = xcalloc(nh, sizeof(*s->gr));
	s->nhosts = nh;
	for (i = 0; i < nh; i++) {
		vs_groups_make(h[i].m, h[i].sel, false, &s->gr[i]);
		n += s->gr[i].n;
	}
	s->v = xcalloc(n, sizeof(*s->v));
	s->n = 0;
	s->ncpus = 0;
	for (i = 0; i < nh; i++)
		for (g = 0; g < s->gr[i].n; g++) {
			struct vs_set *set = &s->v[s->n++];

			set->host = &h[i];
			set->rep = &h[i].m->cpus[s->gr[i].rep[g]];
			set->count = s->gr[i].count[g];
			set->list = s->gr[i].lists[g];
			s->ncpus += set->count;
		}
	/* Sets of one host differ by definition; those of several may not. */
	s->differ = false;
	for (g = 1; g < s->n && !s->differ; g++)
		s->differ = !vs_same_caps(s->v[0].rep, s->v[g].rep);
}

void vs_sets_free(struct vs_sets *s)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++)
		vs_groups_free(&s->gr[i]);
	free(s->gr);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void vs_set_phrase(const struct vs_set *set, char *buf, size_t size)
{
	if (set->host->name)
		snprintf(buf, size, "host %s cpu %s", set->host->name, set->list);
	else
		snprintf(buf, size, "cpu %s", set->list);
}

void vs_set_column(const struct vs_set *set, size_t g, bool letters, const char *word,
		   char *buf, size_t size)
{
	if (letters)
		snprintf(buf, size, "%s %s", word, vs_group_letter(g));
	else if (set->host->name)
		snprintf(buf, size, "%s cpu %s", set->host->name, set->list);
	else
		snprintf(buf, size, "cpu %s", set->list);
}

void vs_json_hosts(struct jw *w, const struct vs_host *h, size_t nh,
		   void (*entry)(struct jw *w, const struct vs_host *h, const void *arg),
		   const void *arg)
{
	size_t i;

	jw_key(w, "hosts");
	jw_array(w);
	for (i = 0; i < nh; i++) {
		jw_object(w);
		jw_key_string(w, "host", h[i].name);
		entry(w, &h[i], arg);
		jw_end(w);
	}
	jw_end(w);
}
