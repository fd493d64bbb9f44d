"""The same batch on Ray (a local instance with 2 CPUs): the same JSON as ``analyze --json`` for every
input, bad videos failed with their reason, a rerun that skips everything, a killed Ray worker's task
run again by Ray; and the message when Ray is not installed."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from formcoach.batch import BatchOptions, BatchReport, Settings, Task, Watcher, run_batch
from formcoach.errors import UserError


class Killer(Watcher):
    """Sends SIGKILL to the Ray worker process that starts on ``video``, once."""

    def __init__(self, video: Path) -> None:
        self.video, self.killed = video.resolve(), 0

    def started(self, task: Task, pid: int) -> None:
        """Kill the worker (a real process, mid-task) the first time it starts on the video."""
        if task.path == self.video and not self.killed:
            self.killed = pid
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def ray_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A local Ray instance with 2 CPUs for this module (the batch uses the connection as it is),
    its workers with a data folder of their own (so an empty pose-track cache)."""
    ray = pytest.importorskip("ray", reason="Ray is the optional extra formcoach[ray]")
    with pytest.MonkeyPatch.context() as env:  # Ray's workers keep the environment of its start
        env.setenv("RAY_USAGE_STATS_ENABLED", "0")
        env.setenv("FORMCOACH_HOME", str(tmp_path_factory.mktemp("ray-home")))
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def ray_run(ray_instance: Any, batch_inputs: Any, settings: Settings,
            tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BatchReport]:
    """The whole input set through Ray, without a history (the pool's tests cover saving)."""
    out = tmp_path_factory.mktemp("ray") / "out"
    return out, run_batch([batch_inputs.list_file], BatchOptions(out, settings, ray="local", save=False))


@pytest.mark.slow
def test_ray_writes_exactly_what_analyze_json_prints(ray_run: Any, batch_inputs: Any,
                                                      expected: dict[Path, str], analysis_texts: Any) -> None:
    out, report = ray_run
    written = analysis_texts(out, report.rows)
    assert set(written) == set(batch_inputs.good)
    for path in batch_inputs.good:
        assert written[path] == expected[path], path  # byte for byte: no field dropped


@pytest.mark.slow
def test_ray_fails_bad_videos_with_their_reason(ray_run: Any, batch_inputs: Any, expected: dict[Path, str],
                                                expected_errors: dict[Path, str]) -> None:
    _, report = ray_run
    rows = {Path(row["video"]): row for row in report.rows}
    for bad in (batch_inputs.corrupt, batch_inputs.empty):  # the sentence analyze prints
        assert (rows[bad]["status"], rows[bad]["error"]) == ("failed", expected_errors[bad])
    not_lunges = sum(not json.loads(text)["is_lunge"] for text in expected.values())
    assert report.failed == 2 + not_lunges and report.done == report.total - report.failed


@pytest.mark.slow
def test_ray_rerun_skips_everything(ray_run: Any, batch_inputs: Any, settings: Settings) -> None:
    out, _ = ray_run
    again = run_batch([batch_inputs.list_file], BatchOptions(out, settings, ray="local", save=False))
    assert (again.skipped, again.done, again.failed) == (again.total, 0, 0)


@pytest.mark.slow
def test_ray_runs_a_killed_workers_task_again(ray_instance: Any, settings: Settings, tmp_path: Path,
                                              render_video: Any) -> None:
    from typer.testing import CliRunner

    from formcoach.cli.app import build_app

    video = render_video(tmp_path / "sim", "side", seed=23)  # new to the workers' pose-track cache
    killer = Killer(video)
    report = run_batch([video], BatchOptions(tmp_path / "out", settings, ray="local", save=False), killer)
    row = report.rows[0]
    assert killer.killed and row["status"] == "done" and row["runs"] == 2
    printed = CliRunner().invoke(build_app(), ["analyze", "--json", "--model", settings.model, str(video)])
    assert (tmp_path / "out" / row["analysis"]).read_text(encoding="utf-8") == printed.stdout


def test_ray_missing_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, settings: Settings,
                                            tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # as if the extra were not installed
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"not looked at")
    with pytest.raises(UserError, match=r"pip install 'formcoach\[ray\]'"):
        run_batch([video], BatchOptions(tmp_path / "out", settings, ray="local", save=False))
