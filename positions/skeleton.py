"""The commented skeleton that `python -m positions new PATH` writes: a dataset that validates as
it is, with every field of the model. Required fields hold example values; optional ones are
commented out (`# field: value  # what it is`), so removing the `# ` turns one on.

`tests/test_skeleton.py` checks that the skeleton validates, that every field of every model
appears in its section, and that it still validates with every optional field turned on.
"""

from __future__ import annotations

import os
from pathlib import Path

from positions.commands import WHY, Commands, commands

SCHEMA = Path(__file__).resolve().parent.parent / "data" / "positions.schema.json"

_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A new stakeholder-positions dataset. It validates as it is: replace the example values
# (my-source, my-state, my-topic, ...) with your own records.
# Required fields are filled in. Optional fields are commented out as "# field: value  # what
# it is": remove the "# " in front of the field to use it. docs/codebook.md explains every
# field with examples. The sections sanctions, events and prospects are optional: delete their
# records (leaving, e.g., `sanctions: []`) if you have none.
# Ids are lowercase slugs (a-z, 0-9, single hyphens), unique within their section. Dates are
# YYYY-MM-DD. A quote is the source's own words, copied exactly, at least three words.
# Check the file from the project folder with: {check}

dataset:
  # id: my-dataset  # a slug naming the dataset; when absent, one made from the title
  title: "Stakeholder positions: my subject"  # shown as the overview's title
  description: "Who stood where on my subject, coded from the sources below."  # what it covers
  as_of: 2025-01-31  # the date the analysis speaks from; undated records count as of it
  # subtitle: "One line under the title"  # shown under the title
  # as_of_note: "How the as_of date was chosen."  # shown under "How the data was curated"
  # method: "How the data was curated."  # shown on the Sources & method page
  # article_source: my-source  # the source id of the analysis the dataset curates
  # meeting_event: my-meeting  # the event the analysis is about; unraised topics count there
  # curated_by: "Your name"  # who curated it
  # license: CC-BY-4.0  # the licence of the curation
  # version: "0.1"  # the dataset's version, for citations

sources:
  - id: my-source  # positions, sanctions, events and prospects cite a source by its id
    title: "The title of the source"  # the source's title
    # author: "A. Author"  # author(s)
    # publisher: "A publisher"  # publisher, and the primary source when republished
    # series: "A series"  # series or outlet
    # date: 2025-01-30  # publication date
    # date_note: "Why the date is missing or uncertain."  # when there is no sure date
    # url: https://example.org/my-source  # web address; must start with https:// or http://
    # site: example.org  # the site a copy was seen on, when there is no full address
    # kind: analysis  # what kind of source: {sources_kind}
    # language: en  # the language of the quotes taken from it
    # note: "Anything a reader should know about the source."  # shown with the citation
    # text_file: texts/my-source.txt  # its text (UTF-8, beside this file): quotes are checked

actors:
  - id: my-state
    name: My state  # display name, unique in the dataset
    kind: state  # what kind of actor: {actors_kind}
    # aliases: [Another name]  # other names, for search
    # description: "One line: role or office."  # shown with the actor
  - id: my-official
    name: My official
    kind: official
    # parent: my-state  # the actor it belongs to, so that views roll up; chains must not loop

topics:
  - id: my-topic
    name: My policy  # a policy or issue, named so that "support" reads naturally; unique
    # group: My group  # a heading that gathers topics
    # description: "What supporting the topic means."  # shown with the topic

positions:
  - actor: my-official  # actor id
    topic: my-topic  # topic id
    stance: support  # support, lean_support, mixed, lean_oppose, oppose or not_raised
    source: my-source  # source id
    quote: "the source's own words, copied exactly"  # verbatim, at least three words
    # id: my-official-on-my-topic  # a slug; generated from actor and topic when absent
    # translation: "The quote in English."  # when the quote is in another language
    # date: 2025-01-30  # when the actor held it; 2025-01 or 2025 when the source gives no day
    # event: my-meeting  # the event at which it was said; required when stance is not_raised
    # confidence: inferred  # stated or inferred; when left out, stated; inferred needs a note
    # note: "Why it is inferred, a translation, or context."  # required when inferred

sanctions:
  - id: my-measure
    target: "A company"  # who or what the measure targets
    target_kind: company  # what kind of target: {sanctions_target_kind}
    status: imposed  # imposed, waived, considered or lifted
    source: my-source  # source id
    quote: "the words that support the record"  # verbatim, at least three words
    # instrument: "The legal instrument"  # the law or order behind the measure
    # date: 2025-01-30  # when the measure was decided
    # count: 2  # how many targets the record covers
    # imposed_by: my-state  # actor id of the authority that decided it
    # topics: [my-topic]  # topic ids the measure relates to
    # against: [my-topic]  # topic ids the measure works against (the "say and do" check)
    # note: "Context."  # shown with the record
  - id: my-measure-member
    target: "Its chief executive"
    target_kind: person
    status: imposed
    source: my-source
    quote: "more words that support it"
    # parent: my-measure  # the sanction record it belongs to (a CEO under the company)

