#!/bin/bash
# namespaces.sh - new and joined namespaces, id mappings, hostname,
# domainname and time offsets, checked from inside the container.
. "$(dirname "$0")/lib.sh"
# The containers' mapped roots (host uid 100000) must reach their bundles.
chmod 755 "$WORK"

# "type inode" lines for the namespaces the container is in.
NS_REPORT='for n in pid net ipc uts mnt cgroup user time; do echo "ns-$n $(readlink /proc/self/ns/$n)"; done'
field() { sed -n "s/^$1 //p" <<<"$2" | head -1; }
host_ns() { readlink "/proc/${2:-self}/ns/$1"; }

# A sleeping container made with `run -d`; prints its pid.
sleeper() {
	local b id=$1
	b=$(bundle "$id" -- /usr/bin/hako-probe sleep 300)
	shift
	[ $# -gt 0 ] && cfg "$b" "$1"
	hk run -d --bundle "$b" "$(cid "$id")" >"$WORK/$id.out" 2>&1 || return 1
	hk state "$(cid "$id")" | jq -r .pid
}

# A config whose /sys is the host's, bound: sysfs cannot be mounted by a
# user namespace that does not own the network namespace.
SYS_BIND='.mounts |= map(select(.destination != "/sys/fs/cgroup"))
	| .mounts |= map(if .destination == "/sys" then {destination: "/sys", type: "bind",
	  source: "/sys", options: ["rbind", "nosuid", "noexec", "nodev", "ro"]} else . end)'
MAPS='.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'

# ---- every namespace of the default config is new ---------------------------------
b=$(bundle new -- sh -c "$NS_REPORT"'; echo "pid1 $$"; echo "hostname $(hostname)";
	echo "domainname $(cat /proc/sys/kernel/domainname)";
	echo "netdevs $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\n" " ")";
	echo "cgroups $(cut -d: -f3 /proc/self/cgroup | sort -u | tr "\n" " ")"')
cfg "$b" '.hostname = "box" | .domainname = "example.org"'
out=$(hk run --bundle "$b" "$(cid new)" 2>&1)
for n in pid net ipc uts mnt cgroup; do
	got=$(field "ns-$n" "$out")
	if [ -n "$got" ] && [ "$got" != "$(host_ns $n)" ]; then
		is "new $n namespace" new new
	else
		is "new $n namespace" "$got" "not $(host_ns $n)"
	fi
done
is "unlisted user namespace is the host's" "$(field ns-user "$out")" "$(host_ns user)"
is "unlisted time namespace is the host's" "$(field ns-time "$out")" "$(host_ns time)"
is "the process is pid 1 of its pid namespace" "$(field pid1 "$out")" 1
is "hostname" "$(field hostname "$out")" box
is "domainname" "$(field domainname "$out")" example.org
is "the new network namespace has only lo" "$(field netdevs "$out")" "lo "
is "cgroup namespace: the container's cgroup is its root" "$(field cgroups "$out")" "/ "

# ---- namespaces that are not listed are the host's --------------------------------
b=$(bundle shared -- sh -c "$NS_REPORT")
cfg "$b" 'del(.hostname) | .linux.namespaces |= map(select(.type == "pid" or .type == "mount"))'
out=$(hk run --bundle "$b" "$(cid shared)" 2>&1)
for n in net ipc uts cgroup; do
	is "unlisted $n namespace is the host's" "$(field ns-$n "$out")" "$(host_ns $n)"
done

# ---- time namespace with offsets ---------------------------------------------------
if [ -e /proc/self/ns/time ]; then
	b=$(bundle time -- sh -c "$NS_REPORT"'; echo "offsets $(tr -s " " <"/proc/self/timens_offsets" | tr "\n" ";")";
		echo "uptime $(cut -d. -f1 /proc/uptime)"')
	cfg "$b" '.linux.namespaces += [{type: "time"}]
		| .linux.timeOffsets = {monotonic: {secs: 3600, nanosecs: 0}, boottime: {secs: 86400}}'
	out=$(hk run --bundle "$b" "$(cid time)" 2>&1)
	host_up=$(cut -d. -f1 /proc/uptime)
	got=$(field ns-time "$out")
	if [ -n "$got" ] && [ "$got" != "$(host_ns time)" ]; then is "new time namespace" new new; else
		is "new time namespace" "$got" "not $(host_ns time)"; fi
	is "time offsets" "$(field offsets "$out")" "monotonic 3600 0;boottime 86400 0;"
	up=$(field uptime "$out")
	if [ -n "$up" ] && [ "$up" -ge $((host_up + 86000)) ] && [ "$up" -le $((host_up + 86400)) ]; then
		is "boottime offset shows in /proc/uptime" ok ok
	else
		is "boottime offset shows in /proc/uptime" "$up" "host $host_up + 86400"
	fi
else
	skip "time namespace" "the kernel has no time namespaces"
fi

# ---- a new user namespace with the config's mappings (two ranges) ------------------
b=$(bundle user -- sh -c "$NS_REPORT"'; echo "uidmap $(tr -s " " </proc/self/uid_map | tr "\n" ";")";
	echo "gidmap $(tr -s " " </proc/self/gid_map | tr "\n" ";")"; echo "id $(id -u):$(id -g)";
	echo "caps $(grep CapEff /proc/self/status | cut -f2)"; touch /tmp/by-root')
cfg "$b" '.root.readonly = false | .linux.namespaces += [{type: "user"}]
	| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 1000}, {containerID: 1000, hostID: 300000, size: 1}]
	| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 1000}, {containerID: 1000, hostID: 300000, size: 1}]'
