#!/bin/bash
# netdevices.sh - linux.netDevices (runtime-spec v1.3.0): host devices moved
# into the container's network namespace under their new names, up, with
# their permanent global addresses; gone from the host while it runs; the
# kernel's doing at delete; refused before anything is created when they
# cannot move; moved back when create fails after moving them.
#
# The devices are veth pairs (this kernel may lack dummy): one end moves,
# the peer stays on the host and shows what happened to the pair.
. "$(dirname "$0")/lib.sh"

# Interface names hold 15 bytes: "hk" + the run's pid in hex (<= 6) + a
# letter + "p" for a peer.
tag=$(printf '%x' $$)
links=()
netns=()
cleanup_net() {
	local l n
	for l in "${links[@]}"; do
		ip link del "$l" >/dev/null 2>&1
	done
	for n in "${netns[@]}"; do
		ip netns del "$n" >/dev/null 2>&1
	done
}
trap 'cleanup_net; _cleanup' EXIT

# veth NAME: NAME and its peer NAMEp on the host
veth() {
	links+=("$1" "${1}p")
	ip link add "$1" type veth peer name "${1}p"
}

on_host() { ip link show "$1" >/dev/null 2>&1; }
not() { ! "$@"; }

# A device whose namespace was freed goes asynchronously (cleanup_net runs
# from a workqueue): wait up to 5 s for NAME to be gone from the host.
gone_from_host() {
	local i
	for i in $(seq 50); do
		on_host "$1" || return 0
		sleep 0.1
	done
	return 1
}

# Wait until the container's process has exited (status stopped).
wait_stopped() {
	local i
	for i in $(seq 100); do
		[ "$(hk state "$1" 2>/dev/null | jq -r .status)" = stopped ] && return 0
		sleep 0.1
	done
	return 1
}

if ! command -v ip >/dev/null || ! veth "hk${tag}t" 2>/dev/null; then
	skip "netDevices" "cannot create a veth pair here (iproute2 or the veth driver is missing)"
	done_testing
fi
ip link del "hk${tag}t"

is "features: netDevices enabled" "$("$HAKO" features | jq -r .linux.netDevices.enabled)" true

# ---- moved, renamed, addressed, up -------------------------------------------------
a=hk${tag}a b=hk${tag}b c=hk${tag}c
veth "$a" && veth "$b" && veth "$c"
ip addr add 10.200.1.1/24 dev "$a"
ip addr add 10.200.1.2/24 dev "$a"                    # secondary
ip addr add 10.200.3.1/24 dev "$a" label "$a:al"      # an alias label
ip addr add fd42:200::1/64 dev "$a" nodad
ip addr add 10.200.4.1/24 dev "$a" valid_lft 100 preferred_lft 100 # not permanent
ip addr add 10.200.5.1/24 dev "$a" scope link         # not global
ip link set "$a" up
ip addr add 10.200.2.1/24 dev "$b"

