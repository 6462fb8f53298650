"""Subcommands of ``lookup-designer``: each module has ``add_arguments(parser)`` and ``run(args)``."""
