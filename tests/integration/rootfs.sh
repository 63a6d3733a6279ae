#!/bin/bash
# rootfs.sh - root.path and root.readonly, pivot_root and --no-pivot,
# rootfsPropagation, maskedPaths and readonlyPaths, the default devices and
# /dev links, linux.devices.
. "$(dirname "$0")/lib.sh"

field() { sed -n "s/^$1 //p" <<<"$2" | head -1; }
# The optional fields (shared:N, master:N, unbindable) of the mount at $1,
# from mountinfo text $2.
propagation() { awk -v mp="$1" '$5 == mp { s = ""; for (i = 7; $i != "-"; i++) s = s $i " "; print s }' <<<"$2" | tail -1; }

# ---- root.path, root.readonly -------------------------------------------------------
b=$(bundle ro -- sh -c 'touch /new-file 2>&1; touch /tmp/new-file 2>&1; awk "\$5 == \"/\" { print \$6 }" /proc/self/mountinfo')
out=$(hk run --bundle "$b" "$(cid ro)" 2>&1)
contains "readonly root: writing / fails" "$out" "touch: /new-file: Read-only file system"
contains "readonly root: writing /tmp fails too" "$out" "touch: /tmp/new-file: Read-only file system"
contains "readonly root: / is mounted ro" "$out" "ro,"
cfg "$b" '.root.readonly = false'
out=$(hk run --bundle "$b" "$(cid rw)" 2>&1)
is "writable root: the file lands in the bundle's rootfs" "$(ls "$b/rootfs/new-file" 2>&1)" "$b/rootfs/new-file"

# an absolute root.path outside the bundle
mv "$b/rootfs" "$WORK/elsewhere"
cfg "$b" ".root.path = \"$WORK/elsewhere\" | .process.args = [\"cat\", \"/new-file\", \"/etc/hostname-marker\"]"
echo marker >"$WORK/elsewhere/etc/hostname-marker"
is "an absolute root.path is used as is" "$(hk run --bundle "$b" "$(cid abs)" 2>&1)" marker
cfg "$b" '.root.path = "no-such-rootfs"'
fails_with "a missing root.path is refused, relative to the bundle" "'$b/no-such-rootfs'" \
	hk run --bundle "$b" "$(cid missing)"

# ---- pivot_root, and chroot with --no-pivot -----------------------------------------
b=$(bundle pivot -- /usr/bin/hako-probe sleep 300)
for mode in pivot no-pivot; do
	id=$(cid "$mode")
	flag=()
	[ $mode = no-pivot ] && flag=(--no-pivot)
	if ! hk create "${flag[@]}" --bundle "$b" "$id" >"$WORK/$mode.out" 2>&1; then
		is "create with $mode" "$(cat "$WORK/$mode.out")" ""
		continue
	fi
	pid=$(hk state "$id" | jq -r .pid)
	seen=$(wc -l <"/proc/$pid/mountinfo")
	all=$("$PROBE" nsmounts "$pid" 2>&1)
	if ! [[ "$all" =~ ^[0-9]+$ ]]; then
		skip "$mode: the mounts of the namespace" "listmount(2) is not available: $all"
	elif [ $mode = pivot ]; then
		is "pivot_root: the namespace holds no mounts out of the container's sight" "$all" "$seen"
	else
		is "--no-pivot: the old root stays below the chroot" "$([ "$all" -gt "$seen" ] && echo yes)" yes
	fi
	is "$mode: the init's root is the rootfs" "$(stat -L -c %d:%i "/proc/$pid/root")" "$(stat -c %d:%i "$b/rootfs")"
	ok "$mode: start" hk start "$id"
	ok "$mode: delete --force" hk delete --force "$id"
done
b=$(bundle nopivot -- sh -c 'cat /proc/keys | wc -c; grep -c " /proc " /proc/self/mountinfo')
is "--no-pivot: mounts and masks are in place" "$(hk run --no-pivot --bundle "$b" "$(cid nopivot)" 2>&1 | tr '\n' ' ')" "0 1 "

