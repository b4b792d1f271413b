#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmxcap-show --prometheus read by Debian 12's own Prometheus 2.42 and
# node_exporter 1.5 (scripts/deps.sh fleet), as a fleet would run them:
#   1. promtool check metrics on the output of every fixture entry, and
#      what promtool does not check (tests/cli/prom-lint.awk: series
#      twice, timestamps, raw 64-bit values, family order), and the
#      cardinality (100-300 series per host);
#   2. node_exporter on 127.0.0.1 with only its textfile collector serving
#      the file: node_textfile_scrape_error 0, every series served as
#      written; a copy without its final newline makes it 1 (so the check
#      can fail), the file's mtime as node_textfile_mtime_seconds;
#   3. Prometheus scraping two exporters posing as two hosts, a (4 Skylake-X
#      CPUs, cpu3 with VMX locked off by firmware) and b (2 Tiger Lake and
#      2 Skylake-X CPUs), answering the fleet's questions by PromQL over
#      its HTTP API; the expected answers are computed here from the
#      fixtures' raw values (bash arithmetic, jq, sha256sum), not read from
#      vmxcap-show;
#   4. promtool check rules and test rules on the example alert rules,
#      promtool check config on the configuration used;
#   5. the systemd units as tools/Makefile installs them: systemd-analyze
#      verify, their conditions evaluated by systemd-analyze condition, and
#      the service's own command run against a scratch textfile directory.
# Every server is started in the background, its PID kept, and killed by
# that PID on exit; every wait polls against a deadline.
# Usage: tests/fleet/test-prometheus.sh TOOL SCRATCHDIR (run-fleet.sh does).
set -u
T=$1 W=$2
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DUMPS=$TOP/tests/data/vmx-msr-dumps.json
LINT=$TOP/tests/cli/prom-lint.awk
# shellcheck source=tests/cli/tap.sh
. "$TOP/tests/cli/tap.sh"
NAME=prometheus
PIDS=()
# Functions run from the trap look unreachable to shellcheck.
# shellcheck disable=SC2317

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
}
trap cleanup EXIT
finish() {
	echo "$NAME: $passed passed, $failed failed"
	exit $((failed > 0))
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

for b in promtool prometheus prometheus-node-exporter curl jq; do
	if ! command -v $b >/dev/null; then
		ok 1 "$b is installed (scripts/deps.sh fleet)"
		finish
	fi
done
diag "$(promtool --version 2>&1 | head -n 1)"
diag "$(prometheus-node-exporter --version 2>&1 | head -n 1)"

# ---- 1. every fixture: promtool, our lint, cardinality ----------------------
mkdir -p "$W/fixtures"
nbad=0 nfix=0 minser=100000 maxser=0
while read -r id; do
	f=$W/fixtures/$nfix.prom
	nfix=$((nfix + 1))
	if ! "$T" --input "$DUMPS" --entry "$id" --prometheus >"$f" 2>"$f.err"; then
		diag "$id: exit $?: $(cat "$f.err")"
		nbad=$((nbad + 1))
		continue
	fi
	if ! out=$(promtool check metrics <"$f" 2>&1) || [ -n "$out" ]; then
		diag "$id: promtool check metrics: $out"
		nbad=$((nbad + 1))
	fi
	if ! out=$(awk -v summary=1 -f "$LINT" "$f") || [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" != '\n' ]; then
		diag "$id: $out"
		nbad=$((nbad + 1))
	fi
	s=$(grep -vc '^#' "$f")
	[ "$s" -lt "$minser" ] && minser=$s
	[ "$s" -gt "$maxser" ] && maxser=$s
done < <(jq -r '.[].id' "$DUMPS")
[ "$nfix" -eq "$(jq length "$DUMPS")" ] && [ "$nbad" -eq 0 ]
ok $? "promtool check metrics and the lint (no series twice, no timestamp, integer values, final newline) on each of the $nfix fixtures' output ($nbad failed)"
[ "$maxser" -le 300 ]
ok $? "cardinality: $minser to $maxser series per host (at most 300; fewer where MSRs were not recorded: unknown counts are left out)"
# The lint finds what promtool misses: a series twice, a timestamp.
f=$W/fixtures/0.prom
{ cat "$f"; grep -m 1 '^vmxcap_cpus' "$f"; } >"$W/twice.prom"
sed 's/^\(vmxcap_cpus [0-9]*\)$/\1 1700000000000/' "$f" >"$W/stamp.prom"
promtool check metrics <"$W/twice.prom" >/dev/null 2>&1 &&
	promtool check metrics <"$W/stamp.prom" >/dev/null 2>&1 &&
	! awk -f "$LINT" "$W/twice.prom" >/dev/null && ! awk -f "$LINT" "$W/stamp.prom" >/dev/null
ok $? "a series twice and a timestamp: promtool passes both (as the notes measured), the lint fails both"

# ---- the two hosts' dumps, from the fixtures' raw values ----------------------
skx=bochs:corei7_skylake_x tgl=bochs:tigerlake
set_of() {	# set_of ID CPUS [0x3a]: a dump set with ID's values
	jq --arg id "$1" --arg cpus "$2" --arg fc "${3:-}" '.[] | select(.id == $id) |
		{ cpus: $cpus, vendor, family: 6, model: 0, stepping: 0,
		  msrs: (.msrs + (if $fc != "" then { "0x3a": $fc } else {} end)) }' "$DUMPS"
}
dump() { jq -s '{ format: "vmxcap-dump", version: 2, sets: . }'; }
{ set_of $skx 0-2; set_of $skx 3 0x0000000000000001; } | dump >"$W/a.json"
{ set_of $tgl 0-1; set_of $skx 2-3; } | dump >"$W/b.json"
mkdir -p "$W/a" "$W/b" "$W/bad"
"$T" --input "$W/a.json" --prometheus --output "$W/a/vmxcap.prom" &&
	"$T" --input "$W/b.json" --prometheus --output "$W/b/vmxcap.prom"
ok $? "host a's and host b's files written with --output"
s1=$("$T" --input "$DUMPS" --entry $skx --prometheus | grep -vc '^#')
s4=$(grep -vc '^#' "$W/a/vmxcap.prom")
[ "$s1" -ge 100 ] && [ "$s1" -eq "$s4" ]
ok $? "cardinality does not grow with CPUs: one Skylake-X CPU $s1 series, host a's four $s4 (at least 100: the whole vocabulary)"

# Expected, from the raw values: CPUs of each set whose 0x3a is locked
# (bit 0) with VMX off outside and inside SMX (bits 2, 1); distinct
# capability sets (the MSRs but 0x3a); each set's fingerprint (its
# documented text through sha256sum); CPUs offering MTF (primary
# processor-based control bit 27: allowed-1 is bit 32+27 of 0x482) and EPT
# (secondary bit 1, 0x48b bit 33, and bit 63 of 0x482 that activates them).
ncpus() { jq -r '[.sets[].cpus | split(",")[] | split("-") | map(tonumber) |
	if length == 2 then .[1] - .[0] + 1 else 1 end] | add' "$1"; }
count_where() {	# count_where DUMP TEST: CPUs of the sets whose msrs pass TEST (bash)
	local d=$1 test=$2 n=0 cpus m
	while IFS=$'\t' read -r cpus m; do
		eval "declare -A r=($m)"
		# shellcheck disable=SC2154 # r is declared by the eval
		if (eval "$test"); then
			n=$((n + $(jq -rn --arg c "$cpus" '[$c | split(",")[] | split("-") | map(tonumber) |
				if length == 2 then .[1] - .[0] + 1 else 1 end] | add')))
		fi
	done < <(jq -r '.sets[] | [.cpus, (.msrs | to_entries | map("[\(.key)]=\(.value)") | join(" "))] | @tsv' "$d")
	echo $n
}
# shellcheck disable=SC2016 # bash for count_where to run
locked_off='fc=${r[0x3a]:-}; [ -n "$fc" ] && (( (fc & 1) && !(fc & 6) ))'
has_mtf='(( (r[0x482] >> 59) & 1 ))'
has_ept='(( ((r[0x482] >> 63) & 1) && ((r[0x48b] >> 33) & 1) ))'
fp_of() {
	jq -r --arg id "$1" '.[] | select(.id == $id) | "vmxcap-fingerprint 1",
		(.msrs | to_entries | map(select(.key != "0x3a")) | sort_by(.key) | .[] |
		"\(.key) \(.value | ascii_downcase)")' "$DUMPS" | sha256sum | cut -c1-16
}
sets_of() { jq '[.sets[].msrs | del(.["0x3a"])] | unique | length' "$1"; }
declare -A EXP
for h in a b; do
	EXP[$h.cpus]=$(ncpus "$W/$h.json")
	EXP[$h.locked]=$(count_where "$W/$h.json" "$locked_off")
	EXP[$h.sets]=$(sets_of "$W/$h.json")
	EXP[$h.mtf]=$(count_where "$W/$h.json" "$has_mtf")
	EXP[$h.ept]=$(count_where "$W/$h.json" "$has_ept")
done
fpskx=$(fp_of $skx) fptgl=$(fp_of $tgl)
diag "expected from the raw values: a: ${EXP[a.cpus]} CPUs, ${EXP[a.locked]} locked off, ${EXP[a.sets]} set(s), mtf on ${EXP[a.mtf]}, ept on ${EXP[a.ept]}; b: ${EXP[b.cpus]} CPUs, ${EXP[b.locked]} locked off, ${EXP[b.sets]} set(s), mtf on ${EXP[b.mtf]}, ept on ${EXP[b.ept]}; fingerprints skx $fpskx, tgl $fptgl"

# ---- 2. node_exporter --------------------------------------------------------
# A port nothing listens on (/proc/net/tcp: local address, state 0A); a
# server that still cannot bind it exits, and is started on another.
free_port() {
	local p used
	used=$(awk 'NR > 1 && $4 == "0A" { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null)
	while :; do
		p=$((20000 + RANDOM % 40000))
		printf '%04X\n' $p | grep -qxF "$used" || { echo $p; return; }
	done
}
# wait_url URL PID SECONDS: polls until URL answers; 1 when PID died or time ran out.
wait_url() {
	local end=$(($(now_ms) + $3 * 1000))
	while [ "$(now_ms)" -lt $end ]; do
		curl -sf -o /dev/null "$1" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.02
	done
	return 1
}
# start_exporter DIR: node_exporter serving DIR; sets PORT; 1 when it did not start.
start_exporter() {
	local t0
	for _ in 1 2 3; do
		PORT=$(free_port)
		t0=$(now_ms)
		prometheus-node-exporter --web.listen-address="127.0.0.1:$PORT" \
			--collector.disable-defaults --collector.textfile \
			--collector.textfile.directory="$1" >"$W/exporter-$PORT.log" 2>&1 &
		PIDS+=($!)
		if wait_url "http://127.0.0.1:$PORT/metrics" $! 10; then
			diag "node_exporter (pid $!) for $1 on 127.0.0.1:$PORT: ready in $(($(now_ms) - t0)) ms"
			return 0
		fi
		kill $! 2>/dev/null
	done
	return 1
}
if ! start_exporter "$W/a"; then
	ok 1 "node_exporter started on 127.0.0.1"
	finish
fi
PA=$PORT
if ! start_exporter "$W/b"; then
	ok 1 "second node_exporter started on 127.0.0.1"
	finish
fi
PB=$PORT
scrape() { curl -sf "http://127.0.0.1:$1/metrics"; }
for h in a b; do
	p=$PA
	[ $h = b ] && p=$PB
	scrape "$p" >"$W/served-$h.txt"
	grep -qx 'node_textfile_scrape_error 0' "$W/served-$h.txt"
	ok $? "host $h: node_exporter serves the file, node_textfile_scrape_error 0"
	awk -v mode=series -f "$LINT" "$W/$h/vmxcap.prom" | sort >"$W/written-$h.txt"
	awk -v mode=series -f "$LINT" "$W/served-$h.txt" | sort >"$W/got-$h.txt"
	cmp -s "$W/written-$h.txt" "$W/got-$h.txt" && [ -s "$W/got-$h.txt" ]
	ok $? "host $h: every series served as written ($(wc -l <"$W/got-$h.txt") of $(wc -l <"$W/written-$h.txt"))"
done
mt=$(grep '^node_textfile_mtime_seconds{' "$W/served-a.txt")
diag "node_exporter 1.5.0: $mt"
[ "$(echo "$mt" | sed -E 's/.* ([0-9.e+]+)$/\1/' | awk '{ printf "%d", $1 }')" = "$(stat -c %Y "$W/a/vmxcap.prom")" ]
ok $? "node_textfile_mtime_seconds is the file's mtime (the stale-file alert's input)"
# Without its final newline the whole file is refused: the check above can fail.
head -c -1 "$W/a/vmxcap.prom" >"$W/a/broken.prom"
scrape "$PA" | grep -qx 'node_textfile_scrape_error 1'
ok $? "a copy without its final newline beside it: node_textfile_scrape_error 1"
rm -f "$W/a/broken.prom"
scrape "$PA" | grep -qx 'node_textfile_scrape_error 0'
ok $? "copy removed: node_textfile_scrape_error 0 again"

# ---- 3. Prometheus scraping both -----------------------------------------------
cat >"$W/prometheus.yml" <<EOF
global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [ "$TOP/tools/prometheus/vmxcap-alerts.yml" ]
scrape_configs:
  - job_name: node
    static_configs:
      - { targets: [ "127.0.0.1:$PA" ], labels: { host: a } }
      - { targets: [ "127.0.0.1:$PB" ], labels: { host: b } }
EOF
out=$(promtool check config "$W/prometheus.yml" 2>&1)
ok $? "promtool check config of the two hosts' configuration (and the rules it loads)"
echo "$out" | sed 's/^/# /'
started=no
for _ in 1 2 3; do
	PP=$(free_port)
	t0=$(now_ms)
	prometheus --config.file="$W/prometheus.yml" --storage.tsdb.path="$W/tsdb" \
		--web.listen-address="127.0.0.1:$PP" >"$W/prometheus.log" 2>&1 &
	PIDS+=($!)
	if wait_url "http://127.0.0.1:$PP/-/ready" $! 30; then
		diag "prometheus (pid $!) on 127.0.0.1:$PP: ready in $(($(now_ms) - t0)) ms"
		started=yes
		break
	fi
	kill $! 2>/dev/null
done
if [ $started != yes ]; then
	tail -n 5 "$W/prometheus.log" | sed 's/^/# /'
	ok 1 "prometheus started on 127.0.0.1"
	finish
fi
# query PROMQL: in ANSWER the result as "label=value,... VALUE" lines (job,
# instance and the name left out), sorted; its time in QMS.
query() {
	local t0 r
	t0=$(now_ms)
	r=$(curl -sf "http://127.0.0.1:$PP/api/v1/query" --data-urlencode "query=$1")
	QMS=$(($(now_ms) - t0))
	ANSWER=$(echo "$r" | jq -r 'if .status != "success" then "error: \(.error)" else
		.data.result[] | [(.metric | del(.__name__, .job, .instance) | to_entries |
		map("\(.key)=\(.value)") | join(",")), .value[1]] | join(" ") end' | sort)
}
# Both hosts scraped: Prometheus applies new targets on a 5 s tick, then scrapes.
end=$(($(now_ms) + 30000))
query 'count(vmxcap_info)'
while [ "$(now_ms)" -lt $end ] && [ "$ANSWER" != " 2" ]; do
	sleep 0.2
	query 'count(vmxcap_info)'
done
[ "$ANSWER" = " 2" ]
ok $? "both hosts scraped: count(vmxcap_info) = 2, $(($(now_ms) - t0)) ms after start"

# ask QUESTION PROMQL EXPECTED: the answer, printed with its time, against EXPECTED.
ask() {
	query "$2"
	diag "$1"
	diag "  query:  $2"
	diag "  answer: ${ANSWER:-(none)} (${QMS} ms)" | sed '2,$s/^/#          /'
	[ "$ANSWER" = "$3" ]
	ok $? "$1: $(echo "${3:-(none)}" | paste -sd ';' | sed 's/;/; /g')"
}
# exp_hosts KEY TEST [LABELS]: "LABELShost=H VALUE" lines of the hosts
# whose VALUE, EXP[H.KEY], passes TEST (bash, with v the value, c the CPUs).
exp_hosts() {
	local h
	for h in a b; do
		(eval "v=${EXP[$h.$1]} c=${EXP[$h.cpus]}; $2") && echo "${3:-}host=$h ${EXP[$h.$1]}"
	done
}
ask "hosts with CPUs whose firmware locked VMX off" \
	'vmxcap_status_cpus{status="disabled_by_firmware"} > 0' \
	"$(exp_hosts locked '(( v > 0 ))' | sed 's/ /,status=disabled_by_firmware /')"
ask "hosts whose CPUs differ (more than one capability set)" \
	'vmxcap_capability_sets > 1' "$(exp_hosts sets '(( v > 1 ))')"
ask "groups of identical hosts: hosts per capability fingerprint" \
	'count by (fingerprint) (vmxcap_capabilities_info)' \
	"$(printf 'fingerprint=%s 2\nfingerprint=%s 1\n' "$fpskx" "$fptgl" | sort)"
ask "hosts where no CPU offers the monitor trap flag" \
	'vmxcap_feature_cpus{feature="mtf"} == 0' \
	"$(exp_hosts mtf '(( v == 0 ))' feature=mtf,)"
ask "hosts where not every CPU offers it" \
	'vmxcap_feature_cpus{feature="mtf"} < on(instance) group_left vmxcap_cpus' \
	"$(exp_hosts mtf '(( v < c ))' feature=mtf,)"
ask "hosts lacking EPT" 'vmxcap_feature_cpus{feature="ept"} == 0' \
	"$(exp_hosts ept '(( v == 0 ))' feature=ept,)"
ask "hosts where every CPU offers EPT" \
	'vmxcap_feature_cpus{feature="ept"} == on(instance) group_left vmxcap_cpus' \
	"$(exp_hosts ept '(( v == c ))' feature=ept,)"
ask "CPUs of the fleet whose firmware did not lock VMX off" \
	'sum(vmxcap_cpus) - sum(vmxcap_status_cpus{status="disabled_by_firmware"})' \
	" $((${EXP[a.cpus]} + ${EXP[b.cpus]} - ${EXP[a.locked]} - ${EXP[b.locked]}))"
rules=$(curl -sf "http://127.0.0.1:$PP/api/v1/rules" | jq -r '[.data.groups[].rules[].name] | join(",")')
[ "$rules" = "VMXDisabledByFirmware,VMXCapabilitiesDifferAcrossCPUs,VmxcapTextfileStale" ]
ok $? "prometheus loaded the example alert rules: $rules"

# ---- 4. the rules, offline ----------------------------------------------------------
out=$(promtool check rules "$TOP/tools/prometheus/vmxcap-alerts.yml" 2>&1)
ok $? "promtool check rules tools/prometheus/vmxcap-alerts.yml: $(echo "$out" | grep -o 'SUCCESS.*')"
out=$(cd "$TOP/tests/fleet" && promtool test rules vmxcap-alerts.test.yml 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
[ $rc -eq 0 ] && echo "$out" | grep -q SUCCESS
ok $? "promtool test rules tests/fleet/vmxcap-alerts.test.yml"

# ---- 5. the systemd units ---------------------------------------------------------
# As tools/Makefile installs them (a prefix of our own: the service then
# runs the binary installed beside them).
U=$W/prefix/lib/systemd/system
make -s -C "$TOP/tools" install PREFIX="$W/prefix" >"$W/install.log" 2>&1
rc=$?
[ $rc -eq 0 ] && [ -f "$U/vmxcap-prometheus.service" ] && [ -f "$U/vmxcap-prometheus.timer" ] &&
	grep -qx "ExecStart=$W/prefix/bin/vmxcap-show --prometheus --output /var/lib/prometheus/node-exporter/vmxcap.prom" \
		"$U/vmxcap-prometheus.service"
ok $? "make -C tools install PREFIX=...: the service and the timer in PREFIX/lib/systemd/system, ExecStart naming PREFIX/bin/vmxcap-show"
if command -v systemd-analyze >/dev/null; then
	# It exits 0 on unknown keys: its words are the verdict.
	out=$(systemd-analyze verify --man=no "$U/vmxcap-prometheus.service" "$U/vmxcap-prometheus.timer" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && [ -z "$out" ]
	ok $? "systemd-analyze verify (systemd $(systemd-analyze --version | awk 'NR == 1 { print $2 }')) of the service and the timer: no word${out:+: $out}"
	# The conditions, evaluated by systemd: the service's and the timer's
	# alike; they hold where node_exporter's directory exists on x86, and
	# not where it does not.
	mapfile -t conds < <(sed -n 's/^\(Condition[A-Za-z]*=.*\)/\1/p' "$U/vmxcap-prometheus.service")
	exp=1
	[ -d /var/lib/prometheus/node-exporter ] && case $(uname -m) in x86_64 | i?86) exp=0 ;; esac
	systemd-analyze condition "${conds[@]}" >/dev/null 2>&1
	rc=$?
	systemd-analyze condition "${conds[@]/\/var\/lib\/prometheus\/node-exporter/$W/missing}" >/dev/null 2>&1
	rc2=$?
	[ $rc -eq $exp ] && [ $rc2 -eq 1 ] && [ ${#conds[@]} -ge 2 ] &&
		[ "$(sed -n 's/^Condition/&/p' "$U/vmxcap-prometheus.timer")" = "$(printf '%s\n' "${conds[@]}")" ]
	ok $? "systemd-analyze condition of the units' ${#conds[@]} conditions: $([ $rc -eq 0 ] && echo hold || echo fail) here ($(uname -m), node_exporter's directory $([ -d /var/lib/prometheus/node-exporter ] || echo "not ")there), fail without the directory; the timer's are the service's"
else
	diag "systemd-analyze not installed: the units' syntax not checked"
fi
cmd=$(sed -n 's/^ExecStart=//p' "$U/vmxcap-prometheus.service")
mkdir -p "$W/textfile"
# shellcheck disable=SC2086 # the unit's words
(umask 077 && ${cmd//\/var\/lib\/prometheus\/node-exporter/$W/textfile})
rc=$?
f=$W/textfile/vmxcap.prom
[ $rc -eq 0 ] && [ "$(stat -c %a "$f" 2>/dev/null)" = 644 ] && promtool check metrics <"$f" &&
	awk -f "$LINT" "$f" && [ "$(ls -A "$W/textfile")" = vmxcap.prom ]
ok $? "the service's command on this machine ($(grep -o 'source="[a-z]*"' "$f")), its directory made a scratch one: exit $rc, a 0644 file under umask 077 that promtool passes, no temporary file left"
finish
