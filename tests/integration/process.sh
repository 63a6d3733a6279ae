#!/bin/bash
# process.sh - process: args, env, cwd, user, the five capability sets
# (ambient ones kept through the switch to a non-root uid), rlimits,
# noNewPrivileges, oomScoreAdj, scheduler, ioPriority, personality, and the
# container's stdio when terminal is false.
. "$(dirname "$0")/lib.sh"

field() { sed -n "s/^$1 //p" <<<"$2" | head -1; }
status_of() { grep "^$1:" <<<"$2" | cut -f2; }
capmask() { printf '%016x' "$1"; }
# Run bundle $b as container ID-NAME $1, its output in $out; a run that
# fails is a failed check of its own, with the output.
run_ok() {
	out=$(hk run --bundle "$b" "$(cid "$1")" 2>&1)
	local rc=$?
	[ $rc -eq 0 ] || is "container $1 runs" "exit $rc: $out" "exit 0"
}

# ---- args, env, cwd ----------------------------------------------------------------------
b=$(bundle args)
cfg "$b" '.process.args = ["sh", "-c", "printf \"[%s]\" \"$@\"; echo; echo \"foo [$FOO]\"; echo \"empty [${EMPTY-unset}]\"; echo \"home $HOME\"; echo \"cwd $(pwd)\"", "zero", "a b", "c'"'"'d", "", "$HOME"]
	| .process.env += ["FOO=bar  baz", "EMPTY="]'
run_ok args
is "args reach the process unchanged" "$(head -1 <<<"$out")" "[a b][c'd][][\$HOME]"
is "env with spaces" "$(field foo "$out")" "[bar  baz]"
is "env with an empty value" "$(field empty "$out")" "[]"
is "HOME of root from the container's /etc/passwd" "$(field home "$out")" /root
is "cwd /" "$(field cwd "$out")" /
cfg "$b" '.process.env += ["HOME=/elsewhere"] | .process.cwd = "/does/not/exist/yet"'
run_ok args2
is "HOME from process.env wins" "$(field home "$out")" /elsewhere
is "a missing cwd is created" "$(field cwd "$out")" /does/not/exist/yet
cfg "$b" '.process.env = ["PATH=/usr/bin"] | .process.args = ["hako-probe", "exit", "3"]'
hk run --bundle "$b" "$(cid path)" >/dev/null 2>&1
is "args[0] is looked up in the container's PATH" "$?" 3

# ---- user --------------------------------------------------------------------------------
b=$(bundle user -- sh -c 'echo "id $(id)"; echo "umask $(hako-probe umask)"; echo "home $HOME"; echo "cwd $(pwd)";
	grep -E "^(Uid|Gid|Groups):" /proc/self/status | tr "\t" " "; touch /tmp/by-user && stat -c "file %a %u:%g" /tmp/by-user')
cfg "$b" '.root.readonly = false | .process.cwd = "/home/user"
	| .process.user = {uid: 1000, gid: 1000, additionalGids: [10, 20, 1000], umask: 63}'
run_ok user
is "uid, gid and additional gids" "$(field id "$out")" "uid=1000(user) gid=1000(user) groups=10,20,1000(user)"
is "real, effective, saved and fs uid" "$(grep ^Uid: <<<"$out")" "Uid: 1000 1000 1000 1000"
is "real, effective, saved and fs gid" "$(grep ^Gid: <<<"$out")" "Gid: 1000 1000 1000 1000"
is "umask" "$(field umask "$out")" 0077
is "a new file gets the umask and the user" "$(field file "$out")" "600 1000:1000"
is "HOME of uid 1000 from /etc/passwd" "$(field home "$out")" /home/user
cfg "$b" '.process.user = {uid: 1000, gid: 1000}'
run_ok user2
is "no additionalGids: no supplementary groups" "$(field id "$out")" "uid=1000(user) gid=1000(user)"
is "no umask: hako's own umask is kept" "$(field umask "$out")" "$(umask)"

# ---- capabilities --------------------------------------------------------------------------
# execve recomputes the sets (capabilities(7)), so the config's effective
# and permitted sets are read from the init before execve, by a
# startContainer hook (its parent is the init).
CHOWN=$((1 << 0)) DAC=$((1 << 1)) KILL=$((1 << 5)) NBS=$((1 << 10)) RAW=$((1 << 13))
b=$(bundle caps -- sh -c 'grep ^Cap /proc/self/status | tr "\t" " "')
cfg "$b" '.process.capabilities = {
	bounding: ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW"],
	permitted: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
	effective: ["CAP_CHOWN", "CAP_KILL"],
	inheritable: ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
	ambient: ["CAP_NET_BIND_SERVICE"]}
	| .hooks.startContainer = [{path: "/bin/sh", args: ["sh", "-c", "grep ^Cap /proc/$PPID/status | sed \"s/^/init-/\" | tr \"\\t\" \" \""]}]'