m=$(bundle moved -- sh -c 'ip -o addr; echo ==; ip -o link; echo ==;
	cat /proc/sys/net/ipv4/conf/ctr0/forwarding')
cfg "$m" ".linux.netDevices = {\"$a\": {name: \"ctr0\"}, \"$b\": {name: \"hkc%d\"}, \"$c\": {}}
	| .linux.sysctl = {\"net.ipv4.conf.ctr0.forwarding\": \"1\"}"
id=$(cid moved)
# the container's output goes where create's went (the init keeps it)
hk create --bundle "$m" "$id" >"$WORK/moved.out" 2>&1
is "create moves three devices" "$?" 0
ok "while it runs, $a is gone from the host" not on_host "$a"
ok "while it runs, $c is gone from the host" not on_host "$c"
ok "the host keeps the peer of $a" on_host "${a}p"
ok "start" hk start "$id"
wait_stopped "$id"
addrs=$(sed -n '1,/^==$/p' "$WORK/moved.out")
linkl=$(sed -n '/^==$/,/^==$/p' "$WORK/moved.out")
contains "ctr0 has the primary address" "$addrs" "ctr0    inet 10.200.1.1/24 scope global ctr0"
contains "ctr0 has the secondary address" "$addrs" "inet 10.200.1.2/24 scope global secondary ctr0"
contains "the alias label follows the rename" "$addrs" "inet 10.200.3.1/24 scope global ctr0:al"
contains "ctr0 has its IPv6 address (nodad kept)" "$addrs" "inet6 fd42:200::1/64 scope global"
ok "an address with a lifetime is not carried over" not grep -q 10.200.4.1 <<<"$addrs"
ok "a link-scope address is not carried over" not grep -q 10.200.5.1 <<<"$addrs"
contains "the %d template became hkc0, with its address" "$addrs" "hkc0    inet 10.200.2.1/24 scope global hkc0"
contains "ctr0 is up" "$(grep ': ctr0@' <<<"$linkl")" ",UP,"
contains "hkc0 is up" "$(grep ': hkc0@' <<<"$linkl")" ",UP,"
contains "$c keeps its name and is up" "$(grep ": $c@" <<<"$linkl")" ",UP,"
is "a sysctl of the moved device was written inside" "$(tail -n 1 "$WORK/moved.out")" 1
ok "delete" hk delete "$id"
# runtime-spec: the runtime MUST NOT move the devices out; when the
# namespace is freed the kernel destroys virtual devices (and a veth's
# peer with it) and returns physical ones to the initial namespace.
ok "after delete the veth is destroyed with the namespace (its peer is gone)" gone_from_host "${a}p"
ok "after delete $a is not back on the host" not on_host "$a"

# ---- two devices swap names: the second enters while its name is taken ----------------
x=hk${tag}x1 y=hk${tag}y1
veth "$x" && veth "$y"
ip addr add 10.200.10.1/24 dev "$x"
ip addr add 10.200.11.1/24 dev "$y"
sw=$(bundle swap -- ip -o addr)
cfg "$sw" ".linux.netDevices = {\"$x\": {name: \"$y\"}, \"$y\": {name: \"$x\"}}"
out=$(hk run --bundle "$sw" "$(cid swap)" 2>&1)
is "two devices that swap names: the container runs" "$?" 0
contains "$x is $y inside" "$out" "$y    inet 10.200.10.1/24 scope global $y"
contains "$y is $x inside" "$out" "$x    inet 10.200.11.1/24 scope global $x"
ok "no transit name is left" not grep -q hako-mv <<<"$out"

# ---- refused before anything is created -----------------------------------------------
r=$(bundle refused -- true)
refused_dev() { # name netDevices-json text
	cfg "$r" ".linux.netDevices = $2"
	refused "$1" "$r" "$3"
}
refused_dev missing "{\"hk${tag}x\": {}}" "network device \"hk${tag}x\" does not exist on the host"
refused_dev loopback '{"lo": {}}' 'network device "lo" is a loopback device'
br=hk${tag}r
links+=("$br")
if ip link add "$br" type bridge 2>/dev/null; then
	# the kernel marks a bridge netns-immutable (6.13 says so over
	# rtnetlink; before, the move fails with EINVAL and is undone)
	refused_dev bridge "{\"$br\": {}}" "network device \"$br\""
	ok "the bridge stays on the host" on_host "$br"
else
	skip "a bridge is refused" "cannot create a bridge here"
fi

d=hk${tag}d
veth "$d"
ip addr add 10.200.6.1/24 dev "$d"
ip link set "$d" up
refused_dev clash "{\"$d\": {name: \"lo\"}}" \
	"network device \"$d\" cannot be moved into the container as \"lo\": a device of that name"
contains "after the clash $d is still on the host with its address" "$(ip -o addr show dev "$d" 2>&1)" \
	"inet 10.200.6.1/24"

out=$(cd "$r" && cfg "$r" ".linux.netDevices = {\"hk${tag}x\": {}}" && hk check -b "$r" 2>&1)
contains "hako check names the missing device" "$out" "network device \"hk${tag}x\" does not exist on the host"

# ---- create fails after the move: the device comes back ---------------------------------
f=$(bundle rollback -- true)
cfg "$f" ".linux.netDevices = {\"$d\": {name: \"ctr0\"}}
	| .hooks.createRuntime = [{path: \"/bin/sh\", args: [\"sh\", \"-c\",
		\"nsenter -t \$(jq .pid) -n ip -o addr > $WORK/hook-addr; exit 3\"]}]"
fails_with "a failing createRuntime hook fails create" "exited with status 3" hk run --bundle "$f" "$(cid rollback)"
contains "the createRuntime hook saw the device in the container, renamed" "$(cat "$WORK/hook-addr")" \
	"ctr0    inet 10.200.6.1/24"
contains "after the failed create $d is back on the host with its address" "$(ip -o addr show dev "$d" 2>&1)" \
	"inet 10.200.6.1/24 scope global $d"
contains "and up, as it was" "$(ip -o link show dev "$d" 2>&1)" ",UP"

# ---- a user namespace -----------------------------------------------------------------
u=hk${tag}u
veth "$u"
ip addr add 10.200.7.1/24 dev "$u"
chmod 0711 "$WORK" # mktemp made it 0700, which would stop the mapped root
ub=$(bundle userns -- ip -o addr)
cfg "$ub" ".linux.namespaces += [{type: \"user\"}]
	| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	| .linux.netDevices = {\"$u\": {name: \"eth0\"}}"
out=$(hk run --bundle "$ub" "$(cid userns)" 2>&1)
is "a container with its own user namespace runs" "$?" 0
contains "inside the user namespace eth0 has the address" "$out" "eth0    inet 10.200.7.1/24 scope global eth0"

# ---- a joined network namespace: the device stays there after delete -------------------
n=hk${tag}n j=hk${tag}j
netns+=("$n")
veth "$j"
ip addr add 10.200.8.1/24 dev "$j"
if ip netns add "$n" 2>/dev/null; then
	jb=$(bundle joined -- ip -o addr)
	cfg "$jb" ".linux.namespaces |= map(if .type == \"network\" then .path = \"/run/netns/$n\" else . end)
		| .linux.netDevices = {\"$j\": {name: \"pod0\"}}"
	out=$(hk run --bundle "$jb" "$(cid joined)" 2>&1)
	is "a container joining a network namespace runs" "$?" 0
	contains "inside, pod0 has the address" "$out" "pod0    inet 10.200.8.1/24 scope global pod0"
	contains "after delete the device is still in the joined namespace (not moved back)" \
		"$(ip -n "$n" -o addr show dev pod0 2>&1)" "inet 10.200.8.1/24"
	ok "and not on the host" not on_host "$j"
else
	skip "a joined network namespace gets the device" "ip netns add failed"
fi

# ---- nothing of this run's interfaces is left ------------------------------------------
cleanup_net
left=""
for l in "${links[@]}"; do
	gone_from_host "$l" || left+=" $l"
done
for l in "${netns[@]}"; do
	[ -e "/run/netns/$l" ] && left+=" netns:$l"
done
is "every interface and namespace of this run is gone" "$left" ""

done_testing
