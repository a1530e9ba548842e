#!/usr/bin/env bash
# make run: localstripe (the offline Stripe) on 127.0.0.1:8420, its webhook pointed at the
# shop, then the shop on http://$HOST:$PORT. Stops localstripe when the shop stops.
set -euo pipefail
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
VENV=${VENV:-.venv}
STRIPE_PORT=${STRIPE_PORT:-8420}
export STRIPE_API_BASE=${STRIPE_API_BASE:-http://127.0.0.1:$STRIPE_PORT}
export STRIPE_JS_URL=${STRIPE_JS_URL:-$STRIPE_API_BASE/js.stripe.com/v3/}
export STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY:-sk_test_localstripe}
export STRIPE_WEBHOOK_SECRET=${STRIPE_WEBHOOK_SECRET:-whsec_localstripe_dev}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

started=""
if [[ "$STRIPE_API_BASE" == "http://127.0.0.1:$STRIPE_PORT" ]]; then
  if ! listening "$STRIPE_PORT"; then
    mkdir -p instance
    "$VENV/bin/python" -c "from aiohttp import web; from localstripe.server import app; \
web.run_app(app, host='127.0.0.1', port=$STRIPE_PORT, print=None)" >instance/localstripe.log 2>&1 &
    started=$!
    trap 'kill $started 2>/dev/null || true' EXIT INT TERM
    for _ in $(seq 50); do listening "$STRIPE_PORT" && break; sleep 0.1; done
    echo "localstripe: $STRIPE_API_BASE (log: instance/localstripe.log)"
  fi
  curl -s -o /dev/null -u "$STRIPE_SECRET_KEY:" -X POST "$STRIPE_API_BASE/_config/webhooks/shop" \
    -d "url=http://$HOST:$PORT/payments/stripe/webhook" -d "secret=$STRIPE_WEBHOOK_SECRET" \
    -d "events[]=payment_intent.succeeded" -d "events[]=payment_intent.payment_failed" \
    || echo "warning: could not register the webhook with localstripe"
fi

echo "Etalase Binaan: http://$HOST:$PORT  (outbox: http://$HOST:$PORT/dev/outbox)"
"$VENV/bin/flask" --app wsgi run --host "$HOST" --port "$PORT"
