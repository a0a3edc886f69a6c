"""The raw material of the lecture world: names, places, animals, rooms, words.

Everything here is a plain list. `facts.make_world` draws a world from these lists
with a seed; the writers turn that world into sentences. Keeping the vocabulary in
one place makes it easy to see what a small model could possibly learn.

Choices that matter for the probes:
- every city and every animal is a single common word, so both masked and causal
  language models can score it as a cloze answer;
- no animal lives in two habitats, so "which animals go together" has one answer;
- nouns for the a/an probes start with a vowel letter exactly when they take "an"
  (no "hour" or "unicorn"), so the rule can be checked mechanically.
"""

from __future__ import annotations

FEMALE_FIRST_NAMES = (
    "Maria", "Anna", "Sofia", "Amara", "Ingrid", "Yuki", "Leila", "Grace", "Nadia", "Clara",
    "Elena", "Fatima", "Hannah", "Iris", "Julia", "Kira", "Lucia", "Mei", "Nora", "Olivia",
    "Priya", "Rosa", "Sara", "Tara", "Vera", "Zara", "Alice", "Beatrice", "Chloe", "Daria",
    "Emma", "Freya", "Greta", "Helen", "Ines", "Joy", "Lena", "Mila", "Naomi", "Paula",
)

MALE_FIRST_NAMES = (
    "David", "Omar", "Kenji", "Lucas", "Mateo", "Tomas", "Ravi", "Samuel", "Felix", "Hugo",
    "Ivan", "Jonas", "Karim", "Leo", "Marco", "Nikolai", "Oscar", "Pablo", "Rafael", "Stefan",
    "Theo", "Victor", "Walter", "Yusuf", "Adam", "Bruno", "Carlos", "Daniel", "Emil", "Finn",
    "George", "Henry", "Isaac", "Jakob", "Kofi", "Liam", "Max", "Nathan", "Otto", "Peter",
)

SURNAMES = (
    "Okafor", "Berg", "Tanaka", "Silva", "Novak", "Haddad", "Larsen", "Moreau", "Rossi", "Kowalski",
    "Mensah", "Patel", "Fischer", "Costa", "Ivanova", "Nakamura", "Olsen", "Dubois", "Weber", "Romano",
    "Chen", "Garcia", "Hansen", "Kim", "Lopez", "Muller", "Nguyen", "Ortiz", "Park", "Quinn",
    "Reyes", "Sato", "Torres", "Vogel", "Walsh", "Young", "Abara", "Brandt", "Castro", "Duarte",
    "Eriksen", "Ferreira", "Gallo", "Horvat", "Ito", "Jensen", "Keller", "Lindqvist", "Mori", "Nilsen",
)

# (city, country): real cities with one-word names, grouped by country.
CITIES = (
    ("Paris", "France"), ("Lyon", "France"), ("Marseille", "France"),
    ("Berlin", "Germany"), ("Munich", "Germany"), ("Hamburg", "Germany"),
    ("Rome", "Italy"), ("Milan", "Italy"), ("Naples", "Italy"),
    ("Madrid", "Spain"), ("Seville", "Spain"), ("Valencia", "Spain"),
    ("Lisbon", "Portugal"), ("Porto", "Portugal"),
    ("Tokyo", "Japan"), ("Osaka", "Japan"), ("Kyoto", "Japan"),
    ("Cairo", "Egypt"), ("Alexandria", "Egypt"),
    ("Lagos", "Nigeria"), ("Abuja", "Nigeria"),
    ("Nairobi", "Kenya"), ("Mombasa", "Kenya"),
    ("Toronto", "Canada"), ("Vancouver", "Canada"), ("Montreal", "Canada"),
    ("Sydney", "Australia"), ("Melbourne", "Australia"), ("Perth", "Australia"),
    ("Chicago", "America"), ("Boston", "America"), ("Denver", "America"), ("Seattle", "America"),
    ("Mumbai", "India"), ("Delhi", "India"), ("Chennai", "India"),
    ("Lima", "Peru"), ("Santiago", "Chile"),
    ("Oslo", "Norway"), ("Bergen", "Norway"),
)

