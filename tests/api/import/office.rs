//! A template filled in and saved again by an office suite still imports: LibreOffice rewrites
//! the whole package (shared strings, styles, dates), as Excel does. Needs `libreoffice`; without
//! it the test prints a notice and passes, unless `BM_TEST_OFFICE=required`.

use std::process::Command;

use super::*;

fn libreoffice_available() -> bool {
    let found = Command::new("sh")
        .args(["-c", "command -v libreoffice"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        assert_ne!(
            std::env::var("BM_TEST_OFFICE").as_deref(),
            Ok("required"),
            "BM_TEST_OFFICE=required but libreoffice is missing"
        );
        eprintln!("NOTICE: the office round trip is skipped: libreoffice is not installed");
    }
    found
}

/// The workbook as LibreOffice saves it again (Calc's Office Open XML export).
fn saved_by_libreoffice(xlsx: &[u8]) -> Vec<u8> {
    let dir = temp_dir();
    let (input, out) = (dir.join("form.xlsx"), dir.join("out"));
    std::fs::write(&input, xlsx).unwrap();
    let profile = temp_dir();
    let status = Command::new("libreoffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "xlsx:Calc Office Open XML",
            "--outdir",
        ])
        .arg(&out)
        .arg(&input)
        .output()
        .expect("libreoffice runs");
    assert!(status.status.success(), "{status:?}");
    let saved = std::fs::read(out.join("form.xlsx")).expect("LibreOffice saved the workbook");
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&profile).ok();
    saved
}

#[tokio::test]
async fn a_template_saved_again_by_an_office_suite_imports_the_same() {
    if !libreoffice_available() {
        return;
    }
    let app = spawn_app().await;
    let s = setup(&app).await;
    let mut wb = Workbook::open(&template_bytes(&app, &s).await);
    fill(&mut wb, &s);
    let saved = saved_by_libreoffice(&wb.bytes());
    let dry = json_of(import(&app, &s.roles.reporter, "", saved, &[]).await, 200).await;
    assert_eq!(dry["problems"], json!([]), "{dry}");
    assert_eq!(dry["item_id"].as_str(), Some(s.item.as_str()));
    assert_eq!(dry["form"], filled(&s));
}
