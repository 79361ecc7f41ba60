"""The Week page: appointments of a week, day by day."""
