#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-build.sh (make check-build): the module build matrix.
#   - For Debian's 6.1 (bookworm), 6.12 (bookworm-backports) and 7.3
#     (trixie-backports, built inside scripts/trixie-chroot.sh) headers, from
#     scripts/kernel-cache.sh: copy Kbuild, module/ and include/ (and VERSION)
#     to a scratch directory and run `make -C KDIR M=... W=1 C=1 modules`.
#     Any output line that is not kbuild's ordinary progress (compiler or
#     sparse warnings, notes, modpost messages) fails the kernel.  The .ko
#     must exist, carry the kernel's vermagic, and have description,
#     license, version and author in modinfo, and no parameter (fake_vmx
#     is for the debug machines' test builds only).
#   - checkpatch.pl --strict --no-tree -f on every module/*.[ch] and
#     include/vmxcap/*.[ch]; checkpatch.pl, spelling.txt and
#     const_structs.checkpatch come from /usr/src/linux-source-6.1.tar.xz,
#     extracted into the cache, never into the repo.
#   - scripts/check-dkms.sh (DKMS install against the installed 6.1 headers).
# Everything fetched is cached in ${VMXCAP_CACHE:-/var/cache/vmxcap}.
# VMXCAP_KERNELS="6.1 6.12 7.3" selects kernels.  Prints TAP-ish lines and
# ends with "N passed, N failed"; exits non-zero when anything failed.
# Functions run from traps and subshells look unreachable to shellcheck.
# shellcheck disable=SC2317
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(pwd -P)
CACHE=${VMXCAP_CACHE:-/var/cache/vmxcap}
KERNELS=${VMXCAP_KERNELS:-6.1 6.12 7.3}

n=0
passed=0
failed=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
comment() { sed 's/^/# /'; }
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

if scripts/deps.sh build; then
	ok "build dependencies installed (scripts/deps.sh build)"
else
	not_ok "scripts/deps.sh build"
	finish
fi

W=$(mktemp -d /tmp/vmxcap-check-build.XXXXXX)
declare -A pid=()
cleanup() {
	local p
	# Background fetchers hold locks and leave complete caches or none;
	# stop them rather than leave them running after we are gone.
	for p in "${pid[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# checkpatch.pl and its data files for the installed linux-source-6.1,
# extracted once (decompressing the tarball takes a while).
checkpatch_dir() {
	local v dir
	v=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) || return 1
	dir=$CACHE/checkpatch/$v
	if [ ! -f "$dir/.complete" ]; then
		mkdir -p "$CACHE/locks"
		exec 7>"$CACHE/locks/checkpatch.lock"
		flock 7
		if [ ! -f "$dir/.complete" ]; then
			rm -rf "$dir.new"
			mkdir -p "$dir.new"
			tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$dir.new" \
				--strip-components=2 --occurrence=1 \
				linux-source-6.1/scripts/checkpatch.pl \
				linux-source-6.1/scripts/spelling.txt \
				linux-source-6.1/scripts/const_structs.checkpatch || return 1
			touch "$dir.new/.complete"
			rm -rf "$dir"
			mv "$dir.new" "$dir"
		fi
		exec 7>&-
	fi
	echo "$dir"
}

# Start every slow fetch at once (only slow on a cold cache): the kernels,
# the trixie chroot, the checkpatch extraction.
bg() {
	local name=$1
	shift
	("$@" >"$W/$name.out" 2>"$W/$name.err"; echo $? >"$W/$name.rc") &
	pid[$name]=$!
}
await() {	# await NAME: wait for a fetch, return its status
	wait "${pid[$1]}" 2>/dev/null
	unset "pid[$1]"
	return "$(cat "$W/$1.rc" 2>/dev/null || echo 1)"
}
for k in $KERNELS; do
	bg "kernel-$k" scripts/kernel-cache.sh "$k"
done
case " $KERNELS " in *" 7.3 "*) bg chroot scripts/trixie-chroot.sh root ;; esac
bg checkpatch checkpatch_dir

