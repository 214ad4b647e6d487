//! The ERP API's OpenAPI 3.1 document (issue #13): generated from the code,
//! valid for an OpenAPI 3.1 parser, every documented operation answered by
//! the server, and readable as a page in both languages.

use crate::common::TestApp;
use serde_json::Value;

#[actix_web::test]
async fn the_openapi_document_is_valid_and_every_operation_exists() {
    let app = TestApp::spawn().await;
    let response = reqwest::get(format!("{}/api/v1/openapi.json", app.address))
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("body");
    let spec = oas3::from_json(&text).expect("an OpenAPI 3.1 parser reads it");
    let version = spec
        .validate_version()
        .expect("a supported OpenAPI version");
    assert_eq!((version.major, version.minor), (3, 1));
    let operations: Vec<_> = spec.operations().collect();
    assert!(operations.len() >= 2, "operations: {}", operations.len());
    let client = reqwest::Client::new();
    for (path, method, operation) in operations {
        // Every reference resolves to a component that exists.
        operation
            .request_body(&spec)
            .expect("request body resolves");
        operation.parameters(&spec).expect("parameters resolve");
        assert!(!operation.responses(&spec).is_empty(), "{method} {path}");
        // The server has the route: without a token it asks for one in
        // JSON, where an unknown path would answer `not_found`.
        let url = format!("{}{}", app.address, path.replace(['{', '}'], ""));
        let method = reqwest::Method::from_bytes(method.as_str().as_bytes()).expect("method");
        let answer = client
            .request(method.clone(), url)
            .header("Content-Type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("request");
        assert_eq!(
            answer.status(),
            401,
            "{method} {path} exists and needs a token"
        );
        let body: Value = answer.json().await.expect("JSON error");
        assert_eq!(body["code"], "unauthorized", "{method} {path}");
    }
}

#[actix_web::test]
async fn the_docs_page_lists_every_operation_in_both_languages() {
    let app = TestApp::spawn().await;
    let document: Value = reqwest::get(format!("{}/api/v1/openapi.json", app.address))
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    let paths = document["paths"].as_object().expect("paths");
    for (lang, heading) in [("en", "ERP API reference"), ("zh-CN", "ERP API 文档")] {
        let browser = app.browser();
        browser.get(&format!("/lang/{lang}")).await;
        let page = browser.get_text("/api/docs").await;
        assert!(page.contains(heading), "{lang}: {heading}");
        for path in paths.keys() {
            // Parameters are marked up: `/orders/{<var>order_no</var>}`.
            let shown = path.replace('{', "{<var>").replace('}', "</var>}");
            assert!(page.contains(&shown), "{lang}: {path} listed");
        }
        assert!(page.contains("/api/v1/openapi.json"));
    }
}
