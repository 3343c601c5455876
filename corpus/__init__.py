"""Authored tender corpus: YAML sources, renderers (PDF/DOCX) and the label build."""
