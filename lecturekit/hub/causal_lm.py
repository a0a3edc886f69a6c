"""A causal LM (GPT, SmolLM2, lecture-gpt) behind the interface: it reads left to right.

Every answer is the same quantity, p(next token | the tokens before it):

- ``next_token``: that distribution after the prompt;
- ``generate``: choose a token from it, append it, ask again;
- ``score``: teacher forcing, log p of each true token given the true ones before;
- ``score_candidates``: the score of the whole sentence with the candidate filled in.

A text starts from the start-of-text token (the document separator it saw in
pretraining), so even the first word has something to be conditioned on.
"""

from __future__ import annotations

import inspect

import pandas as pd
import torch

from ..text import as_text
from .batching import in_chunks
from .errors import InputError
from .generation import continue_tokens
from .kinds import require
from .model import LanguageModel
from .results import Score, Tokens
from .sampling import check_top_k, next_token_distribution
from .scoring import make_score, scored_positions


class CausalLM(LanguageModel):
    kind = "causal-lm"

    def __init__(self, module: torch.nn.Module, tokenizer, *, uses_cache: bool = False, **settings):
        """``uses_cache``: the module keeps each layer's keys and values between steps (Hugging Face)."""
        self._uses_cache = uses_cache
        # transformers 5 calls the key/value cache `cache`; earlier versions `past_key_values`.
        forward_arguments = inspect.signature(module.forward).parameters
        self._cache_argument = "cache" if "cache" in forward_arguments else "past_key_values"
        # Hugging Face decoders can skip the vocabulary projection for all but the
        # last position: a sixth of SmolLM2's work for a 32-token prompt.
        self._last_logits_only = {"logits_to_keep": 1} if "logits_to_keep" in forward_arguments else {}
        super().__init__(module, tokenizer, **settings)

    def _empty_prompt(self, text: str) -> Tokens:
        # An empty prompt starts a new document: the start-of-text token alone.
        start = self.specials.start_of_text()
        if start is None:
            raise InputError(f"{self.name} needs some text to continue: the prompt is empty.")
        return Tokens([start], [self._tokenizer.id_to_token(start)], [(0, 0)], [True])

    # ------------------------------------------------------------ next_token

    def _next_token_logits(self, texts: list[str]) -> torch.Tensor:
        rows = [self._prompt(t).ids for t in texts]
        if len({len(r) for r in rows}) == 1:
            # No padding, so every row's last position is the last column.
            return self._forward(rows, **self._last_logits_only).logits[:, -1].float()
        output = self._forward(rows)
        last = torch.tensor([len(r) - 1 for r in rows], device=output.logits.device)
        return output.logits[torch.arange(len(rows), device=last.device), last].float()

    def next_token_and_prompt(self, text: str, top_k: int = 10, temperature: float = 1.0,
                              top_p: float | None = None):
        """``next_token(text)`` and, from the same forward pass, how probable each prompt token was.

        Returns (the next-token table, a table of the prompt's tokens with columns text,
        start, end, probability): p(token | the prompt's tokens before it), which is what
        the next-token table showed when the prompt ended there. A first token with
        nothing before it (no start-of-text token in the prompt) gets NaN. One forward
        pass instead of two: what the next-token explorer needs at every keystroke.
        """
        require("next_token", self.name, self.kind)
        text = as_text(text, "text")
        tokens = self._prompt(text)
        with torch.inference_mode():
            logits = self._forward([tokens.ids]).logits[0].float()
        table = self._top_tokens(next_token_distribution(logits[-1:], temperature, top_p=top_p), check_top_k(top_k))[0]
        log_probs = torch.log_softmax(logits[:-1], dim=-1).gather(-1, torch.tensor(tokens.ids[1:])[:, None])[:, 0]
        probabilities = [float("nan"), *torch.exp(log_probs).tolist()]
        rows = [(text[start:end], start, end, p) for (start, end), special, p
                in zip(tokens.spans, tokens.special, probabilities, strict=True) if not special]
        return table, pd.DataFrame(rows, columns=["text", "start", "end", "probability"])

    # -------------------------------------------------------------- generate

    def _new_token_ids(self, text, max_new_tokens, temperature, top_k, generator, top_p=None):
        ids = self._prompt(text).ids
        past = None

        def next_logits(so_far: list[int]) -> torch.Tensor:
            nonlocal past
            with torch.inference_mode(), self._memory_guard():
                if self._uses_cache:
                    # Hugging Face models keep each layer's keys and values, so a
                    # step only has to run the newest token through the network.
                    step = so_far if past is None else so_far[-1:]
                    output = self.module(
                        input_ids=torch.tensor([step], device=self.device),
                        use_cache=True,
                        **{self._cache_argument: past},
                        **self._last_logits_only,
                    )
                    past = getattr(output, self._cache_argument)
                else:
                    output = self.module(input_ids=torch.tensor([so_far], device=self.device))
            return output.logits[0, -1]

        steps = max(0, min(max_new_tokens, self.max_length - len(ids)))  # never past what the model reads
        return continue_tokens(next_logits, ids, steps, temperature, top_k, generator, self._stop_ids(), top_p)

    # ----------------------------------------------------------------- score

    def _with_start(self, full: str) -> Tokens:
        """A causal LM's view of a text: start-of-text token, then the text's tokens."""
        tokens = self._encode([full], special=False)[0]
        start = self.specials.start_of_text()
        if start is not None:
            tokens = Tokens(
                [start, *tokens.ids],
                [self._tokenizer.id_to_token(start), *tokens.tokens],
                [(0, 0), *tokens.spans],
                [True, *tokens.special],
            )
        self._check_fits(len(tokens.ids), full)
        return tokens

    def _teacher_forced_log_probs(self, rows: list[list[int]]) -> list[torch.Tensor]:
        """For each row, log p(row[t] | row[:t]) for t = 1..len-1."""
        results = []
        for chunk in in_chunks(rows):
            log_probs = torch.log_softmax(self._forward(chunk).logits.float(), dim=-1)
            for r, row in enumerate(chunk):
                targets = torch.tensor(row[1:], device=log_probs.device)
                picked = log_probs[r, : len(row) - 1].gather(-1, targets[:, None])[:, 0]
                results.append(picked.cpu())
        return results

    def _score(self, texts: list[str], context: str) -> list[Score]:
        prepared = []
        for t in texts:
            tokens = self._with_start(context + t)
            positions = [p for p in scored_positions(tokens, context, t, self.name) if p > 0]
            if not positions:
                raise InputError(f"{t!r}: {self.name} cannot score the first token without a start token.")
            prepared.append((t, tokens, positions))
        log_probs = self._teacher_forced_log_probs([tokens.ids for _, tokens, _ in prepared])
        return [
            make_score(tokens, positions, lp[[p - 1 for p in positions]].tolist(), len(context), t)
            for (t, tokens, positions), lp in zip(prepared, log_probs, strict=True)
        ]

    def _candidate_scores(self, left: str, candidates: list[str], right: str) -> list[float]:
        return [s.log_prob for s in self._score([left + c + right for c in candidates], "")]
