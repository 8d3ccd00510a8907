//! Builds the .docx, .xlsx and refused files the tests need, at test time, so that every
//! fixture comes with the code that made it: the reader's unit tests (`cfg(test)`) and the
//! black-box tests (feature `test-support`) use the same builders. Test code: it panics on
//! what it cannot build.

use quick_xml::escape::escape;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// A Word table cell.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    /// Text spanning this many columns (`w:gridSpan`).
    Span(String, usize),
    /// First cell of a vertical merge (`w:vMerge w:val="restart"`).
    MergeStart(String),
    /// A cell continuing the merge above (`w:vMerge`).
    MergeContinue,
}

/// A plain cell.
pub fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// A body paragraph (lines become separate paragraphs).
pub fn para(text: &str) -> String {
    text.split('\n')
        .map(|line| format!("<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>", escape(line)))
        .collect()
}

/// A table, one `Vec<Cell>` a row.
pub fn table(rows: &[Vec<Cell>]) -> String {
    let mut xml = String::from("<w:tbl><w:tblPr/>");
    for row in rows {
        xml.push_str("<w:tr>");
        for cell in row {
            let (props, text) = match cell {
                Cell::Text(t) => (String::new(), t.as_str()),
                Cell::Span(t, n) => (format!("<w:gridSpan w:val=\"{n}\"/>"), t.as_str()),
                Cell::MergeStart(t) => ("<w:vMerge w:val=\"restart\"/>".to_string(), t.as_str()),
                Cell::MergeContinue => ("<w:vMerge/>".to_string(), ""),
            };
            xml.push_str(&format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", para(text)));
        }
        xml.push_str("</w:tr>");
    }
    xml.push_str("</w:tbl>");
    xml
}

/// A zip archive with these members, deflated.
pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, data) in members {
        writer.start_file(*name, options).expect("zip member starts");
        writer.write_all(data).expect("zip member written");
    }
    writer.finish().expect("zip finishes").into_inner()
}

/// A .docx whose body is `body` (paragraphs and tables as WordprocessingML).
pub fn docx(body: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    zip_of(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ])
}

/// One sheet: its name, cells `(row, column, text)`, merged ranges with their text, and dates.
#[derive(Default)]
pub struct Sheet {
    pub name: String,
    pub cells: Vec<(u32, u16, String)>,
    pub merges: Vec<((u32, u16, u32, u16), String)>,
    pub dates: Vec<(u32, u16, (u16, u8, u8))>,
}

/// An .xlsx of these sheets, written by rust_xlsxwriter.
pub fn xlsx(sheets: &[Sheet]) -> Vec<u8> {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).expect("sheet name");
        for (r, c, t) in &sheet.cells {
            ws.write_string(*r, *c, t.as_str()).expect("cell written");
        }
        for ((r1, c1, r2, c2), t) in &sheet.merges {
            ws.merge_range(*r1, *c1, *r2, *c2, t, &Format::new()).expect("merge written");
        }
        for (r, c, (y, m, d)) in &sheet.dates {
            let value = ExcelDateTime::from_ymd(*y, *m, *d).expect("valid date");
            ws.write_datetime_with_format(*r, *c, &value, &date).expect("date written");
        }
    }
    book.save_to_buffer().expect("workbook saves")
}

/// A compound file with these streams (what Office writes for encrypted or old files).
pub fn compound_file(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("compound file");
    for (name, data) in streams {
        let mut stream = file.create_stream(name).expect("stream");
        stream.write_all(data).expect("stream written");
    }
    file.flush().expect("flushed");
    file.into_inner().into_inner()
}

/// The reference plan (`api/data/panshan-2014-103.txt`) read independently of the importer:
/// the notice lines before the table, then the header and 26 rows of five cells, exactly as
/// pasted (Traditional script, pinyin artifacts).
pub fn reference_table() -> (Vec<String>, Vec<Vec<String>>) {
    let lines: Vec<&str> = crate::bootstrap::SAMPLE_PLAN.lines().collect();
    let start = lines.iter().position(|l| l.trim_start().starts_with("序號")).expect("header line");
    let notice = lines[..start].iter().map(|l| l.to_string()).collect();
    let body = lines[start..].join("\n");
    let pieces: Vec<&str> = body.split('|').collect();
    let header = ["序號", "工作任務", "落實措施", "負責單位", "時間進度"];
    let cells: Vec<String> = pieces[..pieces.len() - 1]
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !header.contains(&c.as_str()))
        .collect();
    assert_eq!(cells.len(), 26 * 5, "26 rows of five cells");
    let mut rows = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    rows.extend(cells.chunks(5).map(<[String]>::to_vec));
    (notice, rows)
}