# ---- rootfsPropagation -------------------------------------------------------------
b=$(bundle prop -- cat /proc/self/mountinfo)
cfg "$b" '.mounts += [{destination: "/shared-tmp", type: "tmpfs", source: "tmpfs", options: ["shared"]}]'
for p in shared rshared slave private unbindable runbindable; do
	cfg "$b" ".linux.rootfsPropagation = \"$p\""
	mi=$(hk run --bundle "$b" "$(cid "prop-$p")" 2>&1)
	got=$(propagation / "$mi")
	case $p in
	*shared) [[ "$got" == *shared:* ]] && got=shared ;;
	*unbindable) [[ "$got" == *unbindable* ]] && got=unbindable ;;
	*) [[ "$got" != *shared:* && "$got" != *unbindable* ]] && got=ok ;;
	esac
	want=${p#r}
	[ "$want" = slave ] || [ "$want" = private ] && want=ok
	is "rootfsPropagation $p: the root mount" "$got" "$want"
	if [ $p = private ]; then
		contains "rootfsPropagation private keeps a mount's own 'shared'" "$(propagation /shared-tmp "$mi")" "shared:"
	fi
done

# ---- maskedPaths, readonlyPaths --------------------------------------------------------
b=$(bundle mask -- sh -c 'echo "file [$(cat /etc/secret)]"; echo "dir [$(ls /secretdir)]";
	echo "dev $(stat -c %F /etc/secret)"; touch /secretdir/x 2>/dev/null && echo "dirw yes" || echo "dirw no";
	echo "keys [$(cat /proc/keys)]"; echo "ro $(touch /data/x 2>&1)"; touch /tmp/x && echo "tmp ok";
	echo "sys $(echo x 2>&1 >/proc/sys/kernel/domainname)"')
echo secret >"$b/rootfs/etc/secret"
mkdir -p "$b/rootfs/secretdir" "$b/rootfs/data"
echo secret >"$b/rootfs/secretdir/file"
cfg "$b" '.root.readonly = false
	| .linux.maskedPaths += ["/etc/secret", "/secretdir", "/no/such/path"]
	| .linux.readonlyPaths += ["/data", "/no/such/dir"]'
out=$(hk run --bundle "$b" "$(cid mask)" 2>&1)
is "a masked file reads empty" "$(field file "$out")" "[]"
is "a masked file is /dev/null" "$(field dev "$out")" "character special file"
is "a masked directory is empty" "$(field dir "$out")" "[]"
is "a masked directory is read-only" "$(field dirw "$out")" no
is "the default masks: /proc/keys reads empty" "$(field keys "$out")" "[]"
contains "a readonlyPaths directory refuses writes" "$(field ro "$out")" "Read-only file system"
is "other paths stay writable" "$(field tmp "$out")" ok
contains "the default readonlyPaths: /proc/sys" "$(field sys "$out")" "Read-only file system"
is "masked paths that do not exist are ignored" "$(grep -c 'no/such' <<<"$out")" 0

# ---- default devices and /dev links --------------------------------------------------
b=$(bundle devices -- sh -c 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a %u:%g" /dev/$d; done;
	for l in fd stdin stdout stderr ptmx; do echo "/dev/$l -> $(readlink /dev/$l)"; done;
	echo x >/dev/null && echo "null writable"; echo "zero $(head -c 4 /dev/zero | wc -c)";
	echo "urandom $(head -c 8 /dev/urandom | wc -c)";
	awk "\$5 ~ /^\/dev/ { for (i = 7; \$i != \"-\"; i++) ; printf \"%s %s;\", \$5, \$(i + 1) }" /proc/self/mountinfo')
out=$(hk run --bundle "$b" "$(cid devices)" 2>&1)
for d in "null 1:3" "zero 1:5" "full 1:7" "random 1:8" "urandom 1:9" "tty 5:0"; do
	set -- $d
	contains "default device /dev/$1" "$out" "/dev/$1 character special file $2 666 0:0"
done
for l in "fd /proc/self/fd" "stdin /proc/self/fd/0" "stdout /proc/self/fd/1" "stderr /proc/self/fd/2" "ptmx pts/ptmx"; do
	set -- $l
	contains "/dev/$1 links to $2" "$out" "/dev/$1 -> $2"
done
contains "/dev/null can be written" "$out" "null writable"
contains "/dev/zero can be read" "$out" "zero 4"
contains "/dev/urandom can be read" "$out" "urandom 8"
contains "/dev, /dev/pts, /dev/shm, /dev/mqueue are mounted" "$out" "/dev tmpfs;/dev/pts devpts;/dev/shm tmpfs;/dev/mqueue mqueue;"

# ---- linux.devices ---------------------------------------------------------------------
b=$(bundle ldev -- sh -c 'for d in /dev/fuse-x /dev/blk-x /dev/fifo-x /dev/sub/dir/null-x /dev/zero; do
	stat -c "%n %F %t:%T %a %u:%g" $d; done; echo hi >/dev/sub/dir/null-x && echo "null-x works"')
cfg "$b" '.linux.devices = [
	{path: "/dev/fuse-x", type: "c", major: 10, minor: 229, fileMode: 384, uid: 1000, gid: 1000},
	{path: "/dev/blk-x", type: "b", major: 7, minor: 0, fileMode: 432},
	{path: "/dev/fifo-x", type: "p", fileMode: 420},
	{path: "/dev/sub/dir/null-x", type: "c", major: 1, minor: 3},
	{path: "/dev/zero", type: "c", major: 1, minor: 5, fileMode: 384}]
	| .linux.resources.devices += [{allow: true, type: "c", major: 1, minor: 3, access: "rwm"}]'
out=$(hk run --bundle "$b" "$(cid ldev)" 2>&1)
contains "a character device with mode and owner" "$out" "/dev/fuse-x character special file a:e5 600 1000:1000"
contains "a block device" "$out" "/dev/blk-x block special file 7:0 660 0:0"
contains "a fifo" "$out" "/dev/fifo-x fifo 0:0 644 0:0"
contains "a device in a new subdirectory (mode 0666 by default)" "$out" "/dev/sub/dir/null-x character special file 1:3 666 0:0"
contains "linux.devices overrides a default device" "$out" "/dev/zero character special file 1:5 600 0:0"
contains "a linux.devices node works" "$out" "null-x works"

# an existing file of another kind at the path is an error
b=$(bundle devclash -- true)
echo "not a device" >"$b/rootfs/etc/clash"
cfg "$b" '.linux.devices = [{path: "/etc/clash", type: "c", major: 1, minor: 3}]'
fails_with "a device path holding another file is refused" "'/etc/clash' exists in the rootfs and is not device c 1:3" \
	hk run --bundle "$b" "$(cid devclash)"
contains "... naming linux.devices[0]" "$(hk run --bundle "$b" "$(cid devclash)" 2>&1)" "linux.devices[0]"

# in a user namespace the devices are bind mounts of the host's
chmod 755 "$WORK"
b=$(bundle udev -- sh -c 'stat -c "%n %F %t:%T" /dev/null /dev/zero; echo x >/dev/null && echo "null writable"; head -c 3 /dev/zero | wc -c')
cfg "$b" '.linux.namespaces += [{type: "user"}]
	| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
chown -R 100000:100000 "$b/rootfs"
out=$(hk run --bundle "$b" "$(cid udev)" 2>&1)
contains "user namespace: /dev/null is the host's" "$out" "/dev/null character special file 1:3"
contains "user namespace: /dev/null can be written" "$out" "null writable"
contains "user namespace: /dev/zero can be read" "$out" "$(printf '\n3')"

# Without a /dev tmpfs the binds land on the image's own /dev files, which
# the init only looks at: its FIFO would block an open for ever.
b=$(bundle udevimg -- sh -c 'stat -c "%n %F %t:%T" /dev/null; echo x >/dev/null && echo "null writable"')
cfg "$b" '.linux.namespaces += [{type: "user"}]
	| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
	| .mounts |= map(select(.destination | startswith("/dev") | not))'
mkfifo "$b/rootfs/dev/null"
chown -R 100000:100000 "$b/rootfs"
fails_with "user namespace: an image FIFO at /dev/null is refused, not opened (create returns)" \
	"'/dev/null' exists in the rootfs and is not a regular file or a device node" \
	timeout 20 "$HAKO" --root "$HAKO_TEST_ROOT" run --bundle "$b" "$(cid udevfifo)"
rm "$b/rootfs/dev/null"
mknod "$b/rootfs/dev/null" c 1 7
out=$(hk run --bundle "$b" "$(cid udevnode)" 2>&1)
contains "user namespace: an image device node is a mount point for the host's /dev/null" "$out" \
	"/dev/null character special file 1:3"
contains "... which works" "$out" "null writable"
rm "$b/rootfs/dev/null"
: >"$b/rootfs/dev/null"
out=$(hk run --bundle "$b" "$(cid udevfile)" 2>&1)
contains "user namespace: so is an image's regular file" "$out" "/dev/null character special file 1:3"

done_testing