chown -R 100000:100000 "$b/rootfs"
chown 300000:300000 "$b/rootfs/home/user"
out=$(hk run --bundle "$b" "$(cid user)" 2>&1)
got=$(field ns-user "$out")
if [ -n "$got" ] && [ "$got" != "$(host_ns user)" ]; then is "new user namespace" new new; else
	is "new user namespace" "$got" "not $(host_ns user)"; fi
is "uid_map is linux.uidMappings" "$(field uidmap "$out")" " 0 100000 1000; 1000 300000 1;"
is "gid_map is linux.gidMappings" "$(field gidmap "$out")" " 0 100000 1000; 1000 300000 1;"
is "the process is root in the user namespace" "$(field id "$out")" 0:0
is "capabilities are the config's inside the user namespace" "$(field caps "$out")" 0000000020000420
is "a file made by the container's root is host uid 100000" \
	"$(stat -c %u:%g "$b/rootfs/tmp/by-root" 2>&1)" 100000:100000
cfg "$b" '.process.user = {uid: 1000, gid: 1000} | .process.args = ["touch", "/home/user/by-user"]'
ok "uid 1000 in the user namespace runs" hk run --bundle "$b" "$(cid user2)"
is "a file made by container uid 1000 is host uid 300000" \
	"$(stat -c %u:%g "$b/rootfs/home/user/by-user" 2>&1)" 300000:300000

