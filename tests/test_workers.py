"""The workers a stage's tasks run on: results in task order, a city's tasks kept on one
worker, and the parent's head start on later stages (never a failure of its own)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from ici_site.build.speed import Fast
from ici_site.build.state import State
from ici_site.build.workers import run
from ici_site.pipeline import Context


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


@dataclass(frozen=True)
class _Told(Context):
    """A stage's context that keeps what it is told of each result, and when."""

    told: list[tuple[int, int, float]] = field(default_factory=list)

    def received(self, task: int, result: int) -> None:
        self.told.append((task, result, time.monotonic()))


def _slow_square(_: object, n: int) -> tuple[int, float]:
    time.sleep(0.15 if n == 5 else 0.02)  # the last task runs long
    return n * n, time.monotonic()


def test_the_stage_is_told_each_result_in_task_order_while_later_tasks_still_run() -> None:
    context = _Told()
    results = Fast(State(), jobs=2, forced=True).map(_slow_square, context, range(6))
    assert [task for task, _, _ in context.told] == list(range(6))
    assert [result for _, result, _ in context.told] == results  # each with its own result
    last_done = results[5][1]
    assert context.told[0][2] < last_done  # the first result was taken while the last task ran
