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
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pandas as pd
import torch
from tokenizers import Tokenizer

from .errors import InputError, NotSupportedError
from .kinds import KINDS, require
from .precision import explain_out_of_memory, size_in_gb
from .sampling import check_top_k, choose_next_token, next_token_distribution
from .specials import SpecialTokens, find_special_tokens

BLANK = "___"  # the blank in score_candidates, as in the lecture's cloze examples
MASK = "[MASK]"  # written by the learner; swapped for the model's own mask token
BATCH_SIZE = 16  # texts per forward pass: bounds memory on long lists


@dataclass
class Tokens:
    """One tokenised text: ids with the character span each token came from."""

    ids: list[int]
    tokens: list[str]
    spans: list[tuple[int, int]]
    special: list[bool]

    def table(self, text: str) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "token": self.tokens,
                "id": self.ids,
                "start": [s for s, _ in self.spans],
                "end": [e for _, e in self.spans],
                "text": [text[s:e] for s, e in self.spans],
                "special": self.special,
            }
        )


@dataclass
class HiddenStates:
    """Every layer's vector for every token of one text.

    ``layers[0]`` is what enters the first Transformer block (input embeddings,
    plus position embeddings in BERT-style models); ``layers[i]`` is block i's
    output. Shape: (number of layers + 1, number of tokens, model dimension).
    """

    tokens: pd.DataFrame
    layers: torch.Tensor


@dataclass
class Score:
    """How likely the model finds a text: per-token log-probabilities and perplexity.

    For a masked LM these are pseudo-log-likelihoods (each token predicted with
    only itself masked), so the perplexity is a pseudo-perplexity: comparable
    between texts for one model, not with a causal LM's perplexity.
    """

    tokens: pd.DataFrame
    log_prob: float
    perplexity: float
    pseudo: bool = False


def _as_batch(text, what: str = "text") -> tuple[list[str], bool]:
    if isinstance(text, str):
        return [text], True
    if isinstance(text, (list, tuple)) and all(isinstance(t, str) for t in text):
        return list(text), False
    raise TypeError(f"{what} must be a string or a list of strings; got {type(text).__name__}.")


