"""The progress plot and page: readable labels, the mistakes found most, escaped names."""

from __future__ import annotations

import datetime as dt
import io

from formcoach.report.progress import MAX_DATED_WEEKS, progress_html, progress_png, top_mistakes, week_ticks
from formcoach.store import WeekProgress


def weeks(n: int) -> list[WeekProgress]:
    monday = dt.date(2026, 9, 7)
    return [WeekProgress(week=monday + dt.timedelta(weeks=i), sessions=2 + i % 2, reps_left=16, reps_right=16,
                         depth_median=0.6, depth_left=0.55 + 0.01 * i, depth_right=0.5 + 0.02 * i,
                         lowering_median_s=1.5 + 0.05 * i, lowering_left_s=1.5, lowering_right_s=1.6,
                         fault_share={"knee_caving": 0.5 - 0.02 * i, "tempo": 0.1, "heel_lift": 0.0,
                                      "hip_drop": None, "shallow_depth": 0.3},
                         assessed={"knee_caving": 16, "tempo": 32, "heel_lift": 32, "hip_drop": 0,
                                   "shallow_depth": 32})
            for i in range(n)]


def test_few_weeks_are_each_labelled_with_their_sessions() -> None:
    at, labels = week_ticks(weeks(3))
    assert at == [0, 1, 2]
    assert labels[0] == "7 Sep\n2 sessions" and labels[1] == "14 Sep\n3 sessions"


def test_many_weeks_get_a_few_dates_ending_on_the_latest() -> None:
    many = weeks(30)
    at, labels = week_ticks(many)
    assert len(at) <= MAX_DATED_WEEKS and at[-1] == 29
    assert labels[-1] == f"{many[-1].week.day} {many[-1].week:%b}"


def test_the_mistakes_drawn_are_those_found_most_and_never_one_not_found() -> None:
    assert top_mistakes(weeks(4)) == ["knee_caving", "shallow_depth", "tempo"]
    assert "heel_lift" not in top_mistakes(weeks(4), limit=10)


def test_png_is_a_picture_of_the_expected_size() -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(progress_png(weeks(5), {"knee_caving": "Knee caving in"}, (2.0, 3.0))))
    assert image.size == (1000, 1300)


def test_html_page_has_the_numbers_and_escapes_names() -> None:
    page = progress_html(weeks(2), {"knee_caving": "Knee <caving>"}, (2.0, 3.0))
    assert "Knee &lt;caving&gt;" in page and "<caving>" not in page
    assert "07 Sep 2026" in page and "55 %" in page and "http" not in page
