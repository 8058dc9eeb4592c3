#!/bin/bash
# hopthu mail container: render infra/mail templates for the container network, start
# Postfix in the background and Dovecot in the foreground (logs to stdout).
set -euo pipefail
: "${PGHOST:=postgres}" "${PGPORT:=5432}"
: "${VMAIL_DOVECOT_PASSWORD:?no VMAIL_DOVECOT_PASSWORD (var/secrets.env)}" "${VMAIL_POSTFIX_PASSWORD:?no VMAIL_POSTFIX_PASSWORD}"
: "${DOVEADM_API_KEY:?no DOVEADM_API_KEY}" "${HOPTHU_MESSAGE_SIZE_LIMIT:=35937876}"
render() {
  sed -e "s|@PGHOST@|$PGHOST|g" -e "s|@PGPORT@|$PGPORT|g" \
      -e "s|@VMAIL_DOVECOT_PASSWORD@|$VMAIL_DOVECOT_PASSWORD|g" \
      -e "s|@VMAIL_POSTFIX_PASSWORD@|$VMAIL_POSTFIX_PASSWORD|g" \
      -e "s|@DOVEADM_API_KEY@|$DOVEADM_API_KEY|g" \
      -e "s|@MESSAGE_SIZE_LIMIT@|$HOPTHU_MESSAGE_SIZE_LIMIT|g" \
      -e "s|@INET_INTERFACES@|all|g" -e "s|@MAILLOG_FILE@|/dev/stdout|g" \
      -e "s|@DOVECOT_HOST@|127.0.0.1|g" "$1" >"$2"
}
render /hopthu/dovecot/99-hopthu.conf /etc/dovecot/conf.d/99-hopthu.conf
for f in hopthu-secrets.conf.ext dovecot-sql-vmail.conf.ext dovecot-sql-brake.conf.ext dovecot-sql-failed.conf.ext dovecot-dict-lastlogin.conf.ext; do
  render "/hopthu/dovecot/$f" "/etc/dovecot/$f"; chown root:dovecot "/etc/dovecot/$f"; chmod 640 "/etc/dovecot/$f"
done
# container: listen on every interface (other containers use imap/doveadm), log to stdout
cat >/etc/dovecot/conf.d/99z-docker.conf <<'CONF'
listen = *
log_path = /dev/stderr
service imap-login {
  inet_listener imap {
    address = *
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
  }
}
service doveadm {
  inet_listener http {
    address = *
  }
}
CONF
render /hopthu/postfix/main.cf /etc/postfix/main.cf
install -d /etc/postfix/pgsql
for f in /hopthu/postfix/pgsql/*.cf; do
  render "$f" "/etc/postfix/pgsql/$(basename "$f")"
done
chown root:postfix /etc/postfix/pgsql/*.cf; chmod 640 /etc/postfix/pgsql/*.cf
# restricted groups: the policy service runs as vmail and reads its own map (see scripts/infra.sh)
chgrp vmail /etc/postfix/pgsql/group_senders.cf
install -m 755 /hopthu/postfix/hopthu-group-policy.sh /etc/postfix/hopthu-group-policy.sh
postconf -M 'hopthu-group-policy/unix=hopthu-group-policy unix - n n - 0 spawn user=vmail argv=/etc/postfix/hopthu-group-policy.sh'
# each province's attachment limit per recipient domain: the table is the output of
# infra/mail/attachment-limits.ts (mounted as /hopthu/attachment-limits); without it only the
# global ceiling message_size_limit applies
install -m 755 /hopthu/postfix/hopthu-size-policy.sh /etc/postfix/hopthu-size-policy.sh
[ -f /hopthu/attachment-limits ] && install -m 644 /hopthu/attachment-limits /etc/postfix/hopthu-attachment-limits
postconf -M 'hopthu-size-policy/unix=hopthu-size-policy unix - n n - 0 spawn user=vmail argv=/etc/postfix/hopthu-size-policy.sh'
postconf -MX smtp/inet 2>/dev/null || true
postconf -M '2525/inet=2525 inet n - n - - smtpd'
# Docker's network is not loopback: keep relaying closed, trust only ourselves
postconf -e 'mynetworks = 127.0.0.0/8'
postfix check
postfix start
exec dovecot -F
