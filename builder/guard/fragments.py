"""What part of a non-public value gives it away. A template that prints one identifier of
a longer internal note, a contact's e-mail, an amount or the first words of a hidden
summary leaks it as surely as the whole value; these are the parts searched for."""

from __future__ import annotations

import re

PHRASE_WORDS = 4  # a run of this many words of a value
MIN_NAME = 6  # letters in a capitalised word for it to count as a name
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Codes such as CRM-44817, OPP2231 or INV/2024/117: letters and digits in one token.
_IDENTIFIER = re.compile(r"(?<![\w-])(?=[\w/#.-]*\d)(?=[\w/#.-]*[^\W\d_])[\w][\w/#.-]{3,}[\w](?![\w-])")
_LONG_NUMBER = re.compile(r"(?<![\d.,])\d[\d ,.-]{4,}\d(?!\d)")  # phone numbers, account numbers
_AMOUNT = re.compile(r"(?:[$€£¥]\s?\d[\d,.]*\s?(?:k|m|bn|million|billion)?\b|\b\d[\d,.]*\s?(?:k|m|bn|million|billion)\b"
                     r"|\b(?:usd|eur|gbp|chf|cny|jpy)\s?\d[\d,.]*\s?(?:k|m|bn)?\b|\b\d[\d,.]*\s?(?:usd|eur|gbp|chf|cny|jpy)\b)")
_WORD = re.compile(r"[^\W\d_]+")
_CLAUSE = re.compile(r"[^\w\s'’&-]+")  # where a phrase stops: the site joins lists and fields with such marks
# Words pages print themselves (dates read "12 June 2025"): capitalised, but no one's name.
_CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")


def fragments(value: str, normal: str) -> list[tuple[str, str]]:
    """(kind, normalised fragment) of one value; `normal` is the value as the guard
    normalises text (case folded, entities decoded, whitespace as one space)."""
    found = [("e-mail address", m) for m in _EMAIL.findall(normal)]
    found += [("identifier", m) for m in _IDENTIFIER.findall(normal) if sum(c.isdigit() for c in m) >= 3]
    found += [("number", m) for m in _LONG_NUMBER.findall(normal) if sum(c.isdigit() for c in m) >= 6]
    found += [("amount", m.strip()) for m in _AMOUNT.findall(normal)]
    found += [("name", word.casefold()) for word in _names(value) if word.casefold() not in _CALENDAR]
    if len(normal.split()) > PHRASE_WORDS:
        for clause in _CLAUSE.split(normal):
            words = clause.split()
            found += [("phrase", " ".join(words[i:i + PHRASE_WORDS])) for i in range(len(words) - PHRASE_WORDS + 1)]
    return [(kind, text) for kind, text in dict.fromkeys(found) if len(text) >= 5]


def _names(value: str) -> list[str]:
    """Capitalised words inside a sentence (a surname, a place, a product): a sentence's
    first word is capitalised whatever it is, so it does not count."""
    names = []
    for match in _WORD.finditer(value):
        word, before = match.group(), value[:match.start()]
        if len(word) >= MIN_NAME and word[0].isupper() and not word.isupper() and before.strip() \
                and not _SENTENCE_END.search(before):
            names.append(word)
    return names
