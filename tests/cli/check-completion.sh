#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion (tools/vmxcap-show.bash-completion), driven without a
# terminal: each case is a command line with the cursor at its end, split
# into COMP_WORDS as bash splits it (at blanks and at COMP_WORDBREAKS, so
# "--style=" is "--style" "="), handed to the function that complete -p
# names.  A case checks the words the line's last word may become (what
# readline makes of COMPREPLY), and that nothing went to stderr.  Every case
# runs twice: in a bare bash (no _init_completion, no _filedir), and with
# the bash-completion package's bash_completion sourced first (a TAP
# "# SKIP" when the package is not installed).
#
# Usage: tests/cli/check-completion.sh [COMPLETION_FILE]   (to try another)
# Ends with "completion: N passed, N failed"; exits non-zero on a failure.
set -u
file=${1-}
[[ -z $file || $file == /* ]] || file=$PWD/$file	# as given, before the cd
cd "$(dirname "$0")/../.." || exit 1
file=${file:-$PWD/tools/vmxcap-show.bash-completion}
BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
DUMPS=tests/data/vmx-msr-dumps.json

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli/tap.sh
. tests/cli/tap.sh

if ! make -s -C tools vmxcap-show > "$tmp/build.log" 2>&1; then
	ok 1 "build tools/vmxcap-show"
	sed 's/^/# /' "$tmp/build.log"
	echo "completion: $passed passed, $failed failed"
	exit 1
fi
PATH=$PWD/tools:$PATH

# The inner shell: $1 "bare" or "bash-completion", $2 the completion file,
# $3 the line.  It prints the words the last word may become, one a line;
# the compopt calls go to $COMPOPT_LOG (compopt works only while readline
# completes).  With $3 empty it prints complete -p and whether that names
# a function.
# shellcheck disable=SC2016 # the inner shell's own variables
driver='
mode=$1 line=$3
if [[ $mode == bash-completion ]]; then
	. "$BASH_COMPLETION" || exit 3
fi
. "$2" || exit 3
compopt() { printf "%s\n" "$*" >> "$COMPOPT_LOG"; }
spec=$(complete -p vmxcap-show) || exit 3
read -ra a <<< "$spec"
for ((i = 0; i < ${#a[@]}; i++)); do
	[[ ${a[i]} == -F ]] && func=${a[i + 1]}
done
if [[ -z $line ]]; then
	echo "$spec"
	declare -F "${func-}"
	exit
fi
[[ ${NO_TOOLS_PATH-} ]] && PATH=/usr/bin:/bin
# bash makes each run of break characters a word of its own
printf -v blank " \t\n"
brk=${COMP_WORDBREAKS//[$blank]/}
COMP_WORDS=() w="" kind=""
for ((i = 0; i < ${#line}; i++)); do
	c=${line:i:1}
	if [[ $blank == *"$c"* ]]; then k=blank
	elif [[ $brk == *"$c"* ]]; then k=break
	else k=word
	fi
	[[ $k != "$kind" && -n $w ]] && COMP_WORDS+=("$w") w=""
	[[ $k != blank ]] && w+=$c
	kind=$k
done
[[ -n $w ]] && COMP_WORDS+=("$w")
[[ $kind == blank ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line}
COMP_TYPE=9 COMP_KEY=9
COMPREPLY=()
"$func" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
# readline puts a reply in place of the text after the last break character
token=${line##*[$blank]} rlword=${line##*[$blank$brk]}
for c in "${COMPREPLY[@]}"; do
	printf "%s\n" "${token%"$rlword"}$c"
done
'

run() {		# run MODE LINE: $tmp/out, $tmp/err, $tmp/opts
	: > "$tmp/opts"
	COMPOPT_LOG=$tmp/opts BASH_COMPLETION=$BASH_COMPLETION \
		bash --norc --noprofile -c "$driver" driver "$1" "$file" "$2" \
		> "$tmp/out" 2> "$tmp/err" < /dev/null
}

report() {	# report STATUS DESCRIPTION: ok, and what came on a failure
	ok "$1" "$2"
	[ "$1" -eq 0 ] && return
	echo "# offered: $(tr '\n' ' ' < "$tmp/out")"
	[ -s "$tmp/err" ] && sed 's/^/# stderr: /' "$tmp/err"
	[ -s "$tmp/opts" ] && sed 's/^/# compopt /' "$tmp/opts"
	return 0
}

# is LINE WORD...: offers exactly these words (in any order), once each.
is() {
	local line=$1 want said
	shift
	run "$mode" "$line"
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
	said=${*:-nothing}
	(($# > 8)) && said="$# words: $1 ... ${!#}"
	[ ! -s "$tmp/err" ] && [ "$(sort "$tmp/out")" = "$want" ]
	report $? "$mode: '$line<TAB>' offers $said"
}

# has LINE WORD...: offers these (and maybe more), each once; not !WORD.
has() {
	local line=$1 w st=0
	shift
	run "$mode" "$line"
	[ -s "$tmp/err" ] && st=1
	[ -z "$(sort "$tmp/out" | uniq -d)" ] || st=1
	for w in "$@"; do
		case $w in
		!*) ! grep -qxF -- "${w#!}" "$tmp/out" || st=1 ;;
		*) grep -qxF -- "$w" "$tmp/out" || st=1 ;;
		esac
	done
	w="$*"
	report $st "$mode: '$line<TAB>' offers ${w//!/not } among others"
}

# The cases, run in each mode.
cases() {
	local st w wanted ids

	# Bug 1: --color's argument is optional: "--color always" is two
	# arguments to the tool, so only --color= may be followed by a value.
	is 'vmxcap-show --color ' adjust baseline explain
	is 'vmxcap-show --color --s' --sysfs-root --sysroot --source --style
	run "$mode" 'vmxcap-show --col'
	case $(cat "$tmp/out") in
	--color) st=0 ;;
	--color=) grep -qx -- '-o nospace' "$tmp/opts"; st=$? ;;
	*) st=1 ;;
	esac
	[ -s "$tmp/err" ] && st=1
	report $st "$mode: '--col<TAB>' becomes --color= (and no space) or --color"
	# Bug 2: the values of --opt=value.
	is 'vmxcap-show --color=' --color=auto --color=always --color=never
	is 'vmxcap-show --color=a' --color=auto --color=always
	is 'vmxcap-show --color=al' --color=always
	is 'vmxcap-show --style=' --style=human --style=vmxcap
	is 'vmxcap-show -J --sty=v' --sty=vmxcap
	is 'vmxcap-show --style=a'
	is 'vmxcap-show -s ' human vmxcap
	is 'vmxcap-show --source ' sysfs msr cpuinfo kvm auto
	is 'vmxcap-show --source=c' --source=cpuinfo
	is 'vmxcap-show --kernel ' 6.1 6.12 7.3
	is 'vmxcap-show --cpu '
	is 'vmxcap-show --cpu=1'
	# (and bug 3, in the bare bash: every case checks stderr)

	is 'vmxcap-show --req' --require
	is 'vmxcap-show --require ept,unrestr' ept,unrestricted_guest
	is 'vmxcap-show --require vmx-posted' vmx-posted-intr
	is 'vmxcap-show -r procbased2.unr' procbased2.unrestricted_guest
	is 'vmxcap-show --require=ept,vpid,unrestricted' --require=ept,vpid,unrestricted_guest
	# a prefix of the option is the option (getopt_long)
	is 'vmxcap-show --req ept,vp' ept,vpid
	# once each, and not again what the list has
	has 'vmxcap-show --require ept,' ept,vpid ept,unrestricted_guest !ept,ept
	has 'vmxcap-show --require ept,ep' ept,ept_ad ept,eptp_switching !ept,ept

	# --entry: the ids of the --input before it, colon and all
	is "vmxcap-show -i $DUMPS --entry vbox-cpudb:Intel_Core_i7_6" \
		vbox-cpudb:Intel_Core_i7_6700K
	is "vmxcap-show --input=$DUMPS -e vbox-cpudb:Intel_Core_i7_67" \
		vbox-cpudb:Intel_Core_i7_6700K
	is "vmxcap-show -Li $DUMPS --entry=vbox-cpudb:Intel_Core_i7_67" \
		--entry=vbox-cpudb:Intel_Core_i7_6700K
	mapfile -t ids < <(tools/vmxcap-show --complete entries --input "$DUMPS" |
		grep '^vbox-cpudb:')
	is "vmxcap-show --inp $DUMPS --entry vbox-cpudb:" "${ids[@]}"
	is 'vmxcap-show --entry vbox-cpudb:Intel_Core_i7_6'
	is "vmxcap-show -i $tmp/none.json --entry v"

	has 'vmxcap-show explain unrestricted' unrestricted_guest
	has 'vmxcap-show -J explain ept unrestricted' unrestricted_guest
	is 'vmxcap-show explain procbased2.unrestricted_g' procbased2.unrestricted_guest
	is 'vmxcap-show ' adjust baseline explain
	is 'vmxcap-show ba' baseline
	# baseline DUMP...: dumps and directories, after any number of them
	is 'vmxcap-show baseline tests/data/vmx' tests/data/vmx-msr-dumps.json
	is 'vmxcap-show -c 0 baseline a.json tests/da' tests/data
	is 'vmxcap-show -a ex' explain

	is 'vmxcap-show adjust proc' procbased procbased2 procbased3
	has 'vmxcap-show adjust ' pinbased procbased exit exit2 entry vmfunc cr0 cr4
	is 'vmxcap-show adjust procbased2 ept,vp' ept,vpid
	is 'vmxcap-show --cpu 0 adjust exit2 0 '
	is 'vmxcap-show adjust cr0 0x30 ' -u --unrestricted-guest
	is 'vmxcap-show adjust cr0 0x30 -u '
	is 'vmxcap-show adjust cr0 p' pe pg
	is 'vmxcap-show adjust cr0 pe,p' pe,pg
	has 'vmxcap-show adjust cr0 ' pe pg -u --unrestricted-guest
	is 'vmxcap-show adjust cr4 vm' vme vmxe
	is 'vmxcap-show adjust cr4 0 '

	# the files: *.json and directories, or directories only
	is 'vmxcap-show --input tests/data/vmx' tests/data/vmx-msr-dumps.json
	is 'vmxcap-show -i tests/da' tests/data
	has 'vmxcap-show --input tests/data/' tests/data/reference tests/data/vmx-msr-dumps.json
	is 'vmxcap-show --sysfs-root tests/data/vm'
	is 'vmxcap-show --sysroot tests/da' tests/data

	# the tool of a checkout, not on PATH, by the path typed
	NO_TOOLS_PATH=1 is 'tools/vmxcap-show --require vmx-posted' vmx-posted-intr

	# Every long option --help lists, and no other (not --complete).
	run "$mode" 'vmxcap-show --'
	st=0
	for w in $(tools/vmxcap-show --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
		grep -qxE -- "$w=?" "$tmp/out" || { st=1; echo "# --help's $w not offered"; }
	done
	while read -r w; do
		tools/vmxcap-show --help | grep -qE -- "${w%=}([^a-z0-9-]|$)" ||
			{ st=1; echo "# $w offered but not in --help"; }
	done < "$tmp/out"
	[ -s "$tmp/err" ] && st=1
	report $st "$mode: '--<TAB>' offers every long option of --help, and only those"

	run "$mode" ''
	wanted=$(sed -n 's/^complete -F \([^ ]*\) vmxcap-show$/\1/p' "$tmp/out")
	[ -n "$wanted" ] && [ "$(sed -n 2p "$tmp/out")" = "$wanted" ] && [ ! -s "$tmp/err" ]
	report $? "$mode: complete -p vmxcap-show names a function of the file"
}

mode=bare
cases
if [ -r "$BASH_COMPLETION" ]; then
	mode=bash-completion
	cases
else
	n=$((n + 1))
	echo "ok $n - the cases with bash-completion # SKIP no $BASH_COMPLETION (Debian package bash-completion)"
fi

# The SPDX line: first in the completion file, second (after #!) here.
[ "$(sed -n 1p "$file")" = '# SPDX-License-Identifier: GPL-2.0' ] &&
	[ "$(sed -n 2p tests/cli/check-completion.sh)" = '# SPDX-License-Identifier: GPL-2.0' ]
ok $? "SPDX identifier in place in the completion file and this script"

echo "completion: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
