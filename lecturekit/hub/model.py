"""``LanguageModel``: one set of methods over any model, whatever its source.

A model here is two things: a torch module with the Hugging Face forward
signature (``module(input_ids=..., attention_mask=..., output_hidden_states=True)``
returning ``.logits`` and ``.hidden_states``; encoder-decoders also take
``decoder_input_ids``) and a ``tokenizers.Tokenizer``. The lecture's own models,
the bundled real models and any Hugging Face model all fit, so the notebooks and
widgets never ask where a model came from.

Every method takes one text (and returns one result) or a list of texts (and
returns a list), runs without gradients, and returns plain data: pandas tables,
float32 CPU tensors, strings.

This class is what every kind shares: tokens, padding, the forward pass, hidden
states, and the front of each lecture method (checking the input, shaping the
result). What a kind computes differently sits in its subclass, one module each:
``masked_lm``, ``causal_lm``, ``encoder_decoder``, ``encoder``; ``factory`` picks
the class for a kind. A method the kind cannot answer stops at ``require`` with
a message saying what to use instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd
import torch
from tokenizers import Tokenizer

from .batching import as_batch, in_chunks, pad_rows
from .errors import InputError, NotSupportedError
from .generation import check_max_new_tokens, readable_pieces
from .kinds import require
from .precision import explain_out_of_memory, size_in_gb
from .results import HiddenStates, Score, Tokens
from .sampling import check_top_k, check_top_p, next_token_distribution
from .scoring import check_candidates, split_at_blank
from .specials import SpecialTokens, find_special_tokens

__all__ = ["HiddenStates", "LanguageModel", "Score", "Tokens"]


class LanguageModel:
    """One model behind the lecture's methods (see the module docstring).

    Attributes: ``name``, ``kind`` (one of ``KINDS``), ``device``, ``dtype``,
    ``max_length`` (tokens the model reads at most), ``num_parameters``.

    Each kind's subclass defines what it computes its own way, for the methods
    ``kinds.METHODS`` says it answers: ``_fill_mask(texts, top_k)`` (tables),
    ``_next_token_logits(texts)`` (float32, one row per text),
    ``_new_token_ids(text, max_new_tokens, temperature, top_k, generator, top_p)``,
    ``_score(texts, context)`` (Scores) and ``_candidate_scores(left, candidates,
    right)`` (floats). A kind without the method never gets there: the
    method's ``require`` stops first.
    """

    kind: str  # set by each subclass

    def __init__(
        self,
        module: torch.nn.Module,
        tokenizer: Tokenizer,
        *,
        name: str,
        max_length: int,
        device: torch.device,
        dtype: torch.dtype,
        specials: SpecialTokens | None = None,
    ):
        self.name = name
        self.max_length = int(max_length)
        self.device = device
        self.dtype = dtype
        self.num_parameters = sum(p.numel() for p in module.parameters())
        # A private copy, so that our settings never leak into a tokenizer the
        # caller still uses (and theirs, such as padding, never into ours).
        self._tokenizer = Tokenizer.from_str(tokenizer.to_str())
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self.specials = specials or find_special_tokens(self._tokenizer)
        with self._memory_guard():
            self.module = module.to(device=device, dtype=dtype).eval()

    def __repr__(self) -> str:
        count = self.num_parameters
        size = f"{count / 1e6:.1f}M" if count >= 1e6 else f"{count / 1e3:.0f}k"
        return (
            f"<LanguageModel {self.name}: {self.kind}, {size} parameters, "
            f"{self.device} {str(self.dtype).removeprefix('torch.')}>"
        )

    @property
    def size_gb(self) -> float:
        return size_in_gb(self.num_parameters, self.dtype)

    @property
    def tokenizer(self) -> Tokenizer:
        return self._tokenizer

    # ------------------------------------------------------------------ tokens

    def tokenize(self, text: str | Sequence[str]) -> pd.DataFrame | list[pd.DataFrame]:
        """The tokens the model reads, with ids and character spans into ``text``.

        Columns: token, id, start, end, text (the characters the token covers;
        empty for special tokens such as [CLS]), special. Empty text gives only
        the special tokens the model adds (none, for most causal LMs).
        """
        texts, single = as_batch(text)
        tables = [tokens.table(t) for t, tokens in zip(texts, self._encode(texts), strict=True)]
        return tables[0] if single else tables

    def _encode(self, texts: list[str], special: bool = True) -> list[Tokens]:
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=special) if texts else []
        # Tokens are shown as vocabulary entries (an unknown character shows as
        # the UNK token the model actually receives, not as the character itself).
        vocabulary_entry = self._tokenizer.id_to_token
        return [
            Tokens(list(e.ids), [vocabulary_entry(i) for i in e.ids], list(e.offsets),
                   [bool(m) for m in e.special_tokens_mask])
            for e in encodings
        ]

    def _prompt(self, text: str) -> Tokens:
        """Tokens of a text the model reads as its input: not empty, not too long."""
        tokens = self._encode([text])[0]
        if not tokens.ids:
            tokens = self._empty_prompt(text)
        self._check_fits(len(tokens.ids), text)
        return tokens

    def _empty_prompt(self, text: str) -> Tokens:
        """What to read when a text gives no tokens (a causal LM starts a new document)."""
        raise InputError(f"The text {text!r} gives {self.name} no tokens to read.")

    def _check_fits(self, length: int, text: str) -> None:
        if length > self.max_length:
            preview = text[:40] + ("..." if len(text) > 40 else "")
            raise InputError(
                f"The text {preview!r} is {length} tokens long, but {self.name} reads at most "
                f"{self.max_length}. Shorten it or split it into pieces."
            )

    def _token_text(self, token_id: int) -> str:
        return self._tokenizer.decode([token_id], skip_special_tokens=False)

    # ---------------------------------------------------------------- forward

    def _memory_guard(self):
        return explain_out_of_memory(self.name, self.num_parameters, self.dtype, self.device)

    def _pad(self, rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        return pad_rows(rows, self.specials.pad, self.device)

    def _forward(self, rows: list[list[int]], **extra):
        input_ids, attention_mask = self._pad(rows)
        if not bool(attention_mask.all()):
            # Only padded batches need a mask; without one, transformers' decoders
            # take their fast causal attention path (several times faster on a CPU).
            extra["attention_mask"] = attention_mask
        with torch.inference_mode(), self._memory_guard():
            return self.module(input_ids=input_ids, **extra)

    # --------------------------------------------------------- hidden_states

    def hidden_states(self, text: str | Sequence[str]) -> HiddenStates | list[HiddenStates]:
        """Every layer's vector for every token (for an encoder-decoder: its encoder)."""
        require("hidden_states", self.name, self.kind)
        texts, single = as_batch(text)
        prepared = [self._prompt(t) for t in texts]
        results = []
        for chunk in in_chunks(list(zip(texts, prepared, strict=True))):
            output = self._forward([p.ids for _, p in chunk], output_hidden_states=True)
            layers = getattr(output, "encoder_hidden_states", None) or output.hidden_states
            stacked = torch.stack([layer.float() for layer in layers])  # (L+1, batch, T, D)
            for row, (t, tokens) in enumerate(chunk):
                vectors = stacked[:, row, : len(tokens.ids)].cpu()
                results.append(HiddenStates(tokens.table(t), vectors))
        return results[0] if single else results

    @property
    def input_embeddings(self) -> torch.Tensor:
        """The static embedding matrix (vocabulary size x model dimension), read-only view.

        Row ``i`` is the one vector token ``i`` gets before any context is mixed in.
        """
        getter = getattr(self.module, "get_input_embeddings", None)
        embedding = getter() if getter is not None else None
        if embedding is None:  # a from-scratch module: its token table has one row per vocabulary entry
            rows = self._tokenizer.get_vocab_size(with_added_tokens=True)
            embedding = next(
                (m for m in self.module.modules() if isinstance(m, torch.nn.Embedding) and m.num_embeddings == rows),
                None,
            )
        if embedding is None:
            raise NotSupportedError(f"{self.name} does not expose its input embedding matrix.")
        return embedding.weight.detach()

    # ------------------------------------------- the methods that depend on the kind

    def fill_mask(self, text: str | Sequence[str], top_k: int = 5) -> pd.DataFrame | list[pd.DataFrame]:
        """The likeliest tokens for each [MASK] in ``text`` (masked LMs).

        Columns: mask (1 for the first [MASK], ...), rank, token, id, probability.
        """
        require("fill_mask", self.name, self.kind)
        texts, single = as_batch(text)
        tables = self._fill_mask(texts, check_top_k(top_k))
        return tables[0] if single else tables

    def next_token(
        self, text: str | Sequence[str], top_k: int = 10, temperature: float = 1.0,
        top_p: float | None = None,
    ) -> pd.DataFrame | list[pd.DataFrame]:
        """The likeliest next tokens after ``text``, with probabilities.

        ``temperature`` and ``top_p`` (the nucleus) reshape the distribution as sampling
        would use it. For an encoder-decoder this is the first token its decoder would write.
        Columns: rank, token, id, probability.
        """
        require("next_token", self.name, self.kind)
        texts, single = as_batch(text)
        top_k = check_top_k(top_k)
        tables = []
        for chunk in in_chunks(texts):
            probabilities = next_token_distribution(self._next_token_logits(chunk), temperature, top_p=top_p)
            tables += self._top_tokens(probabilities, top_k)
        return tables[0] if single else tables

    def _top_tokens(self, probabilities: torch.Tensor, top_k: int) -> list[pd.DataFrame]:
        """One table (rank, token, id, probability) per row of next-token probabilities."""
        top = torch.topk(probabilities, min(top_k, probabilities.shape[-1]), dim=-1)
        return [
            pd.DataFrame({"rank": range(1, len(values) + 1), "token": [self._token_text(i) for i in indices],
                          "id": indices, "probability": values})
            for values, indices in zip(top.values.tolist(), top.indices.tolist(), strict=True)
        ]

    def generate(
        self,
        text: str | Sequence[str],
        max_new_tokens: int = 40,
        temperature: float = 1.0,
        top_k: int | None = None,
        seed: int = 0,
        top_p: float | None = None,
    ) -> str | list[str]:
        """Continue ``text`` (causal LM) or write the output for it (encoder-decoder).

        Temperature 0 is greedy decoding; otherwise tokens are sampled with the
        given temperature, top-k and top-p from a generator seeded with ``seed``, so the
        same call gives the same text. Returns only the new text.
        """
        texts, single = as_batch(text)
        results = ["".join(self.stream(t, max_new_tokens, temperature, top_k, seed, top_p)) for t in texts]
        return results[0] if single else results

    def stream(
        self,
        text: str,
        max_new_tokens: int = 40,
        temperature: float = 1.0,
        top_k: int | None = None,
        seed: int = 0,
        top_p: float | None = None,
    ) -> Iterator[str]:
        """``generate`` one piece at a time, for widgets that show text as it is written.

        Yields the new text each token adds (a token that ends inside a multi-byte
        character waits for the rest of it).
        """
        require("generate", self.name, self.kind)
        if not isinstance(text, str):
            raise TypeError(f"stream takes one text; got {type(text).__name__}.")
        max_new_tokens = check_max_new_tokens(max_new_tokens)
        check_top_k(top_k)
        check_top_p(top_p)
        generator = torch.Generator().manual_seed(int(seed))
        new_ids = self._new_token_ids(text, max_new_tokens, temperature, top_k, generator, top_p=top_p)
        yield from readable_pieces(self._tokenizer, new_ids)

    def _stop_ids(self) -> set[int]:
        """Generation ends before one of these: the end of the text, or of the document."""
        return {i for i in (self.specials.eos, self.specials.document) if i is not None}

    def score(self, text: str | Sequence[str], context: str = "") -> Score | list[Score]:
        """Log-probability of each token of ``text`` (after ``context``) and the perplexity.

        Causal LM: log p(token | everything before it), the first token conditioned
        on the start-of-text token. Masked LM: pseudo-log-likelihood, each token
        masked in turn (Salazar et al., 2020). Encoder-decoder: the decoder writes
        ``text`` while the encoder reads ``context``.
        Token columns: token, start, end, text, log_prob (spans index ``text``).
        """
        require("score", self.name, self.kind)
        texts, single = as_batch(text)
        if not isinstance(context, str):
            raise TypeError(f"context must be a string; got {type(context).__name__}.")
        scores = self._score(texts, context)
        return scores[0] if single else scores

    def score_candidates(self, text_with_blank: str, candidates: Sequence[str]) -> list[float]:
        """How likely each candidate is in the blank ``___`` of the text (higher = likelier).

        - Masked LM: fill the blank with the candidate, mask all of the candidate's
          pieces at once and add their log-probabilities. Predicting the pieces
          independently of each other is the standard approximation (the exact
          joint probability would need one pass per ordering of the pieces).
        - Causal LM: the log-probability of the whole filled-in sentence.
        - Encoder-decoder: T5's own task: the encoder reads the text with a
          sentinel in the blank, the decoder writes "sentinel candidate
          next-sentinel"; the score is the log-probability of the candidate's
          tokens and the closing sentinel.
        """
        require("score_candidates", self.name, self.kind)
        left, right = split_at_blank(text_with_blank)
        candidates = check_candidates(candidates)
        if not candidates:
            return []
        return self._candidate_scores(left, candidates, right)
