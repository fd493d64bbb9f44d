"""``formcoach history``: the sessions kept in the history database, and progress week by week.

Also the saving hooks of ``analyze``, ``live`` and ``demo``: :func:`open_for_saving` opens the
database before the work (a database that cannot be used stops the command first, exit code 2)
and :func:`save_session` keeps the result. The database is ``--db URL``, else ``$FORMCOACH_DB``,
else the default SQLite file (``docs/history.md``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

import typer
from rich.markup import escape

from formcoach.cli.console import console, err_console
from formcoach.errors import UserError

if TYPE_CHECKING:
    from formcoach.analysis import Analysis
    from formcoach.api import SessionResult
    from formcoach.exercise import Exercise
    from formcoach.store import SessionSummary, Store

DbOption = Annotated[str | None, typer.Option("--db", metavar="URL", help="History database: a SQLite "
                                              "file or postgresql://... (default: $FORMCOACH_DB, else "
                                              "history.sqlite in your data folder).")]
LimitOption = Annotated[int, typer.Option("--limit", min=1, help="Show this many sessions.")]
NoSaveOption = Annotated[bool, typer.Option("--no-save", help="Do not keep this session in the history.")]
#: Shortest id prefix accepted by ``history show``/``delete``.
MIN_PREFIX = 6


def open_for_saving(db: str | None, no_save: bool) -> Store | None:
    """The history to save into (opened now, so a bad database stops the command before any work)."""
    from formcoach import store

    return None if no_save else store.open(db)


def save_session(history: Store | None, result: SessionResult, source: Literal["file", "live"], *,
                 quiet: bool = False, filename: str | None = None) -> str | None:
    """Keep ``result`` in ``history`` (with the video's content hash) and say so; return the id.
    ``filename`` is the name shown in the history (default: the video's)."""
    if history is None:
        return None
    from formcoach.store import video_sha256

    video_hash = video_sha256(result.video) if result.video is not None else None
    with history:
        session_id = history.save(result, source=source, video_hash=video_hash, filename=filename)
    out = err_console if quiet else console
    out.print(f"Saved in your history as {session_id[:8]} (formcoach history show {session_id[:8]}"
              f"{_db_flag(history)})", highlight=False)
    return session_id


def _db_flag(history: Store) -> str:
    """`` --db WHERE`` when the history is not the one a bare ``formcoach history`` opens."""
    from formcoach.store import resolve_url

    return "" if history.url == resolve_url(None) else f" --db {history.where}"


def _find(history: Store, session_id: str) -> str:
    """The full id of a session given its id or a prefix of at least :data:`MIN_PREFIX` digits."""
    matches = history.match_ids(session_id.lower())
    if len(session_id) < MIN_PREFIX or len(matches) != 1:
        what = "matches several sessions" if len(matches) > 1 else "is not a session in this history"
        raise UserError(f"{session_id}: {what}; 'formcoach history' lists them")
    return matches[0]


def _when(summary: SessionSummary) -> str:
    return f"{summary.created_at.astimezone():%a %d %b %Y %H:%M}"


def print_sessions(sessions: list[SessionSummary], total: int, where: str) -> None:
    """The sessions as a table, newest first."""
    from rich.table import Table

    if not sessions:
        console.print(f"No sessions yet in {where}. 'formcoach analyze VIDEO' keeps one.", highlight=False)
        return
    table = Table(show_edge=False, header_style="bold", caption_justify="left",
                  caption=f"{len(sessions)} of {total} sessions in {escape(where)}; depth: share of a full "
                  "lunge, down: median lowering time")
    for head in ("id", "when", "from", "file", "view", "reps L/R", "sets", "depth", "down", "status"):
        table.add_column(head, justify="right" if head in ("sets", "depth", "down") else "left")
    for s in sessions:
        table.add_row(s.id[:8], _when(s), s.source, escape(s.filename or "-"), s.view or "-",
                      "-" if s.reps is None else f"{s.reps_left}/{s.reps_right}", _opt(s.sets),
                      _opt(s.depth_median, "{:.0%}"), _opt(s.lowering_median_s, "{:.1f} s"),
                      s.status if s.status == "done" else f"[yellow]{s.status}[/]")
    console.print(table)


def _opt(value: float | int | None, fmt: str = "{}") -> str:
    return "-" if value is None else fmt.format(value)


@dataclass(frozen=True)
class _StoredResult:
    """A stored session as ``print_coaching`` reads a SessionResult: its analysis and exercise."""

    analysis: Analysis
    exercise: Exercise


def show(history: Store, session_id: str, as_json: bool) -> None:
    """Print a stored session as ``analyze`` printed it (``as_json``: the very same JSON)."""
    from formcoach.analysis import Analysis
    from formcoach.cli.commands_analyze import print_coaching, print_summary
    from formcoach.exercise import load_exercise

    record = history.get(_find(history, session_id))
    if record.analysis_json is None:
        raise UserError(f"{session_id}: this session has no analysis ({record.status}"
                        f"{': ' + record.error if record.error else ''})")
    if as_json:
        typer.echo(record.analysis_json)
        return
    console.print(f"Session {record.id[:8]}, {_when(record)}, from {record.source}", highlight=False)
    analysis = Analysis.from_dict(cast(dict[str, Any], record.analysis))
    print_summary(analysis)
    print_coaching(cast(Any, _StoredResult(analysis, load_exercise(record.exercise_id))))
    for kind, path in sorted(record.artefacts.items()):
        console.print(f"{kind}: {path}", highlight=False)


def print_progress(history: Store, plot: Path | None) -> None:
    """The weekly progress as two tables (and a plot when asked)."""
    from rich.table import Table

    from formcoach.exercise import load_exercise

    weeks = history.progress()
    if not weeks:
        console.print("No finished sessions yet: nothing to compare.", highlight=False)
        return
    exercise = load_exercise("reverse_lunge")
    titles = {m.id: m.title for m in exercise.mistakes}
    table = Table(show_edge=False, header_style="bold", caption_justify="left",
                  caption="medians over the week's reps; depth: share of a full lunge (front thigh "
                  "level); gap: left minus right")
    for head in ("week of", "sessions", "reps L/R", "depth", "depth L/R", "gap", "down (s)"):
        table.add_column(head, justify="left" if head == "week of" else "right")
    for w in weeks:
        table.add_row(f"{w.week:%d %b %Y}", str(w.sessions), f"{w.reps_left}/{w.reps_right}",
                      _opt(w.depth_median, "{:.0%}"),
                      f"{_opt(w.depth_left, '{:.0%}')}/{_opt(w.depth_right, '{:.0%}')}",
                      _opt(w.depth_gap, "{:+.0%}"), _opt(w.lowering_median_s, "{:.1f}"))
    console.print(table)
    shown = weeks[-6:]
    faults = Table(show_edge=False, header_style="bold", caption_justify="left",
                   caption="share of the reps the camera could judge that had the mistake ('-': not judged)")
    faults.add_column("mistake")
    for w in shown:
        faults.add_column(f"{w.week:%d %b}", justify="right")
    for code, title in titles.items():
        if any(w.assessed.get(code) for w in shown):
            faults.add_row(title, *[_opt(w.fault_share.get(code), "{:.0%}") for w in shown])
    console.print(faults)
    if plot is not None:
        write_plot(weeks, plot, titles, (exercise.tempo.lowering_s_min, exercise.tempo.lowering_s_target))
        console.print(f"Plot: {plot}", highlight=False)


def write_plot(weeks: list[Any], plot: Path, titles: dict[str, str], aim_s: tuple[float, float]) -> None:
    """Write the progress plot as ``.png`` or a self-contained ``.html`` page."""
    from formcoach.report.progress import progress_html, progress_png

    if plot.suffix.lower() == ".png":
        plot.write_bytes(progress_png(weeks, titles, aim_s))
    else:
        plot.write_text(progress_html(weeks, titles, aim_s), encoding="utf-8")


def check_plot(plot: Path | None) -> None:
    """Refuse, before any work, a plot file that is not .png/.html or sits in a missing folder."""
    if plot is None:
        return
    if plot.suffix.lower() not in (".png", ".html"):
        raise UserError(f"{plot}: the plot's file name must end in .png or .html")
    if not plot.parent.is_dir():
        raise UserError(f"{plot.parent}: folder does not exist")


EXPORT_FIELDS = ("id", "created_at", "week", "source", "status", "filename", "exercise_id",
                 "exercise_version", "video_hash", "model", "mirrored", "duration_s", "view", "lunge_type",
                 "reps_left", "reps_right", "sets", "lowering_median_s", "rise_median_s", "depth_median")


def export(history: Store, fmt: str) -> str:
    """Every session: CSV (one row per session) or JSON (each with its analysis), as text."""
    import csv
    import io

    rows = []
    for summary in history.list_sessions(limit=1_000_000):
        row = {name: getattr(summary, name) for name in EXPORT_FIELDS}
        row["created_at"], row["week"] = summary.created_at.isoformat(), summary.week.isoformat()
        if fmt == "json":
            row["analysis"] = history.get(summary.id).analysis
        rows.append(row)
    if fmt == "json":
        return json.dumps({"format": "formcoach.history", "version": 1, "sessions": rows}, indent=1) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def delete(history: Store, session_id: str | None, everything: bool, yes: bool) -> None:
    """Delete one session or all of them, with their files, after asking (unless ``yes``)."""
    if everything == (session_id is not None):
        raise UserError("give a session ID or --all (not both)")
    if everything:
        count = history.count()
        if not yes and not typer.confirm(f"Delete all {count} sessions in {history.where} and their files?"):
            raise typer.Exit(1)
        console.print(f"Deleted {history.delete_all()} sessions.", highlight=False)
        return
    assert session_id is not None
    record = history.get(_find(history, session_id))
    if not yes and not typer.confirm(f"Delete session {record.id[:8]} ({_when(record)}, "
                                     f"{record.filename or record.source}) and its files?"):
        raise typer.Exit(1)
    history.delete(record.id)
    console.print(f"Deleted session {record.id[:8]}.", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``history`` and its subcommands to ``app``."""
    from formcoach import store

    group = typer.Typer(help="Your sessions, kept in the history database, and your progress week by "
                        "week (docs/history.md).", no_args_is_help=False)

    @group.callback(invoke_without_command=True)
    def history(ctx: typer.Context, db: DbOption = None,
                limit: LimitOption = 20) -> None:
        """List your sessions, newest first."""
        if ctx.invoked_subcommand is None:
            with store.open(db) as opened:
                print_sessions(opened.list_sessions(limit=limit), opened.count(), opened.where)

    @group.command("list")
    def list_command(db: DbOption = None,
                     limit: LimitOption = 20) -> None:
        """List your sessions, newest first (the same as plain 'formcoach history')."""
        with store.open(db) as opened:
            print_sessions(opened.list_sessions(limit=limit), opened.count(), opened.where)

    @group.command("show")
    def show_command(session_id: Annotated[str, typer.Argument(metavar="ID")], db: DbOption = None,
                     as_json: Annotated[bool, typer.Option("--json", help="Print the analysis JSON, "
                                                           "exactly as 'analyze --json' did.")] = False,
                     ) -> None:
        """Show a session as 'formcoach analyze' showed it (ID: its first 6+ characters will do)."""
        with store.open(db) as opened:
            show(opened, session_id, as_json)

    @group.command("progress")
    def progress_command(db: DbOption = None, plot: Annotated[Path | None, typer.Option(
            "--plot", metavar="FILE.png|FILE.html", help="Also draw the weeks: depth, lowering time, "
            "mistakes.")] = None) -> None:
        """Week by week: sessions, reps per leg, depth, lowering time, mistakes, left/right gap."""
        check_plot(plot)
        with store.open(db) as opened:
            print_progress(opened, plot)

    _register_export_and_delete(group)
    app.add_typer(group, name="history")


def _register_export_and_delete(group: typer.Typer) -> None:
    """Add ``history export`` and ``history delete`` to the ``history`` group."""
    from formcoach import store

    @group.command("export")
    def export_command(fmt: Annotated[str, typer.Option("--format", metavar="csv|json",
                                                        help="csv: one row per session; json: each "
                                                        "with its analysis.")] = "csv",
                       out: Annotated[Path | None, typer.Option("--out", metavar="FILE",
                                                                help="Write there (default: stdout).")]
                       = None,
                       db: DbOption = None) -> None:
        """Export every session as CSV or JSON."""
        if fmt not in ("csv", "json"):
            raise UserError(f"--format {fmt}: use csv or json")
        if out is not None and not out.parent.is_dir():
            raise UserError(f"{out.parent}: folder does not exist")
        with store.open(db) as opened:
            text = export(opened, fmt)
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            err_console.print(f"Exported to {out}", highlight=False)

    @group.command("delete")
    def delete_command(session_id: Annotated[str | None, typer.Argument(metavar="[ID]")] = None,
                       everything: Annotated[bool, typer.Option("--all", help="Every session.")] = False,
                       yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
                       db: DbOption = None) -> None:
        """Delete a session (or --all) and its files, after asking."""
        with store.open(db) as opened:
            delete(opened, session_id, everything, yes)
