"""The models' features: the TF-IDF weighting done without sklearn's per-call checks gives its own result."""

from __future__ import annotations

from scipy import sparse

from bot.nlu.features import TextFeatures, clean

TEXTS = ["住院报销要带啥", "乐山 门诊报销 电话多少", "異地安置備案要帶什麼", "生娃的钱咋个报", "报销 报销 报销"]


def test_the_features_are_sklearns_tfidf_of_the_cleaned_text() -> None:
    features = TextFeatures().fit(TEXTS)
    asked = TEXTS + ["", "😀", "abc 住院", "没见过的字词"]
    cleaned = [clean(t) for t in asked]
    expected = sparse.hstack([features.chars.transform(cleaned), features.words.transform(cleaned)]).tocsr()
    found = features.transform(asked)
    assert found.shape == expected.shape and abs(found - expected).max() < 1e-12
    assert found.nnz > 0
