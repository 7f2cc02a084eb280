"""Stakeholder positions: the dataset model, loader, frames, analysis and charts.

This package imports no streamlit, so everything in it can be used and tested on its own.
"""

from positions.errors import DatasetError, Problem
from positions.load import DEFAULT_MAX_BYTES, load_dataset, load_dataset_bytes
from positions.model import Dataset

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Dataset",
    "DatasetError",
    "Problem",
    "load_dataset",
    "load_dataset_bytes",
]
