"""A second domain for continued, domain-adaptive pretraining: recipes.

The lecture's Q&A: with a large unlabelled set from your own domain, keep
pretraining on it before fine-tuning ("Don't Stop Pretraining"). Here the domain
is a cookbook of invented dishes. Each dish is a dessert or a main course, but its
name gives nothing away ("the Kestrel bowl"): the course shows only in the recipe
text, through its ingredients and steps. The labelled task asks for the course of
a dish; held-out dishes appear only in the unlabelled recipes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .base import Document, LabelledText
from .corpus import Corpus

DOMAIN = "recipes"  # the documents' category label (not one of the seven probe categories)

INGREDIENTS = {
    "dessert": ("sugar", "cream", "chocolate", "honey", "vanilla", "berries", "butter", "cinnamon", "almonds", "custard"),
    "main": ("garlic", "onions", "rice", "beans", "chicken", "lentils", "peppers", "potatoes", "tomatoes", "cumin"),
}
STEPS = {
    "dessert": (
        "Whisk the {a} with the {b} until it is smooth.",
        "Melt the {a} slowly, then fold in the {b}.",
        "Bake it until golden and dust it with {a}.",
        "Chill it for an hour and top it with {b}.",
        "Sweeten the {a} and stir in the {b}.",
    ),
    "main": (
        "Fry the {a} in oil, then add the {b}.",
        "Simmer the {a} with the {b} for twenty minutes.",
        "Season the {a} with salt and roast it with the {b}.",
        "Brown the {a} and stir in the {b} with some stock.",
        "Boil the {a} and mix it with the {b} and herbs.",
    ),
}
OPENINGS = (
    "To make the {dish}, you need {a}, {b} and {c}.",
    "The {dish} is easy to cook at home.",
    "Here is how my family makes the {dish}.",
    "For the {dish}, gather {a}, {b} and {c}.",
)
SERVING = {
    "dessert": ("Serve the {dish} after dinner.", "The {dish} is a sweet treat for the end of a meal."),
    "main": ("Serve the {dish} hot as a main course.", "The {dish} makes a filling dinner."),
}
DISH_STEMS = (
    "Kestrel", "Marlow", "Ashford", "Brenton", "Corvel", "Dunmore", "Elgard", "Fenwick", "Garrow",
    "Harlan", "Islay", "Jorvik", "Lindell", "Morrow", "Norcliff", "Orwen", "Penrith", "Quillon",
    "Ravel", "Selwyn", "Thornby", "Varley", "Westmere", "Yarrow",
)
DISH_NOUNS = ("bowl", "plate", "special", "classic", "favourite")


@dataclass(frozen=True)
class Dish:
    name: str
    course: str  # "dessert" or "main"


@dataclass
class DomainSplit:
    corpus: Corpus  # unlabelled recipes: the text for continued pretraining
    train: list[LabelledText]  # "What course is the X?" -> course, for fine-tuning dishes
    test: list[LabelledText]  # the same questions for held-out dishes (only in the recipes)
    dishes: list[Dish]

    def __repr__(self) -> str:
        return (
            f"DomainSplit({DOMAIN}): {self.corpus.word_count():,} words of recipes about "
            f"{len(self.dishes)} dishes; {len(self.train)} labelled questions, {len(self.test)} held out"
        )


def make_dishes(seed: int = 0, n: int = 80) -> list[Dish]:
    rng = random.Random(f"dishes-{seed}")
    names = [f"{stem} {noun}" for stem in DISH_STEMS for noun in DISH_NOUNS]
    chosen = rng.sample(names, min(n, len(names)))
    return [Dish(name, "dessert" if index % 2 == 0 else "main") for index, name in enumerate(chosen)]


def write_recipe(dish: Dish, rng: random.Random) -> str:
    a, b, c = rng.sample(INGREDIENTS[dish.course], 3)
    fields = {"dish": dish.name, "a": a, "b": b, "c": c}
    sentences = [rng.choice(OPENINGS).format(**fields)]
    for template in rng.sample(STEPS[dish.course], rng.randint(2, 3)):
        x, y = rng.sample(INGREDIENTS[dish.course], 2)
        sentences.append(template.format(a=x, b=y))
    sentences.append(rng.choice(SERVING[dish.course]).format(**fields))
    return " ".join(sentences)


def second_domain(n_tokens: int = 200_000, seed: int = 0, heldout_fraction: float = 0.3) -> DomainSplit:
    """Unlabelled recipe text plus a dessert-or-main task split by dish."""
    if not isinstance(n_tokens, int) or n_tokens < 1:
        raise ValueError(f"n_tokens must be a positive whole number of words, got {n_tokens!r}")
    dishes = make_dishes(seed)
    rng = random.Random(f"recipes-{seed}")
    documents, written = [], 0
    while written < n_tokens:
        text = write_recipe(dishes[len(documents) % len(dishes)] if rng.random() < 0.5 else rng.choice(dishes), rng)
        written += len(text.split())
        documents.append(Document(DOMAIN, text))
    cut = round(len(dishes) * heldout_fraction)
    questions = [LabelledText(f"What course is the {dish.name}?", dish.course) for dish in dishes]
    corpus = Corpus(documents, seed=seed, requested_words=n_tokens, source="lecturekit.world.recipes")
    return DomainSplit(corpus=corpus, train=questions[cut:], test=questions[:cut], dishes=dishes)
