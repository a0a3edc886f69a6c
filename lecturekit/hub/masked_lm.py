"""A masked LM (BERT, lecture-bert) behind the interface: it fills blanks it can see both sides of.

Everything a masked LM answers comes from one move: hide some tokens behind
[MASK] and read the model's probabilities for what was there.

- ``fill_mask``: the learner places the [MASK]s; the top-k at each.
- ``score``: the pseudo-log-likelihood (Salazar et al., 2020): each token hidden
  in turn, log p(the token that was there).
- ``score_candidates``: each candidate written into the blank, all its pieces
  hidden at once, their log-probabilities added.
"""

from __future__ import annotations

import pandas as pd
import torch

from .batching import in_chunks
from .errors import InputError
from .model import LanguageModel
from .results import Score
from .scoring import make_score, scored_positions

MASK = "[MASK]"  # written by the learner; swapped for the model's own mask token


class MaskedLM(LanguageModel):
    kind = "masked-lm"

    def _fill_mask(self, texts: list[str], top_k: int) -> list[pd.DataFrame]:
        mask_text = self.specials.mask_text or MASK
        texts = [t.replace(MASK, mask_text) for t in texts]
        prepared = []
        for t, tokens in zip(texts, self._encode(texts), strict=True):
            positions = [i for i, token_id in enumerate(tokens.ids) if token_id == self.specials.mask]
            if not positions:
                raise InputError(f"No {MASK} in {t[:60]!r}: put {MASK} where {self.name} should fill in a token.")
            self._check_fits(len(tokens.ids), t)
            prepared.append((tokens.ids, positions))
        tables = []
        for chunk in in_chunks(prepared):
            logits = self._forward([ids for ids, _ in chunk]).logits
            for row, (_, positions) in enumerate(chunk):
                probabilities = torch.softmax(logits[row, positions].float(), dim=-1)
                top = torch.topk(probabilities, min(top_k, probabilities.shape[-1]), dim=-1)
                records = []
                for m in range(len(positions)):
                    for rank, (p, i) in enumerate(zip(top.values[m].tolist(), top.indices[m].tolist(), strict=True), 1):
                        records.append(
                            {"mask": m + 1, "rank": rank, "token": self._token_text(i), "id": i, "probability": p}
                        )
                tables.append(pd.DataFrame(records))
        return tables

    def _log_probs_when_masked(self, rows: list[tuple[list[int], list[int]]]) -> list[list[float]]:
        """For each (ids, positions): hide all those positions at once, log p(original token) at each.

        One forward pass per batch of rows, not per row: the probe scorer ranks up
        to ~50 candidates for each of ~1,700 items.
        """
        results = []
        for chunk in in_chunks(rows):
            masked_rows = []
            for ids, positions in chunk:
                row = list(ids)
                for p in positions:
                    row[p] = self.specials.mask
                masked_rows.append(row)
            log_probs = torch.log_softmax(self._forward(masked_rows).logits.float(), dim=-1)
            for r, (ids, positions) in enumerate(chunk):
                results.append([float(log_probs[r, p, ids[p]]) for p in positions])
        return results

    def _score(self, texts: list[str], context: str) -> list[Score]:
        scores = []
        for text in texts:
            tokens = self._encode([context + text])[0]
            self._check_fits(len(tokens.ids), context + text)
            positions = scored_positions(tokens, context, text, self.name)
            per_position = self._log_probs_when_masked([(tokens.ids, [p]) for p in positions])
            log_probs = [values[0] for values in per_position]
            scores.append(make_score(tokens, positions, log_probs, len(context), text, pseudo=True))
        return scores

    def _candidate_scores(self, left: str, candidates: list[str], right: str) -> list[float]:
        rows = []
        filled = [left + c + right for c in candidates]
        for text, candidate, tokens in zip(filled, candidates, self._encode(filled), strict=True):
            self._check_fits(len(tokens.ids), text)
            start, end = len(left), len(left) + len(candidate)
            pieces = [
                i for i, ((s, e), special) in enumerate(zip(tokens.spans, tokens.special, strict=True))
                if not special and s < end and e > start
            ]
            rows.append((tokens.ids, pieces))
        return [sum(values) for values in self._log_probs_when_masked(rows)]
