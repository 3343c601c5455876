"""notebooks/audit.ipynb runs top to bottom (audits the corpus test split and the real notices)."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "audit.ipynb"


def test_audit_notebook_executes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVA_AUDIT_OUT", str(tmp_path))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell

    text = "\n".join(
        str(output.get("text", "")) + str(output.get("data", {}).get("text/plain", ""))
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    svgs = sum(
        "image/svg+xml" in output.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    assert "19 documents" in text and "verdict agrees with the label" in text
    assert svgs >= 3
    for name in ("assessments.csv", "assessments.xlsx", "summary.csv", "report.html"):
        assert (tmp_path / "corpus-test" / name).is_file()
    if Path("/work/shared/corpus-real/ocds-notices").is_dir():
        assert "47 notices" in text
        assert (tmp_path / "real-notices" / "report.html").is_file()
