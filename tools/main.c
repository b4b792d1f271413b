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
#include <unistd.h>

#include "hv.h"
#include "kvm.h"

#ifndef VS_VERSION
#define VS_VERSION "0.1"
#endif


static void usage(FILE *out)
{
	fputs("Usage:\n"
	      " vmxcap-show [options]                  the answer first: verdict, features\n"
	      " vmxcap-show [options] --long           every control, field and CR bit\n"
	      " vmxcap-show [options] adjust FIELD VALUE\n"
	      " vmxcap-show [options] baseline DUMP...  the VMX configuration valid on\n"
	      "                                        every CPU of every DUMP, as a dump\n"
	      " vmxcap-show explain NAME...            what a control, field or bit means\n"
	      " vmxcap-show --list-features            the names --require and explain take\n"
	      "\n"
	      "Show the Intel VMX (VT-x) capabilities of every CPU, decoded.\n"
	      "\n"
	      "Source (this machine: the first that works, or the one chosen):\n"
	      "     --source WHICH    sysfs (vmxcap.ko), msr (msr.ko, root), cpuinfo\n"
	      "                       (/proc/cpuinfo and CPUID: Linux's vmx flags only)\n"
	      "                       or auto (the default); kvm: the VMX MSRs /dev/kvm\n"
	      "                       offers nested guests (kvm_intel loaded, nested=1)\n"
	      " -L, --load            load vmxcap.ko (libkmod) when it is not loaded\n"
	      "     --sysroot DIR     a copy of a machine's /proc, /sys and /dev/cpu in DIR\n"
	      "     --sysfs-root DIR  a copy of the tree: DIR/sys/kernel/vmxcap, or DIR\n"
	      " -i, --input FILE      a JSON dump ('-' for standard input): a --dump, a\n"
	      "                       fixture entry or a list of entries (one CPU each);\n"
	      "                       repeatable, or a directory of *.json: each file a\n"
	      "                       host (the summary, --diff, --json, --require)\n"
	      " -e, --entry ID        with one --input, take the list entry with this id\n"
	      "\n"
	      "CPUs:\n"
	      " -c, --cpu LIST        CPUs to show, e.g. 0-3,8 (default: every CPU; cpu0\n"
	      "                       for --long, --style=vmxcap and adjust)\n"
	      " -a, --all             every CPU\n"
	      "\n"
	      "Output:\n"
	      " -l, --long            every control, field and CR0/CR4 bit of the CPU\n"
	      " -m, --meaning         with --long: a few words of meaning, not the SDM's name\n"
	      " -s, --style STYLE     'human' (default) or 'vmxcap': QEMU vmxcap's output\n"
	      " -J, --json            the full decode as JSON (schema: tools/README.md)\n"
	      " -f, --flags           the 'vmx flags' line Linux prints, per CPU\n"
	      " -k, --kernel X.Y      name the flags as Linux X.Y does (default: the\n"
	      "                       kernel the values were read on, else the newest)\n"
	      " -d, --diff            group CPUs by identical capabilities, show what differs\n"
	      " -r, --require LIST    exit 0 when every CPU offers all of LIST (control ids,\n"
	      "                       vmx flags, QEMU names or GROUP.ID), 1 when not, 2 when\n"
	      "                       it cannot tell; LIST may name hypervisors (kvm): whether\n"
	      "                       they run here, with what (--json: one object each)\n"
	      "     --kvm-param LIST  with --require kvm and --nested-view: kvm_intel's\n"
	      "                       parameters as given to modprobe (ept=0,pml=0)\n"
	      "     --hypervisor-version V  with --require xen: the Xen release (4.17 ...)\n"
	      "     --tsc-khz N       the TSC frequency (KVM's preemption timer), where the\n"
	      "                       values do not carry it\n"
	      "     --nested-view     show what KVM offers its nested guests instead: the\n"
	      "                       VMX MSRs predicted from the host's (--kernel: KVM's\n"
	      "                       version), which --source kvm reads from /dev/kvm\n"
	      " -D, --dump            raw values and identity of every CPU as JSON\n"
	      "     --facts           a few hundred bytes of JSON for Ansible and Facter:\n"
	      "                       verdicts, fingerprints, features on every CPU,\n"
	      "                       hypervisor verdicts (schema: tools/README.md)\n"
	      "     --nfd             Kubernetes NFD's feature file: labels of what every\n"
	      "                       CPU offers (write it with --output)\n"
	      "     --nfd-prefix P    the labels' namespace (default\n"
	      "                       vmxcap.feature.node.kubernetes.io/)\n"
	      "     --nfd-expiry T    the labels' lifetime: 24h (default), 90m, 2d, 3600\n"
	      "     --prometheus      counts for node_exporter's textfile collector (the\n"
	      "                       text exposition format; metrics: tools/README.md)\n"
      " -o, --output FILE     write the output to FILE, replaced whole: through a\n"
      "                       temporary file beside it, kept only when the exit\n"
      "                       status is 0 or 1 (else FILE stays as it was)\n"
	      "     --color[=WHEN]    auto (default: terminals only, not with NO_COLOR or\n"
	      "                       TERM=dumb), always or never\n"
	      "\n"
	      "adjust FIELD VALUE:\n"
	      "   FIELD pinbased, procbased, procbased2, procbased3, exit, exit2, entry or\n"
	      "   vmfunc: VALUE is a number or a list of controls (ept,vpid); prints the value\n"
	      "   to program and the controls dropped or forced on.  FIELD cr0 or cr4: VALUE\n"
	      "   is the wanted register; prints the value VMX allows and why.\n"
	      " -u, --unrestricted-guest  with cr0: PE and PG may be 0\n"
	      "\n"
	      "baseline DUMP... (or --input, repeatable, or a directory):\n"
	      "   each DUMP a host; writes the dump of the most capable VMX configuration\n"
	      "   every CPU of every host accepts (must-be-1 bits OR-ed, may-be-1 bits\n"
	      "   AND-ed, counts at their minimum); says on stderr what it leaves unknown\n"
	      "   and what each host offers beyond it.  Exit 1, writing nothing, when the\n"
	      "   hosts conflict (VMCS revision, size, memory type, timer rate, a bit one\n"
	      "   forces and another forbids), each conflict named.\n"
	      "\n"
	      " -h, --help            this help\n"
	      " -V, --version         the version\n"
	      "\n"
	      "Exit status: 0 success, 1 a negative answer (no VMX here, a requirement not\n"
	      "met, CPUs differ), 2 an error or no answer (bad usage or input, a failed\n"
	      "--load, a --require the source cannot answer).\n", out);
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

enum mode {
	M_SUMMARY, M_LONG, M_VMXCAP, M_JSON, M_FLAGS, M_DIFF, M_REQUIRE, M_DUMP, M_ADJUST,
	M_FACTS, M_NFD, M_PROMETHEUS,
	M_BASELINE,
	/* These read no machine. */
	M_EXPLAIN, M_LIST, M_COMPLETE,
};

/* What the command line asks for. */
struct cmdline {
	enum mode mode;
	const char *sysfs_root, *sysroot, *input, *cpulist, *require;
	const char **inputs;		/* every --input, in order; input is the first */
	size_t ninputs;
	bool hosts;			/* several inputs (or a directory): each file a host */
	enum vs_source source;
	const char *entries[65];	/* NULL-terminated */
	size_t nentries;
	const char *adj_what, *adj_value;
	char **explain;			/* explain's names */
	size_t nexplain;
	const char *complete;
	const char *output;		/* --output FILE, or NULL: standard output */
	struct vs_nfd_opts nfd;		/* --nfd-prefix, --nfd-expiry */
	bool all, load, unrestricted_guest, json, nested_view;
	int color;			/* -1 auto */
	unsigned long tsc_khz;		/* --tsc-khz, 0 when not given */
	struct vs_opts o;
	struct vs_hv_args hv;
};

enum {
	OPT_SYSFS = 256, OPT_COLOR, OPT_SYSROOT, OPT_SOURCE, OPT_LIST, OPT_COMPLETE,
	OPT_KVM_PARAM, OPT_HV_VERSION, OPT_NESTED, OPT_TSC, OPT_FACTS, OPT_NFD, OPT_NFD_PREFIX,
	OPT_NFD_EXPIRY, OPT_PROMETHEUS,
};

static const struct option longopts[] = {
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS },
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "input", required_argument, NULL, 'i' },
	{ "entry", required_argument, NULL, 'e' },
	{ "load", no_argument, NULL, 'L' },
	{ "cpu", required_argument, NULL, 'c' },
	{ "all", no_argument, NULL, 'a' },
	{ "long", no_argument, NULL, 'l' },
	{ "meaning", no_argument, NULL, 'm' },
	{ "style", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'J' },
	{ "flags", no_argument, NULL, 'f' },
	{ "kernel", required_argument, NULL, 'k' },
	{ "diff", no_argument, NULL, 'd' },
	{ "require", required_argument, NULL, 'r' },
	{ "dump", no_argument, NULL, 'D' },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "unrestricted-guest", no_argument, NULL, 'u' },
	{ "list-features", no_argument, NULL, OPT_LIST },
	{ "complete", required_argument, NULL, OPT_COMPLETE },
	{ "kvm-param", required_argument, NULL, OPT_KVM_PARAM },
	{ "hypervisor-version", required_argument, NULL, OPT_HV_VERSION },
	{ "nested-view", no_argument, NULL, OPT_NESTED },
	{ "tsc-khz", required_argument, NULL, OPT_TSC },
	{ "output", required_argument, NULL, 'o' },
	{ "facts", no_argument, NULL, OPT_FACTS },
	{ "nfd", no_argument, NULL, OPT_NFD },
	{ "nfd-prefix", required_argument, NULL, OPT_NFD_PREFIX },
	{ "nfd-expiry", required_argument, NULL, OPT_NFD_EXPIRY },
	{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* An option's value none of values: said with the nearest ones. */
static int bad_value(const char *option, const char *value, const char *const *values,
		     size_t n)
{
	char hint[200];
	size_t i, len = 0;
	char all[200];

	for (i = 0; i < n; i++)
		len += (size_t)snprintf(all + len, sizeof(all) - len, "%s%s",
					i ? i + 1 == n ? " or " : ", " : "", values[i]);
	vs_suggest(value, values, n, hint, sizeof(hint));
	return usage_error("%s: unknown value '%s'%s (want %s)", option, value, hint, all);
}

/* An option getopt did not take: unknown (with the nearest), or missing its value. */
static int bad_option(const char *arg)
{
	const char *names[ARRAY_LEN(longopts)];
	char hint[200], dashed[ARRAY_LEN(longopts)][40];
	size_t i, n = 0;

	if (arg[0] == '-' && arg[1] == '-') {
		for (i = 0; longopts[i].name; i++)
			if (!strcmp(arg + 2, longopts[i].name) && longopts[i].has_arg == required_argument)
				return usage_error("option %s: needs an argument (try --help)", arg);
		for (i = 0; longopts[i].name; i++) {
			if (!strcmp(longopts[i].name, "complete"))
				continue;	/* for the completion script only */
			snprintf(dashed[n], sizeof(dashed[n]), "--%s", longopts[i].name);
			names[n] = dashed[n];
			n++;
		}
		vs_suggest(arg, names, n, hint, sizeof(hint));
		return usage_error("bad option '%s'%s (try --help)", arg, hint);
	}
	if (optopt && optopt < 256)
		return usage_error("option -%c: %s (try --help)", optopt,
				   strchr("iecskro", optopt) ? "needs an argument" : "unknown option");
	return usage_error("bad option '%s' (try --help)", arg);
}

/*
 * Several hosts: the outputs that compare them take them; those of one
 * CPU or one machine's file (--long, --dump, ...) want one --input.
 */
static int check_hosts(const struct cmdline *cl)
{
	static const struct { enum mode mode; const char *what; } one[] = {
		{ M_LONG, "--long shows one CPU" },
		{ M_VMXCAP, "--style=vmxcap shows one CPU" },
		{ M_ADJUST, "adjust works on one CPU" },
		{ M_FLAGS, "--flags prints Linux's lines of one machine" },
		{ M_DUMP, "--dump writes one machine's dump" },
		{ M_FACTS, "--facts describes one host" },
		{ M_NFD, "--nfd labels one node" },
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(one); i++)
		if (cl->mode == one[i].mode)
			return usage_error("%s: give one --input FILE (several inputs, each a host, take the summary, --diff, --json, --require and --prometheus)",
					   one[i].what);
	if (cl->nentries)
		return usage_error("--entry picks entries of one --input list, not of several hosts: write each entry to a file first (--entry ID --dump > ID.json)");
	if (cl->nested_view)
		return usage_error("--nested-view works on one --input, not on several hosts");
	return 0;
}

/* The options; -1 to exit 0 (--help, --version), 2 on a usage error, 0 to go on. */
static int parse_options(int argc, char **argv, struct cmdline *cl)
{
	/* The output options, each its own mode; at most one may be given. */
	bool vmxcap_style = false, flags = false, diff = false, dump = false, lng = false;
	bool list = false, facts = false, nfd = false, prometheus = false;
	size_t i, nmodes = 0;
	int opt;

	opterr = 0;	/* one error line of our own */
	while ((opt = getopt_long(argc, argv, "+i:e:Lc:alms:Jfk:dr:Do:uhV", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_SYSFS:
			cl->sysfs_root = optarg;
			break;
		case OPT_SYSROOT:
			cl->sysroot = optarg;
			break;
		case OPT_SOURCE: {
			static const char *const sources[] = { "sysfs", "msr", "cpuinfo", "kvm", "auto" };
			int src = vs_source_by_name(optarg);

			if (src < 0)
				return bad_value("--source", optarg, sources, ARRAY_LEN(sources));
			cl->source = (enum vs_source)src;
			break;
		}
		case 'i':
			/* Each a host (hosts.c); argc bounds how many there can be. */
			if (!cl->inputs)
				cl->inputs = xcalloc((size_t)argc, sizeof(*cl->inputs));
			cl->inputs[cl->ninputs++] = optarg;
			if (!cl->input)
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
		case 'l':
			lng = true;
			break;
		case 'm':
			cl->o.meaning = true;
			break;
		case 's': {
			static const char *const styles[] = { "human", "vmxcap" };

			if (!strcmp(optarg, "vmxcap"))
				vmxcap_style = true;
			else if (strcmp(optarg, "human"))
				return bad_value("--style", optarg, styles, ARRAY_LEN(styles));
			break;
		}
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
		case 'o':
			cl->output = optarg;
			break;
		case OPT_COLOR: {
			static const char *const whens[] = { "auto", "always", "never" };

			if (!optarg || !strcmp(optarg, "auto"))
				cl->color = -1;
			else if (!strcmp(optarg, "always"))
				cl->color = 1;
			else if (!strcmp(optarg, "never"))
				cl->color = 0;
			else
				return bad_value("--color", optarg, whens, ARRAY_LEN(whens));
			break;
		}
		case OPT_LIST:
			list = true;
			break;
		case OPT_FACTS:
			facts = true;
			break;
		case OPT_NFD:
			nfd = true;
			break;
		case OPT_NFD_PREFIX:
			cl->nfd.prefix = optarg;
			break;
		case OPT_NFD_EXPIRY:
			cl->nfd.expiry = optarg;
			break;
		case OPT_PROMETHEUS:
			prometheus = true;
			break;
		case OPT_COMPLETE:
			cl->complete = optarg;
			break;
		case OPT_KVM_PARAM:
			cl->hv.kvm_params = optarg;
			break;
		case OPT_HV_VERSION:
			cl->hv.hv_version = optarg;
			break;
		case OPT_NESTED:
			cl->nested_view = true;
			break;
		case OPT_TSC: {
			char *e;

			cl->tsc_khz = strtoul(optarg, &e, 10);
			if (!optarg[0] || *e || optarg[0] == '-' || !cl->tsc_khz || cl->tsc_khz > 100000000)
				return usage_error("--tsc-khz: want the TSC frequency in kHz (2400000), not '%s'",
						   optarg);
			break;
		}
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
			return bad_option(argv[optind - 1]);
		}
	}
	if (optind < argc && !strcmp(argv[optind], "explain")) {
		cl->explain = argv + optind + 1;
		cl->nexplain = (size_t)(argc - optind - 1);
		cl->mode = M_EXPLAIN;
		nmodes++;
		optind = argc;
	}
	/* baseline DUMP...: each a host, as an --input. */
	if (optind < argc && !strcmp(argv[optind], "baseline")) {
		if (!cl->inputs)
			cl->inputs = xcalloc((size_t)argc, sizeof(*cl->inputs));
		for (i = (size_t)optind + 1; i < (size_t)argc; i++)
			cl->inputs[cl->ninputs++] = argv[i];
		if (!cl->ninputs)
			return usage_error("baseline: name the dumps to combine: vmxcap-show baseline DUMP...");
		if (!cl->input)
			cl->input = cl->inputs[0];
		cl->mode = M_BASELINE;
		nmodes++;
		optind = argc;
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
		static const char *const commands[] = { "adjust", "baseline", "explain" };
		char hint[200];

		vs_suggest(argv[optind], commands, ARRAY_LEN(commands), hint, sizeof(hint));
		return usage_error("unexpected argument '%s'%s (try --help)", argv[optind], hint);
	}
	{
		const struct { bool on; enum mode mode; } modes[] = {
			{ lng, M_LONG }, { vmxcap_style, M_VMXCAP },
			{ cl->json && !diff && !cl->require, M_JSON },
			{ flags, M_FLAGS }, { diff, M_DIFF }, { cl->require != NULL, M_REQUIRE },
			{ dump, M_DUMP }, { list, M_LIST }, { cl->complete != NULL, M_COMPLETE },
			{ facts, M_FACTS }, { nfd, M_NFD }, { prometheus, M_PROMETHEUS },
		};

		for (i = 0; i < ARRAY_LEN(modes); i++)
			if (modes[i].on) {
				cl->mode = modes[i].mode;
				nmodes++;
			}
	}
	if (nmodes > 1)
		return usage_error("choose one of --long, --style=vmxcap, --json, --flags, --diff, --require, --dump, --facts, --nfd, --prometheus, --list-features, adjust, baseline, explain");
	if (!!cl->input + !!cl->sysfs_root + !!cl->sysroot > 1)
		return usage_error("--input, --sysfs-root and --sysroot exclude each other");
	if (cl->source && (cl->input || cl->sysfs_root))
		return usage_error("--source chooses how this machine is read: not with %s",
				   cl->input ? "--input" : "--sysfs-root");
	if (cl->nentries && !cl->input)
		return usage_error("--entry selects entries of an --input list");
	if (cl->unrestricted_guest && cl->mode != M_ADJUST)
		return usage_error("--unrestricted-guest belongs to adjust cr0");
	if (cl->hv.kvm_params && !cl->nested_view && cl->mode != M_REQUIRE &&
	    cl->mode != M_PROMETHEUS)
		return usage_error("--kvm-param belongs to --require kvm, --prometheus and --nested-view");
	if ((cl->nfd.prefix || cl->nfd.expiry) && cl->mode != M_NFD)
		return usage_error("--nfd-prefix and --nfd-expiry belong to --nfd");
	if (cl->nested_view && cl->source == VS_SOURCE_KVM)
		return usage_error("--nested-view predicts what --source kvm reads: choose one");
	cl->hv.kver = cl->o.kver;
	/* A baseline's inputs are hosts, also a single file. */
	cl->hosts = (vs_inputs_are_hosts(cl->inputs, cl->ninputs) || cl->mode == M_BASELINE) &&
		    cl->mode != M_EXPLAIN && cl->mode != M_LIST && cl->mode != M_COMPLETE;
	return cl->hosts ? check_hosts(cl) : 0;
}

/* The machine to show: a dump, a copy of a tree, or this machine (or a copy). */
static int read_source(const struct cmdline *cl, struct vs_machine *m)
{
	struct vs_source_request req = {
		.want = cl->source, .root = cl->sysroot ? cl->sysroot : "", .load = cl->load,
	};
	char dir[4096];

	if (cl->input)
		return vs_read_dump_file(cl->input, cl->nentries ? cl->entries : NULL, m) ?
		       fail() : 0;
	if (cl->source == VS_SOURCE_KVM)
		return vs_read_kvm(req.root, m) ? fail() : 0;
	if (cl->sysfs_root) {
		snprintf(dir, sizeof(dir), "%s/sys/kernel/vmxcap", cl->sysfs_root);
		if (!is_dir(dir))
			snprintf(dir, sizeof(dir), "%s", cl->sysfs_root);
		return vs_read_sysfs(dir, m) ? fail() : 0;
	}
	return vs_read_machine(&req, m) ? fail() : 0;
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
	/* The outputs that compare hosts take the only machine as one, unnamed. */
	const struct vs_host one = { NULL, m, sel, cl->o.kver };
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
		return vs_show_json(&one, 1, &cl->o, stdout);
	case M_FLAGS:
		return vs_show_flags(m, sel, &cl->o, stdout);
	case M_DIFF:
		return vs_show_diff(&one, 1, &cl->o, cl->json, stdout);
	case M_REQUIRE:
		return vs_readiness(&one, 1, cl->require, &cl->hv, cl->json, stdout);
	case M_DUMP:
		return vs_show_dump(m, sel, stdout);
	case M_FACTS:
		return vs_show_facts(&one, &cl->hv, stdout);
	case M_NFD:
		return vs_show_nfd(&one, &cl->hv, &cl->nfd, stdout);
	case M_PROMETHEUS:
		return vs_show_prometheus(&one, 1, &cl->hv, stdout);
	case M_LONG:
		return vs_show_human(m, sel, &cl->o, stdout);
	default:
		return vs_show_summary(&one, 1, &cl->o, stdout);
	}
}

/* Flushes stdout: an output that could not be written is an error. */
static int finish(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "vmxcap-show: writing the output: %s\n", strerror(errno));
		ret = 2;
	}
	return ret;
}

