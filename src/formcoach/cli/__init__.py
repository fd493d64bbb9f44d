"""The ``formcoach`` command line: a thin shell over the library."""
