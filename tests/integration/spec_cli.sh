#!/bin/bash
# spec_cli.sh - `hako spec` options (--user, --cap-add/--cap-drop,
# --rlimit, --sysctl, --seccomp-allow, -- CMD), checked in the config and
# from inside a container; `hako seccomp groups`; `hako features`.
. "$(dirname "$0")/lib.sh"

newdir() { mkdir -p "$WORK/$1" && cp -a "$ROOTFS" "$WORK/$1/rootfs" && echo "$WORK/$1"; }

b=$(newdir opts)
ok "hako spec with every option" sh -c "cd '$b' && '$HAKO' spec --user 1000:1000 \
	--cap-add IPC_LOCK --cap-add cap_sys_ptrace --cap-drop NET_BIND_SERVICE \
	--rlimit memlock=1048576:2097152 --rlimit NOFILE=512 --sysctl kernel.msgmax=4096 \
	--seccomp-allow @aio -- sh -c 'grep -E \"^(Uid|CapAmb|CapEff)\" /proc/self/status |
	tr -s \"\\t \" \" \"; hako-probe rlimit MEMLOCK; hako-probe rlimit NOFILE;
	cat /proc/sys/kernel/msgmax; hako-probe syscall ptrace'"
c="$b/config.json"
is "--user" "$(jq -r '.process.user | "\(.uid):\(.gid)"' "$c")" "1000:1000"
is "-- CMD ARGS is the process" "$(jq -r '.process.args[0:2] | join(" ")' "$c")" "sh -c"
is "a cap added for a non-root user is in every set, ambient included" \
	"$(jq -r '.process.capabilities | [.bounding, .effective, .permitted, .inheritable, .ambient] |
		map(index("CAP_IPC_LOCK") != null) | all' "$c")" true
is "runc's default caps stay out of ambient" \
	"$(jq -c '.process.capabilities.ambient' "$c")" '["CAP_IPC_LOCK","CAP_SYS_PTRACE"]'
is "... and out of effective: a non-root user would lose them at execve" \
	"$(jq -c '.process.capabilities.effective' "$c")" '["CAP_IPC_LOCK","CAP_SYS_PTRACE"]'
is "... but stay in bounding" \
	"$(jq -r '.process.capabilities.bounding | index("CAP_KILL") != null' "$c")" true
is "--cap-drop removes a default" \
	"$(jq -r '.process.capabilities.bounding | index("CAP_NET_BIND_SERVICE")' "$c")" null
is "--rlimit adds and replaces" \
	"$(jq -c '[.process.rlimits[] | [.type, .soft, .hard]]' "$c")" \
	'[["RLIMIT_NOFILE",512,512],["RLIMIT_MEMLOCK",1048576,2097152]]'
is "--sysctl" "$(jq -r '.linux.sysctl["kernel.msgmax"]' "$c")" 4096
contains "--seccomp-allow is a rule of its own" \
	"$(jq -c '.linux.seccomp.syscalls[] | select(.names == ["@aio"])' "$c")" SCMP_ACT_ALLOW
contains "--cap-add SYS_PTRACE adds its syscalls to the profile" \
	"$(jq -c '.linux.seccomp.syscalls[1].names' "$c")" '"ptrace","process_vm_readv"'
out=$(hk run --bundle "$b" "$(cid opts)" 2>"$WORK/opts.err")
# CAP_IPC_LOCK = 14, CAP_SYS_PTRACE = 19
caps=$(printf '%016x' $(((1 << 14) | (1 << 19))))
is "inside: uid, ambient and effective caps, rlimits, sysctl; ptrace allowed (ESRCH)" "$out" \
	"Uid: 1000 1000 1000 1000
CapEff: $caps
CapAmb: $caps
1048576 2097152
512 512
4096
ESRCH"
is "... and create has no capability to warn about (nothing is lost at execve)" \
	"$(grep -c 'ambient' "$WORK/opts.err")" 0

r=$(newdir rootless)
ok "hako spec --rootless" sh -c "cd '$r' && '$HAKO' spec --rootless"
is "--rootless: a user namespace" \
	"$(jq -r '[.linux.namespaces[].type] | index("user") != null' "$r/config.json")" true

fails_with "--user needs UID:GID" '--user takes UID:GID' "$HAKO" spec -b "$WORK" --user alice
fails_with "an unknown capability, with a suggestion" 'did you mean CAP_IPC_LOCK' \
	"$HAKO" spec -b "$WORK" --cap-add IPC_LOKC
fails_with "an unknown rlimit" 'unknown limit "STACKS"' "$HAKO" spec -b "$WORK" --rlimit STACKS=1
fails_with "soft above hard" 'above the hard limit' "$HAKO" spec -b "$WORK" --rlimit NOFILE=10:5
fails_with "a sysctl without =" '--sysctl takes KEY=VALUE' "$HAKO" spec -b "$WORK" --sysctl vm.x
fails_with "an unknown group" 'unknown syscall group "@memlok"' \
	"$HAKO" spec -b "$WORK" --seccomp-allow @memlok
fails_with "an unknown syscall" 'unknown syscall "mlockal"' \
	"$HAKO" spec -b "$WORK" --seccomp-allow mlockal
fails_with "an existing config.json is kept" 'exists already' "$HAKO" spec -b "$b"
is "nothing was written by the refused commands" "$(ls "$WORK"/config.json 2>/dev/null)" ""

out=$("$HAKO" seccomp groups @memlock)
is "hako seccomp groups @memlock" "$out" \
	"@memlock: locking memory into RAM (up to RLIMIT_MEMLOCK without CAP_IPC_LOCK); granting CAP_IPC_LOCK allows it
    mlock mlock2 mlockall munlock munlockall"
is "every group is listed" "$("$HAKO" seccomp groups | grep -c '^@')" 29
contains "--expand resolves nested groups" "$("$HAKO" seccomp groups --expand @system-service)" mlockall
fails_with "an unknown group" 'unknown syscall group "@x"' "$HAKO" seccomp groups @x

f=$("$HAKO" features)
is "features: seccomp enabled" "$(jq -r .linux.seccomp.enabled <<<"$f")" true
is "features: every action" "$(jq -r '.linux.seccomp.actions | length' <<<"$f")" 9
is "features: supportedFlags within knownFlags" \
	"$(jq -r '.linux.seccomp | (.supportedFlags - .knownFlags) | length' <<<"$f")" 0
is "features: the native arch is buildable" \
	"$(jq -r '.linux.seccomp.archs | index("SCMP_ARCH_X86_64") != null' <<<"$f")" \
	"$([ "$(uname -m)" = x86_64 ] && echo true || echo false)"

done_testing