/* Several hosts: each --input file (or directory entry) read and shown as one. */
static int run_hosts(const struct cmdline *cl)
{
	struct vs_hosts h;
	size_t i;
	int ret;

	if (vs_read_hosts(cl->inputs, cl->ninputs, &h))
		return fail();
	for (i = 0; i < h.n; i++) {
		struct vs_machine *m = &h.machines[i];

		if (cl->tsc_khz) {
			m->tsc_khz = cl->tsc_khz;
			snprintf(m->tsc_from, sizeof(m->tsc_from), "--tsc-khz");
		}
		/* --cpu LIST applies to every host; the error names the host's file. */
		h.sels[i] = vs_select_cpus(m, cl->cpulist, true);
		if (!h.sels[i]) {
			vs_hosts_free(&h);
			return fail();
		}
		h.v[i].sel = h.sels[i];
		h.v[i].kver = cl->o.kver ? cl->o.kver : m->kver;
	}
	switch (cl->mode) {
	case M_JSON:
		ret = vs_show_json(h.v, h.n, &cl->o, stdout);
		break;
	case M_DIFF:
		ret = vs_show_diff(h.v, h.n, &cl->o, cl->json, stdout);
		break;
	case M_REQUIRE:
		ret = vs_readiness(h.v, h.n, cl->require, &cl->hv, cl->json, stdout);
		break;
	case M_BASELINE:
		ret = vs_baseline(h.v, h.n, stdout, stderr);
		break;
	case M_PROMETHEUS:
		ret = vs_show_prometheus(h.v, h.n, &cl->hv, stdout);
		break;
	default:
		ret = vs_show_summary(h.v, h.n, &cl->o, stdout);
		break;
	}
	if (ret == 2)
		fail();
	vs_hosts_free(&h);
	return finish(ret);
}

