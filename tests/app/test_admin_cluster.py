"""The Admin page's Cluster section: one sentence without a cluster; the workers, load and a warning with one."""
from __future__ import annotations

import pytest
from distributed import Client, Event, LocalCluster

from core import config
from core.train import cluster as cluster_module
from tests.app.apptest import ROOT, no_errors, page_text, signed_in


def admin_page(lang: str = "en"):
    at = signed_in("root", lang=lang, script=str(ROOT / "pages/admin.py"), role="admin")
    at.run()
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang, sentence", [("en", "Training runs on this server."),
                                            ("ko", "학습은 이 서버에서 실행됩니다.")])
def test_without_a_cluster_the_page_says_training_runs_on_this_server(monkeypatch, lang, sentence):
    monkeypatch.delenv(config.DASK_SCHEDULER_ENV, raising=False)
    at = admin_page(lang)
    no_errors(at)
    assert sentence in page_text(at)
    assert not at.metric


def test_the_cluster_section_shows_workers_cores_and_the_fits_running(monkeypatch):
    with LocalCluster(n_workers=1, processes=False, threads_per_worker=2, dashboard_address=None) as local, \
            Client(local, set_as_default=False) as client:
        monkeypatch.setenv(config.DASK_SCHEDULER_ENV, local.scheduler_address)
        release = Event("release-the-fit", client=client)
        held = client.submit(lambda: Event("release-the-fit").wait(60), pure=False)  # a fit that runs until told
        try:
            at = admin_page()
            no_errors(at)
            shown = metrics(at)
            assert (shown["Workers"], shown["Cores"], shown["Fits running"]) == ("1", "2", "1")
            assert "Training sends each model's folds to the cluster at " + local.scheduler_address in page_text(at)
            workers = at.dataframe[-1].value
            assert workers["Cores"].tolist() == [2] and workers["Fits running"].tolist() == [1]
            [link] = at.get("link_button")
            assert link.proto.label == "Open the cluster's dashboard" and link.proto.url.endswith("/status")
        finally:
            release.set()
            held.result()


def test_a_cluster_out_of_reach_is_a_warning_not_a_traceback(monkeypatch):
    monkeypatch.setenv(config.DASK_SCHEDULER_ENV, "tcp://127.0.0.1:9")
    monkeypatch.setattr(cluster_module, "CONNECT_SECONDS", 1)
    at = admin_page()
    assert not at.exception
    assert len(at.warning) == 1
    assert ("The training cluster at tcp://127.0.0.1:9 cannot be reached; try again later or ask the administrator."
            in page_text(at))
