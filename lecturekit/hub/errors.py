"""The errors a learner can meet when loading or using a model, each with a way out.

They subclass the built-in error a Python user would expect (``ValueError`` for
bad input, ``TypeError`` for a method that does not fit the model), so ordinary
``except`` clauses keep working.
"""

from __future__ import annotations


class HubError(RuntimeError):
    """Base class: something about a model could not be done."""


class UnknownModelError(HubError, ValueError):
    """The name is not a model lecturekit knows (the message lists the valid names)."""


class ModelNotShippedError(HubError):
    """A lecture model whose checkpoint has not been trained and shipped yet."""


class OfflineError(HubError):
    """A Hugging Face hub id was asked for, but the hub cannot be reached."""


class NotSupportedError(HubError, TypeError):
    """The method does not apply to this kind of model (the message says what to use)."""


class InputError(HubError, ValueError):
    """The text given to a model method cannot be used as it is (empty, too long, ...)."""


class OutOfMemoryError(HubError, MemoryError):
    """The accelerator ran out of memory; the message gives the model's size."""
