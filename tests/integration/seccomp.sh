#!/bin/bash
# seccomp.sh - linux.seccomp in real containers: hako spec's default
# profile, @groups, ENOSYS against EPERM, argument comparisons, every
# action that can be watched from inside, capability-implied syscalls, and
# the profiles create refuses.  Calls are made with `hako-probe syscall`,
# whose harmless arguments make the kernel answer something other than
# EPERM when the filter lets a call through.
. "$(dirname "$0")/lib.sh"

n=0
# sc BUNDLE NAME [ARGS...]: run `hako-probe syscall NAME ARGS` in a fresh
# container from BUNDLE; prints what the probe printed; $rc is the exit
# status of `hako run`, $WORK/err its stderr.
sc() {
	local b=$1
	shift
	cfg "$b" ".process.args = $(jq -cn '$ARGS.positional' --args /usr/bin/hako-probe syscall "$@")"
	n=$((n + 1))
	out=$(hk run --bundle "$b" "$(cid r$n)" 2>"$WORK/err")
	rc=$?
}

# rule JSON: append a rule to the bundle's profile
rule() { cfg "$1" ".linux.seccomp.syscalls += [$2]"; }

# ---- the default profile ------------------------------------------------------------

b=$(bundle plain -- sh -c 'ls / >/dev/null && cat /etc/passwd | wc -l >/dev/null &&
	ps >/dev/null && date >/dev/null && echo b a | tr " " "\n" | sort | head -1 &&
	find /etc -name passwd && id -u && uname -s && sleep 0.1 && (echo sub; true) &&
	grep -c "^Seccomp:.*2" /proc/self/status')
out=$(hk run --bundle "$b" "$(cid plain)" 2>&1)
is "the default profile runs busybox: sh, ls, cat, ps, sort, find, id, uname, sleep" \
	"$out" $'a\n/etc/passwd\n0\nLinux\nsub\n1'
is "config.json names groups, not their expansion" \
	"$(jq -r '.linux.seccomp.syscalls[0].names[:3] | join(" ")' "$b/config.json")" \
	"@default @aio @basic-io"
is "defaultAction denies with EPERM" \
	"$(jq -r '.linux.seccomp | "\(.defaultAction) \(.defaultErrnoRet)"' "$b/config.json")" \
	"SCMP_ACT_ERRNO 1"

d=$(bundle dflt -- true)
sc "$d" mlockall 1
is "the mlock family is allowed by default (mlockall within RLIMIT_MEMLOCK)" "$out" "ok 0"
cfg "$d" '.process.args = ["/usr/bin/hako-probe", "mlockall", "1048576"]'
is "seed 1: mlockall of a 1 MiB process works under the default profile" \
	"$(hk run --bundle "$d" "$(cid seed1)" 2>&1)" "ok"
sc "$d" unshare
is "unshare (CAP_SYS_ADMIN's) is denied: EPERM where the kernel would say ok" "$out" "EPERM"
sc "$d" ptrace
is "ptrace (CAP_SYS_PTRACE's) is denied: EPERM, not the kernel's ESRCH" "$out" "EPERM"
sc "$d" io_uring_setup
is "io_uring is denied: EPERM, not the kernel's EFAULT" "$out" "EPERM"
sc "$d" clone 0x10000000
is "clone with CLONE_NEWUSER is denied" "$out" "EPERM"
sc "$d" clone 0
contains "clone without namespace flags works" "$out" "ok "
sc "$d" keyctl 0 -4
contains "keyctl works (each container has its own session keyring)" "$out" "ok "

# ---- ENOSYS against EPERM ------------------------------------------------------------

sc "$d" nr:1000
is "a syscall number the profile has never heard of: ENOSYS" "$out" "ENOSYS"
sc "$d" clone3
is "clone3 without CAP_SYS_ADMIN: ENOSYS, so glibc falls back to clone" "$out" "ENOSYS"
sc "$d" reboot
is "a known syscall the profile leaves out: EPERM" "$out" "EPERM"

e=$(bundle enosys -- true)
cfg "$e" '.linux.seccomp.syscalls = [{"names": ["@default", "@basic-io", "@file-system",
	"@signal", "@io-event"], "action": "SCMP_ACT_ALLOW"}]'
