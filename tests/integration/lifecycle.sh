#!/bin/bash
# lifecycle.sh - create, start, state, kill, delete, run, and their refusals.
. "$(dirname "$0")/lib.sh"

b=$(bundle life -- /usr/bin/hako-probe sleep 100)
id=$(cid c1)

ok "create" hk create --bundle "$b" --pid-file "$WORK/pid" "$id"
state=$(hk state "$id")
is "status after create" "$(jq -r .status <<<"$state")" created
is "pid in state matches --pid-file" "$(jq -r .pid <<<"$state")" "$(cat "$WORK/pid")"
is "bundle in state" "$(jq -r .bundle <<<"$state")" "$b"
fails_with "a second create of a live id is refused" "exists already" \
	hk create --bundle "$b" "$id"
ok "start" hk start "$id"
is "status after start" "$(hk state "$id" | jq -r .status)" running
fails_with "start twice is refused" "it is running" hk start "$id"
fails_with "delete of a running container needs --force" "it is running" hk delete "$id"
ok "kill TERM" hk kill "$id" TERM
for _ in $(seq 50); do
	[ "$(hk state "$id" | jq -r .status)" = stopped ] && break
	sleep 0.1
done
is "status after kill" "$(hk state "$id" | jq -r .status)" stopped
fails_with "kill of a stopped container is refused" "it is stopped" hk kill "$id" KILL
ok "delete" hk delete "$id"
fails_with "state of a deleted container" "does not exist" hk state "$id"

b2=$(bundle run -- sh -c 'exit 7')
id2=$(cid run)
hk run --bundle "$b2" "$id2"
is "run returns the exit status of the process" "$?" 7
fails_with "run leaves no state behind" "does not exist" hk state "$id2"

b3=$(bundle hello -- echo hello from inside)
is "run prints the process output" "$(hk run --bundle "$b3" "$(cid hello)")" "hello from inside"

done_testing
