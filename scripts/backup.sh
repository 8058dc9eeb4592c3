# hopthu: ./hopthu backup DIR and ./hopthu restore DIR (Thanh Hóa Điều 12 khoản 3, Khánh Hòa Điều 11
# khoản 4: the system's data is backed up and can be restored). Sourced by scripts/commands.sh.
#
# A backup is a directory: one pg_dump (custom format) per database of the installation (every
# hopthu_* database and vmail), the maildirs as one tar, and manifest.txt (when, which databases and
# their owners). It is consistent: while it runs, Postfix defers delivery to Dovecot
# (defer_transports = lmtp, the mail waits in Postfix's queue and is delivered right after), so no
# message lands in a maildir that the dumped vmail database does not know, and the opposite.
#
# restore DIR puts that state back: the services and delivery stop, each database is dropped and
# recreated from its dump with its owner, the maildirs are replaced by the backup's, then everything
# starts again. RESTORE_SUFFIX=_x restores into <database>_x and RESTORE_VMAIL_ROOT (a scratch mail
# root) instead, beside the running stack, touching nothing of it (what the test does);
# RESTORE_DATABASES="vmail hopthu_directory" restores only those databases.

# The installation's databases; not the tests' scratch databases (createScratchDatabase of
# @hopthu/shared/testing: each service's migrated template hopthu_<service>_template and its
# clones hopthu_<service>_t<12 hex>), which come and go while tests run.
_backup_databases() {
  _psql_su -Atc "SELECT datname FROM pg_database WHERE (datname LIKE 'hopthu\_%' AND datname !~ '^hopthu_[a-z]+_(template|t[0-9a-f]{12})$') OR datname = 'vmail' ORDER BY 1"
}

_defer_delivery() { postconf -e 'defer_transports = lmtp' && postfix reload >/dev/null 2>&1; }
_resume_delivery() {
  postconf -e "defer_transports = ${1:-}" && postfix reload >/dev/null 2>&1
  postqueue -f >/dev/null 2>&1 || true
}

cmd_backup() {
  local dir=${1:?usage: ./hopthu backup DIR}
  [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ] && die "backup: $dir is not empty"
  install -d -m 700 "$dir"
  local previous db owner
  previous=$(postconf -h defer_transports)
  log "backup to $dir: delivery to mailboxes paused while the databases and maildirs are copied"
  _defer_delivery || die "backup: cannot pause delivery (postfix)"
  # whatever happens next (die exits), delivery resumes
  trap "_resume_delivery '$previous'" EXIT
  {
    echo "created $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "vmail_root $VMAIL_ROOT"
  } >"$dir/manifest.txt"
  for db in $(_backup_databases); do
    owner=$(_psql_su -Atc "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$db'")
    (cd / && runuser -u postgres -- pg_dump -Fc -d "$db") >"$dir/$db.dump" || die "backup: pg_dump $db failed"
    echo "database $db $owner" >>"$dir/manifest.txt"
  done
  tar -C "$VMAIL_ROOT" -cpf "$dir/maildirs.tar" . || die "backup: copying the maildirs failed"
  chmod 600 "$dir"/*
  log "backup done: $(grep -c '^database' "$dir/manifest.txt") databases, maildirs $(du -sh "$dir/maildirs.tar" | cut -f1)"
}

cmd_restore() {
  local dir=${1:?usage: ./hopthu restore DIR}
  [ -f "$dir/manifest.txt" ] && [ -f "$dir/maildirs.tar" ] || die "restore: $dir is not a backup (manifest.txt, maildirs.tar)"
  local suffix=${RESTORE_SUFFIX:-} root=${RESTORE_VMAIL_ROOT:-$VMAIL_ROOT} scratch=0
  [ -n "$suffix" ] && scratch=1
  [ "$scratch" = 1 ] && [ "$root" = "$VMAIL_ROOT" ] && die "restore: RESTORE_SUFFIX needs RESTORE_VMAIL_ROOT (a scratch mail root)"
  local previous db owner target
  if [ "$scratch" = 0 ]; then
    log "restore from $dir: stopping the services and delivery"
    services_down
    previous=$(postconf -h defer_transports)
    _defer_delivery
    trap "_resume_delivery '$previous'" EXIT
  fi
  while read -r _ db owner; do
    # RESTORE_DATABASES="vmail hopthu_directory": only these (the rest of the backup is left out)
    if [ -n "${RESTORE_DATABASES:-}" ] && [[ " $RESTORE_DATABASES " != *" $db "* ]]; then continue; fi
    target=$db$suffix
    _psql_su -c "DROP DATABASE IF EXISTS \"$target\" WITH (FORCE)" || die "restore: cannot drop $target"
    _psql_su -c "CREATE DATABASE \"$target\" OWNER \"$owner\"" || die "restore: cannot create $target"
    (cd / && runuser -u postgres -- pg_restore --exit-on-error -d "$target") <"$dir/$db.dump" ||
      die "restore: pg_restore $db failed"
    log "restored database $target"
  done < <(grep '^database ' "$dir/manifest.txt")
  # the maildirs: replaced whole by the backup's (vmail:vmail, as Dovecot wrote them)
  install -d -o vmail -g vmail -m 770 "$root"
  find "$root" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  tar -C "$root" -xpf "$dir/maildirs.tar" || die "restore: extracting the maildirs failed"
  log "restored maildirs into $root"
  if [ "$scratch" = 0 ]; then
    doveadm force-resync -A '*' >/dev/null 2>&1 || true
    services_up
    log "restore done: services started"
  fi
}
