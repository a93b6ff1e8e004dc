"""The shared job runner of this server, and the panel that shows a user's trainings as they run."""
from __future__ import annotations

import streamlit as st

from core.runs.report import model_label
from core.train import BASELINE
from core.train.jobs import JobRunner
from core.runs.learning import curve_kind
from core.train.progress_charts import live_curve_figure
from core.train.steps import step_words
from texts import STRINGS
from ui.i18n import language, t
from ui.literal import literal, t_md


@st.cache_resource
def runner() -> JobRunner:
    """One runner per server process, shared by every session (it keeps each user's jobs apart).

    Home.py asks for it on every visit, so it starts with the first one after the server starts:
    it then marks runs a dead server left running as interrupted and removes that server's job
    snapshots, whatever page is opened first.
    """
    return JobRunner()


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "…"
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else t("train.seconds", seconds=seconds)


def _cancel(username: str, job_id: str) -> None:
    runner().cancel(username, job_id)


#: The most characters of an error shown at once; the rest is behind "Full message".
ERROR_SHOWN = 200
#: Session key of the jobs whose error the user dismissed.
DISMISSED = "train.dismissed"


def short_error(text: str, limit: int = ERROR_SHOWN) -> str:
    """``text`` cut to at most ``limit`` characters (at a word where it can), ending with "…" when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


def _dismiss(job_id: str) -> None:
    st.session_state.setdefault(DISMISSED, set()).add(job_id)


def error_box(error: str, key: str, on_dismiss=None, args: tuple = ()) -> None:
    """An error in at most `ERROR_SHOWN` characters, the whole of it behind an expander, and a Dismiss button
    (when ``on_dismiss`` is given)."""
    st.error(literal(short_error(error)))
    if len(" ".join(str(error).split())) > ERROR_SHOWN:
        with st.expander(t("train.error_details")):
            st.code(str(error)[:20000], language=None, wrap_lines=True)
    if on_dismiss is not None:
        st.button(t("train.dismiss"), key=key, on_click=on_dismiss, args=args, icon=":material/close:")


def job_panel(username: str) -> None:
    """The user's trainings: progress, elapsed and remaining time, live curves, Cancel, results.

    Refreshes itself every second while one of them runs, without rerunning the page.
    """
    active = any(not j.done for j in runner().jobs(username))

    @st.fragment(run_every=1.0 if active else None)
    def panel():
        dismissed = st.session_state.get(DISMISSED, set())
        jobs = [j for j in runner().jobs(username) if j.job_id not in dismissed]
        st.subheader(t("train.jobs"))
        if not jobs:
            st.caption(t("train.no_jobs"))
            return
        for job in jobs[:5]:
            # The baseline is part of every training: the title names the models the user chose.
            models = ", ".join(model_label(m, language()) for m in job.models if m != BASELINE) \
                or model_label(BASELINE, language())
            title = t_md("train.job_title", models=models, dataset=job.dataset_name, target=job.target,
                      state=t(f"train.state.{job.state}"))
            with st.container(border=True):
                st.markdown(f"**{title}**")
                if job.state in ("queued", "running"):
                    st.progress(min(job.fraction, 1.0), text=step_words(job.message, t) or t("train.state.queued"))
                    timing = t("train.elapsed", elapsed=_duration(job.elapsed))
                    if job.remaining is not None:
                        timing += " · " + t("train.remaining", remaining=_duration(job.remaining))
                    left, right = st.columns([4, 1])
                    left.caption(timing)
                    right.button(t("train.cancel"), key=f"train.cancel.{job.job_id}", on_click=_cancel,
                                 args=(username, job.job_id))
                    curves = list(job.curves)
                    recorded = next((p.get("metric") for p in reversed(curves) if p.get("model") == job.model), None)
                    figure = live_curve_figure(curves, job.model, {
                        "train": t("train.split.train"), "valid": t("train.split.valid"), "step": t("train.step"),
                        "measure": t(f"runs.curve.{curve_kind(recorded)}")})
                    if figure is not None:
                        st.caption(t("train.live_curve", model=model_label(job.model, language())))
                        st.plotly_chart(figure, key=f"train.curve.{job.job_id}")
                elif job.state == "finished":
                    st.caption(t("train.elapsed", elapsed=_duration(job.elapsed)))
                    st.session_state["train.finished_job"] = job.job_id
                elif job.error:  # in the user's language when the error has a catalogue entry
                    message = t(job.error_key, **job.error_params) if job.error_key in STRINGS else job.error
                    error_box(message, f"train.dismiss.{job.job_id}", _dismiss, (job.job_id,))
                for note in job.notes:
                    st.caption(literal(note))
        if active and not any(not j.done for j in jobs):
            st.rerun()  # the last job just ended: redraw the page so its results appear

    panel()


__all__ = ["ERROR_SHOWN", "error_box", "job_panel", "runner", "short_error"]
