"""Training compute: the lecture's C ≈ 6·N·D, and the exact count it approximates.

Why 6 FLOPs per parameter per token (Kaplan et al. 2020, "Scaling Laws for Neural
Language Models", section 2.1):

- forward pass: every weight is multiplied with an activation once and the product
  added to a sum: 2 FLOPs per parameter per token;
- backward pass: twice the forward, 4 FLOPs: one product for the gradient with
  respect to the layer's input (to pass the error further back) and one for the
  gradient with respect to the weight itself.

So training on D tokens costs about 6·N·D. What the rule leaves out is attention's
comparison of each token with the others, which grows with the context length, and
it counts the embedding look-up as if it were a matrix product. Hoffmann et al. 2022
("Training Compute-Optimal Large Language Models", Appendix F) count every matrix
product of a decoder; ``chinchilla_flops`` is their count, term by term.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._checks import PARAMETER_RANGE, TOKEN_RANGE, check_number

FORWARD_FLOPS_PER_PARAMETER = 2  # one multiply and one add per weight
BACKWARD_FLOPS_PER_PARAMETER = 4  # gradients for the activations and for the weights
TRAINING_FLOPS_PER_PARAMETER = FORWARD_FLOPS_PER_PARAMETER + BACKWARD_FLOPS_PER_PARAMETER


def training_flops(parameters, tokens) -> float:
    """C ≈ 6·N·D: the FLOPs of training ``parameters`` weights on ``tokens`` tokens."""
    parameters = check_number("parameters", parameters, PARAMETER_RANGE)
    tokens = check_number("tokens", tokens, TOKEN_RANGE)
    return TRAINING_FLOPS_PER_PARAMETER * parameters * tokens


# ----------------------------------------------------------------- the exact count


@dataclass(frozen=True)
class DecoderShape:
    """The numbers the exact count needs (the names of Hoffmann et al.'s Appendix F)."""

    vocab_size: int
    d_model: int
    n_layers: int
    n_heads: int
    key_size: int  # the width of one head's query and key
    ffw_size: int  # the feed-forward network's inner width
    seq_len: int  # tokens per training sequence

    def __post_init__(self):
        for name, value in vars(self).items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"DecoderShape.{name} must be a positive whole number, got {value!r}")

    @classmethod
    def from_config(cls, config, seq_len: int | None = None) -> DecoderShape:
        """The shape of a lecture model (a ``lecturekit.models.TransformerConfig``).

        ``seq_len`` defaults to the model's longest context, ``max_positions``.
        """
        return cls(vocab_size=config.vocab_size, d_model=config.d_model, n_layers=config.n_layers,
                   n_heads=config.n_heads, key_size=config.d_model // config.n_heads, ffw_size=config.d_ff,
                   seq_len=seq_len or config.max_positions)


@dataclass(frozen=True)
class FlopsCount:
    """FLOPs of one training sequence, term by term (Hoffmann et al. 2022, Appendix F)."""

    embeddings: float
    attention: float  # one layer: projections, logits, softmax, reductions, output
    dense: float  # one layer's feed-forward network
    logits: float
    n_layers: int
    seq_len: int

    @property
    def layers(self) -> float:
        return self.n_layers * (self.attention + self.dense)

    @property
    def forward(self) -> float:
        return self.embeddings + self.layers + self.logits

    @property
    def backward(self) -> float:
        return 2 * self.forward  # as in Kaplan et al. 2020

    @property
    def total(self) -> float:
        return self.forward + self.backward

    @property
    def per_token(self) -> float:
        """Training FLOPs per token: compare with 6·N."""
        return self.total / self.seq_len

    @property
    def layers_only_per_token(self) -> float:
        """Training FLOPs per token without the embedding and logit terms.

        Hoffmann et al.'s Table A4 ratios come out of the count only in this form (as
        Karpathy's nanoGPT ``scaling_laws.ipynb`` found when reproducing them).
        """
        return 3 * self.layers / self.seq_len


def chinchilla_flops(shape: DecoderShape) -> FlopsCount:
    """The forward-pass FLOPs of one sequence of ``shape.seq_len`` tokens, as Appendix F counts them."""
    s, v, d = shape.seq_len, shape.vocab_size, shape.d_model
    width = shape.key_size * shape.n_heads  # all heads' queries (or keys, or values) side by side
    attention = (
        2 * 3 * s * d * width  # query, key and value projections
        + 2 * s * s * width  # key @ query logits
        + 3 * shape.n_heads * s * s  # softmax
        + 2 * s * s * width  # softmax @ value reductions
        + 2 * s * width * d  # the output projection
    )
    return FlopsCount(
        embeddings=2 * s * v * d,
        attention=attention,
        dense=2 * s * (d * shape.ffw_size + d * shape.ffw_size),
        logits=2 * s * d * v,
        n_layers=shape.n_layers,
        seq_len=s,
    )


# ------------------------------------------------ parameters of the lecture models


def parameter_count(config, kind: str = "causal-lm") -> int:
    """The parameters of a lecture model, counted from its config by hand.

    ``kind``: "causal-lm" (LectureGPT), "masked-lm" (LectureBERT) or
    "encoder-decoder" (LectureT5). The tests compare this with
    ``lecturekit.models.count_parameters`` of the real modules, so the arithmetic in
    the notebook is the arithmetic of the code that trains.
    """
    d, f, v = config.d_model, config.d_ff, config.vocab_size

    def linear(inputs, outputs):  # weights and biases
        return inputs * outputs + outputs

    norm = 2 * d  # a layer norm's gain and bias
    self_attention = linear(d, 3 * d) + linear(d, d)  # fused query/key/value, then the output
    cross_attention = linear(d, d) + linear(d, 2 * d) + linear(d, d)  # query; key and value; output
    feed_forward = linear(d, f) + linear(f, d)
    block = self_attention + norm + feed_forward + norm
    positions = config.max_positions * d
    final_norm = norm if config.norm_placement == "pre" else 0
    token_table = v * d  # shared with the output layer (tied), so counted once
    embedding_norm = norm if config.norm_placement == "post" else 0  # post-norm models normalise the embeddings
    if kind == "causal-lm":
        return token_table + positions + embedding_norm + config.n_layers * block + final_norm
    if kind == "masked-lm":
        embeddings = token_table + positions + config.type_vocab_size * d + embedding_norm
        head = linear(d, d) + norm + v  # transform, layer norm, output bias
        next_sentence = linear(d, d) + linear(d, 2) if config.next_sentence_head else 0
        return embeddings + config.n_layers * block + final_norm + head + next_sentence
    if kind == "encoder-decoder":
        decoder_layers = config.n_decoder_layers or config.n_layers
        embedding_norms = 2 * embedding_norm  # encoder and decoder each have their own
        encoder = config.n_layers * block + final_norm
        decoder = decoder_layers * (block + cross_attention + norm) + final_norm
        return token_table + 2 * positions + embedding_norms + encoder + decoder
    raise ValueError(f"unknown model kind {kind!r}; choose one of: 'causal-lm', 'masked-lm', 'encoder-decoder'")
