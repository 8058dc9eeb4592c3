-- vmail: the mailbox store read directly by Dovecot (passdb/userdb, last_login dict)
-- and Postfix (domains, mailboxes, aliases). The provisioner writes it as vmail_admin.
--
-- Idempotent: safe to run on every start. It creates what is missing and never drops
-- data (no DROP DATABASE / DROP TABLE). Emptying it for a test run is scripts/infra.sh
-- infra_reset's job.
--
-- Run as a superuser with psql, passing the role passwords:
--   psql -v ON_ERROR_STOP=1 -v admin_pw="$VMAIL_ADMIN_PASSWORD" -v dovecot_pw="$VMAIL_DOVECOT_PASSWORD" \
--        -v postfix_pw="$VMAIL_POSTFIX_PASSWORD" -f vmail-schema.sql   (var/secrets.env)
\set ON_ERROR_STOP 1

-- roles, created with their password when missing (scripts/infra.sh re-applies a
-- changed password only when logging in with the configured one fails)
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', r, pw)
  FROM (VALUES ('vmail_admin', :'admin_pw'), ('vmail_dovecot', :'dovecot_pw'), ('vmail_postfix', :'postfix_pw')) v(r, pw)
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) \gexec

SELECT 'CREATE DATABASE vmail OWNER vmail_admin'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'vmail') \gexec

\c vmail
SET client_min_messages = warning;
SET ROLE vmail_admin;

