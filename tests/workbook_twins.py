"""The shipped workbook twins of the Five Votes and Zigong examples, made from the YAML.

    python tests/workbook_twins.py           # write examples/workbooks/<folder>/<name>.xlsx
    python tests/workbook_twins.py --check   # exit 1 if any differs from what it would write

Each YAML case of examples/pengshan and examples/zigong is laid out as the sheets a clerk
keeps (selection_rules.workbook.write.to_grid); test_workbook.py holds each twin to the
same violations as its YAML.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from selection_rules.source.loading import load_document  # noqa: E402
from selection_rules.workbook.write import to_grid, xlsx_bytes  # noqa: E402

FOLDERS = ("pengshan", "zigong")
TWINS = ROOT / "examples" / "workbooks"


def pairs() -> list[tuple[Path, Path]]:
    """(YAML example, its workbook twin) for every case of the two folders."""
    return [(yaml, TWINS / folder / (yaml.stem + ".xlsx"))
            for folder in FOLDERS
            for yaml in sorted((ROOT / "examples" / folder).glob("*.yaml"))]


def twin(yaml: Path) -> bytes:
    return xlsx_bytes(to_grid(load_document(yaml).data))


def main(argv: list[str]) -> int:
    stale = []
    for yaml, xlsx in pairs():
        data = twin(yaml)
        if "--check" in argv:
            if not xlsx.is_file() or xlsx.read_bytes() != data:
                stale.append(xlsx)
            continue
        xlsx.parent.mkdir(parents=True, exist_ok=True)
        xlsx.write_bytes(data)
    for path in stale:
        print(f"out of date: {path.relative_to(ROOT)}")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
