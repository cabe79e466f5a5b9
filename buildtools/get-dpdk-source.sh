#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
#
# Download a Debian "dpdk" source package with apt-get source, through a
# private apt configuration: the system's sources, lists and caches are
# left as they are. The newest version matching VERSION (a shell pattern:
# "22.11.11-0+deb12u1" or "24.11.*") wins.
#
# Usage: get-dpdk-source.sh OUTDIR VERSION [ARCHIVE...]
#   ARCHIVE  "URI SUITE COMPONENT", e.g. "http://deb.debian.org/debian
#            trixie main". Without any, the system's own archives: the
#            binary sources apt already uses, else the distribution's
#            archives for the release /etc/os-release names.
# Prints the .dsc path of the downloaded package on its last line.
# Exit status: 0 downloaded, 3 the archives do not serve it, 1 failed.
set -eu

out=$1
want=$2
shift 2

cache=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/netdma

die() {
	echo "get-dpdk-source: $*" >&2
	exit 1
}

unavailable() {
	echo "get-dpdk-source: $*" >&2
	exit 3
}

command -v apt-get >/dev/null || die "apt-get is needed (a Debian or Ubuntu system)"

# The system's binary archives as "URI SUITE COMPONENT" lines.
system_archives() {
	# shellcheck disable=SC2016
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
		'Created-By: Packages' 2>/dev/null | sort -u
}

# The distribution's archives for this release, when apt has no lists.
release_archives() {
	# shellcheck disable=SC1091
	. /etc/os-release
	c=${VERSION_CODENAME:?/etc/os-release names no release codename}
	case "$ID" in
	debian)
		echo "http://deb.debian.org/debian $c main"
		echo "http://deb.debian.org/debian $c-updates main"
		echo "http://deb.debian.org/debian-security $c-security main"
		;;
	ubuntu)
		echo "http://archive.ubuntu.com/ubuntu $c main universe"
		echo "http://archive.ubuntu.com/ubuntu $c-updates main universe"
		echo "http://security.ubuntu.com/ubuntu $c-security main universe"
		;;
	*)
		die "no source archive known for $ID; give one as an argument"
		;;
	esac
}

if [ $# -eq 0 ]; then
	archives=$(system_archives)
	[ -n "$archives" ] || archives=$(release_archives)
else
	archives=$(printf '%s\n' "$@")
fi

# One private apt state per set of archives, kept so that the next run
# only checks what changed.
key=$(printf '%s\n' "$archives" | md5sum | cut -c1-12)
apt_dir="$cache/apt-$key"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/parts" "$apt_dir/cache/archives/partial"
printf '%s\n' "$archives" | sed 's/^/deb-src /' > "$apt_dir/sources.list"

# apt_private apt-get|apt-cache ARGS...
apt_private() {
	# Sandbox::User: the private directories belong to the caller, whom
	# apt's own _apt user cannot write for.
	tool=$1
	shift
	"$tool" -q \
		-o Dir::Etc::SourceList="$apt_dir/sources.list" \
		-o Dir::Etc::SourceParts="$apt_dir/parts" \
		-o Dir::State::Lists="$apt_dir/lists" \
		-o Dir::Cache="$apt_dir/cache" \
		-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o APT::Sandbox::User="$(id -un)" \
		"$@"
}

if ! apt_private apt-get update >"$apt_dir/update.log" 2>&1; then
	tail -n 5 "$apt_dir/update.log" >&2
	unavailable "apt-get update of the source archives failed"
fi
# apt-get update exits 0 even when an archive is unreachable.
if grep -q '^[WE]: Failed to fetch\|^Err:' "$apt_dir/update.log"; then
	grep '^[WE]: \|^Err:' "$apt_dir/update.log" >&2
	unavailable "some source archives could not be read"
fi

# The newest dpdk source version that matches.
version=""
for v in $(apt_private apt-cache showsrc dpdk 2>/dev/null | sed -n 's/^Version: //p'); do
	# shellcheck disable=SC2254
	case "$v" in
	$want) ;;
	*) continue ;;
	esac
	if [ -z "$version" ] || dpkg --compare-versions "$v" gt "$version"; then
		version=$v
	fi
done
if [ -z "$version" ]; then
	echo "get-dpdk-source: dpdk source versions in $(printf '%s\n' "$archives" | awk '{print $2}' | tr '\n' ' '):" >&2
	apt_private apt-cache showsrc dpdk 2>/dev/null | sed -n 's/^Version: /  /p' | sort -u >&2
	unavailable "none matches $want"
fi

mkdir -p "$out"
cd "$out"
if ! apt_private apt-get source --download-only "dpdk=$version" >apt-source.log 2>&1; then
	grep '^E: ' apt-source.log | head -n 3 >&2
	unavailable "apt-get source dpdk=$version failed"
fi
dsc=$(ls "dpdk_${version#*:}.dsc" 2>/dev/null) || die "no .dsc for dpdk $version in $out"
echo "$out/$dsc"
