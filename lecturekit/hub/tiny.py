"""Tiny, randomly initialised Hugging Face models, built locally in a second.

They know nothing, but they have the real architectures, real tokenizers and the
real file layout, so tests (and widget demos) can exercise every code path of the
model interface offline and fast:

- ``bert-mlm``: BertForMaskedLM with the real bert-base-uncased WordPiece
  vocabulary (copied from the bundled MiniLM);
- ``bert``: BertModel (an encoder with no language-model head), same vocabulary;
- ``gpt2``: GPT2LMHeadModel with a byte-level BPE trained here on a few sentences;
- ``llama``: LlamaForCausalLM with the same kind of BPE and <s> </s> markers;
- ``t5``: T5ForConditionalGeneration with a unigram tokenizer and sentinels
  <extra_id_0> ... <extra_id_9>.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

TINY_KINDS = ("bert-mlm", "bert", "gpt2", "llama", "t5")
MAX_POSITIONS = 64  # small on purpose: tests of "text too long" stay cheap

_CORPUS = [
    "The cat sat on the mat and looked at the record player.",
    "I record a song every morning; the record shop opens at nine.",
    "Stanford University is located in Palo Alto, California.",
    "Thank you for inviting me to your party last week.",
    "Iroh went into the kitchen to make some tea.",
    "The movie was great, the popcorn was not.",
    "One, two, three, four, five, six, seven, eight, nine, ten.",
    "Überraschung! Naïve café owners love emoji like 🙂 and 日本語 text.",
]


def _byte_level_bpe(special_tokens: list[str], vocab_size: int = 400):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=special_tokens,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(_CORPUS * 4, trainer)
    return tokenizer


def _t5_unigram(vocab_size: int = 300):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    sentinels = [f"<extra_id_{i}>" for i in range(10)]
    tokenizer = Tokenizer(models.Unigram())
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.decoder = decoders.Metaspace()
    trainer = trainers.UnigramTrainer(
        vocab_size=vocab_size,
        special_tokens=["<pad>", "</s>", "<unk>", *sentinels],
        unk_token="<unk>",
        show_progress=False,
    )
    tokenizer.train_from_iterator(_CORPUS * 4, trainer)
    # Like T5: every input ends with </s>.
    tokenizer.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", tokenizer.token_to_id("</s>"))]
    )
    return tokenizer, sentinels


def save_tiny_model(kind: str, folder: str | Path, seed: int = 0) -> Path:
    """Write a tiny random model of ``kind`` (see ``TINY_KINDS``) as a Hugging Face folder."""
    import transformers
    from transformers import PreTrainedTokenizerFast

    if kind not in TINY_KINDS:
        raise ValueError(f"kind must be one of {', '.join(TINY_KINDS)}; got {kind!r}.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    small = {"num_hidden_layers": 2, "num_attention_heads": 2, "max_position_embeddings": MAX_POSITIONS}
    if kind in ("bert-mlm", "bert"):
        from ..bundled import minilm_dir

        hf_tokenizer = transformers.AutoTokenizer.from_pretrained(str(minilm_dir()))
        config = transformers.BertConfig(
            vocab_size=hf_tokenizer.vocab_size, hidden_size=32, intermediate_size=64, **small
        )
        model_class = transformers.BertForMaskedLM if kind == "bert-mlm" else transformers.BertModel
        model = model_class(config)
    elif kind == "gpt2":
        tokenizer = _byte_level_bpe(["<|endoftext|>"])
        hf_tokenizer = PreTrainedTokenizerFast(
            tokenizer_object=tokenizer, bos_token="<|endoftext|>", eos_token="<|endoftext|>",
            unk_token="<|endoftext|>",
        )
        end = tokenizer.token_to_id("<|endoftext|>")
        config = transformers.GPT2Config(
            vocab_size=tokenizer.get_vocab_size(), n_positions=MAX_POSITIONS, n_embd=32, n_layer=2,
            n_head=2, bos_token_id=end, eos_token_id=end,
        )
        model = transformers.GPT2LMHeadModel(config)
    elif kind == "llama":
        tokenizer = _byte_level_bpe(["<unk>", "<s>", "</s>"])
        hf_tokenizer = PreTrainedTokenizerFast(
            tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>", unk_token="<unk>"
        )
        config = transformers.LlamaConfig(
            vocab_size=tokenizer.get_vocab_size(), hidden_size=32, intermediate_size=64,
            num_key_value_heads=1, bos_token_id=1, eos_token_id=2, **small,
        )
        model = transformers.LlamaForCausalLM(config)
    else:
        tokenizer, sentinels = _t5_unigram()
        hf_tokenizer = PreTrainedTokenizerFast(
            tokenizer_object=tokenizer, pad_token="<pad>", eos_token="</s>", unk_token="<unk>"
        )
        config = transformers.T5Config(
            vocab_size=tokenizer.get_vocab_size(), d_model=32, d_kv=8, d_ff=64, num_layers=2,
            num_heads=4, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0,
        )
        model = transformers.T5ForConditionalGeneration(config)
    model.eval()
    model.save_pretrained(folder)
    hf_tokenizer.save_pretrained(folder)
    return folder


def save_tiny_lecture_checkpoint(kind: str, folder: str | Path, seed: int = 0) -> Path:
    """A tiny model in the lecture checkpoint layout (config.json with ``kind``,
    model.safetensors, tokenizer.json, README.md), for testing the lecture path."""
    folder = save_tiny_model(kind, folder, seed)
    config_path = Path(folder) / "config.json"
    config = json.loads(config_path.read_text())
    config["kind"] = {"bert-mlm": "masked-lm", "bert": "encoder", "gpt2": "causal-lm",
                      "llama": "causal-lm", "t5": "encoder-decoder"}[kind]
    config_path.write_text(json.dumps(config, indent=2))
    (Path(folder) / "README.md").write_text(f"Tiny random {kind} model for tests; it knows nothing.\n")
    return Path(folder)
