#!/usr/bin/env bash
# make scan: wapiti and sqlmap against MatchHub in its production configuration, on loopback,
# then the "Scan" section of docs/security.md. About 15 minutes; needs Debian's wapiti and
# sqlmap and a PostgreSQL server on 127.0.0.1:5432 that trusts user postgres.
#
#   1. a scratch database (SCAN_DB, default matchhub_scan) is dropped, migrated and seeded with
#      the demo province, then bench/scan/prepare.py adds disposable accounts and API tokens;
#   2. gunicorn serves the production config on 127.0.0.1:SCAN_PORT;
#   3. wapiti crawls and attacks as the disposable enterprise (bench/scan/login.py logs in),
#      while sqlmap tries the search and filter parameters (bench/scan/sqlmap_run.py);
#   5. bench/scan/report.py writes docs/security.md's "Scan" section from the reports.
#
# Everything the run leaves is in SCAN_WORKDIR (default instance/scan): reports, logs, cookies.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${VENV:-.venv}/bin"
PORT="${SCAN_PORT:-8790}"
DB="${SCAN_DB:-matchhub_scan}"
PG_HOST="${SCAN_PG_HOST:-127.0.0.1}"
WORK="${SCAN_WORKDIR:-instance/scan}"
CRAWL_SECONDS="${WAPITI_CRAWL_SECONDS:-90}"
ATTACK_SECONDS="${WAPITI_ATTACK_SECONDS:-30}"
# wapiti as a whole (crawl and every module): past it, the report is written with what it has.
DEADLINE_SECONDS="${WAPITI_DEADLINE:-480}"
# ssrf and xxe are left out: they make the target (and wapiti) call wapiti's public endpoint.
# nikto and wapp download their databases; buster and brute_login_form guess paths/passwords.
MODULES="${WAPITI_MODULES:-backup,blindsql,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,methods,permanentxss,redirect,sql,xss}"
BASE="http://127.0.0.1:${PORT}"
UA="MatchHub-scan"

missing() { echo "make scan: $1 is missing. Install it with: $2" >&2; exit 2; }
command -v wapiti >/dev/null || missing wapiti "apt-get install -y wapiti"
command -v sqlmap >/dev/null || missing sqlmap "apt-get install -y sqlmap"
/usr/bin/python3 -c "import wapitiCore" 2>/dev/null \
  || missing "wapiti's Python package (wapitiCore)" "apt-get install -y wapiti"
command -v createdb >/dev/null || missing "PostgreSQL's client" "apt-get install -y postgresql-client"
[ -x "$BIN/gunicorn" ] || missing "the virtualenv ($BIN)" "make install"
pg_isready -q -h "$PG_HOST" -p 5432 \
  || { echo "make scan: no PostgreSQL on $PG_HOST:5432 (start it first)" >&2; exit 2; }

rm -rf "$WORK"
mkdir -p "$WORK"
started=$(date +%s)
echo "== scratch database $DB, demo province, disposable accounts"
dropdb --if-exists -h "$PG_HOST" -U postgres "$DB"
createdb -h "$PG_HOST" -U postgres "$DB"
export DATABASE_URL="postgresql+psycopg://postgres@${PG_HOST}:5432/${DB}"
export FLASK_APP=wsgi
# The demo is refused in production: load it with the development config, serve it with the
# production one.
env -u MATCHHUB_ENV "$BIN/flask" db upgrade >"$WORK/setup.log" 2>&1
env -u MATCHHUB_ENV "$BIN/flask" seed-demo >>"$WORK/setup.log" 2>&1
env -u MATCHHUB_ENV "$BIN/python" -m bench.scan.prepare "$WORK/accounts.json" >>"$WORK/setup.log" 2>&1

echo "== gunicorn (production config) on $BASE"
# SESSION_COOKIE_SECURE=false: plain HTTP on loopback; Secure cookies would never come back.
# RATELIMIT_ENABLED=False: throttling would answer the payloads with 429 and hide the code
# behind it (the limits have their own tests).
MATCHHUB_ENV=production \
  SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(48))')" \
  SESSION_COOKIE_SECURE=false \
  GUNICORN_BIND="127.0.0.1:${PORT}" \
  GUNICORN_WORKERS="${GUNICORN_WORKERS:-3}" \
  GUNICORN_ACCESSLOG="$WORK/access.log" \
  GUNICORN_CONTROL_SOCKET="$WORK/gunicorn.ctl" \
  "$BIN/gunicorn" "matchhub:create_app({'RATELIMIT_ENABLED': False})" 2>"$WORK/gunicorn.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
"$BIN/python" - "$BASE/healthz" <<'EOF'
import sys, time, urllib.request
for _ in range(120):
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(1)
sys.exit("gunicorn did not answer /healthz within 2 minutes (see the work directory's gunicorn.log)")
EOF

echo "== logging in"
for role in admin enterprise college learner; do
  "$BIN/python" -m bench.scan.login "$BASE" "$WORK/accounts.json" "$role" "$UA-sqlmap" "$WORK/cookies-$role"
done
"$BIN/python" -m bench.scan.login "$BASE" "$WORK/accounts.json" enterprise "$UA-wapiti" "$WORK/wapiti-cookies"

# wapiti and sqlmap run side by side (different accounts and sessions): the scan stays
# within about 15 minutes.
echo "== sqlmap in the background, logs in $WORK/sqlmap/"
sqlmap_started=$(date +%s)
( SCAN_USER_AGENT="$UA-sqlmap" "$BIN/python" -m bench.scan.sqlmap_run "$BASE" "$WORK" \
    >"$WORK/sqlmap-run.log" 2>&1; echo $(($(date +%s) - sqlmap_started)) >"$WORK/sqlmap.seconds" ) &
