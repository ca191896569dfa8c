"""xlwings Lite: the bundle `partner-tiers lite` writes, the functions called as Lite calls
them (tests/pyodide/lite_runtime.py, which follows xlwings' Lite source), and the same
calls inside Pyodide under Node, whose every answer must equal CPython's."""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import subprocess
import sys

import pytest

from partner_tiers import __version__, cli
from partner_tiers.excel import lite, udfs

from .fixtures import EXPECTED
from .lite_calls import CALLS, DATE_2025_01_01, DIV0
from .pyodide import launch


def _runtime():
    """lite_runtime as a module (it imports no xlwings of its own)."""
    spec = importlib.util.spec_from_file_location("lite_runtime", launch.HERE / "lite_runtime.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


runtime = _runtime()


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("lite")
    assert cli.main(["lite", "--out", str(out / "bundle")]) == 0
    return out / "bundle"


@pytest.fixture(scope="module")
def calls_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("calls") / "calls.json"
    path.write_text(json.dumps(CALLS), "utf-8")
    return path


@pytest.fixture(scope="module")
def in_cpython(bundle, calls_file, tmp_path_factory):
    """The calls in CPython, with the xlwings stand-in in place of xlwings."""
    return launch.in_cpython(bundle, calls_file, tmp_path_factory.mktemp("cpython"))


@pytest.fixture(scope="module")
def in_pyodide(bundle, calls_file, tmp_path_factory):
    node = launch.node()
    if node is None:
        pytest.skip("Node.js is not installed (.ci/run installs it): Pyodide cannot run")
    work = tmp_path_factory.mktemp("pyodide")
    return launch.in_pyodide(node, None, bundle, calls_file, work)  # main.py alone


# --- the bundle ---------------------------------------------------------------------------


def test_the_bundle_has_the_two_tabs_and_the_steps(bundle):
    assert sorted(p.name for p in bundle.iterdir()) == ["HOW_TO.md", "main.py", "requirements.txt"]
    # xlwings only, and no comment line: main.py carries partner-tiers.
    lines = (bundle / "requirements.txt").read_text("utf-8").splitlines()
    assert lines == [f"xlwings>={lite.XLWINGS_FOR_LITE}"]
    how_to = (bundle / "HOW_TO.md").read_text("utf-8")
    assert "requirements.txt" in how_to and "=PROGRAM_DEFINE(" in how_to
    assert "=PARTNER_TIERS_VERSION()" in how_to and "paste it over the old one" in how_to
    main = (bundle / "main.py").read_text("utf-8")
    assert f'PARTNER_TIERS_CARRIED = "{__version__}"' in main
    assert main.startswith(f'"""partner-tiers {__version__}')


def test_main_py_alone_brings_the_functions_and_nothing_else(bundle, tmp_path):
    """main.py in a Python with neither partner-tiers nor openpyxl, defusedxml, stdnum: it
    registers every function from what it carries."""
    (tmp_path / "xlwings").mkdir()
    (tmp_path / "xlwings" / "__init__.py").write_text(
        (launch.HERE / "lite_xlwings.py").read_text("utf-8"), "utf-8"
    )
    script = (
        "import json, runpy, sys\n"
        f"found = runpy.run_path({str(bundle / 'main.py')!r})\n"
        "names = sorted(n for n, v in found.items() if hasattr(v, '__xlfunc__'))\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules})\n"
        "version = found['PARTNER_TIERS_VERSION']()\n"
        "print(json.dumps([names, loaded, found['PARTNER_TIER'](45000), version]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", script],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path), "PATH": os.defpath},
        check=True,
    )
    names, loaded, answer, version = json.loads(done.stdout)
    assert names == sorted(udfs.FUNCTIONS) and answer == "Silver"
    assert version == __version__  # read from the metadata main.py carries
    assert not {"openpyxl", "defusedxml", "stdnum"} & set(loaded)


def test_main_py_is_one_file_per_version_and_small(bundle):
    """The same partner-tiers gives the same main.py; its size is measured by bench/."""
    assert lite.main_py() == (bundle / "main.py").read_text("utf-8")
    assert len(lite.main_py().encode()) < 200_000


def test_from_an_index_or_a_wheel_main_py_only_imports(tmp_path):
    assert cli.main(["lite", "--out", str(tmp_path), "--from-index"]) == 0
    assert (tmp_path / "requirements.txt").read_text("utf-8").splitlines() == [
        f"xlwings>={lite.XLWINGS_FOR_LITE}",
        f"partner-tiers=={__version__}",
    ]
    namespace: dict = {}
    exec((tmp_path / "main.py").read_text("utf-8"), namespace)
    brought = {name for name in namespace if not name.startswith("__")}
    assert brought == set(udfs.FUNCTIONS)
    assert all(namespace[name] is udfs.FUNCTIONS[name] for name in brought)  # the same objects


def test_the_bundle_is_not_written_over_without_force(bundle, capsys):
    assert cli.main(["lite", "--out", str(bundle)]) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert cli.main(["lite", "--out", str(bundle), "--force"]) == 0


@pytest.mark.parametrize(
    "url", ["http://x.example/p.whl", "https://x.example/p.tar.gz", "https://x/p.whl\nevil==1"]
)
def test_a_wheel_url_lite_cannot_install_from_is_refused(tmp_path, capsys, url):
    assert cli.main(["lite", "--out", str(tmp_path / "b"), "--wheel", url]) == 1
    assert "is not the https address of a .whl file" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()


