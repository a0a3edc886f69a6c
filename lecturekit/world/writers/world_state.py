"""World state: small stories where the reader must track where everyone is.

The lecture's example: "Iroh went into the kitchen to make some tea. Standing next
to Iroh, Zuko pondered his destiny. Zuko left the ___." Two or three people go into
rooms, join each other and move about; the story then says, or asks, where one of
them is now. The answer follows from the whole story: the room named last is often
someone else's, and the room someone is in may never be named next to them (they
joined a friend "there").

One rule holds in every sentence, so that a reader (and the tests' oracle) can follow
the story: the first person named is the one who moves, and they end up in the last
room the sentence names, or, if it names none, where the other person named already is.
"""

from __future__ import annotations

import random
import re

from ..base import ClozeItem, cloze_item
from ..facts import World
from ..lexicon import ROOM_ACTIVITIES
from .base import Context, pick

ENTER = (
    "{a} went into the {room} {activity}.",
    "{a} walked into the {room} {activity}.",
    "{a} headed to the {room} {activity}.",
    "Early in the morning, {a} went to the {room} {activity}.",
    "{a} slipped into the {room} {activity}.",
    "After breakfast, {a} went into the {room} {activity}.",
    "{a} wandered into the {room} {activity}.",
    "{a} opened the door and entered the {room} {activity}.",
)
JOIN = (
    "{a} stood next to {b} and pondered {a_his} destiny.",
    "{a} came in and stood next to {b}.",
    "{a} joined {b} there a few minutes later.",
    "{a} sat down beside {b} and said nothing.",
    "Not long after, {a} arrived to help {b}.",
    "{a} went to find {b} and stayed to chat.",
)
MOVE = (
    "Later, {a} moved to the {room}.",
    "Then {a} went from the {old} to the {room}.",
    "When {a} was done, {a_he} carried on to the {room}.",
    "Afterwards {a} went into the {room}.",
    "Then {a} left the {old} and went to the {room}.",
    "{a} then walked over to the {room}.",
    "After a while, {a} got up and went to the {room}.",
)
WHERE = (
    "Now {a} is in the {room}.",
    "So {a} ended up in the {room}.",
    "{a} stayed in the {room} for the rest of the day.",
    "By evening, {a} was still in the {room}.",
    "If anyone asks, {a} is in the {room}.",
)
TEMPLATE_LISTS = (ENTER, JOIN, MOVE, WHERE)


def story(rng: random.Random, names: list[str], rooms: tuple[str, ...], moves: int, join: float = 0.25):
    """The event sentences of one story, where everyone is at its end, and the room each
    person's own sentences named last (which a shortcut reader would give as the answer).

    Everyone first enters a room (or, after the first, may join someone already in
    one); then `moves` times someone moves to a room they are not in, or joins someone
    in another room. The templates' fields are left unfilled (pairs of template and
    fields), so that probes can rename the rooms before writing the text.
    """
    where: dict[str, str] = {}
    named: dict[str, str] = {}
    events = []
    for name in names:
        if where and rng.random() < 0.3:
            other = rng.choice(sorted(where))
            where[name] = where[other]
            events.append((JOIN, {"a": name, "b": other}))
        else:
            where[name] = named[name] = rng.choice(rooms)
            events.append((ENTER, {"a": name, "room": where[name]}))
    for _ in range(moves):
        name = rng.choice(names)
        others = [o for o in names if where[o] != where[name]]
        if others and rng.random() < join:
            other = rng.choice(others)
            where[name] = where[other]
            events.append((JOIN, {"a": name, "b": other}))
        else:
            old = where[name]
            where[name] = named[name] = rng.choice([r for r in rooms if r != old])
            events.append((MOVE, {"a": name, "old": old, "room": where[name]}))
    return events, where, named


def _fill(rng: random.Random, events, pronouns, rename=None) -> list[str]:
    rename = rename or {}
    sentences = []
    for templates, fields in events:
        filled = {key: rename.get(value, value) for key, value in fields.items()}
        if "room" in filled:
            filled["activity"] = rng.choice(ROOM_ACTIVITIES[filled["room"]])
        filled.update(pronouns[fields["a"]])
        sentences.append(pick(rng, templates, filled))
    return sentences


def _cast(world: World, rng: random.Random, count: int):
    """`count` people with different first names, and their pronoun fields."""
    chosen: dict[str, object] = {}
    while len(chosen) < count:
        person = rng.choice(world.people)
        chosen.setdefault(person.first, person)
    pronouns = {name: {"a_he": p.pronouns["he"], "a_his": p.pronouns["his"]} for name, p in chosen.items()}
    return list(chosen), pronouns


def write(context: Context) -> str:
    rng = context.rng
    names, pronouns = _cast(context.world, rng, rng.choice((2, 2, 3)))
    events, where, _ = story(rng, names, context.world.rooms, rng.randint(1, 3))
    sentences = _fill(rng, events, pronouns)
    for name in rng.sample(names, rng.randint(1, 2)):
        sentences.append(pick(rng, WHERE, {"a": name, "room": where[name]}))
    return " ".join(sentences)


# --- probes: where is someone now? ------------------------------------------------------

PROBE_WHERE = (
    "So right now, {a} is in the ___.",
    "At this moment, {a} is sitting in the ___.",
    "If you want to find {a}, look in the ___.",
)


def mentioned_rooms(text: str, rooms) -> list[str]:
    """The rooms a text names, in order (before the blank, for a probe)."""
    return [room for room in re.findall(r"the (\w+)", text.split("___")[0]) if room in rooms]


def probes(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    """Stories balanced so that no surface rule answers them.

    Half the answers are the room named last before the blank (so "the last room" is
    right half the time, not always), a third are the room named first, and half are the
    room last named in a sentence about the person asked (the others joined someone
    without the room being named). Every room is
    the answer equally often: the story is written with symbolic rooms and then renamed
    so that the person asked about ends in the round-robin room.
    """
    rooms = world.rooms
    items = []
    for index in range(n):
        target = rooms[index % len(rooms)]
        want_last, want_first = index % 2 == 0, (index // 2) % 3 == 0
        want_beside = (index // 6) % 2 == 0
        while True:
            names, pronouns = _cast(world, rng, rng.choice((2, 3)))
            events, where, own = story(rng, names, rooms, rng.randint(2, 4), join=0.5)
            asked = rng.choice(names)
            if (own.get(asked) == where[asked]) != want_beside:
                continue
            # Rename rooms by swapping the asked person's room with the target room.
            rename = {where[asked]: target, target: where[asked]}
            sentences = _fill(rng, events, pronouns, rename)
            text = " ".join(sentences) + " " + rng.choice(PROBE_WHERE).format(a=asked)
            named = mentioned_rooms(text, rooms)
            if (named[-1] == target) == want_last and (named[0] == target) == want_first:
                break
        items.append(cloze_item("world_state", text, target, rooms))
    return items
