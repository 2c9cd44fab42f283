#!/usr/bin/env bash
# Back up, restore and verify MatchHub's PostgreSQL database (see docs/operations.md, "Backups").
#
#   scripts/backup.sh [--dir DIR] [--keep DAYS]   dump DATABASE_URL to DIR/matchhub-<UTC time>.dump
#                                                 (pg_dump custom format), then delete that
#                                                 directory's dumps older than DAYS days
#   scripts/backup.sh --restore FILE [--wipe]     restore FILE into DATABASE_URL, in one
#                                                 transaction; the database must be empty
#                                                 unless --wipe (drops everything in it first)
#   scripts/backup.sh --verify [--dir DIR]        the round trip, ON DATABASE_URL ITSELF: dump it,
#                                                 count the rows of every table, wipe it, restore
#                                                 the dump, count again; exit 1 if any count
#                                                 differs. Run it on a copy (staging), not live
#   scripts/backup.sh --counts                    print "<table> <rows>" for every table
#
# DATABASE_URL may be SQLAlchemy's form (postgresql+psycopg://…) or libpq's (postgresql://…).
# Needs pg_dump, pg_restore and psql of the server's major version or newer. The user in the
# URL must own the database (the wipe drops and re-creates its schema "public").
set -euo pipefail

die() { echo "backup.sh: $*" >&2; exit 2; }

mode=backup dir="${BACKUP_DIR:-/var/backups/matchhub}" keep="${BACKUP_KEEP_DAYS:-14}" file="" wipe=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="${2:?--dir needs a directory}"; shift 2 ;;
    --keep) keep="${2:?--keep needs a number of days}"; shift 2 ;;
    --restore) mode=restore; file="${2:?--restore needs a dump file}"; shift 2 ;;
    --wipe) wipe=1; shift ;;
    --verify) mode=verify; shift ;;
    --counts) mode=counts; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
[ -n "${DATABASE_URL:-}" ] || die "set DATABASE_URL to the PostgreSQL database"
case "$DATABASE_URL" in
  postgres://*|postgresql://*|postgresql+*://*) ;;
  *) die "DATABASE_URL is not PostgreSQL (a SQLite database is one file: copy it while the server is stopped)" ;;
esac
[[ "$keep" =~ ^[0-9]+$ ]] || die "--keep takes a whole number of days"
# libpq does not know SQLAlchemy's "+driver" part.
url="$(printf '%s' "$DATABASE_URL" | sed -E 's#^postgres(ql)?(\+[A-Za-z0-9_]+)?://#postgresql://#')"

umask 077  # the dumps hold personal data: readable by their owner only

psql_() { PGOPTIONS="-c client_min_messages=warning" psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 --dbname="$url" "$@"; }

counts() {
  # One query: every table of the schema with its exact row count.
  psql_ --tuples-only --no-align --field-separator=' ' --command "
    SELECT table_name,
           (xpath('/row/c/text()', query_to_xml(
              format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name),
              false, true, '')))[1]::text::bigint
    FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name"
}

backup() {
  [ -d "$dir" ] || mkdir -m 700 -p "$dir"
  local target tmp
  target="$dir/matchhub-$(date -u +%Y%m%dT%H%M%SZ).dump"
  tmp="$target.partial"
  # Written under another name and renamed once complete: a dump cut short (disk full,
  # killed) is never taken for a good one, nor counted by the retention below.
  pg_dump --format=custom --no-owner --no-privileges --file="$tmp" --dbname="$url"
  pg_restore --list "$tmp" >/dev/null  # readable from end to end
  mv "$tmp" "$target"
  if [ "$keep" -gt 0 ]; then
    find "$dir" -maxdepth 1 -name 'matchhub-*.dump' -mtime +"$keep" -print -delete \
      | sed 's/^/deleted (older than '"$keep"' days): /' >&2
  fi
  echo "$target"
}

wipe() {
  psql_ --command "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
}

restore() {
  [ -r "$1" ] || die "cannot read $1"
  if [ "$wipe" -eq 0 ] && [ -n "$(counts)" ]; then
    die "the database already has tables: restore into an empty one, or pass --wipe"
  fi
  if [ "$wipe" -eq 1 ]; then wipe || return 1; fi
  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$url" "$1"
}

case "$mode" in
  counts) counts ;;
  backup) backup ;;
  restore) restore "$file" ;;
  verify)
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    dump="$(backup)"
    echo "backup: $dump"
    counts >"$work/before"
    [ -s "$work/before" ] || die "the database has no table: nothing to verify"
    wipe=1
    if ! restore "$dump"; then
      echo "backup.sh: RESTORE FAILED; the database was wiped. Restore it from $dump" >&2
      exit 1
    fi
    counts >"$work/after"
    if ! diff -u --label "rows before the backup" --label "rows after the restore" \
        "$work/before" "$work/after"; then
      echo "backup.sh: VERIFY FAILED: the restored row counts differ (dump kept: $dump)" >&2
      exit 1
    fi
    tables=$(wc -l <"$work/before")
    rows=$(awk '{ n += $2 } END { print n + 0 }' "$work/before")
    echo "verified: $tables tables, $rows rows, identical counts after wipe and restore"
    ;;
esac
