//! Builds the .docx, .xlsx and refused files the reader tests need, at test time, so that
//! every fixture comes with the code that made it.

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
