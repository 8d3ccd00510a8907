"""Reads a Word document the way the suite checks one: prints JSON with its paragraphs, its
tables (rows of cell texts), the number of inline pictures, the page size and margins in
twips, the East Asian fonts its runs name, and whether its footer numbers the pages.

Usage: read_docx.py FILE
"""

import json
import sys

from docx import Document
from docx.oxml.ns import qn


def east_asian_fonts(document):
    fonts = set()
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            properties = run._element.rPr
            if properties is not None and properties.rFonts is not None:
                name = properties.rFonts.get(qn("w:eastAsia"))
                if name:
                    fonts.add(name)
    return sorted(fonts)


def main():
    document = Document(sys.argv[1])
    section = document.sections[0]
    twips = lambda length: None if length is None else round(length.twips)
    print(
        json.dumps(
            {
                "paragraphs": [p.text for p in document.paragraphs],
                "tables": [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables],
                "pictures": len(document.inline_shapes),
                "page": [twips(section.page_width), twips(section.page_height)],
                "margins": [
                    twips(section.top_margin),
                    twips(section.bottom_margin),
                    twips(section.left_margin),
                    twips(section.right_margin),
                ],
                "fonts": east_asian_fonts(document),
                "page_numbers": "PAGE" in section.footer._element.xml,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
