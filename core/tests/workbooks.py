"""Workbooks built for tests of what reading one costs."""

import io
import zipfile
from typing import BinaryIO

from openpyxl.xml.constants import SHARED_STRINGS


def with_shared_strings(content: BinaryIO, count: int) -> io.BytesIO:
    """`content` (an XLSX) with a shared-strings table of `count` strings, none used, declared
    in its content types as every spreadsheet program declares it."""
    source = zipfile.ZipFile(content)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.namelist():
            data = source.read(member)
            if member == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS}"/>'
                    "</Types>".encode(),
                )
            archive.writestr(member, data)
        archive.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main">'
            + b"".join(b"<si><t>s%d</t></si>" % n for n in range(count))
            + b"</sst>",
        )
    out.seek(0)
    return out
