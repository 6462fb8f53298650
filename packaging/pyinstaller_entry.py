"""Entry script of the PyInstaller bundle: the same ``main`` as the ``lookup-designer`` command."""

import sys

from designer.cli import main

if __name__ == "__main__":
    sys.exit(main())
