#!/bin/bash
# seccomp_report.sh - report mode (annotation org.hako.seccomp.report or
# --seccomp-report): a denied syscall is reported while the container
# runs, with its pid, program and what would allow it, and still fails as
# the profile says; attached (run) and detached (create + start).
. "$(dirname "$0")/lib.sh"

line='hako: seccomp denied mlockall for pid 1 (/usr/bin/hako-probe): allow @memlock or grant CAP_IPC_LOCK'

# The monitor ends when no process uses the filter; give it a moment.
monitor_gone() { # ID
	for _ in $(seq 50); do
		pgrep -f "hako .*$1" >/dev/null || return 0
		sleep 0.1
	done
	return 1
}

b=$(bundle deny -- /usr/bin/hako-probe syscall mlockall 1)
cfg "$b" '.linux.seccomp.syscalls += [{"names": ["mlockall"], "action": "SCMP_ACT_ERRNO"}]'

id=$(cid quiet)
out=$(hk run --bundle "$b" "$id" 2>"$WORK/quiet.err")
is "without report mode the call fails quietly" "$out" "EPERM"
is "... and nothing is reported" "$(grep -c 'seccomp denied' "$WORK/quiet.err")" 0

cfg "$b" '.annotations["org.hako.seccomp.report"] = "true"'
id=$(cid attached)
out=$(hk run --bundle "$b" "$id" 2>"$WORK/attached.err")
is "report mode: the call still fails as the profile says" "$out" "EPERM"
contains "attached: the denial is reported on stderr" "$(cat "$WORK/attached.err")" "$line"
ok "attached: the monitor is gone after the container" monitor_gone "$id"

cfg "$b" '.annotations = {} | .linux.seccomp.syscalls[-1].errnoRet = 33'
id=$(cid flag)
out=$(hk run --seccomp-report --bundle "$b" "$id" 2>"$WORK/flag.err")
is "--seccomp-report, and errnoRet is what the call gets" "$out" "EDOM"
contains "--seccomp-report reports like the annotation" "$(cat "$WORK/flag.err")" "$line"

# detached: create returns at once; the monitor reports to the stderr
# create had (the container's) and, with --log, to the log in its format
d=$(bundle detached -- sh -c 'hako-probe syscall mlockall 1; hako-probe syscall mlockall 1; sleep 0.2')
cfg "$d" '.linux.seccomp.syscalls += [{"names": ["mlockall"], "action": "SCMP_ACT_ERRNO"}] |
	.annotations["org.hako.seccomp.report"] = "true"'
id=$(cid detached)
hk --log "$WORK/log.json" --log-format json create --bundle "$d" "$id" \
	>"$WORK/detached.out" 2>"$WORK/detached.err"
is "detached: create succeeds" "$?" 0
ok "detached: start" hk start "$id"
for _ in $(seq 50); do
	[ "$(hk state "$id" | jq -r .status)" = stopped ] && break
	sleep 0.1
done
is "detached: the calls failed" "$(cat "$WORK/detached.out")" $'EPERM\nEPERM'
err=$(cat "$WORK/detached.err")
contains "detached: reported on the container's stderr, per process" "$err" \
	'hako: seccomp denied mlockall for pid 2 (/usr/bin/hako-probe): allow @memlock or grant CAP_IPC_LOCK'
contains "... the second process too" "$err" 'seccomp denied mlockall for pid 3 '
msg=$(jq -r 'select(.msg | startswith("seccomp denied")) | "\(.level) \(.msg)"' "$WORK/log.json" | head -1)
is "detached: and in the --log file as a JSON warning" "$msg" \
	'warning seccomp denied mlockall for pid 2 (/usr/bin/hako-probe): allow @memlock or grant CAP_IPC_LOCK'
ok "delete" hk delete "$id"
ok "detached: the monitor is gone after the container" monitor_gone "$id"

# a container deleted before it starts: the monitor must not linger
id=$(cid never)
ok "create, never started" hk create --bundle "$d" "$id"
ok "delete it" hk delete "$id"
ok "the monitor of a never-started container ends with it" monitor_gone "$id"

