"""The experiments of notebook 07, as library code the notebook calls and the tests check.

- ``icl``: in-context learning versus k for every built-in task, in one plot;
- ``nli``: NLI by concatenation (GPT-1) with a last-token classifier, pretrained vs scratch;
- ``classification``: fine-tuning a last-token classifier vs prompting with k demonstrations;
- ``scratchpad``: chain of thought controlled: one small decoder trained on answers only,
  one on written intermediate steps, same compute; and ``word_problems``: CoT prompting;
- ``results``: committed bigger runs (``tools/prompting_experiments.py``) as JSON.
"""
