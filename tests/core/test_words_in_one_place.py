"""One way to say a thing in Chinese: the plugin's Chinese words live in core/words.py and its sentences
in core/messages.py. A Chinese string literal anywhere else in the plugin fails here, unless its file is
on the allow-list below with the reason it may hold one."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")  # ideographs: full-width punctuation alone is typography, not a word
SKIPPED = ("tests", "scripts", ".build")  # the tests and the developer's scripts (sample data) are not the plugin
# file -> why its Chinese literals stay there
ALLOWED = {
    "core/words.py": "the words",
    "core/messages.py": "the sentences",
    "core/definitions.py": "field contracts (name, kind, Chinese alias), the column and layer names read from input, fonts",
    "core/campaign.py": "the pattern that reads Chinese dates (年月日, 时分秒) in townships' tables",
    "ui/inputs.py": "words in layer names that tell which layer is which (input, not output)",
}


def chinese_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string constant holding a Chinese character; docstrings are not output."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and CHINESE.search(node.value)
    ]


def literals_outside_the_catalogue() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in SKIPPED or relative in ALLOWED:
            continue
        found += [f"{relative}:{line}: {value!r}" for line, value in chinese_literals(path)]
    return found


def test_no_chinese_literal_outside_words_and_messages():
    assert literals_outside_the_catalogue() == []


def test_the_allow_list_names_files_that_exist():
    assert [name for name in ALLOWED if not (ROOT / name).is_file()] == []


def test_the_check_sees_a_literal_and_not_a_docstring_or_comment(tmp_path, monkeypatch):
    (tmp_path / "formats").mkdir()
    (tmp_path / "formats" / "bad.py").write_text(
        '"""报表的版式"""\n\n# 注释\nTITLE = "拆除核查报表"\nSEP = "、"\n\n\ndef f():\n    """说明"""\n    return f"{1}亩"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert literals_outside_the_catalogue() == ["formats/bad.py:4: '拆除核查报表'", "formats/bad.py:10: '亩'"]