sc "$e" clone3
is "a profile without clone3 (old or strict): still ENOSYS" "$out" "ENOSYS"
sc "$e" unshare
is "... while unshare, older and known, gets the profile's EPERM" "$out" "EPERM"

# ---- argument comparisons --------------------------------------------------------------

a=$(bundle args -- true)
rule "$a" '{"names": ["kcmp"], "action": "SCMP_ACT_ERRNO", "errnoRet": 33,
	"args": [{"index": 0, "value": 5, "op": "SCMP_CMP_EQ"}]}'
rule "$a" '{"names": ["kcmp"], "action": "SCMP_ACT_ERRNO", "errnoRet": 34,
	"args": [{"index": 0, "value": 4294967296, "op": "SCMP_CMP_GE"}]}'
rule "$a" '{"names": ["kcmp"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22,
	"args": [{"index": 1, "value": 240, "valueTwo": 32, "op": "SCMP_CMP_MASKED_EQ"}]}'
sc "$a" kcmp 5
is "SCMP_CMP_EQ matches: the rule's errnoRet" "$out" "EDOM"
sc "$a" kcmp 6
is "SCMP_CMP_EQ does not match: the default action" "$out" "EPERM"
sc "$a" kcmp 0x100000001
is "SCMP_CMP_GE on a 64-bit value" "$out" "ERANGE"
sc "$a" kcmp 1 0x2f
is "SCMP_CMP_MASKED_EQ on the second argument" "$out" "EINVAL"
sc "$a" kcmp 1 0x3f
is "SCMP_CMP_MASKED_EQ not matching" "$out" "EPERM"

# ---- actions ---------------------------------------------------------------------------

act=$(bundle actions -- true)
base=$(jq -c .linux.seccomp "$act/config.json")
with_getppid() {
	cfg "$act" ".linux.seccomp = $base | .linux.seccomp.syscalls += [{\"names\": [\"getppid\"], $1}]"
}
with_getppid '"action": "SCMP_ACT_ERRNO", "errnoRet": 33'
sc "$act" getppid
is "SCMP_ACT_ERRNO with errnoRet (a name beats its group @default)" "$out" "EDOM"
with_getppid '"action": "SCMP_ACT_KILL_PROCESS"'
sc "$act" getppid
is "SCMP_ACT_KILL_PROCESS kills: the probe's SIGSYS handler never runs" "$rc:$out" "159:"
with_getppid '"action": "SCMP_ACT_KILL_THREAD"'
sc "$act" getppid
is "SCMP_ACT_KILL_THREAD kills the (only) thread" "$rc:$out" "159:"
with_getppid '"action": "SCMP_ACT_KILL"'
sc "$act" getppid
is "SCMP_ACT_KILL is KILL_THREAD" "$rc:$out" "159:"
with_getppid '"action": "SCMP_ACT_TRAP"'
sc "$act" getppid
is "SCMP_ACT_TRAP raises SIGSYS, which the probe catches" "$rc:$out" "3:SIGSYS"
with_getppid '"action": "SCMP_ACT_TRACE"'
sc "$act" getppid
is "SCMP_ACT_TRACE without a tracer: ENOSYS" "$out" "ENOSYS"
with_getppid '"action": "SCMP_ACT_LOG"'
logged() { dmesg 2>/dev/null | grep -c 'type=1326.*comm="hako-probe".*syscall=110 '; }
before=$(logged)
sc "$act" getppid
is "SCMP_ACT_LOG lets the call through" "$out" "ok 0"
if grep -qw log /proc/sys/kernel/seccomp/actions_logged 2>/dev/null && dmesg >/dev/null 2>&1; then
	if [ "$(logged)" -gt "$before" ]; then
		ok "... and the kernel logs it (audit type 1326)" true
	else
		skip "... and the kernel logs it" "no new type=1326 record in dmesg (auditd may take them)"
	fi
else
	skip "... and the kernel logs it" "log is not in actions_logged, or dmesg is not readable"
