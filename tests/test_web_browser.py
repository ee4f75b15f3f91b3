"""The page in a real browser (headless Chromium): type the flagship homework problem, submit a
wrong answer, read the diagnosis, and see that KaTeX typeset the mathematics.

Skips where Selenium, Chromium or chromedriver is missing; `.ci/run` installs the browser.
"""

from __future__ import annotations

import json
import shutil
import tempfile

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
webdriver = pytest.importorskip("selenium.webdriver")

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from webserver import FLAGSHIP, serving  # noqa: E402

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                                reason="no Chromium and chromedriver installed")
# the network is closed and nothing may be fetched: no sync, no updates, no QUIC probing
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1100,1600"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("serve"), jobs=2, timeout=20) as base:
        yield base


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(dir=tmp_path_factory.mktemp('chromium'))}")
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def wait(browser, condition, seconds: float = 120):
    return WebDriverWait(browser, seconds, poll_frequency=0.2).until(condition)


def type_into(browser, element_id: str, text: str) -> None:
    field = browser.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def test_the_flagship_problem_with_a_wrong_answer(browser, server):
    browser.get(server + "/")
    wait(browser, lambda b: b.execute_script("return !!window.katex"), 30)
    type_into(browser, "original", FLAGSHIP["original"])
    type_into(browser, "region", FLAGSHIP["region"])
    type_into(browser, "sub", FLAGSHIP["sub"])
    type_into(browser, "claimed", r"\int_2^3 \int_1^4 3uv\,du\,dv")  # as a student types it
    # the live preview typesets what symjac read
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, '.preview[data-for="claimed"] .katex'))
    browser.find_element(By.ID, "submit-integral").click()
    wait(browser, lambda b: b.find_element(By.ID, "answer").is_displayed())
    verdict = browser.find_element(By.ID, "verdict")
    assert verdict.get_attribute("data-verdict") == "incorrect" and verdict.text == "Not correct"
    diagnosis = browser.find_element(By.ID, "diagnosis").text
    assert "wrong way round" in diagnosis and "u*v/3" in diagnosis
    typeset = browser.find_elements(By.CSS_SELECTOR, "#steps .katex")
    assert len(typeset) >= 1  # the correct integral; the numeric check is now one plain sentence
    assert not browser.find_elements(By.CSS_SELECTOR, "#answer .katex-error, #steps code")
    assert "3" in browser.find_element(By.CSS_SELECTOR, "#steps .katex").text
    link = browser.find_element(By.ID, "download-latex")
    assert link.is_displayed() and link.get_attribute("href").startswith("blob:")
    picture = browser.find_element(By.ID, "picture-img")
    wait(browser, lambda b: b.execute_script("return arguments[0].naturalWidth", picture) > 100, 30)


def test_the_jacobian_tab_and_a_plain_error(browser, server):
    browser.get(server + "/")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#jacobian-system option[value=polar]"), 60)
    browser.find_element(By.ID, "tab-jacobian").click()
    Select(browser.find_element(By.ID, "jacobian-system")).select_by_value("polar")
    browser.find_element(By.CSS_SELECTOR, "#form-jacobian button[type=submit]").click()
    wait(browser, lambda b: b.find_element(By.ID, "answer").is_displayed())
    assert "det J\nr" in browser.find_element(By.ID, "summary").text
    assert browser.find_elements(By.CSS_SELECTOR, "#steps .katex")
    browser.find_element(By.ID, "tab-integral").click()
    type_into(browser, "original", "x*y")
    type_into(browser, "region", "")
    type_into(browser, "sub", "u = x**2/y, v = ")
    type_into(browser, "claimed", "u")
    browser.find_element(By.ID, "submit-integral").click()
    wait(browser, lambda b: b.find_element(By.ID, "answer").is_displayed())
    assert browser.find_element(By.ID, "verdict").get_attribute("data-verdict") == "error"
    text = browser.find_element(By.ID, "diagnosis").text
    assert text and "Traceback" not in text


def test_readable_on_a_phone(browser, server):
    browser.set_window_size(390, 844)
    try:
        browser.get(server + "/")
        browser.find_element(By.CSS_SELECTOR, "button.example[data-example=integral]").click()
        browser.find_element(By.ID, "submit-integral").click()
        wait(browser, lambda b: b.find_element(By.ID, "answer").is_displayed())
        wide = browser.execute_script("return document.documentElement.scrollWidth")
        assert wide <= browser.execute_script("return window.innerWidth") + 1
    finally:
        browser.set_window_size(1100, 1600)


def test_a_class_file_with_its_progress(browser, server, tmp_path):
    right = {**FLAGSHIP, "claimed": "Integral(u*v/3, (u, 1, 4), (v, 2, 3))"}
    path = tmp_path / "class.jsonl"
    path.write_text(json.dumps({"id": "ann", **right}) + "\n"
                    + json.dumps({"id": "bob", **FLAGSHIP}) + "\n", encoding="utf-8")
    browser.get(server + "/")
    browser.find_element(By.ID, "tab-batch").click()
    browser.find_element(By.ID, "batch-file").send_keys(str(path))
    browser.find_element(By.CSS_SELECTOR, "#form-batch button[type=submit]").click()
    wait(browser, lambda b: b.find_element(By.ID, "batch-summary").text)
    progress = browser.find_element(By.ID, "batch-progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == "2"
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#batch-table tbody tr")]
    assert rows[0].startswith("ann Correct") and rows[1].startswith("bob Not correct")
    assert "inverted jacobian: 1" in browser.find_element(By.ID, "batch-summary").text
    assert browser.find_element(By.ID, "batch-download").is_displayed()
