#!/usr/bin/env bash
# make run: localstripe (the offline Stripe) on 127.0.0.1:8420, its webhook pointed at the
# shop, the fake Midtrans on 127.0.0.1:8430, every way to pay enabled, then the shop on
# http://$HOST:$PORT. Stops what it started when the shop stops.
set -euo pipefail
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
VENV=${VENV:-.venv}
STRIPE_PORT=${STRIPE_PORT:-8420}
export STRIPE_API_BASE=${STRIPE_API_BASE:-http://127.0.0.1:$STRIPE_PORT}
export STRIPE_JS_URL=${STRIPE_JS_URL:-$STRIPE_API_BASE/js.stripe.com/v3/}
export STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY:-sk_test_localstripe}
export STRIPE_WEBHOOK_SECRET=${STRIPE_WEBHOOK_SECRET:-whsec_localstripe_dev}
MIDTRANS_PORT=${MIDTRANS_PORT:-8430}
export MIDTRANS_API_BASE=${MIDTRANS_API_BASE:-http://127.0.0.1:$MIDTRANS_PORT}
export MIDTRANS_SNAP_BASE=${MIDTRANS_SNAP_BASE:-$MIDTRANS_API_BASE}
export MIDTRANS_SERVER_KEY=${MIDTRANS_SERVER_KEY:-SB-Mid-server-fake-dev}  # config.py's dev key
export PAYMENT_METHODS=${PAYMENT_METHODS:-bank_transfer,midtrans,card,pay_at_pickup}
export SHOP_BASE_URL=${SHOP_BASE_URL:-http://$HOST:$PORT}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

started=""
trap 'for pid in $started; do kill "$pid" 2>/dev/null || true; done' EXIT INT TERM
if [[ "$STRIPE_API_BASE" == "http://127.0.0.1:$STRIPE_PORT" ]]; then
  if ! listening "$STRIPE_PORT"; then
    mkdir -p instance
    "$VENV/bin/python" -c "from aiohttp import web; from localstripe.server import app; \
web.run_app(app, host='127.0.0.1', port=$STRIPE_PORT, print=None)" >instance/localstripe.log 2>&1 &
    started="$started $!"
    for _ in $(seq 50); do listening "$STRIPE_PORT" && break; sleep 0.1; done
    echo "localstripe: $STRIPE_API_BASE (log: instance/localstripe.log)"
  fi
  curl -s -o /dev/null -u "$STRIPE_SECRET_KEY:" -X POST "$STRIPE_API_BASE/_config/webhooks/shop" \
    -d "url=http://$HOST:$PORT/payments/stripe/webhook" -d "secret=$STRIPE_WEBHOOK_SECRET" \
    -d "events[]=payment_intent.succeeded" -d "events[]=payment_intent.payment_failed" \
    || echo "warning: could not register the webhook with localstripe"
fi

# The offline Midtrans (QRIS, virtual accounts, e-wallets): its hosted page and the signed
# notifications it sends to the URL the shop gives with each transaction.
if [[ "$MIDTRANS_API_BASE" == "http://127.0.0.1:$MIDTRANS_PORT" ]] && ! listening "$MIDTRANS_PORT"; then
  mkdir -p instance
  "$VENV/bin/python" scripts/fake-midtrans --host 127.0.0.1 --port "$MIDTRANS_PORT" \
    --server-key "$MIDTRANS_SERVER_KEY" >instance/fake-midtrans.log 2>&1 &
  started="$started $!"
  for _ in $(seq 50); do listening "$MIDTRANS_PORT" && break; sleep 0.1; done
  echo "fake Midtrans: $MIDTRANS_API_BASE (log: instance/fake-midtrans.log)"
fi

echo "Etalase Binaan: http://$HOST:$PORT  (outbox: http://$HOST:$PORT/dev/outbox)"
"$VENV/bin/flask" --app wsgi run --host "$HOST" --port "$PORT"
