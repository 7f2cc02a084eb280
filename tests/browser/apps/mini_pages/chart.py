"""One Altair chart and one line of markdown, the two things the infrastructure tests look for."""

import altair as alt
import pandas as pd
import streamlit as st

data = pd.DataFrame({"name": ["a", "b", "c"], "value": [3, 1, 2]})
st.markdown("Mini app: **chart page**")
chart = alt.Chart(data).mark_bar().encode(x="name:N", y="value:Q")
st.altair_chart(chart, alt="Values per name")
