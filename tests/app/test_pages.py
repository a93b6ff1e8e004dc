"""AppTest tests: every page, driven through its widgets as a signed-in (or anonymous) user."""
from __future__ import annotations

import re
import string

import numpy as np
import pandas as pd
import pytest

from core.data import load_sample
from core.train import TrainSettings, train_dataset
from storage.users import UserStore, hash_password
from storage.workspace import Workspace
from tests.app.apptest import account, app, no_errors, shown_texts, wait_for_training
from tests.helpers import clone, train_once
from texts import STRINGS


def test_anonymous_visitor_sees_sign_in_and_register_only():
    at = app(user=None)
    at.run()
    no_errors(at)
    assert [tab.label for tab in at.tabs] == ["Sign in", "Create account"]
    labels = {w.label for w in at.text_input}
    assert {"Username", "Password", "Email", "Repeat password"} <= labels


def test_wrong_password_is_refused_with_a_message():
    UserStore().create("alice", "Alice", "a@example.com", hash_password("Secret#123"))
    at = app(user=None)
    at.run()
    login = at.tabs[0]
    login.text_input[0].input("alice")
    login.text_input[1].input("wrong")
    login.button[0].click()
    at.run()
    assert not at.exception
    assert any("incorrect" in e.value for e in at.error)
    assert not at.session_state["authentication_status"]


def test_home_shows_who_is_signed_in_in_korean_by_default():
    at = app(lang="ko")
    at.run()
    no_errors(at)
    assert at.title[0].value == "Alice 님, 환영합니다"
    assert any("alice" in m.value for m in at.sidebar.markdown)


def test_data_page_loads_a_sample_and_previews_it():
    at = app()
    at.switch_page("pages/data.py").run()
    no_errors(at)
    assert "No datasets yet" in at.info[0].value
    at.selectbox(key="data.sample").set_value("iris")
    at.button(key="data.load_sample").click()
    at.run()
    no_errors(at)
    assert "150 rows" in at.success[0].value
    preview = at.dataframe[-1].value
    assert preview.shape == (50, 5) and "species" in preview.columns
    assert [d.name for d in Workspace("alice").datasets()] == ["Iris flowers (3 species)"]


def test_data_page_deletes_a_dataset_after_confirmation():
    at = app()
    Workspace("alice").save_frame(pd.DataFrame({"a": [1, 2]}), "temp")
    at.switch_page("pages/data.py").run()
    at.button(key="data.delete").click()
    at.run()
    no_errors(at)
    assert Workspace("alice").datasets() == []


def test_train_page_trains_in_the_background_and_ranks_models():
    at = app()
    load_sample(Workspace("alice"), "breast_cancer")
    at.switch_page("pages/train.py").run()
    no_errors(at)
    assert at.selectbox(key="train.target").value is None  # asked for, not silently the last column
    assert at.selectbox(key="train.target").options[0] == "diagnosis"  # the likely target first
    at.selectbox(key="train.target").set_value("diagnosis").run()
    at.multiselect(key="train.models").set_value(["linear", "dt"])
    at.number_input(key="train.folds").set_value(3)
    at.button(key="train.start").click()
    at.run()
    no_errors(at)
    assert "background" in at.success[0].value
    wait_for_training(at)
    no_errors(at)
    assert any("ranked by Telling classes apart (AUC)" in c.value for c in at.caption)
    table = at.dataframe[0].value
    runs = Workspace("alice").runs()  # the three models, and the ensemble when it beat them (on by default)
    assert len(table) == len(runs) >= 3
    assert ("ensemble" in {r.model for r in runs}) == any("Ensemble" in m for m in table["Model"])
    auc = "Telling classes apart (AUC)"
    assert list(table.columns[:2]) == ["Model", auc]  # the ranking metric first
    assert table[auc].iloc[0] == table[auc].max()
    assert "Baseline" in table["Model"].iloc[-1]
    assert {r.status for r in Workspace("alice").runs()} == {"finished"}


def test_train_page_refuses_a_one_valued_target_before_training():
    at = app()
    Workspace("alice").save_frame(pd.DataFrame({"x": range(10), "same": [1] * 10}), "flat")
    at.switch_page("pages/train.py").run()
    at.selectbox(key="train.target").set_value("same")
    at.run()
    assert not at.exception
    assert any("same value in every row" in e.value for e in at.error)
    assert at.button(key="train.start").disabled
    assert Workspace("alice").runs() == []


def test_predict_page_without_runs_points_to_train():
    at = app()
    at.switch_page("pages/predict.py").run()
    no_errors(at)
    assert "train one on the Train page" in at.info[0].value


