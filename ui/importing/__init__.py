"""Papieren brief toevoegen: a PDF or a photo of a paper letter, checked on one calm screen."""
