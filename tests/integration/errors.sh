#!/bin/bash
# errors.sh - failures say what failed (config key, path, syscall), why and
# what to change; a failed create leaves nothing behind; --log-format json
# writes runc-style JSON lines.
. "$(dirname "$0")/lib.sh"

# Nothing of container $2 is left: state directory, cgroup, process, mount.
nothing_left() {
	local name=$1 id=$2 left=""
	[ -e "$HAKO_TEST_ROOT/$id" ] && left+=" state"
	[ -n "$(find /sys/fs/cgroup -maxdepth 6 -type d -name "$id" 2>/dev/null)" ] && left+=" cgroup"
	pgrep -f "hako .*$id\$" >/dev/null && left+=" process"
	grep -q "$WORK" /proc/self/mountinfo && left+=" mount"
	is "$name: nothing left behind" "$left" ""
}

# fails NAME ID TEXT HINT CMD...: CMD fails, its message has TEXT and its
# hint HINT ("" for none expected), and the failed create left nothing.
fails() {
	local name=$1 id=$2 text=$3 hint=$4
	shift 4
	fails_with "$name" "$text" "$@"
	[ -n "$hint" ] && contains "$name: hint" "$("$@" 2>&1)" "hint: $hint"
	nothing_left "$name" "$id"
}

# ---- the bundle ------------------------------------------------------------------------
b=$(bundle json -- true)
id=$(cid json)
echo '{"ociVersion": "1.3.0", "process": {' >"$b/config.json"
fails "malformed JSON" "$id" "config.json is not valid JSON" "" hk create --bundle "$b" "$id"
rm "$b/config.json"
fails "no config.json" "$id" "$b/config.json" "" hk create --bundle "$b" "$id"
fails "no bundle directory" "$id" "$WORK/no-such-bundle" "" hk create --bundle "$WORK/no-such-bundle" "$id"

b=$(bundle rootfs -- true)
id=$(cid rootfs)
rm -rf "$b/rootfs"
fails "missing rootfs" "$id" "root.path: cannot use '$b/rootfs' as the container's root" \
	"create the directory" hk create --bundle "$b" "$id"

fails "an invalid id" "bad/id" "invalid container id \"bad/id\"" "" hk create --bundle "$b" "bad/id"

# ---- mounts and the process ----------------------------------------------------------------
b=$(bundle mount -- true)
id=$(cid mount)
n=$(jq '.mounts | length' "$b/config.json")
cfg "$b" ".mounts += [{destination: \"/data\", type: \"bind\", source: \"$WORK/no-such-dir\", options: [\"rbind\"]}]"
fails "a bad mount" "$id" "cannot bind-mount '$WORK/no-such-dir' on '/data'" "the mount source does not exist" \
	hk create --bundle "$b" "$id"
contains "a bad mount: names the config element" "$(hk create --bundle "$b" "$id" 2>&1)" "[config: mounts[$n]]"
fails "a bad mount with run" "$id" "cannot bind-mount" "" hk run --bundle "$b" "$id"

b=$(bundle exe -- no-such-program)
id=$(cid exe)
fails "args[0] not in PATH" "$id" 'executable file "no-such-program" not found in $PATH' \
	"give the program's full path in process.args[0]" hk create --bundle "$b" "$id"
cfg "$b" '.process.args = ["/no/such/program"]'
fails "args[0] does not exist" "$id" "cannot run '/no/such/program': No such file or directory" \
	"'/no/such/program' does not exist in the container" hk run --bundle "$b" "$id"
printf '#!/bin/bash\necho hi\n' >"$b/rootfs/bash-script"
chmod 755 "$b/rootfs/bash-script"
cfg "$b" '.process.args = ["/bash-script"]'
fails "a missing #! interpreter" "$id" "cannot run '/bash-script'" \
	'its #! interpreter "/bin/bash" does not exist in the container' hk run --bundle "$b" "$id"
printf '#!/bin/sh\r\necho hi\r\n' >"$b/rootfs/crlf-script"
chmod 755 "$b/rootfs/crlf-script"
cfg "$b" '.process.args = ["/crlf-script"]'
fails "a script with CRLF line ends" "$id" "cannot run '/crlf-script'" \
	"its #! line ends in a carriage return (CRLF line endings)" hk run --bundle "$b" "$id"
interp=$(file -L /bin/true 2>/dev/null | sed -n 's/.*interpreter \([^,]*\),.*/\1/p')
if [ -n "$interp" ]; then
	cp /bin/true "$b/rootfs/dynamic"
	cfg "$b" '.process.args = ["/dynamic"]'
	fails "a missing ELF interpreter" "$id" "cannot run '/dynamic'" \
		"it needs the ELF interpreter $interp, which is missing in the container" hk run --bundle "$b" "$id"
else
	skip "a missing ELF interpreter" "no dynamically linked /bin/true (or no file(1)) to copy"
