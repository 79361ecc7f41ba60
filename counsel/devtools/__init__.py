"""Developer tools: benchmarks (``python -m counsel.devtools``).

Not part of the installed package; no product module imports this.
"""
