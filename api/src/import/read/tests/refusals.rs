//! Every refusal, with its code: size, type, content, password, archive limits.

use super::super::archive::Archive;
use super::super::samples::{compound_file, docx, encrypted_office_file, old_word_file, para, zip_bomb, zip_of};
use super::super::{MAX_FILE_BYTES, ReadError, parse_file};
use crate::error::AppError;

/// The refusal, for a file that must be refused.
fn refused(name: &str, bytes: &[u8]) -> ReadError {
    match parse_file(name, bytes) {
        Ok(_) => panic!("{name} was read, not refused"),
        Err(e) => e,
    }
}

fn code(name: &str, bytes: &[u8]) -> &'static str {
    match parse_file(name, bytes) {
        Ok(_) => "OK",
        Err(e) => e.code(),
    }
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let big = vec![b'a'; MAX_FILE_BYTES + 1];
    assert_eq!(refused("plan.txt", &big), ReadError::TooLarge { limit_mb: 2 });
    assert_eq!(refused("plan.docx", &big), ReadError::TooLarge { limit_mb: 10 });
    assert_eq!(code("plan.txt", &vec![b'a'; 3 * 1024 * 1024]), "FILE_TOO_LARGE");
}

#[test]
fn old_word_files_and_other_types_are_refused_with_what_to_do() {
    let doc = old_word_file();
    for name in ["通知.doc", "通知.WPS"] {
        let error = refused(name, &doc);
        assert_eq!(error, ReadError::OldWordFormat);
        assert!(error.to_string().contains("save the file as .docx"), "{error}");
    }
    let error = refused("plan.pdf", b"%PDF-1.7");
    assert_eq!(error.code(), "FILE_TYPE_UNSUPPORTED");
    assert!(error.to_string().contains(".txt, .docx, .xlsx or .xls"), "{error}");
    assert_eq!(code("noextension", b"x"), "FILE_TYPE_UNSUPPORTED");
}

#[test]
fn a_file_that_is_not_what_its_name_says_is_refused() {
    assert_eq!(code("plan.docx", "序号 | 工作任务 |".as_bytes()), "FILE_WRONG_CONTENT");
    assert_eq!(code("plan.xlsx", &compound_file(&[("Workbook", b"biff")])), "FILE_WRONG_CONTENT");
    assert_eq!(code("plan.xls", &docx(&para("x"))), "FILE_WRONG_CONTENT");
    let no_document = zip_of(&[("word/other.xml", b"<x/>")]);
    assert_eq!(code("plan.docx", &no_document), "FILE_WRONG_CONTENT");
}

#[test]
fn a_password_protected_office_file_says_so() {
    let encrypted = encrypted_office_file();
    for name in ["plan.docx", "plan.xlsx", "plan.xls"] {
        let error = refused(name, &encrypted);
        assert_eq!(error, ReadError::PasswordProtected, "{name}");
        assert!(error.to_string().contains("save it without a password"));
    }
}

#[test]
fn damaged_archives_and_xml_are_refused_not_panicked_on() {
    assert_eq!(code("plan.docx", b"PK\x03\x04garbage"), "FILE_DAMAGED");
    let broken = zip_of(&[("word/document.xml", b"<w:document><w:body><w:p></w:body>")]);
    assert_eq!(code("plan.docx", &broken), "FILE_DAMAGED");
    assert_eq!(code("plan.xlsx", &zip_of(&[("xl/workbook.xml", b"<nope")])), "FILE_DAMAGED");
    assert_eq!(code("plan.xls", &compound_file(&[("Workbook", b"not biff")])), "FILE_DAMAGED");
}

#[test]
fn a_zip_bomb_is_stopped_by_the_ratio_and_by_the_total() {
    let bomb = zip_bomb();
    assert!(bomb.len() < 200 * 1024, "packed to {} bytes", bomb.len());
    assert_eq!(code("plan.docx", &bomb), "FILE_TOO_MUCH_DATA");
    assert_eq!(code("plan.xlsx", &bomb), "FILE_TOO_MUCH_DATA");
    // Members that each pack modestly but add up to more than the total budget.
    let part: Vec<u8> = (0..400_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let members: Vec<(String, &[u8])> = (0..4).map(|i| (format!("part{i}.bin"), part.as_slice())).collect();
    let refs: Vec<(&str, &[u8])> = members.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    let archive = zip_of(&refs);
    let mut small = Archive::with_limits(&archive, 1_000_000, 100).expect("opens");
    let error = small.check_all().expect_err("over the total");
    assert_eq!(error.code(), "FILE_TOO_MUCH_DATA");
    assert!(Archive::with_limits(&archive, 2_000_000, 100).expect("opens").check_all().is_ok());
}

#[test]
fn an_empty_or_taskless_file_is_no_tasks() {
    assert_eq!(code("plan.txt", b""), "NO_TASKS");
    assert_eq!(code("plan.docx", &docx(&para("关于做好冬季防火工作的通知\n请各单位认真落实。"))), "NO_TASKS");
    assert_eq!(code("plan.txt", &[0xFF, 0xFE, 0x00, 0xD8, 0x81]), "FILE_UNKNOWN_ENCODING");
}

#[test]
fn every_refusal_is_bad_user_input() {
    let refusals = [
        ReadError::TooLarge { limit_mb: 10 },
        ReadError::UnsupportedType { extension: "pdf".into() },
        ReadError::OldWordFormat,
        ReadError::WrongContent { expected: ".docx" },
        ReadError::PasswordProtected,
        ReadError::TooMuchData { reason: "x".into() },
        ReadError::Damaged("x".into()),
        ReadError::UnknownEncoding,
        ReadError::NoTasks("no task rows were found in the text".into()),
        ReadError::Abandoned,
    ];
    for refusal in refusals {
        assert_eq!(AppError::from(refusal).code(), "BAD_USER_INPUT");
    }
}
