"""Next-sentence pairs, teacher forcing and prefix LM, and how their batches feed the models."""

from __future__ import annotations

import math

import pytest
import torch

from lecturekit.models import LectureBERT, LectureGPT, LectureT5, TransformerConfig
from lecturekit.objectives import (
    collate_causal_lm,
    collate_masked_lm,
    collate_next_sentence,
    collate_prefix_lm_decoder,
    collate_prefix_lm_encoder_decoder,
    next_sentence_pairs,
    prefix_lm_example,
    teacher_forcing,
)

PAD, CLS, SEP, MASK = 0, 1, 2, 3


def _documents(n_documents=40, sentences=30, seed=0):
    """Sentence k of document d holds the ids [1000*d + k + 10, ...] so its origin is readable."""
    generator = torch.Generator().manual_seed(seed)
    return [
        [[10 + 100 * d + k] + torch.randint(4, 9, (int(torch.randint(1, 6, (1,), generator=generator)),),
                                             generator=generator).tolist()
         for k in range(sentences)]
        for d in range(n_documents)
    ]


def _origin(first_token: int) -> tuple[int, int]:
    return (first_token - 10) // 100, (first_token - 10) % 100


def test_half_of_the_pairs_are_real_continuations():
    pairs = next_sentence_pairs(_documents(), cls_id=CLS, sep_id=SEP, generator=0)
    assert len(pairs) == 40 * 29
    real = sum(p.is_next for p in pairs)
    assert abs(real / len(pairs) - 0.5) <= 5 * math.sqrt(0.25 / len(pairs))
    for pair in pairs:
        first_b = pair.input_ids[pair.token_type_ids.index(1)]
        document, sentence = _origin(first_b)
        if pair.is_next:
            assert (document, sentence) == (pair.document, pair.sentence + 1)
        else:
            assert document != pair.document  # random B always comes from another document


def test_pair_layout_segments_and_truncation():
    documents = [[[10, 11, 12], [13, 14]], [[20, 21, 22, 23, 24, 25]]]
    pair = next_sentence_pairs(documents, cls_id=CLS, sep_id=SEP, real_rate=1.0)[0]
    assert pair.input_ids == [CLS, 10, 11, 12, SEP, 13, 14, SEP]
    assert pair.token_type_ids == [0, 0, 0, 0, 0, 1, 1, 1]
    assert pair.next_sentence_label == 0
    assert list(pair.table()["segment"]) == ["A"] * 5 + ["B"] * 3
    random_pair = next_sentence_pairs(documents, cls_id=CLS, sep_id=SEP, real_rate=0.0, max_length=7)[0]
    assert random_pair.input_ids == [CLS, 10, 11, SEP, 20, 21, SEP]  # the longer segment is trimmed first
    assert random_pair.next_sentence_label == 1


def test_next_sentence_bad_input():
    with pytest.raises(ValueError, match="at least two non-empty documents"):
        next_sentence_pairs([[[5, 6], [7, 8]]], cls_id=CLS, sep_id=SEP)
    with pytest.raises(ValueError, match="real_rate"):
        next_sentence_pairs(_documents(2, 2), cls_id=CLS, sep_id=SEP, real_rate=2)
    with pytest.raises(TypeError, match="Document 0 is text"):
        next_sentence_pairs(["some text", "more"], cls_id=CLS, sep_id=SEP)
    # empty sentences are skipped, as documented
    pairs = next_sentence_pairs([[[5], [], [6]], [[7], [8]]], cls_id=CLS, sep_id=SEP, real_rate=1.0)
    assert [p.input_ids for p in pairs] == [[CLS, 5, SEP, 6, SEP], [CLS, 7, SEP, 8, SEP]]


