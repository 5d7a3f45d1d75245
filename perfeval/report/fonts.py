"""The report's fonts: a setting (``perfeval build --font 正文=仿宋``), with the GB/T 9704 defaults.

Apart from the styles that use them (style.py), so that what only names the fonts (the command
line, the stamp a report is made with) loads no Word library.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..errors import SettingError


@dataclass(frozen=True)
class Fonts:
    """Font names used by the report; a setting, with the GB/T 9704 defaults."""
    body: str = "仿宋_GB2312"
    title: str = "方正小标宋简体"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    heading3: str = "仿宋_GB2312"
    latin: str = "Times New Roman"
    page_number: str = "宋体"

    # The names users give the settings (perfeval build --font 正文=仿宋).
    KEYS = {"正文": "body", "标题": "title", "一级标题": "heading1", "二级标题": "heading2",
            "三级标题": "heading3", "数字": "latin", "页码": "page_number"}

    @classmethod
    def from_settings(cls, items) -> "Fonts":
        """The report's fonts with ``['正文=仿宋', '标题=黑体', …]`` (as --font gives them) applied."""
        settings = {}
        for item in items:
            key, sep, name = item.partition("=")
            if not sep:
                raise SettingError(f"字体设置“{item}”应写成 项目=字体，如 正文=仿宋。")
            settings[key.strip()] = name
        return cls().with_settings(settings)

    def with_settings(self, settings: dict[str, str]) -> "Fonts":
        """A copy with ``{'正文': '仿宋', …}`` applied; unknown keys raise SettingError."""
        changes = {}
        for key, name in settings.items():
            if key not in self.KEYS:
                raise SettingError(f"未知的字体设置“{key}”，可用：{'、'.join(self.KEYS)}")
            if not name.strip():
                raise SettingError(f"字体设置“{key}”的字体名称为空")
            changes[self.KEYS[key]] = name.strip()
        return replace(self, **changes)
