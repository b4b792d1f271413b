// SPDX-License-Identifier: GPL-2.0
/*
 * vmxcap-show: prints the VMX capabilities that vmxcap.ko publishes in
 * /sys/kernel/vmxcap (or a copy of that tree, or a JSON dump), decoded by
 * the shared decoder in include/vmxcap.  Exit status: 0 success, 1 a
 * negative answer (a --require not met, CPUs differ for --diff, no VMX or
 * no module here), 2 an error (bad usage, bad input, a failed --load).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "vmxcap-show.h"

#ifndef VS_VERSION
#define VS_VERSION "0.1"
#endif

#define DEFAULT_SYSFS "/sys/kernel/vmxcap"

static void usage(FILE *out)
{
	fputs("Usage:\n"
	      " vmxcap-show [options]\n"
	      " vmxcap-show [options] adjust FIELD VALUE\n"
	      "\n"
	      "Show the Intel VMX (VT-x) capabilities of every CPU, as vmxcap.ko publishes\n"
	      "them in " DEFAULT_SYSFS ", decoded.\n"
	      "\n"
	      "Input:\n"
	      "     --sysfs-root DIR    read a copy of the tree: DIR/sys/kernel/vmxcap, or DIR itself\n"
	      " -i, --input FILE      decode a JSON dump ('-' for standard input): a --dump,\n"
	      "                       a fixture entry or a list of entries (one CPU each)\n"
	      " -e, --entry ID        with --input, take the list entry with this id (repeatable)\n"
	      " -L, --load            load vmxcap.ko (libkmod) when it is not loaded\n"
	      "\n"
	      "CPUs:\n"
	      " -c, --cpu LIST        CPUs to show, e.g. 0-3,8 (default: cpu0; all for -J, -f, -D, -d, -r)\n"
	      " -a, --all             every CPU\n"
	      "\n"
	      "Output:\n"
	      " -s, --style STYLE     'human' (default) or 'vmxcap': exactly QEMU's vmxcap output\n"
	      " -J, --json            the full decode as JSON (schema: tools/README.md)\n"
	      " -f, --flags           the 'vmx flags' line Linux derives, per CPU\n"
	      " -k, --kernel X.Y      name the flags as Linux X.Y does (e.g. 6.1; default: the\n"
	      "                       running kernel for this machine's tree, else the newest)\n"
	      " -d, --diff            group CPUs by identical capabilities and show what differs\n"
	      " -r, --require LIST    exit 0 when every CPU offers all of LIST (control ids,\n"
	      "                       'vmx flags' names or GROUP.ID), 1 when not, 2 on error\n"
	      " -D, --dump            raw values and identity of every CPU as JSON (--input reads it)\n"
	      "     --color[=WHEN]    colour: auto (default, terminals only; NO_COLOR disables), always, never\n"
	      "\n"
	      "adjust FIELD VALUE:\n"
	      "   FIELD is pinbased, procbased, procbased2, procbased3, exit, exit2, entry, vmfunc:\n"
	      "   VALUE is a number or a list of control ids (ept,vpid,unrestricted_guest); prints the\n"
	      "   value to program and which controls were dropped or forced on.\n"
	      "   FIELD cr0 or cr4: VALUE is the wanted register; prints the value VMX allows and why.\n"
	      " -u, --unrestricted-guest  with cr0: PE and PG may be 0 (the \"unrestricted guest\" control)\n"
	      "\n"
	      " -h, --help            this help\n"
	      " -V, --version         the version\n"
	      "\n"
	      "Exit status: 0 success, 1 a negative answer (requirement not met, CPUs differ,\n"
	      "no VMX or no module here), 2 an error (also --require with no tree on a VMX CPU).\n", out);
}

/* Prints the first input error on one line; the exit status of errors. */
static int fail(void)
{
	fprintf(stderr, "vmxcap-show: %s\n", vs_last_error());
	return 2;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vmxcap-show: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

static bool is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

enum mode { M_HUMAN, M_VMXCAP, M_JSON, M_FLAGS, M_DIFF, M_REQUIRE, M_DUMP, M_ADJUST };

/* What the command line asks for. */
struct cmdline {
	enum mode mode;
	const char *sysfs_root, *input, *cpulist, *require;
	const char *entries[65];	/* NULL-terminated */
	size_t nentries;
	const char *adj_what, *adj_value;
	bool all, load, unrestricted_guest, json;
	int color;			/* -1 auto */
	struct vs_opts o;
};

enum { OPT_SYSFS = 256, OPT_COLOR };

static const struct option longopts[] = {
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS },
	{ "input", required_argument, NULL, 'i' },
	{ "entry", required_argument, NULL, 'e' },
	{ "load", no_argument, NULL, 'L' },
	{ "cpu", required_argument, NULL, 'c' },
	{ "all", no_argument, NULL, 'a' },
	{ "style", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'J' },
	{ "flags", no_argument, NULL, 'f' },
	{ "kernel", required_argument, NULL, 'k' },
	{ "diff", no_argument, NULL, 'd' },
	{ "require", required_argument, NULL, 'r' },
	{ "dump", no_argument, NULL, 'D' },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "unrestricted-guest", no_argument, NULL, 'u' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The options; -1 to exit 0 (--help, --version), 2 on a usage error, 0 to go on. */
static int parse_options(int argc, char **argv, struct cmdline *cl)
{
	/* The output options, each its own mode; at most one may be given. */
	bool vmxcap_style = false, flags = false, diff = false, dump = false;
	size_t i, nmodes = 0;
	int opt;

	opterr = 0;	/* one error line of our own */
	while ((opt = getopt_long(argc, argv, "+i:e:Lc:as:Jfk:dr:DuhV", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_SYSFS:
			cl->sysfs_root = optarg;
			break;
		case 'i':
			cl->input = optarg;
			break;
		case 'e':
			if (cl->nentries == 64)
				return usage_error("at most 64 --entry options");
			cl->entries[cl->nentries++] = optarg;
			break;
		case 'L':
			cl->load = true;
			break;
		case 'c':
			cl->cpulist = optarg;
			break;
		case 'a':
			cl->all = true;
			break;
		case 's':
			if (!strcmp(optarg, "vmxcap"))
				vmxcap_style = true;
			else if (strcmp(optarg, "human"))
				return usage_error("--style: unknown style '%s' (human, vmxcap)", optarg);
			break;
		case 'J':
			cl->json = true;
			break;
		case 'f':
			flags = true;
			break;
		case 'k': {
			unsigned int a, b;
			char extra;

			if (sscanf(optarg, "%u.%u%c", &a, &b, &extra) != 2 || a > 255 || b > 255)
				return usage_error("--kernel: want a release like 6.1, not '%s'", optarg);
			cl->o.kver = VMXCAP_KVER(a, b);
			break;
		}
		case 'd':
			diff = true;
			break;
		case 'r':
			cl->require = optarg;
			break;
		case 'D':
			dump = true;
			break;
		case OPT_COLOR:
			if (!optarg || !strcmp(optarg, "auto"))
				cl->color = -1;
			else if (!strcmp(optarg, "always"))
				cl->color = 1;
			else if (!strcmp(optarg, "never"))
				cl->color = 0;
			else
				return usage_error("--color: want auto, always or never");
			break;
		case 'u':
			cl->unrestricted_guest = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		case 'V':
			printf("vmxcap-show %s (decoder vocabulary %s)\n", VS_VERSION,
			       VMXCAP_DECODER_VERSION);
			return -1;
		default:
			if (optopt && optopt < 256)
				return usage_error("option -%c: %s (try --help)", optopt,
						   strchr("iecskr", optopt) ? "needs an argument" :
						   "unknown option");
			return usage_error("bad option '%s' (try --help)", argv[optind - 1]);
		}
	}
	/* Options may also follow the subcommand: "adjust cr0 0x30 -u". */
	if (optind < argc && !strcmp(argv[optind], "adjust")) {
		int rest = argc - optind - 1;
		char **args = argv + optind + 1;

		for (i = 0; i < (size_t)rest; i++)
			if (!strcmp(args[i], "-u") || !strcmp(args[i], "--unrestricted-guest")) {
				cl->unrestricted_guest = true;
				memmove(&args[i], &args[i + 1], (size_t)(rest - (int)i - 1) * sizeof(*args));
				rest--;
				i--;
			}
		if (rest != 2)
			return usage_error("usage: vmxcap-show [options] adjust FIELD VALUE");
		cl->adj_what = args[0];
		cl->adj_value = args[1];
		cl->mode = M_ADJUST;
		nmodes++;
	} else if (optind < argc) {
		return usage_error("unexpected argument '%s' (try --help)", argv[optind]);
	}
	{
		const struct { bool on; enum mode mode; } modes[] = {
			{ vmxcap_style, M_VMXCAP }, { cl->json && !diff, M_JSON },
			{ flags, M_FLAGS }, { diff, M_DIFF }, { cl->require != NULL, M_REQUIRE },
			{ dump, M_DUMP },
		};

		for (i = 0; i < ARRAY_LEN(modes); i++)
			if (modes[i].on) {
				cl->mode = modes[i].mode;
				nmodes++;
			}
	}
	if (nmodes > 1)
		return usage_error("choose one of --style=vmxcap, --json, --flags, --diff, --require, --dump, adjust");
	if (cl->input && cl->sysfs_root)
		return usage_error("--input and --sysfs-root exclude each other");
	if (cl->nentries && !cl->input)
		return usage_error("--entry selects entries of an --input list");
	if (cl->unrestricted_guest && cl->mode != M_ADJUST)
		return usage_error("--unrestricted-guest belongs to adjust cr0");
	return 0;
}

/*
 * The machine to show: a dump, a copy of a tree or this machine's tree.
 * 0, 2 on an error, or the exit status of the explanation given instead
 * when this machine has no tree.
 */
static int read_source(const struct cmdline *cl, struct vs_machine *m)
{
	char dir[4096];
	int ret;

	if (cl->input)
		return vs_read_dump_file(cl->input, cl->nentries ? cl->entries : NULL, m) ?
		       fail() : 0;
	if (cl->sysfs_root) {
		snprintf(dir, sizeof(dir), "%s/sys/kernel/vmxcap", cl->sysfs_root);
		if (!is_dir(dir))
			snprintf(dir, sizeof(dir), "%s", cl->sysfs_root);
	} else {
		snprintf(dir, sizeof(dir), "%s", DEFAULT_SYSFS);
		if (!is_dir(dir) && cl->load && vs_module_load("vmxcap", "--load"))
			return fail();
		if (!is_dir(dir)) {
			/* No tree: say why (and for --require, a verdict). */
			ret = vs_diagnose(dir, cl->mode == M_REQUIRE, stdout);
			return ret == 2 ? fail() : ret;
		}
	}
	return vs_read_sysfs(dir, m) ? fail() : 0;
}

/* The one CPU that --style=vmxcap and adjust work on, or NULL. */
static const struct vs_cpu *one_cpu(const struct vs_machine *m, const bool *sel,
				    const char *what)
{
	size_t i, n = 0, first = 0;

	for (i = 0; i < m->n; i++)
		if (sel[i] && !n++)
			first = i;
	if (n == 1)
		return &m->cpus[first];
	vs_error("%s works on one CPU; choose it with --cpu N", what);
	return NULL;
}

static int run(const struct cmdline *cl, const struct vs_machine *m, const bool *sel)
{
	const struct vs_cpu *c;

	switch (cl->mode) {
	case M_VMXCAP:
		c = one_cpu(m, sel, "--style=vmxcap");
		return c ? vs_show_vmxcap(c, stdout) : 2;
	case M_ADJUST:
		c = one_cpu(m, sel, "adjust");
		return c ? vs_adjust(c, cl->adj_what, cl->adj_value, cl->unrestricted_guest,
				     stdout) : 2;
	case M_JSON:
		return vs_show_json(m, sel, &cl->o, stdout);
	case M_FLAGS:
		return vs_show_flags(m, sel, &cl->o, stdout);
	case M_DIFF:
		return vs_show_diff(m, sel, &cl->o, cl->json, stdout);
	case M_REQUIRE:
		return vs_require(m, sel, cl->require, stdout);
	case M_DUMP:
		return vs_show_dump(m, sel, stdout);
	default:
		return vs_show_human(m, sel, &cl->o, stdout);
	}
}

int main(int argc, char **argv)
{
	struct cmdline cl = { .mode = M_HUMAN, .color = -1 };
	struct vs_machine m = { 0 };
	const char *nc = getenv("NO_COLOR");
	bool *sel;
	int ret;

	ret = parse_options(argc, argv, &cl);
	if (ret)
		return ret < 0 ? 0 : ret;
	/*
	 * This machine's own tree: name the flags as the running kernel does
	 * in /proc/cpuinfo (and the module in vmx_flags); other machines'
	 * data gets the newest naming unless --kernel says otherwise.
	 */
	if (!cl.o.kver && !cl.input && !cl.sysfs_root) {
		struct utsname u;
		unsigned int a, b;

		if (!uname(&u) && sscanf(u.release, "%u.%u", &a, &b) == 2 && a < 256 && b < 256)
			cl.o.kver = VMXCAP_KVER(a, b);
	}
	cl.o.color = cl.color < 0 ? isatty(STDOUT_FILENO) && !(nc && nc[0]) : cl.color;

	ret = read_source(&cl, &m);
	if (ret)
		return ret;
	sel = vs_select_cpus(&m, cl.cpulist, cl.all || cl.mode == M_JSON || cl.mode == M_FLAGS ||
			     cl.mode == M_DIFF || cl.mode == M_REQUIRE || cl.mode == M_DUMP);
	if (!sel) {
		vs_machine_free(&m);
		return fail();
	}
	ret = run(&cl, &m, sel);
	if (ret == 2)
		fail();
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "vmxcap-show: writing the output: %s\n", strerror(errno));
		ret = 2;
	}
	free(sel);
	vs_machine_free(&m);
	return ret;
}
