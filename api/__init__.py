"""The web layer: FastAPI app serving the upload page and the assessment API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("social-value-analyser")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
