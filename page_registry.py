"""Every page of the dashboard, named once: the entrypoint, the tests and the benchmarks read it.

Plain data, importing no Streamlit, so that tests and benchmarks can read it without running the
app. To add a page: write its script in app_pages/ and add one line here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    """One page: its script, how the menu names it, and its address."""

    key: str  # the script's file name in app_pages/, without .py; an id for tests
    title: str  # the menu's name for it
    icon: str  # a Material icon shortcode
    url_path: str  # its address
    heading: str  # the page's title as drawn, or "" when the data gives it (the Overview)
    draws_chart: bool = False  # the page draws at least one chart on the bundled dataset
    default: bool = False  # the page the root address opens (it keeps its own address too)
    # Served only when the app runs with `-- --curate` (a curator's own machine); otherwise the
    # page does not exist, in the menu or at its address.
    curate_only: bool = False

    @property
    def script(self) -> str:
        """The script's path, relative to the entrypoint."""
        return f"app_pages/{self.key}.py"


PAGES: tuple[PageEntry, ...] = (
    PageEntry("overview", "Overview", ":material/home:", "overview", "", default=True),
    PageEntry("stances", "Stances", ":material/grid_on:", "stances", "Stances", True),
    PageEntry("alignment", "Alignment", ":material/join_inner:", "alignment", "Alignment", True),
    PageEntry("agenda", "Agenda", ":material/checklist:", "agenda", "Agenda"),
    PageEntry("sanctions", "Sanctions", ":material/block:", "sanctions", "Sanctions scope", True),
    PageEntry("timeline", "Timeline", ":material/timeline:", "timeline", "Timeline", True),
    PageEntry(
        "prospects",
        "Prospects",
        ":material/query_stats:",
        "prospects",
        "Prospects against outcomes",
        True,
    ),
    PageEntry("reader", "Reader", ":material/chrome_reader_mode:", "reader", "Reader"),
    PageEntry("sources", "Sources & method", ":material/menu_book:", "sources", "Sources & method"),
    PageEntry("curate", "Curate", ":material/edit_note:", "curate", "Curate", curate_only=True),
)


# What the root address is called inside the app. Streamlit's link to the page it serves at the
# root is an empty, relative href, which resolves to whatever page is open ("Open in new tab"
# on the Overview's link would open the Timeline); so the root serves the default page under
# this name of its own, and every link goes to the page's real address.
ROOT_PATH = "start"


def pages(curate: bool = False) -> tuple[PageEntry, ...]:
    """The pages the app serves: the public ones, and with `curate` the curator's too."""
    return tuple(page for page in PAGES if curate or not page.curate_only)


def default_page() -> PageEntry:
    return next(page for page in PAGES if page.default)


def page_entry(key: str) -> PageEntry:
    """The page whose script is app_pages/KEY.py."""
    for page in PAGES:
        if page.key == key:
            return page
    raise KeyError(f"no page {key!r} in page_registry.PAGES")