fi
cfg "$act" ".linux.seccomp = $base | .linux.seccomp.syscalls += [{\"names\": [\"kcmp\"], \"action\": \"SCMP_ACT_ALLOW\"}]"
sc "$act" kcmp
is "SCMP_ACT_ALLOW: the kernel answers (ESRCH for pid 0)" "$out" "ESRCH"

# ---- groups and capabilities from hako spec ---------------------------------------------

g=$WORK/allow
mkdir -p "$g" && cp -a "$ROOTFS" "$g/rootfs"
(cd "$g" && "$HAKO" spec --seccomp-allow @aio --seccomp-allow ptrace -- true)
sc "$g" io_uring_setup
is "hako spec --seccomp-allow @aio: io_uring reaches the kernel (EFAULT)" "$out" "EFAULT"
sc "$g" ptrace
is "hako spec --seccomp-allow ptrace: ptrace reaches the kernel (ESRCH)" "$out" "ESRCH"

c=$WORK/capadd
mkdir -p "$c" && cp -a "$ROOTFS" "$c/rootfs"
(cd "$c" && "$HAKO" spec --cap-add SYS_PTRACE --cap-add SYS_ADMIN -- true)
sc "$c" ptrace
is "--cap-add SYS_PTRACE allows ptrace" "$out" "ESRCH"
sc "$c" process_vm_readv
is "... and process_vm_readv" "$out" "ok 0"
sc "$c" unshare
is "--cap-add SYS_ADMIN allows unshare" "$out" "ok 0"
sc "$c" clone3
is "... and clone3 (the kernel's EINVAL for size 0)" "$out" "EINVAL"

# ---- what create warns about or refuses ------------------------------------------------

u=$(bundle unknown -- true)
cfg "$u" '.linux.seccomp.syscalls[0].names += ["nosuchcall"]'
out=$(hk run --bundle "$u" "$(cid unknown)" 2>&1)
contains "an unknown syscall name is skipped with a warning" "$out" \
	'rule for unknown syscall "nosuchcall" ignored'
contains "... that says it will be denied" "$out" "will be denied"

cfg "$u" '.linux.seccomp.syscalls[0].names += ["@nosuchgroup"]'
fails_with "an unknown group fails create" 'unknown syscall group "@nosuchgroup"' \
	hk create --bundle "$u" "$(cid badgroup)"

x=$(bundle conflict -- true)
rule "$x" '{"names": ["getppid"], "action": "SCMP_ACT_ALLOW"}'
rule "$x" '{"names": ["getppid"], "action": "SCMP_ACT_ERRNO"}'
fails_with "one syscall with two actions fails create" 'give syscall "getppid" different actions' \
	hk create --bundle "$x" "$(cid conflict)"

ex=$(bundle noexec -- true)
cfg "$ex" '.linux.seccomp.syscalls = [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]'
fails_with "a profile that denies execve fails create, with the reason" "denies execve" \
	hk create --bundle "$ex" "$(cid noexec)"

f=$(bundle flags -- sh -c 'grep -E "^Seccomp(_filters)?:" /proc/self/status | tr -s "\t " " "')
cfg "$f" '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"]'
is "flags are accepted; the process runs in filter mode with one filter" \
	"$(hk run --bundle "$f" "$(cid flags)" 2>&1)" $'Seccomp: 2\nSeccomp_filters: 1'

# noNewPrivileges false: hako borrows CAP_SYS_ADMIN to load the filter and
# drops it after; the process must not keep it.
nn=$(bundle nnp -- sh -c 'grep ^CapEff /proc/self/status')
cfg "$nn" '.process.noNewPrivileges = false'
want=$(printf 'CapEff:\t%016x' $(((1 << 29) | (1 << 5) | (1 << 10))))
is "noNewPrivileges false: the filter loads and CAP_SYS_ADMIN is dropped again" \
	"$(hk run --bundle "$nn" "$(cid nnp)" 2>&1)" "$want"

# ---- 32-bit syscalls: the profile lists SCMP_ARCH_X86 (and X32) -----------------------