# ---- joining namespaces by path ----------------------------------------------------
pa=$(sleeper a '.hostname = "owner-a"')
if [ -n "$pa" ] && [ "$pa" != null ]; then
	b=$(bundle joiner -- sh -c "$NS_REPORT"'; echo "hostname $(hostname)"; echo "pid $$";
		echo "ps $(ps -o args | grep -c "hako-probe sleep 30[0]")"')
	cfg "$b" "del(.hostname) | .linux.namespaces |= map(if .type == \"mount\" then . else
		.path = \"/proc/$pa/ns/\" + ({pid: \"pid\", network: \"net\", ipc: \"ipc\", uts: \"uts\",
		cgroup: \"cgroup\"}[.type]) end)"
	out=$(hk run --bundle "$b" "$(cid joiner)" 2>&1)
	for n in pid net ipc uts cgroup; do
		is "joined $n namespace by path" "$(field ns-$n "$out")" "$(host_ns $n "$pa")"
	done
	got=$(field ns-mnt "$out")
	if [ -n "$got" ] && [ "$got" != "$(host_ns mnt "$pa")" ]; then is "own mount namespace next to joined ones" new new
	else is "own mount namespace next to joined ones" "$got" "not $(host_ns mnt "$pa")"; fi
	is "joined uts namespace keeps its hostname" "$(field hostname "$out")" owner-a
	is "joined pid namespace: not pid 1" "$([ "$(field pid "$out")" != 1 ] && echo yes)" yes
	is "joined pid namespace: sees the other container's process" "$(field ps "$out")" 1
else
	skip "joining another container's namespaces" "the container to join did not start: $(cat "$WORK/a.out")"
fi

# a network namespace made by iproute2
if command -v ip >/dev/null; then
	netns="hako-$TEST_NAME-$$"
	mountpoint -q /run/netns && netns_mounted=yes || netns_mounted=no
	ip netns add "$netns"
	b=$(bundle netns -- sh -c "$NS_REPORT")
	cfg "$b" ".linux.namespaces |= map(if .type == \"network\" then .path = \"/run/netns/$netns\" else . end)"
	out=$(hk run --bundle "$b" "$(cid netns)" 2>&1)
	is "joined an 'ip netns' network namespace" "$(field ns-net "$out")" \
		"$(ip netns exec "$netns" readlink /proc/self/ns/net)"
	ip netns del "$netns"
	# iproute2 made /run/netns a mount point; take it back if it did
	[ $netns_mounted = no ] && [ -z "$(ls -A /run/netns)" ] && umount /run/netns
else
	skip "joined an 'ip netns' network namespace" "iproute2 (ip) is not installed"
fi

# a persistent uts namespace file (a bind mount of nsfs, removed below)
touch "$WORK/uts.nsfile"
if unshare --uts="$WORK/uts.nsfile" hostname from-file 2>/dev/null; then
	b=$(bundle utsns -- hostname)
	cfg "$b" "del(.hostname) | .linux.namespaces |= map(if .type == \"uts\" then .path = \"$WORK/uts.nsfile\" else . end)"
	is "joined a uts namespace from a bind-mounted file" "$(hk run --bundle "$b" "$(cid utsns)" 2>&1)" from-file
	umount "$WORK/uts.nsfile"
else
	skip "joined a uts namespace from a bind-mounted file" "unshare --uts=FILE failed"
fi

# a time namespace with its offsets
if [ -e /proc/self/ns/time ] && touch "$WORK/time.nsfile" &&
	unshare --time="$WORK/time.nsfile" --monotonic 500 true 2>/dev/null; then
	b=$(bundle timens -- sh -c 'tr -s " " </proc/self/timens_offsets | head -1')
	cfg "$b" ".linux.namespaces += [{type: \"time\", path: \"$WORK/time.nsfile\"}]"
	is "joined a time namespace: its offsets" "$(hk run --bundle "$b" "$(cid timens)" 2>&1)" "monotonic 500 0"
	umount "$WORK/time.nsfile"
else
	skip "joined a time namespace" "no time namespaces, or unshare --time=FILE failed"
fi

# a user namespace joined by path (the intermediate process), with its
# other namespaces new and owned by it
unshare --user -- sleep 300 &
up=$!
for _ in $(seq 50); do [ "$(readlink /proc/$up/ns/user)" != "$(host_ns user)" ] && break; sleep 0.1; done
echo "0 100000 65536" >/proc/$up/uid_map
echo "0 100000 65536" >/proc/$up/gid_map
b=$(bundle joinuser -- sh -c "$NS_REPORT"'; echo "uidmap $(tr -s " " </proc/self/uid_map)"; echo "id $(id -u):$(id -g)"; touch /tmp/joined')
cfg "$b" ".root.readonly = false | .linux.namespaces += [{type: \"user\", path: \"/proc/$up/ns/user\"}]"
chown -R 100000:100000 "$b/rootfs"
out=$(hk run --bundle "$b" "$(cid joinuser)" 2>&1)
is "joined user namespace by path" "$(field ns-user "$out")" "$(host_ns user $up)"
is "joined user namespace: its mappings" "$(field uidmap "$out")" " 0 100000 65536"
is "joined user namespace: root inside" "$(field id "$out")" 0:0
got=$(field ns-net "$out")
if [ -n "$got" ] && [ "$got" != "$(host_ns net)" ]; then is "joined user namespace: new network namespace" new new
else is "joined user namespace: new network namespace" "$got" "not $(host_ns net)"; fi
is "joined user namespace: files belong to the mapped root" "$(stat -c %u "$b/rootfs/tmp/joined" 2>&1)" 100000

# a new user namespace together with a joined network namespace
if [ -n "${pa:-}" ] && [ "$pa" != null ]; then
	b=$(bundle userjoin -- sh -c "$NS_REPORT"'; echo "uidmap $(tr -s " " </proc/self/uid_map)"')
	cfg "$b" ".root.readonly = false | .linux.namespaces += [{type: \"user\"}] | $MAPS | $SYS_BIND
		| .linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/$pa/ns/net\" else . end)"
	chown -R 100000:100000 "$b/rootfs"
	out=$(hk run --bundle "$b" "$(cid userjoin)" 2>&1)
	is "new user namespace with a joined network namespace: net" "$(field ns-net "$out")" "$(host_ns net "$pa")"
	is "new user namespace with a joined network namespace: mapped" "$(field uidmap "$out")" " 0 100000 65536"
fi
kill "$up" 2>/dev/null
wait "$up" 2>/dev/null

# ---- refusals ---------------------------------------------------------------------
b=$(bundle bad -- true)
id=$(cid bad)
cfg "$b" '.linux.namespaces |= map(if .type == "network" then .path = "/run/netns/no-such-hako-ns" else . end)'
fails_with "a missing namespace path is refused" "cannot open the network namespace '/run/netns/no-such-hako-ns'" \
	hk run --bundle "$b" "$id"
contains "the error names the config element" "$(hk run --bundle "$b" "$id" 2>&1)" "linux.namespaces"
cfg "$b" '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/uts" else . end)'
fails_with "a namespace file of the wrong type is refused" "is not a network namespace" \
	hk run --bundle "$b" "$id"
cfg "$b" '.linux.namespaces |= map(if .type == "network" then .path = "/etc/hostname" else . end)'
fails_with "a file that is no namespace is refused" "is not a namespace file" hk run --bundle "$b" "$id"
if [ -n "${pa:-}" ] && [ "$pa" != null ]; then
	cfg "$b" ".linux.namespaces |= map(if .type == \"network\" then del(.path) elif .type == \"mount\"
		then .path = \"/proc/$pa/ns/mnt\" else . end)"
	fails_with "joining a mount namespace is refused, as unsupported" \
		"joining the mount namespace '/proc/$pa/ns/mnt' is not supported" hk run --bundle "$b" "$id"
	is "... and the other container's root is untouched" "$(stat -L -c %d:%i "/proc/$pa/root")" \
		"$(stat -c %d:%i "$WORK/a/rootfs")"
fi
# a bundle the container's mapped root cannot reach
b=$(bundle closed/u -- true)
cfg "$b" ".linux.namespaces += [{type: \"user\"}] | $MAPS"
chown -R 100000:100000 "$b/rootfs"
chmod 700 "$WORK/closed"
fails_with "an unreachable rootfs names the directory to open up" \
	"cannot enter '$WORK/closed' (mode 0700); allow it (chmod o+x '$WORK/closed')" \
	hk run --bundle "$b" "$id"
is "refused creates left no state" "$(ls -d "$HAKO_TEST_ROOT/$id" 2>/dev/null | wc -l)" 0
is "refused creates left no cgroup" "$(find /sys/fs/cgroup -maxdepth 6 -type d -name "$id" | wc -l)" 0
if [ -n "${pa:-}" ] && [ "$pa" != null ]; then
	ok "delete the container whose namespaces were joined" hk delete --force "$(cid a)"
fi

done_testing
