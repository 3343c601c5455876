"""The web layer: FastAPI app serving the upload page and the assessment API."""