/// The reference plan as a Word document: the notice as paragraphs, the plan as one table,
/// the website's footer after it.
pub fn reference_docx() -> Vec<u8> {
    let (notice, rows) = reference_table();
    let cells: Vec<Vec<Cell>> = rows.iter().map(|row| row.iter().map(|c| text(c)).collect()).collect();
    docx(&format!("{}{}{}", para(&notice.join("\n")), table(&cells), para("主办单位:盘山县人民政府办公室")))
}

/// The reference plan as a workbook: a cover sheet, then the plan's sheet with its title
/// merged across the top, the document number and date below it, and the table.
pub fn reference_xlsx() -> Vec<u8> {
    let (notice, rows) = reference_table();
    let mut sheet = Sheet { name: "分工方案".into(), ..Sheet::default() };
    sheet.merges.push(((0, 0, 0, 4), notice[6].clone()));
    sheet.cells.push((1, 0, notice[1].clone()));
    sheet.cells.push((1, 3, notice[4].clone()));
    sheet.cells.push((1, 4, notice[5].clone()));
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.cells.push((u32::try_from(r + 2).expect("row"), u16::try_from(c).expect("column"), cell.clone()));
        }
    }
    let cover = Sheet {
        name: "说明".into(), cells: vec![(0, 0, "填表说明:请按时报送。".into())], ..Sheet::default()
    };
    xlsx(&[cover, sheet])
}

/// What Office writes for a password-protected file: a compound file with the encryption
/// streams, whatever the extension says.
pub fn encrypted_office_file() -> Vec<u8> {
    compound_file(&[("EncryptionInfo", &[4, 0, 4, 0]), ("EncryptedPackage", &[0; 64])])
}

/// An old binary Word document (.doc): a compound file with a `WordDocument` stream.
pub fn old_word_file() -> Vec<u8> {
    compound_file(&[("WordDocument", b"old binary word")])
}

/// A .docx-named zip bomb: 30 MB of zeros packed into well under 200 KB.
pub fn zip_bomb() -> Vec<u8> {
    let zeros = vec![0u8; 30 * 1024 * 1024];
    zip_of(&[("word/document.xml", &zeros)])
}

/// A minimal .xlsx of one sheet holding `cells` (`("A1", "text")`, inline strings) under the
/// declared `dimension`: what a hand-made file looks like, nothing rust_xlsxwriter would add.
pub fn bare_xlsx(dimension: &str, cells: &[(&str, &str)]) -> Vec<u8> {
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
        <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
    let workbook = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
        xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    let workbook_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
    let rows: String = cells
        .iter()
        .map(|(at, text)| {
            let row = at.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            format!("<row r=\"{row}\"><c r=\"{at}\" t=\"inlineStr\"><is><t>{}</t></is></c></row>", escape(*text))
        })
        .collect();
    let sheet = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <dimension ref=\"{dimension}\"/><sheetData>{rows}</sheetData></worksheet>"
    );
    zip_of(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

/// The sheet a dense reader allocates in full: 1.6 KB holding A1 and the last cell Excel has
/// (XFD1048576), over the whole sheet's dimension.
pub fn sparse_sheet_bomb() -> Vec<u8> {
    bare_xlsx("A1:XFD1048576", &[("A1", "序号"), ("XFD1048576", "x")])
}

/// A Word table whose first row holds `cell_bytes` of text that packs badly, continued down
/// `merged_rows` rows by `<w:vMerge/>`: a reader that copies merged text into every row
/// builds `cell_bytes × merged_rows` of text.
pub fn merged_cell_bomb(cell_bytes: usize, merged_rows: usize) -> Vec<u8> {
    // A linear congruential walk over the CJK block: text that deflate cannot shrink much,
    // so the archive's ratio limit does not refuse the file first.
    let mut seed: u32 = 0x2014_0103;
    let mut big = String::with_capacity(cell_bytes + 4);
    while big.len() < cell_bytes {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        big.push(char::from_u32(0x4E00 + (seed >> 16) % 0x5000).unwrap_or('办'));
    }
    let mut rows = vec![vec![text("序号"), text("工作任务"), text("责任单位")]];
    rows.push(vec![text("1"), Cell::MergeStart(big), text("县民政局")]);
    rows.extend((0..merged_rows).map(|_| vec![text("2"), Cell::MergeContinue, text("县民政局")]));
    docx(&table(&rows))
}
