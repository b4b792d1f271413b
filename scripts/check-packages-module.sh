# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Sourced by scripts/check-packages.sh, on this machine and inside the
# trixie chroot: what DKMS built when vmxcap-dkms was installed, as modprobe
# would find it, and what a purge left.  The caller defines ok, not_ok,
# check and comment.

# module_checks LABEL RELEASE VERSION: dkms status, modinfo's path,
# version, vermagic, CPU-feature alias and DKMS's signature.  LABEL
# prefixes every test's name ("" or "trixie: ").
module_checks() {
	local l=$1 rel=$2 ver=$3 st path v vm a signer sigkey serial

	st=$(dkms status "vmxcap/$ver" 2>&1)
	echo "$st" | comment
	check "${l}dkms status: vmxcap/$ver, $rel, $(uname -m): installed" \
		grep -qxF "vmxcap/$ver, $rel, $(uname -m): installed" <<<"$st"
	path=$(modinfo -k "$rel" -n vmxcap 2>/dev/null)
	case "$path" in
	"/lib/modules/$rel/updates/dkms/vmxcap.ko"*) ok "${l}modinfo -k $rel finds $path" ;;
	*) not_ok "${l}modinfo -k $rel finds vmxcap in /lib/modules/$rel/updates/dkms (got '$path')" ;;
	esac
	modinfo -k "$rel" vmxcap 2>&1 | grep -Ev '^(signature:|[[:space:]])' | comment
	v=$(modinfo -k "$rel" -F version vmxcap 2>/dev/null)
	check "${l}modinfo version '$v' = $ver" test "$v" = "$ver"
	vm=$(modinfo -k "$rel" -F vermagic vmxcap 2>/dev/null)
	check "${l}vermagic '$vm' names $rel" test "${vm%% *}" = "$rel"
	a=$(modinfo -k "$rel" -F alias vmxcap 2>/dev/null | tr '\n' ' ')
	if echo "$a" | grep -Eq 'cpu:type:x86,[^ ]*feature:[^ ]*0085'; then
		ok "${l}modinfo alias '$a' matches the VMX CPU feature (0085)"
	else
		not_ok "${l}modinfo alias '$a' matches cpu:type:x86,...feature:*0085*"
	fi
	# DKMS signs with its own key (the README's Secure Boot section).
	signer=$(modinfo -k "$rel" -F signer vmxcap 2>/dev/null)
	sigkey=$(modinfo -k "$rel" -F sig_key vmxcap 2>/dev/null | tr -d ':' | tr 'a-f' 'A-F')
	serial=$(openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -serial 2>/dev/null | sed 's/^serial=//')
	check "${l}signed by DKMS's /var/lib/dkms/mok.pub (signer '$signer', key $sigkey = serial $serial)" \
		test "$signer" = "DKMS module signing key" -a -n "$sigkey" -a "$sigkey" = "$serial"
}

# paths_left LISTED: the paths of LISTED (dpkg -L's lines) that still exist
# after a purge, space-separated; a directory another package owns stays,
# under the name the package gave it or its real one: with merged /usr
# (bookworm's and trixie's systems) the units' /lib is a symlink to usr/lib,
# and trixie's packages own /usr/lib/systemd/system, not /lib/systemd/system.
paths_left() {
	local p left=""

	while IFS= read -r p; do
		[ "$p" = /. ] && continue
		[ -e "$p" ] || [ -L "$p" ] || continue
		if [ -d "$p" ] && { { [ ! -L "$p" ] && dpkg -S "$p" >/dev/null 2>&1; } ||
			dpkg -S "$(realpath "$p")" >/dev/null 2>&1; }; then
			continue
		fi
		left="$left $p"
	done <<<"$1"
	echo "$left"
}
