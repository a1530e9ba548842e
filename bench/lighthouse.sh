#!/usr/bin/env bash
# Lighthouse (mobile, default simulated throttling) on the demo shop: home, catalogue, a product,
# the cart with an item and the checkout. Prints the four scores per page (target: 100 each).
# Installs lighthouse 13.5.0 from npm into $LH_DIR (default /tmp/etalase-lighthouse) on first use;
# needs Chromium at /usr/bin/chromium (make chromium). Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
LH_DIR=${LH_DIR:-/tmp/etalase-lighthouse}
mkdir -p "$LH_DIR"
test -x "$LH_DIR/node_modules/.bin/lighthouse" || (cd "$LH_DIR" && npm install --no-audit --no-fund --silent lighthouse@13.5.0 >/dev/null)
OUT=${OUT:-$LH_DIR}
export SHOP_ENV=development SHOP_INSTANCE_DIR=$LH_DIR/demo MEDIA_ROOT=$LH_DIR/demo/media
mkdir -p $LH_DIR/demo
.venv/bin/flask --app wsgi db upgrade >/dev/null 2>&1
.venv/bin/flask --app wsgi seed-if-empty >/dev/null 2>&1
.venv/bin/gunicorn -w 2 -b 127.0.0.1:5088 --no-control-socket wsgi:app >$OUT/gunicorn.log 2>&1 &
GPID=$!
trap 'kill $GPID' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:5088/healthz >/dev/null && break; sleep 0.2; done
BASE=http://127.0.0.1:5088
PRODUCT=$(curl -s "$BASE/api/v1/products?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["slug"])')
JAR=$OUT/jar.txt; rm -f $JAR
TOKEN=$(curl -s -c $JAR -b $JAR "$BASE/products/$PRODUCT" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
curl -s -o /dev/null -c $JAR -b $JAR -X POST "$BASE/cart/add" -d "csrf_token=$TOKEN&product=$PRODUCT&quantity=1"
COOKIE=$(awk '$6=="session"{print "session="$7}' $JAR)
for path in / /products "/products/$PRODUCT" /cart /checkout; do
  name=$(echo "$path" | tr '/' '_')
  headers="{}"
  case $path in /cart|/checkout) headers="{\"Cookie\": \"$COOKIE\"}";; esac
  CHROME_PATH=/usr/bin/chromium $LH_DIR/node_modules/.bin/lighthouse "$BASE$path" --quiet \
    --chrome-flags="--headless=new --no-sandbox" --extra-headers="$headers" \
    --output=json --output-path=$OUT/report$name.json >/dev/null 2>&1 || true
  python3 - "$path" $OUT/report$name.json <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
s = {k: round(v["score"] * 100) if v["score"] is not None else None for k, v in r["categories"].items()}
fails = [a["id"] for a in r["audits"].values() if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") in ("binary", "numeric")]
print(f"{sys.argv[1]:40} perf {s['performance']} a11y {s['accessibility']} bp {s['best-practices']} seo {s['seo']}  final {r['finalDisplayedUrl'][-30:]}  low: {fails[:6]}")
PY
done
