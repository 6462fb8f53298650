"""The PySide6 designer window. The only package that imports Qt; everything else is in the core."""
