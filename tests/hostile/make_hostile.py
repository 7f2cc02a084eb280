"""Hostile dataset files, written at test time (nothing big is committed).

Two kinds:

- `HOSTILE_FILES`: files the loader must refuse (or, for a UTF-8 byte-order mark, accept),
  each a one-change variant of `BASE` (a copy of tests/fixtures/minimal.yaml, kept here so that
  the expected line numbers do not move when that fixture changes) or a generated monster:
  50 MB, 10,000 levels deep, a billion-laughs alias bomb, unsafe tags, other encodings.
  `write_hostile_file(name, directory)` writes one and returns its path.
- `hostile_dataset()`: a VALID dataset whose every free-text string carries hostile content
  (script tags, event handlers, javascript: links, image beacons, raw HTML, Streamlit markdown
  directives, LaTeX, 300-character words), for the browser tests of what the app renders.

Command line: `python tests/hostile/make_hostile.py OUT.yaml` writes the hostile dataset;
`python tests/hostile/make_hostile.py --files DIR` writes every hostile file into DIR.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

# Line numbers below are 1-based and refer to this text.
BASE = """\
# yaml-language-server: $schema=../../data/positions.schema.json
# A hostile-file test: one change to the smallest valid dataset.
dataset:
  id: minimal
  title: Minimal dataset
  description: One record of each kind, for tests.
  as_of: 2021-05-20
  article_source: article
  meeting_event: meeting
sources:
  - id: article
    title: An article about a meeting
    author: A. Author
    publisher: A publisher
    kind: analysis
actors:
  - id: country
    name: A country
    kind: state
  - id: minister
    name: A minister
    kind: official
    parent: country
topics:
  - id: climate
    name: Cooperation on climate change
    group: Cooperation agenda
positions:
  - id: minister-climate
    actor: minister
    topic: climate
    stance: support
    source: article
    quote: the fight against climate change
    date: 2021-05-19
    event: meeting
    confidence: stated
sanctions:
  - id: ships
    target: Ships used in construction
    target_kind: vessel-group
    status: imposed
    source: article
    quote: sanctions on the ships
    date: 2021-05-19
events:
  - id: meeting
    date: 2021-05-19
    title: The meeting
    kind: meeting
    status: occurred
    actors: [minister]
    source: article
    quote: the ministers met for the first time
"""

BIG_BYTES = 50_000_000
DEEP = 10_000


def _replace(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def _text(text: str, encoding: str = "utf-8", prefix: bytes = b"") -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(prefix + text.encode(encoding))

    return write


def _big(path: Path) -> None:
    # A valid dataset padded to 50 MB. The padding is a sparse run of NUL bytes, which the
    # loader would report as "character U+0000 ..." if it ever read the file instead of
    # refusing it by its size first.
    with path.open("wb") as file:
        file.write(BASE.encode("utf-8"))
        file.truncate(BIG_BYTES)


def _in_aliases(value: str) -> str:
    """BASE with actors[1].aliases (line 23) set to `value`."""
    return _replace("    kind: official\n", "    kind: official\n" + f"    aliases: {value}\n")


def _deep_list() -> str:
    return _in_aliases("[" * DEEP + "x" + "]" * DEEP)


def _deep_mapping() -> str:
    return _in_aliases("{a: " * DEEP + "x" + "}" * DEEP)


def _deep_block() -> str:
    # Block style nests linearly too: "- - - x" is a list in a list in a list.
    return _in_aliases("\n" + "      " + "- " * DEEP + "x")


def _alias_bomb() -> str:
    # The classic "billion laughs": nine levels of ten aliases, 10**9 strings once expanded.
    lines = ['      - &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"      - &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    aliases = "    aliases:\n" + "\n".join(lines) + "\n"
    return _replace("    kind: official\n", "    kind: official\n" + aliases)


_QUOTE = "    quote: the fight against climate change\n"
_TITLE = "  title: Minimal dataset\n"

_CYCLE_OF_THREE = """\
actors:
  - id: country
    name: A country
    kind: state
    parent: deputy
  - id: minister
    name: A minister
    kind: official
    parent: country
  - id: deputy
    name: A deputy minister
    kind: official
    parent: minister
