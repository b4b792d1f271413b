#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make demo` will cost on this machine, said before it starts: the
# Debian packages it still has to install (scripts/deps.sh build vm) and
# the kernel packages not yet in the cache, in MB as apt reports them, and
# the time (Bochs boots Debian's 6.1 kernel on one emulated CPU in 80-100 s
# on a 2-core host, tests/vm/machines; building the module and selftests
# adds about a minute).  One line; never fails the caller.
#
# Usage: tests/vm/demo-cost.sh [KERNEL]      (default 6.1)
set -u
cd "$(dirname "$0")/../.."
K=${1:-6.1}
CACHE=${VMXCAP_CACHE:-/var/cache/vmxcap}

# The packages of the groups the demo installs that are missing here.
missing=""
for p in $(sed -n '/^packages()/,/^}/p' scripts/deps.sh |
	sed -nE 's/^[[:space:]]*(build|vm)\)[[:space:]]*echo "([^"]*)".*/\2/p'); do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
bytes=0
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086 # a word list
	bytes=$(apt-get install -y --print-uris -qq --no-install-recommends $missing 2>/dev/null |
		awk '{ s += $3 } END { print s + 0 }')
fi
kernel=""
if [ ! -f "$CACHE/kernel/$K/.complete" ]; then
	# Image, modules and headers of the newest 6.1 image the system offers.
	img=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null |
		awk '{ print $1 }' | sort -V | tail -n 1)
	if [ -n "$img" ]; then
		ver=${img#linux-image-}
		k=$(apt-cache show "$img" "linux-headers-$ver" "linux-headers-${ver%-amd64}-common" 2>/dev/null |
			awk '/^Size:/ { s += $2 } END { print s + 0 }')
		bytes=$((bytes + k))
		kernel="Debian's $img (image, modules, headers)"
	fi
fi
if [ "$bytes" -gt 0 ]; then
	what=${missing:+packages:$missing}
	[ -n "$kernel" ] && what=${what:+$what; }$kernel
	echo "demo: downloads about $((bytes / 1000000)) MB first ($what); cached in $CACHE afterwards"
else
	echo "demo: nothing to download (packages installed, kernel $K cached in $CACHE)"
fi
echo "demo: then builds vmxcap.ko and boots the kernel in Bochs: about 2-3 minutes on a 2-core machine"
exit 0
