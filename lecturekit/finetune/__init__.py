"""Fine-tuning and parameter-efficient fine-tuning (LECTURE.md §3, §4, §6).

Pretraining finds θ̂; fine-tuning takes gradient steps on a task's loss starting
from θ̂. A classifier goes on one position's vector (an encoder's [CLS], a
decoder's last token), and a method decides which numbers may change:

    >>> from lecturekit import load_model
    >>> from lecturekit.finetune import train_classifier
    >>> model = load_model("lecture-bert")
    >>> classifier = train_classifier(model, texts, labels, method="lora", r=4)
    >>> classifier.accuracy(test_texts, test_labels)

Modules, one idea each:

- ``heads``: pooling (first / last / mean) and the classifier on top;
- ``methods``: full, linear_probe, top_layers, prompt_tuning, prefix_tuning, lora;
- ``lora`` (``LoRALinear``, ``apply_lora``), ``prompt`` (virtual input tokens),
  ``prefix`` (virtual keys and values at every layer): the three adapters;
- ``training``: ``train_classifier``, the loop; ``classifier``: what it returns;
- ``costs``: what each method costs, measured: parameters, gradient and
  optimizer memory, time per step, peak memory;
- ``inputs`` (labelled texts to token ids), ``backbone`` (where things are inside
  a lecture or Hugging Face model), ``plot`` (live curves).

Every adapter is checked against peft on the Hugging Face export of the lecture
models (``tests/test_finetune_parity.py``).
"""

from .classifier import Classifier, FineTuneHistory
from .costs import cost_table, measure_costs
from .heads import DEFAULT_POOLING, POOLINGS, build_network, pool
from .lora import LoRALinear, apply_lora, merge_lora, unmerge_lora
from .methods import LEARNING_RATES, METHODS, OPTIONS
from .plot import LiveCurves
from .prefix import PrefixTuning, add_prefix_tuning
from .prompt import PromptTuning, add_prompt_tuning
from .training import train_classifier

__all__ = [
    "DEFAULT_POOLING",
    "LEARNING_RATES",
    "METHODS",
    "OPTIONS",
    "POOLINGS",
    "Classifier",
    "FineTuneHistory",
    "LiveCurves",
    "LoRALinear",
    "PrefixTuning",
    "PromptTuning",
    "add_prefix_tuning",
    "add_prompt_tuning",
    "apply_lora",
    "build_network",
    "cost_table",
    "measure_costs",
    "merge_lora",
    "pool",
    "train_classifier",
    "unmerge_lora",
]
