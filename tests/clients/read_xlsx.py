"""Reads a workbook the way the suite checks one: prints JSON with its sheet names and each
sheet's rows as the cell values openpyxl reads (numbers as numbers, empty cells as null).

Usage: read_xlsx.py FILE
"""

import json
import sys

from openpyxl import load_workbook


def main():
    book = load_workbook(sys.argv[1], read_only=True)
    print(
        json.dumps(
            {
                "sheets": book.sheetnames,
                "rows": {name: [list(row) for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames},
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
