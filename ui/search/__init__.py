"""Finding any letter: the Zoeken box and its results (issue 14)."""
