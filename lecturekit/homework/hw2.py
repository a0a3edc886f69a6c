"""Homework 2, pretraining objectives: the questions' hidden tests.

References: ``models.attention.causal_mask``, ``objectives.masked_lm.corrupt_chosen`` (BERT's
80/10/10 rule), ``models.base.cross_entropy`` (the loss on labelled positions only),
``objectives.span_corruption.span_corruption_from_spans`` (T5). The 80/10/10 rule is random,
so the student's corruption is compared with the reference's in what must agree exactly
(labels, untouched positions) and in the shares of each outcome over many positions.

The pretraining question scores the student's trained model on held-out documents of the
lecture world drawn from the grader's seed, against a bigram model of the same training text.
"""

from __future__ import annotations

import math
import random
from collections import Counter

from .questions import call, question

MASK_ID, SHARE_TOLERANCE = 1, 0.015  # 0.015 is about 7 standard errors at 20,000 chosen positions


@question("hw2.causal_mask", points=2)
def causal_mask(student_mask, seed):
    import torch

    from ..models.attention import causal_mask as reference

    if not callable(student_mask):
        return False, "answer with your function: check('hw2.causal_mask', causal_mask)"
    for n in random.Random(seed).sample(range(1, 40), 6):
        got = torch.as_tensor(call(student_mask, n))
        if got.shape != (n, n) or not torch.equal(got.bool(), reference(n)):
            return False, "for some n the mask is wrong: True where position t may read position s, that is s <= t"
    return True, ""


def _outcomes(original, corrupted, chosen):
    masked = chosen & (corrupted == MASK_ID)
    kept = chosen & (corrupted == original)
    return [float(share.sum()) / float(chosen.sum()) for share in (masked, chosen & ~masked & ~kept, kept)]


@question("hw2.bert_corruption", points=3)
def bert_corruption(corrupt, seed):
    import torch

    from ..objectives.masked_lm import corrupt_chosen

    if not callable(corrupt):
        return False, "answer with your function: check('hw2.bert_corruption', bert_corrupt)"
    generator = torch.Generator().manual_seed(seed)
    vocab_size = int(torch.randint(30, 90, (1,), generator=generator))
    ids = torch.randint(2, vocab_size, (40, 1000), generator=generator)
    chosen = torch.rand(ids.shape, generator=generator) < 0.5
    inputs, labels = call(corrupt, ids.clone(), chosen.clone(), MASK_ID, vocab_size, torch.Generator().manual_seed(seed + 1))
    reference = corrupt_chosen(ids, chosen, mask_token_id=MASK_ID, vocab_size=vocab_size, generator=generator)
    inputs, labels = torch.as_tensor(inputs), torch.as_tensor(labels)
    if inputs.shape != ids.shape or labels.shape != ids.shape:
        return False, "return (input_ids, labels), each of the shape of ids"
    if not torch.equal(labels, reference.labels):
        return False, "labels: the original id at chosen positions, -100 everywhere else"
    if not torch.equal(inputs[~chosen], ids[~chosen]):
        return False, "positions that were not chosen must stay as they were"
    if bool((inputs < 0).any() or (inputs >= vocab_size).any()):
        return False, "a replacement is outside the vocabulary"
    got, expected = _outcomes(ids, inputs, chosen), _outcomes(ids, reference.input_ids, chosen)
    if any(abs(a - b) > SHARE_TOLERANCE for a, b in zip(got, expected, strict=True)):
        return False, ("over many chosen positions the shares of [MASK], random token and unchanged are "
                       f"{got[0]:.2f} / {got[1]:.2f} / {got[2]:.2f}; BERT's are 0.8 / 0.1 / 0.1")
    randoms = inputs[chosen & (inputs != MASK_ID) & (inputs != ids)]
    if randoms.unique().numel() < vocab_size // 2:
        return False, "the random replacements should be drawn from the whole vocabulary"
    again, _ = call(corrupt, ids.clone(), chosen.clone(), MASK_ID, vocab_size, torch.Generator().manual_seed(seed + 2))
    if torch.equal(torch.as_tensor(again), inputs):
        return False, "use the generator you are given: another generator should give another corruption"
    return True, ""


@question("hw2.masked_lm_loss", points=2)
def masked_lm_loss(loss_function, seed):
    import torch

    from ..models.base import cross_entropy

    if not callable(loss_function):
        return False, "answer with your function: check('hw2.masked_lm_loss', masked_lm_loss)"
    generator = torch.Generator().manual_seed(seed)
    for _ in range(4):
        batch, length, vocab = (int(torch.randint(2, 6, (1,), generator=generator)) for _ in range(3))
        vocab *= 7
        logits = torch.randn(batch, length + 3, vocab, generator=generator) * 3
        labels = torch.randint(0, vocab, (batch, length + 3), generator=generator)
        labels[torch.rand(labels.shape, generator=generator) < 0.7] = -100
        labels[0, 0] = int(torch.randint(0, vocab, (1,), generator=generator))  # at least one label
        got = float(call(loss_function, logits.clone(), labels.clone()))
        if not math.isclose(got, float(cross_entropy(logits, labels)), rel_tol=1e-4, abs_tol=1e-5):
            return False, "the mean cross-entropy over the positions whose label is not -100 (and only those)"
    return True, ""


