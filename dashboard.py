"""Entrypoint: page config, the dataset, the global filters bound to the URL, navigation."""

from __future__ import annotations

import streamlit as st

import app_state
import page_registry
from ui.curate import curate_mode

st.set_page_config(
    page_title="Who stands where · stakeholder positions",
    page_icon=str(app_state.ROOT / "assets" / "icon.png"),  # a Material icon would be fetched
    layout="wide",
    initial_sidebar_state="auto",
)

# A matrix wider than the screen scrolls inside its own frame, not the whole page. Static CSS:
# no data ever goes into HTML.
st.html(
    "<style>[data-testid='stFullScreenFrame']:has([data-testid='stVegaLiteChart'])"
    "{overflow-x:auto;overflow-y:hidden;}</style>"
)

# The curate page, which writes the data file, exists only on a curator's own server: started
# with `-- --curate` and listening on this machine only.
curating = curate_mode() and app_state.serves_this_machine_only()
PAGES = [
    st.Page(entry.script, title=entry.title, icon=entry.icon, url_path=entry.url_path)
    for entry in page_registry.pages(curate=curating)
]
home = page_registry.default_page()
ROOT = st.Page(
    home.script, title=home.title, icon=home.icon, default=True, url_path=page_registry.ROOT_PATH
)
# Our own links carry the filters from page to page; Streamlit's menu would drop them and
# leave a filter-less entry in the browser history.
page = st.navigation([ROOT, *PAGES], position="hidden")
st.session_state["_page_paths"] = [p.url_path for p in PAGES]

loaded = app_state.load()
nav = st.sidebar.container()
if curate_mode() and not curating:
    st.warning(
        "**The Curate page is off.** It writes the data file, so it is served only to this "
        "machine, and this server listens on every network interface. Start it with "
        "`--server.address 127.0.0.1`, as `make curate` does.",
        icon=":material/lock:",
    )
app_state.show_upload_problems()  # a refused upload, at the top of the page
app_state.show_upload_in_use()
if loaded.frames is None:
    app_state.show_data_error(loaded.error, loaded.path)
    with st.sidebar:
        app_state.upload_panel()
    st.stop()

if loaded.error is not None:
    app_state.show_stale_warning(loaded)
frames = loaded.frames
st.session_state["_frames"] = frames
version = app_state.current_version()
app_state.pinned_version_notice(version)
params = app_state.global_params(frames)
notices = app_state.link_notices(app_state.sync_from_url(params, scope="global"))
app_state.keep_known_values(params)

# The sidebar's places, in reading order. Its widgets are drawn after the page: their values are
# in the session already (the filters above were read from it), and the page's chart, sent first,
# reaches the browser sooner (BENCHMARKS.md, figure c).
filters_box = st.sidebar.container()
upload_box = st.sidebar.container()
share_box = st.sidebar.container()
page.run()

with filters_box:
    st.subheader("Filter the view")
    for notice in notices:
        st.warning(notice, icon=":material/link_off:")
    st.text_input(
        "Search",
        key="q",
        placeholder="Words in quotes, notes, names",
        help="Every word must appear in a record's quote, note, actor, topic, source or event. "
        "Narrows every page.",
        max_chars=100,
    )
    for param, label, help_text in zip(
        params[:3],
        ("Actors", "Topics", "Stances"),
        (
            "Choosing a government or group includes everyone under it (its officials, members).",
            "Topics are grouped; the group follows each name.",
            "Show only records with these stances.",
        ),
        strict=True,
    ):
        st.multiselect(
            label,
            param.options,
            format_func=param.label,
            key=param.key,
            placeholder=f"All {label.lower()}",
            help=help_text,
        )
    st.subheader("Speak from")
    as_of_param, count_param = params[4], params[5]
    st.selectbox(
        "As of",
        as_of_param.options,
        format_func=as_of_param.label,
        key="as_of",
        help="Each actor's latest stance known on this date, on every page. The dataset's date "
        "is the analysis's own view; 'Latest known' adds what was said after it. A record dated "
        "only to a month or a year counts once that period is over (or from its source's date).",
    )
    st.radio(
        "Count in agreement and for/against",
        count_param.options,
        format_func=count_param.label,
        key="count",
        horizontal=True,
        help="Inferred stances follow from a source without being said by the actor; by "
        "default agreement scores, splits and the overview's counts use stated stances only. "
        "The matrix shows both, inferred ones pale with a dashed outline.",
    )
    app_state.write_to_url(params, scope="global")
    query = app_state.current_query()
    if any(query.values()):
        st.button("Clear all filters", on_click=app_state.clear_filters, icon=":material/close:")

with nav:
    st.markdown("**Who stands where**")
    for target in PAGES:
        st.page_link(target, query_params=query or None)
    st.divider()

with upload_box:
    app_state.upload_panel()

# After the page ran, so that the link also holds the page's own settings (ordering, selection).
# In a popover, whose content the browser draws only when it is opened: drawn in the sidebar, the
# link's code block made every page's first chart appear later (BENCHMARKS.md, figure c).
with share_box:
    st.divider()
    with st.popover("Share or cite this view", icon=":material/share:", width="stretch"):
        if st.session_state.get("_upload") is not None:
            st.caption(
                "Link to this view. It opens the dashboard's own dataset, not your upload: "
                "share your file along with it. Pinned to your file's version, so the link "
                "says so."
            )
        else:
            st.caption(
                "Link to this view, pinned to this version of the data (select it, or copy it "
                "with the button that shows at its right on a mouse):"
            )
        view_query = {k: v for k, v in app_state.all_query().items() if k != "v"}
        pinned_query = {**view_query, "v": [version]} if version else view_query
        at_root = page.url_path in ("", page_registry.ROOT_PATH)
        link = app_state.share_link("" if at_root else page.url_path, pinned_query)
        st.code(link, language=None, wrap_lines=True)
        st.markdown("**Cite this view**")
        app_state.cite_view(frames.info, version, link)
