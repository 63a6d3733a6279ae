#!/bin/bash
# sysctl.sh - linux.sysctl: values written inside the container's own
# namespaces (the host keeps its own), keys refused before anything is
# created, and the net.* keys a network namespace does not have.
. "$(dirname "$0")/lib.sh"

host_icmp=$(cat /proc/sys/net/ipv4/icmp_echo_ignore_all)
host_ttl=$(cat /proc/sys/net/ipv4/ip_default_ttl)
host_shmmax=$(cat /proc/sys/kernel/shmmax)
host_msgmax=$(cat /proc/sys/fs/mqueue/msg_max)
host_swappiness=$(cat /proc/sys/vm/swappiness)
host_core_pattern=$(cat /proc/sys/kernel/core_pattern)
new_icmp=$((1 - host_icmp))

b=$(bundle sysctl -- sh -c 'cat /proc/sys/net/ipv4/icmp_echo_ignore_all /proc/sys/net/ipv4/ip_default_ttl \
	/proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max /proc/sys/kernel/domainname;
	(echo 0 > /proc/sys/kernel/shmmax) 2>/dev/null && echo writable || echo read-only')
cfg "$b" ".linux.sysctl = {\"net.ipv4.icmp_echo_ignore_all\": \"$new_icmp\", \"net/ipv4/ip_default_ttl\": \"99\",
	\"kernel.shmmax\": \"12345678\", \"fs.mqueue.msg_max\": \"17\", \"kernel.domainname\": \"hako.example\"}"
out=$(hk run --bundle "$b" "$(cid values)" 2>&1)
is "the container sees every value it asked for" "$(tr '\n' ' ' <<<"$out")" \
	"$new_icmp 99 12345678 17 hako.example read-only "
is "net.ipv4.icmp_echo_ignore_all: the host keeps its value" "$(cat /proc/sys/net/ipv4/icmp_echo_ignore_all)" "$host_icmp"
is "net/ipv4/ip_default_ttl (slash form): the host keeps its value" "$(cat /proc/sys/net/ipv4/ip_default_ttl)" "$host_ttl"
is "kernel.shmmax: the host keeps its value" "$(cat /proc/sys/kernel/shmmax)" "$host_shmmax"
is "fs.mqueue.msg_max: the host keeps its value" "$(cat /proc/sys/fs/mqueue/msg_max)" "$host_msgmax"

# ---- refused before anything is created ---------------------------------------------------
r=$(bundle refused -- true)
refused_sysctl() { # name config-edit text
	cfg "$r" "$2"
	refused "$1" "$r" "$3"
	cfg "$r" '.linux.sysctl = {}'
}
refused_sysctl swappiness '.linux.sysctl = {"vm.swappiness": "10"}' \
	'linux.sysctl["vm.swappiness"]: vm.swappiness is host-global (no namespace owns it); setting it from a container would change the host and every other container'
is "vm.swappiness: the host keeps its value" "$(cat /proc/sys/vm/swappiness)" "$host_swappiness"
refused_sysctl hostname '.linux.sysctl = {"kernel.hostname": "x"}' 'kernel.hostname conflicts with the "hostname" field'
refused_sysctl domainname '.domainname = "a.example" | .linux.sysctl = {"kernel.domainname": "b.example"}' \
	'kernel.domainname=b.example conflicts with "domainname"'
cfg "$r" 'del(.domainname)'
refused_sysctl traversal '.linux.sysctl = {"net/../kernel/core_pattern": "|/bin/false"}' \
	'linux.sysctl["net/../kernel/core_pattern"]: not a sysctl name'
is "the host's core_pattern is untouched" "$(cat /proc/sys/kernel/core_pattern)" "$host_core_pattern"

cfg "$r" '.linux.namespaces |= map(select(.type != "ipc"))'
refused_sysctl no-ipc-ns '.linux.sysctl = {"kernel.shmmax": "1"}' \
	'kernel.shmmax belongs to the ipc namespace, but the container shares hako'"'"'s own'
cfg "$r" '.linux.namespaces |= map(select(.type != "network"))'
refused_sysctl no-net-ns '.linux.sysctl = {"net.ipv4.ip_forward": "1"}' \
	'net.ipv4.ip_forward belongs to the network namespace'
cfg "$r" ".linux.namespaces += [{type: \"network\", path: \"/proc/$$/ns/net\"}]"
refused_sysctl host-net-ns '.linux.sysctl = {"net.ipv4.ip_forward": "1"}' "which is hako's own"

# ---- keys a new network namespace does not have, or only shows read-only -------------------
# What this kernel does, found out the same way: open for writing in a new netns.
netns_errno() {
	unshare -n sh -c "if [ ! -e /proc/sys/$1 ]; then echo ENOENT; elif [ -w /proc/sys/$1 ]; then echo ok; else echo EACCES; fi"
}
n=$(bundle netkeys -- true)
for key in net.core.rmem_max net.core.netdev_max_backlog; do
	path=${key//./\/}
	kind=$(netns_errno "$path")
	id=$(cid "${key//./-}")
	cfg "$n" ".linux.sysctl = {\"$key\": \"$(cat "/proc/sys/$path")\"}"
	case $kind in
	EACCES) text="cannot set sysctl $key=$(cat "/proc/sys/$path"): it is read-only inside a network namespace on kernel $(uname -r)" ;;
	ENOENT) text="cannot set sysctl $key=$(cat "/proc/sys/$path"): it does not exist inside a network namespace on kernel $(uname -r)" ;;
	*)
		skip "$key in a network namespace" "it is writable in a network namespace on kernel $(uname -r)"
		skip "$key: explained" "not refused"
		skip "$key: hint" "not refused"
		skip "$key: nothing left" "not refused"
		continue
		;;
	esac
	out=$(hk run --bundle "$n" "$id" 2>&1)
	is "$key: refused at create" "$?" 1
	contains "$key ($kind in a new network namespace here): explained with the kernel release" "$out" "$text"
	contains "$key: the hint says to set it on the host" "$out" "set it on the host (sysctl -w $key="
	fails_with "$key: nothing was left" "does not exist" hk state "$id"
done

done_testing
