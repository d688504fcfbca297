"""`python -m transforms.figures --jsonl`: the extract contract without the CLI.

Why: the scorer (shared/eval/score_money.py) drives any command that speaks the
contract; this lets the extractor be scored before `newsfacts extract` exists, and
keeps one process for the whole stream.
"""

from __future__ import annotations

import json
import sys

from . import extract


def main(argv: list[str]) -> int:
    if "--jsonl" in argv:
        out = sys.stdout
        for line in sys.stdin:
            if not line.strip():
                continue
            obj = json.loads(line)
            figs = extract(obj.get("text") or "", obj.get("lang") or "auto",
                           site=obj.get("site"), country=obj.get("country"))
            out.write(json.dumps({"id": obj.get("id"),
                                  "figures": [f.to_contract() for f in figs]},
                                 ensure_ascii=False) + "\n")
        return 0
    text = sys.stdin.read()
    figs = extract(text)
    print(json.dumps({"figures": [f.to_contract() for f in figs]}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
