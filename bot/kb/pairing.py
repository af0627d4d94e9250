"""Which service of one guide is which service of another."""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.kb.records import ParsedService


def pair_services(ours: list[ParsedService], theirs: list[ParsedService]) -> dict[int, ParsedService]:
    """Map each of ``ours`` (by seq) to the same 事项 in ``theirs``.

    Same name first; otherwise the service at the same position when its name
    is close (the 四川 清单 and 指南 list the same 40 in the same order but word
    some differently); otherwise a clearly closest name.
    """
    by_name = {service.name: service for service in theirs}
    by_seq = {service.seq: service for service in theirs}
    paired: dict[int, ParsedService] = {}
    for service in ours:
        if service.name in by_name:
            paired[service.seq] = by_name[service.name]
            continue
        same_place = by_seq.get(service.seq)
        if same_place and fuzz.ratio(service.name, same_place.name) >= 60:
            paired[service.seq] = same_place
            continue
        scored = sorted(((fuzz.ratio(service.name, other.name), other.seq) for other in theirs), reverse=True)
        if scored and scored[0][0] >= 85 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 5):
            paired[service.seq] = by_seq[scored[0][1]]
    return paired
