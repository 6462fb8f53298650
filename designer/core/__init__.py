"""The Qt-free core: config contract, rendering, fetching, JSONPath and mapping.

Nothing below this package may import Qt; the window, the CLI and the headless runtime all
call these functions, so the preview is by construction what production executes.
"""
