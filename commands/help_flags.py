"""Help screens that show a flag as a flag.

Typer's help prints each option's type beside it, flags included: "--json <bool>" and
"--help <bool>" read as options that take a value. These command classes give every flag an
empty metavar when the help is drawn, so a flag added later is shown right without anyone
remembering to.
"""

from __future__ import annotations

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

Params = list[TyperArgument | TyperOption]


def _without_flag_types(params: Params) -> Params:
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""  # typer prints a metavar, when one is set, instead of the type
    return params


class FlagCommand(TyperCommand):
    def get_params(self, ctx: typer.Context) -> Params:
        return _without_flag_types(super().get_params(ctx))


class FlagGroup(TyperGroup):
    def get_params(self, ctx: typer.Context) -> Params:
        return _without_flag_types(super().get_params(ctx))
