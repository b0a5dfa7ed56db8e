#!/usr/bin/env bash
# Builds scaleplan in release mode and installs it under a prefix: the binary, shell
# completions (bash, zsh, fish, from swift-argument-parser's --generate-completion-script),
# the man page (swift-argument-parser's generate-manual plugin, built from the same help
# text as --help), and copies of the hardware profiles as templates (the profiles themselves are
# compiled into the binary, so scaleplan works from any directory without them).
#
#   bash scripts/install.sh                # PREFIX=/usr/local
#   PREFIX=$HOME/.local bash scripts/install.sh
#   bash scripts/install.sh --prefix /opt/scaleplan [--no-build] [--no-manual] [--bin PATH]
#
# --bin installs that binary instead of this checkout's release build (the tests install the
# binary they built); --no-manual skips the man page (it builds swift-argument-parser's plugin).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${PREFIX:-/usr/local}"
build=1
manual=1
bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --no-build) build=0; shift ;;
    --no-manual) manual=0; shift ;;
    --bin) bin="$2"; build=0; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [ "$build" -eq 1 ]; then swift build -c release --product scaleplan; fi
[ -n "$bin" ] || bin="$(swift build -c release --show-bin-path)/scaleplan"
[ -x "$bin" ] || { echo "install.sh: $bin is missing; build first (swift build -c release)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Man page from the generate-manual plugin (no network needed: it builds from the package).
if [ "$manual" -eq 1 ]; then
  swift package --allow-writing-to-directory "$work" generate-manual --configuration release --output-directory "$work" >/dev/null
  [ -s "$work/scaleplan.1" ] || { echo "install.sh: the man page was not generated" >&2; exit 1; }
fi

"$bin" --generate-completion-script bash > "$work/scaleplan.bash"
"$bin" --generate-completion-script zsh > "$work/_scaleplan"
"$bin" --generate-completion-script fish > "$work/scaleplan.fish"

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d" "$prefix/share/scaleplan"
install -m 755 "$bin" "$prefix/bin/scaleplan"
if [ "$manual" -eq 1 ]; then install -m 644 "$work/scaleplan.1" "$prefix/share/man/man1/scaleplan.1"; fi
install -m 644 "$work/scaleplan.bash" "$prefix/share/bash-completion/completions/scaleplan"
install -m 644 "$work/_scaleplan" "$prefix/share/zsh/site-functions/_scaleplan"
install -m 644 "$work/scaleplan.fish" "$prefix/share/fish/vendor_completions.d/scaleplan.fish"
rm -rf "$prefix/share/scaleplan/hardware-profiles"
cp -RL hardware-profiles "$prefix/share/scaleplan/hardware-profiles"

echo "installed scaleplan to $prefix/bin, its man page and completions (hardware profiles are built in;"
echo "templates for your own are in $prefix/share/scaleplan/hardware-profiles: see \`scaleplan hardware --help\`)"