# checkpatch, one test per file.
if await checkpatch; then
	cp=$(cat "$W/checkpatch.out")
	files=$(cd "$top" && ls module/*.[ch] include/vmxcap/*.[ch] 2>/dev/null)
	[ -n "$files" ] || not_ok "checkpatch: no module/*.[ch] or include/vmxcap/*.[ch] files"
	for f in $files; do
		if out=$(cd "$top" && perl "$cp/checkpatch.pl" --strict --no-tree -q \
			--show-types -f "$f" 2>&1) && [ -z "$out" ]; then
			ok "checkpatch --strict $f"
		else
			echo "$out" | comment
			not_ok "checkpatch --strict $f"
		fi
	done
else
	comment <"$W/checkpatch.err"
	not_ok "checkpatch.pl from /usr/src/linux-source-6.1.tar.xz"
fi

# The module's sources only (Kbuild, module/ and include/ C files, VERSION),
# never objects a previous in-tree build left behind.
copy_sources() {
	mkdir -p "$1"
	cp "$top/Kbuild" "$1/"
	[ -f "$top/VERSION" ] && cp "$top/VERSION" "$1/"
	(cd "$top" && find module include -name '*.[ch]' -print0 |
		xargs -0 -r cp --parents -t "$1")
}

# Ordinary kbuild progress; anything else in a build log is a finding.
allowed='^(make(\[[0-9]+\])?: (Entering|Leaving) directory .*|  [A-Z][A-Z0-9_]*( \[M\])? +[^ ].*|Skipping BTF generation for .* due to unavailability of vmlinux|)$'

# Debian's sparse (0.6.4, bookworm and trixie alike) predates two things the
# 7.3 headers use when __CHECKER__ is defined: __typeof_unqual__ (compiler
# _types.h selects it for sparse unconditionally) and __builtin_strlen() in a
# constant expression (the static_assert in every MODULE_INFO).  The first
# makes kbuild switch sparse off; the second is an error on every MODULE_*
# line, and after an error sparse stops printing warnings for the file.  So
# for 7.3 sparse gets this header (-include, via kbuild's CF=): typeof in
# place of typeof_unqual (only qualifiers of temporaries differ), and
# _Static_assert hidden from sparse (gcc still checks every one of them).
sparse_compat() {
	mkdir -p "$CACHE/sparse"
	cat >"$CACHE/sparse/compat-0.6.4.h.$$" <<'EOF'
/* SPDX-License-Identifier: GPL-2.0 */
/* Written by vmxcap's scripts/check-build.sh; see the comment there. */
#define __typeof_unqual__ __typeof__
#define _Static_assert(e, m) struct vmxcap_sparse_skipped_static_assert
EOF
	mv "$CACHE/sparse/compat-0.6.4.h.$$" "$CACHE/sparse/compat-0.6.4.h"
}

# The decoder's bit positions and flag names against this kernel's headers.
linux_bits() {
	local k=$1 D=$2 hdr line
	hdr=$(ls -d "$D"/root/usr/src/linux-headers-*-common 2>/dev/null | head -n 1)
	if [ -z "$hdr" ] || ! make -s -C tests/unit build/dump_tables >"$W/bits-$k.log" 2>&1; then
		cat "$W/bits-$k.log" 2>/dev/null | comment
		not_ok "$k: decoder bits against the kernel headers (no headers or no dump_tables)"
		return
	fi
	while read -r line; do
		case $line in
		"ok "*)		ok "${line#ok - }" ;;
		"not ok "*)	not_ok "${line#not ok - }" ;;
		"<"* | ">"*)	echo "# $line" ;;
		esac
	done < <(tests/unit/check-linux-bits.sh tests/unit/build/dump_tables "$hdr" "$k" 2>&1)
}

