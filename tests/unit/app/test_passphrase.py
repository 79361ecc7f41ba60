from counsel.app.passphrase import MIN_LENGTH, estimate


def test_empty_is_very_weak_and_not_acceptable():
    s = estimate("")
    assert s.score == 0 and not s.acceptable


def test_short_is_never_acceptable_and_capped():
    s = estimate("Zq9!x")
    assert not s.acceptable
    assert s.score <= 1


def test_common_password_is_weak_even_if_long():
    assert estimate("password").score == 0
    assert estimate("salasana salasana").score <= 1


def test_repeats_and_sequences_score_lower_than_random():
    assert estimate("aaaaaaaaaaaa").score < estimate("kq7vZt2mPw9x").score
    assert estimate("abcdefghijkl").bits < estimate("qmzrtxbwfjla").bits


def test_several_words_are_strong():
    s = estimate("kahvi ikkuna polkupyörä sateenvarjo")
    assert s.acceptable and s.score >= 3


def test_min_length_boundary():
    assert not estimate("x" * (MIN_LENGTH - 1)).acceptable
    assert estimate("kx7Qm2pz").acceptable


def test_label_is_translated_text():
    assert estimate("kahvi ikkuna polkupyörä sateenvarjo").label in ("Strong", "Very strong")


def test_finnish_words_phrase_rates_well_and_a_name_with_a_year_weak():
    # the issue: "uusi salasana talvi lumi" was very weak and "Marjatta1985" strong
    assert estimate("uusi salasana talvi lumi").score >= 3
    assert estimate("Marjatta1985").score <= 1
    assert estimate("Kristina2001!").score <= 2


def test_long_input_is_estimated_quickly_and_capped():
    s = estimate("kahvi " * 500)
    assert s.acceptable and 0 <= s.score <= 4
