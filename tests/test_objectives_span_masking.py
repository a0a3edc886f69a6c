"""SpanBERT span masking edge cases (the main span tests are in test_objectives_masked_lm.py)."""
def test_span_masking_at_rate_zero_masks_nothing():
    # Regression: with no spans there were no group draws, and indexing them failed.
    from lecturekit.objectives import span_mask

    ids = list(range(5, 25))
    example = span_mask(ids, mask_token_id=1, vocab_size=30, mask_rate=0.0, generator=0)
    assert not example.chosen.any() and example.spans == []
    assert example.input_ids.tolist() == ids
