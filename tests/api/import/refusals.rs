//! Who may import, and the files that are refused; matching without ids; retries.

use super::*;

#[tokio::test]
async fn only_a_reporter_of_the_items_unit_imports_and_others_are_refused() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let mut wb = Workbook::open(&template_bytes(&app, &s).await);
    fill(&mut wb, &s);
    let file = wb.bytes();
    let other = app.unit("OTHER").await.id;
    let stranger = app.sign_up("stranger", "reporter", Some(other)).await;
    for q in ["", "?dry_run=false"] {
        assert_problem(
            import(&app, &stranger, q, file.clone(), &[]).await,
            404,
            "not_found",
        )
        .await;
        assert_problem(
            import(&app, &s.roles.viewer, q, file.clone(), &[]).await,
            403,
            "forbidden",
        )
        .await;
        assert_problem(
            import(&app, &s.roles.finance, q, file.clone(), &[]).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_problem(template(&app, &s, &stranger).await, 404, "not_found").await;
    assert_eq!(
        template(&app, &s, &s.roles.viewer).await.status(),
        200,
        "reading is for everyone who sees the item"
    );
    assert_eq!(forms_of(&app, &s).await, 0);
}

#[tokio::test]
async fn damaged_encrypted_oversized_and_foreign_files_are_refused_with_their_own_code() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let good = template_bytes(&app, &s).await;
    let r = &s.roles.reporter;
    let damaged = good[..good.len() / 2].to_vec();
    assert_problem(
        import(&app, r, "", damaged, &[]).await,
        400,
        "workbook_damaged",
    )
    .await;
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.resize(1536, 0);
    encrypted.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    encrypted.resize(4096, 0);
    let p = assert_problem(
        import(&app, r, "?dry_run=false", encrypted, &[]).await,
        422,
        "workbook_encrypted",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("password"), "{p}");
    let big = vec![b'P'; 5 * 1024 * 1024 + 1];
    assert_problem(
        import_raw(&app, r, "?dry_run=false", big.clone(), XLSX).await,
        413,
        "payload_too_large",
    )
    .await;
    assert_problem(
        import(&app, r, "", big, &[]).await,
        413,
        "payload_too_large",
    )
    .await;
    let pdf = b"%PDF-1.7\n1 0 obj\n".to_vec();
    assert_problem(
        import(&app, r, "?dry_run=false", pdf.clone(), &[]).await,
        415,
        "not_xlsx",
    )
    .await;
    assert_problem(
        import_raw(&app, r, "", pdf, "text/plain").await,
        415,
        "unsupported_media_type",
    )
    .await;
    let mut other = rust_xlsxwriter::Workbook::new();
    other.add_worksheet().write(0, 0, "预算").unwrap();
    let foreign = other.save_to_buffer().unwrap();
    assert_problem(
        import_raw(&app, r, "?dry_run=false", foreign, XLSX).await,
        422,
        "not_a_form_template",
    )
    .await;
    let no_file = app
        .req(Method::POST, "/api/v1/submissions/import", Some(r))
        .multipart(reqwest::multipart::Form::new().text("note", "x"));
    assert_problem(app.send(no_file).await, 422, "validation_failed").await;
    assert_eq!(forms_of(&app, &s).await, 0);
    assert!(app
        .audit(&s.roles.admin, "resource_type=submission")
        .await
        .is_empty());
}

#[tokio::test]
async fn a_raw_upload_without_ids_is_matched_by_names_and_retries_are_idempotent() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let mut wb = Workbook::open(&template_bytes(&app, &s).await);
    fill(&mut wb, &s);
    // The hidden sheet's texts are shared strings.
    let ids = "xl/sharedStrings.xml";
    wb.replace(ids, &s.item, "");
    wb.replace(ids, &s.period, "");
    let dry = json_of(
        import_raw(&app, &s.roles.reporter, "", wb.bytes(), XLSX).await,
        200,
    )
    .await;
    assert_eq!(
        (dry["item_id"].as_str(), dry["valid"].as_bool()),
        (Some(s.item.as_str()), Some(true)),
        "{dry}"
    );
    // Without the hidden sheet at all, the fields are where a template puts them.
    wb.replace(ids, "budget-monitor form template", "");
    let file = wb.bytes();
    let dry = json_of(
        import_raw(&app, &s.roles.reporter, "", file.clone(), XLSX).await,
        200,
    )
    .await;
    assert_eq!(dry["form"], filled(&s), "{dry}");
    let key = [("Idempotency-Key", "import-1")];
    let first = import(
        &app,
        &s.roles.reporter,
        "?dry_run=false",
        file.clone(),
        &key,
    )
    .await;
    let (location, etag) = (
        first.headers()["location"].clone(),
        first.headers()["etag"].clone(),
    );
    let first = json_of(first, 201).await;
    let again = import(&app, &s.roles.reporter, "?dry_run=false", file, &key).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["location"], location);
    assert_eq!(again.headers()["etag"], etag);
    assert_eq!(json_of(again, 201).await["id"], first["id"]);
    assert_eq!(forms_of(&app, &s).await, 1);
}

#[tokio::test]
async fn the_import_path_is_no_form_id_other_methods_get_405() {
    let app = spawn_app().await;
    let token = app.admin().await;
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        // Not through the contract check: a wrong method is no documented operation.
        let r = app
            .req(
                method.clone(),
                "/api/v1/submissions/import?dry_run=true",
                Some(&token),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["allow"], "POST", "{method}");
        assert_problem(r, 405, "method_not_allowed").await;
    }
}
