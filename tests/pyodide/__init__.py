"""xlwings Lite's runtime for the tests: an xlwings stand-in, Lite's call path, Pyodide."""
