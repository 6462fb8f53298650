"""Customer Lookup Designer: design, test and export Ka-ching Customer Lookup integrations."""

__version__ = "0.1.0"
