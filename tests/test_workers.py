"""The workers a stage's tasks run on: results in task order, a city's tasks kept on one
worker, and the parent's head start on later stages (never a failure of its own)."""

from __future__ import annotations

import os
import time

from ici_site.build.workers import run


def _pid(_: object, task: tuple[str, int]) -> int:
    time.sleep(0.05)  # long enough for both workers to start
    return os.getpid()


def test_the_tasks_of_one_city_run_on_one_worker() -> None:
    tasks = [(city, n) for city in ("bologna", "graz") for n in range(4)]
    pids = run(_pid, None, tasks, jobs=2, group=lambda task: task[0])
    by_city = {city: {pid for (c, _), pid in zip(tasks, pids, strict=True) if c == city} for city in ("bologna", "graz")}
    assert [len(found) for found in by_city.values()] == [1, 1]  # each city's texts read by one process
    assert by_city["bologna"] != by_city["graz"]  # and both cores busy
    assert os.getpid() not in by_city["bologna"] | by_city["graz"]


def test_without_groups_both_workers_share_the_tasks_in_order() -> None:
    results = run(lambda _, n: (n * n, os.getpid()), None, range(20), jobs=2)
    assert [square for square, _ in results] == [n * n for n in range(20)]
    assert len({pid for _, pid in results}) == 2


def test_the_parent_takes_its_steps_while_the_workers_run_and_a_failing_one_changes_nothing() -> None:
    taken: list[tuple[int, int]] = []

    def steps():  # type: ignore[no-untyped-def]
        yield lambda: taken.append((1, os.getpid()))
        yield lambda: 1 / 0  # a head start that fails: its stage does it again, and reports it
        yield lambda: taken.append((3, os.getpid()))

    pids = run(_pid, None, [("a", n) for n in range(4)], jobs=2, meanwhile=steps())
    assert taken == [(1, os.getpid()), (3, os.getpid())]
    assert os.getpid() not in pids


def test_without_workers_the_steps_are_left_to_their_stage() -> None:
    taken: list[int] = []
    assert run(lambda _, n: n + 1, None, [1], jobs=2, meanwhile=[lambda: taken.append(1)]) == [2]
    assert taken == []
