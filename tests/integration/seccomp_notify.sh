#!/bin/bash
# seccomp_notify.sh - SCMP_ACT_NOTIFY with linux.seccomp.listenerPath: the
# agent (tests/helpers/seccomp_agent.c) gets the container process state
# and the listener fd in one message, and answers the notified calls.
. "$(dirname "$0")/lib.sh"

: "${SECCOMP_AGENT:?SECCOMP_AGENT must point to tests/helpers/seccomp_agent}"
sock=$WORK/agent.sock

start_agent() { # OUT
	rm -f "$sock"
	# bounded: if hako fails before it connects, nothing else ends the agent
	timeout 60 "$SECCOMP_AGENT" "$sock" "$1" 4242 2>"$1.err" &
	agent=$!
	for _ in $(seq 50); do [ -S "$sock" ] && return 0; sleep 0.1; done
	return 1
}

b=$(bundle notify -- /usr/bin/hako-probe syscall getppid)
cfg "$b" ".linux.seccomp.listenerPath = \"$sock\" | .linux.seccomp.listenerMetadata = \"meta-1\" |
	.linux.seccomp.syscalls += [{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_NOTIFY\"}]"

ok "the agent listens" start_agent "$WORK/state1"
id=$(cid run)
out=$(hk run --bundle "$b" "$id" 2>&1)
is "the notified call returns what the agent answered" "$out" "ok 4242"
wait "$agent"
is "the agent exits when no process uses the filter" "$?" 0
st=$(cat "$WORK/state1")
is "the state names the fd" "$(jq -c .fds <<<"$st")" '["seccompFd"]'
is "listenerMetadata arrives as metadata" "$(jq -r .metadata <<<"$st")" "meta-1"
is "the container's id and status" "$(jq -r '"\(.state.id) \(.state.status)"' <<<"$st")" "$id running"
is "the container's pid, as the host sees it" "$(jq -r '.pid == .state.pid and .pid > 1' <<<"$st")" true
is "ociVersion" "$(jq -r .ociVersion <<<"$st")" "1.3.0"
is "the agent saw getppid (110)" "$(cat "$WORK/state1.nr")" "notified 110"

# create + start: hako connects at create, the init sends at start
ok "the agent listens again" start_agent "$WORK/state2"
id=$(cid detached)
ok "create connects to the agent" hk create --bundle "$b" "$id"
sleep 0.2
is "nothing is sent before start" "$(cat "$WORK/state2" 2>/dev/null)" ""
ok "start" hk start "$id"
wait "$agent"
is "create + start: the agent got the state at start" "$(jq -r .state.id "$WORK/state2")" "$id"
is "... and answered the call" "$(cat "$WORK/state2.nr")" "notified 110"
for _ in $(seq 50); do [ "$(hk state "$id" | jq -r .status)" = stopped ] && break; sleep 0.1; done
ok "delete" hk delete "$id"

rm -f "$sock"
fails_with "no agent at listenerPath: create fails and says so" \
	"cannot connect to the seccomp agent at '$sock'" hk create --bundle "$b" "$(cid noagent)"

done_testing
