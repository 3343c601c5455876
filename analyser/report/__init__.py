"""Report: the assessment as a human summary (terminal) or a self-contained HTML page."""
