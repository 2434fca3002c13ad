"""The package's version: read by pyproject.toml (setuptools `attr:`), the CLI and the SDK."""

__version__ = "0.1.0"
