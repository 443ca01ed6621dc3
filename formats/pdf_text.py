"""Makes Chinese text in a PDF from QGIS (Qt) searchable as printed.

Qt writes each embedded font's ToUnicode map by walking Unicode upwards and taking, for each glyph,
the FIRST code point the font maps to it (QFontSubset::getReverseMap). CJK fonts such as Noto Sans
CJK map a Kangxi radical (U+2F00–U+2FD5) or a supplementary radical (U+2E80–U+2EF3) and its unified ideograph to the same glyph, and the
radicals come first: 土, 一, 日, 面 … are then copied and searched as ⼟, ⼀, ⽇, ⾯. The fix maps those
glyphs back to the ideograph (the radical's compatibility decomposition, NFKC). The maps Qt writes
are not compressed, and every code is four hex digits either way, so the file is changed in place
with no offset moving (the cross-reference table stays right)."""

from __future__ import annotations

import os
import re
import unicodedata

# CJK Radicals Supplement -> its unified ideograph (Unicode's EquivalentUnifiedIdeograph.txt; the
# Kangxi radicals have it as their NFKC form): ⻚ is 页, ⻓ is 长 …
RADICAL_SUPPLEMENT = {0x2E81: 0x5382, 0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E84: 0x4E59, 0x2E85: 0x4EBB, 0x2E86: 0x5182, 0x2E88: 0x5200, 0x2E89: 0x5202, 0x2E8A: 0x535C, 0x2E8B: 0x353E, 0x2E8E: 0x5140, 0x2E8F: 0x5C23, 0x2E90: 0x5C22, 0x2E92: 0x5DF3, 0x2E93: 0x5E7A, 0x2E94: 0x5F51, 0x2E96: 0x5FC4, 0x2E97: 0x5FC3, 0x2E98: 0x624C, 0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9C: 0x65E5, 0x2E9D: 0x6708, 0x2E9E: 0x6B7A, 0x2E9F: 0x6BCD, 0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA2: 0x6C3A, 0x2EA3: 0x706C, 0x2EA6: 0x4E2C, 0x2EA7: 0x725B, 0x2EA8: 0x72AD, 0x2EA9: 0x738B, 0x2EAB: 0x76EE, 0x2EAC: 0x793A, 0x2EAD: 0x793B, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53, 0x2EB2: 0x7F52, 0x2EB3: 0x34C1, 0x2EB4: 0x5197, 0x2EB6: 0x7F8A, 0x2EB9: 0x8002, 0x2EBA: 0x8080, 0x2EBB: 0x807F, 0x2EBC: 0x8089, 0x2EC1: 0x864E, 0x2EC2: 0x8864, 0x2EC3: 0x8980, 0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2, 0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D, 0x2ECB: 0x8F66, 0x2ECF: 0x9091, 0x2ED0: 0x9485, 0x2ED1: 0x9577, 0x2ED2: 0x9578, 0x2ED3: 0x957F, 0x2ED4: 0x95E8, 0x2ED6: 0x961D, 0x2ED7: 0x96E8, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875, 0x2EDB: 0x98CE, 0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDF: 0x98E0, 0x2EE0: 0x9963, 0x2EE2: 0x9A6C, 0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F, 0x2EE7: 0x5364, 0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4, 0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50, 0x2EED: 0x6B6F, 0x2EEE: 0x9F7F, 0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C, 0x2EF2: 0x4E80, 0x2EF3: 0x9F9F}  # fmt: skip
_STREAM = re.compile(rb"/ToUnicode (\d+) 0 R")
_CODE = re.compile(rb"<([0-9A-Fa-f]{4})>")


def _ideograph(code: int) -> int:
    """The unified ideograph a radical stands for; the code itself for anything else."""
    if not (0x2E80 <= code <= 0x2FDF):
        return code
    if code in RADICAL_SUPPLEMENT:
        return RADICAL_SUPPLEMENT[code]
    folded = unicodedata.normalize("NFKC", chr(code))
    return ord(folded) if len(folded) == 1 and ord(folded) <= 0xFFFF else code


def _fix_map(body: bytes) -> bytes:
    out = []
    section = b""
    for line in body.split(b"\n"):
        stripped = line.strip()
        if stripped.endswith(b"beginbfrange") or stripped.endswith(b"beginbfchar"):
            section = stripped.split()[-1]
        elif stripped in (b"endbfrange", b"endbfchar"):
            section = b""
        elif section:
            codes = list(_CODE.finditer(line))
            # bfchar: <src> <dst>; bfrange: <lo> <hi> <dst> (a run: left alone unless one code long)
            # or <lo> <hi> [<dst> ...]
            skip = 1 if section == b"beginbfchar" else 2
            run = (
                section == b"beginbfrange"
                and b"[" not in line
                and len(codes) == 3
                and codes[0].group(1) != codes[1].group(1)
            )
            if not run:
                parts, last = [], 0
                for match in codes[skip:]:
                    code = int(match.group(1), 16)
                    parts.append(line[last : match.start(1)] + b"%04X" % _ideograph(code))
                    last = match.end(1)
                line = b"".join(parts) + line[last:]
        out.append(line)
    return b"\n".join(out)


def fix_cjk_text(path: str | os.PathLike) -> int:
    """Rewrites the ToUnicode maps of the PDF at `path` in place; returns how many codes changed."""
    with open(path, "r+b") as handle:
        data = handle.read()
        changed = 0
        for number in sorted(set(_STREAM.findall(data))):
            head = re.search(rb"(?:^|\n)" + number + rb" 0 obj\s*<<\s*/Length (\d+)\s*>>\s*stream\r?\n", data)
            if head is None:
                continue  # a map written otherwise (compressed, indirect length): left as it is
            start, length = head.end(), int(head.group(1))
            body = data[start : start + length]
            fixed = _fix_map(body)
            if fixed != body and len(fixed) == len(body):
                changed += sum(a != b for a, b in zip(_CODE.findall(body), _CODE.findall(fixed)))
                data = data[:start] + fixed + data[start + length :]
        if changed:
            handle.seek(0)
            handle.write(data)
    return changed
