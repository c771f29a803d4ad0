"""The legal document reader: what an officer's document is, who signed it, and what it allows.

``reader.read_document`` is the entry point for the desk workflow and the ``classify``
command. ``classify.classify_text`` works on text alone. Pure modules (markers,
fields, classify, guidance, extract, imaging, reader) never import Django.
"""