# ---- the monitor trusts nothing of the container's -------------------------------------------

# monitor_of ID: the pid of the container's monitor (a fork of hako, named
# hako-seccomp, whose command line carries the id)
monitor_of() {
	local pid
	for pid in $(pgrep -f "hako .*$1"); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = hako-seccomp ] && echo "$pid" && return
	done
}
s=$(bundle resident -- sh -c 'hako-probe syscall mlockall 1; exec sleep 30')
cfg "$s" '.linux.seccomp.syscalls += [{"names": ["mlockall"], "action": "SCMP_ACT_ERRNO"}] |
	.annotations["org.hako.seccomp.report"] = "true"'
id=$(cid resident)
hk create --bundle "$s" "$id" >"$WORK/resident.out" 2>"$WORK/resident.err"
hk start "$id"
for _ in $(seq 50); do
	grep -q 'seccomp denied' "$WORK/resident.err" && break
	sleep 0.1
done
contains "resident: the denial is reported" "$(cat "$WORK/resident.err")" 'seccomp denied mlockall for pid 2 (/usr/bin/hako-probe)'
mon=$(monitor_of "$id")
if [ -z "$mon" ]; then
	for n in 1 2 3 4; do _tap 1 "the monitor is running ($n)" "no hako-seccomp process for $id"; done
