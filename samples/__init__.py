"""The sample projects, installed as the package ``designer.samples``.

pyproject.toml maps ``designer.samples`` onto this folder, so a wheel carries the samples inside
the package and ``lookup-designer --demo`` finds them through ``importlib.resources`` wherever the
app is installed (``designer/demo/samples.py``). This file only makes the folder a package; the
samples themselves are the JSON and ``.env`` files beside it.
"""
