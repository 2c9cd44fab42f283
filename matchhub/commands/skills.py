"""``flask skills …``: normalise terms and extract skills from text, as JSON lines.

    flask --app wsgi skills normalize terms.txt      # one term per line, "-" = stdin
    flask --app wsgi skills extract docs.jsonl       # {"id", "text"} per line

Both stream: one output line per input line, flushed as they go, so 100,000-line
files run in constant memory. A bad ``extract`` line is reported on stderr with
its line number and skipped; the command never stops on one.
"""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from matchhub.matching.extract import Extractor
from matchhub.matching.normalize import Normalizer

skills_cli = AppGroup("skills", help="Normalise skill terms and extract skills from text.")


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


@skills_cli.command("normalize")
@click.argument("file", type=click.File("r", encoding="utf-8-sig", lazy=False), default="-")
def normalize_command(file) -> None:
    """Map each line of FILE (a term; "-" = stdin) to a skill, one JSON line each."""
    normalizer = Normalizer.default()
    taxonomy = normalizer.taxonomy
    for raw in file:
        term = raw.rstrip("\r\n")
        if not term.strip():
            continue
        result = normalizer.normalize(term)
        skill = taxonomy.get(result.skill_id) if result.skill_id else None
        click.echo(
            _dumps(
                {
                    "term": term,
                    "skill_id": result.skill_id,
                    "name_en": skill.name_en if skill else None,
                    "name_vi": skill.name_vi if skill else None,
                    "score": result.score,
                }
            )
        )


@skills_cli.command("extract")
@click.argument("file", type=click.File("r", encoding="utf-8-sig", lazy=False), default="-")
def extract_command(file) -> None:
    """Extract skills from each JSON line ``{"id", "text"}`` of FILE ("-" = stdin)."""
    extractor = Extractor.default()
    taxonomy = extractor.normalizer.taxonomy
    bad = 0
    for lineno, raw in enumerate(file, 1):
        if not raw.strip():
            continue
        try:
            doc = json.loads(raw)
            if not isinstance(doc, dict) or "id" not in doc:
                raise ValueError('expected an object with "id" and "text"')
            text = doc.get("text")
            if text is None:
                text = ""
            if not isinstance(text, str):
                raise ValueError('"text" must be a string')
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            bad += 1
            click.echo(f"line {lineno}: skipped: {exc}", err=True)
            continue
        mentions = [
            {
                "skill_id": m.skill_id,
                "name_en": taxonomy.get(m.skill_id).name_en,
                "start": m.start,
                "end": m.end,
            }
            for m in extractor.extract(text)
        ]
        click.echo(_dumps({"id": doc["id"], "skills": mentions}))
    if bad:
        click.echo(f"{bad} line(s) skipped", err=True)