sqlmap_job=$!

echo "== wapiti (≤ ${DEADLINE_SECONDS} s: crawl ≤ ${CRAWL_SECONDS} s, ≤ ${ATTACK_SECONDS} s per module), log in $WORK/wapiti.log"
wapiti_started=$(date +%s)
WAPITI_OPTIONS=(
  --scope domain -s "$BASE/enterprise/" -c "$WORK/wapiti-cookies.json" -A "$UA-wapiti"
  # Logout would end the scanner's session (and every session of its user); revoking tokens
  # would cut sqlmap's; the status buttons would close the only order the crawl can explore.
  -x "$BASE/auth/logout*" -x "$BASE/auth/tokens/*/revoke*" -x "$BASE/static/*"
  -x "$BASE/enterprise/orders/*/closed*" -x "$BASE/enterprise/orders/*/filled*"
  -x "$BASE/enterprise/orders/*/cancelled*"
  -m "$MODULES" --max-scan-time "$CRAWL_SECONDS" --max-attack-time "$ATTACK_SECONDS" -t 15
)
WAPITI_DEADLINE="$DEADLINE_SECONDS" /usr/bin/python3 bench/scan/wapiti_compat.py -u "$BASE/" "${WAPITI_OPTIONS[@]}" \
  --flush-session --store-session "$WORK/wapiti-session" --store-config "$WORK/wapiti-config" \
  --no-bugreport -f json -o "$WORK/wapiti.json" -v 1 >"$WORK/wapiti.log" 2>&1 \
  || { echo "wapiti failed: see $WORK/wapiti.log" >&2; exit 1; }
wapiti_seconds=$(($(date +%s) - wapiti_started))
echo "   wapiti done in ${wapiti_seconds} s; waiting for sqlmap"
wait "$sqlmap_job" || { echo "sqlmap failed: see $WORK/sqlmap-run.log" >&2; exit 1; }
sqlmap_seconds=$(cat "$WORK/sqlmap.seconds")

# Stop the server before reading its access log.
kill "$server"
wait "$server" 2>/dev/null || true
trap - EXIT

echo "== report"
total_seconds=$(($(date +%s) - started))
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- matchhub || echo '+changes')"
versions="wapiti $(dpkg-query -W -f='${Version}' wapiti), sqlmap $(dpkg-query -W -f='${Version}' sqlmap), \
PostgreSQL $(psql -h "$PG_HOST" -U postgres -tAc 'SHOW server_version' "$DB"), \
$("$BIN/gunicorn" --version 2>&1 | head -n1), $("$BIN/python" --version)"
"$BIN/python" - "$WORK/meta.json" <<EOF
import json, sys
json.dump({
    "date": "$(date -u '+%Y-%m-%d %H:%M UTC')",
    "commit": "$commit",
    "total_seconds": $total_seconds,
    "wapiti_seconds": $wapiti_seconds,
    "sqlmap_seconds": $sqlmap_seconds,
    "versions": """$versions""",
    "server": "gunicorn (gunicorn.conf.py, 3 workers) on 127.0.0.1:$PORT, MATCHHUB_ENV=production, "
              "a random SECRET_KEY, PostgreSQL database $DB (demo province)",
    "wapiti_options": "modules $MODULES; ≤ $DEADLINE_SECONDS s in all (crawl ≤ $CRAWL_SECONDS s, "
                      "≤ $ATTACK_SECONDS s per module), request timeout 15 s; logged in as the "
                      "disposable enterprise; requests off loopback refused "
                      "(bench/scan/wapiti_compat.py)",
    "sqlmap_options": "GET search and filter parameters, PostgreSQL payloads, techniques "
                      "BEUST, ≤ ${SQLMAP_TARGET_SECONDS:-30} s + ${SQLMAP_PARAM_SECONDS:-35} s per "
                      "parameter for each target, 2 targets at a time, alongside wapiti; numeric "
                      "parameters (read with type=int/float) not tested",
    "notes": [
        "Settings that differ from a production deployment, and why: "
        "\`SESSION_COOKIE_SECURE=false\` (plain HTTP on loopback: the scanners' HTTP clients "
        "would not send a Secure cookie back, so no page behind the login would be reached); "
        "rate limiting off (\`create_app({'RATELIMIT_ENABLED': False})\`: throttling would "
        "answer the payloads with 429 and hide the code behind it; the limits have their own "
        "tests).",
        "wapiti crawls and posts forms as the disposable enterprise "
        "\`scan-enterprise@scan.example\` (its own verified organisation and one published "
        "order, made by bench/scan/prepare.py): what it submits lands there, not in a demo "
        "organisation. Excluded from its crawl: logout (it ends the scanner's session), API "
        "token revocation, the order status buttons, /static/.",
        "sqlmap sends GET requests only: admin pages as \`scan-admin@scan.example\`, enterprise "
        "pages and API as the scan enterprise, college and learner pages and API as the demo "
        "college and learner (reading only); the API with bearer tokens from "
        "matchhub/services/api_tokens.py.",
    ],
}, open(sys.argv[1], "w"), indent=2)
EOF
"$BIN/python" -m bench.scan.report "$WORK" docs/security.md
echo "make scan: done in ${total_seconds} s (work directory $WORK)"