build() {
	local k=$1 D rel b log rc bad nchk ncc ko vm f v want missing run=() args
	if ! await "kernel-$k"; then
		tail -n 20 "$W/kernel-$k.err" | comment
		not_ok "$k: scripts/kernel-cache.sh $k"
		return
	fi
	D=$(cat "$W/kernel-$k.out")
	rel=$(cat "$D/release")
	ok "$k: Debian $rel image, modules and headers cached in $D"
	linux_bits "$k" "$D"
	if [ "$k" = 7.3 ]; then
		if ! await chroot; then
			tail -n 20 "$W/chroot.err" | comment
			not_ok "$k: trixie chroot (scripts/trixie-chroot.sh)"
			return
		fi
		run=("$top/scripts/trixie-chroot.sh" run --)
	fi

	args=(W=1 C=1)
	if [ "$k" = 7.3 ]; then
		sparse_compat
		args+=("CF=-include $CACHE/sparse/compat-0.6.4.h")
		echo "# sparse: 0.6.4 (Debian's newest) with $CACHE/sparse/compat-0.6.4.h for 7.3"
	fi

	b=$W/build-$k
	log=$W/build-$k.log
	mkdir -p "$b"
	copy_sources "$b"
	(cd "$b" && "${run[@]}" make -j"$(nproc)" -C "$D/build" M="$b" "${args[@]}" modules) \
		>"$log" 2>&1
	rc=$?
	comment <"$log"
	if [ $rc -eq 0 ]; then
		ok "$k: make W=1 C=1 modules against $rel"
	else
		not_ok "$k: make W=1 C=1 modules against $rel (exit $rc)"
	fi

	bad=$(grep -Ev "$allowed" "$log")
	# Every object compiled from our sources must have been through sparse.
	nchk=$(grep -c '^  CHECK ' "$log")
	ncc=$(grep '^  CC \[M\] ' "$log" | grep -Evc '(\.mod|\.module-common)\.o$')
	if [ -n "$bad" ]; then
		echo "$bad" | comment
		not_ok "$k: no warnings (W=1), sparse or other diagnostics" \
			"($(echo "$bad" | grep -c 'warning:') warning lines," \
			"$(echo "$bad" | wc -l) unexpected lines)"
	elif [ "$nchk" -eq 0 ] || [ "$nchk" -ne "$ncc" ]; then
		not_ok "$k: sparse checked $nchk of $ncc compiled files"
	else
		ok "$k: 0 warnings with W=1, sparse clean, $nchk of $ncc files checked"
	fi

	ko=$b/vmxcap.ko
	if [ ! -f "$ko" ]; then
		not_ok "$k: vmxcap.ko built"
		return
	fi
	vm=$(modinfo -F vermagic "$ko" 2>/dev/null)
	case "$vm" in
	"$rel "*) ok "$k: vmxcap.ko built, vermagic '$vm'" ;;
	*) not_ok "$k: vmxcap.ko vermagic '$vm' names $rel" ;;
	esac
	missing=""
	for f in description license version author; do
		v=$(modinfo -F "$f" "$ko" 2>/dev/null)
		echo "$f: $v" | comment
		[ -n "$v" ] || missing="$missing $f"
	done
	if [ -z "$missing" ]; then
		ok "$k: modinfo has description, license, version, author"
	else
		not_ok "$k: modinfo lacks:$missing"
	fi
	# VERSION's first line starting with a digit, as dkms.conf reads it.
	want=$(sed -n '/^[0-9]/{p;q}' "$top/VERSION" 2>/dev/null)
	if [ -n "$want" ]; then
		v=$(modinfo -F version "$ko" 2>/dev/null)
		if [ "$v" = "$want" ]; then
			ok "$k: modinfo version $v = VERSION"
		else
			not_ok "$k: modinfo version '$v' = VERSION '$want'"
		fi
	fi
	# fake_vmx exists only in tests/vm's debug test builds (VMXCAP_TEST_FAKE_VMX=1).
	v=$(modinfo -F parm "$ko" 2>/dev/null)
	if [ -z "$v" ]; then
		ok "$k: the module as built for shipping has no parameters"
	else
		not_ok "$k: the module as built for shipping has parameters: $v"
	fi
}

for k in $KERNELS; do
	[ "$k" = 7.3 ] && continue	# last: a cold chroot takes longest
	build "$k"
done

# DKMS, renumbered into this script's sequence.
scripts/check-dkms.sh >"$W/dkms.log" 2>&1
rc=$?
summary=no
while IFS= read -r line; do
	case "$line" in
	"ok "*)		ok "dkms: ${line#* - }" ;;
	"not ok "*)	not_ok "dkms: ${line#* - }" ;;
	[0-9]*" passed, "*" failed"*) summary=yes ;;
	*)		echo "$line" ;;
	esac
done <"$W/dkms.log"
if [ $summary = no ] || { [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; }; then
	not_ok "dkms: scripts/check-dkms.sh ended without a result (exit $rc)"
fi

case " $KERNELS " in *" 7.3 "*) build 7.3 ;; esac
finish
