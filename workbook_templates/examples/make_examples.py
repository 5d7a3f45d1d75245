"""Writes the two filled example workbooks from the transcriptions beside this file.

    python workbook_templates/examples/make_examples.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from perfeval.template import write_workbook  # noqa: E402
import seed000  # noqa: E402
import seed004  # noqa: E402

EXAMPLES = {
    "住建厅综合平台使用费项目-2023-绩效评价.xlsx": seed000.DATA,
    "网络系统运行服务费项目-2022-绩效自评.xlsx": seed004.DATA,
}

if __name__ == "__main__":
    for name, data in EXAMPLES.items():
        print(write_workbook(HERE / name, data))
