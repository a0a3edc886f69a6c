"""Decoders and prompting (LECTURE.md §6): in-context learning, measured.

- ``prompts``: the k-shot prompt ("thanks => merci\\nhello => bonjour\\notter =>");
- ``tasks`` (pairs in ``task_data``): tasks as data, the lecture's built-in ones and
  ``Task.from_pairs`` for your own;
- ``answers``: the model's greedy answers, batched over a shared KV-cache prefix
  (``kv_cache``), identical to asking one prompt at a time; ``continuations``: the
  same sharing for scoring labels;
- ``evaluation``: accuracy versus the number of demonstrations, with Wilson intervals;
- ``effects`` and ``calibration``: what demonstrations do (order, label correctness,
  recall versus learning, majority and recency bias with contextual calibration);
- ``decoding``: greedy, temperature, top-k and top-p, each filter shown in turn.
"""

from .answers import greedy_answers, plain_answers
from .calibration import calibrate, calibrated_predictions, label_probabilities
from .decoding import STRATEGIES, compare_decodings, decode, filter_table, next_token_filters
from .effects import label_bias, label_correctness, order_sensitivity, recall_vs_learning
from .evaluation import accuracy_vs_k, answers_vs_k, summarise, wilson_interval
from .prompts import few_shot_prompt
from .tasks import BUILTIN_TASKS, LECTURE_TASKS, Task, builtin_task, exact_match, number_match

__all__ = [
    "BUILTIN_TASKS", "LECTURE_TASKS", "STRATEGIES", "Task", "accuracy_vs_k", "answers_vs_k", "builtin_task",
    "calibrate", "calibrated_predictions", "compare_decodings", "decode", "exact_match", "few_shot_prompt",
    "filter_table", "greedy_answers", "label_bias", "label_correctness", "label_probabilities",
    "next_token_filters", "number_match", "order_sensitivity", "plain_answers", "recall_vs_learning",
    "summarise", "wilson_interval",
]
