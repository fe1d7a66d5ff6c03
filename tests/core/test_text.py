from hypothesis import given
from hypothesis import strategies as st

from trajectoires.core.text import search_key


def test_accents_case_hyphens_and_apostrophes_fold_away():
    assert search_key("Saint-Étienne") == "saint etienne"
    assert search_key("  L'Haÿ-les-Roses ") == "l hay les roses"
    assert search_key("Vandœuvre-lès-Nancy") == "vandoeuvre les nancy"
    assert search_key("CC Faucigny - Glières") == "cc faucigny glieres"


@given(st.text())
def test_a_key_is_plain_lowercase_ascii_words_and_stable(text):
    key = search_key(text)
    assert set(key) <= set("abcdefghijklmnopqrstuvwxyz0123456789 ")
    assert "  " not in key
    assert key == key.strip()
    assert search_key(key) == key
