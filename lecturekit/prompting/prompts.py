"""Few-shot prompts: the task is defined by examples in the text, not by gradient steps.

GPT-3 (LECTURE.md §6) is given a prompt such as

    thanks => merci
    hello => bonjour
    otter =>

and continues the pattern. The lines before the last are *demonstrations*
(input and output filled into a template); the last line is the *query*, the
same template cut just before the output, so the model's continuation is its
answer. With k demonstrations this is a k-shot prompt; with none, zero-shot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

DEMONSTRATION_TEMPLATE = "{input} => {output}"
SEPARATOR = "\n"
_FIELD = re.compile(r"\{(input|output)\}")


def check_template(template: str) -> str:
    """A demonstration template: one ``{input}``, then one ``{output}`` at the very end."""
    if not isinstance(template, str):
        raise TypeError(f"The template must be text such as {DEMONSTRATION_TEMPLATE!r}; got {type(template).__name__}.")
    if template.count("{input}") != 1 or template.count("{output}") != 1:
        raise ValueError(
            f"The template {template!r} needs exactly one {{input}} and one {{output}}, "
            f"like {DEMONSTRATION_TEMPLATE!r}."
        )
    if not template.endswith("{output}") or template.index("{input}") > template.index("{output}"):
        raise ValueError(
            f"The template {template!r} must end with {{output}} (after {{input}}): the model's "
            "continuation of the query is read as its answer."
        )
    return template


def query_template(template: str) -> str:
    """The query's template: the demonstration template cut before ``{output}``.

    Trailing spaces are cut too ("{input} =>", not "{input} => "): a BPE vocabulary
    writes a word together with the space before it (" merci"), so a prompt ending
    in a bare space asks the model for a token it rarely saw.
    """
    return check_template(template)[: -len("{output}")].rstrip()


def answer_prefix(template: str) -> str:
    """What comes between the query and the output in a demonstration (usually one space)."""
    before = check_template(template)[: -len("{output}")]
    return before[len(before.rstrip()):]


def fill(template: str, input: str, output: str = "") -> str:
    """The template with its fields filled in one pass (braces in the texts stay as they are)."""
    values = {"input": input, "output": output}
    return _FIELD.sub(lambda match: values[match.group(1)], template)


def few_shot_prompt(
    demonstrations: Sequence[tuple[str, str]],
    query: str,
    template: str = DEMONSTRATION_TEMPLATE,
    separator: str = SEPARATOR,
) -> str:
    """The k-shot prompt: each demonstration filled into ``template``, then the query.

    >>> print(few_shot_prompt([("thanks", "merci"), ("hello", "bonjour")], "otter"))
    thanks => merci
    hello => bonjour
    otter =>
    """
    if not isinstance(query, str):
        raise TypeError(f"The query must be text; got {type(query).__name__}.")
    if not isinstance(separator, str):
        raise TypeError(f"The separator must be text such as '\\n'; got {type(separator).__name__}.")
    lines = []
    for number, pair in enumerate(demonstrations, start=1):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise TypeError(f"Demonstration {number} is {pair!r}; each must be two strings (input, output).")
        lines.append(fill(template, pair[0], pair[1]))
    lines.append(fill(query_template(template), query))
    return separator.join(lines)


def stops_for(separator: str) -> tuple[str, ...]:
    """Where an answer ends: at a newline, or where the next demonstration would begin."""
    stops = ["\n"]
    if separator.strip() and separator.strip() not in stops:
        stops.append(separator.strip())
    return tuple(stops)


def cut_at_stop(text: str, stops: Sequence[str]) -> str:
    """``text`` up to the first stop string (all of it when there is none)."""
    ends = [text.index(stop) for stop in stops if stop and stop in text]
    return text[: min(ends)] if ends else text