def test_bert_pretraining_batch_with_both_objectives_runs():
    pairs = next_sentence_pairs(_documents(4, 5), cls_id=CLS, sep_id=SEP, generator=1)
    nsp = collate_next_sentence(pairs, pad_id=PAD)
    mlm = collate_masked_lm([p.input_ids for p in pairs], pad_id=PAD, mask_token_id=MASK, vocab_size=500,
                            special_ids=[CLS, SEP], token_type_ids=[p.token_type_ids for p in pairs], generator=1)
    assert torch.equal(mlm["token_type_ids"], nsp["token_type_ids"])
    assert (mlm["labels"][nsp["attention_mask"] == 0] == -100).all()
    config = TransformerConfig.bert_like(500, d_model=16, n_heads=2, n_layers=1, d_ff=32, next_sentence_head=True)
    out = LectureBERT(config)(**mlm, next_sentence_label=nsp["next_sentence_label"])
    assert torch.isclose(out.loss, out.mlm_loss + out.nsp_loss)


def test_teacher_forcing_shifts_by_one():
    example = teacher_forcing([7, 8, 9, 10])  # "Iroh goes to the"
    assert example.inputs == [7, 8, 9] and example.targets == [8, 9, 10]
    vocabulary = {7: "Iroh", 8: "goes", 9: "to", 10: "the"}
    table = example.table(vocabulary)
    assert list(table["context"]) == ["Iroh", "Iroh goes", "Iroh goes to"]
    assert list(table["predict"]) == ["goes", "to", "the"]
    with pytest.raises(ValueError, match="at least 2 tokens"):
        teacher_forcing([7])


def test_causal_batch_loss_equals_the_explicit_teacher_forcing_loss():
    torch.manual_seed(0)
    model = LectureGPT(TransformerConfig.gpt_like(40, d_model=16, n_heads=2, n_layers=1, d_ff=32)).eval()
    sequences = [[5, 6, 7, 8, 9], [10, 11, 12]]
    batch = collate_causal_lm(sequences, pad_id=PAD)
    assert batch["labels"].tolist() == [[5, 6, 7, 8, 9], [10, 11, 12, -100, -100]]
    with torch.no_grad():
        loss = model(**batch).loss
        # by hand: for each sequence, score the logits at the inputs against the targets
        terms = []
        for sequence in sequences:
            example = teacher_forcing(sequence)
            logits = model(torch.tensor([sequence])).logits[0, :-1]
            terms.append(torch.nn.functional.cross_entropy(logits, torch.tensor(example.targets), reduction="sum"))
    assert torch.isclose(loss, sum(terms) / (4 + 2), atol=1e-6)


def test_prefix_lm_both_forms():
    example = prefix_lm_example([5, 6, 7, 8, 9], prefix_length=2)
    assert example.prefix == [5, 6] and example.continuation == [7, 8, 9]
    assert example.decoder_labels == [-100, -100, 7, 8, 9]
    assert list(example.table()["carries loss"]) == [False, False, True, True, True]
    drawn = {prefix_lm_example(list(range(6)), generator=s).prefix_length for s in range(100)}
    assert drawn == {1, 2, 3, 4, 5}
    with pytest.raises(ValueError, match="between 1 and 4"):
        prefix_lm_example([5, 6, 7, 8, 9], prefix_length=5)
    with pytest.raises(ValueError, match="at least 2 tokens"):
        prefix_lm_example([5])


def test_prefix_lm_batches_feed_the_models():
    examples = [prefix_lm_example([5, 6, 7, 8, 9], 2), prefix_lm_example([10, 11, 12], 1)]
    decoder = collate_prefix_lm_decoder(examples, pad_id=PAD)
    assert decoder["prefix_lengths"].tolist() == [2, 1]
    assert decoder["labels"].tolist() == [[-100, -100, 7, 8, 9], [-100, 11, 12, -100, -100]]
    gpt = LectureGPT(TransformerConfig.gpt_like(40, d_model=16, n_heads=2, n_layers=1, d_ff=32))
    assert torch.isfinite(gpt(**decoder).loss)
    encoder_decoder = collate_prefix_lm_encoder_decoder(examples, pad_id=PAD)
    assert encoder_decoder["input_ids"].tolist() == [[5, 6], [10, 0]]
    assert encoder_decoder["labels"].tolist() == [[7, 8, 9], [11, 12, -100]]
    t5 = LectureT5(TransformerConfig.t5_like(40, d_model=16, n_heads=2, n_layers=1, d_ff=32))
    assert torch.isfinite(t5(**encoder_decoder).loss)
