"""Adding a language is adding one folder: a new folder with only figure data works end to end.

The test copies `transforms/` aside, adds `languages/xx/` holding nothing but a figure
lexicon and its examples (the English ones, renamed), and puts the copy first on
PYTHONPATH of a child process. That child sees `xx` in every stage's language list,
extracts with it exactly what English gives, and a whole flow run over a page whose
sidecar says "xx" loads the page with lang "xx" and its amounts: no stage needs
mention cues, furniture lines or detection words of its own to accept the language.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).with_name("newsfacts")

PAGE = """Orvane Capital lève 120 millions de dollars

Washington, le 3 mars 2025 — Orvane Capital said on Monday it had raised $120 million
from Kestrel Partners to build three solar plants, a project that will cost about
€450 million in total. The company expects revenue of $35 million next year.
"""

CHILD = """
import json, sys
from transforms import languages
from transforms.figures import LANGS, extract
from transforms.page import language
from transforms.page.clean import clean_page
texts = json.loads(sys.stdin.read())
def key(fs):
    return [(f.kind, f.surface, f.start, f.value, f.currency, f.unit) for f in fs]
same = all(key(extract(t, "xx")) == key(extract(t, "en")) for t in texts)
print(json.dumps({"langs": list(languages.LANGS), "figures": list(LANGS),
                  "page": list(language.LANGS), "same": same, "n": len(texts),
                  "hint": clean_page("Titre\\n\\nUn texte.", lang_hint="xx").lang}))
"""


def _copy_with_new_language(tmp: Path) -> Path:
    src = ROOT / "transforms"
    dst = tmp / "pkg" / "transforms"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
    xx = dst / "languages" / "xx"
    (xx / "examples").mkdir(parents=True)
    lexicon = (src / "languages" / "en" / "figures.toml").read_text(encoding="utf-8")
    assert '\nlang = "en"\n' in lexicon
    (xx / "figures.toml").write_text(lexicon.replace('\nlang = "en"\n', '\nlang = "xx"\n'),
                                     encoding="utf-8")
    shutil.copy(src / "languages" / "en" / "examples" / "figures.jsonl",
                xx / "examples" / "figures.jsonl")
    return dst.parent


def _env(pkg: Path, tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(pkg)
    env["PREFECT_HOME"] = str(tmp / "prefect")
    return env


def test_a_language_folder_with_only_figure_data_works_end_to_end(tmp_path: Path) -> None:
    pkg = _copy_with_new_language(tmp_path)
    env = _env(pkg, tmp_path)
    examples = pkg / "transforms" / "languages" / "xx" / "examples" / "figures.jsonl"
    texts = [json.loads(ln)["text"] for ln in examples.read_text(encoding="utf-8").splitlines()
             if ln.strip()]
    child = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(texts), env=env,
                           cwd=tmp_path, capture_output=True, text=True, check=True)
    got = json.loads(child.stdout)
    assert got["langs"][-1] == "xx" and "xx" in got["figures"] and "xx" in got["page"]
    assert got["n"] == len(texts) > 0 and got["same"] is True
    assert got["hint"] == "xx"  # a sidecar's "xx" is trusted like any language's

    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "orvane.txt").write_text(PAGE, encoding="utf-8")
    (landing / "orvane.meta.json").write_text(json.dumps(
        {"url": "https://news.example.com/orvane", "fetched_at": "2025-03-03T10:00:00+00:00",
         "site": "news.example.com", "lang": "xx"}), encoding="utf-8")
    warehouse = tmp_path / "warehouse"
    run = subprocess.run([str(CLI), "run", "--input", str(landing), "--warehouse", str(warehouse)],
                         env=env, cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    con = duckdb.connect(str(warehouse / "newsfacts.duckdb"), read_only=True)
    try:
        langs = con.execute("SELECT lang FROM documents").fetchall()
        amounts = con.execute("SELECT currency, value FROM fact_amount ORDER BY raw_start").fetchall()
        deals = con.execute("SELECT count(*) FROM fact_deal").fetchone()
        gx = con.execute("SELECT gx_success FROM runs").fetchall()
    finally:
        con.close()
    assert langs == [("xx",)]
    assert ("USD", 120e6) in amounts and ("EUR", 450e6) in amounts
    assert deals == (len(amounts),)
    assert gx == [(True,)]
