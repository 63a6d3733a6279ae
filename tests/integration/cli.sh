#!/bin/bash
# cli.sh - the command line: create --pid-file, --no-new-keyring,
# --preserve-fds, --bundle default; run -d; kill with names, numbers and
# --all; delete --force; list; state; the exit status of run.
. "$(dirname "$0")/lib.sh"

wait_status() { # ID STATUS: poll until the container has STATUS (5 s)
	for _ in $(seq 50); do
		[ "$(hk state "$1" 2>/dev/null | jq -r .status)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
wait_text() { # FILE TEXT: poll until FILE holds TEXT (5 s)
	for _ in $(seq 50); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# ---- create options -------------------------------------------------------------------
b=$(bundle pidfile -- /usr/bin/hako-probe sleep 300)
id=$(cid pidfile)
(cd "$WORK" && hk create --bundle "$b" --pid-file rel.pid "$id") >"$WORK/create.out" 2>&1
is "create --pid-file with a relative path" "$?" 0
is "the pid file holds the container's pid" "$(cat "$WORK/rel.pid" 2>&1)" "$(hk state "$id" | jq -r .pid)"
is "the pid file has no newline (runc's format)" "$(wc -l <"$WORK/rel.pid")" 0
is "the pid file is 0644 whatever hako's umask" "$(stat -c %a "$WORK/rel.pid")" 644
ok "delete --force of a created container" hk delete --force "$id"
# In a directory others may write to, a symlink at the pid file (or where a
# temporary could be guessed) must not make root write through it.
mkdir -m 1777 "$WORK/shared"
echo precious >"$WORK/victim"
ln -s "$WORK/victim" "$WORK/shared/pid"
ln -s "$WORK/victim" "$WORK/shared/pid.hako-tmp"
id=$(cid pidfile2)
(umask 077 && hk create --bundle "$b" --pid-file "$WORK/shared/pid" "$id") >"$WORK/create.out" 2>&1
is "create --pid-file over a planted symlink" "$?" 0
is "... replaces the symlink, not its target" "$(cat "$WORK/victim") $(test -L "$WORK/shared/pid" || echo file)" "precious file"
is "... and leaves no temporary" "$(ls -A "$WORK/shared" | grep -c tmp)" 1
ok "delete --force" hk delete --force "$id"

# --bundle defaults to the current directory
id=$(cid cwd)
(cd "$b" && hk create "$id") >"$WORK/create.out" 2>&1
is "create without --bundle uses the current directory" "$(hk state "$id" | jq -r .bundle)" "$b"
ok "delete of a created container" hk delete "$id"

# --no-new-keyring: the caller's session keyring, or a new one of its own
if host_key=$("$PROBE" keyring 2>&1); then
	b=$(bundle keyring -- /usr/bin/hako-probe keyring)
	out=$(hk run --bundle "$b" "$(cid keyring)" 2>&1)
	is "a session keyring of the container's own" "$(cut -d' ' -f2 <<<"$out")" _ses
	is "... not hako's" "$([ "${out%% *}" != "${host_key%% *}" ] && echo yes)" yes
	is "--no-new-keyring: the caller's session keyring" \
		"$(hk run --no-new-keyring --bundle "$b" "$(cid keyring2)" 2>&1)" "$host_key"
	# hako under a filter that denies keyctl (Docker's profile does): the
	# container would silently share the caller's keys
	b=$(bundle keyring-true -- true)
	out=$("$PROBE" deny keyctl "$HAKO" --root "$HAKO_TEST_ROOT" run --bundle "$b" "$(cid keyring3)" 2>&1)
	contains "a keyring hako cannot make is an error, not a silent share" "$out" \
		"cannot give the container a session keyring of its own: Operation not permitted (EPERM)"
	contains "... with the way out" "$out" "run with --no-new-keyring"
	ok "... which works there" "$PROBE" deny keyctl "$HAKO" --root "$HAKO_TEST_ROOT" run \
		--no-new-keyring --bundle "$b" "$(cid keyring4)"
else
	skip "session keyrings" "keyctl does not work here: $host_key"
fi

# --preserve-fds: fds 3 .. 3+N-1 pass to the process, nothing else does
echo three >"$WORK/fd3"
echo four >"$WORK/fd4"
echo five >"$WORK/fd5"
b=$(bundle fds -- sh -c 'hako-probe fds; read a <&3; read b <&4; echo "$a $b"')
out=$(hk run --preserve-fds 2 --bundle "$b" "$(cid fds)" 3<"$WORK/fd3" 4<"$WORK/fd4" 5<"$WORK/fd5" 2>&1)
is "run --preserve-fds 2: fds 3 and 4 are open, 5 is not" "$(head -2 <<<"$out" | tr '\n' ';')" \
	"3 $WORK/fd3;4 $WORK/fd4;"
is "run --preserve-fds 2: they read" "$(tail -1 <<<"$out")" "three four"
id=$(cid fds-create)
hk create --preserve-fds 1 --bundle "$b" "$id" 3<"$WORK/fd3" 4<"$WORK/fd4" >"$WORK/fds.out" 2>&1
ok "create --preserve-fds 1, then start" hk start "$id"
wait_status "$id" stopped
is "create --preserve-fds 1: fd 3 reaches the process at start" "$(head -1 "$WORK/fds.out")" "3 $WORK/fd3"
ok "delete" hk delete "$id"
fails_with "--preserve-fds beyond the fds passed is refused" "fd 4 is not open" \
	hk run --preserve-fds 2 --bundle "$b" "$(cid fewfds)" 3<"$WORK/fd3"
fails_with "--preserve-fds never hands on hako's own --log file" "is hako's --log file" \
	"$HAKO" --root "$HAKO_TEST_ROOT" --log "$WORK/hako.log" run --preserve-fds 1 --bundle "$b" \
	"$(cid logfd)" 3<&-

# ---- run -d ------------------------------------------------------------------------------
b=$(bundle detach -- sh -c 'echo started; exec /usr/bin/hako-probe sleep 300')
id=$(cid detach)
start=$(date +%s)
hk run -d --bundle "$b" "$id" >"$WORK/detach.out" 2>&1
is "run -d returns 0" "$?" 0
is "run -d returns at once" "$(($(date +%s) - start < 10))" 1
is "run -d: the container runs" "$(hk state "$id" | jq -r .status)" running
wait_text "$WORK/detach.out" started
is "run -d: the process writes to run's stdout" "$(cat "$WORK/detach.out")" started
pid=$(hk state "$id" | jq -r .pid)
is "run -d: no hako process stays" "$(pgrep -f "hako .*$id\$" | wc -l)" 0
is "run -d: the init's parent is not hako" "$(ps -o comm= -p "$(ps -o ppid= -p "$pid" | tr -d ' ')" | grep -c hako)" 0

# ---- list, state --------------------------------------------------------------------------
b2=$(bundle listed -- true)
id2=$(cid listed)
cfg "$b2" '.annotations = {"org.example.a": "b"}'
ok "create a second container" hk create --bundle "$b2" "$id2"
state=$(hk state "$id2")
is "state: ociVersion" "$(jq -r .ociVersion <<<"$state")" 1.3.0
is "state: id" "$(jq -r .id <<<"$state")" "$id2"
is "state: status" "$(jq -r .status <<<"$state")" created
is "state: pid is the init's" "$(jq -r .pid <<<"$state")" "$(pgrep -f "hako .*create .*$id2\$" | head -1)"
is "state: bundle" "$(jq -r .bundle <<<"$state")" "$b2"
is "state: annotations" "$(jq -c .annotations <<<"$state")" '{"org.example.a":"b"}'
table=$(hk list)
is "list: runc's columns" "$(head -1 <<<"$table" | tr -s ' ')" "ID PID STATUS BUNDLE CREATED OWNER"
contains "list: the running container" "$(grep "^$id " <<<"$table" | tr -s ' ')" "$id $pid running $b "
contains "list: the created container" "$(grep "^$id2 " <<<"$table" | tr -s ' ')" " created $b2 "
json=$(hk list --format json)
is "list --format json: the containers and their status" \
	"$(jq -r --arg a "$id" --arg b "$id2" '[.[] | select(.id == $a or .id == $b) | .id + "=" + .status] | sort | join(" ")' <<<"$json")" \
	"$(printf '%s\n' "$id=running" "$id2=created" | sort | tr '\n' ' ' | sed 's/ $//')"
is "list -q: ids only" "$(hk list -q | grep -c -e "^$id\$" -e "^$id2\$")" 2
ok "delete the created container" hk delete "$id2"

# ---- a state root others may write to is not trusted ---------------------------------------
# (hako runs the poststop hooks and signals the pids it finds there)
open_root=$WORK/open-root
mkdir -m 0777 "$open_root"
chmod 0777 "$open_root"
fails_with "create refuses a state root others may write to" \
	"'$open_root' (owner 0, mode 0777) may be written by other users" \
	"$HAKO" --root "$open_root" create --bundle "$b2" "$(cid openroot)"
is "... and made nothing there" "$(ls -A "$open_root")" ""
mkdir -m 0700 "$open_root/planted"
echo '{"pid": 1, "hako": {"hooks": {"poststop": [{"path": "/bin/false"}]}}}' >"$open_root/planted/state.json"
fails_with "delete does not act on a state planted there" "may be written by other users" \
	"$HAKO" --root "$open_root" delete planted
chmod 0755 "$open_root"
chown 1000 "$open_root/planted"
fails_with "... nor on a container directory of another user" \
	"'$open_root/planted' (owner 1000, mode 0700) may be written by another user" \
	"$HAKO" --root "$open_root" delete planted
rm -r "$open_root"

# ---- kill ---------------------------------------------------------------------------------
b=$(bundle signals -- sh -c 'for s in USR1 USR2 HUP; do trap "echo got-$s" $s; done; trap "echo got-TERM; exit 0" TERM;
	echo ready; while :; do sleep 0.1; done')
id3=$(cid signals)
hk run -d --bundle "$b" "$id3" >"$WORK/signals.out" 2>&1
wait_text "$WORK/signals.out" ready
ok "kill by name" hk kill "$id3" USR1
wait_text "$WORK/signals.out" got-USR1
contains "kill by name: the process got it" "$(cat "$WORK/signals.out")" got-USR1
ok "kill by SIG name" hk kill "$id3" SIGUSR2
wait_text "$WORK/signals.out" got-USR2
contains "kill by SIG name: the process got it" "$(cat "$WORK/signals.out")" got-USR2
ok "kill by number" hk kill "$id3" 1
wait_text "$WORK/signals.out" got-HUP
contains "kill by number (1 = HUP): the process got it" "$(cat "$WORK/signals.out")" got-HUP
ok "kill with the default signal" hk kill "$id3"
wait_status "$id3" stopped
contains "the default signal is TERM" "$(cat "$WORK/signals.out")" got-TERM
ok "delete" hk delete "$id3"

# kill --all: every process in the container's cgroup.  Without a pid
# namespace of its own the init's death does not take the others along,
# so the difference shows: sh ignores TERM, its children do not.
b=$(bundle all -- sh -c 'trap "" TERM; /usr/bin/hako-probe sleep 301 & /usr/bin/hako-probe sleep 301 & echo ready; while :; do sleep 1; done')
cfg "$b" '.linux.namespaces |= map(select(.type != "pid"))'
id4=$(cid all)
children() { pgrep -f '^/usr/bin/hako-probe sleep 301$' | wc -l; }
hk run -d --bundle "$b" "$id4" >"$WORK/all.out" 2>&1
wait_text "$WORK/all.out" ready
is "kill --all: two children before" "$(children)" 2
ok "kill TERM" hk kill "$id4" TERM
sleep 0.5
is "kill without --all: the children live on" "$(children)" 2
ok "kill --all TERM" hk kill --all "$id4" TERM
for _ in $(seq 50); do [ "$(children)" = 0 ] && break; sleep 0.1; done
is "kill --all: the children got it" "$(children)" 0
is "kill --all: the init that ignores TERM runs on" "$(hk state "$id4" | jq -r .status)" running
ok "kill --all KILL" hk kill --all "$id4" KILL
wait_status "$id4" stopped
is "kill --all KILL: the container stopped" "$(hk state "$id4" | jq -r .status)" stopped
ok "delete" hk delete "$id4"

# ---- delete --force of a running container ---------------------------------------------
ok "delete --force of a running container" hk delete --force "$id"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
is "delete --force: the process is gone" "$(kill -0 "$pid" 2>/dev/null && echo alive)" ""
is "delete --force: the state is gone" "$(ls -d "$HAKO_TEST_ROOT/$id" 2>/dev/null | wc -l)" 0
is "delete --force: the cgroup is gone" "$(find /sys/fs/cgroup -maxdepth 6 -type d -name "$id" | wc -l)" 0

# ---- the exit status of run ----------------------------------------------------------------
b=$(bundle exit -- sh -c 'exit 42')
hk run --bundle "$b" "$(cid exit)" >/dev/null 2>&1
is "run: the process's exit code" "$?" 42
cfg "$b" '.process.args = ["sh", "-c", "kill -USR1 $$; sleep 1"] | .linux.namespaces |= map(select(.type != "pid"))'
hk run --bundle "$b" "$(cid sig)" >/dev/null 2>&1
is "run: 128 + the signal that killed the process" "$?" $((128 + 10))
b=$(bundle killed -- /usr/bin/hako-probe sleep 300)
id5=$(cid killed)
"$HAKO" --root "$HAKO_TEST_ROOT" run --bundle "$b" "$id5" >/dev/null 2>&1 &
runpid=$!
for _ in $(seq 50); do [ "$(hk state "$id5" 2>/dev/null | jq -r .status)" = running ] && break; sleep 0.1; done
hk kill "$id5" KILL
wait $runpid
is "run: a container killed with KILL gives 137" "$?" 137
is "run: removes the container after it ends" "$(ls -d "$HAKO_TEST_ROOT/$id5" 2>/dev/null | wc -l)" 0

# run passes signals it gets on to the container
b=$(bundle forward -- sh -c 'trap "echo got-USR1" USR1; trap "echo got-TERM; exit 3" TERM; echo ready; while :; do sleep 0.1; done')
id6=$(cid forward)
"$HAKO" --root "$HAKO_TEST_ROOT" run --bundle "$b" "$id6" >"$WORK/forward.out" 2>&1 &
runpid=$!
wait_text "$WORK/forward.out" ready
kill -USR1 $runpid
wait_text "$WORK/forward.out" got-USR1
kill -TERM $runpid
wait $runpid
is "run forwards TERM; its exit status is the process's" "$?" 3
is "run forwards USR1 and TERM" "$(grep got- "$WORK/forward.out" | tr '\n' ' ')" "got-USR1 got-TERM "

done_testing
