import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from matchhub.matching.text import fold, fold_char, fold_with_offsets, token_spans, tokens


def test_fold_removes_case_and_vietnamese_diacritics():
    assert fold("Lập Trình") == "lap trinh"
    assert fold("KIỂM THỬ PHẦN MỀM") == "kiem thu phan mem"
    assert fold("tiếng Anh") == "tieng anh"


def test_fold_maps_d_with_stroke_which_does_not_decompose():
    assert unicodedata.normalize("NFD", "đ") == "đ"
    assert fold("Đồ họa") == "do hoa"
    assert fold("đảm bảo chất lượng") == "dam bao chat luong"


def test_fold_is_the_same_for_nfc_and_nfd_input():
    text = "Kỹ năng giao tiếp"
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


def test_fold_collapses_whitespace_and_strips():
    assert fold("  Spring \t\n Boot  ") == "spring boot"
    assert fold("") == ""


def test_fold_char_edge_cases():
    assert fold_char("Đ") == "d"
    assert fold_char("ß") == "ss"
    assert fold_char("\u0301") == ""  # a lone combining accent
    assert fold_char("\t") == " "


def test_fold_with_offsets_maps_back_to_original_characters():
    text = "Lập trình C# và Đồ họa"
    folded, offsets = fold_with_offsets(text)
    assert folded == "lap trinh c# va do hoa"
    start = folded.index("do hoa")
    end = start + len("do hoa")
    assert text[offsets[start] : offsets[end - 1] + 1] == "Đồ họa"
    assert offsets[-1] == len(text)


def test_fold_with_offsets_on_decomposed_text_keeps_original_indices():
    text = unicodedata.normalize("NFD", "Tiếng Anh")
    folded, offsets = fold_with_offsets(text)
    assert folded == "tieng anh"
    start = folded.index("anh")
    assert text[offsets[start] : offsets[start + 2] + 1] == "Anh"


@given(st.text(max_size=60))
def test_fold_with_offsets_is_consistent_for_any_text(text):
    folded, offsets = fold_with_offsets(text)
    assert len(offsets) == len(folded) + 1
    assert offsets == sorted(offsets)
    for i, ch in enumerate(folded):
        assert ch in fold_char(text[offsets[i]])


def test_tokens_keep_plus_and_hash_suffixes():
    assert tokens(fold("C/C++, C# và F #")) == ["c", "c++", "c#", "va", "f#"]
    assert tokens(fold("ASP.NET Core")) == ["asp", "net", "core"]
    assert tokens(fold("node .js; html5 ,")) == ["node", "js", "html5"]
    assert tokens("") == []


def test_token_spans_index_into_the_folded_string():
    folded = fold("Java, Spring-Boot")
    assert [(t, folded[s:e]) for t, s, e in token_spans(folded)] == [
        ("java", "java"),
        ("spring", "spring"),
        ("boot", "boot"),
    ]
