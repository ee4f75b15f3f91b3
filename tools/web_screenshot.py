"""Take docs/images/web.png: the web checker with the flagship problem and a wrong answer.

Start the checker first (`make serve`), then run
`.venv/bin/python tools/web_screenshot.py [URL] [OUTPUT] [WIDTH]`; it drives headless
Chromium with Selenium and Debian's chromedriver, fills in the page's example and saves a
picture of the whole page.
"""

from __future__ import annotations

import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(url: str = "http://127.0.0.1:8000/", out: str = "docs/images/web.png",
         width: int = 1000) -> None:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in [*FLAGS, f"--user-data-dir={tempfile.mkdtemp()}", f"--window-size={width},1600"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(url)
        driver.find_element(By.CSS_SELECTOR, "button.example[data-example=integral]").click()
        time.sleep(1.5)  # the previews
        driver.find_element(By.ID, "submit-integral").click()
        WebDriverWait(driver, 120).until(lambda d: d.find_element(By.ID, "answer").is_displayed())
        time.sleep(0.5)  # the picture
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(width, height + 40)
        driver.save_screenshot(out)
        print(f"wrote {out} ({driver.find_element(By.ID, 'verdict').text})")
    finally:
        driver.quit()


if __name__ == "__main__":
    args = sys.argv[1:]
    main(*args[:2], *(int(a) for a in args[2:3]))