/* What the command line asks for, done: the exit status. */
static int run_command(const struct cmdline *args)
{
	struct cmdline cl = *args;
	struct vs_machine m = { 0 };
	bool *sel;
	int ret;

	if (cl.mode == M_EXPLAIN || cl.mode == M_LIST || cl.mode == M_COMPLETE) {
		if (cl.mode == M_EXPLAIN)
			ret = vs_explain(cl.explain, cl.nexplain, stdout);
		else if (cl.mode == M_LIST)
			ret = vs_list_features(&cl.o, stdout);
		else if (!strcmp(cl.complete, "entries"))
			/* From a file only: standard input is the user's to type. */
			ret = cl.input && strcmp(cl.input, "-") ? vs_dump_entry_ids(cl.input, stdout) : 0;
		else
			ret = vs_complete(cl.complete, stdout);
		free(cl.inputs);
		return ret == 2 ? fail() : ret;
	}
	if (cl.hosts) {
		ret = run_hosts(&cl);
		free(cl.inputs);
		return ret;
	}
	free(cl.inputs);

	ret = read_source(&cl, &m);
	if (ret)
		return ret;
	/* What hypervisors read besides VMX: for a dump to carry, and the profiles. */
	if (m.root && (cl.mode == M_DUMP || cl.mode == M_REQUIRE || cl.mode == M_FACTS ||
		       cl.mode == M_NFD || cl.mode == M_PROMETHEUS || cl.nested_view))
		vs_read_facts(&m);
	if (cl.tsc_khz) {
		m.tsc_khz = cl.tsc_khz;
		snprintf(m.tsc_from, sizeof(m.tsc_from), "--tsc-khz");
	}
	/* --diff of a nested view: against the host it comes from. */
	if (cl.mode == M_DIFF && (cl.nested_view || cl.source == VS_SOURCE_KVM)) {
		struct vs_machine host = { 0 };
		struct cmdline hcl = cl;
		char label[200];

		hcl.source = VS_SOURCE_AUTO;
		ret = read_source(&hcl, &host);
		if (ret) {
			vs_machine_free(&m);
			return ret;
		}
		if (cl.nested_view && vs_kvm_nested_machine(&m, &cl.hv)) {
			vs_machine_free(&m);
			vs_machine_free(&host);
			return fail();
		}
		snprintf(label, sizeof(label), "KVM's nested view (%s)",
			 cl.nested_view ? "predicted" : "/dev/kvm");
		vs_machine_append(&host, &m, "host", label);
		m = host;
	} else if (cl.nested_view && vs_kvm_nested_machine(&m, &cl.hv)) {
		vs_machine_free(&m);
		return fail();
	}
	/*
	 * Name the flags as the kernel the values were read on does in
	 * /proc/cpuinfo (and the module in vmx_flags); data of an unknown
	 * kernel gets the newest naming unless --kernel says otherwise.
	 */
	if (!cl.o.kver)
		cl.o.kver = m.kver;
	/* --long, --style=vmxcap and adjust show one CPU unless told otherwise. */
	sel = vs_select_cpus(&m, cl.cpulist, cl.all || (cl.mode != M_LONG && cl.mode != M_VMXCAP &&
							cl.mode != M_ADJUST));
	if (!sel) {
		vs_machine_free(&m);
		return fail();
	}
	/* Only a dump records the host: a live machine's (or a copy's) is read for it. */
	if (cl.mode == M_DUMP && m.root)
		vs_read_host_facts(&m, &m.host);
	ret = run(&cl, &m, sel);
	if (ret == 2)
		fail();
	free(sel);
	vs_machine_free(&m);
	return finish(ret);
}

int main(int argc, char **argv)
{
	struct cmdline cl = { .mode = M_SUMMARY, .color = -1 };
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	struct vs_output out;
	int ret;

	ret = parse_options(argc, argv, &cl);
	if (ret) {
		free(cl.inputs);
		return ret < 0 ? 0 : ret;
	}
	/* A file is not a terminal: no colour unless asked for. */
	cl.o.color = cl.color < 0 ? !cl.output && isatty(STDOUT_FILENO) && !(nc && nc[0]) &&
		     !(term && !strcmp(term, "dumb")) : cl.color;
	if (cl.output && vs_output_begin(&out, cl.output)) {
		free(cl.inputs);
		return fail();
	}
	ret = run_command(&cl);
	/*
	 * Exit 1 is an answer (no VMX, a requirement not met): its output is
	 * whole; but conflicting hosts have no baseline, and the last one stays.
	 */
	if (cl.output && cl.mode == M_BASELINE && ret == 1)
		vs_output_end(&out, false);
	else if (cl.output && vs_output_end(&out, ret != 2))
		ret = 2;
	return ret;
}
