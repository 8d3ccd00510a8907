#!/usr/bin/env bash
# Vendors the browser files that duban's offline GraphiQL page (/graphiql) needs.
#
# County intranets have no internet, so the page cannot load GraphiQL from a
# CDN. This script downloads pinned package versions from the npm registry with
# the ordinary `npm pack` client (which checks each tarball against the
# registry's integrity hash), copies the prebuilt browser files byte for byte
# into vendor/ together with each package's licence, and writes vendor/VERSIONS
# (package@version, npm integrity, sha256 of every vendored file).
#
# The files are renamed to carry their version (so the server can let browsers
# cache them for a year) but their contents are never modified.
#
# Usage:
#   api/assets/graphiql/fetch.sh           # (re)create vendor/ from the registry
#   api/assets/graphiql/fetch.sh --verify  # offline: check vendor/ against VERSIONS
#
# After changing a version here, update the file names in index.html and in
# api/src/graphiql.rs (the integration tests catch any mismatch).

set -euo pipefail

# Pinned versions. GraphiQL 4.1.2 is the newest release that still publishes a
# self-contained UMD bundle (dist/index.umd.js); GraphiQL 5 is ESM-only and
# needs a bundler for Monaco's CSS imports and web workers. The 4.x UMD bundle
# expects React and ReactDOM as globals; React 18.3.1 is the last React line
# that publishes UMD builds.
readonly GRAPHIQL_VERSION="4.1.2"
readonly REACT_VERSION="18.3.1"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly vendor="$here/vendor"

# One line per vendored file: package, version, path inside the npm tarball,
# file name in vendor/.
manifest() {
	cat <<EOF
graphiql $GRAPHIQL_VERSION package/dist/index.umd.js graphiql-$GRAPHIQL_VERSION.umd.js
graphiql $GRAPHIQL_VERSION package/dist/style.css graphiql-$GRAPHIQL_VERSION.css
graphiql $GRAPHIQL_VERSION package/LICENSE graphiql-$GRAPHIQL_VERSION.LICENSE.txt
react $REACT_VERSION package/umd/react.production.min.js react-$REACT_VERSION.production.min.js
react $REACT_VERSION package/LICENSE react-$REACT_VERSION.LICENSE.txt
react-dom $REACT_VERSION package/umd/react-dom.production.min.js react-dom-$REACT_VERSION.production.min.js
react-dom $REACT_VERSION package/LICENSE react-dom-$REACT_VERSION.LICENSE.txt
EOF
}

# Checks every "sha256 file" line of VERSIONS against the files in vendor/.
verify() {
	local status=0 count=0 hash file
	while read -r hash file _; do
		count=$((count + 1))
		if [[ ! -f "$vendor/$file" ]]; then
			echo "missing: vendor/$file" >&2
			status=1
		elif [[ "$(sha256sum "$vendor/$file" | cut -d' ' -f1)" != "$hash" ]]; then
			echo "sha256 mismatch: vendor/$file" >&2
			status=1
		fi
	done < <(grep -E '^[0-9a-f]{64}  ' "$vendor/VERSIONS")
	if [[ $count -eq 0 ]]; then
		echo "no file hashes found in vendor/VERSIONS" >&2
		return 1
	fi
	if [[ $status -eq 0 ]]; then
		echo "vendor/: all $count files match VERSIONS"
	fi
	return $status
}

if [[ "${1:-}" == "--verify" ]]; then
	verify
	exit $?
elif [[ $# -gt 0 ]]; then
	echo "usage: $0 [--verify]" >&2
	exit 2
fi

command -v npm >/dev/null || {
	echo "npm is required (Debian: apt-get install -y npm)" >&2
	exit 1
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Download and unpack each package once.
declare -A integrity=()
for spec in "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION"; do
	name="${spec%@*}"
	mkdir -p "$work/tgz" "$work/$name"
	echo "npm pack $spec" >&2
	npm pack --silent --json --pack-destination "$work/tgz" "$spec" >"$work/$name.json"
	tarball="$(node -e 'const r = require(process.argv[1])[0]; process.stdout.write(r.filename)' "$work/$name.json")"
	integrity[$spec]="$(node -e 'const r = require(process.argv[1])[0]; process.stdout.write(r.integrity)' "$work/$name.json")"
	# Double-check that we received exactly the pinned version.
	got="$(node -e 'const r = require(process.argv[1])[0]; process.stdout.write(r.version)' "$work/$name.json")"
	if [[ "$got" != "${spec##*@}" ]]; then
		echo "expected $spec, npm returned version $got" >&2
		exit 1
	fi
	tar -xzf "$work/tgz/$tarball" -C "$work/$name"
done

rm -rf "$vendor"
mkdir -p "$vendor"

{
	echo "# Third-party files vendored by api/assets/graphiql/fetch.sh; do not edit."
	echo "# They are copied unmodified from the npm registry tarballs listed below"
	echo "# (renamed only to carry their version). Regenerate with fetch.sh;"
	echo "# check with fetch.sh --verify."
	echo "#"
	echo "# package@version  npm integrity of the tarball"
	for spec in "graphiql@$GRAPHIQL_VERSION" "react@$REACT_VERSION" "react-dom@$REACT_VERSION"; do
		echo "# $spec  ${integrity[$spec]}"
	done
	echo "#"
	echo "# sha256  vendored file  package@version:path in tarball"
	while read -r name version src dest; do
		cp "$work/$name/$src" "$vendor/$dest"
		sum="$(sha256sum "$vendor/$dest" | cut -d' ' -f1)"
		echo "$sum  $dest  $name@$version:$src"
	done < <(manifest)
} >"$work/VERSIONS"
mv "$work/VERSIONS" "$vendor/VERSIONS"

verify
