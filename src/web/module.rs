//! The "sample logistics" module application of a verified company.

use super::auth::Owner;
use super::ctx::{self, PageCtx};
use super::errors::AppError;
use super::{AppState, redirect, render, render_with, run};
use crate::db::models::{Company, ModuleApplication};
use crate::domain::country::{self, Country, CountryCode};
use crate::domain::field_errors::FieldErrors;
use crate::domain::status::ProductCategory;
use crate::services::module::{AGREEMENT_MARKDOWN, AGREEMENT_VERSION, Application};
use crate::services::{ServiceError, company, module};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/module", web::get().to(module_page))
        .route("/app/module", web::post().to(apply));
}

/// The application form as typed (repeated keys for the multi-selects).
#[derive(Default)]
pub struct ApplicationFields {
    pub expected_monthly_parcels: String,
    pub destinations: Vec<String>,
    pub categories: Vec<String>,
    pub accept_agreement: bool,
}

impl ApplicationFields {
    fn from_pairs(pairs: Vec<(String, String)>) -> ApplicationFields {
        let mut fields = ApplicationFields::default();
        for (key, value) in pairs {
            match key.as_str() {
                "expected_monthly_parcels" => fields.expected_monthly_parcels = value,
                "destinations" => fields.destinations.push(value),
                "categories" => fields.categories.push(value),
                "accept_agreement" => fields.accept_agreement = value == "yes",
                _ => {}
            }
        }
        fields
    }

    fn parse(&self) -> Result<Application, FieldErrors> {
        let mut errors = FieldErrors::new();
        let parcels = self
            .expected_monthly_parcels
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=1_000_000).contains(n));
        if parcels.is_none() {
            errors.add("expected_monthly_parcels", "error.module.parcels");
        }
        let destinations: Vec<CountryCode> = self
            .destinations
            .iter()
            .filter_map(|code| CountryCode::parse(code).ok())
            .collect();
        if destinations.is_empty() || destinations.len() != self.destinations.len() {
            errors.add("destinations", "error.module.destinations");
        }
        let categories: Vec<ProductCategory> = self
            .categories
            .iter()
            .filter_map(|c| ProductCategory::parse(c).ok())
            .collect();
        if categories.is_empty() || categories.len() != self.categories.len() {
            errors.add("categories", "error.module.categories");
        }
        if !self.accept_agreement {
            errors.add("accept_agreement", "error.module.agreement");
        }
        match parcels {
            Some(expected_monthly_parcels) if errors.is_empty() => Ok(Application {
                expected_monthly_parcels,
                destinations,
                categories,
            }),
            _ => Err(errors),
        }
    }

    pub fn has_destination(&self, code: &str) -> bool {
        self.destinations.iter().any(|d| d == code)
    }

    pub fn has_category(&self, category: &str) -> bool {
        self.categories.iter().any(|c| c == category)
    }
}

#[derive(Template)]
#[template(path = "app/module.html")]
struct ModulePage {
    ctx: PageCtx,
    company: Company,
    application: Option<ModuleApplication>,
    form: ApplicationFields,
    errors: FieldErrors,
    countries: &'static [Country],
    categories: &'static [ProductCategory],
    agreement_version: &'static str,
}

impl ModulePage {
    fn can_apply(&self) -> bool {
        self.company.status == crate::domain::status::CompanyStatus::Verified
            && self.company.module_status.can_apply()
    }

    /// The main destinations, as checkboxes.
    fn main_countries(&self) -> Vec<&'static Country> {
        country::MAIN_DESTINATIONS
            .iter()
            .filter_map(|code| country::find(code))
            .collect()
    }

    /// Every other country, in the multi-select below the checkboxes.
    fn other_countries(&self) -> Vec<&'static Country> {
        self.countries
            .iter()
            .filter(|c| !country::MAIN_DESTINATIONS.contains(&c.code.as_str()))
            .collect()
    }

    fn agreement_html(&self) -> String {
        agreement_html(self.ctx.lang)
    }

    fn country_name<'a>(&self, country: &'a Country) -> &'a str {
        match self.ctx.lang {
            crate::i18n::Lang::ZhCn => &country.name_zh,
            crate::i18n::Lang::En => &country.name_en,
        }
    }
}

/// The service agreement as HTML for a page in `lang`. Its headings move
/// down a level (the page has its own `<h1>`), and its runs of the other
/// language carry `lang` (the text is bilingual, issue #15).
fn agreement_html(lang: crate::i18n::Lang) -> String {
    use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
    let lower = |level: HeadingLevel| match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    };
    let events = pulldown_cmark::Parser::new(AGREEMENT_MARKDOWN).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: lower(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        Event::Text(text) => Event::InlineHtml(super::lang_runs::mark(&text, lang).into()),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

async fn load(
    state: &AppState,
    owner: &Owner,
) -> Result<(Company, Option<ModuleApplication>), AppError> {
    let company_id = owner.company()?;
    run(state, move |conn| {
        Ok((
            company::get(conn, company_id)?,
            module::latest(conn, company_id)?,
        ))
    })
    .await
}

/// Handles GET /app/module: the state of the module, or the application form.
async fn module_page(
    ctx: PageCtx,
    owner: Owner,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (company, application) = load(&state, &owner).await?;
    render(&ModulePage {
        ctx,
        company,
        application,
        form: ApplicationFields::default(),
        errors: FieldErrors::new(),
        countries: country::all(),
        categories: ProductCategory::ALL,
        agreement_version: AGREEMENT_VERSION,
    })
}

/// Handles POST /app/module: applies, recording the accepted agreement version.
async fn apply(
    ctx: PageCtx,
    owner: Owner,
    session: Session,
    state: web::Data<AppState>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = ApplicationFields::from_pairs(body.into_inner());
    let result = match form.parse() {
        Ok(application) => {
            let actor = owner.0.actor();
            run(&state, move |conn| module::apply(conn, &actor, application)).await
        }
        Err(errors) => Err(AppError::Service(ServiceError::Invalid(errors))),
    };
    match result {
        Ok(_) => {
            ctx::flash(&session, "success", "flash.module_applied");
            Ok(redirect("/app/module"))
        }
        Err(AppError::Service(ServiceError::Invalid(errors))) => {
            let (company, application) = load(&state, &owner).await?;
            render_with(
                &ModulePage {
                    ctx,
                    company,
                    application,
                    form,
                    errors,
                    countries: country::all(),
                    categories: ProductCategory::ALL,
                    agreement_version: AGREEMENT_VERSION,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(error) => Err(error),
    }
}
