#!/bin/sh
# Entrypoint of the coturn container (docker-compose.yml): builds the configuration from turnserver.conf and
# the environment, then runs turnserver in the foreground. The secret goes into a file readable only by the
# coturn user, never onto the command line.
#
#   coturn-entrypoint.sh                  build the configuration and exec turnserver
#   coturn-entrypoint.sh --print-config   print the configuration (secret masked) and exit
#
# Environment (see docs/self-hosting.md):
#   TURN_SECRET (required)       shared secret, the same as Switchboard's SWITCHBOARD_TURN_SECRET
#   PUBLIC_IP (required)         public IPv4 address of this server (external-ip; relay-ip unless behind NAT)
#   PUBLIC_HOSTNAME              DNS name; the default realm
#   TURN_REALM                   realm (default: $PUBLIC_HOSTNAME)
#   TURN_PRIVATE_IP              local address behind a 1:1 NAT (relay-ip, external-ip=PUBLIC_IP/TURN_PRIVATE_IP)
#   SWITCHBOARD_BIND_ADDRESSES (required)  the bridge's addresses: the only peers coturn relays to
#   TURN_MIN_PORT, TURN_MAX_PORT relay port range (49160, 49359)
#   TURN_CERT_DIR_IN_CONTAINER   where the certificate volume is mounted (/etc/coturn/certs)
#   TURN_CERT_FILE, TURN_KEY_FILE  file names in it (fullchain.pem, privkey.pem); without them, no TLS on 5349
#   TURN_CONF_TEMPLATE           the static configuration (/etc/coturn/turnserver.conf)
#   TURN_CONF_OUT                where to write the result (/tmp/turnserver.conf)
#   TURNSERVER                   the binary (turnserver)
set -eu

fail() {
  echo "coturn-entrypoint: $*" >&2
  exit 64
}

template=${TURN_CONF_TEMPLATE:-/etc/coturn/turnserver.conf}
out=${TURN_CONF_OUT:-/tmp/turnserver.conf}
cert_dir=${TURN_CERT_DIR_IN_CONTAINER:-/etc/coturn/certs}
cert=$cert_dir/${TURN_CERT_FILE:-fullchain.pem}
key=$cert_dir/${TURN_KEY_FILE:-privkey.pem}
min_port=${TURN_MIN_PORT:-49160}
max_port=${TURN_MAX_PORT:-49359}

[ -n "${TURN_SECRET:-}" ] || fail "set TURN_SECRET (e.g. openssl rand -hex 32); the same value goes to SWITCHBOARD_TURN_SECRET"
[ "${#TURN_SECRET}" -ge 16 ] || fail "TURN_SECRET is too short: use at least 16 characters (openssl rand -hex 32)"
[ -n "${PUBLIC_IP:-}" ] || fail "set PUBLIC_IP to this server's public IPv4 address"
[ -n "${SWITCHBOARD_BIND_ADDRESSES:-}" ] || fail "set SWITCHBOARD_BIND_ADDRESSES (the bridge's addresses)"
realm=${TURN_REALM:-${PUBLIC_HOSTNAME:-}}
[ -n "$realm" ] || fail "set PUBLIC_HOSTNAME (or TURN_REALM)"
case "$min_port$max_port" in
  *[!0-9]*) fail "TURN_MIN_PORT and TURN_MAX_PORT must be numbers" ;;
esac
[ "$min_port" -ge 1024 ] && [ "$max_port" -le 65535 ] && [ "$min_port" -lt "$max_port" ] \
  || fail "relay port range $min_port-$max_port is not within 1024-65535"
[ -r "$template" ] || fail "cannot read $template"

umask 077
{
  cat "$template"
  echo
  echo "# ---- from the environment (coturn-entrypoint.sh) ----"
  echo "realm=$realm"
  # Relay sockets are bound to one address (not to every interface, e.g. docker0), announced as PUBLIC_IP.
  if [ -n "${TURN_PRIVATE_IP:-}" ]; then
    echo "relay-ip=$TURN_PRIVATE_IP"
    echo "external-ip=$PUBLIC_IP/$TURN_PRIVATE_IP"
  else
    echo "relay-ip=$PUBLIC_IP"
    echo "external-ip=$PUBLIC_IP"
  fi
  echo "min-port=$min_port"
  echo "max-port=$max_port"
  for address in $(echo "$SWITCHBOARD_BIND_ADDRESSES" | tr ',' ' '); do
    echo "allowed-peer-ip=$address"
  done
  if [ -r "$cert" ] && [ -r "$key" ]; then
    echo "cert=$cert"
    echo "pkey=$key"
  else
    echo "coturn-entrypoint: no readable $cert and $key: TURN over TLS (port 5349, turns:) is off" >&2
    echo "no-tls"
  fi
  echo "static-auth-secret=$TURN_SECRET"
} > "$out"

if [ "${1:-}" = "--print-config" ]; then
  sed 's/^static-auth-secret=.*/static-auth-secret=<hidden>/' "$out"
  exit 0
fi
exec "${TURNSERVER:-turnserver}" -c "$out" "$@"
