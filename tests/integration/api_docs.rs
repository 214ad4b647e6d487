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

/// The server's OpenAPI document as JSON.
async fn document_of(app: &TestApp) -> Value {
    reqwest::get(format!("{}/api/v1/openapi.json", app.address))
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON")
}

#[actix_web::test]
async fn the_docs_page_lists_every_operation_in_both_languages() {
    let app = TestApp::spawn().await;
    let document = document_of(&app).await;
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

#[actix_web::test]
async fn every_json_answer_of_the_document_has_a_typed_schema() {
    let app = TestApp::spawn().await;
    let document = document_of(&app).await;
    let paths = document["paths"].as_object().expect("paths");
    let mut typed = 0;
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().expect("operations") {
            let responses = operation["responses"].as_object().expect("responses");
            for (status, response) in responses {
                let Some(schema) = response.pointer("/content/application~1json/schema") else {
                    continue;
                };
                // A generated client needs fields, not a free-form object:
                // every JSON body is a named component or an array of one.
                let named = schema.get("$ref").is_some() || schema.pointer("/items/$ref").is_some();
                assert!(named, "{method} {path} {status}: {schema}");
                typed += 1;
            }
        }
    }
    assert!(typed > 30, "typed answers: {typed}");
    let order = &document["components"]["schemas"]["OrderOut"]["properties"];
    for field in [
        "order_no",
        "status",
        "recipient",
        "parcel",
        "items",
        "quote",
        "api_token",
    ] {
        assert!(order.get(field).is_some(), "OrderOut.{field}");
    }
}