# i386 programs from two instructions, without a 32-bit libc: make syscall
# NR with zero arguments and exit with its errno (0 on success).
x86_probe() { # NAME NR
	sed "s/@NR@/$2/" >"$WORK/$1.S" <<'ASM'
	.globl _start
_start:	movl $@NR@, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	int $0x80
	testl %eax, %eax
	jns 1f
	negl %eax
	movl %eax, %ebx
	jmp 2f
1:	xorl %ebx, %ebx
2:	movl $1, %eax
	int $0x80
ASM
	as --32 -o "$WORK/$1.o" "$WORK/$1.S" && ld -m elf_i386 -static -o "$WORK/$1" "$WORK/$1.o"
}
x32run() { # BUNDLE PROGRAM
	cp "$WORK/$2" "$1/rootfs/$2"
	cfg "$1" ".process.args = [\"/$2\"]"
	n=$((n + 1))
	hk run --bundle "$1" "$(cid r$n)" >/dev/null 2>&1
	rc=$?
}
if [ "$(uname -m)" != x86_64 ]; then
	skip "32-bit syscalls under SCMP_ARCH_X86" "the machine is $(uname -m), not x86_64"
elif ! x86_probe i386-getppid 64 >/dev/null 2>&1 || ! x86_probe i386-unshare 310 ||
	! x86_probe i386-nr1000 1000; then
	skip "32-bit syscalls under SCMP_ARCH_X86" "binutils cannot build i386 programs (as --32)"
elif ! "$WORK/i386-getppid"; then
	skip "32-bit syscalls under SCMP_ARCH_X86" "the kernel runs no i386 programs (IA32 emulation)"
else
	i=$(bundle i386 -- true)
	x32run "$i" i386-getppid
	is "an i386 program's allowed syscall works (the profile lists SCMP_ARCH_X86)" "$rc" 0
	x32run "$i" i386-unshare
	is "i386 unshare gets EPERM, as on x86-64: the rules match by name" "$rc" 1
	x32run "$i" i386-nr1000
	is "an i386 number above the profile's: ENOSYS" "$rc" 38
	cfg "$i" '.linux.seccomp.architectures = ["SCMP_ARCH_X86_64"]'
	x32run "$i" i386-getppid
	is "without SCMP_ARCH_X86, an i386 syscall kills the process (bad architecture)" "$rc" 159
fi

# ---- the compile cache (src/linux/seccomp_cache.c) -----------------------------------------
# The second create of a profile loads the program compiled by the first;
# a changed profile misses the cache and behaves as its own config says.
cache="$WORK/seccomp-cache"
export HAKO_SECCOMP_CACHE="$cache"
b=$(bundle cache -- /usr/bin/hako-probe syscall getpid)
ok "first run compiles the default profile" hk run --bundle "$b" "$(cid cache1)"
is "the program is kept, one file, mode 0700 directory" \
	"$(ls "$cache" | wc -l) $(stat -c %a "$cache")" "1 700"
