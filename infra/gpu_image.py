"""Does the Modal GPU image's package list install? Resolved for the image's own platform
(CPython 3.12, manylinux x86_64, wheels only) against the public index, isolated from this
machine's pip configuration, then every resolved package's requirements are checked against
the resolved versions (what `pip check` does after an install).

    python -m infra.gpu_image        # needs the network to PyPI; run by infra/check.sh

Where the index serves wheel metadata on its own (PEP 658, as pypi.org does) this reads metadata
only. An index without it makes pip download every wheel to read its metadata, about 4 GB for
this image (torch and the CUDA libraries): 4 to 8 minutes on 2026-12-06 on this project's shared
2-core machine, which is why this runs in infra/check.sh and not in pytest. GPU_IMAGE_RESOLVE_TIMEOUT_S bounds it (default 1200).

`modal deploy` would otherwise be the first to find a conflict, after minutes of image build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).parents[1]
PYTHON = "3.12"
# Modal's image is Ubuntu 22.04 (glibc 2.35): every manylinux tag up to that one installs.
PLATFORMS = [f"manylinux_2_{minor}_x86_64" for minor in range(35, 4, -1)] + [
    "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]
TARGET_ENV = {**default_environment(), "python_version": PYTHON, "python_full_version": f"{PYTHON}.0",
              "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
              "implementation_name": "cpython", "platform_python_implementation": "CPython", "os_name": "posix"}


def spec() -> dict:
    return tomllib.loads((ROOT / "gpu_app" / "image.toml").read_text())


def requirements() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from gpu_app.app import _name, image_packages

    skip = {canonicalize_name(n) for n in spec().get("sdist_only", [])}
    return [r for r in image_packages(ROOT) if _name(r) not in skip]


def resolve(reqs: list[str], timeout_s: float = float(os.environ.get("GPU_IMAGE_RESOLVE_TIMEOUT_S", 1200))) -> dict:
    """pip's installation report for `reqs` on the image's platform (nothing is installed)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "pip", "install", "--isolated", "--dry-run", "--ignore-installed",
               "--disable-pip-version-check", "--index-url", "https://pypi.org/simple",
               "--target", str(Path(tmp) / "target"), "--python-version", PYTHON, "--implementation", "cp",
               "--only-binary", ":all:", "--report", str(report), "--quiet"]
        for platform in PLATFORMS:
            cmd += ["--platform", platform]
        done = subprocess.run(cmd + reqs, capture_output=True, text=True, timeout=timeout_s)
        if done.returncode != 0:
            raise SystemExit("the GPU image's packages do not resolve:\n" + done.stderr[-4000:])
        return json.loads(report.read_text())


def broken_requirements(report: dict) -> list[str]:
    """`pip check` on the resolved set: each package's requirements met by the versions chosen."""
    versions = {canonicalize_name(i["metadata"]["name"]): Version(i["metadata"]["version"]) for i in report["install"]}
    problems = []
    for item in report["install"]:
        meta = item["metadata"]
        for text in meta.get("requires_dist") or []:
            req = Requirement(text)
            if req.marker and not req.marker.evaluate({**TARGET_ENV, "extra": ""}):
                continue
            have = versions.get(canonicalize_name(req.name))
            if have is None:
                problems.append(f"{meta['name']} {meta['version']} requires {req}, which is not installed")
            elif not req.specifier.contains(have, prereleases=True):
                problems.append(f"{meta['name']} {meta['version']} requires {req}, but {have} is chosen")
    return problems


def main() -> int:
    started = time.monotonic()
    reqs = requirements()
    report = resolve(reqs)
    chosen = {canonicalize_name(i["metadata"]["name"]): i["metadata"]["version"] for i in report["install"]}
    problems = broken_requirements(report)
    for req in map(Requirement, reqs):
        pinned = next((str(s.version) for s in req.specifier if s.operator == "=="), None)
        if pinned and chosen.get(canonicalize_name(req.name)) != pinned:
            problems.append(f"{req.name}: pinned {pinned}, resolved {chosen.get(canonicalize_name(req.name))}")
    cuda13 = sorted(n for n in chosen if n.endswith("-cu13"))
    if cuda13:
        problems.append(f"CUDA 13 packages next to torch {chosen.get('torch')}: {cuda13}")
    if problems:
        print("GPU image:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"GPU image: {len(chosen)} packages resolve for CPython {PYTHON} manylinux x86_64, requirements met "
          f"(torch {chosen['torch']}, transformers {chosen['transformers']}; {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