CREATE TABLE IF NOT EXISTS domain (
  domain      text PRIMARY KEY CHECK (domain = lower(domain)),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS mailbox (
  username    text PRIMARY KEY CHECK (username = lower(username) AND username LIKE '%_@_%'),  -- full address
  domain      text NOT NULL REFERENCES domain(domain) ON DELETE CASCADE,
  password    text NOT NULL,               -- '{BLF-CRYPT}$2b$05$...' (bcrypt cost 5, see docs/mail-server.md)
  quota_bytes bigint NOT NULL DEFAULT 0 CHECK (quota_bytes >= 0),   -- 0 = unlimited
  active      boolean NOT NULL DEFAULT true,
  maildir     text NOT NULL                -- relative to /var/vmail, e.g. 'bacninh.gov.vn/nguyenvana/'
              CHECK (maildir ~ '^[a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9._+-]*/$'),  -- no '..', no absolute paths
  last_login  timestamptz,                 -- mirrored by trigger from last_login (Dovecot last_login plugin)
  created_at  timestamptz NOT NULL DEFAULT now(),
  modified_at timestamptz NOT NULL DEFAULT now(),
  CHECK (split_part(username,'@',2) = domain)
);
-- monotonically increasing per mailbox: the provisioner applies a command only when its
-- generation is newer than the row's (ordering / idempotency of replayed commands)
ALTER TABLE mailbox ADD COLUMN IF NOT EXISTS generation bigint NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS mailbox_domain_idx ON mailbox(domain);
-- the holder must change the issued password before IMAP/SMTP let them in (province policy:
-- Đắk Nông on creation, Khánh Hòa on a reset); Dovecot's passdb answers nologin with the page
ALTER TABLE mailbox ADD COLUMN IF NOT EXISTS password_change_required boolean NOT NULL DEFAULT false;

-- Postfix virtual_alias_maps (only active, non-expired rows are used).
-- goto may be a comma-separated list of addresses. An alias on an address that is
-- also a mailbox replaces delivery to that mailbox unless goto lists it too.
CREATE TABLE IF NOT EXISTS alias (
  address     text PRIMARY KEY CHECK (address = lower(address)),
  goto        text NOT NULL,
  domain      text REFERENCES domain(domain) ON DELETE CASCADE,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NULL
);
CREATE INDEX IF NOT EXISTS alias_domain_idx ON alias(domain);
-- the provisioner's ordering counter for aliases and groups written by set_alias/remove_alias
ALTER TABLE alias ADD COLUMN IF NOT EXISTS generation bigint NOT NULL DEFAULT 0;
-- a group whose senders are restricted: only the addresses in group_sender may mail it
-- (Postfix check_recipient_access → restriction class → the hopthu-group-policy check)
ALTER TABLE alias ADD COLUMN IF NOT EXISTS senders_restricted boolean NOT NULL DEFAULT false;

-- group address -> the senders allowed to use it (only read when alias.senders_restricted)
CREATE TABLE IF NOT EXISTS group_sender (
  group_address text NOT NULL REFERENCES alias(address) ON DELETE CASCADE ON UPDATE CASCADE,
  sender        text NOT NULL CHECK (sender = lower(sender)),
  PRIMARY KEY (group_address, sender)
);

-- alias domains (a province's second and later domains, e.g. an absorbed province's after a
-- merger): mail to x@alias_domain is delivered to x@target_domain when that is a mailbox or an
-- alias, unless x@alias_domain is itself a mailbox or an alias (Postfix map
-- virtual_alias_domains.cf). Both domains are rows of `domain`. Written by the provisioner
-- (set_alias_domain / remove_alias_domain, ordered by the row's generation).
CREATE TABLE IF NOT EXISTS alias_domain (
  alias_domain  text PRIMARY KEY REFERENCES domain(domain) ON DELETE CASCADE,
  target_domain text NOT NULL REFERENCES domain(domain) ON DELETE CASCADE,
  active        boolean NOT NULL DEFAULT true,
  generation    bigint NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (alias_domain <> target_domain)
);

-- Dovecot's dict-sql writes
--   INSERT INTO last_login (last_login,username) VALUES (..) ON CONFLICT (username) DO UPDATE ..
-- It cannot upsert into mailbox (NOT NULL columns), so it gets its own narrow table and a
-- trigger mirrors the value into mailbox.last_login.
CREATE TABLE IF NOT EXISTS last_login (
  username    text PRIMARY KEY,
  last_login  bigint                       -- unix epoch seconds, written by Dovecot
);
CREATE OR REPLACE FUNCTION last_login_mirror() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  UPDATE mailbox SET last_login = to_timestamp(NEW.last_login) WHERE username = NEW.username;
  RETURN NEW;
END$$;
CREATE OR REPLACE TRIGGER last_login_mirror AFTER INSERT OR UPDATE ON last_login
  FOR EACH ROW EXECUTE FUNCTION last_login_mirror();

-- Sending and receiving count as use where a province says so (Bắc Ninh Điều 4 khoản 2 điểm c:
-- "không phát sinh giao dịch gửi, nhận"). Receiving: Dovecot's last_login plugin runs in LMTP too,
-- with the key last-delivery/<user>, so each delivery writes last_delivery (same dict, own table)
-- and a trigger mirrors it into mailbox.last_received. Sending: the submission service's
-- end-of-data check (postfix/pgsql/sasl_sent.cf) calls hopthu_record_sent(login), which stamps
-- mailbox.last_sent and returns no row, so Postfix goes on to the next restriction.
ALTER TABLE mailbox ADD COLUMN IF NOT EXISTS last_received timestamptz;
ALTER TABLE mailbox ADD COLUMN IF NOT EXISTS last_sent timestamptz;
CREATE TABLE IF NOT EXISTS last_delivery (
  username      text PRIMARY KEY,
  last_delivery bigint                     -- unix epoch seconds, written by Dovecot (LMTP)
);
CREATE OR REPLACE FUNCTION last_delivery_mirror() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  UPDATE mailbox SET last_received = to_timestamp(NEW.last_delivery) WHERE username = NEW.username;
  RETURN NEW;
END$$;
CREATE OR REPLACE TRIGGER last_delivery_mirror AFTER INSERT OR UPDATE ON last_delivery
  FOR EACH ROW EXECUTE FUNCTION last_delivery_mirror();
CREATE OR REPLACE FUNCTION hopthu_record_sent(login text) RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  UPDATE mailbox SET last_sent = date_trunc('second', now()) WHERE username = lower(login);
  RETURN;
END$$;
REVOKE ALL ON FUNCTION hopthu_record_sent(text) FROM PUBLIC;

-- Brute-force brake on mailbox passwords for IMAP and SMTP AUTH (docs/mail-server.md, "Brute
-- force"). Dovecot's passdb chain (99-hopthu.conf) asks hopthu_auth_wait before the password
-- check and refuses, whatever the password, an address with max_per_address failures, or a client
-- address with max_per_client, within window_seconds; after a failed check it calls
-- hopthu_auth_failed, which records the failure. A refused attempt is not recorded, so the brake
-- lets go when the oldest failure of the window ages out. The self-service page
-- (service hopthu-self-service) has its own brake and is neither braked nor counted here: it stays
-- the way back in. Writing a new password (mailbox INSERT or password UPDATE) forgets the
-- address's failures. Client addresses in exempt_clients (the mail host's own services) are never
-- braked as a client, only per address.
CREATE TABLE IF NOT EXISTS auth_brake (
  singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  max_per_address integer NOT NULL CHECK (max_per_address > 0),
  max_per_client  integer NOT NULL CHECK (max_per_client > 0),
  window_seconds  integer NOT NULL CHECK (window_seconds > 0),
  exempt_clients  text[] NOT NULL
);
INSERT INTO auth_brake (max_per_address, max_per_client, window_seconds, exempt_clients)
VALUES (10, 30, 900, '{127.0.0.1}') ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS auth_failure (
  username   text NOT NULL,                -- as the client typed it, lower-cased
  client_ip  text NOT NULL,                -- Dovecot's %r: '' when the auth client sent none
  service    text NOT NULL,                -- imap, smtp (Postfix SASL), …
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS auth_failure_username_at ON auth_failure (username, at);
CREATE INDEX IF NOT EXISTS auth_failure_client_at ON auth_failure (client_ip, at);
CREATE INDEX IF NOT EXISTS auth_failure_at ON auth_failure (at);
-- seconds until a login of `login` from `client` may be tried again; 0 when it may now
CREATE OR REPLACE FUNCTION hopthu_auth_wait(login text, client text) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  WITH b AS (SELECT *, now() - make_interval(secs => window_seconds) AS since FROM auth_brake),
  per_address AS (
    SELECT count(*) AS n, min(f.at) AS oldest FROM auth_failure f, b
     WHERE f.username = lower(login) AND f.at > b.since),
  per_client AS (
    SELECT count(*) AS n, min(f.at) AS oldest FROM auth_failure f, b
     WHERE client <> '' AND NOT client = ANY (b.exempt_clients) AND f.client_ip = client AND f.at > b.since)
  SELECT greatest(0,
           CASE WHEN a.n >= b.max_per_address
                THEN ceil(extract(epoch FROM a.oldest + make_interval(secs => b.window_seconds) - now())) END,
           CASE WHEN c.n >= b.max_per_client
                THEN ceil(extract(epoch FROM c.oldest + make_interval(secs => b.window_seconds) - now())) END
         )::integer
    FROM b, per_address a, per_client c
$$;
-- records a failed password check and returns no row (Dovecot's passdb then answers "unknown user",
-- the chain's failure). A suspended mailbox's failures are not counted: it cannot log in anyway,
-- and a test or a client polling it must not brake it for after its restore. Rows older than a day
-- go (the log keeps every failure: auth_verbose).
CREATE OR REPLACE FUNCTION hopthu_auth_failed(login text, client text, service text) RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF service = 'hopthu-self-service'
     OR EXISTS (SELECT FROM mailbox m JOIN domain d ON d.domain = m.domain
                 WHERE m.username = lower(login) AND NOT (m.active AND d.active)) THEN
    RETURN;
  END IF;
  INSERT INTO auth_failure (username, client_ip, service) VALUES (lower(login), client, service);
  DELETE FROM auth_failure WHERE at < now() - interval '1 day';
  RETURN;
END$$;
CREATE OR REPLACE FUNCTION auth_failure_forget() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  DELETE FROM auth_failure WHERE username = NEW.username;
  RETURN NEW;
END$$;
CREATE OR REPLACE TRIGGER auth_failure_forget AFTER INSERT OR UPDATE OF password ON mailbox
  FOR EACH ROW EXECUTE FUNCTION auth_failure_forget();
REVOKE ALL ON FUNCTION hopthu_auth_wait(text, text), hopthu_auth_failed(text, text, text) FROM PUBLIC;

RESET ROLE;
GRANT CONNECT ON DATABASE vmail TO vmail_dovecot, vmail_postfix;
GRANT SELECT ON domain, mailbox TO vmail_dovecot, vmail_postfix;
GRANT SELECT ON alias, group_sender TO vmail_postfix;
GRANT SELECT ON alias_domain TO vmail_postfix;
GRANT SELECT, INSERT, UPDATE ON last_login TO vmail_dovecot;
GRANT SELECT, INSERT, UPDATE ON last_delivery TO vmail_dovecot;
GRANT EXECUTE ON FUNCTION hopthu_record_sent(text) TO vmail_postfix;
GRANT EXECUTE ON FUNCTION hopthu_auth_wait(text, text), hopthu_auth_failed(text, text, text) TO vmail_dovecot;