"""

_EXTRA_ACTOR = """\
  - id: blinken
    name: Antony Blinken
    kind: official
  - id: {id}
    name: Antony Blinken (again)
    kind: official
"""


def _extra_actor(actor_id: str) -> str:
    # Two more actors after line 23; the second (line 27) has the doubtful id.
    return _replace(
        "    parent: country\n", "    parent: country\n" + _EXTRA_ACTOR.format(id=actor_id)
    )


def _cycle_of_three() -> str:
    start = BASE.index("actors:\n")
    end = BASE.index("topics:\n")
    return BASE[:start] + _CYCLE_OF_THREE + BASE[end:]


HOSTILE_FILES: dict[str, Callable[[Path], None]] = {
    "big-50mb": _big,
    "deep-list": _text(_deep_list()),
    "deep-mapping": _text(_deep_mapping()),
    "deep-block": _text(_deep_block()),
    "alias-bomb": _text(_alias_bomb()),
    "python-object-apply": _text(
        _replace(_QUOTE, '    quote: !!python/object/apply:os.system ["echo pwned > pwned"]\n')
    ),
    "python-name": _text(_replace(_TITLE, "  title: !!python/name:os.system\n")),
    "python-module": _text(_replace(_TITLE, "  title: !!python/module:os\n")),
    "python-object-new": _text(
        _replace(_TITLE, '  title: !!python/object/new:os.system ["echo pwned > pwned"]\n')
    ),
    "binary": _text(_replace(_TITLE, "  title: !!binary TWluaW1hbCBkYXRhc2V0\n")),
    "local-tag": _text(_replace(_TITLE, "  title: !include /etc/passwd\n")),
    "utf-16": _text(BASE, "utf-16"),  # with its byte-order mark
    "latin-1": _text(_replace("name: A country", "name: Österreich"), "latin-1"),
    "utf-8-bom": _text(BASE, "utf-8", b"\xef\xbb\xbf"),
    "bidi-in-name": _text(_replace("name: A minister", 'name: "A \u202eretsinim"')),
    "id-case": _text(_extra_actor("Blinken")),
    "id-lookalike": _text(_extra_actor("blink\u0435n")),  # Cyrillic small letter ie
    "date-feb-30": _text(_replace("date: 2021-05-19\n    event:", "date: 2021-02-30\n    event:")),
    "circular-parent-3": _text(_cycle_of_three()),
    # A character YAML forbids, after non-ASCII text on its line (line 5, column 17).
    "control-after-non-ascii": _text(_replace(_TITLE, "  title: Café Zürich \x1b\n")),
}


def write_hostile_file(name: str, directory: Path) -> Path:
    path = directory / f"{name}.yaml"
    HOSTILE_FILES[name](path)
    return path


# --- A valid dataset full of hostile text -----------------------------------------------------

EVIL = "evil.example"
# Each payload would set window.__xss, pop a dialog or fetch from evil.example if it were
# rendered as HTML or markdown instead of shown as text.
SCRIPT = "<script>window.__xss=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__xss=1;alert(1)">'
JS_LINK = "[click](javascript:window.__xss=1;alert(1))"
BEACON = f"![x](http://{EVIL}/beacon.png)"
RAW_HTML = f'<b>bold</b><iframe src="https://{EVIL}/frame" onload="window.__xss=1"></iframe>'
DIRECTIVES = ":red[x] :material/home: :rainbow-background[y] :blue-badge[z]"
LATEX = "$x$ $$\\frac{1}{2}$$"
LONG_WORD = "W" * 300
SVG = '<svg onload="window.__xss=1;alert(1)"><a href="javascript:window.__xss=1">a</a></svg>'
REF_BEACON = f"![y][b]\n\n[b]: https://{EVIL}/ref-beacon.png"
AUTOLINK = f"<https://{EVIL}/autolink> https://{EVIL}/bare www.{EVIL}/www"
STYLE = (
    f"<style>@import url(https://{EVIL}/x.css); body{{display:none}}</style>"
    f'<link rel=stylesheet href="https://{EVIL}/l.css">'
)
HTML_ENTITY = "&lt;script&gt;&#x3C;img src=x onerror=window.__xss=1&#x3E;"

PAYLOADS = [
    SCRIPT,
    IMG,
    JS_LINK,
    BEACON,
    RAW_HTML,
    DIRECTIVES,
    LATEX,
    LONG_WORD,
    SVG,
    STYLE,
    AUTOLINK,
    HTML_ENTITY,
]


class _Text:
    """Hands out hostile strings: every payload, after a label that keeps each string distinct
    (names must be) and says where it came from when it shows up somewhere unexpected."""

    def __call__(self, label: str) -> str:
        return f"{label} " + " ".join(PAYLOADS)


def hostile_dataset() -> dict[str, Any]:
    """A valid dataset (it passes `python -m positions validate`) of hostile text."""
    t = _Text()
    source_url = f"https://{EVIL}/x"
    sources = [
        {
            "id": "article",
            "title": t("Article title"),
            "author": t("Author"),
            "publisher": t("Publisher"),
            "series": t("Series"),
            "date": "2021-05-19",
            "url": source_url,
            "site": t("Site"),
            "kind": t("Kind"),
            "language": t("Language"),
            "note": t("Source note") + "\n\n" + REF_BEACON + "\n\n# heading " + IMG,
        },
        {
            "id": "readout",
            "title": t("Readout title"),
            "date_note": t("Date note"),
            "publisher": t("Readout publisher"),
            "url": source_url,
            "kind": "readout",
        },
    ]
    actors = [
        {"id": "north", "name": t("North"), "kind": "state", "description": t("North desc")},
        {
            "id": "north-minister",
            "name": t("North minister"),
            "kind": "official",
            "parent": "north",
            "aliases": [t("Alias one"), t("Alias two")],
            "description": t("Minister desc"),
        },
        {"id": "south", "name": t("South"), "kind": "state"},
        {"id": "parliament", "name": t("Parliament"), "kind": "legislature", "parent": "north"},
        # An actor sharing no topic with south, whose one member agrees with it: the Alignment
        # page then shows its "share no topic" and "no split inside" notices.
        {"id": "observer", "name": t("Observer"), "kind": "organisation"},
        {"id": "envoy", "name": t("Envoy"), "kind": "official", "parent": "observer"},
    ]
    topics = [
        {"id": "pipeline", "name": t("Pipeline"), "group": t("Energy"), "description": t("Pd")},
        {"id": "waiver", "name": t("Waiver"), "group": t("Energy group two")},
        {"id": "rights", "name": t("Rights"), "group": t("Rights group"), "description": t("R")},
    ]

    def position(i: int, actor: str, topic: str, stance: str, **more: Any) -> dict[str, Any]:
        record = {
            "id": f"p{i}",
            "actor": actor,
            "topic": topic,
            "stance": stance,
            "source": more.pop("source", "article"),
            "quote": t(f"quote {i} says"),
            "date": more.pop("date", "2021-05-19"),
            "note": t(f"note {i}"),
        }
        record.update(more)
        return record

    positions = [
        position(1, "north", "pipeline", "oppose", date="2021-05-01"),
        position(2, "south", "pipeline", "support"),
        position(3, "north", "waiver", "support"),
        position(4, "south", "waiver", "lean_support", source="readout"),
        position(5, "parliament", "waiver", "oppose"),
        position(6, "north-minister", "rights", "not_raised", event="meeting"),
        position(7, "north-minister", "rights", "oppose", source="readout", event="meeting"),
        position(8, "north-minister", "pipeline", "support", date="2021-02-01"),
        position(9, "north-minister", "pipeline", "lean_oppose", confidence="inferred"),
        position(10, "parliament", "pipeline", "mixed", date="2021-06-02"),
        position(11, "observer", "rights", "oppose"),
        position(12, "envoy", "rights", "oppose"),
    ]
    sanctions = [
        {
            "id": "ships",
            "target": t("Ships"),
            "target_kind": "vessel-group",
            "status": "imposed",
            "source": "article",
            "quote": t("ships quote"),
            "instrument": t("Instrument"),
            "date": "2021-05-19",
            "imposed_by": "north",
            "topics": ["pipeline"],
            "against": ["pipeline"],
            "note": t("Ships note"),
        },
        {
            "id": "ship-a",
            "target": t("Ship A"),
            "target_kind": "vessel",
            "status": "imposed",
            "source": "readout",
            "quote": t("ship a quote"),
            "parent": "ships",
            "date": "2021-05-19",
            "topics": ["pipeline"],
        },
        {
            "id": "company",
            "target": t("Company"),
            "target_kind": "company",
            "status": "waived",
            "source": "article",
            "quote": t("company quote"),
            "date": "2021-05-19",
            "imposed_by": "north",
            "topics": ["waiver"],
            "note": t("Company note"),
        },
        {
            "id": "ceo",
            "target": t("Chief executive"),
            "target_kind": "person",
            "status": "waived",
            "source": "article",
            "quote": t("ceo quote"),
            "parent": "company",
            "date": "2021-05-19",
            "topics": ["waiver"],
        },
        {
            "id": "buyers",
            "target": t("Gas buyers"),
            "target_kind": "sector",
            "status": "considered",
            "source": "article",
            "quote": t("buyers quote"),
            "count": 3,
            "topics": ["pipeline"],
        },
    ]
    events = [
        {
            "id": "meeting",
            "date": "2021-05-19",
            "title": t("Meeting"),
            "kind": "meeting",
            "status": "occurred",
            "actors": ["north-minister"],
            "topics": ["rights", "pipeline"],
            "source": "article",
            "quote": t("meeting quote"),
            "place": t("Place"),
            "description": t("Meeting description"),
            "explanation": t("Meeting explanation"),
        },
        {
            "id": "reaction",
            "date": "2021-05-20",
            "title": t("Reaction"),
            "kind": "reaction",
            "status": "occurred",
            "actors": ["south"],
            "topics": ["waiver"],
            "source": "readout",
            "quote": t("reaction quote"),
            "place": t("Reaction place"),
        },
        {
            "id": "summit",
            "date": "2021-06-01",
            "date_precision": "month",
            "title": t("Summit"),
            "kind": "summit",
            "status": "planned",
            "actors": ["north", "south"],
            "source": "article",
            "quote": t("summit quote"),
            "description": t("Summit description"),
        },
    ]
    prospects = [
        {
            "id": "relations",
            "claim": t("Claim"),
            "quote": t("prospect quote"),
            "source": "article",
            "status": "partly",
            "outcome": t("Outcome"),
            "outcome_source": "readout",
            "outcome_date": "2021-06-16",
            "note": t("Prospect note"),
        },
        {
            "id": "summit-held",
            "claim": t("Second claim"),
            "quote": t("second prospect quote"),
            "source": "article",
            "status": "borne_out",
            "outcome": t("Second outcome"),
            "outcome_source": "readout",
        },
    ]
    return {
        "dataset": {
            "id": "hostile",
            "title": t("Dataset title"),
            "subtitle": t("Subtitle"),
            "description": t("Description"),
            "as_of": "2021-05-20",
            "as_of_note": t("As-of note"),
            "method": t("Method"),
            "article_source": "article",
            "meeting_event": "meeting",
            "curated_by": t("Curated by"),
            "license": t("License"),
            "version": t("Version"),
        },
        "sources": sources,
        "actors": actors,
        "topics": topics,
        "positions": positions,
        "sanctions": sanctions,
        "events": events,
        "prospects": prospects,
    }


def hostile_dataset_text() -> str:
    body = yaml.safe_dump(hostile_dataset(), allow_unicode=True, sort_keys=False, width=100)
    return "# A valid dataset of hostile text: see tests/hostile/make_hostile.py.\n" + body


def write_hostile_dataset(path: Path) -> Path:
    path.write_text(hostile_dataset_text(), encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--files":
        directory = Path(argv[1])
        directory.mkdir(parents=True, exist_ok=True)
        for name in HOSTILE_FILES:
            print(write_hostile_file(name, directory))
        return 0
    if len(argv) == 1:
        print(write_hostile_dataset(Path(argv[0])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