def test_predict_page_predicts_a_stored_dataset_and_offers_the_csv():
    at = app()
    ws = Workspace("alice")
    ds = load_sample(ws, "iris")
    outcome = train_dataset(ws, ds.dataset_id, TrainSettings(target="species", models=("dt",), folds=3))
    at.switch_page("pages/predict.py").run()
    no_errors(at)
    assert at.selectbox(key="predict.run").value == outcome.run_ids["dt"]
    at.selectbox(key="predict.dataset").set_value(ds.dataset_id).run()
    assert not at.button(key="predict.go").disabled
    at.button(key="predict.go").click()
    at.run()
    no_errors(at)
    assert "Predicted 150 row(s)" in at.success[0].value
    preview = at.dataframe[0].value
    assert {"species (predicted)", "probability of 'setosa' (%)", "check"} <= set(preview.columns)
    assert (preview["species (predicted)"] == preview["species"]).mean() > 0.9
    # The original target is an extra column for the model: listed, not an error.
    assert any("species" in w.value for w in at.warning)


# -- every page in Korean and in English ------------------------------------------------------------

PAGES = ("home", "data", "edit", "explore", "train", "runs", "predict", "account", "admin")
TITLES = {page: f"{page}.title" for page in PAGES} | {"home": "home.welcome"}
# A heading is one catalogue entry, or "Preview of" + this dataset's name (the test's own data, not a text).
DATASET = "survey_2024"
# A user of this test only: the job runner is shared by the process, and other tests train as alice.
USER = "polyglot"
OTHER = {"ko": "en", "en": "ko"}
SCRIPT = {"en": re.compile(r"[A-Za-z]{2}"), "ko": re.compile(r"[\uac00-\ud7a3]")}


def catalogue_pattern(template: str) -> re.Pattern:
    """``template`` as a regular expression: its literal text, any text where it has a ``{field}``."""
    parts = [re.escape(literal) + (".+" if field is not None else "")
             for literal, field, _, _ in string.Formatter().parse(template)]
    return re.compile("".join(parts), re.DOTALL)


# Entries with words of their own: a bare format such as "{model}: {error}" would match any heading with a colon.
PATTERNS = {lang: [catalogue_pattern(entry[lang]) for entry in STRINGS.values()
                   if re.search(r"[A-Za-z\uac00-\ud7a3]", re.sub(r"{[^}]*}", "", entry[lang]))] for lang in OTHER}


def in_catalogue(text: str, lang: str) -> bool:
    return any(pattern.fullmatch(text) for pattern in PATTERNS[lang])


def foreign_phrases(lang: str) -> dict[str, str]:
    """The literal pieces of the other language's entries that no ``lang`` entry uses (an English term such as
    "AUC" inside a Korean sentence is not a leak), each with the key it comes from."""
    own = "\n".join(entry[lang] for entry in STRINGS.values())
    phrases = {}
    for key, entry in STRINGS.items():
        for literal, _, _, _ in string.Formatter().parse(entry[OTHER[lang]]):
            for piece in re.split(r"[*_#`\n]+", literal):
                piece = piece.strip(" .,:;·—–()'\"")
                if SCRIPT[OTHER[lang]].search(piece) and piece not in own:
                    phrases.setdefault(piece, key)
    return phrases


FOREIGN = {lang: foreign_phrases(lang) for lang in OTHER}
# One expression per language: any of those phrases, as whole words.
LEAK = {lang: re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(FOREIGN[lang], key=len, reverse=True)))
                         + r")(?!\w)") for lang in OTHER}


def exam_frame(n: int = 120, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"width_mm": rng.normal(size=n).round(2), "shade": rng.choice(["p", "q"], n)})
    frame["kept"] = np.where(frame["width_mm"] + rng.normal(size=n) > 0, "y", "n")
    return frame


@pytest.fixture(scope="module")
def one_run(tmp_path_factory):
    """A dataset and a finished run, for the pages that need them (made through core, as the CLI would)."""
    def build(ws):
        ws.save_frame(exam_frame(), DATASET)
        train_dataset(ws, DATASET, TrainSettings(target="kept", models=("dt",), folds=2, importance=False))

    return train_once(tmp_path_factory, build, user=USER)[0]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_speaks_one_language_from_the_catalogue(page, lang, one_run, data_dir, fast_bcrypt):
    """Title and headings are catalogue entries of the chosen language, and no sentence of the other one shows."""
    clone(one_run, data_dir, user=USER)
    at = app(USER, lang, role="admin")
    account("bob")  # someone for the Admin page to list
    at.switch_page(f"pages/{page}.py").run()
    no_errors(at)
    assert at.title[0].value == STRINGS[TITLES[page]][lang].format(name=USER.title())

    shown = shown_texts(at)
    headings = [text.removesuffix(f" {DATASET}") for kind, text in shown
                if kind in ("Title", "Header", "Subheader", "Tab", "Expander", "Button", "DownloadButton")]
    assert [h for h in headings if not in_catalogue(h, lang)] == []
    leaks = {(text, found.group(), FOREIGN[lang][found.group()]) for _, text in shown
             for found in LEAK[lang].finditer(text)}
    assert leaks == set()
