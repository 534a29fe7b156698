file page.py
