#!/bin/bash
# make test-cgroupv2: runs the cgroup integration tests inside a pure cgroup v2 Linux guest.
#
# The guest is Debian's own kernel under QEMU (TCG: KVM hangs on these hosts) with a busybox
# initramfs that mounts the host's root read-only over 9p, puts a tmpfs overlay on it,
# switch_roots into it and mounts cgroup2 at /sys/fs/cgroup. There it runs the test bundle built
# on the host against the hull binary built on the host, and writes the exit status and the log
# to a second, writable 9p share. Everything is prepared here and cached under .build/cgroupv2.
#
# With --systemd (make test-systemd), the guest's PID 1 is Debian's systemd instead of busybox
# sh: stage 2 writes a target and a service into the overlay and execs systemd, which mounts
# cgroup2 itself and starts dbus and the service that runs the tests (docs/testing.md).
#
# usage: scripts/cgroupv2-vm.sh [--systemd] HULL_BINARY XCTEST_BUNDLE TEST...
set -euo pipefail

init=busybox
if [ "${1:-}" = "--systemd" ]; then init=systemd; shift; fi
hull=$1; xctest=$2; shift 2
package=${xctest%%/.build/*}
tests=("$@")
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=$repo/.build/cgroupv2
modules_wanted="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay"

need_packages() {
    local missing=""
    local wanted="qemu-system-x86 cpio busybox-static"
    if [ "$init" = systemd ]; then wanted="$wanted systemd dbus"; fi
    for p in $wanted; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "cgroupv2: installing$missing"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    fi
}

# Debian's current kernel package, unpacked once.
fetch_kernel() {
    if [ -f "$cache/kernel/vmlinuz" ]; then return; fi
    local package
    package=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    rm -rf "$cache/kernel" "$cache/download"
    mkdir -p "$cache/download" "$cache/kernel"
    (cd "$cache/download" && apt-get download "$package" 2>/dev/null)
    dpkg-deb -x "$cache"/download/*.deb "$cache/download/root"
    cp "$cache"/download/root/boot/vmlinuz-* "$cache/kernel/vmlinuz.tmp"
    local moddir
    moddir=$(ls -d "$cache"/download/root/lib/modules/*)
    mkdir -p "$cache/kernel/modules"
    for m in $modules_wanted; do
        find "$moddir" -name "$m.ko" -exec cp {} "$cache/kernel/modules/" \;
    done
    rm -rf "$cache/download"
    mv "$cache/kernel/vmlinuz.tmp" "$cache/kernel/vmlinuz"
}

# The initramfs: busybox, the modules, and an init that brings up the host root.
build_initrd() {
    if [ -f "$cache/initrd.cpio" ] && [ "$cache/initrd.cpio" -nt "$0" ]; then return; fi
    local dir=$cache/initrd
    rm -rf "$dir"
    mkdir -p "$dir"/{bin,dev,proc,sys,mnt/host,mnt/rw,mnt/root,mnt/results,modules}
    cp /bin/busybox "$dir/bin/busybox"
    for applet in sh mount umount insmod mkdir switch_root poweroff cat cp echo sleep; do
        ln -s busybox "$dir/bin/$applet"
    done
    cp "$cache"/kernel/modules/*.ko "$dir/modules/"
    cat > "$dir/init" <<INIT
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $modules_wanted; do insmod /modules/\$m.ko || echo "cgroupv2: insmod \$m failed"; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 host /mnt/host || { echo "cgroupv2: no host root"; poweroff -f; }
mount -t tmpfs -o size=512m tmpfs /mnt/rw
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay -o lowerdir=/mnt/host,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work overlay /mnt/root
# Stage 2 comes with each run on the results share; it goes into the overlay's upper layer.
mount -t 9p -o trans=virtio,version=9p2000.L results /mnt/results
cp /mnt/results/stage2 /mnt/root/guest-stage2
umount /mnt/results
umount /proc /sys
mount --move /dev /mnt/root/dev
exec switch_root /mnt/root /bin/sh /guest-stage2
INIT
    chmod +x "$dir/init"
    (cd "$dir" && find . | cpio -o -H newc --quiet) > "$cache/initrd.cpio.tmp"
    mv "$cache/initrd.cpio.tmp" "$cache/initrd.cpio"
}

# The modules CRIU's kernel feature detection and dumps need (socket diagnostics, tun, veth,
# nf_tables, iptables for --tcp-established's network lock, nf_conntrack_netlink for a network
# namespace's conntrack dump: without it nfnetlink answers EINVAL), with their dependencies: the
# kernel package's net/, lib/ and crypto/ trees and drivers/net/{tun,veth}.ko, with a
# modules.dep from busybox depmod. They stay on the host (the guest sees them over 9p);
# stage 2 links them into /lib/modules and loads them with one busybox modprobe -a.
criu_modules="crc32c_generic unix_diag inet_diag tcp_diag udp_diag raw_diag netlink_diag af_packet_diag tun veth nf_tables nfnetlink ip_tables iptable_filter x_tables xt_mark nf_conntrack nf_conntrack_netlink"
fetch_criu_modules() {
    if [ -f "$cache/criu-modules/ready" ]; then return; fi
    local package version
    package=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    rm -rf "$cache/criu-modules" "$cache/criu-download"
    mkdir -p "$cache/criu-download"
    (cd "$cache/criu-download" && apt-get download "$package" 2>/dev/null)
    dpkg-deb -x "$cache"/criu-download/*.deb "$cache/criu-download/root"
    version=$(ls "$cache/criu-download/root/lib/modules")
    local from=$cache/criu-download/root/lib/modules/$version to=$cache/criu-modules/lib/modules/$version
    mkdir -p "$to/kernel/drivers/net"
    cp -a "$from/kernel/net" "$from/kernel/lib" "$from/kernel/crypto" "$to/kernel/"
    cp "$from/kernel/drivers/net/tun.ko" "$from/kernel/drivers/net/veth.ko" "$to/kernel/drivers/net/"
    cp "$from"/modules.builtin* "$from/modules.order" "$to/" 2>/dev/null || true
    busybox depmod -b "$cache/criu-modules" "$version"
    echo "$version" > "$cache/criu-modules/ready"
    rm -rf "$cache/criu-download"
}

need_packages
fetch_kernel
fetch_criu_modules
build_initrd

results=$(mktemp -d /tmp/hull-cgroupv2-XXXXXX)
trap 'rm -rf "$results"' EXIT
# The tests, in the guest's root (the host root plus a tmpfs overlay): they leave "status" and
# "log" on the results share, mounted at /results.
tests_body() {
    cat <<TESTS
# Foundation's Process waits through a loopback socket pair: lo must be up.
ip link set lo up
# A fresh /tmp and /run; a package that lives under the host's /tmp (a CI clone, say) is bound
# back at its own path, since the test bundle and the binary are in it. The bind is made private
# first: under systemd / is shared, and the tmpfs would otherwise cover the bind as well.
mkdir -p /mnt/host-tmp && mount --bind /tmp /mnt/host-tmp && mount --make-private /mnt/host-tmp
mount -t tmpfs tmpfs /tmp
case "$package" in
/tmp/*) mkdir -p "$package" && mount --bind "/mnt/host-tmp/${package#/tmp/}" "$package" ;;
esac
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root HULL_BINARY=$hull
# CRIU's modules (fetch_criu_modules), kept on the host share.
criu_modules_version=\$(cat $cache/criu-modules/ready 2>/dev/null)
if [ -n "\$criu_modules_version" ] && [ "\$criu_modules_version" = "\$(uname -r)" ]; then
    mkdir -p /lib/modules && ln -sfn $cache/criu-modules/lib/modules/\$criu_modules_version /lib/modules/\$criu_modules_version
    busybox modprobe -a $criu_modules || echo "cgroupv2: loading CRIU's modules failed"
    # CRIU looks at the host's /dev/pts (and /dev/ptmx) when it dumps.
    mkdir -p /dev/pts && mount -t devpts -o ptmxmode=0666 devpts /dev/pts && ln -sf pts/ptmx /dev/ptmx
fi
echo "cgroup.controllers: \$(cat /sys/fs/cgroup/cgroup.controllers)" > /results/log
# A snapshot of the processes every 20 s, for a run that hangs.
(while sleep 20; do ps -eo pid,ppid,stat,wchan:20,args > /results/ps.tmp 2>&1; mv /results/ps.tmp /results/ps; done) &
stdbuf -oL -eL $xctest '${tests[*]}' >> /results/log 2>&1
echo \$? > /results/status
sync
/bin/busybox poweroff -f
TESTS
}

if [ "$init" = busybox ]; then
    # Stage 2 is found through the results share; it is the guest's PID 1 and runs the tests.
    {
        echo '#!/bin/sh'
        echo 'mount -t proc proc /proc'
        echo 'mount -t sysfs sys /sys'
        echo 'mount -t cgroup2 none /sys/fs/cgroup'
        echo 'mount -t tmpfs tmpfs /run'
        echo 'mkdir -p /results && mount -t 9p -o trans=virtio,version=9p2000.L results /results'
        tests_body
    } > "$results/stage2"
else
    # Stage 2 sets systemd up and execs it: no /.dockerenv (systemd would think it runs in a
    # container), generators masked (they cost seconds under TCG), and a target that pulls in
    # dbus and hull-tests.service only (default dependencies would start ~44 units). The
    # results share is mounted first and stays mounted under systemd.
    tests_body > "$results/guest-tests"
    cat > "$results/stage2" <<'STAGE2'
#!/bin/sh
rm -f /.dockerenv
mkdir -p /etc/systemd/system-generators /results
for g in /lib/systemd/system-generators/*; do ln -sf /dev/null "/etc/systemd/system-generators/${g##*/}"; done
# Debian's tmpfiles.d/tmp.conf empties /tmp at boot, and with it a package that lives under the
# host's /tmp (a CI clone): an empty file of the same name overrides it.
mkdir -p /etc/tmpfiles.d && : > /etc/tmpfiles.d/tmp.conf
cat > /etc/systemd/system/hull-tests.target <<UNIT
[Unit]
Description=hull tests under systemd
Wants=dbus.service hull-tests.service
UNIT
cat > /etc/systemd/system/hull-tests.service <<UNIT
[Unit]
Description=hull tests
DefaultDependencies=no
Wants=dbus.service
After=dbus.service
[Service]
Type=oneshot
StandardOutput=journal+console
ExecStart=/bin/sh /results/guest-tests
UNIT
mount -t proc proc /proc
mount -t 9p -o trans=virtio,version=9p2000.L results /results
umount /proc
exec /lib/systemd/systemd --unit=hull-tests.target --show-status=no --log-target=console --log-level=warning
STAGE2
fi

echo "cgroupv2: booting the guest (TCG, init: $init) for: ${tests[*]}"
timeout 1500 qemu-system-x86_64 -accel tcg -m 1024 -smp 1 -nographic -no-reboot \
    -kernel "$cache/kernel/vmlinuz" -initrd "$cache/initrd.cpio" \
    -append "console=ttyS0 panic=-1 quiet" \
    -virtfs local,path=/,mount_tag=host,security_model=passthrough,readonly=on,multidevs=remap \
    -virtfs local,path="$results",mount_tag=results,security_model=passthrough \
    > "$results/console" 2>&1 || true

if [ ! -f "$results/status" ]; then
    echo "cgroupv2: last process snapshot:"; cat "$results/ps" 2>/dev/null || true
    echo "cgroupv2: the guest did not report a result; console:"
    tail -30 "$results/console"
    exit 1
fi
cat "$results/log"
status=$(cat "$results/status")
echo "cgroupv2: tests in the cgroup v2 guest exited with $status"
exit "$status"
