"""The page feedback.py redirects to after a valid submission."""
import html
import os
from urllib.parse import parse_qs

name = parse_qs(os.environ.get("QUERY_STRING", "")).get("name", ["stranger"])[0]
print("Content-Type: text/html; charset=utf-8")
print()
print("<!DOCTYPE html>\n<html><head><title>Thank you</title></head><body>")
print("<p>Thank you, %s. Your feedback was received.</p>" % html.escape(name))
print("</body></html>")
