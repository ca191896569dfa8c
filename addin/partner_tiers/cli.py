"""The ``partner-tiers`` command line.

Exit codes: 0 success, 1 bad input (an unknown program, a broken definition file, a
revenue that is not a number), 2 wrong usage.

>>> main(["tier", "45000"])
sophos-2019: Silver. Gold needs 15,000.00 EUR more revenue.
0
>>> main(["tier", "59500", "--lang", "pl"])
sophos-2019: Silver. Do poziomu Gold brakuje 500,00 EUR obrotu.
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, cells, programs
from .explanations import LANGUAGES, explain
from .rules import assess

EXAMPLES = """\
examples:
  partner-tiers tier 45000
  partner-tiers tier 180000 --program sophos-pre-2019 --lang pl
  partner-tiers tier 250000 --certified-sales 2 --certified-engineers 1
  partner-tiers programs
  partner-tiers templates --out my_templates
"""


class BadInput(Exception):
    """Input the user can correct; the message says what to do."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partner-tiers",
        description="Vendor partner-program tiers: which tier, what the next one needs.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    tier = commands.add_parser(
        "tier",
        help="the tier for one revenue figure, the next tier and the gap to it",
        description="Print the tier a partner is in and what the next tier still needs.",
        epilog="examples:\n  partner-tiers tier 45000\n"
        "  partner-tiers tier 59999.99 --program sophos-2019\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tier.add_argument("revenue", help="prior-fiscal-year revenue in the program currency")
    tier.add_argument("--program", help="program id (default: %(default)s)",
                      default=programs.ProgramRegistry.default_id())  # fmt: skip
    tier.add_argument("--certified-sales", type=int, default=None, metavar="N",
                      help="certified sales people (default: 0)")  # fmt: skip
    tier.add_argument("--certified-engineers", type=int, default=None, metavar="N",
                      help="certified engineers (default: 0)")  # fmt: skip
    tier.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the answer")

    commands.add_parser(
        "programs",
        help="list the available programs and where each is defined",
        description="List every program with its vendor, currency and definition file. "
        f"Add your own with the {programs.PROGRAMS_PATH_VARIABLE} environment variable.",
    )
    templates = commands.add_parser(
        "templates",
        help="write the four template workbooks (portfolio review and QBR, en and pl)",
        description="Write the template workbooks that channel managers fill in during "
        "quarterly partner reviews. They are the files committed in workbook_templates/.",
        epilog="examples:\n  partner-tiers templates --out my_templates\n"
        "  partner-tiers templates --out workbook_templates --force\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    templates.add_argument("--out", default="workbook_templates", metavar="DIR",
                           help="folder to write into (default: %(default)s)")  # fmt: skip
    templates.add_argument("--force", action="store_true", help="replace files that exist")
    return parser


def _templates(args: argparse.Namespace) -> None:
    from .workbooks import files, templates

    try:
        for path in templates.write_templates(Path(args.out), overwrite=args.force):
            print(path)
    except (files.OutputExists, files.OutputLocked) as exc:
        raise BadInput(str(exc)) from None


def _tier(args: argparse.Namespace) -> None:
    try:
        revenue = cells.money(args.revenue, "revenue")
        sales = cells.count(args.certified_sales, "--certified-sales")
        engineers = cells.count(args.certified_engineers, "--certified-engineers")
    except cells.CellError as exc:
        raise BadInput(exc.problem) from None
    if revenue is None:
        raise BadInput("revenue is empty; give a number such as 45000")
    program = programs.get_program(args.program)
    print(f"{program.id}: {explain(assess(program, revenue, sales, engineers), args.lang)}")


def _programs(_: argparse.Namespace) -> None:
    default = programs.ProgramRegistry.default_id()
    for source in programs.registry.sources():
        p = source.program
        where = str(source.path)
        if source.overrides:
            where += f" (overrides the built-in {source.overrides.name})"
        mark = "*" if p.id == default else " "
        print(f"{mark} {p.id:<20} {p.currency}  {p.name}\n  {'':<20} {where}")
    print("* default program")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    handlers = {"tier": _tier, "programs": _programs, "templates": _templates}
    try:
        handlers[args.command](args)
    except (BadInput, programs.ProgramError) as exc:
        print(f"partner-tiers: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
