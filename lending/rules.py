"""Which lending rule applies: the place's override, else the category's, else its parents'."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Category, LendingRule, Place


def _parents() -> dict[int, int | None]:
    # The category tree (tens to hundreds of nodes) from the shared cache, not a query each time.
    from .reference import category_parents

    return category_parents()


def category_chain(category_id: int, parents: dict[int, int | None]) -> list[int]:
    """The category's id, then its parents' ids up to the root."""
    chain: list[int] = []
    node: int | None = category_id
    while node is not None and node not in chain:
        chain.append(node)
        node = parents.get(node)
    return chain


def pick_rule(chain: list[int], place_id: int | None, rules: Iterable[LendingRule]) -> LendingRule:
    """The nearest category wins; at one category a place override beats the default."""
    by_key = {(r.category_id, r.place_id): r for r in rules}
    for category_id in chain:
        if place_id is not None and (category_id, place_id) in by_key:
            return by_key[(category_id, place_id)]
        if (category_id, None) in by_key:
            return by_key[(category_id, None)]
    return LendingRule(category_id=chain[0] if chain else 0)  # the model's defaults


def rule_for(category: Category | int, place: Place | int | None) -> LendingRule:
    category_id = category if isinstance(category, int) else category.pk
    place_id = place if isinstance(place, int) or place is None else place.pk
    chain = category_chain(category_id, _parents())
    return pick_rule(chain, place_id, LendingRule.objects.filter(category_id__in=chain))


def rules_for_many(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], LendingRule]:
    """Rules for many (category_id, place_id) pairs in two queries: for lists without N+1."""
    parents = _parents()
    chains = {pair: category_chain(pair[0], parents) for pair in set(pairs)}
    ids = {cid for chain in chains.values() for cid in chain}
    rules = list(LendingRule.objects.filter(category_id__in=ids))
    return {pair: pick_rule(chain, pair[1], rules) for pair, chain in chains.items()}
