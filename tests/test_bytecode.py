"""infra/bytecode.py: the bundles' modules compiled for the template's runtime, as pycs Lambda
uses whatever the sources' modification times; bytecode of another Python refused."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from infra import bytecode

HERE = f"{sys.version_info.major}.{sys.version_info.minor}"


def test_template_has_one_python_runtime():
    assert bytecode.runtime_version() == "3.12"


def test_every_module_compiled_unchecked_hash(tmp_path):
    package = tmp_path / "ApiFunction" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 41 + 1\n")
    assert bytecode.compile_bundles(tmp_path, version=HERE)
    pyc = package / "__pycache__" / f"__init__.{sys.implementation.cache_tag}.pyc"
    header = pyc.read_bytes()[:16]
    assert header[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(header[4:8], "little") == 0b01  # hash-based, source not checked
    # Used as it is: a changed source (and its time) does not make Python compile again.
    (package / "__init__.py").write_text("VALUE = 0\n")
    out = subprocess.run([sys.executable, "-B", "-c", "import pkg; print(pkg.VALUE)"], cwd=tmp_path / "ApiFunction",
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "42"


def test_a_module_that_does_not_compile_fails_the_step(tmp_path):
    (tmp_path / "broken.py").write_text("def (:\n")
    assert not bytecode.compile_bundles(tmp_path, version=HERE)


def test_another_python_is_refused(tmp_path):
    with pytest.raises(RuntimeError, match="would not be used"):
        bytecode.compile_bundles(tmp_path, version="3.99")
    assert not list(tmp_path.rglob("*.pyc"))
