"""Sources & method: citations, codebook, how the data was curated, how to cite, downloads."""

from urllib.parse import urlencode

import streamlit as st

import app_state
from positions.bundle import evidence_bundle
from positions.export import positions_csv, positions_json
from positions.views.sources import build_sources

frames, view = app_state.view()
page = app_state.built(build_sources, frames, view)

st.title("Sources & method")
app_state.era_caption(frames, view)

st.header("Download")
suffix = page.download_suffix
st.caption(page.positions_note)
# Bound now: the files are made later, when a button is pressed, outside this run.
dataset_file = app_state.data_file()
version = app_state.current_version()
columns = st.columns(4)
columns[0].download_button(
    f"Positions as CSV{suffix}",
    lambda: positions_csv(view.positions),
    file_name="positions.csv",
    mime="text/csv",
    on_click="ignore",  # the file is made when asked for; the page stays as it is
    icon=":material/download:",
)
columns[1].download_button(
    f"Positions as JSON{suffix}",
    lambda: positions_json(view.positions, view.filters),
    file_name="positions.json",
    mime="application/json",
    on_click="ignore",  # the file is made when asked for; the page stays as it is
    icon=":material/download:",
)
# The file as it is (its hash is the version cited): a workbook stays a workbook.
workbook = app_state.data_is_workbook()
columns[2].download_button(
    "Whole dataset as a workbook (.xlsx)" if workbook else "Whole dataset as YAML",
    dataset_file,
    file_name="positions.xlsx" if workbook else "positions.yaml",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if workbook
    else "application/x-yaml",
    on_click="ignore",  # the file is made when asked for; the page stays as it is
    icon=":material/download:",
)
address_query = urlencode([(k, v) for k, vs in app_state.all_query().items() for v in vs])
columns[3].download_button(
    f"Evidence bundle (ZIP){suffix}",
    lambda: evidence_bundle(
        frames,
        view,
        view.filters,
        dataset_file(),
        version,
        (app_state.ROOT / "docs" / "codebook.md").read_text(encoding="utf-8"),
        address_query,
    ),
    file_name=f"{page.bundle_name}-{version}.zip",
    mime="application/zip",
    icon=":material/folder_zip:",
    on_click="ignore",
    help="The records of this view with their quotes and sources (CSV and JSON), the sources "
    "cited, the codebook, and a README saying which filters and dataset version made it.",
)

st.header("Sources")
st.caption(page.sources_note)
app_state.table(
    page.sources,
    {
        "citation": ("Citation", {"width": "large"}),
        "kind": "Kind",
        "date": ("Date", {"help": "Blank where the source is undated"}),
        "used": ("Positions", {"help": "Positions citing it"}),
    },
)

if frames.texts:
    st.markdown("**Texts kept with the dataset**, every coded passage marked:")
    for source_id, title in page.texts.items():
        app_state.reader_link(source_id, title)

st.header("Codebook")
st.markdown(
    "| Stance | Score | Meaning |\n|---|---|---|\n"
    + "\n".join(
        f"| {row.label} (`{row.stance}`) | {row.score} | {row.meaning} |" for row in page.codebook
    )
)
st.markdown(
    "**Confidence.** `stated`: the source says it of that actor. `inferred`: it follows from "
    "the source but is not said; the record's note gives the reasoning.\n\n"
    "**Contested.** When the latest records for a cell disagree, the matrix shows it as "
    "contested and the evidence lists every record. The full codebook, with every field, is "
    "in `docs/codebook.md` in the repository."
)

st.header("How the data was curated")
if page.as_of_note:
    st.markdown(app_state.escape_markdown(page.as_of_note))
st.markdown(app_state.escape_markdown(page.method))

st.header("How to cite")
st.markdown(
    "Cite the dashboard with the dataset's version (a hash of the data file, so a reader can "
    "tell whether the data changed) and the link to the view you used; the sidebar's "
    '"Cite this view" gives the same for any page and filter.'
)
app_state.cite_view(frames.info, version, app_state.share_link("sources", {"v": [version]}))
