"""Subcommands of the ``zhibu`` command line."""
