#!/usr/bin/env bash
# Installs the Debian package that `mvn package` built (nio-virt-deb/target/nio-virt_*_all.deb) on
# this machine, checks it as an admin would use it, and purges it again. Run as root (CI does, after
# the test command). Changes this machine: only for as long as it runs.
#
# Usage: scripts/test-debian-package.sh [PACKAGE.deb]
# Checks: lintian shows no error and no warning; apt-get install ./PACKAGE.deb; `nio-virt --version`
# and `nio-virt inventory`; `man -w nio-virt` (and a subcommand's page); the bash completion,
# sourced in a non-interactive bash, completes `nio-virt la` to `launch`; the dashboard unit passes
# `systemd-analyze verify`, and its service answers /metrics (systemctl where systemd runs, else
# its ExecStart's command with /etc/default/nio-virt's values); after `apt-get purge` none of the
# package's files is left.
set -euo pipefail
project_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deb=${1:-$(ls "$project_dir"/nio-virt-deb/target/nio-virt_*_all.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "test-debian-package: no package (mvn -pl nio-virt-deb -am package -DskipTests)" >&2; exit 1; }
deb=$(readlink -f "$deb")
[ "$(id -u)" -eq 0 ] || { echo "test-debian-package: run as root (it installs the package)" >&2; exit 1; }
step() { echo "test-debian-package: $*" >&2; }
fail() { echo "test-debian-package: FAILED: $*" >&2; exit 1; }

step "lintian $(basename "$deb")"
# Root is fine here: lintian only reads the package.
lintian --allow-root --fail-on error,warning "$deb" || fail "lintian reported errors or warnings"

step "apt-get install ./$(basename "$deb")"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >/dev/null || fail "apt-get install"
dpkg-query -L nio-virt | sort > /tmp/nio-virt-package-files.txt
trap 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -q nio-virt >/dev/null 2>&1 || true' EXIT

step "nio-virt --version"
version=$(nio-virt --version)
echo "$version" | grep -q "^nio-virt $(dpkg-query -W -f='${Version}' nio-virt | sed 's/~/-/')" \
    || fail "nio-virt --version said: $version"
step "nio-virt inventory"
nio-virt inventory > /tmp/nio-virt-package-inventory.txt 2>&1 || fail "nio-virt inventory: $(cat /tmp/nio-virt-package-inventory.txt)"
grep -q "NETWORK CARDS" /tmp/nio-virt-package-inventory.txt || fail "inventory printed no cards table"

step "man -w nio-virt"
man -w nio-virt | grep -q '/usr/share/man/man1/nio-virt.1.gz' || fail "man -w nio-virt"
man -w nio-virt-launch >/dev/null || fail "man -w nio-virt-launch"
man -P cat nio-virt 2>/dev/null | grep -q "nio-virt" || fail "man nio-virt shows nothing"

step "bash completion: nio-virt la<TAB>"
completed=$(bash -c 'source /usr/share/bash-completion/completions/nio-virt
    COMP_LINE="nio-virt la"; COMP_WORDS=(nio-virt la); COMP_CWORD=1; COMP_POINT=${#COMP_LINE}
    "$(complete -p nio-virt | sed "s/.*-F \([^ ]*\) .*/\1/")" nio-virt la nio-virt
    echo "${COMPREPLY[*]}"')
[ "$completed" = launch ] || fail "nio-virt la<TAB> completed to '$completed'"

step "systemd-analyze verify nio-virt-dashboard.service"
systemd-analyze verify /lib/systemd/system/nio-virt-dashboard.service || fail "systemd-analyze verify"

step "the dashboard service answers /metrics"
# shellcheck source=/dev/null
. /etc/default/nio-virt
if [ -d /run/systemd/system ]; then
    systemctl start nio-virt-dashboard
else
    # No systemd here: its ExecStart command, with its environment file's values.
    # shellcheck disable=SC2086
    nio-virt dashboard --connect "$NIOVIRT_DASHBOARD_CONNECT" --bind "$NIOVIRT_DASHBOARD_BIND" \
        --port "$NIOVIRT_DASHBOARD_PORT" $NIOVIRT_DASHBOARD_OPTS --duration 60 >/tmp/nio-virt-package-dashboard.log 2>&1 &
fi
answered=false
for _ in $(seq 60); do
    if curl -sf "http://$NIOVIRT_DASHBOARD_BIND:$NIOVIRT_DASHBOARD_PORT/metrics" > /tmp/nio-virt-package-metrics.txt; then
        answered=true
        break
    fi
    sleep 1
done
if [ -d /run/systemd/system ]; then
    systemctl stop nio-virt-dashboard
else
    kill %1 2>/dev/null || true
    wait 2>/dev/null || true
fi
$answered || fail "no answer on $NIOVIRT_DASHBOARD_BIND:$NIOVIRT_DASHBOARD_PORT/metrics: $(cat /tmp/nio-virt-package-dashboard.log 2>/dev/null)"
grep -q '^niovirt_' /tmp/nio-virt-package-metrics.txt || fail "/metrics has no niovirt_ metric"
if command -v promtool >/dev/null; then
    promtool check metrics < /tmp/nio-virt-package-metrics.txt || fail "promtool check metrics"
fi

step "apt-get purge nio-virt"
trap - EXIT
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q nio-virt >/dev/null || fail "apt-get purge"
left=()
while IFS= read -r path; do
    # Directories Debian shares (/usr/share/man/man1, /etc/default, ...) stay; the package's files do not.
    [ -e "$path" ] && [ ! -d "$path" ] && left+=("$path")
done < /tmp/nio-virt-package-files.txt
for dir in /usr/share/nio-virt /usr/share/doc/nio-virt; do
    [ -e "$dir" ] && left+=("$dir")
done
[ ${#left[@]} -eq 0 ] || fail "left after purge: ${left[*]}"
[ ! -e /etc/default/nio-virt ] || fail "/etc/default/nio-virt left after purge"
step "ok: $(basename "$deb") installs, runs, documents, completes, serves and purges cleanly"
