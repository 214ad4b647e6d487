//! Uploads stored only once accepted, the per-company quota, and the headers
//! user files are served with.

use crate::common::{Browser, TestApp, first_id, png, verification_form};

/// Files under the uploads directory, at any depth.
fn stored_files(app: &TestApp) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return 0;
        };
        entries
            .flatten()
            .map(|entry| {
                let path = entry.path();
                if path.is_dir() { count(&path) } else { 1 }
            })
            .sum()
    }
    count(&app.data_dir.path().join("uploads"))
}

/// A few bytes that are a PDF by content.
fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec()
}

/// A PNG by content, `bytes` long, different for each `seed`.
fn png_of(bytes: usize, seed: u8) -> Vec<u8> {
    let mut file = png();
    file.resize(bytes, seed);
    file
}

async fn submit(
    owner: &Browser,
    overrides: &[(&str, &str)],
    licence: Vec<u8>,
    name: &str,
) -> reqwest::Response {
    let token = owner.csrf().await;
    owner
        .post_multipart(
            "/app/company",
            verification_form(&token, Some((licence, name)), overrides),
        )
        .await
}

async fn request_topup(owner: &Browser, amount: &str, receipt: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(receipt)
        .file_name("receipt.png")
        .mime_str("image/png")
        .expect("mime");
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", owner.csrf().await)
        .text("amount", amount.to_owned())
        .part("receipt", part);
    owner.post_multipart("/app/balance/topups", form).await
}

#[tokio::test]
async fn a_refused_verification_leaves_no_file_and_asks_for_the_files_again() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    let files_before = stored_files(&app);
    let response = submit(
        &owner,
        &[("uscc", "91350100M000100Y44")],
        png(),
        "licence.png",
    )
    .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("body");
    assert!(
        page.contains("data-choose-again"),
        "the page says to choose the file again"
    );
    assert!(
        !page.contains("name=\"licence_id\""),
        "no stored licence is offered"
    );
    assert_eq!(stored_files(&app), files_before, "no file reached the disk");
    assert_eq!(app.count("uploads"), 0);

    let response = submit(&owner, &[], png(), "licence.png").await;
    assert_eq!(response.status(), 303, "the corrected form is accepted");
    assert_eq!(stored_files(&app), files_before + 1);
    assert_eq!(app.count("uploads"), 1);
}

#[tokio::test]
async fn an_upload_over_the_company_quota_is_refused_beside_its_field() {
    let app = TestApp::spawn_with_upload_quota(1).await;
    let (owner, _) = app.seller("Acme").await;
    let files_before = stored_files(&app);
    let response = request_topup(&owner, "100", png_of(700 << 10, 1)).await;
    assert_eq!(response.status(), 303, "the first receipt fits");
    assert_eq!(stored_files(&app), files_before + 1);

    let response = request_topup(&owner, "200", png_of(700 << 10, 2)).await;
    assert_eq!(response.status(), 422, "the second would pass 1 MB");
    let page = response.text().await.expect("body");
    assert!(
        page.contains("id=\"receipt-error\""),
        "the message is beside the file field"
    );
    assert!(page.contains("上传空间已用完"), "{page}");
    assert_eq!(
        stored_files(&app),
        files_before + 1,
        "the refused file is not on disk"
    );
    assert_eq!(app.count("uploads"), 1);
    assert_eq!(app.count("topups"), 1);
}

#[tokio::test]
async fn a_user_pdf_is_a_sandboxed_download_and_an_image_shows_inline() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.owner("Acme").await;
    // A name no header should carry as it is: quotes, a semicolon, Chinese.
    let response = submit(&owner, &[], pdf(), "营业执照\"; x=\"1.pdf").await;
    assert_eq!(response.status(), 303);
    let id = first_id(&owner.get_text("/app/company").await, "/uploads/");
    let response = owner.get(&format!("/uploads/{id}")).await;
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "application/pdf");
    let disposition = header("content-disposition");
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        disposition.contains(&format!("filename=\"upload-{id}.pdf\"")),
        "{disposition}"
    );
    assert!(header("content-security-policy").starts_with("sandbox"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(
        !disposition.contains("x=\""),
        "the uploaded name shapes no parameter"
    );
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");

    let (other, _) = app.owner("Other").await;
    assert_eq!(
        submit(&other, &[], png(), "licence.png").await.status(),
        303
    );
    let id = first_id(&other.get_text("/app/company").await, "/uploads/");
    let response = other.get(&format!("/uploads/{id}")).await;
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("ASCII");
    assert!(disposition.starts_with("inline"), "{disposition}");
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .expect("ASCII");
    assert!(policy.starts_with("sandbox"));
}