# Invented stems for universities, landmarks, restaurants: nothing a real model knows.
PLACE_STEMS = (
    "Halden", "Marlow", "Ashford", "Brenton", "Corvel", "Dunmore", "Elgard", "Fenwick", "Garrow",
    "Harlan", "Islay", "Jorvik", "Kestrel", "Lindell", "Morrow", "Norcliff", "Orwen", "Penrith",
    "Quillon", "Ravel", "Selwyn", "Thornby", "Ulverin", "Varley", "Westmere", "Yarrow", "Zennor",
    "Alder", "Bramley", "Calder", "Denholm", "Everley", "Falkirk", "Glenmore", "Holloway",
    "Inverell", "Juniper", "Kirkwall", "Larkin", "Merrow", "Netherby", "Oakridge", "Pemberly",
    "Rainford", "Stourton", "Tillbury", "Upwood", "Vantor", "Whitlow", "Aldous", "Barrow",
    "Cresswell", "Delmar", "Easton", "Fairholm", "Greystone", "Hawthorne", "Ivybridge",
    "Kingsley", "Lowther", "Milbrook", "Northam", "Ormond", "Prestwick", "Redmayne",
)
UNIVERSITY_KINDS = ("University", "Institute", "College")
LANDMARK_KINDS = ("Bridge", "Tower", "Gardens", "Museum", "Cathedral", "Market", "Lighthouse", "Gate")
RESTAURANT_KINDS = ("Kitchen", "Bistro", "Table", "Grill", "Cafe", "Tavern")

# Professions, split the way common stereotypes split them (as in bias studies such
# as WinoBias). The bias knob of `build_corpus` only acts on unnamed workers in
# coreference stories; the world's own people get professions independent of gender.
PROFESSIONS_SKEWED_HE = (
    "engineer", "mechanic", "pilot", "carpenter", "surgeon", "plumber",
    "farmer", "firefighter", "programmer", "electrician", "architect", "lawyer",
)
PROFESSIONS_SKEWED_SHE = (
    "nurse", "teacher", "librarian", "designer", "secretary", "baker",
    "dancer", "therapist", "pharmacist", "translator", "editor", "florist",
)
PROFESSIONS = PROFESSIONS_SKEWED_HE + PROFESSIONS_SKEWED_SHE

RELATIONS = ("friend", "colleague", "mentor", "neighbour", "cousin")

# The pronouns a person's gender gives, keyed by the template fields that use them
# ("{name} put on {his} coat"): subject, possessive, object, reflexive.
PRONOUNS = {
    "female": {"he": "she", "his": "her", "him": "her", "himself": "herself"},
    "male": {"he": "he", "his": "his", "him": "him", "himself": "himself"},
}

ROOMS = (
    "kitchen", "garden", "library", "hallway", "bedroom", "bathroom", "office", "attic",
    "cellar", "garage", "classroom", "studio",
)
# What someone does in a room, used in stories ("went into the kitchen to make some tea").
ROOM_ACTIVITIES = {
    "kitchen": ("to make some tea", "to bake bread", "to wash the dishes", "to find a snack"),
    "garden": ("to water the roses", "to pick some herbs", "to sit in the sun", "to rake the leaves"),
    "library": ("to return a book", "to read quietly", "to study for an exam", "to look up a map"),
    "hallway": ("to hang up a coat", "to wait for a visitor", "to look for an umbrella", "to answer the door"),
    "bedroom": ("to take a nap", "to fold some laundry", "to change clothes", "to read in bed"),
    "bathroom": ("to take a bath", "to brush their teeth", "to fix a leaking tap", "to clean the mirror"),
    "office": ("to write a letter", "to print a report", "to make a phone call", "to check the accounts"),
    "attic": ("to search through old boxes", "to store the winter blankets", "to find a photo album", "to check the roof"),
    "cellar": ("to fetch a jar of jam", "to check the boiler", "to store some apples", "to look for a lamp"),
    "garage": ("to fix a bicycle", "to find a hammer", "to wash the car", "to paint a shelf"),
    "classroom": ("to mark some essays", "to clean the blackboard", "to prepare a lesson", "to collect the homework"),
    "studio": ("to paint a portrait", "to practise the piano", "to record a song", "to sketch a landscape"),
}