def _chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class LanguageModel:
    """One model behind the lecture's methods (see the module docstring).

    Attributes: ``name``, ``kind`` (one of ``KINDS``), ``device``, ``dtype``,
    ``max_length`` (tokens the model reads at most), ``num_parameters``.
    """

    def __init__(
        self,
        module: torch.nn.Module,
        tokenizer: Tokenizer,
        *,
        name: str,
        kind: str,
        max_length: int,
        device: torch.device,
        dtype: torch.dtype,
        specials: SpecialTokens | None = None,
        decoder_start_id: int | None = None,
        uses_cache: bool = False,
    ):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}.")
        self.name = name
        self.kind = kind
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
        self._decoder_start = decoder_start_id if decoder_start_id is not None else self.specials.pad
        self._uses_cache = uses_cache
        # transformers 5 calls the key/value cache `cache`; earlier versions `past_key_values`.
        forward_arguments = inspect.signature(module.forward).parameters
        self._cache_argument = "cache" if "cache" in forward_arguments else "past_key_values"
        # Hugging Face decoders can skip the vocabulary projection for all but the
        # last position: a sixth of SmolLM2's work for a 32-token prompt.
        self._last_logits_only = {"logits_to_keep": 1} if "logits_to_keep" in forward_arguments else {}
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
        texts, single = _as_batch(text)
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
        """Tokens of a prompt; an empty causal prompt starts from the start-of-text token."""
        tokens = self._encode([text])[0]
        if not tokens.ids and self.kind == "causal-lm":
            start = self.specials.start_of_text()
            if start is None:
                raise InputError(f"{self.name} needs some text to continue: the prompt is empty.")
            tokens = Tokens([start], [self._tokenizer.id_to_token(start)], [(0, 0)], [True])
        if not tokens.ids:
            raise InputError(f"The text {text!r} gives {self.name} no tokens to read.")
        self._check_fits(len(tokens.ids), text)
        return tokens

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
        """Right-padded ids and attention mask (1 = real token) for a batch of rows."""
        width = max(len(r) for r in rows)
        pad = self.specials.pad if self.specials.pad is not None else 0
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
            mask[i, : len(row)] = 1
        return ids.to(self.device), mask.to(self.device)

    def _forward(self, rows: list[list[int]], decoder_rows: list[list[int]] | None = None, **extra):
        input_ids, attention_mask = self._pad(rows)
        if self.kind == "encoder-decoder":
            if decoder_rows is None:  # only the encoder matters: give the decoder its start
                decoder_rows = [[self._decoder_start]] * len(rows)
            extra["decoder_input_ids"] = self._pad(decoder_rows)[0]
        if not bool(attention_mask.all()):
            # Only padded batches need a mask; without one, transformers' decoders
            # take their fast causal attention path (several times faster on a CPU).
            extra["attention_mask"] = attention_mask
        with torch.inference_mode(), self._memory_guard():
            return self.module(input_ids=input_ids, **extra)

    # ------------------------------------------------------------- fill_mask

    def fill_mask(self, text: str | Sequence[str], top_k: int = 5) -> pd.DataFrame | list[pd.DataFrame]:
        """The likeliest tokens for each [MASK] in ``text`` (masked LMs).

        Columns: mask (1 for the first [MASK], ...), rank, token, id, probability.
        """
        require("fill_mask", self.name, self.kind)
        texts, single = _as_batch(text)
        top_k = check_top_k(top_k)
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
        for chunk in _chunks(prepared):
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
        return tables[0] if single else tables

    # ------------------------------------------------------------ next_token

    def next_token(
        self, text: str | Sequence[str], top_k: int = 10, temperature: float = 1.0
    ) -> pd.DataFrame | list[pd.DataFrame]:
        """The likeliest next tokens after ``text``, with probabilities.

        ``temperature`` reshapes the distribution as sampling would use it. For an
        encoder-decoder this is the first token its decoder would write.
        Columns: rank, token, id, probability.
        """
        require("next_token", self.name, self.kind)
        texts, single = _as_batch(text)
        top_k = check_top_k(top_k)
        tables = []
        for chunk in _chunks(texts):
            logits = self._next_token_logits(chunk)
            probabilities = next_token_distribution(logits, temperature)
            top = torch.topk(probabilities, min(top_k, probabilities.shape[-1]), dim=-1)
            for values, indices in zip(top.values.tolist(), top.indices.tolist(), strict=True):
                tables.append(
                    pd.DataFrame(
                        {
                            "rank": range(1, len(values) + 1),
                            "token": [self._token_text(i) for i in indices],
                            "id": indices,
                            "probability": values,
                        }
                    )
                )
        return tables[0] if single else tables

    def _next_token_logits(self, texts: list[str]) -> torch.Tensor:
        rows = [self._prompt(t).ids for t in texts]
        if self.kind == "causal-lm" and len({len(r) for r in rows}) == 1:
            # No padding, so every row's last position is the last column.
            return self._forward(rows, **self._last_logits_only).logits[:, -1].float()
        output = self._forward(rows)
        if self.kind == "encoder-decoder":
            return output.logits[:, 0].float()
        last = torch.tensor([len(r) - 1 for r in rows], device=output.logits.device)
        return output.logits[torch.arange(len(rows), device=last.device), last].float()

    # -------------------------------------------------------------- generate

    def generate(
        self,
        text: str | Sequence[str],
        max_new_tokens: int = 40,
        temperature: float = 1.0,
        top_k: int | None = None,
        seed: int = 0,
    ) -> str | list[str]:
        """Continue ``text`` (causal LM) or write the output for it (encoder-decoder).

        Temperature 0 is greedy decoding; otherwise tokens are sampled with the
        given temperature and top-k from a generator seeded with ``seed``, so the
        same call gives the same text. Returns only the new text.
        """
        texts, single = _as_batch(text)
        results = ["".join(self.stream(t, max_new_tokens, temperature, top_k, seed)) for t in texts]
        return results[0] if single else results

    def stream(
        self,
        text: str,
        max_new_tokens: int = 40,
        temperature: float = 1.0,
        top_k: int | None = None,
        seed: int = 0,
    ) -> Iterator[str]:
        """``generate`` one piece at a time, for widgets that show text as it is written.

        Yields the new text each token adds (a token that ends inside a multi-byte
        character waits for the rest of it).
        """
        require("generate", self.name, self.kind)
        if not isinstance(text, str):
            raise TypeError(f"stream takes one text; got {type(text).__name__}.")
        if int(max_new_tokens) != max_new_tokens or max_new_tokens < 0:
            raise ValueError(f"max_new_tokens must be a whole number >= 0; got {max_new_tokens!r}.")
        check_top_k(top_k)
        generator = torch.Generator().manual_seed(int(seed))
        produce = self._encoder_decoder_tokens if self.kind == "encoder-decoder" else self._causal_tokens
        new_ids: list[int] = []
        shown = decoded = ""
        for token_id in produce(text, int(max_new_tokens), temperature, top_k, generator):
            new_ids.append(token_id)
            decoded = self._tokenizer.decode(new_ids, skip_special_tokens=False)
            if decoded.endswith("\ufffd"):  # maybe half a character: wait for the next byte
                continue
            yield decoded[len(shown) :]
            shown = decoded
        if decoded != shown:  # bytes that never became a character: show them as they are
            yield decoded[len(shown) :]

    def _stop_ids(self) -> set[int]:
        return {i for i in (self.specials.eos, self.specials.document) if i is not None}

    def _causal_tokens(self, text, max_new_tokens, temperature, top_k, generator):
        ids = self._prompt(text).ids
        stop = self._stop_ids()
        past = None
        for _ in range(max_new_tokens):
            if len(ids) >= self.max_length:
                return
            with torch.inference_mode(), self._memory_guard():
                if self._uses_cache:
                    # Hugging Face models keep each layer's keys and values, so a
                    # step only has to run the newest token through the network.
                    step = ids if past is None else ids[-1:]
                    output = self.module(
                        input_ids=torch.tensor([step], device=self.device),
                        use_cache=True,
                        **{self._cache_argument: past},
                        **self._last_logits_only,
                    )
                    past = getattr(output, self._cache_argument)
                else:
                    output = self.module(input_ids=torch.tensor([ids], device=self.device))
            token_id = choose_next_token(output.logits[0, -1], temperature, top_k, generator)
            if token_id in stop:
                return
            ids.append(token_id)
            yield token_id

    def _encoder_decoder_tokens(self, text, max_new_tokens, temperature, top_k, generator):
        source = self._prompt(text).ids
        written = [self._decoder_start]
        stop = self._stop_ids()
        for _ in range(min(max_new_tokens, self.max_length - 1)):
            logits = self._forward([source], [written]).logits
            token_id = choose_next_token(logits[0, -1], temperature, top_k, generator)
            if token_id in stop:
                return
            written.append(token_id)
            yield token_id

    # --------------------------------------------------------- hidden_states

    def hidden_states(self, text: str | Sequence[str]) -> HiddenStates | list[HiddenStates]:
        """Every layer's vector for every token (for an encoder-decoder: its encoder)."""
        require("hidden_states", self.name, self.kind)
        texts, single = _as_batch(text)
        prepared = [self._prompt(t) for t in texts]
        results = []
        for chunk in _chunks(list(zip(texts, prepared, strict=True))):
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

    # ----------------------------------------------------------------- score

    def score(self, text: str | Sequence[str], context: str = "") -> Score | list[Score]:
        """Log-probability of each token of ``text`` (after ``context``) and the perplexity.

        Causal LM: log p(token | everything before it), the first token conditioned
        on the start-of-text token. Masked LM: pseudo-log-likelihood, each token
        masked in turn (Salazar et al., 2020). Encoder-decoder: the decoder writes
        ``text`` while the encoder reads ``context``.
        Token columns: token, start, end, text, log_prob (spans index ``text``).
        """
        require("score", self.name, self.kind)
        texts, single = _as_batch(text)
        if not isinstance(context, str):
            raise TypeError(f"context must be a string; got {type(context).__name__}.")
        if self.kind == "causal-lm":
            scores = self._score_causal(texts, context)
        elif self.kind == "masked-lm":
            scores = [self._score_masked(t, context) for t in texts]
        else:
            scores = self._score_encoder_decoder(texts, context)
        return scores[0] if single else scores

    def _scored_positions(self, tokens: Tokens, context: str, text: str) -> list[int]:
        positions = [
            i for i, ((s, _), special) in enumerate(zip(tokens.spans, tokens.special, strict=True))
            if not special and s >= len(context)
        ]
        if not positions:
            raise InputError(f"{text!r} gives {self.name} no tokens to score.")
        return positions

    def _make_score(self, tokens: Tokens, positions, log_probs, offset: int, text: str, pseudo=False) -> Score:
        table = pd.DataFrame(
            {
                "token": [tokens.tokens[i] for i in positions],
                "start": [tokens.spans[i][0] - offset for i in positions],
                "end": [tokens.spans[i][1] - offset for i in positions],
                "log_prob": [float(v) for v in log_probs],
            }
        )
        table.insert(3, "text", [text[s:e] for s, e in zip(table.start, table.end, strict=True)])
        total = float(sum(log_probs))
        return Score(table, total, math.exp(-total / len(positions)), pseudo)

    def _causal_rows(self, full: str) -> Tokens:
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

    def _causal_log_probs(self, rows: list[list[int]]) -> list[torch.Tensor]:
        """For each row, log p(row[t] | row[:t]) for t = 1..len-1 (teacher forcing)."""
        results = []
        for chunk in _chunks(rows):
            log_probs = torch.log_softmax(self._forward(chunk).logits.float(), dim=-1)
            for r, row in enumerate(chunk):
                targets = torch.tensor(row[1:], device=log_probs.device)
                picked = log_probs[r, : len(row) - 1].gather(-1, targets[:, None])[:, 0]
                results.append(picked.cpu())
        return results

    def _score_causal(self, texts: list[str], context: str) -> list[Score]:
        prepared = []
        for t in texts:
            tokens = self._causal_rows(context + t)
            positions = [p for p in self._scored_positions(tokens, context, t) if p > 0]
            if not positions:
                raise InputError(f"{t!r}: {self.name} cannot score the first token without a start token.")
            prepared.append((t, tokens, positions))
        log_probs = self._causal_log_probs([tokens.ids for _, tokens, _ in prepared])
        return [
            self._make_score(tokens, positions, lp[[p - 1 for p in positions]].tolist(), len(context), t)
            for (t, tokens, positions), lp in zip(prepared, log_probs, strict=True)
        ]

    def _masked_log_probs(self, ids: list[int], masked_sets: list[list[int]]) -> list[list[float]]:
        """For each set of positions: mask them all at once, log p(original token) at each."""
        results = []
        for chunk in _chunks(masked_sets):
            rows = []
            for positions in chunk:
                row = list(ids)
                for p in positions:
                    row[p] = self.specials.mask
                rows.append(row)
            log_probs = torch.log_softmax(self._forward(rows).logits.float(), dim=-1)
            for r, positions in enumerate(chunk):
                results.append([float(log_probs[r, p, ids[p]]) for p in positions])
        return results

    def _score_masked(self, text: str, context: str) -> Score:
        tokens = self._encode([context + text])[0]
        self._check_fits(len(tokens.ids), context + text)
        positions = self._scored_positions(tokens, context, text)
        per_position = self._masked_log_probs(tokens.ids, [[p] for p in positions])
        return self._make_score(tokens, positions, [v[0] for v in per_position], len(context), text, pseudo=True)

    def _seq2seq_log_probs(self, source_rows, target_rows) -> list[torch.Tensor]:
        """log p(target[t] | source, target[:t]) for every target token."""
        results = []
        pairs = list(zip(source_rows, target_rows, strict=True))
        for chunk in _chunks(pairs):
            decoder_rows = [[self._decoder_start, *target[:-1]] for _, target in chunk]
            logits = self._forward([s for s, _ in chunk], decoder_rows).logits
            log_probs = torch.log_softmax(logits.float(), dim=-1)
            for r, (_, target) in enumerate(chunk):
                targets = torch.tensor(target, device=log_probs.device)
                results.append(log_probs[r, : len(target)].gather(-1, targets[:, None])[:, 0].cpu())
        return results

    def _score_encoder_decoder(self, texts: list[str], context: str) -> list[Score]:
        source = self._encode([context])[0].ids or [self.specials.eos]
        targets = []
        for t in texts:
            tokens = self._encode([t], special=False)[0]
            self._check_fits(len(tokens.ids), t)
            self._scored_positions(tokens, "", t)
            targets.append(tokens)
        log_probs = self._seq2seq_log_probs([source] * len(texts), [tk.ids for tk in targets])
        return [
            self._make_score(tk, list(range(len(tk.ids))), lp.tolist(), 0, t)
            for t, tk, lp in zip(texts, targets, log_probs, strict=True)
        ]

    # ------------------------------------------------------ score_candidates

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
        if not isinstance(text_with_blank, str):
            raise TypeError("text_with_blank must be a string containing one ___ blank.")
        if text_with_blank.count(BLANK) != 1:
            raise InputError(
                f"The text must contain exactly one {BLANK} blank; {text_with_blank[:60]!r} has "
                f"{text_with_blank.count(BLANK)}."
            )
        if isinstance(candidates, str) or not all(isinstance(c, str) for c in candidates):
            raise TypeError("candidates must be a list of strings.")
        candidates = list(candidates)
        if not candidates:
            return []
        if any(not c.strip() for c in candidates):
            raise InputError("Every candidate needs some text; an empty candidate cannot fill a blank.")
        left, right = text_with_blank.split(BLANK)
        if self.kind == "causal-lm":
            return [s.log_prob for s in self._score_causal([left + c + right for c in candidates], "")]
        if self.kind == "masked-lm":
            return self._masked_candidates(left, candidates, right)
        return self._sentinel_candidates(left, candidates, right)

    def _masked_candidates(self, left: str, candidates: list[str], right: str) -> list[float]:
        """Each candidate written into the blank, its pieces masked, in padded batches.

        One forward pass per batch of candidates rather than per candidate: the
        probe scorer ranks up to ~50 candidates for each of ~1,700 items.
        """
        rows, wanted = [], []
        filled = [left + c + right for c in candidates]
        for text, candidate, tokens in zip(filled, candidates, self._encode(filled), strict=True):
            self._check_fits(len(tokens.ids), text)
            start, end = len(left), len(left) + len(candidate)
            pieces = [
                i for i, ((s, e), special) in enumerate(zip(tokens.spans, tokens.special, strict=True))
                if not special and s < end and e > start
            ]
            row = list(tokens.ids)
            for p in pieces:
                row[p] = self.specials.mask
            rows.append(row)
            wanted.append([(p, tokens.ids[p]) for p in pieces])
        scores = []
        for chunk in _chunks(list(zip(rows, wanted, strict=True))):
            log_probs = torch.log_softmax(self._forward([row for row, _ in chunk]).logits.float(), dim=-1)
            for r, (_, pairs) in enumerate(chunk):
                scores.append(sum(float(log_probs[r, p, token]) for p, token in pairs))
        return scores

    def _sentinel_candidates(self, left: str, candidates: list[str], right: str) -> list[float]:
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
        log_probs = self._seq2seq_log_probs([source] * len(targets), targets)
        # Skip the opening sentinel: it is the same for every candidate.
        return [float(lp[1:].sum()) for lp in log_probs]
