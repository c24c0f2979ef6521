"""Chinese numerals as reports write them: section markers (一、 （二）) and
the words of messages (第二部分)."""

from __future__ import annotations

CN_NUM = "一二三四五六七八九十"
# "三、四季度" / "一、二级": numbers listed after a marker-like numeral, not a heading marker and its title
NUMBER_LIST = r"[一二三四五六七八九十]{1,2}(?:[、,，]|季度|月|年|级|类|批|次|个|等)"


def cn_number(text: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十三 -> 23; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    values = {c: i + 1 for i, c in enumerate(CN_NUM)}
    tens, sep, ones = text.partition("十")
    if not sep:
        return values.get(text, 0)
    return (values.get(tens, 0) if tens else 1) * 10 + values.get(ones, 0)


def cn(n: int) -> str:
    """A number written in Chinese numerals: 1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三."""
    if n <= 10:
        return CN_NUM[n - 1] if n > 0 else "〇"
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUM[tens - 1]
    return head + "十" + (CN_NUM[ones - 1] if ones else "")


def section_no_en(no: str) -> str:
    """A section number for English messages: 二 -> 2; anything else quoted."""
    return str(CN_NUM.index(no) + 1) if len(no) == 1 and no in CN_NUM else f"“{no}”"