else
	is "monitor: stdin and stdout are /dev/null" \
		"$(readlink "/proc/$mon/fd/0") $(readlink "/proc/$mon/fd/1")" "/dev/null /dev/null"
	listener=$(for f in /proc/"$mon"/fd/*; do
		[ "$(readlink "$f")" = "anon_inode:seccomp notify" ] && basename "$f"; done)
	ok "monitor: the listener is above stderr (fd $listener), not on stdin" test "${listener:-0}" -gt 2
	is "monitor: only CAP_SYS_PTRACE is left, in every set but inheritable and ambient" \
		"$(grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' "/proc/$mon/status" | awk '{printf "%s ", $2}')" \
		"0000000000000000 0000000000080000 0000000000080000 0000000000080000 0000000000000000 "
	is "monitor: no_new_privs is set" "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$mon/status")" 1
fi
hk delete --force "$id" >/dev/null 2>&1
ok "resident: the monitor is gone after delete" monitor_gone "$id"

# CAP_SYS_PTRACE is what lets it read the exe of another uid's process
u=$(bundle user -- /usr/bin/hako-probe syscall mlockall 1)
cfg "$u" '.linux.seccomp.syscalls += [{"names": ["mlockall"], "action": "SCMP_ACT_ERRNO"}] |
	.annotations["org.hako.seccomp.report"] = "true" | .process.user = {uid: 1000, gid: 1000}'
out=$(hk run --bundle "$u" "$(cid user)" 2>"$WORK/user.err")
is "uid 1000: the call fails as the profile says" "$out" "EPERM"
contains "uid 1000: the program is still named by its path" "$(cat "$WORK/user.err")" \
	'seccomp denied mlockall for pid 1 (/usr/bin/hako-probe)'

# a program whose name carries a newline and a terminal escape
evil=$(printf '/usr/bin/evil\nhako: injected line\033[31m')
e=$(bundle evil -- "$evil" syscall mlockall 1)
cp "$e/rootfs/usr/bin/hako-probe" "$e/rootfs$evil"
cfg "$e" '.linux.seccomp.syscalls += [{"names": ["mlockall"], "action": "SCMP_ACT_ERRNO"}] |
	.annotations["org.hako.seccomp.report"] = "true"'
out=$(hk --log "$WORK/evil.json" --log-format json run --bundle "$e" "$(cid evil)" 2>"$WORK/evil.err")
is "a program named with a newline: the call fails as the profile says" "$out" "EPERM"
is "... and no line of its making reaches stderr" "$(grep -c '^hako: injected' "$WORK/evil.err")" 0
contains "... its name is escaped" "$(cat "$WORK/evil.err")" \
	'seccomp denied mlockall for pid 1 (/usr/bin/evil\nhako: injected line\x1b[31m): allow @memlock'
ok "... no escape byte reaches stderr" bash -c "! grep -q \$'\\x1b' '$WORK/evil.err'"
ok "... the --log file stays one JSON object per line" jq -e . "$WORK/evil.json"
is "... with the escaped name in its msg" \
	"$(jq -r 'select(.msg | startswith("seccomp denied")) | .msg' "$WORK/evil.json")" \
	'seccomp denied mlockall for pid 1 (/usr/bin/evil\nhako: injected line\x1b[31m): allow @memlock or grant CAP_IPC_LOCK'

# A stderr nobody reads must not hold up the answers: lines are dropped,
# counted, and the count said once stderr drains.
fifo="$WORK/stderr.fifo"
mkfifo "$fifo"
exec 7<>"$fifo" # a reader that does not read
d=$(bundle blocked -- sh -c 'hako-probe syscall mlockall 1; hako-probe syscall mlockall 1;
	while [ ! -e /tmp/go ]; do sleep 0.05; done; hako-probe syscall mlockall 1')
cfg "$d" '.linux.seccomp.syscalls += [{"names": ["mlockall"], "action": "SCMP_ACT_ERRNO"}] |
	.annotations["org.hako.seccomp.report"] = "true"'
id=$(cid blocked)
hk create --bundle "$d" "$id" >"$WORK/blocked.out" 2>"$fifo"
timeout 2 cat /dev/zero >"$fifo" 2>/dev/null # fill the pipe
hk start "$id"
for _ in $(seq 100); do
	[ "$(grep -c EPERM "$WORK/blocked.out")" = 2 ] && break
	sleep 0.1
done
is "a full stderr pipe: denied calls are still answered" "$(cat "$WORK/blocked.out")" $'EPERM\nEPERM'
timeout 1 cat <&7 >/dev/null # drain it
touch "$d/rootfs/tmp/go"
for _ in $(seq 100); do
	[ "$(hk state "$id" | jq -r .status)" = stopped ] && break
	sleep 0.1
done
late=$(dd iflag=nonblock bs=64k count=1 <&7 2>/dev/null | tr -d '\0')
contains "... the lines that did not fit are counted once it drains" "$late" \
	"hako: seccomp monitor: 2 report lines dropped: stderr was not being read"
contains "... and the next one goes out" "$late" "seccomp denied mlockall for pid"
hk delete --force "$id" >/dev/null 2>&1
exec 7<&-
ok "blocked: the monitor is gone after the container" monitor_gone "$id"

nb=$(bundle allowed -- /usr/bin/hako-probe syscall getpid)
cfg "$nb" '.annotations["org.hako.seccomp.report"] = "true"'
out=$(hk run --bundle "$nb" "$(cid allowed)" 2>"$WORK/allowed.err")
contains "allowed calls run as usual" "$out" "ok "
is "... and are not reported" "$(grep -c 'seccomp denied' "$WORK/allowed.err")" 0
nb2=$(bundle enosys -- /usr/bin/hako-probe syscall clone3)
cfg "$nb2" '.annotations["org.hako.seccomp.report"] = "true"'
out=$(hk run --bundle "$nb2" "$(cid enosys)" 2>"$WORK/enosys.err")
is "ENOSYS answers (clone3) are not denials to report" "$out:$(grep -c 'seccomp denied' "$WORK/enosys.err")" "ENOSYS:0"

cfg "$b" '.annotations["org.hako.seccomp.report"] = "maybe"'
fails_with "a bad annotation value is refused" 'expected "true" or "false"' \
	hk create --bundle "$b" "$(cid badvalue)"
cfg "$b" '.annotations["org.hako.seccomp.report"] = "true" | .linux.seccomp.listenerPath = "/nonexistent.sock" |
	.linux.seccomp.syscalls += [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]'
fails_with "report mode with a listenerPath is refused" "a filter has one listener" \
	hk create --bundle "$b" "$(cid withagent)"

done_testing
