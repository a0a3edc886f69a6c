'''Checks for the exercises of notebook 07 (decoders and prompting).

Every check recomputes its answer with the library (``few_shot_prompt``, the hub's
sampling filter, ``calibration.calibrate``, the scratch-pad targets) and judges only
the learner's answer. The functions the learner writes are tried on inputs the check
makes itself.

The questions and worked solutions, for the notebook (answer cell, then its hidden solution):

**two_shot_prompt.** With the template "{input} => {output}" and one demonstration per line,
write (as one string) the 2-shot prompt with the demonstrations ("cold", "hot") and ("up",
"down") for the query "wet".

    answer = ...
    check("two_shot_prompt", answer)

    # Solution: each demonstration fills the template; the query is the template cut just
    # before {output} (and its trailing space), so the model's next tokens are its answer.
    answer = "cold => hot\\nup => down\\nwet =>"
    check("two_shot_prompt", answer)

**nucleus_size.** A model gives the next token the probabilities 0.5, 0.2, 0.15, 0.1 and 0.05.
How many tokens can top-p sampling with p = 0.8 draw?

    answer = ...
    check("nucleus_size", answer)

    # Solution: keep the likeliest tokens until they hold at least p: 0.5 + 0.2 = 0.7 is not
    # yet 0.8, adding 0.15 makes 0.85, so three tokens stay.
    answer = 3
    check("nucleus_size", answer)

**contextual_calibration.** Write ``calibrate(p, p_cf)``: ``p`` is (queries × labels), each row
a distribution over the labels; ``p_cf`` is the distribution the same prompt gives a content-free
input ("N/A"). Return the calibrated distributions (Zhao et al. 2021).

    def calibrate(p, p_cf):
        ...

    check("contextual_calibration", calibrate)

    # Solution: divide each label's probability by the prompt's own preference for it, then
    # renormalise each row; the content-free input itself would then be uniform.
    def calibrate(p, p_cf):
        q = p / p_cf
        return q / q.sum(dim=-1, keepdim=True)

    check("contextual_calibration", calibrate)

**chain_scratch_pad.** In the chain-of-thought experiment the decoder reads "2*4+7*3=" (apply
the operations left to right, keep only the last digit of each result). Write, as a string, the
scratch-pad target it is trained to write after "=" (values separated by ",", then ";" and the answer).

    answer = ...
    check("chain_scratch_pad", answer)

    # Solution: 2·4 = 8; 8 + 7 = 15, keep 5; 5·3 = 15, keep 5. The answer is the last value.
    answer = "8,5,5;5"
    check("chain_scratch_pad", answer)
'''

from __future__ import annotations

from .base import call_answer, whole_number

PROMPT_DEMONSTRATIONS = (("cold", "hot"), ("up", "down"))
PROMPT_QUERY = "wet"
NUCLEUS_PROBABILITIES = (0.5, 0.2, 0.15, 0.1, 0.05)
NUCLEUS_P = 0.8
CHAIN_PROBLEM = (2, ("*", 4), ("+", 7), ("*", 3))


def _two_shot_prompt(answer):
    from ..prompting import few_shot_prompt

    if not isinstance(answer, str):
        return False, "answer with the prompt as one string, lines joined by '\\n'"
    expected = few_shot_prompt(PROMPT_DEMONSTRATIONS, PROMPT_QUERY)
    if answer == expected + " ":
        return False, "drop the space after the last '=>': the answer token brings its own space"
    if answer.rstrip("\n") == expected and answer != expected:
        return False, "the prompt ends right after the query's '=>', with no newline"
    if answer.startswith("wet"):
        return False, "the demonstrations come first, the query last"
    return answer == expected, "one line per demonstration, 'input => output', then the query with '=>' and nothing after it"


def _nucleus_size(answer):
    import torch

    from ..hub.sampling import next_token_distribution

    value = whole_number(answer)
    if value is None:
        return False, "answer with a whole number of tokens"
    logits = torch.tensor(NUCLEUS_PROBABILITIES, dtype=torch.float64).log()
    kept = int((next_token_distribution(logits, 1.0, None, NUCLEUS_P) > 0).sum())
    if value == kept - 1:
        return False, "the nucleus is the smallest set holding *at least* p: include the token that crosses 0.8"
    return value == kept, "add the probabilities from the largest down until the sum reaches p"


def _contextual_calibration(answer):
    import torch

    from ..prompting import calibrate

    if not callable(answer):
        return False, "answer with the function itself: check('contextual_calibration', calibrate)"
    generator = torch.Generator().manual_seed(3)
    for queries, labels in ((5, 2), (4, 3)):
        p = torch.softmax(torch.randn(queries, labels, generator=generator, dtype=torch.float64), dim=1)
        p_cf = torch.softmax(torch.randn(labels, generator=generator, dtype=torch.float64) * 2, dim=0)
        try:
            got = torch.as_tensor(call_answer(answer, p.clone(), p_cf.clone()), dtype=torch.float64)
        except (RuntimeError, TypeError, ValueError, IndexError) as error:
            return False, f"your function raised {type(error).__name__}: {error}"
        expected = calibrate(p, p_cf)
        if tuple(got.shape) != tuple(expected.shape):
            return False, f"return one distribution per query, shape {tuple(expected.shape)}"
        if torch.allclose(got, p / p_cf):
            return False, "each row must sum to 1 again: renormalise after dividing"
        if not torch.allclose(got, expected):
            return False, "divide by the content-free probabilities (not multiply), then renormalise each row"
    return True, ""


def _chain_scratch_pad(answer):
    from ..prompting.experiments.scratchpad import target

    if not isinstance(answer, str):
        return False, "answer with the scratch pad as a string such as '1,2,3;3'"
    expected = target(CHAIN_PROBLEM, "scratch pad", "chain")
    if answer.replace(" ", "") == "8,15,45;45":
        return False, "keep only the last digit of each result before the next operation"
    return answer.replace(" ", "") == expected, "apply *4, then +7, then *3 to 2, keeping the last digit each time"


CHECKS = {
    "two_shot_prompt": _two_shot_prompt,
    "nucleus_size": _nucleus_size,
    "contextual_calibration": _contextual_calibration,
    "chain_scratch_pad": _chain_scratch_pad,
}
