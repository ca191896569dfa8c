"""partner-tiers: vendor partner-program tiers for Excel.

The package is built in layers; each imports only from the layers below it (a test holds this):

- :mod:`partner_tiers.rules`: the program definitions (data files) and the rules, pure Python:
  tiers, projections, certifications as the audit counts them;
- :mod:`partner_tiers.files`: reading untrusted XLSX files, writing output atomically, safe
  file names, PDF through LibreOffice;
- :mod:`partner_tiers.excel`: the Excel edge: cell values, the functions, the add-in install
  on Windows, the bundle for xlwings Lite;
- :mod:`partner_tiers.formulas`: computes workbooks outside Excel, handed the functions;
- :mod:`partner_tiers.workbooks`: the openpyxl builders of the review and QBR workbooks, for
  either runtime (classic xlwings or Lite);
- :mod:`partner_tiers.records`: a review's records (partner, action, certification row,
  settings), below the builders and the workflow that share them;
- :mod:`partner_tiers.review`: the quarterly workflow: sales and certification imports,
  filled review, terminal summary, QBR pack, values-only snapshot;
- :mod:`partner_tiers.cli`: the command line, on top;

and below them all :mod:`.errors`, :mod:`.texts`, :mod:`.grids`, :mod:`.limits`,
:mod:`.error_values` and :mod:`.wording`, which import nothing of the package but each other.
"""

from importlib import metadata

try:  # one version, in pyproject.toml; xlwings Lite's main.py carries its metadata too
    __version__ = metadata.version("partner-tiers")
except metadata.PackageNotFoundError:  # the source tree, never installed
    __version__ = "0+unknown"
