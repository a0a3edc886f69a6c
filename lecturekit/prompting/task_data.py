"""The pairs of the built-in tasks: the in-context examples of LECTURE.md §6, written out.

GPT-3's paper showed translation ("thanks => merci, hello => bonjour, ...,
otter => loutre"), arithmetic and typo correction learned from a prompt alone;
antonyms, plurals and capitals are the other classic word tasks, and the short
reviews are a two-label classification task for the label-bias experiments.

Every answer here is meant to be the one obvious answer (no "old => new/young"),
so that an exact match is a fair judge. The arithmetic is checked by a test.
"""

from __future__ import annotations

ENGLISH_FRENCH = [
    ("thanks", "merci"), ("hello", "bonjour"), ("otter", "loutre"), ("cat", "chat"),
    ("dog", "chien"), ("house", "maison"), ("water", "eau"), ("bread", "pain"),
    ("cheese", "fromage"), ("apple", "pomme"), ("book", "livre"), ("tree", "arbre"),
    ("car", "voiture"), ("sun", "soleil"), ("moon", "lune"), ("sea", "mer"),
    ("school", "école"), ("red", "rouge"), ("green", "vert"), ("black", "noir"),
    ("milk", "lait"), ("door", "porte"), ("window", "fenêtre"), ("night", "nuit"),
    ("horse", "cheval"), ("bird", "oiseau"), ("fish", "poisson"), ("king", "roi"),
    ("flower", "fleur"), ("cloud", "nuage"),
]

ANTONYMS = [
    ("hot", "cold"), ("up", "down"), ("fast", "slow"), ("happy", "sad"),
    ("true", "false"), ("win", "lose"), ("early", "late"), ("rich", "poor"),
    ("full", "empty"), ("inside", "outside"), ("wet", "dry"), ("push", "pull"),
    ("buy", "sell"), ("love", "hate"), ("north", "south"), ("east", "west"),
    ("top", "bottom"), ("always", "never"), ("before", "after"), ("first", "last"),
    ("alive", "dead"), ("thick", "thin"), ("strong", "weak"), ("cheap", "expensive"),
    ("friend", "enemy"), ("remember", "forget"), ("entrance", "exit"), ("day", "night"),
]

PLURALS = [
    ("cat", "cats"), ("dog", "dogs"), ("box", "boxes"), ("child", "children"),
    ("mouse", "mice"), ("foot", "feet"), ("tooth", "teeth"), ("man", "men"),
    ("woman", "women"), ("city", "cities"), ("baby", "babies"), ("knife", "knives"),
    ("leaf", "leaves"), ("wolf", "wolves"), ("person", "people"), ("goose", "geese"),
    ("bus", "buses"), ("church", "churches"), ("potato", "potatoes"), ("hero", "heroes"),
    ("sheep", "sheep"), ("book", "books"), ("glass", "glasses"), ("dish", "dishes"),
    ("party", "parties"), ("life", "lives"), ("wife", "wives"), ("ox", "oxen"),
]

CAPITALS = [
    ("France", "Paris"), ("Germany", "Berlin"), ("Italy", "Rome"), ("Spain", "Madrid"),
    ("Portugal", "Lisbon"), ("Japan", "Tokyo"), ("China", "Beijing"), ("Egypt", "Cairo"),
    ("Kenya", "Nairobi"), ("Canada", "Ottawa"), ("Argentina", "Buenos Aires"), ("Peru", "Lima"),
    ("Russia", "Moscow"), ("Greece", "Athens"), ("Norway", "Oslo"), ("Sweden", "Stockholm"),
    ("Finland", "Helsinki"), ("Poland", "Warsaw"), ("Austria", "Vienna"), ("Ireland", "Dublin"),
    ("Thailand", "Bangkok"), ("South Korea", "Seoul"), ("Australia", "Canberra"),
    ("Turkey", "Ankara"), ("Hungary", "Budapest"), ("Denmark", "Copenhagen"), ("Cuba", "Havana"),
    ("Iran", "Tehran"), ("Vietnam", "Hanoi"), ("Mexico", "Mexico City"),
]

# Two-digit additions; some carry into a third digit, as in GPT-3's arithmetic tests.
ADDITION = [
    ("23 + 45", "68"), ("17 + 32", "49"), ("54 + 21", "75"), ("36 + 48", "84"),
    ("61 + 27", "88"), ("45 + 39", "84"), ("12 + 76", "88"), ("58 + 14", "72"),
    ("73 + 19", "92"), ("29 + 63", "92"), ("41 + 35", "76"), ("66 + 22", "88"),
    ("84 + 13", "97"), ("37 + 26", "63"), ("52 + 47", "99"), ("18 + 59", "77"),
    ("95 + 34", "129"), ("67 + 58", "125"), ("26 + 71", "97"), ("43 + 44", "87"),
    ("80 + 15", "95"), ("39 + 27", "66"), ("14 + 68", "82"), ("71 + 46", "117"),
]

# Common misspellings and the word meant.
TYPOS = [
    ("teh", "the"), ("recieve", "receive"), ("adress", "address"), ("beleive", "believe"),
    ("wierd", "weird"), ("untill", "until"), ("tommorow", "tomorrow"), ("occured", "occurred"),
    ("seperate", "separate"), ("definately", "definitely"), ("goverment", "government"),
    ("enviroment", "environment"), ("freind", "friend"), ("becuase", "because"),
    ("wich", "which"), ("calender", "calendar"), ("neccessary", "necessary"),
    ("begining", "beginning"), ("accomodate", "accommodate"), ("acheive", "achieve"),
    ("arguement", "argument"), ("knowlege", "knowledge"), ("libary", "library"),
    ("truely", "truly"), ("gaurd", "guard"), ("wroking", "working"),
]

# Short reviews, alternating labels so that the first few items are balanced.
REVIEWS = [
    ("The soup was warm and full of flavour.", "positive"),
    ("The pasta was cold and tasteless.", "negative"),
    ("A wonderful film with a clever ending.", "positive"),
    ("A dull plot and wooden acting.", "negative"),
    ("The staff were kind and quick.", "positive"),
    ("We waited an hour and nobody said sorry.", "negative"),
    ("I loved every page of this book.", "positive"),
    ("The charger broke after two days.", "negative"),
    ("Great battery life and a bright screen.", "positive"),
    ("The room smelled of smoke and the bed was hard.", "negative"),
    ("The hotel room was spotless and quiet.", "positive"),
    ("I fell asleep halfway through the movie.", "negative"),
    ("A joy to play, even after many hours.", "positive"),
    ("Overpriced, noisy and crowded.", "negative"),
    ("Fresh bread, friendly owners, fair prices.", "positive"),
    ("The app crashes every time I open it.", "negative"),
    ("The concert was the best night of my year.", "positive"),
    ("The seats were dirty and the bus was late.", "negative"),
    ("Comfortable shoes that fit perfectly.", "positive"),
    ("These headphones hurt my ears.", "negative"),
    ("The tour guide made history come alive.", "positive"),
    ("The sequel ruins everything the first film built.", "negative"),
    ("Delivery was early and the box was perfect.", "positive"),
    ("The paint peeled off within a week.", "negative"),
]
