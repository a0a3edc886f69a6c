"""World state: small stories where the reader must track where everyone is.

The lecture's example: "Iroh went into the kitchen to make some tea. Standing next
to Iroh, Zuko pondered his destiny. Zuko left the ___." Someone goes into a room,
another person joins them, then someone moves or leaves: the room to name follows
from the story, not from any single sentence. The probes tell such a story and
ask which room someone left or is in now.
"""

from __future__ import annotations

import random

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
    "Right after lunch, {a} went into the {room} {activity}.",
    "{a} opened the door and entered the {room} {activity}.",
    "{a} made a quick trip to the {room} {activity}.",
)
JOIN = (
    "Standing next to {a}, {b} pondered {b_his} destiny.",
    "{b} came in and stood next to {a}.",
    "{b} joined {a} there a few minutes later.",
    "Soon {b} followed {a} into the {room}.",
    "{b} sat down beside {a} and said nothing.",
    "Not long after, {b} arrived to help {a}.",
    "{b} entered a little later and stood beside {a}.",
    "Then {b} came over to help {a}.",
    "{b} was already waiting there for {a}.",
    "{b} followed, carrying a cup of coffee.",
)
LEAVE = (
    "{b} left the {room}.",
    "After a while, {b} left the {room}.",
    "Then {b} walked out of the {room}.",
    "Eventually {b} got up and left the {room}.",
    "{b} said goodbye and left the {room}.",
    "Bored, {b} left the {room} before {a} finished.",
    "{b} soon got tired and left the {room}.",
    "A few minutes later {b} stepped out of the {room}.",
)
MOVE = (
    "Later, {a} moved to the {room2}.",
    "Then {a} went from the {room} to the {room2}.",
    "When {a} was done, {a_he} carried on to the {room2}.",
    "Afterwards {a} went into the {room2}.",
    "Then {a} left the {room} and went to the {room2}.",
    "After that, {a} took everything to the {room2}.",
    "{a} then walked over to the {room2}.",
)
WHERE = (
    "Now {a} is in the {room2}.",
    "So {a} ended up in the {room2}.",
    "That is how {a} came to be in the {room2}.",
    "{a} stayed in the {room2} for the rest of the day.",
    "By evening, {a} was still in the {room2}.",
    "If anyone asks, {a} is in the {room2}.",
    "{a} is in the {room2} now.",
)
TEMPLATE_LISTS = (ENTER, JOIN, LEAVE, MOVE, WHERE)


def write(context: Context) -> str:
    rng = context.rng
    first, second = context.person(), context.person()
    while second.first == first.first:
        second = rng.choice(context.world.people)
    room, room2 = rng.sample(context.world.rooms, 2)
    fields = {
        "a": first.first,
        "b": second.first,
        "room": room,
        "room2": room2,
        "activity": rng.choice(ROOM_ACTIVITIES[room]),
        "a_he": first.pronouns["he"],
        "b_his": second.pronouns["his"],
    }
    sentences = [pick(rng, ENTER, fields), pick(rng, JOIN, fields)]
    if rng.random() < 0.5:
        sentences.append(pick(rng, LEAVE, fields))
    else:
        sentences += [pick(rng, MOVE, fields), pick(rng, WHERE, fields)]
    return " ".join(sentences)


# --- probes: which room? ----------------------------------------------------------------

PROBE_LEAVE = (
    "{a} went into the {room} {activity}, as usual. {b} came in and stood next to {a} for a while. "
    "A little later, {b} walked out of the ___.",
    "{a} walked into the {room} {activity} after lunch. Standing next to {a}, {b} pondered the weather. "
    "Then {b} quietly left the ___.",
)
PROBE_MOVE = (
    "{a} was in the {other} all morning. Around noon, {a} went from the {other} to the {room}. "
    "So right now, {a} is in the ___.",
    "{a} began the day in the {other}. Later, {a} moved on to the {room}. "
    "By evening, {a} was still sitting in the ___.",
)


def probes(world: World, rng: random.Random, n: int) -> list[ClozeItem]:
    rooms = world.rooms
    first_names = sorted({person.first for person in world.people})
    items = []
    for index in range(n):
        room = rooms[index % len(rooms)]  # every room is the answer equally often
        a, b = rng.sample(first_names, 2)
        other = rng.choice([r for r in rooms if r != room])
        templates = PROBE_LEAVE if (index // len(rooms)) % 2 == 0 else PROBE_MOVE
        text = rng.choice(templates).format(
            a=a, b=b, room=room, other=other, activity=rng.choice(ROOM_ACTIVITIES[room])
        )
        items.append(cloze_item("world_state", text, room, rooms))
    return items
