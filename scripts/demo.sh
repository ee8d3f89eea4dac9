#!/usr/bin/env bash
# `make demo`: the whole booking flow with curl against the running system
# (`make up`): sign up with a password, sign in for an access token, wait for
# the replicas, queue, admission, reserve, charge, pay (twice with one
# Idempotency-Key), confirmation. Every call after sign-in carries the token:
# each service checks it locally with UserService's public key. Prints each step.
set -euo pipefail
LOG_TAG="demo"
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

USERS="http://127.0.0.1:${SERVICE_PORTS[UserService]}"
CONCERTS="http://127.0.0.1:${SERVICE_PORTS[ConcertService]}"
PAYMENTS="http://127.0.0.1:${SERVICE_PORTS[PaymentService]}"
TOKENS="http://127.0.0.1:${SERVICE_PORTS[TokenService]}"
DEADLINE="${DEMO_TIMEOUT:-60}"

command -v curl >/dev/null || die "curl is needed"
command -v python3 >/dev/null || die "python3 is needed"
for port in "${SERVICE_PORTS[@]}"; do
  tcp_open 127.0.0.1 "$port" || die "nothing listens on 127.0.0.1:$port; start the system with 'make up' first"
done

STATUS=""
BODY=""
ACCESS_TOKEN=""
# call METHOD URL [JSON] [HEADER...]: sets STATUS and BODY, prints both; sends
# the access token once there is one.
call() {
  local method="$1" url="$2" data="${3:-}" out
  shift 3 || shift $#
  local args=(-sS -m 10 -X "$method" -w '\n%{http_code}' -H 'Content-Type: application/json')
  local header
  for header in "$@"; do args+=(-H "$header"); done
  [[ -n "$ACCESS_TOKEN" ]] && args+=(-H "Authorization: Bearer $ACCESS_TOKEN")
  [[ -n "$data" ]] && args+=(-d "$data")
  out="$(curl "${args[@]}" "$url")" || die "$method $url failed"
  STATUS="${out##*$'\n'}"
  BODY="${out%$'\n'*}"
  printf '  %s %s -> %s\n  %s\n' "$method" "${url#http://127.0.0.1:}" "$STATUS" "$BODY"
}

# json EXPR: evaluates a Python expression on the last BODY (as `j`).
json() { python3 -c "import json,sys; j=json.loads(sys.argv[1]); print($1)" "$BODY"; }

expect() { [[ "$STATUS" == "$1" ]] || die "expected HTTP $1, got $STATUS"; }

# poll WHAT PYTHON-CONDITION METHOD URL: repeats the call until the condition on
# the JSON body holds (a 2xx answer first), or the deadline passes.
poll() {
  local what="$1" condition="$2" method="$3" url="$4" deadline=$((SECONDS + DEADLINE))
  while true; do
    call "$method" "$url" >/dev/null
    if [[ "$STATUS" == 2* ]] && [[ "$(json "$condition")" == "True" ]]; then
      printf '  %s %s -> %s\n  %s\n' "$method" "${url#http://127.0.0.1:}" "$STATUS" "$BODY"
      return 0
    fi
    ((SECONDS < deadline)) || die "timed out after ${DEADLINE}s waiting for $what (last: $STATUS $BODY)"
    sleep 0.3
  done
}

step() { printf '\n== %s\n' "$*"; }

step "1. Sign up a user at UserService, with a password (15 characters or more; hashed, never sent on)"
EMAIL="demo.$(date +%s%N)@example.com"
PASSWORD="a demo fan's long passphrase $RANDOM"
call POST "$USERS/users" "{\"name\":\"Demo Fan\",\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
expect 201
USER_ID="$(json "j['id']")"

step "1b. Sign in: email and password for a short-lived access token (a JWT signed by UserService)"
call POST "$USERS/auth/token" "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" >/dev/null
expect 200
ACCESS_TOKEN="$(json "j['accessToken']")"
echo "  POST auth/token -> $STATUS (token for user $(json "j['userId']"), expires $(json "j['expiresAt']"))"

step "2. Wait until the user is replicated to ConcertService, PaymentService and TokenService"
for base in "$CONCERTS" "$PAYMENTS" "$TOKENS"; do
  poll "user in the replica at $base" "j['version'] >= 1" GET "$base/users/$USER_ID"
done

step "3. List concerts and pick an available seat"
call GET "$CONCERTS/concerts"
expect 200
CONCERT_ID="$(json "next(c['id'] for c in j if c['availableSeats'] > 0)")"
call GET "$CONCERTS/concerts/$CONCERT_ID/seats" >/dev/null
SEAT_ID="$(json "next(s['id'] for s in j if s['status'] == 'Available')")"
SEAT_LABEL="$(json "next(s['label'] for s in j if s['id'] == '$SEAT_ID')")"
echo "  concert $CONCERT_ID, seat $SEAT_LABEL ($SEAT_ID)"

step "4. Enter the waiting queue at TokenService as the signed-in user, then again (the same token comes back)"
call POST "$TOKENS/queue/$CONCERT_ID/tokens"
expect 201
TOKEN_ID="$(json "j['tokenId']")"
call POST "$TOKENS/queue/$CONCERT_ID/tokens"
expect 200

step "5. Poll the token until the admitter lets it in with a signed entry pass"
poll "admission of token $TOKEN_ID" "j['status'] == 'Admitted'" GET "$TOKENS/queue/tokens/$TOKEN_ID"
PASS="$(json "j['entryPass']")"

step "6. Reserve the seat at ConcertService with the pass (ConcertService verifies it locally)"
call POST "$CONCERTS/reservations" "{\"seatId\":\"$SEAT_ID\"}" "X-Entry-Pass: $PASS"
expect 201
RESERVATION_ID="$(json "j['id']")"

step "7. Wait until PaymentService knows the reservation (ReservationCreated)"
poll "reservation in PaymentService" "j['status'] == 'Pending'" GET "$PAYMENTS/payable-reservations/$RESERVATION_ID"

step "8. Charge the wallet"
call POST "$PAYMENTS/wallets/$USER_ID/charge" '{"amount":100.00}'
expect 200

step "9. Pay, then retry with the same Idempotency-Key (the same answer, charged once)"
KEY="demo-$(date +%s%N)"
call POST "$PAYMENTS/payments" "{\"reservationId\":\"$RESERVATION_ID\"}" "Idempotency-Key: $KEY"
expect 201
call POST "$PAYMENTS/payments" "{\"reservationId\":\"$RESERVATION_ID\"}" "Idempotency-Key: $KEY"
expect 201   # the first answer replayed (Idempotent-Replayed: true), nothing charged again

step "10. Wait for the confirmation (PaymentCompleted -> ConcertService -> ReservationConfirmed)"
poll "reservation confirmed in ConcertService" "j['status'] == 'Confirmed'" GET "$CONCERTS/reservations/$RESERVATION_ID"
poll "reservation confirmed in PaymentService" "j['status'] == 'Confirmed'" GET "$PAYMENTS/payable-reservations/$RESERVATION_ID"
call GET "$CONCERTS/concerts/$CONCERT_ID/seats" >/dev/null
echo "  seat $SEAT_LABEL is now: $(json "next(s['status'] for s in j if s['id'] == '$SEAT_ID')")"
call GET "$PAYMENTS/wallets/$USER_ID"

printf '\nDone: user %s booked seat %s (reservation %s).\n' "$USER_ID" "$SEAT_LABEL" "$RESERVATION_ID"