def test_a_wheel_url_replaces_the_pinned_package(tmp_path):
    url = f"https://files.example.com/partner_tiers-{__version__}-py3-none-any.whl"
    assert cli.main(["lite", "--out", str(tmp_path), "--wheel", url]) == 0
    assert (tmp_path / "requirements.txt").read_text("utf-8").splitlines()[-1] == url


# --- registration and calls as Lite makes them (CPython) ----------------------------------


def test_lite_registers_every_function_by_its_own_name(in_cpython):
    registered = {f["name"]: f for f in in_cpython["meta"]}
    assert sorted(registered) == sorted(udfs.FUNCTIONS)  # no namespace, no second list
    for name, function in registered.items():
        assert function["description"] == udfs.FUNCTIONS[name].__doc__
        signature = ", ".join(
            ("Optional " if p["optional"] else "") + p["name"] for p in function["parameters"]
        )
        assert signature == EXPECTED[name]
        assert all(p["description"].endswith(".") for p in function["parameters"])


def test_category_is_ignored_by_lite(in_cpython):
    assert {tuple(f["ignored"]) for f in in_cpython["meta"]} == {("category",)}


def test_the_table_calls_every_function_at_least_forty_times():
    assert len(CALLS) >= 40
    assert {name for name, _ in CALLS} == set(udfs.FUNCTIONS)


def _answer(name: str, *args) -> list:
    """What a Windows (classic) call answers, in the shape Excel receives in Lite."""
    return runtime._write(udfs.FUNCTIONS[name](*args))


def _lite(in_cpython, name: str, args: list) -> list:
    return in_cpython["results"][CALLS.index((name, args))]


def test_a_one_cell_range_arrives_as_a_single_value(in_cpython):
    assert runtime._to_scalar([[45000]]) == 45000
    assert _lite(in_cpython, "PARTNER_TIER", [[[45000]]]) == _answer("PARTNER_TIER", [[45000]])
    assert _lite(in_cpython, "GAP_TO_NEXT", [[[45000]], [["sophos-2019"]]]) == [[15000.0]]


def test_a_date_cell_arrives_as_its_serial_number(in_cpython):
    """Lite cannot tell a date from a number: a date in a revenue cell is read as the
    number it is (Windows says the cell holds a date)."""
    assert _lite(in_cpython, "PARTNER_TIER", [DATE_2025_01_01]) == _answer(
        "PARTNER_TIER", [[DATE_2025_01_01]]
    )
    assert _answer("PARTNER_TIER", [[datetime.datetime(2025, 1, 1)]]) == [
        ["#VALUE! revenue is a date or time, not a number"]
    ]
    assert _lite(in_cpython, "PROJECTED_TIER", [30000, DATE_2025_01_01]) == [
        [f"#VALUE! quarters_elapsed must be from 1 to 4, not {DATE_2025_01_01}"]
    ]


def test_an_error_cell_arrives_as_an_object_and_is_read_as_its_text(in_cpython):
    assert runtime._read(DIV0, {"ndim": 2, "err_to_str": True}) == [["#DIV/0!"]]
    assert runtime._read(DIV0, {}) is None  # without err_to_str Lite hands over nothing
    assert _lite(in_cpython, "NEXT_TIER", [DIV0]) == _answer("NEXT_TIER", [["#DIV/0!"]])


def test_every_parameter_is_read_with_err_to_str(in_cpython):
    """Without err_to_str an error cell would arrive as None: a blank, silently."""
    options = [p["options"] for f in in_cpython["meta"] for p in f["parameters"]]
    assert options and all(o.get("err_to_str") is True for o in options)


def test_a_blank_result_becomes_empty_text(in_cpython):
    assert _answer("PARTNER_TIER", None) == [[""]]
    assert _lite(in_cpython, "PARTNER_TIER", [None]) == [[""]]
    assert _lite(in_cpython, "DEMOTION_RISK", [20000, 2, None]) == [[""]]


def test_a_message_is_never_turned_into_an_excel_error(in_cpython):
    """Lite turns a text that is exactly an error value into that error: the functions'
    messages always say more than the code, so they stay text."""
    texts = [c for r in in_cpython["results"] for row in r for c in row if isinstance(c, str)]
    assert any(t.startswith("#VALUE! ") for t in texts)
    assert not [c for r in in_cpython["results"] for row in r for c in row if isinstance(c, dict)]


# --- the same calls in Pyodide ------------------------------------------------------------


@pytest.mark.slow
def test_pyodide_answers_every_call_as_cpython_does(in_cpython, in_pyodide):
    assert len(in_pyodide["results"]) == len(CALLS) >= 40
    for (name, args), ours, theirs in zip(
        CALLS, in_cpython["results"], in_pyodide["results"], strict=True
    ):
        assert json.dumps(theirs) == json.dumps(ours), (name, args)
    assert in_pyodide["meta"] == in_cpython["meta"]


@pytest.mark.slow
def test_pyodide_loads_the_functions_without_openpyxl_or_defusedxml(in_pyodide):
    assert not {"openpyxl", "defusedxml", "stdnum"} & set(in_pyodide["modules"])
    assert in_pyodide["python"].startswith("3.")


def test_lite_help_describes_the_road_without_an_index_first(capsys):
    with pytest.raises(SystemExit):
        cli.main(["lite", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    carries = text.index("main.py carries partner-tiers itself")
    assert carries < text.index("--wheel URL or --from-index")
