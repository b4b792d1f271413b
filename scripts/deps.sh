#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs the Debian 12 packages a part of the project needs, only when
# one is missing (so repeated runs are fast).  Usage: deps.sh GROUP...
set -eu

packages() {
	case "$1" in
	unit)	echo "build-essential clang libclang-rt-14-dev pkg-config libjson-c-dev linux-headers-amd64" ;;
	build)	echo "build-essential bc flex bison libelf-dev libssl-dev sparse xz-utils linux-headers-amd64 linux-source-6.1 debootstrap dkms kmod dwarves" ;;
	vm)	echo "qemu-system-x86 bochs bochsbios vgabios bochs-term busybox-static xorriso isolinux syslinux-common cpio xz-utils kmod" ;;
	tools)	echo "build-essential pkg-config libkmod-dev libsmartcols-dev libjson-c-dev clang libclang-rt-14-dev jq" ;;
	# The CLI tests' oracles: QEMU's own feature names, the kernel source's
	# kvm_intel parameters, bash-completion for the completion's test, strace
	# to watch --output write its dot file and rename it (cases-facts.sh).
	clitest) echo "qemu-system-x86 linux-source-6.1 bash-completion strace" ;;
	# The fleet engines of check-fleet (tests/fleet), Debian 12's own;
	# each test adds the ones it drives.
	fleet)	echo "jq ansible-core facter prometheus prometheus-node-exporter" ;;
	# Building, linting and installing the Debian packages (check-packages):
	# debhelper, dh-dkms and the tools' build dependencies of debian/control;
	# dkms, the 6.1 headers and openssl (DKMS's signing key) to install them;
	# debootstrap for the trixie chroot they are also installed in.
	packages) echo "dpkg-dev debhelper dh-dkms lintian build-essential pkgconf libjson-c-dev libkmod-dev libsmartcols-dev dkms linux-headers-amd64 kmod openssl man-db bash-completion debootstrap" ;;
	*)	echo "deps.sh: unknown group '$1'" >&2; exit 2 ;;
	esac
}

want=""
for group in "$@"; do
	want="$want $(packages "$group")"
done

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing - run as root (sudo) to install them" >&2
	exit 2
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# Packages with daemons (the fleet group's prometheus, node_exporter) start
# them on installation: a policy-rc.d that denies it (invoke-rc.d and
# deb-systemd-invoke ask it), for this install only, unless there is one.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	trap 'rm -f "$policy"' EXIT
	printf '#!/bin/sh\n# deps.sh: no service starts while it installs\nexit 101\n' >"$policy"
	chmod 755 "$policy"
fi
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
