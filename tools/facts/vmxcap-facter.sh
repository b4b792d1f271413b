#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Facter external fact: vmxcap-show --facts (schema "vmxcap-facts",
# tools/README.md) as the structured fact vmxcap (vmxcap.verdict,
# vmxcap.sets.0.fingerprint, ...).  Install it as
# /etc/facter/facts.d/vmxcap.sh, mode 0755 (the one directory both
# Debian's and upstream's facter read as root; ~/.facter/facts.d for
# another user).  Facter makes every top-level key of the JSON an
# executable prints a fact of its own, so the document is wrapped in one
# key.  If vmxcap-show fails, this prints nothing and exits with its
# status: Facter logs it and sets no fact.
#
# As root it reads vmxcap.ko's /sys/kernel/vmxcap (any user can when the
# module is loaded) or msr.ko; as another user without the module,
# /proc/cpuinfo: then "source" is "cpuinfo", the verdicts are inferred
# ("inferred": true) and the features are Linux's vmx flags line
# (allowed-1 bits only), the rest in "features_unknown".
#
# VMXCAP_SHOW: the program (default: vmxcap-show on PATH);
# VMXCAP_SHOW_OPTS: options added, split at blanks ("--input host.json"
# describes a dump instead, as tests/fleet does).
PATH=$PATH:/usr/local/bin:/usr/bin:/bin
# shellcheck disable=SC2086 # VMXCAP_SHOW_OPTS is split on purpose
facts=$("${VMXCAP_SHOW:-vmxcap-show}" --facts $VMXCAP_SHOW_OPTS) || exit
printf '{ "vmxcap": %s }\n' "$facts"
