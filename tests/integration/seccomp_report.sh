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
