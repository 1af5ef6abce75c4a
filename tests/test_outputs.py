"""Output files: no command writes a file it read, none replaces a file without --force,
and every path that cannot be written is a located, bilingual problem with exit 2 — for
every command and every way it writes (-o, --out, --save, a script's save:, the prompt).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from conftest import EXAMPLES
from selection_rules.cli import app
from selection_rules.errors import InputError
from selection_rules.report.outputs import Spot, confined

runner = CliRunner()
CASE = EXAMPLES / "pengshan" / "ps7-below-80.yaml"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding a copy of a case (`case.yaml`) and one other file (`other.txt`)."""
    shutil.copy(CASE, tmp_path / "case.yaml")
    (tmp_path / "other.txt").write_text("keep me\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _diagram(target: str, *more: str) -> Result:
    return runner.invoke(app, ["diagram", "--case", "case.yaml", "-o", target, *more])


def _save(target: str, *more: str) -> Result:
    Path("status.yaml").write_text("- status\n", encoding="utf-8")
    return runner.invoke(app, ["simulate", "--from", "case.yaml", "--script", "status.yaml",
                               "--save", target, *more])


def _script_save(target: str, *more: str) -> Result:
    Path("save.yaml").write_text(f"- status\n- save: {json.dumps(target)}\n", encoding="utf-8")
    return runner.invoke(app, ["simulate", "--from", "case.yaml", "--script", "save.yaml",
                               *more])


WRITERS: dict[str, Callable[..., Result]] = {
    "diagram -o": _diagram, "simulate --save": _save, "script save:": _script_save}
WHERE = {"diagram -o": "--output: ", "simulate --save": "--save: ",
         "script save:": "save.yaml:2: "}

# target -> what the message says (English; the Chinese is checked once below)
REFUSED = {
    "case.yaml": "case.yaml is an input file of this run and is never written",
    "link.yaml": "link.yaml is an input file of this run and is never written",
    "other.txt": "other.txt already exists and is not replaced",
    "folder": "folder is a folder, not a file",
    "missing/out.yaml": "the folder missing does not exist, so missing/out.yaml cannot be",
}
NUL = "out\0.yaml"  # only a script or a prompt can give one: a command line cannot


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("target", REFUSED)
def test_a_target_that_cannot_be_written_is_refused_where_it_was_given(
        here: Path, writer: str, target: str) -> None:
    (here / "link.yaml").symlink_to("case.yaml")  # another name of the input
    before = {p: p.read_bytes() for p in here.iterdir() if p.is_file()}
    result = WRITERS[writer](target, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert WHERE[writer] + REFUSED[target] in result.output, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    for path, data in before.items():
        assert path.read_bytes() == data, f"{path.name} was written"
    made = {p.name for p in here.iterdir()} - {p.name for p in before} - {"folder"}
    assert made <= {"status.yaml", "save.yaml"}, made  # only the test's own scripts
    assert not list((here / "folder").iterdir())


def test_a_nul_in_a_saved_name_is_located(here: Path) -> None:
    result = _script_save(NUL, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "save.yaml:2: the file name contains a NUL character" in result.output
    answers = f"s\n{NUL}\nq\n"
    result = runner.invoke(app, ["simulate", "--from", "case.yaml", "--lang", "en"],
                           input=answers)
    assert "the file name contains a NUL character" in result.output
    assert "internal error" not in result.output


@pytest.mark.parametrize("writer", WRITERS)
def test_the_input_is_refused_even_with_force(here: Path, writer: str) -> None:
    result = WRITERS[writer]("case.yaml", "--force")
    assert result.exit_code == 2
    assert "case.yaml 是本次运行读取的输入文件，不会被改写" in result.output
    assert (here / "case.yaml").read_bytes() == CASE.read_bytes()


@pytest.mark.parametrize("writer", WRITERS)
def test_force_replaces_an_existing_file_and_a_new_file_needs_none(here: Path,
                                                                   writer: str) -> None:
    result = WRITERS[writer]("other.txt", "--force")
    assert result.exit_code in (0, 1), result.output
    assert (here / "other.txt").read_text(encoding="utf-8") != "keep me\n"
    result = WRITERS[writer]("new.out")
    assert result.exit_code in (0, 1), result.output
    assert (here / "new.out").stat().st_size > 0
    assert not [p for p in here.iterdir() if p.name.endswith(".tmp")]  # no temporary left


def test_a_script_may_save_twice_to_the_file_it_made(here: Path) -> None:
    Path("twice.yaml").write_text("- save: out.yaml\n- status\n- save: out.yaml\n",
                                  encoding="utf-8")
    result = runner.invoke(app, ["simulate", "--from", "case.yaml", "--script", "twice.yaml",
                                 "--save", "out.yaml"])
    assert result.exit_code == 1, result.output  # ps7-below-80 has its violation
    assert (here / "out.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server")


@pytest.mark.parametrize(("name", "says"), [
    ("/tmp/out.yaml", "/tmp/out.yaml is outside the script's folder"),
    ("../out.yaml", "../out.yaml is outside the script's folder"),
    ("sub/../../out.yaml", "sub/../../out.yaml is outside the script's folder"),
    ("away/out.yaml", "away/out.yaml leads out of the script's folder through a symbolic link"),
])
def test_a_script_saves_only_inside_its_folder(tmp_path: Path, name: str, says: str) -> None:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (folder / "away").symlink_to(tmp_path / "elsewhere")
    shutil.copy(CASE, folder / "case.yaml")
    script = folder / "s.yaml"
    script.write_text(f"- status\n- save: {name}\n", encoding="utf-8")
    result = runner.invoke(app, ["simulate", "--from", str(folder / "case.yaml"), "--script",
                                 str(script), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert f"{script}:2: {says}" in result.output and "field [1].save" in result.output
    assert not (tmp_path / "out.yaml").exists() and not list((tmp_path / "elsewhere").iterdir())


@given(st.lists(st.sampled_from(["a", "b", "..", ".", "c.yaml"]), min_size=1, max_size=5),
       st.booleans())
def test_confined_takes_exactly_the_relative_paths_without_dotdot(parts: list[str],
                                                                   absolute: bool) -> None:
    folder = Path(__file__).parent  # a real folder with no links in the generated names
    name = ("/" if absolute else "") + "/".join(parts)
    spot = Spot("s.yaml", 2, "[1].save")
    if absolute or ".." in parts:
        with pytest.raises(InputError) as exc:
            confined(folder, name, spot)
        [problem] = exc.value.problems
        assert (problem.file, problem.line, problem.field) == ("s.yaml", 2, "[1].save")
        assert "不在脚本所在的目录中" in problem.message.zh
    else:
        assert confined(folder, name, spot).resolve().is_relative_to(folder)


# ---------------------------------------------------------------------------- schema


def test_schema_prints_to_standard_output_and_writes_nothing(here: Path) -> None:
    before = sorted(os.listdir(here))
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    everything = json.loads(result.output)
    assert {"procedure", "case"} <= set(everything)
    case = json.loads(runner.invoke(app, ["schema", "case"]).output)
    assert case == everything["case"]
    assert sorted(os.listdir(here)) == before  # no ./schemas


def test_schema_out_refuses_to_replace_without_force(here: Path) -> None:
    assert runner.invoke(app, ["schema", "--out", "s"]).exit_code == 0
    (here / "s" / "case.schema.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["schema", "--out", "s", "--lang", "en"])
    assert result.exit_code == 2
    assert "--out: s/procedure.schema.json already exists and is not replaced" in result.output
    assert (here / "s" / "case.schema.json").read_text(encoding="utf-8") == "{}"
    assert runner.invoke(app, ["schema", "--out", "s", "--force"]).exit_code == 0
    assert (here / "s" / "case.schema.json").read_text(encoding="utf-8") != "{}"


@pytest.mark.parametrize(("out", "says"), [
    ("a/b", "the folder a/b does not exist"),
    ("other.txt", "other.txt is not a folder"),
])
def test_schema_out_that_cannot_be_a_folder_is_located(here: Path, out: str, says: str,
                                                       ) -> None:
    result = runner.invoke(app, ["schema", "--out", out, "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert f"--out: {says}" in result.output
    assert "internal error" not in result.output


def test_unknown_schema_name_is_bad_input() -> None:
    result = runner.invoke(app, ["schema", "nope", "--lang", "en"])
    assert result.exit_code == 2 and "unknown format 'nope'" in result.output


# ---------------------------------------------------------------------------- prompts


def test_quitting_with_unsaved_changes_asks_first(here: Path) -> None:
    # resume, change a figure, q -> asked; "n" goes back; q again -> "y" leaves.
    answers = "w\nevents[3].ballot.tallies.C03.agree=95\nq\nn\nq\ny\n"
    result = runner.invoke(app, ["simulate", "--from", "case.yaml", "--lang", "en"],
                           input=answers)
    assert result.output.count("there are unsaved changes; quit without saving? (y/N)") == 2
    assert result.output.count("step number, or u undo") >= 3  # n went back to the menu


def test_quitting_an_untouched_case_does_not_ask(here: Path) -> None:
    result = runner.invoke(app, ["simulate", "--from", "case.yaml", "--lang", "en"],
                           input="q\n")
    assert "unsaved" not in result.output


def test_saving_at_the_prompt_asks_before_replacing_and_refuses_the_input(here: Path) -> None:
    answers = "s\nother.txt\nn\ns\ncase.yaml\ns\nother.txt\ny\nq\n"
    result = runner.invoke(app, ["simulate", "--from", "case.yaml", "--lang", "en"],
                           input=answers)
    assert "other.txt already exists; replace it? (y/N)" in result.output
    # Declined: said once, with no advice to use --force to the user who just chose.
    declined = result.output.split("replace it? (y/N)")[1].split("step number")[0]
    assert "not saved; other.txt is left as it is" in declined
    assert "--force" not in declined and declined.count("other.txt") == 1
    assert "case.yaml is an input file of this run and is never written" in result.output
    assert (here / "case.yaml").read_bytes() == CASE.read_bytes()
    assert "Saved other.txt" in result.output
    assert (here / "other.txt").read_text(encoding="utf-8").startswith("# yaml-language-server")


@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
def test_standard_output_named_as_the_output_is_printed_not_checked_as_a_file(
        target: str) -> None:
    result = runner.invoke(app, ["diagram", "pengshan-five-votes", "-o", target])
    assert result.exit_code == 0, result.output
    assert result.output == runner.invoke(app, ["diagram", "pengshan-five-votes"]).output
    assert "flowchart" in result.output or "graph" in result.output
