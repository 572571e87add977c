#!/usr/bin/env bash
# Starts OpenSSH's sshd on 127.0.0.1:22 only, for the tests of remote hosts (qemu+ssh:// URIs and
# remote inventories over SFTP), and lets root log in there with a key made for the tests:
#   ~/.ssh/nio-virt-test (ed25519, no passphrase), in ~/.ssh/authorized_keys, and named for
#   127.0.0.1 in ~/.ssh/config; the server's host key is added to ~/.ssh/known_hosts (so host keys
#   stay checked). Nothing listens beyond loopback. Idempotent; run as root (CI runs it).
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "start-test-sshd.sh: run as root" >&2; exit 1; }
command -v /usr/sbin/sshd >/dev/null || { echo "start-test-sshd.sh: install openssh-server first" >&2; exit 1; }

ssh_dir=$HOME/.ssh
key=$ssh_dir/nio-virt-test
mkdir -p "$ssh_dir" /run/sshd
chmod 700 "$ssh_dir"
ssh-keygen -A >/dev/null
[ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -C nio-virt-test -f "$key"
touch "$ssh_dir/authorized_keys" "$ssh_dir/known_hosts" "$ssh_dir/config"
chmod 600 "$ssh_dir/authorized_keys" "$ssh_dir/config"
grep -qF "$(cut -d' ' -f2 "$key.pub")" "$ssh_dir/authorized_keys" || cat "$key.pub" >> "$ssh_dir/authorized_keys"
if ! grep -q '^# nio-virt-test$' "$ssh_dir/config"; then
    printf '# nio-virt-test\nHost 127.0.0.1\n    IdentityFile %s\n\n' "$key" | cat - "$ssh_dir/config" > "$ssh_dir/config.new"
    mv "$ssh_dir/config.new" "$ssh_dir/config"
fi

config=/etc/ssh/nio-virt-test-sshd_config
cat > "$config" <<CONF
# Written by nio-virt's scripts/start-test-sshd.sh: loopback only, keys only.
ListenAddress 127.0.0.1
Port 22
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
Subsystem sftp internal-sftp
PidFile /run/sshd-nio-virt-test.pid
CONF
if ! ssh -o BatchMode=yes -o ConnectTimeout=3 -i "$key" -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile=/dev/null root@127.0.0.1 true 2>/dev/null; then
    /usr/sbin/sshd -f "$config"
fi
for _ in $(seq 1 50); do
    keys=$(ssh-keyscan -T 2 127.0.0.1 2>/dev/null) && [ -n "$keys" ] && break
    sleep 0.2
done
[ -n "${keys:-}" ] || { echo "start-test-sshd.sh: sshd does not answer on 127.0.0.1:22" >&2; exit 1; }
while IFS= read -r line; do
    grep -qxF "$line" "$ssh_dir/known_hosts" || echo "$line" >> "$ssh_dir/known_hosts"
done <<< "$keys"
ssh -o BatchMode=yes root@127.0.0.1 true
echo "start-test-sshd.sh: sshd on 127.0.0.1:22; root logs in with $key"