run_ok caps
is "init before execve: CapEff is process.capabilities.effective" "$(field init-CapEff: "$out")" "$(capmask $((CHOWN | KILL)))"
is "init before execve: CapPrm is .permitted" "$(field init-CapPrm: "$out")" "$(capmask $((CHOWN | KILL | NBS)))"
is "init before execve: CapInh is .inheritable" "$(field init-CapInh: "$out")" "$(capmask $((KILL | NBS)))"
is "init before execve: CapBnd is .bounding" "$(field init-CapBnd: "$out")" "$(capmask $((CHOWN | DAC | KILL | NBS | RAW)))"
is "init before execve: CapAmb is .ambient" "$(field init-CapAmb: "$out")" "$(capmask $NBS)"
is "root after execve: CapBnd" "$(field CapBnd: "$out")" "$(capmask $((CHOWN | DAC | KILL | NBS | RAW)))"
is "root after execve: CapInh" "$(field CapInh: "$out")" "$(capmask $((KILL | NBS)))"
is "root after execve: CapAmb" "$(field CapAmb: "$out")" "$(capmask $NBS)"
# uid 0 gets bounding | inheritable at execve, cut to the old permitted
# set by no_new_privs (noNewPrivileges is true): capabilities(7)
is "root after execve: CapPrm (no_new_privs keeps it within .permitted)" "$(field CapPrm: "$out")" \
	"$(capmask $((CHOWN | KILL | NBS)))"
is "root after execve: CapEff" "$(field CapEff: "$out")" "$(capmask $((CHOWN | KILL | NBS)))"

# non-root: only the ambient set survives execve
cfg "$b" '.process.user = {uid: 1000, gid: 1000} | del(.hooks)'
run_ok caps-user
is "uid 1000: CapAmb kept through the uid switch" "$(field CapAmb: "$out")" "$(capmask $NBS)"
is "uid 1000: CapEff is the ambient set" "$(field CapEff: "$out")" "$(capmask $NBS)"
is "uid 1000: CapPrm is the ambient set" "$(field CapPrm: "$out")" "$(capmask $NBS)"
is "uid 1000: CapInh" "$(field CapInh: "$out")" "$(capmask $((KILL | NBS)))"
is "uid 1000: CapBnd" "$(field CapBnd: "$out")" "$(capmask $((CHOWN | DAC | KILL | NBS | RAW)))"
cfg "$b" '.process.capabilities = {bounding: [], effective: [], permitted: [], inheritable: [], ambient: []}'
run_ok caps-none
is "empty sets: no capabilities at all" "$(grep -c " 0000000000000000$" <<<"$out")" 5

