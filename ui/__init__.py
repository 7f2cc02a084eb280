"""The Streamlit glue, split by concern: the dataset and its cache (`data`), the view in the
address bar (`url`), text for markdown (`text`), what pages draw alike (`components`) and
citations (`citing`). Everything that computes lives in the `positions` package."""
