#!/bin/bash
# hopthu: the local stack's certificate authority and the mail server's certificate, so mail
# clients (IMAP over TLS, submission with STARTTLS) verify the server instead of skipping checks.
#
#   infra/mail/local-ca.sh DIR
#
# Creates in DIR (mode 0700), only what is missing or no longer right:
#   ca.key, ca.pem          a CA (10 years), created once; clients trust ca.pem (stack.json tls.caFile)
#   server.key, server.pem  the server certificate (2 years) signed by that CA, for DNS localhost,
#                           DNS mail.hopthu.local and IP 127.0.0.1 (the host clients are given);
#                           made again when it is missing, not signed by ca.pem, lacks a name or
#                           expires within 30 days.
# Prints "created" or "renewed" when it wrote the server certificate (the daemons must reload),
# nothing otherwise. Idempotent: a second run changes nothing.
set -euo pipefail
DIR=${1:?usage: local-ca.sh DIR}
SUBJECT_ALT_NAMES="DNS:localhost,DNS:mail.hopthu.local,IP:127.0.0.1"
umask 077
install -d -m 700 "$DIR"
cd "$DIR"

if [ ! -s ca.key ] || [ ! -s ca.pem ]; then
  openssl req -x509 -new -newkey rsa:3072 -nodes -sha256 -days 3650 \
    -keyout ca.key -out ca.pem -subj "/O=hopthu local stack/CN=hopthu local CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
  rm -f server.pem
fi

server_ok() {
  [ -s server.key ] && [ -s server.pem ] || return 1
  openssl verify -CAfile ca.pem server.pem >/dev/null 2>&1 || return 1
  openssl x509 -in server.pem -noout -checkend $((30 * 24 * 3600)) >/dev/null 2>&1 || return 1
  local names
  names=$(openssl x509 -in server.pem -noout -ext subjectAltName 2>/dev/null | tr -d ' \n')
  [[ $names == *"DNS:localhost"* && $names == *"IPAddress:127.0.0.1"* ]]
}

if ! server_ok; then
  action=created
  [ -s server.pem ] && action=renewed
  openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout server.key.new -out server.csr \
    -subj "/O=hopthu local stack/CN=localhost" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
    "$SUBJECT_ALT_NAMES" >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 730 -sha256 \
    -extfile server.ext -out server.pem.new 2>/dev/null
  mv server.key.new server.key
  mv server.pem.new server.pem
  rm -f server.csr server.ext
  echo "$action"
fi
# the CA certificate is public: any local user's mail client may read it
chmod 755 "$DIR"
chmod 644 ca.pem server.pem
chmod 600 ca.key server.key