# ---- rlimits, noNewPrivileges, oomScoreAdj ------------------------------------------------
b=$(bundle limits -- sh -c 'echo "nofile $(hako-probe rlimit NOFILE)"; echo "core $(hako-probe rlimit CORE)";
	echo "nnp $(grep NoNewPrivs /proc/self/status | cut -f2)"; echo "oom $(cat /proc/self/oom_score_adj)"')
cfg "$b" '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 512, hard: 1000}, {type: "RLIMIT_CORE", soft: 1000, hard: 2000}]
	| .process.oomScoreAdj = 500 | .process.noNewPrivileges = true'
run_ok limits
is "RLIMIT_NOFILE" "$(field nofile "$out")" "512 1000"
is "RLIMIT_CORE" "$(field core "$out")" "1000 2000"
is "noNewPrivileges true" "$(field nnp "$out")" 1
is "oomScoreAdj" "$(field oom "$out")" 500
cfg "$b" 'del(.process.oomScoreAdj) | .process.noNewPrivileges = false'
run_ok limits2
is "noNewPrivileges false" "$(field nnp "$out")" 0
is "no oomScoreAdj: hako's own value is kept" "$(field oom "$out")" "$(cat /proc/self/oom_score_adj)"

# ---- scheduler, ioPriority, personality -------------------------------------------------
b=$(bundle sched -- sh -c 'echo "sched $(hako-probe sched)"; echo "ioprio $(hako-probe ioprio)"; echo "arch $(uname -m)";
	echo "persona $(cat /proc/self/personality)"')
cfg "$b" '.process.scheduler = {policy: "SCHED_BATCH", nice: 5} | .process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 7}'
run_ok sched
is "scheduler policy and nice" "$(field sched "$out")" "SCHED_BATCH 5"
is "ioPriority class and level" "$(field ioprio "$out")" "2 7"
cfg "$b" '.process.scheduler = {policy: "SCHED_OTHER", nice: -3} | .process.ioPriority = {class: "IOPRIO_CLASS_IDLE", priority: 0}'
run_ok sched2
is "a negative nice (set while hako still holds CAP_SYS_NICE)" "$(field sched "$out")" "SCHED_OTHER -3"
is "ioPriority idle" "$(field ioprio "$out")" "3 0"
if [ -e /sys/fs/cgroup/cpu/cpu.rt_runtime_us ]; then
	cfg "$b" '.process.scheduler = {policy: "SCHED_FIFO", priority: 10} | del(.process.ioPriority)'
	fails_with "SCHED_FIFO without real-time time in a v1 cpu cgroup is explained" \
		"hint: with cgroup v1 a real-time policy needs real-time time" hk run --bundle "$b" "$(cid fifo)"
	cfg "$b" 'del(.process.scheduler)'
else
	skip "SCHED_FIFO in a v1 cpu cgroup" "no cgroup v1 cpu controller with real-time group scheduling"
fi
if [ "$(uname -m)" = x86_64 ]; then
	cfg "$b" '.linux.personality = {domain: "LINUX32"}'
	run_ok persona
	is "personality LINUX32: uname -m" "$(field arch "$out")" i686
	is "personality LINUX32: /proc/self/personality" "$(field persona "$out")" 00000008
	cfg "$b" '.linux.personality = {domain: "LINUX"}'
	is "personality LINUX" "$(field arch "$(hk run --bundle "$b" "$(cid persona2)" 2>&1)")" x86_64
else
	skip "personality LINUX32" "the check knows what LINUX32 looks like on x86_64 only"
fi

# ---- stdio when terminal is false ---------------------------------------------------------
b=$(bundle io -- sh -c 'read line; echo "out:$line"; echo "err:$line" >&2; ls -l /proc/self/fd/0 /proc/self/fd/1 | wc -l; exit 4')
echo "hello there" | hk run --bundle "$b" "$(cid io)" >"$WORK/io.out" 2>"$WORK/io.err"
is "run returns the process's exit status" "$?" 4
is "stdin reaches the process" "$(head -1 "$WORK/io.out")" "out:hello there"
is "stderr is the caller's stderr" "$(cat "$WORK/io.err")" "err:hello there"
b=$(bundle fds -- /usr/bin/hako-probe fds)
is "no fd of hako leaks into the process" "$(hk run --bundle "$b" "$(cid fds)" 2>&1)" ""

# ---- hako's own binary stays out of the container (CVE-2019-5736) -----------------------
# The init is hako until its execve: a program that is /proc/self/exe again
# would run the host's hako, dumpable, in the container.
b=$(bundle selfexe -- /proc/self/exe --version)
fails_with "args[0] = /proc/self/exe is refused" \
	"'/proc/self/exe' would run hako's own binary inside the container" hk run --bundle "$b" "$(cid selfexe)"
ln -s /proc/1/exe "$b/rootfs/innocent"
cfg "$b" '.process.args = ["/innocent", "--version"]'
fails_with "... through an image symlink to /proc/1/exe" \
	"'/innocent' would run hako's own binary" hk run --bundle "$b" "$(cid selfexe2)"
printf '#!/bin/sh\nexec /innocent2 "$@"\n' >"$b/rootfs/wrapper"
printf '#!/proc/self/exe\n' >"$b/rootfs/innocent2"
chmod 755 "$b/rootfs/wrapper" "$b/rootfs/innocent2"
cfg "$b" '.process.args = ["/innocent2", "--version"]'
fails_with "... through a #! interpreter" \
	"through the #! interpreter '/proc/self/exe' of '/innocent2'" hk run --bundle "$b" "$(cid selfexe3)"
cfg "$b" '.process.args = ["/bin/true"] | .hooks.startContainer = [{path: "/innocent"}]'
fails_with "... and by a startContainer hook" \
	"[config: hooks.startContainer[0].path]" hk run --bundle "$b" "$(cid selfexe4)"
cfg "$b" 'del(.hooks) | .process.args = ["/wrapper"]'
is "a script exec'ing it later is allowed: /proc/self/exe is its shell by then, not hako" \
	"$(hk run --bundle "$b" "$(cid selfexe5)" 2>&1)" "exe: applet not found"

# A uid switch resets the dumpable flag to fs.suid_dumpable: with it at 1
# the waiting init would be dumpable again, its /proc files owned by the
# container's user, who could open /proc/<init>/exe.
if [ -w /proc/sys/fs/suid_dumpable ]; then
	saved=$(cat /proc/sys/fs/suid_dumpable)
	echo 1 >/proc/sys/fs/suid_dumpable
	b=$(bundle dumpable -- true)
	cfg "$b" '.process.user = {uid: 1000, gid: 1000}'
	id=$(cid dumpable)
	if hk create --bundle "$b" "$id" >"$WORK/dumpable.out" 2>&1; then
		pid=$(hk state "$id" | jq -r .pid)
		is "the created init stays non-dumpable after its uid switch (fs.suid_dumpable=1)" \
			"$(stat -c %u "/proc/$pid/exe" 2>&1)" 0
		hk delete --force "$id"
	else
		_tap 1 "create as uid 1000" "$(cat "$WORK/dumpable.out")"
	fi
	echo "$saved" >/proc/sys/fs/suid_dumpable
else
	skip "the init stays non-dumpable after its uid switch" "/proc/sys/fs/suid_dumpable is not writable"
fi

done_testing
