"""What the warehouse already holds, as the ingest stage asks it: by path, by bytes, by body.

Why one object: the flow decides for every page whether it is unchanged (same path, same
bytes as last time, or the same file size and mtime so it is not even read), a
duplicate (bytes or article text equal to a document loaded under another path, in an
earlier run or earlier in this one) or new. The per-path map and the file manifest are
read once per run; lookups by hash go to DuckDB per batch, so memory does not grow with
the warehouse. Pages registered during the run (`register_*`) make the second copy of
an article in one run a duplicate as well; they are registered once cleaned (not when
read), so two copies of a page that is then rejected are both quarantined, not one
quarantined and one "duplicate" of nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import duckdb


@dataclass(frozen=True, slots=True)
class FileRecord:
    """A landing file as last read: its stat and how many pages it counts for."""

    size: int
    mtime_ns: int
    raw_sha256: str | None
    pages: int


def load_manifest(con: duckdb.DuckDBPyConnection) -> dict[str, FileRecord]:
    """The file manifest: path -> FileRecord of every landing file read so far."""
    return {path: FileRecord(size, mtime_ns, sha, pages)
            for path, size, mtime_ns, sha, pages in con.execute(
                "SELECT path, size, mtime_ns, raw_sha256, pages FROM landing_files").fetchall()}


def stat_diff(con: duckdb.DuckDBPyConnection, stats: Iterable[tuple[str, int, int]],
              ) -> tuple[list[int], int]:
    """Which files of `stats` ((path, size, mtime_ns), in listing order) must be read:
    their indexes (new, or another size or mtime than the manifest's), and the pages
    of the others, all unchanged.

    One join in DuckDB instead of the manifest in a Python dict: at 100,000 files that
    dict took 0.4 s to build and some 30 MB, in the pre-check and again in the flow, for
    a run that reads one file.
    """
    paths, sizes, mtimes = [], [], []
    for path, size, mtime_ns in stats:
        paths.append(path)
        sizes.append(size)
        mtimes.append(mtime_ns)
    # The listing goes in as three list parameters (zipped by unnest), not as an Arrow
    # table: building one imports pandas (pyarrow does), half a second of a no-op run.
    todo, pages = con.execute(
        "SELECT list(l.i ORDER BY l.i) FILTER (WHERE f.path IS NULL), coalesce(sum(f.pages), 0) "
        "FROM (SELECT unnest(?) AS path, unnest(?) AS size, unnest(?) AS mtime_ns, "
        "unnest(range(?)) AS i) l LEFT JOIN landing_files f ON f.path = l.path "
        "AND f.size = l.size AND f.mtime_ns = l.mtime_ns AND l.mtime_ns <> 0",
        [paths, sizes, mtimes, len(paths)]).fetchall()[0]
    return list(todo or []), int(pages)


def unchanged(files: Mapping[str, FileRecord], path: str, size: int, mtime_ns: int) -> FileRecord | None:
    """The manifest record of `path` when its size and mtime are as last read."""
    rec = files.get(path)
    if rec is not None and rec.size == size and rec.mtime_ns == mtime_ns and mtime_ns:
        return rec
    return None


class KnownPages(Mapping[str, str]):
    """`source_path -> raw_sha256` of every page handled (a Mapping), plus lookups.

    Paths come from documents, their sources (copies) and page-level quarantine rows;
    a quarantine row wins over a document for the same path (it is the newer fact: such
    rows are cleared when the page loads).
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, page_stages: Iterable[str]) -> None:
        self._con = con
        self._stages = list(page_stages)
        # The whole map is loaded only when asked for (the Mapping interface) or once a
        # run has asked about FULL_LOAD_AFTER paths; until then `prefetch` looks up
        # each window's paths alone: a run that reads a few pages of a 100,000-page
        # folder does not load 100,000 rows to decide them.
        self._by_path: dict[str, str] | None = None
        self._asked: dict[str, str | None] = {}
        # The manifest is loaded whole only if `unchanged_file` is asked about a file
        # that `split_by_stat` did not decide (see there).
        self._files: dict[str, FileRecord] | None = None
        self._to_read: set[str] = set()
        self._run_docs: set[str] = set()
        self._run_bodies: dict[str, str] = {}

    FULL_LOAD_AFTER = 5000

    def _rows(self, paths: list[str] | None) -> dict[str, str]:
        """path -> sha for `paths` (all paths when None): the newest fact about each."""
        where, params = "", []
        if paths is not None:
            where, params = "AND source_path IN (SELECT unnest(?::VARCHAR[]))", [paths]
        rows = self._con.execute(
            "SELECT source_path, raw_sha256 FROM documents "
            f"WHERE source_path IS NOT NULL AND raw_sha256 IS NOT NULL {where} "
            "UNION ALL SELECT source_path, raw_sha256 FROM document_sources "
            f"WHERE relation <> 'first' AND source_path IS NOT NULL AND raw_sha256 IS NOT NULL {where}",
            params * 2,
        ).fetchall()
        quarantined = self._con.execute(
            "SELECT source_path, raw_sha256 FROM quarantine "
            "WHERE stage IN (SELECT unnest(?::VARCHAR[])) "
            f"AND source_path IS NOT NULL AND raw_sha256 IS NOT NULL {where} "
            "ORDER BY source_path, quarantined_at NULLS FIRST, raw_sha256",
            [self._stages, *params],
        ).fetchall()
        out: dict[str, str] = {}
        for path, sha in [*sorted(rows), *quarantined]:
            out[path] = sha
        return out

    def _whole(self) -> dict[str, str]:
        if self._by_path is None:
            self._by_path = self._rows(None)
            self._asked = {}
        return self._by_path

    def prefetch(self, paths: Iterable[str]) -> None:
        """Look these paths up now, in one query, so `get` answers them without the whole map."""
        if self._by_path is not None:
            return
        ask = [p for p in dict.fromkeys(paths) if p not in self._asked]
        if not ask:
            return
        if len(self._asked) + len(ask) > self.FULL_LOAD_AFTER:
            self._whole()
            return
        found = self._rows(ask)
        for path in ask:
            self._asked[path] = found.get(path)

    # -- Mapping: path -> sha -------------------------------------------------------------
    def __getitem__(self, path: str) -> str:
        if self._by_path is None and path in self._asked:
            sha = self._asked[path]
            if sha is None:
                raise KeyError(path)
            return sha
        return self._whole()[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def forget_paths(self) -> None:
        """Drop the per-path map and the manifest once every file is decided.

        Both hold a row per page or file of the whole corpus (tens of MB at 100,000
        pages); the transform pass needs only the duplicate lookups, which ask DuckDB.
        After this the Mapping is empty and `unchanged_file` knows no file.
        """
        self._by_path, self._asked = {}, {}
        self._files, self._to_read = {}, set()

    # -- files -----------------------------------------------------------------------------
    @property
    def files(self) -> dict[str, FileRecord]:
        """The whole manifest (loaded on first use)."""
        if self._files is None:
            self._files = load_manifest(self._con)
        return self._files

    def split_by_stat(self, stats: list[tuple[str, int, int]],
                      diff: tuple[list[int], int] | None = None) -> tuple[list[int], int]:
        """`stat_diff` of these files (or `diff`, one made of them already); the ones
        to read are remembered, so `unchanged_file` answers None for them without
        loading the manifest."""
        todo, pages = diff if diff is not None else stat_diff(self._con, stats)
        self._to_read.update(stats[i][0] for i in todo)
        return todo, pages

    def unchanged_file(self, path: str, size: int, mtime_ns: int) -> FileRecord | None:
        """The manifest record of `path` when its size and mtime are as last read."""
        if path in self._to_read:
            return None
        return unchanged(self.files, path, size, mtime_ns)

    # -- duplicates ------------------------------------------------------------------------
    def docs_by_sha(self, pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        """raw_sha256 -> doc_id for (path, sha) pairs whose bytes a loaded document of
        ANOTHER path has (copies within this run are found once cleaned: `classify`)."""
        return self._lookup("raw_sha256", pairs, {})

    def docs_by_body(self, pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        """body_key -> doc_id for (path, key) pairs whose text a document of ANOTHER path has."""
        return self._lookup("body_key", pairs, self._run_bodies)

    def classify(self, doc_id: str, body_key: str, found: str | None) -> tuple[str, str] | None:
        """None for a page to process (and registered), else (doc_id, relation) of the copy.

        `found` is what `docs_by_body` returned for its key. Same doc id as a page already
        kept this run: the same bytes under another name. Another document with the same
        body: the same article in another form.
        """
        if doc_id in self._run_docs:
            return doc_id, "same_bytes"
        doc = self._run_bodies.get(body_key) or found
        if doc is not None and doc != doc_id:
            return doc, "same_body"
        self._run_docs.add(doc_id)
        self._run_bodies.setdefault(body_key, doc_id)
        return None

    def _lookup(self, column: str, pairs: Iterable[tuple[str, str]], run: dict[str, str]) -> dict[str, str]:
        pairs = [(p, k) for p, k in pairs if k]
        out = {k: run[k] for _, k in pairs if k in run}
        ask = [(p, k) for p, k in pairs if k not in out]
        if not ask:
            return out
        found = self._con.execute(
            f"SELECT q.k, min(d.doc_id) FROM (SELECT unnest(?::VARCHAR[]) AS p, unnest(?::VARCHAR[]) AS k) q "
            f"JOIN documents d ON d.{column} = q.k AND d.source_path <> q.p GROUP BY q.k",
            [[p for p, _ in ask], [k for _, k in ask]],
        ).fetchall()
        out.update(dict(found))
        return out
