'''Checks for the exercises of notebook 06 (encoder-decoders and closed-book QA).

The questions and worked solutions, for the notebook (answer cell, then its hidden solution):

**most_common_city_accuracy.** Write ``most_common_accuracy(train_answers, test_answers)``: the
exact match on ``test_answers`` of always giving the answer most common in ``train_answers``
(the heuristic every closed-book model must beat).

    def most_common_accuracy(train_answers, test_answers):
        ...

    check("most_common_city_accuracy", most_common_accuracy)

    # Solution: the baseline may only look at the fine-tuning side; ties go to the answer seen first.
    from collections import Counter

    def most_common_accuracy(train_answers, test_answers):
        guess = Counter(train_answers).most_common(1)[0][0]
        return sum(answer == guess for answer in test_answers) / len(test_answers)

    check("most_common_city_accuracy", most_common_accuracy)

**city_target_name_visible.** Span corruption at 40%: suppose each token were hidden on its own
with probability 0.4. In "Ada Novak was born in Bergen", the name is two tokens and the city one.
What is the chance that one mention trains the birthplace: the city is a target *and* both name
tokens stay visible?

    answer = ...
    check("city_target_name_visible", answer)

    # Solution: the city hidden (0.4) and each name token not (0.6 each): 0.4 · 0.6² = 0.144.
    # A decoder is trained on the city after the name in every mention (probability 1).
    answer = 0.4 * 0.6**2
    check("city_target_name_visible", answer)

**salient_teaches_birthplace.** Salient span masking as REALM does it hides one entity per
sentence, chosen at random. "Ada Novak was born in Bergen in 1950." has three entities (the name,
the city, the year). What is the chance that one such sentence trains the birthplace?

    answer = ...
    check("salient_teaches_birthplace", answer)

    # Solution: the city is the one hidden with probability 1/3, and then the name is always
    # visible (only one entity per sentence goes): 1/3, more than twice 0.144.
    answer = 1 / 3
    check("salient_teaches_birthplace", answer)
'''

from __future__ import annotations

import random
from collections import Counter

from .base import call_answer, close, number

NOISE = 0.4  # lecture-t5's share of hidden tokens
NAME_TOKENS = 2
SALIENT_ENTITIES = 3


def _reference_accuracy(train_answers, test_answers) -> float:
    guess = Counter(train_answers).most_common(1)[0][0]
    return sum(answer == guess for answer in test_answers) / len(test_answers)


def _most_common_city_accuracy(answer):
    from ..world.splits import birthplace_qa

    if not callable(answer):
        return False, "answer with the function itself: check('most_common_city_accuracy', most_common_accuracy)"
    split = birthplace_qa()
    rng = random.Random(6)
    cases = [([q.answer for q in split.train], [q.answer for q in split.test])]
    for _ in range(6):
        cities = ["Bergen", "Lagos", "Lima", "Osaka"]
        train = [rng.choice(cities[: rng.randint(1, 4)]) for _ in range(rng.randint(3, 12))]
        cases.append((train, [rng.choice(cities) for _ in range(rng.randint(2, 9))]))
    cases.append((["Lima", "Lima", "Osaka"], ["Osaka", "Osaka", "Lima"]))  # the test side disagrees
    for train, test in cases:
        expected = _reference_accuracy(train, test)
        got = number(call_answer(answer, list(train), list(test)))
        if got is None:
            return False, "return the accuracy as a number between 0 and 1"
        if abs(got - _reference_accuracy(test, test)) < 1e-9 and abs(got - expected) > 1e-9:
            return False, "choose the answer from the training answers only: the held-out side may not decide anything"
        if abs(got - expected) > 1e-9:
            return False, "count the training answers, take the commonest, and score it on every test answer"
    return True, ""


def _city_target_name_visible(answer):
    value = number(answer)
    if value is None:
        return False, "answer with a probability, a number between 0 and 1"
    if close(value, NOISE, abs_=1e-3):
        return False, "the city being hidden is not enough: the name's tokens must also stay visible"
    if close(value, NOISE * (1 - NOISE), abs_=1e-3):
        return False, "the name is two tokens, and each must stay visible"
    return close(value, NOISE * (1 - NOISE) ** NAME_TOKENS, abs_=2e-3), "multiply: city hidden, first name token kept, second kept"


def _salient_teaches_birthplace(answer):
    value = number(answer)
    if value is None:
        return False, "answer with a probability, a number between 0 and 1"
    if close(value, NOISE * (1 - NOISE) ** NAME_TOKENS, abs_=2e-3):
        return False, "that is random spans' chance; here exactly one of the three entities is hidden"
    return close(value, 1 / SALIENT_ENTITIES, abs_=2e-3), "one of the three entities is hidden, each equally likely, and the others stay"


CHECKS = {
    "most_common_city_accuracy": _most_common_city_accuracy,
    "city_target_name_visible": _city_target_name_visible,
    "salient_teaches_birthplace": _salient_teaches_birthplace,
}
