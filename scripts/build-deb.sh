#!/bin/bash
# Turns a `make install DESTDIR=STAGE PREFIX=/usr` tree into a Debian binary package.
#
#     build-deb.sh STAGE VERSION ARCH OUTPUT.deb      (DEB_MAINTAINER in the environment)
#
# Adds what Debian policy asks of a binary package and `make install` does not do: a stripped
# binary, gzip'ed man pages, /usr/share/doc/hull/copyright (instead of LICENSE) and changelog.gz,
# and DEBIAN/control with Depends computed by dpkg-shlibdeps from the binary's NEEDED libraries.
set -euo pipefail

stage=$1 version=$2 arch=$3 output=$4
maintainer=${DEB_MAINTAINER:?DEB_MAINTAINER is not set}
docdir=$stage/usr/share/doc/hull
here=$(cd "$(dirname "$0")/.." && pwd)

# dh_strip's options: the symbols are not needed at run time, only for debugging.
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$stage/usr/bin/hull"
gzip -9n "$stage"/usr/share/man/man8/*.8

{
    echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    echo "Upstream-Name: hull"
    echo
    echo "Files: *"
    echo "Copyright: $(git -C "$here" log -1 --format=%ad --date=format:%Y 2>/dev/null || date +%Y) the hull authors"
    echo "License: Apache-2.0"
    echo " On Debian systems, the full text of the Apache License 2.0 can be found in"
    echo " /usr/share/common-licenses/Apache-2.0."
} > "$docdir/copyright"
rm -f "$docdir/LICENSE"

# A native package's changelog: one entry for this version, dated by the commit it is built from.
date=$(git -C "$here" log -1 --format=%aD 2>/dev/null || date -R)
{
    echo "hull ($version) unstable; urgency=medium"
    echo
    echo "  * Release $version."
    echo
    echo " -- $maintainer  $date"
} | gzip -9n > "$docdir/changelog.gz"

# dpkg-shlibdeps needs a debian/control to read (a minimal one in a scratch directory will do),
# and finds the package's root by its DEBIAN directory.
mkdir -p "$stage/DEBIAN"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/debian"
printf 'Source: hull\n\nPackage: hull\nArchitecture: any\n' > "$scratch/debian/control"
depends=$(cd "$scratch" && dpkg-shlibdeps -O -e"$stage/usr/bin/hull" | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

(cd "$stage" && find usr -type f -exec md5sum {} + | sort -k 2) > "$stage/DEBIAN/md5sums"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: hull
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Section: admin
Priority: optional
Description: OCI container runtime written in Swift
 hull runs containers from OCI bundles (a root filesystem plus a config.json)
 on Linux, with namespaces, cgroups, capabilities and seccomp. Its command
 line is runc's: the same commands, flags, exit statuses, state JSON and log
 format, so container engines that drive runc (podman, containerd, docker)
 can use hull instead.
CONTROL

find "$stage" -type d -exec chmod 755 {} +
dpkg-deb --root-owner-group -Zxz --build "$stage" "$output" >/dev/null
echo "built $output (Depends: $depends)"