@question("hw2.span_corruption", points=2)
def span_corruption(corrupt_spans, seed):
    from ..objectives.span_corruption import span_corruption_from_spans

    if not callable(corrupt_spans):
        return False, "answer with your function: check('hw2.span_corruption', span_corrupt)"
    rng = random.Random(seed)
    for _ in range(10):
        ids = [rng.randrange(10, 100) for _ in range(rng.randint(6, 30))]
        cuts = sorted(rng.sample(range(len(ids) + 1), 2 * rng.randint(1, 3)))
        spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True) if a < b]
        spans = [s for i, s in enumerate(spans) if i == 0 or s[0] > spans[i - 1][1]] or [(0, 1)]
        sentinels = list(range(1, 9))
        expected = span_corruption_from_spans(ids, spans, sentinels)
        inputs, targets = call(corrupt_spans, list(ids), list(spans), list(sentinels))
        if list(inputs) != expected.input_ids or list(targets) != expected.target_ids:
            return False, ("each span becomes one sentinel in the input; the target lists each sentinel "
                           "followed by its span, and one more sentinel at the end")
    return True, ""


# ---- pretraining a tiny model: held-out loss against a bigram model of the same text
TRAIN_WORDS, VALIDATION_WORDS, BLOCK, MARGIN = 60_000, 8_000, 32, 0.3


def training_stream():
    """The blocks the notebook trains on (the lecture world's documents, seed 0)."""
    from ..train.data import BatchStream, shared_lecture_tokenizer
    from ..world.corpus import iter_documents
    from ..world.facts import make_world

    documents = [d.text for d in iter_documents(TRAIN_WORDS, seed=0, world=make_world(0))]
    return BatchStream(shared_lecture_tokenizer(), documents, "clm", block_size=BLOCK, batch_size=16, seed=0)


def validation_batches(seed: int, n: int = 8):
    """Held-out documents of the same world, written from another seed."""
    from ..train.data import BatchStream, shared_lecture_tokenizer
    from ..world.corpus import iter_documents
    from ..world.facts import make_world

    documents = [d.text for d in iter_documents(VALIDATION_WORDS, seed=1000 + seed, world=make_world(0))]
    return BatchStream(shared_lecture_tokenizer(), documents, "clm", block_size=BLOCK, batch_size=16, seed=seed).batches(n)


def bigram_loss(training_blocks, batches) -> float:
    """Cross-entropy of a bigram model counted on the training blocks, smoothed towards the
    add-one unigram: p(t | s) = (count(s, t) + p(t)) / (count(s) + 1)."""
    tokens = [t for block in training_blocks for t in block]
    unigram, bigram = Counter(tokens), Counter(zip(tokens, tokens[1:], strict=False))
    vocab = max(max(tokens), max(int(b["input_ids"].max()) for b in batches)) + 1
    total, count = 0.0, 0
    for batch in batches:
        for row, labels in zip(batch["input_ids"].tolist(), batch["labels"].tolist(), strict=True):
            for previous, target in zip(row, labels[1:], strict=False):
                if target != -100:
                    p = (unigram[target] + 1) / (len(tokens) + vocab)
                    total -= math.log((bigram[(previous, target)] + p) / (unigram[previous] + 1))
                    count += 1
    return total / count


def model_loss(model, batches) -> float:
    """Next-token cross-entropy computed here from the model's logits (not its own loss)."""
    import torch

    from ..models.base import cross_entropy

    model.eval()
    with torch.no_grad():
        losses = []
        for batch in batches:
            logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
            losses.append(float(cross_entropy(logits[:, :-1], batch["labels"][:, 1:])))
    return sum(losses) / len(losses)


@question("hw2.pretrain", points=3)
def pretrain(model, seed):
    import torch

    if not isinstance(model, torch.nn.Module):
        return False, "answer with your trained model: check('hw2.pretrain', model)"
    batches = validation_batches(seed)
    baseline = bigram_loss(training_stream().examples, batches)
    loss = model_loss(model, batches)
    return loss <= baseline - MARGIN, (f"held-out loss {loss:.2f}; the bigram model's is {baseline:.2f} and "
                                       f"the target is {baseline - MARGIN:.2f} or lower: train longer, or check your loop")