fi
cfg "$b" '.process.args = ["/etc/passwd"]'
fails "args[0] not executable" "$id" "cannot run '/etc/passwd': Permission denied (EACCES)" "" \
	hk run --bundle "$b" "$id"
chmod 700 "$b/rootfs/root"
cfg "$b" '.process.args = ["true"] | .process.cwd = "/root" | .process.user = {uid: 1000, gid: 1000}'
fails "a cwd the user cannot enter" "$id" "cannot enter the working directory '/root' as uid 1000: Permission denied" \
	"'/root' is mode 0700, owner 0:0, and the process runs as 1000:1000" hk create --bundle "$b" "$id"

# an error after create is reported by start, and the container is stopped
cfg "$b" '.process.args = ["/etc/passwd"] | .process.cwd = "/" | .process.user = {uid: 0, gid: 0}'
ok "create of a container whose execve will fail" hk create --bundle "$b" "$id"
fails_with "start reports the execve error" "cannot run '/etc/passwd': Permission denied" hk start "$id"
is "... and the container is stopped" "$(hk state "$id" | jq -r .status)" stopped
ok "... and deleted" hk delete "$id"
nothing_left "execve error at start" "$id"

# runtime.md: process is optional at create, and start MUST refuse without it
b=$(bundle noprocess -- true)
id=$(cid noprocess)
cfg "$b" 'del(.process)'
ok "create without a process" hk create --bundle "$b" "$id"
is "... is created" "$(hk state "$id" | jq -r .status)" created
fails_with "start without a process is refused" "the container has no process to start" hk start "$id"
is "... and the container is stopped" "$(hk state "$id" | jq -r .status)" stopped
ok "... and deleted" hk delete "$id"
fails_with "run without a process is refused" "process" hk run --bundle "$b" "$id"
nothing_left "no process" "$id"

# ---- lifecycle refusals ---------------------------------------------------------------------
b=$(bundle life -- /usr/bin/hako-probe sleep 300)
id=$(cid life)
ok "create" hk create --bundle "$b" "$id"
pid=$(hk state "$id" | jq -r .pid)
fails_with "a duplicate id is refused" "a container named \"$id\" exists already" hk create --bundle "$b" "$id"
fails_with "a duplicate id with run is refused" "exists already" hk run --bundle "$b" "$id"
is "... the first container is untouched" "$(hk state "$id" | jq -r '.status + " " + (.pid | tostring)')" "created $pid"
ok "... and starts" hk start "$id"
ok "kill" hk kill "$id" KILL
for _ in $(seq 50); do [ "$(hk state "$id" | jq -r .status)" = stopped ] && break; sleep 0.1; done
fails_with "kill of a stopped container is refused" "cannot signal container \"$id\": it is stopped" hk kill "$id"
fails_with "start of a stopped container is refused" "it is stopped" hk start "$id"
ok "delete" hk delete "$id"
nothing_left "after delete" "$id"
for verb in state start kill delete; do
	fails_with "$verb of a container that does not exist" "container \"$id\" does not exist" hk $verb "$id"
done
fails_with "an unknown signal" "unknown signal \"NOPE\"" hk kill "$id" NOPE

# ---- --log-format json ------------------------------------------------------------------
b=$(bundle logjson -- no-such-program)
id=$(cid logjson)
"$HAKO" --root "$HAKO_TEST_ROOT" --log-format json create --bundle "$b" "$id" >"$WORK/json.out" 2>"$WORK/json.err"
is "json: create fails" "$?" 1
is "json: every stderr line is a JSON object" "$(jq -c . "$WORK/json.err" >/dev/null 2>&1 && echo yes)" yes
last=$(tail -1 "$WORK/json.err")
is "json: level" "$(jq -r .level <<<"$last")" error
contains "json: msg carries the message and hint" "$(jq -r .msg <<<"$last")" \
	'executable file "no-such-program" not found in $PATH'
contains "json: time is RFC 3339 UTC" "$(jq -r .time <<<"$last" | grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$')" T
is "json: config key" "$(jq -r .config <<<"$last")" "process.args[0]"
is "json: errno" "$(jq -r .errno <<<"$last")" ENOENT
is "json: one line per record" "$(wc -l <"$WORK/json.err")" "$(jq -c . "$WORK/json.err" | wc -l)"
is "json: no text on stdout" "$(cat "$WORK/json.out")" ""
nothing_left "json" "$id"
"$HAKO" --root "$HAKO_TEST_ROOT" --log-format json --log "$WORK/hako.log" create --bundle "$b" "$id" 2>"$WORK/text.err"
is "json --log FILE: the file holds JSON lines" "$(jq -r .level "$WORK/hako.log" 2>&1 | tail -1)" error
contains "json --log FILE: stderr still says it in text" "$(cat "$WORK/text.err")" "hako: executable file"

done_testing
