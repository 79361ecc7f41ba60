"""Developer tools: screenshots and benchmarks of the desktop app.

Kept out of the wheel; no product module imports this.
"""
