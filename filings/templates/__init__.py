"""The .docx templates (package data) and ``build_templates.py``, the script that makes them."""
