#!/bin/bash
# hooks.sh - the six hooks: order, the state on stdin, the namespaces they
# run in and where their paths resolve, timeouts, and what a failure does
# (runtime.md v1.3.0: every failure but poststop's stops the container).
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/log"
LOG=$WORK/log/hooks.log
HOST_MNT=$(readlink /proc/self/ns/mnt)
cat >"$WORK/hook" <<'EOF'
#!/bin/sh
# hook KIND LOG [EXIT]: log "KIND MNTNS HOSTNAME STATE-JSON"
state=$(cat)
echo "$1 $(readlink /proc/self/ns/mnt) $(hostname) $state" >>"$2"
exit "${3:-0}"
EOF
chmod 755 "$WORK/hook"

# hooks JQ: a hooks object with a logging hook for each kind; startContainer
# runs in the container, so it is the copy in the rootfs, logging to /log.
hooks_cfg() {
	local b=$1
	cp "$WORK/hook" "$b/rootfs/hook"
	cfg "$b" ".mounts += [{destination: \"/log\", type: \"bind\", source: \"$WORK/log\", options: [\"bind\"]}]
		| .hooks = {
		prestart: [{path: \"$WORK/hook\", args: [\"hook\", \"prestart\", \"$LOG\"]}],
		createRuntime: [{path: \"$WORK/hook\", args: [\"hook\", \"createRuntime\", \"$LOG\"]},
				{path: \"$WORK/hook\", args: [\"hook\", \"createRuntime2\", \"$LOG\"]}],
		createContainer: [{path: \"$WORK/hook\", args: [\"hook\", \"createContainer\", \"$LOG\"]}],
		startContainer: [{path: \"/hook\", args: [\"hook\", \"startContainer\", \"/log/hooks.log\"]}],
		poststart: [{path: \"$WORK/hook\", args: [\"hook\", \"poststart\", \"$LOG\"]}],
		poststop: [{path: \"$WORK/hook\", args: [\"hook\", \"poststop\", \"$LOG\"]}]}"
}
kinds() { cut -d' ' -f1 "$LOG" 2>/dev/null | tr '\n' ' '; }
line() { grep "^$1 " "$LOG" | head -1; }
state_of() { line "$1" | cut -d' ' -f4-; }

# ---- order, state, namespaces ------------------------------------------------------------
b=$(bundle order -- sh -c 'echo "process $(readlink /proc/self/ns/mnt) $(hostname) {}" >>/log/hooks.log; exec /usr/bin/hako-probe sleep 300')
hooks_cfg "$b"
cfg "$b" '.hostname = "hooked" | .annotations = {"org.example.key": "value"}'
id=$(cid order)
rm -f "$LOG"
ok "create with hooks" hk create --bundle "$b" "$id"
is "create runs prestart, createRuntime (in order), createContainer" "$(kinds)" \
	"prestart createRuntime createRuntime2 createContainer "
pid=$(hk state "$id" | jq -r .pid)
ok "start" hk start "$id"
contains "start runs poststart before it returns" "$(kinds)" " poststart "
for _ in $(seq 50); do grep -q "^process " "$LOG" && break; sleep 0.1; done
# the process and poststart run at the same time: only startContainer
# is ordered before the process
is "start runs startContainer, then the process" "$(kinds | tr ' ' '\n' | grep -v poststart | tr '\n' ' ')" \
	"prestart createRuntime createRuntime2 createContainer startContainer process "
cfg "$b" 'del(.hooks)'
ok "delete --force" hk delete --force "$id"
is "delete runs poststop last, as config.json was at create" "$(kinds | awk '{ print $NF }')" poststop

for k in prestart createRuntime createContainer startContainer poststart poststop; do
	s=$(state_of $k)
	is "$k: state id" "$(jq -r .id <<<"$s" 2>&1)" "$id"
	is "$k: state bundle" "$(jq -r .bundle <<<"$s" 2>&1)" "$b"
	is "$k: state annotations" "$(jq -c .annotations <<<"$s" 2>&1)" '{"org.example.key":"value"}'
	is "$k: state ociVersion" "$(jq -r .ociVersion <<<"$s" 2>&1)" 1.3.0
done
for k in prestart:creating createRuntime:creating createContainer:creating startContainer:created \
	poststart:running poststop:stopped; do
	is "${k%%:*}: state status" "$(jq -r .status <<<"$(state_of ${k%%:*})" 2>&1)" "${k#*:}"
done
for k in prestart createRuntime createContainer startContainer poststart; do
	is "$k: state pid is the container's" "$(jq -r .pid <<<"$(state_of $k)" 2>&1)" "$pid"
done
cmnt=$(line process | cut -d' ' -f2)
for k in prestart createRuntime poststart poststop; do
	is "$k runs in the runtime's mount namespace" "$(line $k | cut -d' ' -f2)" "$HOST_MNT"
done
is "createContainer runs in the container's mount namespace" "$(line createContainer | cut -d' ' -f2)" "$cmnt"
is "createContainer runs in the container's uts namespace" "$(line createContainer | cut -d' ' -f3)" hooked
is "startContainer runs in the container's namespaces" "$(line startContainer | cut -d' ' -f2,3)" "$cmnt hooked"
is "prestart runs in the runtime's uts namespace" "$(line prestart | cut -d' ' -f3)" "$(hostname)"

# args and env reach the hook as given
b=$(bundle argsenv -- true)
cat >"$WORK/argsenv.sh" <<'EOF'
echo "$(cut -d '' -f1 /proc/$$/cmdline)|$0|$FOO|${HOME-unset}"
EOF
cfg "$b" ".hooks.prestart = [{path: \"/bin/sh\", args: [\"custom-argv0\", \"-c\", \". $WORK/argsenv.sh >$WORK/argsenv.out\", \"zero\"],
	env: [\"FOO=bar baz\"]}]"
ok "run with a prestart hook" hk run --bundle "$b" "$(cid argsenv)"
is "hook args and env are exactly the config's" "$(cat "$WORK/argsenv.out" 2>&1)" "custom-argv0|zero|bar baz|unset"

# ---- timeout -------------------------------------------------------------------------------
b=$(bundle timeout -- true)
id=$(cid timeout)
cfg "$b" ".hooks.createRuntime = [{path: \"/bin/sleep\", args: [\"sleep\", \"29.5\"], timeout: 1}]
	| .hooks.poststop = [{path: \"$WORK/hook\", args: [\"hook\", \"poststop\", \"$LOG\"]}]"
rm -f "$LOG"
start=$(date +%s)
fails_with "a hook past its timeout fails the create" "createRuntime hook /bin/sleep (hooks.createRuntime[0]): did not finish within its timeout of 1 s" \
	hk create --bundle "$b" "$id"
is "... without waiting for the hook" "$(($(date +%s) - start < 10))" 1
is "... and runs poststop" "$(kinds)" "poststop "
is "... and leaves no state" "$(ls -d "$HAKO_TEST_ROOT/$id" 2>/dev/null | wc -l)" 0
is "... and no hook process" "$(pgrep -f "sleep 29[.]5$" | wc -l)" 0

# ---- failures --------------------------------------------------------------------------------
fail_hook() { # KIND: a hook of KIND that exits 3, plus a logging poststop
	cfg "$b" ".hooks = {\"$1\": [{path: \"$([ "$1" = startContainer ] && echo /hook || echo "$WORK/hook")\",
		args: [\"hook\", \"$1\", \"$([ "$1" = startContainer ] && echo /log/hooks.log || echo "$LOG")\", \"3\"]}],
		poststop: [{path: \"$WORK/hook\", args: [\"hook\", \"poststop\", \"$LOG\"]}]}"
}
b=$(bundle fail -- /usr/bin/hako-probe sleep 300)
hooks_cfg "$b"
for k in prestart createRuntime createContainer; do
	id=$(cid "fail-$k")
	fail_hook $k
	rm -f "$LOG"
	fails_with "a failing $k hook fails create, saying which" "$k hook $WORK/hook (hooks.${k}[0]): exited with status 3" \
		hk create --bundle "$b" "$id"
	is "failing $k: poststop still runs (lifecycle step 12, 13)" "$(kinds)" "$k poststop "
	is "failing $k: no state left" "$(ls -d "$HAKO_TEST_ROOT/$id" 2>/dev/null | wc -l)" 0
	is "failing $k: no cgroup left" "$(find /sys/fs/cgroup -maxdepth 6 -type d -name "$id" | wc -l)" 0
	is "failing $k: no process left" "$(pgrep -f "hako .*$id" | wc -l)" 0
done
id=$(cid fail-run)
fail_hook createContainer
fails_with "a failing hook fails run too" "createContainer hook" hk run --bundle "$b" "$id"
is "failing hook in run: no state left" "$(ls -d "$HAKO_TEST_ROOT/$id" 2>/dev/null | wc -l)" 0

for k in startContainer poststart; do
	id=$(cid "fail-$k")
	fail_hook $k
	rm -f "$LOG" "$WORK/log/hooks.log"
	ok "create with a failing $k hook" hk create --bundle "$b" "$id"
	fails_with "a failing $k hook fails start, saying which" "$k hook" hk start "$id"
	for _ in $(seq 50); do [ "$(hk state "$id" | jq -r .status)" = stopped ] && break; sleep 0.1; done
	is "failing $k: the container is stopped" "$(hk state "$id" | jq -r .status)" stopped
	ok "failing $k: delete" hk delete "$id"
	contains "failing $k: delete runs poststop" "$(kinds)" "poststop"
done

id=$(cid fail-poststop)
fail_hook poststop
cfg "$b" ".hooks.poststop = [{path: \"$WORK/hook\", args: [\"hook\", \"poststop\", \"$LOG\", \"3\"]},
	{path: \"$WORK/hook\", args: [\"hook\", \"poststop2\", \"$LOG\"]}]"
rm -f "$LOG"
ok "create" hk create --bundle "$b" "$id"
hk delete --force "$id" >"$WORK/delete.out" 2>&1
is "a failing poststop hook does not fail delete" "$?" 0
contains "... it is a warning" "$(cat "$WORK/delete.out")" "warning: poststop hook $WORK/hook (hooks.poststop[0]): exited with status 3"
is "... the next poststop hook still runs" "$(kinds)" "poststop poststop2 "
is "... and the container is gone" "$(ls -d "$HAKO_TEST_ROOT/$id" 2>/dev/null | wc -l)" 0

done_testing
