"""What the CLI's `extract` command does: text on stdin, figures out (the extract contract).

Imports only the extractor, so `newsfacts extract` starts in a fraction of a second;
with --jsonl it writes one line per input line, in order, even for a bad line.
"""

from __future__ import annotations

import json
import sys


def _extract_one(text: str, lang: str | None, site: str | None) -> list[dict]:
    from transforms.figures import extract

    lang = None if lang in (None, "", "auto") else lang
    return [f.to_contract() for f in extract(text, lang or "auto", site=site)]


def extract_stdin(lang: str, jsonl: bool, site: str | None) -> None:
    """Read stdin (one text, or JSON lines) and write the figures as JSON to stdout."""
    out = sys.stdout
    if not jsonl:
        text = sys.stdin.read()
        json.dump({"figures": _extract_one(text, lang, site)}, out, ensure_ascii=False)
        out.write("\n")
        return
    for line_no, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        obj = None
        try:
            obj = json.loads(line)
            text = obj["text"]
            if not isinstance(text, str):
                raise TypeError("'text' must be a string")
        except (ValueError, KeyError, TypeError) as exc:
            # one line out per line in, even for a bad line, so ids stay aligned
            bad_id = obj.get("id") if isinstance(obj, dict) else None
            json.dump({"id": bad_id, "figures": [], "error": f"line {line_no}: {exc}"}, out)
            out.write("\n")
            continue
        figures = _extract_one(text, obj.get("lang") or lang, obj.get("site") or site)
        json.dump({"id": obj.get("id"), "figures": figures}, out, ensure_ascii=False)
        out.write("\n")
        out.flush()

