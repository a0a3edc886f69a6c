"""Compute-optimal size: how to split a budget C ≈ 6·N·D between parameters and tokens.

Hoffmann et al. 2022 ("Training Compute-Optimal Large Language Models", the Chinchilla
paper) fitted the final loss of about 400 training runs with

    L(N, D) = E + A / N^α + B / D^β

E is the loss no model can beat (the text's own entropy); A / N^α is what a model of
N parameters lacks in size, B / D^β what D tokens lack in data. Along the iso-FLOP
line D = C / (6N), the loss is lowest at (their Appendix D, equation 4)

    N_opt = G · (C/6)^a,   D_opt = G^-1 · (C/6)^b,
    a = β / (α+β),  b = α / (α+β),  G = (αA / (βB))^(1/(α+β)).

Two published sets of constants give different answers:

- ``"hoffmann"``: the paper's approach 3, as printed (E=1.69, A=406.4, B=410.7,
  α=0.34, β=0.28). With β < α the data term shrinks more slowly than the size
  term, so more of each larger budget goes to tokens than to parameters: the
  tokens per parameter keep rising with C (over 90 at Gopher's budget), while the
  paper's own approaches 1 and 2 found about 20.
- ``"besiroglu"``: Besiroglu, Erdil, Barnett and You 2024 ("Chinchilla Scaling: A
  replication attempt", Epoch AI, arXiv:2404.10102) refitted the same runs, read
  from the paper's figure, and found that the printed fit does not describe them
  and that its confidence intervals are implausibly narrow (they suggest the
  original optimiser stopped before it converged). Their constants (E=1.8172,
  A=482.01, B=2085.43, α=0.3478, β=0.3658) give a ≈ 0.51 and about 20 tokens per
  parameter, agreeing with approaches 1 and 2 and with Chinchilla itself (70B
  parameters, 1.4T tokens).
- ``"20 tokens per parameter"``: the rule of thumb read off approach 1 (Hoffmann et
  al. Table 3: 1B parameters and 20.2B tokens, 10B and 205.1B, ...). It is a rule
  for sizes; it has no loss of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._checks import PARAMETER_RANGE, TOKEN_RANGE, check_compute, check_number, choose


@dataclass(frozen=True)
class LossFit:
    """A parametric loss L(N, D) = E + A/N^α + B/D^β and the optimum it implies."""

    name: str
    E: float
    A: float
    B: float
    alpha: float
    beta: float
    source: str

    def loss(self, parameters, tokens):
        """L(N, D); works on numbers and on numpy arrays."""
        return self.E + self.A / np.power(parameters, self.alpha) + self.B / np.power(tokens, self.beta)

    @property
    def a(self) -> float:
        """N_opt ∝ C^a."""
        return self.beta / (self.alpha + self.beta)

    @property
    def b(self) -> float:
        """D_opt ∝ C^b (a + b = 1, since N·D = C/6)."""
        return self.alpha / (self.alpha + self.beta)

    @property
    def G(self) -> float:
        return (self.alpha * self.A / (self.beta * self.B)) ** (1 / (self.alpha + self.beta))

    def optimal_parameters(self, compute: float) -> float:
        return self.G * (compute / 6) ** self.a

    def optimal_tokens(self, compute: float) -> float:
        return (compute / 6) ** self.b / self.G

    @property
    def predicts_loss(self) -> bool:
        return True


@dataclass(frozen=True)
class TokensPerParameterRule:
    """Train on a fixed number of tokens per parameter: N = sqrt(C / (6·ratio)), D = ratio·N."""

    name: str
    ratio: float
    source: str

    a = 0.5
    b = 0.5

    def optimal_parameters(self, compute: float) -> float:
        return math.sqrt(compute / (6 * self.ratio))

    def optimal_tokens(self, compute: float) -> float:
        return self.ratio * self.optimal_parameters(compute)

    @property
    def predicts_loss(self) -> bool:
        return False


HOFFMANN = LossFit(
    "hoffmann", E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28,
    source="Hoffmann et al. 2022, 'Training Compute-Optimal Large Language Models', approach 3 (section 3.3)")
BESIROGLU = LossFit(
    "besiroglu", E=1.8172, A=482.01, B=2085.43, alpha=0.3478, beta=0.3658,
    source="Besiroglu et al. 2024, 'Chinchilla Scaling: A replication attempt' (Epoch AI, arXiv:2404.10102)")
TWENTY_TOKENS = TokensPerParameterRule(
    "20 tokens per parameter", ratio=20.0,
    source="Hoffmann et al. 2022, approach 1 (Table 3: e.g. 1B parameters on 20.2B tokens)")

FITS = {fit.name: fit for fit in (HOFFMANN, BESIROGLU, TWENTY_TOKENS)}
LOSS_FITS = tuple(name for name, fit in FITS.items() if fit.predicts_loss)


def get_fit(fit):
    """A fit by name (see ``FITS``), or a ``LossFit`` / ``TokensPerParameterRule`` as it is."""
    if isinstance(fit, LossFit | TokensPerParameterRule):
        return fit
    return FITS[choose("fit", fit, list(FITS))]


@dataclass(frozen=True)
class Optimum:
    """The compute-optimal model for one budget under one fit."""

    compute: float
    parameters: float
    tokens: float
    tokens_per_parameter: float
    predicted_loss: float  # nan for the rule of thumb, which predicts no loss
    fit: str


def predicted_loss(parameters, tokens, fit="besiroglu") -> float:
    """The final training loss a fit predicts for N parameters trained on D tokens."""
    chosen = get_fit(fit)
    if not chosen.predicts_loss:
        raise ValueError(f"the {chosen.name!r} rule gives sizes, not losses; use one of {', '.join(map(repr, LOSS_FITS))}")
    parameters = check_number("parameters", parameters, PARAMETER_RANGE)
    tokens = check_number("tokens", tokens, TOKEN_RANGE)
    return float(chosen.loss(parameters, tokens))


def chinchilla_optimal(compute, fit="besiroglu") -> Optimum:
    """The parameters and tokens that minimise the loss for ``compute`` FLOPs (C = 6ND)."""
    compute = check_compute(compute)
    chosen = get_fit(fit)
    parameters = chosen.optimal_parameters(compute)
    tokens = compute / (6 * parameters)  # on the budget line exactly
    loss = float(chosen.loss(parameters, tokens)) if chosen.predicts_loss else math.nan
    return Optimum(compute=compute, parameters=parameters, tokens=tokens, tokens_per_parameter=tokens / parameters,
                   predicted_loss=loss, fit=chosen.name)


def iso_flop_curve(compute, fit="besiroglu", parameters=None, points: int = 81):
    """The loss along one budget line: a table of parameters, tokens = C/(6N), and loss.

    Without ``parameters``, N spans a factor of 30 either side of the fit's optimum.
    """
    import pandas as pd

    compute = check_compute(compute)
    chosen = get_fit(fit)
    if not chosen.predicts_loss:
        raise ValueError(f"the {chosen.name!r} rule has no loss curve; use one of {', '.join(map(repr, LOSS_FITS))}")
    if parameters is None:
        centre = chosen.optimal_parameters(compute)
        parameters = np.geomspace(centre / 30, centre * 30, points)
    parameters = np.asarray(parameters, dtype=float)
    tokens = compute / (6 * parameters)
    return pd.DataFrame({"parameters": parameters, "tokens": tokens, "loss": chosen.loss(parameters, tokens)})
