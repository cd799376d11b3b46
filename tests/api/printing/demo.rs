//! Every form of the demo data printed on one A4 page with all its text.

use super::*;
use crate::helpers::*;
use crate::office::{office_available, seeded};
use budget_monitor::seed::DEMO_PASSWORD;

#[tokio::test]
async fn every_demo_form_prints_on_one_a4_page_with_all_its_text() {
    if !office_available("every_demo_form_prints_on_one_a4_page_with_all_its_text") {
        return;
    }
    let app = spawn_app().await;
    let summary = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let forms = download(&app, &finance, &summary.period_id.to_string()).await;
    for form in [1, 2, 3] {
        assert!(forms
            .iter()
            .any(|f| f.name.starts_with(&format!("form{form}-"))));
    }
    let printed = tokio::task::spawn_blocking({
        let forms = forms.clone();
        move || print(&forms)
    })
    .await
    .unwrap();
    for (f, p) in forms.iter().zip(&printed) {
        check(f, p);
    }
}
