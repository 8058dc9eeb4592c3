#!/bin/bash
# hopthu: Postfix policy service for each province's attachment limit (regulations §4). One
# installation serves several provinces, each with its own limit, while message_size_limit is one
# global ceiling above the largest: this service applies the recipient domain's own. Run by
# Postfix's spawn(8) as user vmail (master.cf `hopthu-size-policy`), one process per smtpd
# connection, reading policy requests (name=value lines, an empty line ends one) from stdin.
#
# The table /etc/postfix/hopthu-attachment-limits (written by scripts/infra.sh from
# infra/mail/attachment-limits.ts) has one line per domain:
#   <domain> <encoded limit bytes> <attachment MB> <province> <article…>
# where the encoded limit allows for base64 (×4/3 plus line breaks) and headers.
#
# At RCPT (smtpd_recipient_restrictions): a recipient whose domain's limit is below the size the
# client declared (MAIL FROM … SIZE=) is refused alone, 552 5.3.4 naming the limit and article;
# otherwise the smallest limit among the message's recipients is remembered (per message: the
# `instance` attribute). At END-OF-MESSAGE (smtpd_end_of_data_restrictions): the size actually
# sent above that smallest limit refuses the message, 552 5.3.4 with the domain, the limit and
# the article. Nothing is queued. Domains not in the table: only the global ceiling applies.
TABLE=${HOPTHU_ATTACHMENT_LIMITS:-/etc/postfix/hopthu-attachment-limits}

declare -A limit_of mb_of text_of
if [ -r "$TABLE" ]; then
  while read -r domain encoded mb province article; do
    [ -n "$domain" ] && [ "${domain:0:1}" != '#' ] || continue
    limit_of[$domain]=$encoded
    mb_of[$domain]=$mb
    text_of[$domain]="$province, $article"
  done <"$TABLE"
fi

current='' min_limit='' min_domain=''
while :; do
  state='' recipient='' size=0 instance='' complete=0
  while IFS= read -r line; do
    line=${line%$'\r'}
    if [ -z "$line" ]; then complete=1; break; fi
    case $line in
      protocol_state=*) state=${line#protocol_state=} ;;
      recipient=*) recipient=${line#recipient=} ;;
      size=*) size=${line#size=} ;;
      instance=*) instance=${line#instance=} ;;
    esac
  done
  [ "$complete" = 1 ] || exit 0 # smtpd closed the connection
  if [ "$instance" != "$current" ]; then current=$instance min_limit='' min_domain=''; fi
  [[ $size =~ ^[0-9]+$ ]] || size=0
  action=DUNNO
  case $state in
    RCPT)
      domain=${recipient##*@} domain=${domain,,}
      limit=${limit_of[$domain]:-}
      if [ -n "$limit" ]; then
        if [ "$size" -gt "$limit" ]; then
          action="552 5.3.4 Message too big for $domain: attachments of at most ${mb_of[$domain]} MB (${text_of[$domain]}) / Thu vuot gioi han tep dinh kem ${mb_of[$domain]} MB cua $domain"
        elif [ -z "$min_limit" ] || [ "$limit" -lt "$min_limit" ]; then
          min_limit=$limit min_domain=$domain
        fi
      fi
      ;;
    END-OF-MESSAGE)
      if [ -n "$min_limit" ] && [ "$size" -gt "$min_limit" ]; then
        action="552 5.3.4 Message too big for $min_domain: attachments of at most ${mb_of[$min_domain]} MB (${text_of[$min_domain]}) / Thu vuot gioi han tep dinh kem ${mb_of[$min_domain]} MB cua $min_domain"
      fi
      ;;
  esac
  printf 'action=%s\n\n' "$action"
done
