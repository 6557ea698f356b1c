#!/bin/sh
# Release builds of retort: one static binary (CGO_ENABLED=0, pure Go,
# no C library needed at run time) per platform, with the version and
# commit stamped in at link time.
#
#   scripts/release.sh VERSION            for example: scripts/release.sh v0.2.0
#   scripts/release.sh --ldflags VERSION  print the -ldflags it links with
#   scripts/release.sh --dry-run VERSION  print each build command, build nothing
#
# VERSION is the module version being released (the tag); it becomes
# retort.Version, which retort --version prints and the history table
# records. Binaries go to $DIST/retort_VERSION_OS_ARCH/ (DIST defaults to
# dist/ in the repository), with SHA256SUMS beside them.
#
# Environment:
#   DIST     output folder (default: dist)
#   TARGETS  space-separated OS/ARCH pairs (default: linux, darwin and
#            windows on amd64 and arm64)
#   COMMIT   the commit to stamp (default: git rev-parse HEAD)
set -eu

print_ldflags=
dry_run=
case ${1:-} in
--ldflags)
	print_ldflags=1
	shift
	;;
--dry-run)
	dry_run=1
	shift
	;;
esac
version=${1:-}
case $version in
v[0-9]*) ;;
*)
	echo "release.sh: VERSION must be the module version being released, like v0.2.0 (got \"$version\")" >&2
	echo "usage: scripts/release.sh [--ldflags | --dry-run] VERSION" >&2
	exit 2
	;;
esac

cd "$(dirname "$0")/.."
dist=${DIST:-dist}
targets=${TARGETS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"}
commit=${COMMIT:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}
ldflags="-s -w -X github.com/retortdb/retort.Version=$version -X github.com/retortdb/retort/cli.commit=$commit"
if [ -n "$print_ldflags" ]; then
	echo "$ldflags"
	exit 0
fi

[ -n "$dry_run" ] || mkdir -p "$dist"
built=
for target in $targets; do
	goos=${target%/*}
	goarch=${target#*/}
	exe=retort
	[ "$goos" = windows ] && exe=retort.exe
	rel="retort_${version}_${goos}_${goarch}/$exe"
	if [ -n "$dry_run" ]; then
		echo "CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -buildvcs=false -ldflags '$ldflags' -o $dist/$rel ./cmd/retort"
		continue
	fi
	echo "release.sh: building $dist/$rel" >&2
	CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$dist/$rel" ./cmd/retort
	built="$built $rel"
done

[ -z "$dry_run" ] || exit 0
cd "$dist"
if command -v sha256sum >/dev/null 2>&1; then
	sha256sum $built >SHA256SUMS
else
	shasum -a 256 $built >SHA256SUMS
fi
echo "release.sh: $version ($commit) in $dist" >&2
