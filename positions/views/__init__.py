"""What each page shows, worked out before anything is drawn: one module a page, each with a
builder that takes the frames, the filtered view and the page's own settings and returns a
frozen view model (its names, options, counts, captions and evidence). A page script only
draws it; the shared pieces (a record's evidence) live in `evidence`.

No module here imports streamlit.
"""
