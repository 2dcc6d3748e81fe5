"""Prompt and answer templates, kept as files in `prompts/` and rendered with Jinja2."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("motcua.prompts", "."),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,  # plain text; channels escape for their own formats
    )


def render(name: str, **values: object) -> str:
    return environment().get_template(name).render(**values).strip()
