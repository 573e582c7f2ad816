#!/usr/bin/env bash
# Debian packages khabar's tests need beyond Python: Chromium for the browser tests and the
# Pango/HarfBuzz libraries WeasyPrint renders PDF briefs with, and PostgreSQL, whose initdb and
# pg_ctl the store tests start a throwaway server with. Installs only what is missing,
# so a second `make setup` costs nothing. Needs root or sudo; prints what to install otherwise.
set -euo pipefail

packages=(chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
  postgresql)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null; then
  run=(sudo)
else
  echo "khabar needs these Debian packages; install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
