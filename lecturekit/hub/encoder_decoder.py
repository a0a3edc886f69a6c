"""An encoder-decoder (T5, lecture-t5) behind the interface: the decoder writes text for the encoder's input.

The encoder reads the whole input; the decoder writes left to right, starting
from its start token and attending to the encoder at every step. So:

- ``next_token``: the first token the decoder would write;
- ``generate``: the decoder writing its whole output;
- ``score``: log p of each token of the text as the decoder's output, the
  encoder reading the context;
- ``score_candidates``: T5's own pretraining task, span corruption: a sentinel
  in the blank, and the decoder writes "sentinel candidate next-sentinel".
"""

from __future__ import annotations

import torch

from .batching import in_chunks
from .errors import NotSupportedError
from .generation import continue_tokens
from .model import LanguageModel
from .results import Score
from .scoring import make_score, scored_positions


class EncoderDecoder(LanguageModel):
    kind = "encoder-decoder"

    def __init__(self, module: torch.nn.Module, tokenizer, *, decoder_start_id: int | None = None, **settings):
        """``decoder_start_id``: the token the decoder starts from (T5: the pad token, the default)."""
        super().__init__(module, tokenizer, **settings)
        self._decoder_start = decoder_start_id if decoder_start_id is not None else self.specials.pad

    def _forward(self, rows: list[list[int]], decoder_rows: list[list[int]] | None = None, **extra):
        if decoder_rows is None:  # only the encoder matters: give the decoder its start
            decoder_rows = [[self._decoder_start]] * len(rows)
        extra["decoder_input_ids"] = self._pad(decoder_rows)[0]
        return super()._forward(rows, **extra)

    def _next_token_logits(self, texts: list[str]) -> torch.Tensor:
        rows = [self._prompt(t).ids for t in texts]
        return self._forward(rows).logits[:, 0].float()

    def _new_token_ids(self, text, max_new_tokens, temperature, top_k, generator, top_p=None):
        source = self._prompt(text).ids

        def next_logits(written: list[int]) -> torch.Tensor:
            return self._forward([source], [written]).logits[0, -1]

        steps = max(0, min(max_new_tokens, self.max_length - 1))  # the decoder's start token takes one place
        return continue_tokens(next_logits, [self._decoder_start], steps, temperature, top_k, generator,
                               self._stop_ids(), top_p)

    def _log_probs_of_outputs(self, source_rows, target_rows) -> list[torch.Tensor]:
        """log p(target[t] | source, target[:t]) for every target token (teacher forcing)."""
        results = []
        pairs = list(zip(source_rows, target_rows, strict=True))
        for chunk in in_chunks(pairs):
            decoder_rows = [[self._decoder_start, *target[:-1]] for _, target in chunk]
            logits = self._forward([s for s, _ in chunk], decoder_rows).logits
            log_probs = torch.log_softmax(logits.float(), dim=-1)
            for r, (_, target) in enumerate(chunk):
                targets = torch.tensor(target, device=log_probs.device)
                results.append(log_probs[r, : len(target)].gather(-1, targets[:, None])[:, 0].cpu())
        return results

    def _score(self, texts: list[str], context: str) -> list[Score]:
        source = self._encode([context])[0].ids or [self.specials.eos]
        targets = []
        for t in texts:
            tokens = self._encode([t], special=False)[0]
            self._check_fits(len(tokens.ids), t)
            scored_positions(tokens, "", t, self.name)  # says so when the text has no tokens
            targets.append(tokens)
        log_probs = self._log_probs_of_outputs([source] * len(texts), [tk.ids for tk in targets])
        return [
            make_score(tk, list(range(len(tk.ids))), lp.tolist(), 0, t)
            for t, tk, lp in zip(texts, targets, log_probs, strict=True)
        ]

    def _candidate_scores(self, left: str, candidates: list[str], right: str) -> list[float]:
        if len(self.specials.sentinels) < 2:
            raise NotSupportedError(
                f"{self.name}'s tokenizer has no sentinel tokens (like <extra_id_0>), so it cannot "
                "score a blank the T5 way. Use score with the filled-in texts instead."
            )
        first, second = self.specials.sentinels[:2]
        sentinel = self._token_text(first)
        source = self._encode([left + sentinel + right])[0].ids
        self._check_fits(len(source), left + right)
        targets = [[first, *self._encode([c], special=False)[0].ids, second] for c in candidates]
        log_probs = self._log_probs_of_outputs([source] * len(targets), targets)
        # Skip the opening sentinel: it is the same for every candidate.
        return [float(lp[1:].sum()) for lp in log_probs]
