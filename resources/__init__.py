"""The files the app ships, installed as the package ``designer.resources``.

pyproject.toml maps ``designer.resources`` onto this folder, so the files live at the top of the
repository and inside every installed copy of the app; code finds them through
``importlib.resources``. This file only makes the folder a package.
"""
