"""The built-in exporters. Each module is an ordinary plugin (see storyfacts.plugins)."""
