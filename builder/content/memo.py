"""Results worked out from loaded items, kept while those items are the very same objects.

The loader hands back an unchanged item as the same object (from memory in `serve`), and a
new object whenever its file or anything it references changed. So a rebuild after an edit
recomputes only what shows the edited item. Items are compared by identity, never by value:
equal front matter and body can still render differently when an image changed."""

from __future__ import annotations

from typing import Any, Callable, Hashable, TypeVar

from .model import Item

V = TypeVar("V")


class Memo:
    def __init__(self) -> None:
        self.context: Any = None
        self.kept: dict[Hashable, tuple[tuple, Any]] = {}

    def use(self, context: Any) -> None:
        """What every result also depends on (settings, templates); a change forgets all."""
        if context != self.context:
            self.context, self.kept = context, {}

    def get(self, name: Hashable, inputs: tuple, compute: Callable[[], V]) -> V:
        """The result called `name` (one per output: a new one replaces the old), computed
        again unless its inputs are the same items (and equal other values) as last time."""
        kept = self.kept.get(name)
        if kept is not None and _same(kept[0], inputs):
            return kept[1]
        value = compute()
        self.kept[name] = (inputs, value)
        return value


def _same(old: tuple, new: tuple) -> bool:
    return len(old) == len(new) and all(a is b if isinstance(b, Item) else a == b for a, b in zip(old, new))
