"""Folders are walked file by file, in the order and by the rule of `sorted(rglob)`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from selection_rules.engine.library import SUFFIXES
from selection_rules.engine.pipeline import Pipeline
from selection_rules.engine.validation import expand, walk

names = st.sampled_from(["a", "a.yaml", "a-b.json", "B.yaml", "b", "z.yml", ".hidden",
                         ".h.yaml", "x.txt", "中.yaml", "a b.json", "0.json", "a.yaml.bak"])
trees = st.recursive(st.just("file"),
                     lambda sub: st.dictionaries(names, sub, max_size=4), max_leaves=20)


def _make(root: Path, tree: object) -> None:
    assert isinstance(tree, dict)
    for name, sub in tree.items():
        if sub == "file":
            (root / name).write_text("x", encoding="utf-8")
        else:
            (root / name).mkdir()
            _make(root / name, sub)


def _rglob(folder: Path) -> list[str]:
    """The rule walk follows, said the slow way: every file under the folder, sorted, none
    under a hidden folder or hidden itself (rglob does not follow a link to a folder)."""
    return [str(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix in SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)]


@settings(max_examples=60, deadline=None)
@given(tree=st.dictionaries(names, trees, max_size=5), links=st.booleans(),
       spelled=st.sampled_from(["{}", "{}/", "./{}"]))
def test_walk_lists_what_expand_lists(tree: dict[str, object], links: bool,
                                      spelled: str) -> None:
    with tempfile.TemporaryDirectory() as base:
        root = Path(base) / "cases"
        root.mkdir()
        _make(root, tree)
        if links:  # a link to a file counts, a link to a folder is not followed
            (root / "link.yaml").symlink_to(root / "nothing-there.yaml")
            (root / "to-folder").symlink_to(root, target_is_directory=True)
            if any(v == "file" for v in tree.values()):
                first = next(k for k, v in tree.items() if v == "file")
                (root / "also.yaml").symlink_to(root / first)
        os.chdir(base)
        try:
            raw = spelled.format("cases")
            expected = _rglob(Path(raw))
            assert list(walk(str(Path(raw)))) == expected
            assert [str(p) for p in expand([raw])[0]] == expected
            tasks, problems = Pipeline.plan(None, [raw])  # type: ignore[arg-type]
            assert not problems and [name for name, _ in tasks] == expected
            assert len(tasks) == len(expected)
        finally:
            os.chdir(Path(__file__).resolve().parents[1])


def test_a_folder_gone_or_unreadable_has_nothing_in_it(tmp_path: Path) -> None:
    """A folder removed while a run walks the tree above it is passed over, not an error."""
    assert list(walk(str(tmp_path / "gone"))) == []
    (tmp_path / "file.yaml").write_text("x", encoding="utf-8")
    assert list(walk(str(tmp_path / "file.yaml"))) == []  # not a folder: nothing under it


def test_a_list_of_mappings_in_a_folder_is_bad_input_not_a_crash(tmp_path: Path) -> None:
    # Telling simulation scripts apart looked each item up among the script's actions,
    # and a mapping (or list) item that is not a script step raised TypeError.
    from typer.testing import CliRunner

    from selection_rules.cli import app

    (tmp_path / "people.yaml").write_text("- {name: 甲, born: 1985}\n- [1, 2]\n",
                                          encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 2 and "people.yaml:1" in result.output
    assert "internal error" not in result.output
