"""The Time page, quick log, timer and calendar import review."""
