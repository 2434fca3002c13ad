"""setuptools build steps; the project's metadata is in pyproject.toml.

The wheel carries the mypyc-compiled classifier for the platform it is built on: after copying
the package, the build step compiles `agentaudit.classifier._speedups.SOURCES` into the wheel's
`agentaudit/classifier/_compiled/` with scripts/build_speedups.py (the build `make` runs in the
source tree), and the wheel is then tagged for this interpreter and platform. Where that cannot
be done (no C compiler) or is not wanted (AGENTAUDIT_BUILD_PURE=1), the wheel is pure Python,
tagged py3-none-any, and classifies the same, slower. Editable installs compile nothing: `make`
builds into the source tree.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

sys.path.insert(0, str(Path(__file__).resolve().parent / "scripts"))
from build_speedups import compile_classifier  # noqa: E402

PURE_ENV = "AGENTAUDIT_BUILD_PURE"
WARN = logging.WARNING  # what the build says about the classifier is shown, not hidden


def _compiled_dir(build_lib: str) -> Path:
    return Path(build_lib) / "agentaudit" / "classifier" / "_compiled"


class BuildPyCompilingTheClassifier(build_py):
    """build_py, then the compiled classifier beside the sources it was built from."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        out = _compiled_dir(self.build_lib)
        if os.environ.get(PURE_ENV, "") not in ("", "0"):
            shutil.rmtree(out, ignore_errors=True)
            self.announce(f"{PURE_ENV} is set: the wheel's classifier is pure Python", WARN)
            return
        compile_classifier(
            Path(self.build_lib) / "agentaudit", out, log=lambda m: self.announce(m, WARN)
        )


class BdistWheelTaggedByContent(bdist_wheel):
    """A platform wheel when it carries compiled modules, a pure one when it does not."""

    def run(self) -> None:
        self.run_command("build")  # then super().run() finds it done
        build_lib = self.get_finalized_command("build_py").build_lib
        compiled = _compiled_dir(build_lib).exists()
        self.root_is_pure = not compiled
        if compiled:  # installed as platform code (platlib), like any extension module
            self.distribution.has_ext_modules = lambda: True  # type: ignore[method-assign]
        super().run()


setup(
    cmdclass={"build_py": BuildPyCompilingTheClassifier, "bdist_wheel": BdistWheelTaggedByContent}
)
