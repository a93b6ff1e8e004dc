"""Browser tests: Playwright and the system Chromium against `streamlit run Home.py`."""