events:
  - id: my-meeting
    date: 2025-01-30  # when it happened or is expected
    title: "A meeting"  # short title
    kind: meeting  # what kind of event: {events_kind}
    status: occurred  # occurred or planned; whichever it was as of the dataset's as_of
    actors: [my-official]  # actor ids taking part
    source: my-source  # source id
    # quote: "words that support the event"  # verbatim, at least three words
    # place: "A city"  # where
    # topics: [my-topic]  # topic ids it concerns; the timeline's topic filter uses them
    # date_precision: month  # day, month or year; when left out, day; "expected in June" is month
    # description: "One or two sentences."  # shown with the event
    # explanation: "the source's words on why the agenda was what it was"  # verbatim

prospects:
  - id: my-prospect
    claim: "A forward-looking statement, in plain words."  # what the source expects
    quote: "the source's words for the claim"  # verbatim, at least three words
    source: my-source  # source id of the claim
    status: open  # borne_out, partly, not_borne_out, condition_unmet or open
    outcome: "What happened, or that it is not yet known."  # what happened
    outcome_source: my-source  # source id for the outcome
    # outcome_date: 2025-06-01  # when the outcome happened
    # note: "How the status was judged."  # the reasoning
"""


# Kinds are slugs of the curator's choosing, not a fixed list. These are offered as examples: the
# kinds docs/codebook.md describes, among them every kind the bundled datasets use (a test keeps
# the three in step).
KIND_EXAMPLES: dict[tuple[str, str], tuple[str, ...]] = {
    ("sources", "kind"): (
        "analysis",
        "official-statement",
        "news-report",
        "readout",
        "press-release",
        "interview",
        "transcript",
        "fact-check",
    ),
    ("actors", "kind"): (
        "state",
        "executive",
        "legislature",
        "legislator",
        "agency",
        "official",
        "head-of-state",
        "company",
        "person",
        "bloc",
        "organisation",
    ),
    ("sanctions", "target_kind"): (
        "vessel",
        "vessel-group",
        "company",
        "company-group",
        "entity",
        "entity-group",
        "person",
        "person-group",
        "sector",
    ),
    ("events", "kind"): (
        "meeting",
        "summit",
        "decision",
        "statement",
        "reaction",
        "announcement",
        "legislation",
        "sanctions-action",
        "hearing",
        "call",
    ),
}
FREE_KIND = "a slug of your choice, not a fixed list"


def kind_comment(section: str, field: str) -> str:
    """What the skeleton says of a kind: that it is free, and the examples."""
    return f"{FREE_KIND}; e.g. {', '.join(KIND_EXAMPLES[(section, field)])}"


# The kinds are filled in once; the schema and the command are left for `skeleton_text`.
SKELETON = _TEMPLATE.format(
    schema="{schema}",
    check="{check}",
    **{f"{section}_{field}": kind_comment(section, field) for section, field in KIND_EXAMPLES},
)


def schema_reference(target: Path) -> str:
    """How the new file at `target` should point its editor to the JSON Schema: a path
    relative to the file's folder, or an absolute file URI when there is no relative path."""
    try:
        return Path(os.path.relpath(SCHEMA, target.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        return SCHEMA.as_uri()


def skeleton_text(path: str, run: Commands | None = None) -> str:
    """The skeleton for a new file at `path`, pointing its editor to the project's schema and
    saying how to check it (`run`: the commands of the Python running, by default)."""
    check = (run or commands()).validate(path)
    return SKELETON.format(check=check, schema=schema_reference(Path(path)))


def next_steps(path: str, run: Commands | None = None) -> str:
    """What to do after `new`: edit, validate, run the dashboard on the file; the commands as
    they work typed from the project folder (`run`: those of the Python running, by default)."""
    run = run or commands()
    data = run.path(path)
    if path.lower().endswith(".xlsx"):
        edit = [
            "  1. Edit it in your spreadsheet program: replace the example rows with your own,",
            "     one record a row. Each header's comment says what the field is (amber headers",
            "     are required); docs/codebook.md explains every field.",
        ]
    else:
        edit = [
            "  1. Edit it: replace the example values with your own records. To use an optional",
            '     field, delete the "# " in front of it. docs/codebook.md explains every field.',
        ]
    return "\n".join(
        [
            f"Wrote a new dataset skeleton to {path}",
            f"Next steps. Run the commands from {run.where()}: {WHY}.",
            *edit,
            f"  2. Check it:   {run.validate(path)}",
            f"  3. See it:     {run.streamlit} run dashboard.py -- --data {data}",
            f"                 (or: POSITIONS_DATA={data} {run.streamlit} run dashboard.py)",
        ]
    )