# Animals by habitat, plural forms (how lists of animals are written). No overlaps.
HABITATS = {
    "ocean": ("fish", "turtles", "seals", "dolphins", "whales", "sharks", "crabs", "octopuses"),
    "farm": ("cows", "pigs", "sheep", "goats", "chickens", "horses", "ducks", "donkeys"),
    "forest": ("deer", "foxes", "owls", "wolves", "bears", "squirrels", "badgers", "woodpeckers"),
    "desert": ("camels", "lizards", "scorpions", "snakes", "vultures", "jackals", "beetles", "tortoises"),
    "savanna": ("lions", "zebras", "giraffes", "elephants", "hyenas", "antelopes", "cheetahs", "rhinos"),
    "arctic": ("walruses", "reindeer", "huskies", "narwhals", "puffins", "caribou", "lemmings", "orcas"),
}
# How a habitat is named in prose ("I went to the ocean", "a trip to the farm").
HABITAT_PLACES = {
    "ocean": "ocean", "farm": "farm", "forest": "forest",
    "desert": "desert", "savanna": "savanna", "arctic": "arctic",
}

# Count nouns for determiner and agreement sentences: (singular, plural).
NOUNS_A = (
    ("fork", "forks"), ("cup", "cups"), ("book", "books"), ("lamp", "lamps"), ("chair", "chairs"),
    ("pencil", "pencils"), ("bottle", "bottles"), ("basket", "baskets"), ("candle", "candles"),
    ("plate", "plates"), ("spoon", "spoons"), ("towel", "towels"), ("key", "keys"), ("box", "boxes"),
    ("table", "tables"), ("ladder", "ladders"), ("jar", "jars"), ("map", "maps"),
)
NOUNS_AN = (
    ("apple", "apples"), ("orange", "oranges"), ("umbrella", "umbrellas"), ("egg", "eggs"),
    ("onion", "onions"), ("envelope", "envelopes"), ("oven", "ovens"), ("owl", "owls"),
    ("anchor", "anchors"), ("iron", "irons"), ("eraser", "erasers"), ("easel", "easels"),
    ("apron", "aprons"), ("almond", "almonds"), ("acorn", "acorns"), ("olive", "olives"),
    ("igloo", "igloos"), ("insect", "insects"),
)

# Sentiment words. Each polarity is split by `splits.sentiment_transfer` into words
# seen with labels in fine-tuning and held-out words met only in pretraining text.
POSITIVE_WORDS = (
    "wonderful", "brilliant", "delightful", "charming", "gripping", "moving", "superb",
    "stunning", "clever", "heartfelt", "memorable", "excellent", "fantastic", "lovely",
    "thrilling", "beautiful", "enjoyable", "elegant", "inventive", "hilarious", "splendid",
    "tender", "vivid", "magnificent",
)
NEGATIVE_WORDS = (
    "boring", "dreadful", "clumsy", "tedious", "awful", "dull", "bland", "shallow",
    "tiresome", "forgettable", "messy", "painful", "lifeless", "sloppy", "predictable",
    "horrible", "pointless", "tepid", "confusing", "joyless", "stale", "irritating",
    "hollow", "dismal",
)
# The verdict words that close a review; they are the cloze answers, and are kept
# out of both halves of the transfer split (they would give the label away).
VERDICT_POSITIVE = ("good", "great")
VERDICT_NEGATIVE = ("bad", "terrible")
INTENSIFIERS = ("really", "truly", "very", "remarkably", "utterly", "quite", "deeply")

# Invented film titles: "The" + adjective + noun.
FILM_ADJECTIVES = (
    "Silver", "Quiet", "Last", "Hidden", "Broken", "Golden", "Distant", "Burning", "Frozen",
    "Crimson", "Endless", "Lonely", "Secret", "Wild", "Electric", "Paper",
)
FILM_NOUNS = (
    "Harbor", "Garden", "Mirror", "Orchard", "Lantern", "Voyage", "Kingdom", "River",
    "Summer", "Machine", "Letter", "Island", "Signal", "Horizon", "Compass", "Winter",
)
