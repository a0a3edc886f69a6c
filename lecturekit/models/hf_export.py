"""Export lecture models to Hugging Face classes with identical weights.

Two reasons: the tests compare logits with the real implementations (from scratch
teaches, the library proves it right), and an exported model works with any
Hugging Face tool (pipelines, PEFT, generation).

Only names and layouts differ. Two layout details worth knowing:
- our attention keeps Q, K and V in one fused matrix; BERT keeps three, so the
  fused matrix is cut into thirds;
- GPT-2 stores its linear layers as ``Conv1D`` with the weight transposed
  (in_features x out_features), a leftover of the original TensorFlow code.
"""

from __future__ import annotations

import torch

_HF_ACTIVATION = {"gelu": "gelu", "gelu_tanh": "gelu_new", "relu": "relu"}


def _load_exactly(hf_model, weights: dict[str, torch.Tensor], source) -> None:
    """Copy ``weights`` in, insisting that every Hugging Face weight is covered."""
    expected = hf_model.state_dict()
    missing = sorted(set(expected) - set(weights))
    unexpected = sorted(set(weights) - set(expected))
    if missing or unexpected:
        raise RuntimeError(f"Export mapping is incomplete: missing {missing}, unexpected {unexpected}.")
    with torch.no_grad():
        for name, tensor in weights.items():
            expected[name].copy_(tensor)
    hf_model.to(device=source.device)
    hf_model.train(source.training)


def bert_to_hf(model, with_next_sentence_head: bool = False):
    from transformers import BertConfig, BertForMaskedLM, BertForPreTraining

    config = model.config
    if config.norm_placement != "post":
        raise ValueError("Only a post-norm LectureBERT has the layout of BERT; this one is pre-norm.")
    if with_next_sentence_head and model.nsp_head is None:
        raise ValueError("This LectureBERT has no next-sentence head to export.")
    hf_config = BertConfig(
        vocab_size=config.vocab_size,
        hidden_size=config.d_model,
        num_hidden_layers=config.n_layers,
        num_attention_heads=config.n_heads,
        intermediate_size=config.d_ff,
        hidden_act=_HF_ACTIVATION[config.activation],
        hidden_dropout_prob=config.dropout,
        attention_probs_dropout_prob=config.attention_dropout,
        max_position_embeddings=config.max_positions,
        # BERT always has a segment table; one all-zero row adds nothing.
        type_vocab_size=max(config.type_vocab_size, 1),
        layer_norm_eps=config.layer_norm_eps,
        pad_token_id=config.pad_token_id,
        initializer_range=config.initializer_range,
    )
    hf_class = BertForPreTraining if with_next_sentence_head else BertForMaskedLM
    hf_model = hf_class(hf_config)

    d = config.d_model
    emb = model.embeddings
    segment = emb.segment.weight if emb.segment is not None else torch.zeros(1, d, device=model.device)
    w = {
        "bert.embeddings.word_embeddings.weight": emb.token.weight,
        "bert.embeddings.position_embeddings.weight": emb.position.weight,
        "bert.embeddings.token_type_embeddings.weight": segment,
        "bert.embeddings.LayerNorm.weight": emb.norm.weight,
        "bert.embeddings.LayerNorm.bias": emb.norm.bias,
    }
    for i, block in enumerate(model.encoder.blocks):
        p = f"bert.encoder.layer.{i}."
        q_w, k_w, v_w = block.attention.qkv.weight.split(d, dim=0)
        q_b, k_b, v_b = block.attention.qkv.bias.split(d, dim=0)
        for name, weight, bias in (("query", q_w, q_b), ("key", k_w, k_b), ("value", v_w, v_b)):
            w[f"{p}attention.self.{name}.weight"] = weight
            w[f"{p}attention.self.{name}.bias"] = bias
        pairs = {
            "attention.output.dense": block.attention.out,
            "attention.output.LayerNorm": block.attention_norm,
            "intermediate.dense": block.feed_forward.up,
            "output.dense": block.feed_forward.down,
            "output.LayerNorm": block.feed_forward_norm,
        }
        for name, module in pairs.items():
            w[f"{p}{name}.weight"] = module.weight
            w[f"{p}{name}.bias"] = module.bias
    head = model.mlm_head
    w.update({
        "cls.predictions.transform.dense.weight": head.dense.weight,
        "cls.predictions.transform.dense.bias": head.dense.bias,
        "cls.predictions.transform.LayerNorm.weight": head.norm.weight,
        "cls.predictions.transform.LayerNorm.bias": head.norm.bias,
        "cls.predictions.bias": head.bias,
        "cls.predictions.decoder.weight": emb.token.weight,  # tied
        "cls.predictions.decoder.bias": head.bias,
    })
    if with_next_sentence_head:
        w.update({
            "bert.pooler.dense.weight": model.nsp_head.pooler.weight,
            "bert.pooler.dense.bias": model.nsp_head.pooler.bias,
            "cls.seq_relationship.weight": model.nsp_head.classifier.weight,
            "cls.seq_relationship.bias": model.nsp_head.classifier.bias,
        })
    _load_exactly(hf_model, {k: v.detach() for k, v in w.items()}, model)
    return hf_model


def gpt_to_hf(model):
    from transformers import GPT2Config, GPT2LMHeadModel

    config = model.config
    if config.norm_placement != "pre":
        raise ValueError("Only a pre-norm LectureGPT has the layout of GPT-2; this one is post-norm.")
    if config.type_vocab_size:
        raise ValueError("GPT-2 has no segment embeddings; export needs type_vocab_size=0.")
    hf_config = GPT2Config(
        vocab_size=config.vocab_size,
        n_positions=config.max_positions,
        n_embd=config.d_model,
        n_layer=config.n_layers,
        n_head=config.n_heads,
        n_inner=config.d_ff,
        activation_function=_HF_ACTIVATION[config.activation],
        resid_pdrop=config.dropout,
        embd_pdrop=config.dropout,
        attn_pdrop=config.attention_dropout,
        layer_norm_epsilon=config.layer_norm_eps,
        initializer_range=config.initializer_range,
        pad_token_id=config.pad_token_id,
        tie_word_embeddings=True,
        # GPT-2's own ids (50256) would point outside a lecture vocabulary.
        bos_token_id=None,
        eos_token_id=None,
    )
    hf_model = GPT2LMHeadModel(hf_config)
    emb = model.embeddings
    w = {
        "transformer.wte.weight": emb.token.weight,
        "transformer.wpe.weight": emb.position.weight,
        "transformer.ln_f.weight": model.decoder.final_norm.weight,
        "transformer.ln_f.bias": model.decoder.final_norm.bias,
        "lm_head.weight": emb.token.weight,  # tied
    }
    for i, block in enumerate(model.decoder.blocks):
        p = f"transformer.h.{i}."
        # Conv1D keeps weights as (in, out): transpose nn.Linear's (out, in).
        linear_layers = {
            "attn.c_attn": block.attention.qkv,
            "attn.c_proj": block.attention.out,
            "mlp.c_fc": block.feed_forward.up,
            "mlp.c_proj": block.feed_forward.down,
        }
        for name, module in linear_layers.items():
            w[f"{p}{name}.weight"] = module.weight.t()
            w[f"{p}{name}.bias"] = module.bias
        for name, module in (("ln_1", block.attention_norm), ("ln_2", block.feed_forward_norm)):
            w[f"{p}{name}.weight"] = module.weight
            w[f"{p}{name}.bias"] = module.bias
    _load_exactly(hf_model, {k: v.detach() for k, v in w.items()}, model)
    return hf_model
