"""Vendor the Swagger UI and ReDoc files that /docs and /redoc serve, so they work offline.

Fetches the two npm packages with `npm pack` (the registry's own client), copies the few files
the pages load plus the packages' licence files into core/agentaudit/server/vendor/, and writes
vendor/README.md with the versions and each file's SHA-256 (tests/test_docs_offline.py checks
the shipped files against it). Files are copied byte for byte.

    python scripts/vendor_docs_assets.py [--swagger-ui 5.35.0] [--redoc 2.5.4]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "core" / "agentaudit" / "server" / "vendor"
# npm package -> (folder under vendor/, licence, files taken from the package's tarball)
PACKAGES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "swagger-ui-dist": (
        "swagger-ui",
        "Apache-2.0",
        (
            "swagger-ui-bundle.js",
            "swagger-ui-bundle.js.LICENSE.txt",
            "swagger-ui.css",
            "LICENSE",
            "NOTICE",
        ),
    ),
    "redoc": (
        "redoc",
        "MIT",
        ("bundles/redoc.standalone.js", "bundles/redoc.standalone.js.LICENSE.txt", "LICENSE"),
    ),
}
README = """# Vendored assets of the API reference pages

`/docs` (Swagger UI) and `/redoc` (ReDoc) load these files from the server itself
(`agentaudit/server/apidocs.py`), never from a CDN, so the API reference works offline.
They are the npm registry's files, byte for byte, with the packages' licences beside them.
Regenerate with `python scripts/vendor_docs_assets.py --swagger-ui X --redoc Y`.

| folder | npm package | version | licence |
|---|---|---|---|
{packages}

| file | SHA-256 |
|---|---|
{files}
"""


def npm_pack(spec: str, into: Path) -> Path:
    """The package's tarball, fetched by npm."""
    done = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(into)],
        capture_output=True,
        text=True,
        check=True,
    )
    return into / done.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swagger-ui", default="5.35.0", help="swagger-ui-dist version")
    parser.add_argument("--redoc", default="2.5.4", help="redoc version")
    args = parser.parse_args()
    versions = {"swagger-ui-dist": args.swagger_ui, "redoc": args.redoc}
    rows, sums = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for package, (folder, licence, files) in PACKAGES.items():
            version = versions[package]
            with tarfile.open(npm_pack(f"{package}@{version}", Path(tmp))) as tar:
                tar.extractall(Path(tmp) / package, filter="data")
            target = VENDOR / folder
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for name in files:
                source = Path(tmp) / package / "package" / name
                shutil.copyfile(source, target / source.name)
                digest = hashlib.sha256(source.read_bytes()).hexdigest()
                sums.append(f"| `{folder}/{source.name}` | `{digest}` |")
            rows.append(f"| `{folder}/` | `{package}` | {version} | {licence} |")
    (VENDOR / "README.md").write_text(
        README.format(packages="\n".join(rows), files="\n".join(sums)), encoding="utf-8"
    )
    print(f"vendored {', '.join(f'{p} {v}' for p, v in versions.items())} into {VENDOR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
