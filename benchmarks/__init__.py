"""Performance benchmarks: synthetic datasets (`generate`) and the side-by-side runner (`run`)."""
