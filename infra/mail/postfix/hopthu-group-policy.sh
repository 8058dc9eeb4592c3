#!/bin/bash
# hopthu: Postfix policy service for group addresses whose senders are restricted (e.g. Đắk Nông's
# internal@ and internal.<agency>@: administrators only). Run by Postfix's spawn(8) as user vmail
# (master.cf `hopthu-group-policy`), one process per smtpd connection, reading policy requests
# (name=value lines, an empty line ends one) from stdin. smtpd asks it only for recipients that
# vmail.alias marks senders_restricted (check_recipient_access → class hopthu_restricted_group).
#
# Answer: DUNNO (go on with the other checks) when vmail.group_sender lists the sender for that
# group: the authenticated login (sasl_username) on submission, where a login may only use its own
# addresses (reject_sender_login_mismatch), else the envelope sender; REJECT 5.7.1 otherwise (also
# for the null sender); a 4xx when the lookup fails (PostgreSQL down), so the client retries later. Installed as /etc/postfix/hopthu-group-policy.sh.
MAP=pgsql:/etc/postfix/pgsql/group_senders.cf

while :; do
  sender='' login='' recipient='' complete=0
  while IFS= read -r line; do
    line=${line%$'\r'}
    if [ -z "$line" ]; then complete=1; break; fi
    case $line in
      sender=*) sender=${line#sender=} ;;
      recipient=*) recipient=${line#recipient=} ;;
      sasl_username=*) login=${line#sasl_username=} ;;
    esac
  done
  [ "$complete" = 1 ] || exit 0 # smtpd closed the connection
  [ -n "$login" ] && sender=$login
  sender=${sender,,} recipient=${recipient,,}
  action="REJECT 5.7.1 <$recipient>: only authorised senders may mail this group"
  if [ -n "$sender" ] && [ -n "$recipient" ]; then
    # found: prints OK, exit 0; not found: nothing, exit 1; lookup error: a message on stderr
    out=$(/usr/sbin/postmap -q "$recipient $sender" "$MAP" 2>&1)
    rc=$?
    if [ "$rc" = 0 ] && [ "$out" = OK ]; then
      action=DUNNO
    elif [ -n "$out" ]; then
      action="DEFER_IF_PERMIT 4.3.0 group sender lookup failed, try again later"
    fi
  fi
  printf 'action=%s\n\n' "$action"
done
