"""Helpers notebook 01 uses: exercise checks, byte-piece display, word vectors from pieces."""

from __future__ import annotations

import pytest
import torch

from lecturekit.exercises import check
from lecturekit.subword import TINY_CORPUS, BPETokenizer
from lecturekit.subword.showcase import byte_piece_text, smollm2_byte_level


def test_check_accepts_right_answers_and_explains_wrong_ones():
    right = BPETokenizer.train(TINY_CORPUS, 4).tokenize_word("lowest")
    assert check("bpe_lowest", right).startswith("✓")
    with pytest.raises(AssertionError, match="Hint"):
        check("bpe_lowest", ["lowest</w>"])
    with pytest.raises(AssertionError):
        check("one_token", "the")  # too short, and one token everywhere
    # The check computes the fertilities itself (Turkish: 2.64 WordPiece pieces per word, just
    # above Finnish's 2.60), so no table the learner passes can make a wrong answer right.
    assert check("highest_fertility", "Turkish").startswith("✓")
    assert check("highest_fertility", None).startswith("Not answered yet")
    for wrong in ("Finnish", "English", ""):
        with pytest.raises(AssertionError):
            check("highest_fertility", wrong)
    fake = [{"language": "English", "WordPiece (BERT, 30k)": 9.0}]
    with pytest.raises(TypeError):
        check("highest_fertility", "English", table=fake)
    with pytest.raises(ValueError, match="no exercise"):
        check("nope", 1)


def test_byte_pieces_are_shown_as_text_or_escaped_bytes():
    tokenizer = smollm2_byte_level()
    pieces = [byte_piece_text(tokenizer, tokenizer.id_to_token[i]) for i in tokenizer.encode(" 😀")]
    # The emoji's four UTF-8 bytes are spread over pieces that are not whole characters.
    assert "".join(pieces).encode("latin-1", "backslashreplace").count(b"\\x") >= 1
    assert "\\xf0" in "".join(pieces)
    assert byte_piece_text(tokenizer, tokenizer.tokenize(" hello")[0]) == " hello"


@pytest.fixture(scope="module")
def word_vectors():
    from lecturekit import contextual as word_vectors

    return word_vectors


def test_word_vectors_pool_the_pieces(word_vectors):
    pieces, vectors = word_vectors.word_pieces_and_vectors("the soup was taaaaasty .", 3)
    assert len(pieces) == vectors.shape[0] > 1 and pieces[1].startswith("##")
    mean = word_vectors.word_vector("the soup was taaaaasty .", 3, "mean")
    assert torch.allclose(mean, vectors.mean(0))
    assert torch.equal(word_vectors.word_vector("the soup was taaaaasty .", 3, "last"), vectors[-1])


def test_word_vectors_match_the_plain_transformers_forward_pass(word_vectors):
    from transformers import AutoModel, AutoTokenizer

    from lecturekit.bundled import minilm_dir

    tokenizer = AutoTokenizer.from_pretrained(str(minilm_dir()))
    model = AutoModel.from_pretrained(str(minilm_dir())).eval()
    encoding = tokenizer("the soup was tasty .", return_tensors="pt")
    with torch.no_grad():
        hidden = model(**encoding).last_hidden_state[0]
    # [CLS] the soup was ta ##sty . [SEP]: "tasty" is two pieces, at positions 4 and 5
    assert tokenizer.convert_ids_to_tokens(encoding["input_ids"][0, 4:6].tolist()) == [
        "ta",
        "##sty",
    ]
    mean = word_vectors.word_vector("the soup was tasty .", 3)
    assert torch.allclose(mean, hidden[4:6].mean(0), atol=1e-5)
    assert torch.allclose(word_vectors.word_vector("the soup was tasty .", 1), hidden[2], atol=1e-5)


def test_word_vectors_bad_input(word_vectors):
    with pytest.raises(IndexError, match="out of range"):
        word_vectors.word_vector("two words", 5)
    with pytest.raises(ValueError, match="pooling"):
        word_vectors.word_vector("two words", 0, "max")
    with pytest.raises(ValueError, match="no tokens"):
        word_vectors.word_vector("a \x00 b", 1)
