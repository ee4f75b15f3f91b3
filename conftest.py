"""Collection rules for the doctests inside the package (tests/conftest.py is for tests/)."""

import importlib.util

# The web checker needs the optional 'web' extra; without it its modules are not collected.
collect_ignore_glob = [] if importlib.util.find_spec("starlette") else ["symjac/web/*.py"]