out=$(hk run --bundle "$b" "$(cid cache2)" 2>&1)
contains "a cached program filters as compiled" "$out" "ok"
is "a second run with the same profile adds nothing" "$(ls "$cache" | wc -l)" 1
cfg "$b" '.linux.seccomp.syscalls += [{names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]'
out=$(hk run --bundle "$b" "$(cid cache3)" 2>&1)
contains "a changed profile is compiled again, not taken from the cache" "$out" "EPERM"
is "and kept beside the first" "$(ls "$cache" | wc -l)" 2
# an entry whose stored key does not match is never used, whatever its name
for f in "$cache"/*; do printf 'garbage' >"$f"; done
out=$(hk run --bundle "$b" "$(cid cache4)" 2>&1)
contains "a corrupt entry is ignored and the profile compiled" "$out" "EPERM"
b2=$(bundle cachewarn -- true)
cfg "$b2" '.linux.seccomp.syscalls += [{names: ["no_such_syscall_x"], action: "SCMP_ACT_ALLOW"}]'
n=$(ls "$cache" | wc -l)
hk run --bundle "$b2" "$(cid cachew1)" >"$WORK/w1" 2>&1
hk run --bundle "$b2" "$(cid cachew2)" >"$WORK/w2" 2>&1
contains "a profile that warns warns on every create (it is not cached)" "$(cat "$WORK/w2")" \
	"no_such_syscall_x"
is "... and leaves no entry" "$(ls "$cache" | wc -l)" "$n"

# Only hako's own entries are trusted: whoever writes one chooses the
# filter.  forge ENTRY keeps the entry's key and replaces its program with
# a single RET ALLOW - what a non-root owner of the directory could do.
forge() {
	local f=$1 klen
	klen=$(od -An -tu4 -N4 "$f" | tr -d ' ')
	{
		head -c $((4 + klen + 4)) "$f"
		# notify 0; 1 insn {BPF_RET|BPF_K, 0, 0, SECCOMP_RET_ALLOW}; no profile
		printf '\x00\x01\x00\x00\x00\x06\x00\x00\x00\x00\x00\xff\x7f\x00\x00\x00\x00'
	} >"$f.forged"
	mv "$f.forged" "$f"
	chmod 0600 "$f"
}
rm -rf "$cache"
u=$(bundle cacheown -- /usr/bin/hako-probe syscall unshare)
hk run --bundle "$u" "$(cid own1)" >/dev/null 2>&1
entry=$(ls "$cache"/*)
# A refused entry is compiled afresh and replaced, so each case forges anew.
forge "$entry"
sc "$u" unshare
is "control: a forged entry of root's, 0600, is loaded (the forgery is a valid entry)" "$out" "ok 0"
forge "$entry"
chmod 0644 "$entry"
sc "$u" unshare
is "an entry others can read (0644) is ignored: the profile still filters" "$out" "EPERM"
forge "$entry"
chown nobody "$entry"
sc "$u" unshare
is "an entry owned by another user is ignored" "$out" "EPERM"
forge "$entry"
mv "$entry" "$WORK/forged-entry"
ln -s "$WORK/forged-entry" "$entry"
sc "$u" unshare
is "an entry that is a symlink is not followed" "$out" "EPERM"
rm -f "$entry" "$WORK/forged-entry"
hk run --bundle "$u" "$(cid own2)" >/dev/null 2>&1
forge "$entry"
chown nobody "$cache"
sum=$(md5sum "$entry")
sc "$u" unshare
is "a cache directory owned by another user is ignored, entries and all" "$out" "EPERM"
is "... and hako writes nothing into it" "$(ls -A "$cache" | wc -l) $(md5sum "$entry")" "1 $sum"
out=$(hk --debug run --bundle "$u" "$(cid own3)" 2>&1)
is "... and says so once, at debug level" "$(grep -c "seccomp cache '$cache' is not used: its owner is uid $(id -u nobody)" <<<"$out")" 1
chown 0 "$cache"
chmod 0770 "$cache"
sc "$u" unshare
is "a cache directory others can write to (0770) is ignored" "$out" "EPERM"
chmod 0700 "$cache"
sc "$u" unshare
is "control: the same directory, 0700 again, is used" "$out" "ok 0"
rm -rf "$cache"

# The variable names a directory, not a path to make: only the last
# component is created, and only in a parent of hako's own.
mkdir -p "$WORK/np" "$WORK/gw"
chown nobody "$WORK/np"
chmod 0775 "$WORK/gw"
for c in "$WORK/np/cache" "$WORK/gw/cache" "$WORK/no/such/parent/cache"; do
	HAKO_SECCOMP_CACHE=$c hk run --bundle "$u" "$(cid mk)" >/dev/null 2>&1
done
is "no cache directory is made under another user's or a group-writable parent" \
	"$(ls -A "$WORK/np" "$WORK/gw" | grep -c cache)" 0
ok "... nor a missing parent (no mkdir -p)" test ! -e "$WORK/no"
HAKO_SECCOMP_CACHE="$WORK/fresh" hk run --bundle "$u" "$(cid mk2)" >/dev/null 2>&1
is "under a parent of root's own, 0700, it is made 0700 with a 0600 entry" \
	"$(stat -c %a "$WORK/fresh") $(stat -c %a "$WORK"/fresh/*)" "700 600"
unset HAKO_SECCOMP_CACHE

done_testing
