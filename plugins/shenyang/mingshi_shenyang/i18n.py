"""Shenyang's message catalog: explanations are written in English and translated to zh_CN."""

from pathlib import Path

from mingshi.jurisdiction import Translator

_ = Translator("mingshi_shenyang", Path(__file__).parent / "translations")
