"""Compile the Lambda bundles that `sam build` made to bytecode, for the functions' runtime.

`sam build` ships sources only, and a function's code directory is read-only on Lambda: without
`.pyc` files every cold start compiles each module it imports again (some 650 for the API
function, about two thirds of its import's CPU time: `bench/cold_start.py --bundle`). Run
after `sam build` with the Python of template.yaml's runtime (bytecode differs between minor
versions; another Python is refused). The files are unchecked-hash pycs, used whatever the
sources' modification times: `sam deploy` zips every file (these included) dated 1980-01-01
(samcli's make_zip), which a timestamp pyc would never match.

    python3.12 -m infra.bytecode [.aws-sam/build]
"""

from __future__ import annotations

import compileall
import py_compile
import re
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
TEMPLATE = ROOT / "template.yaml"


def runtime_version(template: Path = TEMPLATE) -> str:
    """The one Python version ("3.12") of the template's functions."""
    versions = set(re.findall(r"^\s*Runtime:\s*python(\d+\.\d+)\s*$", template.read_text(), re.MULTILINE))
    if len(versions) != 1:
        raise ValueError(f"{template}: expected one python runtime, found {sorted(versions) or 'none'}")
    return versions.pop()


def compile_bundles(build_dir: Path, version: str | None = None) -> bool:
    """Every module under `build_dir` compiled; False if one would not compile."""
    version = version or runtime_version()
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    if here != version:
        raise RuntimeError(f"the functions run Python {version}; bytecode made by Python {here} would not be used")
    if not build_dir.is_dir():
        raise FileNotFoundError(f"{build_dir}: run `sam build` first")
    return compileall.compile_dir(str(build_dir), quiet=1, workers=0,
                                  invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)


def main() -> int:
    build_dir = Path(sys.argv[1] if len(sys.argv) > 1 else ".aws-sam/build")
    try:
        ok = compile_bundles(build_dir)
    except (RuntimeError, FileNotFoundError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
